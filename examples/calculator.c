/*
 * Calculator demo: a service on the WWSAPI service host (WS_SERVICE_HOST)
 * and a client calling it through service proxies, in two processes.
 *
 *   calculator.exe demo TCP_URL HTTP_URL      start "calculator.exe service
 *                          TCP_URL HTTP_URL" as a second process, run the
 *                          client, wait for the service; exit code 0 when
 *                          every step of both went as expected
 *   calculator.exe service TCP_URL HTTP_URL   host the calculator until a
 *                          Block call arrives, then abort, close and free
 *                          the host
 *   calculator.exe client TCP_URL HTTP_URL    call the service
 *
 * The service has two endpoints: net.tcp (WS_CHANNEL_TYPE_DUPLEX_SESSION,
 * sessionful: accept and close channel callbacks keep per-session state)
 * and HTTP (WS_CHANNEL_TYPE_REPLY).  Operations: Add, Subtract, Divide (a
 * fault on division by zero: the operation fails with an error string, the
 * host sends it as a fault with full disclosure) and Block, which registers
 * with WsRegisterOperationForCancel and waits until it is cancelled.
 *
 * The steps: the client calls Add, Subtract and Divide (also by zero) over
 * net.tcp and over HTTP, closing each proxy (the net.tcp session ends), then
 * calls Block over a new net.tcp session.  Once Block has registered for
 * cancel, the service calls WsAbortServiceHost: the cancel callback runs
 * with WS_SERVICE_HOST_ABORT, Block returns, its free-state callback runs,
 * the client's call fails; then WsCloseServiceHost (S_OK, state CLOSED) and
 * WsFreeServiceHost.  Only the public API of webservices.h is used; the
 * contract is written by hand the way wsutil generates one (message and
 * operation descriptions, a stub per operation unpacking the call frame,
 * a method table in operation order).
 */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"

/* ---------------------------------------------------------------------- */
/* Contract                                                                */
/* ---------------------------------------------------------------------- */

typedef struct { INT32 a; INT32 b; } operands;   /* the request body of Add, Subtract, Divide */
typedef struct { INT32 value; } value;           /* the replies, and Block's request */

static WS_XML_STRING ns = WS_XML_STRING_VALUE( "http://example.org/calculator" );
static WS_XML_STRING a_local = WS_XML_STRING_VALUE( "a" );
static WS_XML_STRING b_local = WS_XML_STRING_VALUE( "b" );
static WS_XML_STRING value_local = WS_XML_STRING_VALUE( "value" );
static WS_XML_STRING operands_type = WS_XML_STRING_VALUE( "Operands" );
static WS_XML_STRING value_type = WS_XML_STRING_VALUE( "Value" );

static WS_FIELD_DESCRIPTION a_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &a_local, .ns = &ns,
                                        .type = WS_INT32_TYPE, .offset = offsetof(operands, a) };
static WS_FIELD_DESCRIPTION b_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &b_local, .ns = &ns,
                                        .type = WS_INT32_TYPE, .offset = offsetof(operands, b) };
static WS_FIELD_DESCRIPTION value_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &value_local,
                                            .ns = &ns, .type = WS_INT32_TYPE, .offset = offsetof(value, value) };
static WS_FIELD_DESCRIPTION *operands_fields[] = { &a_field, &b_field };
static WS_FIELD_DESCRIPTION *value_fields[] = { &value_field };
static WS_STRUCT_DESCRIPTION operands_struct = { .size = sizeof(operands), .alignment = TYPE_ALIGNMENT(operands),
                                                 .fields = operands_fields, .fieldCount = 2,
                                                 .typeLocalName = &operands_type, .typeNs = &ns };
static WS_STRUCT_DESCRIPTION value_struct = { .size = sizeof(value), .alignment = TYPE_ALIGNMENT(value),
                                              .fields = value_fields, .fieldCount = 1,
                                              .typeLocalName = &value_type, .typeNs = &ns };

/* One operation: its body elements, actions and message descriptions. */
#define MESSAGES( name, in_struct ) \
    static WS_XML_STRING name##_local = WS_XML_STRING_VALUE( #name ); \
    static WS_XML_STRING name##_response_local = WS_XML_STRING_VALUE( #name "Response" ); \
    static WS_XML_STRING name##_action = WS_XML_STRING_VALUE( "http://example.org/calculator/" #name ); \
    static WS_XML_STRING name##_response_action = \
        WS_XML_STRING_VALUE( "http://example.org/calculator/" #name "Response" ); \
    static WS_ELEMENT_DESCRIPTION name##_element = { &name##_local, &ns, WS_STRUCT_TYPE, &in_struct }; \
    static WS_ELEMENT_DESCRIPTION name##_response_element = \
        { &name##_response_local, &ns, WS_STRUCT_TYPE, &value_struct }; \
    static WS_MESSAGE_DESCRIPTION name##_input = { &name##_action, &name##_element }; \
    static WS_MESSAGE_DESCRIPTION name##_output = { &name##_response_action, &name##_response_element };

MESSAGES( Add, operands_struct )
MESSAGES( Subtract, operands_struct )
MESSAGES( Divide, operands_struct )
MESSAGES( Block, value_struct )

/* Add, Subtract, Divide( INT32 a, INT32 b, INT32 *result ): a and b are the
 * request's fields 0 and 1, result the reply's field 0. */
static WS_PARAMETER_DESCRIPTION binary_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 1, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
};
/* Block( INT32 id, INT32 *result ) */
static WS_PARAMETER_DESCRIPTION block_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
};

/* The operations as the service implements them (the method table's entries). */
typedef HRESULT (CALLBACK *binary_operation)( const WS_OPERATION_CONTEXT *context, INT32 a, INT32 b, INT32 *result,
                                              const WS_ASYNC_CONTEXT *async, WS_ERROR *error );
typedef HRESULT (CALLBACK *block_operation)( const WS_OPERATION_CONTEXT *context, INT32 id, INT32 *result,
                                             const WS_ASYNC_CONTEXT *async, WS_ERROR *error );

/* The call frames the host fills: one member per parameter, in parameter order. */
typedef struct { INT32 a; INT32 b; INT32 result; } binary_frame;
typedef struct { INT32 id; INT32 result; } block_frame;

static HRESULT CALLBACK binary_stub( const WS_OPERATION_CONTEXT *context, void *frame, const void *callback,
                                     const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    binary_frame *f = frame;
    return ((binary_operation)callback)( context, f->a, f->b, &f->result, async, error );
}

static HRESULT CALLBACK block_stub( const WS_OPERATION_CONTEXT *context, void *frame, const void *callback,
                                    const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    block_frame *f = frame;
    return ((block_operation)callback)( context, f->id, &f->result, async, error );
}

#define OPERATION( name, params, stub ) \
    static WS_OPERATION_DESCRIPTION name##_operation = { 1, &name##_input, &name##_output, 0, 0, \
        ARRAYSIZE(params), params, stub, WS_NON_RPC_LITERAL_OPERATION };

OPERATION( Add, binary_params, binary_stub )
OPERATION( Subtract, binary_params, binary_stub )
OPERATION( Divide, binary_params, binary_stub )
OPERATION( Block, block_params, block_stub )

static WS_OPERATION_DESCRIPTION *operations[] = { &Add_operation, &Subtract_operation, &Divide_operation,
                                                  &Block_operation };
static WS_CONTRACT_DESCRIPTION contract_description = { ARRAYSIZE(operations), operations };

/* ---------------------------------------------------------------------- */
/* Shared helpers                                                          */
/* ---------------------------------------------------------------------- */

/* Prints one line with one write: the two processes share the console, and
 * their lines must not interleave mid-line. */
static void __attribute__((format(gnu_printf, 1, 2))) say( const char *format, ... )
{
    char line[1024];
    va_list args;

    va_start( args, format );
    vsnprintf( line, sizeof(line), format, args );
    va_end( args );
    fputs( line, stdout );
    fflush( stdout );
}

static void print_error_strings( const char *indent, WS_ERROR *error )
{
    ULONG count = 0, i;
    WS_STRING str;

    if (!error || WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) ) != S_OK) return;
    for (i = 0; i < count; i++)
        if (WsGetErrorString( error, i, &str ) == S_OK) say( "%s%.*ls\n", indent, (int)str.length, str.chars );
}

/* TRUE when one of the error's strings contains TEXT. */
static BOOL error_mentions( WS_ERROR *error, const WCHAR *text )
{
    ULONG count = 0, i, len = wcslen( text ), j;
    WS_STRING str;

    if (WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) ) != S_OK) return FALSE;
    for (i = 0; i < count; i++)
    {
        if (WsGetErrorString( error, i, &str ) != S_OK) continue;
        for (j = 0; j + len <= str.length; j++)
            if (!_wcsnicmp( str.chars + j, text, len )) return TRUE;
    }
    return FALSE;
}

static BOOL is_http( const WCHAR *url )
{
    return !wcsncmp( url, L"http:", 5 );
}

/* The service's ready event: named after the net.tcp URL, so demos on other
 * ports do not mix. */
static HANDLE ready_event( const WCHAR *tcp_url )
{
    WCHAR name[512];
    ULONG i;

    swprintf( name, ARRAYSIZE(name), L"webservices_calculator_ready %ls", tcp_url );
    for (i = 0; name[i]; i++) if (name[i] == '\\') name[i] = '/';
    return CreateEventW( NULL, TRUE, FALSE, name );
}

/* ---------------------------------------------------------------------- */
/* Service                                                                 */
/* ---------------------------------------------------------------------- */

/* Per net.tcp session state (WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE). */
struct session
{
    LONG id;
    LONG calls;
};

/* The state of the one blocked call, for its cancel and free-state callbacks. */
struct blocked_call
{
    INT32 id;
    HANDLE unblock;
};

static HANDLE block_registered;          /* set by Block once it can be cancelled */
static LONG sessions_started, sessions_ended, calls_served, faults_raised;
static LONG events;                      /* sequence of the cancel and free-state callbacks */
static LONG cancel_calls, cancel_sequence, free_state_calls, free_state_sequence;
static LONG block_returned_sequence;
static WS_SERVICE_CANCEL_REASON cancel_reason = (WS_SERVICE_CANCEL_REASON)-1;

static const char *reason_name( WS_SERVICE_CANCEL_REASON reason )
{
    switch (reason)
    {
    case WS_SERVICE_HOST_ABORT: return "WS_SERVICE_HOST_ABORT";
    case WS_SERVICE_CHANNEL_FAULTED: return "WS_SERVICE_CHANNEL_FAULTED";
    default: return "unknown";
    }
}

static const char *host_state_name( WS_SERVICE_HOST_STATE state )
{
    static const char *names[] = { "CREATED", "OPENING", "OPEN", "CLOSING", "CLOSED", "FAULTED" };
    return (ULONG)state < ARRAYSIZE(names) ? names[state] : "unknown";
}

static WS_SERVICE_HOST_STATE host_state( WS_SERVICE_HOST *host )
{
    WS_SERVICE_HOST_STATE state = (WS_SERVICE_HOST_STATE)-1;
    WsGetServiceHostProperty( host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state), NULL );
    return state;
}

/* The session of the call: set by the accept callback on net.tcp, NULL over HTTP. */
static struct session *session_of( const WS_OPERATION_CONTEXT *context )
{
    struct session *session = NULL;
    if (WsGetOperationContextProperty( context, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE, &session,
                                       sizeof(session), NULL ) != S_OK) return NULL;
    return session;
}

static void print_served( const WS_OPERATION_CONTEXT *context, const char *what )
{
    struct session *session = session_of( context );

    InterlockedIncrement( &calls_served );
    if (session)
    {
        InterlockedIncrement( &session->calls );
        say( "service: [net.tcp session %ld] %s\n", session->id, what );
    }
    else say( "service: [http] %s\n", what );
}

static HRESULT CALLBACK add( const WS_OPERATION_CONTEXT *context, INT32 a, INT32 b, INT32 *result,
                             const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    char line[128];
    (void)async; (void)error;
    *result = a + b;
    sprintf( line, "Add(%d, %d) = %d", a, b, *result );
    print_served( context, line );
    return S_OK;
}

static HRESULT CALLBACK subtract( const WS_OPERATION_CONTEXT *context, INT32 a, INT32 b, INT32 *result,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    char line[128];
    (void)async; (void)error;
    *result = a - b;
    sprintf( line, "Subtract(%d, %d) = %d", a, b, *result );
    print_served( context, line );
    return S_OK;
}

/* Division by zero fails the call with an error string: the host turns the
 * error into the fault it sends (full disclosure: the string is the reason). */
static HRESULT CALLBACK divide( const WS_OPERATION_CONTEXT *context, INT32 a, INT32 b, INT32 *result,
                                const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    static const WCHAR by_zero[] = L"Division by zero is not defined.";
    static const WCHAR overflow[] = L"The quotient does not fit in an int.";
    WS_STRING reason = { b ? ARRAYSIZE(overflow) - 1 : ARRAYSIZE(by_zero) - 1, (WCHAR *)(b ? overflow : by_zero) };
    char line[128];
    (void)async;
    if (!b || (a == INT_MIN && b == -1))
    {
        sprintf( line, "Divide(%d, %d): fails, the host sends a fault", a, b );
        print_served( context, line );
        InterlockedIncrement( &faults_raised );
        if (error) WsAddErrorString( error, &reason );
        return E_INVALIDARG;
    }
    *result = a / b;
    sprintf( line, "Divide(%d, %d) = %d", a, b, *result );
    print_served( context, line );
    return S_OK;
}

static void CALLBACK block_cancelled( WS_SERVICE_CANCEL_REASON reason, void *state )
{
    struct blocked_call *call = state;

    cancel_sequence = InterlockedIncrement( &events );
    cancel_reason = reason;
    InterlockedIncrement( &cancel_calls );
    say( "service: cancel callback of Block(%d): reason %s (%d)\n", call->id, reason_name( reason ), reason );
    SetEvent( call->unblock );
}

static void CALLBACK block_free_state( void *state )
{
    struct blocked_call *call = state;

    free_state_sequence = InterlockedIncrement( &events );
    InterlockedIncrement( &free_state_calls );
    say( "service: free-state callback of Block(%d): releasing its state\n", call->id );
    CloseHandle( call->unblock );
    free( call );
}

/* Blocks until the call is cancelled (the state belongs to the callbacks
 * once registered: the free-state callback releases it after we return). */
static HRESULT CALLBACK block( const WS_OPERATION_CONTEXT *context, INT32 id, INT32 *result,
                               const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct blocked_call *call = calloc( 1, sizeof(*call) );
    char line[128];
    HRESULT hr;
    DWORD wait;
    (void)async;

    if (!call || !(call->unblock = CreateEventW( NULL, TRUE, FALSE, NULL )))
    {
        free( call );
        return E_OUTOFMEMORY;
    }
    call->id = id;
    if ((hr = WsRegisterOperationForCancel( context, block_cancelled, block_free_state, call, error )) != S_OK)
    {
        say( "service: WsRegisterOperationForCancel failed: %#lx\n", hr );
        CloseHandle( call->unblock );
        free( call );
        return hr;
    }
    sprintf( line, "Block(%d): registered for cancel, blocking", id );
    print_served( context, line );
    SetEvent( block_registered );
    wait = WaitForSingleObject( call->unblock, 30000 );
    *result = id;
    block_returned_sequence = InterlockedIncrement( &events );
    say( "service: Block(%d) returns: %s\n", id, wait ? "timed out, never cancelled" : "it was cancelled" );
    return wait ? WS_E_OPERATION_TIMED_OUT : WS_E_OPERATION_ABORTED;
}

static const void *method_table[] = { (const void *)add, (const void *)subtract, (const void *)divide,
                                      (const void *)block };
static const WS_SERVICE_CONTRACT contract = { &contract_description, NULL, method_table };

static HRESULT CALLBACK session_start( const WS_OPERATION_CONTEXT *context, void **state,
                                       const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct session *session = calloc( 1, sizeof(*session) );
    (void)context; (void)async; (void)error;

    if (!session) return E_OUTOFMEMORY;
    session->id = InterlockedIncrement( &sessions_started );
    say( "service: net.tcp session %ld started (accept channel callback)\n", session->id );
    *state = session;
    return S_OK;
}

static HRESULT CALLBACK session_end( const WS_OPERATION_CONTEXT *context, const WS_ASYNC_CONTEXT *async )
{
    struct session *session = session_of( context );
    (void)async;

    InterlockedIncrement( &sessions_ended );
    if (!session)
    {
        say( "service: close channel callback without session state\n" );
        return S_OK;
    }
    say( "service: net.tcp session %ld ended after %ld call%s (close channel callback)\n", session->id,
         session->calls, session->calls == 1 ? "" : "s" );
    free( session );
    return S_OK;
}

/* What the service checks after it freed the host; 0 when all went as expected. */
static int service_verdict( HRESULT close_hr, WS_SERVICE_HOST_STATE after_abort, WS_SERVICE_HOST_STATE after_close )
{
    int failures = 0;

#define EXPECT( cond, format, ... ) \
    do { if (!(cond)) { say( "service: unexpected: " format "\n", __VA_ARGS__ ); failures++; } } while (0)
    EXPECT( after_abort == WS_SERVICE_HOST_STATE_FAULTED, "state after WsAbortServiceHost is %s, not FAULTED",
            host_state_name( after_abort ) );
    EXPECT( close_hr == S_OK, "WsCloseServiceHost returned %#lx", close_hr );
    EXPECT( after_close == WS_SERVICE_HOST_STATE_CLOSED, "state after WsCloseServiceHost is %s, not CLOSED",
            host_state_name( after_close ) );
    EXPECT( cancel_calls == 1, "%ld cancel callbacks, not 1", cancel_calls );
    EXPECT( cancel_reason == WS_SERVICE_HOST_ABORT, "cancel reason %d, not WS_SERVICE_HOST_ABORT", cancel_reason );
    EXPECT( free_state_calls == 1, "%ld free-state callbacks, not 1", free_state_calls );
    EXPECT( cancel_sequence < block_returned_sequence && block_returned_sequence < free_state_sequence,
            "order of cancel callback (%ld), Block's return (%ld) and free-state callback (%ld)", cancel_sequence,
            block_returned_sequence, free_state_sequence );
    EXPECT( sessions_started >= 1 && sessions_started == sessions_ended, "%ld sessions started, %ld ended",
            sessions_started, sessions_ended );
    EXPECT( faults_raised >= 1, "%s", "no Divide fault was raised" );
#undef EXPECT
    return failures;
}

static int run_service( const WCHAR *tcp_url, const WCHAR *http_url )
{
    WS_SERVICE_PROPERTY_ACCEPT_CALLBACK accept_callback = { session_start };
    WS_SERVICE_PROPERTY_CLOSE_CALLBACK close_callback = { session_end };
    WS_SERVICE_ENDPOINT_PROPERTY tcp_properties[] =
    {
        { WS_SERVICE_ENDPOINT_PROPERTY_ACCEPT_CHANNEL_CALLBACK, &accept_callback, sizeof(accept_callback) },
        { WS_SERVICE_ENDPOINT_PROPERTY_CLOSE_CHANNEL_CALLBACK, &close_callback, sizeof(close_callback) },
    };
    WS_FAULT_DISCLOSURE disclosure = WS_FULL_FAULT_DISCLOSURE;
    WS_SERVICE_PROPERTY host_properties[] =
    {
        { WS_SERVICE_PROPERTY_FAULT_DISCLOSURE, &disclosure, sizeof(disclosure) },
    };
    WS_SERVICE_ENDPOINT tcp, http;
    const WS_SERVICE_ENDPOINT *endpoints[] = { &tcp, &http };
    WS_SERVICE_HOST_STATE after_abort, after_close;
    WS_SERVICE_HOST *host = NULL;
    WS_ERROR *error = NULL;
    HANDLE ready = ready_event( tcp_url );
    HRESULT hr;
    int failures;

    memset( &tcp, 0, sizeof(tcp) );
    tcp.address.url.chars = (WCHAR *)tcp_url;
    tcp.address.url.length = wcslen( tcp_url );
    tcp.channelBinding = WS_TCP_CHANNEL_BINDING;
    tcp.channelType = WS_CHANNEL_TYPE_DUPLEX_SESSION;
    tcp.contract = &contract;
    tcp.properties = tcp_properties;
    tcp.propertyCount = ARRAYSIZE(tcp_properties);
    memset( &http, 0, sizeof(http) );
    http.address.url.chars = (WCHAR *)http_url;
    http.address.url.length = wcslen( http_url );
    http.channelBinding = WS_HTTP_CHANNEL_BINDING;
    http.channelType = WS_CHANNEL_TYPE_REPLY;
    http.contract = &contract;

    block_registered = CreateEventW( NULL, TRUE, FALSE, NULL );
    WsCreateError( NULL, 0, &error );
    if ((hr = WsCreateServiceHost( endpoints, ARRAYSIZE(endpoints), host_properties, ARRAYSIZE(host_properties),
                                   &host, error )) != S_OK)
    {
        say( "service: WsCreateServiceHost failed: %#lx\n", hr );
        print_error_strings( "service:   ", error );
        return 1;
    }
    if ((hr = WsOpenServiceHost( host, NULL, error )) != S_OK)
    {
        say( "service: WsOpenServiceHost failed: %#lx\n", hr );
        print_error_strings( "service:   ", error );
        WsFreeServiceHost( host );
        return 1;
    }
    say( "service: host open (state %s), endpoints %ls and %ls\n", host_state_name( host_state( host ) ),
         tcp_url, http_url );
    SetEvent( ready );

    if (WaitForSingleObject( block_registered, 120000 ))
        say( "service: no Block call within 120 s; aborting anyway\n" );
    say( "service: calling WsAbortServiceHost\n" );
    hr = WsAbortServiceHost( host, error );
    after_abort = host_state( host );
    say( "service: WsAbortServiceHost returned %#lx, state %s\n", hr, host_state_name( after_abort ) );
    hr = WsCloseServiceHost( host, NULL, error );
    after_close = host_state( host );
    say( "service: WsCloseServiceHost returned %#lx, state %s\n", hr, host_state_name( after_close ) );
    if (hr != S_OK) print_error_strings( "service:   ", error );
    WsFreeServiceHost( host );
    say( "service: WsFreeServiceHost done; %ld calls served, %ld sessions started, %ld ended\n", calls_served,
         sessions_started, sessions_ended );
    failures = service_verdict( hr, after_abort, after_close );
    say( "service: %s\n", failures ? "FAILED" : "clean shutdown, every step as expected" );
    WsFreeError( error );
    CloseHandle( ready );
    return failures ? 1 : 0;
}

/* ---------------------------------------------------------------------- */
/* Client                                                                  */
/* ---------------------------------------------------------------------- */

static HRESULT open_proxy( const WCHAR *url, WS_SERVICE_PROXY **proxy, WS_ERROR *error )
{
    ULONG timeout = 20000;   /* ms: a Block call that is never cancelled must not hang the demo */
    WS_PROXY_PROPERTY properties[] = { { WS_PROXY_PROPERTY_CALL_TIMEOUT, &timeout, sizeof(timeout) } };
    WS_ENDPOINT_ADDRESS address;
    HRESULT hr;

    hr = WsCreateServiceProxy( is_http( url ) ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                               is_http( url ) ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL,
                               properties, ARRAYSIZE(properties), NULL, 0, proxy, error );
    if (hr != S_OK) return hr;
    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)url;
    address.url.length = wcslen( url );
    if ((hr = WsOpenServiceProxy( *proxy, &address, NULL, error )) != S_OK)
    {
        WsFreeServiceProxy( *proxy );
        *proxy = NULL;
    }
    return hr;
}

/* One Add/Subtract/Divide call; 0 when the result (or the expected fault) came back. */
static int call_binary( WS_SERVICE_PROXY *proxy, const char *transport, const char *name,
                        WS_OPERATION_DESCRIPTION *operation, INT32 a, INT32 b, INT32 expected, BOOL expect_fault,
                        WS_HEAP *heap, WS_ERROR *error )
{
    INT32 result = 0, *result_ptr = &result;
    const void *args[] = { &a, &b, &result_ptr };
    HRESULT hr;

    WsResetError( error );
    hr = WsCall( proxy, operation, args, heap, NULL, 0, NULL, error );
    if (hr == S_OK)
    {
        say( "client: %s: %s(%d, %d) = %d\n", transport, name, a, b, result );
        if (expect_fault || result != expected)
        {
            say( "client: unexpected: %s\n", expect_fault ? "no fault" : "wrong result" );
            return 1;
        }
        return 0;
    }
    if (hr == WS_E_ENDPOINT_FAULT_RECEIVED)
        say( "client: %s: %s(%d, %d): the service sent a fault (WS_E_ENDPOINT_FAULT_RECEIVED)\n", transport, name,
             a, b );
    else say( "client: %s: %s(%d, %d) failed: %#lx\n", transport, name, a, b, hr );
    print_error_strings( "client:   error string: ", error );
    if (expect_fault && hr == WS_E_ENDPOINT_FAULT_RECEIVED && error_mentions( error, L"division by zero" ))
        return 0;
    say( "client: unexpected: %s\n", expect_fault ? "not the division-by-zero fault" : "the call failed" );
    return 1;
}

/* Add, Subtract and Divide (also by zero) on one proxy, then close it. */
static int call_arithmetic( const WCHAR *url, WS_HEAP *heap, WS_ERROR *error )
{
    const char *transport = is_http( url ) ? "http" : "net.tcp";
    WS_SERVICE_PROXY *proxy;
    HRESULT hr;
    int failures = 0;

    if ((hr = open_proxy( url, &proxy, error )) != S_OK)
    {
        say( "client: cannot open a proxy to %ls: %#lx\n", url, hr );
        print_error_strings( "client:   ", error );
        return 1;
    }
    say( "client: %s: proxy open to %ls\n", transport, url );
    failures += call_binary( proxy, transport, "Add", &Add_operation, 2, 3, 5, FALSE, heap, error );
    failures += call_binary( proxy, transport, "Subtract", &Subtract_operation, 10, 4, 6, FALSE, heap, error );
    failures += call_binary( proxy, transport, "Divide", &Divide_operation, 84, 4, 21, FALSE, heap, error );
    failures += call_binary( proxy, transport, "Divide", &Divide_operation, 1, 0, 0, TRUE, heap, error );
    failures += call_binary( proxy, transport, "Add", &Add_operation, -7, 7, 0, FALSE, heap, error );
    if ((hr = WsCloseServiceProxy( proxy, NULL, error )) != S_OK)
    {
        say( "client: WsCloseServiceProxy failed: %#lx\n", hr );
        failures++;
    }
    WsFreeServiceProxy( proxy );
    WsResetHeap( heap, NULL );
    return failures;
}

/* A Block call over a new net.tcp session: it must come back with an error
 * once the service aborts its host. */
static int call_block( const WCHAR *url, WS_HEAP *heap, WS_ERROR *error )
{
    INT32 id = 42, result = 0, *result_ptr = &result;
    const void *args[] = { &id, &result_ptr };
    WS_SERVICE_PROXY *proxy;
    ULONGLONG start;
    HRESULT hr;

    if ((hr = open_proxy( url, &proxy, error )) != S_OK)
    {
        say( "client: cannot open a proxy to %ls: %#lx\n", url, hr );
        return 1;
    }
    say( "client: net.tcp: calling Block(%d) on a new session; the service aborts its host\n", id );
    start = GetTickCount64();
    WsResetError( error );
    hr = WsCall( proxy, &Block_operation, args, heap, NULL, 0, NULL, error );
    say( "client: net.tcp: Block(%d) returned %#lx after %llu ms%s\n", id, hr, GetTickCount64() - start,
      FAILED(hr) && hr != WS_E_OPERATION_TIMED_OUT ? " (an error, as expected)" : "" );
    print_error_strings( "client:   error: ", error );
    WsAbortServiceProxy( proxy, NULL );
    WsCloseServiceProxy( proxy, NULL, NULL );
    WsFreeServiceProxy( proxy );
    if (SUCCEEDED(hr) || hr == WS_E_OPERATION_TIMED_OUT)
    {
        say( "client: unexpected: Block did not fail with the host's abort\n" );
        return 1;
    }
    return 0;
}

static int run_client( const WCHAR *tcp_url, const WCHAR *http_url )
{
    WS_ERROR *error;
    WS_HEAP *heap;
    int failures = 0;

    WsCreateError( NULL, 0, &error );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    failures += call_arithmetic( tcp_url, heap, error );
    failures += call_arithmetic( http_url, heap, error );
    failures += call_block( tcp_url, heap, error );
    WsFreeHeap( heap );
    WsFreeError( error );
    say( "client: %s\n", failures ? "FAILED" : "every call went as expected" );
    return failures ? 1 : 0;
}

/* ---------------------------------------------------------------------- */
/* Demo: both sides, in two processes                                      */
/* ---------------------------------------------------------------------- */

static int run_demo( const WCHAR *tcp_url, const WCHAR *http_url )
{
    WCHAR cmd[2048], module[MAX_PATH];
    PROCESS_INFORMATION pi;
    STARTUPINFOW si;
    HANDLE ready = ready_event( tcp_url ), waits[2];
    DWORD exit_code = 1;
    int ret = 1;

    GetModuleFileNameW( NULL, module, MAX_PATH );
    swprintf( cmd, ARRAYSIZE(cmd), L"\"%ls\" service %ls %ls", module, tcp_url, http_url );
    memset( &si, 0, sizeof(si) );
    si.cb = sizeof(si);
    if (!CreateProcessW( NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi ))
    {
        say( "demo: cannot start the service (%lu)\n", GetLastError() );
        return 1;
    }
    waits[0] = ready;
    waits[1] = pi.hProcess;
    if (WaitForMultipleObjects( 2, waits, FALSE, 30000 ) == WAIT_OBJECT_0) ret = run_client( tcp_url, http_url );
    else say( "demo: the service did not start\n" );
    if (WaitForSingleObject( pi.hProcess, 30000 ))
    {
        say( "demo: the service did not exit; terminating it\n" );
        TerminateProcess( pi.hProcess, 1 );
        WaitForSingleObject( pi.hProcess, 5000 );
    }
    GetExitCodeProcess( pi.hProcess, &exit_code );
    say( "demo: %s\n", !ret && !exit_code ? "every step went as expected" : "FAILED" );
    CloseHandle( pi.hProcess );
    CloseHandle( pi.hThread );
    CloseHandle( ready );
    return ret || exit_code;
}

int wmain( int argc, WCHAR **argv )
{
    setvbuf( stdout, NULL, _IOFBF, 4096 );   /* flushed by say() after every line */
    if (argc == 4 && !wcscmp( argv[1], L"service" )) return run_service( argv[2], argv[3] );
    if (argc == 4 && !wcscmp( argv[1], L"client" )) return run_client( argv[2], argv[3] );
    if (argc == 4 && !wcscmp( argv[1], L"demo" )) return run_demo( argv[2], argv[3] );
    say( "usage: calculator.exe demo|service|client net.tcp://HOST:PORT/PATH http://HOST:PORT/PATH\n" );
    return 2;
}
