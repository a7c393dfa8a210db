//! Hostile modes: a provider, or a proxy in front of it, that misbehaves on purpose to see
//! whether a client leaks what it sent. A redirect to the trap (a second loopback listener
//! that records every request reaching it), an error that echoes the whole request
//! (credentials, PIN, code) and Meta pages that never end.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::engine::Request;
use crate::faults::Fault;
use crate::reply::Reply;
use crate::util::query_get;
use crate::Provider;

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

/// What a hostile mode sees of the request it answers.
pub(crate) struct Seen<'a> {
    pub(crate) provider: Provider,
    pub(crate) request: &'a Request,
    /// `http://127.0.0.1:PORT` of the simulator.
    pub(crate) origin: &'a str,
    /// `http://127.0.0.1:PORT` of the trap.
    pub(crate) trap_origin: &'a str,
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
            let request = seen.request;
            let query = if request.query.is_empty() { String::new() } else { format!("?{}", request.query) };
            let status = if (300..400).contains(status) { *status } else { 307 };
            Reply::empty(status).with_header("location", format!("{}{}{query}", seen.trap_origin, request.path))
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
    let request = seen.request;
    let mut text = format!("echo: {} {}", request.method, request.path);
    if !request.query.is_empty() {
        text.push_str(&format!("?{}", request.query));
    }
    for (name, value) in &request.headers {
        text.push_str(&format!("\n{name}: {value}"));
    }
    text.push_str("\n\n");
    text.push_str(&String::from_utf8_lossy(&request.body));
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
    let pairs = crate::util::form_pairs(seen.request.query.as_bytes());
    let previous: u64 = query_get(&pairs, "after").and_then(|c| c.strip_prefix("page-")?.parse().ok()).unwrap_or(0);
    let after = if repeat { "page-1".to_owned() } else { format!("page-{}", previous + 1) };
    Reply::json(
        200,
        &json!({
            "data": [{ "id": crate::seed::META_PHONE_READY, "display_phone_number": "+1 631-555-0001" }],
            "paging": {
                "cursors": { "before": "page-0", "after": after },
                "next": format!("{}{}?after={after}", seen.origin, seen.request.path),
            },
        }),
    )
}
