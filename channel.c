/*
 * Channels (WS_CHANNEL)
 */

#include "webservices_private.h"

HRESULT WINAPI WsAbandonMessage( WS_CHANNEL *channel, WS_MESSAGE *message, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", channel, message, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsAbortChannel( WS_CHANNEL *channel, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", channel, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCloseChannel( WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", channel, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsCreateChannel( WS_CHANNEL_TYPE channelType, WS_CHANNEL_BINDING channelBinding, const WS_CHANNEL_PROPERTY *properties, ULONG propertyCount, const WS_SECURITY_DESCRIPTION *securityDescription, WS_CHANNEL **channel, WS_ERROR *error )
{
    FIXME( "%d %d %p %lu %p %p %p: stub\n", channelType, channelBinding, properties, propertyCount, securityDescription, channel, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeChannel( WS_CHANNEL *channel )
{
    FIXME( "%p: stub\n", channel );
}

HRESULT WINAPI WsGetChannelProperty( WS_CHANNEL *channel, WS_CHANNEL_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", channel, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsOpenChannel( WS_CHANNEL *channel, const WS_ENDPOINT_ADDRESS *endpointAddress, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", channel, endpointAddress, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReceiveMessage( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_MESSAGE_DESCRIPTION **messageDescriptions, ULONG messageDescriptionCount, WS_RECEIVE_OPTION receiveOption, WS_READ_OPTION readBodyOption, WS_HEAP *heap, void *value, ULONG valueSize, ULONG *index, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %lu %d %d %p %p %lu %p %p %p: stub\n", channel, message, messageDescriptions, messageDescriptionCount, receiveOption, readBodyOption, heap, value, valueSize, index, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsRequestReply( WS_CHANNEL *channel, WS_MESSAGE *requestMessage, const WS_MESSAGE_DESCRIPTION *requestMessageDescription, WS_WRITE_OPTION writeOption, const void *requestBodyValue, ULONG requestBodyValueSize, WS_MESSAGE *replyMessage, const WS_MESSAGE_DESCRIPTION *replyMessageDescription, WS_READ_OPTION readOption, WS_HEAP *heap, void *value, ULONG valueSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p %lu %p %p %d %p %p %lu %p %p: stub\n", channel, requestMessage, requestMessageDescription, writeOption, requestBodyValue, requestBodyValueSize, replyMessage, replyMessageDescription, readOption, heap, value, valueSize, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetChannel( WS_CHANNEL *channel, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", channel, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSendFaultMessageForError( WS_CHANNEL *channel, WS_MESSAGE *replyMessage, WS_ERROR *faultError, HRESULT faultErrorCode, WS_FAULT_DISCLOSURE faultDisclosure, WS_MESSAGE *requestMessage, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %#lx %d %p %p %p: stub\n", channel, replyMessage, faultError, faultErrorCode, faultDisclosure, requestMessage, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSendMessage( WS_CHANNEL *channel, WS_MESSAGE *message, const WS_MESSAGE_DESCRIPTION *messageDescription, WS_WRITE_OPTION writeOption, const void *bodyValue, ULONG bodyValueSize, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p %lu %p %p: stub\n", channel, message, messageDescription, writeOption, bodyValue, bodyValueSize, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSendReplyMessage( WS_CHANNEL *channel, WS_MESSAGE *replyMessage, const WS_MESSAGE_DESCRIPTION *replyMessageDescription, WS_WRITE_OPTION writeOption, const void *replyBodyValue, ULONG replyBodyValueSize, WS_MESSAGE *requestMessage, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p %d %p %lu %p %p %p: stub\n", channel, replyMessage, replyMessageDescription, writeOption, replyBodyValue, replyBodyValueSize, requestMessage, asyncContext, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsSetChannelProperty( WS_CHANNEL *channel, WS_CHANNEL_PROPERTY_ID id, const void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", channel, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsShutdownSessionChannel( WS_CHANNEL *channel, const WS_ASYNC_CONTEXT *asyncContext, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", channel, asyncContext, error );
    return E_NOTIMPL;
}
