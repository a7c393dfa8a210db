//! What the client reports of each attempt at a request, to the transport's hooks and
//! (with the `tracing` feature) as `tracing` events: where it went and how it ended,
//! never a secret. The method, host, path, status and timing come from the request line
//! and the answer's status; the query (it may hold values), the headers (the token) and
//! the bodies (PINs, codes, client secrets, fresh tokens) are never read for them.

use crate::error::host_and_path_parts;
use crate::{ErrorKind, HttpRequest, Method, Operation};

/// One attempt at sending a request, reported before it leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestEvent {
    /// The operation the request belongs to.
    pub operation: Operation,
    /// The HTTP method.
    pub method: Method,
    /// The host, with its port when the URL names one.
    pub host: String,
    /// The path, without the query.
    pub path: String,
    /// 1 for the first attempt, counting retries of reads.
    pub attempt: u32,
}

impl RequestEvent {
    pub(crate) fn new(operation: Operation, request: &HttpRequest, attempt: u32) -> RequestEvent {
        let (host, path) = host_and_path_parts(&request.url);
        let path = if path.is_empty() { "/" } else { path };
        RequestEvent { operation, method: request.method, host: host.to_owned(), path: path.to_owned(), attempt }
    }
}

/// How an attempt ended: the answer's status, or the kind of error when none came.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseEvent {
    /// The attempt, as reported before it left.
    pub request: RequestEvent,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// From just before sending to the answer or the failure, by the transport's clock.
    pub duration_ms: u64,
    /// The kind of error the attempt ended in (a 4xx or 5xx answer, or none at all).
    pub error: Option<ErrorKind>,
}

/// Emits the `tracing` event of an attempt about to leave (DEBUG, target `waonboard`).
#[cfg(feature = "tracing")]
pub(crate) fn trace_request(event: &RequestEvent) {
    tracing::debug!(
        target: "waonboard",
        operation = event.operation.as_str(),
        method = event.method.as_str(),
        host = event.host.as_str(),
        path = event.path.as_str(),
        attempt = event.attempt,
        "sending"
    );
}

/// Emits the `tracing` event of an attempt's end (DEBUG, target `waonboard`).
#[cfg(feature = "tracing")]
pub(crate) fn trace_response(event: &ResponseEvent) {
    let request = &event.request;
    tracing::debug!(
        target: "waonboard",
        operation = request.operation.as_str(),
        method = request.method.as_str(),
        host = request.host.as_str(),
        path = request.path.as_str(),
        attempt = request.attempt,
        status = event.status,
        duration_ms = event.duration_ms,
        error = event.error.map(ErrorKind::as_str),
        "answered"
    );
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn trace_request(_: &RequestEvent) {}

#[cfg(not(feature = "tracing"))]
pub(crate) fn trace_response(_: &ResponseEvent) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_and_user_info_are_left_out() {
        let request = HttpRequest {
            method: Method::Get,
            url: "https://user:pw@graph.facebook.com:8443/v23.0/123/phone_numbers?access_token=s3cr3t#f".into(),
            headers: vec![("authorization".into(), "Bearer s3cr3t".into())],
            body: None,
        };
        let event = RequestEvent::new(Operation::MetaListPhoneNumbers, &request, 2);
        assert_eq!(event.host, "graph.facebook.com:8443");
        assert_eq!(event.path, "/v23.0/123/phone_numbers");
        assert!(!format!("{event:?}").contains("s3cr3t"));
        let bare = HttpRequest { url: "http://127.0.0.1:9".into(), ..request };
        assert_eq!(RequestEvent::new(Operation::MetaListPhoneNumbers, &bare, 1).path, "/");
    }
}
