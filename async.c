/*
 * Application-defined asynchronous operations
 */

#include "webservices_private.h"

HRESULT WINAPI WsAsyncExecute( WS_ASYNC_STATE *asyncState, WS_ASYNC_FUNCTION operation, WS_CALLBACK_MODEL callbackModel, void *callbackState, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %p %p: stub\n", asyncState, operation, callbackModel, callbackState, asyncContext, error );
    return E_NOTIMPL;
}
