//! The HTTP front: CORS, the provider prefixes, the request log and fault injection.
//! Routing is done by hand over path segments (not axum's router) so that every unknown
//! path, wrong method or bad body gets the provider's own error shape.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::Router;
use http_body::Frame;
use tokio::net::TcpListener;

use crate::clock::Now;
use crate::faults::{fault_reply, Fault};
use crate::reply::Reply;
use crate::rng::Rng;
use crate::util::lock;
use crate::{digital99, meta, side, vonage, Provider, Shared, SimConfig};

/// Bodies larger than this are refused (the real APIs take small JSON documents).
const BODY_LIMIT: usize = 1 << 20;

/// All provider state, behind one lock (handlers are short and synchronous).
pub(crate) struct World {
    pub(crate) rng: Rng,
    pub(crate) meta: meta::State,
    pub(crate) vonage: vonage::State,
    pub(crate) digital99: digital99::State,
}

impl World {
    pub(crate) fn seed(config: &SimConfig, now: Now) -> World {
        let mut rng = Rng::new(config.rng_seed);
        World {
            meta: meta::State::seed(config),
            vonage: vonage::State::seed(now),
            digital99: digital99::State::seed(now, &mut rng),
            rng,
        }
    }
}

/// What a provider handler sees of a request.
pub(crate) struct Call<'a> {
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
    pub(crate) now: Now,
    /// `http://127.0.0.1:PORT`, for absolute URLs such as Meta's `paging.next`.
    pub(crate) origin: String,
}

impl Call<'_> {
    /// The bearer token of the `authorization` header.
    pub(crate) fn bearer(&self) -> Option<&str> {
        let value = self.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
    }

    pub(crate) fn content_type_is(&self, prefix: &str) -> bool {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with(prefix))
    }
}

/// A provider route, parsed once and used for the log, fault matching and handling.
enum ProviderRoute {
    Meta(meta::Route),
    Vonage(vonage::Route),
    Digital99(digital99::Route),
}

impl ProviderRoute {
    fn parse(provider: Provider, method: &Method, rest: &str, config: &SimConfig) -> Self {
        match provider {
            Provider::Meta => ProviderRoute::Meta(meta::Route::parse(method, rest)),
            Provider::Vonage => ProviderRoute::Vonage(vonage::Route::parse(method, rest)),
            Provider::Digital99 => ProviderRoute::Digital99(digital99::Route::parse(method, rest, config)),
        }
    }

    /// The route as the providers' state reads it (a Meta ID may name either kind of number).
    fn resolve(self, shared: &Shared) -> Self {
        match self {
            ProviderRoute::Meta(r) => ProviderRoute::Meta(r.resolve(&lock(&shared.world).meta)),
            other => other,
        }
    }

    fn op(&self) -> Option<&'static str> {
        match self {
            ProviderRoute::Meta(r) => r.op(),
            ProviderRoute::Vonage(r) => r.op(),
            ProviderRoute::Digital99(r) => r.op(),
        }
    }
}

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut stop = shared.shutdown.clone();
    let app = Router::new().fallback(dispatch).with_state(shared);
    let signal = async move {
        // An Err means the handle is gone: stop too.
        let _ = stop.wait_for(|s| *s).await;
    };
    // serve() only returns early on an accept error it cannot recover from; nothing to do.
    let _ = axum::serve(listener, app).with_graceful_shutdown(signal).await;
}

async fn dispatch(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let mut resp = if req.method() == Method::OPTIONS {
        Reply::empty(204)
            .with_header("access-control-allow-methods", "GET, POST, PATCH, DELETE, OPTIONS".into())
            .with_header("access-control-allow-headers", "authorization, content-type, accept".into())
            .with_header("access-control-max-age", "600".into())
            .into_response()
    } else {
        route(shared, req).await
    };
    let headers = resp.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("retry-after"));
    resp
}

fn split_provider(path: &str) -> Option<(Provider, &str)> {
    for p in [Provider::Meta, Provider::Vonage, Provider::Digital99] {
        if let Some(rest) = path.strip_prefix(p.prefix()) {
            if rest.is_empty() || rest.starts_with('/') {
                return Some((p, rest));
            }
        }
    }
    None
}

async fn route(shared: Arc<Shared>, req: Request) -> Response<Body> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return Reply::html_page(413, "Request Entity Too Large").into_response(),
    };
    if path == "/_sim" || path.starts_with("/_sim/") {
        let sub = path.strip_prefix("/_sim").unwrap_or("");
        return side::handle(&shared, &parts.method, sub, &query, &body).into_response();
    }
    let Some((provider, rest)) = split_provider(&path) else {
        return Reply::json(
            404,
            &serde_json::json!({
                "error": "unknown path: providers live under /meta, /vonage and /99digital, the simulator's controls under /_sim"
            }),
        )
        .into_response();
    };

    let route = ProviderRoute::parse(provider, &parts.method, rest, &shared.config).resolve(&shared);
    let op = route.op();
    let method = parts.method.as_str().to_owned();
    let seq = lock(&shared.log).push(provider, op, &method, &path, &query, shared.clock.now());
    let fault = lock(&shared.faults).take(provider, &method, &path, op);

    let process = |shared: &Shared| {
        let call = Call {
            query: crate::util::form_pairs(query.as_bytes()),
            headers: &parts.headers,
            body: &body,
            now: shared.clock.now(),
            origin: format!("http://{}", shared.addr),
        };
        handle(shared, &route, &call)
    };

    let reply = match fault {
        None => process(&shared),
        Some(rule) => {
            lock(&shared.log).set_fault(seq, rule.fault.name());
            match rule.fault {
                Fault::Latency { ms } => {
                    if !sleep_unless_stopped(&shared, Duration::from_millis(ms)).await {
                        return dropped_connection();
                    }
                    process(&shared)
                }
                Fault::LateAnswer { ms } => {
                    let reply = process(&shared);
                    if !sleep_unless_stopped(&shared, Duration::from_millis(ms)).await {
                        return dropped_connection();
                    }
                    reply
                }
                Fault::Reset => {
                    if rule.should_process() {
                        process(&shared);
                    }
                    return dropped_connection();
                }
                Fault::Timeout { seconds } => {
                    if rule.should_process() {
                        process(&shared);
                    }
                    sleep_unless_stopped(&shared, Duration::from_secs(seconds)).await;
                    return dropped_connection();
                }
                ref fault if crate::hostile::is_hostile(fault) => {
                    if rule.should_process() {
                        process(&shared);
                    }
                    let seen = crate::hostile::Seen {
                        provider,
                        method: &parts.method,
                        path: &path,
                        query: &query,
                        headers: &parts.headers,
                        body: &body,
                        origin: format!("http://{}", shared.addr),
                        trap: shared.trap_addr,
                    };
                    crate::hostile::reply(fault, &seen)
                }
                ref fault => {
                    let processed = rule.should_process().then(|| process(&shared));
                    let mut world = lock(&shared.world);
                    fault_reply(fault, provider, processed, &mut world.rng)
                }
            }
        }
    };
    lock(&shared.log).set_status(seq, reply.status);
    reply.into_response()
}

fn handle(shared: &Shared, route: &ProviderRoute, call: &Call<'_>) -> Reply {
    let mut world = lock(&shared.world);
    let World { rng, meta, vonage, digital99 } = &mut *world;
    match route {
        ProviderRoute::Meta(r) => meta::handle(meta, rng, &shared.config, r, call),
        ProviderRoute::Vonage(r) => vonage::handle(vonage, rng, &shared.config, r, call),
        ProviderRoute::Digital99(r) => digital99::handle(digital99, rng, &shared.config, r, call),
    }
}

/// Sleeps in real time; returns false when the simulator is shutting down meanwhile.
async fn sleep_unless_stopped(shared: &Shared, d: Duration) -> bool {
    let mut stop = shared.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(d) => true,
        _ = stop.wait_for(|s| *s) => false,
    }
}

/// A response whose body fails before its first byte: hyper then aborts the connection
/// without sending the status line, so the client sees a connection error.
fn dropped_connection() -> Response<Body> {
    let mut resp = Response::new(Body::new(FailingBody));
    *resp.status_mut() = StatusCode::OK;
    resp
}

struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "simulated connection reset"))))
    }
}
