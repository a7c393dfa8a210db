//! cargo-fuzz target: `waonboard_fuzz::prepare` on libFuzzer's inputs (`tools/fuzz prepare`).

#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| waonboard_fuzz::prepare(data));

#[cfg(not(fuzzing))]
fn main() {
    waonboard_fuzz::run_files(waonboard_fuzz::prepare);
}
