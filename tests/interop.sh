#!/bin/sh
# shellcheck disable=SC2086  # word splitting of $WINE and of the environment lists is intended
# Interop between our DLL and Wine's builtin webservices.dll, each in its own
# Wine process (see tests/interop.c): over net.tcp the builtin serves and we
# call, then we serve and the builtin calls; over HTTP we serve and the
# builtin's request channel calls (the builtin has no HTTP listener); over
# net.tcp the builtin serves Add with WsSendReplyMessage (and a fault) and our
# service proxy calls it with WsCall ("proxy"), and the other way round: the
# builtin's service proxy calls our net.tcp service ("ours proxy"; the builtin
# sends text envelopes in a binary session, which our channel reads, and
# cannot read SOAP 1.2 faults: todo_wine); net.tcp with the text encoding in
# both directions ("text"; the builtin puts a 0x00 byte before each text
# envelope, which our side refuses: see tests/interop.c).  Prints both
# processes' winetest summary lines.
# usage: interop.sh TESTS_DIR   (with WINEPREFIX set; run under the test environment)
dir="$1"
child="$dir/builtin_child"
mkdir -p "$child" && cp "$dir/webservices_test.exe" "$child/"   # no webservices.dll there
wine=${WINE:-wine}
failures=0

run_pair() {  # $1: server side (ours|builtin), $2: port, $3: tag, $4: mode (tcp|http|proxy|text)
    if [ "$1" = builtin ]; then
        srv_dir=$child; srv_env="WINEDLLOVERRIDES=webservices=b WINETEST_PLATFORM=wine"
        cli_dir=$dir;   cli_env="WINEDLLOVERRIDES=webservices=n WINETEST_PLATFORM=windows"
    else
        srv_dir=$dir;   srv_env="WINEDLLOVERRIDES=webservices=n WINETEST_PLATFORM=windows"
        cli_dir=$child; cli_env="WINEDLLOVERRIDES=webservices=b WINETEST_PLATFORM=wine"
    fi
    (cd "$srv_dir" && env $srv_env timeout 60 $wine webservices_test.exe interop server "$2" "$3" "$4") > "$dir/interop_server.out" 2>&1 &
    srv=$!
    (cd "$cli_dir" && env $cli_env timeout 60 $wine webservices_test.exe interop client "$2" "$3" "$4") > "$dir/interop_client.out" 2>&1
    wait $srv
    name=$1
    [ "$4" = tcp ] || name="${1}_$4"
    for side in server client; do
        out=$(tr -d '\r' < "$dir/interop_$side.out")
        if ! echo "$out" | grep -q "tests executed"; then
            echo "interop.sh: Test failed: $name server: the $side process printed no summary"
            echo "$out" | tail -5 | sed 's/^/    /'
            failures=$((failures + 1))
            continue
        fi
        echo "$out" | grep -E "Test failed|Tests skipped" | sed "s/^/$name server, $side: /"
        echo "$out" | grep "tests executed" | sed "s/^webservices:interop:/webservices:interop_${name}_server_$side:/"
    done
}

base=$(( 30000 + $$ % 20000 ))
run_pair builtin $base "b$$" tcp
run_pair ours $((base + 1)) "o$$" tcp
run_pair ours $((base + 2)) "h$$" http
run_pair builtin $((base + 3)) "p$$" proxy
run_pair ours $((base + 4)) "q$$" proxy
run_pair builtin $((base + 5)) "t$$" text
run_pair ours $((base + 6)) "u$$" text
echo "webservices:interop_script: 1 tests executed (0 marked as todo, $failures failures), 0 skipped."
