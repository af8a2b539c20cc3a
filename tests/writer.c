/*
 * Tests for the XML writer (WS_XML_WRITER) and XML buffers (WS_XML_BUFFER).
 *
 * Expected values come from Microsoft's documentation (WsCreateWriter,
 * WS_XML_WRITER_PROPERTY_ID, WsWriteStartElement, WsWriteXmlnsAttribute,
 * WsGetPrefixFromNamespace, WsMoveWriter, WsRemoveNode, WsSetOutput...) and
 * XML 1.0 (escaping).  Where Wine's builtin disagrees, the comment next to
 * the check says why the documented behaviour is the one tested.
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

static const WS_XML_WRITER_TEXT_ENCODING utf8_encoding = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
static const WS_XML_WRITER_BUFFER_OUTPUT buffer_output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };

static WS_XML_STRING str_a = WS_XML_STRING_VALUE( "a" );
static WS_XML_STRING str_b = WS_XML_STRING_VALUE( "b" );
static WS_XML_STRING str_c = WS_XML_STRING_VALUE( "c" );
static WS_XML_STRING str_p = WS_XML_STRING_VALUE( "p" );
static WS_XML_STRING str_q = WS_XML_STRING_VALUE( "q" );
static WS_XML_STRING str_ns = WS_XML_STRING_VALUE( "ns" );
static WS_XML_STRING str_ns2 = WS_XML_STRING_VALUE( "ns2" );
static WS_XML_STRING str_empty = WS_XML_STRING_VALUE( "" );
static WS_XML_STRING str_lang = WS_XML_STRING_VALUE( "lang" );
static WS_XML_STRING str_xmlns_uri = WS_XML_STRING_VALUE( "http://www.w3.org/XML/1998/namespace" );

static BOOL is_builtin(void)
{
    return !strcmp( winetest_platform, "wine" );
}

static WS_XML_WRITER *create_writer( const WS_XML_WRITER_PROPERTY *props, ULONG count )
{
    WS_XML_WRITER *writer = NULL;
    HRESULT hr = WsCreateWriter( props, count, &writer, NULL );
    ok( hr == S_OK, "WsCreateWriter: got %#lx\n", hr );
    return writer;
}

static WS_XML_WRITER *create_buffer_writer(void)
{
    WS_XML_WRITER *writer = create_writer( NULL, 0 );
    HRESULT hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    return writer;
}

#define check_output(writer, expected) check_output_( __LINE__, writer, expected, -1, FALSE )
#define check_output_len(writer, expected, len) check_output_( __LINE__, writer, expected, len, FALSE )
#define check_output_todo_wine(writer, expected) check_output_( __LINE__, writer, expected, -1, TRUE )
static void check_output_( unsigned line, WS_XML_WRITER *writer, const char *expected, int len, BOOL todo )
{
    WS_BYTES bytes = { 0, NULL };
    HRESULT hr;

    if (len < 0) len = strlen( expected );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok_(__FILE__, line)( hr == S_OK, "WS_XML_WRITER_PROPERTY_BYTES: got %#lx\n", hr );
    todo_wine_if( todo ) ok_(__FILE__, line)( bytes.length == (ULONG)len && (!len || !memcmp( bytes.bytes, expected, len )),
                         "got %lu bytes %s, expected %s\n", bytes.length,
                         wine_dbgstr_an( (const char *)bytes.bytes, bytes.length ), wine_dbgstr_an( expected, len ) );
}

static void write_text_utf8( WS_XML_WRITER *writer, const char *text )
{
    WS_XML_UTF8_TEXT utf8;
    HRESULT hr;

    memset( &utf8, 0, sizeof(utf8) );
    utf8.text.textType = WS_XML_TEXT_TYPE_UTF8;
    utf8.value.bytes = (BYTE *)text;
    utf8.value.length = strlen( text );
    hr = WsWriteText( writer, &utf8.text, NULL );
    ok( hr == S_OK, "WsWriteText %s: got %#lx\n", text, hr );
}

static void test_WsCreateWriter(void)
{
    WS_XML_WRITER_PROPERTY prop;
    WS_XML_WRITER *writer;
    ULONG value, max_depth = 16;
    HRESULT hr;

    hr = WsCreateWriter( NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    writer = NULL;
    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( writer != NULL, "writer not set\n" );

    /* No output yet: "any attempt to write to it will fail" (WsSetOutput);
     * the code is not documented.  We say WS_E_INVALID_OPERATION (the
     * writer's state does not allow it), Wine's builtin WS_E_INVALID_FORMAT. */
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_ns, NULL );
    ok( FAILED(hr), "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( FAILED(hr), "got %#lx\n", hr );
    WsFreeWriter( writer );

    prop.id = WS_XML_WRITER_PROPERTY_MAX_DEPTH;
    prop.value = &max_depth;
    prop.valueSize = sizeof(max_depth);
    writer = NULL;
    hr = WsCreateWriter( &prop, 1, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Nothing restricts WsGetWriterProperty to a writer with an output;
     * Wine's builtin says WS_E_INVALID_OPERATION until WsSetOutput. */
    value = 0xdeadbeef;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_MAX_DEPTH, &value, sizeof(value), NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( value == 16, "got %lu\n", value );
    WsFreeWriter( writer );

    /* Wrong size, unknown id, read-only property. */
    prop.valueSize = 2;
    hr = WsCreateWriter( &prop, 1, &writer, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    prop.id = 0x1000;
    prop.valueSize = sizeof(max_depth);
    hr = WsCreateWriter( &prop, 1, &writer, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    if (!is_builtin())   /* Wine's builtin crashes */
    {
        hr = WsCreateWriter( NULL, 1, &writer, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    WsFreeWriter( NULL );
}

static void test_WsGetWriterProperty(void)
{
    WS_XML_WRITER *writer = create_writer( NULL, 0 );
    ULONG ulong_value;
    BOOL bool_value;
    WS_CHARSET charset;
    WS_BUFFERS buffers;
    HRESULT hr;
    static const struct { WS_XML_WRITER_PROPERTY_ID id; ULONG expected; } ulong_defaults[] =
    {
        { WS_XML_WRITER_PROPERTY_MAX_DEPTH, 32 },
        { WS_XML_WRITER_PROPERTY_MAX_ATTRIBUTES, 128 },
        { WS_XML_WRITER_PROPERTY_INDENT, 0 },
        { WS_XML_WRITER_PROPERTY_BUFFER_TRIM_SIZE, 4096 },
        { WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE, 65536 },
        { WS_XML_WRITER_PROPERTY_MAX_NAMESPACES, 32 },
    };
    static const WS_XML_WRITER_PROPERTY_ID bool_defaults[] =
    {
        WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT, WS_XML_WRITER_PROPERTY_WRITE_DECLARATION,
        WS_XML_WRITER_PROPERTY_ALLOW_INVALID_CHARACTER_REFERENCES, WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS,
        WS_XML_WRITER_PROPERTY_EMIT_UNCOMPRESSED_EMPTY_ELEMENTS,
    };
    ULONG i;

    /* Wine's builtin reads properties only once an output is set. */
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    for (i = 0; i < ARRAY_SIZE(ulong_defaults); i++)
    {
        winetest_push_context( "property %d", ulong_defaults[i].id );
        ulong_value = 0xdeadbeef;
        hr = WsGetWriterProperty( writer, ulong_defaults[i].id, &ulong_value, sizeof(ulong_value), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( ulong_value == ulong_defaults[i].expected, "got %lu\n", ulong_value );
        /* Sizes are exact. */
        hr = WsGetWriterProperty( writer, ulong_defaults[i].id, &ulong_value, sizeof(ulong_value) + 1, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        winetest_pop_context();
    }
    for (i = 0; i < ARRAY_SIZE(bool_defaults); i++)
    {
        winetest_push_context( "property %d", bool_defaults[i] );
        bool_value = 0xdeadbeef;
        hr = WsGetWriterProperty( writer, bool_defaults[i], &bool_value, sizeof(bool_value), NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( bool_value == FALSE, "got %d\n", bool_value );
        winetest_pop_context();
    }

    /* BUFFER_MAX_SIZE: the documentation gives no default; any value is fine
     * as long as it can be read. */
    ulong_value = 0;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &ulong_value, sizeof(ulong_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ulong_value != 0, "got %lu\n", ulong_value );

    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_IN_ATTRIBUTE, &bool_value, sizeof(bool_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !bool_value, "got %d\n", bool_value );

    hr = WsGetWriterProperty( writer, 0x1000, &ulong_value, sizeof(ulong_value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    if (!is_builtin())   /* Wine's builtin crashes */
    {
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_MAX_DEPTH, NULL, sizeof(ulong_value), NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    hr = WsGetWriterProperty( NULL, WS_XML_WRITER_PROPERTY_MAX_DEPTH, &ulong_value, sizeof(ulong_value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    charset = 0xdeadbeef;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_CHARSET, &charset, sizeof(charset), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( charset == WS_CHARSET_UTF8, "got %d\n", charset );

    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &buffers, 0, sizeof(buffers) );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BUFFERS, &buffers, sizeof(buffers), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( buffers.bufferCount == 1, "got %lu\n", buffers.bufferCount );
    ok( buffers.buffers && buffers.buffers[0].length == 4 && !memcmp( buffers.buffers[0].bytes, "<a/>", 4 ),
        "wrong buffers\n" );
    ulong_value = 0;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES_WRITTEN, &ulong_value, sizeof(ulong_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* "the number of bytes that have been written"; Wine's builtin says 0. */
    todo_wine ok( ulong_value == 4, "got %lu\n", ulong_value );
    check_output( writer, "<a/>" );

    /* Open elements: BYTES_TO_CLOSE covers at least "</a></b>". */
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "x" );
    ulong_value = 0;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES_TO_CLOSE, &ulong_value, sizeof(ulong_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* "the maximum number of bytes necessary to close any open elements"; Wine's builtin says 0. */
    todo_wine ok( ulong_value >= 8, "got %lu\n", ulong_value );

    hr = WsWriteStartAttribute( writer, NULL, &str_a, &str_empty, FALSE, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeWriter( writer );

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    bool_value = FALSE;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_IN_ATTRIBUTE, &bool_value, sizeof(bool_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Documented as TRUE after WsWriteStartAttribute; Wine's builtin says FALSE. */
    todo_wine ok( bool_value == TRUE, "got %d\n", bool_value );
    WsFreeWriter( writer );
}

static void test_simple_documents(void)
{
    WS_XML_WRITER *writer;
    HRESULT hr;

    /* An element with no content is written as an empty element. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "" );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a/>" );
    /* No open element: the state does not allow it (Wine's builtin says WS_E_INVALID_FORMAT). */
    hr = WsWriteEndElement( writer, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* Nested elements and text. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "text" );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_c, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "tail" );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a><b>text</b><c/>tail</a>" );
    WsFreeWriter( writer );

    /* WsWriteEndStartElement: the start tag is closed, the element is not empty. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndStartElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a>" );
    hr = WsWriteEndStartElement( writer, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a></a>" );
    WsFreeWriter( writer );
}

static void test_namespaces(void)
{
    WS_XML_WRITER *writer;
    HRESULT hr;

    /* Prefix given, namespace not in scope: declared. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &str_p, &str_b, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<p:a xmlns:p=\"ns\"><p:b/></p:a>" );
    WsFreeWriter( writer );

    /* Empty prefix: default namespace. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_empty, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* No namespace inside a default namespace: undeclared with xmlns="". */
    hr = WsWriteStartElement( writer, NULL, &str_c, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Without xmlns="" <c> would be in "ns"; Wine's builtin leaves it out. */
    check_output_todo_wine( writer, "<a xmlns=\"ns\"><b/><c xmlns=\"\"/></a>" );
    WsFreeWriter( writer );

    /* NULL prefix with a namespace out of scope: "the writer ... may generate
     * a prefix and include an XMLNS attribute"; for an element the default
     * namespace serves (Wine's builtin agrees). */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a xmlns=\"ns\"/>" );
    WsFreeWriter( writer );

    /* NULL prefix with a namespace in scope: "the Writer will use a prefix in
     * scope that is bound to the specified namespace".  Wine's builtin
     * redeclares it as the default namespace. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &str_empty, &str_b, &str_ns2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_c, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_todo_wine( writer, "<p:a xmlns:p=\"ns\"><b xmlns=\"ns2\"><p:c/></b></p:a>" );
    WsFreeWriter( writer );

    /* The same prefix for another namespace overrides it. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &str_p, &str_b, &str_ns2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<p:a xmlns:p=\"ns\"><p:b xmlns:p=\"ns2\"/></p:a>" );
    WsFreeWriter( writer );

    /* "If a non-empty prefix is specified with an empty namespace WS_E_INVALID_FORMAT is returned." */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_empty, NULL );
    todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* Attributes: no namespace, a prefixed namespace, the xml prefix, both quote styles. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "1" );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_c, &str_empty, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "2" );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, &str_p, &str_a, &str_ns, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_lang, &str_xmlns_uri, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "en" );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Declarations the writer adds follow the attributes.  The xml prefix is
     * bound implicitly (XML namespaces); Wine's builtin writes lang="en" with
     * a default namespace declaration instead. */
    check_output_todo_wine( writer, "<a b=\"1\" c='2' p:a=\"\" xml:lang=\"en\" xmlns:p=\"ns\"/>" );
    WsFreeWriter( writer );

    /* xmlns attributes: explicit, redundant (not written), default. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_p, &str_ns, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_q, &str_ns2, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* p is bound on this element already: a second binding would make the
     * start tag malformed (XML namespaces: one binding per prefix per
     * element).  Wine's builtin accepts it. */
    hr = WsWriteXmlnsAttribute( writer, &str_p, &str_ns2, FALSE, NULL );
    todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    WsFreeWriter( writer );

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_q, &str_ns2, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_empty, &str_ns2, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Documented; Wine's builtin accepts it. */
    hr = WsWriteXmlnsAttribute( writer, &str_q, &str_empty, FALSE, NULL );
    todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* A NULL prefix: redundant when the namespace is in scope, otherwise the
     * writer chooses a prefix. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndStartElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &str_p, &str_b, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, NULL, &str_ns, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* "If the Xmlns attribute is redundant it cannot be written"; Wine's
     * builtin declares the default namespace. */
    check_output_todo_wine( writer, "<p:a xmlns:p=\"ns\"><p:b/></p:a>" );
    WsFreeWriter( writer );

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_q, &str_ns2, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &str_q, &str_b, &str_ns2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_q, &str_ns2, FALSE, NULL );  /* redundant */
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<p:a xmlns:q='ns2' xmlns:p=\"ns\"><q:b/></p:a>" );
    WsFreeWriter( writer );
}

static void test_WsGetPrefixFromNamespace(void)
{
    WS_XML_WRITER *writer = create_buffer_writer();
    const WS_XML_STRING *prefix;
    HRESULT hr;

    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndStartElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    prefix = NULL;
    hr = WsGetPrefixFromNamespace( writer, &str_ns, TRUE, &prefix, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( prefix && prefix->length == 1 && prefix->bytes[0] == 'p', "wrong prefix\n" );

    prefix = (const WS_XML_STRING *)0xdeadbeef;
    hr = WsGetPrefixFromNamespace( writer, &str_ns2, FALSE, &prefix, NULL );
    ok( hr == S_FALSE, "got %#lx\n", hr );
    ok( prefix == NULL, "got %p\n", prefix );
    hr = WsGetPrefixFromNamespace( writer, &str_ns2, TRUE, &prefix, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* "For the namespace http://www.w3.org/XML/1998/namespace it will return
     * the prefix xml."  Wine's builtin does not. */
    prefix = NULL;
    hr = WsGetPrefixFromNamespace( writer, &str_xmlns_uri, TRUE, &prefix, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( prefix && prefix->length == 3 && !memcmp( prefix->bytes, "xml", 3 ), "wrong prefix\n" );

    hr = WsGetPrefixFromNamespace( writer, NULL, TRUE, &prefix, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetPrefixFromNamespace( writer, &str_ns, TRUE, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetPrefixFromNamespace( NULL, &str_ns, TRUE, &prefix, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

static void test_escaping(void)
{
    WS_XML_WRITER *writer;
    HRESULT hr;

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "<&>\"'\t\n\r" );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_c, &str_empty, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "\"'" );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "<&>\"'\t\n\r" );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* XML 1.0 normalizes literal tab, newline and carriage return in attribute
     * values (3.3.3) and carriage returns in content (2.11): written as
     * character references they survive a round trip.  Wine's builtin writes
     * them as they are. */
    check_output_todo_wine( writer, "<a b=\"&lt;&amp;>&quot;'&#x9;&#xA;&#xD;\" c='\"&apos;'>&lt;&amp;&gt;\"'\t\n&#xD;</a>" );
    WsFreeWriter( writer );
}

static void test_cdata_comment(void)
{
    WS_XML_COMMENT_NODE comment = { { WS_XML_NODE_TYPE_COMMENT }, WS_XML_STRING_VALUE( " c " ) };
    WS_XML_WRITER *writer;
    HRESULT hr;

    writer = create_buffer_writer();
    /* CDATA is element content; Wine's builtin writes it at the top level too. */
    hr = WsWriteStartCData( writer, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeWriter( writer );

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndCData( writer, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsWriteStartCData( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "<&>" );
    hr = WsWriteEndCData( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteNode( writer, &comment.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a><![CDATA[<&>]]><!-- c --></a>" );
    WsFreeWriter( writer );
}

static void test_text_types(void)
{
    static const BYTE base64_bytes[] = { 'a', 'b', 'c', 'd' };
    static const WCHAR utf16_chars[] = L"t\x00e9st";
    WS_XML_UTF16_TEXT utf16 = { { WS_XML_TEXT_TYPE_UTF16 }, (BYTE *)utf16_chars, 8 };
    WS_XML_BASE64_TEXT base64 = { { WS_XML_TEXT_TYPE_BASE64 }, (BYTE *)base64_bytes, 4 };
    WS_XML_BOOL_TEXT bool_text = { { WS_XML_TEXT_TYPE_BOOL }, TRUE };
    WS_XML_INT32_TEXT int32_text = { { WS_XML_TEXT_TYPE_INT32 }, -2147483647 - 1 };
    WS_XML_INT64_TEXT int64_text = { { WS_XML_TEXT_TYPE_INT64 }, -1 };
    WS_XML_UINT64_TEXT uint64_text = { { WS_XML_TEXT_TYPE_UINT64 }, ~(ULONGLONG)0 };
    WS_XML_FLOAT_TEXT float_text = { { WS_XML_TEXT_TYPE_FLOAT }, 0.25f };
    WS_XML_DOUBLE_TEXT double_text = { { WS_XML_TEXT_TYPE_DOUBLE }, -1.5 };
    WS_XML_DECIMAL_TEXT decimal_text = { { WS_XML_TEXT_TYPE_DECIMAL }, { 0 } };
    WS_XML_GUID_TEXT guid_text = { { WS_XML_TEXT_TYPE_GUID },
                                   { 0x01234567, 0x89ab, 0xcdef, { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef } } };
    WS_XML_UNIQUE_ID_TEXT unique_id_text = { { WS_XML_TEXT_TYPE_UNIQUE_ID },
                                   { 0x01234567, 0x89ab, 0xcdef, { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef } } };
    WS_XML_DATETIME_TEXT datetime_text = { { WS_XML_TEXT_TYPE_DATETIME }, { 0, WS_DATETIME_FORMAT_UTC } };
    WS_XML_TIMESPAN_TEXT timespan_text = { { WS_XML_TEXT_TYPE_TIMESPAN }, { 10000000 } };
    WS_XML_INT32_TEXT item1 = { { WS_XML_TEXT_TYPE_INT32 }, 1 }, item2 = { { WS_XML_TEXT_TYPE_INT32 }, 2 };
    WS_XML_TEXT *items[] = { &item1.text, &item2.text };
    WS_XML_LIST_TEXT list_text = { { WS_XML_TEXT_TYPE_LIST }, 2, items };
    const struct { const WS_XML_TEXT *text; const char *expected; BOOL todo; } tests[] =
    {
        /* Wine's builtin has no float nor decimal texts. */
        { &float_text.text, "<a>0.25</a>", TRUE },
        { &double_text.text, "<a>-1.5</a>", FALSE },
        { &decimal_text.text, "<a>0</a>", TRUE },
        { &guid_text.text, "<a>01234567-89ab-cdef-0123-456789abcdef</a>", FALSE },
        { &unique_id_text.text, "<a>urn:uuid:01234567-89ab-cdef-0123-456789abcdef</a>", FALSE },
        { &datetime_text.text, "<a>0001-01-01T00:00:00Z</a>", FALSE },
        /* "[+|-][d?.]HH:mm:ss[.fffffff]" (WS_XML_TIMESPAN_TEXT); Wine's builtin
         * has no timespan nor list texts. */
        { &timespan_text.text, "<a>00:00:01</a>", TRUE },
        { &list_text.text, "<a>1 2</a>", TRUE },
        { &utf16.text, "<a>t\xc3\xa9st</a>", FALSE },
        { &base64.text, "<a>YWJjZA==</a>", FALSE },
        { &bool_text.text, "<a>true</a>", FALSE },
        { &int32_text.text, "<a>-2147483648</a>", FALSE },
        { &int64_text.text, "<a>-1</a>", FALSE },
        { &uint64_text.text, "<a>18446744073709551615</a>", FALSE },
    };
    WS_XML_WRITER *writer;
    ULONG i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "test %lu", i );
        writer = create_buffer_writer();
        hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsWriteText( writer, tests[i].text, NULL );
        todo_wine_if( tests[i].todo ) ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsWriteEndElement( writer, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        check_output_( __LINE__, writer, tests[i].expected, -1, tests[i].todo );
        WsFreeWriter( writer );
        winetest_pop_context();
    }

    writer = create_buffer_writer();
    hr = WsWriteText( writer, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

static void test_WsWriteValue(void)
{
    BOOL bool_value = FALSE;
    INT32 int32_value = -42;
    UINT64 uint64_value = 1234567890123ULL;
    WS_XML_WRITER *writer;
    HRESULT hr;

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteValue( writer, WS_INT32_VALUE_TYPE, &int32_value, sizeof(int32_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteValue( writer, WS_BOOL_VALUE_TYPE, &bool_value, sizeof(bool_value), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* WS_UINT64_VALUE_TYPE is a documented value type; Wine's builtin refuses it. */
    hr = WsWriteValue( writer, WS_UINT64_VALUE_TYPE, &uint64_value, sizeof(uint64_value), NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_todo_wine( writer, "<a b=\"-42\">false1234567890123</a>" );

    hr = WsWriteValue( writer, WS_INT32_VALUE_TYPE, NULL, sizeof(int32_value), NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* More value types, each in its own element. */
    {
        static const GUID guid = { 0x01234567, 0x89ab, 0xcdef, { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef } };
        double dbl = 2.5;
        INT8 int8 = -128;
        UINT16 uint16 = 65535;
        WS_DATETIME datetime = { 0, WS_DATETIME_FORMAT_UTC };
        const struct { WS_VALUE_TYPE type; const void *value; ULONG size; const char *expected; } values[] =
        {
            { WS_DOUBLE_VALUE_TYPE, &dbl, sizeof(dbl), "<a>2.5</a>" },
            { WS_INT8_VALUE_TYPE, &int8, sizeof(int8), "<a>-128</a>" },
            { WS_UINT16_VALUE_TYPE, &uint16, sizeof(uint16), "<a>65535</a>" },
            { WS_GUID_VALUE_TYPE, &guid, sizeof(guid), "<a>01234567-89ab-cdef-0123-456789abcdef</a>" },
            { WS_DATETIME_VALUE_TYPE, &datetime, sizeof(datetime), "<a>0001-01-01T00:00:00Z</a>" },
        };
        ULONG i;

        for (i = 0; i < ARRAY_SIZE(values); i++)
        {
            winetest_push_context( "value %lu", i );
            writer = create_buffer_writer();
            hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            hr = WsWriteValue( writer, values[i].type, values[i].value, values[i].size, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            hr = WsWriteEndElement( writer, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            check_output( writer, values[i].expected );
            /* The size must be the type's: an invalid argument (E_INVALIDARG,
             * documented); Wine's builtin says WS_E_INVALID_FORMAT for most types. */
            hr = WsWriteValue( writer, values[i].type, values[i].value, values[i].size + 1, NULL );
            todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
            WsFreeWriter( writer );
            winetest_pop_context();
        }
    }
}

static void test_WsWriteBytes(void)
{
    static const BYTE bytes[] = { 0, 1, 2, 3, 4, 5, 6 };
    WS_XML_WRITER *writer;
    HRESULT hr;

    /* Consecutive calls form one base64 text. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteBytes( writer, bytes, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteBytes( writer, bytes + 1, 6, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* One base64 text, not one per call: WsPushBytes and WsPullBytes hand
     * the data over in arbitrary chunks, and the reader decodes the content
     * as a whole.  Wine's builtin pads each call. */
    check_output_todo_wine( writer, "<a>AAECAwQFBg==</a>" );

    if (!is_builtin())   /* Wine's builtin crashes */
    {
        hr = WsWriteBytes( writer, NULL, 1, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    WsFreeWriter( writer );
}

static void test_WsWriteChars(void)
{
    static const BYTE utf8[] = "caf\xc3\xa9";
    WS_XML_WRITER *writer;
    HRESULT hr;

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteChars( writer, L"x<y", 3, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteCharsUtf8( writer, utf8, 5, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a>x&lt;ycaf\xc3\xa9</a>" );
    WsFreeWriter( writer );
}

static void test_WsWriteQualifiedName(void)
{
    WS_XML_WRITER *writer = create_buffer_writer();
    HRESULT hr;

    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndStartElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* A NULL prefix: the one bound to ns in scope is used (as for
     * WsWriteStartElement); Wine's builtin requires a prefix. */
    hr = WsWriteQualifiedName( writer, NULL, &str_b, &str_ns, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_todo_wine( writer, "<p:a xmlns:p=\"ns\">p:b</p:a>" );
    WsFreeWriter( writer );
}

static void test_WsWriteArray(void)
{
    static const INT32 values[] = { 1, -2, 3 };
    WS_XML_WRITER *writer = create_buffer_writer();
    HRESULT hr;

    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* "itemOffset: the item offset within the array to write; itemCount: the
     * total number of items to write": items 1 and 2.  Wine's builtin writes
     * one item. */
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_INT32_VALUE_TYPE, values, sizeof(values), 1, 2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_INT32_VALUE_TYPE, values, sizeof(values), 2, 2, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsWriteArray( writer, &str_b, &str_empty, WS_INT32_VALUE_TYPE, NULL, 0, 0, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_todo_wine( writer, "<a><b>-2</b><b>3</b></a>" );
    WsFreeWriter( writer );
}

static void test_errors(void)
{
    WS_XML_WRITER_PROPERTY prop;
    WS_XML_WRITER *writer;
    ULONG value;
    HRESULT hr;

    writer = create_buffer_writer();
    hr = WsWriteStartElement( NULL, NULL, &str_a, &str_empty, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, NULL, &str_empty, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* Calls in the wrong state: WS_E_INVALID_OPERATION ("the operation is not
     * allowed due to the current state of the object"); Wine's builtin
     * returns WS_E_INVALID_FORMAT for some. */
    hr = WsWriteEndAttribute( writer, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_a, &str_empty, FALSE, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsWriteXmlnsAttribute( writer, &str_p, &str_ns, FALSE, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );

    /* The writer stays usable after argument and state errors. */
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_c, &str_empty, FALSE, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* Quotas (documented: WS_E_QUOTA_EXCEEDED); Wine's builtin enforces none. */
    /* Quotas: depth. */
    value = 1;
    prop.id = WS_XML_WRITER_PROPERTY_MAX_DEPTH;
    prop.value = &value;
    prop.valueSize = sizeof(value);
    writer = create_writer( &prop, 1 );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    todo_wine ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* Quotas: attributes. */
    value = 1;
    prop.id = WS_XML_WRITER_PROPERTY_MAX_ATTRIBUTES;
    writer = create_writer( &prop, 1 );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_c, &str_empty, FALSE, NULL );
    todo_wine ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* Quotas: buffer size. */
    value = 8;
    prop.id = WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE;
    writer = create_writer( NULL, 0 );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, &prop, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "1234" );
    hr = WsWriteCharsUtf8( writer, (const BYTE *)"12345678", 8, NULL );
    todo_wine ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeWriter( writer );

    /* A failure other than an argument or state error faults the writer:
     * "further calls to the Writer return WS_E_OBJECT_FAULTED" until
     * WsSetOutput; the failure explains itself in the WS_ERROR. */
    {
        WS_ERROR *error;
        ULONG count = 0;

        hr = WsCreateError( NULL, 0, &error );
        ok( hr == S_OK, "got %#lx\n", hr );
        writer = create_buffer_writer();
        hr = WsWriteStartElement( writer, &str_p, &str_a, &str_empty, error );
        todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
        hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
        ok( hr == S_OK, "got %#lx\n", hr );
        todo_wine ok( count == 1, "got %lu strings\n", count );
        hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
        todo_wine ok( hr == WS_E_OBJECT_FAULTED, "got %#lx\n", hr );
        hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsWriteEndElement( writer, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        check_output( writer, "<b/>" );
        WsFreeWriter( writer );
        WsFreeError( error );
    }

    /* Fragments are not allowed by default (ALLOW_FRAGMENT: "whether the
     * writer will permit multiple elements and non-white space at the top
     * level"); Wine's builtin does not check. */
    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeWriter( writer );

    value = TRUE;
    prop.id = WS_XML_WRITER_PROPERTY_ALLOW_FRAGMENT;
    writer = create_writer( &prop, 1 );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Non-white space at the top level is what ALLOW_FRAGMENT permits; Wine's builtin refuses it. */
    hr = WsWriteCharsUtf8( writer, (const BYTE *)"x", 1, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_todo_wine( writer, "x<a/><b/>" );
    WsFreeWriter( writer );
}

static void test_declaration_and_utf16(void)
{
    static const WS_XML_WRITER_TEXT_ENCODING utf16le = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF16LE };
    static const WS_XML_WRITER_TEXT_ENCODING utf16be = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF16BE };
    WS_XML_WRITER_PROPERTY prop;
    WS_XML_WRITER *writer;
    WS_CHARSET charset;
    BOOL decl = TRUE;
    HRESULT hr;

    prop.id = WS_XML_WRITER_PROPERTY_WRITE_DECLARATION;
    prop.value = &decl;
    prop.valueSize = sizeof(decl);
    writer = create_writer( &prop, 1 );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* WRITE_DECLARATION: "emit an appropriate xml declaration"; Wine's builtin does not. */
    check_output_todo_wine( writer, "<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>" );
    WsFreeWriter( writer );

    /* EMIT_UNCOMPRESSED_EMPTY_ELEMENTS: "<emptyElement></emptyElement>"; Wine's builtin ignores it. */
    prop.id = WS_XML_WRITER_PROPERTY_EMIT_UNCOMPRESSED_EMPTY_ELEMENTS;
    writer = create_writer( NULL, 0 );
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, &prop, 1, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_todo_wine( writer, "<a></a>" );
    WsFreeWriter( writer );

    writer = create_writer( NULL, 0 );
    hr = WsSetOutput( writer, &utf16le.encoding, &buffer_output.output, NULL, 0, NULL );
    /* WS_CHARSET_UTF16LE/BE are documented text charsets; Wine's builtin has only UTF-8. */
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK)
    {
        WsFreeWriter( writer );
        return;
    }
    charset = 0;
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_CHARSET, &charset, sizeof(charset), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( charset == WS_CHARSET_UTF16LE, "got %d\n", charset );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_len( writer, "<\0a\0/\0>\0", 8 );

    hr = WsSetOutput( writer, &utf16be.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output_len( writer, "\0<\0a\0/\0>", 8 );
    WsFreeWriter( writer );
}

struct stream_state
{
    char data[256];
    ULONG len;
    ULONG calls;
};

static HRESULT CALLBACK stream_write( void *state, const WS_BYTES *buffers, ULONG count,
                                      const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct stream_state *s = state;
    (void)ctx; (void)error;
    ULONG i;

    s->calls++;
    for (i = 0; i < count; i++)
    {
        memcpy( s->data + s->len, buffers[i].bytes, buffers[i].length );
        s->len += buffers[i].length;
    }
    return S_OK;
}

static void test_stream_output(void)
{
    WS_XML_WRITER_STREAM_OUTPUT output;
    struct stream_state state;
    WS_XML_WRITER *writer = create_writer( NULL, 0 );
    WS_BYTES bytes;
    HRESULT hr;

    memset( &state, 0, sizeof(state) );
    memset( &output, 0, sizeof(output) );
    output.output.outputType = WS_XML_WRITER_OUTPUT_TYPE_STREAM;
    output.writeCallback = stream_write;
    output.writeCallbackState = &state;
    hr = WsSetOutput( writer, &utf8_encoding.encoding, &output.output, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !state.calls, "callback called %lu times before the flush\n", state.calls );
    /* Not enough bytes for minSize: nothing is written. */
    hr = WsFlushWriter( writer, 100, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !state.calls, "callback called %lu times\n", state.calls );
    hr = WsFlushWriter( writer, 0, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( state.calls == 1, "callback called %lu times\n", state.calls );
    ok( state.len == 4 && !memcmp( state.data, "<a/>", 4 ), "got %s\n", wine_dbgstr_an( state.data, state.len ) );

    /* "This property is not available when using WS_XML_WRITER_STREAM_OUTPUT." */
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok( hr != S_OK, "got %#lx\n", hr );

    hr = WsFlushWriter( NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

static HRESULT CALLBACK push_callback( void *state, WS_WRITE_CALLBACK write, void *write_state,
                                       const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    static const BYTE data[] = { 'a', 'b', 'c', 'd' };
    WS_BYTES bytes[2] = { { 1, (BYTE *)data }, { 3, (BYTE *)data + 1 } };
    (void)ctx;
    (*(ULONG *)state)++;
    return write( write_state, bytes, 2, NULL, error );
}

static HRESULT CALLBACK pull_callback( void *state, void *bytes, ULONG max, ULONG *actual,
                                       const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    ULONG *calls = state;
    (void)ctx; (void)error; (void)max;

    if ((*calls)++ < 2)
    {
        memcpy( bytes, "ab", 2 );
        *actual = 2;
    }
    else *actual = 0;
    return S_OK;
}

static void test_push_pull_bytes(void)
{
    WS_XML_WRITER *writer;
    ULONG calls;
    HRESULT hr;

    if (is_builtin())
    {
        skip( "Wine's builtin has no WsPushBytes / WsPullBytes\n" );
        return;
    }

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    calls = 0;
    hr = WsPushBytes( writer, push_callback, &calls, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( calls == 1, "got %lu calls\n", calls );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a>YWJjZA==</a>" );
    hr = WsPushBytes( writer, NULL, &calls, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );

    writer = create_buffer_writer();
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    calls = 0;
    hr = WsPullBytes( writer, pull_callback, &calls, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( calls == 3, "got %lu calls\n", calls );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<a>YWJhYg==</a>" );
    hr = WsPullBytes( writer, NULL, &calls, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

static WS_XML_BUFFER *create_xml_buffer( WS_HEAP *heap )
{
    WS_XML_BUFFER *buffer = NULL;
    HRESULT hr = WsCreateXmlBuffer( heap, NULL, 0, &buffer, NULL );
    ok( hr == S_OK, "WsCreateXmlBuffer: got %#lx\n", hr );
    return buffer;
}

#define check_buffer_bytes(writer, buffer, heap, expected) \
    check_buffer_bytes_( __LINE__, writer, buffer, heap, expected, FALSE )
#define check_buffer_bytes_todo_wine(writer, buffer, heap, expected) \
    check_buffer_bytes_( __LINE__, writer, buffer, heap, expected, TRUE )
static void check_buffer_bytes_( unsigned line, WS_XML_WRITER *writer, WS_XML_BUFFER *buffer, WS_HEAP *heap,
                                 const char *expected, BOOL todo )
{
    void *bytes = NULL;
    ULONG size = 0;
    HRESULT hr;

    hr = WsWriteXmlBufferToBytes( writer, buffer, &utf8_encoding.encoding, NULL, 0, heap, &bytes, &size, NULL );
    ok_(__FILE__, line)( hr == S_OK, "WsWriteXmlBufferToBytes: got %#lx\n", hr );
    todo_wine_if( todo ) ok_(__FILE__, line)( size == strlen( expected ) && bytes && !memcmp( bytes, expected, size ), "got %s, expected %s\n",
                         wine_dbgstr_an( bytes, size ), expected );
}

static void test_xml_buffer(void)
{
    WS_XML_WRITER *writer, *writer2;
    WS_XML_BUFFER *buffer, *buffer2;
    WS_HEAP *heap;
    HRESULT hr;

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCreateXmlBuffer( NULL, NULL, 0, &buffer, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateXmlBuffer( heap, NULL, 0, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    buffer = create_xml_buffer( heap );
    writer = create_writer( NULL, 0 );
    hr = WsSetOutputToBuffer( writer, buffer, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &str_p, &str_a, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, NULL, &str_b, &str_empty, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "1" );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    write_text_utf8( writer, "text" );
    hr = WsWriteStartElement( writer, NULL, &str_c, &str_ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* "This property is not available on a writer that is set to a
     * WS_XML_BUFFER"; Wine's builtin returns S_OK. */
    {
        WS_BYTES bytes;
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
        todo_wine ok( hr != S_OK, "got %#lx\n", hr );
    }
    check_buffer_bytes( writer, buffer, heap, "<p:a b='1' xmlns:p=\"ns\">text<p:c/></p:a>" );

    /* WsWriteXmlBuffer copies the buffer's nodes into another writer. */
    writer2 = create_buffer_writer();
    hr = WsWriteXmlBuffer( writer2, buffer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer2, "<p:a b='1' xmlns:p=\"ns\">text<p:c/></p:a>" );
    hr = WsWriteXmlBuffer( writer2, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer2 );

    /* ... and into another buffer. */
    buffer2 = create_xml_buffer( heap );
    writer2 = create_writer( NULL, 0 );
    hr = WsSetOutputToBuffer( writer2, buffer2, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlBuffer( writer2, buffer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_buffer_bytes( writer2, buffer2, heap, "<p:a b='1' xmlns:p=\"ns\">text<p:c/></p:a>" );
    WsFreeWriter( writer2 );

    hr = WsWriteXmlBufferToBytes( writer, NULL, &utf8_encoding.encoding, NULL, 0, heap, NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* An empty buffer gives no bytes. */
    buffer2 = create_xml_buffer( heap );
    check_buffer_bytes( writer, buffer2, heap, "" );

    WsFreeWriter( writer );
    WsFreeHeap( heap );
}

static void test_positions(void)
{
    WS_XML_NODE_POSITION pos, pos_b;
    WS_XML_WRITER *writer;
    WS_XML_BUFFER *buffer;
    WS_HEAP *heap;
    BOOL found;
    HRESULT hr;

    hr = WsCreateHeap( 1 << 16, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Positions need a writer set to a buffer: after WsSetOutput they "cannot
     * be used" (the writer's state: WS_E_INVALID_OPERATION).  Wine's builtin
     * returns S_OK and E_INVALIDARG. */
    writer = create_buffer_writer();
    hr = WsGetWriterPosition( writer, &pos, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsMoveWriter( writer, WS_MOVE_TO_BOF, &found, NULL );
    todo_wine ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    WsFreeWriter( writer );

    buffer = create_xml_buffer( heap );
    writer = create_writer( NULL, 0 );
    hr = WsSetOutputToBuffer( writer, buffer, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetWriterPosition( writer, &pos, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( pos.buffer == buffer, "wrong buffer\n" );
    ok( pos.node != NULL, "no node\n" );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_buffer_bytes( writer, buffer, heap, "<a><b/></a>" );

    /* Back inside <a>, after <b/>: "the writer will then insert new data
     * before the position specified".  Wine's builtin appends after </a>. */
    hr = WsSetWriterPosition( writer, &pos, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &str_c, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_buffer_bytes_todo_wine( writer, buffer, heap, "<a><b/><c/></a>" );
    if (is_builtin())
    {
        skip( "Wine's builtin has no WsRemoveNode\n" );
        WsFreeWriter( writer );
        WsFreeHeap( heap );
        return;
    }

    /* WsMoveWriter: to the root element, its first child element. */
    found = FALSE;
    hr = WsMoveWriter( writer, WS_MOVE_TO_ROOT_ELEMENT, &found, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( found, "not found\n" );
    hr = WsMoveWriter( writer, WS_MOVE_TO_CHILD_ELEMENT, &found, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( found, "not found\n" );
    hr = WsGetWriterPosition( writer, &pos_b, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* <b> has no child element: not found, the position stays. */
    found = TRUE;
    hr = WsMoveWriter( writer, WS_MOVE_TO_CHILD_ELEMENT, &found, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !found, "found\n" );
    hr = WsMoveWriter( writer, WS_MOVE_TO_CHILD_ELEMENT, NULL, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    /* Writing inserts before the position: before <b>. */
    write_text_utf8( writer, "t" );
    check_buffer_bytes( writer, buffer, heap, "<a>t<b/><c/></a>" );

    /* WsRemoveNode removes <b>. */
    hr = WsRemoveNode( &pos_b, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_buffer_bytes( writer, buffer, heap, "<a>t<c/></a>" );
    hr = WsRemoveNode( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* More moves: back up to <a>, to its end element (appending inside it). */
    hr = WsMoveWriter( writer, WS_MOVE_TO_ROOT_ELEMENT, &found, NULL );
    ok( hr == S_OK && found, "got %#lx %d\n", hr, found );
    hr = WsMoveWriter( writer, WS_MOVE_TO_CHILD_ELEMENT, &found, NULL );
    ok( hr == S_OK && found, "got %#lx %d\n", hr, found );
    hr = WsMoveWriter( writer, WS_MOVE_TO_PARENT_ELEMENT, &found, NULL );
    ok( hr == S_OK && found, "got %#lx %d\n", hr, found );
    hr = WsMoveWriter( writer, WS_MOVE_TO_NEXT_ELEMENT, &found, NULL );
    ok( hr == S_OK && !found, "got %#lx %d\n", hr, found );
    hr = WsMoveWriter( writer, WS_MOVE_TO_END_ELEMENT, &found, NULL );
    ok( hr == S_OK && found, "got %#lx %d\n", hr, found );
    hr = WsWriteStartElement( writer, NULL, &str_b, &str_empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_buffer_bytes( writer, buffer, heap, "<a>t<c/><b/></a>" );
    hr = WsMoveWriter( writer, 0xdead, &found, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* BOF and EOF cannot be removed. */
    hr = WsMoveWriter( writer, WS_MOVE_TO_EOF, &found, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetWriterPosition( writer, &pos, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsRemoveNode( &pos, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsMoveWriter( writer, WS_MOVE_TO_BOF, &found, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetWriterPosition( writer, &pos, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsRemoveNode( &pos, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );

    WsFreeWriter( writer );
    WsFreeHeap( heap );
}

static void test_write_node(void)
{
    WS_XML_UTF8_TEXT value = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "v" ) };
    WS_XML_ATTRIBUTE attr = { 1, 0, &str_empty, &str_b, &str_empty, &value.text };
    WS_XML_ATTRIBUTE xmlns = { 0, 1, &str_p, &str_p, &str_ns, NULL };
    WS_XML_ATTRIBUTE *attrs[] = { &attr, &xmlns };
    WS_XML_ELEMENT_NODE elem = { { WS_XML_NODE_TYPE_ELEMENT }, &str_p, &str_a, &str_ns, 2, attrs, FALSE };
    WS_XML_TEXT_NODE text = { { WS_XML_NODE_TYPE_TEXT }, &value.text };
    WS_XML_NODE end = { WS_XML_NODE_TYPE_END_ELEMENT };
    WS_XML_WRITER *writer = create_buffer_writer();
    HRESULT hr;

    hr = WsWriteNode( writer, &elem.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteNode( writer, &text.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteNode( writer, &end, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( writer, "<p:a b='v' xmlns:p=\"ns\">v</p:a>" );
    hr = WsWriteNode( writer, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    WsFreeWriter( writer );
}

/* reader -> WsCopyNode -> identical bytes */
static const struct
{
    const char *doc;
    const char *compressed;     /* with WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS */
}
copy_docs[] =
{
    { "<a/>", "<a/>" },
    { "<a></a>", "<a/>" },
    { "<a b=\"1\" c='2'>text<d/>tail</a>", "<a b=\"1\" c='2'>text<d/>tail</a>" },
    { "<p:a xmlns:p=\"ns\"><p:b p:c=\"x\"></p:b></p:a>", "<p:a xmlns:p=\"ns\"><p:b p:c=\"x\"/></p:a>" },
    { "<a xmlns=\"ns\"><b xmlns=\"\">1</b></a>", "<a xmlns=\"ns\"><b xmlns=\"\">1</b></a>" },
    { "<a>&lt;&amp;&gt;<![CDATA[<&>]]><!-- c --></a>", "<a>&lt;&amp;&gt;<![CDATA[<&>]]><!-- c --></a>" },
    { "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><r xmlns=\"urn:x\">1</r>"
      "</s:Body></s:Envelope>",
      "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><r xmlns=\"urn:x\">1</r>"
      "</s:Body></s:Envelope>" },
};

static BOOL set_reader_input( WS_XML_READER *reader, const char *doc )
{
    WS_XML_READER_TEXT_ENCODING encoding = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    WS_XML_READER_BUFFER_INPUT input;
    HRESULT hr;

    memset( &input, 0, sizeof(input) );
    input.input.inputType = WS_XML_READER_INPUT_TYPE_BUFFER;
    input.encodedData = (void *)doc;
    input.encodedDataSize = strlen( doc );
    hr = WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    return hr == S_OK;
}

/* Whether the reader tells <a/> from <a></a> (WS_XML_ELEMENT_NODE.isEmpty),
 * which WsCopyNode needs to preserve the form. */
static BOOL reader_reports_empty( WS_XML_READER *reader )
{
    const WS_XML_NODE *node;

    if (!set_reader_input( reader, "<a/>" )) return FALSE;
    if (WsReadNode( reader, NULL ) != S_OK || WsGetReaderNode( reader, &node, NULL ) != S_OK) return FALSE;
    return node->nodeType == WS_XML_NODE_TYPE_ELEMENT && ((const WS_XML_ELEMENT_NODE *)node)->isEmpty;
}

static void test_WsCopyNode(void)
{
    BOOL compress = TRUE, preserves;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_COMPRESS_EMPTY_ELEMENTS, &compress, sizeof(compress) };
    WS_XML_READER *reader;
    WS_XML_WRITER *writer;
    HRESULT hr;
    ULONG i;

    hr = WsCreateReader( NULL, 0, &reader, NULL );
    if (hr == E_NOTIMPL)
    {
        skip( "no reader yet\n" );
        return;
    }
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Compressing: every element without content becomes <a/>, whatever the reader says. */
    for (i = 0; i < ARRAY_SIZE(copy_docs); i++)
    {
        winetest_push_context( "compressed doc %lu", i );
        if (set_reader_input( reader, copy_docs[i].doc ))
        {
            hr = WsReadNode( reader, NULL );   /* BOF -> root element */
            ok( hr == S_OK, "got %#lx\n", hr );
            writer = create_writer( &prop, 1 );
            hr = WsSetOutput( writer, &utf8_encoding.encoding, &buffer_output.output, NULL, 0, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            hr = WsCopyNode( writer, reader, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            /* "the current node, all its children, and the corresponding end
             * element, are copied"; Wine's builtin copies the start tag only. */
            check_output_( __LINE__, writer, copy_docs[i].compressed, -1, i > 1 );
            WsFreeWriter( writer );
        }
        winetest_pop_context();
    }

    /* From BOF: the whole document, then the reader is at EOF. */
    if (set_reader_input( reader, copy_docs[2].doc ))
    {
        const WS_XML_NODE *node;
        writer = create_buffer_writer();
        hr = WsCopyNode( writer, reader, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        check_output( writer, copy_docs[2].doc );
        hr = WsGetReaderNode( reader, &node, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( node->nodeType == WS_XML_NODE_TYPE_EOF, "got node type %d\n", node->nodeType );
        WsFreeWriter( writer );
    }

    /* Not compressing (the default): "WsCopyNode preserves whether each
     * element is represented as a start/end tag pair, or as an empty
     * element", which needs the reader to report isEmpty; neither this
     * DLL's reader nor Wine's builtin does yet. */
    preserves = reader_reports_empty( reader );
    for (i = 0; i < ARRAY_SIZE(copy_docs); i++)
    {
        if (!preserves)
        {
            skip( "the reader does not report isEmpty for <a/>: byte-exact copies cannot be checked\n" );
            break;
        }
        winetest_push_context( "doc %lu", i );
        if (set_reader_input( reader, copy_docs[i].doc ))
        {
            hr = WsReadNode( reader, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            writer = create_buffer_writer();
            hr = WsCopyNode( writer, reader, NULL );
            ok( hr == S_OK, "got %#lx\n", hr );
            check_output_( __LINE__, writer, copy_docs[i].doc, -1, i != 0 );
            WsFreeWriter( writer );
        }
        winetest_pop_context();
    }

    if (!is_builtin())   /* Wine's builtin crashes */
    {
        hr = WsCopyNode( NULL, reader, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    WsFreeReader( reader );
}

START_TEST(writer)
{
    test_WsCreateWriter();
    test_WsGetWriterProperty();
    test_simple_documents();
    test_namespaces();
    test_WsGetPrefixFromNamespace();
    test_escaping();
    test_cdata_comment();
    test_text_types();
    test_WsWriteValue();
    test_WsWriteBytes();
    test_WsWriteChars();
    test_WsWriteQualifiedName();
    test_WsWriteArray();
    test_errors();
    test_declaration_and_utf16();
    test_stream_output();
    test_push_pull_bytes();
    test_xml_buffer();
    test_positions();
    test_write_node();
    test_WsCopyNode();
}
