/*
 * Tests for the service host: WsCreateServiceHost and its properties
 * (WS_SERVICE_PROPERTY_ID with the documented defaults), the endpoint
 * properties (WS_SERVICE_ENDPOINT_PROPERTY_ID) and their validation, the
 * WS_SERVICE_HOST_STATE machine (open, close, abort, reset, free, a failed
 * open with WS_E_ADDRESS_IN_USE), dispatch of document/literal and
 * RPC/literal operations with in, out, in/out and array parameters, one-way
 * and asynchronous operations through wsutil-style stubs, called with our own
 * service proxy over net.tcp and HTTP (raw channels for UDP and for several
 * requests in flight on one session), faults under both disclosure levels and
 * the fault language, unknown actions with and without a default message
 * handler, default-handler-only contracts, the accept/close channel and
 * authorization callbacks, CHECK_MUST_UNDERSTAND, MAX_CONCURRENCY, calls in
 * progress during close and abort, the close timeout and
 * WsCreateServiceEndpointFromTemplate.
 *
 * Expected values come from Microsoft's reference pages for these functions
 * and structures and the service host conceptual pages and samples.  Where
 * the documentation is silent the tests follow the decisions of our
 * implementation: the stub frame is the wsutil ParamStruct; an unknown action
 * without a default handler gets a Sender/wsa:ActionNotSupported fault naming
 * the action; WsAbortServiceHost returns without waiting for calls (the
 * close after it waits); the operation context properties' availability; the
 * security templates are E_NOTIMPL (our DLL only).  Wine's builtin DLL has
 * these functions as stubs that abort the process, so everything is skipped
 * there.
 */

#include <winsock2.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "../webservices_private.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const struct ws_private_api *get_private_api( void );   /* tests/transport.c */

#define XS(s) { sizeof(s) - 1, (BYTE *)(s) }
#define NOT_PRESENT 0xffff

/* ---- ports: per process, below the ephemeral range ---- */

static USHORT port_base;

static USHORT next_port( void )
{
    static USHORT n;
    return port_base + n++;
}

/* ---- the messages (what wsutil would generate from a WSDL) ---- */

static WS_XML_STRING ns = XS( "http://example.org/host" ), no_ns = XS( "" );
static WS_XML_STRING add_local = XS( "Add" ), add_resp_local = XS( "AddResponse" );
static WS_XML_STRING mul_local = XS( "Mul" ), mul_resp_local = XS( "MulResponse" );
static WS_XML_STRING scale_local = XS( "Scale" ), scale_resp_local = XS( "ScaleResponse" );
static WS_XML_STRING notify_local = XS( "Notify" );
static WS_XML_STRING fail_local = XS( "Fail" ), fail_resp_local = XS( "FailResponse" );
static WS_XML_STRING hold_local = XS( "Hold" ), hold_resp_local = XS( "HoldResponse" );
static WS_XML_STRING echo_local = XS( "Echo" ), echo_resp_local = XS( "EchoResponse" );
static WS_XML_STRING a_local = XS( "a" ), b_local = XS( "b" ), result_local = XS( "result" );
static WS_XML_STRING factor_local = XS( "factor" ), items_local = XS( "items" ), item_local = XS( "item" );
static WS_XML_STRING name_local = XS( "name" ), text_local = XS( "text" ), value_local = XS( "value" );
static WS_XML_STRING add_action = XS( "http://example.org/host/Add" );
static WS_XML_STRING add_resp_action = XS( "http://example.org/host/AddResponse" );
static WS_XML_STRING mul_action = XS( "http://example.org/host/Mul" );
static WS_XML_STRING mul_resp_action = XS( "http://example.org/host/MulResponse" );
static WS_XML_STRING scale_action = XS( "http://example.org/host/Scale" );
static WS_XML_STRING scale_resp_action = XS( "http://example.org/host/ScaleResponse" );
static WS_XML_STRING notify_action = XS( "http://example.org/host/Notify" );
static WS_XML_STRING fail_action = XS( "http://example.org/host/Fail" );
static WS_XML_STRING fail_resp_action = XS( "http://example.org/host/FailResponse" );
static WS_XML_STRING hold_action = XS( "http://example.org/host/Hold" );
static WS_XML_STRING hold_resp_action = XS( "http://example.org/host/HoldResponse" );
static WS_XML_STRING echo_action = XS( "http://example.org/host/Echo" );
static WS_XML_STRING echo_resp_action = XS( "http://example.org/host/EchoResponse" );

#define INT_FIELD(local, type, member) \
    { WS_ELEMENT_FIELD_MAPPING, &local, &ns, WS_INT32_TYPE, NULL, offsetof(type, member) }
#define WSZ_FIELD(local, type, member) \
    { WS_ELEMENT_FIELD_MAPPING, &local, &ns, WS_WSZ_TYPE, NULL, offsetof(type, member) }
#define ARRAY_FIELD(type, member, count) \
    { WS_REPEATING_ELEMENT_FIELD_MAPPING, &items_local, &ns, WS_INT32_TYPE, NULL, offsetof(type, member), 0, NULL, \
      offsetof(type, count), &item_local, &ns }

/* Add(a, b, [out] result): document/literal */
struct add_in { INT32 a; INT32 b; };
struct add_out { INT32 result; };
static WS_FIELD_DESCRIPTION add_a = INT_FIELD( a_local, struct add_in, a );
static WS_FIELD_DESCRIPTION add_b = INT_FIELD( b_local, struct add_in, b );
static WS_FIELD_DESCRIPTION *add_in_fields[] = { &add_a, &add_b };
static WS_STRUCT_DESCRIPTION add_in_struct = { sizeof(struct add_in), 4, add_in_fields, 2, &add_local, &ns };
static WS_ELEMENT_DESCRIPTION add_in_elem = { &add_local, &ns, WS_STRUCT_TYPE, &add_in_struct };
static WS_FIELD_DESCRIPTION add_result = INT_FIELD( result_local, struct add_out, result );
static WS_FIELD_DESCRIPTION *add_out_fields[] = { &add_result };
static WS_STRUCT_DESCRIPTION add_out_struct = { sizeof(struct add_out), 4, add_out_fields, 1, &add_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION add_out_elem = { &add_resp_local, &ns, WS_STRUCT_TYPE, &add_out_struct };
static WS_MESSAGE_DESCRIPTION add_in_msg = { &add_action, &add_in_elem };
static WS_MESSAGE_DESCRIPTION add_out_msg = { &add_resp_action, &add_out_elem };
static WS_PARAMETER_DESCRIPTION add_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, 1, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, NOT_PRESENT, 0 },
};

/* Mul(a, b, [out] result): RPC/literal, unqualified parts in the operation's wrapper */
static WS_FIELD_DESCRIPTION mul_a = { WS_ELEMENT_FIELD_MAPPING, &a_local, &no_ns, WS_INT32_TYPE, NULL, offsetof(struct add_in, a) };
static WS_FIELD_DESCRIPTION mul_b = { WS_ELEMENT_FIELD_MAPPING, &b_local, &no_ns, WS_INT32_TYPE, NULL, offsetof(struct add_in, b) };
static WS_FIELD_DESCRIPTION *mul_in_fields[] = { &mul_a, &mul_b };
static WS_STRUCT_DESCRIPTION mul_in_struct = { sizeof(struct add_in), 4, mul_in_fields, 2 };
static WS_ELEMENT_DESCRIPTION mul_in_elem = { &mul_local, &ns, WS_STRUCT_TYPE, &mul_in_struct };
static WS_FIELD_DESCRIPTION mul_result = { WS_ELEMENT_FIELD_MAPPING, &result_local, &no_ns, WS_INT32_TYPE, NULL, 0 };
static WS_FIELD_DESCRIPTION *mul_out_fields[] = { &mul_result };
static WS_STRUCT_DESCRIPTION mul_out_struct = { sizeof(struct add_out), 4, mul_out_fields, 1 };
static WS_ELEMENT_DESCRIPTION mul_out_elem = { &mul_resp_local, &ns, WS_STRUCT_TYPE, &mul_out_struct };
static WS_MESSAGE_DESCRIPTION mul_in_msg = { &mul_action, &mul_in_elem };
static WS_MESSAGE_DESCRIPTION mul_out_msg = { &mul_resp_action, &mul_out_elem };

/* Scale(factor, items[count], [in,out] name, [out] out_items[out_count]) */
struct scale_in { INT32 factor; INT32 *items; ULONG count; WCHAR *name; };
struct scale_out { WCHAR *name; INT32 *items; ULONG count; };
static WS_FIELD_DESCRIPTION scale_factor = INT_FIELD( factor_local, struct scale_in, factor );
static WS_FIELD_DESCRIPTION scale_items = ARRAY_FIELD( struct scale_in, items, count );
static WS_FIELD_DESCRIPTION scale_name = WSZ_FIELD( name_local, struct scale_in, name );
static WS_FIELD_DESCRIPTION *scale_in_fields[] = { &scale_factor, &scale_items, &scale_name };
static WS_STRUCT_DESCRIPTION scale_in_struct = { sizeof(struct scale_in), 8, scale_in_fields, 3, &scale_local, &ns };
static WS_ELEMENT_DESCRIPTION scale_in_elem = { &scale_local, &ns, WS_STRUCT_TYPE, &scale_in_struct };
static WS_FIELD_DESCRIPTION scale_out_name = WSZ_FIELD( name_local, struct scale_out, name );
static WS_FIELD_DESCRIPTION scale_out_items = ARRAY_FIELD( struct scale_out, items, count );
static WS_FIELD_DESCRIPTION *scale_out_fields[] = { &scale_out_name, &scale_out_items };
static WS_STRUCT_DESCRIPTION scale_out_struct = { sizeof(struct scale_out), 8, scale_out_fields, 2, &scale_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION scale_out_elem = { &scale_resp_local, &ns, WS_STRUCT_TYPE, &scale_out_struct };
static WS_MESSAGE_DESCRIPTION scale_in_msg = { &scale_action, &scale_in_elem };
static WS_MESSAGE_DESCRIPTION scale_out_msg = { &scale_resp_action, &scale_out_elem };
static WS_PARAMETER_DESCRIPTION scale_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_ARRAY, 1, NOT_PRESENT },
    { WS_PARAMETER_TYPE_ARRAY_COUNT, 1, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, 2, 0 },
    { WS_PARAMETER_TYPE_ARRAY, NOT_PRESENT, 1 },
    { WS_PARAMETER_TYPE_ARRAY_COUNT, NOT_PRESENT, 1 },
};

/* Notify(text): one-way */
struct text_msg { WCHAR *text; };
static WS_FIELD_DESCRIPTION notify_text = WSZ_FIELD( text_local, struct text_msg, text );
static WS_FIELD_DESCRIPTION *notify_fields[] = { &notify_text };
static WS_STRUCT_DESCRIPTION notify_struct = { sizeof(struct text_msg), 8, notify_fields, 1, &notify_local, &ns };
static WS_ELEMENT_DESCRIPTION notify_elem = { &notify_local, &ns, WS_STRUCT_TYPE, &notify_struct };
static WS_MESSAGE_DESCRIPTION notify_msg = { &notify_action, &notify_elem };
static WS_PARAMETER_DESCRIPTION text_in_params[] = { { WS_PARAMETER_TYPE_NORMAL, 0, NOT_PRESENT } };

/* Fail(value, [out] result) and Hold(value, [out] result) */
struct int_in { INT32 value; };
static WS_FIELD_DESCRIPTION int_value = INT_FIELD( value_local, struct int_in, value );
static WS_FIELD_DESCRIPTION *int_in_fields[] = { &int_value };
static WS_STRUCT_DESCRIPTION fail_in_struct = { sizeof(struct int_in), 4, int_in_fields, 1, &fail_local, &ns };
static WS_ELEMENT_DESCRIPTION fail_in_elem = { &fail_local, &ns, WS_STRUCT_TYPE, &fail_in_struct };
static WS_STRUCT_DESCRIPTION fail_out_struct = { sizeof(struct add_out), 4, add_out_fields, 1, &fail_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION fail_out_elem = { &fail_resp_local, &ns, WS_STRUCT_TYPE, &fail_out_struct };
static WS_MESSAGE_DESCRIPTION fail_in_msg = { &fail_action, &fail_in_elem };
static WS_MESSAGE_DESCRIPTION fail_out_msg = { &fail_resp_action, &fail_out_elem };
static WS_STRUCT_DESCRIPTION hold_in_struct = { sizeof(struct int_in), 4, int_in_fields, 1, &hold_local, &ns };
static WS_ELEMENT_DESCRIPTION hold_in_elem = { &hold_local, &ns, WS_STRUCT_TYPE, &hold_in_struct };
static WS_STRUCT_DESCRIPTION hold_out_struct = { sizeof(struct add_out), 4, add_out_fields, 1, &hold_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION hold_out_elem = { &hold_resp_local, &ns, WS_STRUCT_TYPE, &hold_out_struct };
static WS_MESSAGE_DESCRIPTION hold_in_msg = { &hold_action, &hold_in_elem };
static WS_MESSAGE_DESCRIPTION hold_out_msg = { &hold_resp_action, &hold_out_elem };
static WS_PARAMETER_DESCRIPTION int_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, NOT_PRESENT, 0 },
};

/* Echo(text, [out] text): in no host contract; served by default message handlers */
static WS_FIELD_DESCRIPTION echo_text = WSZ_FIELD( text_local, struct text_msg, text );
static WS_FIELD_DESCRIPTION *echo_fields[] = { &echo_text };
static WS_STRUCT_DESCRIPTION echo_in_struct = { sizeof(struct text_msg), 8, echo_fields, 1, &echo_local, &ns };
static WS_ELEMENT_DESCRIPTION echo_in_elem = { &echo_local, &ns, WS_STRUCT_TYPE, &echo_in_struct };
static WS_STRUCT_DESCRIPTION echo_out_struct = { sizeof(struct text_msg), 8, echo_fields, 1, &echo_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION echo_out_elem = { &echo_resp_local, &ns, WS_STRUCT_TYPE, &echo_out_struct };
static WS_MESSAGE_DESCRIPTION echo_in_msg = { &echo_action, &echo_in_elem };
static WS_MESSAGE_DESCRIPTION echo_out_msg = { &echo_resp_action, &echo_out_elem };
static WS_PARAMETER_DESCRIPTION echo_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0 },
};

/* The client's operations (no stubs). */
static WS_OPERATION_DESCRIPTION add_op = { 1, &add_in_msg, &add_out_msg, 0, 0, 3, add_params, NULL, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION mul_op = { 1, &mul_in_msg, &mul_out_msg, 0, 0, 3, add_params, NULL, WS_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION scale_op = { 1, &scale_in_msg, &scale_out_msg, 0, 0, 6, scale_params, NULL, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION notify_op = { 1, &notify_msg, NULL, 0, 0, 1, text_in_params, NULL, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION fail_op = { 1, &fail_in_msg, &fail_out_msg, 0, 0, 2, int_params, NULL, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION hold_op = { 1, &hold_in_msg, &hold_out_msg, 0, 0, 2, int_params, NULL, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION echo_op = { 1, &echo_in_msg, &echo_out_msg, 0, 0, 1, echo_params, NULL, WS_NON_RPC_LITERAL_OPERATION };

/* ---- what the service saw ---- */

struct session { LONG id; LONG calls; };

static struct
{
    LONG add_calls, mul_calls, scale_calls, notify_calls, fail_calls, hold_calls;
    LONG accepts, closes, auth_calls, handler_calls;
    LONG running, max_running, entered;
    WCHAR notified[64];
    /* the context as the last Add/Mul saw it */
    HRESULT host_state_hr, channel_state_hr, heap_hr, contract_hr, input_hr, output_hr, channel_hr;
    void *host_state, *channel_state;
    WS_HEAP *heap;
    const WS_CONTRACT_DESCRIPTION *contract;
    WS_MESSAGE *input, *output;
    WS_CHANNEL *channel;
    HRESULT listener_hr, address_hr;
    WS_LISTENER *listener;
    WS_ENDPOINT_ADDRESS address;
    WCHAR address_url[128];
    /* Mul completes asynchronously when asked (1: success, 2: failure) */
    int mul_async;
    LONG mul_async_started;
    /* accept callback */
    HRESULT accept_host_state_hr, accept_channel_state_hr, accept_channel_hr;
    void *accept_host_state;
    LONG accept_fail_next;
    int accept_async;   /* 1: complete later with S_OK, 2: with E_FAIL */
    LONG accept_async_started;
    /* close callback */
    void *closed_state[16];
    HRESULT close_channel_state_hr, close_input_hr;
    WS_MESSAGE *close_input;
    /* authorization callback */
    int auth_mode;   /* 0: TRUE, 1: FALSE, 2: failure */
    HRESULT auth_input_hr;
    WS_MESSAGE *auth_input;
    /* default handler */
    HRESULT handler_result;
    HRESULT handler_heap_hr, handler_host_state_hr, handler_output_hr;
    void *handler_host_state;
    WS_MESSAGE *handler_output;
} g;

static struct session sessions[16];
static HANDLE notify_event, entered_event, release_event;
static int host_marker;
static void *host_marker_ptr = &host_marker;

static void reset_stats( void )
{
    memset( &g, 0, sizeof(g) );
    memset( sessions, 0, sizeof(sessions) );
    g.handler_result = S_OK;
    ResetEvent( notify_event );
    ResetEvent( entered_event );
    ResetEvent( release_event );
}

/* Waits (without spinning) until *value reaches expect; returns the last value. */
static LONG wait_count( volatile LONG *value, LONG expect, DWORD timeout )
{
    DWORD start = GetTickCount();
    while (*value < expect && GetTickCount() - start < timeout) Sleep( 10 );
    return *value;
}

/* A counter the service raises on its threads reaches EXPECT within TIMEOUT ms. */
#define ok_count( var, expect, timeout ) \
    do { LONG n_ = wait_count( &(var), (expect), (timeout) ); \
         ok( n_ == (expect), #var " is %ld, expected %ld\n", n_, (LONG)(expect) ); } while (0)

/* ---- the service: operations, stubs, callbacks ---- */

static void record_context( const WS_OPERATION_CONTEXT *ctx )
{
    void *channel_state = (void *)0xdeadbeef;
    HRESULT hr;

    g.host_state_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE,
                                                     &g.host_state, sizeof(g.host_state), NULL );
    hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE, &channel_state,
                                        sizeof(channel_state), NULL );
    g.channel_state = channel_state;
    g.channel_state_hr = hr;
    g.heap_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HEAP, &g.heap, sizeof(g.heap), NULL );
    g.contract_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION,
                                                   &g.contract, sizeof(g.contract), NULL );
    g.input_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE, &g.input,
                                                sizeof(g.input), NULL );
    g.output_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE, &g.output,
                                                 sizeof(g.output), NULL );
    g.channel_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &g.channel,
                                                  sizeof(g.channel), NULL );
    g.listener_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_LISTENER, &g.listener,
                                                   sizeof(g.listener), NULL );
    memset( &g.address, 0, sizeof(g.address) );
    g.address_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS, &g.address,
                                                  sizeof(g.address), NULL );
    g.address_url[0] = 0;
    if (g.address_hr == S_OK && g.address.url.chars && g.address.url.length < ARRAYSIZE(g.address_url))
    {
        memcpy( g.address_url, g.address.url.chars, g.address.url.length * sizeof(WCHAR) );
        g.address_url[g.address.url.length] = 0;
    }
    /* only a state the accept callback gave (and the session counts its calls) */
    if (hr == S_OK && channel_state >= (void *)sessions && channel_state < (void *)(sessions + ARRAYSIZE(sessions)))
        InterlockedIncrement( &((struct session *)channel_state)->calls );
}

static HRESULT CALLBACK op_add( const WS_OPERATION_CONTEXT *ctx, INT32 a, INT32 b, INT32 *result,
                                const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    (void)async; (void)error;
    record_context( ctx );
    *result = a + b;
    InterlockedIncrement( &g.add_calls );
    return S_OK;
}

/* An asynchronous completion: the out value is written, then the callback runs, on another thread. */
struct async_job { WS_ASYNC_CONTEXT ctx; INT32 *result; INT32 value; HRESULT hr; };

static DWORD CALLBACK async_job_thread( void *arg )
{
    struct async_job *job = arg;
    WS_ASYNC_CONTEXT ctx = job->ctx;
    HRESULT hr = job->hr;

    Sleep( 50 );
    if (SUCCEEDED(hr)) *job->result = job->value;
    free( job );
    ctx.callback( hr, WS_LONG_CALLBACK, ctx.callbackState );
    return 0;
}

static HRESULT CALLBACK op_mul( const WS_OPERATION_CONTEXT *ctx, INT32 a, INT32 b, INT32 *result,
                                const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct async_job *job;
    HANDLE thread;

    (void)error;
    record_context( ctx );
    InterlockedIncrement( &g.mul_calls );
    if (g.mul_async && async && (job = malloc( sizeof(*job) )))
    {
        /* the context is only valid during the call: keep a copy */
        job->ctx = *async;
        job->result = result;
        job->value = a * b;
        job->hr = g.mul_async == 1 ? S_OK : E_FAIL;
        if ((thread = CreateThread( NULL, 0, async_job_thread, job, 0, NULL )))
        {
            CloseHandle( thread );
            InterlockedIncrement( &g.mul_async_started );
            return WS_S_ASYNC;
        }
        free( job );
    }
    *result = a * b;
    return S_OK;
}

/* name becomes name + "!", out_items = items * factor followed by factor; both on the context heap */
static HRESULT CALLBACK op_scale( const WS_OPERATION_CONTEXT *ctx, INT32 factor, INT32 *items, ULONG count,
                                  WCHAR **name, INT32 **out_items, ULONG *out_count,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    WS_HEAP *heap = NULL;
    WCHAR *new_name;
    ULONG i, len;
    HRESULT hr;

    (void)async;
    InterlockedIncrement( &g.scale_calls );
    if ((hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HEAP, &heap, sizeof(heap), error )))
        return hr;
    len = *name ? wcslen( *name ) : 0;
    if ((hr = WsAlloc( heap, (len + 2) * sizeof(WCHAR), (void **)&new_name, error ))) return hr;
    if (len) memcpy( new_name, *name, len * sizeof(WCHAR) );
    new_name[len] = '!';
    new_name[len + 1] = 0;
    *name = new_name;
    if ((hr = WsAlloc( heap, (count + 1) * sizeof(INT32), (void **)out_items, error ))) return hr;
    for (i = 0; i < count; i++) (*out_items)[i] = items[i] * factor;
    (*out_items)[count] = factor;
    *out_count = count + 1;
    return S_OK;
}

static HRESULT CALLBACK op_notify( const WS_OPERATION_CONTEXT *ctx, WCHAR *text, const WS_ASYNC_CONTEXT *async,
                                   WS_ERROR *error )
{
    (void)ctx; (void)async; (void)error;
    lstrcpynW( g.notified, text ? text : L"(null)", ARRAYSIZE(g.notified) );
    InterlockedIncrement( &g.notify_calls );
    SetEvent( notify_event );
    return S_OK;
}

static const WCHAR fail_text[] = L"operation Fail refused value";

static HRESULT CALLBACK op_fail( const WS_OPERATION_CONTEXT *ctx, INT32 value, INT32 *result,
                                 const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    WS_STRING str = { ARRAYSIZE(fail_text) - 1, (WCHAR *)fail_text };

    (void)ctx; (void)async; (void)value;
    InterlockedIncrement( &g.fail_calls );
    *result = -1;
    if (error) WsAddErrorString( error, &str );
    return E_ACCESSDENIED;
}

/* Counts the calls inside it at once, then waits until released. */
static HRESULT CALLBACK op_hold( const WS_OPERATION_CONTEXT *ctx, INT32 value, INT32 *result,
                                 const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    LONG running, max;

    (void)ctx; (void)async; (void)error;
    InterlockedIncrement( &g.hold_calls );
    running = InterlockedIncrement( &g.running );
    while ((max = g.max_running) < running) InterlockedCompareExchange( &g.max_running, running, max );
    InterlockedIncrement( &g.entered );
    SetEvent( entered_event );
    WaitForSingleObject( release_event, 5000 );
    InterlockedDecrement( &g.running );
    *result = value + 1;
    return S_OK;
}

typedef HRESULT (CALLBACK *add_func)( const WS_OPERATION_CONTEXT *, INT32, INT32, INT32 *, const WS_ASYNC_CONTEXT *,
                                      WS_ERROR * );
typedef HRESULT (CALLBACK *scale_func)( const WS_OPERATION_CONTEXT *, INT32, INT32 *, ULONG, WCHAR **, INT32 **,
                                        ULONG *, const WS_ASYNC_CONTEXT *, WS_ERROR * );
typedef HRESULT (CALLBACK *notify_func)( const WS_OPERATION_CONTEXT *, WCHAR *, const WS_ASYNC_CONTEXT *, WS_ERROR * );
typedef HRESULT (CALLBACK *int_func)( const WS_OPERATION_CONTEXT *, INT32, INT32 *, const WS_ASYNC_CONTEXT *,
                                      WS_ERROR * );

/* The stub frames: wsutil's ParamStruct, one member per parameter in parameter order. */
struct add_frame { INT32 a; INT32 b; INT32 result; };
struct scale_frame { INT32 factor; INT32 *items; ULONG count; WCHAR *name; INT32 *out_items; ULONG out_count; };
struct notify_frame { WCHAR *text; };
struct int_frame { INT32 value; INT32 result; };

static HRESULT CALLBACK add_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct add_frame *f = frame;
    return ((add_func)callback)( ctx, f->a, f->b, &f->result, async, error );
}

static HRESULT CALLBACK scale_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                    const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct scale_frame *f = frame;
    return ((scale_func)callback)( ctx, f->factor, f->items, f->count, &f->name, &f->out_items, &f->out_count,
                                   async, error );
}

static HRESULT CALLBACK notify_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                     const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct notify_frame *f = frame;
    return ((notify_func)callback)( ctx, f->text, async, error );
}

static HRESULT CALLBACK int_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct int_frame *f = frame;
    return ((int_func)callback)( ctx, f->value, &f->result, async, error );
}

/* The service's operations: the same messages, with stubs. */
static WS_OPERATION_DESCRIPTION svc_add_op = { 1, &add_in_msg, &add_out_msg, 0, 0, 3, add_params, add_stub, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION svc_mul_op = { 1, &mul_in_msg, &mul_out_msg, 0, 0, 3, add_params, add_stub, WS_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION svc_scale_op = { 1, &scale_in_msg, &scale_out_msg, 0, 0, 6, scale_params, scale_stub, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION svc_notify_op = { 1, &notify_msg, NULL, 0, 0, 1, text_in_params, notify_stub, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION svc_fail_op = { 1, &fail_in_msg, &fail_out_msg, 0, 0, 2, int_params, int_stub, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION svc_hold_op = { 1, &hold_in_msg, &hold_out_msg, 0, 0, 2, int_params, int_stub, WS_NON_RPC_LITERAL_OPERATION };

static WS_OPERATION_DESCRIPTION *calc_ops[] =
    { &svc_add_op, &svc_mul_op, &svc_scale_op, &svc_notify_op, &svc_fail_op, &svc_hold_op };
static WS_CONTRACT_DESCRIPTION calc_desc = { ARRAYSIZE(calc_ops), calc_ops };
/* The method table: one function pointer per operation, in contract order. */
static const struct
{
    add_func add;
    add_func mul;
    scale_func scale;
    notify_func notify;
    int_func fail;
    int_func hold;
} calc_table = { op_add, op_mul, op_scale, op_notify, op_fail, op_hold };
static const WS_SERVICE_CONTRACT calc_contract = { &calc_desc, NULL, &calc_table };

/* One-way only (for UDP). */
static WS_OPERATION_DESCRIPTION *notify_ops[] = { &svc_notify_op };
static WS_CONTRACT_DESCRIPTION notify_desc = { 1, notify_ops };
static const struct { notify_func notify; } notify_table = { op_notify };
static const WS_SERVICE_CONTRACT notify_contract = { &notify_desc, NULL, &notify_table };

static BOOL xml_string_is( const WS_XML_STRING *str, const WS_XML_STRING *expect )
{
    return str->length == expect->length && !memcmp( str->bytes, expect->bytes, str->length );
}

static HRESULT send_reply( const WS_OPERATION_CONTEXT *ctx, WS_MESSAGE *request, const WS_MESSAGE_DESCRIPTION *desc,
                           const void *value, ULONG size, WS_ERROR *error )
{
    WS_CHANNEL *channel = NULL;
    WS_MESSAGE *reply;
    HRESULT hr;

    if ((hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &channel, sizeof(channel), error )))
        return hr;
    if ((hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, error ))) return hr;
    hr = WsSendReplyMessage( channel, reply, desc, WS_WRITE_REQUIRED_VALUE, value, size, request, NULL, error );
    WsFreeMessage( reply );
    return hr;
}

/* The default message handler: Echo answers "echo:" + text, Add answers a + b + 1000
 * (so the test sees the handler, not the typed operation, answered). */
static HRESULT CALLBACK default_handler( const WS_OPERATION_CONTEXT *ctx, const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    WS_MESSAGE *request = NULL;
    WS_HEAP *heap = NULL;
    WS_XML_STRING action;
    WS_CHANNEL *channel = NULL;
    /* read before the reply goes out: the test changes it once it has the reply */
    HRESULT result = g.handler_result;
    HRESULT hr;

    (void)async;
    InterlockedIncrement( &g.handler_calls );
    g.handler_heap_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HEAP, &heap, sizeof(heap), NULL );
    g.handler_host_state_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE,
                                                             &g.handler_host_state, sizeof(g.handler_host_state), NULL );
    /* "service operations only": and the output is left alone on failure */
    g.handler_output = (WS_MESSAGE *)0xdeadbeef;
    g.handler_output_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE,
                                                         &g.handler_output, sizeof(g.handler_output), NULL );
    if ((hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE, &request,
                                             sizeof(request), error ))) return hr;
    if ((hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &channel,
                                             sizeof(channel), error ))) return hr;
    if (!heap) return E_FAIL;
    if ((hr = WsGetHeader( request, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_READ_REQUIRED_VALUE, heap, &action,
                           sizeof(action), error ))) return hr;

    if (xml_string_is( &action, &echo_action ))
    {
        struct text_msg in, out;
        WCHAR buf[80];

        if ((hr = WsReadBody( request, &echo_in_elem, WS_READ_REQUIRED_VALUE, heap, &in, sizeof(in), error ))) return hr;
        if ((hr = WsReadMessageEnd( channel, request, NULL, error ))) return hr;
        /* "If the callback fails, the underlying channel is aborted." */
        if (in.text && !wcscmp( in.text, L"fail" )) return E_FAIL;
        swprintf( buf, ARRAYSIZE(buf), L"echo:%ls", in.text );
        out.text = buf;
        hr = send_reply( ctx, request, &echo_out_msg, &out, sizeof(out), error );
    }
    else if (xml_string_is( &action, &add_action ))
    {
        struct add_in in;
        struct add_out out;

        if ((hr = WsReadBody( request, &add_in_elem, WS_READ_REQUIRED_VALUE, heap, &in, sizeof(in), error ))) return hr;
        if ((hr = WsReadMessageEnd( channel, request, NULL, error ))) return hr;
        out.result = in.a + in.b + 1000;
        hr = send_reply( ctx, request, &add_out_msg, &out, sizeof(out), error );
    }
    else return WS_E_ENDPOINT_ACTION_NOT_SUPPORTED;
    return FAILED(hr) ? hr : result;
}

static const WS_SERVICE_CONTRACT calc_handler_contract = { &calc_desc, default_handler, &calc_table };
static const WS_SERVICE_CONTRACT handler_only_contract = { NULL, default_handler, NULL };

/* An accept completed later on another thread: the state is stored, then the callback runs. */
struct accept_job { WS_ASYNC_CONTEXT ctx; void **channel_state; void *state; HRESULT hr; };

static DWORD CALLBACK accept_job_thread( void *arg )
{
    struct accept_job *job = arg;
    WS_ASYNC_CONTEXT ctx = job->ctx;
    HRESULT hr = job->hr;

    Sleep( 50 );
    *job->channel_state = job->state;
    free( job );
    ctx.callback( hr, WS_LONG_CALLBACK, ctx.callbackState );
    return 0;
}

static HRESULT CALLBACK accept_channel( const WS_OPERATION_CONTEXT *ctx, void **channel_state,
                                        const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    void *state = (void *)0xdeadbeef;
    WS_CHANNEL *channel = NULL;
    LONG n = InterlockedIncrement( &g.accepts );
    struct accept_job *job;
    HANDLE thread;

    (void)error;
    g.accept_host_state_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE,
                                                            &g.accept_host_state, sizeof(g.accept_host_state), NULL );
    g.accept_channel_state_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE,
                                                               &state, sizeof(state), NULL );
    g.accept_channel_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &channel,
                                                         sizeof(channel), NULL );
    if (g.accept_channel_hr == S_OK && !channel) g.accept_channel_hr = E_POINTER;
    sessions[(n - 1) % ARRAYSIZE(sessions)].id = n;
    if (g.accept_async && async && (job = malloc( sizeof(*job) )))
    {
        job->ctx = *async;
        job->channel_state = channel_state;
        job->state = &sessions[(n - 1) % ARRAYSIZE(sessions)];
        job->hr = g.accept_async == 1 ? S_OK : E_FAIL;
        if ((thread = CreateThread( NULL, 0, accept_job_thread, job, 0, NULL )))
        {
            CloseHandle( thread );
            InterlockedIncrement( &g.accept_async_started );
            return WS_S_ASYNC;
        }
        free( job );
    }
    *channel_state = &sessions[(n - 1) % ARRAYSIZE(sessions)];
    if (InterlockedExchange( &g.accept_fail_next, 0 )) return E_FAIL;
    return S_OK;
}

static HRESULT CALLBACK close_channel( const WS_OPERATION_CONTEXT *ctx, const WS_ASYNC_CONTEXT *async )
{
    void *state = NULL;
    LONG n;

    (void)async;
    g.close_channel_state_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE,
                                                              &state, sizeof(state), NULL );
    g.close_input = (WS_MESSAGE *)0xdeadbeef;
    g.close_input_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE, &g.close_input,
                                                      sizeof(g.close_input), NULL );
    n = InterlockedIncrement( &g.closes );
    g.closed_state[(n - 1) % ARRAYSIZE(g.closed_state)] = state;
    return S_OK;
}

static HRESULT CALLBACK authorize( const WS_OPERATION_CONTEXT *ctx, BOOL *authorized, WS_ERROR *error )
{
    (void)error;
    InterlockedIncrement( &g.auth_calls );
    g.auth_input_hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE, &g.auth_input,
                                                     sizeof(g.auth_input), NULL );
    switch (g.auth_mode)
    {
    case 0: *authorized = TRUE; return S_OK;
    case 1: *authorized = FALSE; return S_OK;
    default: *authorized = TRUE; return E_ACCESSDENIED;
    }
}

static WS_SERVICE_PROPERTY_ACCEPT_CALLBACK accept_prop = { accept_channel };
static WS_SERVICE_PROPERTY_CLOSE_CALLBACK close_prop = { close_channel };

/* ---- hosts ---- */

struct host
{
    WS_SERVICE_HOST *host;
    USHORT count;
    WS_SERVICE_ENDPOINT ep[3];
    const WS_SERVICE_ENDPOINT *eps[3];
    WS_SERVICE_ENDPOINT_PROPERTY props[3][8];
    WCHAR url[3][128];
    USHORT port[3];
};

static void make_url( WCHAR *buf, WS_CHANNEL_BINDING binding, const WCHAR *host, USHORT port )
{
    const WCHAR *scheme = binding == WS_HTTP_CHANNEL_BINDING ? L"http" :
                          binding == WS_UDP_CHANNEL_BINDING ? L"soap.udp" : L"net.tcp";
    swprintf( buf, 128, L"%ls://%ls:%u/host", scheme, host, port );
}

/* The samples listen on every address ("+"); UDP binds the host it names. */
static const WCHAR *listen_host( WS_CHANNEL_BINDING binding )
{
    return binding == WS_UDP_CHANNEL_BINDING ? L"localhost" : L"+";
}

/* Adds an endpoint on a new port (on PORT if not 0); returns its index. */
static USHORT add_endpoint( struct host *h, WS_CHANNEL_BINDING binding, const WS_SERVICE_CONTRACT *contract, USHORT port )
{
    USHORT i = h->count++;
    WS_SERVICE_ENDPOINT *ep = &h->ep[i];

    memset( ep, 0, sizeof(*ep) );
    h->port[i] = port ? port : next_port();
    make_url( h->url[i], binding, listen_host( binding ), h->port[i] );
    ep->address.url.chars = h->url[i];
    ep->address.url.length = wcslen( h->url[i] );
    ep->channelBinding = binding;
    ep->channelType = binding == WS_HTTP_CHANNEL_BINDING ? WS_CHANNEL_TYPE_REPLY :
                      binding == WS_UDP_CHANNEL_BINDING ? WS_CHANNEL_TYPE_DUPLEX : WS_CHANNEL_TYPE_DUPLEX_SESSION;
    ep->contract = contract;
    ep->properties = h->props[i];
    h->eps[i] = ep;
    return i;
}

static void add_prop( struct host *h, USHORT i, WS_SERVICE_ENDPOINT_PROPERTY_ID id, void *value, ULONG size )
{
    WS_SERVICE_ENDPOINT_PROPERTY *prop = &h->props[i][h->ep[i].propertyCount++];
    prop->id = id;
    prop->value = value;
    prop->valueSize = size;
}

static void add_channel_callbacks( struct host *h, USHORT i )
{
    add_prop( h, i, WS_SERVICE_ENDPOINT_PROPERTY_ACCEPT_CHANNEL_CALLBACK, &accept_prop, sizeof(accept_prop) );
    add_prop( h, i, WS_SERVICE_ENDPOINT_PROPERTY_CLOSE_CHANNEL_CALLBACK, &close_prop, sizeof(close_prop) );
}

static HRESULT create_host( struct host *h, const WS_SERVICE_PROPERTY *props, ULONG count )
{
    h->host = NULL;
    return WsCreateServiceHost( h->eps, h->count, props, count, &h->host, NULL );
}

static WS_SERVICE_HOST_STATE host_state( WS_SERVICE_HOST *host )
{
    WS_SERVICE_HOST_STATE state = 0xdead;
    HRESULT hr = WsGetServiceHostProperty( host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK, "get state got %#lx\n", hr );
    return state;
}

/* The error's strings, for failure messages. */
static const char *error_text( WS_ERROR *error )
{
    static char buf[1024];
    WS_STRING str;
    ULONG i, count = 0, pos = 0;

    buf[0] = 0;
    if (!error) return buf;
    WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    for (i = 0; i < count && pos < sizeof(buf) - 2; i++)
    {
        if (WsGetErrorString( error, i, &str )) break;
        pos += snprintf( buf + pos, sizeof(buf) - pos, "%s%.*ls", i ? " / " : "", (int)str.length, str.chars );
    }
    return buf;
}

/* New ports for every endpoint of H (another program holds one). */
static void move_endpoints( struct host *h )
{
    USHORT i;

    for (i = 0; i < h->count; i++)
    {
        h->port[i] = next_port();
        make_url( h->url[i], h->ep[i].channelBinding, listen_host( h->ep[i].channelBinding ), h->port[i] );
        h->ep[i].address.url.length = wcslen( h->url[i] );
    }
}

/* Creates the host with the host user state set and opens it. */
static BOOL start_host( struct host *h, const WS_SERVICE_PROPERTY *extra, ULONG extra_count )
{
    WS_SERVICE_PROPERTY props[4];
    WS_ERROR *error;
    ULONG count = 0, tries = 0;
    HRESULT hr;

    props[count].id = WS_SERVICE_PROPERTY_HOST_USER_STATE;
    props[count].value = &host_marker_ptr;
    props[count++].valueSize = sizeof(host_marker_ptr);
    while (extra_count--) props[count++] = *extra++;
    WsCreateError( NULL, 0, &error );
    for (;;)
    {
        hr = create_host( h, props, count );
        ok( hr == S_OK, "create host got %#lx\n", hr );
        if (hr != S_OK) break;
        hr = WsOpenServiceHost( h->host, NULL, error );
        if (hr == S_OK) break;
        WsFreeServiceHost( h->host );
        h->host = NULL;
        /* a port still held by another program (or a connection in TIME_WAIT): take others */
        if (hr != WS_E_ADDRESS_IN_USE || ++tries == 5) break;
        move_endpoints( h );
    }
    ok( hr == S_OK, "open host got %#lx (%s)\n", hr, error_text( error ) );
    WsFreeError( error );
    if (hr != S_OK) return FALSE;
    ok( host_state( h->host ) == WS_SERVICE_HOST_STATE_OPEN, "got state %d\n", host_state( h->host ) );
    return TRUE;
}

static void stop_host( struct host *h )
{
    HRESULT hr = WsCloseServiceHost( h->host, NULL, NULL );
    ok( hr == S_OK, "close host got %#lx\n", hr );
    ok( host_state( h->host ) == WS_SERVICE_HOST_STATE_CLOSED, "got state %d\n", host_state( h->host ) );
    WsFreeServiceHost( h->host );
    h->host = NULL;
}

/* ---- clients ---- */

static HRESULT open_client( WS_CHANNEL_BINDING binding, USHORT port, WS_SERVICE_PROXY **ret )
{
    WS_CHANNEL_TYPE type = binding == WS_HTTP_CHANNEL_BINDING ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION;
    WS_ENDPOINT_ADDRESS address;
    WS_SERVICE_PROXY *proxy = NULL;
    WCHAR url[128];
    HRESULT hr;

    *ret = NULL;
    hr = WsCreateServiceProxy( type, binding, NULL, NULL, 0, NULL, 0, &proxy, NULL );
    ok( hr == S_OK, "create proxy got %#lx\n", hr );
    if (hr != S_OK) return hr;
    make_url( url, binding, L"localhost", port );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url;
    address.url.length = wcslen( url );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    if (hr != S_OK)
    {
        WsFreeServiceProxy( proxy );
        return hr;
    }
    *ret = proxy;
    return S_OK;
}

static WS_SERVICE_PROXY *connect_client( WS_CHANNEL_BINDING binding, USHORT port )
{
    WS_SERVICE_PROXY *proxy;
    HRESULT hr = open_client( binding, port, &proxy );
    ok( hr == S_OK, "open proxy got %#lx\n", hr );
    return proxy;
}

static void close_client( WS_SERVICE_PROXY *proxy )
{
    HRESULT hr;
    if (!proxy) return;
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "close proxy got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
}

/* A client whose session may already be gone: close errors are not checked. */
static void drop_client( WS_SERVICE_PROXY *proxy )
{
    if (!proxy) return;
    WsAbortServiceProxy( proxy, NULL );
    WsCloseServiceProxy( proxy, NULL, NULL );
    WsFreeServiceProxy( proxy );
}

static HRESULT call_two( WS_SERVICE_PROXY *proxy, const WS_OPERATION_DESCRIPTION *op, INT32 a, INT32 b,
                         INT32 *result, WS_ERROR *error )
{
    INT32 *presult = result;
    const void *args[] = { &a, &b, &presult };
    WS_HEAP *heap;
    HRESULT hr;

    if (!proxy) return E_POINTER;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCall( proxy, (WS_OPERATION_DESCRIPTION *)op, args, heap, NULL, 0, NULL, error );
    WsFreeHeap( heap );
    return hr;
}

static HRESULT call_add( WS_SERVICE_PROXY *proxy, INT32 a, INT32 b, INT32 *result, WS_ERROR *error )
{
    return call_two( proxy, &add_op, a, b, result, error );
}

static HRESULT call_int( WS_SERVICE_PROXY *proxy, const WS_OPERATION_DESCRIPTION *op, INT32 value, INT32 *result,
                         WS_ERROR *error )
{
    INT32 *presult = result;
    const void *args[] = { &value, &presult };
    WS_HEAP *heap;
    HRESULT hr;

    if (!proxy) return E_POINTER;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCall( proxy, (WS_OPERATION_DESCRIPTION *)op, args, heap, NULL, 0, NULL, error );
    WsFreeHeap( heap );
    return hr;
}

static HRESULT call_echo( WS_SERVICE_PROXY *proxy, const WCHAR *text, WCHAR *out, ULONG out_len, WS_ERROR *error )
{
    WCHAR *value = (WCHAR *)text, **pvalue = &value;
    const void *args[] = { &pvalue };
    WS_HEAP *heap;
    HRESULT hr;

    out[0] = 0;
    if (!proxy) return E_POINTER;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCall( proxy, &echo_op, args, heap, NULL, 0, NULL, error );
    if (hr == S_OK && value) lstrcpynW( out, value, out_len );
    WsFreeHeap( heap );
    return hr;
}

static HRESULT call_notify( WS_SERVICE_PROXY *proxy, const WCHAR *text )
{
    WCHAR *value = (WCHAR *)text;
    const void *args[] = { &value };
    WS_HEAP *heap;
    HRESULT hr;

    if (!proxy) return E_POINTER;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCall( proxy, &notify_op, args, heap, NULL, 0, NULL, NULL );
    WsFreeHeap( heap );
    return hr;
}

struct hold_call { WS_SERVICE_PROXY *proxy; INT32 value, result; HRESULT hr; WS_ERROR *error; };

static DWORD CALLBACK hold_thread( void *arg )
{
    struct hold_call *c = arg;
    if (c->error) WsResetError( c->error );
    c->hr = call_int( c->proxy, &hold_op, c->value, &c->result, c->error );
    return 0;
}

struct host_call_args { WS_SERVICE_HOST *host; BOOL abort; HRESULT hr; };

static DWORD CALLBACK host_close_thread( void *arg )
{
    struct host_call_args *a = arg;
    a->hr = a->abort ? WsAbortServiceHost( a->host, NULL ) : WsCloseServiceHost( a->host, NULL, NULL );
    return 0;
}

/* The fault in a client's error, and whether a reason text contains SUBSTR. */
static const WS_FAULT *get_fault( WS_ERROR *error )
{
    WS_FAULT *fault = NULL;
    HRESULT hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "get fault got %#lx\n", hr );
    ok( fault != NULL, "no fault\n" );
    return hr == S_OK ? fault : NULL;
}

static BOOL fault_reason_contains( const WS_FAULT *fault, const WCHAR *substr )
{
    WCHAR buf[512];
    ULONG i, len;

    for (i = 0; fault && i < fault->reasonCount; i++)
    {
        len = min( fault->reasons[i].text.length, ARRAYSIZE(buf) - 1 );
        memcpy( buf, fault->reasons[i].text.chars, len * sizeof(WCHAR) );
        buf[len] = 0;
        if (wcsstr( buf, substr )) return TRUE;
    }
    return FALSE;
}

static const char *fault_reason( const WS_FAULT *fault )
{
    if (!fault || !fault->reasonCount) return "(none)";
    return wine_dbgstr_wn( fault->reasons[0].text.chars, fault->reasons[0].text.length );
}

static BOOL qname_is( const WS_XML_QNAME *name, const char *local, const char *name_ns )
{
    return name->localName.length == strlen( local ) && !memcmp( name->localName.bytes, local, strlen( local ) ) &&
           name->ns.length == strlen( name_ns ) && !memcmp( name->ns.bytes, name_ns, strlen( name_ns ) );
}

/* ---- tests ---- */

static void test_create_args(void)
{
    WS_SERVICE_ENDPOINT ep;
    const WS_SERVICE_ENDPOINT *eps[2];
    WS_SERVICE_CONTRACT contract;
    WS_OPERATION_DESCRIPTION no_stub = svc_add_op;
    WS_OPERATION_DESCRIPTION *no_stub_ops[] = { &no_stub };
    WS_CONTRACT_DESCRIPTION no_stub_desc = { 1, no_stub_ops };
    WS_SERVICE_HOST *host;
    struct host h = { 0 };
    HRESULT hr;

    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    ep = h.ep[0];
    eps[0] = &ep;

    hr = WsCreateServiceHost( eps, 1, NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    host = (WS_SERVICE_HOST *)0xdeadbeef;
    hr = WsCreateServiceHost( NULL, 1, NULL, 0, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceHost( eps, 1, NULL, 1, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    eps[1] = NULL;
    hr = WsCreateServiceHost( eps, 2, NULL, 0, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* the contract: required; a description needs a method table and stubs; a description or a handler */
    ep.contract = NULL;
    hr = WsCreateServiceHost( eps, 1, NULL, 0, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    contract.contractDescription = &calc_desc;
    contract.defaultMessageHandlerCallback = NULL;
    contract.methodTable = NULL;
    ep.contract = &contract;
    hr = WsCreateServiceHost( eps, 1, NULL, 0, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    contract.contractDescription = NULL;
    hr = WsCreateServiceHost( eps, 1, NULL, 0, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    no_stub.stubCallback = NULL;
    contract.contractDescription = &no_stub_desc;
    contract.methodTable = &calc_table;
    hr = WsCreateServiceHost( eps, 1, NULL, 0, &host, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* the handler alone is enough */
    contract.contractDescription = NULL;
    contract.defaultMessageHandlerCallback = default_handler;
    contract.methodTable = NULL;
    host = NULL;
    hr = WsCreateServiceHost( eps, 1, NULL, 0, &host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host != NULL, "no host\n" );
    if (host) ok( host_state( host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( host ) );
    WsFreeServiceHost( host );

    /* NULL host everywhere */
    hr = WsOpenServiceHost( NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCloseServiceHost( NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsAbortServiceHost( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsResetServiceHost( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    {
        WS_SERVICE_HOST_STATE state;
        hr = WsGetServiceHostProperty( NULL, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state), NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
}

static void test_service_properties(void)
{
    struct host h = { 0 };
    WS_SERVICE_PROPERTY props[6];
    WS_SERVICE_METADATA metadata, got_metadata;
    WS_SERVICE_METADATA_DOCUMENT doc, *docs[1] = { &doc };
    WS_XML_STRING wsdl = XS( "<wsdl:definitions xmlns:wsdl='http://schemas.xmlsoap.org/wsdl/'/>" );
    WS_XML_STRING service_name = XS( "CalcService" );
    WS_STRING doc_name = { 4, (WCHAR *)L"calc" };
    WS_FAULT_DISCLOSURE disclosure, full = WS_FULL_FAULT_DISCLOSURE;
    WS_SERVICE_HOST_STATE state;
    LANGID lang, german = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
    ULONG timeout, new_timeout = 1234, bad = 5;
    void *user_state;
    HRESULT hr;

    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    hr = create_host( &h, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return;

    /* defaults */
    user_state = (void *)0xdeadbeef;
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_HOST_USER_STATE, &user_state, sizeof(user_state), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !user_state, "got %p\n", user_state );
    disclosure = 0xdead;
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_FAULT_DISCLOSURE, &disclosure, sizeof(disclosure), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( disclosure == WS_MINIMAL_FAULT_DISCLOSURE, "got %d\n", disclosure );
    lang = 0xdead;
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_FAULT_LANGID, &lang, sizeof(lang), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( lang == GetUserDefaultLangID(), "got %#x, expected %#x\n", lang, GetUserDefaultLangID() );
    state = 0xdead;
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( state == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", state );
    memset( &got_metadata, 0xcc, sizeof(got_metadata) );
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_METADATA, &got_metadata, sizeof(got_metadata), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !got_metadata.documentCount && !got_metadata.documents && !got_metadata.serviceName && !got_metadata.serviceNs,
        "got %lu %p %p %p\n", got_metadata.documentCount, got_metadata.documents, got_metadata.serviceName,
        got_metadata.serviceNs );
    timeout = 0;
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_CLOSE_TIMEOUT, &timeout, sizeof(timeout), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( timeout == 5000, "got %lu\n", timeout );

    /* wrong sizes, unknown ids, NULL buffer */
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state) - 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state) + 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_HOST_STATE, NULL, sizeof(state), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_CLOSE_TIMEOUT, &timeout, sizeof(USHORT), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_FAULT_LANGID, &lang, sizeof(ULONG), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_METADATA, &got_metadata, sizeof(got_metadata) - 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, 6, &timeout, sizeof(timeout), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceHostProperty( h.host, 99, &timeout, sizeof(timeout), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeServiceHost( h.host );

    /* every settable property at creation, read back */
    doc.content = &wsdl;
    doc.name = &doc_name;
    metadata.documentCount = 1;
    metadata.documents = docs;
    metadata.serviceName = &service_name;
    metadata.serviceNs = &ns;
    props[0].id = WS_SERVICE_PROPERTY_HOST_USER_STATE; props[0].value = &host_marker_ptr; props[0].valueSize = sizeof(void *);
    props[1].id = WS_SERVICE_PROPERTY_FAULT_DISCLOSURE; props[1].value = &full; props[1].valueSize = sizeof(full);
    props[2].id = WS_SERVICE_PROPERTY_FAULT_LANGID; props[2].value = &german; props[2].valueSize = sizeof(german);
    props[3].id = WS_SERVICE_PROPERTY_METADATA; props[3].value = &metadata; props[3].valueSize = sizeof(metadata);
    props[4].id = WS_SERVICE_PROPERTY_CLOSE_TIMEOUT; props[4].value = &new_timeout; props[4].valueSize = sizeof(new_timeout);
    hr = create_host( &h, props, 5 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK)
    {
        user_state = NULL;
        hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_HOST_USER_STATE, &user_state, sizeof(user_state), NULL );
        ok( hr == S_OK && user_state == &host_marker, "got %#lx %p\n", hr, user_state );
        hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_FAULT_DISCLOSURE, &disclosure, sizeof(disclosure), NULL );
        ok( hr == S_OK && disclosure == WS_FULL_FAULT_DISCLOSURE, "got %#lx %d\n", hr, disclosure );
        hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_FAULT_LANGID, &lang, sizeof(lang), NULL );
        ok( hr == S_OK && lang == german, "got %#lx %#x\n", hr, lang );
        hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_CLOSE_TIMEOUT, &timeout, sizeof(timeout), NULL );
        ok( hr == S_OK && timeout == 1234, "got %#lx %lu\n", hr, timeout );
        memset( &got_metadata, 0, sizeof(got_metadata) );
        hr = WsGetServiceHostProperty( h.host, WS_SERVICE_PROPERTY_METADATA, &got_metadata, sizeof(got_metadata), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( got_metadata.documentCount == 1, "got %lu\n", got_metadata.documentCount );
        if (got_metadata.documentCount == 1 && got_metadata.documents && got_metadata.documents[0])
        {
            /* the documents stay the application's ("must stay valid for the host's lifetime") */
            ok( xml_string_is( got_metadata.documents[0]->content, &wsdl ), "wrong content\n" );
            ok( got_metadata.documents[0]->name && got_metadata.documents[0]->name->length == 4,
                "wrong name\n" );
        }
        ok( got_metadata.serviceName && xml_string_is( got_metadata.serviceName, &service_name ), "wrong name\n" );
        ok( got_metadata.serviceNs && xml_string_is( got_metadata.serviceNs, &ns ), "wrong ns\n" );
        WsFreeServiceHost( h.host );
    }

    /* the state is not settable; wrong sizes and unknown ids fail creation */
    state = WS_SERVICE_HOST_STATE_OPEN;
    props[0].id = WS_SERVICE_PROPERTY_HOST_STATE; props[0].value = &state; props[0].valueSize = sizeof(state);
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_SERVICE_PROPERTY_HOST_USER_STATE; props[0].value = &host_marker_ptr; props[0].valueSize = 1;
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_SERVICE_PROPERTY_FAULT_DISCLOSURE; props[0].value = &full; props[0].valueSize = 1;
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_SERVICE_PROPERTY_FAULT_LANGID; props[0].value = &german; props[0].valueSize = sizeof(ULONG);
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_SERVICE_PROPERTY_METADATA; props[0].value = &metadata; props[0].valueSize = sizeof(metadata) - 1;
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_SERVICE_PROPERTY_CLOSE_TIMEOUT; props[0].value = &new_timeout; props[0].valueSize = sizeof(USHORT);
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = 99; props[0].value = &bad; props[0].valueSize = sizeof(bad);
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_SERVICE_PROPERTY_CLOSE_TIMEOUT; props[0].value = NULL; props[0].valueSize = sizeof(ULONG);
    hr = create_host( &h, props, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
}

static void test_endpoint_properties(void)
{
    ULONG two = 2, four = 4, zero = 0, heap_max = 1 << 17, heap_trim = 8192, pool = 10, channels = 5;
    ULONG max_headers = 20;
    BOOL check = FALSE;
    WS_METADATA_EXCHANGE_TYPE mex = WS_METADATA_EXCHANGE_TYPE_NONE;
    WS_XML_STRING port_name = XS( "CalcPort" ), binding_name = XS( "CalcBinding" );
    WS_SERVICE_ENDPOINT_METADATA ep_metadata = { &port_name, &binding_name, &ns };
    WS_MESSAGE_PROPERTY msg_prop = { WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS, &max_headers, sizeof(max_headers) };
    WS_MESSAGE_PROPERTIES msg_props = { &msg_prop, 1 };
    WS_LISTENER_PROPERTIES listener_props = { NULL, 0 };
    static const struct { WS_SERVICE_ENDPOINT_PROPERTY_ID id; ULONG size; } sizes[] =
    {
        { WS_SERVICE_ENDPOINT_PROPERTY_ACCEPT_CHANNEL_CALLBACK, sizeof(WS_SERVICE_PROPERTY_ACCEPT_CALLBACK) },
        { WS_SERVICE_ENDPOINT_PROPERTY_CLOSE_CHANNEL_CALLBACK, sizeof(WS_SERVICE_PROPERTY_CLOSE_CALLBACK) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_ACCEPTING_CHANNELS, sizeof(ULONG) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, sizeof(ULONG) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MESSAGE_PROPERTIES, sizeof(WS_MESSAGE_PROPERTIES) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CALL_POOL_SIZE, sizeof(ULONG) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNEL_POOL_SIZE, sizeof(ULONG) },
        { WS_SERVICE_ENDPOINT_PROPERTY_LISTENER_PROPERTIES, sizeof(WS_LISTENER_PROPERTIES) },
        { WS_SERVICE_ENDPOINT_PROPERTY_CHECK_MUST_UNDERSTAND, sizeof(BOOL) },
        { WS_SERVICE_ENDPOINT_PROPERTY_METADATA_EXCHANGE_TYPE, sizeof(WS_METADATA_EXCHANGE_TYPE) },
        { WS_SERVICE_ENDPOINT_PROPERTY_METADATA, sizeof(WS_SERVICE_ENDPOINT_METADATA) },
        { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNELS, sizeof(ULONG) },
    };
    BYTE junk[64] = { 0 };
    struct host h = { 0 };
    WS_SERVICE_HOST *host;
    ULONG i;
    HRESULT hr;

    /* every property with a valid value: the host is created and opens */
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 0 );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_ACCEPTING_CHANNELS, &two, sizeof(two) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &four, sizeof(four) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MESSAGE_PROPERTIES, &msg_props, sizeof(msg_props) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CALL_POOL_SIZE, &pool, sizeof(pool) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNEL_POOL_SIZE, &pool, sizeof(pool) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNELS, &channels, sizeof(channels) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK)
    {
        /* open and close at once, a few times: nothing to wait for */
        for (i = 0; i < 10; i++)
        {
            DWORD start = GetTickCount();
            hr = WsOpenServiceHost( h.host, NULL, NULL );
            ok( hr == S_OK, "%lu: open got %#lx\n", i, hr );
            hr = WsCloseServiceHost( h.host, NULL, NULL );
            ok( hr == S_OK, "%lu: close got %#lx after %lu ms\n", i, hr, GetTickCount() - start );
            hr = WsResetServiceHost( h.host, NULL );
            ok( hr == S_OK, "%lu: reset got %#lx\n", i, hr );
        }
        WsFreeServiceHost( h.host );
    }
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_BODY_HEAP_MAX_SIZE, &heap_max, sizeof(heap_max) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_BODY_HEAP_TRIM_SIZE, &heap_trim, sizeof(heap_trim) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_LISTENER_PROPERTIES, &listener_props, sizeof(listener_props) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_CHECK_MUST_UNDERSTAND, &check, sizeof(check) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_METADATA_EXCHANGE_TYPE, &mex, sizeof(mex) );
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_METADATA, &ep_metadata, sizeof(ep_metadata) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK) WsFreeServiceHost( h.host );

    /* a wrong size for each id */
    for (i = 0; i < ARRAYSIZE(sizes); i++)
    {
        winetest_push_context( "id %d", sizes[i].id );
        h.ep[0].propertyCount = 0;
        add_prop( &h, 0, sizes[i].id, junk, sizes[i].size + 1 );
        hr = create_host( &h, NULL, 0 );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        if (hr == S_OK) WsFreeServiceHost( h.host );
        h.ep[0].propertyCount = 0;
        add_prop( &h, 0, sizes[i].id, junk, sizes[i].size - 1 );
        hr = create_host( &h, NULL, 0 );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        if (hr == S_OK) WsFreeServiceHost( h.host );
        winetest_pop_context();
    }
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_BODY_HEAP_MAX_SIZE, junk, 1 );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_BODY_HEAP_TRIM_SIZE, junk, 1 );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* unknown id; NULL value */
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, 99, &two, sizeof(two) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, NULL, sizeof(ULONG) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* zero counts */
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &zero, sizeof(zero) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_ACCEPTING_CHANNELS, &zero, sizeof(zero) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNELS, &zero, sizeof(zero) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* "If an endpoint specifies a default message handler ... concurrency has to be 1" */
    h.ep[0].propertyCount = 0;
    h.ep[0].contract = &handler_only_contract;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &two, sizeof(two) );
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    h.ep[0].contract = &calc_handler_contract;
    hr = create_host( &h, NULL, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    h.ep[0].propertyCount = 0;
    add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &(ULONG){ 1 }, sizeof(ULONG) );
    host = NULL;
    hr = WsCreateServiceHost( h.eps, 1, NULL, 0, &host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (host) WsFreeServiceHost( host );
}

struct async_state { HRESULT hr; LONG calls; HANDLE event; };

static void CALLBACK async_done( HRESULT hr, WS_CALLBACK_MODEL model, void *state )
{
    struct async_state *r = state;
    (void)model;
    r->hr = hr;
    InterlockedIncrement( &r->calls );
    SetEvent( r->event );
}

static void test_state_machine(void)
{
    struct async_state result = { 0, 0, CreateEventW( NULL, FALSE, FALSE, NULL ) };
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    HRESULT hr;
    INT32 value;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    hr = create_host( &h, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return;

    /* Created: no close; reset and abort leave it created */
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( h.host ) );
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( h.host ) );
    hr = WsAbortServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( h.host ) );

    /* Nothing listens before the open. */
    hr = open_client( WS_TCP_CHANNEL_BINDING, h.port[0], &proxy );
    ok( FAILED(hr), "got %#lx\n", hr );

    /* Open */
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_OPEN, "got %d\n", host_state( h.host ) );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_OPEN, "got %d\n", host_state( h.host ) );
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    close_client( proxy );

    /* Closed: no open, no second close; abort leaves it closed */
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsAbortServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    /* the listeners are closed */
    hr = open_client( WS_TCP_CHANNEL_BINDING, h.port[0], &proxy );
    ok( FAILED(hr), "got %#lx\n", hr );

    /* Reset, then open again on the same address */
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( h.host ) );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 5, 6, &value, NULL );
    ok( hr == S_OK && value == 11, "got %#lx %d\n", hr, value );
    close_client( proxy );

    /* Abort: faulted; only close (or another abort) from there */
    hr = WsAbortServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_FAULTED, "got %d\n", host_state( h.host ) );
    hr = WsAbortServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_FAULTED, "got %d\n", host_state( h.host ) );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );

    /* Asynchronous open and close: WS_S_ASYNC and one callback, or done at once */
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    {
        struct async_state *r = &result;
        WS_ASYNC_CONTEXT ctx;

        ctx.callback = async_done;
        ctx.callbackState = r;
        hr = WsOpenServiceHost( h.host, &ctx, NULL );
        ok( hr == S_OK || hr == WS_S_ASYNC, "got %#lx\n", hr );
        /* opening or open: a second open is refused either way */
        ok( WsOpenServiceHost( h.host, NULL, NULL ) == WS_E_INVALID_OPERATION, "second open allowed\n" );
        if (hr == WS_S_ASYNC)
        {
            ok( !WaitForSingleObject( r->event, 5000 ), "no callback\n" );
            Sleep( 50 );
            ok( r->calls == 1, "%ld callbacks\n", r->calls );
            ok( r->hr == S_OK, "got %#lx\n", r->hr );
        }
        ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_OPEN, "got %d\n", host_state( h.host ) );
        proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
        hr = call_add( proxy, 1, 2, &value, NULL );
        ok( hr == S_OK && value == 3, "got %#lx %d\n", hr, value );
        close_client( proxy );

        r->calls = 0;
        hr = WsCloseServiceHost( h.host, &ctx, NULL );
        ok( hr == S_OK || hr == WS_S_ASYNC, "got %#lx\n", hr );
        if (hr == WS_S_ASYNC)
        {
            ok( !WaitForSingleObject( r->event, 5000 ), "no callback\n" );
            Sleep( 50 );
            ok( r->calls == 1, "%ld callbacks\n", r->calls );
            ok( r->hr == S_OK, "got %#lx\n", r->hr );
        }
        ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    }
    /* freed from Closed */
    WsFreeServiceHost( h.host );
    CloseHandle( result.event );

    /* freed from Created, never opened */
    hr = create_host( &h, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK) WsFreeServiceHost( h.host );
}

/* WsCloseServiceHost in a thread while a session client stays connected: Closing. */
struct close_thread_args { WS_SERVICE_HOST *host; HRESULT hr; DWORD elapsed; };

static DWORD CALLBACK close_thread( void *arg )
{
    struct close_thread_args *a = arg;
    DWORD start = GetTickCount();
    a->hr = WsCloseServiceHost( a->host, NULL, NULL );
    a->elapsed = GetTickCount() - start;
    return 0;
}

static void test_closing(void)
{
    struct close_thread_args args = { 0 };
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    WS_SERVICE_HOST_STATE state = 0xdead;
    DWORD start;
    HANDLE thread;
    INT32 value;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );

    /* The close waits for the session: the host is Closing meanwhile. */
    args.host = h.host;
    thread = CreateThread( NULL, 0, close_thread, &args, 0, NULL );
    start = GetTickCount();
    while (GetTickCount() - start < 2000)
    {
        state = host_state( h.host );
        if (state != WS_SERVICE_HOST_STATE_OPEN) break;
        Sleep( 10 );
    }
    ok( state == WS_SERVICE_HOST_STATE_CLOSING, "got %d\n", state );
    ok( WaitForSingleObject( thread, 200 ) == WAIT_TIMEOUT, "close did not wait for the session\n" );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSING, "got %d\n", host_state( h.host ) );
    /* "It completes when the client closes the session." */
    close_client( proxy );
    ok( !WaitForSingleObject( thread, 3000 ), "close did not finish\n" );
    CloseHandle( thread );
    ok( args.hr == S_OK, "got %#lx\n", args.hr );
    ok( args.elapsed < 3000, "took %lu ms\n", args.elapsed );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    ok( g.accepts == 1 && g.closes == 1, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
    WsFreeServiceHost( h.host );
}

static void test_address_in_use(void)
{
    struct host h = { 0 }, other = { 0 }, multi = { 0 };
    struct sockaddr_in addr;
    WS_SERVICE_PROXY *proxy;
    SOCKET s;
    INT32 value;
    HRESULT hr;

    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    hr = create_host( &h, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return;

    /* a plain socket holds the port: the open fails and the host stays Created */
    s = socket( AF_INET, SOCK_STREAM, IPPROTO_TCP );
    memset( &addr, 0, sizeof(addr) );
    addr.sin_family = AF_INET;
    addr.sin_port = htons( h.port[0] );
    addr.sin_addr.s_addr = htonl( INADDR_ANY );
    ok( !bind( s, (struct sockaddr *)&addr, sizeof(addr) ), "bind failed %d\n", WSAGetLastError() );
    ok( !listen( s, 1 ), "listen failed %d\n", WSAGetLastError() );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( h.host ) );
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    closesocket( s );

    /* once the port is free, the same host opens */
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_OPEN, "got %d\n", host_state( h.host ) );

    /* a second host on the same address */
    add_endpoint( &other, WS_TCP_CHANNEL_BINDING, &calc_contract, h.port[0] );
    hr = create_host( &other, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenServiceHost( other.host, NULL, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    ok( host_state( other.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( other.host ) );
    /* the first host is unaffected */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    close_client( proxy );
    stop_host( &h );
    /* and after it closed, the second opens */
    hr = WsOpenServiceHost( other.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, other.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    close_client( proxy );
    /* HTTP: a second host on the same URL */
    memset( &h, 0, sizeof(h) );
    add_endpoint( &h, WS_HTTP_CHANNEL_BINDING, &calc_contract, 0 );
    if (start_host( &h, NULL, 0 ))
    {
        memset( &multi, 0, sizeof(multi) );
        add_endpoint( &multi, WS_HTTP_CHANNEL_BINDING, &calc_contract, h.port[0] );
        hr = create_host( &multi, NULL, 0 );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsOpenServiceHost( multi.host, NULL, NULL );
        ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
        ok( host_state( multi.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( multi.host ) );
        WsFreeServiceHost( multi.host );
        stop_host( &h );
    }

    /* Two endpoints, the second's port taken: the open fails as a whole and
     * releases the first endpoint's listener. */
    memset( &multi, 0, sizeof(multi) );
    add_endpoint( &multi, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_endpoint( &multi, WS_TCP_CHANNEL_BINDING, &calc_contract, other.port[0] );
    hr = create_host( &multi, NULL, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenServiceHost( multi.host, NULL, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    ok( host_state( multi.host ) == WS_SERVICE_HOST_STATE_CREATED, "got %d\n", host_state( multi.host ) );
    hr = open_client( WS_TCP_CHANNEL_BINDING, multi.port[0], &proxy );
    ok( FAILED(hr), "the first endpoint still listens: %#lx\n", hr );
    drop_client( proxy );
    WsFreeServiceHost( multi.host );
    memset( &h, 0, sizeof(h) );
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, multi.port[0] );
    if (start_host( &h, NULL, 0 )) stop_host( &h );

    stop_host( &other );
}

/* The typed operations through the proxy; the operations checked their context. */
static void test_dispatch( WS_CHANNEL_BINDING binding )
{
    static const INT32 items[] = { 1, -2, 30 };
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    WS_ERROR *error;
    WS_HEAP *heap;
    const WS_FAULT *fault;
    INT32 value = 0;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, binding, &calc_contract, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    WsCreateError( NULL, 0, &error );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    proxy = connect_client( binding, h.port[0] );

    /* document/literal, in and out */
    hr = call_add( proxy, 3, 4, &value, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 7, "got %d\n", value );
    ok( g.add_calls == 1, "got %ld calls\n", g.add_calls );
    ok( g.host_state_hr == S_OK && g.host_state == &host_marker, "host state %#lx %p\n", g.host_state_hr, g.host_state );
    /* no accept callback: the channel state is NULL */
    ok( g.channel_state_hr == S_OK && !g.channel_state, "channel state %#lx %p\n", g.channel_state_hr, g.channel_state );
    ok( g.heap_hr == S_OK && g.heap, "heap %#lx %p\n", g.heap_hr, g.heap );
    ok( g.contract_hr == S_OK && g.contract == &calc_desc, "contract %#lx %p\n", g.contract_hr, g.contract );
    ok( g.input_hr == S_OK && g.input, "input %#lx %p\n", g.input_hr, g.input );
    ok( g.output_hr == S_OK && g.output, "output %#lx %p\n", g.output_hr, g.output );
    ok( g.channel_hr == S_OK && g.channel, "channel %#lx %p\n", g.channel_hr, g.channel );
    ok( g.listener_hr == S_OK && g.listener, "listener %#lx %p\n", g.listener_hr, g.listener );
    ok( g.address_hr == S_OK, "address %#lx\n", g.address_hr );
    ok( !wcscmp( g.address_url, h.url[0] ), "address %s\n", wine_dbgstr_w( g.address_url ) );

    /* RPC/literal */
    value = 0;
    hr = call_two( proxy, &mul_op, 3, 4, &value, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 12, "got %d\n", value );
    ok( g.mul_calls == 1, "got %ld calls\n", g.mul_calls );

    /* an operation that completes asynchronously (WS_S_ASYNC, then its callback) */
    g.mul_async = 1;
    value = 0;
    hr = call_two( proxy, &mul_op, 6, 7, &value, error );
    if (!g.mul_async_started) skip( "the host gave the operation no async context\n" );
    else
    {
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( value == 42, "got %d\n", value );
        g.mul_async = 2;
        WsResetError( error );
        hr = call_two( proxy, &mul_op, 6, 7, &value, error );
        ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
        ok( g.mul_async_started == 2, "got %ld\n", g.mul_async_started );
    }
    g.mul_async = 0;

    /* arrays, array counts, an in/out string; the out values come from the context heap */
    {
        WCHAR *name = (WCHAR *)L"abc", **pname = &name;
        INT32 factor = 3, *out_items = NULL, **pout_items = &out_items;
        const INT32 *in_items = items;
        ULONG in_count = ARRAYSIZE(items), out_count = 0, *pout_count = &out_count;
        const void *args[] = { &factor, &in_items, &in_count, &pname, &pout_items, &pout_count };

        hr = WsCall( proxy, &scale_op, args, heap, NULL, 0, NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( name && !wcscmp( name, L"abc!" ), "got %s\n", wine_dbgstr_w( name ) );
        ok( out_count == 4, "got %lu\n", out_count );
        if (out_count == 4 && out_items)
            ok( out_items[0] == 3 && out_items[1] == -6 && out_items[2] == 90 && out_items[3] == 3,
                "got %d %d %d %d\n", out_items[0], out_items[1], out_items[2], out_items[3] );
        /* an empty array */
        in_items = NULL;
        in_count = 0;
        name = (WCHAR *)L"";
        out_count = 0;
        hr = WsCall( proxy, &scale_op, args, heap, NULL, 0, NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( out_count == 1 && out_items && out_items[0] == 3, "got %lu\n", out_count );
        ok( name && !wcscmp( name, L"!" ), "got %s\n", wine_dbgstr_w( name ) );
        ok( g.scale_calls == 2, "got %ld calls\n", g.scale_calls );
    }

    /* one-way */
    hr = call_notify( proxy, L"hello" );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( notify_event, 3000 ), "Notify not called\n" );
    ok( !wcscmp( g.notified, L"hello" ), "got %s\n", wine_dbgstr_w( g.notified ) );
    ok( g.notify_calls == 1, "got %ld calls\n", g.notify_calls );

    /* A failing operation: a fault; default (minimal) disclosure hides the operation's error string. */
    WsResetError( error );
    hr = call_int( proxy, &fail_op, 5, &value, error );
    ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
    ok( g.fail_calls == 1, "got %ld calls\n", g.fail_calls );
    fault = get_fault( error );
    ok( fault && fault->reasonCount >= 1, "no reason\n" );
    ok( !fault_reason_contains( fault, fail_text ), "minimal disclosure shows %s\n", fault_reason( fault ) );

    /* An action the contract does not have, no default handler: an ActionNotSupported fault. */
    {
        WCHAR out[64];
        WsResetError( error );
        hr = call_echo( proxy, L"x", out, ARRAYSIZE(out), error );
        ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
        fault = get_fault( error );
        if (fault && fault->code)
        {
            ok( qname_is( &fault->code->value, "Sender", "http://www.w3.org/2003/05/soap-envelope" ),
                "got code %s\n", wine_dbgstr_an( (const char *)fault->code->value.localName.bytes,
                                                fault->code->value.localName.length ) );
            ok( fault->code->subCode && qname_is( &fault->code->subCode->value, "ActionNotSupported",
                                                  "http://www.w3.org/2005/08/addressing" ), "wrong subcode %s %s\n",
                fault->code->subCode ? wine_dbgstr_an( (const char *)fault->code->subCode->value.localName.bytes,
                                                       fault->code->subCode->value.localName.length ) : "(none)",
                fault->code->subCode ? wine_dbgstr_an( (const char *)fault->code->subCode->value.ns.bytes,
                                                       fault->code->subCode->value.ns.length ) : "" );
        }
        ok( fault_reason_contains( fault, L"http://example.org/host/Echo" ), "got reason %s\n", fault_reason( fault ) );
    }

    /* the session (or the HTTP endpoint) still serves */
    hr = call_add( proxy, 10, 20, &value, NULL );
    ok( hr == S_OK && value == 30, "got %#lx %d\n", hr, value );
    ok( g.add_calls == 2, "got %ld calls\n", g.add_calls );

    close_client( proxy );
    stop_host( &h );
    WsFreeHeap( heap );
    WsFreeError( error );
}

/* WS_FULL_FAULT_DISCLOSURE: the error string the operation added is the fault's reason. */
static void test_fault_disclosure( WS_CHANNEL_BINDING binding )
{
    WS_FAULT_DISCLOSURE full = WS_FULL_FAULT_DISCLOSURE, minimal = WS_MINIMAL_FAULT_DISCLOSURE;
    LANGID german = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
    WS_SERVICE_PROPERTY props[2] =
    {
        { WS_SERVICE_PROPERTY_FAULT_DISCLOSURE, &full, sizeof(full) },
        { WS_SERVICE_PROPERTY_FAULT_LANGID, &german, sizeof(german) },
    };
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    const WS_FAULT *fault;
    WS_ERROR *error;
    INT32 value;
    HRESULT hr;
    int i;

    WsCreateError( NULL, 0, &error );
    for (i = 0; i < 2; i++)
    {
        winetest_push_context( i ? "minimal" : "full" );
        reset_stats();
        memset( &h, 0, sizeof(h) );
        props[0].value = i ? (void *)&minimal : (void *)&full;
        add_endpoint( &h, binding, &calc_contract, 0 );
        if (!start_host( &h, props, 2 )) { winetest_pop_context(); break; }
        proxy = connect_client( binding, h.port[0] );
        WsResetError( error );
        hr = call_int( proxy, &fail_op, 1, &value, error );
        ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
        ok( g.fail_calls == 1, "got %ld calls\n", g.fail_calls );
        fault = get_fault( error );
        ok( fault && fault->reasonCount >= 1, "no reason\n" );
        if (i) ok( !fault_reason_contains( fault, fail_text ), "got %s\n", fault_reason( fault ) );
        else ok( fault_reason_contains( fault, fail_text ), "got %s\n", fault_reason( fault ) );
        /* WS_SERVICE_PROPERTY_FAULT_LANGID: the language of the fault's text */
        if (fault && fault->reasonCount >= 1)
            ok( fault->reasons[0].lang.length == 5 && !memcmp( fault->reasons[0].lang.chars, L"de-DE", 5 * sizeof(WCHAR) ),
                "got lang %s\n", wine_dbgstr_wn( fault->reasons[0].lang.chars, fault->reasons[0].lang.length ) );
        /* the fault did not end the session */
        hr = call_add( proxy, 1, 1, &value, NULL );
        ok( hr == S_OK && value == 2, "got %#lx %d\n", hr, value );
        close_client( proxy );
        stop_host( &h );
        winetest_pop_context();
    }
    WsFreeError( error );
}

/* One host, three endpoints: net.tcp duplex session, HTTP reply, UDP one-way. */
static void test_endpoints(void)
{
    struct host h = { 0 };
    WS_SERVICE_PROXY *tcp, *http;
    WS_ENDPOINT_ADDRESS address = { 0 };
    WS_CHANNEL *udp = NULL;
    WS_MESSAGE *msg = NULL;
    struct text_msg body = { (WCHAR *)L"over udp" };
    WCHAR url[128];
    INT32 value;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_endpoint( &h, WS_HTTP_CHANNEL_BINDING, &calc_contract, 0 );
    add_endpoint( &h, WS_UDP_CHANNEL_BINDING, &notify_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, NULL, 0 )) return;

    tcp = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    http = connect_client( WS_HTTP_CHANNEL_BINDING, h.port[1] );
    hr = call_add( tcp, 1, 2, &value, NULL );
    ok( hr == S_OK && value == 3, "got %#lx %d\n", hr, value );
    ok( g.channel_state == &sessions[0], "got %p\n", g.channel_state );
    hr = call_add( http, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    /* only the TCP endpoint has the callbacks */
    ok( !g.channel_state, "got %p\n", g.channel_state );
    hr = call_two( http, &mul_op, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 12, "got %#lx %d\n", hr, value );
    hr = call_two( tcp, &mul_op, 5, 4, &value, NULL );
    ok( hr == S_OK && value == 20, "got %#lx %d\n", hr, value );
    ok( g.add_calls == 2 && g.mul_calls == 2, "got %ld %ld\n", g.add_calls, g.mul_calls );
    ok( sessions[0].calls == 2, "got %ld\n", sessions[0].calls );

    /* UDP: a one-way message from a plain duplex channel */
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &udp, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    make_url( url, WS_UDP_CHANNEL_BINDING, L"localhost", h.port[2] );
    address.url.chars = url;
    address.url.length = wcslen( url );
    hr = WsOpenChannel( udp, &address, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( udp, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSendMessage( udp, msg, &notify_msg, WS_WRITE_REQUIRED_VALUE, &body, sizeof(body), NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( notify_event, 3000 ), "Notify not called\n" );
    ok( !wcscmp( g.notified, L"over udp" ), "got %s\n", wine_dbgstr_w( g.notified ) );
    WsFreeMessage( msg );
    WsCloseChannel( udp, NULL, NULL );
    WsFreeChannel( udp );

    close_client( tcp );
    close_client( http );
    stop_host( &h );
    ok( g.accepts == 1 && g.closes == 1, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
}

/* Default message handlers: for unknown actions beside a contract, and alone. */
static void test_default_handler(void)
{
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    WCHAR out[64];
    INT32 value;
    HRESULT hr;

    /* beside a contract: the contract's actions go to the operations, others to the handler */
    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_handler_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_echo( proxy, L"one", out, ARRAYSIZE(out), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !wcscmp( out, L"echo:one" ), "got %s\n", wine_dbgstr_w( out ) );
    ok( g.handler_calls == 1, "got %ld\n", g.handler_calls );
    ok( g.handler_heap_hr == S_OK, "got %#lx\n", g.handler_heap_hr );
    ok( g.handler_output_hr == E_INVALIDARG, "got %#lx\n", g.handler_output_hr );
    ok( g.handler_output == (WS_MESSAGE *)0xdeadbeef, "got %p\n", g.handler_output );
    ok( g.handler_host_state_hr == S_OK && g.handler_host_state == &host_marker, "got %#lx %p\n",
        g.handler_host_state_hr, g.handler_host_state );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    ok( g.add_calls == 1 && g.handler_calls == 1, "got %ld %ld\n", g.add_calls, g.handler_calls );
    hr = call_echo( proxy, L"two", out, ARRAYSIZE(out), NULL );
    ok( hr == S_OK && !wcscmp( out, L"echo:two" ), "got %#lx %s\n", hr, wine_dbgstr_w( out ) );
    close_client( proxy );
    ok_count( g.closes, 1, 3000 );

    /* the handler fails: no fault, the channel is aborted */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_echo( proxy, L"fail", out, ARRAYSIZE(out), NULL );
    ok( FAILED(hr) && hr != WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
    ok( g.handler_calls == 3, "got %ld\n", g.handler_calls );
    ok_count( g.closes, 2, 3000 );
    drop_client( proxy );
    stop_host( &h );
    ok( g.accepts == 2 && g.closes == 2, "got %ld accepts, %ld closes\n", g.accepts, g.closes );

    /* alone over net.tcp: every message goes to it; S_OK keeps the session */
    reset_stats();
    memset( &h, 0, sizeof(h) );
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &handler_only_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 1007, "got %#lx %d\n", hr, value );
    hr = call_echo( proxy, L"three", out, ARRAYSIZE(out), NULL );
    ok( hr == S_OK && !wcscmp( out, L"echo:three" ), "got %#lx %s\n", hr, wine_dbgstr_w( out ) );
    ok( g.handler_calls == 2 && g.add_calls == 0, "got %ld %ld\n", g.handler_calls, g.add_calls );
    ok( g.closes == 0, "got %ld closes\n", g.closes );
    /* WS_S_END: the reply goes out; the host expects nothing more on the
     * session, "if another WS_MESSAGE comes in then the server should abort
     * the channel" */
    g.handler_result = WS_S_END;
    hr = call_add( proxy, 1, 1, &value, NULL );
    ok( hr == S_OK && value == 1002, "got %#lx %d\n", hr, value );
    g.handler_result = S_OK;
    hr = call_add( proxy, 1, 1, &value, NULL );
    ok( FAILED(hr), "the session went on: %#lx\n", hr );
    ok( g.handler_calls == 3, "got %ld\n", g.handler_calls );
    ok_count( g.closes, 1, 3000 );
    drop_client( proxy );
    /* a new session is served */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_echo( proxy, L"four", out, ARRAYSIZE(out), NULL );
    ok( hr == S_OK && !wcscmp( out, L"echo:four" ), "got %#lx %s\n", hr, wine_dbgstr_w( out ) );
    close_client( proxy );
    stop_host( &h );
    ok( g.accepts == 2 && g.closes == 2, "got %ld accepts, %ld closes\n", g.accepts, g.closes );

    /* alone over HTTP, returning WS_S_END as UnTypedServiceExample does */
    reset_stats();
    memset( &h, 0, sizeof(h) );
    add_endpoint( &h, WS_HTTP_CHANNEL_BINDING, &handler_only_contract, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    g.handler_result = WS_S_END;
    proxy = connect_client( WS_HTTP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 1007, "got %#lx %d\n", hr, value );
    hr = call_echo( proxy, L"five", out, ARRAYSIZE(out), NULL );
    ok( hr == S_OK && !wcscmp( out, L"echo:five" ), "got %#lx %s\n", hr, wine_dbgstr_w( out ) );
    hr = call_add( proxy, 5, 5, &value, NULL );
    ok( hr == S_OK && value == 1010, "got %#lx %d\n", hr, value );
    ok( g.handler_calls == 3, "got %ld\n", g.handler_calls );
    close_client( proxy );
    stop_host( &h );
}

/* Accept and close channel callbacks: one each per session, the channel state in between. */
static void test_channel_callbacks(void)
{
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxies[3], *proxy;
    void *seen[3];
    INT32 value;
    HRESULT hr;
    int i, j;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    /* only clients that connect are accepted */
    Sleep( 50 );
    ok( g.accepts == 0 && g.closes == 0, "got %ld accepts, %ld closes\n", g.accepts, g.closes );

    /* three sessions at once, each with its own state */
    for (i = 0; i < 3; i++) proxies[i] = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    for (i = 0; i < 3; i++)
    {
        hr = call_add( proxies[i], i, 1, &value, NULL );
        ok( hr == S_OK && value == i + 1, "got %#lx %d\n", hr, value );
        ok( g.channel_state_hr == S_OK, "got %#lx\n", g.channel_state_hr );
        seen[i] = g.channel_state;
        ok( seen[i] == &sessions[0] || seen[i] == &sessions[1] || seen[i] == &sessions[2], "got %p\n", seen[i] );
        for (j = 0; j < i; j++) ok( seen[i] != seen[j], "sessions %d and %d share %p\n", j, i, seen[i] );
        /* the same state for every call of the session */
        hr = call_add( proxies[i], 1, 1, &value, NULL );
        ok( hr == S_OK && g.channel_state == seen[i], "got %#lx %p\n", hr, g.channel_state );
    }
    ok( g.accepts == 3, "got %ld accepts\n", g.accepts );
    ok( g.closes == 0, "got %ld closes\n", g.closes );
    ok( g.accept_host_state_hr == S_OK && g.accept_host_state == &host_marker, "got %#lx %p\n",
        g.accept_host_state_hr, g.accept_host_state );
    /* the accept callback is what sets the channel state */
    ok( g.accept_channel_state_hr == E_INVALIDARG, "got %#lx\n", g.accept_channel_state_hr );
    ok( g.accept_channel_hr == S_OK, "got %#lx\n", g.accept_channel_hr );
    for (i = 0; i < 3; i++) ok( sessions[i].calls == 2, "session %d: %ld calls\n", i, sessions[i].calls );

    /* the client closes: the close callback runs once, with the session's state */
    close_client( proxies[1] );
    ok_count( g.closes, 1, 3000 );
    ok( g.closed_state[0] == seen[1], "got %p, expected %p\n", g.closed_state[0], seen[1] );
    ok( g.close_channel_state_hr == S_OK, "got %#lx\n", g.close_channel_state_hr );
    ok( g.close_input_hr == E_INVALIDARG, "got %#lx\n", g.close_input_hr );
    ok( g.close_input == (WS_MESSAGE *)0xdeadbeef, "got %p\n", g.close_input );
    close_client( proxies[0] );
    close_client( proxies[2] );
    ok_count( g.closes, 3, 3000 );
    ok( (g.closed_state[1] == seen[0] && g.closed_state[2] == seen[2]) ||
        (g.closed_state[1] == seen[2] && g.closed_state[2] == seen[0]), "got %p %p\n", g.closed_state[1],
        g.closed_state[2] );

    /* the accept callback fails: the channel is aborted, the close callback still runs once */
    g.accept_fail_next = 1;
    hr = open_client( WS_TCP_CHANNEL_BINDING, h.port[0], &proxy );
    if (hr == S_OK)
    {
        hr = call_add( proxy, 1, 2, &value, NULL );
        ok( FAILED(hr), "call on a refused channel got %#lx\n", hr );
    }
    drop_client( proxy );
    ok_count( g.closes, 4, 3000 );
    ok( g.accepts == 4, "got %ld accepts\n", g.accepts );
    ok( g.add_calls == 6, "got %ld calls\n", g.add_calls );

    /* an accept callback that completes asynchronously: the state it stores later is the session's */
    g.accept_async = 1;
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 5, 5, &value, NULL );
    g.accept_async = 0;
    if (!g.accept_async_started) skip( "the host gave the accept callback no async context\n" );
    else
    {
        ok( hr == S_OK && value == 10, "got %#lx %d\n", hr, value );
        ok( g.channel_state == &sessions[4], "got %p, expected %p\n", g.channel_state, &sessions[4] );
    }
    close_client( proxy );
    ok_count( g.closes, 5, 3000 );
    /* and fails asynchronously: aborted, closed once */
    g.accept_async = 2;
    hr = open_client( WS_TCP_CHANNEL_BINDING, h.port[0], &proxy );
    if (hr == S_OK)
    {
        hr = call_add( proxy, 1, 2, &value, NULL );
        ok( FAILED(hr) || !g.accept_async_started, "call on a refused channel got %#lx\n", hr );
    }
    drop_client( proxy );
    ok_count( g.closes, 6, 3000 );
    g.accept_async = 0;
    ok( g.accepts == 6, "got %ld accepts\n", g.accepts );

    /* the endpoint goes on accepting */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 2, 2, &value, NULL );
    ok( hr == S_OK && value == 4, "got %#lx %d\n", hr, value );
    ok( g.accepts == 7 && g.closes == 6, "got %ld accepts, %ld closes\n", g.accepts, g.closes );

    /* the host is aborted with a session open: its close callback runs, the session is gone */
    hr = WsAbortServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_FAULTED, "got %d\n", host_state( h.host ) );
    ok_count( g.closes, 7, 3000 );
    hr = call_add( proxy, 2, 2, &value, NULL );
    ok( FAILED(hr), "call after host abort got %#lx\n", hr );
    drop_client( proxy );
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    /* exactly one close per accepted channel, none for channels that were never accepted */
    ok( g.accepts == 7 && g.closes == 7, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
    WsFreeServiceHost( h.host );
}

static void test_authorization(void)
{
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    INT32 value;
    HRESULT hr;
    int mode;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 0 );
    h.ep[0].authorizationCallback = authorize;
    add_endpoint( &h, WS_HTTP_CHANNEL_BINDING, &calc_contract, 0 );
    h.ep[1].authorizationCallback = authorize;
    if (!start_host( &h, NULL, 0 )) return;

    /* authorized: called for every message, with its headers read */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    hr = call_add( proxy, 3, 5, &value, NULL );
    ok( hr == S_OK && value == 8, "got %#lx %d\n", hr, value );
    ok( g.auth_calls == 2, "got %ld\n", g.auth_calls );
    ok( g.auth_input_hr == S_OK && g.auth_input, "got %#lx %p\n", g.auth_input_hr, g.auth_input );
    ok( g.add_calls == 2, "got %ld\n", g.add_calls );

    /* not authorized, or the callback fails: the operation is not called, the channel is aborted */
    for (mode = 1; mode <= 2; mode++)
    {
        LONG calls = g.add_calls;

        winetest_push_context( "mode %d", mode );
        g.auth_mode = mode;
        hr = call_add( proxy, 1, 1, &value, NULL );
        ok( FAILED(hr), "got %#lx\n", hr );
        ok( g.add_calls == calls, "got %ld\n", g.add_calls );
        ok_count( g.closes, mode, 3000 );
        drop_client( proxy );
        g.auth_mode = 0;
        proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
        hr = call_add( proxy, 1, 1, &value, NULL );
        ok( hr == S_OK && value == 2, "got %#lx %d\n", hr, value );
        ok( g.add_calls == calls + 1, "got %ld\n", g.add_calls );
        winetest_pop_context();
    }
    close_client( proxy );

    /* HTTP */
    g.auth_calls = 0;
    proxy = connect_client( WS_HTTP_CHANNEL_BINDING, h.port[1] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    ok( g.auth_calls == 1, "got %ld\n", g.auth_calls );
    g.auth_mode = 1;
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( FAILED(hr), "got %#lx\n", hr );
    ok( g.auth_calls == 2, "got %ld\n", g.auth_calls );
    g.auth_mode = 0;
    drop_client( proxy );
    proxy = connect_client( WS_HTTP_CHANNEL_BINDING, h.port[1] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    close_client( proxy );
    ok( g.add_calls == 6, "got %ld\n", g.add_calls );
    stop_host( &h );
    ok( g.accepts == g.closes, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
}

/* A raw net.tcp session: requests go out without waiting for replies
 * (our proxy runs one exchange at a time on a session). */
static WS_CHANNEL *open_session( USHORT port )
{
    WS_ENDPOINT_ADDRESS address = { 0 };
    WS_CHANNEL *channel = NULL;
    WCHAR url[128];
    HRESULT hr;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return NULL;
    make_url( url, WS_TCP_CHANNEL_BINDING, L"localhost", port );
    address.url.chars = url;
    address.url.length = wcslen( url );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeChannel( channel );
        return NULL;
    }
    return channel;
}

/* Sends a Hold request (with a MessageID, so the reply can relate to it). */
static HRESULT send_hold( WS_CHANNEL *channel, INT32 value )
{
    struct int_in in = { value };
    WS_MESSAGE *msg;
    HRESULT hr;

    if ((hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL ))) return hr;
    hr = WsInitializeMessage( msg, WS_REQUEST_MESSAGE, NULL, NULL );
    if (hr == S_OK)
        hr = WsSendMessage( channel, msg, &hold_in_msg, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in), NULL, NULL );
    WsFreeMessage( msg );
    return hr;
}

static HRESULT receive_hold( WS_CHANNEL *channel, INT32 *result )
{
    const WS_MESSAGE_DESCRIPTION *descs[] = { &hold_out_msg };
    struct add_out out = { 0 };
    WS_MESSAGE *msg;
    WS_HEAP *heap;
    HRESULT hr;

    if ((hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL ))) return hr;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsReceiveMessage( channel, msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, heap, &out,
                           sizeof(out), NULL, NULL, NULL );
    *result = out.result;
    WsFreeHeap( heap );
    WsFreeMessage( msg );
    return hr;
}

/* MAX_CONCURRENCY: requests on one session served at once, counted inside the operation. */
static void test_concurrency(void)
{
    static const ULONG limits[] = { 1, 4 };
    struct host h;
    WS_CHANNEL *channel;
    ULONG limit, k, seen;
    INT32 result;
    int i, n;
    HRESULT hr;

    for (k = 0; k < ARRAYSIZE(limits); k++)
    {
        limit = limits[k];
        n = limit == 1 ? 2 : 4;
        winetest_push_context( "max %lu", limit );
        reset_stats();
        memset( &h, 0, sizeof(h) );
        add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
        add_prop( &h, 0, WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &limit, sizeof(limit) );
        if (!start_host( &h, NULL, 0 )) { winetest_pop_context(); return; }
        if (!(channel = open_session( h.port[0] )))
        {
            stop_host( &h );
            winetest_pop_context();
            return;
        }
        for (i = 0; i < n; i++)
        {
            hr = send_hold( channel, 100 + i );
            ok( hr == S_OK, "send %d got %#lx\n", i, hr );
        }
        if (limit == 1)
        {
            ok( !WaitForSingleObject( entered_event, 3000 ), "no call started\n" );
            /* give the second call every chance to start (it must not) */
            Sleep( 300 );
            ok( g.entered == 1, "%ld calls inside\n", g.entered );
        }
        else ok_count( g.entered, n, 5000 );
        SetEvent( release_event );
        /* every reply, in any order */
        seen = 0;
        for (i = 0; i < n; i++)
        {
            result = 0;
            hr = receive_hold( channel, &result );
            ok( hr == S_OK, "receive %d got %#lx\n", i, hr );
            ok( result >= 101 && result < 101 + n, "got %d\n", result );
            if (result >= 101 && result < 101 + n) seen |= 1u << (result - 101);
        }
        ok( seen == (1u << n) - 1, "got replies %#lx\n", seen );
        ok( g.hold_calls == n, "got %ld calls\n", g.hold_calls );
        ok( g.max_running == (LONG)limit, "got %ld at once\n", g.max_running );
        hr = WsCloseChannel( channel, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        WsFreeChannel( channel );
        stop_host( &h );
        winetest_pop_context();
    }
}

/* A request header marked mustUnderstand that nobody reads. */
static WS_XML_STRING token_local = XS( "Token" );
static WS_ELEMENT_DESCRIPTION token_header = { &token_local, &ns, WS_INT32_TYPE, NULL };

static HRESULT CALLBACK add_must_understand( WS_MESSAGE *message, WS_HEAP *heap, void *state, WS_ERROR *error )
{
    INT32 token = 42;
    (void)heap; (void)state;
    return WsAddCustomHeader( message, &token_header, WS_WRITE_REQUIRED_VALUE, &token, sizeof(token),
                              WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE, error );
}

static HRESULT call_add_must_understand( WS_SERVICE_PROXY *proxy, INT32 *result )
{
    WS_PROXY_MESSAGE_CALLBACK_CONTEXT send_ctx = { add_must_understand, NULL };
    WS_CALL_PROPERTY prop = { WS_CALL_PROPERTY_SEND_MESSAGE_CONTEXT, &send_ctx, sizeof(send_ctx) };
    INT32 a = 2, b = 3, *presult = result;
    const void *args[] = { &a, &b, &presult };
    WS_HEAP *heap;
    HRESULT hr;

    if (!proxy) return E_POINTER;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCall( proxy, &add_op, args, heap, &prop, 1, NULL, NULL );
    WsFreeHeap( heap );
    return hr;
}

/* WS_SERVICE_ENDPOINT_PROPERTY_CHECK_MUST_UNDERSTAND: TRUE by default. */
static void test_must_understand(void)
{
    BOOL check = FALSE;
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    INT32 value;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_prop( &h, 1, WS_SERVICE_ENDPOINT_PROPERTY_CHECK_MUST_UNDERSTAND, &check, sizeof(check) );
    if (!start_host( &h, NULL, 0 )) return;

    /* checked: the request is refused, the operation never runs */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    value = 0;
    hr = call_add_must_understand( proxy, &value );
    ok( FAILED(hr), "got %#lx %d\n", hr, value );
    ok( g.add_calls == 0, "got %ld calls\n", g.add_calls );
    drop_client( proxy );

    /* not checked */
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[1] );
    value = 0;
    hr = call_add_must_understand( proxy, &value );
    ok( hr == S_OK && value == 5, "got %#lx %d\n", hr, value );
    ok( g.add_calls == 1, "got %ld calls\n", g.add_calls );
    close_client( proxy );
    stop_host( &h );
}

/* Calls in progress: "pending I/O on channels that were already accepted is
 * allowed to complete" by a close; after an abort "the runtime still waits
 * for the call to complete" (the close that follows does). */
static void test_pending_calls(void)
{
    struct host_call_args close_args = { 0 }, abort_args = { 0 };
    struct hold_call call = { 0 };
    struct host h = { 0 };
    HANDLE call_thread, close, abort;
    INT32 value;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, WS_HTTP_CHANNEL_BINDING, &calc_contract, 0 );
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 1 );
    if (!start_host( &h, NULL, 0 )) return;
    WsCreateError( NULL, 0, &call.error );

    /* HTTP: the close waits for the call, which completes normally */
    call.proxy = connect_client( WS_HTTP_CHANNEL_BINDING, h.port[0] );
    call.value = 1;
    call.hr = E_PENDING;
    call_thread = CreateThread( NULL, 0, hold_thread, &call, 0, NULL );
    ok( !WaitForSingleObject( entered_event, 3000 ), "Hold not called\n" );
    close_args.host = h.host;
    close = CreateThread( NULL, 0, host_close_thread, &close_args, 0, NULL );
    ok( WaitForSingleObject( close, 300 ) == WAIT_TIMEOUT, "close did not wait for the call\n" );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSING, "got %d\n", host_state( h.host ) );
    SetEvent( release_event );
    ok( !WaitForSingleObject( call_thread, 3000 ), "call did not end\n" );
    ok( call.hr == S_OK && call.result == 2, "got %#lx %d (%s)\n", call.hr, call.result, error_text( call.error ) );
    ok( !WaitForSingleObject( close, 3000 ), "close did not end\n" );
    ok( close_args.hr == S_OK, "got %#lx\n", close_args.hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    CloseHandle( call_thread );
    CloseHandle( close );
    drop_client( call.proxy );

    /* net.tcp: abort with a call in the operation; the abort returns, the close waits for the call */
    ResetEvent( release_event );
    ResetEvent( entered_event );
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    call.proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[1] );
    hr = call_add( call.proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    call.value = 5;
    call.hr = E_PENDING;
    call_thread = CreateThread( NULL, 0, hold_thread, &call, 0, NULL );
    ok( !WaitForSingleObject( entered_event, 3000 ), "Hold not called\n" );
    abort_args.host = h.host;
    abort_args.abort = TRUE;
    abort = CreateThread( NULL, 0, host_close_thread, &abort_args, 0, NULL );
    ok( !WaitForSingleObject( abort, 2000 ), "abort waited for the call\n" );
    ok( abort_args.hr == S_OK, "got %#lx\n", abort_args.hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_FAULTED, "got %d\n", host_state( h.host ) );
    /* "All listeners are aborted, so no new channels are accepted": a new
     * client is refused, it does not hang until its own timeout */
    {
        WS_SERVICE_PROXY *late;
        DWORD start = GetTickCount();
        hr = open_client( WS_TCP_CHANNEL_BINDING, h.port[1], &late );
        ok( FAILED(hr), "a client connected to an aborted host: %#lx\n", hr );
        ok( GetTickCount() - start < 5000, "the client waited %lu ms\n", GetTickCount() - start );
        if (SUCCEEDED(hr)) drop_client( late );
    }
    close = CreateThread( NULL, 0, host_close_thread, &close_args, 0, NULL );
    ok( WaitForSingleObject( close, 300 ) == WAIT_TIMEOUT, "close did not wait for the call\n" );
    ok( g.hold_calls == 2 && g.running == 1, "got %ld calls, %ld running\n", g.hold_calls, g.running );
    SetEvent( release_event );
    ok( !WaitForSingleObject( close, 3000 ), "close did not end\n" );
    ok( close_args.hr == S_OK, "got %#lx\n", close_args.hr );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    ok( !WaitForSingleObject( call_thread, 3000 ), "call did not end\n" );
    /* the channel was aborted: no reply */
    ok( FAILED(call.hr), "got %#lx %d\n", call.hr, call.result );
    ok( g.accepts == 1 && g.closes == 1, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
    CloseHandle( call_thread );
    CloseHandle( abort );
    CloseHandle( close );
    drop_client( call.proxy );
    WsFreeServiceHost( h.host );
    WsFreeError( call.error );
}

/* WsFreeServiceHost on a host still open (the docs want a close first):
 * no crash, the sessions end and their close callbacks run. */
static void test_free_open(void)
{
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    INT32 value;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    WsFreeServiceHost( h.host );
    ok( g.accepts == 1 && g.closes == 1, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( FAILED(hr), "got %#lx\n", hr );
    drop_client( proxy );
}

/* WS_SERVICE_PROPERTY_CLOSE_TIMEOUT: a session client that stays makes the close time out. */
static void test_close_timeout(void)
{
    ULONG timeout = 300;
    WS_SERVICE_PROPERTY prop = { WS_SERVICE_PROPERTY_CLOSE_TIMEOUT, &timeout, sizeof(timeout) };
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    DWORD start, elapsed;
    INT32 value;
    HRESULT hr;

    reset_stats();
    add_endpoint( &h, WS_TCP_CHANNEL_BINDING, &calc_contract, 0 );
    add_channel_callbacks( &h, 0 );
    if (!start_host( &h, &prop, 1 )) return;
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );

    start = GetTickCount();
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    elapsed = GetTickCount() - start;
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    ok( elapsed >= 250 && elapsed < 2000, "took %lu ms\n", elapsed );
    ok( host_state( h.host ) == WS_SERVICE_HOST_STATE_CLOSED, "got %d\n", host_state( h.host ) );
    /* the host aborted itself: the session is gone, its close callback ran */
    ok( g.accepts == 1 && g.closes == 1, "got %ld accepts, %ld closes\n", g.accepts, g.closes );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( FAILED(hr), "got %#lx\n", hr );
    drop_client( proxy );

    /* reset and reuse: a client that leaves in time lets the close succeed */
    hr = WsResetServiceHost( h.host, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenServiceHost( h.host, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    proxy = connect_client( WS_TCP_CHANNEL_BINDING, h.port[0] );
    hr = call_add( proxy, 3, 4, &value, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    close_client( proxy );
    ok_count( g.closes, 2, 3000 );
    start = GetTickCount();
    hr = WsCloseServiceHost( h.host, NULL, NULL );
    elapsed = GetTickCount() - start;
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( elapsed < 2000, "took %lu ms\n", elapsed );
    WsFreeServiceHost( h.host );
}

static void test_endpoint_from_template(void)
{
    ULONG concurrency = 2, buffered = 1 << 17;
    WS_SERVICE_ENDPOINT_PROPERTY ep_prop = { WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, &concurrency, sizeof(concurrency) };
    WS_CHANNEL_PROPERTY channel_prop = { WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, &buffered, sizeof(buffered) };
    WS_TCP_BINDING_TEMPLATE tcp_template = { { &channel_prop, 1 } };
    WS_TCP_POLICY_DESCRIPTION tcp_desc = { { NULL, 0 } };
    WS_HTTP_POLICY_DESCRIPTION http_desc = { { NULL, 0 } };
    WS_SERVICE_ENDPOINT *tcp_ep = NULL, *http_ep = NULL, *ep;
    const WS_SERVICE_ENDPOINT *eps[2];
    USHORT tcp_port = next_port(), http_port = next_port();
    WCHAR tcp_url[128], http_url[128];
    WS_STRING tcp_str, http_str;
    WS_SERVICE_HOST *host = NULL;
    WS_SERVICE_PROXY *proxy;
    WS_ERROR *error;
    WS_HEAP *heap;
    ULONG count;
    INT32 value;
    HRESULT hr;

    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    WsCreateError( NULL, 0, &error );
    make_url( tcp_url, WS_TCP_CHANNEL_BINDING, listen_host( WS_TCP_CHANNEL_BINDING ), tcp_port );
    tcp_str.chars = tcp_url;
    tcp_str.length = wcslen( tcp_url );
    make_url( http_url, WS_HTTP_CHANNEL_BINDING, listen_host( WS_HTTP_CHANNEL_BINDING ), http_port );
    http_str.chars = http_url;
    http_str.length = wcslen( http_url );

    /* invalid arguments */
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_REPLY, NULL, 0, &http_str, &calc_contract, NULL, NULL,
                                              WS_HTTP_BINDING_TEMPLATE_TYPE, NULL, 0, &http_desc, sizeof(http_desc),
                                              &ep, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_REPLY, NULL, 0, &http_str, NULL, NULL, heap,
                                              WS_HTTP_BINDING_TEMPLATE_TYPE, NULL, 0, &http_desc, sizeof(http_desc),
                                              &ep, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_REPLY, NULL, 0, &http_str, &calc_contract, NULL, heap,
                                              WS_HTTP_BINDING_TEMPLATE_TYPE, NULL, 0, &http_desc, sizeof(http_desc),
                                              NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, &tcp_str, &calc_contract, NULL,
                                              heap, WS_TCP_BINDING_TEMPLATE_TYPE, &tcp_template,
                                              sizeof(tcp_template) - 1, &tcp_desc, sizeof(tcp_desc), &ep, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, &tcp_str, &calc_contract, NULL,
                                              heap, WS_TCP_BINDING_TEMPLATE_TYPE, NULL, 0, &tcp_desc,
                                              sizeof(tcp_desc) + 1, &ep, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, &tcp_str, &calc_contract, NULL,
                                              heap, 1000, NULL, 0, NULL, 0, &ep, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* HTTP endpoints are reply channels */
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, &http_str, &calc_contract, NULL,
                                              heap, WS_HTTP_BINDING_TEMPLATE_TYPE, NULL, 0, NULL, 0, &ep, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Our DLL has no channel security: a security template says so. */
    if (get_private_api())
    {
        WS_HTTP_SSL_POLICY_DESCRIPTION ssl_desc;
        memset( &ssl_desc, 0, sizeof(ssl_desc) );
        ep = NULL;
        hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_REPLY, NULL, 0, &http_str, &calc_contract, NULL, heap,
                                                  WS_HTTP_SSL_BINDING_TEMPLATE_TYPE, NULL, 0, &ssl_desc,
                                                  sizeof(ssl_desc), &ep, error );
        ok( hr == E_NOTIMPL, "got %#lx\n", hr );
        ok( !ep, "got %p\n", ep );
        count = 0;
        WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
        ok( count >= 1, "got %lu strings\n", count );
    }

    /* HTTP, NULL template value (a zero template), NULL description */
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_REPLY, NULL, 0, &http_str, &calc_contract, NULL, heap,
                                              WS_HTTP_BINDING_TEMPLATE_TYPE, NULL, 0, NULL, 0, &http_ep, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (http_ep)
    {
        ok( http_ep->channelBinding == WS_HTTP_CHANNEL_BINDING, "got %d\n", http_ep->channelBinding );
        ok( http_ep->channelType == WS_CHANNEL_TYPE_REPLY, "got %#x\n", http_ep->channelType );
        ok( http_ep->address.url.length == http_str.length &&
            !memcmp( http_ep->address.url.chars, http_url, http_str.length * sizeof(WCHAR) ), "got %s\n",
            wine_dbgstr_wn( http_ep->address.url.chars, http_ep->address.url.length ) );
        ok( http_ep->contract == &calc_contract, "got %p\n", http_ep->contract );
        ok( !http_ep->securityDescription, "got %p\n", http_ep->securityDescription );
        ok( !http_ep->authorizationCallback, "got %p\n", http_ep->authorizationCallback );
        ok( !http_ep->propertyCount, "got %lu\n", http_ep->propertyCount );
        ok( !http_ep->channelProperties.propertyCount, "got %lu\n", http_ep->channelProperties.propertyCount );
    }

    /* TCP with the template's channel properties, endpoint properties and an authorization callback */
    hr = WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, &ep_prop, 1, &tcp_str, &calc_contract,
                                              authorize, heap, WS_TCP_BINDING_TEMPLATE_TYPE, &tcp_template,
                                              sizeof(tcp_template), &tcp_desc, sizeof(tcp_desc), &tcp_ep, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (tcp_ep)
    {
        ok( tcp_ep->channelBinding == WS_TCP_CHANNEL_BINDING, "got %d\n", tcp_ep->channelBinding );
        ok( tcp_ep->channelType == WS_CHANNEL_TYPE_DUPLEX_SESSION, "got %#x\n", tcp_ep->channelType );
        ok( tcp_ep->address.url.length == tcp_str.length &&
            !memcmp( tcp_ep->address.url.chars, tcp_url, tcp_str.length * sizeof(WCHAR) ), "got %s\n",
            wine_dbgstr_wn( tcp_ep->address.url.chars, tcp_ep->address.url.length ) );
        ok( tcp_ep->contract == &calc_contract, "got %p\n", tcp_ep->contract );
        ok( tcp_ep->authorizationCallback == authorize, "got %p\n", tcp_ep->authorizationCallback );
        ok( tcp_ep->propertyCount == 1, "got %lu\n", tcp_ep->propertyCount );
        if (tcp_ep->propertyCount == 1)
            ok( tcp_ep->properties[0].id == WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY &&
                tcp_ep->properties[0].valueSize == sizeof(ULONG) && *(ULONG *)tcp_ep->properties[0].value == 2,
                "got %d %lu\n", tcp_ep->properties[0].id, tcp_ep->properties[0].valueSize );
        ok( tcp_ep->channelProperties.propertyCount == 1, "got %lu\n", tcp_ep->channelProperties.propertyCount );
        if (tcp_ep->channelProperties.propertyCount == 1)
            ok( tcp_ep->channelProperties.properties[0].id == WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE &&
                tcp_ep->channelProperties.properties[0].valueSize == sizeof(ULONG) &&
                *(ULONG *)tcp_ep->channelProperties.properties[0].value == buffered, "got %d\n",
                tcp_ep->channelProperties.properties[0].id );
    }

    /* the endpoints serve */
    if (tcp_ep && http_ep)
    {
        /* the copies do not depend on the caller's buffers */
        tcp_url[0] = http_url[0] = 'X';
        concurrency = 7;
        reset_stats();
        eps[0] = tcp_ep;
        eps[1] = http_ep;
        hr = WsCreateServiceHost( eps, 2, NULL, 0, &host, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsOpenServiceHost( host, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        proxy = connect_client( WS_TCP_CHANNEL_BINDING, tcp_port );
        hr = call_add( proxy, 3, 4, &value, NULL );
        ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
        ok( g.auth_calls == 1, "got %ld\n", g.auth_calls );
        close_client( proxy );
        proxy = connect_client( WS_HTTP_CHANNEL_BINDING, http_port );
        hr = call_two( proxy, &mul_op, 3, 4, &value, NULL );
        ok( hr == S_OK && value == 12, "got %#lx %d\n", hr, value );
        ok( g.auth_calls == 1, "got %ld\n", g.auth_calls );
        close_client( proxy );
        hr = WsCloseServiceHost( host, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        WsFreeServiceHost( host );
    }
    WsFreeError( error );
    WsFreeHeap( heap );
}

/* Runs a test and reports how long it took (the suite should stay well under a minute). */
#define TIMED( call ) \
    do { DWORD start_ = GetTickCount(); call; \
         if (winetest_debug > 1) trace( "%s: %lu ms\n", #call, GetTickCount() - start_ ); } while (0)

/* WS_PARAMETER_TYPE_MESSAGES: the parameter is the body element as a whole
 * ("a WSDL message element"), here an int body in and a nillable struct body
 * out (WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT: the value is a pointer,
 * NULL for a nil element), through our proxy and our host. */
static WS_XML_STRING number_local = XS( "Number" ), square_local = XS( "SquareResult" );
static WS_XML_STRING square_action = XS( "http://example.org/host/Square" );
static WS_XML_STRING square_resp_action = XS( "http://example.org/host/SquareResponse" );
static WS_XML_STRING sq_value_local = XS( "value" ), sq_text_local = XS( "text" );
struct square_result { INT32 value; WCHAR *text; };
static WS_FIELD_DESCRIPTION square_value_field = { WS_ELEMENT_FIELD_MAPPING, &sq_value_local, &ns, WS_INT32_TYPE, NULL,
                                                    offsetof(struct square_result, value) };
static WS_FIELD_DESCRIPTION square_text_field = { WS_ELEMENT_FIELD_MAPPING, &sq_text_local, &ns, WS_WSZ_TYPE, NULL,
                                                   offsetof(struct square_result, text) };
static WS_FIELD_DESCRIPTION *square_fields[] = { &square_value_field, &square_text_field };
static WS_STRUCT_DESCRIPTION square_struct = { sizeof(struct square_result), __alignof__(struct square_result),
                                               square_fields, 2, &square_local, &ns };
static WS_ELEMENT_DESCRIPTION number_elem = { &number_local, &ns, WS_INT32_TYPE, NULL };
static WS_ELEMENT_DESCRIPTION square_elem = { &square_local, &ns, WS_STRUCT_TYPE, &square_struct };
static WS_MESSAGE_DESCRIPTION square_in_msg = { &square_action, &number_elem };
static WS_MESSAGE_DESCRIPTION square_out_msg = { &square_resp_action, &square_elem };
static WS_PARAMETER_DESCRIPTION square_params[] =
{
    { WS_PARAMETER_TYPE_MESSAGES, 0, 0xffff },
    { WS_PARAMETER_TYPE_MESSAGES, 0xffff, 0 },
};
struct square_frame { INT32 number; struct square_result *result; };
typedef HRESULT (CALLBACK *square_func)( const WS_OPERATION_CONTEXT *, INT32, struct square_result **,
                                         const WS_ASYNC_CONTEXT *, WS_ERROR * );
static HRESULT CALLBACK square_stub( const WS_OPERATION_CONTEXT *context, void *frame, const void *callback,
                                     const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct square_frame *f = frame;
    return ((square_func)callback)( context, f->number, &f->result, async, error );
}
static HRESULT CALLBACK square_op( const WS_OPERATION_CONTEXT *context, INT32 number, struct square_result **result,
                                   const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    WS_HEAP *heap;
    HRESULT hr;

    (void)async; (void)error;
    ok( *result == NULL, "out value not zeroed\n" );
    if (number < 0) return S_OK;   /* a nil result */
    hr = WsGetOperationContextProperty( context, WS_OPERATION_CONTEXT_PROPERTY_HEAP, &heap, sizeof(heap), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAlloc( heap, sizeof(**result), (void **)result, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    (*result)->value = number * number;
    (*result)->text = (WCHAR *)L"squared";
    return S_OK;
}
static WS_OPERATION_DESCRIPTION square_host_op = { 1, &square_in_msg, &square_out_msg, 0,
                                                   WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT, 2, square_params,
                                                   square_stub, WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION *square_ops[] = { &square_host_op };
static const WS_CONTRACT_DESCRIPTION square_desc = { 1, square_ops };
static const void *square_table[] = { (const void *)square_op };
static const WS_SERVICE_CONTRACT square_contract = { &square_desc, NULL, square_table };

static HRESULT call_square( WS_SERVICE_PROXY *proxy, WS_OPERATION_DESCRIPTION *op, INT32 number,
                            struct square_result **result, WS_HEAP *heap )
{
    struct square_result **presult = result;
    const void *args[] = { &number, &presult };
    *result = (struct square_result *)0xdeadbeef;
    return WsCall( proxy, op, args, heap, NULL, 0, NULL, NULL );
}

static void test_message_parameters( WS_CHANNEL_BINDING binding )
{
    WS_OPERATION_DESCRIPTION client_op = square_host_op, bad;
    struct square_result *result;
    struct host h = { 0 };
    WS_SERVICE_PROXY *proxy;
    WS_SERVICE_HOST *host;
    WS_HEAP *heap;
    HRESULT hr;

    client_op.stubCallback = NULL;
    /* NILLABLE_ELEMENT needs a message parameter and is not for RPC operations */
    bad = square_host_op;
    bad.style = WS_RPC_LITERAL_OPERATION;
    memset( &h, 0, sizeof(h) );
    {
        WS_OPERATION_DESCRIPTION *bad_ops[] = { &bad };
        WS_CONTRACT_DESCRIPTION bad_desc = { 1, bad_ops };
        WS_SERVICE_CONTRACT bad_contract = { &bad_desc, NULL, square_table };
        add_endpoint( &h, binding, &bad_contract, 0 );
        hr = WsCreateServiceHost( h.eps, 1, NULL, 0, &host, NULL );
        ok( hr == E_INVALIDARG, "RPC with NILLABLE_ELEMENT: got %#lx\n", hr );
        bad = square_host_op;
        bad.inputMessageOptions = WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT;
        bad.parameterDescription = (WS_PARAMETER_DESCRIPTION[]){ { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
                                                                  { WS_PARAMETER_TYPE_MESSAGES, 0xffff, 0 } };
        hr = WsCreateServiceHost( h.eps, 1, NULL, 0, &host, NULL );
        ok( hr == E_INVALIDARG, "NILLABLE_ELEMENT without a message parameter: got %#lx\n", hr );
    }

    memset( &h, 0, sizeof(h) );
    add_endpoint( &h, binding, &square_contract, 0 );
    if (!start_host( &h, NULL, 0 )) return;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    if ((proxy = connect_client( binding, h.port[0] )))
    {
        hr = call_square( proxy, &client_op, 12, &result, heap );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( result && result != (void *)0xdeadbeef, "got %p\n", result );
        if (result && result != (void *)0xdeadbeef)
        {
            ok( result->value == 144, "got %d\n", result->value );
            ok( result->text && !wcscmp( result->text, L"squared" ), "got %s\n", wine_dbgstr_w( result->text ) );
        }
        hr = call_square( proxy, &client_op, -1, &result, heap );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( result == NULL, "nil result: got %p\n", result );
        close_client( proxy );
    }
    WsFreeHeap( heap );
    stop_host( &h );
}

START_TEST(service_host)
{
    const struct ws_private_api *api;
    ULONG hosts = 0, channels = 0, listeners = 0;
    WSADATA wsa;

    if (winetest_platform_is_wine)
    {
        skip( "Wine's builtin has no service host (its stubs abort the process)\n" );
        return;
    }
    WSAStartup( MAKEWORD( 2, 2 ), &wsa );
    /* Wine may give every run the same process id, and the last run's ports
     * may still be in TIME_WAIT: the time picks another block of 50. */
    port_base = 20000 + ((GetCurrentProcessId() + GetTickCount() / 1000) % 240) * 50;
    notify_event = CreateEventW( NULL, FALSE, FALSE, NULL );
    entered_event = CreateEventW( NULL, FALSE, FALSE, NULL );
    release_event = CreateEventW( NULL, TRUE, FALSE, NULL );
    if ((api = get_private_api()))
    {
        hosts = api->object_live_count( WS_OBJECT_SERVICE_HOST );
        channels = api->object_live_count( WS_OBJECT_CHANNEL );
        listeners = api->object_live_count( WS_OBJECT_LISTENER );
    }
    else skip( "not our DLL: no leak checks\n" );

    TIMED( test_create_args() );
    TIMED( test_service_properties() );
    TIMED( test_endpoint_properties() );
    TIMED( test_state_machine() );
    TIMED( test_closing() );
    TIMED( test_address_in_use() );
    TIMED( test_dispatch( WS_TCP_CHANNEL_BINDING ) );
    winetest_push_context( "http" );
    TIMED( test_dispatch( WS_HTTP_CHANNEL_BINDING ) );
    winetest_pop_context();
    TIMED( test_fault_disclosure( WS_TCP_CHANNEL_BINDING ) );
    winetest_push_context( "http" );
    TIMED( test_fault_disclosure( WS_HTTP_CHANNEL_BINDING ) );
    winetest_pop_context();
    TIMED( test_endpoints() );
    TIMED( test_default_handler() );
    TIMED( test_channel_callbacks() );
    TIMED( test_authorization() );
    TIMED( test_concurrency() );
    TIMED( test_must_understand() );
    TIMED( test_pending_calls() );
    TIMED( test_free_open() );
    TIMED( test_close_timeout() );
    TIMED( test_endpoint_from_template() );
    TIMED( test_message_parameters( WS_TCP_CHANNEL_BINDING ) );
    winetest_push_context( "http" );
    TIMED( test_message_parameters( WS_HTTP_CHANNEL_BINDING ) );
    winetest_pop_context();

    /* nothing left behind by the hosts (our DLL's private counters) */
    if (api)
    {
        ok( api->object_live_count( WS_OBJECT_SERVICE_HOST ) == hosts, "%lu hosts left\n",
            api->object_live_count( WS_OBJECT_SERVICE_HOST ) - hosts );
        ok( api->object_live_count( WS_OBJECT_CHANNEL ) == channels, "%lu channels left\n",
            api->object_live_count( WS_OBJECT_CHANNEL ) - channels );
        ok( api->object_live_count( WS_OBJECT_LISTENER ) == listeners, "%lu listeners left\n",
            api->object_live_count( WS_OBJECT_LISTENER ) - listeners );
    }
    CloseHandle( notify_event );
    CloseHandle( entered_event );
    CloseHandle( release_event );
    WSACleanup();
}
