/*
 * HTTP/1.1 for the HTTP channel binding: client requests through WinHTTP and
 * a server on the transport layer's TCP listener
 *
 * See the http section of webservices_private.h for the contracts and
 * docs/transport.md ("HTTP") for the choices.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "webservices_private.h"
#include <winhttp.h>

/* ---------------------------------------------------------------------- */
/* Header text, shared by the client and the server                       */
/* ---------------------------------------------------------------------- */

static char ascii_lower( char c )
{
    return (c >= 'A' && c <= 'Z') ? c + 'a' - 'A' : c;
}

static BOOL equal_nocase( const char *a, ULONG a_len, const char *b )
{
    ULONG i;
    for (i = 0; i < a_len; i++) if (!b[i] || ascii_lower( a[i] ) != ascii_lower( b[i] )) return FALSE;
    return !b[i];
}

/* RFC 7230 token characters. */
static BOOL is_tchar( BYTE c )
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return TRUE;
    return c && strchr( "!#$%&'*+-.^_`|~", c ) != NULL;
}

/* Field-value characters: visible, space, tab and obs-text; never CR, LF or NUL. */
static BOOL is_field_char( BYTE c )
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static BOOL is_token( const char *str, ULONG len )
{
    ULONG i;
    if (!len) return FALSE;
    for (i = 0; i < len; i++) if (!is_tchar( str[i] )) return FALSE;
    return TRUE;
}

static BOOL is_field_value( const char *str, ULONG len )
{
    ULONG i;
    for (i = 0; i < len; i++) if (!is_field_char( str[i] )) return FALSE;
    return TRUE;
}

const struct ws_http_header *ws_http_find_header( const struct ws_http_header *headers, ULONG count,
                                                  const char *name )
{
    ULONG i;
    if (!headers || !name) return NULL;
    for (i = 0; i < count; i++)
        if (equal_nocase( headers[i].name, headers[i].name_len, name )) return &headers[i];
    return NULL;
}

struct header_list
{
    struct ws_http_header *items;   /* malloc */
    ULONG count, cap;
};

static BOOL header_list_add( struct header_list *list, const char *name, ULONG name_len, const char *value,
                             ULONG value_len )
{
    if (list->count == list->cap)
    {
        ULONG cap = list->cap ? list->cap * 2 : 16;
        struct ws_http_header *items = realloc( list->items, cap * sizeof(*items) );
        if (!items) return FALSE;
        list->items = items;
        list->cap = cap;
    }
    list->items[list->count].name = name;
    list->items[list->count].name_len = name_len;
    list->items[list->count].value = value;
    list->items[list->count].value_len = value_len;
    list->count++;
    return TRUE;
}

/* Parses "name: value" lines (CRLF or LF) up to an empty line or the end of
 * DATA.  Values are trimmed of surrounding whitespace; a line starting with
 * whitespace (obsolete folding) is malformed, as RFC 7230 lets a server
 * decide. */
static HRESULT parse_header_lines( const char *data, ULONG len, struct header_list *list, WS_ERROR *error )
{
    ULONG pos = 0;

    while (pos < len)
    {
        const char *line = data + pos, *end = memchr( line, '\n', len - pos );
        ULONG line_len, name_len, value, value_end;

        line_len = end ? (ULONG)(end - line) : len - pos;
        pos += line_len + (end ? 1 : 0);
        if (line_len && line[line_len - 1] == '\r') line_len--;
        if (!line_len) break;
        for (name_len = 0; name_len < line_len && is_tchar( line[name_len] ); name_len++);
        if (!name_len || name_len == line_len || line[name_len] != ':')
            return ws_error_set( error, WS_E_INVALID_FORMAT, "malformed header line %s",
                                 debugstr_an( line, line_len ) );
        for (value = name_len + 1; value < line_len && (line[value] == ' ' || line[value] == '\t'); value++);
        for (value_end = line_len; value_end > value && (line[value_end - 1] == ' ' || line[value_end - 1] == '\t');
             value_end--);
        if (!is_field_value( line + value, value_end - value ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid characters in header %s",
                                 debugstr_an( line, name_len ) );
        if (!header_list_add( list, line, name_len, line + value, value_end - value ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    }
    return S_OK;
}

/* Headers the caller asks to send: names must be tokens, values must not
 * contain CR or LF (no header injection). */
static HRESULT check_headers( const struct ws_http_header *headers, ULONG count, WS_ERROR *error )
{
    ULONG i;
    if (count && !headers) return ws_error_set( error, E_INVALIDARG, "headers is NULL" );
    for (i = 0; i < count; i++)
    {
        if (!headers[i].name || !is_token( headers[i].name, headers[i].name_len ))
            return ws_error_set( error, E_INVALIDARG, "header %lu has an invalid name", i );
        if ((headers[i].value_len && !headers[i].value) || !is_field_value( headers[i].value, headers[i].value_len ))
            return ws_error_set( error, E_INVALIDARG, "header %s has an invalid value",
                                 debugstr_an( headers[i].name, headers[i].name_len ) );
    }
    return S_OK;
}

static BOOL append_header( struct ws_buf *buf, const char *name, const char *value, ULONG value_len )
{
    return ws_buf_append( buf, name, strlen( name ) ) && ws_buf_append( buf, ": ", 2 ) &&
           ws_buf_append( buf, value, value_len ) && ws_buf_append( buf, "\r\n", 2 );
}

static BOOL append_headers( struct ws_buf *buf, const struct ws_http_header *headers, ULONG count )
{
    ULONG i;
    for (i = 0; i < count; i++)
        if (!ws_buf_append( buf, headers[i].name, headers[i].name_len ) || !ws_buf_append( buf, ": ", 2 ) ||
            !ws_buf_append( buf, headers[i].value, headers[i].value_len ) || !ws_buf_append( buf, "\r\n", 2 ))
            return FALSE;
    return TRUE;
}

/* Is TOKEN one of the comma-separated elements of any NAME header? */
static BOOL header_has_token( const struct ws_http_header *headers, ULONG count, const char *name, const char *token )
{
    ULONG i, pos;
    for (i = 0; i < count; i++)
    {
        if (!equal_nocase( headers[i].name, headers[i].name_len, name )) continue;
        for (pos = 0; pos < headers[i].value_len;)
        {
            const char *elem = headers[i].value + pos;
            ULONG len = 0, trimmed;
            while (pos + len < headers[i].value_len && elem[len] != ',') len++;
            pos += len + 1;
            while (len && (*elem == ' ' || *elem == '\t')) { elem++; len--; }
            for (trimmed = len; trimmed && (elem[trimmed - 1] == ' ' || elem[trimmed - 1] == '\t'); trimmed--);
            if (equal_nocase( elem, trimmed, token )) return TRUE;
        }
    }
    return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Client: WinHTTP in asynchronous mode                                   */
/* ---------------------------------------------------------------------- */

struct ws_http_client
{
    HINTERNET session, connect;
    WCHAR *path;                     /* path and query, NUL-terminated */
    BOOL secure;
    BOOL via_proxy;                  /* custom proxy without bypass list: connection failures are the proxy's */
    struct ws_http_client_settings settings;
    HANDLE abort_event;              /* manual-reset, set once by ws_http_client_abort */
};

/* One request's completion state, written by the WinHTTP callback.  It lives
 * until WinHTTP reports the request handle closing (its last notification),
 * so that a completion racing an abort never writes freed memory. */
struct http_op
{
    HANDLE event;                    /* auto-reset: a completion arrived */
    DWORD status;                    /* WINHTTP_CALLBACK_STATUS_* of the completion */
    DWORD error;                     /* REQUEST_ERROR's error code */
    DWORD bytes;                     /* DATA_AVAILABLE / READ_COMPLETE */
    DWORD secure_flags;              /* SECURE_FAILURE's flags */
    LONG extra_refs;                 /* holders besides the request (a body read's pool thread) */
};

static void free_op( struct http_op *op )
{
    if (InterlockedDecrement( &op->extra_refs ) >= 0) return;
    if (op->event) CloseHandle( op->event );
    free( op );
}

static void CALLBACK client_callback( HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len )
{
    struct http_op *op = (struct http_op *)context;

    (void)handle;
    if (!op) return;   /* the session and connect handles carry no context */
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SECURE_FAILURE:
        if (info && len >= sizeof(DWORD)) op->secure_flags = *(DWORD *)info;
        return;
    case WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING:
        free_op( op );   /* the last callback of the request */
        return;
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        break;
    case WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE:
        op->bytes = info ? *(DWORD *)info : 0;
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        op->bytes = len;
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        op->error = info ? ((WINHTTP_ASYNC_RESULT *)info)->dwError : ERROR_WINHTTP_INTERNAL_ERROR;
        break;
    default:
        return;
    }
    op->status = status;
    SetEvent( op->event );
}

static HRESULT secure_failure_hresult( DWORD flags )
{
    if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED) return CRYPT_E_REVOCATION_OFFLINE;
    if (flags & WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA) return CERT_E_UNTRUSTEDROOT;
    if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID) return CERT_E_CN_NO_MATCH;
    if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID) return CERT_E_EXPIRED;
    if (flags & WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE) return CERT_E_WRONG_USAGE;
    if (flags & WINHTTP_CALLBACK_STATUS_FLAG_SECURITY_CHANNEL_ERROR) return WS_E_SECURITY_SYSTEM_FAILURE;
    return WS_E_SECURITY_VERIFICATION_FAILURE;
}

/* WinHTTP failures as the documented WWSAPI return values (Wine's WinHTTP
 * passes some socket errors through, hence the WSAE codes). */
static const struct { DWORD error; HRESULT hr; } winhttp_errors[] =
{
    { ERROR_WINHTTP_CANNOT_CONNECT, WS_E_ENDPOINT_NOT_FOUND },
    { ERROR_WINHTTP_NAME_NOT_RESOLVED, WS_E_ENDPOINT_NOT_FOUND },
    { WSAECONNREFUSED, WS_E_ENDPOINT_NOT_FOUND },
    { WSAENETUNREACH, WS_E_ENDPOINT_UNREACHABLE },
    { WSAEHOSTUNREACH, WS_E_ENDPOINT_UNREACHABLE },
    { WSAENETDOWN, WS_E_ENDPOINT_UNREACHABLE },
    { WSAECONNRESET, WS_E_ENDPOINT_DISCONNECTED },
    { WSAECONNABORTED, WS_E_ENDPOINT_DISCONNECTED },
    { ERROR_WINHTTP_CONNECTION_ERROR, WS_E_ENDPOINT_DISCONNECTED },
    { WSAETIMEDOUT, WS_E_OPERATION_TIMED_OUT },
    { ERROR_WINHTTP_TIMEOUT, WS_E_OPERATION_TIMED_OUT },
    { ERROR_WINHTTP_OPERATION_CANCELLED, WS_E_OPERATION_ABORTED },
    { ERROR_WINHTTP_INVALID_SERVER_RESPONSE, WS_E_INVALID_FORMAT },
    { ERROR_WINHTTP_HEADER_NOT_FOUND, WS_E_INVALID_FORMAT },
    { ERROR_WINHTTP_SECURE_CERT_CN_INVALID, CERT_E_CN_NO_MATCH },
    { ERROR_WINHTTP_SECURE_CERT_DATE_INVALID, CERT_E_EXPIRED },
    { ERROR_WINHTTP_SECURE_INVALID_CA, CERT_E_UNTRUSTEDROOT },
    { ERROR_WINHTTP_SECURE_CERT_REV_FAILED, CRYPT_E_REVOCATION_OFFLINE },
    { ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE, CERT_E_WRONG_USAGE },
    { ERROR_WINHTTP_SECURE_CHANNEL_ERROR, WS_E_SECURITY_SYSTEM_FAILURE },
    { ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, WS_E_SECURITY_VERIFICATION_FAILURE },
    { ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR, WS_E_PROXY_FAILURE },
    { ERROR_WINHTTP_AUTODETECTION_FAILED, WS_E_PROXY_FAILURE },
    { ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT, WS_E_PROXY_FAILURE },
    { ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT, WS_E_PROXY_FAILURE },
    { ERROR_WINHTTP_REDIRECT_FAILED, WS_E_ENDPOINT_FAILURE },
    { ERROR_WINHTTP_RESEND_REQUEST, WS_E_ENDPOINT_FAILURE },
    { ERROR_NOT_ENOUGH_MEMORY, E_OUTOFMEMORY },
    { ERROR_OUTOFMEMORY, E_OUTOFMEMORY },
    { ERROR_WINHTTP_INVALID_URL, WS_E_INVALID_ENDPOINT_URL },
    { ERROR_WINHTTP_UNRECOGNIZED_SCHEME, WS_E_INVALID_ENDPOINT_URL },
};

/* The WinHTTP code is kept as the error's original code. */
static HRESULT winhttp_failure( const struct ws_http_client *client, const struct http_op *op, DWORD err,
                                const char *step, WS_ERROR *error )
{
    HRESULT hr = WS_E_OTHER;
    ULONG i;

    for (i = 0; i < ARRAYSIZE(winhttp_errors); i++)
        if (winhttp_errors[i].error == err) hr = winhttp_errors[i].hr;
    /* through a proxy (no bypass list), the server WinHTTP could not reach is the proxy */
    if (hr == WS_E_ENDPOINT_NOT_FOUND && client->via_proxy) hr = WS_E_PROXY_FAILURE;
    /* the certificate problem WinHTTP reported with WINHTTP_CALLBACK_STATUS_SECURE_FAILURE */
    if (err == ERROR_WINHTTP_SECURE_FAILURE) hr = secure_failure_hresult( op ? op->secure_flags : 0 );
    ws_error_set_original_code( error, HRESULT_FROM_WIN32( err ) );
    return ws_error_set( error, hr, "%s failed with WinHTTP error %lu", step, err );
}

/* WinHttpSetTimeouts takes ints where 0 and -1 mean infinite. */
static int winhttp_timeout( ULONG timeout )
{
    if (timeout == INFINITE || timeout > 0x7fffffff) return -1;
    return timeout ? (int)timeout : 1;
}

static ULONG add_timeouts( ULONG a, ULONG b )
{
    if (a == INFINITE || b == INFINITE || a >= INFINITE - b) return INFINITE;
    return a + b;
}

static WCHAR *wcsndup( const WCHAR *str, ULONG len )
{
    WCHAR *ret = malloc( (len + 1) * sizeof(WCHAR) );
    if (!ret) return NULL;
    memcpy( ret, str, len * sizeof(WCHAR) );
    ret[len] = 0;
    return ret;
}

static HRESULT open_session( struct ws_http_client *client, const WS_CUSTOM_HTTP_PROXY *custom, WS_ERROR *error )
{
    WCHAR *proxy = NULL, *bypass = NULL;
    DWORD access;

    switch (client->settings.proxy_mode)
    {
    case WS_HTTP_PROXY_SETTING_MODE_AUTO:
        access = WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY;
        break;
    case WS_HTTP_PROXY_SETTING_MODE_NONE:
        access = WINHTTP_ACCESS_TYPE_NO_PROXY;
        break;
    case WS_HTTP_PROXY_SETTING_MODE_CUSTOM:
        if (!custom || !custom->servers.length || !custom->servers.chars)
            return ws_error_set( error, E_INVALIDARG, "custom proxy mode without proxy servers" );
        if (!(proxy = wcsndup( custom->servers.chars, custom->servers.length )))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        if (custom->bypass.length && custom->bypass.chars &&
            !(bypass = wcsndup( custom->bypass.chars, custom->bypass.length )))
        {
            free( proxy );
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        }
        client->via_proxy = !bypass;
        access = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid proxy setting mode %d", client->settings.proxy_mode );
    }

    client->session = WinHttpOpen( L"WWSAPI", access, proxy ? proxy : WINHTTP_NO_PROXY_NAME,
                                   bypass ? bypass : WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC );
    /* WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY needs Windows 8.1 (and is not in every
     * WinHTTP): the configured default proxy is the closest older setting. */
    if (!client->session && access == WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY)
        client->session = WinHttpOpen( L"WWSAPI", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                                       WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC );
    free( proxy );
    free( bypass );
    if (!client->session) return winhttp_failure( client, NULL, GetLastError(), "WinHttpOpen", error );
    if (WinHttpSetStatusCallback( client->session, client_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0 )
        == WINHTTP_INVALID_STATUS_CALLBACK)
        return winhttp_failure( client, NULL, GetLastError(), "WinHttpSetStatusCallback", error );
    if (!WinHttpSetTimeouts( client->session, winhttp_timeout( client->settings.resolve_timeout ),
                             winhttp_timeout( client->settings.connect_timeout ),
                             winhttp_timeout( client->settings.send_timeout ),
                             winhttp_timeout( client->settings.receive_timeout ) ))
        return winhttp_failure( client, NULL, GetLastError(), "WinHttpSetTimeouts", error );
    return S_OK;
}

HRESULT ws_http_client_create( const WCHAR *url, ULONG url_len, const struct ws_http_client_settings *settings,
                               struct ws_http_client **ret, WS_ERROR *error )
{
    URL_COMPONENTS uc;
    struct ws_http_client *client;
    WCHAR *host;
    HRESULT hr;

    TRACE( "%s %p %p %p\n", debugstr_wn( url, url_len ), settings, ret, error );
    if (!url || !url_len) return ws_error_set( error, E_INVALIDARG, "url is NULL or empty" );
    if (!settings) return ws_error_set( error, E_INVALIDARG, "settings is NULL" );
    if (!ret) return ws_error_set( error, E_INVALIDARG, "ret is NULL" );

    memset( &uc, 0, sizeof(uc) );
    uc.dwStructSize = sizeof(uc);
    uc.dwSchemeLength = uc.dwHostNameLength = uc.dwUrlPathLength = uc.dwExtraInfoLength = ~0u;
    if (!WinHttpCrackUrl( url, url_len, 0, &uc ) || !uc.dwHostNameLength)
        return ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "%s is not a valid HTTP URL",
                             debugstr_wn( url, url_len ) );
    if (uc.nScheme != INTERNET_SCHEME_HTTP && uc.nScheme != INTERNET_SCHEME_HTTPS)
        return ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "%s is not an http or https URL",
                             debugstr_wn( url, url_len ) );

    if (!(client = calloc( 1, sizeof(*client) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    client->settings = *settings;
    client->settings.custom_proxy = NULL;
    client->secure = uc.nScheme == INTERNET_SCHEME_HTTPS;
    /* the path and query run on in the URL, so one copy holds both */
    if (uc.dwUrlPathLength + uc.dwExtraInfoLength)
        client->path = wcsndup( uc.lpszUrlPath ? uc.lpszUrlPath : uc.lpszExtraInfo,
                                uc.dwUrlPathLength + uc.dwExtraInfoLength );
    else
        client->path = wcsndup( L"/", 1 );
    host = wcsndup( uc.lpszHostName, uc.dwHostNameLength );
    client->abort_event = CreateEventW( NULL, TRUE, FALSE, NULL );
    if (!client->path || !host || !client->abort_event) hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else hr = open_session( client, settings->custom_proxy, error );
    if (SUCCEEDED(hr) && !(client->connect = WinHttpConnect( client->session, host, uc.nPort, 0 )))
        hr = winhttp_failure( client, NULL, GetLastError(), "WinHttpConnect", error );
    free( host );
    if (FAILED(hr))
    {
        ws_http_client_free( client );
        return hr;
    }
    *ret = client;
    return S_OK;
}

void ws_http_client_abort( struct ws_http_client *client )
{
    TRACE( "%p\n", client );
    if (client) SetEvent( client->abort_event );
}

void ws_http_client_free( struct ws_http_client *client )
{
    TRACE( "%p\n", client );
    if (!client) return;
    if (client->connect) WinHttpCloseHandle( client->connect );
    /* the callback stays: requests still closing need it to free their state */
    if (client->session) WinHttpCloseHandle( client->session );
    if (client->abort_event) CloseHandle( client->abort_event );
    free( client->path );
    free( client );
}

void ws_http_response_free( struct ws_http_response *response )
{
    if (!response) return;
    free( response->headers );
    ws_buf_free( &response->raw );
    ws_buf_free( &response->body );
    memset( response, 0, sizeof(*response) );
}

/* Waits for the completion of the asynchronous call just made, within
 * TIMEOUT, or for the client's abort. */
static HRESULT wait_op( struct ws_http_client *client, struct http_op *op, ULONG timeout, const char *step,
                        WS_ERROR *error )
{
    HANDLE handles[2] = { op->event, client->abort_event };

    switch (WaitForMultipleObjects( 2, handles, FALSE, timeout ))
    {
    case WAIT_OBJECT_0:
        if (op->status == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
            return winhttp_failure( client, op, op->error, step, error );
        return S_OK;
    case WAIT_OBJECT_0 + 1:
        return ws_error_set( error, WS_E_OPERATION_ABORTED, "%s: the request was aborted", step );
    case WAIT_TIMEOUT:
        return ws_error_set( error, WS_E_OPERATION_TIMED_OUT, "%s did not complete within %lu ms", step, timeout );
    default:
        return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "waiting for %s failed", step );
    }
}

/* Starts an asynchronous WinHTTP call (its result in STARTED) and waits for it. */
static HRESULT complete_op( struct ws_http_client *client, struct http_op *op, BOOL started, ULONG timeout,
                            const char *step, WS_ERROR *error )
{
    if (!started) return winhttp_failure( client, op, GetLastError(), step, error );
    return wait_op( client, op, timeout, step, error );
}

/* "Content-Type: ...\r\nSOAPAction: ...\r\n<headers>" as the NUL-terminated
 * UTF-16 string WinHttpSendRequest takes. */
static HRESULT request_headers( const struct ws_http_client_request *request, WCHAR **ret, WS_ERROR *error )
{
    struct ws_buf buf = { 0 };
    HRESULT hr = S_OK;
    int len;

    if ((request->content_type && !is_field_value( request->content_type, request->content_type_len )) ||
        (request->soap_action && !is_field_value( request->soap_action, request->soap_action_len )))
        return ws_error_set( error, E_INVALIDARG, "content type or SOAP action contains CR, LF or NUL" );
    if (FAILED(hr = check_headers( request->headers, request->header_count, error ))) return hr;
    if ((request->content_type && !append_header( &buf, "Content-Type", request->content_type,
                                                  request->content_type_len )) ||
        (request->soap_action && !append_header( &buf, "SOAPAction", request->soap_action,
                                                 request->soap_action_len )) ||
        !append_headers( &buf, request->headers, request->header_count ))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else if ((len = ws_utf8_to_utf16( buf.data, buf.len, NULL, 0 )) < 0)
        hr = ws_error_set( error, E_INVALIDARG, "header text is not valid UTF-8" );
    else if (!(*ret = malloc( (len + 1) * sizeof(WCHAR) )))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else
    {
        ws_utf8_to_utf16( buf.data, buf.len, *ret, len );
        (*ret)[len] = 0;
    }
    ws_buf_free( &buf );
    return hr;
}

/* Status code and headers of the response (the raw header block is converted
 * to UTF-8 and parsed with the server's header parser). */
static HRESULT read_response_head( struct ws_http_client *client, HINTERNET req, struct ws_http_response *response,
                                   WS_ERROR *error )
{
    struct header_list list = { 0 };
    DWORD status, size = sizeof(status), len = 0;
    WCHAR *raw;
    const char *first_line_end;
    int utf8_len;
    HRESULT hr;

    if (!WinHttpQueryHeaders( req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, WINHTTP_HEADER_NAME_BY_INDEX,
                              &status, &size, WINHTTP_NO_HEADER_INDEX ))
        return winhttp_failure( client, NULL, GetLastError(), "querying the status code", error );
    WinHttpQueryHeaders( req, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, NULL, &len,
                         WINHTTP_NO_HEADER_INDEX );
    if (!len || !(raw = malloc( len + sizeof(WCHAR) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (!WinHttpQueryHeaders( req, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, raw, &len,
                              WINHTTP_NO_HEADER_INDEX ))
    {
        free( raw );
        return winhttp_failure( client, NULL, GetLastError(), "querying the response headers", error );
    }
    len /= sizeof(WCHAR);
    utf8_len = ws_utf16_to_utf8( raw, len, NULL, 0 );
    if (utf8_len < 0 || !ws_buf_reserve( &response->raw, utf8_len + 1 ))
    {
        free( raw );
        return ws_error_set( error, utf8_len < 0 ? WS_E_INVALID_FORMAT : E_OUTOFMEMORY, "cannot convert headers" );
    }
    ws_utf16_to_utf8( raw, len, response->raw.data, utf8_len );
    response->raw.len = utf8_len;
    free( raw );

    response->status = status;
    /* the block starts with the status line */
    first_line_end = memchr( response->raw.data, '\n', response->raw.len );
    if (first_line_end)
    {
        ULONG skip = first_line_end + 1 - (const char *)response->raw.data;
        hr = parse_header_lines( (const char *)response->raw.data + skip, response->raw.len - skip, &list, error );
        if (FAILED(hr))
        {
            free( list.items );
            return hr;
        }
    }
    response->headers = list.items;
    response->header_count = list.count;
    response->content_type = ws_http_find_header( list.items, list.count, "Content-Type" );
    return S_OK;
}

static HRESULT read_response_body( struct ws_http_client *client, HINTERNET req, struct http_op *op,
                                   struct ws_http_response *response, WS_ERROR *error )
{
    struct ws_buf *body = &response->body;
    ULONG max = client->settings.max_response_size;
    const struct ws_http_header *length;
    HRESULT hr;

    /* refuse an announced oversized body before reading any of it */
    if ((length = ws_http_find_header( response->headers, response->header_count, "Content-Length" )))
    {
        ULONGLONG value = 0;
        ULONG i;
        for (i = 0; i < length->value_len && length->value[i] >= '0' && length->value[i] <= '9' && value <= max; i++)
            value = value * 10 + length->value[i] - '0';
        if (value > max)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the response body is larger than %lu bytes", max );
    }
    for (;;)
    {
        ULONG avail;
        if (FAILED(hr = complete_op( client, op, WinHttpQueryDataAvailable( req, NULL ),
                                     client->settings.receive_timeout, "WinHttpQueryDataAvailable", error )))
            return hr;
        if (!(avail = op->bytes)) return S_OK;
        if (avail > max - body->len)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the response body is larger than %lu bytes", max );
        if (!ws_buf_reserve( body, avail )) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        if (FAILED(hr = complete_op( client, op, WinHttpReadData( req, body->data + body->len, avail, NULL ),
                                     client->settings.receive_timeout, "WinHttpReadData", error )))
            return hr;
        if (!op->bytes) return S_OK;
        body->len += min( op->bytes, avail );
    }
}

/* The scheme of the first NAME challenge: one of the four documented codes, else DEFAULT. */
static HRESULT auth_scheme_hresult( const struct ws_http_response *response, const char *name, BOOL proxy,
                                    HRESULT dflt )
{
    static const struct { const char *scheme; HRESULT server, proxy; } schemes[] =
    {
        { "Basic", WS_E_SERVER_REQUIRES_BASIC_AUTH, WS_E_PROXY_REQUIRES_BASIC_AUTH },
        { "Digest", WS_E_SERVER_REQUIRES_DIGEST_AUTH, WS_E_PROXY_REQUIRES_DIGEST_AUTH },
        { "Negotiate", WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH, WS_E_PROXY_REQUIRES_NEGOTIATE_AUTH },
        { "NTLM", WS_E_SERVER_REQUIRES_NTLM_AUTH, WS_E_PROXY_REQUIRES_NTLM_AUTH },
    };
    ULONG i, j, len;

    for (i = 0; i < response->header_count; i++)
    {
        const struct ws_http_header *h = &response->headers[i];
        if (!equal_nocase( h->name, h->name_len, name )) continue;
        for (len = 0; len < h->value_len && is_tchar( h->value[len] ); len++);
        for (j = 0; j < ARRAYSIZE(schemes); j++)
            if (equal_nocase( h->value, len, schemes[j].scheme )) return proxy ? schemes[j].proxy : schemes[j].server;
    }
    return dflt;
}

/* The HTTP status of a response as the channel's result; see the header. */
static HRESULT status_hresult( const struct ws_http_response *response, WS_ERROR *error )
{
    ULONG status = response->status;
    HRESULT hr;

    if (status >= 200 && status < 300) return S_OK;
    /* SOAP over HTTP sends faults with 500: the body is the message to read */
    if (status == 500 && response->body.len) return S_OK;
    switch (status)
    {
    case 401: hr = auth_scheme_hresult( response, "WWW-Authenticate", FALSE, WS_E_ENDPOINT_ACCESS_DENIED ); break;
    case 403: hr = WS_E_ENDPOINT_ACCESS_DENIED; break;
    case 404: hr = WS_E_ENDPOINT_NOT_FOUND; break;
    case 407: hr = auth_scheme_hresult( response, "Proxy-Authenticate", TRUE, WS_E_PROXY_ACCESS_DENIED ); break;
    case 410: hr = WS_E_ENDPOINT_NOT_AVAILABLE; break;
    case 413: hr = WS_E_QUOTA_EXCEEDED; break;
    case 503: hr = WS_E_ENDPOINT_TOO_BUSY; break;
    default:  hr = (status >= 300 && status < 400) ? WS_E_ENDPOINT_NOT_AVAILABLE : WS_E_ENDPOINT_FAILURE; break;
    }
    return ws_error_set( error, hr, "the server answered with HTTP status %lu", status );
}

static HRESULT set_request_options( struct ws_http_client *client, HINTERNET req, struct http_op *op,
                                    WS_ERROR *error )
{
    DWORD_PTR context = (DWORD_PTR)op;
    DWORD features = 0, timeout;

    if (!WinHttpSetOption( req, WINHTTP_OPTION_CONTEXT_VALUE, &context, sizeof(context) ))
        return winhttp_failure( client, NULL, GetLastError(), "setting the request context", error );
    if (client->settings.cookie_mode == WS_MANUAL_COOKIE_MODE) features |= WINHTTP_DISABLE_COOKIES;
    if (!client->settings.allow_redirect) features |= WINHTTP_DISABLE_REDIRECTS;
    if (features && !WinHttpSetOption( req, WINHTTP_OPTION_DISABLE_FEATURE, &features, sizeof(features) ))
        return winhttp_failure( client, NULL, GetLastError(), "disabling cookies or redirects", error );
    /* our own wait enforces it too; this keeps WinHTTP from giving up first */
    timeout = winhttp_timeout( client->settings.receive_response_timeout );
    WinHttpSetOption( req, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, &timeout, sizeof(timeout) );
    return S_OK;
}

static HRESULT run_request( struct ws_http_client *client, HINTERNET req, struct http_op *op, const WCHAR *headers,
                            const struct ws_http_client_request *request, struct ws_http_response *response,
                            WS_ERROR *error )
{
    const struct ws_http_client_settings *s = &client->settings;
    HRESULT hr;

    if (FAILED(hr = set_request_options( client, req, op, error ))) return hr;
    if (FAILED(hr = complete_op( client, op,
                                 WinHttpSendRequest( req, headers, (DWORD)-1, (void *)request->body,
                                                     request->body_len, request->body_len, (DWORD_PTR)op ),
                                 add_timeouts( add_timeouts( s->resolve_timeout, s->connect_timeout ), s->send_timeout ),
                                 "WinHttpSendRequest", error )))
        return hr;
    if (FAILED(hr = complete_op( client, op, WinHttpReceiveResponse( req, NULL ), s->receive_response_timeout,
                                 "WinHttpReceiveResponse", error )))
        return hr;
    if (FAILED(hr = read_response_head( client, req, response, error ))) return hr;
    if (FAILED(hr = read_response_body( client, req, op, response, error ))) return hr;
    return status_hresult( response, error );
}

/* Closes REQ, which cancels a pending WinHTTP call.  OP then belongs to the
 * callback, which frees it with the request's last notification: Wine's
 * WinHTTP only sends it when a blocked receive ends, and waiting for it here
 * would make an abort as slow as WinHTTP's own timeout. */
static void close_request( HINTERNET req )
{
    WinHttpCloseHandle( req );
}

HRESULT ws_http_client_send( struct ws_http_client *client, const struct ws_http_client_request *request,
                             struct ws_http_response *response, WS_ERROR *error )
{
    WCHAR *headers = NULL;
    struct http_op *op;
    HINTERNET req;
    HRESULT hr;

    TRACE( "%p %p %p %p\n", client, request, response, error );
    if (!client) return ws_error_set( error, E_INVALIDARG, "client is NULL" );
    if (!request) return ws_error_set( error, E_INVALIDARG, "request is NULL" );
    if (!response) return ws_error_set( error, E_INVALIDARG, "response is NULL" );
    memset( response, 0, sizeof(*response) );
    if (request->body_len && !request->body) return ws_error_set( error, E_INVALIDARG, "body is NULL" );
    if (WaitForSingleObject( client->abort_event, 0 ) == WAIT_OBJECT_0)
        return ws_error_set( error, WS_E_OPERATION_ABORTED, "the client was aborted" );
    if (FAILED(hr = request_headers( request, &headers, error ))) return hr;

    if (!(op = calloc( 1, sizeof(*op) )) || !(op->event = CreateEventW( NULL, FALSE, FALSE, NULL )))
    {
        if (op) free_op( op );
        free( headers );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    }
    if (!(req = WinHttpOpenRequest( client->connect, L"POST", client->path, NULL, WINHTTP_NO_REFERER,
                                    WINHTTP_DEFAULT_ACCEPT_TYPES, client->secure ? WINHTTP_FLAG_SECURE : 0 )))
    {
        hr = winhttp_failure( client, NULL, GetLastError(), "WinHttpOpenRequest", error );
        free_op( op );
    }
    else
    {
        hr = run_request( client, req, op, headers, request, response, error );
        close_request( req );
    }
    free( headers );
    if (FAILED(hr) && !response->status) ws_http_response_free( response );
    return hr;
}

/* ---- One request in steps: streamed transfer modes ------------------------ */

struct ws_http_client_call
{
    LONG refs;                       /* the caller's, and a pending body read's */
    struct ws_http_client *client;
    HINTERNET req;
    struct http_op *op;              /* owned by the request handle's callback once REQ exists */
    BOOL received;                   /* the response head was received */
    BOOL body_done;                  /* the response body was read to its end */
    /* body reads run on a pool thread: Wine 8's WinHttpReadData may block its
     * caller until data arrives, and an abort must not wait for that */
    BOOL pending;                    /* a read was started and has not completed */
    HANDLE done;                     /* auto-reset: the pending read completed (READ_HR, RLEN) */
    HANDLE cancel;                   /* manual-reset: the call is freed, the pending read stops waiting */
    HRESULT read_hr;
    DWORD read_error;                /* WinHTTP's code when READ_HR failed */
    BYTE *rbuf;                      /* what the last read got: RPOS to RLEN not yet returned */
    ULONG rpos, rlen;
};

#define CALL_READ_SIZE 65536

static void call_release( struct ws_http_client_call *call )
{
    if (InterlockedDecrement( &call->refs )) return;
    if (call->done) CloseHandle( call->done );
    if (call->cancel) CloseHandle( call->cancel );
    free( call->rbuf );
    free( call );
}

/* Chunk framing (RFC 9112 7.1): size in hex, CRLF, data, CRLF; size 0 ends the body. */
static BOOL format_chunk( struct ws_buf *out, const void *data, ULONG len )
{
    char line[16];
    int n = snprintf( line, sizeof(line), "%lx\r\n", len );

    if (!ws_buf_append( out, line, n ) || !ws_buf_append( out, data, len )) return FALSE;
    return ws_buf_append( out, "\r\n", 2 );
}

/* One asynchronous WinHTTP step of a pool thread: S_OK when it completed. */
static HRESULT worker_step( struct ws_http_client_call *call, BOOL started )
{
    HANDLE handles[2] = { call->op->event, call->cancel };

    if (!started) call->read_error = GetLastError();
    else if (WaitForMultipleObjects( 2, handles, FALSE, INFINITE ) != WAIT_OBJECT_0) return WS_E_OPERATION_ABORTED;
    else if (call->op->status != WINHTTP_CALLBACK_STATUS_REQUEST_ERROR) return S_OK;
    else call->read_error = call->op->error;
    return E_FAIL;
}

/* The pool thread of a body read: how much is there, then read that much
 * (Wine's WinHttpReadData waits to fill the whole buffer of a chunked body). */
static void CALLBACK read_worker( PTP_CALLBACK_INSTANCE instance, void *context )
{
    struct ws_http_client_call *call = context;
    struct http_op *op = call->op;
    HRESULT hr;

    (void)instance;
    call->rlen = 0;
    if (SUCCEEDED(hr = worker_step( call, WinHttpQueryDataAvailable( call->req, NULL ) )) && op->bytes &&
        SUCCEEDED(hr = worker_step( call, WinHttpReadData( call->req, call->rbuf, min( op->bytes, CALL_READ_SIZE ), NULL ) )))
        call->rlen = min( op->bytes, CALL_READ_SIZE );
    call->read_hr = hr;
    SetEvent( call->done );
    free_op( op );
    call_release( call );
}

HRESULT ws_http_client_call_start( struct ws_http_client *client, const struct ws_http_client_request *request,
                                   struct ws_http_client_call **ret, WS_ERROR *error )
{
    const struct ws_http_client_settings *s;
    struct ws_http_client_call *call;
    WCHAR *headers = NULL;
    HRESULT hr;

    TRACE( "%p %p %p %p\n", client, request, ret, error );
    if (!client || !request || !ret) return ws_error_set( error, E_INVALIDARG, "NULL argument" );
    if (request->body_len && !request->body) return ws_error_set( error, E_INVALIDARG, "body is NULL" );
    if (WaitForSingleObject( client->abort_event, 0 ) == WAIT_OBJECT_0)
        return ws_error_set( error, WS_E_OPERATION_ABORTED, "the client was aborted" );
    if (FAILED(hr = request_headers( request, &headers, error ))) return hr;
    if (!(call = calloc( 1, sizeof(*call) )) || !(call->op = calloc( 1, sizeof(*call->op) )) ||
        !(call->op->event = CreateEventW( NULL, FALSE, FALSE, NULL )))
    {
        if (call && call->op) free_op( call->op );
        free( call );
        free( headers );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    }
    call->refs = 1;
    call->client = client;
    s = &client->settings;
    if (!(call->req = WinHttpOpenRequest( client->connect, L"POST", client->path, NULL, WINHTTP_NO_REFERER,
                                          WINHTTP_DEFAULT_ACCEPT_TYPES, client->secure ? WINHTTP_FLAG_SECURE : 0 )))
        hr = winhttp_failure( client, NULL, GetLastError(), "WinHttpOpenRequest", error );
    else if (SUCCEEDED(hr = set_request_options( client, call->req, call->op, error )))
        hr = complete_op( client, call->op,
                          WinHttpSendRequest( call->req, headers, (DWORD)-1, (void *)request->body, request->body_len,
                                              request->body_len, (DWORD_PTR)call->op ),
                          add_timeouts( add_timeouts( s->resolve_timeout, s->connect_timeout ), s->send_timeout ),
                          "WinHttpSendRequest", error );
    free( headers );
    if (FAILED(hr))
    {
        ws_http_client_call_free( call );
        return hr;
    }
    *ret = call;
    return S_OK;
}

HRESULT ws_http_client_call_response( struct ws_http_client_call *call, struct ws_http_response *response,
                                      BOOL read_body, WS_ERROR *error )
{
    struct ws_http_client *client;
    HRESULT hr;

    TRACE( "%p %p %d %p\n", call, response, read_body, error );
    if (!call || !response) return ws_error_set( error, E_INVALIDARG, "NULL argument" );
    if (call->received) return ws_error_set( error, WS_E_INVALID_OPERATION, "the response was already received" );
    client = call->client;
    memset( response, 0, sizeof(*response) );
    call->received = TRUE;
    if (FAILED(hr = complete_op( client, call->op, WinHttpReceiveResponse( call->req, NULL ),
                                 client->settings.receive_response_timeout, "WinHttpReceiveResponse", error )))
        return hr;
    if (FAILED(hr = read_response_head( client, call->req, response, error ))) return hr;
    /* a SOAP fault (500) is a message to stream; other failures are short: read them now */
    if (!read_body && response->status >= 200 && response->status < 300) return S_OK;
    if (!read_body && response->status == 500 && response->content_type) return S_OK;
    hr = read_response_body( client, call->req, call->op, response, error );
    call->body_done = TRUE;
    if (FAILED(hr)) return hr;
    return status_hresult( response, error );
}

HRESULT ws_http_client_call_read( struct ws_http_client_call *call, void *buf, ULONG size, ULONG *got,
                                  WS_ERROR *error )
{
    struct ws_http_client *client;
    HANDLE handles[2];
    ULONG timeout;

    if (!call || !buf || !got) return ws_error_set( error, E_INVALIDARG, "NULL argument" );
    *got = 0;
    if (!call->received) return ws_error_set( error, WS_E_INVALID_OPERATION, "the response was not received" );
    client = call->client;
    if (WaitForSingleObject( client->abort_event, 0 ) == WAIT_OBJECT_0)
        return ws_error_set( error, WS_E_OPERATION_ABORTED, "WinHttpReadData: the request was aborted" );
    if (call->rpos < call->rlen || call->body_done || !size)
    {
        *got = min( size, call->rlen - call->rpos );
        memcpy( buf, call->rbuf + call->rpos, *got );
        call->rpos += *got;
        return S_OK;
    }
    if (!call->pending)
    {
        if ((!call->rbuf && !(call->rbuf = malloc( CALL_READ_SIZE ))) ||
            (!call->done && !(call->done = CreateEventW( NULL, FALSE, FALSE, NULL ))) ||
            (!call->cancel && !(call->cancel = CreateEventW( NULL, TRUE, FALSE, NULL ))))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        InterlockedIncrement( &call->refs );
        InterlockedIncrement( &call->op->extra_refs );
        if (!TrySubmitThreadpoolCallback( read_worker, call, NULL ))
        {
            free_op( call->op );
            call_release( call );
            return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot queue the body read" );
        }
        call->pending = TRUE;
    }
    handles[0] = call->done;
    handles[1] = client->abort_event;
    timeout = client->settings.receive_timeout;
    switch (WaitForMultipleObjects( 2, handles, FALSE, timeout ))
    {
    case WAIT_OBJECT_0:
        call->pending = FALSE;
        if (FAILED(call->read_hr))
            return winhttp_failure( client, NULL, call->read_error, "reading the response body", error );
        call->rpos = 0;
        if (!call->rlen) call->body_done = TRUE;
        *got = min( size, call->rlen );
        memcpy( buf, call->rbuf, *got );
        call->rpos = *got;
        return S_OK;
    case WAIT_OBJECT_0 + 1:
        return ws_error_set( error, WS_E_OPERATION_ABORTED, "WinHttpReadData: the request was aborted" );
    case WAIT_TIMEOUT:
        return ws_error_set( error, WS_E_OPERATION_TIMED_OUT, "reading the response body took more than %lu ms", timeout );
    default:
        return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "waiting for WinHttpReadData failed" );
    }
}

void ws_http_client_call_free( struct ws_http_client_call *call )
{
    TRACE( "%p\n", call );
    if (!call) return;
    if (call->cancel) SetEvent( call->cancel );
    if (call->req) close_request( call->req );   /* the callback frees OP */
    else free_op( call->op );
    call_release( call );   /* a pending read keeps the rest until it returns */
}

/* ---------------------------------------------------------------------- */
/* Server                                                                 */
/* ---------------------------------------------------------------------- */

/* Connections served at once; more get 503 at once. */
#define MAX_CONNECTIONS 512
/* Longest chunk-size line of a chunked body. */
#define MAX_CHUNK_LINE 1024
/* Before closing a connection after an error response, what the client may
 * still be sending is read and dropped (within these bounds), so that the
 * close does not reset the connection before the client read the response. */
#define DRAIN_TIMEOUT 1000
#define DRAIN_MAX (1024 * 1024)

struct ws_http_server
{
    SRWLOCK lock;
    struct ws_conn_listener *listener;
    struct ws_http_server_settings settings;
    char *path;                      /* UTF-8, decoded */
    ULONG path_len;
    USHORT port;
    HANDLE abort_event;              /* manual-reset, set once */
    HANDLE queued;                   /* manual-reset, set while the queue is not empty */
    HANDLE idle;                     /* manual-reset, set while no server thread runs */
    LONG threads;
    BOOL aborted;
    struct ws_http_request *queue_head, *queue_tail;
    struct http_conn *conns;         /* connections whose thread runs */
    ULONG conn_count, next_id;
};

struct http_conn
{
    LONG refs;                       /* its thread, and the request it handed out */
    struct http_conn *prev, *next;
    struct ws_http_server *server;   /* for its thread only */
    struct ws_conn *conn;
    struct ws_buf in;                /* received bytes; unconsumed ones start at IN_POS */
    ULONG in_pos;
    ULONG id;
    HANDLE answered;                 /* auto-reset: the request handed out was answered or freed */
    BOOL keep_alive;                 /* with ANSWERED: read the next request */
};

struct ws_http_request
{
    struct ws_http_request_info info;
    struct ws_http_request *next;    /* in the accept queue */
    struct http_conn *conn;
    struct ws_buf head;              /* request line and headers; INFO points into it */
    struct header_list headers;
    struct ws_buf body;
    BOOL keep_alive;                 /* the client allows another request */
    BOOL answered;
    BOOL streaming;                  /* a chunked response was started and not finished */
    USHORT port;
};

static const char *reason_phrase( ULONG status )
{
    static const struct { ULONG status; const char *reason; } reasons[] =
    {
        { 100, "Continue" }, { 200, "OK" }, { 202, "Accepted" }, { 204, "No Content" },
        { 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
        { 405, "Method Not Allowed" }, { 408, "Request Timeout" }, { 411, "Length Required" },
        { 413, "Payload Too Large" }, { 415, "Unsupported Media Type" }, { 417, "Expectation Failed" },
        { 431, "Request Header Fields Too Large" }, { 500, "Internal Server Error" }, { 501, "Not Implemented" },
        { 503, "Service Unavailable" }, { 505, "HTTP Version Not Supported" },
    };
    ULONG i;
    for (i = 0; i < ARRAYSIZE(reasons); i++) if (reasons[i].status == status) return reasons[i].reason;
    return "Status";
}

/* A whole response with Content-Length, in OUT. */
static BOOL format_response( struct ws_buf *out, ULONG status, const char *content_type, ULONG content_type_len,
                             const struct ws_http_header *headers, ULONG count, const void *body, ULONG body_len,
                             BOOL close )
{
    char line[128];
    int len = snprintf( line, sizeof(line), "HTTP/1.1 %03lu %s\r\nContent-Length: %lu\r\n", status,
                        reason_phrase( status ), body_len );

    return ws_buf_append( out, line, len ) &&
           (!content_type || append_header( out, "Content-Type", content_type, content_type_len )) &&
           (!close || ws_buf_append( out, "Connection: close\r\n", 19 )) &&
           append_headers( out, headers, count ) && ws_buf_append( out, "\r\n", 2 ) &&
           ws_buf_append( out, body, body_len );
}

static void conn_release( struct http_conn *c )
{
    if (InterlockedDecrement( &c->refs )) return;
    ws_conn_free( c->conn );
    ws_buf_free( &c->in );
    CloseHandle( c->answered );
    free( c );
}

/* Receives more bytes (room for at least WANT); S_FALSE when the peer closed. */
static HRESULT conn_fill( struct http_conn *c, ULONG want, ULONGLONG deadline )
{
    ULONG received;
    HRESULT hr;

    if (!ws_buf_reserve( &c->in, max( want, 4096 ) )) return E_OUTOFMEMORY;
    hr = ws_conn_receive( c->conn, c->in.data + c->in.len, c->in.cap - c->in.len, &received,
                          ws_time_left( deadline ), NULL );
    if (hr != S_OK) return hr;
    if (!received) return S_FALSE;
    c->in.len += received;
    return S_OK;
}

static ULONG conn_avail( const struct http_conn *c )
{
    return c->in.len - c->in_pos;
}

/* Makes N unconsumed bytes available (S_FALSE: the peer closed first). */
static HRESULT conn_need( struct http_conn *c, ULONG n, ULONGLONG deadline )
{
    HRESULT hr;
    while (conn_avail( c ) < n)
        if ((hr = conn_fill( c, n - conn_avail( c ), deadline )) != S_OK) return hr;
    return S_OK;
}

static void conn_drain( struct http_conn *c )
{
    ULONGLONG deadline = ws_deadline_after( DRAIN_TIMEOUT );
    ULONG total = 0;

    c->in.len = c->in_pos = 0;
    while (total < DRAIN_MAX && conn_fill( c, 0, deadline ) == S_OK)
    {
        total += c->in.len;
        c->in.len = 0;
    }
}

/* Outcome of reading one request from a connection. */
enum read_outcome
{
    READ_REQUEST,                    /* a request for the application */
    READ_ANSWER,                     /* the server answers STATUS itself */
    READ_DROP,                       /* the connection ends (closed, timed out, aborted) */
};

struct read_state
{
    ULONG status;                    /* READ_ANSWER: the status to answer */
    BOOL keep_alive;                 /* READ_ANSWER: the connection goes on afterwards */
};

static enum read_outcome answer( struct read_state *state, ULONG status, BOOL keep_alive )
{
    state->status = status;
    state->keep_alive = keep_alive;
    return READ_ANSWER;
}

/* The length of the request head (through its empty line), 0 if incomplete. */
static ULONG find_head_end( const BYTE *data, ULONG len )
{
    ULONG i;
    for (i = 0; i < len; i++)
    {
        if (data[i] != '\n') continue;
        if (i + 1 < len && data[i + 1] == '\n') return i + 2;
        if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n') return i + 3;
    }
    return 0;
}

/* Checks "METHOD SP target SP HTTP/d.d" (LINE without its CR LF): 0 or the
 * status to answer.  With COMPLETE FALSE, LINE is a prefix still arriving:
 * only what is there is checked, so garbage is refused without waiting. */
static ULONG parse_request_line( const char *line, ULONG len, BOOL complete, ULONG *method_len, ULONG *target_pos,
                                 ULONG *target_len, ULONG *minor )
{
    ULONG pos = 0, start;

    while (pos < len && is_tchar( line[pos] )) pos++;
    if (pos == len) return complete ? 400 : 0;
    if (!pos || line[pos] != ' ') return 400;
    *method_len = pos++;
    for (start = pos; pos < len && line[pos] > 0x20 && line[pos] < 0x7f; pos++);
    if (pos == len) return complete ? 400 : 0;
    if (pos == start || line[pos] != ' ') return 400;
    *target_pos = start;
    *target_len = pos++ - start;
    if (!complete) return 0;
    if (len - pos != 8 || memcmp( line + pos, "HTTP/", 5 ) || line[pos + 5] < '0' || line[pos + 5] > '9' ||
        line[pos + 6] != '.' || line[pos + 7] < '0' || line[pos + 7] > '9')
        return 400;
    if (line[pos + 5] != '1') return 505;
    *minor = line[pos + 7] - '0';
    return 0;
}

/* Percent-decodes the path of TARGET (origin or absolute form) and compares
 * it with the server's path: ASCII case-insensitively, as http.sys does, and
 * ignoring a trailing slash. */
static BOOL path_matches( const struct ws_http_server *server, const char *target, ULONG len )
{
    ULONG i, out_len = 0, path_len = server->path_len;
    BOOL match = FALSE;
    char *path;

    if (len >= 7 && (equal_nocase( target, 7, "http://" ) || (len >= 8 && equal_nocase( target, 8, "https://" ))))
    {
        const char *auth = (const char *)memchr( target, '/', len ) + 2, *slash;
        slash = memchr( auth, '/', len - (auth - target) );
        if (!slash) { target = "/"; len = 1; }
        else { len -= slash - target; target = slash; }
    }
    for (i = 0; i < len && target[i] != '?' && target[i] != '#'; i++);
    len = i;
    if (!(path = malloc( len + 1 ))) return FALSE;
    for (i = 0; i < len; i++)
    {
        if (target[i] == '%')
        {
            int hi, lo;
            if (i + 2 >= len) goto done;
            hi = isxdigit( (BYTE)target[i + 1] ) ? target[i + 1] : -1;
            lo = isxdigit( (BYTE)target[i + 2] ) ? target[i + 2] : -1;
            if (hi < 0 || lo < 0) goto done;
            hi = hi <= '9' ? hi - '0' : (ascii_lower( hi ) - 'a' + 10);
            lo = lo <= '9' ? lo - '0' : (ascii_lower( lo ) - 'a' + 10);
            path[out_len++] = hi * 16 + lo;
            i += 2;
        }
        else path[out_len++] = target[i];
    }
    while (out_len && path[out_len - 1] == '/') out_len--;
    while (path_len && server->path[path_len - 1] == '/') path_len--;
    if (out_len == path_len)
    {
        match = TRUE;
        for (i = 0; i < out_len; i++)
            if (ascii_lower( path[i] ) != ascii_lower( server->path[i] )) match = FALSE;
    }
done:
    TRACE( "%s against %s: %d\n", debugstr_an( path, out_len ), debugstr_an( server->path, path_len ), match );
    free( path );
    return match;
}

static void request_free( struct ws_http_request *req )
{
    ws_buf_free( &req->head );
    ws_buf_free( &req->body );
    free( req->headers.items );
    free( req );
}

/* Reads the request line and headers into a new request. */
static enum read_outcome read_head( struct http_conn *c, struct ws_http_request **ret, ULONG *minor,
                                    ULONGLONG deadline, struct read_state *state )
{
    ULONG max = c->server->settings.max_header_size, head_len, method_len = 0, target_pos = 0, target_len = 0;
    struct ws_http_request *req;
    const char *line_end;
    ULONG status, line_len;
    HRESULT hr;

    for (;;)
    {
        const BYTE *data = c->in.data + c->in_pos;
        ULONG avail = conn_avail( c );

        if ((head_len = find_head_end( data, min( avail, max ) ))) break;
        line_end = memchr( data, '\n', avail );
        line_len = line_end ? (ULONG)(line_end - (const char *)data) : avail;
        if (line_end && line_len && data[line_len - 1] == '\r') line_len--;
        if ((status = parse_request_line( (const char *)data, line_len, line_end != NULL, &method_len, &target_pos,
                                          &target_len, minor )))
            return answer( state, status, FALSE );
        if (avail >= max) return answer( state, 431, FALSE );
        if ((hr = conn_fill( c, 0, deadline )) != S_OK)
        {
            TRACE( "connection %lu: %#lx while reading a request head\n", c->id, hr );
            return READ_DROP;
        }
    }

    if (!(req = calloc( 1, sizeof(*req) )) || !ws_buf_append( &req->head, c->in.data + c->in_pos, head_len ))
    {
        if (req) request_free( req );
        return answer( state, 500, FALSE );
    }
    c->in_pos += head_len;
    line_end = memchr( req->head.data, '\n', head_len );
    line_len = line_end - (const char *)req->head.data;
    if (line_len && req->head.data[line_len - 1] == '\r') line_len--;
    if ((status = parse_request_line( (const char *)req->head.data, line_len, TRUE, &method_len, &target_pos,
                                      &target_len, minor )) ||
        FAILED(parse_header_lines( line_end + 1, head_len - line_len - 1, &req->headers, NULL )))
    {
        request_free( req );
        return answer( state, status ? status : 400, FALSE );
    }
    req->info.method = (const char *)req->head.data;
    req->info.method_len = method_len;
    req->info.target = (const char *)req->head.data + target_pos;
    req->info.target_len = target_len;
    *ret = req;
    return READ_REQUEST;
}

/* Parses a Content-Length value: FALSE when malformed; *VALUE saturates past 4 GB. */
static BOOL parse_content_length( const struct ws_http_header *h, ULONGLONG *value )
{
    ULONG i;
    if (!h->value_len) return FALSE;
    for (*value = 0, i = 0; i < h->value_len; i++)
    {
        if (h->value[i] < '0' || h->value[i] > '9') return FALSE;
        if (*value < 0x100000000ull) *value = *value * 10 + h->value[i] - '0';
    }
    return TRUE;
}

/* One line of a chunked body (without CR LF), consumed; NULL on failure (*HR). */
static const char *read_chunk_line( struct http_conn *c, ULONG limit, ULONG *len, ULONGLONG deadline, HRESULT *hr )
{
    for (;;)
    {
        const char *data = (const char *)c->in.data + c->in_pos, *end = memchr( data, '\n', conn_avail( c ) );
        if (end)
        {
            *len = end - data;
            c->in_pos += *len + 1;
            if (*len && data[*len - 1] == '\r') (*len)--;
            return data;
        }
        if (conn_avail( c ) > limit)
        {
            *hr = WS_E_INVALID_FORMAT;
            return NULL;
        }
        if ((*hr = conn_fill( c, 0, deadline )) != S_OK) return NULL;
    }
}

static enum read_outcome read_chunked_body( struct http_conn *c, struct ws_http_request *req, ULONGLONG deadline,
                                            struct read_state *state )
{
    ULONG max = c->server->settings.max_body_size, trailers = 0, len, i;
    const char *line;
    HRESULT hr = S_OK;

    for (;;)
    {
        ULONGLONG size = 0;
        if (!(line = read_chunk_line( c, MAX_CHUNK_LINE, &len, deadline, &hr )))
            return hr == WS_E_INVALID_FORMAT ? answer( state, 400, FALSE ) : READ_DROP;
        for (i = 0; i < len && isxdigit( (BYTE)line[i] ); i++)
        {
            if (size < 0x100000000ull) size = size * 16 + (line[i] <= '9' ? line[i] - '0' : ascii_lower( line[i] ) - 'a' + 10);
        }
        /* chunk extensions (";name=value") are allowed and ignored */
        if (!i || (i < len && line[i] != ';' && line[i] != ' ' && line[i] != '\t')) return answer( state, 400, FALSE );
        if (!size) break;
        if (size > max - req->body.len) return answer( state, 413, FALSE );
        if ((hr = conn_need( c, (ULONG)size + 2, deadline )) != S_OK) return READ_DROP;
        if (!ws_buf_append( &req->body, c->in.data + c->in_pos, size )) return answer( state, 500, FALSE );
        c->in_pos += size;
        if (c->in.data[c->in_pos] != '\r' || c->in.data[c->in_pos + 1] != '\n') return answer( state, 400, FALSE );
        c->in_pos += 2;
    }
    /* trailer fields, ignored, up to the empty line */
    do
    {
        if (!(line = read_chunk_line( c, MAX_CHUNK_LINE, &len, deadline, &hr )))
            return hr == WS_E_INVALID_FORMAT ? answer( state, 400, FALSE ) : READ_DROP;
        if ((trailers += len + 2) > c->server->settings.max_header_size) return answer( state, 431, FALSE );
    } while (len);
    return READ_REQUEST;
}

static HRESULT send_continue( struct http_conn *c )
{
    static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
    return ws_conn_send( c->conn, line, sizeof(line) - 1, c->server->settings.send_timeout, NULL );
}

/* Framing (RFC 7230 3.3.3), expectations, then the body. */
static enum read_outcome read_body( struct http_conn *c, struct ws_http_request *req, ULONG minor,
                                    ULONGLONG deadline, struct read_state *state )
{
    const struct ws_http_server_settings *s = &c->server->settings;
    const struct ws_http_header *headers = req->headers.items, *te, *cl = NULL, *expect;
    ULONG count = req->headers.count, i, status = 0;
    ULONGLONG length = 0, other;
    BOOL chunked = FALSE, expect_continue = FALSE;

    for (i = 0; i < count; i++)
    {
        if (!equal_nocase( headers[i].name, headers[i].name_len, "Content-Length" )) continue;
        if (!parse_content_length( &headers[i], cl ? &other : &length ) || (cl && other != length))
            return answer( state, 400, FALSE );
        cl = &headers[i];
    }
    if ((te = ws_http_find_header( headers, count, "Transfer-Encoding" )))
    {
        /* both framings at once is how requests are smuggled: refused */
        if (cl) return answer( state, 400, FALSE );
        if (!equal_nocase( te->value, te->value_len, "chunked" )) return answer( state, 501, FALSE );
        chunked = TRUE;
    }
    if ((expect = ws_http_find_header( headers, count, "Expect" )))
    {
        if (!equal_nocase( expect->value, expect->value_len, "100-continue" )) return answer( state, 417, FALSE );
        expect_continue = minor >= 1;
    }
    if (!chunked && length > s->max_body_size) return answer( state, 413, FALSE );

    if (!path_matches( c->server, req->info.target, req->info.target_len )) status = 404;
    else if (!equal_nocase( req->info.method, req->info.method_len, "POST" )) status = 405;
    /* the client waits before sending the body: answer without reading it */
    if (status && expect_continue) return answer( state, status, FALSE );
    if (expect_continue && send_continue( c ) != S_OK) return READ_DROP;

    if (chunked)
    {
        enum read_outcome outcome = read_chunked_body( c, req, deadline, state );
        if (outcome != READ_REQUEST) return outcome;
    }
    else if (length)
    {
        if (conn_need( c, length, deadline ) != S_OK) return READ_DROP;
        if (!ws_buf_append( &req->body, c->in.data + c->in_pos, length )) return answer( state, 500, FALSE );
        c->in_pos += length;
    }
    if (status) return answer( state, status, req->keep_alive );
    return READ_REQUEST;
}

static enum read_outcome read_request( struct http_conn *c, struct ws_http_request **ret, struct read_state *state )
{
    const struct ws_http_server_settings *s = &c->server->settings;
    struct ws_http_request *req = NULL;
    enum read_outcome outcome;
    ULONGLONG deadline;
    ULONG minor = 1;

    memmove( c->in.data, c->in.data + c->in_pos, conn_avail( c ) );
    c->in.len -= c->in_pos;
    c->in_pos = 0;
    /* wait for the first byte of the request with the idle timeout; empty
     * lines before a request are ignored (RFC 7230 3.5) */
    deadline = ws_deadline_after( s->idle_timeout );
    for (;;)
    {
        while (c->in_pos < c->in.len && (c->in.data[c->in_pos] == '\r' || c->in.data[c->in_pos] == '\n')) c->in_pos++;
        if (conn_avail( c )) break;
        c->in.len = c->in_pos = 0;
        if (conn_fill( c, 0, deadline ) != S_OK) return READ_DROP;
    }
    deadline = ws_deadline_after( s->receive_timeout );
    if ((outcome = read_head( c, &req, &minor, deadline, state )) != READ_REQUEST) return outcome;

    req->keep_alive = minor >= 1 ? !header_has_token( req->headers.items, req->headers.count, "Connection", "close" )
                                 : header_has_token( req->headers.items, req->headers.count, "Connection", "keep-alive" );
    if ((outcome = read_body( c, req, minor, deadline, state )) != READ_REQUEST)
    {
        request_free( req );
        return outcome;
    }
    req->info.headers = req->headers.items;
    req->info.header_count = req->headers.count;
    req->info.content_type = ws_http_find_header( req->headers.items, req->headers.count, "Content-Type" );
    req->info.soap_action = ws_http_find_header( req->headers.items, req->headers.count, "SOAPAction" );
    req->info.body = req->body.data;
    req->info.body_len = req->body.len;
    req->info.connection_id = c->id;
    req->port = c->server->port;
    *ret = req;
    return READ_REQUEST;
}

static HRESULT send_status( struct http_conn *c, ULONG status, BOOL keep_alive )
{
    static const struct ws_http_header allow = { "Allow", 5, "POST", 4 };
    struct ws_buf buf = { 0 };
    HRESULT hr = E_OUTOFMEMORY;

    TRACE( "connection %lu: answering %lu\n", c->id, status );
    if (format_response( &buf, status, NULL, 0, &allow, status == 405 ? 1 : 0, NULL, 0, !keep_alive ))
        hr = ws_conn_send( c->conn, buf.data, buf.len, c->server->settings.send_timeout, NULL );
    ws_buf_free( &buf );
    return hr;
}

/* Hands REQ to ws_http_server_accept; FALSE (REQ freed) once aborted. */
static BOOL queue_request( struct ws_http_server *server, struct http_conn *c, struct ws_http_request *req )
{
    BOOL queued;

    req->conn = c;
    InterlockedIncrement( &c->refs );
    AcquireSRWLockExclusive( &server->lock );
    if ((queued = !server->aborted))
    {
        if (server->queue_tail) server->queue_tail->next = req;
        else server->queue_head = req;
        server->queue_tail = req;
        SetEvent( server->queued );
    }
    ReleaseSRWLockExclusive( &server->lock );
    if (!queued)
    {
        request_free( req );
        conn_release( c );
    }
    return queued;
}

/* The last thing a server thread does: once IDLE is set, ws_http_server_free
 * may free SERVER, so the lock is released before and nothing is touched after. */
static void thread_done( struct ws_http_server *server )
{
    HANDLE idle = server->idle;
    LONG left;

    AcquireSRWLockExclusive( &server->lock );
    left = --server->threads;
    ReleaseSRWLockExclusive( &server->lock );
    if (!left) SetEvent( idle );
}

/* Serves one connection: reads requests, answers the ones the server owns,
 * queues the others and waits for their answer before the next one. */
static DWORD WINAPI conn_thread( void *arg )
{
    struct http_conn *c = arg;
    struct ws_http_server *server = c->server;
    BOOL graceful = FALSE;

    for (;;)
    {
        struct ws_http_request *req = NULL;
        struct read_state state = { 0 };
        HANDLE handles[2] = { c->answered, server->abort_event };
        enum read_outcome outcome = read_request( c, &req, &state );

        if (outcome == READ_DROP) break;
        if (outcome == READ_ANSWER)
        {
            if (send_status( c, state.status, state.keep_alive ) != S_OK) break;
            if (state.keep_alive) continue;
            conn_drain( c );
            graceful = TRUE;
            break;
        }
        if (!queue_request( server, c, req )) break;
        if (WaitForMultipleObjects( 2, handles, FALSE, INFINITE ) != WAIT_OBJECT_0) break;
        if (!c->keep_alive)
        {
            /* answered with Connection: close (ANSWERED is only set after the
             * answer was written, so nothing else uses the socket now) */
            graceful = TRUE;
            break;
        }
    }
    if (graceful) ws_conn_close( c->conn, NULL );
    AcquireSRWLockExclusive( &server->lock );
    if (c->prev) c->prev->next = c->next;
    else server->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    server->conn_count--;
    ReleaseSRWLockExclusive( &server->lock );
    conn_release( c );
    thread_done( server );
    return 0;
}

/* Starts the thread of a new connection (the server is at capacity: 503). */
static void start_connection( struct ws_http_server *server, struct ws_conn *conn )
{
    struct http_conn *c;
    BOOL started = FALSE, full;
    HANDLE thread;

    if (!(c = calloc( 1, sizeof(*c) )) || !(c->answered = CreateEventW( NULL, FALSE, FALSE, NULL )))
    {
        free( c );
        ws_conn_free( conn );
        return;
    }
    c->refs = 1;
    c->conn = conn;
    c->server = server;
    AcquireSRWLockExclusive( &server->lock );
    if (!server->aborted && !(full = server->conn_count >= MAX_CONNECTIONS))
    {
        c->id = ++server->next_id;
        if ((thread = CreateThread( NULL, 0, conn_thread, c, 0, NULL )))
        {
            CloseHandle( thread );
            c->next = server->conns;
            if (c->next) c->next->prev = c;
            server->conns = c;
            server->conn_count++;
            server->threads++;
            started = TRUE;
        }
    }
    else full = !server->aborted;
    ReleaseSRWLockExclusive( &server->lock );
    if (started) return;
    if (full)
    {
        static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        if (ws_conn_send( conn, busy, sizeof(busy) - 1, 1000, NULL ) == S_OK) ws_conn_close( conn, NULL );
    }
    conn_release( c );
}

static DWORD WINAPI accept_thread( void *arg )
{
    struct ws_http_server *server = arg;
    struct ws_conn *conn;

    while (WaitForSingleObject( server->abort_event, 0 ) != WAIT_OBJECT_0)
    {
        if (FAILED(ws_conn_create( &conn, NULL )))
        {
            WaitForSingleObject( server->abort_event, 100 );
            continue;
        }
        if (FAILED(ws_conn_listener_accept( server->listener, conn, INFINITE, NULL )))
        {
            ws_conn_free( conn );
            /* not aborted: a transient failure (out of sockets...); retry shortly */
            WaitForSingleObject( server->abort_event, 100 );
            continue;
        }
        start_connection( server, conn );
    }
    thread_done( server );
    return 0;
}

HRESULT ws_http_server_create( const WCHAR *host, ULONG host_len, USHORT port, WS_IP_VERSION ip_version,
                               const WCHAR *path, ULONG path_len, const struct ws_http_server_settings *settings,
                               struct ws_http_server **ret, WS_ERROR *error )
{
    struct ws_http_server *server;
    HANDLE thread;
    HRESULT hr;
    int len;

    TRACE( "%s %u %d %s %p %p %p\n", debugstr_wn( host, host_len ), port, ip_version, debugstr_wn( path, path_len ),
           settings, ret, error );
    if (!host || !host_len) return ws_error_set( error, E_INVALIDARG, "host is NULL or empty" );
    if (path_len && !path) return ws_error_set( error, E_INVALIDARG, "path is NULL" );
    if (!settings) return ws_error_set( error, E_INVALIDARG, "settings is NULL" );
    if (!ret) return ws_error_set( error, E_INVALIDARG, "ret is NULL" );
    if ((len = ws_utf16_to_utf8( path, path_len, NULL, 0 )) < 0)
        return ws_error_set( error, E_INVALIDARG, "path is not valid UTF-16" );
    if (FAILED(hr = ws_transport_startup( error ))) return hr;

    if (!(server = calloc( 1, sizeof(*server) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    InitializeSRWLock( &server->lock );
    server->settings = *settings;
    server->path_len = len;
    server->threads = 1;   /* the accept thread */
    if (!(server->path = malloc( len + 1 )) || !(server->abort_event = CreateEventW( NULL, TRUE, FALSE, NULL )) ||
        !(server->queued = CreateEventW( NULL, TRUE, FALSE, NULL )) ||
        !(server->idle = CreateEventW( NULL, TRUE, FALSE, NULL )))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else
    {
        ws_utf16_to_utf8( path, path_len, (BYTE *)server->path, len );
        hr = ws_conn_listener_create_tcp( host, host_len, port, ip_version, &server->listener, error );
    }
    if (SUCCEEDED(hr))
    {
        server->port = ws_conn_listener_port( server->listener );
        if ((thread = CreateThread( NULL, 0, accept_thread, server, 0, NULL ))) CloseHandle( thread );
        else hr = ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot start the accept thread" );
    }
    if (FAILED(hr))
    {
        server->threads = 0;
        if (server->idle) SetEvent( server->idle );
        ws_http_server_free( server );
        return hr;
    }
    *ret = server;
    return S_OK;
}

USHORT ws_http_server_port( const struct ws_http_server *server )
{
    return server ? server->port : 0;
}

HRESULT ws_http_server_accept( struct ws_http_server *server, ULONG timeout, struct ws_http_request **ret,
                               WS_ERROR *error )
{
    return ws_http_server_accept_cancel( server, timeout, NULL, ret, error );
}

HRESULT ws_http_server_accept_cancel( struct ws_http_server *server, ULONG timeout, HANDLE cancel,
                                      struct ws_http_request **ret, WS_ERROR *error )
{
    ULONGLONG deadline = ws_deadline_after( timeout );

    TRACE( "%p %lu %p %p %p\n", server, timeout, cancel, ret, error );
    if (!server) return ws_error_set( error, E_INVALIDARG, "server is NULL" );
    if (!ret) return ws_error_set( error, E_INVALIDARG, "ret is NULL" );
    for (;;)
    {
        HANDLE handles[3] = { server->queued, server->abort_event, cancel };
        struct ws_http_request *req;

        AcquireSRWLockExclusive( &server->lock );
        if (server->aborted)
        {
            ReleaseSRWLockExclusive( &server->lock );
            return ws_error_set( error, WS_E_OPERATION_ABORTED, "the HTTP server was aborted" );
        }
        if ((req = server->queue_head))
        {
            if (!(server->queue_head = req->next)) server->queue_tail = NULL;
            if (!server->queue_head) ResetEvent( server->queued );
            req->next = NULL;
        }
        ReleaseSRWLockExclusive( &server->lock );
        if (req)
        {
            *ret = req;
            return S_OK;
        }
        if (cancel && WaitForSingleObject( cancel, 0 ) == WAIT_OBJECT_0)
            return ws_error_set( error, WS_E_OPERATION_ABORTED, "the accept was aborted" );
        if (WaitForMultipleObjects( cancel ? 3 : 2, handles, FALSE, ws_time_left( deadline ) ) == WAIT_TIMEOUT)
            return ws_error_set( error, WS_E_OPERATION_TIMED_OUT, "no request within %lu ms", timeout );
    }
}

void ws_http_server_abort( struct ws_http_server *server )
{
    struct http_conn *c;

    TRACE( "%p\n", server );
    if (!server) return;
    AcquireSRWLockExclusive( &server->lock );
    server->aborted = TRUE;
    for (c = server->conns; c; c = c->next) ws_conn_abort( c->conn );
    ReleaseSRWLockExclusive( &server->lock );
    SetEvent( server->abort_event );
    if (server->listener) ws_conn_listener_abort( server->listener );
}

void ws_http_server_free( struct ws_http_server *server )
{
    struct ws_http_request *req;

    TRACE( "%p\n", server );
    if (!server) return;
    if (server->abort_event)
    {
        ws_http_server_abort( server );
        /* every connection thread sees the abort and ends; none is left behind */
        WaitForSingleObject( server->idle, INFINITE );
    }
    while ((req = server->queue_head))
    {
        server->queue_head = req->next;
        ws_http_request_free( req );
    }
    if (server->listener) ws_conn_listener_free( server->listener );
    if (server->abort_event) CloseHandle( server->abort_event );
    if (server->queued) CloseHandle( server->queued );
    if (server->idle) CloseHandle( server->idle );
    free( server->path );
    free( server );
}

const struct ws_http_request_info *ws_http_request_get_info( const struct ws_http_request *request )
{
    return request ? &request->info : NULL;
}

WCHAR *ws_http_request_url( const struct ws_http_request *request, ULONG *len )
{
    const struct ws_http_header *host;
    const char *target = request->info.target;
    struct ws_buf buf = { 0 };
    WCHAR *ret = NULL;
    char local[32];
    int wlen;
    BOOL ok;

    if (request->info.target_len >= 7 && equal_nocase( target, 7, "http://" ))
        ok = ws_buf_append( &buf, target, request->info.target_len );
    else
    {
        ok = ws_buf_append( &buf, "http://", 7 );
        if ((host = ws_http_find_header( request->headers.items, request->headers.count, "Host" )) && host->value_len)
            ok = ok && ws_buf_append( &buf, host->value, host->value_len );
        else
            ok = ok && ws_buf_append( &buf, local, snprintf( local, sizeof(local), "localhost:%u", request->port ) );
        ok = ok && ws_buf_append( &buf, target, request->info.target_len );
    }
    if (ok && (wlen = ws_utf8_to_utf16( buf.data, buf.len, NULL, 0 )) >= 0 &&
        (ret = malloc( (wlen + 1) * sizeof(WCHAR) )))
    {
        ws_utf8_to_utf16( buf.data, buf.len, ret, wlen );
        ret[wlen] = 0;
        if (len) *len = wlen;
    }
    ws_buf_free( &buf );
    return ret;
}

HRESULT ws_http_request_respond( struct ws_http_request *request, ULONG status, const char *content_type,
                                 ULONG content_type_len, const struct ws_http_header *headers, ULONG count,
                                 const void *body, ULONG body_len, ULONG timeout, WS_ERROR *error )
{
    struct http_conn *c;
    struct ws_buf buf = { 0 };
    HRESULT hr;

    TRACE( "%p %lu %s %p %lu %p %lu %lu %p\n", request, status, debugstr_an( content_type, content_type_len ),
           headers, count, body, body_len, timeout, error );
    if (!request) return ws_error_set( error, E_INVALIDARG, "request is NULL" );
    if (status < 200 || status > 999) return ws_error_set( error, E_INVALIDARG, "invalid status %lu", status );
    if (body_len && !body) return ws_error_set( error, E_INVALIDARG, "body is NULL" );
    if (content_type && !is_field_value( content_type, content_type_len ))
        return ws_error_set( error, E_INVALIDARG, "content type contains CR, LF or NUL" );
    if (FAILED(hr = check_headers( headers, count, error ))) return hr;
    if (request->answered) return ws_error_set( error, WS_E_INVALID_OPERATION, "the request was already answered" );

    c = request->conn;
    request->answered = TRUE;
    if (!format_response( &buf, status, content_type, content_type_len, headers, count, body, body_len,
                          !request->keep_alive ))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else
        hr = ws_conn_send( c->conn, buf.data, buf.len, timeout, error );
    ws_buf_free( &buf );
    c->keep_alive = request->keep_alive && hr == S_OK;
    SetEvent( c->answered );
    return hr;
}

/* Streamed responses: the head with Transfer-Encoding: chunked, then chunks. */
HRESULT ws_http_request_respond_start( struct ws_http_request *request, ULONG status, const char *content_type,
                                       ULONG content_type_len, const struct ws_http_header *headers, ULONG count,
                                       ULONG timeout, WS_ERROR *error )
{
    struct http_conn *c;
    struct ws_buf buf = { 0 };
    char line[64];
    int len;
    HRESULT hr;

    TRACE( "%p %lu %s %p %lu %lu %p\n", request, status, debugstr_an( content_type, content_type_len ), headers,
           count, timeout, error );
    if (!request) return ws_error_set( error, E_INVALIDARG, "request is NULL" );
    if (status < 200 || status > 999) return ws_error_set( error, E_INVALIDARG, "invalid status %lu", status );
    if (content_type && !is_field_value( content_type, content_type_len ))
        return ws_error_set( error, E_INVALIDARG, "content type contains CR, LF or NUL" );
    if (FAILED(hr = check_headers( headers, count, error ))) return hr;
    if (request->answered) return ws_error_set( error, WS_E_INVALID_OPERATION, "the request was already answered" );

    c = request->conn;
    request->answered = request->streaming = TRUE;
    len = snprintf( line, sizeof(line), "HTTP/1.1 %03lu %s\r\nTransfer-Encoding: chunked\r\n", status,
                    reason_phrase( status ) );
    if (!ws_buf_append( &buf, line, len ) ||
        (content_type && !append_header( &buf, "Content-Type", content_type, content_type_len )) ||
        (!request->keep_alive && !ws_buf_append( &buf, "Connection: close\r\n", 19 )) ||
        !append_headers( &buf, headers, count ) || !ws_buf_append( &buf, "\r\n", 2 ))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else
        hr = ws_conn_send( c->conn, buf.data, buf.len, timeout, error );
    ws_buf_free( &buf );
    return hr;
}

HRESULT ws_http_request_respond_chunk( struct ws_http_request *request, const void *data, ULONG len, ULONG timeout,
                                       WS_ERROR *error )
{
    struct http_conn *c;
    struct ws_buf buf = { 0 };
    HRESULT hr;

    TRACE( "%p %p %lu %lu %p\n", request, data, len, timeout, error );
    if (!request || (len && !data)) return ws_error_set( error, E_INVALIDARG, "NULL argument" );
    if (!request->streaming) return ws_error_set( error, WS_E_INVALID_OPERATION, "no chunked response is being sent" );
    c = request->conn;
    if (!format_chunk( &buf, data, len )) hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else hr = ws_conn_send( c->conn, buf.data, buf.len, timeout, error );
    ws_buf_free( &buf );
    if (FAILED(hr) || !len)
    {
        /* finished (or broken: the connection is then not reused) */
        request->streaming = FALSE;
        c->keep_alive = request->keep_alive && hr == S_OK;
        if (FAILED(hr)) ws_conn_abort( c->conn );
        SetEvent( c->answered );
    }
    return hr;
}

void ws_http_request_abort( struct ws_http_request *request )
{
    TRACE( "%p\n", request );
    if (request && request->conn) ws_conn_abort( request->conn->conn );
}

void ws_http_request_free( struct ws_http_request *request )
{
    TRACE( "%p\n", request );
    if (!request) return;
    if (request->conn)
    {
        if (!request->answered || request->streaming)
        {
            /* unanswered or a chunked response cut short: the connection ends */
            request->conn->keep_alive = FALSE;
            ws_conn_abort( request->conn->conn );
            SetEvent( request->conn->answered );
        }
        conn_release( request->conn );
    }
    request_free( request );
}
