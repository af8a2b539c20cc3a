/*
 * Interoperability with a peer nobody here wrote: Wine's builtin
 * webservices.dll, in another process, talking net.tcp ([MC-NMF], binary
 * session encoding) to our DLL, in both directions, and HTTP (SOAP 1.2, text
 * encoding, WS-Addressing 1.0): our listener serves, the builtin's request
 * channel calls (the builtin has no HTTP listener).
 *
 * tests/interop.sh runs two processes of this program at a time, one with
 * our DLL and one with Wine's builtin (WINEDLLOVERRIDES=webservices=b, from
 * a directory without our DLL; an override set by a parent process does not
 * reach a child's loader under Wine, hence the script):
 *
 *   webservices_test.exe interop server PORT TAG [MODE]   serve on
 *                          net.tcp://localhost:PORT/interop (or http://...)
 *   webservices_test.exe interop client PORT TAG [MODE]   call it, once the
 *                          server's "ready" event TAG is set
 *
 * MODE "http": HTTP instead of net.tcp.  With "proxy", the net.tcp service answers Add requests
 * with WsSendReplyMessage (and a fault for a negative operand) and the client
 * calls it through a service proxy (WsCall).  With "text", the net.tcp
 * session uses WS_ENCODING_XML_UTF8 on both sides.
 *
 * Each process checks that the DLL it loaded is the expected one
 * (WINETEST_PLATFORM=wine: the builtin).  Run without arguments, the test
 * only says so and skips.
 */

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static WS_XML_STRING ns = { 19, (BYTE *)"http://example.org/", NULL, 0 };
static WS_XML_STRING value_local = { 5, (BYTE *)"value", NULL, 0 };
static WS_XML_STRING request_action = { 26, (BYTE *)"http://example.org/request", NULL, 0 };
static WS_XML_STRING reply_action = { 24, (BYTE *)"http://example.org/reply", NULL, 0 };
static WS_ELEMENT_DESCRIPTION value_element = { &value_local, &ns, WS_INT32_TYPE, NULL };
static WS_MESSAGE_DESCRIPTION request_desc = { &request_action, &value_element };
static WS_MESSAGE_DESCRIPTION reply_desc = { &reply_action, &value_element };

#define MESSAGES 3

static BOOL use_http;   /* HTTP request/reply instead of a net.tcp duplex session */
static BOOL use_proxy;  /* the service model contract below, called through WsCall */
static BOOL use_text;   /* net.tcp with WS_ENCODING_XML_UTF8 (text) instead of binary session encoding */

/* The channel properties both sides use: the encoding, in "text" mode. */
static WS_ENCODING text_encoding = WS_ENCODING_XML_UTF8;
static WS_CHANNEL_PROPERTY text_props[] = { { WS_CHANNEL_PROPERTY_ENCODING, &text_encoding, sizeof(text_encoding) } };
#define CHANNEL_PROPS  (use_text ? text_props : NULL)
#define CHANNEL_PROP_COUNT  (use_text ? ARRAYSIZE(text_props) : 0)

/* Wine's builtin writes the [MC-NBFSE] string-table size (one 0x00 byte)
 * before every envelope of a net.tcp session, with the text encoding too,
 * where [MC-NMF] carries the bare UTF-8 document (wire: 06 d6 02 00 3c 73 3a
 * "\0<s:Envelope...").  A NUL cannot be part of an XML document and no
 * Windows peer sends one, so our side refuses those messages
 * (WS_E_INVALID_FORMAT); the builtin reads our text messages fine. */
static BOOL peer_sends_nul_before_text(void)
{
    return use_text && !winetest_platform_is_wine;
}

/* The "proxy" pair's contract (doc/literal): Add(a, b) -> AddResponse(result);
 * a negative a is answered with a fault whose reason is "negative". */
static WS_XML_STRING add_local = { 3, (BYTE *)"Add", NULL, 0 };
static WS_XML_STRING add_resp_local = { 11, (BYTE *)"AddResponse", NULL, 0 };
static WS_XML_STRING a_local = { 1, (BYTE *)"a", NULL, 0 };
static WS_XML_STRING b_local = { 1, (BYTE *)"b", NULL, 0 };
static WS_XML_STRING result_local = { 6, (BYTE *)"result", NULL, 0 };
static WS_XML_STRING add_action = { 22, (BYTE *)"http://example.org/Add", NULL, 0 };
static WS_XML_STRING add_resp_action = { 30, (BYTE *)"http://example.org/AddResponse", NULL, 0 };
struct add_in { INT32 a; INT32 b; };
struct add_out { INT32 result; };
static WS_FIELD_DESCRIPTION add_a = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &a_local, .ns = &ns,
                                      .type = WS_INT32_TYPE, .offset = offsetof(struct add_in, a) };
static WS_FIELD_DESCRIPTION add_b = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &b_local, .ns = &ns,
                                      .type = WS_INT32_TYPE, .offset = offsetof(struct add_in, b) };
static WS_FIELD_DESCRIPTION *add_in_fields[] = { &add_a, &add_b };
static WS_STRUCT_DESCRIPTION add_in_struct = { .size = sizeof(struct add_in), .alignment = 4, .fields = add_in_fields,
                                               .fieldCount = 2, .typeLocalName = &add_local, .typeNs = &ns };
static WS_ELEMENT_DESCRIPTION add_in_elem = { &add_local, &ns, WS_STRUCT_TYPE, &add_in_struct };
static WS_FIELD_DESCRIPTION add_result = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &result_local, .ns = &ns,
                                           .type = WS_INT32_TYPE, .offset = 0 };
static WS_FIELD_DESCRIPTION *add_out_fields[] = { &add_result };
static WS_STRUCT_DESCRIPTION add_out_struct = { .size = sizeof(struct add_out), .alignment = 4, .fields = add_out_fields,
                                                .fieldCount = 1, .typeLocalName = &add_resp_local, .typeNs = &ns };
static WS_ELEMENT_DESCRIPTION add_out_elem = { &add_resp_local, &ns, WS_STRUCT_TYPE, &add_out_struct };
static WS_MESSAGE_DESCRIPTION add_in_msg = { &add_action, &add_in_elem };
static WS_MESSAGE_DESCRIPTION add_out_msg = { &add_resp_action, &add_out_elem };
static WS_PARAMETER_DESCRIPTION add_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 1, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
};
static WS_OPERATION_DESCRIPTION add_op = { 1, &add_in_msg, &add_out_msg, 0, 0, 3, add_params, NULL,
                                           WS_NON_RPC_LITERAL_OPERATION };

static void make_url( WCHAR *buf, ULONG size, USHORT port )
{
    char tmp[128];
    ULONG i;
    snprintf( tmp, sizeof(tmp), "%s://localhost:%u/interop", use_http ? "http" : "net.tcp", port );
    for (i = 0; tmp[i] && i < size - 1; i++) buf[i] = tmp[i];
    buf[i] = 0;
}

/* Both processes create (or open) the same named events: KIND "ready"
 * (the service listens) and "skip" (it cannot: E_NOTIMPL). */
static HANDLE named_event( const char *kind, const char *tag )
{
    char name[64];
    snprintf( name, sizeof(name), "webservices_interop_%s_%s", kind, tag );
    return CreateEventA( NULL, TRUE, FALSE, name );
}

static HANDLE skip_event;

static HANDLE no_fault_event;   /* set by a service that cannot send faults */

/* Wine's builtin aborts the process in WsSendFaultMessageForError (a stub). */
static BOOL faults_supported(void)
{
    return !winetest_platform_is_wine;
}

/* Answers a request of the "proxy" contract: the sum, or a fault. */
static void answer_add( WS_CHANNEL *channel, WS_MESSAGE *request, const struct add_in *in, int i )
{
    static const WS_STRING reason = { 8, (WCHAR *)L"negative" };
    struct add_out out = { in->a + in->b };
    WS_MESSAGE *reply;
    WS_ERROR *error;
    HRESULT hr;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (in->a >= 0)
    {
        hr = WsSendReplyMessage( channel, reply, &add_out_msg, WS_WRITE_REQUIRED_VALUE, &out, sizeof(out), request,
                                 NULL, NULL );
        ok( hr == S_OK, "%d: send reply got %#lx\n", i, hr );
    }
    else
    {
        WsCreateError( NULL, 0, &error );
        WsAddErrorString( error, &reason );
        hr = WsSendFaultMessageForError( channel, reply, error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, request, NULL, NULL );
        ok( hr == S_OK, "%d: send fault got %#lx\n", i, hr );
        WsFreeError( error );
    }
    WsFreeMessage( reply );
}

/* The "proxy" service: a net.tcp duplex session answering Add requests with
 * WsSendReplyMessage until the client ends the session. */
static void serve_add( WS_CHANNEL *channel, WS_HEAP *heap )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &add_in_msg };
    struct add_in in;
    WS_MESSAGE *request;
    HRESULT hr;
    int i;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < 10; i++)
    {
        memset( &in, 0, sizeof(in) );
        hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &in, sizeof(in), NULL, NULL, NULL );
        if (hr == WS_S_END) break;
        ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
        if (hr != S_OK) break;
        answer_add( channel, request, &in, i );
        WsResetMessage( request, NULL );
    }
    ok( hr == WS_S_END, "end of session got %#lx after %d requests\n", hr, i );
    ok( i == MESSAGES + (faults_supported() ? 2 : 1), "got %d requests\n", i );
    WsFreeMessage( request );
}

/* The "proxy" client: WsCall on a service proxy over net.tcp. */
static void call_add( const WCHAR *url, WS_HEAP *heap )
{
    WS_SERVICE_PROXY *proxy;
    WS_ENDPOINT_ADDRESS address;
    WS_FAULT *fault = NULL;
    WS_ERROR *error;
    INT32 a, b = 7, result, *presult = &result;
    const void *args[] = { &a, &b, &presult };
    HRESULT hr;
    int i;

    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, NULL, 0, NULL, 0,
                               &proxy, NULL );
    ok( hr == S_OK, "create proxy got %#lx\n", hr );
    if (hr != S_OK) return;
    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)url;
    address.url.length = wcslen( url );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    ok( hr == S_OK, "open proxy got %#lx\n", hr );
    for (i = 0; i < MESSAGES; i++)
    {
        a = 100 + i;
        result = 0;
        hr = WsCall( proxy, &add_op, args, heap, NULL, 0, NULL, NULL );
        ok( hr == S_OK, "%d: call got %#lx\n", i, hr );
        ok( result == 107 + i, "%d: got %d\n", i, result );
    }

    /* The fault: WS_E_ENDPOINT_FAULT_RECEIVED, the reason in the error. */
    if (!WaitForSingleObject( no_fault_event, 0 ))
    {
        skip( "the service cannot send faults (Wine's builtin: WsSendFaultMessageForError is a stub)\n" );
        goto after_fault;
    }
    WsCreateError( NULL, 0, &error );
    a = -1;
    hr = WsCall( proxy, &add_op, args, heap, NULL, 0, NULL, error );
    /* Wine's builtin cannot read a SOAP 1.2 fault ("read_type_fault unhandled
     * envelopeVersion 2"): WsCall returns E_NOTIMPL. */
    todo_wine ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "fault call got %#lx\n", hr );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    todo_wine ok( hr == S_OK && fault, "got %#lx %p\n", hr, fault );
    if (fault)
    {
        ok( fault->reasonCount == 1, "got %lu reasons\n", fault->reasonCount );
        if (fault->reasonCount)
            ok( fault->reasons[0].text.length == 8 && !memcmp( fault->reasons[0].text.chars, L"negative", 16 ),
                "got %s\n", wine_dbgstr_wn( fault->reasons[0].text.chars, fault->reasons[0].text.length ) );
    }
    WsFreeError( error );

after_fault:
    /* The session survives the fault. */
    a = 1;
    result = 0;
    hr = WsCall( proxy, &add_op, args, heap, NULL, 0, NULL, NULL );
    ok( hr == S_OK && result == 8, "after the fault got %#lx %d\n", hr, result );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "close proxy got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
}

/* Answers the request on an accepted channel with -value. */
static void answer( WS_CHANNEL *channel, WS_MESSAGE *request, WS_MESSAGE *reply, WS_HEAP *heap, int i )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    INT32 value = 0, negated;
    HRESULT hr;

    hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                           heap, &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
    ok( value == 100 + i, "%d: got %d\n", i, value );
    negated = -value;
    hr = WsSendReplyMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &negated, sizeof(negated), request,
                             NULL, NULL );
    ok( hr == S_OK, "%d: send got %#lx\n", i, hr );
    WsResetMessage( request, NULL );
    WsResetMessage( reply, NULL );
}

/* The HTTP service: one request per accepted channel, MESSAGES times. */
static void serve_http( WS_LISTENER *listener, WS_CHANNEL *channel, HANDLE ready, WS_HEAP *heap )
{
    WS_MESSAGE *request, *reply;
    HRESULT hr;
    int i;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    SetEvent( ready );
    for (i = 0; i < MESSAGES; i++)
    {
        hr = WsAcceptChannel( listener, channel, NULL, NULL );
        ok( hr == S_OK, "%d: accept got %#lx\n", i, hr );
        if (hr != S_OK) break;
        answer( channel, request, reply, heap, i );
        hr = WsCloseChannel( channel, NULL, NULL );
        ok( hr == S_OK, "%d: close got %#lx\n", i, hr );
        hr = WsResetChannel( channel, NULL );
        ok( hr == S_OK, "%d: reset got %#lx\n", i, hr );
    }
    WsFreeMessage( request );
    WsFreeMessage( reply );
}

/* The service: receives MESSAGES requests and answers each with -value. */
static void serve( USHORT port, HANDLE ready )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    WS_MESSAGE *request, *reply;
    WCHAR url_buf[128];
    WS_STRING url;
    WS_HEAP *heap;
    INT32 value, answer;
    HRESULT hr;
    int i;

    make_url( url_buf, ARRAYSIZE(url_buf), port );
    url.chars = url_buf;
    url.length = wcslen( url_buf );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateListener( use_http ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_DUPLEX_SESSION,
                           use_http ? WS_HTTP_CHANNEL_BINDING : WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "create listener got %#lx\n", hr );
    hr = WsOpenListener( listener, &url, NULL, NULL );
    if (hr == E_NOTIMPL && use_http)
    {
        skip( "our HTTP channel binding is not implemented (E_NOTIMPL)\n" );
        SetEvent( skip_event );   /* the client skips too */
        SetEvent( ready );
        WsFreeListener( listener );
        WsFreeHeap( heap );
        return;
    }
    ok( hr == S_OK, "open listener got %#lx\n", hr );
    hr = WsCreateChannelForListener( listener, CHANNEL_PROPS, CHANNEL_PROP_COUNT, &channel, NULL );
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    if (use_http)
    {
        serve_http( listener, channel, ready, heap );
        goto done;
    }
    SetEvent( ready );
    hr = WsAcceptChannel( listener, channel, NULL, NULL );
    ok( hr == S_OK, "accept got %#lx\n", hr );
    if (use_proxy)
    {
        serve_add( channel, heap );
        hr = WsCloseChannel( channel, NULL, NULL );
        ok( hr == S_OK, "close got %#lx\n", hr );
        goto done;
    }
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    for (i = 0; i < MESSAGES; i++)
    {
        value = 0;
        hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &value, sizeof(value), NULL, NULL, NULL );
        if (peer_sends_nul_before_text())
        {
            ok( hr == WS_E_INVALID_FORMAT, "%d: receive got %#lx\n", i, hr );
            value = 100 + i;   /* the answer the client expects: it checks our text writer */
        }
        else
        {
            ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
            ok( value == 100 + i, "%d: got %d\n", i, value );
        }
        answer = -value;
        hr = WsSendMessage( channel, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &answer, sizeof(answer), NULL, NULL );
        ok( hr == S_OK, "%d: send got %#lx\n", i, hr );
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
    }
    hr = WsReceiveMessage( channel, request, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE,
                           heap, &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == WS_S_END, "end of session got %#lx\n", hr );
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );

done:
    WsFreeChannel( channel );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
    WsFreeHeap( heap );
}

/* The HTTP client: MESSAGES request/reply exchanges on one request channel. */
static void call_http( WCHAR *url, WS_HEAP *heap )
{
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    INT32 value, answer;
    HRESULT hr;
    int i;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url;
    address.url.length = wcslen( url );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "open got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < MESSAGES; i++)
    {
        value = 100 + i;
        answer = 0;
        hr = WsRequestReply( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), reply,
                             &reply_desc, WS_READ_REQUIRED_VALUE, heap, &answer, sizeof(answer), NULL, NULL );
        ok( hr == S_OK, "%d: request/reply got %#lx\n", i, hr );
        ok( answer == -value, "%d: got %d\n", i, answer );
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
    }
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsFreeChannel( channel );
}

/* The client: sends MESSAGES requests and checks each answer. */
static void call( USHORT port )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &reply_desc };
    WS_ENDPOINT_ADDRESS address;
    WS_MESSAGE *request, *reply;
    WS_CHANNEL *channel;
    WCHAR url_buf[128];
    WS_HEAP *heap;
    INT32 value, answer;
    HRESULT hr;
    int i;

    make_url( url_buf, ARRAYSIZE(url_buf), port );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (use_http)
    {
        call_http( url_buf, heap );
        WsFreeHeap( heap );
        return;
    }
    if (use_proxy)
    {
        call_add( url_buf, heap );
        WsFreeHeap( heap );
        return;
    }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, CHANNEL_PROPS, CHANNEL_PROP_COUNT,
                          NULL, &channel, NULL );
    if (hr == E_NOTIMPL && winetest_platform_is_wine)
    {
        win_skip( "Wine's builtin has no net.tcp client channel\n" );
        WsFreeHeap( heap );
        return;
    }
    ok( hr == S_OK, "create channel got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "open got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    for (i = 0; i < MESSAGES; i++)
    {
        value = 100 + i;
        hr = WsSendMessage( channel, request, &request_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
        ok( hr == S_OK, "%d: send got %#lx\n", i, hr );
        answer = 0;
        hr = WsReceiveMessage( channel, reply, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &answer, sizeof(answer), NULL, NULL, NULL );
        if (peer_sends_nul_before_text()) ok( hr == WS_E_INVALID_FORMAT, "%d: receive got %#lx\n", i, hr );
        else
        {
            ok( hr == S_OK, "%d: receive got %#lx\n", i, hr );
            ok( answer == -value, "%d: got %d\n", i, answer );
        }
        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
    }
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsFreeChannel( channel );
    WsFreeHeap( heap );
}

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc); Wine's builtin may carry the path of the file it
 * stands in for, so the path alone does not tell. */
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

/* The DLL must be the one this side is meant to test: Wine's builtin when
 * WINETEST_PLATFORM is "wine", ours otherwise; else the test would only talk
 * to itself. */
static BOOL check_dll_loaded(void)
{
    BOOL ours = is_our_dll( GetModuleHandleA( "webservices.dll" ) );
    ok( ours == !winetest_platform_is_wine, "loaded %s DLL\n", ours ? "our" : "Wine's builtin" );
    return ours == !winetest_platform_is_wine;
}

START_TEST(interop)
{
    char **argv;
    int argc = winetest_get_mainargs( &argv );
    HANDLE ready;

    if (argc < 5)
    {
        skip( "run by tests/interop.sh: interop server|client PORT TAG [http|proxy|text]\n" );
        return;
    }
    if (!check_dll_loaded()) return;
    use_http = argc > 5 && !strcmp( argv[5], "http" );
    use_proxy = argc > 5 && !strcmp( argv[5], "proxy" );
    use_text = argc > 5 && !strcmp( argv[5], "text" );
    ready = named_event( "ready", argv[4] );
    skip_event = named_event( "skip", argv[4] );
    no_fault_event = named_event( "nofault", argv[4] );
    if (!strcmp( argv[2], "server" ) && !faults_supported()) SetEvent( no_fault_event );
    if (!strcmp( argv[2], "server" )) serve( atoi( argv[3] ), ready );
    else if (!strcmp( argv[2], "client" ))
    {
        ok( !WaitForSingleObject( ready, 30000 ), "the service did not start\n" );
        Sleep( 100 );   /* the event is set just before WsAcceptChannel */
        if (!WaitForSingleObject( skip_event, 0 ))
            skip( "the service cannot serve %s (our HTTP binding: E_NOTIMPL)\n", argv[5] );
        else call( atoi( argv[3] ) );
    }
    CloseHandle( no_fault_event );
    CloseHandle( skip_event );
    CloseHandle( ready );
}
