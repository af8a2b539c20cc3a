/*
 * Link test: a program that includes only <windows.h> and <webservices.h>
 * (plus the generated table of calls) and references every export, linked
 * with -lwebservices.  Built as C and as C++ for x86_64 and i686; run with an
 * argument it calls every function with NULL arguments.
 */

#include <windows.h>
#include <webservices.h>
#include "ws_calls.h"

int main( int argc, char **argv )
{
    unsigned int i, failed = 0;

    (void)argv;
    if (argc < 2) return 0;
    for (i = 0; i < WS_EXPORT_COUNT; i++)
        if (!ws_exports[i].creator && SUCCEEDED(ws_call_with_null_args( i ))) failed++;
    return failed != 0;
}
