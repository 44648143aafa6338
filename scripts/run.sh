#!/usr/bin/env bash
# The README's "run" command: builds gloss, starts glossd on an embedded
# SQLite file under ./gloss-data with the analyzer plugins, creates the demo
# project and imports the demo articles, then prints how to connect.
# Running it again reuses the data (and the admin token) in ./gloss-data.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash scripts/deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release >/dev/null
fi
meson compile -C build >/dev/null

data=${GLOSS_DATA:-$top/gloss-data}
mkdir -p "$data"
chmod 700 "$data"
if [ ! -s "$data/admin.token" ]; then
  # The first start creates user "admin" with this token; it is kept here
  # (mode 600) so the next run can talk to the same database.
  (umask 077; printf 'gls_%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$data/admin.token")
fi
token=$(cat "$data/admin.token")
url=${GLOSS_URL:-tcp://127.0.0.1:7411}
gloss="$top/build/clients/cli/gloss"

log="$data/glossd.log"
echo "gloss: starting glossd on $url (log: $log)"
GLOSS_ADMIN_TOKEN=$token "$top/build/daemon/glossd" --data "$data" \
  --listen "$url" --plugins "$top/build/plugins" 2>>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid' INT TERM

export GLOSS_URL=$url GLOSS_TOKEN=$token
for _ in $(seq 1 100); do
  "$gloss" health >/dev/null 2>&1 && break
  if ! kill -0 $pid 2>/dev/null; then
    echo "gloss: glossd did not start; its log says:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  sleep 0.1
done

if ! "$gloss" project show demo >/dev/null 2>&1; then
  "$gloss" project create demo --mode shared
  "$gloss" import --project demo demo/articles.jsonl
  # Suggestions from every loaded plugin, for the annotators to accept or reject.
  "$gloss" analyze --project demo || echo "gloss: analysis did not finish (see $log)" >&2
else
  echo "gloss: reusing the demo project in $data"
fi

cat <<MSG

glossd is running (pid $pid, database $data/gloss.db, log $log).
In another shell:

  export GLOSS_URL=$url
  export GLOSS_TOKEN=$token
  $gloss project list
  $gloss docs list --project demo
  $gloss search --project demo 'Taliban AND border'
  $gloss ann list --doc 1
  $gloss watch --project demo

Press Ctrl-C here to stop glossd.
MSG
wait $pid
