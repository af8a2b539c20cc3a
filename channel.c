/*
 * Channels (WS_CHANNEL)
 *
 * One channel object for every binding.  The binding-independent part lives
 * here: the handle, the channel properties (one table, with the documented
 * defaults and the bindings each property applies to), the state machine of
 * WS_CHANNEL_STATE, and the message-level operations that are compositions
 * of the channel and message primitives (WsSendMessage = write start, body,
 * write end; WsReceiveMessage = read start, match the action, read body,
 * read end; WsRequestReply, WsSendReplyMessage, WsSendFaultMessageForError).
 * What a binding does with bytes sits behind struct channel_ops:
 *
 *   - WS_CUSTOM_CHANNEL_BINDING: every primitive is the application's
 *     WS_CUSTOM_CHANNEL_CALLBACKS; as documented, the callbacks validate
 *     their arguments and the channel state themselves, so the runtime
 *     forwards without a state machine of its own.
 *   - the transport bindings (TCP, HTTP, UDP, named pipes) keep the state
 *     machine here and do I/O through transport.c and nmf.c (sessions, in
 *     this file), http.c (http_binding.c) and transport.c (udp_binding.c).
 *
 * State machine (WS_CHANNEL_STATE, for the transport bindings):
 *
 *   CREATED --WsOpenChannel--> OPENING --ok--> OPEN --WsCloseChannel--> CLOSING --> CLOSED
 *                                      \--failure--> FAULTED
 *   any state --WsAbortChannel--> FAULTED (pending I/O ends with WS_E_OPERATION_ABORTED)
 *   CREATED, CLOSED --WsResetChannel--> CREATED
 *
 * WsAbortChannel may be called from any thread at any time; state changes
 * happen under the object lock, never held across I/O or callbacks.
 */

#include <stdlib.h>
#include <string.h>
#include "webservices_private.h"

/* Binding primitives; asynchronous contexts are handled by the callers. */

/* ---------------------------------------------------------------------- */
/* Properties                                                              */
/* ---------------------------------------------------------------------- */


static const ULONG dflt_64k = 65536, dflt_16k = 16384, dflt_2048 = 2048, dflt_30s = 30000, dflt_infinite = INFINITE;
static const unsigned __int64 dflt_4m = 4194304;
static const WS_CALLBACK_MODEL dflt_long_callback = WS_LONG_CALLBACK;
static const BOOL dflt_true = TRUE;
static const ULONG dflt_one = 1, dflt_two_hours = 2 * 60 * 60 * 1000, dflt_one_second = 1000;
static const WS_COOKIE_MODE dflt_cookie_mode = WS_AUTO_COOKIE_MODE;
static const WS_HTTP_PROXY_SETTING_MODE dflt_proxy_mode = WS_HTTP_PROXY_SETTING_MODE_AUTO;
static const WS_PROTECTION_LEVEL dflt_protection = WS_PROTECTION_LEVEL_NONE;
static const WS_TRANSFER_MODE dflt_buffered = WS_BUFFERED_TRANSFER_MODE;
static const WS_IP_VERSION dflt_ip_auto = WS_IP_VERSION_AUTO;

/* Properties "used with WsSetChannelProperty" in the documentation are
 * WS_PROP_WRITABLE; "used with WsCreateChannel or WsGetChannelProperty"
 * WS_PROP_CREATE; "used with WsGetChannelProperty" WS_PROP_READ_ONLY;
 * "used with WsCreateChannel" only (no Get documented) WS_PROP_CREATE too,
 * since returning a creation value does no harm. */
static const struct ws_prop_desc channel_prop_desc[] =
{
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, struct channel_props, max_buffered_message_size, WS_PROP_CREATE, &dflt_64k ),
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, struct channel_props, max_streamed_message_size, WS_PROP_CREATE, &dflt_4m ),
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE, struct channel_props, max_streamed_start_size, WS_PROP_CREATE, &dflt_16k ),
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_STREAMED_FLUSH_SIZE, struct channel_props, max_streamed_flush_size, WS_PROP_CREATE, &dflt_64k ),
    WS_PROP( WS_CHANNEL_PROPERTY_ENCODING, struct channel_props, encoding, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, struct channel_props, envelope_version, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, struct channel_props, addressing_version, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_SESSION_DICTIONARY_SIZE, struct channel_props, max_session_dictionary_size, WS_PROP_CREATE, &dflt_2048 ),
    WS_PROP( WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, struct channel_props, async_callback_model, WS_PROP_CREATE, &dflt_long_callback ),
    WS_PROP( WS_CHANNEL_PROPERTY_IP_VERSION, struct channel_props, ip_version, WS_PROP_CREATE, &dflt_ip_auto ),
    WS_PROP( WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, struct channel_props, resolve_timeout, WS_PROP_WRITABLE, &dflt_infinite ),
    WS_PROP( WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, struct channel_props, connect_timeout, WS_PROP_WRITABLE, &dflt_30s ),
    WS_PROP( WS_CHANNEL_PROPERTY_SEND_TIMEOUT, struct channel_props, send_timeout, WS_PROP_WRITABLE, &dflt_30s ),
    WS_PROP( WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, struct channel_props, receive_response_timeout, WS_PROP_WRITABLE, &dflt_30s ),
    WS_PROP( WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, struct channel_props, receive_timeout, WS_PROP_WRITABLE, &dflt_30s ),
    WS_PROP( WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT, struct channel_props, close_timeout, WS_PROP_WRITABLE, &dflt_30s ),
    WS_PROP( WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS, struct channel_props, enable_timeouts, WS_PROP_CREATE, &dflt_true ),
    WS_PROP( WS_CHANNEL_PROPERTY_TRANSFER_MODE, struct channel_props, transfer_mode, WS_PROP_CREATE, &dflt_buffered ),
    WS_PROP( WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE, struct channel_props, multicast_interface, WS_PROP_WRITABLE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_MULTICAST_HOPS, struct channel_props, multicast_hops, WS_PROP_CREATE, &dflt_one ),
    WS_PROP( WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS, struct channel_props, custom_callbacks, WS_PROP_INIT, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_NO_DELAY, struct channel_props, no_delay, WS_PROP_WRITABLE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_SEND_KEEP_ALIVES, struct channel_props, send_keep_alives, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_KEEP_ALIVE_TIME, struct channel_props, keep_alive_time, WS_PROP_CREATE, &dflt_two_hours ),
    WS_PROP( WS_CHANNEL_PROPERTY_KEEP_ALIVE_INTERVAL, struct channel_props, keep_alive_interval, WS_PROP_CREATE, &dflt_one_second ),
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_HTTP_SERVER_CONNECTIONS, struct channel_props, max_http_server_connections, WS_PROP_CREATE, &dflt_infinite ),
    WS_PROP( WS_CHANNEL_PROPERTY_CHANNEL_TYPE, struct channel_props, channel_type, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_TRIM_BUFFERED_MESSAGE_SIZE, struct channel_props, trim_buffered_message_size, WS_PROP_CREATE, &dflt_64k ),
    WS_PROP( WS_CHANNEL_PROPERTY_ENCODER, struct channel_props, encoder, WS_PROP_INIT, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_DECODER, struct channel_props, decoder, WS_PROP_INIT, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_PROTECTION_LEVEL, struct channel_props, protection_level, WS_PROP_READ_ONLY, &dflt_protection ),
    WS_PROP( WS_CHANNEL_PROPERTY_COOKIE_MODE, struct channel_props, cookie_mode, WS_PROP_CREATE, &dflt_cookie_mode ),
    WS_PROP( WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE, struct channel_props, http_proxy_setting_mode, WS_PROP_CREATE, &dflt_proxy_mode ),
    WS_PROP( WS_CHANNEL_PROPERTY_ENABLE_HTTP_REDIRECT, struct channel_props, enable_http_redirect, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_HTTP_REDIRECT_CALLBACK_CONTEXT, struct channel_props, http_redirect_callback_context, WS_PROP_INIT, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_FAULTS_AS_ERRORS, struct channel_props, faults_as_errors, WS_PROP_WRITABLE, &dflt_true ),
    WS_PROP( WS_CHANNEL_PROPERTY_ALLOW_UNSECURED_FAULTS, struct channel_props, allow_unsecured_faults, WS_PROP_WRITABLE, NULL ),
    WS_PROP( WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE, struct channel_props, max_http_request_headers_buffer_size, WS_PROP_CREATE, &dflt_64k ),
};

static HRESULT validate_channel_prop( ULONG id, const void *value, WS_ERROR *error )
{
    switch (id)
    {
    case WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE:
    case WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE:
        if (!*(const ULONG *)value) return ws_error_set( error, E_INVALIDARG, "channel property %lu: the minimum value is 1", id );
        return S_OK;
    case WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE:
        if (!*(const unsigned __int64 *)value) return ws_error_set( error, E_INVALIDARG, "the minimum streamed message size is 1" );
        return S_OK;
    case WS_CHANNEL_PROPERTY_ENCODING:
        if (*(const WS_ENCODING *)value < WS_ENCODING_XML_BINARY_1 || *(const WS_ENCODING *)value > WS_ENCODING_RAW)
            return ws_error_set( error, E_INVALIDARG, "unknown encoding %d", *(const WS_ENCODING *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_ENVELOPE_VERSION:
        if (*(const WS_ENVELOPE_VERSION *)value < WS_ENVELOPE_VERSION_SOAP_1_1 || *(const WS_ENVELOPE_VERSION *)value > WS_ENVELOPE_VERSION_NONE)
            return ws_error_set( error, E_INVALIDARG, "unknown envelope version %d", *(const WS_ENVELOPE_VERSION *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_ADDRESSING_VERSION:
        if (*(const WS_ADDRESSING_VERSION *)value < WS_ADDRESSING_VERSION_0_9 || *(const WS_ADDRESSING_VERSION *)value > WS_ADDRESSING_VERSION_TRANSPORT)
            return ws_error_set( error, E_INVALIDARG, "unknown addressing version %d", *(const WS_ADDRESSING_VERSION *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL:
        if (*(const WS_CALLBACK_MODEL *)value != WS_SHORT_CALLBACK && *(const WS_CALLBACK_MODEL *)value != WS_LONG_CALLBACK)
            return ws_error_set( error, E_INVALIDARG, "unknown callback model %d", *(const WS_CALLBACK_MODEL *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_IP_VERSION:
        if (*(const WS_IP_VERSION *)value < WS_IP_VERSION_4 || *(const WS_IP_VERSION *)value > WS_IP_VERSION_AUTO)
            return ws_error_set( error, E_INVALIDARG, "unknown IP version %d", *(const WS_IP_VERSION *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_TRANSFER_MODE:
        if (*(const ULONG *)value & ~(ULONG)WS_STREAMED_TRANSFER_MODE)
            return ws_error_set( error, E_INVALIDARG, "unknown transfer mode %#lx", *(const ULONG *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_COOKIE_MODE:
        if (*(const WS_COOKIE_MODE *)value != WS_MANUAL_COOKIE_MODE && *(const WS_COOKIE_MODE *)value != WS_AUTO_COOKIE_MODE)
            return ws_error_set( error, E_INVALIDARG, "unknown cookie mode %d", *(const WS_COOKIE_MODE *)value );
        return S_OK;
    case WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE:
        if (*(const WS_HTTP_PROXY_SETTING_MODE *)value < WS_HTTP_PROXY_SETTING_MODE_AUTO ||
            *(const WS_HTTP_PROXY_SETTING_MODE *)value > WS_HTTP_PROXY_SETTING_MODE_CUSTOM)
            return ws_error_set( error, E_INVALIDARG, "unknown proxy setting mode %d", *(const WS_HTTP_PROXY_SETTING_MODE *)value );
        return S_OK;
    default:
        return S_OK;
    }
}

static const struct ws_prop_table channel_prop_table = WS_PROP_TABLE( "channel", channel_prop_desc, validate_channel_prop );

/* The bindings a property may be given for at creation, from the "used with
 * ... for WS_xxx_CHANNEL_BINDING" sentences of WS_CHANNEL_PROPERTY_ID. */
#define B(binding) (1u << (binding))
#define B_TCP   B(WS_TCP_CHANNEL_BINDING)
#define B_HTTP  B(WS_HTTP_CHANNEL_BINDING)
#define B_UDP   B(WS_UDP_CHANNEL_BINDING)
#define B_PIPE  B(WS_NAMEDPIPE_CHANNEL_BINDING)
#define B_CUSTOM B(WS_CUSTOM_CHANNEL_BINDING)
#define B_ALL   (B_TCP | B_HTTP | B_UDP | B_PIPE | B_CUSTOM)

static ULONG property_bindings( WS_CHANNEL_PROPERTY_ID id )
{
    switch (id)
    {
    case WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE:
    case WS_CHANNEL_PROPERTY_TRIM_BUFFERED_MESSAGE_SIZE:
    case WS_CHANNEL_PROPERTY_ENCODER:
    case WS_CHANNEL_PROPERTY_DECODER:         return B_TCP | B_HTTP | B_PIPE;
    case WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE:
    case WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE:
    case WS_CHANNEL_PROPERTY_MAX_STREAMED_FLUSH_SIZE:
    case WS_CHANNEL_PROPERTY_TRANSFER_MODE:
    case WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT:
    case WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT:
    case WS_CHANNEL_PROPERTY_MAX_HTTP_SERVER_CONNECTIONS:
    case WS_CHANNEL_PROPERTY_COOKIE_MODE:
    case WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE:
    case WS_CHANNEL_PROPERTY_CUSTOM_HTTP_PROXY:
    case WS_CHANNEL_PROPERTY_HTTP_MESSAGE_MAPPING:
    case WS_CHANNEL_PROPERTY_ENABLE_HTTP_REDIRECT:
    case WS_CHANNEL_PROPERTY_HTTP_REDIRECT_CALLBACK_CONTEXT:
    case WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE: return B_HTTP;
    case WS_CHANNEL_PROPERTY_ENCODING:         return B_TCP | B_HTTP;
    case WS_CHANNEL_PROPERTY_ENVELOPE_VERSION: return B_TCP | B_HTTP | B_UDP;
    case WS_CHANNEL_PROPERTY_ADDRESSING_VERSION: return B_TCP | B_HTTP | B_UDP | B_PIPE;
    case WS_CHANNEL_PROPERTY_MAX_SESSION_DICTIONARY_SIZE: return B_TCP | B_PIPE;
    case WS_CHANNEL_PROPERTY_IP_VERSION:      return B_TCP | B_UDP;
    case WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT:
    case WS_CHANNEL_PROPERTY_SEND_TIMEOUT:
    case WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT:
    case WS_CHANNEL_PROPERTY_FAULTS_AS_ERRORS: return B_TCP | B_HTTP | B_PIPE | B_UDP;
    case WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT:   return B_TCP | B_PIPE;
    case WS_CHANNEL_PROPERTY_ALLOW_UNSECURED_FAULTS: return B_TCP | B_HTTP | B_PIPE;
    case WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE:
    case WS_CHANNEL_PROPERTY_MULTICAST_HOPS:  return B_UDP;
    case WS_CHANNEL_PROPERTY_NO_DELAY:
    case WS_CHANNEL_PROPERTY_SEND_KEEP_ALIVES:
    case WS_CHANNEL_PROPERTY_KEEP_ALIVE_TIME:
    case WS_CHANNEL_PROPERTY_KEEP_ALIVE_INTERVAL: return B_TCP;
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS:
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS: return B_CUSTOM;
    case WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS:
    case WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL: return B_ALL;
    default:                                  return 0;   /* read-only */
    }
}

/* ---------------------------------------------------------------------- */
/* The object                                                              */
/* ---------------------------------------------------------------------- */


static struct ws_channel *impl_from_WS_CHANNEL( WS_CHANNEL *channel )
{
    return (struct ws_channel *)channel;
}

/* Defaults that depend on the binding (WS_CHANNEL_PROPERTY_ID). */
static void set_binding_defaults( struct ws_channel *channel )
{
    struct channel_props *props = &channel->props;

    switch (channel->binding)
    {
    case WS_TCP_CHANNEL_BINDING:
    case WS_NAMEDPIPE_CHANNEL_BINDING:
        props->encoding = WS_ENCODING_XML_BINARY_SESSION_1;
        props->envelope_version = WS_ENVELOPE_VERSION_SOAP_1_2;
        props->addressing_version = WS_ADDRESSING_VERSION_1_0;
        break;
    case WS_HTTP_CHANNEL_BINDING:
    case WS_UDP_CHANNEL_BINDING:
    default:
        props->encoding = WS_ENCODING_XML_UTF8;
        props->envelope_version = WS_ENVELOPE_VERSION_SOAP_1_2;
        props->addressing_version = WS_ADDRESSING_VERSION_1_0;
        break;
    }
}

/* HTTP with the raw encoding defaults to no envelope and transport addressing. */
static void apply_dependent_defaults( struct ws_channel *channel, BOOL env_given, BOOL addr_given )
{
    if (channel->binding != WS_HTTP_CHANNEL_BINDING || channel->props.encoding != WS_ENCODING_RAW) return;
    if (!env_given) channel->props.envelope_version = WS_ENVELOPE_VERSION_NONE;
    if (!addr_given) channel->props.addressing_version = WS_ADDRESSING_VERSION_TRANSPORT;
}

/* WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS FALSE: every timeout not given explicitly is INFINITE. */
static void apply_enable_timeouts( struct ws_channel *channel )
{
    static const WS_CHANNEL_PROPERTY_ID timeouts[] =
    {
        WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, WS_CHANNEL_PROPERTY_SEND_TIMEOUT,
        WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT,
    };
    ULONG i;

    if (channel->props.enable_timeouts) return;
    for (i = 0; i < ARRAYSIZE(timeouts); i++)
    {
        const struct ws_prop_desc *desc = ws_prop_find( &channel_prop_table, timeouts[i] );
        if (!channel->explicit_timeouts[timeouts[i]]) *(ULONG *)((BYTE *)&channel->props + desc->offset) = INFINITE;
    }
}

static HRESULT check_creation_properties( WS_CHANNEL_BINDING binding, const WS_CHANNEL_PROPERTY *properties,
                                          ULONG count, WS_ERROR *error )
{
    ULONG i;

    if (count && !properties) return ws_error_set( error, E_INVALIDARG, "properties is NULL with a count of %lu", count );
    for (i = 0; i < count; i++)
    {
        if (!(property_bindings( properties[i].id ) & B(binding)))
            return ws_error_set( error, E_INVALIDARG, "channel property %d cannot be given for channel binding %d",
                                 properties[i].id, binding );
        /* "WS_ADDRESSING_VERSION_TRANSPORT is only supported for WS_HTTP_CHANNEL_BINDING." */
        if (properties[i].id == WS_CHANNEL_PROPERTY_ADDRESSING_VERSION && binding != WS_HTTP_CHANNEL_BINDING &&
            properties[i].value && properties[i].valueSize == sizeof(WS_ADDRESSING_VERSION) &&
            *(const WS_ADDRESSING_VERSION *)properties[i].value == WS_ADDRESSING_VERSION_TRANSPORT)
            return ws_error_set( error, E_INVALIDARG, "transport addressing is only supported for the HTTP binding" );
    }
    return S_OK;
}

/* Properties the table does not hold: arbitrary-size or deep values. */
static HRESULT apply_special_property( struct ws_channel *channel, const WS_CHANNEL_PROPERTY *prop, WS_ERROR *error )
{
    switch (prop->id)
    {
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS:
        return ws_copy_blob( prop->value, prop->valueSize, &channel->custom_params, &channel->custom_params_size,
                             "custom channel parameters", error );
    case WS_CHANNEL_PROPERTY_HTTP_MESSAGE_MAPPING:
        return ws_http_channel_set_mapping( channel, prop->value, prop->valueSize, error );
    case WS_CHANNEL_PROPERTY_CUSTOM_HTTP_PROXY:
        return ws_error_set( error, E_NOTIMPL, "channel property %d is not implemented yet", prop->id );
    default:
        return S_FALSE;
    }
}

static HRESULT apply_properties( struct ws_channel *channel, const WS_CHANNEL_PROPERTY *properties, ULONG count,
                                 WS_ERROR *error )
{
    BOOL env_given = FALSE, addr_given = FALSE;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < count; i++)
    {
        if (FAILED(hr = apply_special_property( channel, &properties[i], error ))) return hr;
        if (hr == S_OK) continue;
        if (FAILED(hr = WS_PROPS_APPLY( &channel_prop_table, &channel->props, &properties[i], 1, error ))) return hr;
        if (properties[i].id <= WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT) channel->explicit_timeouts[properties[i].id] = TRUE;
        if (properties[i].id == WS_CHANNEL_PROPERTY_ENVELOPE_VERSION) env_given = TRUE;
        if (properties[i].id == WS_CHANNEL_PROPERTY_ADDRESSING_VERSION) addr_given = TRUE;
    }
    apply_dependent_defaults( channel, env_given, addr_given );
    apply_enable_timeouts( channel );
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* WS_CUSTOM_CHANNEL_BINDING: forward everything to the callbacks          */
/* ---------------------------------------------------------------------- */

static const WS_CUSTOM_CHANNEL_CALLBACKS *custom_callbacks( struct ws_channel *channel )
{
    return &channel->props.custom_callbacks;
}

static HRESULT custom_open( struct ws_channel *channel, const WS_ENDPOINT_ADDRESS *address,
                            const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->openChannelCallback( channel->custom_instance, address, ctx, error );
}

static HRESULT custom_close( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->closeChannelCallback( channel->custom_instance, ctx, error );
}

static HRESULT custom_abort( struct ws_channel *channel, WS_ERROR *error )
{
    return custom_callbacks( channel )->abortChannelCallback( channel->custom_instance, error );
}

static HRESULT custom_reset( struct ws_channel *channel, WS_ERROR *error )
{
    return custom_callbacks( channel )->resetChannelCallback( channel->custom_instance, error );
}

static void custom_free( struct ws_channel *channel )
{
    if (channel->custom_instance) custom_callbacks( channel )->freeChannelCallback( channel->custom_instance );
}

static HRESULT custom_write_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                           const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->writeMessageStartCallback( channel->custom_instance, message, ctx, error );
}

static HRESULT custom_write_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                         const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->writeMessageEndCallback( channel->custom_instance, message, ctx, error );
}

static HRESULT custom_read_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                          const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->readMessageStartCallback( channel->custom_instance, message, ctx, error );
}

static HRESULT custom_read_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                        const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->readMessageEndCallback( channel->custom_instance, message, ctx, error );
}

static HRESULT custom_abandon_message( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    return custom_callbacks( channel )->abandonMessageCallback( channel->custom_instance, message, error );
}

static HRESULT custom_shutdown_session( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return custom_callbacks( channel )->shutdownSessionChannelCallback( channel->custom_instance, ctx, error );
}

/* The runtime answers the properties it owns (the callbacks, parameters,
 * instance and channel type); the rest is the custom channel's business. */
static HRESULT custom_get_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, void *value,
                                    ULONG size, WS_ERROR *error )
{
    switch (id)
    {
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_INSTANCE:
        if (!value || size != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "the custom channel instance property needs a void * (size %lu)", size );
        *(void **)value = channel->custom_instance;
        return S_OK;
    case WS_CHANNEL_PROPERTY_CHANNEL_TYPE:
        return S_FALSE;
    default:
        return custom_callbacks( channel )->getChannelPropertyCallback( channel->custom_instance, id, value, size, error );
    }
}

static HRESULT custom_set_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, const void *value,
                                    ULONG size, WS_ERROR *error )
{
    return custom_callbacks( channel )->setChannelPropertyCallback( channel->custom_instance, id, value, size, error );
}

static const struct channel_ops custom_channel_ops =
{
    custom_open, custom_close, custom_abort, custom_reset, custom_free,
    custom_write_message_start, custom_write_message_end, custom_read_message_start, custom_read_message_end,
    custom_abandon_message, custom_shutdown_session, custom_get_property, custom_set_property,
};

static HRESULT check_custom_callbacks( const WS_CUSTOM_CHANNEL_CALLBACKS *cb, WS_ERROR *error )
{
    if (!cb->freeChannelCallback || !cb->resetChannelCallback ||
        !cb->openChannelCallback || !cb->closeChannelCallback || !cb->abortChannelCallback ||
        !cb->getChannelPropertyCallback || !cb->setChannelPropertyCallback || !cb->writeMessageStartCallback ||
        !cb->writeMessageEndCallback || !cb->readMessageStartCallback || !cb->readMessageEndCallback ||
        !cb->abandonMessageCallback || !cb->shutdownSessionChannelCallback)
        return ws_error_set( error, E_INVALIDARG, "every WS_CUSTOM_CHANNEL_CALLBACKS callback must be given" );
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Session bindings: net.tcp and net.pipe ([MC-NMF] duplex sessions)       */
/* ---------------------------------------------------------------------- */

/* A session dictionary ([MC-NBFSE]): strings numbered from 0 in the order
 * they were first sent; the binary encoding refers to string N as 2N+1. */
struct session_dict
{
    WS_XML_DICTIONARY dict;
    ULONG capacity;
    ULONG bytes;                      /* total string bytes, against the quota */
};

struct session
{
    struct ws_conn *conn;
    struct ws_nmf_session *nmf;
    WS_XML_WRITER *writer;
    WS_XML_READER *reader;
    struct ws_buf in;                 /* the envelope being read */
    struct session_dict send_dict, recv_dict;
    ULONG send_dict_mark;             /* first string added by the message being written */
    BOOL quota_hit;                   /* a received string table passed the quota */
    BOOL peer_ended;                  /* the peer's End record was received */
    WCHAR *url;                       /* endpoint (client) or via (service) URL */
    ULONG url_len;
    WS_XML_STRING *dict_failed;       /* set when the dynamic string callback ran out of memory */
};

static struct session *get_session( struct ws_channel *channel )
{
    return channel->session;
}

static void dict_free( struct session_dict *d )
{
    ULONG i;
    for (i = 0; i < d->dict.stringCount; i++) free( d->dict.strings[i].bytes );
    free( d->dict.strings );
    memset( d, 0, sizeof(*d) );
}

static BOOL dict_add( struct session_dict *d, const BYTE *bytes, ULONG len )
{
    WS_XML_STRING *str;

    if (d->dict.stringCount == d->capacity)
    {
        ULONG capacity = d->capacity ? d->capacity * 2 : 16;
        WS_XML_STRING *strings = realloc( d->dict.strings, capacity * sizeof(*strings) );
        if (!strings) return FALSE;
        d->dict.strings = strings;
        d->capacity = capacity;
    }
    str = &d->dict.strings[d->dict.stringCount];
    if (!(str->bytes = malloc( len ? len : 1 ))) return FALSE;
    memcpy( str->bytes, bytes, len );
    str->length = len;
    str->dictionary = &d->dict;
    str->id = d->dict.stringCount++;
    d->bytes += len;
    return TRUE;
}

static BOOL dict_find( const struct session_dict *d, const BYTE *bytes, ULONG len, ULONG *id )
{
    ULONG i;
    for (i = 0; i < d->dict.stringCount; i++)
    {
        if (d->dict.strings[i].length == len && !memcmp( d->dict.strings[i].bytes, bytes, len ))
        {
            *id = i;
            return TRUE;
        }
    }
    return FALSE;
}

static void session_free( struct session *session )
{
    if (!session) return;
    if (session->nmf) ws_nmf_session_free( session->nmf );
    if (session->conn) ws_conn_free( session->conn );
    WsFreeWriter( session->writer );
    WsFreeReader( session->reader );
    ws_buf_free( &session->in );
    dict_free( &session->send_dict );
    dict_free( &session->recv_dict );
    free( session->url );
    free( session );
}

static BOOL uses_session_dictionary( const struct ws_channel *channel )
{
    return channel->props.encoding == WS_ENCODING_XML_BINARY_SESSION_1;
}

/* The [MC-NMF] known encoding of the channel's envelope version and encoding. */
static HRESULT nmf_encoding( const struct ws_channel *channel, BYTE *encoding, WS_ERROR *error )
{
    BOOL soap12 = channel->props.envelope_version == WS_ENVELOPE_VERSION_SOAP_1_2;
    BOOL soap11 = channel->props.envelope_version == WS_ENVELOPE_VERSION_SOAP_1_1;

    switch (channel->props.encoding)
    {
    case WS_ENCODING_XML_UTF8:
        if (soap12) { *encoding = WS_NMF_SOAP12_UTF8; return S_OK; }
        if (soap11) { *encoding = WS_NMF_SOAP11_UTF8; return S_OK; }
        break;
    case WS_ENCODING_XML_BINARY_1:
        if (soap12) { *encoding = WS_NMF_SOAP12_BINARY; return S_OK; }
        break;
    case WS_ENCODING_XML_BINARY_SESSION_1:
        if (soap12) { *encoding = WS_NMF_SOAP12_BINARY_SESSION; return S_OK; }
        break;
    default:
        break;
    }
    return ws_error_set( error, WS_E_NOT_SUPPORTED, "encoding %d with envelope version %d is not supported on a session channel",
                         channel->props.encoding, channel->props.envelope_version );
}

/* The writer's WS_DYNAMIC_STRING_CALLBACK: every string of the message may go
 * into the session dictionary, within WS_CHANNEL_PROPERTY_MAX_SESSION_DICTIONARY_SIZE
 * ("if the quota is reached on the sending side, the channel will simply
 * transmit the string without using the session dictionary"). */
static HRESULT CALLBACK session_dynamic_string( void *state, const WS_XML_STRING *string, BOOL *found, ULONG *id,
                                                WS_ERROR *error )
{
    struct ws_channel *channel = state;
    struct session *session = get_session( channel );

    (void)error;
    *found = dict_find( &session->send_dict, string->bytes, string->length, id );
    if (*found) return S_OK;
    if (session->send_dict.bytes + string->length > channel->props.max_session_dictionary_size) return S_OK;
    if (!dict_add( &session->send_dict, string->bytes, string->length )) return S_OK;
    *id = session->send_dict.dict.stringCount - 1;
    *found = TRUE;
    return S_OK;
}

/* Points WRITER at a new buffer in the channel's encoding; a session channel
 * passes its session dictionary callback (NULL otherwise). */
static HRESULT set_writer_encoding( struct ws_channel *channel, WS_XML_WRITER *writer,
                                    WS_DYNAMIC_STRING_CALLBACK dynamic_string, void *dynamic_string_state,
                                    const WS_XML_WRITER_OUTPUT *output, const WS_XML_WRITER_PROPERTY *props,
                                    ULONG count, WS_ERROR *error )
{
    WS_XML_WRITER_TEXT_ENCODING text = {{ WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_WRITER_BINARY_ENCODING binary = {{ WS_XML_WRITER_ENCODING_TYPE_BINARY }, NULL, NULL, NULL };
    WS_XML_WRITER_ENCODING *encoding = &text.encoding;

    switch (channel->props.encoding)
    {
    case WS_ENCODING_XML_UTF8:
        break;
    case WS_ENCODING_XML_UTF16BE:
        text.charSet = WS_CHARSET_UTF16BE;
        break;
    case WS_ENCODING_XML_UTF16LE:
        text.charSet = WS_CHARSET_UTF16LE;
        break;
    case WS_ENCODING_XML_BINARY_1:
    case WS_ENCODING_XML_BINARY_SESSION_1:
        binary.staticDictionary = (WS_XML_DICTIONARY *)ws_static_dictionary();
        binary.dynamicStringCallback = dynamic_string;
        binary.dynamicStringCallbackState = dynamic_string_state;
        encoding = &binary.encoding;
        break;
    default:
        return ws_error_set( error, WS_E_NOT_SUPPORTED, "channel encoding %d is not supported here", channel->props.encoding );
    }
    return WsSetOutput( writer, encoding, output, props, count, error );
}

HRESULT ws_channel_set_writer_output( struct ws_channel *channel, WS_XML_WRITER *writer,
                                      WS_DYNAMIC_STRING_CALLBACK dynamic_string, void *dynamic_string_state,
                                      WS_ERROR *error )
{
    WS_XML_WRITER_BUFFER_OUTPUT output = {{ WS_XML_WRITER_OUTPUT_TYPE_BUFFER }};
    /* the writer's own limit (65536 by default) must not be below the message's */
    ULONG max = max( channel->props.max_buffered_message_size, 65536 );
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max, sizeof(max) };

    return set_writer_encoding( channel, writer, dynamic_string, dynamic_string_state, &output.output, &prop, 1, error );
}

HRESULT ws_channel_set_writer_stream( struct ws_channel *channel, WS_XML_WRITER *writer, WS_WRITE_CALLBACK callback,
                                      void *state, const WS_XML_WRITER_PROPERTY *props, ULONG count, WS_ERROR *error )
{
    WS_XML_WRITER_STREAM_OUTPUT output = {{ WS_XML_WRITER_OUTPUT_TYPE_STREAM }, callback, state };
    return set_writer_encoding( channel, writer, NULL, NULL, &output.output, props, count, error );
}

static HRESULT set_writer_output( struct ws_channel *channel, WS_ERROR *error )
{
    struct session *session = get_session( channel );

    session->send_dict_mark = session->send_dict.dict.stringCount;
    if (uses_session_dictionary( channel ))
        return ws_channel_set_writer_output( channel, session->writer, session_dynamic_string, channel, error );
    return ws_channel_set_writer_output( channel, session->writer, NULL, NULL, error );
}

/* [MC-NBFSE] 2.1: the string table before the message: its size in bytes,
 * then each new string as a length-prefixed UTF-8 string. */
static HRESULT append_string_table( struct session *session, struct ws_buf *out, WS_ERROR *error )
{
    const struct session_dict *d = &session->send_dict;
    ULONG i, size = 0, n;
    BYTE len[5];

    for (i = session->send_dict_mark; i < d->dict.stringCount; i++)
        size += ws_nmf_encode_size( d->dict.strings[i].length, len ) + d->dict.strings[i].length;
    n = ws_nmf_encode_size( size, len );
    if (!ws_buf_append( out, len, n )) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    for (i = session->send_dict_mark; i < d->dict.stringCount; i++)
    {
        n = ws_nmf_encode_size( d->dict.strings[i].length, len );
        if (!ws_buf_append( out, len, n ) ||
            !ws_buf_append( out, d->dict.strings[i].bytes, d->dict.strings[i].length ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    }
    return S_OK;
}

static HRESULT read_mb31( const BYTE *data, ULONG len, ULONG *value, ULONG *used )
{
    ULONG v = 0, i;

    for (i = 0; i < 5 && i < len; i++)
    {
        v |= (ULONG)(data[i] & 0x7f) << (7 * i);
        if (!(data[i] & 0x80))
        {
            if (i == 4 && data[i] > 7) return WS_E_INVALID_FORMAT;
            *value = v;
            *used = i + 1;
            return S_OK;
        }
    }
    return WS_E_INVALID_FORMAT;
}

/* Reads the string table at the start of a received envelope into the
 * receive dictionary; *OFFSET is where the message starts. */
static HRESULT read_string_table( struct ws_channel *channel, const BYTE *data, ULONG len, ULONG *offset,
                                  WS_ERROR *error )
{
    struct session *session = get_session( channel );
    ULONG size, used, pos, end, str_len, prefix;

    if (read_mb31( data, len, &size, &used ) != S_OK || size > len - used)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the session string table is malformed" );
    /* [MC-NBFSE] 2.1: "The Strings MUST fit exactly within the Size specified" */
    pos = used;
    end = used + size;
    while (pos < end)
    {
        if (read_mb31( data + pos, end - pos, &str_len, &prefix ) != S_OK || str_len > end - pos - prefix)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "a session string is malformed" );
        pos += prefix;
        if (!ws_utf8_is_valid( data + pos, str_len ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "a session string is malformed" );
        if (session->recv_dict.bytes + str_len > channel->props.max_session_dictionary_size)
        {
            session->quota_hit = TRUE;
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the session dictionary passed its quota of %lu bytes",
                                 channel->props.max_session_dictionary_size );
        }
        if (!dict_add( &session->recv_dict, data + pos, str_len ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        pos += str_len;
    }
    *offset = pos;
    return S_OK;
}

/* Points READER at DATA in the channel's encoding; a session channel passes
 * its received session dictionary (NULL otherwise). */
static HRESULT set_reader_encoding( struct ws_channel *channel, WS_XML_READER *reader, const WS_XML_READER_INPUT *input,
                                    WS_XML_DICTIONARY *dynamic_dictionary, const WS_XML_READER_PROPERTY *props,
                                    ULONG count, WS_ERROR *error )
{
    WS_XML_READER_TEXT_ENCODING text = {{ WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    WS_XML_READER_BINARY_ENCODING binary = {{ WS_XML_READER_ENCODING_TYPE_BINARY }, NULL, NULL };
    WS_XML_READER_ENCODING *encoding = &text.encoding;

    switch (channel->props.encoding)
    {
    case WS_ENCODING_XML_UTF8:
    case WS_ENCODING_XML_UTF16BE:
    case WS_ENCODING_XML_UTF16LE:
        break;
    case WS_ENCODING_XML_BINARY_1:
    case WS_ENCODING_XML_BINARY_SESSION_1:
        binary.staticDictionary = (WS_XML_DICTIONARY *)ws_static_dictionary();
        binary.dynamicDictionary = dynamic_dictionary;
        encoding = &binary.encoding;
        break;
    default:
        return ws_error_set( error, WS_E_NOT_SUPPORTED, "channel encoding %d is not supported here", channel->props.encoding );
    }
    return WsSetInput( reader, encoding, input, props, count, error );
}

HRESULT ws_channel_set_reader_input( struct ws_channel *channel, WS_XML_READER *reader, const BYTE *data, ULONG len,
                                     WS_XML_DICTIONARY *dynamic_dictionary, WS_ERROR *error )
{
    WS_XML_READER_BUFFER_INPUT input = {{ WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)data, len };
    return set_reader_encoding( channel, reader, &input.input, dynamic_dictionary, NULL, 0, error );
}

HRESULT ws_channel_set_reader_stream( struct ws_channel *channel, WS_XML_READER *reader, WS_READ_CALLBACK callback,
                                      void *state, const WS_XML_READER_PROPERTY *props, ULONG count, WS_ERROR *error )
{
    WS_XML_READER_STREAM_INPUT input = {{ WS_XML_READER_INPUT_TYPE_STREAM }, callback, state };
    return set_reader_encoding( channel, reader, &input.input, NULL, props, count, error );
}

static HRESULT set_reader_input( struct ws_channel *channel, const BYTE *data, ULONG len, WS_ERROR *error )
{
    struct session *session = get_session( channel );

    return ws_channel_set_reader_input( channel, session->reader, data, len,
                                        uses_session_dictionary( channel ) ? &session->recv_dict.dict : NULL, error );
}

static HRESULT session_create( struct ws_channel *channel, WS_ERROR *error )
{
    struct session *session;
    HRESULT hr;

    if (!(session = calloc( 1, sizeof(*session) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (FAILED(hr = WsCreateWriter( NULL, 0, &session->writer, error )) ||
        FAILED(hr = WsCreateReader( NULL, 0, &session->reader, error )) ||
        FAILED(hr = ws_transport_startup( error )) ||
        FAILED(hr = ws_conn_create( &session->conn, error )))
    {
        session_free( session );
        return hr;
    }
    ws_object_lock( channel );
    channel->session = session;
    /* An abort that came before there was a connection to abort still ends
     * the open or accept this session is made for. */
    if (channel->obj.state == WS_CHANNEL_STATE_FAULTED) ws_conn_abort( session->conn );
    ws_object_unlock( channel );
    return S_OK;
}

static void session_destroy( struct ws_channel *channel )
{
    struct session *session;

    ws_object_lock( channel );
    session = channel->session;
    channel->session = NULL;
    ws_object_unlock( channel );
    session_free( session );
}

static HRESULT copy_url( struct session *session, const WCHAR *url, ULONG len, WS_ERROR *error )
{
    if (!(session->url = malloc( (len + 1) * sizeof(WCHAR) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    memcpy( session->url, url, len * sizeof(WCHAR) );
    session->url[len] = 0;
    session->url_len = len;
    return S_OK;
}

/* The via of the preamble: the endpoint URL in UTF-8. */
static HRESULT send_preamble( struct ws_channel *channel, WS_ERROR *error )
{
    struct session *session = get_session( channel );
    struct ws_nmf_preamble preamble = { WS_NMF_MODE_DUPLEX, TRUE, 0, NULL, 0, NULL, 0 };
    BYTE *via;
    int len;
    HRESULT hr;

    if (FAILED(hr = nmf_encoding( channel, &preamble.encoding, error ))) return hr;
    if ((len = ws_utf16_to_utf8( session->url, session->url_len, NULL, 0 )) < 0)
        return ws_error_set( error, E_INVALIDARG, "the endpoint URL is not valid UTF-16" );
    if (!(via = malloc( len + 1 ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    ws_utf16_to_utf8( session->url, session->url_len, via, len );
    preamble.via = via;
    preamble.via_len = len;
    hr = ws_nmf_send_preamble( session->nmf, &preamble, channel->props.connect_timeout, error );
    free( via );
    return hr;
}

static HRESULT session_open( struct ws_channel *channel, const WS_ENDPOINT_ADDRESS *address,
                             const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct session *session;
    WS_NETTCP_URL *url;
    WS_HEAP *heap;
    WCHAR *pipe = NULL;
    HRESULT hr;

    (void)ctx;
    if (!address->url.length) return ws_error_set( error, E_INVALIDARG, "the endpoint address has no URL" );
    if (FAILED(hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error ))) return hr;
    hr = WsDecodeUrl( &address->url, 0, heap, (WS_URL **)&url, error );
    if (SUCCEEDED(hr) && url->url.scheme != (channel->binding == WS_TCP_CHANNEL_BINDING ?
                                             WS_URL_NETTCP_SCHEME_TYPE : WS_URL_NETPIPE_SCHEME_TYPE))
        hr = ws_error_set( error, WS_E_INVALID_ENDPOINT_URL, "the URL scheme does not match channel binding %d", channel->binding );
    if (SUCCEEDED(hr)) hr = session_create( channel, error );
    if (FAILED(hr)) goto done;
    session = get_session( channel );
    if (FAILED(hr = copy_url( session, address->url.chars, address->url.length, error ))) goto done;
    if (channel->binding == WS_TCP_CHANNEL_BINDING)
        hr = ws_conn_connect_tcp( session->conn, url->host.chars, url->host.length, url->port,
                                  channel->props.ip_version, channel->props.resolve_timeout,
                                  channel->props.connect_timeout, error );
    else if (!(pipe = ws_pipe_name_from_url_path( url->path.chars, url->path.length )))
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    else
        hr = ws_conn_connect_pipe( session->conn, pipe, channel->props.connect_timeout, error );
    if (SUCCEEDED(hr)) hr = ws_nmf_session_create( session->conn, channel->props.max_buffered_message_size,
                                                   &session->nmf, error );
    if (SUCCEEDED(hr)) hr = send_preamble( channel, error );

done:
    if (pipe) HeapFree( GetProcessHeap(), 0, pipe );
    WsFreeHeap( heap );
    if (FAILED(hr)) session_destroy( channel );
    return hr;
}

/* Close handshake: our End record, then the peer's (its remaining envelopes are dropped). */
static HRESULT session_close( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct session *session = get_session( channel );
    struct ws_buf drop = { 0 };
    HRESULT hr;

    (void)ctx;
    if (!session) return S_OK;
    hr = ws_nmf_send_end( session->nmf, channel->props.close_timeout, error );
    while (SUCCEEDED(hr) && !session->peer_ended)
    {
        drop.len = 0;
        hr = ws_nmf_receive_envelope( session->nmf, &drop, channel->props.close_timeout, error );
        if (hr == S_FALSE) session->peer_ended = TRUE;
    }
    ws_buf_free( &drop );
    if (SUCCEEDED(hr)) hr = ws_conn_close( session->conn, error );
    session_destroy( channel );
    return FAILED(hr) ? hr : S_OK;
}

static HRESULT session_abort( struct ws_channel *channel, WS_ERROR *error )
{
    (void)error;
    ws_object_lock( channel );
    if (channel->session && channel->session->conn) ws_conn_abort( channel->session->conn );
    ws_object_unlock( channel );
    return S_OK;
}

static HRESULT session_reset( struct ws_channel *channel, WS_ERROR *error )
{
    (void)error;
    session_destroy( channel );
    return S_OK;
}

static void session_release( struct ws_channel *channel )
{
    session_abort( channel, NULL );
    session_destroy( channel );
}

/* Marks the channel faulted after a transport failure (the session is unusable). */
static HRESULT session_failed( struct ws_channel *channel, HRESULT hr )
{
    if (hr == WS_E_OPERATION_TIMED_OUT && channel->obj.state == WS_CHANNEL_STATE_OPEN) return hr;
    ws_object_lock( channel );
    if (channel->obj.state == WS_CHANNEL_STATE_OPEN) channel->obj.state = WS_CHANNEL_STATE_FAULTED;
    ws_object_unlock( channel );
    return hr;
}

/* Addresses MESSAGE to URL unless the application already addressed it (a
 * client's messages go to the endpoint its channel was opened with). */
HRESULT ws_channel_address_message( WS_MESSAGE *message, const WCHAR *url, ULONG url_len, WS_ERROR *error )
{
    WS_ENDPOINT_ADDRESS address;
    BOOL addressed = TRUE;

    if (FAILED(WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_IS_ADDRESSED, &addressed, sizeof(addressed), NULL )) ||
        addressed)
        return S_OK;
    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)url;
    address.url.length = url_len;
    return WsAddressMessage( message, &address, error );
}

static HRESULT session_write_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                            const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct session *session = get_session( channel );
    HRESULT hr;

    (void)ctx;
    if (!channel->server && FAILED(hr = ws_channel_address_message( message, session->url, session->url_len, error )))
        return hr;
    if (FAILED(hr = set_writer_output( channel, error ))) return hr;
    return WsWriteEnvelopeStart( message, session->writer, NULL, NULL, error );
}

static HRESULT session_write_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                          const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct session *session = get_session( channel );
    struct ws_buf out = { 0 };
    WS_BYTES bytes;
    HRESULT hr;

    (void)ctx;
    if (FAILED(hr = WsWriteEnvelopeEnd( message, error ))) return hr;
    if (FAILED(hr = WsGetWriterProperty( session->writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), error )))
        return hr;
    if (uses_session_dictionary( channel ))
    {
        if (SUCCEEDED(hr = append_string_table( session, &out, error )) && !ws_buf_append( &out, bytes.bytes, bytes.length ))
            hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        if (SUCCEEDED(hr)) hr = ws_nmf_send_envelope( session->nmf, out.data, out.len, channel->props.send_timeout, error );
        ws_buf_free( &out );
    }
    else hr = ws_nmf_send_envelope( session->nmf, bytes.bytes, bytes.length, channel->props.send_timeout, error );
    return FAILED(hr) ? session_failed( channel, hr ) : S_OK;
}

/* Wine's builtin service proxy (WsCall) announces the binary session
 * encoding in its preamble and writes the [MC-NBFSE] string table, but then a
 * text envelope.  '<' (0x3C) is the NBFX PrefixAttributeW record, which
 * cannot start a document, so no binary message begins with it: such a
 * message is read as UTF-8 text instead of being refused, which lets that
 * proxy call our services.  Replies stay binary (that proxy reads them). */
static BOOL is_text_in_binary_session( const struct ws_channel *channel, const BYTE *data, ULONG len )
{
    return uses_session_dictionary( channel ) && len && data[0] == '<';
}

static HRESULT set_reader_text_input( struct session *session, const BYTE *data, ULONG len, WS_ERROR *error )
{
    WS_XML_READER_TEXT_ENCODING text = {{ WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_READER_BUFFER_INPUT input = {{ WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)data, len };

    WARN( "a text envelope in a binary session: read as text\n" );
    return WsSetInput( session->reader, &text.encoding, &input.input, NULL, 0, error );
}

static HRESULT session_read_message_start( struct ws_channel *channel, WS_MESSAGE *message,
                                           const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct session *session = get_session( channel );
    ULONG offset = 0;
    HRESULT hr;

    (void)ctx;
    if (session->peer_ended) return WS_S_END;
    session->in.len = 0;
    hr = ws_nmf_receive_envelope( session->nmf, &session->in, channel->props.receive_timeout, error );
    if (hr == S_FALSE)
    {
        session->peer_ended = TRUE;
        return WS_S_END;
    }
    if (FAILED(hr)) return session_failed( channel, hr );
    if (uses_session_dictionary( channel ) &&
        FAILED(hr = read_string_table( channel, session->in.data, session->in.len, &offset, error )))
        return session_failed( channel, hr );
    if (is_text_in_binary_session( channel, session->in.data + offset, session->in.len - offset ))
        hr = set_reader_text_input( session, session->in.data + offset, session->in.len - offset, error );
    else hr = set_reader_input( channel, session->in.data + offset, session->in.len - offset, error );
    if (FAILED(hr)) return hr;
    return WsReadEnvelopeStart( message, session->reader, NULL, NULL, error );
}

static HRESULT session_read_message_end( struct ws_channel *channel, WS_MESSAGE *message,
                                         const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    (void)channel; (void)ctx;
    return WsReadEnvelopeEnd( message, error );
}

static HRESULT session_abandon_message( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    (void)channel; (void)message; (void)error;
    /* Buffered: the whole envelope was received, nothing is left on the wire. */
    return S_OK;
}

/* WsShutdownSessionChannel: our End record; receiving continues until the peer's. */
static HRESULT session_shutdown( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    HRESULT hr;

    (void)ctx;
    hr = ws_nmf_send_end( get_session( channel )->nmf, channel->props.send_timeout, error );
    return FAILED(hr) ? session_failed( channel, hr ) : S_OK;
}

HRESULT ws_channel_transport_get_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, void *value,
                                       ULONG size, WS_ERROR *error )
{
    switch (id)
    {
    case WS_CHANNEL_PROPERTY_STATE:
        if (!value || size != sizeof(WS_CHANNEL_STATE))
            return ws_error_set( error, E_INVALIDARG, "the state property needs a WS_CHANNEL_STATE (size %lu)", size );
        *(WS_CHANNEL_STATE *)value = channel->obj.state;
        return S_OK;
    case WS_CHANNEL_PROPERTY_IS_SESSION_SHUT_DOWN:
        if (channel->props.channel_type != WS_CHANNEL_TYPE_DUPLEX_SESSION ||
            (channel->binding != WS_TCP_CHANNEL_BINDING && channel->binding != WS_NAMEDPIPE_CHANNEL_BINDING))
            return ws_error_set( error, E_INVALIDARG, "the session shut-down property needs a TCP or named pipe duplex session channel" );
        if (channel->obj.state != WS_CHANNEL_STATE_OPEN && channel->obj.state != WS_CHANNEL_STATE_FAULTED)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "the channel is not open or faulted" );
        if (!value || size != sizeof(BOOL))
            return ws_error_set( error, E_INVALIDARG, "the session shut-down property needs a BOOL (size %lu)", size );
        *(BOOL *)value = channel->session_shut_down;
        return S_OK;
    case WS_CHANNEL_PROPERTY_TRANSPORT_URL:
    {
        struct session *session = get_session( channel );
        if (!channel->server || !session || !session->url)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "the transport URL is only known on an accepted channel" );
        if (!value || size != sizeof(WS_STRING))
            return ws_error_set( error, E_INVALIDARG, "the transport URL property needs a WS_STRING (size %lu)", size );
        ((WS_STRING *)value)->chars = session->url;
        ((WS_STRING *)value)->length = session->url_len;
        return S_OK;
    }
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS:
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_INSTANCE:
    case WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS:
        return ws_error_set( error, E_INVALIDARG, "channel property %d only exists for custom channels", id );
    default:
        return S_FALSE;
    }
}

HRESULT ws_channel_transport_set_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, const void *value,
                                       ULONG size, WS_ERROR *error )
{
    (void)channel; (void)value; (void)size; (void)error; (void)id;
    return S_FALSE;
}

static const struct channel_ops session_channel_ops =
{
    session_open, session_close, session_abort, session_reset, session_release,
    session_write_message_start, session_write_message_end, session_read_message_start, session_read_message_end,
    session_abandon_message, session_shutdown, ws_channel_transport_get_property, ws_channel_transport_set_property,
};

/* Checks the via of a received preamble against the listener's path
 * (WS_MATCH_URL_EXACT_PATH, the default matching option) and keeps it as
 * the channel's transport URL. */
static HRESULT set_via( struct session *session, const struct ws_nmf_preamble *preamble, const WCHAR *path,
                        ULONG path_len, WS_ERROR *error )
{
    WS_NETTCP_URL *url;
    WS_STRING via;
    WS_HEAP *heap;
    int len;
    HRESULT hr;

    if ((len = ws_utf8_to_utf16( preamble->via, preamble->via_len, NULL, 0 )) < 0)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the via is not valid UTF-8" );
    if (!(session->url = malloc( (len + 1) * sizeof(WCHAR) ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    ws_utf8_to_utf16( preamble->via, preamble->via_len, session->url, len );
    session->url[len] = 0;
    session->url_len = len;

    via.chars = session->url;
    via.length = len;
    if (FAILED(hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, error ))) return hr;
    hr = WsDecodeUrl( &via, 0, heap, (WS_URL **)&url, error );
    if (SUCCEEDED(hr) && !(url->path.length == path_len && !wcsnicmp( url->path.chars, path, path_len )) &&
        !(path_len <= 1 && url->path.length <= 1))
        hr = ws_error_set( error, WS_E_ENDPOINT_NOT_FOUND, "the via %s does not match the listener's path %s",
                           debugstr_wn( session->url, session->url_len ), debugstr_wn( path, path_len ) );
    WsFreeHeap( heap );
    return hr;
}

/* For listener.c: accepts the next connection of LISTENER into CHANNEL (a
 * channel made by WsCreateChannelForListener), runs the receiver side of the
 * preamble, and opens the channel.  PATH is the listener URL's path: a via
 * with another path is refused with the EndpointNotFound framing fault. */
HRESULT ws_channel_accept_session( WS_CHANNEL *handle, struct ws_conn_listener *listener, const WCHAR *path,
                                   ULONG path_len, ULONG handshake_timeout, WS_ERROR *error )
{
    struct ws_channel *channel = impl_from_WS_CHANNEL( handle );
    struct ws_nmf_preamble preamble;
    struct session *session;
    BYTE encoding;
    HRESULT hr;

    if (channel->ops != &session_channel_ops || !channel->server)
        return ws_error_set( error, E_INVALIDARG, "the channel was not created for this listener" );
    if (FAILED(hr = ws_channel_change_state( channel, WS_CHANNEL_STATE_CREATED, WS_CHANNEL_STATE_ACCEPTING, "WsAcceptChannel", error )))
        return hr;
    if (FAILED(hr = nmf_encoding( channel, &encoding, error ))) goto done;
    if (FAILED(hr = session_create( channel, error ))) goto done;
    session = get_session( channel );
    if (FAILED(hr = ws_conn_listener_accept( listener, session->conn, INFINITE, error ))) goto done;
    if (FAILED(hr = ws_nmf_session_create( session->conn, channel->props.max_buffered_message_size, &session->nmf, error )))
        goto done;
    if (FAILED(hr = ws_nmf_receive_preamble( session->nmf, &preamble, handshake_timeout, error ))) goto done;
    if (preamble.mode != WS_NMF_MODE_DUPLEX)
    {
        ws_nmf_send_fault( session->nmf, "UnsupportedMode", handshake_timeout, NULL );
        hr = ws_error_set( error, WS_E_INVALID_FORMAT, "the client asked for framing mode %d, not duplex", preamble.mode );
        goto done;
    }
    if (!preamble.known_encoding || preamble.encoding != encoding)
    {
        ws_nmf_send_fault( session->nmf, "ContentTypeInvalid", handshake_timeout, NULL );
        hr = ws_error_set( error, WS_E_INVALID_FORMAT, "the client's encoding does not match the channel's" );
        goto done;
    }
    if (FAILED(hr = set_via( session, &preamble, path, path_len, error )))
    {
        ws_nmf_send_fault( session->nmf, "EndpointNotFound", handshake_timeout, NULL );
        goto done;
    }
    hr = ws_nmf_send_ack( session->nmf, handshake_timeout, error );

done:
    if (FAILED(hr)) session_destroy( channel );
    ws_channel_finish_state( channel, WS_CHANNEL_STATE_ACCEPTING, SUCCEEDED(hr) ? WS_CHANNEL_STATE_OPEN : WS_CHANNEL_STATE_CREATED );
    return hr;
}

/* ---------------------------------------------------------------------- */
/* Creation                                                                */
/* ---------------------------------------------------------------------- */

static HRESULT check_type_and_binding( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding, BOOL server, WS_ERROR *error )
{
    switch (binding)
    {
    case WS_HTTP_CHANNEL_BINDING:
        if (type != (server ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_REQUEST))
            return ws_error_set( error, E_INVALIDARG, "an HTTP %s channel must be of type %d (got %d)",
                                 server ? "service" : "client", server ? WS_CHANNEL_TYPE_REPLY : WS_CHANNEL_TYPE_REQUEST, type );
        return S_OK;
    case WS_TCP_CHANNEL_BINDING:
    case WS_NAMEDPIPE_CHANNEL_BINDING:
        if (type != WS_CHANNEL_TYPE_DUPLEX_SESSION)
            return ws_error_set( error, E_INVALIDARG, "a TCP or named pipe channel must be WS_CHANNEL_TYPE_DUPLEX_SESSION (got %d)", type );
        return S_OK;
    case WS_UDP_CHANNEL_BINDING:
        if (type != WS_CHANNEL_TYPE_DUPLEX)
            return ws_error_set( error, E_INVALIDARG, "a UDP channel must be WS_CHANNEL_TYPE_DUPLEX (got %d)", type );
        return S_OK;
    case WS_CUSTOM_CHANNEL_BINDING:
        switch (type)
        {
        case WS_CHANNEL_TYPE_INPUT: case WS_CHANNEL_TYPE_OUTPUT: case WS_CHANNEL_TYPE_DUPLEX:
        case WS_CHANNEL_TYPE_REQUEST: case WS_CHANNEL_TYPE_REPLY:
        case WS_CHANNEL_TYPE_INPUT_SESSION: case WS_CHANNEL_TYPE_OUTPUT_SESSION:
        case WS_CHANNEL_TYPE_DUPLEX_SESSION:
            return S_OK;
        default:
            return ws_error_set( error, E_INVALIDARG, "unknown channel type %d", type );
        }
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown channel binding %d", binding );
    }
}

static void channel_destroy( struct ws_channel *channel )
{
    if (channel->ops) channel->ops->free( channel );
    free( channel->custom_params );
    ws_object_free( channel );
}

/* Makes the custom channel instance: the channel callbacks' create callback
 * for WsCreateChannel, the listener's for WsCreateChannelForListener. */
static HRESULT create_custom_instance( struct ws_channel *channel, WS_CHANNEL_TYPE type,
                                       const struct ws_custom_instance_factory *factory, WS_ERROR *error )
{
    const WS_CUSTOM_CHANNEL_CALLBACKS *cb = custom_callbacks( channel );
    HRESULT hr;

    /* A listener's channels are made by its createChannelForListenerCallback. */
    if (!factory && !cb->createChannelCallback)
        return ws_error_set( error, E_INVALIDARG, "WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS with a create callback must be given for a custom channel" );
    if (FAILED(hr = check_custom_callbacks( cb, error ))) return hr;
    if (factory)
        hr = factory->create( factory->context, channel->custom_params, channel->custom_params_size,
                              &channel->custom_instance, error );
    else
        hr = cb->createChannelCallback( type, channel->custom_params, channel->custom_params_size,
                                        &channel->custom_instance, error );
    if (FAILED(hr)) channel->custom_instance = NULL;
    return hr;
}

static HRESULT create_channel( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding, const WS_CHANNEL_PROPERTY *properties,
                               ULONG count, BOOL server, const struct ws_custom_instance_factory *factory,
                               WS_CHANNEL **channel, WS_ERROR *error )
{
    struct ws_channel *obj;
    HRESULT hr;

    if (!channel) return ws_error_set( error, E_INVALIDARG, "channel is NULL" );
    if (FAILED(hr = check_type_and_binding( type, binding, server, error ))) return hr;
    if (FAILED(hr = check_creation_properties( binding, properties, count, error ))) return hr;
    if (!(obj = ws_object_alloc( WS_OBJECT_CHANNEL, sizeof(*obj) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory creating a channel" );
    obj->binding = binding;
    obj->server = server;
    ws_props_init( &channel_prop_table, &obj->props );
    obj->props.channel_type = type;
    set_binding_defaults( obj );
    obj->obj.state = WS_CHANNEL_STATE_CREATED;

    /* A transport binding's table is set first: a property may create binding
     * state (the HTTP message mapping) that freeing must release.  A custom
     * channel's primitives exist once its instance does. */
    if (binding == WS_TCP_CHANNEL_BINDING || binding == WS_NAMEDPIPE_CHANNEL_BINDING)
        obj->ops = &session_channel_ops;
    else if (binding == WS_HTTP_CHANNEL_BINDING) obj->ops = &ws_http_channel_ops;
    else if (binding == WS_UDP_CHANNEL_BINDING) obj->ops = &ws_udp_channel_ops;
    if (FAILED(hr = apply_properties( obj, properties, count, error ))) goto failed;
    if (binding == WS_CUSTOM_CHANNEL_BINDING)
    {
        if (FAILED(hr = create_custom_instance( obj, type, factory, error ))) goto failed;
        obj->ops = &custom_channel_ops;
    }

    *channel = (WS_CHANNEL *)obj;
    TRACE( "created %p\n", obj );
    return S_OK;

failed:
    channel_destroy( obj );
    return hr;
}

HRESULT WINAPI WsCreateChannel( WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding, const WS_CHANNEL_PROPERTY *properties, ULONG propertyCount, const WS_SECURITY_DESCRIPTION *securityDescription, WS_CHANNEL **channel, WS_ERROR *error )
{
    TRACE( "%d %d %p %lu %p %p %p\n", channelType, channelBinding, properties, propertyCount, securityDescription, channel, error );

    if (securityDescription)
    {
        FIXME( "security descriptions are not supported\n" );
        return ws_error_set( error, E_NOTIMPL, "channel security descriptions are not implemented" );
    }
    return create_channel( channelType, channelBinding, properties, propertyCount, FALSE, NULL, channel, error );
}

HRESULT ws_channel_create_for_listener( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding,
                                        const WS_CHANNEL_PROPERTY *properties, ULONG count,
                                        const struct ws_custom_instance_factory *factory, WS_CHANNEL **channel,
                                        WS_ERROR *error )
{
    return create_channel( type, binding, properties, count, TRUE, factory, channel, error );
}

void *ws_channel_custom_instance( WS_CHANNEL *channel )
{
    return impl_from_WS_CHANNEL( channel )->custom_instance;
}

void WINAPI WsFreeChannel( WS_CHANNEL *channel )
{
    TRACE( "%p\n", channel );
    if (!ws_object_is( channel, WS_OBJECT_CHANNEL )) return;
    channel_destroy( impl_from_WS_CHANNEL( channel ) );
}

HRESULT WINAPI WsGetChannelProperty( WS_CHANNEL *channel, WS_CHANNEL_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    HRESULT hr;

    TRACE( "%p %d %p %lu %p\n", channel, id, value, valueSize, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if ((hr = obj->ops->get_property( obj, id, value, valueSize, error )) != S_FALSE) return hr;
    if (id == WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS && obj->binding != WS_CUSTOM_CHANNEL_BINDING)
        return ws_error_set( error, E_INVALIDARG, "channel property %d only exists for custom channels", id );
    return ws_props_get( &channel_prop_table, &obj->props, id, value, valueSize, error );
}

HRESULT WINAPI WsSetChannelProperty( WS_CHANNEL *channel, WS_CHANNEL_PROPERTY_ID id, const void *value, ULONG valueSize, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    HRESULT hr;

    TRACE( "%p %d %p %lu %p\n", channel, id, value, valueSize, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if ((hr = obj->ops->set_property( obj, id, value, valueSize, error )) != S_FALSE) return hr;
    if (!(property_bindings( id ) & B(obj->binding)))
        return ws_error_set( error, E_INVALIDARG, "channel property %d cannot be set for channel binding %d", id, obj->binding );
    ws_object_lock( obj );
    hr = ws_props_set( &channel_prop_table, &obj->props, id, value, valueSize, error );
    ws_object_unlock( obj );
    return hr;
}

/* ---------------------------------------------------------------------- */
/* Lifecycle                                                               */
/* ---------------------------------------------------------------------- */

static BOOL is_custom( const struct ws_channel *channel )
{
    return channel->binding == WS_CUSTOM_CHANNEL_BINDING;
}

/* Runs an operation as the asynchronous model says: synchronously without an
 * asynchronous context, otherwise on the thread pool with one callback. */
static HRESULT run_async( WS_CHANNEL *channel, ws_async_func run, const void *args, size_t size,
                          const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return ws_async_run( run, args, size, impl_from_WS_CHANNEL( channel )->props.async_callback_model, ctx, error );
}

/* Moves the channel FROM -> TO under the lock; WS_E_INVALID_OPERATION otherwise. */
HRESULT ws_channel_change_state( struct ws_channel *channel, WS_CHANNEL_STATE from, WS_CHANNEL_STATE to,
                                 const char *what, WS_ERROR *error )
{
    HRESULT hr = S_OK;

    ws_object_lock( channel );
    if (channel->obj.state == from) channel->obj.state = to;
    else hr = WS_E_INVALID_OPERATION;
    ws_object_unlock( channel );
    if (FAILED(hr))
        return ws_error_set( error, hr, "%s: the channel is in state %lu, not %d", what, channel->obj.state, from );
    return S_OK;
}

/* Sets the state unless an abort made the channel faulted meanwhile. */
void ws_channel_finish_state( struct ws_channel *channel, WS_CHANNEL_STATE expected, WS_CHANNEL_STATE to )
{
    ws_object_lock( channel );
    if (channel->obj.state == expected) channel->obj.state = to;
    ws_object_unlock( channel );
}

struct open_args
{
    struct ws_channel *channel;
    const WS_ENDPOINT_ADDRESS *address;
};

static HRESULT open_run( void *arg, WS_ERROR *error )
{
    struct open_args *a = arg;
    HRESULT hr = a->channel->ops->open( a->channel, a->address, NULL, error );
    ws_channel_finish_state( a->channel, WS_CHANNEL_STATE_OPENING, SUCCEEDED(hr) ? WS_CHANNEL_STATE_OPEN : WS_CHANNEL_STATE_FAULTED );
    return hr;
}

HRESULT WINAPI WsOpenChannel( WS_CHANNEL *channel, const WS_ENDPOINT_ADDRESS *endpointAddress, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    struct open_args args = { obj, endpointAddress };
    HRESULT hr;

    TRACE( "%p %p %p %p\n", channel, endpointAddress, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if (is_custom( obj )) return obj->ops->open( obj, endpointAddress, asyncContext, error );
    if (!endpointAddress) return ws_error_set( error, E_INVALIDARG, "endpointAddress is NULL" );
    if (obj->server) return ws_error_set( error, WS_E_INVALID_OPERATION, "a listener's channel is opened by WsAcceptChannel" );
    if (FAILED(hr = ws_channel_change_state( obj, WS_CHANNEL_STATE_CREATED, WS_CHANNEL_STATE_OPENING, "WsOpenChannel", error )))
        return hr;
    return run_async( channel, open_run, &args, sizeof(args), asyncContext, error );
}

struct close_args
{
    struct ws_channel *channel;
    WS_CHANNEL_STATE from;
};

static HRESULT close_run( void *arg, WS_ERROR *error )
{
    struct close_args *a = arg;
    /* A faulted channel is closed without the close handshake: its
     * connection is dropped, which the peer sees at once. */
    HRESULT hr = a->from == WS_CHANNEL_STATE_OPEN ? a->channel->ops->close( a->channel, NULL, error ) : S_OK;

    if (FAILED(hr) || a->from != WS_CHANNEL_STATE_OPEN)
    {
        a->channel->ops->abort( a->channel, NULL );
        a->channel->ops->reset( a->channel, NULL );
    }
    ws_channel_finish_state( a->channel, WS_CHANNEL_STATE_CLOSING, WS_CHANNEL_STATE_CLOSED );
    return hr;
}

HRESULT WINAPI WsCloseChannel( WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    struct close_args args = { obj, 0 };

    TRACE( "%p %p %p\n", channel, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if (is_custom( obj )) return obj->ops->close( obj, asyncContext, error );

    ws_object_lock( obj );
    args.from = obj->obj.state;
    if (args.from == WS_CHANNEL_STATE_OPEN || args.from == WS_CHANNEL_STATE_FAULTED) obj->obj.state = WS_CHANNEL_STATE_CLOSING;
    ws_object_unlock( obj );
    if (args.from == WS_CHANNEL_STATE_CLOSED) return S_OK;
    if (args.from != WS_CHANNEL_STATE_OPEN && args.from != WS_CHANNEL_STATE_FAULTED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsCloseChannel: the channel is in state %d", args.from );
    return run_async( channel, close_run, &args, sizeof(args), asyncContext, error );
}

HRESULT WINAPI WsAbortChannel( WS_CHANNEL *channel, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    WS_CHANNEL_STATE state;

    TRACE( "%p %p\n", channel, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if (is_custom( obj )) return obj->ops->abort( obj, error );

    ws_object_lock( obj );
    state = obj->obj.state;
    if (state != WS_CHANNEL_STATE_CREATED && state != WS_CHANNEL_STATE_CLOSED) obj->obj.state = WS_CHANNEL_STATE_FAULTED;
    ws_object_unlock( obj );
    /* Abort cancels pending I/O: the transport wakes blocked operations. */
    return obj->ops->abort( obj, error );
}

HRESULT WINAPI WsResetChannel( WS_CHANNEL *channel, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    WS_CHANNEL_STATE state;
    HRESULT hr;

    TRACE( "%p %p\n", channel, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if (is_custom( obj )) return obj->ops->reset( obj, error );

    ws_object_lock( obj );
    state = obj->obj.state;
    ws_object_unlock( obj );
    if (state != WS_CHANNEL_STATE_CREATED && state != WS_CHANNEL_STATE_CLOSED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsResetChannel: the channel is in state %d", state );
    if (FAILED(hr = obj->ops->reset( obj, error ))) return hr;
    obj->session_shut_down = FALSE;
    ws_channel_finish_state( obj, state, WS_CHANNEL_STATE_CREATED );
    return S_OK;
}

HRESULT WINAPI WsShutdownSessionChannel( WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    HRESULT hr;

    TRACE( "%p %p %p\n", channel, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    if (is_custom( obj )) return obj->ops->shutdown_session( obj, asyncContext, error );
    if (obj->props.channel_type != WS_CHANNEL_TYPE_DUPLEX_SESSION)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsShutdownSessionChannel needs a session channel" );
    if (obj->obj.state != WS_CHANNEL_STATE_OPEN)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsShutdownSessionChannel: the channel is not open" );
    if (obj->session_shut_down)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the session was already shut down" );
    if (SUCCEEDED(hr = obj->ops->shutdown_session( obj, NULL, error ))) obj->session_shut_down = TRUE;
    return hr;
}

/* ---------------------------------------------------------------------- */
/* Message primitives                                                      */
/* ---------------------------------------------------------------------- */

static HRESULT check_open( struct ws_channel *channel, const char *what, WS_ERROR *error )
{
    WS_CHANNEL_STATE state = channel->obj.state;

    if (is_custom( channel ) || state == WS_CHANNEL_STATE_OPEN) return S_OK;
    if (state == WS_CHANNEL_STATE_FAULTED)
        return ws_error_set( error, WS_E_OBJECT_FAULTED, "%s: the channel is faulted", what );
    return ws_error_set( error, WS_E_INVALID_OPERATION, "%s: the channel is not open (state %d)", what, state );
}

enum message_io { WRITE_START, WRITE_END, READ_START, READ_END };

struct message_io_args
{
    struct ws_channel *channel;
    WS_MESSAGE *message;
    enum message_io op;
};

static HRESULT message_io_run( void *arg, WS_ERROR *error )
{
    struct message_io_args *a = arg;
    const struct channel_ops *ops = a->channel->ops;

    switch (a->op)
    {
    case WRITE_START: return ops->write_message_start( a->channel, a->message, NULL, error );
    case WRITE_END:   return ops->write_message_end( a->channel, a->message, NULL, error );
    case READ_START:  return ops->read_message_start( a->channel, a->message, NULL, error );
    default:          return ops->read_message_end( a->channel, a->message, NULL, error );
    }
}

/* The message primitives; a custom channel gets the asynchronous context itself. */
static HRESULT message_io( WS_CHANNEL *channel, WS_MESSAGE *message, enum message_io op, const WS_ASYNC_CONTEXT *ctx,
                           WS_ERROR *error )
{
    static const char * const names[] = { "WsWriteMessageStart", "WsWriteMessageEnd", "WsReadMessageStart", "WsReadMessageEnd" };
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    struct message_io_args args = { obj, message, op };
    HRESULT hr;

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (FAILED(hr = check_open( obj, names[op], error ))) return hr;
    if (is_custom( obj ))
    {
        switch (op)
        {
        case WRITE_START: return obj->ops->write_message_start( obj, message, ctx, error );
        case WRITE_END:   return obj->ops->write_message_end( obj, message, ctx, error );
        case READ_START:  return obj->ops->read_message_start( obj, message, ctx, error );
        default:          return obj->ops->read_message_end( obj, message, ctx, error );
        }
    }
    return run_async( channel, message_io_run, &args, sizeof(args), ctx, error );
}

HRESULT ws_channel_write_message_start( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx,
                                        WS_ERROR *error )
{
    return message_io( channel, message, WRITE_START, ctx, error );
}

HRESULT ws_channel_write_message_end( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx,
                                      WS_ERROR *error )
{
    return message_io( channel, message, WRITE_END, ctx, error );
}

HRESULT ws_channel_read_message_start( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx,
                                       WS_ERROR *error )
{
    return message_io( channel, message, READ_START, ctx, error );
}

HRESULT ws_channel_read_message_end( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx,
                                     WS_ERROR *error )
{
    return message_io( channel, message, READ_END, ctx, error );
}

HRESULT WINAPI WsAbandonMessage( WS_CHANNEL *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    struct ws_channel *obj = impl_from_WS_CHANNEL( channel );
    HRESULT hr;

    TRACE( "%p %p %p\n", channel, message, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (FAILED(hr = check_open( obj, "WsAbandonMessage", error ))) return hr;
    return obj->ops->abandon_message( obj, message, error );
}

/* ---------------------------------------------------------------------- */
/* Compositions                                                            */
/* ---------------------------------------------------------------------- */

/* The Fault element of ENV's namespace, read or written as WS_FAULT_TYPE. */
static const WS_ELEMENT_DESCRIPTION *fault_element( WS_ENVELOPE_VERSION env )
{
    static const WS_XML_STRING fault_local = { 5, (BYTE *)"Fault", NULL, 0 };
    static const WS_XML_STRING ns11 = { 41, (BYTE *)"http://schemas.xmlsoap.org/soap/envelope/", NULL, 0 };
    static const WS_XML_STRING ns12 = { 39, (BYTE *)"http://www.w3.org/2003/05/soap-envelope", NULL, 0 };
    static const WS_FAULT_DESCRIPTION desc11 = { WS_ENVELOPE_VERSION_SOAP_1_1 };
    static const WS_FAULT_DESCRIPTION desc12 = { WS_ENVELOPE_VERSION_SOAP_1_2 };
    static const WS_ELEMENT_DESCRIPTION elem11 = { (WS_XML_STRING *)&fault_local, (WS_XML_STRING *)&ns11, WS_FAULT_TYPE, (void *)&desc11 };
    static const WS_ELEMENT_DESCRIPTION elem12 = { (WS_XML_STRING *)&fault_local, (WS_XML_STRING *)&ns12, WS_FAULT_TYPE, (void *)&desc12 };

    return env == WS_ENVELOPE_VERSION_SOAP_1_1 ? &elem11 : &elem12;
}

/* A received fault message: its body becomes WS_E_ENDPOINT_FAULT_RECEIVED with
 * the fault in ERROR (WsReceiveMessage, WsRequestReply). */
HRESULT ws_channel_read_fault( WS_MESSAGE *message, WS_HEAP *heap, WS_ERROR *error )
{
    const WS_XML_STRING *action = NULL;
    WS_ENVELOPE_VERSION env;
    WS_ADDRESSING_VERSION addr;
    WS_FAULT fault;
    HRESULT hr;

    ws_message_get_versions( message, &env, &addr );
    if (!heap && FAILED(hr = WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_HEAP, &heap, sizeof(heap), error )))
        return hr;
    if (FAILED(hr = WsReadBody( message, fault_element( env ), WS_READ_REQUIRED_VALUE, heap, &fault, sizeof(fault), error )))
        return hr;
    ws_message_get_action( message, &action, NULL );
    return ws_fault_received( error, &fault, action, NULL );
}

/* The default fault actions of WS-Addressing 1.0 and 2004/08. */
static const WS_XML_STRING *default_fault_action( WS_ADDRESSING_VERSION addr )
{
    static const WS_XML_STRING action10 = { 47, (BYTE *)"http://www.w3.org/2005/08/addressing/soap/fault", NULL, 0 };
    static const WS_XML_STRING action09 = { 54, (BYTE *)"http://schemas.xmlsoap.org/ws/2004/08/addressing/fault", NULL, 0 };

    switch (addr)
    {
    case WS_ADDRESSING_VERSION_1_0: return &action10;
    case WS_ADDRESSING_VERSION_0_9: return &action09;
    default:                        return NULL;
    }
}

/* WsSendFaultMessageForError: REPLY becomes the fault reply to REQUEST, with
 * the fault built from FAULT_ERROR in *FAULT (on the reply's heap). */
static HRESULT init_fault_reply( WS_MESSAGE *reply, WS_MESSAGE *request, WS_ERROR *fault_error, HRESULT code,
                                 WS_FAULT_DISCLOSURE disclosure, WS_FAULT *fault, WS_ERROR *error )
{
    const WS_XML_STRING *action;
    WS_XML_BUFFER *header = NULL;
    WS_ENVELOPE_VERSION env;
    WS_ADDRESSING_VERSION addr;
    WS_XML_STRING fault_action;
    WS_HEAP *heap;
    HRESULT hr;

    if (FAILED(hr = WsInitializeMessage( reply, WS_FAULT_MESSAGE, request, error ))) return hr;
    if (FAILED(hr = WsGetMessageProperty( reply, WS_MESSAGE_PROPERTY_HEAP, &heap, sizeof(heap), error ))) return hr;
    if (FAILED(hr = ws_fault_for_error( fault_error, code, disclosure, heap, fault, &fault_action, &header, error )))
        return hr;
    if (header) FIXME( "the fault header of the error is not sent\n" );
    ws_message_get_versions( reply, &env, &addr );
    action = fault_action.length ? &fault_action : default_fault_action( addr );
    if (action && FAILED(hr = WsSetHeader( reply, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE,
                                           action, sizeof(*action), error ))) return hr;
    return S_OK;
}

/* Writes a whole message: MESSAGE is initialized (or blank), its action set
 * from DESC, then start, body and end go through the binding. */
static HRESULT send_message( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_MESSAGE_DESCRIPTION *desc,
                             WS_WRITE_OPTION option, const void *value, ULONG size, WS_ERROR *error )
{
    HRESULT hr;

    if (desc && desc->action &&
        FAILED(hr = WsSetHeader( message, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE,
                                 desc->action, sizeof(*desc->action), error ))) return hr;
    if (FAILED(hr = ws_channel_write_message_start( channel, message, NULL, error ))) return hr;
    if (desc && desc->bodyElementDescription &&
        FAILED(hr = WsWriteBody( message, desc->bodyElementDescription, option, value, size, error ))) return hr;
    return ws_channel_write_message_end( channel, message, NULL, error );
}

static HRESULT get_message_state( WS_MESSAGE *message, WS_MESSAGE_STATE *state, WS_ERROR *error )
{
    return WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_STATE, state, sizeof(*state), error );
}

static BOOL xml_string_equal( const WS_XML_STRING *a, const WS_XML_STRING *b )
{
    return a->length == b->length && !memcmp( a->bytes, b->bytes, a->length );
}

static BOOL is_fault_message( WS_MESSAGE *message )
{
    BOOL fault = FALSE;
    return SUCCEEDED(WsGetMessageProperty( message, WS_MESSAGE_PROPERTY_IS_FAULT, &fault, sizeof(fault), NULL )) && fault;
}

/* A received fault: read it and turn it into WS_E_ENDPOINT_FAULT_RECEIVED
 * with the fault in ERROR (WsReceiveMessage, WsRequestReply). */
static HRESULT receive_fault( WS_CHANNEL *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    HRESULT hr = ws_channel_read_fault( message, NULL, error );
    ws_channel_read_message_end( channel, message, NULL, NULL );
    return hr;
}

static HRESULT receive_message( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_MESSAGE_DESCRIPTION **descs,
                                ULONG count, WS_RECEIVE_OPTION receive_option, WS_READ_OPTION read_option,
                                WS_HEAP *heap, void *value, ULONG size, ULONG *index, WS_ERROR *error )
{
    const WS_XML_STRING *action;
    HRESULT hr;
    ULONG i;

    hr = ws_channel_read_message_start( channel, message, NULL, error );
    if (hr == WS_S_END)
    {
        if (receive_option == WS_RECEIVE_OPTIONAL_MESSAGE) return WS_S_END;
        return ws_error_set( error, WS_E_INVALID_FORMAT, "a message was required but the channel has no more messages" );
    }
    if (FAILED(hr)) return hr;
    if (is_fault_message( message )) return receive_fault( channel, message, error );
    if (FAILED(hr = ws_message_get_action( message, &action, error ))) return hr;

    for (i = 0; i < count; i++)
    {
        if (!descs[i]) return ws_error_set( error, E_INVALIDARG, "messageDescriptions[%lu] is NULL", i );
        if (!descs[i]->action) break;
        if (action && xml_string_equal( descs[i]->action, action )) break;
    }
    if (i == count)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the received action %s matches none of the %lu message descriptions",
                             action ? debugstr_xmlstr( action ) : "(none)", count );
    if (descs[i]->bodyElementDescription &&
        FAILED(hr = WsReadBody( message, descs[i]->bodyElementDescription, read_option, heap, value, size, error )))
        return hr;
    if (FAILED(hr = ws_channel_read_message_end( channel, message, NULL, error ))) return hr;
    if (index) *index = i;
    return S_OK;
}

struct send_args
{
    WS_CHANNEL *channel;
    WS_MESSAGE *message;
    const WS_MESSAGE_DESCRIPTION *desc;
    WS_WRITE_OPTION option;
    const void *value;
    ULONG size;
};

static HRESULT send_run( void *arg, WS_ERROR *error )
{
    struct send_args *a = arg;
    return send_message( a->channel, a->message, a->desc, a->option, a->value, a->size, error );
}

struct receive_args
{
    WS_CHANNEL *channel;
    WS_MESSAGE *message;
    const WS_MESSAGE_DESCRIPTION **descs;
    ULONG count;
    WS_RECEIVE_OPTION receive_option;
    WS_READ_OPTION read_option;
    WS_HEAP *heap;
    void *value;
    ULONG size;
    ULONG *index;
};

static HRESULT receive_run( void *arg, WS_ERROR *error )
{
    struct receive_args *a = arg;
    return receive_message( a->channel, a->message, a->descs, a->count, a->receive_option, a->read_option,
                            a->heap, a->value, a->size, a->index, error );
}

struct request_reply_args
{
    WS_CHANNEL *channel;
    WS_MESSAGE *request;
    const WS_MESSAGE_DESCRIPTION *request_desc;
    WS_WRITE_OPTION write_option;
    const void *request_value;
    ULONG request_size;
    WS_MESSAGE *reply;
    const WS_MESSAGE_DESCRIPTION *reply_desc;
    WS_READ_OPTION read_option;
    WS_HEAP *heap;
    void *value;
    ULONG size;
};

static HRESULT request_reply_run( void *arg, WS_ERROR *error )
{
    struct request_reply_args *a = arg;
    const WS_MESSAGE_DESCRIPTION *descs[1] = { a->reply_desc };
    HRESULT hr;

    if (FAILED(hr = send_message( a->channel, a->request, a->request_desc, a->write_option, a->request_value,
                                  a->request_size, error ))) return hr;
    /* A NULL reply action accepts any action (the reply's is then ignored). */
    return receive_message( a->channel, a->reply, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, a->read_option,
                            a->heap, a->value, a->size, NULL, error );
}

struct send_fault_args
{
    WS_CHANNEL *channel;
    WS_MESSAGE *reply;
    WS_FAULT fault;
};

static HRESULT send_fault_run( void *arg, WS_ERROR *error )
{
    struct send_fault_args *a = arg;
    WS_ENVELOPE_VERSION env;
    WS_ADDRESSING_VERSION addr;
    HRESULT hr;

    ws_message_get_versions( a->reply, &env, &addr );
    if (FAILED(hr = ws_channel_write_message_start( a->channel, a->reply, NULL, error ))) return hr;
    if (FAILED(hr = WsWriteBody( a->reply, fault_element( env ), WS_WRITE_REQUIRED_VALUE, &a->fault,
                                 sizeof(a->fault), error ))) return hr;
    return ws_channel_write_message_end( a->channel, a->reply, NULL, error );
}

HRESULT WINAPI WsSendMessage( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_MESSAGE_DESCRIPTION *messageDescription, WS_WRITE_OPTION writeOption, const void *bodyValue, ULONG bodyValueSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    WS_MESSAGE_STATE state;
    HRESULT hr;

    TRACE( "%p %p %p %d %p %lu %p %p\n", channel, message, messageDescription, writeOption, bodyValue, bodyValueSize, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!messageDescription) return ws_error_set( error, E_INVALIDARG, "messageDescription is NULL" );
    if (FAILED(hr = check_open( impl_from_WS_CHANNEL( channel ), "WsSendMessage", error ))) return hr;
    if (FAILED(hr = get_message_state( message, &state, error ))) return hr;
    if (state == WS_MESSAGE_STATE_EMPTY &&
        FAILED(hr = WsInitializeMessage( message, WS_BLANK_MESSAGE, NULL, error ))) return hr;
    else if (state != WS_MESSAGE_STATE_EMPTY && state != WS_MESSAGE_STATE_INITIALIZED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsSendMessage: the message must be empty or initialized (state %d)", state );
    {
        struct send_args args = { channel, message, messageDescription, writeOption, bodyValue, bodyValueSize };
        return run_async( channel, send_run, &args, sizeof(args), asyncContext, error );
    }
}

HRESULT WINAPI WsReceiveMessage( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_MESSAGE_DESCRIPTION **messageDescriptions, ULONG messageDescriptionCount, WS_RECEIVE_OPTION receiveOption, WS_READ_OPTION readBodyOption, WS_HEAP *heap, void *value, ULONG valueSize, ULONG *index, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    WS_MESSAGE_STATE state;
    HRESULT hr;

    TRACE( "%p %p %p %lu %d %d %p %p %lu %p %p %p\n", channel, message, messageDescriptions, messageDescriptionCount, receiveOption, readBodyOption, heap, value, valueSize, index, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!messageDescriptions || !messageDescriptionCount)
        return ws_error_set( error, E_INVALIDARG, "no message descriptions given" );
    if (receiveOption != WS_RECEIVE_REQUIRED_MESSAGE && receiveOption != WS_RECEIVE_OPTIONAL_MESSAGE)
        return ws_error_set( error, E_INVALIDARG, "unknown receive option %d", receiveOption );
    if (FAILED(hr = check_open( impl_from_WS_CHANNEL( channel ), "WsReceiveMessage", error ))) return hr;
    if (FAILED(hr = get_message_state( message, &state, error ))) return hr;
    if (state != WS_MESSAGE_STATE_EMPTY)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsReceiveMessage: the message must be empty (state %d)", state );
    {
        struct receive_args args = { channel, message, messageDescriptions, messageDescriptionCount, receiveOption,
                                     readBodyOption, heap, value, valueSize, index };
        return run_async( channel, receive_run, &args, sizeof(args), asyncContext, error );
    }
}

HRESULT WINAPI WsRequestReply( WS_CHANNEL *channel, WS_MESSAGE *requestMessage, const WS_MESSAGE_DESCRIPTION *requestMessageDescription, WS_WRITE_OPTION writeOption, const void *requestBodyValue, ULONG requestBodyValueSize, WS_MESSAGE *replyMessage, const WS_MESSAGE_DESCRIPTION *replyMessageDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    WS_MESSAGE_STATE state;
    HRESULT hr;

    TRACE( "%p %p %p %d %p %lu %p %p %d %p %p %lu %p %p\n", channel, requestMessage, requestMessageDescription, writeOption, requestBodyValue, requestBodyValueSize, replyMessage, replyMessageDescription, readOption, heap, value, valueSize, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( requestMessage, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( replyMessage, WS_OBJECT_MESSAGE, error );
    if (!requestMessageDescription) return ws_error_set( error, E_INVALIDARG, "requestMessageDescription is NULL" );
    if (!replyMessageDescription) return ws_error_set( error, E_INVALIDARG, "replyMessageDescription is NULL" );
    if (FAILED(hr = check_open( impl_from_WS_CHANNEL( channel ), "WsRequestReply", error ))) return hr;
    if (FAILED(hr = get_message_state( replyMessage, &state, error ))) return hr;
    if (state != WS_MESSAGE_STATE_EMPTY)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsRequestReply: the reply message must be empty (state %d)", state );
    if (FAILED(hr = get_message_state( requestMessage, &state, error ))) return hr;
    if (state == WS_MESSAGE_STATE_EMPTY &&
        FAILED(hr = WsInitializeMessage( requestMessage, WS_REQUEST_MESSAGE, NULL, error ))) return hr;
    else if (state != WS_MESSAGE_STATE_EMPTY && state != WS_MESSAGE_STATE_INITIALIZED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsRequestReply: the request message must be empty or initialized (state %d)", state );

    {
        struct request_reply_args args = { channel, requestMessage, requestMessageDescription, writeOption,
                                           requestBodyValue, requestBodyValueSize, replyMessage,
                                           replyMessageDescription, readOption, heap, value, valueSize };
        return run_async( channel, request_reply_run, &args, sizeof(args), asyncContext, error );
    }
}

HRESULT WINAPI WsSendReplyMessage( WS_CHANNEL *channel, WS_MESSAGE *replyMessage, const WS_MESSAGE_DESCRIPTION *replyMessageDescription, WS_WRITE_OPTION writeOption, const void *replyBodyValue, ULONG replyBodyValueSize, WS_MESSAGE *requestMessage, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    WS_MESSAGE_STATE state;
    HRESULT hr;

    TRACE( "%p %p %p %d %p %lu %p %p %p\n", channel, replyMessage, replyMessageDescription, writeOption, replyBodyValue, replyBodyValueSize, requestMessage, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( replyMessage, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( requestMessage, WS_OBJECT_MESSAGE, error );
    if (!replyMessageDescription) return ws_error_set( error, E_INVALIDARG, "replyMessageDescription is NULL" );
    if (FAILED(hr = check_open( impl_from_WS_CHANNEL( channel ), "WsSendReplyMessage", error ))) return hr;
    if (FAILED(hr = get_message_state( replyMessage, &state, error ))) return hr;
    if (state == WS_MESSAGE_STATE_EMPTY &&
        FAILED(hr = WsInitializeMessage( replyMessage, WS_REPLY_MESSAGE, requestMessage, error ))) return hr;
    else if (state != WS_MESSAGE_STATE_EMPTY && state != WS_MESSAGE_STATE_INITIALIZED)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsSendReplyMessage: the reply must be empty or initialized (state %d)", state );
    {
        struct send_args args = { channel, replyMessage, replyMessageDescription, writeOption, replyBodyValue,
                                  replyBodyValueSize };
        return run_async( channel, send_run, &args, sizeof(args), asyncContext, error );
    }
}

HRESULT WINAPI WsSendFaultMessageForError( WS_CHANNEL *channel, WS_MESSAGE *replyMessage, WS_ERROR *faultError, HRESULT faultErrorCode, WS_FAULT_DISCLOSURE faultDisclosure, WS_MESSAGE *requestMessage, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    WS_MESSAGE_STATE state;
    HRESULT hr;

    TRACE( "%p %p %p %#lx %d %p %p %p\n", channel, replyMessage, faultError, faultErrorCode, faultDisclosure, requestMessage, asyncContext, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    WS_CHECK_HANDLE( replyMessage, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( requestMessage, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( faultError, WS_OBJECT_ERROR, error );
    if (FAILED(hr = check_open( impl_from_WS_CHANNEL( channel ), "WsSendFaultMessageForError", error ))) return hr;
    if (FAILED(hr = get_message_state( replyMessage, &state, error ))) return hr;
    if (state != WS_MESSAGE_STATE_EMPTY)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsSendFaultMessageForError: the reply must be empty (state %d)", state );
    {
        struct send_fault_args args;
        memset( &args, 0, sizeof(args) );
        args.channel = channel;
        args.reply = replyMessage;
        if (FAILED(hr = init_fault_reply( replyMessage, requestMessage, faultError, faultErrorCode, faultDisclosure,
                                          &args.fault, error ))) return hr;
        return run_async( channel, send_fault_run, &args, sizeof(args), asyncContext, error );
    }
}

/* ---------------------------------------------------------------------- */
/* Message functions that take a channel                                   */
/* ---------------------------------------------------------------------- */

HRESULT WINAPI WsCreateMessageForChannel( WS_CHANNEL *channel, const WS_MESSAGE_PROPERTY *properties, ULONG propertyCount, WS_MESSAGE **message, WS_ERROR *error )
{
    WS_ENVELOPE_VERSION env;
    WS_ADDRESSING_VERSION addr;
    HRESULT hr;

    TRACE( "%p %p %lu %p %p\n", channel, properties, propertyCount, message, error );

    WS_CHECK_HANDLE( channel, WS_OBJECT_CHANNEL, error );
    /* A custom channel answers these two itself (WS_GET_CHANNEL_PROPERTY_CALLBACK). */
    if (FAILED(hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &env, sizeof(env), error )) ||
        FAILED(hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, &addr, sizeof(addr), error )))
        return hr;
    return ws_message_create( env, addr, properties, propertyCount, message, error );
}

HRESULT WINAPI WsWriteMessageStart( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    TRACE( "%p %p %p %p\n", channel, message, asyncContext, error );
    return ws_channel_write_message_start( channel, message, asyncContext, error );
}

HRESULT WINAPI WsWriteMessageEnd( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    TRACE( "%p %p %p %p\n", channel, message, asyncContext, error );
    return ws_channel_write_message_end( channel, message, asyncContext, error );
}

HRESULT WINAPI WsReadMessageStart( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    TRACE( "%p %p %p %p\n", channel, message, asyncContext, error );
    return ws_channel_read_message_start( channel, message, asyncContext, error );
}

HRESULT WINAPI WsReadMessageEnd( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    TRACE( "%p %p %p %p\n", channel, message, asyncContext, error );
    return ws_channel_read_message_end( channel, message, asyncContext, error );
}
