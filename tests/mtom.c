#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

START_TEST(mtom)
{
    ok( 1, "placeholder\n" );
}
