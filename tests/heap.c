/*
 * Tests for WS_HEAP: WsCreateHeap, WsAlloc, WsGetHeapProperty, WsResetHeap,
 * WsFreeHeap.
 *
 * Expected values come from Microsoft's documentation.  Where Wine's builtin
 * webservices.dll disagrees, the comment next to the check says why the
 * documented behaviour is the one tested.
 */

#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static SIZE_T get_heap_size( WS_HEAP *heap, WS_HEAP_PROPERTY_ID id )
{
    SIZE_T size = 0xdeadbeef;
    HRESULT hr = WsGetHeapProperty( heap, id, &size, sizeof(size), NULL );
    ok( hr == S_OK, "property %d: got %#lx\n", id, hr );
    return size;
}

static ULONG get_error_string_count( WS_ERROR *error )
{
    ULONG count = 0xdeadbeef;
    HRESULT hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == S_OK, "got %#lx\n", hr );
    return count;
}

static void test_WsCreateHeap(void)
{
    WS_HEAP_PROPERTY prop;
    SIZE_T max = 4096;
    WS_HEAP *heap;
    HRESULT hr;

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    heap = NULL;
    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( heap != NULL, "heap not set\n" );
    WsFreeHeap( heap );

    /* "properties: Reserved for future use; set to NULL.  propertyCount:
     * Reserved for future use; set to 0."  A non-empty array is refused
     * (Wine's builtin agrees); the out parameter is left alone on failure. */
    prop.id = WS_HEAP_PROPERTY_MAX_SIZE;
    prop.value = &max;
    prop.valueSize = sizeof(max);
    heap = (WS_HEAP *)0xdeadbeef;
    hr = WsCreateHeap( 1 << 16, 0, &prop, 1, &heap, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( heap == (WS_HEAP *)0xdeadbeef, "heap changed to %p\n", heap );

    /* A properties pointer with a zero count is the empty array. */
    heap = NULL;
    hr = WsCreateHeap( 1 << 16, 0, &prop, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeHeap( heap );

    /* Boundary sizes: nothing may be allocated from a zero-sized heap but
     * creating one is valid, and a trim size above the max size is allowed
     * ("the size of the heap will not be adjusted"). */
    heap = NULL;
    hr = WsCreateHeap( 0, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_MAX_SIZE ) == 0, "wrong max size\n" );
    WsFreeHeap( heap );

    heap = NULL;
    hr = WsCreateHeap( 100, 1000, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_TRIM_SIZE ) == 1000, "wrong trim size\n" );
    WsFreeHeap( heap );

    heap = NULL;
    hr = WsCreateHeap( ~(SIZE_T)0, ~(SIZE_T)0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_MAX_SIZE ) == ~(SIZE_T)0, "wrong max size\n" );
    WsFreeHeap( heap );
}

static void test_WsGetHeapProperty(void)
{
    BYTE buffer[2 * sizeof(SIZE_T)];
    SIZE_T size;
    WS_HEAP *heap;
    void *ptr;
    HRESULT hr;

    hr = WsCreateHeap( 1 << 16, 1 << 10, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* The documented values of a new heap: the sizes it was created with,
     * nothing requested, and "creating a new heap does not allocate any
     * memory (other than that required by the WS_HEAP structure itself)". */
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_MAX_SIZE ) == 1 << 16, "wrong max size\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_TRIM_SIZE ) == 1 << 10, "wrong trim size\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "wrong requested size\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE ) == 0, "wrong actual size\n" );

    hr = WsAlloc( heap, 100, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAlloc( heap, 3, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* The requested size is the sum of the sizes passed to WsAlloc, exactly
     * (no alignment padding); the actual size covers at least that. */
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 103, "wrong requested size\n" );
    size = get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE );
    ok( size >= 103, "actual size %zu\n", (size_t)size );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_MAX_SIZE ) == 1 << 16, "max size changed\n" );

    /* The value size must be that of the property (SIZE_T). */
    size = 0xdeadbeef;
    hr = WsGetHeapProperty( heap, WS_HEAP_PROPERTY_MAX_SIZE, &size, sizeof(size) - 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( size == 0xdeadbeef, "value changed\n" );
    hr = WsGetHeapProperty( heap, WS_HEAP_PROPERTY_MAX_SIZE, buffer, sizeof(buffer), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetHeapProperty( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE, &size, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Unknown ids, NULL handle. */
    hr = WsGetHeapProperty( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE + 1, &size, sizeof(size), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetHeapProperty( heap, 0xdeadbeef, &size, sizeof(size), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetHeapProperty( NULL, WS_HEAP_PROPERTY_MAX_SIZE, &size, sizeof(size), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* A NULL value is an invalid argument; Wine's builtin dereferences it. */
    if (!winetest_platform_is_wine)
    {
        hr = WsGetHeapProperty( heap, WS_HEAP_PROPERTY_MAX_SIZE, NULL, sizeof(size), NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    WsFreeHeap( heap );
}

static void test_WsAlloc(void)
{
    void *ptr, *ptrs[64];
    WS_HEAP *heap;
    HRESULT hr;
    ULONG i, j;

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Invalid arguments; out parameters are not modified on failure. */
    ptr = (void *)0xdeadbeef;
    hr = WsAlloc( NULL, 16, &ptr, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( ptr == (void *)0xdeadbeef, "ptr changed\n" );
    hr = WsAlloc( heap, 16, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "failed calls counted\n" );

    /* "Zero byte allocations will return a non-NULL pointer." */
    ptr = NULL;
    hr = WsAlloc( heap, 0, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ptr != NULL, "NULL pointer for a zero-byte allocation\n" );

    /* "The returned pointer is aligned on an 8-byte boundary", whatever the
     * sizes asked for; blocks do not overlap and can be written. */
    for (i = 0; i < ARRAY_SIZE(ptrs); i++)
    {
        ptrs[i] = NULL;
        hr = WsAlloc( heap, i + 1, &ptrs[i], NULL );
        ok( hr == S_OK, "size %lu: got %#lx\n", i + 1, hr );
        ok( ptrs[i] != NULL, "size %lu: NULL\n", i + 1 );
        ok( !((ULONG_PTR)ptrs[i] & 7), "size %lu: %p is not 8-byte aligned\n", i + 1, ptrs[i] );
        if (ptrs[i]) memset( ptrs[i], i, i + 1 );
    }
    for (i = 0; i < ARRAY_SIZE(ptrs); i++)
    {
        const BYTE *bytes = ptrs[i];
        if (!bytes) continue;
        for (j = 0; j <= i; j++) if (bytes[j] != (BYTE)i) break;
        ok( j == i + 1, "block %lu overwritten at byte %lu\n", i, j );
    }
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 64 * 65 / 2, "wrong requested size\n" );
    WsFreeHeap( heap );

    /* A block bigger than any chunk a heap would use by default. */
    hr = WsCreateHeap( 8 << 20, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ptr = NULL;
    hr = WsAlloc( heap, 4 << 20, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ptr != NULL && !((ULONG_PTR)ptr & 7), "got %p\n", ptr );
    if (ptr) memset( ptr, 0xcc, 4 << 20 );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE ) >= 4 << 20, "actual size too small\n" );
    WsFreeHeap( heap );
}

/* WS_E_QUOTA_EXCEEDED: "The requested bytes, in addition to already
 * allocated bytes, exceed the size of the heap, as specified by the
 * WS_HEAP_PROPERTY_MAX_SIZE property." */
static void test_quota(void)
{
    WS_HEAP *heap;
    void *ptr;
    HRESULT hr;
    ULONG i;

    hr = WsCreateHeap( 256, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* One request bigger than the heap. */
    ptr = (void *)0xdeadbeef;
    hr = WsAlloc( heap, 257, &ptr, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    ok( ptr == (void *)0xdeadbeef, "ptr changed\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "failed request counted\n" );

    /* Allocating exactly up to the max size succeeds, with sizes that are
     * not multiples of the alignment; one byte more fails. */
    hr = WsAlloc( heap, 201, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsAlloc( heap, 55, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 256, "wrong requested size\n" );
    ptr = (void *)0xdeadbeef;
    hr = WsAlloc( heap, 1, &ptr, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    ok( ptr == (void *)0xdeadbeef, "ptr changed\n" );
    /* Zero bytes still fit in a full heap. */
    hr = WsAlloc( heap, 0, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ptr != NULL && ptr != (void *)0xdeadbeef, "got %p\n", ptr );

    /* After a reset the whole quota is available again. */
    hr = WsResetHeap( heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < 256; i++)
    {
        hr = WsAlloc( heap, 1, &ptr, NULL );
        if (hr != S_OK) break;
    }
    ok( i == 256, "only %lu one-byte allocations fit\n", i );
    hr = WsAlloc( heap, 1, &ptr, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeHeap( heap );

    /* A heap of size 0 gives only zero-byte allocations. */
    hr = WsCreateHeap( 0, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ptr = NULL;
    hr = WsAlloc( heap, 0, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ptr != NULL, "NULL pointer\n" );
    hr = WsAlloc( heap, 1, &ptr, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeHeap( heap );

    /* Sizes near the top of the address space cannot be satisfied: the
     * quota or the memory runs out, and nothing is counted. */
    hr = WsCreateHeap( ~(SIZE_T)0, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ptr = (void *)0xdeadbeef;
    hr = WsAlloc( heap, ~(SIZE_T)0, &ptr, NULL );
    ok( hr == E_OUTOFMEMORY || hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    hr = WsAlloc( heap, ~(SIZE_T)0 - 3, &ptr, NULL );
    ok( hr == E_OUTOFMEMORY || hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    ok( ptr == (void *)0xdeadbeef, "ptr changed\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "failed requests counted\n" );
    hr = WsAlloc( heap, 16, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeHeap( heap );
}

static void test_WsResetHeap(void)
{
    WS_HEAP *heap;
    SIZE_T size;
    void *ptr;
    HRESULT hr;
    ULONG i;

    hr = WsResetHeap( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Trim size 0: nothing is retained after a reset. */
    hr = WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsResetHeap( heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < 100; i++)
    {
        hr = WsAlloc( heap, 1000, &ptr, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
    }
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 100000, "wrong requested size\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE ) >= 100000, "wrong actual size\n" );
    hr = WsResetHeap( heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "requested size not reset\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE ) == 0, "memory retained past the trim size\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_MAX_SIZE ) == 1 << 20, "max size changed\n" );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_TRIM_SIZE ) == 0, "trim size changed\n" );
    WsFreeHeap( heap );

    /* "The maximum number of bytes of memory that the heap retains after the
     * heap has been reset": never more than the trim size, and the heap is
     * as usable as a new one. */
    hr = WsCreateHeap( 1 << 20, 64 << 10, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < 3; i++)
    {
        ULONG j;
        winetest_push_context( "round %lu", i );
        for (j = 0; j < 300; j++)
        {
            hr = WsAlloc( heap, 1000, &ptr, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            if (hr == S_OK) memset( ptr, j, 1000 );
        }
        hr = WsResetHeap( heap, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "requested size not reset\n" );
        size = get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE );
        ok( size <= 64 << 10, "retained %zu bytes\n", (size_t)size );
        winetest_pop_context();
    }
    WsFreeHeap( heap );
}

/* Many blocks of assorted sizes, small and large, over several resets: every
 * block keeps its content until the reset, and the accounting adds up. */
static void test_heap_stress(void)
{
    static BYTE *blocks[2000];
    static SIZE_T sizes[2000];
    ULONG seed = 12345, round, i, bad;
    SIZE_T total;
    WS_HEAP *heap;
    HRESULT hr;

    hr = WsCreateHeap( 64 << 20, 128 << 10, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (round = 0; round < 4; round++)
    {
        winetest_push_context( "round %lu", round );
        total = 0;
        for (i = 0; i < ARRAY_SIZE(blocks); i++)
        {
            seed = seed * 1103515245 + 12345;
            sizes[i] = (seed >> 16) % 300;
            if (!(i % 97)) sizes[i] = 20000 + (seed >> 8) % 70000;    /* now and then a big one */
            blocks[i] = NULL;
            hr = WsAlloc( heap, sizes[i], (void **)&blocks[i], NULL );
            ok( hr == S_OK, "block %lu: got %#lx\n", i, hr );
            ok( !((ULONG_PTR)blocks[i] & 7), "block %lu misaligned\n", i );
            if (blocks[i]) memset( blocks[i], (BYTE)i, sizes[i] );
            total += sizes[i];
        }
        for (i = 0, bad = 0; i < ARRAY_SIZE(blocks); i++)
        {
            SIZE_T j;
            if (!blocks[i]) continue;
            for (j = 0; j < sizes[i]; j++) if (blocks[i][j] != (BYTE)i) break;
            if (j < sizes[i]) bad++;
        }
        ok( !bad, "%lu blocks overwritten\n", bad );
        ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == total, "wrong requested size\n" );
        ok( get_heap_size( heap, WS_HEAP_PROPERTY_ACTUAL_SIZE ) >= total, "actual size below requested\n" );
        hr = WsResetHeap( heap, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        winetest_pop_context();
    }
    WsFreeHeap( heap );
}

/* Every handle is checked for its type: a WS_ERROR where a WS_HEAP is
 * expected is an invalid argument, and the objects survive. */
static void test_wrong_handle_type(void)
{
    WS_ERROR *error;
    WS_HEAP *heap;
    SIZE_T size;
    void *ptr;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateHeap( 64, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    ptr = (void *)0xdeadbeef;
    hr = WsAlloc( (WS_HEAP *)error, 16, &ptr, NULL );
    /* Wine's builtin reads the error object as a heap and answers
     * WS_E_QUOTA_EXCEEDED; an error object is not a heap: E_INVALIDARG. */
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( ptr == (void *)0xdeadbeef, "ptr changed\n" );
    hr = WsGetHeapProperty( (WS_HEAP *)error, WS_HEAP_PROPERTY_MAX_SIZE, &size, sizeof(size), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsResetHeap( (WS_HEAP *)error, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* A heap passed as the error parameter is not written to. */
    hr = WsAlloc( heap, 65, &ptr, (WS_ERROR *)heap );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    ok( get_heap_size( heap, WS_HEAP_PROPERTY_REQUESTED_SIZE ) == 0, "heap changed\n" );
    hr = WsAlloc( heap, 64, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Freeing with the wrong function leaves the object alone; Wine's
     * builtin would free it as the wrong type, so this is ours only. */
    if (!winetest_platform_is_wine)
    {
        WsFreeHeap( (WS_HEAP *)error );
        ok( get_error_string_count( error ) == 0, "error object damaged\n" );
    }
    WsFreeHeap( NULL );

    WsFreeError( error );
    WsFreeHeap( heap );
}

/* "If an error occurs, the API that caused the error will fill the error
 * object with additional context about the error condition" (Windows Web
 * Services "Errors" overview).  Wine's builtin adds no strings. */
static void test_error_info(void)
{
    WS_ERROR *error;
    WS_HEAP *heap;
    WS_STRING string;
    ULONG count;
    void *ptr;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateHeap( 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsAlloc( heap, 16, &ptr, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_error_string_count( error ) == 0, "success added error information\n" );

    hr = WsAlloc( heap, 1, &ptr, error );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    count = get_error_string_count( error );
    todo_wine ok( count == 1, "got %lu strings, expected one for the quota failure\n", count );
    memset( &string, 0, sizeof(string) );
    hr = WsGetErrorString( error, 0, &string );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( string.length > 0 && string.chars != NULL, "empty error string\n" );
    if (string.length) trace( "quota message: %s\n", wine_dbgstr_wn( string.chars, string.length ) );

    /* Each failure adds its own string; the newest comes first. */
    hr = WsAlloc( NULL, 1, &ptr, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    count = get_error_string_count( error );
    todo_wine ok( count == 2, "got %lu strings, expected one more for the NULL heap\n", count );
    hr = WsCreateHeap( 16, 0, NULL, 0, NULL, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    count = get_error_string_count( error );
    todo_wine ok( count == 3, "got %lu strings, expected one more for the NULL out parameter\n", count );

    hr = WsResetError( error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_error_string_count( error ) == 0, "strings left after reset\n" );

    WsFreeHeap( heap );
    WsFreeError( error );
}

START_TEST(heap)
{
    test_WsCreateHeap();
    test_WsGetHeapProperty();
    test_WsAlloc();
    test_quota();
    test_WsResetHeap();
    test_heap_stress();
    test_wrong_handle_type();
    test_error_info();
}
