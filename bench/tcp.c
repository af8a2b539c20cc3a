/*
 * net.tcp request/reply benchmark: one client process calls one service
 * process over WS_TCP_CHANNEL_BINDING (binary session encoding, [MC-NMF]
 * duplex session), both on the same webservices.dll (ours or Wine's
 * builtin: bench/run-tcp.sh runs the pair once each way).
 *
 *   tcp.exe server PORT      serve until the client's session ends
 *   tcp.exe client PORT N    N request/reply exchanges after 200 warm-up ones
 *
 * Each exchange: WsSendMessage of a request carrying a 64-character string
 * and an int, WsReceiveMessage of the reply echoing them (checked).
 * Output of the client (stdout), one line each:
 *   dll: PATH (WHICH)         the webservices.dll loaded ("this project" or "other")
 *   tcp_round_trips_per_sec: X
 *   tcp_latency_p50_us: X
 *   tcp_latency_p99_us: X
 */

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"

typedef struct { WS_STRING text; INT32 number; } payload;

static WS_XML_STRING ns = WS_XML_STRING_VALUE( "http://example.org/bench" );
static WS_XML_STRING payload_local = WS_XML_STRING_VALUE( "payload" );
static WS_XML_STRING text_local = WS_XML_STRING_VALUE( "text" );
static WS_XML_STRING number_local = WS_XML_STRING_VALUE( "number" );
static WS_XML_STRING request_action = WS_XML_STRING_VALUE( "http://example.org/bench/request" );
static WS_XML_STRING reply_action = WS_XML_STRING_VALUE( "http://example.org/bench/reply" );

static WS_FIELD_DESCRIPTION text_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &text_local, .ns = &ns,
                                           .type = WS_STRING_TYPE, .offset = 0 };
static WS_FIELD_DESCRIPTION number_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &number_local, .ns = &ns,
                                             .type = WS_INT32_TYPE, .offset = offsetof(payload, number) };
static WS_FIELD_DESCRIPTION *fields[] = { &text_field, &number_field };
static WS_STRUCT_DESCRIPTION payload_struct = { .size = sizeof(payload), .alignment = TYPE_ALIGNMENT(payload),
                                                .fields = fields, .fieldCount = 2, .typeLocalName = &payload_local,
                                                .typeNs = &ns };
static WS_ELEMENT_DESCRIPTION payload_element = { &payload_local, &ns, WS_STRUCT_TYPE, &payload_struct };
static WS_MESSAGE_DESCRIPTION request_desc = { &request_action, &payload_element };
static WS_MESSAGE_DESCRIPTION reply_desc = { &reply_action, &payload_element };

static BOOL is_our_dll( HMODULE module )
{
    static const WCHAR name[] = L"webservices clean-room WWSAPI";
    HRSRC res = module ? FindResourceW( module, MAKEINTRESOURCEW( VS_VERSION_INFO ), (LPCWSTR)RT_VERSION ) : NULL;
    const BYTE *data;
    DWORD size, i;

    if (!res || !(data = LockResource( LoadResource( module, res ) ))) return FALSE;
    size = SizeofResource( module, res );
    for (i = 0; i + sizeof(name) <= size; i += 2)
        if (!memcmp( data + i, name, sizeof(name) - sizeof(WCHAR) )) return TRUE;
    return FALSE;
}

static void make_url( WCHAR *buf, ULONG size, int port )
{
    swprintf( buf, size, L"net.tcp://localhost:%d/bench", port );
}

static int fail( const char *what, HRESULT hr )
{
    printf( "%s failed: %#lx\n", what, hr );
    return 1;
}

static int serve( int port )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    WS_MESSAGE *request, *reply;
    WCHAR url_buf[128];
    WS_STRING url;
    WS_HEAP *heap;
    HANDLE ready;
    payload value;
    HRESULT hr;

    make_url( url_buf, ARRAYSIZE(url_buf), port );
    url.chars = url_buf;
    url.length = wcslen( url_buf );
    if ((hr = WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL )) != S_OK) return fail( "WsCreateHeap", hr );
    if ((hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL )) != S_OK)
        return fail( "WsCreateListener", hr );
    if ((hr = WsOpenListener( listener, &url, NULL, NULL )) != S_OK) return fail( "WsOpenListener", hr );
    if ((hr = WsCreateChannelForListener( listener, NULL, 0, &channel, NULL )) != S_OK)
        return fail( "WsCreateChannelForListener", hr );
    ready = CreateEventA( NULL, TRUE, FALSE, "webservices_bench_tcp_ready" );
    SetEvent( ready );
    if ((hr = WsAcceptChannel( listener, channel, NULL, NULL )) != S_OK) return fail( "WsAcceptChannel", hr );
    WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    for (;;)
    {
        hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &value, sizeof(value), NULL, NULL, NULL );
        if (hr != S_OK) break;
        if ((hr = WsSendMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL )) != S_OK)
            return fail( "WsSendMessage", hr );
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
        WsResetHeap( heap, NULL );
    }
    WsCloseChannel( channel, NULL, NULL );
    return 0;
}

static int compare_double( const void *a, const void *b )
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int call( int port, int count )
{
    static const WCHAR text[] = L"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &reply_desc };
    LARGE_INTEGER freq, start, t0, t1, end;
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    WCHAR url_buf[128], path[MAX_PATH];
    double *latencies;
    payload value, got;
    WS_HEAP *heap;
    HANDLE ready;
    HRESULT hr;
    int i, total = count + 200;

    GetModuleFileNameA( GetModuleHandleA( "webservices.dll" ), (char *)path, sizeof(path) );
    printf( "dll: %s (%s)\n", (char *)path, is_our_dll( GetModuleHandleA( "webservices.dll" ) ) ? "this project" : "other" );
    ready = CreateEventA( NULL, TRUE, FALSE, "webservices_bench_tcp_ready" );
    if (WaitForSingleObject( ready, 30000 )) return fail( "waiting for the server", E_FAIL );
    Sleep( 100 );
    make_url( url_buf, ARRAYSIZE(url_buf), port );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    if ((hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL )) != S_OK)
        return fail( "WsCreateChannel", hr );
    if ((hr = WsOpenChannel( channel, &address, NULL, NULL )) != S_OK) return fail( "WsOpenChannel", hr );
    WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    latencies = malloc( count * sizeof(*latencies) );
    value.text.chars = (WCHAR *)text;
    value.text.length = ARRAYSIZE(text) - 1;
    QueryPerformanceFrequency( &freq );
    for (i = 0; i < total; i++)
    {
        if (i == 200) QueryPerformanceCounter( &start );
        QueryPerformanceCounter( &t0 );
        value.number = i;
        if ((hr = WsSendMessage( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL )) != S_OK)
            return fail( "WsSendMessage", hr );
        if ((hr = WsReceiveMessage( channel, reply, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                                    heap, &got, sizeof(got), NULL, NULL, NULL )) != S_OK)
            return fail( "WsReceiveMessage", hr );
        QueryPerformanceCounter( &t1 );
        if (got.number != i || got.text.length != value.text.length) return fail( "checking the reply", E_FAIL );
        if (i >= 200) latencies[i - 200] = (double)(t1.QuadPart - t0.QuadPart) * 1e6 / freq.QuadPart;
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
        WsResetHeap( heap, NULL );
    }
    QueryPerformanceCounter( &end );
    WsCloseChannel( channel, NULL, NULL );
    qsort( latencies, count, sizeof(*latencies), compare_double );
    printf( "tcp_round_trips_per_sec: %.0f\n", count * (double)freq.QuadPart / (end.QuadPart - start.QuadPart) );
    printf( "tcp_latency_p50_us: %.0f\n", latencies[count / 2] );
    printf( "tcp_latency_p99_us: %.0f\n", latencies[count * 99 / 100] );
    return 0;
}

int main( int argc, char **argv )
{
    if (argc >= 3 && !strcmp( argv[1], "server" )) return serve( atoi( argv[2] ) );
    if (argc >= 4 && !strcmp( argv[1], "client" )) return call( atoi( argv[2] ), atoi( argv[3] ) );
    printf( "usage: tcp.exe server PORT | client PORT COUNT\n" );
    return 2;
}
