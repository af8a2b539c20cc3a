/*
 * Byte-stream and datagram transports (TCP, named pipes, UDP) with timeouts
 * and abort from any thread, under the channel and listener objects
 */

#include "webservices_private.h"
