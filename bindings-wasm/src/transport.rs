//! The core's `Transport` over what every JS host has: the global `fetch`, `AbortController`,
//! `setTimeout`, `Date.now()` and `Math.random()`.
//!
//! A request crosses into JS once: `send` below (JS) gets the method, URL, headers and body,
//! makes the fetch with its time limit, reads the whole answer and hands back its status,
//! headers and bytes at once. Building a `Request` and a `Headers` object call by call from
//! wasm, and reading the answer the same way, cost more than the fetch's own work in Node
//! (`tools/bench-js`).

use js_sys::{Array, Date, Function, Math, Promise, Reflect, Uint8Array};
use waonboard::client::Transport;
use waonboard::{Error, HttpRequest, HttpResponse};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
// Headers travel as `name\nvalue\n…` text (no header name or value holds a line break):
// one string instead of a JS object per header. Resolves to [status, headers, bytes], or
// null for a redirect (never followed: Node shows the 3xx, a browser an opaque answer,
// and the core makes either an error). An AbortController with a timer rather than
// AbortSignal.timeout: the timer is cleared once the body is in, instead of keeping every
// signal of the last 30 s alive.
export async function send(method, url, headers, body, timeoutMs) {
  const lines = headers.split('\n');
  const pairs = [];
  for (let i = 0; i + 1 < lines.length; i += 2) pairs.push([lines[i], lines[i + 1]]);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  try {
    const init = { method, headers: pairs, redirect: 'manual', signal: controller.signal };
    if (body !== undefined) init.body = body;
    const response = await fetch(url, init);
    if (response.type === 'opaqueredirect') return null;
    let text = '';
    for (const [name, value] of response.headers) text += `${name}\n${value}\n`;
    return [response.status, text, new Uint8Array(await response.arrayBuffer())];
  } finally {
    clearTimeout(timer);
  }
}
"#)]
extern "C" {
    /// The request sent with the host's `fetch` within `timeout_ms`, body read.
    fn send(method: &str, url: &str, headers: &str, body: Option<String>, timeout_ms: u32) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The host's timer, global in browsers, workers and Node alike (not `window.setTimeout`,
    /// which Node lacks).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: i32) -> JsValue;
}

/// How deep a rejection's `cause` chain is read.
const MAX_CAUSES: usize = 4;

/// Sends with `fetch`; each request, body included, must finish within `timeout_ms`.
#[derive(Clone, Debug)]
pub struct FetchTransport {
    /// The limit per request, in milliseconds.
    pub timeout_ms: u32,
}

impl FetchTransport {
    /// The default limit per request, as the reqwest transport has.
    pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

    /// A JS error named `name` as ours, `cause` (its `name: message` and its causes') kept
    /// as the cause, which the JS layer makes the `cause` of the `WaonboardError`.
    fn rejected(&self, name: &str, cause: String) -> Error {
        // The timer aborts with a TimeoutError; a host that drops the reason says AbortError.
        if name == "TimeoutError" || name == "AbortError" {
            Error::timeout(format!("no answer within {} ms", self.timeout_ms)).with_cause(cause)
        } else {
            Error::transport(format!("the request failed: {cause}")).with_cause(cause)
        }
    }

    /// fetch's rejection, read with its `cause` chain: Node's says only `TypeError: fetch
    /// failed`, and what failed (`connect ECONNREFUSED 127.0.0.1:9`) is in its cause.
    fn fetch_rejected(&self, error: &JsValue) -> Error {
        let text = |value: &JsValue, key: &str| Reflect::get(value, &key.into()).ok().and_then(|v| v.as_string());
        let name = text(error, "name").unwrap_or_else(|| "Error".to_owned());
        let mut cause = format!("{name}: {}", text(error, "message").unwrap_or_default());
        let mut at = error.clone();
        for _ in 0..MAX_CAUSES {
            match Reflect::get(&at, &"cause".into()) {
                Ok(inner) if inner.is_object() => {
                    let said = text(&inner, "message").filter(|m| !m.is_empty()).or_else(|| text(&inner, "code"));
                    if let Some(said) = said {
                        cause.push_str(": ");
                        cause.push_str(&said);
                    }
                    at = inner;
                }
                _ => break,
            }
        }
        self.rejected(&name, cause)
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let mut headers = String::new();
        for (name, value) in &request.headers {
            for part in [name, value] {
                headers.push_str(part);
                headers.push('\n');
            }
        }
        let pending = send(request.method.as_str(), &request.url, &headers, request.body, self.timeout_ms);
        let answer = JsFuture::from(pending).await.map_err(|e| self.fetch_rejected(&e))?;
        if answer.is_null() {
            return Err(Error::redirect(None));
        }
        let answer: Array = answer.unchecked_into();
        let status = answer.get(0).as_f64().and_then(|s| u16::try_from(s as u32).ok()).unwrap_or_default();
        let text = answer.get(1).as_string().unwrap_or_default();
        let mut lines = text.split('\n');
        let mut headers = Vec::new();
        while let (Some(name), Some(value)) = (lines.next(), lines.next()) {
            headers.push((name.to_owned(), value.to_owned()));
        }
        let body = answer.get(2).unchecked_into::<Uint8Array>().to_vec();
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, ms: u64) {
        // setTimeout takes a signed 32-bit delay (a larger one fires at once).
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let promise = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, ms);
        });
        // The promise only ever resolves.
        let _ = JsFuture::from(promise).await;
    }

    fn now_ms(&self) -> u64 {
        // Date.now() is whole milliseconds since the epoch; Instant::now panics on wasm32.
        Date::now() as u64
    }

    fn random(&self) -> u64 {
        (Math::random() * 9_007_199_254_740_992.0) as u64
    }
}
