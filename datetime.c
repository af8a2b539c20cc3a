/*
 * WS_DATETIME conversions
 *
 * A WS_DATETIME counts 100 ns ticks from midnight, January 1, 0001 (Common
 * Era); its largest value is the last tick before January 1, 10000.  A
 * FILETIME counts the same 100 ns units from midnight, January 1, 1601 (UTC).
 * Both are UTC tick counts, so a conversion is a shift by the number of ticks
 * between the two epochs plus range checks; the WS_DATETIME format only says
 * how the time is written as text and does not change the instant.
 */

#include "webservices_private.h"

/* Ticks from 0001-01-01 to 1601-01-01: 584388 days of 864000000000 ticks. */
#define TICKS_1601_EPOCH  504911232000000000ULL

/* The largest WS_DATETIME: 100 ns before 10000-01-01 (documented value). */
#define TICKS_MAX         3155378975999999999ULL

/* The largest FILETIME that still maps to a WS_DATETIME. */
#define FILETIME_MAX      (TICKS_MAX - TICKS_1601_EPOCH)

static ULONGLONG filetime_to_ticks64( const FILETIME *ft )
{
    return ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
}

static void ticks64_to_filetime( ULONGLONG value, FILETIME *ft )
{
    ft->dwLowDateTime  = (DWORD)value;
    ft->dwHighDateTime = (DWORD)(value >> 32);
}

static BOOL is_valid_datetime_format( WS_DATETIME_FORMAT format )
{
    return format == WS_DATETIME_FORMAT_UTC || format == WS_DATETIME_FORMAT_LOCAL ||
           format == WS_DATETIME_FORMAT_NONE;
}

HRESULT WINAPI WsDateTimeToFileTime( const WS_DATETIME *dateTime, FILETIME *fileTime, WS_ERROR *error )
{
    TRACE( "%p %p %p\n", dateTime, fileTime, error );

    if (!dateTime) return ws_error_set( error, E_INVALIDARG, "dateTime is NULL" );
    if (!fileTime) return ws_error_set( error, E_INVALIDARG, "fileTime is NULL" );
    if (!is_valid_datetime_format( dateTime->format ))
        return ws_error_set( error, E_INVALIDARG, "invalid WS_DATETIME format %d", dateTime->format );
    if (dateTime->ticks > TICKS_MAX)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "WS_DATETIME ticks %llu are past the year 9999",
                             (unsigned long long)dateTime->ticks );
    /* FILETIME cannot represent dates before 1601 (documented). */
    if (dateTime->ticks < TICKS_1601_EPOCH)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "WS_DATETIME ticks %llu are before the year 1601",
                             (unsigned long long)dateTime->ticks );

    ticks64_to_filetime( dateTime->ticks - TICKS_1601_EPOCH, fileTime );
    return S_OK;
}

HRESULT WINAPI WsFileTimeToDateTime( const FILETIME *fileTime, WS_DATETIME *dateTime, WS_ERROR *error )
{
    ULONGLONG value;

    TRACE( "%p %p %p\n", fileTime, dateTime, error );

    if (!fileTime) return ws_error_set( error, E_INVALIDARG, "fileTime is NULL" );
    if (!dateTime) return ws_error_set( error, E_INVALIDARG, "dateTime is NULL" );

    /* WS_DATETIME cannot represent the year 10000 and beyond (documented). */
    value = filetime_to_ticks64( fileTime );
    if (value > FILETIME_MAX)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "FILETIME %llu is past the year 9999",
                             (unsigned long long)value );

    dateTime->ticks  = value + TICKS_1601_EPOCH;
    dateTime->format = WS_DATETIME_FORMAT_UTC;
    return S_OK;
}
