#!/usr/bin/env bash
# clang-format check and the clang-tidy profile (.clang-tidy) on our own sources in src/.
#   shell/lint.sh format   fails if any file differs from .clang-format
#   shell/lint.sh tidy     runs clang-tidy with build/native/compile_commands.json
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
    db=build/native/compile_commands.json
    [ -f "$db" ] || { echo "no $db: build the native preset first"; exit 1; }
    mapfile -t units < <(git ls-files 'src/*.cpp')
    # Files that only build under Emscripten are not in the native database.
    checkable=()
    for f in "${units[@]}"; do grep -q "\"file\": \".*/$f\"" "$db" && checkable+=("$f"); done
    echo "clang-tidy on ${#checkable[@]} files"
    printf '%s\n' "${checkable[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build/native --quiet \
      2>/dev/null
    ;;
  *) echo "usage: shell/lint.sh format|tidy|fix"; exit 2 ;;
esac
