/*
 * Tests for XML canonicalization (WsStartWriterCanonicalization,
 * WsEndWriterCanonicalization, WsStartReaderCanonicalization,
 * WsEndReaderCanonicalization).
 *
 * Expected bytes come from the W3C Exclusive XML Canonicalization 1.0
 * specification (its section 2.2 example) and from the Canonical XML 1.0
 * examples (sections 3.3 and 3.4) as exclusive canonicalization renders them:
 * namespace declarations only where visibly utilized and not already in scope
 * in the output, attributes sorted by namespace URI then local name, empty
 * elements as start/end tag pairs, comments only with the "with comments"
 * algorithm.  Error codes come from the WWSAPI pages of those functions.
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* What the write callback received. */
struct output
{
    char data[4096];
    ULONG len;
    ULONG calls;
};

static HRESULT CALLBACK write_callback( void *state, const WS_BYTES *buffers, ULONG count,
                                        const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct output *out = state;
    ULONG i;

    ok( ctx == NULL, "the callback is always synchronous, got %p\n", ctx );
    ok( error == NULL, "got error %p\n", error );
    out->calls++;
    for (i = 0; i < count; i++)
    {
        if (out->len + buffers[i].length > sizeof(out->data)) return E_FAIL;
        memcpy( out->data + out->len, buffers[i].bytes, buffers[i].length );
        out->len += buffers[i].length;
    }
    return S_OK;
}

static WS_XML_READER *create_reader( const char *xml )
{
    WS_XML_READER_TEXT_ENCODING enc = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)xml, (ULONG)strlen( xml ) };
    WS_XML_READER *reader = NULL;
    HRESULT hr;

    hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "WsCreateReader: got %#lx\n", hr );
    hr = WsSetInput( reader, &enc.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    return reader;
}

static WS_XML_WRITER *create_writer(void)
{
    static const WS_XML_WRITER_TEXT_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    static const WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    WS_XML_WRITER *writer = NULL;
    HRESULT hr;

    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "WsCreateWriter: got %#lx\n", hr );
    hr = WsSetOutput( writer, &enc.encoding, &output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    return writer;
}

#define check_output(out, expected) check_output_( __LINE__, out, expected )
static void check_output_( unsigned line, const struct output *out, const char *expected )
{
    ULONG len = strlen( expected );
    ok_(__FILE__, line)( out->len == len && !memcmp( out->data, expected, len ), "got %s, expected %s\n",
                         wine_dbgstr_an( out->data, out->len ), wine_dbgstr_an( expected, len ) );
}

/* Whether this DLL implements canonicalization at all (Wine's builtin may not). */
static BOOL c14n_supported(void)
{
    struct output out;

    memset( &out, 0, sizeof(out) );
    WS_XML_WRITER *writer = create_writer();
    HRESULT hr = WsStartWriterCanonicalization( writer, write_callback, &out, NULL, 0, NULL );
    if (hr == S_OK) WsEndWriterCanonicalization( writer, NULL );
    WsFreeWriter( writer );
    return hr != E_NOTIMPL;
}

/* Copies every node of XML through a writer that canonicalizes them all. */
static void c14n_writer( const char *xml, const WS_XML_CANONICALIZATION_PROPERTY *props, ULONG count,
                         struct output *out )
{
    WS_XML_READER *reader = create_reader( xml );
    WS_XML_WRITER *writer = create_writer();
    const WS_XML_NODE *node;
    HRESULT hr;

    memset( out, 0, sizeof(*out) );
    hr = WsStartWriterCanonicalization( writer, write_callback, out, props, count, NULL );
    ok( hr == S_OK, "WsStartWriterCanonicalization: got %#lx\n", hr );
    for (;;)
    {
        hr = WsReadNode( reader, NULL );
        ok( hr == S_OK, "WsReadNode: got %#lx\n", hr );
        if (hr != S_OK) break;
        hr = WsGetReaderNode( reader, &node, NULL );
        ok( hr == S_OK, "WsGetReaderNode: got %#lx\n", hr );
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) break;
        hr = WsWriteNode( writer, node, NULL );
        ok( hr == S_OK, "WsWriteNode type %u: got %#lx\n", node->nodeType, hr );
        if (hr != S_OK) break;
    }
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == S_OK, "WsEndWriterCanonicalization: got %#lx\n", hr );
    WsFreeWriter( writer );
    WsFreeReader( reader );
}

/* Canonicalizes the whole document on the reader: from BOF to EOF. */
static void c14n_reader( const char *xml, const WS_XML_CANONICALIZATION_PROPERTY *props, ULONG count,
                         struct output *out )
{
    WS_XML_READER *reader = create_reader( xml );
    const WS_XML_NODE *node;
    HRESULT hr;

    memset( out, 0, sizeof(*out) );
    hr = WsStartReaderCanonicalization( reader, write_callback, out, props, count, NULL );
    ok( hr == S_OK, "WsStartReaderCanonicalization: got %#lx\n", hr );
    do
    {
        hr = WsReadNode( reader, NULL );
        ok( hr == S_OK, "WsReadNode: got %#lx\n", hr );
        if (hr != S_OK) break;
        hr = WsGetReaderNode( reader, &node, NULL );
        ok( hr == S_OK, "WsGetReaderNode: got %#lx\n", hr );
    } while (node->nodeType != WS_XML_NODE_TYPE_EOF);
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == S_OK, "WsEndReaderCanonicalization: got %#lx\n", hr );
    WsFreeReader( reader );
}

/* Canonicalizes one element of the document, the documented way: position the reader
 * on it, start, WsSkipNode, end. */
static void c14n_reader_element( const char *xml, const char *local, const WS_XML_CANONICALIZATION_PROPERTY *props,
                                 ULONG count, struct output *out )
{
    WS_XML_READER *reader = create_reader( xml );
    WS_XML_STRING name = { (ULONG)strlen( local ), (BYTE *)local, NULL, 0 };
    BOOL found = FALSE;
    HRESULT hr;

    memset( out, 0, sizeof(*out) );
    hr = WsReadToStartElement( reader, NULL, NULL, &found, NULL );
    ok( hr == S_OK && found, "WsReadToStartElement: got %#lx %d\n", hr, found );
    while (hr == S_OK)
    {
        const WS_XML_NODE *node;
        hr = WsGetReaderNode( reader, &node, NULL );
        if (hr != S_OK || node->nodeType == WS_XML_NODE_TYPE_EOF) break;
        if (node->nodeType == WS_XML_NODE_TYPE_ELEMENT &&
            WsXmlStringEquals( ((const WS_XML_ELEMENT_NODE *)node)->localName, &name, NULL ) == S_OK)
            break;
        hr = WsReadNode( reader, NULL );
    }
    hr = WsStartReaderCanonicalization( reader, write_callback, out, props, count, NULL );
    ok( hr == S_OK, "WsStartReaderCanonicalization: got %#lx\n", hr );
    hr = WsSkipNode( reader, NULL );
    ok( hr == S_OK, "WsSkipNode: got %#lx\n", hr );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == S_OK, "WsEndReaderCanonicalization: got %#lx\n", hr );
    WsFreeReader( reader );
}

#define check_both(xml, props, count, expected) check_both_( __LINE__, xml, props, count, expected )
static void check_both_( unsigned line, const char *xml, const WS_XML_CANONICALIZATION_PROPERTY *props, ULONG count,
                         const char *expected )
{
    struct output out;

    winetest_push_context( "line %u writer", line );
    c14n_writer( xml, props, count, &out );
    check_output( &out, expected );
    winetest_pop_context();
    winetest_push_context( "line %u reader", line );
    c14n_reader( xml, props, count, &out );
    check_output( &out, expected );
    winetest_pop_context();
}

/* Exclusive XML Canonicalization 1.0, section 2.2: the same n1:elem2 subtree in two
 * documents whose ancestors declare different namespaces has one exclusive form. */
static void test_exc_c14n_spec_example(void)
{
    static const char doc1[] =
        "<n0:local xmlns:n0=\"foo:bar\" xmlns:n3=\"ftp://example.org\">"
        "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">"
        "<n3:stuff xmlns:n3=\"ftp://example.org\"/>"
        "</n1:elem2>"
        "</n0:local>";
    static const char doc2[] =
        "<n2:pdu xmlns:n1=\"http://example.com\" xmlns:n2=\"http://foo.example\" xml:lang=\"fr\" xml:foo=\"bar\">"
        "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">"
        "<n3:stuff xmlns:n3=\"ftp://example.org\"/>"
        "</n1:elem2>"
        "</n2:pdu>";
    static const char expected[] =
        "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">"
        "<n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>"
        "</n1:elem2>";
    struct output out;

    c14n_reader_element( doc1, "elem2", NULL, 0, &out );
    check_output( &out, expected );
    c14n_reader_element( doc2, "elem2", NULL, 0, &out );
    check_output( &out, expected );

    /* the whole first document: n3 is declared where it is used, not on the root */
    check_both( doc1, NULL, 0,
                "<n0:local xmlns:n0=\"foo:bar\">"
                "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">"
                "<n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>"
                "</n1:elem2>"
                "</n0:local>" );
}

/* Canonical XML 1.0, example 3.3 (start and end tags), without its DTD: e9's defaulted
 * attribute is written out. */
/* Its canonical form up to e6, the same for both algorithms. */
#define EXAMPLE_33_HEAD \
    "<doc>\n" \
    "   <e1></e1>\n" \
    "   <e2></e2>\n" \
    "   <e3 id=\"elem3\" name=\"elem3\"></e3>\n" \
    "   <e4 id=\"elem4\" name=\"elem4\"></e4>\n" \
    "   <e5 xmlns=\"http://example.org\" xmlns:a=\"http://www.w3.org\" xmlns:b=\"http://www.ietf.org\" " \
    "attr=\"I'm\" attr2=\"all\" b:attr=\"sorted\" a:attr=\"out\"></e5>\n"

static const char example_33[] =
    "<doc>\n"
    "   <e1   />\n"
    "   <e2   ></e2>\n"
    "   <e3   name = \"elem3\"   id=\"elem3\"   />\n"
    "   <e4   name=\"elem4\"   id=\"elem4\"   ></e4>\n"
    "   <e5 a:attr=\"out\" b:attr=\"sorted\" attr2=\"all\" attr=\"I'm\"\n"
    "      xmlns:b=\"http://www.ietf.org\"\n"
    "      xmlns:a=\"http://www.w3.org\"\n"
    "      xmlns=\"http://example.org\"/>\n"
    "   <e6 xmlns=\"\" xmlns:a=\"http://www.w3.org\">\n"
    "      <e7 xmlns=\"http://www.ietf.org\">\n"
    "         <e8 xmlns=\"\" xmlns:a=\"http://www.w3.org\">\n"
    "            <e9 xmlns=\"\" xmlns:a=\"http://www.ietf.org\" attr=\"default\"/>\n"
    "         </e8>\n"
    "      </e7>\n"
    "   </e6>\n"
    "</doc>";

/* Canonical XML 1.0, example 3.3 (start and end tags), rendered exclusively: xmlns:a is
 * never visibly utilized by e6 and e9, so it is dropped there. */
static void test_c14n_start_end_tags(void)
{
    static const char expected[] =
        EXAMPLE_33_HEAD
        "   <e6>\n"
        "      <e7 xmlns=\"http://www.ietf.org\">\n"
        "         <e8 xmlns=\"\">\n"
        "            <e9 attr=\"default\"></e9>\n"
        "         </e8>\n"
        "      </e7>\n"
        "   </e6>\n"
        "</doc>";

    check_both( example_33, NULL, 0, expected );
}

/* Canonical XML 1.0, example 3.4 (character modifications and character references),
 * without its DTD: every attribute is CDATA. */
static void test_c14n_characters(void)
{
    static const char doc[] =
        "<doc>\n"
        "   <text>First line&#x0d;&#10;Second line</text>\n"
        "   <value>&#x32;</value>\n"
        "   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n"
        "   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n"
        "   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n"
        "</doc>";
    static const char expected[] =
        "<doc>\n"
        "   <text>First line&#xD;\nSecond line</text>\n"
        "   <value>2</value>\n"
        "   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n"
        "   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">"
        "valid</compute>\n"
        "   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n"
        "</doc>";

    check_both( doc, NULL, 0, expected );
}

/* Comments: only the "with comments" algorithm keeps them; outside the document element
 * a line feed separates them from it (Canonical XML 1.0, example 3.1). */
static void test_comments(void)
{
    static const char doc[] = "<!--c1--><doc><!--c2-->t</doc><!--c3-->";
    WS_XML_CANONICALIZATION_ALGORITHM algo;
    WS_XML_CANONICALIZATION_PROPERTY prop = { WS_XML_CANONICALIZATION_PROPERTY_ALGORITHM, &algo, sizeof(algo) };

    algo = WS_EXCLUSIVE_XML_CANONICALIZATION_ALGORITHM;
    check_both( doc, &prop, 1, "<doc>t</doc>" );
    check_both( doc, NULL, 0, "<doc>t</doc>" );
    algo = WS_EXCLUSIVE_WITH_COMMENTS_XML_CANONICALIZATION_ALGORITHM;
    check_both( doc, &prop, 1, "<!--c1-->\n<doc><!--c2-->t</doc>\n<!--c3-->" );
}

static void test_inclusive_prefixes(void)
{
    static const char doc[] = "<a:r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xmlns=\"urn:d\"><c/></a:r>";
    WS_XML_STRING prefixes[2] = { WS_XML_STRING_VALUE( "b" ), WS_XML_STRING_VALUE( "zz" ) };
    WS_XML_CANONICALIZATION_INCLUSIVE_PREFIXES inclusive = { 2, prefixes };
    WS_XML_CANONICALIZATION_PROPERTY prop = { WS_XML_CANONICALIZATION_PROPERTY_INCLUSIVE_PREFIXES, &inclusive,
                                              sizeof(inclusive) };

    check_both( doc, NULL, 0, "<a:r xmlns:a=\"urn:a\"><c xmlns=\"urn:d\"></c></a:r>" );
    /* b is rendered although unused; zz is not in scope and so not rendered */
    check_both( doc, &prop, 1, "<a:r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><c xmlns=\"urn:d\"></c></a:r>" );
    /* the default namespace as an inclusive prefix ("" here) */
    prefixes[0].length = 0;
    inclusive.prefixCount = 1;
    check_both( doc, &prop, 1, "<a:r xmlns=\"urn:d\" xmlns:a=\"urn:a\"><c></c></a:r>" );
}

static void test_omitted_element(void)
{
    static const char doc[] =
        "<r><s:Signature xmlns:s=\"urn:s\"><v>1</v></s:Signature><d>x</d><s:Signature xmlns:s=\"urn:s\"/></r>";
    WS_XML_QNAME qname = { WS_XML_STRING_VALUE( "Signature" ), WS_XML_STRING_VALUE( "urn:s" ) };
    WS_XML_CANONICALIZATION_PROPERTY prop = { WS_XML_CANONICALIZATION_PROPERTY_OMITTED_ELEMENT, &qname,
                                              sizeof(qname) };

    check_both( doc, &prop, 1, "<r><d>x</d></r>" );
    qname.ns.length = 0;  /* another name: nothing is omitted */
    check_both( doc, &prop, 1, "<r><s:Signature xmlns:s=\"urn:s\"><v>1</v></s:Signature><d>x</d>"
                               "<s:Signature xmlns:s=\"urn:s\"></s:Signature></r>" );
}

static void test_output_buffer_size(void)
{
    static const char doc[] = "<doc><a>0123456789</a><b>0123456789</b></doc>";
    static const char expected[] = "<doc><a>0123456789</a><b>0123456789</b></doc>";
    WS_XML_READER *reader;
    WS_XML_CANONICALIZATION_PROPERTY prop;
    struct output out;
    ULONG size = 8;
    HRESULT hr;

    /* the default buffer holds 1024 bytes: everything comes at the end */
    reader = create_reader( doc );
    memset( &out, 0, sizeof(out) );
    hr = WsReadToStartElement( reader, NULL, NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsStartReaderCanonicalization( reader, write_callback, &out, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSkipNode( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.calls == 0, "got %lu calls before the end\n", out.calls );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.calls == 1, "got %lu calls\n", out.calls );
    check_output( &out, expected );
    WsFreeReader( reader );

    /* a small buffer: bytes are handed over whenever 8 or more are pending */
    prop.id = WS_XML_CANONICALIZATION_PROPERTY_OUTPUT_BUFFER_SIZE;
    prop.value = &size;
    prop.valueSize = sizeof(size);
    check_both( doc, &prop, 1, expected );
    c14n_writer( doc, &prop, 1, &out );
    ok( out.calls > 1, "got %lu calls\n", out.calls );
    c14n_reader( doc, &prop, 1, &out );
    ok( out.calls > 1, "got %lu calls\n", out.calls );
}

/* Writing with the writer's own calls: its generated declarations are canonicalized too. */
static void test_writer_calls(void)
{
    static WS_XML_STRING p = WS_XML_STRING_VALUE( "p" ), a = WS_XML_STRING_VALUE( "a" ),
                         b = WS_XML_STRING_VALUE( "b" ), z = WS_XML_STRING_VALUE( "z" ),
                         ns = WS_XML_STRING_VALUE( "urn:p" ), empty = WS_XML_STRING_VALUE( "" );
    WS_XML_UTF8_TEXT text;
    WS_XML_STRING comment = WS_XML_STRING_VALUE( "c" );
    WS_XML_COMMENT_NODE comment_node;
    WS_XML_INT32_TEXT number = { { WS_XML_TEXT_TYPE_INT32 }, -5 };
    WS_XML_WRITER *writer = create_writer();
    struct output out;

    memset( &out, 0, sizeof(out) );
    HRESULT hr;

    memset( &text, 0, sizeof(text) );
    text.text.textType = WS_XML_TEXT_TYPE_UTF8;
    memset( &comment_node, 0, sizeof(comment_node) );
    comment_node.node.nodeType = WS_XML_NODE_TYPE_COMMENT;
    hr = WsStartWriterCanonicalization( writer, write_callback, &out, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &p, &a, &ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, &empty, &z, &empty, FALSE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    text.value.bytes = (BYTE *)"<\"&\t>";
    text.value.length = 5;
    hr = WsWriteText( writer, &text.text, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartAttribute( writer, &empty, &b, &empty, TRUE, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndAttribute( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, &p, &b, &ns, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    text.value.bytes = (BYTE *)"x>\r";
    text.value.length = 3;
    hr = WsWriteText( writer, &text.text, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteText( writer, &number.text, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    comment_node.value = comment;
    hr = WsWriteNode( writer, &comment_node.node, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( &out, "<p:a xmlns:p=\"urn:p\" b=\"\" z=\"&lt;&quot;&amp;&#x9;>\"><p:b></p:b>x&gt;&#xD;-5</p:a>" );
    WsFreeWriter( writer );
}

static void test_errors(void)
{
    WS_XML_CANONICALIZATION_ALGORITHM algo = 99;
    WS_XML_CANONICALIZATION_PROPERTY prop = { WS_XML_CANONICALIZATION_PROPERTY_ALGORITHM, &algo, sizeof(algo) };
    WS_XML_WRITER *writer = create_writer();
    WS_XML_READER *reader = create_reader( "<a/>" );
    WS_XML_STRING local = WS_XML_STRING_VALUE( "x" ), empty = WS_XML_STRING_VALUE( "" );
    struct output out;

    memset( &out, 0, sizeof(out) );
    HRESULT hr;

    hr = WsStartWriterCanonicalization( NULL, write_callback, &out, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsStartWriterCanonicalization( writer, NULL, &out, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsStartWriterCanonicalization( writer, write_callback, &out, &prop, 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "end without start: got %#lx\n", hr );
    hr = WsStartWriterCanonicalization( writer, write_callback, &out, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsStartWriterCanonicalization( writer, write_callback, &out, NULL, 0, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "start twice: got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "end twice: got %#lx\n", hr );
    ok( out.len == 0 && out.calls == 0, "got %lu bytes in %lu calls\n", out.len, out.calls );

    /* the writer cannot move below the depth where canonicalization started, and the
     * end comes at that same depth */
    hr = WsWriteStartElement( writer, NULL, &local, &empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsStartWriterCanonicalization( writer, write_callback, &out, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteStartElement( writer, NULL, &local, &empty, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "end at another depth: got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "moving below the start depth: got %#lx\n", hr );
    hr = WsEndWriterCanonicalization( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( &out, "<x></x>" );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsStartReaderCanonicalization( NULL, write_callback, &out, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsStartReaderCanonicalization( reader, NULL, &out, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsStartReaderCanonicalization( reader, write_callback, &out, &prop, 1, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsEndReaderCanonicalization( NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "end without start: got %#lx\n", hr );
    hr = WsStartReaderCanonicalization( reader, write_callback, &out, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsStartReaderCanonicalization( reader, write_callback, &out, NULL, 0, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "start twice: got %#lx\n", hr );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "end twice: got %#lx\n", hr );

    WsFreeReader( reader );
    WsFreeWriter( writer );
}

/* Canonical XML 1.0 (inclusive), W3C Recommendation 15 March 2001, section 3: examples 3.1 (PIs and
 * comments: only the comments, this reader has no processing instructions), 3.3 (start and end
 * tags, without the DTD, so e9's defaulted attribute is written out) and 3.4 (characters), each
 * with the output the specification gives. */
static void test_inclusive_spec_examples(void)
{
    static const char doc31[] =
        "<!-- Comment 1 --><doc>Hello, world!<!-- Comment 2 --></doc><!-- Comment 3 -->";
    static const char expected33[] =
        EXAMPLE_33_HEAD
        "   <e6 xmlns:a=\"http://www.w3.org\">\n"
        "      <e7 xmlns=\"http://www.ietf.org\">\n"
        "         <e8 xmlns=\"\">\n"
        "            <e9 xmlns:a=\"http://www.ietf.org\" attr=\"default\"></e9>\n"
        "         </e8>\n"
        "      </e7>\n"
        "   </e6>\n"
        "</doc>";
    static const char doc34[] =
        "<doc>\n"
        "   <text>First line&#x0d;&#10;Second line</text>\n"
        "   <value>&#x32;</value>\n"
        "   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n"
        "</doc>";
    static const char expected34[] =
        "<doc>\n"
        "   <text>First line&#xD;\nSecond line</text>\n"
        "   <value>2</value>\n"
        "   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n"
        "</doc>";
    WS_XML_CANONICALIZATION_ALGORITHM algo = WS_INCLUSIVE_XML_CANONICALIZATION_ALGORITHM;
    WS_XML_CANONICALIZATION_PROPERTY prop = { WS_XML_CANONICALIZATION_PROPERTY_ALGORITHM, &algo, sizeof(algo) };
    struct output out;

    check_both( doc31, &prop, 1, "<doc>Hello, world!</doc>" );
    check_both( example_33, &prop, 1, expected33 );
    check_both( doc34, &prop, 1, expected34 );
    algo = WS_INCLUSIVE_WITH_COMMENTS_XML_CANONICALIZATION_ALGORITHM;
    check_both( doc31, &prop, 1, "<!-- Comment 1 -->\n<doc>Hello, world!<!-- Comment 2 --></doc>\n<!-- Comment 3 -->" );

    /* a subtree: the namespaces in scope on its ancestors are rendered on it, unlike the exclusive
     * form (compare test_exc_c14n_spec_example, Exclusive XML Canonicalization 1.0 section 2.2) */
    algo = WS_INCLUSIVE_XML_CANONICALIZATION_ALGORITHM;
    c14n_reader_element( "<n0:local xmlns:n0=\"foo:bar\" xmlns:n3=\"ftp://example.org\">"
                         "<n1:elem2 xmlns:n1=\"http://example.net\">"
                         "<n3:stuff xmlns:n3=\"ftp://example.org\"/>"
                         "</n1:elem2>"
                         "</n0:local>", "elem2", &prop, 1, &out );
    check_output( &out, "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" "
                        "xmlns:n3=\"ftp://example.org\"><n3:stuff></n3:stuff></n1:elem2>" );
}

/* WsStartReaderCanonicalization: "WsEndReaderCanonicalization must be called at the same depth ...
 * Other reader functions return an error if moved to a depth lower than where
 * WsStartReaderCanonicalization was called." */
static void test_reader_depth(void)
{
    WS_XML_STRING str_b = WS_XML_STRING_VALUE( "b" );
    WS_XML_READER *reader = create_reader( "<a><b><c/></b>t</a>" );
    const WS_XML_NODE *node;
    struct output out;
    HRESULT hr;

    memset( &out, 0, sizeof(out) );
    hr = WsReadToStartElement( reader, NULL, NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadToStartElement( reader, &str_b, NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetReaderNode( reader, &node, NULL );
    ok( hr == S_OK && node->nodeType == WS_XML_NODE_TYPE_ELEMENT, "not on <b>\n" );
    hr = WsStartReaderCanonicalization( reader, write_callback, &out, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* inside <b>: not the depth where canonicalization started */
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "end inside the element: got %#lx\n", hr );
    hr = WsSkipNode( reader, NULL );   /* <c/> */
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadEndElement( reader, NULL );   /* </b> */
    ok( hr == S_OK, "got %#lx\n", hr );
    /* the text after <b> is at the start depth */
    hr = WsReadNode( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsGetReaderNode( reader, &node, NULL );
    ok( hr == S_OK && node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT, "node type %d\n", node->nodeType );
    /* moving past </a> would leave the depth where canonicalization started */
    hr = WsReadEndElement( reader, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "moving below the start depth: got %#lx\n", hr );
    hr = WsGetReaderNode( reader, &node, NULL );
    ok( hr == S_OK && node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT, "the reader moved: node type %d\n",
        node->nodeType );
    hr = WsEndReaderCanonicalization( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_output( &out, "<b><c></c></b>t" );
    /* canonicalization over, the reader goes on */
    hr = WsReadEndElement( reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeReader( reader );
}

START_TEST(c14n)
{
    /* Wine 8.0's builtin does not implement these functions: calling them aborts the
     * process ("unimplemented function"), so nothing can be checked there. */
    if (!strcmp( winetest_platform, "wine" ))
    {
        skip( "canonicalization is not implemented by Wine's builtin\n" );
        return;
    }
    if (!c14n_supported())
    {
        skip( "canonicalization is not implemented\n" );
        return;
    }
    test_exc_c14n_spec_example();
    test_c14n_start_end_tags();
    test_c14n_characters();
    test_comments();
    test_inclusive_prefixes();
    test_omitted_element();
    test_output_buffer_size();
    test_writer_calls();
    test_errors();
    test_reader_depth();
    test_inclusive_spec_examples();
}
