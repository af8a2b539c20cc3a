/*
 * The worked examples of [MC-NBFX] (.NET Binary Format: XML Data Structure),
 * section 3 "Structure Examples": each example is a complete document
 * showing one record type.  Each is decoded with the binary reader
 * (WS_XML_READER_BINARY_ENCODING) and re-encoded node by node with the binary
 * writer (WS_XML_WRITER_BINARY_ENCODING, WsWriteNode), and the writer's bytes
 * are compared with the example's, byte for byte.
 *
 * The example bytes are quoted exactly from the "Bytes" column of the table
 * of section 3 (record type byte first in the table, then the document); the
 * section of the record's definition (2.2.x / 2.3.x) is given next to each.
 * The examples refer to strings outside the document as "strN", N being the
 * DictionaryString key; even keys are static dictionary strings (2.1.4), so
 * the static dictionary used here holds "strN" at index N / 2, and the
 * dynamic one the odd keys.
 *
 * Where the writer is free to choose another encoding of the same XML (the
 * format has several records for the same characters), the re-encoding is
 * not expected to be identical; those examples say so and give the reason,
 * and then the re-encoded document must read back as the same nodes.
 *
 * Also the example of [MC-NBFS] section 3, a SOAP envelope with the
 * [MC-NBFS] static dictionary.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "wine/test.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static BOOL is_our_dll(void)
{
    static const WCHAR name[] = L"webservices clean-room WWSAPI";
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    HRSRC res = module ? FindResourceW( module, MAKEINTRESOURCEW( VS_VERSION_INFO ), (LPCWSTR)RT_VERSION ) : NULL;
    const BYTE *data;
    DWORD size, i;

    if (!res || !(data = LockResource( LoadResource( module, res ) ))) return FALSE;
    size = SizeofResource( module, res );
    for (i = 0; i + sizeof(name) <= size; i += 2)
        if (!memcmp( data + i, name, sizeof(name) - sizeof(WCHAR) )) return TRUE;
    return FALSE;
}

/* The static dictionary of the examples: "strN" at index N / 2, up to
 * str916 (the largest key in section 3). */
#define DICT_COUNT (916 / 2 + 1)
static WS_XML_STRING dict_strings[DICT_COUNT];
static char dict_chars[DICT_COUNT][8];
static WS_XML_DICTIONARY dict = { { 0x6e626678, 0x0003, 0x0001, { 'M','C','-','N','B','F','X',0 } },
                                  dict_strings, DICT_COUNT, TRUE };

/* The dynamic dictionary: "strN" at index N / 2 for the odd keys (str11
 * and str21 in the examples of PrefixDictionaryAttribute). */
#define DYN_COUNT (21 / 2 + 1)
static WS_XML_STRING dyn_strings[DYN_COUNT];
static char dyn_chars[DYN_COUNT][8];
static WS_XML_DICTIONARY dyn_dict = { { 0x6e626678, 0x0003, 0x0002, { 'M','C','-','N','B','F','X',0 } },
                                      dyn_strings, DYN_COUNT, TRUE };

static void init_dictionary(void)
{
    ULONG i;

    for (i = 0; i < DYN_COUNT; i++)
    {
        dyn_strings[i].length = sprintf( dyn_chars[i], "str%lu", i * 2 + 1 );
        dyn_strings[i].bytes = (BYTE *)dyn_chars[i];
        dyn_strings[i].dictionary = &dyn_dict;
        dyn_strings[i].id = i;
    }

    for (i = 0; i < DICT_COUNT; i++)
    {
        dict_strings[i].length = sprintf( dict_chars[i], "str%lu", i * 2 );
        dict_strings[i].bytes = (BYTE *)dict_chars[i];
        dict_strings[i].dictionary = &dict;
        dict_strings[i].id = i;
    }
}

struct example
{
    const char *record;     /* record name in the table of section 3 */
    const char *section;    /* where the record is defined */
    const char *bytes;      /* the "Bytes" column without the leading type */
    const char *reencoded;  /* the writer's bytes where they differ (the
                             * reason is given next to them), else NULL */
    ULONG fragment;         /* several top-level elements (Array): read
                             * as a fragment, not re-encoded (the writer
                             * writes one document element); the value is
                             * the number of nodes */
    BOOL undeclared;        /* uses a prefix the document does not declare */
};

static const struct example examples[] =
{
    { "EndElement", "2.3.1", "40 03 64 6F 63 01" },
    { "Comment", "2.3.2", "02 07 63 6F 6D 6D 65 6E 74" },
    { "ShortAttribute", "2.2.2.1", "40 03 64 6F 63 04 04 61 74 74 72 84 01" },
    { "Attribute", "2.2.2.2", "40 03 64 6F 63 09 03 70 72 65 0A 68 74 74 70 3A 2F 2F 61 62 63 05 03 70 72 65 04 61 74 74 72 84 01" },
    { "ShortDictionaryAttribute", "2.2.2.3", "40 03 64 6F 63 06 08 86 01" },
    { "DictionaryAttribute", "2.2.2.4", "40 03 64 6F 63 09 03 70 72 65 0A 68 74 74 70 3A 2F 2F 61 62 63 07 03 70 72 65 00 86 01" },
    { "ShortXmlnsAttribute", "2.2.2.5", "40 03 64 6F 63 08 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "XmlnsAttribute", "2.2.2.6", "40 03 64 6F 63 09 01 70 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "ShortDictionaryXmlnsAttribute", "2.2.2.7", "40 03 64 6F 63 0A 04 01" },
    { "DictionaryXmlnsAttribute", "2.2.2.8", "40 03 64 6F 63 0B 01 70 04 01" },
    /* key 0x0B is odd, a dynamic string (2.1.4), and the writer has no dynamic string callback, so the
     * name is written inline as PrefixAttributeF (2.2.2.10) */
    { "PrefixDictionaryAttributeF", "2.2.2.9", "40 03 64 6F 63 09 01 66 0A 68 74 74 70 3A 2F 2F 61 62 63 11 0B 98 05 68 65 6C 6C 6F 01",
      "40 03 64 6F 63 09 01 66 0A 68 74 74 70 3A 2F 2F 61 62 63 2B 05 73 74 72 31 31 98 05 68 65 6C 6C 6F 01" },
    /* key 0x15 is odd, a dynamic string (2.1.4), and the writer has no dynamic string callback, so the
     * name is written inline as PrefixAttributeX (2.2.2.10) */
    { "PrefixDictionaryAttributeX", "2.2.2.9", "40 03 64 6F 63 09 01 78 0A 68 74 74 70 3A 2F 2F 61 62 63 23 15 98 05 77 6F 72 6C 64 01",
      "40 03 64 6F 63 09 01 78 0A 68 74 74 70 3A 2F 2F 61 62 63 3D 05 73 74 72 32 31 98 05 77 6F 72 6C 64 01" },
    { "PrefixAttributeK", "2.2.2.10", "40 03 64 6F 63 09 01 6B 0A 68 74 74 70 3A 2F 2F 61 62 63 30 04 61 74 74 72 86 01" },
    { "PrefixAttributeZ", "2.2.2.10", "40 03 64 6F 63 09 01 7A 0A 68 74 74 70 3A 2F 2F 61 62 63 3F 03 61 62 63 98 03 78 79 7A 01" },
    { "ShortElement", "2.2.1.1", "40 03 64 6F 63 01" },
    { "Element", "2.2.1.2", "41 03 70 72 65 03 64 6F 63 09 03 70 72 65 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "ShortDictionaryElement", "2.2.1.3", "42 0E 01" },
    { "DictionaryElement", "2.2.1.4", "43 03 70 72 65 0E 09 03 70 72 65 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "PrefixDictionaryElementA", "2.2.1.5", "44 0A 09 01 61 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "PrefixDictionaryElementS", "2.2.1.5", "56 26 09 01 73 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "PrefixElementA", "2.2.1.6", "5E 05 68 65 6C 6C 6F 09 01 61 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "PrefixElementS", "2.2.1.6", "70 09 4D 79 4D 65 73 73 61 67 65 09 01 73 0A 68 74 74 70 3A 2F 2F 61 62 63 01" },
    { "ZeroText", "2.2.3.1", "40 03 64 6F 63 06 A0 03 80 01" },
    { "ZeroTextWithEndElement", "2.2.3.1, 2.2.3.31", "40 03 61 62 63 81" },
    { "OneText", "2.2.3.2", "40 03 64 6F 63 06 00 82 01" },
    { "OneTextWithEndElement", "2.2.3.2, 2.2.3.31", "40 03 61 62 63 83" },
    { "FalseText", "2.2.3.3", "40 03 64 6F 63 06 00 84 01" },
    { "FalseTextWithEndElement", "2.2.3.3, 2.2.3.31", "40 03 61 62 63 85" },
    { "TrueText", "2.2.3.4", "40 03 64 6F 63 06 00 86 01" },
    { "TrueTextWithEndElement", "2.2.3.4, 2.2.3.31", "40 03 61 62 63 87" },
    { "Int8Text", "2.2.3.5", "40 03 64 6F 63 06 EC 01 88 DE 01" },
    { "Int8TextWithEndElement", "2.2.3.5, 2.2.3.31", "42 9A 01 89 7F" },
    { "Int16Text", "2.2.3.6", "40 03 64 6F 63 06 EC 01 8A 00 80 01" },
    { "Int16TextWithEndElement", "2.2.3.6, 2.2.3.31", "42 9A 01 8B FF 7F" },
    { "Int32Text", "2.2.3.7", "40 03 64 6F 63 06 EC 01 8C 15 CD 5B 07 01" },
    { "Int32TextWithEndElement", "2.2.3.7, 2.2.3.31", "42 9A 01 8D FF FF FF 7F" },
    { "Int64Text", "2.2.3.8", "40 03 64 6F 63 06 EC 01 8E 00 00 00 80 00 00 00 00 01" },
    { "Int64TextWithEndElement", "2.2.3.8, 2.2.3.31", "42 9A 01 8F 00 00 00 00 00 01 00 00" },
    { "FloatText", "2.2.3.9", "40 03 64 6F 63 04 01 61 90 CD CC 8C 3F 01" },
    { "FloatTextWithEndElement", "2.2.3.9, 2.2.3.31", "40 05 50 72 69 63 65 91 CD CC 01 42" },
    { "DoubleText", "2.2.3.10", "40 03 64 6F 63 04 01 61 92 74 57 14 8B 0A BF 05 40 01" },
    { "DoubleTextWithEndElement", "2.2.3.10, 2.2.3.31", "40 02 50 49 93 11 2D 44 54 FB 21 09 40" },
    { "DateTimeText", "2.2.3.12", "40 03 64 6F 63 06 6E 96 FF 3F 37 F4 75 28 CA 2B 01" },
    { "DateTimeTextWithEndElement", "2.2.3.12, 2.2.3.31", "42 6C 97 00 40 8E F9 5B 47 C8 08" },
    /* a text record followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Chars8Text", "2.2.3.13", "40 03 64 6F 63 98 05 68 65 6C 6C 6F 01",
      "40 03 64 6F 63 99 05 68 65 6C 6C 6F" },
    { "Chars8TextWithEndElement", "2.2.3.13, 2.2.3.31", "40 01 61 99 05 68 65 6C 6C 6F" },
    /* the writer uses the shortest length field that fits, Chars8Text (2.2.3.13), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Chars16Text", "2.2.3.14", "40 03 64 6F 63 9A 05 00 68 65 6C 6C 6F 01",
      "40 03 64 6F 63 99 05 68 65 6C 6C 6F" },
    /* the writer uses the shortest length field that fits, Chars8Text (2.2.3.13), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Chars16TextWithEndElement", "2.2.3.14, 2.2.3.31", "40 01 61 9B 05 00 68 65 6C 6C 6F",
      "40 01 61 99 05 68 65 6C 6C 6F" },
    /* the writer uses the shortest length field that fits, Chars8Text (2.2.3.13), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Chars32Text", "2.2.3.15", "40 03 64 6F 63 9C 05 00 00 00 68 65 6C 6C 6F 01",
      "40 03 64 6F 63 99 05 68 65 6C 6C 6F" },
    /* the writer uses the shortest length field that fits, Chars8Text (2.2.3.13), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Chars32TextWithEndElement", "2.2.3.15, 2.2.3.31", "40 01 61 9D 05 00 00 00 68 65 6C 6C 6F",
      "40 01 61 99 05 68 65 6C 6C 6F" },
    /* a text record followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Bytes8Text", "2.2.3.16", "40 03 64 6F 63 9E 08 00 01 02 03 04 05 06 07 01",
      "40 03 64 6F 63 9F 08 00 01 02 03 04 05 06 07" },
    { "Bytes8TextWithEndElement", "2.2.3.16, 2.2.3.31", "40 06 42 61 73 65 36 34 9F 08 00 01 02 03 04 05 06 07" },
    /* the writer uses the shortest length field that fits, Bytes8Text (2.2.3.16), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Bytes16Text", "2.2.3.17", "40 03 64 6F 63 A0 08 00 00 01 02 03 04 05 06 07 01",
      "40 03 64 6F 63 9F 08 00 01 02 03 04 05 06 07" },
    /* the writer uses the shortest length field that fits, Bytes8Text (2.2.3.16), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Bytes16TextWithEndElement", "2.2.3.17, 2.2.3.31", "40 06 42 61 73 65 36 34 A1 08 00 00 01 02 03 04 05 06 07",
      "40 06 42 61 73 65 36 34 9F 08 00 01 02 03 04 05 06 07" },
    /* the writer uses the shortest length field that fits, Bytes8Text (2.2.3.16), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Bytes32Text", "2.2.3.18", "40 03 64 6F 63 A2 08 00 00 00 00 01 02 03 04 05 06 07 01",
      "40 03 64 6F 63 9F 08 00 01 02 03 04 05 06 07" },
    /* the writer uses the shortest length field that fits, Bytes8Text (2.2.3.16), and a text record
     * followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "Bytes32TextWithEndElement", "2.2.3.18, 2.2.3.31", "40 06 42 61 73 65 36 34 A3 08 00 00 00 00 01 02 03 04 05 06 07",
      "40 06 42 61 73 65 36 34 9F 08 00 01 02 03 04 05 06 07" },
    { "EmptyText", "2.2.3.20", "40 03 64 6F 63 04 01 61 A8 01" },
    { "EmptyTextWithEndElement", "2.2.3.20, 2.2.3.31", "40 03 64 6F 63 A9" },
    { "DictionaryText", "2.2.3.21", "40 03 64 6F 63 04 02 6E 73 AA 38 01" },
    { "DictionaryTextWithEndElement", "2.2.3.21, 2.2.3.31", "40 04 54 79 70 65 AB C4 01" },
    /* a text record followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "UniqueIdText", "2.2.3.22", "40 03 64 6F 63 AC 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 01",
      "40 03 64 6F 63 AD 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF" },
    { "UniqueIdTextWithEndElement", "2.2.3.22, 2.2.3.31", "42 1A AD 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF" },
    /* a text record followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "UuidText", "2.2.3.24", "40 03 64 6F 63 B0 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 01",
      "40 03 64 6F 63 B1 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F" },
    { "UuidTextWithEndElement", "2.2.3.24, 2.2.3.31", "40 02 49 44 B1 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F" },
    /* a text record followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "UInt64Text", "2.2.3.25", "40 03 64 6F 63 B2 FF FF FF FF FF FF FF FF 01",
      "40 03 64 6F 63 B3 FF FF FF FF FF FF FF FF" },
    { "UInt64TextWithEndElement", "2.2.3.25, 2.2.3.31", "42 9A 01 B3 FE FF FF FF FF FF FF FF" },
    /* the boolean is written with the one-byte TrueText record (2.2.3.4), and a text record followed by
     * EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "BoolText", "2.2.3.26", "40 03 64 6F 63 B4 01 01",
      "40 03 64 6F 63 87" },
    /* records Wine's builtin does not read (see tests/binread.c) */
    { "Array", "2.3.3", "03 40 03 61 72 72 01 8B 03 33 33 88 88 DD DD", NULL, 9 },
    { "DecimalText", "2.2.3.11", "40 03 64 6F 63 04 03 69 6E 74 94 00 00 06 00 00 00 00 00 80 2D 4E 00 00 00 00 00 01" },
    { "DecimalTextWithEndElement", "2.2.3.11, 2.2.3.31", "40 08 4D 61 78 56 61 6C 75 65 95 00 00 00 00 FF FF FF FF FF FF FF FF FF FF FF FF" },
    /* the writer writes the list as its characters, space-separated, in one Chars8Text (2.2.3.13) */
    { "StartListText, EndListText", "2.2.3.19", "40 03 64 6F 63 04 01 61 A4 88 7B 98 05 68 65 6C 6C 6F 86 A6 01",
      "40 03 64 6F 63 04 01 61 98 0E 31 32 33 20 68 65 6C 6C 6F 20 74 72 75 65 01" },
    /* a text record followed by EndElement is written as its *TextWithEndElement form (2.2.3.31) */
    { "TimeSpanText", "2.2.3.23", "40 03 64 6F 63 AE 00 C4 F5 32 FF FF FF FF 01",
      "40 03 64 6F 63 AF 00 C4 F5 32 FF FF FF FF" },
    { "TimeSpanTextWithEndElement", "2.2.3.23, 2.2.3.31", "42 94 07 AF 00 B0 8E F0 1B 00 00 00" },
    { "BoolTextWithEndElement", "2.2.3.26, 2.2.3.31, 2.3.3", "03 40 03 61 72 72 01 B5 05 01 00 01 00 01", NULL, 15 },
    /* the reader gives the text as UTF-16 and the writer writes it as UTF-8, Chars8Text (2.2.3.13) */
    { "UnicodeChars8Text", "2.2.3.27", "40 03 64 6F 63 04 01 75 B6 06 75 00 6E 00 69 00 01",
      "40 03 64 6F 63 04 01 75 98 03 75 6E 69 01" },
    /* the reader gives the text as UTF-16 and the writer writes it as UTF-8, Chars8Text (2.2.3.13) */
    { "UnicodeChars8TextWithEndElement", "2.2.3.27, 2.2.3.31", "40 01 55 B7 06 75 00 6E 00 69 00",
      "40 01 55 99 03 75 6E 69" },
    /* the reader gives the text as UTF-16 and the writer writes it as UTF-8, Chars8Text (2.2.3.13) */
    { "UnicodeChars16Text", "2.2.3.28", "40 03 64 6F 63 04 03 75 31 36 B8 08 00 75 00 6E 00 69 00 32 00 01",
      "40 03 64 6F 63 04 03 75 31 36 98 04 75 6E 69 32 01" },
    /* the reader gives the text as UTF-16 and the writer writes it as UTF-8, Chars8Text (2.2.3.13) */
    { "UnicodeChars16TextWithEndElement", "2.2.3.28, 2.2.3.31", "40 03 55 31 36 B9 08 00 75 00 6E 00 69 00 32 00",
      "40 03 55 31 36 99 04 75 6E 69 32" },
    /* the reader gives the text as UTF-16 and the writer writes it as UTF-8, Chars8Text (2.2.3.13) */
    { "UnicodeChars32Text", "2.2.3.29", "40 03 64 6F 63 04 03 75 33 32 BA 04 00 00 00 33 00 32 00 01",
      "40 03 64 6F 63 04 03 75 33 32 98 02 33 32 01" },
    /* the reader gives the text as UTF-16 and the writer writes it as UTF-8, Chars8Text (2.2.3.13) */
    { "UnicodeChars32TextWithEndElement", "2.2.3.29, 2.2.3.31", "40 03 55 33 32 BB 04 00 00 00 33 00 32 00",
      "40 03 55 33 32 99 02 33 32" },
    /* The QName examples use the prefixes i and s without declaring them: not
     * namespace-well-formed ([XML-NAMES] "Namespace constraint: Prefix
     * Declared"), so the reader rejects them. */
    { "QNameDictionaryText", "2.2.3.30", "40 03 64 6F 63 06 F0 06 BC 08 8E 07 01", NULL, 0, TRUE },
    { "QNameDictionaryTextWithEndElement", "2.2.3.30, 2.2.3.31", "40 04 54 79 70 65 BD 12 90 07", NULL, 0, TRUE },
};

/* Examples on which Wine's builtin disagrees with the spec (the checks are
 * todo_wine; the spec settles each):
 * - Attribute, DictionaryAttribute, PrefixDictionaryAttribute[FX],
 *   PrefixAttribute[KZ]: the builtin writes the xmlns attribute after the
 *   other attributes; the examples (and this project) keep the document's
 *   order, the declaration first.
 * - FloatText: the builtin does not read it (E_NOTIMPL).
 * - DateTimeText: the builtin takes the time zone from the low two bits,
 *   where 2.2.3.12 puts it in the top two ("TZ"), so it re-encodes other bytes.
 * - Bytes*Text: the builtin splits the 8 bytes into two records (6 + 2) and
 *   cannot read its own re-encoding back.
 * - EmptyText: the builtin writes a zero-length Chars8Text, not EmptyText
 *   (2.2.3.20).
 * - DictionaryText: the builtin writes the string's characters, not its
 *   key (2.2.3.21).
 * - BoolText: the builtin rejects the record (WS_E_INVALID_FORMAT).
 * - Array, DecimalText, TimeSpanText, lists, UnicodeChars*Text,
 *   QNameDictionaryText: not supported by the builtin (WS_E_NOT_SUPPORTED;
 *   see tests/binread.c). */
enum builtin { BUILTIN_AGREES, BUILTIN_REENCODES, BUILTIN_REJECTS };

static enum builtin builtin_differs( const char *record )
{
    static const char * const reencodes[] =
    {
        "Attribute", "DictionaryAttribute", "PrefixDictionaryAttributeF", "PrefixDictionaryAttributeX",
        "PrefixAttributeK", "PrefixAttributeZ", "DateTimeText", "DateTimeTextWithEndElement", "Bytes8Text",
        "Bytes8TextWithEndElement", "Bytes16Text", "Bytes16TextWithEndElement", "Bytes32Text",
        "Bytes32TextWithEndElement", "EmptyText", "EmptyTextWithEndElement", "DictionaryText",
        "DictionaryTextWithEndElement",
    };
    static const char * const rejects[] =
    {
        "FloatText", "FloatTextWithEndElement", "BoolText", "Array", "DecimalText", "DecimalTextWithEndElement",
        "StartListText, EndListText", "TimeSpanText", "TimeSpanTextWithEndElement", "BoolTextWithEndElement",
        "UnicodeChars8Text", "UnicodeChars8TextWithEndElement", "UnicodeChars16Text",
        "UnicodeChars16TextWithEndElement", "UnicodeChars32Text", "UnicodeChars32TextWithEndElement",
        "QNameDictionaryText", "QNameDictionaryTextWithEndElement",
    };
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(reencodes); i++) if (!strcmp( reencodes[i], record )) return BUILTIN_REENCODES;
    for (i = 0; i < ARRAY_SIZE(rejects); i++) if (!strcmp( rejects[i], record )) return BUILTIN_REJECTS;
    return BUILTIN_AGREES;
}

static ULONG parse_hex( const char *str, BYTE *out, ULONG size )
{
    ULONG len = 0;

    while (*str && len < size)
    {
        out[len++] = strtoul( str, (char **)&str, 16 );
        while (*str == ' ') str++;
    }
    return len;
}

static void format_hex( const BYTE *data, ULONG len, char *out, ULONG size )
{
    ULONG i, pos = 0;

    out[0] = 0;
    for (i = 0; i < len && pos + 4 < size; i++) pos += sprintf( out + pos, i ? " %02X" : "%02X", data[i] );
}

static HRESULT set_input( WS_XML_READER *reader, const BYTE *data, ULONG len, BOOL fragment )
{
    WS_XML_READER_BINARY_ENCODING enc = { { WS_XML_READER_ENCODING_TYPE_BINARY }, &dict, &dyn_dict };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER }, (void *)data, len };
    WS_XML_READER_PROPERTY prop = { WS_XML_READER_PROPERTY_ALLOW_FRAGMENT, &fragment, sizeof(fragment) };

    return WsSetInput( reader, &enc.encoding, &input.input, &prop, 1, NULL );
}

/* Reads DATA to EOF, writing each node to WRITER (if not NULL); returns the
 * number of nodes, or -1 on a failure (in *hr). */
static int copy_nodes( WS_XML_READER *reader, WS_XML_WRITER *writer, const BYTE *data, ULONG len, BOOL fragment,
                       HRESULT *hr )
{
    const WS_XML_NODE *node;
    int count = 0;

    if ((*hr = set_input( reader, data, len, fragment )) != S_OK) return -1;
    for (;;)
    {
        if ((*hr = WsReadNode( reader, NULL )) != S_OK) return -1;
        if ((*hr = WsGetReaderNode( reader, &node, NULL )) != S_OK) return -1;
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) return count;
        count++;
        if (writer && (*hr = WsWriteNode( writer, node, NULL )) != S_OK) return -1;
    }
}

static void test_example( WS_XML_READER *reader, WS_XML_WRITER *writer, const struct example *ex )
{
    WS_XML_WRITER_BINARY_ENCODING enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY }, &dict, NULL, NULL };
    WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    BYTE doc[64], reencoded[64];
    char expect[256], got[256];
    ULONG len = parse_hex( ex->bytes, doc, sizeof(doc) ), relen = len;
    WS_BYTES bytes = { 0 };
    enum builtin builtin = builtin_differs( ex->record );
    HRESULT hr;
    int nodes;

    winetest_push_context( "%s (%s)", ex->record, ex->section );
    if (ex->undeclared)
    {
        nodes = copy_nodes( reader, NULL, doc, len, FALSE, &hr );
        todo_wine_if( builtin == BUILTIN_REJECTS )
        ok( nodes == -1 && hr == WS_E_INVALID_FORMAT, "got %d nodes, %#lx\n", nodes, hr );
        winetest_pop_context();
        return;
    }
    if (ex->fragment)
    {
        nodes = copy_nodes( reader, NULL, doc, len, TRUE, &hr );
        todo_wine_if( builtin == BUILTIN_REJECTS )
        ok( nodes == (int)ex->fragment, "got %d nodes (%#lx), expected %lu\n", nodes, hr, ex->fragment );
        winetest_pop_context();
        return;
    }
    hr = WsSetOutput( writer, &enc.encoding, &output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput failed %#lx\n", hr );
    if (ex->reencoded) relen = parse_hex( ex->reencoded, reencoded, sizeof(reencoded) );
    else memcpy( reencoded, doc, len );
    nodes = copy_nodes( reader, writer, doc, len, ex->fragment, &hr );
    todo_wine_if( builtin == BUILTIN_REJECTS )
    ok( nodes > 0, "decoding failed %#lx\n", hr );
    if (nodes > 0)
    {
        hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &bytes, sizeof(bytes), NULL );
        ok( hr == S_OK, "WsGetWriterProperty failed %#lx\n", hr );
        format_hex( reencoded, relen, expect, sizeof(expect) );
        format_hex( bytes.bytes, bytes.length, got, sizeof(got) );
        todo_wine_if( builtin == BUILTIN_REENCODES )
        ok( bytes.length == relen && !memcmp( bytes.bytes, reencoded, relen ), "re-encoded as %s, expected %s\n",
            got, expect );
        if (ex->reencoded)
        {
            /* another encoding of the same document: the same nodes */
            int again = copy_nodes( reader, NULL, bytes.bytes, bytes.length, ex->fragment, &hr );
            todo_wine_if( builtin == BUILTIN_REENCODES && !strncmp( ex->record, "Bytes", 5 ) )
            ok( again == nodes, "re-encoding reads as %d nodes (%#lx), expected %d\n", again, hr, nodes );
        }
    }
    winetest_pop_context();
}

/* [MC-NBFS] section 3 "Structure Examples": a SOAP envelope using the
 * [MC-NBFS] 2.1 static dictionary strings (WsGetDictionary with
 * WS_ENCODING_XML_BINARY_SESSION_1), shown as a byte stream:
 *   <s:Envelope xmlns:a="http://www.w3.org/2005/08/addressing"
 *               xmlns:s="http://www.w3.org/2003/05/soap-envelope">
 *   <s:Header><a:Action s:mustUnderstand="1">action</a:Action></s:Header>
 *   <s:Body><Inventory>0</Inventory></s:Body></s:Envelope> */
/* [MC-NBFSE] section 3 "Structure Examples": the same envelope with the
 * strings "action" and "Inventory" taken from a StringTable (2.1; ids 1 and
 * 3, odd DictionaryString values, 2.2): "99 06 61 63 74 69 6F 6E" becomes
 * "AB 01" (DictionaryTextWithEndElement) and "40 09 49 6E 76 65 6E 74 6F 72
 * 79" becomes "42 03" (ShortDictionaryElement).  The StringTable itself is
 * framing outside the document; here it is the reader's dynamic dictionary
 * and the writer's dynamic string callback. */
static WS_XML_STRING session_strings[] =
{
    { 6, (BYTE *)"action" }, { 9, (BYTE *)"Inventory" },
};
static WS_XML_DICTIONARY session_dict = { { 0x6e626673, 0x0065, 0x0003, { 'M','C','-','N','B','F','S','E' } },
                                          session_strings, ARRAY_SIZE(session_strings), TRUE };

static HRESULT CALLBACK session_string( void *state, const WS_XML_STRING *str, BOOL *found, ULONG *id,
                                        WS_ERROR *error )
{
    ULONG i;

    (void)state;
    (void)error;
    *found = FALSE;
    for (i = 0; i < ARRAY_SIZE(session_strings); i++)
        if (str->length == session_strings[i].length && !memcmp( str->bytes, session_strings[i].bytes, str->length ))
        {
            *found = TRUE;
            *id = i;
        }
    return S_OK;
}

static void test_nbfs_example( WS_XML_READER *reader, WS_XML_WRITER *writer, const char *bytes, BOOL session )
{
    WS_XML_READER_BINARY_ENCODING read_enc = { { WS_XML_READER_ENCODING_TYPE_BINARY } };
    WS_XML_WRITER_BINARY_ENCODING write_enc = { { WS_XML_WRITER_ENCODING_TYPE_BINARY } };
    WS_XML_READER_BUFFER_INPUT input = { { WS_XML_READER_INPUT_TYPE_BUFFER } };
    WS_XML_WRITER_BUFFER_OUTPUT output = { { WS_XML_WRITER_OUTPUT_TYPE_BUFFER } };
    WS_XML_DICTIONARY *soap = NULL;
    const WS_XML_NODE *node;
    char expect[256], got[256];
    WS_BYTES out = { 0 };
    BYTE doc[64];
    ULONG len = parse_hex( bytes, doc, sizeof(doc) );
    int nodes = 0;
    HRESULT hr;

    hr = WsGetDictionary( WS_ENCODING_XML_BINARY_SESSION_1, &soap, NULL );
    ok( hr == S_OK && soap, "WsGetDictionary failed %#lx\n", hr );
    if (!soap) return;
    read_enc.staticDictionary = write_enc.staticDictionary = soap;
    if (session)
    {
        ULONG i;

        for (i = 0; i < ARRAY_SIZE(session_strings); i++)
        {
            session_strings[i].dictionary = &session_dict;
            session_strings[i].id = i;
        }
        read_enc.dynamicDictionary = &session_dict;
        write_enc.dynamicStringCallback = session_string;
    }
    input.encodedData = doc;
    input.encodedDataSize = len;
    hr = WsSetInput( reader, &read_enc.encoding, &input.input, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetInput failed %#lx\n", hr );
    hr = WsSetOutput( writer, &write_enc.encoding, &output.output, NULL, 0, NULL );
    ok( hr == S_OK, "WsSetOutput failed %#lx\n", hr );
    for (;;)
    {
        if ((hr = WsReadNode( reader, NULL )) != S_OK) break;
        if ((hr = WsGetReaderNode( reader, &node, NULL )) != S_OK) break;
        if (node->nodeType == WS_XML_NODE_TYPE_EOF) break;
        nodes++;
        if ((hr = WsWriteNode( writer, node, NULL )) != S_OK) break;
    }
    /* Envelope, Header, Action, text, /Action, /Header, Body, Inventory,
     * text, /Inventory, /Body, /Envelope */
    ok( hr == S_OK && nodes == 12, "got %d nodes, %#lx\n", nodes, hr );
    hr = WsGetWriterProperty( writer, WS_XML_WRITER_PROPERTY_BYTES, &out, sizeof(out), NULL );
    ok( hr == S_OK, "WsGetWriterProperty failed %#lx\n", hr );
    format_hex( doc, len, expect, sizeof(expect) );
    format_hex( out.bytes, out.length, got, sizeof(got) );
    ok( out.length == len && !memcmp( out.bytes, doc, len ), "re-encoded as %s, expected %s\n", got, expect );
}

START_TEST(nbfx)
{
    WS_XML_READER *reader;
    WS_XML_WRITER *writer;
    HRESULT hr;
    ULONG i;

    trace( "testing %s\n", is_our_dll() ? "this project's DLL" : "another webservices.dll" );
    init_dictionary();
    hr = WsCreateReader( NULL, 0, &reader, NULL );
    ok( hr == S_OK, "WsCreateReader failed %#lx\n", hr );
    hr = WsCreateWriter( NULL, 0, &writer, NULL );
    ok( hr == S_OK, "WsCreateWriter failed %#lx\n", hr );
    if (!reader || !writer) return;
    for (i = 0; i < ARRAY_SIZE(examples); i++) test_example( reader, writer, &examples[i] );
    /* [MC-NBFS] section 3 */
    test_nbfs_example( reader, writer, "56 02 0B 01 61 06 0B 01 73 04 56 08 44 0A 1E 00 "
                       "82 99 06 61 63 74 69 6F 6E 01 56 0E 40 09 49 6E "
                       "76 65 6E 74 6F 72 79 81 01 01", FALSE );
    /* [MC-NBFSE] section 3 */
    test_nbfs_example( reader, writer, "56 02 0B 01 61 06 0B 01 73 04 56 08 44 0A 1E 00 "
                       "82 AB 01 01 56 0E 42 03 81 01 01", TRUE );
    WsFreeWriter( writer );
    WsFreeReader( reader );
}
