/*
 * Tests for WS_CHANNEL: creation, properties (WS_CHANNEL_PROPERTY_ID with
 * the documented per-binding defaults), the state machine, custom channels
 * (WS_CUSTOM_CHANNEL_CALLBACKS), and the message-level compositions
 * WsSendMessage / WsReceiveMessage / WsRequestReply / WsSendReplyMessage
 * run over an in-process custom channel.
 *
 * Expected values come from Microsoft's documentation of
 * WS_CHANNEL_PROPERTY_ID, WsCreateChannel, WS_CHANNEL_STATE, WsResetChannel,
 * WS_CUSTOM_CHANNEL_CALLBACKS, WsSendMessage and WsReceiveMessage.
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* The custom channel callbacks below ignore most of their arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static ULONG get_ulong_prop( WS_CHANNEL *channel, WS_CHANNEL_PROPERTY_ID id )
{
    ULONG value = 0xdeadbeef;
    HRESULT hr = WsGetChannelProperty( channel, id, &value, sizeof(value), NULL );
    ok( hr == S_OK, "property %d: got %#lx\n", id, hr );
    return value;
}

static void test_create(void)
{
    WS_CHANNEL_PROPERTY prop;
    WS_CHANNEL *channel;
    ULONG value;
    BOOL no_delay = TRUE;
    WS_ERROR *error;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    channel = NULL;
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( channel != NULL, "channel not set\n" );
    WsFreeChannel( channel );

    if (winetest_platform_is_wine)
    {
        /* Wine 8's builtin has no net.tcp client channel (E_NOTIMPL) and
         * crashes on an unknown binding. */
        skip( "TCP channels and bad bindings on Wine's builtin\n" );
        WsFreeError( error );
        return;
    }
    channel = NULL;
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeChannel( channel );

    /* An unknown binding is an invalid argument, with a message. */
    channel = (WS_CHANNEL *)0xdeadbeef;
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, 0xdead, NULL, 0, NULL, &channel, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( channel == (WS_CHANNEL *)0xdeadbeef, "channel changed\n" );
    if (!winetest_platform_is_wine)
    {
        WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &value, sizeof(value) );
        ok( value == 1, "got %lu strings\n", value );
    }
    WsResetError( error );

    /* WS_CHANNEL_PROPERTY_NO_DELAY is documented for WS_TCP_CHANNEL_BINDING only. */
    prop.id = WS_CHANNEL_PROPERTY_NO_DELAY;
    prop.value = &no_delay;
    prop.valueSize = sizeof(no_delay);
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 0;
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_NO_DELAY, &value, sizeof(BOOL), NULL );
    ok( hr == S_OK && value == TRUE, "got %#lx %lu\n", hr, value );
    WsFreeChannel( channel );
    if (!winetest_platform_is_wine)   /* Wine's builtin ignores the binding a property is documented for */
    {
        hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    /* A wrong value size is an invalid argument. */
    prop.valueSize = 1;
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* The minimum buffered message size is 1. */
    value = 0;
    prop.id = WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE;
    prop.value = &value;
    prop.valueSize = sizeof(value);
    if (!winetest_platform_is_wine)
    {
        hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    value = 1;
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE ) == 1, "wrong size\n" );
    WsFreeChannel( channel );

    /* A property array count without an array. */
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 1, NULL, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    WsFreeChannel( NULL );
    WsFreeError( error );
}

struct expected_prop
{
    WS_CHANNEL_PROPERTY_ID id;
    ULONG value;
    BOOL todo;   /* Wine 8's builtin returns 0 instead of the documented default */
};

static void check_props( WS_CHANNEL *channel, const struct expected_prop *expected, ULONG count )
{
    ULONG i;

    for (i = 0; i < count; i++)
    {
        ULONG value = get_ulong_prop( channel, expected[i].id );
        todo_wine_if( expected[i].todo )
        ok( value == expected[i].value, "property %d: got %lu, expected %lu\n", expected[i].id, value, expected[i].value );
    }
}

static void test_tcp_defaults(void)
{
    static const struct expected_prop expected[] =
    {
        { WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, 65536 },
        { WS_CHANNEL_PROPERTY_ENCODING, WS_ENCODING_XML_BINARY_SESSION_1 },
        { WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, WS_ENVELOPE_VERSION_SOAP_1_2 },
        { WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, WS_ADDRESSING_VERSION_1_0 },
        { WS_CHANNEL_PROPERTY_MAX_SESSION_DICTIONARY_SIZE, 2048 },
        { WS_CHANNEL_PROPERTY_STATE, WS_CHANNEL_STATE_CREATED },
        { WS_CHANNEL_PROPERTY_ASYNC_CALLBACK_MODEL, WS_LONG_CALLBACK },
        { WS_CHANNEL_PROPERTY_IP_VERSION, WS_IP_VERSION_AUTO },
        { WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, 30000 },
        { WS_CHANNEL_PROPERTY_SEND_TIMEOUT, 30000 },
        { WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, 30000 },
        { WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT, 30000 },
        { WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS, TRUE },
        { WS_CHANNEL_PROPERTY_TRANSFER_MODE, WS_BUFFERED_TRANSFER_MODE },
        { WS_CHANNEL_PROPERTY_NO_DELAY, FALSE },
        { WS_CHANNEL_PROPERTY_SEND_KEEP_ALIVES, FALSE },
        { WS_CHANNEL_PROPERTY_KEEP_ALIVE_TIME, 2 * 60 * 60 * 1000 },
        { WS_CHANNEL_PROPERTY_KEEP_ALIVE_INTERVAL, 1000 },
        { WS_CHANNEL_PROPERTY_CHANNEL_TYPE, WS_CHANNEL_TYPE_DUPLEX_SESSION },
        { WS_CHANNEL_PROPERTY_TRIM_BUFFERED_MESSAGE_SIZE, 65536 },
        { WS_CHANNEL_PROPERTY_PROTECTION_LEVEL, WS_PROTECTION_LEVEL_NONE },
        { WS_CHANNEL_PROPERTY_FAULTS_AS_ERRORS, TRUE },
        { WS_CHANNEL_PROPERTY_ALLOW_UNSECURED_FAULTS, FALSE },
    };
    WS_CHANNEL *channel;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (winetest_platform_is_wine) { WsFreeChannel( channel ); skip( "Wine's builtin lacks most properties\n" ); return; }
    check_props( channel, expected, ARRAYSIZE(expected) );
    WsFreeChannel( channel );
}

/* WS_CHANNEL_PROPERTY_ADDRESSING_VERSION may be given for every transport
 * binding; "WS_ADDRESSING_VERSION_TRANSPORT is only supported for
 * WS_HTTP_CHANNEL_BINDING". */
static void test_addressing_version(void)
{
    static const struct
    {
        WS_CHANNEL_TYPE type;
        WS_CHANNEL_BINDING binding;
        WS_ADDRESSING_VERSION version;
        HRESULT hr;
    }
    tests[] =
    {
        { WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, WS_ADDRESSING_VERSION_0_9, S_OK },
        { WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, WS_ADDRESSING_VERSION_TRANSPORT, S_OK },
        { WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, WS_ADDRESSING_VERSION_0_9, S_OK },
        { WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, WS_ADDRESSING_VERSION_TRANSPORT, E_INVALIDARG },
        { WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_NAMEDPIPE_CHANNEL_BINDING, WS_ADDRESSING_VERSION_0_9, S_OK },
        { WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_NAMEDPIPE_CHANNEL_BINDING, WS_ADDRESSING_VERSION_TRANSPORT, E_INVALIDARG },
        { WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, WS_ADDRESSING_VERSION_0_9, S_OK },
        { WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, WS_ADDRESSING_VERSION_TRANSPORT, E_INVALIDARG },
    };
    WS_CHANNEL_PROPERTY prop;
    WS_ADDRESSING_VERSION version;
    WS_CHANNEL *channel;
    WS_ERROR *error;
    HRESULT hr;
    ULONG i, count;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin lacks these channel bindings\n" ); return; }
    WsCreateError( NULL, 0, &error );
    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        version = tests[i].version;
        prop.id = WS_CHANNEL_PROPERTY_ADDRESSING_VERSION;
        prop.value = &version;
        prop.valueSize = sizeof(version);
        channel = NULL;
        hr = WsCreateChannel( tests[i].type, tests[i].binding, &prop, 1, NULL, &channel, error );
        ok( hr == tests[i].hr, "%lu: got %#lx\n", i, hr );
        if (hr == S_OK)
        {
            ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION ) == tests[i].version,
                "%lu: wrong addressing version\n", i );
            WsFreeChannel( channel );
        }
        else
        {
            count = 0;
            WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
            ok( count == 1, "%lu: got %lu error strings\n", i, count );
        }
        WsResetError( error );
    }
    WsFreeError( error );
}

static void test_http_defaults(void)
{
    static const struct expected_prop expected[] =
    {
        { WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, 65536 },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE, 16384, TRUE },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_FLUSH_SIZE, 65536, TRUE },
        { WS_CHANNEL_PROPERTY_ENCODING, WS_ENCODING_XML_UTF8 },
        { WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, WS_ENVELOPE_VERSION_SOAP_1_2 },
        { WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, WS_ADDRESSING_VERSION_1_0 },
        { WS_CHANNEL_PROPERTY_RESOLVE_TIMEOUT, INFINITE, TRUE },
        { WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT, 30000, TRUE },
        { WS_CHANNEL_PROPERTY_SEND_TIMEOUT, 30000, TRUE },
        { WS_CHANNEL_PROPERTY_RECEIVE_RESPONSE_TIMEOUT, 30000, TRUE },
        { WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, 30000, TRUE },
        { WS_CHANNEL_PROPERTY_MAX_HTTP_SERVER_CONNECTIONS, INFINITE, TRUE },
        { WS_CHANNEL_PROPERTY_CHANNEL_TYPE, WS_CHANNEL_TYPE_REQUEST },
        { WS_CHANNEL_PROPERTY_COOKIE_MODE, WS_AUTO_COOKIE_MODE, TRUE },
        { WS_CHANNEL_PROPERTY_HTTP_PROXY_SETTING_MODE, WS_HTTP_PROXY_SETTING_MODE_AUTO, TRUE },
        { WS_CHANNEL_PROPERTY_ENABLE_HTTP_REDIRECT, FALSE },
        { WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE, 65536, TRUE },
    };
    unsigned __int64 streamed = 0;
    WS_CHANNEL_PROPERTY prop;
    ULONG value;
    WS_ENCODING encoding = WS_ENCODING_RAW;
    WS_CHANNEL *channel;
    HRESULT hr;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_props( channel, expected, ARRAYSIZE(expected) );
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, &streamed, sizeof(streamed), NULL );
    todo_wine ok( hr == S_OK && streamed == 4194304, "got %#lx %s\n", hr, wine_dbgstr_longlong( streamed ) );
    /* The custom-channel properties do not exist on an HTTP channel. */
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_INSTANCE, &streamed, sizeof(void *), NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeChannel( channel );

    /* With WS_ENCODING_RAW the envelope version defaults to none and the
     * addressing version to transport. */
    prop.id = WS_CHANNEL_PROPERTY_ENCODING;
    prop.value = &encoding;
    prop.valueSize = sizeof(encoding);
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Wine's builtin keeps SOAP 1.2 / WS-Addressing 1.0. */
    value = get_ulong_prop( channel, WS_CHANNEL_PROPERTY_ENVELOPE_VERSION );
    todo_wine ok( value == WS_ENVELOPE_VERSION_NONE, "got envelope version %lu\n", value );
    value = get_ulong_prop( channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION );
    todo_wine ok( value == WS_ADDRESSING_VERSION_TRANSPORT, "got addressing version %lu\n", value );
    WsFreeChannel( channel );
}

static void test_udp_defaults(void)
{
    static const struct expected_prop expected[] =
    {
        { WS_CHANNEL_PROPERTY_ENCODING, WS_ENCODING_XML_UTF8 },
        { WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, WS_ENVELOPE_VERSION_SOAP_1_2 },
        { WS_CHANNEL_PROPERTY_ADDRESSING_VERSION, WS_ADDRESSING_VERSION_1_0 },
        { WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE, 0 },
        { WS_CHANNEL_PROPERTY_MULTICAST_HOPS, 1 },
        { WS_CHANNEL_PROPERTY_CHANNEL_TYPE, WS_CHANNEL_TYPE_DUPLEX },
    };
    WS_CHANNEL *channel;
    HRESULT hr;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (winetest_platform_is_wine) { WsFreeChannel( channel ); skip( "Wine's builtin lacks most properties\n" ); return; }
    check_props( channel, expected, ARRAYSIZE(expected) );
    WsFreeChannel( channel );
}

/* WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS FALSE: "all specific channel timeout
 * properties are set to INFINITE unless they are explicitly specified". */
static void test_enable_timeouts(void)
{
    WS_CHANNEL_PROPERTY props[2];
    BOOL enable = FALSE;
    ULONG send = 1234;
    WS_CHANNEL *channel;
    HRESULT hr;

    props[0].id = WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS;
    props[0].value = &enable;
    props[0].valueSize = sizeof(enable);
    props[1].id = WS_CHANNEL_PROPERTY_SEND_TIMEOUT;
    props[1].value = &send;
    props[1].valueSize = sizeof(send);
    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, props, 2, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (winetest_platform_is_wine) { WsFreeChannel( channel ); skip( "Wine's builtin lacks ENABLE_TIMEOUTS\n" ); return; }
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_ENABLE_TIMEOUTS ) == FALSE, "wrong value\n" );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT ) == 1234, "explicit timeout lost\n" );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT ) == INFINITE, "not infinite\n" );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_CONNECT_TIMEOUT ) == INFINITE, "not infinite\n" );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT ) == INFINITE, "not infinite\n" );
    WsFreeChannel( channel );
}

static void test_set_property(void)
{
    WS_ENCODING encoding = WS_ENCODING_XML_UTF8;
    ULONG timeout = 5000;
    BOOL value = TRUE;
    WS_CHANNEL *channel;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsSetChannelProperty( NULL, WS_CHANNEL_PROPERTY_SEND_TIMEOUT, &timeout, sizeof(timeout), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (winetest_platform_is_wine) { WsFreeChannel( channel ); skip( "Wine's builtin lacks WsSetChannelProperty\n" ); return; }

    /* Timeouts "can be set in any channel state". */
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT, &timeout, sizeof(timeout), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT ) == 5000, "not set\n" );
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT, &timeout, 2, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT, NULL, sizeof(timeout), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_NO_DELAY, &value, sizeof(value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_FAULTS_AS_ERRORS, &value, sizeof(value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* The encoding is a creation-time property; the state is read-only. */
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_ENCODING, &encoding, sizeof(encoding), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_STATE, &timeout, sizeof(timeout), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* Unknown property id. */
    hr = WsGetChannelProperty( channel, 0xdead, &timeout, sizeof(timeout), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeChannel( channel );
}

static void test_state_machine(void)
{
    WS_CHANNEL *channel;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (winetest_platform_is_wine) { WsFreeChannel( channel ); skip( "checked against the documentation only\n" ); return; }

    /* "This function is only valid when the channel is in the either the
     * WS_CHANNEL_STATE_CREATED or WS_CHANNEL_STATE_CLOSED state." */
    hr = WsResetChannel( channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Closing a channel that was never opened is not a valid transition. */
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsOpenChannel( channel, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsShutdownSessionChannel( channel, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    ok( get_ulong_prop( channel, WS_CHANNEL_PROPERTY_STATE ) == WS_CHANNEL_STATE_CREATED, "wrong state\n" );

    hr = WsResetChannel( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsAbortChannel( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCloseChannel( NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeChannel( channel );
}

/* ---------------------------------------------------------------------- */
/* A custom channel: an in-process message queue                           */
/* ---------------------------------------------------------------------- */

#define MAX_QUEUED 8

struct loopback
{
    WS_CHANNEL_TYPE type;
    int params;
    const void *params_ptr;
    ULONG opened, closed, aborted, reset, freed, abandoned, shut_down;
    WS_ENVELOPE_VERSION envelope;
    WS_XML_WRITER *writer;
    WS_XML_READER *reader;
    char *queue[MAX_QUEUED];
    ULONG queue_len[MAX_QUEUED];
    ULONG head, tail;
    ULONG set_id;
};

static struct loopback *last_created;
static ULONG free_calls;

static HRESULT CALLBACK lb_create( WS_CHANNEL_TYPE type, const void *params, ULONG size, void **instance, WS_ERROR *error )
{
    struct loopback *lb;

    if (size == sizeof(int) && *(const int *)params == -1) return E_ACCESSDENIED;
    lb = calloc( 1, sizeof(*lb) );
    lb->type = type;
    lb->params_ptr = params;
    if (size == sizeof(int)) lb->params = *(const int *)params;
    lb->envelope = WS_ENVELOPE_VERSION_SOAP_1_2;
    if (WsCreateWriter( NULL, 0, &lb->writer, error ) != S_OK) return E_FAIL;
    if (WsCreateReader( NULL, 0, &lb->reader, error ) != S_OK) return E_FAIL;
    last_created = lb;
    *instance = lb;
    return S_OK;
}

static void CALLBACK lb_free( void *instance )
{
    struct loopback *lb = instance;
    ULONG i;

    free_calls++;
    for (i = 0; i < MAX_QUEUED; i++) free( lb->queue[i] );
    WsFreeWriter( lb->writer );
    WsFreeReader( lb->reader );
    free( lb );
}

static HRESULT CALLBACK lb_reset( void *instance, WS_ERROR *error )
{
    ((struct loopback *)instance)->reset++;
    return S_OK;
}

static HRESULT CALLBACK lb_open( void *instance, const WS_ENDPOINT_ADDRESS *address, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    ((struct loopback *)instance)->opened++;
    return S_OK;
}

static HRESULT CALLBACK lb_close( void *instance, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    ((struct loopback *)instance)->closed++;
    return S_OK;
}

static HRESULT CALLBACK lb_abort( void *instance, WS_ERROR *error )
{
    ((struct loopback *)instance)->aborted++;
    return S_OK;
}

static HRESULT CALLBACK lb_get_property( void *instance, WS_CHANNEL_PROPERTY_ID id, void *value, ULONG size, WS_ERROR *error )
{
    struct loopback *lb = instance;

    switch (id)
    {
    case WS_CHANNEL_PROPERTY_ENVELOPE_VERSION:
        if (size != sizeof(WS_ENVELOPE_VERSION)) return E_INVALIDARG;
        *(WS_ENVELOPE_VERSION *)value = lb->envelope;
        return S_OK;
    case WS_CHANNEL_PROPERTY_ADDRESSING_VERSION:
        if (size != sizeof(WS_ADDRESSING_VERSION)) return E_INVALIDARG;
        *(WS_ADDRESSING_VERSION *)value = WS_ADDRESSING_VERSION_1_0;
        return S_OK;
    case WS_CHANNEL_PROPERTY_STATE:
        if (size != sizeof(WS_CHANNEL_STATE)) return E_INVALIDARG;
        *(WS_CHANNEL_STATE *)value = lb->opened ? WS_CHANNEL_STATE_OPEN : WS_CHANNEL_STATE_CREATED;
        return S_OK;
    default:
        return E_INVALIDARG;
    }
}

static HRESULT CALLBACK lb_set_property( void *instance, WS_CHANNEL_PROPERTY_ID id, const void *value, ULONG size, WS_ERROR *error )
{
    ((struct loopback *)instance)->set_id = id;
    return S_OK;
}

static HRESULT CALLBACK lb_write_start( void *instance, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct loopback *lb = instance;
    WS_XML_WRITER_BUFFER_OUTPUT output = {{ WS_XML_WRITER_OUTPUT_TYPE_BUFFER }};
    WS_XML_WRITER_TEXT_ENCODING encoding = {{ WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    HRESULT hr;

    if (lb->head - lb->tail == MAX_QUEUED) return WS_E_QUOTA_EXCEEDED;
    if ((hr = WsSetOutput( lb->writer, &encoding.encoding, &output.output, NULL, 0, error )) != S_OK) return hr;
    return WsWriteEnvelopeStart( message, lb->writer, NULL, NULL, error );
}

static HRESULT CALLBACK lb_write_end( void *instance, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct loopback *lb = instance;
    WS_BYTES bytes;
    HRESULT hr;
    ULONG slot;

    if ((hr = WsWriteEnvelopeEnd( message, error )) != S_OK) return hr;
    if ((hr = WsGetWriterProperty( lb->writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), error )) != S_OK) return hr;
    slot = lb->head++ % MAX_QUEUED;
    free( lb->queue[slot] );
    lb->queue[slot] = malloc( bytes.length + 1 );
    memcpy( lb->queue[slot], bytes.bytes, bytes.length );
    lb->queue[slot][bytes.length] = 0;
    lb->queue_len[slot] = bytes.length;
    return S_OK;
}

static HRESULT CALLBACK lb_read_start( void *instance, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct loopback *lb = instance;
    WS_XML_READER_BUFFER_INPUT input = {{ WS_XML_READER_INPUT_TYPE_BUFFER }};
    WS_XML_READER_TEXT_ENCODING encoding = {{ WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    ULONG slot;
    HRESULT hr;

    if (lb->tail == lb->head) return WS_S_END;
    slot = lb->tail++ % MAX_QUEUED;
    input.encodedData = lb->queue[slot];
    input.encodedDataSize = lb->queue_len[slot];
    if ((hr = WsSetInput( lb->reader, &encoding.encoding, &input.input, NULL, 0, error )) != S_OK) return hr;
    return WsReadEnvelopeStart( message, lb->reader, NULL, NULL, error );
}

static HRESULT CALLBACK lb_read_end( void *instance, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    return WsReadEnvelopeEnd( message, error );
}

static HRESULT CALLBACK lb_abandon( void *instance, WS_MESSAGE *message, WS_ERROR *error )
{
    ((struct loopback *)instance)->abandoned++;
    return S_OK;
}

static HRESULT CALLBACK lb_shutdown( void *instance, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    ((struct loopback *)instance)->shut_down++;
    return S_OK;
}

static const WS_CUSTOM_CHANNEL_CALLBACKS loopback_callbacks =
{
    lb_create, lb_free, lb_reset, lb_open, lb_close, lb_abort, lb_get_property, lb_set_property,
    lb_write_start, lb_write_end, lb_read_start, lb_read_end, lb_abandon, lb_shutdown,
};

static HRESULT create_loopback( WS_CHANNEL **channel, int params )
{
    WS_CHANNEL_PROPERTY props[2];

    props[0].id = WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS;
    props[0].value = (void *)&loopback_callbacks;
    props[0].valueSize = sizeof(loopback_callbacks);
    props[1].id = WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS;
    props[1].value = &params;
    props[1].valueSize = sizeof(params);
    return WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_CUSTOM_CHANNEL_BINDING, props, 2, NULL, channel, NULL );
}

static void test_custom_channel(void)
{
    WS_CUSTOM_CHANNEL_CALLBACKS partial = loopback_callbacks;
    WS_ENVELOPE_VERSION env;
    WS_CHANNEL_PROPERTY prop;
    WS_CHANNEL_STATE state;
    WS_ENDPOINT_ADDRESS address = {{ 0 }};
    struct loopback *lb;
    WS_CHANNEL *channel;
    ULONG timeout = 10;
    void *instance;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine's builtin has no custom channels\n" ); return; }

    /* The callbacks are required for a custom channel. */
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_CUSTOM_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    partial.abandonMessageCallback = NULL;
    prop.id = WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS;
    prop.value = &partial;
    prop.valueSize = sizeof(partial);
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_CUSTOM_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* The create callback's failure is returned; nothing is freed. */
    free_calls = 0;
    hr = create_loopback( &channel, -1 );
    ok( hr == E_ACCESSDENIED, "got %#lx\n", hr );
    ok( !free_calls, "free called %lu times\n", free_calls );

    last_created = NULL;
    hr = create_loopback( &channel, 42 );
    ok( hr == S_OK, "got %#lx\n", hr );
    lb = last_created;
    ok( lb != NULL, "create callback not called\n" );
    ok( lb->type == WS_CHANNEL_TYPE_DUPLEX_SESSION, "got type %d\n", lb->type );
    /* The parameters are passed by value (a copy of the property's bytes). */
    ok( lb->params == 42, "got params %d\n", lb->params );

    instance = NULL;
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_INSTANCE, &instance, sizeof(instance), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( instance == lb, "got %p, expected %p\n", instance, lb );
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_CHANNEL_TYPE, &env, sizeof(env), NULL );
    ok( hr == S_OK && env == (WS_ENVELOPE_VERSION)WS_CHANNEL_TYPE_DUPLEX_SESSION, "got %#lx %d\n", hr, env );

    /* Everything else is the custom channel's business. */
    lb->envelope = WS_ENVELOPE_VERSION_SOAP_1_1;
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_ENVELOPE_VERSION, &env, sizeof(env), NULL );
    ok( hr == S_OK && env == WS_ENVELOPE_VERSION_SOAP_1_1, "got %#lx %d\n", hr, env );
    lb->envelope = WS_ENVELOPE_VERSION_SOAP_1_2;
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_NO_DELAY, &env, sizeof(env), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, &timeout, sizeof(timeout), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( lb->set_id == WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, "set callback got %lu\n", lb->set_id );

    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( lb->opened == 1, "open callback called %lu times\n", lb->opened );
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK && state == WS_CHANNEL_STATE_OPEN, "got %#lx %d\n", hr, state );
    hr = WsShutdownSessionChannel( channel, NULL, NULL );
    ok( hr == S_OK && lb->shut_down == 1, "got %#lx %lu\n", hr, lb->shut_down );
    hr = WsAbortChannel( channel, NULL );
    ok( hr == S_OK && lb->aborted == 1, "got %#lx %lu\n", hr, lb->aborted );
    hr = WsCloseChannel( channel, NULL, NULL );
    ok( hr == S_OK && lb->closed == 1, "got %#lx %lu\n", hr, lb->closed );
    hr = WsResetChannel( channel, NULL );
    ok( hr == S_OK && lb->reset == 1, "got %#lx %lu\n", hr, lb->reset );

    free_calls = 0;
    WsFreeChannel( channel );
    ok( free_calls == 1, "free callback called %lu times\n", free_calls );
}

/* ---------------------------------------------------------------------- */
/* Message compositions over the loopback channel                          */
/* ---------------------------------------------------------------------- */

static WS_XML_STRING ns = { 19, (BYTE *)"http://example.org/" };
static WS_XML_STRING echo_local = { 4, (BYTE *)"echo" };
static WS_XML_STRING ping_local = { 4, (BYTE *)"ping" };
static WS_XML_STRING echo_action = { 23, (BYTE *)"http://example.org/echo" };
static WS_XML_STRING ping_action = { 23, (BYTE *)"http://example.org/ping" };

static const WS_ELEMENT_DESCRIPTION echo_element = { &echo_local, &ns, WS_INT32_TYPE, NULL };
static const WS_ELEMENT_DESCRIPTION ping_element = { &ping_local, &ns, WS_INT32_TYPE, NULL };
static const WS_MESSAGE_DESCRIPTION echo_desc = { &echo_action, (WS_ELEMENT_DESCRIPTION *)&echo_element };
static const WS_MESSAGE_DESCRIPTION ping_desc = { &ping_action, (WS_ELEMENT_DESCRIPTION *)&ping_element };

static WS_MESSAGE *create_message( WS_CHANNEL *channel )
{
    WS_MESSAGE *message = NULL;
    HRESULT hr = WsCreateMessage( WS_ENVELOPE_VERSION_SOAP_1_2, WS_ADDRESSING_VERSION_1_0, NULL, 0, &message, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    (void)channel;
    return message;
}

static void test_send_receive(void)
{
    const WS_MESSAGE_DESCRIPTION *descs[2] = { &ping_desc, &echo_desc };
    WS_ENDPOINT_ADDRESS address = {{ 0 }};
    WS_MESSAGE *message, *reply;
    struct loopback *lb;
    WS_CHANNEL *channel;
    INT32 value, got;
    WS_ERROR *error;
    ULONG index;
    WS_HEAP *heap;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine's builtin has no custom channels\n" ); return; }
    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = create_loopback( &channel, 0 );
    ok( hr == S_OK, "got %#lx\n", hr );
    lb = last_created;
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    message = create_message( channel );
    hr = WsSendMessage( channel, NULL, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSendMessage( channel, message, NULL, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* An empty message is initialized as a blank message and sent. */
    value = 1234;
    hr = WsSendMessage( channel, message, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( lb->head == 1, "queued %lu messages\n", lb->head );
    if (lb->head == 1)
    {
        const char *wire = lb->queue[0];
        ok( strstr( wire, "<a:Action s:mustUnderstand=\"1\">http://example.org/echo</a:Action>" ) != NULL ||
            strstr( wire, "http://example.org/echo</a:Action>" ) != NULL, "no action in %s\n", wire );
        ok( strstr( wire, ">1234</echo>" ) != NULL, "no body in %s\n", wire );
    }

    /* The message is now done: sending it again is an invalid operation. */
    hr = WsSendMessage( channel, message, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );

    /* Receiving matches the action against the descriptions in order. */
    reply = create_message( channel );
    got = 0;
    index = 0xdeadbeef;
    hr = WsReceiveMessage( channel, reply, descs, 2, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, heap,
                           &got, sizeof(got), &index, NULL, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( index == 1, "got index %lu\n", index );
    ok( got == 1234, "got %d\n", got );

    /* The message must be empty to receive into it. */
    hr = WsReceiveMessage( channel, reply, descs, 2, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, heap,
                           &got, sizeof(got), &index, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );

    /* No more messages: WS_S_END with WS_RECEIVE_OPTIONAL_MESSAGE, the
     * index and value untouched. */
    hr = WsResetMessage( reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    index = 0xdeadbeef;
    got = 77;
    hr = WsReceiveMessage( channel, reply, descs, 2, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE, heap,
                           &got, sizeof(got), &index, NULL, NULL );
    ok( hr == WS_S_END, "got %#lx\n", hr );
    ok( index == 0xdeadbeef && got == 77, "touched: %lu %d\n", index, got );

    /* An action no description matches fails. */
    hr = WsResetMessage( message, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSendMessage( channel, message, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsResetMessage( reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReceiveMessage( channel, reply, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, heap,
                           &got, sizeof(got), &index, NULL, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* WsRequestReply: the loopback answers with the request itself; a NULL
     * reply action accepts any action. */
    hr = WsResetMessage( message, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsResetMessage( reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    {
        WS_MESSAGE_DESCRIPTION any = { NULL, (WS_ELEMENT_DESCRIPTION *)&echo_element };
        value = -5;
        got = 0;
        hr = WsRequestReply( channel, message, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value),
                             reply, &any, WS_READ_REQUIRED_VALUE, heap, &got, sizeof(got), NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( got == -5, "got %d\n", got );
    }

    /* A fault sent with WsSendFaultMessageForError comes back as
     * WS_E_ENDPOINT_FAULT_RECEIVED with the fault's reason in the error. */
    {
        static const WCHAR boomW[] = L"boom";
        WS_STRING boom = { 4, (WCHAR *)boomW };
        WS_MESSAGE *request, *fault_msg;
        WS_ERROR *fault_error;
        WS_FAULT *fault = NULL;
        WS_STRING str;
        ULONG count;

        request = create_message( channel );
        fault_msg = create_message( channel );
        hr = WsResetMessage( message, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        value = 5;
        hr = WsSendMessage( channel, message, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsReceiveMessage( channel, request, descs, 2, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, heap,
                               &got, sizeof(got), &index, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );

        hr = WsCreateError( NULL, 0, &fault_error );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsAddErrorString( fault_error, &boom );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsSendFaultMessageForError( channel, fault_msg, fault_error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, request, NULL, error );
        ok( hr == S_OK, "got %#lx\n", hr );
        if (lb->head)
            ok( strstr( lb->queue[(lb->head - 1) % MAX_QUEUED], "boom" ) != NULL, "no reason in %s\n",
                lb->queue[(lb->head - 1) % MAX_QUEUED] );

        hr = WsResetMessage( reply, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        WsResetError( error );
        hr = WsReceiveMessage( channel, reply, descs, 2, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, heap,
                               &got, sizeof(got), &index, NULL, error );
        ok( hr == WS_E_ENDPOINT_FAULT_RECEIVED, "got %#lx\n", hr );
        count = 0;
        WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
        ok( count >= 1, "got %lu strings\n", count );
        memset( &str, 0, sizeof(str) );
        hr = WsGetErrorString( error, 0, &str );
        ok( hr == S_OK && str.length == 4 && !memcmp( str.chars, boomW, 8 ), "got %#lx %s\n", hr,
            wine_dbgstr_wn( str.chars, str.length ) );
        hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
        ok( hr == S_OK && fault != NULL, "got %#lx %p\n", hr, fault );
        if (fault)
            ok( fault->reasonCount == 1 && fault->reasons[0].text.length == 4, "wrong reasons %lu\n", fault->reasonCount );

        WsFreeError( fault_error );
        WsFreeMessage( request );
        WsFreeMessage( fault_msg );
    }

    /* WsAbandonMessage goes to the custom channel. */
    hr = WsAbandonMessage( channel, reply, NULL );
    ok( hr == S_OK && lb->abandoned == 1, "got %#lx %lu\n", hr, lb->abandoned );
    hr = WsAbandonMessage( channel, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    WsFreeMessage( message );
    WsFreeMessage( reply );
    WsFreeChannel( channel );
    WsFreeHeap( heap );
    WsFreeError( error );
}

/* ---------------------------------------------------------------------- */
/* net.tcp: our client and our listener in one process                     */
/* ---------------------------------------------------------------------- */

struct server_args
{
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    HRESULT accept_hr;
    HANDLE done;
    WS_MESSAGE *server_msg;
    WS_HEAP *heap;
    HRESULT receive_hr, close_hr;
};

/* The service side of a session's end: the client's End record, then close. */
static DWORD CALLBACK end_thread( void *arg )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &echo_desc };
    struct server_args *args = arg;
    INT32 got;

    args->receive_hr = WsReceiveMessage( args->channel, args->server_msg, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE,
                                         WS_READ_REQUIRED_VALUE, args->heap, &got, sizeof(got), NULL, NULL, NULL );
    args->close_hr = WsCloseChannel( args->channel, NULL, NULL );
    SetEvent( args->done );
    return 0;
}

static DWORD CALLBACK accept_thread( void *arg )
{
    struct server_args *args = arg;
    args->accept_hr = WsAcceptChannel( args->listener, args->channel, NULL, NULL );
    SetEvent( args->done );
    return 0;
}

static void make_url( WCHAR *buf, ULONG size, const char *scheme, USHORT port, const char *path )
{
    char tmp[128];
    ULONG i;
    if (!strcmp( scheme, "net.pipe" )) snprintf( tmp, sizeof(tmp), "%s://localhost%s%u", scheme, path, port );
    else snprintf( tmp, sizeof(tmp), "%s://localhost:%u%s", scheme, port, path );
    for (i = 0; tmp[i] && i < size - 1; i++) buf[i] = tmp[i];
    buf[i] = 0;
}

static void test_session_exchange( WS_CHANNEL_BINDING binding, WS_ENCODING encoding )
{
    const char *scheme = binding == WS_TCP_CHANNEL_BINDING ? "net.tcp" : "net.pipe";
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &echo_desc };
    WS_CHANNEL_PROPERTY prop = { WS_CHANNEL_PROPERTY_ENCODING, &encoding, sizeof(encoding) };
    USHORT port = 20000 + (GetCurrentProcessId() % 20000);
    WS_ENDPOINT_ADDRESS address;
    struct server_args args;
    WS_MESSAGE *client_msg, *server_msg;
    WS_CHANNEL *client;
    WS_STRING url, transport_url;
    WCHAR url_buf[128];
    WS_CHANNEL_STATE state;
    WS_HEAP *heap;
    HANDLE thread;
    INT32 value, got;
    ULONG i;
    HRESULT hr;

    winetest_push_context( "%s encoding %d", scheme, encoding );
    make_url( url_buf, ARRAYSIZE(url_buf), scheme, port, "/echo" );
    url.chars = url_buf;
    url.length = wcslen( url_buf );

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, binding, NULL, 0, NULL, &args.listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( args.listener, &url, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) { WsFreeListener( args.listener ); WsFreeHeap( heap ); winetest_pop_context(); return; }
    hr = WsCreateChannelForListener( args.listener, binding == WS_TCP_CHANNEL_BINDING ? &prop : NULL,
                                     binding == WS_TCP_CHANNEL_BINDING, &args.channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    args.done = CreateEventW( NULL, TRUE, FALSE, NULL );
    thread = CreateThread( NULL, 0, accept_thread, &args, 0, NULL );

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, binding, binding == WS_TCP_CHANNEL_BINDING ? &prop : NULL, binding == WS_TCP_CHANNEL_BINDING, NULL, &client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url = url;
    hr = WsOpenChannel( client, &address, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( args.done, 5000 ), "accept did not finish\n" );
    ok( args.accept_hr == S_OK, "accept got %#lx\n", args.accept_hr );
    hr = WsGetChannelProperty( args.channel, WS_CHANNEL_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK && state == WS_CHANNEL_STATE_OPEN, "got %#lx %d\n", hr, state );
    /* "The transport URL is the URL that is present at the .NET framing layer." */
    hr = WsGetChannelProperty( args.channel, WS_CHANNEL_PROPERTY_TRANSPORT_URL, &transport_url, sizeof(transport_url), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( transport_url.length == url.length && !memcmp( transport_url.chars, url.chars, url.length * sizeof(WCHAR) ),
        "got %s\n", wine_dbgstr_wn( transport_url.chars, transport_url.length ) );

    /* Several messages both ways: the session dictionary carries over. */
    client_msg = create_message( client );
    server_msg = create_message( args.channel );
    for (i = 0; i < 3; i++)
    {
        value = 1000 + i;
        hr = WsSendMessage( client, client_msg, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
        ok( hr == S_OK, "%lu: send got %#lx\n", i, hr );
        got = 0;
        hr = WsReceiveMessage( args.channel, server_msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &got, sizeof(got), NULL, NULL, NULL );
        ok( hr == S_OK, "%lu: receive got %#lx\n", i, hr );
        ok( got == value, "%lu: got %d\n", i, got );
        hr = WsResetMessage( server_msg, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        value = -got;
        hr = WsSendMessage( args.channel, server_msg, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
        ok( hr == S_OK, "%lu: reply got %#lx\n", i, hr );
        hr = WsResetMessage( client_msg, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        got = 0;
        hr = WsReceiveMessage( client, client_msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                               heap, &got, sizeof(got), NULL, NULL, NULL );
        ok( hr == S_OK, "%lu: receive reply got %#lx\n", i, hr );
        ok( got == -(INT32)(1000 + i), "%lu: got %d\n", i, got );
        WsResetMessage( client_msg, NULL );
        WsResetMessage( server_msg, NULL );
    }

    /* The client closes: the service sees the end of the session and closes
     * its side, which completes the client's close handshake. */
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
    args.server_msg = server_msg;
    args.heap = heap;
    ResetEvent( args.done );
    thread = CreateThread( NULL, 0, end_thread, &args, 0, NULL );
    hr = WsCloseChannel( client, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    ok( !WaitForSingleObject( args.done, 5000 ), "service did not finish\n" );
    ok( args.receive_hr == WS_S_END, "service receive got %#lx\n", args.receive_hr );
    ok( args.close_hr == S_OK, "service close got %#lx\n", args.close_hr );
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
    CloseHandle( args.done );
    WsFreeMessage( client_msg );
    WsFreeMessage( server_msg );
    WsFreeChannel( client );
    WsFreeChannel( args.channel );
    hr = WsCloseListener( args.listener, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeListener( args.listener );
    WsFreeHeap( heap );
    winetest_pop_context();
}

/* A client asking for another path gets the EndpointNotFound framing fault. */
static void test_tcp_wrong_path(void)
{
    USHORT port = 20000 + ((GetCurrentProcessId() + 7) % 20000);
    WS_ENDPOINT_ADDRESS address;
    struct server_args args;
    WS_CHANNEL *client;
    WCHAR url_buf[128], bad_buf[128];
    WS_STRING url;
    HANDLE thread;
    HRESULT hr;

    make_url( url_buf, ARRAYSIZE(url_buf), "net.tcp", port, "/right" );
    make_url( bad_buf, ARRAYSIZE(bad_buf), "net.tcp", port, "/wrong" );
    url.chars = url_buf;
    url.length = wcslen( url_buf );
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &args.listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( args.listener, &url, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateChannelForListener( args.listener, NULL, 0, &args.channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    args.done = CreateEventW( NULL, TRUE, FALSE, NULL );
    thread = CreateThread( NULL, 0, accept_thread, &args, 0, NULL );

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url.chars = bad_buf;
    address.url.length = wcslen( bad_buf );
    hr = WsOpenChannel( client, &address, NULL, NULL );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND, "got %#lx\n", hr );
    ok( !WaitForSingleObject( args.done, 5000 ), "accept did not finish\n" );
    ok( args.accept_hr == WS_E_ENDPOINT_NOT_FOUND, "accept got %#lx\n", args.accept_hr );
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );

    /* Abort from another thread ends a pending accept. */
    ResetEvent( args.done );
    thread = CreateThread( NULL, 0, accept_thread, &args, 0, NULL );
    Sleep( 100 );
    hr = WsAbortListener( args.listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( args.done, 5000 ), "accept did not finish\n" );
    ok( args.accept_hr == WS_E_OPERATION_ABORTED, "accept got %#lx\n", args.accept_hr );
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
    CloseHandle( args.done );

    WsFreeChannel( client );
    WsFreeChannel( args.channel );
    WsFreeListener( args.listener );
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
    result->hr = hr;
    InterlockedIncrement( &result->calls );
    SetEvent( result->event );
}

struct receive_thread_args
{
    WS_CHANNEL *channel;
    WS_MESSAGE *message;
    WS_HEAP *heap;
    HRESULT hr;
};

static DWORD CALLBACK receive_thread( void *arg )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &echo_desc };
    struct receive_thread_args *args = arg;
    INT32 got;

    args->hr = WsReceiveMessage( args->channel, args->message, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE,
                                 WS_READ_REQUIRED_VALUE, args->heap, &got, sizeof(got), NULL, NULL, NULL );
    return 0;
}

/* Asynchronous receive (WS_S_ASYNC, one callback) and WsAbortChannel from
 * another thread ending a blocked receive. */
static void test_tcp_async_and_abort(void)
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &echo_desc };
    USHORT port = 20000 + ((GetCurrentProcessId() + 13) % 20000);
    struct async_result result = { 0, 0, CreateEventW( NULL, TRUE, FALSE, NULL ) };
    WS_ASYNC_CONTEXT ctx = { async_done, &result };
    struct receive_thread_args rargs;
    WS_MESSAGE *client_msg, *server_msg;
    WS_ENDPOINT_ADDRESS address;
    WS_CHANNEL_STATE state;
    struct server_args args;
    WS_CHANNEL *client;
    WCHAR url_buf[128];
    WS_STRING url;
    WS_HEAP *heap;
    HANDLE thread;
    INT32 value, got = 0;
    HRESULT hr;

    make_url( url_buf, ARRAYSIZE(url_buf), "net.tcp", port, "/async" );
    url.chars = url_buf;
    url.length = wcslen( url_buf );
    WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &args.listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( args.listener, &url, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateChannelForListener( args.listener, NULL, 0, &args.channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* An asynchronous accept. */
    hr = WsAcceptChannel( args.listener, args.channel, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &address, 0, sizeof(address) );
    address.url = url;
    hr = WsOpenChannel( client, &address, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( result.event, 5000 ), "no callback\n" );
    ok( result.hr == S_OK && result.calls == 1, "got %#lx, %ld calls\n", result.hr, result.calls );

    /* An asynchronous receive completes when the message arrives. */
    client_msg = create_message( client );
    server_msg = create_message( args.channel );
    ResetEvent( result.event );
    result.calls = 0;
    hr = WsReceiveMessage( args.channel, server_msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                           heap, &got, sizeof(got), NULL, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    Sleep( 50 );
    ok( !result.calls, "callback before the message\n" );
    value = 42;
    hr = WsSendMessage( client, client_msg, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( result.event, 5000 ), "no callback\n" );
    Sleep( 50 );
    ok( result.hr == S_OK && result.calls == 1, "got %#lx, %ld calls\n", result.hr, result.calls );
    ok( got == 42, "got %d\n", got );

    /* Abort from another thread ends a blocked receive. */
    WsResetMessage( server_msg, NULL );
    rargs.channel = args.channel;
    rargs.message = server_msg;
    rargs.heap = heap;
    rargs.hr = 0xdeadbeef;
    thread = CreateThread( NULL, 0, receive_thread, &rargs, 0, NULL );
    Sleep( 100 );
    hr = WsAbortChannel( args.channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !WaitForSingleObject( thread, 5000 ), "receive still blocked\n" );
    ok( rargs.hr == WS_E_OPERATION_ABORTED, "got %#lx\n", rargs.hr );
    CloseHandle( thread );
    hr = WsGetChannelProperty( args.channel, WS_CHANNEL_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK && state == WS_CHANNEL_STATE_FAULTED, "got %#lx %d\n", hr, state );
    /* A faulted channel refuses work and can be closed. */
    WsResetMessage( client_msg, NULL );
    hr = WsSendMessage( args.channel, client_msg, &echo_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    ok( hr == WS_E_OBJECT_FAULTED, "got %#lx\n", hr );
    hr = WsCloseChannel( args.channel, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* The client sees the connection go away. */
    WsResetMessage( client_msg, NULL );
    hr = WsReceiveMessage( client, client_msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                           heap, &got, sizeof(got), NULL, NULL, NULL );
    ok( FAILED(hr) || hr == WS_S_END, "got %#lx\n", hr );
    WsAbortChannel( client, NULL );
    WsCloseChannel( client, NULL, NULL );

    WsFreeMessage( client_msg );
    WsFreeMessage( server_msg );
    WsFreeChannel( client );
    WsFreeChannel( args.channel );
    WsCloseListener( args.listener, NULL, NULL );
    WsFreeListener( args.listener );
    WsFreeHeap( heap );
    CloseHandle( result.event );
}

static void test_tcp(void)
{
    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    test_session_exchange( WS_TCP_CHANNEL_BINDING, WS_ENCODING_XML_BINARY_SESSION_1 );
    test_session_exchange( WS_TCP_CHANNEL_BINDING, WS_ENCODING_XML_BINARY_1 );
    test_session_exchange( WS_TCP_CHANNEL_BINDING, WS_ENCODING_XML_UTF8 );
    /* net.pipe: WS_CHANNEL_PROPERTY_ENCODING is not a named pipe property;
     * the default is the binary session encoding. */
    test_session_exchange( WS_NAMEDPIPE_CHANNEL_BINDING, WS_ENCODING_XML_BINARY_SESSION_1 );
    test_tcp_wrong_path();
    test_tcp_async_and_abort();
}

START_TEST(channel)
{
    test_create();
    test_tcp_defaults();
    test_http_defaults();
    test_udp_defaults();
    test_addressing_version();
    test_enable_timeouts();
    test_set_property();
    test_state_machine();
    test_custom_channel();
    test_send_receive();
    test_tcp();
}
