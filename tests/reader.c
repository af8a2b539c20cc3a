/* Placeholder: replaced by the real tests. */
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

START_TEST(reader)
{
}
