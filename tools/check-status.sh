#!/bin/sh
# The README's export status table must be what the status program prints.
# usage: check-status.sh STATUS_EXE   (run with the test environment: WINEPREFIX, WINEDLLOVERRIDES)
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
${WINE:-wine} "$1" --markdown 2>/dev/null | tr -d '\r' > "$tmp/actual"
sed -n '/<!-- status:begin -->/,/<!-- status:end -->/p' "$top/README.md" | sed '1d;$d' > "$tmp/readme"
if ! [ -s "$tmp/actual" ] || ! diff -u "$tmp/readme" "$tmp/actual" > "$tmp/diff"; then
    failures=1
    echo "check-status.sh: Test failed: README.md's export status table is stale: run 'make update-status'"
    head -20 "$tmp/diff" | sed 's/^/    /'
fi
echo "webservices:status_table: 1 tests executed (0 marked as todo, $failures failures), 0 skipped."
[ "$failures" -eq 0 ]
