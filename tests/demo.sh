#!/bin/sh
# The two-process demos as checks.
#  1. The calculator demo (examples/calculator.c): a service on the service
#     host (net.tcp and HTTP endpoints) in a second process, a client calling
#     it through service proxies, a blocked call cancelled by
#     WsAbortServiceHost, then a clean close; every step must go as expected.
#  2. The echo demo (examples/echo.c): the demo's client calls the demo's
#     server, started as a second process, over net.tcp, net.pipe and HTTP;
#     every exchange must succeed.
# usage: demo.sh CALCULATOR_EXE ECHO_EXE   (run with the test environment: WINEPREFIX, WINEDLLOVERRIDES)
# shellcheck disable=SC2086  # WINE may carry arguments (word-split on purpose)
calculator="$1"
echo_exe="$2"
port=$(( 40000 + $$ % 20000 ))
failures=0
tests=0

check() { # $1 = description, $2 = the success line, then the command
    what=$1; success=$2; shift 2
    tests=$((tests + 1))
    out=$(timeout 180 "$@" 2>&1 | tr -d '\r')
    echo "$out" | sed 's/^/    /'
    if ! echo "$out" | grep -q "^$success"; then
        echo "demo.sh: Test failed: the $what did not succeed"
        failures=$((failures + 1))
    fi
}

check "calculator demo" "demo: every step went as expected" \
    ${WINE:-wine} "$calculator" demo "net.tcp://localhost:$port/calculator" "http://localhost:$((port + 1))/calculator"
check "echo demo" "demo: every exchange succeeded" \
    ${WINE:-wine} "$echo_exe" demo "net.tcp://localhost:$((port + 2))/echo" "net.pipe://localhost/echo$$" \
    "http://localhost:$((port + 3))/echo"
echo "webservices:demo: $tests tests executed (0 marked as todo, $failures failures), 0 skipped."
[ $failures -eq 0 ]
