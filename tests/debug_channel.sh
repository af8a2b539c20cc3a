#!/bin/sh
# The "webservices" debug channel under Wine: WINEDEBUG selects the classes
# and lines look like Wine's ("0024:fixme:webservices:WsCreateHeap ...").
# Wine writes debug output to the process's Unix stderr, which a Windows
# test cannot redirect, so this test drives the program from the shell.
#
# usage: debug_channel.sh PROGRAM   (PROGRAM calls every export with NULL
# arguments when given an argument: build/x86_64/link_c.exe)
# Environment: WINE, WINEPREFIX, WINEDLLOVERRIDES as for the other tests.
# Output: winetest-format failures and one summary line.

prog=$1
wine=${WINE:-wine}
tests=0 failures=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() { # $1 = WINEDEBUG value, $2 = "ntdll" or "standalone" (debug.c's own WINEDEBUG parser)
    if [ "$2" = standalone ]; then
        WEBSERVICES_DEBUG_STANDALONE=1 WINEDEBUG=$1 "$wine" "$prog" all >/dev/null 2>"$log"
    else
        WINEDEBUG=$1 "$wine" "$prog" all >/dev/null 2>"$log"
    fi
}

expect() { # $1 = description, $2 = "present"/"absent", $3 = extended regexp
    tests=$((tests + 1))
    if grep -Eq "$3" "$log"; then found=present; else found=absent; fi
    if [ "$found" != "$2" ]; then
        failures=$((failures + 1))
        echo "debug_channel.sh:$1: Test failed: expected /$3/ $2, found $found"
        sed -n '1,5p' "$log" | sed 's/^/    stderr: /'
    fi
}

# Any export that is still a stub prints a fixme; an implemented one traces its arguments.
fixme='^[0-9a-f]{4}:fixme:webservices:Ws[A-Za-z]+ .*: stub$'
trace='^[0-9a-f]{4}:trace:webservices:WsCreateHeap 0 0 0+ 0 0+ 0+$'
any=':webservices:'

for mode in ntdll standalone; do
    run "+webservices" $mode
    expect "$mode +webservices trace" present "$trace"
    expect "$mode +webservices fixme" present "$fixme"
    # Wine's defaults (err and fixme on) with only another class changed.
    # (Debian's wine wrapper sets WINEDEBUG=fixme-all when it is unset.)
    run "warn-all" $mode
    expect "$mode default fixme" present "$fixme"
    expect "$mode default no trace" absent "$trace"
    run "-all" $mode
    expect "$mode -all silent" absent "$any"
    run "-webservices" $mode
    expect "$mode -webservices silent" absent "$any"
    run "fixme-webservices" $mode
    expect "$mode fixme-webservices no fixme" absent ':fixme:webservices:'
    run "fixme-all,+webservices" $mode
    expect "$mode channel overrides all" present "$fixme"
    run "trace+webservices" $mode
    expect "$mode trace+webservices trace" present "$trace"
    expect "$mode trace+webservices fixme" present "$fixme"
    run "warn+all" $mode
    expect "$mode warn+all no trace" absent "$trace"
done

echo "webservices:debug_channel: $tests tests executed (0 marked as todo, $failures failures), 0 skipped."
[ "$failures" -eq 0 ]
