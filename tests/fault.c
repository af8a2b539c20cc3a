/*
 * Tests for faults in WS_ERROR objects: WsGetFaultErrorProperty,
 * WsSetFaultErrorProperty, WsCreateFaultFromError, WsGetFaultErrorDetail,
 * WsSetFaultErrorDetail, the WS_FAULT_TYPE round trip through XML, and the
 * fault envelopes the npm "soap" package sends (tests/soap_samples.h).
 *
 * Expected values come from Microsoft's documentation (WS_FAULT,
 * WS_FAULT_ERROR_PROPERTY_ID, WsCreateFaultFromError, Ws[GS]etFaultErrorDetail,
 * the "Faults" overview) and SOAP 1.1 section 4.4 / SOAP 1.2 part 1 section
 * 5.4.  Wine 8's builtin implements the fault error properties and
 * WsGetFaultErrorDetail, but not WsCreateFaultFromError nor
 * WsSetFaultErrorDetail (stubs that abort the process), so those tests are
 * skipped there; where the builtin disagrees with the documentation the
 * comment next to the check says so.
 */

#include <stddef.h>
#include <stdio.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"
#include "soap_samples.h"

static const WS_XML_STRING soap11_ns = WS_XML_STRING_VALUE( "http://schemas.xmlsoap.org/soap/envelope/" );
static const WS_XML_STRING soap12_ns = WS_XML_STRING_VALUE( "http://www.w3.org/2003/05/soap-envelope" );

/* Fixed for the whole file: reasons are matched against, and built in, the
 * error's language (WS_ERROR_PROPERTY_LANGID), whose default depends on the
 * user's UI language. */
#define TEST_LANGID MAKELANGID( LANG_ENGLISH, SUBLANG_ENGLISH_US )

static WS_ERROR *create_error(void)
{
    LANGID langid = TEST_LANGID;
    WS_ERROR_PROPERTY prop = { WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) };
    WS_ERROR *error = NULL;
    HRESULT hr = WsCreateError( &prop, 1, &error );
    ok( hr == S_OK, "got %#lx\n", hr );
    return error;
}

static WS_HEAP *create_heap(void)
{
    WS_HEAP *heap = NULL;
    HRESULT hr = WsCreateHeap( 1 << 20, 0, NULL, 0, &heap, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    return heap;
}

static ULONG get_string_count( WS_ERROR *error )
{
    ULONG count = 0xdeadbeef;
    HRESULT hr = WsGetErrorProperty( error, WS_ERROR_PROPERTY_STRING_COUNT, &count, sizeof(count) );
    ok( hr == S_OK, "got %#lx\n", hr );
    return count;
}

static void add_string( WS_ERROR *error, const WCHAR *str )
{
    WS_STRING string = { lstrlenW( str ), (WCHAR *)str };
    HRESULT hr = WsAddErrorString( error, &string );
    ok( hr == S_OK, "got %#lx\n", hr );
}

static WS_FAULT *get_fault( WS_ERROR *error )
{
    WS_FAULT *fault = (WS_FAULT *)0xdeadbeef;
    HRESULT hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    return fault;
}

static BOOL wstr_is( const WS_STRING *str, const WCHAR *expected )
{
    return str->length == (ULONG)lstrlenW( expected ) &&
           (!str->length || !memcmp( str->chars, expected, str->length * sizeof(WCHAR) ));
}

/* Whether STR (not necessarily NUL-terminated) contains NEEDLE. */
static BOOL wstr_contains( const WS_STRING *str, const WCHAR *needle )
{
    ULONG len = lstrlenW( needle ), i;

    for (i = 0; i + len <= str->length; i++)
        if (!memcmp( str->chars + i, needle, len * sizeof(WCHAR) )) return TRUE;
    return FALSE;
}

static BOOL xmlstr_is( const WS_XML_STRING *str, const char *expected )
{
    return str->length == strlen( expected ) && (!str->length || !memcmp( str->bytes, expected, str->length ));
}

#define check_error_string(a, b, c) check_error_string_( __LINE__, a, b, c, FALSE )
#define todo_check_error_string(a, b, c) check_error_string_( __LINE__, a, b, c, TRUE )
static void check_error_string_( unsigned int line, WS_ERROR *error, ULONG index, const WCHAR *expected, BOOL todo )
{
    WS_STRING string = { 0, NULL };
    HRESULT hr = WsGetErrorString( error, index, &string );

    ok_( __FILE__, line )( hr == S_OK, "index %lu: got %#lx\n", index, hr );
    todo_wine_if( todo )
    ok_( __FILE__, line )( wstr_is( &string, expected ), "index %lu: got %s\n", index,
                           wine_dbgstr_wn( string.chars, string.length ) );
}

#define check_code(a, b, c) check_code_( __LINE__, a, b, c )
static void check_code_( unsigned int line, const WS_FAULT_CODE *code, const char *ns, const char *local )
{
    ok_( __FILE__, line )( code != NULL, "no code\n" );
    if (!code) return;
    ok_( __FILE__, line )( xmlstr_is( &code->value.ns, ns ), "got ns %s\n",
                           wine_dbgstr_an( (const char *)code->value.ns.bytes, code->value.ns.length ) );
    ok_( __FILE__, line )( xmlstr_is( &code->value.localName, local ), "got local name %s\n",
                           wine_dbgstr_an( (const char *)code->value.localName.bytes, code->value.localName.length ) );
}

#define check_reason(a, b, c) check_reason_( __LINE__, a, b, c )
static void check_reason_( unsigned int line, const WS_FAULT_REASON *reason, const WCHAR *text, const WCHAR *lang )
{
    ok_( __FILE__, line )( wstr_is( &reason->text, text ), "got text %s\n",
                           wine_dbgstr_wn( reason->text.chars, reason->text.length ) );
    ok_( __FILE__, line )( wstr_is( &reason->lang, lang ), "got lang %s\n",
                           wine_dbgstr_wn( reason->lang.chars, reason->lang.length ) );
}

/* An XML buffer on HEAP holding the nodes of the UTF-8 document XML. */
static WS_XML_BUFFER *buffer_from_xml( WS_HEAP *heap, const char *xml )
{
    WS_XML_READER_TEXT_ENCODING encoding = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_UTF8 };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)xml, strlen( xml ) };
    WS_XML_READER *reader;
    WS_XML_BUFFER *buffer = NULL;
    HRESULT hr;

    hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadToStartElement( reader, NULL, NULL, NULL, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsReadXmlBuffer( reader, heap, &buffer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeReader( reader );
    return buffer;
}

/* The UTF-8 text form of BUFFER, NUL-terminated, on HEAP. */
static const char *xml_from_buffer( WS_HEAP *heap, WS_XML_BUFFER *buffer )
{
    WS_XML_WRITER *writer;
    char *bytes = NULL, *ret;
    ULONG size = 0;
    HRESULT hr;

    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteXmlBufferToBytes( writer, buffer, NULL, NULL, 0, heap, (void **)&bytes, &size, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeWriter( writer );
    if (hr != S_OK) return "";
    hr = WsAlloc( heap, size + 1, (void **)&ret, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    memcpy( ret, bytes, size );
    ret[size] = 0;
    return ret;
}

/* Wine 8's builtin aborts the process in a stub: skip what calls one. */
static BOOL builtin_lacks( const char *function )
{
    if (strcmp( winetest_platform, "wine" )) return FALSE;
    skip( "%s is a stub in Wine's builtin\n", function );
    return TRUE;
}

/* ---- WsGetFaultErrorProperty / WsSetFaultErrorProperty --------------------- */

static void test_WsGetFaultErrorProperty(void)
{
    WS_XML_BUFFER *header;
    WS_XML_STRING action;
    WS_FAULT *fault;
    WS_ERROR *error = create_error();
    HRESULT hr;

    /* Documented defaults: no fault (NULL), a zero-length action, no header (NULL). */
    fault = (WS_FAULT *)0xdeadbeef;
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !fault, "got %p\n", fault );

    memset( &action, 0xcc, sizeof(action) );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action, sizeof(action) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !action.length, "got length %lu\n", action.length );

    header = (WS_XML_BUFFER *)0xdeadbeef;
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header, sizeof(header) );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );   /* the builtin returns E_NOTIMPL */
    todo_wine ok( !header, "got %p\n", header );

    /* The size must be exact; unknown ids, NULL buffers and bad handles are invalid. */
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) + 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action, sizeof(action) - 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, NULL, sizeof(fault) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER + 1, &fault, sizeof(fault) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetFaultErrorProperty( NULL, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    WsFreeError( error );
}

static void test_WsSetFaultErrorProperty(void)
{
    static const WS_XML_STRING action_str = WS_XML_STRING_VALUE( "urn:fault-action" );
    WS_FAULT_CODE subcode = { { WS_XML_STRING_VALUE( "Sub" ), WS_XML_STRING_VALUE( "urn:sub" ) }, NULL };
    WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Sender" ), WS_XML_STRING_VALUE( "" ) }, &subcode };
    WS_FAULT_REASON reasons[] =
    {
        { WS_STRING_VALUE( L"Grund" ), WS_STRING_VALUE( L"de-DE" ) },
        { WS_STRING_VALUE( L"Reason" ), WS_STRING_VALUE( L"en-US" ) },
        { WS_STRING_VALUE( L"Second" ), WS_STRING_VALUE( L"en-US" ) },
    };
    WS_FAULT in, *fault;
    WS_XML_BUFFER *header, *header_in, *detail_in;
    WS_XML_STRING action;
    ULONG count;
    WS_ERROR *error = create_error();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    memset( &in, 0, sizeof(in) );
    in.code = &code;
    in.reasons = reasons;
    in.reasonCount = ARRAYSIZE(reasons);
    in.actor.chars = (WCHAR *)L"urn:actor";
    in.actor.length = 9;
    in.node.chars = (WCHAR *)L"urn:node";
    in.node.length = 8;
    in.detail = detail_in = buffer_from_xml( heap, "<detail><v xmlns=\"urn:x\">1</v></detail>" );

    /* Set takes the WS_FAULT itself (WS_FAULT *, sizeof(WS_FAULT)). */
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) - 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, NULL, sizeof(in) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( NULL, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER + 1, &in, sizeof(in) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( !get_fault( error ), "fault set by a failed call\n" );

    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Documented: the error adds the fault string, when its language is the
     * error's, to its strings: "Reason" (en-US), not "Grund" (de-DE).  The
     * builtin adds "The fault reason was: 'Reason'." instead of the string. */
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    todo_check_error_string( error, 0, L"Reason" );

    /* The error keeps a deep copy. */
    fault = get_fault( error );
    ok( fault != NULL && fault != &in, "got %p\n", fault );
    if (fault)
    {
        ok( fault->code != &code, "code not copied\n" );
        check_code( fault->code, "", "Sender" );
        if (fault->code) check_code( fault->code->subCode, "urn:sub", "Sub" );
        if (fault->code && fault->code->subCode) ok( !fault->code->subCode->subCode, "too many codes\n" );
        ok( fault->reasonCount == 3, "got %lu reasons\n", fault->reasonCount );
        ok( fault->reasons != reasons, "reasons not copied\n" );
        if (fault->reasonCount == 3)
        {
            ok( fault->reasons[0].text.chars != reasons[0].text.chars, "text not copied\n" );
            check_reason( &fault->reasons[0], L"Grund", L"de-DE" );
            check_reason( &fault->reasons[1], L"Reason", L"en-US" );
            check_reason( &fault->reasons[2], L"Second", L"en-US" );
        }
        ok( wstr_is( &fault->actor, L"urn:actor" ), "got actor %s\n",
            wine_dbgstr_wn( fault->actor.chars, fault->actor.length ) );
        ok( wstr_is( &fault->node, L"urn:node" ), "got node %s\n",
            wine_dbgstr_wn( fault->node.chars, fault->node.length ) );
        ok( fault->detail && fault->detail != detail_in, "got detail %p\n", fault->detail );
        if (fault->detail)
            ok( !strcmp( xml_from_buffer( heap, fault->detail ), "<detail><v xmlns=\"urn:x\">1</v></detail>" ),
                "got %s\n", xml_from_buffer( heap, fault->detail ) );
    }

    /* Setting the fault again adds its string again. */
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 2, "got %lu strings\n", get_string_count( error ) );

    /* No reason in the error's language: no string. */
    WsResetError( error );
    in.reasons = reasons;
    in.reasonCount = 1;
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* The builtin adds the first reason whatever its language. */
    count = get_string_count( error );
    todo_wine ok( count == 0, "got %lu strings\n", count );

    /* The action: a copy of the WS_XML_STRING. */
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action_str, sizeof(action_str) + 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action_str, sizeof(action_str) );
    ok( hr == S_OK, "got %#lx\n", hr );
    memset( &action, 0, sizeof(action) );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action, sizeof(action) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( xmlstr_is( &action, "urn:fault-action" ), "got %s\n",
        wine_dbgstr_an( (const char *)action.bytes, action.length ) );
    ok( action.bytes != action_str.bytes, "action not copied\n" );
    ok( get_fault( error ) != NULL, "the fault went away\n" );
    count = get_string_count( error );
    todo_wine ok( count == 0, "got %lu strings\n", count );

    /* The header: a WS_XML_BUFFER *, copied (the builtin does not implement it). */
    header_in = buffer_from_xml( heap, "<h:Info xmlns:h=\"urn:h\">x</h:Info>" );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header_in, sizeof(header_in) - 1 );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header_in, sizeof(header_in) );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    header = NULL;
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header, sizeof(header) );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    todo_wine ok( header != NULL && header != header_in, "got %p\n", header );
    if (header && hr == S_OK)
        ok( !strcmp( xml_from_buffer( heap, header ), "<h:Info xmlns:h=\"urn:h\">x</h:Info>" ), "got %s\n",
            xml_from_buffer( heap, header ) );
    /* A NULL buffer removes it. */
    header_in = NULL;
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header_in, sizeof(header_in) );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    header = (WS_XML_BUFFER *)0xdeadbeef;
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header, sizeof(header) );
    todo_wine ok( hr == S_OK && !header, "got %#lx %p\n", hr, header );
    /* Not an XML buffer. */
    header_in = (WS_XML_BUFFER *)heap;
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_HEADER, &header_in, sizeof(header_in) );
    todo_wine ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* Setting a property leaves the others' pointers valid (until reset). */
    fault = get_fault( error );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action_str, sizeof(action_str) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_fault( error ) == fault, "the fault moved\n" );

    /* WsResetError drops everything. */
    hr = WsResetError( error );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( !get_fault( error ), "fault left after reset\n" );
    memset( &action, 0xcc, sizeof(action) );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action, sizeof(action) );
    ok( hr == S_OK && !action.length, "got %#lx %lu\n", hr, action.length );

    WsFreeHeap( heap );
    WsFreeError( error );
}

/* The language of the fault string: the error's language (en-US here), a
 * neutral "en", compared case-insensitively; the first match only. */
static void test_fault_string_language(void)
{
    WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Receiver" ), WS_XML_STRING_VALUE( "" ) }, NULL };
    WS_FAULT_REASON reasons[] =
    {
        { WS_STRING_VALUE( L"French" ), WS_STRING_VALUE( L"fr-FR" ) },
        { WS_STRING_VALUE( L"English" ), WS_STRING_VALUE( L"en" ) },
        { WS_STRING_VALUE( L"US English" ), WS_STRING_VALUE( L"EN-us" ) },
    };
    WS_FAULT fault;
    WS_ERROR *error = create_error();
    HRESULT hr;

    memset( &fault, 0, sizeof(fault) );
    fault.code = &code;
    fault.reasons = reasons;
    fault.reasonCount = ARRAYSIZE(reasons);
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    todo_check_error_string( error, 0, L"English" );

    WsResetError( error );
    fault.reasons = reasons + 2;
    fault.reasonCount = 1;
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    todo_check_error_string( error, 0, L"US English" );

    WsFreeError( error );
}

/* A fault is language-sensitive information: the error's language can no
 * longer change (WS_ERROR_PROPERTY_LANGID: only on a new or reset error). */
static void test_fault_langid(void)
{
    WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Receiver" ), WS_XML_STRING_VALUE( "" ) }, NULL };
    WS_FAULT_REASON reason = { WS_STRING_VALUE( L"text" ), WS_STRING_VALUE( L"en-US" ) };
    LANGID langid = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
    WS_ERROR *error = create_error();
    WS_FAULT fault;
    HRESULT hr;

    memset( &fault, 0, sizeof(fault) );
    fault.code = &code;
    fault.reasons = &reason;
    fault.reasonCount = 1;
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    ok( hr == WS_E_INVALID_OPERATION, "got %#lx\n", hr );
    hr = WsResetError( error );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );   /* the builtin refuses it even after the reset */
    WsFreeError( error );
}

/* WsCopyError copies the fault data; WsFreeError releases it. */
static void test_WsCopyError_fault(void)
{
    static const WS_XML_STRING action_str = WS_XML_STRING_VALUE( "urn:copied" );
    WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Receiver" ), WS_XML_STRING_VALUE( "" ) }, NULL };
    WS_FAULT_REASON reason = { WS_STRING_VALUE( L"copied" ), WS_STRING_VALUE( L"en-US" ) };
    WS_ERROR *src = create_error(), *dst = create_error();
    WS_FAULT fault, *src_fault, *dst_fault;
    WS_XML_STRING action;
    HRESULT hr;

    if (builtin_lacks( "WsCopyError" ))
    {
        WsFreeError( src );
        WsFreeError( dst );
        return;
    }
    memset( &fault, 0, sizeof(fault) );
    fault.code = &code;
    fault.reasons = &reason;
    fault.reasonCount = 1;
    hr = WsSetFaultErrorProperty( src, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetFaultErrorProperty( src, WS_FAULT_ERROR_PROPERTY_ACTION, &action_str, sizeof(action_str) );
    ok( hr == S_OK, "got %#lx\n", hr );

    hr = WsCopyError( src, dst );
    ok( hr == S_OK, "got %#lx\n", hr );
    src_fault = get_fault( src );
    dst_fault = get_fault( dst );
    ok( dst_fault != NULL && dst_fault != src_fault, "got %p / %p\n", dst_fault, src_fault );
    WsFreeError( src );
    /* The copy stands on its own. */
    if (dst_fault)
    {
        check_code( dst_fault->code, "", "Receiver" );
        ok( dst_fault->reasonCount == 1, "got %lu\n", dst_fault->reasonCount );
        if (dst_fault->reasonCount == 1) check_reason( &dst_fault->reasons[0], L"copied", L"en-US" );
    }
    memset( &action, 0, sizeof(action) );
    hr = WsGetFaultErrorProperty( dst, WS_FAULT_ERROR_PROPERTY_ACTION, &action, sizeof(action) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( xmlstr_is( &action, "urn:copied" ), "got %s\n", wine_dbgstr_an( (const char *)action.bytes, action.length ) );
    WsFreeError( dst );
}

/* ---- WsCreateFaultFromError --------------------------------------------- */

/* The system's text for CODE in the test language, without the line break. */
static void code_text( HRESULT code, WCHAR *buf, DWORD size )
{
    DWORD len = FormatMessageW( FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code,
                                TEST_LANGID, buf, size, NULL );
    if (!len) len = FormatMessageW( FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, buf,
                                    size, NULL );
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ')) len--;
    buf[len] = 0;
}

static void test_WsCreateFaultFromError(void)
{
    WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Sender" ), WS_XML_STRING_VALUE( "" ) }, NULL };
    WS_FAULT_REASON reason = { WS_STRING_VALUE( L"Preset reason" ), WS_STRING_VALUE( L"en-US" ) };
    WS_ERROR *error, *error2;
    WS_FAULT fault, in;
    WCHAR expected[512];
    WS_HEAP *heap;
    HRESULT hr;

    if (builtin_lacks( "WsCreateFaultFromError" )) return;
    error = create_error();
    heap = create_heap();

    /* Invalid arguments: NULL error, heap or fault, a success code, an unknown disclosure. */
    hr = WsCreateFaultFromError( NULL, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, NULL, &fault );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, NULL );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, S_OK, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, S_FALSE, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE + 1, heap, &fault );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( (WS_ERROR *)heap, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( get_string_count( error ) == 0, "failures added strings to the source error\n" );

    /* No fault in the error: a generic fault, with a generic code in no
     * namespace (the serializer maps it to the envelope's: Receiver/Server
     * for a processing failure) and no actor, node or detail. */
    add_string( error, L"first" );
    add_string( error, L"second" );
    memset( &fault, 0xcc, sizeof(fault) );
    hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_code( fault.code, "", "Receiver" );
    ok( !fault.code->subCode, "got a subcode\n" );
    /* Full disclosure: all the error strings appended together. */
    ok( fault.reasonCount == 1, "got %lu reasons\n", fault.reasonCount );
    check_reason( &fault.reasons[0], L"second first", L"en-US" );
    ok( !fault.actor.length && !fault.node.length, "got actor %lu node %lu\n", fault.actor.length,
        fault.node.length );
    ok( !fault.detail, "got detail %p\n", fault.detail );
    /* The error is left as it was. */
    ok( get_string_count( error ) == 2, "got %lu strings\n", get_string_count( error ) );
    ok( !get_fault( error ), "the error got a fault\n" );

    /* Minimal disclosure: a generic string that gives nothing of the error away. */
    hr = WsCreateFaultFromError( error, E_FAIL, WS_MINIMAL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_code( fault.code, "", "Receiver" );
    ok( fault.reasonCount == 1, "got %lu reasons\n", fault.reasonCount );
    ok( fault.reasons[0].text.length > 0, "empty reason\n" );
    ok( !wstr_contains( &fault.reasons[0].text, L"first" ) && !wstr_contains( &fault.reasons[0].text, L"second" ),
        "got %s\n", wine_dbgstr_wn( fault.reasons[0].text.chars, fault.reasons[0].text.length ) );
    ok( wstr_is( &fault.reasons[0].lang, L"en-US" ), "got lang %s\n",
        wine_dbgstr_wn( fault.reasons[0].lang.chars, fault.reasons[0].lang.length ) );

    /* No strings: the text of the error code. */
    WsResetError( error );
    hr = WsCreateFaultFromError( error, E_OUTOFMEMORY, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    code_text( E_OUTOFMEMORY, expected, ARRAYSIZE(expected) );
    ok( fault.reasonCount == 1, "got %lu reasons\n", fault.reasonCount );
    check_reason( &fault.reasons[0], expected, L"en-US" );

    /* A malformed message is the sender's fault (SOAP 1.2 part 1, 5.4.6). */
    hr = WsCreateFaultFromError( error, WS_E_INVALID_FORMAT, WS_MINIMAL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_code( fault.code, "", "Sender" );

    /* The language follows WS_ERROR_PROPERTY_LANGID. */
    {
        LANGID german = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
        WS_ERROR_PROPERTY prop = { WS_ERROR_PROPERTY_LANGID, &german, sizeof(german) };
        hr = WsCreateError( &prop, 1, &error2 );
        ok( hr == S_OK, "got %#lx\n", hr );
        add_string( error2, L"Fehler" );
        hr = WsCreateFaultFromError( error2, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
        ok( hr == S_OK, "got %#lx\n", hr );
        check_reason( &fault.reasons[0], L"Fehler", L"de-DE" );
        WsFreeError( error2 );
    }

    /* A fault in the error is the one used: copied onto the heap, detail included. */
    memset( &in, 0, sizeof(in) );
    in.code = &code;
    in.reasons = &reason;
    in.reasonCount = 1;
    in.actor.chars = (WCHAR *)L"urn:actor";
    in.actor.length = 9;
    in.detail = buffer_from_xml( heap, "<d><x xmlns=\"urn:x\">2</x></d>" );
    add_string( error, L"not used" );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( fault.code != get_fault( error )->code, "code not copied\n" );
    check_code( fault.code, "", "Sender" );
    ok( fault.reasonCount == 1, "got %lu reasons\n", fault.reasonCount );
    check_reason( &fault.reasons[0], L"Preset reason", L"en-US" );
    ok( wstr_is( &fault.actor, L"urn:actor" ), "got actor %s\n",
        wine_dbgstr_wn( fault.actor.chars, fault.actor.length ) );
    ok( fault.detail && fault.detail != get_fault( error )->detail, "got detail %p\n", fault.detail );
    if (fault.detail)
        ok( !strcmp( xml_from_buffer( heap, fault.detail ), "<d><x xmlns=\"urn:x\">2</x></d>" ), "got %s\n",
            xml_from_buffer( heap, fault.detail ) );
    /* ... even with minimal disclosure: its reasons were chosen by the application. */
    hr = WsCreateFaultFromError( error, E_FAIL, WS_MINIMAL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_reason( &fault.reasons[0], L"Preset reason", L"en-US" );

    /* A fault without reasons gets them constructed by disclosure. */
    WsResetError( error );
    in.reasonCount = 0;
    in.reasons = NULL;
    add_string( error, L"detail text" );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, heap, &fault );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_code( fault.code, "", "Sender" );
    ok( fault.reasonCount == 1, "got %lu reasons\n", fault.reasonCount );
    check_reason( &fault.reasons[0], L"detail text", L"en-US" );

    /* Heap quota: WS_E_QUOTA_EXCEEDED. */
    {
        WS_HEAP *tiny;
        hr = WsCreateHeap( 16, 0, NULL, 0, &tiny, NULL );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsCreateFaultFromError( error, E_FAIL, WS_FULL_FAULT_DISCLOSURE, tiny, &fault );
        ok( hr == WS_E_QUOTA_EXCEEDED, "got %#lx\n", hr );
        WsFreeHeap( tiny );
    }

    WsFreeHeap( heap );
    WsFreeError( error );
}

/* ---- WsSetFaultErrorDetail / WsGetFaultErrorDetail ----------------------- */

typedef struct
{
    INT32 dividend;
    WCHAR *message;
} DivideByZero;

static WS_XML_STRING dividend_name = WS_XML_STRING_VALUE( "dividend" );
static WS_XML_STRING message_name = WS_XML_STRING_VALUE( "message" );
static WS_XML_STRING divide_by_zero_name = WS_XML_STRING_VALUE( "DivideByZero" );
static WS_XML_STRING sample_ns_var = WS_XML_STRING_VALUE( SOAP_SAMPLES_NS );

static WS_FIELD_DESCRIPTION dividend_field =
{
    .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &dividend_name, .ns = &sample_ns_var, .type = WS_INT32_TYPE,
    .offset = offsetof(DivideByZero, dividend)
};
static WS_FIELD_DESCRIPTION message_field =
{
    .mapping = WS_ELEMENT_FIELD_MAPPING, .localName = &message_name, .ns = &sample_ns_var, .type = WS_WSZ_TYPE,
    .offset = offsetof(DivideByZero, message)
};
static WS_FIELD_DESCRIPTION *divide_by_zero_fields[] = { &dividend_field, &message_field };
static WS_STRUCT_DESCRIPTION divide_by_zero_struct =
{
    .size = sizeof(DivideByZero), .alignment = TYPE_ALIGNMENT(DivideByZero), .fields = divide_by_zero_fields,
    .fieldCount = ARRAYSIZE(divide_by_zero_fields)
};
/* The detail of the sample faults: <DivideByZero xmlns=SOAP_SAMPLES_NS>. */
static WS_ELEMENT_DESCRIPTION divide_by_zero_element =
{
    &divide_by_zero_name, &sample_ns_var, WS_STRUCT_TYPE, &divide_by_zero_struct
};
/* The same fields as the several elements of a detail (no element name). */
static WS_ELEMENT_DESCRIPTION divide_by_zero_content = { NULL, NULL, WS_STRUCT_TYPE, &divide_by_zero_struct };

/* A detail that is not there (no fault, another element, another action):
 * NULL for an optional pointer, WS_E_INVALID_FORMAT for a required value. */
#define check_no_detail(a, b, c, d) check_no_detail_( __LINE__, a, b, c, d )
static void check_no_detail_( unsigned int line, WS_ERROR *error, const WS_FAULT_DETAIL_DESCRIPTION *desc,
                              WS_HEAP *heap, BOOL todo_optional )
{
    DivideByZero value, *ptr = (DivideByZero *)0xdeadbeef;
    HRESULT hr;

    hr = WsGetFaultErrorDetail( error, desc, WS_READ_OPTIONAL_POINTER, heap, &ptr, sizeof(ptr) );
    todo_wine_if( todo_optional ) ok_( __FILE__, line )( hr == S_OK, "got %#lx\n", hr );
    ok_( __FILE__, line )( !ptr, "got %p\n", ptr );
    hr = WsGetFaultErrorDetail( error, desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok_( __FILE__, line )( hr == WS_E_INVALID_FORMAT, "got %#lx\n", hr );
}

static void test_WsGetFaultErrorDetail(void)
{
    static const WS_XML_STRING action1 = WS_XML_STRING_VALUE( "urn:action1" );
    static const WS_XML_STRING action2 = WS_XML_STRING_VALUE( "urn:action2" );
    WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Sender" ), WS_XML_STRING_VALUE( "" ) }, NULL };
    WS_FAULT_DETAIL_DESCRIPTION desc = { NULL, &divide_by_zero_element };
    WS_FAULT fault;
    DivideByZero value, *ptr;
    WS_ERROR *error = create_error();
    WS_HEAP *heap = create_heap();
    HRESULT hr;

    /* No fault. */
    check_no_detail( error, &desc, heap, FALSE );

    /* Invalid arguments. */
    hr = WsGetFaultErrorDetail( NULL, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsGetFaultErrorDetail( error, NULL, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );

    /* A fault whose detail holds the element, set as WS_FAULT_ERROR_PROPERTY_FAULT. */
    memset( &fault, 0, sizeof(fault) );
    fault.code = &code;
    fault.detail = buffer_from_xml( heap, "<detail><DivideByZero xmlns=\"" SOAP_SAMPLES_NS "\"><dividend>7</dividend>"
                                          "<message>no</message></DivideByZero></detail>" );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );

    memset( &value, 0, sizeof(value) );
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value.dividend == 7, "got %d\n", value.dividend );
    ok( value.message && !wcscmp( value.message, L"no" ), "got %s\n", wine_dbgstr_w( value.message ) );

    ptr = NULL;
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_POINTER, heap, &ptr, sizeof(ptr) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( ptr && ptr->dividend == 7, "got %p\n", ptr );

    /* Another element name: NULL for an optional pointer, so that several
     * detail types can be tried in turn, as documented; required fails. */
    {
        WS_XML_STRING other = WS_XML_STRING_VALUE( "Other" );
        WS_ELEMENT_DESCRIPTION other_element = { &other, &sample_ns_var, WS_STRUCT_TYPE, &divide_by_zero_struct };
        WS_FAULT_DETAIL_DESCRIPTION other_desc = { NULL, &other_element };

        /* The builtin fails the optional read with WS_E_INVALID_FORMAT, against the documentation. */
        check_no_detail( error, &other_desc, heap, TRUE );
    }

    /* The action filter applies when both actions are given. */
    desc.action = (WS_XML_STRING *)&action1;
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == S_OK, "got %#lx (no action in the error: no filter)\n", hr );
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &action2, sizeof(action2) );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_no_detail( error, &desc, heap, FALSE );
    desc.action = (WS_XML_STRING *)&action2;
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == S_OK, "got %#lx\n", hr );
    desc.action = NULL;
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == S_OK, "got %#lx\n", hr );

    WsFreeHeap( heap );
    WsFreeError( error );
}

static void test_WsSetFaultErrorDetail(void)
{
    static const WS_XML_STRING action = WS_XML_STRING_VALUE( "urn:detail-action" );
    WS_FAULT_DETAIL_DESCRIPTION desc = { (WS_XML_STRING *)&action, &divide_by_zero_element };
    WS_FAULT_DETAIL_DESCRIPTION content_desc = { NULL, &divide_by_zero_content };
    DivideByZero in = { 5, (WCHAR *)L"five" }, out, *ptr = &in;
    WS_XML_STRING got_action;
    WS_FAULT *fault, created;
    WS_ERROR *error;
    WS_HEAP *heap;
    HRESULT hr;

    if (builtin_lacks( "WsSetFaultErrorDetail" )) return;
    error = create_error();
    heap = create_heap();

    hr = WsSetFaultErrorDetail( NULL, &desc, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    hr = WsSetFaultErrorDetail( error, NULL, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    {
        WS_FAULT_DETAIL_DESCRIPTION no_element = { NULL, NULL };
        hr = WsSetFaultErrorDetail( error, &no_element, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) );
        ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    }
    hr = WsSetFaultErrorDetail( error, &desc, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) - 1 );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ok( !get_fault( error ), "a failed call left a fault\n" );
    /* ... nor anything else: the error's language can still change. */
    {
        LANGID langid = TEST_LANGID;
        hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &langid, sizeof(langid) );
        ok( hr == S_OK, "got %#lx\n", hr );
    }

    hr = WsSetFaultErrorDetail( error, &desc, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* The action of the description becomes WS_FAULT_ERROR_PROPERTY_ACTION. */
    memset( &got_action, 0, sizeof(got_action) );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &got_action, sizeof(got_action) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( xmlstr_is( &got_action, "urn:detail-action" ), "got %s\n",
        wine_dbgstr_an( (const char *)got_action.bytes, got_action.length ) );
    /* The detail is the detail field of the error's fault: a detail element
     * (whose name does not matter) holding the serialized element. */
    fault = get_fault( error );
    ok( fault != NULL, "no fault\n" );
    if (fault)
    {
        ok( fault->detail != NULL, "no detail\n" );
        if (fault->detail)
            ok( !strcmp( xml_from_buffer( heap, fault->detail ),
                         "<detail><DivideByZero xmlns=\"" SOAP_SAMPLES_NS "\"><dividend>5</dividend>"
                         "<message>five</message></DivideByZero></detail>" ),
                "got %s\n", xml_from_buffer( heap, fault->detail ) );
    }
    ok( get_string_count( error ) == 0, "got %lu strings\n", get_string_count( error ) );

    /* Read back. */
    memset( &out, 0, sizeof(out) );
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.dividend == 5 && out.message && !wcscmp( out.message, L"five" ), "got %d %s\n", out.dividend,
        wine_dbgstr_w( out.message ) );

    /* The fault it started has no code or reason: WsCreateFaultFromError completes it. */
    hr = WsCreateFaultFromError( error, E_FAIL, WS_MINIMAL_FAULT_DISCLOSURE, heap, &created );
    ok( hr == S_OK, "got %#lx\n", hr );
    check_code( created.code, "", "Receiver" );
    ok( created.reasonCount == 1, "got %lu\n", created.reasonCount );
    ok( created.detail != NULL, "no detail\n" );

    /* A pointer write option. */
    hr = WsSetFaultErrorDetail( error, &desc, WS_WRITE_REQUIRED_POINTER, &ptr, sizeof(ptr) );
    ok( hr == S_OK, "got %#lx\n", hr );

    /* Several elements as one value: no element name, the struct's fields. */
    in.dividend = 9;
    hr = WsSetFaultErrorDetail( error, &content_desc, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) );
    ok( hr == S_OK, "got %#lx\n", hr );
    fault = get_fault( error );
    if (fault && fault->detail)
        ok( !strcmp( xml_from_buffer( heap, fault->detail ),
                     "<detail><dividend xmlns=\"" SOAP_SAMPLES_NS "\">9</dividend>"
                     "<message xmlns=\"" SOAP_SAMPLES_NS "\">five</message></detail>" ),
            "got %s\n", xml_from_buffer( heap, fault->detail ) );
    memset( &out, 0, sizeof(out) );
    hr = WsGetFaultErrorDetail( error, &content_desc, WS_READ_REQUIRED_VALUE, heap, &out, sizeof(out) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( out.dividend == 9 && out.message && !wcscmp( out.message, L"five" ), "got %d %s\n", out.dividend,
        wine_dbgstr_w( out.message ) );
    /* That form takes only the required options. */
    hr = WsSetFaultErrorDetail( error, &content_desc, WS_WRITE_NILLABLE_VALUE, &in, sizeof(in) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    ptr = NULL;
    hr = WsGetFaultErrorDetail( error, &content_desc, WS_READ_OPTIONAL_POINTER, heap, &ptr, sizeof(ptr) );
    ok( hr == E_INVALIDARG, "got %#lx\n", hr );
    /* The action set before stays: this description has none. */
    memset( &got_action, 0, sizeof(got_action) );
    hr = WsGetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_ACTION, &got_action, sizeof(got_action) );
    ok( hr == S_OK && xmlstr_is( &got_action, "urn:detail-action" ), "got %#lx\n", hr );

    /* The detail goes into a fault set before, keeping its code and reasons. */
    {
        WS_FAULT_CODE code = { { WS_XML_STRING_VALUE( "Sender" ), WS_XML_STRING_VALUE( "" ) }, NULL };
        WS_FAULT_REASON reason = { WS_STRING_VALUE( L"bad" ), WS_STRING_VALUE( L"en-US" ) };
        WS_FAULT preset;

        WsResetError( error );
        memset( &preset, 0, sizeof(preset) );
        preset.code = &code;
        preset.reasons = &reason;
        preset.reasonCount = 1;
        hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &preset, sizeof(preset) );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsSetFaultErrorDetail( error, &desc, WS_WRITE_REQUIRED_VALUE, &in, sizeof(in) );
        ok( hr == S_OK, "got %#lx\n", hr );
        fault = get_fault( error );
        if (fault)
        {
            check_code( fault->code, "", "Sender" );
            ok( fault->reasonCount == 1, "got %lu\n", fault->reasonCount );
            ok( fault->detail != NULL, "no detail\n" );
        }
    }

    WsFreeHeap( heap );
    WsFreeError( error );
}

/* ---- WS_FAULT_TYPE round trip ------------------------------------------- */

static WS_XML_STRING fault_name = WS_XML_STRING_VALUE( "Fault" );

static const char *write_fault( WS_HEAP *heap, WS_ENVELOPE_VERSION version, const WS_FAULT *fault )
{
    WS_FAULT_DESCRIPTION fault_desc = { version };
    WS_ELEMENT_DESCRIPTION desc = { &fault_name, NULL, WS_FAULT_TYPE, &fault_desc };
    WS_XML_WRITER *writer;
    WS_XML_BUFFER *buffer;
    HRESULT hr;

    desc.elementNs = (WS_XML_STRING *)(version == WS_ENVELOPE_VERSION_SOAP_1_1 ? &soap11_ns : &soap12_ns);
    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsCreateXmlBuffer( heap, NULL, 0, &buffer, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetOutputToBuffer( writer, buffer, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsWriteElement( writer, &desc, WS_WRITE_REQUIRED_VALUE, fault, sizeof(*fault), NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    WsFreeWriter( writer );
    return xml_from_buffer( heap, buffer );
}

/* Reads the Fault element of the UTF-8 text XML, wherever it is (a whole
 * envelope or the bare element), with WsReadElement(WS_FAULT_TYPE). */
static HRESULT read_fault( WS_HEAP *heap, WS_ENVELOPE_VERSION version, const char *xml, WS_FAULT *fault )
{
    WS_XML_READER_TEXT_ENCODING encoding = { { WS_XML_READER_ENCODING_TYPE_TEXT }, WS_CHARSET_AUTO };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)xml, strlen( xml ) };
    WS_FAULT_DESCRIPTION fault_desc = { version };
    WS_ELEMENT_DESCRIPTION desc = { &fault_name, NULL, WS_FAULT_TYPE, &fault_desc };
    const WS_XML_STRING *ns = version == WS_ENVELOPE_VERSION_SOAP_1_1 ? &soap11_ns : &soap12_ns;
    WS_XML_READER *reader;
    const WS_XML_NODE *node;
    HRESULT hr;

    desc.elementNs = (WS_XML_STRING *)ns;
    hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    hr = WsSetInput( reader, &encoding.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "got %#lx\n", hr );
    /* Locate the Fault element with the reader: the first element of that name. */
    for (;;)
    {
        if ((hr = WsReadNode( reader, NULL )) != S_OK) break;
        if ((hr = WsGetReaderNode( reader, &node, NULL )) != S_OK) break;
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) { hr = WS_E_INVALID_FORMAT; break; }
        if (node->nodeType == WS_XML_NODE_TYPE_ELEMENT)
        {
            const WS_XML_ELEMENT_NODE *elem = (const WS_XML_ELEMENT_NODE *)node;
            if (xmlstr_is( elem->localName, "Fault" ) && xmlstr_is( elem->ns, (const char *)ns->bytes )) break;
        }
    }
    ok( hr == S_OK, "Fault element not found: %#lx\n", hr );
    if (hr == S_OK) hr = WsReadElement( reader, &desc, WS_READ_REQUIRED_VALUE, heap, fault, sizeof(*fault), NULL );
    WsFreeReader( reader );
    return hr;
}

/* WS_ERROR with strings -> WsCreateFaultFromError -> WS_FAULT_TYPE XML ->
 * WS_FAULT -> a WS_ERROR again, as the channel layer stores a received fault
 * (WS_FAULT_ERROR_PROPERTY_FAULT; the reason in the error's language becomes
 * its string). */
static void test_fault_round_trip(void)
{
    static const struct
    {
        WS_ENVELOPE_VERSION version;
        WS_FAULT_DISCLOSURE disclosure;
        const char *code;            /* the generic code's name in that version */
    }
    tests[] =
    {
        { WS_ENVELOPE_VERSION_SOAP_1_1, WS_FULL_FAULT_DISCLOSURE, "Server" },
        { WS_ENVELOPE_VERSION_SOAP_1_2, WS_FULL_FAULT_DISCLOSURE, "Receiver" },
        { WS_ENVELOPE_VERSION_SOAP_1_1, WS_MINIMAL_FAULT_DISCLOSURE, "Server" },
        { WS_ENVELOPE_VERSION_SOAP_1_2, WS_MINIMAL_FAULT_DISCLOSURE, "Receiver" },
    };
    WS_FAULT created, received, *stored;
    WCHAR reason[256];
    const char *xml;
    WS_ERROR *error, *error2;
    WS_HEAP *heap;
    unsigned int i;
    HRESULT hr;

    if (builtin_lacks( "WsCreateFaultFromError" )) return;
    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        winetest_push_context( "%u", i );
        heap = create_heap();
        error = create_error();
        add_string( error, L"Invalid <input> & \"quotes\"" );

        hr = WsCreateFaultFromError( error, E_FAIL, tests[i].disclosure, heap, &created );
        ok( hr == S_OK, "got %#lx\n", hr );
        xml = write_fault( heap, tests[i].version, &created );
        /* The prefixes are the writer's choice: check the content. */
        ok( strstr( xml, tests[i].code ) != NULL, "got %s\n", xml );
        if (tests[i].disclosure == WS_FULL_FAULT_DISCLOSURE)
            ok( strstr( xml, ">Invalid &lt;input&gt; &amp; \"quotes\"<" ) != NULL, "got %s\n", xml );
        else ok( !strstr( xml, "input" ), "the minimal fault discloses the error: %s\n", xml );

        memset( &received, 0, sizeof(received) );
        hr = read_fault( heap, tests[i].version, xml, &received );
        ok( hr == S_OK, "got %#lx\n", hr );
        /* The code comes back qualified with the envelope's namespace. */
        check_code( received.code, tests[i].version == WS_ENVELOPE_VERSION_SOAP_1_1 ?
                    "http://schemas.xmlsoap.org/soap/envelope/" : "http://www.w3.org/2003/05/soap-envelope",
                    tests[i].code );
        ok( received.reasonCount == 1, "got %lu reasons\n", received.reasonCount );
        if (received.reasonCount == 1)
            check_reason( &received.reasons[0], created.reasons[0].text.chars, L"en-US" );

        error2 = create_error();
        hr = WsSetFaultErrorProperty( error2, WS_FAULT_ERROR_PROPERTY_FAULT, &received, sizeof(received) );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( get_string_count( error2 ) == 1, "got %lu strings\n", get_string_count( error2 ) );
        if (tests[i].disclosure == WS_FULL_FAULT_DISCLOSURE)
            check_error_string( error2, 0, L"Invalid <input> & \"quotes\"" );
        else
        {
            ULONG len = min( created.reasons[0].text.length, ARRAYSIZE(reason) - 1 );
            ok( !wstr_contains( &created.reasons[0].text, L"input" ), "got %s\n",
                wine_dbgstr_wn( created.reasons[0].text.chars, created.reasons[0].text.length ) );
            memcpy( reason, created.reasons[0].text.chars, len * sizeof(WCHAR) );
            reason[len] = 0;
            check_error_string( error2, 0, reason );
        }
        stored = get_fault( error2 );
        ok( stored != NULL, "no fault\n" );
        WsFreeError( error2 );
        WsFreeError( error );
        WsFreeHeap( heap );
        winetest_pop_context();
    }
}

/* ---- the npm "soap" package's faults ------------------------------------- */

static void check_sample_detail( WS_ERROR *error, WS_HEAP *heap )
{
    WS_FAULT_DETAIL_DESCRIPTION desc = { NULL, &divide_by_zero_element };
    DivideByZero value;
    HRESULT hr;

    memset( &value, 0, sizeof(value) );
    hr = WsGetFaultErrorDetail( error, &desc, WS_READ_REQUIRED_VALUE, heap, &value, sizeof(value) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( value.dividend == 1, "got %d\n", value.dividend );
    ok( value.message && !wcscmp( value.message, L"Attempted to divide by zero." ), "got %s\n",
        wine_dbgstr_w( value.message ) );
}

static void test_soap11_sample_fault(void)
{
    WS_HEAP *heap = create_heap();
    WS_ERROR *error = create_error();
    WS_FAULT fault;
    HRESULT hr;

    memset( &fault, 0, sizeof(fault) );
    hr = read_fault( heap, WS_ENVELOPE_VERSION_SOAP_1_1, soap11_fault_response, &fault );
    /* The builtin rejects this valid SOAP 1.1 fault (WS_E_INVALID_FORMAT). */
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );
    if (hr != S_OK) goto done;

    /* faultcode soap:Client: one code, qualified by the envelope namespace. */
    check_code( fault.code, "http://schemas.xmlsoap.org/soap/envelope/", "Client" );
    ok( !fault.code->subCode, "got a subcode\n" );
    /* faultstring without xml:lang. */
    ok( fault.reasonCount == 1, "got %lu reasons\n", fault.reasonCount );
    if (fault.reasonCount == 1) check_reason( &fault.reasons[0], L"Division by zero", L"" );
    ok( wstr_is( &fault.actor, L"http://example.org/calculator/actor" ), "got actor %s\n",
        wine_dbgstr_wn( fault.actor.chars, fault.actor.length ) );
    ok( !fault.node.length, "got node %s\n", wine_dbgstr_wn( fault.node.chars, fault.node.length ) );
    ok( fault.detail != NULL, "no detail\n" );
    if (fault.detail)
        ok( !strcmp( xml_from_buffer( heap, fault.detail ),
                     "<detail><DivideByZero xmlns=\"" SOAP_SAMPLES_NS "\"><dividend>1</dividend>"
                     "<message>Attempted to divide by zero.</message></DivideByZero></detail>" ),
            "got %s\n", xml_from_buffer( heap, fault.detail ) );

    /* Stored in an error as a received fault: a reason without xml:lang is
     * taken to be in the error's language, so it becomes the error string. */
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    if (get_string_count( error ) == 1) check_error_string( error, 0, L"Division by zero" );
    check_sample_detail( error, heap );

done:
    WsFreeError( error );
    WsFreeHeap( heap );
}

static void test_soap12_sample_fault(void)
{
    WS_HEAP *heap = create_heap();
    WS_ERROR *error = create_error();
    WS_FAULT fault;
    HRESULT hr;

    memset( &fault, 0, sizeof(fault) );
    hr = read_fault( heap, WS_ENVELOPE_VERSION_SOAP_1_2, soap12_fault_response, &fault );
    todo_wine ok( hr == S_OK, "got %#lx\n", hr );   /* the builtin reads no SOAP 1.2 fault (E_NOTIMPL) */
    if (hr != S_OK) goto done;

    /* Code/Value soap:Sender, Subcode/Value calc:DivideByZero: most generic first. */
    check_code( fault.code, "http://www.w3.org/2003/05/soap-envelope", "Sender" );
    if (fault.code)
    {
        check_code( fault.code->subCode, SOAP_SAMPLES_NS, "DivideByZero" );
        if (fault.code->subCode) ok( !fault.code->subCode->subCode, "too many codes\n" );
    }
    /* Both Reason/Text, in document order, with their xml:lang. */
    ok( fault.reasonCount == 2, "got %lu reasons\n", fault.reasonCount );
    if (fault.reasonCount == 2)
    {
        check_reason( &fault.reasons[0], L"Division by zero", L"en-US" );
        check_reason( &fault.reasons[1], L"Division durch Null", L"de-DE" );
    }
    /* Node is the node, Role the actor. */
    ok( wstr_is( &fault.node, L"http://example.org/calculator/node" ), "got node %s\n",
        wine_dbgstr_wn( fault.node.chars, fault.node.length ) );
    ok( wstr_is( &fault.actor, L"http://example.org/calculator/role" ), "got actor %s\n",
        wine_dbgstr_wn( fault.actor.chars, fault.actor.length ) );
    ok( fault.detail != NULL, "no detail\n" );
    if (fault.detail)
        ok( !strcmp( xml_from_buffer( heap, fault.detail ),
                     "<soap:Detail xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">"
                     "<DivideByZero xmlns=\"" SOAP_SAMPLES_NS "\"><dividend>1</dividend>"
                     "<message>Attempted to divide by zero.</message></DivideByZero></soap:Detail>" ),
            "got %s\n", xml_from_buffer( heap, fault.detail ) );

    /* In an en-US error the en-US reason is the string. */
    hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
    ok( hr == S_OK, "got %#lx\n", hr );
    ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
    todo_check_error_string( error, 0, L"Division by zero" );
    check_sample_detail( error, heap );

    /* In a German one, the German reason. */
    {
        LANGID german = MAKELANGID( LANG_GERMAN, SUBLANG_GERMAN );
        WsResetError( error );
        hr = WsSetErrorProperty( error, WS_ERROR_PROPERTY_LANGID, &german, sizeof(german) );
        ok( hr == S_OK, "got %#lx\n", hr );
        hr = WsSetFaultErrorProperty( error, WS_FAULT_ERROR_PROPERTY_FAULT, &fault, sizeof(fault) );
        ok( hr == S_OK, "got %#lx\n", hr );
        ok( get_string_count( error ) == 1, "got %lu strings\n", get_string_count( error ) );
        todo_check_error_string( error, 0, L"Division durch Null" );
    }

done:
    WsFreeError( error );
    WsFreeHeap( heap );
}

START_TEST(fault)
{
    test_WsGetFaultErrorProperty();
    test_WsSetFaultErrorProperty();
    test_fault_string_language();
    test_fault_langid();
    test_WsCopyError_fault();
    test_WsCreateFaultFromError();
    test_WsGetFaultErrorDetail();
    test_WsSetFaultErrorDetail();
    test_fault_round_trip();
    test_soap11_sample_fault();
    test_soap12_sample_fault();
}
