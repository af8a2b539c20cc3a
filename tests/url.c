/*
 * Tests for WsDecodeUrl, WsEncodeUrl and WsCombineUrl.
 *
 * Expected values come from Microsoft's documentation of the three functions,
 * of WS_URL_FLAGS, WS_URL_SCHEME_TYPE and the WS_*_URL structures, and from
 * RFC 3986, whose grammar WsDecodeUrl's documentation names.  Where Wine's
 * builtin webservices.dll disagrees, the comment next to the test says why
 * the documented behaviour is the expected one (todo_wine marks the check).
 */

#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

/* Wine's builtin DLLs carry this signature after their DOS header. */
static BOOL is_wine_builtin(void)
{
    const char *base = (const char *)GetModuleHandleA( "webservices.dll" );
    return base && !memcmp( base + 0x40, "Wine builtin DLL", 16 );
}

static WS_HEAP *create_heap( SIZE_T max_size )
{
    WS_HEAP *heap = NULL;
    HRESULT hr = WsCreateHeap( max_size, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "WsCreateHeap returned %#lx\n", hr );
    return heap;
}

static WS_STRING make_string( const WCHAR *str )
{
    WS_STRING ret = { (ULONG)wcslen( str ), (WCHAR *)str };
    return ret;
}

static BOOL string_equals( const WS_STRING *str, const WCHAR *expect )
{
    ULONG len = (ULONG)wcslen( expect );
    return str->length == len && (!len || !memcmp( str->chars, expect, len * sizeof(WCHAR) ));
}

static const char *dbgstr_string( const WS_STRING *str )
{
    return str->chars ? wine_dbgstr_wn( str->chars, str->length ) : "(empty)";
}

/* ---- WsDecodeUrl --------------------------------------------------------- */

struct decode_test
{
    const WCHAR *url;
    ULONG flags;
    WS_URL_SCHEME_TYPE scheme;
    const WCHAR *host;
    USHORT port;
    const WCHAR *port_str, *path, *query, *fragment;
    BOOL todo;          /* Wine's builtin returns other components (see the comment) */
};

/* Default ports: soap.udp has none and the documentation returns 0xFFFFFFFF,
 * which the USHORT port field holds as 0xFFFF.  It says nothing for net.pipe
 * (added in Windows 8); Wine's builtin returns 0xFFFF there too. */
static const struct decode_test decode_tests[] =
{
    /* every scheme, with its default port and an empty portAsString */
    { L"http://host", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"", L"", L"", FALSE },
    { L"https://host", 0, WS_URL_HTTPS_SCHEME_TYPE, L"host", 443, L"", L"", L"", L"", FALSE },
    { L"net.tcp://host", 0, WS_URL_NETTCP_SCHEME_TYPE, L"host", 808, L"", L"", L"", L"", FALSE },
    { L"soap.udp://host", 0, WS_URL_SOAPUDP_SCHEME_TYPE, L"host", 0xffff, L"", L"", L"", L"", FALSE },
    { L"net.pipe://host", 0, WS_URL_NETPIPE_SCHEME_TYPE, L"host", 0xffff, L"", L"", L"", L"", FALSE },
    /* every scheme with every component */
    { L"http://host:8080/path/to?query=1#frag", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 8080, L"8080",
      L"/path/to", L"query=1", L"frag", FALSE },
    { L"https://www.example.com:8443/a/b?c=d&e=f#g", 0, WS_URL_HTTPS_SCHEME_TYPE, L"www.example.com", 8443,
      L"8443", L"/a/b", L"c=d&e=f", L"g", FALSE },
    { L"net.tcp://server:8081/service?wsdl#top", 0, WS_URL_NETTCP_SCHEME_TYPE, L"server", 8081, L"8081",
      L"/service", L"wsdl", L"top", FALSE },
    { L"soap.udp://239.255.255.250:3702/probe?x#y", 0, WS_URL_SOAPUDP_SCHEME_TYPE, L"239.255.255.250", 3702,
      L"3702", L"/probe", L"x", L"y", FALSE },
    { L"net.pipe://localhost:1/pipe/name?q#f", 0, WS_URL_NETPIPE_SCHEME_TYPE, L"localhost", 1, L"1",
      L"/pipe/name", L"q", L"f", FALSE },
    /* schemes are case-insensitive (RFC 3986 3.1); the host keeps its case */
    { L"HTTP://Host/Path", 0, WS_URL_HTTP_SCHEME_TYPE, L"Host", 80, L"", L"/Path", L"", L"", FALSE },
    { L"Net.Tcp://host/", 0, WS_URL_NETTCP_SCHEME_TYPE, L"host", 808, L"", L"/", L"", L"", FALSE },
    /* ports at the boundaries.  Port 0 is a port given in the URL, so
     * portAsString is "0" (the structures' documentation: it is empty only when
     * no port is specified); Wine's builtin takes ":0" for no port at all. */
    { L"http://host:0/", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"0", L"/", L"", L"", TRUE },
    { L"http://host:1/", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 1, L"1", L"/", L"", L"", FALSE },
    { L"http://host:65535/", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 65535, L"65535", L"/", L"", L"", FALSE },
    { L"http://host:00080/", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"00080", L"/", L"", L"", FALSE },
    { L"https://host:80", 0, WS_URL_HTTPS_SCHEME_TYPE, L"host", 80, L"80", L"", L"", L"", FALSE },
    /* "host:" has an empty port, the same as none (RFC 3986 3.2.3) */
    { L"http://host:/a", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a", L"", L"", FALSE },
    /* IP literals: every character between the brackets is returned, the
     * brackets included, and IPv6address is not enforced.  Wine's builtin
     * returns a path with a stray L'\0' after an IP literal. */
    { L"http://[::1]/", 0, WS_URL_HTTP_SCHEME_TYPE, L"[::1]", 80, L"", L"/", L"", L"", TRUE },
    { L"http://[fe80::1:2]:8080/x", 0, WS_URL_HTTP_SCHEME_TYPE, L"[fe80::1:2]", 8080, L"8080", L"/x", L"", L"",
      TRUE },
    { L"net.tcp://[v1.anything]", 0, WS_URL_NETTCP_SCHEME_TYPE, L"[v1.anything]", 808, L"", L"", L"", L"", FALSE },
    { L"http://127.0.0.1:8080/", 0, WS_URL_HTTP_SCHEME_TYPE, L"127.0.0.1", 8080, L"8080", L"/", L"", L"", FALSE },
    /* every character RFC 3986 allows unescaped in each component */
    { L"http://h_st-1.example~!$&'()*,;=/a;b=c:d@e!$&'()*+,=~._-?q;b=c:d@e/?!$&'()*+,=~._-#f;b=c:d@e/?!$&'()*+,=~._-",
      0, WS_URL_HTTP_SCHEME_TYPE, L"h_st-1.example~!$&'()*,;=", 80, L"", L"/a;b=c:d@e!$&'()*+,=~._-",
      L"q;b=c:d@e/?!$&'()*+,=~._-", L"f;b=c:d@e/?!$&'()*+,=~._-", FALSE },
    /* absent and empty components */
    { L"http://host?q", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"", L"q", L"", FALSE },
    { L"http://host#f", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"", L"", L"f", FALSE },
    { L"http://host/?#", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/", L"", L"", FALSE },
    { L"http://host/a?b?c/d#e?f/g", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a", L"b?c/d", L"e?f/g", FALSE },
    /* percent-decoding: escapes are UTF-8 bytes, in every component.  Wine's
     * builtin stops the fragment at an escaped '#'. */
    { L"http://h%41st/p%20a%2Fth?q%20=%26#f%23", 0, WS_URL_HTTP_SCHEME_TYPE, L"hAst", 80, L"", L"/p a/th",
      L"q =&", L"f#", TRUE },
    { L"http://host/%e2%82%ac?%C3%A9#%c3%a9", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/\u20ac",
      L"\u00e9", L"\u00e9", FALSE },
    { L"http://host/%f0%9f%98%80", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/\xd83d\xde00", L"", L"", FALSE },
    /* Wine's builtin ends the path at an escaped '?' */
    { L"http://host/%25%3F%23", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/%?#", L"", L"", TRUE },
    /* An escaped '/' is data, never a segment separator: the dot segments are
     * removed from the escaped path (RFC 3986 5.2.4 works on the URI text). */
    { L"http://host/a%2F..%2Fb", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a/../b", L"", L"", FALSE },
    /* Path collapsing is the default (WS_URL_FLAGS); Wine's builtin never
     * collapses. */
    { L"http://host/a/./b/../c", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a/c", L"", L"", TRUE },
    { L"http://host/../a", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a", L"", L"", TRUE },
    { L"http://host/a/..", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/", L"", L"", TRUE },
    { L"http://host/a/.", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a/", L"", L"", TRUE },
    { L"http://host/a/b/c/../../d?x/../y#z/./w", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a/d",
      L"x/../y", L"z/./w", TRUE },
    { L"http://host/a/.b/..c/b..", 0, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/a/.b/..c/b..", L"", L"", FALSE },
    /* ... and WS_URL_FLAGS_NO_PATH_COLLAPSE keeps them */
    { L"http://host/a/./b/../c", WS_URL_FLAGS_NO_PATH_COLLAPSE, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"",
      L"/a/./b/../c", L"", L"", FALSE },
    { L"http://host/../a/..", WS_URL_FLAGS_NO_PATH_COLLAPSE, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"",
      L"/../a/..", L"", L"", FALSE },
    /* wildcard hosts, with WS_URL_FLAGS_ALLOW_HOST_WILDCARDS */
    { L"http://*/", WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, WS_URL_HTTP_SCHEME_TYPE, L"*", 80, L"", L"/", L"", L"", FALSE },
    { L"http://+:8080/svc", WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, WS_URL_HTTP_SCHEME_TYPE, L"+", 8080, L"8080",
      L"/svc", L"", L"", FALSE },
    { L"net.tcp://+/svc", WS_URL_FLAGS_ALLOW_HOST_WILDCARDS | WS_URL_FLAGS_NO_PATH_COLLAPSE,
      WS_URL_NETTCP_SCHEME_TYPE, L"+", 808, L"", L"/svc", L"", L"", FALSE },
    /* the flag allows wildcards, it does not require them */
    { L"http://host/", WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, WS_URL_HTTP_SCHEME_TYPE, L"host", 80, L"", L"/", L"",
      L"", FALSE },
};

static BOOL check_decoded( const WS_URL *url, const struct decode_test *test, char *buf, size_t size )
{
    const WS_HTTP_URL *http = (const WS_HTTP_URL *)url;

    if (url->scheme != test->scheme) sprintf( buf, "scheme %d", url->scheme );
    else if (!string_equals( &http->host, test->host )) sprintf( buf, "host %s", dbgstr_string( &http->host ) );
    else if (http->port != test->port) sprintf( buf, "port %u", http->port );
    else if (!string_equals( &http->portAsString, test->port_str ))
        sprintf( buf, "portAsString %s", dbgstr_string( &http->portAsString ) );
    else if (!string_equals( &http->path, test->path )) sprintf( buf, "path %s", dbgstr_string( &http->path ) );
    else if (!string_equals( &http->query, test->query )) sprintf( buf, "query %s", dbgstr_string( &http->query ) );
    else if (!string_equals( &http->fragment, test->fragment ))
        sprintf( buf, "fragment %s", dbgstr_string( &http->fragment ) );
    else return TRUE;
    (void)size;
    return FALSE;
}

static void test_decode(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    char mismatch[512];
    unsigned int i;
    WS_STRING str;
    WS_URL *url;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(decode_tests); i++)
    {
        const struct decode_test *test = &decode_tests[i];

        winetest_push_context( "%u %s", i, wine_dbgstr_w( test->url ) );
        str = make_string( test->url );
        url = NULL;
        hr = WsDecodeUrl( &str, test->flags, heap, &url, NULL );
        /* Wine's builtin returns E_NOTIMPL for every flag, documented ones included */
        todo_wine_if( test->flags ) ok( hr == S_OK, "got %#lx\n", hr );
        ok( hr != S_OK || url != NULL, "no URL\n" );
        if (hr == S_OK && url)
        {
            BOOL match = check_decoded( url, test, mismatch, sizeof(mismatch) );
            todo_wine_if( test->todo ) ok( match, "unexpected %s\n", match ? "" : mismatch );
        }
        winetest_pop_context();
    }
    WsFreeHeap( heap );
}

struct malformed_test
{
    const WCHAR *url;
    ULONG flags;
    BOOL todo;          /* Wine's builtin accepts it or returns another code */
};

/* Each is WS_E_INVALID_FORMAT: "The input URL was not in the correct format,
 * or the scheme was not recognized."  The grammar is RFC 3986's; Wine's
 * builtin is lenient with much of it. */
static const struct malformed_test malformed_tests[] =
{
    { L"", 0, FALSE },
    { L"host", 0, FALSE },
    { L"/path", 0, FALSE },
    { L"//host/path", 0, FALSE },
    { L"http:", 0, FALSE },
    { L"http:/host", 0, FALSE },                  /* no authority: a non-empty host is required */
    { L"http:host", 0, FALSE },
    { L"http://", 0, FALSE },
    { L"http:///path", 0, FALSE },
    { L"http://:80/", 0, FALSE },
    { L"http://?q", 0, FALSE },
    { L"net.tcp://", 0, FALSE },
    { L"soap.udp:///", 0, FALSE },
    { L"://host/", 0, FALSE },
    { L"ftp://host/", 0, FALSE },                 /* only the schemes of WS_URL_SCHEME_TYPE */
    { L"file:///c:/x", 0, FALSE },
    { L"htp://host/", 0, FALSE },
    { L"net.tcpx://host/", 0, FALSE },
    { L"http://host:65536/", 0, FALSE },
    { L"http://host:99999999999/", 0, FALSE },
    { L"http://host:abc/", 0, TRUE },   /* port = *DIGIT */
    { L"http://host:-1/", 0, TRUE },
    { L"http://host:+80/", 0, TRUE },
    { L"http://host:80:81/", 0, TRUE },
    { L"http://host:8080 /", 0, TRUE },
    { L"http://user@host/", 0, TRUE },  /* userinfo is not supported (documented) */
    { L"http://user:pass@host:80/", 0, TRUE },
    { L"http://[::1/", 0, FALSE },
    { L"http://[::1]x/", 0, TRUE },
    { L"http://[]/", 0, TRUE },         /* a non-empty host is required */
    { L"http://[::1]]/", 0, TRUE },
    { L"http://*/", 0, TRUE },          /* wildcards need WS_URL_FLAGS_ALLOW_HOST_WILDCARDS */
    { L"http://+:80/", 0, TRUE },
    { L"http://h st/", 0, TRUE },       /* characters outside the grammar */
    { L"http://ho^st/", 0, TRUE },
    { L"http://host\\path", 0, TRUE },
    { L"http://host/a b", 0, TRUE },
    { L"http://host/a<b>", 0, TRUE },
    { L"http://host/a|b", 0, TRUE },
    { L"http://host/{}", 0, TRUE },
    { L"http://host/\"q\"", 0, TRUE },
    { L"http://host/\t", 0, TRUE },
    { L"http://host/\u00e9", 0, TRUE },
    { L"http://host/a?b c", 0, TRUE },
    { L"http://host/a#b#c", 0, TRUE },  /* '#' is not a fragment character */
    { L"http://host/%zz", 0, TRUE },    /* pct-encoded = "%" HEXDIG HEXDIG */
    { L"http://host/%4", 0, TRUE },
    { L"http://host/%", 0, TRUE },
    { L"http://host/?%g0", 0, TRUE },
    { L"http://host/#%", 0, TRUE },
    /* escapes that are not UTF-8: Wine's builtin returns WS_E_QUOTA_EXCEEDED */
    { L"http://host/%ff", 0, TRUE },
    { L"http://host/%c3", 0, TRUE },
    { L"http://host/%c0%af", 0, TRUE }, /* overlong */
    { L"http://host/%ed%a0%80", 0, TRUE }, /* a surrogate */
    { L"http://host/%f4%90%80%80", 0, TRUE }, /* beyond U+10FFFF */
    { L"http://host/%80", 0, TRUE },
};

static void test_decode_malformed(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    unsigned int i;
    WS_STRING str;
    WS_URL *url;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(malformed_tests); i++)
    {
        const struct malformed_test *test = &malformed_tests[i];

        winetest_push_context( "%u %s", i, wine_dbgstr_w( test->url ) );
        str = make_string( test->url );
        url = NULL;
        hr = WsDecodeUrl( &str, test->flags, heap, &url, NULL );
        todo_wine_if( test->todo ) ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
        winetest_pop_context();
    }

    /* a NUL inside the counted string is not part of any production; Wine's builtin takes it */
    str.chars = (WCHAR *)L"http://host/a\0b";
    str.length = 15;
    hr = WsDecodeUrl( &str, 0, heap, &url, NULL );
    todo_wine ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* only the counted characters are parsed */
    str.chars = (WCHAR *)L"http://host/a b";
    str.length = 13;
    url = NULL;
    hr = WsDecodeUrl( &str, 0, heap, &url, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK)
        ok( string_equals( &((WS_HTTP_URL *)url)->path, L"/a" ), "path %s\n",
            dbgstr_string( &((WS_HTTP_URL *)url)->path ) );
    WsFreeHeap( heap );
}

static void test_decode_arguments(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    WS_STRING str = make_string( L"http://host/" ), no_chars = { 5, NULL };
    WS_URL *url = (WS_URL *)0xdeadbeef;
    HRESULT hr;

    hr = WsDecodeUrl( NULL, 0, heap, &url, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( url == (WS_URL *)0xdeadbeef, "url changed\n" );
    hr = WsDecodeUrl( &str, 0, NULL, &url, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( url == (WS_URL *)0xdeadbeef, "url changed\n" );

    /* Wine's builtin crashes on these two: not run against it. */
    if (!is_wine_builtin())
    {
        hr = WsDecodeUrl( &str, 0, heap, NULL, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        hr = WsDecodeUrl( &no_chars, 0, heap, &url, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    else skip( "Wine's builtin crashes on a NULL outUrl or NULL characters\n" );

    /* An empty string is a URL without a scheme. */
    no_chars.length = 0;
    hr = WsDecodeUrl( &no_chars, 0, heap, &url, NULL );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );

    /* Flags outside WS_URL_FLAGS are invalid arguments; Wine's builtin
     * returns E_NOTIMPL. */
    hr = WsDecodeUrl( &str, 0x8, heap, &url, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsDecodeUrl( &str, 0x80000000, heap, &url, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( url == (WS_URL *)0xdeadbeef, "url changed\n" );

    /* WS_URL_FLAGS_ZERO_TERMINATE applies to WsEncodeUrl and WsCombineUrl only: ignored here */
    hr = WsDecodeUrl( &str, WS_URL_FLAGS_ZERO_TERMINATE, heap, &url, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeHeap( heap );
}

/* The result lives on the heap: a heap too small for it is WS_E_QUOTA_EXCEEDED
 * (WsAlloc).  The path is escaped, so that its decoded form cannot be the
 * caller's characters and needs room on the heap. */
static void test_decode_quota(void)
{
    WCHAR buf[700];
    WS_STRING str;
    WS_HEAP *heap;
    WS_URL *url;
    HRESULT hr;
    int i;

    wcscpy( buf, L"http://host/" );
    for (i = 0; i < 200; i++) wcscat( buf, L"%41" );
    str = make_string( buf );

    heap = create_heap( 256 );
    hr = WsDecodeUrl( &str, 0, heap, &url, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeHeap( heap );

    heap = create_heap( 4096 );
    hr = WsDecodeUrl( &str, 0, heap, &url, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK) ok( ((WS_HTTP_URL *)url)->path.length == 201, "path length %lu\n",
                        ((WS_HTTP_URL *)url)->path.length );
    WsFreeHeap( heap );
}

/* ---- WsEncodeUrl --------------------------------------------------------- */

struct encode_test
{
    WS_URL_SCHEME_TYPE scheme;
    const WCHAR *host;
    USHORT port;
    const WCHAR *port_str, *path, *query, *fragment;
    HRESULT hr;
    const WCHAR *expect;
    BOOL todo;          /* Wine's builtin returns something else (see the comment) */
};

/* "Values are escaped as necessary": every character outside the component's
 * RFC 3986 production is written as %XX escapes of its UTF-8 bytes.  The
 * scheme's default port is not written, nor a port of 0 without a
 * portAsString: a zeroed structure is a URL without a port.  (The
 * documentation is silent on ports; Wine's builtin agrees on each case here
 * but portAsString "0", which it drops.) */
static const struct encode_test encode_tests[] =
{
    /* every WS_URL variant */
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, NULL, NULL, NULL, S_OK, L"http://host", FALSE },
    { WS_URL_HTTPS_SCHEME_TYPE, L"host", 0, NULL, NULL, NULL, NULL, S_OK, L"https://host", FALSE },
    { WS_URL_NETTCP_SCHEME_TYPE, L"host", 0, NULL, NULL, NULL, NULL, S_OK, L"net.tcp://host", FALSE },
    { WS_URL_SOAPUDP_SCHEME_TYPE, L"host", 0, NULL, NULL, NULL, NULL, S_OK, L"soap.udp://host", FALSE },
    { WS_URL_NETPIPE_SCHEME_TYPE, L"host", 0, NULL, NULL, NULL, NULL, S_OK, L"net.pipe://host", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 8080, NULL, L"/path", L"query", L"fragment", S_OK,
      L"http://host:8080/path?query#fragment", FALSE },
    { WS_URL_HTTPS_SCHEME_TYPE, L"host", 8443, NULL, L"/a/b", L"c=d", L"e", S_OK, L"https://host:8443/a/b?c=d#e", FALSE },
    { WS_URL_NETTCP_SCHEME_TYPE, L"host", 8081, NULL, L"/svc", L"q", L"f", S_OK, L"net.tcp://host:8081/svc?q#f", FALSE },
    { WS_URL_SOAPUDP_SCHEME_TYPE, L"239.255.255.250", 3702, NULL, L"/p", L"q", L"f", S_OK,
      L"soap.udp://239.255.255.250:3702/p?q#f", FALSE },
    { WS_URL_NETPIPE_SCHEME_TYPE, L"localhost", 0, NULL, L"/pipe", L"q", L"f", S_OK, L"net.pipe://localhost/pipe?q#f", FALSE },
    /* default ports are not written; others are */
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 80, NULL, NULL, NULL, NULL, S_OK, L"http://host", FALSE },
    { WS_URL_HTTPS_SCHEME_TYPE, L"host", 443, NULL, NULL, NULL, NULL, S_OK, L"https://host", FALSE },
    { WS_URL_NETTCP_SCHEME_TYPE, L"host", 808, NULL, NULL, NULL, NULL, S_OK, L"net.tcp://host", FALSE },
    { WS_URL_SOAPUDP_SCHEME_TYPE, L"host", 0xffff, NULL, NULL, NULL, NULL, S_OK, L"soap.udp://host", FALSE },
    { WS_URL_HTTPS_SCHEME_TYPE, L"host", 80, NULL, NULL, NULL, NULL, S_OK, L"https://host:80", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 443, NULL, NULL, NULL, NULL, S_OK, L"http://host:443", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 1, NULL, NULL, NULL, NULL, S_OK, L"http://host:1", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 65535, NULL, NULL, NULL, NULL, S_OK, L"http://host:65535", FALSE },
    /* portAsString, when given, must be a port that agrees with a non-zero port */
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"8080", NULL, NULL, NULL, S_OK, L"http://host:8080", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 8080, L"8080", NULL, NULL, NULL, S_OK, L"http://host:8080", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"08", NULL, NULL, NULL, S_OK, L"http://host:8", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"80", NULL, NULL, NULL, S_OK, L"http://host", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"0", NULL, NULL, NULL, S_OK, L"http://host:0", TRUE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 8080, L"9090", NULL, NULL, NULL, E_INVALIDARG, NULL, FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"65536", NULL, NULL, NULL, WS_E_INVALID_FORMAT, NULL, FALSE },
    /* Wine's builtin ignores a portAsString that is not a number */
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, L"abc", NULL, NULL, NULL, WS_E_INVALID_FORMAT, NULL, TRUE },
    /* escaping, component by component */
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, L"/a b?#%\u00e9[]", L"q #?/\u00e9", L"f #?/\u20ac", S_OK,
      L"http://host/a%20b%3F%23%25%C3%A9%5B%5D?q%20%23?/%C3%A9#f%20%23?/%E2%82%AC", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, L"/;b=c:d@e!$&'()*+,=~._-", L";:@/?!$&'()*+,=~._-",
      L";:@/?!$&'()*+,=~._-", S_OK,
      L"http://host/;b=c:d@e!$&'()*+,=~._-?;:@/?!$&'()*+,=~._-#;:@/?!$&'()*+,=~._-", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, L"/\xd83d\xde00", NULL, NULL, S_OK, L"http://host/%F0%9F%98%80", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"h st", 0, NULL, NULL, NULL, NULL, S_OK, L"http://h%20st", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"*", 0, NULL, L"/", NULL, NULL, S_OK, L"http://*/", FALSE },
    { WS_URL_HTTP_SCHEME_TYPE, L"+", 8080, NULL, L"/svc", NULL, NULL, S_OK, L"http://+:8080/svc", FALSE },
    /* A ':' or '@' in a host would read as a port or userinfo: escaped.
     * Wine's builtin writes them as they are. */
    { WS_URL_HTTP_SCHEME_TYPE, L"a:b@c/d?e#f", 0, NULL, NULL, NULL, NULL, S_OK, L"http://a%3Ab%40c%2Fd%3Fe%23f",
      TRUE },
    /* An IP literal, as WsDecodeUrl returns it, is written as it is; Wine's
     * builtin escapes the brackets, which makes it a different host. */
    { WS_URL_HTTP_SCHEME_TYPE, L"[::1]", 8080, NULL, L"/", NULL, NULL, S_OK, L"http://[::1]:8080/", TRUE },
    /* Data that cannot form a URL: WS_E_INVALID_FORMAT ("The URL data being
     * encoded was not valid according to the URL syntax").  Wine's builtin
     * writes "http://", "http://hostpath" and an escaped lone surrogate. */
    { WS_URL_HTTP_SCHEME_TYPE, NULL, 0, NULL, NULL, NULL, NULL, WS_E_INVALID_FORMAT, NULL, TRUE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, L"path", NULL, NULL, WS_E_INVALID_FORMAT, NULL, TRUE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, L"/\xd800", NULL, NULL, WS_E_INVALID_FORMAT, NULL, TRUE },
    { WS_URL_HTTP_SCHEME_TYPE, L"host", 0, NULL, NULL, L"\xdc00", NULL, WS_E_INVALID_FORMAT, NULL, TRUE },
    { WS_URL_HTTP_SCHEME_TYPE, L"[::1", 0, NULL, NULL, NULL, NULL, WS_E_INVALID_FORMAT, NULL, TRUE },
    /* schemes outside WS_URL_SCHEME_TYPE (documented) */
    { WS_URL_NETPIPE_SCHEME_TYPE + 1, L"host", 0, NULL, NULL, NULL, NULL, WS_E_INVALID_FORMAT, NULL, FALSE },
    { (WS_URL_SCHEME_TYPE)-1, L"host", 0, NULL, NULL, NULL, NULL, WS_E_INVALID_FORMAT, NULL, FALSE },
};

static WS_STRING optional_string( const WCHAR *str )
{
    WS_STRING ret = { 0, NULL };
    return str ? make_string( str ) : ret;
}

static void init_url( WS_HTTP_URL *url, const struct encode_test *test )
{
    memset( url, 0, sizeof(*url) );
    url->url.scheme = test->scheme;
    url->host = optional_string( test->host );
    url->port = test->port;
    url->portAsString = optional_string( test->port_str );
    url->path = optional_string( test->path );
    url->query = optional_string( test->query );
    url->fragment = optional_string( test->fragment );
}

static void test_encode(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    WS_HTTP_URL url;
    WS_STRING str;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(encode_tests); i++)
    {
        const struct encode_test *test = &encode_tests[i];

        winetest_push_context( "%u", i );
        init_url( &url, test );
        memset( &str, 0, sizeof(str) );
        hr = WsEncodeUrl( &url.url, 0, heap, &str, NULL );
        if (test->hr != S_OK)
        {
            todo_wine_if( test->todo ) ok( hr == test->hr, "got %#lx, expected %#lx\n", hr, test->hr );
        }
        else
        {
            ok( hr == S_OK, "got %#lx\n", hr );
            if (hr == S_OK)
                todo_wine_if( test->todo ) ok( string_equals( &str, test->expect ), "got %s, expected %s\n",
                                               dbgstr_string( &str ), wine_dbgstr_w( test->expect ) );
        }
        winetest_pop_context();
    }
    WsFreeHeap( heap );
}

/* WS_URL_FLAGS_ZERO_TERMINATE: the length includes the terminator.  Wine's
 * builtin returns E_NOTIMPL for the flag. */
static void test_encode_zero_terminate(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    WS_HTTP_URL url;
    WS_STRING str = { 0, NULL };
    HRESULT hr;

    memset( &url, 0, sizeof(url) );
    url.url.scheme = WS_URL_NETTCP_SCHEME_TYPE;
    url.host = make_string( L"host" );
    url.path = make_string( L"/a" );
    hr = WsEncodeUrl( &url.url, WS_URL_FLAGS_ZERO_TERMINATE, heap, &str, NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( str.length == 17, "length %lu\n", str.length );
        ok( !memcmp( str.chars, L"net.tcp://host/a", 17 * sizeof(WCHAR) ), "got %s\n", dbgstr_string( &str ) );
    }

    /* the decode-only flags are accepted and change nothing */
    hr = WsEncodeUrl( &url.url, WS_URL_FLAGS_ALLOW_HOST_WILDCARDS | WS_URL_FLAGS_NO_PATH_COLLAPSE, heap, &str,
                      NULL );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK) ok( string_equals( &str, L"net.tcp://host/a" ), "got %s\n", dbgstr_string( &str ) );
    WsFreeHeap( heap );
}

static void test_encode_arguments(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    WS_STRING str = { 0, NULL };
    WS_HTTP_URL url;
    HRESULT hr;

    memset( &url, 0, sizeof(url) );
    url.url.scheme = WS_URL_HTTP_SCHEME_TYPE;
    url.host = make_string( L"host" );

    hr = WsEncodeUrl( NULL, 0, heap, &str, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsEncodeUrl( &url.url, 0, NULL, &str, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsEncodeUrl( &url.url, 0, heap, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* Wine's builtin returns E_NOTIMPL for unknown flags */
    hr = WsEncodeUrl( &url.url, 0x8, heap, &str, NULL );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( !str.length && !str.chars, "output changed\n" );

    /* Wine's builtin crashes on a string with a length and no characters. */
    if (!is_wine_builtin())
    {
        url.path.length = 3;
        hr = WsEncodeUrl( &url.url, 0, heap, &str, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
        url.path.length = 0;
        url.host.chars = NULL;
        hr = WsEncodeUrl( &url.url, 0, heap, &str, NULL );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    else skip( "Wine's builtin crashes on NULL characters\n" );
    WsFreeHeap( heap );
}

static void test_encode_quota(void)
{
    WCHAR path[400];
    WS_STRING str;
    WS_HTTP_URL url;
    WS_HEAP *heap;
    HRESULT hr;
    int i;

    path[0] = '/';
    for (i = 1; i < 350; i++) path[i] = 'a' + i % 26;
    path[i] = 0;
    memset( &url, 0, sizeof(url) );
    url.url.scheme = WS_URL_HTTP_SCHEME_TYPE;
    url.host = make_string( L"host" );
    url.path = make_string( path );

    heap = create_heap( 256 );
    hr = WsEncodeUrl( &url.url, 0, heap, &str, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeHeap( heap );

    heap = create_heap( 4096 );
    hr = WsEncodeUrl( &url.url, 0, heap, &str, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK) ok( str.length == 361, "length %lu\n", str.length );
    WsFreeHeap( heap );
}

/* ---- round trips --------------------------------------------------------- */

/* Canonical URLs (upper-case escapes, only the characters that need them
 * escaped, no default port, collapsed paths) survive decode + encode. */
static const WCHAR *canonical_urls[] =
{
    L"http://host",
    L"http://host/",
    L"https://host:8443/a%20b/c?x=%C3%A9&y=%25#f%23",
    L"net.tcp://server:1/svc/%E2%82%AC?%23#%F0%9F%98%80",
    L"soap.udp://239.255.255.250:3702",
    L"net.pipe://localhost/a/b",
    L"http://host:0/",
    L"http://[fe80::1]:8080/x",
    L"http://h%20st/;a=b:c@d!$&'()*+,=~._-?/?#/?",
};

static void test_round_trip_urls(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    WS_STRING str, out;
    unsigned int i;
    WS_URL *url;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(canonical_urls); i++)
    {
        /* Wine's builtin loses ":0", an escaped '#' in the query or fragment,
         * and writes IP literals with escaped brackets */
        BOOL todo = !wcscmp( canonical_urls[i], L"http://host:0/" ) || wcschr( canonical_urls[i], '[' ) ||
                    wcsstr( canonical_urls[i], L"%23" );

        winetest_push_context( "%s", wine_dbgstr_w( canonical_urls[i] ) );
        str = make_string( canonical_urls[i] );
        hr = WsDecodeUrl( &str, 0, heap, &url, NULL );
        ok( hr == S_OK, "decode returned %#lx\n", hr );
        if (hr == S_OK)
        {
            memset( &out, 0, sizeof(out) );
            hr = WsEncodeUrl( url, 0, heap, &out, NULL );
            ok( hr == S_OK, "encode returned %#lx\n", hr );
            if (hr == S_OK) todo_wine_if( todo ) ok( string_equals( &out, canonical_urls[i] ), "got %s\n",
                                                     dbgstr_string( &out ) );
        }
        winetest_pop_context();
    }
    WsFreeHeap( heap );
}

static BOOL components_equal( const WS_HTTP_URL *url, const WCHAR *value, const WCHAR *path )
{
    return string_equals( &url->host, value ) && string_equals( &url->path, path ) &&
           string_equals( &url->query, value ) && string_equals( &url->fragment, value );
}

/* Any component value survives encode + decode, whatever it holds. */
static void test_round_trip_components(void)
{
    static const struct
    {
        const WCHAR *value;
        BOOL todo;
    }
    values[] =
    {
        { L"plain", FALSE }, { L"a b", FALSE }, { L"%", FALSE }, { L"%25", FALSE }, { L"\u00e9\u20ac", FALSE },
        { L"\xd83d\xde00", FALSE }, { L"\"<>\\^`{|}", FALSE }, { L"\x0001\x007f", FALSE },
        /* Wine's builtin decodes the escapes before it splits the URL, so an
         * escaped delimiter ends the component; it writes ':' and '@' in a
         * host as they are, which makes them a port and userinfo. */
        { L"?#[]", TRUE }, { L"/?", TRUE }, { L":@!$&'()*+,;=", TRUE },
    };
    WS_HEAP *heap = create_heap( 1 << 16 );
    WCHAR path[64];
    WS_HTTP_URL url, *decoded;
    WS_STRING str;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(values); i++)
    {
        winetest_push_context( "%s", wine_dbgstr_w( values[i].value ) );
        path[0] = '/';
        wcscpy( path + 1, values[i].value );
        memset( &url, 0, sizeof(url) );
        url.url.scheme = WS_URL_HTTPS_SCHEME_TYPE;
        url.host = make_string( values[i].value );
        url.path = make_string( path );
        url.query = make_string( values[i].value );
        url.fragment = make_string( values[i].value );
        hr = WsEncodeUrl( &url.url, 0, heap, &str, NULL );
        ok( hr == S_OK, "encode returned %#lx\n", hr );
        if (hr == S_OK)
        {
            hr = WsDecodeUrl( &str, 0, heap, (WS_URL **)&decoded, NULL );
            todo_wine_if( values[i].todo )
                ok( hr == S_OK && components_equal( decoded, values[i].value, path ),
                    "decode of %s returned %#lx\n", dbgstr_string( &str ), hr );
        }
        winetest_pop_context();
    }
    WsFreeHeap( heap );
}

/* ---- WsCombineUrl -------------------------------------------------------- */

struct combine_test
{
    const WCHAR *reference;
    const WCHAR *expect;    /* NULL: WS_E_INVALID_FORMAT */
};

/* RFC 3986 section 5.4, base "http://a/b/c/d;p?q". */
static const struct combine_test rfc3986_tests[] =
{
    /* 5.4.1 normal examples.  "g:h" resolves to "g:h" in the RFC, but "g" is
     * not a scheme of WS_URL_SCHEME_TYPE: WsCombineUrl's documentation makes
     * a reference with an unrecognized scheme WS_E_INVALID_FORMAT. */
    { L"g:h", NULL },
    { L"g", L"http://a/b/c/g" },
    { L"./g", L"http://a/b/c/g" },
    { L"g/", L"http://a/b/c/g/" },
    { L"/g", L"http://a/g" },
    { L"//g", L"http://g" },
    { L"?y", L"http://a/b/c/d;p?y" },
    { L"g?y", L"http://a/b/c/g?y" },
    { L"#s", L"http://a/b/c/d;p?q#s" },
    { L"g#s", L"http://a/b/c/g#s" },
    { L"g?y#s", L"http://a/b/c/g?y#s" },
    { L";x", L"http://a/b/c/;x" },
    { L"g;x", L"http://a/b/c/g;x" },
    { L"g;x?y#s", L"http://a/b/c/g;x?y#s" },
    { L"", L"http://a/b/c/d;p?q" },
    { L".", L"http://a/b/c/" },
    { L"./", L"http://a/b/c/" },
    { L"..", L"http://a/b/" },
    { L"../", L"http://a/b/" },
    { L"../g", L"http://a/b/g" },
    { L"../..", L"http://a/" },
    { L"../../", L"http://a/" },
    { L"../../g", L"http://a/g" },
    /* 5.4.2 abnormal examples */
    { L"../../../g", L"http://a/g" },
    { L"../../../../g", L"http://a/g" },
    { L"/./g", L"http://a/g" },
    { L"/../g", L"http://a/g" },
    { L"g.", L"http://a/b/c/g." },
    { L".g", L"http://a/b/c/.g" },
    { L"g..", L"http://a/b/c/g.." },
    { L"..g", L"http://a/b/c/..g" },
    { L"./../g", L"http://a/b/g" },
    { L"./g/.", L"http://a/b/c/g/" },
    { L"g/./h", L"http://a/b/c/g/h" },
    { L"g/../h", L"http://a/b/c/h" },
    { L"g;x=1/./y", L"http://a/b/c/g;x=1/y" },
    { L"g;x=1/../y", L"http://a/b/c/y" },
    { L"g?y/./x", L"http://a/b/c/g?y/./x" },
    { L"g?y/../x", L"http://a/b/c/g?y/../x" },
    { L"g#s/./x", L"http://a/b/c/g#s/./x" },
    { L"g#s/../x", L"http://a/b/c/g#s/../x" },
    /* "http:g" is "http:g" for a strict parser, but an http URL needs a
     * non-empty host (WsDecodeUrl's documentation): WS_E_INVALID_FORMAT. */
    { L"http:g", NULL },
};

static void check_combine( WS_HEAP *heap, const WCHAR *base, const WCHAR *reference, ULONG flags,
                           HRESULT expect_hr, const WCHAR *expect )
{
    WS_STRING base_str = make_string( base ), ref_str = make_string( reference ), out = { 0, NULL };
    HRESULT hr;

    winetest_push_context( "%s + %s", wine_dbgstr_w( base ), wine_dbgstr_w( reference ) );
    hr = WsCombineUrl( &base_str, &ref_str, flags, heap, &out, NULL );
    ok( hr == expect_hr, "got %#lx, expected %#lx\n", hr, expect_hr );
    if (hr == S_OK && expect)
        ok( string_equals( &out, expect ), "got %s, expected %s\n", dbgstr_string( &out ), wine_dbgstr_w( expect ) );
    winetest_pop_context();
}

static void test_combine_rfc3986(WS_HEAP *heap)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(rfc3986_tests); i++)
        check_combine( heap, L"http://a/b/c/d;p?q", rfc3986_tests[i].reference, 0,
                       rfc3986_tests[i].expect ? S_OK : WS_E_INVALID_FORMAT, rfc3986_tests[i].expect );
}

static void test_combine_cases(WS_HEAP *heap)
{
    /* an absolute reference is returned as it is, its path collapsed */
    check_combine( heap, L"http://a/b", L"net.tcp://x:1/y/./z/../w?q#f", 0, S_OK, L"net.tcp://x:1/y/w?q#f" );
    check_combine( heap, L"http://a/b", L"HTTPS://X/%41", 0, S_OK, L"HTTPS://X/%41" );
    /* a base without a path */
    check_combine( heap, L"http://a", L"g", 0, S_OK, L"http://a/g" );
    check_combine( heap, L"http://a", L"?q", 0, S_OK, L"http://a?q" );
    check_combine( heap, L"http://a:8080", L"../g", 0, S_OK, L"http://a:8080/g" );
    /* the base's fragment is never inherited */
    check_combine( heap, L"soap.udp://a/b/c#f", L"d", 0, S_OK, L"soap.udp://a/b/d" );
    check_combine( heap, L"net.pipe://a/b/c?q#f", L"", 0, S_OK, L"net.pipe://a/b/c?q" );
    /* the reference's authority replaces the base's, port included */
    check_combine( heap, L"https://a:1/b", L"//c:2/d/../e", 0, S_OK, L"https://c:2/e" );
    check_combine( heap, L"https://a:1/b", L"//[::1]/", 0, S_OK, L"https://[::1]/" );
    /* escapes stay escaped: the result is an encoded URL */
    check_combine( heap, L"http://a/b%20c/d", L"e%3Ff?%23#%25", 0, S_OK, L"http://a/b%20c/e%3Ff?%23#%25" );

    /* WS_URL_FLAGS_NO_PATH_COLLAPSE keeps the dot segments of the merged path */
    check_combine( heap, L"http://a/b/c/d;p?q", L"../g", WS_URL_FLAGS_NO_PATH_COLLAPSE, S_OK, L"http://a/b/c/../g" );
    check_combine( heap, L"http://a/b/c/d;p?q", L"./g/.", WS_URL_FLAGS_NO_PATH_COLLAPSE, S_OK, L"http://a/b/c/./g/." );
    check_combine( heap, L"http://a/b", L"http://x/./y/..", WS_URL_FLAGS_NO_PATH_COLLAPSE, S_OK, L"http://x/./y/.." );

    /* wildcard hosts need WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, in either URL */
    check_combine( heap, L"http://+:80/a/", L"b", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://+:80/a/", L"b", WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, S_OK, L"http://+:80/a/b" );
    check_combine( heap, L"http://a/", L"//*/b", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/", L"//*/b", WS_URL_FLAGS_ALLOW_HOST_WILDCARDS, S_OK, L"http://*/b" );

    /* malformed or unsupported bases and references */
    check_combine( heap, L"", L"g", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"/a/b", L"g", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"//a/b", L"g", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"ftp://a/b", L"g", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"ftp://x/", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http:///b", L"g", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a b/", L"g", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"g h", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"%zz", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"g#a#b", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"//", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"//u@h/", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"//h:99999/", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"http://", 0, WS_E_INVALID_FORMAT, NULL );
    check_combine( heap, L"http://a/b", L"1a:b", 0, WS_E_INVALID_FORMAT, NULL );
}

static void test_combine_zero_terminate(WS_HEAP *heap)
{
    WS_STRING base = make_string( L"http://a/b/c" ), ref = make_string( L"../d" ), out = { 0, NULL };
    HRESULT hr;

    hr = WsCombineUrl( &base, &ref, WS_URL_FLAGS_ZERO_TERMINATE, heap, &out, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    if (hr == S_OK)
    {
        ok( out.length == 11, "length %lu\n", out.length );
        ok( !memcmp( out.chars, L"http://a/d", 11 * sizeof(WCHAR) ), "got %s\n", dbgstr_string( &out ) );
    }
}

static void test_combine_arguments(WS_HEAP *heap)
{
    WS_STRING base = make_string( L"http://a/b" ), ref = make_string( L"c" ), out = { 0, NULL };
    WS_STRING no_chars = { 3, NULL };
    HRESULT hr;

    hr = WsCombineUrl( NULL, &ref, 0, heap, &out, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCombineUrl( &base, NULL, 0, heap, &out, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCombineUrl( &base, &ref, 0, NULL, &out, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCombineUrl( &base, &ref, 0, heap, NULL, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCombineUrl( &no_chars, &ref, 0, heap, &out, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCombineUrl( &base, &no_chars, 0, heap, &out, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCombineUrl( &base, &ref, 0x10, heap, &out, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( !out.length && !out.chars, "output changed\n" );
}

static void test_combine_quota(void)
{
    WCHAR path[400];
    WS_STRING base = make_string( L"http://a/b/" ), ref, out;
    WS_HEAP *heap;
    HRESULT hr;
    int i;

    for (i = 0; i < 350; i++) path[i] = 'a' + i % 26;
    path[i] = 0;
    ref = make_string( path );

    heap = create_heap( 256 );
    hr = WsCombineUrl( &base, &ref, 0, heap, &out, NULL );
    ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
    WsFreeHeap( heap );
}

static void test_combine(void)
{
    WS_HEAP *heap;

    /* Wine 8's builtin has no WsCombineUrl: calling its stub raises an exception. */
    if (is_wine_builtin())
    {
        skip( "WsCombineUrl is not implemented by Wine's builtin\n" );
        return;
    }
    heap = create_heap( 1 << 16 );
    test_combine_rfc3986( heap );
    test_combine_cases( heap );
    test_combine_zero_terminate( heap );
    test_combine_arguments( heap );
    WsFreeHeap( heap );
    test_combine_quota();
}

/* ---- WS_ERROR ------------------------------------------------------------ */

static ULONG error_string_count( WS_ERROR *error )
{
    ULONG count = 0;
    HRESULT hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == S_OK, "WsGetErrorProperty returned %#lx\n", hr );
    return count;
}

static void check_error_strings( WS_ERROR *error, BOOL todo )
{
    ULONG count = error_string_count( error );
    todo_wine_if( todo ) ok( count > 0, "no error string\n" );
    WsResetError( error );
}

/* A failure stores "additional information about the error" in the WS_ERROR;
 * Wine's builtin stores none. */
static void test_error_strings(void)
{
    WS_HEAP *heap = create_heap( 1 << 16 );
    WS_STRING bad = make_string( L"http://host:65536/" ), good = make_string( L"http://host/" );
    WS_HTTP_URL url;
    WS_ERROR *error;
    WS_URL *decoded;
    WS_STRING out;
    HRESULT hr;

    hr = WsCreateError( NULL, 0, &error );
    ok( hr == S_OK, "WsCreateError returned %#lx\n", hr );
    if (hr != S_OK) return;

    hr = WsDecodeUrl( &bad, 0, heap, &decoded, error );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    check_error_strings( error, TRUE );

    hr = WsDecodeUrl( NULL, 0, heap, &decoded, error );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    check_error_strings( error, TRUE );

    memset( &url, 0, sizeof(url) );
    url.url.scheme = 42;
    url.host = make_string( L"host" );
    hr = WsEncodeUrl( &url.url, 0, heap, &out, error );
    ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
    check_error_strings( error, TRUE );

    /* success adds nothing */
    hr = WsDecodeUrl( &good, 0, heap, &decoded, error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( error_string_count( error ) == 0, "error string added\n" );

    if (!is_wine_builtin())
    {
        hr = WsCombineUrl( &good, &bad, 0, heap, &out, error );
        ok( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
        check_error_strings( error, FALSE );
    }
    WsFreeError( error );
    WsFreeHeap( heap );
}

START_TEST(url)
{
    test_decode();
    test_decode_malformed();
    test_decode_arguments();
    test_decode_quota();
    test_encode();
    test_encode_zero_terminate();
    test_encode_arguments();
    test_encode_quota();
    test_round_trip_urls();
    test_round_trip_components();
    test_combine();
    test_error_strings();
}
