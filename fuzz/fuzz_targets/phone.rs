//! cargo-fuzz target: `waonboard_fuzz::phone` on libFuzzer's inputs (`tools/fuzz phone`).

#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| waonboard_fuzz::phone(data));

#[cfg(not(fuzzing))]
fn main() {
    waonboard_fuzz::run_files(waonboard_fuzz::phone);
}
