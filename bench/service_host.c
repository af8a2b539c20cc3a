/*
 * Service host benchmark (bench/run-host.sh runs it).
 *
 *   service_host.exe host TCP_URL HTTP_URL
 *       a WS_SERVICE_HOST with an Echo operation (bench/payload.h: a
 *       64-character string and an int, echoed) on a net.tcp endpoint
 *       (DUPLEX_SESSION) and an HTTP endpoint (REPLY), until "stop"
 *   service_host.exe client URL N CLIENTS TCP_URL
 *       (TCP_URL names the host to wait for) CLIENTS threads, each with its own service proxy (net.tcp: its own
 *       session), make N Echo calls in all with WsCall, after warm-up calls
 *   service_host.exe stop TCP_URL
 *       ends the "host" process started with TCP_URL (a named event)
 *   service_host.exe cancel TCP_URL N SESSIONS [deferred]
 *       a host whose Block operation registers with
 *       WsRegisterOperationForCancel and waits; a second process of this
 *       program ("flood") sends N Block requests over SESSIONS net.tcp
 *       sessions without waiting for replies (MAX_CONCURRENCY lets one
 *       session run N / SESSIONS calls at once); once all N calls have
 *       registered, the host calls WsAbortServiceHost and measures, in this
 *       process, the time until it returns, until the last cancel callback,
 *       and until WsCloseServiceHost has waited for every call.  "deferred":
 *       the cancel callbacks only count, and the calls are released together
 *       after WsAbortServiceHost returned, so the times show the host's
 *       cancel path without 1000 woken threads competing with it
 *
 * Output (stdout), "key: value" lines:
 *   dll: PATH (WHICH)            the webservices.dll loaded ("this project" or "other")
 *   calls_per_sec, latency_p50_us, latency_p99_us          (client)
 *   calls_served                                           (host, at its end)
 *   abort_return_us, first_cancel_us, last_cancel_us, close_return_us, cancel_callbacks,
 *   free_state_callbacks, cancel_reason                    (cancel)
 * or "unsupported: WHAT HRESULT" when the DLL cannot do the client's part.
 */

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"
#include "payload.h"

static WS_XML_STRING block_action = WS_XML_STRING_VALUE( "http://example.org/bench/block" );
static WS_XML_STRING block_reply_action = WS_XML_STRING_VALUE( "http://example.org/bench/blockReply" );
static WS_MESSAGE_DESCRIPTION block_request_desc = { &block_action, &payload_element };
static WS_MESSAGE_DESCRIPTION block_reply_desc = { &block_reply_action, &payload_element };

/* Echo( WS_STRING text, INT32 number, WS_STRING *out_text, INT32 *out_number ): the call frame and the stub */
typedef HRESULT (CALLBACK *echo_operation)( const WS_OPERATION_CONTEXT *context, WS_STRING text, INT32 number,
                                            WS_STRING *out_text, INT32 *out_number, const WS_ASYNC_CONTEXT *async,
                                            WS_ERROR *error );
typedef struct { WS_STRING text; INT32 number; WS_STRING out_text; INT32 out_number; } echo_frame;

static HRESULT CALLBACK echo_stub( const WS_OPERATION_CONTEXT *context, void *frame, const void *callback,
                                   const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    echo_frame *f = frame;
    return ((echo_operation)callback)( context, f->text, f->number, &f->out_text, &f->out_number, async, error );
}

static WS_PARAMETER_DESCRIPTION echo_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 1, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 1 },
};
static WS_OPERATION_DESCRIPTION echo_op = { 1, &request_desc, &reply_desc, 0, 0, 4, echo_params, echo_stub,
                                            WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION block_op = { 1, &block_request_desc, &block_reply_desc, 0, 0, 4, echo_params,
                                             echo_stub, WS_NON_RPC_LITERAL_OPERATION };

static int fail( const char *what, HRESULT hr )
{
    printf( "%s failed: %#lx\n", what, hr );
    return 1;
}

static int unsupported( const char *what, HRESULT hr )
{
    printf( "unsupported: %s %#lx\n", what, hr );
    return 3;
}

static void print_dll( void )
{
    char path[MAX_PATH];
    GetModuleFileNameA( GetModuleHandleA( "webservices.dll" ), path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( GetModuleHandleA( "webservices.dll" ) ) ? "this project" : "other" );
    fflush( stdout );
}

static void to_wide( const char *s, WCHAR *buf, ULONG size )
{
    MultiByteToWideChar( CP_UTF8, 0, s, -1, buf, size );
}

/* Named events of one host, keyed by its net.tcp URL. */
static HANDLE host_event( const char *kind, const char *tcp_url )
{
    char name[512];
    ULONG i;
    snprintf( name, sizeof(name), "webservices_bench_host_%s %s", kind, tcp_url );
    for (i = 0; name[i]; i++) if (name[i] == '\\') name[i] = '/';
    return CreateEventA( NULL, TRUE, FALSE, name );
}

static double elapsed_us( LARGE_INTEGER from, LARGE_INTEGER to )
{
    LARGE_INTEGER freq;
    QueryPerformanceFrequency( &freq );
    return (double)(to.QuadPart - from.QuadPart) * 1e6 / freq.QuadPart;
}

static int compare_double( const void *a, const void *b )
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static WS_SERVICE_ENDPOINT make_endpoint( const WCHAR *url, const WS_SERVICE_CONTRACT *contract,
                                          const WS_SERVICE_ENDPOINT_PROPERTY *properties, ULONG count )
{
    WS_SERVICE_ENDPOINT endpoint;
    BOOL http = !wcsncmp( url, L"http:", 5 );

    memset( &endpoint, 0, sizeof(endpoint) );
    endpoint.address.url.chars = (WCHAR *)url;
    endpoint.address.url.length = wcslen( url );
    endpoint.channelBinding = http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING;
    endpoint.channelType = http ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_DUPLEX_SESSION;
    endpoint.contract = contract;
    endpoint.properties = properties;
    endpoint.propertyCount = count;
    return endpoint;
}

/* ---------------------------------------------------------------------- */
/* host: the Echo service                                                  */
/* ---------------------------------------------------------------------- */

static LONG calls_served;

static HRESULT CALLBACK echo( const WS_OPERATION_CONTEXT *context, WS_STRING text, INT32 number,
                              WS_STRING *out_text, INT32 *out_number, const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    (void)context; (void)async; (void)error;
    *out_text = text;   /* on the call's heap, which lives until the reply is written */
    *out_number = number;
    InterlockedIncrement( &calls_served );
    return S_OK;
}

static int run_host( const char *tcp_arg, const char *http_arg )
{
    static const void *methods[] = { (const void *)echo };
    static WS_OPERATION_DESCRIPTION *ops[] = { &echo_op };
    static WS_CONTRACT_DESCRIPTION description = { 1, ops };
    static const WS_SERVICE_CONTRACT contract = { &description, NULL, methods };
    WCHAR tcp_url[256], http_url[256];
    WS_SERVICE_ENDPOINT tcp, http;
    const WS_SERVICE_ENDPOINT *endpoints[] = { &tcp, &http };
    HANDLE ready = host_event( "ready", tcp_arg ), stop = host_event( "stop", tcp_arg );
    WS_SERVICE_HOST *host;
    HRESULT hr;

    print_dll();
    to_wide( tcp_arg, tcp_url, ARRAYSIZE(tcp_url) );
    to_wide( http_arg, http_url, ARRAYSIZE(http_url) );
    tcp = make_endpoint( tcp_url, &contract, NULL, 0 );
    http = make_endpoint( http_url, &contract, NULL, 0 );
    if ((hr = WsCreateServiceHost( endpoints, 2, NULL, 0, &host, NULL )) != S_OK) return fail( "WsCreateServiceHost", hr );
    if ((hr = WsOpenServiceHost( host, NULL, NULL )) != S_OK) return fail( "WsOpenServiceHost", hr );
    SetEvent( ready );
    if (WaitForSingleObject( stop, 900000 )) printf( "host: no stop within 900 s\n" );
    WsAbortServiceHost( host, NULL );   /* clients that failed may have left sessions open */
    if ((hr = WsCloseServiceHost( host, NULL, NULL )) != S_OK) printf( "host: WsCloseServiceHost returned %#lx\n", hr );
    WsFreeServiceHost( host );
    printf( "calls_served: %ld\n", calls_served );
    return 0;
}

static int run_stop( const char *tcp_arg )
{
    SetEvent( host_event( "stop", tcp_arg ) );
    return 0;
}

/* ---------------------------------------------------------------------- */
/* client: concurrent proxies                                              */
/* ---------------------------------------------------------------------- */

struct client
{
    const WCHAR *url;
    int warmup, count;          /* calls before and after the start signal */
    double *latencies;          /* count entries */
    HANDLE warm, go;            /* set by the thread after its warm-up; set by main for all */
    HRESULT hr;
    const char *failed;
};

static const WCHAR payload_text[] = L"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static HRESULT open_proxy( const WCHAR *url, WS_SERVICE_PROXY **proxy )
{
    BOOL http = !wcsncmp( url, L"http:", 5 );
    WS_ENDPOINT_ADDRESS address;
    HRESULT hr;

    hr = WsCreateServiceProxy( http ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                               http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL, NULL, 0, NULL, 0,
                               proxy, NULL );
    if (hr != S_OK) return hr;
    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)url;
    address.url.length = wcslen( url );
    if ((hr = WsOpenServiceProxy( *proxy, &address, NULL, NULL )) != S_OK) WsFreeServiceProxy( *proxy );
    return hr;
}

static HRESULT echo_call( WS_SERVICE_PROXY *proxy, WS_HEAP *heap, INT32 number )
{
    WS_STRING in_text = { ARRAYSIZE(payload_text) - 1, (WCHAR *)payload_text }, got_text = { 0, NULL };
    INT32 got_number = 0, *p_number = &got_number;
    WS_STRING *p_text = &got_text;
    const void *args[] = { &in_text, &number, &p_text, &p_number };
    HRESULT hr = WsCall( proxy, &echo_op, args, heap, NULL, 0, NULL, NULL );

    if (hr == S_OK && (got_number != number || got_text.length != in_text.length ||
                       memcmp( got_text.chars, payload_text, sizeof(payload_text) - sizeof(WCHAR) )))
        hr = E_FAIL;
    WsResetHeap( heap, NULL );
    return hr;
}

static DWORD CALLBACK client_thread( void *arg )
{
    struct client *c = arg;
    WS_SERVICE_PROXY *proxy = NULL;
    LARGE_INTEGER t0, t1;
    WS_HEAP *heap = NULL;
    int i;

    WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    if ((c->hr = open_proxy( c->url, &proxy )) != S_OK) c->failed = "WsOpenServiceProxy";
    for (i = 0; !c->failed && i < c->warmup; i++)
        if ((c->hr = echo_call( proxy, heap, i )) != S_OK) c->failed = "WsCall (warm-up)";
    SetEvent( c->warm );
    WaitForSingleObject( c->go, INFINITE );
    for (i = 0; !c->failed && i < c->count; i++)
    {
        QueryPerformanceCounter( &t0 );
        if ((c->hr = echo_call( proxy, heap, i )) != S_OK) c->failed = "WsCall";
        QueryPerformanceCounter( &t1 );
        c->latencies[i] = elapsed_us( t0, t1 );
    }
    if (proxy)
    {
        WsCloseServiceProxy( proxy, NULL, NULL );
        WsFreeServiceProxy( proxy );
    }
    WsFreeHeap( heap );
    return 0;
}

static int run_client( const char *url_arg, int total, int clients, const char *tcp_arg )
{
    WCHAR url[256];
    HANDLE ready = host_event( "ready", tcp_arg ), go = CreateEventA( NULL, TRUE, FALSE, NULL );
    HANDLE *threads = calloc( clients, sizeof(*threads) ), *warm = calloc( clients, sizeof(*warm) );
    struct client *c = calloc( clients, sizeof(*c) );
    double *latencies = calloc( total, sizeof(*latencies) );
    BOOL http = !strncmp( url_arg, "http:", 5 );
    LARGE_INTEGER start, end;
    int i, done = 0, ret = 0;

    print_dll();
    if (WaitForSingleObject( ready, 60000 )) return fail( "waiting for the host", E_FAIL );
    to_wide( url_arg, url, ARRAYSIZE(url) );
    for (i = 0; i < clients; i++)
    {
        c[i].url = url;
        c[i].warmup = http ? 5 : 50;
        c[i].count = total / clients + (i < total % clients);
        c[i].latencies = latencies + done;
        done += c[i].count;
        c[i].warm = warm[i] = CreateEventA( NULL, TRUE, FALSE, NULL );
        c[i].go = go;
        threads[i] = CreateThread( NULL, 0, client_thread, &c[i], 0, NULL );
    }
    WaitForMultipleObjects( clients, warm, TRUE, INFINITE );
    QueryPerformanceCounter( &start );
    SetEvent( go );
    WaitForMultipleObjects( clients, threads, TRUE, INFINITE );
    QueryPerformanceCounter( &end );
    for (i = 0; i < clients; i++)
        if (c[i].failed)
        {
            ret = !strcmp( c[i].failed, "WsOpenServiceProxy" ) ? unsupported( c[i].failed, c[i].hr )
                                                               : fail( c[i].failed, c[i].hr );
            break;
        }
    if (!ret)
    {
        qsort( latencies, total, sizeof(*latencies), compare_double );
        printf( "calls_per_sec: %.0f\n", total * 1e6 / elapsed_us( start, end ) );
        printf( "latency_p50_us: %.0f\n", latencies[total / 2] );
        printf( "latency_p99_us: %.0f\n", latencies[total * 99 / 100] );
    }
    return ret;
}

/* ---------------------------------------------------------------------- */
/* cancel: WsAbortServiceHost with N calls blocked                         */
/* ---------------------------------------------------------------------- */

static LONG registered, block_target, cancels, free_states;
static volatile LONG cancel_reason_seen = -1;
static HANDLE all_registered, release_all;
static BOOL deferred_release;
static LARGE_INTEGER first_cancel, last_cancel;

static void CALLBACK block_cancelled( WS_SERVICE_CANCEL_REASON reason, void *state )
{
    LARGE_INTEGER now;
    LONG n;

    QueryPerformanceCounter( &now );
    InterlockedExchange( &cancel_reason_seen, reason );
    n = InterlockedIncrement( &cancels );
    if (n == 1) first_cancel = now;
    if (n == block_target) last_cancel = now;
    if (!deferred_release) SetEvent( state );
}

static void CALLBACK block_free_state( void *state )
{
    InterlockedIncrement( &free_states );
    CloseHandle( state );
}

static HRESULT CALLBACK block( const WS_OPERATION_CONTEXT *context, WS_STRING text, INT32 number,
                               WS_STRING *out_text, INT32 *out_number, const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    HANDLE unblock = CreateEventA( NULL, TRUE, FALSE, NULL );
    HRESULT hr;
    (void)async;

    *out_text = text;
    *out_number = number;
    if (!unblock) return E_OUTOFMEMORY;
    if ((hr = WsRegisterOperationForCancel( context, block_cancelled, block_free_state, unblock, error )) != S_OK)
    {
        CloseHandle( unblock );
        return hr;
    }
    if (InterlockedIncrement( &registered ) == block_target) SetEvent( all_registered );
    {
        HANDLE waits[] = { unblock, release_all };
        DWORD wait = WaitForMultipleObjects( 2, waits, FALSE, 120000 );
        return wait == WAIT_TIMEOUT ? WS_E_OPERATION_TIMED_OUT : WS_E_OPERATION_ABORTED;
    }
}

/* The flood process: SESSIONS net.tcp sessions, N / SESSIONS Block requests
 * written on each without reading replies; then waits for the host's abort. */
static int run_flood( const char *url_arg, int total, int sessions )
{
    WCHAR url[256];
    WS_ENDPOINT_ADDRESS address;
    WS_CHANNEL **channels = calloc( sessions, sizeof(*channels) );
    WS_MESSAGE *msg;
    HRESULT hr;
    int i, s;

    to_wide( url_arg, url, ARRAYSIZE(url) );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url;
    address.url.length = wcslen( url );
    for (s = 0; s < sessions; s++)
    {
        if ((hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL,
                                   &channels[s], NULL )) != S_OK) return fail( "flood: WsCreateChannel", hr );
        if ((hr = WsOpenChannel( channels[s], &address, NULL, NULL )) != S_OK)
            return fail( "flood: WsOpenChannel", hr );
    }
    for (i = 0; i < total; i++)
    {
        WS_CHANNEL *channel = channels[i % sessions];
        payload body = { { 0, NULL }, i };

        if ((hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL )) != S_OK ||
            (hr = WsInitializeMessage( msg, WS_REQUEST_MESSAGE, NULL, NULL )) != S_OK ||
            (hr = WsSetHeader( msg, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE, &block_action,
                               sizeof(block_action), NULL )) != S_OK ||
            (hr = WsWriteMessageStart( channel, msg, NULL, NULL )) != S_OK ||
            (hr = WsWriteBody( msg, &payload_element, WS_WRITE_REQUIRED_VALUE, &body, sizeof(body), NULL )) != S_OK ||
            (hr = WsWriteMessageEnd( channel, msg, NULL, NULL )) != S_OK)
            return fail( "flood: writing a Block request", hr );
        WsFreeMessage( msg );
    }
    /* The host aborts every session: a receive then fails on each. */
    for (s = 0; s < sessions; s++)
    {
        WsCreateMessageForChannel( channels[s], NULL, 0, &msg, NULL );
        while ((hr = WsReadMessageStart( channels[s], msg, NULL, NULL )) == S_OK)
        {
            WsReadMessageEnd( channels[s], msg, NULL, NULL );
            WsResetMessage( msg, NULL );
        }
        WsFreeMessage( msg );
        WsAbortChannel( channels[s], NULL );
        WsFreeChannel( channels[s] );
    }
    return 0;
}

static int run_cancel( const char *url_arg, int total, int sessions, BOOL deferred )
{
    static const void *methods[] = { (const void *)block };
    static WS_OPERATION_DESCRIPTION *ops[] = { &block_op };
    static WS_CONTRACT_DESCRIPTION description = { 1, ops };
    static const WS_SERVICE_CONTRACT contract = { &description, NULL, methods };
    ULONG concurrency = (total + sessions - 1) / sessions, channels = sessions + 4;
    WS_SERVICE_ENDPOINT_PROPERTY properties[] =
    {
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &concurrency, sizeof(concurrency) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNELS, &channels, sizeof(channels) },
    };
    WCHAR url[256], cmd[1024], module[MAX_PATH];
    WS_SERVICE_ENDPOINT endpoint;
    const WS_SERVICE_ENDPOINT *endpoints[] = { &endpoint };
    LARGE_INTEGER t0, t_abort, t_close;
    PROCESS_INFORMATION pi;
    STARTUPINFOW si;
    WS_SERVICE_HOST *host;
    HRESULT hr, close_hr;
    DWORD wait;

    print_dll();
    block_target = total;
    deferred_release = deferred;
    release_all = CreateEventA( NULL, TRUE, FALSE, NULL );
    all_registered = CreateEventA( NULL, TRUE, FALSE, NULL );
    to_wide( url_arg, url, ARRAYSIZE(url) );
    endpoint = make_endpoint( url, &contract, properties, ARRAYSIZE(properties) );
    if ((hr = WsCreateServiceHost( endpoints, 1, NULL, 0, &host, NULL )) != S_OK) return fail( "WsCreateServiceHost", hr );
    if ((hr = WsOpenServiceHost( host, NULL, NULL )) != S_OK) return fail( "WsOpenServiceHost", hr );

    GetModuleFileNameW( NULL, module, MAX_PATH );
    swprintf( cmd, ARRAYSIZE(cmd), L"\"%ls\" flood %ls %d %d", module, url, total, sessions );
    memset( &si, 0, sizeof(si) );
    si.cb = sizeof(si);
    if (!CreateProcessW( NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi ))
        return fail( "starting the flood process", HRESULT_FROM_WIN32( GetLastError() ) );
    wait = WaitForSingleObject( all_registered, 120000 );
    printf( "registered_calls: %ld\n", registered );
    if (wait) printf( "not all calls registered within 120 s; aborting with %ld\n", registered );

    QueryPerformanceCounter( &t0 );
    hr = WsAbortServiceHost( host, NULL );
    QueryPerformanceCounter( &t_abort );
    if (deferred) SetEvent( release_all );
    close_hr = WsCloseServiceHost( host, NULL, NULL );
    QueryPerformanceCounter( &t_close );
    WsFreeServiceHost( host );
    if (WaitForSingleObject( pi.hProcess, 30000 )) TerminateProcess( pi.hProcess, 1 );

    printf( "abort_hr: %#lx\n", hr );
    printf( "close_hr: %#lx\n", close_hr );
    printf( "abort_return_us: %.0f\n", elapsed_us( t0, t_abort ) );
    if (cancels >= 1) printf( "first_cancel_us: %.0f\n", elapsed_us( t0, first_cancel ) );
    if (cancels >= block_target) printf( "last_cancel_us: %.0f\n", elapsed_us( t0, last_cancel ) );
    printf( "close_return_us: %.0f\n", elapsed_us( t0, t_close ) );
    printf( "cancel_callbacks: %ld\n", cancels );
    printf( "free_state_callbacks: %ld\n", free_states );
    printf( "cancel_reason: %ld\n", cancel_reason_seen );
    return wait || hr != S_OK || close_hr != S_OK || cancels != block_target || free_states != block_target;
}

int main( int argc, char **argv )
{
    setvbuf( stdout, NULL, _IONBF, 0 );
    if (argc == 4 && !strcmp( argv[1], "host" )) return run_host( argv[2], argv[3] );
    if (argc == 6 && !strcmp( argv[1], "client" )) return run_client( argv[2], atoi( argv[3] ), atoi( argv[4] ), argv[5] );
    if (argc == 3 && !strcmp( argv[1], "stop" )) return run_stop( argv[2] );
    if ((argc == 5 || (argc == 6 && !strcmp( argv[5], "deferred" ))) && !strcmp( argv[1], "cancel" ))
        return run_cancel( argv[2], atoi( argv[3] ), atoi( argv[4] ), argc == 6 );
    if (argc == 5 && !strcmp( argv[1], "flood" )) return run_flood( argv[2], atoi( argv[3] ), atoi( argv[4] ) );
    printf( "usage: service_host.exe host TCP_URL HTTP_URL | client URL N CLIENTS TCP_URL | stop TCP_URL |"
            " cancel TCP_URL N SESSIONS [deferred]\n" );
    return 2;
}
