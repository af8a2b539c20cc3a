/*
 * The asynchronous model: WsAsyncExecute (public) and ws_async_run, the
 * DLL's private helper behind every WS_ASYNC_CONTEXT-taking function.
 */

#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "../webservices_private.h"

const struct ws_private_api *get_private_api( void );   /* tests/transport.c */

/* ---- an asynchronous Add, as in the documentation's AsyncAdd3 examples ---- */

struct add_job
{
    int a, b, *sum;
    WS_ASYNC_CONTEXT ctx;
    DWORD delay;
};

static DWORD WINAPI add_thread( void *arg )
{
    struct add_job *job = arg;
    WS_ASYNC_CONTEXT ctx = job->ctx;
    HRESULT hr = S_OK;

    Sleep( job->delay );
    if (job->a < 0 || job->b < 0) hr = E_INVALIDARG;
    else *job->sum = job->a + job->b;
    HeapFree( GetProcessHeap(), 0, job );
    ctx.callback( hr, WS_LONG_CALLBACK, ctx.callbackState );
    return 0;
}

/* Completes asynchronously when given a context, synchronously otherwise. */
static HRESULT add( int a, int b, int *sum, DWORD delay, const WS_ASYNC_CONTEXT *ctx )
{
    struct add_job *job;
    HANDLE thread;

    if (!ctx)
    {
        if (a < 0 || b < 0) return E_INVALIDARG;
        *sum = a + b;
        return S_OK;
    }
    job = HeapAlloc( GetProcessHeap(), 0, sizeof(*job) );
    job->a = a;
    job->b = b;
    job->sum = sum;
    job->ctx = *ctx;   /* the caller's context need not outlive the call */
    job->delay = delay;
    thread = CreateThread( NULL, 0, add_thread, job, 0, NULL );
    ok( thread != NULL, "CreateThread failed\n" );
    CloseHandle( thread );
    return WS_S_ASYNC;
}

/* ---- AddThree with WsAsyncExecute ---- */

struct add3
{
    int a, b, c, sum, result;
    WS_ASYNC_STATE state;
    int calls[4];
    HRESULT hr_seen[4];
    WS_CALLBACK_MODEL model_seen[4];
    BOOL next_was_null[4];
    BOOL ctx_given[4];
    WS_ERROR *error_seen[4];
    DWORD thread_seen[4];
    DWORD delay;
    HRESULT first_result;   /* returned by the first step instead of adding, unless S_OK */
};

/* Notes what step INDEX was called with. */
static struct add3 *record_step( void *state, int index, HRESULT hr, WS_CALLBACK_MODEL model,
                                 const WS_ASYNC_OPERATION *next, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct add3 *p = state;
    p->calls[index]++;
    p->hr_seen[index] = hr;
    p->model_seen[index] = model;
    p->next_was_null[index] = next->function == NULL;
    p->ctx_given[index] = ctx != NULL;
    p->error_seen[index] = error;
    p->thread_seen[index] = GetCurrentThreadId();
    return p;
}

static HRESULT CALLBACK add3_end( HRESULT hr, WS_CALLBACK_MODEL model, void *state, WS_ASYNC_OPERATION *next,
                                  const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct add3 *p = record_step( state, 2, hr, model, next, ctx, error );
    if (SUCCEEDED(hr)) p->result = p->sum;
    return hr;
}

static HRESULT CALLBACK add3_add_c( HRESULT hr, WS_CALLBACK_MODEL model, void *state, WS_ASYNC_OPERATION *next,
                                    const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct add3 *p = record_step( state, 1, hr, model, next, ctx, error );
    next->function = add3_end;   /* called whether or not this step succeeds */
    if (FAILED(hr)) return hr;
    return add( p->sum, p->c, &p->sum, p->delay, ctx );
}

static HRESULT CALLBACK add3_begin( HRESULT hr, WS_CALLBACK_MODEL model, void *state, WS_ASYNC_OPERATION *next,
                                    const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct add3 *p = record_step( state, 0, hr, model, next, ctx, error );
    next->function = add3_add_c;
    if (p->first_result != S_OK) return p->first_result;
    return add( p->a, p->b, &p->sum, p->delay, ctx );
}

struct completion
{
    LONG calls;
    HRESULT hr;
    WS_CALLBACK_MODEL model;
    HANDLE event;
};

static void CALLBACK completion_callback( HRESULT hr, WS_CALLBACK_MODEL model, void *state )
{
    struct completion *c = state;
    c->hr = hr;
    c->model = model;
    InterlockedIncrement( &c->calls );
    SetEvent( c->event );
}

/* Waits for the one completion callback (and checks no second one follows). */
static void wait_completion( struct completion *c )
{
    DWORD ret = WaitForSingleObject( c->event, 5000 );
    ok( !ret, "no completion\n" );
    Sleep( 50 );
    ok( c->calls == 1, "callback called %ld times\n", c->calls );
}

static void init_add3( struct add3 *p, int a, int b, int c, DWORD delay )
{
    memset( p, 0, sizeof(*p) );
    p->a = a;
    p->b = b;
    p->c = c;
    p->delay = delay;
    p->result = -1;
    p->first_result = S_OK;
}

static void test_WsAsyncExecute_args( void )
{
    WS_ASYNC_CONTEXT ctx = { NULL, NULL };
    WS_ASYNC_STATE state;
    struct add3 p;
    HRESULT hr;

    hr = WsAsyncExecute( NULL, add3_begin, WS_SHORT_CALLBACK, &p, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* WS_ASYNC_CONTEXT.callback "may not be NULL". */
    init_add3( &p, 1, 2, 3, 0 );
    hr = WsAsyncExecute( &state, add3_begin, WS_SHORT_CALLBACK, &p, &ctx, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( !p.calls[0], "operation called\n" );

    /* No operation: nothing to do. */
    hr = WsAsyncExecute( &state, NULL, WS_SHORT_CALLBACK, NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
}

static void test_WsAsyncExecute_sync( void )
{
    struct add3 p;
    WS_ERROR *error;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* NULL context: every step runs on this thread with a NULL context. */
    init_add3( &p, 1, 2, 3, 0 );
    hr = WsAsyncExecute( &p.state, add3_begin, WS_LONG_CALLBACK, &p, NULL, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( p.result == 6, "got %d\n", p.result );
    ok( p.calls[0] == 1 && p.calls[1] == 1 && p.calls[2] == 1, "calls %d %d %d\n", p.calls[0], p.calls[1], p.calls[2] );
    ok( p.hr_seen[0] == S_OK, "first step got %#lx\n", p.hr_seen[0] );
    ok( !p.ctx_given[0] && !p.ctx_given[1] && !p.ctx_given[2], "a context was given\n" );
    ok( p.next_was_null[0] && p.next_was_null[1] && p.next_was_null[2], "next not reset to NULL\n" );
    ok( p.model_seen[0] == WS_LONG_CALLBACK, "got model %d\n", p.model_seen[0] );
    ok( p.model_seen[2] == WS_LONG_CALLBACK, "got model %d\n", p.model_seen[2] );
    ok( p.error_seen[0] == error && p.error_seen[2] == error, "error not passed on\n" );
    ok( p.thread_seen[2] == GetCurrentThreadId(), "not on the calling thread\n" );

    /* A failing step: the next one is still called, with the failure. */
    init_add3( &p, -1, 2, 3, 0 );
    hr = WsAsyncExecute( &p.state, add3_begin, WS_SHORT_CALLBACK, &p, NULL, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( p.calls[1] == 1 && p.hr_seen[1] == E_INVALIDARG, "second step %d %#lx\n", p.calls[1], p.hr_seen[1] );
    ok( p.calls[2] == 1 && p.hr_seen[2] == E_INVALIDARG, "last step %d %#lx\n", p.calls[2], p.hr_seen[2] );
    ok( p.model_seen[0] == WS_SHORT_CALLBACK, "got model %d\n", p.model_seen[0] );
    ok( p.result == -1, "got %d\n", p.result );

    /* The WS_ASYNC_STATE can be reused once an operation completed. */
    init_add3( &p, 10, 20, 30, 0 );
    hr = WsAsyncExecute( &p.state, add3_begin, WS_SHORT_CALLBACK, &p, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( p.result == 60, "got %d\n", p.result );
    ok( p.error_seen[0] == NULL, "got error %p\n", p.error_seen[0] );

    WsFreeError( error );
}

static void test_WsAsyncExecute_async( void )
{
    struct completion c = { 0 };
    WS_ASYNC_CONTEXT ctx;
    struct add3 p;
    HRESULT hr;

    c.event = CreateEventW( NULL, FALSE, FALSE, NULL );
    ctx.callback = completion_callback;
    ctx.callbackState = &c;

    /* Both adds complete asynchronously: WS_S_ASYNC, then one callback with the result. */
    init_add3( &p, 1, 2, 3, 20 );
    hr = WsAsyncExecute( &p.state, add3_begin, WS_SHORT_CALLBACK, &p, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    wait_completion( &c );
    ok( c.hr == S_OK, "got %#lx\n", c.hr );
    ok( c.model == WS_LONG_CALLBACK, "got model %d\n", c.model );
    ok( p.result == 6, "got %d\n", p.result );
    ok( p.ctx_given[0] && p.ctx_given[1] && p.ctx_given[2], "steps did not get a context\n" );
    ok( p.model_seen[0] == WS_SHORT_CALLBACK, "first step got model %d\n", p.model_seen[0] );
    /* Later steps run from the add's completion, with its callback model. */
    ok( p.model_seen[1] == WS_LONG_CALLBACK, "second step got model %d\n", p.model_seen[1] );
    ok( p.thread_seen[1] != GetCurrentThreadId(), "second step on the calling thread\n" );

    /* An asynchronous failure goes to the last step and the callback. */
    init_add3( &p, 1, -2, 3, 10 );
    c.calls = 0;
    hr = WsAsyncExecute( &p.state, add3_begin, WS_SHORT_CALLBACK, &p, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    wait_completion( &c );
    ok( c.hr == E_INVALIDARG, "got %#lx\n", c.hr );
    ok( p.hr_seen[1] == E_INVALIDARG && p.hr_seen[2] == E_INVALIDARG, "got %#lx %#lx\n", p.hr_seen[1], p.hr_seen[2] );

    /* Every step completes synchronously: no WS_S_ASYNC, no callback. */
    init_add3( &p, 1, 2, 3, 0 );
    p.first_result = E_FAIL;
    c.calls = 0;
    hr = WsAsyncExecute( &p.state, add3_begin, WS_SHORT_CALLBACK, &p, &ctx, NULL );
    ok( hr == E_FAIL, "got %#lx\n", hr );
    ok( p.calls[2] == 1, "last step called %d times\n", p.calls[2] );
    Sleep( 50 );
    ok( !c.calls, "callback called %ld times\n", c.calls );

    /* Immediately completing callback (on the calling thread, before the step returns). */
    init_add3( &p, 4, 5, 6, 0 );
    c.calls = 0;
    hr = WsAsyncExecute( &p.state, add3_begin, WS_SHORT_CALLBACK, &p, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    wait_completion( &c );
    ok( p.result == 15, "got %d\n", p.result );

    CloseHandle( c.event );
}

/* ---- ws_async_run ---- */

struct run_args
{
    int value;
    HRESULT result;
    DWORD *thread;
    LONG *calls;
};

static HRESULT run_op( void *arg, WS_ERROR *error )
{
    struct run_args *args = arg;
    static const WS_STRING msg = WS_STRING_VALUE( L"run_op failed" );

    InterlockedIncrement( args->calls );
    *args->thread = GetCurrentThreadId();
    if (FAILED(args->result) && error) WsAddErrorString( error, &msg );
    return args->value == 42 ? args->result : E_UNEXPECTED;
}

static void test_async_run( const struct ws_private_api *api )
{
    struct completion c = { 0 };
    WS_ASYNC_CONTEXT ctx = { NULL, NULL };
    struct run_args args;
    DWORD thread = 0;
    LONG calls = 0;
    WS_ERROR *error;
    ULONG count;
    HRESULT hr;

    WsCreateError( NULL, 0, &error );
    c.event = CreateEventW( NULL, FALSE, FALSE, NULL );
    args.value = 42;
    args.result = S_FALSE;
    args.thread = &thread;
    args.calls = &calls;

    /* Synchronous: the operation's own result, on this thread. */
    hr = api->async_run( run_op, &args, sizeof(args), WS_LONG_CALLBACK, NULL, error );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    ok( calls == 1, "called %ld times\n", calls );
    ok( thread == GetCurrentThreadId(), "not on the calling thread\n" );

    /* A context without a callback. */
    hr = api->async_run( run_op, &args, sizeof(args), WS_LONG_CALLBACK, &ctx, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( calls == 1, "called %ld times\n", calls );

    /* Asynchronous: WS_S_ASYNC, arguments copied, one callback with the result. */
    ctx.callback = completion_callback;
    ctx.callbackState = &c;
    WsResetError( error );
    args.result = WS_E_OPERATION_TIMED_OUT;
    hr = api->async_run( run_op, &args, sizeof(args), WS_SHORT_CALLBACK, &ctx, error );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    args.value = 0;   /* the queued operation works on its own copy */
    ok( !WaitForSingleObject( c.event, 5000 ), "no completion\n" );
    Sleep( 50 );
    ok( c.calls == 1, "callback called %ld times\n", c.calls );
    ok( c.hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", c.hr );
    ok( c.model == WS_SHORT_CALLBACK, "got model %d\n", c.model );
    ok( calls == 2, "called %ld times\n", calls );
    ok( thread != GetCurrentThreadId(), "ran on the calling thread\n" );
    count = 0;
    WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( count == 1, "got %lu error strings\n", count );

    WsFreeError( error );
    CloseHandle( c.event );
}

START_TEST(async)
{
    const struct ws_private_api *api = get_private_api();

    if (!strcmp( winetest_platform, "wine" ))
    {
        /* Wine 8's builtin has no WsAsyncExecute (the stub would abort). */
        skip( "WsAsyncExecute not available in the builtin\n" );
    }
    else
    {
        test_WsAsyncExecute_args();
        test_WsAsyncExecute_sync();
        test_WsAsyncExecute_async();
    }
    if (api) test_async_run( api );
    else skip( "private interface not available (not our DLL)\n" );
}
