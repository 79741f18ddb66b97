#!/usr/bin/env bash
# Requests per second the sandbox answers for one signed QuerySecretNoRemain (V1 GET), with wrk.
#
# wrk replays one request, and a Lua script cannot sign per request, so the sandbox runs with
# --no-nonce-check (the replayed SignatureNonce is accepted; the signature, key and timestamp are
# still checked in full on every request). The timestamp is fresh, so keep runs under 15 minutes.
#
# Usage: tests/sandbox/bench_wrk.sh [seconds] [connections]   (DYPLS_BIN as for the Node tests)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${DYPLS_BIN:-build/native/bin}
SECONDS_TO_RUN=${1:-10}
CONNECTIONS=${2:-16}
out=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT

"$BIN/dypls-sandbox" --listen 127.0.0.1:0 --account LTAI5tBench:bench-secret --pool FC1 --seed 1 \
  --no-nonce-check --threads "$((CONNECTIONS + 4))" >"$out" 2>/dev/null &
pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$out" && break; sleep 0.1; done
base=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$out" | head -1)
[ -n "$base" ] || { echo "the sandbox did not start" >&2; exit 1; }

request=$(printf '{"method":"GET","style":"v1","accessKeyId":"LTAI5tBench","accessKeySecret":"bench-secret","action":"QuerySecretNoRemain","version":"2017-05-25","endpoint":"%s","nonce":"bench-nonce","timestamp":"%s","params":{"SpecId":1,"City":"杭州"}}' \
  "${base#http://}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
path=$(echo "$request" | "$BIN/dypls-sign" | /usr/bin/python3 -c \
  'import json,sys,urllib.parse; u=urllib.parse.urlsplit(json.load(sys.stdin)["url"]); print(u.path+"?"+u.query)')
url="$base$path"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
[ "$code" = 200 ] || { echo "the signed request was refused ($code): $(curl -s "$url")" >&2; exit 1; }

wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" "$url"
