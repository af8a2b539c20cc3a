/*
 * The export table of webservices.dll and the identity of the loaded module.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "ws_calls.h"

/* The ProductName of our version resource (version.rc). */
static const char our_product[] = "webservices clean-room WWSAPI";

static const IMAGE_EXPORT_DIRECTORY *get_export_directory( HMODULE module )
{
    const BYTE *base = (const BYTE *)module;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    return dir->Size ? (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress) : NULL;
}

static BOOL is_documented_export( const char *name )
{
    unsigned int i;
    for (i = 0; i < WS_EXPORT_COUNT; i++) if (!strcmp( ws_exports[i].name, name )) return TRUE;
    return FALSE;
}

/* All 193 documented names resolve, and the DLL exports nothing else. */
static void test_export_table(void)
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    const IMAGE_EXPORT_DIRECTORY *exports;
    const DWORD *names;
    unsigned int i;

    ok( module != NULL, "webservices.dll not loaded\n" );
    if (!module) return;
    for (i = 0; i < WS_EXPORT_COUNT; i++)
        ok( GetProcAddress( module, ws_exports[i].name ) != NULL, "%s not exported\n", ws_exports[i].name );

    exports = get_export_directory( module );
    ok( exports != NULL, "no export directory\n" );
    if (!exports) return;
    ok( exports->NumberOfNames == WS_EXPORT_COUNT, "%lu named exports, expected %u\n",
        exports->NumberOfNames, WS_EXPORT_COUNT );
    names = (const DWORD *)((const BYTE *)module + exports->AddressOfNames);
    for (i = 0; i < exports->NumberOfNames; i++)
    {
        const char *name = (const char *)module + names[i];
        ok( is_documented_export( name ), "unexpected export %s\n", name );
    }
}

static BOOL get_product_name( HMODULE module, char *product, DWORD size )
{
    struct { WORD language, codepage; } *translation;
    WCHAR path[MAX_PATH];
    DWORD handle, len;
    UINT value_len;
    char query[64], *value, *data;
    BOOL ret = FALSE;

    if (!GetModuleFileNameW( module, path, MAX_PATH )) return FALSE;
    if (!(len = GetFileVersionInfoSizeW( path, &handle )) || !(data = malloc( len ))) return FALSE;
    if (GetFileVersionInfoW( path, 0, len, data ) &&
        VerQueryValueA( data, "\\VarFileInfo\\Translation", (void **)&translation, &value_len ) && value_len)
    {
        sprintf( query, "\\StringFileInfo\\%04x%04x\\ProductName", translation->language, translation->codepage );
        if (VerQueryValueA( data, query, (void **)&value, &value_len ) && value_len)
        {
            lstrcpynA( product, value, size );
            ret = TRUE;
        }
    }
    free( data );
    return ret;
}

/* make check sets WS_TEST_EXPECT_DLL=ours: prove that Wine loaded our DLL, not its builtin. */
static void test_loaded_module(void)
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    const char *expect = getenv( "WS_TEST_EXPECT_DLL" );
    char product[256] = "";
    BOOL found = get_product_name( module, product, sizeof(product) );

    ok( found, "no ProductName in the version resource of the loaded webservices.dll\n" );
    if (!expect || strcmp( expect, "ours" ))
    {
        skip( "loaded webservices.dll is %s; WS_TEST_EXPECT_DLL not set\n", product );
        return;
    }
    ok( !strcmp( product, our_product ), "loaded webservices.dll is %s, not ours\n", product );
}

/*
 * Every function taking handles and out pointers rejects NULL for all of
 * them; none may crash.  Unimplemented exports return E_NOTIMPL.
 */
static void test_null_arguments(void)
{
    char product[256] = "";
    unsigned int i, missing = 0;
    HRESULT hr;

    /* Wine's builtin DLL raises an exception (not E_NOTIMPL) in its unimplemented exports. */
    get_product_name( GetModuleHandleA( "webservices.dll" ), product, sizeof(product) );
    if (!strncmp( product, "Wine", 4 ))
    {
        skip( "Wine's builtin webservices.dll aborts in its unimplemented exports\n" );
        return;
    }
    for (i = 0; i < WS_EXPORT_COUNT; i++)
    {
        hr = ws_call_with_null_args( i );
        if (ws_exports[i].creator) continue;  /* void WsFree* function: returned */
        ok( FAILED(hr), "%s with NULL arguments returned %#lx\n", ws_exports[i].name, hr );
        if (hr == E_NOTIMPL) missing++;
    }
    trace( "%u exports still return E_NOTIMPL\n", missing );
}

START_TEST(exports)
{
    test_export_table();
    test_loaded_module();
    test_null_arguments();
}
