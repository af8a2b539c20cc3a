/*
 * MTOM encoding (XOP in MIME multipart/related) for readers and writers
 */

#include "webservices_private.h"
