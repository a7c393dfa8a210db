#!/usr/bin/env bash
# Builds the package's runtime into npm/wasm/ (and copies the licences into npm/): the bindings-wasm crate with the workspace's
# `wasm-release` profile, wasm-bindgen (--target web: one ES module that browsers, bundlers
# and Node all load), then wasm-opt -Oz. Needs wasm-bindgen 0.2.130 (.tools/cargo/bin or
# PATH) and npm's binaryen (npm/node_modules); tools/test-js installs both.
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$npm_dir")
out="$npm_dir/wasm"

wasm_bindgen="$root/.tools/cargo/bin/wasm-bindgen"
[[ -x $wasm_bindgen ]] || wasm_bindgen=$(command -v wasm-bindgen)
wasm_opt="$npm_dir/node_modules/.bin/wasm-opt"

# The artifact's path comes from cargo itself, so CARGO_TARGET_DIR (if set) is honoured.
wasm=$(cd "$root" && cargo build -p waonboard-wasm --target wasm32-unknown-unknown --profile wasm-release \
  --locked --message-format=json-render-diagnostics |
  node -e '
    let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      for (const line of text.split("\n")) {
        const m = line && JSON.parse(line);
        if (m && m.reason === "compiler-artifact" && m.target.name === "waonboard_wasm")
          for (const f of m.filenames) if (f.endsWith(".wasm")) console.log(f);
      }
    });')
[[ -f $wasm ]] || { echo "build.sh: cargo produced no waonboard_wasm.wasm" >&2; exit 1; }

# The licences travel in the tarball; the root's are the one copy kept in git.
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$npm_dir/"

# wasm-bindgen and wasm-opt take ~20 s; skip them when the module has not changed.
stamp="$(sha256sum "$wasm" | cut -d' ' -f1) $($wasm_bindgen --version) $("$wasm_opt" --version)"
if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" && -f $out/waonboard_bg.wasm && -f $out/waonboard.js ]]; then
  echo "build.sh: npm/wasm is up to date"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# No strip in the profile (it would drop target_features, which wasm-opt needs); the name
# and producers sections go here instead.
"$wasm_bindgen" --target web --out-name waonboard --no-typescript \
  --remove-name-section --remove-producers-section --out-dir "$tmp" "$wasm"
"$wasm_opt" -Oz --strip-debug --strip-producers "$tmp/waonboard_bg.wasm" -o "$tmp/waonboard_bg.wasm"
mkdir -p "$out"
cp "$tmp/waonboard_bg.wasm" "$tmp/waonboard.js" "$out/"
echo "$stamp" >"$out/.stamp"
echo "build.sh: built npm/wasm from $wasm"
