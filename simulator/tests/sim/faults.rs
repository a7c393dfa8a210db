use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use waonboard_sim::{seed, Fault, FaultRule, Provider};

use crate::common::H;

const REQ: &str = "/106540352242922/request_code";

fn request_code_body() -> serde_json::Value {
    json!({"code_method":"SMS","language":"en_US"})
}

#[tokio::test]
async fn latency_then_normal_answer() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::Latency { ms: 300 }).provider(Provider::Meta));
    let t = Instant::now();
    let r = h.meta(Method::POST, REQ, Some(&request_code_body())).await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 200);
    // It ran: a code was issued.
    assert!(h.sim.otp(Provider::Meta, seed::META_PHONE_READY).is_some());
    // Used up: the next one is fast.
    let t = Instant::now();
    h.meta(Method::POST, REQ, Some(&request_code_body())).await;
    assert!(t.elapsed() < Duration::from_millis(300));
    let log = h.sim.requests();
    assert_eq!(log[0].fault.as_deref(), Some("latency_ms"));
    assert_eq!(log[1].fault, None);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn status_429_per_provider() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::Status429 { retry_after: 7 }).always());

    let r = h.meta(Method::POST, REQ, Some(&request_code_body())).await;
    assert_eq!((r.status, r.header("retry-after")), (429, Some("7")));
    assert_eq!(r.json()["error"]["code"], 4);
    // Not processed: no code was issued.
    assert!(h.sim.otp(Provider::Meta, seed::META_PHONE_READY).is_none());

    let r = h.vonage(Method::GET, "/deployments", None).await;
    assert_eq!((r.status, r.header("retry-after")), (429, Some("7")));
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(r.json()["type"], "https://developer.nexmo.com/api-errors/whatsapp-provisioning#throttled");

    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", None, None).await;
    assert_eq!((r.status, r.header("retry-after")), (429, Some("7")));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    h.sim.clear_faults();
    assert_eq!(h.meta(Method::POST, REQ, Some(&request_code_body())).await.status, 200);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn status_500_and_503() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::Status500).provider(Provider::Meta).times(2));
    for _ in 0..2 {
        let r = h.meta(Method::POST, REQ, Some(&request_code_body())).await;
        assert_eq!((r.status, r.json()["error"]["code"].as_i64()), (500, Some(131000)));
    }
    assert_eq!(h.meta(Method::POST, REQ, Some(&request_code_body())).await.status, 200);

    h.sim.inject(FaultRule::new(Fault::Status503).provider(Provider::Meta));
    let r = h.meta(Method::POST, REQ, Some(&request_code_body())).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_i64()), (503, Some(2)));

    h.sim.inject(FaultRule::new(Fault::Status503).provider(Provider::Vonage));
    let r = h.vonage(Method::GET, "/deployments", None).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));

    h.sim.inject(FaultRule::new(Fault::Status500).provider(Provider::Digital99));
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", None, None).await;
    assert_eq!(r.status, 500);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn reset_is_a_connection_error() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::Reset).op("meta.request_code"));
    let url = format!("{}/v23.0{REQ}", h.sim.base_url(Provider::Meta));
    let err = h
        .send(Method::POST, &url, Some(seed::META_TOKEN), Some(&request_code_body()))
        .await
        .expect_err("a reset must not look like an HTTP response");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    assert!(err.is_request() || err.is_connect() || err.is_body(), "{err:?}");
    let log = h.sim.requests();
    assert_eq!((log[0].fault.as_deref(), log[0].status), (Some("reset"), None));
    // The server is fine afterwards.
    assert_eq!(h.meta(Method::POST, REQ, Some(&request_code_body())).await.status, 200);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn timeout_never_answers() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::Timeout { seconds: 30 }).provider(Provider::Vonage));
    let client = crate::common::http_client(Duration::from_millis(300));
    let t = Instant::now();
    let err = client
        .get(format!("{}/deployments", h.sim.base_url(Provider::Vonage)))
        .bearer_auth(seed::VONAGE_TOKEN)
        .send()
        .await
        .expect_err("must time out");
    assert!(err.is_timeout(), "{err:?}");
    assert!(t.elapsed() < Duration::from_secs(5));
    // Shutdown does not wait the 30 s out.
    let t = Instant::now();
    h.sim.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn truncated_html_wrong_type_and_digital99_fail() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::TruncatedJson).op("meta.get_phone_number"));
    let r = h.meta(Method::GET, &format!("/{}", seed::META_PHONE_READY), None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("application/json"));
    assert!(r.text.starts_with("{\"") && !r.text.ends_with('}'), "{}", r.text);
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());

    h.sim.inject(FaultRule::new(Fault::HtmlError).provider(Provider::Vonage));
    let r = h.vonage(Method::GET, "/deployments", None).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<html>"));

    h.sim.inject(FaultRule::new(Fault::WrongContentType).path("/getWhatsApp"));
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", None, None).await;
    assert_eq!((r.status, r.text.as_str()), (200, "OK"));
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));

    h.sim.inject(FaultRule::new(Fault::Digital99Fail { reason: 17 }).provider(Provider::Digital99).method("post"));
    let r = h
        .d99(
            Method::POST,
            "/api/settings/accessToken",
            None,
            Some(&json!({"client_id": seed::DIGITAL99_CLIENT_ID, "client_secret": seed::DIGITAL99_CLIENT_SECRET})),
        )
        .await;
    assert_eq!((r.status, r.json()), (200, json!({"status":"FAIL","reason":17})));

    let names: Vec<Option<String>> = h.sim.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        names,
        ["truncated_json", "html_error", "wrong_content_type", "digital99_fail"].map(|s| Some(s.to_owned()))
    );
    h.sim.shutdown().await;
}

#[tokio::test]
async fn truncated_answer_after_the_provider_acted() {
    // A register whose answer is lost still counts: the client must not blindly retry.
    let h = H::new().await;
    let id = seed::META_PHONE_REGISTERED;
    h.sim.inject(FaultRule::new(Fault::TruncatedJson).op("meta.deregister"));
    let r = h.meta(Method::POST, &format!("/{id}/deregister"), None).await;
    assert_eq!(r.status, 200);
    let r = h.meta(Method::POST, &format!("/{id}/deregister"), None).await;
    assert_eq!(r.json()["error"]["code"], 133010);

    // process=false on a 500 leaves state alone.
    h.sim.inject(FaultRule::new(Fault::Status500).op("meta.register").process(false));
    let reg = json!({"messaging_product":"whatsapp","pin": seed::META_REGISTERED_PIN});
    assert_eq!(h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await.status, 500);
    let r = h.meta(Method::POST, &format!("/{id}/deregister"), None).await;
    assert_eq!(r.json()["error"]["code"], 133010);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn faults_over_the_side_channel() {
    let h = H::new().await;
    let post = |body: serde_json::Value| {
        let h = &h;
        async move { h.send(Method::POST, &h.url("/_sim/faults"), None, Some(&body)).await.unwrap() }
    };
    let r = post(json!({"provider":"meta","path":"request_code","fault":"status_503"})).await;
    assert_eq!(r.status, 201);
    let r =
        post(json!({"provider":"99digital","method":"GET","times":2,"fault":{"type":"status_429","retry_after":3}}))
            .await;
    assert_eq!(r.status, 201);
    let r = post(json!({"fault":{"type":"nope"}})).await;
    assert_eq!(r.status, 400);
    let r = h.send(Method::GET, &h.url("/_sim/faults"), None, None).await.unwrap();
    assert_eq!(r.json().as_array().unwrap().len(), 2);

    assert_eq!(h.meta(Method::POST, REQ, Some(&request_code_body())).await.status, 503);
    for _ in 0..2 {
        let r = h.d99(Method::GET, "/api/whatsapp/getAccounts", None, None).await;
        assert_eq!((r.status, r.header("retry-after")), (429, Some("3")));
    }
    assert_eq!(h.d99(Method::GET, "/api/whatsapp/getAccounts", None, None).await.status, 200);

    post(json!({"fault":{"type":"reset"},"always":true})).await;
    let r = h.send(Method::DELETE, &h.url("/_sim/faults"), None, None).await.unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(h.meta(Method::POST, REQ, Some(&request_code_body())).await.status, 200);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn a_late_answer_is_processed_before_it_is_sent() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::LateAnswer { ms: 400 }).provider(Provider::Meta));
    let body = request_code_body();
    let call = h.meta(Method::POST, REQ, Some(&body));
    let watch = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        // Mid-wait: the code is out though the answer is not.
        h.sim.otp(Provider::Meta, seed::META_PHONE_READY)
    };
    let t = Instant::now();
    let (r, early_code) = tokio::join!(call, watch);
    assert!(early_code.is_some(), "the operation ran before the answer left");
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_eq!(r.status, 200);
    assert_eq!(h.sim.requests()[0].fault.as_deref(), Some("late_answer_ms"));
    h.sim.shutdown().await;
}
