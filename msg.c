/*
 * Messages (WS_MESSAGE): envelopes, headers, bodies
 *
 * A message keeps its SOAP headers in its header buffer
 * (WS_MESSAGE_PROPERTY_HEADER_BUFFER), an XML buffer on the message heap
 * holding the envelope skeleton, as the documentation describes it:
 *
 *     <s:Envelope xmlns:a="addressing ns" xmlns:s="envelope ns">
 *       <s:Header> ...the headers, in the order they were added... </s:Header>
 *       <s:Body/>
 *     </s:Envelope>
 *
 * WS_MESSAGE_PROPERTY_HEADER_POSITION is the Header element.  Headers are
 * written into the buffer with the project's writer and serializer
 * (WsWriteType) and read back with a reader positioned on them (WsReadType),
 * so every WS_TYPE the serializer knows works as a header value.
 *
 * Two more header sets live in private XML buffers on the same heap, in the
 * same form (a container element whose element children are the headers):
 *   - with WS_ADDRESSING_VERSION_TRANSPORT, the Action and To headers, which
 *     "are not transmitted as part of the SOAP envelope" but mapped to the
 *     transport by the channel (SOAPAction, the URL);
 *   - the mapped headers of WsAddMappedHeader (transport headers such as
 *     HTTP headers), whose names need not be XML names: each value is an
 *     element of the private buffer and the names are kept beside it.
 *
 * The state (WS_MESSAGE_STATE) is ws_object.state, mirrored in the property
 * values so that WsGetMessageProperty stays table-driven.
 */

#include <string.h>
#include "webservices_private.h"

#define XSTR(s) { sizeof(s) - 1, (BYTE *)(s), NULL, 0 }

static const WS_XML_STRING ns_soap11 = XSTR( "http://schemas.xmlsoap.org/soap/envelope/" );
static const WS_XML_STRING ns_soap12 = XSTR( "http://www.w3.org/2003/05/soap-envelope" );
static const WS_XML_STRING ns_empty = XSTR( "" );
static const WS_XML_STRING ns_wsa09 = XSTR( "http://schemas.xmlsoap.org/ws/2004/08/addressing" );
static const WS_XML_STRING ns_wsa10 = XSTR( "http://www.w3.org/2005/08/addressing" );
/* the namespace of the transport header set (never written to the wire) */
static const WS_XML_STRING ns_wsa_none = XSTR( "http://schemas.microsoft.com/ws/2005/05/addressing/none" );
static const WS_XML_STRING prefix_s = XSTR( "s" );
static const WS_XML_STRING prefix_a = XSTR( "a" );
static const WS_XML_STRING str_envelope = XSTR( "Envelope" );
static const WS_XML_STRING str_header = XSTR( "Header" );
static const WS_XML_STRING str_body = XSTR( "Body" );
static const WS_XML_STRING str_fault = XSTR( "Fault" );
static const WS_XML_STRING str_headers = XSTR( "Headers" );
static const WS_XML_STRING str_value = XSTR( "Value" );
static const WS_XML_STRING str_must_understand = XSTR( "mustUnderstand" );
static const WS_XML_STRING str_relay = XSTR( "relay" );
static const WS_XML_STRING str_role = XSTR( "role" );
static const WS_XML_STRING str_actor = XSTR( "actor" );
static const WS_XML_STRING str_is_ref_param = XSTR( "IsReferenceParameter" );
static const char anonymous_09[] = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
static const char anonymous_10[] = "http://www.w3.org/2005/08/addressing/anonymous";
/* SOAP roles that include the ultimate receiver (SOAP 1.1 section 4.2.2, SOAP 1.2 part 1 section 2.2) */
static const char role_next_11[] = "http://schemas.xmlsoap.org/soap/actor/next";
static const char role_next_12[] = "http://www.w3.org/2003/05/soap-envelope/role/next";
static const char role_ultimate_12[] = "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver";

/* Local names of WS_HEADER_TYPE values 1..7. */
static const WS_XML_STRING header_names[] =
{
    XSTR( "Action" ), XSTR( "To" ), XSTR( "MessageID" ), XSTR( "RelatesTo" ), XSTR( "From" ), XSTR( "ReplyTo" ),
    XSTR( "FaultTo" ),
};

/* Not documented; large enough for the headers of any message a channel buffers by default. */
#define MSG_HEAP_MAX_DEFAULT  (1 << 20)
#define MSG_HEAP_TRIM_DEFAULT (1 << 16)
/* WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS: "The default value is 64." */
#define MSG_MAX_HEADERS_DEFAULT 64

struct msg_props
{
    WS_MESSAGE_STATE state;
    WS_HEAP *heap;
    WS_ENVELOPE_VERSION env;
    WS_ADDRESSING_VERSION addr;
    WS_XML_BUFFER *header_buffer;
    WS_XML_NODE_POSITION header_pos;
    WS_XML_READER *body_reader;
    WS_XML_WRITER *body_writer;
    BOOL is_addressed;
    WS_HEAP_PROPERTIES heap_props;
    WS_XML_READER_PROPERTIES reader_props;
    WS_XML_WRITER_PROPERTIES writer_props;
    BOOL is_fault;
    ULONG max_headers;
    WS_STRING username;
    WS_BYTES encoded_cert;
    HANDLE transport_token;
    HANDLE http_token;
    HANDLE message_token;
    WS_XML_BUFFER *saml;
    WS_SECURITY_CONTEXT *security_context;
    WS_PROTECTION_LEVEL protection;
};

static const ULONG max_headers_default = MSG_MAX_HEADERS_DEFAULT;
static const WS_PROTECTION_LEVEL protection_default = WS_PROTECTION_LEVEL_NONE;
static const WS_MESSAGE_STATE state_default = WS_MESSAGE_STATE_EMPTY;

#define GET_SET (WS_PROP_GET | WS_PROP_SET)
static const struct ws_prop_desc msg_prop_desc[] =
{
    WS_PROP( WS_MESSAGE_PROPERTY_STATE, struct msg_props, state, WS_PROP_READ_ONLY, &state_default ),
    WS_PROP( WS_MESSAGE_PROPERTY_HEAP, struct msg_props, heap, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_ENVELOPE_VERSION, struct msg_props, env, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_ADDRESSING_VERSION, struct msg_props, addr, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_HEADER_BUFFER, struct msg_props, header_buffer, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_HEADER_POSITION, struct msg_props, header_pos, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_BODY_READER, struct msg_props, body_reader, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_BODY_WRITER, struct msg_props, body_writer, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_IS_ADDRESSED, struct msg_props, is_addressed, WS_PROP_READ_ONLY, NULL ),
    /* the three creation-time property sets are "used with WsCreateMessage" only */
    WS_PROP( WS_MESSAGE_PROPERTY_HEAP_PROPERTIES, struct msg_props, heap_props, WS_PROP_INIT, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_XML_READER_PROPERTIES, struct msg_props, reader_props, WS_PROP_INIT, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_XML_WRITER_PROPERTIES, struct msg_props, writer_props, WS_PROP_INIT, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_IS_FAULT, struct msg_props, is_fault, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS, struct msg_props, max_headers, WS_PROP_CREATE,
             &max_headers_default ),
    /* the security properties: set by (custom) channels, zero when no security is used */
    WS_PROP( WS_MESSAGE_PROPERTY_USERNAME, struct msg_props, username, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_ENCODED_CERT, struct msg_props, encoded_cert, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_TRANSPORT_SECURITY_WINDOWS_TOKEN, struct msg_props, transport_token, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_HTTP_HEADER_AUTH_WINDOWS_TOKEN, struct msg_props, http_token, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_MESSAGE_SECURITY_WINDOWS_TOKEN, struct msg_props, message_token, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_SAML_ASSERTION, struct msg_props, saml, GET_SET, NULL ),
    WS_PROP( WS_MESSAGE_PROPERTY_SECURITY_CONTEXT, struct msg_props, security_context, WS_PROP_READ_ONLY, NULL ),
    /* "If the channel does not use security ... the protection level is set to WS_PROTECTION_LEVEL_NONE" */
    WS_PROP( WS_MESSAGE_PROPERTY_PROTECTION_LEVEL, struct msg_props, protection, GET_SET, &protection_default ),
};

static HRESULT validate_msg_prop( ULONG id, const void *value, WS_ERROR *error )
{
    switch (id)
    {
    case WS_MESSAGE_PROPERTY_ENVELOPE_VERSION:
    {
        WS_ENVELOPE_VERSION env = *(const WS_ENVELOPE_VERSION *)value;
        if (env < WS_ENVELOPE_VERSION_SOAP_1_1 || env > WS_ENVELOPE_VERSION_NONE)
            return ws_error_set( error, E_INVALIDARG, "unknown envelope version %d", env );
        return S_OK;
    }
    case WS_MESSAGE_PROPERTY_ADDRESSING_VERSION:
    {
        WS_ADDRESSING_VERSION addr = *(const WS_ADDRESSING_VERSION *)value;
        if (addr < WS_ADDRESSING_VERSION_0_9 || addr > WS_ADDRESSING_VERSION_TRANSPORT)
            return ws_error_set( error, E_INVALIDARG, "unknown addressing version %d", addr );
        return S_OK;
    }
    case WS_MESSAGE_PROPERTY_PROTECTION_LEVEL:
    {
        WS_PROTECTION_LEVEL level = *(const WS_PROTECTION_LEVEL *)value;
        if (level < WS_PROTECTION_LEVEL_NONE || level > WS_PROTECTION_LEVEL_SIGN_AND_ENCRYPT)
            return ws_error_set( error, E_INVALIDARG, "unknown protection level %d", level );
        return S_OK;
    }
    default:
        return S_OK;
    }
}

static const struct ws_prop_table msg_prop_table = WS_PROP_TABLE( "message", msg_prop_desc, validate_msg_prop );

/* A set of headers: the element children of CONTAINER, in BUFFER. */
struct header_set
{
    WS_XML_BUFFER *buffer;
    struct ws_xml_node *container;
};

struct mapped_header
{
    WS_XML_STRING *name;
    struct ws_xml_node *value;       /* a Value element of the mapped set */
};

struct msg
{
    struct ws_object obj;                /* obj.state == props.state */
    struct msg_props props;
    void *init_props;                    /* private copy of the creation-time property sets */
    WS_XML_WRITER *hdr_writer;           /* writes into the header sets (writer properties applied) */
    WS_XML_READER *hdr_reader;           /* reads the header sets (reader properties applied) */
    struct header_set soap;              /* the Header element of the header buffer */
    struct header_set transport;         /* WS_ADDRESSING_VERSION_TRANSPORT's Action and To */
    struct header_set mapped_set;
    struct mapped_header *mapped;        /* on the message heap */
    ULONG mapped_count, mapped_size;
    struct ws_xml_node **understood;     /* WsMarkHeaderAsUnderstood/WsGetCustomHeader, process heap */
    ULONG understood_count, understood_size;
    WS_MESSAGE_DONE_CALLBACK done;
    void *done_state;
};

static inline struct msg *impl_from_handle( WS_MESSAGE *message )
{
    return (struct msg *)message;
}

static void set_state( struct msg *msg, WS_MESSAGE_STATE state )
{
    msg->obj.state = msg->props.state = state;
}

static const char *state_name( WS_MESSAGE_STATE state )
{
    static const char * const names[] = { "?", "EMPTY", "INITIALIZED", "READING", "WRITING", "DONE" };
    return (unsigned int)state < ARRAYSIZE(names) ? names[state] : "?";
}

static HRESULT check_state_not_empty( struct msg *msg, WS_ERROR *error )
{
    if (msg->props.state == WS_MESSAGE_STATE_EMPTY)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the message is empty (not initialized or read)" );
    return S_OK;
}

static HRESULT check_state( struct msg *msg, WS_MESSAGE_STATE state, WS_ERROR *error )
{
    if (msg->props.state != state)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the message is in state %s, this needs %s",
                             state_name( msg->props.state ), state_name( state ) );
    return S_OK;
}

static const WS_XML_STRING *envelope_ns( WS_ENVELOPE_VERSION env )
{
    switch (env)
    {
    case WS_ENVELOPE_VERSION_SOAP_1_1: return &ns_soap11;
    case WS_ENVELOPE_VERSION_SOAP_1_2: return &ns_soap12;
    default: return &ns_empty;
    }
}

static const WS_XML_STRING *addressing_ns( WS_ADDRESSING_VERSION addr )
{
    switch (addr)
    {
    case WS_ADDRESSING_VERSION_0_9: return &ns_wsa09;
    case WS_ADDRESSING_VERSION_1_0: return &ns_wsa10;
    default: return &ns_wsa_none;
    }
}

static BOOL xmlstr_equal( const WS_XML_STRING *a, const WS_XML_STRING *b )
{
    return a->length == b->length && !memcmp( a->bytes, b->bytes, a->length );
}

static BOOL node_is_element( const struct ws_xml_node *node )
{
    return node->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT;
}

static BOOL element_is( const struct ws_xml_node *node, const WS_XML_STRING *local, const WS_XML_STRING *ns )
{
    return node_is_element( node ) && xmlstr_equal( node->u.element.localName, local ) &&
           xmlstr_equal( node->u.element.ns, ns );
}

/* ---- internal reader and writer over the header sets ------------------------------------------ */

static HRESULT get_hdr_writer( struct msg *msg, WS_XML_BUFFER *buffer, struct ws_xml_node *pos, WS_ERROR *error )
{
    WS_XML_NODE_POSITION position = { buffer, pos };
    HRESULT hr;

    if (!msg->hdr_writer &&
        (hr = WsCreateWriter( msg->props.writer_props.properties, msg->props.writer_props.propertyCount,
                              &msg->hdr_writer, error )) != S_OK)
        return hr;
    if ((hr = WsSetOutputToBuffer( msg->hdr_writer, buffer, NULL, 0, error )) != S_OK) return hr;
    if (pos) return WsSetWriterPosition( msg->hdr_writer, &position, error );
    return S_OK;
}

static HRESULT get_hdr_reader( struct msg *msg, WS_XML_BUFFER *buffer, struct ws_xml_node *pos, WS_ERROR *error )
{
    WS_XML_NODE_POSITION position = { buffer, pos };
    HRESULT hr;

    if (!msg->hdr_reader &&
        (hr = WsCreateReader( msg->props.reader_props.properties, msg->props.reader_props.propertyCount,
                              &msg->hdr_reader, error )) != S_OK)
        return hr;
    if ((hr = WsSetInputToBuffer( msg->hdr_reader, buffer, NULL, 0, error )) != S_OK) return hr;
    if (pos) return WsSetReaderPosition( msg->hdr_reader, &position, error );
    return S_OK;
}

/* First element child of NODE. */
static struct ws_xml_node *first_element( struct ws_xml_node *node )
{
    for (node = node->first_child; node; node = node->next) if (node_is_element( node )) return node;
    return NULL;
}

static struct ws_xml_node *next_element( struct ws_xml_node *node )
{
    for (node = node->next; node; node = node->next) if (node_is_element( node )) return node;
    return NULL;
}

/* A new private buffer holding <CONTAINER/>; SET gets the container element. */
static HRESULT create_header_set( struct msg *msg, const WS_XML_STRING *container, struct header_set *set,
                                  WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsCreateXmlBuffer( msg->props.heap, NULL, 0, &set->buffer, error )) != S_OK) return hr;
    if ((hr = get_hdr_writer( msg, set->buffer, NULL, error )) != S_OK) return hr;
    if ((hr = WsWriteStartElement( msg->hdr_writer, &ns_empty, container, &ns_empty, error )) != S_OK) return hr;
    if ((hr = WsWriteEndElement( msg->hdr_writer, error )) != S_OK) return hr;
    set->container = first_element( ((struct ws_xml_buffer *)set->buffer)->root );
    return S_OK;
}

/* The header buffer: the envelope skeleton the documentation describes. */
static HRESULT create_header_buffer( struct msg *msg, WS_ERROR *error )
{
    const WS_XML_STRING *ns = envelope_ns( msg->props.env ), *prefix = ns->length ? &prefix_s : &ns_empty;
    struct ws_xml_node *envelope;
    WS_XML_WRITER *writer;
    HRESULT hr;

    if ((hr = WsCreateXmlBuffer( msg->props.heap, NULL, 0, &msg->props.header_buffer, error )) != S_OK) return hr;
    if ((hr = get_hdr_writer( msg, msg->props.header_buffer, NULL, error )) != S_OK) return hr;
    writer = msg->hdr_writer;
    if ((hr = WsWriteStartElement( writer, prefix, &str_envelope, ns, error )) != S_OK) return hr;
    if (msg->props.addr != WS_ADDRESSING_VERSION_TRANSPORT &&
        (hr = WsWriteXmlnsAttribute( writer, &prefix_a, addressing_ns( msg->props.addr ), FALSE, error )) != S_OK)
        return hr;
    if (ns->length && (hr = WsWriteXmlnsAttribute( writer, prefix, ns, FALSE, error )) != S_OK) return hr;
    if ((hr = WsWriteStartElement( writer, prefix, &str_header, ns, error )) != S_OK) return hr;
    if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    if ((hr = WsWriteStartElement( writer, prefix, &str_body, ns, error )) != S_OK) return hr;
    if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;

    envelope = first_element( ((struct ws_xml_buffer *)msg->props.header_buffer)->root );
    msg->soap.buffer = msg->props.header_buffer;
    msg->soap.container = first_element( envelope );
    msg->props.header_pos.buffer = msg->props.header_buffer;
    msg->props.header_pos.node = msg->soap.container;
    return S_OK;
}

/* The header sets a message in INITIALIZED or READING state starts with. */
static HRESULT create_header_sets( struct msg *msg, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = create_header_buffer( msg, error )) != S_OK) return hr;
    if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT &&
        (hr = create_header_set( msg, &str_headers, &msg->transport, error )) != S_OK)
        return hr;
    return S_OK;
}

/* ---- header attributes and targeting ---------------------------------------------------------- */

/* The UTF-8 text of an attribute value, whitespace-trimmed, in OUT (the caller frees it). */
static HRESULT attribute_text( const WS_XML_ATTRIBUTE *attr, struct ws_buf *out, const BYTE **text, ULONG *len,
                               WS_ERROR *error )
{
    const BYTE *p;
    ULONG n;
    HRESULT hr;

    out->len = 0;
    if (attr->value && (hr = ws_text_to_utf8( attr->value, out, error )) != S_OK) return hr;
    p = out->data;
    n = out->len;
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) { p++; n--; }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
    *text = p;
    *len = n;
    return S_OK;
}

static BOOL text_is( const BYTE *text, ULONG len, const char *s )
{
    return len == strlen( s ) && !memcmp( text, s, len );
}

/* The WS_HEADER_ATTRIBUTES of a header element, and whether it is targeted at the
 * ultimate receiver (no role/actor, or the "next" or "ultimateReceiver" role). */
static HRESULT header_attributes( const struct msg *msg, const WS_XML_ELEMENT_NODE *elem, ULONG *attrs,
                                  BOOL *targeted, WS_ERROR *error )
{
    const WS_XML_STRING *ns = envelope_ns( msg->props.env );
    struct ws_buf buf = { NULL, 0, 0 };
    HRESULT hr = S_OK;
    const BYTE *text;
    ULONG i, len;

    *attrs = 0;
    if (targeted) *targeted = TRUE;
    if (!ns->length) return S_OK;
    for (i = 0; i < elem->attributeCount && hr == S_OK; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];

        if (attr->isXmlNs || !xmlstr_equal( attr->ns, ns )) continue;
        if ((hr = attribute_text( attr, &buf, &text, &len, error )) != S_OK) break;
        if (xmlstr_equal( attr->localName, &str_must_understand ))
        {
            if (text_is( text, len, "1" ) || text_is( text, len, "true" ))
                *attrs |= WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE;
            else if (!text_is( text, len, "0" ) && !text_is( text, len, "false" ))
                hr = ws_error_set( error, WS_E_INVALID_FORMAT, "invalid mustUnderstand value %s",
                                   debugstr_an( (const char *)text, len ) );
        }
        else if (msg->props.env == WS_ENVELOPE_VERSION_SOAP_1_2 && xmlstr_equal( attr->localName, &str_relay ))
        {
            if (text_is( text, len, "1" ) || text_is( text, len, "true" )) *attrs |= WS_RELAY_HEADER_ATTRIBUTE;
        }
        else if (targeted && msg->props.env == WS_ENVELOPE_VERSION_SOAP_1_2 &&
                 xmlstr_equal( attr->localName, &str_role ))
        {
            *targeted = !len || text_is( text, len, role_next_12 ) || text_is( text, len, role_ultimate_12 );
        }
        else if (targeted && msg->props.env == WS_ENVELOPE_VERSION_SOAP_1_1 &&
                 xmlstr_equal( attr->localName, &str_actor ))
        {
            *targeted = !len || text_is( text, len, role_next_11 );
        }
    }
    ws_buf_free( &buf );
    return hr;
}

static BOOL is_understood( const struct msg *msg, const struct ws_xml_node *node )
{
    ULONG i;
    for (i = 0; i < msg->understood_count; i++) if (msg->understood[i] == node) return TRUE;
    return FALSE;
}

static HRESULT mark_understood( struct msg *msg, struct ws_xml_node *node, WS_ERROR *error )
{
    if (is_understood( msg, node )) return S_OK;
    if (msg->understood_count == msg->understood_size)
    {
        ULONG size = msg->understood_size ? msg->understood_size * 2 : 8;
        struct ws_xml_node **ptr;

        if (msg->understood) ptr = HeapReAlloc( GetProcessHeap(), 0, msg->understood, size * sizeof(*ptr) );
        else ptr = HeapAlloc( GetProcessHeap(), 0, size * sizeof(*ptr) );
        if (!ptr) return ws_error_set( error, E_OUTOFMEMORY, "no memory for %lu understood headers", size );
        msg->understood = ptr;
        msg->understood_size = size;
    }
    msg->understood[msg->understood_count++] = node;
    return S_OK;
}

/* ---- finding, writing and removing headers ---------------------------------------------------- */

/* The INDEX-th header LOCAL/NS of SET targeted at the ultimate receiver (*ret NULL when there is
 * none); with SINGLETON, more than one such header is WS_E_INVALID_FORMAT.  The scan is bounded by
 * WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS, as documented for the header access functions. */
static HRESULT find_header( const struct msg *msg, const struct header_set *set, const WS_XML_STRING *local,
                            const WS_XML_STRING *ns, ULONG index, BOOL singleton, struct ws_xml_node **ret,
                            WS_ERROR *error )
{
    struct ws_xml_node *node;
    ULONG scanned = 0, matches = 0, attrs;
    BOOL targeted;
    HRESULT hr;

    *ret = NULL;
    if (!set->container) return S_OK;
    for (node = first_element( set->container ); node; node = next_element( node ))
    {
        if (++scanned > msg->props.max_headers)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu headers (max processed headers)",
                                 msg->props.max_headers );
        if (!element_is( node, local, ns )) continue;
        if ((hr = header_attributes( msg, &node->u.element, &attrs, &targeted, error )) != S_OK) return hr;
        if (!targeted) continue;
        if (singleton && matches)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "header %s appears more than once",
                                 debugstr_xmlstr( local ) );
        if (matches++ == index && !singleton) { *ret = node; return S_OK; }
        if (singleton) *ret = node;
    }
    return S_OK;
}

/* Removes every header LOCAL/NS of SET targeted at the ultimate receiver. */
static HRESULT remove_headers( const struct msg *msg, const struct header_set *set, const WS_XML_STRING *local,
                               const WS_XML_STRING *ns, WS_ERROR *error )
{
    struct ws_xml_node *node, *next;
    ULONG attrs;
    BOOL targeted;
    HRESULT hr;

    if (!set->container) return S_OK;
    for (node = first_element( set->container ); node; node = next)
    {
        next = next_element( node );
        if (!element_is( node, local, ns )) continue;
        if ((hr = header_attributes( msg, &node->u.element, &attrs, &targeted, error )) != S_OK) return hr;
        if (targeted) ws_xml_node_remove( node );
    }
    return S_OK;
}

static HRESULT write_attribute_text( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *local,
                                     const WS_XML_STRING *ns, const char *text, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsWriteStartAttribute( writer, prefix, local, ns, FALSE, error )) != S_OK) return hr;
    if ((hr = WsWriteCharsUtf8( writer, (const BYTE *)text, strlen( text ), error )) != S_OK) return hr;
    return WsWriteEndAttribute( writer, error );
}

/* A header's content, as the serializer writes it. */
struct header_value
{
    WS_TYPE type;
    const void *desc;
    WS_WRITE_OPTION option;
    const void *value;
    ULONG size;
};

/* Writes the header PREFIX:LOCAL in NS into SET, before BEFORE (at the end when NULL), with the
 * SOAP attributes ATTRS.  On failure the set is left as it was. */
static HRESULT write_header( struct msg *msg, const struct header_set *set, const WS_XML_STRING *prefix,
                             const WS_XML_STRING *local, const WS_XML_STRING *ns, ULONG attrs,
                             const struct header_value *value, struct ws_xml_node *before, WS_ERROR *error )
{
    const WS_XML_STRING *env_ns = envelope_ns( msg->props.env );
    struct ws_xml_node *pos = before ? before : set->container->last_child, *prev = pos->prev;
    WS_XML_WRITER *writer;
    HRESULT hr;

    if ((hr = get_hdr_writer( msg, set->buffer, pos, error )) != S_OK) return hr;
    writer = msg->hdr_writer;
    if ((hr = WsWriteStartElement( writer, prefix, local, ns, error )) != S_OK) goto done;
    if (set == &msg->soap && env_ns->length)
    {
        if ((attrs & WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE) &&
            (hr = write_attribute_text( writer, &prefix_s, &str_must_understand, env_ns, "1", error )) != S_OK)
            goto done;
        if ((attrs & WS_RELAY_HEADER_ATTRIBUTE) &&
            (hr = write_attribute_text( writer, &prefix_s, &str_relay, env_ns, "1", error )) != S_OK)
            goto done;
    }
    hr = WsWriteType( writer, WS_ELEMENT_TYPE_MAPPING, value->type, value->desc, value->option, value->value,
                      value->size, error );
    if (hr == S_OK) hr = WsWriteEndElement( writer, error );

done:
    /* drop what a failed write left in the set */
    if (hr != S_OK && pos->prev != prev) ws_xml_node_remove( pos->prev );
    return hr;
}

/* Reads the value of the header NODE of SET with the serializer (element mapping). */
static HRESULT read_header( struct msg *msg, const struct header_set *set, struct ws_xml_node *node, WS_TYPE type,
                            const void *desc, WS_READ_OPTION option, WS_HEAP *heap, void *value, ULONG size,
                            WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = get_hdr_reader( msg, set->buffer, node, error )) != S_OK) return hr;
    return WsReadType( msg->hdr_reader, WS_ELEMENT_TYPE_MAPPING, type, desc, option, heap ? heap : msg->props.heap,
                       value, size, error );
}

/* What WS_READ_OPTION asks for when the value is absent. */
static HRESULT missing_value( WS_READ_OPTION option, void *value, ULONG size, const char *what, WS_ERROR *error )
{
    if (option == WS_READ_OPTIONAL_POINTER || option == WS_READ_NILLABLE_POINTER)
    {
        if (size != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, a pointer option needs %lu", size,
                                 (ULONG)sizeof(void *) );
        *(void **)value = NULL;
        return S_OK;
    }
    return ws_error_set( error, WS_E_INVALID_FORMAT, "the message has no %s header", what );
}

/* Adds the attribute PREFIX:LOCAL="VALUE" in NS to the element NODE of a buffer on HEAP. */
static HRESULT add_attribute( WS_HEAP *heap, struct ws_xml_node *node, const WS_XML_STRING *prefix,
                              const WS_XML_STRING *local, const WS_XML_STRING *ns, const WS_XML_STRING *value,
                              WS_ERROR *error )
{
    WS_XML_ELEMENT_NODE *elem = &node->u.element;
    WS_XML_ATTRIBUTE **attrs, *attr;
    WS_XML_UTF8_TEXT *text;
    HRESULT hr;

    if ((hr = ws_heap_alloc_hr( heap, (elem->attributeCount + 1) * sizeof(*attrs), (void **)&attrs, error )) != S_OK)
        return hr;
    if ((hr = ws_heap_alloc_hr( heap, sizeof(*attr), (void **)&attr, error )) != S_OK) return hr;
    if ((hr = ws_heap_alloc_hr( heap, sizeof(*text), (void **)&text, error )) != S_OK) return hr;
    memset( attr, 0, sizeof(*attr) );
    memset( text, 0, sizeof(*text) );
    text->text.textType = WS_XML_TEXT_TYPE_UTF8;
    if ((hr = ws_xml_string_copy( heap, prefix, &attr->prefix, error )) != S_OK) return hr;
    if ((hr = ws_xml_string_copy( heap, local, &attr->localName, error )) != S_OK) return hr;
    if ((hr = ws_xml_string_copy( heap, ns, &attr->ns, error )) != S_OK) return hr;
    text->value.length = value->length;
    text->value.bytes = value->bytes;
    attr->value = &text->text;
    if (elem->attributeCount) memcpy( attrs, elem->attributes, elem->attributeCount * sizeof(*attrs) );
    attrs[elem->attributeCount] = attr;
    elem->attributes = attrs;
    elem->attributeCount++;
    return S_OK;
}

/* ---- the standard headers (WS_HEADER_TYPE) ---------------------------------------------------- */

static HRESULT check_header_type( const struct msg *msg, WS_HEADER_TYPE type, WS_TYPE value_type, WS_ERROR *error )
{
    if (type < WS_ACTION_HEADER || type > WS_FAULT_TO_HEADER)
        return ws_error_set( error, E_INVALIDARG, "unknown header type %d", type );
    if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT && type != WS_ACTION_HEADER && type != WS_TO_HEADER)
        return ws_error_set( error, E_INVALIDARG, "header type %d is not supported with transport addressing", type );
    /* the WS_TYPEs WS_HEADER_TYPE lists for each header */
    switch (type)
    {
    case WS_ACTION_HEADER:
    case WS_TO_HEADER:
        if (value_type == WS_STRING_TYPE || value_type == WS_XML_STRING_TYPE || value_type == WS_WSZ_TYPE) return S_OK;
        break;
    case WS_MESSAGE_ID_HEADER:
    case WS_RELATES_TO_HEADER:
        if (value_type == WS_UNIQUE_ID_TYPE || value_type == WS_STRING_TYPE || value_type == WS_XML_STRING_TYPE ||
            value_type == WS_WSZ_TYPE)
            return S_OK;
        break;
    default:
        if (value_type == WS_ENDPOINT_ADDRESS_TYPE) return S_OK;
        break;
    }
    return ws_error_set( error, E_INVALIDARG, "header type %d cannot be used with value type %d", type, value_type );
}

/* Where a standard header lives: the SOAP headers, or the transport set. */
static const struct header_set *standard_header_set( struct msg *msg, const WS_XML_STRING **prefix,
                                                     const WS_XML_STRING **ns )
{
    if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT)
    {
        *prefix = &ns_empty;
        *ns = &ns_wsa_none;
        return &msg->transport;
    }
    *prefix = &prefix_a;
    *ns = addressing_ns( msg->props.addr );
    return &msg->soap;
}

static HRESULT set_standard_header( struct msg *msg, WS_HEADER_TYPE type, WS_TYPE value_type,
                                    WS_WRITE_OPTION option, const void *value, ULONG size, WS_ERROR *error )
{
    const WS_XML_STRING *prefix, *ns, *local = &header_names[type - 1];
    const struct header_set *set = standard_header_set( msg, &prefix, &ns );
    struct header_value hv = { value_type, NULL, option, value, size };
    WS_ENDPOINT_ADDRESS_DESCRIPTION address_desc = { msg->props.addr };
    struct ws_xml_node *old;
    ULONG attrs = 0;
    HRESULT hr;

    if ((hr = find_header( msg, set, local, ns, 0, TRUE, &old, error )) != S_OK) return hr;
    /* the serializer writes the EndpointReference form of the message's addressing version */
    if (value_type == WS_ENDPOINT_ADDRESS_TYPE) hv.desc = &address_desc;
    /* Action and To are the headers a receiver must process (WS-Addressing SOAP binding) */
    if (type == WS_ACTION_HEADER || type == WS_TO_HEADER) attrs = WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE;
    if ((hr = write_header( msg, set, prefix, local, ns, attrs, &hv, old, error )) != S_OK) return hr;
    if (old) ws_xml_node_remove( old );   /* replaced in place */
    return S_OK;
}

static HRESULT get_standard_header( struct msg *msg, WS_HEADER_TYPE type, WS_TYPE value_type,
                                    WS_READ_OPTION option, WS_HEAP *heap, void *value, ULONG size, WS_ERROR *error )
{
    const WS_XML_STRING *prefix, *ns, *local = &header_names[type - 1];
    const struct header_set *set = standard_header_set( msg, &prefix, &ns );
    WS_ENDPOINT_ADDRESS_DESCRIPTION address_desc = { msg->props.addr };
    struct ws_xml_node *node;
    HRESULT hr;

    if ((hr = find_header( msg, set, local, ns, 0, TRUE, &node, error )) != S_OK) return hr;
    if (!node) return missing_value( option, value, size, (const char *)local->bytes, error );
    return read_header( msg, set, node, value_type, value_type == WS_ENDPOINT_ADDRESS_TYPE ? &address_desc : NULL,
                        option, heap, value, size, error );
}

HRESULT WINAPI WsSetHeader( WS_MESSAGE *message, WS_HEADER_TYPE headerType, WS_TYPE valueType,
                            WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %d %d %d %p %lu %p\n", message, headerType, valueType, writeOption, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if ((hr = check_header_type( msg, headerType, valueType, error )) != S_OK) return hr;
    return set_standard_header( msg, headerType, valueType, writeOption, value, valueSize, error );
}

HRESULT WINAPI WsGetHeader( WS_MESSAGE *message, WS_HEADER_TYPE headerType, WS_TYPE valueType,
                            WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %d %d %d %p %p %lu %p\n", message, headerType, valueType, readOption, heap, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if ((hr = check_header_type( msg, headerType, valueType, error )) != S_OK) return hr;
    return get_standard_header( msg, headerType, valueType, readOption, heap, value, valueSize, error );
}

HRESULT WINAPI WsRemoveHeader( WS_MESSAGE *message, WS_HEADER_TYPE headerType, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    const WS_XML_STRING *prefix, *ns;
    const struct header_set *set;
    HRESULT hr;

    TRACE( "%p %d %p\n", message, headerType, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if (headerType < WS_ACTION_HEADER || headerType > WS_FAULT_TO_HEADER)
        return ws_error_set( error, E_INVALIDARG, "unknown header type %d", headerType );
    if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT && headerType != WS_ACTION_HEADER &&
        headerType != WS_TO_HEADER)
        return ws_error_set( error, E_INVALIDARG, "header type %d is not supported with transport addressing",
                             headerType );
    set = standard_header_set( msg, &prefix, &ns );
    return remove_headers( msg, set, &header_names[headerType - 1], ns, error );
}

/* Marks the message addressed; a non-NULL ADDRESS adds To and its reference parameters. */
static HRESULT address_message( struct msg *msg, const WS_ENDPOINT_ADDRESS *address, WS_ERROR *error )
{
    static const WS_XML_STRING str_true = XSTR( "true" );
    WS_XML_READER *reader;
    BOOL found;
    HRESULT hr;

    if (msg->props.is_addressed)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the message is already addressed" );
    if (address)
    {
        WS_STRING url = address->url;
        const char *anonymous = msg->props.addr == WS_ADDRESSING_VERSION_0_9 ? anonymous_09 : anonymous_10;
        WS_XML_STRING anon = { strlen( anonymous ), (BYTE *)anonymous, NULL, 0 };

        if (url.length && !url.chars) return ws_error_set( error, E_INVALIDARG, "address url chars are NULL" );
        /* a zero-length URL is the anonymous URL of the addressing version */
        if (!url.length && msg->props.addr != WS_ADDRESSING_VERSION_TRANSPORT)
            hr = set_standard_header( msg, WS_TO_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_VALUE, &anon,
                                      sizeof(anon), error );
        else
            hr = set_standard_header( msg, WS_TO_HEADER, WS_STRING_TYPE, WS_WRITE_REQUIRED_VALUE, &url, sizeof(url),
                                      error );
        if (hr != S_OK) return hr;
        if (address->headers)
        {
            /* each reference parameter becomes a header (WS-Addressing 1.0 marks it as one) */
            struct ws_xml_node *end = msg->soap.container->last_child;

            if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
            hr = WsSetInputToBuffer( reader, address->headers, NULL, 0, error );
            if (hr == S_OK) hr = get_hdr_writer( msg, msg->soap.buffer, end, error );
            while (hr == S_OK && (hr = WsReadToStartElement( reader, NULL, NULL, &found, error )) == S_OK && found)
            {
                if ((hr = WsCopyNode( msg->hdr_writer, reader, error )) != S_OK) break;
                if (msg->props.addr != WS_ADDRESSING_VERSION_1_0) continue;
                hr = add_attribute( msg->props.heap, end->prev, &prefix_a, &str_is_ref_param,
                                               addressing_ns( msg->props.addr ), &str_true, error );
            }
            WsFreeReader( reader );
            if (hr != S_OK) return hr;
        }
    }
    msg->props.is_addressed = TRUE;
    return S_OK;
}

HRESULT WINAPI WsAddressMessage( WS_MESSAGE *message, const WS_ENDPOINT_ADDRESS *address, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %p %p\n", message, address, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    return address_message( msg, address, error );
}

/* ---- WsInitializeMessage ---------------------------------------------------------------------- */

typedef LONG (WINAPI *uuid_create_func)( GUID * );

/* A random (version 4) GUID for MessageID headers: UuidCreate when rpcrt4 is there (the DLL
 * imports only kernel32), else a generator seeded from the clock, the process and the thread. */
static void new_guid( GUID *guid )
{
    static uuid_create_func uuid_create;
    static LONG64 counter;
    HMODULE rpcrt4;
    ULONGLONG state, words[2];
    LARGE_INTEGER now;
    int i;

    if (!uuid_create && (rpcrt4 = LoadLibraryA( "rpcrt4.dll" )))
        uuid_create = (uuid_create_func)(void *)GetProcAddress( rpcrt4, "UuidCreate" );
    if (uuid_create && !uuid_create( guid )) return;

    QueryPerformanceCounter( &now );
    state = now.QuadPart ^ ((ULONGLONG)GetCurrentProcessId() << 32) ^ GetCurrentThreadId() ^
            (ULONGLONG)InterlockedIncrement64( &counter ) * 0x9E3779B97F4A7C15ull;
    for (i = 0; i < 2; i++)
    {
        /* splitmix64 */
        ULONGLONG z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        words[i] = z ^ (z >> 31);
    }
    memcpy( guid, words, sizeof(*guid) );
    guid->Data3 = (guid->Data3 & 0x0fff) | 0x4000;
    guid->Data4[0] = (guid->Data4[0] & 0x3f) | 0x80;
}

/* Copies the headers of SRC into MSG (WS_DUPLICATE_MESSAGE). */
static HRESULT copy_headers( struct msg *msg, struct msg *src, WS_ERROR *error )
{
    struct ws_xml_node *node;
    HRESULT hr;

    if ((hr = get_hdr_writer( msg, msg->soap.buffer, msg->soap.container->last_child, error )) != S_OK) return hr;
    for (node = first_element( src->soap.container ); node; node = next_element( node ))
    {
        if ((hr = get_hdr_reader( src, src->soap.buffer, node, error )) != S_OK) return hr;
        if ((hr = WsCopyNode( msg->hdr_writer, src->hdr_reader, error )) != S_OK) return hr;
    }
    if (src->transport.container && msg->transport.container)
    {
        if ((hr = get_hdr_writer( msg, msg->transport.buffer, msg->transport.container->last_child, error )) != S_OK)
            return hr;
        for (node = first_element( src->transport.container ); node; node = next_element( node ))
        {
            if ((hr = get_hdr_reader( src, src->transport.buffer, node, error )) != S_OK) return hr;
            if ((hr = WsCopyNode( msg->hdr_writer, src->hdr_reader, error )) != S_OK) return hr;
        }
    }
    return S_OK;
}

/* WS_REPLY_MESSAGE / WS_FAULT_MESSAGE: addressed to the source's ReplyTo (or FaultTo), related
 * to its MessageID. */
static HRESULT init_reply( struct msg *msg, struct msg *src, BOOL fault, WS_ERROR *error )
{
    WS_ENDPOINT_ADDRESS *reply_to = NULL;
    WS_XML_STRING *id = NULL;
    HRESULT hr;

    if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT || src->props.addr == WS_ADDRESSING_VERSION_TRANSPORT)
        return address_message( msg, NULL, error );
    if (fault && (hr = get_standard_header( src, WS_FAULT_TO_HEADER, WS_ENDPOINT_ADDRESS_TYPE,
                                            WS_READ_OPTIONAL_POINTER, msg->props.heap, &reply_to, sizeof(reply_to),
                                            error )) != S_OK)
        return hr;
    if (!reply_to && (hr = get_standard_header( src, WS_REPLY_TO_HEADER, WS_ENDPOINT_ADDRESS_TYPE,
                                                WS_READ_OPTIONAL_POINTER, msg->props.heap, &reply_to,
                                                sizeof(reply_to), error )) != S_OK)
        return hr;
    if ((hr = get_standard_header( src, WS_MESSAGE_ID_HEADER, WS_XML_STRING_TYPE, WS_READ_OPTIONAL_POINTER,
                                   msg->props.heap, &id, sizeof(id), error )) != S_OK)
        return hr;
    /* without a ReplyTo the reply goes back on the transport's back channel (anonymous): no To */
    if ((hr = address_message( msg, reply_to, error )) != S_OK) return hr;
    if (id) return set_standard_header( msg, WS_RELATES_TO_HEADER, WS_XML_STRING_TYPE, WS_WRITE_REQUIRED_POINTER,
                                        &id, sizeof(id), error );
    return S_OK;
}

static HRESULT initialize_message( struct msg *msg, WS_MESSAGE_INITIALIZATION init, struct msg *src,
                                   WS_ERROR *error )
{
    WS_UNIQUE_ID id;
    HRESULT hr;

    if ((hr = create_header_sets( msg, error )) != S_OK) return hr;
    switch (init)
    {
    case WS_BLANK_MESSAGE:
        return S_OK;
    case WS_DUPLICATE_MESSAGE:
        return copy_headers( msg, src, error );
    case WS_REQUEST_MESSAGE:
        /* "a unique message ID is set as the MessageID header ... No other headers are added" */
        if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT) return S_OK;
        memset( &id, 0, sizeof(id) );
        new_guid( &id.guid );
        return set_standard_header( msg, WS_MESSAGE_ID_HEADER, WS_UNIQUE_ID_TYPE, WS_WRITE_REQUIRED_VALUE, &id,
                                    sizeof(id), error );
    case WS_REPLY_MESSAGE:
        return init_reply( msg, src, FALSE, error );
    case WS_FAULT_MESSAGE:
        msg->props.is_fault = TRUE;
        return init_reply( msg, src, TRUE, error );
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown initialization %d", init );
    }
}

static void reset_message( struct msg *msg );

HRESULT WINAPI WsInitializeMessage( WS_MESSAGE *message, WS_MESSAGE_INITIALIZATION initialization,
                                    WS_MESSAGE *sourceMessage, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message ), *src = NULL;
    HRESULT hr;

    TRACE( "%p %d %p %p\n", message, initialization, sourceMessage, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((unsigned int)initialization > WS_FAULT_MESSAGE)
        return ws_error_set( error, E_INVALIDARG, "unknown initialization %d", initialization );
    if (initialization == WS_DUPLICATE_MESSAGE || initialization == WS_REPLY_MESSAGE ||
        initialization == WS_FAULT_MESSAGE)
    {
        WS_CHECK_HANDLE( sourceMessage, WS_OBJECT_MESSAGE, error );
        src = impl_from_handle( sourceMessage );
        if (src == msg) return ws_error_set( error, E_INVALIDARG, "sourceMessage is the message itself" );
        if (src->props.state == WS_MESSAGE_STATE_EMPTY)
            return ws_error_set( error, E_INVALIDARG, "sourceMessage is empty" );
    }
    if ((hr = check_state( msg, WS_MESSAGE_STATE_EMPTY, error )) != S_OK) return hr;
    if ((hr = initialize_message( msg, initialization, src, error )) != S_OK)
    {
        reset_message( msg );   /* "If the function fails, then no state transitions occurs." */
        return hr;
    }
    set_state( msg, WS_MESSAGE_STATE_INITIALIZED );
    return S_OK;
}

/* ---- custom headers --------------------------------------------------------------------------- */

HRESULT WINAPI WsAddCustomHeader( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *headerDescription,
                                  WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize,
                                  ULONG headerAttributes, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    struct header_value hv;
    HRESULT hr;

    TRACE( "%p %p %d %p %lu %#lx %p\n", message, headerDescription, writeOption, value, valueSize, headerAttributes,
           error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!headerDescription) return ws_error_set( error, E_INVALIDARG, "headerDescription is NULL" );
    if (!headerDescription->elementLocalName || !headerDescription->elementNs)
        return ws_error_set( error, E_INVALIDARG, "a header needs an element name and namespace" );
    if (headerAttributes & ~(WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE | WS_RELAY_HEADER_ATTRIBUTE))
        return ws_error_set( error, E_INVALIDARG, "unknown header attributes %#lx", headerAttributes );
    if ((headerAttributes & WS_RELAY_HEADER_ATTRIBUTE) && msg->props.env != WS_ENVELOPE_VERSION_SOAP_1_2)
        return ws_error_set( error, E_INVALIDARG, "the relay attribute exists in SOAP 1.2 only" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    hv.type = headerDescription->type;
    hv.desc = headerDescription->typeDescription;
    hv.option = writeOption;
    hv.value = value;
    hv.size = valueSize;
    return write_header( msg, &msg->soap, NULL, headerDescription->elementLocalName, headerDescription->elementNs,
                         headerAttributes, &hv, NULL, error );
}

HRESULT WINAPI WsGetCustomHeader( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *customHeaderDescription,
                                  WS_REPEATING_HEADER_OPTION repeatingOption, ULONG headerIndex,
                                  WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize,
                                  ULONG *headerAttributes, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    const WS_ELEMENT_DESCRIPTION *desc = customHeaderDescription;
    struct ws_xml_node *node;
    ULONG attrs;
    HRESULT hr;

    TRACE( "%p %p %d %lu %d %p %p %lu %p %p\n", message, customHeaderDescription, repeatingOption, headerIndex,
           readOption, heap, value, valueSize, headerAttributes, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!desc) return ws_error_set( error, E_INVALIDARG, "customHeaderDescription is NULL" );
    if (!desc->elementLocalName || !desc->elementNs)
        return ws_error_set( error, E_INVALIDARG, "a header needs an element name and namespace" );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if (repeatingOption != WS_REPEATING_HEADER && repeatingOption != WS_SINGLETON_HEADER)
        return ws_error_set( error, E_INVALIDARG, "unknown repeating option %d", repeatingOption );
    if (repeatingOption == WS_SINGLETON_HEADER && headerIndex)
        return ws_error_set( error, E_INVALIDARG, "headerIndex must be 0 for a singleton header" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;

    if ((hr = find_header( msg, &msg->soap, desc->elementLocalName, desc->elementNs, headerIndex,
                           repeatingOption == WS_SINGLETON_HEADER, &node, error )) != S_OK)
        return hr;
    if (!node)
    {
        if (headerAttributes) *headerAttributes = 0;
        return missing_value( readOption, value, valueSize, (const char *)desc->elementLocalName->bytes, error );
    }
    if ((hr = header_attributes( msg, &node->u.element, &attrs, NULL, error )) != S_OK) return hr;
    if ((hr = read_header( msg, &msg->soap, node, desc->type, desc->typeDescription, readOption, heap, value,
                           valueSize, error )) != S_OK)
        return hr;
    if (headerAttributes) *headerAttributes = attrs;
    /* "Calling WsGetCustomHeader will automatically mark the particular header as understood." */
    return mark_understood( msg, node, error );
}

HRESULT WINAPI WsRemoveCustomHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName,
                                     const WS_XML_STRING *headerNs, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %s %s %p\n", message, debugstr_xmlstr( headerName ), debugstr_xmlstr( headerNs ), error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!headerName) return ws_error_set( error, E_INVALIDARG, "headerName is NULL" );
    if (!headerNs) return ws_error_set( error, E_INVALIDARG, "headerNs is NULL" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    return remove_headers( msg, &msg->soap, headerName, headerNs, error );
}

HRESULT WINAPI WsGetHeaderAttributes( WS_MESSAGE *message, WS_XML_READER *reader, ULONG *headerAttributes,
                                      WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    const WS_XML_NODE *node;
    HRESULT hr;

    TRACE( "%p %p %p %p\n", message, reader, headerAttributes, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!headerAttributes) return ws_error_set( error, E_INVALIDARG, "headerAttributes is NULL" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
    if (node->nodeType != WS_XML_NODE_TYPE_ELEMENT)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the reader is not on a header element (node type %d)",
                             node->nodeType );
    return header_attributes( msg, (const WS_XML_ELEMENT_NODE *)node, headerAttributes, NULL, error );
}

/* The header element NODE of the message's header buffer, or NULL. */
static struct ws_xml_node *header_from_position( struct msg *msg, const WS_XML_NODE_POSITION *pos )
{
    struct ws_xml_node *node;

    if (pos->buffer != msg->soap.buffer || !msg->soap.container) return NULL;
    for (node = first_element( msg->soap.container ); node; node = next_element( node ))
        if (node == pos->node) return node;
    return NULL;
}

HRESULT WINAPI WsMarkHeaderAsUnderstood( WS_MESSAGE *message, const WS_XML_NODE_POSITION *headerPosition,
                                         WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    struct ws_xml_node *node;
    HRESULT hr;

    TRACE( "%p %p %p\n", message, headerPosition, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!headerPosition) return ws_error_set( error, E_INVALIDARG, "headerPosition is NULL" );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_READING, error )) != S_OK) return hr;
    if (!(node = header_from_position( msg, headerPosition )))
        return ws_error_set( error, E_INVALIDARG, "the position is not a header of the message" );
    return mark_understood( msg, node, error );
}

/* Whether NODE is one of the WS_HEADER_TYPE headers of the message's addressing version. */
static BOOL is_standard_header( const struct msg *msg, const struct ws_xml_node *node )
{
    const WS_XML_STRING *ns = addressing_ns( msg->props.addr );
    ULONG i;

    if (msg->props.addr == WS_ADDRESSING_VERSION_TRANSPORT) return FALSE;
    if (!xmlstr_equal( node->u.element.ns, ns )) return FALSE;
    for (i = 0; i < ARRAYSIZE(header_names); i++)
        if (xmlstr_equal( node->u.element.localName, &header_names[i] )) return TRUE;
    return FALSE;
}

HRESULT WINAPI WsCheckMustUnderstandHeaders( WS_MESSAGE *message, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    struct ws_xml_node *node;
    ULONG attrs;
    BOOL targeted;
    HRESULT hr;

    TRACE( "%p %p\n", message, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_READING, error )) != S_OK) return hr;
    for (node = first_element( msg->soap.container ); node; node = next_element( node ))
    {
        if ((hr = header_attributes( msg, &node->u.element, &attrs, &targeted, error )) != S_OK) return hr;
        if (!targeted || !(attrs & WS_MUST_UNDERSTAND_HEADER_ATTRIBUTE)) continue;
        if (is_standard_header( msg, node ) || is_understood( msg, node )) continue;
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the header {%.*s}%.*s was not understood",
                             (int)node->u.element.ns->length, (const char *)node->u.element.ns->bytes,
                             (int)node->u.element.localName->length, (const char *)node->u.element.localName->bytes );
    }
    return S_OK;
}

/* ---- mapped headers --------------------------------------------------------------------------- */

static HRESULT add_mapped_entry( struct msg *msg, const WS_XML_STRING *name, struct ws_xml_node *value,
                                 WS_ERROR *error )
{
    HRESULT hr;

    if (msg->mapped_count == msg->mapped_size)
    {
        ULONG size = msg->mapped_size ? msg->mapped_size * 2 : 8;
        struct mapped_header *ptr;

        if (!(ptr = ws_heap_realloc( msg->props.heap, msg->mapped, msg->mapped_size * sizeof(*ptr),
                                     size * sizeof(*ptr) )))
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "no room for %lu mapped headers", size );
        msg->mapped = ptr;
        msg->mapped_size = size;
    }
    if ((hr = ws_xml_string_copy( msg->props.heap, name, &msg->mapped[msg->mapped_count].name, error )) != S_OK)
        return hr;
    msg->mapped[msg->mapped_count++].value = value;
    return S_OK;
}

HRESULT WINAPI WsAddMappedHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName, WS_TYPE valueType,
                                  WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    struct header_value hv = { valueType, NULL, writeOption, value, valueSize };
    HRESULT hr;

    TRACE( "%p %s %d %d %p %lu %p\n", message, debugstr_xmlstr( headerName ), valueType, writeOption, value,
           valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!headerName || !headerName->length) return ws_error_set( error, E_INVALIDARG, "headerName is NULL or empty" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if (!msg->mapped_set.container && (hr = create_header_set( msg, &str_headers, &msg->mapped_set, error )) != S_OK)
        return hr;
    if ((hr = write_header( msg, &msg->mapped_set, &ns_empty, &str_value, &ns_empty, 0, &hv, NULL, error )) != S_OK)
        return hr;
    if ((hr = add_mapped_entry( msg, headerName, msg->mapped_set.container->last_child->prev, error )) != S_OK)
    {
        ws_xml_node_remove( msg->mapped_set.container->last_child->prev );
        return hr;
    }
    return S_OK;
}

/* The INDEX-th mapped header named NAME (or any name when NAME is NULL); see find_header. */
static HRESULT find_mapped( struct msg *msg, const WS_XML_STRING *name, ULONG index, BOOL singleton,
                            struct mapped_header **ret, WS_ERROR *error )
{
    ULONG i, matches = 0;

    *ret = NULL;
    for (i = 0; i < msg->mapped_count; i++)
    {
        if (i >= msg->props.max_headers)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu headers (max processed headers)",
                                 msg->props.max_headers );
        /* transport header names (HTTP) are case-insensitive */
        if (name && (msg->mapped[i].name->length != name->length ||
                     _strnicmp( (const char *)msg->mapped[i].name->bytes, (const char *)name->bytes, name->length )))
            continue;
        if (singleton && matches)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "mapped header %s appears more than once",
                                 debugstr_xmlstr( name ) );
        if (matches++ == index && !singleton) { *ret = &msg->mapped[i]; return S_OK; }
        if (singleton) *ret = &msg->mapped[i];
    }
    return S_OK;
}

HRESULT WINAPI WsGetMappedHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName,
                                  WS_REPEATING_HEADER_OPTION repeatingOption, ULONG headerIndex, WS_TYPE valueType,
                                  WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize,
                                  WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    struct mapped_header *header;
    HRESULT hr;

    TRACE( "%p %s %d %lu %d %d %p %p %lu %p\n", message, debugstr_xmlstr( headerName ), repeatingOption, headerIndex,
           valueType, readOption, heap, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!headerName) return ws_error_set( error, E_INVALIDARG, "headerName is NULL" );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if (repeatingOption != WS_REPEATING_HEADER && repeatingOption != WS_SINGLETON_HEADER)
        return ws_error_set( error, E_INVALIDARG, "unknown repeating option %d", repeatingOption );
    if (repeatingOption == WS_SINGLETON_HEADER && headerIndex)
        return ws_error_set( error, E_INVALIDARG, "headerIndex must be 0 for a singleton header" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if ((hr = find_mapped( msg, headerName, headerIndex, repeatingOption == WS_SINGLETON_HEADER, &header,
                           error )) != S_OK)
        return hr;
    if (!header) return missing_value( readOption, value, valueSize, "mapped", error );
    return read_header( msg, &msg->mapped_set, header->value, valueType, NULL, readOption, heap, value, valueSize,
                        error );
}

HRESULT WINAPI WsRemoveMappedHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    ULONG i, j;
    HRESULT hr;

    TRACE( "%p %s %p\n", message, debugstr_xmlstr( headerName ), error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!headerName) return ws_error_set( error, E_INVALIDARG, "headerName is NULL" );
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    for (i = j = 0; i < msg->mapped_count; i++)
    {
        const WS_XML_STRING *name = msg->mapped[i].name;

        if (name->length == headerName->length &&
            !_strnicmp( (const char *)name->bytes, (const char *)headerName->bytes, name->length ))
            ws_xml_node_remove( msg->mapped[i].value );
        else msg->mapped[j++] = msg->mapped[i];
    }
    msg->mapped_count = j;
    return S_OK;
}

/* ---- envelopes -------------------------------------------------------------------------------- */

/* The start of the envelope: Envelope, the Header element with the headers, the Body start tag.
 * WS_ENVELOPE_VERSION_NONE has no envelope: the body is the message. */
static HRESULT write_envelope_start( struct msg *msg, WS_XML_WRITER *writer, WS_ERROR *error )
{
    const WS_XML_STRING *ns = envelope_ns( msg->props.env );
    struct ws_xml_node *node;
    HRESULT hr;

    if (msg->props.env == WS_ENVELOPE_VERSION_NONE) return S_OK;
    if ((hr = WsWriteStartElement( writer, &prefix_s, &str_envelope, ns, error )) != S_OK) return hr;
    if (msg->props.addr != WS_ADDRESSING_VERSION_TRANSPORT &&
        (hr = WsWriteXmlnsAttribute( writer, &prefix_a, addressing_ns( msg->props.addr ), FALSE, error )) != S_OK)
        return hr;
    if ((hr = WsWriteXmlnsAttribute( writer, &prefix_s, ns, FALSE, error )) != S_OK) return hr;
    /* Header is written anew (an empty one as <s:Header/>), the headers copied from the buffer */
    if ((hr = WsWriteStartElement( writer, &prefix_s, &str_header, ns, error )) != S_OK) return hr;
    for (node = first_element( msg->soap.container ); node; node = next_element( node ))
    {
        if ((hr = get_hdr_reader( msg, msg->soap.buffer, node, error )) != S_OK) return hr;
        if ((hr = WsCopyNode( writer, msg->hdr_reader, error )) != S_OK) return hr;
    }
    if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    return WsWriteStartElement( writer, &prefix_s, &str_body, ns, error );
}

static HRESULT write_envelope_end( struct msg *msg, WS_XML_WRITER *writer, WS_ERROR *error )
{
    HRESULT hr;

    if (msg->props.env == WS_ENVELOPE_VERSION_NONE) return S_OK;
    if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;   /* Body */
    return WsWriteEndElement( writer, error );                          /* Envelope */
}

HRESULT WINAPI WsWriteEnvelopeStart( WS_MESSAGE *message, WS_XML_WRITER *writer, WS_MESSAGE_DONE_CALLBACK doneCallback,
                                     void *doneCallbackState, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %p %p %p %p\n", message, writer, doneCallback, doneCallbackState, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_INITIALIZED, error )) != S_OK) return hr;
    if ((hr = write_envelope_start( msg, writer, error )) != S_OK) return hr;
    msg->props.body_writer = writer;
    msg->done = doneCallback;
    msg->done_state = doneCallbackState;
    set_state( msg, WS_MESSAGE_STATE_WRITING );
    return S_OK;
}

HRESULT WINAPI WsWriteEnvelopeEnd( WS_MESSAGE *message, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %p\n", message, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_WRITING, error )) != S_OK) return hr;
    if ((hr = write_envelope_end( msg, msg->props.body_writer, error )) != S_OK) return hr;
    set_state( msg, WS_MESSAGE_STATE_DONE );
    return S_OK;
}

/* Whether the reader is on the start of LOCAL in NS (after skipping to the next element). */
static HRESULT expect_element( WS_XML_READER *reader, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                               BOOL *found, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    const WS_XML_ELEMENT_NODE *elem;
    BOOL any;
    HRESULT hr;

    *found = FALSE;
    if ((hr = WsReadToStartElement( reader, NULL, NULL, &any, error )) != S_OK) return hr;
    if (!any) return S_OK;
    if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
    elem = (const WS_XML_ELEMENT_NODE *)node;
    *found = xmlstr_equal( elem->localName, local ) && xmlstr_equal( elem->ns, ns );
    return S_OK;
}

/* Reads Envelope, the headers (copied into the header buffer) and the Body start tag, leaving the
 * reader on the body's content; IS_FAULT says whether that content starts with a Fault. */
static HRESULT read_envelope_start( struct msg *msg, WS_XML_READER *reader, WS_ERROR *error )
{
    const WS_XML_STRING *ns = envelope_ns( msg->props.env );
    const WS_XML_NODE *node;
    BOOL found;
    HRESULT hr;

    if ((hr = create_header_sets( msg, error )) != S_OK) return hr;
    if (msg->props.env == WS_ENVELOPE_VERSION_NONE) return S_OK;

    if ((hr = expect_element( reader, &str_envelope, ns, &found, error )) != S_OK) return hr;
    if (!found)
    {
        if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
        if (node->nodeType != WS_XML_NODE_TYPE_ELEMENT)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "there is no envelope" );
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the root element {%s}%s is not an envelope of namespace %s",
                             debugstr_xmlstr( ((const WS_XML_ELEMENT_NODE *)node)->ns ),
                             debugstr_xmlstr( ((const WS_XML_ELEMENT_NODE *)node)->localName ),
                             debugstr_xmlstr( ns ) );
    }
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = expect_element( reader, &str_header, ns, &found, error )) != S_OK) return hr;
    if (found)
    {
        struct ws_xml_node *end = msg->soap.container->last_child;

        if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
        if ((hr = get_hdr_writer( msg, msg->soap.buffer, end, error )) != S_OK) return hr;
        while ((hr = WsReadToStartElement( reader, NULL, NULL, &found, error )) == S_OK && found)
            if ((hr = WsCopyNode( msg->hdr_writer, reader, error )) != S_OK) return hr;
        if (hr != S_OK || (hr = WsReadEndElement( reader, error )) != S_OK) return hr;
    }
    if ((hr = expect_element( reader, &str_body, ns, &found, error )) != S_OK) return hr;
    if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "the envelope has no Body" );
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = expect_element( reader, &str_fault, ns, &msg->props.is_fault, error )) != S_OK) return hr;
    return S_OK;
}

HRESULT WINAPI WsReadEnvelopeStart( WS_MESSAGE *message, WS_XML_READER *reader, WS_MESSAGE_DONE_CALLBACK doneCallback,
                                    void *doneCallbackState, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %p %p %p %p\n", message, reader, doneCallback, doneCallbackState, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_EMPTY, error )) != S_OK) return hr;
    if ((hr = read_envelope_start( msg, reader, error )) != S_OK)
    {
        reset_message( msg );
        return hr;
    }
    msg->props.body_reader = reader;
    /* "When a message is read ... this property is set to TRUE." */
    msg->props.is_addressed = TRUE;
    msg->done = doneCallback;
    msg->done_state = doneCallbackState;
    set_state( msg, WS_MESSAGE_STATE_READING );
    return S_OK;
}

HRESULT WINAPI WsReadEnvelopeEnd( WS_MESSAGE *message, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    const WS_XML_NODE *node;
    WS_XML_READER *reader;
    BOOL found;
    HRESULT hr;

    TRACE( "%p %p\n", message, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_READING, error )) != S_OK) return hr;
    reader = msg->props.body_reader;
    if (msg->props.env != WS_ENVELOPE_VERSION_NONE)
    {
        /* the body must have been read: the next element would be unread body content */
        if ((hr = WsReadToStartElement( reader, NULL, NULL, &found, error )) != S_OK) return hr;
        if (found) return ws_error_set( error, WS_E_INVALID_FORMAT, "the body has unread elements" );
        if ((hr = WsReadEndElement( reader, error )) != S_OK) return hr;   /* Body */
        /* nothing may follow the Body (SOAP 1.2 part 1 5.1; SOAP 1.1 4.1.1 allows nothing in our profile) */
        if ((hr = WsReadToStartElement( reader, NULL, NULL, &found, error )) != S_OK) return hr;
        if (found) return ws_error_set( error, WS_E_INVALID_FORMAT, "elements follow the Body of the envelope" );
        /* the reader stays on the Envelope end tag: moving past it would make a stream reader wait
         * for data after the message */
        if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
        if (node->nodeType != WS_XML_NODE_TYPE_END_ELEMENT)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "the envelope is not closed" );
    }
    set_state( msg, WS_MESSAGE_STATE_DONE );
    return S_OK;
}

/* ---- bodies ----------------------------------------------------------------------------------- */

HRESULT WINAPI WsWriteBody( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *bodyDescription,
                            WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %p %d %p %lu %p\n", message, bodyDescription, writeOption, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (!bodyDescription) return ws_error_set( error, E_INVALIDARG, "bodyDescription is NULL" );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_WRITING, error )) != S_OK) return hr;
    return WsWriteElement( msg->props.body_writer, bodyDescription, writeOption, value, valueSize, error );
}

HRESULT WINAPI WsReadBody( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *bodyDescription,
                           WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %p %d %p %p %lu %p\n", message, bodyDescription, readOption, heap, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!bodyDescription) return ws_error_set( error, E_INVALIDARG, "bodyDescription is NULL" );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_READING, error )) != S_OK) return hr;
    return WsReadElement( msg->props.body_reader, bodyDescription, readOption, heap, value, valueSize, error );
}

HRESULT WINAPI WsFillBody( WS_MESSAGE *message, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %lu %p %p\n", message, minSize, asyncContext, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_READING, error )) != S_OK) return hr;
    return WsFillReader( msg->props.body_reader, minSize, asyncContext, error );
}

HRESULT WINAPI WsFlushBody( WS_MESSAGE *message, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    HRESULT hr;

    TRACE( "%p %lu %p %p\n", message, minSize, asyncContext, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    if ((hr = check_state( msg, WS_MESSAGE_STATE_WRITING, error )) != S_OK) return hr;
    return WsFlushWriter( msg->props.body_writer, minSize, asyncContext, error );
}

/* ---- properties ------------------------------------------------------------------------------- */

HRESULT WINAPI WsGetMessageProperty( WS_MESSAGE *message, WS_MESSAGE_PROPERTY_ID id, void *value, ULONG valueSize,
                                     WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    const struct ws_prop_desc *desc;
    HRESULT hr;

    TRACE( "%p %d %p %lu %p\n", message, id, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    /* the documented availability: STATE always, the body reader/writer while reading/writing,
     * everything else in every state but EMPTY */
    switch (id)
    {
    case WS_MESSAGE_PROPERTY_STATE:
        break;
    case WS_MESSAGE_PROPERTY_BODY_READER:
        if ((hr = check_state( msg, WS_MESSAGE_STATE_READING, error )) != S_OK) return hr;
        break;
    case WS_MESSAGE_PROPERTY_BODY_WRITER:
        if ((hr = check_state( msg, WS_MESSAGE_STATE_WRITING, error )) != S_OK) return hr;
        break;
    case WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS:   /* a creation-time setting: no state given */
        break;
    default:
        desc = ws_prop_find( &msg_prop_table, id );
        if (desc && (desc->access & WS_PROP_GET) && (hr = check_state_not_empty( msg, error )) != S_OK) return hr;
        break;
    }
    return ws_props_get( &msg_prop_table, &msg->props, id, value, valueSize, error );
}

static void close_handle( HANDLE *handle )
{
    if (*handle) CloseHandle( *handle );
    *handle = NULL;
}

/* The values WsSetMessageProperty keeps a copy of ("The function will make a copy of the value
 * specified", "will duplicate the handle specified"). */
static HRESULT copy_property( struct msg *msg, WS_MESSAGE_PROPERTY_ID id, struct msg_props *values, WS_ERROR *error )
{
    HANDLE *handle = NULL;
    HRESULT hr;

    switch (id)
    {
    case WS_MESSAGE_PROPERTY_USERNAME:
        if (values->username.length)
        {
            WCHAR *chars;
            if (!values->username.chars) return ws_error_set( error, E_INVALIDARG, "username chars are NULL" );
            if ((hr = ws_heap_alloc_hr( msg->props.heap, values->username.length * sizeof(WCHAR), (void **)&chars,
                                        error )) != S_OK)
                return hr;
            memcpy( chars, values->username.chars, values->username.length * sizeof(WCHAR) );
            values->username.chars = chars;
        }
        return S_OK;
    case WS_MESSAGE_PROPERTY_ENCODED_CERT:
        if (values->encoded_cert.length)
        {
            BYTE *bytes;
            if (!values->encoded_cert.bytes) return ws_error_set( error, E_INVALIDARG, "cert bytes are NULL" );
            if ((hr = ws_heap_alloc_hr( msg->props.heap, values->encoded_cert.length, (void **)&bytes, error )) != S_OK)
                return hr;
            memcpy( bytes, values->encoded_cert.bytes, values->encoded_cert.length );
            values->encoded_cert.bytes = bytes;
        }
        return S_OK;
    case WS_MESSAGE_PROPERTY_SAML_ASSERTION:
        if (values->saml)
        {
            WS_XML_BUFFER *copy;
            WS_XML_READER *reader;
            BOOL found;

            WS_CHECK_HANDLE( values->saml, WS_OBJECT_XML_BUFFER, error );
            if ((hr = WsCreateXmlBuffer( msg->props.heap, NULL, 0, &copy, error )) != S_OK) return hr;
            if ((hr = get_hdr_writer( msg, copy, NULL, error )) != S_OK) return hr;
            if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
            hr = WsSetInputToBuffer( reader, values->saml, NULL, 0, error );
            while (hr == S_OK && (hr = WsReadToStartElement( reader, NULL, NULL, &found, error )) == S_OK && found)
                hr = WsCopyNode( msg->hdr_writer, reader, error );
            WsFreeReader( reader );
            if (hr != S_OK) return hr;
            values->saml = copy;
        }
        return S_OK;
    case WS_MESSAGE_PROPERTY_TRANSPORT_SECURITY_WINDOWS_TOKEN: handle = &values->transport_token; break;
    case WS_MESSAGE_PROPERTY_HTTP_HEADER_AUTH_WINDOWS_TOKEN: handle = &values->http_token; break;
    case WS_MESSAGE_PROPERTY_MESSAGE_SECURITY_WINDOWS_TOKEN: handle = &values->message_token; break;
    default:
        return S_OK;
    }
    if (*handle && !DuplicateHandle( GetCurrentProcess(), *handle, GetCurrentProcess(), handle, 0, FALSE,
                                     DUPLICATE_SAME_ACCESS ))
        return ws_error_set( error, E_INVALIDARG, "cannot duplicate the token handle (error %lu)", GetLastError() );
    return S_OK;
}

HRESULT WINAPI WsSetMessageProperty( WS_MESSAGE *message, WS_MESSAGE_PROPERTY_ID id, const void *value,
                                     ULONG valueSize, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    struct msg_props values;
    HRESULT hr;

    TRACE( "%p %d %p %lu %p\n", message, id, value, valueSize, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    values = msg->props;
    if ((hr = ws_props_set( &msg_prop_table, &values, id, value, valueSize, error )) != S_OK) return hr;
    if ((hr = check_state_not_empty( msg, error )) != S_OK) return hr;
    if ((hr = copy_property( msg, id, &values, error )) != S_OK) return hr;
    switch (id)   /* a replaced token is closed */
    {
    case WS_MESSAGE_PROPERTY_TRANSPORT_SECURITY_WINDOWS_TOKEN: close_handle( &msg->props.transport_token ); break;
    case WS_MESSAGE_PROPERTY_HTTP_HEADER_AUTH_WINDOWS_TOKEN: close_handle( &msg->props.http_token ); break;
    case WS_MESSAGE_PROPERTY_MESSAGE_SECURITY_WINDOWS_TOKEN: close_handle( &msg->props.message_token ); break;
    default: break;
    }
    msg->props = values;
    return S_OK;
}

/* ---- life cycle ------------------------------------------------------------------------------- */

/* A private copy of a creation-time property set ({properties, count}) with its values. */
static SIZE_T prop_set_size( const struct ws_prop_entry *props, ULONG count )
{
    SIZE_T size = count * sizeof(*props);
    ULONG i;
    for (i = 0; i < count; i++) size += (props[i].valueSize + 7) & ~7;
    return size;
}

static BYTE *copy_prop_set( BYTE *dst, const struct ws_prop_entry *props, ULONG count, void **copy )
{
    struct ws_prop_entry *entries = (struct ws_prop_entry *)dst;
    BYTE *data = dst + count * sizeof(*props);
    ULONG i;

    for (i = 0; i < count; i++)
    {
        entries[i] = props[i];
        if (props[i].valueSize && props[i].value) memcpy( data, props[i].value, props[i].valueSize );
        entries[i].value = props[i].value ? data : NULL;
        data += (props[i].valueSize + 7) & ~7;
    }
    *copy = count ? entries : NULL;
    return data;
}

static HRESULT copy_init_props( struct msg *msg, WS_ERROR *error )
{
    const struct ws_prop_entry *reader = (const struct ws_prop_entry *)msg->props.reader_props.properties;
    const struct ws_prop_entry *writer = (const struct ws_prop_entry *)msg->props.writer_props.properties;
    ULONG reader_count = msg->props.reader_props.propertyCount, writer_count = msg->props.writer_props.propertyCount;
    void *copy;
    BYTE *p;

    if ((reader_count && !reader) || (writer_count && !writer))
        return ws_error_set( error, E_INVALIDARG, "reader or writer property array is NULL" );
    if (!reader_count && !writer_count) return S_OK;
    if (!(msg->init_props = HeapAlloc( GetProcessHeap(), 0, prop_set_size( reader, reader_count ) +
                                                           prop_set_size( writer, writer_count ) )))
        return ws_error_set( error, E_OUTOFMEMORY, "no memory for the message's reader/writer properties" );
    p = copy_prop_set( msg->init_props, reader, reader_count, &copy );
    msg->props.reader_props.properties = copy;
    copy_prop_set( p, writer, writer_count, &copy );
    msg->props.writer_props.properties = copy;
    return S_OK;
}

static HRESULT create_message( WS_ENVELOPE_VERSION env, WS_ADDRESSING_VERSION addr, const WS_MESSAGE_PROPERTY *props,
                               ULONG count, WS_MESSAGE **message, WS_ERROR *error )
{
    struct msg *msg;
    HRESULT hr;

    if (!message) return ws_error_set( error, E_INVALIDARG, "message is NULL" );
    if (env < WS_ENVELOPE_VERSION_SOAP_1_1 || env > WS_ENVELOPE_VERSION_NONE)
        return ws_error_set( error, E_INVALIDARG, "unknown envelope version %d", env );
    if (addr < WS_ADDRESSING_VERSION_0_9 || addr > WS_ADDRESSING_VERSION_TRANSPORT)
        return ws_error_set( error, E_INVALIDARG, "unknown addressing version %d", addr );
    if (env == WS_ENVELOPE_VERSION_NONE && addr != WS_ADDRESSING_VERSION_TRANSPORT)
        return ws_error_set( error, E_INVALIDARG, "a message without envelope can only use transport addressing" );
    if (!(msg = ws_object_alloc( WS_OBJECT_MESSAGE, sizeof(*msg) )))
        return ws_error_set( error, E_OUTOFMEMORY, "no memory for the message" );
    ws_props_init( &msg_prop_table, &msg->props );
    if ((hr = WS_PROPS_APPLY( &msg_prop_table, &msg->props, props, count, error )) != S_OK) goto fail;
    /* the explicit versions win over properties */
    msg->props.env = env;
    msg->props.addr = addr;
    if ((hr = copy_init_props( msg, error )) != S_OK) goto fail;
    if ((hr = ws_heap_create_with_properties( MSG_HEAP_MAX_DEFAULT, MSG_HEAP_TRIM_DEFAULT,
                                              msg->props.heap_props.properties, msg->props.heap_props.propertyCount,
                                              &msg->props.heap, error )) != S_OK)
        goto fail;
    msg->props.heap_props.properties = NULL;   /* not kept */
    msg->props.heap_props.propertyCount = 0;
    set_state( msg, WS_MESSAGE_STATE_EMPTY );
    *message = (WS_MESSAGE *)msg;
    TRACE( "created %p\n", msg );
    return S_OK;

fail:
    HeapFree( GetProcessHeap(), 0, msg->init_props );
    ws_object_free( msg );
    return hr;
}

HRESULT WINAPI WsCreateMessage( WS_ENVELOPE_VERSION envelopeVersion, WS_ADDRESSING_VERSION addressingVersion,
                                const WS_MESSAGE_PROPERTY *properties, ULONG propertyCount, WS_MESSAGE **message,
                                WS_ERROR *error )
{
    TRACE( "%d %d %p %lu %p %p\n", envelopeVersion, addressingVersion, properties, propertyCount, message, error );
    return create_message( envelopeVersion, addressingVersion, properties, propertyCount, message, error );
}

/* Back to EMPTY: the done callback runs (the reader or writer is no longer used), the heap and
 * everything on it go, the creation-time settings stay. */
static void reset_message( struct msg *msg )
{
    WS_MESSAGE_DONE_CALLBACK done = msg->done;
    struct msg_props keep = msg->props;

    msg->done = NULL;
    if (done) done( msg->done_state );
    close_handle( &msg->props.transport_token );
    close_handle( &msg->props.http_token );
    close_handle( &msg->props.message_token );
    /* the internal reader and writer may point into the heap */
    if (msg->hdr_writer) WsFreeWriter( msg->hdr_writer );
    if (msg->hdr_reader) WsFreeReader( msg->hdr_reader );
    msg->hdr_writer = NULL;
    msg->hdr_reader = NULL;
    WsResetHeap( msg->props.heap, NULL );
    HeapFree( GetProcessHeap(), 0, msg->understood );
    msg->understood = NULL;
    msg->understood_count = msg->understood_size = 0;
    memset( &msg->soap, 0, sizeof(msg->soap) );
    memset( &msg->transport, 0, sizeof(msg->transport) );
    memset( &msg->mapped_set, 0, sizeof(msg->mapped_set) );
    msg->mapped = NULL;
    msg->mapped_count = msg->mapped_size = 0;

    ws_props_init( &msg_prop_table, &msg->props );
    msg->props.heap = keep.heap;
    msg->props.env = keep.env;
    msg->props.addr = keep.addr;
    msg->props.reader_props = keep.reader_props;
    msg->props.writer_props = keep.writer_props;
    msg->props.max_headers = keep.max_headers;
    set_state( msg, WS_MESSAGE_STATE_EMPTY );
}

HRESULT WINAPI WsResetMessage( WS_MESSAGE *message, WS_ERROR *error )
{
    TRACE( "%p %p\n", message, error );
    WS_CHECK_HANDLE( message, WS_OBJECT_MESSAGE, error );
    reset_message( impl_from_handle( message ) );
    return S_OK;
}

void WINAPI WsFreeMessage( WS_MESSAGE *message )
{
    struct msg *msg = impl_from_handle( message );

    TRACE( "%p\n", message );
    if (!ws_object_is( message, WS_OBJECT_MESSAGE )) return;
    reset_message( msg );
    WsFreeHeap( msg->props.heap );
    HeapFree( GetProcessHeap(), 0, msg->init_props );
    ws_object_free( msg );
}

/* ---- for the channel layer (see webservices_private.h) ---------------------------------------- */

HRESULT ws_message_create( WS_ENVELOPE_VERSION env, WS_ADDRESSING_VERSION addr, const WS_MESSAGE_PROPERTY *props,
                           ULONG count, WS_MESSAGE **message, WS_ERROR *error )
{
    return create_message( env, addr, props, count, message, error );
}

void ws_message_get_versions( WS_MESSAGE *message, WS_ENVELOPE_VERSION *env, WS_ADDRESSING_VERSION *addr )
{
    struct msg *msg = impl_from_handle( message );
    if (env) *env = msg->props.env;
    if (addr) *addr = msg->props.addr;
}

void ws_message_get_xml_properties( WS_MESSAGE *message, WS_XML_READER_PROPERTIES *reader,
                                    WS_XML_WRITER_PROPERTIES *writer )
{
    struct msg *msg = impl_from_handle( message );
    if (reader) *reader = msg->props.reader_props;
    if (writer) *writer = msg->props.writer_props;
}

HRESULT ws_message_get_action( WS_MESSAGE *message, const WS_XML_STRING **action, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );
    WS_XML_STRING *value = NULL;
    HRESULT hr;

    *action = NULL;
    if (msg->props.state == WS_MESSAGE_STATE_EMPTY) return S_OK;
    if ((hr = get_standard_header( msg, WS_ACTION_HEADER, WS_XML_STRING_TYPE, WS_READ_OPTIONAL_POINTER, NULL, &value,
                                   sizeof(value), error )) != S_OK)
        return hr;
    *action = value;
    return S_OK;
}

ULONG ws_message_mapped_header_count( WS_MESSAGE *message )
{
    return impl_from_handle( message )->mapped_count;
}

HRESULT ws_message_get_mapped_header( WS_MESSAGE *message, ULONG index, const WS_XML_STRING **name,
                                      WS_XML_STRING *value, WS_ERROR *error )
{
    struct msg *msg = impl_from_handle( message );

    if (index >= msg->mapped_count)
        return ws_error_set( error, E_INVALIDARG, "mapped header %lu of %lu", index, msg->mapped_count );
    *name = msg->mapped[index].name;
    return read_header( msg, &msg->mapped_set, msg->mapped[index].value, WS_XML_STRING_TYPE, NULL,
                        WS_READ_REQUIRED_VALUE, NULL, value, sizeof(*value), error );
}

/* ---- channel entry points: the channel layer implements them ---------------------------------- */





