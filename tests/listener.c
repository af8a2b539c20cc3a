/*
 * Tests for WS_LISTENER: creation, properties (WS_LISTENER_PROPERTY_ID with
 * the documented defaults), the state machine, custom listeners
 * (WS_CUSTOM_LISTENER_CALLBACKS) and WsCreateChannelForListener /
 * WsAcceptChannel on them.
 */

#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* The custom callbacks below ignore most of their arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static ULONG get_ulong_prop( WS_LISTENER *listener, WS_LISTENER_PROPERTY_ID id )
{
    ULONG value = 0xdeadbeef;
    HRESULT hr = WsGetListenerProperty( listener, id, &value, sizeof(value), NULL );
    ok( hr == S_OK, "property %d: got %#lx\n", id, hr );
    return value;
}

static const ULONG default_matching = WS_MATCH_URL_THIS_HOST | WS_MATCH_URL_EXACT_PATH | WS_MATCH_URL_PORT | WS_MATCH_URL_NO_QUERY;

static void test_create(void)
{
    WS_LISTENER_PROPERTY prop;
    WS_LISTENER *listener;
    ULONG value;
    HRESULT hr;

    hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Wine 8's builtin has no HTTP listener (E_NOTIMPL). */
    listener = NULL;
    hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return;
    ok( listener != NULL, "listener not set\n" );
    ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_STATE ) == WS_LISTENER_STATE_CREATED, "wrong state\n" );
    /* "Used with WsGetListenerProperty for all channel types"; Wine 8's
     * builtin does not return these two. */
    value = 0xdeadbeef;
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_CHANNEL_TYPE, &value, sizeof(value), NULL );
    todo_wine ok( hr == S_OK && value == WS_CHANNEL_TYPE_REPLY, "got %#lx %lu\n", hr, value );
    value = 0xdeadbeef;
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_CHANNEL_BINDING, &value, sizeof(value), NULL );
    todo_wine ok( hr == S_OK && value == WS_HTTP_CHANNEL_BINDING, "got %#lx %lu\n", hr, value );
    if (!winetest_platform_is_wine)   /* Wine 8's builtin lacks these */
    {
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_ASYNC_CALLBACK_MODEL ) == WS_LONG_CALLBACK, "wrong model\n" );
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_CLOSE_TIMEOUT ) == 5000, "wrong close timeout\n" );
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_TO_HEADER_MATCHING_OPTIONS ) == default_matching, "wrong options\n" );
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_TRANSPORT_URL_MATCHING_OPTIONS ) == default_matching, "wrong options\n" );
        /* Only custom listeners have an instance. */
        hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_CUSTOM_LISTENER_INSTANCE, &value, sizeof(void *), NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    WsFreeListener( listener );

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 0xdeadbeef;
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_IP_VERSION, &value, sizeof(value), NULL );
    todo_wine ok( hr == S_OK && value == WS_IP_VERSION_AUTO, "got %#lx %lu\n", hr, value );
    if (!winetest_platform_is_wine)
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_CONNECT_TIMEOUT ) == 15000, "wrong connect timeout\n" );
    WsFreeListener( listener );

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (!winetest_platform_is_wine)
    {
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_IS_MULTICAST ) == FALSE, "wrong multicast\n" );
        ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_MULTICAST_LOOPBACK ) == TRUE, "wrong loopback\n" );
    }
    WsFreeListener( listener );

    if (winetest_platform_is_wine) { skip( "argument checks crash Wine's builtin\n" ); return; }
    /* A channel type the binding does not listen for. */
    hr = WsCreateListener( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, 0xdead, NULL, 0, NULL, &listener, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* The backlog is a TCP property. */
    value = 10;
    prop.id = WS_LISTENER_PROPERTY_LISTEN_BACKLOG;
    prop.value = &value;
    prop.valueSize = sizeof(value);
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, &prop, 1, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_LISTEN_BACKLOG ) == 10, "wrong backlog\n" );
    WsFreeListener( listener );
    hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_HTTP_CHANNEL_BINDING, &prop, 1, NULL, &listener, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    prop.valueSize = 2;
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, &prop, 1, NULL, &listener, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeListener( NULL );
}

static void test_multicast_interfaces(void)
{
    ULONG interfaces[3] = { 1, 2, 3 }, got[3] = { 0 };
    WS_LISTENER_PROPERTY prop;
    WS_LISTENER *listener;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin lacks multicast interfaces\n" ); return; }
    prop.id = WS_LISTENER_PROPERTY_MULTICAST_INTERFACES;
    prop.value = interfaces;
    prop.valueSize = 2 * sizeof(ULONG);
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, &prop, 1, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, got, sizeof(got), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( got[0] == 1 && got[1] == 2 && got[2] == 0, "got %lu %lu %lu\n", got[0], got[1], got[2] );
    /* "Used with WsCreateListener or WsSetListenerProperty". */
    hr = WsSetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, interfaces, sizeof(interfaces), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, got, sizeof(got), NULL );
    ok( hr == S_OK && got[2] == 3, "got %#lx %lu\n", hr, got[2] );
    hr = WsSetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, interfaces, 5, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* Other properties cannot be set. */
    hr = WsSetListenerProperty( listener, WS_LISTENER_PROPERTY_IP_VERSION, interfaces, sizeof(ULONG), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeListener( listener );
}

static void test_state_machine(void)
{
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    HRESULT hr;

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateChannelForListener( listener, NULL, 0, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_STATE ) == WS_LISTENER_STATE_CREATED, "wrong state\n" );
    {
        WS_CHANNEL_TYPE type = 0;
        hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_CHANNEL_TYPE, &type, sizeof(type), NULL );
        ok( hr == S_OK && type == WS_CHANNEL_TYPE_DUPLEX_SESSION, "got %#lx %d\n", hr, type );
    }

    if (!winetest_platform_is_wine)
    {
        /* Accepting needs an open listener. */
        hr = WsAcceptChannel( listener, channel, NULL, NULL );
        ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
        hr = WsCloseListener( listener, NULL, NULL );
        ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
        hr = WsResetListener( listener, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsOpenListener( listener, NULL, NULL, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        hr = WsAcceptChannel( listener, NULL, NULL, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    if (!winetest_platform_is_wine)   /* a stub that aborts in Wine 8's builtin */
    {
        hr = WsAbortListener( NULL, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    hr = WsCreateChannelForListener( NULL, NULL, 0, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeChannel( channel );
    WsFreeListener( listener );
}

/* ---------------------------------------------------------------------- */
/* Custom listener                                                         */
/* ---------------------------------------------------------------------- */

struct custom_listener
{
    int params;
    ULONG opened, closed, aborted, reset, accepted, channels;
    void *accepted_instance;
    WCHAR url[64];
    ULONG set_id;
};

struct custom_channel
{
    struct custom_listener *listener;
    int params;
};

static struct custom_listener *last_listener;
static ULONG listener_frees, channel_frees;

static HRESULT CALLBACK cl_create( WS_CHANNEL_TYPE type, const void *params, ULONG size, void **instance, WS_ERROR *error )
{
    struct custom_listener *cl = calloc( 1, sizeof(*cl) );
    if (size == sizeof(int)) cl->params = *(const int *)params;
    last_listener = cl;
    *instance = cl;
    return S_OK;
}

static void CALLBACK cl_free( void *instance ) { listener_frees++; free( instance ); }
static HRESULT CALLBACK cl_reset( void *instance, WS_ERROR *error ) { ((struct custom_listener *)instance)->reset++; return S_OK; }
static HRESULT CALLBACK cl_abort( void *instance, WS_ERROR *error ) { ((struct custom_listener *)instance)->aborted++; return S_OK; }

static HRESULT CALLBACK cl_open( void *instance, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct custom_listener *cl = instance;
    cl->opened++;
    if (url && url->length < ARRAYSIZE(cl->url))
    {
        memcpy( cl->url, url->chars, url->length * sizeof(WCHAR) );
        cl->url[url->length] = 0;
    }
    return S_OK;
}

static HRESULT CALLBACK cl_close( void *instance, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    ((struct custom_listener *)instance)->closed++;
    return S_OK;
}

static HRESULT CALLBACK cl_get_property( void *instance, WS_LISTENER_PROPERTY_ID id, void *value, ULONG size, WS_ERROR *error )
{
    if (id == WS_LISTENER_PROPERTY_STATE && size == sizeof(WS_LISTENER_STATE))
    {
        *(WS_LISTENER_STATE *)value = ((struct custom_listener *)instance)->opened ? WS_LISTENER_STATE_OPEN : WS_LISTENER_STATE_CREATED;
        return S_OK;
    }
    return E_INVALIDARG;
}

static HRESULT CALLBACK cl_set_property( void *instance, WS_LISTENER_PROPERTY_ID id, const void *value, ULONG size, WS_ERROR *error )
{
    ((struct custom_listener *)instance)->set_id = id;
    return S_OK;
}

static HRESULT CALLBACK cl_create_channel( void *instance, const void *params, ULONG size, void **channel, WS_ERROR *error )
{
    struct custom_channel *cc = calloc( 1, sizeof(*cc) );
    cc->listener = instance;
    if (size == sizeof(int)) cc->params = *(const int *)params;
    cc->listener->channels++;
    *channel = cc;
    return S_OK;
}

static HRESULT CALLBACK cl_accept( void *instance, void *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct custom_listener *cl = instance;
    cl->accepted++;
    cl->accepted_instance = channel;
    return S_OK;
}

static const WS_CUSTOM_LISTENER_CALLBACKS listener_callbacks =
{
    cl_create, cl_free, cl_reset, cl_open, cl_close, cl_abort, cl_get_property, cl_set_property,
    cl_create_channel, cl_accept,
};

/* Channel callbacks of the accepted channels: only free matters here. */
static HRESULT CALLBACK cc_fail( void *instance, WS_ERROR *error ) { return E_NOTIMPL; }
static HRESULT CALLBACK cc_fail_async( void *instance, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error ) { return E_NOTIMPL; }
static HRESULT CALLBACK cc_open( void *instance, const WS_ENDPOINT_ADDRESS *address, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error ) { return E_NOTIMPL; }
static void CALLBACK cc_free( void *instance ) { channel_frees++; free( instance ); }
static HRESULT CALLBACK cc_get( void *instance, WS_CHANNEL_PROPERTY_ID id, void *value, ULONG size, WS_ERROR *error ) { return E_INVALIDARG; }
static HRESULT CALLBACK cc_set( void *instance, WS_CHANNEL_PROPERTY_ID id, const void *value, ULONG size, WS_ERROR *error ) { return E_INVALIDARG; }
static HRESULT CALLBACK cc_msg( void *instance, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error ) { return E_NOTIMPL; }
static HRESULT CALLBACK cc_abandon( void *instance, WS_MESSAGE *message, WS_ERROR *error ) { return E_NOTIMPL; }

static const WS_CUSTOM_CHANNEL_CALLBACKS channel_callbacks =
{
    NULL, cc_free, cc_fail, cc_open, cc_fail_async, cc_fail, cc_get, cc_set,
    cc_msg, cc_msg, cc_msg, cc_msg, cc_abandon, cc_fail_async,
};

static void test_custom_listener(void)
{
    static const WCHAR urlW[] = L"custom://example/service";
    WS_STRING url = { ARRAYSIZE(urlW) - 1, (WCHAR *)urlW };
    WS_LISTENER_PROPERTY props[2];
    WS_CHANNEL_PROPERTY chan_props[2];
    struct custom_listener *cl;
    struct custom_channel *cc;
    WS_LISTENER_STATE state;
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    int params = 7, chan_params = 9;
    void *instance;
    ULONG value = 1;
    HRESULT hr;

    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no custom listeners\n" ); return; }

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_CUSTOM_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    props[0].id = WS_LISTENER_PROPERTY_CUSTOM_LISTENER_CALLBACKS;
    props[0].value = (void *)&listener_callbacks;
    props[0].valueSize = sizeof(listener_callbacks);
    props[1].id = WS_LISTENER_PROPERTY_CUSTOM_LISTENER_PARAMETERS;
    props[1].value = &params;
    props[1].valueSize = sizeof(params);
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_CUSTOM_CHANNEL_BINDING, props, 2, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    cl = last_listener;
    ok( cl->params == 7, "got params %d\n", cl->params );

    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_CUSTOM_LISTENER_INSTANCE, &instance, sizeof(instance), NULL );
    ok( hr == S_OK && instance == cl, "got %#lx %p\n", hr, instance );
    ok( get_ulong_prop( listener, WS_LISTENER_PROPERTY_CHANNEL_BINDING ) == WS_CUSTOM_CHANNEL_BINDING, "wrong binding\n" );
    hr = WsSetListenerProperty( listener, WS_LISTENER_PROPERTY_IP_VERSION, &value, sizeof(value), NULL );
    ok( hr == S_OK && cl->set_id == WS_LISTENER_PROPERTY_IP_VERSION, "got %#lx %lu\n", hr, cl->set_id );

    hr = WsOpenListener( listener, &url, NULL, NULL );
    ok( hr == S_OK && cl->opened == 1, "got %#lx %lu\n", hr, cl->opened );
    ok( !wcscmp( cl->url, urlW ), "got url %s\n", wine_dbgstr_w( cl->url ) );
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK && state == WS_LISTENER_STATE_OPEN, "got %#lx %d\n", hr, state );

    /* Channels for a custom listener come from createChannelForListenerCallback,
     * with the channel's custom parameters. */
    chan_props[0].id = WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_CALLBACKS;
    chan_props[0].value = (void *)&channel_callbacks;
    chan_props[0].valueSize = sizeof(channel_callbacks);
    chan_props[1].id = WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS;
    chan_props[1].value = &chan_params;
    chan_props[1].valueSize = sizeof(chan_params);
    hr = WsCreateChannelForListener( listener, chan_props, 2, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( cl->channels == 1, "create channel callback called %lu times\n", cl->channels );
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_INSTANCE, &instance, sizeof(instance), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    cc = instance;
    ok( cc && cc->listener == cl && cc->params == 9, "wrong channel instance\n" );

    hr = WsAcceptChannel( listener, channel, NULL, NULL );
    ok( hr == S_OK && cl->accepted == 1, "got %#lx %lu\n", hr, cl->accepted );
    ok( cl->accepted_instance == cc, "accepted %p, expected %p\n", cl->accepted_instance, cc );

    channel_frees = 0;
    WsFreeChannel( channel );
    ok( channel_frees == 1, "channel free callback called %lu times\n", channel_frees );

    hr = WsAbortListener( listener, NULL );
    ok( hr == S_OK && cl->aborted == 1, "got %#lx\n", hr );
    hr = WsCloseListener( listener, NULL, NULL );
    ok( hr == S_OK && cl->closed == 1, "got %#lx\n", hr );
    hr = WsResetListener( listener, NULL );
    ok( hr == S_OK && cl->reset == 1, "got %#lx\n", hr );

    listener_frees = 0;
    WsFreeListener( listener );
    ok( listener_frees == 1, "listener free callback called %lu times\n", listener_frees );
}

START_TEST(listener)
{
    test_create();
    test_multicast_interfaces();
    test_state_machine();
    test_custom_listener();
}
