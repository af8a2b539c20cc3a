/*
 * Tests for WsDateTimeToFileTime and WsFileTimeToDateTime
 *
 * Documented facts used here:
 *   WS_DATETIME ticks: 100 ns units since midnight, January 1, 0001; the
 *     largest representable value is 3155378975999999999 (100 ns before
 *     January 1, 10000).
 *   FILETIME: 100 ns units since midnight, January 1, 1601 (UTC).
 *   WsDateTimeToFileTime: E_INVALIDARG, WS_E_INVALID_FORMAT for a date
 *     between January 1, 0001 and January 1, 1601.
 *   WsFileTimeToDateTime: E_INVALIDARG, WS_E_INVALID_FORMAT for a date in
 *     the year 10000 or later; the format of the result is
 *     WS_DATETIME_FORMAT_UTC.
 */

#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* Ticks from 0001-01-01 to 1601-01-01: 584388 days of 86400 * 10^7 ticks. */
#define TICKS_1601        504911232000000000ULL
/* Ticks from 0001-01-01 to 1970-01-01: 719162 days. */
#define TICKS_1970        621355968000000000ULL
/* Largest WS_DATETIME, documented. */
#define TICKS_MAX         3155378975999999999ULL
/* FILETIME of the largest WS_DATETIME. */
#define FILETIME_MAX      (TICKS_MAX - TICKS_1601)

static FILETIME make_filetime( ULONGLONG value )
{
    FILETIME ft;
    ft.dwLowDateTime  = (DWORD)value;
    ft.dwHighDateTime = (DWORD)(value >> 32);
    return ft;
}

static ULONGLONG filetime_value( const FILETIME *ft )
{
    return ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
}

/* An error object when the DLL can create one, so failures are also checked with one. */
static WS_ERROR *create_error( void )
{
    WS_ERROR *error = NULL;
    if (WsCreateError( NULL, 0, &error ) != S_OK) return NULL;
    return error;
}

static void test_WsDateTimeToFileTime( WS_ERROR *error )
{
    static const struct
    {
        ULONGLONG ticks;
        HRESULT hr;
        ULONGLONG filetime;
    }
    tests[] =
    {
        /* FILETIME cannot represent dates before 1601 (documented). */
        { 0, WS_E_INVALID_FORMAT, 0 },
        { 1, WS_E_INVALID_FORMAT, 0 },
        { TICKS_1601 - 1, WS_E_INVALID_FORMAT, 0 },
        { TICKS_1601, S_OK, 0 },
        { TICKS_1601 + 1, S_OK, 1 },
        { TICKS_1970, S_OK, TICKS_1970 - TICKS_1601 },
        { TICKS_MAX - 1, S_OK, FILETIME_MAX - 1 },
        { TICKS_MAX, S_OK, FILETIME_MAX },
    };
    WS_DATETIME dt;
    FILETIME ft;
    HRESULT hr;
    ULONG i;

    hr = WsDateTimeToFileTime( NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    dt.ticks = TICKS_1970;
    dt.format = WS_DATETIME_FORMAT_UTC;
    hr = WsDateTimeToFileTime( &dt, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    hr = WsDateTimeToFileTime( NULL, &ft, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    if (error)
    {
        hr = WsDateTimeToFileTime( &dt, NULL, error );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "%lu", i );
        dt.ticks = tests[i].ticks;
        dt.format = WS_DATETIME_FORMAT_UTC;
        memset( &ft, 0xcc, sizeof(ft) );
        hr = WsDateTimeToFileTime( &dt, &ft, NULL );
        ok( hr == tests[i].hr, "got %#lx\n", hr );
        if (hr == S_OK)
            ok( filetime_value( &ft ) == tests[i].filetime, "got %s\n",
                wine_dbgstr_longlong( filetime_value( &ft ) ) );
        if (error)
        {
            hr = WsDateTimeToFileTime( &dt, &ft, error );
            ok( hr == tests[i].hr, "with error: got %#lx\n", hr );
        }
        winetest_pop_context();
    }

    /* The ticks are the instant; the format only says how the time is
     * written as text, so LOCAL and NONE convert to the same FILETIME. */
    dt.ticks = TICKS_1970;
    dt.format = WS_DATETIME_FORMAT_LOCAL;
    memset( &ft, 0xcc, sizeof(ft) );
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( filetime_value( &ft ) == TICKS_1970 - TICKS_1601, "got %s\n", wine_dbgstr_longlong( filetime_value( &ft ) ) );

    dt.format = WS_DATETIME_FORMAT_NONE;
    memset( &ft, 0xcc, sizeof(ft) );
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( filetime_value( &ft ) == TICKS_1970 - TICKS_1601, "got %s\n", wine_dbgstr_longlong( filetime_value( &ft ) ) );

    /* The range check applies whatever the format. */
    dt.ticks = TICKS_1601 - 1;
    dt.format = WS_DATETIME_FORMAT_LOCAL;
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
}

static void test_WsDateTimeToFileTime_invalid( void )
{
    WS_DATETIME dt;
    FILETIME ft;
    HRESULT hr;

    /* Not a WS_DATETIME at all: past the documented largest value.  The
     * docs only name E_INVALIDARG and WS_E_INVALID_FORMAT; a tick count
     * that no WS_DATETIME can hold is a value "not in the expected format",
     * the same code as the documented out-of-range case.  Wine's builtin
     * accepts these and returns the shifted value. */
    dt.ticks = TICKS_MAX + 1;
    dt.format = WS_DATETIME_FORMAT_UTC;
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    dt.ticks = ~0ULL;
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* A format that is not a WS_DATETIME_FORMAT value is an invalid
     * argument.  Wine's builtin ignores the format. */
    dt.ticks = TICKS_1970;
    dt.format = 3;
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    dt.format = -1;
    hr = WsDateTimeToFileTime( &dt, &ft, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
}

static void test_WsFileTimeToDateTime( WS_ERROR *error )
{
    static const struct
    {
        ULONGLONG filetime;
        HRESULT hr;
        ULONGLONG ticks;
    }
    tests[] =
    {
        { 0, S_OK, TICKS_1601 },
        { 1, S_OK, TICKS_1601 + 1 },
        { TICKS_1970 - TICKS_1601, S_OK, TICKS_1970 },
        { FILETIME_MAX - 1, S_OK, TICKS_MAX - 1 },
        { FILETIME_MAX, S_OK, TICKS_MAX },
        /* WS_DATETIME cannot represent the year 10000 and beyond (documented). */
        { FILETIME_MAX + 1, WS_E_INVALID_FORMAT, 0 },
        { 0x7fffffffffffffffULL, WS_E_INVALID_FORMAT, 0 },
        { 0x8000000000000000ULL, WS_E_INVALID_FORMAT, 0 },
        { ~0ULL, WS_E_INVALID_FORMAT, 0 },
    };
    WS_DATETIME dt;
    FILETIME ft;
    HRESULT hr;
    ULONG i;

    hr = WsFileTimeToDateTime( NULL, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    ft = make_filetime( 0 );
    hr = WsFileTimeToDateTime( &ft, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    hr = WsFileTimeToDateTime( NULL, &dt, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    if (error)
    {
        hr = WsFileTimeToDateTime( NULL, &dt, error );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }

    for (i = 0; i < ARRAY_SIZE(tests); i++)
    {
        winetest_push_context( "%lu", i );
        ft = make_filetime( tests[i].filetime );
        memset( &dt, 0xcc, sizeof(dt) );
        hr = WsFileTimeToDateTime( &ft, &dt, NULL );
        /* The docs give WS_E_INVALID_FORMAT for any FILETIME past the year
         * 9999; Wine's builtin returns WS_E_NUMERIC_OVERFLOW for ~0, where
         * its own addition of the epoch offset overflows. */
        todo_wine_if( tests[i].filetime == ~0ULL )
        ok( hr == tests[i].hr, "got %#lx\n", hr );
        if (hr == S_OK)
        {
            ok( dt.ticks == tests[i].ticks, "got %s\n", wine_dbgstr_longlong( dt.ticks ) );
            ok( dt.format == WS_DATETIME_FORMAT_UTC, "got %d\n", dt.format );
        }
        if (error)
        {
            hr = WsFileTimeToDateTime( &ft, &dt, error );
            todo_wine_if( tests[i].filetime == ~0ULL )
            ok( hr == tests[i].hr, "with error: got %#lx\n", hr );
        }
        winetest_pop_context();
    }

    /* The format is always set to UTC, whatever the output held before. */
    ft = make_filetime( 0 );
    dt.ticks = 0;
    dt.format = WS_DATETIME_FORMAT_LOCAL;
    hr = WsFileTimeToDateTime( &ft, &dt, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( dt.format == WS_DATETIME_FORMAT_UTC, "got %d\n", dt.format );
}

/* A FILETIME from the system agrees with the calendar date the ticks count. */
static void test_calendar_date( void )
{
    SYSTEMTIME st = { 2007, 9, 2, 25, 1, 30, 0, 0 }; /* 2007-09-25T01:30:00Z */
    WS_DATETIME dt;
    FILETIME ft, ft2;
    HRESULT hr;
    BOOL ret;

    ret = SystemTimeToFileTime( &st, &ft );
    ok( ret, "SystemTimeToFileTime failed %lu\n", GetLastError() );

    hr = WsFileTimeToDateTime( &ft, &dt, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* 732943 days from 0001-01-01 to 2007-09-25, plus 1 h 30 min. */
    ok( dt.ticks == 732943ULL * 864000000000ULL + 54000000000ULL, "got %s\n", wine_dbgstr_longlong( dt.ticks ) );
    ok( dt.format == WS_DATETIME_FORMAT_UTC, "got %d\n", dt.format );

    /* And back. */
    memset( &ft2, 0, sizeof(ft2) );
    hr = WsDateTimeToFileTime( &dt, &ft2, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !CompareFileTime( &ft, &ft2 ), "round trip changed %s into %s\n",
        wine_dbgstr_longlong( filetime_value( &ft ) ), wine_dbgstr_longlong( filetime_value( &ft2 ) ) );

    /* 9999-12-31T23:59:59.999 is the last millisecond of the range. */
    st.wYear = 9999; st.wMonth = 12; st.wDayOfWeek = 5; st.wDay = 31;
    st.wHour = 23; st.wMinute = 59; st.wSecond = 59; st.wMilliseconds = 999;
    ret = SystemTimeToFileTime( &st, &ft );
    ok( ret, "SystemTimeToFileTime failed %lu\n", GetLastError() );
    hr = WsFileTimeToDateTime( &ft, &dt, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( dt.ticks == TICKS_MAX - 9999, "got %s\n", wine_dbgstr_longlong( dt.ticks ) );

    /* 1601-01-01T00:00:00 is FILETIME zero. */
    st.wYear = 1601; st.wMonth = 1; st.wDayOfWeek = 1; st.wDay = 1;
    st.wHour = 0; st.wMinute = 0; st.wSecond = 0; st.wMilliseconds = 0;
    ret = SystemTimeToFileTime( &st, &ft );
    ok( ret, "SystemTimeToFileTime failed %lu\n", GetLastError() );
    ok( !filetime_value( &ft ), "got %s\n", wine_dbgstr_longlong( filetime_value( &ft ) ) );
    hr = WsFileTimeToDateTime( &ft, &dt, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( dt.ticks == TICKS_1601, "got %s\n", wine_dbgstr_longlong( dt.ticks ) );
}

static void test_round_trip( void )
{
    static const ULONGLONG values[] = { 0, 1, 10000000, TICKS_1970 - TICKS_1601, 0x123456789abcdefULL, FILETIME_MAX };
    WS_DATETIME dt;
    FILETIME ft, ft2;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(values); i++)
    {
        winetest_push_context( "%lu", i );
        ft = make_filetime( values[i] );
        hr = WsFileTimeToDateTime( &ft, &dt, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        memset( &ft2, 0xcc, sizeof(ft2) );
        hr = WsDateTimeToFileTime( &dt, &ft2, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( filetime_value( &ft2 ) == values[i], "got %s\n", wine_dbgstr_longlong( filetime_value( &ft2 ) ) );
        winetest_pop_context();
    }
}

START_TEST(datetime)
{
    WS_ERROR *error = create_error();

    test_WsDateTimeToFileTime( error );
    test_WsDateTimeToFileTime_invalid();
    test_WsFileTimeToDateTime( error );
    test_calendar_date();
    test_round_trip();

    if (error) WsFreeError( error );
}
