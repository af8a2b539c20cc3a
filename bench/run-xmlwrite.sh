#!/bin/sh
# XML writer benchmark: our webservices.dll against Wine's builtin.
#
#   bench/run-xmlwrite.sh BUILD_DIR
#
# BUILD_DIR is a build tree of this project (make B=BUILD_DIR ...) holding
# x86_64/webservices.dll and x86_64/libwebservices.a; they are built first if
# missing.  Compiles bench/xmlwrite.c into BUILD_DIR/bench/, copies our DLL next
# to it, runs it under Wine once with our DLL (WINEDLLOVERRIDES=webservices=n)
# and once with the builtin (=b), and prints both results and their ratio.
# The numbers come from the benchmark program only.
set -e
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(mkdir -p "$1" && cd "$1" && pwd)
arch=x86_64
out="$build/bench"
prefix="$build/wineprefix"
WINE=${WINE:-wine}

if [ ! -f "$build/$arch/webservices.dll" ] || [ ! -f "$build/$arch/libwebservices.a" ]; then
    make -C "$src" B="$build" "$build/$arch/webservices.dll" "$build/$arch/libwebservices.a" >/dev/null
fi
mkdir -p "$out"
$arch-w64-mingw32-gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$src/include" \
    -o "$out/xmlwrite.exe" "$src/bench/xmlwrite.c" -L"$build/$arch" -lwebservices
cp "$build/$arch/webservices.dll" "$out/"

if [ ! -f "$prefix/.created" ]; then
    mkdir -p "$prefix"
    WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i >/dev/null 2>&1 || true
    WINEPREFIX="$prefix" wineserver -w || true
    touch "$prefix/.created"
fi

run() { # $1 = n or b
    (cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=$1" $WINE xmlwrite.exe) | tr -d '\r'
}

ours=$(run n)
builtin=$(run b)
ours_ops=$(printf '%s\n' "$ours" | sed -n 's/^xml_write_elements_per_sec: //p')
builtin_ops=$(printf '%s\n' "$builtin" | sed -n 's/^xml_write_elements_per_sec: //p')

echo "XML writer benchmark: 33 SOAP-like documents of 6,063 elements (attributes, text, int32 values), 200,079 elements, to a buffer output; best of 5 rounds"
printf 'ours    [%s]: %s elements/s\n' "$(printf '%s\n' "$ours" | sed -n 's/^dll: //p')" "${ours_ops:-FAILED}"
printf 'builtin [%s]: %s elements/s\n' "$(printf '%s\n' "$builtin" | sed -n 's/^dll: //p')" "${builtin_ops:-FAILED}"
case $ours in *"(this project)"*) ;; *) echo "the first run did not load this project's DLL" >&2; exit 1 ;; esac
case $builtin in *"(this project)"*) echo "the second run did not load Wine's builtin" >&2; exit 1 ;; esac
if [ -n "$ours_ops" ] && [ -n "$builtin_ops" ]; then
    awk -v a="$ours_ops" -v b="$builtin_ops" 'BEGIN { printf "ratio ours/builtin: %.2fx\n", a / b }'
else
    printf '%s\n%s\n' "$ours" "$builtin" >&2
    exit 1
fi
