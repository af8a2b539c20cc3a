/*
 * Tests for the MTOM encoding (WS_XML_READER_MTOM_ENCODING, WS_XML_WRITER_MTOM_ENCODING).
 *
 * Expected behaviour comes from the WWSAPI pages of those two structures
 * (readMimeHeader: boundary, startUri and startInfo come from the MIME header
 * and must be empty; buffer input may hold the parts in any order; stream
 * input has the root part first; maxInlineByteCount is the threshold past
 * which bytes go to a binary MIME part instead of base64 text), from
 * WS_XML_READER_PROPERTY_ID / WS_XML_WRITER_PROPERTY_ID (MAX_MIME_PARTS,
 * STREAM_MAX_ROOT_MIME_PART_SIZE, MAX_MIME_PARTS_BUFFER_SIZE), and from
 * W3C XOP 1.0 / SOAP MTOM (an xop:Include element stands for the base64 form
 * of the referenced part; its href is a cid: URL, RFC 2392) and RFC 2046 /
 * RFC 2387 (multipart/related framing).
 *
 * The docs do not fix the exact bytes a writer produces (part Content-IDs,
 * header order, parameter spacing), so writer output is checked for what any
 * conforming MTOM writer produces: a MIME envelope with the given boundary,
 * start and start-info, a root part of type application/xop+xml, one binary
 * part per optimized byte run whose Content-ID the xop:Include href names,
 * and a close delimiter; and then by reading it back.
 *
 * Wine 8's builtin returns E_NOTIMPL for the MTOM encodings: checks that
 * need them are skipped there.
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const WS_XML_READER_TEXT_ENCODING reader_utf8 = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
static const WS_XML_WRITER_TEXT_ENCODING writer_utf8 = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
static const WS_XML_WRITER_TEXT_ENCODING writer_utf16 = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF16LE };
static const WS_XML_WRITER_BUFFER_OUTPUT buffer_output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };

static WS_XML_STRING str_a = WS_XML_STRING_VALUE( "a" );
static WS_XML_STRING str_b = WS_XML_STRING_VALUE( "b" );
static WS_XML_STRING str_c = WS_XML_STRING_VALUE( "c" );
static WS_XML_STRING str_empty = WS_XML_STRING_VALUE( "" );
static WS_XML_STRING str_ns = WS_XML_STRING_VALUE( "urn:test" );
static WS_XML_STRING str_photo = WS_XML_STRING_VALUE( "photo" );
static WS_XML_STRING str_sig = WS_XML_STRING_VALUE( "sig" );
static WS_XML_STRING str_stuff = WS_XML_STRING_VALUE( "http://example.org/stuff" );

static BOOL is_builtin(void)
{
    return !strcmp( winetest_platform, "wine" );
}

/* Wine 8's builtin returns E_NOTIMPL for the MTOM encodings. */
static BOOL skip_on_builtin( const char *what )
{
    if (!is_builtin()) return FALSE;
    skip( "%s not implemented by the builtin\n", what );
    return TRUE;
}

static WS_XML_READER *create_reader(void)
{
    WS_XML_READER *reader = NULL;
    HRESULT hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "WsCreateReader: got %#lx\n", hr );
    return reader;
}

static WS_XML_WRITER *create_writer(void)
{
    WS_XML_WRITER *writer = NULL;
    HRESULT hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "WsCreateWriter: got %#lx\n", hr );
    return writer;
}

/* The XOP 1.0 example message (section 1.2), parts in the order of the spec; PNG and
 * SIG stand for the binary octets, CRLF line ends as RFC 2046 requires. */
static const BYTE png_bytes[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, '-', '-', 0xff };
static const BYTE sig_bytes[] = { 0x30, 0x82, 0x01, 0x0a, '\r', '\n', '-', '-', 'M', 'I', 'M', 'E' };

static const char xop_header[] =
    "MIME-Version: 1.0\r\n"
    "Content-Type: Multipart/Related;boundary=MIME_boundary;\r\n"
    "    type=\"application/xop+xml\";\r\n"
    "    start=\"<mymessage.xml@example.org>\";\r\n"
    "    start-info=\"text/xml\"\r\n"
    "Content-Description: A SOAP message with my pic and sig in it\r\n"
    "\r\n";
static const char xop_root_part[] =
    "--MIME_boundary\r\n"
    "Content-Type: application/xop+xml; \r\n"
    "    charset=UTF-8; \r\n"
    "    type=\"text/xml\"\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "Content-ID: <mymessage.xml@example.org>\r\n"
    "\r\n"
    "<soap:Envelope xmlns:soap='http://www.w3.org/2003/05/soap-envelope'\r\n"
    "    xmlns:xmlmime='http://www.w3.org/2004/11/xmlmime'>\r\n"
    "<soap:Body><m:data xmlns:m='http://example.org/stuff'>"
    "<m:photo xmlmime:contentType='image/png'><xop:Include \r\n"
    "    xmlns:xop='http://www.w3.org/2004/08/xop/include' \r\n"
    "    href='cid:http://example.org/me.png'/></m:photo>"
    "<m:sig xmlmime:contentType='application/pkcs7-signature'><xop:Include \r\n"
    "    xmlns:xop='http://www.w3.org/2004/08/xop/include' \r\n"
    "    href='cid:http://example.org/my.hsh'/></m:sig>"
    "</m:data></soap:Body></soap:Envelope>\r\n"
    "\r\n";
static const char png_part_header[] =
    "--MIME_boundary\r\n"
    "Content-Type: image/png\r\n"
    "Content-Transfer-Encoding: binary\r\n"
    "Content-ID: <http://example.org/me.png>\r\n"
    "\r\n";
static const char sig_part_header[] =
    "--MIME_boundary\r\n"
    "Content-Type: application/pkcs7-signature\r\n"
    "Content-Transfer-Encoding: binary\r\n"
    "Content-ID: <http://example.org/my.hsh>\r\n"
    "\r\n";
static const char close_delimiter[] = "--MIME_boundary--\r\n";

struct msg
{
    BYTE data[4096];
    ULONG len;
};

static void msg_add( struct msg *m, const void *data, ULONG len )
{
    if (m->len + len > sizeof(m->data)) return;
    memcpy( m->data + m->len, data, len );
    m->len += len;
}

static void msg_add_str( struct msg *m, const char *str )
{
    msg_add( m, str, strlen( str ) );
}

/* The XOP example; HEADER: with its MIME header; PNG_FIRST: the parts in another order. */
static void build_xop_example( struct msg *m, BOOL header, BOOL png_first )
{
    m->len = 0;
    if (header) msg_add_str( m, xop_header );
    if (png_first)
    {
        msg_add_str( m, png_part_header );
        msg_add( m, png_bytes, sizeof(png_bytes) );
        msg_add_str( m, "\r\n" );
    }
    msg_add_str( m, xop_root_part );
    if (!png_first)
    {
        msg_add_str( m, png_part_header );
        msg_add( m, png_bytes, sizeof(png_bytes) );
        msg_add_str( m, "\r\n" );
    }
    msg_add_str( m, sig_part_header );
    msg_add( m, sig_bytes, sizeof(sig_bytes) );
    msg_add_str( m, "\r\n" );
    msg_add_str( m, close_delimiter );
}

static void init_reader_encoding( WS_XML_READER_MTOM_ENCODING *enc, BOOL header, const WCHAR *boundary,
                                  const WCHAR *start )
{
    memset( enc, 0, sizeof(*enc) );
    enc->encoding.encodingType = WS_XML_READER_ENCODING_TYPE_MTOM;
    enc->textEncoding = (WS_XML_READER_ENCODING *)&reader_utf8.encoding;
    enc->readMimeHeader = header;
    if (boundary)
    {
        enc->boundary.chars = (WCHAR *)boundary;
        enc->boundary.length = wcslen( boundary );
    }
    if (start)
    {
        enc->startUri.chars = (WCHAR *)start;
        enc->startUri.length = wcslen( start );
    }
}

static HRESULT set_mtom_input( WS_XML_READER *reader, const WS_XML_READER_MTOM_ENCODING *enc, const void *data,
                               ULONG len, const WS_XML_READER_PROPERTY *props, ULONG count )
{
    WS_XML_READER_BUFFER_INPUT input;

    memset( &input, 0, sizeof(input) );
    input.input.inputType = WS_XML_READER_INPUT_TYPE_BUFFER;
    input.encodedData = (void *)data;
    input.encodedDataSize = len;
    return WsSetInput( reader, &enc->encoding, &input.input, props, count, NULL );
}

/* Reads every node; S_OK at EOF, or the first failure. */
static HRESULT read_all( WS_XML_READER *reader, ULONG *count )
{
    const WS_XML_NODE *node;
    ULONG n = 0;
    HRESULT hr;

    for (;;)
    {
        if ((hr = WsReadNode( reader, NULL )) != S_OK) break;
        if ((hr = WsGetReaderNode( reader, &node, NULL )) != S_OK) break;
        n++;
        if (node->nodeType == WS_XML_NODE_TYPE_EOF || n > 100000) break;
    }
    if (count) *count = n;
    return hr;
}

/* Reads to the next element named LOCAL (at any depth), then to its content. */
static void read_to_content( WS_XML_READER *reader, const WS_XML_STRING *local, const WS_XML_STRING *ns )
{
    const WS_XML_NODE *node;
    HRESULT hr;

    for (;;)
    {
        const WS_XML_ELEMENT_NODE *elem;

        hr = WsGetReaderNode( reader, &node, NULL );
        if (hr != S_OK || node->nodeType == WS_XML_NODE_TYPE_EOF) break;
        elem = (const WS_XML_ELEMENT_NODE *)node;
        if (node->nodeType == WS_XML_NODE_TYPE_ELEMENT && elem->localName->length == local->length &&
            !memcmp( elem->localName->bytes, local->bytes, local->length ) && elem->ns->length == ns->length &&
            !memcmp( elem->ns->bytes, ns->bytes, ns->length ))
            break;
        if ((hr = WsReadNode( reader, NULL )) != S_OK) break;
    }
    ok( hr == S_OK && node->nodeType == WS_XML_NODE_TYPE_ELEMENT, "element %s not found: %#lx\n", local->bytes, hr );
    hr = WsReadStartElement( reader, NULL );
    ok( hr == S_OK, "WsReadStartElement %s: got %#lx\n", local->bytes, hr );
}

/* The current node is a text holding exactly DATA. */
static void check_bytes_node( WS_XML_READER *reader, const BYTE *data, ULONG len, int line )
{
    const WS_XML_NODE *node;
    const WS_XML_TEXT_NODE *text;
    HRESULT hr = WsGetReaderNode( reader, &node, NULL );

    ok_(__FILE__, line)( hr == S_OK, "WsGetReaderNode: got %#lx\n", hr );
    ok_(__FILE__, line)( node->nodeType == WS_XML_NODE_TYPE_TEXT, "node type %d\n", node->nodeType );
    if (node->nodeType != WS_XML_NODE_TYPE_TEXT) return;
    text = (const WS_XML_TEXT_NODE *)node;
    /* XOP 1.0: the infoset holds the base64 form; the reader hands the octets as a WS_XML_BASE64_TEXT */
    ok_(__FILE__, line)( text->text->textType == WS_XML_TEXT_TYPE_BASE64, "text type %d\n", text->text->textType );
    if (text->text->textType != WS_XML_TEXT_TYPE_BASE64) return;
    ok_(__FILE__, line)( ((const WS_XML_BASE64_TEXT *)text->text)->length == len, "length %lu\n",
                         ((const WS_XML_BASE64_TEXT *)text->text)->length );
    ok_(__FILE__, line)( !memcmp( ((const WS_XML_BASE64_TEXT *)text->text)->bytes, data, len ), "wrong bytes\n" );
}

static void check_xop_example( WS_XML_READER *reader )
{
    BYTE buf[64];
    ULONG got = 0;
    const WS_XML_NODE *node;
    HRESULT hr;

    read_to_content( reader, &str_photo, &str_stuff );
    check_bytes_node( reader, png_bytes, sizeof(png_bytes), __LINE__ );
    /* WsReadBytes gives the part's octets and moves past the text */
    hr = WsReadBytes( reader, buf, sizeof(buf), &got, NULL );
    ok( hr == S_OK, "WsReadBytes: got %#lx\n", hr );
    ok( got == sizeof(png_bytes) && !memcmp( buf, png_bytes, got ), "got %lu bytes\n", got );
    hr = WsGetReaderNode( reader, &node, NULL );
    ok( hr == S_OK && node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT, "node type %d\n", node->nodeType );
    hr = WsReadEndElement( reader, NULL );
    ok( hr == S_OK, "WsReadEndElement: got %#lx\n", hr );

    read_to_content( reader, &str_sig, &str_stuff );
    check_bytes_node( reader, sig_bytes, sizeof(sig_bytes), __LINE__ );
    /* small reads of the same text */
    hr = WsReadBytes( reader, buf, 5, &got, NULL );
    ok( hr == S_OK && got == 5 && !memcmp( buf, sig_bytes, 5 ), "got %#lx, %lu bytes\n", hr, got );
    hr = WsReadBytes( reader, buf + 5, sizeof(buf) - 5, &got, NULL );
    ok( hr == S_OK && got == sizeof(sig_bytes) - 5 && !memcmp( buf, sig_bytes, sizeof(sig_bytes) ),
        "got %#lx, %lu bytes\n", hr, got );
    hr = WsReadEndElement( reader, NULL );
    ok( hr == S_OK, "WsReadEndElement: got %#lx\n", hr );
    ok( read_all( reader, NULL ) == S_OK, "the rest of the document does not read\n" );
}

static void test_read_xop_example(void)
{
    static const WCHAR boundary[] = L"MIME_boundary", start[] = L"<mymessage.xml@example.org>";
    WS_XML_READER_MTOM_ENCODING enc;
    WS_XML_READER *reader;
    struct msg m;
    HRESULT hr;

    reader = create_reader();

    /* the MIME header read from the message */
    build_xop_example( &m, TRUE, FALSE );
    init_reader_encoding( &enc, TRUE, NULL, NULL );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    if (hr == E_NOTIMPL && is_builtin())
    {
        skip( "MTOM reader encoding not implemented\n" );
        WsFreeReader( reader );
        return;
    }
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    check_xop_example( reader );

    /* boundary and start given by the caller; buffer input: the root part need not be first */
    build_xop_example( &m, FALSE, TRUE );
    init_reader_encoding( &enc, FALSE, boundary, start );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    check_xop_example( reader );

    /* without a start parameter the first part is the root */
    build_xop_example( &m, FALSE, FALSE );
    init_reader_encoding( &enc, FALSE, boundary, NULL );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    check_xop_example( reader );

    /* ... so with the PNG part first and no start, the "root" is not XML */
    build_xop_example( &m, FALSE, TRUE );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    hr = read_all( reader, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    WsFreeReader( reader );
}

static void test_reader_encoding_args(void)
{
    static const WCHAR boundary[] = L"MIME_boundary";
    WS_XML_READER_MTOM_ENCODING enc;
    WS_XML_READER_BINARY_ENCODING bin = { { WS_XML_READER_ENCODING_TYPE_BINARY } };
    WS_XML_READER *reader;
    struct msg m;
    HRESULT hr;

    if (skip_on_builtin( "MTOM reader encoding" )) return;
    reader = create_reader();
    build_xop_example( &m, TRUE, FALSE );

    init_reader_encoding( &enc, TRUE, NULL, NULL );
    enc.textEncoding = NULL;
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "NULL textEncoding: got %#lx\n", hr );

    /* the document carried by MTOM is XML text */
    enc.textEncoding = &bin.encoding;
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "binary textEncoding: got %#lx\n", hr );

    /* documented: boundary, startUri and startInfo must be empty when readMimeHeader is TRUE */
    init_reader_encoding( &enc, TRUE, boundary, NULL );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "boundary with readMimeHeader: got %#lx\n", hr );
    init_reader_encoding( &enc, TRUE, NULL, L"x" );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "startUri with readMimeHeader: got %#lx\n", hr );
    init_reader_encoding( &enc, TRUE, NULL, NULL );
    enc.startInfo.chars = (WCHAR *)L"text/xml";
    enc.startInfo.length = 8;
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "startInfo with readMimeHeader: got %#lx\n", hr );

    /* without the header the boundary must be given */
    init_reader_encoding( &enc, FALSE, NULL, NULL );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "no boundary: got %#lx\n", hr );
    init_reader_encoding( &enc, FALSE, L"bad\"boundary", NULL );
    hr = set_mtom_input( reader, &enc, m.data, m.len, NULL, 0 );
    ok( hr == E_INVALIDARG, "invalid boundary: got %#lx\n", hr );

    init_reader_encoding( &enc, TRUE, NULL, NULL );
    hr = set_mtom_input( reader, &enc, NULL, 10, NULL, 0 );
    ok( hr == E_INVALIDARG, "NULL data: got %#lx\n", hr );

    /* an empty message has no root part */
    hr = set_mtom_input( reader, &enc, NULL, 0, NULL, 0 );
    ok( hr == S_OK, "empty input: got %#lx\n", hr );
    hr = read_all( reader, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "empty message: got %#lx\n", hr );

    WsFreeReader( reader );
}

/* ---- malformed messages ------------------------------------------------------------ */

static HRESULT read_message( WS_XML_READER *reader, const struct msg *m, const WS_XML_READER_PROPERTY *props,
                             ULONG count )
{
    WS_XML_READER_MTOM_ENCODING enc;
    HRESULT hr;

    init_reader_encoding( &enc, TRUE, NULL, NULL );
    if ((hr = set_mtom_input( reader, &enc, m->data, m->len, props, count )) != S_OK) return hr;
    return read_all( reader, NULL );
}

/* The XOP example with one substitution in it. */
static void build_edited( struct msg *m, const char *from, const char *to )
{
    struct msg orig;
    BYTE *hit = NULL;
    ULONG i, len = strlen( from );

    build_xop_example( &orig, TRUE, FALSE );
    for (i = 0; i + len <= orig.len; i++)
        if (!memcmp( orig.data + i, from, len )) { hit = orig.data + i; break; }
    ok( hit != NULL, "%s not found\n", from );
    m->len = 0;
    if (!hit) return;
    msg_add( m, orig.data, hit - orig.data );
    msg_add_str( m, to );
    msg_add( m, hit + len, orig.data + orig.len - hit - len );
}

static void test_malformed(void)
{
    static const struct
    {
        const char *from, *to;
        HRESULT hr;
    }
    edits[] =
    {
        /* the envelope */
        { "Content-Type: Multipart/Related;boundary=MIME_boundary;", "Content-Type: Multipart/Related;", WS_E_INVALID_FORMAT },
        { "Content-Type: Multipart/Related;", "Content-Type: Multipart/Mixed;", WS_E_INVALID_FORMAT },
        { "Content-Type: Multipart/Related;", "Content-Typo: Multipart/Related;", WS_E_INVALID_FORMAT },
        { "boundary=MIME_boundary", "boundary=OTHER_boundary", WS_E_INVALID_FORMAT },
        { "boundary=MIME_boundary", "boundary=\"MIME_boundary", WS_E_INVALID_FORMAT },
        { "type=\"application/xop+xml\"", "type=\"text/plain\"", WS_E_INVALID_FORMAT },
        { "MIME-Version: 1.0\r\n", "MIME-Version 1.0\r\n", WS_E_INVALID_FORMAT },
        /* no root part: the start parameter names no part */
        { "start=\"<mymessage.xml@example.org>\"", "start=\"<missing@example.org>\"", WS_E_INVALID_FORMAT },
        /* missing referenced part */
        { "href='cid:http://example.org/me.png'", "href='cid:http://example.org/none.png'", WS_E_INVALID_FORMAT },
        { "href='cid:http://example.org/me.png'", "href='http://example.org/me.png'", WS_E_INVALID_FORMAT },
        { "href='cid:http://example.org/me.png'", "ref='cid:http://example.org/me.png'", WS_E_INVALID_FORMAT },
        /* the root part cannot be included */
        { "href='cid:http://example.org/me.png'", "href='cid:mymessage.xml@example.org'", WS_E_INVALID_FORMAT },
        /* xop:Include has no content */
        { "href='cid:http://example.org/me.png'/>", "href='cid:http://example.org/me.png'>x</xop:Include>",
          WS_E_INVALID_FORMAT },
        /* truncated: no close delimiter */
        { "--MIME_boundary--\r\n", "", WS_E_INVALID_FORMAT },
        { "--MIME_boundary--\r\n", "--MIME_boundary", WS_E_INVALID_FORMAT },
        /* a part header that does not end */
        { "Content-ID: <http://example.org/my.hsh>\r\n\r\n", "Content-ID: <http://example.org/my.hsh>", WS_E_INVALID_FORMAT },
        { "Content-Transfer-Encoding: binary\r\nContent-ID: <http://example.org/me.png>",
          "Content-Transfer-Encoding: base64\r\nContent-ID: <http://example.org/me.png>", WS_E_INVALID_FORMAT },
        { "Content-Type: application/xop+xml; ", "Content-Type: text/xml; ", WS_E_INVALID_FORMAT },
        { "charset=UTF-8; ", "charset=koi8-r; ", WS_E_INVALID_FORMAT },
        /* malformed XML in the root part */
        { "</m:data>", "</m:date>", WS_E_INVALID_FORMAT },
        /* valid variations */
        { "href='cid:http://example.org/me.png'", "href='cid:http%3A%2F%2Fexample.org%2Fme.png'", S_OK },
        { "--MIME_boundary--\r\n", "--MIME_boundary--", S_OK },
        { "--MIME_boundary--\r\n", "--MIME_boundary--\r\nepilogue", S_OK },
        { "MIME-Version: 1.0\r\n", "X-Other: 1\r\n", S_OK },
        { "charset=UTF-8; ", "", S_OK },
    };
    WS_XML_READER_PROPERTY prop;
    WS_XML_READER *reader;
    ULONG i, max_parts, len, seed = 12345, failures[3] = { 0 };
    struct msg m, full;
    HRESULT hr;

    if (skip_on_builtin( "MTOM reader encoding" )) return;
    reader = create_reader();

    for (i = 0; i < ARRAY_SIZE(edits); i++)
    {
        winetest_push_context( "edit %lu", i );
        build_edited( &m, edits[i].from, edits[i].to );
        hr = read_message( reader, &m, NULL, 0 );
        ok( hr == edits[i].hr, "got %#lx, expected %#lx\n", hr, edits[i].hr );
        winetest_pop_context();
    }

    /* too many parts: the example has three */
    build_xop_example( &full, TRUE, FALSE );
    prop.id = WS_XML_READER_PROPERTY_MAX_MIME_PARTS;
    prop.value = &max_parts;
    prop.valueSize = sizeof(max_parts);
    max_parts = 2;
    hr = read_message( reader, &full, &prop, 1 );
    ok( hr == WS_E_QUOTA_EXCEEDED, "2 parts: got %#lx\n", hr );
    max_parts = 3;
    hr = read_message( reader, &full, &prop, 1 );
    ok( hr == S_OK, "3 parts: got %#lx\n", hr );

    /* every truncation of the message: a clean failure, never a crash; the message is complete only
     * from the close delimiter on */
    for (len = 0; len < full.len; len++)
    {
        m = full;
        m.len = len;
        hr = read_message( reader, &m, NULL, 0 );
        if (len < full.len - 4)
            ok( hr == WS_E_INVALID_FORMAT, "truncated to %lu: got %#lx\n", len, hr );
        else
            ok( hr == S_OK || hr == WS_E_INVALID_FORMAT, "truncated to %lu: got %#lx\n", len, hr );
    }

    /* generated corpus: byte mutations of the message (deterministic) */
    for (i = 0; i < 3000; i++)
    {
        ULONG j, count;

        m = full;
        seed = seed * 1103515245 + 12345;
        count = 1 + (seed >> 16) % 4;
        for (j = 0; j < count; j++)
        {
            ULONG pos, val;
            seed = seed * 1103515245 + 12345;
            pos = (seed >> 8) % m.len;
            seed = seed * 1103515245 + 12345;
            val = (seed >> 16) & 0xff;
            /* bias the mutations towards the framing characters */
            if (val & 0x80) val = "-\r\n:;\"<>=%"[val % 10];
            m.data[pos] = val;
        }
        hr = read_message( reader, &m, NULL, 0 );
        if (hr == S_OK) failures[0]++;
        else if (hr == WS_E_INVALID_FORMAT) failures[1]++;
        else failures[2]++;
        ok( hr == S_OK || hr == WS_E_INVALID_FORMAT || hr == WS_E_QUOTA_EXCEEDED, "mutation %lu: got %#lx\n", i,
            hr );
    }
    ok( failures[1] > 0, "no mutation was rejected\n" );
    trace( "mutations: %lu read, %lu invalid, %lu other\n", failures[0], failures[1], failures[2] );

    WsFreeReader( reader );
}

/* ---- stream input ----------------------------------------------------------------- */

struct stream_state
{
    const BYTE *data;
    ULONG len, pos, chunk;
};

static HRESULT CALLBACK read_callback( void *state, void *buf, ULONG max, ULONG *actual,
                                       const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct stream_state *s = state;
    ULONG count = min( min( max, s->chunk ), s->len - s->pos );

    (void)ctx;
    (void)error;
    memcpy( buf, s->data + s->pos, count );
    s->pos += count;
    *actual = count;
    return S_OK;
}

static void test_stream_input(void)
{
    WS_XML_READER_MTOM_ENCODING enc;
    WS_XML_READER_STREAM_INPUT input;
    WS_XML_READER_PROPERTY prop;
    struct stream_state state;
    WS_XML_READER *reader;
    const WS_XML_NODE *node;
    ULONG max_root;
    struct msg m;
    HRESULT hr;

    if (skip_on_builtin( "MTOM reader encoding" )) return;
    reader = create_reader();
    build_xop_example( &m, TRUE, FALSE );
    init_reader_encoding( &enc, TRUE, NULL, NULL );
    memset( &input, 0, sizeof(input) );
    input.input.inputType = WS_XML_READER_INPUT_TYPE_STREAM;
    input.readCallback = read_callback;
    input.readCallbackState = &state;
    state.data = m.data;
    state.len = m.len;
    state.pos = 0;
    state.chunk = 7;

    hr = WsSetInput( reader, &enc.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    /* nothing is buffered before WsFillReader */
    hr = WsReadNode( reader, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "WsReadNode before WsFillReader: got %#lx\n", hr );
    hr = WsFillReader( reader, 1, NULL, NULL );
    ok( hr == S_OK, "WsFillReader: got %#lx\n", hr );
    hr = WsGetReaderNode( reader, &node, NULL );
    ok( hr == S_OK && node->nodeType == WS_XML_NODE_TYPE_BOF, "node type %d\n", node->nodeType );
    check_xop_example( reader );

    /* WS_XML_READER_PROPERTY_STREAM_MAX_ROOT_MIME_PART_SIZE bounds the root part */
    prop.id = WS_XML_READER_PROPERTY_STREAM_MAX_ROOT_MIME_PART_SIZE;
    prop.value = &max_root;
    prop.valueSize = sizeof(max_root);
    max_root = 100;
    state.pos = 0;
    hr = WsSetInput( reader, &enc.encoding, &input.input, &prop, 1, NULL );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    hr = WsFillReader( reader, 1, NULL, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "small root part quota: got %#lx\n", hr );
    hr = WsReadNode( reader, NULL );
    ok( FAILED(hr), "WsReadNode after the failure: got %#lx\n", hr );

    /* malformed stream input fails in WsFillReader */
    state.pos = 0;
    state.len = m.len - 10;
    hr = WsSetInput( reader, &enc.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    hr = WsFillReader( reader, 1, NULL, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "truncated stream: got %#lx\n", hr );

    WsFreeReader( reader );
}

/* ---- writing --------------------------------------------------------------------------- */

static void init_writer_encoding( WS_XML_WRITER_MTOM_ENCODING *enc, const WS_XML_WRITER_TEXT_ENCODING *text,
                                  BOOL header, const WCHAR *boundary, const WCHAR *start, const WCHAR *info,
                                  ULONG max_inline )
{
    memset( enc, 0, sizeof(*enc) );
    enc->encoding.encodingType = WS_XML_WRITER_ENCODING_TYPE_MTOM;
    enc->textEncoding = (WS_XML_WRITER_ENCODING *)&text->encoding;
    enc->writeMimeHeader = header;
    enc->boundary.chars = (WCHAR *)boundary;
    enc->boundary.length = boundary ? wcslen( boundary ) : 0;
    enc->startUri.chars = (WCHAR *)start;
    enc->startUri.length = start ? wcslen( start ) : 0;
    enc->startInfo.chars = (WCHAR *)info;
    enc->startInfo.length = info ? wcslen( info ) : 0;
    enc->maxInlineByteCount = max_inline;
}

static const BYTE *find_mem( const BYTE *p, ULONG len, const char *str )
{
    ULONG n = strlen( str ), i;
    for (i = 0; i + n <= len; i++) if (!memcmp( p + i, str, n )) return p + i;
    return NULL;
}

static ULONG count_mem( const BYTE *p, ULONG len, const char *str )
{
    const BYTE *hit, *end = p + len;
    ULONG count = 0;

    while ((hit = find_mem( p, end - p, str )))
    {
        count++;
        p = hit + 1;
    }
    return count;
}

/* <LOCAL>BYTES</LOCAL> with WsWriteBytes; the result of WsWriteEndElement. */
static HRESULT write_bytes_element( WS_XML_WRITER *writer, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                                    const BYTE *bytes, ULONG len )
{
    WsWriteStartElement( writer, NULL, local, ns, NULL );
    WsWriteBytes( writer, bytes, len, NULL );
    return WsWriteEndElement( writer, NULL );
}

/* The document written by write_doc: <a xmlns="urn:test"><b>SMALL</b><b>BIG1</b><c>text BIG2</c><b>BIG2</b></a> */
static BYTE big1[300], big2[1000];
static const BYTE small_bytes[] = { 1, 2, 3, 4 };

static HRESULT write_doc( WS_XML_WRITER *writer )
{
    static const WS_XML_UTF8_TEXT text = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "text " ) };
    HRESULT hr;

    if ((hr = WsWriteStartElement( writer, NULL, &str_a, &str_ns, NULL )) != S_OK) return hr;
    write_bytes_element( writer, &str_b, &str_ns, small_bytes, sizeof(small_bytes) );
    /* several WsWriteBytes calls make one run */
    WsWriteStartElement( writer, NULL, &str_b, &str_ns, NULL );
    WsWriteBytes( writer, big1, 100, NULL );
    WsWriteBytes( writer, big1 + 100, 1, NULL );
    WsWriteBytes( writer, big1 + 101, sizeof(big1) - 101, NULL );
    WsWriteEndElement( writer, NULL );
    /* bytes after text: not the whole content, so not optimizable */
    WsWriteStartElement( writer, NULL, &str_c, &str_ns, NULL );
    WsWriteText( writer, &text.text, NULL );
    WsWriteBytes( writer, big2, sizeof(big2), NULL );
    WsWriteEndElement( writer, NULL );
    write_bytes_element( writer, &str_b, &str_ns, big2, sizeof(big2) );
    return WsWriteEndElement( writer, NULL );
}

/* Reads back what write_doc wrote. */
static void check_doc( const BYTE *data, ULONG len, BOOL header, const WCHAR *boundary )
{
    WS_XML_READER_MTOM_ENCODING enc;
    WS_XML_READER *reader;
    BYTE buf[1100];
    ULONG got;
    HRESULT hr;

    reader = create_reader();
    init_reader_encoding( &enc, header, header ? NULL : boundary, NULL );
    hr = set_mtom_input( reader, &enc, data, len, NULL, 0 );
    ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
    read_to_content( reader, &str_a, &str_ns );
    read_to_content( reader, &str_b, &str_ns );
    hr = WsReadBytes( reader, buf, sizeof(buf), &got, NULL );
    ok( hr == S_OK && got == sizeof(small_bytes) && !memcmp( buf, small_bytes, got ), "got %#lx, %lu\n", hr, got );
    WsReadEndElement( reader, NULL );
    read_to_content( reader, &str_b, &str_ns );
    check_bytes_node( reader, big1, sizeof(big1), __LINE__ );
    hr = WsReadBytes( reader, buf, sizeof(buf), &got, NULL );
    ok( hr == S_OK && got == sizeof(big1) && !memcmp( buf, big1, got ), "got %#lx, %lu\n", hr, got );
    WsReadEndElement( reader, NULL );
    read_to_content( reader, &str_c, &str_ns );
    hr = WsReadChars( reader, (WCHAR *)buf, 5, &got, NULL );
    ok( hr == S_OK && got == 5 && !memcmp( buf, L"text ", 10 ), "got %#lx, %lu\n", hr, got );
    hr = WsReadBytes( reader, buf, sizeof(buf), &got, NULL );
    ok( hr == S_OK && got == sizeof(big2) && !memcmp( buf, big2, got ), "got %#lx, %lu\n", hr, got );
    WsReadEndElement( reader, NULL );
    read_to_content( reader, &str_b, &str_ns );
    check_bytes_node( reader, big2, sizeof(big2), __LINE__ );
    WsReadNode( reader, NULL );
    WsReadEndElement( reader, NULL );
    hr = WsReadEndElement( reader, NULL );
    ok( hr == S_OK, "WsReadEndElement a: got %#lx\n", hr );
    ok( read_all( reader, NULL ) == S_OK, "the document does not end cleanly\n" );
    WsFreeReader( reader );
}

static void test_write(void)
{
    static const char xop_ns_decl[] = "xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"";
    WS_XML_WRITER_MTOM_ENCODING enc;
    WS_XML_WRITER *writer;
    WS_BYTES bytes;
    const BYTE *p, *end;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < sizeof(big1); i++) big1[i] = i * 7;
    for (i = 0; i < sizeof(big2); i++) big2[i] = 255 - i;

    writer = create_writer();
    init_writer_encoding( &enc, &writer_utf8, TRUE, L"uuid:0b7e-boundary", L"http://tempuri.org/0",
                          L"application/soap+xml", 4 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    if (hr == E_NOTIMPL && is_builtin())
    {
        skip( "MTOM writer encoding not implemented\n" );
        WsFreeWriter( writer );
        return;
    }
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    hr = write_doc( writer );
    ok( hr == S_OK, "write_doc: got %#lx\n", hr );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    p = bytes.bytes;
    end = p + bytes.length;

    /* the MIME header (RFC 2045/2387): multipart/related with the given parameters, then an empty line */
    ok( find_mem( p, bytes.length, "MIME-Version: 1.0\r\n" ) == p, "no MIME-Version first\n" );
    ok( find_mem( p, bytes.length, "multipart/related" ) != NULL, "not multipart/related\n" );
    ok( find_mem( p, bytes.length, "boundary=\"uuid:0b7e-boundary\"" ) != NULL, "no boundary parameter\n" );
    ok( find_mem( p, bytes.length, "start=\"<http://tempuri.org/0>\"" ) != NULL, "no start parameter\n" );
    ok( find_mem( p, bytes.length, "start-info=\"application/soap+xml\"" ) != NULL, "no start-info\n" );
    ok( find_mem( p, bytes.length, "type=\"application/xop+xml\"" ) != NULL, "no type parameter\n" );
    ok( find_mem( p, bytes.length, "\r\n\r\n--uuid:0b7e-boundary\r\n" ) != NULL, "no first delimiter\n" );
    ok( find_mem( p, bytes.length, "Content-ID: <http://tempuri.org/0>\r\n" ) != NULL, "no root Content-ID\n" );
    /* three parts: the root and two optimized runs; the close delimiter ends the message */
    ok( count_mem( p, bytes.length, "--uuid:0b7e-boundary\r\n" ) == 3, "%lu delimiters\n",
        count_mem( p, bytes.length, "--uuid:0b7e-boundary\r\n" ) );
    /* RFC 2046: the close delimiter, optionally followed by an epilogue (a CRLF here) */
    ok( (bytes.length > 24 && !memcmp( end - 24, "\r\n--uuid:0b7e-boundary--", 24 )) ||
        (bytes.length > 26 && !memcmp( end - 26, "\r\n--uuid:0b7e-boundary--\r\n", 26 )), "no close delimiter\n" );
    ok( count_mem( p, bytes.length, "<xop:Include " ) == 2, "%lu xop:Include\n",
        count_mem( p, bytes.length, "<xop:Include " ) );
    ok( count_mem( p, bytes.length, xop_ns_decl ) == 2, "xop namespace not declared\n" );
    /* the small run (at most maxInlineByteCount bytes) and the run after text stay base64 */
    ok( find_mem( p, bytes.length, "<b>AQIDBA==</b>" ) != NULL, "small bytes not inline\n" );
    ok( find_mem( p, bytes.length, "<c>text //79" ) != NULL, "bytes after text not inline\n" );
    ok( find_mem( p, bytes.length, "Content-Transfer-Encoding: binary\r\n" ) != NULL, "no binary part\n" );
    check_doc( bytes.bytes, bytes.length, TRUE, NULL );

    /* no MIME header: the message starts with the first delimiter */
    init_writer_encoding( &enc, &writer_utf8, FALSE, L"b1", NULL, NULL, 0 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    hr = write_doc( writer );
    ok( hr == S_OK, "write_doc: got %#lx\n", hr );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( bytes.length > 4 && !memcmp( bytes.bytes, "--b1\r\n", 6 ), "does not start with the delimiter\n" );
    /* maxInlineByteCount 0: every run that is the whole content of its element is a part */
    ok( count_mem( bytes.bytes, bytes.length, "<xop:Include " ) == 3, "%lu xop:Include\n",
        count_mem( bytes.bytes, bytes.length, "<xop:Include " ) );
    check_doc( bytes.bytes, bytes.length, FALSE, L"b1" );

    /* a UTF-16 root part */
    init_writer_encoding( &enc, &writer_utf16, TRUE, L"b16", L"root", NULL, 16 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    hr = write_doc( writer );
    ok( hr == S_OK, "write_doc: got %#lx\n", hr );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( find_mem( bytes.bytes, bytes.length, "<\0a\0 \0x\0m\0l\0n\0s\0" ) != NULL, "root part not UTF-16\n" );
    check_doc( bytes.bytes, bytes.length, TRUE, NULL );

    WsFreeWriter( writer );
}

static void test_writer_encoding_args(void)
{
    WS_XML_WRITER_BINARY_ENCODING bin = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    WS_XML_WRITER_MTOM_ENCODING enc;
    WS_XML_WRITER_PROPERTY prop;
    WS_XML_WRITER *writer;
    ULONG max_parts;
    HRESULT hr;

    if (skip_on_builtin( "MTOM writer encoding" )) return;
    writer = create_writer();

    init_writer_encoding( &enc, &writer_utf8, TRUE, L"b", NULL, NULL, 0 );
    enc.textEncoding = NULL;
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "NULL textEncoding: got %#lx\n", hr );
    enc.textEncoding = &bin.encoding;
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "binary textEncoding: got %#lx\n", hr );
    init_writer_encoding( &enc, &writer_utf8, TRUE, NULL, NULL, NULL, 0 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "no boundary: got %#lx\n", hr );
    init_writer_encoding( &enc, &writer_utf8, TRUE, L"this boundary is far too long for MIME: "
                          L"RFC 2046 allows seventy characters at most", NULL, NULL, 0 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "long boundary: got %#lx\n", hr );
    /* the start parameter is written as start="<startUri>" */
    init_writer_encoding( &enc, &writer_utf8, TRUE, L"b", L"a>b", NULL, 0 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "startUri with '>': got %#lx\n", hr );
    init_writer_encoding( &enc, &writer_utf8, TRUE, L"b", NULL, L"text/\"xml\"", 0 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, NULL, 0, NULL );
    ok( hr == E_INVALIDARG, "startInfo with quotes: got %#lx\n", hr );
    /* a failed WsSetOutput leaves the writer without output */
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    ok( hr == WS_E_INVALID_OPERATION, "write without output: got %#lx\n", hr );

    /* WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE bounds the parts held */
    prop.id = WS_XML_WRITER_PROPERTY_MAX_MIME_PARTS_BUFFER_SIZE;
    prop.value = &max_parts;
    prop.valueSize = sizeof(max_parts);
    max_parts = 500;
    init_writer_encoding( &enc, &writer_utf8, TRUE, L"b", NULL, NULL, 0 );
    hr = WsSetOutput( writer, &enc.encoding, &buffer_output.output, &prop, 1, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    WsWriteStartElement( writer, NULL, &str_a, &str_empty, NULL );
    hr = write_bytes_element( writer, &str_b, &str_empty, big1, sizeof(big1) );
    ok( hr == S_OK, "300 bytes: got %#lx\n", hr );
    hr = write_bytes_element( writer, &str_b, &str_empty, big1, sizeof(big1) );
    ok( hr == WS_E_QUOTA_EXCEEDED, "600 bytes: got %#lx\n", hr );
    /* quota failures fault the writer */
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == WS_E_OBJECT_FAULTED, "after the quota: got %#lx\n", hr );

    WsFreeWriter( writer );
}

struct sink
{
    BYTE data[8192];
    ULONG len;
    ULONG calls;
};

static HRESULT CALLBACK write_callback( void *state, const WS_BYTES *buffers, ULONG count,
                                        const WS_ASYNC_CONTEXT *ctx, WS_ERROR *error )
{
    struct sink *s = state;
    ULONG i;

    (void)ctx;
    (void)error;
    s->calls++;
    for (i = 0; i < count; i++)
    {
        if (s->len + buffers[i].length > sizeof(s->data)) return E_FAIL;
        memcpy( s->data + s->len, buffers[i].bytes, buffers[i].length );
        s->len += buffers[i].length;
    }
    return S_OK;
}

static void test_stream_output(void)
{
    WS_XML_WRITER_MTOM_ENCODING enc;
    WS_XML_WRITER_STREAM_OUTPUT output;
    WS_XML_WRITER *writer;
    static struct sink sink;
    HRESULT hr;

    if (skip_on_builtin( "MTOM writer encoding" )) return;
    writer = create_writer();
    memset( &output, 0, sizeof(output) );
    output.output.outputType = WS_XML_WRITER_OUTPUT_TYPE_STREAM;
    output.writeCallback = write_callback;
    output.writeCallbackState = &sink;
    sink.len = sink.calls = 0;

    init_writer_encoding( &enc, &writer_utf8, TRUE, L"stream-boundary", L"start@x", L"text/xml", 8 );
    hr = WsSetOutput( writer, &enc.encoding, &output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput: got %#lx\n", hr );
    WsWriteStartElement( writer, NULL, &str_a, &str_ns, NULL );
    WsWriteStartElement( writer, NULL, &str_b, &str_ns, NULL );
    hr = WsFlushWriter( writer, 0, NULL, NULL );
    ok( hr == S_OK, "WsFlushWriter: got %#lx\n", hr );
    ok( sink.calls == 1 && sink.len > 0, "%lu calls, %lu bytes\n", sink.calls, sink.len );
    /* the rest of the document, with one optimized run */
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = write_bytes_element( writer, &str_b, &str_ns, big1, sizeof(big1) );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteEndElement( writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsFlushWriter( writer, 0, NULL, NULL );
    ok( hr == S_OK, "WsFlushWriter: got %#lx\n", hr );
    ok( sink.len > 21 && !memcmp( sink.data + sink.len - 21, "--stream-boundary--\r\n", 21 ),
        "no close delimiter\n" );
    ok( count_mem( sink.data, sink.len, "<xop:Include " ) == 1, "no xop:Include\n" );
    /* once the message is complete nothing more can be written */
    hr = WsWriteStartElement( writer, NULL, &str_a, &str_ns, NULL );
    ok( FAILED(hr), "write after the end: got %#lx\n", hr );
    WsFreeWriter( writer );

    /* the stream holds a message the reader reads */
    {
        WS_XML_READER_MTOM_ENCODING renc;
        WS_XML_READER *reader;

        reader = create_reader();
        init_reader_encoding( &renc, TRUE, NULL, NULL );
        hr = set_mtom_input( reader, &renc, sink.data, sink.len, NULL, 0 );
        ok( hr == S_OK, "WsSetInput: got %#lx\n", hr );
        read_to_content( reader, &str_a, &str_ns );
        read_to_content( reader, &str_b, &str_ns );
        hr = WsReadEndElement( reader, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        read_to_content( reader, &str_b, &str_ns );
        check_bytes_node( reader, big1, sizeof(big1), __LINE__ );
        ok( read_all( reader, NULL ) == S_OK, "does not read\n" );
        WsFreeReader( reader );
    }
}

/* ---- round trips through XML buffers --------------------------------------------- */

static void test_xml_buffer_round_trip(void)
{
    static const char doc[] = "<r xmlns=\"urn:test\"><d>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</d>"
                              "<d>AAEC</d><e>text</e><d>ISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNE</d></r>";
    WS_XML_READER_MTOM_ENCODING renc;
    WS_XML_WRITER_MTOM_ENCODING wenc;
    WS_XML_WRITER *writer;
    WS_XML_READER *reader;
    WS_XML_BUFFER *buffer, *buffer2;
    WS_HEAP *heap;
    void *bytes, *text;
    ULONG size, text_size;
    HRESULT hr;

    if (skip_on_builtin( "MTOM encodings" )) return;
    hr = WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "WsCreateHeap: got %#lx\n", hr );
    reader = create_reader();
    writer = create_writer();

    /* text -> buffer: base64 texts are UTF-8 texts there, written as they are */
    hr = WsReadXmlBufferFromBytes( reader, NULL, NULL, 0, doc, sizeof(doc) - 1, heap, &buffer, NULL );
    ok( hr == S_OK, "WsReadXmlBufferFromBytes: got %#lx\n", hr );
    init_writer_encoding( &wenc, &writer_utf8, TRUE, L"rt", L"root", NULL, 8 );
    hr = WsWriteXmlBufferToBytes( writer, buffer, &wenc.encoding, NULL, 0, heap, &bytes, &size, NULL );
    ok( hr == S_OK, "WsWriteXmlBufferToBytes: got %#lx\n", hr );
    ok( !count_mem( bytes, size, "<xop:Include " ), "UTF-8 text was optimized\n" );

    /* MTOM -> buffer -> text: parts become base64 texts */
    {
        struct msg m;
        static const char expect_photo[] = "<m:photo xmlmime:contentType='image/png'>iVBORw0KGgoAAAANLS3/</m:photo>";
        build_xop_example( &m, TRUE, FALSE );
        init_reader_encoding( &renc, TRUE, NULL, NULL );
        hr = WsReadXmlBufferFromBytes( reader, &renc.encoding, NULL, 0, m.data, m.len, heap, &buffer2, NULL );
        ok( hr == S_OK, "WsReadXmlBufferFromBytes MTOM: got %#lx\n", hr );
        hr = WsWriteXmlBufferToBytes( writer, buffer2, NULL, NULL, 0, heap, &text, &text_size, NULL );
        ok( hr == S_OK, "WsWriteXmlBufferToBytes text: got %#lx\n", hr );
        ok( find_mem( text, text_size, expect_photo ) != NULL, "got %.*s\n", (int)text_size, (char *)text );

        /* and back to MTOM: both parts, larger than 8 bytes, become parts again */
        hr = WsWriteXmlBufferToBytes( writer, buffer2, &wenc.encoding, NULL, 0, heap, &bytes, &size, NULL );
        ok( hr == S_OK, "WsWriteXmlBufferToBytes MTOM: got %#lx\n", hr );
        ok( count_mem( bytes, size, "<xop:Include " ) == 2, "%lu xop:Include\n",
            count_mem( bytes, size, "<xop:Include " ) );
        hr = WsReadXmlBufferFromBytes( reader, &renc.encoding, NULL, 0, bytes, size, heap, &buffer, NULL );
        ok( hr == S_OK, "WsReadXmlBufferFromBytes: got %#lx\n", hr );
        hr = WsWriteXmlBufferToBytes( writer, buffer, NULL, NULL, 0, heap, &bytes, &size, NULL );
        ok( hr == S_OK, "WsWriteXmlBufferToBytes text: got %#lx\n", hr );
        ok( size == text_size && !memcmp( bytes, text, size ), "round trip differs: %.*s\n", (int)size,
            (char *)bytes );
    }

    WsFreeWriter( writer );
    WsFreeReader( reader );
    WsFreeHeap( heap );
}

static void test_properties(void)
{
    WS_XML_READER *reader;
    ULONG value;
    HRESULT hr;

    reader = create_reader();
    /* documented defaults (Wine's builtin does not know the MIME properties) */
    hr = WsGetReaderProperty( reader, WS_XML_READER_PROPERTY_MAX_MIME_PARTS, &value, sizeof(value), NULL );
    todo_wine ok( hr == S_OK && value == 4096, "MAX_MIME_PARTS: got %#lx, %lu\n", hr, value );
    hr = WsGetReaderProperty( reader, WS_XML_READER_PROPERTY_STREAM_MAX_ROOT_MIME_PART_SIZE, &value, sizeof(value),
                              NULL );
    todo_wine ok( hr == S_OK && value == 65536, "STREAM_MAX_ROOT_MIME_PART_SIZE: got %#lx, %lu\n", hr, value );
    hr = WsGetReaderProperty( reader, WS_XML_READER_PROPERTY_STREAM_MAX_MIME_HEADERS_SIZE, &value, sizeof(value),
                              NULL );
    todo_wine ok( hr == S_OK && value == 256, "STREAM_MAX_MIME_HEADERS_SIZE: got %#lx, %lu\n", hr, value );
    WsFreeReader( reader );
}

START_TEST(mtom)
{
    test_properties();
    test_read_xop_example();
    test_reader_encoding_args();
    test_malformed();
    test_stream_input();
    test_write();
    test_writer_encoding_args();
    test_stream_output();
    test_xml_buffer_round_trip();
}
