/*
 * Service proxy (WS_SERVICE_PROXY)
 *
 * A proxy owns one WS_CHANNEL of its type and binding, created with it and
 * opened by WsOpenServiceProxy.  WsCall maps the arguments to the input
 * message body (operation.c), sends it through the channel's message
 * primitives and, for request/reply operations, maps the reply body back.
 *
 * One exchange at a time uses the channel (the channel_free semaphore, taken
 * and released by any thread): concurrent calls queue there, so replies on a
 * session channel come back in request order and need no correlation.  The
 * wait for a reply runs on a pool thread (the "exchange"), so that the
 * calling thread can give up on it: WsAbandonCall, the call timeout and
 * WsAbortServiceProxy end the call at once, while the exchange keeps the
 * channel until its reply (or the abort) arrives and then discards it, as
 * the documentation of WsAbandonCall says ("the actual I/O associated with
 * the call is not canceled").  The request itself is written on the calling
 * thread, so the caller's arguments are never touched after WsCall returns.
 *
 * The proxy is reference counted: every exchange in flight holds a
 * reference, so WsFreeServiceProxy can return while an abandoned exchange
 * still finishes on its pool thread.
 */

#include <stdlib.h>
#include <string.h>
#include "webservices_private.h"

struct proxy_props
{
    ULONG call_timeout;
    WS_MESSAGE_PROPERTIES message_properties;
    USHORT max_call_pool_size;
    ULONG max_pending_calls;
    ULONG max_close_timeout;
    LANGID fault_lang_id;
};

static const ULONG default_call_timeout = 30000;
static const USHORT default_max_call_pool_size = 5;
static const ULONG default_max_pending_calls = 100;
static const ULONG default_max_close_timeout = 5000;

/* WS_PROXY_PROPERTY_STATE is answered from obj.state (see WsGetServiceProxyProperty).
 * The documentation calls every other property but the message properties
 * "write only": given at creation, not returned by WsGetServiceProxyProperty
 * (E_INVALIDARG, "the property id was not supported for this object"). */
#define WS_PROP_WRITE_ONLY WS_PROP_INIT
static const struct ws_prop_desc proxy_prop_desc[] =
{
    WS_PROP( WS_PROXY_PROPERTY_CALL_TIMEOUT, struct proxy_props, call_timeout, WS_PROP_WRITE_ONLY, &default_call_timeout ),
    WS_PROP( WS_PROXY_PROPERTY_MESSAGE_PROPERTIES, struct proxy_props, message_properties, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_PROXY_PROPERTY_MAX_CALL_POOL_SIZE, struct proxy_props, max_call_pool_size, WS_PROP_WRITE_ONLY,
             &default_max_call_pool_size ),
    WS_PROP( WS_PROXY_PROPERTY_MAX_PENDING_CALLS, struct proxy_props, max_pending_calls, WS_PROP_WRITE_ONLY,
             &default_max_pending_calls ),
    WS_PROP( WS_PROXY_PROPERTY_MAX_CLOSE_TIMEOUT, struct proxy_props, max_close_timeout, WS_PROP_WRITE_ONLY,
             &default_max_close_timeout ),
    WS_PROP( WS_PROXY_FAULT_LANG_ID, struct proxy_props, fault_lang_id, WS_PROP_WRITE_ONLY, NULL ),
};

static HRESULT validate_proxy_prop( ULONG id, const void *value, WS_ERROR *error )
{
    if (id == WS_PROXY_PROPERTY_MAX_PENDING_CALLS && !*(const ULONG *)value)
        return ws_error_set( error, E_INVALIDARG, "WS_PROXY_PROPERTY_MAX_PENDING_CALLS must not be 0" );
    if (id == WS_PROXY_PROPERTY_MESSAGE_PROPERTIES)
    {
        const WS_MESSAGE_PROPERTIES *props = value;
        if (props->propertyCount && !props->properties)
            return ws_error_set( error, E_INVALIDARG, "WS_PROXY_PROPERTY_MESSAGE_PROPERTIES: %lu properties, NULL array",
                                 props->propertyCount );
    }
    return S_OK;
}

static const struct ws_prop_table proxy_prop_table = WS_PROP_TABLE( "service proxy", proxy_prop_desc, validate_proxy_prop );

/* A WsCall in progress, in the proxy's list while it counts as pending. */
struct call
{
    struct call *next, *prev;
    ULONG id;                    /* WS_CALL_PROPERTY_CALL_ID, 0 when not given */
    HANDLE abandoned;            /* manual-reset: WsAbandonCall for this call */
};

struct ws_proxy
{
    struct ws_object obj;        /* obj.state: WS_SERVICE_PROXY_STATE */
    LONG refs;                   /* the handle + one per exchange in flight */
    struct proxy_props props;
    WS_MESSAGE_PROPERTY *message_props;  /* copy of props.message_properties (array and values) */
    WS_CHANNEL_TYPE channel_type;
    WS_CALLBACK_MODEL callback_model;
    WS_CHANNEL *channel;
    HANDLE channel_free;         /* semaphore (max 1): one exchange on the channel at a time */
    HANDLE aborted;              /* manual-reset: WsAbortServiceProxy, until WsResetServiceProxy */
    struct call calls;           /* list head of pending calls (under the lock) */
    ULONG pending;               /* calls in the list */
    CONDITION_VARIABLE idle;     /* signalled when PENDING drops to 0 */
};

static struct ws_proxy *impl_from_WS_SERVICE_PROXY( WS_SERVICE_PROXY *proxy )
{
    return (struct ws_proxy *)proxy;
}

static void proxy_release( struct ws_proxy *proxy )
{
    if (InterlockedDecrement( &proxy->refs )) return;
    if (proxy->channel) WsFreeChannel( proxy->channel );
    if (proxy->channel_free) CloseHandle( proxy->channel_free );
    if (proxy->aborted) CloseHandle( proxy->aborted );
    free( proxy->message_props );
    ws_object_free( proxy );
}

/* ---- creation and properties ------------------------------------------- */

/* Keeps a copy of the WS_MESSAGE_PROPERTIES value: the array and each value
 * (one block), so the application's array need not outlive the call. */
static HRESULT copy_message_properties( struct ws_proxy *proxy, WS_ERROR *error )
{
    WS_MESSAGE_PROPERTIES *props = &proxy->props.message_properties;
    ULONG i, size = props->propertyCount * sizeof(WS_MESSAGE_PROPERTY);
    BYTE *ptr;

    if (!props->propertyCount) return S_OK;
    for (i = 0; i < props->propertyCount; i++)
    {
        if (props->properties[i].valueSize && !props->properties[i].value)
            return ws_error_set( error, E_INVALIDARG, "message property %lu: value is NULL", i );
        size += (props->properties[i].valueSize + 7) & ~7u;
    }
    if (!(proxy->message_props = malloc( size )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory copying the message properties" );
    ptr = (BYTE *)(proxy->message_props + props->propertyCount);
    for (i = 0; i < props->propertyCount; i++)
    {
        proxy->message_props[i] = props->properties[i];
        proxy->message_props[i].value = ptr;
        memcpy( ptr, props->properties[i].value, props->properties[i].valueSize );
        ptr += (props->properties[i].valueSize + 7) & ~7u;
    }
    props->properties = proxy->message_props;
    return S_OK;
}

static HRESULT create_proxy( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding, const WS_PROXY_PROPERTY *properties,
                             ULONG count, const WS_CHANNEL_PROPERTY *channel_props, ULONG channel_count,
                             struct ws_proxy **ret, WS_ERROR *error )
{
    struct ws_proxy *proxy;
    HRESULT hr;

    if (!(proxy = ws_object_alloc( WS_OBJECT_SERVICE_PROXY, sizeof(*proxy) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory creating the service proxy" );
    proxy->refs = 1;
    proxy->obj.state = WS_SERVICE_PROXY_STATE_CREATED;
    proxy->channel_type = type;
    proxy->calls.next = proxy->calls.prev = &proxy->calls;
    InitializeConditionVariable( &proxy->idle );
    ws_props_init( &proxy_prop_table, &proxy->props );
    proxy->props.fault_lang_id = GetUserDefaultLangID();

    if (FAILED(hr = WS_PROPS_APPLY( &proxy_prop_table, &proxy->props, properties, count, error )) ||
        FAILED(hr = copy_message_properties( proxy, error )) ||
        FAILED(hr = WsCreateChannel( type, binding, channel_props, channel_count, NULL, &proxy->channel, error )) ||
        FAILED(hr = WsGetChannelProperty( proxy->channel, WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL,
                                          &proxy->callback_model, sizeof(proxy->callback_model), error )))
    {
        proxy_release( proxy );
        return hr;
    }
    if (!(proxy->channel_free = CreateSemaphoreW( NULL, 1, 1, NULL )) ||
        !(proxy->aborted = CreateEventW( NULL, TRUE, FALSE, NULL )))
    {
        proxy_release( proxy );
        return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot create the proxy's events" );
    }
    *ret = proxy;
    return S_OK;
}

HRESULT WINAPI WsCreateServiceProxy( WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding, const WS_SECURITY_DESCRIPTION *securityDescription, const WS_PROXY_PROPERTY *properties, ULONG propertyCount, const WS_CHANNEL_PROPERTY *channelProperties, ULONG channelPropertyCount, WS_SERVICE_PROXY **serviceProxy, WS_ERROR *error )
{
    struct ws_proxy *proxy = NULL;
    HRESULT hr;

    TRACE( "%d %d %p %p %lu %p %lu %p %p\n", channelType, channelBinding, securityDescription, properties, propertyCount, channelProperties, channelPropertyCount, serviceProxy, error );

    if (!serviceProxy) return ws_error_set( error, E_INVALIDARG, "serviceProxy is NULL" );
    if (securityDescription)
        return ws_error_set( error, E_NOTIMPL, "service proxies with a security description are not supported yet "
                             "(channel security is not implemented)" );
    if (FAILED(hr = create_proxy( channelType, channelBinding, properties, propertyCount, channelProperties,
                                  channelPropertyCount, &proxy, error ))) return hr;
    *serviceProxy = (WS_SERVICE_PROXY *)proxy;
    return S_OK;
}

/* The binding of a template type without security; FALSE for the security
 * templates (channel security is not implemented) and unknown types. */
static BOOL template_binding( WS_BINDING_TEMPLATE_TYPE type, WS_CHANNEL_BINDING *binding, BOOL *known )
{
    *known = TRUE;
    switch (type)
    {
    case WS_HTTP_BINDING_TEMPLATE_TYPE: *binding = WS_HTTP_CHANNEL_BINDING; return TRUE;
    case WS_TCP_BINDING_TEMPLATE_TYPE:  *binding = WS_TCP_CHANNEL_BINDING; return TRUE;
    case WS_HTTP_SSL_BINDING_TEMPLATE_TYPE:
    case WS_HTTP_HEADER_AUTH_BINDING_TEMPLATE_TYPE:
    case WS_HTTP_SSL_HEADER_AUTH_BINDING_TEMPLATE_TYPE:
    case WS_HTTP_SSL_USERNAME_BINDING_TEMPLATE_TYPE:
    case WS_HTTP_SSL_KERBEROS_APREQ_BINDING_TEMPLATE_TYPE:
    case WS_TCP_SSPI_BINDING_TEMPLATE_TYPE:
    case WS_TCP_SSPI_USERNAME_BINDING_TEMPLATE_TYPE:
    case WS_TCP_SSPI_KERBEROS_APREQ_BINDING_TEMPLATE_TYPE:
    case WS_HTTP_SSL_USERNAME_SECURITY_CONTEXT_BINDING_TEMPLATE_TYPE:
    case WS_HTTP_SSL_KERBEROS_APREQ_SECURITY_CONTEXT_BINDING_TEMPLATE_TYPE:
    case WS_TCP_SSPI_USERNAME_SECURITY_CONTEXT_BINDING_TEMPLATE_TYPE:
    case WS_TCP_SSPI_KERBEROS_APREQ_SECURITY_CONTEXT_BINDING_TEMPLATE_TYPE:
        return FALSE;
    default:
        *known = FALSE;
        return FALSE;
    }
}

/* The channel properties of the policy description (DESC) followed by the
 * application's (TEMPLATE, may be NULL): later entries win, so the
 * application's values override the policy's. */
static HRESULT merge_channel_properties( const WS_CHANNEL_PROPERTIES *desc, const WS_CHANNEL_PROPERTIES *template,
                                         WS_CHANNEL_PROPERTY **merged, ULONG *count, WS_ERROR *error )
{
    ULONG n1 = desc->propertyCount, n2 = template ? template->propertyCount : 0;

    *merged = NULL;
    *count = 0;
    if (n1 && !desc->properties)
        return ws_error_set( error, E_INVALIDARG, "the template description has %lu channel properties, NULL array", n1 );
    if (n2 && !template->properties)
        return ws_error_set( error, E_INVALIDARG, "the template has %lu channel properties, NULL array", n2 );
    if (!n1 && !n2) return S_OK;
    if (!(*merged = malloc( (n1 + n2) * sizeof(**merged) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the channel properties" );
    if (n1) memcpy( *merged, desc->properties, n1 * sizeof(**merged) );
    if (n2) memcpy( *merged + n1, template->properties, n2 * sizeof(**merged) );
    *count = n1 + n2;
    return S_OK;
}

/* The binding of TYPE and the channel properties of its policy description
 * (DESC, may be NULL) followed by the application's template (TEMPLATE, NULL:
 * a zero template); the security templates are E_NOTIMPL.  Shared with
 * WsCreateServiceEndpointFromTemplate.  *PROPS is malloc'ed. */
HRESULT ws_template_channel_properties( WS_BINDING_TEMPLATE_TYPE type, const void *template_value,
                                        ULONG template_size, const void *description, ULONG description_size,
                                        WS_CHANNEL_BINDING *binding, WS_CHANNEL_PROPERTY **props, ULONG *count,
                                        WS_ERROR *error )
{
    /* WS_HTTP_BINDING_TEMPLATE and WS_TCP_BINDING_TEMPLATE have the same layout,
     * and so have their policy descriptions. */
    C_ASSERT( sizeof(WS_HTTP_BINDING_TEMPLATE) == sizeof(WS_TCP_BINDING_TEMPLATE) );
    C_ASSERT( sizeof(WS_HTTP_POLICY_DESCRIPTION) == sizeof(WS_TCP_POLICY_DESCRIPTION) );
    const WS_HTTP_BINDING_TEMPLATE *template = template_value;
    const WS_HTTP_POLICY_DESCRIPTION *desc = description;
    static const WS_CHANNEL_PROPERTIES none;
    BOOL known;

    if (!template_binding( type, binding, &known ))
    {
        if (!known) return ws_error_set( error, E_INVALIDARG, "unknown binding template type %d", type );
        FIXME( "binding template type %d needs channel security\n", type );
        return ws_error_set( error, E_NOTIMPL, "binding template type %d needs channel security (SSL, HTTP header "
                             "authentication, SSPI or message security), which is not supported yet", type );
    }
    if (desc && description_size != sizeof(WS_HTTP_POLICY_DESCRIPTION))
        return ws_error_set( error, E_INVALIDARG, "templateDescriptionSize %lu, expected %u", description_size,
                             (unsigned)sizeof(WS_HTTP_POLICY_DESCRIPTION) );
    /* A NULL template is the template initialized to zero. */
    if (template && template_size != sizeof(WS_HTTP_BINDING_TEMPLATE))
        return ws_error_set( error, E_INVALIDARG, "templateSize %lu, expected %u", template_size,
                             (unsigned)sizeof(WS_HTTP_BINDING_TEMPLATE) );
    return merge_channel_properties( desc ? &desc->channelProperties : &none,
                                     template ? &template->channelProperties : NULL, props, count, error );
}

HRESULT WINAPI WsCreateServiceProxyFromTemplate( WS_CHANNEL_TYPE channelType, const WS_PROXY_PROPERTY *properties, ULONG propertyCount, WS_BINDING_TEMPLATE_TYPE templateType, void *templateValue, ULONG templateSize, const void *templateDescription, ULONG templateDescriptionSize, WS_SERVICE_PROXY **serviceProxy, WS_ERROR *error )
{
    WS_CHANNEL_PROPERTY *channel_props;
    WS_CHANNEL_BINDING binding;
    struct ws_proxy *proxy;
    ULONG count;
    HRESULT hr;

    TRACE( "%d %p %lu %d %p %lu %p %lu %p %p\n", channelType, properties, propertyCount, templateType, templateValue, templateSize, templateDescription, templateDescriptionSize, serviceProxy, error );

    if (!serviceProxy) return ws_error_set( error, E_INVALIDARG, "serviceProxy is NULL" );
    if (FAILED(hr = ws_template_channel_properties( templateType, templateValue, templateSize, templateDescription,
                                                    templateDescriptionSize, &binding, &channel_props, &count, error )))
        return hr;
    if (!templateDescription)
    {
        free( channel_props );
        return ws_error_set( error, E_INVALIDARG, "templateDescription is NULL" );
    }
    hr = create_proxy( channelType, binding, properties, propertyCount, channel_props, count, &proxy, error );
    free( channel_props );
    if (FAILED(hr)) return hr;
    *serviceProxy = (WS_SERVICE_PROXY *)proxy;
    return S_OK;
}

HRESULT WINAPI WsGetServiceProxyProperty( WS_SERVICE_PROXY *serviceProxy, WS_PROXY_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );

    TRACE( "%p %d %p %lu %p\n", serviceProxy, id, value, valueSize, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    if (id == WS_PROXY_PROPERTY_STATE)
    {
        if (!value) return ws_error_set( error, E_INVALIDARG, "service proxy property %d: value is NULL", id );
        if (valueSize != sizeof(WS_SERVICE_PROXY_STATE))
            return ws_error_set( error, E_INVALIDARG, "service proxy property %d: size %lu, expected %u", id,
                                 valueSize, (unsigned)sizeof(WS_SERVICE_PROXY_STATE) );
        ws_object_lock( proxy );
        *(WS_SERVICE_PROXY_STATE *)value = proxy->obj.state;
        ws_object_unlock( proxy );
        return S_OK;
    }
    return ws_props_get( &proxy_prop_table, &proxy->props, id, value, valueSize, error );
}

/* ---- state machine ------------------------------------------------------ */

/* The channel is free again once the reply of an exchange was consumed. */
static void release_channel( struct ws_proxy *proxy )
{
    ReleaseSemaphore( proxy->channel_free, 1, NULL );
}

static WS_SERVICE_PROXY_STATE get_state( struct ws_proxy *proxy )
{
    WS_SERVICE_PROXY_STATE state;
    ws_object_lock( proxy );
    state = proxy->obj.state;
    ws_object_unlock( proxy );
    return state;
}

/* Sets TO unless an abort made the proxy faulted meanwhile. */
static void finish_state( struct ws_proxy *proxy, WS_SERVICE_PROXY_STATE expected, WS_SERVICE_PROXY_STATE to )
{
    ws_object_lock( proxy );
    if (proxy->obj.state == expected) proxy->obj.state = to;
    ws_object_unlock( proxy );
}

struct open_args
{
    struct ws_proxy *proxy;
    const WS_ENDPOINT_ADDRESS *address;
};

static HRESULT open_run( void *arg, WS_ERROR *error )
{
    struct open_args *a = arg;
    HRESULT hr = WsOpenChannel( a->proxy->channel, a->address, NULL, error );

    finish_state( a->proxy, WS_SERVICE_PROXY_STATE_OPENING,
                  SUCCEEDED(hr) ? WS_SERVICE_PROXY_STATE_OPEN : WS_SERVICE_PROXY_STATE_FAULTED );
    return hr;
}

HRESULT WINAPI WsOpenServiceProxy( WS_SERVICE_PROXY *serviceProxy, const WS_ENDPOINT_ADDRESS *address, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );
    struct open_args args = { proxy, address };
    WS_SERVICE_PROXY_STATE state;

    TRACE( "%p %p %p %p\n", serviceProxy, address, asyncContext, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    if (!address) return ws_error_set( error, E_INVALIDARG, "address is NULL" );
    if (asyncContext && !asyncContext->callback) return ws_error_set( error, E_INVALIDARG, "asyncContext->callback is NULL" );
    ws_object_lock( proxy );
    state = proxy->obj.state;
    if (state == WS_SERVICE_PROXY_STATE_CREATED) proxy->obj.state = WS_SERVICE_PROXY_STATE_OPENING;
    ws_object_unlock( proxy );
    if (state != WS_SERVICE_PROXY_STATE_CREATED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsOpenServiceProxy: the proxy is in state %d, not created", state );
    return ws_async_run( open_run, &args, sizeof(args), proxy->callback_model, asyncContext, error );
}

/* Ends every pending call promptly: waits for calls and exchanges see it. */
static void abort_calls( struct ws_proxy *proxy )
{
    SetEvent( proxy->aborted );
    WsAbortChannel( proxy->channel, NULL );
}

/* Waits up to TIMEOUT ms (INFINITE allowed) for the pending calls to end; FALSE on timeout. */
static BOOL wait_idle( struct ws_proxy *proxy, ULONG timeout )
{
    ULONGLONG start = GetTickCount64();
    BOOL ret = TRUE;

    ws_object_lock( proxy );
    while (proxy->pending)
    {
        ULONGLONG elapsed = GetTickCount64() - start;
        if (timeout != INFINITE && elapsed >= timeout) { ret = FALSE; break; }
        SleepConditionVariableSRW( &proxy->idle, &proxy->obj.lock,
                                   timeout == INFINITE ? INFINITE : (DWORD)(timeout - elapsed), 0 );
    }
    ws_object_unlock( proxy );
    return ret;
}

struct close_args
{
    struct ws_proxy *proxy;
};

static HRESULT close_run( void *arg, WS_ERROR *error )
{
    struct close_args *a = arg;
    struct ws_proxy *proxy = a->proxy;
    HRESULT hr;

    ULONGLONG start = GetTickCount64();
    ULONG timeout = proxy->props.max_close_timeout, left;

    /* The pending calls may finish, and abandoned ones receive their replies;
     * past WS_PROXY_PROPERTY_MAX_CLOSE_TIMEOUT the proxy aborts itself. */
    if (!wait_idle( proxy, timeout ))
    {
        WARN( "pending calls still running after %lu ms, aborting\n", timeout );
        abort_calls( proxy );
        wait_idle( proxy, INFINITE );
    }
    left = timeout == INFINITE ? INFINITE : (ULONG)max( 0, (LONGLONG)timeout - (LONGLONG)(GetTickCount64() - start) );
    if (WaitForSingleObject( proxy->channel_free, left ))
    {
        WARN( "an abandoned call still waits for its reply after %lu ms, aborting\n", timeout );
        abort_calls( proxy );
        WaitForSingleObject( proxy->channel_free, INFINITE );
    }
    hr = WsCloseChannel( proxy->channel, NULL, error );
    release_channel( proxy );
    finish_state( proxy, WS_SERVICE_PROXY_STATE_CLOSING, WS_SERVICE_PROXY_STATE_CLOSED );
    return hr;
}

HRESULT WINAPI WsCloseServiceProxy( WS_SERVICE_PROXY *serviceProxy, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );
    struct close_args args = { proxy };
    WS_SERVICE_PROXY_STATE state;

    TRACE( "%p %p %p\n", serviceProxy, asyncContext, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    if (asyncContext && !asyncContext->callback) return ws_error_set( error, E_INVALIDARG, "asyncContext->callback is NULL" );
    ws_object_lock( proxy );
    state = proxy->obj.state;
    if (state == WS_SERVICE_PROXY_STATE_OPEN || state == WS_SERVICE_PROXY_STATE_FAULTED)
        proxy->obj.state = WS_SERVICE_PROXY_STATE_CLOSING;
    ws_object_unlock( proxy );
    if (state == WS_SERVICE_PROXY_STATE_CLOSED) return S_OK;
    if (state != WS_SERVICE_PROXY_STATE_OPEN && state != WS_SERVICE_PROXY_STATE_FAULTED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsCloseServiceProxy: the proxy is in state %d", state );
    return ws_async_run( close_run, &args, sizeof(args), proxy->callback_model, asyncContext, error );
}

HRESULT WINAPI WsAbortServiceProxy( WS_SERVICE_PROXY *serviceProxy, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );

    TRACE( "%p %p\n", serviceProxy, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    ws_object_lock( proxy );
    if (proxy->obj.state != WS_SERVICE_PROXY_STATE_CREATED && proxy->obj.state != WS_SERVICE_PROXY_STATE_CLOSED)
        proxy->obj.state = WS_SERVICE_PROXY_STATE_FAULTED;
    ws_object_unlock( proxy );
    abort_calls( proxy );
    return S_OK;
}

HRESULT WINAPI WsResetServiceProxy( WS_SERVICE_PROXY *serviceProxy, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );
    WS_SERVICE_PROXY_STATE state;
    HRESULT hr;

    TRACE( "%p %p\n", serviceProxy, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    state = get_state( proxy );
    if (state != WS_SERVICE_PROXY_STATE_CREATED && state != WS_SERVICE_PROXY_STATE_CLOSED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsResetServiceProxy: the proxy is in state %d, not created or closed",
                             state );
    if (FAILED(hr = WsResetChannel( proxy->channel, error ))) return hr;
    ResetEvent( proxy->aborted );
    finish_state( proxy, state, WS_SERVICE_PROXY_STATE_CREATED );
    return S_OK;
}

void WINAPI WsFreeServiceProxy( WS_SERVICE_PROXY *serviceProxy )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );

    TRACE( "%p\n", serviceProxy );

    if (!ws_object_is( serviceProxy, WS_OBJECT_SERVICE_PROXY )) return;
    /* Calls still pending (a misuse) end now; abandoned exchanges keep the
     * object alive through their references until they finish. */
    abort_calls( proxy );
    wait_idle( proxy, INFINITE );
    proxy->obj.magic = WS_OBJECT_MAGIC_FREED;
    proxy_release( proxy );
}

/* ---- calls -------------------------------------------------------------- */

struct call_options
{
    BOOL check_must_understand;
    WS_PROXY_MESSAGE_CALLBACK_CONTEXT send_context;
    WS_PROXY_MESSAGE_CALLBACK_CONTEXT receive_context;
    ULONG call_id;
};

static HRESULT get_call_options( const WS_CALL_PROPERTY *props, ULONG count, struct call_options *opts,
                                 WS_ERROR *error )
{
    ULONG i;

    memset( opts, 0, sizeof(*opts) );
    opts->check_must_understand = TRUE;
    if (count && !props) return ws_error_set( error, E_INVALIDARG, "%lu call properties but the array is NULL", count );
    for (i = 0; i < count; i++)
    {
        void *field;
        ULONG size;

        switch (props[i].id)
        {
        case WS_CALL_PROPERTY_CHECK_MUST_UNDERSTAND:
            field = &opts->check_must_understand; size = sizeof(BOOL); break;
        case WS_CALL_PROPERTY_SEND_MESSAGE_CONTEXT:
            field = &opts->send_context; size = sizeof(WS_PROXY_MESSAGE_CALLBACK_CONTEXT); break;
        case WS_CALL_PROPERTY_RECEIVE_MESSAGE_CONTEXT:
            field = &opts->receive_context; size = sizeof(WS_PROXY_MESSAGE_CALLBACK_CONTEXT); break;
        case WS_CALL_PROPERTY_CALL_ID:
            field = &opts->call_id; size = sizeof(ULONG); break;
        default:
            return ws_error_set( error, E_INVALIDARG, "call property %d does not exist", props[i].id );
        }
        if (!props[i].value) return ws_error_set( error, E_INVALIDARG, "call property %d: value is NULL", props[i].id );
        if (props[i].valueSize != size)
            return ws_error_set( error, E_INVALIDARG, "call property %d: size %lu, expected %lu", props[i].id,
                                 props[i].valueSize, size );
        memcpy( field, props[i].value, size );
    }
    return S_OK;
}

/* Registers a call as pending: the proxy must be open and below WS_PROXY_PROPERTY_MAX_PENDING_CALLS. */
static HRESULT begin_call( struct ws_proxy *proxy, struct call *call, WS_ERROR *error )
{
    WS_SERVICE_PROXY_STATE state;
    HRESULT hr = S_OK;

    if (!(call->abandoned = CreateEventW( NULL, TRUE, FALSE, NULL )))
        return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "cannot create the call's event" );
    ws_object_lock( proxy );
    state = proxy->obj.state;
    if (state != WS_SERVICE_PROXY_STATE_OPEN) hr = WS_E_INVALID_OPERATION;
    else if (proxy->pending >= proxy->props.max_pending_calls) hr = WS_E_QUOTA_EXCEEDED;
    else
    {
        call->next = &proxy->calls;
        call->prev = proxy->calls.prev;
        call->prev->next = call;
        proxy->calls.prev = call;
        proxy->pending++;
    }
    ws_object_unlock( proxy );
    if (SUCCEEDED(hr)) return S_OK;
    CloseHandle( call->abandoned );
    if (hr == WS_E_QUOTA_EXCEEDED)
        return ws_error_set( error, hr, "WsCall: %lu calls are already pending (WS_PROXY_PROPERTY_MAX_PENDING_CALLS)",
                             proxy->props.max_pending_calls );
    return ws_error_set( error, hr, "WsCall: the proxy is in state %d, not open", state );
}

static void end_call( struct ws_proxy *proxy, struct call *call )
{
    ws_object_lock( proxy );
    call->prev->next = call->next;
    call->next->prev = call->prev;
    if (!--proxy->pending) WakeAllConditionVariable( &proxy->idle );
    ws_object_unlock( proxy );
    CloseHandle( call->abandoned );
}

/* Milliseconds left until DEADLINE (GetTickCount64 time, ~0 = none). */
static DWORD time_left( ULONGLONG deadline )
{
    ULONGLONG now = GetTickCount64();
    if (deadline == ~(ULONGLONG)0) return INFINITE;
    return now >= deadline ? 0 : (DWORD)min( deadline - now, (ULONGLONG)(INFINITE - 1) );
}

/* Waits for OBJECT, or ends the call: abandoned, aborted or timed out. */
static HRESULT wait_call( struct ws_proxy *proxy, struct call *call, HANDLE object, ULONGLONG deadline,
                          const char *what, WS_ERROR *error )
{
    HANDLE handles[3] = { object, call->abandoned, proxy->aborted };

    switch (WaitForMultipleObjects( 3, handles, FALSE, time_left( deadline ) ))
    {
    case WAIT_OBJECT_0:     return S_OK;
    case WAIT_OBJECT_0 + 1: return ws_error_set( error, WS_E_OPERATION_ABANDONED, "WsCall: the call was abandoned while %s", what );
    case WAIT_OBJECT_0 + 2: return ws_error_set( error, WS_E_OPERATION_ABORTED, "WsCall: the proxy was aborted while %s", what );
    case WAIT_TIMEOUT:
        return ws_error_set( error, WS_E_OPERATION_TIMED_OUT, "WsCall: the call timed out (WS_PROXY_PROPERTY_CALL_TIMEOUT %lu ms) while %s",
                             proxy->props.call_timeout, what );
    default:
        return ws_error_set( error, HRESULT_FROM_WIN32( GetLastError() ), "WsCall: waiting failed while %s", what );
    }
}

/* The wait for a reply, on a pool thread: see the comment at the top. */
struct exchange
{
    LONG refs;                   /* the call and the pool thread */
    LONG state;                  /* EXCHANGE_* */
    struct ws_proxy *proxy;      /* holds a reference */
    WS_MESSAGE *request;         /* written up to its end by the caller */
    WS_MESSAGE *reply;
    WS_ERROR *error;             /* the pool thread's errors, copied to the call's */
    HANDLE done;
    HRESULT hr;
};

enum { EXCHANGE_PENDING, EXCHANGE_DONE, EXCHANGE_ABANDONED };

static void exchange_release( struct exchange *x )
{
    if (InterlockedDecrement( &x->refs )) return;
    if (x->request) WsFreeMessage( x->request );
    if (x->reply) WsFreeMessage( x->reply );
    if (x->error) WsFreeError( x->error );
    if (x->done) CloseHandle( x->done );
    proxy_release( x->proxy );
    free( x );
}

static HRESULT exchange_run( void *arg, WS_ERROR *error )
{
    struct exchange *x = *(struct exchange **)arg;
    HRESULT hr;

    /* Ending the request sends it (and, over HTTP, waits for the response). */
    if (FAILED(hr = ws_channel_write_message_end( x->proxy->channel, x->request, NULL, error ))) return hr;
    return ws_channel_read_message_start( x->proxy->channel, x->reply, NULL, error );
}

static void CALLBACK exchange_done( HRESULT hr, WS_CALLBACK_MODEL model, void *state )
{
    struct exchange *x = state;

    (void)model;
    x->hr = hr;
    if (InterlockedCompareExchange( &x->state, EXCHANGE_DONE, EXCHANGE_PENDING ) == EXCHANGE_PENDING)
        SetEvent( x->done );
    else
    {
        /* The call gave up on this reply: discard it and free the channel. */
        if (SUCCEEDED(hr)) WsAbandonMessage( x->proxy->channel, x->reply, NULL );
        release_channel( x->proxy );
    }
    exchange_release( x );
}

static HRESULT start_exchange( struct ws_proxy *proxy, WS_MESSAGE *request, WS_MESSAGE *reply, struct exchange **ret,
                               WS_ERROR *error )
{
    WS_ASYNC_CONTEXT ctx = { exchange_done, NULL };
    struct exchange *x;
    HRESULT hr;

    if (!(x = calloc( 1, sizeof(*x) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the call" );
    x->refs = 2;
    x->proxy = proxy;
    InterlockedIncrement( &proxy->refs );
    if (!(x->done = CreateEventW( NULL, TRUE, FALSE, NULL )) || FAILED(hr = WsCreateError( NULL, 0, &x->error )))
    {
        x->refs = 1;
        exchange_release( x );  /* the messages stay the caller's */
        return ws_error_set( error, E_OUTOFMEMORY, "cannot create the call's reply wait" );
    }
    x->request = request;
    x->reply = reply;
    ctx.callbackState = x;
    hr = ws_async_run( exchange_run, &x, sizeof(x), WS_LONG_CALLBACK, &ctx, x->error );
    if (hr != WS_S_ASYNC) exchange_done( hr, WS_LONG_CALLBACK, x );  /* ran synchronously, no callback */
    *ret = x;
    return S_OK;
}

static BOOL is_fault( WS_MESSAGE *message )
{
    BOOL fault = FALSE;
    return SUCCEEDED(WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_IS_FAULT, &fault, sizeof(fault), NULL )) && fault;
}

/* Under WS_ADDRESSING_VERSION_TRANSPORT the action travels in the request's
 * transport headers (SOAPAction, the content type's action parameter) and an
 * HTTP response has no place for one: a reply without an action is then the
 * reply (SOAP 1.1 services with basic HTTP bindings answer so). */
static BOOL is_transport_addressed( WS_MESSAGE *message )
{
    WS_ADDRESSING_VERSION version = WS_ADDRESSING_VERSION_1_0;
    return SUCCEEDED(WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_ADDRESSING_VERSION, &version, sizeof(version),
                                           NULL )) && version == WS_ADDRESSING_VERSION_TRANSPORT;
}

static HRESULT check_reply_action( const WS_MESSAGE_DESCRIPTION *desc, WS_MESSAGE *reply, WS_ERROR *error )
{
    const WS_XML_STRING *action = NULL;
    HRESULT hr;

    if (!desc->action) return S_OK;
    if (FAILED(hr = ws_message_get_action( reply, &action, error ))) return hr;
    if (action && action->length == desc->action->length && !memcmp( action->bytes, desc->action->bytes, action->length ))
        return S_OK;
    if (!action && is_transport_addressed( reply )) return S_OK;
    return ws_error_set( error, WS_E_INVALID_FORMAT, "WsCall: the reply's action %s is not the expected %s",
                         action ? debugstr_xmlstr( action ) : "(none)", debugstr_xmlstr( desc->action ) );
}

/* Reads the body of a received reply on the calling thread. */
static HRESULT read_reply( struct ws_proxy *proxy, const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *reply,
                           const void **args, WS_HEAP *heap, const struct call_options *opts, WS_ERROR *error )
{
    HRESULT hr;

    if (is_fault( reply )) hr = ws_channel_read_fault( reply, heap, error );
    else if (opts->receive_context.callback &&
             FAILED(hr = opts->receive_context.callback( reply, heap, opts->receive_context.state, error ))) ;
    /* After the receive callback: the headers it read (WsGetCustomHeader,
     * WsMarkHeaderAsUnderstood) count as understood. */
    else if (opts->check_must_understand && FAILED(hr = WsCheckMustUnderstandHeaders( reply, error ))) ;
    else if (SUCCEEDED(hr = check_reply_action( op->outputMessageDescription, reply, error )) &&
             SUCCEEDED(hr = ws_operation_read_output( op, reply, args, heap, error )))
        return ws_channel_read_message_end( proxy->channel, reply, NULL, error );
    WsAbandonMessage( proxy->channel, reply, NULL );
    return hr;
}

/* Writes the request up to its end: the body is serialized (the caller's
 * arguments are not needed after this), the end is left to the caller. */
static HRESULT write_request( struct ws_proxy *proxy, const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *request,
                              const void **args, WS_HEAP *heap, const struct call_options *opts, WS_ERROR *error )
{
    const WS_XML_STRING *action = op->inputMessageDescription->action;
    BOOL one_way = !op->outputMessageDescription;
    HRESULT hr;

    if (FAILED(hr = WsInitializeMessage( request, one_way ? WS_BLANK_MESSAGE : WS_REQUEST_MESSAGE, NULL, error )))
        return hr;
    if (action && FAILED(hr = WsSetHeader( request, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE,
                                           action, sizeof(*action), error ))) return hr;
    if (opts->send_context.callback &&
        FAILED(hr = opts->send_context.callback( request, heap, opts->send_context.state, error ))) return hr;
    if (FAILED(hr = ws_channel_write_message_start( proxy->channel, request, NULL, error ))) return hr;
    return ws_operation_write_input( op, request, args, error );
}

static HRESULT create_messages( struct ws_proxy *proxy, BOOL one_way, WS_MESSAGE **request, WS_MESSAGE **reply,
                                WS_ERROR *error )
{
    const WS_MESSAGE_PROPERTIES *props = &proxy->props.message_properties;
    HRESULT hr;

    if (FAILED(hr = WsCreateMessageForChannel( proxy->channel, props->properties, props->propertyCount, request, error )))
        return hr;
    if (one_way) return S_OK;
    if (FAILED(hr = WsCreateMessageForChannel( proxy->channel, props->properties, props->propertyCount, reply, error )))
    {
        WsFreeMessage( *request );
        *request = NULL;
    }
    return hr;
}

/* One call while it owns the channel: writes the request, waits for the reply. */
static HRESULT exchange_messages( struct ws_proxy *proxy, struct call *call, const WS_OPERATION_DESCRIPTION *op,
                                  const void **args, WS_HEAP *heap, const struct call_options *opts,
                                  ULONGLONG deadline, WS_ERROR *error )
{
    WS_MESSAGE *request = NULL, *reply = NULL;
    struct exchange *x = NULL;
    HRESULT hr;

    if (FAILED(hr = create_messages( proxy, !op->outputMessageDescription, &request, &reply, error ))) goto done;
    if (FAILED(hr = write_request( proxy, op, request, args, heap, opts, error ))) goto done;
    if (!reply)  /* one-way */
    {
        hr = ws_channel_write_message_end( proxy->channel, request, NULL, error );
        goto done;
    }

    if (FAILED(hr = start_exchange( proxy, request, reply, &x, error ))) goto done;
    request = reply = NULL;  /* the exchange owns them */
    hr = wait_call( proxy, call, x->done, deadline, "waiting for the reply", error );
    if (FAILED(hr) && InterlockedCompareExchange( &x->state, EXCHANGE_ABANDONED, EXCHANGE_PENDING ) == EXCHANGE_PENDING)
    {
        /* The exchange frees the channel when its reply or the abort arrives. */
        exchange_release( x );
        return hr;
    }
    if (SUCCEEDED(hr = x->hr)) hr = read_reply( proxy, op, x->reply, args, heap, opts, error );
    else
    {
        WsCopyError( x->error, error );
        hr = ws_error_set( error, hr, "WsCall: sending the request or receiving the reply failed" );
    }
    exchange_release( x );

done:
    release_channel( proxy );
    if (request) WsFreeMessage( request );
    if (reply) WsFreeMessage( reply );
    return hr;
}

struct call_args
{
    struct ws_proxy *proxy;
    const WS_OPERATION_DESCRIPTION *op;
    const void **args;
    WS_HEAP *heap;
    struct call_options opts;
};

static HRESULT call_run( void *arg, WS_ERROR *error )
{
    struct call_args *a = arg;
    struct ws_proxy *proxy = a->proxy;
    struct call call = { .id = a->opts.call_id };
    ULONGLONG deadline = ~(ULONGLONG)0;
    HRESULT hr;

    if (proxy->props.call_timeout != INFINITE) deadline = GetTickCount64() + proxy->props.call_timeout;
    if (FAILED(hr = begin_call( proxy, &call, error ))) return hr;
    if (SUCCEEDED(hr = wait_call( proxy, &call, proxy->channel_free, deadline, "waiting for the channel", error )))
        hr = exchange_messages( proxy, &call, a->op, a->args, a->heap, &a->opts, deadline, error );
    end_call( proxy, &call );
    return hr;
}

HRESULT WINAPI WsCall( WS_SERVICE_PROXY *serviceProxy, const WS_OPERATION_DESCRIPTION *operation, const void **arguments, WS_HEAP *heap, const WS_CALL_PROPERTY *callProperties, ULONG callPropertyCount, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );
    struct call_args args = { .proxy = proxy, .op = operation, .args = arguments, .heap = heap };
    HRESULT hr;

    TRACE( "%p %p %p %p %p %lu %p %p\n", serviceProxy, operation, arguments, heap, callProperties, callPropertyCount, asyncContext, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (FAILED(hr = ws_operation_check( operation, error ))) return hr;
    if (operation->parameterCount && !arguments)
        return ws_error_set( error, E_INVALIDARG, "the operation has %u parameters but arguments is NULL", operation->parameterCount );
    if (asyncContext && !asyncContext->callback) return ws_error_set( error, E_INVALIDARG, "asyncContext->callback is NULL" );
    if (FAILED(hr = get_call_options( callProperties, callPropertyCount, &args.opts, error ))) return hr;
    if (get_state( proxy ) != WS_SERVICE_PROXY_STATE_OPEN)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsCall: the proxy is in state %d, not open", get_state( proxy ) );
    return ws_async_run( call_run, &args, sizeof(args), proxy->callback_model, asyncContext, error );
}

HRESULT WINAPI WsAbandonCall( WS_SERVICE_PROXY *serviceProxy, ULONG callId, WS_ERROR *error )
{
    struct ws_proxy *proxy = impl_from_WS_SERVICE_PROXY( serviceProxy );
    WS_SERVICE_PROXY_STATE state;
    struct call *call;

    TRACE( "%p %lu %p\n", serviceProxy, callId, error );

    WS_CHECK_HANDLE( serviceProxy, WS_OBJECT_SERVICE_PROXY, error );
    ws_object_lock( proxy );
    state = proxy->obj.state;
    if (state == WS_SERVICE_PROXY_STATE_OPEN || state == WS_SERVICE_PROXY_STATE_CLOSING)
    {
        for (call = proxy->calls.next; call != &proxy->calls; call = call->next)
            if (!callId || call->id == callId) SetEvent( call->abandoned );
    }
    ws_object_unlock( proxy );
    if (state != WS_SERVICE_PROXY_STATE_OPEN && state != WS_SERVICE_PROXY_STATE_CLOSING)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsAbandonCall: the proxy is in state %d, not open", state );
    return S_OK;
}
