#!/usr/bin/env bash
# Builds lua-runner (main.go beside this script: Argo CD's Lua, gopher-lua, run on one object)
# into $CACHE/bin/lua-runner-<version>/, fetching gopher-lua from the Go module proxy. A complete
# directory is reused; the build goes to a temporary directory renamed into place, so an
# interrupted build never looks complete. Prints the binary's path on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# The gopher-lua version Argo CD 3.x uses; the runner's version is tied to it and to main.go.
GOPHER_LUA_VERSION=$(awk '$1 == "require" && $2 == "github.com/yuin/gopher-lua" {print $3}' "$here/go.mod")
source_hash=$(cat "$here/main.go" "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)
version="$GOPHER_LUA_VERSION-$source_hash"

CACHE=${ROLLOUT_KIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-kit}
dir="$CACHE/bin/lua-runner-$version"
if [ -x "$dir/lua-runner" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$version" ]; then
  echo "$dir/lua-runner"
  exit 0
fi
command -v go >/dev/null || { echo "lua-runner: Go is not on PATH" >&2; exit 1; }
mkdir -p "$CACHE/bin"
tmp="$dir.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
(
  cd "$here"
  GOFLAGS="-modcacherw -mod=readonly" GOWORK=off CGO_ENABLED=0 GOTOOLCHAIN=local \
    go build -trimpath -o "$tmp/lua-runner" .
) >&2
echo "$version" >"$tmp/.stamp"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "$dir/lua-runner"
