/*
 * Shared by the benchmark programs: which webservices.dll was loaded.
 *
 * Under Wine the builtin may report the path of the file it stands in for,
 * so the DLL is identified by its version resource: this project's says
 * ProductName "webservices clean-room WWSAPI".
 */

#ifndef WEBSERVICES_BENCH_H
#define WEBSERVICES_BENCH_H

#include <string.h>
#include <windows.h>

static inline BOOL is_our_dll( HMODULE module )
{
    static const WCHAR name[] = L"webservices clean-room WWSAPI";
    HRSRC res = module ? FindResourceW( module, MAKEINTRESOURCEW( VS_VERSION_INFO ), (LPCWSTR)RT_VERSION ) : NULL;
    const BYTE *data;
    DWORD size, i;

    if (!res || !(data = LockResource( LoadResource( module, res ) ))) return FALSE;
    size = SizeofResource( module, res );
    for (i = 0; i + sizeof(name) <= size; i += 2)
        if (!memcmp( data + i, name, sizeof(name) - sizeof(WCHAR) )) return TRUE;
    return FALSE;
}

#endif
