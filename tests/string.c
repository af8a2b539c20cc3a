/*
 * Tests for WsXmlStringEquals, WsVerifyXmlNCName and WsTrimXmlWhitespace
 *
 * Documented facts used here:
 *   WsXmlStringEquals: ordinal comparison of the characters; S_OK when
 *     equal, S_FALSE when not, E_INVALIDARG for bad parameters.
 *   WsVerifyXmlNCName: WS_E_INVALID_FORMAT when the string is not a valid
 *     NCName (Namespaces in XML 1.0: an XML 1.0 Name without a colon).
 *   WsTrimXmlWhitespace: S_OK on success; returns a pointer into the
 *     original string at the first non-whitespace character and the trimmed
 *     length; the input is not modified; XML whitespace is 0x9, 0xA, 0xD and
 *     0x20.
 */

#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static WS_ERROR *create_error( void )
{
    WS_ERROR *error = NULL;
    if (WsCreateError( NULL, 0, &error ) != S_OK) return NULL;
    return error;
}

/*
 * Wine 8.0's builtin webservices.dll exports WsVerifyXmlNCName and
 * WsTrimXmlWhitespace as unimplemented stubs that abort the process when
 * called, so only WsXmlStringEquals can be compared with it.  Wine's PE builtins
 * carry the "Wine builtin DLL" marker right after the DOS header.
 */
static BOOL is_wine_builtin( void )
{
    const char *module = (const char *)GetModuleHandleA( "webservices.dll" );
    return module && !memcmp( module + 0x40, "Wine builtin DLL", 16 );
}

/* ---- WsXmlStringEquals ------------------------------------------------ */

static void test_WsXmlStringEquals( WS_ERROR *error )
{
    static const struct
    {
        const char *str1;
        const char *str2;
        HRESULT hr;
    }
    tests[] =
    {
        { "", "", S_OK },
        { "a", "a", S_OK },
        { "abc", "abc", S_OK },
        { "http://tempuri.org/", "http://tempuri.org/", S_OK },
        { "a", "b", S_FALSE },
        { "a", "", S_FALSE },
        { "", "a", S_FALSE },
        { "a", "ab", S_FALSE },
        { "ab", "a", S_FALSE },
        { "abc", "abd", S_FALSE },
        /* Ordinal: no case folding ... */
        { "a", "A", S_FALSE },
        { "Body", "body", S_FALSE },
        /* ... and no Unicode normalization: precomposed e-acute against
         * e followed by a combining acute accent. */
        { "\xc3\xa9", "e\xcc\x81", S_FALSE },
        { "\xc3\xa9", "\xc3\xa9", S_OK },
    };
    WS_XML_STRING str1, str2;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "%lu", i );
        memset( &str1, 0, sizeof(str1) );
        memset( &str2, 0, sizeof(str2) );
        str1.length = strlen( tests[i].str1 );
        str1.bytes = (BYTE *)tests[i].str1;
        str2.length = strlen( tests[i].str2 );
        str2.bytes = (BYTE *)tests[i].str2;
        hr = WsXmlStringEquals( &str1, &str2, NULL );
        ok( hr == tests[i].hr, "got %#lx\n", hr );
        hr = WsXmlStringEquals( &str2, &str1, NULL );
        ok( hr == tests[i].hr, "reversed: got %#lx\n", hr );
        if (error)
        {
            hr = WsXmlStringEquals( &str1, &str2, error );
            ok( hr == tests[i].hr, "with error: got %#lx\n", hr );
        }
        winetest_pop_context();
    }

    /* Only LENGTH bytes count: the strings need not be zero terminated. */
    str1.length = 3;
    str1.bytes = (BYTE *)"abcX";
    str2.length = 3;
    str2.bytes = (BYTE *)"abcY";
    hr = WsXmlStringEquals( &str1, &str2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Embedded zero bytes are compared like any other byte. */
    str1.length = 3;
    str1.bytes = (BYTE *)"a\0b";
    str2.length = 3;
    str2.bytes = (BYTE *)"a\0c";
    hr = WsXmlStringEquals( &str1, &str2, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );

    /* A string equals itself. */
    hr = WsXmlStringEquals( &str1, &str1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
}

static void test_WsXmlStringEquals_null( WS_ERROR *error )
{
    WS_XML_STRING str = WS_XML_STRING_VALUE( "a" ), empty = WS_XML_STRING_NULL;
    HRESULT hr;

    hr = WsXmlStringEquals( NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &str, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsXmlStringEquals( NULL, &str, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (error)
    {
        hr = WsXmlStringEquals( NULL, &str, error );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    /* Characters announced but no buffer to read them from: an invalid
     * parameter, not a crash.  (Wine's builtin reads through the NULL
     * pointer, so this is not run against it.) */
    if (!is_wine_builtin())
    {
        WS_XML_STRING bad = { 1, NULL, NULL, 0 };
        hr = WsXmlStringEquals( &bad, &str, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        hr = WsXmlStringEquals( &str, &bad, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        hr = WsXmlStringEquals( &bad, &bad, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    /* An empty string needs no buffer. */
    {
        WS_XML_STRING empty_ptr = { 0, (BYTE *)"x", NULL, 0 };
        hr = WsXmlStringEquals( &empty, &empty_ptr, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
    }

    /* WS_XML_STRING_NULL is the empty string. */
    hr = WsXmlStringEquals( &empty, &empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &empty, &str, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    {
        WS_XML_STRING empty2 = WS_XML_STRING_VALUE( "" );
        hr = WsXmlStringEquals( &empty, &empty2, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
    }
}

static void test_WsXmlStringEquals_dictionary( void )
{
    static WS_XML_STRING strings1[3], strings2[2];
    static WS_XML_DICTIONARY dict1 = { { 0x1a2b3c4d, 0x1, 0x2, { 1, 2, 3, 4, 5, 6, 7, 8 } }, strings1, 3, TRUE };
    static WS_XML_DICTIONARY dict2 = { { 0x5e6f7a8b, 0x3, 0x4, { 8, 7, 6, 5, 4, 3, 2, 1 } }, strings2, 2, TRUE };
    WS_XML_STRING a1 = WS_XML_STRING_DICTIONARY_VALUE( "Envelope", &dict1, 0 );
    WS_XML_STRING b1 = WS_XML_STRING_DICTIONARY_VALUE( "Header", &dict1, 1 );
    WS_XML_STRING c1 = WS_XML_STRING_DICTIONARY_VALUE( "Body", &dict1, 2 );
    WS_XML_STRING a2 = WS_XML_STRING_DICTIONARY_VALUE( "Body", &dict2, 0 );
    WS_XML_STRING b2 = WS_XML_STRING_DICTIONARY_VALUE( "Envelope", &dict2, 1 );
    WS_XML_STRING plain = WS_XML_STRING_VALUE( "Body" );
    WS_XML_STRING copy;
    HRESULT hr;

    strings1[0] = a1; strings1[1] = b1; strings1[2] = c1;
    strings2[0] = a2; strings2[1] = b2;

    /* The same entry of the same dictionary, through two different structures. */
    copy = c1;
    hr = WsXmlStringEquals( &c1, &copy, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &strings1[2], &c1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Different entries of the same dictionary. */
    hr = WsXmlStringEquals( &a1, &b1, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &b1, &c1, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );

    /* Equal characters from different dictionaries, or from a dictionary
     * and no dictionary: the comparison is of the characters. */
    hr = WsXmlStringEquals( &c1, &a2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &a1, &b2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &c1, &plain, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsXmlStringEquals( &plain, &a2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Different characters from different dictionaries with the same id. */
    hr = WsXmlStringEquals( &a1, &a2, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );

    /* The docs make the id identify the string ("the entry at
     * dictionary->strings[id] should identify this string"), so two strings
     * naming the same entry of the same dictionary are equal without a look
     * at their bytes.  Wine's builtin ignores the dictionary and compares
     * the bytes, so it calls these two different. */
    {
        WS_XML_STRING stale = WS_XML_STRING_DICTIONARY_VALUE( "Bodx", &dict1, 2 );
        hr = WsXmlStringEquals( &c1, &stale, NULL );
        todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    }

    /* The id means nothing without a dictionary. */
    {
        WS_XML_STRING x = { 1, (BYTE *)"x", NULL, 5 }, y = { 1, (BYTE *)"y", NULL, 5 };
        hr = WsXmlStringEquals( &x, &y, NULL );
        ok( hr == S_FALSE, "got %#lx\n", hr );
    }
}

/* ---- WsVerifyXmlNCName ------------------------------------------------ */

static void test_WsVerifyXmlNCName( WS_ERROR *error )
{
    static const struct
    {
        const WCHAR *name;
        HRESULT hr;
    }
    tests[] =
    {
        /* NameStartChar */
        { L"a", S_OK },
        { L"Z", S_OK },
        { L"_", S_OK },
        { L"abc", S_OK },
        { L"_x_", S_OK },
        { L"Envelope", S_OK },
        { L"\x00c0", S_OK },            /* [#xC0-#xD6] */
        { L"\x00d6", S_OK },
        { L"\x00d7", WS_E_INVALID_FORMAT }, /* multiplication sign */
        { L"\x00d8", S_OK },
        { L"\x00f6", S_OK },
        { L"\x00f7", WS_E_INVALID_FORMAT }, /* division sign */
        { L"\x00f8", S_OK },
        { L"\x02ff", S_OK },
        { L"\x0370", S_OK },
        { L"\x037d", S_OK },
        { L"\x037e", WS_E_INVALID_FORMAT }, /* Greek question mark */
        { L"\x037f", S_OK },
        { L"\x1fff", S_OK },
        { L"\x2000", WS_E_INVALID_FORMAT },
        { L"\x200b", WS_E_INVALID_FORMAT },
        { L"\x200c", S_OK },            /* zero width non-joiner */
        { L"\x200d", S_OK },
        { L"\x200e", WS_E_INVALID_FORMAT },
        { L"\x2070", S_OK },
        { L"\x218f", S_OK },
        { L"\x2190", WS_E_INVALID_FORMAT },
        { L"\x2c00", S_OK },
        { L"\x2fef", S_OK },
        { L"\x2ff0", WS_E_INVALID_FORMAT },
        { L"\x3000", WS_E_INVALID_FORMAT }, /* ideographic space */
        { L"\x3001", S_OK },
        { L"\x4e2d\x6587", S_OK },
        { L"\xd7ff", S_OK },
        { L"\xe000", WS_E_INVALID_FORMAT }, /* private use */
        { L"\xf8ff", WS_E_INVALID_FORMAT },
        { L"\xf900", S_OK },
        { L"\xfdcf", S_OK },
        { L"\xfdd0", WS_E_INVALID_FORMAT }, /* noncharacter */
        { L"\xfdef", WS_E_INVALID_FORMAT },
        { L"\xfdf0", S_OK },
        { L"\xfffd", S_OK },
        { L"\xfffe", WS_E_INVALID_FORMAT },
        { L"\xffff", WS_E_INVALID_FORMAT },
        /* Characters allowed after the first one only. */
        { L"a1", S_OK },
        { L"a-", S_OK },
        { L"a.", S_OK },
        { L"a-b.c_d9", S_OK },
        { L"a\x00b7", S_OK },           /* middle dot */
        { L"a\x0300", S_OK },           /* combining grave accent */
        { L"a\x036f", S_OK },
        { L"a\x203f", S_OK },           /* undertie */
        { L"a\x2040", S_OK },
        { L"1", WS_E_INVALID_FORMAT },
        { L"1a", WS_E_INVALID_FORMAT },
        { L"9", WS_E_INVALID_FORMAT },
        { L"-a", WS_E_INVALID_FORMAT },
        { L".a", WS_E_INVALID_FORMAT },
        { L"\x00b7" L"a", WS_E_INVALID_FORMAT },
        { L"\x0300" L"a", WS_E_INVALID_FORMAT },
        { L"\x203f" L"a", WS_E_INVALID_FORMAT },
        /* The colon is a Name character but not an NCName character. */
        { L":", WS_E_INVALID_FORMAT },
        { L":a", WS_E_INVALID_FORMAT },
        { L"a:", WS_E_INVALID_FORMAT },
        { L"a:b", WS_E_INVALID_FORMAT },
        { L"s:Envelope", WS_E_INVALID_FORMAT },
        /* Other punctuation and whitespace. */
        { L" ", WS_E_INVALID_FORMAT },
        { L"a ", WS_E_INVALID_FORMAT },
        { L" a", WS_E_INVALID_FORMAT },
        { L"a b", WS_E_INVALID_FORMAT },
        { L"a\tb", WS_E_INVALID_FORMAT },
        { L"a\nb", WS_E_INVALID_FORMAT },
        { L"a/b", WS_E_INVALID_FORMAT },
        { L"a<b", WS_E_INVALID_FORMAT },
        { L"a&b", WS_E_INVALID_FORMAT },
        { L"a#b", WS_E_INVALID_FORMAT },
        { L"a@b", WS_E_INVALID_FORMAT },
        { L"a\x00d7", WS_E_INVALID_FORMAT },
        { L"a\x037e", WS_E_INVALID_FORMAT },
        { L"a\xfffe", WS_E_INVALID_FORMAT },
        /* Supplementary characters U+10000 to U+EFFFF, as surrogate pairs. */
        { L"\xd800\xdc00", S_OK },      /* U+10000 */
        { L"a\xd800\xdc00", S_OK },
        { L"\xdb7f\xdfff", S_OK },      /* U+EFFFF */
        { L"\xdb80\xdc00", WS_E_INVALID_FORMAT }, /* U+F0000, private use plane */
        { L"\xdbff\xdfff", WS_E_INVALID_FORMAT }, /* U+10FFFF */
        /* Unpaired surrogates are not characters. */
        { L"\xd800", WS_E_INVALID_FORMAT },
        { L"\xdc00", WS_E_INVALID_FORMAT },
        { L"a\xd800", WS_E_INVALID_FORMAT },
        { L"a\xdc00", WS_E_INVALID_FORMAT },
        { L"a\xd800z", WS_E_INVALID_FORMAT },
        { L"a\xdc00\xd800", WS_E_INVALID_FORMAT },
    };
    HRESULT hr;
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "%lu %s", i, wine_dbgstr_w( tests[i].name ) );
        hr = WsVerifyXmlNCName( tests[i].name, wcslen( tests[i].name ), NULL );
        ok( hr == tests[i].hr, "got %#lx\n", hr );
        if (error)
        {
            hr = WsVerifyXmlNCName( tests[i].name, wcslen( tests[i].name ), error );
            ok( hr == tests[i].hr, "with error: got %#lx\n", hr );
        }
        winetest_pop_context();
    }
}

static void test_WsVerifyXmlNCName_length( void )
{
    WCHAR name[300];
    HRESULT hr;
    ULONG i;

    /* An empty string is not an NCName. */
    hr = WsVerifyXmlNCName( L"", 0, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    hr = WsVerifyXmlNCName( L"abc", 0, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* Only COUNT characters are verified: no terminator is needed. */
    hr = WsVerifyXmlNCName( L"ab:c", 2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsVerifyXmlNCName( L"ab:c", 3, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    hr = WsVerifyXmlNCName( L"a b", 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* A NUL is not a name character. */
    hr = WsVerifyXmlNCName( L"a\0b", 3, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* A surrogate pair cut by the count leaves an unpaired high surrogate. */
    hr = WsVerifyXmlNCName( L"a\xd800\xdc00", 2, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* Long names are fine. */
    for (i = 0; i < ARRAY_SIZE(name); i++) name[i] = 'a' + i % 26;
    hr = WsVerifyXmlNCName( name, ARRAY_SIZE(name), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    name[ARRAY_SIZE(name) - 1] = ':';
    hr = WsVerifyXmlNCName( name, ARRAY_SIZE(name), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
}

static void test_WsVerifyXmlNCName_null( void )
{
    HRESULT hr;

    /* A NULL string with characters to read is an invalid argument. */
    hr = WsVerifyXmlNCName( NULL, 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* NULL and nothing to read: the empty name, not a valid NCName. */
    hr = WsVerifyXmlNCName( NULL, 0, NULL );
    ok( hr == WS_E_INVALID_FORMAT || hr == E_INVALIDARG, "got %#lx\n", hr );
}

/* ---- WsTrimXmlWhitespace ---------------------------------------------- */

static void test_WsTrimXmlWhitespace( WS_ERROR *error )
{
    static const struct
    {
        const WCHAR *str;
        ULONG start;
        ULONG count;
    }
    tests[] =
    {
        { L"a", 0, 1 },
        { L"abc", 0, 3 },
        { L" a", 1, 1 },
        { L"a ", 0, 1 },
        { L" a ", 1, 1 },
        { L"  abc  ", 2, 3 },
        { L"\tabc", 1, 3 },
        { L"\nabc", 1, 3 },
        { L"\rabc", 1, 3 },
        { L"abc\t", 0, 3 },
        { L"abc\n", 0, 3 },
        { L"abc\r", 0, 3 },
        { L"\t\r\n abc \n\r\t", 4, 3 },
        /* Inner whitespace stays. */
        { L"a b", 0, 3 },
        { L" a \t\r\n b ", 1, 7 },
        /* Only 0x9, 0xA, 0xD and 0x20 are XML whitespace. */
        { L"\x0b" L"a", 0, 2 },          /* vertical tab */
        { L"\x0c" L"a", 0, 2 },          /* form feed */
        { L"\x00a0" L"a\x00a0", 0, 3 },  /* no-break space */
        { L"\x3000" L"a", 0, 2 },        /* ideographic space */
        { L"\x2028" L"a", 0, 2 },        /* line separator */
        { L"\x0085" L"a", 0, 2 },        /* next line */
        { L" \x0b ", 1, 1 },
    };
    WCHAR buffer[32], *trimmed;
    ULONG i, count;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        ULONG len = wcslen( tests[i].str );

        winetest_push_context( "%lu %s", i, wine_dbgstr_w( tests[i].str ) );
        memcpy( buffer, tests[i].str, (len + 1) * sizeof(WCHAR) );
        trimmed = NULL;
        count = 0xdeadbeef;
        hr = WsTrimXmlWhitespace( buffer, len, &trimmed, &count, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( trimmed == buffer + tests[i].start, "got offset %d\n", (int)(trimmed - buffer) );
        ok( count == tests[i].count, "got %lu\n", count );
        /* The original string is not modified. */
        ok( !memcmp( buffer, tests[i].str, (len + 1) * sizeof(WCHAR) ), "input modified\n" );
        if (error)
        {
            hr = WsTrimXmlWhitespace( buffer, len, &trimmed, &count, error );
            ok( hr == S_OK, "with error: got %#lx\n", hr );
        }
        winetest_pop_context();
    }

    /* Only COUNT characters are looked at. */
    wcscpy( buffer, L" ab c" );
    hr = WsTrimXmlWhitespace( buffer, 3, &trimmed, &count, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( trimmed == buffer + 1, "got offset %d\n", (int)(trimmed - buffer) );
    ok( count == 2, "got %lu\n", count );
    hr = WsTrimXmlWhitespace( buffer, 4, &trimmed, &count, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( trimmed == buffer + 1, "got offset %d\n", (int)(trimmed - buffer) );
    ok( count == 2, "got %lu\n", count );

    /* Embedded NULs are ordinary characters. */
    memcpy( buffer, L" a\0b ", 6 * sizeof(WCHAR) );
    hr = WsTrimXmlWhitespace( buffer, 5, &trimmed, &count, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( trimmed == buffer + 1, "got offset %d\n", (int)(trimmed - buffer) );
    ok( count == 3, "got %lu\n", count );
}

static void test_WsTrimXmlWhitespace_empty( void )
{
    WCHAR buffer[8], *trimmed;
    ULONG count;
    HRESULT hr;

    /* All whitespace trims to nothing. */
    wcscpy( buffer, L" \t\r\n " );
    trimmed = NULL;
    count = 0xdeadbeef;
    hr = WsTrimXmlWhitespace( buffer, 5, &trimmed, &count, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !count, "got %lu\n", count );
    /* The docs only say the pointer is into the original string. */
    ok( trimmed >= buffer && trimmed <= buffer + 5, "got %p, buffer %p\n", trimmed, buffer );

    wcscpy( buffer, L" " );
    trimmed = NULL;
    count = 0xdeadbeef;
    hr = WsTrimXmlWhitespace( buffer, 1, &trimmed, &count, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !count, "got %lu\n", count );
    ok( trimmed >= buffer && trimmed <= buffer + 1, "got %p, buffer %p\n", trimmed, buffer );

    /* Empty input. */
    wcscpy( buffer, L"abc" );
    trimmed = NULL;
    count = 0xdeadbeef;
    hr = WsTrimXmlWhitespace( buffer, 0, &trimmed, &count, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !count, "got %lu\n", count );
    ok( trimmed == buffer, "got %p, buffer %p\n", trimmed, buffer );
}

static void test_WsTrimXmlWhitespace_null( WS_ERROR *error )
{
    WCHAR buffer[] = L" a ", *trimmed;
    ULONG count;
    HRESULT hr;

    hr = WsTrimXmlWhitespace( NULL, 3, &trimmed, &count, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsTrimXmlWhitespace( buffer, 3, NULL, &count, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsTrimXmlWhitespace( buffer, 3, &trimmed, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsTrimXmlWhitespace( NULL, 0, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* No buffer and no characters: the docs do not say whether this is the
     * empty string or an invalid argument; it must not be a success with
     * characters left. */
    trimmed = buffer;
    count = 0xdeadbeef;
    hr = WsTrimXmlWhitespace( NULL, 0, &trimmed, &count, NULL );
    ok( hr == S_OK || hr == E_INVALIDARG, "got %#lx\n", hr );
    if (hr == S_OK) ok( !count, "got %lu\n", count );
    if (error)
    {
        hr = WsTrimXmlWhitespace( buffer, 3, NULL, &count, error );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
}

START_TEST(string)
{
    WS_ERROR *error = create_error();

    test_WsXmlStringEquals( error );
    test_WsXmlStringEquals_null( error );
    test_WsXmlStringEquals_dictionary();
    if (is_wine_builtin())
    {
        skip( "WsVerifyXmlNCName and WsTrimXmlWhitespace are aborting stubs in Wine's builtin DLL\n" );
        if (error) WsFreeError( error );
        return;
    }
    test_WsVerifyXmlNCName( error );
    test_WsVerifyXmlNCName_length();
    test_WsVerifyXmlNCName_null();
    test_WsTrimXmlWhitespace( error );
    test_WsTrimXmlWhitespace_empty();
    test_WsTrimXmlWhitespace_null( error );

    if (error) WsFreeError( error );
}
