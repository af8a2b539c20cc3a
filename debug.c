/*
 * The "webservices" debug channel: FIXME/ERR/WARN/TRACE output controlled by
 * WINEDEBUG, in Wine's format.
 *
 * Under Wine, ntdll exports its debug interface (__wine_dbg_get_channel_flags,
 * __wine_dbg_header, __wine_dbg_output); using it makes this PE module obey
 * every WINEDEBUG option exactly like a builtin one and keeps its lines in
 * order with Wine's own.  Elsewhere (Windows) WINEDEBUG is parsed here with
 * the same syntax: comma-separated items "[class]+channel" / "[class]-channel",
 * where class is fixme, err, warn or trace and channel may be "all"; the
 * default is err and fixme on.
 */

#include <stdio.h>
#include <string.h>
#include "webservices_private.h"

struct ws_debug_channel ws_debug_channel = { (1 << WS_DBCL_ERR) | (1 << WS_DBCL_FIXME), "webservices" };

static unsigned char (__cdecl *wine_get_channel_flags)( struct ws_debug_channel * );
static int (__cdecl *wine_dbg_header)( enum ws_debug_class, struct ws_debug_channel *, const char * );
static int (__cdecl *wine_dbg_output)( const char * );

static const char * const class_names[] = { "fixme", "err", "warn", "trace" };

static BOOL item_matches( const char *name, size_t len, const char *wanted )
{
    return strlen( wanted ) == len && !_strnicmp( name, wanted, len );
}

/* Apply one WINEDEBUG item to the default flags or to this channel's set/clear masks. */
static void parse_item( const char *item, size_t len, unsigned char *dflt, unsigned char *set, unsigned char *clear )
{
    unsigned char mask = 0xf;
    const char *p = memchr( item, '+', len ), *minus = memchr( item, '-', len );
    BOOL on = TRUE;
    size_t i;

    if (!p || (minus && minus < p)) { p = minus; on = FALSE; }
    if (p)
    {
        if (p > item)
        {
            mask = 0;
            for (i = 0; i < ARRAYSIZE(class_names); i++)
                if (item_matches( item, p - item, class_names[i] )) mask = 1 << i;
            if (!mask) return;
        }
        len -= p + 1 - item;
        item = p + 1;
    }
    if (item_matches( item, len, "all" ))
    {
        if (on) *dflt |= mask; else *dflt &= ~mask;
    }
    else if (item_matches( item, len, ws_debug_channel.name ))
    {
        if (on) { *set |= mask; *clear &= ~mask; }
        else { *clear |= mask; *set &= ~mask; }
    }
}

static unsigned char parse_winedebug( void )
{
    unsigned char dflt = (1 << WS_DBCL_ERR) | (1 << WS_DBCL_FIXME), set = 0, clear = 0;
    char buffer[1024];
    const char *item, *end;
    DWORD len = GetEnvironmentVariableA( "WINEDEBUG", buffer, sizeof(buffer) );

    if (!len || len >= sizeof(buffer)) return dflt;
    for (item = buffer; *item; item = *end ? end + 1 : end)
    {
        if (!(end = strchr( item, ',' ))) end = item + strlen( item );
        if (end > item) parse_item( item, end - item, &dflt, &set, &clear );
    }
    return (dflt & ~clear) | set;
}

void ws_debug_init( void )
{
    HMODULE ntdll = GetModuleHandleA( "ntdll.dll" );

    /* WEBSERVICES_DEBUG_STANDALONE lets the tests exercise the Windows path under Wine. */
    if (ntdll && !GetEnvironmentVariableA( "WEBSERVICES_DEBUG_STANDALONE", NULL, 0 ))
    {
        wine_get_channel_flags = (void *)GetProcAddress( ntdll, "__wine_dbg_get_channel_flags" );
        wine_dbg_header = (void *)GetProcAddress( ntdll, "__wine_dbg_header" );
        wine_dbg_output = (void *)GetProcAddress( ntdll, "__wine_dbg_output" );
    }
    if (wine_get_channel_flags && wine_dbg_header && wine_dbg_output)
    {
        ws_debug_channel.flags = 0xff;  /* ask ntdll to resolve the channel */
        ws_debug_channel.flags = wine_get_channel_flags( &ws_debug_channel );
    }
    else
    {
        wine_dbg_header = NULL;
        ws_debug_channel.flags = parse_winedebug();
    }
}

static void write_stderr( const char *text, int len )
{
    HANDLE handle = GetStdHandle( STD_ERROR_HANDLE );
    DWORD written;

    if (handle && handle != INVALID_HANDLE_VALUE) WriteFile( handle, text, len, &written, NULL );
}

void ws_debug_log( enum ws_debug_class cls, const char *function, const char *format, ... )
{
    char buffer[1024];
    va_list args;
    int len = 0, ret;

    if (!wine_dbg_header)
    {
        len = snprintf( buffer, sizeof(buffer), "%04lx:%s:%s:%s ", GetCurrentThreadId(),
                        class_names[cls], ws_debug_channel.name, function );
        if (len < 0 || len >= (int)sizeof(buffer)) len = 0;
    }
    else if (wine_dbg_header( cls, &ws_debug_channel, function ) == -1) return;

    va_start( args, format );
    ret = vsnprintf( buffer + len, sizeof(buffer) - len, format, args );
    va_end( args );
    if (ret < 0) ret = 0;
    len = (len + ret < (int)sizeof(buffer)) ? len + ret : (int)sizeof(buffer) - 1;
    if (len && buffer[len - 1] != '\n' && len == (int)sizeof(buffer) - 1) buffer[len - 1] = '\n';

    if (wine_dbg_header) wine_dbg_output( buffer );
    else write_stderr( buffer, len );
}

/* Temporary strings for debug output: a small ring, enough for one message. */
static char *debug_buffer( void )
{
    static char buffers[32][256];
    static LONG next;
    return buffers[(ULONG)InterlockedIncrement( &next ) % ARRAYSIZE(buffers)];
}

static const char *debugstr_chars( const void *str, int len, int wide )
{
    char *buffer = debug_buffer(), *p = buffer, *end = buffer + 256 - 10;
    int i;

    if (!str) return "(null)";
    if (len < 0)
        len = wide ? (int)wcslen( str ) : (int)strlen( str );
    if (wide) *p++ = 'L';
    *p++ = '"';
    for (i = 0; i < len && p < end; i++)
    {
        unsigned int c = wide ? ((const WCHAR *)str)[i] : ((const unsigned char *)str)[i];
        switch (c)
        {
        case '\n': *p++ = '\\'; *p++ = 'n'; break;
        case '\r': *p++ = '\\'; *p++ = 'r'; break;
        case '\t': *p++ = '\\'; *p++ = 't'; break;
        case '"':  *p++ = '\\'; *p++ = '"'; break;
        case '\\': *p++ = '\\'; *p++ = '\\'; break;
        default:
            if (c >= ' ' && c < 127) *p++ = c;
            else if (c < 256) p += sprintf( p, "\\x%02x", c );
            else p += sprintf( p, "\\u%04x", c );
        }
    }
    *p++ = '"';
    if (i < len) { *p++ = '.'; *p++ = '.'; *p++ = '.'; }
    *p = 0;
    return buffer;
}

const char *ws_debugstr_an( const char *str, int len )
{
    return debugstr_chars( str, len, 0 );
}

const char *ws_debugstr_wn( const WCHAR *str, int len )
{
    return debugstr_chars( str, len, 1 );
}

const char *ws_debugstr_xmlstr( const WS_XML_STRING *str )
{
    if (!str) return "(null)";
    return debugstr_chars( str->bytes, str->length, 0 );
}
