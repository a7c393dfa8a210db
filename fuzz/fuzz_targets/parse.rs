//! cargo-fuzz target: `waonboard_fuzz::parse` on libFuzzer's inputs (`tools/fuzz parse`).

#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| waonboard_fuzz::parse(data));

#[cfg(not(fuzzing))]
fn main() {
    waonboard_fuzz::run_files(waonboard_fuzz::parse);
}
