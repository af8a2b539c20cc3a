/*
 * XML buffers (WS_XML_BUFFER): the node tree every buffer reader and writer shares.
 *
 * webservices_private.h describes the tree: a BOF root whose last child is
 * EOF, elements whose last child is their END_ELEMENT, CDATA nodes whose last
 * child is their END_CDATA.  Everything (the buffer object included) lives on
 * the buffer's WS_HEAP, so there is nothing to free.
 */

#include <string.h>
#include "webservices_private.h"

static struct ws_xml_node *alloc_node( WS_HEAP *heap, WS_XML_NODE_TYPE type )
{
    struct ws_xml_node *node = ws_heap_alloc_zero( heap, sizeof(*node) );

    if (node) node->u.node.nodeType = type;
    return node;
}

static void append_child( struct ws_xml_node *parent, struct ws_xml_node *child )
{
    child->parent = parent;
    child->prev = parent->last_child;
    child->next = NULL;
    if (parent->last_child) parent->last_child->next = child;
    else parent->first_child = child;
    parent->last_child = child;
}

HRESULT ws_xml_buffer_create( WS_HEAP *heap, struct ws_xml_buffer **ret, WS_ERROR *error )
{
    struct ws_xml_buffer *buffer;
    struct ws_xml_node *eof;
    HRESULT hr;

    if (FAILED(hr = ws_heap_alloc_hr( heap, sizeof(*buffer), (void **)&buffer, error ))) return hr;
    memset( buffer, 0, sizeof(*buffer) );
    ws_object_init( &buffer->obj, WS_OBJECT_XML_BUFFER );
    buffer->heap = heap;
    if (!(buffer->root = alloc_node( heap, WS_XML_NODE_TYPE_BOF )) || !(eof = alloc_node( heap, WS_XML_NODE_TYPE_EOF )))
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "heap %p: no room for an XML buffer's nodes", heap );
    append_child( buffer->root, eof );
    *ret = buffer;
    return S_OK;
}

struct ws_xml_node *ws_xml_node_next( const struct ws_xml_node *node )
{
    if (node->first_child) return node->first_child;
    while (node)
    {
        if (node->next) return node->next;
        node = node->parent;
    }
    return NULL;
}

HRESULT ws_xml_string_copy( WS_HEAP *heap, const WS_XML_STRING *src, WS_XML_STRING **copy, WS_ERROR *error )
{
    WS_XML_STRING *str;
    HRESULT hr;

    if (FAILED(hr = ws_heap_alloc_hr( heap, sizeof(*str) + (src ? src->length : 0), (void **)&str, error ))) return hr;
    memset( str, 0, sizeof(*str) );
    if (src && src->length)
    {
        str->bytes = (BYTE *)(str + 1);
        str->length = src->length;
        memcpy( str->bytes, src->bytes, src->length );
    }
    /* Dictionary references are not kept: the copy must not depend on a
     * dictionary the buffer does not own. */
    *copy = str;
    return S_OK;
}

/* Size of each text structure, and where its variable-length payload is. */
static HRESULT text_layout( const WS_XML_TEXT *text, SIZE_T *size, const BYTE **payload, ULONG *payload_len,
                            WS_ERROR *error )
{
    *payload = NULL;
    *payload_len = 0;
    switch (text->textType)
    {
    case WS_XML_TEXT_TYPE_UTF8:
    {
        const WS_XML_UTF8_TEXT *t = (const WS_XML_UTF8_TEXT *)text;
        *size = sizeof(*t);
        *payload = t->value.bytes;
        *payload_len = t->value.length;
        return S_OK;
    }
    case WS_XML_TEXT_TYPE_UTF16:
    {
        const WS_XML_UTF16_TEXT *t = (const WS_XML_UTF16_TEXT *)text;
        *size = sizeof(*t);
        *payload = t->bytes;
        *payload_len = t->byteCount;
        return S_OK;
    }
    case WS_XML_TEXT_TYPE_BASE64:
    {
        const WS_XML_BASE64_TEXT *t = (const WS_XML_BASE64_TEXT *)text;
        *size = sizeof(*t);
        *payload = t->bytes;
        *payload_len = t->length;
        return S_OK;
    }
    case WS_XML_TEXT_TYPE_BOOL:     *size = sizeof(WS_XML_BOOL_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_INT32:    *size = sizeof(WS_XML_INT32_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_INT64:    *size = sizeof(WS_XML_INT64_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_UINT64:   *size = sizeof(WS_XML_UINT64_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_FLOAT:    *size = sizeof(WS_XML_FLOAT_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_DOUBLE:   *size = sizeof(WS_XML_DOUBLE_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_DECIMAL:  *size = sizeof(WS_XML_DECIMAL_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_GUID:     *size = sizeof(WS_XML_GUID_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_UNIQUE_ID: *size = sizeof(WS_XML_UNIQUE_ID_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_DATETIME: *size = sizeof(WS_XML_DATETIME_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_TIMESPAN: *size = sizeof(WS_XML_TIMESPAN_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_QNAME:    *size = sizeof(WS_XML_QNAME_TEXT); return S_OK;
    case WS_XML_TEXT_TYPE_LIST:     *size = sizeof(WS_XML_LIST_TEXT); return S_OK;
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown text type %u", text->textType );
    }
}

HRESULT ws_xml_text_copy( WS_HEAP *heap, const WS_XML_TEXT *src, WS_XML_TEXT **copy, WS_ERROR *error )
{
    const BYTE *payload;
    ULONG payload_len;
    SIZE_T size = 0;
    BYTE *data;
    HRESULT hr;

    if (FAILED(hr = text_layout( src, &size, &payload, &payload_len, error ))) return hr;
    if (FAILED(hr = ws_heap_alloc_hr( heap, size + payload_len, (void **)&data, error ))) return hr;
    memcpy( data, src, size );
    if (payload_len) memcpy( data + size, payload, payload_len );

    switch (src->textType)
    {
    case WS_XML_TEXT_TYPE_UTF8:
        ((WS_XML_UTF8_TEXT *)data)->value.bytes = payload_len ? data + size : NULL;
        ((WS_XML_UTF8_TEXT *)data)->value.dictionary = NULL;
        ((WS_XML_UTF8_TEXT *)data)->value.id = 0;
        break;
    case WS_XML_TEXT_TYPE_UTF16:
        ((WS_XML_UTF16_TEXT *)data)->bytes = payload_len ? data + size : NULL;
        break;
    case WS_XML_TEXT_TYPE_BASE64:
        ((WS_XML_BASE64_TEXT *)data)->bytes = payload_len ? data + size : NULL;
        break;
    case WS_XML_TEXT_TYPE_QNAME:
    {
        const WS_XML_QNAME_TEXT *s = (const WS_XML_QNAME_TEXT *)src;
        WS_XML_QNAME_TEXT *d = (WS_XML_QNAME_TEXT *)data;
        if (FAILED(hr = ws_xml_string_copy( heap, s->prefix, &d->prefix, error ))) return hr;
        if (FAILED(hr = ws_xml_string_copy( heap, s->localName, &d->localName, error ))) return hr;
        if (FAILED(hr = ws_xml_string_copy( heap, s->ns, &d->ns, error ))) return hr;
        break;
    }
    case WS_XML_TEXT_TYPE_LIST:
    {
        const WS_XML_LIST_TEXT *s = (const WS_XML_LIST_TEXT *)src;
        WS_XML_LIST_TEXT *d = (WS_XML_LIST_TEXT *)data;
        ULONG i;
        if (FAILED(hr = ws_heap_alloc_hr( heap, (SIZE_T)s->itemCount * sizeof(*d->items), (void **)&d->items,
                                          error )))
            return hr;
        for (i = 0; i < s->itemCount; i++)
            if (FAILED(hr = ws_xml_text_copy( heap, s->items[i], &d->items[i], error ))) return hr;
        break;
    }
    default:
        break;
    }
    *copy = (WS_XML_TEXT *)data;
    return S_OK;
}

static HRESULT copy_attribute( WS_HEAP *heap, const WS_XML_ATTRIBUTE *src, WS_XML_ATTRIBUTE **copy, WS_ERROR *error )
{
    WS_XML_ATTRIBUTE *attr;
    HRESULT hr;

    if (FAILED(hr = ws_heap_alloc_hr( heap, sizeof(*attr), (void **)&attr, error ))) return hr;
    memset( attr, 0, sizeof(*attr) );
    attr->singleQuote = src->singleQuote;
    attr->isXmlNs = src->isXmlNs;
    if (FAILED(hr = ws_xml_string_copy( heap, src->prefix, &attr->prefix, error ))) return hr;
    if (src->localName && FAILED(hr = ws_xml_string_copy( heap, src->localName, &attr->localName, error ))) return hr;
    if (src->ns && FAILED(hr = ws_xml_string_copy( heap, src->ns, &attr->ns, error ))) return hr;
    if (src->value && FAILED(hr = ws_xml_text_copy( heap, src->value, &attr->value, error ))) return hr;
    *copy = attr;
    return S_OK;
}

static HRESULT copy_element( WS_HEAP *heap, const WS_XML_ELEMENT_NODE *src, WS_XML_ELEMENT_NODE *dst, WS_ERROR *error )
{
    HRESULT hr;
    ULONG i;

    dst->node.nodeType = WS_XML_NODE_TYPE_ELEMENT;
    dst->isEmpty = src->isEmpty;
    if (FAILED(hr = ws_xml_string_copy( heap, src->prefix, &dst->prefix, error ))) return hr;
    if (FAILED(hr = ws_xml_string_copy( heap, src->localName, &dst->localName, error ))) return hr;
    if (FAILED(hr = ws_xml_string_copy( heap, src->ns, &dst->ns, error ))) return hr;
    if (!src->attributeCount) return S_OK;
    if (FAILED(hr = ws_heap_alloc_hr( heap, (SIZE_T)src->attributeCount * sizeof(*dst->attributes),
                                      (void **)&dst->attributes, error )))
        return hr;
    for (i = 0; i < src->attributeCount; i++)
        if (FAILED(hr = copy_attribute( heap, src->attributes[i], &dst->attributes[i], error ))) return hr;
    dst->attributeCount = src->attributeCount;
    return S_OK;
}

HRESULT ws_xml_node_copy( WS_HEAP *heap, const WS_XML_NODE *node, struct ws_xml_node **copy, WS_ERROR *error )
{
    struct ws_xml_node *ret = NULL;
    HRESULT hr = S_OK;

    if (!(ret = alloc_node( heap, node->nodeType )))
        return ws_error_set( error, WS_E_QUOTA_EXCEEDED, "heap %p: no room for an XML node", heap );
    switch (node->nodeType)
    {
    case WS_XML_NODE_TYPE_ELEMENT:
        hr = copy_element( heap, (const WS_XML_ELEMENT_NODE *)node, &ret->u.element, error );
        break;
    case WS_XML_NODE_TYPE_TEXT:
        hr = ws_xml_text_copy( heap, ((const WS_XML_TEXT_NODE *)node)->text, &ret->u.text.text, error );
        break;
    case WS_XML_NODE_TYPE_COMMENT:
    {
        WS_XML_STRING *value;
        if (SUCCEEDED(hr = ws_xml_string_copy( heap, &((const WS_XML_COMMENT_NODE *)node)->value, &value, error )))
            ret->u.comment.value = *value;
        break;
    }
    case WS_XML_NODE_TYPE_END_ELEMENT:
    case WS_XML_NODE_TYPE_CDATA:
    case WS_XML_NODE_TYPE_END_CDATA:
    case WS_XML_NODE_TYPE_EOF:
    case WS_XML_NODE_TYPE_BOF:
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "unknown node type %u", node->nodeType );
    }
    if (FAILED(hr)) return hr;
    *copy = ret;
    return S_OK;
}

void ws_xml_node_insert_before( struct ws_xml_node *pos, struct ws_xml_node *node )
{
    struct ws_xml_node *parent = pos->parent;

    node->parent = parent;
    node->next = pos;
    node->prev = pos->prev;
    if (pos->prev) pos->prev->next = node;
    else if (parent) parent->first_child = node;
    pos->prev = node;
}

void ws_xml_node_remove( struct ws_xml_node *node )
{
    struct ws_xml_node *parent = node->parent;

    if (node->prev) node->prev->next = node->next;
    else if (parent) parent->first_child = node->next;
    if (node->next) node->next->prev = node->prev;
    else if (parent) parent->last_child = node->prev;
    node->parent = node->prev = node->next = NULL;
}

HRESULT WINAPI WsCreateXmlBuffer( WS_HEAP *heap, const WS_XML_BUFFER_PROPERTY *properties, ULONG propertyCount,
                                  WS_XML_BUFFER **buffer, WS_ERROR *error )
{
    struct ws_xml_buffer *ret;
    HRESULT hr;

    TRACE( "%p %p %lu %p %p\n", heap, properties, propertyCount, buffer, error );

    WS_CHECK_HANDLE( heap, WS_OBJECT_HEAP, error );
    if (!buffer) return ws_error_set( error, E_INVALIDARG, "buffer is NULL" );
    if (propertyCount && !properties)
        return ws_error_set( error, E_INVALIDARG, "%lu buffer properties but the array is NULL", propertyCount );
    /* WS_XML_BUFFER_PROPERTY_ID defines no property: any id is unknown. */
    if (propertyCount)
        return ws_error_set( error, E_INVALIDARG, "XML buffer property %lu does not exist", properties[0].id );
    if (FAILED(hr = ws_xml_buffer_create( heap, &ret, error ))) return hr;
    *buffer = (WS_XML_BUFFER *)ret;
    TRACE( "created %p\n", ret );
    return S_OK;
}
