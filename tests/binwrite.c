/*
 * Tests for the binary XML writer (WS_XML_WRITER_BINARY_ENCODING).
 *
 * Expected bytes come from [MC-NBFX] (.NET Binary Format: XML Data Structure:
 * record layouts, MultiByteInt31, String/DictionaryString, the
 * "WithEndElement" text records, the Array record and its example) and
 * [MC-NBFS] (the static dictionary: "mustUnderstand" is 0x00, "Envelope"
 * 0x02, "http://www.w3.org/2003/05/soap-envelope" 0x04), and from the WWSAPI
 * pages WS_XML_WRITER_BINARY_ENCODING, WS_DYNAMIC_STRING_CALLBACK,
 * WsWriteArray and WsGetDictionary.
 *
 * Where several encodings are valid, the writer picks the most compact record
 * that preserves the value, as the spec's record descriptions suggest:
 *   - a name or text in the static dictionary is a dictionary record, then one
 *     the dynamic string callback knows (odd DictionaryString), then a String;
 *   - a single-letter prefix a..z uses the Prefix*[A-Z] records;
 *   - integers use Zero/One/Int8/Int16/Int32/Int64Text (UInt64Text only past
 *     INT64_MAX); floating-point values that are integers use the integer
 *     records too, others FloatText when a float holds them exactly, else
 *     DoubleText;
 *   - Chars8/16/32 and Bytes8/16/32 by length;
 *   - a text immediately followed by its end element is written as the text's
 *     WithEndElement record (type + 1) instead of text + EndElement (0x01).
 */

#include <stdio.h>
#include <string.h>
#include <math.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* Text and encoding structures are initialised with their type only; the rest is zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const WS_XML_WRITER_BUFFER_OUTPUT buffer_output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
static const WS_XML_WRITER_TEXT_ENCODING utf8_encoding = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };

static WS_XML_STRING str_a = WS_XML_STRING_VALUE( "a" );
static WS_XML_STRING str_b = WS_XML_STRING_VALUE( "b" );
static WS_XML_STRING str_s = WS_XML_STRING_VALUE( "s" );
static WS_XML_STRING str_doc = WS_XML_STRING_VALUE( "doc" );
static WS_XML_STRING str_attr = WS_XML_STRING_VALUE( "attr" );
static WS_XML_STRING str_pre = WS_XML_STRING_VALUE( "pre" );
static WS_XML_STRING str_env = WS_XML_STRING_VALUE( "env" );
static WS_XML_STRING str_item = WS_XML_STRING_VALUE( "item" );
static WS_XML_STRING str_element = WS_XML_STRING_VALUE( "element" );
static WS_XML_STRING str_empty = WS_XML_STRING_VALUE( "" );
static WS_XML_STRING str_abc = WS_XML_STRING_VALUE( "http://abc" );
static WS_XML_STRING str_tempuri = WS_XML_STRING_VALUE( "http://tempuri.org" );
static WS_XML_STRING str_envelope = WS_XML_STRING_VALUE( "Envelope" );
static WS_XML_STRING str_must = WS_XML_STRING_VALUE( "mustUnderstand" );
static WS_XML_STRING str_soap = WS_XML_STRING_VALUE( "http://www.w3.org/2003/05/soap-envelope" );

static BOOL is_builtin(void)
{
    return !strcmp( winetest_platform, "wine" );
}

static WS_XML_DICTIONARY *static_dictionary(void)
{
    WS_XML_DICTIONARY *dict = NULL;
    HRESULT hr = WsGetDictionary( WS_ENCODING_XML_BINARY_SESSION_1, &dict, NULL );
    ok( hr == S_OK, "WsGetDictionary: got %#lx\n", hr );
    return dict;
}

static HRESULT set_binary_output( WS_XML_WRITER *writer, WS_XML_DICTIONARY *dict, WS_DYNAMIC_STRING_CALLBACK cb,
                                  void *state )
{
    WS_XML_WRITER_BINARY_ENCODING enc;

    memset( &enc, 0, sizeof(enc) );
    enc.encoding.encodingType = WS_XML_WRITER_ENCODING_TYPE_BINARY;
    enc.staticDictionary = dict;
    enc.dynamicStringCallback = cb;
    enc.dynamicStringCallbackState = state;
    return WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
}

static WS_XML_WRITER *bin_writer( WS_XML_DICTIONARY *dict )
{
    WS_XML_WRITER *writer = NULL;
    HRESULT hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "WsCreateWriter: got %#lx\n", hr );
    hr = set_binary_output( writer, dict, NULL, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    return writer;
}

static const char *hex( const BYTE *bytes, ULONG len )
{
    static char buf[4][1024];
    static int idx;
    char *p = buf[idx++ % 4];
    ULONG i, n = 0;

    for (i = 0; i < len && n < 1000; i++) n += sprintf( p + n, "%02x ", bytes[i] );
    if (i < len) strcpy( p + n, "..." );
    else p[n] = 0;
    return p;
}

#define check_bytes(writer, expected) check_bytes_( __LINE__, writer, expected, sizeof(expected), FALSE )
#define check_bytes_todo_wine(writer, expected) check_bytes_( __LINE__, writer, expected, sizeof(expected), TRUE )
static void check_bytes_( unsigned line, WS_XML_WRITER *writer, const BYTE *expected, ULONG len, BOOL todo )
{
    WS_BYTES bytes = { 0, NULL };
    HRESULT hr;

    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok_(__FILE__, line)( hr == S_OK, "WS_XML_WRITER_PROPERTY_BYTES: got %#lx\n", hr );
    todo_wine_if( todo )
    ok_(__FILE__, line)( bytes.length == len && !memcmp( bytes.bytes, expected, len ), "got %lu bytes %s, expected %s\n",
                         bytes.length, hex( bytes.bytes, bytes.length ), hex( expected, len ) );
}

static void start_element( WS_XML_WRITER *writer, WS_XML_STRING *prefix, WS_XML_STRING *local, WS_XML_STRING *ns )
{
    HRESULT hr = WsWriteStartElement( writer, prefix, local, ns, NULL );
    ok( hr == S_OK, "WsWriteStartElement: got %#lx\n", hr );
}

static void end_element( WS_XML_WRITER *writer )
{
    HRESULT hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "WsWriteEndElement: got %#lx\n", hr );
}

static void write_text( WS_XML_WRITER *writer, const WS_XML_TEXT *text )
{
    HRESULT hr = WsWriteText( writer, text, NULL );
    ok( hr == S_OK, "WsWriteText: got %#lx\n", hr );
}

/* For texts Wine's builtin cannot write in binary (E_NOTIMPL): qualified names, lists, a second text. */
static void write_text_todo_wine( WS_XML_WRITER *writer, const WS_XML_TEXT *text )
{
    HRESULT hr = WsWriteText( writer, text, NULL );
    todo_wine ok( hr == S_OK, "WsWriteText: got %#lx\n", hr );
}

static void write_value( WS_XML_WRITER *writer, WS_VALUE_TYPE type, const void *value, ULONG size )
{
    HRESULT hr = WsWriteValue( writer, type, value, size, NULL );
    ok( hr == S_OK, "WsWriteValue %d: got %#lx\n", type, hr );
}

static void write_utf8( WS_XML_WRITER *writer, const char *str, ULONG len )
{
    WS_XML_UTF8_TEXT text;

    memset( &text, 0, sizeof(text) );
    text.text.textType = WS_XML_TEXT_TYPE_UTF8;
    text.value.bytes = (BYTE *)str;
    text.value.length = len;
    write_text( writer, &text.text );
}

/* The [MC-NBFS] static dictionary as WsGetDictionary returns it: the ids the tests rely on. */
static void test_static_dictionary(void)
{
    WS_XML_DICTIONARY *dict = static_dictionary();

    if (!dict) return;
    ok( dict->stringCount > 2, "got %lu strings\n", dict->stringCount );
    ok( dict->strings[0].length == 14 && !memcmp( dict->strings[0].bytes, "mustUnderstand", 14 ), "string 0\n" );
    ok( dict->strings[1].length == 8 && !memcmp( dict->strings[1].bytes, "Envelope", 8 ), "string 1\n" );
    ok( dict->strings[2].length == str_soap.length && !memcmp( dict->strings[2].bytes, str_soap.bytes, str_soap.length ),
        "string 2\n" );
    ok( dict->strings[1].id == 1, "got id %lu\n", dict->strings[1].id );
    ok( dict->strings[3].length == 36 && !memcmp( dict->strings[3].bytes, "http://www.w3.org/2005/08/addressing", 36 ),
        "string 3\n" );
    ok( dict->strings[4].length == 6 && !memcmp( dict->strings[4].bytes, "Header", 6 ), "string 4\n" );
    ok( dict->strings[5].length == 6 && !memcmp( dict->strings[5].bytes, "Action", 6 ), "string 5\n" );
    ok( dict->strings[7].length == 4 && !memcmp( dict->strings[7].bytes, "Body", 4 ), "string 7\n" );
}

/* [MC-NBFX] 2.2.1 element records. */
static void test_elements(void)
{
    /* ShortElement (0x40) + EndElement (0x01): <doc></doc>; an empty element has no other form. */
    static const BYTE short_element[] = { 0x40, 0x03, 'd', 'o', 'c', 0x01 };
    /* Element (0x41) with XmlnsAttribute (0x09): <pre:doc xmlns:pre="http://abc"></pre:doc> */
    static const BYTE element[] = { 0x41, 0x03, 'p', 'r', 'e', 0x03, 'd', 'o', 'c', 0x09, 0x03, 'p', 'r', 'e', 0x0a,
                                    'h', 't', 't', 'p', ':', '/', '/', 'a', 'b', 'c', 0x01 };
    /* PrefixElementB (0x5f): <b:element xmlns:b="http://tempuri.org"> (the spec's example) */
    static const BYTE prefix_element[] = { 0x5f, 0x07, 'e', 'l', 'e', 'm', 'e', 'n', 't', 0x09, 0x01, 'b', 0x12,
                                           'h', 't', 't', 'p', ':', '/', '/', 't', 'e', 'm', 'p', 'u', 'r', 'i',
                                           '.', 'o', 'r', 'g', 0x01 };
    /* ShortDictionaryElement (0x42): <Envelope></Envelope>, "Envelope" = 0x02 */
    static const BYTE short_dict_element[] = { 0x42, 0x02, 0x01 };
    /* DictionaryElement (0x43) + DictionaryXmlnsAttribute (0x0b): <env:Envelope xmlns:env="...soap-envelope"> */
    static const BYTE dict_element[] = { 0x43, 0x03, 'e', 'n', 'v', 0x02, 0x0b, 0x03, 'e', 'n', 'v', 0x04, 0x01 };
    /* PrefixDictionaryElementS (0x56): the start of every SOAP 1.2 envelope */
    static const BYTE prefix_dict_element[] = { 0x56, 0x02, 0x0b, 0x01, 's', 0x04, 0x01 };
    /* Without a static dictionary every name is a String. */
    static const BYTE no_dict[] = { 0x40, 0x08, 'E', 'n', 'v', 'e', 'l', 'o', 'p', 'e', 0x01 };
    /* Nested elements: EndElement for each. */
    static const BYTE nested[] = { 0x40, 0x01, 'a', 0x40, 0x01, 'b', 0x01, 0x01 };
    WS_XML_DICTIONARY *dict = static_dictionary();
    WS_XML_WRITER *writer;

    writer = bin_writer( dict );
    start_element( writer, NULL, &str_doc, &str_empty );
    end_element( writer );
    check_bytes( writer, short_element );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, &str_pre, &str_doc, &str_abc );
    end_element( writer );
    check_bytes( writer, element );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, &str_b, &str_element, &str_tempuri );
    end_element( writer );
    check_bytes( writer, prefix_element );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_envelope, &str_empty );
    end_element( writer );
    check_bytes_todo_wine( writer, short_dict_element );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, &str_env, &str_envelope, &str_soap );
    end_element( writer );
    check_bytes_todo_wine( writer, dict_element );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, &str_s, &str_envelope, &str_soap );
    end_element( writer );
    check_bytes_todo_wine( writer, prefix_dict_element );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_envelope, &str_empty );
    end_element( writer );
    check_bytes( writer, no_dict );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    start_element( writer, NULL, &str_b, &str_empty );
    end_element( writer );
    end_element( writer );
    check_bytes( writer, nested );

    WsFreeWriter( writer );
}

static void write_attribute_value( WS_XML_WRITER *writer, WS_XML_STRING *prefix, WS_XML_STRING *local,
                                   WS_XML_STRING *ns, const WS_XML_TEXT *value )
{
    HRESULT hr = WsWriteStartAttribute( writer, prefix, local, ns, FALSE, NULL );
    ok( hr == S_OK, "WsWriteStartAttribute: got %#lx\n", hr );
    write_text( writer, value );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "WsWriteEndAttribute: got %#lx\n", hr );
}

/* [MC-NBFX] 2.2.2 attribute records; attribute values are text records without end element. */
static void test_attributes(void)
{
    /* ShortAttribute (0x04) + FalseText: <doc attr="false"></doc> */
    static const BYTE short_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x04, 0x04, 'a', 't', 't', 'r', 0x84, 0x01 };
    /* XmlnsAttribute + Attribute (0x05): <doc xmlns:pre="http://abc" pre:attr="false"></doc> */
    static const BYTE attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x09, 0x03, 'p', 'r', 'e', 0x0a,
                                 'h', 't', 't', 'p', ':', '/', '/', 'a', 'b', 'c',
                                 0x05, 0x03, 'p', 'r', 'e', 0x04, 'a', 't', 't', 'r', 0x84, 0x01 };
    /* PrefixAttributeB (0x27) + XmlnsAttribute: <doc b:attr="true" xmlns:b="http://abc"></doc>; the
     * declaration the writer adds itself follows the attributes written explicitly, as in text. */
    static const BYTE prefix_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x27, 0x04, 'a', 't', 't', 'r', 0x86,
                                        0x09, 0x01, 'b', 0x0a, 'h', 't', 't', 'p', ':', '/', '/', 'a', 'b', 'c',
                                        0x01 };
    /* ShortDictionaryAttribute (0x06): <doc mustUnderstand="1"></doc> */
    static const BYTE short_dict_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x06, 0x00, 0x82, 0x01 };
    /* DictionaryAttribute (0x07): env:mustUnderstand="0" */
    static const BYTE dict_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x07, 0x03, 'e', 'n', 'v', 0x00, 0x80,
                                      0x0b, 0x03, 'e', 'n', 'v', 0x04, 0x01 };
    /* PrefixDictionaryAttributeS (0x1e): s:mustUnderstand="1", as in every SOAP 1.2 header */
    static const BYTE prefix_dict_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x1e, 0x00, 0x82, 0x0b, 0x01, 's', 0x04, 0x01 };
    /* ShortXmlnsAttribute (0x08): <doc xmlns="http://abc"></doc> */
    static const BYTE short_xmlns[] = { 0x40, 0x03, 'd', 'o', 'c', 0x08, 0x0a,
                                        'h', 't', 't', 'p', ':', '/', '/', 'a', 'b', 'c', 0x01 };
    static const BYTE undeclare[] = { 0x40, 0x01, 'a', 0x08, 0x0a, 'h', 't', 't', 'p', ':', '/', '/', 'a', 'b', 'c',
                                      0x40, 0x01, 'b', 0x08, 0x00, 0x01, 0x01 };
    /* ShortDictionaryXmlnsAttribute (0x0a): <Envelope xmlns="...soap-envelope"></Envelope> */
    static const BYTE short_dict_xmlns[] = { 0x42, 0x02, 0x0a, 0x04, 0x01 };
    /* A UTF-8 attribute value: Chars8Text; an empty one: EmptyText (0xa8). */
    static const BYTE chars_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x04, 0x01, 'a', 0x98, 0x02, 'h', 'i',
                                       0x04, 0x01, 'b', 0xa8, 0x01 };
    /* Typed values through WsWriteValue: Int16Text, DoubleText. */
    static const BYTE value_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x04, 0x01, 'a', 0x8a, 0x00, 0x01,
                                       0x04, 0x01, 'b', 0x92, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f, 0x01 };
    WS_XML_BOOL_TEXT false_text = { { WS_XML_TEXT_TYPE_BOOL }, FALSE }, true_text = { { WS_XML_TEXT_TYPE_BOOL }, TRUE };
    WS_XML_INT32_TEXT zero = { { WS_XML_TEXT_TYPE_INT32 }, 0 }, one = { { WS_XML_TEXT_TYPE_INT32 }, 1 };
    WS_XML_UTF8_TEXT hi = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "hi" ) };
    WS_XML_UTF8_TEXT empty = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "" ) };
    WS_XML_DICTIONARY *dict = static_dictionary();
    WS_XML_WRITER *writer = bin_writer( dict );
    int i32 = 256;
    double d = 0.1;
    HRESULT hr;

    start_element( writer, NULL, &str_doc, &str_empty );
    write_attribute_value( writer, NULL, &str_attr, &str_empty, &false_text.text );
    end_element( writer );
    check_bytes( writer, short_attr );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    hr = WsWriteXmlnsAttribute( writer, &str_pre, &str_abc, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_attribute_value( writer, &str_pre, &str_attr, &str_abc, &false_text.text );
    end_element( writer );
    check_bytes_todo_wine( writer, attr );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_attribute_value( writer, &str_b, &str_attr, &str_abc, &true_text.text );
    end_element( writer );
    check_bytes( writer, prefix_attr );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_attribute_value( writer, NULL, &str_must, &str_empty, &one.text );
    end_element( writer );
    check_bytes_todo_wine( writer, short_dict_attr );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_attribute_value( writer, &str_env, &str_must, &str_soap, &zero.text );
    end_element( writer );
    check_bytes_todo_wine( writer, dict_attr );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_attribute_value( writer, &str_s, &str_must, &str_soap, &one.text );
    end_element( writer );
    check_bytes_todo_wine( writer, prefix_dict_attr );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_abc );
    end_element( writer );
    check_bytes( writer, short_xmlns );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_envelope, &str_soap );
    end_element( writer );
    check_bytes_todo_wine( writer, short_dict_xmlns );

    /* xmlns="" undeclares the default namespace: ShortXmlnsAttribute with an empty String. */
    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_abc );
    start_element( writer, NULL, &str_b, &str_empty );
    end_element( writer );
    end_element( writer );
    /* Wine's builtin leaves xmlns="" out, which puts <b> in http://abc. */
    check_bytes_todo_wine( writer, undeclare );

    /* ("a" is in the static dictionary: no dictionary here.) */
    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_attribute_value( writer, NULL, &str_a, &str_empty, &hi.text );
    write_attribute_value( writer, NULL, &str_b, &str_empty, &empty.text );
    end_element( writer );
    check_bytes_todo_wine( writer, chars_attr );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    hr = WsWriteStartAttribute( writer, NULL, &str_a, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_value( writer, WS_INT32_VALUE_TYPE, &i32, sizeof(i32) );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_value( writer, WS_DOUBLE_VALUE_TYPE, &d, sizeof(d) );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes( writer, value_attr );

    WsFreeWriter( writer );
}

/* WsWriteBytes in an attribute: the value keeps its bytes, a Bytes8Text record ([MC-NBFX] 2.2.3.17),
 * over several calls too; bytes followed by characters are one text, the base64 characters and the
 * others (Chars8Text). */
static void test_attribute_bytes(void)
{
    static const BYTE bytes_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x04, 0x01, 'a', 0x9e, 0x05, 1, 2, 3, 4, 5, 0x01 };
    static const BYTE mixed_attr[] = { 0x40, 0x03, 'd', 'o', 'c', 0x04, 0x01, 'b', 0x98, 0x05, 'A', 'Q', 'I', 'D', 'x',
                                       0x01 };
    static const BYTE raw[] = { 1, 2, 3, 4, 5 };
    WS_XML_WRITER *writer = bin_writer( NULL );
    HRESULT hr;

    start_element( writer, NULL, &str_doc, &str_empty );
    hr = WsWriteStartAttribute( writer, NULL, &str_a, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteBytes( writer, raw, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteBytes( writer, raw + 1, 4, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes( writer, bytes_attr );

    if (is_builtin())
    {
        /* Wine's builtin crashes writing characters after bytes in an attribute */
        skip( "bytes then characters in an attribute\n" );
        WsFreeWriter( writer );
        return;
    }
    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteBytes( writer, raw, 3, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_utf8( writer, "x", 1 );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes( writer, mixed_attr );
    WsFreeWriter( writer );
}

/* <a>TEXT</a> with TEXT's WithEndElement record: 40 01 61, then EXPECTED with its type + 1. */
#define check_text(text, ...) check_text_( __LINE__, text, (const BYTE[]){ __VA_ARGS__ }, \
                                           sizeof((const BYTE[]){ __VA_ARGS__ }), FALSE, FALSE )
/* Wine's builtin writes another record for this value (TODO), or has no binary form for its type (TODO_HR). */
#define check_text_todo_wine(text, ...) check_text_( __LINE__, text, (const BYTE[]){ __VA_ARGS__ }, \
                                           sizeof((const BYTE[]){ __VA_ARGS__ }), TRUE, FALSE )
#define check_text_todo_wine_hr(text, ...) check_text_( __LINE__, text, (const BYTE[]){ __VA_ARGS__ }, \
                                           sizeof((const BYTE[]){ __VA_ARGS__ }), TRUE, TRUE )
static void check_text_( unsigned line, const WS_XML_TEXT *text, const BYTE *expected, ULONG len, BOOL todo,
                         BOOL todo_hr )
{
    WS_XML_WRITER *writer = bin_writer( NULL );
    BYTE buf[64];
    WS_BYTES bytes = { 0, NULL };
    HRESULT hr;

    buf[0] = 0x40; buf[1] = 0x01; buf[2] = 'a';
    memcpy( buf + 3, expected, len );
    buf[3] |= 1;
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteText( writer, text, NULL );
    todo_wine_if( todo_hr ) ok_(__FILE__, line)( hr == S_OK, "WsWriteText: got %#lx\n", hr );
    end_element( writer );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok_(__FILE__, line)( hr == S_OK, "got %#lx\n", hr );
    todo_wine_if( todo )
    ok_(__FILE__, line)( bytes.length == len + 3 && !memcmp( bytes.bytes, buf, len + 3 ), "got %s, expected %s\n",
                         hex( bytes.bytes, bytes.length ), hex( buf, len + 3 ) );
    WsFreeWriter( writer );
}

/* [MC-NBFX] 2.2.3 text records: the smallest record that holds each value. */
static void test_text_records(void)
{
    WS_XML_INT32_TEXT i32 = { { WS_XML_TEXT_TYPE_INT32 } };
    WS_XML_INT64_TEXT i64 = { { WS_XML_TEXT_TYPE_INT64 } };
    WS_XML_UINT64_TEXT u64 = { { WS_XML_TEXT_TYPE_UINT64 } };
    WS_XML_BOOL_TEXT b = { { WS_XML_TEXT_TYPE_BOOL } };
    WS_XML_FLOAT_TEXT f = { { WS_XML_TEXT_TYPE_FLOAT } };
    WS_XML_DOUBLE_TEXT d = { { WS_XML_TEXT_TYPE_DOUBLE } };
    WS_XML_DECIMAL_TEXT dec = { { WS_XML_TEXT_TYPE_DECIMAL } };
    WS_XML_GUID_TEXT guid = { { WS_XML_TEXT_TYPE_GUID } };
    WS_XML_UNIQUE_ID_TEXT uid = { { WS_XML_TEXT_TYPE_UNIQUE_ID } };
    WS_XML_DATETIME_TEXT dt = { { WS_XML_TEXT_TYPE_DATETIME } };
    WS_XML_TIMESPAN_TEXT ts = { { WS_XML_TEXT_TYPE_TIMESPAN } };
    WS_XML_UTF8_TEXT utf8 = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "hello" ) };
    WS_XML_UTF16_TEXT utf16 = { { WS_XML_TEXT_TYPE_UTF16 }, (BYTE *)L"hi", 4 };
    static BYTE raw[3] = { 1, 2, 3 };
    WS_XML_BASE64_TEXT base64 = { { WS_XML_TEXT_TYPE_BASE64 }, raw, 3 };
    static const GUID g = { 0x03020100, 0x0504, 0x0706, { 8, 9, 10, 11, 12, 13, 14, 15 } };

    /* Zero/One/Int8/Int16/Int32Text at their boundaries. */
    i32.value = 0;            check_text( &i32.text, 0x80 );
    i32.value = 1;            check_text( &i32.text, 0x82 );
    i32.value = 2;            check_text( &i32.text, 0x88, 0x02 );
    i32.value = -1;           check_text( &i32.text, 0x88, 0xff );
    i32.value = 127;          check_text( &i32.text, 0x88, 0x7f );
    i32.value = 128;          check_text( &i32.text, 0x8a, 0x80, 0x00 );
    i32.value = -128;         check_text( &i32.text, 0x88, 0x80 );
    i32.value = -129;         check_text( &i32.text, 0x8a, 0x7f, 0xff );
    i32.value = 32767;        check_text( &i32.text, 0x8a, 0xff, 0x7f );
    i32.value = 32768;        check_text( &i32.text, 0x8c, 0x00, 0x80, 0x00, 0x00 );
    i32.value = -32768;       check_text( &i32.text, 0x8a, 0x00, 0x80 );
    i32.value = -32769;       check_text( &i32.text, 0x8c, 0xff, 0x7f, 0xff, 0xff );
    i32.value = 0x7fffffff;   check_text( &i32.text, 0x8c, 0xff, 0xff, 0xff, 0x7f );
    i32.value = -0x7fffffff - 1; check_text( &i32.text, 0x8c, 0x00, 0x00, 0x00, 0x80 );

    /* Int64Text only past the 32-bit range. */
    i64.value = 0;            check_text( &i64.text, 0x80 );
    i64.value = 100;          check_text( &i64.text, 0x88, 0x64 );
    i64.value = 0x7fffffff;   check_text( &i64.text, 0x8c, 0xff, 0xff, 0xff, 0x7f );
    i64.value = 0x80000000;   check_text( &i64.text, 0x8e, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00 );
    i64.value = -0x80000001LL; check_text( &i64.text, 0x8e, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff );
    i64.value = 0x7fffffffffffffffLL;
    check_text( &i64.text, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f );

    /* UInt64Text only past INT64_MAX. */
    u64.value = 1;            check_text( &u64.text, 0x82 );
    u64.value = 0x7fffffffffffffffULL;
    check_text( &u64.text, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f );
    u64.value = 0x8000000000000000ULL;
    check_text( &u64.text, 0xb2, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 );
    u64.value = ~0ULL;
    check_text( &u64.text, 0xb2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff );

    b.value = FALSE;          check_text( &b.text, 0x84 );
    b.value = TRUE;           check_text( &b.text, 0x86 );

    /* Floating point: integers as integer records, float-exact values as FloatText, others DoubleText. */
    d.value = 0.0;            check_text( &d.text, 0x80 );
    d.value = 2.0;            check_text( &d.text, 0x88, 0x02 );
    /* Wine's builtin writes DoubleText for 1.5 and infinity (valid, 4 bytes longer), and ZeroText for
     * -0.0, which loses the sign: FloatText keeps it. */
    d.value = 1.5;            check_text_todo_wine( &d.text, 0x90, 0x00, 0x00, 0xc0, 0x3f );
    d.value = -0.0;           check_text_todo_wine( &d.text, 0x90, 0x00, 0x00, 0x00, 0x80 );
    d.value = INFINITY;       check_text_todo_wine( &d.text, 0x90, 0x00, 0x00, 0x80, 0x7f );
    d.value = 0.1;            check_text( &d.text, 0x92, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f );
    d.value = 4294967296.0;   check_text( &d.text, 0x8e, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 );
    /* Wine's builtin has no binary form for float, decimal and timespan texts (E_NOTIMPL). */
    f.value = 1.0f;           check_text_todo_wine_hr( &f.text, 0x82 );
    f.value = 0.5f;           check_text_todo_wine_hr( &f.text, 0x90, 0x00, 0x00, 0x00, 0x3f );
    f.value = 0.1f;           check_text_todo_wine_hr( &f.text, 0x90, 0xcd, 0xcc, 0xcc, 0x3d );

    /* DecimalText: the 16 bytes of DECIMAL. */
    dec.value.scale = 1;
    dec.value.sign = 0x80;
    dec.value.Hi32 = 0;
    dec.value.Lo64 = 15;
    check_text_todo_wine_hr( &dec.text, 0x94, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00, 0x00,
                0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 );

    /* UuidText and UniqueIdText: the GUID's 16 bytes in memory order. */
    guid.value = g;
    check_text( &guid.text, 0xb0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 );
    uid.value = g;
    check_text( &uid.text, 0xac, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 );

    /* DateTimeText: 62 bits of ticks, the time zone in the top two bits (1 UTC, 2 local, 0 none). */
    dt.value.ticks = 0x1234;
    dt.value.format = WS_DATETIME_FORMAT_UTC;
    check_text( &dt.text, 0x96, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40 );
    dt.value.format = WS_DATETIME_FORMAT_LOCAL;
    check_text( &dt.text, 0x96, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 );
    dt.value.format = WS_DATETIME_FORMAT_NONE;
    check_text( &dt.text, 0x96, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 );

    ts.value.ticks = -1;
    check_text_todo_wine_hr( &ts.text, 0xae, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff );

    check_text( &utf8.text, 0x98, 0x05, 'h', 'e', 'l', 'l', 'o' );
    /* UTF-16 texts are written as UTF-8 Chars: shorter for these characters, and the same text. */
    check_text( &utf16.text, 0x98, 0x02, 'h', 'i' );
    check_text( &base64.text, 0x9e, 0x03, 1, 2, 3 );
}

/* Chars8/16/32 and Bytes8/16/32 by length. */
static void test_lengths(void)
{
    static const ULONG lengths[] = { 255, 256, 65535, 65536 };
    ULONG max_size = 1 << 20, i;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max_size, sizeof(max_size) };
    WS_XML_WRITER *writer = NULL;
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    char *data = HeapAlloc( GetProcessHeap(), 0, 65536 );
    HRESULT hr;

    memset( data, 'x', 65536 );
    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < ARRAYSIZE(lengths); i++)
    {
        ULONG len = lengths[i], hdr;
        BYTE type;
        WS_BYTES bytes = { 0, NULL };
        int pass;

        for (pass = 0; pass < 2; pass++)
        {
            winetest_push_context( "%s %lu", pass ? "bytes" : "chars", len );
            hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, &prop, 1, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            start_element( writer, NULL, &str_a, &str_empty );
            if (pass) hr = WsWriteBytes( writer, data, len, NULL );
            else hr = WsWriteCharsUtf8( writer, (const BYTE *)data, len, NULL );
            /* Wine's builtin has no Chars32Text, gets Bytes16Text's length wrong at 256 and
             * writes Bytes16Text with a truncated length at 65536: Bytes32Text is the record. */
            todo_wine_if( !pass && len == 65536 ) ok( hr == S_OK, "got %#lx\n", hr );
            end_element( writer );
            hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            if (len <= 0xff) { type = pass ? 0x9f : 0x99; hdr = 1; }
            else if (len <= 0xffff) { type = pass ? 0xa1 : 0x9b; hdr = 2; }
            else { type = pass ? 0xa3 : 0x9d; hdr = 4; }
            todo_wine_if( (pass && len == 256) || (!pass && len == 65536) )
            ok( bytes.length == 3 + 1 + hdr + len, "got %lu bytes\n", bytes.length );
            if (bytes.length == 3 + 1 + hdr + len)
            {
                ULONG got = 0, j;
                for (j = 0; j < hdr; j++) got |= (ULONG)bytes.bytes[4 + j] << (8 * j);
                todo_wine_if( pass && len == 65536 )
                ok( bytes.bytes[3] == type, "got record %#x, expected %#x\n", bytes.bytes[3], type );
                todo_wine_if( pass && len == 65536 ) ok( got == len, "got length %lu\n", got );
                todo_wine_if( pass && len == 65536 ) ok( !memcmp( bytes.bytes + 4 + hdr, data, len ), "wrong data\n" );
            }
            winetest_pop_context();
        }
    }
    WsFreeWriter( writer );
    HeapFree( GetProcessHeap(), 0, data );
}

/* WsWriteValue writes typed records in content. */
static void test_values(void)
{
    static const BYTE expected[] = { 0x40, 0x01, 'a', 0x40, 0x01, 'b', 0x87, 0x40, 0x01, 'b', 0x89, 0x80,
                                     0x40, 0x01, 'b', 0x8d, 0x00, 0x00, 0x01, 0x00, 0x40, 0x01, 'b', 0x83,
                                     0x40, 0x01, 'b', 0xb3, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
                                     0x40, 0x01, 'b', 0x91, 0x00, 0x00, 0x20, 0x40, 0x01 };
    WS_XML_WRITER *writer = bin_writer( NULL );
    BOOL bval = TRUE;
    signed char i8 = -128;
    int i32 = 65536;
    ULONG u32 = 1;
    ULONGLONG u64 = 0x8000000000000000ULL;
    float f = 2.5f;
    HRESULT hr;

    start_element( writer, NULL, &str_a, &str_empty );
    start_element( writer, NULL, &str_b, &str_empty );
    write_value( writer, WS_BOOL_VALUE_TYPE, &bval, sizeof(bval) );
    end_element( writer );
    start_element( writer, NULL, &str_b, &str_empty );
    write_value( writer, WS_INT8_VALUE_TYPE, &i8, sizeof(i8) );
    end_element( writer );
    start_element( writer, NULL, &str_b, &str_empty );
    write_value( writer, WS_INT32_VALUE_TYPE, &i32, sizeof(i32) );
    end_element( writer );
    start_element( writer, NULL, &str_b, &str_empty );
    write_value( writer, WS_UINT32_VALUE_TYPE, &u32, sizeof(u32) );
    end_element( writer );
    start_element( writer, NULL, &str_b, &str_empty );
    write_value( writer, WS_UINT64_VALUE_TYPE, &u64, sizeof(u64) );
    end_element( writer );
    start_element( writer, NULL, &str_b, &str_empty );
    hr = WsWriteValue( writer, WS_FLOAT_VALUE_TYPE, &f, sizeof(f), NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );   /* E_NOTIMPL in Wine's builtin */
    end_element( writer );
    end_element( writer );
    check_bytes_todo_wine( writer, expected );
    WsFreeWriter( writer );
}

/* Texts not directly followed by their end element keep the plain record. */
static void test_with_end_element(void)
{
    /* <a>hi<!--c--></a>: Chars8Text, Comment (0x02), EndElement */
    static const BYTE comment[] = { 0x40, 0x01, 'a', 0x98, 0x02, 'h', 'i', 0x02, 0x01, 'c', 0x01 };
    /* <a>hi<b></b></a> */
    static const BYTE element[] = { 0x40, 0x01, 'a', 0x98, 0x02, 'h', 'i', 0x40, 0x01, 'b', 0x01, 0x01 };
    /* <a>hi!</a> from two writes: two records, the last one with end element */
    static const BYTE two[] = { 0x40, 0x01, 'a', 0x98, 0x02, 'h', 'i', 0x99, 0x01, '!' };
    /* <!--comment--> alone (the spec's Comment example) */
    static const BYTE comment_only[] = { 0x02, 0x07, 'c', 'o', 'm', 'm', 'e', 'n', 't' };
    /* <a><![CDATA[x]]></a>: binary XML has no CDATA record, the content is text */
    static const BYTE cdata[] = { 0x40, 0x01, 'a', 0x99, 0x01, 'x' };
    WS_XML_STRING c = WS_XML_STRING_VALUE( "c" ), comment_str = WS_XML_STRING_VALUE( "comment" );
    WS_XML_COMMENT_NODE node = { { WS_XML_NODE_TYPE_COMMENT } };
    WS_XML_WRITER *writer = bin_writer( NULL );
    HRESULT hr;

    start_element( writer, NULL, &str_a, &str_empty );
    write_utf8( writer, "hi", 2 );
    node.value = c;
    hr = WsWriteNode( writer, &node.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes_todo_wine( writer, comment );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    write_utf8( writer, "hi", 2 );
    start_element( writer, NULL, &str_b, &str_empty );
    end_element( writer );
    end_element( writer );
    check_bytes_todo_wine( writer, element );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    write_utf8( writer, "hi", 2 );
    {
        WS_XML_UTF8_TEXT excl = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "!" ) };
        write_text_todo_wine( writer, &excl.text );
    }
    end_element( writer );
    check_bytes_todo_wine( writer, two );

    set_binary_output( writer, NULL, NULL, NULL );
    node.value = comment_str;
    hr = WsWriteNode( writer, &node.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_bytes( writer, comment_only );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteStartCData( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_utf8( writer, "x", 1 );
    hr = WsWriteEndCData( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes_todo_wine( writer, cdata );

    WsFreeWriter( writer );
}

/* Dictionary texts, QNameDictionaryText, lists. */
static void test_dictionary_text(void)
{
    /* <a>Envelope</a>: DictionaryTextWithEndElement (0xab) */
    static const BYTE dict_text[] = { 0x40, 0x03, 'd', 'o', 'c', 0xab, 0x02 };
    /* <a>s:Envelope</a>: QNameDictionaryTextWithEndElement (0xbd), prefix 18 = 's' */
    static const BYTE qname[] = { 0x40, 0x03, 'd', 'o', 'c', 0xbd, 0x12, 0x02 };
    /* <a>1 true</a>: StartListText (0xa4), items, EndListText (0xa6), EndElement */
    static const BYTE list[] = { 0x40, 0x03, 'd', 'o', 'c', 0xa4, 0x82, 0x86, 0xa6, 0x01 };
    static const BYTE qname2[] = { 0x40, 0x03, 'd', 'o', 'c', 0x0b, 0x01, 's', 0x04, 0xbd, 0x12, 0x02 };
    /* "a" is a static dictionary string ([MC-NBFS] 0xb6): ShortDictionaryElement, MultiByteInt31 b6 01 */
    static const BYTE dict_name[] = { 0x42, 0xb6, 0x01, 0x01 };
    WS_XML_DICTIONARY *dict = static_dictionary();
    WS_XML_WRITER *writer = bin_writer( dict );
    WS_XML_QNAME_TEXT qtext = { { WS_XML_TEXT_TYPE_QNAME }, &str_s, &str_envelope, &str_soap };
    WS_XML_INT32_TEXT one = { { WS_XML_TEXT_TYPE_INT32 }, 1 };
    WS_XML_BOOL_TEXT true_text = { { WS_XML_TEXT_TYPE_BOOL }, TRUE };
    WS_XML_TEXT *items[] = { &one.text, &true_text.text };
    WS_XML_LIST_TEXT ltext = { { WS_XML_TEXT_TYPE_LIST }, 2, items };
    HRESULT hr;

    start_element( writer, NULL, &str_doc, &str_empty );
    write_utf8( writer, "Envelope", 8 );
    end_element( writer );
    check_bytes_todo_wine( writer, dict_text );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_text_todo_wine( writer, &qtext.text );
    end_element( writer );
    check_bytes_todo_wine( writer, qname );

    /* WsWriteQualifiedName: the same record, the prefix found from the namespace. */
    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    hr = WsWriteXmlnsAttribute( writer, &str_s, &str_soap, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteQualifiedName( writer, NULL, &str_envelope, &str_soap, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );   /* E_NOTIMPL in Wine's builtin */
    end_element( writer );
    check_bytes_todo_wine( writer, qname2 );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_text_todo_wine( writer, &ltext.text );
    end_element( writer );
    check_bytes_todo_wine( writer, list );

    set_binary_output( writer, dict, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    end_element( writer );
    check_bytes_todo_wine( writer, dict_name );

    WsFreeWriter( writer );
}

/* An application dictionary as staticDictionary: its ids, times two. */
static void test_custom_dictionary(void)
{
    static WS_XML_STRING strings[] =
    {
        { 4, (BYTE *)"str0", NULL, 0 },
        { 4, (BYTE *)"str1", NULL, 1 },
        { 4, (BYTE *)"str2", NULL, 2 },
    };
    /* <str1 str2="str0"></str1>: ShortDictionaryElement 0x02, ShortDictionaryAttribute 0x04, DictionaryText 0x00 */
    static const BYTE expected[] = { 0x42, 0x02, 0x06, 0x04, 0xaa, 0x00, 0x01 };
    WS_XML_DICTIONARY dict = { { 0x12345678, 1, 2, { 3 } }, strings, 3, TRUE };
    WS_XML_UTF8_TEXT value = { { WS_XML_TEXT_TYPE_UTF8 } };
    WS_XML_WRITER *writer;
    ULONG i;

    for (i = 0; i < 3; i++) strings[i].dictionary = &dict;
    writer = bin_writer( &dict );
    value.value = strings[0];
    start_element( writer, NULL, &strings[1], &str_empty );
    write_attribute_value( writer, NULL, &strings[2], &str_empty, &value.text );
    end_element( writer );
    check_bytes_todo_wine( writer, expected );
    WsFreeWriter( writer );
}

struct dynamic_state
{
    char asked[16][32];
    ULONG count;
    HRESULT hr;
};

/* Knows "dyn" (id 5) and "http://dyn" (id 70): odd DictionaryStrings 0x0b and 0x8d 0x01. */
static HRESULT CALLBACK dynamic_callback( void *state, const WS_XML_STRING *string, BOOL *found, ULONG *id,
                                          WS_ERROR *error )
{
    struct dynamic_state *s = state;

    (void)error;
    if (s->count < ARRAYSIZE(s->asked))
    {
        ULONG len = min( string->length, sizeof(s->asked[0]) - 1 );
        memcpy( s->asked[s->count], string->bytes, len );
        s->asked[s->count][len] = 0;
    }
    s->count++;
    if (FAILED(s->hr)) return s->hr;
    *found = FALSE;
    if (string->length == 3 && !memcmp( string->bytes, "dyn", 3 ))
    {
        *found = TRUE;
        *id = 5;
    }
    else if (string->length == 10 && !memcmp( string->bytes, "http://dyn", 10 ))
    {
        *found = TRUE;
        *id = 70;
    }
    return S_OK;
}

static void test_dynamic_strings(void)
{
    /* <dyn xmlns="http://dyn"><Envelope>dyn</Envelope></dyn>: static entries first, then the
     * callback's ids as odd values; MultiByteInt31 141 = 0x8d 0x01. */
    static const BYTE expected[] = { 0x42, 0x0b, 0x0a, 0x8d, 0x01, 0x42, 0x02, 0xab, 0x0b, 0x01 };
    /* <other>x</other>: not found anywhere, Strings. */
    static const BYTE not_found[] = { 0x40, 0x05, 'o', 't', 'h', 'e', 'r', 0x99, 0x01, 'x' };
    WS_XML_STRING dyn = WS_XML_STRING_VALUE( "dyn" ), dyn_ns = WS_XML_STRING_VALUE( "http://dyn" );
    WS_XML_STRING other = WS_XML_STRING_VALUE( "other" );
    WS_XML_DICTIONARY *dict = static_dictionary();
    struct dynamic_state state;
    WS_XML_WRITER *writer = NULL;
    BOOL asked_static = FALSE;
    HRESULT hr;
    ULONG i;

    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &state, 0, sizeof(state) );
    hr = set_binary_output( writer, dict, dynamic_callback, &state );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, NULL, &dyn, &dyn_ns );
    start_element( writer, NULL, &str_envelope, &dyn_ns );
    write_utf8( writer, "dyn", 3 );
    end_element( writer );
    end_element( writer );
    check_bytes_todo_wine( writer, expected );
    /* The callback is asked only for strings the static dictionary does not hold (Wine's
     * builtin recognises static strings only by their WS_XML_STRING.dictionary). */
    for (i = 0; i < min( state.count, ARRAYSIZE(state.asked) ); i++)
        if (!strcmp( state.asked[i], "Envelope" )) asked_static = TRUE;
    todo_wine ok( !asked_static, "the callback was asked for a static string\n" );
    ok( state.count >= 3, "the callback was asked %lu times\n", state.count );

    memset( &state, 0, sizeof(state) );
    hr = set_binary_output( writer, NULL, dynamic_callback, &state );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, NULL, &other, &str_empty );
    write_utf8( writer, "x", 1 );
    end_element( writer );
    check_bytes( writer, not_found );
    ok( state.count >= 1, "the callback was asked %lu times\n", state.count );

    /* A failing callback fails the write with its error; the writer is then faulted. */
    memset( &state, 0, sizeof(state) );
    state.hr = E_FAIL;
    hr = set_binary_output( writer, NULL, dynamic_callback, &state );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &other, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    /* Wine's builtin ignores the callback's failure.  WS_DYNAMIC_STRING_CALLBACK returns an HRESULT
     * and takes a WS_ERROR "where additional error information should be stored if the function
     * fails" (its page also says it "does not return a value"): a failure is passed on, and a failed
     * write faults the writer (WsCreateWriter). */
    todo_wine ok( hr == E_FAIL, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &other, &str_empty, NULL );
    todo_wine ok( hr == WS_E_OBJECT_FAULTED, "got %#lx\n", hr );

    WsFreeWriter( writer );
}

/* [MC-NBFX] 2.3.3 Array record (the spec's example) and the other item types. */
static void test_arrays(void)
{
    /* <item xmlns='http://tempuri.org'>1</item> x3: 0x03, element, EndElement, Int32TextWithEndElement, 3, data */
    static const BYTE int32_array[] = { 0x03, 0x40, 0x04, 'i', 't', 'e', 'm', 0x08, 0x12,
                                        'h', 't', 't', 'p', ':', '/', '/', 't', 'e', 'm', 'p', 'u', 'r', 'i', '.',
                                        'o', 'r', 'g', 0x01, 0x8d, 0x03, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
                                        0x00, 0x03, 0x00, 0x00, 0x00 };
    /* inside <a>: BoolTextWithEndElement (0xb5) items are one byte; Int16 (0x8b); Int64 (0x8f); Double (0x93) */
    static const BYTE typed_arrays[] = { 0x40, 0x01, 'a',
                                         0x03, 0x40, 0x01, 'b', 0x01, 0xb5, 0x02, 0x01, 0x00,
                                         0x03, 0x40, 0x01, 'b', 0x01, 0x8b, 0x01, 0x33, 0x33,
                                         0x03, 0x40, 0x01, 'b', 0x01, 0x8f, 0x01, 1, 0, 0, 0, 0, 0, 0, 0,
                                         0x03, 0x40, 0x01, 'b', 0x01, 0x93, 0x01, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
                                         0x01 };
    /* UInt8 has no array record: one element per item. */
    static const BYTE uint8_items[] = { 0x40, 0x01, 'a', 0x40, 0x01, 'b', 0x89, 0x07, 0x40, 0x01, 'b', 0x89, 0x08,
                                        0x01 };
    WS_XML_WRITER *writer = bin_writer( NULL );
    int ints[] = { 0, 1, 2, 3, 4 };
    BOOL bools[] = { TRUE, FALSE };
    short shorts[] = { 0x3333 };
    LONGLONG longs[] = { 1 };
    double doubles[] = { 1.0 };
    BYTE bytes[] = { 7, 8 };
    HRESULT hr;

    hr = WsWriteArray( writer, &str_item, &str_tempuri, WS_INT32_VALUE_TYPE, ints, sizeof(ints), 1, 3, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_bytes_todo_wine( writer, int32_array );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_BOOL_VALUE_TYPE, bools, sizeof(bools), 0, 2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_INT16_VALUE_TYPE, shorts, sizeof(shorts), 0, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_INT64_VALUE_TYPE, longs, sizeof(longs), 0, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_DOUBLE_VALUE_TYPE, doubles, sizeof(doubles), 0, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* No items: nothing is written (an Array record's length must not be zero). */
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_INT32_VALUE_TYPE, ints, sizeof(ints), 0, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes_todo_wine( writer, typed_arrays );

    set_binary_output( writer, NULL, NULL, NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_UINT8_VALUE_TYPE, bytes, sizeof(bytes), 0, 2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    check_bytes( writer, uint8_items );

    WsFreeWriter( writer );
}

struct stream_state
{
    BYTE data[256];
    ULONG len;
};

static HRESULT CALLBACK stream_write( void *state, const WS_BYTES *buffers, ULONG count, const WS_ASYNC_CONTEXT *ctx,
                                      WS_ERROR *error )
{
    struct stream_state *s = state;
    ULONG i;

    (void)ctx; (void)error;
    for (i = 0; i < count; i++)
    {
        if (s->len + buffers[i].length > sizeof(s->data)) return E_FAIL;
        memcpy( s->data + s->len, buffers[i].bytes, buffers[i].length );
        s->len += buffers[i].length;
    }
    return S_OK;
}

/* Stream output; a flush between a text and its end element keeps them apart. */
static void test_stream(void)
{
    static const BYTE expected[] = { 0x40, 0x01, 'a', 0x82, 0x40, 0x01, 'b', 0x82, 0x01, 0x01 };
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    WS_XML_WRITER_STREAM_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_STREAM } };
    WS_XML_INT32_TEXT one = { { WS_XML_TEXT_TYPE_INT32 }, 1 };
    struct stream_state state;
    WS_XML_WRITER *writer = NULL;
    HRESULT hr;

    memset( &state, 0, sizeof(state) );
    output.writeCallback = stream_write;
    output.writeCallbackState = &state;
    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetOutput( writer, &enc.encoding, &output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, NULL, &str_a, &str_empty );
    write_text( writer, &one.text );
    start_element( writer, NULL, &str_b, &str_empty );
    write_text( writer, &one.text );
    hr = WsFlushWriter( writer, 0, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    end_element( writer );
    hr = WsFlushWriter( writer, 0, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Wine's builtin writes <a>'s text as OneTextWithEndElement although <b> follows it. */
    todo_wine ok( state.len == sizeof(expected) && !memcmp( state.data, expected, sizeof(expected) ), "got %s\n",
                  hex( state.data, state.len ) );
    WsFreeWriter( writer );
}

/* Properties and arguments with the binary encoding. */
static void test_properties(void)
{
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    BOOL decl = TRUE;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_WRITE_DECLARATION, &decl, sizeof(decl) };
    static const BYTE expected[] = { 0x40, 0x01, 'a', 0x01 };
    WS_XML_WRITER *writer = NULL;
    ULONG size;
    HRESULT hr;

    hr = WsCreateWriter( &prop, 1, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (!is_builtin())   /* crashes Wine's builtin */
    {
        hr = WsSetOutput( writer, &enc.encoding, NULL, NULL, 0, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    /* Binary XML has no declaration record: nothing is written for it. */
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, NULL, &str_a, &str_empty );
    start_element( writer, NULL, &str_b, &str_empty );
    hr = WsWriteEndStartElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    size = 0xdeadbeef;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES_WRITTEN, &size, sizeof(size), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( size == 6, "got %lu\n", size );   /* Wine's builtin says 0, as in the writer tests */
    /* "the maximum number of bytes necessary to close any open elements": one EndElement
     * record per open element (Wine's builtin says 0, as in the writer tests). */
    size = 0xdeadbeef;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE, &size, sizeof(size), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( size == 2, "got %lu\n", size );
    end_element( writer );
    end_element( writer );
    size = 0xdeadbeef;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE, &size, sizeof(size), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( size == 0, "got %lu\n", size );
    WsFreeWriter( writer );

    writer = bin_writer( NULL );
    start_element( writer, NULL, &str_a, &str_empty );
    end_element( writer );
    check_bytes( writer, expected );
    WsFreeWriter( writer );
}

/* XML buffers written with the binary encoding. */
static void test_xml_buffer_to_bytes(void)
{
    static const BYTE expected[] = { 0x40, 0x01, 'a', 0x04, 0x01, 'b', 0x98, 0x01, 'x', 0x99, 0x01, '1' };
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    WS_XML_WRITER *writer = NULL;
    WS_XML_BUFFER *buffer = NULL;
    WS_HEAP *heap = NULL;
    void *bytes = NULL;
    ULONG count = 0;
    HRESULT hr;

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateXmlBuffer( heap, NULL, 0, &buffer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetOutputToBuffer( writer, buffer, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_utf8( writer, "x", 1 );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_utf8( writer, "1", 1 );
    end_element( writer );

    hr = WsWriteXmlBufferToBytes( writer, buffer, &enc.encoding, NULL, 0, heap, &bytes, &count, NULL );
    /* E_NOTIMPL in Wine's builtin. */
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( count == sizeof(expected) && !memcmp( bytes, expected, count ), "got %s\n", hex( bytes, count ) );

    WsFreeWriter( writer );
    WsFreeHeap( heap );
}

/* MultiByteInt31 ([MC-NBFX] 2.1.2) lengths: 7 bits a byte, least significant first. */
static void test_multibyte_lengths(void)
{
    static const ULONG lengths[] = { 127, 128, 16383, 16384 };
    static const BYTE encoded[][3] = { { 0x7f }, { 0x80, 0x01 }, { 0xff, 0x7f }, { 0x80, 0x80, 0x01 } };
    static const ULONG encoded_len[] = { 1, 2, 2, 3 };
    char *name = HeapAlloc( GetProcessHeap(), 0, 16384 );
    WS_XML_WRITER *writer = bin_writer( NULL );
    ULONG i;

    memset( name, 'n', 16384 );
    for (i = 0; i < ARRAYSIZE(lengths); i++)
    {
        WS_XML_STRING local = { lengths[i], (BYTE *)name, NULL, 0 };
        WS_BYTES bytes = { 0, NULL };
        HRESULT hr;

        winetest_push_context( "%lu", lengths[i] );
        set_binary_output( writer, NULL, NULL, NULL );
        start_element( writer, NULL, &local, &str_empty );
        end_element( writer );
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( bytes.length == 1 + encoded_len[i] + lengths[i] + 1, "got %lu bytes\n", bytes.length );
        if (bytes.length == 1 + encoded_len[i] + lengths[i] + 1)
        {
            ok( bytes.bytes[0] == 0x40, "got %#x\n", bytes.bytes[0] );
            ok( !memcmp( bytes.bytes + 1, encoded[i], encoded_len[i] ), "got %s\n",
                hex( bytes.bytes + 1, encoded_len[i] ) );
            ok( bytes.bytes[bytes.length - 1] == 0x01, "got %#x\n", bytes.bytes[bytes.length - 1] );
        }
        winetest_pop_context();
    }
    WsFreeWriter( writer );
    HeapFree( GetProcessHeap(), 0, name );
}

/* WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE applies to binary output as to text. */
static void test_quota(void)
{
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    WS_XML_STRING name = WS_XML_STRING_VALUE( "abcdefghijklmnopqrst" );
    ULONG max_size = 16;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max_size, sizeof(max_size) };
    WS_XML_WRITER *writer = NULL;
    HRESULT hr;

    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, &prop, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &name, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    /* Documented: WS_E_QUOTA_EXCEEDED; Wine's builtin enforces no quota (as in the writer tests). */
    todo_wine ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

/* Values the binary records cannot hold. */
static void test_invalid_values(void)
{
    WS_XML_DATETIME_TEXT dt = { { WS_XML_TEXT_TYPE_DATETIME } };
    WS_XML_WRITER *writer = bin_writer( NULL );
    HRESULT hr;

    /* WS_DATETIME: "ticks ... must be less than or equal to 0x2BCA2875F4373FFF". */
    dt.value.ticks = 0x2bca2875f4373fffULL;
    dt.value.format = WS_DATETIME_FORMAT_NONE;
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteText( writer, &dt.text, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );

    if (is_builtin())
    {
        skip( "Wine's builtin asserts on out-of-range ticks\n" );
        WsFreeWriter( writer );
        return;
    }
    set_binary_output( writer, NULL, NULL, NULL );
    dt.value.ticks++;
    start_element( writer, NULL, &str_a, &str_empty );
    hr = WsWriteText( writer, &dt.text, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

/* A SOAP 1.2 message with [MC-NBFS] dictionary strings, as WCF's binary encoder frames it:
 * <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">
 * <s:Header><a:Action s:mustUnderstand="1">urn:op</a:Action></s:Header><s:Body><doc>7</doc></s:Body></s:Envelope> */
static void test_soap_message(void)
{
    static const BYTE expected[] =
    {
        0x56, 0x02, 0x0b, 0x01, 's', 0x04, 0x0b, 0x01, 'a', 0x06,      /* s:Envelope xmlns:s xmlns:a */
        0x56, 0x08,                                                    /* s:Header */
        0x44, 0x0a, 0x1e, 0x00, 0x82,                                  /* a:Action s:mustUnderstand="1" */
        0x99, 0x06, 'u', 'r', 'n', ':', 'o', 'p',                      /* urn:op</a:Action> */
        0x01,                                                          /* </s:Header> */
        0x56, 0x0e,                                                    /* s:Body */
        0x40, 0x03, 'd', 'o', 'c', 0x89, 0x07,                         /* <doc>7</doc> */
        0x01, 0x01,                                                    /* </s:Body></s:Envelope> */
    };
    WS_XML_STRING addr = WS_XML_STRING_VALUE( "http://www.w3.org/2005/08/addressing" );
    WS_XML_STRING header = WS_XML_STRING_VALUE( "Header" ), action = WS_XML_STRING_VALUE( "Action" );
    WS_XML_STRING body = WS_XML_STRING_VALUE( "Body" );
    WS_XML_ATTRIBUTE xmlns_s = { FALSE, TRUE, &str_s, &str_s, &str_soap, NULL };
    WS_XML_ATTRIBUTE xmlns_a = { FALSE, TRUE, &str_a, &str_a, &addr, NULL };
    WS_XML_ATTRIBUTE *attrs[] = { &xmlns_s, &xmlns_a };
    WS_XML_ELEMENT_NODE envelope = { { WS_XML_NODE_TYPE_ELEMENT }, &str_s, &str_envelope, &str_soap, 2, attrs, FALSE };
    WS_XML_INT32_TEXT one = { { WS_XML_TEXT_TYPE_INT32 }, 1 }, seven = { { WS_XML_TEXT_TYPE_INT32 }, 7 };
    WS_XML_DICTIONARY *dict = static_dictionary();
    WS_XML_WRITER *writer = bin_writer( dict );
    HRESULT hr;

    hr = WsWriteNode( writer, &envelope.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, &str_s, &header, &str_soap );
    start_element( writer, &str_a, &action, &addr );
    write_attribute_value( writer, &str_s, &str_must, &str_soap, &one.text );
    write_utf8( writer, "urn:op", 6 );
    end_element( writer );
    end_element( writer );
    start_element( writer, &str_s, &body, &str_soap );
    start_element( writer, NULL, &str_doc, &str_empty );
    write_text( writer, &seven.text );
    end_element( writer );
    end_element( writer );
    end_element( writer );
    /* Wine's builtin recognises dictionary strings only by their WS_XML_STRING.dictionary. */
    check_bytes_todo_wine( writer, expected );
    WsFreeWriter( writer );

    /* The same with the strings of the dictionary WsGetDictionary returns. */
    if (dict)
    {
        writer = bin_writer( dict );
        xmlns_s.ns = &dict->strings[2];
        xmlns_a.ns = &dict->strings[3];
        envelope.localName = &dict->strings[1];
        envelope.ns = &dict->strings[2];
        hr = WsWriteNode( writer, &envelope.node, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        start_element( writer, &str_s, &dict->strings[4], &dict->strings[2] );
        start_element( writer, &str_a, &dict->strings[5], &dict->strings[3] );
        write_attribute_value( writer, &str_s, &dict->strings[0], &dict->strings[2], &one.text );
        write_utf8( writer, "urn:op", 6 );
        end_element( writer );
        end_element( writer );
        start_element( writer, &str_s, &dict->strings[7], &dict->strings[2] );
        start_element( writer, NULL, &str_doc, &str_empty );
        write_text( writer, &seven.text );
        end_element( writer );
        end_element( writer );
        end_element( writer );
        check_bytes( writer, expected );
        WsFreeWriter( writer );
    }
}

/* The same nodes through the binary writer, our binary reader and the text writer. */
static void test_round_trip(void)
{
    static const char expected[] = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"
                                   "<a b=\"-129\">1</a><a>hello</a><a>0.1</a><a>Envelope</a></s:Envelope>";
    WS_XML_READER_BINARY_ENCODING renc = { { WS_XML_READER_ENCODING_TYPE_BINARY } };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER } };
    WS_XML_DICTIONARY *dict = static_dictionary();
    WS_XML_WRITER *writer = bin_writer( dict ), *text_writer = NULL;
    WS_XML_READER *reader = NULL;
    WS_BYTES bytes = { 0, NULL }, out = { 0, NULL };
    WS_XML_INT32_TEXT one = { { WS_XML_TEXT_TYPE_INT32 }, 1 }, minus = { { WS_XML_TEXT_TYPE_INT32 }, -129 };
    WS_XML_DOUBLE_TEXT d = { { WS_XML_TEXT_TYPE_DOUBLE }, 0.1 };
    HRESULT hr;

    start_element( writer, &str_s, &str_envelope, &str_soap );
    start_element( writer, NULL, &str_a, &str_empty );
    write_attribute_value( writer, NULL, &str_b, &str_empty, &minus.text );
    write_text( writer, &one.text );
    end_element( writer );
    start_element( writer, NULL, &str_a, &str_empty );
    write_utf8( writer, "hello", 5 );
    end_element( writer );
    start_element( writer, NULL, &str_a, &str_empty );
    write_text( writer, &d.text );
    end_element( writer );
    start_element( writer, NULL, &str_a, &str_empty );
    write_utf8( writer, "Envelope", 8 );
    end_element( writer );
    end_element( writer );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    renc.staticDictionary = dict;
    input.encodedData = bytes.bytes;
    input.encodedDataSize = bytes.length;
    hr = WsSetInput( reader, &renc.encoding, &input.input, NULL, 0, NULL );
    if (hr == E_NOTIMPL)
    {
        skip( "no binary reader yet\n" );
        WsFreeReader( reader );
        WsFreeWriter( writer );
        return;
    }
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    hr = WsCreateWriter( NULL, 0, &text_writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetOutput( text_writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCopyNode( text_writer, reader, NULL );
    ok( hr == S_OK, "WsCopyNode: got %#lx\n", hr );
    hr = WsGetWriterProperty( text_writer, WS_XML_WRITER_PROPERTY_BYTES, &out, sizeof(out), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Wine's builtin reader turns the DoubleText 0.1 into ":E-2". */
    todo_wine ok( out.length == strlen( expected ) && !memcmp( out.bytes, expected, out.length ), "got %s\n",
        wine_dbgstr_an( (const char *)out.bytes, out.length ) );

    WsFreeWriter( text_writer );
    WsFreeReader( reader );
    WsFreeWriter( writer );
}

/* Arrays and typed values through our binary reader into the text writer. */
static void test_round_trip_values(void)
{
    static const char expected[] = "<r><i>1</i><i>2</i><b>true</b><u>18446744073709551615</u><f>1.5</f>"
                                   "<d>AQID</d><n>-32769</n></r>";
    WS_XML_READER_BINARY_ENCODING renc = { { WS_XML_READER_ENCODING_TYPE_BINARY } };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER } };
    WS_XML_STRING r = WS_XML_STRING_VALUE( "r" ), i = WS_XML_STRING_VALUE( "i" ), u = WS_XML_STRING_VALUE( "u" );
    WS_XML_STRING f = WS_XML_STRING_VALUE( "f" ), d = WS_XML_STRING_VALUE( "d" ), n = WS_XML_STRING_VALUE( "n" );
    WS_XML_WRITER *writer = bin_writer( NULL ), *text_writer = NULL;
    WS_XML_READER *reader = NULL;
    WS_BYTES bytes = { 0, NULL }, out = { 0, NULL };
    int ints[] = { 1, 2 }, neg = -32769;
    BOOL bval = TRUE;
    ULONGLONG u64 = ~0ULL;
    float fval = 1.5f;
    static const BYTE raw[] = { 1, 2, 3 };
    HRESULT hr;

    start_element( writer, NULL, &r, &str_empty );
    hr = WsWriteArray( writer, &i, &str_empty, WS_INT32_VALUE_TYPE, ints, sizeof(ints), 0, 2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    start_element( writer, NULL, &str_b, &str_empty );
    write_value( writer, WS_BOOL_VALUE_TYPE, &bval, sizeof(bval) );
    end_element( writer );
    start_element( writer, NULL, &u, &str_empty );
    write_value( writer, WS_UINT64_VALUE_TYPE, &u64, sizeof(u64) );
    end_element( writer );
    start_element( writer, NULL, &f, &str_empty );
    hr = WsWriteValue( writer, WS_FLOAT_VALUE_TYPE, &fval, sizeof(fval), NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );   /* E_NOTIMPL in Wine's builtin */
    end_element( writer );
    start_element( writer, NULL, &d, &str_empty );
    hr = WsWriteBytes( writer, raw, sizeof(raw), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    end_element( writer );
    start_element( writer, NULL, &n, &str_empty );
    write_value( writer, WS_INT32_VALUE_TYPE, &neg, sizeof(neg) );
    end_element( writer );
    end_element( writer );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    input.encodedData = bytes.bytes;
    input.encodedDataSize = bytes.length;
    hr = WsSetInput( reader, &renc.encoding, &input.input, NULL, 0, NULL );
    if (hr == E_NOTIMPL)
    {
        skip( "no binary reader yet\n" );
        WsFreeReader( reader );
        WsFreeWriter( writer );
        return;
    }
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    hr = WsCreateWriter( NULL, 0, &text_writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetOutput( text_writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCopyNode( text_writer, reader, NULL );
    ok( hr == S_OK, "WsCopyNode: got %#lx\n", hr );
    hr = WsGetWriterProperty( text_writer, WS_XML_WRITER_PROPERTY_BYTES, &out, sizeof(out), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* (Wine's builtin writes no float, so its document has <f></f>.) */
    todo_wine_if( is_builtin() )
    ok( out.length == strlen( expected ) && !memcmp( out.bytes, expected, out.length ), "got %s\n",
        wine_dbgstr_an( (const char *)out.bytes, out.length ) );

    WsFreeWriter( text_writer );
    WsFreeReader( reader );
    WsFreeWriter( writer );
}

START_TEST(binwrite)
{
    trace( "platform %s\n", is_builtin() ? "builtin" : "ours" );
    test_static_dictionary();
    test_elements();
    test_attributes();
    test_attribute_bytes();
    test_text_records();
    test_lengths();
    test_values();
    test_with_end_element();
    test_dictionary_text();
    test_custom_dictionary();
    test_dynamic_strings();
    test_arrays();
    test_stream();
    test_properties();
    test_xml_buffer_to_bytes();
    test_multibyte_lengths();
    test_quota();
    test_invalid_values();
    test_soap_message();
    test_round_trip();
    test_round_trip_values();
}
