/*
 * Error objects (WS_ERROR)
 *
 * An error object holds a list of strings, newest first to the caller
 * (WsGetErrorString index 0 is the string added last), three properties, and
 * the fault data fault.c attaches to it.  When
 * WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE is set, the system's text for that
 * code counts as one more string, at the last index, as documented.
 *
 * ws_error_set() at the end is how every failure path of the DLL explains
 * itself: it formats a message and adds it like WsAddErrorString.
 *
 * Functions whose subject is the error object itself (WsAddErrorString,
 * WsGetErrorString, Ws[GS]etErrorProperty, WsResetError, WsCopyError) report
 * their own failures with ws_error_set( NULL, ... ): logged, but not added to
 * the object being inspected or changed.
 */

#include <stdio.h>
#include <string.h>
#include "webservices_private.h"

struct error_props
{
    ULONG string_count;
    HRESULT original_code;
    LANGID langid;
};

struct ws_error
{
    struct ws_object obj;
    struct error_props props;
    struct error_props created;     /* what WsResetError returns to */
    WS_STRING *strings;             /* oldest first */
    ULONG count;
    ULONG capacity;
    WS_STRING original_text;        /* text of props.original_code, if set */
    void *fault_data;
    const struct ws_error_fault_ops *fault_ops;
};

static HRESULT validate_error_prop( ULONG id, const void *value, WS_ERROR *error )
{
    /* Documented: "This value cannot be zero." */
    if (id == WS_ERROR_PROPERTY_LANGID && !*(const LANGID *)value)
        return ws_error_set( error, E_INVALIDARG, "error property WS_ERROR_PROPERTY_LANGID cannot be zero" );
    return S_OK;
}

/* STRING_COUNT is read-only.  ORIGINAL_ERROR_CODE is set after creation (an
 * error object is created before anything has failed).  LANGID is given at
 * creation, or set while the object holds no information yet (see
 * WsSetErrorProperty).  LANGID's default, the user's UI language, is set at
 * creation since it is not a constant. */
static const struct ws_prop_desc error_prop_desc[] =
{
    WS_PROP( WS_ERROR_PROPERTY_STRING_COUNT,        struct error_props, string_count,  WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE, struct error_props, original_code, WS_PROP_GET | WS_PROP_SET,
             NULL ),
    WS_PROP( WS_ERROR_PROPERTY_LANGID,              struct error_props, langid,        WS_PROP_WRITABLE,  NULL ),
};

static const struct ws_prop_table error_prop_table = WS_PROP_TABLE( "error", error_prop_desc, validate_error_prop );

static inline struct ws_error *impl_from_WS_ERROR( WS_ERROR *error )
{
    return (struct ws_error *)error;
}

static void update_string_count( struct ws_error *err )
{
    err->props.string_count = err->count + (err->original_text.chars ? 1 : 0);
}

static void free_original_text( struct ws_error *err )
{
    HeapFree( GetProcessHeap(), 0, err->original_text.chars );
    err->original_text.chars = NULL;
    err->original_text.length = 0;
}

static void free_fault_data( struct ws_error *err )
{
    if (err->fault_data && err->fault_ops && err->fault_ops->free) err->fault_ops->free( err->fault_data );
    err->fault_data = NULL;
    err->fault_ops = NULL;
}

/* Drop all content; the properties go back to their creation values. */
static void clear_error( struct ws_error *err )
{
    ULONG i;

    for (i = 0; i < err->count; i++) HeapFree( GetProcessHeap(), 0, err->strings[i].chars );
    err->count = 0;
    free_original_text( err );
    free_fault_data( err );
    err->props = err->created;
    update_string_count( err );
}

/* Nothing language-sensitive recorded yet: the state after creation or reset. */
static BOOL error_is_empty( const struct ws_error *err )
{
    return !err->count && !err->original_text.chars && !err->fault_data;
}

static WCHAR *alloc_chars( ULONG length )
{
    SIZE_T bytes = ((SIZE_T)length + 1) * sizeof(WCHAR);

    if (bytes / sizeof(WCHAR) <= length) return NULL;
    return HeapAlloc( GetProcessHeap(), 0, bytes );
}

/* Append a string; takes ownership of CHARS (allocated on the process heap). */
static HRESULT append_string( struct ws_error *err, WCHAR *chars, ULONG length )
{
    if (err->count == err->capacity)
    {
        ULONG capacity = err->capacity ? err->capacity * 2 : 4;
        WS_STRING *strings;

        if (capacity <= err->capacity) return E_OUTOFMEMORY;
        if (err->strings) strings = HeapReAlloc( GetProcessHeap(), 0, err->strings, capacity * sizeof(*strings) );
        else strings = HeapAlloc( GetProcessHeap(), 0, capacity * sizeof(*strings) );
        if (!strings) return E_OUTOFMEMORY;
        err->strings = strings;
        err->capacity = capacity;
    }
    err->strings[err->count].chars = chars;
    err->strings[err->count].length = length;
    err->count++;
    update_string_count( err );
    return S_OK;
}

static HRESULT add_string_copy( struct ws_error *err, const WCHAR *chars, ULONG length )
{
    WCHAR *copy;
    HRESULT hr;

    if (!(copy = alloc_chars( length ))) return E_OUTOFMEMORY;
    if (length) memcpy( copy, chars, length * sizeof(WCHAR) );
    copy[length] = 0;
    if (FAILED(hr = append_string( err, copy, length ))) HeapFree( GetProcessHeap(), 0, copy );
    return hr;
}

/* The system's text for CODE in the error's language (falling back to any
 * language, then to the bare number), without the trailing line break. */
static WCHAR *format_code( HRESULT code, LANGID langid, ULONG *length )
{
    static const DWORD flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
    WCHAR buffer[512], *ret;
    DWORD len;

    if (!(len = FormatMessageW( flags, NULL, code, langid, buffer, ARRAYSIZE(buffer), NULL )) &&
        !(len = FormatMessageW( flags, NULL, code, 0, buffer, ARRAYSIZE(buffer), NULL )))
        len = swprintf( buffer, ARRAYSIZE(buffer), L"Error 0x%08lx", (unsigned long)code );
    while (len && (buffer[len - 1] == '\r' || buffer[len - 1] == '\n' || buffer[len - 1] == ' ')) len--;
    if (!(ret = alloc_chars( len ))) return NULL;
    memcpy( ret, buffer, len * sizeof(WCHAR) );
    ret[len] = 0;
    *length = len;
    return ret;
}

static HRESULT set_original_code( struct ws_error *err, HRESULT code )
{
    WCHAR *text = NULL;
    ULONG length = 0;

    /* NOERROR means "not mapped from another code": no extra string. */
    if (code != NOERROR && !(text = format_code( code, err->props.langid, &length ))) return E_OUTOFMEMORY;
    free_original_text( err );
    err->original_text.chars = text;
    err->original_text.length = length;
    err->props.original_code = code;
    update_string_count( err );
    return S_OK;
}

/* ---- internal interface ------------------------------------------------- */

WCHAR *ws_error_code_text( HRESULT code, LANGID langid, ULONG *length )
{
    return format_code( code, langid, length );
}

void ws_error_set_original_code( WS_ERROR *error, HRESULT code )
{
    if (ws_object_is( error, WS_OBJECT_ERROR )) set_original_code( impl_from_WS_ERROR( error ), code );
}

HRESULT ws_error_set_fault_data( WS_ERROR *error, void *data, const struct ws_error_fault_ops *ops )
{
    struct ws_error *err = impl_from_WS_ERROR( error );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    free_fault_data( err );
    err->fault_data = data;
    err->fault_ops = ops;
    return S_OK;
}

void *ws_error_get_fault_data( WS_ERROR *error )
{
    if (!ws_object_is( error, WS_OBJECT_ERROR )) return NULL;
    return impl_from_WS_ERROR( error )->fault_data;
}

/* ---- exported functions -------------------------------------------------- */

HRESULT WINAPI WsCreateError( const WS_ERROR_PROPERTY *properties, ULONG propertyCount, WS_ERROR **error )
{
    struct ws_error *err;
    HRESULT hr;

    TRACE( "%p %lu %p\n", properties, propertyCount, error );

    if (!error) return ws_error_set( NULL, E_INVALIDARG, "error is NULL" );
    if (!(err = ws_object_alloc( WS_OBJECT_ERROR, sizeof(*err) )))
        return ws_error_set( NULL, E_OUTOFMEMORY, "out of memory creating an error object" );

    ws_props_init( &error_prop_table, &err->props );
    err->props.langid = GetUserDefaultUILanguage();
    if (FAILED(hr = WS_PROPS_APPLY( &error_prop_table, &err->props, properties, propertyCount, NULL )))
    {
        ws_object_free( err );
        return hr;
    }
    err->created = err->props;
    *error = (WS_ERROR *)err;
    TRACE( "created %p\n", err );
    return S_OK;
}

void WINAPI WsFreeError( WS_ERROR *error )
{
    struct ws_error *err = impl_from_WS_ERROR( error );

    TRACE( "%p\n", error );

    if (!ws_object_is( error, WS_OBJECT_ERROR ))
    {
        if (error) WARN( "%p is not an error object\n", error );
        return;
    }
    clear_error( err );
    HeapFree( GetProcessHeap(), 0, err->strings );
    ws_object_free( err );
}

HRESULT WINAPI WsResetError( WS_ERROR *error )
{
    TRACE( "%p\n", error );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    clear_error( impl_from_WS_ERROR( error ) );
    return S_OK;
}

HRESULT WINAPI WsGetErrorProperty( WS_ERROR *error, WS_ERROR_PROPERTY_ID id, void *buffer, ULONG bufferSize )
{
    struct ws_error *err = impl_from_WS_ERROR( error );

    TRACE( "%p %d %p %lu\n", error, id, buffer, bufferSize );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    return ws_props_get( &error_prop_table, &err->props, id, buffer, bufferSize, NULL );
}

HRESULT WINAPI WsSetErrorProperty( WS_ERROR *error, WS_ERROR_PROPERTY_ID id, const void *value, ULONG valueSize )
{
    struct ws_error *err = impl_from_WS_ERROR( error );
    struct error_props props;
    HRESULT hr;

    TRACE( "%p %d %p %lu\n", error, id, value, valueSize );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    /* Documented: the language "can only be set when the error object is
     * first created, or after it's been reset using WsResetError", i.e.
     * while it holds no language-sensitive information. */
    if (id == WS_ERROR_PROPERTY_LANGID && !error_is_empty( err ))
        return ws_error_set( NULL, WS_E_INVALID_OPERATION,
                             "WS_ERROR_PROPERTY_LANGID can only be set on an empty (new or reset) error object" );

    props = err->props;
    if (FAILED(hr = ws_props_set( &error_prop_table, &props, id, value, valueSize, NULL ))) return hr;
    if (id == WS_ERROR_PROPERTY_ORIGINAL_ERROR_CODE)
    {
        if (FAILED(hr = set_original_code( err, props.original_code )))
            return ws_error_set( NULL, hr, "out of memory storing the original error text" );
        return S_OK;
    }
    err->props = props;
    return S_OK;
}

HRESULT WINAPI WsAddErrorString( WS_ERROR *error, const WS_STRING *string )
{
    HRESULT hr;

    TRACE( "%p %p\n", error, string );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    if (!string) return ws_error_set( NULL, E_INVALIDARG, "string is NULL" );
    if (string->length && !string->chars)
        return ws_error_set( NULL, E_INVALIDARG, "string has %lu characters but chars is NULL", string->length );
    TRACE( "adding %s\n", debugstr_wn( string->chars, string->length ) );

    if (FAILED(hr = add_string_copy( impl_from_WS_ERROR( error ), string->chars, string->length )))
        return ws_error_set( NULL, hr, "out of memory copying a string of %lu characters", string->length );
    return S_OK;
}

HRESULT WINAPI WsGetErrorString( WS_ERROR *error, ULONG index, WS_STRING *string )
{
    struct ws_error *err = impl_from_WS_ERROR( error );

    TRACE( "%p %lu %p\n", error, index, string );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    if (!string) return ws_error_set( NULL, E_INVALIDARG, "string is NULL" );
    if (index >= err->props.string_count)
        return ws_error_set( NULL, E_INVALIDARG, "index %lu is out of range: the error holds %lu strings", index,
                             err->props.string_count );

    /* Newest first; the original error code's text, if any, last. */
    if (index < err->count) *string = err->strings[err->count - 1 - index];
    else *string = err->original_text;
    return S_OK;
}

HRESULT WINAPI WsCopyError( WS_ERROR *source, WS_ERROR *destination )
{
    struct ws_error *src = impl_from_WS_ERROR( source ), *dst = impl_from_WS_ERROR( destination );
    HRESULT hr = S_OK;
    ULONG i;

    TRACE( "%p %p\n", source, destination );

    WS_CHECK_HANDLE( source, WS_OBJECT_ERROR, NULL );
    WS_CHECK_HANDLE( destination, WS_OBJECT_ERROR, NULL );
    if (src == dst) return S_OK;

    /* The destination becomes a copy: its previous content goes, its
     * creation-time properties (what WsResetError returns to) stay. */
    clear_error( dst );
    dst->props = src->props;
    for (i = 0; i < src->count && SUCCEEDED(hr); i++)
        hr = add_string_copy( dst, src->strings[i].chars, src->strings[i].length );
    if (SUCCEEDED(hr) && src->original_text.chars)
    {
        if (!(dst->original_text.chars = alloc_chars( src->original_text.length ))) hr = E_OUTOFMEMORY;
        else
        {
            memcpy( dst->original_text.chars, src->original_text.chars,
                    (src->original_text.length + 1) * sizeof(WCHAR) );
            dst->original_text.length = src->original_text.length;
        }
    }
    if (SUCCEEDED(hr) && src->fault_data && src->fault_ops && src->fault_ops->copy)
    {
        if (SUCCEEDED(hr = src->fault_ops->copy( src->fault_data, &dst->fault_data )))
            dst->fault_ops = src->fault_ops;
    }
    update_string_count( dst );
    if (FAILED(hr))
    {
        clear_error( dst );
        return ws_error_set( NULL, hr, "failed to copy error %p to %p", source, destination );
    }
    return S_OK;
}

/* ---- rich error messages for the whole DLL ------------------------------- */

static HRESULT add_utf8_message( struct ws_error *err, const char *message, int len )
{
    WCHAR *chars;
    int count = MultiByteToWideChar( CP_UTF8, 0, message, len, NULL, 0 );

    if (count < 0 || !(chars = alloc_chars( count ))) return E_OUTOFMEMORY;
    MultiByteToWideChar( CP_UTF8, 0, message, len, chars, count );
    chars[count] = 0;
    if (FAILED(append_string( err, chars, count )))
    {
        HeapFree( GetProcessHeap(), 0, chars );
        return E_OUTOFMEMORY;
    }
    return S_OK;
}

HRESULT ws_error_set( WS_ERROR *error, HRESULT hr, const char *format, ... )
{
    char buffer[512], *message = buffer;
    va_list args, copy;
    int len;

    /* Nobody to tell: skip the formatting (failure paths can be common). */
    if (!ws_object_is( error, WS_OBJECT_ERROR ) && !WS_DEBUG_ON( WS_DBCL_WARN )) return hr;

    va_start( args, format );
    va_copy( copy, args );
    len = vsnprintf( buffer, sizeof(buffer), format, args );
    if (len >= (int)sizeof(buffer) && (message = HeapAlloc( GetProcessHeap(), 0, len + 1 )))
        vsnprintf( message, len + 1, format, copy );
    else if (len >= (int)sizeof(buffer))
    {
        message = buffer;           /* out of memory: keep the truncated text */
        len = sizeof(buffer) - 1;
    }
    va_end( copy );
    va_end( args );
    if (len < 0) len = 0, buffer[0] = 0;

    WARN( "%08lx: %s\n", (unsigned long)hr, message );
    if (ws_object_is( error, WS_OBJECT_ERROR )) add_utf8_message( impl_from_WS_ERROR( error ), message, len );
    if (message != buffer) HeapFree( GetProcessHeap(), 0, message );
    return hr;
}
