#!/bin/sh
# test_external_client.sh - talks to the real glossd without libgloss, the
# way a client in another language would: `protoc --encode` builds the
# method's request and then the gloss.v1.RpcRequest envelope around it (the
# payload as an escaped bytes literal), `nngcat --req` sends it, and
# `protoc --decode=gloss.v1.RpcResponse` reads the answer.  The answer's
# payload is decoded with the method's response type through a "view" of
# the envelope whose field 4 is typed as that message (bytes and an
# embedded message share a wire format).
#
# Needs: GLOSSD (glossd binary), GLOSS_PROTO_DIR (proto/), protoc
# (protobuf-compiler) and nngcat (nng-utils) on PATH.  Prints
# "N passed, N failed" like the C tests.
set -u

fail_setup() {
	echo "test_external_client: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

: "${GLOSSD:?GLOSSD must name the glossd binary}"
: "${GLOSS_PROTO_DIR:?GLOSS_PROTO_DIR must name the proto/ folder}"
command -v protoc >/dev/null 2>&1 || fail_setup "protoc not found (apt-get install protobuf-compiler)"
command -v nngcat >/dev/null 2>&1 || fail_setup "nngcat not found (apt-get install nng-utils)"

DIR=$(mktemp -d /tmp/gloss-ext-XXXXXX) || fail_setup "mktemp failed"
URL="ipc://$DIR/s.sock"
TOKEN="external-client-token-0123456789"
PID=""
cleanup() {
	if [ -n "$PID" ]; then
		kill -9 "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

P="$GLOSS_PROTO_DIR"
PROTOS="gloss/v1/rpc.proto gloss/v1/health.proto gloss/v1/projects.proto gloss/v1/documents.proto"

# The envelope seen with a typed payload, one message per response type.
cat >"$DIR/view.proto" <<'EOF'
syntax = "proto3";
package extview;
import "gloss/v1/rpc.proto";
import "gloss/v1/health.proto";
import "gloss/v1/projects.proto";
import "gloss/v1/documents.proto";
message HealthCheckResponse {
  gloss.v1.Code code = 1; string message = 2; map<string, string> details = 3;
  gloss.v1.HealthCheckResponse payload = 4;
}
message CreateProjectResponse {
  gloss.v1.Code code = 1; string message = 2; map<string, string> details = 3;
  gloss.v1.CreateProjectResponse payload = 4;
}
message ImportResponse {
  gloss.v1.Code code = 1; string message = 2; map<string, string> details = 3;
  gloss.v1.ImportResponse payload = 4;
}
message GetDocumentResponse {
  gloss.v1.Code code = 1; string message = 2; map<string, string> details = 3;
  gloss.v1.GetDocumentResponse payload = 4;
}
EOF

passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
bad() {
	echo "FAIL $1" ; shift
	printf "  %s\n" "$*" >&2
	failed=$((failed + 1))
}

# call METHOD REQTYPE REQTEXT AUTH  -> $DIR/resp.bin, $DIR/resp.txt, $CODE
# AUTH is "token", "none" or "wrong".
call() {
	method=$1 reqtype=$2 reqtext=$3 auth=$4
	# (protoc warns about the invalid UTF-8 we send on purpose: keep quiet)
	printf '%s\n' "$reqtext" | protoc -I"$P" --encode="gloss.v1.$reqtype" $PROTOS \
	    >"$DIR/payload.bin" 2>"$DIR/protoc.err" || return 1
	# Every byte as a three-digit octal escape: valid text-format bytes.
	esc=$(od -An -v -to1 "$DIR/payload.bin" | tr -s ' \n' '\n' | grep . |
	    sed 's/^/\\/' | tr -d '\n')
	{
		printf 'method: "%s"\n' "$method"
		case $auth in
		token) printf 'metadata { key: "authorization" value: "Bearer %s" }\n' "$TOKEN" ;;
		wrong) printf 'metadata { key: "authorization" value: "Bearer nope-nope-nope" }\n' ;;
		esac
		printf 'timeout_ms: 10000\n'
		printf 'request_id: "ext-%s-%s"\n' "$$" "$(date +%s%N)"
		printf 'payload: "%s"\n' "$esc"
	} >"$DIR/req.txt"
	protoc -I"$P" --encode=gloss.v1.RpcRequest $PROTOS <"$DIR/req.txt" \
	    >"$DIR/req.bin" || return 1
	send "$DIR/req.bin"
}

# send FILE -> $DIR/resp.bin, $DIR/resp.txt, $CODE ("OK" when absent)
send() {
	rm -f "$DIR/resp.bin"
	timeout 15 nngcat --req --dial "$URL" --file "$1" --raw --recv-timeout 10 \
	    >"$DIR/resp.bin" 2>"$DIR/nngcat.err" || return 1
	[ -s "$DIR/resp.bin" ] || return 1
	protoc -I"$P" --decode=gloss.v1.RpcResponse $PROTOS <"$DIR/resp.bin" \
	    >"$DIR/resp.txt" 2>&1 || return 1
	CODE=$(sed -n 's/^code: //p' "$DIR/resp.txt")
	[ -n "$CODE" ] || CODE=OK
	return 0
}

# view TYPE -> the answer decoded with its typed payload
view() {
	protoc -I"$P" -I"$DIR" --decode="extview.$1" view.proto <"$DIR/resp.bin"
}

# ---- start glossd -----------------------------------------------------
GLOSS_ADMIN_TOKEN=$TOKEN "$GLOSSD" --data "$DIR" --listen "$URL" \
    >"$DIR/glossd.log" 2>&1 &
PID=$!
up=0
i=0
while [ $i -lt 200 ]; do
	if call "/gloss.v1.Health/Check" HealthCheckRequest "" none 2>/dev/null; then
		up=1
		break
	fi
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ $up -ne 1 ]; then
	cat "$DIR/glossd.log" >&2
	fail_setup "glossd did not answer"
fi

# ---- Health/Check, no token ---------------------------------------------
if call "/gloss.v1.Health/Check" HealthCheckRequest "" none && [ "$CODE" = OK ] &&
    view HealthCheckResponse >"$DIR/v.txt" && grep -q 'status: SERVING' "$DIR/v.txt" &&
    grep -q 'max_message: 16777216' "$DIR/v.txt"; then
	ok health_check
else
	bad health_check "code=$CODE $(cat "$DIR/resp.txt" "$DIR/v.txt" 2>/dev/null)"
fi

# ---- Projects/Create: without a token, with a wrong one, with the right one
if call "/gloss.v1.Projects/Create" CreateProjectRequest 'name: "ext"' none &&
    [ "$CODE" = UNAUTHENTICATED ] && grep -q '^message: ".' "$DIR/resp.txt"; then
	ok project_create_without_token
else
	bad project_create_without_token "code=$CODE"
fi
if call "/gloss.v1.Projects/Create" CreateProjectRequest 'name: "ext"' wrong &&
    [ "$CODE" = UNAUTHENTICATED ]; then
	ok project_create_wrong_token
else
	bad project_create_wrong_token "code=$CODE"
fi
if call "/gloss.v1.Projects/Create" CreateProjectRequest \
    'name: "ext" mode: "shared" schema { layers { name: "actor" labels { name: "STATE" color: "#112233" } } }' token &&
    [ "$CODE" = OK ] && view CreateProjectResponse >"$DIR/v.txt" &&
    grep -q 'name: "ext"' "$DIR/v.txt" && grep -q 'mode: "shared"' "$DIR/v.txt" &&
    grep -q 'color: "#112233"' "$DIR/v.txt"; then
	ok project_create
else
	bad project_create "code=$CODE $(cat "$DIR/resp.txt" "$DIR/v.txt" 2>/dev/null)"
fi
if call "/gloss.v1.Projects/Create" CreateProjectRequest 'name: "ext"' token &&
    [ "$CODE" = ALREADY_EXISTS ]; then
	ok project_create_twice
else
	bad project_create_twice "code=$CODE"
fi

# ---- Documents/Import, then Get: NFC and line ends on the way --------------
# (protoc prints non-ASCII bytes of a string as octal escapes: é is \303\251)
# "Cafe" + U+0301 COMBINING ACUTE ACCENT, and a CRLF.
DOC='project: "ext" documents { title: "Ext article" text: "Cafe\314\201 talks in Kabul\r\nSecond line." }'
id=""
if call "/gloss.v1.Documents/Import" ImportRequest "$DOC" token && [ "$CODE" = OK ] &&
    view ImportResponse >"$DIR/v.txt" && grep -q 'imported: 1' "$DIR/v.txt"; then
	id=$(sed -n 's/^ *id: \([0-9][0-9]*\)$/\1/p' "$DIR/v.txt" | head -n 1)
	if [ -n "$id" ] && grep -q 'sha256: "[0-9a-f]\{64\}"' "$DIR/v.txt"; then
		ok documents_import
	else
		bad documents_import "no id/sha256 in $(cat "$DIR/v.txt")"
	fi
else
	bad documents_import "code=$CODE $(cat "$DIR/resp.txt" "$DIR/v.txt" 2>/dev/null)"
fi
if [ -n "$id" ] && call "/gloss.v1.Documents/Get" GetDocumentRequest "id: $id" token &&
    [ "$CODE" = OK ] && view GetDocumentResponse >"$DIR/v.txt" &&
    grep -q 'length: 32$' "$DIR/v.txt" && grep -q 'project: "ext"' "$DIR/v.txt" &&
    grep -qF 'text: "Caf\303\251 talks in Kabul\nSecond line."' "$DIR/v.txt"; then
	ok documents_get_normalised
else
	bad documents_get_normalised "code=$CODE $(cat "$DIR/v.txt" 2>/dev/null)"
fi
# The same text again is a duplicate with the existing id.
if call "/gloss.v1.Documents/Import" ImportRequest "$DOC" token && [ "$CODE" = OK ] &&
    view ImportResponse >"$DIR/v.txt" && grep -q 'duplicate: true' "$DIR/v.txt" &&
    grep -q "id: $id\$" "$DIR/v.txt"; then
	ok documents_import_duplicate
else
	bad documents_import_duplicate "$(cat "$DIR/v.txt" 2>/dev/null)"
fi
# Invalid UTF-8 names the document.
if call "/gloss.v1.Documents/Import" ImportRequest \
    'project: "ext" documents { title: "broken" text: "bad \303\050 byte" }' token &&
    [ "$CODE" = INVALID_ARGUMENT ] && grep -q 'broken' "$DIR/resp.txt"; then
	ok documents_import_invalid_utf8
else
	bad documents_import_invalid_utf8 "code=$CODE $(cat "$DIR/resp.txt")"
fi

# ---- an unknown method, and bytes that are no envelope -----------------
if call "/gloss.v1.Nope/Do" HealthCheckRequest "" token && [ "$CODE" = UNIMPLEMENTED ] &&
    grep -q 'gloss.v1.Nope/Do' "$DIR/resp.txt"; then
	ok unknown_method
else
	bad unknown_method "code=$CODE $(cat "$DIR/resp.txt")"
fi
printf '\377\377\377\377\377\377' >"$DIR/garbage.bin"
if send "$DIR/garbage.bin" && [ "$CODE" = INVALID_ARGUMENT ]; then
	ok garbage_envelope
else
	bad garbage_envelope "code=$CODE"
fi

# ---- still serving, and stops cleanly ----------------------------------
if call "/gloss.v1.Health/Check" HealthCheckRequest "" none && [ "$CODE" = OK ]; then
	ok still_serving
else
	bad still_serving "code=$CODE"
fi
kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
if kill -0 "$PID" 2>/dev/null; then
	bad sigterm "still running 5 s after SIGTERM"
else
	wait "$PID"
	rc=$?
	PID=""
	if [ $rc -eq 0 ]; then ok sigterm; else bad sigterm "exit $rc"; fi
fi

[ $failed -eq 0 ] || cat "$DIR/glossd.log" >&2
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
