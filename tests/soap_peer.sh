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
failures=0        # of this script's own checks (soap_peer_script)

fail() { echo "soap_peer.sh: Test failed: $*"; failures=$((failures + 1)); }

# summary NAME EXECUTED FAILURES SKIPPED
summary() { echo "webservices:$1: $2 tests executed (0 marked as todo, $3 failures), $4 skipped."; }

# The Wine process's summary line, renamed; no summary is one failure.
report_process() {  # $1: output file, $2: name
    out=$(tr -d '\r' < "$1")
    if ! echo "$out" | grep -q "tests executed"; then
        fail "the $2 process printed no summary"
        echo "$out" | tail -5 | sed 's/^/    /'
        return
    fi
    echo "$out" | grep -E "Test failed|Tests skipped" | sed "s/^/$2: /"
    echo "$out" | grep "tests executed" | sed "s/^webservices:soap_peer:/webservices:$2:/"
}

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

# check_reply FILE ENVELOPE_NS CHECK...: FILE is a well-formed SOAP envelope of
# ENVELOPE_NS; each CHECK is PATH=TEXT (ElementTree path with the prefixes
# s11, s12, wsa, p: the element's whole text) or PATH~QNAME ({ns}local: the
# element's text as a QName, its prefix resolved against the document's
# namespace declarations).  Prints what differs; exit status 1 then.
check_reply() {
    python3 - "$@" <<'EOF'
import re, sys
import xml.etree.ElementTree as ET
path, env_ns, checks = sys.argv[1], sys.argv[2], sys.argv[3:]
raw = open(path, 'rb').read()
ns = { 's11': 'http://schemas.xmlsoap.org/soap/envelope/', 's12': 'http://www.w3.org/2003/05/soap-envelope',
       'wsa': 'http://www.w3.org/2005/08/addressing', 'p': 'http://example.org/peer' }
try:
    root = ET.fromstring(raw)
except ET.ParseError as e:
    print('not well-formed XML (%s): %r' % (e, raw[:300])); sys.exit(1)
bad = 0
if root.tag != '{%s}Envelope' % env_ns:
    print('root element %s, not {%s}Envelope' % (root.tag, env_ns)); bad = 1
decls = dict(re.findall(rb'xmlns(?::([A-Za-z_][\w.-]*))?="([^"]*)"', raw))
for check in checks:
    qname = '~' in check and ('=' not in check or check.index('~') < check.index('='))
    where, want = check.split('~' if qname else '=', 1)
    node = root.find(where, ns)
    got = None if node is None else (node.text or '')
    if qname and got is not None:
        prefix, _, local = got.rpartition(':')
        got = '{%s}%s' % (decls.get(prefix.encode(), b'?').decode(), local)
    if got != want:
        print('%s: got %r, expected %r' % (where, got, want)); bad = 1
sys.exit(bad)
EOF
}

curl_tests=0 curl_failures=0

# exchange NAME URL CONTENT_TYPE SOAPACTION BODY STATUS REPLY_TYPE ENVELOPE_NS CHECK...
# (SOAPACTION "-": no SOAPAction header; REPLY_TYPE: exact, or PREFIX* for a prefix)
exchange() {
    name=$1 url=$2 ctype=$3 action=$4 body=$5 want_status=$6 want_type=$7 env_ns=$8
    shift 8
    curl_tests=$((curl_tests + 1))
    printf '%s' "$body" > "$dir/curl_request.xml"
    if [ "$action" = - ]; then
        res=$(curl -sS -m 20 -o "$dir/curl_reply.xml" -w '%{http_code} %{content_type}' -H "Content-Type: $ctype" \
              --data-binary @"$dir/curl_request.xml" "$url" 2>&1)
    else
        res=$(curl -sS -m 20 -o "$dir/curl_reply.xml" -w '%{http_code} %{content_type}' -H "Content-Type: $ctype" \
              -H "SOAPAction: $action" --data-binary @"$dir/curl_request.xml" "$url" 2>&1)
    fi
    status=${res%% *} type=${res#* }
    bad=
    [ "$status" = "$want_status" ] || bad="$bad status $status (expected $want_status);"
    case $want_type in
        *'*') case $type in "${want_type%\*}"*) ;; *) bad="$bad content type '$type' (expected '$want_type');" ;; esac ;;
        *) [ "$type" = "$want_type" ] || bad="$bad content type '$type' (expected '$want_type');" ;;
    esac
    if ! diff=$(check_reply "$dir/curl_reply.xml" "$env_ns" "$@"); then bad="$bad $(echo "$diff" | tr '\n' ' ')"; fi
    if [ -n "$bad" ]; then
        echo "curl_soap: Test failed: $name:$bad"
        curl_failures=$((curl_failures + 1))
    else
        echo "curl_soap: $name: HTTP $status, $type"
    fi
}

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

npm_ok=no
if [ $server_up = no ] && ! grep -q "not implemented (E_NOTIMPL)" "$dir/soap_peer_server.out"; then
    :   # the service failed (counted above); no point in the npm peers
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "soap_peer.sh: node or npm is not installed: the npm soap checks are skipped"
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "soap_peer.sh: node $(node --version) is older than soap 1.13.0 needs (20): the npm soap checks are skipped"
else
    cp "$src"/package.json "$src"/package-lock.json "$src"/*.js "$src"/*.wsdl "$node_dir/"
    if [ -f "$node_dir/node_modules/.package-lock.json" ] && [ -f "$node_dir/node_modules/soap/package.json" ] &&
       [ "$(node -p "require('$node_dir/node_modules/soap/package.json').version")" = 1.13.0 ]; then
        npm_ok=yes
    elif (cd "$node_dir" && timeout 300 npm ci --no-audit --no-fund --prefer-offline) > "$node_dir/npm-ci.log" 2>&1; then
        npm_ok=yes
    else
        echo "soap_peer.sh: npm ci failed (is the npm registry reachable?): the npm soap checks are skipped"
        tail -3 "$node_dir/npm-ci.log" | sed 's/^/    /'
    fi
fi

# ---- npm soap client -> our service ---------------------------------------------

npm_client_tests=0 npm_client_failures=0
npm_client() {  # $1: URL, $2: SOAP version
    npm_client_tests=$((npm_client_tests + 1))
    got=$(cd "$node_dir" && timeout 60 node client.js "$1" "$2" 2>&1)
    want=$(printf '%s\n' 'Echo: "hello from npm soap, grüß dich, 世界 & <tags>"' 'Echo matches: true' 'Add: 42' \
           'Add fault: HTTP 500, integer overflow')
    echo "$got" | sed "s|^|npm soap client, SOAP $2: |"
    if [ "$got" != "$want" ]; then
        echo "npm_soap_client: Test failed: SOAP $2: the client's output differs from"
        echo "$want" | sed 's/^/    /'
        npm_client_failures=$((npm_client_failures + 1))
    fi
}
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
    printf '%s' "<s:Envelope xmlns:s=\"$S11\"><s:Body/></s:Envelope>" > "$dir/curl_request.xml"
    status=$(curl -sS -m 20 -o /dev/null -w '%{http_code}' -H "Content-Type: text/xml; charset=utf-8" \
             -H 'SOAPAction: "http://example.org/peer/Shutdown"' --data-binary @"$dir/curl_request.xml" "$url11" 2>&1)
    [ "$status" = 200 ] || fail "the shutdown request got '$status'"
    served11=$((served11 + 1))
fi
wait $srv
rm -f "$dir/curl_request.xml" "$dir/curl_reply.xml"
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
