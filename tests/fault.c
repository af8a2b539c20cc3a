#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

START_TEST(fault)
{
    ok( 1, "placeholder\n" );
}
