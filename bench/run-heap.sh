#!/bin/sh
# WsAlloc benchmark: our webservices.dll against Wine's builtin.
#
#   bench/run-heap.sh BUILD_DIR
#
# BUILD_DIR is a build tree of this project (make B=BUILD_DIR ...) holding
# x86_64/webservices.dll and x86_64/libwebservices.a; they are built first if
# missing.  Compiles bench/heap.c into BUILD_DIR/bench/, copies our DLL next
# to it, runs it under Wine once with our DLL (WINEDLLOVERRIDES=webservices=n)
# and once with the builtin (=b), and prints both results and their ratio.
# The numbers come from the benchmark program only.
. "$(dirname "$0")/common.sh"
bench_setup heap "$@"

ours=$(bench_run n)
builtin=$(bench_run b)
ours_ops=$(bench_field "$ours" heap_alloc_ops_per_sec)
builtin_ops=$(bench_field "$builtin" heap_alloc_ops_per_sec)

echo "WsAlloc benchmark: 1,000,000 allocations of 8..256 bytes, WsResetHeap every 1000, best of 7 rounds"
printf 'ours    [%s]: %s ops/s\n' "$(bench_field "$ours" dll)" "${ours_ops:-FAILED}"
printf 'builtin [%s]: %s ops/s\n' "$(bench_field "$builtin" dll)" "${builtin_ops:-FAILED}"
bench_check_dlls "$ours" "$builtin"
if [ -n "$ours_ops" ] && [ -n "$builtin_ops" ]; then
    bench_ratio "" "$ours_ops" "$builtin_ops"
else
    printf '%s\n%s\n' "$ours" "$builtin" >&2
    exit 1
fi
