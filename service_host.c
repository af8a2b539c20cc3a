/*
 * Service host (WS_SERVICE_HOST)
 *
 * The host runs endpoints: each WS_SERVICE_ENDPOINT gets a listener, and
 * MAX_ACCEPTING_CHANNELS accept workers keep accepting channels on it (up to
 * MAX_CHANNELS being served at once).  Every accepted channel is served by a
 * session worker:
 *
 *   accept channel callback (its *channelState becomes the channel user state)
 *   loop: WsReadMessageStart
 *         authorization callback (headers read, body not yet)
 *         action -> operation of the contract:
 *             body -> call frame (wsutil's ParamStruct) on the call's body heap,
 *             WsReadMessageEnd, stub callback (the method table entry), reply
 *             from the out parameters with RelatesTo, or a fault built from the
 *             operation's WS_ERROR with the host's fault disclosure;
 *         no such operation: the default message handler (it reads the body and
 *             replies itself), else an ActionNotSupported fault
 *   until the client ends the session (WS_S_END), then the close channel
 *   callback, then the channel is closed and pooled.
 * On session channels the worker goes on reading while calls run on other
 * threads (up to MAX_CONCURRENCY at once), so it sees a client that
 * disconnects mid-call and cancels that channel's calls with
 * WS_SERVICE_CHANNEL_FAULTED.  Without read-ahead (HTTP, UDP, a default
 * message handler) the call runs on the session worker itself.
 *
 * Every piece of application code runs as a call with its own operation
 * context (cancel.c).  WsAbortServiceHost cancels every call with
 * WS_SERVICE_HOST_ABORT and aborts listeners and channels, without waiting;
 * WsCloseServiceHost waits for the workers (so for every call) to finish, at
 * most WS_SERVICE_PROPERTY_CLOSE_TIMEOUT before it aborts the host itself.
 *
 * States (WS_SERVICE_HOST_STATE diagram): CREATED -open-> OPENING -> OPEN
 * (a failed open goes back to CREATED); OPEN -abort-> FAULTED; OPEN or
 * FAULTED -close-> CLOSING -> CLOSED; CLOSED or CREATED -reset-> CREATED.
 * The host is free-threaded: obj.lock guards its state, lists and counters;
 * application callbacks never run under it.
 */

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "webservices_private.h"

/* ---- properties ----------------------------------------------------------- */

struct host_props
{
    void *user_state;
    WS_FAULT_DISCLOSURE disclosure;
    LANGID langid;
    WS_SERVICE_HOST_STATE state;          /* mirrors obj.state for WsGetServiceHostProperty */
    WS_SERVICE_METADATA metadata;
    ULONG close_timeout;
};

static const WS_FAULT_DISCLOSURE dflt_disclosure = WS_MINIMAL_FAULT_DISCLOSURE;
static const ULONG dflt_close_timeout = 5000;

static const struct ws_prop_desc host_prop_desc[] =
{
    WS_PROP( WS_SERVICE_PROPERTY_HOST_USER_STATE, struct host_props, user_state, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_PROPERTY_FAULT_DISCLOSURE, struct host_props, disclosure, WS_PROP_CREATE, &dflt_disclosure ),
    WS_PROP( WS_SERVICE_PROPERTY_FAULT_LANGID, struct host_props, langid, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_PROPERTY_HOST_STATE, struct host_props, state, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_SERVICE_PROPERTY_METADATA, struct host_props, metadata, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_PROPERTY_CLOSE_TIMEOUT, struct host_props, close_timeout, WS_PROP_CREATE, &dflt_close_timeout ),
};

static HRESULT validate_host_prop( ULONG id, const void *value, WS_ERROR *error )
{
    if (id == WS_SERVICE_PROPERTY_FAULT_DISCLOSURE && *(const ULONG *)value > WS_FULL_FAULT_DISCLOSURE)
        return ws_error_set( error, E_INVALIDARG, "unknown fault disclosure %lu", *(const ULONG *)value );
    return S_OK;
}

static const struct ws_prop_table host_prop_table = WS_PROP_TABLE( "service host", host_prop_desc, validate_host_prop );

struct endpoint_props
{
    WS_SERVICE_PROPERTY_ACCEPT_CALLBACK accept;
    WS_SERVICE_PROPERTY_CLOSE_CALLBACK close;
    ULONG max_accepting;
    ULONG max_concurrency;
    ULONG body_heap_max;
    ULONG body_heap_trim;
    WS_MESSAGE_PROPERTIES message_props;
    ULONG max_call_pool;
    ULONG max_channel_pool;
    WS_LISTENER_PROPERTIES listener_props;
    BOOL check_must_understand;
    WS_METADATA_EXCHANGE_TYPE mex_type;
    WS_SERVICE_ENDPOINT_METADATA metadata;
    WS_STRING mex_url_suffix;
    ULONG max_channels;
};

static const ULONG dflt_one = 1, dflt_100 = 100, dflt_heap_max = 65535, dflt_heap_trim = 4096;
static const BOOL dflt_true = TRUE;

static const struct ws_prop_desc endpoint_prop_desc[] =
{
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_ACCEPT_CHANNEL_CALLBACK, struct endpoint_props, accept, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_CLOSE_CHANNEL_CALLBACK, struct endpoint_props, close, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_MAX_ACCEPTING_CHANNELS, struct endpoint_props, max_accepting, WS_PROP_CREATE, &dflt_one ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY, struct endpoint_props, max_concurrency, WS_PROP_CREATE, &dflt_one ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_BODY_HEAP_MAX_SIZE, struct endpoint_props, body_heap_max, WS_PROP_CREATE, &dflt_heap_max ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_BODY_HEAP_TRIM_SIZE, struct endpoint_props, body_heap_trim, WS_PROP_CREATE, &dflt_heap_trim ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_MESSAGE_PROPERTIES, struct endpoint_props, message_props, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_MAX_CALL_POOL_SIZE, struct endpoint_props, max_call_pool, WS_PROP_CREATE, &dflt_100 ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNEL_POOL_SIZE, struct endpoint_props, max_channel_pool, WS_PROP_CREATE, &dflt_100 ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_LISTENER_PROPERTIES, struct endpoint_props, listener_props, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_CHECK_MUST_UNDERSTAND, struct endpoint_props, check_must_understand, WS_PROP_CREATE, &dflt_true ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_METADATA_EXCHANGE_TYPE, struct endpoint_props, mex_type, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_METADATA, struct endpoint_props, metadata, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_METADATA_EXCHANGE_URL_SUFFIX, struct endpoint_props, mex_url_suffix, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNELS, struct endpoint_props, max_channels, WS_PROP_CREATE, &dflt_100 ),
};

static HRESULT validate_endpoint_prop( ULONG id, const void *value, WS_ERROR *error )
{
    switch (id)
    {
    case WS_SERVICE_ENDPOINT_PROPERTY_MAX_ACCEPTING_CHANNELS:
    case WS_SERVICE_ENDPOINT_PROPERTY_MAX_CONCURRENCY:
    case WS_SERVICE_ENDPOINT_PROPERTY_MAX_CHANNELS:
        if (!*(const ULONG *)value)
            return ws_error_set( error, E_INVALIDARG, "service endpoint property %lu must not be 0", id );
        return S_OK;
    case WS_SERVICE_ENDPOINT_PROPERTY_METADATA_EXCHANGE_TYPE:
        if (*(const ULONG *)value > WS_METADATA_EXCHANGE_TYPE_HTTP_GET)
            return ws_error_set( error, E_INVALIDARG, "unknown metadata exchange type %lu", *(const ULONG *)value );
        return S_OK;
    default:
        return S_OK;
    }
}

static const struct ws_prop_table endpoint_prop_table =
    WS_PROP_TABLE( "service endpoint", endpoint_prop_desc, validate_endpoint_prop );

/* ---- objects -------------------------------------------------------------- */

struct service_host;
struct host_endpoint;

/* A channel an accept worker has in WsAcceptChannel: a close aborts it, so
 * that accepting stops while the listener (and the HTTP connections of the
 * requests being served) stays up until those are done. */
struct accept_slot
{
    WS_CHANNEL *channel;
    struct accept_slot *next;
};

/* The frame layout of one operation of an endpoint's contract. */
struct op_layout
{
    ULONG *offsets;
    ULONG size;
};

/* A call: the operation context handle plus what serving one message needs.
 * Pooled per endpoint (MAX_CALL_POOL_SIZE). */
struct host_call
{
    struct ws_operation_context ctx;      /* first: the WS_OPERATION_CONTEXT handle */
    struct host_endpoint *endpoint;
    struct host_session *session;
    WS_HEAP *heap;
    WS_MESSAGE *in, *out;
    WS_ERROR *error;
    ULONG op_index;
    void *frame;
    void **args;
    SRWLOCK async_lock;                   /* WS_S_ASYNC completion of the application's code */
    CONDITION_VARIABLE async_cv;
    BOOL async_done;
    HRESULT async_hr;
    struct host_call *pool_next;
};

/* An accepted channel being served. */
struct host_session
{
    struct host_endpoint *endpoint;
    WS_CHANNEL *channel;
    void *user_state;                     /* the accept callback's *channelState */
    BOOL read_ahead;
    SRWLOCK lock;                         /* in_flight, ended */
    CONDITION_VARIABLE cv;
    ULONG in_flight;
    BOOL ended;                           /* an operation returned WS_S_END */
    SRWLOCK send_lock;                    /* one reply at a time on the channel */
    struct host_session *prev, *next;     /* host's list (host lock) */
};

struct host_endpoint
{
    struct service_host *host;
    WS_SERVICE_ENDPOINT desc;             /* the application's, with address.url pointing at URL */
    WCHAR *url;
    WS_SERVICE_CONTRACT contract;
    struct endpoint_props props;
    struct op_layout *layouts;            /* per contract operation */
    WS_LISTENER *listener;                /* while open (host lock) */
    struct accept_slot *accepting;        /* channels in WsAcceptChannel (host lock) */
    ULONG channels;                       /* accepted or being accepted (host lock) */
    WS_CHANNEL **channel_pool;            /* closed, reset channels (host lock) */
    ULONG channel_pool_count;
    struct host_call *call_pool;          /* (host lock) */
    ULONG call_pool_count;
};

struct service_host
{
    struct ws_object obj;                 /* obj.state: WS_SERVICE_HOST_STATE; obj.lock guards what follows */
    struct host_props props;
    struct host_endpoint *endpoints;
    ULONG endpoint_count;
    struct ws_call_list calls;
    struct host_session *sessions;
    ULONG workers;                        /* accept and session workers, dispatched calls */
    CONDITION_VARIABLE idle;              /* workers or channels dropped */
    BOOL stopping;                        /* close or abort began: accept workers leave */
    BOOL aborted;                         /* cancel every call (host abort) */
    BOOL abort_requested;                 /* abort while OPENING */
    SRWLOCK listener_lock;                /* closing or freeing the listeners (not under obj.lock) */
    PTP_POOL pool;
    TP_CALLBACK_ENVIRON env;
};

static struct service_host *impl_from_WS_SERVICE_HOST( WS_SERVICE_HOST *host )
{
    return (struct service_host *)host;
}

/* Under the host lock. */
static void set_state( struct service_host *host, WS_SERVICE_HOST_STATE state )
{
    TRACE( "host %p: state %lu -> %d\n", host, host->obj.state, state );
    host->obj.state = state;
    host->props.state = state;
}

/* WsAbortServiceHost ran: every call is cancelled, nothing more goes out
 * ("all channels the host is using are aborted"). */
static BOOL host_aborted( struct service_host *host )
{
    /* A flag read on every reply: no need for the host lock. */
    return InterlockedCompareExchange( (LONG *)&host->aborted, 0, 0 ) != 0;
}

/* ---- workers -------------------------------------------------------------- */

static BOOL submit( struct service_host *host, PTP_SIMPLE_CALLBACK func, void *arg )
{
    ws_object_lock( host );
    host->workers++;
    ws_object_unlock( host );
    if (TrySubmitThreadpoolCallback( func, arg, &host->env )) return TRUE;
    ERR( "host %p: cannot queue work (error %lu)\n", host, GetLastError() );
    ws_object_lock( host );
    if (!--host->workers) WakeAllConditionVariable( &host->idle );
    ws_object_unlock( host );
    return FALSE;
}

static void worker_done( struct service_host *host )
{
    ws_object_lock( host );
    if (!--host->workers) WakeAllConditionVariable( &host->idle );
    ws_object_unlock( host );
}

/* ---- calls ---------------------------------------------------------------- */

static void free_call( struct host_call *call )
{
    if (call->in) WsFreeMessage( call->in );
    if (call->out) WsFreeMessage( call->out );
    if (call->heap) WsFreeHeap( call->heap );
    if (call->error) WsFreeError( call->error );
    ws_object_free( call );
}

static struct host_call *new_call( struct host_endpoint *ep )
{
    LANGID langid = ep->host->props.langid;
    struct host_call *call;

    if (!(call = ws_object_alloc( WS_OBJECT_OPERATION_CONTEXT, sizeof(*call) ))) return NULL;
    call->endpoint = ep;
    InitializeSRWLock( &call->async_lock );
    InitializeConditionVariable( &call->async_cv );
    if (FAILED(WsCreateHeap( ep->props.body_heap_max, ep->props.body_heap_trim, NULL, 0, &call->heap, NULL )) ||
        FAILED(WsCreateError( NULL, 0, &call->error )))
    {
        free_call( call );
        return NULL;
    }
    /* Faults built from this error speak the host's language. */
    WsSetErrorProperty( call->error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    return call;
}

static struct host_call *get_call( struct host_endpoint *ep, struct host_session *session )
{
    struct service_host *host = ep->host;
    struct host_call *call;

    ws_object_lock( host );
    if ((call = ep->call_pool))
    {
        ep->call_pool = call->pool_next;
        ep->call_pool_count--;
    }
    ws_object_unlock( host );
    if (!call && !(call = new_call( ep ))) return NULL;
    call->session = session;
    call->frame = NULL;
    call->args = NULL;
    return call;
}

/* Messages are made for the first channel a pooled call serves; every channel
 * of an endpoint has the same envelope and addressing versions. */
static HRESULT call_messages( struct host_call *call, WS_CHANNEL *channel, WS_ERROR *error )
{
    const WS_MESSAGE_PROPERTIES *props = &call->endpoint->props.message_props;
    HRESULT hr;

    if (!call->in && FAILED(hr = WsCreateMessageForChannel( channel, props->properties, props->propertyCount,
                                                            &call->in, error ))) return hr;
    if (!call->out && FAILED(hr = WsCreateMessageForChannel( channel, props->properties, props->propertyCount,
                                                             &call->out, error ))) return hr;
    return S_OK;
}

static void put_call( struct host_call *call )
{
    struct host_endpoint *ep = call->endpoint;
    struct service_host *host = ep->host;
    BOOL pooled = FALSE;

    if (call->in) WsResetMessage( call->in, NULL );
    if (call->out) WsResetMessage( call->out, NULL );
    WsResetHeap( call->heap, NULL );
    WsResetError( call->error );
    ws_object_lock( host );
    if (ep->call_pool_count < ep->props.max_call_pool)
    {
        call->pool_next = ep->call_pool;
        ep->call_pool = call;
        ep->call_pool_count++;
        pooled = TRUE;
    }
    ws_object_unlock( host );
    if (!pooled) free_call( call );
}

static void free_call_pool( struct host_endpoint *ep )
{
    struct host_call *call;

    while ((call = ep->call_pool))
    {
        ep->call_pool = call->pool_next;
        free_call( call );
    }
    ep->call_pool_count = 0;
}

/* The async context handed to application code: its completion wakes the host. */
static void CALLBACK call_async_done( HRESULT hr, WS_CALLBACK_MODEL model, void *state )
{
    struct host_call *call = state;

    (void)model;
    AcquireSRWLockExclusive( &call->async_lock );
    call->async_hr = hr;
    call->async_done = TRUE;
    WakeAllConditionVariable( &call->async_cv );
    ReleaseSRWLockExclusive( &call->async_lock );
}

static void prepare_async( struct host_call *call, WS_ASYNC_CONTEXT *async )
{
    call->async_done = FALSE;
    async->callback = call_async_done;
    async->callbackState = call;
}

/* HR as the application code returned it; WS_S_ASYNC waits for its completion. */
static HRESULT finish_async( struct host_call *call, HRESULT hr )
{
    if (hr != WS_S_ASYNC) return hr;
    AcquireSRWLockExclusive( &call->async_lock );
    while (!call->async_done) SleepConditionVariableSRW( &call->async_cv, &call->async_lock, INFINITE, 0 );
    hr = call->async_hr;
    ReleaseSRWLockExclusive( &call->async_lock );
    return hr;
}

/* Fills the context of CALL for KIND and puts it on the host's call list. */
static void begin_call( struct host_call *call, enum ws_call_kind kind, WS_MESSAGE *input, WS_MESSAGE *output,
                        WS_HEAP *heap )
{
    struct host_session *session = call->session;
    struct host_endpoint *ep = call->endpoint;
    struct service_host *host = ep->host;
    struct ws_operation_context *ctx = &call->ctx;

    ctx->kind = kind;
    ctx->channel = session->channel;
    ctx->contract = ep->contract.contractDescription;
    ctx->host_user_state = host->props.user_state;
    ctx->channel_user_state = kind == WS_CALL_ACCEPT_CHANNEL ? NULL : &session->user_state;
    ctx->input = input;
    ctx->output = output;
    ctx->heap = heap;
    ctx->listener = ep->listener;
    ctx->endpoint_address = &ep->desc.address;
    ws_call_begin( &host->calls, ctx, session );

    /* An abort that ran before the call was listed still cancels it: its
     * registration will then fire the cancel callback at once. */
    if (host_aborted( host )) ws_call_cancel( ctx, WS_SERVICE_HOST_ABORT );
}

/* ---- the host callbacks ---------------------------------------------------- */

static HRESULT run_accept_callback( struct host_session *session )
{
    WS_SERVICE_ACCEPT_CHANNEL_CALLBACK callback = session->endpoint->props.accept.callback;
    WS_ASYNC_CONTEXT async;
    struct host_call *call;
    HRESULT hr;

    if (!callback) return S_OK;
    if (!(call = get_call( session->endpoint, session ))) return E_OUTOFMEMORY;
    begin_call( call, WS_CALL_ACCEPT_CHANNEL, NULL, NULL, NULL );
    prepare_async( call, &async );
    hr = finish_async( call, callback( (WS_OPERATION_CONTEXT *)&call->ctx, &session->user_state, &async, call->error ) );
    ws_call_complete( &call->ctx );
    put_call( call );
    TRACE( "session %p: accept channel callback returned %#lx\n", session, hr );
    return hr;
}

static void run_close_callback( struct host_session *session )
{
    WS_SERVICE_CLOSE_CHANNEL_CALLBACK callback = session->endpoint->props.close.callback;
    WS_ASYNC_CONTEXT async;
    struct host_call *call;
    HRESULT hr;

    if (!callback) return;
    if (!(call = get_call( session->endpoint, session )))
    {
        ERR( "session %p: out of memory for the close channel callback\n", session );
        return;
    }
    begin_call( call, WS_CALL_CLOSE_CHANNEL, NULL, NULL, NULL );
    prepare_async( call, &async );
    /* Documented: the result only tells whether it completes asynchronously. */
    hr = finish_async( call, callback( (WS_OPERATION_CONTEXT *)&call->ctx, &async ) );
    ws_call_complete( &call->ctx );
    put_call( call );
    TRACE( "session %p: close channel callback returned %#lx\n", session, hr );
}

/* The authorization callback on REQUEST's headers: S_OK when authorized. */
static HRESULT run_authorization( struct host_call *request )
{
    WS_SERVICE_SECURITY_CALLBACK callback = request->endpoint->desc.authorizationCallback;
    struct host_call *call;
    BOOL authorized = FALSE;
    HRESULT hr;

    if (!callback) return S_OK;
    if (!(call = get_call( request->endpoint, request->session ))) return E_OUTOFMEMORY;
    begin_call( call, WS_CALL_AUTHORIZATION, request->in, NULL, NULL );
    hr = callback( (WS_OPERATION_CONTEXT *)&call->ctx, &authorized, call->error );
    ws_call_complete( &call->ctx );
    put_call( call );
    TRACE( "authorization callback returned %#lx, authorized %d\n", hr, authorized );
    if (FAILED(hr)) return hr;
    return authorized ? S_OK : E_ACCESSDENIED;
}

/* ---- replies and faults ---------------------------------------------------- */

static HRESULT send_fault( struct host_call *call, HRESULT code )
{
    struct host_session *session = call->session;
    HRESULT hr;

    if (host_aborted( call->endpoint->host ))
        return ws_error_set( call->error, WS_E_OPERATION_ABORTED, "the service host was aborted" );

    WsResetMessage( call->out, NULL );
    AcquireSRWLockExclusive( &session->send_lock );
    hr = WsSendFaultMessageForError( session->channel, call->out, call->error, code,
                                     call->endpoint->host->props.disclosure, call->in, NULL, NULL );
    ReleaseSRWLockExclusive( &session->send_lock );
    if (FAILED(hr)) WARN( "session %p: sending the fault for %#lx failed: %#lx\n", session, code, hr );
    return hr;
}

#define XML_STRING(s) { sizeof(s) - 1, (BYTE *)(s), NULL, 0 }

/* The WS-Addressing namespace of CHANNEL's messages and the action of its
 * addressing faults (WS-Addressing 1.0 SOAP Binding, section 6). */
static void addressing_fault( WS_CHANNEL *channel, const WS_XML_STRING **ns, const WS_XML_STRING **action )
{
    static const WS_XML_STRING ns09 = XML_STRING( "http://schemas.xmlsoap.org/ws/2004/08/addressing" );
    static const WS_XML_STRING ns10 = XML_STRING( "http://www.w3.org/2005/08/addressing" );
    static const WS_XML_STRING action09 = XML_STRING( "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault" );
    static const WS_XML_STRING action10 = XML_STRING( "http://www.w3.org/2005/08/addressing/fault" );
    WS_ADDRESSING_VERSION version = WS_ADDRESSING_VERSION_1_0;

    WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, &version, sizeof(version), NULL );
    *ns = version == WS_ADDRESSING_VERSION_0_9 ? &ns09 : &ns10;
    *action = version == WS_ADDRESSING_VERSION_0_9 ? &action09 : &action10;
}

/* WS-Addressing's ActionNotSupported fault (Sender / wsa:ActionNotSupported). */
static HRESULT send_action_not_supported( struct host_call *call, const WS_XML_STRING *action )
{
    static const WS_XML_STRING sender = XML_STRING( "Sender" );
    static const WS_XML_STRING subcode = XML_STRING( "ActionNotSupported" );
    static const WS_XML_STRING no_ns = { 0, NULL, NULL, 0 };
    static WCHAR lang[] = L"en-US";
    const WS_XML_STRING *ns, *fault_action;
    WS_FAULT_CODE sub, code = { { sender, no_ns }, &sub };
    WS_FAULT_REASON reason;
    WS_FAULT fault;
    WCHAR text[256];
    int len;
    HRESULT hr;

    addressing_fault( call->session->channel, &ns, &fault_action );
    sub.value.localName = subcode;
    sub.value.ns = *ns;
    sub.subCode = NULL;
    len = swprintf( text, ARRAYSIZE(text), L"The action '%.*hs' is not supported by this endpoint.",
                    action ? (int)min( action->length, 180 ) : 0, action ? (const char *)action->bytes : "" );
    reason.text.chars = text;
    reason.text.length = len > 0 ? len : 0;
    reason.lang.chars = lang;
    reason.lang.length = ARRAYSIZE(lang) - 1;
    memset( &fault, 0, sizeof(fault) );
    fault.code = &code;
    fault.reasons = &reason;
    fault.reasonCount = 1;
    WsResetError( call->error );
    if (FAILED(hr = WsSetFaultErrorProperty( call->error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) )) ||
        FAILED(hr = WsSetFaultErrorProperty( call->error, WS_FAULT_ERROR_PROPERTY_ACTION, fault_action,
                                             sizeof(*fault_action) )))
        return hr;
    WsResetMessage( call->out, NULL );
    AcquireSRWLockExclusive( &call->session->send_lock );
    hr = WsSendFaultMessageForError( call->session->channel, call->out, call->error, WS_E_ENDPOINT_ACTION_NOT_SUPPORTED,
                                     WS_FULL_FAULT_DISCLOSURE, call->in, NULL, NULL );
    ReleaseSRWLockExclusive( &call->session->send_lock );
    return hr;
}

static HRESULT send_reply( struct host_call *call, const WS_OPERATION_DESCRIPTION *op )
{
    const WS_MESSAGE_DESCRIPTION *desc = op->outputMessageDescription;
    struct host_session *session = call->session;
    HRESULT hr;

    if (host_aborted( call->endpoint->host ))
        return ws_error_set( call->error, WS_E_OPERATION_ABORTED, "the service host was aborted" );

    if (desc->action &&
        FAILED(hr = WsSetHeader( call->out, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE,
                                 desc->action, sizeof(*desc->action), call->error ))) return hr;
    AcquireSRWLockExclusive( &session->send_lock );
    if (SUCCEEDED(hr = ws_channel_write_message_start( session->channel, call->out, NULL, call->error )) &&
        SUCCEEDED(hr = ws_operation_write_output( op, call->out, call->args, call->error )))
        hr = ws_channel_write_message_end( session->channel, call->out, NULL, call->error );
    ReleaseSRWLockExclusive( &session->send_lock );
    return hr;
}

/* ---- operations ------------------------------------------------------------- */

static const WS_OPERATION_DESCRIPTION *find_operation( struct host_endpoint *ep, const WS_XML_STRING *action,
                                                        ULONG *index )
{
    const WS_CONTRACT_DESCRIPTION *contract = ep->contract.contractDescription;
    ULONG i;

    if (!contract) return NULL;
    for (i = 0; i < contract->operationCount; i++)
    {
        const WS_OPERATION_DESCRIPTION *op = contract->operations[i];
        const WS_XML_STRING *wanted = op->inputMessageDescription->action;
        BOOL match;

        /* (An operation without an action takes the messages without one.) */
        if (!wanted || !action) match = !wanted && !action;
        else match = wanted->length == action->length && !memcmp( wanted->bytes, action->bytes, action->length );
        if (!match) continue;
        *index = i;
        return op;
    }
    return NULL;
}

/* The rest of a request for operation OP: mustUnderstand, body -> frame, end. */
static HRESULT read_request( struct host_call *call, const WS_OPERATION_DESCRIPTION *op )
{
    struct op_layout *layout = &call->endpoint->layouts[call->op_index];
    HRESULT hr;
    ULONG i;

    if (call->endpoint->props.check_must_understand &&
        FAILED(hr = WsCheckMustUnderstandHeaders( call->in, call->error ))) return hr;
    if (FAILED(hr = ws_heap_alloc_hr( call->heap, layout->size ? layout->size : 1, &call->frame, call->error )))
        return hr;
    memset( call->frame, 0, layout->size );
    if (op->parameterCount)
    {
        if (FAILED(hr = ws_heap_alloc_hr( call->heap, op->parameterCount * sizeof(void *), (void **)&call->args,
                                          call->error ))) return hr;
        for (i = 0; i < op->parameterCount; i++) call->args[i] = (BYTE *)call->frame + layout->offsets[i];
    }
    if (FAILED(hr = ws_operation_read_input( op, call->in, call->args, call->heap, call->error ))) return hr;
    return ws_channel_read_message_end( call->session->channel, call->in, NULL, call->error );
}

static void mark_ended( struct host_session *session )
{
    AcquireSRWLockExclusive( &session->lock );
    session->ended = TRUE;
    ReleaseSRWLockExclusive( &session->lock );
}

/* Runs the operation of CALL (its request read) and answers it. */
static void run_operation( struct host_call *call )
{
    const WS_OPERATION_DESCRIPTION *op = call->endpoint->contract.contractDescription->operations[call->op_index];
    const void *method = ((const void * const *)call->endpoint->contract.methodTable)[call->op_index];
    BOOL two_way = op->outputMessageDescription != NULL;
    WS_ASYNC_CONTEXT async;
    HRESULT hr;

    if (two_way && FAILED(hr = WsInitializeMessage( call->out, WS_REPLY_MESSAGE, call->in, call->error )))
    {
        send_fault( call, hr );
        return;
    }
    begin_call( call, WS_CALL_OPERATION, call->in, two_way ? call->out : NULL, call->heap );
    prepare_async( call, &async );
    hr = finish_async( call, op->stubCallback( (WS_OPERATION_CONTEXT *)&call->ctx, call->frame, method, &async,
                                               call->error ) );
    ws_call_complete( &call->ctx );
    TRACE( "operation %lu returned %#lx\n", call->op_index, hr );

    if (SUCCEEDED(hr))
    {
        if (two_way)
        {
            HRESULT sent = send_reply( call, op );
            if (FAILED(sent)) WARN( "operation %lu: sending the reply failed: %#lx\n", call->op_index, sent );
        }
        if (hr == WS_S_END) mark_ended( call->session );
    }
    else if (two_way) send_fault( call, hr );
}

static void CALLBACK operation_work( PTP_CALLBACK_INSTANCE instance, void *arg )
{
    struct host_call *call = arg;
    struct host_session *session = call->session;
    struct service_host *host = call->endpoint->host;

    CallbackMayRunLong( instance );
    run_operation( call );
    put_call( call );
    AcquireSRWLockExclusive( &session->lock );
    session->in_flight--;
    WakeAllConditionVariable( &session->cv );
    ReleaseSRWLockExclusive( &session->lock );
    worker_done( host );
}

/* Waits for a free concurrency slot of SESSION and runs CALL on a worker. */
static void dispatch_operation( struct host_call *call )
{
    struct host_session *session = call->session;

    AcquireSRWLockExclusive( &session->lock );
    while (session->in_flight >= session->endpoint->props.max_concurrency)
        SleepConditionVariableSRW( &session->cv, &session->lock, INFINITE, 0 );
    session->in_flight++;
    ReleaseSRWLockExclusive( &session->lock );
    if (submit( session->endpoint->host, operation_work, call )) return;
    /* No worker: run it here. */
    run_operation( call );
    put_call( call );
    AcquireSRWLockExclusive( &session->lock );
    session->in_flight--;
    ReleaseSRWLockExclusive( &session->lock );
}

static HRESULT run_message_handler( struct host_call *call )
{
    WS_SERVICE_MESSAGE_RECEIVE_CALLBACK handler = call->endpoint->contract.defaultMessageHandlerCallback;
    WS_ASYNC_CONTEXT async;
    HRESULT hr;

    begin_call( call, WS_CALL_MESSAGE_HANDLER, call->in, NULL, call->heap );
    prepare_async( call, &async );
    hr = finish_async( call, handler( (WS_OPERATION_CONTEXT *)&call->ctx, &async, call->error ) );
    ws_call_complete( &call->ctx );
    TRACE( "default message handler returned %#lx\n", hr );
    return hr;
}

/* Serves one received message (headers read).  S_OK: go on reading;
 * a failure: abort the channel. */
static HRESULT handle_message( struct host_call *call )
{
    struct host_endpoint *ep = call->endpoint;
    const WS_OPERATION_DESCRIPTION *op;
    const WS_XML_STRING *action = NULL;
    HRESULT hr;

    if (FAILED(hr = run_authorization( call ))) return hr;
    WsGetHeader( call->in, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_READ_OPTIONAL_POINTER, call->heap, &action,
                 sizeof(action), NULL );
    if ((op = find_operation( ep, action, &call->op_index )))
    {
        if (FAILED(hr = read_request( call, op )))
        {
            WARN( "reading the request for operation %lu failed: %#lx\n", call->op_index, hr );
            if (op->outputMessageDescription) send_fault( call, hr );
            put_call( call );
            return S_OK;
        }
        if (call->session->read_ahead) dispatch_operation( call );
        else
        {
            run_operation( call );
            put_call( call );
        }
        return S_OK;
    }
    if (ep->contract.defaultMessageHandlerCallback)
    {
        hr = run_message_handler( call );
        put_call( call );
        if (hr == WS_S_END) mark_ended( call->session );
        return FAILED(hr) ? hr : S_OK;
    }
    TRACE( "action %s not supported\n", action ? debugstr_an( (const char *)action->bytes, action->length ) : "(none)" );
    ws_channel_read_message_end( call->session->channel, call->in, NULL, NULL );
    hr = send_action_not_supported( call, action );
    if (FAILED(hr)) WARN( "sending the ActionNotSupported fault failed: %#lx\n", hr );
    put_call( call );
    return S_OK;
}

/* ---- sessions ----------------------------------------------------------------- */

static WS_SERVICE_CANCEL_REASON fault_reason( struct service_host *host )
{
    return host_aborted( host ) ? WS_SERVICE_HOST_ABORT : WS_SERVICE_CHANNEL_FAULTED;
}

static BOOL calls_in_flight( struct host_session *session )
{
    ULONG count;

    AcquireSRWLockExclusive( &session->lock );
    count = session->in_flight;
    ReleaseSRWLockExclusive( &session->lock );
    return count != 0;
}

/* Reads and serves messages until the client ends the channel; FALSE when
 * the channel failed (or must be aborted). */
static BOOL serve_messages( struct host_session *session )
{
    struct host_endpoint *ep = session->endpoint;
    struct host_call *call;
    BOOL ended;
    HRESULT hr;

    for (;;)
    {
        if (!(call = get_call( ep, session ))) return FALSE;
        if (FAILED(hr = call_messages( call, session->channel, call->error )))
        {
            put_call( call );
            return FALSE;
        }
        hr = ws_channel_read_message_start( session->channel, call->in, NULL, call->error );
        if (hr == WS_S_END)
        {
            put_call( call );
            /* The client closed the connection with calls still running:
             * their replies have nowhere to go. */
            if (calls_in_flight( session ))
                ws_call_cancel_all( &ep->host->calls, session, fault_reason( ep->host ) );
            return TRUE;
        }
        if (FAILED(hr))
        {
            TRACE( "session %p: receive failed: %#lx\n", session, hr );
            put_call( call );
            /* A client that went away mid-call cancels that channel's calls. */
            ws_call_cancel_all( &ep->host->calls, session, fault_reason( ep->host ) );
            return FALSE;
        }
        AcquireSRWLockExclusive( &session->lock );
        ended = session->ended;
        ReleaseSRWLockExclusive( &session->lock );
        if (ended)
        {
            /* Documented for WS_S_END: another message means the channel is aborted. */
            WARN( "session %p: message after WS_S_END\n", session );
            put_call( call );
            return FALSE;
        }
        if (FAILED(hr = handle_message( call )))
        {
            WARN( "session %p: aborting the channel: %#lx\n", session, hr );
            return FALSE;
        }
    }
}

static void wait_calls( struct host_session *session )
{
    AcquireSRWLockExclusive( &session->lock );
    while (session->in_flight) SleepConditionVariableSRW( &session->cv, &session->lock, INFINITE, 0 );
    ReleaseSRWLockExclusive( &session->lock );
}

/* Closed and reset, the channel goes back to the endpoint's pool. */
static void recycle_channel( struct host_endpoint *ep, WS_CHANNEL *channel, BOOL ok )
{
    struct service_host *host = ep->host;
    BOOL pooled = FALSE;

    if (!ok) WsAbortChannel( channel, NULL );
    if (FAILED(WsCloseChannel( channel, NULL, NULL ))) WsAbortChannel( channel, NULL );
    if (SUCCEEDED(WsResetChannel( channel, NULL )))
    {
        ws_object_lock( host );
        if (!host->stopping && ep->channel_pool_count < ep->props.max_channel_pool)
        {
            ep->channel_pool[ep->channel_pool_count++] = channel;
            pooled = TRUE;
        }
        ws_object_unlock( host );
    }
    if (!pooled) WsFreeChannel( channel );
}

static void unlist_session( struct service_host *host, struct host_session *session )
{
    ws_object_lock( host );
    if (session->prev) session->prev->next = session->next;
    else host->sessions = session->next;
    if (session->next) session->next->prev = session->prev;
    session->endpoint->channels--;
    WakeAllConditionVariable( &host->idle );
    ws_object_unlock( host );
}

static void CALLBACK session_work( PTP_CALLBACK_INSTANCE instance, void *arg )
{
    struct host_session *session = arg;
    struct host_endpoint *ep = session->endpoint;
    struct service_host *host = ep->host;
    BOOL ok;

    CallbackMayRunLong( instance );
    TRACE( "session %p: channel %p accepted on endpoint %p\n", session, session->channel, ep );
    if (FAILED(run_accept_callback( session ))) ok = FALSE;
    else ok = serve_messages( session );
    if (!ok) WsAbortChannel( session->channel, NULL );
    wait_calls( session );
    /* Documented: right before the channel is closed or aborted, accepted or not. */
    run_close_callback( session );
    unlist_session( host, session );
    recycle_channel( ep, session->channel, ok );
    TRACE( "session %p: done\n", session );
    free( session );
    worker_done( host );
}

/* ---- accepting ------------------------------------------------------------------ */

static HRESULT get_channel( struct host_endpoint *ep, WS_CHANNEL **channel )
{
    struct service_host *host = ep->host;
    const WS_CHANNEL_PROPERTIES *props = &ep->desc.channelProperties;

    *channel = NULL;
    ws_object_lock( host );
    if (ep->channel_pool_count) *channel = ep->channel_pool[--ep->channel_pool_count];
    ws_object_unlock( host );
    if (*channel) return S_OK;
    return WsCreateChannelForListener( ep->listener, props->properties, props->propertyCount, channel, NULL );
}

static BOOL listener_faulted( WS_LISTENER *listener )
{
    WS_LISTENER_STATE state = WS_LISTENER_STATE_OPEN;

    WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_STATE, &state, sizeof(state), NULL );
    return state != WS_LISTENER_STATE_OPEN;
}

/* Lists a new session for CHANNEL; FALSE when the host is being aborted. */
static struct host_session *start_session( struct host_endpoint *ep, WS_CHANNEL *channel )
{
    struct service_host *host = ep->host;
    struct host_session *session;
    WS_CHANNEL_TYPE type;

    if (!(session = calloc( 1, sizeof(*session) ))) return NULL;
    session->endpoint = ep;
    session->channel = channel;
    type = ep->desc.channelType;
    /* Reading ahead needs the whole request read before the call runs, and
     * more than one message per channel: typed operations on sessions. */
    session->read_ahead = (type == WS_CHANNEL_TYPE_DUPLEX_SESSION || type == WS_CHANNEL_TYPE_INPUT_SESSION) &&
                          !ep->contract.defaultMessageHandlerCallback;
    InitializeSRWLock( &session->lock );
    InitializeSRWLock( &session->send_lock );
    InitializeConditionVariable( &session->cv );

    ws_object_lock( host );
    if (host->stopping)
    {
        ws_object_unlock( host );
        free( session );
        return NULL;
    }
    session->next = host->sessions;
    if (host->sessions) host->sessions->prev = session;
    host->sessions = session;
    ws_object_unlock( host );
    return session;
}

static HRESULT accept_channel( struct host_endpoint *ep, WS_CHANNEL *channel )
{
    struct service_host *host = ep->host;
    struct accept_slot slot = { channel, NULL }, **prev;
    BOOL stopping;
    HRESULT hr;

    ws_object_lock( host );
    if (!(stopping = host->stopping))
    {
        slot.next = ep->accepting;
        ep->accepting = &slot;
    }
    ws_object_unlock( host );
    if (stopping) return WS_E_OPERATION_ABORTED;

    hr = WsAcceptChannel( ep->listener, channel, NULL, NULL );

    ws_object_lock( host );
    for (prev = &ep->accepting; *prev != &slot; prev = &(*prev)->next) ;
    *prev = slot.next;
    ws_object_unlock( host );
    return hr;
}

/* Aborts the channels in WsAcceptChannel.  Under the host lock. */
static void abort_accepts( struct service_host *host )
{
    struct accept_slot *slot;
    ULONG i;

    for (i = 0; i < host->endpoint_count; i++)
        for (slot = host->endpoints[i].accepting; slot; slot = slot->next) WsAbortChannel( slot->channel, NULL );
}

/* Stops the accept workers; the listeners stay open.  Under the host lock. */
static void stop_accepting( struct service_host *host )
{
    host->stopping = TRUE;
    WakeAllConditionVariable( &host->idle );
    abort_accepts( host );
}

static void CALLBACK accept_work( PTP_CALLBACK_INSTANCE instance, void *arg )
{
    struct host_endpoint *ep = arg;
    struct service_host *host = ep->host;
    struct host_session *session;
    ULONG failures = 0;
    WS_CHANNEL *channel;
    HRESULT hr;

    CallbackMayRunLong( instance );
    for (;;)
    {
        ws_object_lock( host );
        while (!host->stopping && ep->channels >= ep->props.max_channels)
            SleepConditionVariableSRW( &host->idle, &host->obj.lock, INFINITE, 0 );
        if (host->stopping)
        {
            ws_object_unlock( host );
            break;
        }
        ep->channels++;
        ws_object_unlock( host );

        if (SUCCEEDED(hr = get_channel( ep, &channel ))) hr = accept_channel( ep, channel );
        if (SUCCEEDED(hr) && (session = start_session( ep, channel )))
        {
            failures = 0;
            if (submit( host, session_work, session )) continue;
            unlist_session( host, session );
            free( session );
            recycle_channel( ep, channel, FALSE );
            continue;
        }
        if (channel) recycle_channel( ep, channel, FALSE );
        ws_object_lock( host );
        ep->channels--;
        ws_object_unlock( host );
        if (SUCCEEDED(hr)) break;   /* stopping */
        TRACE( "endpoint %p: accept failed: %#lx\n", ep, hr );
        if (listener_faulted( ep->listener )) break;
        /* A client that sent garbage is no reason to stop; a failure that
         * repeats at once must not spin. */
        if (++failures > 8) Sleep( 10 );
    }
    worker_done( host );
}

/* ---- opening, closing, aborting ---------------------------------------------------- */

static void abort_listeners( struct service_host *host )
{
    ULONG i;
    for (i = 0; i < host->endpoint_count; i++)
        if (host->endpoints[i].listener) WsAbortListener( host->endpoints[i].listener, NULL );
}

static void free_listeners( struct service_host *host )
{
    ULONG i;

    AcquireSRWLockExclusive( &host->listener_lock );
    for (i = 0; i < host->endpoint_count; i++)
    {
        struct host_endpoint *ep = &host->endpoints[i];
        WS_LISTENER *listener;

        ws_object_lock( host );
        listener = ep->listener;
        ep->listener = NULL;
        ws_object_unlock( host );
        if (!listener) continue;
        WsCloseListener( listener, NULL, NULL );
        WsFreeListener( listener );
    }
    ReleaseSRWLockExclusive( &host->listener_lock );
}

/* After an abort the listening sockets go too, so that a client that
 * connects in the meantime is refused at once (the listeners themselves are
 * freed by the close). */
static void close_listeners( struct service_host *host )
{
    WS_LISTENER *listener;
    ULONG i;

    AcquireSRWLockExclusive( &host->listener_lock );
    for (i = 0; i < host->endpoint_count; i++)
    {
        ws_object_lock( host );
        listener = host->endpoints[i].listener;
        ws_object_unlock( host );
        if (listener) WsCloseListener( listener, NULL, NULL );
    }
    ReleaseSRWLockExclusive( &host->listener_lock );
}

static void free_channel_pools( struct service_host *host )
{
    ULONG i;
    for (i = 0; i < host->endpoint_count; i++)
    {
        struct host_endpoint *ep = &host->endpoints[i];
        while (ep->channel_pool_count) WsFreeChannel( ep->channel_pool[--ep->channel_pool_count] );
    }
}

/* Stops accepting and aborts every channel being served; cancels every call. */
static void abort_host( struct service_host *host )
{
    struct host_session *session;

    ws_object_lock( host );
    host->aborted = TRUE;
    stop_accepting( host );
    ws_object_unlock( host );

    /* Channels first, so that a cancelled operation that returns at once
     * finds its channel aborted and sends nothing; a session whose receive
     * fails now sees ABORTED and cancels with WS_SERVICE_HOST_ABORT too. */
    ws_object_lock( host );
    abort_listeners( host );
    for (session = host->sessions; session; session = session->next) WsAbortChannel( session->channel, NULL );
    ws_object_unlock( host );

    ws_call_cancel_all( &host->calls, NULL, WS_SERVICE_HOST_ABORT );
    close_listeners( host );
}

/* Waits for every worker; FALSE when TIMEOUT (ms) expired first.  An abort of
 * a channel that has not entered WsAcceptChannel yet is lost (aborting a
 * CREATED channel changes nothing), so the accepts are aborted again while
 * waiting: a worker caught in that window still leaves. */
static BOOL wait_idle( struct service_host *host, ULONG timeout )
{
    static const DWORD reabort_interval = 50;
    ULONGLONG deadline = GetTickCount64() + timeout;
    BOOL idle = TRUE;

    ws_object_lock( host );
    while (host->workers)
    {
        ULONGLONG now = GetTickCount64();
        DWORD wait = reabort_interval;

        if (timeout != INFINITE && now >= deadline) { idle = FALSE; break; }
        if (timeout != INFINITE && deadline - now < wait) wait = (DWORD)(deadline - now);
        SleepConditionVariableSRW( &host->idle, &host->obj.lock, wait, 0 );
        if (host->stopping) abort_accepts( host );
    }
    ws_object_unlock( host );
    return idle;
}

static HRESULT open_listener( struct service_host *host, struct host_endpoint *ep, WS_ERROR *error )
{
    const WS_LISTENER_PROPERTIES *props = &ep->props.listener_props;
    WS_LISTENER *listener;
    BOOL aborted;
    HRESULT hr;

    if (FAILED(hr = WsCreateListener( ep->desc.channelType, ep->desc.channelBinding, props->properties,
                                      props->propertyCount, NULL, &listener, error ))) return hr;
    ws_object_lock( host );
    ep->listener = listener;   /* reachable by an abort from now on */
    aborted = host->abort_requested;
    ws_object_unlock( host );
    if (aborted) return ws_error_set( error, WS_E_OPERATION_ABORTED, "the service host was aborted during the open" );
    if (FAILED(hr = WsOpenListener( listener, &ep->desc.address.url, NULL, error ))) return hr;
    ws_object_lock( host );
    aborted = host->abort_requested;
    ws_object_unlock( host );
    if (aborted) return ws_error_set( error, WS_E_OPERATION_ABORTED, "the service host was aborted during the open" );
    return S_OK;
}

static HRESULT open_host( struct service_host *host, WS_ERROR *error )
{
    HRESULT hr = S_OK;
    ULONG i, j;

    for (i = 0; i < host->endpoint_count && SUCCEEDED(hr); i++)
        hr = open_listener( host, &host->endpoints[i], error );

    ws_object_lock( host );
    if (SUCCEEDED(hr) && host->abort_requested)
        hr = ws_error_set( error, WS_E_OPERATION_ABORTED, "the service host was aborted during the open" );
    if (SUCCEEDED(hr)) set_state( host, WS_SERVICE_HOST_STATE_OPEN );
    ws_object_unlock( host );
    if (FAILED(hr))
    {
        /* Documented: an open that fails goes back to CREATED. */
        abort_listeners( host );
        free_listeners( host );
        ws_object_lock( host );
        set_state( host, WS_SERVICE_HOST_STATE_CREATED );
        ws_object_unlock( host );
        return hr;
    }
    for (i = 0; i < host->endpoint_count; i++)
        for (j = 0; j < host->endpoints[i].props.max_accepting; j++)
            submit( host, accept_work, &host->endpoints[i] );
    return S_OK;
}

static HRESULT close_host( struct service_host *host, WS_ERROR *error )
{
    HRESULT hr = S_OK;

    /* No new channels; those being served may finish. */
    ws_object_lock( host );
    stop_accepting( host );
    ws_object_unlock( host );
    if (!wait_idle( host, host->props.close_timeout ))
    {
        WARN( "host %p: close timed out after %lu ms (%lu workers, sessions %p), aborting\n", host,
              host->props.close_timeout, host->workers, host->sessions );
        abort_host( host );
        wait_idle( host, INFINITE );
        hr = ws_error_set( error, WS_E_OPERATION_TIMED_OUT,
                           "the service host did not close within %lu ms and was aborted", host->props.close_timeout );
    }
    free_listeners( host );
    free_channel_pools( host );
    ws_object_lock( host );
    set_state( host, WS_SERVICE_HOST_STATE_CLOSED );
    ws_object_unlock( host );
    return hr;
}

/* ---- creation ------------------------------------------------------------------------ */

static HRESULT check_contract( const WS_SERVICE_CONTRACT *contract, WS_ERROR *error )
{
    const WS_CONTRACT_DESCRIPTION *desc;
    HRESULT hr;
    ULONG i;

    if (!contract) return ws_error_set( error, E_INVALIDARG, "endpoint contract is NULL" );
    if (!(desc = contract->contractDescription))
    {
        if (!contract->defaultMessageHandlerCallback)
            return ws_error_set( error, E_INVALIDARG, "the contract has neither a description nor a default message handler" );
        return S_OK;
    }
    if (!contract->methodTable)
        return ws_error_set( error, E_INVALIDARG, "the contract has a description but no method table" );
    if (desc->operationCount && !desc->operations)
        return ws_error_set( error, E_INVALIDARG, "the contract has %lu operations but no array", desc->operationCount );
    for (i = 0; i < desc->operationCount; i++)
    {
        const WS_OPERATION_DESCRIPTION *op = desc->operations[i];

        if (!op) return ws_error_set( error, E_INVALIDARG, "contract operation %lu is NULL", i );
        if (!op->stubCallback) return ws_error_set( error, E_INVALIDARG, "contract operation %lu has no stub callback", i );
        if (FAILED(hr = ws_operation_check( op, error ))) return hr;
    }
    return S_OK;
}

static HRESULT init_layouts( struct host_endpoint *ep, WS_ERROR *error )
{
    const WS_CONTRACT_DESCRIPTION *desc = ep->contract.contractDescription;
    HRESULT hr;
    ULONG i;

    if (!desc || !desc->operationCount) return S_OK;
    if (!(ep->layouts = calloc( desc->operationCount, sizeof(*ep->layouts) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    for (i = 0; i < desc->operationCount; i++)
    {
        const WS_OPERATION_DESCRIPTION *op = desc->operations[i];

        if (!(ep->layouts[i].offsets = calloc( op->parameterCount + 1, sizeof(ULONG) )))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        if (FAILED(hr = ws_operation_frame_layout( op, ep->layouts[i].offsets, &ep->layouts[i].size, error )))
            return hr;
    }
    return S_OK;
}

static void free_endpoint( struct host_endpoint *ep )
{
    ULONG i;

    free_call_pool( ep );
    while (ep->channel_pool_count) WsFreeChannel( ep->channel_pool[--ep->channel_pool_count] );
    free( ep->channel_pool );
    if (ep->layouts && ep->contract.contractDescription)
        for (i = 0; i < ep->contract.contractDescription->operationCount; i++) free( ep->layouts[i].offsets );
    free( ep->layouts );
    free( ep->url );
}

static BOOL is_service_channel_type( WS_CHANNEL_TYPE type )
{
    return type == WS_CHANNEL_TYPE_REPLY || type == WS_CHANNEL_TYPE_DUPLEX_SESSION ||
           type == WS_CHANNEL_TYPE_INPUT || type == WS_CHANNEL_TYPE_INPUT_SESSION || type == WS_CHANNEL_TYPE_DUPLEX;
}

static HRESULT init_endpoint( struct host_endpoint *ep, const WS_SERVICE_ENDPOINT *desc, ULONG index, WS_ERROR *error )
{
    HRESULT hr;

    if (!desc) return ws_error_set( error, E_INVALIDARG, "endpoint %lu is NULL", index );
    if (!desc->address.url.length || !desc->address.url.chars)
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu has no address URL", index );
    if (!is_service_channel_type( desc->channelType ))
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu: channel type %d cannot serve", index, desc->channelType );
    if (desc->securityDescription)
    {
        FIXME( "endpoint %lu: security descriptions are not supported\n", index );
        return ws_error_set( error, E_NOTIMPL, "endpoint %lu: security descriptions are not supported yet "
                             "(no channel security is implemented)", index );
    }
    if (desc->propertyCount && !desc->properties)
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu has %lu properties but no array", index, desc->propertyCount );
    if (desc->channelProperties.propertyCount && !desc->channelProperties.properties)
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu has channel properties but no array", index );
    if (FAILED(hr = check_contract( desc->contract, error ))) return hr;

    ep->desc = *desc;
    ep->contract = *desc->contract;
    ws_props_init( &endpoint_prop_table, &ep->props );
    if (FAILED(hr = WS_PROPS_APPLY( &endpoint_prop_table, &ep->props, desc->properties, desc->propertyCount, error )))
        return hr;
    if (ep->contract.defaultMessageHandlerCallback && ep->props.max_concurrency != 1)
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu: a default message handler needs MAX_CONCURRENCY 1", index );
    if (ep->props.mex_type != WS_METADATA_EXCHANGE_TYPE_NONE)
    {
        FIXME( "endpoint %lu: metadata exchange type %d is not implemented\n", index, ep->props.mex_type );
        return ws_error_set( error, E_NOTIMPL, "endpoint %lu: metadata exchange (type %d) is not implemented",
                             index, ep->props.mex_type );
    }
    if (ep->props.message_props.propertyCount && !ep->props.message_props.properties)
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu: message properties without an array", index );
    if (ep->props.listener_props.propertyCount && !ep->props.listener_props.properties)
        return ws_error_set( error, E_INVALIDARG, "endpoint %lu: listener properties without an array", index );

    if (!(ep->url = malloc( desc->address.url.length * sizeof(WCHAR) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    memcpy( ep->url, desc->address.url.chars, desc->address.url.length * sizeof(WCHAR) );
    ep->desc.address.url.chars = ep->url;
    if (!(ep->channel_pool = calloc( ep->props.max_channel_pool + 1, sizeof(WS_CHANNEL *) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    return init_layouts( ep, error );
}

static void free_host( struct service_host *host )
{
    ULONG i;

    for (i = 0; i < host->endpoint_count; i++) free_endpoint( &host->endpoints[i] );
    free( host->endpoints );
    if (host->pool)
    {
        DestroyThreadpoolEnvironment( &host->env );
        CloseThreadpool( host->pool );
    }
    ws_object_free( host );
}

static HRESULT create_pool( struct service_host *host, WS_ERROR *error )
{
    if (!(host->pool = CreateThreadpool( NULL )))
        return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot create the host's thread pool" );
    /* Every call in flight holds a thread (operations may block until cancelled). */
    SetThreadpoolThreadMaximum( host->pool, 4096 );
    SetThreadpoolThreadMinimum( host->pool, 1 );
    InitializeThreadpoolEnvironment( &host->env );
    SetThreadpoolCallbackPool( &host->env, host->pool );
    return S_OK;
}

HRESULT WINAPI WsCreateServiceHost( const WS_SERVICE_ENDPOINT **endpoints, USHORT endpointCount,
                                    const WS_SERVICE_PROPERTY *serviceProperties, ULONG servicePropertyCount,
                                    WS_SERVICE_HOST **serviceHost, WS_ERROR *error )
{
    struct service_host *host;
    HRESULT hr;
    ULONG i;

    TRACE( "%p %u %p %lu %p %p\n", endpoints, endpointCount, serviceProperties, servicePropertyCount, serviceHost, error );

    if (!serviceHost) return ws_error_set( error, E_INVALIDARG, "serviceHost is NULL" );
    if (!endpoints && endpointCount) return ws_error_set( error, E_INVALIDARG, "endpoints is NULL" );
    if (!serviceProperties && servicePropertyCount)
        return ws_error_set( error, E_INVALIDARG, "serviceProperties is NULL but servicePropertyCount is %lu",
                             servicePropertyCount );

    if (!(host = ws_object_alloc( WS_OBJECT_SERVICE_HOST, sizeof(*host) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the service host" );
    ws_call_list_init( &host->calls );
    InitializeConditionVariable( &host->idle );
    InitializeSRWLock( &host->listener_lock );
    ws_props_init( &host_prop_table, &host->props );
    host->props.langid = GetUserDefaultLangID();
    if (FAILED(hr = WS_PROPS_APPLY( &host_prop_table, &host->props, serviceProperties, servicePropertyCount, error )))
        goto failed;
    if (endpointCount && !(host->endpoints = calloc( endpointCount, sizeof(*host->endpoints) )))
    {
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory for the endpoints" );
        goto failed;
    }
    host->endpoint_count = endpointCount;
    for (i = 0; i < endpointCount; i++)
    {
        host->endpoints[i].host = host;
        if (FAILED(hr = init_endpoint( &host->endpoints[i], endpoints[i], i, error ))) goto failed;
    }
    if (FAILED(hr = create_pool( host, error ))) goto failed;
    set_state( host, WS_SERVICE_HOST_STATE_CREATED );
    *serviceHost = (WS_SERVICE_HOST *)host;
    TRACE( "created %p\n", host );
    return S_OK;

failed:
    free_host( host );
    return hr;
}

/* ---- the state machine --------------------------------------------------------------- */

struct host_args
{
    struct service_host *host;
};

/* Moves the host to TO when it is in one of the states of FROM (a bit mask of
 * WS_SERVICE_HOST_STATE values); WS_E_INVALID_OPERATION naming WHAT otherwise. */
static HRESULT change_state( struct service_host *host, ULONG from, WS_SERVICE_HOST_STATE to, const char *what,
                             WS_ERROR *error )
{
    WS_SERVICE_HOST_STATE state;

    ws_object_lock( host );
    state = host->obj.state;
    if (from & (1u << state))
    {
        set_state( host, to );
        if (to == WS_SERVICE_HOST_STATE_OPENING || to == WS_SERVICE_HOST_STATE_CREATED)
            host->stopping = host->aborted = host->abort_requested = FALSE;
    }
    ws_object_unlock( host );
    if (!(from & (1u << state)))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "%s: the host is in state %d", what, state );
    return S_OK;
}

#define STATE_BIT(s) (1u << WS_SERVICE_HOST_STATE_##s)

static HRESULT open_run( void *arg, WS_ERROR *error )
{
    return open_host( ((struct host_args *)arg)->host, error );
}

static HRESULT close_run( void *arg, WS_ERROR *error )
{
    return close_host( ((struct host_args *)arg)->host, error );
}

/* Open and close: the state change now, the work as the async model says. */
static HRESULT start_transition( WS_SERVICE_HOST *handle, ULONG from, WS_SERVICE_HOST_STATE to, const char *what,
                                 ws_async_func run, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct service_host *host = impl_from_WS_SERVICE_HOST( handle );
    struct host_args args = { host };
    HRESULT hr;

    WS_CHECK_HANDLE( handle, WS_OBJECT_SERVICE_HOST, error );
    if (ctx && !ctx->callback) return ws_error_set( error, E_INVALIDARG, "asyncContext->callback is NULL" );
    if (FAILED(hr = change_state( host, from, to, what, error ))) return hr;
    return ws_async_run( run, &args, sizeof(args), WS_LONG_CALLBACK, ctx, error );
}

HRESULT WINAPI WsOpenServiceHost( WS_SERVICE_HOST *serviceHost, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    TRACE( "%p %p %p\n", serviceHost, asyncContext, error );
    return start_transition( serviceHost, STATE_BIT(CREATED), WS_SERVICE_HOST_STATE_OPENING, "WsOpenServiceHost",
                             open_run, asyncContext, error );
}

HRESULT WINAPI WsCloseServiceHost( WS_SERVICE_HOST *serviceHost, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    TRACE( "%p %p %p\n", serviceHost, asyncContext, error );
    return start_transition( serviceHost, STATE_BIT(OPEN) | STATE_BIT(FAULTED), WS_SERVICE_HOST_STATE_CLOSING,
                             "WsCloseServiceHost", close_run, asyncContext, error );
}

HRESULT WINAPI WsAbortServiceHost( WS_SERVICE_HOST *serviceHost, WS_ERROR *error )
{
    struct service_host *host = impl_from_WS_SERVICE_HOST( serviceHost );
    WS_SERVICE_HOST_STATE state;

    TRACE( "%p %p\n", serviceHost, error );

    WS_CHECK_HANDLE( serviceHost, WS_OBJECT_SERVICE_HOST, error );
    ws_object_lock( host );
    state = host->obj.state;
    switch (state)
    {
    case WS_SERVICE_HOST_STATE_OPENING:
        host->abort_requested = TRUE;
        abort_listeners( host );
        break;
    case WS_SERVICE_HOST_STATE_OPEN:
        set_state( host, WS_SERVICE_HOST_STATE_FAULTED );
        break;
    default:
        break;
    }
    ws_object_unlock( host );
    /* Created and closed hosts have nothing running. */
    if (state == WS_SERVICE_HOST_STATE_OPEN || state == WS_SERVICE_HOST_STATE_FAULTED ||
        state == WS_SERVICE_HOST_STATE_CLOSING)
        abort_host( host );
    return S_OK;
}

HRESULT WINAPI WsResetServiceHost( WS_SERVICE_HOST *serviceHost, WS_ERROR *error )
{
    TRACE( "%p %p\n", serviceHost, error );

    WS_CHECK_HANDLE( serviceHost, WS_OBJECT_SERVICE_HOST, error );
    return change_state( impl_from_WS_SERVICE_HOST( serviceHost ), STATE_BIT(CREATED) | STATE_BIT(CLOSED),
                         WS_SERVICE_HOST_STATE_CREATED, "WsResetServiceHost", error );
}

void WINAPI WsFreeServiceHost( WS_SERVICE_HOST *serviceHost )
{
    struct service_host *host = impl_from_WS_SERVICE_HOST( serviceHost );
    WS_SERVICE_HOST_STATE state;

    TRACE( "%p\n", serviceHost );

    if (!ws_object_is( serviceHost, WS_OBJECT_SERVICE_HOST )) return;
    ws_object_lock( host );
    state = host->obj.state;
    ws_object_unlock( host );
    if (state != WS_SERVICE_HOST_STATE_CREATED && state != WS_SERVICE_HOST_STATE_CLOSED)
    {
        /* Freed while running: stop everything, let the calls return. */
        WARN( "host %p freed in state %d\n", host, state );
        if (state == WS_SERVICE_HOST_STATE_OPENING)
        {
            ws_object_lock( host );
            host->abort_requested = TRUE;
            abort_listeners( host );
            ws_object_unlock( host );
        }
        abort_host( host );
        wait_idle( host, INFINITE );
        free_listeners( host );
    }
    wait_idle( host, INFINITE );
    free_channel_pools( host );
    free_host( host );
}

HRESULT WINAPI WsGetServiceHostProperty( WS_SERVICE_HOST *serviceHost, WS_SERVICE_PROPERTY_ID id, void *value,
                                         ULONG valueSize, WS_ERROR *error )
{
    struct service_host *host = impl_from_WS_SERVICE_HOST( serviceHost );
    HRESULT hr;

    TRACE( "%p %d %p %lu %p\n", serviceHost, id, value, valueSize, error );

    WS_CHECK_HANDLE( serviceHost, WS_OBJECT_SERVICE_HOST, error );
    ws_object_lock( host );
    hr = ws_props_get( &host_prop_table, &host->props, id, value, valueSize, error );
    ws_object_unlock( host );
    return hr;
}

/* ---- WsCreateServiceEndpointFromTemplate ------------------------------------------------ */

/* Copies SRC (COUNT {id, value, valueSize} entries) and their values onto HEAP. */
static HRESULT copy_properties_to_heap( WS_HEAP *heap, const void *src, ULONG count, size_t entry_size, void **dst,
                                        WS_ERROR *error )
{
    const struct ws_prop_entry *in = src;
    struct ws_prop_entry *out;
    HRESULT hr;
    ULONG i;

    *dst = NULL;
    if (!count) return S_OK;
    if (!src) return ws_error_set( error, E_INVALIDARG, "%lu properties but the array is NULL", count );
    if (FAILED(hr = ws_heap_alloc_hr( heap, count * entry_size, (void **)&out, error ))) return hr;
    for (i = 0; i < count; i++)
    {
        void *value = NULL;
        if (in[i].valueSize)
        {
            if (!in[i].value) return ws_error_set( error, E_INVALIDARG, "property %lu has no value", i );
            if (FAILED(hr = ws_heap_alloc_hr( heap, in[i].valueSize, &value, error ))) return hr;
            memcpy( value, in[i].value, in[i].valueSize );
        }
        out[i].id = in[i].id;
        out[i].value = value;
        out[i].valueSize = in[i].valueSize;
    }
    *dst = out;
    return S_OK;
}

/* The endpoint WsCreateServiceEndpointFromTemplate returns, all of it on HEAP. */
static HRESULT new_template_endpoint( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding,
                                      const WS_SERVICE_ENDPOINT_PROPERTY *properties, ULONG count,
                                      const WS_STRING *url, const WS_SERVICE_CONTRACT *contract,
                                      WS_SERVICE_SECURITY_CALLBACK authorize, WS_HEAP *heap,
                                      const WS_CHANNEL_PROPERTY *channel_props, ULONG channel_count,
                                      WS_SERVICE_ENDPOINT **ret, WS_ERROR *error )
{
    WS_SERVICE_ENDPOINT *ep;
    void *copy;
    HRESULT hr;

    if (binding == WS_HTTP_CHANNEL_BINDING && type != WS_CHANNEL_TYPE_REPLY)
        return ws_error_set( error, E_INVALIDARG, "an HTTP service endpoint needs WS_CHANNEL_TYPE_REPLY, not %d", type );
    if (binding == WS_TCP_CHANNEL_BINDING && type != WS_CHANNEL_TYPE_DUPLEX_SESSION)
        return ws_error_set( error, E_INVALIDARG, "a TCP service endpoint needs WS_CHANNEL_TYPE_DUPLEX_SESSION, not %d",
                             type );
    if (FAILED(hr = ws_heap_alloc_hr( heap, sizeof(*ep), (void **)&ep, error ))) return hr;
    memset( ep, 0, sizeof(*ep) );
    ep->channelBinding = binding;
    ep->channelType = type;
    ep->contract = contract;
    ep->authorizationCallback = authorize;
    if (url && url->length)
    {
        if (!url->chars) return ws_error_set( error, E_INVALIDARG, "addressUrl has no characters" );
        if (FAILED(hr = ws_heap_alloc_hr( heap, url->length * sizeof(WCHAR), &copy, error ))) return hr;
        memcpy( copy, url->chars, url->length * sizeof(WCHAR) );
        ep->address.url.chars = copy;
        ep->address.url.length = url->length;
    }
    if (FAILED(hr = copy_properties_to_heap( heap, properties, count, sizeof(*properties), &copy, error ))) return hr;
    ep->properties = copy;
    ep->propertyCount = count;
    if (FAILED(hr = copy_properties_to_heap( heap, channel_props, channel_count, sizeof(*channel_props), &copy, error )))
        return hr;
    ep->channelProperties.properties = copy;
    ep->channelProperties.propertyCount = channel_count;
    *ret = ep;
    return S_OK;
}

HRESULT WINAPI WsCreateServiceEndpointFromTemplate( WS_CHANNEL_TYPE channelType, const WS_SERVICE_ENDPOINT_PROPERTY *properties,
                                                    ULONG propertyCount, const WS_STRING *addressUrl,
                                                    const WS_SERVICE_CONTRACT *contract,
                                                    WS_SERVICE_SECURITY_CALLBACK authorizationCallback, WS_HEAP *heap,
                                                    WS_BINDING_TEMPLATE_TYPE templateType, void *templateValue,
                                                    ULONG templateSize, const void *templateDescription,
                                                    ULONG templateDescriptionSize, WS_SERVICE_ENDPOINT **serviceEndpoint,
                                                    WS_ERROR *error )
{
    WS_CHANNEL_PROPERTY *channel_props;
    WS_SERVICE_ENDPOINT *ep = NULL;
    WS_CHANNEL_BINDING binding;
    ULONG channel_count;
    HRESULT hr;

    TRACE( "%d %p %lu %p %p %p %p %d %p %lu %p %lu %p %p\n", channelType, properties, propertyCount, addressUrl,
           contract, authorizationCallback, heap, templateType, templateValue, templateSize, templateDescription,
           templateDescriptionSize, serviceEndpoint, error );

    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!serviceEndpoint) return ws_error_set( error, E_INVALIDARG, "serviceEndpoint is NULL" );
    if (!contract) return ws_error_set( error, E_INVALIDARG, "contract is NULL" );
    if (FAILED(hr = ws_template_channel_properties( templateType, templateValue, templateSize, templateDescription,
                                                    templateDescriptionSize, &binding, &channel_props, &channel_count,
                                                    error ))) return hr;
    hr = new_template_endpoint( channelType, binding, properties, propertyCount, addressUrl, contract,
                                authorizationCallback, heap, channel_props, channel_count, &ep, error );
    free( channel_props );
    if (SUCCEEDED(hr)) *serviceEndpoint = ep;
    return hr;
}
