/*
 * XML reader (WS_XML_READER)
 */

#include "webservices_private.h"

HRESULT WINAPI WsCreateReader( const WS_XML_READER_PROPERTY *properties, ULONG propertyCount, WS_XML_READER **reader, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", properties, propertyCount, reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsEndReaderCanonicalization( WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsFillReader( WS_XML_READER *reader, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", reader, minSize, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsFindAttribute( WS_XML_READER *reader, const WS_XML_STRING *localName, const WS_XML_STRING *ns, BOOL required, ULONG *attributeIndex, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p %p: stub\n", reader, localName, ns, required, attributeIndex, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeReader( WS_XML_READER *reader )
{
    FIXME( "%p: stub\n", reader );
}

HRESULT WINAPI WsGetNamespaceFromPrefix( WS_XML_READER *reader, const WS_XML_STRING *prefix, BOOL required, const WS_XML_STRING **ns, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %p: stub\n", reader, prefix, required, ns, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetReaderNode( WS_XML_READER *xmlReader, const WS_XML_NODE **node, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", xmlReader, node, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetReaderPosition( WS_XML_READER *reader, WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", reader, nodePosition, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetReaderProperty( WS_XML_READER *reader, WS_XML_READER_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", reader, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetXmlAttribute( WS_XML_READER *reader, const WS_XML_STRING *localName, WS_HEAP *heap, WCHAR **valueChars, ULONG *valueCharCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p %p: stub\n", reader, localName, heap, valueChars, valueCharCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsMoveReader( WS_XML_READER *reader, WS_MOVE_TO moveTo, BOOL *found, WS_ERROR *error )
{
    FIXME( "%p %d %p %p: stub\n", reader, moveTo, found, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadArray( WS_XML_READER *reader, const WS_XML_STRING *localName, const WS_XML_STRING *ns, WS_VALUE_TYPE valueType, void *array, ULONG arraySize, ULONG itemOffset, ULONG itemCount, ULONG *actualItemCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p %lu %lu %lu %p %p: stub\n", reader, localName, ns, valueType, array, arraySize, itemOffset, itemCount, actualItemCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadBytes( WS_XML_READER *reader, void *bytes, ULONG maxByteCount, ULONG *actualByteCount, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p: stub\n", reader, bytes, maxByteCount, actualByteCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadChars( WS_XML_READER *reader, WCHAR *chars, ULONG maxCharCount, ULONG *actualCharCount, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p: stub\n", reader, chars, maxCharCount, actualCharCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadCharsUtf8( WS_XML_READER *reader, BYTE *bytes, ULONG maxByteCount, ULONG *actualByteCount, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p: stub\n", reader, bytes, maxByteCount, actualByteCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadEndAttribute( WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadEndElement( WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadNode( WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadQualifiedName( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_STRING *prefix, WS_XML_STRING *localName, WS_XML_STRING *ns, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p %p: stub\n", reader, heap, prefix, localName, ns, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadStartAttribute( WS_XML_READER *reader, ULONG attributeIndex, WS_ERROR *error )
{
    FIXME( "%p %lu %p: stub\n", reader, attributeIndex, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadStartElement( WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadToStartElement( WS_XML_READER *reader, const WS_XML_STRING *localName, const WS_XML_STRING *ns, BOOL *found, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p: stub\n", reader, localName, ns, found, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadValue( WS_XML_READER *reader, WS_VALUE_TYPE valueType, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", reader, valueType, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadXmlBuffer( WS_XML_READER *reader, WS_HEAP *heap, WS_XML_BUFFER **xmlBuffer, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", reader, heap, xmlBuffer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadXmlBufferFromBytes( WS_XML_READER *reader, const WS_XML_READER_ENCODING *encoding, const WS_XML_READER_PROPERTY *properties, ULONG propertyCount, const void *bytes, ULONG byteCount, WS_HEAP *heap, WS_XML_BUFFER **xmlBuffer, WS_ERROR *error )
{
    FIXME( "%p %p %p %lu %p %lu %p %p %p: stub\n", reader, encoding, properties, propertyCount, bytes, byteCount, heap, xmlBuffer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetInput( WS_XML_READER *reader, const WS_XML_READER_ENCODING *encoding, const WS_XML_READER_INPUT *input, const WS_XML_READER_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %lu %p: stub\n", reader, encoding, input, properties, propertyCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetInputToBuffer( WS_XML_READER *reader, WS_XML_BUFFER *buffer, const WS_XML_READER_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %lu %p: stub\n", reader, buffer, properties, propertyCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetReaderPosition( WS_XML_READER *reader, const WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", reader, nodePosition, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSkipNode( WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsStartReaderCanonicalization( WS_XML_READER *reader, WS_WRITE_CALLBACK writeCallback, void *writeCallbackState, const WS_XML_CANONICALIZATION_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %lu %p: stub\n", reader, writeCallback, writeCallbackState, properties, propertyCount, error );
    return E_NOTIMPL;
}
