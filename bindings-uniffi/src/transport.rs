//! The transports a client can run over: reqwest (rustls + ring) by default, or the app's
//! own HTTP stack (OkHttp/Ktor, URLSession, httpx/urllib) through a foreign trait, so that
//! the core's retries, tokens, paging and guards run over it unchanged.

use std::sync::Arc;
use std::time::Duration;

use waonboard::client::{ReqwestTransport, Transport};

use crate::wire::CallbackTransport;
use crate::{HttpRequest, HttpResponse, WaonboardError};

/// An HTTP stack the app provides. `send` sends the request as it is and returns any
/// HTTP answer, whatever its status; it raises `WaonboardError.Transport` (or `Timeout`)
/// only when no answer came. Any other exception counts as a `transport` error.
///
/// Turn redirects off and return a 3xx as it is (OkHttp `followRedirects(false)`, Ktor
/// `followRedirects = false`, URLSession: a delegate that refuses the redirection): a
/// followed redirect would carry the PIN, code or client secret to another host. The
/// library makes a 3xx a `provider` error naming the status.
#[uniffi::export(foreign)]
#[async_trait::async_trait]
pub trait HttpTransport: Send + Sync {
    /// Sends one request.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, WaonboardError>;
}

/// One attempt at a request, before it leaves: never a secret (no query, header or body).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct RequestEvent {
    /// The operation id, e.g. `meta.register`.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The host, with its port when the URL names one.
    pub host: String,
    /// The path, without the query.
    pub path: String,
    /// 1 for the first attempt, counting retries of reads.
    pub attempt: u32,
}

/// How an attempt ended: the status, or the error kind when no answer came.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ResponseEvent {
    /// The operation id.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The host, with its port when the URL names one.
    pub host: String,
    /// The path, without the query.
    pub path: String,
    /// 1 for the first attempt, counting retries of reads.
    pub attempt: u32,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// From just before sending to the answer or the failure.
    pub duration_ms: u64,
    /// The error kind the attempt ended in (`rate_limited`, `transport`, …), if any.
    pub error: Option<String>,
}

/// Told of each attempt at a request, for logs and metrics (Python logs them on the
/// `waonboard` logger). Called on the client's worker thread: keep it quick, and do not
/// throw.
#[uniffi::export(foreign)]
pub trait HttpListener: Send + Sync {
    /// Before an attempt leaves.
    fn on_request(&self, event: RequestEvent);
    /// When an attempt ends.
    fn on_response(&self, event: ResponseEvent);
}

fn request_event(event: &waonboard::client::RequestEvent) -> RequestEvent {
    RequestEvent {
        operation: event.operation.as_str().to_owned(),
        method: event.method.as_str().to_owned(),
        host: event.host.clone(),
        path: event.path.clone(),
        attempt: event.attempt,
    }
}

/// The transport a client was built with, and who is told of its requests.
pub(crate) struct AppTransport {
    http: Http,
    listener: Option<Arc<dyn HttpListener>>,
}

enum Http {
    Reqwest(ReqwestTransport),
    Foreign(Arc<dyn HttpTransport>),
    /// Python's blocking clients: the app's transport as a C callback (see `wire`).
    Callback(CallbackTransport),
}

impl AppTransport {
    /// The app's transport if it gave one, else reqwest with the given time limits.
    pub(crate) fn new(
        foreign: Option<Arc<dyn HttpTransport>>,
        connect_timeout_ms: Option<u64>,
        request_timeout_ms: Option<u64>,
    ) -> Result<AppTransport, WaonboardError> {
        let http = match foreign {
            Some(foreign) => Http::Foreign(foreign),
            None => {
                let connect = Duration::from_millis(connect_timeout_ms.unwrap_or(10_000));
                let request = Duration::from_millis(request_timeout_ms.unwrap_or(30_000));
                Http::Reqwest(ReqwestTransport::with_timeouts(connect, request)?)
            }
        };
        Ok(AppTransport { http, listener: None })
    }

    /// The app's transport as a C callback (Python's blocking clients, see `wire`).
    pub(crate) fn callback(callback: CallbackTransport) -> AppTransport {
        AppTransport { http: Http::Callback(callback), listener: None }
    }

    /// Whether requests go out through reqwest (on the runtime's own threads).
    pub(crate) fn is_reqwest(&self) -> bool {
        matches!(self.http, Http::Reqwest(_))
    }

    /// The same transport, telling `listener` of each attempt.
    pub(crate) fn with_listener(self, listener: Option<Arc<dyn HttpListener>>) -> AppTransport {
        AppTransport { listener, ..self }
    }
}

impl Transport for AppTransport {
    async fn send(&self, request: waonboard::HttpRequest) -> Result<waonboard::HttpResponse, waonboard::Error> {
        match &self.http {
            Http::Reqwest(reqwest) => reqwest.send(request).await,
            Http::Foreign(foreign) => {
                foreign.send(request.into()).await.map(Into::into).map_err(WaonboardError::into_core)
            }
            Http::Callback(callback) => callback.send(request),
        }
    }

    async fn sleep(&self, ms: u64) {
        // uniffi's tokio runtime (async_runtime = "tokio") provides the timer whatever
        // the transport, so a foreign one need not implement waiting.
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    fn now_ms(&self) -> u64 {
        waonboard::client::system_now_ms()
    }

    fn random(&self) -> u64 {
        waonboard::client::os_random()
    }

    fn on_request(&self, event: &waonboard::client::RequestEvent) {
        if let Some(listener) = &self.listener {
            listener.on_request(request_event(event));
        }
    }

    fn on_response(&self, event: &waonboard::client::ResponseEvent) {
        if let Some(listener) = &self.listener {
            let RequestEvent { operation, method, host, path, attempt } = request_event(&event.request);
            listener.on_response(ResponseEvent {
                operation,
                method,
                host,
                path,
                attempt,
                status: event.status,
                duration_ms: event.duration_ms,
                error: event.error.map(|kind| kind.as_str().to_owned()),
            });
        }
    }
}
