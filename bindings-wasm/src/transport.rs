//! The core's `Transport` over what every JS host has: `fetch` (the global one or the
//! app's own), `AbortController`, `setTimeout`, `Date.now()` and `Math.random()`.
//!
//! A request crosses into JS once: `send` below (JS) gets the method, URL, headers and body,
//! makes the fetch with its time limit, reads the whole answer and hands back its status,
//! headers and bytes at once. Building a `Request` and a `Headers` object call by call from
//! wasm, and reading the answer the same way, cost more than the fetch's own work in Node
//! (`tools/bench-js`).
//!
//! The client's calls share one transport, but each call may bring its own `AbortSignal`:
//! [`with_signal`] makes it the signal of whatever the transport does while that call's
//! future is polled (wasm runs one poll at a time), as a task-local would.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;

use js_sys::{Array, Date, Function, Math, Promise, Reflect, Uint8Array};
use waonboard::client::{RequestEvent, ResponseEvent, Transport};
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
// signal of the last 30 s alive. The call's own signal, if any, aborts it too.
export async function send(fetchFn, method, url, headers, body, timeoutMs, signal) {
  const lines = headers.split('\n');
  const pairs = [];
  for (let i = 0; i + 1 < lines.length; i += 2) pairs.push([lines[i], lines[i + 1]]);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const abort = () => controller.abort(signal.reason);
  signal?.addEventListener('abort', abort);
  try {
    const init = { method, headers: pairs, redirect: 'manual', signal: controller.signal };
    if (body !== undefined) init.body = body;
    const response = await (fetchFn ?? fetch)(url, init);
    if (response.type === 'opaqueredirect') return null;
    // An app's fetch may answer anything: only a real status is read as the provider's.
    const { status } = response;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new TypeError(`fetch answered without an HTTP status (${String(status).slice(0, 40)})`);
    }
    let text = '';
    for (const [name, value] of response.headers) text += `${name}\n${value}\n`;
    return [status, text, new Uint8Array(await response.arrayBuffer())];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}

// Resolves after `ms`, or as soon as the call's signal aborts (the client then stops); at
// once if it already has, since an aborted signal fires no more events.
export function wait(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

// Calls an app's hook with what an attempt was; what the hook throws is shown, not thrown:
// watching a call must not change it.
function notify(hook, name, event) {
  try {
    hook(event);
  } catch (e) {
    console.error(`waonboard: the ${name} hook threw`, e);
  }
}

export function requested(hook, operation, method, host, path, attempt) {
  notify(hook, 'onRequest', { operation, method, host, path, attempt });
}

export function answered(hook, operation, method, host, path, attempt, status, durationMs, error) {
  notify(hook, 'onResponse', { operation, method, host, path, attempt, status, durationMs, error });
}
"#)]
extern "C" {
    /// The request sent with `fetch_fn` (the global `fetch` when undefined) within
    /// `timeout_ms`, or until `signal` aborts; body read.
    fn send(
        fetch_fn: &JsValue,
        method: &str,
        url: &str,
        headers: &str,
        body: Option<String>,
        timeout_ms: u32,
        signal: &JsValue,
    ) -> Promise;

    /// A promise of `ms` milliseconds, cut short when `signal` aborts.
    fn wait(ms: i32, signal: &JsValue) -> Promise;

    /// `hook({operation, method, host, path, attempt})`.
    fn requested(hook: &Function, operation: &str, method: &str, host: &str, path: &str, attempt: u32);

    /// `hook({operation, method, host, path, attempt, status, durationMs, error})`.
    #[allow(clippy::too_many_arguments)]
    fn answered(
        hook: &Function,
        operation: &str,
        method: &str,
        host: &str,
        path: &str,
        attempt: u32,
        status: Option<u16>,
        duration_ms: f64,
        error: Option<String>,
    );
}

thread_local! {
    /// The `AbortSignal` of the call being polled, or undefined (see [`with_signal`]).
    static SIGNAL: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

/// A call's future as the promise it becomes will run it.
pub(crate) type CallFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// `future` with `signal` (an `AbortSignal`, or undefined) as the signal of everything the
/// transport does for it: the signal is in place while the future is polled, and the one
/// it replaced is put back after. One function for every call (not one per future type):
/// the module stays smaller.
pub(crate) fn with_signal(
    mut signal: JsValue,
    mut future: CallFuture,
) -> impl Future<Output = Result<JsValue, JsValue>> {
    poll_fn(move |cx| {
        SIGNAL.with_borrow_mut(|current| std::mem::swap(current, &mut signal));
        let polled = future.as_mut().poll(cx);
        SIGNAL.with_borrow_mut(|current| std::mem::swap(current, &mut signal));
        polled
    })
}

/// What the app plugs in for all of a client's calls: its own `fetch`, and hooks that see
/// each attempt.
#[derive(Clone, Debug, Default)]
pub struct Hooks {
    /// The app's `fetch`, used instead of the global one.
    pub fetch: Option<Function>,
    /// Called before each attempt leaves.
    pub on_request: Option<Function>,
    /// Called when an attempt ends.
    pub on_response: Option<Function>,
}

/// How deep a rejection's `cause` chain is read.
const MAX_CAUSES: usize = 4;

/// Sends with `fetch`; each request, body included, must finish within `timeout_ms`.
#[derive(Clone, Debug)]
pub struct FetchTransport {
    /// The limit per request, in milliseconds.
    pub timeout_ms: u32,
    /// The app's `fetch` and hooks.
    pub hooks: Hooks,
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
        if self.is_aborted() {
            return Error::aborted("the call was aborted while waiting for the answer");
        }
        let text = |value: &JsValue, key: &str| Reflect::get(value, &key.into()).ok().and_then(|v| v.as_string());
        let name = text(error, "name").unwrap_or_else(|| "Error".to_owned());
        // An app's fetch may throw anything; a string is its own message.
        let mut cause = match error.as_string() {
            Some(thrown) => thrown,
            None => format!("{name}: {}", text(error, "message").unwrap_or_default()),
        };
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
        let fetch = self.hooks.fetch.as_ref().map_or(JsValue::UNDEFINED, |f| f.into());
        let pending = SIGNAL.with_borrow(|signal| {
            send(&fetch, request.method.as_str(), &request.url, &headers, request.body, self.timeout_ms, signal)
        });
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
        let pending = SIGNAL.with_borrow(|signal| wait(ms, signal));
        // The promise only ever resolves.
        let _ = JsFuture::from(pending).await;
    }

    fn now_ms(&self) -> u64 {
        // Date.now() is whole milliseconds since the epoch; Instant::now panics on wasm32.
        Date::now() as u64
    }

    fn random(&self) -> u64 {
        (Math::random() * 9_007_199_254_740_992.0) as u64
    }

    fn is_aborted(&self) -> bool {
        SIGNAL.with_borrow(|signal| {
            !signal.is_undefined()
                && Reflect::get(signal, &"aborted".into()).ok().and_then(|a| a.as_bool()) == Some(true)
        })
    }

    fn on_request(&self, event: &RequestEvent) {
        if let Some(hook) = &self.hooks.on_request {
            let (op, method) = (event.operation.as_str(), event.method.as_str());
            requested(hook, op, method, &event.host, &event.path, event.attempt);
        }
    }

    fn on_response(&self, event: &ResponseEvent) {
        if let Some(hook) = &self.hooks.on_response {
            let request = &event.request;
            let (op, method) = (request.operation.as_str(), request.method.as_str());
            let error = event.error.map(|kind| kind.as_str().to_owned());
            // A JS number holds any duration exactly up to 2^53 ms.
            let duration = event.duration_ms as f64;
            answered(hook, op, method, &request.host, &request.path, request.attempt, event.status, duration, error);
        }
    }
}
