/*
 * Tests of typed serialization: WsWriteType/WsReadType, WsWriteElement/
 * WsReadElement, WsWriteAttribute/WsReadAttribute.
 *
 * Expected values come from Microsoft's documentation of WS_TYPE,
 * WS_TYPE_MAPPING, WS_READ_OPTION, WS_WRITE_OPTION, WS_FIELD_DESCRIPTION,
 * WS_STRUCT_DESCRIPTION and the per-type descriptions (WS_INT32_DESCRIPTION
 * ranges, WS_ITEM_RANGE...).  Text forms are the ones WsWriteValue writes.
 * Where Wine's builtin disagrees, the comment next to the check says why the
 * documented behaviour is the one tested.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

static const WS_XML_WRITER_TEXT_ENCODING utf8_encoding = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
static const WS_XML_WRITER_BUFFER_OUTPUT buffer_output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
static const WS_XML_READER_TEXT_ENCODING text_auto = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };

static WS_XML_STRING str_a = WS_XML_STRING_VALUE( "a" );
static WS_XML_STRING str_b = WS_XML_STRING_VALUE( "b" );
static WS_XML_STRING str_c = WS_XML_STRING_VALUE( "c" );
static WS_XML_STRING str_d = WS_XML_STRING_VALUE( "d" );
static WS_XML_STRING str_s = WS_XML_STRING_VALUE( "s" );
static WS_XML_STRING str_item = WS_XML_STRING_VALUE( "item" );
static WS_XML_STRING str_ns = WS_XML_STRING_VALUE( "ns" );
static WS_XML_STRING str_empty = WS_XML_STRING_VALUE( "" );

static BOOL builtin;

static WS_HEAP *create_heap(void)
{
    WS_HEAP *heap = NULL;
    HRESULT hr = WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "WsCreateHeap: got %#lx\n", hr );
    return heap;
}

static WS_XML_WRITER *create_writer(void)
{
    WS_XML_WRITER *writer = NULL;
    HRESULT hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "WsCreateWriter: got %#lx\n", hr );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    return writer;
}

static void reset_writer( WS_XML_WRITER *writer )
{
    HRESULT hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
}

static WS_XML_READER *create_reader(void)
{
    WS_XML_READER *reader = NULL;
    HRESULT hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "WsCreateReader: got %#lx\n", hr );
    return reader;
}

static void set_input( WS_XML_READER *reader, const char *xml )
{
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)xml, strlen( xml ) };
    HRESULT hr = WsSetInput( reader, &text_auto.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
}

/* Input XML, positioned on its first element (as applications call WsReadType). */
static void set_input_element( WS_XML_READER *reader, const char *xml )
{
    HRESULT hr;
    set_input( reader, xml );
    hr = WsReadToStartElement( reader, NULL, NULL, NULL, NULL );
    ok( hr == S_OK, "WsReadToStartElement: got %#lx\n", hr );
}

#define check_output(writer, expected) check_output_( __LINE__, writer, expected, FALSE )
#define check_output_todo(writer, expected, todo) check_output_( __LINE__, writer, expected, todo )
static void check_output_( unsigned line, WS_XML_WRITER *writer, const char *expected, BOOL todo )
{
    WS_BYTES bytes = { 0, NULL };
    ULONG len = strlen( expected );
    HRESULT hr;

    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok_(__FILE__, line)( hr == S_OK, "WS_XML_WRITER_PROPERTY_BYTES: got %#lx\n", hr );
    todo_wine_if( todo ) ok_(__FILE__, line)( bytes.length == len && !memcmp( bytes.bytes, expected, len ), "got %s, expected %s\n",
                         wine_dbgstr_an( (const char *)bytes.bytes, bytes.length ), expected );
}

static void check_reader_eof_( unsigned line, WS_XML_READER *reader, BOOL todo )
{
    const WS_XML_NODE *node;
    HRESULT hr = WsGetReaderNode( reader, &node, NULL );
    ok_(__FILE__, line)( hr == S_OK, "WsGetReaderNode: got %#lx\n", hr );
    todo_wine_if( todo ) ok_(__FILE__, line)( node->nodeType == WS_XML_NODE_TYPE_EOF, "node type %d, expected EOF\n", node->nodeType );
}
#define check_reader_eof(reader) check_reader_eof_( __LINE__, reader, FALSE )
#define check_reader_eof_todo(reader, todo) check_reader_eof_( __LINE__, reader, todo )

/* Writes <PREFIX:LOCAL xmlns:PREFIX="NS">VALUE</PREFIX:LOCAL> (a fresh document) with
 * WS_ELEMENT_TYPE_MAPPING and returns the HRESULT of WsWriteType. */
static HRESULT write_named_element_type( WS_XML_WRITER *writer, const WS_XML_STRING *prefix,
                                         const WS_XML_STRING *local, const WS_XML_STRING *ns, WS_TYPE type,
                                         const void *desc, WS_WRITE_OPTION option, const void *value, ULONG size )
{
    HRESULT hr;

    reset_writer( writer );
    hr = WsWriteStartElement( writer, prefix, local, ns, NULL );
    ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
    hr = WsWriteType( writer, WS_ELEMENT_TYPE_MAPPING, type, desc, option, value, size, NULL );
    if (hr == S_OK)
    {
        HRESULT hr2 = WsWriteEndElement( writer, NULL );
        ok( hr2 == S_OK, "WsWriteEndElement: got %#lx\n", hr2 );
    }
    return hr;
}

/* Writes <a>VALUE</a> with WS_ELEMENT_TYPE_MAPPING and returns the HRESULT of WsWriteType. */
static HRESULT write_element_type( WS_XML_WRITER *writer, WS_TYPE type, const void *desc, WS_WRITE_OPTION option,
                                   const void *value, ULONG size )
{
    return write_named_element_type( writer, NULL, &str_a, &str_empty, type, desc, option, value, size );
}

/* WsReadType with WS_ELEMENT_TYPE_MAPPING, the reader on the element's start
 * as documented ("WsReadToStartElement(...)? WsReadType(...,
 * WS_ELEMENT_TYPE_MAPPING, ...)", WS_TYPE_MAPPING).  Wine's builtin fails
 * with WS_E_INVALID_FORMAT there: it wants the reader past the start element
 * (and reads the end element).  So that the rest of each check still
 * compares values and error codes with it, the builtin gets its start
 * element read first. */
static HRESULT read_element_type( WS_XML_READER *reader, WS_TYPE type, const void *desc, WS_READ_OPTION option,
                                  WS_HEAP *heap, void *value, ULONG size, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    if (builtin && WsGetReaderNode( reader, &node, NULL ) == S_OK && node->nodeType == WS_XML_NODE_TYPE_ELEMENT)
        WsReadStartElement( reader, NULL );
    return WsReadType( reader, WS_ELEMENT_TYPE_MAPPING, type, desc, option, heap, value, size, error );
}

/* ---------------------------------------------------------------------- */


static void test_scalar_types(void)
{
    static const struct
    {
        WS_TYPE type;
        ULONG size;
        BYTE value[16];
        const char *text;
        BOOL todo_write, todo_read;   /* Wine's builtin returns E_NOTIMPL */
    }
    tests[] =
    {
        { WS_BOOL_TYPE, sizeof(BOOL), { 1 }, "true" },
        { WS_BOOL_TYPE, sizeof(BOOL), { 0 }, "false" },
        { WS_INT8_TYPE, 1, { 0x80 }, "-128" },
        { WS_INT16_TYPE, 2, { 0xff, 0x7f }, "32767" },
        { WS_INT32_TYPE, 4, { 0xff, 0xff, 0xff, 0xff }, "-1" },
        { WS_INT64_TYPE, 8, { 0, 0, 0, 0, 0, 0, 0, 0x80 }, "-9223372036854775808" },
        { WS_UINT8_TYPE, 1, { 0xff }, "255" },
        { WS_UINT16_TYPE, 2, { 0xff, 0xff }, "65535" },
        { WS_UINT32_TYPE, 4, { 0xff, 0xff, 0xff, 0xff }, "4294967295" },
        { WS_UINT64_TYPE, 8, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "18446744073709551615" },
        { WS_DOUBLE_TYPE, 8, { 0, 0, 0, 0, 0, 0, 0xf8, 0x3f }, "1.5" },
        { WS_FLOAT_TYPE, 4, { 0, 0, 0x20, 0xc0 }, "-2.5", TRUE },
        { WS_GUID_TYPE, 16, { 1, 0, 0, 0, 2, 0, 3, 0, 4, 5, 6, 7, 8, 9, 10, 11 },
          "00000001-0002-0003-0405-060708090a0b" },
        { WS_TIMESPAN_TYPE, 8, { 0x00, 0x5e, 0xd0, 0xb2 }, "00:05:00", TRUE, TRUE },
    };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    char xml[128];
    BYTE value[16];
    void *ptr;
    ULONG i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "%lu: %s", i, tests[i].text );

        /* element mapping, both directions */
        hr = write_element_type( writer, tests[i].type, NULL, WS_WRITE_REQUIRED_VALUE, tests[i].value,
                                 tests[i].size );
        todo_wine_if( builtin && tests[i].todo_write ) ok( hr == S_OK, "WsWriteType: got %#lx\n", hr );
        sprintf( xml, "<a>%s</a>", tests[i].text );
        check_output_todo( writer, xml, builtin && tests[i].todo_write );

        set_input_element( reader, xml );
        memset( value, 0xcc, sizeof(value) );
        hr = read_element_type( reader, tests[i].type, NULL, WS_READ_REQUIRED_VALUE, heap, value,
                         tests[i].size, NULL );
        todo_wine_if( builtin && tests[i].todo_read ) ok( hr == S_OK, "WsReadType: got %#lx\n", hr );
        todo_wine_if( builtin && tests[i].todo_read ) ok( !memcmp( value, tests[i].value, tests[i].size ), "wrong value\n" );
        check_reader_eof_todo( reader, builtin && tests[i].todo_read );

        /* wrong sizes are E_INVALIDARG (documented: exact size of the type) */
        set_input_element( reader, xml );
        hr = read_element_type( reader, tests[i].type, NULL, WS_READ_REQUIRED_VALUE, heap, value,
                         tests[i].size + 1, NULL );
        todo_wine_if( builtin && tests[i].todo_read ) ok( hr == E_INVALIDARG, "WsReadType size + 1: got %#lx\n", hr );
        hr = write_element_type( writer, tests[i].type, NULL, WS_WRITE_REQUIRED_VALUE, tests[i].value,
                                 tests[i].size - 1 );
        todo_wine_if( builtin && tests[i].todo_write ) ok( hr == E_INVALIDARG, "WsWriteType size - 1: got %#lx\n", hr );

        /* WS_READ_REQUIRED_POINTER: allocated on the heap */
        set_input_element( reader, xml );
        ptr = NULL;
        hr = read_element_type( reader, tests[i].type, NULL, WS_READ_REQUIRED_POINTER, heap, &ptr,
                         sizeof(ptr), NULL );
        todo_wine_if( builtin && tests[i].todo_read ) ok( hr == S_OK, "WsReadType pointer: got %#lx\n", hr );
        todo_wine_if( builtin && tests[i].todo_read ) ok( ptr && !memcmp( ptr, tests[i].value, tests[i].size ), "wrong pointer value\n" );

        /* WS_WRITE_REQUIRED_POINTER */
        ptr = (void *)tests[i].value;
        hr = write_element_type( writer, tests[i].type, NULL, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
        todo_wine_if( builtin && tests[i].todo_write ) ok( hr == S_OK, "WsWriteType pointer: got %#lx\n", hr );
        check_output_todo( writer, xml, builtin && tests[i].todo_write );

        /* attribute mapping */
        reset_writer( writer );
        WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
        WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
        hr = WsWriteType( writer, WS_ATTRIBUTE_TYPE_MAPPING, tests[i].type, NULL, WS_WRITE_REQUIRED_VALUE,
                          tests[i].value, tests[i].size, NULL );
        todo_wine_if( builtin && tests[i].todo_write ) ok( hr == S_OK, "WsWriteType attribute: got %#lx\n", hr );
        WsWriteEndAttribute( writer, NULL );
        WsWriteEndElement( writer, NULL );
        sprintf( xml, "<a b=\"%s\"/>", tests[i].text );
        check_output_todo( writer, xml, builtin && tests[i].todo_write );

        /* Documented sequence: WsFindAttribute, WsReadStartAttribute, WsReadType.
         * Wine's builtin crashes (NULL dereference) here: checked on this DLL only. */
        if (!builtin)
        {
            set_input_element( reader, xml );
            hr = WsReadStartAttribute( reader, 0, NULL );
            ok( hr == S_OK, "WsReadStartAttribute: got %#lx\n", hr );
            memset( value, 0xcc, sizeof(value) );
            hr = WsReadType( reader, WS_ATTRIBUTE_TYPE_MAPPING, tests[i].type, NULL, WS_READ_REQUIRED_VALUE, heap,
                             value, tests[i].size, NULL );
            todo_wine_if( builtin && tests[i].todo_write ) ok( hr == S_OK, "WsReadType attribute: got %#lx\n", hr );
            todo_wine_if( builtin && tests[i].todo_write ) ok( !memcmp( value, tests[i].value, tests[i].size ), "wrong attribute value\n" );
        }

        /* element content mapping */
        sprintf( xml, "<a>%s</a>", tests[i].text );
        set_input_element( reader, xml );
        WsReadStartElement( reader, NULL );
        memset( value, 0xcc, sizeof(value) );
        hr = WsReadType( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, tests[i].type, NULL, WS_READ_REQUIRED_VALUE, heap,
                         value, tests[i].size, NULL );
        todo_wine_if( builtin && tests[i].todo_read ) ok( hr == S_OK, "WsReadType content: got %#lx\n", hr );
        todo_wine_if( builtin && tests[i].todo_read ) ok( !memcmp( value, tests[i].value, tests[i].size ), "wrong content value\n" );
        hr = WsReadEndElement( reader, NULL );
        ok( hr == S_OK, "WsReadEndElement after the content: got %#lx\n", hr );

        winetest_pop_context();
    }

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_numeric_errors(void)
{
    static const struct
    {
        WS_TYPE type;
        ULONG size;
        const char *xml;
        HRESULT hr;
    }
    tests[] =
    {
        /* documented: out of the C type's range is WS_E_NUMERIC_OVERFLOW, bad text WS_E_INVALID_FORMAT */
        { WS_INT8_TYPE, 1, "<a>128</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_INT8_TYPE, 1, "<a>-129</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_UINT8_TYPE, 1, "<a>256</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_INT16_TYPE, 2, "<a>32768</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_UINT16_TYPE, 2, "<a>65536</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_INT32_TYPE, 4, "<a>2147483648</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_UINT32_TYPE, 4, "<a>4294967296</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_INT64_TYPE, 8, "<a>9223372036854775808</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_UINT64_TYPE, 8, "<a>18446744073709551616</a>", WS_E_NUMERIC_OVERFLOW },
        { WS_INT32_TYPE, 4, "<a>1x</a>", WS_E_INVALID_FORMAT },
        { WS_INT32_TYPE, 4, "<a></a>", WS_E_INVALID_FORMAT },
        { WS_BOOL_TYPE, 4, "<a>yes</a>", WS_E_INVALID_FORMAT },
        { WS_DOUBLE_TYPE, 8, "<a>1.5.5</a>", WS_E_INVALID_FORMAT },
        { WS_GUID_TYPE, 16, "<a>00000001-0002-0003-0405</a>", WS_E_INVALID_FORMAT },
        /* a child element is not text */
        { WS_INT32_TYPE, 4, "<a><b/></a>", WS_E_INVALID_FORMAT },
    };
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    BYTE value[16];
    ULONG i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "%lu: %s", i, tests[i].xml );
        set_input_element( reader, tests[i].xml );
        hr = read_element_type( reader, tests[i].type, NULL, WS_READ_REQUIRED_VALUE, heap, value,
                         tests[i].size, NULL );
        ok( hr == tests[i].hr, "got %#lx, expected %#lx\n", hr, tests[i].hr );
        winetest_pop_context();
    }
    /* whitespace around numbers is allowed */
    set_input_element( reader, "<a> 12 </a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, value, 4, NULL );
    ok( hr == S_OK && *(INT32 *)value == 12, "got %#lx %d\n", hr, *(INT32 *)value );

    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_ranges(void)
{
    WS_INT32_DESCRIPTION int_desc = { -5, 10 };
    WS_UINT64_DESCRIPTION uint64_desc = { 2, 3 };
    WS_DOUBLE_DESCRIPTION double_desc = { 0.0, 1.0 };
    WS_STRING_DESCRIPTION string_desc = { 1, 3 };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    INT32 i32;
    UINT64 u64;
    double dbl;
    WS_STRING str;
    HRESULT hr;

    set_input_element( reader, "<a>10</a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, &int_desc, WS_READ_REQUIRED_VALUE, heap, &i32,
                     sizeof(i32), NULL );
    /* The documented min/max of WS_INT32_DESCRIPTION and WS_UINT64_DESCRIPTION: a value outside them is
     * WS_E_INVALID_FORMAT.  Wine's builtin does not implement range descriptions (E_NOTIMPL). */
    todo_wine_if( builtin ) ok( hr == S_OK && i32 == 10, "in range: got %#lx %d\n", hr, i32 );
    set_input_element( reader, "<a>11</a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, &int_desc, WS_READ_REQUIRED_VALUE, heap, &i32,
                     sizeof(i32), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "above the range: got %#lx\n", hr );
    set_input_element( reader, "<a>-6</a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, &int_desc, WS_READ_REQUIRED_VALUE, heap, &i32,
                     sizeof(i32), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "below the range: got %#lx\n", hr );
    set_input_element( reader, "<a>4</a>" );
    hr = read_element_type( reader, WS_UINT64_TYPE, &uint64_desc, WS_READ_REQUIRED_VALUE, heap, &u64,
                     sizeof(u64), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "uint64 above the range: got %#lx\n", hr );
    set_input_element( reader, "<a>1.5</a>" );
    hr = read_element_type( reader, WS_DOUBLE_TYPE, &double_desc, WS_READ_REQUIRED_VALUE, heap, &dbl,
                     sizeof(dbl), NULL );
    /* Wine's builtin ignores WS_DOUBLE_DESCRIPTION's range. */
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "double above the range: got %#lx\n", hr );

    set_input_element( reader, "<a>abcd</a>" );
    hr = read_element_type( reader, WS_STRING_TYPE, &string_desc, WS_READ_REQUIRED_VALUE, heap, &str,
                     sizeof(str), NULL );
    /* maxCharCount of WS_STRING_DESCRIPTION; Wine's builtin ignores it. */
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "string too long: got %#lx\n", hr );
    set_input_element( reader, "<a>abc</a>" );
    hr = read_element_type( reader, WS_STRING_TYPE, &string_desc, WS_READ_REQUIRED_VALUE, heap, &str,
                     sizeof(str), NULL );
    ok( hr == S_OK && str.length == 3, "string at the limit: got %#lx %lu\n", hr, str.length );

    /* writing a value outside its description's range is an invalid argument;
     * Wine's builtin does not implement range descriptions (E_NOTIMPL) */
    i32 = 11;
    hr = write_element_type( writer, WS_INT32_TYPE, &int_desc, WS_WRITE_REQUIRED_VALUE, &i32, sizeof(i32) );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "write above the range: got %#lx\n", hr );
    i32 = -5;
    hr = write_element_type( writer, WS_INT32_TYPE, &int_desc, WS_WRITE_REQUIRED_VALUE, &i32, sizeof(i32) );
    /* Wine's builtin does not implement range descriptions when writing (E_NOTIMPL). */
    todo_wine_if( builtin ) ok( hr == S_OK, "write at the range: got %#lx\n", hr );
    check_output_todo( writer, "<a>-5</a>", builtin );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_strings(void)
{
    static WCHAR hello[] = L"h\xe9llo <&>";
    static BYTE bytes[] = { 0, 1, 2, 0xff, 0xfe };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_STRING str = { ARRAY_SIZE(hello) - 1, hello }, str_out;
    WS_XML_STRING xmlstr = WS_XML_STRING_VALUE( "xml\xc3\xa9" ), xmlstr_out;
    WS_BYTES b = { sizeof(bytes), bytes }, b_out;
    WCHAR *wsz = hello, *wsz_out;
    HRESULT hr;

    /* WS_STRING */
    hr = write_element_type( writer, WS_STRING_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &str, sizeof(str) );
    ok( hr == S_OK, "WS_STRING: got %#lx\n", hr );
    check_output( writer, "<a>h\xc3\xa9llo &lt;&amp;&gt;</a>" );
    set_input_element( reader, "<a>h\xc3\xa9llo &lt;&amp;&gt;</a>" );
    hr = read_element_type( reader, WS_STRING_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &str_out,
                     sizeof(str_out), NULL );
    ok( hr == S_OK, "read WS_STRING: got %#lx\n", hr );
    ok( str_out.length == str.length && !memcmp( str_out.chars, hello, sizeof(hello) - sizeof(WCHAR) ),
        "got %s\n", wine_dbgstr_wn( str_out.chars, str_out.length ) );

    /* WS_WSZ: a pointer type, only with the pointer options */
    hr = write_element_type( writer, WS_WSZ_TYPE, NULL, WS_WRITE_REQUIRED_POINTER, &wsz, sizeof(wsz) );
    ok( hr == S_OK, "wsz: got %#lx\n", hr );
    check_output( writer, "<a>h\xc3\xa9llo &lt;&amp;&gt;</a>" );
    hr = write_element_type( writer, WS_WSZ_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &wsz, sizeof(wsz) );
    ok( hr == E_INVALIDARG, "wsz required value: got %#lx\n", hr );
    set_input_element( reader, "<a>h\xc3\xa9llo &lt;&amp;&gt;</a>" );
    hr = read_element_type( reader, WS_WSZ_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &wsz_out,
                     sizeof(wsz_out), NULL );
    /* Pointer types may not be used with WS_READ_REQUIRED_VALUE (documented): an invalid argument;
     * Wine's builtin says E_NOTIMPL. */
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "read wsz required value: got %#lx\n", hr );
    wsz_out = NULL;
    hr = read_element_type( reader, WS_WSZ_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap, &wsz_out,
                     sizeof(wsz_out), NULL );
    ok( hr == S_OK, "read wsz: got %#lx\n", hr );
    ok( wsz_out && !wcscmp( wsz_out, hello ), "got %s\n", wine_dbgstr_w( wsz_out ) );

    /* an empty element is an empty string */
    set_input_element( reader, "<a/>" );
    wsz_out = NULL;
    hr = read_element_type( reader, WS_WSZ_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap, &wsz_out,
                     sizeof(wsz_out), NULL );
    /* An empty element is the empty string; Wine's builtin fails with WS_E_INVALID_FORMAT. */
    todo_wine_if( builtin ) ok( hr == S_OK && wsz_out && !wsz_out[0], "empty wsz: got %#lx %s\n", hr, wine_dbgstr_w( wsz_out ) );

    /* WS_XML_STRING */
    hr = write_element_type( writer, WS_XML_STRING_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &xmlstr, sizeof(xmlstr) );
    ok( hr == S_OK, "WS_XML_STRING: got %#lx\n", hr );
    check_output( writer, "<a>xml\xc3\xa9</a>" );
    set_input_element( reader, "<a>xml\xc3\xa9</a>" );
    hr = read_element_type( reader, WS_XML_STRING_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap,
                     &xmlstr_out, sizeof(xmlstr_out), NULL );
    ok( hr == S_OK, "read WS_XML_STRING: got %#lx\n", hr );
    ok( xmlstr_out.length == 5 && !memcmp( xmlstr_out.bytes, "xml\xc3\xa9", 5 ), "wrong string\n" );

    /* WS_BYTES: base64 */
    hr = write_element_type( writer, WS_BYTES_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &b, sizeof(b) );
    ok( hr == S_OK, "WS_BYTES: got %#lx\n", hr );
    check_output( writer, "<a>AAEC//4=</a>" );
    set_input_element( reader, "<a>AAEC//4=</a>" );
    hr = read_element_type( reader, WS_BYTES_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &b_out,
                     sizeof(b_out), NULL );
    ok( hr == S_OK, "read WS_BYTES: got %#lx\n", hr );
    ok( b_out.length == sizeof(bytes) && !memcmp( b_out.bytes, bytes, sizeof(bytes) ), "wrong bytes\n" );

    /* nil values: a NULL data pointer, written as xsi:nil with WS_WRITE_NILLABLE_VALUE */
    memset( &str_out, 0, sizeof(str_out) );
    hr = write_element_type( writer, WS_STRING_TYPE, NULL, WS_WRITE_NILLABLE_VALUE, &str_out, sizeof(str_out) );
    ok( hr == S_OK, "nil WS_STRING: got %#lx\n", hr );
    /* WS_WRITE_NILLABLE_VALUE: a nil value is written as xsi:nil="true" (documented); Wine's builtin writes
     * an empty element. */
    check_output_todo( writer, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>", builtin );
    set_input_element( reader, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    str_out.chars = hello;
    hr = read_element_type( reader, WS_STRING_TYPE, NULL, WS_READ_NILLABLE_VALUE, heap, &str_out,
                     sizeof(str_out), NULL );
    /* Wine's builtin: see read_element_type; with its start element read first xsi:nil is out of reach. */
    todo_wine_if( builtin ) ok( hr == S_OK, "read nil WS_STRING: got %#lx\n", hr );
    ok( !str_out.chars && !str_out.length, "nil string not NULL\n" );
    check_reader_eof( reader );
    /* nil is not a value of WS_READ_REQUIRED_VALUE */
    set_input_element( reader, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    hr = read_element_type( reader, WS_STRING_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &str_out,
                     sizeof(str_out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "nil required value: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_options(void)
{
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    INT32 value = 7, *ptr;
    HRESULT hr;

    /* NILLABLE_VALUE needs a type with a nil value */
    hr = write_element_type( writer, WS_INT32_TYPE, NULL, WS_WRITE_NILLABLE_VALUE, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "int32 nillable value: got %#lx\n", hr );
    set_input_element( reader, "<a>1</a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_NILLABLE_VALUE, heap, &value,
                     sizeof(value), NULL );
    /* WS_READ_NILLABLE_VALUE needs a type with a nil value (WS_READ_OPTION); Wine's builtin reads the int. */
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "read int32 nillable value: got %#lx\n", hr );

    /* NULL pointers */
    ptr = NULL;
    hr = write_element_type( writer, WS_INT32_TYPE, NULL, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
    ok( hr == E_INVALIDARG, "NULL required pointer: got %#lx\n", hr );
    hr = write_element_type( writer, WS_INT32_TYPE, NULL, WS_WRITE_NILLABLE_POINTER, &ptr, sizeof(ptr) );
    ok( hr == S_OK, "NULL nillable pointer: got %#lx\n", hr );
    check_output( writer, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    hr = write_element_type( writer, WS_INT32_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, NULL, sizeof(INT32) );
    ok( hr == E_INVALIDARG, "NULL value: got %#lx\n", hr );
    hr = write_element_type( writer, WS_INT32_TYPE, NULL, 0, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "invalid write option: got %#lx\n", hr );

    /* pointer options need the size of a pointer */
    set_input_element( reader, "<a>1</a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap, &ptr,
                     sizeof(ptr) + 1, NULL );
    ok( hr == E_INVALIDARG, "pointer size: got %#lx\n", hr );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, 0, heap, &value, sizeof(value), NULL );
    /* Invalid enumeration values are E_INVALIDARG; Wine's builtin says E_NOTIMPL. */
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "invalid read option: got %#lx\n", hr );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, NULL,
                     sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "NULL value: got %#lx\n", hr );
    hr = WsReadType( NULL, WS_ELEMENT_TYPE_MAPPING, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &value,
                     sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "NULL reader: got %#lx\n", hr );
    hr = WsWriteType( NULL, WS_ELEMENT_TYPE_MAPPING, WS_INT32_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &value,
                      sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "NULL writer: got %#lx\n", hr );

    /* nil with the pointer options */
    set_input_element( reader, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    ptr = &value;
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_NILLABLE_POINTER, heap, &ptr,
                     sizeof(ptr), NULL );
    /* Wine's builtin: see read_element_type; with its start element read first xsi:nil is out of reach. */
    todo_wine_if( builtin ) ok( hr == S_OK && !ptr, "nil nillable pointer: got %#lx %p\n", hr, ptr );
    set_input_element( reader, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap, &ptr,
                     sizeof(ptr), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "nil required pointer: got %#lx\n", hr );
    set_input_element( reader, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &value,
                     sizeof(value), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "nil required value: got %#lx\n", hr );

    /* heap needed for WS_READ_*_POINTER (Wine's builtin crashes on a NULL heap) */
    if (!builtin)
    {
        set_input_element( reader, "<a>1</a>" );
        hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_POINTER, NULL, &ptr, sizeof(ptr), NULL );
        ok( hr == E_INVALIDARG, "no heap: got %#lx\n", hr );
    }
    /* but not for a primitive read into the caller's storage (documented) */
    set_input_element( reader, "<a>1</a>" );
    hr = read_element_type( reader, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, NULL, &value,
                     sizeof(value), NULL );
    ok( hr == S_OK && value == 1, "no heap, value: got %#lx %d\n", hr, value );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_element_attribute(void)
{
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_a, &str_ns, WS_INT32_TYPE, NULL };
    WS_ATTRIBUTE_DESCRIPTION attr_desc = { &str_b, &str_empty, WS_UINT16_TYPE, NULL };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    INT32 value = -3, *ptr;
    UINT16 u16 = 300, *u16_ptr;
    HRESULT hr;

    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "WsWriteElement: got %#lx\n", hr );
    check_output( writer, "<a xmlns=\"ns\">-3</a>" );

    reset_writer( writer );
    WsWriteStartElement( writer, NULL, &str_c, &str_empty, NULL );
    hr = WsWriteAttribute( writer, &attr_desc, WS_WRITE_REQUIRED_VALUE, &u16, sizeof(u16), NULL );
    ok( hr == S_OK, "WsWriteAttribute: got %#lx\n", hr );
    WsWriteEndElement( writer, NULL );
    /* Wine's builtin loses the element's start here. */
    check_output_todo( writer, "<c b=\"300\"/>", builtin );
    hr = WsWriteElement( writer, NULL, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "NULL description: got %#lx\n", hr );

    set_input( reader, "<a xmlns=\"ns\">-3</a>" );
    value = 0;
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    ok( hr == S_OK && value == -3, "WsReadElement: got %#lx %d\n", hr, value );
    /* WsReadElement reads the whole element (documented); Wine's builtin stops on its end element. */
    check_reader_eof_todo( reader, builtin );

    /* another element is "missing" */
    set_input( reader, "<b xmlns=\"ns\">-3</b>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "wrong element: got %#lx\n", hr );
    set_input( reader, "<b xmlns=\"ns\">-3</b>" );
    ptr = &value;
    hr = WsReadElement( reader, &elem_desc, WS_READ_OPTIONAL_POINTER, heap, &ptr, sizeof(ptr), NULL );
    /* WS_READ_OPTIONAL_POINTER: a value that is not there gives NULL and S_OK (documented);
     * Wine's builtin fails with WS_E_INVALID_FORMAT on another element. */
    todo_wine_if( builtin ) ok( hr == S_OK && !ptr, "optional missing element: got %#lx %p\n", hr, ptr );

    set_input_element( reader, "<c b=\"300\"/>" );
    u16 = 0;
    hr = WsReadAttribute( reader, &attr_desc, WS_READ_REQUIRED_VALUE, heap, &u16, sizeof(u16), NULL );
    ok( hr == S_OK && u16 == 300, "WsReadAttribute: got %#lx %u\n", hr, u16 );
    set_input_element( reader, "<c d=\"300\"/>" );
    hr = WsReadAttribute( reader, &attr_desc, WS_READ_REQUIRED_VALUE, heap, &u16, sizeof(u16), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "missing attribute: got %#lx\n", hr );
    u16_ptr = &u16;
    hr = WsReadAttribute( reader, &attr_desc, WS_READ_OPTIONAL_POINTER, heap, &u16_ptr, sizeof(u16_ptr), NULL );
    ok( hr == S_OK && !u16_ptr, "optional missing attribute: got %#lx %p\n", hr, u16_ptr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_enum(void)
{
    static WS_XML_STRING red = WS_XML_STRING_VALUE( "red" ), green = WS_XML_STRING_VALUE( "green" );
    static WS_ENUM_VALUE values[] = { { 1, &red }, { 5, &green } };
    WS_ENUM_DESCRIPTION desc = { values, ARRAY_SIZE(values), 5, NULL };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    int value = 5;
    HRESULT hr;

    hr = write_element_type( writer, WS_ENUM_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "enum: got %#lx\n", hr );
    check_output( writer, "<a>green</a>" );
    value = 2;
    hr = write_element_type( writer, WS_ENUM_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "not an enum value: got %#lx\n", hr );
    hr = write_element_type( writer, WS_ENUM_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "no description: got %#lx\n", hr );

    set_input_element( reader, "<a>red</a>" );
    hr = read_element_type( reader, WS_ENUM_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &value,
                     sizeof(value), NULL );
    ok( hr == S_OK && value == 1, "read enum: got %#lx %d\n", hr, value );
    set_input_element( reader, "<a>blue</a>" );
    hr = read_element_type( reader, WS_ENUM_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &value,
                     sizeof(value), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "unknown name: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* structs                                                                 */

struct inner
{
    WS_STRING name;
    INT32 id;
};

struct outer
{
    UINT32 version;          /* attribute */
    struct inner inner;      /* element */
    INT32 *items;            /* repeating element, wrapped in <d> */
    ULONG item_count;
    double *opt;             /* optional pointer element */
    WCHAR *note;             /* nillable wsz element */
};

static void test_structs(void)
{
    static WS_XML_STRING str_name = WS_XML_STRING_VALUE( "name" ), str_id = WS_XML_STRING_VALUE( "id" );
    static WS_XML_STRING str_version = WS_XML_STRING_VALUE( "version" ), str_opt = WS_XML_STRING_VALUE( "opt" );
    static WS_XML_STRING str_note = WS_XML_STRING_VALUE( "note" );
    WS_FIELD_DESCRIPTION inner_name = { WS_ELEMENT_FIELD_MAPPING, &str_name, &str_ns, WS_STRING_TYPE, NULL,
                                        offsetof(struct inner, name) };
    WS_FIELD_DESCRIPTION inner_id = { WS_ATTRIBUTE_FIELD_MAPPING, &str_id, &str_empty, WS_INT32_TYPE, NULL,
                                      offsetof(struct inner, id) };
    WS_FIELD_DESCRIPTION *inner_fields[] = { &inner_id, &inner_name };
    WS_STRUCT_DESCRIPTION inner_desc = { sizeof(struct inner), TYPE_ALIGNMENT(struct inner), inner_fields, 2,
                                         &str_c, &str_ns };
    WS_ITEM_RANGE range = { 0, 3 };
    WS_FIELD_DESCRIPTION f_version = { WS_ATTRIBUTE_FIELD_MAPPING, &str_version, &str_empty, WS_UINT32_TYPE, NULL,
                                       offsetof(struct outer, version) };
    WS_FIELD_DESCRIPTION f_inner = { WS_ELEMENT_FIELD_MAPPING, &str_c, &str_ns, WS_STRUCT_TYPE, &inner_desc,
                                     offsetof(struct outer, inner) };
    WS_FIELD_DESCRIPTION f_items = { WS_REPEATING_ELEMENT_FIELD_MAPPING, &str_d, &str_ns, WS_INT32_TYPE, NULL,
                                     offsetof(struct outer, items), 0, NULL, offsetof(struct outer, item_count),
                                     &str_item, &str_ns, &range };
    WS_FIELD_DESCRIPTION f_opt = { WS_ELEMENT_FIELD_MAPPING, &str_opt, &str_ns, WS_DOUBLE_TYPE, NULL,
                                   offsetof(struct outer, opt), WS_FIELD_POINTER | WS_FIELD_OPTIONAL };
    WS_FIELD_DESCRIPTION f_note = { WS_ELEMENT_FIELD_MAPPING, &str_note, &str_ns, WS_WSZ_TYPE, NULL,
                                    offsetof(struct outer, note), WS_FIELD_NILLABLE };
    WS_FIELD_DESCRIPTION *fields[] = { &f_version, &f_inner, &f_items, &f_opt, &f_note };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct outer), TYPE_ALIGNMENT(struct outer), fields, ARRAY_SIZE(fields),
                                   &str_b, &str_ns };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_b, &str_ns, WS_STRUCT_TYPE, &desc };
    static const char expected[] =
        "<b version=\"2\" xmlns=\"ns\"><c id=\"-7\"><name>x&amp;y</name></c>"
        "<d><item>1</item><item>2</item><item>3</item></d><note a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/></b>";
    static WCHAR xy[] = L"x&y";
    INT32 items[4] = { 1, 2, 3, 4 };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct outer value, *out;
    HRESULT hr;

    memset( &value, 0, sizeof(value) );
    value.version = 2;
    value.inner.name.chars = xy;
    value.inner.name.length = 3;
    value.inner.id = -7;
    value.items = items;
    value.item_count = 3;
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "WsWriteElement struct: got %#lx\n", hr );
    check_output( writer, expected );

    set_input( reader, expected );
    out = NULL;
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "WsReadElement struct: got %#lx\n", hr );
    if (out)
    {
        ok( out->version == 2, "version %u\n", out->version );
        ok( out->inner.id == -7, "id %d\n", out->inner.id );
        ok( out->inner.name.length == 3 && !memcmp( out->inner.name.chars, xy, 6 ), "name %s\n",
            wine_dbgstr_wn( out->inner.name.chars, out->inner.name.length ) );
        ok( out->item_count == 3 && out->items && out->items[2] == 3, "items %lu\n", out->item_count );
        ok( !out->opt, "opt %p\n", out->opt );
        ok( !out->note, "note %p\n", out->note );
    }
    /* WsReadElement reads the whole element (documented); Wine's builtin stops on its end element. */
    check_reader_eof_todo( reader, builtin );

    /* too many items for the item range */
    value.item_count = 4;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    /* WS_ITEM_RANGE bounds the item count (documented); Wine's builtin writes the 4 items. */
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "item count above the range: got %#lx\n", hr );
    set_input( reader, "<b version=\"2\" xmlns=\"ns\"><c id=\"1\"><name/></c>"
                       "<d><item>1</item><item>2</item><item>3</item><item>4</item></d><note/></b>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "read item count above the range: got %#lx\n", hr );

    /* required attribute missing */
    set_input( reader, "<b xmlns=\"ns\"><c id=\"1\"><name/></c><d/><note/></b>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "missing attribute: got %#lx\n", hr );
    /* required element missing */
    set_input( reader, "<b version=\"1\" xmlns=\"ns\"><d/><note/></b>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "missing element: got %#lx\n", hr );
    /* unexpected trailing element */
    set_input( reader, "<b version=\"1\" xmlns=\"ns\"><c id=\"1\"><name/></c><d/><note/><zz/></b>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "trailing element: got %#lx\n", hr );
    /* ...unless the struct ignores trailing content */
    desc.structOptions = WS_STRUCT_IGNORE_TRAILING_ELEMENT_CONTENT;
    set_input( reader, "<b version=\"1\" xmlns=\"ns\"><c id=\"1\"><name/></c><d/><opt>0.5</opt><note>n</note><zz/></b>" );
    out = NULL;
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "ignored trailing element: got %#lx\n", hr );
    if (out)
    {
        ok( out->opt && *out->opt == 0.5, "opt\n" );
        ok( out->note && !wcscmp( out->note, L"n" ), "note %s\n", wine_dbgstr_w( out->note ) );
        ok( !out->item_count, "items %lu\n", out->item_count );
    }
    desc.structOptions = 0;

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

struct text_struct
{
    INT32 attr;
    WS_STRING text;
};

static void test_text_field(void)
{
    WS_FIELD_DESCRIPTION f_attr = { WS_ATTRIBUTE_FIELD_MAPPING, &str_b, &str_empty, WS_INT32_TYPE, NULL,
                                    offsetof(struct text_struct, attr) };
    WS_FIELD_DESCRIPTION f_text = { WS_TEXT_FIELD_MAPPING, NULL, NULL, WS_STRING_TYPE, NULL,
                                    offsetof(struct text_struct, text) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_attr, &f_text };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct text_struct), 4, fields, 2, &str_a, &str_empty };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct text_struct value = { 4, { 2, (WCHAR *)L"hi" } }, out;
    HRESULT hr;

    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "text field: got %#lx\n", hr );
    check_output( writer, "<a b=\"4\">hi</a>" );
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) - 1 );
    ok( hr == E_INVALIDARG, "wrong struct size: got %#lx\n", hr );

    set_input_element( reader, "<a b=\"4\">hi</a>" );
    memset( &out, 0, sizeof(out) );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &out,
                     sizeof(out), NULL );
    /* Wine's builtin: see read_element_type; with its start element read first the attribute field is out of reach. */
    todo_wine_if( builtin ) ok( hr == S_OK, "read text field: got %#lx\n", hr );
    todo_wine_if( builtin ) ok( out.attr == 4 && out.text.length == 2 && !memcmp( out.text.chars, L"hi", 4 ), "wrong value\n" );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* unions: WS_ELEMENT_CHOICE_FIELD_MAPPING and the repeating choice        */

enum choice { CHOICE_NONE = 0, CHOICE_INT = 1, CHOICE_STR = 2 };

struct choice_union
{
    enum choice which;
    union
    {
        INT32 i;
        WS_STRING s;
    } value;
};

struct choice_struct
{
    struct choice_union one;
    struct choice_union *list;
    ULONG count;
};

static void test_unions(void)
{
    static WS_XML_STRING str_i = WS_XML_STRING_VALUE( "i" ), str_s = WS_XML_STRING_VALUE( "s" );
    static WS_XML_STRING str_list = WS_XML_STRING_VALUE( "list" );
    WS_UNION_FIELD_DESCRIPTION u_int = { CHOICE_INT, { WS_ELEMENT_FIELD_MAPPING, &str_i, &str_empty, WS_INT32_TYPE,
                                         NULL, offsetof(struct choice_union, value.i) } };
    WS_UNION_FIELD_DESCRIPTION u_str = { CHOICE_STR, { WS_ELEMENT_FIELD_MAPPING, &str_s, &str_empty, WS_STRING_TYPE,
                                         NULL, offsetof(struct choice_union, value.s) } };
    WS_UNION_FIELD_DESCRIPTION *u_fields[] = { &u_int, &u_str };
    WS_UNION_DESCRIPTION u_desc = { sizeof(struct choice_union), TYPE_ALIGNMENT(struct choice_union), u_fields, 2,
                                    offsetof(struct choice_union, which), CHOICE_NONE };
    WS_FIELD_DESCRIPTION f_one = { WS_ELEMENT_CHOICE_FIELD_MAPPING, NULL, NULL, WS_UNION_TYPE, &u_desc,
                                   offsetof(struct choice_struct, one), WS_FIELD_OPTIONAL };
    WS_FIELD_DESCRIPTION f_list = { WS_REPEATING_ELEMENT_CHOICE_FIELD_MAPPING, &str_list, &str_empty, WS_UNION_TYPE,
                                    &u_desc, offsetof(struct choice_struct, list), 0, NULL,
                                    offsetof(struct choice_struct, count) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_one, &f_list };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct choice_struct), TYPE_ALIGNMENT(struct choice_struct), fields, 2 };
    static const char expected[] = "<a><s>one</s><list><i>5</i><s>x</s><i>-1</i></list></a>";
    struct choice_union items[3];
    struct choice_struct value, out;
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    memset( &value, 0, sizeof(value) );
    value.one.which = CHOICE_STR;
    value.one.value.s.chars = (WCHAR *)L"one";
    value.one.value.s.length = 3;
    memset( items, 0, sizeof(items) );
    items[0].which = CHOICE_INT;
    items[0].value.i = 5;
    items[1].which = CHOICE_STR;
    items[1].value.s.chars = (WCHAR *)L"x";
    items[1].value.s.length = 1;
    items[2].which = CHOICE_INT;
    items[2].value.i = -1;
    value.list = items;
    value.count = 3;

    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "write choices: got %#lx\n", hr );
    check_output( writer, expected );

    set_input_element( reader, expected );
    memset( &out, 0xcc, sizeof(out) );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    /* Wine's builtin writes this document (above) but fails to read it back (WS_E_INVALID_FORMAT). */
    todo_wine_if( builtin ) ok( hr == S_OK, "read choices: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( out.one.which == CHOICE_STR && out.one.value.s.length == 3 &&
            !memcmp( out.one.value.s.chars, L"one", 6 ), "wrong choice %d\n", out.one.which );
        ok( out.count == 3, "count %lu\n", out.count );
        if (out.count == 3)
        {
            ok( out.list[0].which == CHOICE_INT && out.list[0].value.i == 5, "item 0\n" );
            ok( out.list[1].which == CHOICE_STR && out.list[1].value.s.length == 1, "item 1\n" );
            ok( out.list[2].which == CHOICE_INT && out.list[2].value.i == -1, "item 2\n" );
        }
    }

    /* an optional choice with no element is noneEnumValue, and is not written */
    set_input_element( reader, "<a><list/></a>" );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "read no choice: got %#lx\n", hr );
    ok( out.one.which == CHOICE_NONE && !out.count, "got %d %lu\n", out.one.which, out.count );
    value.one.which = CHOICE_NONE;
    value.count = 0;
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "write no choice: got %#lx\n", hr );
    check_output( writer, "<a><list/></a>" );

    /* a required choice must be there */
    f_one.options = 0;
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    /* Invalid data from the caller is E_INVALIDARG (WsWriteType's documented codes); Wine's builtin says
     * WS_E_INVALID_FORMAT. */
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "write required none: got %#lx\n", hr );
    set_input_element( reader, "<a><list/></a>" );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    /* Wine's builtin accepts a missing required choice. */
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "read required none: got %#lx\n", hr );
    /* an enum value that selects no field */
    value.one.which = 7;
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    /* Invalid data from the caller is E_INVALIDARG (WsWriteType's documented codes); Wine's builtin says
     * WS_E_INVALID_FORMAT. */
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "write unknown choice: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* XML buffers: WS_ANY_ELEMENT_TYPE_MAPPING and the any-element fields     */

struct any_struct
{
    INT32 first;
    WS_XML_BUFFER *any;
    WS_XML_BUFFER **rest;
    ULONG rest_count;
};

static void test_xml_buffers(void)
{
    static WS_XML_STRING str_first = WS_XML_STRING_VALUE( "first" );
    WS_FIELD_DESCRIPTION f_first = { WS_ELEMENT_FIELD_MAPPING, &str_first, &str_empty, WS_INT32_TYPE, NULL,
                                     offsetof(struct any_struct, first) };
    WS_FIELD_DESCRIPTION f_any = { WS_ANY_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_XML_BUFFER_TYPE, NULL,
                                   offsetof(struct any_struct, any), WS_FIELD_OPTIONAL };
    WS_FIELD_DESCRIPTION f_rest = { WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_XML_BUFFER_TYPE, NULL,
                                    offsetof(struct any_struct, rest), 0, NULL,
                                    offsetof(struct any_struct, rest_count) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_first, &f_any, &f_rest };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct any_struct), TYPE_ALIGNMENT(struct any_struct), fields, 3 };
    static const char doc[] = "<a><first>1</first><x y=\"1\">t<z/></x><p/><q>2</q></a>";
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_XML_BUFFER *buffer = NULL;
    struct any_struct value;
    HRESULT hr;

    /* Wine's builtin implements neither WS_XML_BUFFER_TYPE nor the any-element
     * fields (E_NOTIMPL / E_INVALIDARG): todo_wine throughout. */

    /* a whole element into an XML buffer and back */
    set_input_element( reader, "<x y=\"1\">t<z/></x>" );
    hr = WsReadType( reader, WS_ANY_ELEMENT_TYPE_MAPPING, WS_XML_BUFFER_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap,
                     &buffer, sizeof(buffer), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK && buffer, "read buffer: got %#lx\n", hr );
    check_reader_eof_todo( reader, builtin );
    reset_writer( writer );
    hr = WsWriteType( writer, WS_ANY_ELEMENT_TYPE_MAPPING, WS_XML_BUFFER_TYPE, NULL, WS_WRITE_REQUIRED_POINTER, &buffer,
                      sizeof(buffer), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "write buffer: got %#lx\n", hr );
    check_output_todo( writer, "<x y=\"1\">t<z/></x>", builtin );
    /* a pointer type: not with WS_READ_REQUIRED_VALUE */
    set_input_element( reader, "<x/>" );
    hr = WsReadType( reader, WS_ANY_ELEMENT_TYPE_MAPPING, WS_XML_BUFFER_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap,
                     &buffer, sizeof(buffer), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "required value: got %#lx\n", hr );

    /* any-element fields take whatever elements come */
    set_input_element( reader, doc );
    memset( &value, 0, sizeof(value) );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read any fields: got %#lx\n", hr );
    todo_wine_if( builtin ) ok( value.first == 1 && value.any && value.rest_count == 2, "got %d %p %lu\n", value.first, value.any,
        value.rest_count );
    if (hr == S_OK)
    {
        hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
        ok( hr == S_OK, "write any fields: got %#lx\n", hr );
        check_output( writer, doc );
    }
    /* an optional any element may be missing */
    set_input_element( reader, "<a><first>1</first></a>" );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK && !value.any && !value.rest_count, "read no any: got %#lx %p\n", hr, value.any );
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    todo_wine_if( builtin ) ok( hr == S_OK, "write no any: got %#lx\n", hr );
    check_output_todo( writer, "<a><first>1</first></a>", builtin );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* more types: WS_DATETIME, DECIMAL, WS_UNIQUE_ID, WS_XML_QNAME, defaults  */

static void test_more_types(void)
{
    static WS_XML_STRING str_local = WS_XML_STRING_VALUE( "local" ), str_uri = WS_XML_STRING_VALUE( "urn:x" );
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_DATETIME dt = { 630823790450000000ULL, WS_DATETIME_FORMAT_UTC }, dt_out;
    DECIMAL dec, dec_out;
    WS_UNIQUE_ID id, id_out;
    WS_XML_QNAME qname, qname_out;
    HRESULT hr;

    /* ticks of 100 ns from 0001-01-01 */
    hr = write_element_type( writer, WS_DATETIME_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &dt, sizeof(dt) );
    ok( hr == S_OK, "datetime: got %#lx\n", hr );
    check_output( writer, "<a>2000-01-02T03:04:05Z</a>" );
    set_input_element( reader, "<a>2000-01-02T03:04:05Z</a>" );
    hr = read_element_type( reader, WS_DATETIME_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &dt_out, sizeof(dt_out),
                            NULL );
    ok( hr == S_OK && dt_out.ticks == dt.ticks && dt_out.format == WS_DATETIME_FORMAT_UTC, "read datetime: %#lx\n",
        hr );

    memset( &dec, 0, sizeof(dec) );
    dec.scale = 2;
    dec.sign = DECIMAL_NEG;
    dec.Lo64 = 12345;
    hr = write_element_type( writer, WS_DECIMAL_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &dec, sizeof(dec) );
    todo_wine_if( builtin ) ok( hr == S_OK, "decimal: got %#lx\n", hr ); /* Wine's builtin: E_NOTIMPL */
    check_output_todo( writer, "<a>-123.45</a>", builtin );
    set_input_element( reader, "<a>-123.45</a>" );
    memset( &dec_out, 0xcc, sizeof(dec_out) );
    hr = read_element_type( reader, WS_DECIMAL_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &dec_out, sizeof(dec_out),
                            NULL );
    todo_wine_if( builtin ) ok( hr == S_OK && dec_out.scale == 2 && dec_out.sign == DECIMAL_NEG && dec_out.Lo64 == 12345 &&
                                !dec_out.Hi32, "read decimal: got %#lx\n", hr );

    /* WS_UNIQUE_ID: a GUID as urn:uuid:..., or any other URI */
    memset( &id, 0, sizeof(id) );
    id.guid.Data1 = 1;
    hr = write_element_type( writer, WS_UNIQUE_ID_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &id, sizeof(id) );
    ok( hr == S_OK, "unique id: got %#lx\n", hr );
    check_output( writer, "<a>urn:uuid:00000001-0000-0000-0000-000000000000</a>" );
    set_input_element( reader, "<a>urn:uuid:00000001-0000-0000-0000-000000000000</a>" );
    memset( &id_out, 0xcc, sizeof(id_out) );
    hr = read_element_type( reader, WS_UNIQUE_ID_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &id_out, sizeof(id_out),
                            NULL );
    ok( hr == S_OK && !id_out.uri.length && !memcmp( &id_out.guid, &id.guid, sizeof(GUID) ), "read unique id: %#lx\n",
        hr );
    id.uri.chars = (WCHAR *)L"urn:x";
    id.uri.length = 5;
    hr = write_element_type( writer, WS_UNIQUE_ID_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &id, sizeof(id) );
    ok( hr == S_OK, "unique id uri: got %#lx\n", hr );
    check_output( writer, "<a>urn:x</a>" );
    set_input_element( reader, "<a>urn:x</a>" );
    hr = read_element_type( reader, WS_UNIQUE_ID_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &id_out, sizeof(id_out),
                            NULL );
    ok( hr == S_OK && id_out.uri.length == 5 && !memcmp( id_out.uri.chars, L"urn:x", 10 ), "read uri: %#lx\n", hr );

    /* WS_XML_QNAME: prefix:local, the namespace declared as needed */
    memset( &qname, 0, sizeof(qname) );
    qname.localName = str_local;
    qname.ns = str_uri;
    hr = write_element_type( writer, WS_XML_QNAME_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &qname, sizeof(qname) );
    /* Wine's builtin fails with WS_E_INVALID_FORMAT instead of declaring the namespace */
    todo_wine_if( builtin ) ok( hr == S_OK, "qname: got %#lx\n", hr );
    check_output_todo( writer, "<a xmlns:a=\"urn:x\">a:local</a>", builtin );
    set_input_element( reader, "<a xmlns:p=\"urn:x\">p:local</a>" );
    memset( &qname_out, 0, sizeof(qname_out) );
    hr = read_element_type( reader, WS_XML_QNAME_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &qname_out,
                            sizeof(qname_out), NULL );
    /* Wine's builtin: see read_element_type; the namespace declaration is on the start element it skipped */
    todo_wine_if( builtin ) ok( hr == S_OK, "read qname: got %#lx\n", hr );
    todo_wine_if( builtin ) ok( qname_out.localName.length == 5 && !memcmp( qname_out.localName.bytes, "local", 5 ) &&
        qname_out.ns.length == 5 && !memcmp( qname_out.ns.bytes, "urn:x", 5 ), "wrong qname\n" );
    /* an undeclared prefix */
    set_input_element( reader, "<a>q:local</a>" );
    hr = read_element_type( reader, WS_XML_QNAME_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &qname_out,
                            sizeof(qname_out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "undeclared prefix: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

struct default_struct
{
    INT32 a;
    INT32 b;
};

static void test_defaults(void)
{
    static INT32 seven = 7;
    WS_DEFAULT_VALUE dflt = { &seven, sizeof(seven) };
    WS_FIELD_DESCRIPTION f_a = { WS_ELEMENT_FIELD_MAPPING, &str_a, &str_empty, WS_INT32_TYPE, NULL,
                                 offsetof(struct default_struct, a), WS_FIELD_OPTIONAL, &dflt };
    WS_FIELD_DESCRIPTION f_b = { WS_ATTRIBUTE_FIELD_MAPPING, &str_b, &str_empty, WS_INT32_TYPE, NULL,
                                 offsetof(struct default_struct, b), WS_FIELD_OPTIONAL };
    WS_FIELD_DESCRIPTION *fields[] = { &f_a, &f_b };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct default_struct), 4, fields, 2 };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct default_struct value = { 7, 0 }, out;
    HRESULT hr;

    /* optional fields holding their default (or zero) are left out ... */
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "defaults: got %#lx\n", hr );
    check_output_todo( writer, "<a/>", builtin ); /* Wine's builtin writes them */
    /* ... and read back as their default */
    set_input_element( reader, "<c/>" );
    memset( &out, 0xcc, sizeof(out) );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    /* Wine's builtin: see read_element_type (the attribute field is out of its reach) */
    todo_wine_if( builtin ) ok( hr == S_OK, "read defaults: got %#lx\n", hr );
    ok( out.a == 7 && out.b == 0, "got %d %d\n", out.a, out.b );

    value.a = 1;
    value.b = 2;
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "non defaults: got %#lx\n", hr );
    /* attributes go on the element's start whatever their field order; Wine's builtin breaks the document */
    check_output_todo( writer, "<a b=\"2\"><a>1</a></a>", builtin );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* subtypes: xsi:type and WS_TYPE_ATTRIBUTE_FIELD_MAPPING                  */

struct base_type
{
    const WS_STRUCT_DESCRIPTION *type;
    INT32 a;
};

struct derived_type
{
    const WS_STRUCT_DESCRIPTION *type;
    INT32 a;
    INT32 b;
};

static void test_subtypes(void)
{
    static WS_XML_STRING str_base = WS_XML_STRING_VALUE( "Base" ), str_derived = WS_XML_STRING_VALUE( "Derived" );
    static WS_XML_STRING str_tns = WS_XML_STRING_VALUE( "urn:t" );
    WS_FIELD_DESCRIPTION f_type = { WS_TYPE_ATTRIBUTE_FIELD_MAPPING, NULL, NULL, WS_DESCRIPTION_TYPE, NULL,
                                    offsetof(struct base_type, type) };
    WS_FIELD_DESCRIPTION f_a = { WS_ELEMENT_FIELD_MAPPING, &str_a, &str_empty, WS_INT32_TYPE, NULL,
                                 offsetof(struct base_type, a) };
    WS_FIELD_DESCRIPTION f_b = { WS_ELEMENT_FIELD_MAPPING, &str_b, &str_empty, WS_INT32_TYPE, NULL,
                                 offsetof(struct derived_type, b) };
    WS_FIELD_DESCRIPTION *base_fields[] = { &f_type, &f_a }, *derived_fields[] = { &f_type, &f_a, &f_b };
    WS_STRUCT_DESCRIPTION derived_desc = { sizeof(struct derived_type), TYPE_ALIGNMENT(struct derived_type),
                                           derived_fields, 3, &str_derived, &str_tns };
    WS_STRUCT_DESCRIPTION *subtypes[] = { &derived_desc };
    WS_STRUCT_DESCRIPTION base_desc = { sizeof(struct base_type), TYPE_ALIGNMENT(struct base_type), base_fields, 2,
                                        &str_base, &str_tns, NULL, subtypes, 1 };
    static const char expected[] =
        "<s a:type=\"b:Derived\" xmlns:a=\"" XSI_NS "\" xmlns:b=\"urn:t\"><a>1</a><b>2</b></s>";
    struct derived_type derived = { &derived_desc, 1, 2 }, *out;
    struct base_type base = { &base_desc, 3 };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_d, &str_empty, WS_STRUCT_TYPE, &base_desc };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    void *ptr;
    HRESULT hr;

    elem_desc.elementLocalName = &str_s;
    ptr = &derived;
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr), NULL );
    ok( hr == S_OK, "write derived: got %#lx\n", hr );
    /* the subtype is named by xsi:type (WS_STRUCT_DESCRIPTION subTypes); Wine's builtin writes the base type */
    check_output_todo( writer, expected, builtin );

    set_input( reader, expected );
    out = NULL;
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    /* Wine's builtin returns the base type */
    todo_wine_if( builtin ) ok( hr == S_OK && out && out->type == &derived_desc, "read derived: got %#lx\n", hr );
    if (hr == S_OK && out && out->type == &derived_desc) ok( out->a == 1 && out->b == 2, "got %d %d\n", out->a, out->b );

    /* the base type itself: no xsi:type */
    reset_writer( writer );
    ptr = &base;
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr), NULL );
    ok( hr == S_OK, "write base: got %#lx\n", hr );
    check_output( writer, "<s><a>3</a></s>" );
    set_input( reader, "<s><a>3</a></s>" );
    out = NULL;
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK && out && out->type == &base_desc && out->a == 3, "read base: got %#lx\n", hr );

    /* an unknown xsi:type */
    set_input( reader, "<s a:type=\"b:Other\" xmlns:b=\"urn:t\" xmlns:a=\"" XSI_NS "\"><a>1</a></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "unknown type: got %#lx\n", hr );

    /* an abstract base needs a subtype */
    base_desc.structOptions = WS_STRUCT_ABSTRACT;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "write abstract: got %#lx\n", hr );
    set_input( reader, "<s><a>3</a></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_POINTER, heap, &out, sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "read abstract: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* nillable items, content mapping of a struct, invalid arguments          */

struct nillable_items
{
    INT32 **items;
    ULONG count;
};

static void test_nillable_items(void)
{
    WS_FIELD_DESCRIPTION f_items = { WS_REPEATING_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_INT32_TYPE, NULL,
                                     offsetof(struct nillable_items, items), WS_FIELD_POINTER | WS_FIELD_NILLABLE_ITEM,
                                     NULL, offsetof(struct nillable_items, count), &str_item, &str_empty };
    WS_FIELD_DESCRIPTION *fields[] = { &f_items };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct nillable_items), TYPE_ALIGNMENT(struct nillable_items), fields, 1 };
    static const char expected[] =
        "<a><item>4</item><item a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/><item>6</item></a>";
    INT32 four = 4, six = 6, *items[3] = { &four, NULL, &six };
    struct nillable_items value = { items, 3 }, out;
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == S_OK, "write nillable items: got %#lx\n", hr );
    check_output( writer, expected );

    /* element content mapping: the fields without the element around them */
    set_input_element( reader, expected );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "WsReadStartElement: got %#lx\n", hr );
    memset( &out, 0, sizeof(out) );
    hr = WsReadType( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap,
                     &out, sizeof(out), NULL );
    /* Wine's builtin fails on the nil item (WS_E_INVALID_FORMAT) */
    todo_wine_if( builtin ) ok( hr == S_OK, "read nillable items: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( out.count == 3, "count %lu\n", out.count );
        if (out.count == 3) ok( *out.items[0] == 4 && !out.items[1] && *out.items[2] == 6, "wrong items\n" );
        hr = WsReadEndElement( reader, NULL );
        ok( hr == S_OK, "WsReadEndElement: got %#lx\n", hr );
    }

    /* without WS_FIELD_NILLABLE_ITEM a nil item is an error, and so is a NULL one */
    f_items.options = WS_FIELD_POINTER;
    set_input_element( reader, expected );
    hr = read_element_type( reader, WS_STRUCT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "read nil item: got %#lx\n", hr );
    hr = write_element_type( writer, WS_STRUCT_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "write NULL item: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_invalid(void)
{
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    INT32 value = 0;
    HRESULT hr;

    /* Values outside the WS_TYPE / WS_TYPE_MAPPING enumerations are invalid arguments (the documented
     * E_INVALIDARG); Wine's builtin says E_NOTIMPL. */
    hr = write_element_type( writer, 0xdead, NULL, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "unknown type: got %#lx\n", hr );
    reset_writer( writer );
    hr = WsWriteType( writer, 0xdead, WS_INT32_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "unknown mapping: got %#lx\n", hr );
    hr = write_element_type( writer, WS_STRUCT_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "struct without description: got %#lx\n", hr );

    set_input_element( reader, "<a>1</a>" );
    hr = read_element_type( reader, 0xdead, NULL, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "read unknown type: got %#lx\n", hr );
    set_input_element( reader, "<a>1</a>" );
    hr = WsReadType( reader, 0xdead, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "read unknown mapping: got %#lx\n", hr );

    /* the required value missing: the reader at the end of the document */
    set_input( reader, "<a>1</a>" );
    WsReadToStartElement( reader, NULL, NULL, NULL, NULL );
    WsSkipNode( reader, NULL );
    hr = WsReadType( reader, WS_ELEMENT_TYPE_MAPPING, WS_INT32_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &value,
                     sizeof(value), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "missing value: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* Property test: random struct descriptions and values round-trip.        */

#define MAX_FIELDS 8

struct random_struct
{
    WS_FIELD_DESCRIPTION fields[MAX_FIELDS], *field_ptrs[MAX_FIELDS];
    WS_XML_STRING names[MAX_FIELDS];
    char name_buf[MAX_FIELDS][8];
    WS_STRUCT_DESCRIPTION desc;
};

static const WS_TYPE random_types[] =
{
    WS_BOOL_TYPE, WS_INT8_TYPE, WS_INT16_TYPE, WS_INT32_TYPE, WS_INT64_TYPE, WS_UINT8_TYPE, WS_UINT16_TYPE,
    WS_UINT32_TYPE, WS_UINT64_TYPE, WS_DOUBLE_TYPE, WS_GUID_TYPE, WS_STRING_TYPE, WS_WSZ_TYPE, WS_BYTES_TYPE,
    WS_CHAR_ARRAY_TYPE, WS_UTF8_ARRAY_TYPE, WS_BYTE_ARRAY_TYPE,
};

/* The array types are a pointer and a count anywhere in the struct (WS_TYPE);
 * the random structs keep them together, pointer first. */
struct test_array
{
    void *items;
    ULONG count;
};

static BOOL is_array_type( WS_TYPE type )
{
    return type == WS_CHAR_ARRAY_TYPE || type == WS_UTF8_ARRAY_TYPE || type == WS_BYTE_ARRAY_TYPE;
}

static ULONG field_size( WS_TYPE type )
{
    switch (type)
    {
    case WS_BOOL_TYPE: case WS_INT32_TYPE: case WS_UINT32_TYPE: return 4;
    case WS_INT8_TYPE: case WS_UINT8_TYPE: return 1;
    case WS_INT16_TYPE: case WS_UINT16_TYPE: return 2;
    case WS_INT64_TYPE: case WS_UINT64_TYPE: case WS_DOUBLE_TYPE: return 8;
    case WS_GUID_TYPE: return 16;
    case WS_STRING_TYPE: return sizeof(WS_STRING);
    case WS_BYTES_TYPE: return sizeof(WS_BYTES);
    case WS_WSZ_TYPE: return sizeof(WCHAR *);
    case WS_CHAR_ARRAY_TYPE: case WS_UTF8_ARRAY_TYPE: case WS_BYTE_ARRAY_TYPE: return sizeof(struct test_array);
    default: return 0;
    }
}

static ULONG seed = 12345;
static ULONG rnd( ULONG n )
{
    seed = seed * 1103515245 + 12345;
    return (seed >> 8) % n;
}

/* Builds a random flat struct: each field an element, an attribute or (for
 * scalars) a repeating element, with random names; returns its size. */
static void build_random_struct( struct random_struct *rs )
{
    ULONG i, count = 1 + rnd( MAX_FIELDS ), offset = 0;

    memset( rs, 0, sizeof(*rs) );
    for (i = 0; i < count; i++)
    {
        WS_FIELD_DESCRIPTION *f = &rs->fields[i];
        WS_TYPE type = random_types[rnd( ARRAY_SIZE(random_types) )];
        ULONG size = field_size( type ), kind = rnd( 3 );

        sprintf( rs->name_buf[i], "f%lu", i );
        rs->names[i].bytes = (BYTE *)rs->name_buf[i];
        rs->names[i].length = strlen( rs->name_buf[i] );
        f->localName = &rs->names[i];
        f->ns = &str_empty;
        f->type = type;
        if (kind == 2 && type != WS_WSZ_TYPE && !is_array_type( type ))
        {
            f->mapping = WS_REPEATING_ELEMENT_FIELD_MAPPING;
            f->localName = NULL;
            f->ns = NULL;
            f->itemLocalName = &rs->names[i];
            f->itemNs = &str_empty;
            offset = (offset + 7) & ~7;
            f->offset = offset;
            offset += sizeof(void *);
            f->countOffset = offset;
            offset += sizeof(ULONG);
        }
        else
        {
            /* attributes cannot hold base64 round-trips of empty arrays distinctly: keep bytes as elements */
            f->mapping = kind == 1 && type != WS_BYTES_TYPE && type != WS_BYTE_ARRAY_TYPE
                         ? WS_ATTRIBUTE_FIELD_MAPPING : WS_ELEMENT_FIELD_MAPPING;
            offset = (offset + size - 1) & ~(size > 8 ? 7 : size - 1);
            f->offset = offset;
            if (is_array_type( type )) f->countOffset = offset + offsetof(struct test_array, count);
            offset += size;
        }
        rs->field_ptrs[i] = f;
    }
    rs->desc.size = (offset + 7) & ~7;
    rs->desc.alignment = 8;
    rs->desc.fields = rs->field_ptrs;
    rs->desc.fieldCount = count;
}

static void random_scalar( WS_HEAP *heap, WS_TYPE type, void *ptr )
{
    ULONG size = field_size( type ), i, len;

    switch (type)
    {
    case WS_BOOL_TYPE: *(BOOL *)ptr = rnd( 2 ); return;
    case WS_DOUBLE_TYPE: *(double *)ptr = (double)(int)rnd( 100000 ) / 64 - 500; return;
    case WS_STRING_TYPE:
    {
        WS_STRING *str = ptr;
        len = rnd( 6 );
        WsAlloc( heap, (len + 1) * sizeof(WCHAR), (void **)&str->chars, NULL );
        for (i = 0; i < len; i++) str->chars[i] = "a<&>\"z"[rnd( 6 )];
        str->length = len;
        return;
    }
    case WS_WSZ_TYPE:
    {
        WCHAR *s;
        len = rnd( 6 );
        WsAlloc( heap, (len + 1) * sizeof(WCHAR), (void **)&s, NULL );
        for (i = 0; i < len; i++) s[i] = L"b'x\xe9y"[rnd( 5 )];
        s[len] = 0;
        *(WCHAR **)ptr = s;
        return;
    }
    case WS_BYTES_TYPE:
    {
        WS_BYTES *b = ptr;
        len = 1 + rnd( 7 );
        WsAlloc( heap, len, (void **)&b->bytes, NULL );
        for (i = 0; i < len; i++) b->bytes[i] = rnd( 256 );
        b->length = len;
        return;
    }
    case WS_CHAR_ARRAY_TYPE:
    {
        struct test_array *array = ptr;
        WCHAR *chars;
        array->count = rnd( 6 );
        WsAlloc( heap, array->count * sizeof(WCHAR) + 1, (void **)&chars, NULL );
        for (i = 0; i < array->count; i++) chars[i] = L"c<&\xe9\"z"[rnd( 6 )];
        array->items = chars;
        return;
    }
    case WS_UTF8_ARRAY_TYPE:
    case WS_BYTE_ARRAY_TYPE:
    {
        struct test_array *array = ptr;
        BYTE *bytes;
        array->count = (type == WS_BYTE_ARRAY_TYPE) + rnd( 6 );
        WsAlloc( heap, array->count + 1, (void **)&bytes, NULL );
        for (i = 0; i < array->count; i++) bytes[i] = type == WS_BYTE_ARRAY_TYPE ? rnd( 256 ) : (BYTE)"u>&'x"[rnd( 5 )];
        array->items = bytes;
        return;
    }
    default:
        for (i = 0; i < size; i++) ((BYTE *)ptr)[i] = rnd( 256 );
        return;
    }
}

static BOOL scalar_equal( WS_TYPE type, const void *a, const void *b )
{
    switch (type)
    {
    case WS_STRING_TYPE:
    {
        const WS_STRING *x = a, *y = b;
        return x->length == y->length && (!x->length || !memcmp( x->chars, y->chars, x->length * sizeof(WCHAR) ));
    }
    case WS_WSZ_TYPE: return !wcscmp( *(WCHAR *const *)a, *(WCHAR *const *)b );
    case WS_BYTES_TYPE:
    {
        const WS_BYTES *x = a, *y = b;
        return x->length == y->length && !memcmp( x->bytes, y->bytes, x->length );
    }
    case WS_CHAR_ARRAY_TYPE:
    case WS_UTF8_ARRAY_TYPE:
    case WS_BYTE_ARRAY_TYPE:
    {
        const struct test_array *x = a, *y = b;
        ULONG unit = type == WS_CHAR_ARRAY_TYPE ? sizeof(WCHAR) : 1;
        return x->count == y->count && !memcmp( x->items, y->items, x->count * unit );
    }
    case WS_BOOL_TYPE: return !*(const BOOL *)a == !*(const BOOL *)b;
    default: return !memcmp( a, b, field_size( type ) );
    }
}

static void test_random_roundtrip(void)
{
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct random_struct rs;
    ULONG iter, i, j, failures = 0;
    HRESULT hr;

    /* Wine's builtin cannot take part: its reads need the start element
     * consumed first (see read_element_type), which hides the attribute
     * fields, and its double formatting does not round-trip (1048.578125 is
     * written as 1048.5781249999999999). */
    if (builtin)
    {
        skip( "round trips need the documented WS_ELEMENT_TYPE_MAPPING positioning\n" );
        goto done;
    }
    for (iter = 0; iter < 200; iter++)
    {
        BYTE value[256], out[256];
        WS_BYTES bytes;

        WsResetHeap( heap, NULL );
        build_random_struct( &rs );
        memset( value, 0, sizeof(value) );
        for (i = 0; i < rs.desc.fieldCount; i++)
        {
            const WS_FIELD_DESCRIPTION *f = &rs.fields[i];
            if (f->mapping == WS_REPEATING_ELEMENT_FIELD_MAPPING)
            {
                ULONG count = rnd( 4 ), size = field_size( f->type );
                BYTE *items = NULL;
                if (count) WsAlloc( heap, count * size, (void **)&items, NULL );
                for (j = 0; j < count; j++) random_scalar( heap, f->type, items + j * size );
                *(BYTE **)(value + f->offset) = items;
                *(ULONG *)(value + f->countOffset) = count;
            }
            else random_scalar( heap, f->type, value + f->offset );
        }

        hr = write_element_type( writer, WS_STRUCT_TYPE, &rs.desc, WS_WRITE_REQUIRED_VALUE, value, rs.desc.size );
        if (hr != S_OK)
        {
            ok( 0, "%lu: write failed %#lx\n", iter, hr );
            failures++;
            continue;
        }
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
        ok( hr == S_OK, "bytes: got %#lx\n", hr );
        {
            WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, bytes.bytes, bytes.length };
            WsSetInput( reader, &text_auto.encoding, &input.input, NULL, 0, NULL );
            WsReadToStartElement( reader, NULL, NULL, NULL, NULL );
        }
        memset( out, 0xcc, sizeof(out) );
        hr = read_element_type( reader, WS_STRUCT_TYPE, &rs.desc, WS_READ_REQUIRED_VALUE, heap, out,
                         rs.desc.size, NULL );
        if (hr != S_OK)
        {
            ok( 0, "%lu: read failed %#lx: %s\n", iter, hr, wine_dbgstr_an( (char *)bytes.bytes, bytes.length ) );
            failures++;
            continue;
        }
        for (i = 0; i < rs.desc.fieldCount; i++)
        {
            const WS_FIELD_DESCRIPTION *f = &rs.fields[i];
            BOOL equal = TRUE;
            if (f->mapping == WS_REPEATING_ELEMENT_FIELD_MAPPING)
            {
                ULONG count = *(ULONG *)(value + f->countOffset), size = field_size( f->type );
                const BYTE *a = *(BYTE **)(value + f->offset), *b = *(BYTE **)(out + f->offset);
                equal = count == *(ULONG *)(out + f->countOffset);
                for (j = 0; equal && j < count; j++) equal = scalar_equal( f->type, a + j * size, b + j * size );
            }
            else equal = scalar_equal( f->type, value + f->offset, out + f->offset );
            if (!equal)
            {
                ok( 0, "%lu: field %lu (type %d mapping %d) differs: %s\n", iter, i, f->type, f->mapping,
                    wine_dbgstr_an( (char *)bytes.bytes, bytes.length ) );
                failures++;
            }
        }
    }
    ok( !failures, "%lu round trips failed\n", failures );
done:

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* Binary encoding round trips                                             */
/* ---------------------------------------------------------------------- */

/* The serialization engine sits on the public reader/writer API, so the
 * same values must survive WS_XML_WRITER_BINARY_ENCODING /
 * WS_XML_READER_BINARY_ENCODING ([MC-NBFS] records) unchanged. */
static void set_binary_output( WS_XML_WRITER *writer )
{
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    HRESULT hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput binary: got %#lx\n", hr );
}

/* Writes <a>VALUE</a> in binary, checks the leading [MC-NBFS] ShortElement
 * record (0x40, name length 1, "a"), and positions READER on the element. */
static HRESULT binary_write_then_read_start( WS_XML_WRITER *writer, WS_XML_READER *reader, WS_TYPE type,
                                             const void *desc, const void *value, ULONG size, WS_BYTES *bytes )
{
    WS_XML_READER_BINARY_ENCODING enc = { { WS_XML_READER_ENCODING_TYPE_BINARY } };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER } };
    HRESULT hr;

    memset( bytes, 0, sizeof(*bytes) );
    set_binary_output( writer );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
    /* a wsz is a pointer type: its storage is the pointer (WS_WRITE_OPTION) */
    hr = WsWriteType( writer, WS_ELEMENT_TYPE_MAPPING, type, desc,
                      type == WS_WSZ_TYPE ? WS_WRITE_REQUIRED_POINTER : WS_WRITE_REQUIRED_VALUE, value, size, NULL );
    ok( hr == S_OK, "WsWriteType binary: got %#lx\n", hr );
    if (hr != S_OK) return hr;
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "WsWriteEndElement: got %#lx\n", hr );
    memset( bytes, 0, sizeof(*bytes) );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, bytes, sizeof(*bytes), NULL );
    ok( hr == S_OK, "WS_XML_WRITER_PROPERTY_BYTES: got %#lx\n", hr );
    ok( bytes->length >= 3 && bytes->bytes[0] == 0x40 && bytes->bytes[1] == 1 && bytes->bytes[2] == 'a',
        "not a binary <a>: %s\n", wine_dbgstr_an( (const char *)bytes->bytes, bytes->length ) );

    input.encodedData = bytes->bytes;
    input.encodedDataSize = bytes->length;
    hr = WsSetInput( reader, &enc.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput binary: got %#lx\n", hr );
    hr = WsReadToStartElement( reader, &str_a, &str_empty, NULL, NULL );
    ok( hr == S_OK, "WsReadToStartElement binary: got %#lx\n", hr );
    return hr;
}

/* Round trip of VALUE into OUT; returns the HRESULT of WsReadType. */
static HRESULT binary_roundtrip( WS_XML_WRITER *writer, WS_XML_READER *reader, WS_HEAP *heap, WS_TYPE type,
                                 const void *desc, const void *value, ULONG size, void *out, WS_BYTES *bytes,
                                 BOOL todo )
{
    HRESULT hr = binary_write_then_read_start( writer, reader, type, desc, value, size, bytes );
    if (hr != S_OK) return hr;
    memset( out, 0, size );
    hr = read_element_type( reader, type, desc, type == WS_WSZ_TYPE ? WS_READ_REQUIRED_POINTER : WS_READ_REQUIRED_VALUE,
                            heap, out, size, NULL );
    todo_wine_if( todo ) ok( hr == S_OK, "WsReadType binary: got %#lx\n", hr );
    return hr;
}

struct bin_inner
{
    INT32 x;
    WS_STRING s;
};

struct bin_struct
{
    UINT32 attr;              /* attribute */
    WCHAR *name;              /* wsz element */
    struct bin_inner inner;   /* nested struct element */
    INT32 *items;             /* repeating element in <list> */
    ULONG count;
    INT32 *nil_int;           /* nillable pointer element */
    WCHAR *nil_str;           /* nillable wsz element */
    struct choice_union u;    /* element choice */
};

static void test_binary_roundtrip(void)
{
    static const struct
    {
        WS_TYPE type;
        ULONG size;
        BYTE value[16];
        BOOL todo_read, todo_value;   /* see the comments in the table */
    }
    scalars[] =
    {
        { WS_BOOL_TYPE, sizeof(BOOL), { 1 } },
        { WS_BOOL_TYPE, sizeof(BOOL), { 0 } },
        { WS_INT8_TYPE, 1, { 0x80 } },
        { WS_INT16_TYPE, 2, { 0x34, 0x12 } },
        { WS_INT32_TYPE, 4, { 0x78, 0x56, 0x34, 0x12 } },
        { WS_INT32_TYPE, 4, { 0 } },
        { WS_INT32_TYPE, 4, { 1 } },
        { WS_INT64_TYPE, 8, { 0, 0, 0, 0, 0, 0, 0, 0x80 } },
        /* Wine's builtin writes the UInt8 but fails to read it back (E_NOTIMPL) */
        { WS_UINT8_TYPE, 1, { 0xff }, TRUE },
        { WS_UINT32_TYPE, 4, { 0xff, 0xff, 0xff, 0xff } },
        { WS_UINT64_TYPE, 8, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
        { WS_DOUBLE_TYPE, 8, { 0, 0, 0, 0, 0, 0, 0xf8, 0x3f } },
        { WS_GUID_TYPE, 16, { 1, 0, 0, 0, 2, 0, 3, 0, 4, 5, 6, 7, 8, 9, 10, 11 } },
        /* 2001-01-01T00:00:00Z: ticks 0x08c1220247e44000, WS_DATETIME_FORMAT_UTC.
         * [MC-NBFS] DateTimeText keeps the ticks and the kind (UTC)
         * in its 8 bytes, so the value must come back unchanged; Wine's
         * builtin reads back a different WS_DATETIME. */
        { WS_DATETIME_TYPE, sizeof(WS_DATETIME), { 0x00, 0x40, 0xe4, 0x47, 0x02, 0x22, 0xc1, 0x08 }, FALSE, TRUE },
    };
    static WS_XML_STRING str_attr = WS_XML_STRING_VALUE( "attr" ), str_name = WS_XML_STRING_VALUE( "name" );
    static WS_XML_STRING str_x = WS_XML_STRING_VALUE( "x" ), str_list = WS_XML_STRING_VALUE( "list" );
    static WS_XML_STRING str_n1 = WS_XML_STRING_VALUE( "n1" ), str_n2 = WS_XML_STRING_VALUE( "n2" );
    static WS_XML_STRING str_i = WS_XML_STRING_VALUE( "i" );
    WS_FIELD_DESCRIPTION in_x = { WS_ATTRIBUTE_FIELD_MAPPING, &str_x, &str_empty, WS_INT32_TYPE, NULL,
                                  offsetof(struct bin_inner, x) };
    WS_FIELD_DESCRIPTION in_s = { WS_ELEMENT_FIELD_MAPPING, &str_s, &str_ns, WS_STRING_TYPE, NULL,
                                  offsetof(struct bin_inner, s) };
    WS_FIELD_DESCRIPTION *in_fields[] = { &in_x, &in_s };
    WS_STRUCT_DESCRIPTION in_desc = { sizeof(struct bin_inner), TYPE_ALIGNMENT(struct bin_inner), in_fields, 2,
                                      &str_c, &str_ns };
    WS_UNION_FIELD_DESCRIPTION u_int = { CHOICE_INT, { WS_ELEMENT_FIELD_MAPPING, &str_i, &str_empty, WS_INT32_TYPE,
                                         NULL, offsetof(struct choice_union, value.i) } };
    WS_UNION_FIELD_DESCRIPTION u_str = { CHOICE_STR, { WS_ELEMENT_FIELD_MAPPING, &str_s, &str_empty, WS_STRING_TYPE,
                                         NULL, offsetof(struct choice_union, value.s) } };
    WS_UNION_FIELD_DESCRIPTION *u_fields[] = { &u_int, &u_str };
    WS_UNION_DESCRIPTION u_desc = { sizeof(struct choice_union), TYPE_ALIGNMENT(struct choice_union), u_fields, 2,
                                    offsetof(struct choice_union, which), CHOICE_NONE };
    WS_FIELD_DESCRIPTION f_attr = { WS_ATTRIBUTE_FIELD_MAPPING, &str_attr, &str_empty, WS_UINT32_TYPE, NULL,
                                    offsetof(struct bin_struct, attr) };
    WS_FIELD_DESCRIPTION f_name = { WS_ELEMENT_FIELD_MAPPING, &str_name, &str_empty, WS_WSZ_TYPE, NULL,
                                    offsetof(struct bin_struct, name) };
    WS_FIELD_DESCRIPTION f_inner = { WS_ELEMENT_FIELD_MAPPING, &str_c, &str_ns, WS_STRUCT_TYPE, &in_desc,
                                     offsetof(struct bin_struct, inner) };
    WS_FIELD_DESCRIPTION f_items = { WS_REPEATING_ELEMENT_FIELD_MAPPING, &str_list, &str_empty, WS_INT32_TYPE, NULL,
                                     offsetof(struct bin_struct, items), 0, NULL, offsetof(struct bin_struct, count),
                                     &str_item, &str_empty };
    WS_FIELD_DESCRIPTION f_nil_int = { WS_ELEMENT_FIELD_MAPPING, &str_n1, &str_empty, WS_INT32_TYPE, NULL,
                                       offsetof(struct bin_struct, nil_int), WS_FIELD_POINTER | WS_FIELD_NILLABLE };
    WS_FIELD_DESCRIPTION f_nil_str = { WS_ELEMENT_FIELD_MAPPING, &str_n2, &str_empty, WS_WSZ_TYPE, NULL,
                                       offsetof(struct bin_struct, nil_str), WS_FIELD_NILLABLE };
    WS_FIELD_DESCRIPTION f_u = { WS_ELEMENT_CHOICE_FIELD_MAPPING, NULL, NULL, WS_UNION_TYPE, &u_desc,
                                 offsetof(struct bin_struct, u) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_attr, &f_name, &f_inner, &f_items, &f_nil_int, &f_nil_str, &f_u };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct bin_struct), TYPE_ALIGNMENT(struct bin_struct), fields, 7 };
    INT32 items[4] = { 0, 1, -1, 0x7fffffff }, seven = 7;
    struct bin_struct value, out;
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_STRING str = { 6, (WCHAR *)L"h\xe9llo<" }, str_out;
    WCHAR *wsz = (WCHAR *)L"wide \x263a", *wsz_out;
    BYTE buf[16];
    WS_BYTES bytes;
    BOOL found;
    ULONG i, j;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(scalars); i++)
    {
        winetest_push_context( "scalar %lu", i );
        hr = binary_roundtrip( writer, reader, heap, scalars[i].type, NULL, scalars[i].value, scalars[i].size,
                               buf, &bytes, builtin && scalars[i].todo_read );
        if (hr == S_OK)
            todo_wine_if( builtin && scalars[i].todo_value )
            ok( !memcmp( buf, scalars[i].value, scalars[i].size ), "value differs\n" );
        winetest_pop_context();
    }

    /* [MC-NBFS]: an Int32 value that does not fit in 16 bits is an
     * Int32Text record (0x8C, or 0x8D with the end element) of 4 little-endian bytes. */
    winetest_push_context( "Int32Text" );
    hr = binary_roundtrip( writer, reader, heap, WS_INT32_TYPE, NULL, scalars[4].value, 4, buf, &bytes, FALSE );
    for (j = 0, found = FALSE; hr == S_OK && j + 5 <= bytes.length; j++)
        if ((bytes.bytes[j] & 0xfe) == 0x8c && !memcmp( bytes.bytes + j + 1, scalars[4].value, 4 )) found = TRUE;
    ok( found, "no Int32Text record in %s\n", wine_dbgstr_an( (const char *)bytes.bytes, bytes.length ) );
    winetest_pop_context();

    winetest_push_context( "strings" );
    hr = binary_roundtrip( writer, reader, heap, WS_STRING_TYPE, NULL, &str, sizeof(str), &str_out, &bytes, FALSE );
    if (hr == S_OK) ok( str_out.length == 6 && !memcmp( str_out.chars, str.chars, 6 * sizeof(WCHAR) ),
                        "got %s\n", wine_dbgstr_wn( str_out.chars, str_out.length ) );
    hr = binary_roundtrip( writer, reader, heap, WS_WSZ_TYPE, NULL, &wsz, sizeof(wsz), &wsz_out, &bytes, FALSE );
    if (hr == S_OK) ok( wsz_out && !wcscmp( wsz_out, wsz ), "got %s\n", wine_dbgstr_w( wsz_out ) );
    winetest_pop_context();

    /* a struct with an attribute, a nested struct, a repeating element, nil
     * values and a union, written and read back in binary */
    memset( &value, 0, sizeof(value) );
    value.attr = 4000000000u;
    value.name = (WCHAR *)L"struct";
    value.inner.x = -3;
    value.inner.s = str;
    value.items = items;
    value.count = ARRAY_SIZE(items);
    value.nil_int = NULL;
    value.nil_str = NULL;
    value.u.which = CHOICE_STR;
    value.u.value.s = str;
    for (i = 0; i < 2; i++)
    {
        winetest_push_context( "struct %lu", i );
        /* Wine's builtin writes the struct but fails to read its own binary
         * back (WS_E_INVALID_FORMAT). */
        hr = binary_roundtrip( writer, reader, heap, WS_STRUCT_TYPE, &desc, &value, sizeof(value), &out, &bytes,
                               builtin );
        if (hr == S_OK)
        {
            ok( out.attr == value.attr, "attr %u\n", out.attr );
            ok( out.name && !wcscmp( out.name, value.name ), "name %s\n", wine_dbgstr_w( out.name ) );
            ok( out.inner.x == value.inner.x, "inner.x %d\n", out.inner.x );
            ok( out.inner.s.length == str.length && !memcmp( out.inner.s.chars, str.chars, str.length * sizeof(WCHAR) ),
                "inner.s %s\n", wine_dbgstr_wn( out.inner.s.chars, out.inner.s.length ) );
            ok( out.count == value.count && (!value.count || !memcmp( out.items, items, sizeof(items) )),
                "items (%lu)\n", out.count );
            if (value.nil_int) ok( out.nil_int && *out.nil_int == 7, "nil_int not read back\n" );
            else ok( !out.nil_int, "nil_int %p\n", out.nil_int );
            if (value.nil_str) ok( out.nil_str && !wcscmp( out.nil_str, value.nil_str ), "nil_str\n" );
            else ok( !out.nil_str, "nil_str %s\n", wine_dbgstr_w( out.nil_str ) );
            ok( out.u.which == value.u.which, "union which %d\n", out.u.which );
            if (value.u.which == CHOICE_INT) ok( out.u.value.i == value.u.value.i, "union int %d\n", out.u.value.i );
            else ok( out.u.value.s.length == str.length &&
                     !memcmp( out.u.value.s.chars, str.chars, str.length * sizeof(WCHAR) ), "union string\n" );
            check_reader_eof( reader );
        }
        winetest_pop_context();
        /* second pass: the nillable fields set, the union on its other arm, no items */
        value.nil_int = &seven;
        value.nil_str = (WCHAR *)L"not nil";
        value.u.which = CHOICE_INT;
        value.u.value.i = -42;
        value.count = 0;
        value.items = NULL;
    }

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WS_ENDPOINT_ADDRESS_TYPE: a WS-Addressing 1.0 EndpointReference's content
 * (WS_ENDPOINT_ADDRESS): Address holds the url, the zero-length url stands
 * for the anonymous URI, ReferenceParameters' content is the headers buffer
 * and the remaining elements are the extensions buffer.  Wine's builtin
 * does not implement WS_ENDPOINT_ADDRESS_TYPE (E_NOTIMPL throughout, and
 * WS_E_INVALID_OPERATION for the attribute mapping when writing, where the
 * docs give no specific code and we say E_INVALIDARG like every other
 * invalid type/mapping pair): todo_wine. */
static void test_endpoint_address(void)
{
    static const char full_xml[] =
        "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/path</Address>"
        "<ReferenceParameters xmlns=\"http://www.w3.org/2005/08/addressing\"><h1>1</h1><h2/></ReferenceParameters>"
        "<x>ext</x><y/></a>";
    static const WCHAR url[] = L"http://host/path";
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_ENDPOINT_ADDRESS address, *ptr;
    HRESULT hr;

    /* writing: the anonymous address */
    memset( &address, 0, sizeof(address) );
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == S_OK, "anonymous: got %#lx\n", hr );
    check_output_todo( writer, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">"
                  "http://www.w3.org/2005/08/addressing/anonymous</Address></a>", builtin );

    /* a url */
    address.url.chars = (WCHAR *)url;
    address.url.length = wcslen( url );
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == S_OK, "url: got %#lx\n", hr );
    check_output_todo( writer, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/path</Address></a>", builtin );

    /* pointer option */
    ptr = &address;
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
    todo_wine_if( builtin ) ok( hr == S_OK, "pointer: got %#lx\n", hr );
    check_output_todo( writer, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/path</Address></a>", builtin );

    /* errors: wrong size, NULL chars with a length, attribute mapping */
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) - 1 );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "size: got %#lx\n", hr );
    address.url.chars = NULL;
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "NULL chars: got %#lx\n", hr );
    address.url.chars = (WCHAR *)url;
    reset_writer( writer );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
    hr = WsWriteType( writer, WS_ATTRIBUTE_TYPE_MAPPING, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE,
                      &address, sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "attribute mapping: got %#lx\n", hr );

    /* reading the whole thing, then writing it back */
    memset( &address, 0xcc, sizeof(address) );
    set_input_element( reader, full_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &address,
                            sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( address.url.length == wcslen( url ) && !memcmp( address.url.chars, url, sizeof(url) - sizeof(WCHAR) ),
            "url %s\n", wine_dbgstr_wn( address.url.chars, address.url.length ) );
        ok( address.headers != NULL, "no headers\n" );
        ok( address.extensions != NULL, "no extensions\n" );
        ok( address.identity == NULL, "identity %p\n", address.identity );
        check_reader_eof( reader );
        hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &address,
                                 sizeof(address) );
        ok( hr == S_OK, "write back: got %#lx\n", hr );
        check_output( writer, full_xml );
    }

    /* element content mapping, anonymous url, no headers or extensions */
    set_input_element( reader, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">"
                       "http://www.w3.org/2005/08/addressing/anonymous</Address></a>" );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "WsReadStartElement: got %#lx\n", hr );
    memset( &address, 0xcc, sizeof(address) );
    hr = WsReadType( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE,
                     heap, &address, sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "content: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( !address.url.length, "url length %lu\n", address.url.length );
        ok( !address.headers, "headers %p\n", address.headers );
        ok( !address.extensions, "extensions %p\n", address.extensions );
        ok( !address.identity, "identity %p\n", address.identity );
        hr = WsReadEndElement( reader, NULL );
        ok( hr == S_OK, "WsReadEndElement: got %#lx\n", hr );
        check_reader_eof( reader );
    }

    /* pointer option */
    ptr = NULL;
    set_input_element( reader, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">u</Address></a>" );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap, &ptr,
                            sizeof(ptr), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "pointer: got %#lx\n", hr );
    if (hr == S_OK)
        ok( ptr && ptr->url.length == 1 && ptr->url.chars[0] == 'u', "wrong url\n" );

    /* no Address element, or one in another namespace */
    set_input_element( reader, "<a><Address>u</Address></a>" );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &address,
                            sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "no namespace: got %#lx\n", hr );
    set_input_element( reader, "<a></a>" );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &address,
                            sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "empty: got %#lx\n", hr );

    /* a heap is required; the value size must match */
    set_input_element( reader, full_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, NULL, &address,
                            sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "no heap: got %#lx\n", hr );
    set_input_element( reader, full_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &address,
                            sizeof(address) + 1, NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "size: got %#lx\n", hr );
    set_input_element( reader, full_xml );
    hr = WsReadType( reader, WS_ATTRIBUTE_TYPE_MAPPING, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE,
                     heap, &address, sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "attribute mapping: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WsReadEndpointAddressExtension: the metadata address, read from the
 * extensions of an endpoint address.  The docs do not give the XML of the
 * extension; we use the WS-MetadataExchange form (wsa:Metadata/mex:Metadata/
 * mex:MetadataSection/mex:MetadataReference holding an endpoint address).
 * Wine's builtin does not export the function (calling it aborts): skipped. */
static void test_endpoint_address_extension(void)
{
    static const char xml[] =
        "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/svc</Address>"
        "<Metadata xmlns=\"http://www.w3.org/2005/08/addressing\"><other/>"
        "<m:Metadata xmlns:m=\"http://schemas.xmlsoap.org/ws/2004/09/mex\">"
        "<m:MetadataSection Dialect=\"x\"><m:Location>loc</m:Location></m:MetadataSection>"
        "<m:MetadataSection Dialect=\"http://schemas.xmlsoap.org/ws/2004/09/mex\"><m:MetadataReference>"
        "<Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/mex</Address>"
        "</m:MetadataReference></m:MetadataSection></m:Metadata></Metadata></a>";
    static const char no_mex_xml[] =
        "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/svc</Address><x/></a>";
    static const WCHAR mex_url[] = L"http://host/mex";
    WS_XML_READER *reader = create_reader(), *reader2 = create_reader();
    WS_HEAP *heap = create_heap();
    WS_ENDPOINT_ADDRESS address, none, meta, *ptr;
    HRESULT hr;

    memset( &address, 0, sizeof(address) );
    set_input_element( reader, xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &address,
                            sizeof(address), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read: got %#lx\n", hr );
    memset( &none, 0, sizeof(none) );
    set_input_element( reader, no_mex_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &none,
                            sizeof(none), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read: got %#lx\n", hr );
    if (builtin)
    {
        skip( "WsReadEndpointAddressExtension is not exported by the builtin\n" );
        goto done;
    }
    ok( address.extensions != NULL, "no extensions\n" );

    memset( &meta, 0xcc, sizeof(meta) );
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta), NULL );
    ok( hr == S_OK, "required value: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( meta.url.length == wcslen( mex_url ) && !memcmp( meta.url.chars, mex_url, sizeof(mex_url) - sizeof(WCHAR) ),
            "url %s\n", wine_dbgstr_wn( meta.url.chars, meta.url.length ) );
        ok( !meta.headers && !meta.extensions && !meta.identity, "unexpected parts\n" );
    }
    ptr = NULL;
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_POINTER, heap, &ptr, sizeof(ptr), NULL );
    ok( hr == S_OK, "required pointer: got %#lx\n", hr );
    ok( ptr && ptr->url.length == wcslen( mex_url ), "wrong pointer value\n" );

    /* missing: an error unless the pointer is optional; no extensions at all is missing too */
    hr = WsReadEndpointAddressExtension( reader2, &none, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "missing, required: got %#lx\n", hr );
    ptr = (WS_ENDPOINT_ADDRESS *)1;
    hr = WsReadEndpointAddressExtension( reader2, &none, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_OPTIONAL_POINTER, heap, &ptr, sizeof(ptr), NULL );
    ok( hr == S_OK, "missing, optional: got %#lx\n", hr );
    ok( ptr == NULL, "ptr %p\n", ptr );
    none.extensions = NULL;
    hr = WsReadEndpointAddressExtension( reader2, &none, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_POINTER, heap, &ptr, sizeof(ptr), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "no extensions: got %#lx\n", hr );

    /* documented E_INVALIDARG cases: invalid extension type, wrong size, NULL arguments */
    hr = WsReadEndpointAddressExtension( reader2, &address, 0, WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta),
                                         NULL );
    ok( hr == E_INVALIDARG, "type 0: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, &address, 2, WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta),
                                         NULL );
    ok( hr == E_INVALIDARG, "type 2: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta) - 1, NULL );
    ok( hr == E_INVALIDARG, "size: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_POINTER, heap, &ptr, sizeof(meta), NULL );
    ok( hr == E_INVALIDARG, "pointer size: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_NILLABLE_POINTER, heap, &ptr, sizeof(ptr), NULL );
    ok( hr == E_INVALIDARG, "nillable pointer: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( NULL, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta), NULL );
    ok( hr == E_INVALIDARG, "NULL reader: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, NULL, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, heap, &meta, sizeof(meta), NULL );
    ok( hr == E_INVALIDARG, "NULL address: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, NULL, &meta, sizeof(meta), NULL );
    ok( hr == E_INVALIDARG, "NULL heap: got %#lx\n", hr );
    hr = WsReadEndpointAddressExtension( reader2, &address, WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS,
                                         WS_READ_REQUIRED_VALUE, heap, NULL, sizeof(meta), NULL );
    ok( hr == E_INVALIDARG, "NULL value: got %#lx\n", hr );

done:
    WsFreeReader( reader );
    WsFreeReader( reader2 );
    WsFreeHeap( heap );
}

/* WS_XML_ATTRIBUTE_FIELD_MAPPING: a reserved attribute of the xml namespace
 * (xml:lang), named by the field's localName.  Wine's builtin does not
 * implement the mapping (E_NOTIMPL, except when writing an absent optional
 * value): todo_wine. */
struct xml_attr_struct { WS_STRING lang; INT32 v; };

static void test_xml_attribute_field(void)
{
    static WS_XML_STRING str_lang = WS_XML_STRING_VALUE( "lang" ), str_v = WS_XML_STRING_VALUE( "v" );
    static WS_XML_STRING str_xml_ns = WS_XML_STRING_VALUE( "http://www.w3.org/XML/1998/namespace" );
    WS_FIELD_DESCRIPTION f_lang = { WS_XML_ATTRIBUTE_FIELD_MAPPING, &str_lang, &str_xml_ns, WS_STRING_TYPE, NULL,
                                    offsetof(struct xml_attr_struct, lang), WS_FIELD_OPTIONAL };
    WS_FIELD_DESCRIPTION f_v = { WS_ELEMENT_FIELD_MAPPING, &str_v, &str_empty, WS_INT32_TYPE, NULL,
                                 offsetof(struct xml_attr_struct, v) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_lang, &f_v };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct xml_attr_struct), TYPE_ALIGNMENT(struct xml_attr_struct), fields,
                                   ARRAY_SIZE(fields), &str_s, &str_empty };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &desc };
    static const char expected[] = "<s xml:lang=\"en-us\"><v>5</v></s>";
    static WCHAR en[] = L"en-us";
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct xml_attr_struct value;
    HRESULT hr;

    value.lang.chars = en;
    value.lang.length = 5;
    value.v = 5;
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "write: got %#lx\n", hr );
    check_output_todo( writer, expected, builtin );

    memset( &value, 0xcc, sizeof(value) );
    set_input( reader, expected );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( value.lang.length == 5 && !memcmp( value.lang.chars, en, 10 ), "lang %s\n",
            wine_dbgstr_wn( value.lang.chars, value.lang.length ) );
        ok( value.v == 5, "v %d\n", value.v );
    }

    /* optional: absent reads as the zero value and is not written */
    memset( &value, 0xcc, sizeof(value) );
    set_input( reader, "<s><v>6</v></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read without: got %#lx\n", hr );
    if (hr == S_OK) ok( !value.lang.length && value.v == 6, "lang length %lu v %d\n", value.lang.length, value.v );
    memset( &value.lang, 0, sizeof(value.lang) );
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "write without: got %#lx\n", hr );
    check_output_todo( writer, "<s><v>6</v></s>", builtin );

    /* required: a missing attribute is an invalid format */
    f_lang.options = 0;
    set_input( reader, "<s><v>6</v></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "read required: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WS_ANY_ATTRIBUTES_FIELD_MAPPING: the data attributes that no other field
 * maps (not namespace declarations), as WS_ANY_ATTRIBUTES. */
struct any_attr_struct { INT32 id; WS_ANY_ATTRIBUTES any; };

static void test_any_attributes_field(void)
{
    static WS_XML_STRING str_id = WS_XML_STRING_VALUE( "id" ), str_x = WS_XML_STRING_VALUE( "x" );
    static WS_XML_UTF8_TEXT text_v = { { WS_XML_TEXT_TYPE_UTF8 }, { 1, (BYTE *)"v" } };
    WS_FIELD_DESCRIPTION f_id = { WS_ATTRIBUTE_FIELD_MAPPING, &str_id, &str_empty, WS_INT32_TYPE, NULL,
                                  offsetof(struct any_attr_struct, id) };
    WS_FIELD_DESCRIPTION f_any = { WS_ANY_ATTRIBUTES_FIELD_MAPPING, NULL, NULL, WS_ANY_ATTRIBUTES_TYPE, NULL,
                                   offsetof(struct any_attr_struct, any) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_id, &f_any };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct any_attr_struct), TYPE_ALIGNMENT(struct any_attr_struct), fields,
                                   ARRAY_SIZE(fields), &str_s, &str_empty };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &desc };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_ANY_ATTRIBUTE attr;
    struct any_attr_struct value;
    HRESULT hr;

    /* writing: the mapped attributes, then the extra ones */
    attr.localName = str_x;
    attr.ns = str_empty;
    attr.value = &text_v.text;
    value.id = 3;
    value.any.attributes = &attr;
    value.any.attributeCount = 1;
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "write: got %#lx\n", hr );
    /* Wine's builtin succeeds but drops the extra attributes (<s id="3"/>) */
    check_output_todo( writer, "<s id=\"3\" x=\"v\"/>", builtin );

    value.any.attributes = NULL;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "count without array: got %#lx\n", hr );

    /* reading: everything but id and the namespace declaration */
    memset( &value, 0xcc, sizeof(value) );
    set_input( reader, "<s x=\"a\" id=\"4\" p:y=\"b\" xmlns:p=\"pns\"/>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read: got %#lx\n", hr );
    if (hr == S_OK)
    {
        const WS_XML_UTF8_TEXT *t;
        ok( value.id == 4, "id %d\n", value.id );
        ok( value.any.attributeCount == 2, "count %lu\n", value.any.attributeCount );
        if (value.any.attributeCount == 2)
        {
            ok( value.any.attributes[0].localName.length == 1 && value.any.attributes[0].localName.bytes[0] == 'x' &&
                !value.any.attributes[0].ns.length, "first attribute name\n" );
            t = (const WS_XML_UTF8_TEXT *)value.any.attributes[0].value;
            ok( t && t->text.textType == WS_XML_TEXT_TYPE_UTF8 && t->value.length == 1 && t->value.bytes[0] == 'a',
                "first attribute value\n" );
            ok( value.any.attributes[1].localName.length == 1 && value.any.attributes[1].localName.bytes[0] == 'y' &&
                value.any.attributes[1].ns.length == 3 && !memcmp( value.any.attributes[1].ns.bytes, "pns", 3 ),
                "second attribute name\n" );
            t = (const WS_XML_UTF8_TEXT *)value.any.attributes[1].value;
            ok( t && t->text.textType == WS_XML_TEXT_TYPE_UTF8 && t->value.length == 1 && t->value.bytes[0] == 'b',
                "second attribute value\n" );
        }
    }

    /* no extra attributes: an empty set */
    memset( &value, 0xcc, sizeof(value) );
    set_input( reader, "<s id=\"5\"/>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read none: got %#lx\n", hr );
    if (hr == S_OK) ok( !value.any.attributeCount && value.id == 5, "count %lu\n", value.any.attributeCount );

    /* the field must be of WS_ANY_ATTRIBUTES_TYPE */
    f_any.type = WS_INT32_TYPE;
    set_input( reader, "<s id=\"5\"/>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "wrong type: got %#lx\n", hr );  /* builtin: E_NOTIMPL */

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WS_ANY_CONTENT_FIELD_MAPPING: the rest of the element's content (text and
 * elements) into a WS_XML_BUFFER, written back as is. */
struct any_content_struct { INT32 v; WS_XML_BUFFER *rest; };

static void test_any_content_field(void)
{
    static WS_XML_STRING str_v = WS_XML_STRING_VALUE( "v" );
    WS_FIELD_DESCRIPTION f_v = { WS_ELEMENT_FIELD_MAPPING, &str_v, &str_empty, WS_INT32_TYPE, NULL,
                                 offsetof(struct any_content_struct, v) };
    WS_FIELD_DESCRIPTION f_rest = { WS_ANY_CONTENT_FIELD_MAPPING, NULL, NULL, WS_XML_BUFFER_TYPE, NULL,
                                    offsetof(struct any_content_struct, rest) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_v, &f_rest };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct any_content_struct), TYPE_ALIGNMENT(struct any_content_struct),
                                   fields, ARRAY_SIZE(fields), &str_s, &str_empty };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &desc };
    static const char xml[] = "<s><v>1</v>text<x>2</x><y/></s>";
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct any_content_struct value;
    HRESULT hr;

    memset( &value, 0xcc, sizeof(value) );
    set_input( reader, xml );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read: got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( value.v == 1, "v %d\n", value.v );
        ok( value.rest != NULL, "no buffer\n" );
        check_reader_eof( reader );
        hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
        ok( hr == S_OK, "write: got %#lx\n", hr );
        check_output( writer, xml );
    }

    /* nothing left: an empty buffer, written as nothing; a NULL buffer writes nothing */
    memset( &value, 0xcc, sizeof(value) );
    set_input( reader, "<s><v>2</v></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read empty: got %#lx\n", hr );
    value.v = 2;
    value.rest = NULL;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "write NULL: got %#lx\n", hr );
    check_output_todo( writer, "<s><v>2</v></s>", builtin );

    /* the field must be of WS_XML_BUFFER_TYPE */
    f_rest.type = WS_INT32_TYPE;
    set_input( reader, "<s><v>2</v></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "wrong type: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* WS_FAULT_TYPE: the content of a SOAP Fault element, in the SOAP 1.1 or
 * SOAP 1.2 form its WS_FAULT_DESCRIPTION names.  Expected values follow
 * WS_FAULT (first code in no namespace = the envelope's, Sender/Receiver =
 * Client/Server in SOAP 1.1, SOAP 1.1 carries the first code and reason
 * only and no node, the detail buffer holds the detail element, renamed
 * when written), WS_FAULT_REASON (xml:lang) and the SOAP 1.1 (section 4.4)
 * and SOAP 1.2 (part 1, section 5.4) fault forms.  Wine's builtin returns
 * E_NOTIMPL for WS_FAULT_TYPE: the test stops there with it. */

#define SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"
#define SOAP12_NS "http://www.w3.org/2003/05/soap-envelope"
static WS_XML_STRING str_fault = WS_XML_STRING_VALUE( "Fault" );
static WS_XML_STRING str_soap11 = WS_XML_STRING_VALUE( SOAP11_NS );
static WS_XML_STRING str_soap12 = WS_XML_STRING_VALUE( SOAP12_NS );
static WS_XML_STRING str_sender = WS_XML_STRING_VALUE( "Sender" );
static WS_XML_STRING str_receiver = WS_XML_STRING_VALUE( "Receiver" );
static WS_XML_STRING str_sub = WS_XML_STRING_VALUE( "Sub" );
static WS_XML_STRING str_sub2 = WS_XML_STRING_VALUE( "Sub2" );
static WS_XML_STRING str_app = WS_XML_STRING_VALUE( "urn:app" );
static const WS_FAULT_DESCRIPTION fault_desc11 = { WS_ENVELOPE_VERSION_SOAP_1_1 };
static const WS_FAULT_DESCRIPTION fault_desc12 = { WS_ENVELOPE_VERSION_SOAP_1_2 };

#define FAULT12_START "<s:Fault xmlns:s=\"" SOAP12_NS "\">"
#define FAULT11_START "<s:Fault xmlns:s=\"" SOAP11_NS "\">"
#define CODE12 "<s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:a=\"urn:app\">a:Sub</s:Value>" \
               "<s:Subcode><s:Value xmlns:b=\"urn:app\">b:Sub2</s:Value></s:Subcode></s:Subcode></s:Code>"
#define REASONS12 "<s:Reason><s:Text xml:lang=\"en\">oops</s:Text><s:Text xml:lang=\"fr\">oups!</s:Text></s:Reason>"

/* Writes <s:Fault xmlns:s="NS">...</s:Fault>, the fault with WS_ELEMENT_TYPE_MAPPING. */
static HRESULT write_fault_element( WS_XML_WRITER *writer, const WS_XML_STRING *ns, const void *desc,
                                    WS_WRITE_OPTION option, const void *value, ULONG size )
{
    return write_named_element_type( writer, &str_s, &str_fault, ns, WS_FAULT_TYPE, desc, option, value, size );
}

/* Writes FAULT in the <s:Fault> element of its envelope version and checks the output. */
#define write_fault_check(writer, desc, fault, expected) write_fault_check_( __LINE__, writer, desc, fault, expected )
static void write_fault_check_( unsigned line, WS_XML_WRITER *writer, const WS_FAULT_DESCRIPTION *desc,
                                const WS_FAULT *fault, const char *expected )
{
    const WS_XML_STRING *ns = desc->envelopeVersion == WS_ENVELOPE_VERSION_SOAP_1_1 ? &str_soap11 : &str_soap12;
    HRESULT hr = write_fault_element( writer, ns, desc, WS_WRITE_REQUIRED_VALUE, fault, sizeof(*fault) );
    ok_(__FILE__, line)( hr == S_OK, "got %#lx\n", hr );
    check_output_( line, writer, expected, FALSE );
}

static WS_XML_BUFFER *xml_buffer_from( WS_HEAP *heap, const char *xml )
{
    WS_XML_READER *reader = create_reader();
    WS_XML_BUFFER *buffer = NULL;
    HRESULT hr;

    set_input_element( reader, xml );
    hr = WsReadXmlBuffer( reader, heap, &buffer, NULL );
    ok( hr == S_OK, "WsReadXmlBuffer: got %#lx\n", hr );
    WsFreeReader( reader );
    return buffer;
}

#define check_buffer(writer, buffer, expected) check_buffer_( __LINE__, writer, buffer, expected )
static void check_buffer_( unsigned line, WS_XML_WRITER *writer, WS_XML_BUFFER *buffer, const char *expected )
{
    HRESULT hr;

    reset_writer( writer );
    hr = WsWriteXmlBuffer( writer, buffer, NULL );
    ok_(__FILE__, line)( hr == S_OK, "WsWriteXmlBuffer: got %#lx\n", hr );
    check_output_( line, writer, expected, FALSE );
}

#define check_wstr(str, expected) check_wstr_( __LINE__, str, expected )
static void check_wstr_( unsigned line, const WS_STRING *str, const WCHAR *expected )
{
    ULONG len = wcslen( expected );
    ok_(__FILE__, line)( str->length == len && (!len || !memcmp( str->chars, expected, len * sizeof(WCHAR) )),
                         "got %s, expected %s\n", wine_dbgstr_wn( str->chars, str->length ),
                         wine_dbgstr_w( expected ) );
}

#define check_qname(qname, local, ns) check_qname_( __LINE__, qname, local, ns )
static void check_qname_( unsigned line, const WS_XML_QNAME *qname, const char *local, const char *ns )
{
    ok_(__FILE__, line)( qname->localName.length == strlen( local ) &&
                         !memcmp( qname->localName.bytes, local, strlen( local ) ),
                         "local name %s\n", wine_dbgstr_an( (const char *)qname->localName.bytes,
                                                            qname->localName.length ) );
    ok_(__FILE__, line)( qname->ns.length == strlen( ns ) && !memcmp( qname->ns.bytes, ns, strlen( ns ) ),
                         "ns %s\n", wine_dbgstr_an( (const char *)qname->ns.bytes, qname->ns.length ) );
}

/* A full fault: a chain of three codes, two reasons, node, actor and detail. */
struct test_fault
{
    WS_FAULT_CODE code, sub, sub2;
    WS_FAULT_REASON reasons[2];
    WS_FAULT fault;
};

static void init_test_fault( struct test_fault *t, WS_XML_BUFFER *detail )
{
    static const WS_FAULT_REASON reasons[2] = { { { 4, (WCHAR *)L"oops" }, { 2, (WCHAR *)L"en" } },
                                                { { 5, (WCHAR *)L"oups!" }, { 2, (WCHAR *)L"fr" } } };

    memset( t, 0, sizeof(*t) );
    t->code.value.localName = str_sender;
    t->code.subCode = &t->sub;
    t->sub.value.localName = str_sub;
    t->sub.value.ns = str_app;
    t->sub.subCode = &t->sub2;
    t->sub2.value.localName = str_sub2;
    t->sub2.value.ns = str_app;
    memcpy( t->reasons, reasons, sizeof(reasons) );
    t->fault.code = &t->code;
    t->fault.reasons = t->reasons;
    t->fault.reasonCount = 2;
    t->fault.actor.chars = (WCHAR *)L"urn:actor";
    t->fault.actor.length = 9;
    t->fault.node.chars = (WCHAR *)L"urn:node";
    t->fault.node.length = 8;
    t->fault.detail = detail;
}

static void test_fault_write(void)
{
    WS_XML_WRITER *writer = create_writer();
    WS_HEAP *heap = create_heap();
    WS_FAULT_DESCRIPTION desc;
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_fault, &str_soap12, WS_FAULT_TYPE, (void *)&fault_desc12 };
    WS_FAULT_CODE custom = { { str_sub, str_app }, NULL };
    struct test_fault t;
    WS_FAULT *ptr;
    HRESULT hr;

    init_test_fault( &t, xml_buffer_from( heap, "<d a=\"1\"><x>1</x><y/></d>" ) );
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault,
                              sizeof(t.fault) );
    todo_wine_if( builtin ) ok( hr == S_OK, "SOAP 1.2: got %#lx\n", hr );
    if (hr != S_OK)
    {
        skip( "no WS_FAULT_TYPE\n" );
        goto done;
    }
    /* the whole code chain, every reason, Node, Role, and the detail element renamed */
    check_output( writer, FAULT12_START CODE12 REASONS12 "<s:Node>urn:node</s:Node><s:Role>urn:actor</s:Role>"
                  "<s:Detail a=\"1\"><x>1</x><y/></s:Detail></s:Fault>" );

    /* SOAP 1.1: the first code (Sender -> Client) and reason, no node, detail renamed */
    write_fault_check( writer, &fault_desc11, &t.fault, FAULT11_START "<faultcode>s:Client</faultcode>"
                       "<faultstring xml:lang=\"en\">oops</faultstring><faultactor>urn:actor</faultactor>"
                       "<detail a=\"1\"><x>1</x><y/></detail></s:Fault>" );

    /* the minimum: one code, one reason; Receiver -> Server in SOAP 1.1 */
    t.code.value.localName = str_receiver;
    t.code.subCode = NULL;
    t.fault.reasonCount = 1;
    t.fault.actor.length = t.fault.node.length = 0;
    t.fault.detail = NULL;
    write_fault_check( writer, &fault_desc11, &t.fault, FAULT11_START "<faultcode>s:Server</faultcode>"
                       "<faultstring xml:lang=\"en\">oops</faultstring></s:Fault>" );
    write_fault_check( writer, &fault_desc12, &t.fault, FAULT12_START "<s:Code><s:Value>s:Receiver</s:Value>"
                       "</s:Code><s:Reason><s:Text xml:lang=\"en\">oops</s:Text></s:Reason></s:Fault>" );

    /* no language: xml:lang is optional in SOAP 1.1, required (here empty) in SOAP 1.2 */
    t.reasons[0].lang.length = 0;
    write_fault_check( writer, &fault_desc11, &t.fault, FAULT11_START "<faultcode>s:Server</faultcode>"
                       "<faultstring>oops</faultstring></s:Fault>" );
    write_fault_check( writer, &fault_desc12, &t.fault, FAULT12_START "<s:Code><s:Value>s:Receiver</s:Value>"
                       "</s:Code><s:Reason><s:Text xml:lang=\"\">oops</s:Text></s:Reason></s:Fault>" );
    t.reasons[0].lang.length = 2;

    /* a first code in a namespace is written as it is */
    t.fault.code = &custom;
    write_fault_check( writer, &fault_desc11, &t.fault, FAULT11_START "<faultcode xmlns:a=\"urn:app\">a:Sub"
                       "</faultcode><faultstring xml:lang=\"en\">oops</faultstring></s:Fault>" );
    t.fault.code = &t.code;

    /* pointer options */
    ptr = &t.fault;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
    ok( hr == S_OK, "pointer: got %#lx\n", hr );
    check_output( writer, FAULT12_START "<s:Code><s:Value>s:Receiver</s:Value></s:Code>"
                  "<s:Reason><s:Text xml:lang=\"en\">oops</s:Text></s:Reason></s:Fault>" );
    ptr = NULL;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_NILLABLE_POINTER, &ptr, sizeof(ptr) );
    ok( hr == S_OK, "nil: got %#lx\n", hr );
    check_output( writer, "<s:Fault a:nil=\"true\" xmlns:s=\"" SOAP12_NS "\" xmlns:a=\"" XSI_NS "\"/>" );
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
    ok( hr == E_INVALIDARG, "NULL pointer: got %#lx\n", hr );

    /* WsWriteElement: the Fault element in the SOAP 1.2 namespace, as the default namespace */
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault), NULL );
    ok( hr == S_OK, "WsWriteElement: got %#lx\n", hr );
    check_output( writer, "<Fault xmlns=\"" SOAP12_NS "\"><Code><Value>Receiver</Value></Code>"
                  "<Reason><Text xml:lang=\"en\">oops</Text></Reason></Fault>" );

    /* element content mapping: the fault's children where the writer is */
    reset_writer( writer );
    hr = WsWriteStartElement( writer, &str_s, &str_fault, &str_soap12, NULL );
    ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
    hr = WsWriteType( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_FAULT_TYPE, &fault_desc12, WS_WRITE_REQUIRED_VALUE,
                      &t.fault, sizeof(t.fault), NULL );
    ok( hr == S_OK, "content: got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "WsWriteEndElement: got %#lx\n", hr );
    check_output( writer, FAULT12_START "<s:Code><s:Value>s:Receiver</s:Value></s:Code>"
                  "<s:Reason><s:Text xml:lang=\"en\">oops</s:Text></s:Reason></s:Fault>" );

    /* the description is required and must name a SOAP version */
    hr = write_fault_element( writer, &str_soap12, NULL, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "NULL description: got %#lx\n", hr );
    desc.envelopeVersion = WS_ENVELOPE_VERSION_NONE;
    hr = write_fault_element( writer, &str_soap12, &desc, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "WS_ENVELOPE_VERSION_NONE: got %#lx\n", hr );
    desc.envelopeVersion = 0;
    hr = write_fault_element( writer, &str_soap12, &desc, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "version 0: got %#lx\n", hr );

    /* a code and a reason are required; sizes, options and mappings */
    t.fault.code = NULL;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "no code: got %#lx\n", hr );
    t.fault.code = &t.code;
    t.fault.reasonCount = 0;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "no reason: got %#lx\n", hr );
    t.fault.reasonCount = 1;
    t.fault.reasons = NULL;
    hr = write_fault_element( writer, &str_soap11, &fault_desc11, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "NULL reasons: got %#lx\n", hr );
    t.fault.reasons = t.reasons;
    t.code.value.localName = str_empty;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "empty code: got %#lx\n", hr );
    t.code.value.localName = str_sender;
    t.code.value.ns.length = 3;   /* with NULL bytes */
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "NULL ns bytes: got %#lx\n", hr );
    t.code.value.ns.length = 0;
    t.reasons[0].text.chars = NULL;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "NULL text: got %#lx\n", hr );
    t.reasons[0].text.chars = (WCHAR *)L"oops";
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault,
                              sizeof(t.fault) - 1 );
    ok( hr == E_INVALIDARG, "size: got %#lx\n", hr );
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_NILLABLE_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "nillable value: got %#lx\n", hr );
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, NULL, sizeof(t.fault) );
    ok( hr == E_INVALIDARG, "NULL value: got %#lx\n", hr );
    reset_writer( writer );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
    hr = WsWriteType( writer, WS_ATTRIBUTE_TYPE_MAPPING, WS_FAULT_TYPE, &fault_desc12, WS_WRITE_REQUIRED_VALUE,
                      &t.fault, sizeof(t.fault), NULL );
    ok( hr == E_INVALIDARG, "attribute mapping: got %#lx\n", hr );

    /* a cyclic code list ends (SOAP 1.1 writes the first code only) */
    t.code.subCode = &t.code;
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( FAILED( hr ), "cyclic codes: got %#lx\n", hr );
    hr = write_fault_element( writer, &str_soap11, &fault_desc11, WS_WRITE_REQUIRED_VALUE, &t.fault, sizeof(t.fault) );
    ok( hr == S_OK, "cyclic codes, SOAP 1.1: got %#lx\n", hr );

done:
    WsFreeWriter( writer );
    WsFreeHeap( heap );
}

static void test_fault_read(void)
{
    static const char xml12[] = FAULT12_START CODE12 REASONS12 "<s:Node>urn:node</s:Node>"
                                "<s:Role>urn:actor</s:Role><s:Detail a=\"1\"><x>1</x><y/></s:Detail></s:Fault>";
    static const char xml11[] = FAULT11_START "<faultcode>s:Client</faultcode><faultstring xml:lang=\"en\">oops"
                                "</faultstring><faultactor>urn:actor</faultactor><detail><x>1</x></detail></s:Fault>";
    static const char min12[] = FAULT12_START "<s:Code><s:Value>s:Receiver</s:Value></s:Code>"
                                "<s:Reason><s:Text xml:lang=\"en\">oops</s:Text></s:Reason></s:Fault>";
    static const struct
    {
        const WS_FAULT_DESCRIPTION *desc;
        const char *xml;
    }
    invalid[] =
    {
        /* SOAP 1.2: Code, Code/Value, Reason and one Text are required, nothing else is allowed */
        { &fault_desc12, FAULT12_START "<s:Reason><s:Text xml:lang=\"en\">x</s:Text></s:Reason></s:Fault>" },
        { &fault_desc12, FAULT12_START "<s:Code/><s:Reason><s:Text xml:lang=\"en\">x</s:Text></s:Reason></s:Fault>" },
        { &fault_desc12, FAULT12_START "<s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault>" },
        { &fault_desc12, FAULT12_START "<s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason/></s:Fault>" },
        { &fault_desc12, FAULT12_START "<s:Code><s:Value>s:Sender</s:Value></s:Code>"
                         "<s:Reason><s:Text xml:lang=\"en\">x</s:Text></s:Reason><s:Other/></s:Fault>" },
        { &fault_desc12, FAULT12_START "<s:Code><s:Value>s:Sender</s:Value><s:Subcode/></s:Code>"
                         "<s:Reason><s:Text xml:lang=\"en\">x</s:Text></s:Reason></s:Fault>" },
        /* an undeclared prefix in the code */
        { &fault_desc12, FAULT12_START "<s:Code><s:Value>q:Sender</s:Value></s:Code>"
                         "<s:Reason><s:Text xml:lang=\"en\">x</s:Text></s:Reason></s:Fault>" },
        /* the other version's form */
        { &fault_desc12, xml11 },
        { &fault_desc11, xml12 },
        /* SOAP 1.1: faultcode and faultstring are required, unqualified extra elements are not allowed */
        { &fault_desc11, FAULT11_START "<faultstring>x</faultstring></s:Fault>" },
        { &fault_desc11, FAULT11_START "<faultcode>s:Client</faultcode></s:Fault>" },
        { &fault_desc11, FAULT11_START "<faultcode>s:Client</faultcode><faultstring>x</faultstring><extra/></s:Fault>" },
        { &fault_desc11, FAULT11_START "<faultcode>s:Client</faultcode><faultstring>x</faultstring>"
                         "<faultstring>y</faultstring></s:Fault>" },
    };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_FAULT_DESCRIPTION desc;
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_fault, &str_soap12, WS_FAULT_TYPE, (void *)&fault_desc12 };
    WS_FAULT fault, *ptr;
    HRESULT hr;
    ULONG i;

    /* SOAP 1.2: everything */
    memset( &fault, 0xcc, sizeof(fault) );
    set_input_element( reader, xml12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_VALUE, heap, &fault,
                            sizeof(fault), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "SOAP 1.2: got %#lx\n", hr );
    if (hr != S_OK)
    {
        skip( "no WS_FAULT_TYPE\n" );
        goto done;
    }
    check_reader_eof( reader );
    ok( fault.code && fault.code->subCode && fault.code->subCode->subCode && !fault.code->subCode->subCode->subCode,
        "wrong code chain\n" );
    if (fault.code && fault.code->subCode && fault.code->subCode->subCode)
    {
        check_qname( &fault.code->value, "Sender", SOAP12_NS );
        check_qname( &fault.code->subCode->value, "Sub", "urn:app" );
        check_qname( &fault.code->subCode->subCode->value, "Sub2", "urn:app" );
    }
    ok( fault.reasonCount == 2, "%lu reasons\n", fault.reasonCount );
    if (fault.reasonCount == 2)
    {
        check_wstr( &fault.reasons[0].text, L"oops" );
        check_wstr( &fault.reasons[0].lang, L"en" );
        check_wstr( &fault.reasons[1].text, L"oups!" );
        check_wstr( &fault.reasons[1].lang, L"fr" );
    }
    check_wstr( &fault.node, L"urn:node" );
    check_wstr( &fault.actor, L"urn:actor" );
    ok( fault.detail != NULL, "no detail\n" );
    /* the buffer holds the detail element itself */
    if (fault.detail)
        check_buffer( writer, fault.detail, "<s:Detail a=\"1\" xmlns:s=\"" SOAP12_NS "\"><x>1</x><y/></s:Detail>" );
    /* and writes back the same */
    hr = write_fault_element( writer, &str_soap12, &fault_desc12, WS_WRITE_REQUIRED_VALUE, &fault, sizeof(fault) );
    ok( hr == S_OK, "write back: got %#lx\n", hr );
    check_output( writer, xml12 );

    /* SOAP 1.1 */
    memset( &fault, 0xcc, sizeof(fault) );
    set_input_element( reader, xml11 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc11, WS_READ_REQUIRED_VALUE, heap, &fault,
                            sizeof(fault), NULL );
    ok( hr == S_OK, "SOAP 1.1: got %#lx\n", hr );
    check_reader_eof( reader );
    ok( fault.code && !fault.code->subCode, "wrong code\n" );
    if (fault.code) check_qname( &fault.code->value, "Client", SOAP11_NS );
    ok( fault.reasonCount == 1, "%lu reasons\n", fault.reasonCount );
    if (fault.reasonCount == 1)
    {
        check_wstr( &fault.reasons[0].text, L"oops" );
        check_wstr( &fault.reasons[0].lang, L"en" );
    }
    ok( !fault.node.length, "node %s\n", wine_dbgstr_wn( fault.node.chars, fault.node.length ) );
    check_wstr( &fault.actor, L"urn:actor" );
    ok( fault.detail != NULL, "no detail\n" );
    if (fault.detail) check_buffer( writer, fault.detail, "<detail><x>1</x></detail>" );
    hr = write_fault_element( writer, &str_soap11, &fault_desc11, WS_WRITE_REQUIRED_VALUE, &fault, sizeof(fault) );
    ok( hr == S_OK, "write back: got %#lx\n", hr );
    check_output( writer, xml11 );

    /* SOAP 1.1: no xml:lang, a namespace-qualified extra element (allowed, skipped) */
    memset( &fault, 0xcc, sizeof(fault) );
    set_input_element( reader, FAULT11_START "<faultcode>s:Server</faultcode><faultstring>x</faultstring>"
                       "<e:more xmlns:e=\"urn:e\"><z/></e:more></s:Fault>" );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc11, WS_READ_REQUIRED_VALUE, heap, &fault,
                            sizeof(fault), NULL );
    ok( hr == S_OK, "SOAP 1.1 extension: got %#lx\n", hr );
    check_reader_eof( reader );
    if (hr == S_OK)
    {
        ok( fault.reasonCount == 1 && !fault.reasons[0].lang.length, "wrong reason\n" );
        ok( !fault.actor.length && !fault.detail, "actor or detail set\n" );
    }

    /* the minimum, with the pointer options */
    ptr = NULL;
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_POINTER, heap, &ptr, sizeof(ptr),
                            NULL );
    ok( hr == S_OK, "pointer: got %#lx\n", hr );
    ok( ptr != NULL, "NULL pointer\n" );
    if (ptr)
    {
        ok( ptr->code && !ptr->code->subCode, "wrong code\n" );
        if (ptr->code) check_qname( &ptr->code->value, "Receiver", SOAP12_NS );
        ok( ptr->reasonCount == 1, "%lu reasons\n", ptr->reasonCount );
        ok( !ptr->node.length && !ptr->actor.length && !ptr->detail, "node, actor or detail set\n" );
    }
    ptr = (WS_FAULT *)0xdeadbeef;
    set_input_element( reader, "<s:Fault a:nil=\"true\" xmlns:a=\"" XSI_NS "\" xmlns:s=\"" SOAP12_NS "\"/>" );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_NILLABLE_POINTER, heap, &ptr, sizeof(ptr),
                            NULL );
    ok( hr == S_OK, "nil: got %#lx\n", hr );
    ok( !ptr, "pointer %p\n", ptr );

    /* WsReadElement with the Fault element's name */
    memset( &fault, 0xcc, sizeof(fault) );
    set_input( reader, min12 );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &fault, sizeof(fault), NULL );
    ok( hr == S_OK, "WsReadElement: got %#lx\n", hr );
    check_reader_eof( reader );
    if (hr == S_OK) ok( fault.code && fault.reasonCount == 1, "wrong fault\n" );

    /* element content mapping */
    memset( &fault, 0xcc, sizeof(fault) );
    set_input_element( reader, min12 );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "WsReadStartElement: got %#lx\n", hr );
    hr = WsReadType( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_VALUE,
                     heap, &fault, sizeof(fault), NULL );
    ok( hr == S_OK, "content: got %#lx\n", hr );
    if (hr == S_OK) ok( fault.code && fault.reasonCount == 1, "wrong fault\n" );
    hr = WsReadEndElement( reader, NULL );
    ok( hr == S_OK, "WsReadEndElement: got %#lx\n", hr );
    check_reader_eof( reader );

    /* malformed faults */
    for (i = 0; i < ARRAY_SIZE(invalid); i++)
    {
        winetest_push_context( "%lu", i );
        set_input_element( reader, invalid[i].xml );
        hr = read_element_type( reader, WS_FAULT_TYPE, invalid[i].desc, WS_READ_REQUIRED_VALUE, heap, &fault,
                                sizeof(fault), NULL );
        ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
        winetest_pop_context();
    }

    /* argument errors */
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_VALUE, NULL, &fault,
                            sizeof(fault), NULL );
    ok( hr == E_INVALIDARG, "no heap: got %#lx\n", hr );
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, &fault, sizeof(fault), NULL );
    ok( hr == E_INVALIDARG, "NULL description: got %#lx\n", hr );
    desc.envelopeVersion = WS_ENVELOPE_VERSION_NONE;
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &desc, WS_READ_REQUIRED_VALUE, heap, &fault, sizeof(fault), NULL );
    ok( hr == E_INVALIDARG, "WS_ENVELOPE_VERSION_NONE: got %#lx\n", hr );
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_VALUE, heap, &fault,
                            sizeof(fault) + 1, NULL );
    ok( hr == E_INVALIDARG, "size: got %#lx\n", hr );
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_NILLABLE_VALUE, heap, &fault,
                            sizeof(fault), NULL );
    ok( hr == E_INVALIDARG, "nillable value: got %#lx\n", hr );
    set_input_element( reader, min12 );
    hr = read_element_type( reader, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_VALUE, heap, NULL,
                            sizeof(fault), NULL );
    ok( hr == E_INVALIDARG, "NULL value: got %#lx\n", hr );
    set_input_element( reader, min12 );
    hr = WsReadType( reader, WS_ATTRIBUTE_TYPE_MAPPING, WS_FAULT_TYPE, &fault_desc12, WS_READ_REQUIRED_VALUE, heap,
                     &fault, sizeof(fault), NULL );
    ok( hr == E_INVALIDARG, "attribute mapping: got %#lx\n", hr );

done:
    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* A fault in a struct field (WS_FIELD_POINTER, as WS_TYPE allows), and in binary. */
struct fault_struct
{
    INT32 id;
    WS_FAULT *fault;
};

static void test_fault_binary_and_field(void)
{
    static WS_XML_STRING str_id = WS_XML_STRING_VALUE( "id" );
    WS_FIELD_DESCRIPTION f_id = { WS_ELEMENT_FIELD_MAPPING, &str_id, &str_empty, WS_INT32_TYPE, NULL,
                                  offsetof(struct fault_struct, id) };
    WS_FIELD_DESCRIPTION f_fault = { WS_ELEMENT_FIELD_MAPPING, &str_fault, &str_soap12, WS_FAULT_TYPE,
                                     (void *)&fault_desc12, offsetof(struct fault_struct, fault), WS_FIELD_POINTER };
    WS_FIELD_DESCRIPTION *fields[] = { &f_id, &f_fault };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct fault_struct), TYPE_ALIGNMENT(struct fault_struct), fields,
                                   ARRAY_SIZE(fields), &str_s, &str_empty };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &desc };
    static const char xml[] = "<s><id>7</id><Fault xmlns=\"" SOAP12_NS "\"><Code><Value>Sender</Value>"
                              "</Code><Reason><Text xml:lang=\"en\">oops</Text></Reason></Fault></s>";
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct test_fault t;
    struct fault_struct value, out;
    WS_FAULT fault;
    WS_BYTES bytes;
    HRESULT hr;

    init_test_fault( &t, xml_buffer_from( heap, "<d><x>1</x></d>" ) );
    value.id = 7;
    value.fault = &t.fault;
    t.fault.reasonCount = 1;
    t.code.subCode = NULL;
    t.fault.actor.length = t.fault.node.length = 0;
    t.fault.detail = NULL;
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "field write: got %#lx\n", hr );
    if (hr != S_OK)
    {
        skip( "no WS_FAULT_TYPE\n" );
        goto done;
    }
    check_output( writer, xml );
    memset( &out, 0xcc, sizeof(out) );
    set_input( reader, xml );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "field read: got %#lx\n", hr );
    check_reader_eof( reader );
    if (hr == S_OK)
    {
        ok( out.id == 7, "id %d\n", out.id );
        ok( out.fault && out.fault->code && out.fault->reasonCount == 1, "wrong fault\n" );
        if (out.fault && out.fault->code) check_qname( &out.fault->code->value, "Sender", SOAP12_NS );
    }

    /* binary: the full fault, both versions */
    init_test_fault( &t, xml_buffer_from( heap, "<d a=\"1\"><x>1</x></d>" ) );
    memset( &fault, 0, sizeof(fault) );
    hr = binary_roundtrip( writer, reader, heap, WS_FAULT_TYPE, &fault_desc12, &t.fault, sizeof(t.fault), &fault,
                           &bytes, FALSE );
    ok( hr == S_OK, "binary SOAP 1.2: got %#lx\n", hr );
    if (hr == S_OK)
    {
        check_reader_eof( reader );
        ok( fault.code && fault.code->subCode && fault.code->subCode->subCode, "wrong code chain\n" );
        if (fault.code) check_qname( &fault.code->value, "Sender", SOAP12_NS );
        if (fault.code && fault.code->subCode && fault.code->subCode->subCode)
            check_qname( &fault.code->subCode->subCode->value, "Sub2", "urn:app" );
        ok( fault.reasonCount == 2, "%lu reasons\n", fault.reasonCount );
        if (fault.reasonCount == 2) check_wstr( &fault.reasons[1].lang, L"fr" );
        check_wstr( &fault.node, L"urn:node" );
        check_wstr( &fault.actor, L"urn:actor" );
        ok( fault.detail != NULL, "no detail\n" );
        if (fault.detail)
            check_buffer( writer, fault.detail, "<Detail a=\"1\" xmlns=\"" SOAP12_NS "\"><x xmlns=\"\">1</x></Detail>" );
    }
    memset( &fault, 0, sizeof(fault) );
    hr = binary_roundtrip( writer, reader, heap, WS_FAULT_TYPE, &fault_desc11, &t.fault, sizeof(t.fault), &fault,
                           &bytes, FALSE );
    ok( hr == S_OK, "binary SOAP 1.1: got %#lx\n", hr );
    if (hr == S_OK)
    {
        check_reader_eof( reader );
        ok( fault.code && !fault.code->subCode, "wrong code\n" );
        if (fault.code) check_qname( &fault.code->value, "Client", SOAP11_NS );
        ok( fault.reasonCount == 1, "%lu reasons\n", fault.reasonCount );
        if (fault.reasonCount == 1) check_wstr( &fault.reasons[0].text, L"oops" );
        ok( !fault.node.length, "node set\n" );
        check_wstr( &fault.actor, L"urn:actor" );
        if (fault.detail) check_buffer( writer, fault.detail, "<detail a=\"1\"><x>1</x></detail>" );
        else ok( 0, "no detail\n" );
    }

done:
    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_fault(void)
{
    test_fault_write();
    test_fault_read();
    test_fault_binary_and_field();
}

/* ---------------------------------------------------------------------- */
/* Field-only types.  WS_TYPE: WS_CHAR_ARRAY_TYPE, WS_UTF8_ARRAY_TYPE,
 * WS_BYTE_ARRAY_TYPE, WS_DESCRIPTION_TYPE, WS_VOID_TYPE and
 * WS_ANY_ATTRIBUTES_TYPE "cannot be used with any WS_TYPE_MAPPING values"
 * and "may only be used within a WS_FIELD_DESCRIPTION": the top-level
 * functions reject them with E_INVALIDARG. */
static void test_field_only_types(void)
{
    static const WS_TYPE types[] = { WS_CHAR_ARRAY_TYPE, WS_UTF8_ARRAY_TYPE, WS_BYTE_ARRAY_TYPE, WS_DESCRIPTION_TYPE,
                                     WS_VOID_TYPE, WS_ANY_ATTRIBUTES_TYPE };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    BYTE value[64];
    void *ptr = value;
    HRESULT hr;
    ULONG i, size;

    for (i = 0; i < ARRAY_SIZE(types); i++)
    {
        WS_ELEMENT_DESCRIPTION elem_desc = { &str_a, &str_empty, types[i], NULL };
        WS_ATTRIBUTE_DESCRIPTION attr_desc = { &str_b, &str_empty, types[i], NULL };

        winetest_push_context( "type %d", types[i] );
        size = types[i] == WS_DESCRIPTION_TYPE ? sizeof(void *) : 2 * sizeof(void *);
        memset( value, 0, sizeof(value) );
        hr = write_element_type( writer, types[i], NULL, WS_WRITE_REQUIRED_VALUE, value, size );
        /* Wine's builtin gives E_NOTIMPL for all but WS_DESCRIPTION_TYPE */
        todo_wine_if( builtin && types[i] != WS_DESCRIPTION_TYPE ) ok( hr == E_INVALIDARG, "WsWriteType: got %#lx\n", hr );
        hr = write_element_type( writer, types[i], NULL, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
        todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "WsWriteType pointer: got %#lx\n", hr );
        reset_writer( writer );
        hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, value, size, NULL );
        todo_wine_if( builtin && types[i] != WS_DESCRIPTION_TYPE ) ok( hr == E_INVALIDARG, "WsWriteElement: got %#lx\n", hr );
        reset_writer( writer );
        hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
        ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
        hr = WsWriteAttribute( writer, &attr_desc, WS_WRITE_REQUIRED_VALUE, value, size, NULL );
        todo_wine_if( builtin && types[i] != WS_DESCRIPTION_TYPE ) ok( hr == E_INVALIDARG, "WsWriteAttribute: got %#lx\n", hr );

        set_input_element( reader, "<a b=\"x\">x</a>" );
        hr = read_element_type( reader, types[i], NULL, WS_READ_REQUIRED_VALUE, heap, value, size, NULL );
        todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "WsReadType: got %#lx\n", hr );
        set_input_element( reader, "<a b=\"x\">x</a>" );
        hr = read_element_type( reader, types[i], NULL, WS_READ_REQUIRED_POINTER, heap, &ptr, sizeof(ptr), NULL );
        todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "WsReadType pointer: got %#lx\n", hr );
        set_input( reader, "<a b=\"x\">x</a>" );
        hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, value, size, NULL );
        todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "WsReadElement: got %#lx\n", hr );
        set_input_element( reader, "<a b=\"x\">x</a>" );
        hr = WsReadAttribute( reader, &attr_desc, WS_READ_REQUIRED_VALUE, heap, value, size, NULL );
        todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "WsReadAttribute: got %#lx\n", hr );
        winetest_pop_context();
    }

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WsWriteElement of VALUE, checked against EXPECTED, then EXPECTED read back
 * into OUT with WsReadElement (to its end); returns the HRESULT of the read. */
#define element_roundtrip(writer, reader, heap, desc, value, out, size, expected) \
    element_roundtrip_( __LINE__, writer, reader, heap, desc, value, out, size, expected )
static HRESULT element_roundtrip_( unsigned line, WS_XML_WRITER *writer, WS_XML_READER *reader, WS_HEAP *heap,
                                   const WS_ELEMENT_DESCRIPTION *desc, const void *value, void *out, ULONG size,
                                   const char *expected )
{
    HRESULT hr;

    reset_writer( writer );
    hr = WsWriteElement( writer, desc, WS_WRITE_REQUIRED_VALUE, value, size, NULL );
    todo_wine_if( builtin ) ok_(__FILE__, line)( hr == S_OK, "write: got %#lx\n", hr );
    check_output_( line, writer, expected, builtin );
    memset( out, 0xcc, size );
    set_input( reader, expected );
    hr = WsReadElement( reader, desc, WS_READ_REQUIRED_VALUE, heap, out, size, NULL );
    todo_wine_if( builtin ) ok_(__FILE__, line)( hr == S_OK, "read: got %#lx\n", hr );
    if (hr == S_OK) check_reader_eof_( line, reader, FALSE );
    return hr;
}

/* Array fields: the pointer at the field's offset, the count (characters or
 * bytes) at its countOffset, in any order (WS_TYPE). */
struct array_struct
{
    WCHAR *attr;          /* WS_CHAR_ARRAY_TYPE attribute */
    ULONG attr_count;
    ULONG lang_count;     /* WS_CHAR_ARRAY_TYPE xml:lang, count first */
    WCHAR *lang;
    ULONG chars_count;    /* WS_CHAR_ARRAY_TYPE element, nillable */
    WCHAR *chars;
    BYTE *utf8;           /* WS_UTF8_ARRAY_TYPE element, optional */
    ULONG utf8_count;
    ULONG bytes_count;    /* WS_BYTE_ARRAY_TYPE element */
    BYTE *bytes;
};

struct array_text_struct
{
    BYTE *utf8;
    ULONG count;
};

static void test_array_fields(void)
{
    static WS_XML_STRING str_lang = WS_XML_STRING_VALUE( "lang" );
    static WS_XML_STRING str_u = WS_XML_STRING_VALUE( "u" );
    static const BYTE bin[] = { 1, 2, 3 };
    WS_CHAR_ARRAY_DESCRIPTION chars_range = { 1, 5 };
    WS_FIELD_DESCRIPTION f_attr = { WS_ATTRIBUTE_FIELD_MAPPING, &str_a, &str_empty, WS_CHAR_ARRAY_TYPE, NULL,
                                    offsetof(struct array_struct, attr), 0, NULL,
                                    offsetof(struct array_struct, attr_count) };
    WS_FIELD_DESCRIPTION f_lang = { WS_XML_ATTRIBUTE_FIELD_MAPPING, &str_lang, NULL, WS_CHAR_ARRAY_TYPE, NULL,
                                    offsetof(struct array_struct, lang), WS_FIELD_OPTIONAL, NULL,
                                    offsetof(struct array_struct, lang_count) };
    WS_FIELD_DESCRIPTION f_chars = { WS_ELEMENT_FIELD_MAPPING, &str_c, &str_empty, WS_CHAR_ARRAY_TYPE, NULL,
                                     offsetof(struct array_struct, chars), WS_FIELD_NILLABLE, NULL,
                                     offsetof(struct array_struct, chars_count) };
    WS_FIELD_DESCRIPTION f_utf8 = { WS_ELEMENT_FIELD_MAPPING, &str_u, &str_empty, WS_UTF8_ARRAY_TYPE, NULL,
                                    offsetof(struct array_struct, utf8), WS_FIELD_OPTIONAL, NULL,
                                    offsetof(struct array_struct, utf8_count) };
    WS_FIELD_DESCRIPTION f_bytes = { WS_ELEMENT_FIELD_MAPPING, &str_b, &str_empty, WS_BYTE_ARRAY_TYPE, NULL,
                                     offsetof(struct array_struct, bytes), 0, NULL,
                                     offsetof(struct array_struct, bytes_count) };
    WS_FIELD_DESCRIPTION *fields[] = { &f_attr, &f_lang, &f_chars, &f_utf8, &f_bytes };
    WS_STRUCT_DESCRIPTION desc = { sizeof(struct array_struct), TYPE_ALIGNMENT(struct array_struct), fields,
                                   ARRAY_SIZE(fields), &str_s, &str_empty };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &desc };
    WS_FIELD_DESCRIPTION f_text = { WS_TEXT_FIELD_MAPPING, NULL, NULL, WS_UTF8_ARRAY_TYPE, NULL,
                                    offsetof(struct array_text_struct, utf8), 0, NULL,
                                    offsetof(struct array_text_struct, count) };
    WS_FIELD_DESCRIPTION *text_fields[] = { &f_text };
    WS_STRUCT_DESCRIPTION text_desc = { sizeof(struct array_text_struct), TYPE_ALIGNMENT(struct array_text_struct),
                                        text_fields, 1, &str_s, &str_empty };
    WS_ELEMENT_DESCRIPTION text_elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &text_desc };
    static const char xml[] = "<s a=\"xy\" xml:lang=\"en\"><c>hello</c><u>utf8</u><b>AQID</b></s>";
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct array_struct value, out;
    struct array_text_struct text;
    WS_DEFAULT_VALUE dflt = { &value, sizeof(value.chars) };
    WS_XML_READER_BINARY_ENCODING bin_enc = { { WS_XML_READER_ENCODING_TYPE_BINARY } };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER } };
    WS_BYTES bytes;
    HRESULT hr;

    value.attr = (WCHAR *)L"xy";
    value.attr_count = 2;
    value.lang = (WCHAR *)L"en";
    value.lang_count = 2;
    value.chars = (WCHAR *)L"hello!";
    value.chars_count = 5;   /* the count says how much is written */
    value.utf8 = (BYTE *)"utf8";
    value.utf8_count = 4;
    value.bytes = (BYTE *)bin;
    value.bytes_count = sizeof(bin);
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), xml );
    if (hr == S_OK)
    {
        ok( out.attr_count == 2 && !memcmp( out.attr, L"xy", 4 ), "attr %s\n",
            wine_dbgstr_wn( out.attr, out.attr_count ) );
        ok( out.lang_count == 2 && !memcmp( out.lang, L"en", 4 ), "lang %s\n",
            wine_dbgstr_wn( out.lang, out.lang_count ) );
        ok( out.chars_count == 5 && !memcmp( out.chars, L"hello", 10 ), "chars %s\n",
            wine_dbgstr_wn( out.chars, out.chars_count ) );
        ok( out.utf8_count == 4 && !memcmp( out.utf8, "utf8", 4 ), "utf8 %s\n",
            wine_dbgstr_an( (const char *)out.utf8, out.utf8_count ) );
        ok( out.bytes_count == 3 && !memcmp( out.bytes, bin, 3 ), "%lu bytes\n", out.bytes_count );

        /* the same in binary */
        set_binary_output( writer );
        hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &out, sizeof(out), NULL );
        ok( hr == S_OK, "binary write: got %#lx\n", hr );
        memset( &bytes, 0, sizeof(bytes) );
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
        ok( hr == S_OK, "WS_XML_WRITER_PROPERTY_BYTES: got %#lx\n", hr );
        input.encodedData = bytes.bytes;
        input.encodedDataSize = bytes.length;
        hr = WsSetInput( reader, &bin_enc.encoding, &input.input, NULL, 0, NULL );
        ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
        memset( &value, 0xcc, sizeof(value) );
        hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value), NULL );
        ok( hr == S_OK, "binary read: got %#lx\n", hr );
        if (hr == S_OK)
        {
            check_reader_eof( reader );
            ok( value.attr_count == 2 && !memcmp( value.attr, L"xy", 4 ), "wrong attr\n" );
            ok( value.lang_count == 2 && !memcmp( value.lang, L"en", 4 ), "wrong lang\n" );
            ok( value.chars_count == 5 && !memcmp( value.chars, L"hello", 10 ), "wrong chars\n" );
            ok( value.utf8_count == 4 && !memcmp( value.utf8, "utf8", 4 ), "wrong utf8\n" );
            ok( value.bytes_count == 3 && !memcmp( value.bytes, bin, 3 ), "wrong bytes\n" );
        }
    }

    /* nil (NULL pointer, zero count) and empty (non-NULL pointer) arrays;
     * an optional array that is nil is not written */
    reset_writer( writer );
    value.attr = (WCHAR *)L"";
    value.attr_count = 0;
    value.lang = NULL;
    value.lang_count = 0;
    value.chars = NULL;
    value.chars_count = 0;
    value.utf8 = NULL;
    value.utf8_count = 0;
    value.bytes = (BYTE *)bin;
    value.bytes_count = 0;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out),
                            "<s a=\"\"><c a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/><b/></s>" );
    if (hr == S_OK)
    {
        ok( out.attr != NULL && !out.attr_count, "attr %p %lu\n", out.attr, out.attr_count );
        ok( !out.lang && !out.lang_count, "lang %p %lu\n", out.lang, out.lang_count );
        ok( !out.chars && !out.chars_count, "chars %p %lu\n", out.chars, out.chars_count );
        ok( !out.utf8 && !out.utf8_count, "utf8 %p %lu\n", out.utf8, out.utf8_count );
        ok( out.bytes != NULL && !out.bytes_count, "bytes %p %lu\n", out.bytes, out.bytes_count );
    }

    /* a text field */
    text.utf8 = (BYTE *)"text";
    text.count = 4;
    reset_writer( writer );
    hr = WsWriteElement( writer, &text_elem_desc, WS_WRITE_REQUIRED_VALUE, &text, sizeof(text), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "write text: got %#lx\n", hr );
    check_output_todo( writer, "<s>text</s>", builtin );
    memset( &text, 0xcc, sizeof(text) );
    set_input( reader, "<s>some text</s>" );
    hr = WsReadElement( reader, &text_elem_desc, WS_READ_REQUIRED_VALUE, heap, &text, sizeof(text), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "read text: got %#lx\n", hr );
    if (hr == S_OK) ok( text.count == 9 && !memcmp( text.utf8, "some text", 9 ), "text %s\n",
                        wine_dbgstr_an( (const char *)text.utf8, text.count ) );

    /* a count with no array */
    text.utf8 = NULL;
    text.count = 2;
    reset_writer( writer );
    hr = WsWriteElement( writer, &text_elem_desc, WS_WRITE_REQUIRED_VALUE, &text, sizeof(text), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "NULL array: got %#lx\n", hr );

    /* the limits of WS_CHAR_ARRAY_DESCRIPTION */
    f_chars.typeDescription = &chars_range;
    set_input( reader, "<s a=\"\"><c>toolong</c><b/></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "read too long: got %#lx\n", hr );
    value.chars = (WCHAR *)L"toolong";
    value.chars_count = 7;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "write too long: got %#lx\n", hr );
    value.chars_count = 5;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "write in range: got %#lx\n", hr );
    f_chars.typeDescription = NULL;

    /* options and mappings WS_TYPE does not allow for the array types */
    f_chars.options = WS_FIELD_POINTER;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "pointer option: got %#lx\n", hr );
    set_input( reader, xml );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == E_INVALIDARG, "pointer option read: got %#lx\n", hr );
    f_chars.options = WS_FIELD_OPTIONAL;
    f_chars.defaultValue = &dflt;
    set_input( reader, xml );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == E_INVALIDARG, "default value: got %#lx\n", hr );
    f_chars.defaultValue = NULL;
    f_chars.options = WS_FIELD_NILLABLE;
    f_utf8.mapping = WS_XML_ATTRIBUTE_FIELD_MAPPING;
    set_input( reader, xml );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == E_INVALIDARG, "utf8 xml attribute: got %#lx\n", hr );
    f_utf8.mapping = WS_REPEATING_ELEMENT_FIELD_MAPPING;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "utf8 repeating: got %#lx\n", hr );
    f_utf8.mapping = WS_ELEMENT_FIELD_MAPPING;

    /* WS_DESCRIPTION_TYPE: only with WS_TYPE_ATTRIBUTE_FIELD_MAPPING */
    f_bytes.type = WS_DESCRIPTION_TYPE;
    set_input( reader, xml );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == E_INVALIDARG, "description element field: got %#lx\n", hr );
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "description element field write: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* Endpoint identities: WS_ENDPOINT_ADDRESS.identity is "the Identity
 * element, an extension of the base WS-Addressing specifications"
 * (WS_ENDPOINT_ADDRESS), of the WS-Addressing identity application note
 * (namespace http://schemas.xmlsoap.org/ws/2006/02/addressingidentity):
 * Dns, Upn and Spn hold the name; RSA keys and certificates are an
 * XML-Signature KeyInfo (KeyValue/RSAKeyValue, X509Data/X509Certificate);
 * an identity not understood is kept in a WS_UNKNOWN_ENDPOINT_IDENTITY
 * ("an XML buffer containing a single XML element which corresponds to the
 * identity element that was not understood").  The identity is written
 * after the extensions, as the extension element it is. */
#define WSA_ADDRESS "<Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/</Address>"
#define WSAI_IDENTITY "<Identity xmlns=\"http://schemas.xmlsoap.org/ws/2006/02/addressingidentity\">"
#define DSIG_KEY_INFO "<KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"

static HRESULT read_address( WS_XML_READER *reader, WS_HEAP *heap, const char *xml, WS_ENDPOINT_ADDRESS *address )
{
    memset( address, 0xcc, sizeof(*address) );
    set_input_element( reader, xml );
    return read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_READ_REQUIRED_VALUE, heap, address,
                              sizeof(*address), NULL );
}

static HRESULT write_address( WS_XML_WRITER *writer, const WS_ENDPOINT_ADDRESS *address )
{
    return write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, address,
                               sizeof(*address) );
}

#define write_back_address(writer, address, expected) write_back_address_( __LINE__, writer, address, expected )
static void write_back_address_( unsigned line, WS_XML_WRITER *writer, const WS_ENDPOINT_ADDRESS *address,
                                 const char *expected )
{
    HRESULT hr = write_address( writer, address );
    ok_(__FILE__, line)( hr == S_OK, "write back: got %#lx\n", hr );
    check_output_( line, writer, expected, FALSE );
}

/* The identity of ADDRESS when it is of TYPE. */
#define check_identity(address, type) check_identity_( __LINE__, address, type )
static WS_ENDPOINT_IDENTITY *check_identity_( unsigned line, const WS_ENDPOINT_ADDRESS *address,
                                              WS_ENDPOINT_IDENTITY_TYPE type )
{
    WS_ENDPOINT_IDENTITY *identity = address->identity;
    ok_(__FILE__, line)( identity && identity->identityType == type, "identity type %d, expected %d\n",
                         identity ? (int)identity->identityType : -1, type );
    return identity && identity->identityType == type ? identity : NULL;
}

/* Reads the endpoint address XML (to its end) and returns its identity when it is of TYPE. */
#define get_identity(reader, heap, xml, type, out) get_identity_( __LINE__, reader, heap, xml, type, out )
static WS_ENDPOINT_IDENTITY *get_identity_( unsigned line, WS_XML_READER *reader, WS_HEAP *heap, const char *xml,
                                            WS_ENDPOINT_IDENTITY_TYPE type, WS_ENDPOINT_ADDRESS *out )
{
    HRESULT hr = read_address( reader, heap, xml, out );
    ok_(__FILE__, line)( hr == S_OK, "read: got %#lx\n", hr );
    if (hr != S_OK) return NULL;
    check_reader_eof_( line, reader, FALSE );
    return check_identity_( line, out, type );
}

#define check_bytes(bytes, expected, len) check_bytes_( __LINE__, bytes, expected, len )
static void check_bytes_( unsigned line, const WS_BYTES *bytes, const BYTE *expected, ULONG len )
{
    ok_(__FILE__, line)( bytes->length == len && !memcmp( bytes->bytes, expected, len ), "got %lu bytes\n",
                         bytes->length );
}

static void test_endpoint_identity(void)
{
    static const BYTE modulus[] = { 1, 2, 3 }, exponent[] = { 1, 0, 1 }, cert[] = { 0x30, 0x82, 0x01 };
    static const char dns_xml[] = "<a>" WSA_ADDRESS WSAI_IDENTITY "<Dns>host.example</Dns></Identity></a>";
    static const char upn_xml[] = "<a>" WSA_ADDRESS WSAI_IDENTITY "<Upn>user@example</Upn></Identity></a>";
    static const char spn_xml[] = "<a>" WSA_ADDRESS WSAI_IDENTITY "<Spn>host/example</Spn></Identity></a>";
    static const char rsa_xml[] = "<a>" WSA_ADDRESS WSAI_IDENTITY DSIG_KEY_INFO "<KeyValue><RSAKeyValue>"
                                  "<Modulus>AQID</Modulus><Exponent>AQAB</Exponent></RSAKeyValue></KeyValue>"
                                  "</KeyInfo></Identity></a>";
    static const char cert_xml[] = "<a>" WSA_ADDRESS WSAI_IDENTITY DSIG_KEY_INFO "<X509Data>"
                                   "<X509Certificate>MIIB</X509Certificate></X509Data></KeyInfo></Identity></a>";
    static const char unknown_xml[] = "<a>" WSA_ADDRESS WSAI_IDENTITY "<Other a=\"1\" xmlns=\"urn:o\">x<y/></Other>"
                                      "</Identity></a>";
    static const char ext_xml[] = "<a>" WSA_ADDRESS "<x>1</x>" WSAI_IDENTITY "<Dns>h</Dns></Identity><y/></a>";
    static const char *const invalid[] =
    {
        "<a>" WSA_ADDRESS WSAI_IDENTITY "</Identity></a>",
        "<a>" WSA_ADDRESS WSAI_IDENTITY "<Dns>a</Dns><Dns>b</Dns></Identity></a>",
        "<a>" WSA_ADDRESS WSAI_IDENTITY DSIG_KEY_INFO "<KeyValue><RSAKeyValue><Modulus>AQID</Modulus>"
        "</RSAKeyValue></KeyValue></KeyInfo></Identity></a>",
        "<a>" WSA_ADDRESS WSAI_IDENTITY DSIG_KEY_INFO "<KeyValue><RSAKeyValue><Modulus>!!</Modulus>"
        "<Exponent>AQAB</Exponent></RSAKeyValue></KeyValue></KeyInfo></Identity></a>",
        "<a>" WSA_ADDRESS WSAI_IDENTITY "<Dns><x/></Dns></Identity></a>",
    };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_DNS_ENDPOINT_IDENTITY dns = { { WS_DNS_ENDPOINT_IDENTITY_TYPE }, { 12, (WCHAR *)L"host.example" } };
    WS_UPN_ENDPOINT_IDENTITY upn = { { WS_UPN_ENDPOINT_IDENTITY_TYPE }, { 12, (WCHAR *)L"user@example" } };
    WS_SPN_ENDPOINT_IDENTITY spn = { { WS_SPN_ENDPOINT_IDENTITY_TYPE }, { 12, (WCHAR *)L"host/example" } };
    WS_RSA_ENDPOINT_IDENTITY rsa = { { WS_RSA_ENDPOINT_IDENTITY_TYPE }, { 3, (BYTE *)modulus },
                                     { 3, (BYTE *)exponent } };
    WS_CERT_ENDPOINT_IDENTITY cert_identity = { { WS_CERT_ENDPOINT_IDENTITY_TYPE }, { 3, (BYTE *)cert } };
    WS_UNKNOWN_ENDPOINT_IDENTITY unknown = { { WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE } };
    WS_ENDPOINT_IDENTITY bad = { 0 };
    const struct
    {
        WS_ENDPOINT_IDENTITY *identity;
        const char *xml;
    }
    kinds[] =
    {
        { &dns.identity, dns_xml }, { &upn.identity, upn_xml }, { &spn.identity, spn_xml },
        { &rsa.identity, rsa_xml }, { &cert_identity.identity, cert_xml }, { &unknown.identity, unknown_xml },
    };
    WS_ENDPOINT_IDENTITY *identity;
    WS_ENDPOINT_ADDRESS address, out;
    WS_BYTES bytes;
    HRESULT hr;
    ULONG i;

    memset( &address, 0, sizeof(address) );
    address.url.chars = (WCHAR *)L"http://host/";
    address.url.length = 12;

    /* writing each kind */
    unknown.element = xml_buffer_from( heap, "<Other a=\"1\" xmlns=\"urn:o\">x<y/></Other>" );
    for (i = 0; i < ARRAY_SIZE(kinds); i++)
    {
        winetest_push_context( "%lu", i );
        address.identity = kinds[i].identity;
        hr = write_address( writer, &address );
        todo_wine_if( builtin ) ok( hr == S_OK, "got %#lx\n", hr );
        winetest_pop_context();
        if (hr != S_OK)
        {
            skip( "no endpoint identities\n" );
            goto done;
        }
        check_output( writer, kinds[i].xml );
    }
    /* after the extensions */
    address.extensions = xml_buffer_from( heap, "<x>1</x>" );
    address.identity = &dns.identity;
    hr = write_address( writer, &address );
    ok( hr == S_OK, "extensions: got %#lx\n", hr );
    check_output( writer, "<a>" WSA_ADDRESS "<x>1</x>" WSAI_IDENTITY "<Dns>host.example</Dns></Identity></a>" );
    address.extensions = NULL;

    /* invalid identities */
    unknown.element = NULL;
    address.identity = &unknown.identity;
    hr = write_address( writer, &address );
    ok( hr == E_INVALIDARG, "unknown without element: got %#lx\n", hr );
    address.identity = &bad;
    hr = write_address( writer, &address );
    ok( hr == E_INVALIDARG, "type 0: got %#lx\n", hr );
    bad.identityType = WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE + 1;
    hr = write_address( writer, &address );
    ok( hr == E_INVALIDARG, "type 7: got %#lx\n", hr );
    dns.dns.chars = NULL;
    address.identity = &dns.identity;
    hr = write_address( writer, &address );
    ok( hr == E_INVALIDARG, "NULL dns: got %#lx\n", hr );
    dns.dns.chars = (WCHAR *)L"host.example";
    rsa.modulus.bytes = NULL;
    address.identity = &rsa.identity;
    hr = write_address( writer, &address );
    ok( hr == E_INVALIDARG, "NULL modulus: got %#lx\n", hr );
    rsa.modulus.bytes = (BYTE *)modulus;

    /* reading each kind, and writing it back */
    if ((identity = get_identity( reader, heap, dns_xml, WS_DNS_ENDPOINT_IDENTITY_TYPE, &out )))
        check_wstr( &((WS_DNS_ENDPOINT_IDENTITY *)identity)->dns, L"host.example" );
    ok( !out.extensions && !out.headers, "extensions %p headers %p\n", out.extensions, out.headers );
    if ((identity = get_identity( reader, heap, upn_xml, WS_UPN_ENDPOINT_IDENTITY_TYPE, &out )))
        check_wstr( &((WS_UPN_ENDPOINT_IDENTITY *)identity)->upn, L"user@example" );
    if ((identity = get_identity( reader, heap, spn_xml, WS_SPN_ENDPOINT_IDENTITY_TYPE, &out )))
        check_wstr( &((WS_SPN_ENDPOINT_IDENTITY *)identity)->spn, L"host/example" );
    if ((identity = get_identity( reader, heap, rsa_xml, WS_RSA_ENDPOINT_IDENTITY_TYPE, &out )))
    {
        check_bytes( &((WS_RSA_ENDPOINT_IDENTITY *)identity)->modulus, modulus, sizeof(modulus) );
        check_bytes( &((WS_RSA_ENDPOINT_IDENTITY *)identity)->exponent, exponent, sizeof(exponent) );
        write_back_address( writer, &out, rsa_xml );
    }
    if ((identity = get_identity( reader, heap, cert_xml, WS_CERT_ENDPOINT_IDENTITY_TYPE, &out )))
    {
        check_bytes( &((WS_CERT_ENDPOINT_IDENTITY *)identity)->rawCertificateData, cert, sizeof(cert) );
        write_back_address( writer, &out, cert_xml );
    }

    /* an RSAKeyValue directly in KeyInfo is read too */
    if ((identity = get_identity( reader, heap, "<a>" WSA_ADDRESS WSAI_IDENTITY DSIG_KEY_INFO "<RSAKeyValue>"
                                  "<Modulus>AQID</Modulus><Exponent>AQAB</Exponent></RSAKeyValue></KeyInfo>"
                                  "</Identity></a>", WS_RSA_ENDPOINT_IDENTITY_TYPE, &out )))
        check_bytes( &((WS_RSA_ENDPOINT_IDENTITY *)identity)->modulus, modulus, sizeof(modulus) );

    /* not understood: the element is kept */
    if ((identity = get_identity( reader, heap, unknown_xml, WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE, &out )))
    {
        WS_XML_BUFFER *element = ((WS_UNKNOWN_ENDPOINT_IDENTITY *)identity)->element;
        ok( element != NULL, "no element\n" );
        if (element) check_buffer( writer, element, "<Other a=\"1\" xmlns=\"urn:o\">x<y/></Other>" );
        write_back_address( writer, &out, unknown_xml );
    }
    if ((identity = get_identity( reader, heap, "<a>" WSA_ADDRESS WSAI_IDENTITY DSIG_KEY_INFO "<KeyName>k</KeyName>"
                                  "</KeyInfo></Identity></a>", WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE, &out )))
        check_buffer( writer, ((WS_UNKNOWN_ENDPOINT_IDENTITY *)identity)->element,
                      DSIG_KEY_INFO "<KeyName>k</KeyName></KeyInfo>" );

    /* among extensions: the identity is taken out of them */
    if (get_identity( reader, heap, ext_xml, WS_DNS_ENDPOINT_IDENTITY_TYPE, &out ))
    {
        ok( out.extensions != NULL, "no extensions\n" );
        /* written back: the extensions, then the identity */
        write_back_address( writer, &out, "<a>" WSA_ADDRESS "<x>1</x><y/>" WSAI_IDENTITY "<Dns>h</Dns></Identity></a>" );
    }

    for (i = 0; i < ARRAY_SIZE(invalid); i++)
    {
        winetest_push_context( "%lu", i );
        hr = read_address( reader, heap, invalid[i], &out );
        ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
        winetest_pop_context();
    }

    /* binary */
    address.identity = &rsa.identity;
    hr = binary_roundtrip( writer, reader, heap, WS_ENDPOINT_ADDRESS_TYPE, NULL, &address, sizeof(address), &out,
                           &bytes, FALSE );
    ok( hr == S_OK, "binary rsa: got %#lx\n", hr );
    if ((identity = check_identity( &out, WS_RSA_ENDPOINT_IDENTITY_TYPE )))
    {
        check_bytes( &((WS_RSA_ENDPOINT_IDENTITY *)identity)->modulus, modulus, sizeof(modulus) );
        check_bytes( &((WS_RSA_ENDPOINT_IDENTITY *)identity)->exponent, exponent, sizeof(exponent) );
    }
    address.identity = &spn.identity;
    hr = binary_roundtrip( writer, reader, heap, WS_ENDPOINT_ADDRESS_TYPE, NULL, &address, sizeof(address), &out,
                           &bytes, FALSE );
    ok( hr == S_OK, "binary spn: got %#lx\n", hr );
    if ((identity = check_identity( &out, WS_SPN_ENDPOINT_IDENTITY_TYPE )))
        check_wstr( &((WS_SPN_ENDPOINT_IDENTITY *)identity)->spn, L"host/example" );

done:
    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WS_ENDPOINT_ADDRESS_DESCRIPTION: "the WS-Addressing version to use when
 * serializing the endpoint address".  WS_ADDRESSING_VERSION_0_9 is the
 * 2004/08 namespace and anonymous URI; its ReferenceProperties element is
 * "the first element within" the extensions buffer (WS_ENDPOINT_ADDRESS)
 * and goes before ReferenceParameters (the 2004/08 schema order).
 * WS_ADDRESSING_VERSION_TRANSPORT has no endpoint reference form. */
#define WSA09_NS "http://schemas.xmlsoap.org/ws/2004/08/addressing"
static void test_endpoint_address_versions(void)
{
    static const char anon09_xml[] = "<a><Address xmlns=\"" WSA09_NS "\">" WSA09_NS "/role/anonymous</Address></a>";
    static const char full09_xml[] = "<a><Address xmlns=\"" WSA09_NS "\">http://host/</Address>"
                                     "<ReferenceProperties xmlns=\"" WSA09_NS "\"><p>1</p></ReferenceProperties>"
                                     "<ReferenceParameters xmlns=\"" WSA09_NS "\"><h xmlns=\"urn:h\">2</h></ReferenceParameters>"
                                     "<x>3</x>" WSAI_IDENTITY "<Dns>h</Dns></Identity></a>";
    WS_ENDPOINT_ADDRESS_DESCRIPTION desc09 = { WS_ADDRESSING_VERSION_0_9 }, desc10 = { WS_ADDRESSING_VERSION_1_0 };
    WS_ENDPOINT_ADDRESS_DESCRIPTION bad = { WS_ADDRESSING_VERSION_TRANSPORT };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_ENDPOINT_ADDRESS address, out;
    HRESULT hr;

    /* the anonymous address in both versions */
    memset( &address, 0, sizeof(address) );
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, &desc09, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == S_OK, "0.9 anonymous: got %#lx\n", hr );
    check_output_todo( writer, anon09_xml, builtin );
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, &desc10, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == S_OK, "1.0 anonymous: got %#lx\n", hr );
    check_output_todo( writer, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">"
                       "http://www.w3.org/2005/08/addressing/anonymous</Address></a>", builtin );
    memset( &out, 0xcc, sizeof(out) );
    set_input_element( reader, anon09_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, &desc09, WS_READ_REQUIRED_VALUE, heap, &out,
                            sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "0.9 anonymous read: got %#lx\n", hr );
    if (hr == S_OK) ok( !out.url.length && !out.headers && !out.extensions && !out.identity, "not anonymous\n" );

    /* a 1.0 address is not a 0.9 one */
    set_input_element( reader, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">u</Address></a>" );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, &desc09, WS_READ_REQUIRED_VALUE, heap, &out,
                            sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == WS_E_INVALID_FORMAT, "1.0 read as 0.9: got %#lx\n", hr );

    /* ReferenceProperties, ReferenceParameters, an extension and an identity */
    memset( &out, 0xcc, sizeof(out) );
    set_input_element( reader, full09_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, &desc09, WS_READ_REQUIRED_VALUE, heap, &out,
                            sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == S_OK, "0.9 read: got %#lx\n", hr );
    if (hr == S_OK)
    {
        check_reader_eof( reader );
        check_wstr( &out.url, L"http://host/" );
        ok( out.headers != NULL, "no headers\n" );
        if (out.headers) check_buffer( writer, out.headers, "<h xmlns=\"urn:h\">2</h>" );
        ok( out.extensions != NULL, "no extensions\n" );
        check_identity( &out, WS_DNS_ENDPOINT_IDENTITY_TYPE );
        /* written back in the same order */
        hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, &desc09, WS_WRITE_REQUIRED_VALUE, &out,
                                 sizeof(out) );
        ok( hr == S_OK, "0.9 write back: got %#lx\n", hr );
        check_output( writer, full09_xml );
        /* as 1.0, the extensions are written as they are */
        out.identity = NULL;
        hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, &desc10, WS_WRITE_REQUIRED_VALUE, &out,
                                 sizeof(out) );
        ok( hr == S_OK, "1.0 write: got %#lx\n", hr );
        check_output( writer, "<a><Address xmlns=\"http://www.w3.org/2005/08/addressing\">http://host/</Address>"
                      "<ReferenceParameters xmlns=\"http://www.w3.org/2005/08/addressing\"><h xmlns=\"urn:h\">2</h>"
                      "</ReferenceParameters><ReferenceProperties xmlns=\"" WSA09_NS "\"><p>1</p>"
                      "</ReferenceProperties><x>3</x></a>" );
    }

    /* no endpoint reference form for the transport version, nor for an invalid one */
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, &bad, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "transport: got %#lx\n", hr );
    set_input_element( reader, anon09_xml );
    hr = read_element_type( reader, WS_ENDPOINT_ADDRESS_TYPE, &bad, WS_READ_REQUIRED_VALUE, heap, &out,
                            sizeof(out), NULL );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "transport read: got %#lx\n", hr );
    bad.addressingVersion = 0;
    hr = write_element_type( writer, WS_ENDPOINT_ADDRESS_TYPE, &bad, WS_WRITE_REQUIRED_VALUE, &address,
                             sizeof(address) );
    todo_wine_if( builtin ) ok( hr == E_INVALIDARG, "version 0: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* ---------------------------------------------------------------------- */
/* WS_CUSTOM_TYPE: the description's callbacks read, write and compare the
 * value (WS_CUSTOM_TYPE_DESCRIPTION, WS_READ_TYPE_CALLBACK,
 * WS_WRITE_TYPE_CALLBACK, WS_IS_DEFAULT_VALUE_CALLBACK).  The custom type
 * here is a point written as the text "X,Y". */

struct point
{
    int x, y;
};

/* What the callbacks were given, and what they are told to return. */
static struct
{
    ULONG read_calls, write_calls, default_calls;
    WS_TYPE_MAPPING mapping;
    const void *data;
    WS_HEAP *heap;
    ULONG size;
    BOOL has_default;
    struct point default_value;
    HRESULT fail;              /* returned instead of reading/writing when not S_OK */
} custom;

static int custom_data;        /* descriptionData points here */

static HRESULT CALLBACK read_point( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const void *data, WS_HEAP *heap,
                                    void *value, ULONG size, WS_ERROR *error )
{
    struct point *pt = value;
    char buf[32];
    ULONG count = 0;
    HRESULT hr;

    custom.read_calls++;
    custom.mapping = mapping;
    custom.data = data;
    custom.heap = heap;
    custom.size = size;
    if (custom.fail != S_OK) return custom.fail;
    if (mapping != WS_ELEMENT_TYPE_MAPPING && mapping != WS_ELEMENT_CONTENT_TYPE_MAPPING &&
        mapping != WS_ATTRIBUTE_TYPE_MAPPING)
        return WS_E_INVALID_OPERATION;   /* "if a mapping does not make sense for this particular type" */
    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = WsReadCharsUtf8( reader, (BYTE *)buf, sizeof(buf) - 1, &count, error )) != S_OK) return hr;
    buf[count] = 0;
    if (sscanf( buf, "%d,%d", &pt->x, &pt->y ) != 2) return WS_E_INVALID_FORMAT;
    if (mapping == WS_ELEMENT_TYPE_MAPPING) return WsReadEndElement( reader, error );
    return S_OK;
}

static HRESULT CALLBACK write_point( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const void *data,
                                     const void *value, ULONG size, WS_ERROR *error )
{
    const struct point *pt = value;
    char buf[32];
    int len;

    custom.write_calls++;
    custom.mapping = mapping;
    custom.data = data;
    custom.size = size;
    if (custom.fail != S_OK) return custom.fail;
    len = sprintf( buf, "%d,%d", pt->x, pt->y );
    return WsWriteCharsUtf8( writer, (const BYTE *)buf, len, error );
}

static HRESULT CALLBACK point_is_default( const void *data, const void *value, const void *default_value, ULONG size,
                                          BOOL *is_default, WS_ERROR *error )
{
    static const struct point zero;
    const struct point *pt = value, *def = default_value ? default_value : &zero;

    (void)error;
    custom.default_calls++;
    custom.data = data;
    custom.size = size;
    custom.has_default = default_value != NULL;
    if (default_value) custom.default_value = *def;
    if (custom.fail != S_OK) return custom.fail;
    *is_default = pt->x == def->x && pt->y == def->y;
    return S_OK;
}

static const WS_CUSTOM_TYPE_DESCRIPTION point_desc =
{
    sizeof(struct point), TYPE_ALIGNMENT(struct point), read_point, write_point, &custom_data, point_is_default
};

static void reset_custom(void)
{
    memset( &custom, 0, sizeof(custom) );
    custom.mapping = -1;
}

static void test_custom_type_mappings(void)
{
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct point pt = { 3, -4 }, out;
    HRESULT hr;

    /* WS_ELEMENT_TYPE_MAPPING: the writer is in the element's start, the caller writes its end */
    reset_custom();
    hr = write_element_type( writer, WS_CUSTOM_TYPE, &point_desc, WS_WRITE_REQUIRED_VALUE, &pt, sizeof(pt) );
    ok( hr == S_OK, "WsWriteType: got %#lx\n", hr );
    check_output( writer, "<a>3,-4</a>" );
    ok( custom.write_calls == 1, "write callback called %lu times\n", custom.write_calls );
    ok( custom.mapping == WS_ELEMENT_TYPE_MAPPING, "mapping %d\n", custom.mapping );
    ok( custom.data == &custom_data, "descriptionData %p, expected %p\n", custom.data, &custom_data );
    ok( custom.size == sizeof(struct point), "valueSize %lu\n", custom.size );
    ok( !custom.read_calls && !custom.default_calls, "other callbacks called\n" );

    /* WS_ELEMENT_CONTENT_TYPE_MAPPING */
    reset_custom();
    reset_writer( writer );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteType( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_WRITE_REQUIRED_VALUE,
                      &pt, sizeof(pt), NULL );
    ok( hr == S_OK, "WsWriteType: got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a>3,-4</a>" );
    ok( custom.mapping == WS_ELEMENT_CONTENT_TYPE_MAPPING, "mapping %d\n", custom.mapping );

    /* WS_ATTRIBUTE_TYPE_MAPPING */
    reset_custom();
    reset_writer( writer );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteType( writer, WS_ATTRIBUTE_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_WRITE_REQUIRED_VALUE,
                      &pt, sizeof(pt), NULL );
    ok( hr == S_OK, "WsWriteType: got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a b=\"3,-4\"/>" );
    ok( custom.mapping == WS_ATTRIBUTE_TYPE_MAPPING, "mapping %d\n", custom.mapping );

    /* a pointer to the value (WS_WRITE_REQUIRED_POINTER) reaches the callback as the value */
    reset_custom();
    {
        struct point *ptr = &pt;
        hr = write_element_type( writer, WS_CUSTOM_TYPE, &point_desc, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
        ok( hr == S_OK, "WsWriteType pointer: got %#lx\n", hr );
        check_output( writer, "<a>3,-4</a>" );
        ok( custom.size == sizeof(struct point), "valueSize %lu\n", custom.size );
    }

    /* reading: the callback reads what WsReadType would for the mapping */
    reset_custom();
    set_input_element( reader, "<a>5,6</a>" );
    memset( &out, 0xcc, sizeof(out) );
    hr = WsReadType( reader, WS_ELEMENT_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_READ_REQUIRED_VALUE, heap,
                     &out, sizeof(out), NULL );
    ok( hr == S_OK, "WsReadType: got %#lx\n", hr );
    ok( out.x == 5 && out.y == 6, "got %d,%d\n", out.x, out.y );
    ok( custom.read_calls == 1, "read callback called %lu times\n", custom.read_calls );
    ok( custom.mapping == WS_ELEMENT_TYPE_MAPPING, "mapping %d\n", custom.mapping );
    ok( custom.data == &custom_data, "descriptionData %p\n", custom.data );
    ok( custom.heap == heap, "heap %p, expected %p\n", custom.heap, heap );
    ok( custom.size == sizeof(struct point), "valueSize %lu\n", custom.size );
    check_reader_eof( reader );

    reset_custom();
    set_input_element( reader, "<a>7,8</a>" );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadType( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_READ_REQUIRED_VALUE,
                     NULL, &out, sizeof(out), NULL );
    ok( hr == S_OK, "WsReadType content: got %#lx\n", hr );
    ok( out.x == 7 && out.y == 8, "got %d,%d\n", out.x, out.y );
    ok( custom.mapping == WS_ELEMENT_CONTENT_TYPE_MAPPING, "mapping %d\n", custom.mapping );
    ok( !custom.heap, "heap %p: \"may be NULL, if the caller did not specify a WS_HEAP\"\n", custom.heap );

    reset_custom();
    set_input_element( reader, "<a b=\"-9,10\"/>" );
    hr = WsReadStartAttribute( reader, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadType( reader, WS_ATTRIBUTE_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_READ_REQUIRED_VALUE,
                     heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "WsReadType attribute: got %#lx\n", hr );
    ok( out.x == -9 && out.y == 10, "got %d,%d\n", out.x, out.y );
    ok( custom.mapping == WS_ATTRIBUTE_TYPE_MAPPING, "mapping %d\n", custom.mapping );

    /* a mapping the callback refuses: its WS_E_INVALID_OPERATION comes back */
    reset_custom();
    set_input_element( reader, "<a>1,2</a>" );
    hr = WsReadType( reader, WS_ANY_ELEMENT_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_READ_REQUIRED_VALUE,
                     heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_OPERATION, "WsReadType any element: got %#lx\n", hr );
    ok( custom.mapping == WS_ANY_ELEMENT_TYPE_MAPPING, "mapping %d\n", custom.mapping );

    /* the element helpers: WsWriteElement/WsReadElement and WsWriteAttribute/WsReadAttribute */
    {
        WS_ELEMENT_DESCRIPTION elem_desc = { &str_a, &str_ns, WS_CUSTOM_TYPE, (void *)&point_desc };
        WS_ATTRIBUTE_DESCRIPTION attr_desc = { &str_b, &str_empty, WS_CUSTOM_TYPE, (void *)&point_desc };

        reset_custom();
        hr = element_roundtrip( writer, reader, heap, &elem_desc, &pt, &out, sizeof(out), "<a xmlns=\"ns\">3,-4</a>" );
        ok( hr == S_OK && out.x == 3 && out.y == -4, "got %#lx %d,%d\n", hr, out.x, out.y );
        ok( custom.write_calls == 1 && custom.read_calls == 1, "calls %lu %lu\n", custom.write_calls,
            custom.read_calls );

        reset_writer( writer );
        hr = WsWriteStartElement( writer, NULL, &str_c, &str_empty, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsWriteAttribute( writer, &attr_desc, WS_WRITE_REQUIRED_VALUE, &pt, sizeof(pt), NULL );
        ok( hr == S_OK, "WsWriteAttribute: got %#lx\n", hr );
        hr = WsWriteEndElement( writer, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        check_output( writer, "<c b=\"3,-4\"/>" );
        set_input_element( reader, "<c b=\"11,12\"/>" );
        memset( &out, 0, sizeof(out) );
        hr = WsReadAttribute( reader, &attr_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
        ok( hr == S_OK, "WsReadAttribute: got %#lx\n", hr );
        ok( out.x == 11 && out.y == 12, "got %d,%d\n", out.x, out.y );
    }

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* A struct with custom fields: an attribute, an element, and an optional
 * element compared with isDefaultValueCallback. */
struct custom_struct
{
    struct point attr;
    struct point elem;
    struct point opt;
};

static void test_custom_type_fields(void)
{
    static const struct point default_point = { 7, 8 };
    WS_DEFAULT_VALUE default_value = { (void *)&default_point, sizeof(default_point) };
    WS_FIELD_DESCRIPTION attr_field = { WS_ATTRIBUTE_FIELD_MAPPING, &str_b, &str_empty, WS_CUSTOM_TYPE,
                                        (void *)&point_desc, offsetof(struct custom_struct, attr) };
    WS_FIELD_DESCRIPTION elem_field = { WS_ELEMENT_FIELD_MAPPING, &str_c, &str_empty, WS_CUSTOM_TYPE,
                                        (void *)&point_desc, offsetof(struct custom_struct, elem) };
    WS_FIELD_DESCRIPTION opt_field = { WS_ELEMENT_FIELD_MAPPING, &str_d, &str_empty, WS_CUSTOM_TYPE,
                                       (void *)&point_desc, offsetof(struct custom_struct, opt), WS_FIELD_OPTIONAL };
    WS_FIELD_DESCRIPTION *fields[] = { &attr_field, &elem_field, &opt_field };
    WS_STRUCT_DESCRIPTION struct_desc = { sizeof(struct custom_struct), TYPE_ALIGNMENT(struct custom_struct),
                                          fields, ARRAY_SIZE(fields) };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &struct_desc };
    struct custom_struct value = { { 1, 2 }, { 3, 4 }, { 0, 0 } }, out;
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    /* the optional field holds zeros: isDefaultValueCallback is asked with no default value, and it is left out */
    reset_custom();
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s b=\"1,2\"><c>3,4</c></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( custom.default_calls == 1, "isDefaultValueCallback called %lu times\n", custom.default_calls );
    ok( !custom.has_default, "a default value was given\n" );
    ok( custom.data == &custom_data, "descriptionData %p\n", custom.data );
    ok( custom.size == sizeof(struct point), "valueSize %lu\n", custom.size );
    ok( out.attr.x == 1 && out.attr.y == 2 && out.elem.x == 3 && out.elem.y == 4 && !out.opt.x && !out.opt.y,
        "got %d,%d %d,%d %d,%d\n", out.attr.x, out.attr.y, out.elem.x, out.elem.y, out.opt.x, out.opt.y );
    ok( custom.read_calls == 2, "read callback called %lu times\n", custom.read_calls );

    /* not the default: written */
    reset_custom();
    value.opt.x = 5;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out),
                            "<s b=\"1,2\"><c>3,4</c><d>5,0</d></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.opt.x == 5 && !out.opt.y, "got %d,%d\n", out.opt.x, out.opt.y );
    ok( custom.write_calls == 3, "write callback called %lu times\n", custom.write_calls );

    /* with a WS_DEFAULT_VALUE the callback compares with it; a missing element reads as the default */
    opt_field.defaultValue = &default_value;
    reset_custom();
    value.opt = default_point;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s b=\"1,2\"><c>3,4</c></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( custom.has_default && custom.default_value.x == 7 && custom.default_value.y == 8,
        "default value given %d: %d,%d\n", custom.has_default, custom.default_value.x, custom.default_value.y );
    ok( out.opt.x == 7 && out.opt.y == 8, "got %d,%d\n", out.opt.x, out.opt.y );
    value.opt.x = 0;
    value.opt.y = 0;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out),
                            "<s b=\"1,2\"><c>3,4</c><d>0,0</d></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* a required field is always written: no isDefaultValueCallback */
    reset_custom();
    opt_field.options = 0;
    opt_field.defaultValue = NULL;
    value.opt = default_point;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<s b=\"1,2\"><c>3,4</c><d>7,8</d></s>" );
    ok( !custom.default_calls, "isDefaultValueCallback called %lu times\n", custom.default_calls );

    /* a failing callback's HRESULT is the function's */
    opt_field.options = WS_FIELD_OPTIONAL;
    reset_custom();
    custom.fail = E_ACCESSDENIED;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == E_ACCESSDENIED, "write: got %#lx\n", hr );
    reset_custom();
    custom.fail = WS_E_QUOTA_EXCEEDED;
    set_input( reader, "<s b=\"1,2\"><c>3,4</c></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "read: got %#lx\n", hr );
    ok( custom.read_calls == 1, "read callback called %lu times\n", custom.read_calls );
    reset_custom();

    /* a value the callback cannot parse */
    set_input( reader, "<s b=\"1;2\"><c>3,4</c></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "read: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* The description's size and alignment: a value of another size, an
 * alignment that is not a power of two between 1 and 8. */
static void test_custom_type_invalid(void)
{
    WS_CUSTOM_TYPE_DESCRIPTION desc = point_desc;
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    struct point pt = { 1, 2 };
    BYTE big[sizeof(struct point) + 4];
    static const ULONG bad_alignments[] = { 0, 3, 16 };
    HRESULT hr;
    ULONG i;

    reset_custom();
    hr = write_element_type( writer, WS_CUSTOM_TYPE, &point_desc, WS_WRITE_REQUIRED_VALUE, &pt, sizeof(pt) - 1 );
    ok( hr == E_INVALIDARG, "smaller value: got %#lx\n", hr );
    hr = write_element_type( writer, WS_CUSTOM_TYPE, &point_desc, WS_WRITE_REQUIRED_VALUE, big, sizeof(big) );
    ok( hr == E_INVALIDARG, "larger value: got %#lx\n", hr );
    hr = write_element_type( writer, WS_CUSTOM_TYPE, NULL, WS_WRITE_REQUIRED_VALUE, &pt, sizeof(pt) );
    ok( hr == E_INVALIDARG, "no description: got %#lx\n", hr );
    ok( !custom.write_calls, "write callback called %lu times\n", custom.write_calls );

    set_input_element( reader, "<a>1,2</a>" );
    hr = WsReadType( reader, WS_ELEMENT_TYPE_MAPPING, WS_CUSTOM_TYPE, &point_desc, WS_READ_REQUIRED_VALUE, heap,
                     big, sizeof(big), NULL );
    ok( hr == E_INVALIDARG, "larger buffer: got %#lx\n", hr );
    ok( !custom.read_calls, "read callback called %lu times\n", custom.read_calls );

    for (i = 0; i < ARRAY_SIZE(bad_alignments); i++)
    {
        desc.alignment = bad_alignments[i];
        hr = write_element_type( writer, WS_CUSTOM_TYPE, &desc, WS_WRITE_REQUIRED_VALUE, &pt, sizeof(pt) );
        ok( hr == E_INVALIDARG, "alignment %lu: got %#lx\n", desc.alignment, hr );
    }
    ok( !custom.write_calls, "write callback called %lu times\n", custom.write_calls );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_custom_type(void)
{
    if (builtin)
    {
        /* Wine's builtin returns E_NOTIMPL for WS_CUSTOM_TYPE (and never calls the callbacks) */
        skip( "WS_CUSTOM_TYPE\n" );
        return;
    }
    test_custom_type_mappings();
    test_custom_type_fields();
    test_custom_type_invalid();
}

/* ---------------------------------------------------------------------- */
/* WS_VOID_TYPE fields: "used to discard the XML content when
 * deserializing, or ignore the field when serializing" with the element,
 * attribute, any-element, repeating any-element, any-content and
 * any-attributes mappings; with WS_NO_FIELD_MAPPING the field (of the
 * WS_VOID_DESCRIPTION's size) is set to zeros, or NULL for a pointer. */

struct void_struct
{
    int a;
    int b;
};

static void test_void_fields(void)
{
    WS_FIELD_DESCRIPTION a_field = { WS_ELEMENT_FIELD_MAPPING, &str_a, &str_empty, WS_INT32_TYPE, NULL,
                                     offsetof(struct void_struct, a) };
    WS_FIELD_DESCRIPTION b_field = { WS_ELEMENT_FIELD_MAPPING, &str_b, &str_empty, WS_INT32_TYPE, NULL,
                                     offsetof(struct void_struct, b) };
    WS_FIELD_DESCRIPTION void_elem = { WS_ELEMENT_FIELD_MAPPING, &str_item, &str_empty, WS_VOID_TYPE };
    WS_FIELD_DESCRIPTION void_attr = { WS_ATTRIBUTE_FIELD_MAPPING, &str_c, &str_empty, WS_VOID_TYPE };
    WS_FIELD_DESCRIPTION void_any = { WS_ANY_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE };
    WS_FIELD_DESCRIPTION void_repeat_any = { WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE };
    WS_FIELD_DESCRIPTION void_content = { WS_ANY_CONTENT_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE };
    WS_FIELD_DESCRIPTION void_any_attrs = { WS_ANY_ATTRIBUTES_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE };
    WS_FIELD_DESCRIPTION void_repeat = { WS_REPEATING_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE, NULL, 0, 0,
                                         NULL, 0, &str_item, &str_empty };
    WS_FIELD_DESCRIPTION *fields[4];
    WS_STRUCT_DESCRIPTION struct_desc = { sizeof(struct void_struct), TYPE_ALIGNMENT(struct void_struct), fields };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &struct_desc };
    struct void_struct value = { 1, 2 }, out;
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    if (builtin)
    {
        /* Wine's builtin has no WS_VOID_TYPE fields: E_NOTIMPL writing, E_INVALIDARG reading */
        skip( "WS_VOID_TYPE fields\n" );
        WsFreeWriter( writer );
        WsFreeReader( reader );
        WsFreeHeap( heap );
        return;
    }

    /* element and attribute: discarded on read, nothing written */
    fields[0] = &void_attr;
    fields[1] = &a_field;
    fields[2] = &void_elem;
    fields[3] = &b_field;
    struct_desc.fieldCount = 4;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == S_OK, "write: got %#lx\n", hr );
    check_output( writer, "<s><a>1</a><b>2</b></s>" );
    set_input( reader, "<s c=\"x\"><a>1</a><b>2</b></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "the required element is missing: got %#lx\n", hr );
    set_input( reader, "<s c=\"x\"><a>1</a><item k=\"v\"><deep>z<e/></deep>tail</item><b>2</b></s>" );
    memset( &out, 0xcc, sizeof(out) );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "read: got %#lx\n", hr );
    ok( out.a == 1 && out.b == 2, "got %d %d\n", out.a, out.b );
    check_reader_eof( reader );
    void_elem.options = void_attr.options = WS_FIELD_OPTIONAL;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s><a>1</a><b>2</b></s>" );
    ok( hr == S_OK, "optional: got %#lx\n", hr );
    ok( out.a == 1 && out.b == 2, "got %d %d\n", out.a, out.b );

    /* a required attribute that is missing */
    void_attr.options = 0;
    set_input( reader, "<s><a>1</a><b>2</b></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "missing attribute: got %#lx\n", hr );

    /* any element, then every remaining element */
    fields[0] = &a_field;
    fields[1] = &void_any;
    fields[2] = &void_repeat_any;
    struct_desc.fieldCount = 3;
    set_input( reader, "<s><a>1</a><q xmlns=\"urn:q\"/><r>t<x/></r><u/></s>" );
    memset( &out, 0xcc, sizeof(out) );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "read: got %#lx\n", hr );
    ok( out.a == 1, "got %d\n", out.a );
    check_reader_eof( reader );
    set_input( reader, "<s><a>1</a></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "no element for the required any-element field: got %#lx\n", hr );
    void_any.options = WS_FIELD_OPTIONAL;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s><a>1</a></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* any content: text, comments and elements */
    fields[1] = &void_content;
    struct_desc.fieldCount = 2;
    set_input( reader, "<s><a>1</a>text<!--c--><z>y</z>tail</s>" );
    memset( &out, 0xcc, sizeof(out) );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "read: got %#lx\n", hr );
    ok( out.a == 1, "got %d\n", out.a );
    check_reader_eof( reader );
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s><a>1</a></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* any attributes: the unmapped attributes are accepted and dropped */
    fields[0] = &a_field;
    struct_desc.fieldCount = 1;
    set_input( reader, "<s k=\"v\" m:n=\"w\" xmlns:m=\"urn:m\"><a>1</a></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == WS_E_INVALID_FORMAT, "without the field: got %#lx\n", hr );
    fields[1] = &void_any_attrs;
    struct_desc.fieldCount = 2;
    set_input( reader, "<s k=\"v\" m:n=\"w\" xmlns:m=\"urn:m\"><a>1</a></s>" );
    memset( &out, 0xcc, sizeof(out) );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == S_OK, "read: got %#lx\n", hr );
    ok( out.a == 1, "got %d\n", out.a );
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s><a>1</a></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* WS_REPEATING_ELEMENT_FIELD_MAPPING is not one of WS_VOID_TYPE's mappings */
    fields[1] = &void_repeat;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "write: got %#lx\n", hr );
    set_input( reader, "<s><a>1</a><item/></s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out), NULL );
    ok( hr == E_INVALIDARG, "read: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WS_NO_FIELD_MAPPING: a field of arbitrary type set to zeros (its size from
 * the WS_VOID_DESCRIPTION) or to NULL (WS_FIELD_POINTER) on read; never written. */
struct void_no_field_struct
{
    int a;
    BYTE opaque[12];
    void *ptr;
};

static void test_void_no_field(void)
{
    WS_VOID_DESCRIPTION void_desc = { sizeof(((struct void_no_field_struct *)0)->opaque) };
    WS_FIELD_DESCRIPTION a_field = { WS_ELEMENT_FIELD_MAPPING, &str_a, &str_empty, WS_INT32_TYPE, NULL,
                                     offsetof(struct void_no_field_struct, a) };
    WS_FIELD_DESCRIPTION opaque_field = { WS_NO_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE, &void_desc,
                                          offsetof(struct void_no_field_struct, opaque) };
    WS_FIELD_DESCRIPTION ptr_field = { WS_NO_FIELD_MAPPING, NULL, NULL, WS_VOID_TYPE, NULL,
                                       offsetof(struct void_no_field_struct, ptr), WS_FIELD_POINTER };
    WS_FIELD_DESCRIPTION *fields[] = { &a_field, &opaque_field, &ptr_field };
    WS_STRUCT_DESCRIPTION struct_desc = { sizeof(struct void_no_field_struct),
                                          TYPE_ALIGNMENT(struct void_no_field_struct), fields, ARRAY_SIZE(fields) };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &struct_desc };
    struct void_no_field_struct value, out;
    static const BYTE zeros[12];
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    if (builtin)
    {
        /* as in test_void_fields */
        skip( "WS_VOID_TYPE fields\n" );
        WsFreeWriter( writer );
        WsFreeReader( reader );
        WsFreeHeap( heap );
        return;
    }
    memset( &value, 0x55, sizeof(value) );
    value.a = 3;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &out, sizeof(out), "<s><a>3</a></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.a == 3, "got %d\n", out.a );
    ok( !memcmp( out.opaque, zeros, sizeof(zeros) ), "the field is not zeroed\n" );
    ok( !out.ptr, "pointer %p\n", out.ptr );

    /* without a WS_FIELD_POINTER, the size comes from the WS_VOID_DESCRIPTION */
    opaque_field.typeDescription = NULL;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "no WS_VOID_DESCRIPTION: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

/* WS_XML_BUFFER_TYPE as an element (at the top level, element and
 * repeating element fields): "the WS_XML_BUFFER should contain a single
 * element which represents the attribute and element content.  The local
 * name and namespace of the element in the buffer is ignored; it is
 * replaced with actual element name and namespace when the buffer is
 * written ... When the value is deserialized, the element name and
 * namespace will correspond to the element that was read" (WS_TYPE). */
static WS_XML_BUFFER *buffer_from_text( WS_XML_READER *reader, WS_HEAP *heap, const char *xml )
{
    WS_XML_BUFFER *buffer = NULL;
    HRESULT hr;

    set_input_element( reader, xml );
    hr = WsReadXmlBuffer( reader, heap, &buffer, NULL );
    ok( hr == S_OK, "WsReadXmlBuffer: got %#lx\n", hr );
    return buffer;
}

struct buffer_struct
{
    WS_XML_BUFFER *one;
    WS_XML_BUFFER **items;
    ULONG count;
};

static void test_xml_buffer_elements(void)
{
    WS_FIELD_DESCRIPTION one_field = { WS_ELEMENT_FIELD_MAPPING, &str_a, &str_empty, WS_XML_BUFFER_TYPE, NULL,
                                       offsetof(struct buffer_struct, one) };
    WS_FIELD_DESCRIPTION items_field = { WS_REPEATING_ELEMENT_FIELD_MAPPING, NULL, NULL, WS_XML_BUFFER_TYPE, NULL,
                                         offsetof(struct buffer_struct, items), 0, NULL,
                                         offsetof(struct buffer_struct, count), &str_item, &str_ns };
    WS_FIELD_DESCRIPTION *fields[] = { &one_field, &items_field };
    WS_STRUCT_DESCRIPTION struct_desc = { sizeof(struct buffer_struct), TYPE_ALIGNMENT(struct buffer_struct),
                                          fields, ARRAY_SIZE(fields) };
    WS_ELEMENT_DESCRIPTION elem_desc = { &str_s, &str_empty, WS_STRUCT_TYPE, &struct_desc };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader();
    WS_HEAP *heap = create_heap();
    WS_XML_BUFFER *buffer, *items[2], *out = NULL;
    struct buffer_struct value, read;
    HRESULT hr;

    if (builtin)
    {
        /* Wine's builtin returns E_NOTIMPL for XML buffers with these mappings */
        skip( "XML buffers as elements\n" );
        WsFreeWriter( writer );
        WsFreeReader( reader );
        WsFreeHeap( heap );
        return;
    }

    /* the top level: the buffer's element is renamed <a>, its own prefix's declaration goes */
    buffer = buffer_from_text( reader, heap,
                               "<p:x xmlns:p=\"urn:in\" xmlns:q=\"urn:q\" k=\"v\" q:m=\"n\">text<q:c>1</q:c><d/></p:x>" );
    hr = write_element_type( writer, WS_XML_BUFFER_TYPE, NULL, WS_WRITE_REQUIRED_POINTER, &buffer, sizeof(buffer) );
    ok( hr == S_OK, "WsWriteType: got %#lx\n", hr );
    check_output( writer, "<a xmlns:q=\"urn:q\" k=\"v\" q:m=\"n\">text<q:c>1</q:c><d/></a>" );
    hr = write_named_element_type( writer, &str_s, &str_b, &str_ns, WS_XML_BUFFER_TYPE, NULL,
                                   WS_WRITE_REQUIRED_POINTER, &buffer, sizeof(buffer) );
    ok( hr == S_OK, "WsWriteType: got %#lx\n", hr );
    /* (the declaration of the element's own prefix comes after the other attributes) */
    check_output( writer, "<s:b xmlns:q=\"urn:q\" k=\"v\" q:m=\"n\" xmlns:s=\"ns\">text<q:c>1</q:c><d/></s:b>" );
    /* nil and NULL */
    buffer = NULL;
    hr = write_element_type( writer, WS_XML_BUFFER_TYPE, NULL, WS_WRITE_NILLABLE_POINTER, &buffer, sizeof(buffer) );
    ok( hr == S_OK, "WsWriteType nil: got %#lx\n", hr );
    check_output( writer, "<a a:nil=\"true\" xmlns:a=\"" XSI_NS "\"/>" );
    hr = write_element_type( writer, WS_XML_BUFFER_TYPE, NULL, WS_WRITE_REQUIRED_POINTER, &buffer, sizeof(buffer) );
    ok( hr == E_INVALIDARG, "WsWriteType NULL: got %#lx\n", hr );

    /* reading: the buffer holds the element read, with its own name */
    set_input_element( reader, "<a k=\"v\">text<c/></a>" );
    hr = WsReadType( reader, WS_ELEMENT_TYPE_MAPPING, WS_XML_BUFFER_TYPE, NULL, WS_READ_REQUIRED_POINTER, heap, &out,
                     sizeof(out), NULL );
    ok( hr == S_OK, "WsReadType: got %#lx\n", hr );
    check_reader_eof( reader );
    if (out) check_buffer( writer, out, "<a k=\"v\">text<c/></a>" );

    /* the other type mappings are not XML buffers' */
    reset_writer( writer );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    buffer = out;
    hr = WsWriteType( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, WS_XML_BUFFER_TYPE, NULL, WS_WRITE_REQUIRED_POINTER,
                      &buffer, sizeof(buffer), NULL );
    ok( hr == E_INVALIDARG, "content mapping: got %#lx\n", hr );

    /* element and repeating element fields */
    items[0] = buffer_from_text( reader, heap, "<x>1</x>" );
    items[1] = buffer_from_text( reader, heap, "<y z=\"2\"><w/></y>" );
    value.one = buffer_from_text( reader, heap, "<one>first</one>" );
    value.items = items;
    value.count = 2;
    hr = element_roundtrip( writer, reader, heap, &elem_desc, &value, &read, sizeof(read),
                            "<s><a>first</a><item xmlns=\"ns\">1</item><item z=\"2\" xmlns=\"ns\"><w xmlns=\"\"/></item></s>" );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( read.count == 2, "got %lu items\n", read.count );
        check_buffer( writer, read.one, "<a>first</a>" );
        if (read.count == 2)
        {
            check_buffer( writer, read.items[0], "<item xmlns=\"ns\">1</item>" );
            check_buffer( writer, read.items[1], "<item z=\"2\" xmlns=\"ns\"><w xmlns=\"\"/></item>" );
        }
    }

    /* not an attribute or text */
    one_field.mapping = WS_ATTRIBUTE_FIELD_MAPPING;
    reset_writer( writer );
    hr = WsWriteElement( writer, &elem_desc, WS_WRITE_REQUIRED_VALUE, &value, sizeof(value), NULL );
    ok( hr == E_INVALIDARG, "attribute field: got %#lx\n", hr );
    one_field.mapping = WS_TEXT_FIELD_MAPPING;
    set_input( reader, "<s>t</s>" );
    hr = WsReadElement( reader, &elem_desc, WS_READ_REQUIRED_VALUE, heap, &read, sizeof(read), NULL );
    ok( hr == E_INVALIDARG, "text field: got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

START_TEST(serialize)
{
    builtin = !strcmp( winetest_platform, "wine" );

    test_scalar_types();
    test_numeric_errors();
    test_ranges();
    test_strings();
    test_options();
    test_element_attribute();
    test_enum();
    test_structs();
    test_text_field();
    test_unions();
    test_xml_buffers();
    test_more_types();
    test_defaults();
    test_subtypes();
    test_nillable_items();
    test_invalid();
    test_random_roundtrip();
    test_binary_roundtrip();
    test_endpoint_address();
    test_endpoint_address_extension();
    test_xml_attribute_field();
    test_any_attributes_field();
    test_any_content_field();
    test_fault();
    test_field_only_types();
    test_array_fields();
    test_endpoint_identity();
    test_endpoint_address_versions();
    test_custom_type();
    test_void_fields();
    test_void_no_field();
    test_xml_buffer_elements();
}
