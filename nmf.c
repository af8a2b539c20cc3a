/*
 * .NET Message Framing ([MC-NMF]) records for net.tcp and net.pipe
 *
 * One record decoder serves both a complete buffer (ws_nmf_decode_record)
 * and a session reading from a connection: it pulls bytes through struct
 * nmf_reader, which either ends at the buffer's end (truncated input) or
 * refills from the connection within the operation's deadline.
 */

#include "webservices_private.h"

#define NMF_RX_SIZE 16384
/* The largest EncodedSize WWSAPI accepts ([MC-NMF] note 2: 0x7fffffff). */
#define NMF_MAX_RECORD_SIZE 0x7fffffff

struct ws_nmf_session
{
    struct ws_conn *conn;
    ULONG max_envelope;
    enum ws_nmf_mode mode;
    BOOL send_allowed;
    BOOL receive_allowed;
    struct ws_buf via;              /* received preamble values */
    struct ws_buf content_type;
    struct ws_buf scratch;          /* payloads of property records */
    SRWLOCK send_lock;              /* one record on the wire at a time */
    ULONG rx_pos, rx_len;
    BYTE rx[NMF_RX_SIZE];
};

struct nmf_reader
{
    const BYTE *data;
    ULONG pos, len;
    struct ws_nmf_session *session; /* NULL: DATA is the whole input */
    ULONGLONG deadline;
    BOOL in_record;                 /* end of stream here truncates a record */
    BOOL end_allowed;               /* end of stream between records is WS_S_END */
    WS_ERROR *error;
};

/* ---- reading ------------------------------------------------------------- */

static void reader_init_session( struct nmf_reader *r, struct ws_nmf_session *session, ULONG timeout, WS_ERROR *error )
{
    r->data = session->rx;
    r->pos = session->rx_pos;
    r->len = session->rx_len;
    r->session = session;
    r->deadline = ws_deadline_after( timeout );
    r->in_record = FALSE;
    r->end_allowed = FALSE;
    r->error = error;
}

static void reader_done( struct nmf_reader *r )
{
    if (!r->session) return;
    r->session->rx_pos = r->pos;
    r->session->rx_len = r->len;
}

/* Makes at least one byte available. */
static HRESULT reader_fill( struct nmf_reader *r )
{
    ULONG received;
    HRESULT hr;

    if (r->pos < r->len) return S_OK;
    if (!r->session) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "framing record truncated at byte %lu", r->pos );
    r->pos = r->len = 0;
    if ((hr = ws_conn_receive( r->session->conn, r->session->rx, NMF_RX_SIZE, &received,
                               ws_time_left( r->deadline ), r->error )) != S_OK)
        return hr;
    if (!received)
    {
        if (r->in_record) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "connection closed inside a framing record" );
        if (r->end_allowed) return WS_S_END;
        return ws_error_set( r->error, WS_E_ENDPOINT_DISCONNECTED, "connection closed by the remote endpoint" );
    }
    r->len = received;
    return S_OK;
}

static HRESULT read_byte( struct nmf_reader *r, BYTE *byte )
{
    HRESULT hr;
    if ((hr = reader_fill( r )) != S_OK) return hr;
    *byte = r->data[r->pos++];
    return S_OK;
}

/* EncodedSize ([MC-NMF] 2.2.2 and the grammar of 3.1.1.2): 7 bits per byte,
 * low bits first, at most 5 bytes, no superfluous trailing zero byte. */
static HRESULT read_size( struct nmf_reader *r, ULONG *size )
{
    ULONG value = 0, i;
    BYTE byte;
    HRESULT hr;

    for (i = 0; i < 5; i++)
    {
        if ((hr = read_byte( r, &byte )) != S_OK) return hr;
        /* 4 bits left for the fifth byte; sizes past 0x7fffffff (the grammar's
         * %x01-07) are left to the callers' limits, which refuse them (note 2). */
        if (i == 4 && byte > 0x0f)
            return ws_error_set( r->error, WS_E_INVALID_FORMAT, "record size larger than 0xffffffff" );
        value |= (ULONG)(byte & 0x7f) << (7 * i);
        if (!(byte & 0x80))
        {
            if (i && !byte) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "record size not minimally encoded" );
            *size = value;
            return S_OK;
        }
    }
    return ws_error_set( r->error, WS_E_INVALID_FORMAT, "record size longer than 5 bytes" );
}

/* Reads SIZE payload bytes: appended to DEST when reading a session (*PTR
 * then points to them in DEST), pointed to in place for a buffer. */
static HRESULT read_payload( struct nmf_reader *r, ULONG size, struct ws_buf *dest, const BYTE **ptr )
{
    ULONG start, count;
    HRESULT hr;

    if (!r->session)
    {
        if (r->len - r->pos < size)
            return ws_error_set( r->error, WS_E_INVALID_FORMAT, "framing record truncated: %lu bytes missing",
                                 size - (r->len - r->pos) );
        *ptr = r->data + r->pos;
        r->pos += size;
        return S_OK;
    }
    if (!dest) dest = &r->session->scratch;
    start = dest->len;
    if (!ws_buf_reserve( dest, size ))
        return ws_error_set( r->error, E_OUTOFMEMORY, "cannot allocate %lu bytes for a framing record", size );
    while (size)
    {
        if ((hr = reader_fill( r )) != S_OK) return hr;
        count = min( size, r->len - r->pos );
        memcpy( dest->data + dest->len, r->data + r->pos, count );
        dest->len += count;
        r->pos += count;
        size -= count;
    }
    *ptr = dest->data + start;
    return S_OK;
}

/* A variable-size record's size and payload, with its limit. */
static HRESULT read_sized_payload( struct nmf_reader *r, const char *what, ULONG max, BOOL utf8, struct ws_buf *dest,
                                   struct ws_nmf_record *rec )
{
    HRESULT hr;

    if ((hr = read_size( r, &rec->size )) != S_OK) return hr;
    if (!rec->size) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "%s record of size 0", what );
    if (rec->size > max)
        return ws_error_set( r->error, WS_E_QUOTA_EXCEEDED, "%s record of %lu bytes exceeds the limit of %lu",
                             what, rec->size, max );
    if ((hr = read_payload( r, rec->size, dest, &rec->data )) != S_OK) return hr;
    if (utf8 && !ws_utf8_is_valid( rec->data, rec->size ))
        return ws_error_set( r->error, WS_E_INVALID_FORMAT, "%s record is not valid UTF-8", what );
    return S_OK;
}

/* The UTF-8 payloads of property and fault records, with WWSAPI's limits. */
static const struct
{
    BYTE type;
    const char *name;
    ULONG max;
}
property_payloads[] =
{
    { WS_NMF_VIA, "Via", WS_NMF_MAX_VIA_SIZE },
    { WS_NMF_EXTENSIBLE_ENCODING, "Extensible Encoding", WS_NMF_MAX_CONTENT_TYPE_SIZE },
    { WS_NMF_FAULT, "Fault", WS_NMF_MAX_FAULT_SIZE },
    { WS_NMF_UPGRADE_REQUEST, "Upgrade Request", WS_NMF_MAX_UPGRADE_SIZE },
};

static HRESULT read_property_payload( struct nmf_reader *r, BYTE type, struct ws_buf *dest, struct ws_nmf_record *rec )
{
    ULONG i = 0;
    while (property_payloads[i].type != type) i++;
    return read_sized_payload( r, property_payloads[i].name, property_payloads[i].max, TRUE, dest, rec );
}

static HRESULT read_record( struct nmf_reader *r, ULONG max_envelope, struct ws_buf *dest, struct ws_nmf_record *rec )
{
    BYTE type;
    HRESULT hr;

    memset( rec, 0, sizeof(*rec) );
    r->in_record = FALSE;
    if ((hr = read_byte( r, &type )) != S_OK) return hr;
    r->in_record = TRUE;
    rec->type = type;
    switch (type)
    {
    case WS_NMF_VERSION:
        if ((hr = read_byte( r, &rec->value[0] )) != S_OK) return hr;
        hr = read_byte( r, &rec->value[1] );
        break;
    case WS_NMF_MODE:
    case WS_NMF_KNOWN_ENCODING:
        hr = read_byte( r, &rec->value[0] );
        break;
    case WS_NMF_VIA:
    case WS_NMF_EXTENSIBLE_ENCODING:
    case WS_NMF_FAULT:
    case WS_NMF_UPGRADE_REQUEST:
        hr = read_property_payload( r, type, dest, rec );
        break;
    case WS_NMF_SIZED_ENVELOPE:
        if (!max_envelope) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "unexpected Sized Envelope record" );
        hr = read_sized_payload( r, "Sized Envelope", min( max_envelope, NMF_MAX_RECORD_SIZE ), FALSE, dest, rec );
        break;
    case WS_NMF_UNSIZED_ENVELOPE:   /* its chunks follow */
    case WS_NMF_END:
    case WS_NMF_UPGRADE_RESPONSE:
    case WS_NMF_PREAMBLE_ACK:
    case WS_NMF_PREAMBLE_END:
        break;
    default:
        return ws_error_set( r->error, WS_E_INVALID_FORMAT, "unknown framing record type 0x%02x", type );
    }
    if (hr == S_OK) r->in_record = FALSE;
    return hr;
}

/* One Data Chunk of an Unsized Envelope; *SIZE 0 for the terminator. */
static HRESULT read_chunk( struct nmf_reader *r, ULONG max_chunk, struct ws_buf *dest, const BYTE **chunk, ULONG *size )
{
    HRESULT hr;

    r->in_record = TRUE;
    *chunk = NULL;
    if ((hr = read_size( r, size )) != S_OK || !*size) return hr;
    max_chunk = min( max_chunk, NMF_MAX_RECORD_SIZE );
    if (*size > max_chunk)
        return ws_error_set( r->error, WS_E_QUOTA_EXCEEDED, "data chunk of %lu bytes exceeds the limit of %lu",
                             *size, max_chunk );
    return read_payload( r, *size, dest, chunk );
}

HRESULT ws_nmf_decode_record( const BYTE *data, ULONG len, ULONG max_envelope, struct ws_nmf_record *rec,
                              ULONG *used, WS_ERROR *error )
{
    struct nmf_reader r = { data, 0, len, NULL, 0, FALSE, FALSE, error };
    HRESULT hr;

    if (!data && len) return ws_error_set( error, E_INVALIDARG, "data is NULL" );
    if ((hr = read_record( &r, max_envelope, NULL, rec )) == S_OK) *used = r.pos;
    return hr;
}

HRESULT ws_nmf_decode_chunk( const BYTE *data, ULONG len, ULONG max_chunk, const BYTE **chunk, ULONG *size,
                             ULONG *used, WS_ERROR *error )
{
    struct nmf_reader r = { data, 0, len, NULL, 0, FALSE, FALSE, error };
    HRESULT hr;

    if (!data && len) return ws_error_set( error, E_INVALIDARG, "data is NULL" );
    if ((hr = read_chunk( &r, max_chunk, NULL, chunk, size )) == S_OK) *used = r.pos;
    return hr;
}

/* ---- encoding ------------------------------------------------------------ */

ULONG ws_nmf_encode_size( ULONG size, BYTE out[5] )
{
    ULONG count = 0;

    do
    {
        BYTE byte = size & 0x7f;
        size >>= 7;
        out[count++] = size ? byte | 0x80 : byte;
    } while (size);
    return count;
}

static BOOL append_sized( struct ws_buf *buf, BYTE type, const void *data, ULONG size )
{
    BYTE header[6];
    ULONG len = 0;

    if (type != 0xff) header[len++] = type;   /* 0xff: a Data Chunk, no type */
    len += ws_nmf_encode_size( size, header + len );
    return ws_buf_append( buf, header, len ) && ws_buf_append( buf, data, size );
}

HRESULT ws_nmf_encode_record( struct ws_buf *buf, const struct ws_nmf_record *rec, WS_ERROR *error )
{
    BYTE bytes[3];
    BOOL ok;

    bytes[0] = rec->type;
    switch (rec->type)
    {
    case WS_NMF_VERSION:
        bytes[1] = rec->value[0];
        bytes[2] = rec->value[1];
        ok = ws_buf_append( buf, bytes, 3 );
        break;
    case WS_NMF_MODE:
    case WS_NMF_KNOWN_ENCODING:
        bytes[1] = rec->value[0];
        ok = ws_buf_append( buf, bytes, 2 );
        break;
    case WS_NMF_VIA:
    case WS_NMF_EXTENSIBLE_ENCODING:
    case WS_NMF_SIZED_ENVELOPE:
    case WS_NMF_FAULT:
    case WS_NMF_UPGRADE_REQUEST:
        if (!rec->size) return ws_error_set( error, E_INVALIDARG, "record type 0x%02x needs data", rec->type );
        if (!rec->data) return ws_error_set( error, E_INVALIDARG, "record data is NULL" );
        ok = append_sized( buf, rec->type, rec->data, rec->size );
        break;
    case WS_NMF_UNSIZED_ENVELOPE:
    case WS_NMF_END:
    case WS_NMF_UPGRADE_RESPONSE:
    case WS_NMF_PREAMBLE_ACK:
    case WS_NMF_PREAMBLE_END:
        ok = ws_buf_append( buf, bytes, 1 );
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown record type 0x%02x", rec->type );
    }
    if (!ok) return ws_error_set( error, E_OUTOFMEMORY, "cannot grow the framing buffer" );
    return S_OK;
}

HRESULT ws_nmf_encode_chunk( struct ws_buf *buf, const void *data, ULONG size, WS_ERROR *error )
{
    static const BYTE terminator = 0;
    BOOL ok;

    if (size && !data) return ws_error_set( error, E_INVALIDARG, "chunk data is NULL" );
    ok = size ? append_sized( buf, 0xff, data, size ) : ws_buf_append( buf, &terminator, 1 );
    if (!ok) return ws_error_set( error, E_OUTOFMEMORY, "cannot grow the framing buffer" );
    return S_OK;
}

/* ---- faults -------------------------------------------------------------- */

static const struct
{
    const char *name;
    HRESULT hr;
}
fault_codes[] =
{
    { "EndpointNotFound", WS_E_ENDPOINT_NOT_FOUND },
    { "EndpointAccessDenied", WS_E_ENDPOINT_ACCESS_DENIED },
    { "EndpointUnavailable", WS_E_ENDPOINT_NOT_AVAILABLE },
    { "EndpointPaused", WS_E_ENDPOINT_NOT_AVAILABLE },
    { "ServiceActivationFailed", WS_E_ENDPOINT_NOT_AVAILABLE },
    { "ServerTooBusy", WS_E_ENDPOINT_TOO_BUSY },
    { "MaxMessageSizeExceededFault", WS_E_QUOTA_EXCEEDED },
};

HRESULT ws_nmf_fault_to_hresult( const BYTE *fault, ULONG size )
{
    ULONG ns_len = sizeof(WS_NMF_FAULT_NS) - 1, i;

    if (size > ns_len && !memcmp( fault, WS_NMF_FAULT_NS, ns_len ))
    {
        for (i = 0; i < ARRAYSIZE(fault_codes); i++)
            if (size - ns_len == strlen( fault_codes[i].name ) && !memcmp( fault + ns_len, fault_codes[i].name, size - ns_len ))
                return fault_codes[i].hr;
    }
    /* The endpoint answered that it could not process the request. */
    return WS_E_ENDPOINT_FAILURE;
}

static HRESULT fault_received( const struct ws_nmf_record *rec, WS_ERROR *error )
{
    return ws_error_set( error, ws_nmf_fault_to_hresult( rec->data, rec->size ), "the remote endpoint sent the fault %s",
                         debugstr_an( (const char *)rec->data, (int)rec->size ) );
}

/* ---- sessions ------------------------------------------------------------ */

HRESULT ws_nmf_session_create( struct ws_conn *conn, ULONG max_envelope, struct ws_nmf_session **ret, WS_ERROR *error )
{
    struct ws_nmf_session *session;

    if (!conn) return ws_error_set( error, E_INVALIDARG, "conn is NULL" );
    if (!(session = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*session) )))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot allocate a framing session" );
    session->conn = conn;
    session->max_envelope = max_envelope;
    InitializeSRWLock( &session->send_lock );
    *ret = session;
    return S_OK;
}

void ws_nmf_session_free( struct ws_nmf_session *session )
{
    if (!session) return;
    ws_buf_free( &session->via );
    ws_buf_free( &session->content_type );
    ws_buf_free( &session->scratch );
    HeapFree( GetProcessHeap(), 0, session );
}

static void session_close( struct ws_nmf_session *session )
{
    session->send_allowed = session->receive_allowed = FALSE;
}

/* Sends DATA then (if SIZE2) DATA2 as one unit: a receive that answers with
 * a fault must not cut into an envelope being sent by another thread. */
static HRESULT session_send( struct ws_nmf_session *session, const void *data, ULONG size, const void *data2,
                             ULONG size2, ULONG timeout, WS_ERROR *error )
{
    ULONGLONG deadline = ws_deadline_after( timeout );
    HRESULT hr;

    AcquireSRWLockExclusive( &session->send_lock );
    hr = ws_conn_send( session->conn, data, size, ws_time_left( deadline ), error );
    if (hr == S_OK && size2) hr = ws_conn_send( session->conn, data2, size2, ws_time_left( deadline ), error );
    ReleaseSRWLockExclusive( &session->send_lock );
    return hr;
}

static HRESULT send_buf( struct ws_nmf_session *session, struct ws_buf *buf, ULONG timeout, WS_ERROR *error )
{
    HRESULT hr = session_send( session, buf->data, buf->len, NULL, 0, timeout, error );
    ws_buf_free( buf );
    return hr;
}

static HRESULT send_byte( struct ws_nmf_session *session, BYTE type, ULONG timeout, WS_ERROR *error )
{
    return session_send( session, &type, 1, NULL, 0, timeout, error );
}

static BOOL mode_supported( BYTE mode )
{
    /* Singleton-Sized needs the transport to delimit the message: not over a stream. */
    return mode == WS_NMF_MODE_DUPLEX || mode == WS_NMF_MODE_SIMPLEX || mode == WS_NMF_MODE_SINGLETON_UNSIZED;
}

static BOOL mode_has_ack( enum ws_nmf_mode mode )
{
    return mode == WS_NMF_MODE_DUPLEX || mode == WS_NMF_MODE_SINGLETON_UNSIZED;
}

HRESULT ws_nmf_send_preamble( struct ws_nmf_session *session, const struct ws_nmf_preamble *preamble,
                              ULONG timeout, WS_ERROR *error )
{
    ULONGLONG deadline = ws_deadline_after( timeout );
    struct ws_buf buf = { 0 };
    struct ws_nmf_record rec = { 0 };
    struct nmf_reader r;
    HRESULT hr;

    TRACE( "%p mode %d via %s\n", session, preamble->mode, debugstr_an( (const char *)preamble->via, (int)preamble->via_len ) );
    if (!mode_supported( preamble->mode )) return ws_error_set( error, WS_E_NOT_SUPPORTED, "framing mode %d not supported", preamble->mode );
    if (!preamble->via_len || preamble->via_len > WS_NMF_MAX_VIA_SIZE)
        return ws_error_set( error, E_INVALIDARG, "via of %lu bytes", preamble->via_len );
    if (preamble->known_encoding && preamble->encoding > WS_NMF_SOAP12_BINARY_SESSION)
        return ws_error_set( error, E_INVALIDARG, "unknown encoding %u", preamble->encoding );
    if (!preamble->known_encoding && (!preamble->content_type_len || preamble->content_type_len > WS_NMF_MAX_CONTENT_TYPE_SIZE))
        return ws_error_set( error, E_INVALIDARG, "content type of %lu bytes", preamble->content_type_len );

    rec.type = WS_NMF_VERSION;
    rec.value[0] = 1;
    rec.value[1] = 0;
    hr = ws_nmf_encode_record( &buf, &rec, error );
    rec.type = WS_NMF_MODE;
    rec.value[0] = preamble->mode;
    if (hr == S_OK) hr = ws_nmf_encode_record( &buf, &rec, error );
    rec.type = WS_NMF_VIA;
    rec.data = preamble->via;
    rec.size = preamble->via_len;
    if (hr == S_OK) hr = ws_nmf_encode_record( &buf, &rec, error );
    if (preamble->known_encoding)
    {
        rec.type = WS_NMF_KNOWN_ENCODING;
        rec.value[0] = preamble->encoding;
    }
    else
    {
        rec.type = WS_NMF_EXTENSIBLE_ENCODING;
        rec.data = preamble->content_type;
        rec.size = preamble->content_type_len;
    }
    if (hr == S_OK) hr = ws_nmf_encode_record( &buf, &rec, error );
    rec.type = WS_NMF_PREAMBLE_END;
    if (hr == S_OK) hr = ws_nmf_encode_record( &buf, &rec, error );
    if (hr != S_OK)
    {
        ws_buf_free( &buf );
        return hr;
    }
    if ((hr = send_buf( session, &buf, ws_time_left( deadline ), error )) != S_OK) return hr;

    session->mode = preamble->mode;
    if (mode_has_ack( preamble->mode ))
    {
        session->scratch.len = 0;
        reader_init_session( &r, session, ws_time_left( deadline ), error );
        hr = read_record( &r, 0, &session->scratch, &rec );
        reader_done( &r );
        if (hr != S_OK) return hr;
        if (rec.type == WS_NMF_FAULT) return fault_received( &rec, error );
        if (rec.type != WS_NMF_PREAMBLE_ACK)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "expected a Preamble Ack record, got type 0x%02x", rec.type );
    }
    session->send_allowed = TRUE;
    session->receive_allowed = mode_has_ack( preamble->mode );
    return S_OK;
}

/* Reads the next record, which must be of type EXPECTED. */
static HRESULT read_expected( struct nmf_reader *r, enum ws_nmf_record_type expected, const char *name,
                              struct ws_buf *dest, struct ws_nmf_record *rec )
{
    HRESULT hr;
    if ((hr = read_record( r, 0, dest, rec )) != S_OK) return hr;
    if (rec->type != expected)
        return ws_error_set( r->error, WS_E_INVALID_FORMAT, "expected a %s record, got type 0x%02x", name, rec->type );
    return S_OK;
}

static HRESULT fault_and_fail( struct ws_nmf_session *session, struct nmf_reader *r, const char *fault,
                               HRESULT hr, const char *message )
{
    ws_nmf_send_fault( session, fault, ws_time_left( r->deadline ), NULL );
    session_close( session );
    return ws_error_set( r->error, hr, "%s", message );
}

static HRESULT receive_preamble( struct ws_nmf_session *session, struct nmf_reader *r, struct ws_nmf_preamble *preamble )
{
    struct ws_nmf_record rec;
    HRESULT hr;

    if ((hr = read_expected( r, WS_NMF_VERSION, "Version", NULL, &rec )) != S_OK) return hr;
    /* Note 9: no fault for a wrong version; note 3: the minor version is not checked. */
    if (rec.value[0] != 1) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "unsupported framing version %u.%u",
                                                rec.value[0], rec.value[1] );
    if ((hr = read_expected( r, WS_NMF_MODE, "Mode", NULL, &rec )) != S_OK) return hr;
    if (!mode_supported( rec.value[0] ))
        return fault_and_fail( session, r, "UnsupportedMode", WS_E_INVALID_FORMAT, "unsupported framing mode" );
    preamble->mode = session->mode = rec.value[0];

    session->via.len = 0;
    if ((hr = read_expected( r, WS_NMF_VIA, "Via", &session->via, &rec )) != S_OK) return hr;

    session->content_type.len = 0;
    if ((hr = read_record( r, 0, &session->content_type, &rec )) != S_OK) return hr;
    if (rec.type == WS_NMF_KNOWN_ENCODING)
    {
        if (rec.value[0] > WS_NMF_SOAP12_BINARY_SESSION)
            return fault_and_fail( session, r, "ContentTypeInvalid", WS_E_INVALID_FORMAT, "unknown known encoding" );
        preamble->known_encoding = TRUE;
        preamble->encoding = rec.value[0];
    }
    else if (rec.type != WS_NMF_EXTENSIBLE_ENCODING)
        return ws_error_set( r->error, WS_E_INVALID_FORMAT, "expected an encoding record, got type 0x%02x", rec.type );

    for (;;)
    {
        if ((hr = read_record( r, 0, &session->scratch, &rec )) != S_OK) return hr;
        if (rec.type == WS_NMF_PREAMBLE_END) break;
        if (rec.type == WS_NMF_UPGRADE_REQUEST && mode_has_ack( session->mode ))
        {
            FIXME( "upgrade %s not supported\n", debugstr_an( (const char *)rec.data, (int)rec.size ) );
            return fault_and_fail( session, r, "UpgradeInvalid", WS_E_NOT_SUPPORTED, "stream upgrades are not supported" );
        }
        return ws_error_set( r->error, WS_E_INVALID_FORMAT, "expected a Preamble End record, got type 0x%02x", rec.type );
    }

    /* The payloads live in the session's buffers, which no longer grow. */
    preamble->via = session->via.data;
    preamble->via_len = session->via.len;
    if (!preamble->known_encoding)
    {
        preamble->content_type = session->content_type.data;
        preamble->content_type_len = session->content_type.len;
    }
    return S_OK;
}

HRESULT ws_nmf_receive_preamble( struct ws_nmf_session *session, struct ws_nmf_preamble *preamble,
                                 ULONG timeout, WS_ERROR *error )
{
    struct nmf_reader r;
    HRESULT hr;

    TRACE( "%p\n", session );
    memset( preamble, 0, sizeof(*preamble) );
    session->scratch.len = 0;
    reader_init_session( &r, session, timeout, error );
    hr = receive_preamble( session, &r, preamble );
    reader_done( &r );
    if (hr != S_OK) return hr;
    session->receive_allowed = TRUE;
    /* Duplex and singleton-unsized receivers may send once they have acknowledged. */
    return S_OK;
}

HRESULT ws_nmf_send_ack( struct ws_nmf_session *session, ULONG timeout, WS_ERROR *error )
{
    HRESULT hr;

    TRACE( "%p\n", session );
    if (!session->receive_allowed || !mode_has_ack( session->mode ))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "no preamble to acknowledge" );
    if ((hr = send_byte( session, WS_NMF_PREAMBLE_ACK, timeout, error )) != S_OK) return hr;
    session->send_allowed = TRUE;
    return S_OK;
}

HRESULT ws_nmf_send_fault( struct ws_nmf_session *session, const char *name, ULONG timeout, WS_ERROR *error )
{
    struct ws_buf uri = { 0 }, buf = { 0 };
    struct ws_nmf_record rec = { 0 };
    HRESULT hr;

    rec.type = WS_NMF_FAULT;

    TRACE( "%p %s\n", session, debugstr_a( name ) );
    if (!name || !*name) return ws_error_set( error, E_INVALIDARG, "fault name is empty" );
    if (!ws_buf_append( &uri, WS_NMF_FAULT_NS, sizeof(WS_NMF_FAULT_NS) - 1 ) || !ws_buf_append( &uri, name, strlen( name ) ))
    {
        ws_buf_free( &uri );
        return ws_error_set( error, E_OUTOFMEMORY, "cannot build the fault" );
    }
    rec.data = uri.data;
    rec.size = uri.len;
    hr = ws_nmf_encode_record( &buf, &rec, error );
    ws_buf_free( &uri );
    if (hr == S_OK) hr = send_buf( session, &buf, timeout, error );
    else ws_buf_free( &buf );
    /* A fault ends the session ([MC-NMF] 3.1.4). */
    session_close( session );
    return hr;
}

/* Envelopes up to this size are sent with their header in one write. */
#define NMF_COPY_LIMIT 65536

HRESULT ws_nmf_send_envelope( struct ws_nmf_session *session, const void *data, ULONG size, ULONG timeout,
                              WS_ERROR *error )
{
    struct ws_buf buf = { 0 };
    BYTE header[6];
    ULONG len = 0;
    HRESULT hr;

    TRACE( "%p %p %lu\n", session, data, size );
    if (!session->send_allowed) return ws_error_set( error, WS_E_INVALID_OPERATION, "sending is not allowed in this session state" );
    if (!size || !data) return ws_error_set( error, E_INVALIDARG, "empty envelope" );

    if (session->mode == WS_NMF_MODE_SINGLETON_UNSIZED)
    {
        static const BYTE trailer[2] = { 0x00, WS_NMF_END };   /* terminator, End record */
        header[len++] = WS_NMF_UNSIZED_ENVELOPE;
        hr = ws_buf_append( &buf, header, len ) ? S_OK : E_OUTOFMEMORY;
        if (hr == S_OK) hr = ws_nmf_encode_chunk( &buf, data, size, error );
        if (hr == S_OK && !ws_buf_append( &buf, trailer, sizeof(trailer) )) hr = E_OUTOFMEMORY;
        if (hr != S_OK)
        {
            ws_buf_free( &buf );
            return ws_error_set( error, hr, "cannot frame the envelope" );
        }
        session->send_allowed = FALSE;
        return send_buf( session, &buf, timeout, error );
    }

    header[len++] = WS_NMF_SIZED_ENVELOPE;
    len += ws_nmf_encode_size( size, header + len );
    if (size <= NMF_COPY_LIMIT)
    {
        if (!ws_buf_append( &buf, header, len ) || !ws_buf_append( &buf, data, size ))
        {
            ws_buf_free( &buf );
            return ws_error_set( error, E_OUTOFMEMORY, "cannot frame the envelope" );
        }
        return send_buf( session, &buf, timeout, error );
    }
    return session_send( session, header, len, data, size, timeout, error );
}

/* The chunks of an Unsized Envelope then the End record. */
static HRESULT receive_unsized( struct ws_nmf_session *session, struct nmf_reader *r, struct ws_buf *out )
{
    struct ws_nmf_record rec;
    const BYTE *chunk;
    ULONG size;
    HRESULT hr;

    for (;;)
    {
        if ((hr = read_chunk( r, session->max_envelope - out->len, out, &chunk, &size )) != S_OK)
        {
            if (hr == WS_E_QUOTA_EXCEEDED)
                fault_and_fail( session, r, "MaxMessageSizeExceededFault", hr, "message too large" );
            return hr;
        }
        if (!size) break;
    }
    if (!out->len) return ws_error_set( r->error, WS_E_INVALID_FORMAT, "Unsized Envelope without data" );
    if ((hr = read_record( r, 0, &session->scratch, &rec )) != S_OK) return hr;
    if (rec.type == WS_NMF_FAULT) return fault_received( &rec, r->error );
    if (rec.type != WS_NMF_END)
        return ws_error_set( r->error, WS_E_INVALID_FORMAT, "expected an End record, got type 0x%02x", rec.type );
    session->receive_allowed = FALSE;
    return S_OK;
}

static HRESULT receive_envelope( struct ws_nmf_session *session, struct nmf_reader *r, struct ws_buf *out )
{
    BOOL sized = session->mode != WS_NMF_MODE_SINGLETON_UNSIZED;
    struct ws_nmf_record rec;
    HRESULT hr;

    /* A peer that closes its connection between records without an End
     * record (Wine's builtin does) ends the session the same way. */
    r->end_allowed = TRUE;
    hr = read_record( r, session->max_envelope, out, &rec );
    r->end_allowed = FALSE;
    if (hr == WS_S_END)
    {
        WARN( "connection closed without an End record\n" );
        session->receive_allowed = FALSE;
        out->len = 0;
        return S_FALSE;
    }
    if (hr == WS_E_QUOTA_EXCEEDED && rec.type == WS_NMF_SIZED_ENVELOPE)
        return fault_and_fail( session, r, "MaxMessageSizeExceededFault", hr, "message too large" );
    if (hr != S_OK) return hr;

    switch (rec.type)
    {
    case WS_NMF_SIZED_ENVELOPE:
        if (sized) return S_OK;
        break;
    case WS_NMF_UNSIZED_ENVELOPE:
        if (!sized) return receive_unsized( session, r, out );
        break;
    case WS_NMF_END:
        session->receive_allowed = FALSE;
        out->len = 0;
        return S_FALSE;
    case WS_NMF_FAULT:
        session_close( session );
        hr = fault_received( &rec, r->error );
        out->len = 0;
        return hr;
    default:
        break;
    }
    return ws_error_set( r->error, WS_E_INVALID_FORMAT, "unexpected record type 0x%02x instead of an envelope", rec.type );
}

HRESULT ws_nmf_receive_envelope( struct ws_nmf_session *session, struct ws_buf *out, ULONG timeout, WS_ERROR *error )
{
    struct nmf_reader r;
    HRESULT hr;

    TRACE( "%p %p %lu\n", session, out, timeout );
    if (!session->receive_allowed) return ws_error_set( error, WS_E_INVALID_OPERATION, "receiving is not allowed in this session state" );
    out->len = 0;
    session->scratch.len = 0;
    reader_init_session( &r, session, timeout, error );
    hr = receive_envelope( session, &r, out );
    reader_done( &r );
    if (FAILED(hr)) out->len = 0;
    return hr;
}

HRESULT ws_nmf_send_end( struct ws_nmf_session *session, ULONG timeout, WS_ERROR *error )
{
    HRESULT hr;

    TRACE( "%p\n", session );
    if (session->mode != WS_NMF_MODE_DUPLEX && session->mode != WS_NMF_MODE_SIMPLEX)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "End records are sent in duplex and simplex sessions only" );
    if (!session->send_allowed) return ws_error_set( error, WS_E_INVALID_OPERATION, "sending is not allowed in this session state" );
    if ((hr = send_byte( session, WS_NMF_END, timeout, error )) != S_OK) return hr;
    session->send_allowed = FALSE;
    return S_OK;
}
