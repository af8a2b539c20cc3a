/*
 * Text XML reader throughput benchmark.
 *
 * Workload: an 8 MB SOAP-like document generated in memory (an envelope with
 * a header and a body of repeated records: prefixed elements, namespace
 * declarations, attributes, text, a few entity and character references and
 * comments), read with WsSetInput (buffer input, UTF-8) and a WsReadNode
 * loop to EOF.  The workload runs ROUNDS times after a warm-up round; the
 * best round is reported in MB/s (document bytes per second, MB = 10^6),
 * measured with QueryPerformanceCounter.
 *
 * Output (stdout), one line each:
 *   dll: PATH (WHICH)          the webservices.dll actually loaded; WHICH is
 *                              "this project" when its version resource
 *                              carries our ProductName, else "other"
 *   nodes: N                   nodes read per round (the same for every DLL)
 *   round N: X MB/s
 *   xmlread_mb_per_sec: X      (best round)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"

#define DOC_SIZE (8 * 1024 * 1024)
#define ROUNDS   5

static char *doc;
static ULONG doc_len;

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc).  Wine's builtin keeps the path of the file it
 * stands in for, so the path alone does not tell. */
static void make_document(void)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:a=\"http://www.w3.org/2005/08/addressing\">\n"
        "  <s:Header>\n"
        "    <a:Action s:mustUnderstand=\"1\">http://tempuri.org/IService/GetOrders</a:Action>\n"
        "    <a:MessageID>urn:uuid:6f1e2a43-1d2c-4c6b-9a3e-2f0b8e1d7c55</a:MessageID>\n"
        "    <a:To s:mustUnderstand=\"1\">http://localhost:8080/Service</a:To>\n"
        "  </s:Header>\n"
        "  <s:Body>\n"
        "    <GetOrdersResponse xmlns=\"http://tempuri.org/\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\n";
    static const char tail[] = "    </GetOrdersResponse>\n  </s:Body>\n</s:Envelope>\n";
    ULONG i = 0;

    doc = malloc( DOC_SIZE + 4096 );
    strcpy( doc, head );
    doc_len = strlen( head );
    while (doc_len < DOC_SIZE - sizeof(tail) - 1024)
    {
        doc_len += sprintf( doc + doc_len,
            "      <Order id=\"%lu\" status='shipped'>\n"
            "        <Customer>Customer &amp; Sons #%lu</Customer>\n"
            "        <Date>2024-03-%02luT10:%02lu:00Z</Date>\n"
            "        <Amount currency=\"EUR\">%lu.%02lu</Amount>\n"
            "        <Note i:nil=\"true\"/>\n"
            "        <Description>Widgets, gadgets and assorted parts for order %lu&#x2E;</Description>\n"
            "%s"
            "      </Order>\n",
            i, i % 977, 1 + i % 28, i % 60, 10 + i % 9000, i % 100, i,
            (i % 16) ? "" : "        <!-- audited -->\n" );
        i++;
    }
    strcpy( doc + doc_len, tail );
    doc_len += strlen( tail );
}

/* One round; returns the elapsed seconds, or a negative value on failure. */
static double run_round( WS_XML_READER *reader, ULONG *nodes )
{
    WS_XML_READER_TEXT_ENCODING encoding = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, NULL, 0 };
    LARGE_INTEGER freq, start, end;
    const WS_XML_NODE *node;
    HRESULT hr;
    ULONG count = 0;

    input.encodedData = doc;
    input.encodedDataSize = doc_len;
    QueryPerformanceFrequency( &freq );
    QueryPerformanceCounter( &start );
    if ((hr = WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL )) != S_OK)
    {
        printf( "WsSetInput failed: %#lx\n", hr );
        return -1.0;
    }
    for (;;)
    {
        if ((hr = WsReadNode( reader, NULL )) != S_OK)
        {
            printf( "WsReadNode failed after %lu nodes: %#lx\n", count, hr );
            return -1.0;
        }
        if ((hr = WsGetReaderNode( reader, &node, NULL )) != S_OK)
        {
            printf( "WsGetReaderNode failed: %#lx\n", hr );
            return -1.0;
        }
        count++;
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) break;
    }
    QueryPerformanceCounter( &end );
    *nodes = count;
    return (double)(end.QuadPart - start.QuadPart) / (double)freq.QuadPart;
}

int main(void)
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    char path[MAX_PATH] = "?";
    WS_XML_READER *reader;
    double best = 0.0;
    ULONG nodes = 0;
    HRESULT hr;
    int round;

    make_document();
    GetModuleFileNameA( module, path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( module ) ? "this project" : "other" );
    if ((hr = WsCreateReader( NULL, 0, &reader, NULL )) != S_OK)
    {
        printf( "WsCreateReader failed: %#lx\n", hr );
        return 1;
    }
    if (run_round( reader, &nodes ) <= 0.0) return 1;    /* warm-up */
    printf( "nodes: %lu\n", nodes );
    for (round = 0; round < ROUNDS; round++)
    {
        double secs = run_round( reader, &nodes ), mbps;

        if (secs <= 0.0) return 1;
        mbps = doc_len / secs / 1e6;
        printf( "round %d: %.1f MB/s\n", round, mbps );
        if (mbps > best) best = mbps;
    }
    printf( "xmlread_mb_per_sec: %.1f\n", best );
    WsFreeReader( reader );
    return 0;
}
