/*
 * Byte-stream and datagram transports (TCP, named pipes, UDP) with timeouts
 * and abort from any thread, under the channel and listener objects
 *
 * Every blocking step waits on the operation's own event together with the
 * object's abort event(s), so an abort from another thread ends it at once:
 * reads and writes are overlapped I/O (cancelled with CancelIoEx and waited
 * for, so nothing stays pending on freed memory), connects and accepts use
 * non-blocking sockets with WSAEventSelect, and name resolution runs on the
 * thread pool so that a slow resolver cannot outlive the timeout.
 */

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>
#include <iphlpapi.h>
#include "webservices_private.h"

enum conn_kind { CONN_NONE, CONN_TCP, CONN_PIPE, CONN_UDP };

struct ws_conn
{
    enum conn_kind kind;
    SOCKET sock;
    HANDLE pipe;
    HANDLE abort_event;        /* manual reset; set once by ws_conn_abort */
};

struct ws_conn_listener
{
    enum conn_kind kind;       /* CONN_TCP or CONN_PIPE */
    SOCKET sock;
    WSAEVENT accept_event;     /* FD_ACCEPT of SOCK */
    WCHAR *pipe_name;
    HANDLE next_pipe;          /* instance waiting for the next client (keeps the name taken) */
    SRWLOCK lock;              /* guards NEXT_PIPE */
    HANDLE abort_event;
};

/* Longest single wait of the loops that poll (pipe client connect, accept). */
#define POLL_SLICE 50

/* ---- errors -------------------------------------------------------------- */

/* The WS_E_ code documented for a Winsock / Win32 error. */
static HRESULT map_win32_error( DWORD err )
{
    switch (err)
    {
    case WSAECONNREFUSED:
    case ERROR_CONNECTION_REFUSED:
    case WSAHOST_NOT_FOUND:
    case WSANO_DATA:
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_PATHNAME:
    case ERROR_INVALID_NAME:
        return WS_E_ENDPOINT_NOT_FOUND;
    case WSAENETUNREACH:
    case WSAEHOSTUNREACH:
    case WSAENETDOWN:
    case WSAEHOSTDOWN:
    case ERROR_NETWORK_UNREACHABLE:
    case ERROR_HOST_UNREACHABLE:
        return WS_E_ENDPOINT_UNREACHABLE;
    case WSAECONNRESET:
    case WSAECONNABORTED:
    case WSAENETRESET:
    case WSAESHUTDOWN:
    case WSAENOTCONN:
    case ERROR_NETNAME_DELETED:
    case ERROR_CONNECTION_ABORTED:
    case ERROR_BROKEN_PIPE:
    case ERROR_PIPE_NOT_CONNECTED:
    case ERROR_NO_DATA:
        return WS_E_ENDPOINT_DISCONNECTED;
    case WSAEADDRINUSE:
    case ERROR_ADDRESS_ALREADY_ASSOCIATED:
        return WS_E_ADDRESS_IN_USE;
    case WSAEADDRNOTAVAIL:
        return WS_E_ADDRESS_NOT_AVAILABLE;
    case ERROR_ACCESS_DENIED:
    case WSAEACCES:
        return WS_E_ENDPOINT_ACCESS_DENIED;
    case WSAETIMEDOUT:
    case ERROR_SEM_TIMEOUT:
        return WS_E_OPERATION_TIMED_OUT;
    case ERROR_OPERATION_ABORTED:
        return WS_E_OPERATION_ABORTED;
    case WSAEMSGSIZE:
    case ERROR_MORE_DATA:
        return WS_E_QUOTA_EXCEEDED;
    case WSAENOBUFS:
    case WSA_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return E_OUTOFMEMORY;
    default:
        return HRESULT_FROM_WIN32( err );
    }
}

/* Reports ERR (WHAT failed) with HR, keeping ERR as the original code. */
static HRESULT io_error_hr( WS_ERROR *error, HRESULT hr, DWORD err, const char *what )
{
    ws_error_set_original_code( error, HRESULT_FROM_WIN32( err ) );
    return ws_error_set( error, hr, "%s failed with error %lu", what, err );
}

static HRESULT io_error( WS_ERROR *error, DWORD err, const char *what )
{
    return io_error_hr( error, map_win32_error( err ), err, what );
}

static HRESULT aborted_error( WS_ERROR *error, const char *what )
{
    return ws_error_set( error, WS_E_OPERATION_ABORTED, "%s aborted", what );
}

static HRESULT timeout_error( WS_ERROR *error, const char *what )
{
    return ws_error_set( error, WS_E_OPERATION_TIMED_OUT, "%s timed out", what );
}

static BOOL is_set( HANDLE event )
{
    return WaitForSingleObject( event, 0 ) == WAIT_OBJECT_0;
}

/* ---- time ---------------------------------------------------------------- */

ULONGLONG ws_deadline_after( ULONG timeout )
{
    return timeout == INFINITE ? WS_NO_DEADLINE : GetTickCount64() + timeout;
}

ULONG ws_time_left( ULONGLONG deadline )
{
    ULONGLONG now;
    if (deadline == WS_NO_DEADLINE) return INFINITE;
    now = GetTickCount64();
    if (now >= deadline) return 0;
    return deadline - now >= INFINITE ? INFINITE - 1 : (ULONG)(deadline - now);
}

/* ---- start-up ------------------------------------------------------------ */

static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_status;

static BOOL CALLBACK wsa_startup( INIT_ONCE *once, void *param, void **context )
{
    WSADATA data;
    (void)once; (void)param; (void)context;
    wsa_status = WSAStartup( MAKEWORD(2, 2), &data );
    return TRUE;
}

HRESULT ws_transport_startup( WS_ERROR *error )
{
    InitOnceExecuteOnce( &wsa_once, wsa_startup, NULL, NULL );
    if (wsa_status) return io_error( error, wsa_status, "WSAStartup" );
    return S_OK;
}

/* ---- overlapped I/O ------------------------------------------------------ */

/* Waits for the overlapped operation OV on FILE, or one of the ABORTS
 * events, or TIMEOUT.  On abort or timeout the operation is cancelled and
 * waited for.  Returns S_OK when it completed (*ERR tells how: 0 or the
 * error), WS_E_OPERATION_ABORTED or WS_E_OPERATION_TIMED_OUT otherwise. */
static HRESULT wait_io( HANDLE file, BOOL is_socket, OVERLAPPED *ov, const HANDLE *aborts, DWORD abort_count,
                        ULONG timeout, DWORD *bytes, DWORD *err )
{
    HANDLE handles[1 + 1 + WS_CONN_MAX_EXTRA_ABORTS];
    HRESULT hr = S_OK;
    DWORD ret, i, flags;
    BOOL ok;

    handles[0] = ov->hEvent;
    for (i = 0; i < abort_count; i++) handles[i + 1] = aborts[i];
    ret = WaitForMultipleObjects( abort_count + 1, handles, FALSE, timeout );
    if (ret != WAIT_OBJECT_0)
    {
        hr = ret == WAIT_TIMEOUT ? WS_E_OPERATION_TIMED_OUT : WS_E_OPERATION_ABORTED;
        CancelIoEx( file, ov );
    }
    if (is_socket)
    {
        ok = WSAGetOverlappedResult( (SOCKET)file, ov, bytes, TRUE, &flags );
        *err = ok ? 0 : (DWORD)WSAGetLastError();
    }
    else
    {
        ok = GetOverlappedResult( file, ov, bytes, TRUE );
        *err = ok ? 0 : GetLastError();
    }
    /* Completed before the cancellation took effect: keep the result. */
    if (hr != S_OK && ok) hr = S_OK;
    return hr;
}

enum io_dir { IO_RECEIVE, IO_SEND };

/* One read or write of up to SIZE bytes; ADDR: datagram peer (may be NULL).
 * EXTRA (COUNT <= WS_CONN_MAX_EXTRA_ABORTS events) end the wait like the
 * connection's own abort event: a datagram socket shared by a listener and
 * its channels is interrupted by their aborts without being aborted itself. */
static HRESULT conn_io_ex( struct ws_conn *conn, enum io_dir dir, void *buf, ULONG size, struct ws_sockaddr *addr,
                           ULONG timeout, const HANDLE *extra, ULONG count, ULONG *done, WS_ERROR *error )
{
    const char *what = dir == IO_RECEIVE ? "receive" : "send";
    OVERLAPPED ov = { 0 };
    DWORD bytes = 0, err = 0, flags = 0;
    BOOL is_socket = conn->kind != CONN_PIPE;
    HANDLE aborts[1 + WS_CONN_MAX_EXTRA_ABORTS];
    HANDLE file;
    HRESULT hr;
    ULONG i;

    *done = 0;
    if (conn->kind == CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection is not open" );
    if (count > WS_CONN_MAX_EXTRA_ABORTS) return ws_error_set( error, E_INVALIDARG, "too many abort events" );
    aborts[0] = conn->abort_event;
    for (i = 0; i < count; i++) aborts[i + 1] = extra[i];
    for (i = 0; i <= count; i++) if (is_set( aborts[i] )) return aborted_error( error, what );
    if (!(ov.hEvent = CreateEventW( NULL, TRUE, FALSE, NULL ))) return io_error( error, GetLastError(), "CreateEvent" );

    if (is_socket)
    {
        WSABUF wsabuf = { size, buf };
        int ret;

        file = (HANDLE)conn->sock;
        if (dir == IO_RECEIVE)
        {
            if (addr) addr->len = sizeof(addr->u);
            ret = WSARecvFrom( conn->sock, &wsabuf, 1, NULL, &flags, addr ? (SOCKADDR *)addr->u.bytes : NULL,
                               addr ? &addr->len : NULL, &ov, NULL );
        }
        else ret = WSASendTo( conn->sock, &wsabuf, 1, NULL, 0, addr ? (const SOCKADDR *)addr->u.bytes : NULL,
                              addr ? addr->len : 0, &ov, NULL );
        if (ret == SOCKET_ERROR && (err = WSAGetLastError()) == WSA_IO_PENDING) err = 0;
    }
    else
    {
        BOOL ok;
        file = conn->pipe;
        if (dir == IO_RECEIVE) ok = ReadFile( file, buf, size, NULL, &ov );
        else ok = WriteFile( file, buf, size, NULL, &ov );
        if (!ok && (err = GetLastError()) == ERROR_IO_PENDING) err = 0;
    }

    hr = err ? S_OK : wait_io( file, is_socket, &ov, aborts, count + 1, timeout, &bytes, &err );
    CloseHandle( ov.hEvent );

    if (hr == WS_E_OPERATION_ABORTED) return aborted_error( error, what );
    if (hr == WS_E_OPERATION_TIMED_OUT) return timeout_error( error, what );
    if (hr != S_OK) return ws_error_set( error, hr, "%s failed", what );
    if (err)
    {
        /* The writer closing its end of a pipe is the pipe's end of stream. */
        if (dir == IO_RECEIVE && conn->kind == CONN_PIPE && (err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED))
            return S_OK;
        return io_error( error, err, what );
    }
    *done = bytes;
    return S_OK;
}

static HRESULT conn_io( struct ws_conn *conn, enum io_dir dir, void *buf, ULONG size, struct ws_sockaddr *addr,
                        ULONG timeout, ULONG *done, WS_ERROR *error )
{
    return conn_io_ex( conn, dir, buf, size, addr, timeout, NULL, 0, done, error );
}

/* ---- connections --------------------------------------------------------- */

/* Manual reset: once set by an abort, every later wait sees it. */
static HRESULT create_abort_event( HANDLE *event, WS_ERROR *error )
{
    if (!(*event = CreateEventW( NULL, TRUE, FALSE, NULL ))) return io_error( error, GetLastError(), "CreateEvent" );
    return S_OK;
}

HRESULT ws_conn_create( struct ws_conn **ret, WS_ERROR *error )
{
    struct ws_conn *conn;
    HRESULT hr;

    if ((hr = ws_transport_startup( error )) != S_OK) return hr;
    if (!(conn = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*conn) )))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot allocate a connection" );
    conn->sock = INVALID_SOCKET;
    if ((hr = create_abort_event( &conn->abort_event, error )) != S_OK)
    {
        HeapFree( GetProcessHeap(), 0, conn );
        return hr;
    }
    *ret = conn;
    return S_OK;
}

void ws_conn_abort( struct ws_conn *conn )
{
    TRACE( "%p\n", conn );
    if (conn) SetEvent( conn->abort_event );
}

static void conn_close_handles( struct ws_conn *conn )
{
    if (conn->sock != INVALID_SOCKET) closesocket( conn->sock );
    if (conn->pipe) CloseHandle( conn->pipe );
    conn->sock = INVALID_SOCKET;
    conn->pipe = NULL;
    conn->kind = CONN_NONE;
}

void ws_conn_free( struct ws_conn *conn )
{
    if (!conn) return;
    conn_close_handles( conn );
    CloseHandle( conn->abort_event );
    HeapFree( GetProcessHeap(), 0, conn );
}

HRESULT ws_conn_close( struct ws_conn *conn, WS_ERROR *error )
{
    TRACE( "%p\n", conn );
    if (conn->kind == CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection is not open" );
    /* FIN after everything sent, so the peer reads all data then end of stream. */
    if (conn->kind == CONN_TCP) shutdown( conn->sock, SD_SEND );
    conn_close_handles( conn );
    return S_OK;
}

HRESULT ws_conn_send( struct ws_conn *conn, const void *data, ULONG size, ULONG timeout, WS_ERROR *error )
{
    ULONGLONG deadline = ws_deadline_after( timeout );
    const BYTE *ptr = data;
    ULONG sent;
    HRESULT hr;

    if (conn->kind == CONN_UDP) return ws_conn_send_to( conn, data, size, NULL, timeout, error );
    while (size)
    {
        if ((hr = conn_io( conn, IO_SEND, (void *)ptr, size, NULL, ws_time_left( deadline ), &sent, error )) != S_OK)
            return hr;
        if (!sent) return ws_error_set( error, WS_E_ENDPOINT_DISCONNECTED, "nothing could be sent" );
        ptr += sent;
        size -= sent;
    }
    return S_OK;
}

HRESULT ws_conn_receive( struct ws_conn *conn, void *buf, ULONG size, ULONG *received, ULONG timeout,
                         WS_ERROR *error )
{
    if (!size) return ws_error_set( error, E_INVALIDARG, "receive buffer is empty" );
    return conn_io( conn, IO_RECEIVE, buf, size, NULL, timeout, received, error );
}

HRESULT ws_conn_send_to_ex( struct ws_conn *conn, const void *data, ULONG size, const struct ws_sockaddr *to,
                            ULONG timeout, const HANDLE *aborts, ULONG count, WS_ERROR *error )
{
    ULONG sent;
    HRESULT hr;

    if (conn->kind != CONN_UDP) return ws_error_set( error, WS_E_INVALID_OPERATION, "not a datagram connection" );
    hr = conn_io_ex( conn, IO_SEND, (void *)data, size, (struct ws_sockaddr *)to, timeout, aborts, count, &sent, error );
    if (hr == S_OK && sent != size)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "datagram of %lu bytes sent as %lu", size, sent );
    return hr;
}

HRESULT ws_conn_receive_from_ex( struct ws_conn *conn, void *buf, ULONG size, ULONG *received,
                                 struct ws_sockaddr *from, ULONG timeout, const HANDLE *aborts, ULONG count,
                                 WS_ERROR *error )
{
    if (conn->kind != CONN_UDP) return ws_error_set( error, WS_E_INVALID_OPERATION, "not a datagram connection" );
    return conn_io_ex( conn, IO_RECEIVE, buf, size, from, timeout, aborts, count, received, error );
}

HRESULT ws_conn_send_to( struct ws_conn *conn, const void *data, ULONG size, const struct ws_sockaddr *to,
                         ULONG timeout, WS_ERROR *error )
{
    return ws_conn_send_to_ex( conn, data, size, to, timeout, NULL, 0, error );
}

HRESULT ws_conn_receive_from( struct ws_conn *conn, void *buf, ULONG size, ULONG *received,
                              struct ws_sockaddr *from, ULONG timeout, WS_ERROR *error )
{
    return ws_conn_receive_from_ex( conn, buf, size, received, from, timeout, NULL, 0, error );
}

static USHORT socket_port( SOCKET sock )
{
    SOCKADDR_STORAGE addr;
    int len = sizeof(addr);

    if (sock == INVALID_SOCKET || getsockname( sock, (SOCKADDR *)&addr, &len )) return 0;
    if (addr.ss_family == AF_INET) return ntohs( ((SOCKADDR_IN *)&addr)->sin_port );
    if (addr.ss_family == AF_INET6) return ntohs( ((SOCKADDR_IN6 *)&addr)->sin6_port );
    return 0;
}

USHORT ws_conn_local_port( const struct ws_conn *conn )
{
    return socket_port( conn->sock );
}

/* ---- name resolution ----------------------------------------------------- */

/* Shared by the caller and the pool thread; the last one out frees it. */
struct resolve_job
{
    LONG refs;
    HANDLE done;
    WCHAR *host;
    WCHAR service[8];
    ADDRINFOW hints;
    ADDRINFOW *result;
    int status;
};

static void resolve_job_release( struct resolve_job *job )
{
    if (InterlockedDecrement( &job->refs )) return;
    if (job->result) FreeAddrInfoW( job->result );
    CloseHandle( job->done );
    HeapFree( GetProcessHeap(), 0, job->host );
    HeapFree( GetProcessHeap(), 0, job );
}

static void CALLBACK resolve_worker( PTP_CALLBACK_INSTANCE instance, void *context )
{
    struct resolve_job *job = context;

    if (instance) CallbackMayRunLong( instance );
    job->status = GetAddrInfoW( job->host, job->service, &job->hints, &job->result );
    SetEvent( job->done );
    resolve_job_release( job );
}

static void port_to_string( USHORT port, WCHAR str[8] )
{
    WCHAR digits[6];
    int count = 0, i;

    do digits[count++] = '0' + port % 10; while (port /= 10);
    for (i = 0; i < count; i++) str[i] = digits[count - 1 - i];
    str[count] = 0;
}

static int family_of( WS_IP_VERSION version )
{
    return version == WS_IP_VERSION_4 ? AF_INET : version == WS_IP_VERSION_6 ? AF_INET6 : AF_UNSPEC;
}

static BOOL ip_version_valid( WS_IP_VERSION version )
{
    return version == WS_IP_VERSION_4 || version == WS_IP_VERSION_6 || version == WS_IP_VERSION_AUTO;
}

/* Resolves HOST:PORT for SOCKTYPE within TIMEOUT, ending early when ABORT is
 * set.  Address literals (IPv6 in brackets or not) are converted on the
 * calling thread; names are resolved on the thread pool. */
static HRESULT resolve( const WCHAR *host, ULONG host_len, USHORT port, WS_IP_VERSION version, int socktype,
                        HANDLE abort, ULONG timeout, ADDRINFOW **ret, WS_ERROR *error )
{
    struct resolve_job *job;
    HANDLE handles[2];
    HRESULT hr;
    DWORD wait;

    if (!ip_version_valid( version )) return ws_error_set( error, E_INVALIDARG, "invalid IP version %d", version );
    if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']')
    {
        host++;
        host_len -= 2;
    }
    if (!host_len || host_len > 1024) return ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "invalid host name length %lu", host_len );

    if (!(job = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*job) )) ||
        !(job->host = HeapAlloc( GetProcessHeap(), 0, (host_len + 1) * sizeof(WCHAR) )) ||
        !(job->done = CreateEventW( NULL, TRUE, FALSE, NULL )))
    {
        if (job) HeapFree( GetProcessHeap(), 0, job->host );
        HeapFree( GetProcessHeap(), 0, job );
        return ws_error_set( error, E_OUTOFMEMORY, "cannot start name resolution" );
    }
    memcpy( job->host, host, host_len * sizeof(WCHAR) );
    job->host[host_len] = 0;
    port_to_string( port, job->service );
    job->hints.ai_family = family_of( version );
    job->hints.ai_socktype = socktype;
    job->hints.ai_flags = AI_NUMERICHOST;
    job->refs = 1;

    if (!GetAddrInfoW( job->host, job->service, &job->hints, &job->result ))
    {
        *ret = job->result;
        job->result = NULL;
        resolve_job_release( job );
        return S_OK;
    }

    job->hints.ai_flags = 0;
    job->refs = 2;   /* this thread and the worker */
    if (!TrySubmitThreadpoolCallback( resolve_worker, job, NULL ))
        resolve_worker( NULL, job );   /* cannot bound it: resolve here */
    handles[0] = job->done;
    handles[1] = abort;
    wait = WaitForMultipleObjects( 2, handles, FALSE, timeout );
    if (wait == WAIT_OBJECT_0)
    {
        if (job->status)
            hr = io_error( error, job->status, "resolving host name" );
        else
        {
            *ret = job->result;
            job->result = NULL;
            hr = S_OK;
        }
    }
    else if (wait == WAIT_TIMEOUT) hr = timeout_error( error, "host name resolution" );
    else hr = aborted_error( error, "host name resolution" );
    resolve_job_release( job );
    return hr;
}

/* ---- TCP client ---------------------------------------------------------- */

static void socket_set_blocking( SOCKET sock )
{
    u_long nonblocking = 0;
    WSAEventSelect( sock, NULL, 0 );
    ioctlsocket( sock, FIONBIO, &nonblocking );
}

static void socket_set_nodelay( SOCKET sock )
{
    /* Framed request/reply traffic: do not hold small records back. */
    int one = 1;
    setsockopt( sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one) );
}

/* Connects a new socket to AI, waiting at most TIMEOUT or until ABORT is set.
 * Returns S_OK (socket in *RET) or the failure with the error in *ERR. */
static HRESULT connect_one( const ADDRINFOW *ai, HANDLE abort, ULONG timeout, SOCKET *ret, DWORD *err )
{
    SOCKET sock;
    WSAEVENT event;
    HRESULT hr = S_OK;

    *err = 0;
    if ((sock = WSASocketW( ai->ai_family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED )) == INVALID_SOCKET)
    {
        *err = WSAGetLastError();
        return E_FAIL;
    }
    if ((event = WSACreateEvent()) == WSA_INVALID_EVENT)
    {
        *err = WSAGetLastError();
        closesocket( sock );
        return E_FAIL;
    }
    WSAEventSelect( sock, event, FD_CONNECT );
    if (connect( sock, ai->ai_addr, (int)ai->ai_addrlen ) == SOCKET_ERROR)
    {
        DWORD wait, error = WSAGetLastError();
        HANDLE handles[2] = { event, abort };

        if (error != WSAEWOULDBLOCK) *err = error;
        else if ((wait = WaitForMultipleObjects( 2, handles, FALSE, timeout )) == WAIT_OBJECT_0)
        {
            WSANETWORKEVENTS events;
            if (WSAEnumNetworkEvents( sock, event, &events )) *err = WSAGetLastError();
            else if (events.lNetworkEvents & FD_CONNECT) *err = events.iErrorCode[FD_CONNECT_BIT];
        }
        else hr = wait == WAIT_TIMEOUT ? WS_E_OPERATION_TIMED_OUT : WS_E_OPERATION_ABORTED;
    }
    socket_set_blocking( sock );
    WSACloseEvent( event );
    if (hr == S_OK && *err) hr = E_FAIL;
    if (hr != S_OK)
    {
        closesocket( sock );
        return hr;
    }
    socket_set_nodelay( sock );
    *ret = sock;
    return S_OK;
}

HRESULT ws_conn_connect_tcp( struct ws_conn *conn, const WCHAR *host, ULONG host_len, USHORT port,
                             WS_IP_VERSION ip_version, ULONG resolve_timeout, ULONG connect_timeout,
                             WS_ERROR *error )
{
    ULONGLONG deadline;
    ADDRINFOW *addrs, *ai;
    SOCKET sock = INVALID_SOCKET;
    DWORD err = WSAEHOSTUNREACH;
    HRESULT hr;

    TRACE( "%p %s %u %d %lu %lu\n", conn, debugstr_wn( host, host_len ), port, ip_version, resolve_timeout,
           connect_timeout );
    if (conn->kind != CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection already open" );
    if (is_set( conn->abort_event )) return aborted_error( error, "connect" );
    if ((hr = resolve( host, host_len, port, ip_version, SOCK_STREAM, conn->abort_event, resolve_timeout,
                       &addrs, error )) != S_OK)
        return hr;

    deadline = ws_deadline_after( connect_timeout );
    for (ai = addrs; ai; ai = ai->ai_next)
    {
        hr = connect_one( ai, conn->abort_event, ws_time_left( deadline ), &sock, &err );
        if (hr == S_OK || hr == WS_E_OPERATION_ABORTED || hr == WS_E_OPERATION_TIMED_OUT) break;
    }
    FreeAddrInfoW( addrs );

    if (hr == WS_E_OPERATION_ABORTED) return aborted_error( error, "connect" );
    if (hr == WS_E_OPERATION_TIMED_OUT) return timeout_error( error, "connect" );
    if (hr != S_OK) return io_error( error, err, "connect" );
    conn->sock = sock;
    conn->kind = CONN_TCP;
    return S_OK;
}

/* ---- named pipes --------------------------------------------------------- */

WCHAR *ws_pipe_name_from_url_path( const WCHAR *path, ULONG path_len )
{
    static const WCHAR prefix[] = L"\\\\.\\pipe\\wwsapi";
    ULONG prefix_len = ARRAYSIZE(prefix) - 1, i;
    WCHAR *name;

    if (!(name = HeapAlloc( GetProcessHeap(), 0, (prefix_len + path_len + 2) * sizeof(WCHAR) ))) return NULL;
    memcpy( name, prefix, prefix_len * sizeof(WCHAR) );
    if (!path_len || path[0] != '/') name[prefix_len++] = '/';
    /* A backslash may not appear in a pipe name (past \pipe\): keep the URL's slashes only. */
    for (i = 0; i < path_len; i++) name[prefix_len + i] = path[i] == '\\' ? '/' : path[i];
    name[prefix_len + path_len] = 0;
    return name;
}

HRESULT ws_conn_connect_pipe( struct ws_conn *conn, const WCHAR *name, ULONG timeout, WS_ERROR *error )
{
    ULONGLONG deadline = ws_deadline_after( timeout );
    HANDLE pipe;
    DWORD err;
    ULONG left;

    TRACE( "%p %s %lu\n", conn, debugstr_w( name ), timeout );
    if (conn->kind != CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection already open" );
    if (!name) return ws_error_set( error, E_INVALIDARG, "pipe name is NULL" );

    for (;;)
    {
        if (is_set( conn->abort_event )) return aborted_error( error, "pipe connect" );
        pipe = CreateFileW( name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                            FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL );
        if (pipe != INVALID_HANDLE_VALUE) break;
        if ((err = GetLastError()) != ERROR_PIPE_BUSY) return io_error( error, err, "opening the pipe" );
        /* Every instance is busy: wait for one, in slices so that abort is seen. */
        if (!(left = ws_time_left( deadline ))) return timeout_error( error, "pipe connect" );
        WaitNamedPipeW( name, min( left, POLL_SLICE ) );
    }
    conn->pipe = pipe;
    conn->kind = CONN_PIPE;
    return S_OK;
}

/* ---- UDP ----------------------------------------------------------------- */

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

/* A socket bound to PORT on every local address: IPv6 accepting IPv4 too
 * where the stack allows (AUTO), falling back to IPv4 only. */
static HRESULT bind_any( int type, USHORT port, WS_IP_VERSION version, SOCKET *ret, DWORD *err )
{
    SOCKET sock = INVALID_SOCKET;
    int protocol = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP, one = 1;

    if (version != WS_IP_VERSION_4)
    {
        sock = WSASocketW( AF_INET6, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED );
        if (sock != INVALID_SOCKET)
        {
            SOCKADDR_IN6 addr = { 0 };
            DWORD v6only = version == WS_IP_VERSION_6;

            setsockopt( sock, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&v6only, sizeof(v6only) );
            setsockopt( sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof(one) );
            addr.sin6_family = AF_INET6;
            addr.sin6_port = htons( port );
            if (!bind( sock, (SOCKADDR *)&addr, sizeof(addr) ))
            {
                *ret = sock;
                return S_OK;
            }
            *err = WSAGetLastError();
            closesocket( sock );
            if (*err == WSAEADDRINUSE || *err == WSAEACCES || version == WS_IP_VERSION_6) return E_FAIL;
        }
        else if (version == WS_IP_VERSION_6)
        {
            *err = WSAGetLastError();
            return E_FAIL;
        }
    }
    if ((sock = WSASocketW( AF_INET, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED )) != INVALID_SOCKET)
    {
        SOCKADDR_IN addr = { 0 };

        setsockopt( sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof(one) );
        addr.sin_family = AF_INET;
        addr.sin_port = htons( port );
        if (!bind( sock, (SOCKADDR *)&addr, sizeof(addr) ))
        {
            *ret = sock;
            return S_OK;
        }
        closesocket( sock );
    }
    *err = WSAGetLastError();
    return E_FAIL;
}

/* Binding errors: an address taken (Windows says WSAEACCES for an exclusive one) is "in use". */
static HRESULT bind_error( WS_ERROR *error, DWORD err )
{
    if (err == WSAEACCES) return io_error_hr( error, WS_E_ADDRESS_IN_USE, err, "bind" );
    return io_error( error, err, "bind" );
}

static void udp_ignore_connreset( SOCKET sock )
{
    /* An ICMP port-unreachable must not fail the next receive of a receiver. */
    BOOL off = FALSE;
    DWORD bytes;
    WSAIoctl( sock, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &bytes, NULL, NULL );
}

HRESULT ws_conn_open_udp( struct ws_conn *conn, const WCHAR *host, ULONG host_len, USHORT port,
                          WS_IP_VERSION ip_version, ULONG resolve_timeout, WS_ERROR *error )
{
    ADDRINFOW *addrs;
    SOCKET sock;
    DWORD err = 0;
    HRESULT hr;

    TRACE( "%p %s %u %d %lu\n", conn, host ? debugstr_wn( host, host_len ) : "(null)", port, ip_version,
           resolve_timeout );
    if (conn->kind != CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection already open" );
    if (!ip_version_valid( ip_version )) return ws_error_set( error, E_INVALIDARG, "invalid IP version %d", ip_version );

    if (!host)
    {
        if (bind_any( SOCK_DGRAM, port, ip_version, &sock, &err ) != S_OK) return bind_error( error, err );
        udp_ignore_connreset( sock );
    }
    else
    {
        if ((hr = resolve( host, host_len, port, ip_version, SOCK_DGRAM, conn->abort_event, resolve_timeout,
                           &addrs, error )) != S_OK)
            return hr;
        sock = WSASocketW( addrs->ai_family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED );
        if (sock == INVALID_SOCKET || connect( sock, addrs->ai_addr, (int)addrs->ai_addrlen ))
        {
            err = WSAGetLastError();
            if (sock != INVALID_SOCKET) closesocket( sock );
            FreeAddrInfoW( addrs );
            return io_error( error, err, "UDP connect" );
        }
        FreeAddrInfoW( addrs );
    }
    conn->sock = sock;
    conn->kind = CONN_UDP;
    return S_OK;
}

/* A peer received on a dual-stack IPv6 socket from an IPv4 sender is a
 * v4-mapped address (::ffff:a.b.c.d); callers see it as the IPv4 address. */
static void sockaddr_unmap( struct ws_sockaddr *addr )
{
    const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)addr->u.bytes;
    static const BYTE prefix[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };
    SOCKADDR_IN in4 = { 0 };

    if (in6->sin6_family != AF_INET6 || memcmp( &in6->sin6_addr, prefix, sizeof(prefix) )) return;
    in4.sin_family = AF_INET;
    in4.sin_port = in6->sin6_port;
    memcpy( &in4.sin_addr, (const BYTE *)&in6->sin6_addr + 12, 4 );
    memset( addr->u.bytes, 0, sizeof(addr->u.bytes) );
    memcpy( addr->u.bytes, &in4, sizeof(in4) );
    addr->len = sizeof(in4);
}

/* The reverse, for sending to an IPv4 peer from a dual-stack IPv6 socket. */
static void sockaddr_map_for( SOCKET sock, const struct ws_sockaddr *addr, struct ws_sockaddr *out )
{
    const SOCKADDR_IN *in4 = (const SOCKADDR_IN *)addr->u.bytes;
    SOCKADDR_STORAGE local;
    SOCKADDR_IN6 in6 = { 0 };
    int len = sizeof(local);

    *out = *addr;
    if (in4->sin_family != AF_INET || getsockname( sock, (SOCKADDR *)&local, &len ) || local.ss_family != AF_INET6)
        return;
    in6.sin6_family = AF_INET6;
    in6.sin6_port = in4->sin_port;
    ((BYTE *)&in6.sin6_addr)[10] = ((BYTE *)&in6.sin6_addr)[11] = 0xff;
    memcpy( (BYTE *)&in6.sin6_addr + 12, &in4->sin_addr, 4 );
    memset( out->u.bytes, 0, sizeof(out->u.bytes) );
    memcpy( out->u.bytes, &in6, sizeof(in6) );
    out->len = sizeof(in6);
}

HRESULT ws_conn_udp_receive( struct ws_conn *conn, void *buf, ULONG size, ULONG *received, struct ws_sockaddr *from,
                             ULONG timeout, const HANDLE *aborts, ULONG count, WS_ERROR *error )
{
    HRESULT hr = ws_conn_receive_from_ex( conn, buf, size, received, from, timeout, aborts, count, error );
    if (hr == S_OK) sockaddr_unmap( from );
    return hr;
}

HRESULT ws_conn_udp_send( struct ws_conn *conn, const void *data, ULONG size, const struct ws_sockaddr *to,
                          ULONG timeout, const HANDLE *aborts, ULONG count, WS_ERROR *error )
{
    struct ws_sockaddr peer;

    if (conn->kind != CONN_UDP) return ws_error_set( error, WS_E_INVALID_OPERATION, "not a datagram connection" );
    sockaddr_map_for( conn->sock, to, &peer );
    return ws_conn_send_to_ex( conn, data, size, &peer, timeout, aborts, count, error );
}

BOOL ws_sockaddr_is_multicast( const struct ws_sockaddr *addr )
{
    const SOCKADDR_IN *in4 = (const SOCKADDR_IN *)addr->u.bytes;
    const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)addr->u.bytes;

    if (in4->sin_family == AF_INET) return (((const BYTE *)&in4->sin_addr)[0] & 0xf0) == 0xe0;   /* 224.0.0.0/4 */
    if (in6->sin6_family == AF_INET6) return ((const BYTE *)&in6->sin6_addr)[0] == 0xff;        /* ff00::/8 */
    return FALSE;
}

ULONG ws_sockaddr_format( const struct ws_sockaddr *addr, WCHAR *buf, ULONG count )
{
    DWORD len = count;

    if (WSAAddressToStringW( (SOCKADDR *)addr->u.bytes, addr->len, NULL, buf, &len )) return 0;
    return len ? len - 1 : 0;   /* without the terminating null */
}

/* IPv4 multicast options name an interface by address.  Windows also takes
 * an index as an address in 0.0.0.0/8, Wine 8 does not: the index is turned
 * into the interface's first IPv4 address (GetAdaptersAddresses, loaded on
 * demand so that the DLL does not import iphlpapi), or that form if unknown. */
static IN_ADDR interface_ipv4( ULONG index )
{
    typedef ULONG (WINAPI *get_adapters_func)( ULONG, ULONG, void *, IP_ADAPTER_ADDRESSES *, ULONG * );
    HMODULE module;
    get_adapters_func get_adapters;
    IP_ADAPTER_ADDRESSES *addrs, *a;
    IN_ADDR ret;
    ULONG size = 0;
    BOOL found = FALSE;

    ret.s_addr = htonl( index );
    if (!index || !(module = LoadLibraryW( L"iphlpapi.dll" ))) return ret;
    get_adapters = (get_adapters_func)(void *)GetProcAddress( module, "GetAdaptersAddresses" );
    if (get_adapters && get_adapters( AF_INET, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                                      NULL, NULL, &size ) == ERROR_BUFFER_OVERFLOW &&
        (addrs = HeapAlloc( GetProcessHeap(), 0, size )))
    {
        if (!get_adapters( AF_INET, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                           NULL, addrs, &size ))
        {
            for (a = addrs; a && !found; a = a->Next)
            {
                if (a->IfIndex != index || !a->FirstUnicastAddress) continue;
                ret = ((SOCKADDR_IN *)a->FirstUnicastAddress->Address.lpSockaddr)->sin_addr;
                found = TRUE;
            }
        }
        HeapFree( GetProcessHeap(), 0, addrs );
    }
    FreeLibrary( module );
    return ret;
}

/* Sends to a multicast group go through interface INDEX (0: the system's choice). */
static DWORD set_multicast_interface( SOCKET sock, int family, ULONG index )
{
    int ret;

    if (family == AF_INET6)
        ret = setsockopt( sock, IPPROTO_IPV6, IPV6_MULTICAST_IF, (const char *)&index, sizeof(index) );
    else
    {
        IN_ADDR addr = interface_ipv4( index );
        ret = setsockopt( sock, IPPROTO_IP, IP_MULTICAST_IF, (const char *)&addr, sizeof(addr) );
    }
    return ret ? (DWORD)WSAGetLastError() : 0;
}

static void set_multicast_hops( SOCKET sock, int family, ULONG hops )
{
    DWORD value = hops;
    if (family == AF_INET6) setsockopt( sock, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, (const char *)&value, sizeof(value) );
    else setsockopt( sock, IPPROTO_IP, IP_MULTICAST_TTL, (const char *)&value, sizeof(value) );
}

/* A socket of ADDR's family bound to PORT on the family's any-address. */
static HRESULT udp_socket_for( const ADDRINFOW *addr, USHORT port, BOOL reuse, SOCKET *ret, WS_ERROR *error )
{
    SOCKADDR_STORAGE local = { 0 };
    SOCKET sock;
    int one = 1, len;
    DWORD err;

    if ((sock = WSASocketW( addr->ai_family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED )) == INVALID_SOCKET)
        return io_error( error, WSAGetLastError(), "UDP socket" );
    if (reuse) setsockopt( sock, SOL_SOCKET, SO_REUSEADDR, (const char *)&one, sizeof(one) );
    local.ss_family = addr->ai_family;
    if (addr->ai_family == AF_INET6)
    {
        ((SOCKADDR_IN6 *)&local)->sin6_port = htons( port );
        len = sizeof(SOCKADDR_IN6);
    }
    else
    {
        ((SOCKADDR_IN *)&local)->sin_port = htons( port );
        len = sizeof(SOCKADDR_IN);
    }
    if (bind( sock, (SOCKADDR *)&local, len ))
    {
        err = WSAGetLastError();
        closesocket( sock );
        return bind_error( error, err );
    }
    udp_ignore_connreset( sock );
    *ret = sock;
    return S_OK;
}

static void sockaddr_from_addrinfo( const ADDRINFOW *ai, struct ws_sockaddr *out )
{
    memset( out, 0, sizeof(*out) );
    out->len = (int)min( ai->ai_addrlen, sizeof(out->u.bytes) );
    memcpy( out->u.bytes, ai->ai_addr, out->len );
}

HRESULT ws_conn_open_udp_client( struct ws_conn *conn, const WCHAR *host, ULONG host_len, USHORT port,
                                 WS_IP_VERSION ip_version, ULONG resolve_timeout, ULONG hops,
                                 struct ws_sockaddr *peer, WS_ERROR *error )
{
    ADDRINFOW *addrs;
    SOCKET sock;
    HRESULT hr;

    TRACE( "%p %s %u %d %lu %lu\n", conn, debugstr_wn( host, host_len ), port, ip_version, resolve_timeout, hops );
    if (conn->kind != CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection already open" );
    if ((hr = resolve( host, host_len, port, ip_version, SOCK_DGRAM, conn->abort_event, resolve_timeout,
                       &addrs, error )) != S_OK)
        return hr;
    /* Not connected: replies may come from any address (multicast responders). */
    if ((hr = udp_socket_for( addrs, 0, FALSE, &sock, error )) == S_OK)
    {
        sockaddr_from_addrinfo( addrs, peer );
        set_multicast_hops( sock, addrs->ai_family, hops );
        conn->sock = sock;
        conn->kind = CONN_UDP;
    }
    FreeAddrInfoW( addrs );
    return hr;
}

HRESULT ws_conn_udp_set_multicast_interface( struct ws_conn *conn, ULONG index, WS_ERROR *error )
{
    SOCKADDR_STORAGE local;
    int len = sizeof(local);
    DWORD err;

    if (conn->kind != CONN_UDP) return ws_error_set( error, WS_E_INVALID_OPERATION, "not a datagram connection" );
    if (getsockname( conn->sock, (SOCKADDR *)&local, &len )) return io_error( error, WSAGetLastError(), "getsockname" );
    if ((err = set_multicast_interface( conn->sock, local.ss_family, index )))
        return io_error_hr( error, E_INVALIDARG, err, "selecting the multicast interface" );
    return S_OK;
}

HRESULT ws_conn_open_udp_multicast( struct ws_conn *conn, const WCHAR *group, ULONG group_len, USHORT port,
                                    WS_IP_VERSION ip_version, BOOL loopback, struct ws_sockaddr *group_addr,
                                    WS_ERROR *error )
{
    ADDRINFOW *addrs;
    SOCKET sock;
    DWORD loop = loopback;
    HRESULT hr;

    TRACE( "%p %s %u %d %d\n", conn, debugstr_wn( group, group_len ), port, ip_version, loopback );
    if (conn->kind != CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection already open" );
    if ((hr = resolve( group, group_len, port, ip_version, SOCK_DGRAM, conn->abort_event, INFINITE, &addrs, error )) != S_OK)
        return hr;
    /* WS_LISTENER_PROPERTY_IS_MULTICAST: "it sets the reuse of the socket such
     * that another process can also open the same port". */
    if ((hr = udp_socket_for( addrs, port, TRUE, &sock, error )) == S_OK)
    {
        sockaddr_from_addrinfo( addrs, group_addr );
        if (addrs->ai_family == AF_INET6)
            setsockopt( sock, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, (const char *)&loop, sizeof(loop) );
        else
            setsockopt( sock, IPPROTO_IP, IP_MULTICAST_LOOP, (const char *)&loop, sizeof(loop) );
        conn->sock = sock;
        conn->kind = CONN_UDP;
    }
    FreeAddrInfoW( addrs );
    return hr;
}

HRESULT ws_conn_udp_join( struct ws_conn *conn, const struct ws_sockaddr *group, ULONG index, WS_ERROR *error )
{
    const SOCKADDR_IN *in4 = (const SOCKADDR_IN *)group->u.bytes;
    const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)group->u.bytes;
    int ret;

    TRACE( "%p %lu\n", conn, index );
    if (conn->kind != CONN_UDP) return ws_error_set( error, WS_E_INVALID_OPERATION, "not a datagram connection" );
    if (in6->sin6_family == AF_INET6)
    {
        IPV6_MREQ mreq;
        mreq.ipv6mr_multiaddr = in6->sin6_addr;
        mreq.ipv6mr_interface = index;
        ret = setsockopt( conn->sock, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, (const char *)&mreq, sizeof(mreq) );
    }
    else
    {
        IP_MREQ mreq;
        mreq.imr_multiaddr = in4->sin_addr;
        mreq.imr_interface = interface_ipv4( index );
        ret = setsockopt( conn->sock, IPPROTO_IP, IP_ADD_MEMBERSHIP, (const char *)&mreq, sizeof(mreq) );
    }
    if (ret) return io_error( error, WSAGetLastError(), "joining the multicast group" );
    return S_OK;
}

/* ---- listeners ----------------------------------------------------------- */

static HRESULT listener_alloc( enum conn_kind kind, struct ws_conn_listener **ret, WS_ERROR *error )
{
    struct ws_conn_listener *listener;
    HRESULT hr;

    if ((hr = ws_transport_startup( error )) != S_OK) return hr;
    if (!(listener = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*listener) )))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot allocate a listener" );
    listener->kind = kind;
    listener->sock = INVALID_SOCKET;
    listener->accept_event = WSA_INVALID_EVENT;
    InitializeSRWLock( &listener->lock );
    if ((hr = create_abort_event( &listener->abort_event, error )) != S_OK)
    {
        HeapFree( GetProcessHeap(), 0, listener );
        return hr;
    }
    *ret = listener;
    return S_OK;
}

void ws_conn_listener_free( struct ws_conn_listener *listener )
{
    if (!listener) return;
    if (listener->sock != INVALID_SOCKET) closesocket( listener->sock );
    if (listener->accept_event != WSA_INVALID_EVENT) WSACloseEvent( listener->accept_event );
    if (listener->next_pipe) CloseHandle( listener->next_pipe );
    HeapFree( GetProcessHeap(), 0, listener->pipe_name );
    CloseHandle( listener->abort_event );
    HeapFree( GetProcessHeap(), 0, listener );
}

void ws_conn_listener_abort( struct ws_conn_listener *listener )
{
    TRACE( "%p\n", listener );
    if (listener) SetEvent( listener->abort_event );
}

USHORT ws_conn_listener_port( const struct ws_conn_listener *listener )
{
    return socket_port( listener->sock );
}

static BOOL host_is( const WCHAR *host, ULONG host_len, const WCHAR *name )
{
    return host_len == wcslen( name ) && !_wcsnicmp( host, name, host_len );
}

/* A socket bound to the first address HOST resolves to. */
static HRESULT bind_host( const WCHAR *host, ULONG host_len, USHORT port, WS_IP_VERSION version, HANDLE abort,
                          SOCKET *ret, WS_ERROR *error )
{
    ADDRINFOW *addrs;
    SOCKET sock;
    HRESULT hr;
    DWORD err;
    int one = 1;

    hr = resolve( host, host_len, port, version, SOCK_STREAM, abort, INFINITE, &addrs, error );
    if (hr != S_OK) return hr == WS_E_ENDPOINT_NOT_FOUND ? ws_error_set( error, WS_E_ADDRESS_NOT_AVAILABLE,
                                                                          "unknown listening address" ) : hr;
    if ((sock = WSASocketW( addrs->ai_family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED )) == INVALID_SOCKET)
    {
        err = WSAGetLastError();
        FreeAddrInfoW( addrs );
        return io_error( error, err, "socket" );
    }
    setsockopt( sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof(one) );
    if (bind( sock, addrs->ai_addr, (int)addrs->ai_addrlen ))
    {
        err = WSAGetLastError();
        closesocket( sock );
        FreeAddrInfoW( addrs );
        return bind_error( error, err );
    }
    FreeAddrInfoW( addrs );
    *ret = sock;
    return S_OK;
}

HRESULT ws_conn_listener_create_tcp( const WCHAR *host, ULONG host_len, USHORT port, WS_IP_VERSION ip_version,
                                     struct ws_conn_listener **ret, WS_ERROR *error )
{
    struct ws_conn_listener *listener;
    SOCKET sock = INVALID_SOCKET;
    DWORD err = 0;
    HRESULT hr;

    TRACE( "%s %u %d\n", debugstr_wn( host, host_len ), port, ip_version );
    if (!ip_version_valid( ip_version )) return ws_error_set( error, E_INVALIDARG, "invalid IP version %d", ip_version );
    if ((hr = listener_alloc( CONN_TCP, &listener, error )) != S_OK) return hr;

    if (host_is( host, host_len, L"+" ) || host_is( host, host_len, L"*" ))
        hr = bind_any( SOCK_STREAM, port, ip_version, &sock, &err ) == S_OK ? S_OK : bind_error( error, err );
    else
        hr = bind_host( host, host_len, port, ip_version, listener->abort_event, &sock, error );

    if (hr == S_OK)
    {
        listener->sock = sock;
        if (listen( sock, SOMAXCONN ) ||
            (listener->accept_event = WSACreateEvent()) == WSA_INVALID_EVENT ||
            WSAEventSelect( sock, listener->accept_event, FD_ACCEPT ))
        {
            err = WSAGetLastError();
            hr = io_error( error, err, "listen" );
        }
    }
    if (hr != S_OK)
    {
        ws_conn_listener_free( listener );
        return hr;
    }
    *ret = listener;
    return S_OK;
}

static HANDLE create_pipe_instance( const WCHAR *name, BOOL first )
{
    return CreateNamedPipeW( name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                             PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                             PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL );
}

HRESULT ws_conn_listener_create_pipe( const WCHAR *name, struct ws_conn_listener **ret, WS_ERROR *error )
{
    struct ws_conn_listener *listener;
    size_t len;
    DWORD err;
    HRESULT hr;

    TRACE( "%s\n", debugstr_w( name ) );
    if (!name) return ws_error_set( error, E_INVALIDARG, "pipe name is NULL" );
    if ((hr = listener_alloc( CONN_PIPE, &listener, error )) != S_OK) return hr;

    len = (wcslen( name ) + 1) * sizeof(WCHAR);
    if (!(listener->pipe_name = HeapAlloc( GetProcessHeap(), 0, len )))
    {
        ws_conn_listener_free( listener );
        return ws_error_set( error, E_OUTOFMEMORY, "cannot copy the pipe name" );
    }
    memcpy( listener->pipe_name, name, len );
    /* FILE_FLAG_FIRST_PIPE_INSTANCE refuses an existing name on Windows but
     * not on every Wine version: ask first whether the pipe exists. */
    if (WaitNamedPipeW( name, 1 ) || GetLastError() != ERROR_FILE_NOT_FOUND)
    {
        ws_conn_listener_free( listener );
        return ws_error_set( error, WS_E_ADDRESS_IN_USE, "the pipe %s exists already", debugstr_w( name ) );
    }
    if ((listener->next_pipe = create_pipe_instance( name, TRUE )) == INVALID_HANDLE_VALUE)
    {
        listener->next_pipe = NULL;
        err = GetLastError();
        /* The first instance exists already: another server owns the name. */
        if (err == ERROR_ACCESS_DENIED || err == ERROR_PIPE_BUSY)
            hr = io_error_hr( error, WS_E_ADDRESS_IN_USE, err, "creating the pipe" );
        else
            hr = io_error_hr( error, err == ERROR_INVALID_NAME || err == ERROR_BAD_PATHNAME ?
                              WS_E_ADDRESS_NOT_AVAILABLE : map_win32_error( err ), err, "creating the pipe" );
        ws_conn_listener_free( listener );
        return hr;
    }
    *ret = listener;
    return S_OK;
}

/* Accepts on the listening socket: polls accept() between FD_ACCEPT events.
 * The event is reset before each accept() call, which re-enables FD_ACCEPT,
 * so a connection arriving after a failed accept() sets it again. */
static HRESULT accept_tcp( struct ws_conn_listener *listener, struct ws_conn *conn, ULONG timeout, WS_ERROR *error )
{
    ULONGLONG deadline = ws_deadline_after( timeout );
    HANDLE handles[3] = { listener->accept_event, listener->abort_event, conn->abort_event };
    SOCKET sock;
    DWORD err;
    ULONG left;

    for (;;)
    {
        if (is_set( listener->abort_event ) || is_set( conn->abort_event )) return aborted_error( error, "accept" );
        WSAResetEvent( listener->accept_event );
        if ((sock = accept( listener->sock, NULL, NULL )) != INVALID_SOCKET) break;
        err = WSAGetLastError();
        if (err != WSAEWOULDBLOCK && err != WSAECONNRESET) return io_error( error, err, "accept" );
        if (!(left = ws_time_left( deadline ))) return timeout_error( error, "accept" );
        WaitForMultipleObjects( 3, handles, FALSE, min( left, 10 * POLL_SLICE ) );
    }
    /* The accepted socket inherits the listener's event selection. */
    socket_set_blocking( sock );
    socket_set_nodelay( sock );
    conn->sock = sock;
    conn->kind = CONN_TCP;
    return S_OK;
}

/* Keeps INSTANCE as the listener's waiting instance, or closes it if there is one. */
static void put_next_pipe( struct ws_conn_listener *listener, HANDLE instance )
{
    AcquireSRWLockExclusive( &listener->lock );
    if (!listener->next_pipe)
    {
        listener->next_pipe = instance;
        instance = NULL;
    }
    ReleaseSRWLockExclusive( &listener->lock );
    if (instance) CloseHandle( instance );
}

static HRESULT accept_pipe( struct ws_conn_listener *listener, struct ws_conn *conn, ULONG timeout, WS_ERROR *error )
{
    HANDLE aborts[2] = { listener->abort_event, conn->abort_event };
    OVERLAPPED ov = { 0 };
    HANDLE instance, next;
    DWORD err = 0, bytes;
    HRESULT hr = S_OK;

    if (is_set( listener->abort_event ) || is_set( conn->abort_event )) return aborted_error( error, "accept" );

    AcquireSRWLockExclusive( &listener->lock );
    instance = listener->next_pipe;
    listener->next_pipe = NULL;
    ReleaseSRWLockExclusive( &listener->lock );
    if (!instance && (instance = create_pipe_instance( listener->pipe_name, FALSE )) == INVALID_HANDLE_VALUE)
        return io_error( error, GetLastError(), "creating a pipe instance" );

    if (!(ov.hEvent = CreateEventW( NULL, TRUE, FALSE, NULL )))
    {
        err = GetLastError();
        put_next_pipe( listener, instance );
        return io_error( error, err, "CreateEvent" );
    }
    if (!ConnectNamedPipe( instance, &ov ))
    {
        err = GetLastError();
        if (err == ERROR_PIPE_CONNECTED) err = 0;   /* the client came before the call */
        else if (err == ERROR_IO_PENDING) hr = wait_io( instance, FALSE, &ov, aborts, 2, timeout, &bytes, &err );
    }
    CloseHandle( ov.hEvent );

    if (hr != S_OK || err)
    {
        /* A cancelled instance may hold a half-connected client: never reuse it. */
        CloseHandle( instance );
        if (!is_set( listener->abort_event ) &&
            (next = create_pipe_instance( listener->pipe_name, FALSE )) != INVALID_HANDLE_VALUE)
            put_next_pipe( listener, next );
        if (hr == WS_E_OPERATION_ABORTED) return aborted_error( error, "accept" );
        if (hr == WS_E_OPERATION_TIMED_OUT) return timeout_error( error, "accept" );
        return io_error( error, err, "ConnectNamedPipe" );
    }
    conn->pipe = instance;
    conn->kind = CONN_PIPE;
    /* Keep the name alive (and clients connecting) until the next accept. */
    if ((next = create_pipe_instance( listener->pipe_name, FALSE )) != INVALID_HANDLE_VALUE)
        put_next_pipe( listener, next );
    return S_OK;
}

HRESULT ws_conn_listener_accept( struct ws_conn_listener *listener, struct ws_conn *conn, ULONG timeout,
                                 WS_ERROR *error )
{
    TRACE( "%p %p %lu\n", listener, conn, timeout );
    if (conn->kind != CONN_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "connection already open" );
    if (listener->kind == CONN_TCP) return accept_tcp( listener, conn, timeout, error );
    return accept_pipe( listener, conn, timeout, error );
}

/* ---- test access --------------------------------------------------------- */

const struct ws_private_api ws_private_api __attribute__((section(".wsprv"), used)) =
{
    WS_PRIVATE_API_MAGIC,
    sizeof(struct ws_private_api),
    ws_async_run,
    ws_conn_create,
    ws_conn_abort,
    ws_conn_free,
    ws_conn_close,
    ws_conn_connect_tcp,
    ws_conn_connect_pipe,
    ws_conn_open_udp,
    ws_conn_send,
    ws_conn_receive,
    ws_conn_send_to,
    ws_conn_receive_from,
    ws_conn_local_port,
    ws_conn_listener_create_tcp,
    ws_conn_listener_create_pipe,
    ws_conn_listener_accept,
    ws_conn_listener_port,
    ws_conn_listener_abort,
    ws_conn_listener_free,
    ws_pipe_name_from_url_path,
    ws_nmf_encode_size,
    ws_nmf_encode_record,
    ws_nmf_encode_chunk,
    ws_nmf_decode_record,
    ws_nmf_decode_chunk,
    ws_nmf_fault_to_hresult,
    ws_nmf_session_create,
    ws_nmf_session_free,
    ws_nmf_send_preamble,
    ws_nmf_receive_preamble,
    ws_nmf_send_ack,
    ws_nmf_send_fault,
    ws_nmf_send_envelope,
    ws_nmf_receive_envelope,
    ws_nmf_send_end,
    ws_buf_free,
    ws_http_find_header,
    ws_http_client_create,
    ws_http_client_send,
    ws_http_client_abort,
    ws_http_client_free,
    ws_http_response_free,
    ws_http_server_create,
    ws_http_server_port,
    ws_http_server_accept,
    ws_http_server_abort,
    ws_http_server_free,
    ws_http_request_get_info,
    ws_http_request_url,
    ws_http_request_respond,
    ws_http_request_free,
    ws_object_live_count,
};
