#!/usr/bin/env bash
# Makes (once) the Python venv with upstream's published SDK client, for `make compat` and the
# browser tests that run "Show as code" snippets; prints its folder. Kept in target/, and made
# again when scripts/sdk-compat/requirements.txt changes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/sdk-compat-venv"
requirements="$root/scripts/sdk-compat/requirements.txt"
if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
  echo "sdk-venv: installing upstream's Python SDK client into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/requirements.txt"
fi
echo "$venv"
