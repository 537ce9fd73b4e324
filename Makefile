# OpenStorage Console. `make run` and `make test` install what is missing (scripts/setup.sh),
# so both work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Tools installed by scripts/setup.sh: cargo-installed trunk, wasm-bindgen and wasm-split-cli,
# npm's wasm-opt and esbuild.
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/scripts/wasm-opt/node_modules/.bin:$(PATH)
# Trunk must never download tools or check for updates: only package registries are reachable.
export TRUNK_OFFLINE := true
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
# The wasm names files in its panic locations, some by absolute path (generated code under
# target/): without the checkout's own path the app's bytes, and so its size budget, are the same
# wherever the repository is cloned. Cargo adds this to .cargo/config.toml's wasm32 rustflags.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := --remap-path-prefix=$(CURDIR)/=

LISTEN ?= 127.0.0.1:9100
SERVER_RELEASE := target/release/console-server
SERVER_DEBUG := target/debug/console-server

.PHONY: setup app server build run run-sso run-prometheus test test-native lint rules compat e2e size budget bench bench-ui bench-load bench-history screenshots clean-dist

setup:
	bash scripts/setup.sh

## The web app, release build (size-tuned profile, wasm-opt) into dist/.
app: setup
	trunk build --release

server:
	cargo build --release -p console-server

## Release app into dist/ and release target/release/console-server.
build: app server

## Serve the console with the built-in mock cluster; ARGS adds console-server flags, e.g.
## `make run ARGS="--mock prod --mock dr"` for two clusters.
ARGS ?=
run: build
	@echo "OpenStorage Console: http://$(LISTEN)"
	$(SERVER_RELEASE) --listen $(LISTEN) --ui dist $(ARGS)

## The console with single sign-on: a test OpenID provider (users alice, bob and admin, any
## password) on 127.0.0.1:$(IDP_PORT) and the built-in mock trusting it.
IDP_PORT ?= 9101
run-sso: build
	bash scripts/run-sso.sh $(SERVER_RELEASE) $(LISTEN) $(IDP_PORT) $(ARGS)

## The console with its history in Prometheus (Debian's, from make setup) on 127.0.0.1:$(PROM_PORT),
## scraping console-server's /metrics on 127.0.0.1:$(METRICS_PORT); the data stays in $(PROM_DATA).
PROM_PORT ?= 9090
METRICS_PORT ?= 9102
PROM_DATA ?= $(HOME)/.local/share/openstorage-console/prometheus
run-prometheus: build
	bash scripts/run-prometheus.sh $(SERVER_RELEASE) $(LISTEN) $(PROM_PORT) $(METRICS_PORT) $(PROM_DATA) $(ARGS)

## Every test: formatting and lints, the alert rules, native tests, SDK compatibility, the app's
## size budget, then the browser tests.
test: setup lint rules test-native compat budget e2e

test-native:
	cargo test --workspace

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p openstorage-console --target wasm32-unknown-unknown -- -D warnings

## The alert rules that ship (deploy/prometheus/), checked and unit-tested with Debian's promtool.
rules: setup
	promtool check rules deploy/prometheus/console-rules.yml
	cd deploy/prometheus && promtool test rules console-rules.test.yml

## The SDK tutorial's flow with upstream's generated Python client (from PyPI) against the mock.
compat:
	cargo build -p console-server
	bash scripts/sdk-compat.sh $(CURDIR)/$(SERVER_DEBUG)

## Browser tests: Playwright + Debian Chromium against a real console-server (debug build).
e2e: setup app
	cargo build -p console-server
	venv="$$(bash scripts/sdk-venv.sh)" && cd e2e && SDK_PYTHON="$$venv/bin/python" \
		CONSOLE_SERVER=$(CURDIR)/$(SERVER_DEBUG) UI_DIR=$(CURDIR)/dist npm test

## Raw and gzip sizes of the built wasm and JS.
size: app
	bash scripts/size.sh dist

## The app's bytes over the wire (brotli), on a first visit and on a first visit straight to each
## screen, against its budget in scripts/app-budget.
budget: app
	node scripts/budget.mjs dist

## Server throughput (calls/s with concurrent native gRPC clients), then the load test (500
## native + 500 gRPC-Web clients for 30 s, mock and gateway); see docs/measurements.md.
bench: setup app
	cargo bench -p console-server --bench throughput
	cargo bench -p console-server --bench load
	$(MAKE) bench-ui
	$(MAKE) bench-load
	$(MAKE) bench-history

## The Volumes page with 100,000 volumes in headless Chromium, mock and --upstream (see docs/measurements.md).
bench-ui: setup app
	cargo build --release -p console-server
	cd e2e && CONSOLE_SERVER=$(CURDIR)/target/release/console-server UI_DIR=$(CURDIR)/dist node bench/volumes.bench.mjs

## First and cached visit in Chromium throttled to 10 Mbit/s, 40 ms RTT, CPU x4 (see docs/measurements.md).
bench-load: setup app
	cargo build --release -p console-server
	cd e2e && CONSOLE_SERVER=$(CURDIR)/target/release/console-server UI_DIR=$(CURDIR)/dist node bench/load.bench.mjs

## Charts from Prometheus against the hour in memory: first paint at 1 h and 7 d, and what 10 tabs
## cost Prometheus and console-server (a real Prometheus seeded with 7 days).
bench-history: setup app
	cargo build --release -p console-server
	cd e2e && CONSOLE_SERVER=$(CURDIR)/target/release/console-server UI_DIR=$(CURDIR)/dist node bench/history.bench.mjs

## The README's pictures (docs/images/) from a real browser run against the built-in mock.
screenshots: setup app
	cargo build --release -p console-server
	cd e2e && CONSOLE_SERVER=$(CURDIR)/target/release/console-server UI_DIR=$(CURDIR)/dist \
		OUT=$(CURDIR)/docs/images node screenshots.mjs
