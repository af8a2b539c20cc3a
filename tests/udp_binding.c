/*
 * Tests for WS_UDP_CHANNEL_BINDING (SOAP over UDP): client duplex channels,
 * listeners and the channels they accept, over loopback in one process.
 *
 * Expected values come from Microsoft's documentation of WS_CHANNEL_BINDING,
 * WS_CHANNEL_TYPE, WS_CHANNEL_PROPERTY_ID, WS_LISTENER_PROPERTY_ID,
 * WsAcceptChannel and the MulticastUdpServer/ClientExample samples, and from
 * SOAP-over-UDP 1.1; the decisions are in docs/transport.md, "UDP binding".
 * Wine 8's builtin has no UDP transport (its stubs abort the process), so
 * everything past creation is skipped there.
 */

#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static USHORT port_base;

static USHORT next_port( void )
{
    static USHORT n;
    return port_base + n++;
}

static void make_url( WCHAR *buf, const WCHAR *host, USHORT port, WS_STRING *url )
{
    swprintf( buf, 128, L"soap.udp://%ls:%u/udptest", host, port );
    url->chars = buf;
    url->length = (ULONG)wcslen( buf );
}

/* The messages: an int body element with an action. */
static WS_XML_STRING body_local = WS_XML_STRING_VALUE( "value" ), body_ns = WS_XML_STRING_VALUE( "urn:udptest" );
static WS_XML_STRING request_action = WS_XML_STRING_VALUE( "urn:udptest/request" );
static WS_XML_STRING reply_action = WS_XML_STRING_VALUE( "urn:udptest/reply" );
static WS_ELEMENT_DESCRIPTION int_element = { &body_local, &body_ns, WS_INT32_TYPE, NULL };
static WS_ELEMENT_DESCRIPTION string_element = { &body_local, &body_ns, WS_WSZ_TYPE, NULL };
static WS_MESSAGE_DESCRIPTION request_desc = { &request_action, &int_element };
static WS_MESSAGE_DESCRIPTION reply_desc = { &reply_action, &int_element };
static WS_MESSAGE_DESCRIPTION string_desc = { &request_action, &string_element };

static WS_CHANNEL *open_client( const WS_STRING *url, const WS_CHANNEL_PROPERTY *props, ULONG count )
{
    WS_ENDPOINT_ADDRESS address = { 0 };
    WS_CHANNEL *channel = NULL;
    HRESULT hr;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, props, count, NULL, &channel, NULL );
    ok( hr == S_OK, "WsCreateChannel got %#lx\n", hr );
    address.url = *url;
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "WsOpenChannel got %#lx\n", hr );
    return channel;
}

static WS_LISTENER *open_listener( const WS_STRING *url )
{
    WS_LISTENER *listener = NULL;
    HRESULT hr;

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "WsCreateListener got %#lx\n", hr );
    hr = WsOpenListener( listener, url, NULL, NULL );
    ok( hr == S_OK, "WsOpenListener got %#lx\n", hr );
    return listener;
}

static HRESULT send_int( WS_CHANNEL *channel, const WS_MESSAGE_DESCRIPTION *desc, int value )
{
    WS_MESSAGE *msg;
    HRESULT hr;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSendMessage( channel, msg, desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
    WsFreeMessage( msg );
    return hr;
}

static HRESULT receive_int( WS_CHANNEL *channel, const WS_MESSAGE_DESCRIPTION *desc, int *value )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { desc };
    WS_MESSAGE *msg;
    HRESULT hr;

    hr = WsCreateMessageForChannel( channel, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    *value = -1;
    hr = WsReceiveMessage( channel, msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                           value, sizeof(*value), NULL, NULL, NULL );
    WsFreeMessage( msg );
    return hr;
}

static WS_CHANNEL_STATE channel_state( WS_CHANNEL *channel )
{
    WS_CHANNEL_STATE state = 0xdeadbeef;
    HRESULT hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    return state;
}

static ULONG channel_ulong( WS_CHANNEL *channel, WS_CHANNEL_PROPERTY_ID id )
{
    ULONG value = 0xdeadbeef;
    HRESULT hr = WsGetChannelProperty( channel, id, &value, sizeof(value), NULL );
    ok( hr == S_OK, "property %d: got %#lx\n", id, hr );
    return value;
}

static ULONG listener_ulong( WS_LISTENER *listener, WS_LISTENER_PROPERTY_ID id )
{
    ULONG value = 0xdeadbeef;
    HRESULT hr = WsGetListenerProperty( listener, id, &value, sizeof(value), NULL );
    ok( hr == S_OK, "property %d: got %#lx\n", id, hr );
    return value;
}

static void test_properties( void )
{
    WS_CHANNEL_PROPERTY prop;
    WS_ENDPOINT_ADDRESS address;
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    WS_ENCODING encoding = WS_ENCODING_XML_BINARY_1;
    ULONG value, interfaces[2];
    HRESULT hr;

    /* WS_CHANNEL_TYPE: UDP supports DUPLEX with WsCreateChannel; Wine 8's builtin accepts REQUEST. */
    channel = NULL;
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (hr == S_OK) WsFreeChannel( channel );

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( channel_state( channel ) == WS_CHANNEL_STATE_CREATED, "wrong state\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_CHANNEL_TYPE ) == WS_CHANNEL_TYPE_DUPLEX, "wrong type\n" );
    if (winetest_platform_is_wine)
    {
        /* Wine 8's builtin lacks most of these properties. */
        WsFreeChannel( channel );
        skip( "UDP channel properties on Wine's builtin\n" );
        goto listener;
    }
    /* "The WS_UDP_CHANNEL_BINDING always uses the value 65536" / WS_ENCODING_XML_UTF8. */
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE ) == 65536, "wrong size\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_TRIM_BUFFERED_MESSAGE_SIZE ) == 65536, "wrong size\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_ENCODING ) == WS_ENCODING_XML_UTF8, "wrong encoding\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_ENVELOPE_VERSION ) == WS_ENVELOPE_VERSION_SOAP_1_2, "wrong envelope\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_ADDRESSING_VERSION ) == WS_ADDRESSING_VERSION_1_0, "wrong addressing\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_IP_VERSION ) == WS_IP_VERSION_AUTO, "wrong IP version\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_MULTICAST_HOPS ) == 1, "wrong hops\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE ) == 0, "wrong interface\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_SEND_TIMEOUT ) == 30000, "wrong timeout\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT ) == 30000, "wrong timeout\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_TRANSFER_MODE ) == WS_BUFFERED_TRANSFER_MODE, "wrong mode\n" );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_FAULTS_AS_ERRORS ) == TRUE, "wrong value\n" );
    /* MULTICAST_INTERFACE "can be set in any channel state". */
    value = 7;
    hr = WsSetChannelProperty( channel, WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE ) == 7, "wrong interface\n" );
    /* REMOTE_ADDRESS "cannot be retrieved until the channel has reached the open state". */
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_REMOTE_ADDRESS, &address, sizeof(address), NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeChannel( channel );

    /* The encoding is not a UDP property ("used ... for WS_TCP_CHANNEL_BINDING or WS_HTTP_CHANNEL_BINDING"). */
    prop.id = WS_CHANNEL_PROPERTY_ENCODING;
    prop.value = &encoding;
    prop.valueSize = sizeof(encoding);
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    value = 4;
    prop.id = WS_CHANNEL_PROPERTY_MULTICAST_HOPS;
    prop.value = &value;
    prop.valueSize = sizeof(value);
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( channel_ulong( channel, WS_CHANNEL_PROPERTY_MULTICAST_HOPS ) == 4, "wrong hops\n" );
    WsFreeChannel( channel );

listener:
    /* Wine 8's builtin returns E_NOTIMPL for a REPLY listener on UDP. */
    hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_STATE ) == WS_LISTENER_STATE_CREATED, "wrong state\n" );
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_CHANNEL_TYPE ) == WS_CHANNEL_TYPE_DUPLEX, "wrong type\n" );
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_CHANNEL_BINDING ) == WS_UDP_CHANNEL_BINDING, "wrong binding\n" );
    /* Wine 8's builtin returns 0 for these two documented defaults. */
    value = listener_ulong( listener, WS_LISTENER_PROPERTY_IP_VERSION );
    todo_wine ok( value == WS_IP_VERSION_AUTO, "got IP version %lu\n", value );
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_IS_MULTICAST ) == FALSE, "wrong value\n" );
    value = listener_ulong( listener, WS_LISTENER_PROPERTY_MULTICAST_LOOPBACK );
    todo_wine ok( value == TRUE, "got loopback %lu\n", value );
    if (winetest_platform_is_wine)
    {
        /* Wine 8's builtin refuses WsSetListenerProperty( MULTICAST_INTERFACES ). */
        WsFreeListener( listener );
        skip( "multicast interfaces on Wine's builtin\n" );
        return;
    }
    /* MULTICAST_INTERFACES: "The default value is an empty list". */
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, interfaces, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    interfaces[0] = 1;
    interfaces[1] = 2;
    hr = WsSetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, interfaces, sizeof(interfaces), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( interfaces, 0, sizeof(interfaces) );
    hr = WsGetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, interfaces, sizeof(interfaces), NULL );
    ok( hr == S_OK && interfaces[0] == 1 && interfaces[1] == 2, "got %#lx %lu %lu\n", hr, interfaces[0], interfaces[1] );
    WsFreeListener( listener );
}

static void test_urls( void )
{
    WS_ENDPOINT_ADDRESS address = { 0 };
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    HRESULT hr;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    address.url.chars = (WCHAR *)L"net.tcp://localhost:1234/x";
    address.url.length = (ULONG)wcslen( address.url.chars );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == WS_E_INVALID_ENDPOINT_URL, "got %#lx\n", hr );
    WsFreeChannel( channel );

    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* soap.udp has no default port. */
    address.url.chars = (WCHAR *)L"soap.udp://localhost/x";
    address.url.length = (ULONG)wcslen( address.url.chars );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    todo_wine ok( hr == WS_E_INVALID_ENDPOINT_URL, "got %#lx\n", hr );   /* Wine 8's builtin opens it */
    WsFreeChannel( channel );
    if (winetest_platform_is_wine)
    {
        skip( "listener URLs on Wine's builtin\n" );
        return;
    }

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( listener, &address.url, NULL, NULL );
    ok( hr == WS_E_INVALID_ENDPOINT_URL, "got %#lx\n", hr );
    /* A failed open leaves the listener created: it can be opened again. */
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_STATE ) == WS_LISTENER_STATE_CREATED, "wrong state\n" );
    /* WsOpenListener: "This URL can include the '+' or '*' wildcards in the host name portion". */
    {
        WCHAR wildcard[64];
        swprintf( wildcard, ARRAYSIZE(wildcard), L"soap.udp://+:%u/x", next_port() );
        address.url.chars = wildcard;
        address.url.length = (ULONG)wcslen( wildcard );
        hr = WsOpenListener( listener, &address.url, NULL, NULL );
        ok( hr == S_OK, "'+' host: got %#lx\n", hr );
        ok( listener_ulong( listener, WS_LISTENER_PROPERTY_STATE ) == WS_LISTENER_STATE_OPEN, "wrong state\n" );
        hr = WsCloseListener( listener, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
    }
    WsFreeListener( listener );
}

/* Several one-way messages: each WsAcceptChannel delivers the next datagram,
 * in order; the accepted channel then has no more messages. */
static void test_one_way( void )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WCHAR client_buf[128], server_buf[128];
    WS_STRING client_url, server_url, to;
    WS_ENDPOINT_ADDRESS remote;
    WS_LISTENER *listener;
    WS_CHANNEL *client, *server;
    WS_MESSAGE *msg;
    USHORT port = next_port();
    int i, value;
    HRESULT hr;

    make_url( server_buf, L"localhost", port, &server_url );
    make_url( client_buf, L"127.0.0.1", port, &client_url );
    listener = open_listener( &server_url );
    client = open_client( &client_url, NULL, 0 );
    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( server, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* The client's remote address is the endpoint it was opened with. */
    hr = WsGetChannelProperty( client, WS_CHANNEL_PROPERTY_REMOTE_ADDRESS, &remote, sizeof(remote), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Wine 8's builtin returns an empty address. */
    todo_wine ok( remote.url.length == client_url.length &&
                  !memcmp( remote.url.chars, client_url.chars, client_url.length * sizeof(WCHAR) ),
                  "wrong url %s\n", wine_dbgstr_wn( remote.url.chars, remote.url.length ) );

    for (i = 0; i < 3; i++)
    {
        hr = send_int( client, &request_desc, 100 + i );
        ok( hr == S_OK, "send %d: got %#lx\n", i, hr );
    }
    for (i = 0; i < 3; i++)
    {
        hr = WsAcceptChannel( listener, server, NULL, NULL );
        ok( hr == S_OK, "accept %d: got %#lx\n", i, hr );
        ok( channel_state( server ) == WS_CHANNEL_STATE_OPEN, "wrong state\n" );
        value = -1;
        hr = WsReceiveMessage( server, msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                               &value, sizeof(value), NULL, NULL, NULL );
        ok( hr == S_OK, "receive %d: got %#lx\n", i, hr );
        ok( value == 100 + i, "got %d\n", value );
        /* SOAP-over-UDP requires WS-Addressing: To is the URL the client opened. */
        memset( &to, 0, sizeof(to) );
        hr = WsGetHeader( msg, WS_TO_HEADER, WS_STRING_TYPE, WS_READ_REQUIRED_VALUE, NULL, &to, sizeof(to), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( to.length == client_url.length && !memcmp( to.chars, client_url.chars, to.length * sizeof(WCHAR) ),
            "wrong To %s\n", wine_dbgstr_wn( to.chars, to.length ) );
        WsResetMessage( msg, NULL );
        /* One accepted datagram, one message ("Accepts the next incoming
         * message"); Wine 8's builtin reads on and fails with WS_E_INVALID_FORMAT. */
        hr = WsReceiveMessage( server, msg, descs, 1, WS_RECEIVE_OPTIONAL_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                               &value, sizeof(value), NULL, NULL, NULL );
        todo_wine ok( hr == WS_S_END, "got %#lx\n", hr );
        WsResetMessage( msg, NULL );
        hr = WsCloseChannel( server, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsResetChannel( server, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        /* Wine 8's builtin closes the listener's socket with the accepted
         * channel (the next accept fails with WSAENOTSOCK): stop there. */
        if (winetest_platform_is_wine) break;
    }
    WsFreeMessage( msg );
    hr = WsCloseChannel( client, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( channel_state( client ) == WS_CHANNEL_STATE_CLOSED, "wrong state\n" );
    /* A closed channel receives nothing. */
    hr = receive_int( client, &request_desc, &value );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeChannel( client );
    WsFreeChannel( server );
    hr = WsCloseListener( listener, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeListener( listener );
}

/* Request/response: the service channel replies to the datagram's sender. */
static void test_request_reply( void )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WCHAR client_buf[128], server_buf[128], expect[64];
    WS_STRING client_url, server_url;
    WS_ENDPOINT_ADDRESS remote;
    SOCKADDR_STORAGE ip;
    WS_LISTENER *listener;
    WS_CHANNEL *client, *server;
    WS_MESSAGE *request, *reply;
    USHORT port = next_port();
    int i, value;
    HRESULT hr;

    make_url( server_buf, L"localhost", port, &server_url );
    make_url( client_buf, L"127.0.0.1", port, &client_url );
    listener = open_listener( &server_url );
    client = open_client( &client_url, NULL, 0 );
    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( server, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( server, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    for (i = 0; i < 2; i++)
    {
        hr = send_int( client, &request_desc, 7 + i );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsAcceptChannel( listener, server, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        /* REMOTE_IP_ADDRESS: the source of the datagram. */
        memset( &ip, 0, sizeof(ip) );
        hr = WsGetChannelProperty( server, WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS, &ip, sizeof(ip), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( ip.ss_family == AF_INET, "got family %d\n", ip.ss_family );
        ok( ((SOCKADDR_IN *)&ip)->sin_addr.s_addr == htonl( INADDR_LOOPBACK ), "wrong address\n" );
        hr = WsGetChannelProperty( server, WS_CHANNEL_PROPERTY_REMOTE_ADDRESS, &remote, sizeof(remote), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        swprintf( expect, ARRAYSIZE(expect), L"soap.udp://127.0.0.1:%u", ntohs( ((SOCKADDR_IN *)&ip)->sin_port ) );
        ok( remote.url.length == wcslen( expect ) && !memcmp( remote.url.chars, expect, remote.url.length * sizeof(WCHAR) ),
            "wrong remote %s\n", wine_dbgstr_wn( remote.url.chars, remote.url.length ) );

        hr = WsReceiveMessage( server, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                               &value, sizeof(value), NULL, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( value == 7 + i, "got %d\n", value );
        value *= 10;
        hr = WsSendReplyMessage( server, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), request,
                                 NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = receive_int( client, &reply_desc, &value );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( value == (7 + i) * 10, "got %d\n", value );
        /* The client read a datagram: its source is the listener's port. */
        hr = WsGetChannelProperty( client, WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS, &ip, sizeof(ip), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( ip.ss_family == AF_INET && ntohs( ((SOCKADDR_IN *)&ip)->sin_port ) == port, "wrong source\n" );

        WsResetMessage( request, NULL );
        WsResetMessage( reply, NULL );
        WsCloseChannel( server, NULL, NULL );
        WsResetChannel( server, NULL );
    }

    /* WsRequestReply over the duplex channel: send, then the next message. */
    {
        int request_value = 5, reply_value = 0;
        WS_MESSAGE *req, *rep;

        hr = WsCreateMessageForChannel( client, NULL, 0, &req, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsCreateMessageForChannel( client, NULL, 0, &rep, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        /* A datagram for the service to accept and answer; the answer waits
         * on the client's socket until WsRequestReply's receive. */
        hr = send_int( client, &request_desc, 0 );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsAcceptChannel( listener, server, NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        value = 55;
        hr = WsSendMessage( server, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsRequestReply( client, req, &request_desc, WS_WRITE_REQUIRED_VALUE, &request_value, sizeof(request_value),
                             rep, &reply_desc, WS_READ_REQUIRED_VALUE, NULL, &reply_value, sizeof(reply_value), NULL, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( reply_value == 55, "got %d\n", reply_value );
        WsFreeMessage( req );
        WsFreeMessage( rep );
        WsCloseChannel( server, NULL, NULL );
        WsResetChannel( server, NULL );
    }

    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsFreeChannel( server );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
}

/* A message larger than a datagram fails with WS_E_QUOTA_EXCEEDED; the
 * channel stays open; a raw garbage datagram fails only its own read. */
static void test_oversize_and_garbage( void )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WCHAR client_buf[128], server_buf[128], *big;
    WS_STRING client_url, server_url;
    WS_LISTENER *listener;
    WS_CHANNEL *client, *server;
    WS_MESSAGE *msg;
    SOCKADDR_IN addr = { 0 };
    SOCKET sock;
    USHORT port = next_port();
    int value, ret;
    HRESULT hr;

    make_url( server_buf, L"localhost", port, &server_url );
    make_url( client_buf, L"127.0.0.1", port, &client_url );
    listener = open_listener( &server_url );
    client = open_client( &client_url, NULL, 0 );
    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    big = malloc( 70000 * sizeof(WCHAR) );
    wmemset( big, 'x', 69999 );
    big[69999] = 0;
    hr = WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSendMessage( client, msg, &string_desc, WS_WRITE_REQUIRED_POINTER, &big, sizeof(big), NULL, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeMessage( msg );
    free( big );
    ok( channel_state( client ) == WS_CHANNEL_STATE_OPEN, "wrong state\n" );

    /* Garbage from a raw socket, then a good message. */
    sock = socket( AF_INET, SOCK_DGRAM, IPPROTO_UDP );
    ok( sock != INVALID_SOCKET, "socket failed\n" );
    addr.sin_family = AF_INET;
    addr.sin_port = htons( port );
    addr.sin_addr.s_addr = htonl( INADDR_LOOPBACK );
    ret = sendto( sock, "\x01\x02garbage<<", 11, 0, (SOCKADDR *)&addr, sizeof(addr) );
    ok( ret == 11, "sendto returned %d\n", ret );
    closesocket( sock );
    hr = send_int( client, &request_desc, 42 );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateMessageForChannel( server, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAcceptChannel( listener, server, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReceiveMessage( server, msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                           &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    ok( channel_state( server ) == WS_CHANNEL_STATE_OPEN, "wrong state\n" );
    WsResetMessage( msg, NULL );
    WsCloseChannel( server, NULL, NULL );
    WsResetChannel( server, NULL );
    /* The listener is unaffected: the next accept gets the good message. */
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_STATE ) == WS_LISTENER_STATE_OPEN, "wrong state\n" );
    hr = WsAcceptChannel( listener, server, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 0;
    hr = WsReceiveMessage( server, msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                           &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 42, "got %d\n", value );
    WsFreeMessage( msg );

    WsCloseChannel( server, NULL, NULL );
    WsFreeChannel( server );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
}

struct receive_thread
{
    WS_CHANNEL *channel;
    WS_LISTENER *listener;
    HRESULT hr;
    ULONG elapsed;
};

static DWORD CALLBACK receive_proc( void *arg )
{
    struct receive_thread *t = arg;
    ULONGLONG start = GetTickCount64();
    int value;
    t->hr = receive_int( t->channel, &request_desc, &value );
    t->elapsed = (ULONG)(GetTickCount64() - start);
    return 0;
}

static DWORD CALLBACK accept_proc( void *arg )
{
    struct receive_thread *t = arg;
    t->hr = WsAcceptChannel( t->listener, t->channel, NULL, NULL );
    return 0;
}

/* Abort from another thread ends a pending receive or accept. */
static void test_abort_and_timeout( void )
{
    WCHAR client_buf[128], server_buf[128];
    WS_STRING client_url, server_url;
    WS_CHANNEL_PROPERTY prop;
    struct receive_thread t;
    WS_LISTENER *listener;
    WS_CHANNEL *client, *server;
    ULONG timeout = 300;
    USHORT port = next_port();
    ULONGLONG start;
    HANDLE thread;
    int value;
    HRESULT hr;

    make_url( server_buf, L"localhost", port, &server_url );
    make_url( client_buf, L"127.0.0.1", port, &client_url );

    /* Receive timeout: WS_E_OPERATION_TIMED_OUT, the channel stays open. */
    prop.id = WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT;
    prop.value = &timeout;
    prop.valueSize = sizeof(timeout);
    client = open_client( &client_url, &prop, 1 );
    /* Nobody listens: the ICMP error this may cause must not fail the next read. */
    hr = send_int( client, &request_desc, 1 );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* No session over UDP. */
    hr = WsShutdownSessionChannel( client, NULL, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    start = GetTickCount64();
    hr = receive_int( client, &request_desc, &value );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );
    ok( GetTickCount64() - start >= 250 && GetTickCount64() - start < 3000, "took %lu ms\n", (ULONG)(GetTickCount64() - start) );
    ok( channel_state( client ) == WS_CHANNEL_STATE_OPEN, "wrong state\n" );

    /* Abort: the pending receive ends with WS_E_OPERATION_ABORTED. */
    timeout = INFINITE;
    hr = WsSetChannelProperty( client, WS_CHANNEL_PROPERTY_RECEIVE_TIMEOUT, &timeout, sizeof(timeout), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    t.channel = client;
    t.hr = 0xdeadbeef;
    thread = CreateThread( NULL, 0, receive_proc, &t, 0, NULL );
    ok( WaitForSingleObject( thread, 200 ) == WAIT_TIMEOUT, "receive did not block\n" );
    hr = WsAbortChannel( client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( WaitForSingleObject( thread, 5000 ) == WAIT_OBJECT_0, "receive did not end\n" );
    CloseHandle( thread );
    ok( t.hr == WS_E_OPERATION_ABORTED, "got %#lx\n", t.hr );
    ok( channel_state( client ) == WS_CHANNEL_STATE_FAULTED, "wrong state\n" );
    hr = receive_int( client, &request_desc, &value );
    ok( hr == WS_E_OBJECT_FAULTED, "got %#lx\n", hr );
    hr = WsCloseChannel( client, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeChannel( client );

    /* A pending accept ends on WsAbortListener... */
    listener = open_listener( &server_url );
    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    t.channel = server;
    t.listener = listener;
    t.hr = 0xdeadbeef;
    thread = CreateThread( NULL, 0, accept_proc, &t, 0, NULL );
    ok( WaitForSingleObject( thread, 200 ) == WAIT_TIMEOUT, "accept did not block\n" );
    hr = WsAbortChannel( server, NULL );   /* ... and on WsAbortChannel of the accepting channel */
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( WaitForSingleObject( thread, 5000 ) == WAIT_OBJECT_0, "accept did not end\n" );
    CloseHandle( thread );
    ok( t.hr == WS_E_OPERATION_ABORTED, "got %#lx\n", t.hr );
    WsFreeChannel( server );

    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    t.channel = server;
    t.hr = 0xdeadbeef;
    thread = CreateThread( NULL, 0, accept_proc, &t, 0, NULL );
    ok( WaitForSingleObject( thread, 200 ) == WAIT_TIMEOUT, "accept did not block\n" );
    hr = WsAbortListener( listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( WaitForSingleObject( thread, 5000 ) == WAIT_OBJECT_0, "accept did not end\n" );
    CloseHandle( thread );
    ok( t.hr == WS_E_OPERATION_ABORTED, "got %#lx\n", t.hr );
    ok( channel_state( server ) == WS_CHANNEL_STATE_CREATED, "wrong state\n" );
    hr = WsAcceptChannel( listener, server, NULL, NULL );
    ok( hr == WS_E_OBJECT_FAULTED, "got %#lx\n", hr );
    WsFreeChannel( server );
    WsCloseListener( listener, NULL, NULL );
    /* Reset and reopen on the same port. */
    hr = WsResetListener( listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( listener, &server_url, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeListener( listener );
}

struct async_result
{
    HANDLE event;
    HRESULT hr;
};

static void CALLBACK async_callback( HRESULT hr, WS_CALLBACK_MODEL model, void *state )
{
    struct async_result *r = state;
    (void)model;
    r->hr = hr;
    SetEvent( r->event );
}

/* Waits for an operation that returned HR with the context of R. */
static HRESULT async_wait( HRESULT hr, struct async_result *r )
{
    if (hr != WS_S_ASYNC) return hr;
    ok( WaitForSingleObject( r->event, 5000 ) == WAIT_OBJECT_0, "no callback\n" );
    return r->hr;
}

static void test_async( void )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    const WS_MESSAGE_DESCRIPTION *reply_descs[1] = { &reply_desc };
    WCHAR client_buf[128], server_buf[128];
    WS_STRING client_url, server_url;
    WS_ENDPOINT_ADDRESS address = { 0 };
    struct async_result r;
    WS_ASYNC_CONTEXT ctx = { async_callback, &r };
    WS_LISTENER *listener;
    WS_CHANNEL *client, *server;
    WS_MESSAGE *msg, *reply;
    USHORT port = next_port();
    int value = 0, sent = 3;
    HRESULT hr;

    r.event = CreateEventW( NULL, FALSE, FALSE, NULL );
    make_url( server_buf, L"localhost", port, &server_url );
    make_url( client_buf, L"127.0.0.1", port, &client_url );

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = async_wait( WsOpenListener( listener, &server_url, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &client, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    address.url = client_url;
    hr = async_wait( WsOpenChannel( client, &address, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* The accept is pending until the datagram arrives. */
    hr = WsAcceptChannel( listener, server, &ctx, NULL );
    ok( hr == WS_S_ASYNC, "got %#lx\n", hr );
    ok( WaitForSingleObject( r.event, 200 ) == WAIT_TIMEOUT, "accept completed early\n" );
    hr = WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = async_wait( WsSendMessage( client, msg, &request_desc, WS_WRITE_REQUIRED_VALUE, &sent, sizeof(sent), &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( WaitForSingleObject( r.event, 5000 ) == WAIT_OBJECT_0, "accept did not complete\n" );
    ok( r.hr == S_OK, "accept got %#lx\n", r.hr );
    WsFreeMessage( msg );

    hr = WsCreateMessageForChannel( server, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = async_wait( WsReceiveMessage( server, msg, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                                       &value, sizeof(value), NULL, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 3, "got %d\n", value );
    hr = WsCreateMessageForChannel( server, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 33;
    hr = async_wait( WsSendReplyMessage( server, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), msg,
                                         &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeMessage( msg );
    WsFreeMessage( reply );

    hr = WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 0;
    hr = async_wait( WsReceiveMessage( client, msg, reply_descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE,
                                       NULL, &value, sizeof(value), NULL, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 33, "got %d\n", value );
    WsFreeMessage( msg );

    hr = async_wait( WsCloseChannel( server, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = async_wait( WsCloseChannel( client, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( channel_state( client ) == WS_CHANNEL_STATE_CLOSED, "wrong state\n" );
    WsFreeChannel( server );
    WsFreeChannel( client );
    hr = async_wait( WsCloseListener( listener, &ctx, NULL ), &r );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeListener( listener );
    CloseHandle( r.event );
}

/* IPv6: a client of [::1] reaches a listener on every address; the service
 * sees and answers the IPv6 sender.  A second listener on the port fails. */
static void test_ipv6_and_address_in_use( void )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WCHAR client_buf[128], server_buf[128], expect[64];
    WS_STRING client_url, server_url;
    WS_ENDPOINT_ADDRESS remote;
    SOCKADDR_STORAGE ip;
    WS_LISTENER *listener, *other;
    WS_CHANNEL *client, *server;
    WS_MESSAGE *request, *reply;
    USHORT port = next_port();
    int value;
    HRESULT hr;

    make_url( server_buf, L"localhost", port, &server_url );
    make_url( client_buf, L"[::1]", port, &client_url );
    listener = open_listener( &server_url );

    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, NULL, 0, NULL, &other, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsOpenListener( other, &server_url, NULL, NULL );
    ok( hr == WS_E_ADDRESS_IN_USE, "got %#lx\n", hr );
    WsFreeListener( other );

    client = open_client( &client_url, NULL, 0 );
    hr = send_int( client, &request_desc, 6 );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAcceptChannel( listener, server, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetChannelProperty( server, WS_CHANNEL_PROPERTY_REMOTE_IP_ADDRESS, &ip, sizeof(ip), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ip.ss_family == AF_INET6, "got family %d\n", ip.ss_family );
    hr = WsGetChannelProperty( server, WS_CHANNEL_PROPERTY_REMOTE_ADDRESS, &remote, sizeof(remote), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    swprintf( expect, ARRAYSIZE(expect), L"soap.udp://[::1]:%u", ntohs( ((SOCKADDR_IN6 *)&ip)->sin6_port ) );
    ok( remote.url.length == wcslen( expect ) && !memcmp( remote.url.chars, expect, remote.url.length * sizeof(WCHAR) ),
        "wrong remote %s\n", wine_dbgstr_wn( remote.url.chars, remote.url.length ) );

    hr = WsCreateMessageForChannel( server, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( server, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReceiveMessage( server, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                           &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 6, "got %d\n", value );
    /* An accepted channel outlives its listener (it keeps the socket). */
    hr = WsCloseListener( listener, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 60;
    hr = WsSendReplyMessage( server, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), request,
                             NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = receive_int( client, &reply_desc, &value );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 60, "got %d\n", value );

    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsCloseChannel( server, NULL, NULL );
    WsFreeChannel( server );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
}

/* The interface index of the loopback adapter (IF_TYPE_SOFTWARE_LOOPBACK), as
 * the MulticastUdpServerExample finds it; 0 when unknown. */
static ULONG loopback_interface( void )
{
    typedef ULONG (WINAPI *get_adapters_func)( ULONG, ULONG, void *, IP_ADAPTER_ADDRESSES *, ULONG * );
    HMODULE module = LoadLibraryA( "iphlpapi.dll" );
    get_adapters_func get_adapters;
    IP_ADAPTER_ADDRESSES *addrs, *a;
    ULONG size = 0, index = 0;

    if (!module) return 0;
    get_adapters = (get_adapters_func)(void *)GetProcAddress( module, "GetAdaptersAddresses" );
    if (get_adapters && get_adapters( AF_INET, 0, NULL, NULL, &size ) == ERROR_BUFFER_OVERFLOW &&
        (addrs = malloc( size )))
    {
        if (!get_adapters( AF_INET, 0, NULL, addrs, &size ))
            for (a = addrs; a && !index; a = a->Next) if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) index = a->IfIndex;
        free( addrs );
    }
    FreeLibrary( module );
    return index;
}

/* A multicast listener (IS_MULTICAST, the loopback interface, To header not
 * matched) and a client sending to the group through the loopback interface;
 * the service answers by unicast, as in the Multicast samples. */
static void test_multicast( void )
{
    const WS_MESSAGE_DESCRIPTION *descs[1] = { &request_desc };
    WCHAR group_buf[128];
    WS_STRING group_url;
    WS_LISTENER_PROPERTY props[2];
    WS_CHANNEL_PROPERTY prop;
    WS_LISTENER *listener;
    WS_CHANNEL *client, *server;
    WS_MESSAGE *request, *reply;
    ULONG index = loopback_interface(), matching = 0;
    BOOL multicast = TRUE;
    USHORT port = next_port();
    int value;
    HRESULT hr;

    if (!index)
    {
        skip( "no loopback interface\n" );
        return;
    }
    make_url( group_buf, L"239.255.255.250", port, &group_url );
    props[0].id = WS_LISTENER_PROPERTY_IS_MULTICAST;
    props[0].value = &multicast;
    props[0].valueSize = sizeof(multicast);
    props[1].id = WS_LISTENER_PROPERTY_TO_HEADER_MATCHING_OPTIONS;
    props[1].value = &matching;
    props[1].valueSize = sizeof(matching);
    hr = WsCreateListener( WS_CHANNEL_TYPE_DUPLEX, WS_UDP_CHANNEL_BINDING, props, 2, NULL, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( listener_ulong( listener, WS_LISTENER_PROPERTY_IS_MULTICAST ) == TRUE, "wrong value\n" );
    hr = WsOpenListener( listener, &group_url, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* The interfaces may be given after opening, as the sample does. */
    hr = WsSetListenerProperty( listener, WS_LISTENER_PROPERTY_MULTICAST_INTERFACES, &index, sizeof(index), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeListener( listener );
        return;
    }

    prop.id = WS_CHANNEL_PROPERTY_MULTICAST_INTERFACE;
    prop.value = &index;
    prop.valueSize = sizeof(index);
    client = open_client( &group_url, &prop, 1 );
    hr = send_int( client, &request_desc, 77 );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeChannel( client );
        WsFreeListener( listener );
        return;
    }

    hr = WsCreateChannelForListener( listener, NULL, 0, &server, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( server, NULL, 0, &request, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateMessageForChannel( server, NULL, 0, &reply, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAcceptChannel( listener, server, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    value = 0;
    hr = WsReceiveMessage( server, request, descs, 1, WS_RECEIVE_REQUIRED_MESSAGE, WS_READ_REQUIRED_VALUE, NULL,
                           &value, sizeof(value), NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 77, "got %d\n", value );
    value = 78;
    hr = WsSendReplyMessage( server, reply, &reply_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), request,
                             NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* The unicast reply reaches the client's socket. */
    value = 0;
    hr = receive_int( client, &reply_desc, &value );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value == 78, "got %d\n", value );

    WsFreeMessage( request );
    WsFreeMessage( reply );
    WsCloseChannel( server, NULL, NULL );
    WsFreeChannel( server );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsCloseListener( listener, NULL, NULL );
    WsFreeListener( listener );
}

START_TEST(udp_binding)
{
    WSADATA wsa;

    WSAStartup( MAKEWORD(2, 2), &wsa );
    port_base = 20000 + (USHORT)(GetCurrentProcessId() % 20000);
    test_properties();
    test_urls();
    test_one_way();
    if (winetest_platform_is_wine)
    {
        /* Wine 8's builtin has UDP channels and listeners, but no remote
         * address properties and a listener that dies with its first
         * accepted channel; the request/reply test crashes it. */
        skip( "UDP request/reply, quotas, abort and async on Wine's builtin\n" );
        WSACleanup();
        return;
    }
    test_request_reply();
    test_oversize_and_garbage();
    test_abort_and_timeout();
    test_async();
    test_ipv6_and_address_in_use();
    test_multicast();
    WSACleanup();
}
