//! What the client reports of its requests (the transport's hooks and, with the `tracing`
//! feature, `tracing` events), checked over real HTTP against the simulator: one event
//! before and one after each request the simulator received, saying where it went and
//! how it ended, and none of the secrets that crossed the wire during three whole
//! onboardings.
//!
//! Every test here sets its `tracing` subscriber before the client runs: a callsite first
//! reached while no subscriber is registered would be cached as uninteresting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use waonboard::client::{
    Client, Digital99Credentials, Digital99Onboarding, FlowInput, MetaOnboarding, Needs, Onboarding, RequestEvent,
    ReqwestTransport, ResponseEvent, Transport, VonageOnboarding,
};
use waonboard::{Config, DeliveryMethod, Error, ErrorKind, HttpRequest, HttpResponse, Method, Operation};
use waonboard_sim::{seed, Fault, FaultRule, Provider, SimConfig, Simulator};

/// Every line of text anything reported, and every secret that went over the wire.
#[derive(Default)]
struct Seen {
    lines: Vec<String>,
    requests: Vec<RequestEvent>,
    responses: Vec<ResponseEvent>,
    secrets: Vec<String>,
}

/// Real HTTP, simulated time (a sleep moves the simulator's clock), and hooks that keep
/// what they are told.
struct Observed {
    http: ReqwestTransport,
    sim: Arc<Simulator>,
    now_ms: AtomicU64,
    seen: Arc<Mutex<Seen>>,
}

impl Transport for Observed {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let mut secrets = Vec::new();
        if let Some(auth) = request.header("authorization") {
            secrets.push(auth.trim_start_matches("Bearer ").to_owned());
        }
        let body: Value = request.body.as_deref().map_or(Value::Null, |b| serde_json::from_str(b).unwrap());
        for key in ["pin", "code", "client_secret"] {
            if let Some(value) = body[key].as_str() {
                secrets.push(value.to_owned());
            }
        }
        if let Some((_, query)) = request.url.split_once('?') {
            secrets.push(query.to_owned());
            secrets.extend(query.split('&').filter_map(|pair| Some(pair.split_once('=')?.1.to_owned())));
        }
        let response = self.http.send(request).await;
        if let Ok(answer) = &response {
            let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
            if let Some(token) = body["access_token"].as_str() {
                secrets.push(token.to_owned());
            }
        }
        self.seen.lock().unwrap().secrets.extend(secrets);
        response
    }

    async fn sleep(&self, ms: u64) {
        self.now_ms.fetch_add(ms, Ordering::SeqCst);
        self.sim.advance(Duration::from_millis(ms));
        tokio::task::yield_now().await;
    }

    fn now_ms(&self) -> u64 {
        self.now_ms.load(Ordering::SeqCst)
    }

    fn random(&self) -> u64 {
        7
    }

    fn on_request(&self, event: &RequestEvent) {
        let mut seen = self.seen.lock().unwrap();
        seen.lines.push(format!("{event:?}"));
        seen.requests.push(event.clone());
    }

    fn on_response(&self, event: &ResponseEvent) {
        let mut seen = self.seen.lock().unwrap();
        seen.lines.push(format!("{event:?}"));
        seen.responses.push(event.clone());
    }
}

/// A `tracing` subscriber that writes each event of target `waonboard` as one line.
struct Capture(Arc<Mutex<Seen>>);

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "waonboard"
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("{} {}", event.metadata().level(), event.metadata().target());
        event.record(&mut Line(&mut line));
        self.0.lock().unwrap().lines.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn transport(sim: &Arc<Simulator>, seen: &Arc<Mutex<Seen>>) -> Observed {
    let http = ReqwestTransport::with_timeouts(Duration::from_secs(2), Duration::from_millis(700)).unwrap();
    Observed { http, sim: sim.clone(), now_ms: AtomicU64::new(1_700_000_000_000), seen: seen.clone() }
}

async fn run(flow: &mut Onboarding, client: &Client<Observed>, code: impl Fn(&Onboarding) -> String, pin: &str) {
    for _ in 0..10 {
        let input = match flow.needs() {
            Needs::Done => return,
            Needs::Code => FlowInput::code(code(flow)),
            Needs::Pin => FlowInput::pin(pin),
            Needs::Advance => FlowInput::default(),
        };
        flow.advance(client, input).await.unwrap();
    }
    panic!("the flow does not finish: {}", flow.to_json());
}

#[tokio::test]
async fn three_onboardings_are_reported_request_by_request_without_a_secret() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let _tracing = tracing::subscriber::set_default(Capture(seen.clone()));
    let sim = Arc::new(Simulator::start(SimConfig::default()).await.unwrap());
    let otp = |provider, key: &str| sim.otp(provider, key).unwrap();

    let meta =
        Client::new(transport(&sim, &seen), Config::new(seed::META_TOKEN).with_base_url(sim.base_url(Provider::Meta)));
    let mut flow = Onboarding::Meta(MetaOnboarding::new(seed::META_PHONE_BIG, DeliveryMethod::Sms, "en_US"));
    run(&mut flow, &meta, |_| otp(Provider::Meta, seed::META_PHONE_BIG), "246810").await;

    let vonage = Client::new(
        transport(&sim, &seen),
        Config::new(seed::VONAGE_TOKEN).with_base_url(sim.base_url(Provider::Vonage)),
    );
    let mut flow =
        Onboarding::Vonage(VonageOnboarding::new("+44 7700 900777", "AbCd", DeliveryMethod::Sms, seed::VONAGE_WABA_ID));
    let code = |flow: &Onboarding| match flow {
        Onboarding::Vonage(v) => otp(Provider::Vonage, v.deployment_id.as_deref().unwrap()),
        _ => unreachable!(),
    };
    run(&mut flow, &vonage, code, "864213").await;

    let credentials = Digital99Credentials::new(seed::DIGITAL99_CLIENT_ID, seed::DIGITAL99_CLIENT_SECRET);
    let config = Config::default().with_base_url(sim.base_url(Provider::Digital99));
    let digital99 = Client::digital99(transport(&sim, &seen), config, credentials);
    let mut flow = Onboarding::Digital99(Digital99Onboarding::new("00972501112233", DeliveryMethod::Sms, "1"));
    run(&mut flow, &digital99, |_| otp(Provider::Digital99, "972501112233"), "").await;

    let seen = seen.lock().unwrap();
    let received = sim.requests();
    assert!(received.len() >= 12, "three onboardings took {} requests", received.len());
    assert_eq!(seen.requests.len(), received.len(), "one event before each request");
    assert_eq!(seen.responses.len(), received.len(), "one event after each request");
    for ((before, after), got) in seen.requests.iter().zip(&seen.responses).zip(&received) {
        assert_eq!(&after.request, before);
        assert_eq!(before.method.as_str(), got.method);
        assert_eq!(before.path, got.path, "the path as sent, without the query");
        assert_eq!(Some(before.operation.as_str()), got.op.as_deref());
        assert_eq!(before.host, sim.base_url(Provider::Meta).split('/').nth(2).unwrap());
        assert_eq!(before.attempt, 1);
        assert_eq!(after.status, got.status);
        assert_eq!(after.error, None);
    }
    assert!(seen.requests.iter().any(|e| e.operation == Operation::Digital99AccessToken && e.method == Method::Post));
    let traced: Vec<&String> = seen.lines.iter().filter(|l| l.starts_with("DEBUG waonboard")).collect();
    assert_eq!(traced.len(), 2 * received.len(), "a tracing event before and after each request");
    let first = &received[0];
    let sending =
        format!("DEBUG waonboard message=sending operation=\"{}\" method=\"GET\"", first.op.as_deref().unwrap());
    assert!(traced[0].starts_with(&sending), "{}", traced[0]);
    assert!(traced[0].contains(&format!("path=\"{}\" attempt=1", first.path)), "{}", traced[0]);
    assert!(traced[1].contains(" status=200 duration_ms="), "{}", traced[1]);

    let mut secrets = seen.secrets.clone();
    secrets.extend(
        ["246810", "864213", seed::META_TOKEN, seed::VONAGE_TOKEN, seed::DIGITAL99_CLIENT_SECRET].map(String::from),
    );
    secrets.retain(|s| s.len() >= 4);
    assert!(secrets.iter().any(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())), "codes were sent");
    assert!(seen.secrets.iter().any(|s| s.contains('=')), "a query was sent");
    for line in &seen.lines {
        for secret in &secrets {
            assert!(!line.contains(secret.as_str()), "{line} holds a secret");
        }
    }
}

#[tokio::test]
async fn retries_are_counted_and_a_failed_attempt_says_how_it_ended() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let _tracing = tracing::subscriber::set_default(Capture(seen.clone()));
    let sim = Arc::new(Simulator::start(SimConfig::default()).await.unwrap());
    sim.inject(FaultRule::new(Fault::Status503).op("meta.get_phone_number").times(2));
    let client =
        Client::new(transport(&sim, &seen), Config::new(seed::META_TOKEN).with_base_url(sim.base_url(Provider::Meta)));
    let params = serde_json::json!({"phone_number_id": seed::META_PHONE_READY});
    client.call("meta.get_phone_number", &params).await.unwrap();
    let seen = seen.lock().unwrap();
    let attempts: Vec<(u32, Option<u16>, Option<ErrorKind>)> =
        seen.responses.iter().map(|e| (e.request.attempt, e.status, e.error)).collect();
    assert_eq!(
        attempts,
        [(1, Some(503), Some(ErrorKind::Provider)), (2, Some(503), Some(ErrorKind::Provider)), (3, Some(200), None)]
    );
    let traced: Vec<&String> =
        seen.lines.iter().filter(|l| l.starts_with("DEBUG waonboard message=answered")).collect();
    assert_eq!(traced.len(), 3);
    assert!(
        traced[1].contains(" attempt=2 status=503 ") && traced[1].ends_with(" error=\"provider\""),
        "{}",
        traced[1]
    );
}
