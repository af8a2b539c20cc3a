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
    BOOL counted;                 /* made by ws_object_alloc: in the live-object counts */
};

void *ws_object_alloc( enum ws_object_type type, size_t size );
void ws_object_init( struct ws_object *obj, enum ws_object_type type );
void ws_object_free( void *obj );
ULONG ws_object_live_count( enum ws_object_type type );
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

/* Replaces *COPY (malloc'ed, may be NULL) with a malloc'ed copy of SIZE bytes
 * at VALUE (NULL for 0 bytes), for arbitrary-size creation properties. */
HRESULT ws_copy_blob( const void *value, ULONG size, void **copy, ULONG *copy_size, const char *what, WS_ERROR *error );

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
/* The size of a value of TYPE as the serializer stores it (the struct, union or custom
 * description's size; a pointer for WS_WSZ_TYPE, WS_XML_BUFFER_TYPE, WS_DESCRIPTION_TYPE);
 * 0 for an unknown type or a missing description. */
ULONG ws_type_storage_size( WS_TYPE type, const void *desc );
ULONG ws_type_storage_alignment( WS_TYPE type, const void *desc );

/*
 * msg.c: the message object, for the channel, proxy and service host layers
 */
/* (msg-area declarations go here) */
/* A message as WsCreateMessage creates it, with the envelope and addressing versions of the
 * channel and its WS_CHANNEL_PROPERTY_MESSAGE_PROPERTIES (for WsCreateMessageForChannel).  The
 * channel then uses the public API: WsAddressMessage (when the message is not addressed yet),
 * WsWriteEnvelopeStart/WsWriteEnvelopeEnd on its own writer (buffered or streamed),
 * WsReadEnvelopeStart/WsReadEnvelopeEnd on its own reader (filled with at least the headers),
 * WsGetMessageProperty( WS_MESSAGE_PROPERTY_IS_FAULT ) for HTTP status codes, WsSetHeader to store
 * a received SOAPAction (transport addressing), WsAddMappedHeader for received transport headers,
 * WsSetMessageProperty for the security properties a channel reports. */
HRESULT ws_message_create( WS_ENVELOPE_VERSION env, WS_ADDRESSING_VERSION addr, const WS_MESSAGE_PROPERTY *props,
                           ULONG count, WS_MESSAGE **message, WS_ERROR *error );
/* The versions of a valid message (in any state, unlike WsGetMessageProperty). */
void ws_message_get_versions( WS_MESSAGE *message, WS_ENVELOPE_VERSION *env, WS_ADDRESSING_VERSION *addr );
/* The WS_MESSAGE_PROPERTY_XML_READER/WRITER_PROPERTIES the message was created with (owned by
 * the message), for the readers and writers a channel creates; either pointer may be NULL. */
void ws_message_get_xml_properties( WS_MESSAGE *message, WS_XML_READER_PROPERTIES *reader,
                                    WS_XML_WRITER_PROPERTIES *writer );
/* The Action header (on the message heap; NULL when absent or the message is empty), for
 * matching a received message to a WS_MESSAGE_DESCRIPTION and for the SOAPAction HTTP header.
 * With WS_ADDRESSING_VERSION_TRANSPORT, Action and To are never written in the envelope. */
HRESULT ws_message_get_action( WS_MESSAGE *message, const WS_XML_STRING **action, WS_ERROR *error );
/* The mapped headers (WsAddMappedHeader), in the order added, for the transport to send: NAME
 * points into the message, VALUE's text is allocated on the message heap. */
ULONG ws_message_mapped_header_count( WS_MESSAGE *message );
HRESULT ws_message_get_mapped_header( WS_MESSAGE *message, ULONG index, const WS_XML_STRING **name,
                                      WS_XML_STRING *value, WS_ERROR *error );

/*
 * fault.c: faults carried in WS_ERROR objects
 */
/* (fault-area declarations go here) */
/* The channel layer received the fault message body FAULT (with the
 * message's ACTION and the fault's HEADER buffer when it has them, else
 * NULL): ERROR, when it is a WS_ERROR, gets the fault as
 * WS_FAULT_ERROR_PROPERTY_FAULT (a deep copy, whose reason in the error's
 * language, or without xml:lang, becomes an error string),
 * WS_FAULT_ERROR_PROPERTY_ACTION and _HEADER.  Returns
 * WS_E_ENDPOINT_FAULT_RECEIVED, the documented result of a call that
 * received a fault, or a failure (E_OUTOFMEMORY...) storing it. */
HRESULT ws_fault_received( WS_ERROR *error, const WS_FAULT *fault, const WS_XML_STRING *action,
                           WS_XML_BUFFER *header );
/* For WsSendFaultMessageForError: the fault WsCreateFaultFromError would
 * build from FAULT_ERROR, CODE and DISCLOSURE (on HEAP), the action to send
 * (copied to HEAP; length 0 when the error has none: the caller supplies the
 * default action for its addressing version) and a copy of the fault header
 * buffer to add (NULL when none).  ACTION and HEADER may be NULL.  Failures
 * are reported in ERROR. */
HRESULT ws_fault_for_error( WS_ERROR *fault_error, HRESULT code, WS_FAULT_DISCLOSURE disclosure, WS_HEAP *heap,
                            WS_FAULT *fault, WS_XML_STRING *action, WS_XML_BUFFER **header, WS_ERROR *error );
/* error.c: the system's text for CODE in LANGID (any language, then
 * "Error 0x...", as fallbacks), on the process heap; NULL when out of memory. */
WCHAR *ws_error_code_text( HRESULT code, LANGID langid, ULONG *length );

/*
 * mtom.c: MTOM (XOP/MIME) encoding of readers and writers
 */
/* (mtom-area declarations go here) */
#define WS_XOP_NS "http://www.w3.org/2004/08/xop/include"

/* The first occurrence of WHAT (LEN > 0 bytes) in [P, END), NULL if none. */
const BYTE *ws_find_bytes( const BYTE *p, const BYTE *end, const void *what, ULONG len );

/* A part of a multipart/related message; pointers into the message bytes. */
struct ws_mime_part
{
    const BYTE *id;              /* Content-ID without its angle brackets */
    ULONG id_len;
    const BYTE *body;
    ULONG body_len;
    WS_CHARSET charset;          /* charset parameter of its Content-Type, AUTO when absent */
    BOOL has_type, is_xop;       /* it has a Content-Type; that type is application/xop+xml */
};

struct ws_mime_message
{
    struct ws_mime_part *parts;  /* process heap */
    ULONG count, cap;
    ULONG root;                  /* index of the root (XML) part */
    const BYTE *boundary, *start;
    ULONG boundary_len, start_len;
    BOOL read_header;            /* readMimeHeader: boundary and start come from the message */
    struct ws_buf strings;       /* boundary and start converted from the encoding */
    ULONG strings_boundary_len;
};

/* Reader side.  ws_mime_init checks ENCODING (E_INVALIDARG) and keeps what parsing needs of it;
 * ws_mime_parse splits DATA (kept alive by the caller) into parts: WS_E_INVALID_FORMAT for
 * malformed MIME, WS_E_QUOTA_EXCEEDED past MAX_PARTS parts or (when not 0) MAX_HEADERS bytes of one
 * header block.  ws_mime_find_part resolves an xop:Include href ("cid:..." URL) to a part other than
 * the root, NULL when none matches. */
HRESULT ws_mime_init( struct ws_mime_message *msg, const WS_XML_READER_MTOM_ENCODING *encoding, WS_ERROR *error );
HRESULT ws_mime_parse( struct ws_mime_message *msg, const BYTE *data, ULONG len, ULONG max_parts, ULONG max_headers,
                       WS_ERROR *error );
const struct ws_mime_part *ws_mime_find_part( const struct ws_mime_message *msg, const BYTE *href, ULONG len );
void ws_mime_free( struct ws_mime_message *msg );

/* Writer side: the envelope.  start writes the message header (writeMimeHeader) and the root part's
 * header; add_part stores a binary part (WS_E_QUOTA_EXCEEDED when all parts would exceed MAX_SIZE bytes)
 * and appends the href of its xop:Include to HREF; finish writes the stored parts and the close
 * delimiter. */
struct ws_mime_writer;
HRESULT ws_mime_writer_create( const WS_XML_WRITER_MTOM_ENCODING *encoding, struct ws_mime_writer **ret,
                               WS_ERROR *error );
void ws_mime_writer_free( struct ws_mime_writer *mw );
ULONG ws_mime_writer_max_inline( const struct ws_mime_writer *mw );
HRESULT ws_mime_writer_start( struct ws_mime_writer *mw, struct ws_buf *out, WS_ERROR *error );
HRESULT ws_mime_writer_add_part( struct ws_mime_writer *mw, const BYTE *bytes, ULONG len, ULONG max_size,
                                 struct ws_buf *href, WS_ERROR *error );
HRESULT ws_mime_writer_finish( struct ws_mime_writer *mw, struct ws_buf *out, WS_ERROR *error );

/* writer.c, canonicalization (with ws_c14n_create above): a namespace declaration in scope where
 * canonicalization starts, outermost first; inclusive canonicalization renders them on the first
 * element, exclusive canonicalization finds its inclusive prefixes there. */
HRESULT ws_c14n_add_context( struct ws_c14n *c, const WS_XML_STRING *prefix, const WS_XML_STRING *ns,
                             WS_ERROR *error );

/*
 * async.c, transport.c, nmf.c: asynchronous completion, byte transports with
 * timeouts and abort, and .NET Message Framing
 */
/* (transport-area declarations go here) */
/*
 * async.c: the asynchronous model for every function taking a WS_ASYNC_CONTEXT.
 *
 * ws_async_run( run, args, args_size, model, ctx, error ) performs RUN( args,
 * error ):
 *   - CTX NULL: on the calling thread; returns RUN's result (never WS_S_ASYNC);
 *   - CTX not NULL: CTX->callback must not be NULL (E_INVALIDARG).  ARGS
 *     (ARGS_SIZE bytes) are copied, RUN is queued to the thread pool and
 *     WS_S_ASYNC is returned; when RUN finishes, CTX->callback( hr, MODEL,
 *     CTX->callbackState ) is called exactly once, on the pool thread (MODEL
 *     is what the object's *_PROPERTY_ASYNC_CALLBACK_MODEL says; the pool
 *     thread may block, so WS_LONG_CALLBACK is always honest).  If the work
 *     cannot be queued, RUN is performed synchronously instead (allowed by
 *     the asynchronous model: no WS_S_ASYNC, no callback).
 * A caller that knows the operation can complete at once (data already
 * buffered, a state error) just returns that result without calling this.
 * ERROR is written from the pool thread: the application may not touch it
 * before the callback, as documented.
 */
typedef HRESULT (*ws_async_func)( void *args, WS_ERROR *error );
HRESULT ws_async_run( ws_async_func run, const void *args, size_t args_size, WS_CALLBACK_MODEL model,
                      const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );

/*
 * transport.c: byte transports under channels and listeners.
 *
 * struct ws_conn is one connection: a TCP stream, a named-pipe stream or a
 * UDP socket.  It is created empty (ws_conn_create) so that it can be aborted
 * from another thread while it is still connecting or being accepted, then
 * opened by exactly one of ws_conn_connect_tcp, ws_conn_connect_pipe,
 * ws_conn_open_udp or ws_conn_listener_accept.  struct ws_conn_listener is a
 * listening TCP socket or named-pipe server.
 *
 * Timeouts are per operation in milliseconds (INFINITE allowed) and give
 * WS_E_OPERATION_TIMED_OUT.  ws_conn_abort / ws_conn_listener_abort may be
 * called from any thread at any time: every operation in progress or started
 * later on that object returns WS_E_OPERATION_ABORTED promptly (abort is
 * final).  Blocking I/O is overlapped I/O waited on together with the abort
 * event, and cancelled and waited for on timeout or abort, so no I/O is left
 * pending on freed memory.  One send and one receive may run concurrently
 * on a connection (duplex sessions).  ws_conn_free / ws_conn_listener_free
 * must not race with operations on the same object: abort first, let them
 * return, then free.
 *
 * Errors follow the WWSAPI return values: connection refused, unknown host
 * or missing pipe WS_E_ENDPOINT_NOT_FOUND; no route WS_E_ENDPOINT_UNREACHABLE;
 * reset/broken connection WS_E_ENDPOINT_DISCONNECTED; pipe access denied
 * WS_E_ENDPOINT_ACCESS_DENIED; address taken WS_E_ADDRESS_IN_USE; address
 * not local WS_E_ADDRESS_NOT_AVAILABLE; the Winsock/Win32 code is kept as the
 * error's original code (WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE).
 */
struct ws_conn;
struct ws_conn_listener;

/* A socket address (SOCKADDR_STORAGE-sized) for datagram peers. */
struct ws_sockaddr
{
    int len;
    union { BYTE bytes[128]; ULONGLONG align; } u;
};

HRESULT ws_transport_startup( WS_ERROR *error );   /* WSAStartup, once per process */

/* Per-operation timeouts over several steps: the deadline of a TIMEOUT
 * (INFINITE: WS_NO_DEADLINE) and the milliseconds left until it. */
#define WS_NO_DEADLINE (~0ull)
ULONGLONG ws_deadline_after( ULONG timeout );
ULONG ws_time_left( ULONGLONG deadline );

HRESULT ws_conn_create( struct ws_conn **ret, WS_ERROR *error );
void ws_conn_abort( struct ws_conn *conn );
void ws_conn_free( struct ws_conn *conn );          /* closes without waiting (abortive for TCP) */
/* Graceful close: TCP sends FIN (the peer's receive sees end of stream) and closes. */
HRESULT ws_conn_close( struct ws_conn *conn, WS_ERROR *error );

/* HOST (HOST_LEN WCHARs, not NUL-terminated) is a name or an IPv4/IPv6 literal
 * (brackets allowed); name resolution (bounded by RESOLVE_TIMEOUT) follows
 * IP_VERSION; each address is tried in turn within CONNECT_TIMEOUT. */
HRESULT ws_conn_connect_tcp( struct ws_conn *conn, const WCHAR *host, ULONG host_len, USHORT port,
                             WS_IP_VERSION ip_version, ULONG resolve_timeout, ULONG connect_timeout,
                             WS_ERROR *error );
/* NAME is a full pipe path (see ws_pipe_name_from_url); waits for a free
 * instance of a busy pipe within TIMEOUT. */
HRESULT ws_conn_connect_pipe( struct ws_conn *conn, const WCHAR *name, ULONG timeout, WS_ERROR *error );
/* UDP: with HOST (not NULL) the socket is connected to HOST:PORT (sends go
 * there by default); with HOST NULL it is bound to PORT on every local
 * address (0: any port) for a receiver. */
HRESULT ws_conn_open_udp( struct ws_conn *conn, const WCHAR *host, ULONG host_len, USHORT port,
                          WS_IP_VERSION ip_version, ULONG resolve_timeout, WS_ERROR *error );

/* Sends all SIZE bytes. */
HRESULT ws_conn_send( struct ws_conn *conn, const void *data, ULONG size, ULONG timeout, WS_ERROR *error );
/* Receives 1 to SIZE bytes; *RECEIVED 0 means the peer closed the stream
 * gracefully (S_OK).  UDP: one datagram (WS_E_QUOTA_EXCEEDED if larger than SIZE). */
HRESULT ws_conn_receive( struct ws_conn *conn, void *buf, ULONG size, ULONG *received, ULONG timeout,
                         WS_ERROR *error );
/* UDP with explicit peers (TO NULL: the connected peer); FROM may be NULL. */
HRESULT ws_conn_send_to( struct ws_conn *conn, const void *data, ULONG size, const struct ws_sockaddr *to,
                         ULONG timeout, WS_ERROR *error );
HRESULT ws_conn_receive_from( struct ws_conn *conn, void *buf, ULONG size, ULONG *received,
                              struct ws_sockaddr *from, ULONG timeout, WS_ERROR *error );
/* Local port of a TCP/UDP connection or listener (0 for pipes). */
USHORT ws_conn_local_port( const struct ws_conn *conn );

/* UDP for the soap.udp binding (udp_binding.c, docs/transport.md "UDP binding").
 * The _ex variants also end when one of ABORTS (COUNT <= WS_CONN_MAX_EXTRA_ABORTS
 * events) is set, so that a socket shared by a listener and its channels is
 * interrupted by their aborts without being aborted itself. */
#define WS_CONN_MAX_EXTRA_ABORTS 2
HRESULT ws_conn_send_to_ex( struct ws_conn *conn, const void *data, ULONG size, const struct ws_sockaddr *to,
                            ULONG timeout, const HANDLE *aborts, ULONG count, WS_ERROR *error );
HRESULT ws_conn_receive_from_ex( struct ws_conn *conn, void *buf, ULONG size, ULONG *received,
                                 struct ws_sockaddr *from, ULONG timeout, const HANDLE *aborts, ULONG count,
                                 WS_ERROR *error );
/* As the _ex variants, with IPv4 peers always as IPv4 addresses: a v4-mapped
 * source of a dual-stack socket is returned unmapped, an IPv4 destination is
 * mapped when the socket is IPv6. */
HRESULT ws_conn_udp_receive( struct ws_conn *conn, void *buf, ULONG size, ULONG *received, struct ws_sockaddr *from,
                             ULONG timeout, const HANDLE *aborts, ULONG count, WS_ERROR *error );
HRESULT ws_conn_udp_send( struct ws_conn *conn, const void *data, ULONG size, const struct ws_sockaddr *to,
                          ULONG timeout, const HANDLE *aborts, ULONG count, WS_ERROR *error );
/* A sender: resolves HOST:PORT into *PEER and opens an unconnected socket of
 * its family on an ephemeral port (replies from any address are received);
 * HOPS is the multicast TTL / hop limit. */
HRESULT ws_conn_open_udp_client( struct ws_conn *conn, const WCHAR *host, ULONG host_len, USHORT port,
                                 WS_IP_VERSION ip_version, ULONG resolve_timeout, ULONG hops,
                                 struct ws_sockaddr *peer, WS_ERROR *error );
/* Sends to multicast groups leave through interface INDEX (0: the default). */
HRESULT ws_conn_udp_set_multicast_interface( struct ws_conn *conn, ULONG index, WS_ERROR *error );
/* A multicast receiver: GROUP (an address literal) resolved into *GROUP_ADDR,
 * PORT bound on the any-address with SO_REUSEADDR, IP_MULTICAST_LOOP =
 * LOOPBACK; ws_conn_udp_join joins the group on interface INDEX. */
HRESULT ws_conn_open_udp_multicast( struct ws_conn *conn, const WCHAR *group, ULONG group_len, USHORT port,
                                    WS_IP_VERSION ip_version, BOOL loopback, struct ws_sockaddr *group_addr,
                                    WS_ERROR *error );
HRESULT ws_conn_udp_join( struct ws_conn *conn, const struct ws_sockaddr *group, ULONG index, WS_ERROR *error );
BOOL ws_sockaddr_is_multicast( const struct ws_sockaddr *addr );
/* "a.b.c.d:port" or "[v6]:port" into BUF (COUNT WCHARs with the null);
 * returns the length without the null, 0 on failure. */
ULONG ws_sockaddr_format( const struct ws_sockaddr *addr, WCHAR *buf, ULONG count );

/* HOST: "+" or "*" (every address, IPv6 and IPv4 where possible), "localhost"
 * (loopback), a name or an address literal.  PORT 0 picks a free port. */
HRESULT ws_conn_listener_create_tcp( const WCHAR *host, ULONG host_len, USHORT port, WS_IP_VERSION ip_version,
                                     struct ws_conn_listener **ret, WS_ERROR *error );
/* Creates the first instance of the pipe NAME: WS_E_ADDRESS_IN_USE when the
 * pipe already exists. */
HRESULT ws_conn_listener_create_pipe( const WCHAR *name, struct ws_conn_listener **ret, WS_ERROR *error );
/* Waits for the next connection and opens CONN (from ws_conn_create) with it;
 * aborting either the listener or CONN ends the wait. */
HRESULT ws_conn_listener_accept( struct ws_conn_listener *listener, struct ws_conn *conn, ULONG timeout,
                                 WS_ERROR *error );
USHORT ws_conn_listener_port( const struct ws_conn_listener *listener );
void ws_conn_listener_abort( struct ws_conn_listener *listener );
void ws_conn_listener_free( struct ws_conn_listener *listener );

/* net.pipe://host/path -> \\.\pipe\ + "wwsapi" + path, see docs/transport.md.
 * PATH is the URL's path (PATH_LEN WCHARs, starting with '/' or empty);
 * returns a process-heap string (HeapFree) or NULL when out of memory. */
WCHAR *ws_pipe_name_from_url_path( const WCHAR *path, ULONG path_len );

/*
 * nmf.c: .NET Message Framing ([MC-NMF]).
 *
 * Records are encoded into / decoded from a struct ws_buf with the same code
 * that a session uses on a connection.  ws_nmf_decode_record decodes a
 * complete buffer (truncated input is WS_E_INVALID_FORMAT); an Unsized
 * Envelope record decodes as its type only, its chunks with
 * ws_nmf_decode_chunk (size 0 = the terminator).
 */
enum ws_nmf_record_type
{
    WS_NMF_VERSION = 0x00, WS_NMF_MODE = 0x01, WS_NMF_VIA = 0x02, WS_NMF_KNOWN_ENCODING = 0x03,
    WS_NMF_EXTENSIBLE_ENCODING = 0x04, WS_NMF_UNSIZED_ENVELOPE = 0x05, WS_NMF_SIZED_ENVELOPE = 0x06,
    WS_NMF_END = 0x07, WS_NMF_FAULT = 0x08, WS_NMF_UPGRADE_REQUEST = 0x09, WS_NMF_UPGRADE_RESPONSE = 0x0a,
    WS_NMF_PREAMBLE_ACK = 0x0b, WS_NMF_PREAMBLE_END = 0x0c,
};
enum ws_nmf_mode
{
    WS_NMF_MODE_SINGLETON_UNSIZED = 1, WS_NMF_MODE_DUPLEX = 2, WS_NMF_MODE_SIMPLEX = 3, WS_NMF_MODE_SINGLETON_SIZED = 4,
};
enum ws_nmf_known_encoding
{
    WS_NMF_SOAP11_UTF8 = 0, WS_NMF_SOAP11_UTF16 = 1, WS_NMF_SOAP11_UNICODE_LE = 2,
    WS_NMF_SOAP12_UTF8 = 3, WS_NMF_SOAP12_UTF16 = 4, WS_NMF_SOAP12_UNICODE_LE = 5,
    WS_NMF_SOAP12_MTOM = 6, WS_NMF_SOAP12_BINARY = 7, WS_NMF_SOAP12_BINARY_SESSION = 8,
};

/* Implementation limits of WWSAPI ([MC-NMF] appendix notes 11, 14, 17). */
#define WS_NMF_MAX_VIA_SIZE          2048
#define WS_NMF_MAX_CONTENT_TYPE_SIZE 256
#define WS_NMF_MAX_UPGRADE_SIZE      256
#define WS_NMF_MAX_FAULT_SIZE        2048
#define WS_NMF_FAULT_NS "http://schemas.microsoft.com/ws/2006/05/framing/faults/"

struct ws_nmf_record
{
    enum ws_nmf_record_type type;
    BYTE value[2];           /* Version: major, minor; Mode: mode; Known Encoding: encoding */
    const BYTE *data;        /* Via, Extensible Encoding, Fault, Upgrade Request, Sized Envelope */
    ULONG size;              /* bytes at DATA */
};

ULONG ws_nmf_encode_size( ULONG size, BYTE out[5] );   /* returns the number of bytes (1 to 5) */
/* Appends REC; the variable-size records need 0 < size (<= 0xffffffff). */
HRESULT ws_nmf_encode_record( struct ws_buf *buf, const struct ws_nmf_record *rec, WS_ERROR *error );
/* Appends one Data Chunk (SIZE > 0) or, with SIZE 0, the terminator. */
HRESULT ws_nmf_encode_chunk( struct ws_buf *buf, const void *data, ULONG size, WS_ERROR *error );
/* Decodes the record at DATA; REC->data points into DATA.  MAX_ENVELOPE bounds
 * Sized Envelope sizes (WS_E_QUOTA_EXCEEDED; 0: no envelope expected, the
 * record is WS_E_INVALID_FORMAT), the other variable records use the limits
 * above. */
HRESULT ws_nmf_decode_record( const BYTE *data, ULONG len, ULONG max_envelope, struct ws_nmf_record *rec,
                              ULONG *used, WS_ERROR *error );
HRESULT ws_nmf_decode_chunk( const BYTE *data, ULONG len, ULONG max_chunk, const BYTE **chunk, ULONG *size,
                             ULONG *used, WS_ERROR *error );
/* The HRESULT for a received fault URI (WS_E_ENDPOINT_*). */
HRESULT ws_nmf_fault_to_hresult( const BYTE *fault, ULONG size );

/*
 * An [MC-NMF] session over a connection.  The initiator calls
 * ws_nmf_send_preamble (version, mode, via, encoding, preamble end, then waits
 * for the Preamble Ack in duplex and singleton-unsized modes; a Fault record
 * gives its mapped WS_E_ code).  The receiver calls ws_nmf_receive_preamble,
 * checks the via and encoding it got, then answers with ws_nmf_send_ack or
 * ws_nmf_send_fault.  Envelopes: Sized Envelope records in duplex/simplex
 * modes, one Unsized Envelope (chunks) then End in singleton-unsized mode.
 * ws_nmf_receive_envelope returns S_FALSE (empty OUT) on the peer's End
 * record; a message larger than the session's max_envelope gives
 * WS_E_QUOTA_EXCEEDED after sending the MaxMessageSizeExceededFault fault.
 * Malformed framing gives WS_E_INVALID_FORMAT (the session is then unusable).
 * One send and one receive may run at the same time (records never
 * interleave on the wire: sends, faults included, are serialized); a send or
 * receive that fails (timeout, abort) leaves the stream mid-record, so the
 * channel faults.
 */
struct ws_nmf_session;
struct ws_nmf_preamble
{
    enum ws_nmf_mode mode;
    BOOL known_encoding;     /* TRUE: ENCODING; FALSE: CONTENT_TYPE */
    BYTE encoding;
    const BYTE *content_type;
    ULONG content_type_len;
    const BYTE *via;         /* UTF-8 */
    ULONG via_len;
};

HRESULT ws_nmf_session_create( struct ws_conn *conn, ULONG max_envelope, struct ws_nmf_session **ret,
                               WS_ERROR *error );
void ws_nmf_session_free( struct ws_nmf_session *session );   /* not the connection */
HRESULT ws_nmf_send_preamble( struct ws_nmf_session *session, const struct ws_nmf_preamble *preamble,
                              ULONG timeout, WS_ERROR *error );
/* Fills PREAMBLE (pointers valid until the session is freed). */
HRESULT ws_nmf_receive_preamble( struct ws_nmf_session *session, struct ws_nmf_preamble *preamble,
                                 ULONG timeout, WS_ERROR *error );
HRESULT ws_nmf_send_ack( struct ws_nmf_session *session, ULONG timeout, WS_ERROR *error );
/* NAME is a fault name of [MC-NMF] 2.2.5 ("EndpointNotFound"...), sent in the framing namespace. */
HRESULT ws_nmf_send_fault( struct ws_nmf_session *session, const char *name, ULONG timeout, WS_ERROR *error );
HRESULT ws_nmf_send_envelope( struct ws_nmf_session *session, const void *data, ULONG size, ULONG timeout,
                              WS_ERROR *error );
HRESULT ws_nmf_receive_envelope( struct ws_nmf_session *session, struct ws_buf *out, ULONG timeout,
                                 WS_ERROR *error );
HRESULT ws_nmf_send_end( struct ws_nmf_session *session, ULONG timeout, WS_ERROR *error );

/*
 * Test access: the private functions above, in a table the test program
 * finds in the ".wsprv" section of the loaded DLL (tests/transport.c,
 * tests/nmf.c), so that the tests exercise the DLL's own code without
 * adding exports.  Only appended to, never reordered.
 */
/* http.c's types (declared in the http section below) */
struct ws_http_header; struct ws_http_client_settings; struct ws_http_client; struct ws_http_client_request;
struct ws_http_response; struct ws_http_server_settings; struct ws_http_server; struct ws_http_request;
struct ws_http_request_info;
#define WS_PRIVATE_API_MAGIC 0x56525057u   /* "WPRV" */
struct ws_private_api
{
    ULONG magic;
    ULONG size;               /* sizeof(struct ws_private_api) */
    HRESULT (*async_run)( ws_async_func, const void *, size_t, WS_CALLBACK_MODEL, const WS_ASYNC_CONTEXT *, WS_ERROR * );
    HRESULT (*conn_create)( struct ws_conn **, WS_ERROR * );
    void (*conn_abort)( struct ws_conn * );
    void (*conn_free)( struct ws_conn * );
    HRESULT (*conn_close)( struct ws_conn *, WS_ERROR * );
    HRESULT (*conn_connect_tcp)( struct ws_conn *, const WCHAR *, ULONG, USHORT, WS_IP_VERSION, ULONG, ULONG, WS_ERROR * );
    HRESULT (*conn_connect_pipe)( struct ws_conn *, const WCHAR *, ULONG, WS_ERROR * );
    HRESULT (*conn_open_udp)( struct ws_conn *, const WCHAR *, ULONG, USHORT, WS_IP_VERSION, ULONG, WS_ERROR * );
    HRESULT (*conn_send)( struct ws_conn *, const void *, ULONG, ULONG, WS_ERROR * );
    HRESULT (*conn_receive)( struct ws_conn *, void *, ULONG, ULONG *, ULONG, WS_ERROR * );
    HRESULT (*conn_send_to)( struct ws_conn *, const void *, ULONG, const struct ws_sockaddr *, ULONG, WS_ERROR * );
    HRESULT (*conn_receive_from)( struct ws_conn *, void *, ULONG, ULONG *, struct ws_sockaddr *, ULONG, WS_ERROR * );
    USHORT (*conn_local_port)( const struct ws_conn * );
    HRESULT (*listener_create_tcp)( const WCHAR *, ULONG, USHORT, WS_IP_VERSION, struct ws_conn_listener **, WS_ERROR * );
    HRESULT (*listener_create_pipe)( const WCHAR *, struct ws_conn_listener **, WS_ERROR * );
    HRESULT (*listener_accept)( struct ws_conn_listener *, struct ws_conn *, ULONG, WS_ERROR * );
    USHORT (*listener_port)( const struct ws_conn_listener * );
    void (*listener_abort)( struct ws_conn_listener * );
    void (*listener_free)( struct ws_conn_listener * );
    WCHAR *(*pipe_name_from_url_path)( const WCHAR *, ULONG );
    ULONG (*nmf_encode_size)( ULONG, BYTE * );
    HRESULT (*nmf_encode_record)( struct ws_buf *, const struct ws_nmf_record *, WS_ERROR * );
    HRESULT (*nmf_encode_chunk)( struct ws_buf *, const void *, ULONG, WS_ERROR * );
    HRESULT (*nmf_decode_record)( const BYTE *, ULONG, ULONG, struct ws_nmf_record *, ULONG *, WS_ERROR * );
    HRESULT (*nmf_decode_chunk)( const BYTE *, ULONG, ULONG, const BYTE **, ULONG *, ULONG *, WS_ERROR * );
    HRESULT (*nmf_fault_to_hresult)( const BYTE *, ULONG );
    HRESULT (*nmf_session_create)( struct ws_conn *, ULONG, struct ws_nmf_session **, WS_ERROR * );
    void (*nmf_session_free)( struct ws_nmf_session * );
    HRESULT (*nmf_send_preamble)( struct ws_nmf_session *, const struct ws_nmf_preamble *, ULONG, WS_ERROR * );
    HRESULT (*nmf_receive_preamble)( struct ws_nmf_session *, struct ws_nmf_preamble *, ULONG, WS_ERROR * );
    HRESULT (*nmf_send_ack)( struct ws_nmf_session *, ULONG, WS_ERROR * );
    HRESULT (*nmf_send_fault)( struct ws_nmf_session *, const char *, ULONG, WS_ERROR * );
    HRESULT (*nmf_send_envelope)( struct ws_nmf_session *, const void *, ULONG, ULONG, WS_ERROR * );
    HRESULT (*nmf_receive_envelope)( struct ws_nmf_session *, struct ws_buf *, ULONG, WS_ERROR * );
    HRESULT (*nmf_send_end)( struct ws_nmf_session *, ULONG, WS_ERROR * );
    void (*buf_free)( struct ws_buf * );
    /* http.c */
    const struct ws_http_header *(*http_find_header)( const struct ws_http_header *, ULONG, const char * );
    HRESULT (*http_client_create)( const WCHAR *, ULONG, const struct ws_http_client_settings *, struct ws_http_client **, WS_ERROR * );
    HRESULT (*http_client_send)( struct ws_http_client *, const struct ws_http_client_request *, struct ws_http_response *, WS_ERROR * );
    void (*http_client_abort)( struct ws_http_client * );
    void (*http_client_free)( struct ws_http_client * );
    void (*http_response_free)( struct ws_http_response * );
    HRESULT (*http_server_create)( const WCHAR *, ULONG, USHORT, WS_IP_VERSION, const WCHAR *, ULONG, const struct ws_http_server_settings *, struct ws_http_server **, WS_ERROR * );
    USHORT (*http_server_port)( const struct ws_http_server * );
    HRESULT (*http_server_accept)( struct ws_http_server *, ULONG, struct ws_http_request **, WS_ERROR * );
    void (*http_server_abort)( struct ws_http_server * );
    void (*http_server_free)( struct ws_http_server * );
    const struct ws_http_request_info *(*http_request_get_info)( const struct ws_http_request * );
    WCHAR *(*http_request_url)( const struct ws_http_request *, ULONG * );
    HRESULT (*http_request_respond)( struct ws_http_request *, ULONG, const char *, ULONG, const struct ws_http_header *, ULONG, const void *, ULONG, ULONG, WS_ERROR * );
    void (*http_request_free)( struct ws_http_request * );
    /* object.c: live objects of a type (enum ws_object_type), for leak checks */
    ULONG (*object_live_count)( enum ws_object_type );
};


/*
 * http.c: HTTP/1.1 for WS_HTTP_CHANNEL_BINDING
 */
/* (http-area declarations go here) */
/*
 * Strings are UTF-8 (HTTP header text), with explicit lengths and not
 * NUL-terminated.  Everything here returns WS_E_ codes through ws_error_set.
 *
 * Client (WinHTTP, asynchronous mode, so that every step waits on its own
 * completion together with the client's abort event and its own timeout):
 * ws_http_client_create( url ) opens a WinHTTP session for one http:// or
 * https:// endpoint with the channel's settings; ws_http_client_send POSTs one
 * request and returns the response (WinHTTP reuses kept-alive connections
 * between sends).  ws_http_client_abort may be called from any thread: the
 * send in progress, and every later one, returns WS_E_OPERATION_ABORTED
 * (abort is final).  Freeing must not race with a send: abort, let it return,
 * then free.
 *
 * What the caller passes:
 *   - CONTENT_TYPE: the whole Content-Type value.  For SOAP 1.2 the action
 *     goes in it as the action parameter (application/soap+xml;
 *     charset=utf-8; action="urn:a") and SOAP_ACTION is NULL;
 *   - SOAP_ACTION: for SOAP 1.1 the SOAPAction header value exactly as sent,
 *     i.e. quoted ("\"urn:a\""; "\"\"" for an empty action); NULL sends no
 *     SOAPAction header;
 *   - HEADERS: extra headers (mapped headers), names and values without
 *     CR/LF (E_INVALIDARG otherwise).
 *
 * Result of a send (see docs/transport.md, "HTTP status codes"): S_OK for a
 * 2xx response and for a 500 response with a body (a SOAP fault the caller
 * reads); otherwise the WS_E_ code the status maps to (404
 * WS_E_ENDPOINT_NOT_FOUND, 401 WS_E_SERVER_REQUIRES_*_AUTH or
 * WS_E_ENDPOINT_ACCESS_DENIED, 403 WS_E_ENDPOINT_ACCESS_DENIED, 407
 * WS_E_PROXY_REQUIRES_*_AUTH or WS_E_PROXY_ACCESS_DENIED, 3xx and 410
 * WS_E_ENDPOINT_NOT_AVAILABLE, 413 WS_E_QUOTA_EXCEEDED, 503
 * WS_E_ENDPOINT_TOO_BUSY, others WS_E_ENDPOINT_FAILURE) with RESPONSE still
 * filled, or a transport failure (connection refused / unknown host
 * WS_E_ENDPOINT_NOT_FOUND, timeout WS_E_OPERATION_TIMED_OUT, proxy
 * WS_E_PROXY_FAILURE, ...; RESPONSE->status 0).  A response body larger
 * than max_response_size is WS_E_QUOTA_EXCEEDED.  The WinHTTP code is kept
 * as the error's original code.
 */
struct ws_http_header
{
    const char *name;
    ULONG name_len;
    const char *value;
    ULONG value_len;
};

/* Case-insensitive lookup of NAME in HEADERS: the first match, or NULL. */
const struct ws_http_header *ws_http_find_header( const struct ws_http_header *headers, ULONG count,
                                                  const char *name );

struct ws_http_client_settings
{
    ULONG resolve_timeout, connect_timeout, send_timeout;   /* ms, INFINITE allowed */
    ULONG receive_response_timeout;   /* until the response headers arrived */
    ULONG receive_timeout;            /* each read of the response body */
    WS_HTTP_PROXY_SETTING_MODE proxy_mode;
    const WS_CUSTOM_HTTP_PROXY *custom_proxy;   /* WS_HTTP_PROXY_SETTING_MODE_CUSTOM */
    WS_COOKIE_MODE cookie_mode;       /* AUTO: WinHTTP keeps cookies; MANUAL: cookies disabled */
    BOOL allow_redirect;              /* FALSE: a 3xx response is returned, not followed */
    ULONG max_response_size;          /* body bytes */
};

struct ws_http_client_request
{
    const void *body;
    ULONG body_len;
    const char *content_type;
    ULONG content_type_len;
    const char *soap_action;          /* NULL: no SOAPAction header */
    ULONG soap_action_len;
    const struct ws_http_header *headers;
    ULONG header_count;
};

struct ws_http_response
{
    ULONG status;                     /* 0 when no response was received */
    const struct ws_http_header *content_type;   /* NULL when absent */
    struct ws_http_header *headers;   /* all response headers, pointing into RAW */
    ULONG header_count;
    struct ws_buf raw;                /* the header block (UTF-8) */
    struct ws_buf body;
};

struct ws_http_client;
HRESULT ws_http_client_create( const WCHAR *url, ULONG url_len, const struct ws_http_client_settings *settings,
                               struct ws_http_client **ret, WS_ERROR *error );
HRESULT ws_http_client_send( struct ws_http_client *client, const struct ws_http_client_request *request,
                             struct ws_http_response *response, WS_ERROR *error );
void ws_http_client_abort( struct ws_http_client *client );
void ws_http_client_free( struct ws_http_client *client );
void ws_http_response_free( struct ws_http_response *response );   /* frees its contents, not RESPONSE */

/* One request in steps, for the streamed transfer modes (docs/transport.md,
 * "Streamed transfer modes"): ws_http_client_call_start sends REQUEST (head
 * and body, with Content-Length); ws_http_client_call_response receives the
 * response head and, with READ_BODY, the whole body as ws_http_client_send
 * does; otherwise (2xx, or 500 with a content type: a SOAP fault) the body is
 * left for ws_http_client_call_read (*GOT 0: its end) and the result is S_OK.
 * Freeing a call closes its request (a body not read to its end ends the
 * connection).  ws_http_client_abort ends every step in progress with
 * WS_E_OPERATION_ABORTED.  Request bodies are not sent in chunks: Wine 8's
 * WinHTTP adds Content-Length: 0 to a request sent with
 * WINHTTP_IGNORE_REQUEST_TOTAL_LENGTH and Transfer-Encoding: chunked. */
struct ws_http_client_call;
HRESULT ws_http_client_call_start( struct ws_http_client *client, const struct ws_http_client_request *request,
                                   struct ws_http_client_call **ret, WS_ERROR *error );
HRESULT ws_http_client_call_response( struct ws_http_client_call *call, struct ws_http_response *response,
                                      BOOL read_body, WS_ERROR *error );
HRESULT ws_http_client_call_read( struct ws_http_client_call *call, void *buf, ULONG size, ULONG *got,
                                  WS_ERROR *error );
void ws_http_client_call_free( struct ws_http_client_call *call );

/*
 * Server: an HTTP/1.1 server on a TCP listener (ws_conn_listener_create_tcp:
 * HOST "+", "*", "localhost", a name or a literal; PORT 0 picks one) for one
 * PATH (the listener URL's decoded path).  A thread accepts connections and
 * one thread per connection reads its requests; ws_http_server_accept returns
 * the next complete POST request for PATH, from a new connection or the next
 * one on a kept-alive connection.  The server itself answers, and does not
 * return: other paths 404, other methods 405 (both keep the connection),
 * malformed requests 400, unsupported versions 505, unsupported transfer
 * codings 501, unmet expectations 417, header blocks over max_header_size
 * 431, bodies over max_body_size 413 (these close the connection); a client
 * that disconnects or is slower than receive_timeout is dropped.  None of
 * this affects other connections.
 *
 * Each returned request must get exactly one ws_http_request_respond (which
 * keeps the connection for the next request when both sides allow keep-alive)
 * and then ws_http_request_free; freeing it unanswered closes its connection.
 * Requests may outlive the server (answering then fails).  ws_http_server_abort
 * (any thread, final) ends pending and later accepts with
 * WS_E_OPERATION_ABORTED; ws_http_server_free aborts, waits for the server's
 * threads to end and frees it (it must not race with an accept: abort, let
 * accepts return, then free).  The remote address of a request is not
 * available yet: transport.c has no accessor for a connection's peer.
 */
struct ws_http_server_settings
{
    ULONG max_body_size;              /* the channel's max buffered message size */
    ULONG max_header_size;            /* request line + headers (MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE) */
    ULONG receive_timeout;            /* ms to receive a request once its first byte arrived */
    ULONG idle_timeout;               /* ms a connection may wait for its next request */
    ULONG send_timeout;               /* ms for the responses the server writes itself */
};

struct ws_http_request_info
{
    const char *method;
    ULONG method_len;
    const char *target;               /* request-target as received: path and query */
    ULONG target_len;
    const struct ws_http_header *headers;
    ULONG header_count;
    const struct ws_http_header *content_type;   /* NULL when absent */
    const struct ws_http_header *soap_action;    /* NULL when absent; value as received (quoted) */
    const BYTE *body;                 /* Content-Length or de-chunked body */
    ULONG body_len;
    ULONG connection_id;              /* equal for requests received on one connection */
};

struct ws_http_server;
struct ws_http_request;
HRESULT ws_http_server_create( const WCHAR *host, ULONG host_len, USHORT port, WS_IP_VERSION ip_version,
                               const WCHAR *path, ULONG path_len, const struct ws_http_server_settings *settings,
                               struct ws_http_server **ret, WS_ERROR *error );
USHORT ws_http_server_port( const struct ws_http_server *server );
HRESULT ws_http_server_accept( struct ws_http_server *server, ULONG timeout, struct ws_http_request **ret,
                               WS_ERROR *error );
/* Same, also ending with WS_E_OPERATION_ABORTED when CANCEL (an event, may be NULL) is
 * or becomes signalled: a channel's own abort of its pending accept. */
HRESULT ws_http_server_accept_cancel( struct ws_http_server *server, ULONG timeout, HANDLE cancel,
                                      struct ws_http_request **ret, WS_ERROR *error );
void ws_http_server_abort( struct ws_http_server *server );
void ws_http_server_free( struct ws_http_server *server );
const struct ws_http_request_info *ws_http_request_get_info( const struct ws_http_request *request );
/* "http://" + the Host header (else localhost:port) + the path and query, for
 * WS_CHANNEL_PROPERTY_TRANSPORT_URL; malloc'ed (free), NULL when out of memory. */
WCHAR *ws_http_request_url( const struct ws_http_request *request, ULONG *len );
/* STATUS 200-999; CONTENT_TYPE may be NULL (no header); the body is sent with Content-Length.
 * A second answer is WS_E_INVALID_OPERATION. */
HRESULT ws_http_request_respond( struct ws_http_request *request, ULONG status, const char *content_type,
                                 ULONG content_type_len, const struct ws_http_header *headers, ULONG count,
                                 const void *body, ULONG body_len, ULONG timeout, WS_ERROR *error );
/* A streamed answer: the head with Transfer-Encoding: chunked, then one chunk
 * per ws_http_request_respond_chunk; LEN 0 sends the last chunk and ends the
 * answer (the connection may then carry the next request).  Freeing the
 * request before the last chunk closes the connection. */
HRESULT ws_http_request_respond_start( struct ws_http_request *request, ULONG status, const char *content_type,
                                       ULONG content_type_len, const struct ws_http_header *headers, ULONG count,
                                       ULONG timeout, WS_ERROR *error );
HRESULT ws_http_request_respond_chunk( struct ws_http_request *request, const void *data, ULONG len, ULONG timeout,
                                       WS_ERROR *error );
/* Any thread, final: a response being sent on the request's connection, and any later
 * one, ends with WS_E_OPERATION_ABORTED; the connection is closed. */
void ws_http_request_abort( struct ws_http_request *request );
void ws_http_request_free( struct ws_http_request *request );

/* http_binding.c: the WS_HTTP_CHANNEL_BINDING primitives (ws_http_channel_ops,
 * ws_http_listener_ops, declared in the channel section) over the client and
 * server above; docs/transport.md, "HTTP binding".  A client channel keeps one
 * ws_http_client and the last response, a service channel the request
 * WsAcceptChannel took from the listener's ws_http_server.
 * ws_http_channel_set_mapping: WS_CHANNEL_PROPERTY_HTTP_MESSAGE_MAPPING given at
 * channel creation (channel.c's apply_special_property); a deep copy is kept in
 * the channel's binding state. */
struct ws_channel;
HRESULT ws_http_channel_set_mapping( struct ws_channel *channel, const void *value, ULONG size, WS_ERROR *error );

/*
 * proxy.c: the service proxy (WS_SERVICE_PROXY)
 */
/* (proxy-area declarations go here) */

/*
 * operation.c: a WS_OPERATION_DESCRIPTION's parameters to and from message
 * bodies, for both sides of a call.  The body element of each message is a
 * WS_STRUCT_TYPE element; parameter i travels in field inputMessageIndex /
 * outputMessageIndex of it (0xffff: not in that message).  ARGS follow
 * WsCall's convention on the proxy side (input-only parameters point at
 * their value, parameters in the output message at the caller's pointer to
 * their storage); FRAME (service side) points at every parameter's storage.
 * Reads allocate on HEAP.  MESSAGE is being written (after WsWriteMessageStart
 * or the channel's write start) or read (after the read start).
 */
HRESULT ws_operation_check( const WS_OPERATION_DESCRIPTION *op, WS_ERROR *error );
HRESULT ws_operation_write_input( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, const void **args,
                                  WS_ERROR *error );
HRESULT ws_operation_read_output( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, const void **args,
                                  WS_HEAP *heap, WS_ERROR *error );
HRESULT ws_operation_read_input( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, void **frame,
                                 WS_HEAP *heap, WS_ERROR *error );
HRESULT ws_operation_write_output( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, void **frame,
                                   WS_ERROR *error );

/*
 * channel.c, listener.c: channels and listeners
 */
/* The body of a received fault message, read onto HEAP (the message's heap when NULL):
 * returns WS_E_ENDPOINT_FAULT_RECEIVED with the fault in ERROR (ws_fault_received). */
HRESULT ws_channel_read_fault( WS_MESSAGE *message, WS_HEAP *heap, WS_ERROR *error );
/* channel.c and listener.c hold the objects, their state machines and
 * property tables; each binding is a table of primitives: custom and
 * net.tcp/net.pipe sessions in channel.c and listener.c, HTTP in
 * http_binding.c, UDP in udp_binding.c.  A binding keeps its own state in
 * binding_state. */
struct ws_channel;
struct ws_listener;
struct ws_conn_listener;
struct session;

struct channel_ops
{
    HRESULT (*open)( struct ws_channel *channel, const WS_ENDPOINT_ADDRESS *address,
                     const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*close)( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*abort)( struct ws_channel *channel, WS_ERROR *error );
    HRESULT (*reset)( struct ws_channel *channel, WS_ERROR *error );
    void    (*free)( struct ws_channel *channel );
    HRESULT (*write_message_start)( struct ws_channel *channel, WS_MESSAGE *message,
                                    const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*write_message_end)( struct ws_channel *channel, WS_MESSAGE *message,
                                  const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*read_message_start)( struct ws_channel *channel, WS_MESSAGE *message,
                                   const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*read_message_end)( struct ws_channel *channel, WS_MESSAGE *message,
                                 const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*abandon_message)( struct ws_channel *channel, WS_MESSAGE *message, WS_ERROR *error );
    HRESULT (*shutdown_session)( struct ws_channel *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    /* Properties the binding answers itself (S_FALSE: use the table). */
    HRESULT (*get_property)( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, void *value,
                             ULONG size, WS_ERROR *error );
    HRESULT (*set_property)( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, const void *value,
                             ULONG size, WS_ERROR *error );
};

struct channel_props
{
    ULONG max_buffered_message_size;
    unsigned __int64 max_streamed_message_size;
    ULONG max_streamed_start_size;
    ULONG max_streamed_flush_size;
    WS_ENCODING encoding;
    WS_ENVELOPE_VERSION envelope_version;
    WS_ADDRESSING_VERSION addressing_version;
    ULONG max_session_dictionary_size;
    WS_CALLBACK_MODEL async_callback_model;
    WS_IP_VERSION ip_version;
    ULONG resolve_timeout;
    ULONG connect_timeout;
    ULONG send_timeout;
    ULONG receive_response_timeout;
    ULONG receive_timeout;
    ULONG close_timeout;
    BOOL enable_timeouts;
    WS_TRANSFER_MODE transfer_mode;
    ULONG multicast_interface;
    ULONG multicast_hops;
    WS_CUSTOM_CHANNEL_CALLBACKS custom_callbacks;
    BOOL no_delay;
    BOOL send_keep_alives;
    ULONG keep_alive_time;
    ULONG keep_alive_interval;
    ULONG max_http_server_connections;
    WS_CHANNEL_TYPE channel_type;
    ULONG trim_buffered_message_size;
    WS_CHANNEL_ENCODER encoder;
    WS_CHANNEL_DECODER decoder;
    WS_PROTECTION_LEVEL protection_level;
    WS_COOKIE_MODE cookie_mode;
    WS_HTTP_PROXY_SETTING_MODE http_proxy_setting_mode;
    BOOL enable_http_redirect;
    WS_HTTP_REDIRECT_CALLBACK_CONTEXT http_redirect_callback_context;
    BOOL faults_as_errors;
    BOOL allow_unsecured_faults;
    ULONG max_http_request_headers_buffer_size;
};

struct ws_channel
{
    struct ws_object obj;             /* obj.state: WS_CHANNEL_STATE */
    WS_CHANNEL_BINDING binding;
    BOOL server;                      /* made by WsCreateChannelForListener */
    const struct channel_ops *ops;
    struct channel_props props;
    BOOL explicit_timeouts[WS_CHANNEL_PROPERTY_CLOSE_TIMEOUT + 1];
    void *custom_params;              /* copy of WS_CHANNEL_PROPERTY_CUSTOM_CHANNEL_PARAMETERS */
    ULONG custom_params_size;
    void *custom_instance;            /* from createChannelCallback */
    BOOL session_shut_down;
    struct session *session;          /* net.tcp / net.pipe connection; NULL until open or accepted */
    void *binding_state;              /* the HTTP / UDP binding's state (http_binding.c, udp_binding.c) */
};

struct listener_ops
{
    HRESULT (*open)( struct ws_listener *listener, const WS_STRING *url, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*close)( struct ws_listener *listener, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    HRESULT (*abort)( struct ws_listener *listener, WS_ERROR *error );
    HRESULT (*reset)( struct ws_listener *listener, WS_ERROR *error );
    void    (*free)( struct ws_listener *listener );
    HRESULT (*accept)( struct ws_listener *listener, WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
    /* S_FALSE: the property table answers. */
    HRESULT (*get_property)( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, void *value, ULONG size, WS_ERROR *error );
    HRESULT (*set_property)( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, const void *value, ULONG size, WS_ERROR *error );
};

struct listener_props
{
    ULONG listen_backlog;
    WS_IP_VERSION ip_version;
    WS_CALLBACK_MODEL async_callback_model;
    WS_CHANNEL_TYPE channel_type;
    WS_CHANNEL_BINDING channel_binding;
    ULONG connect_timeout;
    BOOL is_multicast;
    BOOL multicast_loopback;
    ULONG close_timeout;
    ULONG to_header_matching_options;
    ULONG transport_url_matching_options;
    WS_CUSTOM_LISTENER_CALLBACKS custom_callbacks;
};

struct ws_listener
{
    struct ws_object obj;             /* obj.state: WS_LISTENER_STATE */
    const struct listener_ops *ops;
    struct listener_props props;
    ULONG *multicast_interfaces;      /* WS_LISTENER_PROPERTY_MULTICAST_INTERFACES */
    ULONG multicast_interface_count;
    void *custom_params;              /* copy of WS_LISTENER_PROPERTY_CUSTOM_LISTENER_PARAMETERS */
    ULONG custom_params_size;
    void *custom_instance;            /* from createListenerCallback */
    struct ws_conn_listener *conn;    /* net.tcp / net.pipe listening socket or pipe, while open */
    WCHAR *path;                      /* path of the URL given to WsOpenListener */
    ULONG path_len;
    ULONG accepts;                    /* WsAcceptChannel calls using CONN */
    struct ws_accepting *accepting;   /* their channels, which WsAbortListener aborts (listener.c) */
    CONDITION_VARIABLE accepts_done;  /* signalled when ACCEPTS drops to 0 */
    void *binding_state;              /* the HTTP / UDP binding's state (http_binding.c, udp_binding.c) */
};

extern const struct channel_ops ws_http_channel_ops;     /* http_binding.c */
extern const struct channel_ops ws_udp_channel_ops;      /* udp_binding.c */
extern const struct listener_ops ws_http_listener_ops;   /* http_binding.c */
extern const struct listener_ops ws_udp_listener_ops;    /* udp_binding.c */

/* Channel state changes for bindings: FROM -> TO under the lock, else
 * WS_E_INVALID_OPERATION naming WHAT; finish sets TO unless an abort made the
 * channel faulted meanwhile (the state is then no longer EXPECTED). */
HRESULT ws_channel_change_state( struct ws_channel *channel, WS_CHANNEL_STATE from, WS_CHANNEL_STATE to,
                                 const char *what, WS_ERROR *error );
void ws_channel_finish_state( struct ws_channel *channel, WS_CHANNEL_STATE expected, WS_CHANNEL_STATE to );
/* The properties every non-custom binding answers the same way (state,
 * session shut-down, transport URL of session channels...); S_FALSE: the table answers. */
HRESULT ws_channel_transport_get_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, void *value,
                                           ULONG size, WS_ERROR *error );
HRESULT ws_channel_transport_set_property( struct ws_channel *channel, WS_CHANNEL_PROPERTY_ID id, const void *value,
                                           ULONG size, WS_ERROR *error );
HRESULT ws_listener_transport_get_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, void *value,
                                            ULONG size, WS_ERROR *error );
HRESULT ws_listener_transport_set_property( struct ws_listener *listener, WS_LISTENER_PROPERTY_ID id, const void *value,
                                            ULONG size, WS_ERROR *error );
/* Addresses MESSAGE to URL (WsAddressMessage) unless it is addressed already. */
HRESULT ws_channel_address_message( WS_MESSAGE *message, const WCHAR *url, ULONG url_len, WS_ERROR *error );
/* The channel's WS_CHANNEL_PROPERTY_ENCODING applied to a writer (a new
 * buffer output) or a reader (buffer input DATA); the binary encodings take
 * the static dictionary plus the given session dictionary callback / dictionary. */
HRESULT ws_channel_set_writer_output( struct ws_channel *channel, WS_XML_WRITER *writer,
                                      WS_DYNAMIC_STRING_CALLBACK dynamic_string, void *dynamic_string_state,
                                      WS_ERROR *error );
HRESULT ws_channel_set_reader_input( struct ws_channel *channel, WS_XML_READER *reader, const BYTE *data, ULONG len,
                                     WS_XML_DICTIONARY *dynamic_dictionary, WS_ERROR *error );
/* The same with stream output / input (the streamed transfer modes): the
 * writer calls CALLBACK when flushed, the reader when filled; PROPS (COUNT)
 * are passed to WsSetOutput / WsSetInput (buffer and stream sizes). */
HRESULT ws_channel_set_writer_stream( struct ws_channel *channel, WS_XML_WRITER *writer, WS_WRITE_CALLBACK callback,
                                      void *state, const WS_XML_WRITER_PROPERTY *props, ULONG count, WS_ERROR *error );
HRESULT ws_channel_set_reader_stream( struct ws_channel *channel, WS_XML_READER *reader, WS_READ_CALLBACK callback,
                                      void *state, const WS_XML_READER_PROPERTY *props, ULONG count, WS_ERROR *error );

/* Makes the instance of a custom channel created by WsCreateChannelForListener
 * (the listener's createChannelForListenerCallback, bound to its instance). */
struct ws_custom_instance_factory
{
    HRESULT (*create)( void *context, const void *params, ULONG params_size, void **instance, WS_ERROR *error );
    void *context;
};
/* The channel WsCreateChannelForListener returns: a service-side channel of
 * the listener's type and binding, configured by PROPERTIES. */
HRESULT ws_channel_create_for_listener( WS_CHANNEL_TYPE type, WS_CHANNEL_BINDING binding,
                                        const WS_CHANNEL_PROPERTY *properties, ULONG count,
                                        const struct ws_custom_instance_factory *factory, WS_CHANNEL **channel,
                                        WS_ERROR *error );
/* WsAcceptChannel for net.tcp / net.pipe listeners: accepts the next
 * connection of LISTENER into CHANNEL and runs the receiver side of the
 * [MC-NMF] preamble; a via whose path is not PATH gets the EndpointNotFound fault. */
HRESULT ws_channel_accept_session( WS_CHANNEL *channel, struct ws_conn_listener *listener, const WCHAR *path,
                                   ULONG path_len, ULONG handshake_timeout, WS_ERROR *error );
/* The instance of a custom channel (NULL for other bindings). */
void *ws_channel_custom_instance( WS_CHANNEL *channel );
/* The message primitives behind WsWriteMessageStart/End and WsReadMessageStart/End. */
HRESULT ws_channel_write_message_start( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
HRESULT ws_channel_write_message_end( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
HRESULT ws_channel_read_message_start( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );
HRESULT ws_channel_read_message_end( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error );

/*
 * service_host.c, cancel.c: the service host and its operation contexts
 * =====================================================================
 *
 * Every piece of application code the host runs (a service operation through
 * its stub, the default message handler, the accept / close channel and
 * authorization callbacks) runs as one "call" with its own
 * WS_OPERATION_CONTEXT (struct ws_operation_context, a handle like every
 * other).  cancel.c owns the call's cancellation state:
 *
 *   begun --(WsRegisterOperationForCancel)--> registered
 *   any   --(ws_call_cancel: host abort / channel fault)--> cancelled (the
 *           cancel callback fires once, now if registered, else inside a
 *           later registration)
 *   any   --(ws_call_complete)--> completed: waits for a cancel callback
 *           still running, then fires the free-state callback once (only
 *           after a successful registration); no cancel callback after that.
 *
 * The host keeps every begun call on a list (ws_call_list) so that an abort
 * or a channel fault can reach them; the context's fields that
 * WsGetOperationContextProperty answers are set by the host before the call.
 */
enum ws_call_kind
{
    WS_CALL_OPERATION,        /* a service operation (stub callback) */
    WS_CALL_MESSAGE_HANDLER,  /* WS_SERVICE_CONTRACT.defaultMessageHandlerCallback */
    WS_CALL_ACCEPT_CHANNEL,   /* WS_SERVICE_ACCEPT_CHANNEL_CALLBACK */
    WS_CALL_CLOSE_CHANNEL,    /* WS_SERVICE_CLOSE_CHANNEL_CALLBACK */
    WS_CALL_AUTHORIZATION,    /* WS_SERVICE_SECURITY_CALLBACK */
};

struct ws_call_list
{
    SRWLOCK lock;
    struct ws_operation_context *head;
};

struct ws_operation_context
{
    struct ws_object obj;                 /* WS_OBJECT_OPERATION_CONTEXT; obj.lock guards the cancel state */
    enum ws_call_kind kind;
    /* what WsGetOperationContextProperty answers */
    WS_CHANNEL *channel;
    const WS_CONTRACT_DESCRIPTION *contract;
    void *host_user_state;
    void **channel_user_state;            /* the session's slot (NULL: none yet) */
    WS_MESSAGE *input;
    WS_MESSAGE *output;
    WS_HEAP *heap;
    WS_LISTENER *listener;
    const WS_ENDPOINT_ADDRESS *endpoint_address;
    /* cancellation (cancel.c) */
    const void *session;                  /* which channel's calls a channel fault cancels */
    struct ws_call_list *list;
    struct ws_operation_context *prev, *next, *fire_next;
    BOOL registered, cancelled, fired, completed;
    WS_SERVICE_CANCEL_REASON reason;
    WS_OPERATION_CANCEL_CALLBACK cancel_callback;
    WS_OPERATION_FREE_STATE_CALLBACK free_state_callback;
    void *user_state;
    LONG cancels_running;
    CONDITION_VARIABLE cancel_done;
};

void ws_call_list_init( struct ws_call_list *list );
/* Puts CTX (fields above set, cancel state cleared) on LIST before its code runs. */
void ws_call_begin( struct ws_call_list *list, struct ws_operation_context *ctx, const void *session );
/* The call returned (or called its completion): off the list, free-state callback. */
void ws_call_complete( struct ws_operation_context *ctx );
/* Cancels one begun call (from its own thread) with REASON. */
void ws_call_cancel( struct ws_operation_context *ctx, WS_SERVICE_CANCEL_REASON reason );
/* Cancels the calls of LIST that belong to SESSION (NULL: all) with REASON. */
void ws_call_cancel_all( struct ws_call_list *list, const void *session, WS_SERVICE_CANCEL_REASON reason );

/* proxy.c: the binding of a template without security and the channel
 * properties of its policy description then its template (malloc'ed). */
HRESULT ws_template_channel_properties( WS_BINDING_TEMPLATE_TYPE type, const void *template_value,
                                        ULONG template_size, const void *description, ULONG description_size,
                                        WS_CHANNEL_BINDING *binding, WS_CHANNEL_PROPERTY **props, ULONG *count,
                                        WS_ERROR *error );

/* operation.c: the call frame (wsutil's ParamStruct) of a service operation:
 * one member per parameter in natural C layout; OFFSETS[i] (parameterCount
 * entries) receives member i's offset and *SIZE the frame size. */
HRESULT ws_operation_frame_layout( const WS_OPERATION_DESCRIPTION *op, ULONG *offsets, ULONG *size, WS_ERROR *error );

#endif /* __WEBSERVICES_PRIVATE_H */
