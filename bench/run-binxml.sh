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
. "$(dirname "$0")/common.sh"
bench_setup binxml "$@"

ours=$(bench_run n)
builtin=$(bench_run b)
ours_read=$(bench_field "$ours" binread_mb_per_sec)
builtin_read=$(bench_field "$builtin" binread_mb_per_sec)
ours_write=$(bench_field "$ours" binwrite_elements_per_sec)
builtin_write=$(bench_field "$builtin" binwrite_elements_per_sec)

echo "Binary XML benchmark ([MC-NBFX] with the [MC-NBFS] static dictionary), best of 5 rounds"
echo "reader: $(bench_field "$ours" doc_bytes)-byte SOAP-like document, WsReadNode loop to EOF"
printf 'ours    [%s]: %s MB/s (%s nodes)\n' "$(bench_field "$ours" dll)" "${ours_read:-FAILED}" "$(bench_field "$ours" nodes)"
printf 'builtin [%s]: %s MB/s (%s nodes)\n' "$(bench_field "$builtin" dll)" "${builtin_read:-FAILED}" "$(bench_field "$builtin" nodes)"
echo "writer: 33 documents of 6,063 elements (200,079 elements per round)"
printf 'ours    : %s elements/s (%s bytes per document)\n' "${ours_write:-FAILED}" "$(bench_field "$ours" write_bytes)"
printf 'builtin : %s elements/s (%s bytes per document)\n' "${builtin_write:-FAILED}" "$(bench_field "$builtin" write_bytes)"
bench_check_dlls "$ours" "$builtin"
if [ "$(bench_field "$ours" nodes)" != "$(bench_field "$builtin" nodes)" ]; then
    echo "node counts differ" >&2
    exit 1
fi
if [ -n "$ours_read" ] && [ -n "$builtin_read" ] && [ -n "$ours_write" ] && [ -n "$builtin_write" ]; then
    bench_ratio "reader " "$ours_read" "$builtin_read"
    bench_ratio "writer " "$ours_write" "$builtin_write"
else
    printf '%s\n%s\n' "$ours" "$builtin" >&2
    exit 1
fi
