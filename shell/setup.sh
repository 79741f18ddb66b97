#!/usr/bin/env bash
# Installs everything dypls-console needs on a fresh Debian 12 machine, using only Debian's
# and npm's registries. Idempotent: a second run with everything present takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "run as root or install sudo: packages must be installed with apt-get"
  SUDO="sudo"
fi

DEB_PACKAGES=(
  build-essential cmake ninja-build pkg-config git dpkg-dev
  clang clang-tidy clang-format libclang-rt-14-dev
  emscripten
  nlohmann-json3-dev libgtest-dev libssl-dev libboost-dev zlib1g-dev libbrotli-dev
  python3 python3-fonttools fonts-wqy-microhei
  chromium
  nodejs npm
  wrk nginx-light curl openssl
  brotli
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  # nodejs/npm may come from elsewhere on developer machines; accept the commands.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# A deb-src entry for bookworm main, reusing the mirror the machine already uses for binaries.
SRC_LIST=/etc/apt/sources.list.d/dypls-deb-src.sources
need_update=0
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || die "cannot find the Debian mirror in /etc/apt: add a deb-src line for bookworm main by hand"
  say "adding a deb-src entry for bookworm main ($SRC_LIST)"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" | $SUDO tee "$SRC_LIST" >/dev/null
  need_update=1
fi

# Debian 13's source packages (never its binaries) carry imgui 1.90.1: a second deb-src stanza.
SRC_TRIXIE=/etc/apt/sources.list.d/dypls-deb-src-trixie.sources
if ! grep -rqs '^Suites:.*trixie' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src .* trixie' /etc/apt/sources.list; then
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || die "cannot find the Debian mirror in /etc/apt: add a deb-src line for trixie main by hand"
  say "adding a deb-src entry for trixie main ($SRC_TRIXIE; source packages only)"
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" | $SUDO tee "$SRC_TRIXIE" >/dev/null
  need_update=1
fi

if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
  say "apt-get update"
  $SUDO apt-get update -qq || die "apt-get update failed: is Debian's package archive reachable?"
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  log=$(mktemp)
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >"$log" 2>&1; then
    tail -20 "$log" >&2
    die "apt-get install failed for: ${missing[*]}"
  fi
  rm -f "$log"
fi

# Sources of Dear ImGui and mbedTLS for the wasm build, from Debian's source packages.
mkdir -p third_party
fetch_source() { # name expected-version-prefix target-dir [suite]
  local name=$1 want=$2 dir=$3 suite=${4:-}
  if [ -f "third_party/$dir/.dypls-ok" ]; then return; fi
  say "unpacking Debian source package $name into third_party/$dir"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq "$name${suite:+/$suite}" >/dev/null 2>"$tmp/err") \
    || { cat "$tmp/err" >&2; die "apt-get source $name failed (needs the deb-src entry and dpkg-dev)"; }
  local got; got=$(find "$tmp" -maxdepth 1 -mindepth 1 -type d -name "$name-*" | head -1)
  [ -n "$got" ] || die "apt-get source $name produced no source tree"
  case "$(basename "$got")" in
    "$name-$want"*) ;;
    *) die "expected $name $want, got $(basename "$got"): the build is pinned to that version" ;;
  esac
  rm -rf "third_party/$dir"
  mv "$got" "third_party/$dir"
  touch "third_party/$dir/.dypls-ok"
  rm -rf "$tmp"
}
fetch_source imgui 1.90.1 imgui-1.90 trixie
fetch_source mbedtls 3.6 mbedtls-3.6 trixie  # 3.6 LTS: 2.28 reached its end of life in 2024

# Test tools from npm, pinned by the committed lockfile.
if [ -f tests/package-lock.json ]; then
  if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
    say "npm ci (test tools: playwright-core and the vendor's signers)"
    (cd tests && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tests/"
  fi
fi
# Build tools from npm, pinned by the committed lockfile: google-closure-compiler for emcc's
# --closure 1 (src/console/page.cmake finds it in tools/node_modules).
if [ ! -d tools/node_modules ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "npm ci (build tools: google-closure-compiler)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tools/"
fi
say "ready"
