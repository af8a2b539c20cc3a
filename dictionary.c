/*
 * Dictionaries: the static dictionary of [MC-NBFS] and WsGetDictionary.
 */

#include "webservices_private.h"

HRESULT WINAPI WsGetDictionary( WS_ENCODING encoding, WS_XML_DICTIONARY **dictionary, WS_ERROR *error )
{
    FIXME( "%d %p %p: stub\n", encoding, dictionary, error );
    return E_NOTIMPL;
}
