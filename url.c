/*
 * URL encoding and decoding
 */

#include "webservices_private.h"

HRESULT WINAPI WsCombineUrl( const WS_STRING *baseUrl, const WS_STRING *referenceUrl, ULONG flags, WS_HEAP *heap, WS_STRING *resultUrl, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p %p: stub\n", baseUrl, referenceUrl, flags, heap, resultUrl, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsDecodeUrl( const WS_STRING *url, ULONG flags, WS_HEAP *heap, WS_URL **outUrl, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p %p: stub\n", url, flags, heap, outUrl, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsEncodeUrl( const WS_URL *url, ULONG flags, WS_HEAP *heap, WS_STRING *outUrl, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p %p: stub\n", url, flags, heap, outUrl, error );
    return E_NOTIMPL;
}
