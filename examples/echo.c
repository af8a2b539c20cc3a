/*
 * Echo demo: a service built on WWSAPI listeners and channels, and a client
 * that calls it from another process.
 *
 *   echo.exe demo URL...      start "echo.exe server URL..." as a second
 *                             process, call each endpoint, print each
 *                             exchange, stop the server; exit code 0 when
 *                             every exchange succeeded
 *   echo.exe server URL...    serve the endpoints until a client sends the
 *                             shutdown action
 *   echo.exe client URL...    call each endpoint once
 *
 * URLs: net.tcp://localhost:PORT/path, net.pipe://localhost/path,
 * http://localhost:PORT/path.  Only the public API of webservices.h is used.
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"

static WS_XML_STRING ns = WS_XML_STRING_VALUE( "http://example.org/echo" );
static WS_XML_STRING text_local = WS_XML_STRING_VALUE( "text" );
static WS_XML_STRING echo_action = WS_XML_STRING_VALUE( "http://example.org/echo/Echo" );
static WS_XML_STRING reply_action = WS_XML_STRING_VALUE( "http://example.org/echo/EchoReply" );
static WS_XML_STRING shutdown_action = WS_XML_STRING_VALUE( "http://example.org/echo/Shutdown" );

static WS_ELEMENT_DESCRIPTION text_element = { &text_local, &ns, WS_STRING_TYPE, NULL };
static WS_MESSAGE_DESCRIPTION echo_desc = { &echo_action, &text_element };
static WS_MESSAGE_DESCRIPTION reply_desc = { &reply_action, &text_element };
static WS_MESSAGE_DESCRIPTION shutdown_desc = { &shutdown_action, NULL };

#define READY_EVENT "webservices_echo_demo_ready"   /* a semaphore */

static WS_CHANNEL_BINDING binding_of( const WCHAR *url, WS_CHANNEL_TYPE *client, WS_CHANNEL_TYPE *server )
{
    if (!wcsncmp( url, L"net.tcp:", 8 ))
    {
        *client = *server = WS_CHANNEL_TYPE_DUPLEX_SESSION;
        return WS_TCP_CHANNEL_BINDING;
    }
    if (!wcsncmp( url, L"net.pipe:", 9 ))
    {
        *client = *server = WS_CHANNEL_TYPE_DUPLEX_SESSION;
        return WS_NAMEDPIPE_CHANNEL_BINDING;
    }
    *client = WS_CHANNEL_TYPE_REQUEST;
    *server = WS_CHANNEL_TYPE_REPLY;
    return WS_HTTP_CHANNEL_BINDING;
}

/* Prints UTF-16 text as UTF-8 (what a Linux terminal shows). */
static void print_text( const WCHAR *text, int len )
{
    char buf[1024];
    int n = WideCharToMultiByte( CP_UTF8, 0, text, len, buf, sizeof(buf), NULL, NULL );
    fwrite( buf, 1, n > 0 ? n : 0, stdout );
}

static void print_error( const char *what, HRESULT hr, WS_ERROR *error )
{
    ULONG count = 0, i;
    WS_STRING str;

    printf( "%s failed: %#lx\n", what, hr );
    if (!error || WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) ) != S_OK) return;
    for (i = 0; i < count; i++)
        if (WsGetErrorString( error, i, &str ) == S_OK) printf( "  %.*ls\n", (int)str.length, str.chars );
}

/* ---------------------------------------------------------------------- */
/* Server                                                                  */
/* ---------------------------------------------------------------------- */

static volatile LONG shutting_down;
static volatile LONG open_failures;   /* endpoints that could not listen: the server gives up */

/* Serves one accepted channel until the client ends its session (or, on a
 * request/reply channel, after one request). */
static void serve_channel( WS_CHANNEL *channel, BOOL session, WS_ERROR *error, WS_HEAP *heap )
{
    const WS_MESSAGE_DESCRIPTION *descs[2] = { &echo_desc, &shutdown_desc };
    WS_MESSAGE *request = NULL, *reply = NULL;
    WS_STRING text;
    ULONG index;
    HRESULT hr;

    if (WsCreateMessageForChannel( channel, NULL, 0, &request, error ) != S_OK ||
        WsCreateMessageForChannel( channel, NULL, 0, &reply, error ) != S_OK) goto done;
    for (;;)
    {
        hr = WsReceiveMessage( channel, request, descs, 2, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &text, sizeof(text), &index, NULL, error );
        if (hr != S_OK) break;
        if (index == 1)
        {
            InterlockedExchange( &shutting_down, 1 );
            hr = WsSendReplyMessage( channel, reply, &shutdown_desc, WS_WRITE_REQUIRED_VALUE, NULL, 0, request, NULL, error );
        }
        else hr = WsSendReplyMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &text, sizeof(text),
                                      request, NULL, error );
        if (hr != S_OK) { print_error( "server: WsSendReplyMessage", hr, error ); break; }
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
        WsResetHeap( heap, NULL );
        if (!session) break;
    }
done:
    WsCloseChannel( channel, NULL, NULL );
    if (request) WsFreeMessage( request );
    if (reply) WsFreeMessage( reply );
}

static DWORD CALLBACK serve_endpoint( void *arg )
{
    const WCHAR *url = arg;
    WS_STRING url_str = { (ULONG)wcslen( url ), (WCHAR *)url };
    WS_CHANNEL_TYPE client_type, server_type;
    WS_CHANNEL_BINDING binding = binding_of( url, &client_type, &server_type );
    WS_LISTENER *listener = NULL;
    WS_CHANNEL *channel = NULL;
    WS_ERROR *error = NULL;
    WS_HEAP *heap = NULL;
    HRESULT hr;

    WsCreateError( NULL, 0, &error );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    if ((hr = WsCreateListener( server_type, binding, NULL, 0, NULL, &listener, error )) != S_OK ||
        (hr = WsOpenListener( listener, &url_str, NULL, error )) != S_OK)
    {
        printf( "server: cannot listen on %ls\n", url );
        print_error( "server: open listener", hr, error );
        InterlockedIncrement( &open_failures );
        return 1;
    }
    printf( "server: listening on %ls\n", url );
    fflush( stdout );
    {
        HANDLE ready = OpenSemaphoreA( SEMAPHORE_MODIFY_STATE, FALSE, READY_EVENT );
        if (ready) { ReleaseSemaphore( ready, 1, NULL ); CloseHandle( ready ); }
    }
    while (!shutting_down)
    {
        if ((hr = WsCreateChannelForListener( listener, NULL, 0, &channel, error )) != S_OK) break;
        if ((hr = WsAcceptChannel( listener, channel, NULL, error )) == S_OK)
            serve_channel( channel, server_type == WS_CHANNEL_TYPE_DUPLEX_SESSION, error, heap );
        else if (!shutting_down) print_error( "server: WsAcceptChannel", hr, error );
        WsFreeChannel( channel );
        WsResetError( error );
    }
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
    WsFreeHeap( heap );
    WsFreeError( error );
    return 0;
}

static int run_server( int count, WCHAR **urls )
{
    int i;

    for (i = 0; i < count; i++)
    {
        HANDLE thread = CreateThread( NULL, 0, serve_endpoint, urls[i], 0, NULL );
        if (thread) CloseHandle( thread );
    }
    /* The shutdown request stops the accept loops; listeners blocked in
     * accept on other endpoints are left to process exit. */
    while (!shutting_down && !open_failures) Sleep( 50 );
    if (open_failures) return 1;
    Sleep( 200 );
    printf( "server: shutting down\n" );
    fflush( stdout );
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Client                                                                  */
/* ---------------------------------------------------------------------- */

static HRESULT call_endpoint( const WCHAR *url, const WCHAR *text, BOOL shutdown, WS_ERROR *error )
{
    WS_CHANNEL_TYPE client_type, server_type;
    WS_CHANNEL_BINDING binding = binding_of( url, &client_type, &server_type );
    WS_STRING request = { (ULONG)wcslen( text ), (WCHAR *)text }, answer = { 0, NULL };
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *msg = NULL, *reply = NULL;
    WS_CHANNEL *channel = NULL;
    WS_HEAP *heap = NULL;
    HRESULT hr;

    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)url;
    address.url.length = wcslen( url );
    if ((hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error )) != S_OK) goto done;
    if ((hr = WsCreateChannel( client_type, binding, NULL, 0, NULL, &channel, error )) != S_OK) goto done;
    if ((hr = WsOpenChannel( channel, &address, NULL, error )) != S_OK) goto done;
    if ((hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, error )) != S_OK) goto done;
    if ((hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, error )) != S_OK) goto done;
    if (shutdown)
        hr = WsRequestReply( channel, msg, &shutdown_desc, WS_WRITE_REQUIRED_VALUE, NULL, 0, reply, &shutdown_desc,
                             WS_READ_REQUIRED_VALUE, heap, NULL, 0, NULL, error );
    else
    {
        hr = WsRequestReply( channel, msg, &echo_desc, WS_WRITE_REQUIRED_VALUE, &request, sizeof(request), reply,
                             &reply_desc, WS_READ_REQUIRED_VALUE, heap, &answer, sizeof(answer), NULL, error );
        if (hr == S_OK)
        {
            printf( "client: %ls: sent \"", url );
            print_text( text, wcslen( text ) );
            printf( "\", received \"" );
            print_text( answer.chars, answer.length );
            printf( "\"\n" );
            if (answer.length != request.length || memcmp( answer.chars, request.chars, request.length * sizeof(WCHAR) ))
                hr = E_FAIL;
        }
    }
    if (hr == S_OK) hr = WsCloseChannel( channel, NULL, error );

done:
    if (hr != S_OK) print_error( "client", hr, error );
    if (msg) WsFreeMessage( msg );
    if (reply) WsFreeMessage( reply );
    if (channel) WsFreeChannel( channel );
    if (heap) WsFreeHeap( heap );
    return hr;
}

static int run_client( int count, WCHAR **urls, BOOL shutdown )
{
    static const WCHAR *texts[] = { L"hello", L"gr\x00fc\x00df dich, \x4e16\x754c", L"" };
    WS_ERROR *error;
    int i, failures = 0;
    ULONG j;

    WsCreateError( NULL, 0, &error );
    for (i = 0; i < count; i++)
        for (j = 0; j < ARRAYSIZE(texts); j++)
        {
            if (call_endpoint( urls[i], texts[j], FALSE, error ) != S_OK) failures++;
            WsResetError( error );
        }
    if (shutdown && count && call_endpoint( urls[0], L"", TRUE, error ) != S_OK) failures++;
    WsFreeError( error );
    printf( "client: %d exchanges, %d failed\n", count * (int)ARRAYSIZE(texts), failures );
    return failures ? 1 : 0;
}

/* ---------------------------------------------------------------------- */
/* Demo: both sides, in two processes                                      */
/* ---------------------------------------------------------------------- */

static int run_demo( int count, WCHAR **urls )
{
    WCHAR cmd[4096], module[MAX_PATH];
    PROCESS_INFORMATION pi;
    STARTUPINFOW si;
    HANDLE ready;
    DWORD exit_code = 1;
    int i, ret, started = 0;

    ready = CreateSemaphoreA( NULL, 0, 64, READY_EVENT );
    GetModuleFileNameW( NULL, module, MAX_PATH );
    swprintf( cmd, ARRAYSIZE(cmd), L"\"%ls\" server", module );
    for (i = 0; i < count; i++) wcscat( wcscat( cmd, L" " ), urls[i] );
    memset( &si, 0, sizeof(si) );
    si.cb = sizeof(si);
    if (!CreateProcessW( NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi ))
    {
        printf( "demo: cannot start the server (%lu)\n", GetLastError() );
        return 1;
    }
    /* Every endpoint releases the semaphore once it listens. */
    for (i = 0; i < count; i++)
    {
        if (WaitForMultipleObjects( 2, (HANDLE[]){ ready, pi.hProcess }, FALSE, 20000 ) != WAIT_OBJECT_0) break;
        started++;
    }
    if (started < count) printf( "demo: the server did not start\n" );
    ret = started == count ? run_client( count, urls, TRUE ) : 1;
    if (WaitForSingleObject( pi.hProcess, 10000 )) TerminateProcess( pi.hProcess, 1 );
    GetExitCodeProcess( pi.hProcess, &exit_code );
    printf( "demo: %s\n", !ret && !exit_code ? "every exchange succeeded" : "FAILED" );
    return ret || exit_code;
}

int wmain( int argc, WCHAR **argv )
{
    setvbuf( stdout, NULL, _IONBF, 0 );
    if (argc >= 3 && !wcscmp( argv[1], L"server" )) return run_server( argc - 2, argv + 2 );
    if (argc >= 3 && !wcscmp( argv[1], L"client" )) return run_client( argc - 2, argv + 2, FALSE );
    if (argc >= 3 && !wcscmp( argv[1], L"demo" )) return run_demo( argc - 2, argv + 2 );
    printf( "usage: echo.exe demo|server|client URL...\n" );
    return 2;
}
