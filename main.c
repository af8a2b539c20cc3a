/*
 * webservices.dll entry point.
 */

#include "webservices_private.h"

HINSTANCE ws_instance;

BOOL WINAPI DllMain( HINSTANCE instance, DWORD reason, void *reserved )
{
    (void)reserved;
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        ws_instance = instance;
        DisableThreadLibraryCalls( instance );
        ws_debug_init();
        TRACE( "%p, %lu, %p\n", instance, reason, reserved );
        break;
    case DLL_PROCESS_DETACH:
        break;
    }
    return TRUE;
}
