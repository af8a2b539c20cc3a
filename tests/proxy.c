/*
 * Tests for the service proxy: WsCreateServiceProxy and its properties
 * (WS_PROXY_PROPERTY_ID with the documented defaults), the
 * WS_SERVICE_PROXY_STATE machine (open, close, abort, reset), and WsCall
 * against a service written here with the public listener/channel API on a
 * thread, over net.tcp: document/literal request/reply with in, out, in/out
 * and array parameters, one-way operations, faults, call properties (message
 * contexts, call id), WsAbandonCall, the call timeout, max pending calls,
 * asynchronous calls and WsAbortServiceProxy from another thread.
 *
 * The service reads the requests with its own descriptions, and the Add
 * request node by node with the XML reader, so the wire form (wrapper
 * element named by the body element description, one child element per
 * parameter in field order, all in the body element's namespace) is checked
 * independently of the proxy's mapping.
 */

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define XS(s) { sizeof(s) - 1, (BYTE *)(s) }

static WS_XML_STRING ns = XS( "http://example.org/calc" );
static WS_XML_STRING add_local = XS( "Add" ), add_resp_local = XS( "AddResponse" );
static WS_XML_STRING a_local = XS( "a" ), b_local = XS( "b" ), result_local = XS( "result" );
static WS_XML_STRING scale_local = XS( "Scale" ), scale_resp_local = XS( "ScaleResponse" );
static WS_XML_STRING factor_local = XS( "factor" ), items_local = XS( "items" ), item_local = XS( "item" );
static WS_XML_STRING name_local = XS( "name" );
static WS_XML_STRING notify_local = XS( "Notify" ), text_local = XS( "text" );
static WS_XML_STRING slow_local = XS( "Slow" ), slow_resp_local = XS( "SlowResponse" ), delay_local = XS( "delay" );
static WS_XML_STRING fail_local = XS( "Fail" ), fail_resp_local = XS( "FailResponse" );
static WS_XML_STRING token_local = XS( "Token" );
static WS_XML_STRING add_action = XS( "http://example.org/calc/Add" );
static WS_XML_STRING add_resp_action = XS( "http://example.org/calc/AddResponse" );
static WS_XML_STRING scale_action = XS( "http://example.org/calc/Scale" );
static WS_XML_STRING scale_resp_action = XS( "http://example.org/calc/ScaleResponse" );
static WS_XML_STRING notify_action = XS( "http://example.org/calc/Notify" );
static WS_XML_STRING slow_action = XS( "http://example.org/calc/Slow" );
static WS_XML_STRING slow_resp_action = XS( "http://example.org/calc/SlowResponse" );
static WS_XML_STRING fail_action = XS( "http://example.org/calc/Fail" );
static WS_XML_STRING fail_resp_action = XS( "http://example.org/calc/FailResponse" );

#define INT_FIELD(local, type, member) \
    { WS_ELEMENT_FIELD_MAPPING, &local, &ns, WS_INT32_TYPE, NULL, offsetof(type, member) }
#define WSZ_FIELD(local, type, member) \
    { WS_ELEMENT_FIELD_MAPPING, &local, &ns, WS_WSZ_TYPE, NULL, offsetof(type, member) }
#define ARRAY_FIELD(type, member, count) \
    { WS_REPEATING_ELEMENT_FIELD_MAPPING, &items_local, &ns, WS_INT32_TYPE, NULL, offsetof(type, member), 0, NULL, \
      offsetof(type, count), &item_local, &ns }

/* ---- the proxy's operation descriptions (what wsutil would generate) ---- */

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
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 1, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
};
static WS_OPERATION_DESCRIPTION add_op = { 1, &add_in_msg, &add_out_msg, 0, 0, 3, add_params, NULL,
                                           WS_NON_RPC_LITERAL_OPERATION };

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
/* Scale( int factor, int *items, ULONG count, WCHAR **name (in/out), int **out_items, ULONG *out_count ) */
static WS_PARAMETER_DESCRIPTION scale_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_ARRAY, 1, 0xffff },
    { WS_PARAMETER_TYPE_ARRAY_COUNT, 1, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 2, 0 },
    { WS_PARAMETER_TYPE_ARRAY, 0xffff, 1 },
    { WS_PARAMETER_TYPE_ARRAY_COUNT, 0xffff, 1 },
};
static WS_OPERATION_DESCRIPTION scale_op = { 1, &scale_in_msg, &scale_out_msg, 0, 0, 6, scale_params, NULL,
                                             WS_NON_RPC_LITERAL_OPERATION };

struct notify_in { WCHAR *text; };
static WS_FIELD_DESCRIPTION notify_text = WSZ_FIELD( text_local, struct notify_in, text );
static WS_FIELD_DESCRIPTION *notify_fields[] = { &notify_text };
static WS_STRUCT_DESCRIPTION notify_struct = { sizeof(struct notify_in), 8, notify_fields, 1, &notify_local, &ns };
static WS_ELEMENT_DESCRIPTION notify_elem = { &notify_local, &ns, WS_STRUCT_TYPE, &notify_struct };
static WS_MESSAGE_DESCRIPTION notify_msg = { &notify_action, &notify_elem };
static WS_PARAMETER_DESCRIPTION notify_params[] = { { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff } };
static WS_OPERATION_DESCRIPTION notify_op = { 1, &notify_msg, NULL, 0, 0, 1, notify_params, NULL,
                                              WS_NON_RPC_LITERAL_OPERATION };

struct slow_in { INT32 delay; };
static WS_FIELD_DESCRIPTION slow_delay = INT_FIELD( delay_local, struct slow_in, delay );
static WS_FIELD_DESCRIPTION *slow_in_fields[] = { &slow_delay };
static WS_STRUCT_DESCRIPTION slow_in_struct = { sizeof(struct slow_in), 4, slow_in_fields, 1, &slow_local, &ns };
static WS_ELEMENT_DESCRIPTION slow_in_elem = { &slow_local, &ns, WS_STRUCT_TYPE, &slow_in_struct };
static WS_FIELD_DESCRIPTION slow_result = INT_FIELD( result_local, struct add_out, result );
static WS_FIELD_DESCRIPTION *slow_out_fields[] = { &slow_result };
static WS_STRUCT_DESCRIPTION slow_out_struct = { sizeof(struct add_out), 4, slow_out_fields, 1, &slow_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION slow_out_elem = { &slow_resp_local, &ns, WS_STRUCT_TYPE, &slow_out_struct };
static WS_MESSAGE_DESCRIPTION slow_in_msg = { &slow_action, &slow_in_elem };
static WS_MESSAGE_DESCRIPTION slow_out_msg = { &slow_resp_action, &slow_out_elem };
static WS_PARAMETER_DESCRIPTION slow_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
};
static WS_OPERATION_DESCRIPTION slow_op = { 1, &slow_in_msg, &slow_out_msg, 0, 0, 2, slow_params, NULL,
                                            WS_NON_RPC_LITERAL_OPERATION };

static WS_STRUCT_DESCRIPTION fail_in_struct = { sizeof(struct slow_in), 4, slow_in_fields, 1, &fail_local, &ns };
static WS_ELEMENT_DESCRIPTION fail_in_elem = { &fail_local, &ns, WS_STRUCT_TYPE, &fail_in_struct };
static WS_STRUCT_DESCRIPTION fail_out_struct = { sizeof(struct add_out), 4, slow_out_fields, 1, &fail_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION fail_out_elem = { &fail_resp_local, &ns, WS_STRUCT_TYPE, &fail_out_struct };
static WS_MESSAGE_DESCRIPTION fail_in_msg = { &fail_action, &fail_in_elem };
static WS_MESSAGE_DESCRIPTION fail_out_msg = { &fail_resp_action, &fail_out_elem };
static WS_OPERATION_DESCRIPTION fail_op = { 1, &fail_in_msg, &fail_out_msg, 0, 0, 2, slow_params, NULL,
                                            WS_NON_RPC_LITERAL_OPERATION };

/* RPC/literal: the wrapper element is named after the operation, the parts are unqualified. */
static WS_XML_STRING no_ns = XS( "" );
static WS_XML_STRING mul_local = XS( "Mul" ), mul_resp_local = XS( "MulResponse" );
static WS_XML_STRING mul_action = XS( "http://example.org/calc/Mul" );
static WS_XML_STRING mul_resp_action = XS( "http://example.org/calc/MulResponse" );
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
static WS_OPERATION_DESCRIPTION mul_op = { 1, &mul_in_msg, &mul_out_msg, 0, 0, 3, add_params, NULL,
                                           WS_RPC_LITERAL_OPERATION };

static WS_ELEMENT_DESCRIPTION token_header = { &token_local, &ns, WS_INT32_TYPE, NULL };

/* ---- the service: public listener/channel API, its own descriptions ---- */

/* The service's view of the requests: separate structs, same wire form. */
struct svc_scale { INT32 factor; INT32 *items; ULONG count; WCHAR *name; };
static WS_FIELD_DESCRIPTION svc_scale_factor = INT_FIELD( factor_local, struct svc_scale, factor );
static WS_FIELD_DESCRIPTION svc_scale_items = ARRAY_FIELD( struct svc_scale, items, count );
static WS_FIELD_DESCRIPTION svc_scale_name = WSZ_FIELD( name_local, struct svc_scale, name );
static WS_FIELD_DESCRIPTION *svc_scale_fields[] = { &svc_scale_factor, &svc_scale_items, &svc_scale_name };
static WS_STRUCT_DESCRIPTION svc_scale_struct = { sizeof(struct svc_scale), 8, svc_scale_fields, 3, &scale_local, &ns };
static WS_ELEMENT_DESCRIPTION svc_scale_elem = { &scale_local, &ns, WS_STRUCT_TYPE, &svc_scale_struct };
struct svc_scale_resp { WCHAR *name; INT32 *items; ULONG count; };
static WS_FIELD_DESCRIPTION svc_resp_name = WSZ_FIELD( name_local, struct svc_scale_resp, name );
static WS_FIELD_DESCRIPTION svc_resp_items = ARRAY_FIELD( struct svc_scale_resp, items, count );
static WS_FIELD_DESCRIPTION *svc_resp_fields[] = { &svc_resp_name, &svc_resp_items };
static WS_STRUCT_DESCRIPTION svc_resp_struct = { sizeof(struct svc_scale_resp), 8, svc_resp_fields, 2, &scale_resp_local, &ns };
static WS_ELEMENT_DESCRIPTION svc_resp_elem = { &scale_resp_local, &ns, WS_STRUCT_TYPE, &svc_resp_struct };
static WS_MESSAGE_DESCRIPTION svc_scale_resp_msg = { &scale_resp_action, &svc_resp_elem };

struct service
{
    WS_CHANNEL_TYPE proxy_type;       /* the client's channel type and binding */
    WS_CHANNEL_BINDING binding;
    WS_LISTENER *listener;
    WS_STRING url;
    WCHAR url_buf[128];
    HANDLE thread;
    volatile LONG stop;
    /* what the service saw */
    WCHAR notified[64];
    LONG requests;
    INT32 token;
    BOOL add_wire_ok;
    BOOL mul_wire_ok;
};

static BOOL text_is( WS_XML_READER *reader, const char *expect )
{
    const WS_XML_NODE *node;
    const WS_XML_TEXT_NODE *text;
    WS_XML_STRING utf8;
    BYTE buf[64];

    if (FAILED(WsGetReaderNode( reader, &node, NULL )) || node->nodeType != WS_XML_NODE_TYPE_TEXT) return FALSE;
    text = (const WS_XML_TEXT_NODE *)node;
    if (text->text->textType == WS_XML_TEXT_TYPE_UTF8)
        utf8 = ((const WS_XML_UTF8_TEXT *)text->text)->value;
    else if (text->text->textType == WS_XML_TEXT_TYPE_INT32)
    {
        int len = snprintf( (char *)buf, sizeof(buf), "%d", ((const WS_XML_INT32_TEXT *)text->text)->value );
        utf8.length = len;
        utf8.bytes = buf;
    }
    else return FALSE;
    return utf8.length == strlen( expect ) && !memcmp( utf8.bytes, expect, utf8.length );
}

/* <LOCAL xmlns=ns>TEXT</LOCAL> at the reader. */
static BOOL read_text_element( WS_XML_READER *reader, const WS_XML_STRING *local, const WS_XML_STRING *elem_ns,
                               const char *expect )
{
    BOOL found = FALSE;

    if (FAILED(WsReadToStartElement( reader, local, elem_ns, &found, NULL )) || !found) return FALSE;
    if (FAILED(WsReadStartElement( reader, NULL ))) return FALSE;
    if (!text_is( reader, expect )) return FALSE;
    if (FAILED(WsReadNode( reader, NULL ))) return FALSE;
    return SUCCEEDED(WsReadEndElement( reader, NULL ));
}

/* A request node by node: <WRAPPER xmlns=ns><a>3</a><b>4</b></WRAPPER>, the parts in PARTS_NS. */
static BOOL read_pair_request( WS_MESSAGE *msg, const WS_XML_STRING *wrapper, const WS_XML_STRING *parts_ns )
{
    WS_XML_READER *reader;
    BOOL found = FALSE;

    if (FAILED(WsGetMessageProperty( msg, WS_MESSAGE_PROPERTY_BODY_READER, &reader, sizeof(reader), NULL ))) return FALSE;
    if (FAILED(WsReadToStartElement( reader, wrapper, &ns, &found, NULL )) || !found) return FALSE;
    if (FAILED(WsReadStartElement( reader, NULL ))) return FALSE;
    if (!read_text_element( reader, &a_local, parts_ns, "3" ) || !read_text_element( reader, &b_local, parts_ns, "4" ))
        return FALSE;
    return SUCCEEDED(WsReadEndElement( reader, NULL ));
}

static BOOL action_is( const WS_XML_STRING *action, const WS_XML_STRING *expect )
{
    return action->length == expect->length && !memcmp( action->bytes, expect->bytes, action->length );
}

static HRESULT reply_int( WS_CHANNEL *channel, WS_MESSAGE *request, const WS_XML_STRING *action,
                          WS_ELEMENT_DESCRIPTION *elem, INT32 value, INT32 token )
{
    WS_MESSAGE_DESCRIPTION desc = { (WS_XML_STRING *)action, elem };
    struct add_out out = { value };
    WS_MESSAGE *reply;
    HRESULT hr;

    WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    if (token)
    {
        WsInitializeMessage( reply, WS_REPLY_MESSAGE, request, NULL );
        /* A token from 1000 up asks for a reply header marked mustUnderstand. */
        ULONG attrs = token >= 1000 ? WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE : 0;
        token++;
        WsAddCustomHeader( reply, &token_header, WS_WRITE_REQUIRED_VALUE, &token, sizeof(token), attrs, NULL );
    }
    hr = WsSendReplyMessage( channel, reply, &desc, WS_WRITE_REQUIRED_VALUE, &out, sizeof(out), request, NULL, NULL );
    WsFreeMessage( reply );
    return hr;
}

static HRESULT reply_fault( WS_CHANNEL *channel, WS_MESSAGE *request )
{
    static const WS_STRING reason = { 6, (WCHAR *)L"denied" };
    WS_ERROR *fault_error;
    WS_MESSAGE *reply;
    HRESULT hr;

    WsCreateError( NULL, 0, &fault_error );
    WsAddErrorString( fault_error, &reason );
    WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
    hr = WsSendFaultMessageForError( channel, reply, fault_error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, request, NULL, NULL );
    WsFreeMessage( reply );
    WsFreeError( fault_error );
    return hr;
}

/* One request: read it with the service's own descriptions and answer. */
static HRESULT serve_one( struct service *svc, WS_CHANNEL *channel, WS_HEAP *heap )
{
    WS_MESSAGE *msg;
    WS_XML_STRING action;
    INT32 token = 0;
    HRESULT hr;

    WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL );
    hr = WsReadMessageStart( channel, msg, NULL, NULL );
    if (hr != S_OK) { WsFreeMessage( msg ); return hr; }
    InterlockedIncrement( &svc->requests );
    hr = WsGetHeader( msg, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_READ_REQUIRED_VALUE, heap, &action, sizeof(action), NULL );
    if (hr != S_OK) goto done;
    if (WsGetCustomHeader( msg, &token_header, WS_SINGLETON_HEADER, 0, WS_READ_REQUIRED_VALUE, heap, &token,
                           sizeof(token), NULL, NULL ) == S_OK) svc->token = token;

    if (action_is( &action, &add_action ) || action_is( &action, &mul_action ))
    {
        BOOL mul = action_is( &action, &mul_action );

        /* The wire form, node by node: the proxy sent a = 3, b = 4. */
        if (!read_pair_request( msg, mul ? &mul_local : &add_local, mul ? &no_ns : &ns ))
        {
            if (mul) svc->mul_wire_ok = FALSE;
            else svc->add_wire_ok = FALSE;
            hr = E_FAIL;
            goto done;
        }
        if (mul) svc->mul_wire_ok = TRUE;
        else svc->add_wire_ok = TRUE;
        WsReadMessageEnd( channel, msg, NULL, NULL );
        if (mul) hr = reply_int( channel, msg, &mul_resp_action, &mul_out_elem, 12, token );
        else hr = reply_int( channel, msg, &add_resp_action, &add_out_elem, 7, token );
    }
    else if (action_is( &action, &scale_action ))
    {
        struct svc_scale in;
        struct svc_scale_resp out;
        WCHAR name[64];
        ULONG i;

        hr = WsReadBody( msg, &svc_scale_elem, WS_READ_REQUIRED_VALUE, heap, &in, sizeof(in), NULL );
        if (hr != S_OK) goto done;
        WsReadMessageEnd( channel, msg, NULL, NULL );
        lstrcpynW( name, in.name, ARRAYSIZE(name) - 1 );
        lstrcatW( name, L"!" );
        out.name = name;
        out.count = in.count + 1;
        if (WsAlloc( heap, out.count * sizeof(INT32), (void **)&out.items, NULL ) != S_OK) { hr = E_OUTOFMEMORY; goto done; }
        for (i = 0; i < in.count; i++) out.items[i] = in.items[i] * in.factor;
        out.items[in.count] = in.factor;
        {
            WS_MESSAGE *reply;
            WsCreateMessageForChannel( channel, NULL, 0, &reply, NULL );
            hr = WsSendReplyMessage( channel, reply, &svc_scale_resp_msg, WS_WRITE_REQUIRED_VALUE, &out, sizeof(out),
                                     msg, NULL, NULL );
            WsFreeMessage( reply );
        }
    }
    else if (action_is( &action, &notify_action ))
    {
        struct notify_in in;
        hr = WsReadBody( msg, &notify_elem, WS_READ_REQUIRED_VALUE, heap, &in, sizeof(in), NULL );
        if (hr == S_OK) lstrcpynW( svc->notified, in.text, ARRAYSIZE(svc->notified) );
        WsReadMessageEnd( channel, msg, NULL, NULL );
    }
    else if (action_is( &action, &slow_action ))
    {
        struct slow_in in;
        hr = WsReadBody( msg, &slow_in_elem, WS_READ_REQUIRED_VALUE, heap, &in, sizeof(in), NULL );
        WsReadMessageEnd( channel, msg, NULL, NULL );
        if (hr == S_OK)
        {
            Sleep( in.delay );
            hr = reply_int( channel, msg, &slow_resp_action, &slow_out_elem, in.delay + 1, 0 );
        }
    }
    else if (action_is( &action, &fail_action ))
    {
        WsReadMessageEnd( channel, msg, NULL, NULL );
        hr = reply_fault( channel, msg );
    }
    else hr = E_FAIL;

done:
    WsFreeMessage( msg );
    WsResetHeap( heap, NULL );
    return hr;
}

static DWORD CALLBACK service_thread( void *arg )
{
    struct service *svc = arg;
    WS_CHANNEL *channel;
    WS_HEAP *heap;

    WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    while (!svc->stop)
    {
        if (WsCreateChannelForListener( svc->listener, NULL, 0, &channel, NULL ) != S_OK) break;
        if (WsAcceptChannel( svc->listener, channel, NULL, NULL ) == S_OK)
        {
            while (serve_one( svc, channel, heap ) == S_OK) ;
            WsCloseChannel( channel, NULL, NULL );
        }
        WsFreeChannel( channel );
    }
    WsFreeHeap( heap );
    return 0;
}

static BOOL start_service( struct service *svc, WS_CHANNEL_BINDING binding, USHORT port )
{
    BOOL http = binding == WS_HTTP_CHANNEL_BINDING;
    char tmp[64];
    ULONG i;
    HRESULT hr;

    memset( svc, 0, sizeof(*svc) );
    svc->binding = binding;
    svc->proxy_type = http ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION;
    snprintf( tmp, sizeof(tmp), "%s://localhost:%u/calc", http ? "http" : "net.tcp", port );
    for (i = 0; tmp[i]; i++) svc->url_buf[i] = tmp[i];
    svc->url.chars = svc->url_buf;
    svc->url.length = i;
    hr = WsCreateListener( http ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_DUPLEX_SESSION, binding, NULL, 0, NULL,
                           &svc->listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( svc->listener, &svc->url, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) { WsFreeListener( svc->listener ); return FALSE; }
    svc->thread = CreateThread( NULL, 0, service_thread, svc, 0, NULL );
    return TRUE;
}

static void stop_service( struct service *svc )
{
    svc->stop = 1;
    WsAbortListener( svc->listener, NULL );
    ok( !WaitForSingleObject( svc->thread, 5000 ), "service did not stop\n" );
    CloseHandle( svc->thread );
    WsCloseListener( svc->listener, NULL, NULL );
    WsFreeListener( svc->listener );
}

/* ---- helpers ---- */

static WS_SERVICE_PROXY_STATE get_state( WS_SERVICE_PROXY *proxy )
{
    WS_SERVICE_PROXY_STATE state = 0xdead;
    HRESULT hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    return state;
}

static WS_SERVICE_PROXY *create_proxy( struct service *svc, const WS_PROXY_PROPERTY *props, ULONG count )
{
    WS_SERVICE_PROXY *proxy = NULL;
    HRESULT hr = WsCreateServiceProxy( svc->proxy_type, svc->binding, NULL, props, count, NULL, 0, &proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    return proxy;
}

static HRESULT open_proxy( WS_SERVICE_PROXY *proxy, struct service *svc )
{
    WS_ENDPOINT_ADDRESS address;

    memset( &address, 0, sizeof(address) );
    address.url = svc->url;
    return WsOpenServiceProxy( proxy, &address, NULL, NULL );
}

static HRESULT call_add( WS_SERVICE_PROXY *proxy, WS_HEAP *heap, INT32 a, INT32 b, INT32 *result,
                         const WS_CALL_PROPERTY *props, ULONG count, WS_ERROR *error )
{
    INT32 *presult = result;
    const void *args[] = { &a, &b, &presult };
    return WsCall( proxy, &add_op, args, heap, props, count, NULL, error );
}

struct async_result
{
    HRESULT hr;
    LONG calls;
    HANDLE event;
};

static void CALLBACK async_done( HRESULT hr, WS_CALLBACK_MODEL model, void *state )
{
    struct async_result *result = state;
    (void)model;
    result->hr = hr;
    InterlockedIncrement( &result->calls );
    SetEvent( result->event );
}

/* ---- tests ---- */

static void test_create(void)
{
    WS_SERVICE_PROXY *proxy;
    WS_PROXY_PROPERTY props[5];
    WS_SERVICE_PROXY_STATE state;
    WS_MESSAGE_PROPERTIES msg_props, got_props;
    WS_MESSAGE_PROPERTY msg_prop;
    ULONG value, timeout = 1234, pending = 7, headers = 12;
    USHORT pool;
    LANGID lang;
    HRESULT hr;

    if (!winetest_platform_is_wine)  /* Wine's builtin crashes on these */
    {
        hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, NULL, 0, NULL, 0, NULL, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, NULL, 1, NULL, 0, &proxy, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, NULL, 0, NULL, 0, &proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    state = 0xdead;
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( state == WS_SERVICE_PROXY_STATE_CREATED, "got %d\n", state );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_STATE, &state, sizeof(state) + 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_STATE, NULL, sizeof(state), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceProxyProperty( NULL, WS_PROXY_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    hr = WsGetServiceProxyProperty( proxy, 99, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* "This property is write only": every property but the state and the
     * message properties is given at creation and not returned. */
    value = 0;
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_CALL_TIMEOUT, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_MAX_PENDING_CALLS, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_MAX_CLOSE_TIMEOUT, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_MAX_CALL_POOL_SIZE, &pool, sizeof(pool), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_FAULT_LANG_ID, &lang, sizeof(lang), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    memset( &msg_props, 0xcc, sizeof(msg_props) );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_MESSAGE_PROPERTIES, &msg_props, sizeof(msg_props), NULL );
    ok( hr == S_OK && !msg_props.properties && !msg_props.propertyCount, "got %#lx %p %lu\n", hr,
        msg_props.properties, msg_props.propertyCount );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_MESSAGE_PROPERTIES, &msg_props, sizeof(msg_props) - 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeServiceProxy( proxy );

    /* Values given at creation (their effect is checked by the calls below). */
    pool = 9;
    lang = MAKELANGID( LANG_ENGLISH, SUBLANG_ENGLISH_US );
    msg_prop.id = WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS;
    msg_prop.value = &headers;
    msg_prop.valueSize = sizeof(headers);
    msg_props.properties = &msg_prop;
    msg_props.propertyCount = 1;
    props[0].id = WS_PROXY_PROPERTY_CALL_TIMEOUT; props[0].value = &timeout; props[0].valueSize = sizeof(timeout);
    props[1].id = WS_PROXY_PROPERTY_MAX_PENDING_CALLS; props[1].value = &pending; props[1].valueSize = sizeof(pending);
    props[2].id = WS_PROXY_PROPERTY_MAX_CALL_POOL_SIZE; props[2].value = &pool; props[2].valueSize = sizeof(pool);
    props[3].id = WS_PROXY_FAULT_LANG_ID; props[3].value = &lang; props[3].valueSize = sizeof(lang);
    props[4].id = WS_PROXY_PROPERTY_MESSAGE_PROPERTIES; props[4].value = &msg_props; props[4].valueSize = sizeof(msg_props);
    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, props, 5, NULL, 0, &proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &got_props, 0, sizeof(got_props) );
    hr = WsGetServiceProxyProperty( proxy, WS_PROXY_PROPERTY_MESSAGE_PROPERTIES, &got_props, sizeof(got_props), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( got_props.propertyCount == 1, "got %lu\n", got_props.propertyCount );
    if (got_props.propertyCount == 1)
        ok( got_props.properties[0].id == WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS &&
            got_props.properties[0].valueSize == sizeof(ULONG) && *(ULONG *)got_props.properties[0].value == 12,
            "got %d %lu\n", got_props.properties[0].id, got_props.properties[0].valueSize );
    WsFreeServiceProxy( proxy );

    /* Wrong sizes and unknown ids are rejected at creation. */
    props[0].valueSize = 2;
    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, props, 1, NULL, 0, &proxy, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    props[0].id = WS_PROXY_PROPERTY_STATE; props[0].valueSize = sizeof(state);
    props[0].value = &state;
    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, props, 1, NULL, 0, &proxy, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
}

static void test_security_description(void)
{
    WS_SECURITY_DESCRIPTION desc = { 0 };
    WS_SERVICE_PROXY *proxy = NULL;
    WS_ERROR *error;
    ULONG count = 0;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "checked against our DLL only\n" ); return; }
    WsCreateError( NULL, 0, &error );
    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, &desc, NULL, 0, NULL, 0,
                               &proxy, error );
    /* Channel security is not implemented: the error names it. */
    ok( hr == E_NOTIMPL, "got %#lx\n", hr );
    ok( !proxy, "got %p\n", proxy );
    WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( count >= 1, "got %lu strings\n", count );
    WsFreeError( error );
}

static void test_state_machine(void)
{
    WS_ENDPOINT_ADDRESS address;
    WS_SERVICE_PROXY *proxy;
    WS_HEAP *heap;
    INT32 result;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    hr = WsCreateServiceProxy( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, NULL, 0, NULL, 0, &proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );

    /* Created: no calls, no close, reset allowed. */
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceProxy( proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenServiceProxy( proxy, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsAbandonCall( proxy, 0, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CREATED, "wrong state\n" );

    /* Nobody listens there: open fails and the proxy is faulted. */
    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)L"net.tcp://localhost:1/none";
    address.url.length = wcslen( address.url.chars );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    ok( FAILED(hr), "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_FAULTED, "got %d\n", get_state( proxy ) );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceProxy( proxy, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CLOSED, "got %d\n", get_state( proxy ) );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsResetServiceProxy( proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CREATED, "got %d\n", get_state( proxy ) );

    /* Abort in the created state leaves it created. */
    hr = WsAbortServiceProxy( proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CREATED, "got %d\n", get_state( proxy ) );
    WsFreeServiceProxy( proxy );
    WsFreeHeap( heap );
}

struct send_ctx_state { INT32 token; LONG calls; INT32 received; };

static HRESULT CALLBACK add_token( WS_MESSAGE *message, WS_HEAP *heap, void *state, WS_ERROR *error )
{
    struct send_ctx_state *s = state;
    (void)heap;
    InterlockedIncrement( &s->calls );
    return WsAddCustomHeader( message, &token_header, WS_WRITE_REQUIRED_VALUE, &s->token, sizeof(s->token), 0, error );
}

static HRESULT CALLBACK get_token( WS_MESSAGE *message, WS_HEAP *heap, void *state, WS_ERROR *error )
{
    struct send_ctx_state *s = state;
    InterlockedIncrement( &s->calls );
    return WsGetCustomHeader( message, &token_header, WS_SINGLETON_HEADER, 0, WS_READ_REQUIRED_VALUE, heap,
                              &s->received, sizeof(s->received), NULL, error );
}

struct call_thread_args
{
    WS_SERVICE_PROXY *proxy;
    INT32 delay;
    ULONG call_id;
    INT32 result;
    HRESULT hr;
    DWORD elapsed;
};

static DWORD CALLBACK slow_call_thread( void *arg )
{
    struct call_thread_args *a = arg;
    WS_CALL_PROPERTY prop = { WS_CALL_PROPERTY_CALL_ID, &a->call_id, sizeof(a->call_id) };
    INT32 *presult = &a->result;
    const void *args[] = { &a->delay, &presult };
    DWORD start = GetTickCount();
    WS_HEAP *heap;

    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    a->hr = WsCall( a->proxy, &slow_op, args, heap, &prop, a->call_id ? 1 : 0, NULL, NULL );
    a->elapsed = GetTickCount() - start;
    WsFreeHeap( heap );
    return 0;
}

struct add_thread_args { WS_SERVICE_PROXY *proxy; INT32 a, b, result; HRESULT hr; };

static DWORD CALLBACK add_thread( void *arg )
{
    struct add_thread_args *a = arg;
    WS_HEAP *heap;
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    a->hr = call_add( a->proxy, heap, a->a, a->b, &a->result, NULL, 0, NULL );
    WsFreeHeap( heap );
    return 0;
}

static void test_calls( struct service *svc )
{
    static const INT32 items[] = { 1, -2, 30 };
    struct send_ctx_state send_state = { 77 }, recv_state = { 0 };
    WS_PROXY_MESSAGE_CALLBACK_CONTEXT send_ctx = { add_token, &send_state }, recv_ctx = { get_token, &recv_state };
    WS_CALL_PROPERTY call_props[2] =
    {
        { WS_CALL_PROPERTY_SEND_MESSAGE_CONTEXT, &send_ctx, sizeof(send_ctx) },
        { WS_CALL_PROPERTY_RECEIVE_MESSAGE_CONTEXT, &recv_ctx, sizeof(recv_ctx) },
    };
    struct add_thread_args add_args[2];
    WS_SERVICE_PROXY *proxy;
    WS_ERROR *error;
    WS_HEAP *heap;
    HANDLE threads[2];
    INT32 result;
    ULONG i, count;
    HRESULT hr;

    proxy = create_proxy( svc, NULL, 0 );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    WsCreateError( NULL, 0, &error );
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_OPEN, "got %d\n", get_state( proxy ) );
    hr = open_proxy( proxy, svc );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetServiceProxy( proxy, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );

    /* In and out parameters; the service checked the wire form node by node. */
    result = 0;
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( result == 7, "got %d\n", result );
    ok( svc->add_wire_ok, "the service did not see <Add><a>3</a><b>4</b></Add>\n" );

    /* RPC/literal: unqualified parts inside the operation's wrapper element. */
    {
        INT32 a = 3, b = 4, *presult = &result;
        const void *args[] = { &a, &b, &presult };
        result = 0;
        hr = WsCall( proxy, &mul_op, args, heap, NULL, 0, NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( result == 12, "got %d\n", result );
        ok( svc->mul_wire_ok, "the service did not see <Mul><a>3</a><b>4</b></Mul>\n" );
    }

    /* Arrays, array counts and an in/out string. */
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
        {
            ok( out_items[0] == 3 && out_items[1] == -6 && out_items[2] == 90 && out_items[3] == 3,
                "got %d %d %d %d\n", out_items[0], out_items[1], out_items[2], out_items[3] );
        }
        /* An empty array goes as an empty wrapper element. */
        in_count = 0;
        in_items = NULL;
        name = (WCHAR *)L"";
        hr = WsCall( proxy, &scale_op, args, heap, NULL, 0, NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( out_count == 1 && out_items && out_items[0] == 3, "got %lu\n", out_count );
        ok( name && !wcscmp( name, L"!" ), "got %s\n", wine_dbgstr_w( name ) );
    }

    /* One-way: returns once sent; the next call sees the service has it. */
    {
        WCHAR *text = (WCHAR *)L"hello";
        const void *args[] = { &text };
        hr = WsCall( proxy, &notify_op, args, heap, NULL, 0, NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, error );
        ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );
        ok( !wcscmp( svc->notified, L"hello" ), "got %s\n", wine_dbgstr_w( svc->notified ) );
    }

    /* Call properties: headers put in by the send context, read by the receive context. */
    hr = call_add( proxy, heap, 3, 4, &result, call_props, 2, error );
    ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );
    ok( send_state.calls == 1, "send callback called %ld times\n", send_state.calls );
    ok( recv_state.calls == 1, "receive callback called %ld times\n", recv_state.calls );
    ok( svc->token == 77, "service got token %d\n", svc->token );
    ok( recv_state.received == 78, "got reply token %d\n", recv_state.received );
    call_props[0].valueSize = 1;
    hr = call_add( proxy, heap, 3, 4, &result, call_props, 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    call_props[0].id = 42;
    call_props[0].valueSize = sizeof(send_ctx);
    hr = call_add( proxy, heap, 3, 4, &result, call_props, 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* A fault: WS_E_ENDPOINT_FAULT_RECEIVED with the fault in the error. */
    {
        INT32 delay = 0, *presult = &result;
        const void *args[] = { &delay, &presult };
        WS_FAULT *fault = NULL;

        WsResetError( error );
        hr = WsCall( proxy, &fail_op, args, heap, NULL, 0, NULL, error );
        ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
        hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
        ok( hr == S_OK && fault, "got %#lx %p\n", hr, fault );
        if (fault && fault->reasonCount)
            ok( fault->reasons[0].text.length == 6 && !memcmp( fault->reasons[0].text.chars, L"denied", 12 ),
                "got %s\n", wine_dbgstr_wn( fault->reasons[0].text.chars, fault->reasons[0].text.length ) );
        count = 0;
        WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
        ok( count >= 1, "got %lu\n", count );
        /* The proxy is still usable. */
        hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
        ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );
    }

    /* Concurrent calls. */
    for (i = 0; i < 2; i++)
    {
        add_args[i].proxy = proxy;
        add_args[i].a = 3;
        add_args[i].b = 4;
        add_args[i].result = 0;
        threads[i] = CreateThread( NULL, 0, add_thread, &add_args[i], 0, NULL );
    }
    ok( !WaitForMultipleObjects( 2, threads, TRUE, 5000 ), "calls did not finish\n" );
    for (i = 0; i < 2; i++)
    {
        ok( add_args[i].hr == S_OK && add_args[i].result == 7, "%lu: got %#lx %d\n", i, add_args[i].hr, add_args[i].result );
        CloseHandle( threads[i] );
    }

    /* Invalid arguments. */
    hr = WsCall( proxy, &add_op, NULL, heap, NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCall( proxy, NULL, NULL, heap, NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = call_add( proxy, NULL, 3, 4, &result, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CLOSED, "got %d\n", get_state( proxy ) );
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );

    /* Reset and reopen: a new session. */
    hr = WsResetServiceProxy( proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
    ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    WsFreeServiceProxy( proxy );
    WsFreeError( error );
    WsFreeHeap( heap );
}

static void test_abandon( struct service *svc )
{
    struct call_thread_args args = { NULL, 800, 5 };
    WS_SERVICE_PROXY *proxy;
    WS_HEAP *heap;
    HANDLE thread;
    INT32 result;
    HRESULT hr;

    proxy = create_proxy( svc, NULL, 0 );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );
    args.proxy = proxy;

    /* By call id. */
    thread = CreateThread( NULL, 0, slow_call_thread, &args, 0, NULL );
    Sleep( 150 );
    hr = WsAbandonCall( proxy, 6, NULL );  /* another id: no effect */
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAbandonCall( proxy, 5, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( thread, 2000 ), "call did not end\n" );
    CloseHandle( thread );
    ok( args.hr == WS_E_OPERATION_ABANDONED, "got %#lx\n", args.hr );
    ok( args.elapsed < 650, "took %lu ms\n", args.elapsed );
    /* The proxy stays usable: the next call waits for the abandoned reply to be discarded. */
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
    ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );

    /* 0 abandons every pending call. */
    args.call_id = 0;
    thread = CreateThread( NULL, 0, slow_call_thread, &args, 0, NULL );
    Sleep( 150 );
    hr = WsAbandonCall( proxy, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( thread, 2000 ), "call did not end\n" );
    CloseHandle( thread );
    ok( args.hr == WS_E_OPERATION_ABANDONED, "got %#lx\n", args.hr );
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
    ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );

    /* Close right after an abandon waits for the abandoned reply, then closes the session. */
    thread = CreateThread( NULL, 0, slow_call_thread, &args, 0, NULL );
    Sleep( 150 );
    hr = WsAbandonCall( proxy, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( thread, 2000 ), "call did not end\n" );
    CloseHandle( thread );
    ok( args.hr == WS_E_OPERATION_ABANDONED, "got %#lx\n", args.hr );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CLOSED, "got %d\n", get_state( proxy ) );
    hr = WsAbandonCall( proxy, 0, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
    WsFreeHeap( heap );
}

static void test_timeout_and_pending( struct service *svc )
{
    ULONG timeout = 300, pending = 1;
    WS_PROXY_PROPERTY props[2] =
    {
        { WS_PROXY_PROPERTY_CALL_TIMEOUT, &timeout, sizeof(timeout) },
        { WS_PROXY_PROPERTY_MAX_PENDING_CALLS, &pending, sizeof(pending) },
    };
    struct async_result result = { 0, 0, CreateEventW( NULL, TRUE, FALSE, NULL ) };
    WS_ASYNC_CONTEXT ctx = { async_done, &result };
    struct call_thread_args args = { NULL, 800, 0 };
    WS_SERVICE_PROXY *proxy;
    WS_HEAP *heap;
    INT32 value, delay, *presult = &value;
    const void *slow_args[] = { &delay, &presult };
    HRESULT hr;

    proxy = create_proxy( svc, props, 1 );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );
    args.proxy = proxy;
    slow_call_thread( &args );
    ok( args.hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", args.hr );
    ok( args.elapsed >= 250 && args.elapsed < 700, "took %lu ms\n", args.elapsed );
    Sleep( 700 );  /* the late reply is discarded */
    hr = call_add( proxy, heap, 3, 4, &value, NULL, 0, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeServiceProxy( proxy );

    /* One pending call at most; an asynchronous call counts until its callback. */
    proxy = create_proxy( svc, props + 1, 1 );
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );
    delay = 300;
    value = 0;
    hr = WsCall( proxy, &slow_op, slow_args, heap, NULL, 0, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    Sleep( 50 );
    hr = call_add( proxy, heap, 3, 4, &delay, NULL, 0, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    ok( !WaitForSingleObject( result.event, 3000 ), "no callback\n" );
    Sleep( 50 );
    ok( result.calls == 1, "%ld callbacks\n", result.calls );
    ok( result.hr == S_OK, "got %#lx\n", result.hr );
    ok( value == 301, "got %d\n", value );
    hr = call_add( proxy, heap, 3, 4, &value, NULL, 0, NULL );
    ok( hr == S_OK && value == 7, "got %#lx %d\n", hr, value );

    /* Asynchronous close. */
    ResetEvent( result.event );
    result.calls = 0;
    hr = WsCloseServiceProxy( proxy, &ctx, NULL );
    ok( hr == WS_S_ASYNC || hr == S_OK, "got %#lx\n", hr );
    if (hr == WS_S_ASYNC)
    {
        ok( !WaitForSingleObject( result.event, 3000 ), "no callback\n" );
        ok( result.hr == S_OK, "got %#lx\n", result.hr );
    }
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CLOSED, "got %d\n", get_state( proxy ) );
    WsFreeServiceProxy( proxy );
    CloseHandle( result.event );
    WsFreeHeap( heap );
}

static void test_abort( struct service *svc )
{
    struct async_result result = { 0, 0, CreateEventW( NULL, TRUE, FALSE, NULL ) };
    WS_ASYNC_CONTEXT ctx = { async_done, &result };
    struct call_thread_args args = { NULL, 1500, 0 };
    WS_ENDPOINT_ADDRESS address;
    WS_SERVICE_PROXY *proxy;
    HANDLE thread;
    HRESULT hr;

    /* An asynchronous open: WS_S_ASYNC, then one callback. */
    proxy = create_proxy( svc, NULL, 0 );
    memset( &address, 0, sizeof(address) );
    address.url = svc->url;
    hr = WsOpenServiceProxy( proxy, &address, &ctx, NULL );
    ok( hr == WS_S_ASYNC || hr == S_OK, "got %#lx\n", hr );
    if (hr == WS_S_ASYNC)
    {
        ok( !WaitForSingleObject( result.event, 3000 ), "no callback\n" );
        Sleep( 50 );
        ok( result.calls == 1, "%ld callbacks\n", result.calls );
        ok( result.hr == S_OK, "got %#lx\n", result.hr );
    }
    CloseHandle( result.event );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_OPEN, "got %d\n", get_state( proxy ) );
    args.proxy = proxy;
    thread = CreateThread( NULL, 0, slow_call_thread, &args, 0, NULL );
    Sleep( 150 );
    hr = WsAbortServiceProxy( proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( thread, 2000 ), "call did not end\n" );
    CloseHandle( thread );
    ok( args.hr == WS_E_OPERATION_ABORTED, "got %#lx\n", args.hr );
    ok( args.elapsed < 1000, "took %lu ms\n", args.elapsed );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_FAULTED, "got %d\n", get_state( proxy ) );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_CLOSED, "got %d\n", get_state( proxy ) );
    hr = WsResetServiceProxy( proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
}

static void test_template( struct service *svc )
{
    WS_ENCODING text = WS_ENCODING_XML_UTF8, session = WS_ENCODING_XML_BINARY_SESSION_1;
    WS_CHANNEL_PROPERTY policy_prop = { WS_CHANNEL_PROPERTY_ENCODING, &text, sizeof(text) };
    WS_CHANNEL_PROPERTY app_prop = { WS_CHANNEL_PROPERTY_ENCODING, &session, sizeof(session) };
    WS_TCP_POLICY_DESCRIPTION desc = { { NULL, 0 } };
    WS_TCP_BINDING_TEMPLATE template = { { NULL, 0 } };
    WS_SERVICE_PROXY *proxy = NULL;
    WS_HEAP *heap;
    INT32 result = 0;
    HRESULT hr;

    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, WS_TCP_BINDING_TEMPLATE_TYPE,
                                           NULL, 0, &desc, sizeof(desc), NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, WS_TCP_BINDING_TEMPLATE_TYPE,
                                           NULL, 0, &desc, sizeof(desc) + 1, &proxy, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, WS_TCP_BINDING_TEMPLATE_TYPE,
                                           &template, sizeof(template) - 1, &desc, sizeof(desc), &proxy, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, 1000,
                                           NULL, 0, &desc, sizeof(desc), &proxy, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* Our DLL has no channel security yet: the security templates say so. */
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, WS_TCP_SSPI_BINDING_TEMPLATE_TYPE,
                                           NULL, 0, &desc, sizeof(desc), &proxy, NULL );
    ok( hr == E_NOTIMPL, "got %#lx\n", hr );
    ok( !proxy, "got %p\n", proxy );

    /* The policy's channel properties reach the channel (a wrong size is refused). */
    policy_prop.valueSize = 1;
    desc.channelProperties.properties = &policy_prop;
    desc.channelProperties.propertyCount = 1;
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, WS_TCP_BINDING_TEMPLATE_TYPE,
                                           NULL, 0, &desc, sizeof(desc), &proxy, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    policy_prop.valueSize = sizeof(text);

    /* The application's template properties override the policy's: the
     * service speaks the binary session encoding. */
    template.channelProperties.properties = &app_prop;
    template.channelProperties.propertyCount = 1;
    hr = WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE_DUPLEX_SESSION, NULL, 0, WS_TCP_BINDING_TEMPLATE_TYPE,
                                           &template, sizeof(template), &desc, sizeof(desc), &proxy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) { WsFreeHeap( heap ); return; }
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = call_add( proxy, heap, 3, 4, &result, NULL, 0, NULL );
    ok( hr == S_OK && result == 7, "got %#lx %d\n", hr, result );
    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
    WsFreeHeap( heap );
}

/* WS_CALL_PROPERTY_CHECK_MUST_UNDERSTAND: TRUE by default, the reply's
 * mustUnderstand headers are checked as WsCheckMustUnderstandHeaders does
 * (headers read by WsGetCustomHeader count as understood). */
static void test_must_understand( struct service *svc )
{
    struct send_ctx_state send_state = { 1000 }, recv_state = { 0 };
    WS_PROXY_MESSAGE_CALLBACK_CONTEXT send_ctx = { add_token, &send_state }, recv_ctx = { get_token, &recv_state };
    BOOL check_false = FALSE, check_true = TRUE;
    WS_CALL_PROPERTY props[3] =
    {
        { WS_CALL_PROPERTY_SEND_MESSAGE_CONTEXT, &send_ctx, sizeof(send_ctx) },
        { WS_CALL_PROPERTY_CHECK_MUST_UNDERSTAND, &check_true, sizeof(check_true) },
        { WS_CALL_PROPERTY_RECEIVE_MESSAGE_CONTEXT, &recv_ctx, sizeof(recv_ctx) },
    };
    WS_SERVICE_PROXY *proxy;
    WS_ERROR *error;
    WS_HEAP *heap;
    INT32 result;
    HRESULT hr;

    proxy = create_proxy( svc, NULL, 0 );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    WsCreateError( NULL, 0, &error );
    hr = open_proxy( proxy, svc );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* default (TRUE): the unread mustUnderstand header fails the call */
    result = 0;
    hr = call_add( proxy, heap, 3, 4, &result, props, 1, error );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    ok( result == 0, "got %d\n", result );
    ok( svc->token == 1000, "service got token %d\n", svc->token );
    ok( get_state( proxy ) == WS_SERVICE_PROXY_STATE_OPEN, "got %d\n", get_state( proxy ) );

    /* explicitly TRUE: the same */
    result = 0;
    hr = call_add( proxy, heap, 3, 4, &result, props, 2, error );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    ok( result == 0, "got %d\n", result );

    /* TRUE, but the receive callback reads the header: understood */
    result = 0;
    hr = call_add( proxy, heap, 3, 4, &result, props, 3, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( result == 7, "got %d\n", result );
    ok( recv_state.calls == 1, "got %ld\n", recv_state.calls );
    ok( recv_state.received == 1001, "got %d\n", recv_state.received );

    /* FALSE: not checked */
    props[1].value = &check_false;
    result = 0;
    hr = call_add( proxy, heap, 3, 4, &result, props, 2, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( result == 7, "got %d\n", result );
    ok( send_state.calls == 4, "got %ld\n", send_state.calls );

    /* a header without mustUnderstand never fails the call */
    send_state.token = 5;
    result = 0;
    hr = call_add( proxy, heap, 3, 4, &result, props, 1, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( result == 7, "got %d\n", result );

    hr = WsCloseServiceProxy( proxy, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeServiceProxy( proxy );
    WsFreeError( error );
    WsFreeHeap( heap );
}

static void test_tcp(void)
{
    USHORT port = 20000 + ((GetCurrentProcessId() + 17) % 20000);
    struct service svc;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    if (!start_service( &svc, WS_TCP_CHANNEL_BINDING, port )) return;
    test_calls( &svc );
    test_abandon( &svc );
    test_timeout_and_pending( &svc );
    test_abort( &svc );
    test_template( &svc );
    test_must_understand( &svc );
    stop_service( &svc );
}

static void test_http(void)
{
    USHORT port = 20000 + ((GetCurrentProcessId() + 19) % 20000);
    struct service svc;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no HTTP listener\n" ); return; }
    winetest_push_context( "http" );
    if (start_service( &svc, WS_HTTP_CHANNEL_BINDING, port ))
    {
        test_calls( &svc );
        test_abandon( &svc );
        test_abort( &svc );
        stop_service( &svc );
    }
    winetest_pop_context();
}

START_TEST(proxy)
{
    test_create();
    test_security_description();
    test_state_machine();
    test_tcp();
    test_http();
}
