/*
 * Heaps (WS_HEAP)
 */

#include "webservices_private.h"

HRESULT WINAPI WsAlloc( WS_HEAP *heap, SIZE_T size, void **ptr, WS_ERROR *error )
{
    FIXME( "%p %zu %p %p: stub\n", heap, (size_t)size, ptr, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateHeap( SIZE_T maxSize, SIZE_T trimSize, const WS_HEAP_PROPERTY *properties, ULONG propertyCount, WS_HEAP **heap, WS_ERROR *error )
{
    FIXME( "%zu %zu %p %lu %p %p: stub\n", (size_t)maxSize, (size_t)trimSize, properties, propertyCount, heap, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeHeap( WS_HEAP *heap )
{
    FIXME( "%p: stub\n", heap );
}

HRESULT WINAPI WsGetHeapProperty( WS_HEAP *heap, WS_HEAP_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", heap, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetHeap( WS_HEAP *heap, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", heap, error );
    return E_NOTIMPL;
}
