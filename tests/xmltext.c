/*
 * Tests for the text forms of values: WsWriteText, WsWriteValue and WsReadValue
 *
 * Documented facts used here:
 *   WS_XML_*_TEXT pages: bool "true"/"false"; GUID "xxxxxxxx-xxxx-xxxx-xxxx-
 *     xxxxxxxxxxxx"; unique id "urn:uuid:" + GUID; decimal 1.23 is "1.23";
 *     float/double: enough digits to preserve the value, "-0", "INF",
 *     "-INF", "NaN"; timespan "[+|-][d?.]HH:mm:ss[.fffffff]"; qname
 *     "prefix:localName"; list: the items separated by one whitespace
 *     ({123, true} is "123 true"); datetime is an xsd:dateTime.
 *   WS_DATETIME_FORMAT: UTC ends in "Z" ("2007-09-25T01:30:00Z"), LOCAL in
 *     "[+|-]hh:mm" (UTC when no time zone information exists for the time),
 *     NONE has no time zone.  The largest WS_DATETIME is 3155378975999999999.
 *   WS_DURATION: an xsd:duration; milliseconds < 1000, ticks < 10000.
 *   WsReadValue: leading and trailing whitespace is ignored; text that does
 *     not parse gives WS_E_INVALID_FORMAT; its grammar: bool "true" | "false"
 *     | "1" | "0"; ints sign? digits; uints digits; double sign? digits
 *     ("." digits)? exponent? | "NaN" | "INF" | "-INF"; decimal sign? digits
 *     ("." digits)?; GUID 8-4-4-4-12 hex digits of either case; timespan
 *     sign? (digits ".")? hh:mm:ss ("." d7)?; datetime yyyy-MM-ddThh:mm:ss
 *     ("." d7)? tz? with tz "Z" | sign hh ":" mm; hh 0-23, mm and ss 0-59.
 *   WS_E_NUMERIC_OVERFLOW: the value does not fit the type.
 *
 * The double forms ("1E+15", "1E-2": the exponent form outside [0.1, 1e15))
 * match Wine's builtin where its digits are right; its digit generation is
 * not exact (0.1 gives ":E-2"), those checks are todo_wine.
 */

#include <math.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* The tables leave trailing fields (todo flags, dictionary) to their zero default. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define TICKS_2007  633256362000000000ULL   /* 2007-09-17T14:30:00 */
#define TICKS_MAX   3155378975999999999ULL

static const GUID test_guid = {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};

static WS_XML_WRITER *create_writer( void )
{
    WS_XML_WRITER *writer = NULL;
    HRESULT hr = WsCreateWriter( NULL, 0, &writer, NULL );
    if (hr == E_NOTIMPL) return NULL;
    ok( hr == S_OK, "WsCreateWriter got %08lx\n", hr );
    return hr == S_OK ? writer : NULL;
}

/* Output to a buffer, positioned in <a>. */
static HRESULT start_element( WS_XML_WRITER *writer )
{
    WS_XML_WRITER_TEXT_ENCODING encoding = {{WS_XML_WRITER_ENCODING_TYPE_TEXT}, WS_CHARSET_UTF8};
    WS_XML_WRITER_BUFFER_OUTPUT output = {{WS_XML_WRITER_OUTPUT_TYPE_BUFFER}};
    WS_XML_STRING localname = {1, (BYTE *)"a"}, ns = {0, NULL};
    HRESULT hr;

    hr = WsSetOutput( writer, &encoding.encoding, &output.output, NULL, 0, NULL );
    if (hr != S_OK) return hr;
    return WsWriteStartElement( writer, NULL, &localname, &ns, NULL );
}

/* Ends <a> and compares the document with "<a>EXPECTED</a>". */
static void check_output_( unsigned line, WS_XML_WRITER *writer, const char *expected, BOOL todo )
{
    char doc[256];
    WS_BYTES bytes = {0, NULL};
    HRESULT hr;
    ULONG len;

    hr = WsWriteEndElement( writer, NULL );
    ok_(__FILE__, line)( hr == S_OK, "WsWriteEndElement got %08lx\n", hr );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
    ok_(__FILE__, line)( hr == S_OK, "WsGetWriterProperty got %08lx\n", hr );
    len = strlen( expected ) + 7;
    strcpy( doc, "<a>" );
    strcat( doc, expected );
    strcat( doc, "</a>" );
    todo_wine_if( todo )
    ok_(__FILE__, line)( bytes.length == len && !memcmp( bytes.bytes, doc, len ), "got %s, expected %s\n",
                         wine_dbgstr_an( (const char *)bytes.bytes, bytes.length ), doc );
}
#define check_output(writer, expected, todo) check_output_( __LINE__, writer, expected, todo )

struct text_test
{
    const WS_XML_TEXT *text;
    const char *expected;     /* NULL: fails with HR */
    HRESULT hr;
    int todo;                 /* Wine's builtin differs: TODO_OUTPUT in the text, TODO_HR already in the result */
};

#define TODO_OUTPUT 1
#define TODO_HR     2

static void run_text_tests( WS_XML_WRITER *writer, const char *name, const struct text_test *tests, ULONG count )
{
    ULONG i;
    HRESULT hr;

    for (i = 0; i < count; i++)
    {
        winetest_push_context( "%s %lu", name, i );
        hr = start_element( writer );
        ok( hr == S_OK, "start got %08lx\n", hr );
        hr = WsWriteText( writer, tests[i].text, NULL );
        todo_wine_if( tests[i].todo == TODO_HR )
        ok( hr == tests[i].hr, "got %08lx, expected %08lx\n", hr, tests[i].hr );
        if (hr == S_OK && tests[i].expected) check_output( writer, tests[i].expected, tests[i].todo );
        winetest_pop_context();
    }
}

static void test_double_text( WS_XML_WRITER *writer )
{
    static WS_XML_DOUBLE_TEXT d[26];
    static const struct { double value; const char *expected; int todo; } values[] =
    {
        { 0.0, "0" },
        { -0.0, "-0", TODO_OUTPUT },                    /* documented; the builtin writes "0" */
        { 1.0, "1" },
        { -1.0, "-1" },
        { 1.1, "1.1" },                          /* the shortest form, not 1.1000000000000001 */
        { -2.5, "-2.5" },
        { 0.1, "0.1", TODO_OUTPUT },
        { 0.5, "0.5" },
        { 0.01, "1E-2", TODO_OUTPUT },
        { 1.0 / 3.0, "0.3333333333333333", TODO_OUTPUT },
        { 0.30000000000000004, "0.30000000000000004", TODO_OUTPUT },
        { 1.0000000000000002, "1.0000000000000002" },
        { 100.0, "100" },
        { 1234567.0, "1234567" },
        { 12345.678, "12345.678", TODO_OUTPUT },
        { 100000000000000.0, "100000000000000" },
        { 1e15, "1E+15" },
        { 1e21, "1E+21" },
        { 123456789012345678.0, "1.2345678901234568E+17", TODO_OUTPUT },
        { 1.5e-7, "1.5E-7" },
        { 0.000123, "1.23E-4", TODO_OUTPUT },
        { 1.7976931348623157e308, "1.7976931348623157E+308", TODO_OUTPUT },
        { 2.2250738585072014e-308, "2.2250738585072014E-308", TODO_OUTPUT },
        { INFINITY, "INF" },
        { -INFINITY, "-INF" },
        { NAN, "NaN" },
    };
    struct text_test tests[ARRAY_SIZE(values)];
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(values); i++)
    {
        d[i].text.textType = WS_XML_TEXT_TYPE_DOUBLE;
        d[i].value = values[i].value;
        tests[i].text = &d[i].text;
        tests[i].expected = values[i].expected;
        tests[i].hr = S_OK;
        tests[i].todo = values[i].todo;
    }
    run_text_tests( writer, "double", tests, ARRAY_SIZE(tests) );
}

static void test_float_text( WS_XML_WRITER *writer )
{
    static WS_XML_FLOAT_TEXT f[10];
    static const struct { float value; const char *expected; } values[] =
    {
        { 0.0f, "0" },
        { -0.0f, "-0" },
        { 1.1f, "1.1" },                         /* shortest for a float, not 1.10000002 */
        { 0.1f, "0.1" },
        { 1.0f / 3.0f, "0.33333334" },
        { 16777216.0f, "16777216" },
        { 3.4028235e38f, "3.4028235E+38" },
        { INFINITY, "INF" },
        { -INFINITY, "-INF" },
        { NAN, "NaN" },
    };
    struct text_test tests[ARRAY_SIZE(values)];
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(values); i++)
    {
        f[i].text.textType = WS_XML_TEXT_TYPE_FLOAT;
        f[i].value = values[i].value;
        tests[i].text = &f[i].text;
        tests[i].expected = values[i].expected;
        tests[i].hr = S_OK;
        tests[i].todo = TODO_HR;                 /* E_NOTIMPL in the builtin */
    }
    run_text_tests( writer, "float", tests, ARRAY_SIZE(tests) );
}

static void test_WsWriteText( WS_XML_WRITER *writer )
{
    static const BYTE base64_bytes[] = {'a', 'b', 'c', 'd', 'e'};
    static const WCHAR utf16_chars[] = {'a', 0xe9, 0x20ac, 0xd83d, 0xde00};
    static WS_XML_STRING prefix = {1, (BYTE *)"p"}, localname = {3, (BYTE *)"loc"}, ns = {2, (BYTE *)"ns"};
    static WS_XML_STRING empty = {0, NULL};
    static WS_XML_UTF8_TEXT utf8 = {{WS_XML_TEXT_TYPE_UTF8}, {4, (BYTE *)"text"}};
    static WS_XML_UTF16_TEXT utf16 = {{WS_XML_TEXT_TYPE_UTF16}, (BYTE *)utf16_chars, sizeof(utf16_chars)};
    static WS_XML_UTF16_TEXT utf16_odd = {{WS_XML_TEXT_TYPE_UTF16}, (BYTE *)utf16_chars, 3};
    static WS_XML_BASE64_TEXT base64_5 = {{WS_XML_TEXT_TYPE_BASE64}, (BYTE *)base64_bytes, 5};
    static WS_XML_BASE64_TEXT base64_4 = {{WS_XML_TEXT_TYPE_BASE64}, (BYTE *)base64_bytes, 4};
    static WS_XML_BASE64_TEXT base64_3 = {{WS_XML_TEXT_TYPE_BASE64}, (BYTE *)base64_bytes, 3};
    static WS_XML_BOOL_TEXT bool_true = {{WS_XML_TEXT_TYPE_BOOL}, TRUE};
    static WS_XML_BOOL_TEXT bool_false = {{WS_XML_TEXT_TYPE_BOOL}, FALSE};
    static WS_XML_BOOL_TEXT bool_2 = {{WS_XML_TEXT_TYPE_BOOL}, 2};
    static WS_XML_INT32_TEXT int32_min = {{WS_XML_TEXT_TYPE_INT32}, -2147483647 - 1};
    static WS_XML_INT32_TEXT int32_123 = {{WS_XML_TEXT_TYPE_INT32}, 123};
    static WS_XML_INT64_TEXT int64_min = {{WS_XML_TEXT_TYPE_INT64}, -9223372036854775807LL - 1};
    static WS_XML_INT64_TEXT int64_max = {{WS_XML_TEXT_TYPE_INT64}, 9223372036854775807LL};
    static WS_XML_UINT64_TEXT uint64_max = {{WS_XML_TEXT_TYPE_UINT64}, 18446744073709551615ULL};
    static WS_XML_UINT64_TEXT uint64_0 = {{WS_XML_TEXT_TYPE_UINT64}, 0};
    static WS_XML_GUID_TEXT guid = {{WS_XML_TEXT_TYPE_GUID}, {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}}};
    static WS_XML_UNIQUE_ID_TEXT unique_id = {{WS_XML_TEXT_TYPE_UNIQUE_ID}, {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}}};
    static WS_XML_QNAME_TEXT qname = {{WS_XML_TEXT_TYPE_QNAME}, &prefix, &localname, &ns};
    static WS_XML_QNAME_TEXT qname_no_prefix = {{WS_XML_TEXT_TYPE_QNAME}, &empty, &localname, &ns};
    static WS_XML_TEXT *list_items[] = {&int32_123.text, &bool_true.text, &utf8.text};
    static WS_XML_LIST_TEXT list = {{WS_XML_TEXT_TYPE_LIST}, 3, list_items};
    static WS_XML_LIST_TEXT list_1 = {{WS_XML_TEXT_TYPE_LIST}, 1, list_items};
    static WS_XML_DATETIME_TEXT dt_utc = {{WS_XML_TEXT_TYPE_DATETIME}, {TICKS_2007 + 1234567, WS_DATETIME_FORMAT_UTC}};
    static WS_XML_DATETIME_TEXT dt_fraction = {{WS_XML_TEXT_TYPE_DATETIME}, {TICKS_2007 + 1000000, WS_DATETIME_FORMAT_UTC}};
    static WS_XML_DATETIME_TEXT dt_none = {{WS_XML_TEXT_TYPE_DATETIME}, {TICKS_2007, WS_DATETIME_FORMAT_NONE}};
    static WS_XML_DATETIME_TEXT dt_zero = {{WS_XML_TEXT_TYPE_DATETIME}, {0, WS_DATETIME_FORMAT_UTC}};
    static WS_XML_DATETIME_TEXT dt_leap = {{WS_XML_TEXT_TYPE_DATETIME}, {633398400000000000ULL, WS_DATETIME_FORMAT_NONE}};
    static WS_XML_DATETIME_TEXT dt_max = {{WS_XML_TEXT_TYPE_DATETIME}, {TICKS_MAX, WS_DATETIME_FORMAT_UTC}};
    static WS_XML_DATETIME_TEXT dt_past_max = {{WS_XML_TEXT_TYPE_DATETIME}, {TICKS_MAX + 1, WS_DATETIME_FORMAT_UTC}};
    static WS_XML_DATETIME_TEXT dt_bad_format = {{WS_XML_TEXT_TYPE_DATETIME}, {0, 3}};
    /* no time zone information before 1601: UTC form, as documented */
    static WS_XML_DATETIME_TEXT dt_local_year1 = {{WS_XML_TEXT_TYPE_DATETIME}, {0, WS_DATETIME_FORMAT_LOCAL}};
    static WS_XML_TIMESPAN_TEXT ts_0 = {{WS_XML_TEXT_TYPE_TIMESPAN}, {0}};
    static WS_XML_TIMESPAN_TEXT ts_1 = {{WS_XML_TEXT_TYPE_TIMESPAN}, {1}};
    static WS_XML_TIMESPAN_TEXT ts_day = {{WS_XML_TEXT_TYPE_TIMESPAN}, {864000000001LL}};
    static WS_XML_TIMESPAN_TEXT ts_neg = {{WS_XML_TEXT_TYPE_TIMESPAN}, {-4320611234500LL}};
    static WS_XML_TIMESPAN_TEXT ts_max = {{WS_XML_TEXT_TYPE_TIMESPAN}, {0x7fffffffffffffffLL}};
    static WS_XML_TIMESPAN_TEXT ts_min = {{WS_XML_TEXT_TYPE_TIMESPAN}, {-0x7fffffffffffffffLL - 1}};
    static WS_XML_DECIMAL_TEXT dec_123 = {{WS_XML_TEXT_TYPE_DECIMAL}, {.scale = 2, .Lo64 = 123}};
    static WS_XML_DECIMAL_TEXT dec_100 = {{WS_XML_TEXT_TYPE_DECIMAL}, {.scale = 2, .Lo64 = 100}};
    static WS_XML_DECIMAL_TEXT dec_neg = {{WS_XML_TEXT_TYPE_DECIMAL}, {.scale = 3, .sign = DECIMAL_NEG, .Lo64 = 5}};
    static WS_XML_DECIMAL_TEXT dec_max = {{WS_XML_TEXT_TYPE_DECIMAL}, {.Hi32 = ~0u, .Lo64 = ~0ull}};
    static WS_XML_DECIMAL_TEXT dec_max_28 = {{WS_XML_TEXT_TYPE_DECIMAL}, {.scale = 28, .Hi32 = ~0u, .Lo64 = ~0ull}};
    static WS_XML_DECIMAL_TEXT dec_scale_29 = {{WS_XML_TEXT_TYPE_DECIMAL}, {.scale = 29, .Lo64 = 1}};
    static WS_XML_TEXT bad_type = {0};
    static const struct text_test tests[] =
    {
        { &utf8.text, "text" },
        { &utf16.text, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" },
        { &utf16_odd.text, NULL, E_INVALIDARG },
        { &base64_5.text, "YWJjZGU=" },
        { &base64_4.text, "YWJjZA==" },
        { &base64_3.text, "YWJj" },
        { &bool_true.text, "true" },
        { &bool_false.text, "false" },
        { &bool_2.text, "true" },
        { &int32_min.text, "-2147483648" },
        { &int32_123.text, "123" },
        { &int64_min.text, "-9223372036854775808" },
        { &int64_max.text, "9223372036854775807" },
        { &uint64_max.text, "18446744073709551615" },
        { &uint64_0.text, "0" },
        { &guid.text, "01234567-89ab-cdef-0123-456789abcdef" },
        { &unique_id.text, "urn:uuid:01234567-89ab-cdef-0123-456789abcdef" },
        { &qname.text, "p:loc" },
        { &qname_no_prefix.text, "loc" },
        { &list.text, "123 true text", S_OK, TODO_HR },          /* E_NOTIMPL in the builtin */
        { &list_1.text, "123", S_OK, TODO_HR },
        { &dt_utc.text, "2007-09-17T14:30:00.1234567Z" },
        { &dt_fraction.text, "2007-09-17T14:30:00.1Z" },
        { &dt_none.text, "2007-09-17T14:30:00" },
        { &dt_zero.text, "0001-01-01T00:00:00Z" },
        { &dt_leap.text, "2008-02-29T00:00:00" },
        { &dt_max.text, "9999-12-31T23:59:59.9999999Z" },
        { &dt_past_max.text, NULL, WS_E_INVALID_FORMAT, TODO_HR },  /* the builtin writes year 10000 */
        { &dt_bad_format.text, NULL, E_INVALIDARG, TODO_HR },
        { &dt_local_year1.text, "0001-01-01T00:00:00Z", S_OK, TODO_OUTPUT },  /* the builtin writes "+00:00" */
        { &ts_0.text, "00:00:00", S_OK, TODO_HR },               /* E_NOTIMPL in the builtin */
        { &ts_1.text, "00:00:00.0000001", S_OK, TODO_HR },
        { &ts_day.text, "1.00:00:00.0000001", S_OK, TODO_HR },
        { &ts_neg.text, "-5.00:01:01.12345", S_OK, TODO_HR },
        { &ts_max.text, "10675199.02:48:05.4775807", S_OK, TODO_HR },
        { &ts_min.text, "-10675199.02:48:05.4775808", S_OK, TODO_HR },
        { &dec_123.text, "1.23", S_OK, TODO_HR },                /* E_NOTIMPL in the builtin */
        { &dec_100.text, "1.00", S_OK, TODO_HR },
        { &dec_neg.text, "-0.005", S_OK, TODO_HR },
        { &dec_max.text, "79228162514264337593543950335", S_OK, TODO_HR },
        { &dec_max_28.text, "7.9228162514264337593543950335", S_OK, TODO_HR },
        { &dec_scale_29.text, NULL, E_INVALIDARG, TODO_HR },
        { &bad_type, NULL, E_INVALIDARG, TODO_HR },
    };
    HRESULT hr;

    run_text_tests( writer, "text", tests, ARRAY_SIZE(tests) );
    test_double_text( writer );
    test_float_text( writer );

    hr = start_element( writer );
    ok( hr == S_OK, "got %08lx\n", hr );
    hr = WsWriteText( writer, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %08lx\n", hr );
}

/* LOCAL format: the local time of the instant and its offset from UTC. */
static void test_local_datetime( WS_XML_WRITER *writer )
{
    WS_XML_DATETIME_TEXT text = {{WS_XML_TEXT_TYPE_DATETIME}, {TICKS_2007, WS_DATETIME_FORMAT_LOCAL}};
    SYSTEMTIME utc = {2007, 9, 1, 17, 14, 30, 0, 0}, local;
    FILETIME utc_ft, local_ft;
    LONGLONG offset;
    char expected[40];
    ULONG minutes;
    HRESULT hr;

    if (!SystemTimeToTzSpecificLocalTime( NULL, &utc, &local ))
    {
        skip( "no time zone information\n" );
        return;
    }
    SystemTimeToFileTime( &utc, &utc_ft );
    SystemTimeToFileTime( &local, &local_ft );
    offset = (LONGLONG)(((ULONGLONG)local_ft.dwHighDateTime << 32 | local_ft.dwLowDateTime) -
                        ((ULONGLONG)utc_ft.dwHighDateTime << 32 | utc_ft.dwLowDateTime));
    minutes = (ULONG)((offset < 0 ? -offset : offset) / 600000000);
    sprintf( expected, "%04u-%02u-%02uT%02u:%02u:%02u%c%02lu:%02lu", local.wYear, local.wMonth, local.wDay,
             local.wHour, local.wMinute, local.wSecond, offset < 0 ? '-' : '+', minutes / 60, minutes % 60 );

    hr = start_element( writer );
    ok( hr == S_OK, "got %08lx\n", hr );
    hr = WsWriteText( writer, &text.text, NULL );
    ok( hr == S_OK, "got %08lx\n", hr );
    /* the builtin ignores daylight saving time */
    check_output( writer, expected, TRUE );
}

static void write_value_( unsigned line, WS_XML_WRITER *writer, WS_VALUE_TYPE type, const void *value, ULONG size,
                          HRESULT expected_hr, const char *expected, int todo )
{
    HRESULT hr = start_element( writer );
    ok_(__FILE__, line)( hr == S_OK, "start got %08lx\n", hr );
    hr = WsWriteValue( writer, type, value, size, NULL );
    todo_wine_if( todo == TODO_HR )
    ok_(__FILE__, line)( hr == expected_hr, "type %d: got %08lx, expected %08lx\n", type, hr, expected_hr );
    if (hr == S_OK && expected) check_output_( line, writer, expected, todo );
}
#define write_value(writer, type, value, size, hr, expected, todo) \
    write_value_( __LINE__, writer, type, value, size, hr, expected, todo )

static void test_WsWriteValue( WS_XML_WRITER *writer )
{
    BOOL b = TRUE, b5 = 5, b0 = FALSE;
    INT8 i8 = -128;
    INT16 i16 = -32768;
    INT32 i32 = 2147483647;
    INT64 i64 = -9223372036854775807LL - 1;
    UINT8 u8 = 255;
    UINT16 u16 = 65535;
    UINT32 u32 = 4294967295u;
    UINT64 u64 = 18446744073709551615ULL;
    float f = 1.1f;
    double d = 1.1, dz = -0.0;
    DECIMAL dec = {.scale = 4, .Lo64 = 12345};
    WS_DATETIME dt = {TICKS_2007, WS_DATETIME_FORMAT_NONE}, dt_utc = {TICKS_2007, WS_DATETIME_FORMAT_UTC};
    WS_TIMESPAN ts = {-10000000};
    WS_DURATION dur = {0}, dur_all = {FALSE, 1, 2, 3, 4, 5, 6, 7, 8}, dur_neg = {TRUE, 0, 0, 0, 0, 0, 1, 0, 0};
    WS_DURATION dur_half = {FALSE, 0, 0, 0, 0, 0, 0, 500, 0}, dur_days = {FALSE, 0, 0, 10, 0, 0, 0, 0, 0};
    WS_DURATION dur_bad_ms = {FALSE, 0, 0, 0, 0, 0, 0, 1000, 0}, dur_bad_ticks = {FALSE, 0, 0, 0, 0, 0, 0, 0, 10000};

    write_value( writer, WS_BOOL_VALUE_TYPE, &b, sizeof(b), S_OK, "true", 0 );
    write_value( writer, WS_BOOL_VALUE_TYPE, &b5, sizeof(b5), S_OK, "true", 0 );
    write_value( writer, WS_BOOL_VALUE_TYPE, &b0, sizeof(b0), S_OK, "false", 0 );
    write_value( writer, WS_INT8_VALUE_TYPE, &i8, sizeof(i8), S_OK, "-128", 0 );
    write_value( writer, WS_INT16_VALUE_TYPE, &i16, sizeof(i16), S_OK, "-32768", 0 );
    write_value( writer, WS_INT32_VALUE_TYPE, &i32, sizeof(i32), S_OK, "2147483647", 0 );
    write_value( writer, WS_INT64_VALUE_TYPE, &i64, sizeof(i64), S_OK, "-9223372036854775808", 0 );
    write_value( writer, WS_UINT8_VALUE_TYPE, &u8, sizeof(u8), S_OK, "255", 0 );
    write_value( writer, WS_UINT16_VALUE_TYPE, &u16, sizeof(u16), S_OK, "65535", 0 );
    write_value( writer, WS_UINT32_VALUE_TYPE, &u32, sizeof(u32), S_OK, "4294967295", 0 );
    write_value( writer, WS_UINT64_VALUE_TYPE, &u64, sizeof(u64), S_OK, "18446744073709551615", 0 );
    write_value( writer, WS_FLOAT_VALUE_TYPE, &f, sizeof(f), S_OK, "1.1", TODO_HR );
    write_value( writer, WS_DOUBLE_VALUE_TYPE, &d, sizeof(d), S_OK, "1.1", 0 );
    write_value( writer, WS_DOUBLE_VALUE_TYPE, &dz, sizeof(dz), S_OK, "-0", TODO_OUTPUT );
    write_value( writer, WS_DECIMAL_VALUE_TYPE, &dec, sizeof(dec), S_OK, "1.2345", TODO_HR );
    write_value( writer, WS_DATETIME_VALUE_TYPE, &dt, sizeof(dt), S_OK, "2007-09-17T14:30:00", 0 );
    write_value( writer, WS_DATETIME_VALUE_TYPE, &dt_utc, sizeof(dt_utc), S_OK, "2007-09-17T14:30:00Z", 0 );
    write_value( writer, WS_TIMESPAN_VALUE_TYPE, &ts, sizeof(ts), S_OK, "-00:00:01", TODO_HR );
    write_value( writer, WS_GUID_VALUE_TYPE, &test_guid, sizeof(test_guid), S_OK,
                 "01234567-89ab-cdef-0123-456789abcdef", 0 );
    /* xsd:duration; the builtin does not support WS_DURATION_VALUE_TYPE */
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur, sizeof(dur), S_OK, "PT0S", TODO_HR );
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur_all, sizeof(dur_all), S_OK, "P1Y2M3DT4H5M6.0070008S", TODO_HR );
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur_neg, sizeof(dur_neg), S_OK, "-PT1S", TODO_HR );
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur_half, sizeof(dur_half), S_OK, "PT0.5S", TODO_HR );
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur_days, sizeof(dur_days), S_OK, "P10D", TODO_HR );
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur_bad_ms, sizeof(dur_bad_ms), E_INVALIDARG, NULL, 0 );
    write_value( writer, WS_DURATION_VALUE_TYPE, &dur_bad_ticks, sizeof(dur_bad_ticks), E_INVALIDARG, NULL, 0 );

    /* the size must be the type's */
    write_value( writer, WS_INT8_VALUE_TYPE, &i32, sizeof(i32), E_INVALIDARG, NULL, 0 );
    write_value( writer, WS_INT32_VALUE_TYPE, &i32, 2, E_INVALIDARG, NULL, 0 );
    write_value( writer, WS_INT32_VALUE_TYPE, NULL, sizeof(i32), E_INVALIDARG, NULL, 0 );
    write_value( writer, WS_DURATION_VALUE_TYPE + 1, &dec, sizeof(dec), E_INVALIDARG, NULL, 0 );
}

union value
{
    BOOL b;
    INT8 i8;
    INT16 i16;
    INT32 i32;
    INT64 i64;
    UINT8 u8;
    UINT16 u16;
    UINT32 u32;
    UINT64 u64;
    float f;
    double d;
    DECIMAL dec;
    WS_DATETIME dt;
    WS_TIMESPAN ts;
    GUID guid;
    WS_DURATION dur;
    BYTE bytes[64];
};

static const ULONG value_sizes[] =
{
    sizeof(BOOL), 1, 2, 4, 8, 1, 2, 4, 8, sizeof(float), sizeof(double), sizeof(DECIMAL), sizeof(WS_DATETIME),
    sizeof(WS_TIMESPAN), sizeof(GUID), sizeof(WS_DURATION)
};

static HRESULT read_value( WS_XML_READER *reader, const char *text, WS_VALUE_TYPE type, void *value, ULONG size )
{
    WS_XML_READER_TEXT_ENCODING encoding = {{WS_XML_READER_ENCODING_TYPE_TEXT}, WS_CHARSET_UTF8};
    WS_XML_READER_BUFFER_INPUT input = {{WS_XML_READER_INPUT_TYPE_BUFFER}};
    static char doc[256];
    HRESULT hr;

    strcpy( doc, "<a>" );
    strcat( doc, text );
    strcat( doc, "</a>" );
    input.encodedData = doc;
    input.encodedDataSize = strlen( doc );
    if ((hr = WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL )) != S_OK) return hr;
    if ((hr = WsReadToStartElement( reader, NULL, NULL, NULL, NULL )) != S_OK) return hr;
    if ((hr = WsReadStartElement( reader, NULL )) != S_OK) return hr;
    return WsReadValue( reader, type, value, size, NULL );
}

static BOOL same_value( WS_VALUE_TYPE type, const union value *v1, const union value *v2 )
{
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:  return v1->b == v2->b;
    case WS_FLOAT_VALUE_TYPE:
        if (isnan( v2->f )) return isnan( v1->f );
        return !memcmp( &v1->f, &v2->f, sizeof(float) );
    case WS_DOUBLE_VALUE_TYPE:
        if (isnan( v2->d )) return isnan( v1->d );
        return !memcmp( &v1->d, &v2->d, sizeof(double) );
    case WS_DECIMAL_VALUE_TYPE:
        return v1->dec.scale == v2->dec.scale && v1->dec.sign == v2->dec.sign && v1->dec.Hi32 == v2->dec.Hi32 &&
               v1->dec.Lo64 == v2->dec.Lo64;
    case WS_DATETIME_VALUE_TYPE: return v1->dt.ticks == v2->dt.ticks && v1->dt.format == v2->dt.format;
    default: return !memcmp( v1, v2, value_sizes[type] );
    }
}

struct read_test
{
    const char *text;
    WS_VALUE_TYPE type;
    HRESULT hr;
    union value value;
    BOOL todo;     /* Wine's builtin differs */
};

static const struct read_test read_tests[] =
{
    { "true", WS_BOOL_VALUE_TYPE, S_OK, {.b = TRUE} },
    { "false", WS_BOOL_VALUE_TYPE, S_OK, {.b = FALSE} },
    { "1", WS_BOOL_VALUE_TYPE, S_OK, {.b = TRUE} },
    { "0", WS_BOOL_VALUE_TYPE, S_OK, {.b = FALSE} },
    { " \t\r\nfalse \n", WS_BOOL_VALUE_TYPE, S_OK, {.b = FALSE}, TRUE },  /* whitespace is ignored (documented) */
    { "TRUE", WS_BOOL_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "2", WS_BOOL_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "tru", WS_BOOL_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "", WS_BOOL_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "127", WS_INT8_VALUE_TYPE, S_OK, {.i8 = 127} },
    { "-128", WS_INT8_VALUE_TYPE, S_OK, {.i8 = -128} },
    { "007", WS_INT8_VALUE_TYPE, S_OK, {.i8 = 7} },
    { "-0", WS_INT8_VALUE_TYPE, S_OK, {.i8 = 0} },
    { "+5", WS_INT8_VALUE_TYPE, S_OK, {.i8 = 5}, TRUE },      /* sign = "-" | "+" (documented) */
    { "128", WS_INT8_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "-129", WS_INT8_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "1 2", WS_INT8_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "0x10", WS_INT8_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "-", WS_INT8_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "", WS_INT8_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "-32768", WS_INT16_VALUE_TYPE, S_OK, {.i16 = -32768} },
    { "32768", WS_INT16_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "2147483647", WS_INT32_VALUE_TYPE, S_OK, {.i32 = 2147483647} },
    { "-2147483648", WS_INT32_VALUE_TYPE, S_OK, {.i32 = -2147483647 - 1} },
    { "2147483648", WS_INT32_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "99999999999999999999999", WS_INT32_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "  42  ", WS_INT32_VALUE_TYPE, S_OK, {.i32 = 42} },
    { "9223372036854775807", WS_INT64_VALUE_TYPE, S_OK, {.i64 = 9223372036854775807LL} },
    { "-9223372036854775808", WS_INT64_VALUE_TYPE, S_OK, {.i64 = -9223372036854775807LL - 1} },
    { "9223372036854775808", WS_INT64_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "-9223372036854775809", WS_INT64_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "255", WS_UINT8_VALUE_TYPE, S_OK, {.u8 = 255} },
    { "256", WS_UINT8_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "-1", WS_UINT8_VALUE_TYPE, WS_E_INVALID_FORMAT },     /* no sign for unsigned types */
    { "+1", WS_UINT8_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "65535", WS_UINT16_VALUE_TYPE, S_OK, {.u16 = 65535} },
    { "65536", WS_UINT16_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "4294967295", WS_UINT32_VALUE_TYPE, S_OK, {.u32 = 4294967295u} },
    { "4294967296", WS_UINT32_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "18446744073709551615", WS_UINT64_VALUE_TYPE, S_OK, {.u64 = 18446744073709551615ULL} },
    { "18446744073709551616", WS_UINT64_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW },
    { "00000000000000000000001", WS_UINT64_VALUE_TYPE, S_OK, {.u64 = 1} },
    { "1.5", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = 1.5} },
    { "-1.5e3", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = -1500.0} },
    { "1e+5", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = 100000.0} },
    { "1.5E-7", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = 1.5e-7} },
    { "0.1", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = 0.1} },
    { "-0", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = -0.0} },
    { "INF", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = INFINITY} },
    { "-INF", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = -INFINITY} },
    { "NaN", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = NAN} },
    { "1.7976931348623157E+308", WS_DOUBLE_VALUE_TYPE, S_OK, {.d = 1.7976931348623157e308} },
    { "+INF", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "nan", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "inf", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "Infinity", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "1E", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { ".5", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },  /* digits before "." (documented) */
    { "5.", WS_DOUBLE_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },  /* digits after "." (documented) */
    { "1.5", WS_FLOAT_VALUE_TYPE, S_OK, {.f = 1.5f} },
    { "0.1", WS_FLOAT_VALUE_TYPE, S_OK, {.f = 0.1f} },
    { "-INF", WS_FLOAT_VALUE_TYPE, S_OK, {.f = -INFINITY} },
    { "x", WS_FLOAT_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "1.23", WS_DECIMAL_VALUE_TYPE, S_OK, {.dec = {.scale = 2, .Lo64 = 123}}, TRUE },
    { "-0.005", WS_DECIMAL_VALUE_TYPE, S_OK, {.dec = {.scale = 3, .sign = DECIMAL_NEG, .Lo64 = 5}}, TRUE },
    { "100.00", WS_DECIMAL_VALUE_TYPE, S_OK, {.dec = {.scale = 2, .Lo64 = 10000}}, TRUE },
    { "79228162514264337593543950335", WS_DECIMAL_VALUE_TYPE, S_OK, {.dec = {.Hi32 = ~0u, .Lo64 = ~0ull}}, TRUE },
    { "79228162514264337593543950336", WS_DECIMAL_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW, {.b = 0}, TRUE },
    { "1e5", WS_DECIMAL_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "1.", WS_DECIMAL_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "01234567-89ab-cdef-0123-456789abcdef", WS_GUID_VALUE_TYPE, S_OK,
      {.guid = {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}}} },
    { "01234567-89AB-CDEF-0123-456789ABCDEF", WS_GUID_VALUE_TYPE, S_OK,
      {.guid = {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}}} },
    { "{01234567-89ab-cdef-0123-456789abcdef}", WS_GUID_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "0123456789abcdef0123456789abcdef", WS_GUID_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "01234567-89ab-cdef-0123-456789abcdeg", WS_GUID_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "2007-09-17T14:30:00Z", WS_DATETIME_VALUE_TYPE, S_OK, {.dt = {TICKS_2007, WS_DATETIME_FORMAT_UTC}} },
    { "2007-09-17T14:30:00.1234567Z", WS_DATETIME_VALUE_TYPE, S_OK,
      {.dt = {TICKS_2007 + 1234567, WS_DATETIME_FORMAT_UTC}} },
    /* an offset gives the UTC instant and the LOCAL format */
    { "2007-09-17T14:30:00-07:00", WS_DATETIME_VALUE_TYPE, S_OK,
      {.dt = {TICKS_2007 + 252000000000ULL, WS_DATETIME_FORMAT_LOCAL}} },
    { "2007-09-17T14:30:00+01:30", WS_DATETIME_VALUE_TYPE, S_OK,
      {.dt = {TICKS_2007 - 54000000000ULL, WS_DATETIME_FORMAT_LOCAL}} },
    /* tz? is optional (documented): no time zone is the NONE format */
    { "2007-09-17T14:30:00", WS_DATETIME_VALUE_TYPE, S_OK, {.dt = {TICKS_2007, WS_DATETIME_FORMAT_NONE}}, TRUE },
    { "2008-02-29T00:00:00Z", WS_DATETIME_VALUE_TYPE, S_OK, {.dt = {633398400000000000ULL, WS_DATETIME_FORMAT_UTC}} },
    { "9999-12-31T23:59:59.9999999Z", WS_DATETIME_VALUE_TYPE, S_OK, {.dt = {TICKS_MAX, WS_DATETIME_FORMAT_UTC}} },
    { "2007-09-17T14:30:00.12345678Z", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "2007-02-30T14:30:00Z", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "2007-9-17T14:30:00Z", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "2007-09-17T24:00:00Z", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },  /* hh = 0-23 */
    { "0000-01-01T00:00:00Z", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "10000-01-01T00:00:00Z", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "2007-09-17", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "0001-01-01T00:00:00+01:00", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "9999-12-31T23:59:59.9999999-01:00", WS_DATETIME_VALUE_TYPE, WS_E_INVALID_FORMAT },
    { "00:00:01", WS_TIMESPAN_VALUE_TYPE, S_OK, {.ts = {10000000}}, TRUE },
    { "-1.02:03:04.5", WS_TIMESPAN_VALUE_TYPE, S_OK, {.ts = {-937845000000LL}}, TRUE },
    { "10675199.02:48:05.4775807", WS_TIMESPAN_VALUE_TYPE, S_OK, {.ts = {0x7fffffffffffffffLL}}, TRUE },
    { "-10675199.02:48:05.4775808", WS_TIMESPAN_VALUE_TYPE, S_OK, {.ts = {-0x7fffffffffffffffLL - 1}}, TRUE },
    { "10675199.02:48:05.4775808", WS_TIMESPAN_VALUE_TYPE, WS_E_NUMERIC_OVERFLOW, {.b = 0}, TRUE },
    { "1:2:3", WS_TIMESPAN_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "24:00:00", WS_TIMESPAN_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "P1D", WS_TIMESPAN_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "P1Y2M3DT4H5M6.0070008S", WS_DURATION_VALUE_TYPE, S_OK, {.dur = {FALSE, 1, 2, 3, 4, 5, 6, 7, 8}}, TRUE },
    { "-PT1S", WS_DURATION_VALUE_TYPE, S_OK, {.dur = {TRUE, 0, 0, 0, 0, 0, 1, 0, 0}}, TRUE },
    { "PT0.5S", WS_DURATION_VALUE_TYPE, S_OK, {.dur = {FALSE, 0, 0, 0, 0, 0, 0, 500, 0}}, TRUE },
    { "P10D", WS_DURATION_VALUE_TYPE, S_OK, {.dur = {FALSE, 0, 0, 10, 0, 0, 0, 0, 0}}, TRUE },
    { "P", WS_DURATION_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "PT", WS_DURATION_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "P1DT", WS_DURATION_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "P1M2Y", WS_DURATION_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "PT1.S", WS_DURATION_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
    { "1D", WS_DURATION_VALUE_TYPE, WS_E_INVALID_FORMAT, {.b = 0}, TRUE },
};

static void test_WsReadValue( WS_XML_READER *reader )
{
    union value value, garbage;
    ULONG i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(read_tests); i++)
    {
        const struct read_test *test = &read_tests[i];
        winetest_push_context( "%lu %s", i, wine_dbgstr_a( test->text ) );
        memset( &value, 0xcc, sizeof(value) );
        hr = read_value( reader, test->text, test->type, &value, value_sizes[test->type] );
        todo_wine_if( test->todo )
        ok( hr == test->hr, "got %08lx, expected %08lx\n", hr, test->hr );
        if (hr == S_OK && test->hr == S_OK)
            ok( same_value( test->type, &value, &test->value ), "wrong value\n" );
        else if (FAILED(hr))
        {
            /* a failure leaves the value alone */
            memset( &garbage, 0xcc, sizeof(garbage) );
            ok( !memcmp( &value, &garbage, value_sizes[test->type] ), "value changed\n" );
        }
        winetest_pop_context();
    }

    hr = read_value( reader, "5", WS_INT32_VALUE_TYPE, &value, 8 );
    ok( hr == E_INVALIDARG, "got %08lx\n", hr );
    hr = read_value( reader, "5", WS_DURATION_VALUE_TYPE + 1, &value, 4 );
    ok( hr == E_INVALIDARG, "got %08lx\n", hr );
}

/* Write, then read back: every value keeps its exact value. */
static void test_round_trip( WS_XML_WRITER *writer, WS_XML_READER *reader )
{
    /* todo: the builtin's digits are not exact; hangs: the builtin loops forever on subnormals */
    static const struct { double value; BOOL todo, hangs; } doubles[] =
    {
        { 0.1, TRUE }, { 1.0 / 3.0, TRUE }, { 2.0 / 3.0, TRUE }, { 1e-300, TRUE }, { 1.7976931348623157e308, TRUE },
        { 123456.789e10, TRUE }, { 0.30000000000000004, TRUE }, { 9007199254740993.0 }, { 1e23, TRUE }, { 8.41e21, TRUE },
        { 2.2250738585072009e-308, FALSE, TRUE }, { 4.9406564584124654e-324, FALSE, TRUE },
    };
    static const float floats[] = { 0.1f, 1.0f / 3.0f, 1e-45f, 3.4028235e38f, 7.038531e-26f, 16777217.0f };
    WS_BYTES bytes;
    char text[64];
    ULONG i;
    HRESULT hr;
    double d;
    float f;

    for (i = 0; i < ARRAY_SIZE(doubles) + ARRAY_SIZE(floats); i++)
    {
        BOOL is_float = i >= ARRAY_SIZE(doubles);
        if (!is_float && doubles[i].hangs && winetest_platform_is_wine)
        {
            skip( "double %lu hangs Wine's builtin\n", i );
            continue;
        }
        winetest_push_context( "%lu", i );
        hr = start_element( writer );
        ok( hr == S_OK, "got %08lx\n", hr );
        if (is_float)
        {
            f = floats[i - ARRAY_SIZE(doubles)];
            hr = WsWriteValue( writer, WS_FLOAT_VALUE_TYPE, &f, sizeof(f), NULL );
        }
        else
        {
            d = doubles[i].value;
            hr = WsWriteValue( writer, WS_DOUBLE_VALUE_TYPE, &d, sizeof(d), NULL );
        }
        todo_wine_if( is_float )
        ok( hr == S_OK, "got %08lx\n", hr );
        if (hr != S_OK) { winetest_pop_context(); continue; }
        WsWriteEndElement( writer, NULL );
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
        ok( hr == S_OK, "got %08lx\n", hr );
        ok( bytes.length > 7 && bytes.length - 7 < sizeof(text), "length %lu\n", bytes.length );
        if (bytes.length > 7 && bytes.length - 7 < sizeof(text))
        {
            memcpy( text, bytes.bytes + 3, bytes.length - 7 );
            text[bytes.length - 7] = 0;
            if (is_float)
            {
                float g = 0;
                hr = read_value( reader, text, WS_FLOAT_VALUE_TYPE, &g, sizeof(g) );
                ok( hr == S_OK && g == f, "%s: got %08lx %.9g\n", text, hr, g );
            }
            else
            {
                double e = 0;
                hr = read_value( reader, text, WS_DOUBLE_VALUE_TYPE, &e, sizeof(e) );
                todo_wine_if( doubles[i].todo )
                ok( hr == S_OK && e == d, "%s: got %08lx %.17g\n", text, hr, e );
            }
        }
        winetest_pop_context();
    }
}

START_TEST(xmltext)
{
    WS_XML_WRITER *writer;
    WS_XML_READER *reader = NULL;
    HRESULT hr;

    if (!(writer = create_writer())) skip( "WsCreateWriter is not implemented\n" );
    else
    {
        test_WsWriteText( writer );
        test_local_datetime( writer );
        test_WsWriteValue( writer );
    }

    hr = WsCreateReader( NULL, 0, &reader, NULL );
    if (hr == E_NOTIMPL) skip( "WsCreateReader is not implemented\n" );
    else
    {
        ok( hr == S_OK, "WsCreateReader got %08lx\n", hr );
        test_WsReadValue( reader );
        if (writer) test_round_trip( writer, reader );
        WsFreeReader( reader );
    }
    if (writer) WsFreeWriter( writer );
}
