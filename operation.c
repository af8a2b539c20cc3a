/*
 * Operations (WS_OPERATION_DESCRIPTION): parameters to and from message bodies
 *
 * One mapping for both sides of a service operation.  The body element of a
 * WS_MESSAGE_DESCRIPTION is a WS_STRUCT_TYPE element (document/literal: the
 * wrapper element; RPC/literal: the element named after the operation, whose
 * fields are the parts), and each WS_PARAMETER_DESCRIPTION names the field
 * of that struct it travels in (inputMessageIndex / outputMessageIndex,
 * 0xffff when not in that message).  So a body is written by filling a
 * temporary instance of the body struct from the parameters and handing it to
 * WsWriteBody, and read by WsReadBody into such an instance whose fields are
 * then handed out to the parameters: the serializer does all the XML work.
 *
 * Argument conventions (WsCall's "array of pointers to the arguments"):
 *   - proxy side: a parameter that is only in the input message points at
 *     its value; a parameter that is in the output message (out or in/out)
 *     points at the caller's pointer to its storage (T ** for a T value);
 *   - service side (call frame): every argument points at its storage.
 * An ARRAY parameter's value is the item pointer of a
 * WS_REPEATING_ELEMENT_FIELD_MAPPING field, its ARRAY_COUNT parameter (same
 * field index) the ULONG item count at the field's countOffset.
 */

#include <stdlib.h>
#include <string.h>
#include "webservices_private.h"

#define NOT_IN_MESSAGE 0xffff

/* Storage size of a field's value in the body struct. */
static ULONG field_value_size( const WS_FIELD_DESCRIPTION *field )
{
    if (field->options & WS_FIELD_POINTER) return sizeof(void *);
    return ws_type_storage_size( field->type, field->typeDescription );
}

static BOOL is_array_field( const WS_FIELD_DESCRIPTION *field )
{
    return field->mapping == WS_REPEATING_ELEMENT_FIELD_MAPPING ||
           field->mapping == WS_REPEATING_ELEMENT_CHOICE_FIELD_MAPPING ||
           field->mapping == WS_REPEATING_ANY_ELEMENT_FIELD_MAPPING;
}

/* The body struct of MSG, or NULL with *HR set (S_OK: the message has no body). */
static const WS_STRUCT_DESCRIPTION *body_struct( const WS_MESSAGE_DESCRIPTION *msg, HRESULT *hr, WS_ERROR *error )
{
    const WS_ELEMENT_DESCRIPTION *elem = msg ? msg->bodyElementDescription : NULL;

    *hr = S_OK;
    if (!elem) return NULL;
    /* Parameters index the fields of a struct body; any other body is one
     * WS_PARAMETER_TYPE_MESSAGES parameter (message_param). */
    if (elem->type != WS_STRUCT_TYPE || !elem->typeDescription)
    {
        *hr = ws_error_set( error, E_INVALIDARG, "a body element of type %d needs a WS_PARAMETER_TYPE_MESSAGES "
                            "parameter (only WS_STRUCT_TYPE bodies map parameters to fields)", elem->type );
        return NULL;
    }
    return elem->typeDescription;
}

enum op_side { OP_PROXY, OP_SERVICE };

/* Where parameter I's value lives, for SIDE (see the conventions above). */
static void *param_storage( const WS_OPERATION_DESCRIPTION *op, ULONG i, const void **args, enum op_side side )
{
    const void *arg = args[i];

    if (!arg) return NULL;
    if (side == OP_PROXY && op->parameterDescription[i].outputMessageIndex != NOT_IN_MESSAGE)
        return *(void * const *)arg;
    return (void *)arg;
}

/* Checks parameter I's mapping to field INDEX of BODY. */
static HRESULT check_param( const WS_STRUCT_DESCRIPTION *body, const WS_PARAMETER_DESCRIPTION *param, ULONG i,
                            USHORT index, WS_ERROR *error )
{
    const WS_FIELD_DESCRIPTION *field;

    if (index >= body->fieldCount || !body->fields || !(field = body->fields[index]))
        return ws_error_set( error, E_INVALIDARG, "parameter %lu: field %u is not in the body struct (%lu fields)",
                             i, index, body->fieldCount );
    switch (param->parameterType)
    {
    case WS_PARAMETER_TYPE_NORMAL:
        if (!field_value_size( field ))
            return ws_error_set( error, E_INVALIDARG, "parameter %lu: field %u has an unsupported type %d",
                                 i, index, field->type );
        if (is_array_field( field ))
            return ws_error_set( error, E_INVALIDARG, "parameter %lu: field %u is an array, the parameter is not", i, index );
        return S_OK;
    case WS_PARAMETER_TYPE_ARRAY:
    case WS_PARAMETER_TYPE_ARRAY_COUNT:
        if (!is_array_field( field ))
            return ws_error_set( error, E_INVALIDARG, "parameter %lu: field %u is not an array field", i, index );
        return S_OK;
    case WS_PARAMETER_TYPE_MESSAGES:
        /* Stands for the whole body (message_param); never a field. */
        return ws_error_set( error, E_INVALIDARG, "parameter %lu: a WS_PARAMETER_TYPE_MESSAGES parameter must be the "
                             "only parameter of its message", i );
    default:
        return ws_error_set( error, E_INVALIDARG, "parameter %lu: unknown parameter type %d", i, param->parameterType );
    }
}

/* Bytes of field FIELD that parameter type TYPE covers, and their offset in the struct. */
static ULONG param_part( const WS_FIELD_DESCRIPTION *field, WS_PARAMETER_TYPE type, ULONG *offset )
{
    switch (type)
    {
    case WS_PARAMETER_TYPE_ARRAY:       *offset = field->offset; return sizeof(void *);
    case WS_PARAMETER_TYPE_ARRAY_COUNT: *offset = field->countOffset; return sizeof(ULONG);
    default:                            *offset = field->offset; return field_value_size( field );
    }
}

static USHORT message_index( const WS_PARAMETER_DESCRIPTION *param, BOOL input )
{
    return input ? param->inputMessageIndex : param->outputMessageIndex;
}

/* WS_PARAMETER_TYPE_MESSAGES: "Parameter is a WSDL message element", the body
 * element as a whole (WS_OPERATION_DESCRIPTION requires it for
 * WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT), so its value is the body
 * element's value, of any type; with NILLABLE_ELEMENT a pointer to it (NULL:
 * a nil element).  The parameter whose body is the INPUT or output message,
 * or -1. */
static int message_param( const WS_OPERATION_DESCRIPTION *op, BOOL input )
{
    ULONG i;

    for (i = 0; i < op->parameterCount; i++)
        if (op->parameterDescription[i].parameterType == WS_PARAMETER_TYPE_MESSAGES &&
            message_index( &op->parameterDescription[i], input ) != NOT_IN_MESSAGE) return i;
    return -1;
}

static BOOL nillable_message( const WS_OPERATION_DESCRIPTION *op, BOOL input )
{
    ULONG options = input ? op->inputMessageOptions : op->outputMessageOptions;
    return (options & WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT) != 0;
}

/* Size and alignment of a WS_PARAMETER_TYPE_MESSAGES value of ELEM. */
static ULONG message_value_size( const WS_OPERATION_DESCRIPTION *op, BOOL input, const WS_ELEMENT_DESCRIPTION *elem,
                                 ULONG *align )
{
    if (nillable_message( op, input ))
    {
        *align = __alignof__(void *);
        return sizeof(void *);
    }
    *align = ws_type_storage_alignment( elem->type, elem->typeDescription );
    return ws_type_storage_size( elem->type, elem->typeDescription );
}

/* Checks the message whose body a WS_PARAMETER_TYPE_MESSAGES parameter M is. */
static HRESULT check_message_param( const WS_OPERATION_DESCRIPTION *op, BOOL input, int m, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    ULONG i, align;

    if (!desc || !desc->bodyElementDescription)
        return ws_error_set( error, E_INVALIDARG, "parameter %d stands for a message body that does not exist", m );
    if (!message_value_size( op, input, desc->bodyElementDescription, &align ))
        return ws_error_set( error, E_INVALIDARG, "parameter %d: unsupported body type %d", m,
                             desc->bodyElementDescription->type );
    for (i = 0; i < op->parameterCount; i++)
        if (i != (ULONG)m && message_index( &op->parameterDescription[i], input ) != NOT_IN_MESSAGE)
            return ws_error_set( error, E_INVALIDARG, "parameter %lu shares the %s message with the message "
                                 "parameter %d", i, input ? "input" : "output", m );
    return S_OK;
}

static HRESULT write_message_param( const WS_OPERATION_DESCRIPTION *op, BOOL input, int m, WS_MESSAGE *message,
                                    const void **args, enum op_side side, WS_ERROR *error );
static HRESULT read_message_param( const WS_OPERATION_DESCRIPTION *op, BOOL input, int m, WS_MESSAGE *message,
                                   const void **args, enum op_side side, WS_HEAP *heap, WS_ERROR *error );

static HRESULT check_operation( const WS_OPERATION_DESCRIPTION *op, const void **args, WS_ERROR *error )
{
    if (!op) return ws_error_set( error, E_INVALIDARG, "operation is NULL" );
    if (op->parameterCount && !op->parameterDescription)
        return ws_error_set( error, E_INVALIDARG, "operation has %u parameters but no descriptions", op->parameterCount );
    if (op->parameterCount && !args)
        return ws_error_set( error, E_INVALIDARG, "operation has %u parameters but arguments is NULL", op->parameterCount );
    return S_OK;
}

/* Copies between BUF (an instance of BODY) and the parameters of the INPUT or
 * output message: into BUF when TO_BODY, else out of it. */
static HRESULT copy_params( const WS_OPERATION_DESCRIPTION *op, const WS_STRUCT_DESCRIPTION *body, BOOL input,
                            const void **args, enum op_side side, BYTE *buf, BOOL to_body, WS_ERROR *error )
{
    ULONG i, offset, size;
    HRESULT hr;

    for (i = 0; i < op->parameterCount; i++)
    {
        const WS_PARAMETER_DESCRIPTION *param = &op->parameterDescription[i];
        USHORT index = message_index( param, input );
        BYTE *value;

        if (index == NOT_IN_MESSAGE) continue;
        if (FAILED(hr = check_param( body, param, i, index, error ))) return hr;
        if (!(value = param_storage( op, i, args, side )))
            return ws_error_set( error, E_INVALIDARG, "argument %lu is NULL", i );
        size = param_part( body->fields[index], param->parameterType, &offset );
        if (offset + size > body->size)
            return ws_error_set( error, E_INVALIDARG, "parameter %lu: field %u lies outside the body struct", i, index );
        if (to_body) memcpy( buf + offset, value, size );
        else memcpy( value, buf + offset, size );
    }
    return S_OK;
}

static HRESULT write_body( const WS_OPERATION_DESCRIPTION *op, BOOL input, WS_MESSAGE *message,
                           const void **args, enum op_side side, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    const WS_STRUCT_DESCRIPTION *body;
    int m = message_param( op, input );
    BYTE *buf;
    HRESULT hr;

    if (m >= 0) return write_message_param( op, input, m, message, args, side, error );
    if (!(body = body_struct( desc, &hr, error ))) return hr;
    if (!(buf = calloc( 1, body->size ? body->size : 1 )))
        return ws_error_set( error, E_OUTOFMEMORY, "out of memory for the message body" );
    if (SUCCEEDED(hr = copy_params( op, body, input, args, side, buf, TRUE, error )))
        hr = WsWriteBody( message, desc->bodyElementDescription, WS_WRITE_REQUIRED_VALUE, buf, body->size, error );
    free( buf );
    return hr;
}

static HRESULT read_body( const WS_OPERATION_DESCRIPTION *op, BOOL input, WS_MESSAGE *message,
                          const void **args, enum op_side side, WS_HEAP *heap, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    const WS_STRUCT_DESCRIPTION *body;
    int m = message_param( op, input );
    void *buf;
    HRESULT hr;

    if (m >= 0) return read_message_param( op, input, m, message, args, side, heap, error );
    if (!(body = body_struct( desc, &hr, error ))) return hr;
    if (FAILED(hr = ws_heap_alloc_hr( heap, body->size, &buf, error ))) return hr;
    memset( buf, 0, body->size );
    if (FAILED(hr = WsReadBody( message, desc->bodyElementDescription, WS_READ_REQUIRED_VALUE, heap, buf,
                                body->size, error ))) return hr;
    return copy_params( op, body, input, args, side, buf, FALSE, error );
}

/* The storage and size of message parameter M's value. */
static HRESULT message_param_value( const WS_OPERATION_DESCRIPTION *op, BOOL input, int m, const void **args,
                                    enum op_side side, void **value, ULONG *size, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    ULONG align;
    HRESULT hr;

    if (FAILED(hr = check_message_param( op, input, m, error ))) return hr;
    if (!(*value = param_storage( op, m, args, side ))) return ws_error_set( error, E_INVALIDARG, "argument %d is NULL", m );
    *size = message_value_size( op, input, desc->bodyElementDescription, &align );
    return S_OK;
}

static HRESULT write_message_param( const WS_OPERATION_DESCRIPTION *op, BOOL input, int m, WS_MESSAGE *message,
                                    const void **args, enum op_side side, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    void *value;
    ULONG size;
    HRESULT hr;

    if (FAILED(hr = message_param_value( op, input, m, args, side, &value, &size, error ))) return hr;
    return WsWriteBody( message, desc->bodyElementDescription,
                        nillable_message( op, input ) ? WS_WRITE_NILLABLE_POINTER : WS_WRITE_REQUIRED_VALUE,
                        value, size, error );
}

static HRESULT read_message_param( const WS_OPERATION_DESCRIPTION *op, BOOL input, int m, WS_MESSAGE *message,
                                   const void **args, enum op_side side, WS_HEAP *heap, WS_ERROR *error )
{
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    void *value;
    ULONG size;
    HRESULT hr;

    if (FAILED(hr = message_param_value( op, input, m, args, side, &value, &size, error ))) return hr;
    return WsReadBody( message, desc->bodyElementDescription,
                       nillable_message( op, input ) ? WS_READ_NILLABLE_POINTER : WS_READ_REQUIRED_VALUE,
                       heap, value, size, error );
}

HRESULT ws_operation_write_input( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, const void **args,
                                  WS_ERROR *error )
{
    HRESULT hr;
    if (FAILED(hr = check_operation( op, args, error ))) return hr;
    return write_body( op, TRUE, message, args, OP_PROXY, error );
}

HRESULT ws_operation_read_output( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, const void **args,
                                  WS_HEAP *heap, WS_ERROR *error )
{
    HRESULT hr;
    if (FAILED(hr = check_operation( op, args, error ))) return hr;
    return read_body( op, FALSE, message, args, OP_PROXY, heap, error );
}

HRESULT ws_operation_read_input( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, void **frame,
                                 WS_HEAP *heap, WS_ERROR *error )
{
    HRESULT hr;
    if (FAILED(hr = check_operation( op, (const void **)frame, error ))) return hr;
    return read_body( op, TRUE, message, (const void **)frame, OP_SERVICE, heap, error );
}

HRESULT ws_operation_write_output( const WS_OPERATION_DESCRIPTION *op, WS_MESSAGE *message, void **frame,
                                   WS_ERROR *error )
{
    HRESULT hr;
    if (FAILED(hr = check_operation( op, (const void **)frame, error ))) return hr;
    return write_body( op, FALSE, message, (const void **)frame, OP_SERVICE, error );
}

/* Checks every parameter against the message bodies before anything is sent. */
HRESULT ws_operation_check( const WS_OPERATION_DESCRIPTION *op, WS_ERROR *error )
{
    const WS_STRUCT_DESCRIPTION *in, *out;
    HRESULT hr;
    ULONG i;

    if (!op) return ws_error_set( error, E_INVALIDARG, "operation is NULL" );
    if (!op->inputMessageDescription) return ws_error_set( error, E_INVALIDARG, "the operation has no input message" );
    if (op->style != WS_NON_RPC_LITERAL_OPERATION && op->style != WS_RPC_LITERAL_OPERATION)
        return ws_error_set( error, E_INVALIDARG, "unknown operation style %d", op->style );
    if (op->parameterCount && !op->parameterDescription)
        return ws_error_set( error, E_INVALIDARG, "operation has %u parameters but no descriptions", op->parameterCount );
    if ((op->inputMessageOptions | op->outputMessageOptions) & ~WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT)
        return ws_error_set( error, E_INVALIDARG, "unknown message options %#lx / %#lx", op->inputMessageOptions,
                             op->outputMessageOptions );
    for (i = 0; i < 2; i++)
    {
        BOOL input = !i;
        int m = message_param( op, input );

        /* WS_OPERATION_DESCRIPTION: not for RPC operations, and only with a message parameter. */
        if (nillable_message( op, input ) && (op->style == WS_RPC_LITERAL_OPERATION || m < 0))
            return ws_error_set( error, E_INVALIDARG, "WS_SERVICE_OPERATION_MESSAGE_NILLABLE_ELEMENT needs a "
                                 "document/literal operation with a WS_PARAMETER_TYPE_MESSAGES parameter" );
        if (m >= 0 && FAILED(hr = check_message_param( op, input, m, error ))) return hr;
    }
    in = message_param( op, TRUE ) >= 0 ? NULL : body_struct( op->inputMessageDescription, &hr, error );
    if (FAILED(hr)) return hr;
    out = message_param( op, FALSE ) >= 0 ? NULL : body_struct( op->outputMessageDescription, &hr, error );
    if (FAILED(hr)) return hr;
    for (i = 0; i < op->parameterCount; i++)
    {
        const WS_PARAMETER_DESCRIPTION *param = &op->parameterDescription[i];

        if (param->parameterType == WS_PARAMETER_TYPE_MESSAGES)
        {
            if (param->outputMessageIndex != NOT_IN_MESSAGE && !op->outputMessageDescription)
                return ws_error_set( error, E_INVALIDARG, "parameter %lu is an output of a one-way operation", i );
            continue;
        }

        if (param->inputMessageIndex != NOT_IN_MESSAGE)
        {
            if (!in) return ws_error_set( error, E_INVALIDARG, "parameter %lu is in an input message without body", i );
            if (FAILED(hr = check_param( in, param, i, param->inputMessageIndex, error ))) return hr;
        }
        if (param->outputMessageIndex != NOT_IN_MESSAGE)
        {
            if (!op->outputMessageDescription)
                return ws_error_set( error, E_INVALIDARG, "parameter %lu is an output of a one-way operation", i );
            if (!out) return ws_error_set( error, E_INVALIDARG, "parameter %lu is in an output message without body", i );
            if (FAILED(hr = check_param( out, param, i, param->outputMessageIndex, error ))) return hr;
        }
    }
    return S_OK;
}

/* The field parameter I travels in (input message first), or NULL. */
static const WS_FIELD_DESCRIPTION *param_field( const WS_OPERATION_DESCRIPTION *op, ULONG i, WS_ERROR *error,
                                                HRESULT *hr )
{
    const WS_PARAMETER_DESCRIPTION *param = &op->parameterDescription[i];
    BOOL input = param->inputMessageIndex != NOT_IN_MESSAGE;
    const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;
    USHORT index = message_index( param, input );
    const WS_STRUCT_DESCRIPTION *body;

    *hr = S_OK;
    if (index == NOT_IN_MESSAGE)
    {
        *hr = ws_error_set( error, E_INVALIDARG, "parameter %lu is in neither message", i );
        return NULL;
    }
    if (!(body = body_struct( desc, hr, error )))
    {
        if (SUCCEEDED(*hr)) *hr = ws_error_set( error, E_INVALIDARG, "parameter %lu is in a message without body", i );
        return NULL;
    }
    if (FAILED(*hr = check_param( body, param, i, index, error ))) return NULL;
    return body->fields[index];
}

/* Size and alignment of parameter I's member of the call frame. */
static void frame_member( const WS_FIELD_DESCRIPTION *field, WS_PARAMETER_TYPE type, ULONG *size, ULONG *align )
{
    switch (type)
    {
    case WS_PARAMETER_TYPE_ARRAY:       *size = sizeof(void *); *align = __alignof__(void *); return;
    case WS_PARAMETER_TYPE_ARRAY_COUNT: *size = sizeof(ULONG); *align = __alignof__(ULONG); return;
    default: break;
    }
    if (field->options & WS_FIELD_POINTER)
    {
        *size = sizeof(void *);
        *align = __alignof__(void *);
        return;
    }
    *size = field_value_size( field );
    *align = ws_type_storage_alignment( field->type, field->typeDescription );
    if (!*align) *align = 1;
}

/* wsutil's ParamStruct (the wsdl-support page): each parameter by value, in
 * parameter order, laid out as the C compiler lays out a struct. */
HRESULT ws_operation_frame_layout( const WS_OPERATION_DESCRIPTION *op, ULONG *offsets, ULONG *size, WS_ERROR *error )
{
    ULONG i, offset = 0, max_align = 1, member_size, align;
    const WS_FIELD_DESCRIPTION *field;
    HRESULT hr;

    if (op->parameterCount && !op->parameterDescription)
        return ws_error_set( error, E_INVALIDARG, "operation has %u parameters but no descriptions", op->parameterCount );
    for (i = 0; i < op->parameterCount; i++)
    {
        const WS_PARAMETER_DESCRIPTION *param = &op->parameterDescription[i];

        if (param->parameterType == WS_PARAMETER_TYPE_MESSAGES)
        {
            BOOL input = param->inputMessageIndex != NOT_IN_MESSAGE;
            const WS_MESSAGE_DESCRIPTION *desc = input ? op->inputMessageDescription : op->outputMessageDescription;

            if (FAILED(hr = check_message_param( op, input, i, error ))) return hr;
            member_size = message_value_size( op, input, desc->bodyElementDescription, &align );
        }
        else
        {
            if (!(field = param_field( op, i, error, &hr ))) return hr;
            frame_member( field, param->parameterType, &member_size, &align );
        }
        if (!align) align = 1;
        if (align & (align - 1))
            return ws_error_set( error, E_INVALIDARG, "parameter %lu: alignment %lu is not a power of two", i, align );
        offset = (offset + align - 1) & ~(align - 1);
        offsets[i] = offset;
        offset += member_size;
        if (align > max_align) max_align = align;
    }
    *size = (offset + max_align - 1) & ~(max_align - 1);
    return S_OK;
}
