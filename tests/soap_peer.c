/*
 * Interoperability over HTTP with SOAP stacks nobody here wrote: curl and the
 * npm "soap" package (tools/soap-peer), as clients of a service built on our
 * HTTP listener and channels, and the npm soap server as the service our
 * HTTP request channel calls.
 *
 * tests/soap_peer.sh runs this program as one side and the peer (curl, node)
 * as the other:
 *
 *   webservices_test.exe soap_peer server PORT READY_FILE
 *       serve the echo/add service of tools/soap-peer/peer11.wsdl and
 *       peer12.wsdl on three endpoints:
 *         http://localhost:PORT/peer11     SOAP 1.1, transport addressing
 *         http://localhost:PORT+1/peer12   SOAP 1.2, transport addressing
 *         http://localhost:PORT+2/peer     SOAP 1.2, WS-Addressing 1.0
 *       create READY_FILE once all three listen, and stop when a client
 *       sends the Shutdown action (or after 90 s)
 *   webservices_test.exe soap_peer client URL VERSION ...
 *       call the npm soap server at each URL (VERSION 1.1 or 1.2), with a
 *       request channel and then through a service proxy (WsCall), and check
 *       every result exactly
 *
 * Run without arguments, the test only says so and skips.  While
 * WS_HTTP_CHANNEL_BINDING cannot be opened (E_NOTIMPL), both sides skip.
 */

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* ---- the service contract (tools/soap-peer/peer11.wsdl) ---------------- */

static WS_XML_STRING ns = WS_XML_STRING_VALUE( "http://example.org/peer" );
static WS_XML_STRING echo_local = WS_XML_STRING_VALUE( "Echo" );
static WS_XML_STRING echo_response_local = WS_XML_STRING_VALUE( "EchoResponse" );
static WS_XML_STRING add_local = WS_XML_STRING_VALUE( "Add" );
static WS_XML_STRING add_response_local = WS_XML_STRING_VALUE( "AddResponse" );
static WS_XML_STRING text_local = WS_XML_STRING_VALUE( "text" );
static WS_XML_STRING a_local = WS_XML_STRING_VALUE( "a" );
static WS_XML_STRING b_local = WS_XML_STRING_VALUE( "b" );
static WS_XML_STRING result_local = WS_XML_STRING_VALUE( "result" );
static WS_XML_STRING echo_action = WS_XML_STRING_VALUE( "http://example.org/peer/Echo" );
static WS_XML_STRING add_action = WS_XML_STRING_VALUE( "http://example.org/peer/Add" );
static WS_XML_STRING shutdown_action = WS_XML_STRING_VALUE( "http://example.org/peer/Shutdown" );
static WS_XML_STRING echo_reply_action = WS_XML_STRING_VALUE( "http://example.org/peer/EchoResponse" );
static WS_XML_STRING add_reply_action = WS_XML_STRING_VALUE( "http://example.org/peer/AddResponse" );

struct echo_body { WCHAR *text; };           /* Echo and EchoResponse */
struct add_body { INT32 a; INT32 b; };       /* Add */
struct add_result { INT32 result; };         /* AddResponse */

static WS_FIELD_DESCRIPTION text_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &text_local, .ns = &ns,
    .type = WS_WSZ_TYPE, .offset = offsetof(struct echo_body, text) };
static WS_FIELD_DESCRIPTION a_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &a_local, .ns = &ns,
    .type = WS_INT32_TYPE, .offset = offsetof(struct add_body, a) };
static WS_FIELD_DESCRIPTION b_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &b_local, .ns = &ns,
    .type = WS_INT32_TYPE, .offset = offsetof(struct add_body, b) };
static WS_FIELD_DESCRIPTION result_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &result_local, .ns = &ns,
    .type = WS_INT32_TYPE, .offset = offsetof(struct add_result, result) };
static WS_FIELD_DESCRIPTION *echo_fields[] = { &text_field };
static WS_FIELD_DESCRIPTION *add_fields[] = { &a_field, &b_field };
static WS_FIELD_DESCRIPTION *add_result_fields[] = { &result_field };

#define STRUCT_DESC(type, field_list, name) { .size = sizeof(type), .alignment = TYPE_ALIGNMENT(type), \
    .fields = field_list, .fieldCount = ARRAYSIZE(field_list), .typeLocalName = &name, .typeNs = &ns }
static WS_STRUCT_DESCRIPTION echo_struct = STRUCT_DESC( struct echo_body, echo_fields, echo_local );
static WS_STRUCT_DESCRIPTION echo_response_struct = STRUCT_DESC( struct echo_body, echo_fields, echo_response_local );
static WS_STRUCT_DESCRIPTION add_struct = STRUCT_DESC( struct add_body, add_fields, add_local );
static WS_STRUCT_DESCRIPTION add_result_struct = STRUCT_DESC( struct add_result, add_result_fields, add_response_local );

static WS_ELEMENT_DESCRIPTION echo_element = { &echo_local, &ns, WS_STRUCT_TYPE, &echo_struct };
static WS_ELEMENT_DESCRIPTION echo_response_element = { &echo_response_local, &ns, WS_STRUCT_TYPE, &echo_response_struct };
static WS_ELEMENT_DESCRIPTION add_element = { &add_local, &ns, WS_STRUCT_TYPE, &add_struct };
static WS_ELEMENT_DESCRIPTION add_response_element = { &add_response_local, &ns, WS_STRUCT_TYPE, &add_result_struct };

static WS_MESSAGE_DESCRIPTION echo_request = { &echo_action, &echo_element };
static WS_MESSAGE_DESCRIPTION add_request = { &add_action, &add_element };
static WS_MESSAGE_DESCRIPTION shutdown_request = { &shutdown_action, NULL };
static WS_MESSAGE_DESCRIPTION echo_reply = { &echo_reply_action, &echo_response_element };
static WS_MESSAGE_DESCRIPTION add_reply = { &add_reply_action, &add_response_element };
static WS_MESSAGE_DESCRIPTION empty_reply = { &shutdown_action, NULL };
/* Replies over transport addressing carry no action to match. */
static WS_MESSAGE_DESCRIPTION echo_reply_any = { NULL, &echo_response_element };
static WS_MESSAGE_DESCRIPTION add_reply_any = { NULL, &add_response_element };

static WS_XML_STRING soap11_ns = WS_XML_STRING_VALUE( "http://schemas.xmlsoap.org/soap/envelope/" );
static WS_XML_STRING soap12_ns = WS_XML_STRING_VALUE( "http://www.w3.org/2003/05/soap-envelope" );
static WS_XML_STRING client_local = WS_XML_STRING_VALUE( "Client" );
static WS_XML_STRING sender_local = WS_XML_STRING_VALUE( "Sender" );

static void make_url( WCHAR *buf, ULONG size, const char *fmt, USHORT port )
{
    char tmp[128];
    ULONG i;
    snprintf( tmp, sizeof(tmp), fmt, port );
    for (i = 0; tmp[i] && i < size - 1; i++) buf[i] = tmp[i];
    buf[i] = 0;
}

static BOOL is_not_implemented( HRESULT hr )
{
    if (hr != E_NOTIMPL) return FALSE;
    skip( "the HTTP channel binding is not implemented (E_NOTIMPL)\n" );
    return TRUE;
}

/* ---- server ------------------------------------------------------------- */

struct endpoint
{
    const char *url_format;
    USHORT port_offset;
    WS_ENVELOPE_VERSION envelope;
    WS_ADDRESSING_VERSION addressing;
    WS_LISTENER *listener;
    HANDLE thread;
    LONG requests;
    LONG faults;
};

static struct endpoint endpoints[] =
{
    { .url_format = "http://localhost:%u/peer11", .port_offset = 0,
      .envelope = WS_ENVELOPE_VERSION_SOAP_1_1, .addressing = WS_ADDRESSING_VERSION_TRANSPORT },
    { .url_format = "http://localhost:%u/peer12", .port_offset = 1,
      .envelope = WS_ENVELOPE_VERSION_SOAP_1_2, .addressing = WS_ADDRESSING_VERSION_TRANSPORT },
    { .url_format = "http://localhost:%u/peer", .port_offset = 2,
      .envelope = WS_ENVELOPE_VERSION_SOAP_1_2, .addressing = WS_ADDRESSING_VERSION_1_0 },
};

static HANDLE shutdown_event;

/* Replies to REQUEST with a Client (SOAP 1.1) / Sender (SOAP 1.2) fault
 * whose only reason is REASON. */
static HRESULT send_fault( WS_CHANNEL *channel, WS_MESSAGE *request, WS_MESSAGE *reply,
                           WS_ENVELOPE_VERSION envelope, const WCHAR *reason, WS_ERROR *error )
{
    WS_FAULT_CODE code = { { envelope == WS_ENVELOPE_VERSION_SOAP_1_1 ? client_local : sender_local,
                             envelope == WS_ENVELOPE_VERSION_SOAP_1_1 ? soap11_ns : soap12_ns }, NULL };
    WS_FAULT_REASON text = { { (ULONG)wcslen( reason ), (WCHAR *)reason }, { 2, (WCHAR *)L"en" } };
    WS_FAULT fault = { .code = &code, .reasons = &text, .reasonCount = 1 };
    WS_ERROR *fault_error;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &fault_error );
    ok( hr == S_OK, "create error got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( fault_error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "set fault got %#lx\n", hr );
    hr = WsSendFaultMessageForError( channel, reply, fault_error, WS_E_INVALID_FORMAT, WS_MINIMAL_FAULT_DISCLOSURE,
                                     request, NULL, error );
    WsFreeError( fault_error );
    return hr;
}

/* Answers one request on an accepted channel. */
static void serve_request( struct endpoint *ep, WS_CHANNEL *channel, WS_HEAP *heap, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *descs[] = { &echo_request, &add_request, &shutdown_request };
    WS_MESSAGE *request, *reply;
    WS_MESSAGE_STATE state;
    void *body = NULL;
    ULONG index = ~0u;
    HRESULT hr;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "create message got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "create message got %#lx\n", hr );
    InterlockedIncrement( &ep->requests );

    hr = WsReceiveMessage( channel, request, descs, ARRAYSIZE(descs), WS_RECEIVE_REQUIRED_MESSAGE,
                           WS_READ_REQUIRED_POINTER, heap, &body, sizeof(body), &index, NULL, error );
    if (hr != S_OK && (WsGetMessageProperty( request, WS_MESSAGE_PROPERTY_STATE, &state, sizeof(state), NULL ) != S_OK ||
                       state == WS_MESSAGE_STATE_EMPTY))
    {
        /* not even an envelope (the channel answers what it can): no fault to send */
        trace( "%s: request %ld: receive got %#lx before any message\n", ep->url_format, ep->requests, hr );
    }
    else if (hr != S_OK)
    {
        /* a request for no operation of the service, or a body that is not
         * one (the checks send both) */
        trace( "%s: request %ld: receive got %#lx: answering with a fault\n", ep->url_format, ep->requests, hr );
        InterlockedIncrement( &ep->faults );
        hr = send_fault( channel, request, reply, ep->envelope, L"the request is not an operation of this service", error );
        ok( hr == S_OK, "send fault got %#lx\n", hr );
    }
    else if (index == 0)
    {
        struct echo_body *echo = body;
        hr = WsSendReplyMessage( channel, reply, &echo_reply, WS_WRITE_REQUIRED_VALUE, echo, sizeof(*echo), request,
                                 NULL, error );
        ok( hr == S_OK, "send echo reply got %#lx\n", hr );
    }
    else if (index == 1)
    {
        struct add_body *add = body;
        LONGLONG sum = (LONGLONG)add->a + add->b;
        struct add_result result = { (INT32)sum };

        if (sum < INT_MIN || sum > INT_MAX)
        {
            InterlockedIncrement( &ep->faults );
            hr = send_fault( channel, request, reply, ep->envelope, L"integer overflow", error );
            ok( hr == S_OK, "send overflow fault got %#lx\n", hr );
        }
        else
        {
            hr = WsSendReplyMessage( channel, reply, &add_reply, WS_WRITE_REQUIRED_VALUE, &result, sizeof(result),
                                     request, NULL, error );
            ok( hr == S_OK, "send add reply got %#lx\n", hr );
        }
    }
    else
    {
        ok( index == 2, "got index %lu\n", index );
        hr = WsSendReplyMessage( channel, reply, &empty_reply, WS_WRITE_REQUIRED_VALUE, NULL, 0, request, NULL, error );
        ok( hr == S_OK, "send shutdown reply got %#lx\n", hr );
        SetEvent( shutdown_event );
    }
    WsFreeMessage( request );
    WsFreeMessage( reply );
}

/* One endpoint: accept, answer one request, close, reset, until aborted. */
static DWORD CALLBACK serve_endpoint( void *arg )
{
    struct endpoint *ep = arg;
    WS_CHANNEL_PROPERTY props[2];
    WS_CHANNEL *channel;
    WS_ERROR *error;
    WS_HEAP *heap;
    HRESULT hr;

    props[0].id = WS_CHANNEL_PROPERTY_ENVELOPE_VERSION;
    props[0].value = &ep->envelope;
    props[0].valueSize = sizeof(ep->envelope);
    props[1].id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION;
    props[1].value = &ep->addressing;
    props[1].valueSize = sizeof(ep->addressing);
    WsCreateError( NULL, 0, &error );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "create heap got %#lx\n", hr );
    hr = WsCreateChannelForListener( ep->listener, props, ARRAYSIZE(props), &channel, NULL );
    ok( hr == S_OK, "%s: create channel got %#lx\n", ep->url_format, hr );
    if (hr != S_OK)
    {
        WsFreeHeap( heap );
        WsFreeError( error );
        return 1;
    }

    for (;;)
    {
        hr = WsAcceptChannel( ep->listener, channel, NULL, error );
        if (hr == WS_E_OPERATION_ABORTED && WaitForSingleObject( shutdown_event, 0 ) == WAIT_OBJECT_0) break;
        ok( hr == S_OK, "%s: accept got %#lx\n", ep->url_format, hr );
        if (hr != S_OK) break;
        serve_request( ep, channel, heap, error );
        hr = WsCloseChannel( channel, NULL, error );
        ok( hr == S_OK, "close channel got %#lx\n", hr );
        hr = WsResetChannel( channel, error );
        ok( hr == S_OK, "reset channel got %#lx\n", hr );
        WsResetHeap( heap, NULL );
        WsResetError( error );
    }
    WsFreeChannel( channel );
    WsFreeHeap( heap );
    WsFreeError( error );
    return 0;
}

/* The ready file tells the script (which cannot wait for a Windows event)
 * that every endpoint listens. */
static void create_ready_file( const char *name )
{
    HANDLE file = CreateFileA( name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL );
    ok( file != INVALID_HANDLE_VALUE, "cannot create %s (%lu)\n", name, GetLastError() );
    if (file != INVALID_HANDLE_VALUE) CloseHandle( file );
}

static void serve( USHORT port, const char *ready_file )
{
    HANDLE waits[1 + ARRAYSIZE(endpoints)];
    WCHAR url_buf[128];
    DWORD ret;
    WS_STRING url;
    ULONG i, open = 0;
    HRESULT hr;

    shutdown_event = CreateEventA( NULL, TRUE, FALSE, NULL );
    for (i = 0; i < ARRAYSIZE(endpoints); i++)
    {
        struct endpoint *ep = &endpoints[i];

        hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &ep->listener, NULL );
        ok( hr == S_OK, "create listener got %#lx\n", hr );
        if (hr != S_OK) break;
        make_url( url_buf, ARRAYSIZE(url_buf), ep->url_format, port + ep->port_offset );
        url.chars = url_buf;
        url.length = wcslen( url_buf );
        hr = WsOpenListener( ep->listener, &url, NULL, NULL );
        if (is_not_implemented( hr )) break;
        ok( hr == S_OK, "open listener %s got %#lx\n", wine_dbgstr_w( url_buf ), hr );
        if (hr != S_OK) break;
        open++;
    }
    if (open == ARRAYSIZE(endpoints))
    {
        for (i = 0; i < open; i++) endpoints[i].thread = CreateThread( NULL, 0, serve_endpoint, &endpoints[i], 0, NULL );
        create_ready_file( ready_file );
        /* the Shutdown request, or an endpoint that gave up (no point in waiting then) */
        waits[0] = shutdown_event;
        for (i = 0; i < open; i++) waits[1 + i] = endpoints[i].thread;
        ret = WaitForMultipleObjects( 1 + open, waits, FALSE, 90000 );
        ok( ret == WAIT_OBJECT_0, "no shutdown request came (wait got %lu)\n", ret );
        SetEvent( shutdown_event );
        /* give the shutdown reply time to leave before the listeners go */
        Sleep( 200 );
        for (i = 0; i < open; i++)
        {
            hr = WsAbortListener( endpoints[i].listener, NULL );
            ok( hr == S_OK, "abort listener got %#lx\n", hr );
        }
        for (i = 0; i < open; i++)
        {
            ok( !WaitForSingleObject( endpoints[i].thread, 10000 ), "endpoint %lu did not stop\n", i );
            CloseHandle( endpoints[i].thread );
        }
    }
    for (i = 0; i < ARRAYSIZE(endpoints); i++)
    {
        if (!endpoints[i].listener) continue;
        if (i < open)
        {
            /* tests/soap_peer.sh compares this with what it sent */
            trace( "served %s: %ld requests, %ld faults\n", endpoints[i].url_format, endpoints[i].requests,
                   endpoints[i].faults );
            WsCloseListener( endpoints[i].listener, NULL, NULL );
        }
        WsFreeListener( endpoints[i].listener );
    }
    CloseHandle( shutdown_event );
}

/* ---- client of the npm soap server --------------------------------------- */

/* Whether the error holds STR among its strings. */
static BOOL error_has_string( WS_ERROR *error, const WCHAR *str )
{
    ULONG count = 0, i;
    WS_STRING s;

    WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    for (i = 0; i < count; i++)
        if (WsGetErrorString( error, i, &s ) == S_OK && s.length == wcslen( str ) &&
            !memcmp( s.chars, str, s.length * sizeof(WCHAR) )) return TRUE;
    return FALSE;
}

static void call( const char *url_arg, WS_ENVELOPE_VERSION envelope )
{
    static const WCHAR text[] = L"hello from WWSAPI, gr\x00fc\x00df dich, \x4e16\x754c & <tags>";
    WS_ADDRESSING_VERSION addressing = WS_ADDRESSING_VERSION_TRANSPORT;
    WS_XML_STRING *code_local = envelope == WS_ENVELOPE_VERSION_SOAP_1_1 ? &client_local : &sender_local;
    WS_XML_STRING *code_ns = envelope == WS_ENVELOPE_VERSION_SOAP_1_1 ? &soap11_ns : &soap12_ns;
    WS_CHANNEL_PROPERTY props[2];
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    WS_ERROR *error;
    WS_HEAP *heap;
    WCHAR url_buf[256];
    struct echo_body echo = { (WCHAR *)text }, echoed = { NULL };
    struct add_body add = { 40, 2 }, overflow = { INT_MAX, 1 };
    struct add_result sum = { 0 };
    WS_FAULT *fault = NULL;
    HRESULT hr;
    int i;

    for (i = 0; url_arg[i] && i < (int)ARRAYSIZE(url_buf) - 1; i++) url_buf[i] = url_arg[i];
    url_buf[i] = 0;
    winetest_push_context( "%s", url_arg );
    props[0].id = WS_CHANNEL_PROPERTY_ENVELOPE_VERSION;
    props[0].value = &envelope;
    props[0].valueSize = sizeof(envelope);
    props[1].id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION;
    props[1].value = &addressing;
    props[1].valueSize = sizeof(addressing);
    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "create error got %#lx\n", hr );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "create heap got %#lx\n", hr );
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props, ARRAYSIZE(props), NULL, &channel, NULL );
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    if (hr != S_OK) goto done;
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    if (is_not_implemented( hr ))
    {
        WsFreeChannel( channel );
        goto done;
    }
    ok( hr == S_OK, "open channel got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeChannel( channel );
        goto done;
    }
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "create message got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "create message got %#lx\n", hr );

    /* Echo: the text comes back unchanged (non-ASCII and markup characters included) */
    hr = WsRequestReply( channel, request, &echo_request, WS_WRITE_REQUIRED_VALUE, &echo, sizeof(echo), reply,
                         &echo_reply_any, WS_READ_REQUIRED_VALUE, heap, &echoed, sizeof(echoed), NULL, error );
    ok( hr == S_OK, "echo got %#lx\n", hr );
    ok( echoed.text && !wcscmp( echoed.text, text ), "echo got %s\n", wine_dbgstr_w( echoed.text ) );
    WsResetMessage( request, NULL );
    WsResetMessage( reply, NULL );

    /* Add */
    hr = WsRequestReply( channel, request, &add_request, WS_WRITE_REQUIRED_VALUE, &add, sizeof(add), reply,
                         &add_reply_any, WS_READ_REQUIRED_VALUE, heap, &sum, sizeof(sum), NULL, error );
    ok( hr == S_OK, "add got %#lx\n", hr );
    ok( sum.result == 42, "add got %d\n", sum.result );
    WsResetMessage( request, NULL );
    WsResetMessage( reply, NULL );

    /* the server throws a SOAP fault: it reaches us as WS_E_ENDPOINT_FAULT_RECEIVED */
    sum.result = 0;
    hr = WsRequestReply( channel, request, &add_request, WS_WRITE_REQUIRED_VALUE, &overflow, sizeof(overflow), reply,
                         &add_reply_any, WS_READ_REQUIRED_VALUE, heap, &sum, sizeof(sum), NULL, error );
    ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "overflow got %#lx\n", hr );
    ok( error_has_string( error, L"integer overflow" ), "the fault string is not in the error\n" );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "get fault got %#lx\n", hr );
    ok( fault != NULL, "no fault in the error\n" );
    if (fault)
    {
        ok( fault->code && fault->code->value.localName.length == code_local->length &&
            !memcmp( fault->code->value.localName.bytes, code_local->bytes, code_local->length ),
            "wrong fault code\n" );
        ok( fault->code && fault->code->value.ns.length == code_ns->length &&
            !memcmp( fault->code->value.ns.bytes, code_ns->bytes, code_ns->length ), "wrong fault code namespace\n" );
        ok( fault->reasonCount == 1, "got %lu reasons\n", fault->reasonCount );
        if (fault->reasonCount)
            ok( fault->reasons[0].text.length == 16 && !memcmp( fault->reasons[0].text.chars, L"integer overflow", 32 ),
                "got reason %s\n", wine_dbgstr_wn( fault->reasons[0].text.chars, fault->reasons[0].text.length ) );
    }

    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsFreeChannel( channel );
done:
    WsFreeHeap( heap );
    WsFreeError( error );
    winetest_pop_context();
}

/* The same three calls through a service proxy (WsCall, doc/literal): the
 * results, and the fault as WS_E_ENDPOINT_FAULT_RECEIVED with its string. */
static WS_PARAMETER_DESCRIPTION echo_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0 },         /* text: in and out */
};
static WS_PARAMETER_DESCRIPTION add_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },    /* a */
    { WS_PARAMETER_TYPE_NORMAL, 1, 0xffff },    /* b */
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },    /* result */
};
static WS_OPERATION_DESCRIPTION echo_op = { 1, &echo_request, &echo_reply_any, 0, 0, 1, echo_params, NULL,
                                            WS_NON_RPC_LITERAL_OPERATION };
static WS_OPERATION_DESCRIPTION add_op = { 1, &add_request, &add_reply_any, 0, 0, 3, add_params, NULL,
                                           WS_NON_RPC_LITERAL_OPERATION };

static void call_proxy( const char *url_arg, WS_ENVELOPE_VERSION envelope )
{
    static const WCHAR text[] = L"proxy: gr\x00fc\x00df dich, \x4e16\x754c & <tags>";
    WS_ADDRESSING_VERSION addressing = WS_ADDRESSING_VERSION_TRANSPORT;
    WS_CHANNEL_PROPERTY props[2];
    WS_ENDPOINT_ADDRESS address;
    WS_SERVICE_PROXY *proxy;
    WS_FAULT *fault = NULL;
    WS_ERROR *error;
    WS_HEAP *heap;
    WCHAR url_buf[256], *inout = (WCHAR *)text, **pinout = &inout;
    INT32 a = 40, b = 2, result = 0, *presult = &result;
    const void *echo_args[] = { &pinout };
    const void *add_args[] = { &a, &b, &presult };
    HRESULT hr;
    int i;

    for (i = 0; url_arg[i] && i < (int)ARRAYSIZE(url_buf) - 1; i++) url_buf[i] = url_arg[i];
    url_buf[i] = 0;
    winetest_push_context( "proxy %s", url_arg );
    props[0].id = WS_CHANNEL_PROPERTY_ENVELOPE_VERSION;
    props[0].value = &envelope;
    props[0].valueSize = sizeof(envelope);
    props[1].id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION;
    props[1].value = &addressing;
    props[1].valueSize = sizeof(addressing);
    WsCreateError( NULL, 0, &error );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, NULL, 0, props,
                               ARRAYSIZE(props), &proxy, NULL );
    ok( hr == S_OK, "create proxy got %#lx\n", hr );
    if (hr != S_OK) goto done;
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    ok( hr == S_OK, "open proxy got %#lx\n", hr );

    /* Echo: the text is an in/out parameter; the reply's copy is on the heap */
    hr = WsCall( proxy, &echo_op, echo_args, heap, NULL, 0, NULL, error );
    ok( hr == S_OK, "echo got %#lx\n", hr );
    ok( inout && inout != text && !wcscmp( inout, text ), "echo got %s\n", wine_dbgstr_w( inout ) );

    hr = WsCall( proxy, &add_op, add_args, heap, NULL, 0, NULL, error );
    ok( hr == S_OK, "add got %#lx\n", hr );
    ok( result == 42, "add got %d\n", result );

    /* the npm server's fault */
    a = INT_MAX;
    b = 1;
    result = 0;
    WsResetError( error );
    hr = WsCall( proxy, &add_op, add_args, heap, NULL, 0, NULL, error );
    ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "overflow got %#lx\n", hr );
    ok( result == 0, "got result %d\n", result );
    ok( error_has_string( error, L"integer overflow" ), "the fault string is not in the error\n" );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK && fault, "get fault got %#lx %p\n", hr, fault );
    if (fault && fault->reasonCount)
        ok( fault->reasons[0].text.length == 16 && !memcmp( fault->reasons[0].text.chars, L"integer overflow", 32 ),
            "got reason %s\n", wine_dbgstr_wn( fault->reasons[0].text.chars, fault->reasons[0].text.length ) );

    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "close proxy got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
done:
    WsFreeHeap( heap );
    WsFreeError( error );
    winetest_pop_context();
}

START_TEST(soap_peer)
{
    char **argv;
    int argc = winetest_get_mainargs( &argv ), i;

    if (argc == 5 && !strcmp( argv[2], "server" ))
        serve( atoi( argv[3] ), argv[4] );
    else if (argc >= 5 && !strcmp( argv[2], "client" ))
    {
        for (i = 3; i + 1 < argc; i += 2)
        {
            WS_ENVELOPE_VERSION envelope = !strcmp( argv[i + 1], "1.1" ) ? WS_ENVELOPE_VERSION_SOAP_1_1
                                                                         : WS_ENVELOPE_VERSION_SOAP_1_2;
            call( argv[i], envelope );
            call_proxy( argv[i], envelope );
        }
    }
    else skip( "run by tests/soap_peer.sh: soap_peer server PORT READY_FILE | "
               "soap_peer client URL 1.1|1.2 ...\n" );
}
