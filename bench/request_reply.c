/*
 * Request/reply benchmark: one client process calls one service process over
 * a channel binding given by the URL, both on the same webservices.dll or
 * each on its own (ours or Wine's builtin: bench/run-tcp.sh and
 * bench/run-http.sh run the pairs).
 *
 *   request_reply.exe server URL      serve until the client says stop
 *   request_reply.exe client URL N    N request/reply exchanges after 200 warm-up ones
 *
 * net.tcp://host:port/path: WS_TCP_CHANNEL_BINDING (binary session encoding,
 * [MC-NMF] duplex session): one session, WsSendMessage + WsReceiveMessage.
 * http://host:port/path: WS_HTTP_CHANNEL_BINDING (SOAP 1.2 text): the client
 * calls WsRequestReply; the service accepts a reply channel, answers its
 * requests with WsReceiveMessage + WsSendReplyMessage, then closes, resets
 * and accepts again, as a service host does.
 *
 * Each exchange: a request carrying a 64-character string and an int, and
 * the reply echoing them (checked).  The last request (number -1) stops the
 * service.  Output of the client (stdout), one line each:
 *   dll: PATH (WHICH)         the webservices.dll loaded ("this project" or "other")
 *   round_trips_per_sec: X
 *   latency_p50_us: X
 *   latency_p99_us: X
 */

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"
#include "payload.h"

static void make_url( WCHAR *buf, ULONG size, const char *url )
{
    MultiByteToWideChar( CP_UTF8, 0, url, -1, buf, size );
}

static BOOL is_http( const WCHAR *url )
{
    return !wcsncmp( url, L"http:", 5 );
}

static int fail( const char *what, HRESULT hr )
{
    printf( "%s failed: %#lx\n", what, hr );
    return 1;
}

/* Answers requests on an accepted channel until the client's session ends
 * (net.tcp), the channel has no more requests (HTTP) or the stop request. */
static HRESULT serve_channel( WS_CHANNEL *channel, WS_HEAP *heap, BOOL *stop )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WS_MESSAGE *request, *reply;
    payload value;
    HRESULT hr;

    WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    for (;;)
    {
        hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &value, sizeof(value), NULL, NULL, NULL );
        if (hr != S_OK) break;
        hr = WsSendReplyMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value),
                                 request, NULL, NULL );
        if (hr != S_OK) break;
        if (value.number == -1) *stop = TRUE;
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
        WsResetHeap( heap, NULL );
    }
    WsFreeMessage( request );
    WsFreeMessage( reply );
    return hr == WS_S_END ? S_OK : hr;
}

static int serve( const char *url_arg )
{
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    WCHAR url_buf[256];
    WS_STRING url;
    WS_HEAP *heap;
    HANDLE ready;
    BOOL http, stop = FALSE;
    HRESULT hr;

    make_url( url_buf, ARRAYSIZE(url_buf), url_arg );
    http = is_http( url_buf );
    url.chars = url_buf;
    url.length = wcslen( url_buf );
    if ((hr = WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL )) != S_OK) return fail( "WsCreateHeap", hr );
    hr = WsCreateListener( http ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                           http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    if (hr != S_OK) return fail( "WsCreateListener", hr );
    if ((hr = WsOpenListener( listener, &url, NULL, NULL )) != S_OK) return fail( "WsOpenListener", hr );
    if ((hr = WsCreateChannelForListener( listener, NULL, 0, &channel, NULL )) != S_OK)
        return fail( "WsCreateChannelForListener", hr );
    ready = CreateEventA( NULL, TRUE, FALSE, "webservices_bench_request_reply_ready" );
    SetEvent( ready );
    do
    {
        if ((hr = WsAcceptChannel( listener, channel, NULL, NULL )) != S_OK) return fail( "WsAcceptChannel", hr );
        if ((hr = serve_channel( channel, heap, &stop )) != S_OK) return fail( "serving a channel", hr );
        WsCloseChannel( channel, NULL, NULL );
        if ((hr = WsResetChannel( channel, NULL )) != S_OK) return fail( "WsResetChannel", hr );
    } while (http && !stop);
    WsFreeChannel( channel );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
    return 0;
}

/* One exchange: WsRequestReply over HTTP, send + receive on the session. */
static HRESULT exchange( WS_CHANNEL *channel, BOOL http, WS_MESSAGE *request, WS_MESSAGE *reply, WS_HEAP *heap,
                         payload *value, payload *got )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &reply_desc };
    HRESULT hr;

    if (http)
        return WsRequestReply( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, value, sizeof(*value),
                               reply, &reply_desc, WS_READ_REQUIRED_VALUE, heap, got, sizeof(*got), NULL, NULL );
    if ((hr = WsSendMessage( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, value, sizeof(*value), NULL, NULL )) != S_OK)
        return hr;
    return WsReceiveMessage( channel, reply, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                             heap, got, sizeof(*got), NULL, NULL, NULL );
}

static int compare_double( const void *a, const void *b )
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int call( const char *url_arg, int count )
{
    static const WCHAR text[] = L"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    LARGE_INTEGER freq, start, t0, t1, end;
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    WCHAR url_buf[256];
    char path[MAX_PATH];
    double *latencies;
    payload value, got;
    WS_HEAP *heap;
    HANDLE ready;
    HRESULT hr;
    BOOL http;
    int i, total = count + 200;

    GetModuleFileNameA( GetModuleHandleA( "webservices.dll" ), path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( GetModuleHandleA( "webservices.dll" ) ) ? "this project" : "other" );
    ready = CreateEventA( NULL, TRUE, FALSE, "webservices_bench_request_reply_ready" );
    if (WaitForSingleObject( ready, 30000 )) return fail( "waiting for the server", E_FAIL );
    Sleep( 100 );
    make_url( url_buf, ARRAYSIZE(url_buf), url_arg );
    http = is_http( url_buf );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    hr = WsCreateChannel( http ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                          http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    if (hr != S_OK) return fail( "WsCreateChannel", hr );
    if ((hr = WsOpenChannel( channel, &address, NULL, NULL )) != S_OK) return fail( "WsOpenChannel", hr );
    WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    latencies = malloc( count * sizeof(*latencies) );
    value.text.chars = (WCHAR *)text;
    value.text.length = ARRAYSIZE(text) - 1;
    QueryPerformanceFrequency( &freq );
    for (i = 0; i <= total; i++)
    {
        if (i == 200) QueryPerformanceCounter( &start );
        if (i == total) QueryPerformanceCounter( &end );
        QueryPerformanceCounter( &t0 );
        value.number = i == total ? -1 : i;
        if ((hr = exchange( channel, http, request, reply, heap, &value, &got )) != S_OK) return fail( "an exchange", hr );
        QueryPerformanceCounter( &t1 );
        if (got.number != value.number || got.text.length != value.text.length ||
            memcmp( got.text.chars, text, sizeof(text) - sizeof(WCHAR) ))
            return fail( "checking the reply", E_FAIL );
        if (i >= 200 && i < total) latencies[i - 200] = (double)(t1.QuadPart - t0.QuadPart) * 1e6 / freq.QuadPart;
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
        WsResetHeap( heap, NULL );
    }
    WsCloseChannel( channel, NULL, NULL );
    qsort( latencies, count, sizeof(*latencies), compare_double );
    printf( "round_trips_per_sec: %.0f\n", count * (double)freq.QuadPart / (end.QuadPart - start.QuadPart) );
    printf( "latency_p50_us: %.0f\n", latencies[count / 2] );
    printf( "latency_p99_us: %.0f\n", latencies[count * 99 / 100] );
    return 0;
}

int main( int argc, char **argv )
{
    if (argc >= 3 && !strcmp( argv[1], "server" )) return serve( argv[2] );
    if (argc >= 4 && !strcmp( argv[1], "client" )) return call( argv[2], atoi( argv[3] ) );
    printf( "usage: request_reply.exe server URL | client URL COUNT\n" );
    return 2;
}
