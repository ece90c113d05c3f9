#!/bin/sh
# Makes `rk` usable as `kubectl rk`: links kubectl-rk (and rk) in DIR (default ~/.local/bin)
# to the CLI's entry point. No global install; remove the links to undo. Needs Node 24 on PATH.
set -eu
dir="${1:-$HOME/.local/bin}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dir"
ln -sf "$here/rk.ts" "$dir/kubectl-rk"
ln -sf "$here/rk.ts" "$dir/rk"
echo "linked $dir/kubectl-rk and $dir/rk -> $here/rk.ts"
case ":$PATH:" in *":$dir:"*) ;; *) echo "add $dir to PATH to use 'kubectl rk'" ;; esac
