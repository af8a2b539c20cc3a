/*
 * WS_HTTP_CHANNEL_BINDING: request channels, reply channels and listeners
 *
 * The binding's primitives behind struct channel_ops / struct listener_ops,
 * over the HTTP layer of http.c (docs/transport.md, "HTTP binding"):
 *
 *   - a client channel (WS_CHANNEL_TYPE_REQUEST, WsCreateChannel) owns one
 *     ws_http_client for the endpoint it was opened with.  Writing a message
 *     buffers the envelope; WsWriteMessageEnd POSTs it and keeps the response,
 *     which the next WsReadMessageStart reads as the reply (an empty 2xx body,
 *     as after a one-way message, is WS_S_END).
 *   - a service channel (WS_CHANNEL_TYPE_REPLY, WsCreateChannelForListener)
 *     gets one HTTP request from WsAcceptChannel.  WsReadMessageStart reads it
 *     (then WS_S_END: the channel carries one request), WsWriteMessageEnd
 *     answers it (200, or 500 for a fault), and WsCloseChannel answers an
 *     unanswered request with 202 Accepted (one-way).  WsResetChannel makes
 *     the channel ready for the next WsAcceptChannel.
 *   - a listener owns one ws_http_server for the URL it was opened with.
 *   - WS_CHANNEL_PROPERTY_TRANSFER_MODE: streamed output writes through a
 *     stream writer (a service answers in chunks, a client collects its
 *     request), streamed input reads through a stream reader (a client's
 *     response body as it arrives, a service's request from memory); see
 *     docs/transport.md, "Streamed transfer modes".
 *
 * WsAbortChannel may come from any thread: a pending accept ends through the
 * channel's abort event, a pending send through ws_http_client_abort or
 * ws_http_request_abort.  The objects it touches are only freed under the
 * channel lock, as for the session bindings.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "webservices_private.h"

/* Request bodies the server reads before handing them to a channel (the
 * listener has no message size property; each channel then applies its own
 * WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE). */
#define SERVER_MAX_BODY (64 * 1024 * 1024)
#define SERVER_MAX_HEADERS 65536
#define SERVER_IDLE_TIMEOUT 120000
#define SERVER_SEND_TIMEOUT 30000

struct http_channel
{
    HANDLE abort_event;               /* manual-reset: set by WsAbortChannel, cleared by WsResetChannel */
    WS_XML_WRITER *writer;
    WS_XML_READER *reader;
    WS_HTTP_MESSAGE_MAPPING *mapping; /* WS_CHANNEL_PROPERTY_HTTP_MESSAGE_MAPPING (one allocation), or NULL */
    ULONG mapping_size;
    WCHAR mtom_boundary[64];          /* MIME boundary of the MTOM messages this channel writes */
    /* client */
    struct ws_http_client *client;
    WCHAR *url;                       /* endpoint URL */
    ULONG url_len;
    struct ws_http_response response; /* the last response; its body may be under the reader */
    BOOL response_ready;              /* sent, and the reply not read yet */
    /* service */
    struct ws_http_request *request;  /* the accepted request */
    BOOL request_read;
    BOOL responded;
    WCHAR *transport_url;
    ULONG transport_url_len;
    /* streamed transfer modes (docs/transport.md, "Streamed transfer modes") */
    struct ws_http_client_call *call; /* client: the request whose body is sent or response read in pieces */
    WS_MESSAGE *out_message;          /* the streamed message being written */
    BOOL out_started;                 /* its HTTP head was sent */
    unsigned __int64 out_bytes;       /* bytes of it written */
    struct ws_buf out_buf;            /* client: its body, sent at WsWriteMessageEnd (see docs/transport.md) */
    WS_MESSAGE *in_message;           /* the streamed message being read */
    unsigned __int64 in_bytes;        /* bytes of it delivered to the reader */
    ULONG in_limit;                   /* while reading its start: MAX_STREAMED_START_SIZE, else 0 */
    BOOL in_eof;                      /* its body ended */
    ULONG in_pos;                     /* service: bytes of the received body delivered */
};

static LONG boundary_counter;

/* the root part's Content-ID in the MTOM messages this binding writes */
static const WCHAR mtom_start_uri[] = L"http://tempuri.org/0";

static struct http_channel *get_state( struct ws_channel *channel )
{
    return channel->binding_state;
}

/* The binding state, made on first use (open, accept or a mapping property). */
static HRESULT create_state( struct ws_channel *channel, WS_ERROR *error )
{
    struct http_channel *state;
    HRESULT hr;

    if (channel->binding_state) return S_OK;
    if (!(state = calloc( 1, sizeof(*state) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (!(state->abort_event = CreateEventW( NULL, TRUE, FALSE, NULL )))
    {
        free( state );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    }
    swprintf( state->mtom_boundary, ARRAYSIZE(state->mtom_boundary), L"uuid:%08lx-%04lx-%08lx+id=1",
              GetCurrentProcessId(), (ULONG)InterlockedIncrement( &boundary_counter ) & 0xffff, GetTickCount() );
    if (FAILED(hr = WsCreateWriter( NULL, 0, &state->writer, error )) ||
        FAILED(hr = WsCreateReader( NULL, 0, &state->reader, error )))
    {
        WsFreeWriter( state->writer );
        CloseHandle( state->abort_event );
        free( state );
        return hr;
    }
    ws_object_lock( channel );
    channel->binding_state = state;
    ws_object_unlock( channel );
    return S_OK;
}

/* Drops what belongs to one open/accept: client, request, response, URLs. */
static void release_transport( struct ws_channel *channel )
{
    struct http_channel *state = get_state( channel );
    struct ws_http_client *client;
    struct ws_http_request *request;
    struct ws_http_client_call *call;

    if (!state) return;
    ws_object_lock( channel );
    client = state->client;
    request = state->request;
    call = state->call;
    state->client = NULL;
    state->request = NULL;
    state->call = NULL;
    ws_object_unlock( channel );
    ws_http_client_call_free( call );
    ws_http_client_free( client );
    ws_http_request_free( request );
    ws_http_response_free( &state->response );
    free( state->url );
    free( state->transport_url );
    state->url = state->transport_url = NULL;
    state->url_len = state->transport_url_len = 0;
    state->response_ready = state->request_read = state->responded = FALSE;
    state->out_message = state->in_message = NULL;
    state->out_started = FALSE;
    ws_buf_free( &state->out_buf );
}

static BOOL is_aborted( struct http_channel *state )
{
    return WaitForSingleObject( state->abort_event, 0 ) == WAIT_OBJECT_0;
}

/* ---------------------------------------------------------------------- */
/* Content types                                                           */
/* ---------------------------------------------------------------------- */

static BOOL buf_append_str( struct ws_buf *buf, const char *str )
{
    return ws_buf_append( buf, str, strlen( str ) );
}

/* The media type of the channel's encoding and envelope version. */
static BOOL is_mtom( const struct ws_channel *channel )
{
    return channel->props.encoding == WS_ENCODING_XML_MTOM_UTF8 || channel->props.encoding == WS_ENCODING_XML_MTOM_UTF16BE ||
           channel->props.encoding == WS_ENCODING_XML_MTOM_UTF16LE;
}

/* The media type of a SOAP envelope in text (MTOM's start-info too). */
static const char *soap_media_type( const struct ws_channel *channel )
{
    return channel->props.envelope_version == WS_ENVELOPE_VERSION_SOAP_1_2 ? "application/soap+xml" : "text/xml";
}

static const char *media_type( const struct ws_channel *channel )
{
    switch (channel->props.encoding)
    {
    case WS_ENCODING_XML_MTOM_UTF8:
    case WS_ENCODING_XML_MTOM_UTF16BE:
    case WS_ENCODING_XML_MTOM_UTF16LE:     return "multipart/related";
    case WS_ENCODING_XML_BINARY_1:         return "application/soap+msbin1";
    case WS_ENCODING_XML_UTF8:
    case WS_ENCODING_XML_UTF16BE:
    case WS_ENCODING_XML_UTF16LE:
        return soap_media_type( channel );
    default:
        return NULL;
    }
}

static const char *charset( const struct ws_channel *channel )
{
    switch (channel->props.encoding)
    {
    case WS_ENCODING_XML_UTF8:    return "utf-8";
    case WS_ENCODING_XML_UTF16BE: return "utf-16BE";
    case WS_ENCODING_XML_UTF16LE: return "utf-16LE";
    default:                      return NULL;
    }
}

/* The Content-Type of a message written by CHANNEL: SOAP 1.1 text/xml,
 * SOAP 1.2 application/soap+xml with the action as parameter (requests
 * only), the binary encodings application/soap+msbin1. */
static HRESULT build_content_type( const struct ws_channel *channel, const WS_XML_STRING *action, struct ws_buf *out,
                                   WS_ERROR *error )
{
    const char *media = media_type( channel ), *cs = charset( channel );
    BOOL ok;

    if (!media)
        return ws_error_set( error, WS_E_NOT_SUPPORTED, "channel encoding %d is not supported over HTTP yet",
                             channel->props.encoding );
    ok = buf_append_str( out, media );
    if (ok && cs) ok = buf_append_str( out, "; charset=" ) && buf_append_str( out, cs );
    if (ok && is_mtom( channel ))
    {
        /* the MIME header of the multipart message goes in HTTP (RFC 2387 parameters) */
        const WCHAR *boundary = ((const struct http_channel *)channel->binding_state)->mtom_boundary;
        char tmp[ARRAYSIZE(((struct http_channel *)0)->mtom_boundary) + ARRAYSIZE(mtom_start_uri)];
        int len;

        ok = buf_append_str( out, "; type=\"application/xop+xml\"; boundary=\"" );
        if (ok && (len = ws_utf16_to_utf8( boundary, wcslen( boundary ), (BYTE *)tmp, sizeof(tmp) )) > 0)
            ok = ws_buf_append( out, tmp, len );
        ok = ok && buf_append_str( out, "\"; start=\"<" );
        if (ok && (len = ws_utf16_to_utf8( mtom_start_uri, wcslen( mtom_start_uri ), (BYTE *)tmp, sizeof(tmp) )) > 0)
            ok = ws_buf_append( out, tmp, len );
        ok = ok && buf_append_str( out, ">\"; start-info=\"" ) && buf_append_str( out, soap_media_type( channel ) ) &&
             buf_append_str( out, "\"" );
        if (ok && action && channel->props.envelope_version == WS_ENVELOPE_VERSION_SOAP_1_2)
            ok = buf_append_str( out, "; action=\"" ) && ws_buf_append( out, action->bytes, action->length ) &&
                 buf_append_str( out, "\"" );
    }
    else if (ok && action && !strcmp( media, "application/soap+xml" ))
        ok = buf_append_str( out, "; action=\"" ) && ws_buf_append( out, action->bytes, action->length ) &&
             buf_append_str( out, "\"" );
    if (!ok) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    return S_OK;
}

static char lower( char c )
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static BOOL equal_nocase( const char *a, ULONG a_len, const char *b )
{
    ULONG i;
    if (strlen( b ) != a_len) return FALSE;
    for (i = 0; i < a_len; i++) if (lower( a[i] ) != lower( b[i] )) return FALSE;
    return TRUE;
}

static void trim( const char **str, ULONG *len )
{
    while (*len && (**str == ' ' || **str == '\t')) { (*str)++; (*len)--; }
    while (*len && ((*str)[*len - 1] == ' ' || (*str)[*len - 1] == '\t')) (*len)--;
}

/* The media type of a Content-Type value (before any parameter), trimmed. */
static void split_media_type( const char *value, ULONG len, const char **media, ULONG *media_len )
{
    const char *semi = memchr( value, ';', len );
    *media = value;
    *media_len = semi ? (ULONG)(semi - value) : len;
    trim( media, media_len );
}

/* The value of parameter NAME of a Content-Type value (quotes removed; no
 * escapes are expected in URIs), FALSE when absent. */
static BOOL find_parameter( const char *value, ULONG len, const char *name, const char **ret, ULONG *ret_len )
{
    const char *p = memchr( value, ';', len ), *end = value + len;

    while (p && p < end)
    {
        const char *param = p + 1, *eq, *next;
        ULONG name_len, val_len;

        for (next = param; next < end && *next != ';'; next++)
            if (*next == '"') { for (next++; next < end && *next != '"'; next++); if (next == end) break; }
        if (!(eq = memchr( param, '=', next - param ))) { p = next < end ? next : NULL; continue; }
        name_len = eq - param;
        trim( &param, &name_len );
        *ret = eq + 1;
        val_len = next - (eq + 1);
        trim( ret, &val_len );
        if (equal_nocase( param, name_len, name ))
        {
            if (val_len >= 2 && (*ret)[0] == '"' && (*ret)[val_len - 1] == '"') { (*ret)++; val_len -= 2; }
            *ret_len = val_len;
            return TRUE;
        }
        p = next < end ? next : NULL;
    }
    return FALSE;
}

/* Whether a received Content-Type fits the channel's encoding and envelope version. */
static BOOL content_type_matches( const struct ws_channel *channel, const struct ws_http_header *content_type )
{
    const char *expected = media_type( channel ), *media;
    ULONG media_len;

    if (!content_type || !expected) return FALSE;
    split_media_type( content_type->value, content_type->value_len, &media, &media_len );
    return equal_nocase( media, media_len, expected );
}

/* The action a request carries in HTTP: the SOAPAction header (SOAP 1.1,
 * quoted) or the action parameter of the content type (SOAP 1.2). */
static BOOL http_action( const struct ws_http_request_info *info, const char **action, ULONG *len )
{
    if (info->soap_action)
    {
        *action = info->soap_action->value;
        *len = info->soap_action->value_len;
        trim( action, len );
        if (*len >= 2 && (*action)[0] == '"' && (*action)[*len - 1] == '"') { (*action)++; *len -= 2; }
        return TRUE;
    }
    return info->content_type && find_parameter( info->content_type->value, info->content_type->value_len, "action",
                                                 action, len );
}

/* ---------------------------------------------------------------------- */
/* Mapped headers (WS_HTTP_MESSAGE_MAPPING)                                */
/* ---------------------------------------------------------------------- */

/* The mapping of the direction the channel receives (request for a service
 * channel, response for a client channel) or sends. */
static void get_mappings( const struct ws_channel *channel, BOOL receiving, WS_HTTP_HEADER_MAPPING ***mappings,
                          ULONG *count )
{
    const struct http_channel *state = channel->binding_state;
    BOOL request = channel->server ? receiving : !receiving;

    *mappings = NULL;
    *count = 0;
    if (!state || !state->mapping) return;
    *mappings = request ? state->mapping->requestHeaderMappings : state->mapping->responseHeaderMappings;
    *count = request ? state->mapping->requestHeaderMappingCount : state->mapping->responseHeaderMappingCount;
}

static BOOL name_equal( const WS_XML_STRING *name, const char *str, ULONG len )
{
    ULONG i;
    if (name->length != len) return FALSE;
    for (i = 0; i < len; i++) if (lower( name->bytes[i] ) != lower( str[i] )) return FALSE;
    return TRUE;
}

static HRESULT add_mapped_value( WS_MESSAGE *message, const WS_XML_STRING *name, const char *value, ULONG len,
                                 ULONG options, WS_ERROR *error )
{
    WS_XML_STRING str;

    trim( &value, &len );
    if ((options & WS_HTTP_HEADER_MAPPING_QUOTED_VALUE) && len >= 2 && value[0] == '"' && value[len - 1] == '"')
    {
        value++;
        len -= 2;
    }
    memset( &str, 0, sizeof(str) );
    str.bytes = (BYTE *)value;
    str.length = len;
    return WsAddMappedHeader( message, name, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE, &str, sizeof(str), error );
}

/* Received HTTP headers named in the mapping become mapped headers of
 * MESSAGE, one per header line, or per item with a separator option. */
static HRESULT map_received_headers( struct ws_channel *channel, WS_MESSAGE *message,
                                     const struct ws_http_header *headers, ULONG count, WS_ERROR *error )
{
    WS_HTTP_HEADER_MAPPING **mappings;
    ULONG i, j, n;
    HRESULT hr;

    get_mappings( channel, TRUE, &mappings, &n );
    for (i = 0; i < n; i++)
    {
        const WS_HTTP_HEADER_MAPPING *m = mappings[i];
        char sep = (m->headerMappingOptions & WS_HTTP_HEADER_MAPPING_COMMA_SEPARATOR) ? ',' :
                   (m->headerMappingOptions & WS_HTTP_HEADER_MAPPING_SEMICOLON_SEPARATOR) ? ';' : 0;

        for (j = 0; j < count; j++)
        {
            const char *p = headers[j].value, *end = p + headers[j].value_len, *item;

            if (!name_equal( &m->headerName, headers[j].name, headers[j].name_len )) continue;
            if (!sep)
            {
                if (FAILED(hr = add_mapped_value( message, &m->headerName, p, end - p, m->headerMappingOptions, error )))
                    return hr;
                continue;
            }
            while (p <= end)
            {
                for (item = p; p < end && *p != sep; p++);
                if (FAILED(hr = add_mapped_value( message, &m->headerName, item, p - item, m->headerMappingOptions,
                                                  error ))) return hr;
                p++;
            }
        }
    }
    return S_OK;
}

/* WS_HTTP_RESPONSE_MAPPING_OPTIONS: the status code and text of a response as
 * the mapped headers "StatusCode" and "StatusText". */
static HRESULT map_response_status( struct ws_channel *channel, WS_MESSAGE *message,
                                    const struct ws_http_response *response, WS_ERROR *error )
{
    static const WS_XML_STRING status_code = { 10, (BYTE *)"StatusCode", NULL, 0 };
    static const WS_XML_STRING status_text = { 10, (BYTE *)"StatusText", NULL, 0 };
    const struct http_channel *state = get_state( channel );
    ULONG options = state->mapping ? state->mapping->responseMappingOptions : 0;
    const char *line = (const char *)response->raw.data, *end, *text;
    char code[12];
    HRESULT hr;

    if (options & WS_HTTP_RESPONSE_MAPPING_STATUS_CODE &&
        FAILED(hr = add_mapped_value( message, &status_code, code, snprintf( code, sizeof(code), "%lu", response->status ),
                                      0, error ))) return hr;
    if (!(options & WS_HTTP_RESPONSE_MAPPING_STATUS_TEXT) || !line) return S_OK;
    /* the header block starts with the status line: HTTP/1.1 SP code SP reason-phrase */
    if (!(end = memchr( line, '\r', response->raw.len ))) end = line + response->raw.len;
    if (!(text = memchr( line, ' ', end - line )) || !(text = memchr( text + 1, ' ', end - text - 1 ))) text = end;
    else text++;
    return add_mapped_value( message, &status_text, text, end - text, 0, error );
}

struct header_out
{
    struct ws_http_header *items;
    ULONG count;
    struct ws_buf text;               /* values, joined; items point into it once complete */
    ULONG *offsets;                   /* name / value offsets into TEXT, 2 per item */
};

static void header_out_free( struct header_out *out )
{
    free( out->items );
    free( out->offsets );
    ws_buf_free( &out->text );
    memset( out, 0, sizeof(*out) );
}

/* The message's mapped headers that the mapping lists for the direction
 * CHANNEL sends, as HTTP headers; with a separator option the values of one
 * name are joined into one header line. */
static HRESULT build_mapped_headers( struct ws_channel *channel, WS_MESSAGE *message, struct header_out *out,
                                     WS_ERROR *error )
{
    ULONG total = ws_message_mapped_header_count( message ), i, j, n;
    WS_HTTP_HEADER_MAPPING **mappings;
    HRESULT hr;

    memset( out, 0, sizeof(*out) );
    get_mappings( channel, FALSE, &mappings, &n );
    if (!total || !n) return S_OK;
    if (!(out->items = calloc( total, sizeof(*out->items) )) || !(out->offsets = calloc( total * 4, sizeof(ULONG) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    for (i = 0; i < n; i++)
    {
        const WS_HTTP_HEADER_MAPPING *m = mappings[i];
        const char *sep = (m->headerMappingOptions & WS_HTTP_HEADER_MAPPING_COMMA_SEPARATOR) ? ", " :
                          (m->headerMappingOptions & WS_HTTP_HEADER_MAPPING_SEMICOLON_SEPARATOR) ? "; " : NULL;
        BOOL quoted = !!(m->headerMappingOptions & WS_HTTP_HEADER_MAPPING_QUOTED_VALUE);
        BOOL open_item = FALSE;

        for (j = 0; j < total; j++)
        {
            const WS_XML_STRING *name;
            WS_XML_STRING value;
            BOOL ok = TRUE;

            if (FAILED(hr = ws_message_get_mapped_header( message, j, &name, &value, error ))) return hr;
            if (!name_equal( name, (const char *)m->headerName.bytes, m->headerName.length )) continue;
            if (open_item && sep) ok = buf_append_str( &out->text, sep );
            else
            {
                out->offsets[out->count * 4] = out->text.len;
                ok = ws_buf_append( &out->text, m->headerName.bytes, m->headerName.length );
                out->offsets[out->count * 4 + 1] = m->headerName.length;
                out->offsets[out->count * 4 + 2] = out->text.len;
                out->count++;
                open_item = TRUE;
            }
            if (ok && quoted) ok = buf_append_str( &out->text, "\"" );
            if (ok) ok = ws_buf_append( &out->text, value.bytes, value.length );
            if (ok && quoted) ok = buf_append_str( &out->text, "\"" );
            if (!ok) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
            out->offsets[out->count * 4 - 1] = out->text.len - out->offsets[out->count * 4 - 2];
            if (!sep) open_item = FALSE;
        }
    }
    for (i = 0; i < out->count; i++)
    {
        out->items[i].name = (const char *)out->text.data + out->offsets[i * 4];
        out->items[i].name_len = out->offsets[i * 4 + 1];
        out->items[i].value = (const char *)out->text.data + out->offsets[i * 4 + 2];
        out->items[i].value_len = out->offsets[i * 4 + 3];
    }
    return S_OK;
}

/* Deep copy of a WS_HTTP_MESSAGE_MAPPING in one allocation. */
static HRESULT copy_mapping( const WS_HTTP_MESSAGE_MAPPING *src, WS_HTTP_MESSAGE_MAPPING **ret, ULONG *ret_size,
                             WS_ERROR *error )
{
    ULONG counts[2] = { src->requestHeaderMappingCount, src->responseHeaderMappingCount };
    WS_HTTP_HEADER_MAPPING **lists[2] = { src->requestHeaderMappings, src->responseHeaderMappings };
    WS_HTTP_HEADER_MAPPING **dst_lists[2];
    WS_HTTP_MESSAGE_MAPPING *copy;
    size_t size = sizeof(*copy);
    ULONG i, k;
    BYTE *p;

    for (k = 0; k < 2; k++)
    {
        if (counts[k] && !lists[k]) return ws_error_set( error, E_INVALIDARG, "a header mapping array is NULL" );
        for (i = 0; i < counts[k]; i++)
        {
            if (!lists[k][i]) return ws_error_set( error, E_INVALIDARG, "header mapping %lu is NULL", i );
            if (!lists[k][i]->headerName.length || !lists[k][i]->headerName.bytes)
                return ws_error_set( error, E_INVALIDARG, "header mapping %lu has no name", i );
            size += sizeof(void *) + sizeof(WS_HTTP_HEADER_MAPPING) + lists[k][i]->headerName.length;
        }
    }
    if (!(copy = calloc( 1, size ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    *copy = *src;
    p = (BYTE *)(copy + 1);
    for (k = 0; k < 2; k++)
    {
        dst_lists[k] = (WS_HTTP_HEADER_MAPPING **)p;
        p += counts[k] * sizeof(void *);
    }
    for (k = 0; k < 2; k++)
    {
        for (i = 0; i < counts[k]; i++)
        {
            WS_HTTP_HEADER_MAPPING *m = (WS_HTTP_HEADER_MAPPING *)p;
            p += sizeof(*m);
            *m = *lists[k][i];
            m->headerName.bytes = p;
            memcpy( p, lists[k][i]->headerName.bytes, m->headerName.length );
            m->headerName.dictionary = NULL;
            m->headerName.id = 0;
            p += m->headerName.length;
            dst_lists[k][i] = m;
        }
    }
    copy->requestHeaderMappings = counts[0] ? dst_lists[0] : NULL;
    copy->responseHeaderMappings = counts[1] ? dst_lists[1] : NULL;
    *ret = copy;
    *ret_size = size;
    return S_OK;
}

HRESULT ws_http_channel_set_mapping( struct ws_channel *channel, const void *value, ULONG size, WS_ERROR *error )
{
    WS_HTTP_MESSAGE_MAPPING *copy = NULL;
    struct http_channel *state;
    ULONG copy_size = 0;
    HRESULT hr;

    if (!value || size != sizeof(WS_HTTP_MESSAGE_MAPPING))
        return ws_error_set( error, E_INVALIDARG, "the HTTP message mapping needs a WS_HTTP_MESSAGE_MAPPING (size %lu)", size );
    if (FAILED(hr = copy_mapping( value, &copy, &copy_size, error ))) return hr;
    if (FAILED(hr = create_state( channel, error )))
    {
        free( copy );
        return hr;
    }
    state = get_state( channel );
    free( state->mapping );
    state->mapping = copy;
    state->mapping_size = copy_size;
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Channel                                                                 */
/* ---------------------------------------------------------------------- */

/* WS_ENCODING: the binary encoding "requires SOAP 1.2", the binary session
 * encoding a session channel; RAW is not implemented yet. */
static HRESULT check_encoding( const struct ws_channel *channel, WS_ERROR *error )
{
    if (channel->props.encoding == WS_ENCODING_XML_BINARY_1 &&
        channel->props.envelope_version != WS_ENVELOPE_VERSION_SOAP_1_2)
        return ws_error_set( error, WS_E_NOT_SUPPORTED, "the binary encoding needs SOAP 1.2" );
    if (channel->props.envelope_version == WS_ENVELOPE_VERSION_NONE)
        return ws_error_set( error, WS_E_NOT_SUPPORTED, "HTTP messages without an envelope are not implemented yet" );
    if (!media_type( channel ))
        return ws_error_set( error, WS_E_NOT_SUPPORTED, "channel encoding %d is not supported over HTTP",
                             channel->props.encoding );
    return S_OK;
}

static HRESULT channel_open( struct ws_channel *channel, const WS_ENDPOINT_ADDRESS *address,
                             const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct ws_http_client_settings settings;
    struct ws_http_client *client;
    struct http_channel *state;
    HRESULT hr;

    (void)ctx;
    if (!address->url.length || !address->url.chars)
        return ws_error_set( error, E_INVALIDARG, "the endpoint address has no URL" );
    if (FAILED(hr = check_encoding( channel, error ))) return hr;
    if (FAILED(hr = create_state( channel, error ))) return hr;
    state = get_state( channel );

    memset( &settings, 0, sizeof(settings) );
    settings.resolve_timeout = channel->props.resolve_timeout;
    settings.connect_timeout = channel->props.connect_timeout;
    settings.send_timeout = channel->props.send_timeout;
    settings.receive_response_timeout = channel->props.receive_response_timeout;
    settings.receive_timeout = channel->props.receive_timeout;
    settings.proxy_mode = channel->props.http_proxy_setting_mode;
    settings.cookie_mode = channel->props.cookie_mode;
    settings.allow_redirect = channel->props.enable_http_redirect;
    settings.max_response_size = channel->props.max_buffered_message_size;
    if (settings.proxy_mode == WS_HTTP_PROXY_SETTING_MODE_CUSTOM)
        return ws_error_set( error, E_NOTIMPL, "custom HTTP proxies are not implemented yet" );

    if (!(state->url = malloc( (address->url.length + 1) * sizeof(WCHAR) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    memcpy( state->url, address->url.chars, address->url.length * sizeof(WCHAR) );
    state->url[address->url.length] = 0;
    state->url_len = address->url.length;
    if (FAILED(hr = ws_http_client_create( state->url, state->url_len, &settings, &client, error )))
    {
        release_transport( channel );
        return hr;
    }
    ws_object_lock( channel );
    state->client = client;
    ws_object_unlock( channel );
    return S_OK;
}

/* A service channel's unanswered request is a one-way message: 202 Accepted. */
static HRESULT channel_close( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    HRESULT hr = S_OK;

    (void)ctx;
    if (state && state->request && !state->responded)
    {
        state->responded = TRUE;
        hr = ws_http_request_respond( state->request, 202, NULL, 0, NULL, 0, NULL, 0, channel->props.send_timeout,
                                      error );
    }
    release_transport( channel );
    return FAILED(hr) ? hr : S_OK;
}

static HRESULT channel_abort( struct ws_channel *channel, WS_ERROR *error )
{
    struct http_channel *state;

    (void)error;
    ws_object_lock( channel );
    /* WsAbortChannel leaves a created or closed channel alone */
    if ((state = channel->binding_state) && channel->obj.state != WS_CHANNEL_STATE_CREATED &&
        channel->obj.state != WS_CHANNEL_STATE_CLOSED)
    {
        SetEvent( state->abort_event );
        if (state->client) ws_http_client_abort( state->client );
        if (state->request) ws_http_request_abort( state->request );
    }
    ws_object_unlock( channel );
    return S_OK;
}

static HRESULT channel_reset( struct ws_channel *channel, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );

    (void)error;
    release_transport( channel );
    if (state) ResetEvent( state->abort_event );
    return S_OK;
}

static void channel_free( struct ws_channel *channel )
{
    struct http_channel *state = get_state( channel );

    if (!state) return;
    channel_abort( channel, NULL );
    release_transport( channel );
    WsFreeWriter( state->writer );
    WsFreeReader( state->reader );
    CloseHandle( state->abort_event );
    free( state->mapping );
    free( state );
    channel->binding_state = NULL;
}

static WS_CHARSET mtom_charset( const struct ws_channel *channel )
{
    switch (channel->props.encoding)
    {
    case WS_ENCODING_XML_MTOM_UTF16BE: return WS_CHARSET_UTF16BE;
    case WS_ENCODING_XML_MTOM_UTF16LE: return WS_CHARSET_UTF16LE;
    default:                           return WS_CHARSET_UTF8;
    }
}

/* MTOM: the MIME header is the HTTP Content-Type (build_content_type), the
 * writer writes the parts only. */
static HRESULT set_writer_output( struct ws_channel *channel, WS_WRITE_CALLBACK stream, const WS_XML_WRITER_PROPERTY *props,
                                  ULONG count, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    WS_XML_WRITER_BUFFER_OUTPUT buffer = {{ WS_XML_WRITER_OUTPUT_TYPE_BUFFER }};
    WS_XML_WRITER_STREAM_OUTPUT streamed = {{ WS_XML_WRITER_OUTPUT_TYPE_STREAM }, stream, channel };
    WS_XML_WRITER_OUTPUT *output = stream ? &streamed.output : &buffer.output;
    WS_XML_WRITER_TEXT_ENCODING text = {{ WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_WRITER_MTOM_ENCODING mtom;

    if (!is_mtom( channel ))
    {
        if (stream) return ws_channel_set_writer_stream( channel, state->writer, stream, channel, props, count, error );
        return ws_channel_set_writer_output( channel, state->writer, NULL, NULL, error );
    }
    text.charSet = mtom_charset( channel );
    memset( &mtom, 0, sizeof(mtom) );
    mtom.encoding.encodingType = WS_XML_WRITER_ENCODING_TYPE_MTOM;
    mtom.textEncoding = &text.encoding;
    mtom.writeMimeHeader = FALSE;
    mtom.boundary.chars = state->mtom_boundary;
    mtom.boundary.length = wcslen( state->mtom_boundary );
    mtom.startInfo.chars = (WCHAR *)(channel->props.envelope_version == WS_ENVELOPE_VERSION_SOAP_1_2 ?
                                     L"application/soap+xml" : L"text/xml");
    mtom.startInfo.length = wcslen( mtom.startInfo.chars );
    mtom.startUri.chars = (WCHAR *)mtom_start_uri;
    mtom.startUri.length = wcslen( mtom_start_uri );
    mtom.maxInlineByteCount = 1024;
    return WsSetOutput( state->writer, &mtom.encoding, output, props, count, error );
}

/* A Content-Type parameter as a new WS_STRING (freed with free). */
static HRESULT parameter_string( const struct ws_http_header *content_type, const char *name, WS_STRING *str,
                                 WS_ERROR *error )
{
    const char *value;
    ULONG len;
    int wlen;

    str->chars = NULL;
    str->length = 0;
    if (!find_parameter( content_type->value, content_type->value_len, name, &value, &len )) return S_OK;
    if ((wlen = ws_utf8_to_utf16( (const BYTE *)value, len, NULL, 0 )) < 0)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the %s parameter is not valid UTF-8", name );
    if (!(str->chars = malloc( (wlen + 1) * sizeof(WCHAR) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    ws_utf8_to_utf16( (const BYTE *)value, len, str->chars, wlen );
    str->length = wlen;
    return S_OK;
}

/* Points the reader at a received body: MTOM takes the boundary, start and
 * start-info from the HTTP Content-Type. */
static HRESULT set_reader_input_ex( struct ws_channel *channel, const struct ws_http_header *content_type,
                                    const BYTE *data, ULONG len, WS_READ_CALLBACK stream,
                                    const WS_XML_READER_PROPERTY *props, ULONG count, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    WS_XML_READER_BUFFER_INPUT input = {{ WS_XML_READER_INPUT_TYPE_BUFFER }, NULL, 0 };
    WS_XML_READER_STREAM_INPUT streamed = {{ WS_XML_READER_INPUT_TYPE_STREAM }, stream, channel };
    WS_XML_READER_TEXT_ENCODING text = {{ WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    WS_XML_READER_MTOM_ENCODING mtom;
    HRESULT hr;

    if (!is_mtom( channel ))
    {
        if (stream) return ws_channel_set_reader_stream( channel, state->reader, stream, channel, props, count, error );
        return ws_channel_set_reader_input( channel, state->reader, data, len, NULL, error );
    }
    memset( &mtom, 0, sizeof(mtom) );
    mtom.encoding.encodingType = WS_XML_READER_ENCODING_TYPE_MTOM;
    mtom.textEncoding = &text.encoding;
    mtom.readMimeHeader = FALSE;
    if (SUCCEEDED(hr = parameter_string( content_type, "boundary", &mtom.boundary, error )) &&
        SUCCEEDED(hr = parameter_string( content_type, "start", &mtom.startUri, error )) &&
        SUCCEEDED(hr = parameter_string( content_type, "start-info", &mtom.startInfo, error )))
    {
        if (!mtom.boundary.length)
            hr = ws_error_set( error, WS_E_INVALID_FORMAT, "the multipart content type has no boundary" );
        else
        {
            input.encodedData = (void *)data;
            input.encodedDataSize = len;
            hr = WsSetInput( state->reader, &mtom.encoding, stream ? &streamed.input : &input.input, props, count,
                             error );
        }
    }
    free( mtom.boundary.chars );
    free( mtom.startUri.chars );
    free( mtom.startInfo.chars );
    return hr;
}

static HRESULT set_reader_input( struct ws_channel *channel, const struct ws_http_header *content_type,
                                 const BYTE *data, ULONG len, WS_ERROR *error )
{
    return set_reader_input_ex( channel, content_type, data, len, NULL, NULL, 0, error );
}

static BOOL streamed_output( const struct ws_channel *channel );
static HRESULT write_streamed_start( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error );

static HRESULT channel_write_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                            const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    HRESULT hr;

    (void)ctx;
    if (channel->server)
    {
        if (!state->request || state->responded)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "the channel's request was already answered" );
    }
    else if (FAILED(hr = ws_channel_address_message( message, state->url, state->url_len, error ))) return hr;
    if (streamed_output( channel )) return write_streamed_start( channel, message, error );
    if (FAILED(hr = set_writer_output( channel, NULL, NULL, 0, error ))) return hr;
    return WsWriteEnvelopeStart( message, state->writer, NULL, NULL, error );
}

/* The buffered message, within WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE. */
static HRESULT written_bytes( struct ws_channel *channel, WS_MESSAGE *message, WS_BYTES *bytes, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = WsWriteEnvelopeEnd( message, error ))) return hr;
    if (FAILED(hr = WsGetWriterProperty( get_state( channel )->writer, WS_XML_WRITER_PROPERTY_BYTES, bytes,
                                         sizeof(*bytes), error ))) return hr;
    if (bytes->length > channel->props.max_buffered_message_size)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the message of %lu bytes is larger than the channel's maximum of %lu",
                             bytes->length, channel->props.max_buffered_message_size );
    return S_OK;
}

static BOOL is_fault( WS_MESSAGE *message )
{
    BOOL fault = FALSE;
    return SUCCEEDED(WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_IS_FAULT, &fault, sizeof(fault), NULL )) && fault;
}

/* The service's answer: 200, or 500 for a fault (SOAP over HTTP). */
static HRESULT server_write_message_end( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    struct ws_buf content_type = { 0 };
    struct header_out headers;
    WS_BYTES bytes;
    HRESULT hr;

    if (FAILED(hr = written_bytes( channel, message, &bytes, error ))) return hr;
    if (FAILED(hr = build_content_type( channel, NULL, &content_type, error ))) return hr;
    if (SUCCEEDED(hr = build_mapped_headers( channel, message, &headers, error )))
    {
        state->responded = TRUE;
        hr = ws_http_request_respond( state->request, is_fault( message ) ? 500 : 200, (const char *)content_type.data,
                                      content_type.len, headers.items, headers.count, bytes.bytes, bytes.length,
                                      channel->props.send_timeout, error );
    }
    header_out_free( &headers );
    ws_buf_free( &content_type );
    return hr;
}

/* The head of a client request: content type (with the action for SOAP 1.2),
 * SOAPAction for SOAP 1.1 and the mapped headers. */
struct request_head
{
    struct ws_http_client_request request;
    struct ws_buf content_type, soap_action;
    struct header_out headers;
};

static void request_head_free( struct request_head *head )
{
    header_out_free( &head->headers );
    ws_buf_free( &head->content_type );
    ws_buf_free( &head->soap_action );
}

static HRESULT build_request_head( struct ws_channel *channel, WS_MESSAGE *message, struct request_head *head,
                                   WS_ERROR *error )
{
    const WS_XML_STRING *action = NULL;
    HRESULT hr;

    memset( head, 0, sizeof(*head) );
    if (FAILED(hr = ws_message_get_action( message, &action, error ))) return hr;
    if (FAILED(hr = build_content_type( channel, action, &head->content_type, error ))) return hr;
    /* SOAP 1.1 always carries SOAPAction, quoted ("" without an action) */
    if (channel->props.envelope_version == WS_ENVELOPE_VERSION_SOAP_1_1)
    {
        if (!buf_append_str( &head->soap_action, "\"" ) ||
            (action && !ws_buf_append( &head->soap_action, action->bytes, action->length )) ||
            !buf_append_str( &head->soap_action, "\"" ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        head->request.soap_action = (const char *)head->soap_action.data;
        head->request.soap_action_len = head->soap_action.len;
    }
    if (FAILED(hr = build_mapped_headers( channel, message, &head->headers, error ))) return hr;
    head->request.content_type = (const char *)head->content_type.data;
    head->request.content_type_len = head->content_type.len;
    head->request.headers = head->headers.items;
    head->request.header_count = head->headers.count;
    return S_OK;
}

static BOOL streamed_input( const struct ws_channel *channel )
{
    return !!(channel->props.transfer_mode & WS_STREAMED_INPUT_TRANSFER_MODE);
}

static BOOL streamed_output( const struct ws_channel *channel )
{
    return !!(channel->props.transfer_mode & WS_STREAMED_OUTPUT_TRANSFER_MODE);
}

/* Drops the request of the previous exchange, if any. */
static void free_call( struct ws_channel *channel )
{
    struct http_channel *state = get_state( channel );
    struct ws_http_client_call *call;

    ws_object_lock( channel );
    call = state->call;
    state->call = NULL;
    ws_object_unlock( channel );
    ws_http_client_call_free( call );
}

static void set_call( struct ws_channel *channel, struct ws_http_client_call *call )
{
    struct http_channel *state = get_state( channel );

    ws_object_lock( channel );
    state->call = call;
    ws_object_unlock( channel );
}

/* The response of the request in STATE->call: read whole (buffered input) or
 * left for the reader (streamed input). */
static HRESULT receive_call_response( struct ws_channel *channel, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    BOOL streamed = streamed_input( channel );
    HRESULT hr;

    hr = ws_http_client_call_response( state->call, &state->response, !streamed, error );
    if (SUCCEEDED(hr)) state->response_ready = TRUE;
    else ws_http_response_free( &state->response );
    if (FAILED(hr) || !streamed) free_call( channel );
    return hr;
}

/* The client's request: POST the envelope and keep the response. */
static HRESULT client_write_message_end( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    struct ws_http_client_call *call;
    struct request_head head;
    WS_BYTES bytes;
    HRESULT hr;

    state->response_ready = FALSE;
    ws_http_response_free( &state->response );
    free_call( channel );
    if (FAILED(hr = written_bytes( channel, message, &bytes, error ))) return hr;
    if (SUCCEEDED(hr = build_request_head( channel, message, &head, error )))
    {
        head.request.body = bytes.bytes;
        head.request.body_len = bytes.length;
        if (streamed_input( channel ))
        {
            if (SUCCEEDED(hr = ws_http_client_call_start( state->client, &head.request, &call, error )))
            {
                set_call( channel, call );
                hr = receive_call_response( channel, error );
            }
        }
        else if (SUCCEEDED(hr = ws_http_client_send( state->client, &head.request, &state->response, error )))
            state->response_ready = TRUE;
        else
            ws_http_response_free( &state->response );
    }
    request_head_free( &head );
    return hr;
}

/* ---- streamed output ---- */

/* The writer's WS_WRITE_CALLBACK: each flushed piece is one HTTP chunk of a
 * service's answer, or collected for a client's request (Wine's WinHTTP
 * cannot send chunked requests), within WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE. */
static HRESULT CALLBACK stream_write( void *context, const WS_BYTES *buffers, ULONG count,
                                      const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct ws_channel *channel = context;
    struct http_channel *state = get_state( channel );
    HRESULT hr;
    ULONG i;

    (void)ctx;
    for (i = 0; i < count; i++)
    {
        if (!buffers[i].length) continue;
        if (buffers[i].length > channel->props.max_streamed_message_size - state->out_bytes ||
            state->out_bytes > channel->props.max_streamed_message_size)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the streamed message is larger than the channel's maximum of %llu bytes",
                                 channel->props.max_streamed_message_size );
        if (channel->server)
            hr = ws_http_request_respond_chunk( state->request, buffers[i].bytes, buffers[i].length,
                                                channel->props.send_timeout, error );
        else if (!ws_buf_append( &state->out_buf, buffers[i].bytes, buffers[i].length ))
            hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        else
            hr = S_OK;
        if (FAILED(hr)) return hr;
        state->out_bytes += buffers[i].length;
    }
    return S_OK;
}

/* Sends the HTTP head of a service's streamed answer: chunked, 500 for a
 * fault.  A client's request goes whole at WsWriteMessageEnd. */
static HRESULT start_streamed_output( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    struct ws_buf content_type = { 0 };
    struct header_out headers;
    HRESULT hr;

    if (!channel->server) return S_OK;
    if (FAILED(hr = build_content_type( channel, NULL, &content_type, error ))) return hr;
    if (SUCCEEDED(hr = build_mapped_headers( channel, message, &headers, error )))
        hr = ws_http_request_respond_start( state->request, is_fault( message ) ? 500 : 200,
                                            (const char *)content_type.data, content_type.len, headers.items,
                                            headers.count, channel->props.send_timeout, error );
    header_out_free( &headers );
    ws_buf_free( &content_type );
    return hr;
}

/* The client's streamed request, sent with the body collected by stream_write. */
static HRESULT send_collected_request( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    struct ws_http_client_call *call;
    struct request_head head;
    HRESULT hr;

    if (SUCCEEDED(hr = build_request_head( channel, message, &head, error )))
    {
        head.request.body = state->out_buf.data;
        head.request.body_len = state->out_buf.len;
        if (SUCCEEDED(hr = ws_http_client_call_start( state->client, &head.request, &call, error )))
        {
            set_call( channel, call );
            hr = receive_call_response( channel, error );
        }
    }
    request_head_free( &head );
    ws_buf_free( &state->out_buf );
    return hr;
}

/* WsWriteMessageStart in streamed output: the start of the envelope is sent
 * at once; the writer keeps at most MAX_STREAMED_FLUSH_SIZE unflushed bytes. */
static HRESULT write_streamed_start( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    WS_XML_WRITER_PROPERTY prop;
    HRESULT hr;

    if (!channel->server)
    {
        state->response_ready = FALSE;
        ws_http_response_free( &state->response );
        free_call( channel );
    }
    prop.id = WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE;
    prop.value = &channel->props.max_streamed_flush_size;
    prop.valueSize = sizeof(channel->props.max_streamed_flush_size);
    state->out_message = message;
    state->out_started = FALSE;
    state->out_bytes = 0;
    state->out_buf.len = 0;
    if (FAILED(hr = set_writer_output( channel, stream_write, &prop, 1, error ))) return hr;
    if (FAILED(hr = WsWriteEnvelopeStart( message, state->writer, NULL, NULL, error ))) return hr;
    if (FAILED(hr = start_streamed_output( channel, message, error ))) return hr;
    state->out_started = TRUE;
    if (channel->server) state->responded = TRUE;   /* answered, in pieces */
    return WsFlushWriter( state->writer, 0, NULL, error );
}

static HRESULT write_streamed_end( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    HRESULT hr;

    if (state->out_message != message || !state->out_started)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the message is not being written on this channel" );
    state->out_message = NULL;
    if (FAILED(hr = WsWriteEnvelopeEnd( message, error )) ||
        FAILED(hr = WsFlushWriter( state->writer, 0, NULL, error )))
    {
        if (!channel->server) ws_buf_free( &state->out_buf );
        return hr;
    }
    if (channel->server)
        return ws_http_request_respond_chunk( state->request, NULL, 0, channel->props.send_timeout, error );
    return send_collected_request( channel, message, error );
}

static HRESULT channel_write_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                          const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)ctx;
    if (streamed_output( channel )) return write_streamed_end( channel, message, error );
    if (channel->server) return server_write_message_end( channel, message, error );
    return client_write_message_end( channel, message, error );
}

/* Answers the service channel's request with an error status (the request
 * could not be read), so that it does not get 202 at close. */
static void reject_request( struct ws_channel *channel, ULONG status )
{
    struct http_channel *state = get_state( channel );

    if (state->responded) return;
    state->responded = TRUE;
    ws_http_request_respond( state->request, status, NULL, 0, NULL, 0, NULL, 0, channel->props.send_timeout, NULL );
}

/* With transport addressing the action travels in HTTP only. */
static HRESULT set_transport_action( struct ws_channel *channel, WS_MESSAGE *message,
                                     const struct ws_http_request_info *info, WS_ERROR *error )
{
    WS_XML_STRING action;
    const char *value;
    ULONG len;

    if (channel->props.addressing_version != WS_ADDRESSING_VERSION_TRANSPORT) return S_OK;
    if (!http_action( info, &value, &len ) || !len) return S_OK;
    memset( &action, 0, sizeof(action) );
    action.bytes = (BYTE *)value;
    action.length = len;
    return WsSetHeader( message, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE, &action,
                        sizeof(action), error );
}

/* The size of the request line and headers as received (CRLF line ends). */
static ULONG header_bytes( const struct ws_http_request_info *info )
{
    ULONG i, size = info->method_len + 1 + info->target_len + 11;
    for (i = 0; i < info->header_count; i++) size += info->headers[i].name_len + 2 + info->headers[i].value_len + 2;
    return size + 2;
}

static HRESULT read_streamed_start( struct ws_channel *channel, WS_MESSAGE *message,
                                    const struct ws_http_header *content_type, WS_ERROR *error );

static HRESULT server_read_message_start( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    const struct ws_http_request_info *info;
    HRESULT hr;

    /* a reply channel carries one request */
    if (!state->request || state->request_read) return WS_S_END;
    state->request_read = TRUE;
    info = ws_http_request_get_info( state->request );
    if (!content_type_matches( channel, info->content_type ))
    {
        reject_request( channel, 415 );
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the request's content type %s does not match the channel's %s",
                             info->content_type ? debugstr_an( info->content_type->value, info->content_type->value_len )
                                                : "(none)", media_type( channel ) );
    }
    if (header_bytes( info ) > channel->props.max_http_request_headers_buffer_size)
    {
        reject_request( channel, 431 );
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the request headers are larger than the channel's maximum of %lu bytes",
                             channel->props.max_http_request_headers_buffer_size );
    }
    if (streamed_input( channel ))
    {
        /* the server received the body whole (docs/transport.md); the reader takes it in pieces */
        if (info->body_len > channel->props.max_streamed_message_size)
        {
            reject_request( channel, 413 );
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the request of %lu bytes is larger than the channel's maximum of %llu",
                                 info->body_len, channel->props.max_streamed_message_size );
        }
        if (FAILED(hr = read_streamed_start( channel, message, info->content_type, error )) || hr == S_FALSE)
        {
            reject_request( channel, hr == WS_E_QUOTA_EXCEEDED ? 413 : 400 );
            if (hr == S_FALSE) hr = ws_error_set( error, WS_E_INVALID_FORMAT, "the request has no body" );
            return hr;
        }
    }
    else if (info->body_len > channel->props.max_buffered_message_size)
    {
        reject_request( channel, 413 );
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the request of %lu bytes is larger than the channel's maximum of %lu",
                             info->body_len, channel->props.max_buffered_message_size );
    }
    else if (FAILED(hr = set_reader_input( channel, info->content_type, info->body, info->body_len, error )) ||
             FAILED(hr = WsReadEnvelopeStart( message, state->reader, NULL, NULL, error )))
    {
        reject_request( channel, 400 );
        return hr;
    }
    if (FAILED(hr = set_transport_action( channel, message, info, error ))) return hr;
    return map_received_headers( channel, message, info->headers, info->header_count, error );
}

/* ---- streamed input ---- */

/* Bytes the reader may ask for at once, and its stream buffer: at least the
 * start of a message, and room for the body pieces WsFillBody asks for. */
static ULONG stream_buffer_size( const struct ws_channel *channel )
{
    return max( channel->props.max_streamed_start_size, 65536 );
}

/* The reader's WS_READ_CALLBACK: the client's response body as WinHTTP
 * delivers it, the service's request body from the server's buffer; no more
 * than MAX_STREAMED_START_SIZE before the start was read, and no more than
 * MAX_STREAMED_MESSAGE_SIZE in all (WS_E_QUOTA_EXCEEDED once more arrives). */
static HRESULT CALLBACK stream_read( void *context, void *bytes, ULONG size, ULONG *got,
                                     const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct ws_channel *channel = context;
    struct http_channel *state = get_state( channel );
    unsigned __int64 left = channel->props.max_streamed_message_size - state->in_bytes;
    HRESULT hr;

    (void)ctx;
    *got = 0;
    if (state->in_eof || !size) return S_OK;
    if (state->in_limit)
    {
        if (state->in_bytes >= state->in_limit)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the start of the message is larger than the channel's maximum of %lu bytes",
                                 state->in_limit );
        size = min( size, state->in_limit - (ULONG)state->in_bytes );
    }
    /* one byte past the quota tells whether the message is larger */
    if (left < size) size = (ULONG)left + 1;
    if (channel->server)
    {
        const struct ws_http_request_info *info = ws_http_request_get_info( state->request );
        *got = min( size, info->body_len - state->in_pos );
        memcpy( bytes, info->body + state->in_pos, *got );
        state->in_pos += *got;
    }
    else if (FAILED(hr = ws_http_client_call_read( state->call, bytes, size, got, error ))) return hr;
    if (!*got)
    {
        state->in_eof = TRUE;
        return S_OK;
    }
    if (*got > left)
    {
        *got = 0;
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the streamed message is larger than the channel's maximum of %llu bytes",
                             channel->props.max_streamed_message_size );
    }
    state->in_bytes += *got;
    return S_OK;
}

/* WsReadMessageStart in streamed input: the reader gets the start of the
 * envelope (up to MAX_STREAMED_START_SIZE); WsFillBody reads the rest.
 * S_FALSE: the body is empty. */
static HRESULT read_streamed_start( struct ws_channel *channel, WS_MESSAGE *message,
                                    const struct ws_http_header *content_type, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    WS_XML_READER_PROPERTY prop;
    ULONG size = stream_buffer_size( channel );
    HRESULT hr;

    prop.id = WS_XML_READER_PROPERTY_STREAM_BUFFER_SIZE;
    prop.value = &size;
    prop.valueSize = sizeof(size);
    state->in_message = message;
    state->in_bytes = 0;
    state->in_pos = 0;
    state->in_eof = FALSE;
    state->in_limit = channel->props.max_streamed_start_size;
    if (FAILED(hr = set_reader_input_ex( channel, content_type, NULL, 0, stream_read, &prop, 1, error ))) goto done;
    if (FAILED(hr = WsFillReader( state->reader, state->in_limit, NULL, error ))) goto done;
    if (!state->in_bytes && state->in_eof)
    {
        hr = S_FALSE;
        goto done;
    }
    hr = WsReadEnvelopeStart( message, state->reader, NULL, NULL, error );
    /* a start that did not fit in the bytes read so far is over the quota */
    if (FAILED(hr) && !state->in_eof && state->in_bytes >= state->in_limit)
        hr = ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the start of the message is larger than the channel's maximum of %lu bytes",
                           state->in_limit );
done:
    state->in_limit = 0;
    if (hr != S_OK) state->in_message = NULL;
    return hr;
}

/* WsReadMessageEnd in streamed input: the end of the envelope, then the end of the body. */
static HRESULT read_streamed_end( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    HRESULT hr;

    state->in_message = NULL;
    if (FAILED(hr = WsFillReader( state->reader, stream_buffer_size( channel ), NULL, error )) ||
        FAILED(hr = WsReadEnvelopeEnd( message, error )))
    {
        if (!channel->server) free_call( channel );
        return hr;
    }
    if (!channel->server) free_call( channel );
    return S_OK;
}

static HRESULT client_read_streamed_start( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    struct ws_http_response *response = &state->response;
    HRESULT hr;
    ULONG got;
    BYTE byte;

    state->response_ready = FALSE;
    if (!response->content_type)
    {
        /* 202 or another 2xx without a message: the request was one-way */
        hr = ws_http_client_call_read( state->call, &byte, 1, &got, error );
        free_call( channel );
        if (FAILED(hr)) return hr;
        if (!got) return WS_S_END;
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the response has a body but no content type" );
    }
    if (!content_type_matches( channel, response->content_type ))
    {
        free_call( channel );
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the response's content type %s does not match the channel's %s",
                             debugstr_an( response->content_type->value, response->content_type->value_len ),
                             media_type( channel ) );
    }
    if ((hr = read_streamed_start( channel, message, response->content_type, error )) != S_OK)
    {
        free_call( channel );
        if (hr == S_FALSE) return WS_S_END;
        if (response->status >= 300)
            return ws_error_set( error, WS_E_ENDPOINT_FAILURE, "the endpoint answered with status %lu and no SOAP message",
                                 response->status );
        return hr;
    }
    if (FAILED(hr = map_response_status( channel, message, response, error ))) return hr;
    return map_received_headers( channel, message, response->headers, response->header_count, error );
}

static HRESULT client_read_message_start( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );
    struct ws_http_response *response = &state->response;
    HRESULT hr;

    if (!state->response_ready)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "no request is waiting for its reply on this channel" );
    if (state->call) return client_read_streamed_start( channel, message, error );
    state->response_ready = FALSE;
    /* 202 or another empty 2xx: the request was one-way */
    if (!response->body.len) return WS_S_END;
    if (!content_type_matches( channel, response->content_type ))
    {
        if (response->status >= 300)
            return ws_error_set( error, WS_E_ENDPOINT_FAILURE, "the endpoint answered with status %lu", response->status );
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the response's content type %s does not match the channel's %s",
                             response->content_type ? debugstr_an( response->content_type->value,
                                                                   response->content_type->value_len ) : "(none)",
                             media_type( channel ) );
    }
    if (FAILED(hr = set_reader_input( channel, response->content_type, response->body.data, response->body.len,
                                      error ))) return hr;
    if (FAILED(hr = WsReadEnvelopeStart( message, state->reader, NULL, NULL, error )))
    {
        if (response->status >= 300)
            return ws_error_set( error, WS_E_ENDPOINT_FAILURE, "the endpoint answered with status %lu and no SOAP message",
                                 response->status );
        return hr;
    }
    if (FAILED(hr = map_response_status( channel, message, response, error ))) return hr;
    return map_received_headers( channel, message, response->headers, response->header_count, error );
}

static HRESULT channel_read_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                           const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)ctx;
    if (is_aborted( get_state( channel ) ))
        return ws_error_set( error, WS_E_OPERATION_ABORTED, "the channel was aborted" );
    if (channel->server) return server_read_message_start( channel, message, error );
    return client_read_message_start( channel, message, error );
}

static HRESULT channel_read_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                         const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );

    (void)ctx;
    if (state && state->in_message && state->in_message == message) return read_streamed_end( channel, message, error );
    return WsReadEnvelopeEnd( message, error );
}

/* No blocking I/O: a streamed message's rest is dropped with its request
 * (client) or connection (a service's answer cut short). */
static HRESULT channel_abandon_message( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );

    (void)error;
    if (!state) return S_OK;
    if (state->in_message == message)
    {
        state->in_message = NULL;
        if (!channel->server) free_call( channel );
    }
    if (state->out_message == message)
    {
        state->out_message = NULL;
        if (!channel->server) ws_buf_free( &state->out_buf );
        else if (state->out_started && state->request) ws_http_request_abort( state->request );
    }
    /* buffered: the whole message was received, or nothing was sent */
    return S_OK;
}

static HRESULT channel_shutdown_session( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)ctx;
    return ws_error_set( error, WS_E_INVALID_OPERATION, "an HTTP channel has no session" );
}

static HRESULT channel_get_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, void *value, ULONG size,
                                     WS_ERROR *error )
{
    struct http_channel *state = get_state( channel );

    switch (id)
    {
    case WS_CHANNEL_PROPERTY_TRANSPORT_URL:
        if (!channel->server || !state || !state->transport_url)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "the transport URL is only known on an accepted channel" );
        if (!value || size != sizeof(WS_STRING))
            return ws_error_set( error, E_INVALIDARG, "the transport URL property needs a WS_STRING (size %lu)", size );
        ((WS_STRING *)value)->chars = state->transport_url;
        ((WS_STRING *)value)->length = state->transport_url_len;
        return S_OK;
    case WS_CHANNEL_PROPERTY_HTTP_MESSAGE_MAPPING:
        if (!value || size != sizeof(WS_HTTP_MESSAGE_MAPPING))
            return ws_error_set( error, E_INVALIDARG, "the HTTP message mapping needs a WS_HTTP_MESSAGE_MAPPING (size %lu)", size );
        if (state && state->mapping) *(WS_HTTP_MESSAGE_MAPPING *)value = *state->mapping;
        else memset( value, 0, size );
        return S_OK;
    default:
        return ws_channel_transport_get_property( channel, id, value, size, error );
    }
}

const struct channel_ops ws_http_channel_ops =
{
    channel_open, channel_close, channel_abort, channel_reset, channel_free,
    channel_write_message_start, channel_write_message_end, channel_read_message_start, channel_read_message_end,
    channel_abandon_message, channel_shutdown_session, channel_get_property, ws_channel_transport_set_property,
};

/* WsAcceptChannel: the next request of SERVER becomes CHANNEL's. */
static HRESULT accept_request( struct ws_channel *channel, struct ws_http_server *server, WS_ERROR *error )
{
    struct ws_http_request *request = NULL;
    struct http_channel *state;
    WCHAR *url = NULL;
    ULONG url_len = 0;
    HRESULT hr;

    if (channel->ops != &ws_http_channel_ops || !channel->server)
        return ws_error_set( error, E_INVALIDARG, "the channel was not created for this listener" );
    if (FAILED(hr = check_encoding( channel, error ))) return hr;
    if (FAILED(hr = create_state( channel, error ))) return hr;
    state = get_state( channel );
    if (FAILED(hr = ws_channel_change_state( channel, WS_CHANNEL_STATE_CREATED, WS_CHANNEL_STATE_ACCEPTING,
                                             "WsAcceptChannel", error ))) return hr;
    if (SUCCEEDED(hr = ws_http_server_accept_cancel( server, INFINITE, state->abort_event, &request, error )) &&
        !(url = ws_http_request_url( request, &url_len )))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (SUCCEEDED(hr))
    {
        ws_object_lock( channel );
        state->request = request;
        state->transport_url = url;
        state->transport_url_len = url_len;
        state->request_read = state->responded = FALSE;
        ws_object_unlock( channel );
    }
    else ws_http_request_free( request );
    ws_channel_finish_state( channel, WS_CHANNEL_STATE_ACCEPTING, SUCCEEDED(hr) ? WS_CHANNEL_STATE_OPEN
                                                                                : WS_CHANNEL_STATE_CREATED );
    return hr;
}

/* ---------------------------------------------------------------------- */
/* Listener                                                                */
/* ---------------------------------------------------------------------- */

static struct ws_http_server *get_server( struct ws_listener *listener )
{
    return listener->binding_state;
}

/* Frees the server once no accept uses it: pending accepts are aborted
 * (WS_E_OPERATION_ABORTED) and waited for. */
static void release_server( struct ws_listener *listener )
{
    struct ws_http_server *server;

    ws_object_lock( listener );
    if (listener->binding_state && listener->accepts) ws_http_server_abort( listener->binding_state );
    while (listener->accepts)
        SleepConditionVariableSRW( &listener->accepts_done, &listener->obj.lock, INFINITE, 0 );
    server = listener->binding_state;
    listener->binding_state = NULL;
    ws_object_unlock( listener );
    ws_http_server_free( server );
}

static HRESULT listener_open( struct ws_listener *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx,
                              WS_ERROR *error )
{
    struct ws_http_server_settings settings;
    struct ws_http_server *server = NULL;
    WS_HTTP_URL *decoded;
    WS_HEAP *heap;
    HRESULT hr;

    (void)ctx;
    if (FAILED(hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error ))) return hr;
    hr = WsDecodeUrl( url, WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, heap, (WS_URL **)&decoded, error );
    if (SUCCEEDED(hr) && decoded->url.scheme != WS_URL_HTTP_SCHEME_TYPE)
        hr = ws_error_set( error, decoded->url.scheme == WS_URL_HTTPS_SCHEME_TYPE ? E_NOTIMPL : WS_E_INVALID_ENDPOINT_URL,
                           "the listener URL %s is not an http URL", debugstr_wn( url->chars, url->length ) );
    if (SUCCEEDED(hr))
    {
        memset( &settings, 0, sizeof(settings) );
        settings.max_body_size = SERVER_MAX_BODY;
        settings.max_header_size = SERVER_MAX_HEADERS;
        settings.receive_timeout = listener->props.connect_timeout;
        settings.idle_timeout = SERVER_IDLE_TIMEOUT;
        settings.send_timeout = SERVER_SEND_TIMEOUT;
        hr = ws_http_server_create( decoded->host.chars, decoded->host.length, decoded->port,
                                    listener->props.ip_version, decoded->path.chars, decoded->path.length,
                                    &settings, &server, error );
    }
    WsFreeHeap( heap );
    if (FAILED(hr)) return hr;
    ws_object_lock( listener );
    listener->binding_state = server;
    ws_object_unlock( listener );
    return S_OK;
}

static HRESULT listener_close( struct ws_listener *listener, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)ctx; (void)error;
    release_server( listener );
    return S_OK;
}

/* Abort ends pending accepts; the server itself goes at close, reset or free. */
static HRESULT listener_abort( struct ws_listener *listener, WS_ERROR *error )
{
    (void)error;
    ws_object_lock( listener );
    if (listener->binding_state) ws_http_server_abort( listener->binding_state );
    ws_object_unlock( listener );
    return S_OK;
}

static HRESULT listener_reset( struct ws_listener *listener, WS_ERROR *error )
{
    (void)error;
    release_server( listener );
    return S_OK;
}

static void listener_free( struct ws_listener *listener )
{
    listener_abort( listener, NULL );
    release_server( listener );
}

static HRESULT listener_accept( struct ws_listener *listener, WS_CHANNEL *handle, const WS_ASYNC_CONTEXT *ctx,
                                WS_ERROR *error )
{
    struct ws_http_server *server;
    HRESULT hr;

    (void)ctx;
    ws_object_lock( listener );
    if ((server = get_server( listener ))) listener->accepts++;
    ws_object_unlock( listener );
    if (!server) return ws_error_set( error, WS_E_OPERATION_ABORTED, "the listener was closed" );

    hr = accept_request( (struct ws_channel *)handle, server, error );

    ws_object_lock( listener );
    if (!--listener->accepts) WakeAllConditionVariable( &listener->accepts_done );
    ws_object_unlock( listener );
    return hr;
}

static HRESULT listener_get_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, void *value, ULONG size,
                                      WS_ERROR *error )
{
    return ws_listener_transport_get_property( listener, id, value, size, error );
}

const struct listener_ops ws_http_listener_ops =
{
    listener_open, listener_close, listener_abort, listener_reset, listener_free, listener_accept,
    listener_get_property, ws_listener_transport_set_property,
};
