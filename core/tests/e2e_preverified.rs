//! Meta's pre-verified phone numbers end to end: the typed endpoints and the by-id calls
//! over real HTTP on loopback to the project's simulator, through the reqwest transport.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::time::Duration;

use serde_json::json;
use waonboard::client::{Client, FlowInput, Needs, PreverifiedVerification, ReqwestTransport, RetryPolicy};
use waonboard::meta::{
    AddPreverifiedNumber, DeletePreverifiedNumber, GetPreverifiedNumber, ListPreverifiedNumbers,
    ListPreverifiedPartners, PreverifiedStatus, RequestPreverifiedCode, SharePreverifiedNumber, VerifyPreverifiedCode,
};
use waonboard::{Config, DeliveryMethod, ErrorKind};
use waonboard_sim::{seed, Fault, FaultRule, Provider, SimConfig, Simulator};

async fn setup() -> (Simulator, Client<ReqwestTransport>) {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let http = ReqwestTransport::with_timeouts(Duration::from_secs(2), Duration::from_secs(5)).unwrap();
    let config = Config::new(seed::META_TOKEN).with_base_url(sim.base_url(Provider::Meta));
    let mut retry = RetryPolicy::default();
    (retry.max_attempts, retry.base_delay_ms, retry.max_delay_ms, retry.max_retry_after_ms) = (3, 5, 20, 1_000);
    (sim, Client::new(http, config).with_retry(retry))
}

fn sent(sim: &Simulator, op: &str) -> usize {
    sim.requests().iter().filter(|r| r.op.as_deref() == Some(op)).count()
}

#[tokio::test]
async fn a_number_joins_the_pool_is_verified_shared_and_deleted() {
    let (sim, client) = setup().await;
    let business_id = seed::META_BUSINESS_ID.to_owned();

    let add = AddPreverifiedNumber {
        business_id: business_id.clone(),
        phone_number: "020 7946 0958".into(),
        country: Some("GB".into()),
    };
    let id = client.send(&add).await.unwrap().id;
    let check = client.send(&GetPreverifiedNumber { preverified_id: id.clone(), fields: None }).await.unwrap();
    assert_eq!((check.id.as_deref(), check.is_input_id_valid), (Some(id.as_str()), Some(true)));

    let pending = ListPreverifiedNumbers {
        business_id: business_id.clone(),
        verification_status: Some("pending".into()),
        fields: Some(vec!["id".into(), "country_prefix".into(), "verification_status".into()]),
        ..Default::default()
    };
    let page = client.send(&pending).await.unwrap();
    assert_eq!(page.data.len(), 1, "only the new number is pending");
    assert_eq!(page.data[0].id, id);
    assert_eq!(page.data[0].country_prefix, Some(44), "sent as +442079460958");
    assert_eq!(page.data[0].verification_status, Some(PreverifiedStatus::Pending));

    let request = RequestPreverifiedCode {
        preverified_id: id.clone(),
        code_method: DeliveryMethod::Sms,
        language: "en-gb".into(),
    };
    assert!(client.send(&request).await.unwrap().success);
    let code = sim.otp(Provider::Meta, &id).expect("a code was sent");
    let pasted = format!("{}-{}", &code[..3], &code[3..]);
    let verify = VerifyPreverifiedCode { preverified_id: id.clone(), code: pasted.into() };
    assert!(client.send(&verify).await.unwrap().success);
    let page = client.send(&pending).await.unwrap();
    assert!(page.data.is_empty(), "verified now");

    let share = SharePreverifiedNumber {
        business_id,
        preverified_id: id.clone(),
        partner_business_id: seed::META_PARTNER_BUSINESS_ID.into(),
    };
    assert!(client.send(&share).await.unwrap().success);
    let partners =
        client.send(&ListPreverifiedPartners { preverified_id: id.clone(), ..Default::default() }).await.unwrap();
    assert_eq!(partners.data.len(), 1);
    assert_eq!(partners.data[0].id, seed::META_PARTNER_BUSINESS_ID);
    assert_eq!(partners.data[0].name.as_deref(), Some("Sim Partner Agency"));

    let deleted = client.send(&DeletePreverifiedNumber { preverified_id: id.clone() }).await.unwrap();
    assert_eq!(deleted.success, Some(true));
    let gone = client.send(&DeletePreverifiedNumber { preverified_id: id.clone() }).await.unwrap_err();
    assert_eq!((gone.kind(), gone.provider_code()), (ErrorKind::Provider, Some("803")));
    sim.shutdown().await;
}

#[tokio::test]
async fn by_id_calls_read_the_contracts_json() {
    let (sim, client) = setup().await;
    let list = client
        .call("meta.list_preverified_numbers", &json!({"business_id": seed::META_BUSINESS_ID, "country_code": "us"}))
        .await
        .unwrap();
    assert_eq!(
        list["data"],
        json!([{"id": seed::META_PREVERIFIED_VERIFIED, "display_phone_number": "+1 6505550199", "verification_status": "VERIFIED"}])
    );

    let err = client
        .call(
            "meta.request_preverified_code",
            &json!({"preverified_id": seed::META_PREVERIFIED_VERIFIED, "code_method": "sms", "language": "en_US"}),
        )
        .await
        .unwrap_err();
    assert_eq!((err.kind(), err.http_status()), (ErrorKind::InvalidRequest, Some(422)), "already verified: {err}");
    assert!(err.message().contains("already been verified"), "{err}");

    let err = client
        .call("meta.verify_preverified_code", &json!({"preverified_id": "12a", "code": "123456"}))
        .await
        .unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Validation, Some("preverified_id")));
    assert_eq!(sent(&sim, "meta.verify_preverified_code"), 0, "bad input is never sent");
    sim.shutdown().await;
}

#[tokio::test]
async fn reads_are_retried_and_writes_are_not() {
    let (sim, client) = setup().await;
    sim.inject(FaultRule::new(Fault::Status503).op("meta.get_preverified_number"));
    let check = GetPreverifiedNumber { preverified_id: seed::META_PREVERIFIED_VERIFIED.into(), fields: None };
    assert_eq!(client.send(&check).await.unwrap().id.as_deref(), Some(seed::META_PREVERIFIED_VERIFIED));
    assert_eq!(sent(&sim, "meta.get_preverified_number"), 2, "a read is retried after a 503");

    sim.inject(FaultRule::new(Fault::Status503).op("meta.share_preverified_number"));
    let share = SharePreverifiedNumber {
        business_id: seed::META_BUSINESS_ID.into(),
        preverified_id: seed::META_PREVERIFIED_VERIFIED.into(),
        partner_business_id: seed::META_PARTNER_BUSINESS_ID.into(),
    };
    let err = client.send(&share).await.unwrap_err();
    assert_eq!((err.kind(), err.http_status()), (ErrorKind::Provider, Some(503)));
    assert_eq!(sent(&sim, "meta.share_preverified_number"), 1, "a write is sent once");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_verification_flow_resumes_from_saved_json_and_refuses_an_invalid_id() {
    let (sim, client) = setup().await;
    let add = AddPreverifiedNumber {
        business_id: seed::META_BUSINESS_ID.into(),
        phone_number: "+972 50-765-4321".into(),
        country: None,
    };
    let id = client.send(&add).await.unwrap().id;

    let mut flow = PreverifiedVerification::new(id.clone(), DeliveryMethod::Voice, "he_IL");
    assert_eq!(flow.needs(), Needs::Advance);
    assert_eq!(flow.advance(&client, FlowInput::default()).await.unwrap(), Needs::Code);
    let saved = serde_json::to_string(&flow).unwrap();
    let code = sim.otp(Provider::Meta, &id).unwrap();
    assert!(!saved.contains(&code), "the code is never stored");

    let mut resumed: PreverifiedVerification = serde_json::from_str(&saved).unwrap();
    let missing = resumed.advance(&client, FlowInput::default()).await.unwrap_err();
    assert_eq!((missing.kind(), missing.field()), (ErrorKind::Validation, Some("code")));
    assert_eq!(resumed.needs(), Needs::Code, "a failed step leaves the flow where it was");
    assert_eq!(resumed.advance(&client, FlowInput::code(code)).await.unwrap(), Needs::Done);
    let ops: Vec<_> = sim.requests().into_iter().filter_map(|r| r.op).collect();
    assert_eq!(
        ops,
        [
            "meta.add_preverified_number",
            "meta.get_preverified_number",
            "meta.request_preverified_code",
            "meta.verify_preverified_code"
        ]
    );

    let mut invalid = PreverifiedVerification::new(seed::META_PREVERIFIED_FAILED, DeliveryMethod::Sms, "en_US");
    let err = invalid.advance(&client, FlowInput::default()).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Conflict, Some("preverified_id")));
    assert!(err.message().contains("Phone number format is invalid"), "{err}");
    assert_eq!(sent(&sim, "meta.request_preverified_code"), 1, "no code is requested for an invalid ID");
    assert_eq!(invalid.needs(), Needs::Advance);
    sim.shutdown().await;
}
