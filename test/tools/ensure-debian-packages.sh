#!/usr/bin/env bash
# Makes sure the Debian packages some tests need are installed: Chromium for the browser tests
# (driven by playwright-core through its executablePath; Playwright's own downloads are never
# used), Prometheus for the analysis tests and Redis for the Argo CD tests (both started by the
# tests themselves on 127.0.0.1; the packages' own services are never used), fish for the CLI's
# completion test. Each argument is BINARY=PACKAGE; apt-get runs only when a binary is missing,
# and says what it does.
#   ensure-debian-packages.sh /usr/bin/chromium=chromium /usr/bin/prometheus=prometheus \
#     /usr/bin/fish=fish /usr/bin/redis-server=redis-server
set -euo pipefail

missing=()
for pair in "$@"; do
  binary=${pair%%=*} package=${pair#*=}
  if [ -x "$binary" ]; then
    echo "[packages] $binary present ($package)"
  else
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "[packages] need ${missing[*]} but cannot run apt-get (not root, no sudo)" >&2; exit 1; }
  sudo=(sudo)
fi
echo "[packages] installing Debian's ${missing[*]} with apt-get"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
for pair in "$@"; do
  binary=${pair%%=*}
  [ -x "$binary" ] || { echo "[packages] apt-get finished but $binary is still missing" >&2; exit 1; }
done
echo "[packages] installed ${missing[*]}"
