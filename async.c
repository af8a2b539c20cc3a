/*
 * The asynchronous model: ws_async_run, the one way every function taking a
 * WS_ASYNC_CONTEXT completes asynchronously, and WsAsyncExecute, the
 * application's helper for chaining asynchronous operations.
 */

#include "webservices_private.h"

/* A queued operation: the copied arguments follow the header. */
struct async_job
{
    ws_async_func run;
    WS_CALLBACK_MODEL model;
    WS_ASYNC_CALLBACK callback;
    void *callback_state;
    WS_ERROR *error;
    union { BYTE args[1]; ULONGLONG align; } u;
};

static void CALLBACK async_job_worker( PTP_CALLBACK_INSTANCE instance, void *context )
{
    struct async_job *job = context;
    WS_ASYNC_CALLBACK callback = job->callback;
    void *callback_state = job->callback_state;
    WS_CALLBACK_MODEL model = job->model;
    HRESULT hr;

    /* The operation may block (I/O with timeouts): let the pool add threads. */
    CallbackMayRunLong( instance );
    hr = job->run( job->u.args, job->error );
    HeapFree( GetProcessHeap(), 0, job );
    TRACE( "completed %#lx, calling %p( %p )\n", (unsigned long)hr, callback, callback_state );
    callback( hr, model, callback_state );
}

HRESULT ws_async_run( ws_async_func run, const void *args, size_t args_size, WS_CALLBACK_MODEL model,
                      const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct async_job *job;

    if (!ctx) return run( (void *)args, error );
    if (!ctx->callback) return ws_error_set( error, E_INVALIDARG, "asyncContext->callback is NULL" );

    if (!(job = HeapAlloc( GetProcessHeap(), 0, offsetof(struct async_job, u.args[args_size]) )))
    {
        WARN( "out of memory, completing synchronously\n" );
        return run( (void *)args, error );
    }
    job->run = run;
    job->model = model;
    job->callback = ctx->callback;
    job->callback_state = ctx->callbackState;
    job->error = error;
    memcpy( job->u.args, args, args_size );
    if (!TrySubmitThreadpoolCallback( async_job_worker, job, NULL ))
    {
        /* Completing synchronously is always allowed: no WS_S_ASYNC, no callback. */
        WARN( "cannot queue work (%lu), completing synchronously\n", GetLastError() );
        HeapFree( GetProcessHeap(), 0, job );
        return run( (void *)args, error );
    }
    return WS_S_ASYNC;
}

/*
 * WsAsyncExecute keeps its whole state in the application's WS_ASYNC_STATE
 * (five pointers): the next function, the functions' callbackState, the
 * application's completion callback and its state, and the error.  The
 * functions get an inner WS_ASYNC_CONTEXT whose state is the WS_ASYNC_STATE
 * itself; when one of them completes asynchronously, the inner callback
 * carries the chain on from the thread that completed it.
 */
struct async_exec_state
{
    WS_ASYNC_OPERATION next;
    void *callback_state;          /* passed to every WS_ASYNC_FUNCTION */
    WS_ASYNC_CALLBACK callback;    /* the application's completion callback, NULL when synchronous */
    void *completion_state;
    WS_ERROR *error;
};

_Static_assert( sizeof(struct async_exec_state) <= sizeof(WS_ASYNC_STATE), "WS_ASYNC_STATE too small" );

static void CALLBACK async_exec_continue( HRESULT hr, WS_CALLBACK_MODEL model, void *state );

/* Runs functions from STATE->next on, starting with result HR, until one
 * completes asynchronously (returns TRUE: the inner callback takes over) or
 * the chain ends (returns FALSE with the final result in *RESULT). */
static BOOL async_exec_steps( WS_ASYNC_STATE *async_state, HRESULT hr, WS_CALLBACK_MODEL model, HRESULT *result )
{
    struct async_exec_state *state = (struct async_exec_state *)async_state;
    WS_ASYNC_CONTEXT inner = { async_exec_continue, async_state };
    BOOL async = state->callback != NULL;
    WS_ASYNC_FUNCTION function;

    while ((function = state->next.function))
    {
        state->next.function = NULL;
        TRACE( "calling %p( %#lx, %d, %p )\n", function, (unsigned long)hr, model, state->callback_state );
        hr = function( hr, model, state->callback_state, &state->next,
                       async ? &inner : NULL, state->error );
        /* After WS_S_ASYNC, STATE belongs to the thread completing the operation. */
        if (hr == WS_S_ASYNC && async) return TRUE;
    }
    *result = hr;
    return FALSE;
}

/* Inner completion: continue the chain; at its end, complete the application's operation. */
static void CALLBACK async_exec_continue( HRESULT hr, WS_CALLBACK_MODEL model, void *async_state )
{
    struct async_exec_state *state = async_state;
    WS_ASYNC_CALLBACK callback;
    void *completion_state;

    if (async_exec_steps( async_state, hr, model, &hr )) return;
    callback = state->callback;
    completion_state = state->completion_state;
    TRACE( "chain completed asynchronously: %#lx\n", (unsigned long)hr );
    callback( hr, model, completion_state );
}

HRESULT WINAPI WsAsyncExecute( WS_ASYNC_STATE *asyncState, WS_ASYNC_FUNCTION operation, WS_CALLBACK_MODEL callbackModel,
                               void *callbackState, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct async_exec_state *state = (struct async_exec_state *)asyncState;
    HRESULT hr;

    TRACE( "%p %p %d %p %p %p\n", asyncState, operation, callbackModel, callbackState, asyncContext, error );

    if (!asyncState) return ws_error_set( error, E_INVALIDARG, "asyncState is NULL" );
    if (asyncContext && !asyncContext->callback)
        return ws_error_set( error, E_INVALIDARG, "asyncContext->callback is NULL" );

    memset( asyncState, 0, sizeof(*asyncState) );
    state->next.function = operation;
    state->callback_state = callbackState;
    state->callback = asyncContext ? asyncContext->callback : NULL;
    state->completion_state = asyncContext ? asyncContext->callbackState : NULL;
    state->error = error;

    if (async_exec_steps( asyncState, S_OK, callbackModel, &hr )) return WS_S_ASYNC;
    return hr;
}
