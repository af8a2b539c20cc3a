/*
 * WS_UDP_CHANNEL_BINDING: channels and listeners
 *
 * Not implemented yet: opening a channel or a listener of this binding
 * returns E_NOTIMPL.
 */

#include <stdlib.h>
#include <string.h>
#include "webservices_private.h"

static HRESULT not_ready( WS_ERROR *error )
{
    FIXME( "the udp binding is not implemented yet\n" );
    return ws_error_set( error, E_NOTIMPL, "the transport of channel binding %d is not implemented yet", WS_UDP_CHANNEL_BINDING );
}

static HRESULT channel_open( struct ws_channel *channel, const WS_ENDPOINT_ADDRESS *address,
                             const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)address; (void)ctx;
    return not_ready( error );
}

static HRESULT channel_close( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)ctx; (void)error;
    return S_OK;
}

static HRESULT channel_nothing( struct ws_channel *channel, WS_ERROR *error )
{
    (void)channel; (void)error;
    return S_OK;
}

static void channel_free( struct ws_channel *channel )
{
    (void)channel;
}

static HRESULT channel_message_io( struct ws_channel *channel, WS_MESSAGE *message,
                                   const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)message; (void)ctx;
    return not_ready( error );
}

static HRESULT channel_abandon_message( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    (void)channel; (void)message;
    return not_ready( error );
}

static HRESULT channel_shutdown_session( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)ctx;
    return not_ready( error );
}

const struct channel_ops ws_udp_channel_ops =
{
    channel_open, channel_close, channel_nothing, channel_nothing, channel_free,
    channel_message_io, channel_message_io, channel_message_io, channel_message_io,
    channel_abandon_message, channel_shutdown_session, ws_channel_transport_get_property,
    ws_channel_transport_set_property,
};

static HRESULT listener_open( struct ws_listener *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx,
                              WS_ERROR *error )
{
    (void)listener; (void)url; (void)ctx;
    return not_ready( error );
}

static HRESULT listener_close( struct ws_listener *listener, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)listener; (void)ctx; (void)error;
    return S_OK;
}

static HRESULT listener_nothing( struct ws_listener *listener, WS_ERROR *error )
{
    (void)listener; (void)error;
    return S_OK;
}

static void listener_free( struct ws_listener *listener )
{
    (void)listener;
}

static HRESULT listener_accept( struct ws_listener *listener, WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *ctx,
                                WS_ERROR *error )
{
    (void)listener; (void)channel; (void)ctx;
    return not_ready( error );
}

const struct listener_ops ws_udp_listener_ops =
{
    listener_open, listener_close, listener_nothing, listener_nothing, listener_free, listener_accept,
    ws_listener_transport_get_property, ws_listener_transport_set_property,
};
