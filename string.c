/*
 * XML strings, dictionaries, names and whitespace
 */

#include "webservices_private.h"

HRESULT WINAPI WsTrimXmlWhitespace( WCHAR *chars, ULONG charCount, WCHAR **trimmedChars, ULONG *trimmedCount, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p %p: stub\n", chars, charCount, trimmedChars, trimmedCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsVerifyXmlNCName( const WCHAR *ncNameChars, ULONG ncNameCharCount, WS_ERROR *error )
{
    FIXME( "%p %lu %p: stub\n", ncNameChars, ncNameCharCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsXmlStringEquals( const WS_XML_STRING *string1, const WS_XML_STRING *string2, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", string1, string2, error );
    return E_NOTIMPL;
}
