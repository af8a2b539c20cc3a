# shellcheck shell=sh disable=SC2154,SC2034  # the variables are the sourcing script's (see below)
# Shared by tests/soap_peer.sh and tests/host_interop.sh (sourced): result
# lines, curl exchanges checked exactly, and the npm soap peer.
#
# The sourcing script sets: dir (the tests directory), node_dir (where the
# npm modules go), src (tools/soap-peer), script (its name, for messages),
# process_name (the winetest name its Wine processes print), curl_tag and
# npm_tag (the summary names of its curl and npm client checks).

failures=0        # of the script's own checks

fail() { echo "$script: Test failed: $*"; failures=$((failures + 1)); }

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
    echo "$out" | grep "tests executed" | sed "s/^webservices:$process_name:/webservices:$2:/"
}

# ---- curl --------------------------------------------------------------------

# check_reply FILE ENVELOPE_NS CHECK...: FILE is a well-formed SOAP envelope of
# ENVELOPE_NS; each CHECK is PATH=TEXT (ElementTree path with the prefixes
# s11, s12, wsa, p: the element's whole text), PATH#N (N such elements) or
# PATH~QNAME ({ns}local: the element's text as a QName, its prefix resolved
# against the document's namespace declarations).  Prints what differs; exit
# status 1 then.
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
    op = min((check.index(c), c) for c in '=~#' if c in check)[1]
    where, want = check.split(op, 1)
    if op == '#':
        got = str(len(root.findall(where, ns)))
    else:
        node = root.find(where, ns)
        got = None if node is None else (node.text or '')
        if op == '~' and got is not None:
            prefix, _, local = got.rpartition(':')
            got = '{%s}%s' % (decls.get(prefix.encode(), b'?').decode(), local)
    if got != want:
        print('%s: got %r, expected %r' % (where, got, want)); bad = 1
sys.exit(bad)
EOF
}

curl_tests=0 curl_failures=0
curl_request="$dir/${curl_tag}_request.xml" curl_reply="$dir/${curl_tag}_reply.xml"

# exchange NAME URL CONTENT_TYPE SOAPACTION BODY STATUS REPLY_TYPE ENVELOPE_NS CHECK...
# (SOAPACTION "-": no SOAPAction header; REPLY_TYPE: exact, or PREFIX* for a prefix)
exchange() {
    name=$1 url=$2 ctype=$3 action=$4 body=$5 want_status=$6 want_type=$7 env_ns=$8
    shift 8
    curl_tests=$((curl_tests + 1))
    printf '%s' "$body" > "$curl_request"
    if [ "$action" = - ]; then
        res=$(curl -sS -m 20 -o "$curl_reply" -w '%{http_code} %{content_type}' -H "Content-Type: $ctype" \
              --data-binary @"$curl_request" "$url" 2>&1)
    else
        res=$(curl -sS -m 20 -o "$curl_reply" -w '%{http_code} %{content_type}' -H "Content-Type: $ctype" \
              -H "SOAPAction: $action" --data-binary @"$curl_request" "$url" 2>&1)
    fi
    status=${res%% *} type=${res#* }
    bad=
    [ "$status" = "$want_status" ] || bad="$bad status $status (expected $want_status);"
    case $want_type in
        *'*') case $type in "${want_type%\*}"*) ;; *) bad="$bad content type '$type' (expected '$want_type');" ;; esac ;;
        *) [ "$type" = "$want_type" ] || bad="$bad content type '$type' (expected '$want_type');" ;;
    esac
    if ! diff=$(check_reply "$curl_reply" "$env_ns" "$@"); then bad="$bad $(echo "$diff" | tr '\n' ' ')"; fi
    if [ -n "$bad" ]; then
        echo "$curl_tag: Test failed: $name:$bad"
        curl_failures=$((curl_failures + 1))
    else
        echo "$curl_tag: $name: HTTP $status, $type"
    fi
}

# ---- npm soap ----------------------------------------------------------------

# Installs tools/soap-peer's modules into NODE_DIR (npm ci, once); npm_ok=yes
# when they are there.  No node, an old node or no registry: a skip, said why.
npm_ok=no
npm_install() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "$script: node or npm is not installed: the npm soap checks are skipped"
    elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
        echo "$script: node $(node --version) is older than soap 1.13.0 needs (20): the npm soap checks are skipped"
    else
        cp "$src"/package.json "$src"/package-lock.json "$src"/*.js "$src"/*.wsdl "$node_dir/"
        if [ -f "$node_dir/node_modules/.package-lock.json" ] && [ -f "$node_dir/node_modules/soap/package.json" ] &&
           [ "$(node -p "require('$node_dir/node_modules/soap/package.json').version")" = 1.13.0 ]; then
            npm_ok=yes
        elif (cd "$node_dir" && timeout 300 npm ci --no-audit --no-fund --prefer-offline) > "$node_dir/npm-ci.log" 2>&1; then
            npm_ok=yes
        else
            echo "$script: npm ci failed (is the npm registry reachable?): the npm soap checks are skipped"
            tail -3 "$node_dir/npm-ci.log" | sed 's/^/    /'
        fi
    fi
}

# npm_client URL SOAP_VERSION: tools/soap-peer/client.js's calls, output checked exactly.
npm_client_tests=0 npm_client_failures=0
npm_client() {
    npm_client_tests=$((npm_client_tests + 1))
    got=$(cd "$node_dir" && timeout 60 node client.js "$1" "$2" 2>&1)
    want=$(printf '%s\n' 'Echo: "hello from npm soap, grüß dich, 世界 & <tags>"' 'Echo matches: true' 'Add: 42' \
           'Add fault: HTTP 500, integer overflow')
    echo "$got" | sed "s|^|npm soap client, SOAP $2: |"
    if [ "$got" != "$want" ]; then
        echo "$npm_tag: Test failed: SOAP $2: the client's output differs from"
        echo "$want" | sed 's/^/    /'
        npm_client_failures=$((npm_client_failures + 1))
    fi
}
