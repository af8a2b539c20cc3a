#!/usr/bin/env python3
"""Generate the ABI reference the header is checked against.

usage: gen_abi_check.py OUT_DIR [WINE_WEBSERVICES_H]

Writes OUT_DIR/abi_data.h: one macro invocation per fact of the metadata,
with the layout computed here from the field lists by the C layout rules of
the Windows ABI (x86_64 and i686), independently of any compiler or header:

  ABI_STRUCT(type, size, align)          sizeof/alignof
  ABI_FIELD(type, member, offset, size)  offsetof/sizeof of each field
  ABI_FIELD_TYPE(type, member, ctype)    the field's declared type
  ABI_ENUM(name, value)                  enum constants
  ABI_CONST(name, value)                 #define constants and HRESULTs
  ABI_FUNC(ret, name, params)            prototypes
  ABI_CALLBACK(ret, name, params)        callback typedefs

The values for both architectures are present, selected by _WIN64.  The
including file defines the macros: as static assertions (tests/abi_static.c)
or as ok() checks (tests/abi.c).

With WINE_WEBSERVICES_H, also writes OUT_DIR/abi_wine.h with the subset of
structures, fields, enum constants and constants that Wine's header declares
too, so that Wine's header can be checked against the same reference.
"""
import os
import re
import sys

import wsmeta

# (size, align) of non-pointer leaf types by C spelling; pointers are added per arch.
SCALARS = {
    "BYTE": (1, 1), "char": (1, 1),
    "short": (2, 2), "USHORT": (2, 2), "WCHAR": (2, 2),
    "int": (4, 4), "ULONG": (4, 4), "BOOL": (4, 4), "HRESULT": (4, 4), "float": (4, 4),
    "__int64": (8, 8), "unsigned __int64": (8, 8), "double": (8, 8),
    "GUID": (16, 4),        # { ULONG; USHORT; USHORT; BYTE[8] }
    "FILETIME": (8, 4),     # { DWORD; DWORD }
    "DECIMAL": (16, 8),     # { USHORT; BYTE, BYTE; ULONG; ULONGLONG }
}
POINTER_SIZED = {"ULONG_PTR", "SIZE_T", "HWND", "NCRYPT_KEY_HANDLE"}


class Layout:
    def __init__(self, meta, ptr):
        self.meta = meta
        self.ptr = ptr
        self.cache = {}

    def leaf(self, t, nested):
        inner, depth = wsmeta.base_type(t)
        if depth:
            return self.ptr, self.ptr
        if inner["Kind"] == "ApiRef" and inner["Api"] == wsmeta.NS:
            if inner["Name"] in nested:
                return self.struct(nested[inner["Name"]], nested)[:2]
            target = self.meta.by_name[inner["Name"]]
            if target["Kind"] == "Enum":
                return 4, 4
            if target["Kind"] == "FunctionPointer":
                return self.ptr, self.ptr
            return self.struct(target)[:2]
        name = wsmeta.base_name(inner, 0, "field")
        if name.endswith("*") or name in POINTER_SIZED:
            return self.ptr, self.ptr
        return SCALARS[name]

    def struct(self, s, outer_nested=None):
        """(size, align, [(member path, offset, size, field type)]) of a struct."""
        key = id(s)
        if key in self.cache:
            return self.cache[key]
        nested = dict(outer_nested or {})
        nested.update({n["Name"]: n for n in s.get("NestedTypes", [])})
        offset, align, fields = 0, 1, []
        for f in s["Fields"]:
            size, falign = self.leaf(f["Type"], nested)
            offset = (offset + falign - 1) // falign * falign
            t = f["Type"]
            fields.append((f["Name"], offset, size, f))
            if t["Kind"] == "ApiRef" and t["Name"] in nested:
                for sub in self.struct(nested[t["Name"]], nested)[2]:
                    fields.append((f["Name"] + "." + sub[0], offset + sub[1], sub[2], sub[3]))
            offset += size
            align = max(align, falign)
        size = (offset + align - 1) // align * align
        self.cache[key] = (size, align, fields)
        return self.cache[key]


def params_text(params, context):
    if not params:
        return "void"
    return ", ".join(wsmeta.render(p["Type"], "", "Const" in p["Attrs"], context) for p in params)


def per_arch(v64, v32):
    return str(v64) if v64 == v32 else "ABI_ARCH(%s, %s)" % (v64, v32)


def struct_facts(meta, keep=None):
    """Lines for structs (and optionally only the struct/field names in keep)."""
    l64, l32 = Layout(meta, 8), Layout(meta, 4)
    out = []
    for s in meta.structs:
        name = s["Name"]
        if keep is not None and name not in keep:
            continue
        size64, align64, fields64 = l64.struct(s)
        size32, align32, fields32 = l32.struct(s)
        out.append("ABI_STRUCT(%s, %s, %s)" % (name, per_arch(size64, size32), per_arch(align64, align32)))
        nested_names = {n["Name"] for n in s.get("NestedTypes", [])}
        for (member, off64, fsize64, f), (_, off32, fsize32, _) in zip(fields64, fields32):
            if keep is not None and member.split(".")[0] not in keep[name]:
                continue
            out.append("ABI_FIELD(%s, %s, %s, %s)" % (name, member, per_arch(off64, off32), per_arch(fsize64, fsize32)))
            t = f["Type"]
            if keep is None and not (t["Kind"] == "ApiRef" and t["Name"] in nested_names):
                out.append("ABI_FIELD_TYPE(%s, %s, %s)" % (name, member, wsmeta.render(t, "", "Const" in f["Attrs"])))
    return out


def all_facts(meta):
    out = struct_facts(meta)
    for e in meta.enums:
        for v in e["Values"]:
            out.append("ABI_ENUM(%s, %d)" % (v["Name"], v["Value"]))
    for c in meta.constants:
        out.append("ABI_CONST(%s, %d)" % (c["Name"], c["Value"]))
    for c in meta.hresults:
        out.append("ABI_CONST(%s, (HRESULT)%s)" % (c["Name"], c["Hex"]))
    for cb in meta.callbacks:
        out.append("ABI_CALLBACK(%s, %s, (%s))" % (wsmeta.render(cb["ReturnType"], ""), cb["Name"],
                                                 params_text(cb["Params"], "callback")))
    for name in meta.exports:
        fn = meta.func_by_name[name]
        out.append("ABI_FUNC(%s, %s, (%s))" % (wsmeta.render(fn["ReturnType"], ""), name,
                                             params_text(fn["Params"], "param")))
    return out


def wine_declarations(path):
    """Struct -> top-level member names, and all identifiers, of Wine's header."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    structs = {}
    for m in re.finditer(r"struct\s+_(WS_\w+)\s*\{", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        flat, depth = [], 0          # drop the bodies of nested struct/union blocks
        for ch in body:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif depth == 0:
                flat.append(ch)
        members = set()
        for decl in "".join(flat).split(";"):
            names = re.findall(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*$", decl.strip())
            if names:
                members.add(names[-1])
        structs[m.group(1)] = members
    words = set(re.findall(r"\b[A-Z_][A-Z0-9_]*\b", text))
    return structs, words


# Where Wine's header (8.0) disagrees with the metadata.  Each is checked to
# still differ, so that a fix in Wine shows up here.
WINE_DIFFERENCES = {
    # Wine numbers WS_SECURITY_BINDING_TYPE from 0; the SDK (and the metadata)
    # from 1 (WS_SSL_TRANSPORT_SECURITY_BINDING_TYPE = 1).  A program built
    # with Wine's header passes every security binding type off by one.
    "WS_SECURITY_BINDING_TYPE": "Wine's enum starts at 0, the SDK's at 1",
}


def wine_facts(meta, path):
    structs, words = wine_declarations(path)
    keep = {s["Name"]: structs[s["Name"]] for s in meta.structs if s["Name"] in structs}
    out = struct_facts(meta, keep)
    for e in meta.enums:
        macro = "ABI_ENUM_WINE_DIFFERS" if e["Name"] in WINE_DIFFERENCES else "ABI_ENUM"
        for v in e["Values"]:
            if v["Name"] in words:
                out.append("%s(%s, %d)" % (macro, v["Name"], v["Value"]))
    for c in meta.constants:
        if c["Name"] in words:
            out.append("ABI_CONST(%s, %d)" % (c["Name"], c["Value"]))
    for c in meta.hresults:
        if c["Name"] in words:
            out.append("ABI_CONST(%s, (HRESULT)%s)" % (c["Name"], c["Hex"]))
    return out


def write(path, lines, what):
    with open(path, "w") as f:
        f.write("/* GENERATED by tools/gen_abi_check.py: %s. */\n" % what)
        f.write("#ifdef _WIN64\n#define ABI_ARCH(x64, x86) (x64)\n#else\n#define ABI_ARCH(x64, x86) (x86)\n#endif\n")
        f.write("\n".join(lines) + "\n")


def main(argv):
    out_dir = argv[0]
    meta = wsmeta.Meta()
    write(os.path.join(out_dir, "abi_data.h"), all_facts(meta), "the WWSAPI ABI computed from the metadata")
    if len(argv) > 1:
        write(os.path.join(out_dir, "abi_wine.h"), wine_facts(meta, argv[1]),
              "the part of the reference that Wine's webservices.h declares")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
