/*
 * Documented macros ("Windows Web Services Macros").  Hand-written, appended
 * by tools/gen_header.py.
 */

/* Initializer for a WS_XML_STRING from a static UTF-8 string constant, no dictionary. */
#define WS_XML_STRING_VALUE(S) { (ULONG)(sizeof(S) - 1), (BYTE *)(S), NULL, 0 }

/* Initializer for an empty WS_XML_STRING. */
#define WS_XML_STRING_NULL { 0, NULL, NULL, 0 }

/* Initializer for a WS_XML_STRING that is entry INDEX of DICTIONARY. */
#define WS_XML_STRING_DICTIONARY_VALUE(S, DICTIONARY, INDEX) \
    { (ULONG)(sizeof(S) - 1), (BYTE *)(S), DICTIONARY, INDEX }

/* Initializer for a WS_STRING from a zero-terminated wide string constant. */
#define WS_STRING_VALUE(S) { (ULONG)(sizeof(S) / sizeof((S)[0]) - 1), (WCHAR *)(S) }

/* Initializer for a zero-length WS_STRING. */
#define WS_STRING_EMPTY { 0, NULL }

/* Number of elements of a C array. */
#define WsCountOf(arrayValue) (sizeof(arrayValue) / sizeof((arrayValue)[0]))

/* Offset of a field in a structure, as the ULONG the description structures take. */
#define WsOffsetOf(type, member) ((ULONG)(ULONG_PTR)&(((type *)0)->member))
