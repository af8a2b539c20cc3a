/*
 * Faults built from and read into WS_ERROR objects
 *
 * A WS_ERROR carries fault information as three properties
 * (WS_FAULT_ERROR_PROPERTY_FAULT, _ACTION, _HEADER), kept in a struct
 * fault_data attached to the error with ws_error_set_fault_data().  All of
 * it lives on one private WS_HEAP that stays until WsResetError/WsFreeError
 * (or until the error is overwritten by WsCopyError), so the pointers
 * WsGetFaultErrorProperty hands out stay valid as documented, even when
 * another property is set afterwards.
 *
 * The fault detail is an XML buffer holding the SOAP detail element (its
 * name does not matter, WS_FAULT says); WsSetFaultErrorDetail and
 * WsGetFaultErrorDetail write and read its content with the serializer
 * (WsWriteElement/WsReadElement, or WsWriteType/WsReadType with
 * WS_ELEMENT_CONTENT_TYPE_MAPPING for the several-elements form) on XML
 * buffer writers and readers.
 */

#include <string.h>
#include "webservices_private.h"

struct fault_data
{
    WS_HEAP *heap;              /* owns everything below */
    struct fault_props
    {
        WS_FAULT *fault;        /* NULL when no fault is set */
        WS_XML_STRING action;   /* length 0 when there is no action */
        WS_XML_BUFFER *header;  /* NULL when there is no header */
    } props;
};

/* WsGetFaultErrorProperty: a WS_FAULT *, a WS_XML_STRING, a WS_XML_BUFFER *. */
static const struct ws_prop_desc fault_get_desc[] =
{
    WS_PROP( WS_FAULT_ERROR_PROPERTY_FAULT,  struct fault_props, fault,  WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_FAULT_ERROR_PROPERTY_ACTION, struct fault_props, action, WS_PROP_READ_ONLY, NULL ),
    WS_PROP( WS_FAULT_ERROR_PROPERTY_HEADER, struct fault_props, header, WS_PROP_READ_ONLY, NULL ),
};
static const struct ws_prop_table fault_get_table = WS_PROP_TABLE( "fault error", fault_get_desc, NULL );

/* WsSetFaultErrorProperty takes the WS_FAULT itself (a WS_FAULT *), the
 * WS_XML_STRING and a WS_XML_BUFFER *, as documented; the error keeps copies. */
struct fault_set_values
{
    WS_FAULT fault;
    WS_XML_STRING action;
    WS_XML_BUFFER *header;
};

static const struct ws_prop_desc fault_set_desc[] =
{
    WS_PROP( WS_FAULT_ERROR_PROPERTY_FAULT,  struct fault_set_values, fault,  WS_PROP_SET_ONLY, NULL ),
    WS_PROP( WS_FAULT_ERROR_PROPERTY_ACTION, struct fault_set_values, action, WS_PROP_SET_ONLY, NULL ),
    WS_PROP( WS_FAULT_ERROR_PROPERTY_HEADER, struct fault_set_values, header, WS_PROP_SET_ONLY, NULL ),
};
static const struct ws_prop_table fault_set_table = WS_PROP_TABLE( "fault error", fault_set_desc, NULL );

/* Private heaps have no quota of their own: what goes in was accepted elsewhere. */
#define FAULT_HEAP_MAX ((SIZE_T)~(SIZE_T)0 >> 1)

/* ---- deep copies onto a heap --------------------------------------------- */

static HRESULT copy_wstring( WS_HEAP *heap, const WS_STRING *src, WS_STRING *dst, WS_ERROR *error )
{
    WCHAR *chars;
    HRESULT hr;

    if (src->length && !src->chars)
        return ws_error_set( error, E_INVALIDARG, "string of %lu characters has no characters", src->length );
    if ((hr = ws_heap_alloc_hr( heap, ((SIZE_T)src->length + 1) * sizeof(WCHAR), (void **)&chars, error )) != S_OK)
        return hr;
    if (src->length) memcpy( chars, src->chars, src->length * sizeof(WCHAR) );
    chars[src->length] = 0;
    dst->chars = chars;
    dst->length = src->length;
    return S_OK;
}

/* A copy without dictionary: the source's dictionary may not outlive it. */
static HRESULT copy_xml_string( WS_HEAP *heap, const WS_XML_STRING *src, WS_XML_STRING *dst, WS_ERROR *error )
{
    BYTE *bytes;
    HRESULT hr;

    if (src->length && !src->bytes)
        return ws_error_set( error, E_INVALIDARG, "XML string of %lu bytes has no bytes", src->length );
    if ((hr = ws_heap_alloc_hr( heap, src->length ? src->length : 1, (void **)&bytes, error )) != S_OK) return hr;
    if (src->length) memcpy( bytes, src->bytes, src->length );
    memset( dst, 0, sizeof(*dst) );
    dst->length = src->length;
    dst->bytes = bytes;
    return S_OK;
}

/* A new XML buffer on HEAP with the nodes of SRC, written by the XML writer. */
static HRESULT copy_xml_buffer( WS_HEAP *heap, WS_XML_BUFFER *src, WS_XML_BUFFER **dst, WS_ERROR *error )
{
    WS_XML_WRITER *writer;
    WS_XML_BUFFER *buffer;
    HRESULT hr;

    if (!ws_object_is( src, WS_OBJECT_XML_BUFFER ))
        return ws_error_set( error, E_INVALIDARG, "%p is not an XML buffer", src );
    if ((hr = WsCreateXmlBuffer( heap, NULL, 0, &buffer, error )) != S_OK) return hr;
    if ((hr = WsCreateWriter( NULL, 0, &writer, error )) != S_OK) return hr;
    if ((hr = WsSetOutputToBuffer( writer, buffer, NULL, 0, error )) == S_OK &&
        (hr = WsWriteXmlBuffer( writer, src, error )) == S_OK)
        *dst = buffer;
    WsFreeWriter( writer );
    return hr;
}

static HRESULT copy_codes( WS_HEAP *heap, const WS_FAULT_CODE *src, WS_FAULT_CODE **dst, WS_ERROR *error )
{
    WS_FAULT_CODE **next = dst;
    ULONG depth = 0;
    HRESULT hr;

    *dst = NULL;
    for (; src; src = src->subCode)
    {
        /* A cyclic list would never end; real faults nest a few levels. */
        if (++depth > 1024) return ws_error_set( error, E_INVALIDARG, "fault code list is longer than 1024 codes" );
        if ((hr = ws_heap_alloc_hr( heap, sizeof(**next), (void **)next, error )) != S_OK) return hr;
        (*next)->subCode = NULL;
        if ((hr = copy_xml_string( heap, &src->value.localName, &(*next)->value.localName, error )) != S_OK ||
            (hr = copy_xml_string( heap, &src->value.ns, &(*next)->value.ns, error )) != S_OK)
            return hr;
        next = &(*next)->subCode;
    }
    return S_OK;
}

static HRESULT copy_reasons( WS_HEAP *heap, const WS_FAULT_REASON *src, ULONG count, WS_FAULT_REASON **dst,
                             WS_ERROR *error )
{
    WS_FAULT_REASON *reasons = NULL;
    HRESULT hr;
    ULONG i;

    if (count && !src) return ws_error_set( error, E_INVALIDARG, "fault has %lu reasons but reasons is NULL", count );
    if (count && (hr = ws_heap_alloc_hr( heap, (SIZE_T)count * sizeof(*reasons), (void **)&reasons, error )) != S_OK)
        return hr;
    for (i = 0; i < count; i++)
    {
        if ((hr = copy_wstring( heap, &src[i].text, &reasons[i].text, error )) != S_OK ||
            (hr = copy_wstring( heap, &src[i].lang, &reasons[i].lang, error )) != S_OK)
            return hr;
    }
    *dst = reasons;
    return S_OK;
}

/* Deep copy of SRC (codes, reasons, strings and the detail buffer) onto HEAP. */
static HRESULT copy_fault( WS_HEAP *heap, const WS_FAULT *src, WS_FAULT *dst, WS_ERROR *error )
{
    HRESULT hr;

    memset( dst, 0, sizeof(*dst) );
    if ((hr = copy_codes( heap, src->code, &dst->code, error )) != S_OK) return hr;
    if ((hr = copy_reasons( heap, src->reasons, src->reasonCount, &dst->reasons, error )) != S_OK) return hr;
    dst->reasonCount = src->reasonCount;
    if ((hr = copy_wstring( heap, &src->actor, &dst->actor, error )) != S_OK) return hr;
    if ((hr = copy_wstring( heap, &src->node, &dst->node, error )) != S_OK) return hr;
    if (src->detail) return copy_xml_buffer( heap, src->detail, &dst->detail, error );
    return S_OK;
}

/* A new WS_FAULT on HEAP: a copy of SRC, or empty when SRC is NULL. */
static HRESULT new_fault( WS_HEAP *heap, const WS_FAULT *src, WS_FAULT **ret, WS_ERROR *error )
{
    WS_FAULT *fault;
    HRESULT hr;

    if ((hr = ws_heap_alloc_hr( heap, sizeof(*fault), (void **)&fault, error )) != S_OK) return hr;
    if (!src) memset( fault, 0, sizeof(*fault) );
    else if ((hr = copy_fault( heap, src, fault, error )) != S_OK) return hr;
    *ret = fault;
    return S_OK;
}

/* ---- the fault data attached to a WS_ERROR ------------------------------- */

static void fault_data_free( void *ptr )
{
    struct fault_data *data = ptr;

    WsFreeHeap( data->heap );
    HeapFree( GetProcessHeap(), 0, data );
}

static HRESULT fault_data_create( struct fault_data **ret, WS_ERROR *error )
{
    struct fault_data *data;
    HRESULT hr;

    if (!(data = HeapAlloc( GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*data) )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for fault data" );
    if ((hr = WsCreateHeap( FAULT_HEAP_MAX, 0, NULL, 0, &data->heap, error )) != S_OK)
    {
        HeapFree( GetProcessHeap(), 0, data );
        return hr;
    }
    *ret = data;
    return S_OK;
}

static HRESULT fault_data_copy( const void *ptr, void **ret )
{
    const struct fault_data *src = ptr;
    struct fault_data *dst;
    HRESULT hr;

    if ((hr = fault_data_create( &dst, NULL )) != S_OK) return hr;
    if ((src->props.fault && (hr = new_fault( dst->heap, src->props.fault, &dst->props.fault, NULL )) != S_OK) ||
        (hr = copy_xml_string( dst->heap, &src->props.action, &dst->props.action, NULL )) != S_OK ||
        (src->props.header && (hr = copy_xml_buffer( dst->heap, src->props.header, &dst->props.header, NULL )) != S_OK))
    {
        fault_data_free( dst );
        return hr;
    }
    *ret = dst;
    return S_OK;
}

static const struct ws_error_fault_ops fault_data_ops = { fault_data_free, fault_data_copy };

/* The error's fault data, created (empty) on first use.  ERROR is valid. */
static HRESULT get_fault_data( WS_ERROR *error, struct fault_data **ret )
{
    struct fault_data *data;
    HRESULT hr;

    if ((data = ws_error_get_fault_data( error )))
    {
        *ret = data;
        return S_OK;
    }
    /* Messages about failures go nowhere: ERROR is the subject, not a report. */
    if ((hr = fault_data_create( &data, NULL )) != S_OK) return hr;
    if ((hr = ws_error_set_fault_data( error, data, &fault_data_ops )) != S_OK)
    {
        fault_data_free( data );
        return hr;
    }
    *ret = data;
    return S_OK;
}

/* After a failed set: fault data that holds nothing is dropped, so that the
 * error is as empty as before (an empty error may still change its language). */
static HRESULT drop_empty_fault_data( WS_ERROR *error, HRESULT hr )
{
    struct fault_data *data = ws_error_get_fault_data( error );

    if (data && !data->props.fault && !data->props.action.length && !data->props.header)
        ws_error_set_fault_data( error, NULL, NULL );
    return hr;
}

/* ---- languages ------------------------------------------------------------ */

/* The locale name ("en-US") of LANGID; an empty string when it has none. */
static void langid_name( LANGID langid, WCHAR name[LOCALE_NAME_MAX_LENGTH] )
{
    if (!LCIDToLocaleName( MAKELCID( langid, SORT_DEFAULT ), name, LOCALE_NAME_MAX_LENGTH, 0 )) name[0] = 0;
}

static ULONG language_part( const WCHAR *name, ULONG len )
{
    ULONG i;
    for (i = 0; i < len && name[i] != '-'; i++);
    return i;
}

/* Whether a reason's xml:lang matches the error's language: the same tag
 * (case-insensitive, RFC 3066), or a tag without region ("en") matching the
 * language part of the other.  A reason without xml:lang (SOAP 1.1's
 * faultstring usually has none) is taken to be in the error's language. */
static BOOL lang_matches( const WS_STRING *lang, const WCHAR *name )
{
    ULONG name_len = lstrlenW( name ), lang_part, name_part;

    if (!lang->length) return TRUE;
    if (CompareStringOrdinal( lang->chars, lang->length, name, name_len, TRUE ) == CSTR_EQUAL) return TRUE;
    lang_part = language_part( lang->chars, lang->length );
    name_part = language_part( name, name_len );
    if (lang_part != lang->length && name_part != name_len) return FALSE;
    return CompareStringOrdinal( lang->chars, lang_part, name, name_part, TRUE ) == CSTR_EQUAL;
}

static LANGID error_langid( WS_ERROR *error )
{
    LANGID langid = 0;
    if (WsGetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) ) != S_OK)
        langid = GetUserDefaultUILanguage();
    return langid;
}

/* As documented for WS_FAULT_ERROR_PROPERTY_FAULT: the fault string (the
 * first reason in the error's language) becomes an error string. */
static HRESULT add_fault_string( WS_ERROR *error, const WS_FAULT *fault )
{
    WCHAR name[LOCALE_NAME_MAX_LENGTH];
    ULONG i;

    langid_name( error_langid( error ), name );
    for (i = 0; i < fault->reasonCount; i++)
    {
        if (lang_matches( &fault->reasons[i].lang, name )) return WsAddErrorString( error, &fault->reasons[i].text );
    }
    return S_OK;
}

/* ---- property setters shared by the exports and the channel layer -------- */

static HRESULT set_fault( WS_ERROR *error, const WS_FAULT *fault )
{
    struct fault_data *data;
    WS_FAULT *copy;
    HRESULT hr;

    if ((hr = get_fault_data( error, &data )) != S_OK) return hr;
    if ((hr = new_fault( data->heap, fault, &copy, NULL )) != S_OK) return hr;
    data->props.fault = copy;
    return add_fault_string( error, copy );
}

static HRESULT set_action( WS_ERROR *error, const WS_XML_STRING *action )
{
    struct fault_data *data;
    WS_XML_STRING copy;
    HRESULT hr;

    if ((hr = get_fault_data( error, &data )) != S_OK) return hr;
    if ((hr = copy_xml_string( data->heap, action, &copy, NULL )) != S_OK) return hr;
    data->props.action = copy;
    return S_OK;
}

static HRESULT set_header( WS_ERROR *error, WS_XML_BUFFER *header )
{
    struct fault_data *data;
    WS_XML_BUFFER *copy = NULL;
    HRESULT hr;

    if (header && !ws_object_is( header, WS_OBJECT_XML_BUFFER ))
        return ws_error_set( NULL, E_INVALIDARG, "header %p is not an XML buffer", header );
    if ((hr = get_fault_data( error, &data )) != S_OK) return hr;
    if (header && (hr = copy_xml_buffer( data->heap, header, &copy, NULL )) != S_OK) return hr;
    data->props.header = copy;
    return S_OK;
}

/* ---- WsCreateFaultFromError ----------------------------------------------- */

/* The generic fault string of WS_MINIMAL_FAULT_DISCLOSURE: says nothing of the error. */
static const WCHAR generic_fault_text[] = L"The server was unable to process the request due to an internal error.";

/* All the error strings appended together (in WsGetErrorString order,
 * separated by a space); when there are none, the text of CODE. */
static HRESULT full_reason_text( WS_ERROR *error, HRESULT code, LANGID langid, WS_HEAP *heap, WS_STRING *text,
                                 WS_ERROR *report )
{
    ULONG count = 0, i, length = 0;
    WS_STRING str;
    WCHAR *chars;
    HRESULT hr;

    WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    if (!count)
    {
        WS_STRING code_text;
        if (!(code_text.chars = ws_error_code_text( code, langid, &code_text.length )))
            return ws_error_set( report, E_OUTOFMEMORY, "out of memory formatting error code %#lx", code );
        hr = copy_wstring( heap, &code_text, text, report );
        HeapFree( GetProcessHeap(), 0, code_text.chars );
        return hr;
    }
    for (i = 0; i < count; i++)
    {
        if ((hr = WsGetErrorString( error, i, &str )) != S_OK) return hr;
        if (length + str.length + 1 < length) return ws_error_set( report, E_OUTOFMEMORY, "error strings too long" );
        length += str.length + (i ? 1 : 0);
    }
    if ((hr = ws_heap_alloc_hr( heap, ((SIZE_T)length + 1) * sizeof(WCHAR), (void **)&chars, report )) != S_OK)
        return hr;
    text->chars = chars;
    text->length = length;
    for (i = 0; i < count; i++)
    {
        WsGetErrorString( error, i, &str );
        if (i) *chars++ = ' ';
        if (str.length) memcpy( chars, str.chars, str.length * sizeof(WCHAR) );
        chars += str.length;
    }
    *chars = 0;
    return S_OK;
}

/* The one reason of a fault that has none, in the error's language. */
static HRESULT make_reason( WS_ERROR *error, HRESULT code, WS_FAULT_DISCLOSURE disclosure, WS_HEAP *heap,
                            WS_FAULT *fault, WS_ERROR *report )
{
    static const WS_STRING generic = { ARRAYSIZE(generic_fault_text) - 1, (WCHAR *)generic_fault_text };
    WCHAR name[LOCALE_NAME_MAX_LENGTH];
    WS_FAULT_REASON *reason;
    LANGID langid = error_langid( error );
    WS_STRING lang;
    HRESULT hr;

    if ((hr = ws_heap_alloc_hr( heap, sizeof(*reason), (void **)&reason, report )) != S_OK) return hr;
    if (disclosure == WS_FULL_FAULT_DISCLOSURE)
        hr = full_reason_text( error, code, langid, heap, &reason->text, report );
    else hr = copy_wstring( heap, &generic, &reason->text, report );
    if (hr != S_OK) return hr;
    langid_name( langid, name );
    lang.chars = name;
    lang.length = lstrlenW( name );
    if ((hr = copy_wstring( heap, &lang, &reason->lang, report )) != S_OK) return hr;
    fault->reasons = reason;
    fault->reasonCount = 1;
    return S_OK;
}

/* The generic fault code, in no namespace so that the serializer gives it the
 * envelope's namespace (and SOAP 1.1's Client/Server names).  SOAP 1.2
 * (part 1, 5.4.6) calls a fault caused by a message that "was incorrectly
 * formed" a Sender fault, and any other processing failure a Receiver fault. */
static HRESULT make_code( HRESULT code, WS_HEAP *heap, WS_FAULT *fault, WS_ERROR *report )
{
    static const WS_XML_STRING sender = { 6, (BYTE *)"Sender", NULL, 0 };
    static const WS_XML_STRING receiver = { 8, (BYTE *)"Receiver", NULL, 0 };
    static const WS_XML_STRING no_ns = { 0, (BYTE *)"", NULL, 0 };
    WS_FAULT_CODE generic = { { code == WS_E_INVALID_FORMAT ? sender : receiver, no_ns }, NULL };

    return copy_codes( heap, &generic, &fault->code, report );
}

static HRESULT create_fault( WS_ERROR *error, HRESULT code, WS_FAULT_DISCLOSURE disclosure, WS_HEAP *heap,
                             WS_FAULT *fault, WS_ERROR *report )
{
    struct fault_data *data = ws_error_get_fault_data( error );
    HRESULT hr;

    if (data && data->props.fault)
    {
        if ((hr = copy_fault( heap, data->props.fault, fault, report )) != S_OK) return hr;
    }
    else memset( fault, 0, sizeof(*fault) );
    /* A fault set with WsSetFaultErrorDetail alone has no code yet. */
    if (!fault->code && (hr = make_code( code, heap, fault, report )) != S_OK) return hr;
    if (!fault->reasonCount) return make_reason( error, code, disclosure, heap, fault, report );
    return S_OK;
}

static HRESULT check_create_args( WS_ERROR *error, HRESULT code, WS_FAULT_DISCLOSURE disclosure, WS_HEAP *heap,
                                  void *fault, WS_ERROR *report )
{
    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, report );
    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, report );
    if (!fault) return ws_error_set( report, E_INVALIDARG, "fault is NULL" );
    if (SUCCEEDED(code))
        return ws_error_set( report, E_INVALIDARG, "fault error code %#lx is a success code", code );
    if (disclosure != WS_MINIMAL_FAULT_DISCLOSURE && disclosure != WS_FULL_FAULT_DISCLOSURE)
        return ws_error_set( report, E_INVALIDARG, "invalid fault disclosure %d", disclosure );
    return S_OK;
}

HRESULT WINAPI WsCreateFaultFromError( WS_ERROR *error, HRESULT faultErrorCode, WS_FAULT_DISCLOSURE faultDisclosure,
                                       WS_HEAP *heap, WS_FAULT *fault )
{
    HRESULT hr;

    TRACE( "%p %#lx %d %p %p\n", error, faultErrorCode, faultDisclosure, heap, fault );

    /* The error is the input: failures are logged, not added to it. */
    if ((hr = check_create_args( error, faultErrorCode, faultDisclosure, heap, fault, NULL )) != S_OK) return hr;
    return create_fault( error, faultErrorCode, faultDisclosure, heap, fault, NULL );
}

/* ---- WsGetFaultErrorProperty / WsSetFaultErrorProperty -------------------- */

HRESULT WINAPI WsGetFaultErrorProperty( WS_ERROR *error, WS_FAULT_ERROR_PROPERTY_ID id, void *buffer,
                                        ULONG bufferSize )
{
    static const struct fault_props empty;
    struct fault_data *data;

    TRACE( "%p %d %p %lu\n", error, id, buffer, bufferSize );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    data = ws_error_get_fault_data( error );
    return ws_props_get( &fault_get_table, data ? &data->props : &empty, id, buffer, bufferSize, NULL );
}

HRESULT WINAPI WsSetFaultErrorProperty( WS_ERROR *error, WS_FAULT_ERROR_PROPERTY_ID id, const void *value,
                                        ULONG valueSize )
{
    struct fault_set_values values;
    HRESULT hr;

    TRACE( "%p %d %p %lu\n", error, id, value, valueSize );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    memset( &values, 0, sizeof(values) );
    if ((hr = ws_props_set( &fault_set_table, &values, id, value, valueSize, NULL )) != S_OK) return hr;

    switch (id)
    {
    case WS_FAULT_ERROR_PROPERTY_FAULT:  hr = set_fault( error, &values.fault ); break;
    case WS_FAULT_ERROR_PROPERTY_ACTION: hr = set_action( error, &values.action ); break;
    case WS_FAULT_ERROR_PROPERTY_HEADER: hr = set_header( error, values.header ); break;
    default: return ws_error_set( NULL, E_INVALIDARG, "unknown fault error property %d", id );
    }
    return hr == S_OK ? S_OK : drop_empty_fault_data( error, hr );
}

/* ---- WsGetFaultErrorDetail / WsSetFaultErrorDetail ------------------------ */

/* OPTION is the WS_READ_OPTION or WS_WRITE_OPTION; the several-elements form
 * (no element name) documents that it must be a required value or pointer
 * (WS_READ_REQUIRED_VALUE/POINTER and WS_WRITE_REQUIRED_VALUE/POINTER are 1 and 2). */
static HRESULT check_detail_description( const WS_FAULT_DETAIL_DESCRIPTION *desc, int option, WS_ERROR *error )
{
    C_ASSERT( WS_READ_REQUIRED_VALUE == (int)WS_WRITE_REQUIRED_VALUE );
    C_ASSERT( WS_READ_REQUIRED_POINTER == (int)WS_WRITE_REQUIRED_POINTER );

    if (!desc) return ws_error_set( error, E_INVALIDARG, "faultDetailDescription is NULL" );
    if (!desc->detailElementDescription)
        return ws_error_set( error, E_INVALIDARG, "faultDetailDescription has no detailElementDescription" );
    if (!desc->detailElementDescription->elementLocalName && option != WS_READ_REQUIRED_VALUE &&
        option != WS_READ_REQUIRED_POINTER)
        return ws_error_set( error, E_INVALIDARG, "option %d: a detail of several elements is a required value "
                             "or pointer", option );
    return S_OK;
}

/* Documented filter: both actions given and different means "not this fault". */
static BOOL action_matches( const WS_XML_STRING *wanted, const WS_XML_STRING *action )
{
    if (!wanted || !action->length) return TRUE;
    return wanted->length == action->length && !memcmp( wanted->bytes, action->bytes, action->length );
}

/* No detail to read: NULL for the optional and nillable pointer options, a
 * format error for the required ones (the detail element is missing). */
static HRESULT no_detail( WS_READ_OPTION option, void *value, ULONG size, const char *why, WS_ERROR *error )
{
    if (option == WS_READ_OPTIONAL_POINTER || option == WS_READ_NILLABLE_POINTER)
    {
        if (!value || size != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "value must be a pointer (%zu bytes), not %lu bytes",
                                 sizeof(void *), size );
        *(void **)value = NULL;
        return S_OK;
    }
    if (option != WS_READ_REQUIRED_VALUE && option != WS_READ_REQUIRED_POINTER && option != WS_READ_NILLABLE_VALUE)
        return ws_error_set( error, E_INVALIDARG, "invalid read option %d", option );
    return ws_error_set( error, WS_E_INVALID_FORMAT, "no fault detail to read: %s", why );
}

/* Reads the detail element's content: one element, or (no element name) the
 * fields of a struct, each an element of the detail. */
static HRESULT read_detail( WS_XML_BUFFER *detail, const WS_ELEMENT_DESCRIPTION *desc, WS_READ_OPTION option,
                            WS_HEAP *heap, void *value, ULONG size, WS_ERROR *error )
{
    WS_XML_READER *reader;
    HRESULT hr;

    if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
    if ((hr = WsSetInputToBuffer( reader, detail, NULL, 0, error )) == S_OK &&
        (hr = WsReadToStartElement( reader, NULL, NULL, NULL, error )) == S_OK &&
        (hr = WsReadStartElement( reader, error )) == S_OK)
    {
        if (desc->elementLocalName)
            hr = WsReadElement( reader, desc, option, heap, value, size, error );
        else
            hr = WsReadType( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, desc->type, desc->typeDescription, option, heap,
                             value, size, error );
    }
    WsFreeReader( reader );
    return hr;
}

HRESULT WINAPI WsGetFaultErrorDetail( WS_ERROR *error, const WS_FAULT_DETAIL_DESCRIPTION *faultDetailDescription,
                                      WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize )
{
    struct fault_data *data;
    HRESULT hr;

    TRACE( "%p %p %d %p %p %lu\n", error, faultDetailDescription, readOption, heap, value, valueSize );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    if ((hr = check_detail_description( faultDetailDescription, readOption, NULL )) != S_OK) return hr;
    if (!value) return ws_error_set( NULL, E_INVALIDARG, "value is NULL" );

    data = ws_error_get_fault_data( error );
    if (!data || !data->props.fault || !data->props.fault->detail)
        return no_detail( readOption, value, valueSize, "the error holds no fault detail", NULL );
    if (!action_matches( faultDetailDescription->action, &data->props.action ))
        return no_detail( readOption, value, valueSize, "the fault's action does not match", NULL );
    return read_detail( data->props.fault->detail, faultDetailDescription->detailElementDescription, readOption,
                        heap, value, valueSize, NULL );
}

/* Writes VALUE as the content of a new detail element in a new XML buffer. */
static HRESULT write_detail( WS_HEAP *heap, const WS_ELEMENT_DESCRIPTION *desc, WS_WRITE_OPTION option,
                             const void *value, ULONG size, WS_XML_BUFFER **ret, WS_ERROR *error )
{
    static const WS_XML_STRING detail = { 6, (BYTE *)"detail", NULL, 0 }, no_ns = { 0, (BYTE *)"", NULL, 0 };
    WS_XML_WRITER *writer;
    WS_XML_BUFFER *buffer;
    HRESULT hr;

    if ((hr = WsCreateXmlBuffer( heap, NULL, 0, &buffer, error )) != S_OK) return hr;
    if ((hr = WsCreateWriter( NULL, 0, &writer, error )) != S_OK) return hr;
    if ((hr = WsSetOutputToBuffer( writer, buffer, NULL, 0, error )) == S_OK &&
        (hr = WsWriteStartElement( writer, NULL, &detail, &no_ns, error )) == S_OK)
    {
        if (desc->elementLocalName)
            hr = WsWriteElement( writer, desc, option, value, size, error );
        else
            hr = WsWriteType( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, desc->type, desc->typeDescription, option,
                              value, size, error );
        if (hr == S_OK) hr = WsWriteEndElement( writer, error );
    }
    WsFreeWriter( writer );
    if (hr == S_OK) *ret = buffer;
    return hr;
}

HRESULT WINAPI WsSetFaultErrorDetail( WS_ERROR *error, const WS_FAULT_DETAIL_DESCRIPTION *faultDetailDescription,
                                      WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize )
{
    struct fault_data *data;
    WS_XML_BUFFER *detail;
    HRESULT hr;

    TRACE( "%p %p %d %p %lu\n", error, faultDetailDescription, writeOption, value, valueSize );

    WS_CHECK_HANDLE( error, WS_OBJECT_ERROR, NULL );
    if ((hr = check_detail_description( faultDetailDescription, writeOption, NULL )) != S_OK) return hr;
    if ((hr = get_fault_data( error, &data )) != S_OK) return hr;
    if ((hr = write_detail( data->heap, faultDetailDescription->detailElementDescription, writeOption, value,
                            valueSize, &detail, NULL )) != S_OK)
        return drop_empty_fault_data( error, hr );
    /* The detail belongs to the error's fault; without one yet, it starts a
     * fault with no code or reason, which WsCreateFaultFromError completes. */
    if (!data->props.fault && (hr = new_fault( data->heap, NULL, &data->props.fault, NULL )) != S_OK)
        return drop_empty_fault_data( error, hr );
    data->props.fault->detail = detail;
    if (faultDetailDescription->action) return set_action( error, faultDetailDescription->action );
    return S_OK;
}

/* ---- the channel layer's side --------------------------------------------- */

HRESULT ws_fault_received( WS_ERROR *error, const WS_FAULT *fault, const WS_XML_STRING *action,
                           WS_XML_BUFFER *header )
{
    HRESULT hr;

    if (!fault) return ws_error_set( error, E_INVALIDARG, "no fault" );
    if (ws_object_is( error, WS_OBJECT_ERROR ))
    {
        if ((hr = set_fault( error, fault )) != S_OK ||
            (action && action->length && (hr = set_action( error, action )) != S_OK) ||
            (header && (hr = set_header( error, header )) != S_OK))
            return drop_empty_fault_data( error, hr );
    }
    return WS_E_ENDPOINT_FAULT_RECEIVED;
}

HRESULT ws_fault_for_error( WS_ERROR *fault_error, HRESULT code, WS_FAULT_DISCLOSURE disclosure, WS_HEAP *heap,
                            WS_FAULT *fault, WS_XML_STRING *action, WS_XML_BUFFER **header, WS_ERROR *error )
{
    struct fault_data *data;
    HRESULT hr;

    if ((hr = check_create_args( fault_error, code, disclosure, heap, fault, error )) != S_OK) return hr;
    if ((hr = create_fault( fault_error, code, disclosure, heap, fault, error )) != S_OK) return hr;
    data = ws_error_get_fault_data( fault_error );
    if (action)
    {
        memset( action, 0, sizeof(*action) );
        if (data && (hr = copy_xml_string( heap, &data->props.action, action, error )) != S_OK) return hr;
    }
    if (header)
    {
        *header = NULL;
        if (data && data->props.header) return copy_xml_buffer( heap, data->props.header, header, error );
    }
    return S_OK;
}
