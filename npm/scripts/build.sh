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

# The artifacts' paths come from cargo itself, so CARGO_TARGET_DIR (if set) is honoured.
# Two modules: the library (bindings-wasm) and the sandbox's simulator (simulator/wasm),
# kept apart so that the main and browser entries never load the simulator.
artifacts=$(cd "$root" && cargo build -p waonboard-wasm -p waonboard-sim-wasm --target wasm32-unknown-unknown \
  --profile wasm-release --locked --message-format=json-render-diagnostics |
  node -e '
    let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      for (const line of text.split("\n")) {
        const m = line && JSON.parse(line);
        if (m && m.reason === "compiler-artifact" && ["waonboard_wasm", "waonboard_sim_wasm"].includes(m.target.name))
          for (const f of m.filenames) if (f.endsWith(".wasm")) console.log(m.target.name + " " + f);
      }
    });')

# The licences travel in the tarball; the root's are the one copy kept in git.
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$npm_dir/"
mkdir -p "$out"

# build <crate target name> <output name>: wasm-bindgen, then wasm-opt -Oz, into npm/wasm/.
build() {
  local wasm
  wasm=$(sed -n "s/^$1 //p" <<<"$artifacts")
  [[ -f $wasm ]] || { echo "build.sh: cargo produced no $1.wasm" >&2; exit 1; }
  # wasm-bindgen and wasm-opt take ~20 s; skip them when the module has not changed.
  local stamp="$(sha256sum "$wasm" | cut -d' ' -f1) $($wasm_bindgen --version) $("$wasm_opt" --version)"
  if [[ -f $out/.stamp-$2 && $(cat "$out/.stamp-$2") == "$stamp" && -f $out/$2_bg.wasm && -f $out/$2.js ]]; then
    echo "build.sh: npm/wasm/$2 is up to date"
    return
  fi
  local tmp
  tmp=$(mktemp -d)
  # No strip in the profile (it would drop target_features, which wasm-opt needs); the name
  # and producers sections go here instead.
  "$wasm_bindgen" --target web --out-name "$2" --no-typescript \
    --remove-name-section --remove-producers-section --out-dir "$tmp" "$wasm"
  "$wasm_opt" -Oz --strip-debug --strip-producers "$tmp/$2_bg.wasm" -o "$tmp/$2_bg.wasm"
  cp "$tmp/$2_bg.wasm" "$tmp/$2.js" "$out/"
  rm -rf "$tmp"
  echo "$stamp" >"$out/.stamp-$2"
  echo "build.sh: built npm/wasm/$2 from $wasm"
}
build waonboard_wasm waonboard
build waonboard_sim_wasm waonboard_sim
