/*
 * XML writer (WS_XML_WRITER) and XML buffers
 */

#include "webservices_private.h"

HRESULT WINAPI WsCopyNode( WS_XML_WRITER *writer, WS_XML_READER *reader, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", writer, reader, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateWriter( const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_XML_WRITER **writer, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", properties, propertyCount, writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsEndWriterCanonicalization( WS_XML_WRITER *writer, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsFlushWriter( WS_XML_WRITER *writer, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", writer, minSize, asyncContext, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeWriter( WS_XML_WRITER *writer )
{
    FIXME( "%p: stub\n", writer );
}

HRESULT WINAPI WsGetPrefixFromNamespace( WS_XML_WRITER *writer, const WS_XML_STRING *ns, BOOL required, const WS_XML_STRING **prefix, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %p: stub\n", writer, ns, required, prefix, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetWriterPosition( WS_XML_WRITER *writer, WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", writer, nodePosition, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetWriterProperty( WS_XML_WRITER *writer, WS_XML_WRITER_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", writer, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsMoveWriter( WS_XML_WRITER *writer, WS_MOVE_TO moveTo, BOOL *found, WS_ERROR *error )
{
    FIXME( "%p %d %p %p: stub\n", writer, moveTo, found, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsPullBytes( WS_XML_WRITER *writer, WS_PULL_BYTES_CALLBACK callback, void *callbackState, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", writer, callback, callbackState, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsPushBytes( WS_XML_WRITER *writer, WS_PUSH_BYTES_CALLBACK callback, void *callbackState, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", writer, callback, callbackState, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRemoveNode( const WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", nodePosition, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetOutput( WS_XML_WRITER *writer, const WS_XML_WRITER_ENCODING *encoding, const WS_XML_WRITER_OUTPUT *output, const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %lu %p: stub\n", writer, encoding, output, properties, propertyCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetOutputToBuffer( WS_XML_WRITER *writer, WS_XML_BUFFER *buffer, const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %lu %p: stub\n", writer, buffer, properties, propertyCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetWriterPosition( WS_XML_WRITER *writer, const WS_XML_NODE_POSITION *nodePosition, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", writer, nodePosition, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsStartWriterCanonicalization( WS_XML_WRITER *writer, WS_WRITE_CALLBACK writeCallback, void *writeCallbackState, const WS_XML_CANONICALIZATION_PROPERTY *properties, ULONG propertyCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %lu %p: stub\n", writer, writeCallback, writeCallbackState, properties, propertyCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteArray( WS_XML_WRITER *writer, const WS_XML_STRING *localName, const WS_XML_STRING *ns, WS_VALUE_TYPE valueType, const void *array, ULONG arraySize, ULONG itemOffset, ULONG itemCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p %lu %lu %lu %p: stub\n", writer, localName, ns, valueType, array, arraySize, itemOffset, itemCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteBytes( WS_XML_WRITER *writer, const void *bytes, ULONG byteCount, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p: stub\n", writer, bytes, byteCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteChars( WS_XML_WRITER *writer, const WCHAR *chars, ULONG charCount, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p: stub\n", writer, chars, charCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteCharsUtf8( WS_XML_WRITER *writer, const BYTE *bytes, ULONG byteCount, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p: stub\n", writer, bytes, byteCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteEndAttribute( WS_XML_WRITER *writer, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteEndCData( WS_XML_WRITER *writer, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteEndElement( WS_XML_WRITER *writer, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteEndStartElement( WS_XML_WRITER *writer, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteNode( WS_XML_WRITER *writer, const WS_XML_NODE *node, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", writer, node, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteQualifiedName( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *localName, const WS_XML_STRING *ns, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p: stub\n", writer, prefix, localName, ns, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteStartAttribute( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *localName, const WS_XML_STRING *ns, BOOL singleQuote, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %d %p: stub\n", writer, prefix, localName, ns, singleQuote, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteStartCData( WS_XML_WRITER *writer, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", writer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteStartElement( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *localName, const WS_XML_STRING *ns, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p: stub\n", writer, prefix, localName, ns, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteText( WS_XML_WRITER *writer, const WS_XML_TEXT *text, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", writer, text, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteValue( WS_XML_WRITER *writer, WS_VALUE_TYPE valueType, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", writer, valueType, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteXmlBuffer( WS_XML_WRITER *writer, WS_XML_BUFFER *xmlBuffer, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", writer, xmlBuffer, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteXmlBufferToBytes( WS_XML_WRITER *writer, WS_XML_BUFFER *xmlBuffer, const WS_XML_WRITER_ENCODING *encoding, const WS_XML_WRITER_PROPERTY *properties, ULONG propertyCount, WS_HEAP *heap, void **bytes, ULONG *byteCount, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %lu %p %p %p %p: stub\n", writer, xmlBuffer, encoding, properties, propertyCount, heap, bytes, byteCount, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteXmlnsAttribute( WS_XML_WRITER *writer, const WS_XML_STRING *prefix, const WS_XML_STRING *ns, BOOL singleQuote, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p: stub\n", writer, prefix, ns, singleQuote, error );
    return E_NOTIMPL;
}
