//! waonboard for JavaScript: thin wasm-bindgen exports over the core, with a transport
//! made of the global `fetch` (browsers and Node ≥ 18 alike).
//!
//! Only strings cross the boundary: params, configs, results and errors travel as JSON
//! text, which the npm package's JS layer turns into objects. That keeps the glue small,
//! keeps IDs as exact strings (no JS number ever holds one) and leaves every rule in the
//! core. A failing export throws (or rejects with) the error's JSON text; the JS layer
//! turns it into a `WaonboardError`.
#![cfg(target_arch = "wasm32")]

mod client;
mod flow;
mod preverified;
mod transport;

use serde_json::{Map, Value};
use waonboard::Error;
use wasm_bindgen::prelude::wasm_bindgen;

pub use client::WasmClient;
pub use flow::{onboarding_load, onboarding_start};
pub use preverified::{preverified_load, preverified_start};
pub use transport::{FetchTransport, Host};

/// The contract's `prepare`: `params` and `config` as JSON text in; the request as JSON
/// text out (`{"method","url","headers":[[name,value],…],"body":text|null}`).
#[wasm_bindgen]
pub fn prepare(op: &str, params: &str, config: &str) -> Result<String, String> {
    let params = json_arg("params", params).map_err(|e| error_json(&e))?;
    let config = json_arg("config", config).map_err(|e| error_json(&e))?;
    let request = waonboard::prepare(op, &params, &config).map_err(|e| error_json(&e))?;
    let headers: Vec<Value> =
        request.headers.into_iter().map(|(name, value)| Value::Array(vec![name.into(), value.into()])).collect();
    let mut out = Map::new();
    out.insert("method".into(), request.method.as_str().into());
    out.insert("url".into(), request.url.into());
    out.insert("headers".into(), headers.into());
    out.insert("body".into(), request.body.map_or(Value::Null, Value::String));
    Ok(json_text(&Value::Object(out)))
}

/// The contract's `parse`: `headers` as JSON text (`[[name,value],…]`), the body as raw
/// bytes; the result as JSON text out.
#[wasm_bindgen]
pub fn parse(op: &str, status: u32, headers: &str, body: &[u8]) -> Result<String, String> {
    let outcome = u16::try_from(status)
        .map_err(|_| Error::validation("status", "must be an HTTP status code"))
        .and_then(|status| Ok((status, header_pairs(&json_arg("headers", headers)?)?)))
        .and_then(|(status, headers)| waonboard::parse(op, status, &headers, body));
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

fn header_pairs(value: &Value) -> Result<Vec<(String, String)>, Error> {
    let bad = || Error::validation("headers", "must be a list of [name, value] string pairs");
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Ok(Vec::new()),
        _ => return Err(bad()),
    };
    items
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(name), Value::String(value)]) => Ok((name.clone(), value.clone())),
            _ => Err(bad()),
        })
        .collect()
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
