#!/bin/sh
# shellcheck disable=SC2086  # word splitting of $WINE and of the environment lists is intended
# Interop of our service host with independent clients (see tests/host_interop.c):
#
#   Wine's builtin  its service proxy (WsCall), in a Wine process of its own
#                   (WINEDLLOVERRIDES=webservices=b, from a directory without
#                   our DLL), calls the host over HTTP (SOAP 1.2 + WS-Addressing
#                   1.0; SOAP 1.1 and 1.2 + transport addressing) and net.tcp; the
#                   same client with our DLL runs as a control
#   curl            posts SOAP 1.2 (WS-Addressing 1.0 headers) and SOAP 1.1
#                   requests, a fault, and an action the contract lacks; the
#                   replies are checked for status, content type and exact
#                   content (python3's XML parser: well-formed)
#   npm soap        tools/soap-peer/client.js, the client tests/soap_peer.sh
#                   uses, against the SOAP 1.1 and SOAP 1.2 transport-addressing
#                   endpoints (the node modules tests/soap_peer.sh installed
#                   into NODE_DIR, installed the same way if missing)
#
# Prints winetest summary lines: host_interop_server, one per client process,
# host_curl, host_npm_soap_client and host_interop_script.
#
# usage: host_interop.sh TESTS_DIR NODE_DIR   (with WINEPREFIX set)
dir=$1
node_dir=$(mkdir -p "$2" && cd "$2" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)/tools/soap-peer
child="$dir/builtin_child"
mkdir -p "$child" && cp "$dir/webservices_test.exe" "$child/"   # no webservices.dll there
wine=${WINE:-wine}
ours_env="WINEDLLOVERRIDES=webservices=n WINETEST_PLATFORM=windows"
builtin_env="WINEDLLOVERRIDES=webservices=b WINETEST_PLATFORM=wine"
base=$(( 10000 + ($$ % 2500) * 4 ))   # the host's endpoints: base .. base+3
script=host_interop.sh process_name=host_interop curl_tag=host_curl npm_tag=host_npm_soap_client
# shellcheck source=tests/peer_lib.sh
. "$(dirname "$0")/peer_lib.sh"     # fail, summary, report_process, exchange, npm_install, npm_client

url12="http://localhost:$base/calc12"
url11="http://localhost:$((base + 1))/calc11"
url12t="http://localhost:$((base + 2))/calc12t"
urltcp="net.tcp://localhost:$((base + 3))/calc"
calls12=0 calls11=0 calls12t=0 callstcp=0   # the operation calls each endpoint must report

# ---- the host ----------------------------------------------------------------

ready="host_interop_ready.$$"
rm -f "$dir/$ready"
(cd "$dir" && env $ours_env timeout 180 $wine webservices_test.exe host_interop server "$base" "$ready") \
    > "$dir/host_interop_server.out" 2>&1 &
srv=$!
i=0
while [ ! -e "$dir/$ready" ] && kill -0 $srv 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
server_up=no
if [ -e "$dir/$ready" ]; then server_up=yes; else fail "the service host did not open"; fi
rm -f "$dir/$ready"

# ---- service proxies: Wine's builtin, then ours ------------------------------------

# client SIDE(builtin|ours) NAME URL ENVELOPE ADDRESSING: 11 calls reach operations per client
client() {
    if [ "$1" = builtin ]; then cdir=$child; cenv=$builtin_env; else cdir=$dir; cenv=$ours_env; fi
    (cd "$cdir" && env $cenv timeout 60 $wine webservices_test.exe host_interop client "$3" "$4" "$5") \
        > "$dir/host_interop_client.out" 2>&1
    report_process "$dir/host_interop_client.out" "host_interop_$1_$2"
}
if [ $server_up = yes ]; then
    for side in builtin ours; do
        client $side http12 "$url12" 1.2 1.0
        client $side http11 "$url11" 1.1 transport
        client $side http12t "$url12t" 1.2 transport
        client $side tcp "$urltcp" 1.2 1.0
    done
    calls12=$((calls12 + 22)) calls11=$((calls11 + 22)) calls12t=$((calls12t + 22)) callstcp=$((callstcp + 22))
fi

# ---- curl --------------------------------------------------------------------

S11=http://schemas.xmlsoap.org/soap/envelope/
S12=http://www.w3.org/2003/05/soap-envelope
WSA=http://www.w3.org/2005/08/addressing
P=http://example.org/peer
env11() { echo "<s:Envelope xmlns:s=\"$S11\"><s:Body>$1</s:Body></s:Envelope>"; }
env12() { echo "<s:Envelope xmlns:s=\"$S12\"><s:Body>$1</s:Body></s:Envelope>"; }
# env12wsa ACTION MESSAGEID BODY: SOAP 1.2 with WS-Addressing 1.0 headers to the calc12 endpoint
env12wsa() {
    echo "<s:Envelope xmlns:s=\"$S12\" xmlns:a=\"$WSA\"><s:Header><a:Action s:mustUnderstand=\"1\">$1</a:Action><a:MessageID>$2</a:MessageID><a:ReplyTo><a:Address>$WSA/anonymous</a:Address></a:ReplyTo><a:To s:mustUnderstand=\"1\">$url12</a:To></s:Header><s:Body>$3</s:Body></s:Envelope>"
}
two() { echo "<$1 xmlns=\"$P\"><a>$2</a><b>$3</b></$1>"; }
text='curl says gr&#252;&#223; dich, &#19990;&#30028; &amp; &lt;tags&gt;'
text_plain='curl says grüß dich, 世界 & <tags>'
id1=urn:uuid:0f6b6c57-2d4e-4b8e-9d7c-1a2b3c4d5e01
id2=urn:uuid:0f6b6c57-2d4e-4b8e-9d7c-1a2b3c4d5e02
id3=urn:uuid:0f6b6c57-2d4e-4b8e-9d7c-1a2b3c4d5e03
id4=urn:uuid:0f6b6c57-2d4e-4b8e-9d7c-1a2b3c4d5e04
id5=urn:uuid:0f6b6c57-2d4e-4b8e-9d7c-1a2b3c4d5e05
CT12='application/soap+xml; charset=utf-8'
CT11='text/xml; charset=utf-8'
unknown_reason="The action '$P/Multiply' is not supported by this endpoint."

if [ $server_up = yes ] && ! command -v curl >/dev/null 2>&1; then
    echo "host_interop.sh: curl is not installed: the curl checks are skipped"
    summary host_curl 0 0 1
elif [ $server_up = yes ]; then
    # SOAP 1.2 + WS-Addressing 1.0: the reply's Action and RelatesTo
    exchange soap12_add "$url12" "$CT12" - "$(env12wsa "$P/Add" $id1 "$(two Add 40 2)")" \
        200 "$CT12*" $S12 "s12:Header/wsa:Action=$P/AddResponse" "s12:Header/wsa:RelatesTo=$id1" \
        "s12:Body/p:AddResponse/p:result=42"
    exchange soap12_echo "$url12" "$CT12" - \
        "$(env12wsa "$P/Echo" $id2 "<Echo xmlns=\"$P\"><text>$text</text></Echo>")" \
        200 "$CT12*" $S12 "s12:Header/wsa:Action=$P/EchoResponse" "s12:Header/wsa:RelatesTo=$id2" \
        "s12:Body/p:EchoResponse/p:text=$text_plain"
    exchange soap12_reverse "$url12" "$CT12" - \
        "$(env12wsa "$P/Reverse" $id3 "<Reverse xmlns=\"$P\"><values><value>1</value><value>-20</value><value>300</value></values></Reverse>")" \
        200 "$CT12*" $S12 "s12:Body/p:ReverseResponse/p:values/p:value#3" \
        "s12:Body/p:ReverseResponse/p:values/p:value[1]=300" "s12:Body/p:ReverseResponse/p:values/p:value[2]=-20" \
        "s12:Body/p:ReverseResponse/p:values/p:value[3]=1"
    exchange soap12_divide_fault "$url12" "$CT12" - "$(env12wsa "$P/Divide" $id4 "$(two Divide 7 0)")" \
        500 "$CT12*" $S12 "s12:Header/wsa:RelatesTo=$id4" "s12:Body/s12:Fault/s12:Code/s12:Value~{$S12}Receiver" \
        "s12:Body/s12:Fault/s12:Reason/s12:Text=division by zero"
    exchange soap12_unknown_action "$url12" "$CT12" - "$(env12wsa "$P/Multiply" $id5 "$(two Multiply 6 7)")" \
        500 "$CT12*" $S12 "s12:Header/wsa:Action=$WSA/fault" "s12:Header/wsa:RelatesTo=$id5" \
        "s12:Body/s12:Fault/s12:Code/s12:Value~{$S12}Sender" \
        "s12:Body/s12:Fault/s12:Code/s12:Subcode/s12:Value~{$WSA}ActionNotSupported" \
        "s12:Body/s12:Fault/s12:Reason/s12:Text=$unknown_reason"
    calls12=$((calls12 + 4))

    # SOAP 1.1, the action in SOAPAction
    exchange soap11_add "$url11" "$CT11" "\"$P/Add\"" "$(env11 "$(two Add -40 -2)")" \
        200 "$CT11" $S11 "s11:Body/p:AddResponse/p:result=-42"
    exchange soap11_divide "$url11" "$CT11" "\"$P/Divide\"" "$(env11 "$(two Divide 100 7)")" \
        200 "$CT11" $S11 "s11:Body/p:DivideResponse/p:result=14"
    exchange soap11_overflow_fault "$url11" "$CT11" "\"$P/Add\"" "$(env11 "$(two Add 2147483647 1)")" \
        500 "$CT11" $S11 "s11:Body/s11:Fault/faultcode~{$S11}Server" "s11:Body/s11:Fault/faultstring=integer overflow"
    exchange soap11_unknown_action "$url11" "$CT11" "\"$P/Multiply\"" "$(env11 "$(two Multiply 6 7)")" \
        500 "$CT11" $S11 "s11:Body/s11:Fault/faultcode~{$S11}Client" "s11:Body/s11:Fault/faultstring=$unknown_reason"
    calls11=$((calls11 + 3))

    # SOAP 1.2 without WS-Addressing: the action in the content type
    exchange soap12_transport_echo "$url12t" "$CT12; action=\"$P/Echo\"" - \
        "$(env12 "<Echo xmlns=\"$P\"><text>$text</text></Echo>")" \
        200 "$CT12*" $S12 "s12:Body/p:EchoResponse/p:text=$text_plain"
    calls12t=$((calls12t + 1))
    summary host_curl $curl_tests $curl_failures 0
else
    summary host_curl 0 0 1
fi

# ---- npm soap client (the modules tests/soap_peer.sh installs) ----------------

[ $server_up = yes ] && npm_install   # else the host failed (counted above)
if [ $npm_ok = yes ]; then
    npm_client "$url11" 1.1
    npm_client "$url12t" 1.2
    calls11=$((calls11 + 3)) calls12t=$((calls12t + 3))
    summary host_npm_soap_client $npm_client_tests $npm_client_failures 0
else
    summary host_npm_soap_client 0 0 1
fi

# ---- Shutdown: the host closes; what each endpoint served ---------------------

if [ $server_up = yes ]; then
    printf '%s' "$(env11 '')" > "$curl_request"
    status=$(curl -sS -m 20 -o /dev/null -w '%{http_code}' -H "Content-Type: $CT11" \
             -H "SOAPAction: \"$P/Shutdown\"" --data-binary @"$curl_request" "$url11" 2>&1)
    [ "$status" = 200 ] || fail "the Shutdown request got '$status'"
    calls11=$((calls11 + 1))
fi
wait $srv
rm -f "$curl_request" "$curl_reply"
if [ $server_up = yes ]; then
    out=$(tr -d '\r' < "$dir/host_interop_server.out")
    for want in "calc12: $calls12 calls" "calc11: $calls11 calls" "calc12t: $calls12t calls" "calc: $callstcp calls"; do
        echo "$out" | grep -q "served $want\$" ||
            fail "the host did not report $want: $(echo "$out" | grep 'served ' | tr '\n' ' ')"
    done
fi
report_process "$dir/host_interop_server.out" host_interop_server

summary host_interop_script 1 $failures 0
