/*
 * Typed serialization (WsReadType, WsWriteType and friends)
 */

#include "webservices_private.h"

HRESULT WINAPI WsReadAttribute( WS_XML_READER *reader, const WS_ATTRIBUTE_DESCRIPTION *attributeDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %p %lu %p: stub\n", reader, attributeDescription, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadElement( WS_XML_READER *reader, const WS_ELEMENT_DESCRIPTION *elementDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %p %lu %p: stub\n", reader, elementDescription, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadEndpointAddressExtension( WS_XML_READER *reader, WS_ENDPOINT_ADDRESS *endpointAddress, WS_ENDPOINT_ADDRESS_EXTENSION_TYPE extensionType, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %d %p %p %lu %p: stub\n", reader, endpointAddress, extensionType, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadType( WS_XML_READER *reader, WS_TYPE_MAPPING typeMapping, WS_TYPE type, const void *typeDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %d %p %d %p %p %lu %p: stub\n", reader, typeMapping, type, typeDescription, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteAttribute( WS_XML_WRITER *writer, const WS_ATTRIBUTE_DESCRIPTION *attributeDescription, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %lu %p: stub\n", writer, attributeDescription, writeOption, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteElement( WS_XML_WRITER *writer, const WS_ELEMENT_DESCRIPTION *elementDescription, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %lu %p: stub\n", writer, elementDescription, writeOption, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteType( WS_XML_WRITER *writer, WS_TYPE_MAPPING typeMapping, WS_TYPE type, const void *typeDescription, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %d %p %d %p %lu %p: stub\n", writer, typeMapping, type, typeDescription, writeOption, value, valueSize, error );
    return E_NOTIMPL;
}
