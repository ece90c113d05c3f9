#!/usr/bin/env bash
# Builds the control-plane binaries (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd, kwok) and, on request, the official kubectl-argo-rollouts plugin and Argo CD's
# multi-call `argocd` binary, from the Go module proxy into a cache outside the repository, one
# directory per component and version.
# A component whose directory is complete is reused; each is built into a temporary directory
# and renamed into place, so an interrupted build never leaves a cache that looks complete.
#
# Usage: build-binaries.sh [control-plane|argo-plugin|argocd|all] (default control-plane)
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

# Files of Argo CD's module that its image ships beside the binary: the CRDs (so the tests install
# exactly this version's) and the Git signature wrappers the repo server runs from PATH.
argocd_module_files() { # version dir
  local moddir
  moddir=$(go mod download -json "github.com/argoproj/argo-cd/v3@$1" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")).Dir)')
  mkdir -p "$2/crds"
  install -m 0644 "$moddir/manifests/crds/application-crd.yaml" "$moddir/manifests/crds/appproject-crd.yaml" \
    "$moddir/manifests/crds/applicationset-crd.yaml" "$2/crds/"
  install -m 0755 "$moddir/hack/git-verify-wrapper.sh" "$moddir/hack/gpg-wrapper.sh" "$2/"
}

build_argocd() {
  local v=$ARGOCD_VERSION dir="$CACHE/bin/argocd-$ARGOCD_VERSION"
  local links=(argocd-server argocd-repo-server argocd-application-controller)
  local stamp="$v gitops-engine ${ARGOCD_GITOPS_ENGINE_VERSION:-$v}"
  if complete_dir "$dir" "$stamp" argocd "${links[@]}" && "$dir/argocd" version --client --short | grep -q "${v}"; then
    say "reusing cached argocd $v in $dir"
    [ -f "$dir/crds/applicationset-crd.yaml" ] && [ -x "$dir/git-verify-wrapper.sh" ] || argocd_module_files "$v" "$dir"
    echo "$dir" >&3; return
  fi
  say "building argocd $v (cold build: about 11 minutes on 2 cores, more with a cold Go module cache)"
  local start=$SECONDS
  local src="$CACHE/src/argocd-$v" log="$CACHE/logs/argocd-$v.log" tmp="$dir.tmp.$$"
  : >"$log"; rm -rf "$src"; mkdir -p "$src"; cd "$src"
  go mod init rolloutkit.local/argocd-bin >>"$log" 2>&1
  # Argo CD's go.mod pins some modules with versioned replaces (copied as they are) and maps its
  # nested gitops-engine module to ./gitops-engine, which only the main module may use: map it to
  # the published version pinned in versions.env (the tag of this release when it has one).
  local engine=${ARGOCD_GITOPS_ENGINE_VERSION:-$v} replaces
  replaces=$(gomod_json "github.com/argoproj/argo-cd/v3@$v" | node -e '
    const [engine] = process.argv.slice(1);
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of m.Replace || []) {
      const old = r.Old.Path + (r.Old.Version ? "@" + r.Old.Version : "");
      if (r.New.Version) console.log(`${old}=${r.New.Path}@${r.New.Version}`);
      else if (/\/gitops-engine(\/v\d+)?$/.test(r.Old.Path)) console.log(`${old}=${r.Old.Path}@${engine}`);
      else { console.error(`unexpected local replace of ${old} in argo-cd go.mod`); process.exit(1); }
    }' "$engine")
  [ -n "$replaces" ] || { say "found no replace directives in argo-cd $v go.mod"; exit 1; }
  say "  copying $(echo "$replaces" | wc -l) replace directives (gitops-engine mapped to $engine)"
  for r in $replaces; do go mod edit -replace "$r"; done
  run_logged "downloading argo-cd $v modules" "$log" go get "github.com/argoproj/argo-cd/v3/cmd@$v"
  local pkg=github.com/argoproj/argo-cd/v3/common client_go
  client_go=$(go list -m k8s.io/client-go | awk '{print $NF}')
  local ldf="-s -w -X $pkg.version=${v#v} -X $pkg.gitTag=$v -X $pkg.gitTreeState=clean"
  ldf="$ldf -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ) -X $pkg.kubectlVersion=$client_go"
  rm -rf "$tmp"; mkdir -p "$tmp"
  # The web UI is built by Argo CD's own JavaScript toolchain and is not in the Go module: the
  # server serves the API, extensions.js and its static-assets directory, which is all tests need.
  run_logged "compiling argocd (one binary for the server, repo server and application controller)" "$log" \
    env GODEBUG=tarinsecurepath=0,zipinsecurepath=0 go build -p 2 -trimpath -ldflags "$ldf" \
    -o "$tmp/argocd" github.com/argoproj/argo-cd/v3/cmd
  # The binary picks its role from the name it was started under.
  for l in "${links[@]}"; do ln -s argocd "$tmp/$l"; done
  argocd_module_files "$v" "$tmp"
  echo "$stamp" >"$tmp/.stamp"; rm -rf "$dir"; mv "$tmp" "$dir"
  say "argocd $v ready in $((SECONDS - start)) s: $("$dir/argocd" version --client --short)"
  echo "$dir" >&3
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
  argocd) build_argocd ;;
  all) build_etcd; build_kwok; build_kubernetes; build_argo_plugin; build_argocd ;;
  *) say "unknown target $1 (control-plane, argo-plugin, argocd or all)"; exit 2 ;;
esac
