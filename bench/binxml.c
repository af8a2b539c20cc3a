/*
 * Binary XML ([MC-NBFX]) reader and writer throughput benchmark.
 *
 * Reader workload: an 8 MB SOAP-like binary document built in memory by a
 * fixed generator (the same bytes for every DLL), read with WsSetInput
 * (buffer input, WS_XML_READER_BINARY_ENCODING with the [MC-NBFS] static
 * dictionary of WsGetDictionary) and a WsReadNode loop to EOF.  Only
 * records both our DLL and Wine's builtin read are used: dictionary
 * elements and xmlns attributes, ShortElement, ShortAttribute, Chars8Text,
 * Int32Text, OneText/TrueText, EndElement and Comment.  The best of
 * ROUNDS rounds after a warm-up is reported in MB/s (MB = 10^6).
 *
 * Writer workload: DOCS documents of ITEMS items written to a
 * WS_XML_WRITER_BUFFER_OUTPUT writer with WS_XML_WRITER_BINARY_ENCODING and
 * the same static dictionary:
 *
 *   <s:Envelope xmlns:s="soap-envelope"><s:Body>     (dictionary strings)
 *     <items xmlns="urn:bench">
 *       <item id="N" kind='k'><name>item</name><value>N</value></item>  x ITEMS
 *     </items></s:Body></s:Envelope>
 *
 * (several small documents rather than a large one: Wine's builtin cannot
 * buffer more than about 512 KB; WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE is
 * raised from its default of 64 KB).  The best of ROUNDS rounds is reported in
 * elements per second.
 *
 * Output (stdout), one line each:
 *   dll: PATH (WHICH)           the webservices.dll actually loaded; WHICH is
 *                               "this project" when its version resource
 *                               carries our ProductName, else "other"
 *   doc_bytes: N                size of the reader's document
 *   nodes: N                    nodes read per round (the same for every DLL)
 *   read round N: X MB/s
 *   binread_mb_per_sec: X       (best round)
 *   write_bytes: N              size of one written document
 *   write round N: X elements/s
 *   binwrite_elements_per_sec: X (best round)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"

#define DOC_SIZE (8 * 1024 * 1024)
#define ROUNDS   5
#define ITEMS    2020
#define DOCS     33

static BYTE *doc;
static ULONG doc_len;
static WS_XML_DICTIONARY *dict;

#define CHECK(call) do { HRESULT hr_ = (call); if (hr_ != S_OK) { \
    printf( "%s failed: %#lx\n", #call, hr_ ); return -1.0; } } while (0)

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc).  Wine's builtin keeps the path of the file it
 * stands in for, so the path alone does not tell. */
static void put_bytes( const void *data, ULONG len )
{
    memcpy( doc + doc_len, data, len );
    doc_len += len;
}

/* A record type byte followed by a string with a one-byte length
 * (MultiByteInt31 of a value below 0x80). */
static void put_record_str( BYTE record, const char *str )
{
    BYTE len = strlen( str );

    doc[doc_len++] = record;
    doc[doc_len++] = len;
    put_bytes( str, len );
}

static void put_int32( BYTE record, INT32 value )
{
    doc[doc_len++] = record;
    put_bytes( &value, sizeof(value) );
}

/* [MC-NBFX] 2.2 records; dictionary keys from [MC-NBFS] 2.1 (even keys are
 * static dictionary strings). */
static void make_document(void)
{
    static const BYTE head[] =
    {
        0x56, 0x02,                 /* PrefixDictionaryElementS: s:Envelope (0x02) */
        0x0b, 0x01, 's', 0x04,      /* DictionaryXmlnsAttribute: xmlns:s = soap-envelope (0x04) */
        0x0b, 0x01, 'a', 0x06,      /* DictionaryXmlnsAttribute: xmlns:a = addressing (0x06) */
        0x56, 0x08,                 /* s:Header (0x08) */
        0x44, 0x0a,                 /* PrefixDictionaryElementA: a:Action (0x0A) */
        0x1e, 0x00, 0x82,           /* PrefixDictionaryAttributeS: s:mustUnderstand (0x00) = OneText */
    };
    static const BYTE tail[] = { 0x01, 0x01, 0x01 };    /* GetOrdersResponse, Body, Envelope */
    char buf[96];
    ULONG i = 0;

    doc = malloc( DOC_SIZE + 4096 );
    doc_len = 0;
    put_bytes( head, sizeof(head) );
    put_record_str( 0x99, "http://tempuri.org/IService/GetOrders" );  /* Chars8TextWithEndElement */
    doc[doc_len++] = 0x01;                              /* EndElement (Header) */
    doc[doc_len++] = 0x56;                              /* s:Body (0x0E) */
    doc[doc_len++] = 0x0e;
    put_record_str( 0x40, "GetOrdersResponse" );        /* ShortElement */
    put_record_str( 0x08, "http://tempuri.org/" );      /* ShortXmlnsAttribute */
    while (doc_len < DOC_SIZE - sizeof(tail) - 1024)
    {
        put_record_str( 0x40, "Order" );                /* ShortElement */
        put_record_str( 0x04, "id" );                   /* ShortAttribute */
        put_int32( 0x8c, i );                           /* Int32Text */
        put_record_str( 0x04, "status" );
        put_record_str( 0x98, "shipped" );              /* Chars8Text */
        put_record_str( 0x40, "Customer" );
        sprintf( buf, "Customer & Sons #%lu", i % 977 );
        put_record_str( 0x99, buf );                    /* Chars8TextWithEndElement */
        put_record_str( 0x40, "Date" );
        sprintf( buf, "2024-03-%02luT10:%02lu:00Z", 1 + i % 28, i % 60 );
        put_record_str( 0x99, buf );
        put_record_str( 0x40, "Amount" );
        put_record_str( 0x04, "currency" );
        put_record_str( 0x98, "EUR" );
        put_int32( 0x8d, 10 + i % 9000 );               /* Int32TextWithEndElement */
        put_record_str( 0x40, "Paid" );
        doc[doc_len++] = 0x87;                          /* TrueTextWithEndElement */
        put_record_str( 0x40, "Description" );
        sprintf( buf, "Widgets, gadgets and assorted parts for order %lu.", i );
        put_record_str( 0x99, buf );
        if (!(i % 16)) put_record_str( 0x02, "audited" );   /* Comment */
        doc[doc_len++] = 0x01;                          /* EndElement (Order) */
        i++;
    }
    put_bytes( tail, sizeof(tail) );
}

/* One reader round; returns the elapsed seconds, or a negative value on failure. */
static double read_round( WS_XML_READER *reader, ULONG *nodes )
{
    WS_XML_READER_BINARY_ENCODING encoding = { { WS_XML_READER_ENCODING_TYPE_BINARY }, NULL, NULL };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, NULL, 0 };
    LARGE_INTEGER freq, start, end;
    const WS_XML_NODE *node;
    ULONG count = 0;

    encoding.staticDictionary = dict;
    input.encodedData = doc;
    input.encodedDataSize = doc_len;
    QueryPerformanceFrequency( &freq );
    QueryPerformanceCounter( &start );
    CHECK( WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL ) );
    for (;;)
    {
        HRESULT hr;

        if ((hr = WsReadNode( reader, NULL )) != S_OK)
        {
            printf( "WsReadNode failed after %lu nodes: %#lx\n", count, hr );
            return -1.0;
        }
        CHECK( WsGetReaderNode( reader, &node, NULL ) );
        count++;
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) break;
    }
    QueryPerformanceCounter( &end );
    *nodes = count;
    return (double)(end.QuadPart - start.QuadPart) / (double)freq.QuadPart;
}

/* The static dictionary's string VALUE, so that the writer emits its key. */
static WS_XML_STRING *dict_string( const char *value )
{
    ULONG i, len = strlen( value );

    for (i = 0; i < dict->stringCount; i++)
        if (dict->strings[i].length == len && !memcmp( dict->strings[i].bytes, value, len ))
            return &dict->strings[i];
    return NULL;
}

static WS_XML_STRING str_s = WS_XML_STRING_VALUE( "s" );
static WS_XML_STRING str_items = WS_XML_STRING_VALUE( "items" );
static WS_XML_STRING str_item = WS_XML_STRING_VALUE( "item" );
static WS_XML_STRING str_name = WS_XML_STRING_VALUE( "name" );
static WS_XML_STRING str_value = WS_XML_STRING_VALUE( "value" );
static WS_XML_STRING str_id = WS_XML_STRING_VALUE( "id" );
static WS_XML_STRING str_kind = WS_XML_STRING_VALUE( "kind" );
static WS_XML_STRING str_ns = WS_XML_STRING_VALUE( "urn:bench" );
static WS_XML_STRING str_empty = WS_XML_STRING_VALUE( "" );

static ULONG last_size;

/* One writer round; returns the elapsed seconds, or a negative value on failure. */
static double write_round(void)
{
    WS_XML_WRITER_BINARY_ENCODING encoding = { { WS_XML_WRITER_ENCODING_TYPE_BINARY }, NULL, NULL, NULL };
    static const WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    WS_XML_UTF8_TEXT kind = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "k" ) };
    WS_XML_UTF8_TEXT name = { { WS_XML_TEXT_TYPE_UTF8 }, WS_XML_STRING_VALUE( "item" ) };
    WS_XML_STRING *envelope = dict_string( "Envelope" ), *body = dict_string( "Body" );
    WS_XML_STRING *soap = dict_string( "http://www.w3.org/2003/05/soap-envelope" );
    ULONG max_size = 64 * 1024 * 1024;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max_size, sizeof(max_size) };
    LARGE_INTEGER freq, start, end;
    WS_XML_WRITER *writer;
    WS_BYTES bytes;
    INT32 i, n;

    if (!envelope || !body || !soap)
    {
        printf( "SOAP strings missing from the static dictionary\n" );
        return -1.0;
    }
    encoding.staticDictionary = dict;
    QueryPerformanceFrequency( &freq );
    QueryPerformanceCounter( &start );
    CHECK( WsCreateWriter( &prop, 1, &writer, NULL ) );
    for (n = 0; n < DOCS; n++)
    {
        CHECK( WsSetOutput( writer, &encoding.encoding, &output.output, NULL, 0, NULL ) );
        CHECK( WsWriteStartElement( writer, &str_s, envelope, soap, NULL ) );
        CHECK( WsWriteStartElement( writer, &str_s, body, soap, NULL ) );
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
        /* the document ends with the EndElement records of items, Body and
         * Envelope (the last item's closes with its value's text record) */
        if (bytes.length < 3 || memcmp( bytes.bytes + bytes.length - 3, "\x01\x01\x01", 3 ))
        {
            printf( "unexpected document of %lu bytes\n", bytes.length );
            return -1.0;
        }
        last_size = bytes.length;
    }
    WsFreeWriter( writer );
    QueryPerformanceCounter( &end );
    return (double)(end.QuadPart - start.QuadPart) / (double)freq.QuadPart;
}

int main(void)
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    char path[MAX_PATH] = "?";
    const double elements = (double)DOCS * (3 + 3 * ITEMS);
    WS_XML_READER *reader;
    double best = 0.0;
    ULONG nodes = 0;
    HRESULT hr;
    int round;

    GetModuleFileNameA( module, path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( module ) ? "this project" : "other" );
    if ((hr = WsGetDictionary( WS_ENCODING_XML_BINARY_SESSION_1, &dict, NULL )) != S_OK || !dict)
    {
        printf( "WsGetDictionary failed: %#lx\n", hr );
        return 1;
    }
    make_document();
    printf( "doc_bytes: %lu\n", doc_len );
    if ((hr = WsCreateReader( NULL, 0, &reader, NULL )) != S_OK)
    {
        printf( "WsCreateReader failed: %#lx\n", hr );
        return 1;
    }
    if (read_round( reader, &nodes ) <= 0.0) return 1;    /* warm-up */
    printf( "nodes: %lu\n", nodes );
    for (round = 0; round < ROUNDS; round++)
    {
        double secs = read_round( reader, &nodes ), mbps;

        if (secs <= 0.0) return 1;
        mbps = doc_len / secs / 1e6;
        printf( "read round %d: %.1f MB/s\n", round, mbps );
        if (mbps > best) best = mbps;
    }
    printf( "binread_mb_per_sec: %.1f\n", best );
    WsFreeReader( reader );

    if (write_round() <= 0.0) return 1;     /* warm-up */
    printf( "write_bytes: %lu\n", last_size );
    best = 0.0;
    for (round = 0; round < ROUNDS; round++)
    {
        double secs = write_round(), eps;

        if (secs <= 0.0) return 1;
        eps = elements / secs;
        printf( "write round %d: %.0f elements/s\n", round, eps );
        if (eps > best) best = eps;
    }
    printf( "binwrite_elements_per_sec: %.0f\n", best );
    return 0;
}
