/*
 * Export status: loads webservices.dll (through its import library), shows
 * which module Wine loaded, and reports which of the 193 exports are
 * implemented.  An export is missing when a call with NULL arguments returns
 * E_NOTIMPL (the contract of every unimplemented export); a WsFree* function
 * shares the status of the function that creates its object.
 *
 * usage: exports_status [--markdown]
 */

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <webservices.h>
#include "ws_calls.h"

static BOOL product_name( const WCHAR *path, char *name, DWORD size )
{
    DWORD handle, len = GetFileVersionInfoSizeW( path, &handle );
    struct { WORD language, codepage; } *translation;
    char query[64], *value, *data;
    UINT value_len;
    BOOL ret = FALSE;

    if (!len || !(data = malloc( len ))) return FALSE;
    if (GetFileVersionInfoW( path, 0, len, data ) &&
        VerQueryValueA( data, "\\VarFileInfo\\Translation", (void **)&translation, &value_len ) && value_len)
    {
        snprintf( query, sizeof(query), "\\StringFileInfo\\%04x%04x\\ProductName",
                  translation->language, translation->codepage );
        if (VerQueryValueA( data, query, (void **)&value, &value_len ) && value_len)
        {
            snprintf( name, size, "%s", value );
            ret = TRUE;
        }
    }
    free( data );
    return ret;
}

static BOOL implemented[WS_EXPORT_COUNT];

static int export_index( const char *name )
{
    unsigned int i;
    for (i = 0; i < WS_EXPORT_COUNT; i++) if (!strcmp( ws_exports[i].name, name )) return i;
    return -1;
}

int main( int argc, char **argv )
{
    BOOL markdown = argc > 1 && !strcmp( argv[1], "--markdown" );
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    unsigned int i, count = 0, present = 0;
    WCHAR path[MAX_PATH];
    char product[256] = "(no version resource)";

    if (!module || !GetModuleFileNameW( module, path, MAX_PATH ))
    {
        fprintf( stderr, "webservices.dll is not loaded\n" );
        return 1;
    }
    product_name( path, product, sizeof(product) );

    for (i = 0; i < WS_EXPORT_COUNT; i++)
    {
        if (GetProcAddress( module, ws_exports[i].name )) present++;
        if (!ws_exports[i].creator) implemented[i] = ws_call_with_null_args( i ) != E_NOTIMPL;
    }
    for (i = 0; i < WS_EXPORT_COUNT; i++)
    {
        if (ws_exports[i].creator)
        {
            int creator = export_index( ws_exports[i].creator );
            ws_call_with_null_args( i );  /* must not crash either */
            implemented[i] = creator >= 0 && implemented[creator];
        }
        count += implemented[i];
    }

    if (markdown)
    {
        printf( "| Export | Status |\n| --- | --- |\n" );
        for (i = 0; i < WS_EXPORT_COUNT; i++)
            printf( "| %s | %s |\n", ws_exports[i].name, implemented[i] ? "implemented" : "missing (E_NOTIMPL)" );
        printf( "\n%u of %u exports implemented, %u missing.\n", count, WS_EXPORT_COUNT, WS_EXPORT_COUNT - count );
        return 0;
    }

    printf( "module:  %ls\nproduct: %s\nexports: %u of %u present\n", path, product, present, WS_EXPORT_COUNT );
    for (i = 0; i < WS_EXPORT_COUNT; i++)
        printf( "  %-40s %s\n", ws_exports[i].name, implemented[i] ? "implemented" : "missing" );
    printf( "%u of %u exports implemented, %u missing.\n", count, WS_EXPORT_COUNT, WS_EXPORT_COUNT - count );
    return present == WS_EXPORT_COUNT ? 0 : 1;
}
