#!/bin/sh
# Text XML reader benchmark: our webservices.dll against Wine's builtin.
#
#   bench/run-xmlread.sh BUILD_DIR
#
# BUILD_DIR is a build tree of this project (make B=BUILD_DIR ...) holding
# x86_64/webservices.dll and x86_64/libwebservices.a; they are built first if
# missing.  Compiles bench/xmlread.c into BUILD_DIR/bench/, copies our DLL next
# to it, runs it under Wine once with our DLL (WINEDLLOVERRIDES=webservices=n)
# and once with the builtin (=b), and prints both results and their ratio.
# The numbers come from the benchmark program only.
. "$(dirname "$0")/common.sh"
bench_setup xmlread "$@"

ours=$(bench_run n)
builtin=$(bench_run b)
ours_mbps=$(bench_field "$ours" xmlread_mb_per_sec)
builtin_mbps=$(bench_field "$builtin" xmlread_mb_per_sec)

echo "Text XML reader benchmark: 8 MB SOAP-like document, WsReadNode loop to EOF, best of 5 rounds"
printf 'ours    [%s]: %s MB/s\n' "$(bench_field "$ours" dll)" "${ours_mbps:-FAILED}"
printf 'builtin [%s]: %s MB/s\n' "$(bench_field "$builtin" dll)" "${builtin_mbps:-FAILED}"
bench_check_dlls "$ours" "$builtin"
if [ -n "$ours_mbps" ] && [ -n "$builtin_mbps" ]; then
    bench_ratio "" "$ours_mbps" "$builtin_mbps"
else
    printf '%s\n%s\n' "$ours" "$builtin" >&2
    exit 1
fi
