/*
 * Dictionaries: the static dictionary of [MC-NBFS] and WsGetDictionary.
 *
 * [MC-NBFS] (.NET Binary Format: SOAP Data Structure) section 2.1 lists the
 * strings that a producer and a consumer of binary XML may refer to by a
 * DictionaryString value instead of spelling them out.  The table below is
 * that list, complete and in the spec's order, with the spec's value next to
 * each string; it is the only copy in this DLL, and the binary reader and
 * writer take it from here through the functions at the end of this file.
 *
 * Spec value versus WS_XML_STRING.id.  On the wire a static DictionaryString
 * is always even (0x00 "mustUnderstand", 0x02 "Envelope", ...): [MC-NBFS]
 * keeps the odd values for the session strings of [MC-NBFSE].  WWSAPI's id is
 * not that value but the index into the dictionary's array (value / 2):
 *   - WS_XML_STRING, member id: "The entry at dictionary->strings[id] should
 *     identify this string."  With 487 strings the array has indices 0..486
 *     only, so a wire value such as 0x3CC (972) cannot be an index.
 *   - WS_XML_DICTIONARY's example declares its own strings with
 *     WS_XML_STRING_DICTIONARY_VALUE( ..., 0 ), ( ..., 1 ), ( ..., 2 ), ...:
 *     consecutive ids, i.e. indices.
 *   - WS_XML_READER/WRITER_BINARY_ENCODING take any WS_XML_DICTIONARY as
 *     staticDictionary and refer to its strings "by id"; for an application
 *     dictionary the only id there is is the index, so (our inference) the
 *     binary encoder maps id <-> wire value as wire = 2 * id for every
 *     static dictionary, this one included.
 *   - Wine's builtin, run as a black box, agrees: strings[i].id == i for all
 *     of its strings.
 * Hence every entry below carries id = spec value / 2, its index.
 *
 * The row for 0xA2 has an empty Characters cell: that entry is the empty
 * string (Wine's builtin has the empty string at index 0x51 too).
 */

#include <stdlib.h>
#include <string.h>

#include "webservices_private.h"

/*
 * Number of strings in [MC-NBFS] 2.1: values 0x000 to 0x3CC step 2.  The
 * static assertion after the table fails the build if a row goes missing.
 *
 * Wine's builtin webservices.dll has one more string, 488 in all, the last
 * being "urn:oasis:names:tc:SAML:1.0:cm:bearer" (which would be value
 * 0x3CE).  The spec ends its table at 0x3CC "detail" and says "Even values
 * not appearing in the following table have no character representation and
 * are reserved": writing 0x3CE would produce a document that a conforming
 * consumer must reject, so this table follows the spec and stops at 487.
 */
#define STATIC_STRING_COUNT 487

static const WS_XML_DICTIONARY static_dictionary;

/*
 * One row of [MC-NBFS] 2.1.  VALUE is the spec's (even) DictionaryString
 * value, kept so that each row can be checked against the spec by eye; the
 * WWSAPI id is its index, VALUE / 2 (see the comment at the top).
 */
#define NBFS_STRING( value, str ) \
    { sizeof(str) - 1, (BYTE *)(str), (WS_XML_DICTIONARY *)&static_dictionary, (value) / 2 }

static const WS_XML_STRING static_strings[] =
{
    NBFS_STRING( 0x000, "mustUnderstand" ),
    NBFS_STRING( 0x002, "Envelope" ),
    NBFS_STRING( 0x004, "http://www.w3.org/2003/05/soap-envelope" ),
    NBFS_STRING( 0x006, "http://www.w3.org/2005/08/addressing" ),
    NBFS_STRING( 0x008, "Header" ),
    NBFS_STRING( 0x00A, "Action" ),
    NBFS_STRING( 0x00C, "To" ),
    NBFS_STRING( 0x00E, "Body" ),
    NBFS_STRING( 0x010, "Algorithm" ),
    NBFS_STRING( 0x012, "RelatesTo" ),
    NBFS_STRING( 0x014, "http://www.w3.org/2005/08/addressing/anonymous" ),
    NBFS_STRING( 0x016, "URI" ),
    NBFS_STRING( 0x018, "Reference" ),
    NBFS_STRING( 0x01A, "MessageID" ),
    NBFS_STRING( 0x01C, "Id" ),
    NBFS_STRING( 0x01E, "Identifier" ),
    NBFS_STRING( 0x020, "http://schemas.xmlsoap.org/ws/2005/02/rm" ),
    NBFS_STRING( 0x022, "Transforms" ),
    NBFS_STRING( 0x024, "Transform" ),
    NBFS_STRING( 0x026, "DigestMethod" ),
    NBFS_STRING( 0x028, "DigestValue" ),
    NBFS_STRING( 0x02A, "Address" ),
    NBFS_STRING( 0x02C, "ReplyTo" ),
    NBFS_STRING( 0x02E, "SequenceAcknowledgement" ),
    NBFS_STRING( 0x030, "AcknowledgementRange" ),
    NBFS_STRING( 0x032, "Upper" ),
    NBFS_STRING( 0x034, "Lower" ),
    NBFS_STRING( 0x036, "BufferRemaining" ),
    NBFS_STRING( 0x038, "http://schemas.microsoft.com/ws/2006/05/rm" ),
    NBFS_STRING( 0x03A, "http://schemas.xmlsoap.org/ws/2005/02/rm/SequenceAcknowledgement" ),
    NBFS_STRING( 0x03C, "SecurityTokenReference" ),
    NBFS_STRING( 0x03E, "Sequence" ),
    NBFS_STRING( 0x040, "MessageNumber" ),
    NBFS_STRING( 0x042, "http://www.w3.org/2000/09/xmldsig#" ),
    NBFS_STRING( 0x044, "http://www.w3.org/2000/09/xmldsig#enveloped-signature" ),
    NBFS_STRING( 0x046, "KeyInfo" ),
    NBFS_STRING( 0x048, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ),
    NBFS_STRING( 0x04A, "http://www.w3.org/2001/04/xmlenc#" ),
    NBFS_STRING( 0x04C, "http://schemas.xmlsoap.org/ws/2005/02/sc" ),
    NBFS_STRING( 0x04E, "DerivedKeyToken" ),
    NBFS_STRING( 0x050, "Nonce" ),
    NBFS_STRING( 0x052, "Signature" ),
    NBFS_STRING( 0x054, "SignedInfo" ),
    NBFS_STRING( 0x056, "CanonicalizationMethod" ),
    NBFS_STRING( 0x058, "SignatureMethod" ),
    NBFS_STRING( 0x05A, "SignatureValue" ),
    NBFS_STRING( 0x05C, "DataReference" ),
    NBFS_STRING( 0x05E, "EncryptedData" ),
    NBFS_STRING( 0x060, "EncryptionMethod" ),
    NBFS_STRING( 0x062, "CipherData" ),
    NBFS_STRING( 0x064, "CipherValue" ),
    NBFS_STRING( 0x066, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" ),
    NBFS_STRING( 0x068, "Security" ),
    NBFS_STRING( 0x06A, "Timestamp" ),
    NBFS_STRING( 0x06C, "Created" ),
    NBFS_STRING( 0x06E, "Expires" ),
    NBFS_STRING( 0x070, "Length" ),
    NBFS_STRING( 0x072, "ReferenceList" ),
    NBFS_STRING( 0x074, "ValueType" ),
    NBFS_STRING( 0x076, "Type" ),
    NBFS_STRING( 0x078, "EncryptedHeader" ),
    NBFS_STRING( 0x07A, "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd" ),
    NBFS_STRING( 0x07C, "RequestSecurityTokenResponseCollection" ),
    NBFS_STRING( 0x07E, "http://schemas.xmlsoap.org/ws/2005/02/trust" ),
    NBFS_STRING( 0x080, "http://schemas.xmlsoap.org/ws/2005/02/trust#BinarySecret" ),
    NBFS_STRING( 0x082, "http://schemas.microsoft.com/ws/2006/02/transactions" ),
    NBFS_STRING( 0x084, "s" ),
    NBFS_STRING( 0x086, "Fault" ),
    NBFS_STRING( 0x088, "MustUnderstand" ),
    NBFS_STRING( 0x08A, "role" ),
    NBFS_STRING( 0x08C, "relay" ),
    NBFS_STRING( 0x08E, "Code" ),
    NBFS_STRING( 0x090, "Reason" ),
    NBFS_STRING( 0x092, "Text" ),
    NBFS_STRING( 0x094, "Node" ),
    NBFS_STRING( 0x096, "Role" ),
    NBFS_STRING( 0x098, "Detail" ),
    NBFS_STRING( 0x09A, "Value" ),
    NBFS_STRING( 0x09C, "Subcode" ),
    NBFS_STRING( 0x09E, "NotUnderstood" ),
    NBFS_STRING( 0x0A0, "qname" ),
    /* An empty cell in the spec: the empty string (the one entry of length 0). */
    NBFS_STRING( 0x0A2, "" ),
    NBFS_STRING( 0x0A4, "From" ),
    NBFS_STRING( 0x0A6, "FaultTo" ),
    NBFS_STRING( 0x0A8, "EndpointReference" ),
    NBFS_STRING( 0x0AA, "PortType" ),
    NBFS_STRING( 0x0AC, "ServiceName" ),
    NBFS_STRING( 0x0AE, "PortName" ),
    NBFS_STRING( 0x0B0, "ReferenceProperties" ),
    NBFS_STRING( 0x0B2, "RelationshipType" ),
    NBFS_STRING( 0x0B4, "Reply" ),
    NBFS_STRING( 0x0B6, "a" ),
    NBFS_STRING( 0x0B8, "http://schemas.xmlsoap.org/ws/2006/02/addressingidentity" ),
    NBFS_STRING( 0x0BA, "Identity" ),
    NBFS_STRING( 0x0BC, "Spn" ),
    NBFS_STRING( 0x0BE, "Upn" ),
    NBFS_STRING( 0x0C0, "Rsa" ),
    NBFS_STRING( 0x0C2, "Dns" ),
    NBFS_STRING( 0x0C4, "X509v3Certificate" ),
    NBFS_STRING( 0x0C6, "http://www.w3.org/2005/08/addressing/fault" ),
    NBFS_STRING( 0x0C8, "ReferenceParameters" ),
    NBFS_STRING( 0x0CA, "IsReferenceParameter" ),
    NBFS_STRING( 0x0CC, "http://www.w3.org/2005/08/addressing/reply" ),
    NBFS_STRING( 0x0CE, "http://www.w3.org/2005/08/addressing/none" ),
    NBFS_STRING( 0x0D0, "Metadata" ),
    NBFS_STRING( 0x0D2, "http://schemas.xmlsoap.org/ws/2004/08/addressing" ),
    NBFS_STRING( 0x0D4, "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous" ),
    NBFS_STRING( 0x0D6, "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault" ),
    NBFS_STRING( 0x0D8, "http://schemas.xmlsoap.org/ws/2004/06/addressingex" ),
    NBFS_STRING( 0x0DA, "RedirectTo" ),
    NBFS_STRING( 0x0DC, "Via" ),
    NBFS_STRING( 0x0DE, "http://www.w3.org/2001/10/xml-exc-c14n#" ),
    NBFS_STRING( 0x0E0, "PrefixList" ),
    NBFS_STRING( 0x0E2, "InclusiveNamespaces" ),
    NBFS_STRING( 0x0E4, "ec" ),
    NBFS_STRING( 0x0E6, "SecurityContextToken" ),
    NBFS_STRING( 0x0E8, "Generation" ),
    NBFS_STRING( 0x0EA, "Label" ),
    NBFS_STRING( 0x0EC, "Offset" ),
    NBFS_STRING( 0x0EE, "Properties" ),
    NBFS_STRING( 0x0F0, "Cookie" ),
    NBFS_STRING( 0x0F2, "wsc" ),
    NBFS_STRING( 0x0F4, "http://schemas.xmlsoap.org/ws/2004/04/sc" ),
    NBFS_STRING( 0x0F6, "http://schemas.xmlsoap.org/ws/2004/04/security/sc/dk" ),
    NBFS_STRING( 0x0F8, "http://schemas.xmlsoap.org/ws/2004/04/security/sc/sct" ),
    NBFS_STRING( 0x0FA, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/RST/SCT" ),
    NBFS_STRING( 0x0FC, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/RSTR/SCT" ),
    NBFS_STRING( 0x0FE, "RenewNeeded" ),
    NBFS_STRING( 0x100, "BadContextToken" ),
    NBFS_STRING( 0x102, "c" ),
    NBFS_STRING( 0x104, "http://schemas.xmlsoap.org/ws/2005/02/sc/dk" ),
    NBFS_STRING( 0x106, "http://schemas.xmlsoap.org/ws/2005/02/sc/sct" ),
    NBFS_STRING( 0x108, "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT" ),
    NBFS_STRING( 0x10A, "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/SCT" ),
    NBFS_STRING( 0x10C, "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT/Renew" ),
    NBFS_STRING( 0x10E, "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/SCT/Renew" ),
    NBFS_STRING( 0x110, "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/SCT/Cancel" ),
    NBFS_STRING( 0x112, "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/SCT/Cancel" ),
    NBFS_STRING( 0x114, "http://www.w3.org/2001/04/xmlenc#aes128-cbc" ),
    NBFS_STRING( 0x116, "http://www.w3.org/2001/04/xmlenc#kw-aes128" ),
    NBFS_STRING( 0x118, "http://www.w3.org/2001/04/xmlenc#aes192-cbc" ),
    NBFS_STRING( 0x11A, "http://www.w3.org/2001/04/xmlenc#kw-aes192" ),
    NBFS_STRING( 0x11C, "http://www.w3.org/2001/04/xmlenc#aes256-cbc" ),
    NBFS_STRING( 0x11E, "http://www.w3.org/2001/04/xmlenc#kw-aes256" ),
    NBFS_STRING( 0x120, "http://www.w3.org/2001/04/xmlenc#des-cbc" ),
    NBFS_STRING( 0x122, "http://www.w3.org/2000/09/xmldsig#dsa-sha1" ),
    NBFS_STRING( 0x124, "http://www.w3.org/2001/10/xml-exc-c14n#WithComments" ),
    NBFS_STRING( 0x126, "http://www.w3.org/2000/09/xmldsig#hmac-sha1" ),
    NBFS_STRING( 0x128, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256" ),
    NBFS_STRING( 0x12A, "http://schemas.xmlsoap.org/ws/2005/02/sc/dk/p_sha1" ),
    NBFS_STRING( 0x12C, "http://www.w3.org/2001/04/xmlenc#ripemd160" ),
    NBFS_STRING( 0x12E, "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p" ),
    NBFS_STRING( 0x130, "http://www.w3.org/2000/09/xmldsig#rsa-sha1" ),
    NBFS_STRING( 0x132, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" ),
    NBFS_STRING( 0x134, "http://www.w3.org/2001/04/xmlenc#rsa-1_5" ),
    NBFS_STRING( 0x136, "http://www.w3.org/2000/09/xmldsig#sha1" ),
    NBFS_STRING( 0x138, "http://www.w3.org/2001/04/xmlenc#sha256" ),
    NBFS_STRING( 0x13A, "http://www.w3.org/2001/04/xmlenc#sha512" ),
    NBFS_STRING( 0x13C, "http://www.w3.org/2001/04/xmlenc#tripledes-cbc" ),
    NBFS_STRING( 0x13E, "http://www.w3.org/2001/04/xmlenc#kw-tripledes" ),
    NBFS_STRING( 0x140, "http://schemas.xmlsoap.org/2005/02/trust/tlsnego#TLS_Wrap" ),
    NBFS_STRING( 0x142, "http://schemas.xmlsoap.org/2005/02/trust/spnego#GSS_Wrap" ),
    NBFS_STRING( 0x144, "http://schemas.microsoft.com/ws/2006/05/security" ),
    NBFS_STRING( 0x146, "dnse" ),
    NBFS_STRING( 0x148, "o" ),
    NBFS_STRING( 0x14A, "Password" ),
    NBFS_STRING( 0x14C, "PasswordText" ),
    NBFS_STRING( 0x14E, "Username" ),
    NBFS_STRING( 0x150, "UsernameToken" ),
    NBFS_STRING( 0x152, "BinarySecurityToken" ),
    NBFS_STRING( 0x154, "EncodingType" ),
    NBFS_STRING( 0x156, "KeyIdentifier" ),
    NBFS_STRING( 0x158, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary" ),
    NBFS_STRING( 0x15A, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#HexBinary" ),
    NBFS_STRING( 0x15C, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Text" ),
    NBFS_STRING( 0x15E, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier" ),
    NBFS_STRING( 0x160, "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ" ),
    NBFS_STRING( 0x162, "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ1510" ),
    NBFS_STRING( 0x164, "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID" ),
    NBFS_STRING( 0x166, "Assertion" ),
    NBFS_STRING( 0x168, "urn:oasis:names:tc:SAML:1.0:assertion" ),
    NBFS_STRING( 0x16A, "http://docs.oasis-open.org/wss/oasis-wss-rel-token-profile-1.0.pdf#license" ),
    NBFS_STRING( 0x16C, "FailedAuthentication" ),
    NBFS_STRING( 0x16E, "InvalidSecurityToken" ),
    NBFS_STRING( 0x170, "InvalidSecurity" ),
    NBFS_STRING( 0x172, "k" ),
    NBFS_STRING( 0x174, "SignatureConfirmation" ),
    NBFS_STRING( 0x176, "TokenType" ),
    NBFS_STRING( 0x178, "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1" ),
    NBFS_STRING( 0x17A, "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey" ),
    NBFS_STRING( 0x17C, "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKeySHA1" ),
    NBFS_STRING( 0x17E, "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1" ),
    NBFS_STRING( 0x180, "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0" ),
    NBFS_STRING( 0x182, "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID" ),
    NBFS_STRING( 0x184, "AUTH-HASH" ),
    NBFS_STRING( 0x186, "RequestSecurityTokenResponse" ),
    NBFS_STRING( 0x188, "KeySize" ),
    NBFS_STRING( 0x18A, "RequestedTokenReference" ),
    NBFS_STRING( 0x18C, "AppliesTo" ),
    NBFS_STRING( 0x18E, "Authenticator" ),
    NBFS_STRING( 0x190, "CombinedHash" ),
    NBFS_STRING( 0x192, "BinaryExchange" ),
    NBFS_STRING( 0x194, "Lifetime" ),
    NBFS_STRING( 0x196, "RequestedSecurityToken" ),
    NBFS_STRING( 0x198, "Entropy" ),
    NBFS_STRING( 0x19A, "RequestedProofToken" ),
    NBFS_STRING( 0x19C, "ComputedKey" ),
    NBFS_STRING( 0x19E, "RequestSecurityToken" ),
    NBFS_STRING( 0x1A0, "RequestType" ),
    NBFS_STRING( 0x1A2, "Context" ),
    NBFS_STRING( 0x1A4, "BinarySecret" ),
    NBFS_STRING( 0x1A6, "http://schemas.xmlsoap.org/ws/2005/02/trust/spnego" ),
    NBFS_STRING( 0x1A8, "http://schemas.xmlsoap.org/ws/2005/02/trust/tlsnego" ),
    NBFS_STRING( 0x1AA, "wst" ),
    NBFS_STRING( 0x1AC, "http://schemas.xmlsoap.org/ws/2004/04/trust" ),
    NBFS_STRING( 0x1AE, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/RST/Issue" ),
    NBFS_STRING( 0x1B0, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/RSTR/Issue" ),
    NBFS_STRING( 0x1B2, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/Issue" ),
    NBFS_STRING( 0x1B4, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/CK/PSHA1" ),
    NBFS_STRING( 0x1B6, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/SymmetricKey" ),
    NBFS_STRING( 0x1B8, "http://schemas.xmlsoap.org/ws/2004/04/security/trust/Nonce" ),
    NBFS_STRING( 0x1BA, "KeyType" ),
    NBFS_STRING( 0x1BC, "http://schemas.xmlsoap.org/ws/2004/04/trust/SymmetricKey" ),
    NBFS_STRING( 0x1BE, "http://schemas.xmlsoap.org/ws/2004/04/trust/PublicKey" ),
    NBFS_STRING( 0x1C0, "Claims" ),
    NBFS_STRING( 0x1C2, "InvalidRequest" ),
    NBFS_STRING( 0x1C4, "RequestFailed" ),
    NBFS_STRING( 0x1C6, "SignWith" ),
    NBFS_STRING( 0x1C8, "EncryptWith" ),
    NBFS_STRING( 0x1CA, "EncryptionAlgorithm" ),
    NBFS_STRING( 0x1CC, "CanonicalizationAlgorithm" ),
    NBFS_STRING( 0x1CE, "ComputedKeyAlgorithm" ),
    NBFS_STRING( 0x1D0, "UseKey" ),
    NBFS_STRING( 0x1D2, "http://schemas.microsoft.com/net/2004/07/secext/WS-SPNego" ),
    NBFS_STRING( 0x1D4, "http://schemas.microsoft.com/net/2004/07/secext/TLSNego" ),
    NBFS_STRING( 0x1D6, "t" ),
    NBFS_STRING( 0x1D8, "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue" ),
    NBFS_STRING( 0x1DA, "http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/Issue" ),
    NBFS_STRING( 0x1DC, "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue" ),
    NBFS_STRING( 0x1DE, "http://schemas.xmlsoap.org/ws/2005/02/trust/SymmetricKey" ),
    NBFS_STRING( 0x1E0, "http://schemas.xmlsoap.org/ws/2005/02/trust/CK/PSHA1" ),
    NBFS_STRING( 0x1E2, "http://schemas.xmlsoap.org/ws/2005/02/trust/Nonce" ),
    NBFS_STRING( 0x1E4, "RenewTarget" ),
    NBFS_STRING( 0x1E6, "CancelTarget" ),
    NBFS_STRING( 0x1E8, "RequestedTokenCancelled" ),
    NBFS_STRING( 0x1EA, "RequestedAttachedReference" ),
    NBFS_STRING( 0x1EC, "RequestedUnattachedReference" ),
    NBFS_STRING( 0x1EE, "IssuedTokens" ),
    NBFS_STRING( 0x1F0, "http://schemas.xmlsoap.org/ws/2005/02/trust/Renew" ),
    NBFS_STRING( 0x1F2, "http://schemas.xmlsoap.org/ws/2005/02/trust/Cancel" ),
    NBFS_STRING( 0x1F4, "http://schemas.xmlsoap.org/ws/2005/02/trust/PublicKey" ),
    NBFS_STRING( 0x1F6, "Access" ),
    NBFS_STRING( 0x1F8, "AccessDecision" ),
    NBFS_STRING( 0x1FA, "Advice" ),
    NBFS_STRING( 0x1FC, "AssertionID" ),
    NBFS_STRING( 0x1FE, "AssertionIDReference" ),
    NBFS_STRING( 0x200, "Attribute" ),
    NBFS_STRING( 0x202, "AttributeName" ),
    NBFS_STRING( 0x204, "AttributeNamespace" ),
    NBFS_STRING( 0x206, "AttributeStatement" ),
    NBFS_STRING( 0x208, "AttributeValue" ),
    NBFS_STRING( 0x20A, "Audience" ),
    NBFS_STRING( 0x20C, "AudienceRestrictionCondition" ),
    NBFS_STRING( 0x20E, "AuthenticationInstant" ),
    NBFS_STRING( 0x210, "AuthenticationMethod" ),
    NBFS_STRING( 0x212, "AuthenticationStatement" ),
    NBFS_STRING( 0x214, "AuthorityBinding" ),
    NBFS_STRING( 0x216, "AuthorityKind" ),
    NBFS_STRING( 0x218, "AuthorizationDecisionStatement" ),
    NBFS_STRING( 0x21A, "Binding" ),
    NBFS_STRING( 0x21C, "Condition" ),
    NBFS_STRING( 0x21E, "Conditions" ),
    NBFS_STRING( 0x220, "Decision" ),
    NBFS_STRING( 0x222, "DoNotCacheCondition" ),
    NBFS_STRING( 0x224, "Evidence" ),
    NBFS_STRING( 0x226, "IssueInstant" ),
    NBFS_STRING( 0x228, "Issuer" ),
    NBFS_STRING( 0x22A, "Location" ),
    NBFS_STRING( 0x22C, "MajorVersion" ),
    NBFS_STRING( 0x22E, "MinorVersion" ),
    NBFS_STRING( 0x230, "NameIdentifier" ),
    NBFS_STRING( 0x232, "Format" ),
    NBFS_STRING( 0x234, "NameQualifier" ),
    NBFS_STRING( 0x236, "Namespace" ),
    NBFS_STRING( 0x238, "NotBefore" ),
    NBFS_STRING( 0x23A, "NotOnOrAfter" ),
    NBFS_STRING( 0x23C, "saml" ),
    NBFS_STRING( 0x23E, "Statement" ),
    NBFS_STRING( 0x240, "Subject" ),
    NBFS_STRING( 0x242, "SubjectConfirmation" ),
    NBFS_STRING( 0x244, "SubjectConfirmationData" ),
    NBFS_STRING( 0x246, "ConfirmationMethod" ),
    NBFS_STRING( 0x248, "urn:oasis:names:tc:SAML:1.0:cm:holder-of-key" ),
    NBFS_STRING( 0x24A, "urn:oasis:names:tc:SAML:1.0:cm:sender-vouches" ),
    NBFS_STRING( 0x24C, "SubjectLocality" ),
    NBFS_STRING( 0x24E, "DNSAddress" ),
    NBFS_STRING( 0x250, "IPAddress" ),
    NBFS_STRING( 0x252, "SubjectStatement" ),
    NBFS_STRING( 0x254, "urn:oasis:names:tc:SAML:1.0:am:unspecified" ),
    NBFS_STRING( 0x256, "xmlns" ),
    NBFS_STRING( 0x258, "Resource" ),
    NBFS_STRING( 0x25A, "UserName" ),
    NBFS_STRING( 0x25C, "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName" ),
    NBFS_STRING( 0x25E, "EmailName" ),
    NBFS_STRING( 0x260, "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" ),
    NBFS_STRING( 0x262, "u" ),
    NBFS_STRING( 0x264, "ChannelInstance" ),
    NBFS_STRING( 0x266, "http://schemas.microsoft.com/ws/2005/02/duplex" ),
    NBFS_STRING( 0x268, "Encoding" ),
    NBFS_STRING( 0x26A, "MimeType" ),
    NBFS_STRING( 0x26C, "CarriedKeyName" ),
    NBFS_STRING( 0x26E, "Recipient" ),
    NBFS_STRING( 0x270, "EncryptedKey" ),
    NBFS_STRING( 0x272, "KeyReference" ),
    NBFS_STRING( 0x274, "e" ),
    NBFS_STRING( 0x276, "http://www.w3.org/2001/04/xmlenc#Element" ),
    NBFS_STRING( 0x278, "http://www.w3.org/2001/04/xmlenc#Content" ),
    NBFS_STRING( 0x27A, "KeyName" ),
    NBFS_STRING( 0x27C, "MgmtData" ),
    NBFS_STRING( 0x27E, "KeyValue" ),
    NBFS_STRING( 0x280, "RSAKeyValue" ),
    NBFS_STRING( 0x282, "Modulus" ),
    NBFS_STRING( 0x284, "Exponent" ),
    NBFS_STRING( 0x286, "X509Data" ),
    NBFS_STRING( 0x288, "X509IssuerSerial" ),
    NBFS_STRING( 0x28A, "X509IssuerName" ),
    NBFS_STRING( 0x28C, "X509SerialNumber" ),
    NBFS_STRING( 0x28E, "X509Certificate" ),
    NBFS_STRING( 0x290, "AckRequested" ),
    NBFS_STRING( 0x292, "http://schemas.xmlsoap.org/ws/2005/02/rm/AckRequested" ),
    NBFS_STRING( 0x294, "AcksTo" ),
    NBFS_STRING( 0x296, "Accept" ),
    NBFS_STRING( 0x298, "CreateSequence" ),
    NBFS_STRING( 0x29A, "http://schemas.xmlsoap.org/ws/2005/02/rm/CreateSequence" ),
    NBFS_STRING( 0x29C, "CreateSequenceRefused" ),
    NBFS_STRING( 0x29E, "CreateSequenceResponse" ),
    NBFS_STRING( 0x2A0, "http://schemas.xmlsoap.org/ws/2005/02/rm/CreateSequenceResponse" ),
    NBFS_STRING( 0x2A2, "FaultCode" ),
    NBFS_STRING( 0x2A4, "InvalidAcknowledgement" ),
    NBFS_STRING( 0x2A6, "LastMessage" ),
    NBFS_STRING( 0x2A8, "http://schemas.xmlsoap.org/ws/2005/02/rm/LastMessage" ),
    NBFS_STRING( 0x2AA, "LastMessageNumberExceeded" ),
    NBFS_STRING( 0x2AC, "MessageNumberRollover" ),
    NBFS_STRING( 0x2AE, "Nack" ),
    NBFS_STRING( 0x2B0, "netrm" ),
    NBFS_STRING( 0x2B2, "Offer" ),
    NBFS_STRING( 0x2B4, "r" ),
    NBFS_STRING( 0x2B6, "SequenceFault" ),
    NBFS_STRING( 0x2B8, "SequenceTerminated" ),
    NBFS_STRING( 0x2BA, "TerminateSequence" ),
    NBFS_STRING( 0x2BC, "http://schemas.xmlsoap.org/ws/2005/02/rm/TerminateSequence" ),
    NBFS_STRING( 0x2BE, "UnknownSequence" ),
    NBFS_STRING( 0x2C0, "http://schemas.microsoft.com/ws/2006/02/tx/oletx" ),
    NBFS_STRING( 0x2C2, "oletx" ),
    NBFS_STRING( 0x2C4, "OleTxTransaction" ),
    NBFS_STRING( 0x2C6, "PropagationToken" ),
    NBFS_STRING( 0x2C8, "http://schemas.xmlsoap.org/ws/2004/10/wscoor" ),
    NBFS_STRING( 0x2CA, "wscoor" ),
    NBFS_STRING( 0x2CC, "CreateCoordinationContext" ),
    NBFS_STRING( 0x2CE, "CreateCoordinationContextResponse" ),
    NBFS_STRING( 0x2D0, "CoordinationContext" ),
    NBFS_STRING( 0x2D2, "CurrentContext" ),
    NBFS_STRING( 0x2D4, "CoordinationType" ),
    NBFS_STRING( 0x2D6, "RegistrationService" ),
    NBFS_STRING( 0x2D8, "Register" ),
    NBFS_STRING( 0x2DA, "RegisterResponse" ),
    NBFS_STRING( 0x2DC, "ProtocolIdentifier" ),
    NBFS_STRING( 0x2DE, "CoordinatorProtocolService" ),
    NBFS_STRING( 0x2E0, "ParticipantProtocolService" ),
    NBFS_STRING( 0x2E2, "http://schemas.xmlsoap.org/ws/2004/10/wscoor/CreateCoordinationContext" ),
    NBFS_STRING( 0x2E4, "http://schemas.xmlsoap.org/ws/2004/10/wscoor/CreateCoordinationContextResponse" ),
    NBFS_STRING( 0x2E6, "http://schemas.xmlsoap.org/ws/2004/10/wscoor/Register" ),
    NBFS_STRING( 0x2E8, "http://schemas.xmlsoap.org/ws/2004/10/wscoor/RegisterResponse" ),
    NBFS_STRING( 0x2EA, "http://schemas.xmlsoap.org/ws/2004/10/wscoor/fault" ),
    NBFS_STRING( 0x2EC, "ActivationCoordinatorPortType" ),
    NBFS_STRING( 0x2EE, "RegistrationCoordinatorPortType" ),
    NBFS_STRING( 0x2F0, "InvalidState" ),
    NBFS_STRING( 0x2F2, "InvalidProtocol" ),
    NBFS_STRING( 0x2F4, "InvalidParameters" ),
    NBFS_STRING( 0x2F6, "NoActivity" ),
    NBFS_STRING( 0x2F8, "ContextRefused" ),
    NBFS_STRING( 0x2FA, "AlreadyRegistered" ),
    NBFS_STRING( 0x2FC, "http://schemas.xmlsoap.org/ws/2004/10/wsat" ),
    NBFS_STRING( 0x2FE, "wsat" ),
    NBFS_STRING( 0x300, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Completion" ),
    NBFS_STRING( 0x302, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Durable2PC" ),
    NBFS_STRING( 0x304, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Volatile2PC" ),
    NBFS_STRING( 0x306, "Prepare" ),
    NBFS_STRING( 0x308, "Prepared" ),
    NBFS_STRING( 0x30A, "ReadOnly" ),
    NBFS_STRING( 0x30C, "Commit" ),
    NBFS_STRING( 0x30E, "Rollback" ),
    NBFS_STRING( 0x310, "Committed" ),
    NBFS_STRING( 0x312, "Aborted" ),
    NBFS_STRING( 0x314, "Replay" ),
    NBFS_STRING( 0x316, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Commit" ),
    NBFS_STRING( 0x318, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Rollback" ),
    NBFS_STRING( 0x31A, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Committed" ),
    NBFS_STRING( 0x31C, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Aborted" ),
    NBFS_STRING( 0x31E, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Prepare" ),
    NBFS_STRING( 0x320, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Prepared" ),
    NBFS_STRING( 0x322, "http://schemas.xmlsoap.org/ws/2004/10/wsat/ReadOnly" ),
    NBFS_STRING( 0x324, "http://schemas.xmlsoap.org/ws/2004/10/wsat/Replay" ),
    NBFS_STRING( 0x326, "http://schemas.xmlsoap.org/ws/2004/10/wsat/fault" ),
    NBFS_STRING( 0x328, "CompletionCoordinatorPortType" ),
    NBFS_STRING( 0x32A, "CompletionParticipantPortType" ),
    NBFS_STRING( 0x32C, "CoordinatorPortType" ),
    NBFS_STRING( 0x32E, "ParticipantPortType" ),
    NBFS_STRING( 0x330, "InconsistentInternalState" ),
    NBFS_STRING( 0x332, "mstx" ),
    NBFS_STRING( 0x334, "Enlistment" ),
    NBFS_STRING( 0x336, "protocol" ),
    NBFS_STRING( 0x338, "LocalTransactionId" ),
    NBFS_STRING( 0x33A, "IsolationLevel" ),
    NBFS_STRING( 0x33C, "IsolationFlags" ),
    NBFS_STRING( 0x33E, "Description" ),
    NBFS_STRING( 0x340, "Loopback" ),
    NBFS_STRING( 0x342, "RegisterInfo" ),
    NBFS_STRING( 0x344, "ContextId" ),
    NBFS_STRING( 0x346, "TokenId" ),
    NBFS_STRING( 0x348, "AccessDenied" ),
    NBFS_STRING( 0x34A, "InvalidPolicy" ),
    NBFS_STRING( 0x34C, "CoordinatorRegistrationFailed" ),
    NBFS_STRING( 0x34E, "TooManyEnlistments" ),
    NBFS_STRING( 0x350, "Disabled" ),
    NBFS_STRING( 0x352, "ActivityId" ),
    NBFS_STRING( 0x354, "http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics" ),
    NBFS_STRING( 0x356, "http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#Kerberosv5APREQSHA1" ),
    NBFS_STRING( 0x358, "http://schemas.xmlsoap.org/ws/2002/12/policy" ),
    NBFS_STRING( 0x35A, "FloodMessage" ),
    NBFS_STRING( 0x35C, "LinkUtility" ),
    NBFS_STRING( 0x35E, "Hops" ),
    NBFS_STRING( 0x360, "http://schemas.microsoft.com/net/2006/05/peer/HopCount" ),
    NBFS_STRING( 0x362, "PeerVia" ),
    NBFS_STRING( 0x364, "http://schemas.microsoft.com/net/2006/05/peer" ),
    NBFS_STRING( 0x366, "PeerFlooder" ),
    NBFS_STRING( 0x368, "PeerTo" ),
    NBFS_STRING( 0x36A, "http://schemas.microsoft.com/ws/2005/05/routing" ),
    NBFS_STRING( 0x36C, "PacketRoutable" ),
    NBFS_STRING( 0x36E, "http://schemas.microsoft.com/ws/2005/05/addressing/none" ),
    NBFS_STRING( 0x370, "http://schemas.microsoft.com/ws/2005/05/envelope/none" ),
    NBFS_STRING( 0x372, "http://www.w3.org/2001/XMLSchema-instance" ),
    NBFS_STRING( 0x374, "http://www.w3.org/2001/XMLSchema" ),
    NBFS_STRING( 0x376, "nil" ),
    NBFS_STRING( 0x378, "type" ),
    NBFS_STRING( 0x37A, "char" ),
    NBFS_STRING( 0x37C, "boolean" ),
    NBFS_STRING( 0x37E, "byte" ),
    NBFS_STRING( 0x380, "unsignedByte" ),
    NBFS_STRING( 0x382, "short" ),
    NBFS_STRING( 0x384, "unsignedShort" ),
    NBFS_STRING( 0x386, "int" ),
    NBFS_STRING( 0x388, "unsignedInt" ),
    NBFS_STRING( 0x38A, "long" ),
    NBFS_STRING( 0x38C, "unsignedLong" ),
    NBFS_STRING( 0x38E, "float" ),
    NBFS_STRING( 0x390, "double" ),
    NBFS_STRING( 0x392, "decimal" ),
    NBFS_STRING( 0x394, "dateTime" ),
    NBFS_STRING( 0x396, "string" ),
    NBFS_STRING( 0x398, "base64Binary" ),
    NBFS_STRING( 0x39A, "anyType" ),
    NBFS_STRING( 0x39C, "duration" ),
    NBFS_STRING( 0x39E, "guid" ),
    NBFS_STRING( 0x3A0, "anyURI" ),
    NBFS_STRING( 0x3A2, "QName" ),
    NBFS_STRING( 0x3A4, "time" ),
    NBFS_STRING( 0x3A6, "date" ),
    NBFS_STRING( 0x3A8, "hexBinary" ),
    NBFS_STRING( 0x3AA, "gYearMonth" ),
    NBFS_STRING( 0x3AC, "gYear" ),
    NBFS_STRING( 0x3AE, "gMonthDay" ),
    NBFS_STRING( 0x3B0, "gDay" ),
    NBFS_STRING( 0x3B2, "gMonth" ),
    NBFS_STRING( 0x3B4, "integer" ),
    NBFS_STRING( 0x3B6, "positiveInteger" ),
    NBFS_STRING( 0x3B8, "negativeInteger" ),
    NBFS_STRING( 0x3BA, "nonPositiveInteger" ),
    NBFS_STRING( 0x3BC, "nonNegativeInteger" ),
    NBFS_STRING( 0x3BE, "normalizedString" ),
    NBFS_STRING( 0x3C0, "ConnectionLimitReached" ),
    NBFS_STRING( 0x3C2, "http://schemas.xmlsoap.org/soap/envelope/" ),
    NBFS_STRING( 0x3C4, "actor" ),
    NBFS_STRING( 0x3C6, "faultcode" ),
    NBFS_STRING( 0x3C8, "faultstring" ),
    NBFS_STRING( 0x3CA, "faultactor" ),
    NBFS_STRING( 0x3CC, "detail" ),
};

C_ASSERT( sizeof(static_strings) / sizeof(static_strings[0]) == STATIC_STRING_COUNT );

/*
 * The guid only has to identify this set of strings for the lifetime of the
 * process (WS_XML_DICTIONARY, member guid: "never transmitted or
 * persisted"); this one was generated once for this DLL.
 * {376da45a-ff37-4faa-9e55-144f843d5dbc}
 */
static const WS_XML_DICTIONARY static_dictionary =
{
    { 0x376da45a, 0xff37, 0x4faa, { 0x9e, 0x55, 0x14, 0x4f, 0x84, 0x3d, 0x5d, 0xbc } },
    (WS_XML_STRING *)static_strings,
    STATIC_STRING_COUNT,
    TRUE  /* declared const and valid for the lifetime of the process */
};

/*
 * Internal interface for the binary reader and writer (declared in
 * webservices_private.h).
 */

/* The [MC-NBFS] static dictionary, the one WsGetDictionary returns. */
const WS_XML_DICTIONARY *ws_static_dictionary( void )
{
    return &static_dictionary;
}

/*
 * The string with WWSAPI id ID (an index: a reader holding the wire value
 * of a static DictionaryString passes value / 2), or NULL when ID is past
 * the table, i.e. the wire value is reserved.
 */
const WS_XML_STRING *ws_static_dictionary_string( ULONG id )
{
    if (id >= STATIC_STRING_COUNT) return NULL;
    return &static_strings[id];
}

/*
 * Lookup from bytes to id for the binary writer: the ids sorted by
 * (length, bytes), built on first use.  InitOnceExecuteOnce makes the first
 * use from several threads at once safe without a lock on every lookup.
 */
static INIT_ONCE sorted_ids_once = INIT_ONCE_STATIC_INIT;
static USHORT sorted_ids[STATIC_STRING_COUNT];

static int compare_bytes( const BYTE *bytes1, ULONG length1, const BYTE *bytes2, ULONG length2 )
{
    if (length1 != length2) return length1 < length2 ? -1 : 1;
    if (!length1) return 0;  /* bytes may be NULL for an empty string */
    return memcmp( bytes1, bytes2, length1 );
}

static int compare_ids( const void *a, const void *b )
{
    const WS_XML_STRING *str1 = &static_strings[*(const USHORT *)a];
    const WS_XML_STRING *str2 = &static_strings[*(const USHORT *)b];
    return compare_bytes( str1->bytes, str1->length, str2->bytes, str2->length );
}

static BOOL CALLBACK sort_ids( INIT_ONCE *once, void *param, void **context )
{
    USHORT i;

    (void)once; (void)param; (void)context;
    for (i = 0; i < STATIC_STRING_COUNT; i++) sorted_ids[i] = i;
    qsort( sorted_ids, STATIC_STRING_COUNT, sizeof(sorted_ids[0]), compare_ids );
    return TRUE;
}

/*
 * Looks up BYTES (LENGTH bytes, compared exactly, case included) in the
 * static dictionary: TRUE with its id in *ID when present (the writer puts
 * 2 * id on the wire), FALSE otherwise.  The empty string is present (0xA2).
 */
BOOL ws_static_dictionary_find( const BYTE *bytes, ULONG length, ULONG *id )
{
    ULONG low = 0, high = STATIC_STRING_COUNT;

    if (!bytes && length) return FALSE;
    InitOnceExecuteOnce( &sorted_ids_once, sort_ids, NULL, NULL );

    while (low < high)
    {
        ULONG mid = low + (high - low) / 2;
        const WS_XML_STRING *str = &static_strings[sorted_ids[mid]];
        int cmp = compare_bytes( bytes, length, str->bytes, str->length );

        if (!cmp)
        {
            *id = sorted_ids[mid];
            return TRUE;
        }
        if (cmp < 0) high = mid;
        else low = mid + 1;
    }
    return FALSE;
}

/*
 * The binary encodings, with or without a session, use the [MC-NBFS] static
 * dictionary.  The other encodings have no static dictionary: S_OK with a
 * NULL dictionary (the behaviour of the builtin, the docs being silent).
 */
static BOOL encoding_has_static_dictionary( WS_ENCODING encoding )
{
    return encoding == WS_ENCODING_XML_BINARY_1 || encoding == WS_ENCODING_XML_BINARY_SESSION_1;
}

/*
 * Values outside WS_ENCODING are invalid arguments (E_INVALIDARG, the
 * project's rule for bad input, the docs naming no code).  Wine's builtin
 * accepts them and returns S_OK with a NULL dictionary instead.
 */
static BOOL is_valid_encoding( WS_ENCODING encoding )
{
    switch (encoding)
    {
    case WS_ENCODING_XML_BINARY_1:
    case WS_ENCODING_XML_BINARY_SESSION_1:
    case WS_ENCODING_XML_MTOM_UTF8:
    case WS_ENCODING_XML_MTOM_UTF16BE:
    case WS_ENCODING_XML_MTOM_UTF16LE:
    case WS_ENCODING_XML_UTF8:
    case WS_ENCODING_XML_UTF16BE:
    case WS_ENCODING_XML_UTF16LE:
    case WS_ENCODING_RAW:
        return TRUE;
    }
    return FALSE;
}

HRESULT WINAPI WsGetDictionary( WS_ENCODING encoding, WS_XML_DICTIONARY **dictionary, WS_ERROR *error )
{
    TRACE( "%d %p %p\n", encoding, dictionary, error );

    if (!dictionary) return ws_error_set( error, E_INVALIDARG, "dictionary is NULL" );
    if (!is_valid_encoding( encoding )) return ws_error_set( error, E_INVALIDARG, "invalid encoding %d", encoding );

    if (encoding_has_static_dictionary( encoding )) *dictionary = (WS_XML_DICTIONARY *)&static_dictionary;
    else *dictionary = NULL;
    return S_OK;
}
