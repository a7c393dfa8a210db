//! Replays every committed corpus file of every fuzz target on stable Rust (the fuzzers
//! run on nightly through `tools/fuzz`), so an input that once crashed keeps passing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::path::Path;

/// Fewer files than this means the corpus went missing, not that it passed.
const MIN_FILES: usize = 10;

#[test]
fn every_corpus_file_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, body) in waonboard_fuzz::TARGETS {
        let mut files: Vec<_> = std::fs::read_dir(root.join(target)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in &files {
            let data = std::fs::read(file).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| body(&data)) {
                let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
                panic!("{target}: {} fails: {message}", file.display());
            }
        }
        assert!(files.len() >= MIN_FILES, "{target}: only {} corpus files", files.len());
        println!("{target}: {} corpus files replayed", files.len());
    }
}
