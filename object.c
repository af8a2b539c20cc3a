/*
 * The handle scheme and the table-driven property mechanism shared by every
 * object (to be written).
 */

#include "webservices_private.h"
