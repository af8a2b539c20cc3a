#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

START_TEST(transport)
{
    ok( 1, "placeholder\n" );
}
