/*
 * The request/reply benchmarks' contract (bench/request_reply.c's service,
 * called by request_reply.c and proxy.c): a payload of a string and an int,
 * the request and reply actions.
 */

#ifndef WEBSERVICES_BENCH_PAYLOAD_H
#define WEBSERVICES_BENCH_PAYLOAD_H

#include <stddef.h>
#include "webservices.h"

typedef struct { WS_STRING text; INT32 number; } payload;

static WS_XML_STRING ns = WS_XML_STRING_VALUE( "http://example.org/bench" );
static WS_XML_STRING payload_local = WS_XML_STRING_VALUE( "payload" );
static WS_XML_STRING text_local = WS_XML_STRING_VALUE( "text" );
static WS_XML_STRING number_local = WS_XML_STRING_VALUE( "number" );
static WS_XML_STRING request_action = WS_XML_STRING_VALUE( "http://example.org/bench/request" );
static WS_XML_STRING reply_action = WS_XML_STRING_VALUE( "http://example.org/bench/reply" );

static WS_FIELD_DESCRIPTION text_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &text_local, .ns = &ns,
                                           .type = WS_STRING_TYPE, .offset = 0 };
static WS_FIELD_DESCRIPTION number_field = { .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &number_local, .ns = &ns,
                                             .type = WS_INT32_TYPE, .offset = offsetof(payload, number) };
static WS_FIELD_DESCRIPTION *fields[] = { &text_field, &number_field };
static WS_STRUCT_DESCRIPTION payload_struct = { .size = sizeof(payload), .alignment = TYPE_ALIGNMENT(payload),
                                                .fields = fields, .fieldCount = 2, .typeLocalName = &payload_local,
                                                .typeNs = &ns };
static WS_ELEMENT_DESCRIPTION payload_element = { &payload_local, &ns, WS_STRUCT_TYPE, &payload_struct };
static WS_MESSAGE_DESCRIPTION request_desc = { &request_action, &payload_element };
static WS_MESSAGE_DESCRIPTION reply_desc = { &reply_action, &payload_element };

#endif
