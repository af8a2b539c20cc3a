#!/bin/sh
# Build-level checks, reported in winetest format as test "build":
#  - include/webservices.h and webservices.spec are what the generators make
#    from the metadata;
#  - each DLL (x86_64, i686) exports exactly the names of
#    webservices.exports.txt, undecorated;
#  - the i686 import library resolves every stdcall-decorated reference
#    (_WsCreateHeap@24 style, @N computed from the spec's argument types);
#  - the C and C++ link programs and the compile-time ABI checks (our header,
#    and Wine's header) were built for both architectures.
#
# usage: check-build.sh BUILD_DIR

b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
tests=0 failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # $1 = description; remaining args: command that must succeed
    desc=$1; shift
    tests=$((tests + 1))
    if ! "$@" >"$tmp/out" 2>&1; then
        failures=$((failures + 1))
        echo "check-build.sh: Test failed: $desc"
        sed -n '1,20p' "$tmp/out" | sed 's/^/    /'
    fi
}

exports_txt=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import wsmeta, os; print(os.path.join(wsmeta.abi_dir(), "webservices.exports.txt"))' "$top/tools")
sort "$exports_txt" > "$tmp/expected"

dll_exports() { # $1 = arch
    "$1-w64-mingw32-objdump" -p "$b/$1/webservices.dll" |
        sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | sed -n 's/^\t\[ *[0-9]*\] //p' | sort
}

same_exports() { # $1 = arch
    dll_exports "$1" > "$tmp/$1.exports"
    diff "$tmp/expected" "$tmp/$1.exports"
}

implib_symbols() { # every __imp__Name@N the spec implies is in the i686 import library
    i686-w64-mingw32-nm "$b/i686/libwebservices.a" | sed -n 's/.* I //p' | sort > "$tmp/implib"
    sed -n 's/^@ stdcall \([A-Za-z]*\)(\(.*\))$/\1 \2/p' "$top/webservices.spec" |
    while read -r name args; do
        n=0
        for a in $args; do case $a in int64|double) n=$((n + 8));; *) n=$((n + 4));; esac; done
        echo "__imp__$name@$n"
    done | sort > "$tmp/wanted"
    comm -23 "$tmp/wanted" "$tmp/implib" > "$tmp/missing"
    if [ -s "$tmp/missing" ]; then echo "missing from the import library:"; cat "$tmp/missing"; return 1; fi
}

no_decoration() { ! grep '@' "$tmp/i686.exports"; }

exists() { test -s "$1" || { echo "$1 was not built"; return 1; }; }

check "include/webservices.h is generated from the metadata" python3 "$top/tools/gen_header.py" --check
check "webservices.spec is generated from the metadata" python3 "$top/tools/gen_spec.py" --check
check "x86_64 DLL exports exactly webservices.exports.txt" same_exports x86_64
check "i686 DLL exports exactly webservices.exports.txt" same_exports i686
check "i686 export names are undecorated" no_decoration
check "i686 import library has every stdcall-decorated symbol" implib_symbols
for arch in x86_64 i686; do
    check "$arch C link test (every export, -lwebservices)" exists "$b/$arch/link_c.exe"
    check "$arch C++ link test (every export, -lwebservices)" exists "$b/$arch/link_cxx.exe"
    check "$arch ABI static assertions on our header" exists "$b/$arch/abi_static.o"
    check "$arch ABI static assertions on Wine's header" exists "$b/$arch/abi_wine.o"
done

echo "webservices:build: $tests tests executed (0 marked as todo, $failures failures), 0 skipped."
[ "$failures" -eq 0 ]
