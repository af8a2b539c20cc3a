/*
 * MTOM encoding (XOP in MIME multipart/related) for readers and writers
 *
 * Only the MIME envelope lives here: splitting a multipart/related message
 * into its parts (RFC 2045/2046/2387) for the reader, and producing the
 * envelope around the root part and the binary parts for the writer.  The
 * root part itself is XML text: reader.c parses it with its text tokenizer
 * and replaces each xop:Include element with a base64 text node holding the
 * referenced part (W3C XOP 1.0); writer.c serializes it with its text sink
 * and moves large base64 content into parts.
 *
 * Envelope written (CRLF line ends; the header only with writeMimeHeader,
 * the start and start-info parameters only when given):
 *
 *   MIME-Version: 1.0
 *   Content-Type: multipart/related; type="application/xop+xml"; boundary="B";
 *    start="<U>"; start-info="I"                   (one line)
 *
 *   --B
 *   Content-ID: <U>
 *   Content-Transfer-Encoding: 8bit
 *   Content-Type: application/xop+xml; charset=utf-8; type="I"
 *
 *   ...root part...
 *   --B
 *   Content-ID: <partN@webservices>
 *   Content-Transfer-Encoding: binary
 *   Content-Type: application/octet-stream
 *
 *   ...bytes...
 *   --B--
 */

#include <stdio.h>
#include <string.h>
#include "webservices_private.h"

static const char xop_mime_type[] = "application/xop+xml";

/* ---- small helpers ------------------------------------------------------------ */

static inline BYTE lower( BYTE c )
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static BOOL ieq( const BYTE *a, ULONG len, const char *b )
{
    ULONG i;

    if (strlen( b ) != len) return FALSE;
    for (i = 0; i < len; i++) if (lower( a[i] ) != lower( (BYTE)b[i] )) return FALSE;
    return TRUE;
}

/* The first occurrence of WHAT (LEN bytes, LEN > 0) in [P, END); shared with reader.c. */
const BYTE *ws_find_bytes( const BYTE *p, const BYTE *end, const void *what, ULONG len )
{
    const BYTE *seq = what;

    while ((ULONG)(end - p) >= len)
    {
        const BYTE *hit = memchr( p, seq[0], end - p - len + 1 );
        if (!hit) return NULL;
        if (!memcmp( hit, seq, len )) return hit;
        p = hit + 1;
    }
    return NULL;
}

/* RFC 2046 bchars: 1 to 70 of them, not ending with a space. */
static BOOL is_valid_boundary( const BYTE *b, ULONG len )
{
    static const char other[] = "'()+_,-./:=? ";
    ULONG i;

    if (!len || len > 70 || b[len - 1] == ' ') return FALSE;
    for (i = 0; i < len; i++)
    {
        BYTE c = b[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
        if (!c || !strchr( other, c )) return FALSE;
    }
    return TRUE;
}

/* WS_STRING (UTF-16) to UTF-8 in OUT, appended. */
static HRESULT string_to_utf8( const WS_STRING *str, struct ws_buf *out, const char *name, WS_ERROR *error )
{
    int len;

    if (!str->length) return S_OK;
    if (!str->chars) return ws_error_set( error, E_INVALIDARG, "%s has no characters", name );
    if ((len = ws_utf16_to_utf8( str->chars, str->length, NULL, 0 )) < 0)
        return ws_error_set( error, E_INVALIDARG, "%s is not valid UTF-16", name );
    if (!ws_buf_reserve( out, len )) return ws_error_set( error, E_OUTOFMEMORY, "out of memory for %s", name );
    ws_utf16_to_utf8( str->chars, str->length, out->data + out->len, len );
    out->len += len;
    return S_OK;
}

/* ---- MIME header fields (RFC 2045, RFC 822 folding) ------------------------------- */

struct mime_field
{
    const BYTE *name, *value;
    ULONG name_len, value_len;
};

/* The next header field of the block at *P; S_FALSE at the empty line that ends the block
 * (*P then points past it). */
static HRESULT next_field( const BYTE **p, const BYTE *end, struct mime_field *field, WS_ERROR *error )
{
    const BYTE *s = *p, *colon, *eol;

    if (end - s >= 2 && s[0] == '\r' && s[1] == '\n')
    {
        *p = s + 2;
        return S_FALSE;
    }
    for (colon = s; colon < end && *colon != ':' && *colon != '\r' && *colon != '\n'; colon++)
        if (*colon <= ' ' || *colon >= 0x7f)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid character 0x%02x in a MIME header name",
                                 *colon );
    if (colon >= end || *colon != ':' || colon == s)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "malformed or truncated MIME header" );
    /* the value runs to a CRLF not followed by folding white space */
    for (eol = colon + 1;; eol += 2)
    {
        eol = ws_find_bytes( eol, end, (const BYTE *)"\r\n", 2 );
        if (!eol) return ws_error_set( error, WS_E_INVALID_FORMAT, "truncated MIME header" );
        if (eol + 2 >= end || (eol[2] != ' ' && eol[2] != '\t')) break;
    }
    field->name = s;
    field->name_len = colon - s;
    field->value = colon + 1;
    field->value_len = eol - (colon + 1);
    *p = eol + 2;
    return S_OK;
}

static inline BOOL is_lws( BYTE c )
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const BYTE *skip_lws( const BYTE *p, const BYTE *end )
{
    while (p < end && is_lws( *p )) p++;
    return p;
}

/* RFC 2045 tspecials end a token. */
static inline BOOL is_token_char( BYTE c )
{
    return c > ' ' && c < 0x7f && !strchr( "()<>@,;:\\\"/[]?=", c );
}

/* A token or a quoted string (without escapes: none of the values used here needs one). */
static BOOL scan_value( const BYTE **p, const BYTE *end, const BYTE **value, ULONG *len )
{
    const BYTE *s = *p;

    if (s < end && *s == '"')
    {
        const BYTE *q = memchr( s + 1, '"', end - s - 1 );
        if (!q || memchr( s + 1, '\\', q - s - 1 )) return FALSE;
        *value = s + 1;
        *len = q - s - 1;
        *p = q + 1;
        return TRUE;
    }
    while (s < end && is_token_char( *s )) s++;
    if (s == *p) return FALSE;
    *value = *p;
    *len = s - *p;
    *p = s;
    return TRUE;
}

/* A Content-Type value: type/subtype, then the parameters in PARAMS. */
struct content_type
{
    const BYTE *type;
    ULONG type_len;
    const BYTE *boundary, *start, *start_info, *xop_type, *charset;
    ULONG boundary_len, start_len, start_info_len, xop_type_len, charset_len;
    BOOL has_boundary, has_start, has_start_info, has_xop_type, has_charset;
};

static HRESULT parse_content_type( const BYTE *p, ULONG len, struct content_type *ct, WS_ERROR *error )
{
    const BYTE *end = p + len, *s;

    memset( ct, 0, sizeof(*ct) );
    p = skip_lws( p, end );
    for (s = p; s < end && (is_token_char( *s ) || *s == '/'); s++);
    if (s == p || !memchr( p, '/', s - p ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "malformed MIME Content-Type" );
    ct->type = p;
    ct->type_len = s - p;
    p = s;
    for (;;)
    {
        const BYTE *name, *value;
        ULONG name_len, value_len;

        p = skip_lws( p, end );
        if (p >= end) return S_OK;
        if (*p++ != ';') return ws_error_set( error, WS_E_INVALID_FORMAT, "malformed MIME Content-Type parameters" );
        p = skip_lws( p, end );
        if (p >= end) return S_OK;   /* a trailing ';' is tolerated */
        for (name = p; p < end && is_token_char( *p ); p++);
        name_len = p - name;
        p = skip_lws( p, end );
        if (!name_len || p >= end || *p++ != '=')
            return ws_error_set( error, WS_E_INVALID_FORMAT, "malformed MIME Content-Type parameter" );
        p = skip_lws( p, end );
        if (!scan_value( &p, end, &value, &value_len ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "malformed MIME Content-Type parameter value" );
#define PARAM(str, field) \
        if (ieq( name, name_len, str )) { ct->field = value; ct->field##_len = value_len; ct->has_##field = TRUE; }
        PARAM( "boundary", boundary )
        else PARAM( "start", start )
        else PARAM( "start-info", start_info )
        else PARAM( "type", xop_type )
        else PARAM( "charset", charset )
#undef PARAM
    }
}

/* Content-ID (and the start parameter) without its angle brackets. */
static void strip_brackets( const BYTE **id, ULONG *len )
{
    const BYTE *p = *id, *end = p + *len;

    p = skip_lws( p, end );
    while (end > p && is_lws( end[-1] )) end--;
    if (end - p >= 2 && p[0] == '<' && end[-1] == '>') { p++; end--; }
    *id = p;
    *len = end - p;
}

static WS_CHARSET charset_from_name( const BYTE *name, ULONG len, BOOL *known )
{
    *known = TRUE;
    if (ieq( name, len, "utf-8" )) return WS_CHARSET_UTF8;
    if (ieq( name, len, "utf-16le" )) return WS_CHARSET_UTF16LE;
    if (ieq( name, len, "utf-16be" )) return WS_CHARSET_UTF16BE;
    if (ieq( name, len, "utf-16" )) return WS_CHARSET_AUTO;   /* the BOM decides */
    *known = FALSE;
    return WS_CHARSET_AUTO;
}

/* ---- reading ------------------------------------------------------------------------ */

static HRESULT ws_mime_check_reader_encoding( const WS_XML_READER_MTOM_ENCODING *encoding, WS_ERROR *error )
{
    const WS_XML_READER_ENCODING *text = encoding->textEncoding;

    if (!text) return ws_error_set( error, E_INVALIDARG, "the MTOM encoding has no textEncoding" );
    if (text->encodingType != WS_XML_READER_ENCODING_TYPE_TEXT)
        return ws_error_set( error, E_INVALIDARG, "the MTOM textEncoding must be a text encoding (type %d)",
                             text->encodingType );
    if (((const WS_XML_READER_TEXT_ENCODING *)text)->charSet > WS_CHARSET_UTF16BE)
        return ws_error_set( error, E_INVALIDARG, "unknown charset %d",
                             ((const WS_XML_READER_TEXT_ENCODING *)text)->charSet );
    if (encoding->readMimeHeader)
    {
        /* documented: these come from the MIME header then */
        if (encoding->boundary.length || encoding->startUri.length || encoding->startInfo.length)
            return ws_error_set( error, E_INVALIDARG, "boundary, startUri and startInfo must be empty when "
                                 "readMimeHeader is TRUE" );
        return S_OK;
    }
    if (!encoding->boundary.length)
        return ws_error_set( error, E_INVALIDARG, "the MTOM encoding has no boundary (and readMimeHeader is FALSE)" );
    if (!encoding->boundary.chars || (encoding->startUri.length && !encoding->startUri.chars))
        return ws_error_set( error, E_INVALIDARG, "an MTOM encoding string has no characters" );
    return S_OK;
}

/* The header block of the whole message (readMimeHeader): boundary, start. */
static HRESULT read_message_header( const BYTE **p, const BYTE *end, struct ws_mime_message *msg,
                                    ULONG max_headers, WS_ERROR *error )
{
    const BYTE *start = *p;
    struct mime_field field;
    struct content_type ct;
    BOOL found = FALSE;
    HRESULT hr;

    while ((hr = next_field( p, end, &field, error )) == S_OK)
    {
        if (max_headers && (ULONG)(*p - start) > max_headers)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the MIME header is longer than %lu bytes", max_headers );
        if (!ieq( field.name, field.name_len, "content-type" )) continue;
        if (FAILED(hr = parse_content_type( field.value, field.value_len, &ct, error ))) return hr;
        found = TRUE;
    }
    if (FAILED(hr)) return hr;
    if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "the MIME header has no Content-Type" );
    if (!ieq( ct.type, ct.type_len, "multipart/related" ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the MIME Content-Type is %s, not multipart/related",
                             debugstr_an( (const char *)ct.type, ct.type_len ) );
    if (ct.has_xop_type && !ieq( ct.xop_type, ct.xop_type_len, xop_mime_type ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the multipart/related type is %s, not %s",
                             debugstr_an( (const char *)ct.xop_type, ct.xop_type_len ), xop_mime_type );
    if (!ct.has_boundary || !is_valid_boundary( ct.boundary, ct.boundary_len ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the MIME header has no valid boundary" );
    msg->boundary = ct.boundary;
    msg->boundary_len = ct.boundary_len;
    if (ct.has_start)
    {
        msg->start = ct.start;
        msg->start_len = ct.start_len;
        strip_brackets( &msg->start, &msg->start_len );
    }
    return S_OK;
}

/* The header block of a part. */
static HRESULT read_part_header( const BYTE **p, const BYTE *end, struct ws_mime_part *part, ULONG max_headers,
                                 WS_ERROR *error )
{
    const BYTE *start = *p;
    struct mime_field field;
    HRESULT hr;

    part->charset = WS_CHARSET_AUTO;
    while ((hr = next_field( p, end, &field, error )) == S_OK)
    {
        if (max_headers && (ULONG)(*p - start) > max_headers)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "a MIME part header is longer than %lu bytes",
                                 max_headers );
        if (ieq( field.name, field.name_len, "content-id" ))
        {
            part->id = field.value;
            part->id_len = field.value_len;
            strip_brackets( &part->id, &part->id_len );
        }
        else if (ieq( field.name, field.name_len, "content-transfer-encoding" ))
        {
            const BYTE *v = field.value;
            ULONG len = field.value_len;
            strip_brackets( &v, &len );
            /* XOP parts are raw octets; base64 and quoted-printable are not decoded */
            if (!ieq( v, len, "binary" ) && !ieq( v, len, "8bit" ) && !ieq( v, len, "7bit" ))
                return ws_error_set( error, WS_E_INVALID_FORMAT, "unsupported Content-Transfer-Encoding %s",
                                     debugstr_an( (const char *)v, len ) );
        }
        else if (ieq( field.name, field.name_len, "content-type" ))
        {
            struct content_type ct;
            if (FAILED(hr = parse_content_type( field.value, field.value_len, &ct, error ))) return hr;
            part->is_xop = ieq( ct.type, ct.type_len, xop_mime_type );
            if (ct.has_charset)
            {
                BOOL known;
                part->charset = charset_from_name( ct.charset, ct.charset_len, &known );
                if (!known) return ws_error_set( error, WS_E_INVALID_FORMAT, "unsupported charset %s",
                                                 debugstr_an( (const char *)ct.charset, ct.charset_len ) );
            }
            part->has_type = TRUE;
        }
    }
    return FAILED(hr) ? hr : S_OK;
}

static HRESULT add_part( struct ws_mime_message *msg, ULONG max_parts, struct ws_mime_part **part, WS_ERROR *error )
{
    if (msg->count >= max_parts)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the MTOM message has more than %lu MIME parts", max_parts );
    if (msg->count == msg->cap)
    {
        ULONG cap = msg->cap ? msg->cap * 2 : 4;
        struct ws_mime_part *parts = msg->parts ?
            HeapReAlloc( GetProcessHeap(), 0, msg->parts, cap * sizeof(*parts) ) :
            HeapAlloc( GetProcessHeap(), 0, cap * sizeof(*parts) );
        if (!parts) return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the MIME parts" );
        msg->parts = parts;
        msg->cap = cap;
    }
    *part = &msg->parts[msg->count++];
    memset( *part, 0, sizeof(**part) );
    return S_OK;
}

/* The parts between the delimiters "--B" (at the start or after CRLF) and the close delimiter "--B--". */
static HRESULT read_parts( const BYTE *p, const BYTE *end, struct ws_mime_message *msg, ULONG max_parts,
                           ULONG max_headers, WS_ERROR *error )
{
    struct ws_buf delim = { NULL, 0, 0 };
    const BYTE *hit;
    HRESULT hr = S_OK;

    if (!ws_buf_append( &delim, "\r\n--", 4 ) || !ws_buf_append( &delim, msg->boundary, msg->boundary_len ))
    {
        ws_buf_free( &delim );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the MIME boundary" );
    }
    /* the first delimiter may open the body; anything before it is the preamble */
    if ((ULONG)(end - p) >= delim.len - 2 && !memcmp( p, delim.data + 2, delim.len - 2 )) hit = p - 2;
    else hit = ws_find_bytes( p, end, delim.data, delim.len );
    if (!hit) hr = ws_error_set( error, WS_E_INVALID_FORMAT, "the MIME boundary does not occur in the message" );

    while (SUCCEEDED(hr))
    {
        struct ws_mime_part *part = NULL;

        p = hit + delim.len;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') break;   /* close delimiter: the epilogue is ignored */
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
        {
            hr = ws_error_set( error, WS_E_INVALID_FORMAT, "malformed or truncated MIME boundary line" );
            break;
        }
        p += 2;
        if (FAILED(hr = add_part( msg, max_parts, &part, error ))) break;
        if (FAILED(hr = read_part_header( &p, end, part, max_headers, error ))) break;
        if (!(hit = ws_find_bytes( p, end, delim.data, delim.len )))
        {
            hr = ws_error_set( error, WS_E_INVALID_FORMAT, "MIME part %lu is truncated (no closing boundary)",
                               msg->count - 1 );
            break;
        }
        part->body = p;
        part->body_len = hit - p;
    }
    ws_buf_free( &delim );
    return hr;
}

static HRESULT find_root( struct ws_mime_message *msg, WS_ERROR *error )
{
    ULONG i;

    if (!msg->count) return ws_error_set( error, WS_E_INVALID_FORMAT, "the MTOM message has no MIME part" );
    msg->root = 0;
    if (msg->start_len)
    {
        for (i = 0; i < msg->count; i++)
            if (msg->parts[i].id_len == msg->start_len && !memcmp( msg->parts[i].id, msg->start, msg->start_len ))
                break;
        if (i == msg->count)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "no MIME part has the start Content-ID %s",
                                 debugstr_an( (const char *)msg->start, msg->start_len ) );
        msg->root = i;
    }
    if (msg->parts[msg->root].has_type && !msg->parts[msg->root].is_xop)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the root MIME part is not %s", xop_mime_type );
    return S_OK;
}

HRESULT ws_mime_init( struct ws_mime_message *msg, const WS_XML_READER_MTOM_ENCODING *encoding, WS_ERROR *error )
{
    ULONG start_off;
    HRESULT hr;

    ws_mime_free( msg );
    if (FAILED(hr = ws_mime_check_reader_encoding( encoding, error ))) return hr;
    msg->read_header = encoding->readMimeHeader;
    if (msg->read_header) return S_OK;
    if (FAILED(hr = string_to_utf8( &encoding->boundary, &msg->strings, "boundary", error ))) return hr;
    start_off = msg->strings.len;
    if (FAILED(hr = string_to_utf8( &encoding->startUri, &msg->strings, "startUri", error ))) return hr;
    if (!is_valid_boundary( msg->strings.data, start_off ))
        return ws_error_set( error, E_INVALIDARG, "the MTOM boundary is not a valid MIME boundary" );
    msg->strings_boundary_len = start_off;
    return S_OK;
}

HRESULT ws_mime_parse( struct ws_mime_message *msg, const BYTE *data, ULONG len, ULONG max_parts, ULONG max_headers,
                       WS_ERROR *error )
{
    const BYTE *p = data, *end = data + len;
    HRESULT hr;

    if (!data) p = end = (const BYTE *)"";
    msg->count = 0;
    msg->start = NULL;
    msg->start_len = 0;
    if (msg->read_header)
    {
        if (FAILED(hr = read_message_header( &p, end, msg, max_headers, error ))) return hr;
    }
    else
    {
        msg->boundary = msg->strings.data;
        msg->boundary_len = msg->strings_boundary_len;
        msg->start = msg->strings.data + msg->strings_boundary_len;
        msg->start_len = msg->strings.len - msg->strings_boundary_len;
        strip_brackets( &msg->start, &msg->start_len );
    }
    if (FAILED(hr = read_parts( p, end, msg, max_parts, max_headers, error ))) return hr;
    return find_root( msg, error );
}

static int hex_value( BYTE c )
{
    if (c >= '0' && c <= '9') return c - '0';
    c = lower( c );
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Does the cid: URL HREF name the Content-ID ID (RFC 2392: %hh escapes)? */
static BOOL cid_matches( const BYTE *href, ULONG len, const BYTE *id, ULONG id_len )
{
    ULONG i, n = 0;

    for (i = 0; i < len; i++, n++)
    {
        BYTE c = href[i];
        if (c == '%')
        {
            int hi, lo;
            if (i + 2 >= len) return FALSE;
            if ((hi = hex_value( href[i + 1] )) < 0 || (lo = hex_value( href[i + 2] )) < 0) return FALSE;
            c = (hi << 4) | lo;
            i += 2;
        }
        if (n >= id_len || id[n] != c) return FALSE;
    }
    return n == id_len;
}

const struct ws_mime_part *ws_mime_find_part( const struct ws_mime_message *msg, const BYTE *href, ULONG len )
{
    ULONG i;

    if (len < 4 || !ieq( href, 4, "cid:" )) return NULL;
    for (i = 0; i < msg->count; i++)
        if (i != msg->root && cid_matches( href + 4, len - 4, msg->parts[i].id, msg->parts[i].id_len ))
            return &msg->parts[i];
    return NULL;
}

void ws_mime_free( struct ws_mime_message *msg )
{
    HeapFree( GetProcessHeap(), 0, msg->parts );
    ws_buf_free( &msg->strings );
    memset( msg, 0, sizeof(*msg) );
}

/* ---- writing ------------------------------------------------------------------------ */

struct ws_mime_writer
{
    struct ws_buf boundary, start, start_info;
    WS_CHARSET charset;
    BOOL header;
    ULONG max_inline;
    struct ws_buf parts;      /* the finished parts after the root part, each with its delimiter */
    ULONG part_count;
    ULONG parts_bytes;        /* part contents, for WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE */
};

/* A value that can be written in a quoted MIME parameter: none of the characters of STOP. */
static BOOL is_header_value( const struct ws_buf *value, const char *stop )
{
    ULONG i;

    for (i = 0; i < value->len; i++)
        if (!value->data[i] || strchr( stop, value->data[i] )) return FALSE;
    return TRUE;
}

HRESULT ws_mime_writer_create( const WS_XML_WRITER_MTOM_ENCODING *encoding, struct ws_mime_writer **ret,
                               WS_ERROR *error )
{
    const WS_XML_WRITER_ENCODING *text = encoding->textEncoding;
    struct ws_mime_writer *mw;
    HRESULT hr;

    if (!text) return ws_error_set( error, E_INVALIDARG, "the MTOM encoding has no textEncoding" );
    if (text->encodingType != WS_XML_WRITER_ENCODING_TYPE_TEXT)
        return ws_error_set( error, E_INVALIDARG, "the MTOM textEncoding must be a text encoding (type %d)",
                             text->encodingType );
    if (((const WS_XML_WRITER_TEXT_ENCODING *)text)->charSet > WS_CHARSET_UTF16BE ||
        ((const WS_XML_WRITER_TEXT_ENCODING *)text)->charSet == WS_CHARSET_AUTO)
        return ws_error_set( error, E_INVALIDARG, "invalid MTOM text charset %d",
                             ((const WS_XML_WRITER_TEXT_ENCODING *)text)->charSet );
    if (!(mw = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*mw) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the MTOM writer" );
    mw->charset = ((const WS_XML_WRITER_TEXT_ENCODING *)text)->charSet;
    mw->header = encoding->writeMimeHeader;
    mw->max_inline = encoding->maxInlineByteCount;
    if (FAILED(hr = string_to_utf8( &encoding->boundary, &mw->boundary, "boundary", error )) ||
        FAILED(hr = string_to_utf8( &encoding->startUri, &mw->start, "startUri", error )) ||
        FAILED(hr = string_to_utf8( &encoding->startInfo, &mw->start_info, "startInfo", error )))
    {
        ws_mime_writer_free( mw );
        return hr;
    }
    if (!is_valid_boundary( mw->boundary.data, mw->boundary.len ) || !is_header_value( &mw->start, "<>\"\r\n" ) ||
        !is_header_value( &mw->start_info, "\"\r\n" ))
    {
        ws_mime_writer_free( mw );
        return ws_error_set( error, E_INVALIDARG, "the MTOM boundary, startUri or startInfo cannot be written in a "
                             "MIME header" );
    }
    *ret = mw;
    return S_OK;
}

void ws_mime_writer_free( struct ws_mime_writer *mw )
{
    if (!mw) return;
    ws_buf_free( &mw->boundary );
    ws_buf_free( &mw->start );
    ws_buf_free( &mw->start_info );
    ws_buf_free( &mw->parts );
    HeapFree( GetProcessHeap(), 0, mw );
}

ULONG ws_mime_writer_max_inline( const struct ws_mime_writer *mw )
{
    return mw->max_inline;
}

static BOOL put_str( struct ws_buf *out, const char *str )
{
    return ws_buf_append( out, str, strlen( str ) );
}

static BOOL put_buf( struct ws_buf *out, const struct ws_buf *buf )
{
    return ws_buf_append( out, buf->data, buf->len );
}

static BOOL put_delimiter( struct ws_mime_writer *mw, struct ws_buf *out, BOOL first )
{
    return put_str( out, first ? "--" : "\r\n--" ) && put_buf( out, &mw->boundary );
}

static const char *charset_name( WS_CHARSET charset )
{
    switch (charset)
    {
    case WS_CHARSET_UTF16LE: return "utf-16LE";
    case WS_CHARSET_UTF16BE: return "utf-16BE";
    default: return "utf-8";
    }
}

HRESULT ws_mime_writer_start( struct ws_mime_writer *mw, struct ws_buf *out, WS_ERROR *error )
{
    BOOL ok = TRUE;

    if (mw->header)
    {
        ok = put_str( out, "MIME-Version: 1.0\r\nContent-Type: multipart/related; type=\"" ) &&
             put_str( out, xop_mime_type ) && put_str( out, "\"; boundary=\"" ) && put_buf( out, &mw->boundary ) &&
             put_str( out, "\"" );
        if (ok && mw->start.len)
            ok = put_str( out, "; start=\"<" ) && put_buf( out, &mw->start ) && put_str( out, ">\"" );
        if (ok && mw->start_info.len)
            ok = put_str( out, "; start-info=\"" ) && put_buf( out, &mw->start_info ) && put_str( out, "\"" );
        ok = ok && put_str( out, "\r\n\r\n" );
    }
    ok = ok && put_delimiter( mw, out, TRUE ) && put_str( out, "\r\n" );
    if (ok && mw->start.len)
        ok = put_str( out, "Content-ID: <" ) && put_buf( out, &mw->start ) && put_str( out, ">\r\n" );
    ok = ok && put_str( out, "Content-Transfer-Encoding: 8bit\r\nContent-Type: " ) && put_str( out, xop_mime_type ) &&
         put_str( out, "; charset=" ) && put_str( out, charset_name( mw->charset ) );
    if (ok && mw->start_info.len)
        ok = put_str( out, "; type=\"" ) && put_buf( out, &mw->start_info ) && put_str( out, "\"" );
    ok = ok && put_str( out, "\r\n\r\n" );
    if (!ok) return ws_error_set( error, E_OUTOFMEMORY, "out of memory writing the MIME header" );
    return S_OK;
}

HRESULT ws_mime_writer_add_part( struct ws_mime_writer *mw, const BYTE *bytes, ULONG len, ULONG max_size,
                                 struct ws_buf *href, WS_ERROR *error )
{
    char id[32];
    BOOL ok;

    if (len > max_size || mw->parts_bytes > max_size - len)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the MIME parts would hold more than %lu bytes", max_size );
    sprintf( id, "part%lu@webservices", mw->part_count + 1 );
    ok = put_delimiter( mw, &mw->parts, FALSE ) && put_str( &mw->parts, "\r\nContent-ID: <" ) &&
         put_str( &mw->parts, id ) &&
         put_str( &mw->parts, ">\r\nContent-Transfer-Encoding: binary\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n" ) &&
         ws_buf_append( &mw->parts, bytes, len ) && put_str( href, "cid:" ) && put_str( href, id );
    if (!ok) return ws_error_set( error, E_OUTOFMEMORY, "out of memory for a MIME part of %lu bytes", len );
    mw->part_count++;
    mw->parts_bytes += len;
    return S_OK;
}

HRESULT ws_mime_writer_finish( struct ws_mime_writer *mw, struct ws_buf *out, WS_ERROR *error )
{
    if (!put_buf( out, &mw->parts ) || !put_delimiter( mw, out, FALSE ) || !put_str( out, "--\r\n" ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory finishing the MTOM message" );
    return S_OK;
}
