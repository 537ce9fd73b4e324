#!/usr/bin/env bash
# The app's size budget: the bytes a browser fetches on a first visit (the brotli copies of the
# HTML, JS, CSS and wasm that trunk's build wrote to dist/) against the number in
# scripts/app-budget. Part of `make test`; fails when the app grew past it.
set -euo pipefail
dist=${1:-dist}
budget_file="$(dirname "$0")/app-budget"
budget=$(grep -v '^#' "$budget_file" | tr -d '[:space:]')
total=0
printf '%-48s %10s\n' "file (brotli, as sent)" bytes
for f in "$dist"/index.html.br "$dist"/*.js.br "$dist"/*.css.br "$dist"/*.wasm.br; do
  [ -e "$f" ] || { echo "budget: $f is missing; build the app first (make app)" >&2; exit 1; }
  size=$(stat -c %s "$f")
  total=$((total + size))
  printf '%-48s %10d\n' "$(basename "$f")" "$size"
done
printf '%-48s %10d of %d\n' total "$total" "$budget"
if [ "$total" -gt "$budget" ]; then
  cat >&2 <<MSG
budget: the app is $total bytes brotli, over its budget of $budget bytes (scripts/app-budget).
Every screen pays for itself: find what grew (see the README's Measurements for how). If the
growth is deliberate, record the before and after figures in the README's Measurements and
raise the number in scripts/app-budget in the same commit.
MSG
  exit 1
fi
