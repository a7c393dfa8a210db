//! cargo-fuzz target: `waonboard_fuzz::flow_state` on libFuzzer's inputs (`tools/fuzz flow_state`).

#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| waonboard_fuzz::flow_state(data));

#[cfg(not(fuzzing))]
fn main() {
    waonboard_fuzz::run_files(waonboard_fuzz::flow_state);
}
