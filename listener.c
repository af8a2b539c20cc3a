/*
 * Listeners (WS_LISTENER)
 */

#include "webservices_private.h"

HRESULT WINAPI WsAbortListener( WS_LISTENER *listener, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", listener, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsAcceptChannel( WS_LISTENER *listener, WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", listener, channel, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCloseListener( WS_LISTENER *listener, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", listener, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateChannelForListener( WS_LISTENER *listener, const WS_CHANNEL_PROPERTY *properties, ULONG propertyCount, WS_CHANNEL **channel, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p: stub\n", listener, properties, propertyCount, channel, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateListener( WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding, const WS_LISTENER_PROPERTY *properties, ULONG propertyCount, const WS_SECURITY_DESCRIPTION *securityDescription, WS_LISTENER **listener, WS_ERROR *error )
{
    FIXME( "%d %d %p %lu %p %p %p: stub\n", channelType, channelBinding, properties, propertyCount, securityDescription, listener, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeListener( WS_LISTENER *listener )
{
    FIXME( "%p: stub\n", listener );
}

HRESULT WINAPI WsGetListenerProperty( WS_LISTENER *listener, WS_LISTENER_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", listener, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsOpenListener( WS_LISTENER *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", listener, url, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetListener( WS_LISTENER *listener, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", listener, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetListenerProperty( WS_LISTENER *listener, WS_LISTENER_PROPERTY_ID id, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", listener, id, value, valueSize, error );
    return E_NOTIMPL;
}
