#!/usr/bin/env bash
# Installs what dxday needs from Debian packages (and npm for browser tests), idempotently.
# Usage: scripts/deps.sh [build|test|bench]   — each level includes the ones before it.
set -euo pipefail
level=${1:-build}
build_pkgs=(gcc make pkg-config libc6-dev libmicrohttpd-dev libsqlite3-dev libjansson-dev
            libutf8proc-dev libsodium-dev libzip-dev libxml2-dev libpoppler-glib-dev
            libxlsxwriter-dev libcurl4-openssl-dev libpango1.0-dev librsvg2-dev libqrencode-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libmagic-dev libpq-dev
            fonts-noto-core sqlite3 ca-certificates)
test_pkgs=(libcmocka-dev curl chromium nodejs npm poppler-utils clang libclang-rt-dev zip postgresql)
bench_pkgs=(nginx-light wrk python3 sqlite3)
want=("${build_pkgs[@]}")
case "$level" in
  test)  want+=("${test_pkgs[@]}");;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}");;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may carry Node.js from elsewhere; then Debian's nodejs/npm are not needed.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ $level != build ]]; then
  here=$(cd "$(dirname "$0")/.." && pwd)
  if [ ! -d "$here/tests/node_modules/playwright-core" ]; then
    echo "deps: npm ci (tests)"
    (cd "$here/tests" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
