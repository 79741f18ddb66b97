#!/usr/bin/env bash
# Runs every test suite: sets up the machine, builds both presets, then unit tests (native and
# wasm under Node), ASan/UBSan, fuzzers, conformance against the vendor's signers, the sandbox and
# relay suites on loopback, the browser suite in headless Chromium, clang-format and clang-tidy.
#
#   shell/test.sh                 everything (what CI runs)
#   shell/test.sh unit conformance  only the named stages (see STAGES below)
#   shell/test.sh mutate          the mutation run (shell/mutate.sh; never part of the default)
#
# A stage whose programs did not build in this run (native or wasm failed) is not run against the
# previous build's programs: it is skipped and counted as failed.
#
# Ends with one line "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export NODE_PATH=/usr/share/nodejs
export DYPLS_BIN="$ROOT/build/native/bin"
export DYPLS_WEB="$ROOT/build/web"
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

STAGES=(setup native wasm unit wasm-unit asan fuzz conformance sandbox relay browser format tidy)
if [ $# -gt 0 ]; then SELECTED=("$@"); else SELECTED=("${STAGES[@]}"); fi
wants() { local s; for s in "${SELECTED[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

OUT="$ROOT/tests/out"
mkdir -p "$OUT"
total_pass=0
total_fail=0
summary=()

record() { # stage passed failed seconds
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
  summary+=("$(printf '%-12s %5d passed %4d failed %6ss' "$1" "$2" "$3" "$4")")
}
banner() { printf '\n\033[1;34m==== %s ====\033[0m\n' "$*"; }
# A stage that cannot run because what it tests did not build: one failure, no stale results.
skip_stage() { # stage reason
  banner "$1"
  echo "skipped: $2 (counted as failed)"
  record "$1" 0 1 0
}

# A stage that is one check: passes when the command exits 0.
run_check() { # stage command...
  local stage=$1; shift
  banner "$stage"
  local t0=$SECONDS
  if "$@"; then record "$stage" 1 0 $((SECONDS - t0)); return 0; fi
  record "$stage" 0 1 $((SECONDS - t0)); return 1
}

# ctest: counts come from its own summary line.
run_ctest() { # stage ctest-args...
  local stage=$1; shift
  banner "$stage"
  local t0=$SECONDS log="$OUT/$stage.ctest.log"
  ctest "$@" --output-on-failure -j"$JOBS" 2>&1 | tee "$log"
  local line; line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  if [ -z "$line" ]; then record "$stage" 0 1 $((SECONDS - t0)); return; fi
  local failed total
  failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  [ "$total" -gt 0 ] || { record "$stage" 0 1 $((SECONDS - t0)); return; }
  record "$stage" $((total - failed)) "$failed" $((SECONDS - t0))
}

# node --test: counts from the TAP summary written beside the human-readable output.
run_node_tests() { # stage concurrency dir...
  local stage=$1 conc=$2; shift 2
  banner "$stage"
  local t0=$SECONDS tap="$OUT/$stage.tap" files=()
  local d; for d in "$@"; do
    while IFS= read -r f; do files+=("$f"); done < <(find "$d" -maxdepth 1 -name '*.test.mjs' | sort)
  done
  if [ ${#files[@]} -eq 0 ]; then
    echo "no test files in $*"; record "$stage" 0 1 $((SECONDS - t0)); return
  fi
  # Bounded: a test file whose process never exits (a server left running) fails the stage
  # instead of hanging CI.
  timeout --kill-after=10 "${NODE_STAGE_TIMEOUT:-900}" node --test --test-concurrency="$conc" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "${files[@]}"
  local pass fail
  pass=$(grep -E '^# pass [0-9]+' "$tap" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^# fail [0-9]+' "$tap" | tail -1 | awk '{print $3}')
  pass=${pass:-0}; fail=${fail:-1}
  [ "$pass" -gt 0 ] || fail=$((fail + 1))
  record "$stage" "$pass" "$fail" $((SECONDS - t0))
}

build_preset() { # preset [targets...]
  local preset=$1; shift
  cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j"$JOBS" "$@"
}

if wants setup; then run_check setup shell/setup.sh || { echo "set-up failed: nothing else can run"; }; fi
native_ok=1
wasm_ok=1
if wants native; then
  run_check native build_preset native || native_ok=0
  ln -sfn build/native/compile_commands.json compile_commands.json  # for clangd
fi
if wants wasm; then run_check wasm build_preset wasm || wasm_ok=0; fi
# stage needs... : runs the stage only when the builds it needs succeeded (or were not asked for).
needs_ok() { # stage native|wasm...
  local stage=$1 need; shift
  for need in "$@"; do
    if [ "$need" = native ] && [ $native_ok -eq 0 ]; then
      skip_stage "$stage" "the native build failed"; return 1
    fi
    if [ "$need" = wasm ] && [ $wasm_ok -eq 0 ]; then
      skip_stage "$stage" "the wasm build failed"; return 1
    fi
  done
  return 0
}
if wants unit && needs_ok unit native; then run_ctest unit --preset native; fi
if wants wasm-unit && needs_ok wasm-unit wasm; then run_ctest wasm-unit --preset wasm; fi
if wants asan; then
  if run_check asan-build build_preset asan; then run_ctest asan --preset asan; fi
fi
if wants fuzz; then run_check fuzz tests/fuzz/run.sh "$FUZZ_SECONDS"; fi
if wants conformance && needs_ok conformance native; then
  run_node_tests conformance 2 tests/conformance
fi
if wants sandbox && needs_ok sandbox native; then run_node_tests sandbox 2 tests/sandbox; fi
if wants relay && needs_ok relay native; then run_node_tests relay 2 tests/relay; fi
if wants browser && needs_ok browser native wasm; then run_node_tests browser 1 tests/browser; fi
if wants format; then run_check format shell/lint.sh format; fi
if wants tidy; then run_check tidy shell/lint.sh tidy; fi
if wants mutate; then run_check mutate shell/mutate.sh; fi

banner "summary"
printf '%s\n' "${summary[@]}"
echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
