/*
 * Faults built from and read into WS_ERROR objects
 */

#include "webservices_private.h"

HRESULT WINAPI WsCreateFaultFromError( WS_ERROR *error, HRESULT faultErrorCode, WS_FAULT_DISCLOSURE faultDisclosure, WS_HEAP *heap, WS_FAULT *fault )
{
    FIXME( "%p %#lx %d %p %p: stub\n", error, faultErrorCode, faultDisclosure, heap, fault );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetFaultErrorDetail( WS_ERROR *error, const WS_FAULT_DETAIL_DESCRIPTION *faultDetailDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize )
{
    FIXME( "%p %p %d %p %p %lu: stub\n", error, faultDetailDescription, readOption, heap, value, valueSize );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetFaultErrorProperty( WS_ERROR *error, WS_FAULT_ERROR_PROPERTY_ID id, void *buffer, ULONG bufferSize )
{
    FIXME( "%p %d %p %lu: stub\n", error, id, buffer, bufferSize );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetFaultErrorDetail( WS_ERROR *error, const WS_FAULT_DETAIL_DESCRIPTION *faultDetailDescription, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize )
{
    FIXME( "%p %p %d %p %lu: stub\n", error, faultDetailDescription, writeOption, value, valueSize );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetFaultErrorProperty( WS_ERROR *error, WS_FAULT_ERROR_PROPERTY_ID id, const void *value, ULONG valueSize )
{
    FIXME( "%p %d %p %lu: stub\n", error, id, value, valueSize );
    return E_NOTIMPL;
}
