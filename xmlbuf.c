/*
 * XML buffers (WS_XML_BUFFER): the node tree every buffer reader and writer shares.
 */

#include "webservices_private.h"

HRESULT WINAPI WsCreateXmlBuffer( WS_HEAP *heap, const WS_XML_BUFFER_PROPERTY *properties, ULONG propertyCount, WS_XML_BUFFER **buffer, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p: stub\n", heap, properties, propertyCount, buffer, error );
    return E_NOTIMPL;
}
