/*
 * HTTP/1.1 for WS_HTTP_CHANNEL_BINDING (http.c): the WinHTTP client against
 * our server in-process, the server against raw connections (chunked
 * bodies, pipelining, keep-alive, malformed and hostile clients) and against
 * curl.  These are private interfaces of our DLL, reached through its
 * ".wsprv" section; the builtin has none, so the tests skip there.
 */

#include <stdio.h>
#include <winsock2.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "../webservices_private.h"

const struct ws_private_api *get_private_api( void );   /* tests/transport.c */

static const struct ws_private_api *api;

#define STR(s) s, sizeof(s) - 1

/* ---- server side helpers ---- */

static struct ws_http_server_settings server_settings( void )
{
    struct ws_http_server_settings s = { 65536, 65536, 5000, 5000, 5000 };
    return s;
}

static struct ws_http_server *start_server( const struct ws_http_server_settings *settings, USHORT *port )
{
    struct ws_http_server *server = NULL;
    HRESULT hr = api->http_server_create( L"localhost", 9, 0, WS_IP_VERSION_AUTO, L"/svc", 4, settings, &server, NULL );
    ok( hr == S_OK, "http_server_create got %#lx\n", hr );
    if (hr != S_OK) return NULL;
    *port = api->http_server_port( server );
    ok( *port != 0, "no port\n" );
    return server;
}

/* A thread answering every request the server accepts, recording the last one. */
struct responder
{
    struct ws_http_server *server;
    HANDLE thread;
    HANDLE release;              /* DELAY: the answer waits for it */
    BOOL delay;
    ULONG status;
    const char *body;            /* NULL: echo the request body */
    const char *extra_name, *extra_value;
    LONG count;
    HANDLE counted;              /* optional: set after each answer */
    /* the last request */
    char method[16], target[256], content_type[128], soap_action[128], x_test[64], url[256];
    char body_seen[256];
    ULONG body_len, conn_id;
};

static void copy_field( char *dst, size_t size, const char *src, ULONG len )
{
    snprintf( dst, size, "%.*s", (int)len, src ? src : "" );
}

static DWORD WINAPI responder_thread( void *arg )
{
    struct responder *r = arg;
    struct ws_http_request *req;

    while (api->http_server_accept( r->server, INFINITE, &req, NULL ) == S_OK)
    {
        const struct ws_http_request_info *info = api->http_request_get_info( req );
        const struct ws_http_header *h;
        struct ws_http_header headers[2];
        char conn[16];
        WCHAR *url;
        ULONG len = 0, count = 1;
        const char *body = r->body ? r->body : (const char *)info->body;
        ULONG body_len = r->body ? strlen( r->body ) : info->body_len;

        copy_field( r->method, sizeof(r->method), info->method, info->method_len );
        copy_field( r->target, sizeof(r->target), info->target, info->target_len );
        copy_field( r->content_type, sizeof(r->content_type), info->content_type ? info->content_type->value : NULL,
                    info->content_type ? info->content_type->value_len : 0 );
        copy_field( r->soap_action, sizeof(r->soap_action), info->soap_action ? info->soap_action->value : "<none>",
                    info->soap_action ? info->soap_action->value_len : 6 );
        h = api->http_find_header( info->headers, info->header_count, "x-TEST" );
        copy_field( r->x_test, sizeof(r->x_test), h ? h->value : "<none>", h ? h->value_len : 6 );
        copy_field( r->body_seen, sizeof(r->body_seen), (const char *)info->body, info->body_len );
        r->body_len = info->body_len;
        r->conn_id = info->connection_id;
        url = api->http_request_url( req, &len );
        snprintf( r->url, sizeof(r->url), "%.*ls", (int)len, url ? url : L"" );
        free( url );
        InterlockedIncrement( &r->count );

        if (r->delay) WaitForSingleObject( r->release, 10000 );
        sprintf( conn, "%lu", info->connection_id );
        headers[0].name = "X-Conn";
        headers[0].name_len = 6;
        headers[0].value = conn;
        headers[0].value_len = strlen( conn );
        if (r->extra_name)
        {
            headers[1].name = r->extra_name;
            headers[1].name_len = strlen( r->extra_name );
            headers[1].value = r->extra_value;
            headers[1].value_len = strlen( r->extra_value );
            count = 2;
        }
        api->http_request_respond( req, r->status, STR("text/xml; charset=utf-8"), headers, count, body, body_len,
                                   5000, NULL );
        api->http_request_free( req );
        if (r->counted) SetEvent( r->counted );
    }
    return 0;
}

static void start_responder( struct responder *r, struct ws_http_server *server )
{
    memset( r, 0, sizeof(*r) );
    r->server = server;
    r->status = 200;
    r->release = CreateEventW( NULL, TRUE, FALSE, NULL );
    r->thread = CreateThread( NULL, 0, responder_thread, r, 0, NULL );
}

/* Aborts the server (which ends the responder's accept), waits for the
 * responder, then frees the server: no thread may use it any more. */
static void stop_server( struct ws_http_server *server, struct responder *r )
{
    DWORD start = GetTickCount();
    if (r)
    {
        SetEvent( r->release );
        api->http_server_abort( server );
        ok( WaitForSingleObject( r->thread, 5000 ) == WAIT_OBJECT_0, "responder did not end\n" );
        CloseHandle( r->thread );
        CloseHandle( r->release );
    }
    api->http_server_free( server );
    ok( GetTickCount() - start < 3000, "stopping the server took %lu ms\n", GetTickCount() - start );
}

/* ---- client side helpers ---- */

static struct ws_http_client_settings client_settings( void )
{
    struct ws_http_client_settings s;
    memset( &s, 0, sizeof(s) );
    s.resolve_timeout = s.connect_timeout = s.send_timeout = 5000;
    s.receive_response_timeout = s.receive_timeout = 5000;
    s.proxy_mode = WS_HTTP_PROXY_SETTING_MODE_NONE;
    s.cookie_mode = WS_AUTO_COOKIE_MODE;
    s.allow_redirect = TRUE;
    s.max_response_size = 65536;
    return s;
}

static struct ws_http_client *new_client( USHORT port, const char *path, const struct ws_http_client_settings *s )
{
    struct ws_http_client *client = NULL;
    WCHAR url[128];
    HRESULT hr;
    ULONG len, i;
    len = swprintf( url, ARRAYSIZE(url), L"http://localhost:%u", port );
    for (i = 0; path[i] && len + i < ARRAYSIZE(url) - 1; i++) url[len + i] = path[i];
    url[len + i] = 0;
    hr = api->http_client_create( url, wcslen( url ), s, &client, NULL );
    ok( hr == S_OK, "http_client_create %ls got %#lx\n", url, hr );
    return client;
}

static HRESULT post( struct ws_http_client *client, const char *body, struct ws_http_response *resp )
{
    struct ws_http_client_request req;
    memset( &req, 0, sizeof(req) );
    req.body = body;
    req.body_len = strlen( body );
    req.content_type = "text/xml; charset=utf-8";
    req.content_type_len = strlen( req.content_type );
    return api->http_client_send( client, &req, resp, NULL );
}

/* POSTs BODY and checks the result; returns the response status. */
#define check_post(client, body, expect) check_post_( __LINE__, client, body, expect )
static ULONG check_post_( int line, struct ws_http_client *client, const char *body, HRESULT expect )
{
    struct ws_http_response resp;
    HRESULT hr = post( client, body, &resp );
    ULONG status = resp.status;
    ok_( __FILE__, line )( hr == expect, "got %#lx, expected %#lx\n", hr, expect );
    api->http_response_free( &resp );
    return status;
}

static BOOL header_is( const struct ws_http_response *resp, const char *name, const char *value )
{
    const struct ws_http_header *h = api->http_find_header( resp->headers, resp->header_count, name );
    return h && h->value_len == strlen( value ) && !memcmp( h->value, value, h->value_len );
}

/* ---- raw connections ---- */

static struct ws_conn *raw_connect( USHORT port )
{
    struct ws_conn *conn = NULL;
    HRESULT hr = api->conn_create( &conn, NULL );
    ok( hr == S_OK, "conn_create got %#lx\n", hr );
    hr = api->conn_connect_tcp( conn, L"127.0.0.1", 9, port, WS_IP_VERSION_AUTO, 2000, 2000, NULL );
    ok( hr == S_OK, "connect got %#lx\n", hr );
    return conn;
}

static void raw_send( struct ws_conn *conn, const char *data, ULONG len )
{
    HRESULT hr = api->conn_send( conn, data, len, 2000, NULL );
    ok( hr == S_OK, "send got %#lx\n", hr );
}

/* Reads one response (head, then Content-Length bytes) into BUF; returns its
 * length, 0 if the connection ended first. */
static ULONG raw_response( struct ws_conn *conn, char *buf, ULONG size )
{
    ULONG len = 0, received, need = 0;
    char *end;

    for (;;)
    {
        buf[len] = 0;
        if (!need && (end = strstr( buf, "\r\n\r\n" )))
        {
            const char *cl = strstr( buf, "Content-Length: " );
            need = (end + 4 - buf) + (cl && cl < end ? strtoul( cl + 16, NULL, 10 ) : 0);
        }
        if (need && len >= need) return need;
        if (api->conn_receive( conn, buf + len, size - 1 - len, &received, 3000, NULL ) != S_OK || !received)
            return 0;
        len += received;
    }
}

/* The peer closed: a receive ends with end of stream or a reset, not a timeout. */
static void check_closed( struct ws_conn *conn )
{
    char buf[256];
    ULONG received = 0;
    HRESULT hr;
    do hr = api->conn_receive( conn, buf, sizeof(buf), &received, 3000, NULL );
    while (hr == S_OK && received);
    ok( hr == S_OK || hr == WS_E_ENDPOINT_DISCONNECTED, "connection not closed: %#lx\n", hr );
}

/* ---- tests ---- */

static void test_client_server(void)
{
    static const char soap_action[] = "\"urn:test#Echo\"";
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_client_settings cs = client_settings();
    struct ws_http_header extra = { STR("X-Test"), STR("value 1") };
    struct ws_http_client_request req;
    struct ws_http_response resp;
    struct ws_http_server *server;
    struct ws_http_client *client;
    struct responder r;
    char url[128], first_conn[16];
    USHORT port;
    HRESULT hr;

    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );
    client = new_client( port, "/svc?wsdl=0", &cs );

    memset( &req, 0, sizeof(req) );
    req.body = "<s:Envelope/>";
    req.body_len = 13;
    req.content_type = "text/xml; charset=utf-8";
    req.content_type_len = strlen( req.content_type );
    req.soap_action = soap_action;
    req.soap_action_len = sizeof(soap_action) - 1;
    req.headers = &extra;
    req.header_count = 1;
    hr = api->http_client_send( client, &req, &resp, NULL );
    ok( hr == S_OK, "send got %#lx\n", hr );
    ok( resp.status == 200, "status %lu\n", resp.status );
    ok( resp.body.len == 13 && !memcmp( resp.body.data, "<s:Envelope/>", 13 ), "body %.*s\n", (int)resp.body.len,
        resp.body.data );
    ok( resp.content_type && resp.content_type->value_len == 23 &&
        !memcmp( resp.content_type->value, "text/xml; charset=utf-8", 23 ), "wrong content type\n" );
    ok( header_is( &resp, "x-conn", "1" ), "X-Conn header missing\n" );
    ok( !strcmp( r.method, "POST" ), "method %s\n", r.method );
    ok( !strcmp( r.target, "/svc?wsdl=0" ), "target %s\n", r.target );
    ok( !strcmp( r.content_type, "text/xml; charset=utf-8" ), "content type %s\n", r.content_type );
    ok( !strcmp( r.soap_action, soap_action ), "SOAPAction %s\n", r.soap_action );
    ok( !strcmp( r.x_test, "value 1" ), "X-Test %s\n", r.x_test );
    sprintf( url, "http://localhost:%u/svc?wsdl=0", port );
    ok( !strcmp( r.url, url ), "url %s\n", r.url );
    sprintf( first_conn, "%lu", r.conn_id );
    api->http_response_free( &resp );

    /* keep-alive: the next request comes on the same connection */
    hr = post( client, "second", &resp );
    ok( hr == S_OK, "send got %#lx\n", hr );
    ok( header_is( &resp, "X-Conn", first_conn ), "connection not reused\n" );
    ok( !strcmp( r.soap_action, "<none>" ), "SOAPAction %s\n", r.soap_action );
    ok( r.body_len == 6 && !strcmp( r.body_seen, "second" ), "body %s\n", r.body_seen );
    api->http_response_free( &resp );

    /* empty body */
    hr = post( client, "", &resp );
    ok( hr == S_OK, "send got %#lx\n", hr );
    ok( resp.status == 200 && !resp.body.len, "status %lu len %lu\n", resp.status, resp.body.len );
    ok( r.body_len == 0, "body len %lu\n", r.body_len );
    api->http_response_free( &resp );
    ok( r.count == 3, "%ld requests\n", r.count );

    /* header injection is refused before anything is sent */
    extra.value = "a\r\nX-Evil: 1";
    extra.value_len = strlen( extra.value );
    hr = api->http_client_send( client, &req, &resp, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    extra.name = "Bad Name";
    extra.name_len = 8;
    extra.value = "v";
    extra.value_len = 1;
    hr = api->http_client_send( client, &req, &resp, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_client_send( client, NULL, &resp, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_client_send( client, &req, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_client_send( NULL, &req, &resp, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    api->http_client_free( client );
    stop_server( server, &r );
}

static void test_status_codes(void)
{
    static const struct
    {
        ULONG status;
        const char *body, *header, *value;
        HRESULT hr;
    }
    tests[] =
    {
        { 200, "<ok/>", NULL, NULL, S_OK },
        { 202, "", NULL, NULL, S_OK },
        { 500, "<s:Fault/>", NULL, NULL, S_OK },          /* a fault to read */
        { 500, "", NULL, NULL, WS_E_ENDPOINT_FAILURE },
        { 400, "", NULL, NULL, WS_E_ENDPOINT_FAILURE },
        { 401, "", NULL, NULL, WS_E_ENDPOINT_ACCESS_DENIED },
        { 401, "", "WWW-Authenticate", "Basic realm=\"x\"", WS_E_SERVER_REQUIRES_BASIC_AUTH },
        { 401, "", "WWW-Authenticate", "Digest realm=\"x\"", WS_E_SERVER_REQUIRES_DIGEST_AUTH },
        { 401, "", "WWW-Authenticate", "Negotiate", WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH },
        { 401, "", "WWW-Authenticate", "NTLM", WS_E_SERVER_REQUIRES_NTLM_AUTH },
        { 403, "", NULL, NULL, WS_E_ENDPOINT_ACCESS_DENIED },
        { 404, "", NULL, NULL, WS_E_ENDPOINT_NOT_FOUND },
        { 410, "", NULL, NULL, WS_E_ENDPOINT_NOT_AVAILABLE },
        { 413, "", NULL, NULL, WS_E_QUOTA_EXCEEDED },
        { 415, "", NULL, NULL, WS_E_ENDPOINT_FAILURE },
        { 503, "", NULL, NULL, WS_E_ENDPOINT_TOO_BUSY },
        { 301, "", NULL, NULL, WS_E_ENDPOINT_NOT_AVAILABLE },   /* redirects disabled */
    };
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_client_settings cs = client_settings();
    struct ws_http_response resp;
    struct ws_http_server *server;
    struct ws_http_client *client;
    struct responder r;
    USHORT port;
    HRESULT hr;
    ULONG i;

    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );
    cs.allow_redirect = FALSE;
    client = new_client( port, "/svc", &cs );
    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        winetest_push_context( "%lu: %lu", i, tests[i].status );
        r.status = tests[i].status;
        r.body = tests[i].body;
        r.extra_name = tests[i].header;
        r.extra_value = tests[i].value;
        hr = post( client, "<x/>", &resp );
        ok( hr == tests[i].hr, "got %#lx\n", hr );
        ok( resp.status == tests[i].status, "status %lu\n", resp.status );
        ok( resp.body.len == strlen( tests[i].body ), "body length %lu\n", resp.body.len );
        api->http_response_free( &resp );
        winetest_pop_context();
    }
    api->http_client_free( client );

    /* a path the server does not serve: 404 from the server itself */
    client = new_client( port, "/other", &cs );
    i = r.count;
    hr = post( client, "<x/>", &resp );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND, "got %#lx\n", hr );
    ok( resp.status == 404, "status %lu\n", resp.status );
    ok( r.count == (LONG)i, "request was accepted\n" );
    api->http_response_free( &resp );
    api->http_client_free( client );

    /* the path compares case-insensitively, with or without a trailing slash */
    client = new_client( port, "/SVC/", &cs );
    r.status = 200;
    r.body = NULL;
    r.extra_name = NULL;
    check_post( client, "<x/>", S_OK );
    api->http_client_free( client );

    stop_server( server, &r );
}

static void test_quotas_and_timeouts(void)
{
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_client_settings cs = client_settings();
    struct ws_http_response resp;
    struct ws_http_server *server;
    struct ws_http_client *client;
    struct responder r;
    char *big;
    DWORD start;
    ULONG status;
    USHORT port;
    HRESULT hr;

    ss.max_body_size = 1000;
    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );
    big = malloc( 5001 );
    memset( big, 'a', 5000 );
    big[5000] = 0;

    /* response larger than the client's maximum */
    cs.max_response_size = 100;
    client = new_client( port, "/svc", &cs );
    r.body = big + 4900;   /* 100 bytes: fits */
    hr = post( client, "<x/>", &resp );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( resp.body.len == 100, "len %lu\n", resp.body.len );
    api->http_response_free( &resp );
    r.body = big + 4899;   /* 101 bytes */
    check_post( client, "<x/>", WS_E_QUOTA_EXCEEDED );
    api->http_client_free( client );

    /* request body larger than the server's maximum: 413, not accepted */
    cs.max_response_size = 65536;
    client = new_client( port, "/svc", &cs );
    r.body = NULL;
    start = r.count;
    check_post( client, big + 4000, S_OK );   /* 1000 bytes: fits */
    status = check_post( client, big + 3999, WS_E_QUOTA_EXCEEDED );   /* 1001 bytes */
    ok( status == 413, "status %lu\n", status );
    ok( r.count == (LONG)start + 1, "%ld requests\n", r.count );
    /* the next one is served (on a new connection) */
    check_post( client, "<x/>", S_OK );
    api->http_client_free( client );

    /* no response within receive_response_timeout */
    cs.receive_response_timeout = 300;
    client = new_client( port, "/svc", &cs );
    r.delay = TRUE;
    start = GetTickCount();
    check_post( client, "<x/>", WS_E_OPERATION_TIMED_OUT );
    ok( GetTickCount() - start < 2500, "took %lu ms\n", GetTickCount() - start );
    SetEvent( r.release );
    api->http_client_free( client );

    free( big );
    stop_server( server, &r );
}

struct abort_args
{
    void (*abort)( void * );
    void *object;
    DWORD delay;
};

static DWORD WINAPI abort_thread( void *arg )
{
    struct abort_args *args = arg;
    Sleep( args->delay );
    args->abort( args->object );
    return 0;
}

static HANDLE abort_later( struct abort_args *args, void (*abort)( void * ), void *object, DWORD delay )
{
    args->abort = abort;
    args->object = object;
    args->delay = delay;
    return CreateThread( NULL, 0, abort_thread, args, 0, NULL );
}

static void test_abort(void)
{
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_client_settings cs = client_settings();
    struct ws_http_response resp;
    struct ws_http_request *req;
    struct ws_http_server *server;
    struct ws_http_client *client;
    struct abort_args args;
    struct responder r;
    HANDLE thread;
    DWORD start;
    USHORT port;
    HRESULT hr;

    /* a pending request */
    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );
    r.delay = TRUE;
    client = new_client( port, "/svc", &cs );
    thread = abort_later( &args, (void (*)( void * ))api->http_client_abort, client, 300 );
    start = GetTickCount();
    hr = post( client, "<x/>", &resp );
    ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    ok( GetTickCount() - start < 3000, "took %lu ms\n", GetTickCount() - start );
    api->http_response_free( &resp );
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
    /* abort is final */
    hr = post( client, "<x/>", &resp );
    ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    api->http_client_free( client );
    stop_server( server, &r );

    /* a pending accept */
    if (!(server = start_server( &ss, &port ))) return;
    hr = api->http_server_accept( server, 100, &req, NULL );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    thread = abort_later( &args, (void (*)( void * ))api->http_server_abort, server, 300 );
    start = GetTickCount();
    hr = api->http_server_accept( server, INFINITE, &req, NULL );
    ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    ok( GetTickCount() - start < 3000, "took %lu ms\n", GetTickCount() - start );
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
    hr = api->http_server_accept( server, 0, &req, NULL );
    ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    stop_server( server, NULL );

    /* nothing listens any more: connection refused */
    client = new_client( port, "/svc", &cs );
    hr = post( client, "<x/>", &resp );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND, "got %#lx\n", hr );
    ok( resp.status == 0, "status %lu\n", resp.status );
    api->http_client_free( client );
}

static void test_client_create(void)
{
    struct ws_http_client_settings cs = client_settings();
    struct ws_http_client *client = NULL;
    WS_CUSTOM_HTTP_PROXY proxy;
    HRESULT hr;

    memset( &proxy, 0, sizeof(proxy) );

    hr = api->http_client_create( NULL, 0, &cs, &client, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_client_create( L"http://localhost/", 17, NULL, &client, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_client_create( L"http://localhost/", 17, &cs, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_client_create( L"net.tcp://localhost/", 20, &cs, &client, NULL );
    ok( hr == WS_E_INVALID_ENDPOINT_URL, "got %#lx\n", hr );
    hr = api->http_client_create( L"not a url", 9, &cs, &client, NULL );
    ok( hr == WS_E_INVALID_ENDPOINT_URL, "got %#lx\n", hr );
    hr = api->http_client_create( L"https://localhost:1/x", 21, &cs, &client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    api->http_client_free( client );
    cs.proxy_mode = WS_HTTP_PROXY_SETTING_MODE_AUTO;
    hr = api->http_client_create( L"http://localhost/", 17, &cs, &client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    api->http_client_free( client );
    cs.proxy_mode = WS_HTTP_PROXY_SETTING_MODE_CUSTOM;
    hr = api->http_client_create( L"http://localhost/", 17, &cs, &client, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    cs.custom_proxy = &proxy;
    hr = api->http_client_create( L"http://localhost/", 17, &cs, &client, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    cs.proxy_mode = 99;
    hr = api->http_client_create( L"http://localhost/", 17, &cs, &client, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
}

static void test_proxy(void)
{
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_client_settings cs = client_settings();
    WS_CUSTOM_HTTP_PROXY proxy;
    struct ws_http_response resp;
    struct ws_http_server *server;
    struct ws_http_client *client;
    WCHAR servers[64];
    USHORT port;
    HRESULT hr;

    /* a proxy that refuses connections: the failure is the proxy's */
    if (!(server = start_server( &ss, &port ))) return;
    stop_server( server, NULL );
    swprintf( servers, ARRAYSIZE(servers), L"localhost:%u", port );
    proxy.servers.chars = servers;
    proxy.servers.length = wcslen( servers );
    proxy.bypass.chars = NULL;
    proxy.bypass.length = 0;
    cs.proxy_mode = WS_HTTP_PROXY_SETTING_MODE_CUSTOM;
    cs.custom_proxy = &proxy;
    client = new_client( 1, "/svc", &cs );
    hr = post( client, "<x/>", &resp );
    ok( hr == WS_E_PROXY_FAILURE, "got %#lx\n", hr );
    api->http_client_free( client );
}

/* The server against raw connections. */
static void test_raw_requests(void)
{
    static const char chunked[] =
        "POST /svc HTTP/1.1\r\nHost: example.org:81\r\nTransfer-Encoding: chunked\r\nContent-Type: text/xml\r\n"
        "SOAPAction: \"urn:a\"\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
    static const char two[] =
        "POST /svc HTTP/1.1\r\nContent-Length: 3\r\n\r\noneGET /svc HTTP/1.1\r\n\r\n"
        "POST /svc HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\ntwo";
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_server *server;
    struct ws_conn *conn;
    struct responder r;
    char buf[4096];
    ULONG len, id;
    USHORT port;

    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );

    /* chunked body, then a second request on the kept-alive connection */
    conn = raw_connect( port );
    raw_send( conn, chunked, sizeof(chunked) - 1 );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 200 OK\r\n", 17 ), "got %s\n", buf );
    ok( len > 11 && !memcmp( buf + len - 11, "hello world", 11 ), "got %s\n", buf );
    ok( strstr( buf, "Content-Type: text/xml; charset=utf-8\r\n" ) != NULL, "got %s\n", buf );
    ok( !strcmp( r.body_seen, "hello world" ), "body %s\n", r.body_seen );
    ok( !strcmp( r.soap_action, "\"urn:a\"" ), "SOAPAction %s\n", r.soap_action );
    ok( !strcmp( r.url, "http://example.org:81/svc" ), "url %s\n", r.url );
    id = r.conn_id;
    raw_send( conn, STR("POST /svc HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 200 OK\r\n", 17 ), "got %s\n", buf );
    ok( r.conn_id == id && !strcmp( r.body_seen, "abcd" ), "conn %lu body %s\n", r.conn_id, r.body_seen );

    /* another method: 405, the connection goes on */
    raw_send( conn, STR("GET /svc HTTP/1.1\r\n\r\n") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 405 ", 13 ) && strstr( buf, "Allow: POST\r\n" ), "got %s\n", buf );
    raw_send( conn, STR("POST /nothere HTTP/1.1\r\nContent-Length: 1\r\n\r\nx") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 404 ", 13 ), "got %s\n", buf );
    raw_send( conn, STR("POST /svc HTTP/1.1\r\nContent-Length: 2\r\n\r\nok") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 200 OK\r\n", 17 ) && r.conn_id == id, "got %s\n", buf );
    api->conn_free( conn );

    /* pipelined requests are answered in order; Connection: close is honoured */
    conn = raw_connect( port );
    raw_send( conn, two, sizeof(two) - 1 );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !memcmp( buf + len - 3, "one", 3 ), "got %s\n", buf );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 405 ", 13 ), "got %s\n", buf );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !memcmp( buf + len - 3, "two", 3 ) && strstr( buf, "Connection: close\r\n" ), "got %s\n", buf );
    check_closed( conn );
    api->conn_free( conn );

    /* HTTP/1.0: closed after the response unless keep-alive is asked for */
    conn = raw_connect( port );
    raw_send( conn, STR("POST /svc HTTP/1.0\r\nContent-Length: 2\r\n\r\nv0") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && strstr( buf, "Connection: close\r\n" ), "got %s\n", buf );
    check_closed( conn );
    api->conn_free( conn );

    /* Expect: 100-continue */
    conn = raw_connect( port );
    raw_send( conn, STR("POST /svc HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len == 25 && !strcmp( buf, "HTTP/1.1 100 Continue\r\n\r\n" ), "got %s\n", buf );
    raw_send( conn, STR("later") );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 200 OK\r\n", 17 ) && !strcmp( r.body_seen, "later" ), "got %s\n", buf );
    api->conn_free( conn );

    stop_server( server, &r );
}

/* Each bad request gets its status (or a closed connection) and a good client is served right after. */
static void test_bad_requests(void)
{
    static const struct
    {
        const char *request;
        const char *status;      /* NULL: closed without a response */
    }
    tests[] =
    {
        { "\x01\x02\x03\xff garbage", "HTTP/1.1 400 " },
        { "this is not http\r\n\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/2.0\r\n\r\n", "HTTP/1.1 505 " },
        { "POST /svc HTTP/1.1\r\nbad header\r\n\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nX: 1\r\n folded\r\n\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nContent-Length: x\r\n\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 501 " },
        { "POST /svc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "HTTP/1.1 400 " },
        { "POST /svc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n", "HTTP/1.1 413 " },
        { "POST /svc HTTP/1.1\r\nContent-Length: 1025\r\n\r\n", "HTTP/1.1 413 " },
        { "POST /svc HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", "HTTP/1.1 413 " },
        { "POST /svc HTTP/1.1\r\nExpect: magic\r\n\r\n", "HTTP/1.1 417 " },
        { "POST /svc HTTP/1.1\r\nContent-Length: 10\r\n\r\ntrunc", NULL },   /* then closed */
        { "POST /svc HTTP/1.1\r\nHost: x", NULL },
    };
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_server *server;
    struct ws_conn *conn;
    struct responder r;
    char buf[4096], *huge;
    ULONG i, len;
    USHORT port;

    ss.max_body_size = 1024;
    ss.max_header_size = 2048;
    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );
    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        winetest_push_context( "%lu", i );
        conn = raw_connect( port );
        raw_send( conn, tests[i].request, strlen( tests[i].request ) );
        if (tests[i].status)
        {
            len = raw_response( conn, buf, sizeof(buf) );
            ok( len && !strncmp( buf, tests[i].status, strlen( tests[i].status ) ), "got %s\n", buf );
            ok( strstr( buf, "Connection: close\r\n" ) != NULL, "got %s\n", buf );
            check_closed( conn );
        }
        else api->conn_close( conn, NULL );   /* the client gives up mid-request */
        api->conn_free( conn );

        conn = raw_connect( port );
        raw_send( conn, STR("POST /svc HTTP/1.1\r\nContent-Length: 4\r\n\r\ngood") );
        len = raw_response( conn, buf, sizeof(buf) );
        ok( len && !strncmp( buf, "HTTP/1.1 200 OK\r\n", 17 ) && !memcmp( buf + len - 4, "good", 4 ), "got %s\n", buf );
        api->conn_free( conn );
        winetest_pop_context();
    }

    /* header block over max_header_size */
    huge = malloc( 4096 );
    memset( huge, 'h', 4096 );
    memcpy( huge, "POST /svc HTTP/1.1\r\nX-Huge: ", 28 );
    conn = raw_connect( port );
    raw_send( conn, huge, 4096 );
    len = raw_response( conn, buf, sizeof(buf) );
    ok( len && !strncmp( buf, "HTTP/1.1 431 ", 13 ), "got %s\n", buf );
    check_closed( conn );
    api->conn_free( conn );
    free( huge );

    /* an unanswered request closes its connection */
    r.delay = TRUE;
    conn = raw_connect( port );
    raw_send( conn, STR("POST /svc HTTP/1.1\r\nContent-Length: 1\r\n\r\nx") );
    stop_server( server, &r );
    check_closed( conn );
    api->conn_free( conn );
}

/* A slow client and a client that vanished do not hold up a good client. */
static void test_slow_client(void)
{
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_client_settings cs = client_settings();
    struct ws_http_response resp;
    struct ws_http_server *server;
    struct ws_http_client *client;
    struct ws_conn *slow, *gone;
    struct responder r;
    DWORD start;
    USHORT port;
    HRESULT hr;

    ss.receive_timeout = 2000;
    ss.idle_timeout = 2000;
    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );

    slow = raw_connect( port );
    raw_send( slow, STR("POST /svc HTTP/1.1\r\nContent-Le") );
    gone = raw_connect( port );
    raw_send( gone, STR("POST /svc HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial") );
    api->conn_free( gone );   /* abortive close mid-body */

    client = new_client( port, "/svc", &cs );
    start = GetTickCount();
    hr = post( client, "<good/>", &resp );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( GetTickCount() - start < 1500, "the good client waited %lu ms\n", GetTickCount() - start );
    api->http_response_free( &resp );

    /* the slow one is dropped after the receive timeout */
    start = GetTickCount();
    check_closed( slow );
    ok( GetTickCount() - start < 4000, "took %lu ms\n", GetTickCount() - start );
    api->conn_free( slow );

    /* an idle connection too */
    slow = raw_connect( port );
    start = GetTickCount();
    check_closed( slow );
    ok( GetTickCount() - start < 4000, "took %lu ms\n", GetTickCount() - start );
    api->conn_free( slow );

    check_post( client, "<good/>", S_OK );
    api->http_client_free( client );
    stop_server( server, &r );
}

static void test_server_create(void)
{
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_server *server = NULL, *other = NULL;
    USHORT port;
    HRESULT hr;

    hr = api->http_server_create( NULL, 0, 0, WS_IP_VERSION_AUTO, L"/", 1, &ss, &server, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_server_create( L"+", 1, 0, WS_IP_VERSION_AUTO, L"/", 1, NULL, &server, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_server_create( L"+", 1, 0, WS_IP_VERSION_AUTO, L"/", 1, &ss, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_server_accept( NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->http_request_respond( NULL, 200, NULL, 0, NULL, 0, NULL, 0, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* wildcard hosts; the port is then taken */
    hr = api->http_server_create( L"*", 1, 0, WS_IP_VERSION_AUTO, L"", 0, &ss, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    port = api->http_server_port( server );
    hr = api->http_server_create( L"+", 1, port, WS_IP_VERSION_AUTO, L"/x", 2, &ss, &other, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    api->http_server_free( server );
    hr = api->http_server_create( L"+", 1, port, WS_IP_VERSION_AUTO, L"/x", 2, &ss, &other, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    api->http_server_free( other );
}

/* Reads a file curl wrote (through Wine's Z: drive), waiting for it to appear. */
static ULONG read_curl_output( const char *unix_path, char *buf, ULONG size )
{
    char path[MAX_PATH];
    DWORD len = 0, i;
    HANDLE file;

    sprintf( path, "Z:%s", unix_path );
    for (i = 0; i < 50; i++)
    {
        file = CreateFileA( path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                            OPEN_EXISTING, 0, NULL );
        if (file != INVALID_HANDLE_VALUE)
        {
            ReadFile( file, buf, size - 1, &len, NULL );
            CloseHandle( file );
            if (len) break;
        }
        Sleep( 100 );
    }
    buf[len] = 0;
    DeleteFileA( path );
    return len;
}

/* The server against curl, a Unix program.  Under Wine, CreateProcess runs a
 * Unix binary given by its Unix path (fork and exec), but the handle it
 * returns cannot be waited for: the test waits for the requests instead, and
 * reads curl's output files through the Z: drive. */
static void test_curl(void)
{
    struct ws_http_server_settings ss = server_settings();
    struct ws_http_server *server;
    PROCESS_INFORMATION pi;
    STARTUPINFOA si;
    struct responder r;
    char cmd[1024], out1[64], out2[64], buf[512];
    USHORT port;
    ULONG len, id;

    if (!GetProcAddress( GetModuleHandleA( "ntdll.dll" ), "wine_get_version" ))
    {
        skip( "curl runs only under Wine\n" );
        return;
    }
    if (GetFileAttributesA( "Z:\\usr\\bin\\curl" ) == INVALID_FILE_ATTRIBUTES)
    {
        skip( "no /usr/bin/curl\n" );
        return;
    }
    if (!(server = start_server( &ss, &port ))) return;
    start_responder( &r, server );
    r.counted = CreateEventW( NULL, FALSE, FALSE, NULL );
    sprintf( out1, "/tmp/ws_http_curl_%lu_1", GetCurrentProcessId() );
    sprintf( out2, "/tmp/ws_http_curl_%lu_2", GetCurrentProcessId() );
    /* two requests on one connection: a Content-Length body, then a chunked one */
    sprintf( cmd, "/usr/bin/curl -s -S -X POST -H \"Content-Type: text/xml\" -H \"SOAPAction: \\\"urn:curl\\\"\" "
             "--data-binary hello -o %s http://127.0.0.1:%u/svc "
             "--next -s -X POST -H \"Transfer-Encoding: chunked\" --data-binary chunky -o %s "
             "http://127.0.0.1:%u/svc", out1, port, out2, port );
    memset( &si, 0, sizeof(si) );
    si.cb = sizeof(si);
    if (!CreateProcessA( NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi ))
    {
        skip( "cannot start curl: error %lu\n", GetLastError() );
        stop_server( server, &r );
        CloseHandle( r.counted );
        return;
    }
    ok( WaitForSingleObject( r.counted, 10000 ) == WAIT_OBJECT_0, "no first request\n" );
    ok( !strcmp( r.soap_action, "\"urn:curl\"" ), "SOAPAction %s\n", r.soap_action );
    ok( !strcmp( r.body_seen, "hello" ), "body %s\n", r.body_seen );
    id = r.conn_id;
    ok( WaitForSingleObject( r.counted, 10000 ) == WAIT_OBJECT_0, "no second request\n" );
    ok( !strcmp( r.body_seen, "chunky" ), "body %s\n", r.body_seen );
    ok( r.conn_id == id, "curl did not reuse its connection\n" );
    len = read_curl_output( out1, buf, sizeof(buf) );
    ok( len == 5 && !strcmp( buf, "hello" ), "curl got %s\n", buf );
    len = read_curl_output( out2, buf, sizeof(buf) );
    ok( len == 6 && !strcmp( buf, "chunky" ), "curl got %s\n", buf );
    ok( r.count == 2, "%ld requests\n", r.count );
    CloseHandle( pi.hProcess );
    CloseHandle( pi.hThread );
    stop_server( server, &r );
    CloseHandle( r.counted );
}

START_TEST(http)
{
    if (!(api = get_private_api()))
    {
        skip( "not our DLL (no private interface table)\n" );
        return;
    }
    test_client_create();
    test_server_create();
    test_client_server();
    test_status_codes();
    test_quotas_and_timeouts();
    test_abort();
    test_proxy();
    test_raw_requests();
    test_bad_requests();
    test_slow_client();
    test_curl();
}
