/*
 * XML strings, dictionaries, names and whitespace
 */

#include <string.h>

#include "webservices_private.h"

/* XML 1.0 S production: the only characters XML treats as whitespace. */
static BOOL is_xml_whitespace( WCHAR c )
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

HRESULT WINAPI WsTrimXmlWhitespace( WCHAR *chars, ULONG charCount, WCHAR **trimmedChars, ULONG *trimmedCount, WS_ERROR *error )
{
    ULONG start = 0, end = charCount;

    TRACE( "%p %lu %p %p %p\n", chars, charCount, trimmedChars, trimmedCount, error );

    if (!chars && charCount) return ws_error_set( error, E_INVALIDARG, "chars is NULL with count %lu", charCount );
    if (!trimmedChars) return ws_error_set( error, E_INVALIDARG, "trimmedChars is NULL" );
    if (!trimmedCount) return ws_error_set( error, E_INVALIDARG, "trimmedCount is NULL" );

    while (start < end && is_xml_whitespace( chars[start] )) start++;
    while (end > start && is_xml_whitespace( chars[end - 1] )) end--;

    /* A pointer into the caller's buffer: the input is never modified. */
    *trimmedChars = chars ? chars + start : NULL;
    *trimmedCount = end - start;
    return S_OK;
}

/*
 * Name characters of XML 1.0 (Fifth Edition), productions [4] and [4a],
 * as Namespaces in XML 1.0 restricts them for NCName: the colon is excluded.
 */
static BOOL is_ncname_start_char( UINT c )
{
    return (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z') ||
           (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
           (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || (c >= 0x200c && c <= 0x200d) ||
           (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
           (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) || (c >= 0x10000 && c <= 0xeffff);
}

static BOOL is_ncname_char( UINT c )
{
    return is_ncname_start_char( c ) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xb7 ||
           (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040);
}

static BOOL is_high_surrogate( WCHAR c ) { return c >= 0xd800 && c <= 0xdbff; }
static BOOL is_low_surrogate( WCHAR c )  { return c >= 0xdc00 && c <= 0xdfff; }

/*
 * Decodes the code point at chars[*pos] and advances *pos past it.  Returns
 * FALSE for an unpaired surrogate, which is not an XML character at all.
 */
static BOOL next_code_point( const WCHAR *chars, ULONG count, ULONG *pos, UINT *c )
{
    WCHAR first = chars[(*pos)++];

    if (is_low_surrogate( first )) return FALSE;
    if (!is_high_surrogate( first ))
    {
        *c = first;
        return TRUE;
    }
    if (*pos >= count || !is_low_surrogate( chars[*pos] )) return FALSE;
    *c = 0x10000 + ((first - 0xd800) << 10) + (chars[(*pos)++] - 0xdc00);
    return TRUE;
}

HRESULT WINAPI WsVerifyXmlNCName( const WCHAR *ncNameChars, ULONG ncNameCharCount, WS_ERROR *error )
{
    ULONG pos = 0;
    UINT c;

    /* The debug string shows at most a few hundred characters anyway. */
    TRACE( "%s %lu %p\n", debugstr_wn( ncNameChars, (int)min( ncNameCharCount, 256 ) ), ncNameCharCount, error );

    if (!ncNameChars && ncNameCharCount)
        return ws_error_set( error, E_INVALIDARG, "ncNameChars is NULL with count %lu", ncNameCharCount );
    if (!ncNameCharCount) return ws_error_set( error, WS_E_INVALID_FORMAT, "an NCName cannot be empty" );

    while (pos < ncNameCharCount)
    {
        ULONG start = pos;

        if (!next_code_point( ncNameChars, ncNameCharCount, &pos, &c ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "unpaired surrogate at index %lu of an NCName", start );
        if (start ? !is_ncname_char( c ) : !is_ncname_start_char( c ))
            return ws_error_set( error, WS_E_INVALID_FORMAT, "character U+%04X at index %lu is not allowed in an NCName",
                                 c, start );
    }
    return S_OK;
}

/* Two strings of the same dictionary are the same string exactly when their ids match. */
static BOOL same_dictionary_entry( const WS_XML_STRING *str1, const WS_XML_STRING *str2 )
{
    return str1->dictionary && str1->dictionary == str2->dictionary && str1->id == str2->id;
}

HRESULT WINAPI WsXmlStringEquals( const WS_XML_STRING *string1, const WS_XML_STRING *string2, WS_ERROR *error )
{
    TRACE( "%s %s %p\n", debugstr_xmlstr( string1 ), debugstr_xmlstr( string2 ), error );

    if (!string1) return ws_error_set( error, E_INVALIDARG, "string1 is NULL" );
    if (!string2) return ws_error_set( error, E_INVALIDARG, "string2 is NULL" );
    if (string1->length && !string1->bytes) return ws_error_set( error, E_INVALIDARG, "string1 has no bytes" );
    if (string2->length && !string2->bytes) return ws_error_set( error, E_INVALIDARG, "string2 has no bytes" );

    if (string1 == string2 || same_dictionary_entry( string1, string2 )) return S_OK;
    if (string1->length != string2->length) return S_FALSE;
    /* Ordinal comparison of the UTF-8 bytes, as documented. */
    if (string1->length && memcmp( string1->bytes, string2->bytes, string1->length )) return S_FALSE;
    return S_OK;
}
