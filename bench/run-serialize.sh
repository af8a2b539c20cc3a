#!/bin/sh
# WsWriteType/WsReadType benchmark: our webservices.dll against Wine's builtin.
#
#   bench/run-serialize.sh BUILD_DIR
#
# BUILD_DIR is a build tree of this project (make B=BUILD_DIR ...) holding
# x86_64/webservices.dll and x86_64/libwebservices.a; they are built first if
# missing.  Compiles bench/serialize.c into BUILD_DIR/bench/, copies our DLL next
# to it, runs it under Wine once with our DLL (WINEDLLOVERRIDES=webservices=n)
# and once with the builtin (=b), and prints both results and their ratio.
# The numbers come from the benchmark program only.
. "$(dirname "$0")/common.sh"
bench_setup serialize "$@"

echo "WsWriteType/WsReadType benchmark: wrapper struct with 10,000 repeating struct elements, values verified, best of 5 rounds"
status=0
# text: UTF-8 text to a buffer output (WsSetOutput) and back (WsSetInput).
# Wine's builtin fails this one with WS_E_QUOTA_EXCEEDED (its writer stops
# between 177 KB and 530 KB whatever WS_XML_WRITER_PROPERTY_BUFFER_MAX_SIZE
# says), so the ratio is taken on the xmlbuffer mode, which both DLLs run:
# WsSetOutputToBuffer / WsSetInputToBuffer on a WS_XML_BUFFER.
for mode in text xmlbuffer; do
    ours=$(bench_run n $mode || true)
    builtin=$(bench_run b $mode || true)
    bench_check_dlls "$ours" "$builtin"
    ours_w=$(bench_field "$ours" serialize_write_items_per_sec); ours_r=$(bench_field "$ours" serialize_read_items_per_sec)
    builtin_w=$(bench_field "$builtin" serialize_write_items_per_sec); builtin_r=$(bench_field "$builtin" serialize_read_items_per_sec)
    bytes=$(bench_field "$ours" xml_bytes)
    echo "[$mode${bytes:+, $bytes bytes of XML}]"
    printf '  ours    [%s]: write %s items/s, read %s items/s\n' "$(bench_field "$ours" dll)" "${ours_w:-FAILED}" "${ours_r:-FAILED}"
    [ -n "$ours_w" ] || { printf '%s\n' "$ours" >&2; status=1; }
    printf '  builtin [%s]: write %s items/s, read %s items/s\n' "$(bench_field "$builtin" dll)" "${builtin_w:-FAILED}" "${builtin_r:-FAILED}"
    [ -n "$builtin_w" ] || printf '  builtin: %s\n' "$(printf '%s\n' "$builtin" | grep failed)"
    if [ -n "$ours_w" ] && [ -n "$builtin_w" ]; then
        awk -v a="$ours_w" -v b="$builtin_w" -v c="$ours_r" -v d="$builtin_r" \
            'BEGIN { printf "  ratio ours/builtin: write %.2fx, read %.2fx\n", a / b, c / d }'
    fi
done
exit $status
