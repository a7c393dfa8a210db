//! Why a command stopped, and the exit code a script sees for it.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the CLI's own trouble (a file it could not write, the simulator would not start), or a demo/bulk run in which a number failed |
//! | 2 | `validation`: bad input or flags (also clap's usage errors); nothing was sent |
//! | 3 | `auth` |
//! | 4 | `rate_limited` or `guard`: wait (`retry_after_ms`) and try later |
//! | 5 | the provider refused: `verification_failed`, `conflict`, `not_found`, `invalid_request`, `provider` |
//! | 6 | the answer never came or made no sense: `transport`, `timeout`, `decode` |
//! | 7 | bulk: nothing failed, but some numbers wait for a code or PIN |

use std::process::ExitCode;

use serde_json::{json, Value};
use waonboard::{Error, ErrorKind};

/// A command's failure: a library error keeps its kind; the CLI's own problems (files,
/// the simulator) are plain messages.
#[derive(Debug)]
pub enum Failure {
    /// From the library, or bad input phrased as a `validation` error.
    Api(Error),
    /// Local trouble that no provider caused.
    Local(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Api(error)
    }
}

impl Failure {
    /// The exit code of the table above.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Api(e) => ExitCode::from(kind_exit_code(e.kind())),
            Failure::Local(_) => ExitCode::from(LOCAL_FAILURE),
        }
    }

    /// `{"error": {...}}`, the shape `call` prints on stdout.
    pub fn to_json(&self) -> Value {
        match self {
            Failure::Api(e) => json!({ "error": error_json(e) }),
            Failure::Local(message) => json!({ "error": {
                "kind": "local", "field": null, "provider_code": null, "http_status": null,
                "retryable": false, "retry_after_ms": null, "operation": null, "fbtrace_id": null,
                "error_subcode": null, "cause": null, "message": message,
            }}),
        }
    }

    /// One line for people, on stderr.
    pub fn describe(&self) -> String {
        match self {
            Failure::Api(e) => format!("{}: {}", e.kind(), e.message()),
            Failure::Local(message) => message.clone(),
        }
    }
}

/// The CLI's own failures, and a demo or bulk run in which something failed.
pub const LOCAL_FAILURE: u8 = 1;
/// A bulk run that stopped cleanly at numbers waiting for a code or PIN.
pub const AWAITING_INPUT: u8 = 7;

/// The exit code of an error kind.
pub fn kind_exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Validation => 2,
        ErrorKind::Auth => 3,
        ErrorKind::RateLimited | ErrorKind::Guard => 4,
        ErrorKind::VerificationFailed
        | ErrorKind::Conflict
        | ErrorKind::NotFound
        | ErrorKind::InvalidRequest
        | ErrorKind::Provider => 5,
        ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Decode | ErrorKind::Aborted => 6,
        // A kind added to the library later: a failure of the call, as `provider` is.
        _ => 5,
    }
}

/// Every field of an error, absent ones as `null` so scripts can rely on the keys. The
/// library never puts a secret in any of them.
pub fn error_json(e: &Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "field": e.field(),
        "provider_code": e.provider_code(),
        "http_status": e.http_status(),
        "retryable": e.retryable(),
        "retry_after_ms": e.retry_after_ms(),
        "operation": e.operation().map(|op| op.as_str()),
        "fbtrace_id": e.fbtrace_id(),
        "error_subcode": e.error_subcode(),
        "cause": e.cause(),
        "message": e.message(),
    })
}

/// A `validation` error about a flag or input file, so it exits 2 like bad parameters.
pub fn usage(field: &str, problem: impl std::fmt::Display) -> Failure {
    Failure::Api(Error::validation(field, problem))
}

/// `error` with `hint` after its message, for what the CLI knows and the library cannot.
pub fn with_hint(error: Error, hint: &str) -> Error {
    let mut details = error.details().clone();
    details.message = format!("{}: {hint}", details.message);
    Error::new(error.kind(), details)
}
