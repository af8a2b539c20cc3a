/*
 * The handle scheme and the table-driven property mechanism shared by every
 * object of the DLL.  webservices_private.h documents both.
 */

#include <string.h>
#include "webservices_private.h"

static const char * const type_names[WS_OBJECT_TYPE_COUNT] =
{
    [WS_OBJECT_HEAP]              = "WS_HEAP",
    [WS_OBJECT_ERROR]             = "WS_ERROR",
    [WS_OBJECT_XML_READER]        = "WS_XML_READER",
    [WS_OBJECT_XML_WRITER]        = "WS_XML_WRITER",
    [WS_OBJECT_XML_BUFFER]        = "WS_XML_BUFFER",
    [WS_OBJECT_MESSAGE]           = "WS_MESSAGE",
    [WS_OBJECT_CHANNEL]           = "WS_CHANNEL",
    [WS_OBJECT_LISTENER]          = "WS_LISTENER",
    [WS_OBJECT_SERVICE_PROXY]     = "WS_SERVICE_PROXY",
    [WS_OBJECT_SERVICE_HOST]      = "WS_SERVICE_HOST",
    [WS_OBJECT_OPERATION_CONTEXT] = "WS_OPERATION_CONTEXT",
    [WS_OBJECT_SECURITY_TOKEN]    = "WS_SECURITY_TOKEN",
    [WS_OBJECT_SECURITY_CONTEXT]  = "WS_SECURITY_CONTEXT",
    [WS_OBJECT_METADATA]          = "WS_METADATA",
    [WS_OBJECT_POLICY]            = "WS_POLICY",
};

const char *ws_object_type_name( enum ws_object_type type )
{
    if ((unsigned int)type >= WS_OBJECT_TYPE_COUNT) return "unknown object";
    return type_names[type];
}

/* For objects that live in memory they do not own (an XML buffer lives on its WS_HEAP). */
void ws_object_init( struct ws_object *obj, enum ws_object_type type )
{
    obj->magic = WS_OBJECT_MAGIC(type);
    obj->type  = type;
    obj->state = 0;
    InitializeSRWLock( &obj->lock );
}

/* Live objects per type (ws_object_alloc minus ws_object_free), for the
 * tests' leak checks through the private test-access table. */
static LONG live_objects[WS_OBJECT_TYPE_COUNT];

ULONG ws_object_live_count( enum ws_object_type type )
{
    if ((unsigned int)type >= WS_OBJECT_TYPE_COUNT) return 0;
    return (ULONG)InterlockedCompareExchange( &live_objects[type], 0, 0 );
}

void *ws_object_alloc( enum ws_object_type type, size_t size )
{
    struct ws_object *obj;

    if (size < sizeof(*obj)) size = sizeof(*obj);
    if (!(obj = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, size ))) return NULL;
    ws_object_init( obj, type );
    if ((unsigned int)type < WS_OBJECT_TYPE_COUNT)
    {
        InterlockedIncrement( &live_objects[type] );
        obj->counted = TRUE;
    }
    return obj;
}

void ws_object_free( void *ptr )
{
    struct ws_object *obj = ptr;

    if (!obj) return;
    /* Poison the tag first: a handle used after this is rejected by
     * ws_object_is() for as long as the memory still reads back. */
    /* (Some objects poison their tag themselves before they get here.) */
    if (obj->counted)
    {
        obj->counted = FALSE;
        InterlockedDecrement( &live_objects[obj->type] );
    }
    obj->magic = WS_OBJECT_MAGIC_FREED;
    HeapFree( GetProcessHeap(), 0, obj );
}

/* The slow path of WS_CHECK_HANDLE: say what was wrong with the handle. */
HRESULT ws_object_check( const void *handle, enum ws_object_type type, const char *name, WS_ERROR *error )
{
    const struct ws_object *obj = handle;
    unsigned int other;

    if (!obj) return ws_error_set( error, E_INVALIDARG, "%s is NULL", name );
    if (obj->magic == WS_OBJECT_MAGIC(type)) return S_OK;
    if (obj->magic == WS_OBJECT_MAGIC_FREED)
        return ws_error_set( error, E_INVALIDARG, "%s %p is a freed %s", name, handle, ws_object_type_name( type ) );
    for (other = 0; other < WS_OBJECT_TYPE_COUNT; other++)
        if (obj->magic == WS_OBJECT_MAGIC(other))
            return ws_error_set( error, E_INVALIDARG, "%s %p is a %s, not a %s", name, handle,
                                 ws_object_type_name( other ), ws_object_type_name( type ) );
    return ws_error_set( error, E_INVALIDARG, "%s %p is not a %s handle", name, handle, ws_object_type_name( type ) );
}

/* ---- properties ---------------------------------------------------------- */

const struct ws_prop_desc *ws_prop_find( const struct ws_prop_table *table, ULONG id )
{
    ULONG i;

    /* Ids are small and mostly dense: try the slot first, then scan. */
    if (id < table->count && table->desc[id].id == id) return &table->desc[id];
    for (i = 0; i < table->count; i++)
        if (table->desc[i].id == id) return &table->desc[i];
    return NULL;
}

void ws_props_init( const struct ws_prop_table *table, void *values )
{
    ULONG i;

    for (i = 0; i < table->count; i++)
    {
        const struct ws_prop_desc *desc = &table->desc[i];
        BYTE *field = (BYTE *)values + desc->offset;

        if (desc->dflt) memcpy( field, desc->dflt, desc->size );
        else memset( field, 0, desc->size );
    }
}

/* Common checks of Get/Set/creation: known id, allowed access, exact size. */
static HRESULT check_access( const struct ws_prop_table *table, const struct ws_prop_desc *desc, ULONG id,
                             ULONG access, const void *value, ULONG size, WS_ERROR *error )
{
    static const char * const verbs[] = { "read", "set", "given at creation" };
    const char *verb = access == WS_PROP_GET ? verbs[0] : access == WS_PROP_SET ? verbs[1] : verbs[2];

    if (!desc) return ws_error_set( error, E_INVALIDARG, "%s property %lu does not exist", table->object, id );
    if (!(desc->access & access))
        return ws_error_set( error, E_INVALIDARG, "%s property %lu cannot be %s", table->object, id, verb );
    if (!value) return ws_error_set( error, E_INVALIDARG, "%s property %lu: value is NULL", table->object, id );
    if (size != desc->size)
        return ws_error_set( error, E_INVALIDARG, "%s property %lu: size %lu, expected %lu", table->object, id,
                             size, desc->size );
    return S_OK;
}

static HRESULT store( const struct ws_prop_table *table, const struct ws_prop_desc *desc, void *values,
                      const void *value, WS_ERROR *error )
{
    HRESULT hr;

    if (table->validate && FAILED(hr = table->validate( desc->id, value, error ))) return hr;
    memcpy( (BYTE *)values + desc->offset, value, desc->size );
    return S_OK;
}

HRESULT ws_props_apply( const struct ws_prop_table *table, void *values, const struct ws_prop_entry *props,
                        ULONG count, WS_ERROR *error )
{
    ULONG i;
    HRESULT hr;

    if (count && !props)
        return ws_error_set( error, E_INVALIDARG, "%lu %s properties but the array is NULL", count, table->object );
    for (i = 0; i < count; i++)
    {
        const struct ws_prop_desc *desc = ws_prop_find( table, props[i].id );

        if (FAILED(hr = check_access( table, desc, props[i].id, WS_PROP_INIT, props[i].value, props[i].valueSize,
                                      error )))
            return hr;
        if (FAILED(hr = store( table, desc, values, props[i].value, error ))) return hr;
    }
    return S_OK;
}

HRESULT ws_props_get( const struct ws_prop_table *table, const void *values, ULONG id, void *buf, ULONG size,
                      WS_ERROR *error )
{
    const struct ws_prop_desc *desc = ws_prop_find( table, id );
    HRESULT hr;

    if (FAILED(hr = check_access( table, desc, id, WS_PROP_GET, buf, size, error ))) return hr;
    memcpy( buf, (const BYTE *)values + desc->offset, desc->size );
    return S_OK;
}

HRESULT ws_props_set( const struct ws_prop_table *table, void *values, ULONG id, const void *value, ULONG size,
                      WS_ERROR *error )
{
    const struct ws_prop_desc *desc = ws_prop_find( table, id );
    HRESULT hr;

    if (FAILED(hr = check_access( table, desc, id, WS_PROP_SET, value, size, error ))) return hr;
    return store( table, desc, values, value, error );
}

/* Replaces *COPY (malloc) with a copy of SIZE bytes at VALUE, for
 * arbitrary-size creation properties (custom channel/listener parameters...). */
HRESULT ws_copy_blob( const void *value, ULONG size, void **copy, ULONG *copy_size, const char *what, WS_ERROR *error )
{
    void *buf = NULL;

    if (size && !value) return ws_error_set( error, E_INVALIDARG, "%s value is NULL", what );
    if (size && !(buf = malloc( size ))) return ws_error_set( error, E_OUTOFMEMORY, "out of memory copying %s", what );
    if (size) memcpy( buf, value, size );
    free( *copy );
    *copy = buf;
    *copy_size = size;
    return S_OK;
}
