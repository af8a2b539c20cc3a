#!/bin/sh
# shellcheck disable=SC2086  # word splitting of $WINE is intended
# Interop over HTTP with independent SOAP peers (see tests/soap_peer.c):
#
#   curl            posts SOAP 1.1 and SOAP 1.2 requests (and WS-Addressing
#                   1.0 headers) to a service built on our HTTP listener and
#                   channels; the replies are checked for status, content type
#                   and exact content (python3's XML parser: well-formed)
#   npm soap client (tools/soap-peer/client.js) calls the same service
#   npm soap server (tools/soap-peer/server.js) is called by our HTTP request
#                   channel and our service proxy (webservices_test.exe
#                   soap_peer client ...)
#
# Prints winetest summary lines: curl_soap, npm_soap_client, the two Wine
# processes' own (soap_peer_server, soap_peer_client) and soap_peer_script.
# A peer that is not installed, an npm registry that cannot be reached, or
# our HTTP binding answering E_NOTIMPL give "skipped" lines, not failures.
#
# usage: soap_peer.sh TESTS_DIR NODE_DIR
#   (with WINEPREFIX, WINEDLLOVERRIDES=webservices=n, WINETEST_PLATFORM=windows;
#   NODE_DIR receives tools/soap-peer and its node_modules)
dir=$1
node_dir=$(mkdir -p "$2" && cd "$2" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)/tools/soap-peer
wine=${WINE:-wine}
base=$(( 22000 + ($$ % 4000) * 4 ))   # our endpoints: base, base+1, base+2; npm server: base+3
tag=$$
script=soap_peer.sh process_name=soap_peer curl_tag=curl_soap npm_tag=npm_soap_client
# shellcheck source=tests/peer_lib.sh
. "$(dirname "$0")/peer_lib.sh"     # fail, summary, report_process, exchange, npm_install, npm_client

# ---- our service -----------------------------------------------------------

ready="soap_peer_ready.$tag"
rm -f "$dir/$ready"
(cd "$dir" && timeout 120 $wine webservices_test.exe soap_peer server "$base" "$ready") > "$dir/soap_peer_server.out" 2>&1 &
srv=$!
i=0
while [ ! -e "$dir/$ready" ] && kill -0 $srv 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
server_up=no
if [ -e "$dir/$ready" ]; then
    server_up=yes
elif grep -q "not implemented (E_NOTIMPL)" "$dir/soap_peer_server.out"; then
    echo "soap_peer.sh: our HTTP channel binding is not implemented yet (E_NOTIMPL): the peers are skipped"
else
    fail "the service did not start"
fi
rm -f "$dir/$ready"

url11="http://localhost:$base/peer11"
url12="http://localhost:$((base + 1))/peer12"
urlwsa="http://localhost:$((base + 2))/peer"
served11=0 faults11=0 served12=0 faults12=0 servedwsa=0   # what the service must report

# ---- curl ------------------------------------------------------------------

S11=http://schemas.xmlsoap.org/soap/envelope/
S12=http://www.w3.org/2003/05/soap-envelope
env11() { echo "<s:Envelope xmlns:s=\"$S11\"><s:Body>$1</s:Body></s:Envelope>"; }
env12() { echo "<s:Envelope xmlns:s=\"$S12\"><s:Body>$1</s:Body></s:Envelope>"; }
add() { echo "<Add xmlns=\"http://example.org/peer\"><a>$1</a><b>$2</b></Add>"; }
text='curl says gr&#252;&#223; dich, &#19990;&#30028; &amp; &lt;tags&gt;'
text_plain='curl says grüß dich, 世界 & <tags>'

if [ $server_up = yes ] && ! command -v curl >/dev/null 2>&1; then
    echo "soap_peer.sh: curl is not installed: the curl checks are skipped"
    summary curl_soap 0 0 1
elif [ $server_up = yes ]; then
    exchange soap11_echo "$url11" "text/xml; charset=utf-8" '"http://example.org/peer/Echo"' \
        "$(env11 "<Echo xmlns=\"http://example.org/peer\"><text>$text</text></Echo>")" \
        200 "text/xml; charset=utf-8" $S11 "s11:Body/p:EchoResponse/p:text=$text_plain"
    exchange soap11_add "$url11" "text/xml; charset=utf-8" '"http://example.org/peer/Add"' "$(env11 "$(add 40 2)")" \
        200 "text/xml; charset=utf-8" $S11 "s11:Body/p:AddResponse/p:result=42"
    exchange soap11_fault "$url11" "text/xml; charset=utf-8" '"http://example.org/peer/Add"' \
        "$(env11 "$(add 2147483647 1)")" 500 "text/xml; charset=utf-8" $S11 \
        "s11:Body/s11:Fault/faultcode~{$S11}Client" "s11:Body/s11:Fault/faultstring=integer overflow"
    exchange soap11_unknown_operation "$url11" "text/xml; charset=utf-8" '"http://example.org/peer/Multiply"' \
        "$(env11 "<Multiply xmlns=\"http://example.org/peer\"><a>6</a><b>7</b></Multiply>")" 500 \
        "text/xml; charset=utf-8" $S11 "s11:Body/s11:Fault/faultcode~{$S11}Client" \
        "s11:Body/s11:Fault/faultstring=the request is not an operation of this service"
    exchange soap11_malformed_body "$url11" "text/xml; charset=utf-8" '"http://example.org/peer/Add"' \
        "<s:Envelope xmlns:s=\"$S11\"><s:Body><Add xmlns=\"http://example.org/peer\"><a>1</a><b>2" 500 \
        "text/xml; charset=utf-8" $S11 "s11:Body/s11:Fault/faultcode~{$S11}Client" \
        "s11:Body/s11:Fault/faultstring=the request is not an operation of this service"
    served11=$((served11 + 5)) faults11=$((faults11 + 3))

    exchange soap12_echo "$url12" 'application/soap+xml; charset=utf-8; action="http://example.org/peer/Echo"' - \
        "$(env12 "<Echo xmlns=\"http://example.org/peer\"><text>$text</text></Echo>")" \
        200 "application/soap+xml; charset=utf-8*" $S12 "s12:Body/p:EchoResponse/p:text=$text_plain"
    exchange soap12_fault "$url12" 'application/soap+xml; charset=utf-8; action="http://example.org/peer/Add"' - \
        "$(env12 "$(add -2147483648 -1)")" 500 "application/soap+xml; charset=utf-8*" $S12 \
        "s12:Body/s12:Fault/s12:Code/s12:Value~{$S12}Sender" "s12:Body/s12:Fault/s12:Reason/s12:Text=integer overflow"
    served12=$((served12 + 2)) faults12=$((faults12 + 1))

    # WS-Addressing 1.0: the action in a header, the reply related to the MessageID
    msgid="urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da"
    exchange soap12_addressing "$urlwsa" "application/soap+xml; charset=utf-8" - \
        "<s:Envelope xmlns:s=\"$S12\" xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header><a:Action s:mustUnderstand=\"1\">http://example.org/peer/Echo</a:Action><a:MessageID>$msgid</a:MessageID><a:To s:mustUnderstand=\"1\">$urlwsa</a:To></s:Header><s:Body><Echo xmlns=\"http://example.org/peer\"><text>$text</text></Echo></s:Body></s:Envelope>" \
        200 "application/soap+xml; charset=utf-8*" $S12 "s12:Header/wsa:Action=http://example.org/peer/EchoResponse" \
        "s12:Header/wsa:RelatesTo=$msgid" "s12:Body/p:EchoResponse/p:text=$text_plain"
    servedwsa=$((servedwsa + 1))
    summary curl_soap $curl_tests $curl_failures 0
else
    summary curl_soap 0 0 1
fi

# ---- npm soap: install ------------------------------------------------------

if [ $server_up = yes ] || grep -q "not implemented (E_NOTIMPL)" "$dir/soap_peer_server.out"; then
    npm_install
fi   # else the service failed (counted above); no point in the npm peers

# ---- npm soap client -> our service ---------------------------------------------

if [ $npm_ok = yes ] && [ $server_up = yes ]; then
    npm_client "$url11" 1.1
    npm_client "$url12" 1.2
    served11=$((served11 + 3)) faults11=$((faults11 + 1)) served12=$((served12 + 3)) faults12=$((faults12 + 1))
    summary npm_soap_client $npm_client_tests $npm_client_failures 0
else
    summary npm_soap_client 0 0 1
fi

# ---- stop our service, check what it served -------------------------------------

if [ $server_up = yes ]; then
    printf '%s' "<s:Envelope xmlns:s=\"$S11\"><s:Body/></s:Envelope>" > "$curl_request"
    status=$(curl -sS -m 20 -o /dev/null -w '%{http_code}' -H "Content-Type: text/xml; charset=utf-8" \
             -H 'SOAPAction: "http://example.org/peer/Shutdown"' --data-binary @"$curl_request" "$url11" 2>&1)
    [ "$status" = 200 ] || fail "the shutdown request got '$status'"
    served11=$((served11 + 1))
fi
wait $srv
rm -f "$curl_request" "$curl_reply"
if [ $server_up = yes ]; then
    out=$(tr -d '\r' < "$dir/soap_peer_server.out")
    for want in "peer11: $served11 requests, $faults11 faults" "peer12: $served12 requests, $faults12 faults" \
                "peer: $servedwsa requests, 0 faults"; do
        echo "$out" | grep -q "served http://localhost:%u/$want\$" ||
            fail "the service did not report $want: $(echo "$out" | grep 'served ' | tr '\n' ' ')"
    done
fi
report_process "$dir/soap_peer_server.out" soap_peer_server

# ---- our client -> npm soap server ------------------------------------------------

if [ $npm_ok = yes ]; then
    port=$((base + 3))
    (cd "$node_dir" && exec timeout 120 node server.js $port) > "$dir/npm_server.out" 2>&1 &
    node_pid=$!
    i=0
    while ! grep -q "^listening $port" "$dir/npm_server.out" && kill -0 $node_pid 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.1; i=$((i + 1))
    done
    if grep -q "^listening $port" "$dir/npm_server.out"; then
        (cd "$dir" && timeout 60 $wine webservices_test.exe soap_peer client \
            "http://localhost:$port/peer11" 1.1 "http://localhost:$port/peer12" 1.2) > "$dir/soap_peer_client.out" 2>&1
        report_process "$dir/soap_peer_client.out" soap_peer_client
        # the npm server saw each call
        calls=$(grep -c "^SOAP 1\.[12] \(Echo\|Add\)(" "$dir/npm_server.out")
        grep -q "not implemented (E_NOTIMPL)" "$dir/soap_peer_client.out" || [ "$calls" = 12 ] ||
            fail "the npm soap server answered $calls calls, expected 12"
    else
        fail "the npm soap server did not start: $(tail -3 "$dir/npm_server.out" | tr '\n' ' ')"
    fi
    kill $node_pid 2>/dev/null
    wait $node_pid 2>/dev/null
    sed 's/^/npm soap server: /' "$dir/npm_server.out"
else
    summary soap_peer_client 0 0 1
fi

summary soap_peer_script 1 $failures 0
