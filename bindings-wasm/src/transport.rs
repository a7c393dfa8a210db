//! The core's `Transport` over what every JS host has: the global `fetch` (through
//! gloo-net), `AbortSignal.timeout`, `setTimeout`, `Date.now()` and `Math.random()`.

use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use js_sys::{Date, Function, Math, Promise, Reflect};
use waonboard::client::Transport;
use waonboard::{Error, HttpRequest, HttpResponse, Method};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestRedirect, ResponseType};

#[wasm_bindgen]
extern "C" {
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

/// Sends with `fetch`; each request, body included, must finish within `timeout_ms`.
#[derive(Clone, Debug)]
pub struct FetchTransport {
    /// The limit per request, in milliseconds.
    pub timeout_ms: u32,
}

impl FetchTransport {
    /// The default limit per request, as the reqwest transport has.
    pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

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
        let answer = JsFuture::from(fetch_with_request(&built)).await.map_err(|e| self.fetch_rejected(&e))?;
        let response = gloo_net::http::Response::from(
            answer
                .dyn_into::<web_sys::Response>()
                .map_err(|_| Error::transport("fetch answered with something other than a Response"))?,
        );
        if response.type_() == ResponseType::Opaqueredirect {
            return Err(Error::redirect(None));
        }
        let headers = response.headers().entries().collect();
        let body = response.binary().await.map_err(|e| self.failure(e))?;
        Ok(HttpResponse { status: response.status(), headers, body })
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
