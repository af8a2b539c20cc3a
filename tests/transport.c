/*
 * Byte transports under channels and listeners (transport.c): TCP, named
 * pipes and UDP over loopback, timeouts, abort from another thread, address
 * in use, peer disconnect.  These are private interfaces of our DLL, reached
 * through its ".wsprv" section; the builtin has none, so the tests skip there.
 */

#include <winsock2.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "../webservices_private.h"

/* The DLL's private interface table, or NULL (another DLL, e.g. Wine's builtin). */
const struct ws_private_api *get_private_api( void )
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)module;
    const IMAGE_NT_HEADERS *nt;
    const IMAGE_SECTION_HEADER *section;
    const struct ws_private_api *api;
    unsigned int i;

    if (!module) return NULL;
    nt = (const IMAGE_NT_HEADERS *)((const BYTE *)module + dos->e_lfanew);
    section = IMAGE_FIRST_SECTION( nt );
    for (i = 0; i < nt->FileHeader.NumberOfSections; i++)
    {
        if (memcmp( section[i].Name, ".wsprv", 7 )) continue;
        api = (const struct ws_private_api *)((const BYTE *)module + section[i].VirtualAddress);
        if (api->magic == WS_PRIVATE_API_MAGIC && api->size >= sizeof(*api)) return api;
    }
    return NULL;
}

static const struct ws_private_api *api;

#define HOST(s) s, ARRAYSIZE(s) - 1

/* ---- helpers ---- */

static struct ws_conn *new_conn( void )
{
    struct ws_conn *conn = NULL;
    HRESULT hr = api->conn_create( &conn, NULL );
    ok( hr == S_OK, "conn_create got %#lx\n", hr );
    return conn;
}

static struct ws_conn_listener *tcp_listener( const WCHAR *host, ULONG len, WS_IP_VERSION version, USHORT *port )
{
    struct ws_conn_listener *listener = NULL;
    HRESULT hr = api->listener_create_tcp( host, len, 0, version, &listener, NULL );
    ok( hr == S_OK, "listener_create_tcp %.*ls got %#lx\n", (int)len, host, hr );
    if (hr != S_OK) return NULL;
    *port = api->listener_port( listener );
    ok( *port != 0, "no port\n" );
    return listener;
}

/* Sends MSG one way and checks it arrives whole. */
static void check_transfer( struct ws_conn *from, struct ws_conn *to, const char *msg )
{
    char buf[256];
    ULONG len = strlen( msg ), got = 0, received;
    HRESULT hr;

    hr = api->conn_send( from, msg, len, 2000, NULL );
    ok( hr == S_OK, "send got %#lx\n", hr );
    while (got < len)
    {
        hr = api->conn_receive( to, buf + got, sizeof(buf) - got, &received, 2000, NULL );
        ok( hr == S_OK, "receive got %#lx\n", hr );
        if (hr != S_OK || !received) break;
        got += received;
    }
    ok( got == len && !memcmp( buf, msg, len ), "got %.*s\n", (int)got, buf );
}

/* A connection to LISTENER (on localhost:PORT) and its accepted end. */
static void connect_localhost( struct ws_conn_listener *listener, USHORT port, struct ws_conn **client,
                               struct ws_conn **server )
{
    HRESULT hr;

    *client = new_conn();
    *server = new_conn();
    hr = api->conn_connect_tcp( *client, HOST(L"localhost"), port, WS_IP_VERSION_AUTO, 2000, 2000, NULL );
    ok( hr == S_OK, "connect got %#lx\n", hr );
    hr = api->listener_accept( listener, *server, 2000, NULL );
    ok( hr == S_OK, "accept got %#lx\n", hr );
}

/* The receiver sees a graceful end of stream (0 bytes, S_OK). */
static void check_end_of_stream( struct ws_conn *conn )
{
    ULONG received = 99;
    char buf[16];
    HRESULT hr = api->conn_receive( conn, buf, sizeof(buf), &received, 2000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !received, "got %lu bytes\n", received );
}

enum blocked_kind { BLOCKED_RECEIVE, BLOCKED_ACCEPT, BLOCKED_RECEIVE_FROM, BLOCKED_SEND, BLOCKED_CONNECT };

struct blocked_op
{
    enum blocked_kind kind;
    struct ws_conn *conn;
    struct ws_conn_listener *listener;
    ULONG timeout;
    HRESULT hr;
    ULONG elapsed;
};

static DWORD WINAPI blocked_thread( void *arg )
{
    struct blocked_op *op = arg;
    DWORD start = GetTickCount();
    ULONG received;
    char buf[64];

    switch (op->kind)
    {
    case BLOCKED_RECEIVE:
        op->hr = api->conn_receive( op->conn, buf, sizeof(buf), &received, op->timeout, NULL );
        break;
    case BLOCKED_RECEIVE_FROM:
        op->hr = api->conn_receive_from( op->conn, buf, sizeof(buf), &received, NULL, op->timeout, NULL );
        break;
    case BLOCKED_ACCEPT:
        op->hr = api->listener_accept( op->listener, op->conn, op->timeout, NULL );
        break;
    case BLOCKED_CONNECT:   /* to TEST-NET-1: nobody answers */
        op->hr = api->conn_connect_tcp( op->conn, HOST(L"192.0.2.123"), 9, WS_IP_VERSION_4, 1000, op->timeout, NULL );
        break;
    case BLOCKED_SEND:
    {
        /* Fills the peer's window until the send blocks. */
        static char big[65536];
        do op->hr = api->conn_send( op->conn, big, sizeof(big), op->timeout, NULL ); while (op->hr == S_OK);
        break;
    }
    }
    op->elapsed = GetTickCount() - start;
    return 0;
}

/* Starts OP on a thread, checks it blocks, aborts it with ABORT(ARG) and
 * checks it returns promptly; returns the operation's result. */
static HRESULT abort_blocked( struct blocked_op *op, void (*abort)( void * ), void *arg )
{
    HANDLE thread = CreateThread( NULL, 0, blocked_thread, op, 0, NULL );
    DWORD ret;

    ok( WaitForSingleObject( thread, 200 ) == WAIT_TIMEOUT, "operation did not block\n" );
    abort( arg );
    ret = WaitForSingleObject( thread, 3000 );
    ok( !ret, "operation still blocked after abort\n" );
    if (ret) TerminateThread( thread, 0 );
    CloseHandle( thread );
    return op->hr;
}

static void abort_conn( void *arg ) { api->conn_abort( arg ); }
static void abort_listener( void *arg ) { api->listener_abort( arg ); }

/* ---- TCP ---- */

static void test_tcp_exchange( const WCHAR *listen_host, ULONG listen_len, WS_IP_VERSION listen_version,
                               const WCHAR *host, ULONG len, WS_IP_VERSION version )
{
    struct ws_conn_listener *listener;
    struct ws_conn *client, *server;
    USHORT port;
    HRESULT hr;

    winetest_push_context( "%.*ls -> %.*ls", (int)len, host, (int)listen_len, listen_host );
    if (!(listener = tcp_listener( listen_host, listen_len, listen_version, &port )))
    {
        winetest_pop_context();
        return;
    }
    client = new_conn();
    server = new_conn();
    hr = api->conn_connect_tcp( client, host, len, port, version, 2000, 2000, NULL );
    ok( hr == S_OK, "connect got %#lx\n", hr );
    hr = api->listener_accept( listener, server, 2000, NULL );
    ok( hr == S_OK, "accept got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( api->conn_local_port( server ) == port, "got local port %u\n", api->conn_local_port( server ) );
        struct blocked_op op = { BLOCKED_RECEIVE, client, NULL, 3000, S_OK, 0 };
        HANDLE thread;

        check_transfer( client, server, "hello server" );
        check_transfer( server, client, "hello client, a longer answer" );
        /* Duplex: a receive pending on the client while it sends. */
        thread = CreateThread( NULL, 0, blocked_thread, &op, 0, NULL );
        Sleep( 50 );
        check_transfer( client, server, "sent while receiving" );
        hr = api->conn_send( server, "wake", 4, 1000, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( !WaitForSingleObject( thread, 3000 ), "receive still pending\n" );
        CloseHandle( thread );
        ok( op.hr == S_OK, "pending receive got %#lx\n", op.hr );
        /* Graceful close: the peer reads end of stream. */
        hr = api->conn_close( client, NULL );
        ok( hr == S_OK, "close got %#lx\n", hr );
        check_end_of_stream( server );
        hr = api->conn_close( client, NULL );
        ok( hr == WS_E_INVALID_OPERATION, "second close got %#lx\n", hr );
    }
    api->conn_free( client );
    api->conn_free( server );
    api->listener_free( listener );
    winetest_pop_context();
}

static void test_tcp_errors( void )
{
    struct ws_conn_listener *listener, *listener2 = NULL;
    struct ws_conn *conn, *server;
    WS_ERROR *error;
    WCHAR port_host[] = L"localhost";
    USHORT port;
    HRESULT hr, code;
    ULONG count, received;
    char buf[16];

    WsCreateError( NULL, 0, &error );

    /* The address is taken. */
    listener = tcp_listener( HOST(L"127.0.0.1"), WS_IP_VERSION_4, &port );
    hr = api->listener_create_tcp( HOST(L"127.0.0.1"), port, WS_IP_VERSION_4, &listener2, error );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    hr = api->listener_create_tcp( HOST(L"+"), port, WS_IP_VERSION_AUTO, &listener2, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "wildcard got %#lx\n", hr );
    count = 0;
    WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( count >= 1, "no error string\n" );

    /* Not a local address. */
    hr = api->listener_create_tcp( HOST(L"192.0.2.254"), 0, WS_IP_VERSION_AUTO, &listener2, NULL );
    ok( hr == WS_E_ADDRESS_NOT_AVAILABLE, "got %#lx\n", hr );
    hr = api->listener_create_tcp( HOST(L"+"), 0, 7, &listener2, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Accept timeout, then abort of a blocked accept (listener, then connection). */
    conn = new_conn();
    hr = api->listener_accept( listener, conn, 100, NULL );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    {
        struct blocked_op op = { BLOCKED_ACCEPT, conn, listener, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_conn, conn );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }
    /* An aborted connection stays aborted. */
    hr = api->conn_connect_tcp( conn, HOST(L"127.0.0.1"), port, WS_IP_VERSION_AUTO, 1000, 1000, NULL );
    ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    api->conn_free( conn );
    conn = new_conn();
    {
        struct blocked_op op = { BLOCKED_ACCEPT, conn, listener, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_listener, listener );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }
    hr = api->listener_accept( listener, conn, 0, NULL );
    ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    api->conn_free( conn );
    api->listener_free( listener );

    /* Nobody listens there any more: refused. */
    conn = new_conn();
    hr = api->conn_connect_tcp( conn, port_host, wcslen( port_host ), port, WS_IP_VERSION_AUTO, 2000, 2000, error );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND, "got %#lx\n", hr );
    code = 0;
    WsGetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( code == HRESULT_FROM_WIN32( WSAECONNREFUSED ), "got original code %#lx\n", code );

    /* Not open yet / bad arguments. */
    hr = api->conn_send( conn, "x", 1, 100, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = api->conn_receive( conn, buf, sizeof(buf), &received, 100, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = api->conn_connect_tcp( conn, HOST(L"127.0.0.1"), port, 0, 1000, 1000, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->conn_connect_tcp( conn, L"", 0, port, WS_IP_VERSION_AUTO, 1000, 1000, NULL );
    ok( hr == WS_E_INVALID_ENDPOINT_URL, "got %#lx\n", hr );
    api->conn_free( conn );

    /* Receive timeout, abort of a blocked receive, peer reset. */
    listener = tcp_listener( HOST(L"localhost"), WS_IP_VERSION_AUTO, &port );
    connect_localhost( listener, port, &conn, &server );
    hr = api->listener_accept( listener, server, 2000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "accept into an open connection got %#lx\n", hr );
    {
        DWORD start = GetTickCount(), elapsed;
        hr = api->conn_receive( server, buf, sizeof(buf), &received, 200, NULL );
        elapsed = GetTickCount() - start;
        ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
        ok( elapsed >= 150 && elapsed < 2000, "took %lu ms\n", elapsed );
    }
    /* A timed-out receive leaves the connection usable. */
    check_transfer( conn, server, "after timeout" );
    {
        /* The peer closes with data unread: the connection is reset. */
        hr = api->conn_send( server, "unread", 6, 1000, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        Sleep( 50 );
        api->conn_free( conn );
        hr = api->conn_receive( server, buf, sizeof(buf), &received, 2000, NULL );
        if (hr == S_OK) /* the reset may come with the next send */
            hr = api->conn_send( server, "x", 1, 1000, NULL );
        ok( hr == WS_E_ENDPOINT_DISCONNECTED || broken( hr == S_OK ), "got %#lx\n", hr );
    }
    api->conn_free( server );

    /* Abort of a receive blocked waiting for data. */
    connect_localhost( listener, port, &conn, &server );
    {
        struct blocked_op op = { BLOCKED_RECEIVE, server, NULL, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_conn, server );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }
    hr = api->conn_send( server, "x", 1, 1000, NULL );
    ok( hr == WS_E_OPERATION_ABORTED, "send after abort got %#lx\n", hr );
    /* Abort of a send blocked on a full window (the peer never reads). */
    {
        struct blocked_op op = { BLOCKED_SEND, conn, NULL, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_conn, conn );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }
    api->conn_free( conn );
    api->conn_free( server );
    api->listener_free( listener );
    WsFreeError( error );
}

/* A connect to an address nobody answers (TEST-NET-1) blocks until its
 * timeout or an abort; where the network refuses it at once, skip. */
static void test_tcp_connect_abort( void )
{
    struct blocked_op op = { BLOCKED_CONNECT, new_conn(), NULL, 300, S_OK, 0 };
    DWORD start = GetTickCount(), elapsed;

    blocked_thread( &op );
    elapsed = GetTickCount() - start;
    if (op.hr != WS_E_OPERATION_TIMED_OUT)
    {
        skip( "connect to 192.0.2.123 gave %#lx after %lu ms\n", op.hr, elapsed );
        api->conn_free( op.conn );
        return;
    }
    ok( elapsed >= 250 && elapsed < 3000, "timed out after %lu ms\n", elapsed );

    op.timeout = INFINITE;
    ok( abort_blocked( &op, abort_conn, op.conn ) == WS_E_OPERATION_ABORTED, "got %#lx\n", op.hr );
    api->conn_free( op.conn );
}

static void test_tcp_resolve( void )
{
    struct ws_conn *conn = new_conn();
    HRESULT hr;

    /* ".invalid" never resolves (RFC 2606); without a resolver this may instead time out. */
    hr = api->conn_connect_tcp( conn, HOST(L"wwsapi-test.invalid"), 80, WS_IP_VERSION_AUTO, 3000, 1000, NULL );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND || hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    api->conn_free( conn );
}

/* ---- named pipes ---- */

static void test_pipe_name( void )
{
    WCHAR *name;

    name = api->pipe_name_from_url_path( HOST(L"/service/echo") );
    ok( !wcscmp( name, L"\\\\.\\pipe\\wwsapi/service/echo" ), "got %ls\n", name );
    HeapFree( GetProcessHeap(), 0, name );
    name = api->pipe_name_from_url_path( L"", 0 );
    ok( !wcscmp( name, L"\\\\.\\pipe\\wwsapi/" ), "got %ls\n", name );
    HeapFree( GetProcessHeap(), 0, name );
    name = api->pipe_name_from_url_path( HOST(L"/a\\b") );
    ok( !wcscmp( name, L"\\\\.\\pipe\\wwsapi/a/b" ), "got %ls\n", name );
    HeapFree( GetProcessHeap(), 0, name );
}

static void test_pipes( void )
{
    struct ws_conn_listener *listener, *listener2 = NULL;
    struct ws_conn *client, *server, *client2, *server2;
    WCHAR path[64], *name;
    ULONG received;
    char buf[16];
    HRESULT hr;

    swprintf( path, ARRAYSIZE(path), L"/transport-test/%lu", GetCurrentProcessId() );
    name = api->pipe_name_from_url_path( path, wcslen( path ) );

    client = new_conn();
    hr = api->conn_connect_pipe( client, NULL, 500, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = api->listener_create_pipe( NULL, &listener, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Nobody serves it yet. */
    hr = api->conn_connect_pipe( client, name, 500, NULL );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND, "got %#lx\n", hr );

    hr = api->listener_create_pipe( name, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return;
    hr = api->listener_create_pipe( name, &listener2, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "second server got %#lx\n", hr );
    ok( api->listener_port( listener ) == 0, "pipe has a port\n" );

    /* Two clients, accepted in turn. */
    hr = api->conn_connect_pipe( client, name, 2000, NULL );
    ok( hr == S_OK, "connect got %#lx\n", hr );
    server = new_conn();
    hr = api->listener_accept( listener, server, 2000, NULL );
    ok( hr == S_OK, "accept got %#lx\n", hr );
    client2 = new_conn();
    hr = api->conn_connect_pipe( client2, name, 2000, NULL );
    ok( hr == S_OK, "second connect got %#lx\n", hr );
    server2 = new_conn();
    hr = api->listener_accept( listener, server2, 2000, NULL );
    ok( hr == S_OK, "second accept got %#lx\n", hr );

    check_transfer( client, server, "over the pipe" );
    check_transfer( server, client, "and back" );
    check_transfer( client2, server2, "second client" );

    /* Receive timeout and abort. */
    hr = api->conn_receive( server, buf, sizeof(buf), &received, 100, NULL );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    check_transfer( server, client, "still usable" );
    {
        struct blocked_op op = { BLOCKED_RECEIVE, server2, NULL, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_conn, server2 );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }

    /* The writer's close is the reader's end of stream, after the data. */
    hr = api->conn_send( client, "last", 4, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->conn_close( client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->conn_receive( server, buf, sizeof(buf), &received, 1000, NULL );
    ok( hr == S_OK && received == 4 && !memcmp( buf, "last", 4 ), "got %#lx %lu\n", hr, received );
    check_end_of_stream( server );
    hr = api->conn_send( server, "x", 1, 1000, NULL );
    ok( hr == WS_E_ENDPOINT_DISCONNECTED, "send to a closed pipe got %#lx\n", hr );

    /* Accept timeout, abort of a blocked accept. */
    api->conn_free( server );
    server = new_conn();
    hr = api->listener_accept( listener, server, 100, NULL );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    {
        struct blocked_op op = { BLOCKED_ACCEPT, server, listener, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_listener, listener );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }

    api->conn_free( client );
    api->conn_free( client2 );
    api->conn_free( server );
    api->conn_free( server2 );
    api->listener_free( listener );

    /* The name is free again. */
    hr = api->listener_create_pipe( name, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK) api->listener_free( listener );
    HeapFree( GetProcessHeap(), 0, name );
}

/* ---- UDP ---- */

static void test_udp( void )
{
    struct ws_conn *receiver = new_conn(), *sender = new_conn(), *other;
    struct ws_sockaddr from;
    ULONG received;
    char buf[64], small[4];
    USHORT port;
    HRESULT hr;

    hr = api->conn_open_udp( receiver, NULL, 0, 0, WS_IP_VERSION_AUTO, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    port = api->conn_local_port( receiver );
    ok( port != 0, "no port\n" );
    hr = api->conn_open_udp( sender, HOST(L"127.0.0.1"), port, WS_IP_VERSION_AUTO, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Datagrams keep their boundaries; the reply goes to the sender's address. */
    hr = api->conn_send( sender, "ping", 4, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->conn_send( sender, "second", 6, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->conn_receive_from( receiver, buf, sizeof(buf), &received, &from, 1000, NULL );
    ok( hr == S_OK && received == 4 && !memcmp( buf, "ping", 4 ), "got %#lx %lu\n", hr, received );
    ok( from.len > 0, "no sender address\n" );
    hr = api->conn_receive( receiver, buf, sizeof(buf), &received, 1000, NULL );
    ok( hr == S_OK && received == 6 && !memcmp( buf, "second", 6 ), "got %#lx %lu\n", hr, received );
    hr = api->conn_send_to( receiver, "pong", 4, &from, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->conn_receive( sender, buf, sizeof(buf), &received, 1000, NULL );
    ok( hr == S_OK && received == 4 && !memcmp( buf, "pong", 4 ), "got %#lx %lu\n", hr, received );

    /* A datagram larger than the buffer. */
    hr = api->conn_send( sender, "too large", 9, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->conn_receive( receiver, small, sizeof(small), &received, 1000, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );

    /* Timeout, abort. */
    hr = api->conn_receive( receiver, buf, sizeof(buf), &received, 100, NULL );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    {
        struct blocked_op op = { BLOCKED_RECEIVE_FROM, receiver, NULL, INFINITE, S_OK, 0 };
        hr = abort_blocked( &op, abort_conn, receiver );
        ok( hr == WS_E_OPERATION_ABORTED, "got %#lx\n", hr );
    }

    /* Port in use; send_to on a stream connection. */
    other = new_conn();
    hr = api->conn_open_udp( other, NULL, 0, port, WS_IP_VERSION_AUTO, 0, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    hr = api->conn_open_udp( other, NULL, 0, 0, 9, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    api->conn_free( other );

    /* IPv6 loopback. */
    other = new_conn();
    hr = api->conn_open_udp( other, HOST(L"[::1]"), port, WS_IP_VERSION_6, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    api->conn_free( other );

    api->conn_free( receiver );
    api->conn_free( sender );
}

START_TEST(transport)
{
    if (!(api = get_private_api()))
    {
        skip( "private interface not available (not our DLL)\n" );
        return;
    }
    test_tcp_exchange( HOST(L"localhost"), WS_IP_VERSION_AUTO, HOST(L"localhost"), WS_IP_VERSION_AUTO );
    test_tcp_exchange( HOST(L"127.0.0.1"), WS_IP_VERSION_4, HOST(L"127.0.0.1"), WS_IP_VERSION_4 );
    test_tcp_exchange( HOST(L"[::1]"), WS_IP_VERSION_6, HOST(L"::1"), WS_IP_VERSION_6 );
    test_tcp_exchange( HOST(L"+"), WS_IP_VERSION_AUTO, HOST(L"127.0.0.1"), WS_IP_VERSION_AUTO );
    test_tcp_exchange( HOST(L"*"), WS_IP_VERSION_AUTO, HOST(L"[::1]"), WS_IP_VERSION_AUTO );
    test_tcp_exchange( HOST(L"+"), WS_IP_VERSION_4, HOST(L"localhost"), WS_IP_VERSION_4 );
    test_tcp_errors();
    test_tcp_connect_abort();
    test_tcp_resolve();
    test_pipe_name();
    test_pipes();
    test_udp();
}
