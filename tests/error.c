/*
 * Tests for WS_ERROR: WsCreateError, WsFreeError, WsResetError,
 * WsGetErrorProperty, WsSetErrorProperty, WsAddErrorString,
 * WsGetErrorString, WsCopyError.
 *
 * Expected values come from Microsoft's documentation.  Where Wine's builtin
 * webservices.dll disagrees, the comment next to the check says why the
 * documented behaviour is the one tested.
 */

#include <stdio.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static ULONG get_string_count( WS_ERROR *error )
{
    ULONG count = 0xdeadbeef;
    HRESULT hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == S_OK, "got %#lx\n", hr );
    return count;
}

static LANGID get_langid( WS_ERROR *error )
{
    LANGID langid = 0xdead;
    HRESULT hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    ok( hr == S_OK, "got %#lx\n", hr );
    return langid;
}

static HRESULT get_original_code( WS_ERROR *error )
{
    HRESULT code = 0xdeadbeef;
    HRESULT hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( hr == S_OK, "got %#lx\n", hr );
    return code;
}

static void add_string( WS_ERROR *error, const WCHAR *str )
{
    WS_STRING string;
    HRESULT hr;

    string.length = lstrlenW( str );
    string.chars = (WCHAR *)str;
    hr = WsAddErrorString( error, &string );
    ok( hr == S_OK, "got %#lx\n", hr );
}

#define check_string(a, b, c) check_string_( __LINE__, a, b, c )
static void check_string_( unsigned int line, WS_ERROR *error, ULONG index, const WCHAR *expected )
{
    WS_STRING string = { 0xdeadbeef, NULL };
    HRESULT hr = WsGetErrorString( error, index, &string );

    ok_( __FILE__, line )( hr == S_OK, "index %lu: got %#lx\n", index, hr );
    ok_( __FILE__, line )( string.length == (ULONG)lstrlenW( expected ) &&
                           !memcmp( string.chars, expected, string.length * sizeof(WCHAR) ),
                           "index %lu: got %s\n", index, wine_dbgstr_wn( string.chars, string.length ) );
}

static void test_WsCreateError(void)
{
    WS_ERROR_PROPERTY prop;
    WS_ERROR *error;
    LANGID langid;
    ULONG count;
    HRESULT hr, code;

    hr = WsCreateError( NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    error = NULL;
    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( error != NULL, "error not set\n" );

    /* Documented defaults: no strings; ORIGINAL_ERROR_CODE "The default
     * value is NOERROR"; "by default, the language of any language-dependent
     * information in the error object is the current user default UI
     * language". */
    ok( get_string_count( error ) == 0, "strings in a new error object\n" );
    ok( get_original_code( error ) == NOERROR, "wrong default original error code\n" );
    langid = get_langid( error );
    ok( langid == GetUserDefaultUILanguage(), "got langid %#x, expected %#x\n", langid, GetUserDefaultUILanguage() );
    WsFreeError( error );

    /* The language given at creation. */
    langid = MAKELANGID( LANG_FRENCH, SUBLANG_FRENCH );
    prop.id = WS_ERROR_PROPERTY_LANGID;
    prop.value = &langid;
    prop.valueSize = sizeof(langid);
    error = NULL;
    hr = WsCreateError( &prop, 1, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_langid( error ) == MAKELANGID( LANG_FRENCH, SUBLANG_FRENCH ), "wrong langid\n" );
    WsFreeError( error );

    /* Invalid creation properties leave the out parameter alone. */
    prop.valueSize = sizeof(ULONG);
    error = (WS_ERROR *)0xdeadbeef;
    hr = WsCreateError( &prop, 1, &error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( error == (WS_ERROR *)0xdeadbeef, "error changed\n" );

    /* WS_ERROR_PROPERTY_LANGID: "This value cannot be zero."  Wine's
     * builtin accepts it. */
    langid = 0;
    prop.valueSize = sizeof(langid);
    error = (WS_ERROR *)0xdeadbeef;
    hr = WsCreateError( &prop, 1, &error );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (hr == S_OK) WsFreeError( error );
    else ok( error == (WS_ERROR *)0xdeadbeef, "error changed\n" );

    /* STRING_COUNT "is read only". */
    count = 1;
    prop.id = WS_ERROR_PROPERTY_STRING_COUNT;
    prop.value = &count;
    prop.valueSize = sizeof(count);
    hr = WsCreateError( &prop, 1, &error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* The original error code describes a failure that has happened, so it
     * is set with WsSetErrorProperty, not at creation (the documentation is
     * silent; Wine's builtin refuses it too). */
    code = E_FAIL;
    prop.id = WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE;
    prop.value = &code;
    prop.valueSize = sizeof(code);
    hr = WsCreateError( &prop, 1, &error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    prop.id = WS_ERROR_PROPERTY_LANGID + 1;
    prop.value = &langid;
    prop.valueSize = sizeof(langid);
    hr = WsCreateError( &prop, 1, &error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* A count without an array is an invalid argument; Wine's builtin
     * dereferences the NULL array. */
    if (!winetest_platform_is_wine)
    {
        error = (WS_ERROR *)0xdeadbeef;
        hr = WsCreateError( NULL, 1, &error );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        ok( error == (WS_ERROR *)0xdeadbeef, "error changed\n" );
    }

    /* An array pointer with a zero count is the empty array. */
    error = NULL;
    hr = WsCreateError( &prop, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeError( error );

    WsFreeError( NULL );
}

static void test_WsGetErrorProperty(void)
{
    BYTE buffer[16];
    WS_ERROR *error;
    ULONG count;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsGetErrorProperty( NULL, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, NULL, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* "The property id was not supported for this object or the specified
     * buffer was not large enough for the value": E_INVALIDARG.  A larger
     * buffer is not accepted either: the size must be the property's. */
    count = 0xdeadbeef;
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_LANGID + 1, &count, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( count == 0xdeadbeef, "value changed\n" );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) - 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( count == 0xdeadbeef, "value changed\n" );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, 0 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, buffer, sizeof(buffer) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, buffer, sizeof(ULONG) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, buffer, 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, buffer, sizeof(LONGLONG) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Failed calls add nothing to the error object being read. */
    ok( get_string_count( error ) == 0, "failures added strings\n" );
    WsFreeError( error );
}

static void test_WsSetErrorProperty(void)
{
    static const WCHAR first[] = L"first";
    WS_ERROR_PROPERTY prop;
    WS_STRING string;
    WS_ERROR *error;
    LANGID langid;
    ULONG count;
    HRESULT hr, code;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );

    count = 5;
    hr = WsSetErrorProperty( NULL, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* "This property is read only." */
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( get_string_count( error ) == 0, "string count changed\n" );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID + 1, &count, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* ORIGINAL_ERROR_CODE.  "When WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE is
     * present in the error object, the corresponding error text will be
     * counted as an additional string", available "in the last index".
     * Wine's builtin stores the code but adds no text. */
    code = HRESULT_FROM_WIN32( ERROR_FILE_NOT_FOUND );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_original_code( error ) == HRESULT_FROM_WIN32( ERROR_FILE_NOT_FOUND ), "code not set\n" );
    count = get_string_count( error );
    todo_wine ok( count == 1, "got %lu strings\n", count );
    add_string( error, first );
    count = get_string_count( error );
    todo_wine ok( count == 2, "got %lu strings\n", count );
    check_string( error, 0, first );
    memset( &string, 0, sizeof(string) );
    hr = WsGetErrorString( error, 1, &string );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( string.length > 0 && string.chars != NULL, "no text for the original error code\n" );
    if (string.length) trace( "original error text: %s\n", wine_dbgstr_wn( string.chars, string.length ) );

    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) + 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* NOERROR: "the error was not mapped", so no extra string. */
    code = NOERROR;
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_original_code( error ) == NOERROR, "code not cleared\n" );
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    /* A NULL value is an invalid argument; Wine's builtin dereferences it. */
    if (!winetest_platform_is_wine)
    {
        hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, NULL, sizeof(code) );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    /* LANGID: "This value can only be set when the error object is first
     * created, or after it's been reset using WsResetError."  Once the error
     * holds a string it is WS_E_INVALID_OPERATION ... */
    langid = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    ok( get_langid( error ) == GetUserDefaultUILanguage(), "langid changed\n" );

    /* ... and after WsResetError (which returns the object to "the state set
     * at instantiation", so a new object too) it can be set.  Wine's builtin
     * refuses LANGID in WsSetErrorProperty in every state. */
    hr = WsResetError( error );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    langid = get_langid( error );
    todo_wine ok( langid == MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN ), "got langid %#x\n", langid );
    langid = 0;    /* "This value cannot be zero." */
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    langid = get_langid( error );
    ok( langid != 0, "langid set to zero\n" );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(ULONG) );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeError( error );

    /* WsResetError releases "properties that have been set using the
     * WsSetErrorProperty function": back to the creation values. */
    langid = MAKELANGID( LANG_FRENCH, SUBLANG_FRENCH );
    prop.id = WS_ERROR_PROPERTY_LANGID;
    prop.value = &langid;
    prop.valueSize = sizeof(langid);
    hr = WsCreateError( &prop, 1, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    langid = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
    WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    code = E_FAIL;
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsResetError( error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_langid( error ) == MAKELANGID( LANG_FRENCH, SUBLANG_FRENCH ), "langid not restored\n" );
    ok( get_original_code( error ) == NOERROR, "original error code not cleared\n" );
    ok( get_string_count( error ) == 0, "strings left\n" );
    WsFreeError( error );
}

static void test_error_strings(void)
{
    static const WCHAR first[] = L"first", second[] = L"second", third[] = L"third";
    WCHAR buffer[16];
    WS_STRING string, out;
    WS_ERROR *error;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* "The first error string (index 0) will be the string most recently
     * added to the error object." */
    add_string( error, first );
    add_string( error, second );
    add_string( error, third );
    ok( get_string_count( error ) == 3, "got %lu strings\n", get_string_count( error ) );
    check_string( error, 0, third );
    check_string( error, 1, second );
    check_string( error, 2, first );

    /* "The error object will make a copy of the string." */
    lstrcpyW( buffer, L"copied" );
    string.chars = buffer;
    string.length = lstrlenW( buffer );
    hr = WsAddErrorString( error, &string );
    ok( hr == S_OK, "got %#lx\n", hr );
    buffer[0] = 'X';
    memset( &out, 0, sizeof(out) );
    hr = WsGetErrorString( error, 0, &out );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.chars != buffer, "string not copied\n" );
    check_string( error, 0, L"copied" );

    /* An empty string is a string. */
    string.chars = NULL;
    string.length = 0;
    hr = WsAddErrorString( error, &string );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 5, "got %lu strings\n", get_string_count( error ) );
    out.length = 0xdeadbeef;
    hr = WsGetErrorString( error, 0, &out );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.length == 0, "got length %lu\n", out.length );
    check_string( error, 4, first );

    /* Invalid arguments; a failure changes neither the output nor the error. */
    hr = WsAddErrorString( NULL, &string );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsAddErrorString( error, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (!winetest_platform_is_wine)    /* Wine's builtin dereferences the NULL chars */
    {
        string.chars = NULL;
        string.length = 3;
        hr = WsAddErrorString( error, &string );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    out.length = 0xdeadbeef;
    out.chars = (WCHAR *)0xdeadbeef;
    hr = WsGetErrorString( error, 5, &out );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( out.length == 0xdeadbeef && out.chars == (WCHAR *)0xdeadbeef, "string changed\n" );
    hr = WsGetErrorString( error, ~0u, &out );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorString( error, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorString( NULL, 0, &out );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( get_string_count( error ) == 5, "got %lu strings\n", get_string_count( error ) );

    /* "The string is valid until WsResetError or WsFreeError is called." */
    hr = WsResetError( error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 0, "got %lu strings\n", get_string_count( error ) );
    hr = WsGetErrorString( error, 0, &out );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Reusable after a reset. */
    add_string( error, second );
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    check_string( error, 0, second );

    hr = WsResetError( NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeError( error );
}

/* Many strings: the order holds beyond any small internal capacity. */
static void test_many_strings(void)
{
    WCHAR buffer[16];
    WS_ERROR *error;
    ULONG i;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < 200; i++)
    {
        swprintf( buffer, ARRAY_SIZE(buffer), L"string %lu", i );
        add_string( error, buffer );
    }
    ok( get_string_count( error ) == 200, "got %lu strings\n", get_string_count( error ) );
    for (i = 0; i < 200; i += 37)
    {
        swprintf( buffer, ARRAY_SIZE(buffer), L"string %lu", 199 - i );
        check_string( error, i, buffer );
    }
    WsFreeError( error );
}

static void test_WsCopyError(void)
{
    WS_ERROR *source, *dest;
    HRESULT hr, code;
    LANGID langid;
    ULONG count;

    /* Wine's builtin does not implement WsCopyError (calling it aborts). */
    if (winetest_platform_is_wine)
    {
        skip( "WsCopyError is not implemented by Wine's builtin\n" );
        return;
    }

    hr = WsCreateError( NULL, 0, &source );
    ok( hr == S_OK, "got %#lx\n", hr );
    langid = MAKELANGID( LANG_FRENCH, SUBLANG_FRENCH );
    hr = WsSetErrorProperty( source, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    ok( hr == S_OK, "got %#lx\n", hr );
    add_string( source, L"one" );
    add_string( source, L"two" );
    code = E_ACCESSDENIED;
    hr = WsSetErrorProperty( source, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateError( NULL, 0, &dest );
    ok( hr == S_OK, "got %#lx\n", hr );
    add_string( dest, L"old" );

    /* "E_INVALIDARG: One of the error objects is NULL." */
    hr = WsCopyError( NULL, dest );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCopyError( source, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( get_string_count( dest ) == 1, "destination changed by a failed copy\n" );

    /* The destination receives a copy of the source object: its strings,
     * in order, and its properties; what it held before is replaced (the
     * documentation says nothing of merging). */
    hr = WsCopyError( source, dest );
    ok( hr == S_OK, "got %#lx\n", hr );
    count = get_string_count( dest );
    ok( count == 3, "got %lu strings\n", count );
    check_string( dest, 0, L"two" );
    check_string( dest, 1, L"one" );
    ok( get_original_code( dest ) == E_ACCESSDENIED, "original error code not copied\n" );
    ok( get_langid( dest ) == MAKELANGID( LANG_FRENCH, SUBLANG_FRENCH ), "langid not copied\n" );

    /* The copy is independent of the source. */
    hr = WsResetError( source );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( dest ) == 3, "copy changed with the source\n" );
    check_string( dest, 1, L"one" );

    /* Copying an object onto itself changes nothing. */
    hr = WsCopyError( dest, dest );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( dest ) == 3, "got %lu strings\n", get_string_count( dest ) );

    /* Copying an empty object empties the destination. */
    hr = WsCopyError( source, dest );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( dest ) == 0, "got %lu strings\n", get_string_count( dest ) );
    ok( get_original_code( dest ) == NOERROR, "original error code left\n" );

    WsFreeError( source );
    WsFreeError( dest );
}

/* Every handle is checked for its type: a WS_HEAP where a WS_ERROR is
 * expected is an invalid argument, and the heap survives. */
static void test_wrong_handle_type(void)
{
    WS_STRING string = { 3, (WCHAR *)L"abc" };
    WS_ERROR *error;
    WS_HEAP *heap;
    HRESULT hr, code = E_FAIL;
    ULONG count;
    SIZE_T size;
    void *ptr;

    hr = WsCreateHeap( 1024, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsGetErrorProperty( (WS_ERROR *)heap, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetErrorProperty( (WS_ERROR *)heap, WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, &code, sizeof(code) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsAddErrorString( (WS_ERROR *)heap, &string );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetErrorString( (WS_ERROR *)heap, 0, &string );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsResetError( (WS_ERROR *)heap );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (!winetest_platform_is_wine)    /* WsCopyError aborts in Wine's builtin */
    {
        hr = WsCopyError( (WS_ERROR *)heap, error );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        hr = WsCopyError( error, (WS_ERROR *)heap );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        /* Freeing with the wrong function leaves the object alone; Wine's
         * builtin would free the heap as an error object. */
        WsFreeError( (WS_ERROR *)heap );
    }

    /* The heap is intact and usable. */
    hr = WsGetHeapProperty( heap, WS_HEAP_PROPERTY_MAX_SIZE, &size, sizeof(size), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( size == 1024, "got %zu\n", (size_t)size );
    hr = WsAlloc( heap, 1024, &ptr, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    WsFreeHeap( heap );
    WsFreeError( error );
}

/* A function that fails with an error object describes the failure in it
 * ("If an error occurs, the API that caused the error will fill the error
 * object with additional context about the error condition", Errors
 * overview).  Wine's builtin adds no strings. */
static void test_error_info(void)
{
    WS_STRING string;
    WS_ERROR *error;
    WS_HEAP *heap;
    ULONG count;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    add_string( error, L"application" );

    hr = WsCreateHeap( 1024, 0, NULL, 0, NULL, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    count = get_string_count( error );
    todo_wine ok( count == 2, "got %lu strings\n", count );
    memset( &string, 0, sizeof(string) );
    hr = WsGetErrorString( error, 0, &string );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* The newest string is the failure's message, not the application's. */
    todo_wine ok( string.length > 0 && string.chars != NULL &&
                  !(string.length == 11 && !memcmp( string.chars, L"application", 11 * sizeof(WCHAR) )),
                  "no message for the failure: %s\n", wine_dbgstr_wn( string.chars, string.length ) );
    /* Older strings keep their place behind the newer ones. */
    check_string( error, count - 1, L"application" );

    /* The error's own functions do not add to the object they inspect. */
    hr = WsGetErrorString( error, 100, &string );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( get_string_count( error ) == count, "failed WsGetErrorString added a string\n" );

    hr = WsCreateHeap( 1024, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeHeap( heap );
    WsFreeError( error );
}

START_TEST(error)
{
    test_WsCreateError();
    test_WsGetErrorProperty();
    test_WsSetErrorProperty();
    test_error_strings();
    test_many_strings();
    test_WsCopyError();
    test_wrong_handle_type();
    test_error_info();
}
