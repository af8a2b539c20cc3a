/*
 * Private declarations shared by every source file of webservices.dll.
 */

#ifndef __WEBSERVICES_PRIVATE_H
#define __WEBSERVICES_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <windows.h>
#include "webservices.h"

/*
 * Debug channel "webservices", with Wine's semantics: WINEDEBUG selects the
 * classes, messages go to stderr as "tid:class:webservices:function message".
 * Under Wine the channel is resolved through ntdll's own debug interface so
 * that every WINEDEBUG option (+pid, +timestamp, relay filtering...) behaves
 * exactly as for a builtin module; on Windows debug.c parses WINEDEBUG itself.
 * The test in each macro is a single bit test, so disabled tracing costs one
 * load and one branch.
 */
enum ws_debug_class
{
    WS_DBCL_FIXME,
    WS_DBCL_ERR,
    WS_DBCL_WARN,
    WS_DBCL_TRACE,
};

/* Same layout as the channel structure ntdll's debug interface takes. */
struct ws_debug_channel
{
    unsigned char flags;
    char name[15];
};

extern struct ws_debug_channel ws_debug_channel;

void ws_debug_init(void);
void ws_debug_log( enum ws_debug_class cls, const char *function, const char *format, ... )
    __attribute__((format(gnu_printf, 3, 4)));
const char *ws_debugstr_an( const char *str, int len );
const char *ws_debugstr_wn( const WCHAR *str, int len );
const char *ws_debugstr_xmlstr( const WS_XML_STRING *str );

#define WS_DEBUG_ON(cls) (ws_debug_channel.flags & (1 << (cls)))

#define WS_DEBUG_PRINT(cls, ...) \
    do { if (WS_DEBUG_ON(cls)) ws_debug_log( cls, __func__, __VA_ARGS__ ); } while (0)

#define TRACE(...) WS_DEBUG_PRINT( WS_DBCL_TRACE, __VA_ARGS__ )
#define WARN(...)  WS_DEBUG_PRINT( WS_DBCL_WARN, __VA_ARGS__ )
#define FIXME(...) WS_DEBUG_PRINT( WS_DBCL_FIXME, __VA_ARGS__ )
#define ERR(...)   WS_DEBUG_PRINT( WS_DBCL_ERR, __VA_ARGS__ )
#define TRACE_ON() WS_DEBUG_ON( WS_DBCL_TRACE )

#define debugstr_a(s)     ws_debugstr_an( (s), -1 )
#define debugstr_an(s, n) ws_debugstr_an( (s), (n) )
#define debugstr_w(s)     ws_debugstr_wn( (s), -1 )
#define debugstr_wn(s, n) ws_debugstr_wn( (s), (n) )
#define debugstr_xmlstr(s) ws_debugstr_xmlstr( s )

extern HINSTANCE ws_instance;

/*
 * error.c: every failure path explains itself.  Formats a message (printf
 * style, UTF-8), adds it to ERROR as WsAddErrorString would when ERROR is
 * not NULL, and returns HR, so that callers write
 *     return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
 * ERROR may also be invalid (not a WS_ERROR): nothing is added then.  The
 * message is logged as a WARN; with no WS_ERROR and WARN off it is not even
 * formatted, so failure paths stay cheap.
 */
HRESULT ws_error_set( WS_ERROR *error, HRESULT hr, const char *format, ... )
    __attribute__((format(gnu_printf, 3, 4)));

/*
 * object.c: the handle scheme shared by every WWSAPI object of this DLL
 * ======================================================================
 *
 * Handles.  Every opaque handle the API hands out (WS_HEAP *, WS_ERROR *,
 * WS_XML_READER *, WS_CHANNEL *, ...) is a pointer to a private struct whose
 * FIRST member is a struct ws_object:
 *
 *     struct ws_heap { struct ws_object obj; ...type-specific fields... };
 *
 * ws_object.magic holds a per-type tag (WS_OBJECT_MAGIC(type): distinct,
 * unlikely 32-bit values, never 0).  Every exported function validates each
 * handle it is given before touching it:
 *
 *     HRESULT WINAPI WsResetHeap( WS_HEAP *heap, WS_ERROR *error )
 *     {
 *         struct ws_heap *obj = (struct ws_heap *)heap;
 *         WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );  (returns E_INVALIDARG)
 *
 * (the message names the parameter as written, "heap is NULL", so keep the
 * API's parameter names).  A function whose subject is the WS_ERROR itself
 * (WsGetErrorString...) passes NULL as the error: the message is logged but
 * not added to the object being inspected.
 *
 * so NULL, a freed handle or a handle of another type (a WS_HEAP passed as a
 * WS_ERROR) gives E_INVALIDARG with a message in the WS_ERROR instead of a
 * crash or silent corruption.  Objects come from ws_object_alloc() (zeroed,
 * tag set) and go back through ws_object_free(), which clears the tag first so
 * that a stale handle is rejected, not trusted.  Free functions (WsFreeHeap,
 * WsFreeError, ...) return void: given NULL or a handle of the wrong type they
 * do nothing.  Only a pointer to unmapped memory can still fault (reading the
 * tag), as on Windows.
 *
 * Locking.  ws_object.lock is an SRWLOCK (zero-initialised by
 * ws_object_alloc, nothing to destroy).  Objects the documentation calls not
 * thread safe (heap, error, reader, writer, XML buffer, message...) never
 * take it on their hot paths.  Objects that can be used from two threads at
 * once (channel, listener, service proxy/host with WsAbort*, WsClose* racing
 * an operation) take it around state checks and transitions only, never
 * across a blocking call or a callback into the application.  SRW locks are
 * not recursive: a function holding the lock must not call another entry
 * point that takes it.
 *
 * State machine convention.  ws_object.state is the object's lifecycle state.
 * Where the API defines a state enumeration (WS_CHANNEL_STATE,
 * WS_LISTENER_STATE, WS_SERVICE_PROXY_STATE, WS_SERVICE_HOST_STATE) the field
 * holds that enumeration's value, so the *_PROPERTY_STATE getters are a plain
 * read; other objects define a private enum whose value 0 is "just created".
 * ws_object_alloc() leaves it 0 (= WS_*_STATE_CREATED).  An entry point
 * called in a state where the documentation does not allow the operation
 * returns ws_error_set( error, WS_E_INVALID_OPERATION, "..." ); one called
 * on a faulted object returns WS_E_OBJECT_FAULTED.  Thread-safe objects
 * change state only with the lock held (ws_object_lock/unlock).
 *
 * Properties.  See the table-driven mechanism below (struct ws_prop_table).
 */
enum ws_object_type
{
    WS_OBJECT_HEAP,
    WS_OBJECT_ERROR,
    WS_OBJECT_XML_READER,
    WS_OBJECT_XML_WRITER,
    WS_OBJECT_XML_BUFFER,
    WS_OBJECT_MESSAGE,
    WS_OBJECT_CHANNEL,
    WS_OBJECT_LISTENER,
    WS_OBJECT_SERVICE_PROXY,
    WS_OBJECT_SERVICE_HOST,
    WS_OBJECT_OPERATION_CONTEXT,
    WS_OBJECT_SECURITY_TOKEN,
    WS_OBJECT_SECURITY_CONTEXT,
    WS_OBJECT_METADATA,
    WS_OBJECT_POLICY,
    WS_OBJECT_TYPE_COUNT
};

/* Per-type tag: the odd multiplier makes the tags distinct for distinct
 * types; the base makes them unlikely in ordinary data (never 0, not ASCII). */
#define WS_OBJECT_MAGIC(type) (0xC7A3E1F5u ^ ((ULONG)((type) + 1) * 0x9E3779B1u))
/* Written over the tag by ws_object_free(); matches no type. */
#define WS_OBJECT_MAGIC_FREED 0xDEADF4EEu

struct ws_object
{
    ULONG magic;                  /* WS_OBJECT_MAGIC(type) while alive */
    enum ws_object_type type;
    ULONG state;                  /* see "State machine convention" */
    SRWLOCK lock;
};

void *ws_object_alloc( enum ws_object_type type, size_t size );
void ws_object_init( struct ws_object *obj, enum ws_object_type type );
void ws_object_free( void *obj );
const char *ws_object_type_name( enum ws_object_type type );
HRESULT ws_object_check( const void *handle, enum ws_object_type type, const char *name, WS_ERROR *error );

/* NULL-safe tag check; inline because it sits on every entry point. */
static inline BOOL ws_object_is( const void *handle, enum ws_object_type type )
{
    return handle && ((const struct ws_object *)handle)->magic == WS_OBJECT_MAGIC(type);
}

/* Validate HANDLE on entry: returns E_INVALIDARG (with a message in ERROR)
 * from the calling function when HANDLE is NULL or not a live TYPE object. */
#define WS_CHECK_HANDLE(handle, type, error) \
    do { if (!ws_object_is( (handle), (type) )) \
             return ws_object_check( (handle), (type), #handle, (error) ); } while (0)

static inline void ws_object_lock( void *obj ) { AcquireSRWLockExclusive( &((struct ws_object *)obj)->lock ); }
static inline void ws_object_unlock( void *obj ) { ReleaseSRWLockExclusive( &((struct ws_object *)obj)->lock ); }

/*
 * object.c: the table-driven property mechanism behind every
 * WsCreate*(properties), WsGet*Property and WsSet*Property of the DLL
 * =================================================================
 *
 * Each object type keeps its property values in a plain C struct, so its own
 * code reads them as fields (heap->props.max_size), and describes them with a
 * static table mapping each property id to a field:
 *
 *     struct heap_props { SIZE_T max_size; SIZE_T trim_size; ... };
 *     static const struct ws_prop_desc heap_prop_desc[] = {
 *         WS_PROP( WS_HEAP_PROPERTY_MAX_SIZE, struct heap_props, max_size, WS_PROP_CREATE, NULL ),
 *         WS_PROP( WS_HEAP_PROPERTY_REQUESTED_SIZE, struct heap_props, requested_size, WS_PROP_READ_ONLY, NULL ),
 *     };
 *     static const struct ws_prop_table heap_prop_table = WS_PROP_TABLE( "heap", heap_prop_desc, NULL );
 *
 * Access: WS_PROP_READ_ONLY (Get only), WS_PROP_CREATE (Get, and settable in
 * the creation-time property array only), WS_PROP_WRITABLE (Get, Set and
 * creation array), WS_PROP_SET_ONLY (Set/creation but not Get).  The default is the
 * value the field gets before the creation array is applied (NULL: zero).
 * Sizes are exact, as the documentation requires: a valueSize other than
 * the property's size is E_INVALIDARG, and so is an unknown id, a NULL value
 * and an access the table does not allow.  The optional validate callback
 * checks a value (range, non-zero...) before it is stored; it returns S_OK or
 * a failure through ws_error_set().  Values that change on their own (a
 * heap's requested size, an error's string count) are fields the object
 * updates as it goes, so Get stays generic.
 *
 * Creation arrays (WS_HEAP_PROPERTY[], WS_ERROR_PROPERTY[],
 * WS_XML_READER_PROPERTY[], ...) all share the layout {id, value, valueSize};
 * WS_PROPS_APPLY checks that at compile time and hands them to ws_props_apply.
 */
#define WS_PROP_GET      0x1   /* WsGet*Property returns it */
#define WS_PROP_SET      0x2   /* WsSet*Property may change it after creation */
#define WS_PROP_INIT     0x4   /* may appear in the creation-time array */
#define WS_PROP_READ_ONLY  (WS_PROP_GET)
#define WS_PROP_CREATE     (WS_PROP_GET | WS_PROP_INIT)
#define WS_PROP_WRITABLE   (WS_PROP_GET | WS_PROP_SET | WS_PROP_INIT)
#define WS_PROP_SET_ONLY   (WS_PROP_SET | WS_PROP_INIT)

struct ws_prop_desc
{
    ULONG id;
    ULONG size;            /* exact valueSize */
    ULONG offset;          /* of the field in the values struct */
    ULONG access;          /* WS_PROP_* flags */
    const void *dflt;      /* SIZE bytes, or NULL for zero */
};

#define WS_PROP(id, values_type, field, access, dflt) \
    { (id), sizeof(((values_type *)0)->field), offsetof(values_type, field), (access), (dflt) }

struct ws_prop_table
{
    const char *object;    /* for messages: "heap", "error", "reader"... */
    const struct ws_prop_desc *desc;
    ULONG count;
    HRESULT (*validate)( ULONG id, const void *value, WS_ERROR *error );
};

#define WS_PROP_TABLE(object, desc, validate) { (object), (desc), ARRAYSIZE(desc), (validate) }

/* Layout shared by every WS_*_PROPERTY creation array. */
struct ws_prop_entry
{
    ULONG id;
    const void *value;
    ULONG valueSize;
};

const struct ws_prop_desc *ws_prop_find( const struct ws_prop_table *table, ULONG id );
void ws_props_init( const struct ws_prop_table *table, void *values );
HRESULT ws_props_apply( const struct ws_prop_table *table, void *values, const struct ws_prop_entry *props,
                        ULONG count, WS_ERROR *error );
HRESULT ws_props_get( const struct ws_prop_table *table, const void *values, ULONG id, void *buf, ULONG size,
                      WS_ERROR *error );
HRESULT ws_props_set( const struct ws_prop_table *table, void *values, ULONG id, const void *value, ULONG size,
                      WS_ERROR *error );

#define WS_PROPS_APPLY(table, values, props, count, error) \
    (__extension__ ({ \
        _Static_assert( sizeof(*(props)) == sizeof(struct ws_prop_entry) && \
                        offsetof(__typeof__(*(props)), value) == offsetof(struct ws_prop_entry, value) && \
                        offsetof(__typeof__(*(props)), valueSize) == offsetof(struct ws_prop_entry, valueSize) && \
                        sizeof((props)->id) == sizeof(ULONG), "not a {id, value, valueSize} property array" ); \
        ws_props_apply( (table), (values), (const struct ws_prop_entry *)(props), (count), (error) ); }))

/*
 * heap.c: allocation from a WS_HEAP for the rest of the DLL, with the same
 * quota accounting as WsAlloc (requested size counted against the heap's
 * max size; 8-byte aligned; size 0 gives a non-NULL pointer).  They return
 * NULL when the quota would be exceeded or memory is exhausted; HEAP must be
 * a valid WS_HEAP (callers validated it).  ws_heap_realloc grows the most
 * recent allocation in place when it can (counting only the growth),
 * otherwise allocates anew and copies (counting the new size); the old block
 * is reclaimed only by WsResetHeap/WsFreeHeap, like every heap block.
 */
void *ws_heap_alloc( WS_HEAP *heap, SIZE_T size );
void *ws_heap_alloc_zero( WS_HEAP *heap, SIZE_T size );
void *ws_heap_realloc( WS_HEAP *heap, void *ptr, SIZE_T old_size, SIZE_T new_size );
/* WsAlloc with an error message: WS_E_QUOTA_EXCEEDED or E_OUTOFMEMORY. */
HRESULT ws_heap_alloc_hr( WS_HEAP *heap, SIZE_T size, void **ptr, WS_ERROR *error );
/* A heap configured by a WS_HEAP_PROPERTIES array (WS_HEAP_PROPERTY_MAX_SIZE,
 * WS_HEAP_PROPERTY_TRIM_SIZE), for objects that own a heap; the defaults
 * apply to the properties the array leaves out. */
HRESULT ws_heap_create_with_properties( SIZE_T default_max, SIZE_T default_trim, const WS_HEAP_PROPERTY *properties,
                                        ULONG count, WS_HEAP **heap, WS_ERROR *error );

/*
 * error.c: for the modules that keep more in a WS_ERROR.
 * ws_error_set_original_code() records the implementation-specific code an
 * error was mapped from (WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE; its text
 * becomes the last error string).  fault.c keeps its WS_FAULT data in the
 * error through ws_error_set_fault_data(): OPS free it on WsResetError /
 * WsFreeError / replacement and copy it on WsCopyError.  Both do nothing
 * (and the getter returns NULL) when ERROR is not a valid WS_ERROR.
 */
struct ws_error_fault_ops
{
    void (*free)( void *data );
    HRESULT (*copy)( const void *data, void **copy );
};

void ws_error_set_original_code( WS_ERROR *error, HRESULT code );
HRESULT ws_error_set_fault_data( WS_ERROR *error, void *data, const struct ws_error_fault_ops *ops );
void *ws_error_get_fault_data( WS_ERROR *error );

/* dictionary.c: the [MC-NBFS] static dictionary; WWSAPI id = index = wire value / 2. */
const WS_XML_DICTIONARY *ws_static_dictionary( void );
const WS_XML_STRING *ws_static_dictionary_string( ULONG id );  /* NULL past the table (reserved values) */
BOOL ws_static_dictionary_find( const BYTE *bytes, ULONG length, ULONG *id );

/*
 * The XML layer: one node model for every encoding
 * ================================================
 *
 * Nodes.  Every reader encoding (text now; binary and MTOM later) produces,
 * and every writer encoding consumes, the public node structures:
 * WS_XML_ELEMENT_NODE (prefix, localName, ns, attributes), WS_XML_TEXT_NODE
 * (a WS_XML_TEXT variant), WS_XML_COMMENT_NODE, and a bare WS_XML_NODE for
 * END_ELEMENT, CDATA, END_CDATA, BOF and EOF.  An encoding is a pair of small
 * modules (a tokenizer that fills the reader's current node, a serializer
 * that the writer calls per node); navigation, namespaces, quotas,
 * positions and XML buffers are written once, in reader.c, writer.c and
 * xmlbuf.c, and serve every encoding.
 *
 * XML buffers (WS_XML_BUFFER, xmlbuf.c) hold a tree of struct ws_xml_node,
 * allocated on the buffer's WS_HEAP (there is no WsFreeXmlBuffer: the heap
 * owns everything, the buffer object included):
 *   - the root is a BOF node; its children are the top-level nodes, and its
 *     last child is an EOF node;
 *   - an element's children are its content, and its last child is its
 *     END_ELEMENT node;
 *   - a CDATA node's children are its text nodes, and its last child is its
 *     END_CDATA node.
 * Document order is a pre-order walk (ws_xml_node_next), and the node of a
 * WS_XML_NODE_POSITION is a struct ws_xml_node *.  Strings and texts of
 * buffer nodes are copies on the buffer's heap (ws_xml_node_copy), so a
 * buffer never points into a reader's input.
 */
struct ws_xml_node
{
    union
    {
        WS_XML_NODE node;                /* node.nodeType says which member is valid */
        WS_XML_ELEMENT_NODE element;
        WS_XML_TEXT_NODE text;
        WS_XML_COMMENT_NODE comment;
    } u;
    struct ws_xml_node *parent;
    struct ws_xml_node *prev, *next;             /* siblings */
    struct ws_xml_node *first_child, *last_child;
};

struct ws_xml_buffer
{
    struct ws_object obj;                /* ws_object_init( WS_OBJECT_XML_BUFFER ) */
    WS_HEAP *heap;
    struct ws_xml_node *root;            /* BOF */
};

/* xmlbuf.c */
HRESULT ws_xml_buffer_create( WS_HEAP *heap, struct ws_xml_buffer **buffer, WS_ERROR *error );
/* Next node in document order, NULL after EOF. */
struct ws_xml_node *ws_xml_node_next( const struct ws_xml_node *node );
/* Deep copy of a public node (element with its attributes, any text variant, comment...) onto HEAP. */
HRESULT ws_xml_node_copy( WS_HEAP *heap, const WS_XML_NODE *node, struct ws_xml_node **copy, WS_ERROR *error );
HRESULT ws_xml_string_copy( WS_HEAP *heap, const WS_XML_STRING *src, WS_XML_STRING **copy, WS_ERROR *error );
HRESULT ws_xml_text_copy( WS_HEAP *heap, const WS_XML_TEXT *src, WS_XML_TEXT **copy, WS_ERROR *error );
/* Tree edits used by the writer (insert before POS, as a child of POS's parent). */
void ws_xml_node_insert_before( struct ws_xml_node *pos, struct ws_xml_node *node );
void ws_xml_node_remove( struct ws_xml_node *node );   /* unlinks NODE and its subtree */

/*
 * A growable byte buffer (xmltext.c), for writer output and text formatting.
 * Memory from the process heap; ws_buf_free releases it.
 */
struct ws_buf
{
    BYTE *data;
    ULONG len, cap;
};
BOOL ws_buf_reserve( struct ws_buf *buf, ULONG extra );   /* FALSE when out of memory or past 4 GB */
BOOL ws_buf_append( struct ws_buf *buf, const void *data, ULONG len );
void ws_buf_free( struct ws_buf *buf );

/*
 * writer.c: the W3C Exclusive XML Canonicalization serializer behind
 * WsStart/EndWriterCanonicalization and WsStart/EndReaderCanonicalization:
 * fed the public nodes the writer writes or the reader advances over, it
 * hands canonical bytes to CALLBACK.
 */
struct ws_c14n;
HRESULT ws_c14n_create( WS_WRITE_CALLBACK callback, void *state, const WS_XML_CANONICALIZATION_PROPERTY *props,
                        ULONG count, struct ws_c14n **ret, WS_ERROR *error );
HRESULT ws_c14n_node( struct ws_c14n *c, const WS_XML_NODE *node, WS_ERROR *error );
HRESULT ws_c14n_finish( struct ws_c14n *c, WS_ERROR *error );
void ws_c14n_free( struct ws_c14n *c );

/*
 * xmltext.c: text values.  The exact text forms of every WS_XML_TEXT type
 * (as WsWriteText/WsWriteValue produce them and the text encoding writes
 * them) and of every WS_VALUE_TYPE (as WsReadValue and, later, the
 * serializer parse them), and UTF-8/UTF-16 conversion.
 */
/* Appends the UTF-8 text form of TEXT (not escaped) to OUT. */
HRESULT ws_text_to_utf8( const WS_XML_TEXT *text, struct ws_buf *out, WS_ERROR *error );
/* Size of the C value of a WS_VALUE_TYPE (0 for an unknown type). */
ULONG ws_value_type_size( WS_VALUE_TYPE type );
/* Appends the text form of a WS_VALUE_TYPE value (VALUE of SIZE bytes) to OUT. */
HRESULT ws_value_to_utf8( WS_VALUE_TYPE type, const void *value, ULONG size, struct ws_buf *out, WS_ERROR *error );
/* Parses whitespace-trimmed UTF-8 text into a WS_VALUE_TYPE value; WS_E_INVALID_FORMAT
 * for bad text, WS_E_NUMERIC_OVERFLOW for a value out of the type's range (as documented). */
HRESULT ws_value_from_utf8( const BYTE *utf8, ULONG len, WS_VALUE_TYPE type, void *value, ULONG size,
                            WS_ERROR *error );
/* Strict UTF-8 validation (no overlongs, surrogates or values past U+10FFFF). */
BOOL ws_utf8_is_valid( const BYTE *utf8, ULONG len );
/* Conversions; return the number of units written (or needed when OUT is NULL), -1 on invalid input. */
int ws_utf16_to_utf8( const WCHAR *src, ULONG len, BYTE *out, ULONG out_len );
int ws_utf8_to_utf16( const BYTE *src, ULONG len, WCHAR *out, ULONG out_len );

/*
 * serialize.c: private entry points of the serialization engine
 */
/* (serialize-area declarations go here) */

/*
 * msg.c: the message object, for the channel, proxy and service host layers
 */
/* (msg-area declarations go here) */

/*
 * fault.c: faults carried in WS_ERROR objects
 */
/* (fault-area declarations go here) */

/*
 * mtom.c: MTOM (XOP/MIME) encoding of readers and writers
 */
/* (mtom-area declarations go here) */

/*
 * async.c, transport.c, nmf.c: asynchronous completion, byte transports with
 * timeouts and abort, and .NET Message Framing
 */
/* (transport-area declarations go here) */


#endif /* __WEBSERVICES_PRIVATE_H */
