//! The simulator without I/O: a request and the host's time in, what to answer out. The
//! tokio server ([`crate::Simulator`]), the npm package's `waonboard/sandbox` (this engine
//! in wasm behind `node:http`) and the wheel's `waonboard.sandbox` (over FFI behind
//! Python's `http.server`) are hosts of this one engine, so they behave alike.
//!
//! The engine reads no clock and no entropy: the host passes its monotonic time with
//! every call and a seed once, as quinn-proto does. Faults that wait in real time come
//! back as an [`Outcome`] that tells the host how long to hold the request.

use std::sync::Mutex;
use std::time::Duration;

use crate::clock::{Clock, Now};
use crate::faults::{fault_reply, Fault, FaultRule, FaultSet};
use crate::hostile::TrapHit;
use crate::log::{LoggedRequest, RequestLog};
use crate::reply::Reply;
use crate::rng::Rng;
use crate::util::lock;
use crate::{digital99, meta, side, vonage, Provider, SimConfig};

/// Bodies larger than this are refused (the real APIs take small JSON documents).
pub const BODY_LIMIT: usize = 1 << 20;

/// An HTTP request as a host read it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Upper-case method (`GET`, `POST`, ...).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, without the `?` (empty when none).
    pub query: String,
    /// Header names and values, in the order received (names in any letter case).
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

/// An HTTP response for the host to write out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What the host does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Answer this now.
    Respond(Response),
    /// Hold the request for `delay` (real time), then answer with [`Engine::resume`]:
    /// the operation runs only then, so a client that gives up first never has it done.
    Resume {
        /// How long to wait.
        delay: Duration,
        /// The request's number in the log, for [`Engine::resume`].
        seq: u64,
    },
    /// The operation ran; hold `response` for `delay` (real time), then answer.
    RespondLate {
        /// How long to wait.
        delay: Duration,
        /// The answer.
        response: Response,
    },
    /// Wait `delay` (real time; zero for a reset), then close the connection unanswered.
    Drop {
        /// How long to wait.
        delay: Duration,
    },
}

/// All provider state, behind one lock (handlers are short and synchronous).
pub(crate) struct World {
    pub(crate) rng: Rng,
    pub(crate) meta: meta::State,
    pub(crate) vonage: vonage::State,
    pub(crate) digital99: digital99::State,
}

impl World {
    pub(crate) fn seed(config: &SimConfig, now: Now, seed: u64) -> World {
        let mut rng = Rng::new(seed);
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
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: &'a [u8],
    pub(crate) now: Now,
    /// `http://127.0.0.1:PORT`, for absolute URLs such as Meta's `paging.next`.
    pub(crate) origin: &'a str,
}

impl Call<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The bearer token of the `authorization` header.
    pub(crate) fn bearer(&self) -> Option<&str> {
        let (scheme, token) = self.header("authorization")?.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
    }

    pub(crate) fn content_type_is(&self, prefix: &str) -> bool {
        self.header("content-type").is_some_and(|v| v.trim().to_ascii_lowercase().starts_with(prefix))
    }
}

/// A provider route, parsed once and used for the log, fault matching and handling.
enum ProviderRoute {
    Meta(meta::Route),
    Vonage(vonage::Route),
    Digital99(digital99::Route),
}

impl ProviderRoute {
    fn parse(provider: Provider, method: &str, rest: &str, config: &SimConfig) -> Self {
        match provider {
            Provider::Meta => ProviderRoute::Meta(meta::Route::parse(method, rest)),
            Provider::Vonage => ProviderRoute::Vonage(vonage::Route::parse(method, rest)),
            Provider::Digital99 => ProviderRoute::Digital99(digital99::Route::parse(method, rest, config)),
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

/// The simulator's state and request handling. Every method takes `&self` (the state sits
/// behind locks), so hosts share one engine between connections.
pub struct Engine {
    pub(crate) config: SimConfig,
    /// `http://127.0.0.1:PORT` of the host's listener.
    pub(crate) origin: String,
    /// `http://127.0.0.1:PORT` of the host's trap listener, where `redirect` points.
    pub(crate) trap_origin: String,
    pub(crate) clock: Mutex<Clock>,
    pub(crate) world: Mutex<World>,
    pub(crate) log: Mutex<RequestLog>,
    pub(crate) faults: Mutex<FaultSet>,
    pub(crate) trap_hits: Mutex<Vec<TrapHit>>,
}

impl Engine {
    /// An engine seeded with `config`'s data. `origin` and `trap_origin` are the host's two
    /// listeners (`http://127.0.0.1:PORT`); `unix_ms` is the wall-clock time when the
    /// host's time (passed to every call) is zero; `entropy` seeds codes, ids and tokens
    /// when `config.rng_seed` is `None`.
    pub fn new(config: SimConfig, origin: &str, trap_origin: &str, unix_ms: u64, entropy: u64) -> Engine {
        let clock = Clock::new(unix_ms);
        let world = World::seed(&config, clock.read(Duration::ZERO), config.rng_seed.unwrap_or(entropy));
        Engine {
            config,
            origin: origin.trim_end_matches('/').to_owned(),
            trap_origin: trap_origin.trim_end_matches('/').to_owned(),
            clock: Mutex::new(clock),
            world: Mutex::new(world),
            log: Mutex::new(RequestLog::default()),
            faults: Mutex::new(FaultSet::default()),
            trap_hits: Mutex::new(Vec::new()),
        }
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// `http://127.0.0.1:PORT`, the root of the side channel (`/_sim/...`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `http://127.0.0.1:PORT` of the trap.
    pub fn trap_origin(&self) -> &str {
        &self.trap_origin
    }

    pub(crate) fn now(&self, host: Duration) -> Now {
        lock(&self.clock).read(host)
    }

    /// Handles one request arriving at the host's time `host`.
    pub fn handle(&self, request: &Request, host: Duration) -> Outcome {
        if request.method.eq_ignore_ascii_case("OPTIONS") {
            return Outcome::Respond(
                Reply::empty(204)
                    .with_header("access-control-allow-methods", "GET, POST, PATCH, DELETE, OPTIONS".into())
                    .with_header("access-control-allow-headers", "authorization, content-type, accept".into())
                    .with_header("access-control-max-age", "600".into())
                    .into_response(),
            );
        }
        if request.body.len() > BODY_LIMIT {
            return Outcome::Respond(Reply::html_page(413, "Request Entity Too Large").into_response());
        }
        let path = request.path.as_str();
        if path == "/_sim" || path.starts_with("/_sim/") {
            let sub = path.strip_prefix("/_sim").unwrap_or("");
            return Outcome::Respond(
                side::handle(self, &request.method, sub, &request.query, &request.body, host).into_response(),
            );
        }
        let Some((provider, rest)) = split_provider(path) else {
            return Outcome::Respond(
                Reply::json(
                    404,
                    &serde_json::json!({
                        "error": "unknown path: providers live under /meta, /vonage and /99digital, the simulator's controls under /_sim"
                    }),
                )
                .into_response(),
            );
        };

        let route = self.route(provider, request, rest);
        let op = route.op();
        let now = self.now(host);
        let seq = lock(&self.log).push(provider, op, &request.method, path, &request.query, now);
        let Some(rule) = lock(&self.faults).take(provider, &request.method, path, op) else {
            return Outcome::Respond(self.finish(seq, self.process(&route, request, now)));
        };
        lock(&self.log).set_fault(seq, rule.fault.name());
        match rule.fault {
            Fault::Latency { ms } => Outcome::Resume { delay: Duration::from_millis(ms), seq },
            Fault::LateAnswer { ms } => Outcome::RespondLate {
                delay: Duration::from_millis(ms),
                response: self.finish(seq, self.process(&route, request, now)),
            },
            Fault::Reset => {
                if rule.should_process() {
                    self.process(&route, request, now);
                }
                Outcome::Drop { delay: Duration::ZERO }
            }
            Fault::Timeout { seconds } => {
                if rule.should_process() {
                    self.process(&route, request, now);
                }
                Outcome::Drop { delay: Duration::from_secs(seconds) }
            }
            ref fault if crate::hostile::is_hostile(fault) => {
                if rule.should_process() {
                    self.process(&route, request, now);
                }
                let seen =
                    crate::hostile::Seen { provider, request, origin: &self.origin, trap_origin: &self.trap_origin };
                Outcome::Respond(self.finish(seq, crate::hostile::reply(fault, &seen)))
            }
            ref fault => {
                let processed = rule.should_process().then(|| self.process(&route, request, now));
                let reply = fault_reply(fault, provider, processed, &mut lock(&self.world).rng);
                Outcome::Respond(self.finish(seq, reply))
            }
        }
    }

    /// The answer to a request [`Engine::handle`] held with [`Outcome::Resume`]: `request`
    /// is the same request, `host` the host's time now.
    pub fn resume(&self, request: &Request, seq: u64, host: Duration) -> Response {
        let Some((provider, rest)) = split_provider(&request.path) else {
            return Reply::html_page(500, "Internal Server Error").into_response();
        };
        let route = self.route(provider, request, rest);
        let now = self.now(host);
        self.finish(seq, self.process(&route, request, now))
    }

    /// Records a request that reached the trap and answers it with
    /// `200 {"success":true,"status":"OK"}`, the answer that would make a followed
    /// redirect look like success. `path` includes the query.
    pub fn trap(&self, method: &str, path: &str, authorization: bool, body_bytes: usize) -> Response {
        lock(&self.trap_hits).push(TrapHit {
            method: method.to_owned(),
            path: path.to_owned(),
            authorization,
            body_bytes,
        });
        Reply::json(200, &serde_json::json!({ "success": true, "status": "OK" })).into_response()
    }

    fn route(&self, provider: Provider, request: &Request, rest: &str) -> ProviderRoute {
        match ProviderRoute::parse(provider, &request.method, rest, &self.config) {
            // A Meta ID may name either kind of number: the state tells which.
            ProviderRoute::Meta(r) => ProviderRoute::Meta(r.resolve(&lock(&self.world).meta)),
            other => other,
        }
    }

    fn process(&self, route: &ProviderRoute, request: &Request, now: Now) -> Reply {
        let call = Call {
            query: crate::util::form_pairs(request.query.as_bytes()),
            headers: &request.headers,
            body: &request.body,
            now,
            origin: &self.origin,
        };
        let mut world = lock(&self.world);
        let World { rng, meta, vonage, digital99 } = &mut *world;
        match route {
            ProviderRoute::Meta(r) => meta::handle(meta, rng, &self.config, r, &call),
            ProviderRoute::Vonage(r) => vonage::handle(vonage, rng, &self.config, r, &call),
            ProviderRoute::Digital99(r) => digital99::handle(digital99, rng, &self.config, r, &call),
        }
    }

    /// Logs the status sent and makes the reply a response.
    fn finish(&self, seq: u64, reply: Reply) -> Response {
        lock(&self.log).set_status(seq, reply.status);
        reply.into_response()
    }

    /// Puts every piece of state back to the seed: providers, log, faults, clock.
    pub fn reset(&self, host: Duration) {
        let mut clock = lock(&self.clock);
        clock.rebase(host);
        let now = clock.read(host);
        drop(clock);
        let mut world = lock(&self.world);
        let seed = self.config.rng_seed.unwrap_or_else(|| world.rng.next_u64());
        *world = World::seed(&self.config, now, seed);
        drop(world);
        lock(&self.log).clear();
        lock(&self.faults).clear();
        lock(&self.trap_hits).clear();
    }

    /// The OTP most recently sent for a number: `key` is the Meta phone_number_id, the
    /// Vonage deployment_id or the 99digital `whatsapp` number. `None` when no code is
    /// waiting (never requested, already used, or a Vonage deployment not yet at CODE_SENT).
    pub fn otp(&self, provider: Provider, key: &str, host: Duration) -> Option<String> {
        let now = self.now(host);
        let mut world = lock(&self.world);
        match provider {
            Provider::Meta => world.meta.otp(key),
            Provider::Vonage => {
                let World { vonage, rng, .. } = &mut *world;
                vonage.tick(now, &self.config, rng);
                vonage.otp(key)
            }
            Provider::Digital99 => world.digital99.otp(key),
        }
    }

    /// Every request made to a provider route so far (not `/_sim`), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.log).entries()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.log).clear();
    }

    /// Every request that reached the trap, oldest first.
    pub fn trap_hits(&self) -> Vec<TrapHit> {
        lock(&self.trap_hits).clone()
    }

    /// Moves the simulated clock forward (tokens expire, windows slide, Vonage advances).
    pub fn advance(&self, d: Duration) {
        lock(&self.clock).advance(d);
    }

    /// Simulated time elapsed since start (or the last reset) at the host's time `host`.
    pub fn sim_time(&self, host: Duration) -> Duration {
        self.now(host).sim
    }

    /// Adds a fault rule; returns its id. Rules are tried in the order they were added.
    pub fn inject(&self, fault: FaultRule) -> u64 {
        lock(&self.faults).add(fault)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Sets a Meta number's `name_status`; false for an unknown phone_number_id.
    pub fn set_meta_name_status(&self, phone_number_id: &str, name_status: &str) -> bool {
        lock(&self.world).meta.set_name_status(phone_number_id, name_status)
    }

    /// Adds a number to the seeded Meta WABA, as `meta.add_phone_number` does; its ID.
    pub fn add_meta_number(&self, cc: &str, national: &str, verified_name: &str) -> String {
        let mut world = lock(&self.world);
        let World { meta, rng, .. } = &mut *world;
        meta.add_number(rng, cc, national, verified_name)
    }

    /// Sets a Meta number's `code_verification_status`; false for an unknown ID.
    pub fn set_meta_code_verification_status(&self, phone_number_id: &str, status: &str) -> bool {
        lock(&self.world).meta.set_code_verification_status(phone_number_id, status)
    }

    /// The seed credentials and ids as JSON (the same as `GET /_sim/seed`).
    pub fn seed_info(&self) -> serde_json::Value {
        side::seed_json(self)
    }

    /// The `WAONBOARD_*` variables (base URLs, fake credentials) that point the CLI and
    /// the README examples here, in the order a banner prints them.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        side::env_vars(self)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::seed;

    fn engine(seed: u64) -> Engine {
        let config = SimConfig { rng_seed: Some(seed), ..SimConfig::default() };
        Engine::new(config, "http://127.0.0.1:1", "http://127.0.0.1:2", 1_700_000_000_000, 0)
    }

    fn request_code() -> Request {
        Request {
            method: "POST".into(),
            path: format!("/meta/v23.0/{}/request_code", seed::META_PHONE_READY),
            query: String::new(),
            headers: vec![
                ("authorization".into(), format!("Bearer {}", seed::META_TOKEN)),
                ("content-type".into(), "application/json".into()),
            ],
            body: br#"{"code_method":"SMS","language":"en_US"}"#.to_vec(),
        }
    }

    fn respond(outcome: Outcome) -> Response {
        match outcome {
            Outcome::Respond(response) => response,
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn the_same_seed_and_host_times_give_the_same_answers_and_codes() {
        let (a, b) = (engine(9), engine(9));
        let at = Duration::from_millis(5);
        let (first, second) = (respond(a.handle(&request_code(), at)), respond(b.handle(&request_code(), at)));
        assert_eq!(first.status, 200);
        assert_eq!(first.body, br#"{"success":true}"#);
        assert_eq!(first, second);
        let code = a.otp(Provider::Meta, seed::META_PHONE_READY, at).unwrap();
        assert_eq!(Some(code), b.otp(Provider::Meta, seed::META_PHONE_READY, at));
    }

    #[test]
    fn latency_asks_the_host_to_wait_and_the_operation_runs_on_resume() {
        let engine = engine(1);
        engine.inject(FaultRule::new(Fault::Latency { ms: 250 }).op("meta.request_code"));
        let Outcome::Resume { delay, seq } = engine.handle(&request_code(), Duration::ZERO) else {
            panic!("expected Resume");
        };
        assert_eq!(delay, Duration::from_millis(250));
        // Nothing ran yet: no code is waiting, the log has no status.
        assert_eq!(engine.otp(Provider::Meta, seed::META_PHONE_READY, Duration::ZERO), None);
        assert_eq!(engine.requests()[0].status, None);
        let response = engine.resume(&request_code(), seq, Duration::from_millis(250));
        assert_eq!(response.status, 200);
        assert!(engine.otp(Provider::Meta, seed::META_PHONE_READY, Duration::from_millis(250)).is_some());
        assert_eq!(engine.requests()[0].status, Some(200));
    }

    #[test]
    fn a_reset_fault_drops_at_once_and_a_timeout_after_its_seconds() {
        let engine = engine(1);
        engine.inject(FaultRule::new(Fault::Reset));
        engine.inject(FaultRule::new(Fault::Timeout { seconds: 30 }));
        assert_eq!(engine.handle(&request_code(), Duration::ZERO), Outcome::Drop { delay: Duration::ZERO });
        assert_eq!(engine.handle(&request_code(), Duration::ZERO), Outcome::Drop { delay: Duration::from_secs(30) });
    }

    #[test]
    fn simulated_time_is_the_hosts_plus_what_tests_advanced() {
        let engine = engine(1);
        assert_eq!(engine.sim_time(Duration::from_secs(2)), Duration::from_secs(2));
        engine.advance(Duration::from_secs(3600));
        assert_eq!(engine.sim_time(Duration::from_secs(2)), Duration::from_secs(3602));
        assert_eq!(engine.now(Duration::from_secs(2)).unix, 1_700_000_000 + 3602);
        engine.reset(Duration::from_secs(10));
        assert_eq!(engine.sim_time(Duration::from_secs(10)), Duration::ZERO);
        assert_eq!(engine.now(Duration::from_secs(10)).unix, 1_700_000_010);
    }

    #[test]
    fn every_answer_carries_cors_and_a_preflight_is_a_204() {
        let engine = engine(1);
        let preflight = Request { method: "OPTIONS".into(), path: "/meta/v23.0/1".into(), ..Request::default() };
        let response = respond(engine.handle(&preflight, Duration::ZERO));
        assert_eq!(response.status, 204);
        let answer = respond(engine.handle(&request_code(), Duration::ZERO));
        assert!(answer.headers.contains(&("access-control-allow-origin".to_owned(), "*".to_owned())));
        assert!(engine.requests().iter().all(|r| r.method != "OPTIONS"), "a preflight is not logged");
    }
}
