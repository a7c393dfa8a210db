//! Replays every committed corpus file and crash regression of every fuzz target on stable
//! Rust (the fuzzers run on nightly through `tools/fuzz`), so an input that once crashed
//! keeps passing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::path::{Path, PathBuf};

/// Fewer files than this means the corpus went missing, not that it passed.
const MIN_FILES: usize = 10;

#[test]
fn every_corpus_file_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (target, body) in waonboard_fuzz::TARGETS {
        let files = files_in(&root.join("corpus").join(target));
        let regressions = files_in(&root.join("regressions").join(target));
        for file in files.iter().chain(&regressions) {
            let data = std::fs::read(file).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| body(&data)) {
                let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
                panic!("{target}: {} fails: {message}", file.display());
            }
        }
        assert!(files.len() >= MIN_FILES, "{target}: only {} corpus files", files.len());
        println!("{target}: {} corpus files and {} regressions replayed", files.len(), regressions.len());
    }
}

/// The files in `dir`, sorted; none when it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}
