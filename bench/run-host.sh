#!/bin/sh
# shellcheck disable=SC1091,SC2154,SC2034,SC2086  # common.sh sets out, prefix and WINE (word-split on purpose)
# Service host benchmark (bench/service_host.c), on our webservices.dll:
#  - Echo calls per second and p50/p99 latency through our WS_SERVICE_HOST,
#    over HTTP and net.tcp, with 1, 8 and 32 concurrent clients (threads of
#    one client process, each with its own service proxy: ours, and over
#    net.tcp also Wine's builtin proxy, marked "builtin proxy", when it can
#    call at all);
#    plus, for reference, the same calls of one client to a service on bare
#    listener/channel calls (bench/request_reply.c, no host);
#  - the time from WsAbortServiceHost to the last cancel callback with N
#    calls (default 1000) blocked in an operation registered for cancel,
#    measured in the host process: once with cancel callbacks that release
#    their call at once, once with callbacks that only count (the calls are
#    released after the abort returned: the host's own cancel path).
#
#   bench/run-host.sh BUILD_DIR [TCP_CALLS] [CANCEL_CALLS]
#
# The numbers come from the benchmark program only.
. "$(dirname "$0")/common.sh"
tcp_calls=${2:-3000}
cancel_calls=${3:-1000}
bench_setup request_reply "$1"
bench_setup proxy "$1"
bench_setup service_host "$1"

load=$(cut -d' ' -f1-3 /proc/loadavg)
port=$(( 45000 + $$ % 10000 ))
tcp="net.tcp://localhost:$port/bench"
http="http://localhost:$((port + 1))/bench"

# The host runs for all the client runs; a client that cannot call leaves it
# running for the next one.
(cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=n" \
    exec timeout 900 $WINE service_host.exe host "$tcp" "$http") > "$out/service_host_host.out" 2>&1 &
host=$!

# client DLL URL CLIENTS: one client run (HTTP calls through WinHTTP cost
# about 44 ms each, see the README: fewer calls there)
client() {
    case $2 in
        http:*) n=$(( $3 * 40 )); [ $n -lt 200 ] && n=200 ;;
        *) n=$tcp_calls ;;
    esac
    (cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=$1" \
        exec timeout 300 $WINE service_host.exe client "$2" "$n" "$3" "$tcp") 2>&1 | tr -d '\r'
}

# Reference under the same machine load: the same proxy calls (bench/proxy.c,
# one client) to a service without the host (bench/request_reply.c: bare
# listener and channel calls).
(cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=n" \
    exec timeout 300 $WINE request_reply.exe server "net.tcp://localhost:$((port + 3))/bench") >/dev/null 2>&1 &
bare=$!
bare_tcp=$(cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=n" \
    timeout 300 $WINE proxy.exe client "net.tcp://localhost:$((port + 3))/bench" "$tcp_calls" 2>&1 | tr -d '\r')
case $bare_tcp in *round_trips_per_sec*) wait $bare || true ;; *) kill $bare 2>/dev/null || true; wait $bare || true ;; esac

for c in 1 8 32; do
    eval "ours_tcp_$c=\$(client n \"\$tcp\" $c)"
    eval "ours_http_$c=\$(client n \"\$http\" $c)"
done
builtin_ok=1
for c in 1 8 32; do
    if [ $builtin_ok -eq 1 ]; then
        eval "builtin_tcp_$c=\$(client b \"\$tcp\" $c)"
        eval "r=\$builtin_tcp_$c"
        case $r in *calls_per_sec*) ;; *) builtin_ok=0 ;; esac
    else
        eval "builtin_tcp_$c=\"not run: the builtin proxy could not call with fewer clients\""
    fi
done
(cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=n" $WINE service_host.exe stop "$tcp") \
    >/dev/null 2>&1 || true
wait $host || true

bench_check_dlls "$ours_tcp_1" "$builtin_tcp_1"

# cancel MODE PORT: one cancel run ("" = the cancel callbacks release their
# calls at once, "deferred" = the calls are released after the abort)
cancel_run() {
    (cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=n" \
        timeout 300 $WINE service_host.exe cancel "net.tcp://localhost:$2/block" "$cancel_calls" 10 $1 2>&1 |
        tr -d '\r') || true
}
cancel_now=$(cancel_run "" $((port + 2)))
cancel_deferred=$(cancel_run deferred $((port + 4)))

echo "service host: Echo calls (a 64-character string and an int) through WS_SERVICE_HOST on our DLL;"
echo "clients: threads of one client process, one service proxy (net.tcp: one session) each"
echo "machine: $(nproc) cores, load average $load at the start"
printf '%-26s %8s %12s %12s %12s\n' "client" "clients" "calls/s" "p50 (us)" "p99 (us)"
failed=0
for which in ours_tcp ours_http builtin_tcp; do
    case $which in
        ours_tcp) label="our proxy, net.tcp" ;;
        ours_http) label="our proxy, HTTP" ;;
        builtin_tcp) label="builtin proxy, net.tcp" ;;
    esac
    for c in 1 8 32; do
        eval "o=\$${which}_$c"
        rate=$(bench_field "$o" calls_per_sec)
        if [ -n "$rate" ]; then
            printf '%-26s %8s %12s %12s %12s\n' "$label" "$c" "$rate" "$(bench_field "$o" latency_p50_us)" \
                "$(bench_field "$o" latency_p99_us)"
        else
            why=$(printf '%s\n' "$o" | grep -v '^dll: ' | head -1)
            printf '%-26s %8s   cannot run: %s\n' "$label" "$c" "${why:-the process ended without output}"
            case $which in ours_*) failed=1 ;; esac
        fi
    done
done
rate=$(bench_field "$bare_tcp" round_trips_per_sec)
if [ -n "$rate" ]; then
    printf '%-26s %8s %12s %12s %12s\n' "our proxy, net.tcp, no host" 1 "$rate" \
        "$(bench_field "$bare_tcp" latency_p50_us)" "$(bench_field "$bare_tcp" latency_p99_us)"
    echo "(the last row: the same calls to bench/request_reply.c's service on bare listener/channel calls, for reference)"
fi
echo "host: $(grep -a '^calls_served' "$out/service_host_host.out" | tr -d '\r')"

echo
echo "WsAbortServiceHost with $cancel_calls calls blocked in an operation registered for cancel"
echo "(10 net.tcp sessions, MAX_CONCURRENCY $(( (cancel_calls + 9) / 10 )) each; microseconds from the abort call, in the host process)"
printf '%-44s %10s %10s %10s %10s %10s\n' "cancel callback" "abort ret" "1st cancel" "last cancel" "close ret" "callbacks"
for which in cancel_now cancel_deferred; do
    eval "o=\$$which"
    case $which in
        cancel_now) label="sets the call's event (call returns at once)" ;;
        cancel_deferred) label="only counts (calls released after abort)" ;;
    esac
    last=$(bench_field "$o" last_cancel_us)
    if [ -n "$last" ] && [ "$(bench_field "$o" close_hr)" = 0 ]; then
        printf '%-44s %10s %10s %10s %10s %10s\n' "$label" "$(bench_field "$o" abort_return_us)" \
            "$(bench_field "$o" first_cancel_us)" "$last" "$(bench_field "$o" close_return_us)" \
            "$(bench_field "$o" cancel_callbacks)/$(bench_field "$o" free_state_callbacks)"
    else
        echo "$label: cannot run:"
        printf '%s\n' "$o" | sed 's/^/    /'
        failed=1
    fi
done
echo "(callbacks: cancel/free-state callbacks seen; every cancel reason was $(bench_field "$cancel_now" cancel_reason) = WS_SERVICE_HOST_ABORT if 0)"
[ $failed -eq 0 ]
