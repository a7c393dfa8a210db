//! The core's `Transport` over what every JS host has: the global `fetch` (through
//! gloo-net), `AbortSignal.timeout`, `setTimeout`, `Date.now()` and `Math.random()`; or
//! over the npm package's [`Host`], which sends with the app's `fetch`, waits on a timer
//! an `AbortSignal` can cut short, and hands each attempt to the app's hooks.
//!
//! A call's `AbortSignal` reaches the transport as a task-local: [`with_signal`] sets it
//! while the call's future is polled, and wasm runs one poll at a time.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use js_sys::{Date, Function, Math, Promise, Reflect};
use serde_json::{Map, Value};
use waonboard::client::{RequestEvent, ResponseEvent, Transport};
use waonboard::{Error, HttpRequest, HttpResponse, Method};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestRedirect, ResponseType};

use crate::json_text;

#[wasm_bindgen]
extern "C" {
    /// What the npm package's JS layer provides a client: the app's `fetch` (or the
    /// global one), a timer that an `AbortSignal` ends early, and the app's hooks.
    #[derive(Clone, Debug)]
    pub type Host;

    /// Sends `request` with the app's fetch, also aborted by `signal` when given.
    #[wasm_bindgen(method, structural)]
    fn send(this: &Host, request: &web_sys::Request, signal: Option<AbortSignal>) -> Promise;

    /// Resolves after `ms` milliseconds, or as soon as `signal` aborts.
    #[wasm_bindgen(method, structural)]
    fn sleep(this: &Host, ms: i32, signal: Option<AbortSignal>) -> Promise;

    /// Whether the app gave hooks, so that events are built only for someone.
    #[wasm_bindgen(method, structural, getter)]
    fn observing(this: &Host) -> bool;

    /// Hands an event (JSON text) to the app's hooks.
    #[wasm_bindgen(method, structural)]
    fn observe(this: &Host, event: &str);

    /// The host's timer, global in browsers, workers and Node alike (not `window.setTimeout`,
    /// which Node lacks).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: i32) -> JsValue;

    /// The host's `fetch`, called here rather than through gloo-net so that a rejection
    /// keeps its `cause` (gloo-net keeps only the name and message).
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_request(input: &web_sys::Request) -> Promise;
}

/// How deep a rejection's `cause` chain is read.
const MAX_CAUSES: usize = 4;

thread_local! {
    /// The `AbortSignal` of the call being polled, if it has one.
    static CALL_SIGNAL: RefCell<Option<AbortSignal>> = const { RefCell::new(None) };
}

/// `future` with `signal` as the call's signal while it is polled.
pub(crate) fn with_signal<F: Future>(signal: Option<AbortSignal>, future: F) -> WithSignal<F> {
    WithSignal { signal, future: Box::pin(future) }
}

/// A future that polls another with its call's signal set (see [`with_signal`]).
pub(crate) struct WithSignal<F> {
    signal: Option<AbortSignal>,
    future: Pin<Box<F>>,
}

impl<F: Future> Future for WithSignal<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let outer = CALL_SIGNAL.with(|current| current.replace(this.signal.clone()));
        let polled = this.future.as_mut().poll(cx);
        CALL_SIGNAL.with(|current| *current.borrow_mut() = outer);
        polled
    }
}

fn call_signal() -> Option<AbortSignal> {
    CALL_SIGNAL.with(|current| current.borrow().clone())
}

/// Sends with `fetch`; each request, body included, must finish within `timeout_ms`.
#[derive(Clone, Debug)]
pub struct FetchTransport {
    /// The limit per request, in milliseconds.
    pub timeout_ms: u32,
    host: Option<Host>,
    observing: bool,
}

impl FetchTransport {
    /// The default limit per request, as the reqwest transport has.
    pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

    /// A transport over the global `fetch` and `setTimeout`, or over the JS layer's `host`.
    pub fn new(timeout_ms: u32, host: Option<Host>) -> FetchTransport {
        let observing = host.as_ref().is_some_and(Host::observing);
        FetchTransport { timeout_ms, host, observing }
    }

    /// A failure while the call's signal has aborted: the call was given up in flight.
    fn aborted_in_flight(cause: String) -> Error {
        Error::aborted("the call was aborted while its request was in flight").with_cause(cause)
    }

    /// A failure to build the request or read the body, as ours.
    fn failure(&self, error: gloo_net::Error) -> Error {
        match error {
            gloo_net::Error::JsError(e) => self.rejected(&e.name, format!("{}: {}", e.name, e.message)),
            other => Error::transport(format!("the request failed: {other}")).with_cause(other.to_string()),
        }
    }

    /// A JS error named `name` as ours, `cause` (its `name: message` and its causes') kept
    /// as the cause, which the JS layer makes the `cause` of the `WaonboardError`.
    fn rejected(&self, name: &str, cause: String) -> Error {
        // `AbortSignal.timeout` rejects with a TimeoutError; older hosts say AbortError.
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
        let method = match request.method {
            Method::Get => FetchMethod::GET,
            Method::Post => FetchMethod::POST,
            Method::Patch => FetchMethod::PATCH,
            Method::Delete => FetchMethod::DELETE,
        };
        // Redirects are never followed: a followed 307 would carry the PIN, code or secret
        // to another host. Node answers a manual redirect with the 3xx itself (the core
        // makes it a `provider` error naming the status); browsers with an opaque one.
        let mut builder = RequestBuilder::new(&request.url).method(method).redirect(RequestRedirect::Manual);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let signal = AbortSignal::timeout_with_u32(self.timeout_ms);
        let builder = builder.abort_signal(Some(&signal));
        let built = match request.body {
            Some(body) => builder.body(body),
            None => builder.build(),
        };
        let built: web_sys::Request = built.map_err(|e| self.failure(e))?.into();
        let call = call_signal();
        let aborted = || call.as_ref().is_some_and(AbortSignal::aborted);
        let sent = match &self.host {
            Some(host) => host.send(&built, call.clone()),
            None => fetch_with_request(&built),
        };
        let answer = JsFuture::from(sent).await.map_err(|e| match aborted() {
            true => Self::aborted_in_flight(self.fetch_rejected(&e).cause().unwrap_or_default().to_owned()),
            false => self.fetch_rejected(&e),
        })?;
        let response = gloo_net::http::Response::from(
            answer
                .dyn_into::<web_sys::Response>()
                .map_err(|_| Error::transport("fetch answered with something other than a Response"))?,
        );
        if response.type_() == ResponseType::Opaqueredirect {
            return Err(Error::redirect(None));
        }
        let headers = response.headers().entries().collect();
        let body = response.binary().await.map_err(|e| match aborted() {
            true => Self::aborted_in_flight(e.to_string()),
            false => self.failure(e),
        })?;
        Ok(HttpResponse { status: response.status(), headers, body })
    }

    async fn sleep(&self, ms: u64) {
        // setTimeout takes a signed 32-bit delay (a larger one fires at once).
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let promise = match &self.host {
            Some(host) => host.sleep(ms, call_signal()),
            None => Promise::new(&mut |resolve, _reject| {
                set_timeout(&resolve, ms);
            }),
        };
        // The promise only ever resolves.
        let _ = JsFuture::from(promise).await;
    }

    fn is_aborted(&self) -> bool {
        call_signal().is_some_and(|signal| signal.aborted())
    }

    fn on_request(&self, event: &RequestEvent) {
        if let Some(host) = self.host.as_ref().filter(|_| self.observing) {
            host.observe(&json_text(&Value::Object(event_fields("request", event))));
        }
    }

    fn on_response(&self, event: &ResponseEvent) {
        if let Some(host) = self.host.as_ref().filter(|_| self.observing) {
            let mut fields = event_fields("response", &event.request);
            if let Some(status) = event.status {
                fields.insert("status".into(), status.into());
            }
            fields.insert("duration_ms".into(), event.duration_ms.into());
            if let Some(kind) = event.error {
                fields.insert("error".into(), kind.as_str().into());
            }
            host.observe(&json_text(&Value::Object(fields)));
        }
    }

    fn now_ms(&self) -> u64 {
        // Date.now() is whole milliseconds since the epoch; Instant::now panics on wasm32.
        Date::now() as u64
    }

    fn random(&self) -> u64 {
        (Math::random() * 9_007_199_254_740_992.0) as u64
    }
}

/// The fields every event has: what it is, and where the attempt went.
fn event_fields(what: &str, event: &RequestEvent) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("event".into(), what.into());
    fields.insert("operation".into(), event.operation.as_str().into());
    fields.insert("method".into(), event.method.as_str().into());
    fields.insert("host".into(), event.host.as_str().into());
    fields.insert("path".into(), event.path.as_str().into());
    fields.insert("attempt".into(), event.attempt.into());
    fields
}
