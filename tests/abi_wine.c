/*
 * Compile-time check of Wine's own webservices.h (libwine-dev) against the
 * same metadata reference as tests/abi_static.c: for every structure, field,
 * enum constant and constant that Wine's header declares too, the layout and
 * value must agree.  Built with Wine's windows/msvcrt headers instead of
 * MinGW's, for x86_64 and i686.
 */

#include <stddef.h>
#include <windows.h>
#include <webservices.h>

#define ABI_STRUCT(type, size, align) \
    _Static_assert(sizeof(type) == (size), "sizeof(" #type ")"); \
    _Static_assert(_Alignof(type) == (align), "alignof(" #type ")");
#define ABI_FIELD(type, member, offset, size) \
    _Static_assert(offsetof(type, member) == (offset), "offsetof(" #type ", " #member ")"); \
    _Static_assert(sizeof(((type *)0)->member) == (size), "sizeof(" #type "." #member ")");
#define ABI_ENUM(name, value) _Static_assert((name) == (value), "enum " #name);
/* Known disagreements (see WINE_DIFFERENCES in tools/gen_abi_check.py). */
#define ABI_ENUM_WINE_DIFFERS(name, value) _Static_assert((name) != (value), "Wine fixed " #name);
/* Wine defines the WS_E_ codes as plain hex numbers, not HRESULTs: compare values. */
#define ABI_CONST(name, value) _Static_assert((__typeof__(value))(name) == (value), "constant " #name);

#include "abi_wine.h"
