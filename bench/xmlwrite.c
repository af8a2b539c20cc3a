/*
 * XML writer throughput benchmark.
 *
 * Workload: SOAP-like documents written to a WS_XML_WRITER_BUFFER_OUTPUT
 * writer (text encoding, UTF-8), DOCS documents of ITEMS items:
 *
 *   <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>
 *     <items xmlns="urn:bench">
 *       <item id="N" kind='k'><name>item</name><value>N</value></item>  x 2,020
 *     </items></s:Body></s:Envelope>
 *
 * that is 6,063 elements per document (three per item), every item with two
 * attributes (an int32 through WsWriteValue, a UTF-8 text) and two text
 * nodes (UTF-8 text and an int32 value); 33 documents, 200,079 elements per
 * round.  (Documents of ~140 KB rather than one of 4.6 MB: Wine's builtin
 * cannot buffer more than about 512 KB.)  Each round creates the writer, and
 * for each document sets the output, writes it and reads
 * WS_XML_WRITER_PROPERTY_BYTES (checking the document's size and end); then
 * frees the writer.  The best of ROUNDS rounds is
 * reported as elements per second (QueryPerformanceCounter).
 *
 * Output (stdout), one line each:
 *   dll: PATH (WHICH)           the webservices.dll actually loaded; WHICH is
 *                               "this project" when its version resource
 *                               carries our ProductName, else "other"
 *   bytes: N                    size of the document
 *   round N: X elements/s
 *   xml_write_elements_per_sec: X  (best round)
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"

#define ITEMS  2020
#define DOCS   33
#define ROUNDS 5

#define CHECK(call) do { HRESULT hr_ = (call); if (hr_ != S_OK) { \
    printf( "%s failed: %#lx\n", #call, hr_ ); return -1.0; } } while (0)

static WS_XML_STRING str_s = WS_XML_STRING_VALUE( "s" );
static WS_XML_STRING str_envelope = WS_XML_STRING_VALUE( "Envelope" );
static WS_XML_STRING str_body = WS_XML_STRING_VALUE( "Body" );
static WS_XML_STRING str_soap = WS_XML_STRING_VALUE( "http://www.w3.org/2003/05/soap-envelope" );
static WS_XML_STRING str_items = WS_XML_STRING_VALUE( "items" );
static WS_XML_STRING str_item = WS_XML_STRING_VALUE( "item" );
static WS_XML_STRING str_name = WS_XML_STRING_VALUE( "name" );
static WS_XML_STRING str_value = WS_XML_STRING_VALUE( "value" );
static WS_XML_STRING str_id = WS_XML_STRING_VALUE( "id" );
static WS_XML_STRING str_kind = WS_XML_STRING_VALUE( "kind" );
static WS_XML_STRING str_ns = WS_XML_STRING_VALUE( "urn:bench" );
static WS_XML_STRING str_empty = WS_XML_STRING_VALUE( "" );

static ULONG last_size;

/* One round; returns the elapsed seconds, or a negative value on failure. */
static double run_round(void)
{
    static const WS_XML_WRITER_TEXT_ENCODING encoding = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    static const WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    WS_XML_UTF8_TEXT kind = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "k" ) };
    WS_XML_UTF8_TEXT name = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "item" ) };
    ULONG max_size = 64 * 1024 * 1024;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max_size, sizeof(max_size) };
    LARGE_INTEGER freq, start, end;
    WS_XML_WRITER *writer;
    WS_BYTES bytes;
    INT32 i, doc;

    QueryPerformanceFrequency( &freq );
    QueryPerformanceCounter( &start );
    CHECK( WsCreateWriter( &prop, 1, &writer, NULL ) );
    for (doc = 0; doc < DOCS; doc++)
    {
        CHECK( WsSetOutput( writer, &encoding.encoding, &output.output, &prop, 1, NULL ) );
        CHECK( WsWriteStartElement( writer, &str_s, &str_envelope, &str_soap, NULL ) );
        CHECK( WsWriteStartElement( writer, &str_s, &str_body, &str_soap, NULL ) );
        CHECK( WsWriteStartElement( writer, &str_empty, &str_items, &str_ns, NULL ) );
        for (i = 0; i < ITEMS; i++)
        {
            CHECK( WsWriteStartElement( writer, NULL, &str_item, &str_ns, NULL ) );
            CHECK( WsWriteStartAttribute( writer, NULL, &str_id, &str_empty, FALSE, NULL ) );
            CHECK( WsWriteValue( writer, WS_INT32_VALUE_TYPE, &i, sizeof(i), NULL ) );
            CHECK( WsWriteEndAttribute( writer, NULL ) );
            CHECK( WsWriteStartAttribute( writer, NULL, &str_kind, &str_empty, TRUE, NULL ) );
            CHECK( WsWriteText( writer, &kind.text, NULL ) );
            CHECK( WsWriteEndAttribute( writer, NULL ) );
            CHECK( WsWriteStartElement( writer, NULL, &str_name, &str_ns, NULL ) );
            CHECK( WsWriteText( writer, &name.text, NULL ) );
            CHECK( WsWriteEndElement( writer, NULL ) );
            CHECK( WsWriteStartElement( writer, NULL, &str_value, &str_ns, NULL ) );
            CHECK( WsWriteValue( writer, WS_INT32_VALUE_TYPE, &i, sizeof(i), NULL ) );
            CHECK( WsWriteEndElement( writer, NULL ) );
            CHECK( WsWriteEndElement( writer, NULL ) );
        }
        CHECK( WsWriteEndElement( writer, NULL ) );
        CHECK( WsWriteEndElement( writer, NULL ) );
        CHECK( WsWriteEndElement( writer, NULL ) );
        CHECK( WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL ) );
        last_size = bytes.length;
        if (bytes.length < ITEMS * 50 || memcmp( bytes.bytes + bytes.length - 13, "</s:Envelope>", 13 ))
        {
            printf( "unexpected document: %lu bytes\n", bytes.length );
            return -1.0;
        }
    }
    WsFreeWriter( writer );
    QueryPerformanceCounter( &end );
    return (double)(end.QuadPart - start.QuadPart) / freq.QuadPart;
}

int main(void)
{
    HMODULE module = GetModuleHandleW( L"webservices.dll" );
    const double elements = DOCS * (3.0 * ITEMS + 3);
    double best = 0.0;
    char path[MAX_PATH] = "?";
    int round;

    if (module) GetModuleFileNameA( module, path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( module ) ? "this project" : "other" );
    for (round = 0; round < ROUNDS; round++)
    {
        double secs = run_round(), rate;
        if (secs <= 0.0) return 1;
        rate = elements / secs;
        printf( "round %d: %.0f elements/s\n", round + 1, rate );
        if (rate > best) best = rate;
    }
    printf( "bytes per document: %lu\n", last_size );
    printf( "xml_write_elements_per_sec: %.0f\n", best );
    return 0;
}
