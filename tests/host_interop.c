/*
 * Interoperability of our service host (WsCreateServiceHost) with clients
 * nobody here wrote: Wine's builtin webservices.dll (its service proxy,
 * WsCall, in another Wine process) over HTTP and net.tcp, curl posting SOAP
 * 1.1 and 1.2 by hand, and the npm "soap" package (tools/soap-peer).
 *
 * tests/host_interop.sh runs the processes:
 *
 *   webservices_test.exe host_interop server PORT READY_FILE
 *       one service host (our DLL) with the calculator contract below on
 *         http://localhost:PORT/calc12       SOAP 1.2, WS-Addressing 1.0
 *         http://localhost:PORT+1/calc11     SOAP 1.1, transport addressing
 *         http://localhost:PORT+2/calc12t    SOAP 1.2, transport addressing
 *         net.tcp://localhost:PORT+3/calc    SOAP 1.2, WS-Addressing 1.0,
 *                                            binary session encoding
 *       (full fault disclosure, so a fault's reason is the operation's error
 *       string); creates READY_FILE once the host is open, closes the host
 *       after the Shutdown operation (or 120 s) and prints the calls each
 *       endpoint served ("served calc12: N calls")
 *   webservices_test.exe host_interop client URL 1.1|1.2 1.0|transport
 *       calls every operation through a service proxy (WsCall) with that
 *       envelope and addressing version and checks results and faults
 *       exactly: the script runs it with Wine's builtin DLL (and, as a
 *       control, with ours)
 *
 * The contract is the echo/add service of tools/soap-peer/peer11.wsdl
 * (namespace http://example.org/peer, actions http://example.org/peer/OP,
 * replies http://example.org/peer/OPResponse, doc/literal) plus Divide,
 * Reverse (int arrays both ways) and Shutdown: so the npm soap client of
 * tests/soap_peer.sh can call it unchanged.
 *   Add(a, b) -> result         a fault "integer overflow" outside the int range
 *   Divide(a, b) -> result      a fault "division by zero" for b = 0
 *   Echo(text) -> text
 *   Reverse(values) -> values   the items in reverse order
 *   Shutdown()                  the server closes its host
 * The operations fail with E_INVALIDARG after WsAddErrorString: the host sends
 * the fault WsCreateFaultFromError builds (full disclosure: the string is the
 * reason), the client gets WS_E_ENDPOINT_FAULT_RECEIVED.  An action the
 * contract lacks gets the host's ActionNotSupported fault.
 *
 * Run without arguments, the test only says so and skips.
 */

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wcast-function-type"

#define XS(s) { sizeof(s) - 1, (BYTE *)(s) }
#define NOT_PRESENT 0xffff

/* ---- the contract (what wsutil would generate from the WSDL) ---- */

static WS_XML_STRING ns = XS( "http://example.org/peer" );
static WS_XML_STRING add_local = XS( "Add" ), add_resp_local = XS( "AddResponse" );
static WS_XML_STRING divide_local = XS( "Divide" ), divide_resp_local = XS( "DivideResponse" );
static WS_XML_STRING multiply_local = XS( "Multiply" ), multiply_resp_local = XS( "MultiplyResponse" );
static WS_XML_STRING echo_local = XS( "Echo" ), echo_resp_local = XS( "EchoResponse" );
static WS_XML_STRING reverse_local = XS( "Reverse" ), reverse_resp_local = XS( "ReverseResponse" );
static WS_XML_STRING a_local = XS( "a" ), b_local = XS( "b" ), result_local = XS( "result" );
static WS_XML_STRING text_local = XS( "text" ), values_local = XS( "values" ), value_local = XS( "value" );
static WS_XML_STRING add_action = XS( "http://example.org/peer/Add" );
static WS_XML_STRING add_resp_action = XS( "http://example.org/peer/AddResponse" );
static WS_XML_STRING divide_action = XS( "http://example.org/peer/Divide" );
static WS_XML_STRING divide_resp_action = XS( "http://example.org/peer/DivideResponse" );
static WS_XML_STRING multiply_action = XS( "http://example.org/peer/Multiply" );
static WS_XML_STRING multiply_resp_action = XS( "http://example.org/peer/MultiplyResponse" );
static WS_XML_STRING echo_action = XS( "http://example.org/peer/Echo" );
static WS_XML_STRING echo_resp_action = XS( "http://example.org/peer/EchoResponse" );
static WS_XML_STRING reverse_action = XS( "http://example.org/peer/Reverse" );
static WS_XML_STRING reverse_resp_action = XS( "http://example.org/peer/ReverseResponse" );
static WS_XML_STRING shutdown_action = XS( "http://example.org/peer/Shutdown" );
static WS_XML_STRING shutdown_resp_action = XS( "http://example.org/peer/ShutdownResponse" );

struct two_ints { INT32 a; INT32 b; };      /* Add, Divide, Multiply */
struct one_int { INT32 result; };           /* their responses */
struct text_body { WCHAR *text; };          /* Echo, EchoResponse */
struct values_body { INT32 *values; ULONG count; };   /* Reverse, ReverseResponse */

#define INT_FIELD(local, type, member) \
    { WS_ELEMENT_FIELD_MAPPING, &local, &ns, WS_INT32_TYPE, NULL, offsetof(type, member) }
static WS_FIELD_DESCRIPTION a_field = INT_FIELD( a_local, struct two_ints, a );
static WS_FIELD_DESCRIPTION b_field = INT_FIELD( b_local, struct two_ints, b );
static WS_FIELD_DESCRIPTION result_field = INT_FIELD( result_local, struct one_int, result );
static WS_FIELD_DESCRIPTION text_field = { WS_ELEMENT_FIELD_MAPPING, &text_local, &ns, WS_WSZ_TYPE, NULL,
                                           offsetof(struct text_body, text) };
static WS_FIELD_DESCRIPTION values_field = { WS_REPEATING_ELEMENT_FIELD_MAPPING, &values_local, &ns, WS_INT32_TYPE, NULL,
                                             offsetof(struct values_body, values), 0, NULL,
                                             offsetof(struct values_body, count), &value_local, &ns };
static WS_FIELD_DESCRIPTION *two_int_fields[] = { &a_field, &b_field };
static WS_FIELD_DESCRIPTION *one_int_fields[] = { &result_field };
static WS_FIELD_DESCRIPTION *text_fields[] = { &text_field };
static WS_FIELD_DESCRIPTION *values_fields[] = { &values_field };

#define STRUCT_DESC(type, fields, local) { sizeof(type), TYPE_ALIGNMENT(type), fields, ARRAYSIZE(fields), &local, &ns }
#define ELEMENT(local, desc) { &local, &ns, WS_STRUCT_TYPE, &desc }
static WS_STRUCT_DESCRIPTION add_struct = STRUCT_DESC( struct two_ints, two_int_fields, add_local );
static WS_STRUCT_DESCRIPTION add_resp_struct = STRUCT_DESC( struct one_int, one_int_fields, add_resp_local );
static WS_STRUCT_DESCRIPTION divide_struct = STRUCT_DESC( struct two_ints, two_int_fields, divide_local );
static WS_STRUCT_DESCRIPTION divide_resp_struct = STRUCT_DESC( struct one_int, one_int_fields, divide_resp_local );
static WS_STRUCT_DESCRIPTION multiply_struct = STRUCT_DESC( struct two_ints, two_int_fields, multiply_local );
static WS_STRUCT_DESCRIPTION multiply_resp_struct = STRUCT_DESC( struct one_int, one_int_fields, multiply_resp_local );
static WS_STRUCT_DESCRIPTION echo_struct = STRUCT_DESC( struct text_body, text_fields, echo_local );
static WS_STRUCT_DESCRIPTION echo_resp_struct = STRUCT_DESC( struct text_body, text_fields, echo_resp_local );
static WS_STRUCT_DESCRIPTION reverse_struct = STRUCT_DESC( struct values_body, values_fields, reverse_local );
static WS_STRUCT_DESCRIPTION reverse_resp_struct = STRUCT_DESC( struct values_body, values_fields, reverse_resp_local );
static WS_ELEMENT_DESCRIPTION add_elem = ELEMENT( add_local, add_struct );
static WS_ELEMENT_DESCRIPTION add_resp_elem = ELEMENT( add_resp_local, add_resp_struct );
static WS_ELEMENT_DESCRIPTION divide_elem = ELEMENT( divide_local, divide_struct );
static WS_ELEMENT_DESCRIPTION divide_resp_elem = ELEMENT( divide_resp_local, divide_resp_struct );
static WS_ELEMENT_DESCRIPTION multiply_elem = ELEMENT( multiply_local, multiply_struct );
static WS_ELEMENT_DESCRIPTION multiply_resp_elem = ELEMENT( multiply_resp_local, multiply_resp_struct );
static WS_ELEMENT_DESCRIPTION echo_elem = ELEMENT( echo_local, echo_struct );
static WS_ELEMENT_DESCRIPTION echo_resp_elem = ELEMENT( echo_resp_local, echo_resp_struct );
static WS_ELEMENT_DESCRIPTION reverse_elem = ELEMENT( reverse_local, reverse_struct );
static WS_ELEMENT_DESCRIPTION reverse_resp_elem = ELEMENT( reverse_resp_local, reverse_resp_struct );

static WS_MESSAGE_DESCRIPTION add_in = { &add_action, &add_elem };
static WS_MESSAGE_DESCRIPTION add_out = { &add_resp_action, &add_resp_elem };
static WS_MESSAGE_DESCRIPTION divide_in = { &divide_action, &divide_elem };
static WS_MESSAGE_DESCRIPTION divide_out = { &divide_resp_action, &divide_resp_elem };
static WS_MESSAGE_DESCRIPTION multiply_in = { &multiply_action, &multiply_elem };
static WS_MESSAGE_DESCRIPTION multiply_out = { &multiply_resp_action, &multiply_resp_elem };
static WS_MESSAGE_DESCRIPTION echo_in = { &echo_action, &echo_elem };
static WS_MESSAGE_DESCRIPTION echo_out = { &echo_resp_action, &echo_resp_elem };
static WS_MESSAGE_DESCRIPTION reverse_in = { &reverse_action, &reverse_elem };
static WS_MESSAGE_DESCRIPTION reverse_out = { &reverse_resp_action, &reverse_resp_elem };
static WS_MESSAGE_DESCRIPTION shutdown_in = { &shutdown_action, NULL };
static WS_MESSAGE_DESCRIPTION shutdown_out = { &shutdown_resp_action, NULL };

/* Add(a, b, *result), Divide and Multiply alike; Echo(text, *text);
 * Reverse(values, count, *values, *count). */
static WS_PARAMETER_DESCRIPTION two_ints_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, 1, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, NOT_PRESENT, 0 },
};
static WS_PARAMETER_DESCRIPTION echo_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_NORMAL, NOT_PRESENT, 0 },
};
static WS_PARAMETER_DESCRIPTION reverse_params[] =
{
    { WS_PARAMETER_TYPE_ARRAY, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_ARRAY_COUNT, 0, NOT_PRESENT },
    { WS_PARAMETER_TYPE_ARRAY, NOT_PRESENT, 0 },
    { WS_PARAMETER_TYPE_ARRAY_COUNT, NOT_PRESENT, 0 },
};

/* The stub frames: wsutil's ParamStruct, one member per parameter. */
struct two_ints_frame { INT32 a; INT32 b; INT32 result; };
struct echo_frame { WCHAR *text; WCHAR *out; };
struct reverse_frame { INT32 *values; ULONG count; INT32 *out_values; ULONG out_count; };

typedef HRESULT (CALLBACK *two_ints_func)( const WS_OPERATION_CONTEXT *, INT32, INT32, INT32 *,
                                           const WS_ASYNC_CONTEXT *, WS_ERROR * );
typedef HRESULT (CALLBACK *echo_func)( const WS_OPERATION_CONTEXT *, WCHAR *, WCHAR **, const WS_ASYNC_CONTEXT *,
                                       WS_ERROR * );
typedef HRESULT (CALLBACK *reverse_func)( const WS_OPERATION_CONTEXT *, INT32 *, ULONG, INT32 **, ULONG *,
                                          const WS_ASYNC_CONTEXT *, WS_ERROR * );
typedef HRESULT (CALLBACK *shutdown_func)( const WS_OPERATION_CONTEXT *, const WS_ASYNC_CONTEXT *, WS_ERROR * );

static HRESULT CALLBACK two_ints_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                       const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct two_ints_frame *f = frame;
    return ((two_ints_func)callback)( ctx, f->a, f->b, &f->result, async, error );
}

static HRESULT CALLBACK echo_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                   const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct echo_frame *f = frame;
    return ((echo_func)callback)( ctx, f->text, &f->out, async, error );
}

static HRESULT CALLBACK reverse_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                      const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct reverse_frame *f = frame;
    return ((reverse_func)callback)( ctx, f->values, f->count, &f->out_values, &f->out_count, async, error );
}

static HRESULT CALLBACK shutdown_stub( const WS_OPERATION_CONTEXT *ctx, void *frame, const void *callback,
                                       const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    (void)frame;
    return ((shutdown_func)callback)( ctx, async, error );
}

/* The client's operations (no stubs; Multiply is not in the service's contract). */
#define OPERATION(in, out, params, stub) { 1, &in, out, 0, 0, ARRAYSIZE(params), params, stub, \
                                           WS_NON_RPC_LITERAL_OPERATION }
static WS_OPERATION_DESCRIPTION add_op = OPERATION( add_in, &add_out, two_ints_params, NULL );
static WS_OPERATION_DESCRIPTION divide_op = OPERATION( divide_in, &divide_out, two_ints_params, NULL );
static WS_OPERATION_DESCRIPTION multiply_op = OPERATION( multiply_in, &multiply_out, two_ints_params, NULL );
static WS_OPERATION_DESCRIPTION echo_op = OPERATION( echo_in, &echo_out, echo_params, NULL );
static WS_OPERATION_DESCRIPTION reverse_op = OPERATION( reverse_in, &reverse_out, reverse_params, NULL );

/* ---- the service ---- */

static const WCHAR overflow_text[] = L"integer overflow";
static const WCHAR divide_text[] = L"division by zero";

struct endpoint
{
    const char *url_format;
    const char *name;
    USHORT port_offset;
    WS_CHANNEL_BINDING binding;
    WS_CHANNEL_TYPE type;
    WS_ENVELOPE_VERSION envelope;
    WS_ADDRESSING_VERSION addressing;
    WCHAR url[128];
    LONG calls;
    WS_CHANNEL_PROPERTY props[2];
    WS_SERVICE_ENDPOINT ep;
};

static struct endpoint endpoints[] =
{
    { "http://localhost:%u/calc12", "calc12", 0, WS_HTTP_CHANNEL_BINDING, WS_CHANNEL_TYPE_REPLY,
      WS_ENVELOPE_VERSION_SOAP_1_2, WS_ADDRESSING_VERSION_1_0 },
    { "http://localhost:%u/calc11", "calc11", 1, WS_HTTP_CHANNEL_BINDING, WS_CHANNEL_TYPE_REPLY,
      WS_ENVELOPE_VERSION_SOAP_1_1, WS_ADDRESSING_VERSION_TRANSPORT },
    { "http://localhost:%u/calc12t", "calc12t", 2, WS_HTTP_CHANNEL_BINDING, WS_CHANNEL_TYPE_REPLY,
      WS_ENVELOPE_VERSION_SOAP_1_2, WS_ADDRESSING_VERSION_TRANSPORT },
    { "net.tcp://localhost:%u/calc", "calc", 3, WS_TCP_CHANNEL_BINDING, WS_CHANNEL_TYPE_DUPLEX_SESSION,
      WS_ENVELOPE_VERSION_SOAP_1_2, WS_ADDRESSING_VERSION_1_0 },
};

static HANDLE stop_event;

static void to_wide( WCHAR *buf, ULONG size, const char *str )
{
    ULONG i;
    for (i = 0; str[i] && i < size - 1; i++) buf[i] = str[i];
    buf[i] = 0;
}

/* Counts the call on the endpoint the context says it came in on. */
static void count_call( const WS_OPERATION_CONTEXT *ctx )
{
    WS_ENDPOINT_ADDRESS address;
    HRESULT hr;
    ULONG i;

    memset( &address, 0, sizeof(address) );
    hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS, &address,
                                        sizeof(address), NULL );
    ok( hr == S_OK, "endpoint address got %#lx\n", hr );
    for (i = 0; i < ARRAYSIZE(endpoints); i++)
        if (address.url.length == wcslen( endpoints[i].url ) &&
            !memcmp( address.url.chars, endpoints[i].url, address.url.length * sizeof(WCHAR) ))
        {
            InterlockedIncrement( &endpoints[i].calls );
            return;
        }
    ok( 0, "a call on an unknown endpoint %s\n", wine_dbgstr_wn( address.url.chars, address.url.length ) );
}

static HRESULT fail_with( const WCHAR *text, WS_ERROR *error )
{
    WS_STRING str = { (ULONG)wcslen( text ), (WCHAR *)text };
    if (error) WsAddErrorString( error, &str );
    return E_INVALIDARG;
}

static HRESULT CALLBACK op_add( const WS_OPERATION_CONTEXT *ctx, INT32 a, INT32 b, INT32 *result,
                                const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    LONGLONG sum = (LONGLONG)a + b;

    (void)async;
    count_call( ctx );
    if (sum < INT_MIN || sum > INT_MAX) return fail_with( overflow_text, error );
    *result = (INT32)sum;
    return S_OK;
}

static HRESULT CALLBACK op_divide( const WS_OPERATION_CONTEXT *ctx, INT32 a, INT32 b, INT32 *result,
                                   const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    (void)async;
    count_call( ctx );
    if (!b) return fail_with( divide_text, error );
    if (a == INT_MIN && b == -1) return fail_with( overflow_text, error );
    *result = a / b;
    return S_OK;
}

static HRESULT CALLBACK op_echo( const WS_OPERATION_CONTEXT *ctx, WCHAR *text, WCHAR **out,
                                 const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    (void)async; (void)error;
    count_call( ctx );
    *out = text;   /* the request's heap lives until the reply is written */
    return S_OK;
}

/* The items in reverse order, on the operation's heap. */
static HRESULT CALLBACK op_reverse( const WS_OPERATION_CONTEXT *ctx, INT32 *values, ULONG count, INT32 **out,
                                    ULONG *out_count, const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    WS_HEAP *heap = NULL;
    ULONG i;
    HRESULT hr;

    (void)async;
    count_call( ctx );
    if ((hr = WsGetOperationContextProperty( ctx, WS_OPERATION_CONTEXT_PROPERTY_HEAP, &heap, sizeof(heap), error )))
        return hr;
    *out = NULL;
    if (count && (hr = WsAlloc( heap, count * sizeof(INT32), (void **)out, error ))) return hr;
    for (i = 0; i < count; i++) (*out)[i] = values[count - 1 - i];
    *out_count = count;
    return S_OK;
}

static HRESULT CALLBACK op_shutdown( const WS_OPERATION_CONTEXT *ctx, const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    (void)async; (void)error;
    count_call( ctx );
    SetEvent( stop_event );
    return S_OK;
}

static WS_OPERATION_DESCRIPTION svc_add_op = OPERATION( add_in, &add_out, two_ints_params, two_ints_stub );
static WS_OPERATION_DESCRIPTION svc_divide_op = OPERATION( divide_in, &divide_out, two_ints_params, two_ints_stub );
static WS_OPERATION_DESCRIPTION svc_echo_op = OPERATION( echo_in, &echo_out, echo_params, echo_stub );
static WS_OPERATION_DESCRIPTION svc_reverse_op = OPERATION( reverse_in, &reverse_out, reverse_params, reverse_stub );
static WS_OPERATION_DESCRIPTION svc_shutdown_op = { 1, &shutdown_in, &shutdown_out, 0, 0, 0, NULL, shutdown_stub,
                                                    WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION *calc_ops[] =
    { &svc_add_op, &svc_divide_op, &svc_echo_op, &svc_reverse_op, &svc_shutdown_op };
static WS_CONTRACT_DESCRIPTION calc_desc = { ARRAYSIZE(calc_ops), calc_ops };
static const struct
{
    two_ints_func add;
    two_ints_func divide;
    echo_func echo;
    reverse_func reverse;
    shutdown_func shutdown;
} calc_table = { op_add, op_divide, op_echo, op_reverse, op_shutdown };
static const WS_SERVICE_CONTRACT calc_contract = { &calc_desc, NULL, &calc_table };

/* The ready file tells the script (which cannot wait for a Windows event)
 * that the host is open. */
static void create_ready_file( const char *name )
{
    HANDLE file = CreateFileA( name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    ok( file != INVALID_HANDLE_VALUE, "cannot create %s (%lu)\n", name, GetLastError() );
    if (file != INVALID_HANDLE_VALUE) CloseHandle( file );
}

static void serve( USHORT port, const char *ready_file )
{
    const WS_SERVICE_ENDPOINT *eps[ARRAYSIZE(endpoints)];
    WS_FAULT_DISCLOSURE disclosure = WS_FULL_FAULT_DISCLOSURE;
    WS_SERVICE_PROPERTY props[] = { { WS_SERVICE_PROPERTY_FAULT_DISCLOSURE, &disclosure, sizeof(disclosure) } };
    WS_SERVICE_HOST_STATE state;
    WS_SERVICE_HOST *host;
    char url[128];
    DWORD ret;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < ARRAYSIZE(endpoints); i++)
    {
        struct endpoint *e = &endpoints[i];

        snprintf( url, sizeof(url), e->url_format, port + e->port_offset );
        to_wide( e->url, ARRAYSIZE(e->url), url );
        e->props[0].id = WS_CHANNEL_PROPERTY_ENVELOPE_VERSION;
        e->props[0].value = &e->envelope;
        e->props[0].valueSize = sizeof(e->envelope);
        e->props[1].id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION;
        e->props[1].value = &e->addressing;
        e->props[1].valueSize = sizeof(e->addressing);
        e->ep.address.url.chars = e->url;
        e->ep.address.url.length = wcslen( e->url );
        e->ep.channelBinding = e->binding;
        e->ep.channelType = e->type;
        e->ep.contract = &calc_contract;
        e->ep.channelProperties.properties = e->props;
        e->ep.channelProperties.propertyCount = ARRAYSIZE(e->props);
        eps[i] = &e->ep;
    }
    stop_event = CreateEventA( NULL, TRUE, FALSE, NULL );

    hr = WsCreateServiceHost( eps, ARRAYSIZE(eps), props, ARRAYSIZE(props), &host, NULL );
    ok( hr == S_OK, "create host got %#lx\n", hr );
    if (hr != S_OK) return;
    hr = WsOpenServiceHost( host, NULL, NULL );
    ok( hr == S_OK, "open host got %#lx\n", hr );
    if (hr == S_OK)
    {
        create_ready_file( ready_file );
        ret = WaitForSingleObject( stop_event, 120000 );
        ok( ret == WAIT_OBJECT_0, "no Shutdown call came (wait got %lu)\n", ret );
        hr = WsCloseServiceHost( host, NULL, NULL );
        ok( hr == S_OK, "close host got %#lx\n", hr );
        hr = WsGetServiceHostProperty( host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state), NULL );
        ok( hr == S_OK && state == WS_SERVICE_HOST_STATE_CLOSED, "got %#lx state %d\n", hr, state );
    }
    WsFreeServiceHost( host );
    CloseHandle( stop_event );
    for (i = 0; i < ARRAYSIZE(endpoints); i++) trace( "served %s: %ld calls\n", endpoints[i].name, endpoints[i].calls );
}

/* ---- the client ---- */

static BOOL soap12;             /* the client's envelope version is SOAP 1.2 */
static BOOL addressing10;       /* ... its addressing version WS-Addressing 1.0 */

/* Wine's builtin cannot read a SOAP 1.2 fault: WsCall returns E_NOTIMPL
 * ("read_type_fault unhandled envelopeVersion 2"). */
static BOOL builtin_misses_fault(void)
{
    return winetest_platform_is_wine && soap12;
}

static BOOL wstr_is( const WS_STRING *str, const WCHAR *expect )
{
    return str->length == wcslen( expect ) && !memcmp( str->chars, expect, str->length * sizeof(WCHAR) );
}

static BOOL xml_str_is( const WS_XML_STRING *str, const char *expect )
{
    return str->length == strlen( expect ) && !memcmp( str->bytes, expect, str->length );
}

/* A call that must fail with a fault whose only reason is REASON. */
static void check_fault( HRESULT hr, WS_ERROR *error, const WCHAR *reason, const char *what )
{
    WS_FAULT *fault = NULL;

    todo_wine_if( builtin_misses_fault() )
    ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "%s: got %#lx\n", what, hr );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    todo_wine_if( builtin_misses_fault() )
    ok( hr == S_OK && fault, "%s: fault property got %#lx %p\n", what, hr, fault );
    if (!fault) return;
    ok( fault->reasonCount == 1, "%s: got %lu reasons\n", what, fault->reasonCount );
    if (fault->reasonCount)
        ok( wstr_is( &fault->reasons[0].text, reason ), "%s: reason %s\n", what,
            wine_dbgstr_wn( fault->reasons[0].text.chars, fault->reasons[0].text.length ) );
}

static void call_two_ints( WS_SERVICE_PROXY *proxy, WS_OPERATION_DESCRIPTION *op, INT32 a, INT32 b, WS_HEAP *heap,
                           INT32 expect, const WCHAR *fault_reason, const char *what )
{
    INT32 result = 12345, *presult = &result;
    const void *args[] = { &a, &b, &presult };
    WS_ERROR *error;
    HRESULT hr;

    WsCreateError( NULL, 0, &error );
    hr = WsCall( proxy, op, args, heap, NULL, 0, NULL, error );
    if (fault_reason) check_fault( hr, error, fault_reason, what );
    else ok( hr == S_OK && result == expect, "%s: got %#lx, %d\n", what, hr, result );
    WsFreeError( error );
}

static void call_echo( WS_SERVICE_PROXY *proxy, WS_HEAP *heap, const WCHAR *text )
{
    WCHAR *in = (WCHAR *)text, *out = NULL, **pout = &out;
    const void *args[] = { &in, &pout };
    HRESULT hr;

    hr = WsCall( proxy, &echo_op, args, heap, NULL, 0, NULL, NULL );
    ok( hr == S_OK, "echo got %#lx\n", hr );
    ok( out && !wcscmp( out, text ), "echo got %s\n", wine_dbgstr_w( out ) );
}

static void call_reverse( WS_SERVICE_PROXY *proxy, WS_HEAP *heap, INT32 *values, ULONG count )
{
    INT32 *out = NULL, **pout = &out;
    ULONG out_count = 12345, *pcount = &out_count, i, same = 0;
    const void *args[] = { &values, &count, &pout, &pcount };
    HRESULT hr;

    hr = WsCall( proxy, &reverse_op, args, heap, NULL, 0, NULL, NULL );
    ok( hr == S_OK, "reverse of %lu got %#lx\n", count, hr );
    ok( out_count == count, "reverse of %lu: got %lu items\n", count, out_count );
    if (hr != S_OK || out_count != count) return;
    for (i = 0; i < count; i++) same += out[i] == values[count - 1 - i];
    ok( same == count, "reverse of %lu: %lu items in place\n", count, same );
}

/* The action the contract lacks: the host's ActionNotSupported fault. */
static void call_unknown_action( WS_SERVICE_PROXY *proxy, WS_HEAP *heap )
{
    static const WCHAR reason[] = L"The action 'http://example.org/peer/Multiply' is not supported by this endpoint.";
    INT32 a = 6, b = 7, result = 0, *presult = &result;
    const void *args[] = { &a, &b, &presult };
    WS_FAULT *fault = NULL;
    WS_ERROR *error;
    HRESULT hr;

    WsCreateError( NULL, 0, &error );
    hr = WsCall( proxy, &multiply_op, args, heap, NULL, 0, NULL, error );
    check_fault( hr, error, reason, "unknown action" );
    WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    if (fault && fault->code)
    {
        /* Sender (SOAP 1.1: Client), and in SOAP 1.2 the WS-Addressing subcode */
        ok( xml_str_is( &fault->code->value.localName, soap12 ? "Sender" : "Client" ), "code %s\n",
            wine_dbgstr_an( (const char *)fault->code->value.localName.bytes, fault->code->value.localName.length ) );
        if (soap12 && addressing10)
        {
            const WS_XML_QNAME *sub = fault->code->subCode ? &fault->code->subCode->value : NULL;
            ok( sub && xml_str_is( &sub->localName, "ActionNotSupported" ) &&
                xml_str_is( &sub->ns, "http://www.w3.org/2005/08/addressing" ), "subcode {%s}%s\n",
                sub ? wine_dbgstr_an( (const char *)sub->ns.bytes, sub->ns.length ) : "(none)",
                sub ? wine_dbgstr_an( (const char *)sub->localName.bytes, sub->localName.length ) : "" );
        }
    }
    WsFreeError( error );
}

static void call_host( const char *url, WS_ENVELOPE_VERSION envelope, WS_ADDRESSING_VERSION addressing )
{
    static const WCHAR text[] = L"hello from WsCall, gr\x00fc\x00df dich, \x4e16\x754c & <tags>";
    INT32 values[] = { 1, -2, 3, 2147483647, -2147483647 - 1 };
    BOOL tcp = !strncmp( url, "net.tcp:", 8 );
    WS_CHANNEL_PROPERTY props[] =
    {
        { WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &envelope, sizeof(envelope) },
        { WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, &addressing, sizeof(addressing) },
    };
    WS_ENDPOINT_ADDRESS address;
    WS_SERVICE_PROXY *proxy;
    WCHAR url_buf[128];
    WS_HEAP *heap;
    HRESULT hr;

    soap12 = envelope == WS_ENVELOPE_VERSION_SOAP_1_2;
    addressing10 = addressing == WS_ADDRESSING_VERSION_1_0;
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "create heap got %#lx\n", hr );
    hr = WsCreateServiceProxy( tcp ? WS_CHANNEL_TYPE_DUPLEX_SESSION : WS_CHANNEL_TYPE_REQUEST,
                               tcp ? WS_TCP_CHANNEL_BINDING : WS_HTTP_CHANNEL_BINDING, NULL, NULL, 0, props,
                               ARRAYSIZE(props), &proxy, NULL );
    ok( hr == S_OK, "create proxy got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeHeap( heap );
        return;
    }
    to_wide( url_buf, ARRAYSIZE(url_buf), url );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    ok( hr == S_OK, "open proxy got %#lx\n", hr );

    call_two_ints( proxy, &add_op, 40, 2, heap, 42, NULL, "add" );
    call_two_ints( proxy, &add_op, -5, 3, heap, -2, NULL, "add negative" );
    call_two_ints( proxy, &divide_op, 84, -4, heap, -21, NULL, "divide" );
    call_echo( proxy, heap, text );
    call_echo( proxy, heap, L"" );
    call_reverse( proxy, heap, values, ARRAYSIZE(values) );
    call_reverse( proxy, heap, values, 1 );
    call_reverse( proxy, heap, NULL, 0 );
    call_two_ints( proxy, &divide_op, 1, 0, heap, 0, divide_text, "divide by zero" );
    call_two_ints( proxy, &add_op, 2147483647, 1, heap, 0, overflow_text, "add overflow" );
    call_unknown_action( proxy, heap );
    /* the session (net.tcp) or the next request (HTTP) works after the faults */
    call_two_ints( proxy, &add_op, 1, 1, heap, 2, NULL, "add after the faults" );

    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "close proxy got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
    WsFreeHeap( heap );
}

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc), as in tests/interop.c. */
static BOOL is_our_dll( HMODULE module )
{
    static const WCHAR name[] = L"webservices clean-room WWSAPI";
    HRSRC res = module ? FindResourceW( module, MAKEINTRESOURCEW( VS_VERSION_INFO ), (LPCWSTR)RT_VERSION ) : NULL;
    const BYTE *data;
    DWORD size, i;

    if (!res || !(data = LockResource( LoadResource( module, res ) ))) return FALSE;
    size = SizeofResource( module, res );
    for (i = 0; i + sizeof(name) <= size; i += 2)
        if (!memcmp( data + i, name, sizeof(name) - sizeof(WCHAR) )) return TRUE;
    return FALSE;
}

START_TEST(host_interop)
{
    char **argv;
    int argc = winetest_get_mainargs( &argv );
    BOOL ours = is_our_dll( GetModuleHandleA( "webservices.dll" ) );

    if (argc == 5 && !strcmp( argv[2], "server" ))
    {
        ok( ours, "the service host must be ours\n" );
        if (ours) serve( atoi( argv[3] ), argv[4] );
    }
    else if (argc == 6 && !strcmp( argv[2], "client" ))
    {
        /* the DLL this side is meant to test: the builtin when WINETEST_PLATFORM is "wine" */
        ok( ours == !winetest_platform_is_wine, "loaded %s DLL\n", ours ? "our" : "Wine's builtin" );
        if (ours == !winetest_platform_is_wine)
            call_host( argv[3], !strcmp( argv[4], "1.1" ) ? WS_ENVELOPE_VERSION_SOAP_1_1 : WS_ENVELOPE_VERSION_SOAP_1_2,
                       !strcmp( argv[5], "transport" ) ? WS_ADDRESSING_VERSION_TRANSPORT : WS_ADDRESSING_VERSION_1_0 );
    }
    else skip( "run by tests/host_interop.sh: host_interop server PORT READY_FILE | client URL 1.1|1.2 1.0|transport\n" );
}
