#!/bin/sh
# Builds the libFuzzer targets (preset `fuzz`, build dir build/fuzz) and runs each for SECONDS,
# starting from the committed seeds in tests/fuzz/corpus/<target>/. Prints the executions per
# target; exits non-zero if any target crashes (the crashing input is kept in build/fuzz/).
#
#   tests/fuzz/run.sh 60
set -eu

seconds=${1:?usage: tests/fuzz/run.sh SECONDS}
case $seconds in
  '' | *[!0-9]*) echo "SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
targets="fuzz_credentials fuzz_answers fuzz_sign_json"

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j2 --target $targets

failed=0
for target in $targets; do
  # New inputs the fuzzer finds go to a scratch folder, never into the committed seeds.
  scratch=$(mktemp -d)
  log=build/fuzz/$target.log
  if build/fuzz/bin/$target -max_total_time="$seconds" -max_len=16384 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/$target-" \
      "$scratch" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    result=ok
  else
    result=CRASHED
    failed=1
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "$target: ${executions:-?} executions in ${seconds} s: $result"
  if [ "$result" != ok ]; then
    grep -E 'ERROR|SUMMARY|Test unit written|artifact' "$log" | head -n 20 >&2 || true
  fi
  rm -rf "$scratch"
done
exit $failed
