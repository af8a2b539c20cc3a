/*
 * Service proxy benchmark: WsCall round trips per second against the
 * service of bench/request_reply.c (same payload, actions and wire form),
 * run by bench/run-proxy.sh on our DLL; this program is the client, on our
 * DLL or Wine's builtin.
 *
 *   proxy.exe client URL N    N WsCall round trips after 200 warm-up ones
 *
 * net.tcp://...: a WS_CHANNEL_TYPE_DUPLEX_SESSION proxy over
 * WS_TCP_CHANNEL_BINDING; http://...: a WS_CHANNEL_TYPE_REQUEST proxy over
 * WS_HTTP_CHANNEL_BINDING.  The operation is doc/literal: the request body
 * carries a 64-character string and an int, the reply echoes them (checked).
 * The last call (number -1) stops the service.  Output (stdout), one line
 * each:
 *   dll: PATH (WHICH)         the webservices.dll loaded ("this project" or "other")
 *   round_trips_per_sec: X
 *   latency_p50_us: X
 *   latency_p99_us: X
 * or "unsupported: WHAT HRESULT" when the DLL cannot make such a proxy.
 */

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"
#include "payload.h"

/* Echo( WS_STRING text, INT32 number, WS_STRING *out_text, INT32 *out_number ) */
static WS_PARAMETER_DESCRIPTION echo_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 1, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 1 },
};
static WS_OPERATION_DESCRIPTION echo_op = { 1, &request_desc, &reply_desc, 0, 0, 4, echo_params, NULL,
                                            WS_NON_RPC_LITERAL_OPERATION };

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

static int compare_double( const void *a, const void *b )
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Creates and opens the proxy for URL; 0 or the process's exit code. */
static int open_proxy( const WCHAR *url, WS_SERVICE_PROXY **proxy )
{
    BOOL http = !wcsncmp( url, L"http:", 5 );
    WS_ENDPOINT_ADDRESS address;
    HRESULT hr;

    hr = WsCreateServiceProxy( http ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                               http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL, NULL, 0, NULL, 0,
                               proxy, NULL );
    if (hr != S_OK) return unsupported( "WsCreateServiceProxy", hr );
    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)url;
    address.url.length = wcslen( url );
    if ((hr = WsOpenServiceProxy( *proxy, &address, NULL, NULL )) != S_OK) return unsupported( "WsOpenServiceProxy", hr );
    return 0;
}

static int call( const char *url_arg, int count )
{
    static const WCHAR text[] = L"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    LARGE_INTEGER freq, start, t0, t1, end;
    WS_SERVICE_PROXY *proxy;
    WCHAR url[256];
    char path[MAX_PATH];
    double *latencies;
    WS_STRING in_text, got_text, *p_text = &got_text;
    INT32 number, got_number, *p_number = &got_number;
    const void *args[] = { &in_text, &number, &p_text, &p_number };
    WS_HEAP *heap;
    HANDLE ready;
    HRESULT hr;
    int i, ret, total = count + 200;

    GetModuleFileNameA( GetModuleHandleA( "webservices.dll" ), path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( GetModuleHandleA( "webservices.dll" ) ) ? "this project" : "other" );
    fflush( stdout );
    ready = CreateEventA( NULL, TRUE, FALSE, "webservices_bench_request_reply_ready" );
    if (WaitForSingleObject( ready, 30000 )) return fail( "waiting for the server", E_FAIL );
    Sleep( 100 );
    MultiByteToWideChar( CP_UTF8, 0, url_arg, -1, url, ARRAYSIZE(url) );
    if ((ret = open_proxy( url, &proxy ))) return ret;
    WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    latencies = malloc( count * sizeof(*latencies) );
    in_text.chars = (WCHAR *)text;
    in_text.length = ARRAYSIZE(text) - 1;
    QueryPerformanceFrequency( &freq );
    for (i = 0; i <= total; i++)
    {
        if (i == 200) QueryPerformanceCounter( &start );
        if (i == total) QueryPerformanceCounter( &end );
        QueryPerformanceCounter( &t0 );
        number = i == total ? -1 : i;
        got_number = 0;
        memset( &got_text, 0, sizeof(got_text) );
        if ((hr = WsCall( proxy, &echo_op, args, heap, NULL, 0, NULL, NULL )) != S_OK) return fail( "WsCall", hr );
        QueryPerformanceCounter( &t1 );
        if (got_number != number || got_text.length != in_text.length ||
            memcmp( got_text.chars, text, sizeof(text) - sizeof(WCHAR) ))
            return fail( "checking the reply", E_FAIL );
        if (i >= 200 && i < total) latencies[i - 200] = (double)(t1.QuadPart - t0.QuadPart) * 1e6 / freq.QuadPart;
        WsResetHeap( heap, NULL );
    }
    WsCloseServiceProxy( proxy, NULL, NULL );
    WsFreeServiceProxy( proxy );
    qsort( latencies, count, sizeof(*latencies), compare_double );
    printf( "round_trips_per_sec: %.0f\n", count * (double)freq.QuadPart / (end.QuadPart - start.QuadPart) );
    printf( "latency_p50_us: %.0f\n", latencies[count / 2] );
    printf( "latency_p99_us: %.0f\n", latencies[count * 99 / 100] );
    return 0;
}

int main( int argc, char **argv )
{
    if (argc >= 4 && !strcmp( argv[1], "client" )) return call( argv[2], atoi( argv[3] ) );
    printf( "usage: proxy.exe client URL COUNT (the service: request_reply.exe server URL)\n" );
    return 2;
}
