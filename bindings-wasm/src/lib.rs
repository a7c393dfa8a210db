//! waonboard for JavaScript: thin wasm-bindgen exports over the core, with a transport
//! made of `fetch` (the global one of browsers and Node ≥ 18, or the app's own).
//!
//! Only strings cross the boundary: params, configs, results and errors travel as JSON
//! text (a request and headers as lines), which the npm package's JS layer turns into
//! objects. serde-wasm-bindgen (JS values instead of text) was measured and not taken: it
//! made the package 16 KB gzipped larger and prepare+parse slower (npm/README.md). That keeps the glue small,
//! keeps IDs as exact strings (no JS number ever holds one) and leaves every rule in the
//! core. A failing export throws (or rejects with) the error's JSON text; the JS layer
//! turns it into a `WaonboardError`.
#![cfg(target_arch = "wasm32")]

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod flow;
#[cfg(feature = "client")]
mod preverified;
#[cfg(feature = "client")]
mod transport;

use serde_json::{Map, Value};
use waonboard::Error;
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(feature = "client")]
pub use client::WasmClient;
#[cfg(feature = "client")]
pub use flow::{onboarding_load, onboarding_start};
#[cfg(feature = "client")]
pub use preverified::{preverified_load, preverified_start};
#[cfg(feature = "client")]
pub use transport::{FetchTransport, Hooks};

/// The contract's `prepare`: `params` and `config` as JSON text in; the request out as
/// lines: the method, the URL, the body (an empty line when there is none), then each
/// header's name and value. None of them can hold a line break (compact JSON escapes it),
/// and JS splits lines quicker than it reads a JSON document of the same.
#[wasm_bindgen]
pub fn prepare(op: &str, params: &str, config: &str) -> Result<String, String> {
    let params = json_arg("params", params).map_err(|e| error_json(&e))?;
    let config = json_arg("config", config).map_err(|e| error_json(&e))?;
    let request = waonboard::prepare(op, &params, &config).map_err(|e| error_json(&e))?;
    let mut out = String::with_capacity(256);
    for part in [request.method.as_str(), &request.url, request.body.as_deref().unwrap_or_default()] {
        out.push_str(part);
        out.push('\n');
    }
    for (name, value) in &request.headers {
        out.push_str(name);
        out.push('\n');
        out.push_str(value);
        out.push('\n');
    }
    out.pop();
    Ok(out)
}

/// The contract's `parse`: `headers` as lines (each name, then its value), the body as raw
/// bytes; the result as JSON text out.
#[wasm_bindgen]
pub fn parse(op: &str, status: u32, headers: &str, body: &[u8]) -> Result<String, String> {
    let outcome = u16::try_from(status)
        .map_err(|_| Error::validation("status", "must be an HTTP status code"))
        .and_then(|status| waonboard::parse(op, status, &header_pairs(headers)?, body));
    outcome.map(|result| json_text(&result)).map_err(|e| error_json(&e))
}

/// JSON text, written by serde_json's one writer over bytes (`Value`'s `Display` is a
/// second copy of it in the module).
pub(crate) fn json_text(value: &Value) -> String {
    // Writing a Value into memory cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// A JSON argument; the JS layer always sends valid JSON, so a failure names the argument.
pub(crate) fn json_arg(name: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_slice(text.as_bytes()).map_err(|_| Error::validation(name, "must be JSON-shaped"))
}

/// Header lines, name then value, as pairs; an odd count is a name without a value.
fn header_pairs(lines: &str) -> Result<Vec<(String, String)>, Error> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines = lines.split('\n');
    let mut pairs = Vec::new();
    while let Some(name) = lines.next() {
        let value = lines.next().ok_or_else(|| Error::validation("headers", "must be [name, value] pairs"))?;
        pairs.push((name.to_owned(), value.to_owned()));
    }
    Ok(pairs)
}

/// The error as the JSON the JS layer reads into a `WaonboardError`. Absent details are
/// left out; the message never holds a secret (the core writes it that way).
pub(crate) fn error_json(e: &Error) -> String {
    let mut out = Map::new();
    out.insert("kind".into(), e.kind().as_str().into());
    out.insert("message".into(), e.message().into());
    if let Some(field) = e.field() {
        out.insert("field".into(), field.into());
    }
    if let Some(code) = e.provider_code() {
        out.insert("provider_code".into(), code.into());
    }
    if let Some(status) = e.http_status() {
        out.insert("http_status".into(), status.into());
    }
    out.insert("retryable".into(), e.retryable().into());
    if let Some(ms) = e.retry_after_ms() {
        out.insert("retry_after_ms".into(), ms.into());
    }
    if let Some(op) = e.operation() {
        out.insert("operation".into(), op.as_str().into());
    }
    if let Some(id) = e.fbtrace_id() {
        out.insert("fbtrace_id".into(), id.into());
    }
    if let Some(subcode) = e.error_subcode() {
        out.insert("error_subcode".into(), subcode.into());
    }
    if let Some(cause) = e.cause() {
        out.insert("cause".into(), cause.into());
    }
    json_text(&Value::Object(out))
}
