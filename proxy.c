/*
 * Service proxy (WS_SERVICE_PROXY)
 */

#include "webservices_private.h"

HRESULT WINAPI WsAbandonCall( WS_SERVICE_PROXY *serviceProxy, ULONG callId, WS_ERROR *error )
{
    FIXME( "%p %lu %p: stub\n", serviceProxy, callId, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsAbortServiceProxy( WS_SERVICE_PROXY *serviceProxy, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", serviceProxy, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCall( WS_SERVICE_PROXY *serviceProxy, const WS_OPERATION_DESCRIPTION *operation, const void **arguments, WS_HEAP *heap, const WS_CALL_PROPERTY *callProperties, ULONG callPropertyCount, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p %lu %p %p: stub\n", serviceProxy, operation, arguments, heap, callProperties, callPropertyCount, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCloseServiceProxy( WS_SERVICE_PROXY *serviceProxy, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", serviceProxy, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateServiceProxy( WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding, const WS_SECURITY_DESCRIPTION *securityDescription, const WS_PROXY_PROPERTY *properties, ULONG propertyCount, const WS_CHANNEL_PROPERTY *channelProperties, ULONG channelPropertyCount, WS_SERVICE_PROXY **serviceProxy, WS_ERROR *error )
{
    FIXME( "%d %d %p %p %lu %p %lu %p %p: stub\n", channelType, channelBinding, securityDescription, properties, propertyCount, channelProperties, channelPropertyCount, serviceProxy, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE channelType, const WS_PROXY_PROPERTY *properties, ULONG propertyCount, WS_BINDING_TEMPLATE_TYPE templateType, void *templateValue, ULONG templateSize, const void *templateDescription, ULONG templateDescriptionSize, WS_SERVICE_PROXY **serviceProxy, WS_ERROR *error )
{
    FIXME( "%d %p %lu %d %p %lu %p %lu %p %p: stub\n", channelType, properties, propertyCount, templateType, templateValue, templateSize, templateDescription, templateDescriptionSize, serviceProxy, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeServiceProxy( WS_SERVICE_PROXY *serviceProxy )
{
    FIXME( "%p: stub\n", serviceProxy );
}

HRESULT WINAPI WsGetServiceProxyProperty( WS_SERVICE_PROXY *serviceProxy, WS_PROXY_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", serviceProxy, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsOpenServiceProxy( WS_SERVICE_PROXY *serviceProxy, const WS_ENDPOINT_ADDRESS *address, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", serviceProxy, address, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetServiceProxy( WS_SERVICE_PROXY *serviceProxy, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", serviceProxy, error );
    return E_NOTIMPL;
}
