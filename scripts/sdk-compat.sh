#!/usr/bin/env bash
# Runs the SDK tutorial's flow with upstream's generated Python client against a fresh
# console-server (the binary in $1), on a free loopback port. The venv is kept in target/ and
# only installed once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
server="$1"
venv="$root/target/sdk-compat-venv"
requirements="$root/scripts/sdk-compat/requirements.txt"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
  echo "sdk-compat: installing upstream's Python SDK client into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi

log="$(mktemp)"
"$server" --listen 127.0.0.1:0 --backup-rate 10GiB --log warn >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  addr="$(sed -n 's/^console-server listening on http:\/\///p' "$log")"
  [[ -n "$addr" ]] && break
  sleep 0.1
done
[[ -n "${addr:-}" ]] || { echo "sdk-compat: console-server did not start:"; cat "$log"; exit 1; }
"$venv/bin/python" "$root/scripts/sdk-compat/tutorial.py" "$addr"
