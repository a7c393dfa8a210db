#!/usr/bin/env bash
# Prints the size of what each entry ships to run (wasm + JS), raw and gzip -9, against its
# budget: the whole package (`waonboard`: clients, flows, prepare/parse) 96 KB gzipped, the
# forms entry (`waonboard/forms`: validation, prepare/parse, no client) 40 KB gzipped.
# `--enforce` (or WAONBOARD_SIZE_ENFORCE=1) fails when one is over its budget.
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$npm_dir"
over=0

# report TITLE BUDGET_BYTES WASM JS...
report() {
  local title=$1 budget=$2 wasm=$3
  shift 3
  local total_raw=0 total_gz=0 f raw gz
  printf '\n%s\n%-28s %10s %10s\n' "$title" file raw gzip-9
  for f in "$wasm" "$@"; do
    [[ -f $f ]] || { echo "size.sh: $f is missing: run scripts/build.sh first" >&2; exit 1; }
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
    printf '%-28s %10d %10d\n' "$f" "$raw" "$gz"
  done
  printf '%-28s %10d %10d\n' "(all JS)" "$((total_raw - $(wc -c <"$wasm")))" "$((total_gz - $(gzip -9 -c "$wasm" | wc -c)))"
  printf '%-28s %10d %10d\n' total "$total_raw" "$total_gz"
  # What dominates the wasm: its code and data sections (per-function figures need a
  # build with names, e.g. twiggy on the cargo artifact).
  node -e '
    const zlib = require("node:zlib");
    const wasm = require("node:fs").readFileSync(process.argv[1]);
    const names = { 10: "(wasm code section)", 11: "(wasm data section)" };
    let at = 8;
    const leb = () => { let n = 0, shift = 0, b; do { b = wasm[at++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80); return n; };
    while (at < wasm.length) {
      const id = wasm[at++], size = leb();
      if (names[id]) {
        const gz = zlib.gzipSync(wasm.subarray(at, at + size), { level: 9 }).length;
        console.log(names[id].padEnd(28) + String(size).padStart(11) + String(gz).padStart(11));
      }
      at += size;
    }' "$wasm"
  local ratio
  ratio=$(awk -v a="$total_gz" -v b="$budget" 'BEGIN { printf "%.2f", a / b }')
  if ((total_gz <= budget)); then
    printf 'within the budget: %d of %d bytes gzipped (%sx)\n' "$total_gz" "$budget" "$ratio"
  else
    printf 'OVER the budget: %d of %d bytes gzipped (+%d, %sx)\n' "$total_gz" "$budget" "$((total_gz - budget))" "$ratio"
    over=1
  fi
}

report "waonboard (the whole package: clients, flows, prepare/parse)" $((96 * 1024)) \
  wasm/waonboard_bg.wasm wasm/waonboard.js lib/base.js lib/api.js lib/operations.js index.js index.node.js
report "waonboard/forms (validation, prepare/parse; no client)" $((40 * 1024)) \
  wasm/waonboard_forms_bg.wasm wasm/waonboard_forms.js lib/base.js lib/forms.js forms.js forms.node.js

# The sandbox (`waonboard/sandbox`, Node only) ships beside them: its own wasm module and
# JS, which the main and browser entries never load, so it is in neither total.
sandbox_raw=0 sandbox_gz=0
for f in wasm/waonboard_sim_bg.wasm wasm/waonboard_sim.js sandbox.js bin/waonboard-sandbox.js; do
  [[ -f $f ]] || { echo "size.sh: $f is missing: run scripts/build.sh first" >&2; exit 1; }
  sandbox_raw=$((sandbox_raw + $(wc -c <"$f"))) sandbox_gz=$((sandbox_gz + $(gzip -9 -c "$f" | wc -c)))
done
printf '\n%-28s %10d %10d\n' "(sandbox, not loaded)" "$sandbox_raw" "$sandbox_gz"

if ((over)) && [[ ${1:-} == --enforce || ${WAONBOARD_SIZE_ENFORCE:-} == 1 ]]; then exit 1; fi
