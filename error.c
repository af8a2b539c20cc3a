/*
 * Error objects (WS_ERROR)
 */

#include "webservices_private.h"

HRESULT WINAPI WsAddErrorString( WS_ERROR *error, const WS_STRING *string )
{
    FIXME( "%p %p: stub\n", error, string );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCopyError( WS_ERROR *source, WS_ERROR *destination )
{
    FIXME( "%p %p: stub\n", source, destination );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateError( const WS_ERROR_PROPERTY *properties, ULONG propertyCount, WS_ERROR **error )
{
    FIXME( "%p %lu %p: stub\n", properties, propertyCount, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeError( WS_ERROR *error )
{
    FIXME( "%p: stub\n", error );
}

HRESULT WINAPI WsGetErrorProperty( WS_ERROR *error, WS_ERROR_PROPERTY_ID id, void *buffer, ULONG bufferSize )
{
    FIXME( "%p %d %p %lu: stub\n", error, id, buffer, bufferSize );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetErrorString( WS_ERROR *error, ULONG index, WS_STRING *string )
{
    FIXME( "%p %lu %p: stub\n", error, index, string );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetError( WS_ERROR *error )
{
    FIXME( "%p: stub\n", error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetErrorProperty( WS_ERROR *error, WS_ERROR_PROPERTY_ID id, const void *value, ULONG valueSize )
{
    FIXME( "%p %d %p %lu: stub\n", error, id, value, valueSize );
    return E_NOTIMPL;
}

/* Placeholder until error.c is written: adds nothing. */
HRESULT ws_error_set( WS_ERROR *error, HRESULT hr, const char *format, ... )
{
    (void)error; (void)format;
    return hr;
}
