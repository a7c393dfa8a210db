//! The core's `Transport` over what every JS host has: the global `fetch` (through
//! gloo-net), `AbortSignal.timeout`, `setTimeout`, `Date.now()` and `Math.random()`.

use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use js_sys::{Date, Function, Math, Promise};
use waonboard::client::Transport;
use waonboard::{Error, HttpRequest, HttpResponse, Method};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestRedirect, ResponseType};

#[wasm_bindgen]
extern "C" {
    /// The host's timer, global in browsers, workers and Node alike (not `window.setTimeout`,
    /// which Node lacks).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: i32) -> JsValue;
}

/// Sends with `fetch`; each request, body included, must finish within `timeout_ms`.
#[derive(Clone, Debug)]
pub struct FetchTransport {
    /// The limit per request, in milliseconds.
    pub timeout_ms: u32,
}

impl FetchTransport {
    /// The default limit per request, as the reqwest transport has.
    pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

    fn failure(&self, error: gloo_net::Error) -> Error {
        match error {
            // `AbortSignal.timeout` rejects with a TimeoutError; older hosts say AbortError.
            gloo_net::Error::JsError(e) if e.name == "TimeoutError" || e.name == "AbortError" => {
                Error::timeout(format!("no answer within {} ms", self.timeout_ms))
            }
            gloo_net::Error::JsError(e) => Error::transport(format!("the request failed: {}: {}", e.name, e.message)),
            other => Error::transport(format!("the request failed: {other}")),
        }
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
        let response = built.map_err(|e| self.failure(e))?.send().await.map_err(|e| self.failure(e))?;
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
