#!/usr/bin/env bash
# Prints the raw and gzip (-9) sizes of the built app's wasm and JS: the main module, the loader,
# and every screen's module and shared chunk (scripts/budget.mjs counts what each visit fetches).
set -euo pipefail
dist=${1:-dist}
printf '%-48s %12s %12s\n' file raw gzip
total_raw=0; total_gz=0
for f in "$dist"/app-*/*.wasm "$dist"/app-*/*.js; do
  [ -e "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %12d %12d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %12d %12d\n' total "$total_raw" "$total_gz"
