//! A caller that gives up (JS's `AbortSignal`, through `Transport::is_aborted` and
//! `Error::aborted`), over real HTTP against the simulator: a write abandoned before it
//! leaves is neither pending nor counted; one abandoned in flight stays pending and is
//! settled with the provider, never sent again; an aborted read is not retried.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use waonboard::client::{Client, FlowInput, MetaOnboarding, Needs, ReqwestTransport, Transport};
use waonboard::{Config, DeliveryMethod, Error, ErrorKind, HttpRequest, HttpResponse, Operation};
use waonboard_sim::{seed, Provider, SimConfig, Simulator};

/// Real HTTP that gives up as a caller's `AbortSignal` would: before any request once
/// `sends` reach `abort_after`, or in flight (the request sent, its answer dropped) for
/// a path ending in `abandon`.
struct Abandoning {
    http: ReqwestTransport,
    sends: AtomicU32,
    abort_after: u32,
    abandon: Option<&'static str>,
}

impl Transport for Abandoning {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.sends.fetch_add(1, Ordering::SeqCst);
        let abandoned = self.abandon.is_some_and(|path| request.url.ends_with(path));
        let response = self.http.send(request).await;
        if abandoned {
            return Err(Error::aborted("the caller gave up while the request was in flight"));
        }
        response
    }

    async fn sleep(&self, _: u64) {}

    fn now_ms(&self) -> u64 {
        1_700_000_000_000
    }

    fn random(&self) -> u64 {
        7
    }

    fn is_aborted(&self) -> bool {
        self.sends.load(Ordering::SeqCst) >= self.abort_after
    }
}

fn abandoning(sim: &Simulator, abort_after: u32, abandon: Option<&'static str>) -> Client<Abandoning> {
    let http = ReqwestTransport::with_timeouts(Duration::from_secs(2), Duration::from_secs(2)).unwrap();
    let transport = Abandoning { http, sends: 0.into(), abort_after, abandon };
    Client::new(transport, Config::new(seed::META_TOKEN).with_base_url(sim.base_url(Provider::Meta)))
}

/// A Meta flow at its register step (code verified), and the number's ID.
async fn ready_to_register(sim: &Simulator) -> (MetaOnboarding, &'static str) {
    let id = seed::META_PHONE_READY;
    let client = abandoning(sim, u32::MAX, None);
    let mut flow = MetaOnboarding::new(id, DeliveryMethod::Sms, "en_US");
    flow.advance(&client, FlowInput::default()).await.unwrap();
    let code = sim.otp(Provider::Meta, id).unwrap();
    assert_eq!(flow.advance(&client, FlowInput::code(code)).await.unwrap(), Needs::Pin);
    (flow, id)
}

fn registers(sim: &Simulator) -> usize {
    sim.requests().iter().filter(|r| r.op.as_deref() == Some("meta.register")).count()
}

#[tokio::test]
async fn a_write_aborted_before_it_leaves_is_not_pending_and_not_counted() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let (mut flow, id) = ready_to_register(&sim).await;
    // The readiness read goes; the caller gives up before the register.
    let client = abandoning(&sim, 1, None);
    let e = flow.advance(&client, FlowInput::pin("246810")).await.unwrap_err();
    assert_eq!((e.kind(), e.retryable(), e.operation()), (ErrorKind::Aborted, true, Some(Operation::MetaRegister)));
    assert_eq!(flow.pending, None, "nothing left");
    assert_eq!(flow.needs(), Needs::Pin);
    assert_eq!(registers(&sim), 0);
    assert_eq!(client.guard_sends(Operation::MetaRegister, id), Vec::<u64>::new(), "the guard count is taken back");
}

#[tokio::test]
async fn a_write_aborted_in_flight_stays_pending_and_is_settled_not_resent() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let (mut flow, id) = ready_to_register(&sim).await;
    let client = abandoning(&sim, u32::MAX, Some("/register"));
    let e = flow.advance(&client, FlowInput::pin("246810")).await.unwrap_err();
    assert_eq!((e.kind(), e.retryable()), (ErrorKind::Aborted, false), "{e}");
    assert!(e.message().starts_with("POST 127.0.0.1:"), "it says where it went: {e}");
    assert_eq!(flow.pending, Some(Operation::MetaRegister), "it may have landed");
    assert_eq!(client.guard_sends(Operation::MetaRegister, id).len(), 1, "it counts: it may have landed");
    assert_eq!(flow.advance(&abandoning(&sim, u32::MAX, None), FlowInput::default()).await.unwrap(), Needs::Done);
    assert_eq!(registers(&sim), 1, "settled with Meta, not sent again");
}

#[tokio::test]
async fn an_aborted_read_is_not_retried() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let client = abandoning(&sim, u32::MAX, Some(seed::META_PHONE_READY));
    let params = serde_json::json!({"phone_number_id": seed::META_PHONE_READY});
    let e = client.call("meta.get_phone_number", &params).await.unwrap_err();
    assert_eq!((e.kind(), e.retryable()), (ErrorKind::Aborted, true));
    assert_eq!(sim.requests().len(), 1);
}
