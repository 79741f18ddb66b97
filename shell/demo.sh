#!/usr/bin/env bash
# The demo: sets up the machine, builds, then runs the sandbox (a local stand-in for the real API)
# behind the relay, which also serves the console page. Prints the URL to open. Ctrl+C stops both.
#
#   shell/demo.sh                 http://127.0.0.1:8080/
#   DYPLS_DEMO_PORT=9000 shell/demo.sh
#   DYPLS_DEMO_HOST=0.0.0.0 shell/demo.sh   (reachable from other machines; think before you do)
#   DYPLS_RELAY_PUBLIC_HOST=demo.lan shell/demo.sh   (the names the relay answers to; with 0.0.0.0
#                                 the default adds this machine's name and addresses)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
HOST=${DYPLS_DEMO_HOST:-127.0.0.1}
PORT=${DYPLS_DEMO_PORT:-8080}
STATE_DIR="$ROOT/build/demo"
export NODE_PATH=/usr/share/nodejs

shell/setup.sh
echo "[demo] building (native servers and the wasm page)"
cmake --preset native >/dev/null
cmake --build --preset native -j"$(nproc)" --target dypls-sandbox dypls-relay
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$(nproc)" --target dypls_page
[ -f build/web/index.html ] || { echo "[demo] error: build/web/index.html was not built"; exit 1; }

mkdir -p "$STATE_DIR"
pids=()
cleanup() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "[demo] stopped"
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

# The sandbox keeps its state (stock, numbers bought) in build/demo, so a restart keeps the demo.
sandbox_out="$STATE_DIR/sandbox.out"
build/native/bin/dypls-sandbox --listen 127.0.0.1:0 --state "$STATE_DIR/sandbox-state.json" \
  >"$sandbox_out" 2>"$STATE_DIR/sandbox.log" &
pids+=($!)
sandbox_url=""
for _ in $(seq 1 100); do
  sandbox_url=$(sed -nE 's/.*listening on (http:[^ ]+).*/\1/p' "$sandbox_out" | head -1)
  [ -n "$sandbox_url" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$STATE_DIR/sandbox.log"; echo "[demo] error: the sandbox did not start"; exit 1; }
  sleep 0.1
done
[ -n "$sandbox_url" ] || { echo "[demo] error: the sandbox did not report its address"; exit 1; }

relay_out="$STATE_DIR/relay.out"
# The relay answers only to its own names (421 to any other Host, against DNS rebinding).
if [ "$HOST" = 0.0.0.0 ] && [ -z "${DYPLS_RELAY_PUBLIC_HOST:-}" ]; then
  DYPLS_RELAY_PUBLIC_HOST="localhost,127.0.0.1,$(hostname)"
  for ip in $(hostname -I 2>/dev/null || true); do
    case $ip in *:*) ;; *) DYPLS_RELAY_PUBLIC_HOST+=",$ip" ;; esac
  done
  export DYPLS_RELAY_PUBLIC_HOST
fi
build/native/bin/dypls-relay --listen "$HOST:$PORT" --upstream "$sandbox_url" --sandbox \
  --static "$ROOT/build/web" >"$relay_out" 2>"$STATE_DIR/relay.log" &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q 'listening on' "$relay_out" 2>/dev/null && break
  if ! kill -0 "${pids[1]}" 2>/dev/null; then
    tail -5 "$STATE_DIR/relay.log"
    echo "[demo] error: the relay did not start on $HOST:$PORT (is the port taken? try DYPLS_DEMO_PORT=9000)"
    exit 1
  fi
  sleep 0.1
done

cat <<MSG

  dypls-console demo is running: open  http://$HOST:$PORT/

  The relay talks to the sandbox ($sandbox_url): no real numbers are bought and nothing is billed.
  In the page, press "Use demo credentials" (or paste the demo account below).
$(sed -n '2,$p' "$sandbox_out" | sed 's/^/  /')

  Logs: $STATE_DIR/relay.log, $STATE_DIR/sandbox.log     Stop: Ctrl+C
MSG
wait -n "${pids[@]}" || true
echo "[demo] a server exited; see the logs above"
