#!/usr/bin/env bash
# Installs the Debian packages frontdesk needs to build, test, run and benchmark,
# but only those that are missing, so a second run costs a few dpkg queries.
set -euo pipefail

pkgs=(
  build-essential pkg-config clang libclang-rt-14-dev
  libhiredis-dev libevent-dev libpq-dev libcurl4-openssl-dev libmsgpack-dev
  libjansson-dev libsodium-dev zlib1g-dev
  redis-server postgresql pgbouncer wrk curl tzdata
  python3 python3-jsonschema python3-redis python3-psycopg2 python3-msgpack python3-nacl python3-yaml
  chromium
)
# Node and npm install the dashboard's libraries (npm ci, from the Makefile); a Node
# installed another way (its own npm included) is kept.
command -v npm > /dev/null || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
