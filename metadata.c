/*
 * Metadata and policy (WS_METADATA, WS_POLICY)
 */

#include "webservices_private.h"

HRESULT WINAPI WsCreateMetadata( const WS_METADATA_PROPERTY *properties, ULONG propertyCount, WS_METADATA **metadata, WS_ERROR *error )
{
    FIXME( "%p %lu %p %p: stub\n", properties, propertyCount, metadata, error );
    return E_NOTIMPL;
}

void WINAPI WsFreeMetadata( WS_METADATA *metadata )
{
    FIXME( "%p: stub\n", metadata );
}

HRESULT WINAPI WsGetMetadataEndpoints( WS_METADATA *metadata, WS_METADATA_ENDPOINTS *endpoints, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", metadata, endpoints, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetMetadataProperty( WS_METADATA *metadata, WS_METADATA_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", metadata, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetMissingMetadataDocumentAddress( WS_METADATA *metadata, WS_ENDPOINT_ADDRESS **address, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", metadata, address, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetPolicyAlternativeCount( WS_POLICY *policy, ULONG *count, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", policy, count, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsGetPolicyProperty( WS_POLICY *policy, WS_POLICY_PROPERTY_ID id, void *value, ULONG valueSize, WS_ERROR *error )
{
    FIXME( "%p %d %p %lu %p: stub\n", policy, id, value, valueSize, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsMatchPolicyAlternative( WS_POLICY *policy, ULONG alternativeIndex, WS_POLICY_CONSTRAINTS *policyConstraints, BOOL matchRequired, WS_HEAP *heap, WS_ERROR *error )
{
    FIXME( "%p %lu %p %d %p %p: stub\n", policy, alternativeIndex, policyConstraints, matchRequired, heap, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsReadMetadata( WS_METADATA *metadata, WS_XML_READER *reader, const WS_STRING *url, WS_ERROR *error )
{
    FIXME( "%p %p %p %p: stub\n", metadata, reader, url, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsResetMetadata( WS_METADATA *metadata, WS_ERROR *error )
{
    FIXME( "%p %p: stub\n", metadata, error );
    return E_NOTIMPL;
}
