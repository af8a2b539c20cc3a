/*
 * XML reader (WS_XML_READER)
 *
 * The file has four layers:
 *   - the encoding-independent reader: input set-up, the current node, the
 *     namespace scope, quotas, navigation over XML buffers, positions and the
 *     exported read functions;
 *   - the text tokenizer (text_*), the only code that knows the text syntax;
 *     it fills the reader's current node through the small interface in
 *     "struct reader_encoding" and the scope helpers (ns_push, element_push...);
 *   - the binary tokenizer (bin_*, [MC-NBFX] records with dictionary strings
 *     from WS_XML_READER_BINARY_ENCODING's static and dynamic dictionaries),
 *     behind the same interface: typed texts (WS_XML_INT32_TEXT...) in
 *     "struct binary_value", an Array record surfaced item by item (element,
 *     text, end element) from one saved copy of its element;
 *   - the input layer: buffer and stream input and UTF-16 to UTF-8 conversion
 *     (nodes always carry UTF-8).
 *
 * Performance: the common path allocates nothing per node and copies nothing
 * it can point to.  Names, texts and attribute values point into the input;
 * only text with references is decoded, into a scratch buffer the reader
 * reuses; the attribute slots, the namespace stack and the element stack
 * live in the reader and only grow.
 */

#include <string.h>
#include "webservices_private.h"

/* ---- small growable arrays (process heap) --------------------------------- */

/* Makes room for COUNT elements of SIZE bytes in *PTR (capacity *CAP). */
static BOOL grow_array( void **ptr, ULONG *cap, ULONG count, ULONG size )
{
    ULONG new_cap;
    void *new_ptr;

    if (count <= *cap) return TRUE;
    new_cap = *cap ? *cap : 16;
    while (new_cap < count)
    {
        if (new_cap > 0x7fffffff / 2) return FALSE;
        new_cap *= 2;
    }
    if ((ULONGLONG)new_cap * size > 0x7fffffff) return FALSE;
    if (*ptr) new_ptr = HeapReAlloc( GetProcessHeap(), 0, *ptr, (SIZE_T)new_cap * size );
    else new_ptr = HeapAlloc( GetProcessHeap(), 0, (SIZE_T)new_cap * size );
    if (!new_ptr) return FALSE;
    *ptr = new_ptr;
    *cap = new_cap;
    return TRUE;
}

struct bytes
{
    BYTE *data;
    ULONG len, cap;
};

static BOOL bytes_reserve( struct bytes *b, ULONG extra )
{
    if (extra > 0x7fffffff - b->len) return FALSE;
    return grow_array( (void **)&b->data, &b->cap, b->len + extra, 1 );
}

static BOOL bytes_append( struct bytes *b, const void *data, ULONG len )
{
    if (!bytes_reserve( b, len )) return FALSE;
    if (len) memcpy( b->data + b->len, data, len );
    b->len += len;
    return TRUE;
}

static void bytes_free( struct bytes *b )
{
    HeapFree( GetProcessHeap(), 0, b->data );
    memset( b, 0, sizeof(*b) );
}

static BYTE *dup_bytes( const BYTE *src, ULONG len )
{
    BYTE *ret = HeapAlloc( GetProcessHeap(), 0, len ? len : 1 );
    if (ret && len) memcpy( ret, src, len );
    return ret;
}

/* ---- properties ------------------------------------------------------------ */

struct reader_props
{
    ULONG max_depth;
    BOOL allow_fragment;
    ULONG max_attributes;
    BOOL read_declaration;
    WS_CHARSET charset;
    ULONGLONG row;
    ULONGLONG column;
    ULONG utf8_trim_size;
    ULONG stream_buffer_size;
    BOOL in_attribute;
    ULONG stream_max_root_mime_part_size;
    ULONG stream_max_mime_headers_size;
    ULONG max_mime_parts;
    BOOL allow_invalid_char_refs;
    ULONG max_namespaces;
};

/* Defaults from the WS_XML_READER_PROPERTY_ID documentation. */
static const ULONG default_max_depth = 32;
static const ULONG default_max_attributes = 128;
static const BOOL default_read_declaration = TRUE;
static const ULONG default_utf8_trim_size = 4096;
static const ULONG default_stream_buffer_size = 4096;
static const ULONG default_root_mime_part_size = 65536;
static const ULONG default_mime_headers_size = 256;
static const ULONG default_max_mime_parts = 4096;
static const ULONG default_max_namespaces = 32;

/* CHARSET, ROW, COLUMN and IN_ATTRIBUTE describe the reader's state: the
 * reader refreshes those fields before WsGetReaderProperty reads them. */
static const struct ws_prop_desc reader_prop_desc[] =
{
    WS_PROP( WS_XML_READER_PROPERTY_MAX_DEPTH, struct reader_props, max_depth, WS_PROP_CREATE, &default_max_depth ),
    WS_PROP( WS_XML_READER_PROPERTY_ALLOW_FRAGMENT, struct reader_props, allow_fragment, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_XML_READER_PROPERTY_MAX_ATTRIBUTES, struct reader_props, max_attributes, WS_PROP_CREATE,
             &default_max_attributes ),
    WS_PROP( WS_XML_READER_PROPERTY_READ_DECLARATION, struct reader_props, read_declaration, WS_PROP_CREATE,
             &default_read_declaration ),
    WS_PROP( WS_XML_READER_PROPERTY_CHARSET, struct reader_props, charset, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_READER_PROPERTY_ROW, struct reader_props, row, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_READER_PROPERTY_COLUMN, struct reader_props, column, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_READER_PROPERTY_UTF8_TRIM_SIZE, struct reader_props, utf8_trim_size, WS_PROP_CREATE,
             &default_utf8_trim_size ),
    WS_PROP( WS_XML_READER_PROPERTY_STREAM_BUFFER_SIZE, struct reader_props, stream_buffer_size, WS_PROP_CREATE,
             &default_stream_buffer_size ),
    WS_PROP( WS_XML_READER_PROPERTY_IN_ATTRIBUTE, struct reader_props, in_attribute, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_READER_PROPERTY_STREAM_MAX_ROOT_MIME_PART_SIZE, struct reader_props,
             stream_max_root_mime_part_size, WS_PROP_CREATE, &default_root_mime_part_size ),
    WS_PROP( WS_XML_READER_PROPERTY_STREAM_MAX_MIME_HEADERS_SIZE, struct reader_props,
             stream_max_mime_headers_size, WS_PROP_CREATE, &default_mime_headers_size ),
    WS_PROP( WS_XML_READER_PROPERTY_MAX_MIME_PARTS, struct reader_props, max_mime_parts, WS_PROP_CREATE,
             &default_max_mime_parts ),
    WS_PROP( WS_XML_READER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES, struct reader_props,
             allow_invalid_char_refs, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_XML_READER_PROPERTY_MAX_NAMESPACES, struct reader_props, max_namespaces, WS_PROP_CREATE,
             &default_max_namespaces ),
};

static const struct ws_prop_table reader_prop_table = WS_PROP_TABLE( "reader", reader_prop_desc, NULL );

/* ---- the reader object ------------------------------------------------------ */

enum reader_input
{
    INPUT_NONE,
    INPUT_TEXT_BUFFER,      /* WS_XML_READER_BUFFER_INPUT, text or binary encoding */
    INPUT_TEXT_STREAM,      /* WS_XML_READER_STREAM_INPUT, text or binary encoding */
    INPUT_XML_BUFFER,       /* WsSetInputToBuffer */
};

enum cdata_state
{
    CDATA_NONE,
    CDATA_START,            /* on the CDATA node: the content comes next */
    CDATA_CONTENT,          /* on the CDATA text: END_CDATA comes next */
};

/* An in-scope namespace declaration.  OWNED holds the bytes of prefix and ns
 * when they cannot point into the input (stream input, decoded values). */
struct ns_binding
{
    WS_XML_STRING prefix;
    WS_XML_STRING ns;
    BYTE *owned;
};

/* An open element of the text input: its qualified name (in the names
 * buffer, for the end tag check) and the scope sizes to restore. */
struct open_element
{
    ULONG name_offset, name_len;
    ULONG ns_count;
    ULONG xml_attr_count;
};

/* An in-scope xml:* attribute, for WsGetXmlAttribute (rare: owned copies). */
struct xml_attr
{
    BYTE *local;
    ULONG local_len;
    BYTE *value;
    ULONG value_len;
};

/* A typed text of the binary encoding ([MC-NBFX] text records). */
union binary_text
{
    WS_XML_TEXT text;
    WS_XML_UTF8_TEXT utf8;
    WS_XML_UTF16_TEXT utf16;
    WS_XML_BASE64_TEXT base64;
    WS_XML_BOOL_TEXT boolean;
    WS_XML_INT32_TEXT int32;
    WS_XML_INT64_TEXT int64;
    WS_XML_UINT64_TEXT uint64;
    WS_XML_FLOAT_TEXT flt;
    WS_XML_DOUBLE_TEXT dbl;
    WS_XML_DECIMAL_TEXT decimal;
    WS_XML_GUID_TEXT guid;
    WS_XML_UNIQUE_ID_TEXT unique_id;
    WS_XML_DATETIME_TEXT datetime;
    WS_XML_TIMESPAN_TEXT timespan;
    WS_XML_QNAME_TEXT qname;
    WS_XML_LIST_TEXT list;
};

/* A binary text value with the storage its pointers need: the strings of a
 * QName, the first item of a list in the reader's list storage (the item
 * pointers are set once the node is complete, the storage may move). */
struct binary_value
{
    union binary_text u;
    WS_XML_STRING qprefix, qlocal;
    ULONG list_start;
};

/* One attribute of the current element; pointers into the input or scratch.
 * Binary input keeps the typed value in BVALUE; VALUE then holds the
 * declared namespace of an xmlns attribute, or the UTF-8 value (for xml:*). */
struct attr_slot
{
    WS_XML_ATTRIBUTE attr;
    WS_XML_STRING prefix;
    WS_XML_STRING localname;
    WS_XML_UTF8_TEXT value;
    struct binary_value bvalue;
    ULONG decoded_offset;   /* value in scratch at this offset (fixed up at the end of the tag) */
    BOOL decoded;
};

/* The current node of the text input. */
struct current_node
{
    WS_XML_NODE_TYPE type;
    WS_XML_ELEMENT_NODE element;
    WS_XML_STRING prefix;
    WS_XML_STRING localname;
    WS_XML_TEXT_NODE text;
    WS_XML_UTF8_TEXT utf8;
    struct binary_value bvalue;   /* text of the binary encoding */
    WS_XML_COMMENT_NODE comment;
    WS_XML_NODE simple;
    BOOL text_in_scratch;   /* the text was decoded into the scratch buffer */
};

struct reader;

/* The encoding-specific part: fills the current node with the next one.
 * Returns S_OK, an error through ws_error_set, or READ_MORE when the
 * buffered input ends inside a token (the reader state is unchanged then). */
struct reader_encoding
{
    HRESULT (*read_node)( struct reader *reader, WS_ERROR *error );
};

#define READ_MORE ((HRESULT)0x00000002)

struct reader
{
    struct ws_object obj;
    struct reader_props create_props;  /* from WsCreateReader */
    struct reader_props props;         /* in effect for the current input */
    enum reader_input input;
    const struct reader_encoding *encoding;
    HRESULT faulted;                   /* a parse error sticks until the next input */

    /* UTF-8 input being tokenized: [data, data + len), next byte at pos */
    const BYTE *data;
    ULONG len, pos;
    struct bytes owned;                /* converted buffer input / stream buffer */
    ULONGLONG base_offset;             /* stream: absolute offset of data[0] */
    BOOL empty_input;                  /* no bytes at all after the BOM */

    /* stream input */
    WS_READ_CALLBACK callback;
    void *callback_state;
    BOOL stream_eof;
    BOOL charset_known;
    WS_CHARSET charset;                /* requested (maybe AUTO) / detected */
    struct bytes raw;                  /* stream bytes not converted yet */

    /* current node (text input) */
    struct current_node cur;
    ULONGLONG node_offset;             /* absolute offset of the node's first byte */
    BOOL pending_end;                  /* on <a/>: its END_ELEMENT comes next */
    BOOL pending_pop;                  /* on an END_ELEMENT: its scope goes at the next node */
    enum cdata_state cdata;
    BOOL root_seen, root_closed, at_start;

    /* scope */
    ULONG depth;
    struct open_element *stack;
    ULONG stack_cap;
    struct bytes names;
    struct ns_binding *ns;
    ULONG ns_count, ns_cap;
    struct xml_attr *xml_attrs;
    ULONG xml_attr_count, xml_attr_cap;

    /* attributes of the current element */
    struct attr_slot *attrs;
    WS_XML_ATTRIBUTE **attr_ptrs;
    ULONG attr_cap, attr_ptr_cap;

    struct bytes scratch;              /* decoded text of the current node */
    struct bytes detached;             /* stream: current node strings kept across WsFillReader */
    struct bytes gather;               /* WsReadValue & co: text spread over nodes */
    struct ws_buf conv;                /* non-UTF-8 texts of XML buffers as UTF-8 */

    /* attribute content (WsReadStartAttribute) */
    BOOL in_attr, attr_done;
    WS_XML_TEXT_NODE attr_text;

    /* chunked reads (WsReadChars, WsReadCharsUtf8, WsReadBytes) */
    ULONG text_offset;
    BYTE b64[3];
    ULONG b64_len, b64_pos;

    /* XML buffer input */
    struct ws_xml_buffer *buffer;
    struct ws_xml_node *node;

    /* binary encoding */
    BOOL binary;
    const WS_XML_DICTIONARY *static_dict, *dynamic_dict;
    struct binary_value *list_items;   /* items of the current node's list texts */
    ULONG list_count, list_cap;
    WS_XML_TEXT **list_ptrs;
    ULONG list_ptr_cap;
    struct binary_array
    {
        BOOL active;
        BYTE type;                     /* the text record of the items */
        ULONG remaining;               /* items not yet surfaced (the current one included) */
        enum { ARRAY_ELEMENT, ARRAY_TEXT, ARRAY_END } phase;
        WS_XML_STRING prefix, local;   /* the item element, strings in BLOCK */
        struct attr_slot *slots;
        ULONG slot_count;
        struct bytes block;
    } array;

    /* row/column: the position at rc_offset (absolute) */
    ULONGLONG rc_offset, rc_row, rc_column;
    BOOL node_rc_valid;                /* props.row/column hold the current node's */

    /* MTOM encoding: the MIME parts of the message; the root part is the text input */
    BOOL mtom;
    WS_CHARSET mtom_charset;           /* of the root part when its Content-Type does not say */
    struct ws_mime_message mime;

    /* canonicalization (WsStartReaderCanonicalization) */
    struct ws_c14n *c14n;
    BOOL c14n_fed;                     /* the current node went to it already */
    ULONG c14n_level;                  /* elements it was given and not yet closed */
};

static const WS_XML_STRING empty_string = { 0, (BYTE *)"", NULL, 0 };
static WS_XML_STRING xml_ns = { 36, (BYTE *)"http://www.w3.org/XML/1998/namespace", NULL, 0 };
static WS_XML_STRING xmlns_ns = { 29, (BYTE *)"http://www.w3.org/2000/xmlns/", NULL, 0 };
static const WS_XML_NODE eof_node = { WS_XML_NODE_TYPE_EOF };

static inline BOOL str_eq( const WS_XML_STRING *a, const BYTE *bytes, ULONG len )
{
    return a->length == len && !memcmp( a->bytes, bytes, len );
}

static inline BOOL xmlstr_eq( const WS_XML_STRING *a, const WS_XML_STRING *b )
{
    return a->length == b->length && !memcmp( a->bytes, b->bytes, a->length );
}

static inline WS_XML_STRING *mutable_string( const WS_XML_STRING *str )
{
    return (WS_XML_STRING *)str;
}

/* ---- scope: namespaces, open elements, xml:* attributes -------------------- */

static void ns_pop_to( struct reader *reader, ULONG count )
{
    while (reader->ns_count > count)
    {
        struct ns_binding *binding = &reader->ns[--reader->ns_count];
        HeapFree( GetProcessHeap(), 0, binding->owned );
        binding->owned = NULL;
    }
}

static void xml_attrs_pop_to( struct reader *reader, ULONG count )
{
    while (reader->xml_attr_count > count)
    {
        struct xml_attr *attr = &reader->xml_attrs[--reader->xml_attr_count];
        HeapFree( GetProcessHeap(), 0, attr->local );
        HeapFree( GetProcessHeap(), 0, attr->value );
    }
}

/* Declares PREFIX -> NS.  COPY: the bytes do not outlive the current node. */
static HRESULT ns_push( struct reader *reader, const BYTE *prefix, ULONG prefix_len, const BYTE *ns, ULONG ns_len,
                        BOOL copy, WS_ERROR *error )
{
    struct ns_binding *binding;

    if (reader->ns_count >= reader->props.max_namespaces)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu namespace declarations in scope",
                             reader->props.max_namespaces );
    if (!grow_array( (void **)&reader->ns, &reader->ns_cap, reader->ns_count + 1, sizeof(*reader->ns) ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the namespace scope" );
    binding = &reader->ns[reader->ns_count];
    memset( binding, 0, sizeof(*binding) );
    if (copy)
    {
        if (!(binding->owned = HeapAlloc( GetProcessHeap(), 0, prefix_len + ns_len + 1 )))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory for a namespace declaration" );
        memcpy( binding->owned, prefix, prefix_len );
        memcpy( binding->owned + prefix_len, ns, ns_len );
        prefix = binding->owned;
        ns = binding->owned + prefix_len;
    }
    binding->prefix.length = prefix_len;
    binding->prefix.bytes = (BYTE *)prefix;
    binding->ns.length = ns_len;
    binding->ns.bytes = (BYTE *)ns;
    reader->ns_count++;
    return S_OK;
}

/* The namespace bound to PREFIX in the text input's scope, NULL if none. */
static WS_XML_STRING *ns_lookup( struct reader *reader, const BYTE *prefix, ULONG len )
{
    ULONG i = reader->ns_count;

    while (i--)
        if (str_eq( &reader->ns[i].prefix, prefix, len )) return &reader->ns[i].ns;
    if (len == 3 && !memcmp( prefix, "xml", 3 )) return &xml_ns;
    if (len == 5 && !memcmp( prefix, "xmlns", 5 )) return &xmlns_ns;
    if (!len) return mutable_string( &empty_string );
    return NULL;
}

/* The namespace bound to PREFIX at XML buffer node NODE (walking its ancestors). */
static WS_XML_STRING *tree_ns_lookup( const struct ws_xml_node *node, const BYTE *prefix, ULONG len )
{
    for (; node; node = node->parent)
    {
        const WS_XML_ELEMENT_NODE *elem = &node->u.element;
        ULONG i;

        if (node->u.node.nodeType != WS_XML_NODE_TYPE_ELEMENT) continue;
        for (i = 0; i < elem->attributeCount; i++)
        {
            const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
            if (attr->isXmlNs && attr->prefix && str_eq( attr->prefix, prefix, len )) return attr->ns;
        }
        if (elem->prefix && elem->ns && str_eq( elem->prefix, prefix, len )) return elem->ns;
    }
    if (len == 3 && !memcmp( prefix, "xml", 3 )) return &xml_ns;
    if (len == 5 && !memcmp( prefix, "xmlns", 5 )) return &xmlns_ns;
    if (!len) return mutable_string( &empty_string );
    return NULL;
}

static WS_XML_STRING *lookup_prefix( struct reader *reader, const BYTE *prefix, ULONG len )
{
    if (reader->input == INPUT_XML_BUFFER)
    {
        const struct ws_xml_node *node = reader->node;
        /* In element content the scope is the enclosing element's. */
        if (node && node->u.node.nodeType != WS_XML_NODE_TYPE_ELEMENT) node = node->parent;
        return tree_ns_lookup( node, prefix, len );
    }
    return ns_lookup( reader, prefix, len );
}

/* ---- the current node ------------------------------------------------------ */

static const WS_XML_NODE *current_node( const struct reader *reader )
{
    if (reader->in_attr) return reader->attr_done ? &eof_node : &reader->attr_text.node;
    switch (reader->input)
    {
    case INPUT_NONE:
        return &eof_node;
    case INPUT_XML_BUFFER:
        return reader->node ? &reader->node->u.node : &eof_node;
    default:
        break;
    }
    switch (reader->cur.type)
    {
    case WS_XML_NODE_TYPE_ELEMENT: return &reader->cur.element.node;
    case WS_XML_NODE_TYPE_TEXT:    return &reader->cur.text.node;
    case WS_XML_NODE_TYPE_COMMENT: return &reader->cur.comment.node;
    default:                       return &reader->cur.simple;
    }
}

static inline WS_XML_NODE_TYPE current_type( const struct reader *reader )
{
    return current_node( reader )->nodeType;
}

/* The current element, or NULL when the reader is not on a start element. */
static const WS_XML_ELEMENT_NODE *current_element( const struct reader *reader )
{
    const WS_XML_NODE *node;

    if (reader->in_attr) return NULL;
    node = current_node( reader );
    return node->nodeType == WS_XML_NODE_TYPE_ELEMENT ? (const WS_XML_ELEMENT_NODE *)node : NULL;
}

static void set_simple_node( struct reader *reader, WS_XML_NODE_TYPE type )
{
    reader->cur.type = type;
    reader->cur.simple.nodeType = type;
}

/* ---- UTF-8 and characters -------------------------------------------------- */

/* Decodes one non-ASCII UTF-8 sequence at P: its length, 0 if invalid,
 * -1 if the input ends inside it. */
static int utf8_decode( const BYTE *p, const BYTE *end, ULONG *cp )
{
    BYTE c = p[0];
    ULONG len, i, val, min;

    if (c < 0xc2) return 0;
    if (c < 0xe0) { len = 2; val = c & 0x1f; min = 0x80; }
    else if (c < 0xf0) { len = 3; val = c & 0x0f; min = 0x800; }
    else if (c < 0xf5) { len = 4; val = c & 0x07; min = 0x10000; }
    else return 0;
    for (i = 1; i < len; i++)
    {
        if (p + i >= end) return -1;
        if ((p[i] & 0xc0) != 0x80) return 0;
        val = (val << 6) | (p[i] & 0x3f);
    }
    if (val < min || val > 0x10ffff || (val >= 0xd800 && val <= 0xdfff)) return 0;
    *cp = val;
    return len;
}

static inline BOOL is_xml_char( ULONG cp )
{
    return (cp >= 0x20 && cp <= 0xd7ff) || cp == 0x9 || cp == 0xa || cp == 0xd ||
           (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

static ULONG utf8_encode( ULONG cp, BYTE *out )
{
    if (cp < 0x80) { out[0] = cp; return 1; }
    if (cp < 0x800) { out[0] = 0xc0 | (cp >> 6); out[1] = 0x80 | (cp & 0x3f); return 2; }
    if (cp < 0x10000)
    {
        out[0] = 0xe0 | (cp >> 12); out[1] = 0x80 | ((cp >> 6) & 0x3f); out[2] = 0x80 | (cp & 0x3f);
        return 3;
    }
    out[0] = 0xf0 | (cp >> 18); out[1] = 0x80 | ((cp >> 12) & 0x3f);
    out[2] = 0x80 | ((cp >> 6) & 0x3f); out[3] = 0x80 | (cp & 0x3f);
    return 4;
}

static inline BOOL is_space( BYTE c )
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static BOOL is_whitespace( const BYTE *p, ULONG len )
{
    ULONG i;
    for (i = 0; i < len; i++) if (!is_space( p[i] )) return FALSE;
    return TRUE;
}

/* UTF-16 (little or big endian) to UTF-8, appended to OUT.  Returns the
 * number of input bytes converted (a trailing odd byte or lone high surrogate
 * is left for later unless FINAL), or -1 for invalid UTF-16. */
static int utf16_to_utf8( const BYTE *src, ULONG len, BOOL big_endian, BOOL final, struct bytes *out )
{
    ULONG i = 0;
    BYTE *dst;

    if (!bytes_reserve( out, len / 2 * 3 + 4 )) return -1;
    dst = out->data + out->len;
    while (i + 1 < len)
    {
        ULONG c = big_endian ? (src[i] << 8 | src[i + 1]) : (src[i + 1] << 8 | src[i]);

        if (c >= 0xd800 && c <= 0xdbff)
        {
            ULONG c2;
            if (i + 3 >= len)
            {
                if (final) return -1;
                break;
            }
            c2 = big_endian ? (src[i + 2] << 8 | src[i + 3]) : (src[i + 3] << 8 | src[i + 2]);
            if (c2 < 0xdc00 || c2 > 0xdfff) return -1;
            c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
            i += 2;
        }
        else if (c >= 0xdc00 && c <= 0xdfff) return -1;
        dst += utf8_encode( c, dst );
        i += 2;
    }
    if (final && i < len) return -1;
    out->len = dst - out->data;
    return i;
}

/* ---- row and column ------------------------------------------------------------ */

/* Advances the row/column bookkeeping to absolute offset OFFSET (in data). */
static void update_row_column( struct reader *reader, ULONGLONG offset )
{
    ULONGLONG i;

    if (offset < reader->rc_offset || offset > reader->base_offset + reader->len) return;
    for (i = reader->rc_offset; i < offset; i++)
    {
        BYTE c = reader->data[i - reader->base_offset];
        if (c == '\n') { reader->rc_row++; reader->rc_column = 0; }
        else if ((c & 0xc0) != 0x80) reader->rc_column++;
    }
    reader->rc_offset = offset;
}

/* ---- resetting ------------------------------------------------------------------ */

static void array_free( struct reader *reader );

static void clear_input( struct reader *reader )
{
    ns_pop_to( reader, 0 );
    xml_attrs_pop_to( reader, 0 );
    reader->input = INPUT_NONE;
    reader->encoding = NULL;
    reader->faulted = S_OK;
    reader->data = NULL;
    reader->len = reader->pos = 0;
    reader->owned.len = 0;
    reader->raw.len = 0;
    reader->base_offset = 0;
    reader->empty_input = FALSE;
    reader->callback = NULL;
    reader->callback_state = NULL;
    reader->stream_eof = FALSE;
    reader->charset_known = FALSE;
    reader->charset = WS_CHARSET_AUTO;
    memset( &reader->cur, 0, sizeof(reader->cur) );
    set_simple_node( reader, WS_XML_NODE_TYPE_BOF );
    reader->node_offset = 0;
    reader->pending_end = FALSE;
    reader->pending_pop = FALSE;
    reader->cdata = CDATA_NONE;
    reader->root_seen = reader->root_closed = FALSE;
    reader->at_start = TRUE;
    reader->depth = 0;
    reader->names.len = 0;
    reader->scratch.len = 0;
    reader->detached.len = 0;
    reader->in_attr = reader->attr_done = FALSE;
    reader->text_offset = 0;
    reader->b64_len = reader->b64_pos = 0;
    reader->buffer = NULL;
    reader->node = NULL;
    reader->rc_offset = reader->rc_row = reader->rc_column = 0;
    reader->node_rc_valid = FALSE;
    reader->binary = FALSE;
    reader->mtom = FALSE;
    reader->mime.count = 0;
    reader->static_dict = reader->dynamic_dict = NULL;
    reader->list_count = 0;
    array_free( reader );
    reader->props = reader->create_props;
}

static void free_reader( struct reader *reader )
{
    clear_input( reader );
    HeapFree( GetProcessHeap(), 0, reader->stack );
    HeapFree( GetProcessHeap(), 0, reader->ns );
    HeapFree( GetProcessHeap(), 0, reader->xml_attrs );
    HeapFree( GetProcessHeap(), 0, reader->attrs );
    HeapFree( GetProcessHeap(), 0, reader->attr_ptrs );
    HeapFree( GetProcessHeap(), 0, reader->list_items );
    HeapFree( GetProcessHeap(), 0, reader->list_ptrs );
    bytes_free( &reader->owned );
    bytes_free( &reader->raw );
    bytes_free( &reader->names );
    bytes_free( &reader->scratch );
    bytes_free( &reader->detached );
    bytes_free( &reader->gather );
    HeapFree( GetProcessHeap(), 0, reader->conv.data );
    ws_c14n_free( reader->c14n );
    ws_mime_free( &reader->mime );
    ws_object_free( reader );
}

/* Shrinks the UTF-16 conversion buffer back to the trim size between inputs. */
static void trim_buffers( struct reader *reader )
{
    if (reader->owned.cap > reader->props.utf8_trim_size && reader->owned.cap > 4096)
        bytes_free( &reader->owned );
}

/* ---- the text tokenizer ------------------------------------------------------ */

/* Byte classes of text content: what stops the fast scan. */
enum { TC_PLAIN, TC_LT, TC_AMP, TC_GT, TC_CTRL, TC_HIGH, TC_QUOTE, TC_APOS };

static BYTE text_class[256];
static BYTE name_class[256];   /* 1: name start, 2: name char only, 3: non-ASCII (decoded) */
static INIT_ONCE tables_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK init_tables( INIT_ONCE *once, void *param, void **context )
{
    unsigned int c;

    (void)once; (void)param; (void)context;
    for (c = 0; c < 0x20; c++) text_class[c] = TC_CTRL;
    text_class['\t'] = text_class['\n'] = text_class['\r'] = TC_PLAIN;
    text_class['<'] = TC_LT;
    text_class['&'] = TC_AMP;
    text_class['>'] = TC_GT;
    text_class['"'] = TC_QUOTE;
    text_class['\''] = TC_APOS;
    for (c = 0x80; c < 0x100; c++) text_class[c] = TC_HIGH;

    for (c = 'a'; c <= 'z'; c++) name_class[c] = 1;
    for (c = 'A'; c <= 'Z'; c++) name_class[c] = 1;
    name_class['_'] = 1;
    for (c = '0'; c <= '9'; c++) name_class[c] = 2;
    name_class['-'] = name_class['.'] = 2;
    for (c = 0x80; c < 0x100; c++) name_class[c] = 3;
    return TRUE;
}

/* The buffered input ended inside a token: wait for more stream data, or fail. */
static HRESULT need_more( struct reader *reader, WS_ERROR *error )
{
    if (reader->input == INPUT_TEXT_STREAM && !reader->stream_eof) return READ_MORE;
    return ws_error_set( error, WS_E_INVALID_FORMAT, "unexpected end of the document at offset %llu",
                         reader->base_offset + reader->len );
}

static HRESULT bad_format( struct reader *reader, const BYTE *p, const char *what, WS_ERROR *error )
{
    return ws_error_set( error, WS_E_INVALID_FORMAT, "%s at offset %llu", what,
                         reader->base_offset + (ULONGLONG)(p - reader->data) );
}

/* Scans an NCName at *P; S_OK with *P past it, READ_MORE, or an error. */
static HRESULT scan_ncname( struct reader *reader, const BYTE **p, const BYTE *end, WS_ERROR *error )
{
    const BYTE *q = *p;
    BOOL first = TRUE;

    for (;;)
    {
        BYTE cls;
        if (q >= end) return need_more( reader, error );
        cls = name_class[*q];
        if (cls == 1 || (cls == 2 && !first)) q++;
        else if (cls == 3)
        {
            ULONG cp;
            int len = utf8_decode( q, end, &cp );
            if (len < 0) return need_more( reader, error );
            /* Letters and name characters beyond ASCII; symbols and spaces excluded. */
            if (!len || cp == 0xd7 || cp == 0xf7 || (cp < 0xc0 && cp != 0xb7) || (cp >= 0x2000 && cp < 0x2070 &&
                cp != 0x200c && cp != 0x200d && cp != 0x203f && cp != 0x2040) || cp >= 0xfffe)
                return bad_format( reader, q, "invalid character in a name", error );
            if (first && (cp == 0xb7 || (cp >= 0x300 && cp <= 0x36f)))
                return bad_format( reader, q, "invalid first character of a name", error );
            q += len;
        }
        else break;
        first = FALSE;
    }
    if (first) return bad_format( reader, q, "name expected", error );
    *p = q;
    return S_OK;
}

/* Scans a qualified name: PREFIX (maybe empty) and LOCAL. */
static HRESULT scan_qname( struct reader *reader, const BYTE **p, const BYTE *end, WS_XML_STRING *prefix,
                           WS_XML_STRING *local, WS_ERROR *error )
{
    const BYTE *start = *p, *q = *p;
    HRESULT hr;

    if ((hr = scan_ncname( reader, &q, end, error )) != S_OK) return hr;
    if (q < end && *q == ':')
    {
        const BYTE *local_start = ++q;
        if ((hr = scan_ncname( reader, &q, end, error )) != S_OK) return hr;
        prefix->bytes = (BYTE *)start;
        prefix->length = local_start - 1 - start;
        local->bytes = (BYTE *)local_start;
        local->length = q - local_start;
    }
    else
    {
        prefix->bytes = (BYTE *)"";
        prefix->length = 0;
        local->bytes = (BYTE *)start;
        local->length = q - start;
    }
    prefix->dictionary = local->dictionary = NULL;
    prefix->id = local->id = 0;
    *p = q;
    return S_OK;
}

static inline const BYTE *skip_space( const BYTE *p, const BYTE *end )
{
    while (p < end && is_space( *p )) p++;
    return p;
}

/* Decodes the reference at P (on '&', complete up to END) into OUT; returns
 * the bytes written and sets *NEXT past the ';'. */
static HRESULT decode_reference( struct reader *reader, const BYTE *p, const BYTE *end, BYTE *out, ULONG *written,
                                 const BYTE **next, WS_ERROR *error )
{
    static const struct { const char *name; ULONG len; BYTE value; } entities[] =
    {
        { "lt;", 3, '<' }, { "gt;", 3, '>' }, { "amp;", 4, '&' }, { "quot;", 5, '"' }, { "apos;", 5, '\'' },
    };
    const BYTE *q = p + 1;
    ULONG i, cp = 0;

    if (q < end && *q == '#')
    {
        BOOL hex = (++q < end && *q == 'x');
        const BYTE *digits;

        if (hex) q++;
        digits = q;
        for (; q < end && *q != ';'; q++)
        {
            ULONG d;
            if (*q >= '0' && *q <= '9') d = *q - '0';
            else if (hex && *q >= 'a' && *q <= 'f') d = *q - 'a' + 10;
            else if (hex && *q >= 'A' && *q <= 'F') d = *q - 'A' + 10;
            else return bad_format( reader, p, "invalid character reference", error );
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10ffff) return bad_format( reader, p, "character reference out of range", error );
        }
        if (q >= end || q == digits) return bad_format( reader, p, "invalid character reference", error );
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || !cp ||
            (!is_xml_char( cp ) && !reader->props.allow_invalid_char_refs))
            return bad_format( reader, p, "character reference to an invalid character", error );
        *written = utf8_encode( cp, out );
        *next = q + 1;
        return S_OK;
    }
    for (i = 0; i < ARRAYSIZE(entities); i++)
    {
        if ((ULONG)(end - q) >= entities[i].len && !memcmp( q, entities[i].name, entities[i].len ))
        {
            out[0] = entities[i].value;
            *written = 1;
            *next = q + entities[i].len;
            return S_OK;
        }
    }
    return bad_format( reader, p, "undefined entity reference", error );
}

/* Decodes [START, START + LEN) (which holds references) into the scratch
 * buffer; *OFFSET receives where.  A decoded text is never longer. */
static HRESULT decode_text( struct reader *reader, const BYTE *start, ULONG len, ULONG *offset, ULONG *out_len,
                            WS_ERROR *error )
{
    const BYTE *p = start, *end = start + len;
    BYTE *out;
    HRESULT hr;

    if (!bytes_reserve( &reader->scratch, len ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory decoding text" );
    *offset = reader->scratch.len;
    out = reader->scratch.data + reader->scratch.len;
    while (p < end)
    {
        const BYTE *amp = memchr( p, '&', end - p );
        ULONG n = 0;

        if (!amp) amp = end;
        memcpy( out, p, amp - p );
        out += amp - p;
        if (amp == end) break;
        if ((hr = decode_reference( reader, amp, end, out, &n, &p, error )) != S_OK) return hr;
        out += n;
    }
    *out_len = out - (reader->scratch.data + *offset);
    reader->scratch.len += *out_len;
    return S_OK;
}

/* Scans character data from P up to a byte of class STOP (TC_LT for text,
 * the quote for attribute values), validating characters.  *REFS tells
 * whether it holds references, *SPACE whether it is all whitespace. */
static HRESULT scan_chars( struct reader *reader, const BYTE **p, const BYTE *end, BYTE stop, BOOL *refs,
                           BOOL *space, WS_ERROR *error )
{
    const BYTE *q = *p;
    BOOL all_space = TRUE;

    *refs = FALSE;
    while (q < end)
    {
        BYTE cls = text_class[*q];

        if (cls == TC_PLAIN || (cls >= TC_GT && cls != TC_CTRL && cls != TC_HIGH && cls != stop))
        {
            if (all_space && !is_space( *q )) all_space = FALSE;
            if (cls == TC_GT && stop == TC_LT && q - *p >= 2 && q[-1] == ']' && q[-2] == ']')
                return bad_format( reader, q, "\"]]>\" in text", error );
            q++;
            continue;
        }
        if (cls == stop) break;
        all_space = FALSE;
        switch (cls)
        {
        case TC_LT:
            return bad_format( reader, q, "'<' in an attribute value", error );
        case TC_AMP:
        {
            const BYTE *semi = q + 1;
            while (semi < end && semi - q < 12 && *semi != ';' && *semi != '<' && *semi != '&') semi++;
            if (semi >= end) { *p = q; return need_more( reader, error ); }
            *refs = TRUE;
            q++;
            break;
        }
        case TC_CTRL:
            return bad_format( reader, q, "invalid character", error );
        case TC_HIGH:
        {
            ULONG cp;
            int len = utf8_decode( q, end, &cp );
            if (len < 0) { *p = q; return need_more( reader, error ); }
            if (!len || !is_xml_char( cp )) return bad_format( reader, q, "invalid UTF-8 sequence", error );
            q += len;
            break;
        }
        default:
            q++;
            break;
        }
    }
    *space = all_space;
    *p = q;
    return S_OK;
}

/* Validates the characters of a comment or CDATA section [P, END). */
static HRESULT check_chars( struct reader *reader, const BYTE *p, const BYTE *end, WS_ERROR *error )
{
    while (p < end)
    {
        BYTE cls = text_class[*p];
        if (cls == TC_CTRL) return bad_format( reader, p, "invalid character", error );
        if (cls == TC_HIGH)
        {
            ULONG cp;
            int len = utf8_decode( p, end, &cp );
            if (len <= 0 || !is_xml_char( cp )) return bad_format( reader, p, "invalid UTF-8 sequence", error );
            p += len;
        }
        else p++;
    }
    return S_OK;
}

static void set_text_node( struct reader *reader, const BYTE *bytes, ULONG len )
{
    reader->cur.type = WS_XML_NODE_TYPE_TEXT;
    reader->cur.text.node.nodeType = WS_XML_NODE_TYPE_TEXT;
    reader->cur.text.text = &reader->cur.utf8.text;
    reader->cur.utf8.text.textType = WS_XML_TEXT_TYPE_UTF8;
    reader->cur.utf8.value.bytes = (BYTE *)bytes;
    reader->cur.utf8.value.length = len;
    reader->cur.utf8.value.dictionary = NULL;
    reader->cur.utf8.value.id = 0;
    reader->cur.text_in_scratch = FALSE;
}

/* The XML declaration at the very start of the document. */
static HRESULT text_read_declaration( struct reader *reader, WS_ERROR *error )
{
    const BYTE *start = reader->data + reader->pos, *end = reader->data + reader->len, *p;
    const BYTE *close;
    ULONG count = 0;

    if (end - start < 6)
    {
        if (reader->input == INPUT_TEXT_STREAM && !reader->stream_eof &&
            !memcmp( start, "<?xml ", end - start )) return READ_MORE;
        return S_OK;
    }
    if (memcmp( start, "<?xml", 5 ) || !is_space( start[5] )) return S_OK;
    if (!(close = ws_find_bytes( start, end, "?>", 2 ))) return need_more( reader, error );
    if (!reader->props.read_declaration) return bad_format( reader, start, "XML declaration not allowed", error );

    p = start + 5;
    for (;;)
    {
        const BYTE *name = skip_space( p, close ), *value;
        ULONG name_len;
        BYTE quote;

        if (name == close) break;
        if (name == p) return bad_format( reader, name, "whitespace expected in the XML declaration", error );
        for (p = name; p < close && ((*p >= 'a' && *p <= 'z')); p++);
        name_len = p - name;
        p = skip_space( p, close );
        if (p >= close || *p != '=') return bad_format( reader, p, "'=' expected in the XML declaration", error );
        p = skip_space( p + 1, close );
        if (p >= close || (*p != '"' && *p != '\''))
            return bad_format( reader, p, "quoted value expected in the XML declaration", error );
        quote = *p++;
        value = p;
        while (p < close && *p != quote) p++;
        if (p >= close) return bad_format( reader, p, "unterminated value in the XML declaration", error );
        if (!count && !(name_len == 7 && !memcmp( name, "version", 7 )))
            return bad_format( reader, name, "the XML declaration must start with version", error );
        if (count && !(name_len == 8 && !memcmp( name, "encoding", 8 )) &&
            !(name_len == 10 && !memcmp( name, "standalone", 10 )))
            return bad_format( reader, name, "unknown XML declaration attribute", error );
        if (!count && (p - value != 3 || memcmp( value, "1.0", 3 )))
            return bad_format( reader, value, "unsupported XML version", error );
        p++;
        count++;
    }
    if (!count) return bad_format( reader, start, "XML declaration without version", error );
    reader->pos = close + 2 - reader->data;
    return S_OK;
}

/* Commits the element on top: pushes the open element and its xml:* attributes. */
static HRESULT push_open_element( struct reader *reader, const BYTE *qname, ULONG qname_len, ULONG ns_count,
                                  ULONG attr_count, WS_ERROR *error )
{
    struct open_element *open;
    ULONG i;

    if (!grow_array( (void **)&reader->stack, &reader->stack_cap, reader->depth + 1, sizeof(*reader->stack) ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the element stack" );
    open = &reader->stack[reader->depth];
    open->name_offset = reader->names.len;
    open->name_len = qname_len;
    open->ns_count = ns_count;
    open->xml_attr_count = reader->xml_attr_count;
    if (!bytes_append( &reader->names, qname, qname_len ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the element stack" );
    for (i = 0; i < attr_count; i++)
    {
        const WS_XML_ATTRIBUTE *attr = &reader->attrs[i].attr;
        struct xml_attr *xml;

        if (attr->isXmlNs || attr->prefix->length != 3 || memcmp( attr->prefix->bytes, "xml", 3 )) continue;
        if (!grow_array( (void **)&reader->xml_attrs, &reader->xml_attr_cap, reader->xml_attr_count + 1,
                         sizeof(*reader->xml_attrs) ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory for xml attributes" );
        xml = &reader->xml_attrs[reader->xml_attr_count];
        xml->local_len = attr->localName->length;
        xml->value_len = reader->attrs[i].value.value.length;
        xml->local = dup_bytes( attr->localName->bytes, xml->local_len );
        xml->value = dup_bytes( reader->attrs[i].value.value.bytes, xml->value_len );
        if (!xml->local || !xml->value)
        {
            HeapFree( GetProcessHeap(), 0, xml->local );
            HeapFree( GetProcessHeap(), 0, xml->value );
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory for xml attributes" );
        }
        reader->xml_attr_count++;
    }
    reader->depth++;
    return S_OK;
}

static void pop_open_element( struct reader *reader )
{
    struct open_element *open = &reader->stack[--reader->depth];

    ns_pop_to( reader, open->ns_count );
    xml_attrs_pop_to( reader, open->xml_attr_count );
    reader->names.len = open->name_offset;
    if (!reader->depth) reader->root_closed = TRUE;
}

/* Checks an xmlns declaration of PREFIX (NULL for the default one) to NS. */
static HRESULT check_ns_declaration( struct reader *reader, const WS_XML_STRING *prefix, const BYTE *ns,
                                     ULONG ns_len, const BYTE *where, WS_ERROR *error )
{
    BOOL is_xml_ns = ns_len == xml_ns.length && !memcmp( ns, xml_ns.bytes, ns_len );
    BOOL is_xmlns_ns = ns_len == xmlns_ns.length && !memcmp( ns, xmlns_ns.bytes, ns_len );

    if (prefix && str_eq( prefix, (const BYTE *)"xmlns", 5 ))
        return bad_format( reader, where, "the xmlns prefix cannot be declared", error );
    if (prefix && str_eq( prefix, (const BYTE *)"xml", 3 ))
    {
        if (!is_xml_ns) return bad_format( reader, where, "the xml prefix bound to another namespace", error );
        return S_OK;
    }
    if (is_xml_ns || is_xmlns_ns)
        return bad_format( reader, where, "reserved namespace bound to another prefix", error );
    if (prefix && !ns_len) return bad_format( reader, where, "prefix bound to the empty namespace", error );
    return S_OK;
}

/* Points a slot's attribute at the slot's own strings and value: the slots
 * may have moved (grown) since the pointers were set. */
static void slot_fix_pointers( struct attr_slot *slot, BOOL binary )
{
    slot->attr.prefix = &slot->prefix;
    slot->attr.localName = &slot->localname;
    if (!binary)
    {
        slot->attr.value = &slot->value.text;
        return;
    }
    slot->attr.value = &slot->bvalue.u.text;
    if (slot->bvalue.u.text.textType == WS_XML_TEXT_TYPE_QNAME)
    {
        slot->bvalue.u.qname.prefix = &slot->bvalue.qprefix;
        slot->bvalue.u.qname.localName = &slot->bvalue.qlocal;
    }
}

/* Shared by every tokenizer: attribute I (its namespace resolved) must not
 * repeat an earlier one's namespace and local name. */
static HRESULT check_duplicate_attribute( struct reader *reader, ULONG i, const BYTE *where, WS_ERROR *error )
{
    const struct attr_slot *slot = &reader->attrs[i];
    ULONG j;

    for (j = 0; j < i; j++)
    {
        const struct attr_slot *other = &reader->attrs[j];
        if (!other->attr.isXmlNs && xmlstr_eq( &other->localname, &slot->localname ) &&
            xmlstr_eq( other->attr.ns, slot->attr.ns ))
            return bad_format( reader, where, "duplicate attribute", error );
    }
    return S_OK;
}

/* Shared by every tokenizer before it opens an element with COUNT attributes:
 * room for the attribute pointers, the depth quota, and a single root. */
static HRESULT check_new_element( struct reader *reader, ULONG count, const BYTE *where, WS_ERROR *error )
{
    if (!grow_array( (void **)&reader->attr_ptrs, &reader->attr_ptr_cap, count, sizeof(*reader->attr_ptrs) ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for attributes" );
    if (reader->depth >= reader->props.max_depth)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "element depth exceeds the maximum of %lu",
                             reader->props.max_depth );
    if (!reader->depth && reader->root_closed && !reader->props.allow_fragment)
        return bad_format( reader, where, "more than one root element", error );
    return S_OK;
}

static HRESULT text_read_start_tag( struct reader *reader, const BYTE *start, const BYTE *end, WS_ERROR *error )
{
    const BYTE *p = start + 1, *qname_end;
    ULONG ns_saved = reader->ns_count, count = 0, i;
    struct current_node *cur = &reader->cur;
    WS_XML_STRING prefix, local, *ns;
    BOOL empty = FALSE;
    HRESULT hr;

    if ((hr = scan_qname( reader, &p, end, &prefix, &local, error )) != S_OK) return hr;
    qname_end = p;

    for (;;)
    {
        const BYTE *attr_start, *value;
        struct attr_slot *slot;
        BOOL had_space = p < end && is_space( *p ), refs, space;
        BYTE quote;

        p = skip_space( p, end );
        if (p >= end) { hr = need_more( reader, error ); goto failed; }
        if (*p == '>') { p++; break; }
        if (*p == '/')
        {
            if (p + 1 >= end) { hr = need_more( reader, error ); goto failed; }
            if (p[1] != '>') { hr = bad_format( reader, p, "'>' expected after '/'", error ); goto failed; }
            p += 2;
            empty = TRUE;
            break;
        }
        if (!had_space) { hr = bad_format( reader, p, "whitespace expected before an attribute", error ); goto failed; }
        if (count >= reader->props.max_attributes)
        {
            hr = ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu attributes on an element",
                               reader->props.max_attributes );
            goto failed;
        }
        if (!grow_array( (void **)&reader->attrs, &reader->attr_cap, count + 1, sizeof(*reader->attrs) ))
        {
            hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory for attributes" );
            goto failed;
        }
        slot = &reader->attrs[count];
        attr_start = p;
        if ((hr = scan_qname( reader, &p, end, &slot->prefix, &slot->localname, error )) != S_OK) goto failed;
        p = skip_space( p, end );
        if (p >= end) { hr = need_more( reader, error ); goto failed; }
        if (*p != '=') { hr = bad_format( reader, p, "'=' expected after an attribute name", error ); goto failed; }
        p = skip_space( p + 1, end );
        if (p >= end) { hr = need_more( reader, error ); goto failed; }
        if (*p != '"' && *p != '\'') { hr = bad_format( reader, p, "quoted value expected", error ); goto failed; }
        quote = *p++;
        value = p;
        if ((hr = scan_chars( reader, &p, end, quote == '"' ? TC_QUOTE : TC_APOS, &refs, &space, error )) != S_OK)
            goto failed;
        if (p >= end) { hr = need_more( reader, error ); goto failed; }

        slot->attr.singleQuote = quote == '\'';
        slot->attr.isXmlNs = FALSE;
        slot->attr.prefix = &slot->prefix;
        slot->attr.localName = &slot->localname;
        slot->attr.ns = NULL;
        slot->attr.value = &slot->value.text;
        slot->value.text.textType = WS_XML_TEXT_TYPE_UTF8;
        slot->value.value.dictionary = NULL;
        slot->value.value.id = 0;
        slot->decoded = refs;
        if (refs)
        {
            if ((hr = decode_text( reader, value, p - value, &slot->decoded_offset, &slot->value.value.length,
                                   error )) != S_OK) goto failed;
            slot->value.value.bytes = NULL;
        }
        else
        {
            slot->value.value.bytes = (BYTE *)value;
            slot->value.value.length = p - value;
        }
        p++;   /* closing quote */

        /* Namespace declarations: xmlns="..." and xmlns:p="..." */
        if ((!slot->prefix.length && str_eq( &slot->localname, (const BYTE *)"xmlns", 5 )) ||
            str_eq( &slot->prefix, (const BYTE *)"xmlns", 5 ))
        {
            BOOL dflt = !slot->prefix.length;
            const BYTE *ns_bytes = refs ? reader->scratch.data + slot->decoded_offset : slot->value.value.bytes;
            ULONG ns_len = slot->value.value.length;

            if ((hr = check_ns_declaration( reader, dflt ? NULL : &slot->localname, ns_bytes, ns_len, attr_start,
                                            error )) != S_OK) goto failed;
            for (i = ns_saved; i < reader->ns_count; i++)
                if (dflt ? !reader->ns[i].prefix.length : str_eq( &reader->ns[i].prefix, slot->localname.bytes,
                                                                   slot->localname.length ))
                {
                    hr = bad_format( reader, attr_start, "duplicate namespace declaration", error );
                    goto failed;
                }
            if ((hr = ns_push( reader, dflt ? (const BYTE *)"" : slot->localname.bytes,
                               dflt ? 0 : slot->localname.length, ns_bytes, ns_len,
                               refs || reader->input == INPUT_TEXT_STREAM, error )) != S_OK) goto failed;
            slot->attr.isXmlNs = TRUE;
            slot->decoded_offset = reader->ns_count - 1;   /* binding index, resolved below */
            slot->decoded = FALSE;
            if (dflt) slot->prefix = empty_string;
            else slot->prefix = slot->localname;
            slot->value.value.bytes = (BYTE *)"";
            slot->value.value.length = 0;
        }
        count++;
    }

    /* The scratch buffer is final now: fix up decoded values, resolve namespaces. */
    if (prefix.length == 5 && !memcmp( prefix.bytes, "xmlns", 5 ))
    {
        hr = bad_format( reader, start, "element with the xmlns prefix", error );
        goto failed;
    }
    if (!(ns = ns_lookup( reader, prefix.bytes, prefix.length )))
    {
        hr = bad_format( reader, start, "undeclared namespace prefix", error );
        goto failed;
    }
    for (i = 0; i < count; i++)
    {
        struct attr_slot *slot = &reader->attrs[i];
        slot_fix_pointers( slot, FALSE );
        if (slot->attr.isXmlNs)
        {
            slot->attr.ns = &reader->ns[slot->decoded_offset].ns;
            continue;
        }
        if (slot->decoded) slot->value.value.bytes = reader->scratch.data + slot->decoded_offset;
        if (!slot->prefix.length) slot->attr.ns = mutable_string( &empty_string );
        else if (!(slot->attr.ns = ns_lookup( reader, slot->prefix.bytes, slot->prefix.length )))
        {
            hr = bad_format( reader, start, "undeclared attribute prefix", error );
            goto failed;
        }
        if ((hr = check_duplicate_attribute( reader, i, start, error )) != S_OK) goto failed;
    }
    if ((hr = check_new_element( reader, count, start, error )) != S_OK) goto failed;
    if ((hr = push_open_element( reader, start + 1, qname_end - start - 1, ns_saved, count, error )) != S_OK)
        goto failed;

    for (i = 0; i < count; i++) reader->attr_ptrs[i] = &reader->attrs[i].attr;
    cur->type = WS_XML_NODE_TYPE_ELEMENT;
    cur->prefix = prefix;
    cur->localname = local;
    cur->element.node.nodeType = WS_XML_NODE_TYPE_ELEMENT;
    cur->element.prefix = &cur->prefix;
    cur->element.localName = &cur->localname;
    cur->element.ns = ns;
    cur->element.attributeCount = count;
    cur->element.attributes = count ? reader->attr_ptrs : NULL;
    /* WS_XML_ELEMENT_NODE: isEmpty tells <a/> (TRUE) from <a> (FALSE); an
     * END_ELEMENT node follows either way. */
    cur->element.isEmpty = empty;
    reader->pending_end = empty;
    reader->root_seen = TRUE;
    reader->pos = p - reader->data;
    return S_OK;

failed:
    ns_pop_to( reader, ns_saved );
    /* The attribute slots were reused (and may have moved): the current
     * element, if any, keeps its names but loses its attributes. */
    if (cur->type == WS_XML_NODE_TYPE_ELEMENT)
    {
        cur->element.attributeCount = 0;
        cur->element.attributes = NULL;
    }
    return hr;
}

static HRESULT text_read_end_tag( struct reader *reader, const BYTE *start, const BYTE *end, WS_ERROR *error )
{
    const BYTE *p = start + 2;
    const struct open_element *open;
    WS_XML_STRING prefix, local;
    HRESULT hr;

    if ((hr = scan_qname( reader, &p, end, &prefix, &local, error )) != S_OK) return hr;
    if (!reader->depth) return bad_format( reader, start, "end tag without a start tag", error );
    open = &reader->stack[reader->depth - 1];
    if ((ULONG)(p - start - 2) != open->name_len || memcmp( start + 2, reader->names.data + open->name_offset,
                                                             open->name_len ))
        return bad_format( reader, start, "end tag does not match the start tag", error );
    p = skip_space( p, end );
    if (p >= end) return need_more( reader, error );
    if (*p != '>') return bad_format( reader, p, "'>' expected in an end tag", error );
    reader->pending_pop = TRUE;
    set_simple_node( reader, WS_XML_NODE_TYPE_END_ELEMENT );
    reader->pos = p + 1 - reader->data;
    return S_OK;
}

/* <!-- comments -->, <![CDATA[ sections, and the rejected <!DOCTYPE. */
static HRESULT text_read_markup( struct reader *reader, const BYTE *start, const BYTE *end, WS_ERROR *error )
{
    static const char cdata[] = "<![CDATA[";
    ULONG avail = end - start;

    if (avail < 4) return memcmp( start, "<!--", avail ) && memcmp( start, cdata, avail ) ?
        bad_format( reader, start, "invalid markup", error ) : need_more( reader, error );
    if (!memcmp( start, "<!--", 4 ))
    {
        const BYTE *close = ws_find_bytes( start + 4, end, "--", 2 );
        HRESULT hr;

        if (!close || close + 2 >= end) return need_more( reader, error );
        if (close[2] != '>') return bad_format( reader, close, "\"--\" in a comment", error );
        if ((hr = check_chars( reader, start + 4, close, error )) != S_OK) return hr;
        reader->cur.type = WS_XML_NODE_TYPE_COMMENT;
        reader->cur.comment.node.nodeType = WS_XML_NODE_TYPE_COMMENT;
        reader->cur.comment.value.bytes = (BYTE *)start + 4;
        reader->cur.comment.value.length = close - start - 4;
        reader->cur.comment.value.dictionary = NULL;
        reader->cur.comment.value.id = 0;
        reader->pos = close + 3 - reader->data;
        return S_OK;
    }
    if (avail < sizeof(cdata) - 1)
        return memcmp( start, cdata, avail ) ? bad_format( reader, start, "invalid markup", error )
                                             : need_more( reader, error );
    if (!memcmp( start, cdata, sizeof(cdata) - 1 ))
    {
        if (!reader->depth && !reader->props.allow_fragment)
            return bad_format( reader, start, "CDATA outside the root element", error );
        set_simple_node( reader, WS_XML_NODE_TYPE_CDATA );
        reader->cdata = CDATA_START;
        reader->pos = start + sizeof(cdata) - 1 - reader->data;
        return S_OK;
    }
    if (avail >= 9 && !memcmp( start, "<!DOCTYPE", 9 ))
        return bad_format( reader, start, "document type declarations are not supported", error );
    return bad_format( reader, start, "invalid markup", error );
}

static HRESULT text_read_cdata( struct reader *reader, WS_ERROR *error )
{
    const BYTE *start = reader->data + reader->pos, *end = reader->data + reader->len, *close;
    HRESULT hr;

    if (reader->cdata == CDATA_CONTENT)
    {
        /* text_read_cdata left the reader on "]]>" */
        reader->pos += 3;
        reader->cdata = CDATA_NONE;
        set_simple_node( reader, WS_XML_NODE_TYPE_END_CDATA );
        return S_OK;
    }
    if (!(close = ws_find_bytes( start, end, "]]>", 3 ))) return need_more( reader, error );
    if ((hr = check_chars( reader, start, close, error )) != S_OK) return hr;
    set_text_node( reader, start, close - start );
    reader->cdata = CDATA_CONTENT;
    reader->pos = close - reader->data;
    return S_OK;
}

static HRESULT text_read_text( struct reader *reader, const BYTE *start, const BYTE *end, WS_ERROR *error )
{
    const BYTE *p = start;
    BOOL refs, space;
    HRESULT hr;

    if ((hr = scan_chars( reader, &p, end, TC_LT, &refs, &space, error )) != S_OK) return hr;
    if (p >= end && reader->input == INPUT_TEXT_STREAM && !reader->stream_eof) return READ_MORE;
    if (!reader->depth && !space && !reader->props.allow_fragment)
        return bad_format( reader, start, "text outside the root element", error );
    if (refs)
    {
        ULONG offset, len;
        if ((hr = decode_text( reader, start, p - start, &offset, &len, error )) != S_OK) return hr;
        set_text_node( reader, reader->scratch.data + offset, len );
        reader->cur.text_in_scratch = TRUE;
    }
    else set_text_node( reader, start, p - start );
    reader->pos = p - reader->data;
    return S_OK;
}

static HRESULT text_read_node( struct reader *reader, WS_ERROR *error )
{
    const BYTE *p, *end;
    HRESULT hr;

    reader->scratch.len = 0;
    /* An END_ELEMENT keeps its element's namespace scope while it is the
     * current node (WsReadQualifiedName, WsGetNamespaceFromPrefix). */
    if (reader->pending_pop)
    {
        pop_open_element( reader );
        reader->pending_pop = FALSE;
    }
    if (reader->pending_end)
    {
        reader->pending_end = FALSE;
        reader->pending_pop = TRUE;
        set_simple_node( reader, WS_XML_NODE_TYPE_END_ELEMENT );
        return S_OK;
    }
    reader->node_offset = reader->base_offset + reader->pos;
    if (reader->cdata != CDATA_NONE) return text_read_cdata( reader, error );
    if (reader->at_start)
    {
        if ((hr = text_read_declaration( reader, error )) != S_OK) return hr;
        reader->at_start = FALSE;
        reader->node_offset = reader->base_offset + reader->pos;
    }

    p = reader->data + reader->pos;
    end = reader->data + reader->len;
    if (p >= end)
    {
        if (reader->input == INPUT_TEXT_STREAM && !reader->stream_eof) return READ_MORE;
        /* A document without elements is not an error: ALLOW_FRAGMENT only
         * governs several elements and non-whitespace text at the top level. */
        if (reader->depth) return ws_error_set( error, WS_E_INVALID_FORMAT, "end of the document inside an element" );
        set_simple_node( reader, WS_XML_NODE_TYPE_EOF );
        return S_OK;
    }
    if (*p != '<') return text_read_text( reader, p, end, error );
    if (p + 1 >= end) return need_more( reader, error );
    switch (p[1])
    {
    case '/': return text_read_end_tag( reader, p, end, error );
    case '!': return text_read_markup( reader, p, end, error );
    case '?': return bad_format( reader, p, "processing instructions are not supported", error );
    default:  return text_read_start_tag( reader, p, end, error );
    }
}

static const struct reader_encoding text_encoding = { text_read_node };

/* ---- the binary tokenizer ([MC-NBFX]) ------------------------------------------ */

/* Record types; a text record type with the low bit set is the "with end
 * element" variant (the text, then an END_ELEMENT). */
enum
{
    REC_END_ELEMENT = 0x01, REC_COMMENT = 0x02, REC_ARRAY = 0x03,
    REC_FIRST_ATTRIBUTE = 0x04, REC_SHORT_XMLNS = 0x08, REC_XMLNS = 0x09, REC_SHORT_DICT_XMLNS = 0x0a,
    REC_DICT_XMLNS = 0x0b, REC_LAST_ATTRIBUTE = 0x3f,
    REC_FIRST_ELEMENT = 0x40, REC_LAST_ELEMENT = 0x77,
    REC_ZERO_TEXT = 0x80, REC_ONE_TEXT = 0x82, REC_FALSE_TEXT = 0x84, REC_TRUE_TEXT = 0x86, REC_INT8_TEXT = 0x88,
    REC_INT16_TEXT = 0x8a, REC_INT32_TEXT = 0x8c, REC_INT64_TEXT = 0x8e, REC_FLOAT_TEXT = 0x90,
    REC_DOUBLE_TEXT = 0x92, REC_DECIMAL_TEXT = 0x94, REC_DATETIME_TEXT = 0x96, REC_CHARS8_TEXT = 0x98,
    REC_CHARS16_TEXT = 0x9a, REC_CHARS32_TEXT = 0x9c, REC_BYTES8_TEXT = 0x9e, REC_BYTES16_TEXT = 0xa0,
    REC_BYTES32_TEXT = 0xa2, REC_START_LIST_TEXT = 0xa4, REC_END_LIST_TEXT = 0xa6, REC_EMPTY_TEXT = 0xa8,
    REC_DICT_TEXT = 0xaa, REC_UNIQUE_ID_TEXT = 0xac, REC_TIMESPAN_TEXT = 0xae, REC_UUID_TEXT = 0xb0,
    REC_UINT64_TEXT = 0xb2, REC_BOOL_TEXT = 0xb4, REC_UNICODE_CHARS8_TEXT = 0xb6, REC_UNICODE_CHARS16_TEXT = 0xb8,
    REC_UNICODE_CHARS32_TEXT = 0xba, REC_QNAME_DICT_TEXT = 0xbc, REC_LAST_TEXT = 0xbd,
};

/* WS_DATETIME's maximum (the last tick of 9999-12-31). */
#define MAX_DATETIME_TICKS 0x2bca2875f4373fffull

struct cursor
{
    const BYTE *p, *end;
};

static HRESULT bin_need( struct reader *reader, const struct cursor *c, ULONG count, WS_ERROR *error )
{
    if ((ULONG)(c->end - c->p) >= count) return S_OK;
    return need_more( reader, error );
}

/* A MultiByteInt31: 7 bits a byte, low first, at most 5 bytes and 31 bits. */
static HRESULT bin_read_mb31( struct reader *reader, struct cursor *c, ULONG *value, WS_ERROR *error )
{
    ULONG val = 0, i;

    for (i = 0; i < 5; i++)
    {
        BYTE b;

        if (c->p + i >= c->end) return need_more( reader, error );
        b = c->p[i];
        if (i == 4 && b > 0x07) return bad_format( reader, c->p, "multi-byte integer past 31 bits", error );
        val |= (ULONG)(b & 0x7f) << (7 * i);
        if (!(b & 0x80))
        {
            c->p += i + 1;
            *value = val;
            return S_OK;
        }
    }
    return bad_format( reader, c->p, "multi-byte integer past 31 bits", error );  /* not reached */
}

/* COUNT raw bytes at the cursor. */
static HRESULT bin_read_bytes( struct reader *reader, struct cursor *c, ULONG count, const BYTE **bytes,
                               WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = bin_need( reader, c, count, error )) != S_OK) return hr;
    *bytes = c->p;
    c->p += count;
    return S_OK;
}

static void set_string( WS_XML_STRING *str, const BYTE *bytes, ULONG len )
{
    str->length = len;
    str->bytes = (BYTE *)bytes;
    str->dictionary = NULL;
    str->id = 0;
}

/* An inline string: MultiByteInt31 length and UTF-8 bytes. */
static HRESULT bin_read_string( struct reader *reader, struct cursor *c, WS_XML_STRING *str, WS_ERROR *error )
{
    const BYTE *bytes;
    ULONG len;
    HRESULT hr;

    if ((hr = bin_read_mb31( reader, c, &len, error )) != S_OK) return hr;
    if ((hr = bin_read_bytes( reader, c, len, &bytes, error )) != S_OK) return hr;
    if (!ws_utf8_is_valid( bytes, len )) return bad_format( reader, bytes, "invalid UTF-8 in a string", error );
    set_string( str, bytes, len );
    return S_OK;
}

/* A dictionary string reference: even keys index the static dictionary,
 * odd ones the dynamic dictionary, at KEY / 2 (the WS_XML_STRING id). */
static HRESULT bin_read_dict_string( struct reader *reader, struct cursor *c, WS_XML_STRING *str, WS_ERROR *error )
{
    const BYTE *where = c->p;
    const WS_XML_DICTIONARY *dict;
    ULONG key;
    HRESULT hr;

    if ((hr = bin_read_mb31( reader, c, &key, error )) != S_OK) return hr;
    dict = (key & 1) ? reader->dynamic_dict : reader->static_dict;
    if (!dict)
        return bad_format( reader, where, key & 1 ? "dictionary string without a dynamic dictionary"
                                                  : "dictionary string without a static dictionary", error );
    if (key / 2 >= dict->stringCount)
        return bad_format( reader, where, "dictionary string id out of range", error );
    *str = dict->strings[key / 2];
    str->dictionary = (WS_XML_DICTIONARY *)dict;
    str->id = key / 2;
    return S_OK;
}

/* The one-letter prefixes of the PrefixElement and PrefixAttribute records. */
static void letter_prefix( WS_XML_STRING *str, ULONG letter )
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    set_string( str, (const BYTE *)letters + letter, 1 );
}

/* The name of an element or attribute record.  FORM: 0 short, 1 prefixed,
 * 2 short dictionary, 3 prefixed dictionary, 4 + n letter n with a dictionary
 * name, 30 + n letter n with an inline name. */
static HRESULT bin_read_name( struct reader *reader, struct cursor *c, ULONG form, WS_XML_STRING *prefix,
                              WS_XML_STRING *local, WS_ERROR *error )
{
    HRESULT hr;

    if (form >= 30) letter_prefix( prefix, form - 30 );
    else if (form >= 4) letter_prefix( prefix, form - 4 );
    else if (form == 1 || form == 3)
    {
        if ((hr = bin_read_string( reader, c, prefix, error )) != S_OK) return hr;
    }
    else set_string( prefix, (const BYTE *)"", 0 );
    if (form == 2 || form == 3 || (form >= 4 && form < 30)) return bin_read_dict_string( reader, c, local, error );
    return bin_read_string( reader, c, local, error );
}

/* Checks UTF-16LE bytes: even length, paired surrogates. */
static BOOL utf16le_is_valid( const BYTE *bytes, ULONG len )
{
    ULONG i;

    if (len & 1) return FALSE;
    for (i = 0; i < len; i += 2)
    {
        WCHAR ch = bytes[i] | bytes[i + 1] << 8;
        if (ch >= 0xdc00 && ch <= 0xdfff) return FALSE;
        if (ch >= 0xd800 && ch <= 0xdbff)
        {
            WCHAR low;
            if (i + 3 >= len) return FALSE;
            low = bytes[i + 2] | bytes[i + 3] << 8;
            if (low < 0xdc00 || low > 0xdfff) return FALSE;
            i += 2;
        }
    }
    return TRUE;
}

static void set_text_type( struct binary_value *value, WS_XML_TEXT_TYPE type )
{
    value->u.text.textType = type;
}

static void set_utf8_value( struct binary_value *value, const BYTE *bytes, ULONG len )
{
    set_text_type( value, WS_XML_TEXT_TYPE_UTF8 );
    set_string( &value->u.utf8.value, bytes, len );
}

static HRESULT bin_read_text_value( struct reader *reader, struct cursor *c, BYTE type, struct binary_value *value,
                                    BOOL in_list, WS_ERROR *error );

/* The items of a StartListText record, up to its EndListText record. */
static HRESULT bin_read_list( struct reader *reader, struct cursor *c, struct binary_value *value,
                              WS_ERROR *error )
{
    ULONG start = reader->list_count;
    HRESULT hr;

    for (;;)
    {
        BYTE type;

        if ((hr = bin_need( reader, c, 1, error )) != S_OK) return hr;
        type = *c->p++;
        if (type == REC_END_LIST_TEXT) break;
        if (type < REC_ZERO_TEXT || type > REC_LAST_TEXT || (type & 1) || type == REC_START_LIST_TEXT)
            return bad_format( reader, c->p - 1, "invalid record in a list", error );
        if (!grow_array( (void **)&reader->list_items, &reader->list_cap, reader->list_count + 1,
                         sizeof(*reader->list_items) ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory for list items" );
        if ((hr = bin_read_text_value( reader, c, type, &reader->list_items[reader->list_count], TRUE, error ))
            != S_OK) return hr;
        reader->list_count++;
    }
    set_text_type( value, WS_XML_TEXT_TYPE_LIST );
    value->list_start = start;
    value->u.list.itemCount = reader->list_count - start;
    value->u.list.items = NULL;
    return S_OK;
}

/* Points the list texts among VALUES (COUNT of them) at their items, once the node is complete. */
static HRESULT bin_fix_lists( struct reader *reader, struct binary_value **values, ULONG count, WS_ERROR *error )
{
    ULONG i;

    if (!reader->list_count) return S_OK;
    if (!grow_array( (void **)&reader->list_ptrs, &reader->list_ptr_cap, reader->list_count,
                     sizeof(*reader->list_ptrs) ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for list items" );
    for (i = 0; i < reader->list_count; i++) reader->list_ptrs[i] = &reader->list_items[i].u.text;
    for (i = 0; i < count; i++)
        if (values[i]->u.text.textType == WS_XML_TEXT_TYPE_LIST)
            values[i]->u.list.items = reader->list_ptrs + values[i]->list_start;
    return S_OK;
}

/* Reads the value of text record TYPE (either variant) into VALUE. */
static HRESULT bin_read_text_value( struct reader *reader, struct cursor *c, BYTE type, struct binary_value *value,
                                    BOOL in_list, WS_ERROR *error )
{
    const BYTE *where = c->p - 1, *bytes;
    ULONG len;
    HRESULT hr;

    switch (type & ~1)
    {
    case REC_ZERO_TEXT:
    case REC_ONE_TEXT:
        set_text_type( value, WS_XML_TEXT_TYPE_INT32 );
        value->u.int32.value = (type & ~1) == REC_ONE_TEXT;
        return S_OK;
    case REC_FALSE_TEXT:
    case REC_TRUE_TEXT:
        set_text_type( value, WS_XML_TEXT_TYPE_BOOL );
        value->u.boolean.value = (type & ~1) == REC_TRUE_TEXT;
        return S_OK;
    case REC_BOOL_TEXT:
        if ((hr = bin_read_bytes( reader, c, 1, &bytes, error )) != S_OK) return hr;
        if (bytes[0] > 1) return bad_format( reader, bytes, "boolean value other than 0 or 1", error );
        set_text_type( value, WS_XML_TEXT_TYPE_BOOL );
        value->u.boolean.value = bytes[0];
        return S_OK;
    case REC_INT8_TEXT:
        if ((hr = bin_read_bytes( reader, c, 1, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_INT32 );
        value->u.int32.value = (signed char)bytes[0];
        return S_OK;
    case REC_INT16_TEXT:
    {
        short val;
        if ((hr = bin_read_bytes( reader, c, 2, &bytes, error )) != S_OK) return hr;
        memcpy( &val, bytes, 2 );
        set_text_type( value, WS_XML_TEXT_TYPE_INT32 );
        value->u.int32.value = val;
        return S_OK;
    }
    case REC_INT32_TEXT:
        if ((hr = bin_read_bytes( reader, c, 4, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_INT32 );
        memcpy( &value->u.int32.value, bytes, 4 );
        return S_OK;
    case REC_INT64_TEXT:
        if ((hr = bin_read_bytes( reader, c, 8, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_INT64 );
        memcpy( &value->u.int64.value, bytes, 8 );
        return S_OK;
    case REC_UINT64_TEXT:
        if ((hr = bin_read_bytes( reader, c, 8, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_UINT64 );
        memcpy( &value->u.uint64.value, bytes, 8 );
        return S_OK;
    case REC_FLOAT_TEXT:
        if ((hr = bin_read_bytes( reader, c, 4, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_FLOAT );
        memcpy( &value->u.flt.value, bytes, 4 );
        return S_OK;
    case REC_DOUBLE_TEXT:
        if ((hr = bin_read_bytes( reader, c, 8, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_DOUBLE );
        memcpy( &value->u.dbl.value, bytes, 8 );
        return S_OK;
    case REC_DECIMAL_TEXT:
        /* The wire layout is DECIMAL's: reserved, scale, sign, high 32, low 64 bits. */
        if ((hr = bin_read_bytes( reader, c, 16, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_DECIMAL );
        memcpy( &value->u.decimal.value, bytes, 16 );
        if (value->u.decimal.value.scale > 28 || (value->u.decimal.value.sign & 0x7f) ||
            value->u.decimal.value.wReserved)
            return bad_format( reader, bytes, "invalid decimal", error );
        return S_OK;
    case REC_DATETIME_TEXT:
    {
        ULONGLONG val, ticks;
        if ((hr = bin_read_bytes( reader, c, 8, &bytes, error )) != S_OK) return hr;
        memcpy( &val, bytes, 8 );
        ticks = val & ((1ull << 62) - 1);
        set_text_type( value, WS_XML_TEXT_TYPE_DATETIME );
        value->u.datetime.value.ticks = ticks;
        /* TZ bits: 0 unspecified, 1 UTC, 2 local. */
        switch (val >> 62)
        {
        case 0: value->u.datetime.value.format = WS_DATETIME_FORMAT_NONE; break;
        case 1: value->u.datetime.value.format = WS_DATETIME_FORMAT_UTC; break;
        case 2: value->u.datetime.value.format = WS_DATETIME_FORMAT_LOCAL; break;
        default: return bad_format( reader, bytes, "invalid time zone in a date", error );
        }
        if (ticks > MAX_DATETIME_TICKS) return bad_format( reader, bytes, "date out of range", error );
        return S_OK;
    }
    case REC_TIMESPAN_TEXT:
        if ((hr = bin_read_bytes( reader, c, 8, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_TIMESPAN );
        memcpy( &value->u.timespan.value.ticks, bytes, 8 );
        return S_OK;
    case REC_UUID_TEXT:
        if ((hr = bin_read_bytes( reader, c, 16, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_GUID );
        memcpy( &value->u.guid.value, bytes, 16 );
        return S_OK;
    case REC_UNIQUE_ID_TEXT:
        if ((hr = bin_read_bytes( reader, c, 16, &bytes, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_UNIQUE_ID );
        memcpy( &value->u.unique_id.value, bytes, 16 );
        return S_OK;
    case REC_CHARS8_TEXT:
    case REC_CHARS16_TEXT:
    case REC_CHARS32_TEXT:
    case REC_BYTES8_TEXT:
    case REC_BYTES16_TEXT:
    case REC_BYTES32_TEXT:
    case REC_UNICODE_CHARS8_TEXT:
    case REC_UNICODE_CHARS16_TEXT:
    case REC_UNICODE_CHARS32_TEXT:
    {
        /* Length prefix of 1, 2 or 4 bytes (the 4-byte one is a non-negative Int32). */
        BYTE base = type & ~1, size;
        if (base == REC_CHARS8_TEXT || base == REC_BYTES8_TEXT || base == REC_UNICODE_CHARS8_TEXT) size = 1;
        else if (base == REC_CHARS16_TEXT || base == REC_BYTES16_TEXT || base == REC_UNICODE_CHARS16_TEXT) size = 2;
        else size = 4;
        if ((hr = bin_read_bytes( reader, c, size, &bytes, error )) != S_OK) return hr;
        len = 0;
        memcpy( &len, bytes, size );
        if (len > 0x7fffffff) return bad_format( reader, bytes, "negative length", error );
        if ((hr = bin_read_bytes( reader, c, len, &bytes, error )) != S_OK) return hr;
        if (base == REC_BYTES8_TEXT || base == REC_BYTES16_TEXT || base == REC_BYTES32_TEXT)
        {
            set_text_type( value, WS_XML_TEXT_TYPE_BASE64 );
            value->u.base64.bytes = (BYTE *)bytes;
            value->u.base64.length = len;
        }
        else if (base == REC_CHARS8_TEXT || base == REC_CHARS16_TEXT || base == REC_CHARS32_TEXT)
        {
            if (!ws_utf8_is_valid( bytes, len )) return bad_format( reader, bytes, "invalid UTF-8 text", error );
            set_utf8_value( value, bytes, len );
        }
        else
        {
            if (!utf16le_is_valid( bytes, len )) return bad_format( reader, bytes, "invalid UTF-16 text", error );
            set_text_type( value, WS_XML_TEXT_TYPE_UTF16 );
            value->u.utf16.bytes = (BYTE *)bytes;
            value->u.utf16.byteCount = len;
        }
        return S_OK;
    }
    case REC_EMPTY_TEXT:
        set_utf8_value( value, (const BYTE *)"", 0 );
        return S_OK;
    case REC_DICT_TEXT:
        set_text_type( value, WS_XML_TEXT_TYPE_UTF8 );
        return bin_read_dict_string( reader, c, &value->u.utf8.value, error );
    case REC_QNAME_DICT_TEXT:
        /* A prefix letter and a dictionary local name; the namespace is the
         * prefix's, resolved when the node is complete. */
        if ((hr = bin_read_bytes( reader, c, 1, &bytes, error )) != S_OK) return hr;
        if (bytes[0] >= 26) return bad_format( reader, bytes, "invalid prefix letter in a QName", error );
        letter_prefix( &value->qprefix, bytes[0] );
        if ((hr = bin_read_dict_string( reader, c, &value->qlocal, error )) != S_OK) return hr;
        set_text_type( value, WS_XML_TEXT_TYPE_QNAME );
        value->u.qname.prefix = &value->qprefix;
        value->u.qname.localName = &value->qlocal;
        value->u.qname.ns = NULL;
        return S_OK;
    case REC_START_LIST_TEXT:
        if (in_list || (type & 1)) break;
        return bin_read_list( reader, c, value, error );
    default:
        break;
    }
    return bad_format( reader, where, "invalid text record", error );
}

/* Resolves the namespace of a QName text. */
static HRESULT bin_resolve_qname( struct reader *reader, struct binary_value *value, const BYTE *where,
                                  WS_ERROR *error )
{
    if (value->u.text.textType != WS_XML_TEXT_TYPE_QNAME) return S_OK;
    if (!(value->u.qname.ns = ns_lookup( reader, value->qprefix.bytes, value->qprefix.length )))
        return bad_format( reader, where, "undeclared prefix in a QName", error );
    return S_OK;
}

/* Reads the attribute records after an element record into the attribute
 * slots; *COUNT receives how many.  Nothing is declared yet. */
static HRESULT bin_read_attributes( struct reader *reader, struct cursor *c, ULONG *count, WS_ERROR *error )
{
    static const WS_XML_STRING xmlns_local = { 5, (BYTE *)"xmlns", NULL, 0 };
    ULONG n = 0;
    HRESULT hr;

    for (;;)
    {
        struct attr_slot *slot;
        BYTE rec;

        if (c->p >= c->end)
        {
            /* The element may have more attributes in the data to come. */
            if (reader->input == INPUT_TEXT_STREAM && !reader->stream_eof) return READ_MORE;
            break;
        }
        rec = *c->p;
        if (rec < REC_FIRST_ATTRIBUTE || rec > REC_LAST_ATTRIBUTE) break;
        if (n >= reader->props.max_attributes)
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu attributes on an element",
                                 reader->props.max_attributes );
        if (!grow_array( (void **)&reader->attrs, &reader->attr_cap, n + 1, sizeof(*reader->attrs) ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory for attributes" );
        slot = &reader->attrs[n];
        memset( slot, 0, sizeof(*slot) );
        c->p++;
        if (rec >= REC_SHORT_XMLNS && rec <= REC_DICT_XMLNS)
        {
            if (rec == REC_XMLNS || rec == REC_DICT_XMLNS)
            {
                if ((hr = bin_read_string( reader, c, &slot->prefix, error )) != S_OK) return hr;
            }
            else set_string( &slot->prefix, (const BYTE *)"", 0 );
            if (rec == REC_SHORT_DICT_XMLNS || rec == REC_DICT_XMLNS)
                hr = bin_read_dict_string( reader, c, &slot->value.value, error );
            else
                hr = bin_read_string( reader, c, &slot->value.value, error );
            if (hr != S_OK) return hr;
            /* As the text encoding reports them: the declared prefix as prefix and local name. */
            slot->localname = slot->prefix.length ? slot->prefix : xmlns_local;
            slot->attr.isXmlNs = TRUE;
            set_utf8_value( &slot->bvalue, (const BYTE *)"", 0 );
        }
        else
        {
            BYTE type;
            ULONG form = rec < REC_SHORT_XMLNS ? rec - REC_FIRST_ATTRIBUTE : rec - 8;

            if ((hr = bin_read_name( reader, c, form, &slot->prefix, &slot->localname, error )) != S_OK) return hr;
            if ((hr = bin_need( reader, c, 1, error )) != S_OK) return hr;
            type = *c->p++;
            if (type < REC_ZERO_TEXT || type > REC_LAST_TEXT || (type & 1) || type == REC_END_LIST_TEXT)
                return bad_format( reader, c->p - 1, "invalid record for an attribute value", error );
            if ((hr = bin_read_text_value( reader, c, type, &slot->bvalue, FALSE, error )) != S_OK) return hr;
            if (slot->bvalue.u.text.textType == WS_XML_TEXT_TYPE_UTF8) slot->value.value = slot->bvalue.u.utf8.value;
            else set_string( &slot->value.value, (const BYTE *)"", 0 );
        }
        slot->value.text.textType = WS_XML_TEXT_TYPE_UTF8;
        slot->attr.prefix = &slot->prefix;
        slot->attr.localName = &slot->localname;
        slot->attr.value = &slot->bvalue.u.text;
        n++;
    }
    *count = n;
    return S_OK;
}

/* Makes the parsed element (PREFIX, LOCAL and COUNT attribute slots) the
 * current node: declares its namespaces, resolves its names and opens it. */
static HRESULT bin_commit_element( struct reader *reader, const WS_XML_STRING *prefix, const WS_XML_STRING *local,
                                   ULONG count, const BYTE *where, WS_ERROR *error )
{
    struct current_node *cur = &reader->cur;
    ULONG ns_saved = reader->ns_count, i, j;
    struct binary_value *values[1];
    WS_XML_STRING *ns;
    HRESULT hr;

    for (i = 0; i < count; i++)
    {
        struct attr_slot *slot = &reader->attrs[i];
        struct ns_binding *binding;

        slot_fix_pointers( slot, TRUE );

        if (!slot->attr.isXmlNs) continue;
        if ((hr = check_ns_declaration( reader, slot->prefix.length ? &slot->prefix : NULL, slot->value.value.bytes,
                                        slot->value.value.length, where, error )) != S_OK) goto failed;
        for (j = ns_saved; j < reader->ns_count; j++)
            if (xmlstr_eq( &reader->ns[j].prefix, &slot->prefix ))
            {
                hr = bad_format( reader, where, "duplicate namespace declaration", error );
                goto failed;
            }
        if ((hr = ns_push( reader, slot->prefix.bytes, slot->prefix.length, slot->value.value.bytes,
                           slot->value.value.length, reader->input == INPUT_TEXT_STREAM, error )) != S_OK)
            goto failed;
        binding = &reader->ns[reader->ns_count - 1];
        binding->ns.dictionary = slot->value.value.dictionary;
        binding->ns.id = slot->value.value.id;
        binding->prefix.dictionary = slot->prefix.dictionary;
        binding->prefix.id = slot->prefix.id;
        slot->bvalue.list_start = reader->ns_count - 1;   /* binding index, resolved below */
    }
    if (str_eq( prefix, (const BYTE *)"xmlns", 5 ))
    {
        hr = bad_format( reader, where, "element with the xmlns prefix", error );
        goto failed;
    }
    if (!(ns = ns_lookup( reader, prefix->bytes, prefix->length )))
    {
        hr = bad_format( reader, where, "undeclared namespace prefix", error );
        goto failed;
    }
    for (i = 0; i < count; i++)
    {
        struct attr_slot *slot = &reader->attrs[i];

        if (slot->attr.isXmlNs)
        {
            slot->attr.ns = &reader->ns[slot->bvalue.list_start].ns;
            slot->bvalue.list_start = 0;
            continue;
        }
        if (!slot->prefix.length) slot->attr.ns = mutable_string( &empty_string );
        else if (!(slot->attr.ns = ns_lookup( reader, slot->prefix.bytes, slot->prefix.length )))
        {
            hr = bad_format( reader, where, "undeclared attribute prefix", error );
            goto failed;
        }
        if ((hr = bin_resolve_qname( reader, &slot->bvalue, where, error )) != S_OK) goto failed;
        values[0] = &slot->bvalue;
        if ((hr = bin_fix_lists( reader, values, 1, error )) != S_OK) goto failed;
        if ((hr = check_duplicate_attribute( reader, i, where, error )) != S_OK) goto failed;
    }
    if ((hr = check_new_element( reader, count, where, error )) != S_OK) goto failed;
    if ((hr = push_open_element( reader, (const BYTE *)"", 0, ns_saved, count, error )) != S_OK) goto failed;

    for (i = 0; i < count; i++) reader->attr_ptrs[i] = &reader->attrs[i].attr;
    cur->type = WS_XML_NODE_TYPE_ELEMENT;
    cur->prefix = *prefix;
    cur->localname = *local;
    cur->element.node.nodeType = WS_XML_NODE_TYPE_ELEMENT;
    cur->element.prefix = &cur->prefix;
    cur->element.localName = &cur->localname;
    cur->element.ns = ns;
    cur->element.attributeCount = count;
    cur->element.attributes = count ? reader->attr_ptrs : NULL;
    cur->element.isEmpty = FALSE;
    reader->root_seen = TRUE;
    return S_OK;

failed:
    ns_pop_to( reader, ns_saved );
    if (cur->type == WS_XML_NODE_TYPE_ELEMENT)
    {
        cur->element.attributeCount = 0;
        cur->element.attributes = NULL;
    }
    return hr;
}

/* An element record REC (already consumed) and its attributes, not yet committed. */
static HRESULT bin_read_element( struct reader *reader, struct cursor *c, BYTE rec, WS_XML_STRING *prefix,
                                 WS_XML_STRING *local, ULONG *count, WS_ERROR *error )
{
    HRESULT hr;

    reader->list_count = 0;
    if ((hr = bin_read_name( reader, c, rec - REC_FIRST_ELEMENT, prefix, local, error )) != S_OK) return hr;
    return bin_read_attributes( reader, c, count, error );
}

static void set_binary_text_node( struct reader *reader )
{
    reader->cur.type = WS_XML_NODE_TYPE_TEXT;
    reader->cur.text.node.nodeType = WS_XML_NODE_TYPE_TEXT;
    reader->cur.text.text = &reader->cur.bvalue.u.text;
    reader->cur.text_in_scratch = FALSE;
}

/* Whether a binary text is whitespace only (text outside the root element). */
static BOOL bin_text_is_space( const struct binary_value *value )
{
    if (value->u.text.textType == WS_XML_TEXT_TYPE_UTF8)
        return is_whitespace( value->u.utf8.value.bytes, value->u.utf8.value.length );
    return FALSE;
}

/* A text record TYPE (consumed) in element content. */
static HRESULT bin_read_text_node( struct reader *reader, struct cursor *c, BYTE type, WS_ERROR *error )
{
    const BYTE *start = c->p - 1;
    struct binary_value *values[1] = { &reader->cur.bvalue };
    struct binary_value value;
    HRESULT hr;

    reader->list_count = 0;
    if ((hr = bin_read_text_value( reader, c, type, &value, FALSE, error )) != S_OK) return hr;
    if ((type & 1) && !reader->depth) return bad_format( reader, start, "end element outside an element", error );
    if (!reader->depth && !reader->props.allow_fragment && !bin_text_is_space( &value ))
        return bad_format( reader, start, "text outside the root element", error );
    reader->cur.bvalue = value;
    if (value.u.text.textType == WS_XML_TEXT_TYPE_QNAME)
    {
        reader->cur.bvalue.u.qname.prefix = &reader->cur.bvalue.qprefix;
        reader->cur.bvalue.u.qname.localName = &reader->cur.bvalue.qlocal;
        if ((hr = bin_resolve_qname( reader, &reader->cur.bvalue, start, error )) != S_OK) return hr;
    }
    if ((hr = bin_fix_lists( reader, values, 1, error )) != S_OK) return hr;
    set_binary_text_node( reader );
    reader->pending_end = type & 1;
    return S_OK;
}

/* The text records an Array record may hold, with the size of one item. */
static ULONG bin_array_item_size( BYTE type )
{
    switch (type)
    {
    case REC_BOOL_TEXT | 1:     return 1;
    case REC_INT16_TEXT | 1:    return 2;
    case REC_INT32_TEXT | 1:
    case REC_FLOAT_TEXT | 1:    return 4;
    case REC_INT64_TEXT | 1:
    case REC_DOUBLE_TEXT | 1:
    case REC_DATETIME_TEXT | 1:
    case REC_TIMESPAN_TEXT | 1: return 8;
    case REC_DECIMAL_TEXT | 1:
    case REC_UUID_TEXT | 1:     return 16;
    default:                    return 0;
    }
}

static void array_free( struct reader *reader )
{
    HeapFree( GetProcessHeap(), 0, reader->array.slots );
    bytes_free( &reader->array.block );
    memset( &reader->array, 0, sizeof(reader->array) );
}

/* References to the bytes a node points to, so they can be copied out of moving input. */
struct byte_refs
{
    struct { BYTE **bytes; ULONG len; } *refs;
    ULONG count, cap;
};

static BOOL refs_add( struct byte_refs *refs, BYTE **bytes, ULONG len )
{
    if (!len) return TRUE;
    if (!grow_array( (void **)&refs->refs, &refs->cap, refs->count + 1, sizeof(*refs->refs) )) return FALSE;
    refs->refs[refs->count].bytes = bytes;
    refs->refs[refs->count].len = len;
    refs->count++;
    return TRUE;
}

static BOOL refs_add_string( struct byte_refs *refs, WS_XML_STRING *str )
{
    /* Dictionary strings outlive the input. */
    if (str->dictionary) return TRUE;
    return refs_add( refs, &str->bytes, str->length );
}

static BOOL refs_add_text( struct byte_refs *refs, WS_XML_TEXT *text )
{
    ULONG i;

    if (!text) return TRUE;
    switch (text->textType)
    {
    case WS_XML_TEXT_TYPE_UTF8:   return refs_add_string( refs, &((WS_XML_UTF8_TEXT *)text)->value );
    case WS_XML_TEXT_TYPE_UTF16:
        return refs_add( refs, &((WS_XML_UTF16_TEXT *)text)->bytes, ((WS_XML_UTF16_TEXT *)text)->byteCount );
    case WS_XML_TEXT_TYPE_BASE64:
        return refs_add( refs, &((WS_XML_BASE64_TEXT *)text)->bytes, ((WS_XML_BASE64_TEXT *)text)->length );
    case WS_XML_TEXT_TYPE_LIST:
        for (i = 0; i < ((WS_XML_LIST_TEXT *)text)->itemCount; i++)
            if (!refs_add_text( refs, ((WS_XML_LIST_TEXT *)text)->items[i] )) return FALSE;
        return TRUE;
    default:
        return TRUE;
    }
}

/* The strings of COUNT attribute slots. */
static BOOL refs_add_slots( struct byte_refs *refs, struct attr_slot *slots, ULONG count )
{
    ULONG i;

    for (i = 0; i < count; i++)
    {
        struct attr_slot *slot = &slots[i];
        if (!refs_add_string( refs, &slot->prefix ) || !refs_add_string( refs, &slot->localname ) ||
            !refs_add_text( refs, slot->attr.value )) return FALSE;
        if (slot->attr.value != &slot->value.text && !refs_add_string( refs, &slot->value.value )) return FALSE;
    }
    return TRUE;
}

/* Copies the referenced bytes into one new block (replacing BLOCK) and repoints them. */
static HRESULT refs_copy( struct byte_refs *refs, struct bytes *block, WS_ERROR *error )
{
    ULONG total = 0, i;
    BYTE *data, *p;

    for (i = 0; i < refs->count; i++) total += refs->refs[i].len;
    if (!(data = HeapAlloc( GetProcessHeap(), 0, total + 1 )))
    {
        HeapFree( GetProcessHeap(), 0, refs->refs );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory keeping the current node" );
    }
    for (i = 0, p = data; i < refs->count; i++)
    {
        memcpy( p, *refs->refs[i].bytes, refs->refs[i].len );
        *refs->refs[i].bytes = p;
        p += refs->refs[i].len;
    }
    HeapFree( GetProcessHeap(), 0, refs->refs );
    bytes_free( block );
    block->data = data;
    block->len = block->cap = total + 1;
    return S_OK;
}

/* Keeps the item element of an array (names and attributes) for the items to come. */
static HRESULT array_save_element( struct reader *reader, ULONG count, WS_ERROR *error )
{
    struct binary_array *array = &reader->array;
    struct byte_refs refs = { NULL, 0, 0 };
    ULONG i;

    for (i = 0; i < count; i++)
        if (reader->attrs[i].bvalue.u.text.textType == WS_XML_TEXT_TYPE_LIST)
        {
            FIXME( "list attribute values on array items are not supported\n" );
            return ws_error_set( error, E_NOTIMPL, "list attributes on array items are not supported" );
        }
    if (count && !(array->slots = HeapAlloc( GetProcessHeap(), 0, count * sizeof(*array->slots) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for an array" );
    if (count) memcpy( array->slots, reader->attrs, count * sizeof(*array->slots) );
    array->slot_count = count;
    array->prefix = reader->cur.prefix;
    array->local = reader->cur.localname;
    /* The copied slots' attr.value point at the reader's slots: repoint them at their own. */
    for (i = 0; i < count; i++) array->slots[i].attr.value = &array->slots[i].bvalue.u.text;
    if (!refs_add_string( &refs, &array->prefix ) || !refs_add_string( &refs, &array->local ) ||
        !refs_add_slots( &refs, array->slots, count ))
    {
        HeapFree( GetProcessHeap(), 0, refs.refs );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for an array" );
    }
    return refs_copy( &refs, &array->block, error );
}

/* An Array record (consumed): the element, its EndElement, the item record type and count. */
static HRESULT bin_read_array( struct reader *reader, struct cursor *c, WS_ERROR *error )
{
    const BYTE *start = c->p - 1;
    WS_XML_STRING prefix, local;
    ULONG count, items;
    BYTE rec, type;
    HRESULT hr;

    if ((hr = bin_need( reader, c, 1, error )) != S_OK) return hr;
    rec = *c->p++;
    if (rec < REC_FIRST_ELEMENT || rec > REC_LAST_ELEMENT)
        return bad_format( reader, c->p - 1, "an array must start with an element record", error );
    if ((hr = bin_read_element( reader, c, rec, &prefix, &local, &count, error )) != S_OK) return hr;
    if ((hr = bin_need( reader, c, 2, error )) != S_OK) return hr;
    if (c->p[0] != REC_END_ELEMENT) return bad_format( reader, c->p, "end element expected in an array", error );
    type = c->p[1];
    if (!bin_array_item_size( type )) return bad_format( reader, c->p + 1, "invalid array item type", error );
    c->p += 2;
    if ((hr = bin_read_mb31( reader, c, &items, error )) != S_OK) return hr;
    if (!items) return bad_format( reader, start, "array without items", error );
    if ((hr = bin_commit_element( reader, &prefix, &local, count, start, error )) != S_OK) return hr;
    array_free( reader );
    if ((hr = array_save_element( reader, count, error )) != S_OK)
    {
        array_free( reader );
        return hr;
    }
    reader->array.active = TRUE;
    reader->array.type = type;
    reader->array.remaining = items;
    reader->array.phase = ARRAY_ELEMENT;
    return S_OK;
}

/* The next node inside an array: an item's text, its end, the next item's element. */
static HRESULT bin_read_array_node( struct reader *reader, WS_ERROR *error )
{
    struct binary_array *array = &reader->array;
    struct cursor c;
    HRESULT hr;

    switch (array->phase)
    {
    case ARRAY_ELEMENT:
        reader->node_offset = reader->base_offset + reader->pos;
        c.p = reader->data + reader->pos;
        c.end = reader->data + reader->len;
        if ((hr = bin_read_text_value( reader, &c, array->type, &reader->cur.bvalue, FALSE, error )) != S_OK)
            return hr;
        set_binary_text_node( reader );
        reader->pos = c.p - reader->data;
        array->phase = ARRAY_TEXT;
        return S_OK;
    case ARRAY_TEXT:
        set_simple_node( reader, WS_XML_NODE_TYPE_END_ELEMENT );
        reader->pending_pop = TRUE;
        array->phase = ARRAY_END;
        if (!--array->remaining) array_free( reader );
        return S_OK;
    case ARRAY_END:
    default:
        if (array->slot_count && !grow_array( (void **)&reader->attrs, &reader->attr_cap, array->slot_count,
                                              sizeof(*reader->attrs) ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory for attributes" );
        if (array->slot_count) memcpy( reader->attrs, array->slots, array->slot_count * sizeof(*reader->attrs) );
        for (ULONG i = 0; i < array->slot_count; i++) reader->attrs[i].attr.value = &reader->attrs[i].bvalue.u.text;
        reader->list_count = 0;
        if ((hr = bin_commit_element( reader, &array->prefix, &array->local, array->slot_count,
                                      reader->data + reader->pos, error )) != S_OK) return hr;
        array->phase = ARRAY_ELEMENT;
        return S_OK;
    }
}

/* A record failed to parse (or needs more stream data) after it reused the
 * attribute slots or the list storage: the current node keeps its names but
 * loses what pointed there, rather than showing another node's data. */
static void bin_invalidate_current( struct reader *reader )
{
    struct current_node *cur = &reader->cur;

    if (cur->type == WS_XML_NODE_TYPE_ELEMENT)
    {
        cur->element.attributeCount = 0;
        cur->element.attributes = NULL;
    }
    else if (cur->type == WS_XML_NODE_TYPE_TEXT && cur->bvalue.u.text.textType == WS_XML_TEXT_TYPE_LIST &&
             cur->text.text == &cur->bvalue.u.text)
    {
        cur->bvalue.u.list.itemCount = 0;
        cur->bvalue.u.list.items = NULL;
    }
}

static HRESULT binary_read_record( struct reader *reader, WS_ERROR *error );

static HRESULT binary_read_node( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr = binary_read_record( reader, error );
    if (hr != S_OK) bin_invalidate_current( reader );
    return hr;
}

static HRESULT binary_read_record( struct reader *reader, WS_ERROR *error )
{
    WS_XML_STRING prefix, local;
    struct cursor c;
    ULONG count;
    BYTE rec;
    HRESULT hr;

    if (reader->pending_pop)
    {
        pop_open_element( reader );
        reader->pending_pop = FALSE;
    }
    if (reader->pending_end)
    {
        reader->pending_end = FALSE;
        reader->pending_pop = TRUE;
        set_simple_node( reader, WS_XML_NODE_TYPE_END_ELEMENT );
        return S_OK;
    }
    if (reader->array.active) return bin_read_array_node( reader, error );

    reader->node_offset = reader->base_offset + reader->pos;
    c.p = reader->data + reader->pos;
    c.end = reader->data + reader->len;
    if (c.p >= c.end)
    {
        if (reader->input == INPUT_TEXT_STREAM && !reader->stream_eof) return READ_MORE;
        if (reader->depth) return ws_error_set( error, WS_E_INVALID_FORMAT, "end of the document inside an element" );
        set_simple_node( reader, WS_XML_NODE_TYPE_EOF );
        return S_OK;
    }
    rec = *c.p++;
    if (rec == REC_END_ELEMENT)
    {
        if (!reader->depth) return bad_format( reader, c.p - 1, "end element without an element", error );
        reader->pending_pop = TRUE;
        set_simple_node( reader, WS_XML_NODE_TYPE_END_ELEMENT );
    }
    else if (rec == REC_COMMENT)
    {
        WS_XML_STRING value;
        if ((hr = bin_read_string( reader, &c, &value, error )) != S_OK) return hr;
        reader->cur.type = WS_XML_NODE_TYPE_COMMENT;
        reader->cur.comment.node.nodeType = WS_XML_NODE_TYPE_COMMENT;
        reader->cur.comment.value = value;
    }
    else if (rec == REC_ARRAY)
    {
        if ((hr = bin_read_array( reader, &c, error )) != S_OK) return hr;
    }
    else if (rec >= REC_FIRST_ELEMENT && rec <= REC_LAST_ELEMENT)
    {
        if ((hr = bin_read_element( reader, &c, rec, &prefix, &local, &count, error )) != S_OK) return hr;
        if ((hr = bin_commit_element( reader, &prefix, &local, count, c.p, error )) != S_OK) return hr;
    }
    else if (rec >= REC_ZERO_TEXT && rec <= REC_LAST_TEXT)
    {
        if ((hr = bin_read_text_node( reader, &c, rec, error )) != S_OK) return hr;
    }
    else return bad_format( reader, c.p - 1, "unknown record type", error );
    reader->pos = c.p - reader->data;
    return S_OK;
}

static const struct reader_encoding binary_encoding = { binary_read_node };

/* WsReadArray over an Array record: copies up to MAX items straight from the
 * input when their wire layout is VALUE_TYPE's, leaving the reader on the
 * item element of the first item not copied (one is always left for the
 * node-by-node path, which moves past the array's last end element).
 * Returns the number of items copied. */
static ULONG bin_read_array_items( struct reader *reader, const WS_XML_STRING *localname, const WS_XML_STRING *ns,
                                   WS_VALUE_TYPE value_type, BYTE *out, ULONG max )
{
    static const struct { BYTE type; WS_VALUE_TYPE value_type; } raw_types[] =
    {
        { REC_INT16_TEXT | 1, WS_INT16_VALUE_TYPE }, { REC_INT32_TEXT | 1, WS_INT32_VALUE_TYPE },
        { REC_INT64_TEXT | 1, WS_INT64_VALUE_TYPE }, { REC_FLOAT_TEXT | 1, WS_FLOAT_VALUE_TYPE },
        { REC_DOUBLE_TEXT | 1, WS_DOUBLE_VALUE_TYPE }, { REC_TIMESPAN_TEXT | 1, WS_TIMESPAN_VALUE_TYPE },
        { REC_UUID_TEXT | 1, WS_GUID_VALUE_TYPE },
    };
    struct binary_array *array = &reader->array;
    ULONG size, count, i;

    if (!reader->binary || !array->active || array->phase != ARRAY_ELEMENT || reader->in_attr ||
        reader->cur.type != WS_XML_NODE_TYPE_ELEMENT) return 0;
    for (i = 0; i < ARRAYSIZE(raw_types); i++)
        if (raw_types[i].type == array->type && raw_types[i].value_type == value_type) break;
    if (i == ARRAYSIZE(raw_types)) return 0;
    if (!xmlstr_eq( reader->cur.element.localName, localname ) || !xmlstr_eq( reader->cur.element.ns, ns ))
        return 0;
    size = bin_array_item_size( array->type );
    count = min( max, array->remaining - 1 );
    count = min( count, (reader->len - reader->pos) / size );
    if (!count) return 0;
    memcpy( out, reader->data + reader->pos, (SIZE_T)count * size );
    reader->pos += count * size;
    reader->node_offset = reader->base_offset + reader->pos;
    array->remaining -= count;
    return count;
}

/* ---- input: buffers, streams, charsets ------------------------------------------ */

/* The charset of a document from its first bytes, and the length of its BOM. */
static WS_CHARSET detect_charset( const BYTE *p, ULONG len, ULONG *bom )
{
    *bom = 0;
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) { *bom = 3; return WS_CHARSET_UTF8; }
    if (len >= 2 && p[0] == 0xff && p[1] == 0xfe) { *bom = 2; return WS_CHARSET_UTF16LE; }
    if (len >= 2 && p[0] == 0xfe && p[1] == 0xff) { *bom = 2; return WS_CHARSET_UTF16BE; }
    if (len >= 2 && p[0] == '<' && !p[1]) return WS_CHARSET_UTF16LE;
    if (len >= 2 && !p[0] && p[1] == '<') return WS_CHARSET_UTF16BE;
    return WS_CHARSET_UTF8;
}

/* The BOM length of P when it matches the given (not AUTO) charset. */
static ULONG charset_bom( WS_CHARSET charset, const BYTE *p, ULONG len )
{
    ULONG bom;
    return detect_charset( p, len, &bom ) == charset ? bom : 0;
}

static HRESULT set_buffer_input( struct reader *reader, WS_CHARSET charset, const BYTE *bytes, ULONG size,
                                 WS_ERROR *error )
{
    ULONG bom;

    if (size && !bytes) return ws_error_set( error, E_INVALIDARG, "encodedData is NULL" );
    if (charset == WS_CHARSET_AUTO) charset = detect_charset( bytes, size, &bom );
    else bom = charset_bom( charset, bytes, size );
    bytes += bom;
    size -= bom;
    reader->props.charset = charset;
    reader->charset = charset;
    reader->charset_known = TRUE;
    reader->empty_input = !size;
    if (charset == WS_CHARSET_UTF8)
    {
        reader->data = bytes;
        reader->len = size;
        return S_OK;
    }
    /* UTF-16: converted once; nodes point into the converted copy. */
    reader->owned.len = 0;
    if (utf16_to_utf8( bytes, size, charset == WS_CHARSET_UTF16BE, TRUE, &reader->owned ) < 0)
        reader->faulted = ws_error_set( error, WS_E_INVALID_FORMAT, "invalid UTF-16 input" );
    reader->data = reader->owned.data;
    reader->len = reader->owned.len;
    return S_OK;
}

/* Moves stream bytes from the raw buffer to the UTF-8 data, converting. */
static HRESULT stream_convert( struct reader *reader, WS_ERROR *error )
{
    BYTE *raw = reader->raw.data;
    ULONG len = reader->raw.len;
    int done;

    if (!reader->charset_known)
    {
        ULONG bom;

        if (len < 4 && !reader->stream_eof) return S_OK;
        if (reader->charset == WS_CHARSET_AUTO) reader->charset = detect_charset( raw, len, &bom );
        else bom = charset_bom( reader->charset, raw, len );
        reader->charset_known = TRUE;
        reader->props.charset = reader->charset;
        raw += bom;
        len -= bom;
        if (reader->stream_eof && !len && !reader->len) reader->empty_input = TRUE;
    }
    if (reader->charset == WS_CHARSET_UTF8)
    {
        if (!bytes_append( &reader->owned, raw, len ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory buffering the stream" );
        done = len;
    }
    else if ((done = utf16_to_utf8( raw, len, reader->charset == WS_CHARSET_UTF16BE, reader->stream_eof,
                                    &reader->owned )) < 0)
        return reader->faulted = ws_error_set( error, WS_E_INVALID_FORMAT, "invalid UTF-16 input" );
    memmove( reader->raw.data, raw + done, len - done );
    reader->raw.len = len - done;
    reader->data = reader->owned.data;
    reader->len = reader->owned.len;
    return S_OK;
}

/* Copies the strings of the current node out of the stream data, which is about to move. */
static HRESULT detach_current_node( struct reader *reader, WS_ERROR *error )
{
    struct current_node *cur = &reader->cur;
    struct byte_refs refs = { NULL, 0, 0 };
    BOOL ok;

    switch (cur->type)
    {
    case WS_XML_NODE_TYPE_ELEMENT:
        ok = refs_add_string( &refs, &cur->prefix ) && refs_add_string( &refs, &cur->localname ) &&
             refs_add_slots( &refs, reader->attrs, cur->element.attributeCount );
        break;
    case WS_XML_NODE_TYPE_TEXT:
        ok = refs_add_text( &refs, cur->text.text );
        break;
    case WS_XML_NODE_TYPE_COMMENT:
        ok = refs_add_string( &refs, &cur->comment.value );
        break;
    default:
        return S_OK;
    }
    if (!ok)
    {
        HeapFree( GetProcessHeap(), 0, refs.refs );
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory keeping the current node" );
    }
    return refs_copy( &refs, &reader->detached, error );
}

/* Drops the consumed stream data (keeping the current node valid). */
static HRESULT stream_compact( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr;

    if (!reader->pos) return S_OK;
    if ((hr = detach_current_node( reader, error )) != S_OK) return hr;
    if (!reader->node_rc_valid)
    {
        update_row_column( reader, reader->node_offset );
        reader->props.row = reader->rc_row;
        reader->props.column = reader->rc_column;
        reader->node_rc_valid = TRUE;
    }
    update_row_column( reader, reader->base_offset + reader->pos );
    memmove( reader->owned.data, reader->owned.data + reader->pos, reader->len - reader->pos );
    reader->owned.len -= reader->pos;
    reader->base_offset += reader->pos;
    reader->len -= reader->pos;
    reader->pos = 0;
    reader->data = reader->owned.data;
    return S_OK;
}

/* Reads up to ROOM more stream bytes into the raw buffer; *GOT 0 at the end of the stream. */
static HRESULT read_raw( struct reader *reader, ULONG room, ULONG *got, WS_ERROR *error )
{
    HRESULT hr;

    *got = 0;
    if (!bytes_reserve( &reader->raw, room ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory buffering the stream" );
    if (FAILED(hr = reader->callback( reader->callback_state, reader->raw.data + reader->raw.len, room, got,
                                      NULL, error )))
        return ws_error_set( error, hr, "the read callback failed with %#lx", hr );
    if (*got > room) return ws_error_set( error, E_INVALIDARG, "the read callback returned %lu bytes for %lu",
                                          *got, room );
    reader->raw.len += *got;
    return S_OK;
}

static HRESULT stream_fill( struct reader *reader, ULONG min_size, WS_ERROR *error )
{
    HRESULT hr;

    if (min_size > reader->props.stream_buffer_size)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "%lu bytes requested, the stream buffer holds %lu",
                             min_size, reader->props.stream_buffer_size );
    if ((hr = stream_compact( reader, error )) != S_OK) return hr;
    while (reader->len < min_size && !reader->stream_eof)
    {
        ULONG used = reader->len + reader->raw.len, got = 0;
        ULONG room = used < reader->props.stream_buffer_size ? reader->props.stream_buffer_size - used : 0;

        if (!room) break;
        if ((hr = read_raw( reader, room, &got, error )) != S_OK) return hr;
        if (!got) reader->stream_eof = TRUE;
        if ((hr = stream_convert( reader, error )) != S_OK) return hr;
    }
    return S_OK;
}

/* ---- the MTOM encoding ------------------------------------------------------------------
 *
 * The MIME envelope is split by mtom.c; the root part is read by the text tokenizer, and an
 * xop:Include element (with its end element) becomes one base64 text node whose bytes are the
 * referenced part, as W3C XOP 1.0 reconstructs the infoset.  Stream input is read whole by
 * WsFillReader before the first node: parts may only be resolved once they have arrived. */

static const WS_XML_STRING xop_ns = { sizeof(WS_XOP_NS) - 1, (BYTE *)WS_XOP_NS, NULL, 0 };

/* Sets the root part of the parsed message as the text input. */
static HRESULT mtom_set_root( struct reader *reader, WS_ERROR *error )
{
    const struct ws_mime_part *root = &reader->mime.parts[reader->mime.root];
    WS_CHARSET charset = root->has_type ? root->charset : reader->mtom_charset;

    return set_buffer_input( reader, charset, root->body, root->body_len, error );
}

static HRESULT mtom_parse( struct reader *reader, const BYTE *data, ULONG len, ULONG max_headers, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = ws_mime_parse( &reader->mime, data, len, reader->props.max_mime_parts, max_headers, error )))
        return hr;
    return mtom_set_root( reader, error );
}

/* WsFillReader on MTOM stream input: reads the whole message, within the stream quotas. */
static HRESULT mtom_fill( struct reader *reader, WS_ERROR *error )
{
    ULONG limit = reader->props.stream_max_root_mime_part_size, got;
    HRESULT hr;

    if (reader->faulted) return ws_error_set( error, reader->faulted, "the reader failed earlier (%#lx)",
                                              reader->faulted );
    reader->raw.len = 0;
    do
    {
        if ((hr = read_raw( reader, 65536, &got, error )) != S_OK) return hr;
    } while (got);
    reader->stream_eof = TRUE;
    reader->input = INPUT_TEXT_BUFFER;
    if (FAILED(hr = mtom_parse( reader, reader->raw.data, reader->raw.len,
                                reader->props.stream_max_mime_headers_size, error )))
        return reader->faulted = hr;
    if (reader->mime.parts[reader->mime.root].body_len > limit)
        return reader->faulted = ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the root MIME part has %lu bytes, "
                                               "more than the maximum of %lu",
                                               reader->mime.parts[reader->mime.root].body_len, limit );
    return S_OK;
}

static BOOL is_xop_include( const struct reader *reader )
{
    return reader->cur.type == WS_XML_NODE_TYPE_ELEMENT && str_eq( &reader->cur.localname, (const BYTE *)"Include", 7 ) &&
           xmlstr_eq( reader->cur.element.ns, &xop_ns );
}

/* The current node is an xop:Include element: replaces it and its end element with the part. */
static HRESULT xop_replace_include( struct reader *reader, WS_ERROR *error )
{
    const struct ws_mime_part *part = NULL;
    const BYTE *where = reader->data + reader->pos;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < reader->cur.element.attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = reader->cur.element.attributes[i];
        const WS_XML_UTF8_TEXT *value = (const WS_XML_UTF8_TEXT *)attr->value;

        if (attr->isXmlNs || attr->ns->length || !str_eq( attr->localName, (const BYTE *)"href", 4 )) continue;
        if (!(part = ws_mime_find_part( &reader->mime, value->value.bytes, value->value.length )))
            return bad_format( reader, where, "xop:Include refers to a missing MIME part", error );
    }
    if (!part) return bad_format( reader, where, "xop:Include without href", error );
    if ((hr = text_read_node( reader, error )) != S_OK) return hr;
    if (reader->cur.type != WS_XML_NODE_TYPE_END_ELEMENT)
        return bad_format( reader, where, "xop:Include is not empty", error );
    /* the Include scope goes at the next node, as for any end element */
    reader->cur.bvalue.u.base64.text.textType = WS_XML_TEXT_TYPE_BASE64;
    reader->cur.bvalue.u.base64.bytes = (BYTE *)part->body;
    reader->cur.bvalue.u.base64.length = part->body_len;
    set_binary_text_node( reader );
    return S_OK;
}

static HRESULT mtom_read_node( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr;

    if (reader->input == INPUT_TEXT_STREAM) return READ_MORE;   /* WsFillReader reads the message */
    if ((hr = text_read_node( reader, error )) != S_OK || !is_xop_include( reader )) return hr;
    return xop_replace_include( reader, error );
}

static const struct reader_encoding mtom_encoding = { mtom_read_node };

/* ---- the encoding-independent reading -------------------------------------------- */

static struct ws_xml_node *tree_next( const struct ws_xml_node *node )
{
    if (node->first_child) return node->first_child;
    for (; node; node = node->parent)
        if (node->next) return node->next;
    return NULL;
}

static void reset_chunks( struct reader *reader )
{
    reader->text_offset = 0;
    reader->b64_len = reader->b64_pos = 0;
}

static HRESULT advance_node( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr;

    if (reader->faulted) return ws_error_set( error, reader->faulted, "the reader failed earlier (%#lx)",
                                              reader->faulted );
    reset_chunks( reader );
    if (reader->in_attr)
    {
        reader->attr_done = TRUE;
        return S_OK;
    }
    switch (reader->input)
    {
    case INPUT_NONE:
        return S_OK;
    case INPUT_XML_BUFFER:
        if (reader->node && reader->node->u.node.nodeType != WS_XML_NODE_TYPE_EOF)
            reader->node = tree_next( reader->node );
        return S_OK;
    default:
        break;
    }
    if (reader->cur.type == WS_XML_NODE_TYPE_EOF) return S_OK;
    hr = reader->encoding->read_node( reader, error );
    if (hr == READ_MORE)
    {
        /* The scratch buffer was reused: a decoded current text is gone. */
        if (reader->cur.type == WS_XML_NODE_TYPE_TEXT && reader->cur.text_in_scratch)
        {
            reader->cur.utf8.value.bytes = (BYTE *)"";
            reader->cur.utf8.value.length = 0;
        }
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the node at offset %llu is not fully buffered: "
                             "WsFillReader must be called first", reader->base_offset + reader->pos );
    }
    if (FAILED(hr))
    {
        reader->faulted = hr;
        return hr;
    }
    reader->node_rc_valid = FALSE;
    return S_OK;
}

/* Moves to the next node; while canonicalizing, the node advanced over is canonicalized
 * (once, even when the move has to be retried after WsFillReader). */
static HRESULT read_node( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr;

    if (reader->c14n && !reader->in_attr && !reader->faulted && !reader->c14n_fed)
    {
        const WS_XML_NODE *node = current_node( reader );

        /* documented: the reader may not move to a depth lower than where canonicalization started */
        if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT && !reader->c14n_level)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot move past the end of an element opened "
                                 "before canonicalization started" );
        if (FAILED(hr = ws_c14n_node( reader->c14n, node, error ))) return hr;
        if (node->nodeType == WS_XML_NODE_TYPE_ELEMENT) reader->c14n_level++;
        else if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT) reader->c14n_level--;
        reader->c14n_fed = TRUE;
    }
    if (FAILED(hr = advance_node( reader, error ))) return hr;
    if (!reader->in_attr) reader->c14n_fed = FALSE;
    return hr;
}

/* The UTF-8 form of a text (converted for the typed texts of XML buffers). */
static HRESULT text_utf8( struct reader *reader, const WS_XML_TEXT *text, const BYTE **bytes, ULONG *len,
                          WS_ERROR *error )
{
    HRESULT hr;

    if (!text)
    {
        *bytes = (const BYTE *)"";
        *len = 0;
        return S_OK;
    }
    if (text->textType == WS_XML_TEXT_TYPE_UTF8)
    {
        const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)text;
        *bytes = utf8->value.bytes;
        *len = utf8->value.length;
        return S_OK;
    }
    reader->conv.len = 0;
    if ((hr = ws_text_to_utf8( text, &reader->conv, error )) != S_OK) return hr;
    *bytes = reader->conv.data ? reader->conv.data : (const BYTE *)"";
    *len = reader->conv.len;
    return S_OK;
}

/* The unread part of the current text content; S_FALSE when the reader is not on text. */
static HRESULT current_chars( struct reader *reader, const BYTE **bytes, ULONG *len, WS_ERROR *error )
{
    const WS_XML_TEXT *text;
    HRESULT hr;

    if (reader->in_attr)
    {
        if (reader->attr_done) return S_FALSE;
        text = reader->attr_text.text;
    }
    else
    {
        const WS_XML_NODE *node = current_node( reader );
        if (node->nodeType != WS_XML_NODE_TYPE_TEXT) return S_FALSE;
        text = ((const WS_XML_TEXT_NODE *)node)->text;
    }
    if ((hr = text_utf8( reader, text, bytes, len, error )) != S_OK) return hr;
    if (reader->text_offset > *len) reader->text_offset = *len;
    *bytes += reader->text_offset;
    *len -= reader->text_offset;
    return S_OK;
}

/* Consumes COUNT bytes of the current text, moving on when it is all read. */
static HRESULT consume_chars( struct reader *reader, ULONG count, ULONG remaining, WS_ERROR *error )
{
    HRESULT hr;
    ULONG b64_len = reader->b64_len, b64_pos = reader->b64_pos;

    reader->text_offset += count;
    if (count < remaining) return S_OK;
    if (reader->in_attr)
    {
        reader->attr_done = TRUE;
        reader->text_offset = 0;
        return S_OK;
    }
    hr = read_node( reader, error );
    reader->b64_len = b64_len;
    reader->b64_pos = b64_pos;
    return hr;
}

static BOOL is_whitespace_text( struct reader *reader, const WS_XML_NODE *node )
{
    const WS_XML_TEXT *text = ((const WS_XML_TEXT_NODE *)node)->text;
    const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)text;

    (void)reader;
    if (!text || text->textType != WS_XML_TEXT_TYPE_UTF8) return FALSE;
    return is_whitespace( utf8->value.bytes, utf8->value.length );
}

static HRESULT read_to_start_element( struct reader *reader, const WS_XML_STRING *localname,
                                      const WS_XML_STRING *ns, BOOL *found, WS_ERROR *error )
{
    HRESULT hr;

    if (reader->in_attr) return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is in an attribute" );
    for (;;)
    {
        const WS_XML_NODE *node = current_node( reader );

        switch (node->nodeType)
        {
        case WS_XML_NODE_TYPE_ELEMENT:
        {
            const WS_XML_ELEMENT_NODE *elem = (const WS_XML_ELEMENT_NODE *)node;
            BOOL match = (!localname || xmlstr_eq( localname, elem->localName )) &&
                         (!ns || xmlstr_eq( ns, elem->ns ));
            if (found) *found = match;
            else if (!match)
                return ws_error_set( error, WS_E_INVALID_FORMAT, "element %s found, %s expected",
                                     debugstr_xmlstr( elem->localName ), debugstr_xmlstr( localname ) );
            return S_OK;
        }
        case WS_XML_NODE_TYPE_BOF:
        case WS_XML_NODE_TYPE_COMMENT:
            break;
        case WS_XML_NODE_TYPE_TEXT:
            if (is_whitespace_text( reader, node )) break;
            /* fall through */
        default:
            if (found)
            {
                *found = FALSE;
                return S_OK;
            }
            return ws_error_set( error, WS_E_INVALID_FORMAT, "no start element: the reader is on a node of type %d",
                                 node->nodeType );
        }
        if ((hr = read_node( reader, error )) != S_OK) return hr;
    }
}

static HRESULT read_end_element( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr;

    if (reader->in_attr) return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is in an attribute" );
    for (;;)
    {
        const WS_XML_NODE *node = current_node( reader );

        if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT) return read_node( reader, error );
        if (node->nodeType != WS_XML_NODE_TYPE_COMMENT &&
            !(node->nodeType == WS_XML_NODE_TYPE_TEXT && is_whitespace_text( reader, node )))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "no end element: the reader is on a node of type %d",
                                 node->nodeType );
        if ((hr = read_node( reader, error )) != S_OK) return hr;
    }
}

static HRESULT skip_node( struct reader *reader, WS_ERROR *error )
{
    WS_XML_NODE_TYPE type = current_type( reader );
    ULONG depth = 0;
    HRESULT hr;

    if (type == WS_XML_NODE_TYPE_EOF) return S_OK;
    if (type != WS_XML_NODE_TYPE_ELEMENT && type != WS_XML_NODE_TYPE_BOF) return read_node( reader, error );
    for (;;)
    {
        type = current_type( reader );
        if (type == WS_XML_NODE_TYPE_EOF)
        {
            if (depth) return ws_error_set( error, WS_E_INVALID_FORMAT, "end of the document inside an element" );
            return S_OK;
        }
        if (type == WS_XML_NODE_TYPE_ELEMENT) depth++;
        else if (type == WS_XML_NODE_TYPE_END_ELEMENT) depth--;
        if ((hr = read_node( reader, error )) != S_OK) return hr;
        if (!depth && type != WS_XML_NODE_TYPE_BOF) return S_OK;
    }
}

/* The text content at the reader (consecutive text nodes, or the attribute
 * value), copied to the gather buffer; the reader moves past it. */
static HRESULT gather_text( struct reader *reader, const BYTE **bytes, ULONG *len, WS_ERROR *error )
{
    const BYTE *chars;
    ULONG count;
    HRESULT hr;

    reader->gather.len = 0;
    for (;;)
    {
        if ((hr = current_chars( reader, &chars, &count, error )) == S_FALSE) break;
        if (FAILED(hr)) return hr;
        if (!bytes_append( &reader->gather, chars, count ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory reading text" );
        if ((hr = consume_chars( reader, count, count, error )) != S_OK) return hr;
        if (reader->in_attr) break;
    }
    *bytes = reader->gather.data ? reader->gather.data : (const BYTE *)"";
    *len = reader->gather.len;
    return S_OK;
}

static void trim_whitespace( const BYTE **bytes, ULONG *len )
{
    while (*len && is_space( (*bytes)[0] )) { (*bytes)++; (*len)--; }
    while (*len && is_space( (*bytes)[*len - 1] )) (*len)--;
}

static HRESULT read_value( struct reader *reader, WS_VALUE_TYPE type, void *value, ULONG size, WS_ERROR *error )
{
    const BYTE *bytes;
    ULONG len;
    HRESULT hr;

    if ((hr = gather_text( reader, &bytes, &len, error )) != S_OK) return hr;
    trim_whitespace( &bytes, &len );
    return ws_value_from_utf8( bytes, len, type, value, size, error );
}

/* ---- XML buffers: copying nodes into a tree ------------------------------------ */

static BOOL is_terminator( const struct ws_xml_node *node )
{
    WS_XML_NODE_TYPE type = node->u.node.nodeType;
    return type == WS_XML_NODE_TYPE_EOF || type == WS_XML_NODE_TYPE_END_ELEMENT || type == WS_XML_NODE_TYPE_END_CDATA;
}

/* Appends NODE to PARENT's children, before its terminator (EOF, END_ELEMENT, END_CDATA) if it has one. */
static void tree_append( struct ws_xml_node *parent, struct ws_xml_node *node )
{
    struct ws_xml_node *last = parent->last_child;

    node->parent = parent;
    if (last && is_terminator( last ) && !is_terminator( node ))
    {
        node->next = last;
        node->prev = last->prev;
        if (last->prev) last->prev->next = node;
        else parent->first_child = node;
        last->prev = node;
        return;
    }
    node->prev = last;
    node->next = NULL;
    if (last) last->next = node;
    else parent->first_child = node;
    parent->last_child = node;
}

struct tree_builder
{
    WS_HEAP *heap;
    struct ws_xml_node **parents;
    ULONG depth, cap;
};

/* Adds a copy of NODE at the builder's position. */
static HRESULT tree_add( struct tree_builder *builder, const WS_XML_NODE *node, WS_ERROR *error )
{
    struct ws_xml_node *parent = builder->parents[builder->depth - 1], *copy;
    WS_XML_NODE_TYPE type = node->nodeType;
    HRESULT hr;

    if (type == WS_XML_NODE_TYPE_END_ELEMENT || type == WS_XML_NODE_TYPE_END_CDATA)
    {
        if (builder->depth <= 1) return ws_error_set( error, WS_E_INVALID_FORMAT, "unbalanced end node" );
        if (!parent->last_child || parent->last_child->u.node.nodeType != type)
        {
            if ((hr = ws_xml_node_copy( builder->heap, node, &copy, error )) != S_OK) return hr;
            tree_append( parent, copy );
        }
        builder->depth--;
        return S_OK;
    }
    if (type == WS_XML_NODE_TYPE_EOF)
    {
        if (parent->last_child && parent->last_child->u.node.nodeType == WS_XML_NODE_TYPE_EOF) return S_OK;
        if ((hr = ws_xml_node_copy( builder->heap, node, &copy, error )) != S_OK) return hr;
        tree_append( parent, copy );
        return S_OK;
    }
    if (type == WS_XML_NODE_TYPE_BOF) return S_OK;
    if ((hr = ws_xml_node_copy( builder->heap, node, &copy, error )) != S_OK) return hr;
    tree_append( parent, copy );
    if (type == WS_XML_NODE_TYPE_ELEMENT || type == WS_XML_NODE_TYPE_CDATA)
    {
        if (!grow_array( (void **)&builder->parents, &builder->cap, builder->depth + 1, sizeof(*builder->parents) ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory building an XML buffer" );
        builder->parents[builder->depth++] = copy;
    }
    return S_OK;
}

/* Creates the buffer and a builder positioned in its root. */
static HRESULT tree_start( struct tree_builder *builder, WS_HEAP *heap, struct ws_xml_buffer **buffer,
                           WS_ERROR *error )
{
    HRESULT hr;

    memset( builder, 0, sizeof(*builder) );
    builder->heap = heap;
    if ((hr = ws_xml_buffer_create( heap, buffer, error )) != S_OK) return hr;
    if (!grow_array( (void **)&builder->parents, &builder->cap, 1, sizeof(*builder->parents) ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory building an XML buffer" );
    builder->parents[builder->depth++] = (*buffer)->root;
    return S_OK;
}

static HRESULT tree_finish( struct tree_builder *builder, HRESULT hr, WS_ERROR *error )
{
    if (hr == S_OK && builder->depth == 1) hr = tree_add( builder, &eof_node, error );
    HeapFree( GetProcessHeap(), 0, builder->parents );
    return hr;
}

/* Copies the node at the reader (an element with its subtree) into BUILDER and moves past it. */
static HRESULT copy_current_subtree( struct reader *reader, struct tree_builder *builder, WS_ERROR *error )
{
    ULONG depth = builder->depth;
    HRESULT hr;

    do
    {
        const WS_XML_NODE *node = current_node( reader );

        if (node->nodeType == WS_XML_NODE_TYPE_EOF)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "end of the document inside an element" );
        if ((hr = tree_add( builder, node, error )) != S_OK) return hr;
        if ((hr = read_node( reader, error )) != S_OK) return hr;
    }
    while (builder->depth > depth);
    return S_OK;
}

/* ---- exported functions ---------------------------------------------------------- */

HRESULT WINAPI WsCreateReader( const WS_XML_READER_PROPERTY *properties, ULONG propertyCount, WS_XML_READER **reader,
                               WS_ERROR *error )
{
    struct reader *obj;
    HRESULT hr;

    TRACE( "%p %lu %p %p\n", properties, propertyCount, reader, error );
    if (!reader) return ws_error_set( error, E_INVALIDARG, "reader is NULL" );
    InitOnceExecuteOnce( &tables_once, init_tables, NULL, NULL );
    if (!(obj = ws_object_alloc( WS_OBJECT_XML_READER, sizeof(*obj) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory creating a reader" );
    ws_props_init( &reader_prop_table, &obj->create_props );
    if ((hr = WS_PROPS_APPLY( &reader_prop_table, &obj->create_props, properties, propertyCount, error )) != S_OK)
    {
        ws_object_free( obj );
        return hr;
    }
    clear_input( obj );
    *reader = (WS_XML_READER *)obj;
    TRACE( "created %p\n", obj );
    return S_OK;
}

void WINAPI WsFreeReader( WS_XML_READER *reader )
{
    TRACE( "%p\n", reader );
    if (!ws_object_is( reader, WS_OBJECT_XML_READER )) return;
    free_reader( (struct reader *)reader );
}

HRESULT WINAPI WsGetReaderProperty( WS_XML_READER *reader, WS_XML_READER_PROPERTY_ID id, void *value,
                                    ULONG valueSize, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;

    TRACE( "%p %d %p %lu %p\n", reader, id, value, valueSize, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if ((id == WS_XML_READER_PROPERTY_ROW || id == WS_XML_READER_PROPERTY_COLUMN) && !obj->node_rc_valid &&
        (obj->input == INPUT_TEXT_BUFFER || obj->input == INPUT_TEXT_STREAM))
    {
        update_row_column( obj, obj->node_offset );
        obj->props.row = obj->rc_row;
        obj->props.column = obj->rc_column;
        obj->node_rc_valid = TRUE;
    }
    obj->props.in_attribute = obj->in_attr;
    return ws_props_get( &reader_prop_table, &obj->props, id, value, valueSize, error );
}

HRESULT WINAPI WsSetInput( WS_XML_READER *reader, const WS_XML_READER_ENCODING *encoding,
                           const WS_XML_READER_INPUT *input, const WS_XML_READER_PROPERTY *properties,
                           ULONG propertyCount, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    const WS_XML_READER_BINARY_ENCODING *binary = NULL;
    const WS_XML_READER_MTOM_ENCODING *mtom = NULL;
    WS_CHARSET charset = WS_CHARSET_UTF8;
    HRESULT hr;

    TRACE( "%p %p %p %p %lu %p\n", reader, encoding, input, properties, propertyCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!encoding) return ws_error_set( error, E_INVALIDARG, "encoding is NULL" );
    if (!input) return ws_error_set( error, E_INVALIDARG, "input is NULL" );

    switch (encoding->encodingType)
    {
    case WS_XML_READER_ENCODING_TYPE_TEXT:
        charset = ((const WS_XML_READER_TEXT_ENCODING *)encoding)->charSet;
        if (charset > WS_CHARSET_UTF16BE)
            return ws_error_set( error, E_INVALIDARG, "unknown charset %d", charset );
        break;
    case WS_XML_READER_ENCODING_TYPE_BINARY:
        binary = (const WS_XML_READER_BINARY_ENCODING *)encoding;
        break;
    case WS_XML_READER_ENCODING_TYPE_MTOM:
        mtom = (const WS_XML_READER_MTOM_ENCODING *)encoding;
        if ((hr = ws_mime_init( &obj->mime, mtom, error )) != S_OK) return hr;
        charset = ((const WS_XML_READER_TEXT_ENCODING *)mtom->textEncoding)->charSet;
        break;
    case WS_XML_READER_ENCODING_TYPE_RAW:
        FIXME( "encoding type %d not supported\n", encoding->encodingType );
        return ws_error_set( error, E_NOTIMPL, "reader encoding type %d is not implemented",
                             encoding->encodingType );
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown encoding type %d", encoding->encodingType );
    }
    if (input->inputType != WS_XML_READER_INPUT_TYPE_BUFFER && input->inputType != WS_XML_READER_INPUT_TYPE_STREAM)
        return ws_error_set( error, E_INVALIDARG, "unknown input type %d", input->inputType );
    if (input->inputType == WS_XML_READER_INPUT_TYPE_STREAM &&
        !((const WS_XML_READER_STREAM_INPUT *)input)->readCallback)
        return ws_error_set( error, E_INVALIDARG, "readCallback is NULL" );

    clear_input( obj );
    if ((hr = WS_PROPS_APPLY( &reader_prop_table, &obj->props, properties, propertyCount, error )) != S_OK)
    {
        obj->props = obj->create_props;
        return hr;
    }
    trim_buffers( obj );
    obj->encoding = &text_encoding;
    if (binary)
    {
        /* Binary input is bytes as they are: no charset, no BOM. */
        obj->encoding = &binary_encoding;
        obj->binary = TRUE;
        obj->static_dict = binary->staticDictionary;
        obj->dynamic_dict = binary->dynamicDictionary;
        obj->charset_known = TRUE;
        obj->props.charset = WS_CHARSET_UTF8;
    }
    if (binary && input->inputType == WS_XML_READER_INPUT_TYPE_BUFFER)
    {
        const WS_XML_READER_BUFFER_INPUT *buf = (const WS_XML_READER_BUFFER_INPUT *)input;
        if (buf->encodedDataSize && !buf->encodedData)
        {
            clear_input( obj );
            return ws_error_set( error, E_INVALIDARG, "encodedData is NULL" );
        }
        obj->data = buf->encodedData;
        obj->len = buf->encodedDataSize;
        obj->empty_input = !obj->len;
        obj->input = INPUT_TEXT_BUFFER;
    }
    else if (mtom)
    {
        obj->encoding = &mtom_encoding;
        obj->mtom = TRUE;
        obj->mtom_charset = charset;
        if (input->inputType == WS_XML_READER_INPUT_TYPE_BUFFER)
        {
            const WS_XML_READER_BUFFER_INPUT *buf = (const WS_XML_READER_BUFFER_INPUT *)input;
            if (buf->encodedDataSize && !buf->encodedData)
            {
                clear_input( obj );
                return ws_error_set( error, E_INVALIDARG, "encodedData is NULL" );
            }
            obj->input = INPUT_TEXT_BUFFER;
            /* malformed MIME is reported by the first read, as malformed XML is */
            if (FAILED(hr = mtom_parse( obj, buf->encodedData, buf->encodedDataSize, 0, error ))) obj->faulted = hr;
        }
        else
        {
            const WS_XML_READER_STREAM_INPUT *stream = (const WS_XML_READER_STREAM_INPUT *)input;
            obj->input = INPUT_TEXT_STREAM;
            obj->callback = stream->readCallback;
            obj->callback_state = stream->readCallbackState;
        }
    }
    else if (input->inputType == WS_XML_READER_INPUT_TYPE_BUFFER)
    {
        const WS_XML_READER_BUFFER_INPUT *buf = (const WS_XML_READER_BUFFER_INPUT *)input;
        if ((hr = set_buffer_input( obj, charset, buf->encodedData, buf->encodedDataSize, error )) != S_OK)
        {
            clear_input( obj );
            return hr;
        }
        obj->input = INPUT_TEXT_BUFFER;
    }
    else
    {
        const WS_XML_READER_STREAM_INPUT *stream = (const WS_XML_READER_STREAM_INPUT *)input;
        obj->input = INPUT_TEXT_STREAM;
        obj->callback = stream->readCallback;
        obj->callback_state = stream->readCallbackState;
        obj->charset = charset;
        obj->props.charset = charset;
        obj->owned.len = 0;
        obj->data = obj->owned.data;
    }
    return S_OK;
}

HRESULT WINAPI WsSetInputToBuffer( WS_XML_READER *reader, WS_XML_BUFFER *buffer,
                                   const WS_XML_READER_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    HRESULT hr;

    TRACE( "%p %p %p %lu %p\n", reader, buffer, properties, propertyCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    WS_CHECK_HANDLE( buffer, WS_OBJECT_XML_BUFFER, error );
    clear_input( obj );
    if ((hr = WS_PROPS_APPLY( &reader_prop_table, &obj->props, properties, propertyCount, error )) != S_OK)
    {
        obj->props = obj->create_props;
        return hr;
    }
    obj->input = INPUT_XML_BUFFER;
    obj->buffer = (struct ws_xml_buffer *)buffer;
    obj->node = obj->buffer->root;
    obj->props.charset = WS_CHARSET_UTF8;
    return S_OK;
}

HRESULT WINAPI WsFillReader( WS_XML_READER *reader, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext,
                             WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;

    TRACE( "%p %lu %p %p\n", reader, minSize, asyncContext, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    /* A no-op for every input but streams; stream reads complete synchronously,
     * which the asynchronous model allows (the callback is then not called). */
    if (obj->input != INPUT_TEXT_STREAM) return S_OK;
    if (obj->mtom) return mtom_fill( obj, error );
    return stream_fill( obj, minSize, error );
}

HRESULT WINAPI WsReadNode( WS_XML_READER *reader, WS_ERROR *error )
{
    TRACE( "%p %p\n", reader, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    return read_node( (struct reader *)reader, error );
}

HRESULT WINAPI WsGetReaderNode( WS_XML_READER *xmlReader, const WS_XML_NODE **node, WS_ERROR *error )
{
    TRACE( "%p %p %p\n", xmlReader, node, error );
    WS_CHECK_HANDLE( xmlReader, WS_OBJECT_XML_READER, error );
    if (!node) return ws_error_set( error, E_INVALIDARG, "node is NULL" );
    *node = current_node( (struct reader *)xmlReader );
    return S_OK;
}

HRESULT WINAPI WsReadStartElement( WS_XML_READER *reader, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    BOOL found;
    HRESULT hr;

    TRACE( "%p %p\n", reader, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if ((hr = read_to_start_element( obj, NULL, NULL, &found, error )) != S_OK) return hr;
    if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "no start element at the reader" );
    return read_node( obj, error );
}

HRESULT WINAPI WsReadEndElement( WS_XML_READER *reader, WS_ERROR *error )
{
    TRACE( "%p %p\n", reader, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    return read_end_element( (struct reader *)reader, error );
}

HRESULT WINAPI WsReadToStartElement( WS_XML_READER *reader, const WS_XML_STRING *localName, const WS_XML_STRING *ns,
                                     BOOL *found, WS_ERROR *error )
{
    TRACE( "%p %s %s %p %p\n", reader, debugstr_xmlstr( localName ), debugstr_xmlstr( ns ), found, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    return read_to_start_element( (struct reader *)reader, localName, ns, found, error );
}

HRESULT WINAPI WsSkipNode( WS_XML_READER *reader, WS_ERROR *error )
{
    TRACE( "%p %p\n", reader, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (((struct reader *)reader)->in_attr)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is in an attribute" );
    return skip_node( (struct reader *)reader, error );
}

HRESULT WINAPI WsReadStartAttribute( WS_XML_READER *reader, ULONG attributeIndex, WS_ERROR *error )
{
    static WS_XML_UTF8_TEXT empty_text = { { WS_XML_TEXT_TYPE_UTF8 }, { 0, (BYTE *)"", NULL, 0 } };
    struct reader *obj = (struct reader *)reader;
    const WS_XML_ELEMENT_NODE *elem;
    const WS_XML_ATTRIBUTE *attr;

    TRACE( "%p %lu %p\n", reader, attributeIndex, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!(elem = current_element( obj )))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is not on a start element" );
    if (attributeIndex >= elem->attributeCount)
        return ws_error_set( error, E_INVALIDARG, "attribute index %lu, the element has %lu", attributeIndex,
                             elem->attributeCount );
    attr = elem->attributes[attributeIndex];
    obj->attr_text.node.nodeType = WS_XML_NODE_TYPE_TEXT;
    obj->attr_text.text = attr->value ? attr->value : &empty_text.text;
    obj->in_attr = TRUE;
    obj->attr_done = FALSE;
    reset_chunks( obj );
    return S_OK;
}

HRESULT WINAPI WsReadEndAttribute( WS_XML_READER *reader, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;

    TRACE( "%p %p\n", reader, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!obj->in_attr) return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is not in an attribute" );
    obj->in_attr = obj->attr_done = FALSE;
    reset_chunks( obj );
    return S_OK;
}

HRESULT WINAPI WsReadCharsUtf8( WS_XML_READER *reader, BYTE *bytes, ULONG maxByteCount, ULONG *actualByteCount,
                                WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    ULONG total = 0;
    HRESULT hr;

    TRACE( "%p %p %lu %p %p\n", reader, bytes, maxByteCount, actualByteCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!bytes && maxByteCount) return ws_error_set( error, E_INVALIDARG, "bytes is NULL" );
    if (!actualByteCount) return ws_error_set( error, E_INVALIDARG, "actualByteCount is NULL" );
    while (total < maxByteCount)
    {
        const BYTE *chars;
        ULONG len, n;

        if ((hr = current_chars( obj, &chars, &len, error )) == S_FALSE) break;
        if (FAILED(hr)) return hr;
        n = min( len, maxByteCount - total );
        memcpy( bytes + total, chars, n );
        total += n;
        if ((hr = consume_chars( obj, n, len, error )) != S_OK) return hr;
    }
    *actualByteCount = total;
    return S_OK;
}

HRESULT WINAPI WsReadChars( WS_XML_READER *reader, WCHAR *chars, ULONG maxCharCount, ULONG *actualCharCount,
                            WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    ULONG total = 0;
    HRESULT hr;

    TRACE( "%p %p %lu %p %p\n", reader, chars, maxCharCount, actualCharCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!chars && maxCharCount) return ws_error_set( error, E_INVALIDARG, "chars is NULL" );
    if (!actualCharCount) return ws_error_set( error, E_INVALIDARG, "actualCharCount is NULL" );
    while (total < maxCharCount)
    {
        const BYTE *utf8;
        ULONG len, used = 0;

        if ((hr = current_chars( obj, &utf8, &len, error )) == S_FALSE) break;
        if (FAILED(hr)) return hr;
        while (used < len && total < maxCharCount)
        {
            ULONG cp = utf8[used];
            int n = 1;

            if (cp >= 0x80 && (n = utf8_decode( utf8 + used, utf8 + len, &cp )) <= 0)
                return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid UTF-8 text" );
            if (cp >= 0x10000)
            {
                /* A surrogate pair is never split across calls. */
                if (maxCharCount - total < 2) break;
                chars[total++] = 0xd800 + ((cp - 0x10000) >> 10);
                chars[total++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
            }
            else chars[total++] = cp;
            used += n;
        }
        if ((hr = consume_chars( obj, used, len, error )) != S_OK) return hr;
        if (used < len) break;
    }
    *actualCharCount = total;
    return S_OK;
}

static int base64_value( BYTE c )
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    if (c == '=') return 64;
    return -1;
}

/* Decodes the next base64 quantum of the text content into the reader's
 * pending bytes; S_FALSE at the end of the content. */
static HRESULT read_base64_quantum( struct reader *reader, WS_ERROR *error )
{
    int values[4];
    ULONG count = 0;
    HRESULT hr;

    while (count < 4)
    {
        const BYTE *chars;
        ULONG len, used = 0;

        if ((hr = current_chars( reader, &chars, &len, error )) == S_FALSE) break;
        if (FAILED(hr)) return hr;
        while (used < len && count < 4)
        {
            BYTE c = chars[used++];
            if (is_space( c )) continue;
            if ((values[count++] = base64_value( c )) < 0)
                return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid base64 character 0x%02x", c );
        }
        if ((hr = consume_chars( reader, used, len, error )) != S_OK) return hr;
    }
    if (!count) return S_FALSE;
    if (count < 4 || values[0] == 64 || values[1] == 64 || (values[2] == 64 && values[3] != 64))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid base64 text" );
    reader->b64[0] = (values[0] << 2) | (values[1] >> 4);
    reader->b64_len = 1;
    if (values[2] != 64)
    {
        reader->b64[1] = ((values[1] & 0xf) << 4) | (values[2] >> 2);
        reader->b64_len = 2;
        if (values[3] != 64)
        {
            reader->b64[2] = ((values[2] & 3) << 6) | values[3];
            reader->b64_len = 3;
        }
    }
    reader->b64_pos = 0;
    return S_OK;
}

/* The current text when it holds bytes (binary and MTOM input) and no decoded quantum is pending:
 * WsReadBytes copies those directly, TEXT_OFFSET counting bytes. */
static const WS_XML_BASE64_TEXT *current_base64( const struct reader *reader )
{
    const WS_XML_NODE *node;
    const WS_XML_TEXT *text;

    if (reader->in_attr || reader->b64_pos < reader->b64_len) return NULL;
    node = current_node( reader );
    if (node->nodeType != WS_XML_NODE_TYPE_TEXT) return NULL;
    text = ((const WS_XML_TEXT_NODE *)node)->text;
    return text && text->textType == WS_XML_TEXT_TYPE_BASE64 ? (const WS_XML_BASE64_TEXT *)text : NULL;
}

HRESULT WINAPI WsReadBytes( WS_XML_READER *reader, void *bytes, ULONG maxByteCount, ULONG *actualByteCount,
                            WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    BYTE *out = bytes;
    ULONG total = 0;
    HRESULT hr;

    TRACE( "%p %p %lu %p %p\n", reader, bytes, maxByteCount, actualByteCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!bytes && maxByteCount) return ws_error_set( error, E_INVALIDARG, "bytes is NULL" );
    if (!actualByteCount) return ws_error_set( error, E_INVALIDARG, "actualByteCount is NULL" );
    while (total < maxByteCount)
    {
        const WS_XML_BASE64_TEXT *b64;

        if (obj->b64_pos < obj->b64_len)
        {
            out[total++] = obj->b64[obj->b64_pos++];
            continue;
        }
        if ((b64 = current_base64( obj )))
        {
            ULONG offset = min( obj->text_offset, b64->length ), avail = b64->length - offset;
            ULONG count = min( avail, maxByteCount - total );

            if (count) memcpy( out + total, b64->bytes + offset, count );
            total += count;
            if (FAILED(hr = consume_chars( obj, count, avail, error ))) return hr;
            continue;
        }
        if ((hr = read_base64_quantum( obj, error )) == S_FALSE) break;
        if (FAILED(hr)) return hr;
    }
    *actualByteCount = total;
    return S_OK;
}

HRESULT WINAPI WsReadValue( WS_XML_READER *reader, WS_VALUE_TYPE valueType, void *value, ULONG valueSize,
                            WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    ULONG size;

    TRACE( "%p %d %p %lu %p\n", reader, valueType, value, valueSize, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if (!(size = ws_value_type_size( valueType )))
        return ws_error_set( error, E_INVALIDARG, "unknown value type %d", valueType );
    if (valueSize != size)
        return ws_error_set( error, E_INVALIDARG, "valueSize %lu, value type %d needs %lu", valueSize, valueType,
                             size );
    return read_value( obj, valueType, value, valueSize, error );
}

HRESULT WINAPI WsReadArray( WS_XML_READER *reader, const WS_XML_STRING *localName, const WS_XML_STRING *ns,
                            WS_VALUE_TYPE valueType, void *array, ULONG arraySize, ULONG itemOffset, ULONG itemCount,
                            ULONG *actualItemCount, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    ULONG size, i;
    HRESULT hr;

    TRACE( "%p %s %s %d %p %lu %lu %lu %p %p\n", reader, debugstr_xmlstr( localName ), debugstr_xmlstr( ns ),
           valueType, array, arraySize, itemOffset, itemCount, actualItemCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!localName) return ws_error_set( error, E_INVALIDARG, "localName is NULL" );
    if (!ns) return ws_error_set( error, E_INVALIDARG, "ns is NULL" );
    if (!actualItemCount) return ws_error_set( error, E_INVALIDARG, "actualItemCount is NULL" );
    if (!(size = ws_value_type_size( valueType )))
        return ws_error_set( error, E_INVALIDARG, "unknown value type %d", valueType );
    if (itemCount && !array) return ws_error_set( error, E_INVALIDARG, "array is NULL" );
    if (((ULONGLONG)itemOffset + itemCount) * size > arraySize)
        return ws_error_set( error, E_INVALIDARG, "items %lu..%lu do not fit in an array of %lu bytes", itemOffset,
                             itemOffset + itemCount, arraySize );
    for (i = 0; i < itemCount; i++)
    {
        BOOL found;
        ULONG copied;

        /* binary arrays: items in bulk while the wire layout is the value's */
        if (i + 1 < itemCount &&
            (copied = bin_read_array_items( obj, localName, ns, valueType,
                                            (BYTE *)array + (SIZE_T)(itemOffset + i) * size, itemCount - i - 1 )))
        {
            i += copied - 1;
            continue;
        }
        if ((hr = read_to_start_element( obj, localName, ns, &found, error )) != S_OK) return hr;
        if (!found) break;
        if ((hr = read_node( obj, error )) != S_OK) return hr;
        if ((hr = read_value( obj, valueType, (BYTE *)array + (SIZE_T)(itemOffset + i) * size, size, error ))
            != S_OK) return hr;
        if ((hr = read_end_element( obj, error )) != S_OK) return hr;
    }
    *actualItemCount = i;
    return S_OK;
}

static HRESULT copy_to_heap( WS_HEAP *heap, const BYTE *bytes, ULONG len, WS_XML_STRING *str, WS_ERROR *error )
{
    HRESULT hr;
    void *ptr;

    if ((hr = ws_heap_alloc_hr( heap, len, &ptr, error )) != S_OK) return hr;
    memcpy( ptr, bytes, len );
    memset( str, 0, sizeof(*str) );
    str->bytes = ptr;
    str->length = len;
    return S_OK;
}

static BOOL is_ncname( const BYTE *p, ULONG len )
{
    ULONG i;

    if (!len || name_class[p[0]] == 2) return FALSE;
    for (i = 0; i < len; i++)
        if (!name_class[p[i]]) return FALSE;
    return TRUE;
}

HRESULT WINAPI WsReadQualifiedName( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_STRING *prefix,
                                    WS_XML_STRING *localName, WS_XML_STRING *ns, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    const BYTE *bytes, *colon, *local;
    ULONG len, prefix_len, local_len;
    const WS_XML_STRING *bound;
    HRESULT hr;

    TRACE( "%p %p %p %p %p %p\n", reader, heap, prefix, localName, ns, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!localName) return ws_error_set( error, E_INVALIDARG, "localName is NULL" );
    InitOnceExecuteOnce( &tables_once, init_tables, NULL, NULL );
    if ((hr = gather_text( obj, &bytes, &len, error )) != S_OK) return hr;
    trim_whitespace( &bytes, &len );
    if ((colon = memchr( bytes, ':', len )))
    {
        prefix_len = colon - bytes;
        local = colon + 1;
        local_len = len - prefix_len - 1;
    }
    else
    {
        prefix_len = 0;
        local = bytes;
        local_len = len;
    }
    if ((prefix_len || colon) && !is_ncname( bytes, prefix_len ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid prefix in a qualified name" );
    if (!is_ncname( local, local_len ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid local name in a qualified name" );
    if (!(bound = lookup_prefix( obj, bytes, prefix_len )))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "undeclared prefix in a qualified name" );
    if (prefix && (hr = copy_to_heap( heap, bytes, prefix_len, prefix, error )) != S_OK) return hr;
    if ((hr = copy_to_heap( heap, local, local_len, localName, error )) != S_OK) return hr;
    if (ns && (hr = copy_to_heap( heap, bound->bytes, bound->length, ns, error )) != S_OK) return hr;
    return S_OK;
}

HRESULT WINAPI WsFindAttribute( WS_XML_READER *reader, const WS_XML_STRING *localName, const WS_XML_STRING *ns,
                                BOOL required, ULONG *attributeIndex, WS_ERROR *error )
{
    const WS_XML_ELEMENT_NODE *elem;
    ULONG i;

    TRACE( "%p %s %s %d %p %p\n", reader, debugstr_xmlstr( localName ), debugstr_xmlstr( ns ), required,
           attributeIndex, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!localName) return ws_error_set( error, E_INVALIDARG, "localName is NULL" );
    if (!ns) return ws_error_set( error, E_INVALIDARG, "ns is NULL" );
    if (!attributeIndex) return ws_error_set( error, E_INVALIDARG, "attributeIndex is NULL" );
    if (!(elem = current_element( (struct reader *)reader )))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is not on a start element" );
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (attr->isXmlNs || !attr->localName || !attr->ns) continue;
        if (xmlstr_eq( attr->localName, localName ) && xmlstr_eq( attr->ns, ns ))
        {
            *attributeIndex = i;
            return S_OK;
        }
    }
    if (required)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "required attribute %s not found",
                             debugstr_xmlstr( localName ) );
    *attributeIndex = ~0u;
    return S_FALSE;
}

HRESULT WINAPI WsGetNamespaceFromPrefix( WS_XML_READER *reader, const WS_XML_STRING *prefix, BOOL required,
                                         const WS_XML_STRING **ns, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    WS_XML_STRING *bound;

    TRACE( "%p %s %d %p %p\n", reader, debugstr_xmlstr( prefix ), required, ns, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!prefix) return ws_error_set( error, E_INVALIDARG, "prefix is NULL" );
    if (!ns) return ws_error_set( error, E_INVALIDARG, "ns is NULL" );
    if (!current_element( obj ))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is not on a start element" );
    if ((bound = lookup_prefix( obj, prefix->bytes, prefix->length )))
    {
        *ns = bound;
        return S_OK;
    }
    if (required)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "prefix %s is not declared", debugstr_xmlstr( prefix ) );
    *ns = NULL;
    return S_FALSE;
}

/* Finds the nearest in-scope xml:LOCAL attribute value (UTF-8). */
static BOOL find_xml_attribute( struct reader *reader, const WS_XML_STRING *local, const BYTE **value, ULONG *len,
                                WS_ERROR *error )
{
    ULONG i;

    if (reader->input == INPUT_XML_BUFFER)
    {
        const struct ws_xml_node *node;
        for (node = reader->node; node; node = node->parent)
        {
            const WS_XML_ELEMENT_NODE *elem = &node->u.element;
            if (node->u.node.nodeType != WS_XML_NODE_TYPE_ELEMENT) continue;
            for (i = 0; i < elem->attributeCount; i++)
            {
                const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
                if (attr->isXmlNs || !attr->prefix || !str_eq( attr->prefix, (const BYTE *)"xml", 3 ) ||
                    !attr->localName || !xmlstr_eq( attr->localName, local )) continue;
                return text_utf8( reader, attr->value, value, len, error ) == S_OK;
            }
        }
        return FALSE;
    }
    for (i = reader->xml_attr_count; i--;)
    {
        const struct xml_attr *attr = &reader->xml_attrs[i];
        if (attr->local_len == local->length && !memcmp( attr->local, local->bytes, local->length ))
        {
            *value = attr->value;
            *len = attr->value_len;
            return TRUE;
        }
    }
    return FALSE;
}

HRESULT WINAPI WsGetXmlAttribute( WS_XML_READER *reader, const WS_XML_STRING *localName, WS_HEAP *heap,
                                  WCHAR **valueChars, ULONG *valueCharCount, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    const BYTE *value;
    ULONG len;
    int count;
    HRESULT hr;
    void *ptr;

    TRACE( "%p %s %p %p %p %p\n", reader, debugstr_xmlstr( localName ), heap, valueChars, valueCharCount, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!localName) return ws_error_set( error, E_INVALIDARG, "localName is NULL" );
    if (!valueChars) return ws_error_set( error, E_INVALIDARG, "valueChars is NULL" );
    if (!valueCharCount) return ws_error_set( error, E_INVALIDARG, "valueCharCount is NULL" );
    if (!find_xml_attribute( obj, localName, &value, &len, error ))
    {
        /* Documented: a zero length string and S_FALSE. */
        if ((hr = ws_heap_alloc_hr( heap, sizeof(WCHAR), &ptr, error )) != S_OK) return hr;
        *(WCHAR *)ptr = 0;
        *valueChars = ptr;
        *valueCharCount = 0;
        return S_FALSE;
    }
    if ((count = MultiByteToWideChar( CP_UTF8, 0, (const char *)value, len, NULL, 0 )) < 0 || (len && !count))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid UTF-8 in an xml attribute" );
    if ((hr = ws_heap_alloc_hr( heap, (count + 1) * sizeof(WCHAR), &ptr, error )) != S_OK) return hr;
    MultiByteToWideChar( CP_UTF8, 0, (const char *)value, len, ptr, count );
    ((WCHAR *)ptr)[count] = 0;
    *valueChars = ptr;
    *valueCharCount = count;
    return S_OK;
}

HRESULT WINAPI WsGetReaderPosition( WS_XML_READER *reader, WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;

    TRACE( "%p %p %p\n", reader, nodePosition, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!nodePosition) return ws_error_set( error, E_INVALIDARG, "nodePosition is NULL" );
    if (obj->input != INPUT_XML_BUFFER)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "positions need a reader on an XML buffer" );
    nodePosition->buffer = (WS_XML_BUFFER *)obj->buffer;
    nodePosition->node = obj->node;
    return S_OK;
}

HRESULT WINAPI WsSetReaderPosition( WS_XML_READER *reader, const WS_XML_NODE_POSITION *nodePosition,
                                    WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;

    TRACE( "%p %p %p\n", reader, nodePosition, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!nodePosition) return ws_error_set( error, E_INVALIDARG, "nodePosition is NULL" );
    if (obj->input != INPUT_XML_BUFFER)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "positions need a reader on an XML buffer" );
    if (nodePosition->buffer != (WS_XML_BUFFER *)obj->buffer)
        return ws_error_set( error, E_INVALIDARG, "the position is in another buffer" );
    if (!nodePosition->node) return ws_error_set( error, E_INVALIDARG, "the position has no node" );
    obj->node = nodePosition->node;
    obj->in_attr = obj->attr_done = FALSE;
    reset_chunks( obj );
    return S_OK;
}

static struct ws_xml_node *find_element_sibling( struct ws_xml_node *node, BOOL forward )
{
    for (; node; node = forward ? node->next : node->prev)
        if (node->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT) return node;
    return NULL;
}

static struct ws_xml_node *move_target( struct reader *reader, WS_MOVE_TO move )
{
    struct ws_xml_node *node = reader->node, *root = reader->buffer->root;
    BOOL is_elem = node && node->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT;

    if (!node) return NULL;
    switch (move)
    {
    case WS_MOVE_TO_ROOT_ELEMENT:     return find_element_sibling( root->first_child, TRUE );
    case WS_MOVE_TO_NEXT_ELEMENT:     return find_element_sibling( node->next, TRUE );
    case WS_MOVE_TO_PREVIOUS_ELEMENT: return find_element_sibling( node->prev, FALSE );
    case WS_MOVE_TO_CHILD_ELEMENT:    return is_elem ? find_element_sibling( node->first_child, TRUE ) : NULL;
    case WS_MOVE_TO_END_ELEMENT:      return is_elem ? node->last_child : NULL;
    case WS_MOVE_TO_PARENT_ELEMENT:
        return node->parent && node->parent->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT ? node->parent : NULL;
    case WS_MOVE_TO_NEXT_NODE:        return node->next;
    case WS_MOVE_TO_PREVIOUS_NODE:    return node->prev;
    case WS_MOVE_TO_FIRST_NODE:       return node->parent ? node->parent->first_child : NULL;
    case WS_MOVE_TO_BOF:              return root;
    case WS_MOVE_TO_EOF:              return root->last_child;
    case WS_MOVE_TO_CHILD_NODE:       return node->first_child;
    default:                          return NULL;
    }
}

HRESULT WINAPI WsMoveReader( WS_XML_READER *reader, WS_MOVE_TO moveTo, BOOL *found, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    struct ws_xml_node *target;

    TRACE( "%p %d %p %p\n", reader, moveTo, found, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (obj->input != INPUT_XML_BUFFER)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "WsMoveReader needs a reader on an XML buffer" );
    if ((ULONG)moveTo > WS_MOVE_TO_CHILD_NODE) return ws_error_set( error, E_INVALIDARG, "unknown move %d", moveTo );
    target = move_target( obj, moveTo );
    if (found) *found = target != NULL;
    if (!target)
        return found ? S_OK : ws_error_set( error, WS_E_INVALID_FORMAT, "no node to move to (%d)", moveTo );
    obj->node = target;
    obj->in_attr = obj->attr_done = FALSE;
    reset_chunks( obj );
    return S_OK;
}

HRESULT WINAPI WsReadXmlBuffer( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_BUFFER **xmlBuffer, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    struct ws_xml_buffer *buffer;
    struct tree_builder builder;
    WS_XML_NODE_TYPE type;
    HRESULT hr;

    TRACE( "%p %p %p %p\n", reader, heap, xmlBuffer, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!xmlBuffer) return ws_error_set( error, E_INVALIDARG, "xmlBuffer is NULL" );
    if (obj->in_attr) return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader is in an attribute" );
    type = current_type( obj );
    if (type != WS_XML_NODE_TYPE_ELEMENT && type != WS_XML_NODE_TYPE_TEXT && type != WS_XML_NODE_TYPE_COMMENT &&
        type != WS_XML_NODE_TYPE_CDATA)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the reader is not on an element (node type %d)", type );
    if ((hr = tree_start( &builder, heap, &buffer, error )) == S_OK)
        hr = copy_current_subtree( obj, &builder, error );
    if ((hr = tree_finish( &builder, hr, error )) != S_OK) return hr;
    *xmlBuffer = (WS_XML_BUFFER *)buffer;
    return S_OK;
}

HRESULT WINAPI WsReadXmlBufferFromBytes( WS_XML_READER *reader, const WS_XML_READER_ENCODING *encoding,
                                         const WS_XML_READER_PROPERTY *properties, ULONG propertyCount,
                                         const void *bytes, ULONG byteCount, WS_HEAP *heap,
                                         WS_XML_BUFFER **xmlBuffer, WS_ERROR *error )
{
    static const WS_XML_READER_TEXT_ENCODING default_encoding =
        { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    struct reader *obj = (struct reader *)reader;
    WS_XML_READER_BUFFER_INPUT input;
    struct ws_xml_buffer *buffer;
    struct tree_builder builder;
    HRESULT hr;

    TRACE( "%p %p %p %lu %p %lu %p %p %p\n", reader, encoding, properties, propertyCount, bytes, byteCount, heap,
           xmlBuffer, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!xmlBuffer) return ws_error_set( error, E_INVALIDARG, "xmlBuffer is NULL" );
    if (!bytes && byteCount) return ws_error_set( error, E_INVALIDARG, "bytes is NULL" );
    input.input.inputType = WS_XML_READER_INPUT_TYPE_BUFFER;
    input.encodedData = (void *)bytes;
    input.encodedDataSize = byteCount;
    if ((hr = WsSetInput( reader, encoding ? encoding : &default_encoding.encoding, &input.input, properties,
                          propertyCount, error )) != S_OK) return hr;
    if ((hr = tree_start( &builder, heap, &buffer, error )) == S_OK)
    {
        while ((hr = read_node( obj, error )) == S_OK)
        {
            const WS_XML_NODE *node = current_node( obj );
            if (node->nodeType == WS_XML_NODE_TYPE_EOF) break;
            if ((hr = tree_add( &builder, node, error )) != S_OK) break;
        }
    }
    if ((hr = tree_finish( &builder, hr, error )) != S_OK) return hr;
    *xmlBuffer = (WS_XML_BUFFER *)buffer;
    return S_OK;
}

/* The namespace declarations in scope at the current node (outermost first), for the canonicalization
 * starting here.  An element's own declarations are left out: the canonicalizer sees them with it. */
static HRESULT c14n_add_context( struct reader *reader, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i, count = reader->ns_count;

    if (reader->input == INPUT_XML_BUFFER)
    {
        const struct ws_xml_node *node, *parents[256];
        ULONG depth = 0;

        for (node = reader->node ? reader->node->parent : NULL; node && depth < ARRAYSIZE(parents); node = node->parent)
            if (node->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT) parents[depth++] = node;
        while (depth--)
        {
            const WS_XML_ELEMENT_NODE *elem = &parents[depth]->u.element;
            for (i = 0; i < elem->attributeCount; i++)
                if (elem->attributes[i]->isXmlNs &&
                    FAILED(hr = ws_c14n_add_context( reader->c14n, elem->attributes[i]->prefix,
                                                     elem->attributes[i]->ns, error )))
                    return hr;
        }
        return S_OK;
    }
    /* the stack holds the current element's declarations too: they are on its node */
    if (current_type( reader ) == WS_XML_NODE_TYPE_ELEMENT && reader->depth)
        count = reader->stack[reader->depth - 1].ns_count;
    for (i = 0; i < count; i++)
        if (FAILED(hr = ws_c14n_add_context( reader->c14n, &reader->ns[i].prefix, &reader->ns[i].ns, error )))
            return hr;
    return S_OK;
}

HRESULT WINAPI WsStartReaderCanonicalization( WS_XML_READER *reader, WS_WRITE_CALLBACK writeCallback,
                                              void *writeCallbackState,
                                              const WS_XML_CANONICALIZATION_PROPERTY *properties,
                                              ULONG propertyCount, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    HRESULT hr;

    TRACE( "%p %p %p %p %lu %p\n", reader, writeCallback, writeCallbackState, properties, propertyCount, error );

    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!writeCallback) return ws_error_set( error, E_INVALIDARG, "writeCallback is NULL" );
    if (propertyCount && !properties) return ws_error_set( error, E_INVALIDARG, "properties is NULL" );
    if (obj->c14n) return ws_error_set( error, WS_E_INVALID_OPERATION, "canonicalization is already started" );
    if (obj->input == INPUT_NONE) return ws_error_set( error, WS_E_INVALID_OPERATION, "the reader has no input" );
    if (obj->in_attr)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot start canonicalization inside an attribute" );
    obj->c14n_fed = FALSE;
    obj->c14n_level = 0;
    if (FAILED(hr = ws_c14n_create( writeCallback, writeCallbackState, properties, propertyCount, &obj->c14n,
                                    error )))
        return hr;
    if (FAILED(hr = c14n_add_context( obj, error )))
    {
        ws_c14n_free( obj->c14n );
        obj->c14n = NULL;
    }
    return hr;
}

HRESULT WINAPI WsEndReaderCanonicalization( WS_XML_READER *reader, WS_ERROR *error )
{
    struct reader *obj = (struct reader *)reader;
    HRESULT hr;

    TRACE( "%p %p\n", reader, error );

    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (!obj->c14n) return ws_error_set( error, WS_E_INVALID_OPERATION, "canonicalization is not started" );
    /* documented: at the depth where it started (an element entered since is still open) */
    if (obj->c14n_level)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "%lu element(s) entered since canonicalization started "
                             "are still open", obj->c14n_level );
    hr = ws_c14n_finish( obj->c14n, error );
    ws_c14n_free( obj->c14n );
    obj->c14n = NULL;
    return hr;
}
