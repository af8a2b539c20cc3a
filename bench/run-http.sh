#!/bin/sh
# HTTP request/reply benchmark (SOAP 1.2 text over WS_HTTP_CHANNEL_BINDING):
# a service process on our webservices.dll, called by a client process on
# our DLL, then by a client process on Wine's builtin (which has an HTTP
# client channel but no HTTP listener), on identical work.
#
#   bench/run-http.sh BUILD_DIR [COUNT]
#
# Prints round trips per second and the p50/p99 latency of each run, and the
# ratio of the two clients; then the same service with a raw client that
# writes each request in one send (bench/http_raw_client.py), which shows the
# service's own time apart from WinHTTP's (see that file).  The numbers come
# from the benchmark programs only.
. "$(dirname "$0")/common.sh"
count=${2:-2000}
bench_setup request_reply "$1"

port=$(( 31000 + $$ % 10000 ))
ours=$(bench_pair n n "http://localhost:$port/bench")
builtin=$(bench_pair n b "http://localhost:$((port + 1))/bench")
bench_check_dlls "$ours" "$builtin"
# The same service with a client that writes each request in one send.
bench_run n server "http://localhost:$((port + 2))/bench" > "$out/request_reply_server_raw.out" 2>&1 &
server=$!
raw=$(python3 "$(dirname "$0")/http_raw_client.py" $((port + 2)) "$count")
wait $server || true
echo "HTTP request/reply: $count exchanges of a 64-character string and an int; the service on our DLL"
for which in ours builtin raw; do
    eval "o=\$$which"
    printf '%-7s client [%s]: %s round trips/s, p50 %s us, p99 %s us\n' "$which" "$(bench_field "$o" dll)" \
        "$(bench_field "$o" round_trips_per_sec)" "$(bench_field "$o" latency_p50_us)" \
        "$(bench_field "$o" latency_p99_us)"
done
a=$(bench_field "$ours" round_trips_per_sec); b=$(bench_field "$builtin" round_trips_per_sec)
if [ -n "$a" ] && [ -n "$b" ]; then bench_ratio "client " "$a" "$b"; else printf '%s\n%s\n' "$ours" "$builtin" >&2; exit 1; fi
