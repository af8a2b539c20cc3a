/*
 * Self-test of the winetest-style harness (tests/include/wine/test.h).
 *
 * Each test here has a known, deliberate outcome (passes, failures, todos,
 * skips, crashes...).  check-harness.sh runs them and compares the output
 * line by line; lines it looks for carry a marker comment "@name" so that the
 * script can find their line numbers.  Keep the markers when editing.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "wine/test.h"

/* NULL, but the compiler cannot know: writing through it faults */
static volatile int *volatile bad_ptr;

START_TEST(pass)
{
    ok( 1, "not printed\n" );                               /* @pass_ok1 */
    ok( 2 + 2 == 4, "not printed either %d\n", 4 );         /* @pass_ok2 */
    trace( "a trace line %s\n", "here" );                   /* @pass_trace */
    todo_if( 0 ) ok( 1, "not a todo\n" );                   /* @pass_todo0 */
    flaky ok( 1, "flaky block runs\n" );                    /* @pass_flaky */
}

static void check_value_( const char *file, int line, int value, int expect )
{
    ok_( file, line )( value == expect, "got %d, expected %d\n", value, expect );
}
#define check_value(v, e) check_value_( __FILE__, __LINE__, v, e )

START_TEST(fail)
{
    ok( 0, "plain failure %d\n", 1 );                       /* @fail_1 */
    ok( 0, "failure without newline" );                     /* @fail_2 */
    ok( 1, "passes\n" );
    check_value( 3, 4 );                                    /* @fail_3 */
    check_value( 4, 4 );
    ok( 0, "two\nlines\n" );                                /* @fail_4 */
}

START_TEST(todo)
{
    todo_if( 1 ) ok( 0, "todo failure\n" );                 /* @todo_1 */
    todo_if( 1 ) ok( 1, "todo success\n" );                 /* @todo_2 */
    todo_wine ok( 0, "todo_wine failure\n" );               /* @todo_3 */
    todo_wine_if( 1 ) ok( 0, "todo_wine_if(1) failure\n" ); /* @todo_4 */
    todo_wine_if( 0 ) ok( 0, "todo_wine_if(0) failure\n" ); /* @todo_5 */
    todo_if( 1 )
    {
        todo_if( 0 ) ok( 0, "nested todo\n" );              /* @todo_6 */
    }
    ok( 0, "after the todo blocks\n" );                     /* @todo_7 */
    todo_if( 1 )
    {
        ok( 0, "block one\n" );                             /* @todo_8 */
        ok( 0, "block two\n" );                             /* @todo_9 */
    }
}

START_TEST(skip)
{
    skip( "skipping %s\n", "this" );                        /* @skip_1 */
    win_skip( "win_skip message\n" );                       /* @skip_2 */
    ok( broken( 1 ), "broken(1)\n" );                       /* @skip_3 */
    ok( !broken( 0 ), "broken(0)\n" );
}

START_TEST(context)
{
    int i;

    winetest_push_context( "outer" );
    ok( 0, "in outer\n" );                                  /* @ctx_1 */
    winetest_push_context( "inner %d", 2 );
    ok( 0, "in inner\n" );                                  /* @ctx_2 */
    trace( "trace in inner\n" );                            /* @ctx_3 */
    skip( "skip in inner\n" );                              /* @ctx_4 */
    todo_if( 1 ) ok( 0, "todo in inner\n" );                /* @ctx_5 */
    winetest_pop_context();
    ok( 0, "back in outer\n" );                             /* @ctx_6 */
    winetest_pop_context();
    ok( 0, "no context\n" );                                /* @ctx_7 */
    winetest_pop_context();  /* unbalanced pop is harmless */
    for (i = 0; i < 20; i++) winetest_push_context( "%d", i );
    ok( 0, "deep\n" );                                      /* @ctx_8 */
    for (i = 0; i < 20; i++) winetest_pop_context();
    ok( 0, "empty again\n" );                               /* @ctx_9 */
}

#define THREADS      8
#define THREAD_OKS 100

static HANDLE start_event;

static DWORD WINAPI worker( void *arg )
{
    int i, id = (int)(INT_PTR)arg;

    WaitForSingleObject( start_event, INFINITE );
    winetest_push_context( "thread %d", id );
    for (i = 0; i < THREAD_OKS; i++) ok( 1, "thread %d iteration %d\n", id, i );
    ok( 0, "failure in thread %d\n", id );                  /* @thr_1 */
    todo_if( 1 ) ok( 0, "todo in thread %d\n", id );        /* @thr_2 */
    winetest_pop_context();
    return 0;
}

START_TEST(threads)
{
    HANDLE threads[THREADS];
    int i;

    start_event = CreateEventA( NULL, TRUE, FALSE, NULL );
    winetest_push_context( "main" );
    /* the todo block and context of this thread must not leak into the workers */
    todo_if( 1 )
    {
        for (i = 0; i < THREADS; i++)
            threads[i] = CreateThread( NULL, 0, worker, (void *)(INT_PTR)i, 0, NULL );
        SetEvent( start_event );
        WaitForMultipleObjects( THREADS, threads, TRUE, INFINITE );
        ok( 0, "main thread todo\n" );                      /* @thr_3 */
    }
    winetest_pop_context();
    for (i = 0; i < THREADS; i++) CloseHandle( threads[i] );
    CloseHandle( start_event );
}

#define STRESS_OKS 50000

static DWORD WINAPI stress_worker( void *arg )
{
    int i;

    WaitForSingleObject( start_event, INFINITE );
    for (i = 0; i < STRESS_OKS; i++) ok( 1, "quiet %d\n", i );
    for (i = 0; i < STRESS_OKS; i++) todo_if( 1 ) ok( 0, "quiet todo %d\n", i );
    return (DWORD)(INT_PTR)arg;
}

/* many ok()s from several threads at once: the counts must be exact */
START_TEST(stress)
{
    HANDLE threads[THREADS];
    int i, debug = winetest_debug;

    winetest_debug = 0;  /* no "Test marked todo" lines */
    start_event = CreateEventA( NULL, TRUE, FALSE, NULL );
    for (i = 0; i < THREADS; i++)
        threads[i] = CreateThread( NULL, 0, stress_worker, (void *)(INT_PTR)i, 0, NULL );
    SetEvent( start_event );
    WaitForMultipleObjects( THREADS, threads, TRUE, INFINITE );
    for (i = 0; i < THREADS; i++) CloseHandle( threads[i] );
    CloseHandle( start_event );
    winetest_debug = debug;
}

START_TEST(lasterror)
{
    static const WCHAR str[] = L"abc";

    SetLastError( 0xdead );
    ok( GetLastError() == 0xdead, "got %lu\n", GetLastError() );
    ok( GetLastError() == 0xdead, "after ok: got %lu\n", GetLastError() );
    trace( "err %lu\n", GetLastError() );                   /* @le_1 */
    ok( GetLastError() == 0xdead, "after trace: got %lu\n", GetLastError() );
    winetest_push_context( "ctx" );
    ok( GetLastError() == 0xdead, "after push_context: got %lu\n", GetLastError() );
    winetest_pop_context();
    todo_if( 1 ) ok( GetLastError() != 0xdead, "in todo: got %lu\n", GetLastError() ); /* @le_2 */
    ok( GetLastError() == 0xdead, "after todo: got %lu\n", GetLastError() );
    skip( "err %lu\n", GetLastError() );                    /* @le_3 */
    ok( GetLastError() == 0xdead, "after skip: got %lu\n", GetLastError() );
    ok( !strcmp( wine_dbgstr_w( str ), "L\"abc\"" ) && GetLastError() == 0xdead,
        "after wine_dbgstr_w: got %lu\n", GetLastError() );
}

START_TEST(format)
{
    static char big[3000];

    trace( "fmt: %zu %llu %lld %ls %s %x %.3f %5s|%-3d|\n", /* @fmt_1 */
           (size_t)12345, 18446744073709551615ull, -9223372036854775807ll - 1,
           L"wide", "narrow", 0xbeefu, 1.5, "ab", 7 );
    memset( big, 'x', sizeof(big) - 1 );
    trace( "%s\n", big );                                   /* @fmt_2 */
    ok( 0, "%s%d\n", big, 2 );                              /* @fmt_3 */
}

START_TEST(dbgstr)
{
    static const WCHAR wstr[] = { 'a', '"', 'b', '\n', 0xe9, '\\', 0 };
    static const GUID guid = { 0x12345678, 0x9abc, 0xdef0, { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef } };
    static char long_str[400];
    const char *strs[40];
    int i;

    ok( !strcmp( wine_dbgstr_w( wstr ), "L\"a\\\"b\\n\\x00e9\\\\\"" ), "got %s\n", wine_dbgstr_w( wstr ) );
    ok( !strcmp( debugstr_w( wstr ), wine_dbgstr_w( wstr ) ), "debugstr_w %s\n", debugstr_w( wstr ) );
    ok( !strcmp( wine_dbgstr_wn( wstr, 2 ), "L\"a\\\"\"" ), "got %s\n", wine_dbgstr_wn( wstr, 2 ) );
    ok( !strcmp( wine_dbgstr_w( NULL ), "(null)" ), "got %s\n", wine_dbgstr_w( NULL ) );
    ok( !strcmp( wine_dbgstr_w( (const WCHAR *)(ULONG_PTR)12 ), "#000c" ), "got %s\n",
        wine_dbgstr_w( (const WCHAR *)(ULONG_PTR)12 ) );
    ok( !strcmp( wine_dbgstr_a( "x\ty\x01" ), "\"x\\ty\\x01\"" ), "got %s\n", wine_dbgstr_a( "x\ty\x01" ) );
    ok( !strcmp( wine_dbgstr_an( "abcdef", 3 ), "\"abc\"" ), "got %s\n", wine_dbgstr_an( "abcdef", 3 ) );
    ok( !strcmp( debugstr_a( NULL ), "(null)" ), "got %s\n", debugstr_a( NULL ) );
    ok( !strcmp( wine_dbgstr_guid( &guid ), "{12345678-9abc-def0-0123-456789abcdef}" ), "got %s\n",
        wine_dbgstr_guid( &guid ) );
    ok( !strcmp( wine_dbgstr_guid( NULL ), "(null)" ), "got %s\n", wine_dbgstr_guid( NULL ) );
    ok( !strcmp( wine_dbgstr_longlong( 0x123456789abcull ), "123456789abc" ), "got %s\n",
        wine_dbgstr_longlong( 0x123456789abcull ) );
    ok( !strcmp( wine_dbgstr_longlong( 0x1000000000ull ), "1000000000" ), "got %s\n",
        wine_dbgstr_longlong( 0x1000000000ull ) );
    ok( !strcmp( wine_dbgstr_longlong( 42 ), "2a" ), "got %s\n", wine_dbgstr_longlong( 42 ) );
    ok( !strcmp( wine_dbg_sprintf( "%d-%s-%zu", 1, "two", (size_t)3 ), "1-two-3" ), "wine_dbg_sprintf\n" );
    memset( long_str, 'y', sizeof(long_str) - 1 );
    ok( strlen( debugstr_a( long_str ) ) == 300 + 5, "long string: %s\n", debugstr_a( long_str ) );
    /* results of consecutive calls stay valid together */
    for (i = 0; i < 40; i++) strs[i] = wine_dbg_sprintf( "%d", i );
    for (i = 0; i < 40; i++) ok( atoi( strs[i] ) == i, "entry %d is %s\n", i, strs[i] );
    ok( ARRAY_SIZE( strs ) == 40, "ARRAY_SIZE\n" );
}

START_TEST(child)
{
    char **argv, cmdline[MAX_PATH + 64];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    int argc;
    BOOL ret;

    memset( &si, 0, sizeof(si) );
    si.cb = sizeof(si);
    argc = winetest_get_mainargs( &argv );
    if (argc >= 3)
    {
        if (!strcmp( argv[2], "crash" ))
        {
            fflush( stdout );
            *bad_ptr = 1;
        }
        ok( 0, "child failure %s\n", argv[2] );             /* @child_1 */
        ok( 0, "second child failure\n" );                  /* @child_2 */
        ok( 1, "child success\n" );
        return;
    }

    snprintf( cmdline, sizeof(cmdline), "\"%s\" child sub", argv[0] );
    ret = CreateProcessA( NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi );
    ok( ret, "CreateProcess failed: %lu\n", GetLastError() );
    if (!ret) return;
    wait_child_process( pi.hProcess );                      /* @child_3 */
    CloseHandle( pi.hProcess );
    CloseHandle( pi.hThread );

    snprintf( cmdline, sizeof(cmdline), "\"%s\" child crash", argv[0] );
    ret = CreateProcessA( NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi );
    ok( ret, "CreateProcess failed: %lu\n", GetLastError() );
    if (!ret) return;
    wait_child_process( pi.hProcess );                      /* @child_4 */
    CloseHandle( pi.hProcess );
    CloseHandle( pi.hThread );
}

START_TEST(many)
{
    int i;

    for (i = 0; i < 300; i++) ok( 0, "failure %d\n", i );  /* @many_1 */
    ok( winetest_get_failures() == 300, "get_failures %ld\n", winetest_get_failures() );
}

START_TEST(crash)
{
    ok( 1, "before the crash\n" );                          /* @crash_1 */
    *bad_ptr = 1;
}

START_TEST(noexit)
{
    ok( 1, "before ExitProcess\n" );
    fflush( stdout );
    ExitProcess( 0 );
}

START_TEST(hang)
{
    if (!getenv( "SELFTEST_HANG" ))
    {
        skip( "set SELFTEST_HANG=1 to hang\n" );             /* @hang_1 */
        return;
    }
    if (!strcmp( getenv( "SELFTEST_HANG" ), "2" ))
    {
        /* a child process that hangs too, and holds our stdout */
        char **argv, cmdline[MAX_PATH + 64];
        STARTUPINFOA si;
        PROCESS_INFORMATION pi;

        winetest_get_mainargs( &argv );
        memset( &si, 0, sizeof(si) );
        si.cb = sizeof(si);
        SetEnvironmentVariableA( "SELFTEST_HANG", "1" );
        snprintf( cmdline, sizeof(cmdline), "\"%s\" hang", argv[0] );
        ok( CreateProcessA( NULL, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi ),
            "CreateProcess failed: %lu\n", GetLastError() );
    }
    ok( 1, "before hanging\n" );
    Sleep( INFINITE );
}
