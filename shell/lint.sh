#!/usr/bin/env bash
# clang-format check and the clang-tidy profile (.clang-tidy) on our own sources in src/.
#   shell/lint.sh format   fails if any file differs from .clang-format
#   shell/lint.sh tidy     runs clang-tidy on src/ (native files with build/native, wasm-only with build/wasm)
#   shell/lint.sh fix      rewrites files with clang-format
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-format}
mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h')
case "$mode" in
  format)
    clang-format --dry-run -Werror "${sources[@]}" && echo "clang-format: ${#sources[@]} files clean" ;;
  fix)
    clang-format -i "${sources[@]}" ;;
  tidy)
    native_db=build/native/compile_commands.json
    wasm_db=build/wasm/compile_commands.json
    for db in "$native_db" "$wasm_db"; do
      [ -f "$db" ] || { echo "no $db: build the native and wasm presets first"; exit 1; }
    done
    mapfile -t units < <(git ls-files 'src/*.cpp')
    # Most files build natively; the console's drawing and the browser edges build only for wasm,
    # so they are checked with the wasm database against Emscripten's sysroot.
    native=() wasm=()
    for f in "${units[@]}"; do
      if grep -q "\"file\": \".*/$f\"" "$native_db"; then native+=("$f"); else wasm+=("$f"); fi
    done
    sysroot=/usr/share/emscripten/cache/sysroot
    wasm_args=(--extra-arg=--target=wasm32-unknown-emscripten --extra-arg=-nostdinc++
               "--extra-arg=-isystem$sysroot/include/c++/v1"
               "--extra-arg=-isystem$sysroot/include/compat" "--extra-arg=-isystem$sysroot/include")
    echo "clang-tidy on ${#native[@]} native and ${#wasm[@]} wasm-only files"
    status=0
    printf '%s\n' "${native[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build/native --quiet \
      2>/dev/null || status=1
    printf '%s\n' "${wasm[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build/wasm --quiet \
      "${wasm_args[@]}" 2>/dev/null || status=1
    [ $status -eq 0 ] && echo "clang-tidy: clean"
    exit $status
    ;;
  *) echo "usage: shell/lint.sh format|tidy|fix"; exit 2 ;;
esac
