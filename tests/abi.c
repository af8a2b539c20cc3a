/*
 * Runtime ABI check of webservices.h against the metadata reference
 * (tools/gen_abi_check.py): the same facts tests/abi_static.c asserts at
 * compile time for x86_64 and i686, counted here as individual tests.
 */

#include <stddef.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static void test_structures(void)
{
#define ABI_STRUCT(type, size, align) \
    ok( sizeof(type) == (size), "sizeof(" #type ") = %u, expected %u\n", (unsigned)sizeof(type), (unsigned)(size) ); \
    ok( _Alignof(type) == (align), "alignof(" #type ") = %u, expected %u\n", (unsigned)_Alignof(type), (unsigned)(align) );
#define ABI_FIELD(type, member, offset, size) \
    ok( offsetof(type, member) == (offset), "offsetof(" #type ", " #member ") = %u, expected %u\n", \
        (unsigned)offsetof(type, member), (unsigned)(offset) ); \
    ok( sizeof(((type *)0)->member) == (size), "sizeof(" #type "." #member ") = %u, expected %u\n", \
        (unsigned)sizeof(((type *)0)->member), (unsigned)(size) );
#define ABI_FIELD_TYPE(type, member, ctype) \
    ok( __builtin_types_compatible_p(__typeof__(((type *)0)->member), ctype), \
        #type "." #member " is not declared as " #ctype "\n" );
#define ABI_ENUM(name, value)
#define ABI_CONST(name, value)
#define ABI_CALLBACK(ret, name, params)
#define ABI_FUNC(ret, name, params)
#include "abi_data.h"
#undef ABI_STRUCT
#undef ABI_FIELD
#undef ABI_FIELD_TYPE
#undef ABI_ENUM
#undef ABI_CONST
#undef ABI_CALLBACK
#undef ABI_FUNC
}

static void test_constants(void)
{
#define ABI_STRUCT(type, size, align)
#define ABI_FIELD(type, member, offset, size)
#define ABI_FIELD_TYPE(type, member, ctype)
#define ABI_ENUM(name, value) \
    ok( (long long)(name) == (long long)(value), #name " = %lld, expected %lld\n", (long long)(name), (long long)(value) );
#define ABI_CONST(name, value) \
    ok( (long long)(name) == (long long)(value), #name " = %#llx, expected %#llx\n", (long long)(name), (long long)(value) );
#define ABI_CALLBACK(ret, name, params)
#define ABI_FUNC(ret, name, params)
#include "abi_data.h"
#undef ABI_STRUCT
#undef ABI_FIELD
#undef ABI_FIELD_TYPE
#undef ABI_ENUM
#undef ABI_CONST
#undef ABI_CALLBACK
#undef ABI_FUNC
}

static void test_prototypes(void)
{
#define ABI_STRUCT(type, size, align)
#define ABI_FIELD(type, member, offset, size)
#define ABI_FIELD_TYPE(type, member, ctype)
#define ABI_ENUM(name, value)
#define ABI_CONST(name, value)
#define ABI_CALLBACK(ret, name, params) \
    ok( __builtin_types_compatible_p(name, ret (CALLBACK *) params), #name " is not " #ret " (CALLBACK *)" #params "\n" );
#define ABI_FUNC(ret, name, params) \
    ok( __builtin_types_compatible_p(__typeof__(&name), ret (WINAPI *) params), #name " is not " #ret " " #params "\n" );
#include "abi_data.h"
#undef ABI_STRUCT
#undef ABI_FIELD
#undef ABI_FIELD_TYPE
#undef ABI_ENUM
#undef ABI_CONST
#undef ABI_CALLBACK
#undef ABI_FUNC
}

/* The documented initializer macros produce the documented values. */
static void test_macros(void)
{
    static const WCHAR hello[] = L"hello";
    WS_XML_STRING str = WS_XML_STRING_VALUE( "name" ), null = WS_XML_STRING_NULL;
    WS_XML_STRING dict = WS_XML_STRING_DICTIONARY_VALUE( "Envelope", NULL, 7 );
    WS_STRING wstr = WS_STRING_VALUE( L"hello" ), empty = WS_STRING_EMPTY;
    int array[7];

    ok( str.length == 4 && !memcmp( str.bytes, "name", 4 ) && !str.dictionary && !str.id,
        "WS_XML_STRING_VALUE: %lu %p %lu\n", str.length, str.dictionary, str.id );
    ok( !null.length && !null.bytes && !null.dictionary && !null.id, "WS_XML_STRING_NULL\n" );
    ok( dict.length == 8 && !memcmp( dict.bytes, "Envelope", 8 ) && dict.id == 7,
        "WS_XML_STRING_DICTIONARY_VALUE: %lu %lu\n", dict.length, dict.id );
    ok( wstr.length == 5 && !memcmp( wstr.chars, hello, 5 * sizeof(WCHAR) ), "WS_STRING_VALUE: %lu\n", wstr.length );
    ok( !empty.length && !empty.chars, "WS_STRING_EMPTY\n" );
    ok( WsCountOf( array ) == 7, "WsCountOf = %u\n", (unsigned)WsCountOf( array ) );
    ok( WsOffsetOf( WS_XML_STRING, dictionary ) == offsetof( WS_XML_STRING, dictionary ),
        "WsOffsetOf = %lu\n", WsOffsetOf( WS_XML_STRING, dictionary ) );
}

START_TEST(abi)
{
    test_structures();
    test_constants();
    test_prototypes();
    test_macros();
}
