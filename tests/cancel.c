/*
 * Tests for the operation context and call cancellation of the service host:
 * WsGetOperationContextProperty in every kind of service callback (service
 * operation, default message handler, accept channel, close channel,
 * authorization) with the values the host gives, and
 * WsRegisterOperationForCancel: one registration per call, cancel callbacks
 * on WsAbortServiceHost (WS_SERVICE_HOST_ABORT) and on a client that drops
 * its net.tcp session mid-call (WS_SERVICE_CHANNEL_FAULTED), cancel inside
 * the registration when the host was already aborted, free-state exactly
 * once after the call completed (also for operations that complete
 * asynchronously), never a cancel after the free-state; then stress (random
 * host aborts and client disconnects, abort racing completion) and a load
 * run of 32 clients ending in WsAbortServiceHost.
 *
 * Sources: the WsGetOperationContextProperty, WsRegisterOperationForCancel,
 * WS_OPERATION_CONTEXT_PROPERTY_ID, WS_OPERATION_CANCEL_CALLBACK,
 * WS_OPERATION_FREE_STATE_CALLBACK and WS_SERVICE_CANCEL_REASON reference
 * pages; the Call Cancellation, Cancellation, Operation Context Lifetime and
 * Threading, Context pages; BlockingServiceExample and
 * ServiceCancellationExample.  Where the docs are silent the tests follow
 * the project's documented decisions (property availability per callback
 * kind, WS_E_INVALID_OPERATION for a second registration).
 *
 * Every call on the host side gets a record (struct call_rec) that the
 * cancel and free-state callbacks update with interlocked counters and a
 * global sequence number, so the order of events per call can be checked
 * after the host is closed.
 *
 * Environment: CANCEL_LOAD_SECONDS (default 30) sets the length of the load
 * run; CANCEL_TESTS=context,register,abort,disconnect,async,stress,race,load
 * runs only the listed groups.  Wine's builtin has the service host as stubs
 * that abort the process: everything is skipped there.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "../webservices_private.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-parameter"

const struct ws_private_api *get_private_api( void );   /* tests/transport.c */

#define XS(s) { sizeof(s) - 1, (BYTE *)(s) }
#define NS "http://example.org/cancel/"

/* How long a blocked call waits for its cancel callback before giving up (a failure). */
#define BLOCK_TIMEOUT 10000

/* ---- descriptions: every operation takes an int and returns one ---- */

static WS_XML_STRING ns = XS( NS );
static WS_XML_STRING value_local = XS( "value" ), result_local = XS( "result" );

struct in_body { INT32 value; };
struct out_body { INT32 result; };
static WS_FIELD_DESCRIPTION value_field = { WS_ELEMENT_FIELD_MAPPING, &value_local, &ns, WS_INT32_TYPE, NULL, 0 };
static WS_FIELD_DESCRIPTION result_field = { WS_ELEMENT_FIELD_MAPPING, &result_local, &ns, WS_INT32_TYPE, NULL, 0 };
static WS_FIELD_DESCRIPTION *in_fields[] = { &value_field };
static WS_FIELD_DESCRIPTION *out_fields[] = { &result_field };

/* Op( context, INT32 value, INT32 *result, asyncContext, error ) */
static WS_PARAMETER_DESCRIPTION int_params[] =
{
    { WS_PARAMETER_TYPE_NORMAL, 0, 0xffff },
    { WS_PARAMETER_TYPE_NORMAL, 0xffff, 0 },
};

/* The call frame (wsutil's ParamStruct): one member per parameter, in order. */
struct int_frame { INT32 value; INT32 result; };
typedef HRESULT (CALLBACK *int_operation)( const WS_OPERATION_CONTEXT *, INT32, INT32 *, const WS_ASYNC_CONTEXT *,
                                           WS_ERROR * );

/* What wsutil generates for such an operation: unpack the frame, call the method table entry. */
static HRESULT CALLBACK int_stub( const WS_OPERATION_CONTEXT *context, void *frame, const void *callback,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct int_frame *f = frame;
    return ((int_operation)callback)( context, f->value, &f->result, async, error );
}

#define OPERATION(name) \
    static WS_XML_STRING name##_local = XS( #name ), name##_resp_local = XS( #name "Response" ); \
    static WS_XML_STRING name##_action = XS( NS #name ), name##_resp_action = XS( NS #name "Response" ); \
    static WS_STRUCT_DESCRIPTION name##_in_struct = { sizeof(struct in_body), 4, in_fields, 1, &name##_local, &ns }; \
    static WS_ELEMENT_DESCRIPTION name##_in_elem = { &name##_local, &ns, WS_STRUCT_TYPE, &name##_in_struct }; \
    static WS_STRUCT_DESCRIPTION name##_out_struct = { sizeof(struct out_body), 4, out_fields, 1, &name##_resp_local, \
                                                       &ns }; \
    static WS_ELEMENT_DESCRIPTION name##_out_elem = { &name##_resp_local, &ns, WS_STRUCT_TYPE, &name##_out_struct }; \
    static WS_MESSAGE_DESCRIPTION name##_in_msg = { &name##_action, &name##_in_elem }; \
    static WS_MESSAGE_DESCRIPTION name##_out_msg = { &name##_resp_action, &name##_out_elem }; \
    static WS_OPERATION_DESCRIPTION name##_client_op = { 1, &name##_in_msg, &name##_out_msg, 0, 0, 2, int_params, NULL, \
                                                         WS_NON_RPC_LITERAL_OPERATION }; \
    static WS_OPERATION_DESCRIPTION name##_service_op __attribute__((unused)) = \
        { 1, &name##_in_msg, &name##_out_msg, 0, 0, 2, int_params, int_stub, WS_NON_RPC_LITERAL_OPERATION };

OPERATION( Echo )
OPERATION( Block )
OPERATION( Async )
OPERATION( Other )     /* not in the service contract: goes to the default message handler */

/* ---- what a call does: the request value is MODE << 16 | PARAM ---- */

enum mode
{
    MODE_PLAIN,             /* result = value + 1 */
    MODE_CHECK,             /* check every context property, register once (and a second time: fails) */
    MODE_REGISTER_ARGS,     /* invalid registrations, then a valid one and a second one */
    MODE_BLOCK_HOLD,        /* register, wait for the cancel, then for g_release */
    MODE_BLOCK_SHORT,       /* register, wait for the cancel at most PARAM ms */
    MODE_AFTER_ABORT,       /* wait until the host was aborted, then register */
    MODE_RACE,              /* register, signal, Sleep( PARAM ) and return: races the host abort */
    MODE_BLOCK_CANCEL,      /* register, wait for the cancel */
    MODE_ASYNC_DELAY,       /* (Async) register, complete from another thread after PARAM ms */
    MODE_ASYNC_CANCEL,      /* (Async) register, complete 100 ms after the cancel */
    MODE_ASYNC_FAIL,        /* (Async) register, complete with E_FAIL after PARAM ms */
};
#define REQUEST(mode, param) ((INT32)(((mode) << 16) | ((param) & 0xffff)))
#define REQUEST_MODE(v) ((ULONG)(v) >> 16)
#define REQUEST_PARAM(v) ((ULONG)(v) & 0xffff)

enum kind { KIND_OP, KIND_DEFAULT, KIND_ACCEPT, KIND_CLOSE, KIND_AUTH, KIND_COUNT, KIND_NONE = KIND_COUNT };
static const char *kind_name[] = { "operation", "default handler", "accept", "close", "authorization", "none" };

/* ---- per-call records ---- */

struct call_rec
{
    LONG kind;
    LONG registered;        /* WsRegisterOperationForCancel returned S_OK */
    LONG cancels;           /* cancel callbacks */
    LONG frees;             /* free-state callbacks */
    LONG reason;            /* of the last cancel */
    LONG cancel_seq, free_seq, return_seq, async_seq;   /* g_seq at each event (0: not yet) */
    LONG returned;          /* the call returned (sync) or completed (async) */
    LONG cancels_at_register;
    LONG final;             /* the load run's last call of a client */
    HANDLE event;           /* set by the cancel callback */
};

#define MAX_RECORDS 16384
static struct call_rec g_records[MAX_RECORDS];
static LONG g_record_count;
static LONG g_seq;
static LONG g_cancels, g_frees, g_registered, g_returned;
static LONG g_cancel_after_free, g_free_before_return;
static LONG g_overflow;

static void reset_records( void )
{
    LONG i;

    for (i = 0; i < g_record_count && i < MAX_RECORDS; i++) CloseHandle( g_records[i].event );
    memset( g_records, 0, sizeof(g_records) );
    g_record_count = g_seq = 0;
    g_cancels = g_frees = g_registered = g_returned = 0;
    g_cancel_after_free = g_free_before_return = g_overflow = 0;
}

static struct call_rec *new_record( enum kind kind )
{
    LONG i = InterlockedIncrement( &g_record_count ) - 1;
    struct call_rec *rec;

    if (i >= MAX_RECORDS)
    {
        InterlockedIncrement( &g_overflow );
        return NULL;
    }
    rec = &g_records[i];
    rec->kind = kind;
    rec->event = CreateEventW( NULL, TRUE, FALSE, NULL );
    return rec;
}

static void CALLBACK on_cancel( WS_SERVICE_CANCEL_REASON reason, void *state )
{
    struct call_rec *rec = state;

    if (rec->frees) InterlockedIncrement( &g_cancel_after_free );
    rec->reason = reason;
    InterlockedExchange( &rec->cancel_seq, InterlockedIncrement( &g_seq ) );
    InterlockedIncrement( &rec->cancels );
    InterlockedIncrement( &g_cancels );
    SetEvent( rec->event );
}

static void CALLBACK on_free_state( void *state )
{
    struct call_rec *rec = state;

    if (!rec->returned) InterlockedIncrement( &g_free_before_return );
    InterlockedExchange( &rec->free_seq, InterlockedIncrement( &g_seq ) );
    InterlockedIncrement( &rec->frees );
    InterlockedIncrement( &g_frees );
}

/* Never called: registrations that must fail pass it, and it counts. */
static LONG g_bad_free;
static void CALLBACK on_free_never( void *state )
{
    InterlockedIncrement( &g_bad_free );
}

static HRESULT register_cancel( const WS_OPERATION_CONTEXT *context, struct call_rec *rec )
{
    HRESULT hr = WsRegisterOperationForCancel( context, on_cancel, on_free_state, rec, NULL );

    rec->cancels_at_register = rec->cancels;
    if (hr == S_OK)
    {
        rec->registered = 1;
        InterlockedIncrement( &g_registered );
    }
    return hr;
}

/* The call is over: set just before a sync call returns or an async one completes. */
static void mark_returned( struct call_rec *rec )
{
    if (!rec) return;
    InterlockedExchange( &rec->return_seq, InterlockedIncrement( &g_seq ) );
    InterlockedExchange( &rec->returned, 1 );
    InterlockedIncrement( &g_returned );
}

/* Every record: free-state once per successful registration, never otherwise;
 * at most one cancel; no cancel after the free-state; free-state after the
 * call returned; every call returned. */
static void check_records( const char *what )
{
    LONG i, count = min( g_record_count, MAX_RECORDS );
    LONG bad_free = 0, multi_cancel = 0, order = 0, unregistered_cancel = 0, not_returned = 0, early_free = 0;
    LONG first = -1;

    for (i = 0; i < count; i++)
    {
        struct call_rec *rec = &g_records[i];
        BOOL bad = FALSE;

        if (rec->frees != (rec->registered ? 1 : 0)) { bad_free++; bad = TRUE; }
        if (rec->cancels > 1) { multi_cancel++; bad = TRUE; }
        if (rec->cancels && !rec->registered) { unregistered_cancel++; bad = TRUE; }
        if (rec->cancels && rec->frees && rec->cancel_seq > rec->free_seq) { order++; bad = TRUE; }
        if (!rec->returned) { not_returned++; bad = TRUE; }
        if (rec->frees && rec->free_seq < rec->return_seq) { early_free++; bad = TRUE; }
        if (bad && first < 0) first = i;
    }
    ok( !g_overflow, "%s: %ld calls had no record\n", what, g_overflow );
    ok( !bad_free, "%s: %ld of %ld calls: free-state count != registrations (first #%ld: kind %s, registered %ld, "
        "frees %ld)\n", what, bad_free, count, first, first >= 0 ? kind_name[g_records[first].kind] : "",
        first >= 0 ? g_records[first].registered : 0, first >= 0 ? g_records[first].frees : 0 );
    ok( !multi_cancel, "%s: %ld calls cancelled more than once\n", what, multi_cancel );
    ok( !unregistered_cancel, "%s: %ld cancels without a registration\n", what, unregistered_cancel );
    ok( !order && !g_cancel_after_free, "%s: %ld/%ld cancel callbacks after the free-state\n", what, order,
        g_cancel_after_free );
    ok( !not_returned, "%s: %ld of %ld calls never returned\n", what, not_returned, count );
    ok( !early_free && !g_free_before_return, "%s: %ld/%ld free-states before the call completed\n", what,
        early_free, g_free_before_return );
    ok( !g_bad_free, "%s: free-state of a failed registration called %ld times\n", what, g_bad_free );
    ok( g_frees == g_registered, "%s: %ld free-states, %ld registrations\n", what, g_frees, g_registered );
}

/* ---- the host ---- */

static const struct ws_private_api *api;
static USHORT port_base, port_offset;

static USHORT next_port( void )
{
    if (!port_base) port_base = 20000 + ((GetCurrentProcessId() * 7 + 23) % 20000);
    return port_base + port_offset++ % 5000;
}

static WS_OPERATION_DESCRIPTION *service_ops[] = { &Echo_service_op, &Block_service_op, &Async_service_op };
static WS_CONTRACT_DESCRIPTION contract_desc = { ARRAYSIZE(service_ops), service_ops };

static int g_host_user_marker;      /* &g_host_user_marker is the host user state */

struct session
{
    WS_CHANNEL *channel;            /* the accept callback's channel */
    LONG ops;                       /* operations that ran on it */
    LONG closes;                    /* close callbacks */
};
#define MAX_SESSIONS 4096
static struct session g_sessions[MAX_SESSIONS];
static LONG g_accepts, g_closes, g_auths, g_defaults, g_op_calls;

/* What the callbacks do besides their job: check the context, register and block. */
static volatile LONG g_check_context;       /* check every property in every callback */
static volatile LONG g_block_kind = KIND_NONE;   /* this callback kind registers and blocks until cancelled */
static volatile LONG g_register_callbacks;  /* accept/close/auth/default register (and return at once) */
static const WS_XML_STRING *volatile g_expect_action;   /* the action of the request in flight */
static LONG g_blocked;                      /* calls that reached their blocking point */
static LONG g_final_blocked;                /* MODE_BLOCK_CANCEL calls with PARAM 1 (load) */
static HANDLE g_blocked_event;              /* auto-reset, set when g_blocked grows */
static HANDLE g_release;                    /* manual-reset: MODE_BLOCK_HOLD calls may return */
static HANDLE g_aborted;                    /* manual-reset: the host was aborted (MODE_AFTER_ABORT) */

struct test_host
{
    WS_SERVICE_HOST *host;
    WS_SERVICE_ENDPOINT endpoint;
    const WS_SERVICE_ENDPOINT *endpoints[1];
    WS_SERVICE_ENDPOINT_PROPERTY props[3];
    WS_SERVICE_PROPERTY_ACCEPT_CALLBACK accept;
    WS_SERVICE_PROPERTY_CLOSE_CALLBACK close;
    ULONG max_concurrency;
    WS_SERVICE_CONTRACT contract;
    WS_SERVICE_PROPERTY host_prop;
    void *user_state;
    WCHAR url[80], client_url[80];
    WS_CHANNEL_BINDING binding;
    WS_CHANNEL_TYPE type;
    BOOL callbacks;
};
static struct test_host g_host;

static void signal_blocked( void )
{
    InterlockedIncrement( &g_blocked );
    SetEvent( g_blocked_event );
}

static BOOL wait_blocked( LONG count, DWORD timeout )
{
    DWORD start = GetTickCount();

    while (g_blocked < count)
    {
        DWORD spent = GetTickCount() - start;
        if (spent >= timeout) return FALSE;
        WaitForSingleObject( g_blocked_event, timeout - spent );
    }
    return TRUE;
}

static BOOL wait_for( volatile LONG *value, LONG expect, DWORD timeout )
{
    DWORD start = GetTickCount();

    while (*value < expect)
    {
        if (GetTickCount() - start >= timeout) return FALSE;
        Sleep( 5 );
    }
    return TRUE;
}

static BOOL urls_equal( const WS_STRING *url, const WCHAR *expect )
{
    return url->length == wcslen( expect ) && !memcmp( url->chars, expect, url->length * sizeof(WCHAR) );
}

/* For messages: WCHARs as ASCII ('?' for the rest). */
static const char *narrow( const WCHAR *str, ULONG len, char *buf, ULONG size )
{
    ULONG i;
    if (!str) return "(null)";
    for (i = 0; i < len && i + 1 < size; i++) buf[i] = str[i] < 0x80 ? (char)str[i] : '?';
    buf[i] = 0;
    return buf;
}

static BOOL xml_strings_equal( const WS_XML_STRING *a, const WS_XML_STRING *b )
{
    return a->length == b->length && !memcmp( a->bytes, b->bytes, a->length );
}

static BOOL property_available( enum kind kind, WS_OPERATION_CONTEXT_PROPERTY_ID id )
{
    switch (id)
    {
    case WS_OPERATION_CONTEXT_PROPERTY_CHANNEL:
    case WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION:
    case WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE:
    case WS_OPERATION_CONTEXT_PROPERTY_LISTENER:
    case WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS:
        return TRUE;
    case WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE:
        return kind != KIND_ACCEPT;
    case WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE:
        return kind == KIND_OP || kind == KIND_DEFAULT || kind == KIND_AUTH;
    case WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE:
        return kind == KIND_OP;
    case WS_OPERATION_CONTEXT_PROPERTY_HEAP:
        return kind == KIND_OP || kind == KIND_DEFAULT;
    }
    return FALSE;
}

static ULONG property_size( WS_OPERATION_CONTEXT_PROPERTY_ID id )
{
    return id == WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS ? sizeof(WS_ENDPOINT_ADDRESS) : sizeof(void *);
}

union prop_buf
{
    void *ptr;
    WS_ENDPOINT_ADDRESS address;
    BYTE bytes[sizeof(WS_ENDPOINT_ADDRESS) + 16];
};

static BOOL untouched( const union prop_buf *buf )
{
    ULONG i;
    for (i = 0; i < sizeof(buf->bytes); i++) if (buf->bytes[i] != 0xcc) return FALSE;
    return TRUE;
}

/* A property read that must fail with E_INVALIDARG and leave the buffer alone. */
static void check_property_fails( const WS_OPERATION_CONTEXT *context, enum kind kind, ULONG id, ULONG size,
                                  const char *why )
{
    union prop_buf buf;
    HRESULT hr;

    memset( &buf, 0xcc, sizeof(buf) );
    hr = WsGetOperationContextProperty( context, id, &buf, size, NULL );
    ok( hr == E_INVALIDARG, "%s: id %lu (%s), size %lu: got %#lx\n", kind_name[kind], id, why, size, hr );
    ok( untouched( &buf ), "%s: id %lu (%s): buffer modified\n", kind_name[kind], id, why );
}

/* The value of an available property, checked against what the host must give. */
static void check_property_value( const WS_OPERATION_CONTEXT *context, enum kind kind, ULONG id,
                                  const union prop_buf *buf, struct session **session, WS_CHANNEL **channel )
{
    const char *name = kind_name[kind];
    HRESULT hr;

    switch (id)
    {
    case WS_OPERATION_CONTEXT_PROPERTY_CHANNEL:
    {
        WS_CHANNEL_TYPE type = 0xdead;
        *channel = buf->ptr;
        ok( buf->ptr != NULL, "%s: no channel\n", name );
        if (!buf->ptr) break;
        hr = WsGetChannelProperty( buf->ptr, WS_CHANNEL_PROPERTY_CHANNEL_TYPE, &type, sizeof(type), NULL );
        ok( hr == S_OK, "%s: channel type got %#lx\n", name, hr );
        ok( type == g_host.type, "%s: channel type %d, endpoint's %d\n", name, type, g_host.type );
        break;
    }
    case WS_OPERATION_CONTEXT_PROPERTY_CONTRACT_DESCRIPTION:
        ok( buf->ptr == &contract_desc, "%s: contract %p, expected the endpoint's %p\n", name, buf->ptr,
            &contract_desc );
        break;
    case WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE:
        ok( buf->ptr == g_host.user_state, "%s: host user state %p, expected %p\n", name, buf->ptr,
            g_host.user_state );
        break;
    case WS_OPERATION_CONTEXT_PROPERTY_CHANNEL_USER_STATE:
        if (g_host.callbacks)
        {
            struct session *s = buf->ptr;
            ok( s >= g_sessions && s < g_sessions + MAX_SESSIONS, "%s: channel user state %p is not what the "
                "accept callback stored\n", name, buf->ptr );
            if (s >= g_sessions && s < g_sessions + MAX_SESSIONS) *session = s;
        }
        else ok( buf->ptr == NULL, "%s: channel user state %p without an accept callback\n", name, buf->ptr );
        break;
    case WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE:
    {
        WS_XML_STRING action = { 0 };
        WS_HEAP *heap;
        ok( buf->ptr != NULL, "%s: no input message\n", name );
        if (!buf->ptr || !g_expect_action) break;
        WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
        hr = WsGetHeader( buf->ptr, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_READ_REQUIRED_VALUE, heap, &action,
                          sizeof(action), NULL );
        ok( hr == S_OK, "%s: action header got %#lx\n", name, hr );
        ok( hr == S_OK && xml_strings_equal( &action, g_expect_action ), "%s: action %.*s, expected %.*s\n", name,
            (int)action.length, action.bytes, (int)g_expect_action->length, g_expect_action->bytes );
        WsFreeHeap( heap );
        break;
    }
    case WS_OPERATION_CONTEXT_PROPERTY_OUTPUT_MESSAGE:
    {
        WS_MESSAGE_STATE state = 0xdead;
        ok( buf->ptr != NULL, "%s: no output message\n", name );
        if (!buf->ptr) break;
        hr = WsGetMessageProperty( buf->ptr, WS_MESSAGE_PROPERTY_STATE, &state, sizeof(state), NULL );
        ok( hr == S_OK, "%s: output message state got %#lx\n", name, hr );
        break;
    }
    case WS_OPERATION_CONTEXT_PROPERTY_HEAP:
    {
        void *mem = NULL;
        ok( buf->ptr != NULL, "%s: no heap\n", name );
        if (!buf->ptr) break;
        hr = WsAlloc( buf->ptr, 64, &mem, NULL );
        ok( hr == S_OK && mem != NULL, "%s: WsAlloc on the context heap got %#lx\n", name, hr );
        if (mem) memset( mem, 0x5a, 64 );
        break;
    }
    case WS_OPERATION_CONTEXT_PROPERTY_LISTENER:
    {
        WS_CHANNEL_TYPE type = 0xdead;
        WS_CHANNEL_BINDING binding = 0xdead;
        ok( buf->ptr != NULL, "%s: no listener\n", name );
        if (!buf->ptr) break;
        hr = WsGetListenerProperty( buf->ptr, WS_LISTENER_PROPERTY_CHANNEL_TYPE, &type, sizeof(type), NULL );
        ok( hr == S_OK && type == g_host.type, "%s: listener channel type got %#lx, %d\n", name, hr, type );
        hr = WsGetListenerProperty( buf->ptr, WS_LISTENER_PROPERTY_CHANNEL_BINDING, &binding, sizeof(binding), NULL );
        ok( hr == S_OK && binding == g_host.binding, "%s: listener binding got %#lx, %d\n", name, hr, binding );
        break;
    }
    case WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS:
    {
        char got[80], expect[80];
        ok( urls_equal( &buf->address.url, g_host.url ), "%s: endpoint address %s, expected %s\n", name,
            narrow( buf->address.url.chars, buf->address.url.length, got, sizeof(got) ),
            narrow( g_host.url, wcslen( g_host.url ), expect, sizeof(expect) ) );
        break;
    }
        break;
    }
}

/* Every WS_OPERATION_CONTEXT_PROPERTY_ID in a callback of KIND: available ones
 * succeed with the right value, the others fail leaving the buffer alone. */
static void check_context( const WS_OPERATION_CONTEXT *context, enum kind kind )
{
    struct session *session = NULL;
    WS_CHANNEL *channel = NULL;
    union prop_buf buf;
    ULONG id, size;
    HRESULT hr;

    for (id = WS_OPERATION_CONTEXT_PROPERTY_CHANNEL; id <= WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS; id++)
    {
        size = property_size( id );
        if (!property_available( kind, id ))
        {
            check_property_fails( context, kind, id, size, "not available" );
            continue;
        }
        memset( &buf, 0xcc, sizeof(buf) );
        hr = WsGetOperationContextProperty( context, id, &buf, size, NULL );
        ok( hr == S_OK, "%s: id %lu got %#lx\n", kind_name[kind], id, hr );
        if (hr == S_OK) check_property_value( context, kind, id, &buf, &session, &channel );
        check_property_fails( context, kind, id, size + 1, "size + 1" );
        check_property_fails( context, kind, id, size - 1, "size - 1" );
        check_property_fails( context, kind, id, 0, "size 0" );
    }
    check_property_fails( context, kind, WS_OPERATION_CONTEXT_PROPERTY_ENDPOINT_ADDRESS + 1, sizeof(void *),
                          "unknown id" );
    check_property_fails( context, kind, 0xdead, sizeof(void *), "unknown id" );

    /* The channel is the one the call came on: the one its session's accept callback saw. */
    if (session && kind != KIND_ACCEPT)
        ok( session->channel == channel, "%s: channel %p, the session's accept callback had %p\n", kind_name[kind],
            channel, session->channel );
    if (session && (kind == KIND_OP || kind == KIND_DEFAULT)) InterlockedIncrement( &session->ops );
    if (session && kind == KIND_CLOSE) InterlockedIncrement( &session->closes );
}

/* One registration succeeds, a second one fails and its free-state is never called. */
static void check_register_twice( const WS_OPERATION_CONTEXT *context, enum kind kind )
{
    struct call_rec *rec = new_record( kind ), *rec2 = new_record( kind );
    HRESULT hr;

    if (!rec || !rec2) return;
    hr = register_cancel( context, rec );
    ok( hr == S_OK, "%s: register got %#lx\n", kind_name[kind], hr );
    hr = WsRegisterOperationForCancel( context, on_cancel, on_free_never, rec2, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "%s: second register got %#lx\n", kind_name[kind], hr );
    mark_returned( rec2 );
    mark_returned( rec );
}

/* The callback kinds that block (g_block_kind): register, wait for the cancel. */
static void block_until_cancel( const WS_OPERATION_CONTEXT *context, enum kind kind )
{
    struct call_rec *rec = new_record( kind );
    HRESULT hr;

    if (!rec) return;
    hr = register_cancel( context, rec );
    ok( hr == S_OK, "%s: register got %#lx\n", kind_name[kind], hr );
    signal_blocked();
    if (hr == S_OK)
        ok( !WaitForSingleObject( rec->event, BLOCK_TIMEOUT ), "%s: no cancel callback\n", kind_name[kind] );
    mark_returned( rec );
}

/* What every service callback does besides its own job. */
static void callback_extras( const WS_OPERATION_CONTEXT *context, enum kind kind )
{
    if (g_check_context)
    {
        check_context( context, kind );
        check_register_twice( context, kind );
    }
    else if (g_block_kind == (LONG)kind) block_until_cancel( context, kind );
    else if (g_register_callbacks)
    {
        struct call_rec *rec = new_record( kind );
        if (!rec) return;
        ok( register_cancel( context, rec ) == S_OK, "%s: register failed\n", kind_name[kind] );
        mark_returned( rec );
    }
}

static HRESULT CALLBACK on_accept( const WS_OPERATION_CONTEXT *context, void **channel_state,
                                   const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    LONG i = InterlockedIncrement( &g_accepts ) - 1;
    struct session *session = &g_sessions[i % MAX_SESSIONS];
    WS_CHANNEL *channel = NULL;

    WsGetOperationContextProperty( context, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &channel, sizeof(channel), NULL );
    session->channel = channel;
    *channel_state = session;
    callback_extras( context, KIND_ACCEPT );
    return S_OK;
}

static HRESULT CALLBACK on_close( const WS_OPERATION_CONTEXT *context, const WS_ASYNC_CONTEXT *async )
{
    callback_extras( context, KIND_CLOSE );
    InterlockedIncrement( &g_closes );
    return S_OK;
}

static HRESULT CALLBACK on_authorize( const WS_OPERATION_CONTEXT *context, BOOL *authorized, WS_ERROR *error )
{
    InterlockedIncrement( &g_auths );
    callback_extras( context, KIND_AUTH );
    *authorized = TRUE;
    return S_OK;
}

/* The default handler answers the Other request with value + 1, as an operation would. */
static HRESULT CALLBACK on_default( const WS_OPERATION_CONTEXT *context, const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    WS_CHANNEL *channel = NULL;
    WS_MESSAGE *request = NULL, *reply;
    WS_HEAP *heap = NULL;
    struct in_body in;
    struct out_body out;
    HRESULT hr;

    InterlockedIncrement( &g_defaults );
    callback_extras( context, KIND_DEFAULT );
    hr = WsGetOperationContextProperty( context, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &channel, sizeof(channel),
                                        NULL );
    if (hr == S_OK) hr = WsGetOperationContextProperty( context, WS_OPERATION_CONTEXT_PROPERTY_INPUT_MESSAGE,
                                                        &request, sizeof(request), NULL );
    if (hr == S_OK) hr = WsGetOperationContextProperty( context, WS_OPERATION_CONTEXT_PROPERTY_HEAP, &heap,
                                                        sizeof(heap), NULL );
    if (hr != S_OK) return hr;
    hr = WsReadBody( request, &Other_in_elem, WS_READ_REQUIRED_VALUE, heap, &in, sizeof(in), error );
    if (hr != S_OK) return hr;
    hr = WsReadMessageEnd( channel, request, NULL, error );
    if (hr != S_OK) return hr;
    hr = WsCreateMessageForChannel( channel, NULL, 0, &reply, error );
    if (hr != S_OK) return hr;
    out.result = in.value + 1;
    hr = WsSendReplyMessage( channel, reply, &Other_out_msg, WS_WRITE_REQUIRED_VALUE, &out, sizeof(out), request,
                             NULL, error );
    WsFreeMessage( reply );
    return hr;
}

/* ---- the operations ---- */

static void check_register_args( const WS_OPERATION_CONTEXT *context )
{
    struct call_rec *rec = new_record( KIND_OP ), *rec2 = new_record( KIND_OP );
    HRESULT hr;

    if (!rec || !rec2) return;
    hr = WsRegisterOperationForCancel( NULL, on_cancel, on_free_never, rec2, NULL );
    ok( hr == E_INVALIDARG, "NULL context: got %#lx\n", hr );
    hr = WsRegisterOperationForCancel( context, NULL, on_free_never, rec2, NULL );
    ok( hr == E_INVALIDARG, "NULL cancel callback: got %#lx\n", hr );
    /* a failed registration does not use up the call's one registration */
    hr = register_cancel( context, rec );
    ok( hr == S_OK, "register got %#lx\n", hr );
    hr = WsRegisterOperationForCancel( context, on_cancel, on_free_never, rec2, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "second register got %#lx\n", hr );
    hr = WsRegisterOperationForCancel( context, on_cancel, NULL, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "third register got %#lx\n", hr );
    ok( !rec->cancels && !rec2->cancels, "cancelled\n" );
    mark_returned( rec2 );
    mark_returned( rec );
}

/* The synchronous modes (Echo and Block). */
static HRESULT run_sync( const WS_OPERATION_CONTEXT *context, INT32 value, INT32 *result )
{
    ULONG mode = REQUEST_MODE( value ), param = REQUEST_PARAM( value );
    struct call_rec *rec = NULL;
    HRESULT hr = S_OK;

    InterlockedIncrement( &g_op_calls );
    switch (mode)
    {
    case MODE_PLAIN:
        break;
    case MODE_CHECK:
        check_context( context, KIND_OP );
        check_register_twice( context, KIND_OP );
        break;
    case MODE_REGISTER_ARGS:
        check_register_args( context );
        break;
    case MODE_BLOCK_HOLD:
    case MODE_BLOCK_CANCEL:
        if (!(rec = new_record( KIND_OP ))) break;
        hr = register_cancel( context, rec );
        ok( hr == S_OK, "register got %#lx\n", hr );
        signal_blocked();
        if (mode == MODE_BLOCK_CANCEL && param == 1)
        {
            rec->final = 1;
            InterlockedIncrement( &g_final_blocked );
        }
        if (hr != S_OK) break;
        ok( !WaitForSingleObject( rec->event, BLOCK_TIMEOUT ), "operation: no cancel callback\n" );
        if (mode == MODE_BLOCK_HOLD)
            ok( !WaitForSingleObject( g_release, BLOCK_TIMEOUT ), "operation: not released\n" );
        break;
    case MODE_BLOCK_SHORT:
        if (!(rec = new_record( KIND_OP ))) break;
        hr = register_cancel( context, rec );
        ok( hr == S_OK, "register got %#lx\n", hr );
        if (hr == S_OK) WaitForSingleObject( rec->event, param );
        break;
    case MODE_AFTER_ABORT:
        if (!(rec = new_record( KIND_OP ))) break;
        signal_blocked();
        ok( !WaitForSingleObject( g_aborted, BLOCK_TIMEOUT ), "host not aborted\n" );
        hr = register_cancel( context, rec );
        ok( hr == S_OK, "register after the abort got %#lx\n", hr );
        /* the host already cancelled the call: the callback runs inside the registration */
        ok( rec->cancels_at_register == 1, "%ld cancels when the registration returned\n", rec->cancels_at_register );
        ok( rec->reason == WS_SERVICE_HOST_ABORT, "reason %ld\n", rec->reason );
        break;
    case MODE_RACE:
        if (!(rec = new_record( KIND_OP ))) break;
        hr = register_cancel( context, rec );
        ok( hr == S_OK, "register got %#lx\n", hr );
        signal_blocked();
        if (param) Sleep( param - 1 );
        break;
    default:
        ok( 0, "unknown mode %lu\n", mode );
        break;
    }
    /* failures are reported above; answer anyway */
    *result = value + 1;
    mark_returned( rec );
    return S_OK;
}

static HRESULT CALLBACK op_echo( const WS_OPERATION_CONTEXT *context, INT32 value, INT32 *result,
                                 const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    return run_sync( context, value, result );
}

static HRESULT CALLBACK op_block( const WS_OPERATION_CONTEXT *context, INT32 value, INT32 *result,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    return run_sync( context, value, result );
}

struct async_job
{
    struct call_rec *rec;
    WS_ASYNC_CONTEXT async;     /* a copy: the caller's may live on its stack */
    INT32 *result;
    INT32 value;
};

static DWORD CALLBACK async_job_thread( void *arg )
{
    struct async_job *job = arg;
    ULONG mode = REQUEST_MODE( job->value ), param = REQUEST_PARAM( job->value );
    WS_ASYNC_CONTEXT async = job->async;
    HRESULT hr = S_OK;

    if (mode == MODE_ASYNC_CANCEL)
    {
        ok( !WaitForSingleObject( job->rec->event, BLOCK_TIMEOUT ), "async operation: no cancel callback\n" );
        Sleep( 100 );
    }
    else if (param) Sleep( param );
    if (mode == MODE_ASYNC_FAIL) hr = E_FAIL;
    *job->result = job->value + 1;
    mark_returned( job->rec );
    free( job );
    async.callback( hr, WS_LONG_CALLBACK, async.callbackState );
    return 0;
}

/* Returns WS_S_ASYNC and completes from another thread through its WS_ASYNC_CONTEXT. */
static HRESULT CALLBACK op_async( const WS_OPERATION_CONTEXT *context, INT32 value, INT32 *result,
                                  const WS_ASYNC_CONTEXT *async, WS_ERROR *error )
{
    struct async_job *job;
    HANDLE thread;
    HRESULT hr;

    InterlockedIncrement( &g_op_calls );
    ok( async != NULL, "no async context\n" );
    if (!async) return E_FAIL;
    if (!(job = calloc( 1, sizeof(*job) ))) return E_OUTOFMEMORY;
    if (!(job->rec = new_record( KIND_OP ))) { free( job ); return E_OUTOFMEMORY; }
    hr = register_cancel( context, job->rec );
    ok( hr == S_OK, "register got %#lx\n", hr );
    signal_blocked();
    job->async = *async;
    job->result = result;
    job->value = value;
    job->rec->async_seq = InterlockedIncrement( &g_seq );
    if (!(thread = CreateThread( NULL, 0, async_job_thread, job, 0, NULL )))
    {
        mark_returned( job->rec );
        free( job );
        return E_FAIL;
    }
    CloseHandle( thread );
    return WS_S_ASYNC;
}

static const void *method_table[] = { (const void *)op_echo, (const void *)op_block, (const void *)op_async };

/* ---- host setup ---- */

struct host_config
{
    WS_CHANNEL_BINDING binding;
    BOOL callbacks;             /* accept, close and authorization callbacks */
    BOOL default_handler;
    ULONG max_concurrency;      /* 0: the default */
};

static WS_SERVICE_HOST_STATE host_state( WS_SERVICE_HOST *host )
{
    WS_SERVICE_HOST_STATE state = 0xdead;
    HRESULT hr = WsGetServiceHostProperty( host, WS_SERVICE_PROPERTY_HOST_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK, "host state got %#lx\n", hr );
    return state;
}

static void reset_host_counters( void )
{
    memset( g_sessions, 0, sizeof(g_sessions) );
    g_accepts = g_closes = g_auths = g_defaults = g_op_calls = 0;
    g_blocked = 0;
    ResetEvent( g_blocked_event );
    ResetEvent( g_release );
    ResetEvent( g_aborted );
}

static BOOL start_host( const struct host_config *config )
{
    struct test_host *h = &g_host;
    BOOL http = config->binding == WS_HTTP_CHANNEL_BINDING;
    ULONG tries, n = 0;
    HRESULT hr = E_FAIL;

    memset( h, 0, sizeof(*h) );
    h->binding = config->binding;
    h->type = http ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_DUPLEX_SESSION;
    h->callbacks = config->callbacks;
    h->user_state = &g_host_user_marker;
    h->contract.contractDescription = &contract_desc;
    h->contract.methodTable = method_table;
    if (config->default_handler) h->contract.defaultMessageHandlerCallback = on_default;
    if (config->callbacks)
    {
        h->accept.callback = on_accept;
        h->close.callback = on_close;
        h->props[n].id = WS_SERVICE_ENDPOINT_PROPERTY_ACCEPT_CHANNEL_CALLBACK;
        h->props[n].value = &h->accept;
        h->props[n++].valueSize = sizeof(h->accept);
        h->props[n].id = WS_SERVICE_ENDPOINT_PROPERTY_CLOSE_CHANNEL_CALLBACK;
        h->props[n].value = &h->close;
        h->props[n++].valueSize = sizeof(h->close);
        h->endpoint.authorizationCallback = on_authorize;
    }
    if (config->max_concurrency)
    {
        h->max_concurrency = config->max_concurrency;
        h->props[n].id = WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY;
        h->props[n].value = &h->max_concurrency;
        h->props[n++].valueSize = sizeof(h->max_concurrency);
    }
    h->endpoint.channelBinding = h->binding;
    h->endpoint.channelType = h->type;
    h->endpoint.contract = &h->contract;
    h->endpoint.properties = n ? h->props : NULL;
    h->endpoint.propertyCount = n;
    h->endpoints[0] = &h->endpoint;
    h->host_prop.id = WS_SERVICE_PROPERTY_HOST_USER_STATE;
    h->host_prop.value = &h->user_state;
    h->host_prop.valueSize = sizeof(h->user_state);

    /* another process may hold the port: take the next one */
    for (tries = 0; tries < 5; tries++)
    {
        USHORT port = next_port();
        swprintf( h->url, ARRAYSIZE(h->url), http ? L"http://+:%u/cancel" : L"net.tcp://localhost:%u/cancel", port );
        swprintf( h->client_url, ARRAYSIZE(h->client_url), http ? L"http://localhost:%u/cancel" :
                  L"net.tcp://localhost:%u/cancel", port );
        h->endpoint.address.url.chars = h->url;
        h->endpoint.address.url.length = wcslen( h->url );
        hr = WsCreateServiceHost( h->endpoints, 1, &h->host_prop, 1, &h->host, NULL );
        ok( hr == S_OK, "create host got %#lx\n", hr );
        if (hr != S_OK) return FALSE;
        hr = WsOpenServiceHost( h->host, NULL, NULL );
        if (hr == S_OK) break;
        WsFreeServiceHost( h->host );
        h->host = NULL;
        if (hr != WS_E_ADDRESS_IN_USE) break;
    }
    ok( hr == S_OK, "open host got %#lx\n", hr );
    return hr == S_OK;
}

/* Closes (after an abort, or with every client gone) and frees the host. */
static void close_host_only( void )
{
    HRESULT hr = WsCloseServiceHost( g_host.host, NULL, NULL );
    ok( hr == S_OK, "close host got %#lx\n", hr );
    ok( host_state( g_host.host ) == WS_SERVICE_HOST_STATE_CLOSED, "host not closed\n" );
}

static void free_host( void )
{
    WsFreeServiceHost( g_host.host );
    g_host.host = NULL;
}

static void close_host( void )
{
    close_host_only();
    free_host();
}

/* ---- clients ---- */

static WS_SERVICE_PROXY *open_proxy( void )
{
    BOOL http = g_host.binding == WS_HTTP_CHANNEL_BINDING;
    WS_SERVICE_PROXY *proxy = NULL;
    WS_ENDPOINT_ADDRESS address;
    HRESULT hr;

    hr = WsCreateServiceProxy( http ? WS_CHANNEL_TYPE_REQUEST : WS_CHANNEL_TYPE_DUPLEX_SESSION, g_host.binding, NULL,
                               NULL, 0, NULL, 0, &proxy, NULL );
    ok( hr == S_OK, "create proxy got %#lx\n", hr );
    if (hr != S_OK) return NULL;
    memset( &address, 0, sizeof(address) );
    address.url.chars = g_host.client_url;
    address.url.length = wcslen( g_host.client_url );
    hr = WsOpenServiceProxy( proxy, &address, NULL, NULL );
    if (hr != S_OK)
    {
        WsFreeServiceProxy( proxy );
        return NULL;
    }
    return proxy;
}

static void free_proxy( WS_SERVICE_PROXY *proxy )
{
    if (!proxy) return;
    WsAbortServiceProxy( proxy, NULL );
    WsCloseServiceProxy( proxy, NULL, NULL );
    WsFreeServiceProxy( proxy );
}

static HRESULT call_op( WS_SERVICE_PROXY *proxy, WS_OPERATION_DESCRIPTION *op, INT32 value, INT32 *result,
                        WS_ERROR *error )
{
    INT32 *presult = result;
    const void *args[] = { &value, &presult };
    WS_HEAP *heap;
    HRESULT hr;

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    if (hr != S_OK) return hr;
    hr = WsCall( proxy, op, args, heap, NULL, 0, NULL, error );
    WsFreeHeap( heap );
    return hr;
}

/* A call on its own thread, so the test can abort things while it runs. */
struct client_call
{
    WS_SERVICE_PROXY *proxy;
    WS_OPERATION_DESCRIPTION *op;
    INT32 value, result;
    HRESULT hr;
    HANDLE thread;
};

static DWORD CALLBACK client_call_thread( void *arg )
{
    struct client_call *call = arg;
    call->hr = call_op( call->proxy, call->op, call->value, &call->result, NULL );
    return 0;
}

static void start_call( struct client_call *call, WS_SERVICE_PROXY *proxy, WS_OPERATION_DESCRIPTION *op, INT32 value )
{
    call->proxy = proxy;
    call->op = op;
    call->value = value;
    call->result = 0;
    call->hr = 0xdeadbeef;
    call->thread = CreateThread( NULL, 0, client_call_thread, call, 0, NULL );
}

/* FALSE if the call did not return: its thread and data are then leaked on purpose. */
static BOOL finish_call( struct client_call *call, DWORD timeout )
{
    BOOL done = !WaitForSingleObject( call->thread, timeout );
    ok( done, "client call did not return\n" );
    if (done) CloseHandle( call->thread );
    return done;
}

static void snapshot_live( ULONG *counts )
{
    ULONG i;
    for (i = 0; i < WS_OBJECT_TYPE_COUNT; i++) counts[i] = api ? api->object_live_count( i ) : 0;
}

static void check_live( const ULONG *before, const char *what )
{
    ULONG now[WS_OBJECT_TYPE_COUNT], i;

    if (!api) return;
    snapshot_live( now );
    /* At most as many as before: an earlier test's client may still have
     * been going away when BEFORE was taken. */
    for (i = 0; i < WS_OBJECT_TYPE_COUNT; i++)
        ok( now[i] <= before[i], "%s: %lu live objects of type %lu, %lu before\n", what, now[i], i, before[i] );
}

/* ---- tests ---- */

static void test_null_context(void)
{
    union prop_buf buf;
    HRESULT hr;

    memset( &buf, 0xcc, sizeof(buf) );
    hr = WsGetOperationContextProperty( NULL, WS_OPERATION_CONTEXT_PROPERTY_CHANNEL, &buf, sizeof(void *), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( untouched( &buf ), "buffer modified\n" );
    hr = WsGetOperationContextProperty( NULL, WS_OPERATION_CONTEXT_PROPERTY_HOST_USER_STATE, &buf, sizeof(void *),
                                        NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsRegisterOperationForCancel( NULL, on_cancel, on_free_never, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsRegisterOperationForCancel( NULL, NULL, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( !g_bad_free, "free-state called\n" );
}

/* Every property in every callback kind, over one session (net.tcp) or per request (HTTP). */
static void test_context_properties( WS_CHANNEL_BINDING binding )
{
    struct host_config config = { binding, TRUE, TRUE, 0 };
    BOOL http = binding == WS_HTTP_CHANNEL_BINDING;
    WS_SERVICE_PROXY *proxy, *proxy2;
    INT32 result;
    HRESULT hr;
    LONG i;

    winetest_push_context( http ? "http" : "tcp" );
    reset_records();
    reset_host_counters();
    g_check_context = 1;
    if (!start_host( &config )) goto done;

    proxy = open_proxy();
    ok( proxy != NULL, "no proxy\n" );
    if (proxy)
    {
        g_expect_action = &Echo_action;
        result = 0;
        hr = call_op( proxy, &Echo_client_op, REQUEST( MODE_CHECK, 1 ), &result, NULL );
        ok( hr == S_OK, "call got %#lx\n", hr );
        ok( result == REQUEST( MODE_CHECK, 1 ) + 1, "got %d\n", result );
        g_expect_action = &Other_action;
        result = 0;
        hr = call_op( proxy, &Other_client_op, 41, &result, NULL );
        ok( hr == S_OK, "default handler call got %#lx\n", hr );
        ok( result == 42, "got %d\n", result );

        /* a second session at the same time: its calls see its own channel and state */
        proxy2 = open_proxy();
        ok( proxy2 != NULL, "no proxy\n" );
        if (proxy2)
        {
            g_expect_action = &Echo_action;
            hr = call_op( proxy2, &Echo_client_op, REQUEST( MODE_CHECK, 2 ), &result, NULL );
            ok( hr == S_OK, "call got %#lx\n", hr );
            hr = call_op( proxy, &Echo_client_op, REQUEST( MODE_CHECK, 3 ), &result, NULL );
            ok( hr == S_OK, "call got %#lx\n", hr );
            hr = WsCloseServiceProxy( proxy2, NULL, NULL );
            ok( hr == S_OK, "close proxy got %#lx\n", hr );
            WsFreeServiceProxy( proxy2 );
        }
        hr = WsCloseServiceProxy( proxy, NULL, NULL );
        ok( hr == S_OK, "close proxy got %#lx\n", hr );
        WsFreeServiceProxy( proxy );
    }
    /* the close callbacks run when the host sees the sessions end */
    ok( wait_for( &g_closes, g_accepts, 5000 ), "%ld close callbacks, %ld accepts\n", g_closes, g_accepts );
    close_host();

    ok( g_op_calls == 3, "%ld operations\n", g_op_calls );
    ok( g_defaults == 1, "%ld default handler calls\n", g_defaults );
    ok( g_auths == 4, "%ld authorization calls\n", g_auths );
    ok( g_accepts >= (http ? 1 : 2), "%ld accepts\n", g_accepts );
    ok( g_closes == g_accepts, "%ld close callbacks, %ld accepts\n", g_closes, g_accepts );
    if (!http)
    {
        ok( g_accepts == 2, "%ld accepts\n", g_accepts );
        ok( g_sessions[0].ops == 3 && g_sessions[1].ops == 1, "session ops %ld %ld\n", g_sessions[0].ops,
            g_sessions[1].ops );
        ok( g_sessions[0].channel != g_sessions[1].channel, "sessions share a channel\n" );
    }
    for (i = 0; i < g_accepts && i < MAX_SESSIONS; i++)
        ok( g_sessions[i].closes == 1, "session %ld: %ld close callbacks\n", i, g_sessions[i].closes );
    /* one successful and one failed registration in each callback, nothing cancelled */
    ok( g_registered == g_op_calls + g_defaults + g_auths + g_accepts + g_closes, "%ld registrations\n", g_registered );
    ok( g_cancels == 0, "%ld cancels\n", g_cancels );
    check_records( "context" );
done:
    g_check_context = 0;
    g_expect_action = NULL;
    winetest_pop_context();
}

/* Invalid registrations and the one-registration rule inside an operation. */
static void test_register_args(void)
{
    struct host_config config = { WS_TCP_CHANNEL_BINDING, FALSE, FALSE, 0 };
    WS_SERVICE_PROXY *proxy;
    INT32 result = 0;
    HRESULT hr;

    reset_records();
    reset_host_counters();
    if (!start_host( &config )) return;
    if ((proxy = open_proxy()))
    {
        hr = call_op( proxy, &Echo_client_op, REQUEST( MODE_REGISTER_ARGS, 0 ), &result, NULL );
        ok( hr == S_OK, "call got %#lx\n", hr );
        ok( result == REQUEST( MODE_REGISTER_ARGS, 0 ) + 1, "got %d\n", result );
        hr = WsCloseServiceProxy( proxy, NULL, NULL );
        ok( hr == S_OK, "close proxy got %#lx\n", hr );
        WsFreeServiceProxy( proxy );
    }
    else ok( 0, "no proxy\n" );
    close_host();
    ok( g_registered == 1, "%ld registrations\n", g_registered );
    ok( g_frees == 1, "%ld free-states\n", g_frees );
    ok( g_cancels == 0, "%ld cancels\n", g_cancels );
    check_records( "register args" );
}

/* BlockingServiceExample: operations wait for their cancel callback; WsAbortServiceHost
 * fires them with WS_SERVICE_HOST_ABORT without waiting for the calls, close waits. */
static void test_abort_blocking( WS_CHANNEL_BINDING binding )
{
    struct host_config config = { binding, FALSE, FALSE, 100 };
    BOOL http = binding == WS_HTTP_CHANNEL_BINDING;
    LONG count = http ? 2 : 3, i;
    static struct client_call calls[3];
    WS_SERVICE_PROXY *proxies[3] = { 0 };
    BOOL finished = TRUE;
    HRESULT hr;

    winetest_push_context( http ? "http" : "tcp" );
    reset_records();
    reset_host_counters();
    if (!start_host( &config )) goto done;
    for (i = 0; i < count; i++)
    {
        if (!(proxies[i] = open_proxy())) { ok( 0, "no proxy\n" ); count = i; break; }
        start_call( &calls[i], proxies[i], i == 1 ? &Echo_client_op : &Block_client_op,
                    REQUEST( MODE_BLOCK_HOLD, i ) );
    }
    ok( wait_blocked( count, 5000 ), "%ld of %ld calls blocked\n", g_blocked, count );

    hr = WsAbortServiceHost( g_host.host, NULL );
    ok( hr == S_OK, "abort got %#lx\n", hr );
    ok( host_state( g_host.host ) == WS_SERVICE_HOST_STATE_FAULTED, "host not faulted\n" );
    /* the calls are still running (they wait for g_release): abort did not wait for them */
    ok( g_returned == 0, "%ld calls returned before the release\n", g_returned );
    for (i = 0; i < g_record_count; i++)
    {
        ok( !WaitForSingleObject( g_records[i].event, 5000 ), "call %ld: no cancel callback\n", i );
        ok( g_records[i].cancels == 1, "call %ld: %ld cancels\n", i, g_records[i].cancels );
        ok( g_records[i].reason == WS_SERVICE_HOST_ABORT, "call %ld: reason %ld\n", i, g_records[i].reason );
        ok( !g_records[i].frees, "call %ld: free-state before the call returned\n", i );
    }
    hr = WsAbortServiceHost( g_host.host, NULL );
    ok( hr == S_OK, "second abort got %#lx\n", hr );
    SetEvent( g_release );
    for (i = 0; i < count; i++)
    {
        if (!finish_call( &calls[i], 10000 )) { finished = FALSE; continue; }
        ok( FAILED(calls[i].hr), "call %ld got %#lx\n", i, calls[i].hr );
    }
    close_host();
    ok( g_record_count == count, "%ld calls\n", g_record_count );
    ok( g_cancels == count, "%ld cancels\n", g_cancels );
    ok( g_frees == count, "%ld free-states\n", g_frees );
    check_records( "abort" );
    if (finished) for (i = 0; i < count; i++) free_proxy( proxies[i] );
done:
    winetest_pop_context();
}

/* A call that registers after the host was aborted is cancelled inside the registration. */
static void test_register_after_abort(void)
{
    struct host_config config = { WS_TCP_CHANNEL_BINDING, FALSE, FALSE, 0 };
    static struct client_call call;
    WS_SERVICE_PROXY *proxy;
    HRESULT hr;

    reset_records();
    reset_host_counters();
    if (!start_host( &config )) return;
    if (!(proxy = open_proxy())) { ok( 0, "no proxy\n" ); WsAbortServiceHost( g_host.host, NULL ); close_host(); return; }
    start_call( &call, proxy, &Block_client_op, REQUEST( MODE_AFTER_ABORT, 0 ) );
    ok( wait_blocked( 1, 5000 ), "call not started\n" );
    hr = WsAbortServiceHost( g_host.host, NULL );
    ok( hr == S_OK, "abort got %#lx\n", hr );
    SetEvent( g_aborted );
    if (!finish_call( &call, 10000 )) return;
    ok( FAILED(call.hr), "call got %#lx\n", call.hr );
    close_host();
    ok( g_cancels == 1, "%ld cancels\n", g_cancels );
    ok( g_frees == 1, "%ld free-states\n", g_frees );
    check_records( "register after abort" );
    free_proxy( proxy );
}

/* Service callbacks of each kind register and block; WsAbortServiceHost cancels them. */
struct callback_client
{
    enum kind kind;
    WS_SERVICE_PROXY *proxy;
    HRESULT hr;
};

static DWORD CALLBACK callback_client_thread( void *arg )
{
    struct callback_client *c = arg;
    INT32 result;

    c->hr = S_OK;
    if (!(c->proxy = open_proxy())) { c->hr = E_FAIL; return 0; }
    switch (c->kind)
    {
    case KIND_ACCEPT:
        break;      /* the session is all it takes */
    case KIND_AUTH:
        c->hr = call_op( c->proxy, &Echo_client_op, REQUEST( MODE_PLAIN, 0 ), &result, NULL );
        break;
    case KIND_DEFAULT:
        c->hr = call_op( c->proxy, &Other_client_op, 1, &result, NULL );
        break;
    case KIND_CLOSE:
        c->hr = call_op( c->proxy, &Echo_client_op, REQUEST( MODE_PLAIN, 0 ), &result, NULL );
        ok( c->hr == S_OK, "call before the close got %#lx\n", c->hr );
        c->hr = WsCloseServiceProxy( c->proxy, NULL, NULL );
        break;
    default:
        break;
    }
    return 0;
}

static void test_callbacks_abort(void)
{
    static const enum kind kinds[] = { KIND_ACCEPT, KIND_AUTH, KIND_DEFAULT, KIND_CLOSE };
    struct host_config config = { WS_TCP_CHANNEL_BINDING, TRUE, TRUE, 0 };
    static struct callback_client client;
    unsigned int i;
    HANDLE thread;
    HRESULT hr;

    for (i = 0; i < ARRAYSIZE(kinds); i++)
    {
        winetest_push_context( "%s", kind_name[kinds[i]] );
        reset_records();
        reset_host_counters();
        g_block_kind = kinds[i];
        if (!start_host( &config )) { winetest_pop_context(); break; }
        memset( &client, 0, sizeof(client) );
        client.kind = kinds[i];
        thread = CreateThread( NULL, 0, callback_client_thread, &client, 0, NULL );
        ok( wait_blocked( 1, 5000 ), "callback not blocked\n" );
        hr = WsAbortServiceHost( g_host.host, NULL );
        ok( hr == S_OK, "abort got %#lx\n", hr );
        if (g_record_count)
        {
            ok( !WaitForSingleObject( g_records[0].event, 5000 ), "no cancel callback\n" );
            ok( g_records[0].reason == WS_SERVICE_HOST_ABORT, "reason %ld\n", g_records[0].reason );
            ok( g_records[0].kind == (LONG)kinds[i], "kind %ld\n", g_records[0].kind );
        }
        if (WaitForSingleObject( thread, 10000 ))
        {
            ok( 0, "client did not return\n" );
            g_block_kind = KIND_NONE;
            winetest_pop_context();
            return;   /* the client thread is leaked, and the host with it */
        }
        CloseHandle( thread );
        close_host();
        ok( g_record_count == 1, "%ld blocked callbacks\n", g_record_count );
        ok( g_cancels == 1, "%ld cancels\n", g_cancels );
        ok( g_frees == 1, "%ld free-states\n", g_frees );
        /* the close callback runs once per accepted channel, also after a failed or cancelled accept */
        ok( g_closes == g_accepts && g_accepts == 1, "%ld close callbacks, %ld accepts\n", g_closes, g_accepts );
        check_records( kind_name[kinds[i]] );
        free_proxy( client.proxy );
        g_block_kind = KIND_NONE;
        winetest_pop_context();
    }
}

/* A net.tcp client that drops its session mid-call: WS_SERVICE_CHANNEL_FAULTED; the host stays open. */
static void test_client_disconnect(void)
{
    struct host_config config = { WS_TCP_CHANNEL_BINDING, FALSE, FALSE, 0 };
    static struct client_call call;
    WS_SERVICE_PROXY *proxy;
    WS_CHANNEL *channel;
    WS_MESSAGE *msg;
    WS_ENDPOINT_ADDRESS address;
    struct in_body in;
    INT32 result = 0;
    int variant;
    HRESULT hr;

    reset_records();
    reset_host_counters();
    if (!start_host( &config )) return;

    for (variant = 0; variant < 3; variant++)
    {
        LONG first = g_record_count;
        winetest_push_context( "variant %d", variant );
        if (variant < 2)
        {
            /* ServiceCancellationExample: WsAbortServiceProxy while the call is pending */
            if (!(proxy = open_proxy())) { ok( 0, "no proxy\n" ); winetest_pop_context(); break; }
            start_call( &call, proxy, variant ? &Async_client_op : &Block_client_op,
                        REQUEST( variant ? MODE_ASYNC_CANCEL : MODE_BLOCK_CANCEL, 0 ) );
            ok( wait_blocked( first + 1, 5000 ), "call not blocked\n" );
            hr = WsAbortServiceProxy( proxy, NULL );
            ok( hr == S_OK, "abort proxy got %#lx\n", hr );
            if (finish_call( &call, 10000 ))
            {
                ok( call.hr == WS_E_OPERATION_ABORTED, "call got %#lx\n", call.hr );
                WsFreeServiceProxy( proxy );
            }
        }
        else
        {
            /* a raw channel sends the request and aborts without waiting for the reply */
            hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
            ok( hr == S_OK, "create channel got %#lx\n", hr );
            memset( &address, 0, sizeof(address) );
            address.url.chars = g_host.client_url;
            address.url.length = wcslen( g_host.client_url );
            hr = WsOpenChannel( channel, &address, NULL, NULL );
            ok( hr == S_OK, "open channel got %#lx\n", hr );
            hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            in.value = REQUEST( MODE_BLOCK_CANCEL, 0 );
            hr = WsSendMessage( channel, msg, &Block_in_msg, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in), NULL, NULL );
            ok( hr == S_OK, "send got %#lx\n", hr );
            ok( wait_blocked( first + 1, 5000 ), "call not blocked\n" );
            hr = WsAbortChannel( channel, NULL );
            ok( hr == S_OK, "abort channel got %#lx\n", hr );
            WsFreeMessage( msg );
            WsFreeChannel( channel );
        }
        if (g_record_count > first)
        {
            struct call_rec *rec = &g_records[first];
            ok( !WaitForSingleObject( rec->event, 5000 ), "no cancel callback\n" );
            ok( rec->cancels == 1, "%ld cancels\n", rec->cancels );
            ok( rec->reason == WS_SERVICE_CHANNEL_FAULTED, "reason %ld\n", rec->reason );
            ok( wait_for( &rec->frees, 1, 5000 ), "no free-state\n" );
        }
        ok( host_state( g_host.host ) == WS_SERVICE_HOST_STATE_OPEN, "host not open\n" );
        winetest_pop_context();
    }

    /* the host still serves new clients */
    if ((proxy = open_proxy()))
    {
        hr = call_op( proxy, &Echo_client_op, REQUEST( MODE_PLAIN, 5 ), &result, NULL );
        ok( hr == S_OK, "call got %#lx\n", hr );
        ok( result == REQUEST( MODE_PLAIN, 5 ) + 1, "got %d\n", result );
        hr = WsCloseServiceProxy( proxy, NULL, NULL );
        ok( hr == S_OK, "close proxy got %#lx\n", hr );
        WsFreeServiceProxy( proxy );
    }
    else ok( 0, "no proxy\n" );
    close_host();
    ok( g_record_count == 3, "%ld calls\n", g_record_count );
    ok( g_cancels == 3, "%ld cancels\n", g_cancels );
    check_records( "disconnect" );
}

/* Asynchronous operations: WS_S_ASYNC, completion from another thread, free-state after it. */
static void test_async( WS_CHANNEL_BINDING binding )
{
    struct host_config config = { binding, FALSE, FALSE, 0 };
    BOOL http = binding == WS_HTTP_CHANNEL_BINDING;
    static struct client_call call;
    WS_SERVICE_PROXY *proxy;
    struct call_rec *rec;
    INT32 result = 0;
    HRESULT hr;

    winetest_push_context( http ? "http" : "tcp" );
    reset_records();
    reset_host_counters();
    if (!start_host( &config )) goto done;
    if (!(proxy = open_proxy())) { ok( 0, "no proxy\n" ); WsAbortServiceHost( g_host.host, NULL ); close_host(); goto done; }

    hr = call_op( proxy, &Async_client_op, REQUEST( MODE_ASYNC_DELAY, 100 ), &result, NULL );
    ok( hr == S_OK, "call got %#lx\n", hr );
    ok( result == REQUEST( MODE_ASYNC_DELAY, 100 ) + 1, "got %d\n", result );
    hr = call_op( proxy, &Async_client_op, REQUEST( MODE_ASYNC_DELAY, 0 ), &result, NULL );
    ok( hr == S_OK, "call got %#lx\n", hr );
    ok( result == REQUEST( MODE_ASYNC_DELAY, 0 ) + 1, "got %d\n", result );
    /* a completion with a failure HRESULT is a fault for the client */
    hr = call_op( proxy, &Async_client_op, REQUEST( MODE_ASYNC_FAIL, 20 ), &result, NULL );
    ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "failing call got %#lx\n", hr );
    ok( wait_for( &g_frees, 3, 5000 ), "%ld free-states\n", g_frees );
    for (rec = g_records; rec < g_records + min( g_record_count, 3 ); rec++)
    {
        ok( rec->registered && rec->frees == 1, "call %d: %ld free-states\n", (int)(rec - g_records), rec->frees );
        ok( rec->async_seq && rec->async_seq < rec->return_seq, "call %d: completed before returning WS_S_ASYNC\n",
            (int)(rec - g_records) );
        ok( rec->free_seq > rec->return_seq, "call %d: free-state (%ld) before the completion (%ld)\n",
            (int)(rec - g_records), rec->free_seq, rec->return_seq );
        ok( !rec->cancels, "call %d cancelled\n", (int)(rec - g_records) );
    }

    /* abort while an async call is pending: cancel, then close waits for its completion */
    start_call( &call, proxy, &Async_client_op, REQUEST( MODE_ASYNC_CANCEL, 0 ) );
    ok( wait_blocked( 4, 5000 ), "call not pending\n" );
    hr = WsAbortServiceHost( g_host.host, NULL );
    ok( hr == S_OK, "abort got %#lx\n", hr );
    hr = WsCloseServiceHost( g_host.host, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    if (g_record_count == 4)
    {
        rec = &g_records[3];
        ok( rec->cancels == 1 && rec->reason == WS_SERVICE_HOST_ABORT, "%ld cancels, reason %ld\n", rec->cancels,
            rec->reason );
        ok( rec->returned, "close returned before the async call completed\n" );
        ok( rec->frees == 1, "%ld free-states when close returned\n", rec->frees );
    }
    else ok( 0, "%ld calls\n", g_record_count );
    WsFreeServiceHost( g_host.host );
    g_host.host = NULL;
    if (finish_call( &call, 10000 ))
    {
        ok( FAILED(call.hr), "call got %#lx\n", call.hr );
        free_proxy( proxy );
    }
    check_records( "async" );
done:
    winetest_pop_context();
}

/* ---- stress ---- */

static ULONG next_random( ULONG *seed )
{
    *seed = *seed * 1103515245 + 12345;
    return (*seed >> 16) & 0x7fff;
}

static volatile LONG g_stop;
static LONG g_client_calls, g_client_ok, g_disconnects;

/* One client of the stress and load runs: its own proxy, random calls, random disconnects. */
struct stress_client
{
    ULONG seed;
    BOOL disconnects;       /* sometimes abort the proxy mid-call */
    BOOL final_block;       /* load: when g_stop is 2, make one call that blocks until the host abort */
    LONG calls;
    volatile LONG phase;    /* where it is, for the report when it hangs */
    HANDLE thread;
    struct client_call call;
};

static void stress_disconnect( struct stress_client *c, WS_SERVICE_PROXY **proxy )
{
    BOOL block = next_random( &c->seed ) & 1;

    start_call( &c->call, *proxy, block ? &Block_client_op : &Async_client_op,
                REQUEST( block ? MODE_BLOCK_CANCEL : MODE_ASYNC_CANCEL, 0 ) );
    Sleep( next_random( &c->seed ) % 4 );
    WsAbortServiceProxy( *proxy, NULL );
    InterlockedIncrement( &g_disconnects );
    if (!finish_call( &c->call, 15000 ))
    {
        *proxy = NULL;      /* leaked with the call */
        return;
    }
    WsFreeServiceProxy( *proxy );
    *proxy = NULL;
}

static DWORD CALLBACK stress_client_thread( void *arg )
{
    struct stress_client *c = arg;
    WS_SERVICE_PROXY *proxy = NULL;
    INT32 result;
    HRESULT hr;

    while (!g_stop || (c->final_block && g_stop == 2))
    {
        ULONG r;

        c->phase = 1;
        if (!proxy && !(proxy = open_proxy()))
        {
            Sleep( 2 );
            continue;
        }
        if (c->final_block && g_stop == 2)
        {
            /* the end of the load run: block until WsAbortServiceHost cancels the call */
            c->phase = 2;
            call_op( proxy, &Block_client_op, REQUEST( MODE_BLOCK_CANCEL, 1 ), &result, NULL );
            InterlockedIncrement( &g_client_calls );
            break;
        }
        r = next_random( &c->seed ) % 100;
        InterlockedIncrement( &g_client_calls );
        c->calls++;
        c->phase = 10 + r;
        if (c->disconnects && r < 8)
        {
            stress_disconnect( c, &proxy );
            continue;
        }
        if (r < 60) hr = call_op( proxy, &Echo_client_op, REQUEST( MODE_PLAIN, r ), &result, NULL );
        else if (r < 80)
            hr = call_op( proxy, &Block_client_op, REQUEST( MODE_BLOCK_SHORT, next_random( &c->seed ) % 6 ), &result,
                          NULL );
        else hr = call_op( proxy, &Async_client_op, REQUEST( MODE_ASYNC_DELAY, next_random( &c->seed ) % 4 ), &result,
                           NULL );
        if (hr == S_OK) InterlockedIncrement( &g_client_ok );
        else
        {
            c->phase = 3;
            free_proxy( proxy );
            proxy = NULL;
        }
    }
    c->phase = 4;
    free_proxy( proxy );
    c->phase = 5;
    return 0;
}

static BOOL run_clients( struct stress_client *clients, ULONG count, BOOL start )
{
    BOOL all = TRUE;
    ULONG i;

    for (i = 0; i < count; i++)
    {
        if (start)
        {
            clients[i].thread = CreateThread( NULL, 0, stress_client_thread, &clients[i], 0, NULL );
            continue;
        }
        if (WaitForSingleObject( clients[i].thread, 30000 ))
        {
            trace( "client %lu hangs in phase %ld\n", i, clients[i].phase );
            all = FALSE;
            continue;
        }
        CloseHandle( clients[i].thread );
    }
    return all;
}

/* Rounds of: open a host, clients calling (some dropping their sessions), abort
 * at a random moment, close, free; at least 1000 calls in all. */
static void test_stress(void)
{
    struct host_config config = { WS_TCP_CHANNEL_BINDING, TRUE, FALSE, 4 };
    static struct stress_client clients[4];
    ULONG seed = GetTickCount(), round = 0, i, before[WS_OBJECT_TYPE_COUNT];
    LONG registered = 0, cancels = 0, frees = 0;
    DWORD start = GetTickCount();
    HRESULT hr;

    snapshot_live( before );
    g_client_calls = g_client_ok = g_disconnects = 0;
    g_register_callbacks = 1;
    while (g_client_calls < 1000 && GetTickCount() - start < 60000)
    {
        winetest_push_context( "round %lu", round++ );
        reset_records();
        reset_host_counters();
        if (!start_host( &config )) { winetest_pop_context(); break; }
        g_stop = 0;
        for (i = 0; i < ARRAYSIZE(clients); i++)
        {
            memset( &clients[i], 0, sizeof(clients[i]) );
            clients[i].seed = seed + i * 7919 + round * 104729;
            clients[i].disconnects = TRUE;
        }
        run_clients( clients, ARRAYSIZE(clients), TRUE );
        Sleep( 150 + next_random( &seed ) % 350 );
        hr = WsAbortServiceHost( g_host.host, NULL );
        ok( hr == S_OK, "abort got %#lx\n", hr );
        g_stop = 1;
        /* close (as BlockingServiceExample does after the abort): it waits for the calls and
         * closes the listener, so clients still connecting are refused */
        close_host_only();
        if (!run_clients( clients, ARRAYSIZE(clients), FALSE ))
        {
            ok( 0, "clients did not finish: deadlock?\n" );
            winetest_pop_context();
            break;      /* everything is leaked */
        }
        free_host();
        if (winetest_debug > 1) trace( "round %lu: %ld calls, %lu ms\n", round, g_client_calls, GetTickCount() - start );
        check_records( "stress" );
        registered += g_registered;
        cancels += g_cancels;
        frees += g_frees;
        winetest_pop_context();
    }
    g_register_callbacks = 0;
    ok( g_client_calls >= 1000, "only %ld calls in %lu rounds\n", g_client_calls, round );
    check_live( before, "stress" );
    trace( "stress: %lu rounds, %ld calls (%ld ok, %ld disconnects), %ld registrations, %ld cancels, %ld free-states\n",
           round, g_client_calls, g_client_ok, g_disconnects, registered, cancels, frees );
}

/* Abort racing with the call's own completion, sync and async, many times. */
static void test_abort_race(void)
{
    struct host_config config = { WS_TCP_CHANNEL_BINDING, FALSE, FALSE, 0 };
    static struct client_call call;
    LONG iterations = 200, i, cancels = 0, frees = 0;
    WS_SERVICE_PROXY *proxy;
    HRESULT hr;

    reset_records();
    for (i = 0; i < iterations; i++)
    {
        reset_host_counters();
        if (!start_host( &config )) break;
        if (!(proxy = open_proxy())) { ok( 0, "no proxy\n" ); WsAbortServiceHost( g_host.host, NULL ); close_host(); break; }
        if (i & 1)
            start_call( &call, proxy, &Async_client_op, REQUEST( MODE_ASYNC_DELAY, (i >> 1) % 3 ) );
        else
            start_call( &call, proxy, &Block_client_op, REQUEST( MODE_RACE, (i >> 1) % 3 ) );
        ok( wait_blocked( 1, 5000 ), "%ld: not registered\n", i );
        hr = WsAbortServiceHost( g_host.host, NULL );
        ok( hr == S_OK, "%ld: abort got %#lx\n", i, hr );
        if (!finish_call( &call, 10000 )) break;
        close_host();
        free_proxy( proxy );
    }
    for (i = 0; i < g_record_count && i < MAX_RECORDS; i++)
    {
        cancels += g_records[i].cancels;
        frees += g_records[i].frees;
    }
    check_records( "race" );
    trace( "race: %ld calls, %ld cancelled, %ld free-states\n", g_record_count, cancels, frees );
}

/* The acceptance run: 32 clients for CANCEL_LOAD_SECONDS (30) against one host, then
 * each blocks in a call and WsAbortServiceHost cancels them all. */
static void test_load(void)
{
    struct host_config config = { WS_TCP_CHANNEL_BINDING, FALSE, FALSE, 4 };
    static struct stress_client clients[32];
    ULONG seconds = 30, i, before[WS_OBJECT_TYPE_COUNT];
    char buf[16];
    DWORD start, duration;
    LONG final_cancelled = 0, finals = 0;
    HRESULT hr;

    if (GetEnvironmentVariableA( "CANCEL_LOAD_SECONDS", buf, sizeof(buf) ) && atoi( buf ) > 0) seconds = atoi( buf );
    snapshot_live( before );
    reset_records();
    reset_host_counters();
    g_client_calls = g_client_ok = g_disconnects = 0;
    if (!start_host( &config )) return;
    g_stop = 0;
    for (i = 0; i < ARRAYSIZE(clients); i++)
    {
        memset( &clients[i], 0, sizeof(clients[i]) );
        clients[i].seed = GetTickCount() + i * 7919;
        clients[i].final_block = TRUE;
    }
    start = GetTickCount();
    run_clients( clients, ARRAYSIZE(clients), TRUE );
    Sleep( seconds * 1000 );

    /* every client ends in a blocking call; abort once all of them block */
    g_final_blocked = 0;
    g_stop = 2;
    ok( wait_for( &g_final_blocked, ARRAYSIZE(clients), 20000 ), "%ld of %d clients blocked\n", g_final_blocked,
        (int)ARRAYSIZE(clients) );
    hr = WsAbortServiceHost( g_host.host, NULL );
    ok( hr == S_OK, "abort got %#lx\n", hr );
    close_host_only();
    if (!run_clients( clients, ARRAYSIZE(clients), FALSE ))
    {
        ok( 0, "clients did not finish: deadlock?\n" );
        return;     /* everything is leaked */
    }
    free_host();
    duration = GetTickCount() - start;

    /* the blocked calls were each cancelled once, by the abort */
    for (i = 0; i < (ULONG)g_record_count && i < MAX_RECORDS; i++)
    {
        struct call_rec *rec = &g_records[i];
        if (!rec->final) continue;
        finals++;
        if (rec->cancels == 1 && rec->reason == WS_SERVICE_HOST_ABORT) final_cancelled++;
    }
    ok( finals == (LONG)ARRAYSIZE(clients), "%ld final calls, %d clients\n", finals, (int)ARRAYSIZE(clients) );
    ok( final_cancelled == finals, "%ld of %ld blocked calls cancelled once by the abort\n", final_cancelled, finals );
    ok( g_client_ok > 0, "no call succeeded\n" );
    check_records( "load" );
    check_live( before, "load" );
    trace( "load: %d clients, %lu s: %ld calls served (%ld client calls, %ld ok), %ld registrations, %ld cancels, "
           "%ld free-states, %lu ms\n", (int)ARRAYSIZE(clients), seconds, g_op_calls, g_client_calls, g_client_ok,
           g_registered, g_cancels, g_frees, duration );
}

/* CANCEL_TESTS=name,name... runs only those groups (a developer's shortcut); unset: all. */
static BOOL selected( const char *name )
{
    char list[256];
    const char *p;
    size_t len = strlen( name );

    if (!GetEnvironmentVariableA( "CANCEL_TESTS", list, sizeof(list) )) return TRUE;
    for (p = list; (p = strstr( p, name )); p += len)
        if ((p == list || p[-1] == ',') && (!p[len] || p[len] == ',')) return TRUE;
    return FALSE;
}

START_TEST(cancel)
{
    if (winetest_platform_is_wine)
    {
        /* Wine's builtin has the service host functions as stubs that abort the process. */
        skip( "no service host on Wine's builtin\n" );
        return;
    }
    api = get_private_api();
    if (api && api->size < sizeof(*api)) api = NULL;
    if (!api) skip( "no private test table: no handle count checks\n" );
    g_blocked_event = CreateEventW( NULL, FALSE, FALSE, NULL );
    g_release = CreateEventW( NULL, TRUE, FALSE, NULL );
    g_aborted = CreateEventW( NULL, TRUE, FALSE, NULL );

    if (selected( "context" ))
    {
        test_null_context();
        test_context_properties( WS_TCP_CHANNEL_BINDING );
        test_context_properties( WS_HTTP_CHANNEL_BINDING );
    }
    if (selected( "register" ))
    {
        test_register_args();
        test_register_after_abort();
    }
    if (selected( "abort" ))
    {
        test_abort_blocking( WS_TCP_CHANNEL_BINDING );
        test_abort_blocking( WS_HTTP_CHANNEL_BINDING );
        test_callbacks_abort();
    }
    if (selected( "disconnect" )) test_client_disconnect();
    if (selected( "async" ))
    {
        test_async( WS_TCP_CHANNEL_BINDING );
        test_async( WS_HTTP_CHANNEL_BINDING );
    }
    if (selected( "stress" )) test_stress();
    if (selected( "race" )) test_abort_race();
    if (selected( "load" )) test_load();

    CloseHandle( g_blocked_event );
    CloseHandle( g_release );
    CloseHandle( g_aborted );
}
