/*
 * Text values: the text forms of WS_XML_TEXT and WS_VALUE_TYPE values, UTF-8/UTF-16.
 */

#include "webservices_private.h"
