/*
 * Messages (WS_MESSAGE): envelopes, headers, bodies
 */

#include "webservices_private.h"

HRESULT WINAPI WsAddCustomHeader( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *headerDescription, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, ULONG headerAttributes, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %lu %lu %p: stub\n", message, headerDescription, writeOption, value, valueSize, headerAttributes, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsAddMappedHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName, WS_TYPE valueType, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %d %p %lu %p: stub\n", message, headerName, valueType, writeOption, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsAddressMessage( WS_MESSAGE *message, const WS_ENDPOINT_ADDRESS *address, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", message, address, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCheckMustUnderstandHeaders( WS_MESSAGE *message, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateMessage( WS_ENVELOPE_VERSION envelopeVersion, WS_ADDRESSING_VERSION addressingVersion, const WS_MESSAGE_PROPERTY *properties, ULONG propertyCount, WS_MESSAGE **message, WS_ERROR *error )
{
    FIXME( "%d %d %p %lu %p %p: stub\n", envelopeVersion, addressingVersion, properties, propertyCount, message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateMessageForChannel( WS_CHANNEL *channel, const WS_MESSAGE_PROPERTY *properties, ULONG propertyCount, WS_MESSAGE **message, WS_ERROR *error )
{
    FIXME( "%p %p %lu %p %p: stub\n", channel, properties, propertyCount, message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsFillBody( WS_MESSAGE *message, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", message, minSize, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsFlushBody( WS_MESSAGE *message, ULONG minSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", message, minSize, asyncContext, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeMessage( WS_MESSAGE *message )
{
    FIXME( "%p: stub\n", message );
}

HRESULT WINAPI WsGetCustomHeader( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *customHeaderDescription, WS_REPEATING_HEADER_OPTION repeatingOption, ULONG headerIndex, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, ULONG *headerAttributes, WS_ERROR *error )
{
    FIXME( "%p %p %d %lu %d %p %p %lu %p %p: stub\n", message, customHeaderDescription, repeatingOption, headerIndex, readOption, heap, value, valueSize, headerAttributes, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetHeader( WS_MESSAGE *message, WS_HEADER_TYPE headerType, WS_TYPE valueType, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %d %d %p %p %lu %p: stub\n", message, headerType, valueType, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetHeaderAttributes( WS_MESSAGE *message, WS_XML_READER *reader, ULONG *headerAttributes, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", message, reader, headerAttributes, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetMappedHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName, WS_REPEATING_HEADER_OPTION repeatingOption, ULONG headerIndex, WS_TYPE valueType, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %lu %d %d %p %p %lu %p: stub\n", message, headerName, repeatingOption, headerIndex, valueType, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetMessageProperty( WS_MESSAGE *message, WS_MESSAGE_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", message, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsInitializeMessage( WS_MESSAGE *message, WS_MESSAGE_INITIALIZATION initialization, WS_MESSAGE *sourceMessage, WS_ERROR *error )
{
    FIXME( "%p %d %p %p: stub\n", message, initialization, sourceMessage, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsMarkHeaderAsUnderstood( WS_MESSAGE *message, const WS_XML_NODE_POSITION *headerPosition, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", message, headerPosition, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadBody( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *bodyDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %p %lu %p: stub\n", message, bodyDescription, readOption, heap, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadEnvelopeEnd( WS_MESSAGE *message, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadEnvelopeStart( WS_MESSAGE *message, WS_XML_READER *reader, WS_MESSAGE_DONE_CALLBACK doneCallback, void *doneCallbackState, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p: stub\n", message, reader, doneCallback, doneCallbackState, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadMessageEnd( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", channel, message, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadMessageStart( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", channel, message, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRemoveCustomHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName, const WS_XML_STRING *headerNs, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", message, headerName, headerNs, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRemoveHeader( WS_MESSAGE *message, WS_HEADER_TYPE headerType, WS_ERROR *error )
{
    FIXME( "%p %d %p: stub\n", message, headerType, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRemoveMappedHeader( WS_MESSAGE *message, const WS_XML_STRING *headerName, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", message, headerName, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetMessage( WS_MESSAGE *message, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetHeader( WS_MESSAGE *message, WS_HEADER_TYPE headerType, WS_TYPE valueType, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %d %d %p %lu %p: stub\n", message, headerType, valueType, writeOption, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetMessageProperty( WS_MESSAGE *message, WS_MESSAGE_PROPERTY_ID id, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", message, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteBody( WS_MESSAGE *message, const WS_ELEMENT_DESCRIPTION *bodyDescription, WS_WRITE_OPTION writeOption, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %p %d %p %lu %p: stub\n", message, bodyDescription, writeOption, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteEnvelopeEnd( WS_MESSAGE *message, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteEnvelopeStart( WS_MESSAGE *message, WS_XML_WRITER *writer, WS_MESSAGE_DONE_CALLBACK doneCallback, void *doneCallbackState, WS_ERROR *error )
{
    FIXME( "%p %p %p %p %p: stub\n", message, writer, doneCallback, doneCallbackState, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteMessageEnd( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", channel, message, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsWriteMessageStart( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", channel, message, asyncContext, error );
    return E_NOTIMPL;
}
