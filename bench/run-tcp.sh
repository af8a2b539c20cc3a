#!/bin/sh
# net.tcp request/reply benchmark: a client process and a service process,
# both on our webservices.dll, then both on Wine's builtin, on identical work.
#
#   bench/run-tcp.sh BUILD_DIR [COUNT]
#
# Prints round trips per second and the p50/p99 latency of each run, and the
# ratio.  The numbers come from the benchmark program only.
. "$(dirname "$0")/common.sh"
count=${2:-5000}
bench_setup request_reply "$1"

port=$(( 41000 + $$ % 10000 ))
ours=$(bench_pair n n "net.tcp://localhost:$port/bench")
builtin=$(bench_pair b b "net.tcp://localhost:$((port + 1))/bench")
bench_check_dlls "$ours" "$builtin"
echo "net.tcp request/reply: $count exchanges of a 64-character string and an int, one client and one service process"
for which in ours builtin; do
    eval "o=\$$which"
    printf '%-7s [%s]: %s round trips/s, p50 %s us, p99 %s us\n' "$which" "$(bench_field "$o" dll)" \
        "$(bench_field "$o" round_trips_per_sec)" "$(bench_field "$o" latency_p50_us)" \
        "$(bench_field "$o" latency_p99_us)"
done
a=$(bench_field "$ours" round_trips_per_sec); b=$(bench_field "$builtin" round_trips_per_sec)
if [ -n "$a" ] && [ -n "$b" ]; then bench_ratio "" "$a" "$b"; else printf '%s\n%s\n' "$ours" "$builtin" >&2; exit 1; fi
