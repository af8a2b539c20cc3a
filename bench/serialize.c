/*
 * WsWriteType / WsReadType throughput benchmark.
 *
 * Workload: a wrapper struct holding an array of ITEMS structs as a
 * WS_REPEATING_ELEMENT_FIELD_MAPPING field (wrapper element <items>, one
 * <item> per struct).  Each item mixes strings (a wsz and a WS_STRING),
 * integers (INT32, UINT64), a WS_DATETIME and a nested struct (two INT32
 * attributes).  One round writes the whole wrapper with WsWriteType to a
 * UTF-8 text buffer output, then reads it back with WsReadType into a heap
 * and compares every value with the original; a mismatch fails the run.
 * The best of ROUNDS rounds is reported for each direction, as items per
 * second measured with QueryPerformanceCounter.
 *
 * Mode (argv[1]): "text" (default) writes UTF-8 text to a buffer output
 * (WsSetOutput) and reads it with WsSetInput; "xmlbuffer" writes to a
 * WS_XML_BUFFER (WsSetOutputToBuffer) and reads it with WsSetInputToBuffer.
 * Wine's builtin fails the text mode with WS_E_QUOTA_EXCEEDED (its writer
 * stops between 177 KB and 530 KB of output whatever
 * WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE says), so the comparison uses the
 * xmlbuffer mode.
 *
 * The workload runs unchanged on Wine's builtin: WsWriteType gets the start
 * and end elements written around it (as both DLLs expect for
 * WS_ELEMENT_TYPE_MAPPING), and WsReadType is called on the start element
 * as documented, except for Wine's builtin, which wants the reader past the
 * start element (see tests/serialize.c); the builtin also consumes the end
 * element itself, so it is read only when it is still there.
 *
 * Output (stdout), one line each:
 *   dll: PATH (WHICH)          the webservices.dll actually loaded; WHICH is
 *                              "this project" when its version resource
 *                              carries our ProductName, else "other"
 *   xml_bytes: N               size of the document written (text mode)
 *   round N: write X items/s, read Y items/s
 *   serialize_write_items_per_sec: X  (best round)
 *   serialize_read_items_per_sec: Y   (best round)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"

#define ITEMS  10000
#define ROUNDS 5

typedef struct { INT32 x; INT32 y; } point;

typedef struct
{
    WCHAR      *name;
    WS_STRING   label;
    INT32       id;
    UINT64      big;
    WS_DATETIME when;
    point       pos;
} item;

typedef struct
{
    ULONG count;
    item *items;
} wrapper;

static BOOL builtin;
static BOOL xml_buffer;             /* "xmlbuffer" mode: WsSetOutputToBuffer / WsSetInputToBuffer */
static WS_XML_BUFFER *xml_buffer_out;

#define XS(s) { sizeof(s) - 1, (BYTE *)(s), NULL, 0 }
static WS_XML_STRING s_ns = XS("urn:bench"), s_root = XS("root"), s_items = XS("items"), s_item = XS("item");
static WS_XML_STRING s_name = XS("name"), s_label = XS("label"), s_id = XS("id"), s_big = XS("big");
static WS_XML_STRING s_when = XS("when"), s_pos = XS("pos"), s_x = XS("x"), s_y = XS("y");
static WS_XML_STRING s_point = XS("point"), s_itemtype = XS("itemType"), s_wrapper = XS("wrapper");

static WS_FIELD_DESCRIPTION f_x = { WS_ATTRIBUTE_FIELD_MAPPING, &s_x, &s_ns, WS_INT32_TYPE, NULL, offsetof(point, x), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION f_y = { WS_ATTRIBUTE_FIELD_MAPPING, &s_y, &s_ns, WS_INT32_TYPE, NULL, offsetof(point, y), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION *point_fields[] = { &f_x, &f_y };
static WS_STRUCT_DESCRIPTION point_desc = { sizeof(point), TYPE_ALIGNMENT(point), point_fields, 2, &s_point, &s_ns };

static WS_FIELD_DESCRIPTION f_name = { WS_ELEMENT_FIELD_MAPPING, &s_name, &s_ns, WS_WSZ_TYPE, NULL, offsetof(item, name), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION f_label = { WS_ELEMENT_FIELD_MAPPING, &s_label, &s_ns, WS_STRING_TYPE, NULL, offsetof(item, label), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION f_id = { WS_ELEMENT_FIELD_MAPPING, &s_id, &s_ns, WS_INT32_TYPE, NULL, offsetof(item, id), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION f_big = { WS_ELEMENT_FIELD_MAPPING, &s_big, &s_ns, WS_UINT64_TYPE, NULL, offsetof(item, big), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION f_when = { WS_ELEMENT_FIELD_MAPPING, &s_when, &s_ns, WS_DATETIME_TYPE, NULL, offsetof(item, when), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION f_pos = { WS_ELEMENT_FIELD_MAPPING, &s_pos, &s_ns, WS_STRUCT_TYPE, &point_desc, offsetof(item, pos), 0, NULL, 0, NULL, NULL, NULL };
static WS_FIELD_DESCRIPTION *item_fields[] = { &f_name, &f_label, &f_id, &f_big, &f_when, &f_pos };
static WS_STRUCT_DESCRIPTION item_desc = { sizeof(item), TYPE_ALIGNMENT(item), item_fields, 6, &s_itemtype, &s_ns };

static WS_FIELD_DESCRIPTION f_items = { WS_REPEATING_ELEMENT_FIELD_MAPPING, &s_items, &s_ns, WS_STRUCT_TYPE, &item_desc,
                                        offsetof(wrapper, items), 0, NULL, offsetof(wrapper, count), &s_item, &s_ns, NULL };
static WS_FIELD_DESCRIPTION *wrapper_fields[] = { &f_items };
static WS_STRUCT_DESCRIPTION wrapper_desc = { sizeof(wrapper), TYPE_ALIGNMENT(wrapper), wrapper_fields, 1, &s_wrapper, &s_ns };

static wrapper source;
static WCHAR names[ITEMS][16];
static WCHAR labels[ITEMS][32];

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc).  Wine's builtin keeps the path of the file it
 * stands in for, so the path alone does not tell. */
static void make_source(void)
{
    static item items[ITEMS];
    ULONG i;

    for (i = 0; i < ITEMS; i++)
    {
        swprintf( names[i], 16, L"name%lu", i );
        swprintf( labels[i], 32, L"label <%lu> & more", i * 7 );
        items[i].name = names[i];
        items[i].label.chars = labels[i];
        items[i].label.length = wcslen( labels[i] );
        items[i].id = (INT32)(i * 2654435761u);
        items[i].big = (UINT64)i * 0x100000001ull;
        items[i].when.ticks = 0x8c1220247e44000ull + (ULONGLONG)i * 10000000;  /* 2001-01-01 + i s */
        items[i].when.format = WS_DATETIME_FORMAT_UTC;
        items[i].pos.x = (INT32)i - 5000;
        items[i].pos.y = (INT32)(i * 3);
    }
    source.count = ITEMS;
    source.items = items;
}

static BOOL same_item( const item *a, const item *b )
{
    return !wcscmp( a->name, b->name ) && a->label.length == b->label.length &&
           !memcmp( a->label.chars, b->label.chars, a->label.length * sizeof(WCHAR) ) &&
           a->id == b->id && a->big == b->big && a->when.ticks == b->when.ticks &&
           a->when.format == b->when.format && a->pos.x == b->pos.x && a->pos.y == b->pos.y;
}

static double elapsed( LARGE_INTEGER start )
{
    LARGE_INTEGER freq, end;
    QueryPerformanceCounter( &end );
    QueryPerformanceFrequency( &freq );
    return (double)(end.QuadPart - start.QuadPart) / (double)freq.QuadPart;
}

/* Writes the document; returns the seconds taken, or a negative value. */
static double write_round( WS_XML_WRITER *writer, WS_HEAP *heap )
{
    WS_XML_WRITER_TEXT_ENCODING encoding = { { WS_XML_WRITER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    /* The default quota (64 KB) is far below the document.  Set both at
     * WsCreateWriter and WsSetOutput: Wine's builtin only honours the former. */
    ULONG max_buffer = 64 << 20;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max_buffer, sizeof(max_buffer) };
    LARGE_INTEGER start;
    HRESULT hr;

    QueryPerformanceCounter( &start );
    if (xml_buffer) hr = WsCreateXmlBuffer( heap, NULL, 0, &xml_buffer_out, NULL ) == S_OK ?
                         WsSetOutputToBuffer( writer, xml_buffer_out, NULL, 0, NULL ) : E_FAIL;
    else hr = WsSetOutput( writer, &encoding.encoding, &output.output, &prop, 1, NULL );
    if (hr != S_OK ||
        (hr = WsWriteStartElement( writer, NULL, &s_root, &s_ns, NULL )) != S_OK ||
        (hr = WsWriteType( writer, WS_ELEMENT_TYPE_MAPPING, WS_STRUCT_TYPE, &wrapper_desc, WS_WRITE_REQUIRED_VALUE,
                           &source, sizeof(source), NULL )) != S_OK ||
        (hr = WsWriteEndElement( writer, NULL )) != S_OK)
    {
        printf( "write failed: %#lx\n", hr );
        return -1.0;
    }
    return elapsed( start );
}

/* Reads the document back and checks it; returns the seconds taken (the
 * check excluded), or a negative value. */
static double read_round( WS_XML_READER *reader, WS_HEAP *heap, const WS_BYTES *xml )
{
    WS_XML_READER_TEXT_ENCODING encoding = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, xml->bytes, xml->length };
    const WS_XML_NODE *node;
    LARGE_INTEGER start;
    wrapper result;
    double secs;
    HRESULT hr;
    ULONG i;

    memset( &result, 0, sizeof(result) );
    QueryPerformanceCounter( &start );
    if (xml_buffer) hr = WsSetInputToBuffer( reader, xml_buffer_out, NULL, 0, NULL );
    else hr = WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL );
    if (hr != S_OK ||
        (hr = WsReadToStartElement( reader, &s_root, &s_ns, NULL, NULL )) != S_OK ||
        (builtin && (hr = WsReadStartElement( reader, NULL )) != S_OK) ||
        (hr = WsReadType( reader, WS_ELEMENT_TYPE_MAPPING, WS_STRUCT_TYPE, &wrapper_desc, WS_READ_REQUIRED_VALUE,
                          heap, &result, sizeof(result), NULL )) != S_OK ||
        (hr = WsGetReaderNode( reader, &node, NULL )) != S_OK ||
        (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT && (hr = WsReadEndElement( reader, NULL )) != S_OK))
    {
        printf( "read failed: %#lx\n", hr );
        return -1.0;
    }
    secs = elapsed( start );
    if (result.count != ITEMS)
    {
        printf( "read back %lu items, expected %u\n", result.count, ITEMS );
        return -1.0;
    }
    for (i = 0; i < ITEMS; i++)
        if (!same_item( &result.items[i], &source.items[i] ))
        {
            printf( "item %lu read back differs\n", i );
            return -1.0;
        }
    return secs;
}

int main( int argc, char **argv )
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    char path[MAX_PATH] = "?";
    double best_write = 0.0, best_read = 0.0;
    WS_XML_WRITER *writer;
    WS_XML_READER *reader;
    WS_HEAP *heap;
    WS_BYTES xml;
    ULONG max_buffer = 64 << 20;
    WS_XML_WRITER_PROPERTY prop = { WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE, &max_buffer, sizeof(max_buffer) };
    int round;

    xml_buffer = argc > 1 && !strcmp( argv[1], "xmlbuffer" );
    builtin = !is_our_dll( module );
    GetModuleFileNameA( module, path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, builtin ? "other" : "this project" );
    make_source();

    if (WsCreateWriter( &prop, 1, &writer, NULL ) != S_OK || WsCreateReader( NULL, 0, &reader, NULL ) != S_OK ||
        WsCreateHeap( 256 << 20, 1 << 20, NULL, 0, &heap, NULL ) != S_OK)
    {
        printf( "setup failed\n" );
        return 1;
    }
    for (round = -1; round < ROUNDS; round++)    /* round -1: warm-up */
    {
        double wsecs, rsecs;

        WsResetHeap( heap, NULL );
        wsecs = write_round( writer, heap );

        if (wsecs < 0.0) return 1;
        if (xml_buffer) xml.length = 0;
        else if (WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &xml, sizeof(xml), NULL ) != S_OK)
        {
            printf( "WS_XML_WRITER_PROPERTY_BYTES failed\n" );
            return 1;
        }
        if (round < 0 && !xml_buffer) printf( "xml_bytes: %lu\n", xml.length );
        if ((rsecs = read_round( reader, heap, &xml )) < 0.0) return 1;
        if (round < 0) continue;
        printf( "round %d: write %.0f items/s, read %.0f items/s\n", round, ITEMS / wsecs, ITEMS / rsecs );
        if (ITEMS / wsecs > best_write) best_write = ITEMS / wsecs;
        if (ITEMS / rsecs > best_read) best_read = ITEMS / rsecs;
    }
    printf( "serialize_write_items_per_sec: %.0f\n", best_write );
    printf( "serialize_read_items_per_sec: %.0f\n", best_read );
    WsFreeHeap( heap );
    WsFreeReader( reader );
    WsFreeWriter( writer );
    return 0;
}
