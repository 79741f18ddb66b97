#!/usr/bin/env bash
# Measures the page, signing, the relay, the console and the sandbox side by side in one run on
# this machine, prints one table, and rewrites docs/benchmarks.md (figures, machine, date, how to
# reproduce), flagging anything more than 20% worse than the committed table.
#
#   shell/bench.sh                     build what is needed, run every part, rewrite the doc
#   shell/bench.sh --no-write          the same, but only print
#   shell/bench.sh sign relay          only these parts (page idle sign relay console); the doc is
#                                      rewritten only when every part ran
#   shell/bench.sh --soak-seconds 600  the relay's sustained mixed load for that long (default 120,
#                                      shorter than the 10 minutes the relay's goal names)
#
# Bounded: every part has a time limit, and everything a part started (servers, nginx, wrk,
# Chromium) is stopped when it ends, fails, or this script is interrupted.
# Tunables (environment): BENCH_SUSTAIN_SECONDS (120), BENCH_WRK_SECONDS (5), BENCH_LOADS (5),
# BENCH_REQUESTS (1000), JOBS (2).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export NODE_PATH=/usr/share/nodejs
export DYPLS_BIN="$ROOT/build/native/bin"
export DYPLS_WEB="$ROOT/build/web"
JOBS=${JOBS:-2}
SUSTAIN=${BENCH_SUSTAIN_SECONDS:-120}
WRK_SECONDS=${BENCH_WRK_SECONDS:-5}
LOADS=${BENCH_LOADS:-5}
REQUESTS=${BENCH_REQUESTS:-1000}
OUT="$ROOT/build/bench"
DOC="$ROOT/docs/benchmarks.md"

PARTS=(page idle sign relay console)
WRITE=1
SELECTED=()
ARGS=("$@")
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  arg=${ARGS[$i]}
  case "$arg" in
    --no-write) WRITE=0 ;;
    --soak-seconds) i=$((i + 1)); SUSTAIN=${ARGS[$i]:-}
      [[ "$SUSTAIN" =~ ^[0-9]+$ ]] || { echo "--soak-seconds takes a number of seconds" >&2; exit 2; } ;;
    --soak-seconds=*) SUSTAIN=${arg#*=}
      [[ "$SUSTAIN" =~ ^[0-9]+$ ]] || { echo "--soak-seconds takes a number of seconds" >&2; exit 2; } ;;
    page | idle | sign | relay | console) SELECTED+=("$arg") ;;
    *) echo "unknown argument '$arg': use --no-write, --soak-seconds N and any of: ${PARTS[*]}" >&2; exit 2 ;;
  esac
done
[ ${#SELECTED[@]} -gt 0 ] || SELECTED=("${PARTS[@]}")
[ ${#SELECTED[@]} -eq ${#PARTS[@]} ] || WRITE=0
wants() { local p; for p in "${SELECTED[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

banner() { printf '\n\033[1;34m==== %s ====\033[0m\n' "$*"; }
for tool in node wrk nginx chromium cmake; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run shell/setup.sh" >&2; exit 1; }
done

# Every part runs in its own process group, so stopping it stops all it started.
CURRENT=""
stop_current() {
  [ -n "$CURRENT" ] || return 0
  kill -TERM -- "-$CURRENT" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$CURRENT" 2>/dev/null || break; sleep 0.3; done
  kill -KILL -- "-$CURRENT" 2>/dev/null
  CURRENT=""
}
trap 'stop_current; echo "interrupted" >&2; exit 130' INT TERM
trap 'stop_current' EXIT

# run_part NAME LIMIT_SECONDS command... : stdout (one JSON object) to $OUT/NAME.json.
FAILED=()
run_part() {
  local name=$1 limit=$2; shift 2
  banner "$name (limit ${limit}s)"
  local t0=$SECONDS
  setsid "$@" >"$OUT/$name.json" 2> >(tee "$OUT/$name.log" >&2) &
  CURRENT=$!
  local waited=0
  while kill -0 "$CURRENT" 2>/dev/null; do
    if [ $waited -ge $((limit * 10)) ]; then
      echo "$name: over its ${limit}s limit, stopped" >&2
      stop_current; rm -f "$OUT/$name.json"; FAILED+=("$name"); return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  wait "$CURRENT"; local rc=$?
  CURRENT=""
  if [ $rc -ne 0 ] || ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$OUT/$name.json" 2>/dev/null; then
    echo "$name failed (exit $rc); see $OUT/$name.log" >&2
    rm -f "$OUT/$name.json"; FAILED+=("$name"); return 1
  fi
  echo "$name: $((SECONDS - t0))s"
}

START=$SECONDS
rm -rf "$OUT"; mkdir -p "$OUT"
node -e "import('$ROOT/bench/lib.mjs').then((m) => console.log(JSON.stringify(m.machine())))" >"$OUT/machine.json"

banner "build"
build_t0=$SECONDS
( cmake --preset native >/dev/null &&
  cmake --build build/native -j"$JOBS" --target dypls-sign dypls-sandbox dypls-relay dypls-bench-sign ) ||
  { echo "native build failed" >&2; exit 1; }
if wants page || wants idle || wants console || wants sign; then
  ( cmake --preset wasm >/dev/null && cmake --build build/wasm -j"$JOBS" --target dypls_page dypls-bench-sign ) ||
    { echo "wasm build failed" >&2; exit 1; }
fi
if wants sign; then  # the same core built for speed, to show what -Os costs the signer
  ( cmake --preset wasm -B build/bench-wasm-o3 -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build build/bench-wasm-o3 -j"$JOBS" --target dypls-bench-sign ) ||
    { echo "wasm -O3 build failed" >&2; exit 1; }
fi
BUILD_SECONDS=$((SECONDS - build_t0))
echo "build: ${BUILD_SECONDS}s"
BENCH_T0=$SECONDS

if wants page; then
  run_part page 180 node bench/page.mjs --out "$OUT/logs" --loads "$LOADS"
fi
if wants idle; then
  run_part idle 120 node bench/idle.mjs --out "$OUT/logs" --seconds 10
fi
if wants sign; then
  run_part sign 180 node bench/sign.mjs --native build/native/bin/dypls-bench-sign \
    --wasm build/wasm/bin/dypls-bench-sign.js --wasm-o3 build/bench-wasm-o3/bin/dypls-bench-sign.js \
    --seconds 0.6 --runs 5
fi
if wants relay; then
  # 10,000 idle connections and 1,000 slow clients need descriptors on both ends: raise the soft
  # limit as far as the hard one allows (the part reports the limit it ran under).
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || echo "could not raise the descriptor limit ($(ulimit -n))" >&2
  run_part relay $((SUSTAIN + 50 * WRK_SECONDS + 240)) node bench/relay.mjs --out "$OUT/logs" \
    --seconds "$WRK_SECONDS" --sustain "$SUSTAIN"
fi
if wants console; then
  run_part console 330 node bench/console.mjs --out "$OUT/logs" --requests "$REQUESTS" \
    --requests-cap 200
fi

node -e '
  const fs = require("fs");
  const [out, commit, seconds, build] = process.argv.slice(1);
  const machine = JSON.parse(fs.readFileSync(out + "/machine.json", "utf8"));
  const os = require("os");
  const tools = require("child_process").execSync(
    "(wrk --version 2>&1 | head -1; nginx -v 2>&1; chromium --version 2>/dev/null; node --version; emcc --version 2>/dev/null | head -1) | tr \"\\n\" \";\"",
    { encoding: "utf8", shell: "/bin/bash" });
  fs.writeFileSync(out + "/run.json", JSON.stringify({
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"), commit, seconds: Number(seconds),
    buildSeconds: Number(build), machine, loadAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    tools: tools.split(";").map((s) => s.trim()).filter(Boolean).join("; "),
  }));
' "$OUT" "$(git rev-parse --short HEAD)" $((SECONDS - BENCH_T0)) "$BUILD_SECONDS"

banner "summary"
REPORT_ARGS=(--in "$OUT" --doc "$DOC")
[ $WRITE -eq 1 ] && [ ${#FAILED[@]} -eq 0 ] || REPORT_ARGS+=(--no-write)
node bench/report.mjs "${REPORT_ARGS[@]}"
echo "bench: $((SECONDS - BENCH_T0))s measuring, ${BUILD_SECONDS}s building, $((SECONDS - START))s in all"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "failed parts: ${FAILED[*]} (the doc was not rewritten)" >&2
  exit 1
fi
