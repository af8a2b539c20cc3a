#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

START_TEST(async)
{
    ok( 1, "placeholder\n" );
}
