/*
 * Typed serialization (WsReadType, WsWriteType and friends)
 *
 * One engine, driven by the description structures of webservices.h, on top
 * of the public reader/writer API and the text-value functions of xmltext.c
 * (no parser or formatter of its own).  Values are handled in three layers:
 *
 *   - "storage": where a value of a WS_TYPE lives.  For a value type (int,
 *     WS_STRING, a struct...) it is the value itself; for a pointer type
 *     (WS_WSZ_TYPE, WS_XML_BUFFER_TYPE, WS_DESCRIPTION_TYPE) it is the
 *     pointer.  read_storage()/write_storage() move one non-nil value
 *     between storage and the XML at the reader/writer.
 *   - options: WS_READ_OPTION / WS_WRITE_OPTION and the field options
 *     (WS_FIELD_POINTER, WS_FIELD_OPTIONAL, WS_FIELD_NILLABLE) decide where
 *     the storage is (the caller's buffer, or a heap block the caller's
 *     pointer points to) and what a missing or nil value becomes.
 *   - mappings: where the value is in the XML (an element, an element's
 *     content, an attribute value).
 *
 * Implemented: every scalar and string type (bool, integers, float,
 * double, decimal, datetime, timespan, duration, GUID, wsz, WS_STRING,
 * WS_XML_STRING, WS_BYTES, WS_UNIQUE_ID, WS_XML_QNAME), enums, structs with
 * attribute, XML attribute (xml:lang...), any-attributes, any-content,
 * element, repeating element, text, no-field, element choice and repeating
 * choice (unions), any-element and repeating any-element (XML buffers) and
 * type-attribute (xsi:type subtypes, abstract types) mappings,
 * WS_ANY_ELEMENT_TYPE_MAPPING of WS_XML_BUFFER_TYPE, WS_ENDPOINT_ADDRESS_TYPE
 * (WS-Addressing 1.0, with endpoint identities) and
 * WsReadEndpointAddressExtension, WS_FAULT_TYPE (SOAP 1.1 and 1.2 forms),
 * the field-only array types (WS_CHAR_ARRAY_TYPE, WS_UTF8_ARRAY_TYPE,
 * WS_BYTE_ARRAY_TYPE: pointer at offset, count at countOffset), nillable
 * values (xsi:nil), defaults, and the documented limits of the descriptions.
 * The field-only types (arrays, WS_DESCRIPTION_TYPE, WS_ANY_ATTRIBUTES_TYPE,
 * WS_VOID_TYPE) are rejected at the top level (E_INVALIDARG, as WS_TYPE
 * says no WS_TYPE_MAPPING takes them).
 * WS_CUSTOM_TYPE (the description's callbacks read, write and compare the
 * value), WS_VOID_TYPE fields (discarded elements, attributes, any
 * elements, any content and any attributes; fields of arbitrary size that
 * are not serialized), XML buffers as elements whose name is replaced
 * (WS_ELEMENT_TYPE_MAPPING, element and repeating element fields).
 * Still E_NOTIMPL with a FIXME: repeating character-array fields (the docs
 * do not say where the items' counts go).
 */

#include <string.h>
#include "webservices_private.h"

/* A constant WS_XML_STRING of a string literal. */
#define XML_STRING(str) { sizeof(str) - 1, (BYTE *)(str), NULL, 0 }

static const WS_XML_STRING xsi_ns = { 41, (BYTE *)"http://www.w3.org/2001/XMLSchema-instance", NULL, 0 };
static const WS_XML_STRING nil_local = { 3, (BYTE *)"nil", NULL, 0 };
static const WS_XML_STRING type_local = { 4, (BYTE *)"type", NULL, 0 };
static const WS_XML_STRING xmlns_ns = { 29, (BYTE *)"http://www.w3.org/2000/xmlns/", NULL, 0 };

/* WS_CHAR_ARRAY_TYPE, WS_UTF8_ARRAY_TYPE and WS_BYTE_ARRAY_TYPE have no
 * structure in webservices.h: as WS_TYPE documents them, they are two
 * fields of a struct serialized as a unit, the pointer at the field's offset
 * and the ULONG count (characters or bytes) at its countOffset, and they
 * may only be used within a WS_FIELD_DESCRIPTION.  The engine moves them
 * through this storage (gathered before writing, scattered after reading). */
struct array_value
{
    ULONG count;
    void *items;   /* WCHAR * or BYTE *; NULL is the nil value */
};

/* ---------------------------------------------------------------------- */
/* Types                                                                   */
/* ---------------------------------------------------------------------- */

/* The WS_VALUE_TYPE of a fixed-size scalar WS_TYPE, or -1. */
static int value_type_of( WS_TYPE type )
{
    switch (type)
    {
    case WS_BOOL_TYPE:     return WS_BOOL_VALUE_TYPE;
    case WS_INT8_TYPE:     return WS_INT8_VALUE_TYPE;
    case WS_INT16_TYPE:    return WS_INT16_VALUE_TYPE;
    case WS_INT32_TYPE:    return WS_INT32_VALUE_TYPE;
    case WS_INT64_TYPE:    return WS_INT64_VALUE_TYPE;
    case WS_UINT8_TYPE:    return WS_UINT8_VALUE_TYPE;
    case WS_UINT16_TYPE:   return WS_UINT16_VALUE_TYPE;
    case WS_UINT32_TYPE:   return WS_UINT32_VALUE_TYPE;
    case WS_UINT64_TYPE:   return WS_UINT64_VALUE_TYPE;
    case WS_FLOAT_TYPE:    return WS_FLOAT_VALUE_TYPE;
    case WS_DOUBLE_TYPE:   return WS_DOUBLE_VALUE_TYPE;
    case WS_DECIMAL_TYPE:  return WS_DECIMAL_VALUE_TYPE;
    case WS_DATETIME_TYPE: return WS_DATETIME_VALUE_TYPE;
    case WS_TIMESPAN_TYPE: return WS_TIMESPAN_VALUE_TYPE;
    case WS_GUID_TYPE:     return WS_GUID_VALUE_TYPE;
    case WS_DURATION_TYPE: return WS_DURATION_VALUE_TYPE;
    default:               return -1;
    }
}

/* Pointer types: their storage is a pointer (documented for WS_READ_REQUIRED_VALUE). */
static BOOL is_pointer_type( WS_TYPE type )
{
    return type == WS_WSZ_TYPE || type == WS_XML_BUFFER_TYPE || type == WS_DESCRIPTION_TYPE;
}

/* Size of the storage of TYPE; 0 for an unknown type or a missing description. */
ULONG ws_type_storage_size( WS_TYPE type, const void *desc )
{
    switch (type)
    {
    case WS_BOOL_TYPE:             return sizeof(BOOL);
    case WS_INT8_TYPE:             return sizeof(INT8);
    case WS_INT16_TYPE:            return sizeof(INT16);
    case WS_INT32_TYPE:            return sizeof(INT32);
    case WS_INT64_TYPE:            return sizeof(INT64);
    case WS_UINT8_TYPE:            return sizeof(UINT8);
    case WS_UINT16_TYPE:           return sizeof(UINT16);
    case WS_UINT32_TYPE:           return sizeof(UINT32);
    case WS_UINT64_TYPE:           return sizeof(UINT64);
    case WS_FLOAT_TYPE:            return sizeof(float);
    case WS_DOUBLE_TYPE:           return sizeof(double);
    case WS_DECIMAL_TYPE:          return sizeof(DECIMAL);
    case WS_DATETIME_TYPE:         return sizeof(WS_DATETIME);
    case WS_TIMESPAN_TYPE:         return sizeof(WS_TIMESPAN);
    case WS_GUID_TYPE:             return sizeof(GUID);
    case WS_UNIQUE_ID_TYPE:        return sizeof(WS_UNIQUE_ID);
    case WS_STRING_TYPE:           return sizeof(WS_STRING);
    case WS_WSZ_TYPE:              return sizeof(WCHAR *);
    case WS_BYTES_TYPE:            return sizeof(WS_BYTES);
    case WS_XML_STRING_TYPE:       return sizeof(WS_XML_STRING);
    case WS_XML_QNAME_TYPE:        return sizeof(WS_XML_QNAME);
    case WS_XML_BUFFER_TYPE:       return sizeof(WS_XML_BUFFER *);
    case WS_CHAR_ARRAY_TYPE:
    case WS_UTF8_ARRAY_TYPE:
    case WS_BYTE_ARRAY_TYPE:       return sizeof(struct array_value);
    case WS_DESCRIPTION_TYPE:      return sizeof(void *);
    case WS_ENDPOINT_ADDRESS_TYPE: return sizeof(WS_ENDPOINT_ADDRESS);
    case WS_FAULT_TYPE:            return sizeof(WS_FAULT);
    case WS_DURATION_TYPE:         return sizeof(WS_DURATION);
    case WS_ENUM_TYPE:             return desc ? sizeof(int) : 0;
    case WS_STRUCT_TYPE:           return desc ? ((const WS_STRUCT_DESCRIPTION *)desc)->size : 0;
    case WS_UNION_TYPE:            return desc ? ((const WS_UNION_DESCRIPTION *)desc)->size : 0;
    case WS_CUSTOM_TYPE:           return desc ? ((const WS_CUSTOM_TYPE_DESCRIPTION *)desc)->size : 0;
    case WS_VOID_TYPE:             return desc ? ((const WS_VOID_DESCRIPTION *)desc)->size : 0;
    default:                       return 0;
    }
}

/* Alignment of the storage of TYPE, as the C compiler lays it out in a struct
 * (the call frames of service operations are C structs); 0 as above. */
ULONG ws_type_storage_alignment( WS_TYPE type, const void *desc )
{
    switch (type)
    {
    case WS_BOOL_TYPE:             return __alignof__(BOOL);
    case WS_INT8_TYPE:
    case WS_UINT8_TYPE:            return 1;
    case WS_INT16_TYPE:
    case WS_UINT16_TYPE:           return __alignof__(INT16);
    case WS_INT32_TYPE:
    case WS_UINT32_TYPE:
    case WS_ENUM_TYPE:             return __alignof__(INT32);
    case WS_INT64_TYPE:
    case WS_UINT64_TYPE:           return __alignof__(INT64);
    case WS_FLOAT_TYPE:            return __alignof__(float);
    case WS_DOUBLE_TYPE:           return __alignof__(double);
    case WS_DECIMAL_TYPE:          return __alignof__(DECIMAL);
    case WS_DATETIME_TYPE:         return __alignof__(WS_DATETIME);
    case WS_TIMESPAN_TYPE:         return __alignof__(WS_TIMESPAN);
    case WS_GUID_TYPE:             return __alignof__(GUID);
    case WS_UNIQUE_ID_TYPE:        return __alignof__(WS_UNIQUE_ID);
    case WS_STRING_TYPE:           return __alignof__(WS_STRING);
    case WS_BYTES_TYPE:            return __alignof__(WS_BYTES);
    case WS_XML_STRING_TYPE:       return __alignof__(WS_XML_STRING);
    case WS_XML_QNAME_TYPE:        return __alignof__(WS_XML_QNAME);
    case WS_CHAR_ARRAY_TYPE:
    case WS_UTF8_ARRAY_TYPE:
    case WS_BYTE_ARRAY_TYPE:       return __alignof__(struct array_value);
    case WS_ENDPOINT_ADDRESS_TYPE: return __alignof__(WS_ENDPOINT_ADDRESS);
    case WS_FAULT_TYPE:            return __alignof__(WS_FAULT);
    case WS_DURATION_TYPE:         return __alignof__(WS_DURATION);
    case WS_WSZ_TYPE:
    case WS_XML_BUFFER_TYPE:
    case WS_DESCRIPTION_TYPE:      return __alignof__(void *);
    case WS_STRUCT_TYPE:           return desc ? ((const WS_STRUCT_DESCRIPTION *)desc)->alignment : 0;
    case WS_UNION_TYPE:            return desc ? ((const WS_UNION_DESCRIPTION *)desc)->alignment : 0;
    case WS_CUSTOM_TYPE:           return desc ? ((const WS_CUSTOM_TYPE_DESCRIPTION *)desc)->alignment : 0;
    case WS_VOID_TYPE:             return 1;
    default:                       return 0;
    }
}

/* Types with a nil value of their own (WS_READ_NILLABLE_VALUE / WS_WRITE_NILLABLE_VALUE). */
static BOOL is_nillable_value_type( WS_TYPE type )
{
    return type == WS_STRING_TYPE || type == WS_XML_STRING_TYPE || type == WS_BYTES_TYPE ||
           type == WS_XML_QNAME_TYPE || type == WS_CHAR_ARRAY_TYPE || type == WS_UTF8_ARRAY_TYPE ||
           type == WS_BYTE_ARRAY_TYPE;
}

/* The documented nil representation: a NULL data pointer. */
static BOOL is_nil_value( WS_TYPE type, const void *storage )
{
    switch (type)
    {
    case WS_STRING_TYPE:     return !((const WS_STRING *)storage)->chars;
    case WS_XML_STRING_TYPE: return !((const WS_XML_STRING *)storage)->bytes;
    case WS_BYTES_TYPE:      return !((const WS_BYTES *)storage)->bytes;
    case WS_XML_QNAME_TYPE:  return !((const WS_XML_QNAME *)storage)->localName.bytes;
    case WS_CHAR_ARRAY_TYPE:
    case WS_UTF8_ARRAY_TYPE:
    case WS_BYTE_ARRAY_TYPE: return !((const struct array_value *)storage)->items;
    default:                 return FALSE;
    }
}

static BOOL type_needs_description( WS_TYPE type )
{
    return type == WS_ENUM_TYPE || type == WS_STRUCT_TYPE || type == WS_UNION_TYPE || type == WS_FAULT_TYPE ||
           type == WS_CUSTOM_TYPE;
}

static BOOL is_known_type( WS_TYPE type )
{
    if (type == WS_ENUM_TYPE || type == WS_STRUCT_TYPE || type == WS_UNION_TYPE || type == WS_ANY_ATTRIBUTES_TYPE ||
        type == WS_CUSTOM_TYPE || type == WS_VOID_TYPE)
        return TRUE;
    return ws_type_storage_size( type, NULL ) != 0;
}

static BOOL is_array_type( WS_TYPE type )
{
    return type == WS_CHAR_ARRAY_TYPE || type == WS_UTF8_ARRAY_TYPE || type == WS_BYTE_ARRAY_TYPE;
}

/* Types WS_TYPE documents as "may only be used within a WS_FIELD_DESCRIPTION":
 * no WS_TYPE_MAPPING takes them (WsReadType, WsWriteElement...). */
static BOOL is_field_only_type( WS_TYPE type )
{
    return is_array_type( type ) || type == WS_DESCRIPTION_TYPE || type == WS_ANY_ATTRIBUTES_TYPE ||
           type == WS_VOID_TYPE;
}

static HRESULT check_top_level_type( WS_TYPE type, WS_ERROR *error )
{
    if (is_field_only_type( type ))
        return ws_error_set( error, E_INVALIDARG, "type %d may only be used within a field description", type );
    return S_OK;
}

/* Field-only types have their own field mappings (checked by check_field). */
static BOOL is_implemented( WS_TYPE type )
{
    return is_known_type( type ) && type != WS_DESCRIPTION_TYPE && type != WS_ANY_ATTRIBUTES_TYPE &&
           type != WS_VOID_TYPE;
}

/* WS_CUSTOM_TYPE_DESCRIPTION: "alignment ... must be a power of two between
 * 1 and 8" (the heap's blocks are 8-byte aligned, which satisfies any of
 * them).  The callbacks are checked where they are needed: a description
 * used only for reading may leave writeCallback NULL and vice versa. */
static HRESULT check_custom_description( const WS_CUSTOM_TYPE_DESCRIPTION *desc, WS_ERROR *error )
{
    if (!desc->alignment || desc->alignment > 8 || (desc->alignment & (desc->alignment - 1)))
        return ws_error_set( error, E_INVALIDARG, "custom type alignment %lu is not a power of two up to 8",
                             desc->alignment );
    return S_OK;
}

static HRESULT check_fault_description( const WS_FAULT_DESCRIPTION *desc, WS_ERROR *error );
static HRESULT check_endpoint_address_description( const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc, WS_ERROR *error );

/* Checks TYPE and its description; S_OK when the engine can handle it. */
static HRESULT check_type( WS_TYPE type, const void *desc, WS_ERROR *error )
{
    HRESULT hr;

    if (!is_known_type( type ))
        return ws_error_set( error, E_INVALIDARG, "unknown type %d", type );
    if (type_needs_description( type ) && !desc)
        return ws_error_set( error, E_INVALIDARG, "type %d needs a description", type );
    if (type == WS_FAULT_TYPE && (hr = check_fault_description( desc, error )) != S_OK) return hr;
    if (type == WS_ENDPOINT_ADDRESS_TYPE && (hr = check_endpoint_address_description( desc, error )) != S_OK)
        return hr;
    if (type == WS_CUSTOM_TYPE && (hr = check_custom_description( desc, error )) != S_OK) return hr;
    if (!is_implemented( type ))
    {
        FIXME( "type %d not implemented\n", type );
        return ws_error_set( error, E_NOTIMPL, "type %d is not implemented", type );
    }
    return S_OK;
}

/* The mappings the engine handles for TYPE.  WS_TYPE allows XML buffers
 * WS_ELEMENT_TYPE_MAPPING (the buffer's element gives the written element's
 * attributes and content) and WS_ANY_ELEMENT_TYPE_MAPPING (the buffer is the
 * element) only. */
static HRESULT check_mapping( WS_TYPE_MAPPING mapping, WS_TYPE type, WS_ERROR *error )
{
    switch (mapping)
    {
    case WS_ELEMENT_TYPE_MAPPING:
    case WS_ELEMENT_CONTENT_TYPE_MAPPING:
    case WS_ATTRIBUTE_TYPE_MAPPING:
        if (type == WS_CUSTOM_TYPE) return S_OK;
        if (type == WS_XML_BUFFER_TYPE)
        {
            if (mapping == WS_ELEMENT_TYPE_MAPPING) return S_OK;
            return ws_error_set( error, E_INVALIDARG, "an XML buffer maps to an element, not mapping %d", mapping );
        }
        if (type == WS_ENDPOINT_ADDRESS_TYPE && mapping == WS_ATTRIBUTE_TYPE_MAPPING)
            return ws_error_set( error, E_INVALIDARG, "an endpoint address is elements, not an attribute" );
        if (type == WS_FAULT_TYPE && mapping == WS_ATTRIBUTE_TYPE_MAPPING)
            return ws_error_set( error, E_INVALIDARG, "a fault is elements, not an attribute" );
        if (type != WS_XML_BUFFER_TYPE) return S_OK;
        break;
    case WS_ANY_ELEMENT_TYPE_MAPPING:
        /* a custom type's callbacks decide which mappings make sense (WS_READ_TYPE_CALLBACK) */
        if (type == WS_XML_BUFFER_TYPE || type == WS_CUSTOM_TYPE) return S_OK;
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid type mapping %d", mapping );
    }
    FIXME( "type %d with mapping %d not implemented\n", type, mapping );
    return ws_error_set( error, E_NOTIMPL, "type %d with mapping %d is not implemented", type, mapping );
}

static HRESULT heap_alloc( WS_HEAP *heap, SIZE_T size, void **ptr, WS_ERROR *error )
{
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL but the value needs heap storage" );
    return ws_heap_alloc_hr( heap, size ? size : 1, ptr, error );
}

/* ---------------------------------------------------------------------- */
/* Limits of the descriptions                                              */
/* ---------------------------------------------------------------------- */

#define CHECK_RANGE(desc_type, c_type) \
    do { const desc_type *d = desc; c_type v = *(const c_type *)storage; \
         if (v < d->minValue || v > d->maxValue) return FALSE; } while (0)

/* FALSE when the value in STORAGE is outside the range of DESC. */
static BOOL value_in_range( WS_TYPE type, const void *desc, const void *storage )
{
    if (!desc) return TRUE;
    switch (type)
    {
    case WS_INT8_TYPE:   CHECK_RANGE( WS_INT8_DESCRIPTION, INT8 ); break;
    case WS_INT16_TYPE:  CHECK_RANGE( WS_INT16_DESCRIPTION, INT16 ); break;
    case WS_INT32_TYPE:  CHECK_RANGE( WS_INT32_DESCRIPTION, INT32 ); break;
    case WS_INT64_TYPE:  CHECK_RANGE( WS_INT64_DESCRIPTION, INT64 ); break;
    case WS_UINT8_TYPE:  CHECK_RANGE( WS_UINT8_DESCRIPTION, UINT8 ); break;
    case WS_UINT16_TYPE: CHECK_RANGE( WS_UINT16_DESCRIPTION, UINT16 ); break;
    case WS_UINT32_TYPE: CHECK_RANGE( WS_UINT32_DESCRIPTION, UINT32 ); break;
    case WS_UINT64_TYPE: CHECK_RANGE( WS_UINT64_DESCRIPTION, UINT64 ); break;
    case WS_FLOAT_TYPE:  CHECK_RANGE( WS_FLOAT_DESCRIPTION, float ); break;
    case WS_DOUBLE_TYPE: CHECK_RANGE( WS_DOUBLE_DESCRIPTION, double ); break;
    case WS_DATETIME_TYPE:
    {
        const WS_DATETIME_DESCRIPTION *d = desc;
        ULONGLONG t = ((const WS_DATETIME *)storage)->ticks;
        return t >= d->minValue.ticks && t <= d->maxValue.ticks;
    }
    case WS_TIMESPAN_TYPE:
    {
        const WS_TIMESPAN_DESCRIPTION *d = desc;
        LONGLONG t = ((const WS_TIMESPAN *)storage)->ticks;
        return t >= d->minValue.ticks && t <= d->maxValue.ticks;
    }
    default: break;
    }
    return TRUE;
}

/* FALSE when COUNT (characters or bytes) is outside the limits of DESC. */
static BOOL length_in_range( WS_TYPE type, const void *desc, ULONG count )
{
    ULONG min, max;

    if (!desc) return TRUE;
    switch (type)
    {
    case WS_STRING_TYPE:     min = ((const WS_STRING_DESCRIPTION *)desc)->minCharCount;
                             max = ((const WS_STRING_DESCRIPTION *)desc)->maxCharCount; break;
    case WS_WSZ_TYPE:        min = ((const WS_WSZ_DESCRIPTION *)desc)->minCharCount;
                             max = ((const WS_WSZ_DESCRIPTION *)desc)->maxCharCount; break;
    case WS_XML_STRING_TYPE: min = ((const WS_XML_STRING_DESCRIPTION *)desc)->minByteCount;
                             max = ((const WS_XML_STRING_DESCRIPTION *)desc)->maxByteCount; break;
    case WS_BYTES_TYPE:      min = ((const WS_BYTES_DESCRIPTION *)desc)->minByteCount;
                             max = ((const WS_BYTES_DESCRIPTION *)desc)->maxByteCount; break;
    case WS_CHAR_ARRAY_TYPE: min = ((const WS_CHAR_ARRAY_DESCRIPTION *)desc)->minCharCount;
                             max = ((const WS_CHAR_ARRAY_DESCRIPTION *)desc)->maxCharCount; break;
    case WS_UTF8_ARRAY_TYPE: min = ((const WS_UTF8_ARRAY_DESCRIPTION *)desc)->minByteCount;
                             max = ((const WS_UTF8_ARRAY_DESCRIPTION *)desc)->maxByteCount; break;
    case WS_BYTE_ARRAY_TYPE: min = ((const WS_BYTE_ARRAY_DESCRIPTION *)desc)->minByteCount;
                             max = ((const WS_BYTE_ARRAY_DESCRIPTION *)desc)->maxByteCount; break;
    default: return TRUE;
    }
    return count >= min && count <= max;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                 */
/* ---------------------------------------------------------------------- */

/* The text content at the reader (element text or the attribute value),
 * consumed, appended to TEXT as UTF-8. */
static HRESULT gather_text( WS_XML_READER *reader, struct ws_buf *text, WS_ERROR *error )
{
    ULONG count;
    HRESULT hr;

    for (;;)
    {
        if (!ws_buf_reserve( text, 256 )) return ws_error_set( error, E_OUTOFMEMORY, "out of memory reading text" );
        if ((hr = WsReadCharsUtf8( reader, text->data + text->len, text->cap - text->len, &count, error )) != S_OK)
            return hr;
        if (!count) return S_OK;
        text->len += count;
    }
}

/* The base64 content at the reader, decoded onto HEAP. */
static HRESULT gather_bytes( WS_XML_READER *reader, WS_HEAP *heap, BYTE **bytes, ULONG *len, WS_ERROR *error )
{
    struct ws_buf buf = { NULL, 0, 0 };
    ULONG count;
    HRESULT hr;

    for (;;)
    {
        if (!ws_buf_reserve( &buf, 256 ))
        {
            ws_buf_free( &buf );
            return ws_error_set( error, E_OUTOFMEMORY, "out of memory reading bytes" );
        }
        if ((hr = WsReadBytes( reader, buf.data + buf.len, buf.cap - buf.len, &count, error )) != S_OK) break;
        if (!count) break;
        buf.len += count;
    }
    if (hr == S_OK && (hr = heap_alloc( heap, buf.len, (void **)bytes, error )) == S_OK)
    {
        if (buf.len) memcpy( *bytes, buf.data, buf.len );
        *len = buf.len;
    }
    ws_buf_free( &buf );
    return hr;
}

static HRESULT copy_bytes( WS_HEAP *heap, const BYTE *src, ULONG len, BYTE **dst, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = heap_alloc( heap, len, (void **)dst, error )) != S_OK) return hr;
    if (len) memcpy( *dst, src, len );
    return S_OK;
}

/* UTF-8 to UTF-16 on HEAP, NUL-terminated (the terminator is not counted). */
static HRESULT utf8_to_heap_wstr( WS_HEAP *heap, const BYTE *utf8, ULONG len, WCHAR **str, ULONG *count,
                                  WS_ERROR *error )
{
    int n = ws_utf8_to_utf16( utf8, len, NULL, 0 );
    HRESULT hr;

    if (n < 0) return ws_error_set( error, WS_E_INVALID_FORMAT, "invalid UTF-8 text" );
    if ((hr = heap_alloc( heap, ((SIZE_T)n + 1) * sizeof(WCHAR), (void **)str, error )) != S_OK) return hr;
    ws_utf8_to_utf16( utf8, len, *str, n );
    (*str)[n] = 0;
    *count = n;
    return S_OK;
}

static HRESULT parse_enum( const WS_ENUM_DESCRIPTION *desc, const BYTE *utf8, ULONG len, int *value,
                           WS_ERROR *error )
{
    ULONG i;

    for (i = 0; i < desc->valueCount; i++)
    {
        const WS_XML_STRING *name = desc->values[i].name;
        if (name && name->length == len && !memcmp( name->bytes, utf8, len ))
        {
            *value = desc->values[i].value;
            return S_OK;
        }
    }
    return ws_error_set( error, WS_E_INVALID_FORMAT, "%s is not a value of the enumeration",
                         debugstr_an( (const char *)utf8, len ) );
}

static HRESULT parse_unique_id( WS_HEAP *heap, const BYTE *utf8, ULONG len, WS_UNIQUE_ID *id, WS_ERROR *error )
{
    static const char urn[] = "urn:uuid:";
    ULONG count;
    HRESULT hr;

    memset( id, 0, sizeof(*id) );
    if (len > sizeof(urn) - 1 && !memcmp( utf8, urn, sizeof(urn) - 1 ))
        return ws_value_from_utf8( utf8 + sizeof(urn) - 1, len - (sizeof(urn) - 1), WS_GUID_VALUE_TYPE,
                                   &id->guid, sizeof(id->guid), error );
    if (!len) return ws_error_set( error, WS_E_INVALID_FORMAT, "empty unique id" );
    if ((hr = utf8_to_heap_wstr( heap, utf8, len, &id->uri.chars, &count, error )) != S_OK) return hr;
    id->uri.length = count;
    return S_OK;
}

static BOOL is_xml_space( BYTE c )
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parses the text UTF8 (LEN bytes) into STORAGE for the text types. */
static HRESULT parse_text( WS_TYPE type, const void *desc, WS_HEAP *heap, const BYTE *utf8, ULONG len,
                           void *storage, WS_ERROR *error )
{
    int vt = value_type_of( type );
    ULONG count;
    HRESULT hr;

    if (vt >= 0)
    {
        if ((hr = ws_value_from_utf8( utf8, len, vt, storage, ws_type_storage_size( type, desc ), error )) != S_OK)
            return hr;
        if (!value_in_range( type, desc, storage ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "value %s is outside the range of its description",
                                 debugstr_an( (const char *)utf8, len ) );
        return S_OK;
    }

    switch (type)
    {
    case WS_WSZ_TYPE:
        if ((hr = utf8_to_heap_wstr( heap, utf8, len, storage, &count, error )) != S_OK) return hr;
        break;
    case WS_STRING_TYPE:
    {
        WS_STRING *str = storage;
        if ((hr = utf8_to_heap_wstr( heap, utf8, len, &str->chars, &str->length, error )) != S_OK) return hr;
        count = str->length;
        break;
    }
    case WS_CHAR_ARRAY_TYPE:
    {
        struct array_value *array = storage;
        if ((hr = utf8_to_heap_wstr( heap, utf8, len, (WCHAR **)&array->items, &array->count, error )) != S_OK)
            return hr;
        count = array->count;
        break;
    }
    case WS_XML_STRING_TYPE:
    {
        WS_XML_STRING *str = storage;
        memset( str, 0, sizeof(*str) );
        if ((hr = copy_bytes( heap, utf8, len, &str->bytes, error )) != S_OK) return hr;
        count = str->length = len;
        break;
    }
    case WS_UTF8_ARRAY_TYPE:
    {
        struct array_value *array = storage;
        if ((hr = copy_bytes( heap, utf8, len, (BYTE **)&array->items, error )) != S_OK) return hr;
        count = array->count = len;
        break;
    }
    case WS_UNIQUE_ID_TYPE:
        return parse_unique_id( heap, utf8, len, storage, error );
    case WS_ENUM_TYPE:
        while (len && is_xml_space( *utf8 )) { utf8++; len--; }
        while (len && is_xml_space( utf8[len - 1] )) len--;
        return parse_enum( desc, utf8, len, storage, error );
    default:
        return ws_error_set( error, E_INVALIDARG, "type %d is not a text type", type );
    }
    if (!length_in_range( type, desc, count ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "length %lu is outside the limits of the description",
                             count );
    return S_OK;
}

static HRESULT read_bytes_storage( WS_XML_READER *reader, WS_TYPE type, const void *desc, WS_HEAP *heap,
                                   void *storage, WS_ERROR *error )
{
    BYTE *bytes = NULL;
    ULONG len = 0;
    HRESULT hr;

    if ((hr = gather_bytes( reader, heap, &bytes, &len, error )) != S_OK) return hr;
    if (!length_in_range( type, desc, len ))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "%lu bytes is outside the limits of the description", len );
    if (type == WS_BYTES_TYPE)
    {
        ((WS_BYTES *)storage)->bytes = bytes;
        ((WS_BYTES *)storage)->length = len;
    }
    else
    {
        ((struct array_value *)storage)->items = bytes;
        ((struct array_value *)storage)->count = len;
    }
    return S_OK;
}

/* Reads a text-typed value at the reader (element content or attribute value). */
static HRESULT read_text_storage( WS_XML_READER *reader, WS_TYPE type, const void *desc, WS_HEAP *heap,
                                  void *storage, WS_ERROR *error )
{
    struct ws_buf text = { NULL, 0, 0 };
    HRESULT hr;

    if (type == WS_BYTES_TYPE || type == WS_BYTE_ARRAY_TYPE)
        return read_bytes_storage( reader, type, desc, heap, storage, error );
    if (type == WS_XML_QNAME_TYPE)
    {
        WS_XML_QNAME *qname = storage;
        /* the reader resolves the prefix in the scope of the text */
        memset( qname, 0, sizeof(*qname) );
        if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
        return WsReadQualifiedName( reader, heap, NULL, &qname->localName, &qname->ns, error );
    }
    if ((hr = gather_text( reader, &text, error )) == S_OK)
        hr = parse_text( type, desc, heap, text.data ? text.data : (const BYTE *)"", text.len, storage,
                         error );
    ws_buf_free( &text );
    return hr;
}

static HRESULT read_struct( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                            WS_HEAP *heap, void *storage, WS_ERROR *error );
static HRESULT read_union( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_UNION_DESCRIPTION *desc,
                           BOOL optional, WS_HEAP *heap, void *storage, BOOL *found, WS_ERROR *error );
static HRESULT read_struct_pointer( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                                    WS_HEAP *heap, void **ptr, WS_ERROR *error );

static HRESULT read_endpoint_address( WS_XML_READER *reader, WS_TYPE_MAPPING mapping,
                                      const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc, WS_HEAP *heap,
                                      WS_ENDPOINT_ADDRESS *address, WS_ERROR *error );
static HRESULT read_fault( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_FAULT_DESCRIPTION *desc,
                           WS_HEAP *heap, WS_FAULT *fault, WS_ERROR *error );

/* A custom type's value is read by its callback, "invoked with the same
 * calling sequence as WsReadType" (WS_READ_TYPE_CALLBACK): with
 * WS_ELEMENT_TYPE_MAPPING the reader is on the element's start and the
 * callback reads through its end, with WS_ATTRIBUTE_TYPE_MAPPING it is in
 * the attribute, with WS_ELEMENT_CONTENT_TYPE_MAPPING in the content.  The
 * callback fills the storage of desc->size bytes. */
static HRESULT read_custom( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_CUSTOM_TYPE_DESCRIPTION *desc,
                            WS_HEAP *heap, void *storage, WS_ERROR *error )
{
    if (!desc->readCallback) return ws_error_set( error, E_INVALIDARG, "the custom type has no readCallback" );
    return desc->readCallback( reader, mapping, desc->descriptionData, heap, storage, desc->size, error );
}

/* Reads one non-nil value at the reader into STORAGE.  With
 * WS_ELEMENT_TYPE_MAPPING the reader is on the element's start and ends past
 * its end; otherwise it is in the content or the attribute. */
static HRESULT read_storage( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, WS_TYPE type, const void *desc,
                             WS_HEAP *heap, void *storage, WS_ERROR *error )
{
    HRESULT hr;

    if (type == WS_STRUCT_TYPE) return read_struct( reader, mapping, desc, heap, storage, error );
    if (type == WS_UNION_TYPE) return read_union( reader, mapping, desc, FALSE, heap, storage, NULL, error );
    if (type == WS_ENDPOINT_ADDRESS_TYPE) return read_endpoint_address( reader, mapping, desc, heap, storage, error );
    if (type == WS_FAULT_TYPE) return read_fault( reader, mapping, desc, heap, storage, error );
    if (type == WS_CUSTOM_TYPE) return read_custom( reader, mapping, desc, heap, storage, error );
    if (type == WS_XML_BUFFER_TYPE)
    {
        if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
        return WsReadXmlBuffer( reader, heap, storage, error );
    }
    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = read_text_storage( reader, type, desc, heap, storage, error )) != S_OK) return hr;
    if (mapping == WS_ELEMENT_TYPE_MAPPING) return WsReadEndElement( reader, error );
    return S_OK;
}

/* Is the element at the reader xsi:nil="true"? */
static HRESULT element_is_nil( WS_XML_READER *reader, BOOL *nil, WS_ERROR *error )
{
    struct ws_buf text = { NULL, 0, 0 };
    ULONG index;
    HRESULT hr;
    BOOL value = FALSE;

    *nil = FALSE;
    if ((hr = WsFindAttribute( reader, &nil_local, &xsi_ns, FALSE, &index, error )) != S_OK)
        return hr == S_FALSE ? S_OK : hr;
    if ((hr = WsReadStartAttribute( reader, index, error )) != S_OK) return hr;
    if ((hr = gather_text( reader, &text, error )) == S_OK)
        hr = ws_value_from_utf8( text.data, text.len, WS_BOOL_VALUE_TYPE, &value, sizeof(value), error );
    ws_buf_free( &text );
    if (hr == S_OK) hr = WsReadEndAttribute( reader, error );
    *nil = value;
    return hr;
}

/* Skips a nil element (xsi:nil="true", no content allowed but whitespace). */
static HRESULT skip_nil_element( WS_XML_READER *reader, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    return WsReadEndElement( reader, error );
}

/* Is the reader on a start element (after whitespace and comments)? */
static HRESULT at_element( WS_XML_READER *reader, const WS_XML_STRING *local, const WS_XML_STRING *ns, BOOL *found,
                           WS_ERROR *error )
{
    return WsReadToStartElement( reader, local, ns, found, error );
}

enum presence { VALUE_PRESENT, VALUE_NIL, VALUE_MISSING };

/* Where the value for MAPPING is: present, nil (xsi:nil) or missing (no element). */
static HRESULT value_presence( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, enum presence *presence,
                               WS_ERROR *error )
{
    BOOL found, nil;
    HRESULT hr;

    *presence = VALUE_PRESENT;
    if (mapping != WS_ELEMENT_TYPE_MAPPING && mapping != WS_ANY_ELEMENT_TYPE_MAPPING) return S_OK;
    if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
    if (!found)
    {
        *presence = VALUE_MISSING;
        return S_OK;
    }
    if (mapping == WS_ANY_ELEMENT_TYPE_MAPPING) return S_OK;
    if ((hr = element_is_nil( reader, &nil, error )) != S_OK) return hr;
    if (nil) *presence = VALUE_NIL;
    return S_OK;
}

/* The whole WS_READ_OPTION logic for one value: VALUE/SIZE is the caller's
 * buffer (the value itself, or a pointer to it for the pointer options). */
static HRESULT read_type( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, WS_TYPE type, const void *desc,
                          WS_READ_OPTION option, WS_HEAP *heap, void *value, ULONG size, WS_ERROR *error )
{
    ULONG type_size;
    enum presence presence;
    void *storage;
    HRESULT hr;

    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if ((hr = check_top_level_type( type, error )) != S_OK) return hr;
    if ((hr = check_type( type, desc, error )) != S_OK) return hr;
    if ((hr = check_mapping( mapping, type, error )) != S_OK) return hr;
    type_size = ws_type_storage_size( type, desc );

    switch (option)
    {
    case WS_READ_REQUIRED_VALUE:
    case WS_READ_NILLABLE_VALUE:
        if (is_pointer_type( type ))
            return ws_error_set( error, E_INVALIDARG, "type %d is a pointer type: use WS_READ_REQUIRED_POINTER", type );
        if (option == WS_READ_NILLABLE_VALUE && !is_nillable_value_type( type ))
            return ws_error_set( error, E_INVALIDARG, "type %d has no nil value", type );
        if (size != type_size)
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, type %d needs %lu", size, type, type_size );
        if ((hr = value_presence( reader, mapping, &presence, error )) != S_OK) return hr;
        if (presence == VALUE_MISSING && option == WS_READ_REQUIRED_VALUE)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "the required value is missing" );
        if (presence == VALUE_NIL && option == WS_READ_REQUIRED_VALUE)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "the value is nil but not nillable" );
        if (presence != VALUE_PRESENT)
        {
            memset( value, 0, size );
            return presence == VALUE_NIL ? skip_nil_element( reader, error ) : S_OK;
        }
        return read_storage( reader, mapping, type, desc, heap, value, error );

    case WS_READ_REQUIRED_POINTER:
    case WS_READ_OPTIONAL_POINTER:
    case WS_READ_NILLABLE_POINTER:
        if (size != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, a pointer option needs %lu", size,
                                 (ULONG)sizeof(void *) );
        if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
        if ((hr = value_presence( reader, mapping, &presence, error )) != S_OK) return hr;
        if (presence == VALUE_MISSING && option == WS_READ_REQUIRED_POINTER)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "the required value is missing" );
        if (presence == VALUE_NIL && option != WS_READ_NILLABLE_POINTER)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "the value is nil but not nillable" );
        if (presence != VALUE_PRESENT)
        {
            *(void **)value = NULL;
            return presence == VALUE_NIL ? skip_nil_element( reader, error ) : S_OK;
        }
        if (is_pointer_type( type )) return read_storage( reader, mapping, type, desc, heap, value, error );
        if (type == WS_STRUCT_TYPE) return read_struct_pointer( reader, mapping, desc, heap, value, error );
        if ((hr = heap_alloc( heap, type_size, &storage, error )) != S_OK) return hr;
        memset( storage, 0, type_size );
        if ((hr = read_storage( reader, mapping, type, desc, heap, storage, error )) != S_OK) return hr;
        *(void **)value = storage;
        return S_OK;

    default:
        return ws_error_set( error, E_INVALIDARG, "invalid read option %d", option );
    }
}

/* ---- structs ---- */

static BOOL is_field_pointer( const WS_FIELD_DESCRIPTION *field )
{
    return (field->options & WS_FIELD_POINTER) || is_pointer_type( field->type );
}

/* Size of one item of a field (a pointer for WS_FIELD_POINTER). */
static ULONG field_item_size( const WS_FIELD_DESCRIPTION *field )
{
    if (field->options & WS_FIELD_POINTER) return sizeof(void *);
    return ws_type_storage_size( field->type, field->typeDescription );
}

/* The value a missing optional field gets: its default, or zeros. */
static HRESULT set_field_default( const WS_FIELD_DESCRIPTION *field, void *ptr, WS_ERROR *error )
{
    ULONG size = field_item_size( field );

    if (field->defaultValue && !(field->options & WS_FIELD_POINTER))
    {
        if (field->defaultValue->valueSize != size)
            return ws_error_set( error, E_INVALIDARG, "default value size %lu, field needs %lu",
                                 field->defaultValue->valueSize, size );
        memcpy( ptr, field->defaultValue->value, size );
    }
    else memset( ptr, 0, size );
    return S_OK;
}

/* Reads one field item at the reader (element, content or attribute) into PTR. */
static HRESULT read_field_item( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_FIELD_DESCRIPTION *field,
                                BOOL nillable, WS_HEAP *heap, void *ptr, WS_ERROR *error )
{
    enum presence presence = VALUE_PRESENT;
    ULONG size;
    void *storage;
    HRESULT hr;

    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = value_presence( reader, mapping, &presence, error )) != S_OK)
        return hr;
    if (presence == VALUE_NIL)
    {
        if (!nillable) return ws_error_set( error, WS_E_INVALID_FORMAT, "the field value is nil but not nillable" );
        if (is_field_pointer( field )) *(void **)ptr = NULL;
        else if (is_nillable_value_type( field->type )) memset( ptr, 0, field_item_size( field ) );
        else return ws_error_set( error, WS_E_INVALID_FORMAT, "type %d has no nil value", field->type );
        return skip_nil_element( reader, error );
    }
    if (!(field->options & WS_FIELD_POINTER))
        return read_storage( reader, mapping, field->type, field->typeDescription, heap, ptr, error );
    if (field->type == WS_STRUCT_TYPE)
        return read_struct_pointer( reader, mapping, field->typeDescription, heap, ptr, error );
    size = ws_type_storage_size( field->type, field->typeDescription );
    if ((hr = heap_alloc( heap, size, &storage, error )) != S_OK) return hr;
    memset( storage, 0, size );
    if ((hr = read_storage( reader, mapping, field->type, field->typeDescription, heap, storage, error )) != S_OK)
        return hr;
    *(void **)ptr = storage;
    return S_OK;
}

static BOOL xmlstr_equal( const WS_XML_STRING *a, const WS_XML_STRING *b )
{
    return a->length == b->length && (!a->length || !memcmp( a->bytes, b->bytes, a->length ));
}

static const WS_XML_STRING xml_ns = { 36, (BYTE *)"http://www.w3.org/XML/1998/namespace", NULL, 0 };
static const WS_XML_STRING xml_prefix = { 3, (BYTE *)"xml", NULL, 0 };

static BOOL is_attribute_field( const WS_FIELD_DESCRIPTION *field )
{
    return field->mapping == WS_ATTRIBUTE_FIELD_MAPPING || field->mapping == WS_XML_ATTRIBUTE_FIELD_MAPPING;
}

/* The namespace of an attribute field: an XML attribute field (xml:lang
 * style, WS_XML_ATTRIBUTE_FIELD_MAPPING) names a reserved attribute of the
 * xml namespace by its localName alone. */
static const WS_XML_STRING *attribute_field_ns( const WS_FIELD_DESCRIPTION *field )
{
    return field->mapping == WS_XML_ATTRIBUTE_FIELD_MAPPING ? &xml_ns : field->ns;
}

static HRESULT read_attribute_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                     void *ptr, WS_ERROR *error )
{
    const WS_XML_STRING *ns = attribute_field_ns( field );
    ULONG index;
    HRESULT hr;

    if (!field->localName || !ns) return ws_error_set( error, E_INVALIDARG, "attribute field has no name" );
    if ((hr = WsFindAttribute( reader, field->localName, ns, FALSE, &index, error )) == S_FALSE)
    {
        if (!(field->options & WS_FIELD_OPTIONAL))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "required attribute %s is missing",
                                 debugstr_xmlstr( field->localName ) );
        /* a WS_VOID_TYPE field has no storage in the struct */
        return field->type == WS_VOID_TYPE ? S_OK : set_field_default( field, ptr, error );
    }
    if (hr != S_OK) return hr;
    if (field->type == WS_VOID_TYPE) return S_OK;   /* discarded (WS_ATTRIBUTE_FIELD_MAPPING) */
    if ((hr = WsReadStartAttribute( reader, index, error )) != S_OK) return hr;
    if ((hr = read_field_item( reader, WS_ATTRIBUTE_TYPE_MAPPING, field, FALSE, heap, ptr, error )) != S_OK)
        return hr;
    return WsReadEndAttribute( reader, error );
}

static BOOL field_reads_attribute( const WS_FIELD_DESCRIPTION *field, const WS_XML_ATTRIBUTE *attr )
{
    return is_attribute_field( field ) && field->localName && attribute_field_ns( field ) &&
           xmlstr_equal( field->localName, attr->localName ) && xmlstr_equal( attribute_field_ns( field ), attr->ns );
}

/* Unhandled attributes are an error unless the struct ignores them
 * (WS_STRUCT_IGNORE_UNHANDLED_ATTRIBUTES); namespace declarations and the
 * xsi attributes are not data. */
static HRESULT check_unhandled_attributes( WS_XML_READER *reader, const WS_STRUCT_DESCRIPTION *desc,
                                           WS_ERROR *error )
{
    const WS_XML_ELEMENT_NODE *elem;
    const WS_XML_NODE *node;
    ULONG i, j;
    HRESULT hr;

    if (desc->structOptions & WS_STRUCT_IGNORE_UNHANDLED_ATTRIBUTES) return S_OK;
    for (j = 0; j < desc->fieldCount; j++)
        if (desc->fields[j] && desc->fields[j]->mapping == WS_ANY_ATTRIBUTES_FIELD_MAPPING) return S_OK;
    if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
    if (node->nodeType != WS_XML_NODE_TYPE_ELEMENT) return S_OK;
    elem = (const WS_XML_ELEMENT_NODE *)node;
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (attr->isXmlNs || xmlstr_equal( attr->ns, &xsi_ns ) || xmlstr_equal( attr->ns, &xmlns_ns )) continue;
        for (j = 0; j < desc->fieldCount; j++)
            if (desc->fields[j] && field_reads_attribute( desc->fields[j], attr )) break;
        if (j == desc->fieldCount)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "unexpected attribute %s",
                                 debugstr_xmlstr( attr->localName ) );
    }
    return S_OK;
}

static BOOL is_data_attribute( const WS_XML_ATTRIBUTE *attr )
{
    return !attr->isXmlNs && !xmlstr_equal( attr->ns, &xsi_ns ) && !xmlstr_equal( attr->ns, &xmlns_ns );
}

static BOOL attribute_is_mapped( const WS_STRUCT_DESCRIPTION *desc, const WS_XML_ATTRIBUTE *attr )
{
    ULONG i;
    for (i = 0; i < desc->fieldCount; i++)
        if (desc->fields[i] && field_reads_attribute( desc->fields[i], attr )) return TRUE;
    return FALSE;
}

/* WS_ANY_ATTRIBUTES_FIELD_MAPPING: copies the data attributes no other field maps. */
static HRESULT read_any_attributes_field( WS_XML_READER *reader, const WS_STRUCT_DESCRIPTION *desc, WS_HEAP *heap,
                                          WS_ANY_ATTRIBUTES *any, WS_ERROR *error )
{
    const WS_XML_ELEMENT_NODE *elem;
    const WS_XML_NODE *node;
    ULONG i, count = 0;
    HRESULT hr;

    memset( any, 0, sizeof(*any) );
    if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
    if (node->nodeType != WS_XML_NODE_TYPE_ELEMENT) return S_OK;
    elem = (const WS_XML_ELEMENT_NODE *)node;
    for (i = 0; i < elem->attributeCount; i++)
        if (is_data_attribute( elem->attributes[i] ) && !attribute_is_mapped( desc, elem->attributes[i] )) count++;
    if (!count) return S_OK;
    if ((hr = heap_alloc( heap, count * sizeof(*any->attributes), (void **)&any->attributes, error )) != S_OK)
        return hr;
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        WS_ANY_ATTRIBUTE *dst = &any->attributes[any->attributeCount];

        if (!is_data_attribute( attr ) || attribute_is_mapped( desc, attr )) continue;
        memset( dst, 0, sizeof(*dst) );
        dst->localName.length = attr->localName->length;
        dst->ns.length = attr->ns->length;
        if ((hr = copy_bytes( heap, attr->localName->bytes, attr->localName->length, &dst->localName.bytes,
                              error )) != S_OK) return hr;
        if ((hr = copy_bytes( heap, attr->ns->bytes, attr->ns->length, &dst->ns.bytes, error )) != S_OK) return hr;
        if (attr->value && (hr = ws_xml_text_copy( heap, attr->value, &dst->value, error )) != S_OK) return hr;
        any->attributeCount++;
    }
    return S_OK;
}

/* A new XML buffer on HEAP and a writer whose output it is (freed by the caller). */
static HRESULT create_buffer_writer( WS_HEAP *heap, WS_XML_BUFFER **buffer, WS_XML_WRITER **writer, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsCreateXmlBuffer( heap, NULL, 0, buffer, error )) != S_OK) return hr;
    if ((hr = WsCreateWriter( NULL, 0, writer, error )) != S_OK) return hr;
    if ((hr = WsSetOutputToBuffer( *writer, *buffer, NULL, 0, error )) != S_OK) WsFreeWriter( *writer );
    return hr;
}

/* WS_ANY_CONTENT_FIELD_MAPPING: every remaining node of the element's
 * content (elements, text, comments) into a new XML buffer. */
static HRESULT read_any_content_field( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_BUFFER **buffer,
                                       WS_ERROR *error )
{
    const WS_XML_NODE *node;
    WS_XML_WRITER *writer;
    HRESULT hr;

    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    if ((hr = create_buffer_writer( heap, buffer, &writer, error )) != S_OK) return hr;
    while ((hr = WsGetReaderNode( reader, &node, error )) == S_OK)
    {
        if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT || node->nodeType == WS_XML_NODE_TYPE_EOF) break;
        if ((hr = WsCopyNode( writer, reader, error )) != S_OK) break;
    }
    WsFreeWriter( writer );
    return hr;
}

static HRESULT check_item_count( const WS_FIELD_DESCRIPTION *field, ULONG count, WS_ERROR *error )
{
    if (field->itemRange && (count < field->itemRange->minItemCount || count > field->itemRange->maxItemCount))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "%lu items, the range is %lu..%lu", count,
                             field->itemRange->minItemCount, field->itemRange->maxItemCount );
    return S_OK;
}

/* An array growing on a heap as the items of a repeating field are read. */
struct heap_array
{
    BYTE *items;
    ULONG count, cap, item_size;
};

/* Appends a zeroed item to ARRAY and returns it. */
static HRESULT heap_array_add( WS_HEAP *heap, struct heap_array *array, void **item, WS_ERROR *error )
{
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    if (array->count == array->cap)
    {
        ULONG new_cap = array->cap ? array->cap * 2 : 4;
        BYTE *new_items;

        if (new_cap < array->cap ||
            !(new_items = ws_heap_realloc( heap, array->items, (SIZE_T)array->cap * array->item_size,
                                           (SIZE_T)new_cap * array->item_size )))
            return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "cannot grow an array of %lu items", array->count );
        array->items = new_items;
        array->cap = new_cap;
    }
    *item = array->items + (SIZE_T)array->count++ * array->item_size;
    memset( *item, 0, array->item_size );
    return S_OK;
}

/* Enters the wrapper element of a repeating field (when it has one);
 * PRESENT is FALSE when an optional wrapper is missing. */
static HRESULT enter_wrapper( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, BOOL *present,
                              WS_ERROR *error )
{
    HRESULT hr;

    *present = TRUE;
    if (!field->localName) return S_OK;
    if ((hr = at_element( reader, field->localName, field->ns, present, error )) != S_OK) return hr;
    if (*present) return WsReadStartElement( reader, error );
    if (!(field->options & WS_FIELD_OPTIONAL))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "wrapper element %s is missing",
                             debugstr_xmlstr( field->localName ) );
    return S_OK;
}

/* Leaves the wrapper element, checks the item count and stores the items at
 * the field's offset and countOffset. */
static HRESULT store_items( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, BOOL wrapped,
                            const struct heap_array *array, BYTE *base, WS_ERROR *error )
{
    HRESULT hr;

    if (wrapped && field->localName && (hr = WsReadEndElement( reader, error )) != S_OK) return hr;
    if ((hr = check_item_count( field, array->count, error )) != S_OK) return hr;
    *(void **)(base + field->offset) = array->items;
    *(ULONG *)(base + field->countOffset) = array->count;
    return S_OK;
}

static HRESULT read_repeating_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                     BYTE *base, WS_ERROR *error )
{
    struct heap_array array = { NULL, 0, 0, field_item_size( field ) };
    BOOL wrapped, found;
    void *item;
    HRESULT hr;

    if (!field->itemLocalName || !field->itemNs)
        return ws_error_set( error, E_INVALIDARG, "repeating field has no item name" );
    if ((hr = enter_wrapper( reader, field, &wrapped, error )) != S_OK) return hr;
    while (wrapped)
    {
        if ((hr = at_element( reader, field->itemLocalName, field->itemNs, &found, error )) != S_OK) return hr;
        if (!found) break;
        if ((hr = heap_array_add( heap, &array, &item, error )) != S_OK) return hr;
        if ((hr = read_field_item( reader, WS_ELEMENT_TYPE_MAPPING, field, !!(field->options & WS_FIELD_NILLABLE_ITEM),
                                   heap, item, error )) != S_OK)
            return hr;
    }
    return store_items( reader, field, wrapped, &array, base, error );
}

static HRESULT read_element_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                   void *ptr, WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    if (!field->localName || !field->ns) return ws_error_set( error, E_INVALIDARG, "element field has no name" );
    if ((hr = at_element( reader, field->localName, field->ns, &found, error )) != S_OK) return hr;
    if (!found)
    {
        if (!(field->options & WS_FIELD_OPTIONAL))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "required element %s is missing",
                                 debugstr_xmlstr( field->localName ) );
        /* a WS_VOID_TYPE field has no storage in the struct */
        return field->type == WS_VOID_TYPE ? S_OK : set_field_default( field, ptr, error );
    }
    if (field->type == WS_VOID_TYPE) return WsSkipNode( reader, error );   /* discarded */
    return read_field_item( reader, WS_ELEMENT_TYPE_MAPPING, field, !!(field->options & WS_FIELD_NILLABLE), heap,
                            ptr, error );
}

/* WS_VOID_TYPE: "to discard the attribute/element, a WS_VOID_TYPE should be
 * used; in this case, a field is not required in the structure"
 * (WS_FIELD_MAPPING); WS_TYPE lists the mappings that discard: element,
 * attribute, any-element, repeating any-element, any-content and
 * any-attributes (not repeating element).  With WS_NO_FIELD_MAPPING it is a field of
 * arbitrary type whose size WS_VOID_DESCRIPTION gives, "only required when
 * WS_FIELD_POINTER is not being used". */
static HRESULT check_void_field( const WS_FIELD_DESCRIPTION *field, WS_ERROR *error )
{
    switch (field->mapping)
    {
    case WS_ATTRIBUTE_FIELD_MAPPING:
    case WS_ELEMENT_FIELD_MAPPING:
    case WS_ANY_ELEMENT_FIELD_MAPPING:
    case WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING:
    case WS_ANY_CONTENT_FIELD_MAPPING:
    case WS_ANY_ATTRIBUTES_FIELD_MAPPING:
        return S_OK;
    case WS_NO_FIELD_MAPPING:
        if (!field->typeDescription && !(field->options & WS_FIELD_POINTER))
            return ws_error_set( error, E_INVALIDARG, "a WS_VOID_TYPE field needs a WS_VOID_DESCRIPTION" );
        return S_OK;
    default:
        return ws_error_set( error, E_INVALIDARG, "WS_VOID_TYPE cannot be used with field mapping %d",
                             field->mapping );
    }
}

/* The array types: the field mappings and options WS_TYPE allows them
 * (no WS_FIELD_POINTER, no default value; only characters repeat). */
static HRESULT check_array_field( const WS_FIELD_DESCRIPTION *field, WS_ERROR *error )
{
    if (field->options & WS_FIELD_POINTER)
        return ws_error_set( error, E_INVALIDARG, "an array field cannot be a pointer" );
    if (field->defaultValue) return ws_error_set( error, E_INVALIDARG, "an array field has no default value" );
    switch (field->mapping)
    {
    case WS_ELEMENT_FIELD_MAPPING:
    case WS_ATTRIBUTE_FIELD_MAPPING:
    case WS_TEXT_FIELD_MAPPING:
    case WS_NO_FIELD_MAPPING:
        return S_OK;
    case WS_XML_ATTRIBUTE_FIELD_MAPPING:
        if (field->type == WS_CHAR_ARRAY_TYPE) return S_OK;
        break;
    case WS_REPEATING_ELEMENT_FIELD_MAPPING:
        if (field->type != WS_CHAR_ARRAY_TYPE) break;
        /* the docs do not say where the character counts of the items go */
        FIXME( "repeating character array fields not implemented\n" );
        return ws_error_set( error, E_NOTIMPL, "repeating character array fields are not implemented" );
    default:
        break;
    }
    return ws_error_set( error, E_INVALIDARG, "type %d cannot be used with field mapping %d", field->type,
                         field->mapping );
}

static HRESULT check_field( const WS_FIELD_DESCRIPTION *field, WS_ERROR *error )
{
    HRESULT hr;

    if (!field) return ws_error_set( error, E_INVALIDARG, "NULL field description" );
    if (field->type == WS_DESCRIPTION_TYPE && field->mapping != WS_TYPE_ATTRIBUTE_FIELD_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "WS_DESCRIPTION_TYPE needs WS_TYPE_ATTRIBUTE_FIELD_MAPPING" );
    if (field->type == WS_ANY_ATTRIBUTES_TYPE && field->mapping != WS_ANY_ATTRIBUTES_FIELD_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "WS_ANY_ATTRIBUTES_TYPE needs WS_ANY_ATTRIBUTES_FIELD_MAPPING" );
    if (is_array_type( field->type ) && (hr = check_array_field( field, error )) != S_OK) return hr;
    if (field->type == WS_VOID_TYPE) return check_void_field( field, error );
    switch (field->mapping)
    {
    case WS_ATTRIBUTE_FIELD_MAPPING:
    case WS_XML_ATTRIBUTE_FIELD_MAPPING:
    case WS_ELEMENT_FIELD_MAPPING:
    case WS_REPEATING_ELEMENT_FIELD_MAPPING:
    case WS_TEXT_FIELD_MAPPING:
    case WS_NO_FIELD_MAPPING:
        if (field->type == WS_STRUCT_TYPE && field->mapping != WS_ELEMENT_FIELD_MAPPING &&
            field->mapping != WS_REPEATING_ELEMENT_FIELD_MAPPING && field->mapping != WS_NO_FIELD_MAPPING)
            return ws_error_set( error, E_INVALIDARG, "a struct field must map to elements" );
        if (field->type == WS_UNION_TYPE)
            return ws_error_set( error, E_INVALIDARG, "a union field needs a choice mapping" );
        if (field->type == WS_XML_BUFFER_TYPE)
        {
            /* WS_TYPE: element, repeating element, the any mappings and no-field */
            if (field->mapping == WS_ELEMENT_FIELD_MAPPING || field->mapping == WS_REPEATING_ELEMENT_FIELD_MAPPING ||
                field->mapping == WS_NO_FIELD_MAPPING)
                return S_OK;
            return ws_error_set( error, E_INVALIDARG, "an XML buffer field cannot use field mapping %d",
                                 field->mapping );
        }
        return check_type( field->type, field->typeDescription, error );
    case WS_ELEMENT_CHOICE_FIELD_MAPPING:
    case WS_REPEATING_ELEMENT_CHOICE_FIELD_MAPPING:
        if (field->type != WS_UNION_TYPE)
            return ws_error_set( error, E_INVALIDARG, "a choice field must be of WS_UNION_TYPE" );
        return check_type( field->type, field->typeDescription, error );
    case WS_ANY_ELEMENT_FIELD_MAPPING:
    case WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING:
        if (field->type != WS_XML_BUFFER_TYPE)
            return ws_error_set( error, E_INVALIDARG, "an any-element field must be of WS_XML_BUFFER_TYPE" );
        return S_OK;
    case WS_TYPE_ATTRIBUTE_FIELD_MAPPING:
        if (field->type != WS_DESCRIPTION_TYPE)
            return ws_error_set( error, E_INVALIDARG, "a type attribute field must be of WS_DESCRIPTION_TYPE" );
        return S_OK;
    case WS_ANY_ATTRIBUTES_FIELD_MAPPING:
        if (field->type != WS_ANY_ATTRIBUTES_TYPE)
            return ws_error_set( error, E_INVALIDARG, "an any-attributes field must be of WS_ANY_ATTRIBUTES_TYPE" );
        return S_OK;
    case WS_ANY_CONTENT_FIELD_MAPPING:
        if (field->type != WS_XML_BUFFER_TYPE)
            return ws_error_set( error, E_INVALIDARG, "an any-content field must be of WS_XML_BUFFER_TYPE" );
        return S_OK;
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid field mapping %d", field->mapping );
    }
}

static HRESULT check_struct( const WS_STRUCT_DESCRIPTION *desc, WS_ERROR *error )
{
    ULONG i;
    HRESULT hr;

    if (desc->fieldCount && !desc->fields) return ws_error_set( error, E_INVALIDARG, "struct has no fields array" );
    if (desc->subTypeCount && !desc->subTypes)
        return ws_error_set( error, E_INVALIDARG, "struct has no subTypes array" );
    for (i = 0; i < desc->fieldCount; i++)
        if ((hr = check_field( desc->fields[i], error )) != S_OK) return hr;
    return S_OK;
}

/* ---- unions (element choices) ---- */

static HRESULT check_union( const WS_UNION_DESCRIPTION *desc, WS_ERROR *error )
{
    ULONG i;
    HRESULT hr;

    if (desc->fieldCount && !desc->fields) return ws_error_set( error, E_INVALIDARG, "union has no fields array" );
    if (desc->enumOffset > desc->size || desc->size - desc->enumOffset < sizeof(int))
        return ws_error_set( error, E_INVALIDARG, "union enumOffset %lu outside its size %lu", desc->enumOffset,
                             desc->size );
    for (i = 0; i < desc->fieldCount; i++)
    {
        const WS_FIELD_DESCRIPTION *field;
        if (!desc->fields[i]) return ws_error_set( error, E_INVALIDARG, "NULL union field" );
        field = &desc->fields[i]->field;
        if (field->mapping != WS_ELEMENT_FIELD_MAPPING || !field->localName || !field->ns)
            return ws_error_set( error, E_INVALIDARG, "union fields must be named elements" );
        if ((hr = check_field( field, error )) != S_OK) return hr;
    }
    return S_OK;
}

/* The union field whose element is at the reader, or NULL. */
static const WS_UNION_FIELD_DESCRIPTION *find_union_field( WS_XML_READER *reader, const WS_UNION_DESCRIPTION *desc )
{
    const WS_XML_ELEMENT_NODE *elem;
    const WS_XML_NODE *node;
    BOOL found;
    ULONG i;

    if (at_element( reader, NULL, NULL, &found, NULL ) != S_OK || !found) return NULL;
    if (WsGetReaderNode( reader, &node, NULL ) != S_OK) return NULL;
    elem = (const WS_XML_ELEMENT_NODE *)node;
    for (i = 0; i < desc->fieldCount; i++)
    {
        const WS_FIELD_DESCRIPTION *field = &desc->fields[i]->field;
        if (xmlstr_equal( field->localName, elem->localName ) && xmlstr_equal( field->ns, elem->ns ))
            return desc->fields[i];
    }
    return NULL;
}

/* Reads one choice: the element at the reader selects the union's field.
 * Nothing matching is an error unless OPTIONAL (the union gets
 * noneEnumValue); FOUND, when given, says whether an element was read. */
static HRESULT read_union( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_UNION_DESCRIPTION *desc,
                           BOOL optional, WS_HEAP *heap, void *storage, BOOL *found, WS_ERROR *error )
{
    const WS_UNION_FIELD_DESCRIPTION *choice;
    BYTE *base = storage;
    HRESULT hr;

    if ((hr = check_union( desc, error )) != S_OK) return hr;
    if (mapping == WS_ATTRIBUTE_TYPE_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "a union cannot be mapped to an attribute" );
    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    memset( storage, 0, desc->size );
    if (found) *found = FALSE;
    if (!(choice = find_union_field( reader, desc )))
    {
        if (!optional) return ws_error_set( error, WS_E_INVALID_FORMAT, "no element of the choice found" );
        *(int *)(base + desc->enumOffset) = desc->noneEnumValue;
    }
    else
    {
        *(int *)(base + desc->enumOffset) = choice->value;
        if ((hr = read_field_item( reader, WS_ELEMENT_TYPE_MAPPING, &choice->field,
                                   !!(choice->field.options & WS_FIELD_NILLABLE), heap, base + choice->field.offset,
                                   error )) != S_OK)
            return hr;
        if (found) *found = TRUE;
    }
    if (mapping == WS_ELEMENT_TYPE_MAPPING) return WsReadEndElement( reader, error );
    return S_OK;
}

static HRESULT read_choice_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                  void *ptr, WS_ERROR *error )
{
    const WS_UNION_DESCRIPTION *desc = field->typeDescription;
    void *storage = ptr;
    HRESULT hr;

    if (field->options & WS_FIELD_POINTER)
    {
        /* an optional pointer choice is NULL when no element matches */
        if (!find_union_field( reader, desc ) && (field->options & WS_FIELD_OPTIONAL))
        {
            *(void **)ptr = NULL;
            return S_OK;
        }
        if ((hr = heap_alloc( heap, desc->size, &storage, error )) != S_OK) return hr;
        *(void **)ptr = storage;
    }
    return read_union( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, desc, !!(field->options & WS_FIELD_OPTIONAL), heap,
                       storage, NULL, error );
}

static HRESULT read_repeating_choice_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                            BYTE *base, WS_ERROR *error )
{
    const WS_UNION_DESCRIPTION *desc = field->typeDescription;
    struct heap_array array = { NULL, 0, 0, field_item_size( field ) };
    BOOL wrapped;
    void *item;
    HRESULT hr;

    if ((hr = enter_wrapper( reader, field, &wrapped, error )) != S_OK) return hr;
    while (wrapped && find_union_field( reader, desc ))
    {
        if ((hr = heap_array_add( heap, &array, &item, error )) != S_OK) return hr;
        if (field->options & WS_FIELD_POINTER)
        {
            if ((hr = heap_alloc( heap, desc->size, (void **)item, error )) != S_OK) return hr;
            item = *(void **)item;
        }
        if ((hr = read_union( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, desc, FALSE, heap, item, NULL, error )) != S_OK)
            return hr;
    }
    return store_items( reader, field, wrapped, &array, base, error );
}

/* ---- any elements (XML buffers) ---- */

static HRESULT read_any_element_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                       void *ptr, WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
    if (!found)
    {
        if (!(field->options & WS_FIELD_OPTIONAL))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "the required element is missing" );
        *(WS_XML_BUFFER **)ptr = NULL;
        return S_OK;
    }
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    return WsReadXmlBuffer( reader, heap, ptr, error );
}

/* Every remaining element of the content, each in its own XML buffer. */
static HRESULT read_repeating_any_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_HEAP *heap,
                                         BYTE *base, WS_ERROR *error )
{
    struct heap_array array = { NULL, 0, 0, sizeof(WS_XML_BUFFER *) };
    BOOL found;
    void *item;
    HRESULT hr;

    for (;;)
    {
        if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
        if (!found) break;
        if ((hr = heap_array_add( heap, &array, &item, error )) != S_OK) return hr;
        if ((hr = WsReadXmlBuffer( reader, heap, item, error )) != S_OK) return hr;
    }
    return store_items( reader, field, FALSE, &array, base, error );
}

/* A WS_VOID_TYPE field with an any-element, repeating any-element or
 * any-content mapping: the XML it would map is read and discarded. */
static HRESULT discard_void_field( WS_XML_READER *reader, const WS_FIELD_DESCRIPTION *field, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    BOOL found;
    HRESULT hr;

    if (field->mapping == WS_ANY_ELEMENT_FIELD_MAPPING)
    {
        if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
        if (found) return WsSkipNode( reader, error );
        if (field->options & WS_FIELD_OPTIONAL) return S_OK;
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the required element is missing" );
    }
    for (;;)
    {
        if (field->mapping == WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING)
        {
            /* every remaining element (text and comments between them are skipped too) */
            if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
            if (!found) return S_OK;
        }
        else
        {
            /* WS_ANY_CONTENT_FIELD_MAPPING: every remaining node of the content */
            if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
            if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT || node->nodeType == WS_XML_NODE_TYPE_EOF)
                return S_OK;
        }
        if ((hr = WsSkipNode( reader, error )) != S_OK) return hr;
    }
}

/* ---- subtypes (xsi:type) ---- */

static const WS_STRUCT_DESCRIPTION *find_subtype( const WS_STRUCT_DESCRIPTION *desc, const WS_XML_STRING *local,
                                                  const WS_XML_STRING *ns, ULONG depth )
{
    const WS_STRUCT_DESCRIPTION *found;
    ULONG i;

    if (depth > 64) return NULL;   /* a cyclic description */
    if (desc->typeLocalName && desc->typeNs && xmlstr_equal( desc->typeLocalName, local ) &&
        xmlstr_equal( desc->typeNs, ns ))
        return desc;
    for (i = 0; i < desc->subTypeCount; i++)
        if (desc->subTypes[i] && (found = find_subtype( desc->subTypes[i], local, ns, depth + 1 ))) return found;
    return NULL;
}

/* The struct type of the element at the reader: DESC, or the subtype its
 * xsi:type names.  An abstract type needs xsi:type. */
static HRESULT resolve_read_struct( WS_XML_READER *reader, WS_HEAP *heap, const WS_STRUCT_DESCRIPTION *desc,
                                    const WS_STRUCT_DESCRIPTION **actual, WS_ERROR *error )
{
    WS_XML_STRING local, ns;
    ULONG index;
    HRESULT hr;

    *actual = desc;
    if (!desc->subTypeCount && !(desc->structOptions & WS_STRUCT_ABSTRACT)) return S_OK;
    if ((hr = WsFindAttribute( reader, &type_local, &xsi_ns, FALSE, &index, error )) == S_FALSE)
    {
        if (desc->structOptions & WS_STRUCT_ABSTRACT)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "an abstract type needs xsi:type" );
        return S_OK;
    }
    if (hr != S_OK) return hr;
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    if ((hr = WsReadStartAttribute( reader, index, error )) != S_OK) return hr;
    hr = WsReadQualifiedName( reader, heap, NULL, &local, &ns, error );
    WsReadEndAttribute( reader, NULL );
    if (hr != S_OK) return hr;
    if (!(*actual = find_subtype( desc, &local, &ns, 0 )))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "xsi:type %s is not a subtype", debugstr_xmlstr( &local ) );
    if (((*actual)->structOptions & WS_STRUCT_ABSTRACT))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "xsi:type names an abstract type" );
    return S_OK;
}

/* Reads a struct into new heap storage sized for its actual type. */
static HRESULT read_struct_pointer( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                                    WS_HEAP *heap, void **ptr, WS_ERROR *error )
{
    const WS_STRUCT_DESCRIPTION *actual = desc;
    HRESULT hr;

    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = resolve_read_struct( reader, heap, desc, &actual, error )) != S_OK)
        return hr;
    if ((hr = heap_alloc( heap, actual->size, ptr, error )) != S_OK) return hr;
    return read_struct( reader, mapping, actual, heap, *ptr, error );
}

/* Where a field's value is read to or written from: the field itself, or
 * for an array type a struct array_value gathered from (or scattered to)
 * its offset and countOffset. */
static void *field_storage( const WS_FIELD_DESCRIPTION *field, BYTE *base, struct array_value *array )
{
    if (!is_array_type( field->type )) return base + field->offset;
    array->items = *(void **)(base + field->offset);
    array->count = *(ULONG *)(base + field->countOffset);
    return array;
}

static void store_array_field( const WS_FIELD_DESCRIPTION *field, BYTE *base, const struct array_value *array )
{
    if (!is_array_type( field->type )) return;
    *(void **)(base + field->offset) = array->items;
    *(ULONG *)(base + field->countOffset) = array->count;
}

/* After the fields: the end of the struct's content, or trailing content
 * skipped when the struct allows it. */
static HRESULT read_struct_end( WS_XML_READER *reader, const WS_STRUCT_DESCRIPTION *desc, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    HRESULT hr;

    if (!(desc->structOptions & WS_STRUCT_IGNORE_TRAILING_ELEMENT_CONTENT)) return S_OK;
    for (;;)
    {
        if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
        if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT || node->nodeType == WS_XML_NODE_TYPE_EOF) return S_OK;
        if ((hr = WsSkipNode( reader, error )) != S_OK) return hr;
    }
}

static HRESULT read_struct( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                            WS_HEAP *heap, void *storage, WS_ERROR *error )
{
    BYTE *base = storage;
    ULONG i;
    HRESULT hr;

    if ((hr = check_struct( desc, error )) != S_OK) return hr;
    if (mapping == WS_ATTRIBUTE_TYPE_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "a struct cannot be mapped to an attribute" );
    memset( storage, 0, desc->size );

    if (mapping == WS_ELEMENT_TYPE_MAPPING)
    {
        for (i = 0; i < desc->fieldCount; i++)
        {
            const WS_FIELD_DESCRIPTION *field = desc->fields[i];
            struct array_value array;
            if (field->type == WS_VOID_TYPE && field->mapping == WS_ANY_ATTRIBUTES_FIELD_MAPPING)
                continue;   /* discarded: the unmapped attributes are accepted and not stored */
            if (field->mapping == WS_ANY_ATTRIBUTES_FIELD_MAPPING)
                hr = read_any_attributes_field( reader, desc, heap, (WS_ANY_ATTRIBUTES *)(base + field->offset),
                                                error );
            else if (is_attribute_field( field ))
                hr = read_attribute_field( reader, field, heap, field_storage( field, base, &array ), error );
            else
                continue;
            if (hr != S_OK) return hr;
            store_array_field( field, base, &array );
        }
        if ((hr = check_unhandled_attributes( reader, desc, error )) != S_OK) return hr;
        if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    }

    for (i = 0; i < desc->fieldCount; i++)
    {
        const WS_FIELD_DESCRIPTION *field = desc->fields[i];
        struct array_value array;
        void *ptr = field_storage( field, base, &array );

        if (field->type == WS_VOID_TYPE && (field->mapping == WS_ANY_ELEMENT_FIELD_MAPPING ||
                                            field->mapping == WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING ||
                                            field->mapping == WS_ANY_CONTENT_FIELD_MAPPING))
        {
            if ((hr = discard_void_field( reader, field, error )) != S_OK) return hr;
            continue;
        }
        switch (field->mapping)
        {
        case WS_ATTRIBUTE_FIELD_MAPPING:
        case WS_XML_ATTRIBUTE_FIELD_MAPPING:
        case WS_ANY_ATTRIBUTES_FIELD_MAPPING:
            if (mapping != WS_ELEMENT_TYPE_MAPPING)
                return ws_error_set( error, E_INVALIDARG, "attribute fields need WS_ELEMENT_TYPE_MAPPING" );
            continue;   /* read with the element's start */
        case WS_ELEMENT_FIELD_MAPPING:
            hr = read_element_field( reader, field, heap, ptr, error );
            break;
        case WS_REPEATING_ELEMENT_FIELD_MAPPING:
            hr = read_repeating_field( reader, field, heap, base, error );
            break;
        case WS_TEXT_FIELD_MAPPING:
            hr = read_field_item( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, field, FALSE, heap, ptr, error );
            break;
        case WS_ELEMENT_CHOICE_FIELD_MAPPING:
            hr = read_choice_field( reader, field, heap, ptr, error );
            break;
        case WS_REPEATING_ELEMENT_CHOICE_FIELD_MAPPING:
            hr = read_repeating_choice_field( reader, field, heap, base, error );
            break;
        case WS_ANY_ELEMENT_FIELD_MAPPING:
            hr = read_any_element_field( reader, field, heap, ptr, error );
            break;
        case WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING:
            hr = read_repeating_any_field( reader, field, heap, base, error );
            break;
        case WS_ANY_CONTENT_FIELD_MAPPING:
            hr = read_any_content_field( reader, heap, ptr, error );
            break;
        case WS_NO_FIELD_MAPPING:
            hr = set_field_default( field, ptr, error );
            break;
        case WS_TYPE_ATTRIBUTE_FIELD_MAPPING:
            *(const WS_STRUCT_DESCRIPTION **)ptr = desc;   /* the type actually read */
            break;
        default:
            hr = E_NOTIMPL;
            break;
        }
        if (hr != S_OK) return hr;
        store_array_field( field, base, &array );
    }
    if ((hr = read_struct_end( reader, desc, error )) != S_OK) return hr;
    if (mapping == WS_ELEMENT_TYPE_MAPPING) return WsReadEndElement( reader, error );
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */
/* ---------------------------------------------------------------------- */

static HRESULT write_utf16( WS_XML_WRITER *writer, const WCHAR *chars, ULONG count, WS_ERROR *error )
{
    if (!count) return S_OK;
    if (!chars) return ws_error_set( error, E_INVALIDARG, "characters are NULL" );
    return WsWriteChars( writer, chars, count, error );
}

static HRESULT write_utf8( WS_XML_WRITER *writer, const BYTE *bytes, ULONG count, WS_ERROR *error )
{
    if (!count) return S_OK;
    if (!bytes) return ws_error_set( error, E_INVALIDARG, "bytes are NULL" );
    return WsWriteCharsUtf8( writer, bytes, count, error );
}

static HRESULT write_bytes( WS_XML_WRITER *writer, const BYTE *bytes, ULONG count, WS_ERROR *error )
{
    if (!count) return S_OK;
    if (!bytes) return ws_error_set( error, E_INVALIDARG, "bytes are NULL" );
    return WsWriteBytes( writer, bytes, count, error );
}

static HRESULT write_enum( WS_XML_WRITER *writer, const WS_ENUM_DESCRIPTION *desc, int value, WS_ERROR *error )
{
    ULONG i;

    for (i = 0; i < desc->valueCount; i++)
    {
        const WS_XML_STRING *name = desc->values[i].name;
        if (desc->values[i].value == value && name) return write_utf8( writer, name->bytes, name->length, error );
    }
    return ws_error_set( error, E_INVALIDARG, "%d is not a value of the enumeration", value );
}

static HRESULT write_unique_id( WS_XML_WRITER *writer, const WS_UNIQUE_ID *id, WS_ERROR *error )
{
    WS_XML_UNIQUE_ID_TEXT text;

    if (id->uri.length) return write_utf16( writer, id->uri.chars, id->uri.length, error );
    /* One text node: "urn:uuid:" + the GUID in text, the UniqueIdText record
     * ([MC-NBFX] 2.3.2) in binary, which peers expect for a MessageID. */
    text.text.textType = WS_XML_TEXT_TYPE_UNIQUE_ID;
    text.value = id->guid;
    return WsWriteText( writer, &text.text, error );
}

static HRESULT write_qname( WS_XML_WRITER *writer, const WS_XML_QNAME *qname, WS_ERROR *error )
{
    if (!qname->localName.length) return ws_error_set( error, E_INVALIDARG, "qualified name has no local name" );
    return WsWriteQualifiedName( writer, NULL, &qname->localName, &qname->ns, error );
}

/* Checks the limits of DESC on the value in STORAGE before it is written. */
static HRESULT check_write_limits( WS_TYPE type, const void *desc, const void *storage, WS_ERROR *error )
{
    ULONG count;

    if (!value_in_range( type, desc, storage ))
        return ws_error_set( error, E_INVALIDARG, "the value is outside the range of its description" );
    switch (type)
    {
    case WS_STRING_TYPE:     count = ((const WS_STRING *)storage)->length; break;
    case WS_WSZ_TYPE:        count = *(WCHAR *const *)storage ? lstrlenW( *(WCHAR *const *)storage ) : 0; break;
    case WS_XML_STRING_TYPE: count = ((const WS_XML_STRING *)storage)->length; break;
    case WS_BYTES_TYPE:      count = ((const WS_BYTES *)storage)->length; break;
    case WS_CHAR_ARRAY_TYPE:
    case WS_UTF8_ARRAY_TYPE:
    case WS_BYTE_ARRAY_TYPE: count = ((const struct array_value *)storage)->count; break;
    default: return S_OK;
    }
    if (!length_in_range( type, desc, count ))
        return ws_error_set( error, E_INVALIDARG, "length %lu is outside the limits of the description", count );
    return S_OK;
}

/* Writes the text form of a non-struct value (element content or attribute value). */
static HRESULT write_text_storage( WS_XML_WRITER *writer, WS_TYPE type, const void *desc, const void *storage,
                                   WS_ERROR *error )
{
    int vt = value_type_of( type );
    HRESULT hr;

    if ((hr = check_write_limits( type, desc, storage, error )) != S_OK) return hr;
    if (vt >= 0) return WsWriteValue( writer, vt, storage, ws_type_storage_size( type, desc ), error );
    switch (type)
    {
    case WS_WSZ_TYPE:
    {
        const WCHAR *str = *(WCHAR *const *)storage;
        if (!str) return ws_error_set( error, E_INVALIDARG, "string is NULL" );
        return write_utf16( writer, str, lstrlenW( str ), error );
    }
    case WS_STRING_TYPE:
        return write_utf16( writer, ((const WS_STRING *)storage)->chars, ((const WS_STRING *)storage)->length, error );
    case WS_CHAR_ARRAY_TYPE:
        return write_utf16( writer, ((const struct array_value *)storage)->items,
                            ((const struct array_value *)storage)->count, error );
    case WS_XML_STRING_TYPE:
        return write_utf8( writer, ((const WS_XML_STRING *)storage)->bytes, ((const WS_XML_STRING *)storage)->length,
                           error );
    case WS_UTF8_ARRAY_TYPE:
        return write_utf8( writer, ((const struct array_value *)storage)->items,
                           ((const struct array_value *)storage)->count, error );
    case WS_BYTES_TYPE:
        return write_bytes( writer, ((const WS_BYTES *)storage)->bytes, ((const WS_BYTES *)storage)->length, error );
    case WS_BYTE_ARRAY_TYPE:
        return write_bytes( writer, ((const struct array_value *)storage)->items,
                            ((const struct array_value *)storage)->count, error );
    case WS_UNIQUE_ID_TYPE:
        return write_unique_id( writer, storage, error );
    case WS_XML_QNAME_TYPE:
        return write_qname( writer, storage, error );
    case WS_ENUM_TYPE:
        return write_enum( writer, desc, *(const int *)storage, error );
    default:
        return ws_error_set( error, E_INVALIDARG, "type %d is not a text type", type );
    }
}

static HRESULT write_struct( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                             const void *storage, WS_ERROR *error );
static HRESULT write_union( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_UNION_DESCRIPTION *desc,
                            BOOL optional, const void *storage, WS_ERROR *error );

static HRESULT write_endpoint_address( WS_XML_WRITER *writer, const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc,
                                       const WS_ENDPOINT_ADDRESS *address, WS_ERROR *error );
static HRESULT write_fault( WS_XML_WRITER *writer, const WS_FAULT_DESCRIPTION *desc, const WS_FAULT *fault,
                            WS_ERROR *error );

/* A custom type's value is written by its callback, in WsWriteType's
 * calling sequence (WS_WRITE_TYPE_CALLBACK): with WS_ELEMENT_TYPE_MAPPING the
 * writer is in the element's start (the caller writes the end). */
static HRESULT write_custom( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_CUSTOM_TYPE_DESCRIPTION *desc,
                             const void *storage, WS_ERROR *error )
{
    if (!desc->writeCallback) return ws_error_set( error, E_INVALIDARG, "the custom type has no writeCallback" );
    return desc->writeCallback( writer, mapping, desc->descriptionData, storage, desc->size, error );
}

/* An XML buffer with WS_ELEMENT_TYPE_MAPPING (at the top level, element
 * and repeating element fields): "the WS_XML_BUFFER should contain a single
 * element which represents the attribute and element content.  The local
 * name and namespace of the element in the buffer is ignored; it is
 * replaced with actual element name and namespace" (WS_TYPE).  The writer
 * is in the start of that element: the buffer element's attributes and
 * namespace declarations (but the one of its own prefix, which names the
 * replaced element) and then its content are written into it. */
static HRESULT write_buffer_element_content( WS_XML_WRITER *writer, WS_XML_BUFFER *buffer, WS_ERROR *error )
{
    const WS_XML_ELEMENT_NODE *elem;
    const WS_XML_NODE *node;
    WS_XML_READER *reader;
    BOOL found;
    HRESULT hr;
    ULONG i;

    if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
    if ((hr = WsSetInputToBuffer( reader, buffer, NULL, 0, error )) != S_OK) goto done;
    if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) goto done;
    if (!found)
    {
        hr = ws_error_set( error, E_INVALIDARG, "the XML buffer has no element" );
        goto done;
    }
    if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) goto done;
    elem = (const WS_XML_ELEMENT_NODE *)node;
    for (i = 0; i < elem->attributeCount && hr == S_OK; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        BOOL own_prefix = attr->prefix && elem->prefix && xmlstr_equal( attr->prefix, elem->prefix );

        if (attr->isXmlNs)
        {
            if (!own_prefix) hr = WsWriteXmlnsAttribute( writer, attr->prefix, attr->ns, attr->singleQuote, error );
            continue;
        }
        /* an attribute in the replaced element's prefix gets a prefix from the writer */
        hr = WsWriteStartAttribute( writer, own_prefix && attr->prefix->length ? NULL : attr->prefix,
                                    attr->localName, attr->ns, attr->singleQuote, error );
        if (hr == S_OK && attr->value) hr = WsWriteText( writer, attr->value, error );
        if (hr == S_OK) hr = WsWriteEndAttribute( writer, error );
    }
    if (hr != S_OK || (hr = WsReadStartElement( reader, error )) != S_OK) goto done;
    while ((hr = WsGetReaderNode( reader, &node, error )) == S_OK)
    {
        if (node->nodeType == WS_XML_NODE_TYPE_END_ELEMENT || node->nodeType == WS_XML_NODE_TYPE_EOF) break;
        if ((hr = WsCopyNode( writer, reader, error )) != S_OK) break;
    }
done:
    WsFreeReader( reader );
    return hr;
}

/* Writes one non-nil value from STORAGE; with WS_ELEMENT_TYPE_MAPPING the
 * writer is in the element's start (attributes may still be written). */
static HRESULT write_storage( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, WS_TYPE type, const void *desc,
                              const void *storage, WS_ERROR *error )
{
    if (type == WS_STRUCT_TYPE) return write_struct( writer, mapping, desc, storage, error );
    if (type == WS_UNION_TYPE) return write_union( writer, mapping, desc, FALSE, storage, error );
    if (type == WS_ENDPOINT_ADDRESS_TYPE) return write_endpoint_address( writer, desc, storage, error );
    if (type == WS_FAULT_TYPE) return write_fault( writer, desc, storage, error );
    if (type == WS_CUSTOM_TYPE) return write_custom( writer, mapping, desc, storage, error );
    if (type == WS_XML_BUFFER_TYPE && mapping == WS_ELEMENT_TYPE_MAPPING)
        return write_buffer_element_content( writer, *(WS_XML_BUFFER *const *)storage, error );
    if (type == WS_XML_BUFFER_TYPE) return WsWriteXmlBuffer( writer, *(WS_XML_BUFFER *const *)storage, error );
    return write_text_storage( writer, type, desc, storage, error );
}

static HRESULT write_nil( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, WS_ERROR *error )
{
    static const BYTE true_text[] = "true";
    HRESULT hr;

    if (mapping != WS_ELEMENT_TYPE_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "a nil value can only be written as an element" );
    if ((hr = WsWriteStartAttribute( writer, NULL, &nil_local, &xsi_ns, FALSE, error )) != S_OK) return hr;
    if ((hr = WsWriteCharsUtf8( writer, true_text, 4, error )) != S_OK) return hr;
    return WsWriteEndAttribute( writer, error );
}

/* The whole WS_WRITE_OPTION logic for one value (of a field, or at the top level). */
static HRESULT write_value( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, WS_TYPE type, const void *desc,
                           WS_WRITE_OPTION option, const void *value, ULONG size, WS_ERROR *error )
{
    ULONG type_size;
    const void *storage;
    HRESULT hr;

    if ((hr = check_type( type, desc, error )) != S_OK) return hr;
    if ((hr = check_mapping( mapping, type, error )) != S_OK) return hr;
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    type_size = ws_type_storage_size( type, desc );

    switch (option)
    {
    case WS_WRITE_REQUIRED_VALUE:
    case WS_WRITE_NILLABLE_VALUE:
        if (is_pointer_type( type ))
            return ws_error_set( error, E_INVALIDARG, "type %d is a pointer type: use WS_WRITE_REQUIRED_POINTER",
                                 type );
        if (option == WS_WRITE_NILLABLE_VALUE && !is_nillable_value_type( type ))
            return ws_error_set( error, E_INVALIDARG, "type %d has no nil value", type );
        if (size != type_size)
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, type %d needs %lu", size, type, type_size );
        if (option == WS_WRITE_NILLABLE_VALUE && is_nil_value( type, value ))
            return write_nil( writer, mapping, error );
        return write_storage( writer, mapping, type, desc, value, error );

    case WS_WRITE_REQUIRED_POINTER:
    case WS_WRITE_NILLABLE_POINTER:
        if (size != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, a pointer option needs %lu", size,
                                 (ULONG)sizeof(void *) );
        if (!*(const void *const *)value)
        {
            if (option == WS_WRITE_NILLABLE_POINTER) return write_nil( writer, mapping, error );
            return ws_error_set( error, E_INVALIDARG, "the value pointer is NULL" );
        }
        storage = is_pointer_type( type ) ? value : *(const void *const *)value;
        return write_storage( writer, mapping, type, desc, storage, error );

    default:
        return ws_error_set( error, E_INVALIDARG, "invalid write option %d", option );
    }
}

/* An optional value field holding its default (or zeros) is not written.
 * A custom type compares with its isDefaultValueCallback, given the default
 * value or NULL for "compare with zero" (WS_IS_DEFAULT_VALUE_CALLBACK); one
 * without the callback is compared bytewise like the other types. */
static HRESULT field_is_default( const WS_FIELD_DESCRIPTION *field, const void *ptr, BOOL *is_default,
                                 WS_ERROR *error )
{
    const WS_CUSTOM_TYPE_DESCRIPTION *custom = field->typeDescription;
    const void *default_value = NULL;
    ULONG size = field_item_size( field ), i;

    if (field->defaultValue && field->defaultValue->value && field->defaultValue->valueSize == size)
        default_value = field->defaultValue->value;
    if (field->type == WS_CUSTOM_TYPE && custom->isDefaultValueCallback)
    {
        *is_default = FALSE;
        return custom->isDefaultValueCallback( custom->descriptionData, ptr, default_value, size, is_default, error );
    }
    *is_default = TRUE;
    if (default_value) *is_default = !memcmp( ptr, default_value, size );
    else for (i = 0; i < size; i++) if (((const BYTE *)ptr)[i]) *is_default = FALSE;
    return S_OK;
}

/* Writes one field item: PTR is the field storage (a pointer for WS_FIELD_POINTER). */
static HRESULT write_field_item( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_FIELD_DESCRIPTION *field,
                                 BOOL nillable, const void *ptr, WS_ERROR *error )
{
    WS_WRITE_OPTION option;

    if (is_field_pointer( field )) option = nillable ? WS_WRITE_NILLABLE_POINTER : WS_WRITE_REQUIRED_POINTER;
    else option = nillable && is_nillable_value_type( field->type ) ? WS_WRITE_NILLABLE_VALUE : WS_WRITE_REQUIRED_VALUE;
    return write_value( writer, mapping, field->type, field->typeDescription, option, ptr,
                        option == WS_WRITE_REQUIRED_POINTER || option == WS_WRITE_NILLABLE_POINTER
                        ? sizeof(void *) : ws_type_storage_size( field->type, field->typeDescription ), error );
}

/* A value at the top level (WsWriteType, WsWriteElement, WsWriteAttribute). */
static HRESULT write_type( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, WS_TYPE type, const void *desc,
                           WS_WRITE_OPTION option, const void *value, ULONG size, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = check_top_level_type( type, error )) != S_OK) return hr;
    return write_value( writer, mapping, type, desc, option, value, size, error );
}

static HRESULT write_element_item( WS_XML_WRITER *writer, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                                   const WS_FIELD_DESCRIPTION *field, BOOL nillable, const void *ptr, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsWriteStartElement( writer, NULL, local, ns, error )) != S_OK) return hr;
    if ((hr = write_field_item( writer, WS_ELEMENT_TYPE_MAPPING, field, nillable, ptr, error )) != S_OK) return hr;
    return WsWriteEndElement( writer, error );
}

/* Is the field left out of the XML: an optional field that is NULL or holds
 * its default?  (A WS_VOID_TYPE field is never written: it discards.) */
static HRESULT field_omitted( const WS_FIELD_DESCRIPTION *field, const void *ptr, BOOL *omitted, WS_ERROR *error )
{
    *omitted = TRUE;
    if (field->type == WS_VOID_TYPE) return S_OK;
    *omitted = FALSE;
    if (!(field->options & WS_FIELD_OPTIONAL)) return S_OK;
    if (is_field_pointer( field ))
    {
        *omitted = !*(const void *const *)ptr;
        return S_OK;
    }
    return field_is_default( field, ptr, omitted, error );
}

static HRESULT write_attribute_field( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field, const void *ptr,
                                      WS_ERROR *error )
{
    const WS_XML_STRING *ns = attribute_field_ns( field );
    const WS_XML_STRING *prefix = field->mapping == WS_XML_ATTRIBUTE_FIELD_MAPPING ? &xml_prefix : NULL;
    BOOL omitted;
    HRESULT hr;

    if (!field->localName || !ns) return ws_error_set( error, E_INVALIDARG, "attribute field has no name" );
    if ((hr = field_omitted( field, ptr, &omitted, error )) != S_OK || omitted) return hr;
    if ((hr = WsWriteStartAttribute( writer, prefix, field->localName, ns, FALSE, error )) != S_OK) return hr;
    if ((hr = write_field_item( writer, WS_ATTRIBUTE_TYPE_MAPPING, field, FALSE, ptr, error )) != S_OK) return hr;
    return WsWriteEndAttribute( writer, error );
}

static HRESULT write_any_attributes_field( WS_XML_WRITER *writer, const WS_ANY_ATTRIBUTES *any, WS_ERROR *error )
{
    ULONG i;
    HRESULT hr;

    if (any->attributeCount && !any->attributes)
        return ws_error_set( error, E_INVALIDARG, "%lu attributes but no array", any->attributeCount );
    for (i = 0; i < any->attributeCount; i++)
    {
        const WS_ANY_ATTRIBUTE *attr = &any->attributes[i];
        if ((hr = WsWriteStartAttribute( writer, NULL, &attr->localName, &attr->ns, FALSE, error )) != S_OK)
            return hr;
        if (attr->value && (hr = WsWriteText( writer, attr->value, error )) != S_OK) return hr;
        if ((hr = WsWriteEndAttribute( writer, error )) != S_OK) return hr;
    }
    return S_OK;
}

/* The items of a repeating field to write, checked against its item range. */
static HRESULT get_write_items( const WS_FIELD_DESCRIPTION *field, const BYTE *base, const BYTE **items,
                                ULONG *count, WS_ERROR *error )
{
    *count = *(const ULONG *)(base + field->countOffset);
    *items = *(const BYTE *const *)(base + field->offset);
    if (*count && !*items) return ws_error_set( error, E_INVALIDARG, "%lu items but the array is NULL", *count );
    if (field->itemRange && (*count < field->itemRange->minItemCount || *count > field->itemRange->maxItemCount))
        return ws_error_set( error, E_INVALIDARG, "%lu items, the range is %lu..%lu", *count,
                             field->itemRange->minItemCount, field->itemRange->maxItemCount );
    return S_OK;
}

/* get_write_items(), then the start of the wrapper element (when the field has one). */
static HRESULT begin_write_items( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field, const BYTE *base,
                                  const BYTE **items, ULONG *count, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = get_write_items( field, base, items, count, error )) != S_OK) return hr;
    if (!field->localName) return S_OK;
    return WsWriteStartElement( writer, NULL, field->localName, field->ns, error );
}

static HRESULT end_write_items( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field, WS_ERROR *error )
{
    if (!field->localName) return S_OK;
    return WsWriteEndElement( writer, error );
}

static HRESULT write_repeating_field( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field, const BYTE *base,
                                      WS_ERROR *error )
{
    ULONG item_size = field_item_size( field ), count, i;
    const BYTE *items;
    HRESULT hr;

    if (!field->itemLocalName || !field->itemNs)
        return ws_error_set( error, E_INVALIDARG, "repeating field has no item name" );
    if ((hr = begin_write_items( writer, field, base, &items, &count, error )) != S_OK) return hr;
    for (i = 0; i < count; i++)
        if ((hr = write_element_item( writer, field->itemLocalName, field->itemNs, field,
                                      !!(field->options & WS_FIELD_NILLABLE_ITEM), items + i * item_size,
                                      error )) != S_OK)
            return hr;
    return end_write_items( writer, field, error );
}

/* Writes the field the union's enum selects; noneEnumValue writes nothing
 * when the choice is OPTIONAL. */
static HRESULT write_union( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_UNION_DESCRIPTION *desc,
                            BOOL optional, const void *storage, WS_ERROR *error )
{
    const BYTE *base = storage;
    int value;
    ULONG i;
    HRESULT hr;

    if ((hr = check_union( desc, error )) != S_OK) return hr;
    if (mapping == WS_ATTRIBUTE_TYPE_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "a union cannot be mapped to an attribute" );
    value = *(const int *)(base + desc->enumOffset);
    if (value == desc->noneEnumValue)
    {
        if (optional) return S_OK;
        return ws_error_set( error, E_INVALIDARG, "the union holds no value but is required" );
    }
    for (i = 0; i < desc->fieldCount; i++)
    {
        const WS_FIELD_DESCRIPTION *field = &desc->fields[i]->field;
        if (desc->fields[i]->value != value) continue;
        return write_element_item( writer, field->localName, field->ns, field, !!(field->options & WS_FIELD_NILLABLE),
                                   base + field->offset, error );
    }
    return ws_error_set( error, E_INVALIDARG, "%d selects no field of the union", value );
}

static HRESULT write_choice_field( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field, const void *ptr,
                                   WS_ERROR *error )
{
    BOOL optional = !!(field->options & WS_FIELD_OPTIONAL);

    if (field->options & WS_FIELD_POINTER)
    {
        ptr = *(const void *const *)ptr;
        if (!ptr)
        {
            if (optional) return S_OK;
            return ws_error_set( error, E_INVALIDARG, "the choice pointer is NULL" );
        }
    }
    return write_union( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, field->typeDescription, optional, ptr, error );
}

static HRESULT write_repeating_choice_field( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field,
                                             const BYTE *base, WS_ERROR *error )
{
    ULONG item_size = field_item_size( field ), count, i;
    const BYTE *items;
    HRESULT hr;

    if ((hr = begin_write_items( writer, field, base, &items, &count, error )) != S_OK) return hr;
    for (i = 0; i < count; i++)
    {
        const void *item = items + i * item_size;
        if ((field->options & WS_FIELD_POINTER) && !(item = *(const void *const *)item))
            return ws_error_set( error, E_INVALIDARG, "choice item %lu is NULL", i );
        if ((hr = write_union( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, field->typeDescription, FALSE, item,
                               error )) != S_OK)
            return hr;
    }
    return end_write_items( writer, field, error );
}

static HRESULT write_any_element_field( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field, const void *ptr,
                                        WS_ERROR *error )
{
    WS_XML_BUFFER *buffer = *(WS_XML_BUFFER *const *)ptr;

    if (!buffer)
    {
        if (field->options & WS_FIELD_OPTIONAL) return S_OK;
        return ws_error_set( error, E_INVALIDARG, "the required XML buffer is NULL" );
    }
    return WsWriteXmlBuffer( writer, buffer, error );
}

static HRESULT write_repeating_any_field( WS_XML_WRITER *writer, const WS_FIELD_DESCRIPTION *field,
                                          const BYTE *base, WS_ERROR *error )
{
    const BYTE *items;
    ULONG count, i;
    HRESULT hr;

    if ((hr = get_write_items( field, base, &items, &count, error )) != S_OK) return hr;
    for (i = 0; i < count; i++)
        if ((hr = WsWriteXmlBuffer( writer, ((WS_XML_BUFFER *const *)items)[i], error )) != S_OK) return hr;
    return S_OK;
}

/* The type of the struct in STORAGE: its type attribute field names a
 * subtype of DESC, or DESC itself; written as xsi:type when a subtype. */
static HRESULT write_struct_type( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                                  const BYTE *base, const WS_STRUCT_DESCRIPTION **actual, WS_ERROR *error )
{
    const WS_STRUCT_DESCRIPTION *type = NULL;
    HRESULT hr;
    ULONG i;

    for (i = 0; i < desc->fieldCount; i++)
        if (desc->fields[i]->mapping == WS_TYPE_ATTRIBUTE_FIELD_MAPPING)
            type = *(const WS_STRUCT_DESCRIPTION *const *)(base + desc->fields[i]->offset);
    *actual = desc;
    if (!type || type == desc)
    {
        if (desc->structOptions & WS_STRUCT_ABSTRACT)
            return ws_error_set( error, E_INVALIDARG, "cannot write a value of an abstract type" );
        return S_OK;
    }
    if (!desc->typeLocalName && !type->typeLocalName) return S_OK;
    if (!type->typeLocalName || !type->typeNs || find_subtype( desc, type->typeLocalName, type->typeNs, 0 ) != type)
        return ws_error_set( error, E_INVALIDARG, "the type field names no subtype of the struct" );
    if (type->structOptions & WS_STRUCT_ABSTRACT)
        return ws_error_set( error, E_INVALIDARG, "cannot write a value of an abstract type" );
    if ((hr = check_struct( type, error )) != S_OK) return hr;
    if (mapping != WS_ELEMENT_TYPE_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "a subtype needs WS_ELEMENT_TYPE_MAPPING" );
    if ((hr = WsWriteStartAttribute( writer, NULL, &type_local, &xsi_ns, FALSE, error )) != S_OK) return hr;
    if ((hr = WsWriteQualifiedName( writer, NULL, type->typeLocalName, type->typeNs, error )) != S_OK) return hr;
    if ((hr = WsWriteEndAttribute( writer, error )) != S_OK) return hr;
    *actual = type;
    return S_OK;
}

static HRESULT write_struct( WS_XML_WRITER *writer, WS_TYPE_MAPPING mapping, const WS_STRUCT_DESCRIPTION *desc,
                             const void *storage, WS_ERROR *error )
{
    const BYTE *base = storage;
    BOOL omitted;
    ULONG i;
    HRESULT hr;

    if ((hr = check_struct( desc, error )) != S_OK) return hr;
    if (mapping == WS_ATTRIBUTE_TYPE_MAPPING)
        return ws_error_set( error, E_INVALIDARG, "a struct cannot be mapped to an attribute" );
    if ((hr = write_struct_type( writer, mapping, desc, base, &desc, error )) != S_OK) return hr;

    /* attributes first: the element's start is still open */
    for (i = 0; i < desc->fieldCount; i++)
    {
        const WS_FIELD_DESCRIPTION *field = desc->fields[i];
        struct array_value array;
        if (!is_attribute_field( field ) && field->mapping != WS_ANY_ATTRIBUTES_FIELD_MAPPING) continue;
        if (field->type == WS_VOID_TYPE) continue;   /* a discarding field writes nothing */
        if (mapping != WS_ELEMENT_TYPE_MAPPING)
            return ws_error_set( error, E_INVALIDARG, "attribute fields need WS_ELEMENT_TYPE_MAPPING" );
        if (field->mapping == WS_ANY_ATTRIBUTES_FIELD_MAPPING)
            hr = write_any_attributes_field( writer, (const WS_ANY_ATTRIBUTES *)(base + field->offset), error );
        else
            hr = write_attribute_field( writer, field, field_storage( field, (BYTE *)base, &array ), error );
        if (hr != S_OK) return hr;
    }
    for (i = 0; i < desc->fieldCount; i++)
    {
        const WS_FIELD_DESCRIPTION *field = desc->fields[i];
        struct array_value array;
        const void *ptr = field_storage( field, (BYTE *)base, &array );

        if (field->type == WS_VOID_TYPE) continue;   /* a discarding field writes nothing */
        switch (field->mapping)
        {
        case WS_ELEMENT_FIELD_MAPPING:
            if (!field->localName || !field->ns)
                return ws_error_set( error, E_INVALIDARG, "element field has no name" );
            if ((hr = field_omitted( field, ptr, &omitted, error )) != S_OK) return hr;
            if (omitted) break;
            hr = write_element_item( writer, field->localName, field->ns, field,
                                     !!(field->options & WS_FIELD_NILLABLE), ptr, error );
            break;
        case WS_REPEATING_ELEMENT_FIELD_MAPPING:
            hr = write_repeating_field( writer, field, base, error );
            break;
        case WS_TEXT_FIELD_MAPPING:
            hr = write_field_item( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, field, FALSE, ptr, error );
            break;
        case WS_ELEMENT_CHOICE_FIELD_MAPPING:
            hr = write_choice_field( writer, field, ptr, error );
            break;
        case WS_REPEATING_ELEMENT_CHOICE_FIELD_MAPPING:
            hr = write_repeating_choice_field( writer, field, base, error );
            break;
        case WS_ANY_ELEMENT_FIELD_MAPPING:
            hr = write_any_element_field( writer, field, ptr, error );
            break;
        case WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING:
            hr = write_repeating_any_field( writer, field, base, error );
            break;
        case WS_ANY_CONTENT_FIELD_MAPPING:
            if (*(WS_XML_BUFFER *const *)ptr) hr = WsWriteXmlBuffer( writer, *(WS_XML_BUFFER *const *)ptr, error );
            break;
        default:
            break;
        }
        if (hr != S_OK) return hr;
    }
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Endpoint addresses                                                      */
/* ---------------------------------------------------------------------- */

/* WS_ENDPOINT_ADDRESS_TYPE is an EndpointReference's content in the
 * WS-Addressing version of its WS_ENDPOINT_ADDRESS_DESCRIPTION (1.0 when
 * there is no description): an Address element with the URL (the
 * version's anonymous URI standing for a zero-length url), the content of
 * an optional ReferenceParameters element (headers), then any other
 * elements (extensions), the Identity extension element being the
 * identity.  In the 2004/08 version (WS_ADDRESSING_VERSION_0_9) a
 * ReferenceProperties element comes before ReferenceParameters and is kept
 * as the first element of the extensions (WS_ENDPOINT_ADDRESS). */
struct wsa_version
{
    const WS_XML_STRING *ns;
    const char *anonymous;
    BOOL reference_properties;
};

static const WS_XML_STRING wsa_ns = XML_STRING( "http://www.w3.org/2005/08/addressing" );
static const WS_XML_STRING wsa09_ns = XML_STRING( "http://schemas.xmlsoap.org/ws/2004/08/addressing" );
static const WS_XML_STRING address_local = XML_STRING( "Address" );
static const WS_XML_STRING ref_params_local = XML_STRING( "ReferenceParameters" );
static const WS_XML_STRING ref_props_local = XML_STRING( "ReferenceProperties" );

static const struct wsa_version wsa10 = { &wsa_ns, "http://www.w3.org/2005/08/addressing/anonymous", FALSE };
static const struct wsa_version wsa09 =
    { &wsa09_ns, "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous", TRUE };

static HRESULT check_endpoint_address_description( const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc, WS_ERROR *error )
{
    if (!desc || desc->addressingVersion == WS_ADDRESSING_VERSION_0_9 ||
        desc->addressingVersion == WS_ADDRESSING_VERSION_1_0)
        return S_OK;
    return ws_error_set( error, E_INVALIDARG, "addressing version %d has no endpoint reference form",
                         desc->addressingVersion );
}

static const struct wsa_version *wsa_version_of( const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc )
{
    return desc && desc->addressingVersion == WS_ADDRESSING_VERSION_0_9 ? &wsa09 : &wsa10;
}

static HRESULT read_identity( WS_XML_READER *reader, WS_HEAP *heap, WS_ENDPOINT_IDENTITY **identity,
                              WS_ERROR *error );
static HRESULT write_identity( WS_XML_WRITER *writer, const WS_ENDPOINT_IDENTITY *identity, WS_ERROR *error );

static HRESULT at_identity( WS_XML_READER *reader, BOOL *found, WS_ERROR *error );

/* Copies the element at the reader into *BUFFER through *WRITER, both
 * created on first use (the caller frees the writer). */
static HRESULT copy_element_to_buffer( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_BUFFER **buffer,
                                       WS_XML_WRITER **writer, WS_ERROR *error )
{
    HRESULT hr;

    if (!*writer && (hr = create_buffer_writer( heap, buffer, writer, error )) != S_OK) return hr;
    return WsCopyNode( *writer, reader, error );
}

/* Copies the elements at the reader, up to the end of their parent, into
 * *BUFFER (see copy_element_to_buffer).  With IDENTITY (the extensions of
 * an endpoint address), the first Identity element is read into it instead. */
static HRESULT read_elements_to_buffer( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_BUFFER **buffer,
                                        WS_XML_WRITER **writer, WS_ENDPOINT_IDENTITY **identity, WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    while ((hr = at_element( reader, NULL, NULL, &found, error )) == S_OK && found)
    {
        if (identity && !*identity && (hr = at_identity( reader, &found, error )) == S_OK && found)
            hr = read_identity( reader, heap, identity, error );
        else if (hr == S_OK)
            hr = copy_element_to_buffer( reader, heap, buffer, writer, error );
        if (hr != S_OK) break;
    }
    return hr;
}

static HRESULT read_address_url( WS_XML_READER *reader, const struct wsa_version *wsa, WS_HEAP *heap,
                                 WS_STRING *url, WS_ERROR *error )
{
    struct ws_buf text = { NULL, 0, 0 };
    BOOL found;
    HRESULT hr;

    if ((hr = at_element( reader, &address_local, wsa->ns, &found, error )) != S_OK) return hr;
    if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "the endpoint address has no Address element" );
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = gather_text( reader, &text, error )) == S_OK)
    {
        /* the anonymous URI reads as the zero-length url (WS_ENDPOINT_ADDRESS) */
        if (text.len == strlen( wsa->anonymous ) && !memcmp( text.data, wsa->anonymous, text.len ))
            url->length = 0;
        else
            hr = utf8_to_heap_wstr( heap, text.data, text.len, &url->chars, &url->length, error );
    }
    ws_buf_free( &text );
    if (hr != S_OK) return hr;
    return WsReadEndElement( reader, error );
}

/* The content of the ReferenceParameters element at the reader, as the headers. */
static HRESULT read_reference_parameters( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_BUFFER **headers,
                                          WS_ERROR *error )
{
    WS_XML_WRITER *writer;
    HRESULT hr;

    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = create_buffer_writer( heap, headers, &writer, error )) != S_OK) return hr;
    hr = read_elements_to_buffer( reader, heap, headers, &writer, NULL, error );
    WsFreeWriter( writer );
    if (hr != S_OK) return hr;
    return WsReadEndElement( reader, error );
}

static HRESULT read_endpoint_address( WS_XML_READER *reader, WS_TYPE_MAPPING mapping,
                                      const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc, WS_HEAP *heap,
                                      WS_ENDPOINT_ADDRESS *address, WS_ERROR *error )
{
    const struct wsa_version *wsa = wsa_version_of( desc );
    WS_XML_WRITER *extensions = NULL;
    BOOL found;
    HRESULT hr;

    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    memset( address, 0, sizeof(*address) );
    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = read_address_url( reader, wsa, heap, &address->url, error )) != S_OK) return hr;
    if (wsa->reference_properties && (hr = at_element( reader, &ref_props_local, wsa->ns, &found, error )) == S_OK &&
        found)
        hr = copy_element_to_buffer( reader, heap, &address->extensions, &extensions, error );
    if (hr == S_OK && (hr = at_element( reader, &ref_params_local, wsa->ns, &found, error )) == S_OK && found)
        hr = read_reference_parameters( reader, heap, &address->headers, error );
    if (hr == S_OK)
        hr = read_elements_to_buffer( reader, heap, &address->extensions, &extensions, &address->identity, error );
    if (extensions) WsFreeWriter( extensions );
    if (hr != S_OK) return hr;
    if (mapping == WS_ELEMENT_TYPE_MAPPING) return WsReadEndElement( reader, error );
    return S_OK;
}

/* The extensions of an address: with LEADING, only a leading
 * ReferenceProperties element (2004/08), else all the others. */
static HRESULT write_address_extensions( WS_XML_WRITER *writer, const struct wsa_version *wsa, WS_XML_BUFFER *buffer,
                                         BOOL leading, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    WS_XML_READER *reader;
    BOOL found = FALSE;
    HRESULT hr;

    if (!buffer) return S_OK;
    if (!wsa->reference_properties) return leading ? S_OK : WsWriteXmlBuffer( writer, buffer, error );
    if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
    if ((hr = WsSetInputToBuffer( reader, buffer, NULL, 0, error )) == S_OK &&
        (hr = at_element( reader, &ref_props_local, wsa->ns, &found, error )) == S_OK)
    {
        if (leading)
        {
            if (found) hr = WsCopyNode( writer, reader, error );
        }
        else if (!found) hr = WsWriteXmlBuffer( writer, buffer, error );
        else if ((hr = WsSkipNode( reader, error )) == S_OK)
        {
            while ((hr = WsGetReaderNode( reader, &node, error )) == S_OK && node->nodeType != WS_XML_NODE_TYPE_EOF)
                if ((hr = WsCopyNode( writer, reader, error )) != S_OK) break;
        }
    }
    WsFreeReader( reader );
    return hr;
}

static HRESULT write_endpoint_address( WS_XML_WRITER *writer, const WS_ENDPOINT_ADDRESS_DESCRIPTION *desc,
                                       const WS_ENDPOINT_ADDRESS *address, WS_ERROR *error )
{
    const struct wsa_version *wsa = wsa_version_of( desc );
    HRESULT hr;

    if (address->url.length && !address->url.chars) return ws_error_set( error, E_INVALIDARG, "url chars are NULL" );
    if ((hr = WsWriteStartElement( writer, NULL, &address_local, wsa->ns, error )) != S_OK) return hr;
    if (address->url.length) hr = write_utf16( writer, address->url.chars, address->url.length, error );
    else hr = write_utf8( writer, (const BYTE *)wsa->anonymous, strlen( wsa->anonymous ), error );
    if (hr != S_OK || (hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    if ((hr = write_address_extensions( writer, wsa, address->extensions, TRUE, error )) != S_OK) return hr;
    if (address->headers)
    {
        if ((hr = WsWriteStartElement( writer, NULL, &ref_params_local, wsa->ns, error )) != S_OK) return hr;
        if ((hr = WsWriteXmlBuffer( writer, address->headers, error )) != S_OK) return hr;
        if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    }
    /* the identity is an extension element: after the others (WS-Addressing's Metadata first) */
    if ((hr = write_address_extensions( writer, wsa, address->extensions, FALSE, error )) != S_OK) return hr;
    if (address->identity) return write_identity( writer, address->identity, error );
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Faults                                                                  */
/* ---------------------------------------------------------------------- */

/* WS_FAULT_TYPE is the content of a SOAP Fault element, in the form of the
 * envelope version of its WS_FAULT_DESCRIPTION:
 *   SOAP 1.2: env:Code (env:Value, nested env:Subcode chain), env:Reason
 *             (one env:Text with xml:lang per reason), env:Node?, env:Role?
 *             (the actor), env:Detail?
 *   SOAP 1.1: faultcode (a QName), faultstring (xml:lang when given),
 *             faultactor?, detail?  (unqualified, as SOAP 1.1 defines them)
 * As WS_FAULT documents: SOAP 1.1 carries only the first code and the first
 * reason and no node; a first code in no namespace gets the envelope's
 * namespace (and in SOAP 1.1 Sender/Receiver become Client/Server); the
 * detail buffer holds the detail element itself, whose name is replaced by
 * the envelope version's detail element when written. */
static const WS_XML_STRING soap11_ns = { 41, (BYTE *)"http://schemas.xmlsoap.org/soap/envelope/", NULL, 0 };
static const WS_XML_STRING soap12_ns = { 39, (BYTE *)"http://www.w3.org/2003/05/soap-envelope", NULL, 0 };
static const WS_XML_STRING no_ns = { 0, (BYTE *)"", NULL, 0 };
static const WS_XML_STRING lang_local = { 4, (BYTE *)"lang", NULL, 0 };

/* The element names of one envelope version's fault. */
struct fault_names
{
    const WS_XML_STRING *ns;         /* of the children */
    const WS_XML_STRING *envelope_ns;
    WS_XML_STRING code, value, subcode, reason, text, node, role, detail;
};

static const struct fault_names soap12_fault_names =
{
    &soap12_ns, &soap12_ns,
    { 4, (BYTE *)"Code", NULL, 0 }, { 5, (BYTE *)"Value", NULL, 0 }, { 7, (BYTE *)"Subcode", NULL, 0 },
    { 6, (BYTE *)"Reason", NULL, 0 }, { 4, (BYTE *)"Text", NULL, 0 }, { 4, (BYTE *)"Node", NULL, 0 },
    { 4, (BYTE *)"Role", NULL, 0 }, { 6, (BYTE *)"Detail", NULL, 0 },
};

/* SOAP 1.1 has no Value, Subcode, Reason wrapper or Node: only the names used are set. */
static const struct fault_names soap11_fault_names =
{
    &no_ns, &soap11_ns,
    { 9, (BYTE *)"faultcode", NULL, 0 }, { 0 }, { 0 }, { 0 }, { 11, (BYTE *)"faultstring", NULL, 0 }, { 0 },
    { 10, (BYTE *)"faultactor", NULL, 0 }, { 6, (BYTE *)"detail", NULL, 0 },
};

static HRESULT check_fault_description( const WS_FAULT_DESCRIPTION *desc, WS_ERROR *error )
{
    if (desc->envelopeVersion == WS_ENVELOPE_VERSION_SOAP_1_1 || desc->envelopeVersion == WS_ENVELOPE_VERSION_SOAP_1_2)
        return S_OK;
    return ws_error_set( error, E_INVALIDARG, "envelope version %d has no fault form", desc->envelopeVersion );
}

static const struct fault_names *fault_names_of( const WS_FAULT_DESCRIPTION *desc )
{
    return desc->envelopeVersion == WS_ENVELOPE_VERSION_SOAP_1_1 ? &soap11_fault_names : &soap12_fault_names;
}

/* Reads the text content of the element at the reader into STR on HEAP. */
static HRESULT read_string_element( WS_XML_READER *reader, WS_HEAP *heap, WS_STRING *str, WS_ERROR *error )
{
    struct ws_buf text = { NULL, 0, 0 };
    HRESULT hr;

    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = gather_text( reader, &text, error )) == S_OK)
        hr = utf8_to_heap_wstr( heap, text.data ? text.data : (const BYTE *)"", text.len, &str->chars, &str->length,
                                error );
    ws_buf_free( &text );
    if (hr != S_OK) return hr;
    return WsReadEndElement( reader, error );
}

/* Reads the required LOCAL/NS element holding a QName. */
static HRESULT read_qname_element( WS_XML_READER *reader, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                                   WS_HEAP *heap, WS_XML_QNAME *qname, WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    if ((hr = at_element( reader, local, ns, &found, error )) != S_OK) return hr;
    if (!found)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "fault element %s is missing", debugstr_xmlstr( local ) );
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = WsReadQualifiedName( reader, heap, NULL, &qname->localName, &qname->ns, error )) != S_OK) return hr;
    return WsReadEndElement( reader, error );
}

static HRESULT new_fault_code( WS_HEAP *heap, WS_FAULT_CODE **code, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = heap_alloc( heap, sizeof(**code), (void **)code, error )) != S_OK) return hr;
    memset( *code, 0, sizeof(**code) );
    return S_OK;
}

/* SOAP 1.2: Code/Value and the Subcode/Value chain, one WS_FAULT_CODE per level. */
static HRESULT read_fault_code12( WS_XML_READER *reader, const struct fault_names *names, WS_HEAP *heap,
                                  WS_FAULT_CODE **head, WS_ERROR *error )
{
    const WS_XML_STRING *wrapper = &names->code;
    WS_FAULT_CODE **next = head;
    ULONG depth = 0;
    BOOL found;
    HRESULT hr;

    for (;;)
    {
        if ((hr = at_element( reader, wrapper, names->ns, &found, error )) != S_OK) return hr;
        if (!found)
        {
            if (!depth) return ws_error_set( error, WS_E_INVALID_FORMAT, "the fault has no Code" );
            break;
        }
        if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
        depth++;
        if ((hr = new_fault_code( heap, next, error )) != S_OK) return hr;
        if ((hr = read_qname_element( reader, &names->value, names->ns, heap, &(*next)->value, error )) != S_OK)
            return hr;
        next = &(*next)->subCode;
        wrapper = &names->subcode;
    }
    while (depth--) if ((hr = WsReadEndElement( reader, error )) != S_OK) return hr;
    return S_OK;
}

/* The xml:lang attribute of the element at the reader; empty when absent. */
static HRESULT read_lang_attribute( WS_XML_READER *reader, WS_HEAP *heap, WS_STRING *lang, WS_ERROR *error )
{
    struct ws_buf text = { NULL, 0, 0 };
    ULONG index;
    HRESULT hr;

    if ((hr = WsFindAttribute( reader, &lang_local, &xml_ns, FALSE, &index, error )) != S_OK)
        return hr == S_FALSE ? S_OK : hr;
    if ((hr = WsReadStartAttribute( reader, index, error )) != S_OK) return hr;
    if ((hr = gather_text( reader, &text, error )) == S_OK)
        hr = utf8_to_heap_wstr( heap, text.data ? text.data : (const BYTE *)"", text.len, &lang->chars,
                                &lang->length, error );
    ws_buf_free( &text );
    if (hr != S_OK) return hr;
    return WsReadEndAttribute( reader, error );
}

/* One reason: the text element at the reader and its xml:lang. */
static HRESULT read_fault_reason( WS_XML_READER *reader, WS_HEAP *heap, WS_FAULT_REASON *reason, WS_ERROR *error )
{
    HRESULT hr;

    memset( reason, 0, sizeof(*reason) );
    if ((hr = read_lang_attribute( reader, heap, &reason->lang, error )) != S_OK) return hr;
    return read_string_element( reader, heap, &reason->text, error );
}

/* The reason elements (SOAP 1.2 Text, SOAP 1.1 faultstring) at the reader;
 * at least one, and SOAP 1.1 has exactly one. */
static HRESULT read_fault_reasons( WS_XML_READER *reader, const struct fault_names *names, BOOL single,
                                   WS_HEAP *heap, WS_FAULT *fault, WS_ERROR *error )
{
    struct heap_array array = { NULL, 0, 0, sizeof(WS_FAULT_REASON) };
    void *reason;
    BOOL found;
    HRESULT hr;

    do
    {
        if ((hr = at_element( reader, &names->text, names->ns, &found, error )) != S_OK) return hr;
        if (!found) break;
        if ((hr = heap_array_add( heap, &array, &reason, error )) != S_OK) return hr;
        if ((hr = read_fault_reason( reader, heap, reason, error )) != S_OK) return hr;
    } while (!single);
    if (!array.count) return ws_error_set( error, WS_E_INVALID_FORMAT, "the fault has no reason" );
    fault->reasons = (WS_FAULT_REASON *)array.items;
    fault->reasonCount = array.count;
    return S_OK;
}

/* An optional string element (Node, Role, faultactor). */
static HRESULT read_optional_string_element( WS_XML_READER *reader, const WS_XML_STRING *local,
                                             const WS_XML_STRING *ns, WS_HEAP *heap, WS_STRING *str, WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    if (!local->length) return S_OK;
    if ((hr = at_element( reader, local, ns, &found, error )) != S_OK || !found) return hr;
    return read_string_element( reader, heap, str, error );
}

/* The rest of the fault's content: SOAP 1.1 allows namespace-qualified
 * extra elements (skipped), anything else is not a fault. */
static HRESULT read_fault_end( WS_XML_READER *reader, const struct fault_names *names, WS_ERROR *error )
{
    const WS_XML_NODE *node;
    BOOL found;
    HRESULT hr;

    for (;;)
    {
        if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK || !found) return hr;
        if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
        if (names == &soap12_fault_names || !((const WS_XML_ELEMENT_NODE *)node)->ns->length)
            return ws_error_set( error, WS_E_INVALID_FORMAT, "unexpected element %s in a fault",
                                 debugstr_xmlstr( ((const WS_XML_ELEMENT_NODE *)node)->localName ) );
        if ((hr = WsSkipNode( reader, error )) != S_OK) return hr;
    }
}

static HRESULT read_fault( WS_XML_READER *reader, WS_TYPE_MAPPING mapping, const WS_FAULT_DESCRIPTION *desc,
                           WS_HEAP *heap, WS_FAULT *fault, WS_ERROR *error )
{
    const struct fault_names *names = fault_names_of( desc );
    BOOL soap11 = names == &soap11_fault_names, found;
    HRESULT hr;

    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    memset( fault, 0, sizeof(*fault) );
    if (mapping == WS_ELEMENT_TYPE_MAPPING && (hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if (soap11)
    {
        if ((hr = new_fault_code( heap, &fault->code, error )) != S_OK) return hr;
        hr = read_qname_element( reader, &names->code, names->ns, heap, &fault->code->value, error );
    }
    else hr = read_fault_code12( reader, names, heap, &fault->code, error );
    if (hr != S_OK) return hr;

    if (!soap11)
    {
        if ((hr = at_element( reader, &names->reason, names->ns, &found, error )) != S_OK) return hr;
        if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "the fault has no Reason" );
        if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    }
    if ((hr = read_fault_reasons( reader, names, soap11, heap, fault, error )) != S_OK) return hr;
    if (!soap11 && (hr = WsReadEndElement( reader, error )) != S_OK) return hr;

    if ((hr = read_optional_string_element( reader, &names->node, names->ns, heap, &fault->node, error )) != S_OK)
        return hr;
    if ((hr = read_optional_string_element( reader, &names->role, names->ns, heap, &fault->actor, error )) != S_OK)
        return hr;
    if ((hr = at_element( reader, &names->detail, names->ns, &found, error )) != S_OK) return hr;
    if (found && (hr = WsReadXmlBuffer( reader, heap, &fault->detail, error )) != S_OK) return hr;
    if ((hr = read_fault_end( reader, names, error )) != S_OK) return hr;
    if (mapping == WS_ELEMENT_TYPE_MAPPING) return WsReadEndElement( reader, error );
    return S_OK;
}

static HRESULT write_string_element( WS_XML_WRITER *writer, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                                     const WS_STRING *str, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsWriteStartElement( writer, NULL, local, ns, error )) != S_OK) return hr;
    if ((hr = write_utf16( writer, str->chars, str->length, error )) != S_OK) return hr;
    return WsWriteEndElement( writer, error );
}

static HRESULT write_qname_element( WS_XML_WRITER *writer, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                                    const WS_XML_STRING *value_local, const WS_XML_STRING *value_ns, WS_ERROR *error )
{
    HRESULT hr;

    if (!value_local->length || !value_local->bytes)
        return ws_error_set( error, E_INVALIDARG, "a fault code has no local name" );
    if (value_ns->length && !value_ns->bytes) return ws_error_set( error, E_INVALIDARG, "fault code ns bytes are NULL" );
    if ((hr = WsWriteStartElement( writer, NULL, local, ns, error )) != S_OK) return hr;
    if ((hr = WsWriteQualifiedName( writer, NULL, value_local, value_ns, error )) != S_OK) return hr;
    return WsWriteEndElement( writer, error );
}

/* The first code as WS_FAULT documents it: no namespace means the envelope's,
 * and SOAP 1.1 calls Sender and Receiver Client and Server. */
static void first_fault_code( const WS_FAULT_CODE *code, const struct fault_names *names, WS_XML_STRING *local,
                              const WS_XML_STRING **ns )
{
    static const WS_XML_STRING sender = { 6, (BYTE *)"Sender", NULL, 0 }, client = { 6, (BYTE *)"Client", NULL, 0 };
    static const WS_XML_STRING receiver = { 8, (BYTE *)"Receiver", NULL, 0 }, server = { 6, (BYTE *)"Server", NULL, 0 };

    *local = code->value.localName;
    *ns = &code->value.ns;
    if (code->value.ns.length) return;
    *ns = names->envelope_ns;
    if (names != &soap11_fault_names) return;
    if (xmlstr_equal( local, &sender )) *local = client;
    else if (xmlstr_equal( local, &receiver )) *local = server;
}

#define MAX_FAULT_CODE_DEPTH 32   /* also stops a cyclic subCode list */

static HRESULT write_fault_code( WS_XML_WRITER *writer, const struct fault_names *names, const WS_FAULT_CODE *code,
                                 WS_ERROR *error )
{
    const WS_XML_STRING *wrapper = &names->code, *ns;
    WS_XML_STRING local;
    ULONG depth = 0;
    HRESULT hr;

    first_fault_code( code, names, &local, &ns );
    if (names == &soap11_fault_names)   /* the first code only */
        return write_qname_element( writer, &names->code, names->ns, &local, ns, error );
    for (; code; code = code->subCode)
    {
        if (++depth > MAX_FAULT_CODE_DEPTH)
            return ws_error_set( error, E_INVALIDARG, "more than %u fault codes", MAX_FAULT_CODE_DEPTH );
        if ((hr = WsWriteStartElement( writer, NULL, wrapper, names->ns, error )) != S_OK) return hr;
        if ((hr = write_qname_element( writer, &names->value, names->ns, &local, ns, error )) != S_OK) return hr;
        wrapper = &names->subcode;
        if (code->subCode)
        {
            local = code->subCode->value.localName;
            ns = &code->subCode->value.ns;
        }
    }
    while (depth--) if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    return S_OK;
}

/* xml:lang is required on SOAP 1.2 Text, optional on SOAP 1.1 faultstring. */
static HRESULT write_fault_reason( WS_XML_WRITER *writer, const struct fault_names *names,
                                   const WS_FAULT_REASON *reason, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsWriteStartElement( writer, NULL, &names->text, names->ns, error )) != S_OK) return hr;
    if (reason->lang.length || names != &soap11_fault_names)
    {
        if ((hr = WsWriteStartAttribute( writer, &xml_prefix, &lang_local, &xml_ns, FALSE, error )) != S_OK)
            return hr;
        if ((hr = write_utf16( writer, reason->lang.chars, reason->lang.length, error )) != S_OK) return hr;
        if ((hr = WsWriteEndAttribute( writer, error )) != S_OK) return hr;
    }
    if ((hr = write_utf16( writer, reason->text.chars, reason->text.length, error )) != S_OK) return hr;
    return WsWriteEndElement( writer, error );
}

static HRESULT write_fault_reasons( WS_XML_WRITER *writer, const struct fault_names *names, const WS_FAULT *fault,
                                    WS_ERROR *error )
{
    ULONG i, count = names == &soap11_fault_names ? 1 : fault->reasonCount;
    HRESULT hr;

    if (names != &soap11_fault_names && (hr = WsWriteStartElement( writer, NULL, &names->reason, names->ns,
                                                                    error )) != S_OK)
        return hr;
    for (i = 0; i < count; i++)
        if ((hr = write_fault_reason( writer, names, &fault->reasons[i], error )) != S_OK) return hr;
    if (names != &soap11_fault_names) return WsWriteEndElement( writer, error );
    return S_OK;
}

/* Copies the data attributes of the element at READER to the writer's open element. */
static HRESULT copy_element_attributes( WS_XML_WRITER *writer, WS_XML_READER *reader, WS_ERROR *error )
{
    const WS_XML_ELEMENT_NODE *elem;
    const WS_XML_NODE *node;
    ULONG i;
    HRESULT hr;

    if ((hr = WsGetReaderNode( reader, &node, error )) != S_OK) return hr;
    elem = (const WS_XML_ELEMENT_NODE *)node;
    for (i = 0; i < elem->attributeCount; i++)
    {
        const WS_XML_ATTRIBUTE *attr = elem->attributes[i];
        if (attr->isXmlNs) continue;
        if ((hr = WsWriteStartAttribute( writer, attr->prefix, attr->localName, attr->ns, attr->singleQuote,
                                         error )) != S_OK)
            return hr;
        if (attr->value && (hr = WsWriteText( writer, attr->value, error )) != S_OK) return hr;
        if ((hr = WsWriteEndAttribute( writer, error )) != S_OK) return hr;
    }
    return S_OK;
}

/* The detail buffer's element, renamed to the envelope version's detail element. */
static HRESULT write_fault_detail( WS_XML_WRITER *writer, const struct fault_names *names, WS_XML_BUFFER *detail,
                                   WS_ERROR *error )
{
    const WS_XML_NODE *node;
    WS_XML_READER *reader;
    BOOL found;
    HRESULT hr;

    if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
    if ((hr = WsSetInputToBuffer( reader, detail, NULL, 0, error )) != S_OK ||
        (hr = WsReadToStartElement( reader, NULL, NULL, &found, error )) != S_OK)
        goto done;
    if ((hr = WsWriteStartElement( writer, NULL, &names->detail, names->ns, error )) != S_OK) goto done;
    if (found)
    {
        if ((hr = copy_element_attributes( writer, reader, error )) != S_OK ||
            (hr = WsReadStartElement( reader, error )) != S_OK)
            goto done;
        while ((hr = WsGetReaderNode( reader, &node, error )) == S_OK &&
               node->nodeType != WS_XML_NODE_TYPE_END_ELEMENT && node->nodeType != WS_XML_NODE_TYPE_EOF)
            if ((hr = WsCopyNode( writer, reader, error )) != S_OK) goto done;
        if (hr != S_OK) goto done;
    }
    hr = WsWriteEndElement( writer, error );
done:
    WsFreeReader( reader );
    return hr;
}

static HRESULT write_fault( WS_XML_WRITER *writer, const WS_FAULT_DESCRIPTION *desc, const WS_FAULT *fault,
                            WS_ERROR *error )
{
    const struct fault_names *names = fault_names_of( desc );
    HRESULT hr;

    if (!fault->code) return ws_error_set( error, E_INVALIDARG, "the fault has no code" );
    if (!fault->reasonCount || !fault->reasons) return ws_error_set( error, E_INVALIDARG, "the fault has no reason" );
    if ((hr = write_fault_code( writer, names, fault->code, error )) != S_OK) return hr;
    if ((hr = write_fault_reasons( writer, names, fault, error )) != S_OK) return hr;
    if (names->node.length && fault->node.length &&
        (hr = write_string_element( writer, &names->node, names->ns, &fault->node, error )) != S_OK)
        return hr;
    if (fault->actor.length &&
        (hr = write_string_element( writer, &names->role, names->ns, &fault->actor, error )) != S_OK)
        return hr;
    if (fault->detail) return write_fault_detail( writer, names, fault->detail, error );
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* Endpoint identities                                                     */
/* ---------------------------------------------------------------------- */

/* WS_ENDPOINT_ADDRESS.identity is the Identity element of the WS-Addressing
 * identity extension (namespace .../ws/2006/02/addressingidentity), an
 * extension element of the endpoint reference, holding one identity:
 *   Dns, Upn or Spn (WS_DNS_/UPN_/SPN_ENDPOINT_IDENTITY): the name as text;
 *   an XML-Signature KeyInfo with KeyValue/RSAKeyValue/(Modulus, Exponent)
 *   in base64 (WS_RSA_ENDPOINT_IDENTITY; RSAKeyValue directly in KeyInfo is
 *   read too), or with X509Data/X509Certificate, the encoded certificate
 *   in base64 (WS_CERT_ENDPOINT_IDENTITY);
 *   any other element: WS_UNKNOWN_ENDPOINT_IDENTITY, whose buffer holds
 *   that element (documented: "the identity element that was not
 *   understood"), written back as it is. */
static const WS_XML_STRING wsai_ns = XML_STRING( "http://schemas.xmlsoap.org/ws/2006/02/addressingidentity" );
static const WS_XML_STRING dsig_ns = XML_STRING( "http://www.w3.org/2000/09/xmldsig#" );
static const WS_XML_STRING identity_local = XML_STRING( "Identity" );
static const WS_XML_STRING dns_local = XML_STRING( "Dns" );
static const WS_XML_STRING upn_local = XML_STRING( "Upn" );
static const WS_XML_STRING spn_local = XML_STRING( "Spn" );
static const WS_XML_STRING key_info_local = XML_STRING( "KeyInfo" );
static const WS_XML_STRING key_value_local = XML_STRING( "KeyValue" );
static const WS_XML_STRING rsa_key_value_local = XML_STRING( "RSAKeyValue" );
static const WS_XML_STRING modulus_local = XML_STRING( "Modulus" );
static const WS_XML_STRING exponent_local = XML_STRING( "Exponent" );
static const WS_XML_STRING x509_data_local = XML_STRING( "X509Data" );
static const WS_XML_STRING x509_cert_local = XML_STRING( "X509Certificate" );

static HRESULT at_identity( WS_XML_READER *reader, BOOL *found, WS_ERROR *error )
{
    return at_element( reader, &identity_local, &wsai_ns, found, error );
}

/* The string identities share one layout: the base, then the name. */
C_ASSERT( offsetof(WS_UPN_ENDPOINT_IDENTITY, upn) == offsetof(WS_DNS_ENDPOINT_IDENTITY, dns) );
C_ASSERT( offsetof(WS_SPN_ENDPOINT_IDENTITY, spn) == offsetof(WS_DNS_ENDPOINT_IDENTITY, dns) );

static const WS_XML_STRING *string_identity_name( WS_ENDPOINT_IDENTITY_TYPE type )
{
    switch (type)
    {
    case WS_DNS_ENDPOINT_IDENTITY_TYPE: return &dns_local;
    case WS_UPN_ENDPOINT_IDENTITY_TYPE: return &upn_local;
    case WS_SPN_ENDPOINT_IDENTITY_TYPE: return &spn_local;
    default:                            return NULL;
    }
}

static HRESULT new_identity( WS_HEAP *heap, WS_ENDPOINT_IDENTITY_TYPE type, SIZE_T size,
                             WS_ENDPOINT_IDENTITY **identity, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = heap_alloc( heap, size, (void **)identity, error )) != S_OK) return hr;
    memset( *identity, 0, size );
    (*identity)->identityType = type;
    return S_OK;
}

/* Reads the required LOCAL element (XML-Signature namespace) holding base64 bytes. */
static HRESULT read_dsig_bytes( WS_XML_READER *reader, const WS_XML_STRING *local, WS_HEAP *heap, WS_BYTES *bytes,
                                WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    if ((hr = at_element( reader, local, &dsig_ns, &found, error )) != S_OK) return hr;
    if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "%s is missing", debugstr_xmlstr( local ) );
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = gather_bytes( reader, heap, &bytes->bytes, &bytes->length, error )) != S_OK) return hr;
    return WsReadEndElement( reader, error );
}

/* Enters the LOCAL element (XML-Signature namespace) when it is at the reader. */
static HRESULT enter_dsig_element( WS_XML_READER *reader, const WS_XML_STRING *local, BOOL *found, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = at_element( reader, local, &dsig_ns, found, error )) != S_OK || !*found) return hr;
    return WsReadStartElement( reader, error );
}

/* The content of a KeyInfo (the reader past its start): an RSA key or a
 * certificate, or nothing understood (*IDENTITY left NULL). */
static HRESULT read_key_info_identity( WS_XML_READER *reader, WS_HEAP *heap, WS_ENDPOINT_IDENTITY **identity,
                                       WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    if ((hr = enter_dsig_element( reader, &key_value_local, &found, error )) != S_OK) return hr;
    if ((hr = enter_dsig_element( reader, &rsa_key_value_local, &found, error )) != S_OK) return hr;
    if (found)
    {
        WS_RSA_ENDPOINT_IDENTITY *rsa;
        if ((hr = new_identity( heap, WS_RSA_ENDPOINT_IDENTITY_TYPE, sizeof(*rsa), identity, error )) != S_OK)
            return hr;
        rsa = (WS_RSA_ENDPOINT_IDENTITY *)*identity;
        if ((hr = read_dsig_bytes( reader, &modulus_local, heap, &rsa->modulus, error )) != S_OK) return hr;
        return read_dsig_bytes( reader, &exponent_local, heap, &rsa->exponent, error );
    }
    if ((hr = enter_dsig_element( reader, &x509_data_local, &found, error )) != S_OK || !found) return hr;
    if ((hr = at_element( reader, &x509_cert_local, &dsig_ns, &found, error )) != S_OK || !found) return hr;
    if ((hr = new_identity( heap, WS_CERT_ENDPOINT_IDENTITY_TYPE, sizeof(WS_CERT_ENDPOINT_IDENTITY), identity,
                            error )) != S_OK)
        return hr;
    return read_dsig_bytes( reader, &x509_cert_local, heap,
                            &((WS_CERT_ENDPOINT_IDENTITY *)*identity)->rawCertificateData, error );
}

/* The identity ELEMENT holds (one element, in an XML buffer): a typed
 * identity when understood, else an unknown identity keeping the buffer. */
static HRESULT parse_identity( WS_HEAP *heap, WS_XML_BUFFER *element, WS_ENDPOINT_IDENTITY **identity,
                               WS_ERROR *error )
{
    static const WS_ENDPOINT_IDENTITY_TYPE string_types[] =
        { WS_DNS_ENDPOINT_IDENTITY_TYPE, WS_UPN_ENDPOINT_IDENTITY_TYPE, WS_SPN_ENDPOINT_IDENTITY_TYPE };
    WS_XML_READER *reader;
    BOOL found;
    ULONG i;
    HRESULT hr;

    *identity = NULL;
    if ((hr = WsCreateReader( NULL, 0, &reader, error )) != S_OK) return hr;
    if ((hr = WsSetInputToBuffer( reader, element, NULL, 0, error )) != S_OK) goto done;
    for (i = 0; i < ARRAYSIZE(string_types); i++)
    {
        if ((hr = at_element( reader, string_identity_name( string_types[i] ), &wsai_ns, &found, error )) != S_OK)
            goto done;
        if (!found) continue;
        if ((hr = new_identity( heap, string_types[i], sizeof(WS_DNS_ENDPOINT_IDENTITY), identity, error )) == S_OK)
            hr = read_string_element( reader, heap, &((WS_DNS_ENDPOINT_IDENTITY *)*identity)->dns, error );
        goto done;
    }
    if ((hr = enter_dsig_element( reader, &key_info_local, &found, error )) == S_OK && found)
        hr = read_key_info_identity( reader, heap, identity, error );
    if (hr == S_OK && !*identity &&
        (hr = new_identity( heap, WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE, sizeof(WS_UNKNOWN_ENDPOINT_IDENTITY), identity,
                            error )) == S_OK)
        ((WS_UNKNOWN_ENDPOINT_IDENTITY *)*identity)->element = element;
done:
    WsFreeReader( reader );
    return hr;
}

/* The Identity element at the reader. */
static HRESULT read_identity( WS_XML_READER *reader, WS_HEAP *heap, WS_ENDPOINT_IDENTITY **identity,
                              WS_ERROR *error )
{
    WS_XML_BUFFER *element;
    BOOL found;
    HRESULT hr;

    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
    if (!found) return ws_error_set( error, WS_E_INVALID_FORMAT, "the Identity element is empty" );
    if ((hr = WsReadXmlBuffer( reader, heap, &element, error )) != S_OK) return hr;
    if ((hr = parse_identity( heap, element, identity, error )) != S_OK) return hr;
    if ((hr = at_element( reader, NULL, NULL, &found, error )) != S_OK) return hr;
    if (found) return ws_error_set( error, WS_E_INVALID_FORMAT, "more than one identity in an Identity element" );
    return WsReadEndElement( reader, error );
}

static HRESULT write_dsig_bytes( WS_XML_WRITER *writer, const WS_XML_STRING *local, const WS_BYTES *bytes,
                                 WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsWriteStartElement( writer, NULL, local, &dsig_ns, error )) != S_OK) return hr;
    if ((hr = write_bytes( writer, bytes->bytes, bytes->length, error )) != S_OK) return hr;
    return WsWriteEndElement( writer, error );
}

/* Opens the COUNT nested XML-Signature elements LOCALS (closed by the caller). */
static HRESULT write_dsig_start_elements( WS_XML_WRITER *writer, const WS_XML_STRING *const *locals, ULONG count,
                                          WS_ERROR *error )
{
    ULONG i;
    HRESULT hr;

    for (i = 0; i < count; i++)
        if ((hr = WsWriteStartElement( writer, NULL, locals[i], &dsig_ns, error )) != S_OK) return hr;
    return S_OK;
}

static HRESULT write_end_elements( WS_XML_WRITER *writer, ULONG count, WS_ERROR *error )
{
    HRESULT hr;

    while (count--) if ((hr = WsWriteEndElement( writer, error )) != S_OK) return hr;
    return S_OK;
}

static HRESULT write_identity_content( WS_XML_WRITER *writer, const WS_ENDPOINT_IDENTITY *identity, WS_ERROR *error )
{
    static const WS_XML_STRING *const rsa_path[] = { &key_info_local, &key_value_local, &rsa_key_value_local };
    static const WS_XML_STRING *const cert_path[] = { &key_info_local, &x509_data_local };
    HRESULT hr;

    switch (identity->identityType)
    {
    case WS_DNS_ENDPOINT_IDENTITY_TYPE:
    case WS_UPN_ENDPOINT_IDENTITY_TYPE:
    case WS_SPN_ENDPOINT_IDENTITY_TYPE:
        return write_string_element( writer, string_identity_name( identity->identityType ), &wsai_ns,
                                     &((const WS_DNS_ENDPOINT_IDENTITY *)identity)->dns, error );
    case WS_RSA_ENDPOINT_IDENTITY_TYPE:
    {
        const WS_RSA_ENDPOINT_IDENTITY *rsa = (const WS_RSA_ENDPOINT_IDENTITY *)identity;
        if ((hr = write_dsig_start_elements( writer, rsa_path, ARRAYSIZE(rsa_path), error )) != S_OK) return hr;
        if ((hr = write_dsig_bytes( writer, &modulus_local, &rsa->modulus, error )) != S_OK) return hr;
        if ((hr = write_dsig_bytes( writer, &exponent_local, &rsa->exponent, error )) != S_OK) return hr;
        return write_end_elements( writer, ARRAYSIZE(rsa_path), error );
    }
    case WS_CERT_ENDPOINT_IDENTITY_TYPE:
        if ((hr = write_dsig_start_elements( writer, cert_path, ARRAYSIZE(cert_path), error )) != S_OK) return hr;
        if ((hr = write_dsig_bytes( writer, &x509_cert_local,
                                    &((const WS_CERT_ENDPOINT_IDENTITY *)identity)->rawCertificateData,
                                    error )) != S_OK)
            return hr;
        return write_end_elements( writer, ARRAYSIZE(cert_path), error );
    case WS_UNKNOWN_ENDPOINT_IDENTITY_TYPE:
    {
        WS_XML_BUFFER *element = ((const WS_UNKNOWN_ENDPOINT_IDENTITY *)identity)->element;
        if (!element) return ws_error_set( error, E_INVALIDARG, "the unknown identity has no element" );
        return WsWriteXmlBuffer( writer, element, error );
    }
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid identity type %d", identity->identityType );
    }
}

static HRESULT write_identity( WS_XML_WRITER *writer, const WS_ENDPOINT_IDENTITY *identity, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = WsWriteStartElement( writer, NULL, &identity_local, &wsai_ns, error )) != S_OK) return hr;
    if ((hr = write_identity_content( writer, identity, error )) != S_OK) return hr;
    return WsWriteEndElement( writer, error );
}

/* ---------------------------------------------------------------------- */
/* Exports                                                                 */
/* ---------------------------------------------------------------------- */

HRESULT WINAPI WsReadType( WS_XML_READER *reader, WS_TYPE_MAPPING typeMapping, WS_TYPE type,
                           const void *typeDescription,
                           WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    TRACE( "%p %d %d %p %d %p %p %lu %p\n", reader, typeMapping, type, typeDescription, readOption, heap, value,
           valueSize, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    return read_type( reader, typeMapping, type, typeDescription, readOption, heap, value, valueSize, error );
}

HRESULT WINAPI WsReadElement( WS_XML_READER *reader, const WS_ELEMENT_DESCRIPTION *elementDescription,
                              WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    BOOL found;
    HRESULT hr;

    TRACE( "%p %p %d %p %p %lu %p\n", reader, elementDescription, readOption, heap, value, valueSize, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!elementDescription) return ws_error_set( error, E_INVALIDARG, "elementDescription is NULL" );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if (elementDescription->elementLocalName)
    {
        /* the element must be the described one; a different one is "missing" */
        if ((hr = WsReadToStartElement( reader, elementDescription->elementLocalName, elementDescription->elementNs,
                                        &found, error )) != S_OK)
            return hr;
        if (!found)
        {
            if (readOption == WS_READ_OPTIONAL_POINTER || readOption == WS_READ_NILLABLE_POINTER)
            {
                if (valueSize != sizeof(void *))
                    return ws_error_set( error, E_INVALIDARG, "valueSize %lu, a pointer option needs %lu", valueSize,
                                         (ULONG)sizeof(void *) );
                *(void **)value = NULL;
                return S_OK;
            }
            return ws_error_set( error, WS_E_INVALID_FORMAT, "element %s not found",
                                 debugstr_xmlstr( elementDescription->elementLocalName ) );
        }
        return read_type( reader, WS_ELEMENT_TYPE_MAPPING, elementDescription->type,
                          elementDescription->typeDescription, readOption, heap, value, valueSize, error );
    }
    return read_type( reader, WS_ELEMENT_CONTENT_TYPE_MAPPING, elementDescription->type,
                      elementDescription->typeDescription, readOption, heap, value, valueSize, error );
}

HRESULT WINAPI WsReadAttribute( WS_XML_READER *reader, const WS_ATTRIBUTE_DESCRIPTION *attributeDescription,
                                WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize,
                                WS_ERROR *error )
{
    ULONG index;
    HRESULT hr;

    TRACE( "%p %p %d %p %p %lu %p\n", reader, attributeDescription, readOption, heap, value, valueSize, error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!attributeDescription) return ws_error_set( error, E_INVALIDARG, "attributeDescription is NULL" );
    if (!attributeDescription->attributeLocalName || !attributeDescription->attributeNs)
        return ws_error_set( error, E_INVALIDARG, "the attribute description has no name" );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if ((hr = WsFindAttribute( reader, attributeDescription->attributeLocalName, attributeDescription->attributeNs,
                               FALSE, &index, error )) == S_FALSE)
    {
        if (readOption == WS_READ_OPTIONAL_POINTER || readOption == WS_READ_NILLABLE_POINTER)
        {
            if (valueSize != sizeof(void *))
                return ws_error_set( error, E_INVALIDARG, "valueSize %lu, a pointer option needs %lu", valueSize,
                                     (ULONG)sizeof(void *) );
            *(void **)value = NULL;
            return S_OK;
        }
        return ws_error_set( error, WS_E_INVALID_FORMAT, "attribute %s not found",
                             debugstr_xmlstr( attributeDescription->attributeLocalName ) );
    }
    if (hr != S_OK) return hr;
    if ((hr = WsReadStartAttribute( reader, index, error )) != S_OK) return hr;
    hr = read_type( reader, WS_ATTRIBUTE_TYPE_MAPPING, attributeDescription->type,
                    attributeDescription->typeDescription, readOption, heap, value, valueSize, error );
    if (hr == S_OK) return WsReadEndAttribute( reader, error );
    WsReadEndAttribute( reader, NULL );
    return hr;
}

/* The metadata address extension (WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS)
 * is, as WS-MetadataExchange puts a metadata endpoint into an endpoint
 * reference, wsa:Metadata / mex:Metadata / mex:MetadataSection /
 * mex:MetadataReference, the last holding an endpoint address.  The docs
 * name the extension but not its XML; this is the WS-MetadataExchange
 * (2004/09) form. */
static const WS_XML_STRING metadata_local = { 8, (BYTE *)"Metadata", NULL, 0 };
static const WS_XML_STRING mex_ns = { 41, (BYTE *)"http://schemas.xmlsoap.org/ws/2004/09/mex", NULL, 0 };
static const WS_XML_STRING section_local = { 15, (BYTE *)"MetadataSection", NULL, 0 };
static const WS_XML_STRING reference_local = { 17, (BYTE *)"MetadataReference", NULL, 0 };

/* Skips sibling elements up to the LOCAL/NS one; FOUND is FALSE at the parent's end. */
static HRESULT find_sibling( WS_XML_READER *reader, const WS_XML_STRING *local, const WS_XML_STRING *ns,
                             BOOL *found, WS_ERROR *error )
{
    BOOL any;
    HRESULT hr;

    for (;;)
    {
        *found = FALSE;
        if ((hr = at_element( reader, NULL, NULL, &any, error )) != S_OK || !any) return hr;
        if ((hr = at_element( reader, local, ns, found, error )) != S_OK || *found) return hr;
        if ((hr = WsSkipNode( reader, error )) != S_OK) return hr;
    }
}

/* Positions the reader on the first mex:MetadataReference of the extensions. */
static HRESULT find_metadata_reference( WS_XML_READER *reader, BOOL *found, WS_ERROR *error )
{
    HRESULT hr;

    if ((hr = find_sibling( reader, &metadata_local, &wsa_ns, found, error )) != S_OK || !*found) return hr;
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    if ((hr = find_sibling( reader, &metadata_local, &mex_ns, found, error )) != S_OK || !*found) return hr;
    if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
    for (;;)
    {
        if ((hr = find_sibling( reader, &section_local, &mex_ns, found, error )) != S_OK || !*found) return hr;
        if ((hr = WsReadStartElement( reader, error )) != S_OK) return hr;
        if ((hr = find_sibling( reader, &reference_local, &mex_ns, found, error )) != S_OK || *found) return hr;
        if ((hr = WsReadEndElement( reader, error )) != S_OK) return hr;
    }
}

HRESULT WINAPI WsReadEndpointAddressExtension( WS_XML_READER *reader, WS_ENDPOINT_ADDRESS *endpointAddress,
                                               WS_ENDPOINT_ADDRESS_EXTENSION_TYPE extensionType,
                                               WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize,
                                               WS_ERROR *error )
{
    BOOL found = FALSE;
    HRESULT hr;

    TRACE( "%p %p %d %d %p %p %lu %p\n", reader, endpointAddress, extensionType, readOption, heap, value, valueSize,
           error );
    WS_CHECK_HANDLE( reader, WS_OBJECT_XML_READER, error );
    if (heap) WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!endpointAddress) return ws_error_set( error, E_INVALIDARG, "endpointAddress is NULL" );
    if (extensionType != WS_ENDPOINT_ADDRESS_EXTENSION_METADATA_ADDRESS)
        return ws_error_set( error, E_INVALIDARG, "invalid extension type %d", extensionType );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if (!heap) return ws_error_set( error, E_INVALIDARG, "heap is NULL" );
    switch (readOption)
    {
    case WS_READ_REQUIRED_VALUE:
        if (valueSize != sizeof(WS_ENDPOINT_ADDRESS))
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, the extension needs %lu", valueSize,
                                 (ULONG)sizeof(WS_ENDPOINT_ADDRESS) );
        break;
    case WS_READ_REQUIRED_POINTER:
    case WS_READ_OPTIONAL_POINTER:
        if (valueSize != sizeof(void *))
            return ws_error_set( error, E_INVALIDARG, "valueSize %lu, a pointer option needs %lu", valueSize,
                                 (ULONG)sizeof(void *) );
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid read option %d", readOption );
    }

    /* the reader's input is set as needed (documented) */
    if (endpointAddress->extensions)
    {
        if ((hr = WsSetInputToBuffer( reader, endpointAddress->extensions, NULL, 0, error )) != S_OK) return hr;
        if ((hr = find_metadata_reference( reader, &found, error )) != S_OK) return hr;
    }
    if (found)
        return read_type( reader, WS_ELEMENT_TYPE_MAPPING, WS_ENDPOINT_ADDRESS_TYPE, NULL, readOption, heap, value,
                          valueSize, error );
    if (readOption != WS_READ_OPTIONAL_POINTER)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the endpoint address has no metadata address" );
    *(void **)value = NULL;
    return S_OK;
}

HRESULT WINAPI WsWriteType( WS_XML_WRITER *writer, WS_TYPE_MAPPING typeMapping, WS_TYPE type,
                            const void *typeDescription,
                            WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    TRACE( "%p %d %d %p %d %p %lu %p\n", writer, typeMapping, type, typeDescription, writeOption, value, valueSize,
           error );
    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );
    return write_type( writer, typeMapping, type, typeDescription, writeOption, value, valueSize, error );
}

HRESULT WINAPI WsWriteElement( WS_XML_WRITER *writer, const WS_ELEMENT_DESCRIPTION *elementDescription,
                               WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    HRESULT hr;

    TRACE( "%p %p %d %p %lu %p\n", writer, elementDescription, writeOption, value, valueSize, error );
    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );
    if (!elementDescription) return ws_error_set( error, E_INVALIDARG, "elementDescription is NULL" );
    if (!elementDescription->elementLocalName)
        return write_type( writer, WS_ELEMENT_CONTENT_TYPE_MAPPING, elementDescription->type,
                           elementDescription->typeDescription, writeOption, value, valueSize, error );
    if (!elementDescription->elementNs) return ws_error_set( error, E_INVALIDARG, "elementNs is NULL" );
    if ((hr = WsWriteStartElement( writer, NULL, elementDescription->elementLocalName, elementDescription->elementNs,
                                   error )) != S_OK)
        return hr;
    if ((hr = write_type( writer, WS_ELEMENT_TYPE_MAPPING, elementDescription->type,
                          elementDescription->typeDescription, writeOption, value, valueSize, error )) != S_OK)
        return hr;
    return WsWriteEndElement( writer, error );
}

HRESULT WINAPI WsWriteAttribute( WS_XML_WRITER *writer, const WS_ATTRIBUTE_DESCRIPTION *attributeDescription,
                                 WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    HRESULT hr;

    TRACE( "%p %p %d %p %lu %p\n", writer, attributeDescription, writeOption, value, valueSize, error );
    WS_CHECK_HANDLE( writer, WS_OBJECT_XML_WRITER, error );
    if (!attributeDescription) return ws_error_set( error, E_INVALIDARG, "attributeDescription is NULL" );
    if (!attributeDescription->attributeLocalName || !attributeDescription->attributeNs)
        return ws_error_set( error, E_INVALIDARG, "the attribute description has no name" );
    if ((hr = WsWriteStartAttribute( writer, NULL, attributeDescription->attributeLocalName,
                                     attributeDescription->attributeNs, FALSE, error )) != S_OK)
        return hr;
    if ((hr = write_type( writer, WS_ATTRIBUTE_TYPE_MAPPING, attributeDescription->type,
                          attributeDescription->typeDescription, writeOption, value, valueSize, error )) != S_OK)
        return hr;
    return WsWriteEndAttribute( writer, error );
}
