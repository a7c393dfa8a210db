#!/usr/bin/env bash
# Prints the size of what the package ships to run (wasm + JS), raw and gzip -9, against
# the budget of 64 KB gzipped. `--enforce` (or WAONBOARD_SIZE_ENFORCE=1) fails over budget.
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$npm_dir"
budget=$((64 * 1024))
files=(wasm/waonboard_bg.wasm wasm/waonboard.js lib/api.js lib/operations.js index.js index.node.js)
total_raw=0 total_gz=0
printf '%-24s %10s %10s\n' file raw gzip-9
for f in "${files[@]}"; do
  [[ -f $f ]] || { echo "size.sh: $f is missing: run scripts/build.sh first" >&2; exit 1; }
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  printf '%-24s %10d %10d\n' "$f" "$raw" "$gz"
done
js_raw=$((total_raw - $(wc -c <wasm/waonboard_bg.wasm)))
js_gz=$((total_gz - $(gzip -9 -c wasm/waonboard_bg.wasm | wc -c)))
printf '%-24s %10d %10d\n' "(all JS)" "$js_raw" "$js_gz"
printf '%-24s %10d %10d\n' total "$total_raw" "$total_gz"
# What dominates the wasm: its code and data sections (per-function figures need a build
# with names, e.g. twiggy on target/wasm32-unknown-unknown/wasm-release/waonboard_wasm.wasm).
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
      console.log(names[id].padEnd(24) + String(size).padStart(11) + String(gz).padStart(11));
    }
    at += size;
  }' wasm/waonboard_bg.wasm
# The sandbox (`waonboard/sandbox`, Node only) ships beside it: its own wasm module and JS,
# which the main and browser entries never load, so they are not in the total above.
sandbox_raw=0 sandbox_gz=0
for f in wasm/waonboard_sim_bg.wasm wasm/waonboard_sim.js sandbox.js bin/waonboard-sandbox.js; do
  [[ -f $f ]] || { echo "size.sh: $f is missing: run scripts/build.sh first" >&2; exit 1; }
  sandbox_raw=$((sandbox_raw + $(wc -c <"$f"))) sandbox_gz=$((sandbox_gz + $(gzip -9 -c "$f" | wc -c)))
done
printf '%-24s %10d %10d\n' "(sandbox, not loaded)" "$sandbox_raw" "$sandbox_gz"
if ((total_gz <= budget)); then
  printf 'within the budget: %d of %d bytes gzipped\n' "$total_gz" "$budget"
else
  printf 'OVER the budget: %d of %d bytes gzipped (+%d)\n' "$total_gz" "$budget" "$((total_gz - budget))"
  if [[ ${1:-} == --enforce || ${WAONBOARD_SIZE_ENFORCE:-} == 1 ]]; then exit 1; fi
fi
