#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser test (test/browser/). playwright-core
# drives it through its executablePath; Playwright's own browser downloads are never used.
# Installs with apt-get only when /usr/bin/chromium is missing, and says what it does.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "[ensure-chromium] $CHROMIUM present: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')"
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "[ensure-chromium] $CHROMIUM is missing and this user cannot run apt-get (not root, no sudo)" >&2
    exit 1
  fi
fi

echo "[ensure-chromium] $CHROMIUM is missing: running apt-get update"
"${SUDO[@]}" apt-get update -q
echo "[ensure-chromium] installing Debian's chromium with apt-get"
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "[ensure-chromium] apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "[ensure-chromium] installed: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')"
