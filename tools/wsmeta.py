"""Shared reader for the WWSAPI ABI metadata (../shared/abi).

The JSON is win32json's rendering of Microsoft's win32metadata.  This module
loads it, drops the WebAuthN entries that share the namespace, and renders
metadata types as C declarations the way the Windows SDK header spells them.
Used by gen_header.py, gen_spec.py and gen_abi_check.py.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
NS = "Networking.WindowsWebServices"


def abi_dir():
    """Where the ABI facts live: $WS_ABI_DIR, or ../shared/abi next to the repo."""
    env = os.environ.get("WS_ABI_DIR")
    if env:
        return env
    for cand in (os.path.join(TOP, "..", "shared", "abi"),
                 os.path.join(TOP, "shared", "abi")):
        if os.path.isdir(cand):
            return os.path.normpath(cand)
    raise SystemExit("ABI metadata not found: set WS_ABI_DIR to the shared/abi directory")


def _is_webauthn(name):
    return name.upper().startswith("WEBAUTHN")


class Meta:
    def __init__(self, directory=None):
        directory = directory or abi_dir()
        with open(os.path.join(directory, "Networking.WindowsWebServices.json")) as f:
            data = json.load(f)
        with open(os.path.join(directory, "Foundation.WsErrors.json")) as f:
            self.hresults = json.load(f)["Constants"]
        with open(os.path.join(directory, "webservices.exports.txt")) as f:
            self.exports = f.read().split()
        self.types = [t for t in data["Types"]
                      if not _is_webauthn(t["Name"]) and t["Kind"] in ("Struct", "Enum", "FunctionPointer")]
        self.constants = [c for c in data["Constants"] if not _is_webauthn(c["Name"])]
        self.functions = [f for f in data["Functions"] if not _is_webauthn(f["Name"])]
        self.by_name = {t["Name"]: t for t in self.types}
        self.structs = [t for t in self.types if t["Kind"] == "Struct" and t["Fields"]]
        self.handles = [t for t in self.types if t["Kind"] == "Struct" and not t["Fields"]]
        self.enums = [t for t in self.types if t["Kind"] == "Enum"]
        self.callbacks = [t for t in self.types if t["Kind"] == "FunctionPointer"]
        self.func_by_name = {f["Name"]: f for f in self.functions}
        missing = set(self.exports) - set(self.func_by_name)
        if missing:
            raise SystemExit("exports without metadata: %s" % sorted(missing))


# Native metadata types, as the SDK header names them.
NATIVE = {
    "Void": "void",
    "Byte": "BYTE",
    "Char": "WCHAR",
    "Int16": "short",
    "UInt16": "USHORT",
    "Int32": "int",
    "UInt32": "ULONG",
    "Int64": "__int64",
    "UInt64": "unsigned __int64",
    "UIntPtr": "ULONG_PTR",
    "Single": "float",
    "Double": "double",
    "Guid": "GUID",
}

# Types from other win32metadata namespaces, as the SDK spells them.
FOREIGN = {
    "HRESULT": "HRESULT",
    "BOOL": "BOOL",
    "DECIMAL": "DECIMAL",
    "PWSTR": "WCHAR*",
    "CHAR": "char",
    "FILETIME": "FILETIME",
    "HWND": "HWND",
    "CERT_CONTEXT": "CERT_CONTEXT",
    "NCRYPT_KEY_HANDLE": "NCRYPT_KEY_HANDLE",
    "SecPkgContext_IssuerListInfoEx": "SecPkgContext_IssuerListInfoEx",
}


def base_type(t):
    """Strip pointers and arrays; return (innermost type, pointer depth)."""
    depth = 0
    while t["Kind"] in ("PointerTo", "LPArray"):
        depth += 1
        t = t["Child"]
    return t, depth


def base_name(t, depth, context):
    """C spelling of a non-pointer metadata type.

    win32metadata loses the character-ness of some WCHAR buffers and records
    them as UInt16; the SDK declares those as WCHAR (WsTrimXmlWhitespace,
    WsGetXmlAttribute), so a UInt16 reached through a pointer in a function
    parameter is WCHAR.  Pointer-sized integers are SIZE_T in function
    parameters (WsCreateHeap, WsAlloc) and ULONG_PTR (HCRYPTPROV) in fields.
    """
    kind = t["Kind"]
    if kind == "Native":
        name = t["Name"]
        if name == "UInt16" and depth and context == "param":
            return "WCHAR"
        if name == "UIntPtr" and context == "param":
            return "SIZE_T"
        return NATIVE[name]
    if kind == "ApiRef":
        if t["Api"] == NS:
            return t["Name"]
        return FOREIGN[t["Name"]]
    raise ValueError("unexpected type kind %r" % kind)


def render(t, name, const=False, context="field"):
    """Render 'TYPE name' for a field or parameter (name may be empty)."""
    inner, depth = base_type(t)
    text = base_name(inner, depth, context)
    stars = depth
    if text.endswith("*"):          # PWSTR
        text = text[:-1]
        stars += 1
    if const and stars:
        text = "const " + text
    decl = text + " " + "*" * stars + name
    return decl.rstrip()


def value_refs(struct, meta):
    """Names of metadata structs a struct contains by value (needs them complete first)."""
    refs = []
    nested = {n["Name"]: n for n in struct.get("NestedTypes", [])}
    for f in struct["Fields"]:
        t = f["Type"]
        if t["Kind"] == "ApiRef" and t["Api"] == NS:
            if t["Name"] in nested:
                refs.extend(value_refs(nested[t["Name"]], meta))
            elif meta.by_name.get(t["Name"], {}).get("Kind") == "Struct":
                refs.append(t["Name"])
    return refs


def write_generated(argv, default_target, generate, tool):
    """Write generate(Meta()) to the target, or with --check compare instead.

    Returns the exit status: 1 when --check finds the committed file stale.
    """
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    target = args[0] if args else default_target
    text = generate(Meta())
    if check:
        try:
            with open(target) as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("%s is out of date: run %s" % (target, tool), file=sys.stderr)
            return 1
        return 0
    with open(target, "w") as f:
        f.write(text)
    return 0
