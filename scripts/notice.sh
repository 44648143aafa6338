#!/usr/bin/env bash
# Rebuilds NOTICE from the plugins' NOTICE.part files, so that a plugin's
# attribution lives next to its data and the top-level file cannot drift.
# tests/meson.build runs it with --check.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
{
  echo "gloss"
  echo "Copyright (c) 2026 the gloss authors; MIT License (see LICENSE)."
  echo
  echo "The analyzer plugins ship data sets from other projects, used under"
  echo "their licenses.  Each plugin's data/ folder holds them; the attributions"
  echo "follow, one section per plugin (from plugins/*/NOTICE.part)."
  for part in plugins/*/NOTICE.part; do
    echo
    echo "------------------------------------------------------------------------"
    cat "$part"
  done
} > "$out"
if [ "${1:-}" = "--check" ]; then
  if ! cmp -s "$out" NOTICE; then
    echo "NOTICE is out of date: run scripts/notice.sh" >&2
    rm -f "$out"
    exit 1
  fi
  rm -f "$out"
  echo "1 passed, 0 failed"
  exit 0
fi
mv "$out" NOTICE
