//! uniffi's own generator, pinned to the runtime version the bindings link against.

fn main() {
    uniffi::uniffi_bindgen_main()
}
