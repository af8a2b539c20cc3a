#!/bin/sh
# The two-process echo demo (examples/echo.c) as a check: the demo's client
# calls the demo's server, started as a second process, over every binding
# the demo is given; every exchange must succeed.
# usage: demo.sh ECHO_EXE   (run with the test environment: WINEPREFIX, WINEDLLOVERRIDES)
exe="$1"
port=$(( 40000 + $$ % 20000 ))
out=$(${WINE:-wine} "$exe" demo "net.tcp://localhost:$port/echo" "net.pipe://localhost/echo$$" 2>&1 | tr -d '\r')
status=$?
echo "$out" | sed 's/^/    /'
failures=0
echo "$out" | grep -q "^demo: every exchange succeeded" || failures=1
[ $status -eq 0 ] || failures=1
[ $failures -eq 0 ] || echo "demo.sh: Test failed: the echo demo did not succeed"
echo "webservices:demo: 1 tests executed (0 marked as todo, $failures failures), 0 skipped."
[ $failures -eq 0 ]
