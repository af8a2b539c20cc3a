/*
 * Compile-time ABI check of include/webservices.h: every structure's size,
 * alignment, field offsets, field sizes and field types, every enum constant,
 * constant and HRESULT, every callback typedef and every function prototype
 * must equal the reference that tools/gen_abi_check.py computes from the
 * metadata.  The build compiles this for x86_64 and for i686; any mismatch is
 * a compile error naming the fact.
 */

#include <stddef.h>
#include <windows.h>
#include "webservices.h"

#define ABI_STRUCT(type, size, align) \
    _Static_assert(sizeof(type) == (size), "sizeof(" #type ")"); \
    _Static_assert(_Alignof(type) == (align), "alignof(" #type ")");
#define ABI_FIELD(type, member, offset, size) \
    _Static_assert(offsetof(type, member) == (offset), "offsetof(" #type ", " #member ")"); \
    _Static_assert(sizeof(((type *)0)->member) == (size), "sizeof(" #type "." #member ")");
#define ABI_FIELD_TYPE(type, member, ctype) \
    _Static_assert(__builtin_types_compatible_p(__typeof__(((type *)0)->member), ctype), \
                   "type of " #type "." #member " is not " #ctype);
#define ABI_ENUM(name, value) _Static_assert((name) == (value), "enum " #name);
#define ABI_CONST(name, value) _Static_assert((name) == (value), "constant " #name);
/* A typedef may be repeated in C11 only with the same type. */
#define ABI_CALLBACK(ret, name, params) typedef ret (CALLBACK *name) params;
/* A function may be redeclared only with a compatible type. */
#define ABI_FUNC(ret, name, params) ret WINAPI name params;

#include "abi_data.h"
