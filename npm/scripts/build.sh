#!/usr/bin/env bash
# Builds the package's runtime into npm/wasm/ (and copies the licences into npm/): three
# modules with the workspace's `wasm-release` profile — the whole package (`waonboard`),
# the forms entry's module (`waonboard_forms`: prepare, parse, validation; bindings-wasm
# without its `client` feature) and the sandbox's simulator (`waonboard_sim`, from
# simulator/wasm; kept apart so that the main and browser entries never load it) — each
# through wasm-bindgen
# (--target web: one ES module that browsers, bundlers and Node all load), then
# wasm-opt. Needs wasm-bindgen 0.2.130 (.tools/cargo/bin or PATH) and npm's binaryen
# (npm/node_modules); tools/test-js installs both.
set -euo pipefail
npm_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$npm_dir")
out="$npm_dir/wasm"

wasm_bindgen="$root/.tools/cargo/bin/wasm-bindgen"
[[ -x $wasm_bindgen ]] || wasm_bindgen=$(command -v wasm-bindgen)
wasm_opt="$npm_dir/node_modules/.bin/wasm-opt"
# -Oz, run to a fixed point; Rust never uses the first 1 KB of memory and wasm memory
# starts zeroed, which lets wasm-opt fold addresses and drop zero data (−0.6% gzipped).
wasm_opt_flags=(-Oz --converge --low-memory-unused --zero-filled-memory --strip-debug --strip-producers)

# The licences travel in the tarball; the root's are the one copy kept in git.
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$npm_dir/"
mkdir -p "$out"

# build NAME PACKAGE CARGO_ARGS...: npm/wasm/NAME.js and NAME_bg.wasm from that package.
build() {
  local name=$1 package=$2
  shift 2
  # The artifact's path comes from cargo itself, so CARGO_TARGET_DIR (if set) is
  # honoured. Both bindings-wasm builds write the same file: it is read before the next.
  local wasm
  wasm=$(cd "$root" && cargo build -p "$package" --target wasm32-unknown-unknown --profile wasm-release \
    --locked "$@" --message-format=json-render-diagnostics |
    WASM_TARGET=${package//-/_} node -e '
      let text = "";
      process.stdin.on("data", (d) => (text += d)).on("end", () => {
        for (const line of text.split("\n")) {
          const m = line && JSON.parse(line);
          if (m && m.reason === "compiler-artifact" && m.target.name === process.env.WASM_TARGET)
            for (const f of m.filenames) if (f.endsWith(".wasm")) console.log(f);
        }
      });')
  [[ -f $wasm ]] || { echo "build.sh: cargo produced no ${package//-/_}.wasm" >&2; exit 1; }

  # wasm-bindgen and wasm-opt take ~20 s; skip them when the module has not changed.
  local stamp
  stamp="$(sha256sum "$wasm" | cut -d' ' -f1) $($wasm_bindgen --version) $("$wasm_opt" --version) ${wasm_opt_flags[*]}"
  if [[ -f $out/.$name.stamp && $(cat "$out/.$name.stamp") == "$stamp" && -f $out/${name}_bg.wasm && -f $out/$name.js ]]; then
    echo "build.sh: npm/wasm/$name is up to date"
    return
  fi
  local tmp
  tmp=$(mktemp -d)
  # No strip in the profile (it would drop target_features, which wasm-opt needs); the
  # name and producers sections go here instead.
  "$wasm_bindgen" --target web --out-name "$name" --no-typescript \
    --remove-name-section --remove-producers-section --out-dir "$tmp" "$wasm"
  "$wasm_opt" "${wasm_opt_flags[@]}" "$tmp/${name}_bg.wasm" -o "$tmp/${name}_bg.wasm"
  cp "$tmp/${name}_bg.wasm" "$tmp/$name.js" "$out/"
  # The JS the module imports besides its glue (the client's fetch call; the forms
  # module has none): the glue imports it by this path.
  if [[ -d $tmp/snippets ]]; then
    rm -rf "$out/snippets"
    cp -r "$tmp/snippets" "$out/"
  fi
  rm -rf "$tmp"
  echo "$stamp" >"$out/.$name.stamp"
  echo "build.sh: built npm/wasm/$name from $wasm"
}

build waonboard waonboard-wasm
build waonboard_forms waonboard-wasm --no-default-features
build waonboard_sim waonboard-sim-wasm
