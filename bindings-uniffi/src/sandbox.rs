//! The simulator's request handling ([`waonboard_sim::Engine`], no I/O) for a host in the
//! foreign language: the wheel's `waonboard.sandbox` serves it with Python's own
//! `http.server`, so the wheel carries the simulator without a second HTTP server in Rust
//! (the simulator's tokio server in this library measured 0.29 MB more of stripped library,
//! on top of the engine's 0.42 MB).
//! The host passes its monotonic time (milliseconds since it made the engine) with every
//! call and does the real-time waits that faults ask for.

use std::sync::Arc;
use std::time::Duration;

use waonboard_sim::{Engine, Outcome, Request, Response, SimConfig};

use crate::HttpHeader;

/// What the sandbox is seeded with.
#[derive(Clone, Default, uniffi::Record)]
pub struct SandboxOptions {
    /// Seed of the codes, ids and tokens, for repeatable runs; `None` takes `entropy`.
    #[uniffi(default = None)]
    pub seed: Option<u64>,
    /// Send this code every time instead of random ones (for tries by hand).
    #[uniffi(default = None)]
    pub fixed_otp: Option<String>,
}

/// One of the `WAONBOARD_*` variables that point the CLI and the README examples at the
/// sandbox.
#[derive(Clone, uniffi::Record)]
pub struct SandboxVariable {
    /// `WAONBOARD_META_TOKEN`, …
    pub name: String,
    /// Its value (a base URL or a fake credential).
    pub value: String,
}

/// A request as the host's listener read it.
#[derive(Clone, uniffi::Record)]
pub struct SandboxRequest {
    /// Upper-case method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// The headers as received.
    pub headers: Vec<HttpHeader>,
    /// The whole body.
    pub body: Vec<u8>,
}

/// What the host does with a request: answer now, wait then call `resume`, wait then
/// answer, or wait then close the connection unanswered.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SandboxAction {
    /// Answer `response` now.
    Respond,
    /// Wait `delay_ms`, then answer what `resume(request, seq, …)` returns.
    Resume,
    /// Wait `delay_ms`, then answer `response`.
    RespondLate,
    /// Wait `delay_ms`, then close the connection without an answer.
    Drop,
}

/// An answer for the host's listener.
#[derive(Clone, uniffi::Record)]
pub struct SandboxResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<HttpHeader>,
    /// The body.
    pub body: Vec<u8>,
}

/// The engine's decision about one request.
#[derive(Clone, uniffi::Record)]
pub struct SandboxOutcome {
    /// What to do.
    pub action: SandboxAction,
    /// How long to wait first, in milliseconds.
    pub delay_ms: u64,
    /// For `Resume`: the request's number in the log.
    pub seq: u64,
    /// For `Respond` and `RespondLate`.
    pub response: Option<SandboxResponse>,
}

/// The simulator of all three providers, without I/O (see the module docs).
#[derive(uniffi::Object)]
pub struct SandboxEngine {
    engine: Engine,
}

fn request(r: SandboxRequest) -> Request {
    Request {
        method: r.method,
        path: r.path,
        query: r.query,
        headers: r.headers.into_iter().map(|h| (h.name.to_ascii_lowercase(), h.value)).collect(),
        body: r.body,
    }
}

fn response(r: Response) -> SandboxResponse {
    SandboxResponse {
        status: r.status,
        headers: r.headers.into_iter().map(|(name, value)| HttpHeader { name, value }).collect(),
        body: r.body,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[uniffi::export]
impl SandboxEngine {
    /// An engine answering at `origin` (`http://127.0.0.1:PORT`), whose `redirect` fault
    /// points to `trap_origin`; `unix_ms` is the wall-clock time at the host's zero.
    #[uniffi::constructor]
    pub fn new(options: SandboxOptions, origin: String, trap_origin: String, unix_ms: u64, entropy: u64) -> Arc<Self> {
        let config = SimConfig { rng_seed: options.seed, fixed_otp: options.fixed_otp, ..SimConfig::default() };
        Arc::new(SandboxEngine { engine: Engine::new(config, &origin, &trap_origin, unix_ms, entropy) })
    }

    /// Decides about one request arriving `elapsed_ms` after the host's zero.
    pub fn handle(&self, request: SandboxRequest, elapsed_ms: u64) -> SandboxOutcome {
        let outcome = self.engine.handle(&self::request(request), Duration::from_millis(elapsed_ms));
        let (action, delay, seq, answer) = match outcome {
            Outcome::Respond(r) => (SandboxAction::Respond, Duration::ZERO, 0, Some(response(r))),
            Outcome::Resume { delay, seq } => (SandboxAction::Resume, delay, seq, None),
            Outcome::RespondLate { delay, response: r } => (SandboxAction::RespondLate, delay, 0, Some(response(r))),
            Outcome::Drop { delay } => (SandboxAction::Drop, delay, 0, None),
        };
        SandboxOutcome { action, delay_ms: millis(delay), seq, response: answer }
    }

    /// The answer to a request `handle` held with `Resume`.
    pub fn resume(&self, request: SandboxRequest, seq: u64, elapsed_ms: u64) -> SandboxResponse {
        response(self.engine.resume(&self::request(request), seq, Duration::from_millis(elapsed_ms)))
    }

    /// Records a request that reached the trap listener (`path` with its query) and
    /// answers it.
    pub fn trap(&self, method: String, path: String, authorization: bool, body_bytes: u64) -> SandboxResponse {
        response(self.engine.trap(&method, &path, authorization, usize::try_from(body_bytes).unwrap_or(usize::MAX)))
    }

    /// Base URLs, fake credentials and seeded ids, as JSON (the same as `GET /_sim/seed`).
    pub fn seed_json(&self) -> String {
        self.engine.seed_info().to_string()
    }

    /// The `WAONBOARD_*` variables that point the CLI and the README examples here, in the
    /// order a banner prints them.
    pub fn env(&self) -> Vec<SandboxVariable> {
        let variables = self.engine.env_vars().into_iter();
        variables.map(|(name, value)| SandboxVariable { name: name.to_owned(), value }).collect()
    }
}
