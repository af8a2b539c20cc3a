/*
 * Interoperability with a peer nobody here wrote: Wine's builtin
 * webservices.dll, in another process, talking net.tcp ([MC-NMF], binary
 * session encoding) to our DLL, in both directions, and HTTP (SOAP 1.2, text
 * encoding, WS-Addressing 1.0): our listener serves, the builtin's request
 * channel calls (the builtin has no HTTP listener).
 *
 * tests/interop.sh runs two processes of this program at a time, one with
 * our DLL and one with Wine's builtin (WINEDLLOVERRIDES=webservices=b, from
 * a directory without our DLL; an override set by a parent process does not
 * reach a child's loader under Wine, hence the script):
 *
 *   webservices_test.exe interop server PORT TAG [http]   serve on
 *                          net.tcp://localhost:PORT/interop (or http://...)
 *   webservices_test.exe interop client PORT TAG [http]   call it, once the
 *                          server's "ready" event TAG is set
 *
 * Each process checks that the DLL it loaded is the expected one
 * (WINETEST_PLATFORM=wine: the builtin).  Run without arguments, the test
 * only says so and skips.
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static WS_XML_STRING ns = { 19, (BYTE *)"http://example.org/", NULL, 0 };
static WS_XML_STRING value_local = { 5, (BYTE *)"value", NULL, 0 };
static WS_XML_STRING request_action = { 26, (BYTE *)"http://example.org/request", NULL, 0 };
static WS_XML_STRING reply_action = { 24, (BYTE *)"http://example.org/reply", NULL, 0 };
static WS_ELEMENT_DESCRIPTION value_element = { &value_local, &ns, WS_INT32_TYPE, NULL };
static WS_MESSAGE_DESCRIPTION request_desc = { &request_action, &value_element };
static WS_MESSAGE_DESCRIPTION reply_desc = { &reply_action, &value_element };

#define MESSAGES 3

static BOOL use_http;   /* HTTP request/reply instead of a net.tcp duplex session */

static void make_url( WCHAR *buf, ULONG size, USHORT port )
{
    char tmp[128];
    ULONG i;
    snprintf( tmp, sizeof(tmp), "%s://localhost:%u/interop", use_http ? "http" : "net.tcp", port );
    for (i = 0; tmp[i] && i < size - 1; i++) buf[i] = tmp[i];
    buf[i] = 0;
}

/* Both processes create (or open) the same named events: KIND "ready"
 * (the service listens) and "skip" (it cannot: E_NOTIMPL). */
static HANDLE named_event( const char *kind, const char *tag )
{
    char name[64];
    snprintf( name, sizeof(name), "webservices_interop_%s_%s", kind, tag );
    return CreateEventA( NULL, TRUE, FALSE, name );
}

static HANDLE skip_event;

/* Answers the request on an accepted channel with -value. */
static void answer( WS_CHANNEL *channel, WS_MESSAGE *request, WS_MESSAGE *reply, WS_HEAP *heap, int i )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    INT32 value = 0, negated;
    HRESULT hr;

    hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                           heap, &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
    ok( value == 100 + i, "%d: got %d\n", i, value );
    negated = -value;
    hr = WsSendReplyMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &negated, sizeof(negated), request,
                             NULL, NULL );
    ok( hr == S_OK, "%d: send got %#lx\n", i, hr );
    WsResetMessage( request, NULL );
    WsResetMessage( reply, NULL );
}

/* The HTTP service: one request per accepted channel, MESSAGES times. */
static void serve_http( WS_LISTENER *listener, WS_CHANNEL *channel, HANDLE ready, WS_HEAP *heap )
{
    WS_MESSAGE *request, *reply;
    HRESULT hr;
    int i;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    SetEvent( ready );
    for (i = 0; i < MESSAGES; i++)
    {
        hr = WsAcceptChannel( listener, channel, NULL, NULL );
        ok( hr == S_OK, "%d: accept got %#lx\n", i, hr );
        if (hr != S_OK) break;
        answer( channel, request, reply, heap, i );
        hr = WsCloseChannel( channel, NULL, NULL );
        ok( hr == S_OK, "%d: close got %#lx\n", i, hr );
        hr = WsResetChannel( channel, NULL );
        ok( hr == S_OK, "%d: reset got %#lx\n", i, hr );
    }
    WsFreeMessage( request );
    WsFreeMessage( reply );
}

/* The service: receives MESSAGES requests and answers each with -value. */
static void serve( USHORT port, HANDLE ready )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    WS_MESSAGE *request, *reply;
    WCHAR url_buf[128];
    WS_STRING url;
    WS_HEAP *heap;
    INT32 value, answer;
    HRESULT hr;
    int i;

    make_url( url_buf, ARRAYSIZE(url_buf), port );
    url.chars = url_buf;
    url.length = wcslen( url_buf );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateListener( use_http ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                           use_http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "create listener got %#lx\n", hr );
    hr = WsOpenListener( listener, &url, NULL, NULL );
    if (hr == E_NOTIMPL && use_http)
    {
        skip( "our HTTP channel binding is not implemented (E_NOTIMPL)\n" );
        SetEvent( skip_event );   /* the client skips too */
        SetEvent( ready );
        WsFreeListener( listener );
        WsFreeHeap( heap );
        return;
    }
    ok( hr == S_OK, "open listener got %#lx\n", hr );
    hr = WsCreateChannelForListener( listener, NULL, 0, &channel, NULL );
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    if (use_http)
    {
        serve_http( listener, channel, ready, heap );
        goto done;
    }
    SetEvent( ready );
    hr = WsAcceptChannel( listener, channel, NULL, NULL );
    ok( hr == S_OK, "accept got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    for (i = 0; i < MESSAGES; i++)
    {
        value = 0;
        hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &value, sizeof(value), NULL, NULL, NULL );
        ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
        ok( value == 100 + i, "%d: got %d\n", i, value );
        answer = -value;
        hr = WsSendMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &answer, sizeof(answer), NULL, NULL );
        ok( hr == S_OK, "%d: send got %#lx\n", i, hr );
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
    }
    hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE,
                           heap, &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == WS_S_END, "end of session got %#lx\n", hr );
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );

done:
    WsFreeChannel( channel );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
    WsFreeHeap( heap );
}

/* The HTTP client: MESSAGES request/reply exchanges on one request channel. */
static void call_http( WCHAR *url, WS_HEAP *heap )
{
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    INT32 value, answer;
    HRESULT hr;
    int i;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url;
    address.url.length = wcslen( url );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "open got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < MESSAGES; i++)
    {
        value = 100 + i;
        answer = 0;
        hr = WsRequestReply( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), reply,
                             &reply_desc, WS_READ_REQUIRED_VALUE, heap, &answer, sizeof(answer), NULL, NULL );
        ok( hr == S_OK, "%d: request/reply got %#lx\n", i, hr );
        ok( answer == -value, "%d: got %d\n", i, answer );
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
    }
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsFreeChannel( channel );
}

/* The client: sends MESSAGES requests and checks each answer. */
static void call( USHORT port )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &reply_desc };
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    WCHAR url_buf[128];
    WS_HEAP *heap;
    INT32 value, answer;
    HRESULT hr;
    int i;

    make_url( url_buf, ARRAYSIZE(url_buf), port );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (use_http)
    {
        call_http( url_buf, heap );
        WsFreeHeap( heap );
        return;
    }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    if (hr == E_NOTIMPL && winetest_platform_is_wine)
    {
        win_skip( "Wine's builtin has no net.tcp client channel\n" );
        WsFreeHeap( heap );
        return;
    }
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "open got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    for (i = 0; i < MESSAGES; i++)
    {
        value = 100 + i;
        hr = WsSendMessage( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
        ok( hr == S_OK, "%d: send got %#lx\n", i, hr );
        answer = 0;
        hr = WsReceiveMessage( channel, reply, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &answer, sizeof(answer), NULL, NULL, NULL );
        ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
        ok( answer == -value, "%d: got %d\n", i, answer );
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
    }
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsFreeChannel( channel );
    WsFreeHeap( heap );
}

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc); Wine's builtin may carry the path of the file it
 * stands in for, so the path alone does not tell. */
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

/* The DLL must be the one this side is meant to test: Wine's builtin when
 * WINETEST_PLATFORM is "wine", ours otherwise; else the test would only talk
 * to itself. */
static BOOL check_dll_loaded(void)
{
    BOOL ours = is_our_dll( GetModuleHandleA( "webservices.dll" ) );
    ok( ours == !winetest_platform_is_wine, "loaded %s DLL\n", ours ? "our" : "Wine's builtin" );
    return ours == !winetest_platform_is_wine;
}

START_TEST(interop)
{
    char **argv;
    int argc = winetest_get_mainargs( &argv );
    HANDLE ready;

    if (argc < 5)
    {
        skip( "run by tests/interop.sh: interop server|client PORT TAG [http]\n" );
        return;
    }
    if (!check_dll_loaded()) return;
    use_http = argc > 5 && !strcmp( argv[5], "http" );
    ready = named_event( "ready", argv[4] );
    skip_event = named_event( "skip", argv[4] );
    if (!strcmp( argv[2], "server" )) serve( atoi( argv[3] ), ready );
    else if (!strcmp( argv[2], "client" ))
    {
        ok( !WaitForSingleObject( ready, 30000 ), "the service did not start\n" );
        Sleep( 100 );   /* the event is set just before WsAcceptChannel */
        if (!WaitForSingleObject( skip_event, 0 ))
            skip( "the service cannot serve %s (our HTTP binding: E_NOTIMPL)\n", argv[5] );
        else call( atoi( argv[3] ) );
    }
    CloseHandle( skip_event );
    CloseHandle( ready );
}
