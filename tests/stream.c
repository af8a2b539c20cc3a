/*
 * Tests for the streamed transfer modes (WS_CHANNEL_PROPERTY_TRANSFER_MODE):
 * WsWriteMessageStart / WsFlushBody / WsWriteMessageEnd and WsReadMessageStart /
 * WsFillBody / WsReadMessageEnd on HTTP request and reply channels, our
 * client against our listener across threads: large bodies in pieces both
 * ways, a reply read while the service is still writing it, the flush, start
 * and message size quotas, WsAbandonMessage and WsAbortChannel in the middle
 * of a message, and buffered peers of streamed ones ("the client and server
 * may use different transfer modes and still be able to communicate").
 *
 * The documentation gives the transfer mode for WS_HTTP_CHANNEL_BINDING
 * only ("for channel bindings other than WS_HTTP_CHANNEL_BINDING the value is
 * always WS_BUFFERED_TRANSFER_MODE"), so net.tcp is checked for that.
 *
 * Wine 8's builtin has no HTTP listener: everything but the property checks
 * is skipped there.
 */

#include <stdio.h>
#include <string.h>
#include <winsock2.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static WS_XML_STRING ns = { 19, (BYTE *)"http://example.org/" };
static WS_XML_STRING data_local = { 4, (BYTE *)"data" };
static WS_XML_STRING chunk_local = { 5, (BYTE *)"chunk" };
static WS_XML_STRING action = { 23, (BYTE *)"http://example.org/data" };

#define MB (1024 * 1024)
#define PIECE 30000                   /* raw bytes per write: 40000 in base64, under the default flush size */

static USHORT base_port;

static USHORT next_port(void)
{
    static USHORT offset;
    return base_port + offset++;
}

static void make_url( WCHAR *buf, ULONG size, const char *host, USHORT port, const char *path )
{
    char tmp[160];
    ULONG i;
    snprintf( tmp, sizeof(tmp), "http://%s:%u%s", host, port, path );
    for (i = 0; tmp[i] && i < size - 1; i++) buf[i] = tmp[i];
    buf[i] = 0;
}

static BYTE pattern( ULONG i )
{
    return (BYTE)(i * 7 + i / 251);
}

/* ---------------------------------------------------------------------- */
/* Message bodies: <data><chunk>base64</chunk>...</data>, in pieces        */
/* ---------------------------------------------------------------------- */

/* <chunk> with N pattern bytes from offset POS. */
static HRESULT write_chunk( WS_XML_WRITER *writer, ULONG pos, ULONG n )
{
    static BYTE buf[PIECE];
    ULONG i;
    HRESULT hr;

    for (i = 0; i < n; i++) buf[i] = pattern( pos + i );
    if (FAILED(hr = WsWriteStartElement( writer, NULL, &chunk_local, &ns, NULL ))) return hr;
    if (FAILED(hr = WsWriteBytes( writer, buf, n, NULL ))) return hr;
    return WsWriteEndElement( writer, NULL );
}

/* Writes TOTAL pattern bytes in chunks of PIECE, each followed by WsFlushBody
 * when FLUSH; *WRITTEN counts the bytes the writer took. */
static HRESULT write_body( WS_MESSAGE *msg, ULONG total, ULONG piece, BOOL flush, ULONG *written )
{
    WS_XML_WRITER *writer;
    ULONG pos, n;
    HRESULT hr;

    if (written) *written = 0;
    if (FAILED(hr = WsGetMessageProperty( msg, WS_MESSAGE_PROPERTY_BODY_WRITER, &writer, sizeof(writer), NULL )))
        return hr;
    if (FAILED(hr = WsWriteStartElement( writer, NULL, &data_local, &ns, NULL ))) return hr;
    for (pos = 0; pos < total; pos += n)
    {
        n = min( piece, total - pos );
        if (FAILED(hr = write_chunk( writer, pos, n ))) return hr;
        if (written) *written += n;
        if (flush && FAILED(hr = WsFlushBody( msg, 0, NULL, NULL ))) return hr;
    }
    return WsWriteEndElement( writer, NULL );
}

/* Reads the <data> element: WsFillBody before each chunk, WsReadBytes in
 * pieces; *RECEIVED counts the bytes, *MATCH whether they were the pattern.
 * (Each chunk's text is buffered whole by WsFillBody: our reader needs a
 * text node complete before it reads it.) */
static HRESULT read_body( WS_MESSAGE *msg, ULONG *received, BOOL *match )
{
    static BYTE buf[PIECE];
    WS_XML_READER *reader;
    ULONG got, i;
    BOOL found;
    HRESULT hr;

    *received = 0;
    *match = TRUE;
    if (FAILED(hr = WsGetMessageProperty( msg, WS_MESSAGE_PROPERTY_BODY_READER, &reader, sizeof(reader), NULL )))
        return hr;
    if (FAILED(hr = WsFillBody( msg, 1024, NULL, NULL ))) return hr;
    if (FAILED(hr = WsReadToStartElement( reader, &data_local, &ns, &found, NULL ))) return hr;
    if (!found) return E_FAIL;
    if (FAILED(hr = WsReadStartElement( reader, NULL ))) return hr;
    for (;;)
    {
        if (FAILED(hr = WsFillBody( msg, 65536, NULL, NULL ))) return hr;
        if (FAILED(hr = WsReadToStartElement( reader, &chunk_local, &ns, &found, NULL ))) return hr;
        if (!found) break;
        if (FAILED(hr = WsReadStartElement( reader, NULL ))) return hr;
        for (;;)
        {
            if (FAILED(hr = WsReadBytes( reader, buf, 7000, &got, NULL ))) return hr;
            if (!got) break;
            for (i = 0; i < got; i++) if (buf[i] != pattern( *received + i )) *match = FALSE;
            *received += got;
        }
        if (FAILED(hr = WsReadEndElement( reader, NULL ))) return hr;
    }
    if (FAILED(hr = WsFillBody( msg, 1024, NULL, NULL ))) return hr;
    return WsReadEndElement( reader, NULL );
}

static HRESULT set_action( WS_MESSAGE *msg, const WS_XML_STRING *value )
{
    return WsSetHeader( msg, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE, value, sizeof(*value),
                        NULL );
}

/* ---------------------------------------------------------------------- */
/* The service: one request, one reply                                     */
/* ---------------------------------------------------------------------- */

struct service
{
    WS_LISTENER *listener;
    WS_CHANNEL *channel;
    HANDLE thread;
    /* what to do */
    ULONG reply_size;                 /* bytes of the reply body (0: no reply, 202) */
    BOOL reply_flush;                 /* WsFlushBody after each piece */
    const WS_XML_STRING *reply_action;
    HANDLE reply_started;             /* set once the reply's start and first piece were flushed */
    HANDLE go_on;                     /* if not NULL, waited for (5 s) before the rest of the reply */
    /* results */
    HRESULT accept_hr, read_start_hr, read_body_hr, read_end_hr, write_start_hr, write_body_hr, write_end_hr, close_hr;
    ULONG received;
    BOOL match;
    DWORD go_on_wait;
};

static DWORD CALLBACK service_thread( void *arg )
{
    struct service *s = arg;
    WS_MESSAGE *request = NULL, *reply = NULL;
    ULONG written;

    s->accept_hr = WsAcceptChannel( s->listener, s->channel, NULL, NULL );
    if (FAILED(s->accept_hr)) return 0;
    WsCreateMessageForChannel( s->channel, NULL, 0, &request, NULL );
    s->read_start_hr = WsReadMessageStart( s->channel, request, NULL, NULL );
    if (s->read_start_hr == S_OK)
    {
        s->read_body_hr = read_body( request, &s->received, &s->match );
        s->read_end_hr = SUCCEEDED(s->read_body_hr) ? WsReadMessageEnd( s->channel, request, NULL, NULL ) : E_FAIL;
    }
    if (s->read_start_hr == S_OK && s->reply_size)
    {
        WsCreateMessageForChannel( s->channel, NULL, 0, &reply, NULL );
        WsInitializeMessage( reply, WS_REPLY_MESSAGE, request, NULL );
        set_action( reply, s->reply_action ? s->reply_action : &action );
        s->write_start_hr = WsWriteMessageStart( s->channel, reply, NULL, NULL );
        if (s->write_start_hr == S_OK)
        {
            ULONG first = min( PIECE, s->reply_size );
            WS_XML_WRITER *writer;

            /* the start and the first piece, flushed: the client can read them now */
            WsGetMessageProperty( reply, WS_MESSAGE_PROPERTY_BODY_WRITER, &writer, sizeof(writer), NULL );
            s->write_body_hr = WsWriteStartElement( writer, NULL, &data_local, &ns, NULL );
            if (SUCCEEDED(s->write_body_hr)) s->write_body_hr = write_chunk( writer, 0, first );
            if (SUCCEEDED(s->write_body_hr)) s->write_body_hr = WsFlushBody( reply, 0, NULL, NULL );
            if (s->reply_started) SetEvent( s->reply_started );
            if (s->go_on) s->go_on_wait = WaitForSingleObject( s->go_on, 5000 );
            for (written = first; SUCCEEDED(s->write_body_hr) && written < s->reply_size;)
            {
                ULONG n = min( PIECE, s->reply_size - written );
                s->write_body_hr = write_chunk( writer, written, n );
                if (SUCCEEDED(s->write_body_hr) && s->reply_flush) s->write_body_hr = WsFlushBody( reply, 0, NULL, NULL );
                written += n;
            }
            if (SUCCEEDED(s->write_body_hr)) s->write_body_hr = WsWriteEndElement( writer, NULL );
            if (SUCCEEDED(s->write_body_hr)) s->write_end_hr = WsWriteMessageEnd( s->channel, reply, NULL, NULL );
            else WsAbandonMessage( s->channel, reply, NULL );
        }
    }
    s->close_hr = WsCloseChannel( s->channel, NULL, NULL );
    WsFreeMessage( request );
    WsFreeMessage( reply );
    return 0;
}

/* Opens a listener on http://+:PORT/PATH (the next port when taken) and starts one exchange. */
static BOOL start_service( struct service *s, USHORT *port, const char *path, const WS_CHANNEL_PROPERTY *props,
                           ULONG count )
{
    WCHAR url_buf[128];
    WS_STRING url;
    ULONG tries = 0;
    HRESULT hr;

    hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &s->listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return FALSE;
    for (;;)
    {
        make_url( url_buf, ARRAYSIZE(url_buf), "+", *port, path );
        url.chars = url_buf;
        url.length = wcslen( url_buf );
        hr = WsOpenListener( s->listener, &url, NULL, NULL );
        if (hr != WS_E_ADDRESS_IN_USE || ++tries == 5) break;
        *port = next_port();
    }
    ok( hr == S_OK, "open listener got %#lx\n", hr );
    if (hr == S_OK) hr = WsCreateChannelForListener( s->listener, props, count, &s->channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeListener( s->listener );
        return FALSE;
    }
    s->thread = CreateThread( NULL, 0, service_thread, s, 0, NULL );
    return TRUE;
}

/* Waits for the exchange (aborting it after 10 s, so nothing hangs) and frees the service. */
static void stop_service( struct service *s )
{
    DWORD ret = WaitForSingleObject( s->thread, 10000 );

    ok( !ret, "service thread did not end\n" );
    if (ret)
    {
        WsAbortChannel( s->channel, NULL );
        WsAbortListener( s->listener, NULL );
        WaitForSingleObject( s->thread, 5000 );
    }
    CloseHandle( s->thread );
    WsCloseListener( s->listener, NULL, NULL );
    WsFreeChannel( s->channel );
    WsFreeListener( s->listener );
}

static WS_CHANNEL *open_client( USHORT port, const char *path, const WS_CHANNEL_PROPERTY *props, ULONG count )
{
    WS_ENDPOINT_ADDRESS address;
    WCHAR url_buf[128];
    WS_CHANNEL *channel = NULL;
    HRESULT hr;

    make_url( url_buf, ARRAYSIZE(url_buf), "localhost", port, path );
    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, props, count, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return NULL;
    memset( &address, 0, sizeof(address) );
    address.url.chars = url_buf;
    address.url.length = wcslen( url_buf );
    hr = WsOpenChannel( channel, &address, NULL, NULL );
    ok( hr == S_OK, "open got %#lx\n", hr );
    return channel;
}

/* Client: a request of SIZE bytes, flushed per piece when FLUSH. */
static HRESULT send_request( WS_CHANNEL *channel, WS_MESSAGE *msg, ULONG size, BOOL flush )
{
    HRESULT hr;

    if (FAILED(hr = WsInitializeMessage( msg, WS_REQUEST_MESSAGE, NULL, NULL ))) return hr;
    if (FAILED(hr = set_action( msg, &action ))) return hr;
    if (FAILED(hr = WsWriteMessageStart( channel, msg, NULL, NULL ))) return hr;
    if (FAILED(hr = write_body( msg, size, PIECE, flush, NULL ))) return hr;
    return WsWriteMessageEnd( channel, msg, NULL, NULL );
}

static void check_service_( int line, const struct service *s, ULONG request_size, BOOL reply )
{
    winetest_push_context( "line %d", line );
    ok( s->accept_hr == S_OK, "accept got %#lx\n", s->accept_hr );
    ok( s->read_start_hr == S_OK, "service read start got %#lx\n", s->read_start_hr );
    ok( s->read_body_hr == S_OK, "service body got %#lx\n", s->read_body_hr );
    ok( s->read_end_hr == S_OK, "service read end got %#lx\n", s->read_end_hr );
    ok( s->received == request_size, "service received %lu bytes\n", s->received );
    ok( s->match, "service received other bytes\n" );
    if (reply)
    {
        ok( s->write_start_hr == S_OK, "service write start got %#lx\n", s->write_start_hr );
        ok( s->write_body_hr == S_OK, "service write body got %#lx\n", s->write_body_hr );
        ok( s->write_end_hr == S_OK, "service write end got %#lx\n", s->write_end_hr );
    }
    ok( s->close_hr == S_OK, "service close got %#lx\n", s->close_hr );
    winetest_pop_context();
}
#define check_service( s, size, reply ) check_service_( __LINE__, s, size, reply )

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */
/* ---------------------------------------------------------------------- */

static void test_properties(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE, got_mode;
    WS_CHANNEL_PROPERTY prop = { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) };
    unsigned __int64 max_message;
    WS_CHANNEL *channel;
    ULONG value;
    HRESULT hr;

    hr = WsCreateChannel( WS_CHANNEL_TYPE_REQUEST, WS_HTTP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return;
    got_mode = 0xdead;
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_TRANSFER_MODE, &got_mode, sizeof(got_mode), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( got_mode == WS_STREAMED_TRANSFER_MODE, "got %d\n", got_mode );
    if (!winetest_platform_is_wine)
    {
        /* the documented defaults */
        hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, &max_message,
                                   sizeof(max_message), NULL );
        ok( hr == S_OK && max_message == 4194304, "got %#lx %lu\n", hr, (ULONG)max_message );
        hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE, &value, sizeof(value), NULL );
        ok( hr == S_OK && value == 16384, "got %#lx %lu\n", hr, value );
        hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_MAX_STREAMED_FLUSH_SIZE, &value, sizeof(value), NULL );
        ok( hr == S_OK && value == 65536, "got %#lx %lu\n", hr, value );
    }
    WsFreeChannel( channel );

    /* "For channel bindings other than WS_HTTP_CHANNEL_BINDING the value is always WS_BUFFERED_TRANSFER_MODE" */
    if (winetest_platform_is_wine) { skip( "Wine 8's builtin has no net.tcp client channel\n" ); return; }
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, &prop, 1, NULL, &channel, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateChannel( WS_CHANNEL_TYPE_DUPLEX_SESSION, WS_TCP_CHANNEL_BINDING, NULL, 0, NULL, &channel, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    got_mode = 0xdead;
    hr = WsGetChannelProperty( channel, WS_CHANNEL_PROPERTY_TRANSFER_MODE, &got_mode, sizeof(got_mode), NULL );
    ok( hr == S_OK && got_mode == WS_BUFFERED_TRANSFER_MODE, "got %#lx %d\n", hr, got_mode );
    WsFreeChannel( channel );
}

/* Several MB each way, both sides streamed, in the channel's ENCODING. */
static void test_large_both_ways( WS_ENCODING encoding )
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    unsigned __int64 max_message = 32 * MB;
    WS_CHANNEL_PROPERTY props[3] =
    {
        { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, &max_message, sizeof(max_message) },
        { WS_CHANNEL_PROPERTY_ENCODING, &encoding, sizeof(encoding) },
    };
    const ULONG size = 3 * MB + 12345;
    struct service s = { 0 };
    USHORT port = next_port();
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    ULONG received = 0;
    BOOL match = FALSE;
    HRESULT hr;

    winetest_push_context( "encoding %d", encoding );
    s.reply_size = size;
    s.reply_flush = TRUE;
    if (!start_service( &s, &port, "/stream", props, 3 )) { winetest_pop_context(); return; }
    client = open_client( port, "/stream", props, 3 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );

    hr = send_request( client, msg, size, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    if (hr == S_OK)
    {
        hr = read_body( reply, &received, &match );
        ok( hr == S_OK, "read body got %#lx\n", hr );
        ok( received == size, "received %lu bytes\n", received );
        ok( match, "received other bytes\n" );
        hr = WsReadMessageEnd( client, reply, NULL, NULL );
        ok( hr == S_OK, "read end got %#lx\n", hr );
    }
    stop_service( &s );
    check_service( &s, size, TRUE );

    hr = WsCloseChannel( client, NULL, NULL );
    ok( hr == S_OK, "close got %#lx\n", hr );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
    WsFreeChannel( client );
    winetest_pop_context();
}

/* The reply's start and first piece reach the client while the service has
 * not finished writing: streamed input returns from WsReadMessageStart once
 * the start is there, streamed output sends at WsFlushBody. */
static void test_reply_read_while_written(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    WS_CHANNEL_PROPERTY prop = { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) };
    struct service s = { 0 };
    USHORT port = next_port();
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    ULONG received = 0;
    BOOL match = FALSE;
    HRESULT hr;

    s.reply_size = 10 * PIECE;
    s.reply_flush = TRUE;
    s.reply_started = CreateEventW( NULL, TRUE, FALSE, NULL );
    s.go_on = CreateEventW( NULL, TRUE, FALSE, NULL );
    if (!start_service( &s, &port, "/early", &prop, 1 )) return;
    client = open_client( port, "/early", &prop, 1 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );

    hr = send_request( client, msg, 100, FALSE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    ok( !WaitForSingleObject( s.reply_started, 5000 ), "the reply was not started\n" );
    /* the service now waits for GO_ON: only the start and the first piece were sent */
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    ok( WaitForSingleObject( s.thread, 0 ) == WAIT_TIMEOUT, "the service finished early\n" );
    SetEvent( s.go_on );
    if (hr == S_OK)
    {
        hr = read_body( reply, &received, &match );
        ok( hr == S_OK, "read body got %#lx\n", hr );
        ok( received == 10 * PIECE, "received %lu bytes\n", received );
        ok( match, "received other bytes\n" );
        hr = WsReadMessageEnd( client, reply, NULL, NULL );
        ok( hr == S_OK, "read end got %#lx\n", hr );
    }
    stop_service( &s );
    check_service( &s, 100, TRUE );
    ok( s.go_on_wait == WAIT_OBJECT_0, "service wait got %lu\n", s.go_on_wait );

    WsCloseChannel( client, NULL, NULL );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
    WsFreeChannel( client );
    CloseHandle( s.reply_started );
    CloseHandle( s.go_on );
}

/* MAX_STREAMED_FLUSH_SIZE: "a limit as to how many bytes will be accumulated
 * before WsFlushBody is called". */
static void test_flush_size(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_OUTPUT_TRANSFER_MODE;
    ULONG flush = 8192;
    WS_CHANNEL_PROPERTY props[2] =
    {
        { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_FLUSH_SIZE, &flush, sizeof(flush) },
    };
    struct service s = { 0 };
    USHORT port = next_port();
    WS_CHANNEL *client;
    WS_MESSAGE *msg;
    WS_XML_WRITER *writer;
    BYTE buf[4000];
    ULONG written, i;
    HRESULT hr;

    s.reply_size = 0;   /* one-way: 202 */
    if (!start_service( &s, &port, "/flush", NULL, 0 )) return;
    client = open_client( port, "/flush", props, 2 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );

    /* unflushed bytes past the flush size */
    hr = WsInitializeMessage( msg, WS_REQUEST_MESSAGE, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    set_action( msg, &action );
    hr = WsWriteMessageStart( client, msg, NULL, NULL );
    ok( hr == S_OK, "write start got %#lx\n", hr );
    WsGetMessageProperty( msg, WS_MESSAGE_PROPERTY_BODY_WRITER, &writer, sizeof(writer), NULL );
    hr = WsWriteStartElement( writer, NULL, &data_local, &ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < sizeof(buf); i++) buf[i] = pattern( i );
    hr = WsWriteBytes( writer, buf, sizeof(buf), NULL );   /* 5336 bytes of base64 */
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteBytes( writer, buf, sizeof(buf), NULL );   /* 10672 */
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    hr = WsAbandonMessage( client, msg, NULL );
    ok( hr == S_OK, "abandon got %#lx\n", hr );

    /* the same amount with WsFlushBody after each piece: the service gets it all */
    WsResetMessage( msg, NULL );
    hr = WsInitializeMessage( msg, WS_REQUEST_MESSAGE, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    set_action( msg, &action );
    hr = WsWriteMessageStart( client, msg, NULL, NULL );
    ok( hr == S_OK, "write start got %#lx\n", hr );
    hr = write_body( msg, 40000, sizeof(buf), TRUE, &written );
    ok( hr == S_OK, "write body got %#lx\n", hr );
    ok( written == 40000, "wrote %lu\n", written );
    hr = WsWriteMessageEnd( client, msg, NULL, NULL );
    ok( hr == S_OK, "write end got %#lx\n", hr );

    stop_service( &s );
    check_service( &s, 40000, FALSE );
    WsCloseChannel( client, NULL, NULL );
    WsFreeMessage( msg );
    WsFreeChannel( client );
}

/* MAX_STREAMED_MESSAGE_SIZE: sending, and receiving on either side. */
static void test_message_size(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    unsigned __int64 small = 20000, large = 8 * MB;
    WS_CHANNEL_PROPERTY small_props[2] =
    {
        { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, &small, sizeof(small) },
    };
    WS_CHANNEL_PROPERTY large_props[2] =
    {
        { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE, &large, sizeof(large) },
    };
    struct service s;
    USHORT port;
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    ULONG received;
    BOOL match;
    HRESULT hr;

    /* the client cannot send more than its maximum */
    memset( &s, 0, sizeof(s) );
    port = next_port();
    if (!start_service( &s, &port, "/quota", large_props, 2 )) return;
    client = open_client( port, "/quota", small_props, 2 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );
    hr = send_request( client, msg, 3 * PIECE, TRUE );
    ok( hr == WS_E_QUOTA_EXCEEDED, "send got %#lx\n", hr );
    hr = WsAbandonMessage( client, msg, NULL );
    ok( hr == S_OK, "abandon got %#lx\n", hr );
    /* the service got a truncated request: nothing to read; the listener is aborted at the end */
    WsAbortListener( s.listener, NULL );
    ok( !WaitForSingleObject( s.thread, 5000 ), "service thread did not end\n" );
    /* the pending accept is aborted; one started after the abort finds the listener faulted */
    ok( s.accept_hr == WS_E_OPERATION_ABORTED || s.accept_hr == WS_E_OBJECT_FAULTED, "accept got %#lx\n", s.accept_hr );
    stop_service( &s );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );

    /* the service refuses a larger request: its read fails, the client gets 413 */
    memset( &s, 0, sizeof(s) );
    port = next_port();
    if (!start_service( &s, &port, "/quota2", small_props, 2 )) return;
    client = open_client( port, "/quota2", large_props, 2 );
    WsResetMessage( msg, NULL );
    hr = send_request( client, msg, 3 * PIECE, TRUE );
    ok( hr == WS_E_QUOTA_EXCEEDED, "send got %#lx\n", hr );
    stop_service( &s );
    ok( s.read_start_hr == WS_E_QUOTA_EXCEEDED, "service read start got %#lx\n", s.read_start_hr );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );

    /* the client refuses a larger reply while reading its body */
    memset( &s, 0, sizeof(s) );
    port = next_port();
    s.reply_size = 3 * PIECE;
    s.reply_flush = TRUE;
    if (!start_service( &s, &port, "/quota3", large_props, 2 )) return;
    client = open_client( port, "/quota3", small_props, 2 );
    WsResetMessage( msg, NULL );
    hr = send_request( client, msg, 100, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    if (hr == S_OK)
    {
        hr = read_body( reply, &received, &match );
        ok( hr == WS_E_QUOTA_EXCEEDED, "read body got %#lx\n", hr );
        ok( received < 20000, "received %lu bytes\n", received );
        hr = WsAbandonMessage( client, reply, NULL );
        ok( hr == S_OK, "abandon got %#lx\n", hr );
    }
    stop_service( &s );
    ok( s.read_start_hr == S_OK, "service read start got %#lx\n", s.read_start_hr );
    ok( s.received == 100, "service received %lu\n", s.received );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
}

/* MAX_STREAMED_START_SIZE: the envelope tag, the headers and the body tag. */
static void test_start_size(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    ULONG start = 1024;
    WS_CHANNEL_PROPERTY small_props[2] =
    {
        { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) },
        { WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE, &start, sizeof(start) },
    };
    static char long_action[3000];
    WS_XML_STRING big_action;
    struct service s;
    USHORT port;
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    HRESULT hr;

    memcpy( long_action, "http://example.org/", 19 );
    memset( long_action + 19, 'a', sizeof(long_action) - 19 );
    big_action.length = sizeof(long_action);
    big_action.bytes = (BYTE *)long_action;
    big_action.dictionary = NULL;
    big_action.id = 0;

    /* a reply whose headers pass the client's start size */
    memset( &s, 0, sizeof(s) );
    port = next_port();
    s.reply_size = 100;
    s.reply_action = &big_action;
    if (!start_service( &s, &port, "/start", small_props, 1 )) return;
    client = open_client( port, "/start", small_props, 2 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );
    hr = send_request( client, msg, 100, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "read start got %#lx\n", hr );
    stop_service( &s );
    /* the client dropped the reply: the service's last writes may find the connection closed */
    ok( s.read_end_hr == S_OK && s.received == 100, "service got %#lx %lu\n", s.read_end_hr, s.received );
    ok( s.write_start_hr == S_OK, "service write start got %#lx\n", s.write_start_hr );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );

    /* the same with the default start size (16384) */
    memset( &s, 0, sizeof(s) );
    port = next_port();
    s.reply_size = 100;
    s.reply_action = &big_action;
    if (!start_service( &s, &port, "/start2", small_props, 1 )) return;
    client = open_client( port, "/start2", small_props, 1 );
    WsResetMessage( msg, NULL );
    WsResetMessage( reply, NULL );
    hr = send_request( client, msg, 100, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    if (hr == S_OK)
    {
        ULONG received;
        BOOL match;
        hr = read_body( reply, &received, &match );
        ok( hr == S_OK && received == 100 && match, "read body got %#lx %lu %d\n", hr, received, match );
        hr = WsReadMessageEnd( client, reply, NULL, NULL );
        ok( hr == S_OK, "read end got %#lx\n", hr );
    }
    stop_service( &s );
    check_service( &s, 100, TRUE );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );

    /* the service's start size applies to requests */
    memset( &s, 0, sizeof(s) );
    port = next_port();
    if (!start_service( &s, &port, "/start3", small_props, 2 )) return;
    client = open_client( port, "/start3", small_props, 1 );
    WsResetMessage( msg, NULL );
    hr = WsInitializeMessage( msg, WS_REQUEST_MESSAGE, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    set_action( msg, &big_action );
    hr = WsWriteMessageStart( client, msg, NULL, NULL );
    ok( hr == S_OK, "write start got %#lx\n", hr );
    hr = write_body( msg, 100, PIECE, TRUE, NULL );
    ok( hr == S_OK, "write body got %#lx\n", hr );
    hr = WsWriteMessageEnd( client, msg, NULL, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "write end got %#lx\n", hr );   /* the service answered 413 */
    stop_service( &s );
    ok( s.read_start_hr == WS_E_QUOTA_EXCEEDED, "service read start got %#lx\n", s.read_start_hr );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
}

/* WsAbandonMessage in the middle of a streamed reply: the channel carries the next exchange. */
static void test_abandon(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    WS_CHANNEL_PROPERTY prop = { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) };
    struct service s;
    USHORT port;
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    WS_XML_READER *reader;
    BYTE buf[1000];
    ULONG got, received;
    BOOL found, match;
    HRESULT hr;

    memset( &s, 0, sizeof(s) );
    port = next_port();
    s.reply_size = 2 * MB;
    s.reply_flush = TRUE;
    if (!start_service( &s, &port, "/abandon", &prop, 1 )) return;
    client = open_client( port, "/abandon", &prop, 1 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );
    hr = send_request( client, msg, 100, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    WsGetMessageProperty( reply, WS_MESSAGE_PROPERTY_BODY_READER, &reader, sizeof(reader), NULL );
    hr = WsFillBody( reply, 4096, NULL, NULL );
    ok( hr == S_OK, "fill got %#lx\n", hr );
    hr = WsReadToStartElement( reader, &data_local, &ns, &found, NULL );
    ok( hr == S_OK && found, "got %#lx %d\n", hr, found );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsFillBody( reply, 65536, NULL, NULL );
    ok( hr == S_OK, "fill got %#lx\n", hr );
    hr = WsReadToStartElement( reader, &chunk_local, &ns, &found, NULL );
    ok( hr == S_OK && found, "got %#lx %d\n", hr, found );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadBytes( reader, buf, sizeof(buf), &got, NULL );
    ok( hr == S_OK && got == sizeof(buf), "got %#lx %lu\n", hr, got );
    ok( buf[999] == pattern( 999 ), "got %02x\n", buf[999] );
    hr = WsAbandonMessage( client, reply, NULL );
    ok( hr == S_OK, "abandon got %#lx\n", hr );
    stop_service( &s );
    ok( s.read_start_hr == S_OK, "service read start got %#lx\n", s.read_start_hr );

    /* the next exchange on the same client channel */
    memset( &s, 0, sizeof(s) );
    s.reply_size = 5000;
    s.reply_flush = TRUE;
    {
        WS_STRING url;
        WCHAR url_buf[128];
        hr = WsCreateListener( WS_CHANNEL_TYPE_REPLY, WS_HTTP_CHANNEL_BINDING, NULL, 0, NULL, &s.listener, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        make_url( url_buf, ARRAYSIZE(url_buf), "+", port, "/abandon" );
        url.chars = url_buf;
        url.length = wcslen( url_buf );
        hr = WsOpenListener( s.listener, &url, NULL, NULL );
        ok( hr == S_OK, "open listener got %#lx\n", hr );
        hr = WsCreateChannelForListener( s.listener, &prop, 1, &s.channel, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        s.thread = CreateThread( NULL, 0, service_thread, &s, 0, NULL );
    }
    WsResetMessage( msg, NULL );
    WsResetMessage( reply, NULL );
    hr = send_request( client, msg, 100, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    if (hr == S_OK)
    {
        hr = read_body( reply, &received, &match );
        ok( hr == S_OK && received == 5000 && match, "read body got %#lx %lu %d\n", hr, received, match );
        hr = WsReadMessageEnd( client, reply, NULL, NULL );
        ok( hr == S_OK, "read end got %#lx\n", hr );
    }
    stop_service( &s );
    check_service( &s, 100, TRUE );
    WsCloseChannel( client, NULL, NULL );
    WsFreeChannel( client );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
}

struct fill_args
{
    WS_MESSAGE *reply;
    HRESULT hr;
};

static DWORD CALLBACK fill_thread( void *arg )
{
    struct fill_args *a = arg;
    /* more than the service sends before it waits: blocks for the rest */
    a->hr = WsFillBody( a->reply, 65536, NULL, NULL );
    return 0;
}

/* WsAbortChannel from another thread ends a WsFillBody waiting for data. */
static void test_abort(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    WS_CHANNEL_PROPERTY prop = { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) };
    struct service s = { 0 };
    struct fill_args args;
    USHORT port = next_port();
    WS_CHANNEL *client;
    WS_CHANNEL_STATE state;
    WS_MESSAGE *msg, *reply;
    HANDLE thread;
    DWORD start;
    HRESULT hr;

    s.reply_size = 4 * PIECE;
    s.reply_flush = TRUE;
    s.reply_started = CreateEventW( NULL, TRUE, FALSE, NULL );
    s.go_on = CreateEventW( NULL, TRUE, FALSE, NULL );
    if (!start_service( &s, &port, "/abort", &prop, 1 )) return;
    client = open_client( port, "/abort", &prop, 1 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );
    hr = send_request( client, msg, 100, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );

    args.reply = reply;
    args.hr = 0xdeadbeef;
    thread = CreateThread( NULL, 0, fill_thread, &args, 0, NULL );
    ok( WaitForSingleObject( thread, 300 ) == WAIT_TIMEOUT, "WsFillBody did not wait\n" );
    start = GetTickCount();
    hr = WsAbortChannel( client, NULL );
    ok( hr == S_OK, "abort got %#lx\n", hr );
    ok( !WaitForSingleObject( thread, 5000 ), "WsFillBody did not end\n" );
    ok( GetTickCount() - start < 3000, "the abort took %lu ms\n", GetTickCount() - start );
    ok( args.hr == WS_E_OPERATION_ABORTED, "WsFillBody got %#lx\n", args.hr );
    CloseHandle( thread );
    hr = WsGetChannelProperty( client, WS_CHANNEL_PROPERTY_STATE, &state, sizeof(state), NULL );
    ok( hr == S_OK && state == WS_CHANNEL_STATE_FAULTED, "got %#lx state %d\n", hr, state );

    SetEvent( s.go_on );
    stop_service( &s );
    ok( s.read_start_hr == S_OK, "service read start got %#lx\n", s.read_start_hr );
    WsFreeChannel( client );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
    CloseHandle( s.reply_started );
    CloseHandle( s.go_on );
}

/* "The client and server may use different transfer modes and still be able to communicate." */
static void test_mixed( BOOL streamed_client )
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    ULONG max_buffered = 4 * MB;
    WS_CHANNEL_PROPERTY streamed_prop = { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) };
    WS_CHANNEL_PROPERTY buffered_prop = { WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE, &max_buffered,
                                          sizeof(max_buffered) };
    const ULONG size = MB;
    struct service s = { 0 };
    USHORT port = next_port();
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    ULONG received = 0;
    BOOL match = FALSE;
    HRESULT hr;

    winetest_push_context( streamed_client ? "streamed client" : "buffered client" );
    s.reply_size = size;
    s.reply_flush = !streamed_client;
    if (!start_service( &s, &port, "/mixed", streamed_client ? &buffered_prop : &streamed_prop, 1 ))
    {
        winetest_pop_context();
        return;
    }
    client = open_client( port, "/mixed", streamed_client ? &streamed_prop : &buffered_prop, 1 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );
    /* WsFlushBody is a no-op on buffered output */
    hr = send_request( client, msg, size, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == S_OK, "read start got %#lx\n", hr );
    if (hr == S_OK)
    {
        hr = read_body( reply, &received, &match );
        ok( hr == S_OK, "read body got %#lx\n", hr );
        ok( received == size, "received %lu bytes\n", received );
        ok( match, "received other bytes\n" );
        hr = WsReadMessageEnd( client, reply, NULL, NULL );
        ok( hr == S_OK, "read end got %#lx\n", hr );
    }
    stop_service( &s );
    check_service( &s, size, TRUE );
    WsCloseChannel( client, NULL, NULL );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
    WsFreeChannel( client );
    winetest_pop_context();
}

/* A one-way request to a streamed service: the client's streamed read sees WS_S_END. */
static void test_one_way(void)
{
    WS_TRANSFER_MODE mode = WS_STREAMED_TRANSFER_MODE;
    WS_CHANNEL_PROPERTY prop = { WS_CHANNEL_PROPERTY_TRANSFER_MODE, &mode, sizeof(mode) };
    struct service s = { 0 };
    USHORT port = next_port();
    WS_CHANNEL *client;
    WS_MESSAGE *msg, *reply;
    HRESULT hr;

    if (!start_service( &s, &port, "/oneway", &prop, 1 )) return;
    client = open_client( port, "/oneway", &prop, 1 );
    WsCreateMessageForChannel( client, NULL, 0, &msg, NULL );
    WsCreateMessageForChannel( client, NULL, 0, &reply, NULL );
    hr = send_request( client, msg, 5000, TRUE );
    ok( hr == S_OK, "send got %#lx\n", hr );
    hr = WsReadMessageStart( client, reply, NULL, NULL );
    ok( hr == WS_S_END, "read start got %#lx\n", hr );
    stop_service( &s );
    check_service( &s, 5000, FALSE );
    WsCloseChannel( client, NULL, NULL );
    WsFreeMessage( msg );
    WsFreeMessage( reply );
    WsFreeChannel( client );
}

START_TEST(stream)
{
    base_port = 20000 + (USHORT)(GetCurrentProcessId() % 20000) + 300;

    test_properties();
    if (winetest_platform_is_wine)
    {
        skip( "Wine 8's builtin has no HTTP listener\n" );
        return;
    }
    test_large_both_ways( WS_ENCODING_XML_UTF8 );
    test_large_both_ways( WS_ENCODING_XML_BINARY_1 );
    test_reply_read_while_written();
    test_flush_size();
    test_message_size();
    test_start_size();
    test_abandon();
    test_abort();
    test_mixed( TRUE );
    test_mixed( FALSE );
    test_one_way();
}
