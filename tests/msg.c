#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

START_TEST(msg)
{
    ok( 1, "placeholder\n" );
}
