#!/bin/sh
# shellcheck disable=SC2046,SC2086  # word splitting of $WINE and of number lists is intended
# Runs winetest-style tests and sums their results.
#
#   tools/run-tests.sh TEST_EXE [NAME...]
#
# Runs every NAME (default: every name "TEST_EXE --list" prints) as its own
# process, "$WINE TEST_EXE NAME", with a time limit of $TEST_TIMEOUT seconds
# (default 120).  The tests' output is shown as it comes; each test's summary
# line
#   MODULE:NAME: N tests executed (N marked as todo, N failures), N skipped.
# is parsed (the last one, when a test's child processes print their own).
# A test process that crashes, times out, prints no summary line, or exits
# with a code other than its failure count (capped at 255) counts as one more
# failure and is reported as
#   MODULE:NAME: test process crashed/timed out ... (exit code X)
#
# EXTRA_RESULTS may name result files of other checks (space-separated):
# the summary lines in each (same format; or else its last "N passed,
# N failed" line) are added to the totals; a missing file, or one with
# neither, counts as one failure.  These files are not printed.
#
# The last line printed is always "N passed, N failed", where passed is the
# sum of (executed - failures - todo) and failed the sum of failures.  The
# exit status is 0 if and only if nothing failed.
#
# Environment: WINE (default "wine"; may hold a command with arguments),
# TEST_TIMEOUT (seconds, default 120).  WINEPREFIX, WINEDLLOVERRIDES,
# WINEDEBUG and WINETEST_* are passed through untouched.

set -f  # test names are words, never patterns

WINE=${WINE:-wine}
TEST_TIMEOUT=${TEST_TIMEOUT:-120}

passed=0
failed=0

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

if [ $# -lt 1 ]; then
    echo "usage: $0 TEST_EXE [NAME...]" >&2
    failed=1
    finish
fi

exe=$1
shift
module=$(basename "$exe" .exe)
module=${module%_test}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary_re='^[^ :]+:[^ :]+: [0-9]+ tests executed \([0-9]+ marked as todo, [0-9]+ failures\), [0-9]+ skipped\.$'

# parse_summary LINE: sets s_executed, s_todo, s_failures
parse_summary() {
    set -- $(echo "$1" | sed -E 's/^.*: ([0-9]+) tests executed \(([0-9]+) marked as todo, ([0-9]+) failures\), ([0-9]+) skipped\.$/\1 \2 \3 \4/')
    s_executed=$1 s_todo=$2 s_failures=$3
}

if [ ! -f "$exe" ]; then
    echo "$module: test executable $exe not found"
    failed=1
    finish
fi

if [ $# -eq 0 ]; then
    names=$($WINE "$exe" --list </dev/null | tr -d '\r')
    if [ -z "$names" ]; then
        echo "$module: could not list the tests of $exe ($WINE $exe --list printed nothing)"
        failed=1
        finish
    fi
    set -- $names
fi

for name in "$@"; do
    out="$tmp/$name.out"
    { timeout -k 10 "$TEST_TIMEOUT" $WINE "$exe" "$name" </dev/null; echo $? >"$tmp/rc"; } | tee "$out"
    rc=$(cat "$tmp/rc" 2>/dev/null)
    rm -f "$tmp/rc"
    case $rc in ''|*[!0-9]*) rc=255 ;; esac
    # keep our messages on their own line after output cut short mid-line
    if [ -s "$out" ] && [ -n "$(tail -c 1 "$out")" ]; then echo; fi
    summary=$(tr -d '\r' <"$out" | grep -E "$summary_re" | grep -F "$module:$name: " | tail -n 1)
    if [ -z "$summary" ]; then
        summary=$(tr -d '\r' <"$out" | grep -E "$summary_re" | grep -F ":$name: " | tail -n 1)
    fi

    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "$module:$name: test process timed out after ${TEST_TIMEOUT}s (exit code $rc)"
        failed=$((failed + 1))
    elif [ -z "$summary" ]; then
        echo "$module:$name: test process crashed or exited early: no summary line (exit code $rc)"
        failed=$((failed + 1))
    fi
    if [ -n "$summary" ]; then
        parse_summary "$summary"
        passed=$((passed + s_executed - s_failures - s_todo))
        failed=$((failed + s_failures))
        expect=$s_failures
        [ "$expect" -gt 255 ] && expect=255
        if [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] && [ "$rc" -ne "$expect" ]; then
            echo "$module:$name: test process crashed: exit code $rc, but $s_failures failures reported"
            failed=$((failed + 1))
        fi
    fi
done

for extra in ${EXTRA_RESULTS:-}; do
    if [ ! -r "$extra" ]; then
        echo "$module: results file $extra not found"
        failed=$((failed + 1))
        continue
    fi
    lines=$(tr -d '\r' <"$extra" | grep -E "$summary_re")
    if [ -n "$lines" ]; then
        while IFS= read -r line; do
            parse_summary "$line"
            passed=$((passed + s_executed - s_failures - s_todo))
            failed=$((failed + s_failures))
        done <<EOF
$lines
EOF
        continue
    fi
    line=$(tr -d '\r' <"$extra" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    if [ -n "$line" ]; then
        set -- $(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/')
        passed=$((passed + $1))
        failed=$((failed + $2))
    else
        echo "$module: no results found in $extra"
        failed=$((failed + 1))
    fi
done

finish
