/*
 * Service host (WS_SERVICE_HOST)
 */

#include "webservices_private.h"

HRESULT WINAPI WsAbortServiceHost( WS_SERVICE_HOST *serviceHost, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", serviceHost, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCloseServiceHost( WS_SERVICE_HOST *serviceHost, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", serviceHost, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE channelType, const WS_SERVICE_ENDPOINT_PROPERTY *properties, ULONG propertyCount, const WS_STRING *addressUrl, const WS_SERVICE_CONTRACT *contract, WS_SERVICE_SECURITY_CALLBACK authorizationCallback, WS_HEAP *heap, WS_BINDING_TEMPLATE_TYPE templateType, void *templateValue, ULONG templateSize, const void *templateDescription, ULONG templateDescriptionSize, WS_SERVICE_ENDPOINT **serviceEndpoint, WS_ERROR *error )
{
    FIXME( "%d %p %lu %p %p %p %p %d %p %lu %p %lu %p %p: stub\n", channelType, properties, propertyCount, addressUrl, contract, authorizationCallback, heap, templateType, templateValue, templateSize, templateDescription, templateDescriptionSize, serviceEndpoint, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateServiceHost( const WS_SERVICE_ENDPOINT **endpoints, USHORT endpointCount, const WS_SERVICE_PROPERTY *serviceProperties, ULONG servicePropertyCount, WS_SERVICE_HOST **serviceHost, WS_ERROR *error )
{
    FIXME( "%p %u %p %lu %p %p: stub\n", endpoints, endpointCount, serviceProperties, servicePropertyCount, serviceHost, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeServiceHost( WS_SERVICE_HOST *serviceHost )
{
    FIXME( "%p: stub\n", serviceHost );
}

HRESULT WINAPI WsGetServiceHostProperty( WS_SERVICE_HOST *serviceHost, WS_SERVICE_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", serviceHost, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsOpenServiceHost( WS_SERVICE_HOST *serviceHost, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", serviceHost, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetServiceHost( WS_SERVICE_HOST *serviceHost, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", serviceHost, error );
    return E_NOTIMPL;
}
