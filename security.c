/*
 * Security tokens and security contexts
 */

#include "webservices_private.h"

HRESULT WINAPI WsCreateXmlSecurityToken( WS_XML_BUFFER *tokenXml, WS_SECURITY_KEY_HANDLE *tokenKey, const WS_XML_SECURITY_TOKEN_PROPERTY *properties, ULONG propertyCount, WS_SECURITY_TOKEN **token, WS_ERROR *error )
{
    FIXME( "%p %p %p %lu %p %p: stub\n", tokenXml, tokenKey, properties, propertyCount, token, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeSecurityToken( WS_SECURITY_TOKEN *token )
{
    FIXME( "%p: stub\n", token );
}

HRESULT WINAPI WsGetSecurityContextProperty( WS_SECURITY_CONTEXT *securityContext, WS_SECURITY_CONTEXT_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", securityContext, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetSecurityTokenProperty( WS_SECURITY_TOKEN *securityToken, WS_SECURITY_TOKEN_PROPERTY_ID id, void *value, ULONG valueSize, WS_HEAP *heap, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p %p: stub\n", securityToken, id, value, valueSize, heap, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRequestSecurityToken( WS_CHANNEL *channel, const WS_REQUEST_SECURITY_TOKEN_PROPERTY *properties, ULONG propertyCount, WS_SECURITY_TOKEN **token, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p %p: stub\n", channel, properties, propertyCount, token, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRevokeSecurityContext( WS_SECURITY_CONTEXT *securityContext, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", securityContext, error );
    return E_NOTIMPL;
}
