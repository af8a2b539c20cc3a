/*
 * Operation context (WS_OPERATION_CONTEXT) and call cancellation
 *
 * A context is what the service host hands to every piece of application
 * code it runs: service operations, the default message handler and the
 * accept / close channel and authorization callbacks (see the service host
 * section of webservices_private.h).  Here: which of its properties are
 * available to which kind of call, and the cancellation state machine the
 * "Call Cancellation" and "Operation Context Lifetime and Threading" pages
 * describe:
 *   - WsRegisterOperationForCancel succeeds once per call; a second
 *     registration fails;
 *   - the cancel callback fires at most once per call, with the reason of
 *     the first cancellation (WS_SERVICE_HOST_ABORT or
 *     WS_SERVICE_CHANNEL_FAULTED), possibly inside the registration itself
 *     when the call was cancelled before it registered;
 *   - the free-state callback fires exactly once when the call completes,
 *     only after a successful registration, and never before a cancel
 *     callback that is still running has returned.
 * Callbacks never run under a lock: a cancel callback may well call back
 * into the host (WsAbortServiceHost, say).
 */

#include <string.h>
#include "webservices_private.h"

/* ---- the call list and cancellation -------------------------------------- */

void ws_call_list_init( struct ws_call_list *list )
{
    InitializeSRWLock( &list->lock );
    list->head = NULL;
}

void ws_call_begin( struct ws_call_list *list, struct ws_operation_context *ctx, const void *session )
{
    ctx->session = session;
    ctx->list = list;
    ctx->registered = ctx->cancelled = ctx->fired = ctx->completed = FALSE;
    ctx->cancel_callback = NULL;
    ctx->free_state_callback = NULL;
    ctx->user_state = NULL;
    ctx->cancels_running = 0;
    InitializeConditionVariable( &ctx->cancel_done );

    AcquireSRWLockExclusive( &list->lock );
    ctx->prev = NULL;
    ctx->next = list->head;
    if (list->head) list->head->prev = ctx;
    list->head = ctx;
    ReleaseSRWLockExclusive( &list->lock );
}

static void unlink_call( struct ws_operation_context *ctx )
{
    struct ws_call_list *list = ctx->list;

    AcquireSRWLockExclusive( &list->lock );
    if (ctx->prev) ctx->prev->next = ctx->next;
    else list->head = ctx->next;
    if (ctx->next) ctx->next->prev = ctx->prev;
    ctx->prev = ctx->next = NULL;
    ReleaseSRWLockExclusive( &list->lock );
}

/* Runs CTX's cancel callback (claimed by the caller: fired set,
 * cancels_running counted) and lets a waiting completion go on. */
static void run_cancel_callback( struct ws_operation_context *ctx )
{
    TRACE( "context %p: cancel callback %p reason %d\n", ctx, ctx->cancel_callback, ctx->reason );
    ctx->cancel_callback( ctx->reason, ctx->user_state );
    ws_object_lock( ctx );
    if (!--ctx->cancels_running) WakeAllConditionVariable( &ctx->cancel_done );
    ws_object_unlock( ctx );
}

/* Marks CTX cancelled; TRUE when its cancel callback is now due (claimed). */
static BOOL cancel_call( struct ws_operation_context *ctx, WS_SERVICE_CANCEL_REASON reason )
{
    BOOL fire = FALSE;

    ws_object_lock( ctx );
    if (!ctx->completed && !ctx->cancelled)
    {
        ctx->cancelled = TRUE;
        ctx->reason = reason;
        if (ctx->registered && !ctx->fired)
        {
            ctx->fired = TRUE;
            ctx->cancels_running++;
            fire = TRUE;
        }
    }
    ws_object_unlock( ctx );
    return fire;
}

void ws_call_cancel_all( struct ws_call_list *list, const void *session, WS_SERVICE_CANCEL_REASON reason )
{
    struct ws_operation_context *ctx, *fire = NULL;

    /* Claim under the list lock (a listed call cannot complete past its
     * unlink, and its completion then waits for cancels_running), fire after. */
    AcquireSRWLockExclusive( &list->lock );
    for (ctx = list->head; ctx; ctx = ctx->next)
    {
        if (session && ctx->session != session) continue;
        if (!cancel_call( ctx, reason )) continue;
        ctx->fire_next = fire;
        fire = ctx;
    }
    ReleaseSRWLockExclusive( &list->lock );

    while (fire)
    {
        ctx = fire;
        fire = ctx->fire_next;
        run_cancel_callback( ctx );
    }
}

void ws_call_cancel( struct ws_operation_context *ctx, WS_SERVICE_CANCEL_REASON reason )
{
    if (cancel_call( ctx, reason )) run_cancel_callback( ctx );
}

void ws_call_complete( struct ws_operation_context *ctx )
{
    WS_OPERATION_FREE_STATE_CALLBACK free_state = NULL;

    unlink_call( ctx );
    ws_object_lock( ctx );
    ctx->completed = TRUE;
    while (ctx->cancels_running) SleepConditionVariableSRW( &ctx->cancel_done, &ctx->obj.lock, INFINITE, 0 );
    if (ctx->registered) free_state = ctx->free_state_callback;
    ws_object_unlock( ctx );
    if (free_state)
    {
        TRACE( "context %p: free-state callback %p\n", ctx, free_state );
        free_state( ctx->user_state );
    }
}

/* ---- exports ------------------------------------------------------------- */

HRESULT WINAPI WsRegisterOperationForCancel( const WS_OPERATION_CONTEXT *context, WS_OPERATION_CANCEL_CALLBACK cancelCallback,
                                             WS_OPERATION_FREE_STATE_CALLBACK freestateCallback, void *userState,
                                             WS_ERROR *error )
{
    struct ws_operation_context *ctx = (struct ws_operation_context *)context;
    BOOL fire = FALSE;
    HRESULT hr = S_OK;

    TRACE( "%p %p %p %p %p\n", context, cancelCallback, freestateCallback, userState, error );

    WS_CHECK_HANDLE( context, WS_OBJECT_OPERATION_CONTEXT, error );
    if (!cancelCallback) return ws_error_set( error, E_INVALIDARG, "cancelCallback is NULL" );

    ws_object_lock( ctx );
    if (ctx->completed) hr = WS_E_INVALID_OPERATION;
    else if (ctx->registered) hr = WS_E_INVALID_OPERATION;
    else
    {
        ctx->registered = TRUE;
        ctx->cancel_callback = cancelCallback;
        ctx->free_state_callback = freestateCallback;
        ctx->user_state = userState;
        /* Cancelled before it registered: the callback is due right now. */
        if (ctx->cancelled && !ctx->fired)
        {
            ctx->fired = TRUE;
            ctx->cancels_running++;
            fire = TRUE;
        }
    }
    ws_object_unlock( ctx );

    if (hr == WS_E_INVALID_OPERATION)
        return ws_error_set( error, hr, ctx->completed ? "the call has completed" :
                             "the call has already registered for cancellation" );
    if (fire) run_cancel_callback( ctx );
    return S_OK;
}

/* Which property ids each kind of call may read (see the availability notes
 * of WS_OPERATION_CONTEXT_PROPERTY_ID; the samples also read
 * CHANNEL_USER_STATE in the close callback and INPUT_MESSAGE in the
 * authorization callback, so those are allowed as well). */
#define CTX_BIT(id) (1u << (id))
static const ULONG available[] =
{
    [WS_CALL_OPERATION] = ~0u,
    [WS_CALL_MESSAGE_HANDLER] = ~CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE),
    [WS_CALL_ACCEPT_CHANNEL] = CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CHANNEL) |
                               CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION) |
                               CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE) |
                               CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_LISTENER) |
                               CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS),
    [WS_CALL_CLOSE_CHANNEL] = CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CHANNEL) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_LISTENER) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS),
    [WS_CALL_AUTHORIZATION] = CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CHANNEL) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_LISTENER) |
                              CTX_BIT(WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS),
};

static const char * const call_kind_names[] =
{
    "a service operation", "the default message handler", "the accept channel callback",
    "the close channel callback", "the authorization callback",
};

HRESULT WINAPI WsGetOperationContextProperty( const WS_OPERATION_CONTEXT *context, WS_OPERATION_CONTEXT_PROPERTY_ID id,
                                              void *value, ULONG valueSize, WS_ERROR *error )
{
    const struct ws_operation_context *ctx = (const struct ws_operation_context *)context;
    void *channel_user_state;
    const void *src;
    ULONG size;

    TRACE( "%p %d %p %lu %p\n", context, id, value, valueSize, error );

    WS_CHECK_HANDLE( context, WS_OBJECT_OPERATION_CONTEXT, error );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if ((ULONG)id > WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS)
        return ws_error_set( error, E_INVALIDARG, "unknown operation context property %d", id );
    if (!(available[ctx->kind] & CTX_BIT(id)))
        return ws_error_set( error, E_INVALIDARG, "operation context property %d is not available in %s",
                             id, call_kind_names[ctx->kind] );

    switch (id)
    {
    case WS_OPERATION_CONTEXT_PROPERTY_CHANNEL:              src = &ctx->channel; size = sizeof(ctx->channel); break;
    case WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION: src = &ctx->contract; size = sizeof(ctx->contract); break;
    case WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE:      src = &ctx->host_user_state; size = sizeof(void *); break;
    case WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE:
        channel_user_state = ctx->channel_user_state ? *ctx->channel_user_state : NULL;
        src = &channel_user_state; size = sizeof(void *);
        break;
    case WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE:        src = &ctx->input; size = sizeof(ctx->input); break;
    case WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE:       src = &ctx->output; size = sizeof(ctx->output); break;
    case WS_OPERATION_CONTEXT_PROPERTY_HEAP:                 src = &ctx->heap; size = sizeof(ctx->heap); break;
    case WS_OPERATION_CONTEXT_PROPERTY_LISTENER:             src = &ctx->listener; size = sizeof(ctx->listener); break;
    default:                                                 src = ctx->endpoint_address; size = sizeof(WS_ENDPOINT_ADDRESS); break;
    }
    if (valueSize != size)
        return ws_error_set( error, E_INVALIDARG, "operation context property %d has size %lu, not %lu", id, size, valueSize );
    if (!src || ((id == WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE && !ctx->input) ||
                 (id == WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE && !ctx->output) ||
                 (id == WS_OPERATION_CONTEXT_PROPERTY_HEAP && !ctx->heap)))
        return ws_error_set( error, E_INVALIDARG, "operation context property %d is not available here", id );
    memcpy( value, src, size );
    return S_OK;
}
