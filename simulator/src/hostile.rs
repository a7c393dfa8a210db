//! Hostile modes: a provider, or a proxy in front of it, that misbehaves on purpose to see
//! whether a client leaks what it sent. A redirect to the trap (a second loopback listener
//! that records every request reaching it), an error that echoes the whole request
//! (credentials, PIN, code) and Meta pages that never end.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, Response};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::net::TcpListener;

use crate::faults::Fault;
use crate::reply::Reply;
use crate::util::{lock, query_get};
use crate::{Provider, Shared};

/// A request that reached the trap: had a client followed a redirect, this is where it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrapHit {
    /// HTTP method, upper case.
    pub method: String,
    /// The path and query it asked for.
    pub path: String,
    /// Whether it carried an `authorization` header.
    pub authorization: bool,
    /// Size of the body it carried.
    pub body_bytes: usize,
}

/// Serves the trap: records every request and answers `200 {"success":true,"status":"OK"}`,
/// the answer that would make a followed redirect look like success.
pub(crate) async fn serve_trap(listener: TcpListener, shared: Arc<Shared>) {
    let mut stop = shared.shutdown.clone();
    let app = Router::new().fallback(caught).with_state(shared);
    let signal = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    let _ = axum::serve(listener, app).with_graceful_shutdown(signal).await;
}

async fn caught(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let authorization = req.headers().contains_key(axum::http::header::AUTHORIZATION);
    let body = axum::body::to_bytes(req.into_body(), 16 << 20).await.map(|b| b.len()).unwrap_or_default();
    lock(&shared.trap_hits).push(TrapHit { method, path, authorization, body_bytes: body });
    Reply::json(200, &json!({ "success": true, "status": "OK" })).into_response()
}

/// What a hostile mode sees of the request it answers.
pub(crate) struct Seen<'a> {
    pub(crate) provider: Provider,
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
    pub(crate) origin: String,
    pub(crate) trap: SocketAddr,
}

/// Whether `fault` is a hostile mode, answered by [`reply`].
pub(crate) fn is_hostile(fault: &Fault) -> bool {
    matches!(
        fault,
        Fault::Redirect { .. } | Fault::EchoRequest { .. } | Fault::EndlessPages { .. } | Fault::MetaSuccessFalse
    )
}

/// The answer of a hostile fault (see [`is_hostile`]).
pub(crate) fn reply(fault: &Fault, seen: &Seen<'_>) -> Reply {
    match fault {
        Fault::Redirect { status } => {
            let query = if seen.query.is_empty() { String::new() } else { format!("?{}", seen.query) };
            let status = if (300..400).contains(status) { *status } else { 307 };
            Reply::empty(status).with_header("location", format!("http://{}{}{query}", seen.trap, seen.path))
        }
        Fault::EchoRequest { pad } => echo(seen, *pad),
        Fault::EndlessPages { repeat } => endless_page(seen, *repeat),
        Fault::MetaSuccessFalse => Reply::json(200, &json!({ "success": false })),
        _ => Reply::html_page(500, "Internal Server Error"),
    }
}

/// The biggest padding an echo adds.
const MAX_PAD: usize = 16 << 20;

/// The provider's error shape, its message the request verbatim plus `pad` bytes of text
/// laced with ANSI escapes and other control characters.
fn echo(seen: &Seen<'_>, pad: usize) -> Reply {
    let mut text = format!("echo: {} {}", seen.method, seen.path);
    if !seen.query.is_empty() {
        text.push_str(&format!("?{}", seen.query));
    }
    for (name, value) in seen.headers {
        text.push_str(&format!("\n{name}: {}", String::from_utf8_lossy(value.as_bytes())));
    }
    text.push_str("\n\n");
    text.push_str(&String::from_utf8_lossy(seen.body));
    let laced = "\u{1b}[31mRED\u{1b}[0m\u{7}\r";
    text.extend(laced.chars().cycle().take(pad.min(MAX_PAD)));
    match seen.provider {
        Provider::Meta => Reply::json(
            400,
            &json!({ "error": { "message": text, "type": "OAuthException", "code": 100, "fbtrace_id": "AechoEcho" } }),
        ),
        Provider::Vonage => Reply::problem(
            422,
            &json!({
                "type": "https://developer.nexmo.com/api-errors/whatsapp-provisioning#unprocessable",
                "title": "Unprocessable Entity",
                "detail": text,
            }),
        ),
        Provider::Digital99 => Reply::json(200, &json!({ "status": "FAIL", "reason": 4, "message": text })),
    }
}

/// A Meta list page of one number that always links a next page: the same cursor each
/// time (`repeat`), or a new one each time.
fn endless_page(seen: &Seen<'_>, repeat: bool) -> Reply {
    let pairs = crate::util::form_pairs(seen.query.as_bytes());
    let previous: u64 = query_get(&pairs, "after").and_then(|c| c.strip_prefix("page-")?.parse().ok()).unwrap_or(0);
    let after = if repeat { "page-1".to_owned() } else { format!("page-{}", previous + 1) };
    Reply::json(
        200,
        &json!({
            "data": [{ "id": crate::seed::META_PHONE_READY, "display_phone_number": "+1 631-555-0001" }],
            "paging": {
                "cursors": { "before": "page-0", "after": after },
                "next": format!("{}{}?after={after}", seen.origin, seen.path),
            },
        }),
    )
}
