#!/bin/sh
# Binary XML ([MC-NBFX]) reader and writer benchmark: our webservices.dll
# against Wine's builtin.
#
#   bench/run-binxml.sh BUILD_DIR
#
# BUILD_DIR is a build tree of this project (make B=BUILD_DIR ...) holding
# x86_64/webservices.dll and x86_64/libwebservices.a; they are built first if
# missing.  Compiles bench/binxml.c into BUILD_DIR/bench/, copies our DLL next
# to it, runs it under Wine once with our DLL (WINEDLLOVERRIDES=webservices=n)
# and once with the builtin (=b), checks that both read the same number of
# nodes, and prints both results and their ratios.  The numbers come from the
# benchmark program only.
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
    -o "$out/binxml.exe" "$src/bench/binxml.c" -L"$build/$arch" -lwebservices
cp "$build/$arch/webservices.dll" "$out/"

if [ ! -f "$prefix/.created" ]; then
    mkdir -p "$prefix"
    WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i >/dev/null 2>&1 || true
    WINEPREFIX="$prefix" wineserver -w || true
    touch "$prefix/.created"
fi

run() { # $1 = n or b
    (cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=$1" $WINE binxml.exe) | tr -d '\r'
}
field() { # $1 = output, $2 = field name
    printf '%s\n' "$1" | sed -n "s/^$2: //p"
}

ours=$(run n)
builtin=$(run b)
ours_read=$(field "$ours" binread_mb_per_sec)
builtin_read=$(field "$builtin" binread_mb_per_sec)
ours_write=$(field "$ours" binwrite_elements_per_sec)
builtin_write=$(field "$builtin" binwrite_elements_per_sec)

echo "Binary XML benchmark ([MC-NBFX] with the [MC-NBFS] static dictionary), best of 5 rounds"
echo "reader: $(field "$ours" doc_bytes)-byte SOAP-like document, WsReadNode loop to EOF"
printf 'ours    [%s]: %s MB/s (%s nodes)\n' "$(field "$ours" dll)" "${ours_read:-FAILED}" "$(field "$ours" nodes)"
printf 'builtin [%s]: %s MB/s (%s nodes)\n' "$(field "$builtin" dll)" "${builtin_read:-FAILED}" "$(field "$builtin" nodes)"
echo "writer: 33 documents of 6,063 elements (200,079 elements per round)"
printf 'ours    : %s elements/s (%s bytes per document)\n' "${ours_write:-FAILED}" "$(field "$ours" write_bytes)"
printf 'builtin : %s elements/s (%s bytes per document)\n' "${builtin_write:-FAILED}" "$(field "$builtin" write_bytes)"
case $ours in *"(this project)"*) ;; *) echo "the first run did not load this project's DLL" >&2; exit 1 ;; esac
case $builtin in *"(this project)"*) echo "the second run did not load Wine's builtin" >&2; exit 1 ;; esac
if [ "$(field "$ours" nodes)" != "$(field "$builtin" nodes)" ]; then
    echo "node counts differ" >&2
    exit 1
fi
if [ -n "$ours_read" ] && [ -n "$builtin_read" ] && [ -n "$ours_write" ] && [ -n "$builtin_write" ]; then
    awk -v a="$ours_read" -v b="$builtin_read" 'BEGIN { printf "reader ratio ours/builtin: %.2fx\n", a / b }'
    awk -v a="$ours_write" -v b="$builtin_write" 'BEGIN { printf "writer ratio ours/builtin: %.2fx\n", a / b }'
else
    printf '%s\n%s\n' "$ours" "$builtin" >&2
    exit 1
fi
