/*
 * .NET Message Framing ([MC-NMF]) records and sessions (nmf.c): encodings
 * byte for byte with the specification, a malformed-input corpus, and
 * initiator/receiver sessions over TCP loopback.  Private interfaces of our
 * DLL (see tests/transport.c); skipped with another DLL.
 */

#include <winsock2.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "../webservices_private.h"

const struct ws_private_api *get_private_api( void );   /* tests/transport.c */

static const struct ws_private_api *api;

#define NO_LIMIT 0xffffffff

/* [MC-NMF] 4.1: version 1.0, duplex, via net.tcp://SampleServer/SampleApp/,
 * binary session encoding, then Preamble End. */
static const char example_via[] = "net.tcp://SampleServer/SampleApp/";
static const BYTE example_preamble[] =
{
    0x00, 0x01, 0x00,                 /* Version Record 1.0 */
    0x01, 0x02,                       /* Mode Record: Duplex */
    0x02, 0x21, 'n','e','t','.','t','c','p',':','/','/','S','a','m','p','l','e','S','e','r','v','e','r','/',
    'S','a','m','p','l','e','A','p','p','/',
    0x03, 0x08,                       /* Known Encoding Record: binary with in-band dictionary */
    0x0c,                             /* Preamble End Record */
};
static const char fault_ns[] = "http://schemas.microsoft.com/ws/2006/05/framing/faults/";

/* ---- record encoding ---- */

static void test_encode_size( void )
{
    static const struct
    {
        ULONG size;
        BYTE bytes[5];
        ULONG len;
    }
    tests[] =
    {
        /* [MC-NMF] 2.2.2: the boundaries of every encoded length */
        { 0x00, { 0x00 }, 1 },
        { 0x01, { 0x01 }, 1 },
        { 0x7f, { 0x7f }, 1 },
        { 0x80, { 0x80, 0x01 }, 2 },
        { 0x3fff, { 0xff, 0x7f }, 2 },
        { 0x4000, { 0x80, 0x80, 0x01 }, 3 },
        { 0x1fffff, { 0xff, 0xff, 0x7f }, 3 },
        { 0x200000, { 0x80, 0x80, 0x80, 0x01 }, 4 },
        { 0x0fffffff, { 0xff, 0xff, 0xff, 0x7f }, 4 },
        { 0x10000000, { 0x80, 0x80, 0x80, 0x80, 0x01 }, 5 },
        { 0xffffffff, { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5 },
        { 0x12345678, { 0xf8, 0xac, 0xd1, 0x91, 0x01 }, 5 },
    };
    BYTE out[5];
    ULONG i, len;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        memset( out, 0xcc, sizeof(out) );
        len = api->nmf_encode_size( tests[i].size, out );
        ok( len == tests[i].len, "%#lx: got length %lu\n", tests[i].size, len );
        ok( !memcmp( out, tests[i].bytes, tests[i].len ), "%#lx: wrong bytes\n", tests[i].size );
    }
}

static void check_encoded( const struct ws_nmf_record *rec, const BYTE *expect, ULONG len, int line )
{
    struct ws_buf buf = { 0 };
    struct ws_nmf_record dec;
    ULONG used = 0;
    HRESULT hr;

    hr = api->nmf_encode_record( &buf, rec, NULL );
    ok_(__FILE__, line)( hr == S_OK, "encode got %#lx\n", hr );
    ok_(__FILE__, line)( buf.len == len && !memcmp( buf.data, expect, len ), "type %#x: wrong bytes (%lu)\n",
                         rec->type, buf.len );
    /* And back. */
    hr = api->nmf_decode_record( buf.data, buf.len, NO_LIMIT, &dec, &used, NULL );
    ok_(__FILE__, line)( hr == S_OK, "decode got %#lx\n", hr );
    ok_(__FILE__, line)( used == len, "used %lu\n", used );
    ok_(__FILE__, line)( dec.type == rec->type && dec.size == rec->size && !memcmp( dec.value, rec->value, 2 ),
                         "decoded %#x %lu\n", dec.type, dec.size );
    ok_(__FILE__, line)( !rec->size || !memcmp( dec.data, rec->data, rec->size ), "decoded data differs\n" );
    api->buf_free( &buf );
}

static struct ws_nmf_record make_record( enum ws_nmf_record_type type, BYTE v0, BYTE v1, const void *data, ULONG size )
{
    struct ws_nmf_record rec;
    memset( &rec, 0, sizeof(rec) );
    rec.type = type;
    rec.value[0] = v0;
    rec.value[1] = v1;
    rec.data = data;
    rec.size = size;
    return rec;
}

static void test_encode_records( void )
{
    /* The fixed-size records: type, then the values of struct ws_nmf_record. */
    static const struct { BYTE bytes[3]; ULONG len; } fixed[] =
    {
        { { 0x00, 0x01, 0x00 }, 3 },   /* Version 1.0 */
        { { 0x01, 0x02 }, 2 },         /* Mode: Duplex */
        { { 0x03, 0x08 }, 2 },         /* Known Encoding: binary session */
        { { 0x07 }, 1 },               /* End */
        { { 0x0b }, 1 },               /* Preamble Ack */
        { { 0x0c }, 1 },               /* Preamble End */
        { { 0x0a }, 1 },               /* Upgrade Response */
        { { 0x05 }, 1 },               /* Unsized Envelope (its chunks follow) */
    };
    static const char content_type[] = "application/soap+xml; charset=utf-8";
    static const char upgrade[] = "application/negotiate";
    static const char fault[] = "http://schemas.microsoft.com/ws/2006/05/framing/faults/EndpointNotFound";
    struct ws_nmf_record rec;
    struct ws_buf buf = { 0 };
    BYTE expect[400], big[300];
    HRESULT hr;
    ULONG i;

    for (i = 0; i < ARRAYSIZE(fixed); i++)
    {
        rec = make_record( fixed[i].bytes[0], fixed[i].bytes[1], fixed[i].bytes[2], NULL, 0 );
        check_encoded( &rec, fixed[i].bytes, fixed[i].len, __LINE__ );
    }

    expect[0] = 0x02;
    expect[1] = sizeof(example_via) - 1;
    memcpy( expect + 2, example_via, sizeof(example_via) - 1 );
    rec = make_record( WS_NMF_VIA, 0, 0, example_via, sizeof(example_via) - 1 );
    check_encoded( &rec, expect, sizeof(example_via) + 1, __LINE__ );
    ok( !memcmp( expect, example_preamble + 5, sizeof(example_via) + 1 ), "not the example's Via\n" );

    expect[0] = 0x04;
    expect[1] = sizeof(content_type) - 1;
    memcpy( expect + 2, content_type, sizeof(content_type) - 1 );
    rec = make_record( WS_NMF_EXTENSIBLE_ENCODING, 0, 0, content_type, sizeof(content_type) - 1 );
    check_encoded( &rec, expect, sizeof(content_type) + 1, __LINE__ );

    expect[0] = 0x09;
    expect[1] = 0x15;
    memcpy( expect + 2, upgrade, 0x15 );
    rec = make_record( WS_NMF_UPGRADE_REQUEST, 0, 0, upgrade, sizeof(upgrade) - 1 );
    check_encoded( &rec, expect, 0x17, __LINE__ );

    expect[0] = 0x08;
    expect[1] = sizeof(fault) - 1;
    memcpy( expect + 2, fault, sizeof(fault) - 1 );
    rec = make_record( WS_NMF_FAULT, 0, 0, fault, sizeof(fault) - 1 );
    check_encoded( &rec, expect, sizeof(fault) + 1, __LINE__ );

    /* A Sized Envelope of 300 bytes: two-byte size 0xac 0x02. */
    memset( big, 0x56, sizeof(big) );
    expect[0] = 0x06;
    expect[1] = 0xac;
    expect[2] = 0x02;
    memcpy( expect + 3, big, sizeof(big) );
    rec = make_record( WS_NMF_SIZED_ENVELOPE, 0, 0, big, sizeof(big) );
    check_encoded( &rec, expect, sizeof(big) + 3, __LINE__ );

    /* Data chunks and the terminator. */
    hr = api->nmf_encode_chunk( &buf, "abc", 3, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_encode_chunk( &buf, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( buf.len == 5 && !memcmp( buf.data, "\x03" "abc" "\x00", 5 ), "wrong chunk bytes\n" );
    hr = api->nmf_encode_chunk( &buf, NULL, 3, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Variable records need data; unknown types are refused. */
    rec = make_record( WS_NMF_VIA, 0, 0, NULL, 0 );
    hr = api->nmf_encode_record( &buf, &rec, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    rec = make_record( WS_NMF_SIZED_ENVELOPE, 0, 0, NULL, 5 );
    hr = api->nmf_encode_record( &buf, &rec, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    rec = make_record( 0x0d, 0, 0, NULL, 0 );
    hr = api->nmf_encode_record( &buf, &rec, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( buf.len == 5, "buffer changed: %lu\n", buf.len );
    api->buf_free( &buf );
}

static void test_decode_example( void )
{
    static const BYTE expect_types[] = { 0x00, 0x01, 0x02, 0x03, 0x0c };
    struct ws_nmf_record rec;
    ULONG pos = 0, used, i;
    HRESULT hr;

    for (i = 0; i < ARRAYSIZE(expect_types); i++)
    {
        hr = api->nmf_decode_record( example_preamble + pos, sizeof(example_preamble) - pos, NO_LIMIT, &rec, &used, NULL );
        ok( hr == S_OK, "record %lu: got %#lx\n", i, hr );
        if (hr != S_OK) return;
        ok( rec.type == expect_types[i], "record %lu: type %#x\n", i, rec.type );
        pos += used;
        if (rec.type == WS_NMF_VERSION) ok( rec.value[0] == 1 && !rec.value[1], "version %u.%u\n", rec.value[0], rec.value[1] );
        if (rec.type == WS_NMF_MODE) ok( rec.value[0] == WS_NMF_MODE_DUPLEX, "mode %u\n", rec.value[0] );
        if (rec.type == WS_NMF_KNOWN_ENCODING) ok( rec.value[0] == WS_NMF_SOAP12_BINARY_SESSION, "encoding %u\n", rec.value[0] );
        if (rec.type == WS_NMF_VIA)
            ok( rec.size == sizeof(example_via) - 1 && !memcmp( rec.data, example_via, rec.size ), "wrong via\n" );
    }
    ok( pos == sizeof(example_preamble), "consumed %lu\n", pos );
}

/* ---- malformed input ---- */

static void test_malformed( void )
{
    static const struct
    {
        const char *bytes;
        ULONG len;
        ULONG max_envelope;
        HRESULT hr;
    }
    tests[] =
    {
        { "", 0, NO_LIMIT, WS_E_INVALID_FORMAT },                        /* nothing */
        { "\x0d", 1, NO_LIMIT, WS_E_INVALID_FORMAT },                    /* reserved record types */
        { "\xff", 1, NO_LIMIT, WS_E_INVALID_FORMAT },
        { "\x00\x01", 2, NO_LIMIT, WS_E_INVALID_FORMAT },                /* truncated Version */
        { "\x01", 1, NO_LIMIT, WS_E_INVALID_FORMAT },                    /* truncated Mode */
        { "\x03", 1, NO_LIMIT, WS_E_INVALID_FORMAT },                    /* truncated Known Encoding */
        { "\x02", 1, NO_LIMIT, WS_E_INVALID_FORMAT },                    /* Via without size */
        { "\x02\x00", 2, NO_LIMIT, WS_E_INVALID_FORMAT },                /* size 0 */
        { "\x02\x05" "ab", 4, NO_LIMIT, WS_E_INVALID_FORMAT },           /* truncated payload */
        { "\x02\x80", 2, NO_LIMIT, WS_E_INVALID_FORMAT },                /* truncated size */
        { "\x02\x80\x00", 3, NO_LIMIT, WS_E_INVALID_FORMAT },            /* non-minimal size */
        { "\x02\x02\xc3\x28", 4, NO_LIMIT, WS_E_INVALID_FORMAT },        /* invalid UTF-8 Via */
        { "\x08\x01\xff", 3, NO_LIMIT, WS_E_INVALID_FORMAT },            /* invalid UTF-8 Fault */
        { "\x08\x00", 2, NO_LIMIT, WS_E_INVALID_FORMAT },                /* empty Fault */
        { "\x06\x00", 2, NO_LIMIT, WS_E_INVALID_FORMAT },                /* empty Sized Envelope */
        { "\x06\xff\xff\xff\xff\x10", 6, NO_LIMIT, WS_E_INVALID_FORMAT },/* size past 0xffffffff */
        { "\x06\x80\x80\x80\x80\x80\x01", 7, NO_LIMIT, WS_E_INVALID_FORMAT }, /* six size bytes */
        { "\x06\xff\xff\xff\xff\x0f", 6, NO_LIMIT, WS_E_QUOTA_EXCEEDED },/* larger than 0x7fffffff (note 2) */
        { "\x06\xff\xff\xff\xff\x07", 6, NO_LIMIT, WS_E_INVALID_FORMAT },/* 0x7fffffff, truncated */
        { "\x06\x01" "x", 3, 0, WS_E_INVALID_FORMAT },                  /* no envelope expected */
        { "\x06\x05" "hello", 7, 4, WS_E_QUOTA_EXCEEDED },               /* over the envelope limit */
        { "\x06\x05" "hello", 7, 5, S_OK },
        { "\x02\x81\x10", 3, NO_LIMIT, WS_E_QUOTA_EXCEEDED },            /* Via of 2049 bytes */
        { "\x04\x81\x02", 3, NO_LIMIT, WS_E_QUOTA_EXCEEDED },            /* content type of 257 bytes */
        { "\x09\x81\x02", 3, NO_LIMIT, WS_E_QUOTA_EXCEEDED },            /* upgrade name of 257 bytes */
        { "\x04\x00", 2, NO_LIMIT, WS_E_INVALID_FORMAT },
        { "\x09\x03" "ab", 4, NO_LIMIT, WS_E_INVALID_FORMAT },
    };
    struct ws_nmf_record rec;
    const BYTE *chunk;
    ULONG i, used, size;
    HRESULT hr;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        hr = api->nmf_decode_record( (const BYTE *)tests[i].bytes, tests[i].len, tests[i].max_envelope, &rec, &used, NULL );
        ok( hr == tests[i].hr, "%lu: got %#lx\n", i, hr );
    }

    hr = api->nmf_decode_chunk( (const BYTE *)"\x00", 1, NO_LIMIT, &chunk, &size, &used, NULL );
    ok( hr == S_OK && !size && used == 1, "terminator: got %#lx %lu %lu\n", hr, size, used );
    hr = api->nmf_decode_chunk( (const BYTE *)"\x02" "ab", 3, NO_LIMIT, &chunk, &size, &used, NULL );
    ok( hr == S_OK && size == 2 && used == 3 && !memcmp( chunk, "ab", 2 ), "chunk: got %#lx %lu %lu\n", hr, size, used );
    hr = api->nmf_decode_chunk( (const BYTE *)"\x03" "ab", 3, NO_LIMIT, &chunk, &size, &used, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "truncated chunk: got %#lx\n", hr );
    hr = api->nmf_decode_chunk( (const BYTE *)"\x02" "ab", 3, 1, &chunk, &size, &used, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "large chunk: got %#lx\n", hr );
    hr = api->nmf_decode_chunk( NULL, 0, NO_LIMIT, &chunk, &size, &used, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "no chunk: got %#lx\n", hr );
    hr = api->nmf_decode_record( NULL, 3, NO_LIMIT, &rec, &used, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
}

/* Garbage never crashes the decoder and gives one of the documented codes. */
static void test_garbage( void )
{
    BYTE data[64];
    struct ws_nmf_record rec;
    ULONG seed = 12345, round, i, pos, used, bad = 0;
    HRESULT hr;

    for (round = 0; round < 3000; round++)
    {
        ULONG len = round % sizeof(data);
        for (i = 0; i < len; i++)
        {
            seed = seed * 1103515245 + 12345;
            data[i] = (BYTE)(seed >> 16);
            if (i == 0) data[i] %= 0x10;   /* mostly valid record types */
        }
        for (pos = 0; pos < len; pos += used)
        {
            hr = api->nmf_decode_record( data + pos, len - pos, 64, &rec, &used, NULL );
            if (hr != S_OK)
            {
                if (hr != WS_E_INVALID_FORMAT && hr != WS_E_QUOTA_EXCEEDED) bad++;
                break;
            }
            if (!used || used > len - pos) { bad++; break; }
            if (rec.size && (rec.data < data + pos || rec.data + rec.size > data + len)) { bad++; break; }
        }
    }
    ok( !bad, "%lu bad results\n", bad );
}

static void test_faults( void )
{
    static const struct { const char *name; HRESULT hr; } tests[] =
    {
        { "EndpointNotFound", WS_E_ENDPOINT_NOT_FOUND },
        { "EndpointAccessDenied", WS_E_ENDPOINT_ACCESS_DENIED },
        { "EndpointUnavailable", WS_E_ENDPOINT_NOT_AVAILABLE },
        { "EndpointPaused", WS_E_ENDPOINT_NOT_AVAILABLE },
        { "ServiceActivationFailed", WS_E_ENDPOINT_NOT_AVAILABLE },
        { "ServerTooBusy", WS_E_ENDPOINT_TOO_BUSY },
        { "MaxMessageSizeExceededFault", WS_E_QUOTA_EXCEEDED },
        { "ContentTypeInvalid", WS_E_ENDPOINT_FAILURE },
        { "UnsupportedMode", WS_E_ENDPOINT_FAILURE },
        { "UpgradeInvalid", WS_E_ENDPOINT_FAILURE },
        { "EndpointNotFoundX", WS_E_ENDPOINT_FAILURE },
    };
    char uri[256];
    ULONG i;
    HRESULT hr;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        sprintf( uri, "%s%s", fault_ns, tests[i].name );
        hr = api->nmf_fault_to_hresult( (const BYTE *)uri, strlen( uri ) );
        ok( hr == tests[i].hr, "%s: got %#lx\n", tests[i].name, hr );
    }
    hr = api->nmf_fault_to_hresult( (const BYTE *)"urn:vendor:EndpointNotFound", 27 );
    ok( hr == WS_E_ENDPOINT_FAILURE, "vendor fault: got %#lx\n", hr );
}

/* ---- sessions ---- */

struct pair
{
    struct ws_conn *initiator, *receiver;
};

static BOOL make_pair( struct pair *pair )
{
    struct ws_conn_listener *listener;
    USHORT port;
    HRESULT hr;

    hr = api->listener_create_tcp( L"localhost", 9, 0, WS_IP_VERSION_AUTO, &listener, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) return FALSE;
    port = api->listener_port( listener );
    api->conn_create( &pair->initiator, NULL );
    api->conn_create( &pair->receiver, NULL );
    hr = api->conn_connect_tcp( pair->initiator, L"localhost", 9, port, WS_IP_VERSION_AUTO, 2000, 2000, NULL );
    ok( hr == S_OK, "connect got %#lx\n", hr );
    if (hr == S_OK) hr = api->listener_accept( listener, pair->receiver, 2000, NULL );
    ok( hr == S_OK, "accept got %#lx\n", hr );
    api->listener_free( listener );
    return hr == S_OK;
}

static void free_pair( struct pair *pair )
{
    api->conn_free( pair->initiator );
    api->conn_free( pair->receiver );
}

/* Reads exactly LEN raw bytes and compares them with EXPECT. */
static void expect_raw( struct ws_conn *conn, const void *expect, ULONG len, int line )
{
    BYTE buf[512];
    ULONG got = 0, received;
    HRESULT hr = S_OK;

    while (got < len && got < sizeof(buf))
    {
        hr = api->conn_receive( conn, buf + got, len - got, &received, 2000, NULL );
        if (hr != S_OK || !received) break;
        got += received;
    }
    ok_(__FILE__, line)( hr == S_OK && got == len, "got %#lx, %lu of %lu bytes\n", hr, got, len );
    ok_(__FILE__, line)( !memcmp( buf, expect, min( got, len ) ), "wrong bytes\n" );
}

static void send_raw( struct ws_conn *conn, const void *data, ULONG len )
{
    HRESULT hr = api->conn_send( conn, data, len, 2000, NULL );
    ok( hr == S_OK, "raw send got %#lx\n", hr );
}

static void expect_fault( struct ws_conn *conn, const char *name, int line )
{
    BYTE expect[256];
    ULONG len = strlen( fault_ns ) + strlen( name );

    expect[0] = WS_NMF_FAULT;
    expect[1] = len;
    memcpy( expect + 2, fault_ns, strlen( fault_ns ) );
    memcpy( expect + 2 + strlen( fault_ns ), name, strlen( name ) );
    expect_raw( conn, expect, len + 2, line );
}

static struct ws_nmf_preamble example_params( void )
{
    struct ws_nmf_preamble p;
    memset( &p, 0, sizeof(p) );
    p.mode = WS_NMF_MODE_DUPLEX;
    p.known_encoding = TRUE;
    p.encoding = WS_NMF_SOAP12_BINARY_SESSION;
    p.via = (const BYTE *)example_via;
    p.via_len = sizeof(example_via) - 1;
    return p;
}

struct preamble_thread
{
    struct ws_nmf_session *session;
    struct ws_nmf_preamble preamble;
    WS_ERROR *error;
    HRESULT hr;
};

static DWORD WINAPI send_preamble_thread( void *arg )
{
    struct preamble_thread *t = arg;
    t->hr = api->nmf_send_preamble( t->session, &t->preamble, 3000, t->error );
    return 0;
}

static HANDLE start_preamble( struct preamble_thread *t, struct ws_nmf_session *session, const struct ws_nmf_preamble *p )
{
    t->session = session;
    t->preamble = *p;
    t->hr = E_PENDING;
    return CreateThread( NULL, 0, send_preamble_thread, t, 0, NULL );
}

static HRESULT finish_preamble( struct preamble_thread *t, HANDLE thread )
{
    ok( !WaitForSingleObject( thread, 5000 ), "preamble still pending\n" );
    CloseHandle( thread );
    return t->hr;
}

/* A connected pair whose initiator sends the example preamble from a thread
 * (NULL if no pair); the receiver end has read it. */
static HANDLE start_initiator( struct pair *pair, struct ws_nmf_session **session, struct preamble_thread *t,
                               const struct ws_nmf_preamble *p )
{
    HANDLE thread;

    if (!make_pair( pair )) return NULL;
    api->nmf_session_create( pair->initiator, 1024, session, NULL );
    thread = start_preamble( t, *session, p );
    expect_raw( pair->receiver, example_preamble, sizeof(example_preamble), __LINE__ );
    return thread;
}

/* The initiator's bytes on the wire are the specification's, and the
 * receiver's answers drive it. */
static void test_initiator_wire( void )
{
    struct ws_nmf_preamble p = example_params();
    struct ws_nmf_session *session;
    struct preamble_thread t = { 0 };
    struct ws_buf out = { 0 };
    struct pair pair;
    HANDLE thread;
    HRESULT hr;
    BYTE fault[128];
    ULONG len;

    if (!make_pair( &pair )) return;
    api->nmf_session_create( pair.initiator, 1024, &session, NULL );

    hr = api->nmf_send_envelope( session, "x", 1, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "send before the preamble got %#lx\n", hr );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "receive before the preamble got %#lx\n", hr );

    thread = start_preamble( &t, session, &p );
    expect_raw( pair.receiver, example_preamble, sizeof(example_preamble), __LINE__ );
    ok( WaitForSingleObject( thread, 100 ) == WAIT_TIMEOUT, "did not wait for the Preamble Ack\n" );
    send_raw( pair.receiver, "\x0b", 1 );
    hr = finish_preamble( &t, thread );
    ok( hr == S_OK, "send_preamble got %#lx\n", hr );

    hr = api->nmf_send_envelope( session, "hello", 5, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    expect_raw( pair.receiver, "\x06\x05" "hello", 7, __LINE__ );

    send_raw( pair.receiver, "\x06\x03" "abc", 5 );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_OK && out.len == 3 && !memcmp( out.data, "abc", 3 ), "got %#lx %lu\n", hr, out.len );

    /* Receive timeout leaves the session usable. */
    hr = api->nmf_receive_envelope( session, &out, 100, NULL );
    ok( hr == WS_E_OPERATION_TIMED_OUT, "got %#lx\n", hr );

    hr = api->nmf_send_end( session, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    expect_raw( pair.receiver, "\x07", 1, __LINE__ );
    hr = api->nmf_send_envelope( session, "x", 1, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "send after End got %#lx\n", hr );
    send_raw( pair.receiver, "\x07", 1 );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_FALSE && !out.len, "End got %#lx %lu\n", hr, out.len );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "receive after End got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* A Fault instead of the Preamble Ack: its code, and its URI in the error. */
    WsCreateError( NULL, 0, &t.error );
    if (!(thread = start_initiator( &pair, &session, &t, &p ))) return;
    len = sprintf( (char *)fault + 2, "%sEndpointNotFound", fault_ns );
    fault[0] = WS_NMF_FAULT;
    fault[1] = len;
    send_raw( pair.receiver, fault, len + 2 );
    hr = finish_preamble( &t, thread );
    ok( hr == WS_E_ENDPOINT_NOT_FOUND, "got %#lx\n", hr );
    {
        WS_STRING str = { 0 };
        WCHAR expect[128];
        ULONG count = 0;

        WsGetErrorProperty( t.error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
        ok( count == 1, "got %lu strings\n", count );
        hr = WsGetErrorString( t.error, 0, &str );
        ok( hr == S_OK, "got %#lx\n", hr );
        swprintf( expect, ARRAYSIZE(expect), L"%hsEndpointNotFound", fault_ns );
        ok( str.length && wcsstr( str.chars, expect ) != NULL, "got %.*ls\n", (int)str.length, str.chars );
        WsFreeError( t.error );
        t.error = NULL;
    }
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Garbage instead of the Preamble Ack; then a closed connection. */
    if (!(thread = start_initiator( &pair, &session, &t, &p ))) return;
    send_raw( pair.receiver, "\x06\x01x", 3 );
    hr = finish_preamble( &t, thread );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    api->nmf_session_free( session );
    api->nmf_session_create( pair.initiator, 1024, &session, NULL );
    thread = start_preamble( &t, session, &p );
    expect_raw( pair.receiver, example_preamble, sizeof(example_preamble), __LINE__ );
    api->conn_close( pair.receiver, NULL );
    hr = finish_preamble( &t, thread );
    ok( hr == WS_E_ENDPOINT_DISCONNECTED, "got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Invalid parameters. */
    if (!make_pair( &pair )) return;
    api->nmf_session_create( pair.initiator, 1024, &session, NULL );
    p.via_len = 0;
    hr = api->nmf_send_preamble( session, &p, 1000, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    p = example_params();
    p.mode = WS_NMF_MODE_SINGLETON_SIZED;
    hr = api->nmf_send_preamble( session, &p, 1000, NULL );
    ok( hr == WS_E_NOT_SUPPORTED, "got %#lx\n", hr );
    p = example_params();
    p.encoding = 9;
    hr = api->nmf_send_preamble( session, &p, 1000, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );
}

/* A receiver session fed raw bytes. */
static struct ws_nmf_session *raw_receiver( struct pair *pair, const void *bytes, ULONG len, ULONG max_envelope,
                                            struct ws_nmf_preamble *got, HRESULT *hr )
{
    struct ws_nmf_session *session = NULL;

    if (!make_pair( pair )) return NULL;
    api->nmf_session_create( pair->receiver, max_envelope, &session, NULL );
    send_raw( pair->initiator, bytes, len );
    *hr = api->nmf_receive_preamble( session, got, 2000, NULL );
    return session;
}

static void test_receiver_wire( void )
{
    struct ws_nmf_preamble got;
    struct ws_nmf_session *session;
    struct ws_buf out = { 0 };
    struct pair pair;
    BYTE bytes[128];
    HRESULT hr;

    /* The example preamble, acknowledged, then envelopes and End. */
    if (!(session = raw_receiver( &pair, example_preamble, sizeof(example_preamble), 16, &got, &hr ))) return;
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( got.mode == WS_NMF_MODE_DUPLEX, "mode %d\n", got.mode );
    ok( got.known_encoding && got.encoding == WS_NMF_SOAP12_BINARY_SESSION, "encoding %d %u\n", got.known_encoding, got.encoding );
    ok( got.via_len == sizeof(example_via) - 1 && !memcmp( got.via, example_via, got.via_len ), "wrong via\n" );
    hr = api->nmf_send_envelope( session, "x", 1, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "send before the ack got %#lx\n", hr );
    hr = api->nmf_send_ack( session, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    expect_raw( pair.initiator, "\x0b", 1, __LINE__ );

    /* Two envelopes in one segment, then one split across segments. */
    send_raw( pair.initiator, "\x06\x02" "ab" "\x06\x03" "cde", 9 );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_OK && out.len == 2 && !memcmp( out.data, "ab", 2 ), "got %#lx %lu\n", hr, out.len );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_OK && out.len == 3 && !memcmp( out.data, "cde", 3 ), "got %#lx %lu\n", hr, out.len );
    send_raw( pair.initiator, "\x06\x04" "fg", 4 );
    Sleep( 50 );
    send_raw( pair.initiator, "hi", 2 );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_OK && out.len == 4 && !memcmp( out.data, "fghi", 4 ), "got %#lx %lu\n", hr, out.len );

    hr = api->nmf_send_envelope( session, "reply", 5, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    expect_raw( pair.initiator, "\x06\x05" "reply", 7, __LINE__ );

    /* Larger than the receiver's maximum: the documented fault, then the quota error. */
    send_raw( pair.initiator, "\x06\x11" "0123456789abcdefg", 19 );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    expect_fault( pair.initiator, "MaxMessageSizeExceededFault", __LINE__ );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "receive after a fault got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Peer's End record; then the connection closing at a record boundary and inside one. */
    if (!(session = raw_receiver( &pair, example_preamble, sizeof(example_preamble), 64, &got, &hr ))) return;
    api->nmf_send_ack( session, 1000, NULL );
    expect_raw( pair.initiator, "\x0b", 1, __LINE__ );
    send_raw( pair.initiator, "\x07", 1 );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_FALSE, "End got %#lx\n", hr );
    hr = api->nmf_send_end( session, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    expect_raw( pair.initiator, "\x07", 1, __LINE__ );
    api->nmf_session_free( session );
    free_pair( &pair );

    if (!(session = raw_receiver( &pair, example_preamble, sizeof(example_preamble), 64, &got, &hr ))) return;
    api->nmf_send_ack( session, 1000, NULL );
    /* A graceful close between records without an End record (what Wine's
     * builtin net.tcp channels do) ends the session like an End record. */
    api->conn_close( pair.initiator, NULL );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    if (!(session = raw_receiver( &pair, example_preamble, sizeof(example_preamble), 64, &got, &hr ))) return;
    api->nmf_send_ack( session, 1000, NULL );
    send_raw( pair.initiator, "\x06\x10" "abc", 5 );
    api->conn_close( pair.initiator, NULL );
    hr = api->nmf_receive_envelope( session, &out, 1000, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Wrong version: no fault (note 9). */
    memcpy( bytes, example_preamble, sizeof(example_preamble) );
    bytes[1] = 2;
    if (!(session = raw_receiver( &pair, bytes, sizeof(example_preamble), 64, &got, &hr ))) return;
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Unsupported mode: UnsupportedMode fault (note 10). */
    memcpy( bytes, example_preamble, sizeof(example_preamble) );
    bytes[4] = WS_NMF_MODE_SINGLETON_SIZED;
    if (!(session = raw_receiver( &pair, bytes, sizeof(example_preamble), 64, &got, &hr ))) return;
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    expect_fault( pair.initiator, "UnsupportedMode", __LINE__ );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Unknown known encoding: ContentTypeInvalid fault (note 16). */
    memcpy( bytes, example_preamble, sizeof(example_preamble) );
    bytes[sizeof(example_preamble) - 2] = 0x09;
    if (!(session = raw_receiver( &pair, bytes, sizeof(example_preamble), 64, &got, &hr ))) return;
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    expect_fault( pair.initiator, "ContentTypeInvalid", __LINE__ );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* An upgrade request: UpgradeInvalid fault (note 19), not supported. */
    memcpy( bytes, example_preamble, sizeof(example_preamble) - 1 );
    memcpy( bytes + sizeof(example_preamble) - 1, "\x09\x15" "application/negotiate" "\x0c", 24 );
    if (!(session = raw_receiver( &pair, bytes, sizeof(example_preamble) + 23, 64, &got, &hr ))) return;
    ok( hr == WS_E_NOT_SUPPORTED, "got %#lx\n", hr );
    expect_fault( pair.initiator, "UpgradeInvalid", __LINE__ );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* Records out of order. */
    if (!(session = raw_receiver( &pair, "\x01\x02\x00\x01\x00", 5, 64, &got, &hr ))) return;
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    api->nmf_session_free( session );
    free_pair( &pair );

    /* An extensible encoding (content type). */
    {
        static const char ct[] = "application/soap+xml";
        ULONG len = 0;
        memcpy( bytes, example_preamble, 5 + sizeof(example_via) + 1 );
        len = 5 + sizeof(example_via) + 1;
        bytes[len++] = WS_NMF_EXTENSIBLE_ENCODING;
        bytes[len++] = sizeof(ct) - 1;
        memcpy( bytes + len, ct, sizeof(ct) - 1 );
        len += sizeof(ct) - 1;
        bytes[len++] = WS_NMF_PREAMBLE_END;
        if (!(session = raw_receiver( &pair, bytes, len, 64, &got, &hr ))) return;
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( !got.known_encoding && got.content_type_len == sizeof(ct) - 1 &&
            !memcmp( got.content_type, ct, sizeof(ct) - 1 ), "wrong content type\n" );
        api->nmf_session_free( session );
        free_pair( &pair );
    }
}

/* Both ends are sessions: duplex and singleton-unsized exchanges. */
static void test_sessions( void )
{
    struct ws_nmf_preamble p = example_params(), got;
    struct ws_nmf_session *initiator, *receiver;
    struct preamble_thread t = { 0 };
    struct ws_buf out = { 0 };
    struct pair pair;
    HANDLE thread;
    HRESULT hr;
    static BYTE big[200000];
    ULONG i;

    for (i = 0; i < sizeof(big); i++) big[i] = (BYTE)(i * 7);

    if (!make_pair( &pair )) return;
    api->nmf_session_create( pair.initiator, sizeof(big), &initiator, NULL );
    api->nmf_session_create( pair.receiver, sizeof(big), &receiver, NULL );
    thread = start_preamble( &t, initiator, &p );
    hr = api->nmf_receive_preamble( receiver, &got, 2000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_send_ack( receiver, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = finish_preamble( &t, thread );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = api->nmf_send_envelope( initiator, big, sizeof(big), 2000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_receive_envelope( receiver, &out, 2000, NULL );
    ok( hr == S_OK && out.len == sizeof(big) && !memcmp( out.data, big, sizeof(big) ), "got %#lx %lu\n", hr, out.len );
    hr = api->nmf_send_envelope( receiver, "answer", 6, 2000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_receive_envelope( initiator, &out, 2000, NULL );
    ok( hr == S_OK && out.len == 6 && !memcmp( out.data, "answer", 6 ), "got %#lx %lu\n", hr, out.len );

    hr = api->nmf_send_end( initiator, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_receive_envelope( receiver, &out, 1000, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    hr = api->nmf_send_end( receiver, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_receive_envelope( initiator, &out, 1000, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    api->nmf_session_free( initiator );
    api->nmf_session_free( receiver );
    free_pair( &pair );

    /* Singleton-unsized: one Unsized Envelope (chunks, terminator) then End. */
    if (!make_pair( &pair )) return;
    api->nmf_session_create( pair.initiator, 64, &initiator, NULL );
    p.mode = WS_NMF_MODE_SINGLETON_UNSIZED;
    thread = start_preamble( &t, initiator, &p );
    {
        BYTE expect[sizeof(example_preamble)];
        memcpy( expect, example_preamble, sizeof(expect) );
        expect[4] = WS_NMF_MODE_SINGLETON_UNSIZED;
        expect_raw( pair.receiver, expect, sizeof(expect), __LINE__ );
    }
    send_raw( pair.receiver, "\x0b", 1 );
    hr = finish_preamble( &t, thread );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = api->nmf_send_envelope( initiator, "one", 3, 1000, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    expect_raw( pair.receiver, "\x05\x03" "one" "\x00\x07", 7, __LINE__ );
    hr = api->nmf_send_envelope( initiator, "two", 3, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "second message got %#lx\n", hr );
    hr = api->nmf_send_end( initiator, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "End in singleton mode got %#lx\n", hr );
    /* The reply in two chunks. */
    send_raw( pair.receiver, "\x05\x02" "ab" "\x03" "cde" "\x00\x07", 10 );
    hr = api->nmf_receive_envelope( initiator, &out, 1000, NULL );
    ok( hr == S_OK && out.len == 5 && !memcmp( out.data, "abcde", 5 ), "got %#lx %lu\n", hr, out.len );
    hr = api->nmf_receive_envelope( initiator, &out, 1000, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    api->nmf_session_free( initiator );
    free_pair( &pair );

    /* Singleton-unsized receiver: chunks over its maximum. */
    {
        BYTE bytes[sizeof(example_preamble) + 16];
        memcpy( bytes, example_preamble, sizeof(example_preamble) );
        bytes[4] = WS_NMF_MODE_SINGLETON_UNSIZED;
        if (!(receiver = raw_receiver( &pair, bytes, sizeof(example_preamble), 4, &got, &hr ))) return;
        ok( hr == S_OK && got.mode == WS_NMF_MODE_SINGLETON_UNSIZED, "got %#lx %d\n", hr, got.mode );
        api->nmf_send_ack( receiver, 1000, NULL );
        expect_raw( pair.initiator, "\x0b", 1, __LINE__ );
        send_raw( pair.initiator, "\x05\x02" "ab" "\x03" "cde" "\x00\x07", 10 );
        hr = api->nmf_receive_envelope( receiver, &out, 1000, NULL );
        ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
        expect_fault( pair.initiator, "MaxMessageSizeExceededFault", __LINE__ );
        api->nmf_session_free( receiver );
        free_pair( &pair );
    }
    api->buf_free( &out );
}

START_TEST(nmf)
{
    if (!(api = get_private_api()))
    {
        skip( "private interface not available (not our DLL)\n" );
        return;
    }
    test_encode_size();
    test_encode_records();
    test_decode_example();
    test_malformed();
    test_garbage();
    test_faults();
    test_initiator_wire();
    test_receiver_wire();
    test_sessions();
}
