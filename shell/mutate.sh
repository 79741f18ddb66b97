#!/usr/bin/env bash
# The mutation run: plants each bug listed in tests/mutations/mutations.tsv (one small patch
# each), rebuilds incrementally in build/mutate (and build/mutate-wasm for browser-only bugs),
# runs only the stages that can catch it, and prints a table and the score. A patch that no
# longer applies to the code is reported "stale" and left out of the score.
#
#   shell/mutate.sh               every mutation
#   shell/mutate.sh NAME...       only these (names from the first column)
#
# The tree is left exactly as it was found, even on Ctrl+C: each patch is applied with
# `git apply` and reverted with `git apply -R` (a trap does it on any exit). It refuses to run
# when a file a patch touches has uncommitted changes. The ordinary builds (build/native,
# build/wasm, build/web) are never touched.
#
# Exit status: 0 when every mutation applied and was caught; 1 when one survived or is stale (the
# measurement is then incomplete); 2 on a usage error or a tree it must not touch.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LIST=${MUTATE_LIST:-"$ROOT/tests/mutations/mutations.tsv"}  # another list: same columns
PATCHES="$ROOT/tests/mutations"
BUILD="$ROOT/build/mutate"
WASM_BUILD="$ROOT/build/mutate-wasm"
OUT="$ROOT/tests/out/mutate"
JOBS=${JOBS:-$(nproc)}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
export DYPLS_BIN="$BUILD/bin"
export DYPLS_WEB="$WASM_BUILD/web"
mkdir -p "$OUT"

# ---- the list: name, patch file, stages, what the bug does (tab-separated, # comments)
names=() patches=() stages=() whats=()
while IFS=$'\t' read -r name patch stage what; do
  [ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
  names+=("$name") patches+=("$patch") stages+=("$stage") whats+=("$what")
done <"$LIST"
selected=("$@")
is_selected() {
  [ ${#selected[@]} -eq 0 ] && return 0
  local s; for s in "${selected[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1
}
for s in "${selected[@]}"; do
  found=0; for n in "${names[@]}"; do [ "$n" = "$s" ] && found=1; done
  [ $found -eq 1 ] || { echo "mutate: no mutation named '$s' in $LIST" >&2; exit 2; }
done

# ---- refuse a dirty tree where the patches write
touched=()
for i in "${!names[@]}"; do
  is_selected "${names[$i]}" || continue
  while IFS= read -r f; do touched+=("$f"); done < <(git apply --numstat "$PATCHES/${patches[$i]}" 2>/dev/null | cut -f3)
done
if [ ${#touched[@]} -gt 0 ] && [ -n "$(git status --porcelain -- "${touched[@]}")" ]; then
  echo "mutate: these files have uncommitted changes; commit or stash them first:" >&2
  git status --porcelain -- "${touched[@]}" >&2
  exit 2
fi
status_before=$(git status --porcelain)

# ---- the planted patch is always taken out again
applied=""
restore() {
  if [ -n "$applied" ]; then
    git apply -R "$applied" || echo "mutate: could not revert $applied: run 'git apply -R $applied'" >&2
    applied=""
  fi
}
on_signal() { echo; echo "mutate: interrupted; reverting the planted patch" >&2; restore; exit 130; }
trap restore EXIT
trap on_signal INT TERM HUP

# ---- builds (own directories: the ordinary builds stay as they are)
build_native() {
  [ -f "$BUILD/build.ninja" ] || cmake -S "$ROOT" -B "$BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDYPLS_WERROR=ON >"$OUT/configure.log" 2>&1 || return 1
  cmake --build "$BUILD" -j"$JOBS" >"$OUT/build.log" 2>&1
}
build_wasm() {
  [ -f "$WASM_BUILD/build.ninja" ] || cmake -S "$ROOT" -B "$WASM_BUILD" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake \
    -DCMAKE_BUILD_TYPE=MinSizeRel -DDYPLS_WERROR=ON -DDYPLS_WEB_DIR="$WASM_BUILD/web" \
    -DCMAKE_CROSSCOMPILING_EMULATOR="/usr/bin/node;--no-experimental-fetch" \
    >"$OUT/configure-wasm.log" 2>&1 || return 1
  cmake --build "$WASM_BUILD" -j"$JOBS" --target dypls_page >"$OUT/build-wasm.log" 2>&1
}
needs_wasm() { [[ "$1" == *browser* ]]; }

# ---- one stage; 0 = passed (the bug survived it), 1 = failed (caught)
# unit:REGEX   ctest in build/mutate, tests matching REGEX
# NAME[:f1,f2] node --test on tests/NAME (or only those files in it)
run_stage() { # stage log
  local stage=$1 log=$2 kind=${1%%:*} arg=""
  [[ "$1" == *:* ]] && arg=${1#*:}
  if [ "$kind" = unit ]; then
    local out rc
    out=$(ctest --test-dir "$BUILD" -R "$arg" -j"$JOBS" --timeout 120 2>&1); rc=$?
    echo "$out" >>"$log"
    grep -q 'No tests were found' <<<"$out" && return 2
    return $rc
  fi
  local files=() f
  if [ -n "$arg" ]; then
    IFS=',' read -ra f <<<"$arg"
    for x in "${f[@]}"; do files+=("tests/$kind/$x"); done
  else
    while IFS= read -r x; do files+=("$x"); done < <(find "tests/$kind" -maxdepth 1 -name '*.test.mjs' | sort)
  fi
  local conc=2; [ "$kind" = browser ] && conc=1
  timeout --kill-after=10 "${MUTATE_STAGE_TIMEOUT:-600}" \
    node --test --test-concurrency="$conc" "${files[@]}" >>"$log" 2>&1
}

# ---- the baseline must be green, or every mutation would look caught
echo "mutate: building the unmodified tree in build/mutate"
if ! build_native; then echo "mutate: the unmodified tree does not build; see $OUT/build.log" >&2; exit 1; fi
wasm_built=0

# Every stage the selected mutations use must pass on the real code first (MUTATE_BASELINE=0
# skips this when you know it does).
if [ "${MUTATE_BASELINE:-1}" = 1 ]; then
  baseline=()
  for i in "${!names[@]}"; do
    is_selected "${names[$i]}" || continue
    IFS=' ' read -ra list <<<"${stages[$i]}"
    for stage in "${list[@]}"; do
      [[ " ${baseline[*]-} " == *" $stage "* ]] || baseline+=("$stage")
    done
  done
  for stage in "${baseline[@]}"; do
    if needs_wasm "$stage" && [ $wasm_built -eq 0 ]; then
      build_wasm || { echo "mutate: the unmodified page does not build; see $OUT/build-wasm.log" >&2; exit 1; }
      wasm_built=1
    fi
    echo "mutate: baseline $stage"
    : >"$OUT/baseline.log"
    if ! run_stage "$stage" "$OUT/baseline.log"; then
      echo "mutate: stage '$stage' fails on the unmodified code (see $OUT/baseline.log): fix that first" >&2
      exit 1
    fi
  done
fi

rows=() caught=0 survived=0 stale=0 counted=0
t_all=$SECONDS
for i in "${!names[@]}"; do
  name=${names[$i]} patch="$PATCHES/${patches[$i]}" stage_list=${stages[$i]}
  is_selected "$name" || continue
  log="$OUT/$name.log"
  : >"$log"
  t0=$SECONDS
  if ! git apply --check "$patch" >>"$log" 2>&1; then
    rows+=("$(printf '%-36s %-9s %-56s %5ss' "$name" stale "patch no longer applies: refresh it" 0)")
    stale=$((stale + 1))
    continue
  fi
  git apply "$patch" && applied="$patch"
  printf 'mutate: %-36s ' "$name"
  result="" by=""
  if ! build_native >>"$log" 2>&1; then
    cat "$OUT/build.log" >>"$log"
    result=caught by="build (does not compile)"
  elif needs_wasm "$stage_list" && ! build_wasm >>"$log" 2>&1; then
    cat "$OUT/build-wasm.log" >>"$log"
    result=caught by="wasm build (does not compile)"
  else
    needs_wasm "$stage_list" && wasm_built=1
    IFS=' ' read -ra list <<<"$stage_list"
    for stage in "${list[@]}"; do
      echo "---- $stage" >>"$log"
      run_stage "$stage" "$log"; rc=$?
      if [ $rc -eq 2 ]; then result=SURVIVED by="$stage matched no tests"; break; fi
      if [ $rc -ne 0 ]; then result=caught by=$stage; break; fi
    done
    [ -n "$result" ] || { result=SURVIVED; by="-"; }
  fi
  restore
  counted=$((counted + 1))
  if [ "$result" = caught ]; then caught=$((caught + 1)); else survived=$((survived + 1)); fi
  echo "$result ($by, $((SECONDS - t0))s)"
  rows+=("$(printf '%-36s %-9s %-56s %5ss' "$name" "$result" "$by" $((SECONDS - t0)))")
done

# Rebuild what the last patch left behind, so the next run starts from the real code.
echo "mutate: rebuilding the unmodified tree"
build_native >/dev/null 2>&1 || true
[ $wasm_built -eq 1 ] && { build_wasm >/dev/null 2>&1 || true; }

if [ "$(git status --porcelain)" != "$status_before" ]; then
  echo "mutate: the tree changed during the run (another process?):" >&2
  git status --porcelain >&2
fi

echo
printf '%-36s %-9s %-56s %6s\n' mutation result "caught by" time
for r in "${rows[@]}"; do echo "$r"; done
echo
if [ $counted -gt 0 ]; then
  echo "score: $caught of $counted caught ($((caught * 100 / counted))%), $survived survived, $stale stale; $((SECONDS - t_all))s"
else
  echo "score: nothing applicable ran ($stale stale)"
fi
echo "logs: $OUT/<mutation>.log"
[ $stale -eq 0 ] || echo "stale: plant the same bug again against the current code (git diff > its patch)"
[ $survived -eq 0 ] && [ $stale -eq 0 ]
