/*
 * XML writer (WS_XML_WRITER)
 *
 * Two halves behind a small internal interface (struct sink_ops):
 *
 *   - the encoding-independent part (this file's upper half): states,
 *     open-element stack, namespace scopes and prefix generation, pending
 *     start tags and their attributes, quotas, positions and moves;
 *   - sinks that receive finished nodes in the public node model: the text
 *     serializer (bytes into one growing output buffer, UTF-8 or UTF-16) and
 *     the tree builder (WsSetOutputToBuffer: nodes into a WS_XML_BUFFER).
 *     The binary serializer ([MC-NBFX] records, "binary sink" below) is a
 *     third sink writing into the same output buffer; the MTOM sink wraps the
 *     text serializer (the root part) and moves base64 content into MIME
 *     parts (mtom.c writes the envelope).
 *
 * The common path allocates nothing per node when writing bytes: names and
 * attribute values go to reusable arenas (struct arena) and the output to one
 * growing buffer; a start tag is handed to the sink only once it is complete
 * (at its first content, its end, or WsWriteEndStartElement), which is when
 * the text form can choose between <a/> and <a>.
 *
 * Failures: argument errors (E_INVALIDARG) and calls in the wrong state
 * (WS_E_INVALID_OPERATION) are detected before anything changes and leave the
 * writer usable; any other failure (format, quota, memory, callback) leaves
 * it faulted, as WsCreateWriter documents: further calls return
 * WS_E_OBJECT_FAULTED until WsSetOutput / WsSetOutputToBuffer.
 */

#include <stdio.h>
#include <string.h>
#include "webservices_private.h"

/* ---- properties ------------------------------------------------------------ */

struct writer_props
{
    ULONG max_depth;
    BOOL allow_fragment;
    ULONG max_attributes;
    BOOL write_declaration;
    ULONG indent;
    ULONG buffer_trim_size;
    WS_CHARSET charset;
    WS_BUFFERS buffers;
    ULONG buffer_max_size;
    WS_BYTES bytes;
    BOOL in_attribute;
    ULONG max_mime_parts_buffer_size;
    WS_BYTES initial_buffer;
    BOOL allow_invalid_charrefs;
    ULONG max_namespaces;
    ULONG bytes_written;
    ULONG bytes_to_close;
    BOOL compress_empty;
    BOOL emit_uncompressed_empty;
};

static const ULONG default_max_depth = 32, default_max_attributes = 128, default_trim_size = 4096;
static const ULONG default_buffer_max_size = 65536, default_max_mime_parts = 65536, default_max_namespaces = 32;
static const WS_CHARSET default_charset = WS_CHARSET_UTF8;

/* In id order: ws_prop_find tries desc[id] first. */
static const struct ws_prop_desc writer_prop_desc[] =
{
    WS_PROP( WS_XML_WRITER_PROPERTY_MAX_DEPTH, struct writer_props, max_depth, WS_PROP_CREATE, &default_max_depth ),
    WS_PROP( WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT, struct writer_props, allow_fragment, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_MAX_ATTRIBUTES, struct writer_props, max_attributes, WS_PROP_CREATE,
             &default_max_attributes ),
    WS_PROP( WS_XML_WRITER_PROPERTY_WRITE_DECLARATION, struct writer_props, write_declaration, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_INDENT, struct writer_props, indent, WS_PROP_CREATE, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_BUFFER_TRIM_SIZE, struct writer_props, buffer_trim_size, WS_PROP_CREATE,
             &default_trim_size ),
    WS_PROP( WS_XML_WRITER_PROPERTY_CHARSET, struct writer_props, charset, WS_PROP_READ_ONLY, &default_charset ),
    WS_PROP( WS_XML_WRITER_PROPERTY_BUFFERS, struct writer_props, buffers, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, struct writer_props, buffer_max_size, WS_PROP_CREATE,
             &default_buffer_max_size ),
    WS_PROP( WS_XML_WRITER_PROPERTY_BYTES, struct writer_props, bytes, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_IN_ATTRIBUTE, struct writer_props, in_attribute, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE, struct writer_props, max_mime_parts_buffer_size,
             WS_PROP_CREATE, &default_max_mime_parts ),
    WS_PROP( WS_XML_WRITER_PROPERTY_INITIAL_BUFFER, struct writer_props, initial_buffer, WS_PROP_SET_ONLY, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES, struct writer_props, allow_invalid_charrefs,
             WS_PROP_CREATE, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_MAX_NAMESPACES, struct writer_props, max_namespaces, WS_PROP_CREATE,
             &default_max_namespaces ),
    WS_PROP( WS_XML_WRITER_PROPERTY_BYTES_WRITTEN, struct writer_props, bytes_written, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE, struct writer_props, bytes_to_close, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS, struct writer_props, compress_empty, WS_PROP_CREATE,
             NULL ),
    WS_PROP( WS_XML_WRITER_PROPERTY_EMIT_UNCOMPRESSED_EMPTY_ELEMENTS, struct writer_props, emit_uncompressed_empty,
             WS_PROP_CREATE, NULL ),
};

static const struct ws_prop_table writer_prop_table = WS_PROP_TABLE( "writer", writer_prop_desc, NULL );

/* ---- arenas: growable byte buffers that are reused, never shrunk ------------ */

struct arena
{
    BYTE *data;
    ULONG len, cap;
};

static BOOL __attribute__((noinline)) arena_grow( struct arena *a, ULONG extra )
{
    ULONG cap = a->cap ? a->cap : 256;
    BYTE *data;

    if (a->len + extra < a->len) return FALSE;
    while (cap < a->len + extra)
    {
        if (cap > 0x7fffffff) return FALSE;
        cap *= 2;
    }
    if (a->data) data = HeapReAlloc( GetProcessHeap(), 0, a->data, cap );
    else data = HeapAlloc( GetProcessHeap(), 0, cap );
    if (!data) return FALSE;
    a->data = data;
    a->cap = cap;
    return TRUE;
}

static inline BOOL arena_reserve( struct arena *a, ULONG extra )
{
    return extra <= a->cap - a->len || arena_grow( a, extra );
}

static inline BOOL arena_append( struct arena *a, const void *data, ULONG len )
{
    if (!arena_reserve( a, len )) return FALSE;
    if (len) memcpy( a->data + a->len, data, len );
    a->len += len;
    return TRUE;
}

static void arena_free( struct arena *a )
{
    HeapFree( GetProcessHeap(), 0, a->data );
    memset( a, 0, sizeof(*a) );
}

/* A growable array of fixed-size items (frames, bindings, attributes). */
static BOOL array_reserve( void **items, ULONG *cap, ULONG count, ULONG item_size )
{
    ULONG new_cap;
    void *ptr;

    if (count < *cap) return TRUE;
    new_cap = *cap ? *cap * 2 : 16;
    if (*items) ptr = HeapReAlloc( GetProcessHeap(), 0, *items, (SIZE_T)new_cap * item_size );
    else ptr = HeapAlloc( GetProcessHeap(), 0, (SIZE_T)new_cap * item_size );
    if (!ptr) return FALSE;
    *items = ptr;
    *cap = new_cap;
    return TRUE;
}

/* ---- writer state -------------------------------------------------------------- */

/* A string in the names arena (offsets: the arena moves when it grows). */
struct span
{
    ULONG off, len;
};

/* An open element. */
struct frame
{
    struct span prefix, local, ns;
    ULONG names_mark;                   /* names arena length before this element */
    ULONG ns_mark;                      /* binding count before this element */
    struct ws_xml_node *node;           /* tree builder: the element node */
    BOOL full_end;                      /* written as <a></a> even when empty */
};

/* A namespace binding in scope. */
struct binding
{
    struct span prefix, ns;
};

/* A fixed-size typed text (no pointers), copied by value. */
union any_text
{
    WS_XML_TEXT text;
    WS_XML_BOOL_TEXT b;
    WS_XML_INT32_TEXT i32;
    WS_XML_INT64_TEXT i64;
    WS_XML_UINT64_TEXT u64;
    WS_XML_FLOAT_TEXT f;
    WS_XML_DOUBLE_TEXT d;
    WS_XML_DECIMAL_TEXT dec;
    WS_XML_DATETIME_TEXT dt;
    WS_XML_TIMESPAN_TEXT ts;
    WS_XML_GUID_TEXT guid;
    WS_XML_UNIQUE_ID_TEXT unique_id;
};

/* An attribute (or xmlns declaration) of the pending start tag. */
struct pending_attr
{
    struct span prefix, local, ns;
    ULONG value_off, value_len;         /* in the values arena */
    LONG order;                         /* emission order */
    BOOL single_quote;
    BOOL is_xmlns;
    ULONG pieces;                       /* texts written into the value */
    BOOL has_typed;                     /* the value is exactly TYPED (binary: written as a typed record) */
    BOOL is_bytes;                      /* binary: the value is WsWriteBytes bytes only, kept raw in the arena */
    union any_text typed;
};

enum writer_state
{
    STATE_NONE,                         /* no output: every write fails */
    STATE_CONTENT,                      /* between nodes */
    STATE_START_ELEMENT,                /* a start tag is pending */
    STATE_ATTRIBUTE,                    /* inside WsWriteStartAttribute */
    STATE_CDATA,                        /* inside WsWriteStartCData */
    STATE_FAULTED,
};

enum output_type
{
    OUTPUT_NONE,
    OUTPUT_BUFFER,                      /* WS_XML_WRITER_BUFFER_OUTPUT */
    OUTPUT_STREAM,                      /* WS_XML_WRITER_STREAM_OUTPUT */
    OUTPUT_XML_BUFFER,                  /* WsSetOutputToBuffer */
};

struct writer;

/* What an encoding implements; nodes come in the public node model. */
struct sink_ops
{
    /* A complete start tag; the element stays open. */
    HRESULT (*start_element)( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error );
    /* The start tag is followed by content (text: '>'). */
    HRESULT (*end_start_element)( struct writer *w, WS_ERROR *error );
    /* Closes FRAME; EMPTY when no content followed its start tag (text: '/>'). */
    HRESULT (*end_element)( struct writer *w, const struct frame *frame, BOOL empty, WS_ERROR *error );
    HRESULT (*text)( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error );
    HRESULT (*utf8)( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error );
    HRESULT (*comment)( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error );
    HRESULT (*start_cdata)( struct writer *w, WS_ERROR *error );
    HRESULT (*end_cdata)( struct writer *w, WS_ERROR *error );
};

struct writer
{
    struct ws_object obj;
    enum writer_state state;
    enum output_type output;
    const struct sink_ops *sink;
    struct writer_props props;          /* current (creation + WsSetOutput) */
    struct writer_props create_props;   /* as given to WsCreateWriter */

    /* byte output */
    struct arena out;
    WS_BYTES out_bytes;                 /* what WS_XML_WRITER_PROPERTY_BUFFERS points to */
    BOOL utf16, utf16_be;
    WS_WRITE_CALLBACK write_callback;
    void *write_callback_state;
    /* binary encoding ([MC-NBFX]) */
    BOOL binary;
    const WS_XML_DICTIONARY *static_dict;
    WS_DYNAMIC_STRING_CALLBACK dynamic_callback;
    void *dynamic_callback_state;
    BOOL text_pending;                  /* the last record is a text at text_pos: an end element can merge */
    ULONG text_pos;
    BYTE b64_pending[2];                /* WsWriteBytes: bytes of an incomplete triple */
    ULONG b64_pending_len;
    struct ws_buf scratch;              /* text conversions */

    /* MTOM encoding (mtom_* below) */
    struct ws_mime_writer *mtom;
    struct ws_buf mtom_bytes;           /* base64 content not written yet */
    BOOL mtom_pending;                  /* mtom_bytes holds a run of base64 texts */
    BOOL mtom_pending_whole;            /* ... that started as the first content of its element */
    BOOL mtom_fresh;                    /* the open element has no content yet */
    BOOL mtom_done;                     /* the parts and the close delimiter are written (stream) */
    struct ws_buf mtom_view;            /* buffer output: the whole message, for WS_XML_WRITER_PROPERTY_BYTES */

    /* tree output */
    struct ws_xml_buffer *buffer;
    struct ws_xml_node *insert_pos;     /* new nodes go before it */
    struct ws_xml_node *cdata;          /* open CDATA node */

    /* element stack and namespace scopes */
    struct arena names;
    struct frame *frames;
    ULONG depth, frames_cap;
    struct binding *bindings;
    ULONG binding_count, bindings_cap;
    ULONG implicit_bindings;            /* xml, xmlns, default "" at the bottom */
    BOOL root_written;
    ULONG next_prefix;

    /* the pending start tag */
    struct pending_attr *attrs;
    ULONG attr_count, attrs_cap;
    struct arena values;
    LONG next_order;
    BOOL attr_value_nonempty;
    ULONG cur_attr;

    /* reusable node structures for the sink */
    WS_XML_ATTRIBUTE *node_attrs;
    WS_XML_ATTRIBUTE **node_attr_ptrs;
    WS_XML_STRING *node_strs;
    WS_XML_UTF8_TEXT *node_values;
    ULONG node_cap;
    WS_XML_STRING prefix_result;        /* WsGetPrefixFromNamespace */

    /* canonicalization (WsStartWriterCanonicalization) */
    struct ws_c14n *c14n;
    const struct sink_ops *c14n_inner;  /* the sink the tee sink forwards to */
    ULONG c14n_depth;                   /* depth at the start */
};

static const BYTE xml_ns_bytes[] = "http://www.w3.org/XML/1998/namespace";
static const BYTE xmlns_ns_bytes[] = "http://www.w3.org/2000/xmlns/";

static inline const BYTE *span_ptr( const struct writer *w, struct span s )
{
    return w->names.data + s.off;
}

static inline WS_XML_STRING span_str( const struct writer *w, struct span s )
{
    WS_XML_STRING str = { s.len, (BYTE *)span_ptr( w, s ), NULL, 0 };
    return str;
}

static inline BOOL span_eq( const struct writer *w, struct span s, const BYTE *bytes, ULONG len )
{
    return s.len == len && !memcmp( span_ptr( w, s ), bytes, len );
}

static HRESULT oom( WS_ERROR *error )
{
    return ws_error_set( error, E_OUTOFMEMORY, "writer: out of memory" );
}

/* Any failure past the argument and state checks faults the writer. */
static HRESULT fault( struct writer *w, HRESULT hr )
{
    if (FAILED(hr) && hr != E_INVALIDARG && hr != WS_E_INVALID_OPERATION) w->state = STATE_FAULTED;
    return hr;
}

static HRESULT add_name( struct writer *w, const BYTE *bytes, ULONG len, struct span *span, WS_ERROR *error )
{
    span->off = w->names.len;
    span->len = len;
    if (!arena_append( &w->names, bytes, len )) return oom( error );
    return S_OK;
}

static inline HRESULT add_str( struct writer *w, const WS_XML_STRING *str, struct span *span, WS_ERROR *error )
{
    return add_name( w, str ? str->bytes : NULL, str ? str->length : 0, span, error );
}

/* ---- namespace scopes ---------------------------------------------------------- */

static HRESULT push_binding( struct writer *w, struct span prefix, struct span ns, WS_ERROR *error )
{
    if (w->binding_count - w->implicit_bindings >= w->props.max_namespaces)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu namespace declarations in scope",
                             w->props.max_namespaces );
    if (!array_reserve( (void **)&w->bindings, &w->bindings_cap, w->binding_count, sizeof(*w->bindings) ))
        return oom( error );
    w->bindings[w->binding_count].prefix = prefix;
    w->bindings[w->binding_count].ns = ns;
    w->binding_count++;
    return S_OK;
}

/* The innermost binding of PREFIX, or NULL. */
static const struct binding *find_prefix( const struct writer *w, const BYTE *prefix, ULONG len )
{
    ULONG i = w->binding_count;

    while (i--) if (span_eq( w, w->bindings[i].prefix, prefix, len )) return &w->bindings[i];
    return NULL;
}

/* An in-scope (not shadowed) binding of NS; an empty prefix only if ALLOW_DEFAULT. */
static const struct binding *find_ns( const struct writer *w, const BYTE *ns, ULONG len, BOOL allow_default )
{
    ULONG i = w->binding_count;

    while (i--)
    {
        const struct binding *b = &w->bindings[i];
        if (!span_eq( w, b->ns, ns, len )) continue;
        if (!b->prefix.len && !allow_default) continue;
        if (find_prefix( w, span_ptr( w, b->prefix ), b->prefix.len ) == b) return b;
    }
    return NULL;
}

/* Whether the pending element itself declared PREFIX. */
static const struct binding *declared_here( const struct writer *w, const BYTE *prefix, ULONG len )
{
    ULONG i, start = w->depth ? w->frames[w->depth - 1].ns_mark : w->implicit_bindings;

    for (i = start; i < w->binding_count; i++)
        if (span_eq( w, w->bindings[i].prefix, prefix, len )) return &w->bindings[i];
    return NULL;
}

static HRESULT add_pending( struct writer *w, struct pending_attr **ret, WS_ERROR *error )
{
    struct pending_attr *attr;

    if (!array_reserve( (void **)&w->attrs, &w->attrs_cap, w->attr_count, sizeof(*w->attrs) )) return oom( error );
    attr = &w->attrs[w->attr_count++];
    memset( attr, 0, sizeof(*attr) );
    attr->order = w->next_order;
    *ret = attr;
    return S_OK;
}

/* Declarations the writer adds itself follow every attribute written
 * explicitly (xmlns ones included), in the order they were needed. */
#define GENERATED_ORDER 0x40000000

/* Declares PREFIX=NS on the pending element: a binding plus an xmlns attribute. */
static HRESULT declare( struct writer *w, struct span prefix, struct span ns, BOOL single_quote, LONG order,
                        WS_ERROR *error )
{
    struct pending_attr *attr;
    HRESULT hr;

    if (FAILED(hr = push_binding( w, prefix, ns, error ))) return hr;
    if (FAILED(hr = add_pending( w, &attr, error ))) return hr;
    attr->is_xmlns = TRUE;
    attr->prefix = prefix;
    attr->ns = ns;
    attr->single_quote = single_quote;
    attr->order = order == GENERATED_ORDER ? GENERATED_ORDER + (LONG)w->attr_count : order;
    return S_OK;
}

/* A prefix bound to nothing in scope: a, b, ... z, then a1, b1, ... */
static HRESULT generate_prefix( struct writer *w, struct span *prefix, WS_ERROR *error )
{
    char buf[16];
    int len;

    for (;;)
    {
        ULONG n = w->next_prefix++;
        if (n < 26) len = sprintf( buf, "%c", 'a' + (int)n );
        else len = sprintf( buf, "%c%lu", 'a' + (int)(n % 26), n / 26 );
        if (!find_prefix( w, (const BYTE *)buf, len )) break;
    }
    return add_name( w, (const BYTE *)buf, len, prefix, error );
}

/* Gives the pending element's name a prefix bound to its namespace. */
static HRESULT resolve_element_prefix( struct writer *w, const WS_XML_STRING *prefix, WS_ERROR *error )
{
    struct frame *frame = &w->frames[w->depth - 1];
    const struct binding *b;
    HRESULT hr;

    if (!prefix)
    {
        if ((b = find_ns( w, span_ptr( w, frame->ns ), frame->ns.len, TRUE )))
        {
            frame->prefix = b->prefix;
            return S_OK;
        }
        /* Not in scope: the element (re)declares the default namespace, which
         * for no namespace means undeclaring it (xmlns=""), as long as the
         * element itself has not bound the empty prefix already. */
        if (FAILED(hr = add_name( w, NULL, 0, &frame->prefix, error ))) return hr;
        if (!declared_here( w, (const BYTE *)"", 0 ))
            return declare( w, frame->prefix, frame->ns, FALSE, GENERATED_ORDER, error );
        if (FAILED(hr = generate_prefix( w, &frame->prefix, error ))) return hr;
        return declare( w, frame->prefix, frame->ns, FALSE, GENERATED_ORDER, error );
    }
    if (FAILED(hr = add_str( w, prefix, &frame->prefix, error ))) return hr;
    if ((b = find_prefix( w, prefix->bytes, prefix->length )) && span_eq( w, b->ns, span_ptr( w, frame->ns ),
                                                                          frame->ns.len ))
        return S_OK;
    if ((b = declared_here( w, prefix->bytes, prefix->length )))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "prefix %s is already bound to another namespace on "
                             "this element", debugstr_xmlstr( prefix ) );
    return declare( w, frame->prefix, frame->ns, FALSE, GENERATED_ORDER, error );
}

static BOOL is_reserved_prefix( const WS_XML_STRING *prefix )
{
    return (prefix->length == 3 && !memcmp( prefix->bytes, "xml", 3 )) ||
           (prefix->length == 5 && !memcmp( prefix->bytes, "xmlns", 5 ));
}

static HRESULT check_prefix_ns( const WS_XML_STRING *prefix, const WS_XML_STRING *ns, WS_ERROR *error )
{
    if (prefix && prefix->length && !ns->length)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "prefix %s with an empty namespace",
                             debugstr_xmlstr( prefix ) );
    if (prefix && prefix->length == 3 && !memcmp( prefix->bytes, "xml", 3 ) &&
        (ns->length != sizeof(xml_ns_bytes) - 1 || memcmp( ns->bytes, xml_ns_bytes, ns->length )))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the xml prefix is bound to %s",
                             (const char *)xml_ns_bytes );
    if (prefix && prefix->length == 5 && !memcmp( prefix->bytes, "xmlns", 5 ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the xmlns prefix cannot be used" );
    return S_OK;
}

static void reset_scopes( struct writer *w )
{
    static const struct { const char *prefix; const BYTE *ns; ULONG len; } implicit[] =
    {
        { "", (const BYTE *)"", 0 },
        { "xml", xml_ns_bytes, sizeof(xml_ns_bytes) - 1 },
        { "xmlns", xmlns_ns_bytes, sizeof(xmlns_ns_bytes) - 1 },
    };
    ULONG i;

    w->names.len = 0;
    w->values.len = 0;
    w->depth = 0;
    w->binding_count = 0;
    w->attr_count = 0;
    w->root_written = FALSE;
    w->next_prefix = 0;
    w->b64_pending_len = 0;
    for (i = 0; i < (ULONG)ARRAYSIZE(implicit); i++)
    {
        struct span prefix, ns;
        /* Small: cannot fail but on exhausted memory, where the bindings simply stay missing. */
        if (FAILED(add_name( w, (const BYTE *)implicit[i].prefix, strlen( implicit[i].prefix ), &prefix, NULL )) ||
            FAILED(add_name( w, implicit[i].ns, implicit[i].len, &ns, NULL )))
            break;
        if (!array_reserve( (void **)&w->bindings, &w->bindings_cap, w->binding_count, sizeof(*w->bindings) )) break;
        w->bindings[w->binding_count].prefix = prefix;
        w->bindings[w->binding_count].ns = ns;
        w->binding_count++;
    }
    w->implicit_bindings = w->binding_count;
}

/* ---- committing the pending start tag ------------------------------------------- */

static HRESULT reserve_node_structs( struct writer *w, ULONG count, WS_ERROR *error )
{
    ULONG cap = w->node_cap ? w->node_cap : 8;
    void *p;

    if (count <= w->node_cap) return S_OK;
    while (cap < count) cap *= 2;
#define GROW(field) \
    if (!(p = w->field ? HeapReAlloc( GetProcessHeap(), 0, w->field, cap * sizeof(*w->field) ) \
                       : HeapAlloc( GetProcessHeap(), 0, cap * sizeof(*w->field) ))) return oom( error ); \
    w->field = p;
    GROW(node_attrs)
    GROW(node_attr_ptrs)
    GROW(node_values)
    if (!(p = w->node_strs ? HeapReAlloc( GetProcessHeap(), 0, w->node_strs, 3 * (SIZE_T)cap * sizeof(*w->node_strs) )
                           : HeapAlloc( GetProcessHeap(), 0, 3 * (SIZE_T)cap * sizeof(*w->node_strs) )))
        return oom( error );
    w->node_strs = p;
#undef GROW
    w->node_cap = cap;
    return S_OK;
}

/* Attributes in emission order; mostly already sorted, so insertion sort is linear. */
static void sort_attrs( struct writer *w )
{
    ULONG i, j;

    for (i = 1; i < w->attr_count; i++)
    {
        struct pending_attr tmp = w->attrs[i];
        for (j = i; j > 0 && w->attrs[j - 1].order > tmp.order; j--) w->attrs[j] = w->attrs[j - 1];
        w->attrs[j] = tmp;
    }
}

/* Hands the pending start tag to the sink; CONTENT says whether content follows. */
static HRESULT commit_start_element( struct writer *w, BOOL content, WS_ERROR *error )
{
    struct frame *frame = &w->frames[w->depth - 1];
    WS_XML_STRING prefix = span_str( w, frame->prefix ), local = span_str( w, frame->local ),
                  ns = span_str( w, frame->ns );
    WS_XML_ELEMENT_NODE elem;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = reserve_node_structs( w, w->attr_count, error ))) return hr;
    sort_attrs( w );
    for (i = 0; i < w->attr_count; i++)
    {
        const struct pending_attr *pa = &w->attrs[i];
        WS_XML_ATTRIBUTE *attr = &w->node_attrs[i];
        WS_XML_STRING *strs = &w->node_strs[3 * i];

        strs[0] = span_str( w, pa->prefix );
        strs[1] = span_str( w, pa->local );
        strs[2] = span_str( w, pa->ns );
        attr->singleQuote = pa->single_quote;
        attr->isXmlNs = pa->is_xmlns;
        attr->prefix = &strs[0];
        attr->localName = pa->is_xmlns ? &strs[0] : &strs[1];
        attr->ns = &strs[2];
        if (pa->is_xmlns) attr->value = NULL;
        else if (pa->has_typed && w->binary) attr->value = (WS_XML_TEXT *)&pa->typed.text;
        else if (pa->is_bytes)
        {
            /* a Bytes8/16/32Text record ([MC-NBFX] 2.2.3.17-19) */
            WS_XML_BASE64_TEXT *value = (WS_XML_BASE64_TEXT *)&w->node_values[i];
            value->text.textType = WS_XML_TEXT_TYPE_BASE64;
            value->bytes = w->values.data + pa->value_off;
            value->length = pa->value_len;
            attr->value = &value->text;
        }
        else
        {
            WS_XML_UTF8_TEXT *value = &w->node_values[i];
            value->text.textType = WS_XML_TEXT_TYPE_UTF8;
            value->value.length = pa->value_len;
            value->value.bytes = w->values.data + pa->value_off;
            value->value.dictionary = NULL;
            value->value.id = 0;
            attr->value = &value->text;
        }
        w->node_attr_ptrs[i] = attr;
    }
    elem.node.nodeType = WS_XML_NODE_TYPE_ELEMENT;
    elem.prefix = &prefix;
    elem.localName = &local;
    elem.ns = &ns;
    elem.attributeCount = w->attr_count;
    elem.attributes = w->node_attr_ptrs;
    elem.isEmpty = !content;
    if (FAILED(hr = w->sink->start_element( w, &elem, error ))) return hr;
    w->attr_count = 0;
    w->values.len = 0;
    w->state = STATE_CONTENT;
    if (content) return w->sink->end_start_element( w, error );
    return S_OK;
}

/* Brings the writer to content state for a node of content. */
static HRESULT prepare_content( struct writer *w, WS_ERROR *error )
{
    if (w->state == STATE_START_ELEMENT) return commit_start_element( w, TRUE, error );
    return S_OK;
}

static HRESULT flush_b64_pending( struct writer *w, WS_ERROR *error );

/* State check shared by every writing entry point. */
static HRESULT check_writable( struct writer *w, WS_ERROR *error )
{
    switch (w->state)
    {
    case STATE_NONE:
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the writer has no output" );
    case STATE_FAULTED:
        return ws_error_set( error, WS_E_OBJECT_FAULTED, "the writer is faulted" );
    default:
        return S_OK;
    }
}

static HRESULT check_quota( struct writer *w, WS_ERROR *error )
{
    if (w->output != OUTPUT_XML_BUFFER && w->out.len > w->props.buffer_max_size)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "%lu bytes buffered, more than the maximum of %lu",
                             w->out.len, w->props.buffer_max_size );
    return S_OK;
}

static BOOL is_whitespace( const BYTE *bytes, ULONG len )
{
    ULONG i;
    for (i = 0; i < len; i++)
        if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n') return FALSE;
    return TRUE;
}

/* ---- generic operations (all sinks) -------------------------------------------- */

static HRESULT push_element( struct writer *w, const WS_XML_STRING *local, const WS_XML_STRING *ns, WS_ERROR *error )
{
    struct frame *frame;
    HRESULT hr;

    if (w->depth >= w->props.max_depth)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "depth %lu would exceed the maximum of %lu",
                             w->depth + 1, w->props.max_depth );
    if (!w->depth && w->root_written && !w->props.allow_fragment && w->output != OUTPUT_XML_BUFFER)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "a document has one root element (fragments are not "
                             "allowed)" );
    if (!array_reserve( (void **)&w->frames, &w->frames_cap, w->depth, sizeof(*w->frames) )) return oom( error );
    frame = &w->frames[w->depth];
    memset( frame, 0, sizeof(*frame) );
    frame->names_mark = w->names.len;
    frame->ns_mark = w->binding_count;
    if (FAILED(hr = add_str( w, local, &frame->local, error ))) return hr;
    if (FAILED(hr = add_str( w, ns, &frame->ns, error ))) return hr;
    w->depth++;
    w->root_written = TRUE;
    w->attr_count = 0;
    w->values.len = 0;
    w->next_order = 0;
    w->state = STATE_START_ELEMENT;
    return S_OK;
}

static HRESULT write_start_element( struct writer *w, const WS_XML_STRING *prefix, const WS_XML_STRING *local,
                                    const WS_XML_STRING *ns, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot start an element inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    if (FAILED(hr = check_prefix_ns( prefix, ns, error ))) return hr;
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (FAILED(hr = prepare_content( w, error ))) return hr;
    if (FAILED(hr = push_element( w, local, ns, error ))) return hr;
    return resolve_element_prefix( w, prefix, error );
}

static HRESULT write_end_element( struct writer *w, WS_ERROR *error )
{
    struct frame *frame;
    BOOL empty = FALSE;
    HRESULT hr;

    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot end an element inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    if (!w->depth) return ws_error_set( error, WS_E_INVALID_OPERATION, "no element is open" );
    /* canonicalization ends at the depth where it started: the writer may not go lower */
    if (w->c14n && w->depth == w->c14n_depth)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot end an element opened before canonicalization "
                             "started" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    frame = &w->frames[w->depth - 1];
    if (w->state == STATE_START_ELEMENT)
    {
        BOOL full = frame->full_end || w->props.emit_uncompressed_empty;
        if (FAILED(hr = commit_start_element( w, full, error ))) return hr;
        empty = !full;
    }
    frame = &w->frames[w->depth - 1];
    if (FAILED(hr = w->sink->end_element( w, frame, empty, error ))) return hr;
    w->names.len = frame->names_mark;
    w->binding_count = frame->ns_mark;
    w->depth--;
    w->state = STATE_CONTENT;
    return S_OK;
}

static HRESULT check_top_level_text( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    if (w->depth || w->props.allow_fragment || w->output == OUTPUT_XML_BUFFER || is_whitespace( bytes, len ))
        return S_OK;
    return ws_error_set( error, WS_E_INVALID_OPERATION, "text outside the root element (fragments are not allowed)" );
}

static ULONG encode_b64( const BYTE *in, ULONG len, BYTE *out );

/* The raw bytes of the current attribute (binary encoding) become their base64 characters:
 * other text follows them in the value. */
static HRESULT attr_bytes_to_chars( struct writer *w, WS_ERROR *error )
{
    struct pending_attr *pa = &w->attrs[w->cur_attr];
    ULONG n;

    pa->is_bytes = FALSE;
    w->scratch.len = 0;
    if (!ws_buf_reserve( &w->scratch, (pa->value_len + 2) / 3 * 4 )) return oom( error );
    n = encode_b64( w->values.data + pa->value_off, pa->value_len, w->scratch.data );
    /* the value being written is the last one of the arena */
    w->values.len = pa->value_off;
    if (!arena_append( &w->values, w->scratch.data, n )) return oom( error );
    pa->value_len = n;
    return S_OK;
}

/* WsWriteBytes in an attribute of the binary encoding: while the value is bytes only, they are kept
 * raw, for one Bytes record. */
static HRESULT write_attr_bytes( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    struct pending_attr *pa = &w->attrs[w->cur_attr];

    if (!arena_append( &w->values, bytes, len )) return oom( error );
    pa->value_len += len;
    pa->pieces++;
    pa->has_typed = FALSE;
    pa->is_bytes = TRUE;
    return S_OK;
}

/* Text given as UTF-8 (already validated or produced here). */
static HRESULT write_utf8( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    HRESULT hr;

    switch (w->state)
    {
    case STATE_ATTRIBUTE:
        if (w->attrs[w->cur_attr].is_bytes && FAILED(hr = attr_bytes_to_chars( w, error ))) return hr;
        if (!arena_append( &w->values, bytes, len )) return oom( error );
        w->attrs[w->cur_attr].value_len += len;
        w->attrs[w->cur_attr].pieces++;
        w->attrs[w->cur_attr].has_typed = FALSE;
        return S_OK;
    case STATE_CDATA:
        return w->sink->utf8( w, bytes, len, error );
    default:
        if (FAILED(hr = check_top_level_text( w, bytes, len, error ))) return hr;
        if (FAILED(hr = prepare_content( w, error ))) return hr;
        return w->sink->utf8( w, bytes, len, error );
    }
}

/* Copies a fixed-size typed text; FALSE for texts that hold pointers (UTF-8, UTF-16, bytes, qnames, lists). */
static BOOL copy_typed_text( const WS_XML_TEXT *text, union any_text *copy )
{
    ULONG size;

    switch (text->textType)
    {
    case WS_XML_TEXT_TYPE_BOOL:      size = sizeof(WS_XML_BOOL_TEXT); break;
    case WS_XML_TEXT_TYPE_INT32:     size = sizeof(WS_XML_INT32_TEXT); break;
    case WS_XML_TEXT_TYPE_INT64:     size = sizeof(WS_XML_INT64_TEXT); break;
    case WS_XML_TEXT_TYPE_UINT64:    size = sizeof(WS_XML_UINT64_TEXT); break;
    case WS_XML_TEXT_TYPE_FLOAT:     size = sizeof(WS_XML_FLOAT_TEXT); break;
    case WS_XML_TEXT_TYPE_DOUBLE:    size = sizeof(WS_XML_DOUBLE_TEXT); break;
    case WS_XML_TEXT_TYPE_DECIMAL:   size = sizeof(WS_XML_DECIMAL_TEXT); break;
    case WS_XML_TEXT_TYPE_GUID:      size = sizeof(WS_XML_GUID_TEXT); break;
    case WS_XML_TEXT_TYPE_UNIQUE_ID: size = sizeof(WS_XML_UNIQUE_ID_TEXT); break;
    case WS_XML_TEXT_TYPE_DATETIME:  size = sizeof(WS_XML_DATETIME_TEXT); break;
    case WS_XML_TEXT_TYPE_TIMESPAN:  size = sizeof(WS_XML_TIMESPAN_TEXT); break;
    default: return FALSE;
    }
    memcpy( copy, text, size );
    return TRUE;
}

/* Any WS_XML_TEXT: attribute values are kept as UTF-8, content goes to the sink as is. */
static HRESULT write_text( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    HRESULT hr;

    if (text->textType == WS_XML_TEXT_TYPE_UTF8)
    {
        const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)text;
        return write_utf8( w, utf8->value.bytes, utf8->value.length, error );
    }
    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA || (!w->depth && w->output != OUTPUT_XML_BUFFER))
    {
        BOOL first = w->state == STATE_ATTRIBUTE && !w->attrs[w->cur_attr].pieces;
        w->scratch.len = 0;
        if (FAILED(hr = ws_text_to_utf8( text, &w->scratch, error ))) return hr;
        if (FAILED(hr = write_utf8( w, w->scratch.data, w->scratch.len, error ))) return hr;
        /* An attribute value that is one typed text keeps its type for the binary encoding. */
        if (first && w->binary && copy_typed_text( text, &w->attrs[w->cur_attr].typed ))
            w->attrs[w->cur_attr].has_typed = TRUE;
        return S_OK;
    }
    if (FAILED(hr = prepare_content( w, error ))) return hr;
    return w->sink->text( w, text, error );
}

static HRESULT write_start_attribute( struct writer *w, const WS_XML_STRING *prefix, const WS_XML_STRING *local,
                                      const WS_XML_STRING *ns, BOOL single_quote, WS_ERROR *error )
{
    struct pending_attr *attr;
    const struct binding *b;
    LONG order;
    HRESULT hr;
    ULONG i, regular = 0;

    if (w->state != STATE_START_ELEMENT)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "attributes are written in a start tag only" );
    if (FAILED(hr = check_prefix_ns( prefix, ns, error ))) return hr;
    for (i = 0; i < w->attr_count; i++)
    {
        if (w->attrs[i].is_xmlns) continue;
        regular++;
        if (span_eq( w, w->attrs[i].local, local->bytes, local->length ) &&
            span_eq( w, w->attrs[i].ns, ns->bytes, ns->length ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "duplicate attribute %s", debugstr_xmlstr( local ) );
    }
    if (regular >= w->props.max_attributes)
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "more than %lu attributes", w->props.max_attributes );

    order = w->next_order;
    w->next_order += 2;
    if (FAILED(hr = add_pending( w, &attr, error ))) return hr;
    attr->order = order;
    attr->single_quote = single_quote;
    attr->value_off = w->values.len;
    w->cur_attr = w->attr_count - 1;
    if (FAILED(hr = add_str( w, local, &attr->local, error ))) return hr;
    if (FAILED(hr = add_str( w, ns, &attr->ns, error ))) return hr;
    attr = &w->attrs[w->cur_attr];

    if (!ns->length)
    {
        /* Attributes in no namespace have no prefix. */
        if (FAILED(hr = add_name( w, NULL, 0, &w->attrs[w->cur_attr].prefix, error ))) return hr;
    }
    else if (!prefix || !prefix->length)
    {
        /* The default namespace does not apply to attributes: a named prefix is needed. */
        struct span p;
        if ((b = find_ns( w, ns->bytes, ns->length, FALSE ))) w->attrs[w->cur_attr].prefix = b->prefix;
        else
        {
            if (FAILED(hr = generate_prefix( w, &p, error ))) return hr;
            w->attrs[w->cur_attr].prefix = p;
            if (FAILED(hr = declare( w, p, w->attrs[w->cur_attr].ns, FALSE, GENERATED_ORDER, error ))) return hr;
        }
    }
    else
    {
        struct span p;
        if (FAILED(hr = add_str( w, prefix, &p, error ))) return hr;
        w->attrs[w->cur_attr].prefix = p;
        if (!((b = find_prefix( w, prefix->bytes, prefix->length )) && span_eq( w, b->ns, ns->bytes, ns->length )))
        {
            if (declared_here( w, prefix->bytes, prefix->length ))
                return ws_error_set( error, WS_E_INVALID_FORMAT, "prefix %s is already bound to another namespace "
                                     "on this element", debugstr_xmlstr( prefix ) );
            if (FAILED(hr = declare( w, p, w->attrs[w->cur_attr].ns, FALSE, GENERATED_ORDER, error ))) return hr;
        }
    }
    w->state = STATE_ATTRIBUTE;
    return S_OK;
}

static HRESULT write_xmlns_attribute( struct writer *w, const WS_XML_STRING *prefix, const WS_XML_STRING *ns,
                                      BOOL single_quote, LONG order, WS_ERROR *error )
{
    const struct binding *b;
    struct span p, n;
    HRESULT hr;

    if (w->state != STATE_START_ELEMENT)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "xmlns attributes are written in a start tag only" );
    if (prefix && prefix->length && !ns->length)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "prefix %s with an empty namespace",
                             debugstr_xmlstr( prefix ) );
    if (prefix && is_reserved_prefix( prefix ))
    {
        /* xml is bound implicitly (declaring it again is redundant), xmlns never. */
        if (FAILED(hr = check_prefix_ns( prefix, ns, error ))) return hr;
        return S_OK;
    }
    if (!prefix)
    {
        if (find_ns( w, ns->bytes, ns->length, FALSE )) return S_OK;   /* redundant */
        if (FAILED(hr = generate_prefix( w, &p, error ))) return hr;
    }
    else
    {
        if ((b = find_prefix( w, prefix->bytes, prefix->length )) && span_eq( w, b->ns, ns->bytes, ns->length ))
            return S_OK;   /* redundant: not written */
        if (declared_here( w, prefix->bytes, prefix->length ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "prefix %s is already bound to another namespace on "
                                 "this element", debugstr_xmlstr( prefix ) );
        if (FAILED(hr = add_str( w, prefix, &p, error ))) return hr;
    }
    if (FAILED(hr = add_str( w, ns, &n, error ))) return hr;
    return declare( w, p, n, single_quote, order, error );
}

/* ---- base64 ------------------------------------------------------------------------- */

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static ULONG encode_b64( const BYTE *in, ULONG len, BYTE *out )
{
    ULONG i, n = 0;

    for (i = 0; i + 3 <= len; i += 3)
    {
        out[n++] = b64_chars[in[i] >> 2];
        out[n++] = b64_chars[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
        out[n++] = b64_chars[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
        out[n++] = b64_chars[in[i + 2] & 63];
    }
    if (len - i == 1)
    {
        out[n++] = b64_chars[in[i] >> 2];
        out[n++] = b64_chars[(in[i] & 3) << 4];
        out[n++] = '=';
        out[n++] = '=';
    }
    else if (len - i == 2)
    {
        out[n++] = b64_chars[in[i] >> 2];
        out[n++] = b64_chars[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
        out[n++] = b64_chars[(in[i + 1] & 15) << 2];
        out[n++] = '=';
    }
    return n;
}

static HRESULT write_b64_chunk( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    BYTE buf[4 * 256];
    HRESULT hr;

    while (len)
    {
        ULONG chunk = len > 3 * 256 ? 3 * 256 : len;
        ULONG n = encode_b64( bytes, chunk, buf );
        if (FAILED(hr = write_utf8( w, buf, n, error ))) return hr;
        bytes += chunk;
        len -= chunk;
    }
    return S_OK;
}

static HRESULT flush_b64_pending( struct writer *w, WS_ERROR *error )
{
    ULONG len = w->b64_pending_len;

    if (!len) return S_OK;
    w->b64_pending_len = 0;
    return write_b64_chunk( w, w->b64_pending, len, error );
}

/* Consecutive WsWriteBytes calls form one base64 text: an incomplete triple waits for the next call. */
static HRESULT write_bytes( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    HRESULT hr;
    ULONG whole;

    if ((w->output == OUTPUT_XML_BUFFER || w->binary || w->mtom) && w->state != STATE_ATTRIBUTE &&
        w->state != STATE_CDATA)
    {
        /* The binary encoding keeps bytes as bytes (Bytes8/16/32Text records). */
        WS_XML_BASE64_TEXT text = { { WS_XML_TEXT_TYPE_BASE64 }, (BYTE *)bytes, len };
        return write_text( w, &text.text, error );
    }
    if (w->binary && w->state == STATE_ATTRIBUTE &&
        (!w->attrs[w->cur_attr].pieces || w->attrs[w->cur_attr].is_bytes) && !w->b64_pending_len)
        return write_attr_bytes( w, bytes, len, error );
    if (w->state != STATE_ATTRIBUTE && w->state != STATE_CDATA)
    {
        if (!w->depth && !w->props.allow_fragment && len)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "bytes outside the root element" );
        if (FAILED(hr = prepare_content( w, error ))) return hr;
    }
    while (w->b64_pending_len && w->b64_pending_len < 3 && len)
    {
        if (w->b64_pending_len == 2)
        {
            BYTE triple[3] = { w->b64_pending[0], w->b64_pending[1], *bytes };
            w->b64_pending_len = 0;
            bytes++;
            len--;
            if (FAILED(hr = write_b64_chunk( w, triple, 3, error ))) return hr;
            break;
        }
        w->b64_pending[w->b64_pending_len++] = *bytes++;
        len--;
    }
    whole = len - len % 3;
    if (FAILED(hr = write_b64_chunk( w, bytes, whole, error ))) return hr;
    memcpy( w->b64_pending + w->b64_pending_len, bytes + whole, len - whole );
    w->b64_pending_len += len - whole;
    return S_OK;
}

/* ---- the text serializer ---------------------------------------------------------- */

static HRESULT out_oom( WS_ERROR *error )
{
    return ws_error_set( error, E_OUTOFMEMORY, "writer: out of memory for the output" );
}

/* UTF-8 to UTF-16 (the document is produced in UTF-8 and converted on the way out). */
static BOOL __attribute__((noinline)) put_utf16( struct writer *w, const BYTE *p, ULONG len )
{
    ULONG i = 0;

    if (!arena_reserve( &w->out, len * 2 + 4 )) return FALSE;
    while (i < len)
    {
        ULONG c = p[i], n = 0, k;
        WCHAR units[2];
        ULONG count = 1;

        if (c < 0x80) n = 0;
        else if (c >= 0xf0) { c &= 0x07; n = 3; }
        else if (c >= 0xe0) { c &= 0x0f; n = 2; }
        else { c &= 0x1f; n = 1; }
        for (k = 1; k <= n && i + k < len; k++) c = (c << 6) | (p[i + k] & 0x3f);
        i += n + 1;
        if (c >= 0x10000)
        {
            c -= 0x10000;
            units[0] = 0xd800 | (c >> 10);
            units[1] = 0xdc00 | (c & 0x3ff);
            count = 2;
        }
        else units[0] = c;
        if (!arena_reserve( &w->out, 4 )) return FALSE;
        for (k = 0; k < count; k++)
        {
            BYTE *dst = w->out.data + w->out.len;
            if (w->utf16_be) { dst[0] = units[k] >> 8; dst[1] = units[k] & 0xff; }
            else { dst[0] = units[k] & 0xff; dst[1] = units[k] >> 8; }
            w->out.len += 2;
        }
    }
    return TRUE;
}

static inline BOOL put( struct writer *w, const void *p, ULONG len )
{
    if (__builtin_expect( w->utf16, 0 )) return put_utf16( w, p, len );
    return arena_append( &w->out, p, len );
}

static inline BOOL put_char( struct writer *w, BYTE c )
{
    if (__builtin_expect( w->utf16, 0 )) return put_utf16( w, &c, 1 );
    if (!arena_reserve( &w->out, 1 )) return FALSE;
    w->out.data[w->out.len++] = c;
    return TRUE;
}

static inline BOOL put_str( struct writer *w, const WS_XML_STRING *str )
{
    return put( w, str->bytes, str->length );
}

static inline BOOL put_name( struct writer *w, const WS_XML_STRING *prefix, const WS_XML_STRING *local )
{
    if (prefix && prefix->length && (!put_str( w, prefix ) || !put_char( w, ':' ))) return FALSE;
    return put_str( w, local );
}

/* Characters XML 1.0 does not allow, even as references (\t \n \r are fine). */
static inline BOOL is_invalid_control( BYTE c )
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* Escapes text content (ATTR_QUOTE 0) or an attribute value quoted with ATTR_QUOTE. */
static HRESULT put_escaped( struct writer *w, const BYTE *p, ULONG len, BYTE attr_quote, WS_ERROR *error )
{
    ULONG i, run = 0;

    for (i = 0; i < len; i++)
    {
        BYTE c = p[i];
        const char *esc;
        char buf[8];

        if (c > '>' ) continue;
        switch (c)
        {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': if (attr_quote) continue; esc = "&gt;"; break;
        case '"': if (attr_quote != '"') continue; esc = "&quot;"; break;
        case '\'': if (attr_quote != '\'') continue; esc = "&apos;"; break;
        case '\r': esc = "&#xD;"; break;
        case '\t': if (!attr_quote) continue; esc = "&#x9;"; break;
        case '\n': if (!attr_quote) continue; esc = "&#xA;"; break;
        default:
            if (!is_invalid_control( c )) continue;
            if (!w->props.allow_invalid_charrefs)
                return ws_error_set( error, WS_E_INVALID_FORMAT, "character U+%04X is not allowed in XML", c );
            sprintf( buf, "&#x%X;", c );
            esc = buf;
            break;
        }
        if (!put( w, p + run, i - run ) || !put( w, esc, strlen( esc ) )) return out_oom( error );
        run = i + 1;
    }
    if (!put( w, p + run, len - run )) return out_oom( error );
    return S_OK;
}

static HRESULT text_start_element( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (!put_char( w, '<' ) || !put_name( w, elem->prefix, elem->localName )) return out_oom( error );
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        BYTE quote = attr->singleQuote ? '\'' : '"';

        if (attr->isXmlNs)
        {
            if (!put( w, " xmlns", 6 )) return out_oom( error );
            if (attr->prefix->length && (!put_char( w, ':' ) || !put_str( w, attr->prefix ))) return out_oom( error );
            if (!put_char( w, '=' ) || !put_char( w, quote )) return out_oom( error );
            if (FAILED(hr = put_escaped( w, attr->ns->bytes, attr->ns->length, quote, error ))) return hr;
        }
        else
        {
            if (!put_char( w, ' ' ) || !put_name( w, attr->prefix, attr->localName ) || !put_char( w, '=' ) ||
                !put_char( w, quote ))
                return out_oom( error );
            if (attr->value)
            {
                const BYTE *bytes;
                ULONG len;
                if (attr->value->textType == WS_XML_TEXT_TYPE_UTF8)
                {
                    bytes = ((const WS_XML_UTF8_TEXT *)attr->value)->value.bytes;
                    len = ((const WS_XML_UTF8_TEXT *)attr->value)->value.length;
                }
                else
                {
                    w->scratch.len = 0;
                    if (FAILED(hr = ws_text_to_utf8( attr->value, &w->scratch, error ))) return hr;
                    bytes = w->scratch.data;
                    len = w->scratch.len;
                }
                if (FAILED(hr = put_escaped( w, bytes, len, quote, error ))) return hr;
            }
        }
        if (!put_char( w, quote )) return out_oom( error );
    }
    return S_OK;
}

static HRESULT text_end_start_element( struct writer *w, WS_ERROR *error )
{
    if (!put_char( w, '>' )) return out_oom( error );
    return S_OK;
}

static HRESULT text_end_element( struct writer *w, const struct frame *frame, BOOL empty, WS_ERROR *error )
{
    WS_XML_STRING prefix, local;

    if (empty)
    {
        if (!put( w, "/>", 2 )) return out_oom( error );
        return S_OK;
    }
    prefix = span_str( w, frame->prefix );
    local = span_str( w, frame->local );
    if (!put( w, "</", 2 ) || !put_name( w, &prefix, &local ) || !put_char( w, '>' )) return out_oom( error );
    return S_OK;
}

static HRESULT text_utf8( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    /* XML 1.0 allows no character reference outside the root element (production Misc):
     * whitespace there (a CR included) is written as it is */
    if (w->state == STATE_CDATA || (!w->depth && is_whitespace( bytes, len )))
    {
        if (!put( w, bytes, len )) return out_oom( error );
        return S_OK;
    }
    return put_escaped( w, bytes, len, 0, error );
}

static HRESULT text_text( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    HRESULT hr;

    w->scratch.len = 0;
    if (FAILED(hr = ws_text_to_utf8( text, &w->scratch, error ))) return hr;
    return text_utf8( w, w->scratch.data, w->scratch.len, error );
}

static HRESULT text_comment( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error )
{
    if (!put( w, "<!--", 4 ) || !put_str( w, value ) || !put( w, "-->", 3 )) return out_oom( error );
    return S_OK;
}

static HRESULT text_start_cdata( struct writer *w, WS_ERROR *error )
{
    if (!put( w, "<![CDATA[", 9 )) return out_oom( error );
    return S_OK;
}

static HRESULT text_end_cdata( struct writer *w, WS_ERROR *error )
{
    if (!put( w, "]]>", 3 )) return out_oom( error );
    return S_OK;
}

static const struct sink_ops text_sink =
{
    text_start_element, text_end_start_element, text_end_element, text_text, text_utf8, text_comment,
    text_start_cdata, text_end_cdata,
};

/* ---- the MTOM sink: the text serializer with base64 content moved into MIME parts ----------
 *
 * A run of base64 texts (WsWriteBytes, WsWriteText/WsWriteValue of bytes, copied nodes) is held
 * until the next node.  XOP 1.0 can only optimize element content that is base64 as a whole, so
 * the run becomes an xop:Include and a MIME part when it is the whole content of its element and
 * holds more than maxInlineByteCount bytes ("the threshold at which the writer will not write
 * base64 encoded text": at most maxInlineByteCount bytes stay inline, so 0 moves every non-empty
 * run); otherwise it is written inline as base64 text. */

static HRESULT mtom_check_open( struct writer *w, WS_ERROR *error )
{
    if (w->mtom_done) return ws_error_set( error, WS_E_INVALID_OPERATION, "the MTOM message is complete" );
    return S_OK;
}

static HRESULT mtom_write_include( struct writer *w, WS_ERROR *error )
{
    static const WS_XML_STRING xop_prefix = { 3, (BYTE *)"xop", NULL, 0 }, include = { 7, (BYTE *)"Include", NULL, 0 };
    static const WS_XML_STRING xop_ns = { sizeof(WS_XOP_NS) - 1, (BYTE *)WS_XOP_NS, NULL, 0 };
    static const WS_XML_STRING href = { 4, (BYTE *)"href", NULL, 0 }, empty = { 0, (BYTE *)"", NULL, 0 };
    WS_XML_UTF8_TEXT value = { { WS_XML_TEXT_TYPE_UTF8 }, { 0, NULL, NULL, 0 } };
    WS_XML_ATTRIBUTE attrs[2], *attr_ptrs[2] = { &attrs[0], &attrs[1] };
    WS_XML_ELEMENT_NODE elem;
    struct ws_buf cid = { NULL, 0, 0 };
    HRESULT hr;

    if (FAILED(hr = ws_mime_writer_add_part( w->mtom, w->mtom_bytes.data, w->mtom_bytes.len,
                                             w->props.max_mime_parts_buffer_size, &cid, error )))
        return hr;
    value.value.length = cid.len;
    value.value.bytes = cid.data;
    memset( attrs, 0, sizeof(attrs) );
    attrs[0].prefix = (WS_XML_STRING *)&empty;
    attrs[0].localName = (WS_XML_STRING *)&href;
    attrs[0].ns = (WS_XML_STRING *)&empty;
    attrs[0].value = &value.text;
    attrs[1].isXmlNs = TRUE;
    attrs[1].prefix = attrs[1].localName = (WS_XML_STRING *)&xop_prefix;
    attrs[1].ns = (WS_XML_STRING *)&xop_ns;
    memset( &elem, 0, sizeof(elem) );
    elem.node.nodeType = WS_XML_NODE_TYPE_ELEMENT;
    elem.prefix = (WS_XML_STRING *)&xop_prefix;
    elem.localName = (WS_XML_STRING *)&include;
    elem.ns = (WS_XML_STRING *)&xop_ns;
    elem.attributeCount = 2;
    elem.attributes = attr_ptrs;
    elem.isEmpty = TRUE;
    hr = text_start_element( w, &elem, error );
    if (SUCCEEDED(hr)) hr = text_end_element( w, NULL, TRUE, error );
    ws_buf_free( &cid );
    return hr;
}

/* Writes the held base64 run; AT_END: its element ends here (the run may be its whole content). */
static HRESULT mtom_flush( struct writer *w, BOOL at_end, WS_ERROR *error )
{
    WS_XML_BASE64_TEXT text = { { WS_XML_TEXT_TYPE_BASE64 }, NULL, 0 };
    HRESULT hr;

    w->mtom_fresh = FALSE;
    if (!w->mtom_pending) return S_OK;
    w->mtom_pending = FALSE;
    if (at_end && w->mtom_pending_whole && w->mtom_bytes.len > ws_mime_writer_max_inline( w->mtom ))
        hr = mtom_write_include( w, error );
    else
    {
        text.bytes = w->mtom_bytes.data;
        text.length = w->mtom_bytes.len;
        hr = text_text( w, &text.text, error );
    }
    w->mtom_bytes.len = 0;
    return hr;
}

static HRESULT mtom_start_element( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = mtom_check_open( w, error )) || FAILED(hr = mtom_flush( w, FALSE, error ))) return hr;
    return text_start_element( w, elem, error );
}

static HRESULT mtom_end_start_element( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = text_end_start_element( w, error ))) return hr;
    w->mtom_fresh = TRUE;
    return S_OK;
}

static HRESULT mtom_end_element( struct writer *w, const struct frame *frame, BOOL empty, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = mtom_flush( w, TRUE, error ))) return hr;
    return text_end_element( w, frame, empty, error );
}

static HRESULT mtom_text( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    const WS_XML_BASE64_TEXT *b64 = (const WS_XML_BASE64_TEXT *)text;
    HRESULT hr;

    if (FAILED(hr = mtom_check_open( w, error ))) return hr;
    if (text->textType != WS_XML_TEXT_TYPE_BASE64 || w->state == STATE_CDATA)
    {
        if (FAILED(hr = mtom_flush( w, FALSE, error ))) return hr;
        return text_text( w, text, error );
    }
    if (!w->mtom_pending)
    {
        w->mtom_pending = TRUE;
        w->mtom_pending_whole = w->mtom_fresh;
        w->mtom_bytes.len = 0;
    }
    w->mtom_fresh = FALSE;
    if (!ws_buf_append( &w->mtom_bytes, b64->bytes, b64->length )) return out_oom( error );
    return S_OK;
}

static HRESULT mtom_utf8( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = mtom_check_open( w, error )) || FAILED(hr = mtom_flush( w, FALSE, error ))) return hr;
    return text_utf8( w, bytes, len, error );
}

static HRESULT mtom_comment( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = mtom_check_open( w, error )) || FAILED(hr = mtom_flush( w, FALSE, error ))) return hr;
    return text_comment( w, value, error );
}

static HRESULT mtom_start_cdata( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = mtom_check_open( w, error )) || FAILED(hr = mtom_flush( w, FALSE, error ))) return hr;
    return text_start_cdata( w, error );
}

static const struct sink_ops mtom_sink =
{
    mtom_start_element, mtom_end_start_element, mtom_end_element, mtom_text, mtom_utf8, mtom_comment,
    mtom_start_cdata, text_end_cdata,
};

/* The complete MTOM message of a buffer output: the root part so far, the parts, the close delimiter. */
static HRESULT mtom_compose( struct writer *w, WS_ERROR *error )
{
    w->mtom_view.len = 0;
    if (!ws_buf_append( &w->mtom_view, w->out.data, w->out.len )) return out_oom( error );
    return ws_mime_writer_finish( w->mtom, &w->mtom_view, error );
}

/* Stream output: once the document is complete, the parts and the close delimiter follow the root part. */
static HRESULT mtom_finish_stream( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (!w->mtom || w->mtom_done || w->depth || !w->root_written || w->state != STATE_CONTENT) return S_OK;
    w->scratch.len = 0;
    if (FAILED(hr = ws_mime_writer_finish( w->mtom, &w->scratch, error ))) return hr;
    if (!arena_append( &w->out, w->scratch.data, w->scratch.len )) return out_oom( error );
    w->mtom_done = TRUE;
    return S_OK;
}

/* ---- the tree builder (WsSetOutputToBuffer) ------------------------------------ */

static WS_HEAP *tree_heap( struct writer *w )
{
    return w->buffer->heap;
}

static HRESULT tree_new_node( struct writer *w, WS_XML_NODE_TYPE type, struct ws_xml_node **ret, WS_ERROR *error )
{
    struct ws_xml_node *node = ws_heap_alloc_zero( tree_heap( w ), sizeof(*node) );

    *ret = NULL;
    if (!node) return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "the XML buffer's heap is full" );
    node->u.node.nodeType = type;
    *ret = node;
    return S_OK;
}

static void tree_append_child( struct ws_xml_node *parent, struct ws_xml_node *child )
{
    child->parent = parent;
    child->prev = parent->last_child;
    child->next = NULL;
    if (parent->last_child) parent->last_child->next = child;
    else parent->first_child = child;
    parent->last_child = child;
}

static void tree_insert( struct writer *w, struct ws_xml_node *node )
{
    struct ws_xml_node *pos = w->insert_pos;

    /* At BOF, insert as the first node of the document. */
    if (!pos->parent) pos = pos->first_child;
    ws_xml_node_insert_before( pos, node );
}

static HRESULT tree_start_element( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    struct ws_xml_node *node = NULL, *end = NULL;
    HRESULT hr;

    if (FAILED(hr = ws_xml_node_copy( tree_heap( w ), &elem->node, &node, error ))) return hr;
    if (FAILED(hr = tree_new_node( w, WS_XML_NODE_TYPE_END_ELEMENT, &end, error ))) return hr;
    node->u.element.isEmpty = FALSE;
    tree_append_child( node, end );
    tree_insert( w, node );
    w->frames[w->depth - 1].node = node;
    w->insert_pos = end;
    return S_OK;
}

static HRESULT tree_end_start_element( struct writer *w, WS_ERROR *error )
{
    (void)w; (void)error;
    return S_OK;
}

static HRESULT tree_end_element( struct writer *w, const struct frame *frame, BOOL empty, WS_ERROR *error )
{
    (void)empty; (void)error;
    if (frame->node) w->insert_pos = frame->node->next;
    else if (w->insert_pos->parent) w->insert_pos = w->insert_pos->parent->next;
    return S_OK;
}

static HRESULT tree_text( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    WS_XML_TEXT_NODE node = { { WS_XML_NODE_TYPE_TEXT }, (WS_XML_TEXT *)text };
    struct ws_xml_node *copy = NULL;
    HRESULT hr;

    if (FAILED(hr = ws_xml_node_copy( tree_heap( w ), &node.node, &copy, error ))) return hr;
    tree_insert( w, copy );
    return S_OK;
}

static HRESULT tree_utf8( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    WS_XML_UTF8_TEXT text = { { WS_XML_TEXT_TYPE_UTF8 }, { len, (BYTE *)bytes, NULL, 0 } };
    return tree_text( w, &text.text, error );
}

static HRESULT tree_comment( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error )
{
    WS_XML_COMMENT_NODE node = { { WS_XML_NODE_TYPE_COMMENT }, *value };
    struct ws_xml_node *copy = NULL;
    HRESULT hr;

    if (FAILED(hr = ws_xml_node_copy( tree_heap( w ), &node.node, &copy, error ))) return hr;
    tree_insert( w, copy );
    return S_OK;
}

static HRESULT tree_start_cdata( struct writer *w, WS_ERROR *error )
{
    struct ws_xml_node *node, *end;
    HRESULT hr;

    if (FAILED(hr = tree_new_node( w, WS_XML_NODE_TYPE_CDATA, &node, error ))) return hr;
    if (FAILED(hr = tree_new_node( w, WS_XML_NODE_TYPE_END_CDATA, &end, error ))) return hr;
    tree_append_child( node, end );
    tree_insert( w, node );
    w->cdata = node;
    w->insert_pos = end;
    return S_OK;
}

static HRESULT tree_end_cdata( struct writer *w, WS_ERROR *error )
{
    (void)error;
    if (w->cdata) w->insert_pos = w->cdata->next;
    w->cdata = NULL;
    return S_OK;
}

static const struct sink_ops tree_sink =
{
    tree_start_element, tree_end_start_element, tree_end_element, tree_text, tree_utf8, tree_comment,
    tree_start_cdata, tree_end_cdata,
};

/* ---- the binary serializer ([MC-NBFX]) -------------------------------------------- */

/* Record types of [MC-NBFX] 2.2.3; a text record's type + 1 is its "WithEndElement" form. */
enum
{
    REC_END_ELEMENT = 0x01, REC_COMMENT = 0x02, REC_ARRAY = 0x03,
    REC_SHORT_ATTRIBUTE = 0x04, REC_ATTRIBUTE = 0x05,
    REC_SHORT_DICTIONARY_ATTRIBUTE = 0x06, REC_DICTIONARY_ATTRIBUTE = 0x07,
    REC_SHORT_XMLNS_ATTRIBUTE = 0x08, REC_XMLNS_ATTRIBUTE = 0x09,
    REC_SHORT_DICTIONARY_XMLNS_ATTRIBUTE = 0x0a, REC_DICTIONARY_XMLNS_ATTRIBUTE = 0x0b,
    REC_PREFIX_DICTIONARY_ATTRIBUTE_A = 0x0c, REC_PREFIX_ATTRIBUTE_A = 0x26,
    REC_SHORT_ELEMENT = 0x40, REC_ELEMENT = 0x41,
    REC_SHORT_DICTIONARY_ELEMENT = 0x42, REC_DICTIONARY_ELEMENT = 0x43,
    REC_PREFIX_DICTIONARY_ELEMENT_A = 0x44, REC_PREFIX_ELEMENT_A = 0x5e,
    REC_ZERO_TEXT = 0x80, REC_ONE_TEXT = 0x82, REC_FALSE_TEXT = 0x84, REC_TRUE_TEXT = 0x86,
    REC_INT8_TEXT = 0x88, REC_INT16_TEXT = 0x8a, REC_INT32_TEXT = 0x8c, REC_INT64_TEXT = 0x8e,
    REC_FLOAT_TEXT = 0x90, REC_DOUBLE_TEXT = 0x92, REC_DECIMAL_TEXT = 0x94, REC_DATETIME_TEXT = 0x96,
    REC_CHARS8_TEXT = 0x98, REC_CHARS16_TEXT = 0x9a, REC_CHARS32_TEXT = 0x9c,
    REC_BYTES8_TEXT = 0x9e, REC_BYTES16_TEXT = 0xa0, REC_BYTES32_TEXT = 0xa2,
    REC_START_LIST_TEXT = 0xa4, REC_END_LIST_TEXT = 0xa6, REC_EMPTY_TEXT = 0xa8, REC_DICTIONARY_TEXT = 0xaa,
    REC_UNIQUE_ID_TEXT = 0xac, REC_TIMESPAN_TEXT = 0xae, REC_UUID_TEXT = 0xb0, REC_UINT64_TEXT = 0xb2,
    REC_BOOL_TEXT = 0xb4, REC_QNAME_DICTIONARY_TEXT = 0xbc,
};

static inline BOOL bin_put( struct writer *w, const void *p, ULONG len )
{
    return arena_append( &w->out, p, len );
}

static inline BOOL bin_byte( struct writer *w, BYTE b )
{
    return arena_append( &w->out, &b, 1 );
}

/* MultiByteInt31 ([MC-NBFX] 2.1.2): 7 bits a byte, least significant first, high bit = more follow. */
static BOOL bin_int31( struct writer *w, ULONG value )
{
    BYTE buf[5];
    ULONG n = 0;

    do
    {
        buf[n] = value & 0x7f;
        value >>= 7;
        if (value) buf[n] |= 0x80;
        n++;
    } while (value);
    return bin_put( w, buf, n );
}

/* String ([MC-NBFX] 2.1.3): MultiByteInt31 length, then UTF-8. */
static BOOL bin_string( struct writer *w, const BYTE *bytes, ULONG len )
{
    return bin_int31( w, len ) && bin_put( w, bytes, len );
}

static BOOL bin_le( struct writer *w, ULONGLONG value, ULONG size )
{
    BYTE buf[8];
    ULONG i;

    for (i = 0; i < size; i++) buf[i] = (BYTE)(value >> (8 * i));
    return bin_put( w, buf, size );
}

/* The DictionaryString ([MC-NBFX] 2.1.4) for BYTES: an even value for the static
 * dictionary (2 * id), an odd one for the dynamic dictionary (2 * id + 1), as
 * the dynamic string callback assigned it.  *FOUND is FALSE when neither knows it. */
static HRESULT bin_lookup( struct writer *w, const BYTE *bytes, ULONG len, BOOL *found, ULONG *value,
                           WS_ERROR *error )
{
    ULONG id, i;
    HRESULT hr;

    *found = FALSE;
    /* An empty String takes one byte, as a dictionary reference would: no lookup. */
    if (!len) return S_OK;
    if (w->static_dict)
    {
        if (w->static_dict == ws_static_dictionary())
        {
            if (ws_static_dictionary_find( bytes, len, &id ))
            {
                *found = TRUE;
                *value = id * 2;
                return S_OK;
            }
        }
        else
        {
            /* Names reach the sink as bytes (the writer keeps copies), so a
             * string of the application's dictionary is recognised by value. */
            for (i = 0; i < w->static_dict->stringCount; i++)
            {
                const WS_XML_STRING *str = &w->static_dict->strings[i];
                if (str->length == len && (!len || !memcmp( str->bytes, bytes, len )))
                {
                    *found = TRUE;
                    *value = str->id * 2;
                    return S_OK;
                }
            }
        }
    }
    if (w->dynamic_callback)
    {
        WS_XML_STRING str = { len, (BYTE *)bytes, NULL, 0 };
        BOOL dyn_found = FALSE;

        id = 0;
        if (FAILED(hr = w->dynamic_callback( w->dynamic_callback_state, &str, &dyn_found, &id, error )))
            return ws_error_set( error, hr, "the dynamic string callback failed with %#lx", hr );
        if (dyn_found)
        {
            if (id > 0x3fffffff)
                return ws_error_set( error, WS_E_INVALID_FORMAT, "dynamic string id %lu is too large", id );
            *found = TRUE;
            *value = id * 2 + 1;
        }
    }
    return S_OK;
}

static BOOL is_prefix_letter( const WS_XML_STRING *prefix )
{
    return prefix && prefix->length == 1 && prefix->bytes[0] >= 'a' && prefix->bytes[0] <= 'z';
}

/* Element and attribute names: the short form for no prefix, the letter form for a..z. */
static HRESULT bin_name( struct writer *w, BYTE short_rec, BYTE short_dict_rec, BYTE rec, BYTE dict_rec,
                         BYTE letter_rec, BYTE letter_dict_rec, const WS_XML_STRING *prefix,
                         const WS_XML_STRING *local, WS_ERROR *error )
{
    ULONG value = 0;
    BOOL dict;
    HRESULT hr;
    BOOL ok;

    if (FAILED(hr = bin_lookup( w, local->bytes, local->length, &dict, &value, error ))) return hr;
    if (!prefix || !prefix->length) ok = bin_byte( w, dict ? short_dict_rec : short_rec );
    else if (is_prefix_letter( prefix ))
        ok = bin_byte( w, (dict ? letter_dict_rec : letter_rec) + (prefix->bytes[0] - 'a') );
    else ok = bin_byte( w, dict ? dict_rec : rec ) && bin_string( w, prefix->bytes, prefix->length );
    if (ok) ok = dict ? bin_int31( w, value ) : bin_string( w, local->bytes, local->length );
    if (!ok) return out_oom( error );
    return S_OK;
}

/* Chars, or a dictionary or empty text, for UTF-8 content. */
static HRESULT bin_utf8_record( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    ULONG value = 0;
    BOOL dict, ok;
    HRESULT hr;

    if (!len) ok = bin_byte( w, REC_EMPTY_TEXT );
    else
    {
        if (FAILED(hr = bin_lookup( w, bytes, len, &dict, &value, error ))) return hr;
        if (dict) ok = bin_byte( w, REC_DICTIONARY_TEXT ) && bin_int31( w, value );
        else if (len <= 0xff) ok = bin_byte( w, REC_CHARS8_TEXT ) && bin_le( w, len, 1 ) && bin_put( w, bytes, len );
        else if (len <= 0xffff)
            ok = bin_byte( w, REC_CHARS16_TEXT ) && bin_le( w, len, 2 ) && bin_put( w, bytes, len );
        else ok = bin_byte( w, REC_CHARS32_TEXT ) && bin_le( w, len, 4 ) && bin_put( w, bytes, len );
    }
    if (!ok) return out_oom( error );
    return S_OK;
}

/* The smallest of Zero/One/Int8/Int16/Int32/Int64Text that holds VALUE. */
static BOOL bin_int_record( struct writer *w, LONGLONG value )
{
    if (value == 0) return bin_byte( w, REC_ZERO_TEXT );
    if (value == 1) return bin_byte( w, REC_ONE_TEXT );
    if (value >= -0x80 && value <= 0x7f) return bin_byte( w, REC_INT8_TEXT ) && bin_le( w, (ULONGLONG)value, 1 );
    if (value >= -0x8000 && value <= 0x7fff) return bin_byte( w, REC_INT16_TEXT ) && bin_le( w, (ULONGLONG)value, 2 );
    if (value >= -0x7fffffffLL - 1 && value <= 0x7fffffff)
        return bin_byte( w, REC_INT32_TEXT ) && bin_le( w, (ULONGLONG)value, 4 );
    return bin_byte( w, REC_INT64_TEXT ) && bin_le( w, (ULONGLONG)value, 8 );
}

/* Whether DOUBLE is an integer an integer record preserves (-0 is not: its sign would be lost). */
static BOOL double_is_int( double value, LONGLONG *ret )
{
    if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0)) return FALSE;   /* NaN too */
    if (value == 0 && __builtin_signbit( value )) return FALSE;
    *ret = (LONGLONG)value;
    return (double)*ret == value;
}

/* Floating-point values: an integer record when the value is integral, FloatText
 * when a float holds it exactly (NaN and infinities included), else DoubleText. */
static BOOL bin_double_record( struct writer *w, double value )
{
    LONGLONG i;
    float f = (float)value;

    if (double_is_int( value, &i )) return bin_int_record( w, i );
    if ((double)f == value || value != value)
    {
        ULONG bits;
        memcpy( &bits, &f, sizeof(bits) );
        return bin_byte( w, REC_FLOAT_TEXT ) && bin_le( w, bits, 4 );
    }
    else
    {
        ULONGLONG bits;
        memcpy( &bits, &value, sizeof(bits) );
        return bin_byte( w, REC_DOUBLE_TEXT ) && bin_le( w, bits, 8 );
    }
}

/* [MC-NBFX] DateTime: 62 bits of ticks, then 2 bits of time zone (0 unspecified, 1 UTC, 2 local). */
static ULONGLONG bin_datetime_value( const WS_DATETIME *dt )
{
    ULONGLONG tz = dt->format == WS_DATETIME_FORMAT_UTC ? 1 : dt->format == WS_DATETIME_FORMAT_LOCAL ? 2 : 0;
    return (dt->ticks & 0x3fffffffffffffffULL) | (tz << 62);
}

static HRESULT bin_check_datetime( const WS_DATETIME *dt, WS_ERROR *error )
{
    if (dt->ticks > 0x2bca2875f4373fffULL)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "datetime ticks %#llx out of range", (unsigned long long)dt->ticks );
    if ((unsigned int)dt->format > WS_DATETIME_FORMAT_NONE)
        return ws_error_set( error, E_INVALIDARG, "unknown datetime format %u", dt->format );
    return S_OK;
}

static BOOL bin_decimal( struct writer *w, const DECIMAL *dec )
{
    DECIMAL tmp = *dec;
    tmp.wReserved = 0;
    return bin_put( w, &tmp, sizeof(tmp) );
}

static HRESULT bin_text_record( struct writer *w, const WS_XML_TEXT *text, BOOL in_list, WS_ERROR *error );

/* QNameDictionaryText needs a letter prefix and a static-dictionary local name; otherwise "prefix:local" chars. */
static HRESULT bin_qname_record( struct writer *w, const WS_XML_QNAME_TEXT *qname, WS_ERROR *error )
{
    ULONG value = 0, id;
    BOOL ok;
    HRESULT hr;

    if (!qname->localName) return ws_error_set( error, E_INVALIDARG, "qualified name text without a local name" );
    if (is_prefix_letter( qname->prefix ) && w->static_dict == ws_static_dictionary() &&
        ws_static_dictionary_find( qname->localName->bytes, qname->localName->length, &id ))
    {
        value = id * 2;
        ok = bin_byte( w, REC_QNAME_DICTIONARY_TEXT ) && bin_byte( w, qname->prefix->bytes[0] - 'a' ) &&
             bin_int31( w, value );
        if (!ok) return out_oom( error );
        return S_OK;
    }
    w->scratch.len = 0;
    if (FAILED(hr = ws_text_to_utf8( &qname->text, &w->scratch, error ))) return hr;
    return bin_utf8_record( w, w->scratch.data, w->scratch.len, error );
}

static HRESULT bin_list_record( struct writer *w, const WS_XML_LIST_TEXT *list, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (list->itemCount && !list->items) return ws_error_set( error, E_INVALIDARG, "list text without items" );
    if (!bin_byte( w, REC_START_LIST_TEXT )) return out_oom( error );
    for (i = 0; i < list->itemCount; i++)
    {
        if (!list->items[i]) return ws_error_set( error, E_INVALIDARG, "list item %lu is NULL", i );
        if (FAILED(hr = bin_text_record( w, list->items[i], TRUE, error ))) return hr;
    }
    if (!bin_byte( w, REC_END_LIST_TEXT )) return out_oom( error );
    return S_OK;
}

/* One text record, the most compact that preserves the value. */
static HRESULT bin_text_record( struct writer *w, const WS_XML_TEXT *text, BOOL in_list, WS_ERROR *error )
{
    HRESULT hr;
    BOOL ok;

    switch (text->textType)
    {
    case WS_XML_TEXT_TYPE_UTF8:
    {
        const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)text;
        return bin_utf8_record( w, utf8->value.bytes, utf8->value.length, error );
    }
    case WS_XML_TEXT_TYPE_UTF16:
        /* Stored as UTF-8 Chars (UnicodeChars records are valid too, but longer for most
         * text): the reader gives the same characters back. */
        w->scratch.len = 0;
        if (FAILED(hr = ws_text_to_utf8( text, &w->scratch, error ))) return hr;
        return bin_utf8_record( w, w->scratch.data, w->scratch.len, error );
    case WS_XML_TEXT_TYPE_BASE64:
    {
        const WS_XML_BASE64_TEXT *b64 = (const WS_XML_BASE64_TEXT *)text;
        ULONG len = b64->length;
        if (len <= 0xff) ok = bin_byte( w, REC_BYTES8_TEXT ) && bin_le( w, len, 1 );
        else if (len <= 0xffff) ok = bin_byte( w, REC_BYTES16_TEXT ) && bin_le( w, len, 2 );
        else ok = bin_byte( w, REC_BYTES32_TEXT ) && bin_le( w, len, 4 );
        ok = ok && bin_put( w, b64->bytes, len );
        break;
    }
    case WS_XML_TEXT_TYPE_BOOL:
        ok = bin_byte( w, ((const WS_XML_BOOL_TEXT *)text)->value ? REC_TRUE_TEXT : REC_FALSE_TEXT );
        break;
    case WS_XML_TEXT_TYPE_INT32:
        ok = bin_int_record( w, ((const WS_XML_INT32_TEXT *)text)->value );
        break;
    case WS_XML_TEXT_TYPE_INT64:
        ok = bin_int_record( w, ((const WS_XML_INT64_TEXT *)text)->value );
        break;
    case WS_XML_TEXT_TYPE_UINT64:
    {
        ULONGLONG value = ((const WS_XML_UINT64_TEXT *)text)->value;
        if (value <= 0x7fffffffffffffffULL) ok = bin_int_record( w, (LONGLONG)value );
        else ok = bin_byte( w, REC_UINT64_TEXT ) && bin_le( w, value, 8 );
        break;
    }
    case WS_XML_TEXT_TYPE_FLOAT:
        ok = bin_double_record( w, ((const WS_XML_FLOAT_TEXT *)text)->value );
        break;
    case WS_XML_TEXT_TYPE_DOUBLE:
        ok = bin_double_record( w, ((const WS_XML_DOUBLE_TEXT *)text)->value );
        break;
    case WS_XML_TEXT_TYPE_DECIMAL:
        ok = bin_byte( w, REC_DECIMAL_TEXT ) && bin_decimal( w, &((const WS_XML_DECIMAL_TEXT *)text)->value );
        break;
    case WS_XML_TEXT_TYPE_GUID:
        ok = bin_byte( w, REC_UUID_TEXT ) && bin_put( w, &((const WS_XML_GUID_TEXT *)text)->value, sizeof(GUID) );
        break;
    case WS_XML_TEXT_TYPE_UNIQUE_ID:
        ok = bin_byte( w, REC_UNIQUE_ID_TEXT ) &&
             bin_put( w, &((const WS_XML_UNIQUE_ID_TEXT *)text)->value, sizeof(GUID) );
        break;
    case WS_XML_TEXT_TYPE_DATETIME:
    {
        const WS_DATETIME *dt = &((const WS_XML_DATETIME_TEXT *)text)->value;
        if (FAILED(hr = bin_check_datetime( dt, error ))) return hr;
        ok = bin_byte( w, REC_DATETIME_TEXT ) && bin_le( w, bin_datetime_value( dt ), 8 );
        break;
    }
    case WS_XML_TEXT_TYPE_TIMESPAN:
        ok = bin_byte( w, REC_TIMESPAN_TEXT ) &&
             bin_le( w, (ULONGLONG)((const WS_XML_TIMESPAN_TEXT *)text)->value.ticks, 8 );
        break;
    case WS_XML_TEXT_TYPE_QNAME:
        return bin_qname_record( w, (const WS_XML_QNAME_TEXT *)text, error );
    case WS_XML_TEXT_TYPE_LIST:
        if (in_list) return ws_error_set( error, E_INVALIDARG, "a list text cannot hold a list" );
        return bin_list_record( w, (const WS_XML_LIST_TEXT *)text, error );
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown text type %u", text->textType );
    }
    if (!ok) return out_oom( error );
    return S_OK;
}

static HRESULT bin_attribute( struct writer *w, const WS_XML_ATTRIBUTE *attr, WS_ERROR *error )
{
    static const WS_XML_STRING empty = { 0, NULL, NULL, 0 };
    const WS_XML_STRING *prefix = attr->prefix ? attr->prefix : &empty;
    HRESULT hr;

    if (attr->isXmlNs)
    {
        const WS_XML_STRING *ns = attr->ns ? attr->ns : &empty;
        ULONG value = 0;
        BOOL dict, ok;

        if (FAILED(hr = bin_lookup( w, ns->bytes, ns->length, &dict, &value, error ))) return hr;
        if (!prefix->length) ok = bin_byte( w, dict ? REC_SHORT_DICTIONARY_XMLNS_ATTRIBUTE : REC_SHORT_XMLNS_ATTRIBUTE );
        else ok = bin_byte( w, dict ? REC_DICTIONARY_XMLNS_ATTRIBUTE : REC_XMLNS_ATTRIBUTE ) &&
                  bin_string( w, prefix->bytes, prefix->length );
        if (ok) ok = dict ? bin_int31( w, value ) : bin_string( w, ns->bytes, ns->length );
        if (!ok) return out_oom( error );
        return S_OK;
    }
    if (FAILED(hr = bin_name( w, REC_SHORT_ATTRIBUTE, REC_SHORT_DICTIONARY_ATTRIBUTE, REC_ATTRIBUTE,
                              REC_DICTIONARY_ATTRIBUTE, REC_PREFIX_ATTRIBUTE_A, REC_PREFIX_DICTIONARY_ATTRIBUTE_A,
                              prefix, attr->localName, error )))
        return hr;
    if (!attr->value)
    {
        if (!bin_byte( w, REC_EMPTY_TEXT )) return out_oom( error );
        return S_OK;
    }
    return bin_text_record( w, attr->value, FALSE, error );
}

static HRESULT bin_start_element( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    w->text_pending = FALSE;
    if (FAILED(hr = bin_name( w, REC_SHORT_ELEMENT, REC_SHORT_DICTIONARY_ELEMENT, REC_ELEMENT, REC_DICTIONARY_ELEMENT,
                              REC_PREFIX_ELEMENT_A, REC_PREFIX_DICTIONARY_ELEMENT_A, elem->prefix, elem->localName,
                              error )))
        return hr;
    for (i = 0; i < elem->attributeCount; i++)
        if (FAILED(hr = bin_attribute( w, elem->attributes[i], error ))) return hr;
    return S_OK;
}

static HRESULT bin_end_start_element( struct writer *w, WS_ERROR *error )
{
    (void)w; (void)error;
    return S_OK;   /* no record: content simply follows */
}

/* A text immediately followed by its end element becomes the text's WithEndElement record. */
static HRESULT bin_end_element( struct writer *w, const struct frame *frame, BOOL empty, WS_ERROR *error )
{
    (void)frame; (void)empty;
    if (w->text_pending)
    {
        w->out.data[w->text_pos] |= 1;
        w->text_pending = FALSE;
        return S_OK;
    }
    if (!bin_byte( w, REC_END_ELEMENT )) return out_oom( error );
    return S_OK;
}

static HRESULT bin_text( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    ULONG pos = w->out.len;
    HRESULT hr;

    w->text_pending = FALSE;
    if (FAILED(hr = bin_text_record( w, text, FALSE, error ))) return hr;
    /* Lists have no WithEndElement form; any other text record does. */
    if (text->textType != WS_XML_TEXT_TYPE_LIST && w->depth)
    {
        w->text_pending = TRUE;
        w->text_pos = pos;
    }
    return S_OK;
}

static HRESULT bin_utf8( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    WS_XML_UTF8_TEXT text = { { WS_XML_TEXT_TYPE_UTF8 }, { len, (BYTE *)bytes, NULL, 0 } };
    return bin_text( w, &text.text, error );
}

static HRESULT bin_comment( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error )
{
    w->text_pending = FALSE;
    if (!bin_byte( w, REC_COMMENT ) || !bin_string( w, value->bytes, value->length )) return out_oom( error );
    return S_OK;
}

/* [MC-NBFX] has no CDATA record: the section's content is written as text. */
static HRESULT bin_start_cdata( struct writer *w, WS_ERROR *error )
{
    (void)error;
    w->text_pending = FALSE;
    return S_OK;
}

static HRESULT bin_end_cdata( struct writer *w, WS_ERROR *error )
{
    (void)w; (void)error;
    return S_OK;
}

static const struct sink_ops binary_sink =
{
    bin_start_element, bin_end_start_element, bin_end_element, bin_text, bin_utf8, bin_comment,
    bin_start_cdata, bin_end_cdata,
};

/* ---- writing nodes (WsWriteNode, WsWriteXmlBuffer, WsCopyNode) --------------------- */

static HRESULT write_comment( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot write a comment inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    for (i = 0; i + 1 < value->length; i++)
        if (value->bytes[i] == '-' && value->bytes[i + 1] == '-')
            return ws_error_set( error, WS_E_INVALID_FORMAT, "a comment cannot contain \"--\"" );
    if (value->length && value->bytes[value->length - 1] == '-')
        return ws_error_set( error, WS_E_INVALID_FORMAT, "a comment cannot end with '-'" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (FAILED(hr = prepare_content( w, error ))) return hr;
    return w->sink->comment( w, value, error );
}

static HRESULT write_start_cdata( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot start a CDATA section inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    if (!w->depth && w->output != OUTPUT_XML_BUFFER && !w->props.allow_fragment)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "a CDATA section must be inside an element" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (FAILED(hr = prepare_content( w, error ))) return hr;
    if (FAILED(hr = w->sink->start_cdata( w, error ))) return hr;
    w->state = STATE_CDATA;
    return S_OK;
}

static HRESULT write_end_cdata( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state != STATE_CDATA) return ws_error_set( error, WS_E_INVALID_OPERATION, "no CDATA section is open" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (FAILED(hr = w->sink->end_cdata( w, error ))) return hr;
    w->state = STATE_CONTENT;
    return S_OK;
}

static HRESULT write_end_attribute( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state != STATE_ATTRIBUTE) return ws_error_set( error, WS_E_INVALID_OPERATION, "no attribute is open" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    w->state = STATE_START_ELEMENT;
    return S_OK;
}

/* An element node: the xmlns attributes are declared first so that the
 * element's own prefix finds them, but every attribute keeps its place. */
static HRESULT write_element_node( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    static const WS_XML_STRING empty = { 0, NULL, NULL, 0 };
    const WS_XML_STRING *ns = elem->ns ? elem->ns : &empty;
    HRESULT hr;
    ULONG i;

    if (!elem->localName) return ws_error_set( error, E_INVALIDARG, "element node has no local name" );
    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot start an element inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    if (FAILED(hr = check_prefix_ns( elem->prefix, ns, error ))) return hr;
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (FAILED(hr = prepare_content( w, error ))) return hr;
    if (FAILED(hr = push_element( w, elem->localName, ns, error ))) return hr;
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (!attr->isXmlNs) continue;
        if (FAILED(hr = write_xmlns_attribute( w, attr->prefix, attr->ns ? attr->ns : &empty, attr->singleQuote,
                                               2 * (LONG)i, error )))
            return hr;
    }
    if (FAILED(hr = resolve_element_prefix( w, elem->prefix, error ))) return hr;
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (attr->isXmlNs) continue;
        if (!attr->localName) return ws_error_set( error, E_INVALIDARG, "attribute %lu has no local name", i );
        w->next_order = 2 * (LONG)i;
        if (FAILED(hr = write_start_attribute( w, attr->prefix, attr->localName, attr->ns ? attr->ns : &empty,
                                               attr->singleQuote, error )))
            return hr;
        if (attr->value && FAILED(hr = write_text( w, attr->value, error ))) return hr;
        if (FAILED(hr = write_end_attribute( w, error ))) return hr;
    }
    w->next_order = 2 * (LONG)elem->attributeCount;
    return S_OK;
}

static HRESULT write_node( struct writer *w, const WS_XML_NODE *node, WS_ERROR *error )
{
    switch (node->nodeType)
    {
    case WS_XML_NODE_TYPE_ELEMENT:
        return write_element_node( w, (const WS_XML_ELEMENT_NODE *)node, error );
    case WS_XML_NODE_TYPE_TEXT:
    {
        const WS_XML_TEXT_NODE *text = (const WS_XML_TEXT_NODE *)node;
        if (!text->text) return ws_error_set( error, E_INVALIDARG, "text node has no text" );
        return write_text( w, text->text, error );
    }
    case WS_XML_NODE_TYPE_END_ELEMENT:
        return write_end_element( w, error );
    case WS_XML_NODE_TYPE_COMMENT:
        return write_comment( w, &((const WS_XML_COMMENT_NODE *)node)->value, error );
    case WS_XML_NODE_TYPE_CDATA:
        return write_start_cdata( w, error );
    case WS_XML_NODE_TYPE_END_CDATA:
        return write_end_cdata( w, error );
    case WS_XML_NODE_TYPE_EOF:
    case WS_XML_NODE_TYPE_BOF:
        return S_OK;
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown node type %u", node->nodeType );
    }
}

/* Every node of BUFFER between its BOF and EOF. */
static HRESULT write_buffer_nodes( struct writer *w, const struct ws_xml_buffer *buffer, WS_ERROR *error )
{
    const struct ws_xml_node *node;
    HRESULT hr;

    for (node = ws_xml_node_next( buffer->root ); node; node = ws_xml_node_next( node ))
    {
        if (node->u.node.nodeType == WS_XML_NODE_TYPE_EOF) break;
        if (FAILED(hr = write_node( w, &node->u.node, error ))) return hr;
        /* An element of a buffer was written as <a></a> or <a/>: keep what the tree says. */
    }
    return S_OK;
}

/* ---- setting up output ------------------------------------------------------------- */

static void reset_output( struct writer *w )
{
    w->out.len = 0;
    w->utf16 = w->utf16_be = FALSE;
    w->write_callback = NULL;
    w->write_callback_state = NULL;
    w->binary = FALSE;
    w->static_dict = NULL;
    w->dynamic_callback = NULL;
    w->dynamic_callback_state = NULL;
    w->text_pending = FALSE;
    ws_mime_writer_free( w->mtom );
    w->mtom = NULL;
    w->mtom_pending = w->mtom_pending_whole = w->mtom_fresh = w->mtom_done = FALSE;
    w->mtom_bytes.len = 0;
    w->buffer = NULL;
    w->insert_pos = NULL;
    w->cdata = NULL;
    w->output = OUTPUT_NONE;
    w->sink = &text_sink;
    w->state = STATE_NONE;
    reset_scopes( w );
}

static HRESULT apply_props( struct writer *w, const WS_XML_WRITER_PROPERTY *properties, ULONG count, WS_ERROR *error )
{
    struct writer_props props = w->create_props;
    HRESULT hr;

    if (FAILED(hr = WS_PROPS_APPLY( &writer_prop_table, &props, properties, count, error ))) return hr;
    w->props = props;
    return S_OK;
}

static HRESULT write_declaration( struct writer *w, WS_ERROR *error )
{
    static const char decl8[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    static const char decl16[] = "<?xml version=\"1.0\" encoding=\"utf-16\"?>";
    const char *decl = w->utf16 ? decl16 : decl8;

    if (!put( w, decl, strlen( decl ) )) return out_oom( error );
    return S_OK;
}

static HRESULT set_output( struct writer *w, const WS_XML_WRITER_ENCODING *encoding, const WS_XML_WRITER_OUTPUT *output,
                           const WS_XML_WRITER_PROPERTY *properties, ULONG count, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = apply_props( w, properties, count, error ))) return hr;
    reset_output( w );
    if (!encoding) return S_OK;   /* documented: every later write fails */
    if (!output) return ws_error_set( error, E_INVALIDARG, "output is NULL with a non-NULL encoding" );

    switch (encoding->encodingType)
    {
    case WS_XML_WRITER_ENCODING_TYPE_TEXT:
    {
        const WS_XML_WRITER_TEXT_ENCODING *text = (const WS_XML_WRITER_TEXT_ENCODING *)encoding;
        switch (text->charSet)
        {
        case WS_CHARSET_UTF8: break;
        case WS_CHARSET_UTF16LE: w->utf16 = TRUE; break;
        case WS_CHARSET_UTF16BE: w->utf16 = w->utf16_be = TRUE; break;
        default: return ws_error_set( error, E_INVALIDARG, "unknown charset %u", text->charSet );
        }
        w->props.charset = text->charSet;
        break;
    }
    case WS_XML_WRITER_ENCODING_TYPE_BINARY:
    {
        const WS_XML_WRITER_BINARY_ENCODING *bin = (const WS_XML_WRITER_BINARY_ENCODING *)encoding;
        w->binary = TRUE;
        w->static_dict = bin->staticDictionary;
        w->dynamic_callback = bin->dynamicStringCallback;
        w->dynamic_callback_state = bin->dynamicStringCallbackState;
        break;
    }
    case WS_XML_WRITER_ENCODING_TYPE_MTOM:
    {
        const WS_XML_WRITER_MTOM_ENCODING *mtom = (const WS_XML_WRITER_MTOM_ENCODING *)encoding;
        if (FAILED(hr = ws_mime_writer_create( mtom, &w->mtom, error ))) return hr;
        w->props.charset = ((const WS_XML_WRITER_TEXT_ENCODING *)mtom->textEncoding)->charSet;
        w->utf16 = w->props.charset != WS_CHARSET_UTF8;
        w->utf16_be = w->props.charset == WS_CHARSET_UTF16BE;
        break;
    }
    case WS_XML_WRITER_ENCODING_TYPE_RAW:
        FIXME( "encoding type %u not supported yet\n", encoding->encodingType );
        return ws_error_set( error, E_NOTIMPL, "writer encoding type %u is not implemented", encoding->encodingType );
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown writer encoding type %u", encoding->encodingType );
    }

    switch (output->outputType)
    {
    case WS_XML_WRITER_OUTPUT_TYPE_BUFFER:
        w->output = OUTPUT_BUFFER;
        break;
    case WS_XML_WRITER_OUTPUT_TYPE_STREAM:
    {
        const WS_XML_WRITER_STREAM_OUTPUT *stream = (const WS_XML_WRITER_STREAM_OUTPUT *)output;
        if (!stream->writeCallback) return ws_error_set( error, E_INVALIDARG, "stream output without writeCallback" );
        w->write_callback = stream->writeCallback;
        w->write_callback_state = stream->writeCallbackState;
        w->output = OUTPUT_STREAM;
        break;
    }
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown writer output type %u", output->outputType );
    }
    w->sink = w->binary ? &binary_sink : w->mtom ? &mtom_sink : &text_sink;
    w->state = STATE_CONTENT;
    if (w->mtom)
    {
        /* the MIME framing is ASCII whatever the root part's charset */
        w->scratch.len = 0;
        if (FAILED(hr = ws_mime_writer_start( w->mtom, &w->scratch, error ))) return fault( w, hr );
        if (!arena_append( &w->out, w->scratch.data, w->scratch.len )) return fault( w, out_oom( error ) );
    }
    if (w->props.indent && !w->binary) FIXME( "indent %lu: output is not formatted yet\n", w->props.indent );
    /* The binary encoding has no XML declaration record. */
    if (w->props.write_declaration && !w->binary && FAILED(hr = write_declaration( w, error ))) return fault( w, hr );
    return S_OK;
}

static void free_writer_data( struct writer *w )
{
    arena_free( &w->out );
    arena_free( &w->names );
    arena_free( &w->values );
    HeapFree( GetProcessHeap(), 0, w->scratch.data );
    HeapFree( GetProcessHeap(), 0, w->frames );
    HeapFree( GetProcessHeap(), 0, w->bindings );
    HeapFree( GetProcessHeap(), 0, w->attrs );
    HeapFree( GetProcessHeap(), 0, w->node_attrs );
    HeapFree( GetProcessHeap(), 0, w->node_attr_ptrs );
    HeapFree( GetProcessHeap(), 0, w->node_strs );
    HeapFree( GetProcessHeap(), 0, w->node_values );
    ws_c14n_free( w->c14n );
    w->c14n = NULL;
    ws_mime_writer_free( w->mtom );
    w->mtom = NULL;
    ws_buf_free( &w->mtom_bytes );
    ws_buf_free( &w->mtom_view );
}

static HRESULT init_writer( struct writer *w, const WS_XML_WRITER_PROPERTY *properties, ULONG count, WS_ERROR *error )
{
    HRESULT hr;

    ws_props_init( &writer_prop_table, &w->create_props );
    if (FAILED(hr = WS_PROPS_APPLY( &writer_prop_table, &w->create_props, properties, count, error ))) return hr;
    w->props = w->create_props;
    reset_output( w );
    return S_OK;
}

/* ---- exported functions ------------------------------------------------------------- */

HRESULT WINAPI WsCreateWriter( const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_XML_WRITER **writer,
                               WS_ERROR *error )
{
    struct writer *w;
    HRESULT hr;

    TRACE( "%p %lu %p %p\n", properties, propertyCount, writer, error );

    if (!writer) return ws_error_set( error, E_INVALIDARG, "writer is NULL" );
    if (!(w = ws_object_alloc( WS_OBJECT_XML_WRITER, sizeof(*w) ))) return oom( error );
    if (FAILED(hr = init_writer( w, properties, propertyCount, error )))
    {
        free_writer_data( w );
        ws_object_free( w );
        return hr;
    }
    *writer = (WS_XML_WRITER *)w;
    TRACE( "created %p\n", w );
    return S_OK;
}

void WINAPI WsFreeWriter( WS_XML_WRITER *writer )
{
    TRACE( "%p\n", writer );

    if (!ws_object_is( writer, WS_OBJECT_XML_WRITER ))
    {
        if (writer) WARN( "%p is not a writer\n", writer );
        return;
    }
    free_writer_data( (struct writer *)writer );
    ws_object_free( writer );
}

HRESULT WINAPI WsGetWriterProperty( WS_XML_WRITER *writer, WS_XML_WRITER_PROPERTY_ID id, void *value, ULONG valueSize,
                                    WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %d %p %lu %p\n", writer, id, value, valueSize, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    switch (id)
    {
    case WS_XML_WRITER_PROPERTY_BUFFERS:
    case WS_XML_WRITER_PROPERTY_BYTES:
        if (w->output != OUTPUT_BUFFER)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "writer property %u needs WS_XML_WRITER_BUFFER_OUTPUT",
                                 id );
        w->out_bytes.length = w->out.len;
        w->out_bytes.bytes = w->out.data;
        if (w->mtom)
        {
            HRESULT hr;
            if (FAILED(hr = mtom_compose( w, error ))) return hr;
            w->out_bytes.length = w->mtom_view.len;
            w->out_bytes.bytes = w->mtom_view.data;
        }
        w->props.bytes = w->out_bytes;
        w->props.buffers.bufferCount = 1;
        w->props.buffers.buffers = &w->out_bytes;
        break;
    case WS_XML_WRITER_PROPERTY_BYTES_WRITTEN:
    case WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE:
        if (w->output == OUTPUT_XML_BUFFER)
            return ws_error_set( error, WS_E_INVALID_OPERATION, "writer property %u is not available on a writer "
                                 "set to an XML buffer", id );
        w->props.bytes_written = w->out.len;
        w->props.bytes_to_close = 0;
        {
            ULONG i;
            for (i = 0; i < w->depth; i++)
                w->props.bytes_to_close += 3 + w->frames[i].local.len +
                                           (w->frames[i].prefix.len ? w->frames[i].prefix.len + 1 : 0);
            if (w->utf16) w->props.bytes_to_close *= 2;
            if (w->binary) w->props.bytes_to_close = w->depth;   /* one EndElement record each */
        }
        break;
    case WS_XML_WRITER_PROPERTY_IN_ATTRIBUTE:
        w->props.in_attribute = (w->state == STATE_ATTRIBUTE);
        break;
    default:
        break;
    }
    return ws_props_get( &writer_prop_table, &w->props, id, value, valueSize, error );
}

HRESULT WINAPI WsSetOutput( WS_XML_WRITER *writer, const WS_XML_WRITER_ENCODING *encoding,
                            const WS_XML_WRITER_OUTPUT *output, const WS_XML_WRITER_PROPERTY *properties,
                            ULONG propertyCount, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %p %lu %p\n", writer, encoding, output, properties, propertyCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = set_output( w, encoding, output, properties, propertyCount, error )))
    {
        if (w->state != STATE_FAULTED) w->state = STATE_NONE;
        return hr;
    }
    return S_OK;
}

HRESULT WINAPI WsSetOutputToBuffer( WS_XML_WRITER *writer, WS_XML_BUFFER *buffer,
                                    const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %lu %p\n", writer, buffer, properties, propertyCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WS_CHECK_HANDLE( buffer, WS_OBJECT_XML_BUFFER, error );
    if (FAILED(hr = apply_props( w, properties, propertyCount, error ))) return hr;
    reset_output( w );
    w->buffer = (struct ws_xml_buffer *)buffer;
    w->insert_pos = w->buffer->root->last_child;   /* append: before EOF */
    w->output = OUTPUT_XML_BUFFER;
    w->sink = &tree_sink;
    w->state = STATE_CONTENT;
    return S_OK;
}

static HRESULT flush_stream( struct writer *w, ULONG min_size, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    WS_BYTES bytes;
    HRESULT hr;

    if (w->output != OUTPUT_STREAM) return S_OK;
    if (FAILED(hr = mtom_finish_stream( w, error ))) return hr;
    if (!w->out.len || w->out.len < min_size) return S_OK;
    bytes.length = w->out.len;
    bytes.bytes = w->out.data;
    if (FAILED(hr = w->write_callback( w->write_callback_state, &bytes, 1, ctx, error )))
        return ws_error_set( error, hr, "the write callback failed with %#lx", hr );
    w->out.len = 0;
    w->text_pending = FALSE;   /* that record is gone: an end element is a record of its own */
    return S_OK;
}

HRESULT WINAPI WsFlushWriter( WS_XML_WRITER *writer, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext,
                              WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %lu %p %p\n", writer, minSize, asyncContext, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_writable( w, error ))) return hr;
    return fault( w, flush_stream( w, minSize, asyncContext, error ) );
}

/* Wraps a writing operation: state checks before, quota and faulting after. */
#define WRITE_OP(call) \
    do { \
        HRESULT hr_; \
        if (FAILED(hr_ = check_writable( w, error ))) return hr_; \
        if (FAILED(hr_ = (call))) return fault( w, hr_ ); \
        return fault( w, check_quota( w, error ) ); \
    } while (0)

static HRESULT check_string( const WS_XML_STRING *str, const char *name, WS_ERROR *error )
{
    if (!str) return ws_error_set( error, E_INVALIDARG, "%s is NULL", name );
    if (str->length && !str->bytes) return ws_error_set( error, E_INVALIDARG, "%s has no bytes", name );
    return S_OK;
}

HRESULT WINAPI WsWriteStartElement( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *localName,
                                    const WS_XML_STRING *ns, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %s %s %s %p\n", writer, prefix ? debugstr_xmlstr( prefix ) : "(null)",
           localName ? debugstr_xmlstr( localName ) : "(null)", ns ? debugstr_xmlstr( ns ) : "(null)", error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_string( localName, "localName", error ))) return hr;
    if (FAILED(hr = check_string( ns, "ns", error ))) return hr;
    if (prefix && prefix->length && !prefix->bytes) return ws_error_set( error, E_INVALIDARG, "prefix has no bytes" );
    if (!localName->length) return ws_error_set( error, E_INVALIDARG, "localName is empty" );
    WRITE_OP( write_start_element( w, prefix, localName, ns, error ) );
}

HRESULT WINAPI WsWriteEndElement( WS_XML_WRITER *writer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p\n", writer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WRITE_OP( write_end_element( w, error ) );
}

static HRESULT write_end_start_element( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state != STATE_START_ELEMENT)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "no start tag is pending" );
    w->frames[w->depth - 1].full_end = TRUE;
    if (FAILED(hr = commit_start_element( w, TRUE, error ))) return hr;
    return S_OK;
}

HRESULT WINAPI WsWriteEndStartElement( WS_XML_WRITER *writer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p\n", writer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WRITE_OP( write_end_start_element( w, error ) );
}

HRESULT WINAPI WsWriteStartAttribute( WS_XML_WRITER *writer, const WS_XML_STRING *prefix,
                                      const WS_XML_STRING *localName, const WS_XML_STRING *ns, BOOL singleQuote,
                                      WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %s %s %s %d %p\n", writer, prefix ? debugstr_xmlstr( prefix ) : "(null)",
           localName ? debugstr_xmlstr( localName ) : "(null)", ns ? debugstr_xmlstr( ns ) : "(null)", singleQuote,
           error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_string( localName, "localName", error ))) return hr;
    if (FAILED(hr = check_string( ns, "ns", error ))) return hr;
    if (!localName->length) return ws_error_set( error, E_INVALIDARG, "localName is empty" );
    WRITE_OP( write_start_attribute( w, prefix, localName, ns, singleQuote, error ) );
}

HRESULT WINAPI WsWriteEndAttribute( WS_XML_WRITER *writer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p\n", writer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WRITE_OP( write_end_attribute( w, error ) );
}

HRESULT WINAPI WsWriteXmlnsAttribute( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *ns,
                                      BOOL singleQuote, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %s %s %d %p\n", writer, prefix ? debugstr_xmlstr( prefix ) : "(null)",
           ns ? debugstr_xmlstr( ns ) : "(null)", singleQuote, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_string( ns, "ns", error ))) return hr;
    WRITE_OP( write_xmlns_attribute( w, prefix, ns, singleQuote, (w->next_order += 2) - 2, error ) );
}

static HRESULT write_text_checked( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    return write_text( w, text, error );
}

HRESULT WINAPI WsWriteText( WS_XML_WRITER *writer, const WS_XML_TEXT *text, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p\n", writer, text, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!text) return ws_error_set( error, E_INVALIDARG, "text is NULL" );
    if (text->textType < WS_XML_TEXT_TYPE_UTF8 || text->textType > WS_XML_TEXT_TYPE_LIST)
        return ws_error_set( error, E_INVALIDARG, "unknown text type %u", text->textType );
    WRITE_OP( write_text_checked( w, text, error ) );
}

static HRESULT write_chars_utf8( struct writer *w, const BYTE *bytes, ULONG count, WS_ERROR *error )
{
    HRESULT hr;

    if (!ws_utf8_is_valid( bytes, count ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the text is not valid UTF-8" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    return write_utf8( w, bytes, count, error );
}

HRESULT WINAPI WsWriteCharsUtf8( WS_XML_WRITER *writer, const BYTE *bytes, ULONG byteCount, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %lu %p\n", writer, bytes, byteCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!bytes && byteCount) return ws_error_set( error, E_INVALIDARG, "bytes is NULL" );
    WRITE_OP( write_chars_utf8( w, bytes, byteCount, error ) );
}

static HRESULT write_chars( struct writer *w, const WCHAR *chars, ULONG count, WS_ERROR *error )
{
    WS_XML_UTF16_TEXT text = { { WS_XML_TEXT_TYPE_UTF16 }, (BYTE *)chars, count * sizeof(WCHAR) };

    if (count > 0x7fffffff / sizeof(WCHAR)) return ws_error_set( error, E_INVALIDARG, "too many characters" );
    return write_text_checked( w, &text.text, error );
}

HRESULT WINAPI WsWriteChars( WS_XML_WRITER *writer, const WCHAR *chars, ULONG charCount, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %s %lu %p\n", writer, debugstr_wn( chars, chars ? (int)charCount : 0 ), charCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!chars && charCount) return ws_error_set( error, E_INVALIDARG, "chars is NULL" );
    WRITE_OP( write_chars( w, chars, charCount, error ) );
}

HRESULT WINAPI WsWriteBytes( WS_XML_WRITER *writer, const void *bytes, ULONG byteCount, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %lu %p\n", writer, bytes, byteCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!bytes && byteCount) return ws_error_set( error, E_INVALIDARG, "bytes is NULL" );
    WRITE_OP( write_bytes( w, bytes, byteCount, error ) );
}



/* The typed text of a value, so that the binary encoding writes it as a typed
 * record (OneText, Int32Text, DateTimeText...) rather than as characters.
 * FALSE for types without one (durations). */
static BOOL value_to_text( WS_VALUE_TYPE type, const void *value, union any_text *text )
{
    memset( text, 0, sizeof(*text) );
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_BOOL; text->b.value = *(const BOOL *)value; return TRUE;
    case WS_INT8_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_INT32; text->i32.value = *(const signed char *)value; return TRUE;
    case WS_INT16_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_INT32; text->i32.value = *(const short *)value; return TRUE;
    case WS_INT32_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_INT32; text->i32.value = *(const int *)value; return TRUE;
    case WS_INT64_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_INT64; text->i64.value = *(const LONGLONG *)value; return TRUE;
    case WS_UINT8_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_UINT64; text->u64.value = *(const BYTE *)value; return TRUE;
    case WS_UINT16_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_UINT64; text->u64.value = *(const USHORT *)value; return TRUE;
    case WS_UINT32_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_UINT64; text->u64.value = *(const ULONG *)value; return TRUE;
    case WS_UINT64_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_UINT64; text->u64.value = *(const ULONGLONG *)value; return TRUE;
    case WS_FLOAT_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_FLOAT; text->f.value = *(const float *)value; return TRUE;
    case WS_DOUBLE_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_DOUBLE; text->d.value = *(const double *)value; return TRUE;
    case WS_DECIMAL_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_DECIMAL; text->dec.value = *(const DECIMAL *)value; return TRUE;
    case WS_DATETIME_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_DATETIME; text->dt.value = *(const WS_DATETIME *)value; return TRUE;
    case WS_TIMESPAN_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_TIMESPAN; text->ts.value = *(const WS_TIMESPAN *)value; return TRUE;
    case WS_GUID_VALUE_TYPE:
        text->text.textType = WS_XML_TEXT_TYPE_GUID; text->guid.value = *(const GUID *)value; return TRUE;
    default:
        return FALSE;
    }
}

static HRESULT write_value( struct writer *w, WS_VALUE_TYPE type, const void *value, ULONG size, WS_ERROR *error )
{
    union any_text text;
    HRESULT hr;

    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (w->binary && (w->state == STATE_ATTRIBUTE || (w->depth && w->state != STATE_CDATA)) &&
        size == ws_value_type_size( type ) && value_to_text( type, value, &text ))
    {
        if (type == WS_DATETIME_VALUE_TYPE && FAILED(hr = bin_check_datetime( &text.dt.value, error ))) return hr;
        return write_text( w, &text.text, error );
    }
    w->scratch.len = 0;
    if (FAILED(hr = ws_value_to_utf8( type, value, size, &w->scratch, error ))) return hr;
    return write_utf8( w, w->scratch.data, w->scratch.len, error );
}

HRESULT WINAPI WsWriteValue( WS_XML_WRITER *writer, WS_VALUE_TYPE valueType, const void *value, ULONG valueSize,
                             WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %d %p %lu %p\n", writer, valueType, value, valueSize, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    WRITE_OP( write_value( w, valueType, value, valueSize, error ) );
}

static HRESULT write_qualified_name( struct writer *w, const WS_XML_STRING *prefix, const WS_XML_STRING *local,
                                     const WS_XML_STRING *ns, WS_ERROR *error )
{
    const struct binding *b;
    struct span p;
    HRESULT hr;

    if (w->state != STATE_START_ELEMENT && w->state != STATE_CONTENT && w->state != STATE_ATTRIBUTE)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot write a qualified name here" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (!prefix)
    {
        if ((b = find_ns( w, ns->bytes, ns->length, TRUE ))) p = b->prefix;
        else if (w->state == STATE_START_ELEMENT || w->state == STATE_ATTRIBUTE)
        {
            struct span n;
            /* Not in scope yet: declare it on the element being written. */
            if (!ns->length) return ws_error_set( error, WS_E_INVALID_FORMAT, "the empty namespace has no prefix" );
            if (FAILED(hr = generate_prefix( w, &p, error ))) return hr;
            if (FAILED(hr = add_str( w, ns, &n, error ))) return hr;
            if (FAILED(hr = declare( w, p, n, FALSE, GENERATED_ORDER, error ))) return hr;
        }
        else return ws_error_set( error, WS_E_INVALID_FORMAT, "namespace %s is not in scope", debugstr_xmlstr( ns ) );
    }
    else if (FAILED(hr = add_str( w, prefix, &p, error ))) return hr;

    if (w->binary && w->state != STATE_ATTRIBUTE && w->depth)
    {
        /* A qualified name text: QNameDictionaryText when the record can hold it. */
        WS_XML_STRING prefix_str = span_str( w, p );
        WS_XML_QNAME_TEXT text = { { WS_XML_TEXT_TYPE_QNAME }, &prefix_str, (WS_XML_STRING *)local,
                                   (WS_XML_STRING *)ns };
        return write_text( w, &text.text, error );
    }
    if (p.len)
    {
        BYTE *buf;
        ULONG len = p.len + 1 + local->length;
        if (!(buf = HeapAlloc( GetProcessHeap(), 0, len ))) return oom( error );
        memcpy( buf, span_ptr( w, p ), p.len );
        buf[p.len] = ':';
        memcpy( buf + p.len + 1, local->bytes, local->length );
        hr = write_utf8( w, buf, len, error );
        HeapFree( GetProcessHeap(), 0, buf );
        return hr;
    }
    return write_utf8( w, local->bytes, local->length, error );
}

HRESULT WINAPI WsWriteQualifiedName( WS_XML_WRITER *writer, const WS_XML_STRING *prefix,
                                     const WS_XML_STRING *localName, const WS_XML_STRING *ns, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %p %p\n", writer, prefix, localName, ns, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_string( localName, "localName", error ))) return hr;
    if (FAILED(hr = check_string( ns, "ns", error ))) return hr;
    if (!localName->length) return ws_error_set( error, E_INVALIDARG, "localName is empty" );
    WRITE_OP( write_qualified_name( w, prefix, localName, ns, error ) );
}

/* The record type of an [MC-NBFX] Array of TYPE (its WithEndElement text record), 0 if none. */
static BYTE bin_array_record_type( WS_VALUE_TYPE type )
{
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:     return REC_BOOL_TEXT + 1;
    case WS_INT16_VALUE_TYPE:    return REC_INT16_TEXT + 1;
    case WS_INT32_VALUE_TYPE:    return REC_INT32_TEXT + 1;
    case WS_INT64_VALUE_TYPE:    return REC_INT64_TEXT + 1;
    case WS_FLOAT_VALUE_TYPE:    return REC_FLOAT_TEXT + 1;
    case WS_DOUBLE_VALUE_TYPE:   return REC_DOUBLE_TEXT + 1;
    case WS_DECIMAL_VALUE_TYPE:  return REC_DECIMAL_TEXT + 1;
    case WS_DATETIME_VALUE_TYPE: return REC_DATETIME_TEXT + 1;
    case WS_TIMESPAN_VALUE_TYPE: return REC_TIMESPAN_TEXT + 1;
    case WS_GUID_VALUE_TYPE:     return REC_UUID_TEXT + 1;
    default:                     return 0;
    }
}

static BOOL bin_array_item( struct writer *w, WS_VALUE_TYPE type, const BYTE *item )
{
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:     return bin_byte( w, *(const BOOL *)item ? 1 : 0 );
    case WS_DECIMAL_VALUE_TYPE:  return bin_decimal( w, (const DECIMAL *)item );
    case WS_DATETIME_VALUE_TYPE: return bin_le( w, bin_datetime_value( (const WS_DATETIME *)item ), 8 );
    case WS_TIMESPAN_VALUE_TYPE: return bin_le( w, (ULONGLONG)((const WS_TIMESPAN *)item)->ticks, 8 );
    default:                     return bin_put( w, item, ws_value_type_size( type ) );   /* little-endian as in memory */
    }
}

/* [MC-NBFX] 2.2.3.3 Array: 0x03, the element (with its attributes) and its EndElement,
 * then the items' record type, their count and their values. */
static HRESULT write_array_binary( struct writer *w, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                                   WS_VALUE_TYPE type, const BYTE *items, ULONG count, ULONG item_size,
                                   WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (type == WS_DATETIME_VALUE_TYPE)
        for (i = 0; i < count; i++)
            if (FAILED(hr = bin_check_datetime( (const WS_DATETIME *)(items + (SIZE_T)i * item_size), error )))
                return hr;
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    if (FAILED(hr = write_start_element( w, NULL, local, ns, error ))) return hr;
    /* The parent's start tag is committed now, this element's is still pending. */
    if (!bin_byte( w, REC_ARRAY )) return out_oom( error );
    w->text_pending = FALSE;
    if (FAILED(hr = write_end_element( w, error ))) return hr;
    if (!bin_byte( w, bin_array_record_type( type ) ) || !bin_int31( w, count )) return out_oom( error );
    for (i = 0; i < count; i++)
        if (!bin_array_item( w, type, items + (SIZE_T)i * item_size )) return out_oom( error );
    return S_OK;
}

static HRESULT write_array( struct writer *w, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                            WS_VALUE_TYPE type, const BYTE *array, ULONG offset, ULONG count, ULONG item_size,
                            WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (w->binary && count && bin_array_record_type( type ))
        return write_array_binary( w, local, ns, type, array + (SIZE_T)offset * item_size, count, item_size, error );
    for (i = 0; i < count; i++)
    {
        if (FAILED(hr = write_start_element( w, NULL, local, ns, error ))) return hr;
        if (FAILED(hr = write_value( w, type, array + (SIZE_T)(offset + i) * item_size, item_size, error ))) return hr;
        if (FAILED(hr = write_end_element( w, error ))) return hr;
    }
    return S_OK;
}

HRESULT WINAPI WsWriteArray( WS_XML_WRITER *writer, const WS_XML_STRING *localName, const WS_XML_STRING *ns,
                             WS_VALUE_TYPE valueType, const void *array, ULONG arraySize, ULONG itemOffset,
                             ULONG itemCount, WS_ERROR *error )
{
    ULONG size;
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %d %p %lu %lu %lu %p\n", writer, localName, ns, valueType, array, arraySize, itemOffset,
           itemCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_string( localName, "localName", error ))) return hr;
    if (FAILED(hr = check_string( ns, "ns", error ))) return hr;
    if (!(size = ws_value_type_size( valueType )))
        return ws_error_set( error, E_INVALIDARG, "unknown value type %d", valueType );
    if (!array && itemCount) return ws_error_set( error, E_INVALIDARG, "array is NULL" );
    if (arraySize % size)
        return ws_error_set( error, E_INVALIDARG, "arraySize %lu is not a multiple of the item size %lu", arraySize,
                             size );
    if (itemOffset > arraySize / size || itemCount > arraySize / size - itemOffset)
        return ws_error_set( error, E_INVALIDARG, "items %lu..%lu are past the array's %lu items", itemOffset,
                             itemOffset + itemCount, arraySize / size );
    WRITE_OP( write_array( w, localName, ns, valueType, array, itemOffset, itemCount, size, error ) );
}

HRESULT WINAPI WsWriteStartCData( WS_XML_WRITER *writer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p\n", writer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WRITE_OP( write_start_cdata( w, error ) );
}

HRESULT WINAPI WsWriteEndCData( WS_XML_WRITER *writer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p\n", writer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WRITE_OP( write_end_cdata( w, error ) );
}

HRESULT WINAPI WsWriteNode( WS_XML_WRITER *writer, const WS_XML_NODE *node, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p\n", writer, node, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!node) return ws_error_set( error, E_INVALIDARG, "node is NULL" );
    WRITE_OP( write_node( w, node, error ) );
}

/* The reader's current node and, for an element, its whole subtree. */
static HRESULT copy_node( struct writer *w, WS_XML_READER *reader, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    ULONG depth = 0;
    BOOL document;
    HRESULT hr;

    /* From BOF, the whole document: "nodes are copied until a node of type
     * WS_XML_NODE_TYPE_EOF is reached". */
    if (FAILED(hr = WsGetReaderNode( reader, &node, error ))) return hr;
    document = node->nodeType == WS_XML_NODE_TYPE_BOF;
    do
    {
        if (FAILED(hr = WsGetReaderNode( reader, &node, error ))) return hr;
        switch (node->nodeType)
        {
        case WS_XML_NODE_TYPE_ELEMENT:
        {
            const WS_XML_ELEMENT_NODE *elem = (const WS_XML_ELEMENT_NODE *)node;
            if (FAILED(hr = write_element_node( w, elem, error ))) return hr;
            /* Without WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS, "WsCopyNode
             * preserves whether each element is represented as a start/end tag
             * pair, or as an empty element": the reader says which (isEmpty). */
            if (!w->props.compress_empty && !elem->isEmpty) w->frames[w->depth - 1].full_end = TRUE;
            depth++;
            break;
        }
        case WS_XML_NODE_TYPE_END_ELEMENT:
            if (FAILED(hr = write_end_element( w, error ))) return hr;
            depth--;
            break;
        case WS_XML_NODE_TYPE_BOF:
        case WS_XML_NODE_TYPE_EOF:
            break;
        default:
            if (FAILED(hr = write_node( w, node, error ))) return hr;
            break;
        }
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) return S_OK;
        if (FAILED(hr = WsReadNode( reader, error ))) return hr;
    } while (depth || document);
    return S_OK;
}

HRESULT WINAPI WsCopyNode( WS_XML_WRITER *writer, WS_XML_READER *reader, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p\n", writer, reader, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!reader) return ws_error_set( error, E_INVALIDARG, "reader is NULL" );
    WRITE_OP( copy_node( w, reader, error ) );
}

HRESULT WINAPI WsGetPrefixFromNamespace( WS_XML_WRITER *writer, const WS_XML_STRING *ns, BOOL required,
                                         const WS_XML_STRING **prefix, WS_ERROR *error )
{
    const struct binding *b;
    ULONG count;
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %s %d %p %p\n", writer, ns ? debugstr_xmlstr( ns ) : "(null)", required, prefix, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (FAILED(hr = check_string( ns, "ns", error ))) return hr;
    if (!prefix) return ws_error_set( error, E_INVALIDARG, "prefix is NULL" );
    if (FAILED(hr = check_writable( w, error ))) return hr;

    /* The pending element's declarations are not committed yet: not visible. */
    count = w->binding_count;
    if (w->state == STATE_START_ELEMENT || w->state == STATE_ATTRIBUTE) w->binding_count = w->frames[w->depth - 1].ns_mark;
    b = find_ns( w, ns->bytes, ns->length, TRUE );
    w->binding_count = count;
    if (!b)
    {
        *prefix = NULL;
        if (required)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "namespace %s is not bound to a prefix",
                                 debugstr_xmlstr( ns ) );
        return S_FALSE;
    }
    /* Valid until the writer advances, as documented. */
    w->prefix_result = span_str( w, b->prefix );
    *prefix = &w->prefix_result;
    return S_OK;
}

/* ---- positions and navigation (writers set to an XML buffer) ----------------------- */

/* Rebuilds the element stack and scopes from the tree above the insertion point. */
static HRESULT rebuild_scopes( struct writer *w, WS_ERROR *error )
{
    struct ws_xml_node *chain[256], *node;
    ULONG count = 0, j;
    HRESULT hr;

    reset_scopes( w );
    w->root_written = TRUE;
    for (node = w->insert_pos->parent; node && node->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT; node = node->parent)
    {
        if (count == (ULONG)ARRAYSIZE(chain)) return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "position too deep" );
        chain[count++] = node;
    }
    w->cdata = (node && node->u.node.nodeType == WS_XML_NODE_TYPE_CDATA) ? node : NULL;
    while (count--)
    {
        const WS_XML_ELEMENT_NODE *elem = &chain[count]->u.element;
        struct frame *frame;

        if (!array_reserve( (void **)&w->frames, &w->frames_cap, w->depth, sizeof(*w->frames) )) return oom( error );
        frame = &w->frames[w->depth];
        memset( frame, 0, sizeof(*frame) );
        frame->names_mark = w->names.len;
        frame->ns_mark = w->binding_count;
        frame->node = chain[count];
        if (FAILED(hr = add_str( w, elem->prefix, &frame->prefix, error ))) return hr;
        if (FAILED(hr = add_str( w, elem->localName, &frame->local, error ))) return hr;
        if (FAILED(hr = add_str( w, elem->ns, &frame->ns, error ))) return hr;
        w->depth++;
        if (FAILED(hr = push_binding( w, frame->prefix, frame->ns, error ))) return hr;
        for (j = 0; j < elem->attributeCount; j++)
        {
            const WS_XML_ATTRIBUTE *attr = elem->attributes[j];
            struct span p, n;
            if (!attr->prefix || !attr->ns || (!attr->isXmlNs && !attr->ns->length)) continue;
            if (FAILED(hr = add_str( w, attr->prefix, &p, error ))) return hr;
            if (FAILED(hr = add_str( w, attr->ns, &n, error ))) return hr;
            if (FAILED(hr = push_binding( w, p, n, error ))) return hr;
        }
    }
    w->state = w->cdata ? STATE_CDATA : STATE_CONTENT;
    return S_OK;
}

static HRESULT check_buffer_writer( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (FAILED(hr = check_writable( w, error ))) return hr;
    if (w->output != OUTPUT_XML_BUFFER)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the writer is not set to an XML buffer" );
    if (w->state == STATE_ATTRIBUTE)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "an attribute is open" );
    return S_OK;
}

HRESULT WINAPI WsGetWriterPosition( WS_XML_WRITER *writer, WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p\n", writer, nodePosition, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!nodePosition) return ws_error_set( error, E_INVALIDARG, "nodePosition is NULL" );
    if (FAILED(hr = check_buffer_writer( w, error ))) return hr;
    if (w->state == STATE_START_ELEMENT && FAILED(hr = commit_start_element( w, TRUE, error ))) return fault( w, hr );
    nodePosition->buffer = (WS_XML_BUFFER *)w->buffer;
    nodePosition->node = w->insert_pos;
    return S_OK;
}

/* Whether NODE belongs to BUFFER's tree. */
static BOOL node_in_buffer( const struct ws_xml_buffer *buffer, const struct ws_xml_node *node )
{
    while (node->parent) node = node->parent;
    return node == buffer->root;
}

static HRESULT set_position( struct writer *w, struct ws_xml_node *node, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state == STATE_START_ELEMENT && FAILED(hr = commit_start_element( w, TRUE, error ))) return hr;
    w->insert_pos = node;
    return rebuild_scopes( w, error );
}

HRESULT WINAPI WsSetWriterPosition( WS_XML_WRITER *writer, const WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p\n", writer, nodePosition, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!nodePosition || !nodePosition->node) return ws_error_set( error, E_INVALIDARG, "nodePosition is NULL" );
    WS_CHECK_HANDLE( nodePosition->buffer, WS_OBJECT_XML_BUFFER, error );
    if (FAILED(hr = check_buffer_writer( w, error ))) return hr;
    if ((struct ws_xml_buffer *)nodePosition->buffer != w->buffer)
        return ws_error_set( error, E_INVALIDARG, "the position is in another buffer than the writer's" );
    if (!node_in_buffer( w->buffer, nodePosition->node ))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the position's node was removed from the buffer" );
    return fault( w, set_position( w, nodePosition->node, error ) );
}

static BOOL is_element( const struct ws_xml_node *node )
{
    return node && node->u.node.nodeType == WS_XML_NODE_TYPE_ELEMENT;
}

static struct ws_xml_node *next_element( struct ws_xml_node *node )
{
    for (node = node->next; node; node = node->next) if (is_element( node )) return node;
    return NULL;
}

/* Navigation over the tree, from the node the writer is positioned on. */
static struct ws_xml_node *move_target( struct ws_xml_buffer *buffer, struct ws_xml_node *cur, WS_MOVE_TO move )
{
    struct ws_xml_node *node;

    switch (move)
    {
    case WS_MOVE_TO_ROOT_ELEMENT:
        for (node = buffer->root->first_child; node; node = node->next) if (is_element( node )) return node;
        return NULL;
    case WS_MOVE_TO_NEXT_ELEMENT:
        return cur->parent ? next_element( cur ) : NULL;
    case WS_MOVE_TO_PREVIOUS_ELEMENT:
        for (node = cur->prev; node; node = node->prev) if (is_element( node )) return node;
        return NULL;
    case WS_MOVE_TO_CHILD_ELEMENT:
        if (!is_element( cur )) return NULL;
        for (node = cur->first_child; node; node = node->next) if (is_element( node )) return node;
        return NULL;
    case WS_MOVE_TO_END_ELEMENT:
        return is_element( cur ) ? cur->last_child : NULL;
    case WS_MOVE_TO_PARENT_ELEMENT:
        return is_element( cur->parent ) ? cur->parent : NULL;
    case WS_MOVE_TO_NEXT_NODE:
        return cur->parent ? cur->next : cur->first_child;
    case WS_MOVE_TO_PREVIOUS_NODE:
        return cur->prev;
    case WS_MOVE_TO_FIRST_NODE:
        return cur->parent ? cur->parent->first_child : NULL;
    case WS_MOVE_TO_BOF:
        return buffer->root;
    case WS_MOVE_TO_EOF:
        return buffer->root->last_child;
    case WS_MOVE_TO_CHILD_NODE:
        if ((is_element( cur ) || cur->u.node.nodeType == WS_XML_NODE_TYPE_CDATA) && cur->first_child != cur->last_child)
            return cur->first_child;
        return NULL;
    default:
        return NULL;
    }
}

HRESULT WINAPI WsMoveWriter( WS_XML_WRITER *writer, WS_MOVE_TO moveTo, BOOL *found, WS_ERROR *error )
{
    struct ws_xml_node *target;
    HRESULT hr;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %d %p %p\n", writer, moveTo, found, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if ((unsigned int)moveTo > WS_MOVE_TO_CHILD_NODE)
        return ws_error_set( error, E_INVALIDARG, "unknown move %d", moveTo );
    if (FAILED(hr = check_buffer_writer( w, error ))) return hr;
    if (w->state == STATE_START_ELEMENT && FAILED(hr = commit_start_element( w, TRUE, error ))) return fault( w, hr );
    target = move_target( w->buffer, w->insert_pos, moveTo );
    if (found) *found = target != NULL;
    if (!target)
    {
        if (found) return S_OK;
        return ws_error_set( error, WS_E_INVALID_FORMAT, "there is no node to move to (move %d)", moveTo );
    }
    return fault( w, set_position( w, target, error ) );
}

HRESULT WINAPI WsRemoveNode( const WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    struct ws_xml_buffer *buffer;
    struct ws_xml_node *node;

    TRACE( "%p %p\n", nodePosition, error );

    if (!nodePosition) return ws_error_set( error, E_INVALIDARG, "nodePosition is NULL" );
    WS_CHECK_HANDLE( nodePosition->buffer, WS_OBJECT_XML_BUFFER, error );
    buffer = (struct ws_xml_buffer *)nodePosition->buffer;
    if (!(node = nodePosition->node)) return ws_error_set( error, E_INVALIDARG, "the position has no node" );
    if (!node->parent || !node_in_buffer( buffer, node ))
        return ws_error_set( error, WS_E_INVALID_OPERATION, "the root of the document cannot be removed" );
    switch (node->u.node.nodeType)
    {
    case WS_XML_NODE_TYPE_END_ELEMENT:
    case WS_XML_NODE_TYPE_END_CDATA:
    case WS_XML_NODE_TYPE_EOF:
    case WS_XML_NODE_TYPE_BOF:
        return ws_error_set( error, WS_E_INVALID_OPERATION, "a node of type %u cannot be removed",
                             node->u.node.nodeType );
    default:
        break;
    }
    ws_xml_node_remove( node );
    return S_OK;
}

/* ---- WsPushBytes / WsPullBytes -------------------------------------------------------- */

struct push_context
{
    struct writer *w;
};

static HRESULT CALLBACK push_write_callback( void *state, const WS_BYTES *buffers, ULONG count,
                                             const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct push_context *push = state;
    HRESULT hr;
    ULONG i;

    (void)ctx;
    if (count && !buffers) return ws_error_set( error, E_INVALIDARG, "buffers is NULL" );
    for (i = 0; i < count; i++)
    {
        if (!buffers[i].bytes && buffers[i].length) return ws_error_set( error, E_INVALIDARG, "buffer has no bytes" );
        if (FAILED(hr = write_bytes( push->w, buffers[i].bytes, buffers[i].length, error ))) return hr;
    }
    return S_OK;
}

static HRESULT push_bytes( struct writer *w, WS_PUSH_BYTES_CALLBACK callback, void *state, WS_ERROR *error )
{
    struct push_context push = { w };
    HRESULT hr;

    if (w->state == STATE_START_ELEMENT && FAILED(hr = commit_start_element( w, TRUE, error ))) return hr;
    if (FAILED(hr = callback( state, push_write_callback, &push, NULL, error )))
        return ws_error_set( error, hr, "the push callback failed with %#lx", hr );
    return flush_b64_pending( w, error );
}

HRESULT WINAPI WsPushBytes( WS_XML_WRITER *writer, WS_PUSH_BYTES_CALLBACK callback, void *callbackState,
                            WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %p\n", writer, callback, callbackState, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!callback) return ws_error_set( error, E_INVALIDARG, "callback is NULL" );
    if (w->state == STATE_ATTRIBUTE)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot push bytes into an attribute" );
    WRITE_OP( push_bytes( w, callback, callbackState, error ) );
}

static HRESULT pull_bytes( struct writer *w, WS_PULL_BYTES_CALLBACK callback, void *state, WS_ERROR *error )
{
    BYTE buf[3 * 1024];
    ULONG size;
    HRESULT hr;

    if (w->state == STATE_START_ELEMENT && FAILED(hr = commit_start_element( w, TRUE, error ))) return hr;
    for (;;)
    {
        size = 0;
        if (FAILED(hr = callback( state, buf, sizeof(buf), &size, NULL, error )))
            return ws_error_set( error, hr, "the pull callback failed with %#lx", hr );
        if (!size) break;
        if (size > sizeof(buf))
            return ws_error_set( error, E_INVALIDARG, "the pull callback returned %lu bytes, more than %lu", size,
                                 (ULONG)sizeof(buf) );
        if (FAILED(hr = write_bytes( w, buf, size, error ))) return hr;
    }
    return flush_b64_pending( w, error );
}

HRESULT WINAPI WsPullBytes( WS_XML_WRITER *writer, WS_PULL_BYTES_CALLBACK callback, void *callbackState,
                            WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %p\n", writer, callback, callbackState, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    if (!callback) return ws_error_set( error, E_INVALIDARG, "callback is NULL" );
    if (w->state == STATE_ATTRIBUTE)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot pull bytes into an attribute" );
    WRITE_OP( pull_bytes( w, callback, callbackState, error ) );
}

/* ---- XML buffers ------------------------------------------------------------------------ */

static HRESULT write_xml_buffer( struct writer *w, const struct ws_xml_buffer *buffer, WS_ERROR *error )
{
    HRESULT hr;

    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot write a buffer inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    if (FAILED(hr = flush_b64_pending( w, error ))) return hr;
    return write_buffer_nodes( w, buffer, error );
}

HRESULT WINAPI WsWriteXmlBuffer( WS_XML_WRITER *writer, WS_XML_BUFFER *xmlBuffer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p\n", writer, xmlBuffer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WS_CHECK_HANDLE( xmlBuffer, WS_OBJECT_XML_BUFFER, error );
    WRITE_OP( write_xml_buffer( w, (struct ws_xml_buffer *)xmlBuffer, error ) );
}

HRESULT WINAPI WsWriteXmlBufferToBytes( WS_XML_WRITER *writer, WS_XML_BUFFER *xmlBuffer,
                                        const WS_XML_WRITER_ENCODING *encoding,
                                        const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_HEAP *heap,
                                        void **bytes, ULONG *byteCount, WS_ERROR *error )
{
    static const WS_XML_WRITER_TEXT_ENCODING utf8 = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    static const WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    struct writer *tmp;
    HRESULT hr;
    void *ret;
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p %p %p %lu %p %p %p %p\n", writer, xmlBuffer, encoding, properties, propertyCount, heap, bytes,
           byteCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );

    WS_CHECK_HANDLE( xmlBuffer, WS_OBJECT_XML_BUFFER, error );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!bytes) return ws_error_set( error, E_INVALIDARG, "bytes is NULL" );
    if (!byteCount) return ws_error_set( error, E_INVALIDARG, "byteCount is NULL" );
    if (!encoding) encoding = &utf8.encoding;

    /* A private writer with WRITER's creation properties: WRITER itself is left as it is. */
    if (!(tmp = ws_object_alloc( WS_OBJECT_XML_WRITER, sizeof(*tmp) ))) return oom( error );
    tmp->create_props = w->create_props;
    tmp->props = w->create_props;
    reset_output( tmp );
    hr = set_output( tmp, encoding, &output.output, properties, propertyCount, error );
    tmp->props.allow_fragment = TRUE;   /* a buffer may hold several top-level nodes */
    if (SUCCEEDED(hr)) hr = write_buffer_nodes( tmp, (const struct ws_xml_buffer *)xmlBuffer, error );
    if (SUCCEEDED(hr) && tmp->mtom) hr = mtom_compose( tmp, error );
    if (SUCCEEDED(hr))
    {
        const BYTE *data = tmp->mtom ? tmp->mtom_view.data : tmp->out.data;
        ULONG len = tmp->mtom ? tmp->mtom_view.len : tmp->out.len;
        if (SUCCEEDED(hr = ws_heap_alloc_hr( heap, len, &ret, error )))
        {
            memcpy( ret, data, len );
            *bytes = ret;
            *byteCount = len;
        }
    }
    free_writer_data( tmp );
    ws_object_free( tmp );
    return hr;
}

/* ---- the canonical serializer (W3C Exclusive XML Canonicalization 1.0) ------------------------
 *
 * One module for both hooks: the writer tees the nodes its sink receives into it
 * and the reader feeds it the nodes it reads.  Nodes come in the public node
 * model; an element node carries the namespace URIs of its names, which is all
 * exclusive canonicalization needs to decide which declarations to render. */

struct c14n_str
{
    BYTE *bytes;
    ULONG len;
};

/* A namespace declaration, either seen in the input or rendered in the output. */
struct c14n_decl
{
    struct c14n_str prefix, ns;
    ULONG depth;                        /* element depth that declared it */
};

struct c14n_decls
{
    struct c14n_decl *items;
    ULONG count, cap;
};

struct ws_c14n
{
    WS_WRITE_CALLBACK callback;
    void *callback_state;
    BOOL comments;                      /* the "with comments" algorithm */
    BOOL inclusive_algo;                /* Canonical XML 1.0 (inclusive) instead of exclusive */
    struct c14n_str *inclusive;         /* inclusive prefixes ("" for the default namespace) */
    ULONG inclusive_count;
    BOOL omit;                          /* an omitted element name is set */
    struct c14n_str omit_local, omit_ns;
    ULONG buffer_size;                  /* callback chunk size */
    struct ws_buf out;
    struct c14n_str *names;             /* qualified names of the open elements */
    ULONG depth, names_cap;
    ULONG skip_depth;                   /* > 0 inside an omitted subtree */
    BOOL root_seen;                     /* a top-level element was closed (comment newlines) */
    struct c14n_decls input, rendered;
    struct ws_buf scratch;
};

static BOOL c14n_str_set( struct c14n_str *str, const BYTE *bytes, ULONG len )
{
    str->len = len;
    if (!(str->bytes = HeapAlloc( GetProcessHeap(), 0, len ? len : 1 ))) return FALSE;
    if (len) memcpy( str->bytes, bytes, len );
    return TRUE;
}

static void c14n_str_free( struct c14n_str *str )
{
    HeapFree( GetProcessHeap(), 0, str->bytes );
    str->bytes = NULL;
}

static inline BOOL c14n_str_eq( const struct c14n_str *a, const BYTE *bytes, ULONG len )
{
    return a->len == len && (!len || !memcmp( a->bytes, bytes, len ));
}

static inline ULONG xmlstr_len( const WS_XML_STRING *str )
{
    return str ? str->length : 0;
}

static inline const BYTE *xmlstr_bytes( const WS_XML_STRING *str )
{
    return str ? str->bytes : NULL;
}

/* Byte-wise comparison, which for UTF-8 is code point order as the specification requires. */
static int c14n_compare( const BYTE *a, ULONG alen, const BYTE *b, ULONG blen )
{
    int ret = memcmp( a, b, min( alen, blen ) );
    if (ret || alen == blen) return ret;
    return alen < blen ? -1 : 1;
}

static void c14n_pop_decls( struct c14n_decls *decls, ULONG depth )
{
    while (decls->count && decls->items[decls->count - 1].depth >= depth)
    {
        struct c14n_decl *d = &decls->items[--decls->count];
        c14n_str_free( &d->prefix );
        c14n_str_free( &d->ns );
    }
}

static BOOL c14n_push_decl( struct c14n_decls *decls, const BYTE *prefix, ULONG prefix_len, const BYTE *ns,
                            ULONG ns_len, ULONG depth )
{
    struct c14n_decl *d;

    if (!array_reserve( (void **)&decls->items, &decls->cap, decls->count, sizeof(*decls->items) )) return FALSE;
    d = &decls->items[decls->count];
    if (!c14n_str_set( &d->prefix, prefix, prefix_len )) return FALSE;
    if (!c14n_str_set( &d->ns, ns, ns_len ))
    {
        c14n_str_free( &d->prefix );
        return FALSE;
    }
    d->depth = depth;
    decls->count++;
    return TRUE;
}

static const struct c14n_decl *c14n_find_decl( const struct c14n_decls *decls, const BYTE *prefix, ULONG len )
{
    ULONG i;
    for (i = decls->count; i > 0; i--)
        if (c14n_str_eq( &decls->items[i - 1].prefix, prefix, len )) return &decls->items[i - 1];
    return NULL;
}

void ws_c14n_free( struct ws_c14n *c )
{
    ULONG i;

    if (!c) return;
    c14n_pop_decls( &c->input, 0 );
    c14n_pop_decls( &c->rendered, 0 );
    HeapFree( GetProcessHeap(), 0, c->input.items );
    HeapFree( GetProcessHeap(), 0, c->rendered.items );
    for (i = 0; i < c->depth; i++) c14n_str_free( &c->names[i] );
    HeapFree( GetProcessHeap(), 0, c->names );
    for (i = 0; i < c->inclusive_count; i++) c14n_str_free( &c->inclusive[i] );
    HeapFree( GetProcessHeap(), 0, c->inclusive );
    c14n_str_free( &c->omit_local );
    c14n_str_free( &c->omit_ns );
    ws_buf_free( &c->out );
    ws_buf_free( &c->scratch );
    HeapFree( GetProcessHeap(), 0, c );
}

static HRESULT c14n_set_property( struct ws_c14n *c, const WS_XML_CANONICALIZATION_PROPERTY *prop, WS_ERROR *error )
{
    ULONG i;

    switch (prop->id)
    {
    case WS_XML_CANONICALIZATION_PROPERTY_ALGORITHM:
    {
        WS_XML_CANONICALIZATION_ALGORITHM algo;
        if (!prop->value || prop->valueSize != sizeof(algo))
            return ws_error_set( error, E_INVALIDARG, "bad algorithm property value" );
        algo = *(const WS_XML_CANONICALIZATION_ALGORITHM *)prop->value;
        switch (algo)
        {
        case WS_EXCLUSIVE_XML_CANONICALIZATION_ALGORITHM:
            c->comments = c->inclusive_algo = FALSE;
            return S_OK;
        case WS_EXCLUSIVE_WITH_COMMENTS_XML_CANONICALIZATION_ALGORITHM:
            c->comments = TRUE;
            c->inclusive_algo = FALSE;
            return S_OK;
        case WS_INCLUSIVE_XML_CANONICALIZATION_ALGORITHM:
        case WS_INCLUSIVE_WITH_COMMENTS_XML_CANONICALIZATION_ALGORITHM:
            c->inclusive_algo = TRUE;
            c->comments = (algo == WS_INCLUSIVE_WITH_COMMENTS_XML_CANONICALIZATION_ALGORITHM);
            return S_OK;
        default:
            return ws_error_set( error, E_INVALIDARG, "unknown canonicalization algorithm %u", algo );
        }
    }
    case WS_XML_CANONICALIZATION_PROPERTY_INCLUSIVE_PREFIXES:
    {
        const WS_XML_CANONICALIZATION_INCLUSIVE_PREFIXES *prefixes = prop->value;
        if (!prefixes || prop->valueSize != sizeof(*prefixes))
            return ws_error_set( error, E_INVALIDARG, "bad inclusive prefixes property value" );
        if (prefixes->prefixCount && !prefixes->prefixes)
            return ws_error_set( error, E_INVALIDARG, "inclusive prefixes array is NULL" );
        if (c->inclusive) return ws_error_set( error, E_INVALIDARG, "inclusive prefixes given twice" );
        if (!prefixes->prefixCount) return S_OK;
        if (!(c->inclusive = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY,
                                        prefixes->prefixCount * sizeof(*c->inclusive) )))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        for (i = 0; i < prefixes->prefixCount; i++)
        {
            const WS_XML_STRING *p = &prefixes->prefixes[i];
            if (p->length && !p->bytes) return ws_error_set( error, E_INVALIDARG, "inclusive prefix %lu has no bytes", i );
            if (!c14n_str_set( &c->inclusive[i], p->bytes, p->length ))
                return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
            c->inclusive_count++;
        }
        return S_OK;
    }
    case WS_XML_CANONICALIZATION_PROPERTY_OMITTED_ELEMENT:
    {
        const WS_XML_QNAME *qname = prop->value;
        if (!qname || prop->valueSize != sizeof(*qname))
            return ws_error_set( error, E_INVALIDARG, "bad omitted element property value" );
        if ((qname->localName.length && !qname->localName.bytes) || (qname->ns.length && !qname->ns.bytes))
            return ws_error_set( error, E_INVALIDARG, "omitted element name has no bytes" );
        c14n_str_free( &c->omit_local );
        c14n_str_free( &c->omit_ns );
        if (!c14n_str_set( &c->omit_local, qname->localName.bytes, qname->localName.length ) ||
            !c14n_str_set( &c->omit_ns, qname->ns.bytes, qname->ns.length ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        c->omit = TRUE;
        return S_OK;
    }
    case WS_XML_CANONICALIZATION_PROPERTY_OUTPUT_BUFFER_SIZE:
        if (!prop->value || prop->valueSize != sizeof(ULONG))
            return ws_error_set( error, E_INVALIDARG, "bad output buffer size property value" );
        if (!(c->buffer_size = *(const ULONG *)prop->value))
            return ws_error_set( error, E_INVALIDARG, "output buffer size is 0" );
        return S_OK;
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown canonicalization property %u", prop->id );
    }
}

HRESULT ws_c14n_create( WS_WRITE_CALLBACK callback, void *state, const WS_XML_CANONICALIZATION_PROPERTY *props,
                        ULONG count, struct ws_c14n **ret, WS_ERROR *error )
{
    struct ws_c14n *c;
    HRESULT hr;
    ULONG i;

    if (!callback) return ws_error_set( error, E_INVALIDARG, "writeCallback is NULL" );
    if (count && !props) return ws_error_set( error, E_INVALIDARG, "properties is NULL" );
    if (!(c = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    c->callback = callback;
    c->callback_state = state;
    c->buffer_size = 1024;  /* the documented default */
    for (i = 0; i < count; i++)
    {
        if (FAILED(hr = c14n_set_property( c, &props[i], error )))
        {
            ws_c14n_free( c );
            return hr;
        }
    }
    *ret = c;
    return S_OK;
}

static HRESULT c14n_flush( struct ws_c14n *c, WS_ERROR *error )
{
    WS_BYTES bytes;
    HRESULT hr;

    if (!c->out.len) return S_OK;
    bytes.length = c->out.len;
    bytes.bytes = c->out.data;
    hr = c->callback( c->callback_state, &bytes, 1, NULL, error );
    c->out.len = 0;
    if (FAILED(hr)) return ws_error_set( error, hr, "the canonicalization write callback failed" );
    return S_OK;
}

static HRESULT c14n_put( struct ws_c14n *c, const void *data, ULONG len, WS_ERROR *error )
{
    if (!ws_buf_append( &c->out, data, len )) return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    return S_OK;
}

/* Escapes as the specification's text nodes (ATTR FALSE) or attribute values (ATTR TRUE) require. */
static HRESULT c14n_put_escaped( struct ws_c14n *c, const BYTE *p, ULONG len, BOOL attr, WS_ERROR *error )
{
    ULONG i, run = 0;
    HRESULT hr;

    for (i = 0; i < len; i++)
    {
        const char *esc;
        switch (p[i])
        {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': if (attr) continue; esc = "&gt;"; break;
        case '"': if (!attr) continue; esc = "&quot;"; break;
        case '\t': if (!attr) continue; esc = "&#x9;"; break;
        case '\n': if (!attr) continue; esc = "&#xA;"; break;
        case '\r': esc = "&#xD;"; break;
        default: continue;
        }
        if (FAILED(hr = c14n_put( c, p + run, i - run, error ))) return hr;
        if (FAILED(hr = c14n_put( c, esc, strlen( esc ), error ))) return hr;
        run = i + 1;
    }
    return c14n_put( c, p + run, len - run, error );
}

static HRESULT c14n_put_qname( struct ws_c14n *c, const WS_XML_STRING *prefix, const WS_XML_STRING *local,
                               WS_ERROR *error )
{
    HRESULT hr;

    if (xmlstr_len( prefix ))
    {
        if (FAILED(hr = c14n_put( c, prefix->bytes, prefix->length, error ))) return hr;
        if (FAILED(hr = c14n_put( c, ":", 1, error ))) return hr;
    }
    return c14n_put( c, xmlstr_bytes( local ), xmlstr_len( local ), error );
}

/* A namespace node to render on the current element. */
struct c14n_ns
{
    const BYTE *prefix, *ns;
    ULONG prefix_len, ns_len;
};

/* Adds PREFIX -> NS unless the output already has it in scope (or it is listed already). */
static void c14n_add_ns( const struct ws_c14n *c, struct c14n_ns *list, ULONG *count, const BYTE *prefix,
                         ULONG prefix_len, const BYTE *ns, ULONG ns_len )
{
    const struct c14n_decl *d;
    ULONG i;

    if (prefix_len == 3 && !memcmp( prefix, "xml", 3 )) return;  /* never declared */
    if (prefix_len == 5 && !memcmp( prefix, "xmlns", 5 )) return;
    for (i = 0; i < *count; i++)
        if (list[i].prefix_len == prefix_len && !memcmp( list[i].prefix, prefix, prefix_len )) return;
    if ((d = c14n_find_decl( &c->rendered, prefix, prefix_len )))
    {
        if (c14n_str_eq( &d->ns, ns, ns_len )) return;
    }
    else if (!prefix_len && !ns_len) return;  /* xmlns="" only undoes a rendered default namespace */
    list[*count].prefix = prefix;
    list[*count].prefix_len = prefix_len;
    list[*count].ns = ns;
    list[*count].ns_len = ns_len;
    (*count)++;
}

static int __cdecl c14n_ns_cmp( const void *a, const void *b )
{
    const struct c14n_ns *x = a, *y = b;
    return c14n_compare( x->prefix, x->prefix_len, y->prefix, y->prefix_len );
}

static int __cdecl c14n_attr_cmp( const void *a, const void *b )
{
    const WS_XML_ATTRIBUTE *x = *(const WS_XML_ATTRIBUTE * const *)a, *y = *(const WS_XML_ATTRIBUTE * const *)b;
    int ret = c14n_compare( xmlstr_bytes( x->ns ), xmlstr_len( x->ns ), xmlstr_bytes( y->ns ), xmlstr_len( y->ns ) );
    if (ret) return ret;
    return c14n_compare( xmlstr_bytes( x->localName ), xmlstr_len( x->localName ), xmlstr_bytes( y->localName ),
                         xmlstr_len( y->localName ) );
}

static HRESULT c14n_put_attr_value( struct ws_c14n *c, const WS_XML_TEXT *value, WS_ERROR *error )
{
    HRESULT hr;

    if (!value) return S_OK;
    if (value->textType == WS_XML_TEXT_TYPE_UTF8)
    {
        const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)value;
        return c14n_put_escaped( c, utf8->value.bytes, utf8->value.length, TRUE, error );
    }
    c->scratch.len = 0;
    if (FAILED(hr = ws_text_to_utf8( value, &c->scratch, error ))) return hr;
    return c14n_put_escaped( c, c->scratch.data, c->scratch.len, TRUE, error );
}

static HRESULT c14n_start_tag( struct ws_c14n *c, const WS_XML_ELEMENT_NODE *elem, struct c14n_ns *ns_list,
                               ULONG ns_count, const WS_XML_ATTRIBUTE **attrs, ULONG attr_count, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = c14n_put( c, "<", 1, error ))) return hr;
    if (FAILED(hr = c14n_put_qname( c, elem->prefix, elem->localName, error ))) return hr;
    for (i = 0; i < ns_count; i++)
    {
        if (FAILED(hr = c14n_put( c, " xmlns", 6, error ))) return hr;
        if (ns_list[i].prefix_len)
        {
            if (FAILED(hr = c14n_put( c, ":", 1, error ))) return hr;
            if (FAILED(hr = c14n_put( c, ns_list[i].prefix, ns_list[i].prefix_len, error ))) return hr;
        }
        if (FAILED(hr = c14n_put( c, "=\"", 2, error ))) return hr;
        if (FAILED(hr = c14n_put_escaped( c, ns_list[i].ns, ns_list[i].ns_len, TRUE, error ))) return hr;
        if (FAILED(hr = c14n_put( c, "\"", 1, error ))) return hr;
    }
    for (i = 0; i < attr_count; i++)
    {
        if (FAILED(hr = c14n_put( c, " ", 1, error ))) return hr;
        if (FAILED(hr = c14n_put_qname( c, attrs[i]->prefix, attrs[i]->localName, error ))) return hr;
        if (FAILED(hr = c14n_put( c, "=\"", 2, error ))) return hr;
        if (FAILED(hr = c14n_put_attr_value( c, attrs[i]->value, error ))) return hr;
        if (FAILED(hr = c14n_put( c, "\"", 1, error ))) return hr;
    }
    return c14n_put( c, ">", 1, error );
}

static BOOL c14n_is_omitted( const struct ws_c14n *c, const WS_XML_ELEMENT_NODE *elem )
{
    return c->omit && c14n_str_eq( &c->omit_local, xmlstr_bytes( elem->localName ), xmlstr_len( elem->localName ) ) &&
           c14n_str_eq( &c->omit_ns, xmlstr_bytes( elem->ns ), xmlstr_len( elem->ns ) );
}

static HRESULT c14n_element( struct ws_c14n *c, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    struct c14n_ns *ns_list = NULL;
    const WS_XML_ATTRIBUTE **attrs = NULL;
    ULONG i, ns_count = 0, attr_count = 0, depth, len;
    HRESULT hr = S_OK;
    BYTE *name;

    if (c->skip_depth || c14n_is_omitted( c, elem ))
    {
        c->skip_depth++;
        return S_OK;
    }
    depth = c->depth + 1;
    /* the declarations of the input, for the inclusive prefixes */
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (attr->isXmlNs && !c14n_push_decl( &c->input, xmlstr_bytes( attr->prefix ), xmlstr_len( attr->prefix ),
                                               xmlstr_bytes( attr->ns ), xmlstr_len( attr->ns ), depth ))
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    }
    if (!array_reserve( (void **)&c->names, &c->names_cap, c->depth, sizeof(*c->names) ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    if (!(ns_list = HeapAlloc( GetProcessHeap(), 0, (elem->attributeCount + c->inclusive_count + c->input.count + 1) *
                               sizeof(*ns_list) )) ||
        !(attrs = HeapAlloc( GetProcessHeap(), 0, (elem->attributeCount + 1) * sizeof(*attrs) )))
    {
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        goto done;
    }
    /* visibly utilized namespaces: the element's, then those of its prefixed attributes */
    c14n_add_ns( c, ns_list, &ns_count, xmlstr_bytes( elem->prefix ), xmlstr_len( elem->prefix ),
                 xmlstr_bytes( elem->ns ), xmlstr_len( elem->ns ) );
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (attr->isXmlNs) continue;
        attrs[attr_count++] = attr;
        if (xmlstr_len( attr->prefix ))
            c14n_add_ns( c, ns_list, &ns_count, attr->prefix->bytes, attr->prefix->length, xmlstr_bytes( attr->ns ),
                         xmlstr_len( attr->ns ) );
    }
    /* Canonical XML 1.0: every namespace node in scope that the output does not have yet -- on the
     * first element all of them (the nearest declaration of each prefix first), below it those the
     * element declares */
    if (c->inclusive_algo)
    {
        for (i = c->input.count; i > 0; i--)
        {
            const struct c14n_decl *d = &c->input.items[i - 1];
            if (c->depth && d->depth != depth) break;
            c14n_add_ns( c, ns_list, &ns_count, d->prefix.bytes, d->prefix.len, d->ns.bytes, d->ns.len );
        }
    }
    /* inclusive prefixes are rendered as inclusive canonicalization would, when in scope */
    for (i = 0; i < c->inclusive_count; i++)
    {
        const struct c14n_decl *d = c14n_find_decl( &c->input, c->inclusive[i].bytes, c->inclusive[i].len );
        if (d) c14n_add_ns( c, ns_list, &ns_count, d->prefix.bytes, d->prefix.len, d->ns.bytes, d->ns.len );
    }
    qsort( ns_list, ns_count, sizeof(*ns_list), c14n_ns_cmp );
    qsort( attrs, attr_count, sizeof(*attrs), c14n_attr_cmp );
    if (FAILED(hr = c14n_start_tag( c, elem, ns_list, ns_count, attrs, attr_count, error ))) goto done;
    for (i = 0; i < ns_count; i++)
        if (!c14n_push_decl( &c->rendered, ns_list[i].prefix, ns_list[i].prefix_len, ns_list[i].ns, ns_list[i].ns_len,
                             depth ))
        {
            hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
            goto done;
        }
    /* remember the qualified name for the end tag */
    len = xmlstr_len( elem->prefix ) ? elem->prefix->length + 1 : 0;
    if (!c14n_str_set( &c->names[c->depth], NULL, 0 ) ||
        !(name = HeapReAlloc( GetProcessHeap(), 0, c->names[c->depth].bytes, len + xmlstr_len( elem->localName ) + 1 )))
    {
        hr = ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
        goto done;
    }
    if (len)
    {
        memcpy( name, elem->prefix->bytes, len - 1 );
        name[len - 1] = ':';
    }
    memcpy( name + len, xmlstr_bytes( elem->localName ), xmlstr_len( elem->localName ) );
    c->names[c->depth].bytes = name;
    c->names[c->depth].len = len + xmlstr_len( elem->localName );
    c->depth = depth;
done:
    if (hr != S_OK) c14n_pop_decls( &c->input, depth );
    HeapFree( GetProcessHeap(), 0, ns_list );
    HeapFree( GetProcessHeap(), 0, attrs );
    return hr;
}

static HRESULT c14n_end_element( struct ws_c14n *c, WS_ERROR *error )
{
    struct c14n_str *name;
    HRESULT hr;

    if (c->skip_depth)
    {
        c->skip_depth--;
        return S_OK;
    }
    if (!c->depth) return S_OK;  /* closes an element opened before canonicalization started */
    name = &c->names[c->depth - 1];
    if (FAILED(hr = c14n_put( c, "</", 2, error ))) return hr;
    if (FAILED(hr = c14n_put( c, name->bytes, name->len, error ))) return hr;
    if (FAILED(hr = c14n_put( c, ">", 1, error ))) return hr;
    c14n_str_free( name );
    c14n_pop_decls( &c->input, c->depth );
    c14n_pop_decls( &c->rendered, c->depth );
    if (!--c->depth) c->root_seen = TRUE;
    return S_OK;
}

static HRESULT c14n_text( struct ws_c14n *c, const WS_XML_TEXT *text, WS_ERROR *error )
{
    HRESULT hr;

    if (c->skip_depth) return S_OK;
    if (text->textType == WS_XML_TEXT_TYPE_UTF8)
    {
        const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)text;
        return c14n_put_escaped( c, utf8->value.bytes, utf8->value.length, FALSE, error );
    }
    c->scratch.len = 0;
    if (FAILED(hr = ws_text_to_utf8( text, &c->scratch, error ))) return hr;
    return c14n_put_escaped( c, c->scratch.data, c->scratch.len, FALSE, error );
}

/* Comments outside the document element are separated from it by a line feed. */
static HRESULT c14n_comment( struct ws_c14n *c, const WS_XML_STRING *value, WS_ERROR *error )
{
    HRESULT hr;

    if (c->skip_depth || !c->comments) return S_OK;
    if (!c->depth && c->root_seen && FAILED(hr = c14n_put( c, "\n", 1, error ))) return hr;
    if (FAILED(hr = c14n_put( c, "<!--", 4, error ))) return hr;
    if (FAILED(hr = c14n_put( c, value->bytes, value->length, error ))) return hr;
    if (FAILED(hr = c14n_put( c, "-->", 3, error ))) return hr;
    if (!c->depth && !c->root_seen) return c14n_put( c, "\n", 1, error );
    return S_OK;
}

/* A namespace declaration in scope where canonicalization starts (on the ancestors of the
 * first element): the inclusive algorithm renders it on that element, and an inclusive
 * prefix of the exclusive one finds it. */
HRESULT ws_c14n_add_context( struct ws_c14n *c, const WS_XML_STRING *prefix, const WS_XML_STRING *ns, WS_ERROR *error )
{
    if (!c14n_push_decl( &c->input, xmlstr_bytes( prefix ), xmlstr_len( prefix ), xmlstr_bytes( ns ),
                         xmlstr_len( ns ), 0 ))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory" );
    return S_OK;
}

/* Feeds one node; the canonical bytes go to the callback in chunks of the buffer size. */
HRESULT ws_c14n_node( struct ws_c14n *c, const WS_XML_NODE *node, WS_ERROR *error )
{
    HRESULT hr;

    switch (node->nodeType)
    {
    case WS_XML_NODE_TYPE_ELEMENT:
        hr = c14n_element( c, (const WS_XML_ELEMENT_NODE *)node, error );
        break;
    case WS_XML_NODE_TYPE_END_ELEMENT:
        hr = c14n_end_element( c, error );
        break;
    case WS_XML_NODE_TYPE_TEXT:
        hr = c14n_text( c, ((const WS_XML_TEXT_NODE *)node)->text, error );
        break;
    case WS_XML_NODE_TYPE_COMMENT:
        hr = c14n_comment( c, &((const WS_XML_COMMENT_NODE *)node)->value, error );
        break;
    default:  /* CDATA boundaries vanish: their content is text */
        return S_OK;
    }
    if (FAILED(hr)) return hr;
    if (c->out.len >= c->buffer_size) return c14n_flush( c, error );
    return S_OK;
}

/* Hands the remaining canonical bytes to the callback. */
HRESULT ws_c14n_finish( struct ws_c14n *c, WS_ERROR *error )
{
    return c14n_flush( c, error );
}

/* ---- writer canonicalization: a sink that tees into the canonical serializer -------------- */

static HRESULT tee_start_element( struct writer *w, const WS_XML_ELEMENT_NODE *elem, WS_ERROR *error )
{
    HRESULT hr;
    if (FAILED(hr = w->c14n_inner->start_element( w, elem, error ))) return hr;
    return ws_c14n_node( w->c14n, &elem->node, error );
}

static HRESULT tee_end_start_element( struct writer *w, WS_ERROR *error )
{
    return w->c14n_inner->end_start_element( w, error );
}

static HRESULT tee_end_element( struct writer *w, const struct frame *frame, BOOL empty, WS_ERROR *error )
{
    static const WS_XML_NODE end = { WS_XML_NODE_TYPE_END_ELEMENT };
    HRESULT hr;
    if (FAILED(hr = w->c14n_inner->end_element( w, frame, empty, error ))) return hr;
    return ws_c14n_node( w->c14n, &end, error );
}

static HRESULT tee_text( struct writer *w, const WS_XML_TEXT *text, WS_ERROR *error )
{
    WS_XML_TEXT_NODE node;
    HRESULT hr;
    if (FAILED(hr = w->c14n_inner->text( w, text, error ))) return hr;
    node.node.nodeType = WS_XML_NODE_TYPE_TEXT;
    node.text = (WS_XML_TEXT *)text;
    return ws_c14n_node( w->c14n, &node.node, error );
}

static HRESULT tee_utf8( struct writer *w, const BYTE *bytes, ULONG len, WS_ERROR *error )
{
    WS_XML_UTF8_TEXT text;
    WS_XML_TEXT_NODE node;
    HRESULT hr;
    if (FAILED(hr = w->c14n_inner->utf8( w, bytes, len, error ))) return hr;
    memset( &text, 0, sizeof(text) );
    text.text.textType = WS_XML_TEXT_TYPE_UTF8;
    text.value.bytes = (BYTE *)bytes;
    text.value.length = len;
    node.node.nodeType = WS_XML_NODE_TYPE_TEXT;
    node.text = &text.text;
    return ws_c14n_node( w->c14n, &node.node, error );
}

static HRESULT tee_comment( struct writer *w, const WS_XML_STRING *value, WS_ERROR *error )
{
    WS_XML_COMMENT_NODE node;
    HRESULT hr;
    if (FAILED(hr = w->c14n_inner->comment( w, value, error ))) return hr;
    node.node.nodeType = WS_XML_NODE_TYPE_COMMENT;
    node.value = *value;
    return ws_c14n_node( w->c14n, &node.node, error );
}

static HRESULT tee_start_cdata( struct writer *w, WS_ERROR *error )
{
    return w->c14n_inner->start_cdata( w, error );
}

static HRESULT tee_end_cdata( struct writer *w, WS_ERROR *error )
{
    return w->c14n_inner->end_cdata( w, error );
}

static const struct sink_ops tee_sink =
{
    tee_start_element, tee_end_start_element, tee_end_element, tee_text, tee_utf8, tee_comment,
    tee_start_cdata, tee_end_cdata,
};

/* Drops the canonicalization state; the writer goes back to its own sink. */
static void stop_canonicalization( struct writer *w )
{
    if (!w->c14n) return;
    if (w->sink == &tee_sink) w->sink = w->c14n_inner;
    ws_c14n_free( w->c14n );
    w->c14n = NULL;
    w->c14n_inner = NULL;
}

static HRESULT start_writer_canonicalization( struct writer *w, WS_WRITE_CALLBACK callback, void *state,
                                              const WS_XML_CANONICALIZATION_PROPERTY *props, ULONG count,
                                              WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    if (w->c14n) return ws_error_set( error, WS_E_INVALID_OPERATION, "canonicalization is already started" );
    if (w->state == STATE_ATTRIBUTE || w->state == STATE_CDATA)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "cannot start canonicalization inside an %s",
                             w->state == STATE_ATTRIBUTE ? "attribute" : "CDATA section" );
    if (FAILED(hr = ws_c14n_create( callback, state, props, count, &w->c14n, error ))) return hr;
    /* a pending start tag belongs to an element opened before: it is not canonicalized */
    if (w->state == STATE_START_ELEMENT && FAILED(hr = commit_start_element( w, TRUE, error )))
    {
        stop_canonicalization( w );
        return hr;
    }
    /* the declarations in scope, for the inclusive algorithm and inclusive prefixes */
    for (i = 0; i < w->binding_count; i++)
    {
        WS_XML_STRING prefix = span_str( w, w->bindings[i].prefix ), ns = span_str( w, w->bindings[i].ns );
        if (FAILED(hr = ws_c14n_add_context( w->c14n, &prefix, &ns, error )))
        {
            stop_canonicalization( w );
            return hr;
        }
    }
    w->c14n_inner = w->sink;
    w->c14n_depth = w->depth;
    w->sink = &tee_sink;
    return S_OK;
}

static HRESULT end_writer_canonicalization( struct writer *w, WS_ERROR *error )
{
    HRESULT hr;

    if (!w->c14n) return ws_error_set( error, WS_E_INVALID_OPERATION, "canonicalization is not started" );
    if (w->depth != w->c14n_depth)
        return ws_error_set( error, WS_E_INVALID_OPERATION, "depth %lu differs from the depth %lu at the start",
                             w->depth, w->c14n_depth );
    hr = ws_c14n_finish( w->c14n, error );
    stop_canonicalization( w );
    return hr;
}

HRESULT WINAPI WsStartWriterCanonicalization( WS_XML_WRITER *writer, WS_WRITE_CALLBACK writeCallback,
                                              void *writeCallbackState,
                                              const WS_XML_CANONICALIZATION_PROPERTY *properties,
                                              ULONG propertyCount, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;
    HRESULT hr;

    TRACE( "%p %p %p %p %lu %p\n", writer, writeCallback, writeCallbackState, properties, propertyCount, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );
    if (!writeCallback) return ws_error_set( error, E_INVALIDARG, "writeCallback is NULL" );
    if (propertyCount && !properties) return ws_error_set( error, E_INVALIDARG, "properties is NULL" );
    if (FAILED(hr = check_writable( w, error ))) return hr;
    return start_writer_canonicalization( w, writeCallback, writeCallbackState, properties, propertyCount, error );
}

HRESULT WINAPI WsEndWriterCanonicalization( WS_XML_WRITER *writer, WS_ERROR *error )
{
    struct writer *w = (struct writer *)writer;

    TRACE( "%p %p\n", writer, error );

    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );
    return end_writer_canonicalization( w, error );
}
