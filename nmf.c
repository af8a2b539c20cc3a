/*
 * .NET Message Framing ([MC-NMF]) records for net.tcp and net.pipe
 */

#include "webservices_private.h"
