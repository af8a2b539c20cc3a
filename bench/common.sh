# Shared part of the bench/run-*.sh scripts (sourced, not run).
#
#   . "$(dirname "$0")/common.sh"; bench_setup NAME "$@"
#
# bench_setup checks the BUILD_DIR argument, builds our x86_64 DLL and import
# library there if missing, compiles bench/NAME.c into BUILD_DIR/bench/ next
# to a copy of our DLL, and makes sure the Wine prefix exists.
# bench_run n|b [ARGS] runs it with our DLL (n) or Wine's builtin (b);
# bench_pair runs a service process and a client process of it (ours or builtin each);
# bench_field OUTPUT KEY extracts "KEY: value" lines; bench_check_dlls OURS
# BUILTIN fails unless the two runs loaded the two different DLLs (the
# benchmark prints "dll: PATH (this project)" for ours, from the version
# resource, since the path is the same in both runs); bench_ratio LABEL A B
# prints A/B.
set -e

bench_setup() { # $1 = benchmark name, $2 = BUILD_DIR
    [ $# -eq 2 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
    bench_name=$1
    src=$(cd "$(dirname "$0")/.." && pwd)
    build=$(mkdir -p "$2" && cd "$2" && pwd)
    arch=x86_64
    out="$build/bench"
    prefix="$build/wineprefix"
    WINE=${WINE:-wine}

    if [ ! -f "$build/$arch/webservices.dll" ] || [ ! -f "$build/$arch/libwebservices.a" ]; then
        make -C "$src" B="$build" "$build/$arch/webservices.dll" "$build/$arch/libwebservices.a" >/dev/null
    fi
    mkdir -p "$out"
    $arch-w64-mingw32-gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$src/include" -I"$src/bench" \
        -o "$out/$bench_name.exe" "$src/bench/$bench_name.c" -L"$build/$arch" -lwebservices
    cp "$build/$arch/webservices.dll" "$out/"

    if [ ! -f "$prefix/.created" ]; then
        mkdir -p "$prefix"
        WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i >/dev/null 2>&1 || true
        WINEPREFIX="$prefix" wineserver -w || true
        touch "$prefix/.created"
    fi
}

bench_run() { # $1 = n or b, then the benchmark's arguments
    dll=$1; shift
    (cd "$out" && WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="webservices=$dll" $WINE "$bench_name.exe" "$@") |
        tr -d '\r'
}

bench_pair() { # $1 = server DLL (n or b), $2 = client DLL, $3 = URL; COUNT set: one client/service run
    bench_run "$1" server "$3" > "$out/${bench_name}_server_$1$2.out" 2>&1 &
    bench_server=$!
    bench_result=$(bench_run "$2" client "$3" "$count")
    wait $bench_server || true
    printf '%s\n' "$bench_result"
}

bench_field() { # $1 = output, $2 = key
    printf '%s\n' "$1" | sed -n "s/^$2: //p"
}

bench_check_dlls() { # $1 = our run's output, $2 = the builtin run's output
    case $1 in *"(this project)"*) ;; *) echo "the first run did not load this project's DLL" >&2; exit 1 ;; esac
    case $2 in *"(this project)"*) echo "the second run did not load Wine's builtin" >&2; exit 1 ;; esac
}

bench_ratio() { # $1 = label, $2 = ours, $3 = builtin
    awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%sratio ours/builtin: %.2fx\n", l, a / b }'
}
