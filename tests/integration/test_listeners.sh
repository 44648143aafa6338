#!/bin/bash
# test_listeners.sh - glossd's transports and configuration through the
# real daemon: one glossd started from a --config file listens on tcp://,
# ipc://, ws://, tls+tcp:// and wss:// (with a self-signed certificate made
# here), and every URL answers a token-checked call; [plugin.NAME] and
# --plugin-config reach the plugin; --workers and --contexts are accepted;
# bad settings stop glossd with a clear message and exit 2 or 1.
#
# Environment: GLOSSD, GLOSS, GLOSS_PLUGINS_DIR.
set -u
GLOSSD=${GLOSSD:?set GLOSSD to the glossd binary}
GLOSS=${GLOSS:?set GLOSS to the gloss binary}
PLUGINS=${GLOSS_PLUGINS_DIR:?set GLOSS_PLUGINS_DIR}
. "$(dirname "$0")/lib.sh"

TOKEN=listeners-admin-token-0123456789
export GLOSS_TOKEN=$TOKEN
unset GLOSS_URL GLOSS_TLS_CA

# A free loopback port: bind to 0 and read back what the kernel chose.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P1=$(free_port); P2=$(free_port); P3=$(free_port); P4=$(free_port)

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 ||
	{ echo "FAIL openssl could not make a certificate"; echo "0 passed, 1 failed"; exit 1; }

# The example plugin reads its word list from config key "list".
printf 'summit\tsummits\n' > "$tmp/words.txt"
cat > "$tmp/glossd.ini" <<INI
# glossd configuration used by test_listeners.sh
[glossd]
data = $tmp/data
listen = tcp://127.0.0.1:$P1
listen = ipc://$tmp/s.sock
listen = ws://127.0.0.1:$P2/rpc
listen = tls+tcp://127.0.0.1:$P3
listen = wss://127.0.0.1:$P4/rpc
tls-cert = $tmp/cert.pem
tls-key = $tmp/key.pem
plugins = $PLUGINS
workers = 1
contexts = 4
log-level = info

[plugin.example]
list = $tmp/words.txt
INI

GLOSS_ADMIN_TOKEN=$TOKEN gl_start_glossd "$tmp/glossd.log" "tcp://127.0.0.1:$P1" \
	--config "$tmp/glossd.ini" || { echo "0 passed, 1 failed"; exit 1; }

run "tcp serves" 0 --url "tcp://127.0.0.1:$P1" project list
run "ipc serves" 0 --url "ipc://$tmp/s.sock" project list
run "ws serves" 0 --url "ws://127.0.0.1:$P2/rpc" project list
GLOSS_TLS_CA=$tmp/cert.pem run "tls+tcp serves" 0 --url "tls+tcp://127.0.0.1:$P3" project list
GLOSS_TLS_CA=$tmp/cert.pem run "wss serves" 0 --url "wss://127.0.0.1:$P4/rpc" project list
# A TLS client that does not trust the certificate gets no service.
run "tls+tcp refuses an untrusted server" 24 --timeout 3000 --url "tls+tcp://127.0.0.1:$P3" health
run "wrong token over ws is refused" 26 --url "ws://127.0.0.1:$P2/rpc" --token nope-nope-nope-nope project list

# The [plugin.example] section reached the plugin: its list is ours.
export GLOSS_URL="ws://127.0.0.1:$P2/rpc"
run "project for the plugin" 0 project create listen-demo
printf '{"title":"t","text":"The summit ended and the summits went on."}\n' > "$tmp/doc.jsonl"
run "import over ws" 0 import --project listen-demo "$tmp/doc.jsonl"
run "analyze with the configured list" 0 analyze --project listen-demo --plugin example
run "suggestions listed" 0 --json ann list --doc 1 --layer keyword
n=$(grep -o '"value":"summit"' "$tmp/out" | wc -l)
if [ "$n" -eq 2 ]; then ok "both forms found through the configured list"; else bad "configured list" "got $n summit values"; fi
file_has "log shows every listener" "$tmp/glossd.log" "listening on wss://127.0.0.1:$P4/rpc"
if gl_stop_glossd; then ok "SIGTERM exits 0"; else bad "SIGTERM exits 0" "non-zero exit"; fi

# --plugin-config on the command line replaces the file's section: a list
# that does not exist makes the plugin refuse to load, and glossd says why.
GLOSS_ADMIN_TOKEN=$TOKEN gl_start_glossd "$tmp/glossd2.log" "tcp://127.0.0.1:$P1" \
	--config "$tmp/glossd.ini" --plugin-config "example={\"list\":\"$tmp/none.txt\"}" ||
	{ gl_finish; exit 1; }
file_has "plugin-config reaches the plugin" "$tmp/glossd2.log" "none.txt"
run "analyzers without example" 0 --url "tcp://127.0.0.1:$P1" analyzers
if grep -q '^example' "$tmp/out"; then bad "example refused" "still listed"; else ok "example refused, others serve"; fi
gl_stop_glossd >/dev/null

# Bad settings: a clear message, no daemon.
"$GLOSSD" --data "$tmp/d3" --workers zero >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q -- "--workers" "$tmp/err"; then ok "bad --workers"; else bad "bad --workers" "exit $rc"; fi
"$GLOSSD" --data "$tmp/d3" --plugin-config 'example={not json' >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "not a JSON object" "$tmp/err"; then ok "bad --plugin-config"; else bad "bad --plugin-config" "exit $rc"; fi
printf '[glossd]\nlisten tcp://x\n' > "$tmp/bad.ini"
"$GLOSSD" --config "$tmp/bad.ini" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "bad.ini:2" "$tmp/err"; then ok "bad config line named"; else bad "bad config line" "exit $rc"; fi
GLOSS_ADMIN_TOKEN=$TOKEN "$GLOSSD" --data "$tmp/d4" --listen "tls+tcp://127.0.0.1:$P3" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q -- "--tls-cert" "$tmp/err"; then ok "tls without a certificate"; else bad "tls without a certificate" "exit $rc"; fi
GLOSS_ADMIN_TOKEN=$TOKEN "$GLOSSD" --data "$tmp/d5" --listen "bogus://nowhere" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "bogus://nowhere" "$tmp/err"; then ok "unknown transport"; else bad "unknown transport" "exit $rc"; fi

gl_finish
