#!/bin/bash
# Self-test of the test harness (tests/include/wine/test.h) and of
# tools/run-tests.sh.
#
#   tests/harness/check-harness.sh [WINE_CMD...]
#
# Builds tests/harness/selftest.c + testlist.c (x86_64 C, with and without
# __USE_MINGW_ANSI_STDIO, i686 C, C++), runs the x86_64 exe under Wine
# (WINE_CMD, default $WINE or "wine"; uses the caller's WINEPREFIX) and checks
# the exact output lines, summary lines and exit codes, then checks
# run-tests.sh's reports, final line and exit status.  Needs no DLL.
#
# Prints one line per check ("ok - ..." or "FAIL - ..." with a diff), then a
# winetest summary line
#   harness:selftest: N tests executed (0 marked as todo, F failures), 0 skipped.
# and exits non-zero iff a check failed.  Work files go to a temporary
# directory (kept, and named, on failure); HARNESS_BUILD_DIR overrides it.
#
# Hooking it into "make check" (in the Makefile's check recipe, before
# run-tests.sh; the summary line then counts in run-tests.sh's final line):
#
#   check: all $(PREFIX_DIR)/.created
#   	@tools/check-build.sh $(B) > $(B)/check-build.log 2>&1; cat $(B)/check-build.log; \
#   	 WINEPREFIX=$(PREFIX_DIR) tests/harness/check-harness.sh > $(B)/check-harness.log 2>&1; \
#   	 cat $(B)/check-harness.log; \
#   	 $(RUN_ENV) EXTRA_RESULTS="$(B)/check-build.log $(B)/check-harness.log" \
#   	     tools/run-tests.sh $(B)/x86_64/tests/webservices_test.exe
#
# Compilers: CC64, CC32, CXX64, CXX32 (defaults x86_64-w64-mingw32-gcc,
# i686-w64-mingw32-gcc, x86_64-w64-mingw32-g++, i686-w64-mingw32-g++); a
# missing i686 compiler skips those builds (i686 exes are built, not run).

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src=$here/selftest.c
list=$here/testlist.c
run_tests=$root/tools/run-tests.sh

if [ $# -gt 0 ]; then WINE_CMD=("$@"); else read -r -a WINE_CMD <<<"${WINE:-wine}"; fi
CC64=${CC64:-x86_64-w64-mingw32-gcc}
CC32=${CC32:-i686-w64-mingw32-gcc}
CXX64=${CXX64:-x86_64-w64-mingw32-g++}
CXX32=${CXX32:-i686-w64-mingw32-g++}
CFLAGS=(-std=gnu11 -Wall -Wextra -Werror "-I$root/tests/include")
CXXFLAGS=(-Wall -Wextra -Werror "-I$root/tests/include")

# the selftest controls these itself
unset WINETEST_PLATFORM WINETEST_DEBUG WINETEST_REPORT_SUCCESS WINETEST_INTERACTIVE EXTRA_RESULTS
export WINEDEBUG=${WINEDEBUG:--all}

if [ -n "${HARNESS_BUILD_DIR:-}" ]; then
    work=$HARNESS_BUILD_DIR
    mkdir -p "$work" || exit 2
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/check-harness.XXXXXX") || exit 2
fi
exe=$work/harness_test.exe

checks=0
failures=0

pass() { checks=$((checks + 1)); echo "ok - $1"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $1"; }

# L MARKER: line number of the selftest.c line carrying "@MARKER */"
L() {
    local n
    n=$(grep -n "@$1 \*/" "$src" | cut -d: -f1)
    [ -n "$n" ] || { echo "check-harness.sh: marker @$1 not found in $src" >&2; echo 0; return; }
    echo "$n"
}

# compile DESCRIPTION COMMAND...
compile() {
    local desc=$1; shift
    if "$@" >"$work/cc.log" 2>&1; then pass "build: $desc"
    else fail "build: $desc"; sed 's/^/    /' "$work/cc.log"; fi
}

# run NAME [VAR=VALUE...]: runs the selftest; sets $rc, stdout in $work/out
run() {
    local name=$1; shift
    env "$@" "${WINE_CMD[@]}" "$exe" "$name" </dev/null >"$work/raw" 2>"$work/stderr"
    rc=$?
    # unhandled-exception lines carry an address
    sed -E 's/( unhandled exception [0-9a-f]{8} at )[0-9A-Fa-fx]+$/\1ADDR/' "$work/raw" >"$work/out"
}

# expect DESCRIPTION EXIT_CODE: compares $work/out with stdin and $rc
expect() {
    local desc=$1 code=$2
    cat >"$work/expected"
    if ! cmp -s "$work/expected" "$work/out"; then
        fail "$desc: output differs"
        diff -u "$work/expected" "$work/out" | head -40 | sed 's/^/    /'
    elif [ "$rc" != "$code" ]; then
        fail "$desc: exit code $rc, expected $code"
    else
        pass "$desc"
    fi
}

# expect_rt DESCRIPTION EXIT_STATUS FINAL_LINE [ENV...] -- NAME...: runs run-tests.sh
expect_rt() {
    local desc=$1 status=$2 final=$3 last; shift 3
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" WINE="${WINE_CMD[*]}" timeout 600 "$run_tests" "${rt_exe:-$exe}" "$@" </dev/null >"$work/rt.out" 2>"$work/rt.err"
    rc=$?
    last=$(tail -n 1 "$work/rt.out")
    if [ "$last" != "$final" ]; then
        fail "$desc: final line '$last', expected '$final'"
        tail -n 20 "$work/rt.out" | sed 's/^/    /'
    elif { [ "$status" = 0 ] && [ "$rc" != 0 ]; } || { [ "$status" != 0 ] && [ "$rc" = 0 ]; }; then
        fail "$desc: exit status $rc, expected $([ "$status" = 0 ] && echo 0 || echo non-zero)"
    else
        pass "$desc"
    fi
}

# has_line DESCRIPTION FILE LINE: FILE contains exactly LINE
has_line() {
    if grep -qxF -- "$3" "$2"; then pass "$1"; else fail "$1: no line '$3'"; fi
}

x3000=$(head -c 2999 /dev/zero | tr '\0' x)

############################################################################
# builds

compile "x86_64 C -O2" "$CC64" "${CFLAGS[@]}" -O2 -DWINETEST_MODULE='"harness"' -o "$exe" "$src" "$list"
compile "x86_64 C -O1, __USE_MINGW_ANSI_STDIO=1" "$CC64" "${CFLAGS[@]}" -O1 -D__USE_MINGW_ANSI_STDIO=1 \
    -o "$work/ansi.exe" "$src" "$list"
compile "x86_64 C, __USE_MINGW_ANSI_STDIO=0" "$CC64" "${CFLAGS[@]}" -D__USE_MINGW_ANSI_STDIO=0 \
    -o "$work/noansi.exe" "$src" "$list"
if command -v "$CC32" >/dev/null 2>&1; then
    compile "i686 C" "$CC32" "${CFLAGS[@]}" -o "$work/i686.exe" "$src" "$list"
    compile "i686 C -O2" "$CC32" "${CFLAGS[@]}" -O2 -o "$work/i686-O2.exe" "$src" "$list"
else
    echo "skip - $CC32 not found"
fi
compile "x86_64 C++ test file" "$CXX64" "${CXXFLAGS[@]}" -x c++ -c -o "$work/allcxx.o" "$src"
if command -v "$CXX32" >/dev/null 2>&1; then
    compile "i686 C++ test file" "$CXX32" "${CXXFLAGS[@]}" -O2 -x c++ -c -o "$work/cxx32.o" "$src"
fi
compile "x86_64 C++ testlist" "$CXX64" "${CXXFLAGS[@]}" -x c++ -c -o "$work/listcxx.o" "$list"
compile "x86_64 C++ test linked with the C testlist" "$CXX64" "${CXXFLAGS[@]}" -x c++ -c -o "$work/cxx.o" "$src"
compile "x86_64 C testlist" "$CC64" "${CFLAGS[@]}" -c -o "$work/list.o" "$list"
compile "x86_64 link C++ test with C testlist" "$CXX64" -o "$work/mixed.exe" "$work/cxx.o" "$work/list.o"
compile "-Wmissing-prototypes -Wshadow -Wformat=2" "$CC64" "${CFLAGS[@]}" -Wmissing-prototypes -Wshadow \
    -Wformat=2 -Wno-format-nonliteral -c -o "$work/strict.o" "$src"

# format checking of ok() arguments must be active
printf '#include "wine/test.h"\nSTART_TEST(x)\n{\n    ok( 1, "%%d\\n", "string" );\n}\n' >"$work/badfmt.c"
if "$CC64" "${CFLAGS[@]}" -c -o "$work/badfmt.o" "$work/badfmt.c" >/dev/null 2>&1; then
    fail "build: a bad ok() format is rejected"
else
    pass "build: a bad ok() format is rejected"
fi

if [ ! -f "$exe" ]; then
    fail "no selftest executable, nothing else checked"
    echo "harness:selftest: $checks tests executed (0 marked as todo, $failures failures), 0 skipped."
    echo "check-harness.sh: work files in $work"
    exit 1
fi

############################################################################
# test exe command line

run --list
expect "--list" 0 <<EOF
pass
fail
todo
skip
context
threads
stress
lasterror
format
dbgstr
child
many
crash
noexit
hang
EOF

run ""
if [ "$rc" = 1 ] && grep -q '^Usage: ' "$work/out" && grep -qx '    context' "$work/out"; then
    pass "empty test name: usage and list, exit code 1"
else
    fail "empty test name: exit code $rc"
fi
"${WINE_CMD[@]}" "$exe" </dev/null >"$work/out" 2>/dev/null
rc=$?
if [ "$rc" = 1 ] && grep -q '^Usage: ' "$work/out" && grep -qx '    pass' "$work/out"; then
    pass "no arguments: usage and list, exit code 1"
else
    fail "no arguments: exit code $rc"
fi

run nosuchtest
if [ "$rc" = 1 ] && grep -q "Fatal: test 'nosuchtest' does not exist" "$work/stderr" &&
        ! grep -q 'tests executed' "$work/out"; then
    pass "unknown test: error, exit code 1"
else
    fail "unknown test: exit code $rc"
fi

############################################################################
# output and counts of each test

run pass
expect "pass" 0 <<EOF
selftest.c:$(L pass_trace): a trace line here
harness:pass: 4 tests executed (0 marked as todo, 0 failures), 0 skipped.
EOF

run pass.c
expect "pass (as pass.c)" 0 <<EOF
selftest.c:$(L pass_trace): a trace line here
harness:pass: 4 tests executed (0 marked as todo, 0 failures), 0 skipped.
EOF

run pass WINETEST_REPORT_SUCCESS=1
expect "pass, WINETEST_REPORT_SUCCESS=1" 0 <<EOF
selftest.c:$(L pass_ok1): Test succeeded
selftest.c:$(L pass_ok2): Test succeeded
selftest.c:$(L pass_trace): a trace line here
selftest.c:$(L pass_todo0): Test succeeded
selftest.c:$(L pass_flaky): Test succeeded
harness:pass: 4 tests executed (0 marked as todo, 0 failures), 0 skipped.
EOF

run pass WINETEST_DEBUG=0
expect "pass, WINETEST_DEBUG=0 (no trace)" 0 <<EOF
harness:pass: 4 tests executed (0 marked as todo, 0 failures), 0 skipped.
EOF

run fail
expect "fail" 4 <<EOF
selftest.c:$(L fail_1): Test failed: plain failure 1
selftest.c:$(L fail_2): Test failed: failure without newline
selftest.c:$(L fail_3): Test failed: got 3, expected 4
selftest.c:$(L fail_4): Test failed: two
lines
harness:fail: 6 tests executed (0 marked as todo, 4 failures), 0 skipped.
EOF

if grep -q $'\r' "$work/raw"; then fail "output has no CR characters"; else pass "output has no CR characters"; fi

run todo WINETEST_PLATFORM=wine
expect "todo, platform wine" 3 <<EOF
selftest.c:$(L todo_1): Test marked todo: todo failure
selftest.c:$(L todo_2): Test succeeded inside todo block: todo success
selftest.c:$(L todo_3): Test marked todo: todo_wine failure
selftest.c:$(L todo_4): Test marked todo: todo_wine_if(1) failure
selftest.c:$(L todo_5): Test failed: todo_wine_if(0) failure
selftest.c:$(L todo_6): Test marked todo: nested todo
selftest.c:$(L todo_7): Test failed: after the todo blocks
selftest.c:$(L todo_8): Test marked todo: block one
selftest.c:$(L todo_9): Test marked todo: block two
harness:todo: 9 tests executed (6 marked as todo, 3 failures), 0 skipped.
EOF

run todo WINETEST_PLATFORM=windows
expect "todo, platform windows" 5 <<EOF
selftest.c:$(L todo_1): Test marked todo: todo failure
selftest.c:$(L todo_2): Test succeeded inside todo block: todo success
selftest.c:$(L todo_3): Test failed: todo_wine failure
selftest.c:$(L todo_4): Test failed: todo_wine_if(1) failure
selftest.c:$(L todo_5): Test failed: todo_wine_if(0) failure
selftest.c:$(L todo_6): Test marked todo: nested todo
selftest.c:$(L todo_7): Test failed: after the todo blocks
selftest.c:$(L todo_8): Test marked todo: block one
selftest.c:$(L todo_9): Test marked todo: block two
harness:todo: 9 tests executed (4 marked as todo, 5 failures), 0 skipped.
EOF

# without WINETEST_PLATFORM the platform is detected: "wine" under Wine
run todo
if [ "$rc" = 3 ] && grep -qxF "harness:todo: 9 tests executed (6 marked as todo, 3 failures), 0 skipped." "$work/out"; then
    pass "todo, platform detected as wine"
else
    fail "todo, platform detected as wine: exit code $rc"; sed 's/^/    /' "$work/out"
fi

run todo WINETEST_PLATFORM=wine WINETEST_DEBUG=0
expect "todo, WINETEST_DEBUG=0 (failures only)" 3 <<EOF
selftest.c:$(L todo_2): Test succeeded inside todo block: todo success
selftest.c:$(L todo_5): Test failed: todo_wine_if(0) failure
selftest.c:$(L todo_7): Test failed: after the todo blocks
harness:todo: 9 tests executed (6 marked as todo, 3 failures), 0 skipped.
EOF

run skip WINETEST_PLATFORM=windows
expect "skip, platform windows" 0 <<EOF
selftest.c:$(L skip_1): Tests skipped: skipping this
selftest.c:$(L skip_2): Tests skipped: win_skip message
harness:skip: 2 tests executed (0 marked as todo, 0 failures), 2 skipped.
EOF

run skip WINETEST_PLATFORM=wine
expect "skip, platform wine" 2 <<EOF
selftest.c:$(L skip_1): Tests skipped: skipping this
selftest.c:$(L skip_2): Test failed: win_skip message
selftest.c:$(L skip_3): Test failed: broken(1)
harness:skip: 3 tests executed (0 marked as todo, 2 failures), 1 skipped.
EOF

run context
expect "context" 6 <<EOF
selftest.c:$(L ctx_1): outer: Test failed: in outer
selftest.c:$(L ctx_2): outer: inner 2: Test failed: in inner
selftest.c:$(L ctx_3): outer: inner 2: trace in inner
selftest.c:$(L ctx_4): outer: inner 2: Tests skipped: skip in inner
selftest.c:$(L ctx_5): outer: inner 2: Test marked todo: todo in inner
selftest.c:$(L ctx_6): outer: Test failed: back in outer
selftest.c:$(L ctx_7): Test failed: no context
selftest.c:$(L ctx_8): 0: 1: 2: 3: 4: 5: 6: 7: 8: 9: 10: 11: 12: 13: 14: 15: Test failed: deep
selftest.c:$(L ctx_9): Test failed: empty again
harness:context: 7 tests executed (1 marked as todo, 6 failures), 1 skipped.
EOF

run lasterror
expect "lasterror (GetLastError preserved)" 0 <<EOF
selftest.c:$(L le_1): err 57005
selftest.c:$(L le_2): Test marked todo: in todo: got 57005
selftest.c:$(L le_3): Tests skipped: err 57005
harness:lasterror: 8 tests executed (1 marked as todo, 0 failures), 1 skipped.
EOF

for variant in harness_test ansi noansi mixed; do
    saved=$exe
    exe=$work/$variant.exe
    if [ -f "$exe" ]; then
        run format
        module=webservices
        [ "$variant" = harness_test ] && module=harness
        expect "format ($variant.exe): %zu %llu %lld %ls, long lines" 1 <<EOF
selftest.c:$(L fmt_1): fmt: 12345 18446744073709551615 -9223372036854775808 wide narrow beef 1.500    ab|7  |
selftest.c:$(L fmt_2): $x3000
selftest.c:$(L fmt_3): Test failed: ${x3000}2
$module:format: 1 tests executed (0 marked as todo, 1 failures), 0 skipped.
EOF
        run dbgstr
        expect "dbgstr ($variant.exe)" 0 <<EOF
$module:dbgstr: 56 tests executed (0 marked as todo, 0 failures), 0 skipped.
EOF
    fi
    exe=$saved
done

run child
expect "child processes and wait_child_process" 3 <<EOF
selftest.c:$(L child_1): Test failed: child failure sub
selftest.c:$(L child_2): Test failed: second child failure
harness:child: 3 tests executed (0 marked as todo, 2 failures), 0 skipped.
selftest.c:$(L child_3): Test failed: 2 failures in child process
harness:child: unhandled exception c0000005 at ADDR
selftest.c:$(L child_4): Test failed: Unhandled exception c0000005 in child process
harness:child: 5 tests executed (0 marked as todo, 3 failures), 0 skipped.
EOF

run many
{
    for i in $(seq 0 299); do echo "selftest.c:$(L many_1): Test failed: failure $i"; done
    echo "harness:many: 301 tests executed (0 marked as todo, 300 failures), 0 skipped."
} >"$work/many.expected"
expect "many: exit code capped at 255" 255 <"$work/many.expected"

run crash
if [ "$rc" != 0 ] && grep -qxF "harness:crash: unhandled exception c0000005 at ADDR" "$work/out" &&
        ! grep -q 'tests executed' "$work/out"; then
    pass "crash: exception reported, no summary, exit code $rc"
else
    fail "crash: exit code $rc"; sed 's/^/    /' "$work/out"
fi

# threads: every line complete, counts exact, todo/context per thread
run threads WINETEST_REPORT_SUCCESS=1 WINETEST_PLATFORM=windows
{
    for t in 0 1 2 3 4 5 6 7; do
        echo "selftest.c:$(L thr_1): thread $t: Test failed: failure in thread $t"
        echo "selftest.c:$(L thr_2): thread $t: Test marked todo: todo in thread $t"
    done
    echo "selftest.c:$(L thr_3): main: Test marked todo: main thread todo"
    echo "harness:threads: 817 tests executed (9 marked as todo, 8 failures), 0 skipped."
} | sort >"$work/threads.expected"
grep -v ': Test succeeded$' "$work/out" | sort >"$work/threads.actual"
succ=$(grep -cE '^selftest\.c:[0-9]+: thread [0-7]: Test succeeded$' "$work/out")
total=$(wc -l <"$work/out")
if [ "$rc" = 8 ] && [ "$succ" = 800 ] && [ "$total" = 818 ] && cmp -s "$work/threads.expected" "$work/threads.actual" &&
        [ "$(tail -n 1 "$work/out")" = "harness:threads: 817 tests executed (9 marked as todo, 8 failures), 0 skipped." ]; then
    pass "threads: 817 whole lines, exact counts"
else
    fail "threads: exit code $rc, $succ success lines, $total lines"
    diff -u "$work/threads.expected" "$work/threads.actual" | head -20 | sed 's/^/    /'
fi

run stress
expect "stress: exact counts from 8 threads" 0 <<EOF
harness:stress: 800000 tests executed (400000 marked as todo, 0 failures), 0 skipped.
EOF

############################################################################
# run-tests.sh

expect_rt "run-tests: passing test" 0 "4 passed, 0 failed" -- pass
expect_rt "run-tests: failing test" 1 "6 passed, 4 failed" -- pass fail
has_line "run-tests: shows test output" "$work/rt.out" "selftest.c:$(L fail_1): Test failed: plain failure 1"
expect_rt "run-tests: todo counts (platform wine)" 1 "0 passed, 3 failed" WINETEST_PLATFORM=wine -- todo
expect_rt "run-tests: child summary lines" 1 "2 passed, 3 failed" -- child
expect_rt "run-tests: exit code capped at 255" 1 "1 passed, 300 failed" -- many
expect_rt "run-tests: crash" 1 "0 passed, 1 failed" -- crash
has_line "run-tests: crash reported" "$work/rt.out" \
    "harness:crash: test process crashed or exited early: no summary line (exit code 5)"
expect_rt "run-tests: exit without summary" 1 "0 passed, 1 failed" -- noexit
has_line "run-tests: missing summary reported" "$work/rt.out" \
    "harness:noexit: test process crashed or exited early: no summary line (exit code 0)"
expect_rt "run-tests: timeout" 1 "0 passed, 1 failed" TEST_TIMEOUT=3 SELFTEST_HANG=1 -- hang
has_line "run-tests: timeout reported" "$work/rt.out" "harness:hang: test process timed out after 3s (exit code 124)"
start=$(date +%s)
expect_rt "run-tests: timeout, hanging child process holding stdout" 1 "0 passed, 1 failed" \
    TEST_TIMEOUT=3 SELFTEST_HANG=2 -- hang
if [ $(( $(date +%s) - start )) -lt 30 ]; then pass "run-tests: timeout kills the child process too"
else fail "run-tests: timeout took $(( $(date +%s) - start ))s"; fi
expect_rt "run-tests: unknown test" 1 "0 passed, 1 failed" -- nosuchtest
expect_rt "run-tests: several tests summed" 1 "815 passed, 23 failed" WINETEST_PLATFORM=windows -- \
    pass fail todo skip context threads lasterror
printf 'x\nbuild:abi: 5 tests executed (1 marked as todo, 2 failures), 0 skipped.\nbuild:exports: 3 tests executed (0 marked as todo, 0 failures), 1 skipped.\n' >"$work/extra1.log"
printf 'noise\n7 passed, 1 failed\n' >"$work/extra2.log"
expect_rt "run-tests: EXTRA_RESULTS" 1 "16 passed, 3 failed" "EXTRA_RESULTS=$work/extra1.log $work/extra2.log" -- pass
expect_rt "run-tests: EXTRA_RESULTS missing" 1 "4 passed, 1 failed" "EXTRA_RESULTS=$work/nonexistent.log" -- pass
rt_exe=$work/missing.exe expect_rt "run-tests: missing exe" 1 "0 passed, 1 failed" --
# all tests from --list: 400873 passed; 329 failed incl. crash and noexit
expect_rt "run-tests: every listed test" 1 "400873 passed, 329 failed" WINETEST_PLATFORM=wine --
has_line "run-tests: skip shown" "$work/rt.out" "selftest.c:$(L hang_1): Tests skipped: set SELFTEST_HANG=1 to hang"

############################################################################

echo "harness:selftest: $checks tests executed (0 marked as todo, $failures failures), 0 skipped."
if [ "$failures" -ne 0 ]; then
    echo "check-harness.sh: work files in $work"
    exit 1
fi
[ -n "${HARNESS_BUILD_DIR:-}" ] || rm -rf "$work"
exit 0
