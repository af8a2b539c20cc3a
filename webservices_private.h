/*
 * Private declarations shared by every source file of webservices.dll.
 */

#ifndef __WEBSERVICES_PRIVATE_H
#define __WEBSERVICES_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <windows.h>
#include "webservices.h"

/*
 * Debug channel "webservices", with Wine's semantics: WINEDEBUG selects the
 * classes, messages go to stderr as "tid:class:webservices:function message".
 * Under Wine the channel is resolved through ntdll's own debug interface so
 * that every WINEDEBUG option (+pid, +timestamp, relay filtering...) behaves
 * exactly as for a builtin module; on Windows debug.c parses WINEDEBUG itself.
 * The test in each macro is a single bit test, so disabled tracing costs one
 * load and one branch.
 */
enum ws_debug_class
{
    WS_DBCL_FIXME,
    WS_DBCL_ERR,
    WS_DBCL_WARN,
    WS_DBCL_TRACE,
};

/* Same layout as the channel structure ntdll's debug interface takes. */
struct ws_debug_channel
{
    unsigned char flags;
    char name[15];
};

extern struct ws_debug_channel ws_debug_channel;

void ws_debug_init(void);
void ws_debug_log( enum ws_debug_class cls, const char *function, const char *format, ... )
    __attribute__((format(gnu_printf, 3, 4)));
const char *ws_debugstr_an( const char *str, int len );
const char *ws_debugstr_wn( const WCHAR *str, int len );
const char *ws_debugstr_xmlstr( const WS_XML_STRING *str );

#define WS_DEBUG_ON(cls) (ws_debug_channel.flags & (1 << (cls)))

#define WS_DEBUG_PRINT(cls, ...) \
    do { if (WS_DEBUG_ON(cls)) ws_debug_log( cls, __func__, __VA_ARGS__ ); } while (0)

#define TRACE(...) WS_DEBUG_PRINT( WS_DBCL_TRACE, __VA_ARGS__ )
#define WARN(...)  WS_DEBUG_PRINT( WS_DBCL_WARN, __VA_ARGS__ )
#define FIXME(...) WS_DEBUG_PRINT( WS_DBCL_FIXME, __VA_ARGS__ )
#define ERR(...)   WS_DEBUG_PRINT( WS_DBCL_ERR, __VA_ARGS__ )
#define TRACE_ON() WS_DEBUG_ON( WS_DBCL_TRACE )

#define debugstr_a(s)     ws_debugstr_an( (s), -1 )
#define debugstr_an(s, n) ws_debugstr_an( (s), (n) )
#define debugstr_w(s)     ws_debugstr_wn( (s), -1 )
#define debugstr_wn(s, n) ws_debugstr_wn( (s), (n) )
#define debugstr_xmlstr(s) ws_debugstr_xmlstr( s )

extern HINSTANCE ws_instance;

/*
 * error.c: every failure path explains itself.  Formats a message (printf
 * style, UTF-8), adds it to ERROR as WsAddErrorString would when ERROR is
 * not NULL, and returns HR, so that callers write
 *     return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
 */
HRESULT ws_error_set( WS_ERROR *error, HRESULT hr, const char *format, ... )
    __attribute__((format(gnu_printf, 3, 4)));

#endif /* __WEBSERVICES_PRIVATE_H */
