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

/// The transport a client was built with.
pub(crate) enum AppTransport {
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
        if let Some(foreign) = foreign {
            return Ok(AppTransport::Foreign(foreign));
        }
        let connect = Duration::from_millis(connect_timeout_ms.unwrap_or(10_000));
        let request = Duration::from_millis(request_timeout_ms.unwrap_or(30_000));
        Ok(AppTransport::Reqwest(ReqwestTransport::with_timeouts(connect, request)?))
    }
}

impl Transport for AppTransport {
    async fn send(&self, request: waonboard::HttpRequest) -> Result<waonboard::HttpResponse, waonboard::Error> {
        match self {
            AppTransport::Reqwest(reqwest) => reqwest.send(request).await,
            AppTransport::Foreign(foreign) => {
                foreign.send(request.into()).await.map(Into::into).map_err(WaonboardError::into_core)
            }
            AppTransport::Callback(callback) => callback.send(request),
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
}
