//! The transport for Rust users and the uniffi bindings: reqwest over rustls (ring, no
//! OpenSSL), tokio's timer and the system clock.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Transport;
use crate::{Error, HttpRequest, HttpResponse, Method};

/// Who is calling, in the `name/1.2.3` form Meta's OpenAPI file gives its optional
/// `User-Agent` header (reqwest sends none by default).
const USER_AGENT: &str = concat!("waonboard/", env!("CARGO_PKG_VERSION"));

/// Sends with reqwest; connection and whole-request time limits give `timeout` errors.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with a 10 s connect limit and a 30 s limit per request.
    pub fn new() -> Result<ReqwestTransport, Error> {
        ReqwestTransport::with_timeouts(Duration::from_secs(10), Duration::from_secs(30))
    }

    /// A transport with the given connect and per-request time limits.
    pub fn with_timeouts(connect: Duration, request: Duration) -> Result<ReqwestTransport, Error> {
        // reqwest is built without a default crypto provider so that ring (smaller and
        // quicker to build than aws-lc-rs) can be chosen; an app that installed another
        // provider first keeps it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // Redirects are never followed: a provider never redirects these calls, and a
        // followed 307 would carry the PIN, code or secret to another host (a 302 would
        // turn a write into a GET that the other host may answer 200). The 3xx comes back
        // as it is, and the core makes it a `provider` error naming the status.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect)
            .timeout(request)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| Error::transport(format!("the HTTP client could not start: {e}")))?;
        Ok(ReqwestTransport { client })
    }
}

impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = response.bytes().await.map_err(failure)?.to_vec();
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    fn now_ms(&self) -> u64 {
        system_now_ms()
    }

    fn random(&self) -> u64 {
        os_random()
    }
}

/// The system clock in Unix milliseconds, for native transports (an app's own HTTP stack
/// wrapped by a binding needs the same).
pub fn system_now_ms() -> u64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX)
}

/// A random number for backoff jitter: std seeds each `RandomState` from the OS, which is
/// enough for jitter and needs no extra crate.
pub fn os_random() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(system_now_ms());
    hasher.finish()
}

/// reqwest's errors as ours; the URL is left out of the message (it is in the request).
fn failure(error: reqwest::Error) -> Error {
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if error.is_timeout() {
        Error::timeout(format!("no answer in time: {message}"))
    } else {
        Error::transport(format!("the request failed: {message}"))
    }
}
