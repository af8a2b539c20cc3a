#!/bin/sh
# shellcheck disable=SC1091,SC2154,SC2034,SC2086  # common.sh sets out, prefix and WINE (word-split on purpose); eval reads the runs
# Service proxy benchmark: WsCall round trips per second (bench/proxy.c)
# against the service of bench/request_reply.c on our webservices.dll, in one
# run: our proxy over net.tcp and over HTTP, Wine's builtin proxy over HTTP
# and over net.tcp (Wine 8's builtin has no net.tcp client channel: that run
# reports why it cannot).
#
#   bench/run-proxy.sh BUILD_DIR [COUNT]
#
# Prints round trips per second and the p50/p99 latency of each run, and the
# ratio of our proxy to the builtin's over HTTP.  The numbers come from the
# benchmark programs only.
. "$(dirname "$0")/common.sh"
count=${2:-2000}
bench_setup request_reply "$1"
bench_setup proxy "$1"

# proxy_pair CLIENT_DLL URL NAME: the request_reply service on our DLL
# (output in $out/proxy_server_NAME.out), the proxy client on CLIENT_DLL (n or b).  A client that cannot call ends the service
# (it would wait for a caller otherwise).
proxy_pair() {
    (cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=n" \
        exec timeout 120 $WINE request_reply.exe server "$2") > "$out/proxy_server_$3.out" 2>&1 &
    server=$!
    result=$(bench_run "$1" client "$2" "$count")
    case $result in
        *round_trips_per_sec*) wait $server || true ;;
        *) sleep 1; kill $server 2>/dev/null || true; wait $server || true ;;
    esac
    printf '%s\n' "$result"
}

port=$(( 43000 + $$ % 10000 ))
ours_tcp=$(proxy_pair n "net.tcp://localhost:$port/bench" ours_tcp)
ours_http=$(proxy_pair n "http://localhost:$((port + 1))/bench" ours_http)
builtin_http=$(proxy_pair b "http://localhost:$((port + 2))/bench" builtin_http)
builtin_tcp=$(proxy_pair b "net.tcp://localhost:$((port + 3))/bench" builtin_tcp)
bench_check_dlls "$ours_tcp" "$builtin_http"
echo "service proxy WsCall: $count calls echoing a 64-character string and an int; the service (request_reply) on our DLL"
for which in ours_tcp ours_http builtin_http builtin_tcp; do
    eval "o=\$$which"
    rate=$(bench_field "$o" round_trips_per_sec)
    if [ -n "$rate" ]; then
        printf '%-12s [%s]: %s round trips/s, p50 %s us, p99 %s us\n' "$which" "$(bench_field "$o" dll)" "$rate" \
            "$(bench_field "$o" latency_p50_us)" "$(bench_field "$o" latency_p99_us)"
    else
        why=$(printf '%s\n' "$o" | grep -v '^dll: ' | head -1)
        service=$(tr -d '\r' < "$out/proxy_server_$which.out" | tail -1)
        printf '%-12s [%s]: cannot run: %s (the service: %s)\n' "$which" "$(bench_field "$o" dll)" \
            "${why:-the process ended without output}" "${service:-no output}"
    fi
done
a=$(bench_field "$ours_http" round_trips_per_sec); b=$(bench_field "$builtin_http" round_trips_per_sec)
if [ -n "$a" ] && [ -n "$b" ]; then bench_ratio "HTTP proxy " "$a" "$b"
else printf '%s\n%s\n' "$ours_http" "$builtin_http" >&2; exit 1; fi
[ -n "$(bench_field "$ours_tcp" round_trips_per_sec)" ] || { printf '%s\n' "$ours_tcp" >&2; exit 1; }
