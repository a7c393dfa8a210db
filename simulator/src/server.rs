//! The tokio host of the [`Engine`]: two loopback listeners (the simulator and the trap),
//! the real clock and the real-time waits that faults ask for.

use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Request as HttpRequest, State};
use axum::http::{header, HeaderName, HeaderValue, Response as HttpResponse, StatusCode};
use axum::Router;
use http_body::Frame;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::engine::{Engine, Outcome, Request, Response, BODY_LIMIT};
use crate::{FaultRule, LoggedRequest, Provider, SimConfig, TrapHit};

/// What the connections share: the engine, the clock's zero and the stop signal.
struct Host {
    engine: Engine,
    start: Instant,
    shutdown: watch::Receiver<bool>,
}

impl Host {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

/// A running simulator. Dropping it stops the server too (without waiting).
pub struct Simulator {
    host: Arc<Host>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds 127.0.0.1 (port from the config, 0 for any) and serves on the current tokio
    /// runtime. Loopback only: the simulator holds fake credentials and must never be
    /// reachable from the network.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port))).await?;
        let addr = listener.local_addr()?;
        let trap = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let trap_addr = trap.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let start = Instant::now();
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
        let engine = Engine::new(
            config,
            &format!("http://{addr}"),
            &format!("http://{trap_addr}"),
            u64::try_from(wall.as_millis()).unwrap_or(0),
            entropy(wall),
        );
        let host = Arc::new(Host { engine, start, shutdown });
        tokio::spawn(serve(trap, Router::new().fallback(caught).with_state(host.clone()), host.shutdown.clone()));
        let task = tokio::spawn(serve(
            listener,
            Router::new().fallback(dispatch).with_state(host.clone()),
            host.shutdown.clone(),
        ));
        Ok(Simulator { host, addr, stop, task: Some(task) })
    }

    fn engine(&self) -> &Engine {
        &self.host.engine
    }

    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the root of the side channel (`/_sim/...`).
    pub fn url(&self) -> String {
        self.engine().origin().to_owned()
    }

    /// The base URL a client uses for `provider`, e.g. `http://127.0.0.1:PORT/meta`.
    pub fn base_url(&self, provider: Provider) -> String {
        format!("{}{}", self.engine().origin(), provider.prefix())
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        self.engine().config()
    }

    /// The OTP most recently sent for a number: `key` is the Meta phone_number_id, the
    /// Vonage deployment_id or the 99digital `whatsapp` number. `None` when no code is
    /// waiting (never requested, already used, or a Vonage deployment not yet at CODE_SENT).
    pub fn otp(&self, provider: Provider, key: &str) -> Option<String> {
        self.engine().otp(provider, key, self.host.elapsed())
    }

    /// Every request made to a provider route so far (not `/_sim`), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.engine().requests()
    }

    /// `http://127.0.0.1:PORT` of the trap, the other host the `redirect` fault points to.
    pub fn trap_url(&self) -> String {
        self.engine().trap_origin().to_owned()
    }

    /// Every request that reached the trap (a client that followed a redirect), oldest first.
    pub fn trap_hits(&self) -> Vec<TrapHit> {
        self.engine().trap_hits()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.engine().clear_requests();
    }

    /// Moves the simulated clock forward (tokens expire, windows slide, Vonage advances).
    pub fn advance(&self, d: Duration) {
        self.engine().advance(d);
    }

    /// Simulated time elapsed since start (or the last reset).
    pub fn now(&self) -> Duration {
        self.engine().sim_time(self.host.elapsed())
    }

    /// Adds a fault rule; returns its id. Rules are tried in the order they were added.
    pub fn inject(&self, fault: FaultRule) -> u64 {
        self.engine().inject(fault)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.engine().clear_faults();
    }

    /// Puts all state back to the seed data and clears the log, the faults and the clock.
    pub fn reset(&self) {
        self.engine().reset(self.host.elapsed());
    }

    /// Sets a Meta number's `name_status` (e.g. to approve a display name after a review).
    /// Returns false for an unknown phone_number_id.
    pub fn set_meta_name_status(&self, phone_number_id: &str, name_status: &str) -> bool {
        self.engine().set_meta_name_status(phone_number_id, name_status)
    }

    /// Adds a number to the seeded Meta WABA, as `meta.add_phone_number` does (unverified,
    /// its name usable without review), e.g. for runs over many numbers; its phone number ID.
    pub fn add_meta_number(&self, cc: &str, national: &str, verified_name: &str) -> String {
        self.engine().add_meta_number(cc, national, verified_name)
    }

    /// Sets a Meta number's `code_verification_status`, e.g. `VERIFIED` as a number leaves
    /// Embedded Signup. Returns false for an unknown phone_number_id.
    pub fn set_meta_code_verification_status(&self, phone_number_id: &str, status: &str) -> bool {
        self.engine().set_meta_code_verification_status(phone_number_id, status)
    }

    /// The seed credentials and ids as JSON (the same as `GET /_sim/seed`).
    pub fn seed_info(&self) -> Value {
        self.engine().seed_info()
    }

    /// Stops accepting connections, ends pending fault sleeps and waits (at most 2 s)
    /// for in-flight requests.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(2), task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

/// Seeds codes, ids and tokens when the config gives no seed: the time, and an address
/// so that two simulators started in the same nanosecond differ.
fn entropy(wall: Duration) -> u64 {
    let local = 0u8;
    (wall.as_nanos() as u64) ^ (&local as *const u8 as u64).rotate_left(32)
}

async fn serve(listener: TcpListener, app: Router, mut stop: watch::Receiver<bool>) {
    let signal = async move {
        // An Err means the handle is gone: stop too.
        let _ = stop.wait_for(|s| *s).await;
    };
    // serve() only returns early on an accept error it cannot recover from; nothing to do.
    let _ = axum::serve(listener, app).with_graceful_shutdown(signal).await;
}

async fn dispatch(State(host): State<Arc<Host>>, req: HttpRequest) -> HttpResponse<Body> {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return write(crate::reply::Reply::html_page(413, "Request Entity Too Large").into_response());
    };
    let request = Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: body.to_vec(),
    };
    match host.engine.handle(&request, host.elapsed()) {
        Outcome::Respond(response) => write(response),
        Outcome::Resume { delay, seq } => {
            if !sleep_unless_stopped(&host, delay).await {
                return dropped_connection();
            }
            write(host.engine.resume(&request, seq, host.elapsed()))
        }
        Outcome::RespondLate { delay, response } => {
            if !sleep_unless_stopped(&host, delay).await {
                return dropped_connection();
            }
            write(response)
        }
        Outcome::Drop { delay } => {
            sleep_unless_stopped(&host, delay).await;
            dropped_connection()
        }
    }
}

/// The trap: every request is recorded by the engine and answered as a success.
async fn caught(State(host): State<Arc<Host>>, req: HttpRequest) -> HttpResponse<Body> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let authorization = req.headers().contains_key(header::AUTHORIZATION);
    let body = axum::body::to_bytes(req.into_body(), 16 << 20).await.map(|b| b.len()).unwrap_or_default();
    write(host.engine.trap(&method, &path, authorization, body))
}

fn write(response: Response) -> HttpResponse<Body> {
    let mut resp = HttpResponse::new(Body::from(response.body));
    *resp.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    for (name, value) in response.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(&value)) {
            headers.append(name, value);
        }
    }
    resp
}

/// Sleeps in real time; returns false when the simulator is shutting down meanwhile.
async fn sleep_unless_stopped(host: &Host, d: Duration) -> bool {
    let mut stop = host.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(d) => true,
        _ = stop.wait_for(|s| *s) => false,
    }
}

/// A response whose body fails before its first byte: hyper then aborts the connection
/// without sending the status line, so the client sees a connection error.
fn dropped_connection() -> HttpResponse<Body> {
    let mut resp = HttpResponse::new(Body::new(FailingBody));
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
