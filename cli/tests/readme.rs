//! The READMEs' shell examples, run as written: `waonboard sandbox --fixed-otp 123456` is
//! started as a reader would start it, the `export` lines its banner prints are set, and
//! each ```sh block runs in `bash -euo pipefail` with the built `waonboard` first on PATH,
//! in a fresh directory and home. A block preceded by `<!-- not run: why -->` is left
//! out, saying why.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The `waonboard sandbox` process, killed when the test ends however it ends.
struct Sandbox(Child);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the sandbox and returns the variables its banner says to export.
fn start_sandbox() -> (Sandbox, Vec<(String, String)>) {
    let child = Command::new(env!("CARGO_BIN_EXE_waonboard"))
        .args(["sandbox", "--fixed-otp", "123456"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut sandbox = Sandbox(child);
    let mut exports = Vec::new();
    let lines = BufReader::new(sandbox.0.stdout.take().unwrap()).lines();
    for line in lines {
        let line = line.unwrap();
        if let Some(assignments) = line.trim().strip_prefix("export ") {
            for assignment in assignments.split_whitespace() {
                let (name, value) = assignment.split_once('=').unwrap();
                exports.push((name.to_owned(), value.to_owned()));
            }
        }
        if line.starts_with("Ctrl-C stops it") {
            break;
        }
    }
    assert!(exports.len() >= 7, "the banner printed too few export lines: {exports:?}");
    (sandbox, exports)
}

/// The ```sh blocks of `readme` to run, with the line each starts on.
fn examples(readme: &str) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(readme)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "```sh" {
            let skipped = i > 0 && lines[i - 1].starts_with("<!-- not run: ");
            let end = (i + 1..lines.len()).find(|&j| lines[j] == "```").unwrap();
            if !skipped {
                found.push((i + 2, lines[i + 1..end].join("\n")));
            }
            i = end;
        }
        i += 1;
    }
    found
}

fn scratch(readme: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("waonboard-readme-{}-{}", readme.replace('/', "_"), std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_examples(readme: &str) {
    let blocks = examples(readme);
    assert!(!blocks.is_empty(), "{readme} has no sh examples");
    let (_sandbox, exports) = start_sandbox();
    let dir = scratch(readme);
    let bin = Path::new(env!("CARGO_BIN_EXE_waonboard")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    for (line, code) in blocks {
        let mut command = Command::new("bash");
        command.args(["-euo", "pipefail", "-c", &code]).current_dir(&dir);
        // Only what the banner says, nothing from the developer's own environment.
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("WAONBOARD_")) {
            command.env_remove(name);
        }
        let output = command
            .envs(exports.iter().cloned())
            .env("PATH", &path)
            .env("HOME", &dir)
            .env("XDG_STATE_HOME", dir.join("state"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{readme}:{line} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// The root README's two shell blocks (`cargo run … demo`, `tools/test-all`) are not run:
// one builds with cargo, the other is the test command itself.
#[test]
fn the_cli_readmes_shell_examples_run_against_the_sandbox() {
    run_examples("cli/README.md");
}
