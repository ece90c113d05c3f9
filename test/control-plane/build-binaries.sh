#!/usr/bin/env bash
# Builds the control-plane binaries (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd, kwok) and, on request, the official kubectl-argo-rollouts plugin, from the Go
# module proxy into a cache outside the repository, one directory per component and version.
# A component whose directory is complete is reused; each is built into a temporary directory
# and renamed into place, so an interrupted build never leaves a cache that looks complete.
#
# Usage: build-binaries.sh [control-plane|argo-plugin|all] (default control-plane)
# Prints the directories to put on PATH, one per line, on file descriptor 3 if it is open.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

CACHE=${ROLLOUT_KIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-kit}
export GOFLAGS=-modcacherw GOWORK=off CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$CACHE/bin" "$CACHE/src" "$CACHE/logs"

say() { printf '[binaries] %s\n' "$*" >&2; }

require_go() {
  command -v go >/dev/null || { say "Go is not on PATH; Go 1.26 or later is required"; exit 1; }
  local v; v=$(go env GOVERSION); v=${v#go}
  local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  if (( major < 1 || (major == 1 && minor < 26) )); then
    say "Go $v is too old; Kubernetes ${KUBERNETES_VERSION} needs Go 1.26 or later"; exit 1
  fi
}

# Runs a long command with its output in a log file, printing a heartbeat every 30 s so a cold
# build never looks hung, and the log's tail if it fails.
run_logged() {
  local label=$1 log=$2; shift 2
  local start=$SECONDS
  "$@" >>"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && say "  ... $label ($((SECONDS - start)) s so far)"
  done
  if ! wait "$pid"; then
    say "FAILED: $label; last lines of $log:"
    tail -n 40 "$log" >&2
    exit 1
  fi
  say "  done: $label in $((SECONDS - start)) s"
}

# Reads a module's go.mod (downloaded from the proxy) as JSON.
gomod_json() { go mod edit -json "$(go mod download -json "$1" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")).GoMod)')"; }

complete_dir() { # dir stamp binaries...
  local dir=$1 stamp=$2; shift 2
  [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ] || return 1
  for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
}

build_kubernetes() {
  local v=$KUBERNETES_VERSION dir="$CACHE/bin/kubernetes-$KUBERNETES_VERSION"
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  if complete_dir "$dir" "$v" "${bins[@]}" && "$dir/kube-apiserver" --version | grep -qx "Kubernetes $v"; then
    say "reusing cached Kubernetes $v binaries in $dir"; echo "$dir" >&3; return
  fi
  say "building Kubernetes $v (cold build: about 5 minutes on 2 cores, more with a cold Go module cache)"
  local src="$CACHE/src/kubernetes-$v" log="$CACHE/logs/kubernetes-$v.log" tmp="$dir.tmp.$$"
  : >"$log"; rm -rf "$src"; mkdir -p "$src"; cd "$src"
  go mod init rolloutkit.local/kubernetes-bins >>"$log" 2>&1
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging with
  # replace directives, which only the main module may use. Map each to its published tag.
  local minor_patch=${v#v1.}
  local staging
  staging=$(gomod_json "k8s.io/kubernetes@$v" | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of m.Replace || []) if (r.New.Path.startsWith("./staging/")) console.log(r.Old.Path);')
  [ -n "$staging" ] || { say "found no staging modules in k8s.io/kubernetes@$v go.mod"; exit 1; }
  say "  mapping $(echo "$staging" | wc -l) staging modules to v0.$minor_patch"
  while read -r mod; do go mod edit -replace "$mod=$mod@v0.$minor_patch"; done <<<"$staging"
  local godebug
  godebug=$(gomod_json "k8s.io/kubernetes@$v" | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const g of m.Godebug || []) console.log(g.Key + "=" + g.Value);')
  for g in $godebug; do go mod edit -godebug="$g"; done
  local cmds=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
              k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  run_logged "downloading Kubernetes $v modules" "$log" go get "${cmds[@]/%/@$v}"
  local ldf="-s -w" date; date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local major=${v#v}; major=${major%%.*}; local minor=${v#v*.}; minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  rm -rf "$tmp"; mkdir -p "$tmp"
  run_logged "compiling kube-apiserver, kube-controller-manager, kube-scheduler, kubectl" "$log" \
    go build -p 2 -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ldf" -o "$tmp/" "${cmds[@]}"
  echo "$v" >"$tmp/.stamp"; rm -rf "$dir"; mv "$tmp" "$dir"
  "$dir/kube-apiserver" --version >&2
  echo "$dir" >&3
}

build_etcd() {
  local v=$ETCD_VERSION dir="$CACHE/bin/etcd-$ETCD_VERSION"
  if complete_dir "$dir" "$v" etcd; then say "reusing cached etcd $v in $dir"; echo "$dir" >&3; return; fi
  say "building etcd $v"
  local src="$CACHE/src/etcd-$v" log="$CACHE/logs/etcd-$v.log" tmp="$dir.tmp.$$"
  : >"$log"; rm -rf "$src"; mkdir -p "$src"; cd "$src"
  go mod init rolloutkit.local/etcd-bin >>"$log" 2>&1
  # The server module's require lines already name matching sibling versions: no replaces needed.
  run_logged "downloading etcd $v modules" "$log" go get "go.etcd.io/etcd/server/v3@$v"
  rm -rf "$tmp"; mkdir -p "$tmp"
  run_logged "compiling etcd" "$log" go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
  echo "$v" >"$tmp/.stamp"; rm -rf "$dir"; mv "$tmp" "$dir"; echo "$dir" >&3
}

build_kwok() {
  local v=$KWOK_VERSION dir="$CACHE/bin/kwok-$KWOK_VERSION"
  if complete_dir "$dir" "$v" kwok; then say "reusing cached kwok $v in $dir"; echo "$dir" >&3; return; fi
  say "building kwok $v"
  local log="$CACHE/logs/kwok-$v.log" tmp="$dir.tmp.$$"
  : >"$log"; rm -rf "$tmp"; mkdir -p "$tmp"
  run_logged "compiling kwok" "$log" env GOBIN="$tmp" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$v"
  echo "$v" >"$tmp/.stamp"; rm -rf "$dir"; mv "$tmp" "$dir"; echo "$dir" >&3
}

build_argo_plugin() {
  local v=$ARGO_ROLLOUTS_VERSION dir="$CACHE/bin/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
  if complete_dir "$dir" "$v" kubectl-argo-rollouts; then
    say "reusing cached kubectl-argo-rollouts $v in $dir"; echo "$dir" >&3; return
  fi
  say "building the official kubectl-argo-rollouts $v plugin"
  local src="$CACHE/src/argo-rollouts-$v" log="$CACHE/logs/argo-rollouts-$v.log" tmp="$dir.tmp.$$"
  : >"$log"; rm -rf "$src"; mkdir -p "$src"; cd "$src"
  go mod init rolloutkit.local/argo-rollouts-plugin >>"$log" 2>&1
  # Copy every versioned replace of the upstream go.mod: its pins differ from the control plane's.
  local replaces
  replaces=$(gomod_json "github.com/argoproj/argo-rollouts@$v" | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of m.Replace || []) if (r.New.Version)
      console.log(`${r.Old.Path}${r.Old.Version ? "@" + r.Old.Version : ""}=${r.New.Path}@${r.New.Version}`);')
  for r in $replaces; do go mod edit -replace "$r"; done
  run_logged "downloading argo-rollouts $v modules" "$log" \
    go get "github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts@$v"
  rm -rf "$tmp"; mkdir -p "$tmp"
  run_logged "compiling kubectl-argo-rollouts" "$log" go build -p 2 -trimpath \
    -ldflags "-s -w -X github.com/argoproj/argo-rollouts/utils/version.version=$v" \
    -o "$tmp/kubectl-argo-rollouts" github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts
  echo "$v" >"$tmp/.stamp"; rm -rf "$dir"; mv "$tmp" "$dir"; echo "$dir" >&3
}

# Paths go to fd 3 when the caller opened it, else nowhere.
{ true >&3; } 2>/dev/null || exec 3>/dev/null

# One build at a time per cache: a second checkout (or make -j) waits for the first, then reuses
# what it built instead of compiling the same thing again on the same cores.
exec 9>"$CACHE/.build.lock"
if ! flock -n 9; then say "another build is using $CACHE; waiting for it to finish"; flock 9; fi

require_go
case "${1:-control-plane}" in
  control-plane) build_etcd; build_kwok; build_kubernetes ;;
  argo-plugin) build_argo_plugin ;;
  all) build_etcd; build_kwok; build_kubernetes; build_argo_plugin ;;
  *) say "unknown target $1 (control-plane, argo-plugin or all)"; exit 2 ;;
esac
