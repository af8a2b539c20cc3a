/*
 * Text values: the text forms of WS_XML_TEXT and WS_VALUE_TYPE values, UTF-8/UTF-16.
 *
 * Everything here is encoding independent: the text encoding writes these
 * forms (escaped by the writer), the reader parses them, and a binary
 * encoding uses them whenever a value has to become text (WsReadValue on a
 * text record, WsGetReaderNode consumers asking for UTF-8...).
 *
 * Text forms (Microsoft's documentation of each WS_XML_*_TEXT structure and
 * the WsReadValue grammar):
 *   bool       "true" / "false" (reading also accepts "1" / "0")
 *   integers   sign? digits ("-" only for negative values when writing)
 *   float/double  enough digits to round-trip (the shortest such form),
 *              "-0", "INF", "-INF", "NaN"; exponent form "1E+15", "1E-2"
 *              outside [0.1, 1e15)
 *   decimal    sign? digits ("." digits)?, all SCALE fraction digits
 *   GUID       xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (lowercase)
 *   unique id  urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
 *   datetime   yyyy-MM-ddTHH:mm:ss(.fffffff)? then "Z" (UTC), "+hh:mm" (LOCAL)
 *              or nothing (NONE); fraction without trailing zeros
 *   timespan   [-][d.]HH:mm:ss[.fffffff]
 *   duration   xsd:duration, e.g. "-P1Y2M3DT4H5M6.0070008S", zero is "PT0S"
 *   base64     RFC 4648 with padding
 *   qname      prefix:localName (localName alone for an empty prefix)
 *   list       the items separated by a single space
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "webservices_private.h"

/* Size of the C value of a WS_VALUE_TYPE (0 for an unknown type). */
ULONG ws_value_type_size( WS_VALUE_TYPE type )
{
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:     return sizeof(BOOL);
    case WS_INT8_VALUE_TYPE:     return sizeof(char);
    case WS_INT16_VALUE_TYPE:    return sizeof(short);
    case WS_INT32_VALUE_TYPE:    return sizeof(int);
    case WS_INT64_VALUE_TYPE:    return sizeof(LONGLONG);
    case WS_UINT8_VALUE_TYPE:    return sizeof(BYTE);
    case WS_UINT16_VALUE_TYPE:   return sizeof(USHORT);
    case WS_UINT32_VALUE_TYPE:   return sizeof(ULONG);
    case WS_UINT64_VALUE_TYPE:   return sizeof(ULONGLONG);
    case WS_FLOAT_VALUE_TYPE:    return sizeof(float);
    case WS_DOUBLE_VALUE_TYPE:   return sizeof(double);
    case WS_DECIMAL_VALUE_TYPE:  return sizeof(DECIMAL);
    case WS_DATETIME_VALUE_TYPE: return sizeof(WS_DATETIME);
    case WS_TIMESPAN_VALUE_TYPE: return sizeof(WS_TIMESPAN);
    case WS_GUID_VALUE_TYPE:     return sizeof(GUID);
    case WS_DURATION_VALUE_TYPE: return sizeof(WS_DURATION);
    default:                     return 0;
    }
}

/* The largest WS_DATETIME: 100 ns before 10000-01-01 (documented). */
#define TICKS_MAX          3155378975999999999ULL
#define TICKS_PER_SECOND   10000000ULL
#define TICKS_PER_MINUTE   (60 * TICKS_PER_SECOND)
#define TICKS_PER_HOUR     (60 * TICKS_PER_MINUTE)
#define TICKS_PER_DAY      (24 * TICKS_PER_HOUR)
/* Ticks from 0001-01-01 to 1601-01-01 (FILETIME epoch). */
#define TICKS_1601_EPOCH   504911232000000000ULL

/* ---------------------------------------------------------------------- */
/* Growable byte buffer                                                    */
/* ---------------------------------------------------------------------- */

BOOL ws_buf_reserve( struct ws_buf *buf, ULONG extra )
{
    ULONGLONG needed = (ULONGLONG)buf->len + extra, cap;
    BYTE *data;

    if (needed <= buf->cap) return TRUE;
    if (needed > 0xffffffffULL) return FALSE;
    cap = (ULONGLONG)buf->cap * 2;
    if (cap < needed) cap = needed;
    if (cap < 64) cap = 64;
    if (cap > 0xffffffffULL) cap = 0xffffffffULL;

    if (buf->data) data = HeapReAlloc( GetProcessHeap(), 0, buf->data, (SIZE_T)cap );
    else data = HeapAlloc( GetProcessHeap(), 0, (SIZE_T)cap );
    if (!data) return FALSE;
    buf->data = data;
    buf->cap = (ULONG)cap;
    return TRUE;
}

BOOL ws_buf_append( struct ws_buf *buf, const void *data, ULONG len )
{
    if (!ws_buf_reserve( buf, len )) return FALSE;
    if (len) memcpy( buf->data + buf->len, data, len );
    buf->len += len;
    return TRUE;
}

void ws_buf_free( struct ws_buf *buf )
{
    HeapFree( GetProcessHeap(), 0, buf->data );
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

static HRESULT append( struct ws_buf *out, const void *data, ULONG len, WS_ERROR *error )
{
    if (!ws_buf_append( out, data, len ))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot grow the text buffer by %lu bytes", len );
    return S_OK;
}

/* ---------------------------------------------------------------------- */
/* UTF-8 / UTF-16                                                          */
/* ---------------------------------------------------------------------- */

/* Decodes one code point at SRC[*pos]; FALSE for an invalid sequence. */
static BOOL utf8_next( const BYTE *src, ULONG len, ULONG *pos, UINT *cp )
{
    ULONG i = *pos, count;
    UINT c = src[i], min;

    if (c < 0x80) { *cp = c; *pos = i + 1; return TRUE; }
    if (c >= 0xc2 && c <= 0xdf) { count = 1; c &= 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { count = 2; c &= 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { count = 3; c &= 0x07; min = 0x10000; }
    else return FALSE;
    if (len - i - 1 < count) return FALSE;
    for (i++; count; count--, i++)
    {
        if ((src[i] & 0xc0) != 0x80) return FALSE;
        c = (c << 6) | (src[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return FALSE;
    *cp = c;
    *pos = i;
    return TRUE;
}

BOOL ws_utf8_is_valid( const BYTE *utf8, ULONG len )
{
    ULONG pos = 0;
    UINT cp;

    while (pos < len)
    {
        /* ASCII runs are the common case */
        if (utf8[pos] < 0x80) { pos++; continue; }
        if (!utf8_next( utf8, len, &pos, &cp )) return FALSE;
    }
    return TRUE;
}

int ws_utf16_to_utf8( const WCHAR *src, ULONG len, BYTE *out, ULONG out_len )
{
    ULONG i, count = 0;

    for (i = 0; i < len; i++)
    {
        UINT c = src[i];
        BYTE seq[4];
        ULONG n;

        if (c < 0x80) { seq[0] = c; n = 1; }
        else if (c < 0x800) { seq[0] = 0xc0 | (c >> 6); seq[1] = 0x80 | (c & 0x3f); n = 2; }
        else if (c >= 0xd800 && c <= 0xdbff)
        {
            if (i + 1 >= len || src[i + 1] < 0xdc00 || src[i + 1] > 0xdfff) return -1;
            c = 0x10000 + ((c - 0xd800) << 10) + (src[++i] - 0xdc00);
            seq[0] = 0xf0 | (c >> 18);
            seq[1] = 0x80 | ((c >> 12) & 0x3f);
            seq[2] = 0x80 | ((c >> 6) & 0x3f);
            seq[3] = 0x80 | (c & 0x3f);
            n = 4;
        }
        else if (c >= 0xdc00 && c <= 0xdfff) return -1;
        else { seq[0] = 0xe0 | (c >> 12); seq[1] = 0x80 | ((c >> 6) & 0x3f); seq[2] = 0x80 | (c & 0x3f); n = 3; }

        if (out)
        {
            if (out_len - count < n) return -1;
            memcpy( out + count, seq, n );
        }
        if (count > 0x7fffffff - n) return -1;
        count += n;
    }
    return count;
}

int ws_utf8_to_utf16( const BYTE *src, ULONG len, WCHAR *out, ULONG out_len )
{
    ULONG pos = 0, count = 0, n;
    UINT cp;

    while (pos < len)
    {
        if (src[pos] < 0x80) cp = src[pos++];
        else if (!utf8_next( src, len, &pos, &cp )) return -1;
        n = cp >= 0x10000 ? 2 : 1;
        if (out)
        {
            if (out_len - count < n) return -1;
            if (n == 2)
            {
                out[count] = 0xd800 + ((cp - 0x10000) >> 10);
                out[count + 1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
            }
            else out[count] = cp;
        }
        if (count > 0x7fffffff - n) return -1;
        count += n;
    }
    return count;
}

/* ---------------------------------------------------------------------- */
/* Formatting: each helper writes into a caller buffer and returns the     */
/* length, so the common cases never allocate nor call into the CRT.       */
/* ---------------------------------------------------------------------- */

#define FORMAT_MAX 64   /* enough for every fixed-size value */

static ULONG format_uint64( ULONGLONG value, char *buf )
{
    char tmp[20];
    ULONG len = 0, i;

    do { tmp[len++] = '0' + (char)(value % 10); value /= 10; } while (value);
    for (i = 0; i < len; i++) buf[i] = tmp[len - 1 - i];
    return len;
}

static ULONG format_int64( LONGLONG value, char *buf )
{
    if (value >= 0) return format_uint64( value, buf );
    buf[0] = '-';
    return 1 + format_uint64( 0 - (ULONGLONG)value, buf + 1 );
}

/* Zero-padded fixed width number. */
static void format_fixed( ULONG value, ULONG width, char *buf )
{
    while (width--) { buf[width] = '0' + (char)(value % 10); value /= 10; }
}

/* ".fffffff" without trailing zeros, nothing for 0. */
static ULONG format_fraction( ULONG ticks, char *buf )
{
    ULONG len = 8;

    if (!ticks) return 0;
    buf[0] = '.';
    format_fixed( ticks, 7, buf + 1 );
    while (buf[len - 1] == '0') len--;
    return len;
}

static ULONG format_guid( const GUID *guid, char *buf )
{
    static const char hex[] = "0123456789abcdef";
    BYTE bytes[16];
    ULONG i, len = 0;

    /* Data1..Data3 print as numbers (big endian), Data4 as bytes. */
    for (i = 0; i < 4; i++) bytes[i] = guid->Data1 >> (24 - 8 * i);
    bytes[4] = guid->Data2 >> 8; bytes[5] = guid->Data2;
    bytes[6] = guid->Data3 >> 8; bytes[7] = guid->Data3;
    memcpy( bytes + 8, guid->Data4, 8 );
    for (i = 0; i < 16; i++)
    {
        if (i == 4 || i == 6 || i == 8 || i == 10) buf[len++] = '-';
        buf[len++] = hex[bytes[i] >> 4];
        buf[len++] = hex[bytes[i] & 0xf];
    }
    return len;
}

/* Fast path for doubles whose shortest form has at most 15 digits (most
 * decimal input): N = VALUE * 10^K rounded to 15 digits, kept when N / 10^K
 * reads back as VALUE.  With N < 2^53 and 10^|K| exact, that division is
 * one correctly rounded IEEE operation (Clinger's fast path), so the check is
 * exact; at most one 15-digit decimal maps to each double, so N is the
 * correctly rounded 15-digit form.  Only where double arithmetic is not
 * carried out in extended precision (x87 double rounding would break it).
 * Returns 1 with the digits, 0 when no 15-digit form reads back (N is off
 * the correct rounding only for values about halfway between two 15-digit
 * forms, which are too far from both to read back), -1 when not applicable. */
static int digits15_fast( double value, char *digits, ULONG *len, int *exponent )
{
#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 0
    static const double exact_powers_of_10[] =
    {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22
    };
    int e10 = (int)floor( log10( value ) ), k;
    ULONGLONG n;
    double check;
    ULONG count;

    k = 14 - e10;
    if (k > 22 || k < -22) return -1;
    if (k >= 0) n = (ULONGLONG)llroundl( (long double)value * exact_powers_of_10[k] );
    else n = (ULONGLONG)llroundl( (long double)value / exact_powers_of_10[-k] );
    /* log10 may be off by one near powers of ten */
    if (n >= 1000000000000000ULL || n < 100000000000000ULL) return -1;
    if (k >= 0) check = (double)n / exact_powers_of_10[k];
    else check = (double)n * exact_powers_of_10[-k];
    if (check != value) return 0;

    count = format_uint64( n, digits );
    while (count > 1 && digits[count - 1] == '0') count--;
    *len = count;
    *exponent = e10;
    return 1;
#else
    (void)value; (void)digits; (void)len; (void)exponent;
    return -1;
#endif
}

/* Digits and decimal exponent of the shortest form of VALUE (finite, > 0)
 * that reads back as the same number.  Normal values: 15 digits for a double
 * (6 for a float) always read back when a form that short exists (DBL_DIG,
 * FLT_DIG), otherwise the correctly rounded 16 (7, 8) digit form when it reads
 * back, otherwise 17 (9) digits, which always do.  Subnormals keep fewer
 * digits: the search starts at one. */
static ULONG shortest_digits( double value, BOOL is_float, char *digits, int *exponent )
{
    char tmp[40];
    ULONG len = 0, i;
    int prec, min_prec = is_float ? 6 : 15, max_prec = is_float ? 9 : 17;

    if (value < (is_float ? 1.17549435e-38 : 2.2250738585072014e-308)) min_prec = 1;
    else if (!is_float)
    {
        int found = digits15_fast( value, digits, &len, exponent );
        if (found > 0) return len;
        if (!found) min_prec = 16;
    }
    for (prec = min_prec; prec <= max_prec; prec++)
    {
        snprintf( tmp, sizeof(tmp), "%.*e", prec - 1, value );
        if (prec == max_prec) break;
        if (is_float ? __mingw_strtof( tmp, NULL ) == (float)value : __mingw_strtod( tmp, NULL ) == value) break;
    }
    /* tmp is "d.ddddde[+-]xx" */
    for (i = 0; tmp[i] != 'e'; i++) if (tmp[i] != '.') digits[len++] = tmp[i];
    *exponent = atoi( tmp + i + 1 );
    while (len > 1 && digits[len - 1] == '0') len--;
    return len;
}

static ULONG format_double( double value, BOOL is_float, char *buf )
{
    char digits[20];
    ULONG len = 0, count, i;
    int exponent;

    if (isnan( value )) { memcpy( buf, "NaN", 3 ); return 3; }
    if (signbit( value )) { buf[len++] = '-'; value = -value; }
    if (isinf( value )) { memcpy( buf + len, "INF", 3 ); return len + 3; }
    if (value == 0.0) { buf[len++] = '0'; return len; }
    /* Integers that need no more digits than the type keeps print as integers: the common case. */
    if (value < (is_float ? 16777216.0 : 1e15) && value == (double)(ULONGLONG)value)
        return len + format_uint64( (ULONGLONG)value, buf + len );

    count = shortest_digits( value, is_float, digits, &exponent );
    if (exponent >= 15 || exponent < -1)
    {
        buf[len++] = digits[0];
        if (count > 1)
        {
            buf[len++] = '.';
            memcpy( buf + len, digits + 1, count - 1 );
            len += count - 1;
        }
        buf[len++] = 'E';
        buf[len++] = exponent < 0 ? '-' : '+';
        return len + format_uint64( exponent < 0 ? -exponent : exponent, buf + len );
    }
    if (exponent < 0)
    {
        buf[len++] = '0';
        buf[len++] = '.';
        memcpy( buf + len, digits, count );
        return len + count;
    }
    for (i = 0; i < count || (int)i <= exponent; i++)
    {
        if ((int)i == exponent + 1) buf[len++] = '.';
        buf[len++] = i < count ? digits[i] : '0';
    }
    return len;
}

/* 96-bit DECIMAL magnitude in three 32-bit words, least significant first. */
static ULONG divide_by_10( ULONG words[3] )
{
    ULONGLONG rem = 0;
    int i;

    for (i = 2; i >= 0; i--)
    {
        ULONGLONG cur = (rem << 32) | words[i];
        words[i] = (ULONG)(cur / 10);
        rem = cur % 10;
    }
    return (ULONG)rem;
}

static HRESULT format_decimal( const DECIMAL *dec, char *buf, ULONG *ret_len, WS_ERROR *error )
{
    ULONG words[3] = { (ULONG)dec->Lo64, (ULONG)(dec->Lo64 >> 32), dec->Hi32 };
    char tmp[40];
    ULONG count = 0, len = 0, i;

    if (dec->scale > 28) return ws_error_set( error, E_INVALIDARG, "DECIMAL scale %u is past 28", dec->scale );
    if (dec->sign & ~DECIMAL_NEG) return ws_error_set( error, E_INVALIDARG, "invalid DECIMAL sign 0x%02x", dec->sign );

    do tmp[count++] = '0' + (char)divide_by_10( words ); while (words[0] || words[1] || words[2]);
    while (count <= dec->scale) tmp[count++] = '0';   /* "0.005" */

    if (dec->sign && (count > 1 || tmp[0] != '0' || dec->scale)) buf[len++] = '-';
    for (i = count; i > 0; i--)
    {
        if (i == dec->scale) buf[len++] = '.';
        buf[len++] = tmp[i - 1];
    }
    /* negative zero prints without its sign */
    if (buf[0] == '-')
    {
        BOOL zero = TRUE;
        for (i = 1; i < len; i++) if (buf[i] != '0' && buf[i] != '.') zero = FALSE;
        if (zero) { memmove( buf, buf + 1, len - 1 ); len--; }
    }
    *ret_len = len;
    return S_OK;
}

/* Days from 0001-01-01 to the first day of YEAR (proleptic Gregorian). */
static ULONGLONG days_before_year( ULONG year )
{
    ULONG y = year - 1;
    return (ULONGLONG)y * 365 + y / 4 - y / 100 + y / 400;
}

static BOOL is_leap_year( ULONG year )
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static ULONG days_in_month( ULONG year, ULONG month )
{
    static const BYTE days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && is_leap_year( year ) ? 29 : days[month - 1];
}

/* yyyy-MM-ddTHH:mm:ss(.fffffff)? of TICKS (<= TICKS_MAX). */
static ULONG format_date_time( ULONGLONG ticks, char *buf )
{
    ULONGLONG days = ticks / TICKS_PER_DAY, rem = ticks % TICKS_PER_DAY;
    ULONG year, month = 1, len;

    /* estimate the year, then correct it */
    year = (ULONG)(days / 366) + 1;
    while (days_before_year( year + 1 ) <= days) year++;
    days -= days_before_year( year );
    while (days >= days_in_month( year, month )) days -= days_in_month( year, month++ );

    format_fixed( year, 4, buf );
    buf[4] = '-';
    format_fixed( month, 2, buf + 5 );
    buf[7] = '-';
    format_fixed( (ULONG)days + 1, 2, buf + 8 );
    buf[10] = 'T';
    format_fixed( (ULONG)(rem / TICKS_PER_HOUR), 2, buf + 11 );
    buf[13] = ':';
    format_fixed( (ULONG)(rem / TICKS_PER_MINUTE % 60), 2, buf + 14 );
    buf[16] = ':';
    format_fixed( (ULONG)(rem / TICKS_PER_SECOND % 60), 2, buf + 17 );
    len = 19;
    return len + format_fraction( (ULONG)(rem % TICKS_PER_SECOND), buf + len );
}

/* Offset of local time from UTC at TICKS, in ticks; FALSE when the system has
 * no time zone information for that time (before 1601, conversion failure). */
static BOOL local_offset( ULONGLONG ticks, LONGLONG *offset )
{
    ULONGLONG utc_ms = ticks - ticks % 10000, value;
    FILETIME ft, local_ft;
    SYSTEMTIME utc, local;

    if (ticks < TICKS_1601_EPOCH) return FALSE;
    value = utc_ms - TICKS_1601_EPOCH;
    ft.dwLowDateTime = (DWORD)value;
    ft.dwHighDateTime = (DWORD)(value >> 32);
    if (!FileTimeToSystemTime( &ft, &utc )) return FALSE;
    if (!SystemTimeToTzSpecificLocalTime( NULL, &utc, &local )) return FALSE;
    if (!SystemTimeToFileTime( &local, &local_ft )) return FALSE;
    value = ((ULONGLONG)local_ft.dwHighDateTime << 32) | local_ft.dwLowDateTime;
    *offset = (LONGLONG)(value + TICKS_1601_EPOCH - utc_ms);
    return TRUE;
}

static HRESULT format_datetime( const WS_DATETIME *dt, char *buf, ULONG *ret_len, WS_ERROR *error )
{
    LONGLONG offset;
    ULONG len;

    if (dt->ticks > TICKS_MAX)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "WS_DATETIME ticks %llu are past the year 9999",
                             (unsigned long long)dt->ticks );
    switch (dt->format)
    {
    case WS_DATETIME_FORMAT_NONE:
        *ret_len = format_date_time( dt->ticks, buf );
        return S_OK;

    case WS_DATETIME_FORMAT_LOCAL:
        if (local_offset( dt->ticks, &offset ) && (LONGLONG)dt->ticks + offset >= 0 &&
            (LONGLONG)dt->ticks + offset <= (LONGLONG)TICKS_MAX)
        {
            ULONGLONG minutes = (offset < 0 ? -offset : offset) / TICKS_PER_MINUTE;
            len = format_date_time( dt->ticks + offset, buf );
            buf[len++] = offset < 0 ? '-' : '+';
            format_fixed( (ULONG)(minutes / 60), 2, buf + len );
            buf[len + 2] = ':';
            format_fixed( (ULONG)(minutes % 60), 2, buf + len + 3 );
            *ret_len = len + 5;
            return S_OK;
        }
        /* no time zone information for that time: UTC, as documented */
        /* fall through */
    case WS_DATETIME_FORMAT_UTC:
        len = format_date_time( dt->ticks, buf );
        buf[len++] = 'Z';
        *ret_len = len;
        return S_OK;

    default:
        return ws_error_set( error, E_INVALIDARG, "invalid WS_DATETIME format %d", dt->format );
    }
}

/* [-][d.]HH:mm:ss[.fffffff] */
static ULONG format_timespan( LONGLONG ticks, char *buf )
{
    ULONGLONG value = ticks < 0 ? 0 - (ULONGLONG)ticks : (ULONGLONG)ticks, days = value / TICKS_PER_DAY;
    ULONG len = 0;

    if (ticks < 0) buf[len++] = '-';
    if (days)
    {
        len += format_uint64( days, buf + len );
        buf[len++] = '.';
    }
    value %= TICKS_PER_DAY;
    format_fixed( (ULONG)(value / TICKS_PER_HOUR), 2, buf + len );
    buf[len + 2] = ':';
    format_fixed( (ULONG)(value / TICKS_PER_MINUTE % 60), 2, buf + len + 3 );
    buf[len + 5] = ':';
    format_fixed( (ULONG)(value / TICKS_PER_SECOND % 60), 2, buf + len + 6 );
    len += 8;
    return len + format_fraction( (ULONG)(value % TICKS_PER_SECOND), buf + len );
}

static ULONG format_component( ULONG value, char designator, char *buf )
{
    ULONG len = format_uint64( value, buf );
    buf[len++] = designator;
    return len;
}

static HRESULT format_duration( const WS_DURATION *d, char *buf, ULONG *ret_len, WS_ERROR *error )
{
    ULONG len = 0, fraction;

    if (d->milliseconds >= 1000)
        return ws_error_set( error, E_INVALIDARG, "WS_DURATION milliseconds %lu are not below 1000", d->milliseconds );
    if (d->ticks >= 10000)
        return ws_error_set( error, E_INVALIDARG, "WS_DURATION ticks %lu are not below 10000", d->ticks );

    fraction = d->milliseconds * 10000 + d->ticks;
    if (!d->years && !d->months && !d->days && !d->hours && !d->minutes && !d->seconds && !fraction)
    {
        /* the canonical zero; a zero has no sign */
        memcpy( buf, "PT0S", 4 );
        *ret_len = 4;
        return S_OK;
    }
    if (d->negative) buf[len++] = '-';
    buf[len++] = 'P';
    if (d->years) len += format_component( d->years, 'Y', buf + len );
    if (d->months) len += format_component( d->months, 'M', buf + len );
    if (d->days) len += format_component( d->days, 'D', buf + len );
    if (d->hours || d->minutes || d->seconds || fraction)
    {
        buf[len++] = 'T';
        if (d->hours) len += format_component( d->hours, 'H', buf + len );
        if (d->minutes) len += format_component( d->minutes, 'M', buf + len );
        if (d->seconds || fraction)
        {
            len += format_uint64( d->seconds, buf + len );
            len += format_fraction( fraction, buf + len );
            buf[len++] = 'S';
        }
    }
    *ret_len = len;
    return S_OK;
}

static HRESULT append_base64( const BYTE *bytes, ULONG count, struct ws_buf *out, WS_ERROR *error )
{
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    ULONG i, needed;
    BYTE *dst;

    if (count > 0xbffffffd) return ws_error_set( error, E_OUTOFMEMORY, "base64 text of %lu bytes is too long", count );
    needed = (count + 2) / 3 * 4;
    if (!ws_buf_reserve( out, needed ))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot grow the text buffer by %lu bytes", needed );
    dst = out->data + out->len;
    for (i = 0; i + 2 < count; i += 3)
    {
        *dst++ = table[bytes[i] >> 2];
        *dst++ = table[((bytes[i] & 0x03) << 4) | (bytes[i + 1] >> 4)];
        *dst++ = table[((bytes[i + 1] & 0x0f) << 2) | (bytes[i + 2] >> 6)];
        *dst++ = table[bytes[i + 2] & 0x3f];
    }
    if (count - i == 1)
    {
        *dst++ = table[bytes[i] >> 2];
        *dst++ = table[(bytes[i] & 0x03) << 4];
        *dst++ = '=';
        *dst++ = '=';
    }
    else if (count - i == 2)
    {
        *dst++ = table[bytes[i] >> 2];
        *dst++ = table[((bytes[i] & 0x03) << 4) | (bytes[i + 1] >> 4)];
        *dst++ = table[(bytes[i + 1] & 0x0f) << 2];
        *dst++ = '=';
    }
    out->len += needed;
    return S_OK;
}

static HRESULT append_utf16( const BYTE *bytes, ULONG byte_count, struct ws_buf *out, WS_ERROR *error )
{
    const WCHAR *chars = (const WCHAR *)bytes;
    ULONG count = byte_count / sizeof(WCHAR);
    int len;

    if (byte_count % sizeof(WCHAR))
        return ws_error_set( error, E_INVALIDARG, "UTF-16 text has an odd byte count %lu", byte_count );
    if (count && !bytes) return ws_error_set( error, E_INVALIDARG, "UTF-16 text bytes are NULL" );
    if ((len = ws_utf16_to_utf8( chars, count, NULL, 0 )) < 0)
        return ws_error_set( error, WS_E_INVALID_FORMAT, "UTF-16 text has an unpaired surrogate" );
    if (!ws_buf_reserve( out, len ))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot grow the text buffer by %d bytes", len );
    ws_utf16_to_utf8( chars, count, out->data + out->len, len );
    out->len += len;
    return S_OK;
}

static HRESULT append_xml_string( const WS_XML_STRING *str, struct ws_buf *out, WS_ERROR *error )
{
    if (!str || !str->length) return S_OK;
    if (!str->bytes) return ws_error_set( error, E_INVALIDARG, "WS_XML_STRING bytes are NULL" );
    return append( out, str->bytes, str->length, error );
}

HRESULT ws_text_to_utf8( const WS_XML_TEXT *text, struct ws_buf *out, WS_ERROR *error )
{
    char buf[FORMAT_MAX];
    ULONG len, i;
    HRESULT hr;

    if (!text) return ws_error_set( error, E_INVALIDARG, "text is NULL" );
    switch (text->textType)
    {
    case WS_XML_TEXT_TYPE_UTF8:
    {
        const WS_XML_UTF8_TEXT *utf8 = (const WS_XML_UTF8_TEXT *)text;
        return append_xml_string( &utf8->value, out, error );
    }
    case WS_XML_TEXT_TYPE_UTF16:
    {
        const WS_XML_UTF16_TEXT *utf16 = (const WS_XML_UTF16_TEXT *)text;
        return append_utf16( utf16->bytes, utf16->byteCount, out, error );
    }
    case WS_XML_TEXT_TYPE_BASE64:
    {
        const WS_XML_BASE64_TEXT *base64 = (const WS_XML_BASE64_TEXT *)text;
        if (base64->length && !base64->bytes) return ws_error_set( error, E_INVALIDARG, "base64 bytes are NULL" );
        return append_base64( base64->bytes, base64->length, out, error );
    }
    case WS_XML_TEXT_TYPE_BOOL:
        if (((const WS_XML_BOOL_TEXT *)text)->value) return append( out, "true", 4, error );
        return append( out, "false", 5, error );
    case WS_XML_TEXT_TYPE_INT32:
        len = format_int64( ((const WS_XML_INT32_TEXT *)text)->value, buf );
        break;
    case WS_XML_TEXT_TYPE_INT64:
        len = format_int64( ((const WS_XML_INT64_TEXT *)text)->value, buf );
        break;
    case WS_XML_TEXT_TYPE_UINT64:
        len = format_uint64( ((const WS_XML_UINT64_TEXT *)text)->value, buf );
        break;
    case WS_XML_TEXT_TYPE_FLOAT:
        len = format_double( ((const WS_XML_FLOAT_TEXT *)text)->value, TRUE, buf );
        break;
    case WS_XML_TEXT_TYPE_DOUBLE:
        len = format_double( ((const WS_XML_DOUBLE_TEXT *)text)->value, FALSE, buf );
        break;
    case WS_XML_TEXT_TYPE_DECIMAL:
        if ((hr = format_decimal( &((const WS_XML_DECIMAL_TEXT *)text)->value, buf, &len, error )) != S_OK) return hr;
        break;
    case WS_XML_TEXT_TYPE_GUID:
        len = format_guid( &((const WS_XML_GUID_TEXT *)text)->value, buf );
        break;
    case WS_XML_TEXT_TYPE_UNIQUE_ID:
        memcpy( buf, "urn:uuid:", 9 );
        len = 9 + format_guid( &((const WS_XML_UNIQUE_ID_TEXT *)text)->value, buf + 9 );
        break;
    case WS_XML_TEXT_TYPE_DATETIME:
        if ((hr = format_datetime( &((const WS_XML_DATETIME_TEXT *)text)->value, buf, &len, error )) != S_OK) return hr;
        break;
    case WS_XML_TEXT_TYPE_TIMESPAN:
        len = format_timespan( ((const WS_XML_TIMESPAN_TEXT *)text)->value.ticks, buf );
        break;
    case WS_XML_TEXT_TYPE_QNAME:
    {
        const WS_XML_QNAME_TEXT *qname = (const WS_XML_QNAME_TEXT *)text;
        if (!qname->localName) return ws_error_set( error, E_INVALIDARG, "qname localName is NULL" );
        if (qname->prefix && qname->prefix->length)
        {
            if ((hr = append_xml_string( qname->prefix, out, error )) != S_OK) return hr;
            if ((hr = append( out, ":", 1, error )) != S_OK) return hr;
        }
        return append_xml_string( qname->localName, out, error );
    }
    case WS_XML_TEXT_TYPE_LIST:
    {
        const WS_XML_LIST_TEXT *list = (const WS_XML_LIST_TEXT *)text;
        if (list->itemCount && !list->items) return ws_error_set( error, E_INVALIDARG, "list items are NULL" );
        for (i = 0; i < list->itemCount; i++)
        {
            if (i && (hr = append( out, " ", 1, error )) != S_OK) return hr;
            if (!list->items[i]) return ws_error_set( error, E_INVALIDARG, "list item %lu is NULL", i );
            if (list->items[i]->textType == WS_XML_TEXT_TYPE_LIST)
                return ws_error_set( error, E_INVALIDARG, "list item %lu is itself a list", i );
            if ((hr = ws_text_to_utf8( list->items[i], out, error )) != S_OK) return hr;
        }
        return S_OK;
    }
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid text type %d", text->textType );
    }
    return append( out, buf, len, error );
}

/* Size of the C type of each WS_VALUE_TYPE; 0 for an invalid type. */
static ULONG value_type_size( WS_VALUE_TYPE type )
{
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:     return sizeof(BOOL);
    case WS_INT8_VALUE_TYPE:     return sizeof(INT8);
    case WS_INT16_VALUE_TYPE:    return sizeof(INT16);
    case WS_INT32_VALUE_TYPE:    return sizeof(INT32);
    case WS_INT64_VALUE_TYPE:    return sizeof(INT64);
    case WS_UINT8_VALUE_TYPE:    return sizeof(UINT8);
    case WS_UINT16_VALUE_TYPE:   return sizeof(UINT16);
    case WS_UINT32_VALUE_TYPE:   return sizeof(UINT32);
    case WS_UINT64_VALUE_TYPE:   return sizeof(UINT64);
    case WS_FLOAT_VALUE_TYPE:    return sizeof(float);
    case WS_DOUBLE_VALUE_TYPE:   return sizeof(double);
    case WS_DECIMAL_VALUE_TYPE:  return sizeof(DECIMAL);
    case WS_DATETIME_VALUE_TYPE: return sizeof(WS_DATETIME);
    case WS_TIMESPAN_VALUE_TYPE: return sizeof(WS_TIMESPAN);
    case WS_GUID_VALUE_TYPE:     return sizeof(GUID);
    case WS_DURATION_VALUE_TYPE: return sizeof(WS_DURATION);
    default: return 0;
    }
}

static HRESULT check_value_args( WS_VALUE_TYPE type, const void *value, ULONG size, WS_ERROR *error )
{
    ULONG expected = value_type_size( type );

    if (!expected) return ws_error_set( error, E_INVALIDARG, "invalid value type %d", type );
    if (!value) return ws_error_set( error, E_INVALIDARG, "value is NULL" );
    if (size != expected)
        return ws_error_set( error, E_INVALIDARG, "value size %lu, the value type %d takes %lu", size, type, expected );
    return S_OK;
}

HRESULT ws_value_to_utf8( WS_VALUE_TYPE type, const void *value, ULONG size, struct ws_buf *out, WS_ERROR *error )
{
    char buf[FORMAT_MAX];
    ULONG len = 0;
    HRESULT hr;

    if ((hr = check_value_args( type, value, size, error )) != S_OK) return hr;
    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:
        if (*(const BOOL *)value) return append( out, "true", 4, error );
        return append( out, "false", 5, error );
    case WS_INT8_VALUE_TYPE:     len = format_int64( *(const INT8 *)value, buf ); break;
    case WS_INT16_VALUE_TYPE:    len = format_int64( *(const INT16 *)value, buf ); break;
    case WS_INT32_VALUE_TYPE:    len = format_int64( *(const INT32 *)value, buf ); break;
    case WS_INT64_VALUE_TYPE:    len = format_int64( *(const INT64 *)value, buf ); break;
    case WS_UINT8_VALUE_TYPE:    len = format_uint64( *(const UINT8 *)value, buf ); break;
    case WS_UINT16_VALUE_TYPE:   len = format_uint64( *(const UINT16 *)value, buf ); break;
    case WS_UINT32_VALUE_TYPE:   len = format_uint64( *(const UINT32 *)value, buf ); break;
    case WS_UINT64_VALUE_TYPE:   len = format_uint64( *(const UINT64 *)value, buf ); break;
    case WS_FLOAT_VALUE_TYPE:    len = format_double( *(const float *)value, TRUE, buf ); break;
    case WS_DOUBLE_VALUE_TYPE:   len = format_double( *(const double *)value, FALSE, buf ); break;
    case WS_GUID_VALUE_TYPE:     len = format_guid( value, buf ); break;
    case WS_TIMESPAN_VALUE_TYPE: len = format_timespan( ((const WS_TIMESPAN *)value)->ticks, buf ); break;
    case WS_DECIMAL_VALUE_TYPE:
        if ((hr = format_decimal( value, buf, &len, error )) != S_OK) return hr;
        break;
    case WS_DATETIME_VALUE_TYPE:
        if ((hr = format_datetime( value, buf, &len, error )) != S_OK) return hr;
        break;
    case WS_DURATION_VALUE_TYPE:
        if ((hr = format_duration( value, buf, &len, error )) != S_OK) return hr;
        break;
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid value type %d", type );
    }
    return append( out, buf, len, error );
}

/* ---------------------------------------------------------------------- */
/* Parsing: a cursor over [p, end), never past END.                         */
/* ---------------------------------------------------------------------- */

struct cursor
{
    const BYTE *p, *end;
};

static BOOL is_xml_space( BYTE c )
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static BOOL at_end( const struct cursor *c ) { return c->p >= c->end; }
static BOOL is_digit( BYTE c ) { return c >= '0' && c <= '9'; }

static BOOL skip_char( struct cursor *c, char ch )
{
    if (at_end( c ) || *c->p != (BYTE)ch) return FALSE;
    c->p++;
    return TRUE;
}

/* One or more digits as an unsigned value; *overflow when past MAX. */
static BOOL parse_digits( struct cursor *c, ULONGLONG max, ULONGLONG *value, BOOL *overflow )
{
    const BYTE *start = c->p;
    ULONGLONG v = 0;

    *overflow = FALSE;
    while (!at_end( c ) && is_digit( *c->p ))
    {
        ULONG d = *c->p++ - '0';
        if (v > (max - d) / 10) *overflow = TRUE;
        else v = v * 10 + d;
    }
    *value = v;
    return c->p > start;
}

/* Exactly WIDTH digits. */
static BOOL parse_fixed( struct cursor *c, ULONG width, ULONG *value )
{
    ULONG v = 0;

    if ((ULONG)(c->end - c->p) < width) return FALSE;
    while (width--)
    {
        if (!is_digit( *c->p )) return FALSE;
        v = v * 10 + (*c->p++ - '0');
    }
    *value = v;
    return TRUE;
}

/* (digit{1,7}) after a '.', as ticks; FALSE for no digit or more than 7. */
static BOOL parse_fraction7( struct cursor *c, ULONG *ticks )
{
    ULONG v = 0, count = 0;

    while (!at_end( c ) && is_digit( *c->p ))
    {
        if (++count > 7) return FALSE;
        v = v * 10 + (*c->p++ - '0');
    }
    if (!count) return FALSE;
    while (count++ < 7) v *= 10;
    *ticks = v;
    return TRUE;
}

static HRESULT invalid_text( const struct cursor *c, const char *what, WS_ERROR *error )
{
    (void)c;
    return ws_error_set( error, WS_E_INVALID_FORMAT, "the text is not a valid %s", what );
}

static HRESULT parse_bool( struct cursor *c, BOOL *value, WS_ERROR *error )
{
    ULONG len = c->end - c->p;

    if (len == 4 && !memcmp( c->p, "true", 4 )) *value = TRUE;
    else if (len == 5 && !memcmp( c->p, "false", 5 )) *value = FALSE;
    else if (len == 1 && *c->p == '1') *value = TRUE;
    else if (len == 1 && *c->p == '0') *value = FALSE;
    else return invalid_text( c, "boolean (true, false, 1, 0)", error );
    return S_OK;
}

/* sign? digits within [MIN, MAX]. */
static HRESULT parse_int( struct cursor *c, LONGLONG min, LONGLONG max, LONGLONG *value, WS_ERROR *error )
{
    BOOL negative = FALSE, overflow;
    ULONGLONG v;

    if (skip_char( c, '-' )) negative = TRUE;
    else skip_char( c, '+' );
    if (!parse_digits( c, ~0ULL, &v, &overflow ) || !at_end( c )) return invalid_text( c, "integer", error );
    if (overflow || (negative ? v > 0 - (ULONGLONG)min : v > (ULONGLONG)max))
        return ws_error_set( error, WS_E_NUMERIC_OVERFLOW, "the integer is out of the range %lld..%lld",
                             (long long)min, (long long)max );
    *value = negative ? (LONGLONG)(0 - v) : (LONGLONG)v;
    return S_OK;
}

/* digits within [0, MAX]: the grammar allows no sign for unsigned types. */
static HRESULT parse_uint( struct cursor *c, ULONGLONG max, ULONGLONG *value, WS_ERROR *error )
{
    BOOL overflow;

    if (!parse_digits( c, ~0ULL, value, &overflow ) || !at_end( c ))
        return invalid_text( c, "unsigned integer", error );
    if (overflow || *value > max)
        return ws_error_set( error, WS_E_NUMERIC_OVERFLOW, "the integer is out of the range 0..%llu",
                             (unsigned long long)max );
    return S_OK;
}

/* Fast path of the decimal to double conversion (Clinger): a mantissa of at
 * most 15 digits is exact in a double, and so is 10^|E| for |E| <= 22, so
 * one IEEE multiplication or division gives the correctly rounded result.
 * Only where double arithmetic is not carried out in extended precision. */
static BOOL fast_decimal_to_double( ULONGLONG mantissa, int exponent, BOOL negative, double *value )
{
#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 0
    static const double exact_powers_of_10[] =
    {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22
    };
    double v;

    if (exponent > 22 || exponent < -22) return FALSE;
    v = (double)mantissa;
    if (exponent >= 0) v *= exact_powers_of_10[exponent];
    else v /= exact_powers_of_10[-exponent];
    *value = negative ? -v : v;
    return TRUE;
#else
    (void)mantissa; (void)exponent; (void)negative; (void)value;
    return FALSE;
#endif
}

/* Digits of a number: up to 15 significant ones are kept in *MANTISSA (with
 * *EXPONENT adjusted), *EXACT is cleared when more were needed. */
static BOOL scan_digits( struct cursor *c, BOOL fraction, ULONGLONG *mantissa, ULONG *significant,
                         int *exponent, BOOL *exact )
{
    const BYTE *start = c->p;

    while (!at_end( c ) && is_digit( *c->p ))
    {
        ULONG d = *c->p++ - '0';
        if (!*significant && !d)
        {
            if (fraction) (*exponent)--;   /* leading zeros of "0.00d" */
            continue;
        }
        if (*significant < 15)
        {
            *mantissa = *mantissa * 10 + d;
            (*significant)++;
            if (fraction) (*exponent)--;
        }
        else
        {
            if (d) *exact = FALSE;
            if (!fraction) (*exponent)++;
        }
    }
    return c->p > start;
}

/* sign? digits ("." digits)? exponent? | "NaN" | "INF" | "-INF" */
static HRESULT parse_double( struct cursor *c, BOOL is_float, double *value, WS_ERROR *error )
{
    ULONG len = c->end - c->p, significant = 0;
    const BYTE *start = c->p;
    char stack_buf[64], *str = stack_buf;
    BOOL negative = FALSE, exact = TRUE, exp_negative = FALSE;
    ULONGLONG mantissa = 0;
    int exponent = 0, exp_value = 0;

    if (len == 3 && !memcmp( start, "NaN", 3 )) { *value = NAN; return S_OK; }
    if (len == 3 && !memcmp( start, "INF", 3 )) { *value = INFINITY; return S_OK; }
    if (len == 4 && !memcmp( start, "-INF", 4 )) { *value = -INFINITY; return S_OK; }

    if (skip_char( c, '-' )) negative = TRUE;
    else skip_char( c, '+' );
    if (!scan_digits( c, FALSE, &mantissa, &significant, &exponent, &exact ))
        return invalid_text( c, "floating point number", error );
    if (skip_char( c, '.' ) && !scan_digits( c, TRUE, &mantissa, &significant, &exponent, &exact ))
        return invalid_text( c, "floating point number", error );
    if (skip_char( c, 'e' ) || skip_char( c, 'E' ))
    {
        const BYTE *exp_start;
        if (skip_char( c, '-' )) exp_negative = TRUE;
        else skip_char( c, '+' );
        exp_start = c->p;
        while (!at_end( c ) && is_digit( *c->p ))
        {
            if (exp_value < 100000) exp_value = exp_value * 10 + (*c->p - '0');
            c->p++;
        }
        if (c->p == exp_start) return invalid_text( c, "floating point number", error );
    }
    if (!at_end( c )) return invalid_text( c, "floating point number", error );

    if (!is_float && exact)
    {
        exponent += exp_negative ? -exp_value : exp_value;
        if (!mantissa) { *value = negative ? -0.0 : 0.0; return S_OK; }
        if (fast_decimal_to_double( mantissa, exponent, negative, value )) return S_OK;
    }

    /* the syntax is checked: the CRT's correctly rounding conversion does the rest */
    if (len >= sizeof(stack_buf) && !(str = HeapAlloc( GetProcessHeap(), 0, len + 1 )))
        return ws_error_set( error, E_OUTOFMEMORY, "cannot copy a number of %lu characters", len );
    memcpy( str, start, len );
    str[len] = 0;
    /* out of range values become infinities and zeros, as IEEE conversions do */
    if (is_float) *value = __mingw_strtof( str, NULL );
    else *value = __mingw_strtod( str, NULL );
    if (str != stack_buf) HeapFree( GetProcessHeap(), 0, str );
    return S_OK;
}

/* 96-bit DECIMAL magnitude: words = words * 10 + digit; FALSE on overflow. */
static BOOL multiply_add_10( ULONG words[3], ULONG digit )
{
    ULONGLONG carry = digit;
    int i;

    for (i = 0; i < 3; i++)
    {
        ULONGLONG cur = (ULONGLONG)words[i] * 10 + carry;
        words[i] = (ULONG)cur;
        carry = cur >> 32;
    }
    return !carry;
}

/* sign? digits ("." digits)? */
static HRESULT parse_decimal( struct cursor *c, DECIMAL *value, WS_ERROR *error )
{
    ULONG words[3] = { 0, 0, 0 }, scale = 0, trailing_zeros = 0;
    BOOL negative = FALSE, digits = FALSE, in_fraction = FALSE;

    if (skip_char( c, '-' )) negative = TRUE;
    else skip_char( c, '+' );
    for (;;)
    {
        if (!at_end( c ) && is_digit( *c->p ))
        {
            ULONG d = *c->p++ - '0';
            digits = TRUE;
            if (in_fraction)
            {
                /* zeros past the 28th decimal place do not change the value */
                if (!d && scale >= 28) { trailing_zeros++; continue; }
                if (scale + trailing_zeros >= 28)
                    return ws_error_set( error, WS_E_NUMERIC_OVERFLOW, "the decimal has more than 28 decimal places" );
                for (; trailing_zeros; trailing_zeros--, scale++)
                    if (!multiply_add_10( words, 0 )) goto overflow;
                scale++;
            }
            if (!multiply_add_10( words, d )) goto overflow;
            continue;
        }
        if (!in_fraction && digits && skip_char( c, '.' ))
        {
            in_fraction = TRUE;
            digits = FALSE;
            continue;
        }
        break;
    }
    if (!digits || !at_end( c )) return invalid_text( c, "decimal", error );
    memset( value, 0, sizeof(*value) );
    value->Lo64 = ((ULONGLONG)words[1] << 32) | words[0];
    value->Hi32 = words[2];
    value->scale = (BYTE)scale;
    value->sign = negative ? DECIMAL_NEG : 0;
    return S_OK;

overflow:
    return ws_error_set( error, WS_E_NUMERIC_OVERFLOW, "the decimal does not fit in 96 bits" );
}

static BOOL parse_hex( struct cursor *c, ULONG count, ULONGLONG *value )
{
    ULONGLONG v = 0;

    if ((ULONG)(c->end - c->p) < count) return FALSE;
    while (count--)
    {
        BYTE ch = *c->p++;
        if (ch >= '0' && ch <= '9') v = (v << 4) | (ch - '0');
        else if (ch >= 'a' && ch <= 'f') v = (v << 4) | (ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') v = (v << 4) | (ch - 'A' + 10);
        else return FALSE;
    }
    *value = v;
    return TRUE;
}

/* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
static HRESULT parse_guid( struct cursor *c, GUID *guid, WS_ERROR *error )
{
    ULONGLONG d1, d2, d3, d4, d5;
    int i;

    if (!parse_hex( c, 8, &d1 ) || !skip_char( c, '-' ) || !parse_hex( c, 4, &d2 ) || !skip_char( c, '-' ) ||
        !parse_hex( c, 4, &d3 ) || !skip_char( c, '-' ) || !parse_hex( c, 4, &d4 ) || !skip_char( c, '-' ) ||
        !parse_hex( c, 12, &d5 ) || !at_end( c ))
        return invalid_text( c, "GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", error );
    guid->Data1 = (ULONG)d1;
    guid->Data2 = (USHORT)d2;
    guid->Data3 = (USHORT)d3;
    guid->Data4[0] = (BYTE)(d4 >> 8);
    guid->Data4[1] = (BYTE)d4;
    for (i = 0; i < 6; i++) guid->Data4[2 + i] = (BYTE)(d5 >> (40 - 8 * i));
    return S_OK;
}

/* HH:mm:ss(.fffffff)? as ticks within the day */
static BOOL parse_time_of_day( struct cursor *c, ULONGLONG *ticks )
{
    ULONG hour, minute, second, fraction = 0;

    if (!parse_fixed( c, 2, &hour ) || hour > 23 || !skip_char( c, ':' ) ||
        !parse_fixed( c, 2, &minute ) || minute > 59 || !skip_char( c, ':' ) ||
        !parse_fixed( c, 2, &second ) || second > 59)
        return FALSE;
    if (skip_char( c, '.' ) && !parse_fraction7( c, &fraction )) return FALSE;
    *ticks = hour * TICKS_PER_HOUR + minute * TICKS_PER_MINUTE + second * TICKS_PER_SECOND + fraction;
    return TRUE;
}

/* yyyy-MM-ddTHH:mm:ss(.fffffff)?(Z|[+-]hh:mm)? */
static HRESULT parse_datetime( struct cursor *c, WS_DATETIME *dt, WS_ERROR *error )
{
    static const char what[] = "date and time (yyyy-MM-ddTHH:mm:ss[.fffffff][Z|(+|-)hh:mm])";
    ULONG year, month, day, tz_hour, tz_minute;
    ULONGLONG ticks, time;
    LONGLONG offset = 0;
    WS_DATETIME_FORMAT format = WS_DATETIME_FORMAT_NONE;

    if (!parse_fixed( c, 4, &year ) || !year || !skip_char( c, '-' ) ||
        !parse_fixed( c, 2, &month ) || !month || month > 12 || !skip_char( c, '-' ) ||
        !parse_fixed( c, 2, &day ) || !day || day > days_in_month( year, month ) || !skip_char( c, 'T' ) ||
        !parse_time_of_day( c, &time ))
        return invalid_text( c, what, error );

    if (skip_char( c, 'Z' )) format = WS_DATETIME_FORMAT_UTC;
    else if (!at_end( c ) && (*c->p == '+' || *c->p == '-'))
    {
        BOOL negative = *c->p++ == '-';
        /* time zone offsets of XML Schema: -14:00 to +14:00 */
        if (!parse_fixed( c, 2, &tz_hour ) || !skip_char( c, ':' ) || !parse_fixed( c, 2, &tz_minute ) ||
            tz_minute > 59 || tz_hour * 60 + tz_minute > 14 * 60)
            return invalid_text( c, what, error );
        offset = (LONGLONG)(tz_hour * 60 + tz_minute) * TICKS_PER_MINUTE;
        if (negative) offset = -offset;
        format = WS_DATETIME_FORMAT_LOCAL;
    }
    if (!at_end( c )) return invalid_text( c, what, error );

    ticks = ((days_before_year( year ) + day - 1) * TICKS_PER_DAY) + time;
    for (month--; month; month--) ticks += days_in_month( year, month ) * TICKS_PER_DAY;
    /* the value is the UTC instant: local time minus its offset */
    if ((offset > 0 && ticks < (ULONGLONG)offset) || (offset < 0 && ticks - offset > TICKS_MAX))
        return ws_error_set( error, WS_E_INVALID_FORMAT, "the date and time in UTC is out of the WS_DATETIME range" );
    dt->ticks = ticks - offset;
    dt->format = format;
    return S_OK;
}

/* sign? (digits ".")? HH:mm:ss(.fffffff)? */
static HRESULT parse_timespan( struct cursor *c, WS_TIMESPAN *ts, WS_ERROR *error )
{
    static const char what[] = "time span ([-][d.]HH:mm:ss[.fffffff])";
    const BYTE *start;
    BOOL negative = FALSE, overflow = FALSE;
    ULONGLONG days = 0, time, max;

    if (skip_char( c, '-' )) negative = TRUE;
    else skip_char( c, '+' );
    /* days come first when the digits are followed by '.' */
    start = c->p;
    while (!at_end( c ) && is_digit( *c->p )) c->p++;
    if (!at_end( c ) && *c->p == '.' && c->p > start)
    {
        c->p = start;
        parse_digits( c, ~0ULL, &days, &overflow );
        c->p++;
    }
    else c->p = start;
    if (!parse_time_of_day( c, &time ) || !at_end( c )) return invalid_text( c, what, error );

    max = negative ? 0x8000000000000000ULL : 0x7fffffffffffffffULL;
    if (overflow || days > max / TICKS_PER_DAY || days * TICKS_PER_DAY > max - time)
        return ws_error_set( error, WS_E_NUMERIC_OVERFLOW, "the time span is out of the WS_TIMESPAN range" );
    time += days * TICKS_PER_DAY;
    ts->ticks = negative ? (LONGLONG)(0 - time) : (LONGLONG)time;
    return S_OK;
}

/* sign? "P" (n "Y")? (n "M")? (n "D")? ("T" (n "H")? (n "M")? (n ("." n)? "S")?)?
 * with at least one component, and at least one after "T". */
static HRESULT parse_duration( struct cursor *c, WS_DURATION *d, WS_ERROR *error )
{
    static const char what[] = "duration (xsd:duration)";
    static const char date_designators[] = "YMD", time_designators[] = "HMS";
    ULONG *date_fields[] = { &d->years, &d->months, &d->days };
    ULONG *time_fields[] = { &d->hours, &d->minutes, &d->seconds };
    const char *designators = date_designators;
    ULONG **fields = date_fields;
    BOOL time_part = FALSE, any = FALSE, overflow;
    ULONG next = 0;

    memset( d, 0, sizeof(*d) );
    if (skip_char( c, '-' )) d->negative = TRUE;
    else skip_char( c, '+' );
    if (!skip_char( c, 'P' )) return invalid_text( c, what, error );

    while (!at_end( c ))
    {
        ULONGLONG v;
        ULONG i, fraction = 0;

        if (!time_part && skip_char( c, 'T' ))
        {
            time_part = TRUE;
            designators = time_designators;
            fields = time_fields;
            next = 0;
            if (at_end( c )) return invalid_text( c, what, error );
            continue;
        }
        if (!parse_digits( c, 0xffffffff, &v, &overflow )) return invalid_text( c, what, error );
        if (time_part && skip_char( c, '.' ))
        {
            /* fraction of seconds: 7 digits kept (ms and ticks), the rest dropped */
            ULONG count = 0;
            while (!at_end( c ) && is_digit( *c->p ))
            {
                if (count++ < 7) fraction = fraction * 10 + (*c->p - '0');
                c->p++;
            }
            if (!count || at_end( c ) || *c->p != 'S') return invalid_text( c, what, error );
            for (; count < 7; count++) fraction *= 10;
        }
        if (at_end( c )) return invalid_text( c, what, error );
        for (i = next; i < 3; i++) if (*c->p == (BYTE)designators[i]) break;
        if (i == 3) return invalid_text( c, what, error );
        if (overflow)
            return ws_error_set( error, WS_E_NUMERIC_OVERFLOW, "a duration component is past 4294967295" );
        c->p++;
        *fields[i] = (ULONG)v;
        if (fields == time_fields && i == 2)
        {
            d->milliseconds = fraction / 10000;
            d->ticks = fraction % 10000;
        }
        next = i + 1;
        any = TRUE;
    }
    if (!any) return invalid_text( c, what, error );
    return S_OK;
}

HRESULT ws_value_from_utf8( const BYTE *utf8, ULONG len, WS_VALUE_TYPE type, void *value, ULONG size,
                            WS_ERROR *error )
{
    struct cursor c;
    LONGLONG i64;
    ULONGLONG u64;
    double dbl;
    HRESULT hr;

    if ((hr = check_value_args( type, value, size, error )) != S_OK) return hr;
    if (len && !utf8) return ws_error_set( error, E_INVALIDARG, "text is NULL" );

    /* leading and trailing whitespace is ignored (documented) */
    c.p = utf8;
    c.end = utf8 + len;
    while (c.p < c.end && is_xml_space( *c.p )) c.p++;
    while (c.end > c.p && is_xml_space( c.end[-1] )) c.end--;

    switch (type)
    {
    case WS_BOOL_VALUE_TYPE:
        return parse_bool( &c, value, error );
    case WS_INT8_VALUE_TYPE:
        if ((hr = parse_int( &c, -128, 127, &i64, error )) == S_OK) *(INT8 *)value = (INT8)i64;
        return hr;
    case WS_INT16_VALUE_TYPE:
        if ((hr = parse_int( &c, -32768, 32767, &i64, error )) == S_OK) *(INT16 *)value = (INT16)i64;
        return hr;
    case WS_INT32_VALUE_TYPE:
        if ((hr = parse_int( &c, -2147483647 - 1, 2147483647, &i64, error )) == S_OK) *(INT32 *)value = (INT32)i64;
        return hr;
    case WS_INT64_VALUE_TYPE:
        if ((hr = parse_int( &c, -9223372036854775807LL - 1, 9223372036854775807LL, &i64, error )) == S_OK)
            *(INT64 *)value = i64;
        return hr;
    case WS_UINT8_VALUE_TYPE:
        if ((hr = parse_uint( &c, 0xff, &u64, error )) == S_OK) *(UINT8 *)value = (UINT8)u64;
        return hr;
    case WS_UINT16_VALUE_TYPE:
        if ((hr = parse_uint( &c, 0xffff, &u64, error )) == S_OK) *(UINT16 *)value = (UINT16)u64;
        return hr;
    case WS_UINT32_VALUE_TYPE:
        if ((hr = parse_uint( &c, 0xffffffff, &u64, error )) == S_OK) *(UINT32 *)value = (UINT32)u64;
        return hr;
    case WS_UINT64_VALUE_TYPE:
        if ((hr = parse_uint( &c, ~0ULL, &u64, error )) == S_OK) *(UINT64 *)value = u64;
        return hr;
    case WS_FLOAT_VALUE_TYPE:
        if ((hr = parse_double( &c, TRUE, &dbl, error )) == S_OK) *(float *)value = (float)dbl;
        return hr;
    case WS_DOUBLE_VALUE_TYPE:
        if ((hr = parse_double( &c, FALSE, &dbl, error )) == S_OK) *(double *)value = dbl;
        return hr;
    case WS_DECIMAL_VALUE_TYPE:
    {
        DECIMAL dec;
        if ((hr = parse_decimal( &c, &dec, error )) == S_OK) *(DECIMAL *)value = dec;
        return hr;
    }
    case WS_DATETIME_VALUE_TYPE:
    {
        WS_DATETIME dt;
        if ((hr = parse_datetime( &c, &dt, error )) == S_OK) *(WS_DATETIME *)value = dt;
        return hr;
    }
    case WS_TIMESPAN_VALUE_TYPE:
    {
        WS_TIMESPAN ts = { 0 };
        if ((hr = parse_timespan( &c, &ts, error )) == S_OK) *(WS_TIMESPAN *)value = ts;
        return hr;
    }
    case WS_GUID_VALUE_TYPE:
    {
        GUID guid;
        if ((hr = parse_guid( &c, &guid, error )) == S_OK) *(GUID *)value = guid;
        return hr;
    }
    case WS_DURATION_VALUE_TYPE:
    {
        WS_DURATION d;
        if ((hr = parse_duration( &c, &d, error )) == S_OK) *(WS_DURATION *)value = d;
        return hr;
    }
    default:
        return ws_error_set( error, E_INVALIDARG, "invalid value type %d", type );
    }
}
