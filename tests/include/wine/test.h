/*
 * Winetest-style unit test harness (header only).
 *
 * Source-compatible with the documented API of Wine's wine/test.h, so test
 * files written against it can move into Wine's dlls/webservices/tests as they
 * are.  Written from scratch for this project; not derived from Wine's sources.
 *
 * Usage
 *   Test files:   #include "wine/test.h" and define START_TEST(name) { ... }.
 *   testlist.c:   #define STANDALONE
 *                 #include "wine/test.h"
 *                 extern void func_heap(void);
 *                 const struct test winetest_testlist[] = { { "heap", func_heap }, { 0, 0 } };
 *   With STANDALONE defined this header also provides the implementation and
 *   main(): "exe NAME [args...]" runs test NAME, "exe --list" lists the tests
 *   one per line, "exe" alone prints usage and the list.
 *
 * Output (stdout, one complete line per write, '\n' line ends):
 *   file.c:LINE: [ctx: ...]Test failed: MSG
 *   file.c:LINE: [ctx: ...]Test marked todo: MSG
 *   file.c:LINE: [ctx: ...]Test succeeded inside todo block: MSG   (a failure)
 *   file.c:LINE: [ctx: ...]Tests skipped: MSG
 *   file.c:LINE: [ctx: ...]MSG                                     (trace)
 *   file.c:LINE: [ctx: ...]Test succeeded        (only if WINETEST_REPORT_SUCCESS=1)
 *   MODULE:NAME: N tests executed (N marked as todo, N failures), N skipped.
 * MODULE is WINETEST_MODULE (default "webservices").  The exit code is the
 * number of failures, capped at 255.
 *
 * Environment: WINETEST_PLATFORM ("wine" or "windows"; default "wine" when
 * ntdll exports wine_get_version), WINETEST_DEBUG (default 1; 0 silences
 * traces, skips and todo lines), WINETEST_INTERACTIVE, WINETEST_REPORT_SUCCESS.
 */

#ifndef __WINE_WINE_TEST_H
#define __WINE_WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windef.h>
#include <winbase.h>
#include "wine/debug.h"

#ifndef WINETEST_MODULE
#define WINETEST_MODULE "webservices"
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* debug level (WINETEST_DEBUG): 0 quiet, 1 default, >1 verbose */
extern int winetest_debug;
/* run interactive tests (WINETEST_INTERACTIVE) */
extern int winetest_interactive;
/* print a line for every successful test (WINETEST_REPORT_SUCCESS) */
extern int winetest_report_success;
/* "wine" or "windows" (WINETEST_PLATFORM) */
extern const char *winetest_platform;
extern int winetest_platform_is_wine;
extern int winetest_platform_is_windows;

extern void winetest_set_location( const char *file, int line );
extern int winetest_vok( int condition, const char *msg, va_list args ) WINETEST_PRINTF_ATTR(2, 0);
extern void winetest_ok( int condition, const char *msg, ... ) WINETEST_PRINTF_ATTR(2, 3);
extern void winetest_vskip( const char *msg, va_list args ) WINETEST_PRINTF_ATTR(1, 0);
extern void winetest_skip( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_win_skip( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_trace( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_start_todo( int is_todo );
extern int winetest_loop_todo( void );
extern void winetest_end_todo( void );
extern void winetest_start_flaky( int is_flaky );
extern int winetest_loop_flaky( void );
extern void winetest_end_flaky( void );
extern void winetest_push_context( const char *fmt, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_pop_context( void );
extern int winetest_get_mainargs( char ***pargv );
extern LONG winetest_get_failures( void );
extern void winetest_add_failures( LONG new_failures );
extern void winetest_wait_child_process( HANDLE process );
extern void winetest_print_lock( void );
extern void winetest_print_unlock( void );
extern void winetest_printf( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_print_context( const char *msgtype );

#ifdef __cplusplus
}
#endif

/* Test functions have C linkage, so C++ test files link with the C testlist.c. */
#ifdef __cplusplus
#define START_TEST(name) extern "C" void func_##name(void); extern "C" void func_##name(void)
#else
#define START_TEST(name) void func_##name(void); void func_##name(void)
#endif

#define ok_(file, line)       (winetest_set_location( file, line ), 0) ? (void)0 : winetest_ok
#define skip_(file, line)     (winetest_set_location( file, line ), 0) ? (void)0 : winetest_skip
#define win_skip_(file, line) (winetest_set_location( file, line ), 0) ? (void)0 : winetest_win_skip
#define trace_(file, line)    (winetest_set_location( file, line ), 0) ? (void)0 : winetest_trace
#define wait_child_process_(file, line) (winetest_set_location( file, line ), 0) ? (void)0 : winetest_wait_child_process

#define ok                 ok_(__FILE__, __LINE__)
#define skip               skip_(__FILE__, __LINE__)
#define win_skip           win_skip_(__FILE__, __LINE__)
#define trace              trace_(__FILE__, __LINE__)
#define wait_child_process wait_child_process_(__FILE__, __LINE__)

#define todo_if(is_todo) for (winetest_start_todo( is_todo ); winetest_loop_todo(); winetest_end_todo())
#define todo_wine             todo_if( winetest_platform_is_wine )
#define todo_wine_if(is_todo) todo_if( (is_todo) && winetest_platform_is_wine )

/* Flaky blocks run once; their results count like any other. */
#define flaky_if(is_flaky) for (winetest_start_flaky( is_flaky ); winetest_loop_flaky(); winetest_end_flaky())
#define flaky                   flaky_if( 1 )
#define flaky_wine              flaky_if( winetest_platform_is_wine )
#define flaky_wine_if(is_flaky) flaky_if( (is_flaky) && winetest_platform_is_wine )

#define broken(x) (winetest_platform_is_windows && (x))


/************************************************************************/
/* Implementation, compiled into the one translation unit that defines STANDALONE */

#ifdef STANDALONE

#include <io.h>
#include <fcntl.h>

#ifdef __cplusplus
extern "C" {
#endif

struct test
{
    const char *name;
    void (*func)(void);
};

extern const struct test winetest_testlist[];

int winetest_debug = 1;
int winetest_interactive = 0;
int winetest_report_success = 0;
const char *winetest_platform = "windows";
int winetest_platform_is_wine = 0;
int winetest_platform_is_windows = 1;

#define WINETEST_MAX_CONTEXTS   16
#define WINETEST_CONTEXT_SIZE   256
#define WINETEST_DBG_RING_SIZE  (64 * 1024)
#define WINETEST_CHILD_TIMEOUT  60000  /* ms wait_child_process waits */

struct winetest_thread_data
{
    const char  *file;
    int          line;
    unsigned int todo_level;     /* one bit per nested todo block, innermost lowest */
    int          todo_do_loop;
    unsigned int flaky_level;
    int          flaky_do_loop;
    unsigned int context_count;  /* may exceed WINETEST_MAX_CONTEXTS; extra ones are not shown */
    char         context[WINETEST_MAX_CONTEXTS][WINETEST_CONTEXT_SIZE];
    size_t       dbg_pos;
    char         dbg_ring[WINETEST_DBG_RING_SIZE];
};

static const struct test *winetest_current_test;
static int winetest_argc;
static char **winetest_argv;
static LONG winetest_successes;        /* passed ok()s */
static LONG winetest_failures;         /* failed ok()s outside todo */
static LONG winetest_todo_successes;   /* passed ok()s inside todo: failures too */
static LONG winetest_todo_failures;    /* failed ok()s inside todo */
static LONG winetest_skipped;
static CRITICAL_SECTION winetest_print_cs;
static volatile LONG winetest_tls_index = (LONG)TLS_OUT_OF_INDEXES;

/* Ready before main(), for tests that report from static constructors. */
#ifdef __GNUC__
__attribute__((constructor))
#endif
static void winetest_init_print_lock( void )
{
    InitializeCriticalSection( &winetest_print_cs );
}

static struct winetest_thread_data *winetest_get_thread_data( void )
{
    struct winetest_thread_data *data;
    DWORD index = (DWORD)winetest_tls_index;

    if (index == TLS_OUT_OF_INDEXES)
    {
        index = TlsAlloc();
        if (InterlockedCompareExchange( &winetest_tls_index, (LONG)index, (LONG)TLS_OUT_OF_INDEXES )
                != (LONG)TLS_OUT_OF_INDEXES)
        {
            TlsFree( index );
            index = (DWORD)winetest_tls_index;
        }
    }
    data = (struct winetest_thread_data *)TlsGetValue( index );
    if (!data)
    {
        data = (struct winetest_thread_data *)HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*data) );
        if (!data)
        {
            fputs( "wine/test.h: out of memory\n", stderr );
            abort();
        }
        TlsSetValue( index, data );
    }
    return data;
}

char *winetest_dbg_buffer( size_t len )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();
    char *ret;

    if (len > 8192) len = 8192;
    if (data->dbg_pos + len > sizeof(data->dbg_ring)) data->dbg_pos = 0;
    ret = data->dbg_ring + data->dbg_pos;
    data->dbg_pos += (len + 15) & ~(size_t)15;
    SetLastError( err );
    return ret;
}

/* A growable string buffer; output lines are built in one and written at once. */
struct winetest_strbuf
{
    char  *ptr;
    size_t len;
    size_t size;
    char   fixed[512];
};

static void winetest_strbuf_init( struct winetest_strbuf *buf )
{
    buf->ptr = buf->fixed;
    buf->len = 0;
    buf->size = sizeof(buf->fixed);
    buf->fixed[0] = 0;
}

static void winetest_strbuf_free( struct winetest_strbuf *buf )
{
    if (buf->ptr != buf->fixed) free( buf->ptr );
}

static int winetest_strbuf_reserve( struct winetest_strbuf *buf, size_t extra )
{
    size_t need = buf->len + extra + 1, size = buf->size;
    char *ptr;

    if (need <= buf->size) return 1;
    while (size < need) size *= 2;
    if (buf->ptr == buf->fixed)
    {
        if (!(ptr = (char *)malloc( size ))) return 0;
        memcpy( ptr, buf->ptr, buf->len + 1 );
    }
    else if (!(ptr = (char *)realloc( buf->ptr, size ))) return 0;
    buf->ptr = ptr;
    buf->size = size;
    return 1;
}

static void winetest_strbuf_vappend( struct winetest_strbuf *buf, const char *fmt, va_list args ) WINETEST_PRINTF_ATTR(2, 0);
static void winetest_strbuf_vappend( struct winetest_strbuf *buf, const char *fmt, va_list args )
{
    va_list copy;
    int len;

    va_copy( copy, args );
    len = winetest_vsnprintf( buf->ptr + buf->len, buf->size - buf->len, fmt, copy );
    va_end( copy );
    if (len < 0)
    {
        buf->ptr[buf->len] = 0;
        return;
    }
    if ((size_t)len >= buf->size - buf->len)
    {
        if (!winetest_strbuf_reserve( buf, (size_t)len ))
        {
            buf->len = buf->size - 1;  /* keep what fitted */
            buf->ptr[buf->len] = 0;
            return;
        }
        va_copy( copy, args );
        winetest_vsnprintf( buf->ptr + buf->len, buf->size - buf->len, fmt, copy );
        va_end( copy );
    }
    buf->len += (size_t)len;
}

static void winetest_strbuf_append( struct winetest_strbuf *buf, const char *fmt, ... ) WINETEST_PRINTF_ATTR(2, 3);
static void winetest_strbuf_append( struct winetest_strbuf *buf, const char *fmt, ... )
{
    va_list args;

    va_start( args, fmt );
    winetest_strbuf_vappend( buf, fmt, args );
    va_end( args );
}

/* "file.c:LINE: ctx1: ctx2: " for the calling thread's current location. */
static void winetest_strbuf_location( struct winetest_strbuf *buf, const struct winetest_thread_data *data )
{
    const char *file = data->file ? data->file : "(unknown)", *p;
    unsigned int i;

    if ((p = strrchr( file, '/' ))) file = p + 1;
    if ((p = strrchr( file, '\\' ))) file = p + 1;
    winetest_strbuf_append( buf, "%s:%d: ", file, data->line );
    for (i = 0; i < data->context_count && i < WINETEST_MAX_CONTEXTS; i++)
        winetest_strbuf_append( buf, "%s: ", data->context[i] );
}

static void winetest_write( const char *str, size_t len )
{
    winetest_print_lock();
    fwrite( str, 1, len, stdout );
    fflush( stdout );
    winetest_print_unlock();
}

/* Writes BUF as one line (adding the final '\n' if missing) and frees it. */
static void winetest_strbuf_write_line( struct winetest_strbuf *buf )
{
    if (!buf->len || buf->ptr[buf->len - 1] != '\n') winetest_strbuf_append( buf, "\n" );
    winetest_write( buf->ptr, buf->len );
    winetest_strbuf_free( buf );
}

static void winetest_report( const char *type, const char *msg, va_list args ) WINETEST_PRINTF_ATTR(2, 0);
static void winetest_report( const char *type, const char *msg, va_list args )
{
    struct winetest_strbuf buf;

    winetest_strbuf_init( &buf );
    winetest_strbuf_location( &buf, winetest_get_thread_data() );
    winetest_strbuf_append( &buf, "%s", type );
    winetest_strbuf_vappend( &buf, msg, args );
    winetest_strbuf_write_line( &buf );
}

static void winetest_report_failure( LONG count, const char *msg, ... ) WINETEST_PRINTF_ATTR(2, 3);
static void winetest_report_failure( LONG count, const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    winetest_report( "Test failed: ", msg, args );
    va_end( args );
    InterlockedExchangeAdd( &winetest_failures, count );
}

void winetest_set_location( const char *file, int line )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();

    data->file = file;
    data->line = line;
    SetLastError( err );
}

int winetest_vok( int condition, const char *msg, va_list args )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();
    int ret;

    if (data->todo_level)
    {
        if (condition)
        {
            winetest_report( "Test succeeded inside todo block: ", msg, args );
            InterlockedIncrement( &winetest_todo_successes );
            ret = 0;
        }
        else
        {
            if (winetest_debug > 0) winetest_report( "Test marked todo: ", msg, args );
            InterlockedIncrement( &winetest_todo_failures );
            ret = 1;
        }
    }
    else if (!condition)
    {
        winetest_report( "Test failed: ", msg, args );
        InterlockedIncrement( &winetest_failures );
        ret = 0;
    }
    else
    {
        if (winetest_report_success)
        {
            struct winetest_strbuf buf;
            winetest_strbuf_init( &buf );
            winetest_strbuf_location( &buf, data );
            winetest_strbuf_append( &buf, "Test succeeded\n" );
            winetest_strbuf_write_line( &buf );
        }
        InterlockedIncrement( &winetest_successes );
        ret = 1;
    }
    SetLastError( err );
    return ret;
}

void winetest_ok( int condition, const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    winetest_vok( condition, msg, args );
    va_end( args );
}

void winetest_vskip( const char *msg, va_list args )
{
    DWORD err = GetLastError();

    if (winetest_debug > 0) winetest_report( "Tests skipped: ", msg, args );
    InterlockedIncrement( &winetest_skipped );
    SetLastError( err );
}

void winetest_skip( const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    winetest_vskip( msg, args );
    va_end( args );
}

/* A skip on Windows, a failure on Wine (which should implement the feature). */
void winetest_win_skip( const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    if (winetest_platform_is_windows) winetest_vskip( msg, args );
    else winetest_vok( 0, msg, args );
    va_end( args );
}

void winetest_trace( const char *msg, ... )
{
    DWORD err = GetLastError();
    va_list args;

    if (winetest_debug > 0)
    {
        va_start( args, msg );
        winetest_report( "", msg, args );
        va_end( args );
    }
    SetLastError( err );
}

void winetest_start_todo( int is_todo )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();

    data->todo_level = (data->todo_level << 1) | (is_todo != 0);
    data->todo_do_loop = 1;
    SetLastError( err );
}

int winetest_loop_todo( void )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();
    int do_loop = data->todo_do_loop;

    data->todo_do_loop = 0;
    SetLastError( err );
    return do_loop;
}

void winetest_end_todo( void )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();

    data->todo_level >>= 1;
    SetLastError( err );
}

void winetest_start_flaky( int is_flaky )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();

    data->flaky_level = (data->flaky_level << 1) | (is_flaky != 0);
    data->flaky_do_loop = 1;
    SetLastError( err );
}

int winetest_loop_flaky( void )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();
    int do_loop = data->flaky_do_loop;

    data->flaky_do_loop = 0;
    SetLastError( err );
    return do_loop;
}

void winetest_end_flaky( void )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();

    data->flaky_level >>= 1;
    SetLastError( err );
}

void winetest_push_context( const char *fmt, ... )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();
    va_list args;

    if (data->context_count < WINETEST_MAX_CONTEXTS)
    {
        va_start( args, fmt );
        winetest_vsnprintf( data->context[data->context_count], WINETEST_CONTEXT_SIZE, fmt, args );
        va_end( args );
        data->context[data->context_count][WINETEST_CONTEXT_SIZE - 1] = 0;
    }
    data->context_count++;
    SetLastError( err );
}

void winetest_pop_context( void )
{
    DWORD err = GetLastError();
    struct winetest_thread_data *data = winetest_get_thread_data();

    if (data->context_count) data->context_count--;
    SetLastError( err );
}

int winetest_get_mainargs( char ***pargv )
{
    *pargv = winetest_argv;
    return winetest_argc;
}

LONG winetest_get_failures( void )
{
    return winetest_failures + winetest_todo_successes;
}

void winetest_add_failures( LONG new_failures )
{
    InterlockedExchangeAdd( &winetest_failures, new_failures );
}

/* Waits for a child process started by the test (typically "exe NAME args"
 * from winetest_get_mainargs) and adds its failures to ours: an exit code of
 * N <= 255 is N failures, a larger one is an unhandled exception. */
void winetest_wait_child_process( HANDLE process )
{
    DWORD err = GetLastError(), ret, exit_code = 1;

    ret = WaitForSingleObject( process, WINETEST_CHILD_TIMEOUT );
    if (ret == WAIT_TIMEOUT)
    {
        winetest_report_failure( 1, "Timed out waiting for the child process, terminating it\n" );
        TerminateProcess( process, 1 );
        WaitForSingleObject( process, 5000 );
    }
    else if (ret != WAIT_OBJECT_0)
        winetest_report_failure( 1, "Waiting for the child process failed: ret %lu, error %lu\n",
                                 ret, GetLastError() );
    else if (!GetExitCodeProcess( process, &exit_code ))
        winetest_report_failure( 1, "GetExitCodeProcess failed: error %lu\n", GetLastError() );
    else if (exit_code > 255)
        winetest_report_failure( 1, "Unhandled exception %08lx in child process\n", exit_code );
    else if (exit_code)
        winetest_report_failure( (LONG)exit_code, "%lu failures in child process\n", exit_code );
    SetLastError( err );
}

void winetest_print_lock( void )
{
    EnterCriticalSection( &winetest_print_cs );
}

void winetest_print_unlock( void )
{
    LeaveCriticalSection( &winetest_print_cs );
}

/* Raw output, no location prefix; hold winetest_print_lock() across several
 * calls to keep them together. */
void winetest_printf( const char *msg, ... )
{
    DWORD err = GetLastError();
    struct winetest_strbuf buf;
    va_list args;

    winetest_strbuf_init( &buf );
    va_start( args, msg );
    winetest_strbuf_vappend( &buf, msg, args );
    va_end( args );
    winetest_write( buf.ptr, buf.len );
    winetest_strbuf_free( &buf );
    SetLastError( err );
}

/* Prints "file.c:LINE: contexts: MSGTYPE" without a line end. */
void winetest_print_context( const char *msgtype )
{
    DWORD err = GetLastError();
    struct winetest_strbuf buf;

    winetest_strbuf_init( &buf );
    winetest_strbuf_location( &buf, winetest_get_thread_data() );
    winetest_strbuf_append( &buf, "%s", msgtype );
    winetest_write( buf.ptr, buf.len );
    winetest_strbuf_free( &buf );
    SetLastError( err );
}

static LONG WINAPI winetest_exception_filter( EXCEPTION_POINTERS *ptrs )
{
    char line[256];
    DWORD written;
    int len;

    len = snprintf( line, sizeof(line), "%s:%s: unhandled exception %08lx at %p\n",
                    WINETEST_MODULE, winetest_current_test ? winetest_current_test->name : "?",
                    (unsigned long)ptrs->ExceptionRecord->ExceptionCode,
                    ptrs->ExceptionRecord->ExceptionAddress );
    if (len > 0 && (size_t)len < sizeof(line))
    {
        fflush( stdout );
        WriteFile( GetStdHandle( STD_OUTPUT_HANDLE ), line, (DWORD)len, &written, NULL );
    }
    return EXCEPTION_EXECUTE_HANDLER;  /* terminate with the exception code */
}

static int winetest_env_int( const char *name, int def )
{
    const char *value = getenv( name );
    return value && *value ? atoi( value ) : def;
}

static void winetest_list_tests( const char *indent )
{
    const struct test *test;

    for (test = winetest_testlist; test->name; test++) printf( "%s%s\n", indent, test->name );
    fflush( stdout );
}

static void winetest_usage( const char *argv0 )
{
    printf( "Usage: %s test_name [args...]\n"
            "       %s --list\n\nValid test names:\n", argv0, argv0 );
    winetest_list_tests( "    " );
}

static const struct test *winetest_find_test( const char *name )
{
    const struct test *test;
    size_t len = strlen( name );

    if (len > 2 && !strcmp( name + len - 2, ".c" )) len -= 2;
    for (test = winetest_testlist; test->name; test++)
        if (strlen( test->name ) == len && !strncmp( test->name, name, len )) return test;
    return NULL;
}

static int winetest_main( int argc, char **argv )
{
    const char *platform;
    LONG failures;

    winetest_argc = argc;
    winetest_argv = argv;
    _setmode( _fileno( stdout ), _O_BINARY );
#ifndef __GNUC__
    winetest_init_print_lock();
#endif

    if ((platform = getenv( "WINETEST_PLATFORM" )) && *platform)
        winetest_platform = platform;
    else if (GetProcAddress( GetModuleHandleA( "ntdll.dll" ), "wine_get_version" ))
        winetest_platform = "wine";
    else
        winetest_platform = "windows";
    winetest_platform_is_wine = !strcmp( winetest_platform, "wine" );
    winetest_platform_is_windows = !strcmp( winetest_platform, "windows" );
    winetest_debug = winetest_env_int( "WINETEST_DEBUG", 1 );
    winetest_interactive = winetest_env_int( "WINETEST_INTERACTIVE", 0 );
    winetest_report_success = winetest_env_int( "WINETEST_REPORT_SUCCESS", 0 );

    if (argc < 2)
    {
        winetest_usage( argv[0] );
        return 1;
    }
    if (!strcmp( argv[1], "--list" ))
    {
        winetest_list_tests( "" );
        return 0;
    }
    if (!strcmp( argv[1], "--help" ) || !strcmp( argv[1], "-h" ))
    {
        winetest_usage( argv[0] );
        return 0;
    }
    if (!(winetest_current_test = winetest_find_test( argv[1] )))
    {
        fprintf( stderr, "Fatal: test '%s' does not exist.\n", argv[1] );
        fflush( stderr );
        winetest_usage( argv[0] );
        return 1;
    }

    SetErrorMode( SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX );
    SetUnhandledExceptionFilter( winetest_exception_filter );
    SetLastError( 0 );

    winetest_current_test->func();

    failures = winetest_failures + winetest_todo_successes;
    winetest_printf( "%s:%s: %ld tests executed (%ld marked as todo, %ld failures), %ld skipped.\n",
                     WINETEST_MODULE, winetest_current_test->name,
                     (long)(winetest_successes + winetest_failures + winetest_todo_successes + winetest_todo_failures),
                     (long)winetest_todo_failures, (long)failures, (long)winetest_skipped );
    fflush( stdout );
    return failures < 0 ? 255 : failures > 255 ? 255 : (int)failures;
}

#ifdef __cplusplus
}
#endif

int main( int argc, char **argv )
{
    return winetest_main( argc, argv );
}

#endif /* STANDALONE */

#endif /* __WINE_WINE_TEST_H */
