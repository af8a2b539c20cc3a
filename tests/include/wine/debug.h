/*
 * Debug string helpers for the winetest-style test harness.
 *
 * Provides the subset of Wine's wine/debug.h that test files use:
 * wine_dbg_sprintf, wine_dbgstr_a/an/w/wn/guid/longlong/point/rect and the
 * debugstr_* shorthands.  Every function returns a string that lives in a
 * small per-thread ring buffer owned by the test harness (wine/test.h,
 * STANDALONE part), so results stay valid for the next few dozen calls on the
 * same thread, which is what printf-style arguments need.
 *
 * Written from scratch for this project; not derived from Wine's sources.
 */

#ifndef __WINE_WINE_DEBUG_H
#define __WINE_WINE_DEBUG_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <windef.h>
#include <winbase.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(__clang__)
# define WINETEST_PRINTF_ATTR(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
# define WINETEST_PRINTF_ATTR(fmt, args) __attribute__((format(printf, fmt, args)))
#else
# define WINETEST_PRINTF_ATTR(fmt, args)
#endif

/* All formatting goes through MinGW's own C99 printf, so %zu, %llu, %ls and
 * friends work whether or not __USE_MINGW_ANSI_STDIO is defined. */
#ifdef __MINGW32__
# define winetest_vsnprintf __mingw_vsnprintf
#else
# define winetest_vsnprintf vsnprintf
#endif

/* Returns LEN bytes (at most 8192) from the calling thread's ring buffer.
 * Defined by wine/test.h in the STANDALONE translation unit; preserves the
 * thread's last error value. */
extern char *winetest_dbg_buffer( size_t len );

#define WINETEST_DBG_MAX_LEN 4096   /* longest string a helper returns */
#define WINETEST_DBGSTR_MAX  300    /* characters shown before "..." */

static inline const char *wine_dbg_vsprintf( const char *format, va_list args ) WINETEST_PRINTF_ATTR(1, 0);
static inline const char *wine_dbg_vsprintf( const char *format, va_list args )
{
    va_list copy;
    char *buffer;
    int len;

    va_copy( copy, args );
    len = winetest_vsnprintf( NULL, 0, format, copy );
    va_end( copy );
    if (len < 0) return "(format error)";
    if (len >= WINETEST_DBG_MAX_LEN) len = WINETEST_DBG_MAX_LEN - 1;
    buffer = winetest_dbg_buffer( len + 1 );
    winetest_vsnprintf( buffer, len + 1, format, args );
    return buffer;
}

static inline const char *wine_dbg_sprintf( const char *format, ... ) WINETEST_PRINTF_ATTR(1, 2);
static inline const char *wine_dbg_sprintf( const char *format, ... )
{
    const char *ret;
    va_list args;

    va_start( args, format );
    ret = wine_dbg_vsprintf( format, args );
    va_end( args );
    return ret;
}

/* Appends C escaped as in a C string literal; DIGITS hex digits for \x. */
static inline char *winetest_dbg_escape( char *dst, unsigned int c, int digits )
{
    static const char hex[] = "0123456789abcdef";

    switch (c)
    {
    case '\n': *dst++ = '\\'; *dst++ = 'n'; break;
    case '\r': *dst++ = '\\'; *dst++ = 'r'; break;
    case '\t': *dst++ = '\\'; *dst++ = 't'; break;
    case '"':  *dst++ = '\\'; *dst++ = '"'; break;
    case '\\': *dst++ = '\\'; *dst++ = '\\'; break;
    default:
        if (c >= ' ' && c < 127) *dst++ = (char)c;
        else
        {
            *dst++ = '\\';
            *dst++ = 'x';
            while (digits--) *dst++ = hex[(c >> (digits * 4)) & 0xf];
        }
        break;
    }
    return dst;
}

static inline const char *wine_dbgstr_an( const char *str, int n )
{
    char *buffer, *dst;
    int i, truncated = 0;

    if (!str) return "(null)";
    if (!((ULONG_PTR)str >> 16)) return wine_dbg_sprintf( "#%04x", (unsigned int)(ULONG_PTR)str );
    if (n < 0) n = (int)strlen( str );
    if (n > WINETEST_DBGSTR_MAX) { n = WINETEST_DBGSTR_MAX; truncated = 1; }
    dst = buffer = winetest_dbg_buffer( (size_t)n * 4 + 8 );
    *dst++ = '"';
    for (i = 0; i < n; i++) dst = winetest_dbg_escape( dst, (unsigned char)str[i], 2 );
    *dst++ = '"';
    if (truncated) { *dst++ = '.'; *dst++ = '.'; *dst++ = '.'; }
    *dst = 0;
    return buffer;
}

static inline const char *wine_dbgstr_wn( const WCHAR *str, int n )
{
    char *buffer, *dst;
    int i, truncated = 0;

    if (!str) return "(null)";
    if (!((ULONG_PTR)str >> 16)) return wine_dbg_sprintf( "#%04x", (unsigned int)(ULONG_PTR)str );
    if (n < 0) for (n = 0; str[n]; n++) ;
    if (n > WINETEST_DBGSTR_MAX) { n = WINETEST_DBGSTR_MAX; truncated = 1; }
    dst = buffer = winetest_dbg_buffer( (size_t)n * 6 + 9 );
    *dst++ = 'L';
    *dst++ = '"';
    for (i = 0; i < n; i++) dst = winetest_dbg_escape( dst, (unsigned short)str[i], 4 );
    *dst++ = '"';
    if (truncated) { *dst++ = '.'; *dst++ = '.'; *dst++ = '.'; }
    *dst = 0;
    return buffer;
}

static inline const char *wine_dbgstr_a( const char *s ) { return wine_dbgstr_an( s, -1 ); }
static inline const char *wine_dbgstr_w( const WCHAR *s ) { return wine_dbgstr_wn( s, -1 ); }

static inline const char *wine_dbgstr_guid( const GUID *id )
{
    if (!id) return "(null)";
    if (!((ULONG_PTR)id >> 16)) return wine_dbg_sprintf( "<guid-0x%04x>", (unsigned int)(ULONG_PTR)id & 0xffff );
    return wine_dbg_sprintf( "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
                             (unsigned long)id->Data1, id->Data2, id->Data3,
                             id->Data4[0], id->Data4[1], id->Data4[2], id->Data4[3],
                             id->Data4[4], id->Data4[5], id->Data4[6], id->Data4[7] );
}

static inline const char *wine_dbgstr_longlong( ULONGLONG ll )
{
    if (ll >> 32) return wine_dbg_sprintf( "%lx%08lx", (unsigned long)(ll >> 32), (unsigned long)(ll & 0xffffffff) );
    return wine_dbg_sprintf( "%lx", (unsigned long)ll );
}

static inline const char *wine_dbgstr_point( const POINT *pt )
{
    if (!pt) return "(null)";
    return wine_dbg_sprintf( "(%ld,%ld)", (long)pt->x, (long)pt->y );
}

static inline const char *wine_dbgstr_rect( const RECT *rect )
{
    if (!rect) return "(null)";
    return wine_dbg_sprintf( "(%ld,%ld)-(%ld,%ld)", (long)rect->left, (long)rect->top,
                             (long)rect->right, (long)rect->bottom );
}

static inline const char *debugstr_an( const char *s, int n ) { return wine_dbgstr_an( s, n ); }
static inline const char *debugstr_wn( const WCHAR *s, int n ) { return wine_dbgstr_wn( s, n ); }
static inline const char *debugstr_a( const char *s ) { return wine_dbgstr_an( s, -1 ); }
static inline const char *debugstr_w( const WCHAR *s ) { return wine_dbgstr_wn( s, -1 ); }
static inline const char *debugstr_guid( const GUID *id ) { return wine_dbgstr_guid( id ); }

#ifdef __cplusplus
}
#endif

#endif /* __WINE_WINE_DEBUG_H */
