/*
 * WS_DATETIME conversions
 */

#include "webservices_private.h"

HRESULT WINAPI WsDateTimeToFileTime( const WS_DATETIME *dateTime, FILETIME *fileTime, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", dateTime, fileTime, error );
    return E_NOTIMPL;
}

HRESULT WINAPI WsFileTimeToDateTime( const FILETIME *fileTime, WS_DATETIME *dateTime, WS_ERROR *error )
{
    FIXME( "%p %p %p: stub\n", fileTime, dateTime, error );
    return E_NOTIMPL;
}
