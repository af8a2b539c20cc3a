/*
 * Heaps (WS_HEAP)
 *
 * A heap is a bump allocator over a list of chunks obtained from the process
 * heap.  WsAlloc is a quota check plus a pointer bump in the common case; a
 * new chunk (no system call when a retained one fits) is needed only when the
 * current one is full.  Chunks grow geometrically so a busy heap settles on a
 * few large ones; a request too big for that gets a chunk of its own and
 * leaves the current bump region alone.  WsResetHeap keeps chunks up to the
 * trim size for reuse and returns the rest.  Heaps are not thread safe (per
 * the documentation), so nothing here locks.
 *
 * Accounting follows the documentation: WS_HEAP_PROPERTY_REQUESTED_SIZE is
 * the sum of the sizes passed to WsAlloc since creation or the last reset and
 * may not exceed WS_HEAP_PROPERTY_MAX_SIZE; WS_HEAP_PROPERTY_ACTUAL_SIZE is
 * what the heap holds from the system (chunks, headers included).
 */

#include <string.h>
#include "webservices_private.h"

#define HEAP_ALIGN          8           /* documented: 8-byte aligned */
#define MIN_CHUNK_SIZE      4096
#define MAX_CHUNK_SIZE      (256 * 1024)

/* A block of memory from the system; the allocations follow the header. */
struct chunk
{
    struct chunk *next;
    SIZE_T size;                        /* total bytes, header included */
} __attribute__((aligned(HEAP_ALIGN)));

struct heap_props
{
    SIZE_T max_size;
    SIZE_T trim_size;
    SIZE_T requested_size;
    SIZE_T actual_size;
};

struct ws_heap
{
    struct ws_object obj;
    BYTE *cur;                          /* bump region: [cur, end) */
    BYTE *end;
    struct heap_props props;
    struct chunk *chunks;               /* chunks holding allocations */
    struct chunk *spare;                /* empty chunks kept by WsResetHeap */
    SIZE_T next_chunk_size;
};

/* Where zero-byte allocations point while the heap has no chunk: the
 * documentation wants a non-NULL pointer, and nothing is ever stored there. */
static ULONGLONG empty_region;

static const struct ws_prop_desc heap_prop_desc[] =
{
    WS_PROP( WS_HEAP_PROPERTY_MAX_SIZE,       struct heap_props, max_size,       WS_PROP_CREATE,    NULL ),
    WS_PROP( WS_HEAP_PROPERTY_TRIM_SIZE,      struct heap_props, trim_size,      WS_PROP_CREATE,    NULL ),
    WS_PROP( WS_HEAP_PROPERTY_REQUESTED_SIZE, struct heap_props, requested_size, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_HEAP_PROPERTY_ACTUAL_SIZE,    struct heap_props, actual_size,    WS_PROP_READ_ONLY, NULL ),
};

static const struct ws_prop_table heap_prop_table = WS_PROP_TABLE( "heap", heap_prop_desc, NULL );

static inline SIZE_T align_size( SIZE_T size )
{
    return (size + HEAP_ALIGN - 1) & ~(SIZE_T)(HEAP_ALIGN - 1);
}

static inline SIZE_T chunk_capacity( const struct chunk *chunk )
{
    return chunk->size - sizeof(*chunk);
}

static inline BOOL within_quota( const struct ws_heap *heap, SIZE_T size )
{
    /* requested_size <= max_size always holds, so this cannot wrap. */
    return size <= heap->props.max_size - heap->props.requested_size;
}

static struct chunk *new_chunk( struct ws_heap *heap, SIZE_T capacity )
{
    struct chunk *chunk;
    SIZE_T size = sizeof(*chunk) + capacity;

    if (size < capacity || !(chunk = HeapAlloc( GetProcessHeap(), 0, size ))) return NULL;
    chunk->size = size;
    heap->props.actual_size += size;
    return chunk;
}

static void free_chunk_list( struct chunk *chunk )
{
    while (chunk)
    {
        struct chunk *next = chunk->next;
        HeapFree( GetProcessHeap(), 0, chunk );
        chunk = next;
    }
}

/* A retained chunk that can hold SIZE bytes, unlinked from the spare list. */
static struct chunk *take_spare( struct ws_heap *heap, SIZE_T size )
{
    struct chunk **prev;

    for (prev = &heap->spare; *prev; prev = &(*prev)->next)
    {
        struct chunk *chunk = *prev;
        if (chunk_capacity( chunk ) < size) continue;
        *prev = chunk->next;
        return chunk;
    }
    return NULL;
}

/* Capacity of the next bump chunk: geometric growth, but no larger than the
 * quota left could ever use (a heap with a small max size stays small). */
static SIZE_T next_capacity( struct ws_heap *heap, SIZE_T size )
{
    SIZE_T capacity = heap->next_chunk_size - sizeof(struct chunk);
    SIZE_T usable = heap->props.max_size - heap->props.requested_size;

    if (usable < capacity) capacity = align_size( usable ) + 8 * HEAP_ALIGN;
    if (capacity < size) capacity = size;
    if (heap->next_chunk_size < MAX_CHUNK_SIZE) heap->next_chunk_size *= 2;
    return capacity;
}

/* The current chunk cannot hold SIZE (aligned) bytes. */
static void * __attribute__((noinline)) alloc_slow( struct ws_heap *heap, SIZE_T size )
{
    struct chunk *chunk;

    if ((chunk = take_spare( heap, size )))
        ;
    else if (size >= heap->next_chunk_size / 2 && heap->cur != heap->end)
    {
        /* A big block while the current chunk still has room: give it a
         * chunk of its own and keep bumping in the current one. */
        if (!(chunk = new_chunk( heap, size ))) return NULL;
        if (heap->chunks)
        {
            chunk->next = heap->chunks->next;
            heap->chunks->next = chunk;
        }
        else
        {
            chunk->next = NULL;
            heap->chunks = chunk;
        }
        return chunk + 1;
    }
    else if (!(chunk = new_chunk( heap, next_capacity( heap, size )))) return NULL;

    chunk->next = heap->chunks;
    heap->chunks = chunk;
    heap->cur = (BYTE *)(chunk + 1) + size;
    heap->end = (BYTE *)chunk + chunk->size;
    return chunk + 1;
}

/* The common path of every allocation; the caller checked the quota. */
static inline void *heap_bump( struct ws_heap *heap, SIZE_T size )
{
    SIZE_T aligned = align_size( size );
    void *ptr;

    if (aligned < size) return NULL;    /* SIZE_T overflow: cannot exist */
    if (aligned <= (SIZE_T)(heap->end - heap->cur))
    {
        ptr = heap->cur;
        heap->cur += aligned;
    }
    else if (!(ptr = alloc_slow( heap, aligned ))) return NULL;
    heap->props.requested_size += size;
    return ptr;
}

/* ---- internal interface ------------------------------------------------- */

void *ws_heap_alloc( WS_HEAP *handle, SIZE_T size )
{
    struct ws_heap *heap = (struct ws_heap *)handle;

    if (!within_quota( heap, size )) return NULL;
    return heap_bump( heap, size );
}

void *ws_heap_alloc_zero( WS_HEAP *handle, SIZE_T size )
{
    void *ptr = ws_heap_alloc( handle, size );

    if (ptr) memset( ptr, 0, size );
    return ptr;
}

void *ws_heap_realloc( WS_HEAP *handle, void *ptr, SIZE_T old_size, SIZE_T new_size )
{
    struct ws_heap *heap = (struct ws_heap *)handle;
    SIZE_T old_aligned = align_size( old_size ), new_aligned = align_size( new_size ), grow;
    void *ret;

    if (!ptr) return ws_heap_alloc( handle, new_size );
    if (new_size <= old_size) return ptr;

    /* The most recent allocation of the current chunk grows in place. */
    grow = new_aligned - old_aligned;
    if ((BYTE *)ptr + old_aligned == heap->cur && new_aligned >= new_size && grow <= (SIZE_T)(heap->end - heap->cur))
    {
        if (!within_quota( heap, new_size - old_size )) return NULL;
        heap->cur += grow;
        heap->props.requested_size += new_size - old_size;
        return ptr;
    }
    if (!(ret = ws_heap_alloc( handle, new_size ))) return NULL;
    memcpy( ret, ptr, old_size );
    return ret;
}

HRESULT ws_heap_alloc_hr( WS_HEAP *handle, SIZE_T size, void **ptr, WS_ERROR *error )
{
    struct ws_heap *heap = (struct ws_heap *)handle;
    void *ret;

    if (!within_quota( heap, size ))
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED,
                             "heap %p: allocating %zu bytes would exceed the heap's max size of %zu bytes "
                             "(%zu already requested)", handle, (size_t)size, (size_t)heap->props.max_size,
                             (size_t)heap->props.requested_size );
    if (!(ret = heap_bump( heap, size )))
        return ws_error_set( error, E_OUTOFMEMORY, "heap %p: out of memory allocating %zu bytes", handle,
                             (size_t)size );
    *ptr = ret;
    return S_OK;
}

static struct ws_heap *alloc_heap( SIZE_T max_size, SIZE_T trim_size )
{
    struct ws_heap *heap;

    if (!(heap = ws_object_alloc( WS_OBJECT_HEAP, sizeof(*heap) ))) return NULL;
    ws_props_init( &heap_prop_table, &heap->props );
    heap->props.max_size  = max_size;
    heap->props.trim_size = trim_size;
    heap->cur = heap->end = (BYTE *)&empty_region;
    heap->next_chunk_size = MIN_CHUNK_SIZE;
    return heap;
}

static void free_heap( struct ws_heap *heap )
{
    free_chunk_list( heap->chunks );
    free_chunk_list( heap->spare );
    ws_object_free( heap );
}

HRESULT ws_heap_create_with_properties( SIZE_T default_max, SIZE_T default_trim, const WS_HEAP_PROPERTY *properties,
                                        ULONG count, WS_HEAP **handle, WS_ERROR *error )
{
    struct ws_heap *heap;
    HRESULT hr;

    if (!(heap = alloc_heap( default_max, default_trim )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory creating a heap" );
    if (FAILED(hr = WS_PROPS_APPLY( &heap_prop_table, &heap->props, properties, count, error )))
    {
        free_heap( heap );
        return hr;
    }
    *handle = (WS_HEAP *)heap;
    return S_OK;
}

/* ---- exported functions -------------------------------------------------- */

HRESULT WINAPI WsCreateHeap( SIZE_T maxSize, SIZE_T trimSize, const WS_HEAP_PROPERTY *properties, ULONG propertyCount,
                             WS_HEAP **heap, WS_ERROR *error )
{
    struct ws_heap *ret;

    TRACE( "%zu %zu %p %lu %p %p\n", (size_t)maxSize, (size_t)trimSize, properties, propertyCount, heap, error );

    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    /* Documented as reserved (NULL, 0): the sizes come from the parameters. */
    if (propertyCount)
        return ws_error_set( error, E_INVALIDARG, "heap properties are reserved: propertyCount must be 0, not %lu",
                             propertyCount );
    if (!(ret = alloc_heap( maxSize, trimSize )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory creating a heap" );
    *heap = (WS_HEAP *)ret;
    TRACE( "created %p\n", ret );
    return S_OK;
}

HRESULT WINAPI WsAlloc( WS_HEAP *heap, SIZE_T size, void **ptr, WS_ERROR *error )
{
    struct ws_heap *obj = (struct ws_heap *)heap;
    void *ret;

    TRACE( "%p %zu %p %p\n", heap, (size_t)size, ptr, error );

    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!ptr) return ws_error_set( error, E_INVALIDARG, "ptr is NULL" );
    /* The fast path: quota check and bump, as ws_heap_alloc_hr but inline. */
    if (within_quota( obj, size ) && (ret = heap_bump( obj, size )))
    {
        *ptr = ret;
        return S_OK;
    }
    return ws_heap_alloc_hr( heap, size, ptr, error );
}

HRESULT WINAPI WsGetHeapProperty( WS_HEAP *heap, WS_HEAP_PROPERTY_ID id, void *value, ULONG valueSize,
                                  WS_ERROR *error )
{
    struct ws_heap *obj = (struct ws_heap *)heap;

    TRACE( "%p %d %p %lu %p\n", heap, id, value, valueSize, error );

    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    return ws_props_get( &heap_prop_table, &obj->props, id, value, valueSize, error );
}

/* Keep empty chunks for reuse up to the trim size, return the rest. */
static void trim_chunks( struct ws_heap *heap )
{
    struct chunk *chunk = heap->chunks, *next, *keep = NULL;
    SIZE_T kept = 0;

    /* Put the spare chunks after the used ones: one list to sort out. */
    if (!chunk) chunk = heap->spare;
    else
    {
        struct chunk *last = chunk;
        while (last->next) last = last->next;
        last->next = heap->spare;
    }
    for (; chunk; chunk = next)
    {
        next = chunk->next;
        if (chunk->size <= heap->props.trim_size - kept)
        {
            chunk->next = keep;
            keep = chunk;
            kept += chunk->size;
        }
        else HeapFree( GetProcessHeap(), 0, chunk );
    }
    heap->chunks = NULL;
    heap->spare = keep;
    heap->props.actual_size = kept;
}

HRESULT WINAPI WsResetHeap( WS_HEAP *heap, WS_ERROR *error )
{
    struct ws_heap *obj = (struct ws_heap *)heap;

    TRACE( "%p %p\n", heap, error );

    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    trim_chunks( obj );
    obj->cur = obj->end = (BYTE *)&empty_region;
    obj->props.requested_size = 0;
    return S_OK;
}

void WINAPI WsFreeHeap( WS_HEAP *heap )
{
    TRACE( "%p\n", heap );

    if (!ws_object_is( heap, WS_OBJECT_HEAP ))
    {
        if (heap) WARN( "%p is not a heap\n", heap );
        return;
    }
    free_heap( (struct ws_heap *)heap );
}
