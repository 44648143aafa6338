#!/usr/bin/env bash
# Installs what gloss needs to build, test and run on Debian 12 (as root).
# Quiet and quick when everything is already there, so run.sh and test.sh
# can call it every time.
set -euo pipefail

pkgs=(build-essential meson ninja-build pkg-config
      libnng-dev nng-utils libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
      libuv1-dev libsqlite3-dev sqlite3 libutf8proc-dev libmbedtls-dev
      python3 procps openssl)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "gloss: missing packages: ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "gloss: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
