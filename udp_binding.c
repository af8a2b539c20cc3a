/*
 * WS_UDP_CHANNEL_BINDING: SOAP over UDP channels and listeners
 *
 * One SOAP envelope per datagram, UTF-8 text (WS_CHANNEL_PROPERTY_ENCODING:
 * "The WS_UDP_CHANNEL_BINDING always uses the value WS_ENCODING_XML_UTF8"),
 * WS-Addressing headers as for the other bindings.  The decisions (what an
 * accepted channel receives, where a service channel's sends go, malformed
 * datagrams, multicast) and their sources are in docs/transport.md,
 * "UDP binding".
 *
 *   - client (WsCreateChannel, WS_CHANNEL_TYPE_DUPLEX): WsOpenChannel
 *     resolves soap.udp://host:port/path and opens an unconnected socket on
 *     an ephemeral port; every message is one datagram to that address, and
 *     reads return the datagrams that arrive on the socket (replies, from
 *     any sender: multicast requests are answered by unicast).
 *   - listener: WsOpenListener binds the port (IS_MULTICAST: with address
 *     reuse, joining the group on the MULTICAST_INTERFACES); WsAcceptChannel
 *     waits for the next datagram ("Accepts the next incoming message") and
 *     hands it to the channel, which reads that one message (then WS_S_END)
 *     and sends back to its sender from the listener's socket.
 */

#include <stdlib.h>
#include <string.h>
#include "webservices_private.h"

/* The datagram buffer: WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE,
 * "The WS_UDP_CHANNEL_BINDING always uses the value 65536". */
#define UDP_BUFFER_SIZE 65536
/* The largest UDP payload over IPv4 (65535 - 8 - 20), SOAP-over-UDP 1.1. */
#define UDP_MAX_DATAGRAM 65507

static const WCHAR soap_udp_prefix[] = L"soap.udp://";

/* A socket shared by a listener and the channels it accepted: they reply
 * from the listener's port and may outlive the listener. */
struct udp_socket
{
    LONG refs;
    struct ws_conn *conn;
};

static void udp_socket_release( struct udp_socket *sock )
{
    if (!sock || InterlockedDecrement( &sock->refs )) return;
    ws_conn_free( sock->conn );
    free( sock );
}

static HRESULT udp_socket_create( struct udp_socket **ret, WS_ERROR *error )
{
    struct udp_socket *sock;
    HRESULT hr;

    if (!(sock = calloc( 1, sizeof(*sock) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    sock->refs = 1;
    if (FAILED(hr = ws_conn_create( &sock->conn, error )))
    {
        free( sock );
        return hr;
    }
    *ret = sock;
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Channels                                                                */
/* ---------------------------------------------------------------------- */

struct udp_channel
{
    struct udp_socket *sock;          /* client: its own; service: the listener's */
    HANDLE abort_event;               /* WsAbortChannel: ends this channel's I/O only */
    struct ws_sockaddr peer;          /* client: the endpoint; service: the sender */
    struct ws_sockaddr last_from;     /* source of the last datagram read */
    BOOL have_from;                   /* a datagram was read (WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS) */
    BOOL pending;                     /* service: the accepted datagram is not read yet */
    WS_XML_WRITER *writer;
    WS_XML_READER *reader;
    struct ws_buf in;                 /* the datagram being read */
    WCHAR *url;                       /* client: the endpoint URL (To); service: the sender's soap.udp URL */
    ULONG url_len;
};

static struct udp_channel *get_state( struct ws_channel *channel )
{
    return channel->binding_state;
}

static void udp_channel_free( struct udp_channel *state )
{
    if (!state) return;
    udp_socket_release( state->sock );
    if (state->abort_event) CloseHandle( state->abort_event );
    WsFreeWriter( state->writer );
    WsFreeReader( state->reader );
    ws_buf_free( &state->in );
    free( state->url );
    free( state );
}

static HRESULT udp_channel_create( struct ws_channel *channel, struct udp_socket *sock, WS_ERROR *error )
{
    struct udp_channel *state;
    HRESULT hr = S_OK;

    if (!(state = calloc( 1, sizeof(*state) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (!(state->abort_event = CreateEventW( NULL, TRUE, FALSE, NULL )))
        hr = ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot create an event" );
    else if (!ws_buf_reserve( &state->in, UDP_BUFFER_SIZE ))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (SUCCEEDED(hr)) hr = WsCreateWriter( NULL, 0, &state->writer, error );
    if (SUCCEEDED(hr)) hr = WsCreateReader( NULL, 0, &state->reader, error );
    if (SUCCEEDED(hr) && !sock) hr = udp_socket_create( &state->sock, error );
    if (FAILED(hr))
    {
        udp_channel_free( state );
        return hr;
    }
    if (sock)
    {
        InterlockedIncrement( &sock->refs );
        state->sock = sock;
    }
    ws_object_lock( channel );
    channel->binding_state = state;
    /* An abort that came while the state did not exist yet still counts. */
    if (channel->obj.state == WS_CHANNEL_STATE_FAULTED) SetEvent( state->abort_event );
    ws_object_unlock( channel );
    return S_OK;
}

static void udp_channel_destroy( struct ws_channel *channel )
{
    struct udp_channel *state;

    ws_object_lock( channel );
    state = channel->binding_state;
    channel->binding_state = NULL;
    ws_object_unlock( channel );
    udp_channel_free( state );
}

static HRESULT set_url( struct udp_channel *state, const WCHAR *url, ULONG len, WS_ERROR *error )
{
    WCHAR *copy;

    if (!(copy = malloc( (len + 1) * sizeof(WCHAR) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    memcpy( copy, url, len * sizeof(WCHAR) );
    copy[len] = 0;
    free( state->url );
    state->url = copy;
    state->url_len = len;
    return S_OK;
}

/* soap.udp://a.b.c.d:port or soap.udp://[v6]:port for a datagram's sender. */
static HRESULT set_url_from_address( struct udp_channel *state, const struct ws_sockaddr *addr, WS_ERROR *error )
{
    WCHAR buf[ARRAYSIZE(soap_udp_prefix) + 64];
    ULONG prefix = ARRAYSIZE(soap_udp_prefix) - 1, len;

    memcpy( buf, soap_udp_prefix, prefix * sizeof(WCHAR) );
    if (!(len = ws_sockaddr_format( addr, buf + prefix, ARRAYSIZE(buf) - prefix )))
        return ws_error_set( error, E_INVALIDARG, "the sender's address cannot be formatted" );
    return set_url( state, buf, prefix + len, error );
}

/* Decodes a soap.udp URL; its port is required (the scheme has no default).
 * FLAGS: WS_URL_FLAGS_ALLOW_HOST_WILDCARDS for listeners ('+' and '*' hosts). */
static HRESULT decode_url( const WS_STRING *url, ULONG flags, WS_HEAP *heap, WS_SOAPUDP_URL **ret, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = WsDecodeUrl( url, flags, heap, (WS_URL **)ret, error ))) return hr;
    if ((*ret)->url.scheme != WS_URL_SOAPUDP_SCHEME_TYPE)
        return ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "the URL scheme is not soap.udp" );
    if (!(*ret)->portAsString.length || !(*ret)->port || (*ret)->port == 0xffff)
        return ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "a soap.udp URL needs a port" );
    if (!(*ret)->host.length) return ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "a soap.udp URL needs a host" );
    return S_OK;
}

static HRESULT channel_open( struct ws_channel *channel, const WS_ENDPOINT_ADDRESS *address,
                             const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct udp_channel *state;
    WS_SOAPUDP_URL *url;
    WS_HEAP *heap;
    HRESULT hr;

    (void)ctx;
    if (!address->url.length) return ws_error_set( error, E_INVALIDARG, "the endpoint address has no URL" );
    if (FAILED(hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error ))) return hr;
    if (SUCCEEDED(hr = decode_url( &address->url, 0, heap, &url, error )) &&
        SUCCEEDED(hr = udp_channel_create( channel, NULL, error )))
    {
        state = get_state( channel );
        hr = set_url( state, address->url.chars, address->url.length, error );
        if (SUCCEEDED(hr))
            hr = ws_conn_open_udp_client( state->sock->conn, url->host.chars, url->host.length, url->port,
                                          channel->props.ip_version, channel->props.resolve_timeout,
                                          channel->props.multicast_hops, &state->peer, error );
        if (FAILED(hr)) udp_channel_destroy( channel );
    }
    WsFreeHeap( heap );
    return hr;
}

/* No close handshake over UDP: the socket goes (a service channel drops its
 * reference to the listener's). */
static HRESULT channel_close( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)ctx; (void)error;
    udp_channel_destroy( channel );
    return S_OK;
}

static HRESULT channel_abort( struct ws_channel *channel, WS_ERROR *error )
{
    struct udp_channel *state;

    (void)error;
    ws_object_lock( channel );
    if ((state = channel->binding_state))
    {
        SetEvent( state->abort_event );
        /* A client's socket is its own: abort it too (ends a pending resolve). */
        if (!channel->server) ws_conn_abort( state->sock->conn );
    }
    ws_object_unlock( channel );
    return S_OK;
}

static HRESULT channel_reset( struct ws_channel *channel, WS_ERROR *error )
{
    (void)error;
    udp_channel_destroy( channel );
    return S_OK;
}

static void channel_free( struct ws_channel *channel )
{
    channel_abort( channel, NULL );
    udp_channel_destroy( channel );
}

static HRESULT write_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                    const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );
    HRESULT hr;

    (void)ctx;
    /* SOAP-over-UDP requires wsa:To: unaddressed messages go to the URL the
     * channel was opened with (client) or the sender's address (service). */
    if (FAILED(hr = ws_channel_address_message( message, state->url, state->url_len, error ))) return hr;
    if (FAILED(hr = ws_channel_set_writer_output( channel, state->writer, NULL, NULL, error ))) return hr;
    return WsWriteEnvelopeStart( message, state->writer, NULL, NULL, error );
}

static HRESULT write_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                  const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );
    WS_BYTES bytes;
    HRESULT hr;

    (void)ctx;
    if (FAILED(hr = WsWriteEnvelopeEnd( message, error ))) return hr;
    if (FAILED(hr = WsGetWriterProperty( state->writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), error )))
        return hr;
    /* One envelope per datagram: a larger one cannot be sent. */
    if (bytes.length > UDP_MAX_DATAGRAM || bytes.length > channel->props.max_buffered_message_size)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the message of %lu bytes does not fit in a datagram (at most %u bytes)",
                             bytes.length, UDP_MAX_DATAGRAM );
    if (!channel->server && ws_sockaddr_is_multicast( &state->peer ) &&
        FAILED(hr = ws_conn_udp_set_multicast_interface( state->sock->conn, channel->props.multicast_interface, error )))
        return hr;
    return ws_conn_udp_send( state->sock->conn, bytes.bytes, bytes.length, &state->peer, channel->props.send_timeout,
                             &state->abort_event, 1, error );
}

/* The next datagram: a client's from its socket, a service channel's is the
 * one WsAcceptChannel received (then there are no more: WS_S_END). */
static HRESULT receive_datagram( struct ws_channel *channel, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );
    struct ws_sockaddr from;
    ULONG len;
    HRESULT hr;

    if (channel->server)
    {
        if (!state->pending) return WS_S_END;
        state->pending = FALSE;
        return S_OK;
    }
    if (FAILED(hr = ws_conn_udp_receive( state->sock->conn, state->in.data, UDP_BUFFER_SIZE, &len, &from,
                                         channel->props.receive_timeout, &state->abort_event, 1, error )))
        return hr;
    state->in.len = len;
    state->last_from = from;
    state->have_from = TRUE;
    return S_OK;
}

static HRESULT read_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                   const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );
    HRESULT hr;

    (void)ctx;
    if ((hr = receive_datagram( channel, error )) != S_OK) return hr;
    /* A datagram that is not an envelope fails this read only
     * (WS_E_INVALID_FORMAT from the reader); the channel stays open. */
    if (FAILED(hr = ws_channel_set_reader_input( channel, state->reader, state->in.data, state->in.len, NULL, error )))
        return hr;
    return WsReadEnvelopeStart( message, state->reader, NULL, NULL, error );
}

static HRESULT read_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                 const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)ctx;
    return WsReadEnvelopeEnd( message, error );
}

static HRESULT abandon_message( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    (void)channel; (void)message; (void)error;
    /* The whole datagram was received: nothing is left to skip. */
    return S_OK;
}

static HRESULT shutdown_session( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)ctx;
    return ws_error_set( error, WS_E_INVALID_OPERATION, "a UDP channel has no session" );
}

static HRESULT get_remote_address( struct ws_channel *channel, void *value, ULONG size, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );
    WS_ENDPOINT_ADDRESS *address = value;

    if (channel->obj.state != WS_CHANNEL_STATE_OPEN || !state)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the remote address is known once the channel is open" );
    if (!value || size != sizeof(WS_ENDPOINT_ADDRESS))
        return ws_error_set( error, E_INVALIDARG, "the remote address property needs a WS_ENDPOINT_ADDRESS (size %lu)", size );
    memset( address, 0, sizeof(*address) );
    address->url.chars = state->url;
    address->url.length = state->url_len;
    return S_OK;
}

static HRESULT get_remote_ip_address( struct ws_channel *channel, void *value, ULONG size, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );

    if (!state || !state->have_from)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the remote IP address is known once a message was read" );
    if (!value || size != sizeof(state->last_from.u.bytes))
        return ws_error_set( error, E_INVALIDARG, "the remote IP address property needs a SOCKADDR_STORAGE (size %lu)", size );
    memcpy( value, state->last_from.u.bytes, size );
    return S_OK;
}

static HRESULT channel_get_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, void *value,
                                     ULONG size, WS_ERROR *error )
{
    switch (id)
    {
    case WS_CHANNEL_PROPERTY_REMOTE_ADDRESS:    return get_remote_address( channel, value, size, error );
    case WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS: return get_remote_ip_address( channel, value, size, error );
    default:                                    return ws_channel_transport_get_property( channel, id, value, size, error );
    }
}

const struct channel_ops ws_udp_channel_ops =
{
    channel_open, channel_close, channel_abort, channel_reset, channel_free,
    write_message_start, write_message_end, read_message_start, read_message_end,
    abandon_message, shutdown_session, channel_get_property, ws_channel_transport_set_property,
};

/* ---------------------------------------------------------------------- */
/* Listeners                                                               */
/* ---------------------------------------------------------------------- */

struct udp_listener
{
    struct udp_socket *sock;
    HANDLE abort_event;               /* WsAbortListener / close: ends pending accepts */
    BOOL multicast;
    struct ws_sockaddr group;
};

static void udp_listener_free( struct udp_listener *state )
{
    if (!state) return;
    udp_socket_release( state->sock );
    if (state->abort_event) CloseHandle( state->abort_event );
    free( state );
}

/* Joins the group on every interface of WS_LISTENER_PROPERTY_MULTICAST_INTERFACES
 * ("Note that setting this property is not sufficient when listening on a
 * multicast address.  The set of interfaces must also be specified"). */
static HRESULT join_interfaces( struct ws_listener *listener, struct udp_listener *state, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    for (i = 0; i < listener->multicast_interface_count; i++)
    {
        hr = ws_conn_udp_join( state->sock->conn, &state->group, listener->multicast_interfaces[i], error );
        if (FAILED(hr) && hr != WS_E_ADDRESS_IN_USE) return hr;   /* in use: joined already */
    }
    return S_OK;
}

static HRESULT open_socket( struct ws_listener *listener, struct udp_listener *state, const WS_SOAPUDP_URL *url,
                            WS_ERROR *error )
{
    if (!state->multicast)
        return ws_conn_open_udp( state->sock->conn, NULL, 0, url->port, listener->props.ip_version, 0, error );
    return ws_conn_open_udp_multicast( state->sock->conn, url->host.chars, url->host.length, url->port,
                                       listener->props.ip_version, listener->props.multicast_loopback,
                                       &state->group, error );
}

static HRESULT listener_open( struct ws_listener *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx,
                              WS_ERROR *error )
{
    struct udp_listener *state;
    WS_SOAPUDP_URL *decoded;
    WS_HEAP *heap;
    HRESULT hr;

    (void)ctx;
    if (FAILED(hr = ws_transport_startup( error ))) return hr;
    if (!(state = calloc( 1, sizeof(*state) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    state->multicast = listener->props.is_multicast;
    if (!(state->abort_event = CreateEventW( NULL, TRUE, FALSE, NULL )))
        hr = ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot create an event" );
    if (SUCCEEDED(hr)) hr = udp_socket_create( &state->sock, error );
    if (SUCCEEDED(hr)) hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error );
    if (SUCCEEDED(hr))
    {
        if (SUCCEEDED(hr = decode_url( url, WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, heap, &decoded, error )) &&
            SUCCEEDED(hr = open_socket( listener, state, decoded, error )) && state->multicast)
            hr = join_interfaces( listener, state, error );
        WsFreeHeap( heap );
    }
    if (FAILED(hr))
    {
        udp_listener_free( state );
        return hr;
    }
    ws_object_lock( listener );
    listener->binding_state = state;
    ws_object_unlock( listener );
    return S_OK;
}

/* Ends pending accepts, waits for them, and drops the listener's reference
 * to the socket (accepted channels keep theirs). */
static void release_state( struct ws_listener *listener )
{
    struct udp_listener *state;

    ws_object_lock( listener );
    if ((state = listener->binding_state) && listener->accepts) SetEvent( state->abort_event );
    while (listener->accepts)
        SleepConditionVariableSRW( &listener->accepts_done, &listener->obj.lock, INFINITE, 0 );
    listener->binding_state = NULL;
    ws_object_unlock( listener );
    udp_listener_free( state );
}

static HRESULT listener_close( struct ws_listener *listener, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)ctx; (void)error;
    release_state( listener );
    return S_OK;
}

static HRESULT listener_abort( struct ws_listener *listener, WS_ERROR *error )
{
    struct udp_listener *state;

    (void)error;
    ws_object_lock( listener );
    if ((state = listener->binding_state)) SetEvent( state->abort_event );
    ws_object_unlock( listener );
    return S_OK;
}

static HRESULT listener_reset( struct ws_listener *listener, WS_ERROR *error )
{
    (void)error;
    release_state( listener );
    return S_OK;
}

static void listener_free( struct ws_listener *listener )
{
    listener_abort( listener, NULL );
    release_state( listener );
}

/* Waits for the next datagram on the listener's socket for CHANNEL (an
 * abort of the listener or of the channel ends the wait). */
static HRESULT accept_datagram( struct ws_channel *channel, struct udp_listener *listener_state, WS_ERROR *error )
{
    struct udp_channel *state = get_state( channel );
    HANDLE aborts[2] = { listener_state->abort_event, state->abort_event };
    struct ws_sockaddr from;
    ULONG len;
    HRESULT hr;

    if (FAILED(hr = ws_conn_udp_receive( state->sock->conn, state->in.data, UDP_BUFFER_SIZE, &len, &from, INFINITE,
                                         aborts, 2, error )))
        return hr;
    state->in.len = len;
    state->peer = from;
    state->last_from = from;
    state->have_from = TRUE;
    state->pending = TRUE;
    return set_url_from_address( state, &from, error );
}

static HRESULT listener_accept( struct ws_listener *listener, WS_CHANNEL *handle, const WS_ASYNC_CONTEXT *ctx,
                                WS_ERROR *error )
{
    struct ws_channel *channel = (struct ws_channel *)handle;
    struct udp_listener *state;
    HRESULT hr;

    (void)ctx;
    if (channel->ops != &ws_udp_channel_ops || !channel->server)
        return ws_error_set( error, E_INVALIDARG, "the channel was not created for this listener" );
    if (FAILED(hr = ws_channel_change_state( channel, WS_CHANNEL_STATE_CREATED, WS_CHANNEL_STATE_ACCEPTING,
                                             "WsAcceptChannel", error )))
        return hr;
    ws_object_lock( listener );
    if ((state = listener->binding_state)) listener->accepts++;
    ws_object_unlock( listener );

    if (!state) hr = ws_error_set( error, WS_E_OPERATION_ABORTED, "the listener was closed" );
    else
    {
        if (SUCCEEDED(hr = udp_channel_create( channel, state->sock, error )))
        {
            hr = accept_datagram( channel, state, error );
            if (FAILED(hr)) udp_channel_destroy( channel );
        }
        ws_object_lock( listener );
        if (!--listener->accepts) WakeAllConditionVariable( &listener->accepts_done );
        ws_object_unlock( listener );
    }
    ws_channel_finish_state( channel, WS_CHANNEL_STATE_ACCEPTING, SUCCEEDED(hr) ? WS_CHANNEL_STATE_OPEN : WS_CHANNEL_STATE_CREATED );
    return hr;
}

/* WS_LISTENER_PROPERTY_MULTICAST_INTERFACES may be set on an open listener
 * (the MulticastUdpServerExample sets it after WsOpenListener): join them. */
static HRESULT listener_set_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, const void *value,
                                      ULONG size, WS_ERROR *error )
{
    struct udp_listener *state;
    HRESULT hr;

    if (FAILED(hr = ws_listener_transport_set_property( listener, id, value, size, error ))) return hr;
    if (id != WS_LISTENER_PROPERTY_MULTICAST_INTERFACES || listener->obj.state != WS_LISTENER_STATE_OPEN) return hr;
    if (!(state = listener->binding_state) || !state->multicast) return hr;
    return join_interfaces( listener, state, error );
}

const struct listener_ops ws_udp_listener_ops =
{
    listener_open, listener_close, listener_abort, listener_reset, listener_free, listener_accept,
    ws_listener_transport_get_property, listener_set_property,
};
