/*
 * URL encoding and decoding: WsDecodeUrl, WsEncodeUrl, WsCombineUrl.
 *
 * The grammar is RFC 3986 (as WsDecodeUrl's documentation says) restricted
 * to the schemes of WS_URL_SCHEME_TYPE, all of which are hierarchical URLs
 * with an authority: scheme "://" host [ ":" port ] path [ "?" query ]
 * [ "#" fragment ].  A non-empty host is required and userinfo is not
 * supported.  Decoded components are percent-decoded (UTF-8) and encoded
 * components are percent-encoded, as the documentation of WsEncodeUrl
 * ("values are escaped as necessary") implies.
 */

#include <string.h>
#include "webservices_private.h"

#define URL_KNOWN_FLAGS (WS_URL_FLAGS_ALLOW_HOST_WILDCARDS | WS_URL_FLAGS_NO_PATH_COLLAPSE | \
                         WS_URL_FLAGS_ZERO_TERMINATE)

/* All five WS_*_URL structures share one layout; WS_HTTP_URL stands for them all. */
#define SAME_URL_LAYOUT(type, field) \
    _Static_assert( offsetof(type, field) == offsetof(WS_HTTP_URL, field), #type " layout" )
#define SAME_URL_LAYOUT_ALL(type) \
    SAME_URL_LAYOUT(type, host); SAME_URL_LAYOUT(type, port); SAME_URL_LAYOUT(type, portAsString); \
    SAME_URL_LAYOUT(type, path); SAME_URL_LAYOUT(type, query); SAME_URL_LAYOUT(type, fragment); \
    _Static_assert( sizeof(type) == sizeof(WS_HTTP_URL), #type " size" )
SAME_URL_LAYOUT_ALL(WS_HTTPS_URL);
SAME_URL_LAYOUT_ALL(WS_NETTCP_URL);
SAME_URL_LAYOUT_ALL(WS_SOAPUDP_URL);
SAME_URL_LAYOUT_ALL(WS_NETPIPE_URL);

struct scheme_info
{
    WS_URL_SCHEME_TYPE type;
    const WCHAR *name;
    ULONG len;
    USHORT default_port;
};

/* Default ports: http and https as usual, net.tcp 808 (WCF's); soap.udp has
 * none, and WsDecodeUrl's documentation says 0xFFFFFFFF is returned, which the
 * USHORT port field holds as 0xFFFF.  The documentation is silent on net.pipe,
 * which has no port either: it gets the same "no port" value. */
static const struct scheme_info schemes[] =
{
    { WS_URL_HTTP_SCHEME_TYPE,    L"http",     4, 80 },
    { WS_URL_HTTPS_SCHEME_TYPE,   L"https",    5, 443 },
    { WS_URL_NETTCP_SCHEME_TYPE,  L"net.tcp",  7, 808 },
    { WS_URL_SOAPUDP_SCHEME_TYPE, L"soap.udp", 8, 0xffff },
    { WS_URL_NETPIPE_SCHEME_TYPE, L"net.pipe", 8, 0xffff },
};

static const struct scheme_info *find_scheme_by_type( WS_URL_SCHEME_TYPE type )
{
    ULONG i;
    for (i = 0; i < ARRAYSIZE(schemes); i++) if (schemes[i].type == type) return &schemes[i];
    return NULL;
}

static WCHAR ascii_lower( WCHAR c )
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Schemes are case-insensitive (RFC 3986 section 3.1). */
static const struct scheme_info *find_scheme_by_name( const WCHAR *name, ULONG len )
{
    ULONG i, j;

    for (i = 0; i < ARRAYSIZE(schemes); i++)
    {
        if (schemes[i].len != len) continue;
        for (j = 0; j < len; j++) if (ascii_lower( name[j] ) != schemes[i].name[j]) break;
        if (j == len) return &schemes[i];
    }
    return NULL;
}

/* ---- character classes of RFC 3986 --------------------------------------- */

static BOOL is_alpha( WCHAR c )
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static BOOL is_digit( WCHAR c )
{
    return c >= '0' && c <= '9';
}

static int hex_value( WCHAR c )
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static BOOL is_unreserved( WCHAR c )
{
    return is_alpha( c ) || is_digit( c ) || c == '-' || c == '.' || c == '_' || c == '~';
}

static BOOL is_sub_delim( WCHAR c )
{
    switch (c)
    {
    case '!': case '$': case '&': case '\'': case '(': case ')':
    case '*': case '+': case ',': case ';': case '=':
        return TRUE;
    default:
        return FALSE;
    }
}

/* reg-name, and the inside of an IP-literal (IPvFuture allows ':' too) */
static BOOL is_host_char( WCHAR c )
{
    return is_unreserved( c ) || is_sub_delim( c );
}

static BOOL is_ip_literal_char( WCHAR c )
{
    return is_unreserved( c ) || is_sub_delim( c ) || c == ':';
}

static BOOL is_pchar( WCHAR c )
{
    return is_unreserved( c ) || is_sub_delim( c ) || c == ':' || c == '@';
}

static BOOL is_path_char( WCHAR c )
{
    return is_pchar( c ) || c == '/';
}

/* query and fragment */
static BOOL is_query_char( WCHAR c )
{
    return is_pchar( c ) || c == '/' || c == '?';
}

/* ---- percent-decoding ---------------------------------------------------- */

/* Reads the next byte of a component whose escapes are complete. */
static BYTE next_byte( const WCHAR *str, ULONG *pos )
{
    BYTE b;

    if (str[*pos] != '%') return str[(*pos)++];
    b = hex_value( str[*pos + 1] ) << 4 | hex_value( str[*pos + 2] );
    *pos += 3;
    return b;
}

/* Reads the next code point: the bytes are UTF-8 (RFC 3986 section 2.5).
 * FALSE for anything that is not shortest-form UTF-8 of a scalar value. */
static BOOL next_code_point( const WCHAR *str, ULONG len, ULONG *pos, unsigned int *ret )
{
    static const unsigned int min_value[] = { 0, 0, 0x80, 0x800, 0x10000 };
    unsigned int value, count, i;
    BYTE b = next_byte( str, pos );

    if (b < 0x80) { *ret = b; return TRUE; }
    if (b >= 0xc2 && b <= 0xdf) { count = 2; value = b & 0x1f; }
    else if (b >= 0xe0 && b <= 0xef) { count = 3; value = b & 0x0f; }
    else if (b >= 0xf0 && b <= 0xf4) { count = 4; value = b & 0x07; }
    else return FALSE;

    for (i = 1; i < count; i++)
    {
        if (*pos >= len || (b = next_byte( str, pos )) < 0x80 || b > 0xbf) return FALSE;
        value = value << 6 | (b & 0x3f);
    }
    if (value < min_value[count] || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return FALSE;
    *ret = value;
    return TRUE;
}

static BOOL has_utf8_escapes( const WCHAR *str, ULONG len )
{
    ULONG pos = 0;
    unsigned int cp;

    while (pos < len) if (!next_code_point( str, len, &pos, &cp )) return FALSE;
    return TRUE;
}

/* Decodes a valid component in place (it never grows); returns the new length. */
static ULONG percent_decode( WCHAR *str, ULONG len )
{
    ULONG pos = 0, out = 0;
    unsigned int cp;

    while (pos < len)
    {
        next_code_point( str, len, &pos, &cp );
        if (cp >= 0x10000)
        {
            cp -= 0x10000;
            str[out++] = 0xd800 | (cp >> 10);
            str[out++] = 0xdc00 | (cp & 0x3ff);
        }
        else str[out++] = cp;
    }
    return out;
}

/* ---- validation --------------------------------------------------------- */

/* Every character is in the class or starts a complete %XX triplet, and the
 * escaped bytes are UTF-8. */
static BOOL is_valid_component( const WCHAR *str, ULONG len, BOOL (*allowed)(WCHAR) )
{
    ULONG i;

    for (i = 0; i < len; i++)
    {
        if (str[i] == '%')
        {
            if (len - i < 3 || hex_value( str[i + 1] ) < 0 || hex_value( str[i + 2] ) < 0) return FALSE;
            i += 2;
        }
        else if (!allowed( str[i] )) return FALSE;
    }
    return has_utf8_escapes( str, len );
}

/* ---- splitting a URI reference (RFC 3986 appendix B) ---------------------- */

struct url_range
{
    const WCHAR *str;
    ULONG len;
    BOOL present;   /* scheme, authority, query and fragment may be absent; the path never is */
};

struct url_parts
{
    struct url_range scheme, authority, path, query, fragment;
};

static ULONG find_first_of( const WCHAR *str, ULONG len, const char *set )
{
    ULONG i;
    const char *p;

    for (i = 0; i < len; i++)
        for (p = set; *p; p++) if (str[i] == (WCHAR)*p) return i;
    return len;
}

static void set_range( struct url_range *range, const WCHAR *str, ULONG len )
{
    range->str = str;
    range->len = len;
    range->present = TRUE;
}

/* Splits without validating, like the regular expression of appendix B. */
static void split_reference( const WCHAR *str, ULONG len, struct url_parts *parts )
{
    ULONG pos = 0, end;

    memset( parts, 0, sizeof(*parts) );

    end = find_first_of( str, len, ":/?#" );
    if (end < len && end > 0 && str[end] == ':')
    {
        set_range( &parts->scheme, str, end );
        pos = end + 1;
    }
    if (len - pos >= 2 && str[pos] == '/' && str[pos + 1] == '/')
    {
        pos += 2;
        end = pos + find_first_of( str + pos, len - pos, "/?#" );
        set_range( &parts->authority, str + pos, end - pos );
        pos = end;
    }
    end = pos + find_first_of( str + pos, len - pos, "?#" );
    set_range( &parts->path, str + pos, end - pos );
    pos = end;
    if (pos < len && str[pos] == '?')
    {
        pos++;
        end = pos + find_first_of( str + pos, len - pos, "#" );
        set_range( &parts->query, str + pos, end - pos );
        pos = end;
    }
    if (pos < len) set_range( &parts->fragment, str + pos + 1, len - pos - 1 );
}

/* ---- the authority: host [ ":" port ] ------------------------------------ */

struct authority
{
    struct url_range host;
    struct url_range port;      /* present and non-empty only when digits follow ':' */
    USHORT port_value;
    BOOL is_ip_literal;
};

static BOOL is_wildcard_host( const WCHAR *host, ULONG len )
{
    return len == 1 && (host[0] == '*' || host[0] == '+');
}

static HRESULT parse_port( const WCHAR *str, ULONG len, USHORT *port, WS_ERROR *error )
{
    ULONG value = 0, i;

    for (i = 0; i < len; i++)
    {
        if (!is_digit( str[i] ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "port %s is not a decimal number",
                                 debugstr_wn( str, len ) );
        value = value * 10 + (str[i] - '0');
        if (value > 0xffff)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "port %s is larger than 65535",
                                 debugstr_wn( str, len ) );
    }
    *port = value;
    return S_OK;
}

static HRESULT parse_ip_literal( const WCHAR *str, ULONG len, ULONG *host_len, WS_ERROR *error )
{
    ULONG end = find_first_of( str, len, "]" );

    if (end == len)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "IP literal %s has no closing ']'", debugstr_wn( str, len ) );
    if (end == 1)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "IP literal is empty" );
    /* The documentation does not enforce the IPv6address production, only
     * the characters an IP-literal may hold. */
    if (!is_valid_component( str + 1, end - 1, is_ip_literal_char ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid character in IP literal %s",
                             debugstr_wn( str, end + 1 ) );
    *host_len = end + 1;
    return S_OK;
}

static HRESULT parse_authority( const struct url_range *range, ULONG flags, struct authority *auth, WS_ERROR *error )
{
    const WCHAR *str = range->str;
    ULONG len = range->len, host_len = 0;
    HRESULT hr;

    memset( auth, 0, sizeof(*auth) );

    if (find_first_of( str, len, "@" ) < len)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "userinfo in %s is not supported", debugstr_wn( str, len ) );

    if (len && str[0] == '[')
    {
        if ((hr = parse_ip_literal( str, len, &host_len, error )) != S_OK) return hr;
        auth->is_ip_literal = TRUE;
    }
    else
    {
        host_len = find_first_of( str, len, ":" );
        if (!host_len) return ws_error_set( error, WS_E_INVALID_FORMAT, "the host name is empty" );
        if (is_wildcard_host( str, host_len ))
        {
            if (!(flags & WS_URL_FLAGS_ALLOW_HOST_WILDCARDS))
                return ws_error_set( error, WS_E_INVALID_FORMAT,
                                     "wildcard host %s needs WS_URL_FLAGS_ALLOW_HOST_WILDCARDS",
                                     debugstr_wn( str, host_len ) );
        }
        else if (!is_valid_component( str, host_len, is_host_char ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid character, escape or UTF-8 in host %s",
                                 debugstr_wn( str, host_len ) );
    }
    set_range( &auth->host, str, host_len );

    if (host_len == len) return S_OK;
    if (str[host_len] != ':')
        return ws_error_set( error, WS_E_INVALID_FORMAT, "unexpected %s after the host",
                             debugstr_wn( str + host_len, len - host_len ) );
    /* "host:" is an empty port, the same as no port (RFC 3986 section 3.2.3) */
    if (host_len + 1 == len) return S_OK;
    set_range( &auth->port, str + host_len + 1, len - host_len - 1 );
    return parse_port( auth->port.str, auth->port.len, &auth->port_value, error );
}

/* ---- a complete, absolute URL of a supported scheme ----------------------- */

struct parsed_url
{
    struct url_parts parts;
    const struct scheme_info *scheme;
    struct authority auth;
};

static HRESULT validate_path_query_fragment( const struct url_parts *parts, WS_ERROR *error )
{
    if (!is_valid_component( parts->path.str, parts->path.len, is_path_char ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid character, escape or UTF-8 in path %s",
                             debugstr_wn( parts->path.str, parts->path.len ) );
    if (parts->query.present && !is_valid_component( parts->query.str, parts->query.len, is_query_char ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid character, escape or UTF-8 in query %s",
                             debugstr_wn( parts->query.str, parts->query.len ) );
    if (parts->fragment.present && !is_valid_component( parts->fragment.str, parts->fragment.len, is_query_char ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid character, escape or UTF-8 in fragment %s",
                             debugstr_wn( parts->fragment.str, parts->fragment.len ) );
    return S_OK;
}

static HRESULT lookup_scheme( const struct url_range *scheme, const struct scheme_info **info, WS_ERROR *error )
{
    if (!scheme->present)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the URL has no scheme" );
    if (!(*info = find_scheme_by_name( scheme->str, scheme->len )))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "unsupported scheme %s",
                             debugstr_wn( scheme->str, scheme->len ) );
    return S_OK;
}

/* The part after the scheme of an absolute URL, or of a network-path reference. */
static HRESULT parse_hierarchical_part( const struct url_parts *parts, ULONG flags, struct authority *auth,
                                        WS_ERROR *error )
{
    HRESULT hr;

    if (!parts->authority.present)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the URL has no \"//\" authority" );
    if ((hr = parse_authority( &parts->authority, flags, auth, error )) != S_OK) return hr;
    return validate_path_query_fragment( parts, error );
}

static HRESULT parse_absolute_url( const WCHAR *str, ULONG len, ULONG flags, struct parsed_url *url, WS_ERROR *error )
{
    HRESULT hr;

    split_reference( str, len, &url->parts );
    if ((hr = lookup_scheme( &url->parts.scheme, &url->scheme, error )) != S_OK) return hr;
    return parse_hierarchical_part( &url->parts, flags, &url->auth, error );
}

/* ---- dot segments (RFC 3986 section 5.2.4) ------------------------------- */

/* Removes the last segment and its preceding '/' from OUT. */
static ULONG drop_last_segment( const WCHAR *out, ULONG out_len )
{
    while (out_len && out[out_len - 1] != '/') out_len--;
    return out_len ? out_len - 1 : 0;
}

static BOOL has_prefix( const WCHAR *str, ULONG len, const char *prefix )
{
    ULONG i;
    for (i = 0; prefix[i]; i++) if (i >= len || str[i] != (WCHAR)prefix[i]) return FALSE;
    return TRUE;
}

static BOOL equals( const WCHAR *str, ULONG len, const char *ascii )
{
    return len == strlen( ascii ) && has_prefix( str, len, ascii );
}

/* Writes the path without "." and ".." segments to OUT (at most LEN characters); returns its length. */
static ULONG remove_dot_segments( const WCHAR *in, ULONG len, WCHAR *out )
{
    ULONG out_len = 0, seg;

    while (len)
    {
        if (has_prefix( in, len, "../" )) { in += 3; len -= 3; }
        else if (has_prefix( in, len, "./" )) { in += 2; len -= 2; }
        else if (has_prefix( in, len, "/./" )) { in += 2; len -= 2; }   /* keep the second '/' */
        else if (equals( in, len, "/." )) { out[out_len++] = '/'; len = 0; }
        else if (has_prefix( in, len, "/../" ))
        {
            in += 3; len -= 3;
            out_len = drop_last_segment( out, out_len );
        }
        else if (equals( in, len, "/.." ))
        {
            out_len = drop_last_segment( out, out_len );
            out[out_len++] = '/';
            len = 0;
        }
        else if (equals( in, len, "." ) || equals( in, len, ".." )) len = 0;
        else
        {
            seg = 1 + find_first_of( in + 1, len - 1, "/" );
            memmove( out + out_len, in, seg * sizeof(WCHAR) );  /* OUT may be IN: it never overtakes it */
            out_len += seg;
            in += seg; len -= seg;
        }
    }
    return out_len;
}

/* ---- building the results ------------------------------------------------ */

static HRESULT alloc_result( WS_HEAP *heap, ULONGLONG size, void **ptr, WS_ERROR *error )
{
    HRESULT hr;

    if (size > (SIZE_T)~0 >> 1)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "URL of %llu bytes is too large", (unsigned long long)size );
    if ((hr = WsAlloc( heap, size, ptr, error )) != S_OK)
        return ws_error_set( error, hr, "cannot allocate %llu bytes for the URL", (unsigned long long)size );
    return S_OK;
}

static void set_string( WS_STRING *str, WCHAR *chars, ULONG len )
{
    str->chars = len ? chars : NULL;
    str->length = len;
}

/* Copies and percent-decodes one valid component into *POS, advancing it. */
static void store_decoded( const struct url_range *range, WCHAR **pos, WS_STRING *str )
{
    ULONG len;

    memmove( *pos, range->str, range->len * sizeof(WCHAR) );
    len = percent_decode( *pos, range->len );
    set_string( str, *pos, len );
    *pos += len;
}

static void store_path( const struct url_range *range, ULONG flags, WCHAR **pos, WS_STRING *str )
{
    struct url_range collapsed = *range;

    if (!(flags & WS_URL_FLAGS_NO_PATH_COLLAPSE))
    {
        /* Collapse the escaped form, so that an escaped '/' never makes a segment. */
        collapsed.len = remove_dot_segments( range->str, range->len, *pos );
        collapsed.str = *pos;
    }
    store_decoded( &collapsed, pos, str );
}

static HRESULT build_decoded_url( const struct parsed_url *url, ULONG flags, WS_HEAP *heap, WS_URL **ret,
                                  WS_ERROR *error )
{
    const struct url_parts *parts = &url->parts;
    const struct authority *auth = &url->auth;
    ULONGLONG chars = (ULONGLONG)auth->host.len + auth->port.len + parts->path.len + parts->query.len +
                      parts->fragment.len;
    WS_HTTP_URL *result;
    WCHAR *pos;
    HRESULT hr;

    if ((hr = alloc_result( heap, sizeof(*result) + chars * sizeof(WCHAR), (void **)&result, error )) != S_OK)
        return hr;
    memset( result, 0, sizeof(*result) );
    result->url.scheme = url->scheme->type;
    pos = (WCHAR *)(result + 1);

    if (auth->is_ip_literal)
    {
        /* The documentation returns every character demarcated by the brackets, escapes included. */
        memcpy( pos, auth->host.str, auth->host.len * sizeof(WCHAR) );
        set_string( &result->host, pos, auth->host.len );
        pos += auth->host.len;
    }
    else store_decoded( &auth->host, &pos, &result->host );

    if (auth->port.len)
    {
        memcpy( pos, auth->port.str, auth->port.len * sizeof(WCHAR) );
        set_string( &result->portAsString, pos, auth->port.len );
        pos += auth->port.len;
        result->port = auth->port_value;
    }
    else result->port = url->scheme->default_port;

    store_path( &parts->path, flags, &pos, &result->path );
    store_decoded( &parts->query, &pos, &result->query );
    store_decoded( &parts->fragment, &pos, &result->fragment );

    *ret = &result->url;
    return S_OK;
}

static HRESULT check_string_arg( const WS_STRING *str, const char *name, WS_ERROR *error )
{
    if (!str) return ws_error_set( error, E_INVALIDARG, "%s is NULL", name );
    if (str->length && !str->chars)
        return ws_error_set( error, E_INVALIDARG, "%s has length %lu but no characters", name, str->length );
    return S_OK;
}

static HRESULT check_flags( ULONG flags, WS_ERROR *error )
{
    if (flags & ~URL_KNOWN_FLAGS) return ws_error_set( error, E_INVALIDARG, "unknown flags %#lx", flags );
    return S_OK;
}

/**************************************************************************
 *          WsDecodeUrl		[webservices.@]
 */
HRESULT WINAPI WsDecodeUrl( const WS_STRING *url, ULONG flags, WS_HEAP *heap, WS_URL **outUrl, WS_ERROR *error )
{
    struct parsed_url parsed;
    HRESULT hr;

    TRACE( "%s %#lx %p %p %p\n", url && url->chars ? debugstr_wn( url->chars, url->length ) : "(null)",
           flags, heap, outUrl, error );

    if ((hr = check_string_arg( url, "url", error )) != S_OK) return hr;
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    if (!outUrl) return ws_error_set( error, E_INVALIDARG, "outUrl is NULL" );
    if ((hr = check_flags( flags, error )) != S_OK) return hr;

    if ((hr = parse_absolute_url( url->chars, url->length, flags, &parsed, error )) != S_OK) return hr;
    return build_decoded_url( &parsed, flags, heap, outUrl, error );
}

/* ---- percent-encoding ---------------------------------------------------- */

struct writer
{
    WCHAR *buf;         /* NULL while measuring */
    ULONGLONG len;
};

static void write_char( struct writer *w, WCHAR c )
{
    if (w->buf) w->buf[w->len] = c;
    w->len++;
}

static void write_ascii( struct writer *w, const char *str )
{
    while (*str) write_char( w, (BYTE)*str++ );
}

static void write_chars( struct writer *w, const WCHAR *str, ULONG len )
{
    if (w->buf) memcpy( w->buf + w->len, str, len * sizeof(WCHAR) );
    w->len += len;
}

static void write_decimal( struct writer *w, USHORT value )
{
    if (value >= 10) write_decimal( w, value / 10 );
    write_char( w, '0' + value % 10 );
}

static void write_escaped_byte( struct writer *w, BYTE b )
{
    static const char hex[] = "0123456789ABCDEF";
    write_char( w, '%' );
    write_char( w, hex[b >> 4] );
    write_char( w, hex[b & 0xf] );
}

static void write_code_point_utf8( struct writer *w, unsigned int cp )
{
    if (cp < 0x800)
    {
        write_escaped_byte( w, 0xc0 | (cp >> 6) );
    }
    else if (cp < 0x10000)
    {
        write_escaped_byte( w, 0xe0 | (cp >> 12) );
        write_escaped_byte( w, 0x80 | ((cp >> 6) & 0x3f) );
    }
    else
    {
        write_escaped_byte( w, 0xf0 | (cp >> 18) );
        write_escaped_byte( w, 0x80 | ((cp >> 12) & 0x3f) );
        write_escaped_byte( w, 0x80 | ((cp >> 6) & 0x3f) );
    }
    write_escaped_byte( w, 0x80 | (cp & 0x3f) );
}

/* Writes STR with every character outside ALLOWED escaped as UTF-8 %XX. */
static HRESULT write_escaped( struct writer *w, const WCHAR *str, ULONG len, BOOL (*allowed)(WCHAR),
                              const char *what, WS_ERROR *error )
{
    ULONG i;
    unsigned int cp;

    for (i = 0; i < len; i++)
    {
        cp = str[i];
        if (cp < 0x80 && allowed( cp )) { write_char( w, cp ); continue; }
        if (cp < 0x80) { write_escaped_byte( w, cp ); continue; }
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < len && str[i + 1] >= 0xdc00 && str[i + 1] <= 0xdfff)
        {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (str[++i] - 0xdc00);
        }
        else if (cp >= 0xd800 && cp <= 0xdfff)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "%s has an unpaired surrogate %#x", what, cp );
        write_code_point_utf8( w, cp );
    }
    return S_OK;
}

/* ---- WsEncodeUrl --------------------------------------------------------- */

static HRESULT check_url_strings( const WS_HTTP_URL *url, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = check_string_arg( &url->host, "url->host", error )) != S_OK) return hr;
    if ((hr = check_string_arg( &url->portAsString, "url->portAsString", error )) != S_OK) return hr;
    if ((hr = check_string_arg( &url->path, "url->path", error )) != S_OK) return hr;
    if ((hr = check_string_arg( &url->query, "url->query", error )) != S_OK) return hr;
    return check_string_arg( &url->fragment, "url->fragment", error );
}

/* The port to write, if any.  portAsString, when given, is the port, and
 * port, when not 0, must agree with it; without it a port of 0 means "no
 * port", so that a zeroed structure encodes without one.  The scheme's default
 * port is never written. */
static HRESULT get_encode_port( const WS_HTTP_URL *url, const struct scheme_info *scheme, BOOL *write,
                                USHORT *port, WS_ERROR *error )
{
    HRESULT hr;

    if (!url->portAsString.length)
    {
        *port = url->port;
        *write = url->port && url->port != scheme->default_port;
        return S_OK;
    }
    if ((hr = parse_port( url->portAsString.chars, url->portAsString.length, port, error )) != S_OK) return hr;
    if (url->port && url->port != *port)
        return ws_error_set( error, E_INVALIDARG, "port %u and portAsString %s disagree", url->port,
                             debugstr_wn( url->portAsString.chars, url->portAsString.length ) );
    *write = *port != scheme->default_port;
    return S_OK;
}

static HRESULT write_host( struct writer *w, const WS_STRING *host, WS_ERROR *error )
{
    ULONG len;

    if (!host->length) return ws_error_set( error, WS_E_INVALID_FORMAT, "the host name is empty" );
    if (host->chars[0] == '[')
    {
        /* An IP literal, as WsDecodeUrl returns it: brackets included, written as is. */
        if (parse_ip_literal( host->chars, host->length, &len, error ) != S_OK || len != host->length)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid IP literal host %s",
                                 debugstr_wn( host->chars, host->length ) );
        write_chars( w, host->chars, host->length );
        return S_OK;
    }
    return write_escaped( w, host->chars, host->length, is_host_char, "host", error );
}

static HRESULT write_url( struct writer *w, const WS_HTTP_URL *url, const struct scheme_info *scheme,
                          BOOL write_port, USHORT port, WS_ERROR *error )
{
    HRESULT hr;

    write_chars( w, scheme->name, scheme->len );
    write_ascii( w, "://" );
    if ((hr = write_host( w, &url->host, error )) != S_OK) return hr;
    if (write_port)
    {
        write_char( w, ':' );
        write_decimal( w, port );
    }
    if ((hr = write_escaped( w, url->path.chars, url->path.length, is_path_char, "path", error )) != S_OK) return hr;
    if (url->query.length)
    {
        write_char( w, '?' );
        if ((hr = write_escaped( w, url->query.chars, url->query.length, is_query_char, "query", error )) != S_OK)
            return hr;
    }
    if (url->fragment.length)
    {
        write_char( w, '#' );
        if ((hr = write_escaped( w, url->fragment.chars, url->fragment.length, is_query_char, "fragment",
                                 error )) != S_OK)
            return hr;
    }
    return S_OK;
}

/* Allocates a result string of LEN characters, plus the terminator WS_URL_FLAGS_ZERO_TERMINATE asks for. */
static HRESULT alloc_string( ULONGLONG len, ULONG flags, WS_HEAP *heap, WCHAR **buf, WS_ERROR *error )
{
    ULONGLONG total = len + ((flags & WS_URL_FLAGS_ZERO_TERMINATE) ? 1 : 0);

    if (total > 0xffffffff)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "URL of %llu characters is too long", (unsigned long long)total );
    return alloc_result( heap, total * sizeof(WCHAR), (void **)buf, error );
}

/* LEN characters were written to BUF; its allocation has room for the terminator. */
static void finish_string( WCHAR *buf, ULONG len, ULONG flags, WS_STRING *ret )
{
    if (flags & WS_URL_FLAGS_ZERO_TERMINATE) buf[len++] = 0;
    ret->chars = buf;
    ret->length = len;
}

/**************************************************************************
 *          WsEncodeUrl		[webservices.@]
 */
HRESULT WINAPI WsEncodeUrl( const WS_URL *url, ULONG flags, WS_HEAP *heap, WS_STRING *outUrl, WS_ERROR *error )
{
    const WS_HTTP_URL *http = (const WS_HTTP_URL *)url;
    const struct scheme_info *scheme;
    struct writer w = { NULL, 0 };
    WCHAR *buf;
    BOOL write_port = FALSE;
    USHORT port = 0;
    HRESULT hr;

    TRACE( "%p %#lx %p %p %p\n", url, flags, heap, outUrl, error );

    if (!url) return ws_error_set( error, E_INVALIDARG, "url is NULL" );
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    if (!outUrl) return ws_error_set( error, E_INVALIDARG, "outUrl is NULL" );
    if ((hr = check_flags( flags, error )) != S_OK) return hr;
    if (!(scheme = find_scheme_by_type( url->scheme )))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "unsupported scheme type %d", url->scheme );
    if ((hr = check_url_strings( http, error )) != S_OK) return hr;
    if (http->path.length && http->path.chars[0] != '/')
        return ws_error_set( error, WS_E_INVALID_FORMAT, "path %s does not start with '/'",
                             debugstr_wn( http->path.chars, http->path.length ) );
    if ((hr = get_encode_port( http, scheme, &write_port, &port, error )) != S_OK) return hr;

    /* Measure, then write straight into the result. */
    if ((hr = write_url( &w, http, scheme, write_port, port, error )) != S_OK) return hr;
    if ((hr = alloc_string( w.len, flags, heap, &buf, error )) != S_OK) return hr;
    w.buf = buf;
    w.len = 0;
    write_url( &w, http, scheme, write_port, port, error );
    finish_string( buf, w.len, flags, outUrl );
    return S_OK;
}

/* ---- WsCombineUrl (RFC 3986 section 5.2) --------------------------------- */

/* The target URL as pieces of the base and the reference; the path is
 * PATH_DIR followed by PATH (PATH_DIR is empty unless the paths merge). */
struct combined_url
{
    struct url_range scheme, authority, path_dir, path, query, fragment;
    BOOL collapse;
};

/* RFC 3986 section 5.2.3: the base path up to its last '/', or "/" for an empty path under an authority. */
static void merge_paths( const struct url_parts *base, const struct url_parts *ref, struct combined_url *target )
{
    static const WCHAR slash[] = L"/";
    ULONG len = base->path.len;

    while (len && base->path.str[len - 1] != '/') len--;
    if (len) set_range( &target->path_dir, base->path.str, len );
    else set_range( &target->path_dir, slash, 1 );
    target->path = ref->path;
}

/* RFC 3986 section 5.2.2, with the reference already validated. */
static void resolve_reference( const struct url_parts *base, const struct url_parts *ref, ULONG flags,
                               struct combined_url *target )
{
    memset( target, 0, sizeof(*target) );
    target->collapse = !(flags & WS_URL_FLAGS_NO_PATH_COLLAPSE);
    target->scheme = ref->scheme.present ? ref->scheme : base->scheme;
    target->fragment = ref->fragment;

    if (ref->scheme.present || ref->authority.present)
    {
        target->authority = ref->authority;
        target->path = ref->path;
        target->query = ref->query;
        return;
    }
    target->authority = base->authority;
    if (!ref->path.len)
    {
        /* the base path is used as it is: only a path taken from the reference is collapsed */
        target->path = base->path;
        target->query = ref->query.present ? ref->query : base->query;
        target->collapse = FALSE;
        return;
    }
    target->query = ref->query;
    if (ref->path.str[0] == '/') target->path = ref->path;
    else merge_paths( base, ref, target );
}

static HRESULT validate_reference( const struct url_parts *ref, ULONG flags, WS_ERROR *error )
{
    const struct scheme_info *scheme;
    struct authority auth;
    HRESULT hr;

    if (ref->scheme.present && (hr = lookup_scheme( &ref->scheme, &scheme, error )) != S_OK) return hr;
    if (ref->scheme.present || ref->authority.present) return parse_hierarchical_part( ref, flags, &auth, error );
    return validate_path_query_fragment( ref, error );
}

static void write_range( struct writer *w, const struct url_range *range )
{
    write_chars( w, range->str, range->len );
}

/* Writes the target URL into the allocated W; the path is collapsed in place. */
static void write_combined( struct writer *w, const struct combined_url *target )
{
    ULONGLONG path_start;

    write_range( w, &target->scheme );
    write_ascii( w, "://" );
    write_range( w, &target->authority );
    path_start = w->len;
    write_range( w, &target->path_dir );
    write_range( w, &target->path );
    if (target->collapse)
        w->len = path_start + remove_dot_segments( w->buf + path_start, w->len - path_start, w->buf + path_start );
    if (target->query.present)
    {
        write_char( w, '?' );
        write_range( w, &target->query );
    }
    if (target->fragment.present)
    {
        write_char( w, '#' );
        write_range( w, &target->fragment );
    }
}

static ULONGLONG combined_length_bound( const struct combined_url *target )
{
    return (ULONGLONG)target->scheme.len + 3 + target->authority.len + target->path_dir.len + target->path.len +
           1 + target->query.len + 1 + target->fragment.len;
}

/**************************************************************************
 *          WsCombineUrl		[webservices.@]
 */
HRESULT WINAPI WsCombineUrl( const WS_STRING *baseUrl, const WS_STRING *referenceUrl, ULONG flags, WS_HEAP *heap,
                             WS_STRING *resultUrl, WS_ERROR *error )
{
    struct parsed_url base;
    struct url_parts ref;
    struct combined_url target;
    struct writer w;
    WCHAR *buf;
    HRESULT hr;

    TRACE( "%s %s %#lx %p %p %p\n",
           baseUrl && baseUrl->chars ? debugstr_wn( baseUrl->chars, baseUrl->length ) : "(null)",
           referenceUrl && referenceUrl->chars ? debugstr_wn( referenceUrl->chars, referenceUrl->length ) : "(null)",
           flags, heap, resultUrl, error );

    if ((hr = check_string_arg( baseUrl, "baseUrl", error )) != S_OK) return hr;
    if ((hr = check_string_arg( referenceUrl, "referenceUrl", error )) != S_OK) return hr;
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    if (!resultUrl) return ws_error_set( error, E_INVALIDARG, "resultUrl is NULL" );
    if ((hr = check_flags( flags, error )) != S_OK) return hr;

    if ((hr = parse_absolute_url( baseUrl->chars, baseUrl->length, flags, &base, error )) != S_OK) return hr;
    split_reference( referenceUrl->chars, referenceUrl->length, &ref );
    if ((hr = validate_reference( &ref, flags, error )) != S_OK) return hr;

    resolve_reference( &base.parts, &ref, flags, &target );
    /* The collapsed path is never longer than the merged one: allocate for that. */
    if ((hr = alloc_string( combined_length_bound( &target ), flags, heap, &buf, error )) != S_OK) return hr;
    w.buf = buf;
    w.len = 0;
    write_combined( &w, &target );
    finish_string( buf, w.len, flags, resultUrl );
    return S_OK;
}
