/*
 * Listeners (WS_LISTENER)
 *
 * Same structure as channel.c: one object for every binding, the listener
 * properties in one table with their documented defaults and bindings, the
 * WS_LISTENER_STATE machine, and the binding's work behind struct
 * listener_ops.  WS_CUSTOM_CHANNEL_BINDING forwards every operation to the
 * application's WS_CUSTOM_LISTENER_CALLBACKS (which validate arguments and
 * state themselves, as documented); the transport bindings keep the state
 * machine here:
 *
 *   CREATED --WsOpenListener--> OPENING --ok--> OPEN --WsCloseListener--> CLOSING --> CLOSED
 *                                        \--failure--> CREATED (a failed open can be retried)
 *   any state --WsAbortListener--> FAULTED (a pending accept ends with WS_E_OPERATION_ABORTED)
 *   CREATED, CLOSED, FAULTED --WsResetListener--> CREATED
 *
 * WsCreateChannelForListener makes service-side channels (channel.c);
 * WsAcceptChannel hands an accepted connection to one of them.
 */

#include <stdlib.h>
#include <string.h>
#include "webservices_private.h"


/* ---------------------------------------------------------------------- */
/* Properties                                                              */
/* ---------------------------------------------------------------------- */


static const ULONG dflt_backlog = SOMAXCONN;    /* "a maximum reasonable value"; no other default is documented */
static const WS_IP_VERSION dflt_ip_auto = WS_IP_VERSION_AUTO;
static const WS_CALLBACK_MODEL dflt_long_callback = WS_LONG_CALLBACK;
static const ULONG dflt_connect_timeout = 15000, dflt_close_timeout = 5000;
static const BOOL dflt_true = TRUE;
static const ULONG dflt_matching = WS_MATCH_URL_THIS_HOST | WS_MATCH_URL_EXACT_PATH | WS_MATCH_URL_PORT | WS_MATCH_URL_NO_QUERY;

static const struct ws_prop_desc listener_prop_desc[] =
{
    WS_PROP( WS_LISTENER_PROPERTY_LISTEN_BACKLOG, struct listener_props, listen_backlog, WS_PROP_CREATE, &dflt_backlog ),
    WS_PROP( WS_LISTENER_PROPERTY_IP_VERSION, struct listener_props, ip_version, WS_PROP_CREATE, &dflt_ip_auto ),
    WS_PROP( WS_LISTENER_PROPERTY_ASYNC_CALLBACK_MODEL, struct listener_props, async_callback_model, WS_PROP_CREATE, &dflt_long_callback ),
    WS_PROP( WS_LISTENER_PROPERTY_CHANNEL_TYPE, struct listener_props, channel_type, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_LISTENER_PROPERTY_CHANNEL_BINDING, struct listener_props, channel_binding, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_LISTENER_PROPERTY_CONNECT_TIMEOUT, struct listener_props, connect_timeout, WS_PROP_CREATE, &dflt_connect_timeout ),
    WS_PROP( WS_LISTENER_PROPERTY_IS_MULTICAST, struct listener_props, is_multicast, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_LISTENER_PROPERTY_MULTICAST_LOOPBACK, struct listener_props, multicast_loopback, WS_PROP_CREATE, &dflt_true ),
    WS_PROP( WS_LISTENER_PROPERTY_CLOSE_TIMEOUT, struct listener_props, close_timeout, WS_PROP_CREATE, &dflt_close_timeout ),
    WS_PROP( WS_LISTENER_PROPERTY_TO_HEADER_MATCHING_OPTIONS, struct listener_props, to_header_matching_options, WS_PROP_CREATE, &dflt_matching ),
    WS_PROP( WS_LISTENER_PROPERTY_TRANSPORT_URL_MATCHING_OPTIONS, struct listener_props, transport_url_matching_options, WS_PROP_CREATE, &dflt_matching ),
    WS_PROP( WS_LISTENER_PROPERTY_CUSTOM_LISTENER_CALLBACKS, struct listener_props, custom_callbacks, WS_PROP_INIT, NULL ),
};

static HRESULT validate_listener_prop( ULONG id, const void *value, WS_ERROR *error )
{
    switch (id)
    {
    case WS_LISTENER_PROPERTY_LISTEN_BACKLOG:
        if (!*(const ULONG *)value) return ws_error_set( error, E_INVALIDARG, "the listen backlog must not be 0" );
        return S_OK;
    case WS_LISTENER_PROPERTY_IP_VERSION:
        if (*(const WS_IP_VERSION *)value < WS_IP_VERSION_4 || *(const WS_IP_VERSION *)value > WS_IP_VERSION_AUTO)
            return ws_error_set( error, E_INVALIDARG, "unknown IP version %d", *(const WS_IP_VERSION *)value );
        return S_OK;
    case WS_LISTENER_PROPERTY_ASYNC_CALLBACK_MODEL:
        if (*(const WS_CALLBACK_MODEL *)value != WS_SHORT_CALLBACK && *(const WS_CALLBACK_MODEL *)value != WS_LONG_CALLBACK)
            return ws_error_set( error, E_INVALIDARG, "unknown callback model %d", *(const WS_CALLBACK_MODEL *)value );
        return S_OK;
    case WS_LISTENER_PROPERTY_TO_HEADER_MATCHING_OPTIONS:
    case WS_LISTENER_PROPERTY_TRANSPORT_URL_MATCHING_OPTIONS:
        if (*(const ULONG *)value & ~(ULONG)(WS_MATCH_URL_THIS_HOST | WS_MATCH_URL_PORT | WS_MATCH_URL_EXACT_PATH |
                                             WS_MATCH_URL_PREFIX_PATH | WS_MATCH_URL_NO_QUERY))
            return ws_error_set( error, E_INVALIDARG, "unknown URL matching options %#lx", *(const ULONG *)value );
        return S_OK;
    default:
        return S_OK;
    }
}

static const struct ws_prop_table listener_prop_table = WS_PROP_TABLE( "listener", listener_prop_desc, validate_listener_prop );

#define B(binding) (1u << (binding))
#define B_TCP    B(WS_TCP_CHANNEL_BINDING)
#define B_HTTP   B(WS_HTTP_CHANNEL_BINDING)
#define B_UDP    B(WS_UDP_CHANNEL_BINDING)
#define B_PIPE   B(WS_NAMEDPIPE_CHANNEL_BINDING)
#define B_CUSTOM B(WS_CUSTOM_CHANNEL_BINDING)

/* The bindings a property may be given for at creation (WS_LISTENER_PROPERTY_ID). */
static ULONG property_bindings( WS_LISTENER_PROPERTY_ID id )
{
    switch (id)
    {
    case WS_LISTENER_PROPERTY_LISTEN_BACKLOG:          return B_TCP;
    case WS_LISTENER_PROPERTY_IP_VERSION:              return B_TCP | B_UDP;
    case WS_LISTENER_PROPERTY_ASYNC_CALLBACK_MODEL:    return B_TCP | B_HTTP | B_UDP | B_PIPE | B_CUSTOM;
    case WS_LISTENER_PROPERTY_CONNECT_TIMEOUT:         return B_TCP | B_PIPE;
    case WS_LISTENER_PROPERTY_IS_MULTICAST:
    case WS_LISTENER_PROPERTY_MULTICAST_INTERFACES:
    case WS_LISTENER_PROPERTY_MULTICAST_LOOPBACK:      return B_UDP;
    case WS_LISTENER_PROPERTY_CLOSE_TIMEOUT:
    case WS_LISTENER_PROPERTY_DISALLOWED_USER_AGENT:   return B_HTTP;
    case WS_LISTENER_PROPERTY_TO_HEADER_MATCHING_OPTIONS: return B_TCP | B_HTTP | B_UDP | B_PIPE;
    case WS_LISTENER_PROPERTY_TRANSPORT_URL_MATCHING_OPTIONS: return B_TCP | B_HTTP;
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_CALLBACKS:
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_PARAMETERS: return B_CUSTOM;
    default:                                           return 0;   /* read-only */
    }
}

/* ---------------------------------------------------------------------- */
/* The object                                                              */
/* ---------------------------------------------------------------------- */


static struct ws_listener *impl_from_WS_LISTENER( WS_LISTENER *listener )
{
    return (struct ws_listener *)listener;
}

static BOOL is_custom( const struct ws_listener *listener )
{
    return listener->props.channel_binding == WS_CUSTOM_CHANNEL_BINDING;
}

/* Properties the table does not hold (arbitrary sizes); S_FALSE for the others. */
static HRESULT apply_special_property( struct ws_listener *listener, const WS_LISTENER_PROPERTY *prop, WS_ERROR *error )
{
    ULONG size;
    HRESULT hr;

    switch (prop->id)
    {
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_PARAMETERS:
        return ws_copy_blob( prop->value, prop->valueSize, &listener->custom_params, &listener->custom_params_size,
                           "custom listener parameters", error );
    case WS_LISTENER_PROPERTY_MULTICAST_INTERFACES:
        if (prop->valueSize % sizeof(ULONG))
            return ws_error_set( error, E_INVALIDARG, "the multicast interfaces size %lu is not a multiple of sizeof(ULONG)", prop->valueSize );
        hr = ws_copy_blob( prop->value, prop->valueSize, (void **)&listener->multicast_interfaces, &size,
                         "multicast interfaces", error );
        if (SUCCEEDED(hr)) listener->multicast_interface_count = size / sizeof(ULONG);
        return hr;
    case WS_LISTENER_PROPERTY_DISALLOWED_USER_AGENT:
        FIXME( "WS_LISTENER_PROPERTY_DISALLOWED_USER_AGENT\n" );
        return ws_error_set( error, E_NOTIMPL, "the disallowed user agent property is not implemented yet" );
    default:
        return S_FALSE;
    }
}

static HRESULT apply_properties( struct ws_listener *listener, const WS_LISTENER_PROPERTY *properties, ULONG count,
                                 WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (count && !properties) return ws_error_set( error, E_INVALIDARG, "properties is NULL with a count of %lu", count );
    for (i = 0; i < count; i++)
    {
        if (!(property_bindings( properties[i].id ) & B(listener->props.channel_binding)))
            return ws_error_set( error, E_INVALIDARG, "listener property %d cannot be given for channel binding %d",
                                 properties[i].id, listener->props.channel_binding );
        if (FAILED(hr = apply_special_property( listener, &properties[i], error ))) return hr;
        if (hr == S_OK) continue;
        if (FAILED(hr = WS_PROPS_APPLY( &listener_prop_table, &listener->props, &properties[i], 1, error ))) return hr;
    }
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* WS_CUSTOM_CHANNEL_BINDING                                               */
/* ---------------------------------------------------------------------- */

static const WS_CUSTOM_LISTENER_CALLBACKS *custom_callbacks( struct ws_listener *listener )
{
    return &listener->props.custom_callbacks;
}

static HRESULT custom_open( struct ws_listener *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( listener )->openListenerCallback( listener->custom_instance, url, ctx, error );
}

static HRESULT custom_close( struct ws_listener *listener, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( listener )->closeListenerCallback( listener->custom_instance, ctx, error );
}

static HRESULT custom_abort( struct ws_listener *listener, WS_ERROR *error )
{
    return custom_callbacks( listener )->abortListenerCallback( listener->custom_instance, error );
}

static HRESULT custom_reset( struct ws_listener *listener, WS_ERROR *error )
{
    return custom_callbacks( listener )->resetListenerCallback( listener->custom_instance, error );
}

static void custom_free( struct ws_listener *listener )
{
    if (listener->custom_instance) custom_callbacks( listener )->freeListenerCallback( listener->custom_instance );
}

static HRESULT custom_accept( struct ws_listener *listener, WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    void *instance = ws_channel_custom_instance( channel );

    if (!instance) return ws_error_set( error, E_INVALIDARG, "the channel was not created for a custom listener" );
    return custom_callbacks( listener )->acceptChannelCallback( listener->custom_instance, instance, ctx, error );
}

/* The runtime answers the instance; the rest is the custom listener's business. */
static HRESULT custom_get_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, void *value,
                                    ULONG size, WS_ERROR *error )
{
    switch (id)
    {
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_INSTANCE:
        if (!value || size != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "the custom listener instance property needs a void * (size %lu)", size );
        *(void **)value = listener->custom_instance;
        return S_OK;
    case WS_LISTENER_PROPERTY_CHANNEL_TYPE:
    case WS_LISTENER_PROPERTY_CHANNEL_BINDING:
        return S_FALSE;
    default:
        return custom_callbacks( listener )->getListenerPropertyCallback( listener->custom_instance, id, value, size, error );
    }
}

static HRESULT custom_set_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, const void *value,
                                    ULONG size, WS_ERROR *error )
{
    return custom_callbacks( listener )->setListenerPropertyCallback( listener->custom_instance, id, value, size, error );
}

static const struct listener_ops custom_listener_ops =
{
    custom_open, custom_close, custom_abort, custom_reset, custom_free, custom_accept,
    custom_get_property, custom_set_property,
};

static HRESULT create_custom_instance( struct ws_listener *listener, WS_CHANNEL_TYPE type, WS_ERROR *error )
{
    const WS_CUSTOM_LISTENER_CALLBACKS *cb = custom_callbacks( listener );
    HRESULT hr;

    if (!cb->createListenerCallback || !cb->freeListenerCallback || !cb->resetListenerCallback ||
        !cb->openListenerCallback || !cb->closeListenerCallback || !cb->abortListenerCallback ||
        !cb->getListenerPropertyCallback || !cb->setListenerPropertyCallback ||
        !cb->createChannelForListenerCallback || !cb->acceptChannelCallback)
        return ws_error_set( error, E_INVALIDARG, "a custom listener needs every WS_CUSTOM_LISTENER_CALLBACKS callback" );
    hr = cb->createListenerCallback( type, listener->custom_params, listener->custom_params_size,
                                     &listener->custom_instance, error );
    if (FAILED(hr)) listener->custom_instance = NULL;
    return hr;
}

/* WsCreateChannelForListener on a custom listener: the listener makes the channel instance. */
static HRESULT create_channel_instance( void *context, const void *params, ULONG size, void **instance, WS_ERROR *error )
{
    struct ws_listener *listener = context;
    return custom_callbacks( listener )->createChannelForListenerCallback( listener->custom_instance, params, size,
                                                                           instance, error );
}

/* ---------------------------------------------------------------------- */
/* Session bindings: net.tcp and net.pipe                                  */
/* ---------------------------------------------------------------------- */

/* Frees the listening socket once no accept uses it any more: pending
 * accepts are aborted (they end with WS_E_OPERATION_ABORTED) and waited for. */
static void release_transport( struct ws_listener *listener )
{
    struct ws_conn_listener *conn;

    ws_object_lock( listener );
    if (listener->conn && listener->accepts) ws_conn_listener_abort( listener->conn );
    while (listener->accepts)
        SleepConditionVariableSRW( &listener->accepts_done, &listener->obj.lock, INFINITE, 0 );
    conn = listener->conn;
    listener->conn = NULL;
    ws_object_unlock( listener );
    if (conn) ws_conn_listener_free( conn );
    free( listener->path );
    listener->path = NULL;
    listener->path_len = 0;
}

static HRESULT session_open( struct ws_listener *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    WS_URL_SCHEME_TYPE scheme = listener->props.channel_binding == WS_TCP_CHANNEL_BINDING ?
                                WS_URL_NETTCP_SCHEME_TYPE : WS_URL_NETPIPE_SCHEME_TYPE;
    struct ws_conn_listener *conn = NULL;
    WS_NETTCP_URL *decoded;
    WCHAR *pipe = NULL;
    WS_HEAP *heap;
    HRESULT hr;

    (void)ctx;
    if (FAILED(hr = ws_transport_startup( error ))) return hr;
    if (FAILED(hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error ))) return hr;
    /* WsOpenListener: the host may be a '+' or '*' wildcard. */
    hr = WsDecodeUrl( url, WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, heap, (WS_URL **)&decoded, error );
    if (SUCCEEDED(hr) && decoded->url.scheme != scheme)
        hr = ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "the URL scheme does not match channel binding %d",
                           listener->props.channel_binding );
    if (SUCCEEDED(hr) && !(listener->path = malloc( (decoded->path.length + 1) * sizeof(WCHAR) )))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (SUCCEEDED(hr))
    {
        memcpy( listener->path, decoded->path.chars, decoded->path.length * sizeof(WCHAR) );
        listener->path_len = decoded->path.length;
        if (scheme == WS_URL_NETTCP_SCHEME_TYPE)
            hr = ws_conn_listener_create_tcp( decoded->host.chars, decoded->host.length, decoded->port,
                                              listener->props.ip_version, &conn, error );
        else if (!(pipe = ws_pipe_name_from_url_path( decoded->path.chars, decoded->path.length )))
            hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        else
            hr = ws_conn_listener_create_pipe( pipe, &conn, error );
    }
    if (pipe) HeapFree( GetProcessHeap(), 0, pipe );
    WsFreeHeap( heap );
    if (FAILED(hr))
    {
        release_transport( listener );
        return hr;
    }
    ws_object_lock( listener );
    listener->conn = conn;
    ws_object_unlock( listener );
    return S_OK;
}

static HRESULT session_close( struct ws_listener *listener, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)ctx; (void)error;
    release_transport( listener );
    return S_OK;
}

/* A channel inside WsAcceptChannel.  Its accept includes the client's
 * handshake ([MC-NMF] preamble, WS_LISTENER_PROPERTY_CONNECT_TIMEOUT), which
 * reads from the accepted connection, not the listening socket: aborting the
 * listener must abort the channel too. */
struct ws_accepting
{
    struct ws_accepting *next;
    WS_CHANNEL *channel;
};

/* Abort ends pending accepts, handshakes included; the socket itself goes at
 * close, reset or free. */
static HRESULT session_abort( struct ws_listener *listener, WS_ERROR *error )
{
    struct ws_accepting *accepting;

    (void)error;
    ws_object_lock( listener );
    if (listener->conn) ws_conn_listener_abort( listener->conn );
    /* WsAbortChannel only takes the channel's lock and signals its connection. */
    for (accepting = listener->accepting; accepting; accepting = accepting->next)
        WsAbortChannel( accepting->channel, NULL );
    ws_object_unlock( listener );
    return S_OK;
}

static HRESULT session_reset( struct ws_listener *listener, WS_ERROR *error )
{
    (void)error;
    release_transport( listener );
    return S_OK;
}

static void session_free( struct ws_listener *listener )
{
    session_abort( listener, NULL );
    release_transport( listener );
}

static HRESULT session_accept( struct ws_listener *listener, WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct ws_accepting accepting = { NULL, channel }, **prev;
    struct ws_conn_listener *conn;
    HRESULT hr;

    (void)ctx;
    ws_object_lock( listener );
    if ((conn = listener->conn))
    {
        listener->accepts++;
        accepting.next = listener->accepting;
        listener->accepting = &accepting;
    }
    ws_object_unlock( listener );
    if (!conn) return ws_error_set( error, WS_E_OPERATION_ABORTED, "the listener was closed" );

    hr = ws_channel_accept_session( channel, conn, listener->path, listener->path_len,
                                    listener->props.connect_timeout, error );

    ws_object_lock( listener );
    for (prev = &listener->accepting; *prev != &accepting; prev = &(*prev)->next) ;
    *prev = accepting.next;
    if (!--listener->accepts) WakeAllConditionVariable( &listener->accepts_done );
    ws_object_unlock( listener );
    return hr;
}

HRESULT ws_listener_transport_get_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, void *value,
                                       ULONG size, WS_ERROR *error )
{
    switch (id)
    {
    case WS_LISTENER_PROPERTY_STATE:
        if (!value || size != sizeof(WS_LISTENER_STATE))
            return ws_error_set( error, E_INVALIDARG, "the state property needs a WS_LISTENER_STATE (size %lu)", size );
        *(WS_LISTENER_STATE *)value = listener->obj.state;
        return S_OK;
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_INSTANCE:
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_CALLBACKS:
    case WS_LISTENER_PROPERTY_CUSTOM_LISTENER_PARAMETERS:
        return ws_error_set( error, E_INVALIDARG, "listener property %d only exists for custom listeners", id );
    default:
        return S_FALSE;
    }
}

HRESULT ws_listener_transport_set_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, const void *value,
                                       ULONG size, WS_ERROR *error )
{
    WS_LISTENER_PROPERTY prop;

    /* The only property WsSetListenerProperty documents. */
    if (id != WS_LISTENER_PROPERTY_MULTICAST_INTERFACES || listener->props.channel_binding != WS_UDP_CHANNEL_BINDING)
        return ws_error_set( error, E_INVALIDARG, "listener property %d cannot be set", id );
    prop.id = id;
    prop.value = (void *)value;
    prop.valueSize = size;
    return apply_special_property( listener, &prop, error );
}

static const struct listener_ops session_listener_ops =
{
    session_open, session_close, session_abort, session_reset, session_free, session_accept,
    ws_listener_transport_get_property, ws_listener_transport_set_property,
};

/* ---------------------------------------------------------------------- */
/* Exports                                                                 */
/* ---------------------------------------------------------------------- */

static HRESULT check_type_and_binding( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding, WS_ERROR *error )
{
    switch (binding)
    {
    case WS_HTTP_CHANNEL_BINDING:
        if (type == WS_CHANNEL_TYPE_REPLY) return S_OK;
        break;
    case WS_TCP_CHANNEL_BINDING:
    case WS_NAMEDPIPE_CHANNEL_BINDING:
        if (type == WS_CHANNEL_TYPE_DUPLEX_SESSION) return S_OK;
        break;
    case WS_UDP_CHANNEL_BINDING:
        if (type == WS_CHANNEL_TYPE_DUPLEX) return S_OK;
        break;
    case WS_CUSTOM_CHANNEL_BINDING:
        if (type == WS_CHANNEL_TYPE_INPUT || type == WS_CHANNEL_TYPE_DUPLEX || type == WS_CHANNEL_TYPE_REPLY ||
            type == WS_CHANNEL_TYPE_INPUT_SESSION || type == WS_CHANNEL_TYPE_DUPLEX_SESSION) return S_OK;
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown channel binding %d", binding );
    }
    return ws_error_set( error, E_INVALIDARG, "channel type %d cannot be listened for with binding %d", type, binding );
}

static void listener_destroy( struct ws_listener *listener )
{
    if (listener->ops) listener->ops->free( listener );
    free( listener->custom_params );
    free( listener->multicast_interfaces );
    ws_object_free( listener );
}

HRESULT WINAPI WsCreateListener( WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding, const WS_LISTENER_PROPERTY *properties, ULONG propertyCount, const WS_SECURITY_DESCRIPTION *securityDescription, WS_LISTENER **listener, WS_ERROR *error )
{
    struct ws_listener *obj;
    HRESULT hr;

    TRACE( "%d %d %p %lu %p %p %p\n", channelType, channelBinding, properties, propertyCount, securityDescription, listener, error );

    if (!listener) return ws_error_set( error, E_INVALIDARG, "listener is NULL" );
    if (FAILED(hr = check_type_and_binding( channelType, channelBinding, error ))) return hr;
    if (securityDescription)
    {
        FIXME( "security descriptions are not supported\n" );
        return ws_error_set( error, E_NOTIMPL, "listener security descriptions are not implemented" );
    }
    if (!(obj = ws_object_alloc( WS_OBJECT_LISTENER, sizeof(*obj) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory creating a listener" );
    ws_props_init( &listener_prop_table, &obj->props );
    obj->props.channel_type = channelType;
    obj->props.channel_binding = channelBinding;
    obj->obj.state = WS_LISTENER_STATE_CREATED;

    if (FAILED(hr = apply_properties( obj, properties, propertyCount, error ))) goto failed;
    if (channelBinding == WS_CUSTOM_CHANNEL_BINDING)
    {
        if (FAILED(hr = create_custom_instance( obj, channelType, error ))) goto failed;
        obj->ops = &custom_listener_ops;
    }
    else if (channelBinding == WS_TCP_CHANNEL_BINDING || channelBinding == WS_NAMEDPIPE_CHANNEL_BINDING)
        obj->ops = &session_listener_ops;
    else if (channelBinding == WS_HTTP_CHANNEL_BINDING) obj->ops = &ws_http_listener_ops;
    else obj->ops = &ws_udp_listener_ops;

    *listener = (WS_LISTENER *)obj;
    TRACE( "created %p\n", obj );
    return S_OK;

failed:
    listener_destroy( obj );
    return hr;
}

void WINAPI WsFreeListener( WS_LISTENER *listener )
{
    TRACE( "%p\n", listener );
    if (!ws_object_is( listener, WS_OBJECT_LISTENER )) return;
    listener_destroy( impl_from_WS_LISTENER( listener ) );
}

HRESULT WINAPI WsGetListenerProperty( WS_LISTENER *listener, WS_LISTENER_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );
    HRESULT hr;

    TRACE( "%p %d %p %lu %p\n", listener, id, value, valueSize, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    if ((hr = obj->ops->get_property( obj, id, value, valueSize, error )) != S_FALSE) return hr;
    if (id == WS_LISTENER_PROPERTY_MULTICAST_INTERFACES)
    {
        ULONG size = obj->multicast_interface_count * sizeof(ULONG);
        if (!value && valueSize) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
        if (valueSize < size) return ws_error_set( error, E_INVALIDARG, "the buffer holds %lu bytes, %lu are needed", valueSize, size );
        if (size) memcpy( value, obj->multicast_interfaces, size );
        return S_OK;
    }
    return ws_props_get( &listener_prop_table, &obj->props, id, value, valueSize, error );
}

HRESULT WINAPI WsSetListenerProperty( WS_LISTENER *listener, WS_LISTENER_PROPERTY_ID id, const void *value, ULONG valueSize, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );

    TRACE( "%p %d %p %lu %p\n", listener, id, value, valueSize, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    return obj->ops->set_property( obj, id, value, valueSize, error );
}

/* Moves the listener FROM -> TO under the lock; WS_E_INVALID_OPERATION otherwise. */
static HRESULT change_state( struct ws_listener *listener, WS_LISTENER_STATE from, WS_LISTENER_STATE to,
                             const char *what, WS_ERROR *error )
{
    WS_LISTENER_STATE state;

    ws_object_lock( listener );
    state = listener->obj.state;
    if (state == from) listener->obj.state = to;
    ws_object_unlock( listener );
    if (state != from) return ws_error_set( error, WS_E_INVALID_OPERATION, "%s: the listener is in state %d", what, state );
    return S_OK;
}

/* Sets the state unless an abort made the listener faulted meanwhile. */
static void finish_state( struct ws_listener *listener, WS_LISTENER_STATE expected, WS_LISTENER_STATE to )
{
    ws_object_lock( listener );
    if (listener->obj.state == expected) listener->obj.state = to;
    ws_object_unlock( listener );
}

struct open_args
{
    struct ws_listener *listener;
    const WS_STRING *url;
};

static HRESULT open_run( void *arg, WS_ERROR *error )
{
    struct open_args *a = arg;
    HRESULT hr = a->listener->ops->open( a->listener, a->url, NULL, error );
    finish_state( a->listener, WS_LISTENER_STATE_OPENING, SUCCEEDED(hr) ? WS_LISTENER_STATE_OPEN : WS_LISTENER_STATE_CREATED );
    return hr;
}

HRESULT WINAPI WsOpenListener( WS_LISTENER *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );
    HRESULT hr;

    TRACE( "%p %s %p %p\n", listener, url ? debugstr_wn( url->chars, url->length ) : "(null)", asyncContext, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    if (is_custom( obj )) return obj->ops->open( obj, url, asyncContext, error );
    if (!url) return ws_error_set( error, E_INVALIDARG, "url is NULL" );
    if (FAILED(hr = change_state( obj, WS_LISTENER_STATE_CREATED, WS_LISTENER_STATE_OPENING, "WsOpenListener", error )))
        return hr;
    {
        struct open_args args = { obj, url };
        return ws_async_run( open_run, &args, sizeof(args), obj->props.async_callback_model, asyncContext, error );
    }
}

HRESULT WINAPI WsCloseListener( WS_LISTENER *listener, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );
    WS_LISTENER_STATE state;
    HRESULT hr;

    TRACE( "%p %p %p\n", listener, asyncContext, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    if (is_custom( obj )) return obj->ops->close( obj, asyncContext, error );

    ws_object_lock( obj );
    state = obj->obj.state;
    if (state == WS_LISTENER_STATE_OPEN || state == WS_LISTENER_STATE_FAULTED) obj->obj.state = WS_LISTENER_STATE_CLOSING;
    ws_object_unlock( obj );
    if (state == WS_LISTENER_STATE_CLOSED) return S_OK;
    if (state != WS_LISTENER_STATE_OPEN && state != WS_LISTENER_STATE_FAULTED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsCloseListener: the listener is in state %d", state );
    if (state == WS_LISTENER_STATE_OPEN) hr = obj->ops->close( obj, NULL, error );
    else
    {
        /* Faulted (aborted): nothing to close gracefully, but the socket or
         * server goes now, so that new clients are refused. */
        obj->ops->close( obj, NULL, NULL );
        hr = S_OK;
    }
    if (FAILED(hr)) obj->ops->abort( obj, NULL );
    finish_state( obj, WS_LISTENER_STATE_CLOSING, WS_LISTENER_STATE_CLOSED );
    return hr;
}

HRESULT WINAPI WsAbortListener( WS_LISTENER *listener, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );

    TRACE( "%p %p\n", listener, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    if (is_custom( obj )) return obj->ops->abort( obj, error );

    ws_object_lock( obj );
    if (obj->obj.state == WS_LISTENER_STATE_OPENING || obj->obj.state == WS_LISTENER_STATE_OPEN ||
        obj->obj.state == WS_LISTENER_STATE_CLOSING)
        obj->obj.state = WS_LISTENER_STATE_FAULTED;
    ws_object_unlock( obj );
    return obj->ops->abort( obj, error );
}

HRESULT WINAPI WsResetListener( WS_LISTENER *listener, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );
    WS_LISTENER_STATE state;
    HRESULT hr;

    TRACE( "%p %p\n", listener, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    if (is_custom( obj )) return obj->ops->reset( obj, error );

    state = obj->obj.state;
    if (state != WS_LISTENER_STATE_CREATED && state != WS_LISTENER_STATE_CLOSED && state != WS_LISTENER_STATE_FAULTED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsResetListener: the listener is in state %d", state );
    if (FAILED(hr = obj->ops->reset( obj, error ))) return hr;
    finish_state( obj, state, WS_LISTENER_STATE_CREATED );
    return S_OK;
}

HRESULT WINAPI WsCreateChannelForListener( WS_LISTENER *listener, const WS_CHANNEL_PROPERTY *properties, ULONG propertyCount, WS_CHANNEL **channel, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );
    struct ws_custom_instance_factory factory = { create_channel_instance, obj };

    TRACE( "%p %p %lu %p %p\n", listener, properties, propertyCount, channel, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    return ws_channel_create_for_listener( obj->props.channel_type, obj->props.channel_binding, properties,
                                           propertyCount, is_custom( obj ) ? &factory : NULL, channel, error );
}

struct accept_args
{
    struct ws_listener *listener;
    WS_CHANNEL *channel;
};

static HRESULT accept_run( void *arg, WS_ERROR *error )
{
    struct accept_args *a = arg;
    return a->listener->ops->accept( a->listener, a->channel, NULL, error );
}

HRESULT WINAPI WsAcceptChannel( WS_LISTENER *listener, WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_listener *obj = impl_from_WS_LISTENER( listener );

    TRACE( "%p %p %p %p\n", listener, channel, asyncContext, error );

    WS_CHECK_HANDLE( listener, WS_OBJECT_LISTENER, error );
    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if (is_custom( obj )) return obj->ops->accept( obj, channel, asyncContext, error );
    if (obj->obj.state != WS_LISTENER_STATE_OPEN)
        return ws_error_set( error, obj->obj.state == WS_LISTENER_STATE_FAULTED ? WS_E_OBJECT_FAULTED : WS_E_INVALID_OPERATION,
                             "WsAcceptChannel: the listener is not open (state %lu)", obj->obj.state );
    {
        struct accept_args args = { obj, channel };
        return ws_async_run( accept_run, &args, sizeof(args), obj->props.async_callback_model, asyncContext, error );
    }
}
