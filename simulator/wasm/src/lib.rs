//! The simulator's engine ([`waonboard_sim::Engine`], no I/O) for the npm package's
//! `waonboard/sandbox`, whose JS serves it with `node:http`. A module of its own, so the
//! package's main and browser entries do not carry it.
//!
//! Headers cross as JSON text (`[[name, value], …]`), bodies as bytes. The JS host passes
//! its monotonic time (milliseconds since it made the engine) with every call and does the
//! real-time waits that faults ask for.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use serde_json::Value;
use waonboard_sim::{Outcome, Request, Response, SimConfig};
use wasm_bindgen::prelude::wasm_bindgen;

/// The simulator of all three providers.
#[wasm_bindgen]
pub struct Engine {
    engine: waonboard_sim::Engine,
}

/// The engine's decision about one request: `action` is `respond`, `resume` (wait
/// `delay_ms`, then answer `Engine.resume`), `respond_late` (wait, then answer) or `drop`
/// (wait, then close the connection unanswered).
#[wasm_bindgen(getter_with_clone)]
pub struct Decision {
    /// `respond`, `resume`, `respond_late` or `drop`.
    pub action: String,
    /// How long to wait first.
    pub delay_ms: f64,
    /// For `resume`: the request's number in the log.
    pub seq: f64,
    /// For `respond` and `respond_late` (0 otherwise).
    pub status: u16,
    /// The headers as JSON text (`[[name, value], …]`).
    pub headers: String,
    /// The body.
    pub body: Vec<u8>,
}

fn decision(action: &str, delay: Duration, seq: u64, response: Option<Response>) -> Decision {
    let Response { status, headers, body } =
        response.unwrap_or(Response { status: 0, headers: Vec::new(), body: Vec::new() });
    let headers = Value::Array(headers.into_iter().map(|(n, v)| Value::Array(vec![n.into(), v.into()])).collect());
    Decision {
        action: action.to_owned(),
        delay_ms: delay.as_millis() as f64,
        seq: seq as f64,
        status,
        headers: headers.to_string(),
        body,
    }
}

fn request(method: &str, path: &str, query: &str, headers: &str, body: &[u8]) -> Request {
    let headers = match serde_json::from_str::<Value>(headers) {
        Ok(Value::Array(pairs)) => pairs
            .iter()
            .filter_map(|pair| Some((pair.get(0)?.as_str()?.to_ascii_lowercase(), pair.get(1)?.as_str()?.to_owned())))
            .collect(),
        _ => Vec::new(),
    };
    Request { method: method.to_owned(), path: path.to_owned(), query: query.to_owned(), headers, body: body.to_vec() }
}

fn host_time(ms: f64) -> Duration {
    Duration::from_millis(if ms.is_finite() && ms > 0.0 { ms as u64 } else { 0 })
}

#[wasm_bindgen]
impl Engine {
    /// An engine answering at `origin` (`http://127.0.0.1:PORT`), whose `redirect` fault
    /// points to `trap_origin`. `seed` (a number, or undefined for `entropy`) makes codes
    /// repeatable; `fixed_otp` is sent as every code when given; `unix_ms` is the
    /// wall-clock time at the host's zero.
    #[wasm_bindgen(constructor)]
    pub fn new(
        origin: &str,
        trap_origin: &str,
        seed: Option<f64>,
        fixed_otp: Option<String>,
        unix_ms: f64,
        entropy: f64,
    ) -> Engine {
        let config = SimConfig { rng_seed: seed.map(|s| s as u64), fixed_otp, ..SimConfig::default() };
        let unix_ms = if unix_ms.is_finite() && unix_ms > 0.0 { unix_ms as u64 } else { 0 };
        Engine { engine: waonboard_sim::Engine::new(config, origin, trap_origin, unix_ms, entropy.to_bits()) }
    }

    /// Decides about one request arriving `now_ms` after the host's zero.
    pub fn handle(&self, method: &str, path: &str, query: &str, headers: &str, body: &[u8], now_ms: f64) -> Decision {
        match self.engine.handle(&request(method, path, query, headers, body), host_time(now_ms)) {
            Outcome::Respond(r) => decision("respond", Duration::ZERO, 0, Some(r)),
            Outcome::Resume { delay, seq } => decision("resume", delay, seq, None),
            Outcome::RespondLate { delay, response } => decision("respond_late", delay, 0, Some(response)),
            Outcome::Drop { delay } => decision("drop", delay, 0, None),
        }
    }

    /// The answer to a request `handle` held with `resume` (the same request again).
    #[allow(clippy::too_many_arguments)]
    pub fn resume(
        &self,
        method: &str,
        path: &str,
        query: &str,
        headers: &str,
        body: &[u8],
        seq: f64,
        now_ms: f64,
    ) -> Decision {
        let response = self.engine.resume(&request(method, path, query, headers, body), seq as u64, host_time(now_ms));
        decision("respond", Duration::ZERO, 0, Some(response))
    }

    /// Records a request that reached the trap listener (`path` with its query) and
    /// answers it.
    pub fn trap(&self, method: &str, path: &str, authorization: bool, body_bytes: f64) -> Decision {
        let response = self.engine.trap(method, path, authorization, body_bytes as usize);
        decision("respond", Duration::ZERO, 0, Some(response))
    }

    /// Base URLs, fake credentials and seeded ids, as JSON text (as `GET /_sim/seed`).
    pub fn seed_json(&self) -> String {
        self.engine.seed_info().to_string()
    }

    /// The `WAONBOARD_*` variables that point the CLI and the README examples here, as
    /// JSON text: `[[name, value], …]`, in the order a banner prints them.
    pub fn env_json(&self) -> String {
        serde_json::json!(self.engine.env_vars()).to_string()
    }
}
