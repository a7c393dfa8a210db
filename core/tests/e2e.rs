//! The client end to end: real HTTP on loopback to the project's simulator, through the
//! reqwest transport, with a simulated clock. A sleep of the client moves both its own
//! clock and the simulator's, so retries, token expiry, guard windows and Vonage's state
//! schedule are exercised without waiting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use waonboard::client::{
    Client, Digital99Credentials, Digital99Onboarding, FlowInput, GuardLimits, GuardState, MetaOnboarding, Needs,
    Onboarding, PollPolicy, ReqwestTransport, Transport, VonageOnboarding,
};
use waonboard::vonage::DeploymentStatus;
use waonboard::{meta, Config, DeliveryMethod, Error, ErrorKind, HttpRequest, HttpResponse};
use waonboard_sim::{seed, Fault, FaultRule, Provider, SimConfig, Simulator};

/// Real HTTP, simulated time.
struct SimTime {
    http: ReqwestTransport,
    sim: Arc<Simulator>,
    now_ms: AtomicU64,
    sleeps: Mutex<Vec<u64>>,
}

impl SimTime {
    fn new(sim: &Arc<Simulator>, http: ReqwestTransport) -> SimTime {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
        SimTime { http, sim: sim.clone(), now_ms: AtomicU64::new(now), sleeps: Mutex::new(Vec::new()) }
    }

    fn sleeps(&self) -> Vec<u64> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Transport for SimTime {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.http.send(request).await
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.lock().unwrap().push(ms);
        self.now_ms.fetch_add(ms, Ordering::SeqCst);
        self.sim.advance(Duration::from_millis(ms));
        tokio::task::yield_now().await;
    }

    fn now_ms(&self) -> u64 {
        self.now_ms.load(Ordering::SeqCst)
    }

    fn random(&self) -> u64 {
        0x9E37_79B9_7F4A_7C15
    }
}

async fn simulator() -> Arc<Simulator> {
    Arc::new(Simulator::start(SimConfig::default()).await.unwrap())
}

fn http() -> ReqwestTransport {
    ReqwestTransport::with_timeouts(Duration::from_secs(2), Duration::from_millis(700)).unwrap()
}

fn meta_client(sim: &Arc<Simulator>) -> Client<SimTime> {
    Client::new(SimTime::new(sim, http()), Config::new(seed::META_TOKEN).with_base_url(sim.base_url(Provider::Meta)))
}

fn vonage_client(sim: &Arc<Simulator>) -> Client<SimTime> {
    let config = Config::new(seed::VONAGE_TOKEN).with_base_url(sim.base_url(Provider::Vonage));
    Client::new(SimTime::new(sim, http()), config)
}

fn digital99_client(sim: &Arc<Simulator>) -> Client<SimTime> {
    let credentials = Digital99Credentials::new(seed::DIGITAL99_CLIENT_ID, seed::DIGITAL99_CLIENT_SECRET);
    let config = Config::default().with_base_url(sim.base_url(Provider::Digital99));
    Client::digital99(SimTime::new(sim, http()), config, credentials)
}

/// A retry policy that sends each request once.
fn single_attempt() -> waonboard::client::RetryPolicy {
    let mut retry = waonboard::client::RetryPolicy::default();
    retry.max_attempts = 1;
    retry
}

/// How many requests of `op` the simulator received.
fn sent(sim: &Simulator, op: &str) -> usize {
    sim.requests().iter().filter(|r| r.op.as_deref() == Some(op)).count()
}

fn otp(sim: &Simulator, provider: Provider, key: &str) -> String {
    sim.otp(provider, key).unwrap_or_else(|| panic!("no code was sent for {key}"))
}

#[tokio::test]
async fn every_meta_operation_over_http() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let id = seed::META_PHONE_READY;

    let number = client.call("meta.get_phone_number", &json!({"phone_number_id": id})).await.unwrap();
    assert_eq!(number["id"], id);
    assert_eq!(number["code_verification_status"], "NOT_VERIFIED");
    let list = client.call("meta.list_phone_numbers", &json!({"waba_id": seed::META_WABA_ID})).await.unwrap();
    assert!(list["data"].as_array().unwrap().iter().any(|n| n["id"] == seed::META_PHONE_BIG), "ids stay exact strings");
    let added = client
        .call(
            "meta.add_phone_number",
            &json!({"waba_id": seed::META_WABA_ID, "phone_number": "+1 631-555-1111", "verified_name": "Lucky Shrub"}),
        )
        .await
        .unwrap();
    assert!(added["id"].as_str().unwrap().bytes().all(|b| b.is_ascii_digit()));
    // Sent as E.164 digits with cc beside it, the simulator files it under the right number.
    let added = client.call("meta.get_phone_number", &json!({"phone_number_id": added["id"]})).await.unwrap();
    assert_eq!(added["display_phone_number"], "+1 6315551111");

    let ok = json!({"success": true});
    let params = json!({"phone_number_id": id, "code_method": "sms", "language": "en_US"});
    assert_eq!(client.call("meta.request_code", &params).await.unwrap(), ok);
    let code = otp(&sim, Provider::Meta, id);
    let typed = format!("{}-{}", &code[..3], &code[3..]);
    assert_eq!(client.call("meta.verify_code", &json!({"phone_number_id": id, "code": typed})).await.unwrap(), ok);
    assert_eq!(client.call("meta.register", &json!({"phone_number_id": id, "pin": "123456"})).await.unwrap(), ok);
    assert_eq!(
        client.call("meta.set_two_step_pin", &json!({"phone_number_id": id, "pin": "654321"})).await.unwrap(),
        ok
    );
    assert_eq!(client.call("meta.deregister", &json!({"phone_number_id": id})).await.unwrap(), ok);
    // The new PIN took: registering again with the old one is refused as a mismatch.
    let err = client.call("meta.register", &json!({"phone_number_id": id, "pin": "123456"})).await.unwrap_err();
    assert_eq!((err.kind(), err.provider_code()), (ErrorKind::VerificationFailed, Some("133005")));
}

#[tokio::test]
async fn every_vonage_operation_over_http() {
    let sim = simulator().await;
    let client = vonage_client(&sim);
    let created = client
        .call(
            "vonage.create_deployment",
            &json!({"phone_number": "+44 7700 900123", "vname_certificate": "AbCdEFGHiJK123456", "method": "sms", "waba_id": seed::VONAGE_WABA_ID}),
        )
        .await
        .unwrap();
    let id = created["deployment_id"].as_str().unwrap().to_owned();
    assert_eq!((created["country_code"].as_str(), created["number"].as_str()), (Some("44"), Some("7700900123")));
    let listed = client.call("vonage.list_deployments", &json!({})).await.unwrap();
    assert!(listed["deployments"].as_array().unwrap().iter().any(|d| d["deployment_id"] == id.as_str()));

    client.wait_for_state(&id, &[DeploymentStatus::CodeSent]).await.unwrap();
    let got = client.call("vonage.get_deployment", &json!({"deployment_id": id})).await.unwrap();
    assert_eq!(got["current_state"]["title"], "CODE_SENT");
    let resent = client.call("vonage.resend_otp", &json!({"deployment_id": id, "method": "voice"})).await.unwrap();
    assert_eq!(resent["method"], "voice");
    let code = otp(&sim, Provider::Vonage, &id);
    let verified = client.call("vonage.verify_otp", &json!({"deployment_id": id, "code": code})).await.unwrap();
    assert_eq!(verified["deployment_id"], id.as_str());
    let ready = client.wait_for_state(&id, &[DeploymentStatus::Ready]).await.unwrap();
    assert_eq!(ready.status(), Some(&DeploymentStatus::Ready));

    let d = json!(id);
    let profile = client
        .call(
            "vonage.update_profile",
            &json!({"deployment_id": d, "about": "Fresh bread daily", "vertical": "food and grocery", "websites": ["https://example.com"]}),
        )
        .await
        .unwrap();
    assert_eq!(profile["vertical"], "Food and Grocery");
    assert_eq!(
        client.call("vonage.get_profile", &json!({"deployment_id": d})).await.unwrap()["about"],
        "Fresh bread daily"
    );
    let photo = json!({"deployment_id": d, "image_url": "https://example.com/logo.png"});
    assert_eq!(
        client.call("vonage.update_profile_photo", &photo).await.unwrap()["image_url"],
        "https://example.com/logo.png"
    );
    assert_eq!(
        client.call("vonage.get_profile_photo", &json!({"deployment_id": d})).await.unwrap()["image_url"],
        "https://example.com/logo.png"
    );

    let pack = client
        .call(
            "vonage.create_stickerpack",
            &json!({"deployment_id": d, "publisher": "Bakery", "name": "Loaves", "ios_app_store_link": "https://itunes.apple.com/app/id123456789"}),
        )
        .await
        .unwrap();
    let pack_id = pack["stickerpacks"][0]["id"].as_str().unwrap().to_owned();
    let packs = client.call("vonage.list_stickerpacks", &json!({"deployment_id": d})).await.unwrap();
    assert!(packs["stickerpacks"].as_array().unwrap().iter().any(|p| p["id"] == pack_id.as_str()));
    let whatsapp = client.call("vonage.list_stickerpacks", &json!({"deployment_id": d, "namespace": "whatsapp"})).await;
    assert!(!whatsapp.unwrap()["stickerpacks"].as_array().unwrap().is_empty());
    let p = json!({"deployment_id": d, "stickerpack_id": pack_id});
    client
        .call("vonage.update_stickerpack", &json!({"deployment_id": d, "stickerpack_id": pack_id, "name": "Rolls"}))
        .await
        .unwrap();
    let sticker = json!({"deployment_id": d, "stickerpack_id": pack_id, "image_data_id": "img-1", "emojis": ["🍞"]});
    let created = client.call("vonage.create_sticker", &sticker).await.unwrap();
    let index = created["stickers"][0]["index"].as_str().unwrap().to_owned();
    assert_eq!(client.call("vonage.list_stickers", &p).await.unwrap()["stickers"].as_array().unwrap().len(), 1);
    let one = json!({"deployment_id": d, "stickerpack_id": pack_id, "sticker_index": index});
    assert_eq!(client.call("vonage.get_sticker", &one).await.unwrap()["stickers"][0]["emojis"], json!(["🍞"]));
    assert_eq!(client.call("vonage.delete_sticker", &one).await.unwrap(), json!({}));
    assert_eq!(client.call("vonage.delete_stickerpack", &p).await.unwrap(), json!({}));
    assert_eq!(client.call("vonage.delete_deployment", &json!({"deployment_id": d})).await.unwrap(), json!({}));
    let again = client.call("vonage.delete_deployment", &json!({"deployment_id": d})).await.unwrap_err();
    assert!(matches!(again.kind(), ErrorKind::Conflict | ErrorKind::NotFound), "{again}");
}

#[tokio::test]
async fn every_digital99_operation_over_http() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let token = client
        .call(
            "digital99.access_token",
            &json!({"client_id": seed::DIGITAL99_CLIENT_ID, "client_secret": seed::DIGITAL99_CLIENT_SECRET}),
        )
        .await
        .unwrap();
    assert!(token["expiration_time"].is_i64(), "a digit string became an integer: {token}");

    let number = "+972-50-765-4321";
    let registered = client
        .call("digital99.register_number", &json!({"phone_number": number, "method": "voice", "language": "1"}))
        .await;
    assert_eq!(registered.unwrap()["whatsapp"], "972507654321");
    let code = otp(&sim, Provider::Digital99, "972507654321");
    let verified =
        client.call("digital99.verify_number", &json!({"phone_number": number, "code": code})).await.unwrap();
    assert!(verified["expiration"].as_i64().unwrap() > 0);

    let registered = client.call("digital99.list_registered_numbers", &json!({})).await.unwrap();
    assert!(registered["list"].as_array().unwrap().iter().any(|n| n["whatsapp"] == "972507654321"));
    let live = client.call("digital99.list_whatsapp_numbers", &json!({})).await.unwrap();
    assert!(live["list"].as_array().unwrap().iter().all(|n| n["is_online"].is_boolean() || n["is_online"].is_null()));
    assert!(live.get("total_whatsapp").is_some(), "{live}");
    let accounts = client.call("digital99.list_accounts", &json!({})).await.unwrap();
    assert!(!accounts["list"].as_array().unwrap().is_empty());
    let deleted =
        client.call("digital99.delete_account", &json!({"phone_number": seed::DIGITAL99_PENDING_ACCOUNT})).await;
    assert_eq!(deleted.unwrap()["status"], "OK");
    let finished =
        client.call("digital99.delete_account", &json!({"phone_number": seed::DIGITAL99_ACTIVE_ACCOUNT})).await;
    assert_eq!(finished.unwrap_err().provider_code(), Some("25"));
    // One token served every call.
    assert_eq!(sent(&sim, "digital99.access_token"), 2, "the explicit call plus the client's own single fetch");
}

/// Each fault once on a read: retried where the contract says so, typed either way.
#[tokio::test]
async fn faults_on_a_read() {
    let sim = simulator().await;
    let cases: Vec<(Fault, Option<ErrorKind>)> = vec![
        (Fault::Status429 { retry_after: 2 }, None),
        (Fault::Status500, None),
        (Fault::Status503, None),
        (Fault::Reset, None),
        (Fault::Timeout { seconds: 3 }, None),
        (Fault::HtmlError, None),
        (Fault::Latency { ms: 50 }, None),
        (Fault::TruncatedJson, Some(ErrorKind::Decode)),
        (Fault::WrongContentType, Some(ErrorKind::Decode)),
    ];
    for (fault, expected) in cases {
        let name = fault.name();
        sim.clear_requests();
        sim.inject(FaultRule::new(fault).op("meta.get_phone_number"));
        let client = meta_client(&sim);
        let outcome =
            client.send(&meta::GetPhoneNumber { phone_number_id: seed::META_PHONE_READY.into(), fields: None }).await;
        let attempts = sent(&sim, "meta.get_phone_number");
        match expected {
            None => {
                assert_eq!(outcome.unwrap().id, seed::META_PHONE_READY, "{name}");
                let retried = if name == "latency_ms" { 1 } else { 2 };
                assert_eq!(attempts, retried, "{name}: attempts");
            }
            Some(kind) => {
                assert_eq!(outcome.unwrap_err().kind(), kind, "{name}");
                assert_eq!(attempts, 1, "{name}: a body that cannot be read is not retried");
            }
        }
        if name == "status_429" {
            assert_eq!(client.transport().sleeps(), vec![2_000], "Retry-After is honoured");
        }
    }
}

/// Each fault once on a write: surfaced as its typed error, sent exactly once.
#[tokio::test]
async fn faults_on_a_write_are_never_retried() {
    let sim = simulator().await;
    let cases = [
        (Fault::Status429 { retry_after: 1 }, ErrorKind::RateLimited),
        (Fault::Status500, ErrorKind::Provider),
        (Fault::Status503, ErrorKind::Provider),
        (Fault::Reset, ErrorKind::Transport),
        (Fault::Timeout { seconds: 3 }, ErrorKind::Timeout),
        (Fault::TruncatedJson, ErrorKind::Decode),
        (Fault::HtmlError, ErrorKind::Provider),
        (Fault::WrongContentType, ErrorKind::Decode),
    ];
    for (fault, kind) in cases {
        let name = fault.name();
        sim.clear_requests();
        sim.inject(FaultRule::new(fault).op("meta.request_code"));
        let client = meta_client(&sim);
        let request = meta::RequestCode {
            phone_number_id: seed::META_PHONE_BIG.into(),
            code_method: DeliveryMethod::Sms,
            language: "en_US".into(),
        };
        let err = client.send(&request).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert_eq!(sent(&sim, "meta.request_code"), 1, "{name}: sent exactly once");
        assert!(client.transport().sleeps().is_empty(), "{name}: no retry was scheduled");
    }
}

#[tokio::test]
async fn a_99digital_fail_with_http_200_is_an_error_and_reason_3_renews_the_token_once() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    sim.inject(FaultRule::new(Fault::Digital99Fail { reason: 3 }).op("digital99.list_accounts"));
    client.call("digital99.list_accounts", &json!({})).await.unwrap();
    assert_eq!(sent(&sim, "digital99.access_token"), 2, "the token was renewed once");
    assert_eq!(sent(&sim, "digital99.list_accounts"), 2);

    sim.clear_requests();
    sim.inject(FaultRule::new(Fault::Digital99Fail { reason: 3 }).op("digital99.list_accounts").times(2));
    let err = client.call("digital99.list_accounts", &json!({})).await.unwrap_err();
    assert_eq!((err.kind(), err.provider_code(), err.http_status()), (ErrorKind::Auth, Some("3"), Some(200)));
    assert_eq!(sent(&sim, "digital99.list_accounts"), 2, "renewed once, not in a loop");

    // A code request resent after a stale token counts once against the guard.
    sim.clear_requests();
    sim.inject(FaultRule::new(Fault::Digital99Fail { reason: 3 }).op("digital99.register_number"));
    let params = json!({"phone_number": "972501239999", "method": "sms", "language": "1"});
    client.call("digital99.register_number", &params).await.unwrap();
    assert_eq!(sent(&sim, "digital99.register_number"), 2);
    assert_eq!(client.guard_state().sent["digital99.register_number"]["972501239999"].len(), 1);

    sim.clear_requests();
    sim.inject(FaultRule::new(Fault::Digital99Fail { reason: 7 }).op("digital99.register_number"));
    let err = client
        .call("digital99.register_number", &json!({"phone_number": "972501230000", "method": "sms", "language": "1"}))
        .await;
    assert_eq!(err.unwrap_err().kind(), ErrorKind::Provider);
    assert_eq!(sent(&sim, "digital99.register_number"), 1);
}

#[tokio::test]
async fn a_validation_error_sends_nothing() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let err =
        client.call("meta.verify_code", &json!({"phone_number_id": seed::META_PHONE_READY, "code": "12345"})).await;
    assert_eq!(err.unwrap_err().field(), Some("code"));
    let err = client.call("meta.register", &json!({"phone_number_id": "106/../1", "pin": "123456"})).await.unwrap_err();
    assert_eq!(err.field(), Some("phone_number_id"));
    assert!(sim.requests().is_empty(), "nothing reached the provider");
}

#[tokio::test]
async fn the_token_is_reused_then_renewed_before_it_expires() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    for _ in 0..3 {
        client.call("digital99.list_registered_numbers", &json!({})).await.unwrap();
    }
    assert_eq!(sent(&sim, "digital99.access_token"), 1, "one token for three calls");
    // 59.5 minutes on, the token has less than the renewal margin left.
    client.transport().sleep(3_570_000).await;
    client.call("digital99.list_registered_numbers", &json!({})).await.unwrap();
    assert_eq!(sent(&sim, "digital99.access_token"), 2, "renewed before it lapsed");
}

#[tokio::test]
async fn concurrent_first_calls_share_one_token_fetch() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let none = json!({});
    let call = || client.call("digital99.list_registered_numbers", &none);
    let (a, b, c, d) = tokio::join!(call(), call(), call(), call());
    for outcome in [a, b, c, d] {
        outcome.unwrap();
    }
    assert_eq!(sent(&sim, "digital99.access_token"), 1, "one fetch served all four calls");
    assert_eq!(sent(&sim, "digital99.list_registered_numbers"), 4);
}

#[tokio::test]
async fn guards_refuse_before_sending_and_their_state_persists() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let params = json!({"phone_number": "+972 50 999 0000", "method": "sms", "language": "1"});
    for _ in 0..3 {
        client.call("digital99.register_number", &params).await.unwrap();
    }
    let err = client.call("digital99.register_number", &params).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Guard);
    assert!(err.retry_after_ms().unwrap() > 3_000_000, "about an hour: {err}");
    assert_eq!(sent(&sim, "digital99.register_number"), 3, "the fourth was never sent");

    // A later run that restores the saved state is refused too; another number is not.
    let saved: GuardState = serde_json::from_str(&serde_json::to_string(&client.guard_state()).unwrap()).unwrap();
    let next_run = digital99_client(&sim).with_guard_state(saved);
    assert_eq!(next_run.call("digital99.register_number", &params).await.unwrap_err().kind(), ErrorKind::Guard);
    let other = json!({"phone_number": "+972 50 999 0001", "method": "sms", "language": "1"});
    next_run.call("digital99.register_number", &other).await.unwrap();
    // An hour later the window has rolled on.
    next_run.transport().sleep(3_600_000).await;
    next_run.call("digital99.register_number", &params).await.unwrap();

    // Meta's register limit, made small so the test stays short.
    let mut limits = GuardLimits::default();
    limits.meta_registrations.max = 2;
    let meta = meta_client(&sim).with_guard_limits(limits);
    let register = json!({"phone_number_id": seed::META_PHONE_REGISTERED, "pin": seed::META_REGISTERED_PIN});
    meta.call("meta.register", &register).await.unwrap();
    meta.call("meta.register", &register).await.unwrap();
    sim.clear_requests();
    assert_eq!(meta.call("meta.register", &register).await.unwrap_err().kind(), ErrorKind::Guard);
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn meta_pages_are_walked_to_the_end() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let one_page =
        client.call("meta.list_phone_numbers", &json!({"waba_id": seed::META_WABA_ID, "limit": 100})).await.unwrap();
    let expected: Vec<Value> = one_page["data"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    assert!(expected.len() >= 3);
    let request = meta::ListPhoneNumbers { waba_id: seed::META_WABA_ID.into(), limit: Some(1), ..Default::default() };
    let all = client.phone_number_pages(request).collect_all().await.unwrap();
    let ids: Vec<Value> = all.iter().map(|n| json!(n.id)).collect();
    assert_eq!(ids, expected);
    assert_eq!(sent(&sim, "meta.list_phone_numbers"), 1 + expected.len(), "one request per page of one");
}

#[tokio::test]
async fn waiting_for_a_state_gives_up_at_the_deadline() {
    let sim = simulator().await;
    let mut poll = PollPolicy::default();
    (poll.initial_interval_ms, poll.max_interval_ms, poll.timeout_ms) = (500, 4_000, 20_000);
    let client = vonage_client(&sim).with_poll(poll);
    let flow_params = json!({"phone_number": "+44 7700 900555", "vname_certificate": "AbCd", "method": "sms", "waba_id": seed::VONAGE_WABA_ID});
    let created = client.call("vonage.create_deployment", &flow_params).await.unwrap();
    let id = created["deployment_id"].as_str().unwrap();
    // Nobody verifies the code, so READY never comes.
    let err = client.wait_for_state(id, &[DeploymentStatus::Ready]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("CODE_SENT"), "{err}");
    let sleeps = client.transport().sleeps();
    assert_eq!(sleeps.iter().sum::<u64>(), 20_000, "waited exactly to the deadline");
    assert!(sleeps.windows(2).all(|w| w[1] >= w[0] || w[1] < 4_000), "the interval backs off: {sleeps:?}");
}

/// Runs a flow to the end, saving and restoring it (and a new client) at every step, as
/// an app that stops between steps would.
async fn run_resuming(
    mut flow: Onboarding,
    client_for: impl Fn() -> Client<SimTime>,
    code_for: impl Fn(&Onboarding) -> String,
    pin: &str,
) -> Onboarding {
    let mut steps = 0;
    loop {
        let client = client_for();
        let input = match flow.needs() {
            Needs::Done => return flow,
            Needs::Advance => FlowInput::default(),
            Needs::Code => FlowInput::code(code_for(&flow)),
            Needs::Pin => FlowInput::pin(pin),
        };
        flow.advance(&client, input).await.unwrap();
        let saved = flow.to_json();
        assert!(!saved.contains(pin), "the PIN is not stored in the state");
        flow = Onboarding::from_json(&saved).unwrap();
        steps += 1;
        assert!(steps < 10, "the flow does not finish: {saved}");
    }
}

#[tokio::test]
async fn each_flow_resumes_from_its_saved_state() {
    let sim = simulator().await;

    let meta_flow = Onboarding::Meta(MetaOnboarding::new(seed::META_PHONE_BIG, DeliveryMethod::Voice, "pt_BR"));
    let done =
        run_resuming(meta_flow, || meta_client(&sim), |_| otp(&sim, Provider::Meta, seed::META_PHONE_BIG), "246810")
            .await;
    assert_eq!(done.needs(), Needs::Done);
    let number =
        meta_client(&sim).call("meta.get_phone_number", &json!({"phone_number_id": seed::META_PHONE_BIG})).await;
    assert_eq!(number.unwrap()["code_verification_status"], "VERIFIED");

    let vonage_flow =
        Onboarding::Vonage(VonageOnboarding::new("+44 7700 900777", "AbCd", DeliveryMethod::Sms, seed::VONAGE_WABA_ID));
    let code_for = |flow: &Onboarding| match flow {
        Onboarding::Vonage(v) => otp(&sim, Provider::Vonage, v.deployment_id.as_deref().unwrap()),
        _ => unreachable!(),
    };
    let done = run_resuming(vonage_flow, || vonage_client(&sim), code_for, "864213").await;
    let Onboarding::Vonage(v) = &done else { unreachable!() };
    let deployment =
        vonage_client(&sim).call("vonage.get_deployment", &json!({"deployment_id": v.deployment_id})).await;
    assert_eq!(deployment.unwrap()["current_state"]["title"], "READY");

    let d99_flow = Onboarding::Digital99(Digital99Onboarding::new("00972501112233", DeliveryMethod::Sms, "1"));
    let done =
        run_resuming(d99_flow, || digital99_client(&sim), |_| otp(&sim, Provider::Digital99, "972501112233"), "135792")
            .await;
    let Onboarding::Digital99(d) = &done else { unreachable!() };
    assert!(d.expiration.unwrap() > 0);
}

#[tokio::test]
async fn a_meta_flow_stops_before_registering_a_number_whose_name_is_in_review() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let mut flow = MetaOnboarding::new(seed::META_PHONE_PENDING, DeliveryMethod::Sms, "en_US");
    flow.advance(&client, FlowInput::default()).await.unwrap();
    flow.advance(&client, FlowInput::code(otp(&sim, Provider::Meta, seed::META_PHONE_PENDING))).await.unwrap();
    let err = flow.advance(&client, FlowInput::pin("123456")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("PENDING_REVIEW"), "{err}");
    assert_eq!(sent(&sim, "meta.register"), 0, "a register that would fail was not spent");
    assert_eq!(flow.needs(), Needs::Pin, "the flow waits where it was");

    sim.set_meta_name_status(seed::META_PHONE_PENDING, "APPROVED");
    assert_eq!(flow.advance(&client, FlowInput::pin("123456")).await.unwrap(), Needs::Done);
}

/// The status is Meta's text, quoted in the error: escapes and controls cannot reach a terminal.
#[tokio::test]
async fn a_hostile_name_status_is_quoted_clean() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let mut flow = MetaOnboarding::new(seed::META_PHONE_PENDING, DeliveryMethod::Sms, "en_US");
    flow.advance(&client, FlowInput::default()).await.unwrap();
    flow.advance(&client, FlowInput::code(otp(&sim, Provider::Meta, seed::META_PHONE_PENDING))).await.unwrap();
    let hostile = format!("\u{1b}[2J\u{1b}]0;owned\u{7}PENDING\u{202e}_REVIEW\r\n{}", "X".repeat(10_000));
    assert!(sim.set_meta_name_status(seed::META_PHONE_PENDING, &hostile));
    let err = flow.advance(&client, FlowInput::pin("123456")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let message = err.to_string();
    assert!(message.contains("PENDING_REVIEW"), "{message}");
    assert!(!message.chars().any(|c| c.is_control() || c == '\u{202e}'), "{message:?}");
    assert!(!message.contains("owned") && message.chars().count() < 300, "{message}");
    assert_eq!(sent(&sim, "meta.register"), 0);
}

#[tokio::test]
async fn a_failed_vonage_deployment_is_restarted_with_a_fixed_certificate() {
    let sim = simulator().await;
    let client = vonage_client(&sim);
    let mut flow = VonageOnboarding::new("+44 7700 900888", "INVALIDCERT", DeliveryMethod::Sms, seed::VONAGE_WABA_ID);
    flow.advance(&client, FlowInput::default()).await.unwrap();
    let failed = flow.deployment_id.clone().unwrap();
    let err = flow.advance(&client, FlowInput::default()).await.unwrap_err();
    assert_eq!((err.kind(), err.provider_code()), (ErrorKind::Provider, Some("ERROR")), "{err}");
    assert_eq!(flow.needs(), Needs::Advance, "the flow waits where it was");

    flow.vname_certificate = "AbCdEFGHiJK123456".into();
    assert_eq!(flow.restart(&client).await.unwrap(), Needs::Advance);
    assert_eq!(sent(&sim, "vonage.delete_deployment"), 1, "the failed deployment was deleted");
    flow.advance(&client, FlowInput::default()).await.unwrap();
    assert_ne!(flow.deployment_id.as_deref(), Some(failed.as_str()), "a new deployment");
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Code);
}

/// A step run with a checkpoint that keeps every state it was handed, as an app would
/// persist them.
async fn step_saving<T: Transport>(
    flow: &mut Onboarding,
    client: &Client<T>,
    input: FlowInput,
    saved: &mut Vec<Onboarding>,
) -> Result<Needs, Error> {
    let mut checkpoint = |state: &Onboarding| {
        saved.push(Onboarding::from_json(&state.to_json()).unwrap());
        Ok(())
    };
    flow.advance_with(client, input, &mut checkpoint).await
}

/// A write whose answer is lost after the provider carried it out: the state saved before
/// it left says pending, and the resumed flow asks the provider instead of sending again.
#[tokio::test]
async fn a_vonage_deployment_whose_answer_was_lost_is_found_and_adopted() {
    let sim = simulator().await;
    let client = vonage_client(&sim);
    let mut flow =
        Onboarding::Vonage(VonageOnboarding::new("+44 7700 900321", "AbCd", DeliveryMethod::Sms, seed::VONAGE_WABA_ID));
    sim.inject(FaultRule::new(Fault::TruncatedJson).op("vonage.create_deployment"));
    let mut saved = Vec::new();
    let err = step_saving(&mut flow, &client, FlowInput::default(), &mut saved).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert_eq!(saved.len(), 1, "the intent was handed over before the request left");
    assert_eq!(saved[0].pending(), Some(waonboard::Operation::VonageCreateDeployment));
    assert!(saved[0].to_json().contains(r#""pending":"vonage.create_deployment""#), "{}", saved[0].to_json());
    assert_eq!(flow.pending(), Some(waonboard::Operation::VonageCreateDeployment), "still unknown after the error");

    // A new process resumes from what was saved before the request left.
    let mut resumed = saved.pop().unwrap();
    assert_eq!(resumed.needs(), Needs::Advance);
    resumed.advance(&vonage_client(&sim), FlowInput::default()).await.unwrap();
    let Onboarding::Vonage(v) = &resumed else { unreachable!() };
    let listed = client.call("vonage.list_deployments", &json!({})).await.unwrap();
    let created: Vec<&Value> =
        listed["deployments"].as_array().unwrap().iter().filter(|d| d["number"] == "7700900321").collect();
    assert_eq!(created.len(), 1);
    assert_eq!(v.deployment_id.as_deref(), created[0]["deployment_id"].as_str(), "the deployment was adopted");
    assert_eq!((v.pending, v.step.as_str()), (None, "wait_for_code"));

    let code_for = |flow: &Onboarding| match flow {
        Onboarding::Vonage(v) => otp(&sim, Provider::Vonage, v.deployment_id.as_deref().unwrap()),
        _ => unreachable!(),
    };
    let done = run_resuming(resumed, || vonage_client(&sim), code_for, "864213").await;
    assert_eq!(done.needs(), Needs::Done);
    assert_eq!(sent(&sim, "vonage.create_deployment"), 1, "never created twice");
    assert_eq!(sent(&sim, "vonage.verify_otp"), 1);
}

#[tokio::test]
async fn a_vonage_deployment_that_never_arrived_is_created_once_after_checking() {
    let sim = simulator().await;
    let client = vonage_client(&sim);
    let mut flow =
        Onboarding::Vonage(VonageOnboarding::new("+44 7700 900322", "AbCd", DeliveryMethod::Sms, seed::VONAGE_WABA_ID));
    sim.inject(FaultRule::new(Fault::Reset).op("vonage.create_deployment").process(false));
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap_err().kind(), ErrorKind::Transport);
    assert!(flow.pending().is_some());
    flow.advance(&client, FlowInput::default()).await.unwrap();
    assert_eq!(sent(&sim, "vonage.list_deployments"), 1, "the provider was asked first");
    assert_eq!((flow.pending(), sent(&sim, "vonage.create_deployment")), (None, 1), "nothing sent while settling");
    flow.advance(&client, FlowInput::default()).await.unwrap();
    assert_eq!(sent(&sim, "vonage.create_deployment"), 2, "none was made, so it is created");
    let Onboarding::Vonage(v) = &flow else { unreachable!() };
    assert!(v.deployment_id.is_some());
}

#[tokio::test]
async fn a_verified_vonage_code_whose_answer_was_lost_is_not_sent_again() {
    let sim = simulator().await;
    let client = vonage_client(&sim);
    let mut flow = VonageOnboarding::new("+44 7700 900323", "AbCd", DeliveryMethod::Sms, seed::VONAGE_WABA_ID);
    flow.advance(&client, FlowInput::default()).await.unwrap();
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Code);
    let code = otp(&sim, Provider::Vonage, flow.deployment_id.as_deref().unwrap());
    sim.inject(FaultRule::new(Fault::Reset).op("vonage.verify_otp").process(true));
    assert!(flow.advance(&client, FlowInput::code(code)).await.is_err());
    assert_eq!(flow.pending, Some(waonboard::Operation::VonageVerifyOtp));
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Advance);
    assert_eq!(flow.step.as_str(), "wait_for_ready", "the deployment says the code was verified");
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Done);
    assert_eq!(sent(&sim, "vonage.verify_otp"), 1);
}

#[tokio::test]
async fn a_99digital_code_request_with_an_unknown_outcome_waits_for_the_code_instead_of_resending() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let mut flow = Onboarding::Digital99(Digital99Onboarding::new("+972 50 765 4321", DeliveryMethod::Sms, "1"));
    sim.inject(FaultRule::new(Fault::Reset).op("digital99.register_number").process(true));
    let mut saved = Vec::new();
    assert!(step_saving(&mut flow, &client, FlowInput::default(), &mut saved).await.is_err());
    assert_eq!(saved[0].pending(), Some(waonboard::Operation::Digital99RegisterNumber));
    let guard = client.guard_state();
    assert_eq!(guard.sent["digital99.register_number"]["972507654321"].len(), 1, "the guard counted it");

    let mut flow = saved.pop().unwrap();
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Code);
    assert!(flow.code_unconfirmed(), "the caller is told the code may not have been sent");
    assert!(flow.to_json().contains(r#""code_unconfirmed":true"#));
    assert_eq!(sent(&sim, "digital99.register_number"), 1, "no blind re-send");

    // The code did arrive: its verify answer is lost too, and the lists settle it.
    let code = otp(&sim, Provider::Digital99, "972507654321");
    sim.inject(FaultRule::new(Fault::TruncatedJson).op("digital99.verify_number"));
    assert_eq!(flow.advance(&client, FlowInput::code(code)).await.unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Done);
    let Onboarding::Digital99(d) = &flow else { unreachable!() };
    assert!(d.expiration.unwrap() > 0, "the expiration comes from the registered list");
    assert!(!d.code_unconfirmed);
    assert_eq!(sent(&sim, "digital99.verify_number"), 1);
}

#[tokio::test]
async fn a_99digital_code_request_that_never_arrived_is_resent_only_when_the_caller_says() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let mut flow = Digital99Onboarding::new("+972 50 765 4322", DeliveryMethod::Sms, "1");
    sim.inject(FaultRule::new(Fault::Reset).op("digital99.register_number").process(false));
    assert!(flow.advance(&client, FlowInput::default()).await.is_err());
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Code);
    assert!(flow.code_unconfirmed && sim.otp(Provider::Digital99, "972507654322").is_none());
    assert_eq!(flow.resend(&client).await.unwrap(), Needs::Code);
    assert!(!flow.code_unconfirmed);
    let code = otp(&sim, Provider::Digital99, "972507654322");
    assert_eq!(flow.advance(&client, FlowInput::code(code)).await.unwrap(), Needs::Done);
    assert_eq!(sent(&sim, "digital99.register_number"), 2, "the one lost on the way, and the resend");
}

#[tokio::test]
async fn meta_writes_whose_answers_were_lost_are_settled_from_the_numbers_status() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let id = seed::META_PHONE_READY;
    let mut flow = MetaOnboarding::new(id, DeliveryMethod::Sms, "en_US");
    sim.inject(FaultRule::new(Fault::Reset).op("meta.request_code").process(true));
    assert!(flow.advance(&client, FlowInput::default()).await.is_err());
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Code);
    assert!(flow.code_unconfirmed);

    sim.inject(FaultRule::new(Fault::TruncatedJson).op("meta.verify_code"));
    assert!(flow.advance(&client, FlowInput::code(otp(&sim, Provider::Meta, id))).await.is_err());
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Pin, "VERIFIED: register next");

    sim.inject(FaultRule::new(Fault::Timeout { seconds: 5 }).op("meta.register").process(true));
    assert_eq!(flow.advance(&client, FlowInput::pin("123456")).await.unwrap_err().kind(), ErrorKind::Timeout);
    assert_eq!(flow.pending, Some(waonboard::Operation::MetaRegister));
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Done, "platform_type CLOUD_API");
    let counts: Vec<usize> =
        ["meta.request_code", "meta.verify_code", "meta.register"].iter().map(|op| sent(&sim, op)).collect();
    assert_eq!(counts, [1, 1, 1], "each write processed once");
}

#[tokio::test]
async fn a_write_whose_intent_cannot_be_saved_is_not_sent() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let mut flow = Onboarding::Digital99(Digital99Onboarding::new("+972 50 765 4323", DeliveryMethod::Sms, "1"));
    let mut disk_full = |_: &Onboarding| Err(Error::validation("state", "could not be saved"));
    let err = flow.advance_with(&client, FlowInput::default(), &mut disk_full).await.unwrap_err();
    assert_eq!(err.field(), Some("state"));
    assert_eq!((flow.pending(), flow.needs()), (None, Needs::Advance), "the flow is where it was");
    assert_eq!(sent(&sim, "digital99.register_number"), 0);
    assert!(client.guard_state().sent.values().all(|numbers| numbers.values().all(Vec::is_empty)), "nor counted");
}

/// Seed 003: a number verified in Embedded Signup needs only `register`.
#[tokio::test]
async fn a_number_verified_in_embedded_signup_goes_straight_to_register() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let id = seed::META_PHONE_READY;
    assert!(sim.set_meta_code_verification_status(id, "VERIFIED"));
    let mut flow = MetaOnboarding::new(id, DeliveryMethod::Sms, "en_US");
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Pin);
    assert!(flow.already_verified);
    assert!(Onboarding::Meta(flow.clone()).to_json().contains(r#""already_verified":true"#));
    assert_eq!(sent(&sim, "meta.request_code"), 0, "no needless code request");
    assert_eq!(flow.advance(&client, FlowInput::pin("123456")).await.unwrap(), Needs::Done);
    assert_eq!((sent(&sim, "meta.verify_code"), sent(&sim, "meta.register")), (0, 1));
    assert_eq!(waonboard::client::EMBEDDED_SIGNUP_REGISTER_WINDOW_DAYS, 14);
}

// Hostile providers and networks: redirects, echoed requests, `{"success": false}`,
// endless paging (issue 9).

/// Every secret a test below sends: the tokens, the client secret, a PIN and a code.
const PIN: &str = "246813";
const CODE: &str = "975310";

fn assert_clean(err: &Error, secrets: &[&str]) {
    let shown = format!("{err} {err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked into {shown}");
    }
    assert!(err.message().chars().count() <= 512, "{} characters", err.message().chars().count());
    assert!(!err.message().chars().any(char::is_control), "control characters in {:?}", err.message());
}

#[tokio::test]
async fn redirects_are_never_followed() {
    let sim = simulator().await;
    let meta = meta_client(&sim);
    let register = json!({"phone_number_id": seed::META_PHONE_READY, "pin": PIN});
    for status in [307, 302, 301, 308] {
        sim.inject(FaultRule::new(Fault::Redirect { status }).op("meta.register"));
        let err = meta.call("meta.register", &register).await.unwrap_err();
        assert_eq!((err.kind(), err.http_status(), err.retryable()), (ErrorKind::Provider, Some(status), false));
        assert!(err.message().contains(&status.to_string()), "names the status: {err}");
    }
    // A read is not repeated either: the redirect will not go away by itself.
    sim.inject(FaultRule::new(Fault::Redirect { status: 302 }).op("meta.get_phone_number"));
    let err = meta.call("meta.get_phone_number", &json!({"phone_number_id": seed::META_PHONE_READY})).await;
    assert_eq!(err.unwrap_err().http_status(), Some(302));
    assert_eq!(sent(&sim, "meta.get_phone_number"), 1);

    let vonage = vonage_client(&sim);
    sim.inject(FaultRule::new(Fault::Redirect { status: 307 }).op("vonage.verify_otp"));
    let verify = json!({"deployment_id": seed::VONAGE_READY_DEPLOYMENT, "code": CODE});
    assert_eq!(vonage.call("vonage.verify_otp", &verify).await.unwrap_err().http_status(), Some(307));

    // 99digital: the token fetch (client secret) and a write.
    let d99 = digital99_client(&sim);
    sim.inject(FaultRule::new(Fault::Redirect { status: 307 }).op("digital99.access_token"));
    let err = d99.call("digital99.list_registered_numbers", &json!({})).await.unwrap_err();
    assert_eq!((err.kind(), err.http_status()), (ErrorKind::Provider, Some(307)), "{err}");
    sim.inject(FaultRule::new(Fault::Redirect { status: 302 }).op("digital99.verify_number"));
    let verify = json!({"phone_number": "+972 50 123 4567", "code": CODE});
    assert_eq!(d99.call("digital99.verify_number", &verify).await.unwrap_err().http_status(), Some(302));

    assert_eq!(sent(&sim, "meta.register"), 4, "each sent once, never repeated");
    assert!(sim.trap_hits().is_empty(), "nothing reached the other host: {:?}", sim.trap_hits());
}

#[tokio::test]
async fn provider_text_never_carries_a_secret_and_is_cut_and_cleaned() {
    let sim = simulator().await;
    let tokens = [seed::META_TOKEN, seed::VONAGE_TOKEN, seed::DIGITAL99_CLIENT_SECRET, PIN, CODE];
    let echo = |pad| FaultRule::new(Fault::EchoRequest { pad });

    let meta = meta_client(&sim);
    sim.inject(echo(0).op("meta.register"));
    let err = meta.call("meta.register", &json!({"phone_number_id": seed::META_PHONE_READY, "pin": PIN})).await;
    let err = err.unwrap_err();
    assert!(err.message().contains("[redacted]"), "the echo is there, its secrets are not: {err}");
    assert_clean(&err, &tokens);
    sim.inject(echo(0).op("meta.verify_code"));
    let err = meta.call("meta.verify_code", &json!({"phone_number_id": seed::META_PHONE_READY, "code": CODE})).await;
    assert_clean(&err.unwrap_err(), &tokens);

    let vonage = vonage_client(&sim);
    sim.inject(echo(0).op("vonage.verify_otp"));
    let verify = json!({"deployment_id": seed::VONAGE_READY_DEPLOYMENT, "code": CODE});
    let err = vonage.call("vonage.verify_otp", &verify).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_clean(&err, &tokens);

    let d99 = digital99_client(&sim);
    sim.inject(echo(0).op("digital99.access_token"));
    let err = d99.call("digital99.list_registered_numbers", &json!({})).await.unwrap_err();
    assert_clean(&err, &tokens);

    // 10 MB of text laced with ANSI escapes: a short, printable message.
    sim.inject(echo(10_000_000).op("meta.register"));
    let slow = ReqwestTransport::with_timeouts(Duration::from_secs(2), Duration::from_secs(60)).unwrap();
    let config = Config::new(seed::META_TOKEN).with_base_url(sim.base_url(Provider::Meta));
    let meta = Client::new(SimTime::new(&sim, slow), config);
    let err = meta.call("meta.register", &json!({"phone_number_id": seed::META_PHONE_READY, "pin": PIN})).await;
    let err = err.unwrap_err();
    assert_clean(&err, &tokens);
    assert!(!err.message().contains('\u{1b}') && err.message().contains("RED"), "{}", err.message());
    assert!(err.message().ends_with('…'), "cut, and says so");

    // The sans-IO parse cuts and cleans too (it cannot know what was sent).
    let body = json!({"error": {"code": 100, "message": format!("\u{1b}]0;owned\u{7}{}", "x".repeat(1 << 20))}});
    let err = waonboard::parse("meta.register", 400, &[], body.to_string().as_bytes()).unwrap_err();
    assert!(err.message().chars().count() <= 512 && !err.message().contains("owned"), "{}", err.message());
}

#[tokio::test]
async fn meta_success_false_is_an_error_and_stops_a_flow() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    sim.inject(FaultRule::new(Fault::MetaSuccessFalse).op("meta.request_code"));
    let mut flow = MetaOnboarding::new(seed::META_PHONE_READY, DeliveryMethod::Sms, "en_US");
    let err = flow.advance(&client, FlowInput::default()).await.unwrap_err();
    assert_eq!((err.kind(), err.retryable(), err.http_status()), (ErrorKind::Provider, false, Some(200)), "{err}");
    assert_eq!(flow.needs(), Needs::Advance, "the flow did not move on");
    assert_eq!(sent(&sim, "meta.request_code"), 1, "not repeated");
}

#[tokio::test]
async fn a_99digital_client_checks_its_input_before_fetching_a_token() {
    let sim = simulator().await;
    let client = digital99_client(&sim);
    let params = json!({"phone_number": "+972 50 999 1234", "method": "sms", "language": "english"});
    let err = client.call("digital99.register_number", &params).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Validation, Some("language")), "{err}");
    assert!(sim.requests().is_empty(), "no token fetch, nothing sent: {:?}", sim.requests());
}

#[tokio::test]
async fn meta_paging_stops_on_a_repeated_cursor_and_at_the_page_cap() {
    let sim = simulator().await;
    let client = meta_client(&sim);
    let request = || meta::ListPhoneNumbers { waba_id: seed::META_WABA_ID.into(), ..Default::default() };

    sim.inject(FaultRule::new(Fault::EndlessPages { repeat: true }).op("meta.list_phone_numbers").always());
    let err = client.phone_number_pages(request()).collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Provider);
    assert!(err.message().contains("cursor"), "{err}");
    assert_eq!(sent(&sim, "meta.list_phone_numbers"), 2, "the second page repeated the first one's cursor");

    sim.reset();
    sim.inject(FaultRule::new(Fault::EndlessPages { repeat: false }).op("meta.list_phone_numbers").always());
    let err = client.phone_number_pages(request()).collect_all().await.unwrap_err();
    assert!(err.message().contains("1000 pages"), "{err}");
    assert_eq!(sent(&sim, "meta.list_phone_numbers"), waonboard::client::MAX_PHONE_NUMBER_PAGES);
}

/// A loopback port nobody listens on: bound, then closed.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A request that cannot connect says where it went (method, host, path: never the query,
/// whose values may be cursors or filters) and keeps the transport's own error as its cause.
#[tokio::test]
async fn a_refused_connection_names_method_host_and_path_and_keeps_the_cause() {
    let port = closed_port();
    let config = Config::new("EAAGsecret").with_base_url(format!("http://127.0.0.1:{port}"));
    let client = Client::new(http(), config).with_retry(single_attempt());
    let write = client
        .call("meta.register", &json!({"phone_number_id": "106540352242922", "pin": "123456"}))
        .await
        .unwrap_err();
    assert_eq!(write.kind(), ErrorKind::Transport, "{write}");
    assert!(write.message().starts_with(&format!("POST 127.0.0.1:{port}/v23.0/106540352242922/register: ")), "{write}");
    let cause = write.cause().expect("the transport's error is kept");
    assert!(cause.to_ascii_lowercase().contains("connect"), "{cause}");
    assert!(write.message().contains(cause), "the message ends with the cause: {write}");
    assert!(!write.message().contains("123456") && !write.message().contains("EAAGsecret"), "{write}");

    let read = client
        .call("meta.list_phone_numbers", &json!({"waba_id": "102290129340398", "after": "cursorVALUE42"}))
        .await
        .unwrap_err();
    assert_eq!(read.kind(), ErrorKind::Transport, "{read}");
    assert!(
        read.message().starts_with(&format!("GET 127.0.0.1:{port}/v23.0/102290129340398/phone_numbers: ")),
        "{read}"
    );
    assert!(!read.message().contains("cursorVALUE42") && !read.message().contains('?'), "no query: {read}");
    assert!(read.cause().is_some());
}

#[test]
fn the_core_knows_where_the_sandbox_serves_each_provider() {
    for (ours, sims) in [
        (waonboard::Provider::Meta, Provider::Meta),
        (waonboard::Provider::Vonage, Provider::Vonage),
        (waonboard::Provider::Digital99, Provider::Digital99),
    ] {
        assert_eq!(ours.sandbox_path(), sims.prefix(), "{ours:?}");
    }
}

#[tokio::test]
async fn a_404_from_a_base_url_without_the_providers_path_says_so() {
    let sim = simulator().await;
    // The sandbox's origin without `/vonage`: every path misses.
    let config = Config::new(seed::VONAGE_TOKEN).with_base_url(sim.url());
    let client = Client::new(SimTime::new(&sim, http()), config);
    let err = client.call("vonage.list_deployments", &json!({})).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let message = err.message();
    let right = sim.base_url(Provider::Vonage);
    for part in ["may be wrong", "https://api.nexmo.com/v0.1/whatsapp-manager", &right] {
        assert!(message.contains(part), "{part:?} in {message}");
    }
    // Meta's own API has no path either: the loopback origin is what gives the sandbox away.
    let config = Config::new(seed::META_TOKEN).with_base_url(sim.url());
    let meta = Client::new(SimTime::new(&sim, http()), config);
    let err = meta.call("meta.get_phone_number", &json!({"phone_number_id": seed::META_PHONE_READY})).await;
    let message = err.unwrap_err().message().to_owned();
    assert!(message.contains(&format!("sandbox there serves it at {}", sim.base_url(Provider::Meta))), "{message}");
    // A real 404 under the right base URL is the provider's, without the hint.
    let missing = vonage_client(&sim).call("vonage.get_deployment", &json!({"deployment_id": "no-such"})).await;
    let missing = missing.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert!(!missing.message().contains("may be wrong"), "{}", missing.message());
}
