/*
 * Operation context and call cancellation
 */

#include "webservices_private.h"

HRESULT WINAPI WsGetOperationContextProperty( const WS_OPERATION_CONTEXT *context, WS_OPERATION_CONTEXT_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", context, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRegisterOperationForCancel( const WS_OPERATION_CONTEXT *context, WS_OPERATION_CANCEL_CALLBACK cancelCallback, WS_OPERATION_FREE_STATE_CALLBACK freestateCallback, void *userState, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p: stub\n", context, cancelCallback, freestateCallback, userState, error );
    return E_NOTIMPL;
}
