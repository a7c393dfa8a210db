use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use waonboard_sim::{seed, LoggedRequest, Provider, SimConfig, Simulator};

use crate::common::H;

#[tokio::test]
async fn cors_preflight_and_headers() {
    let h = H::new().await;
    let url = format!("{}/v23.0/{}/register", h.sim.base_url(Provider::Meta), seed::META_PHONE_READY);
    let r = h
        .http
        .request(Method::OPTIONS, &url)
        .header("origin", "http://localhost:8000")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let hd = r.headers();
    assert_eq!(hd["access-control-allow-origin"], "*");
    let methods = hd["access-control-allow-methods"].to_str().unwrap();
    for m in ["GET", "POST", "PATCH", "DELETE", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let headers = hd["access-control-allow-headers"].to_str().unwrap();
    for name in ["authorization", "content-type", "accept"] {
        assert!(headers.contains(name), "{headers}");
    }
    // Preflights are not provider calls.
    assert!(h.sim.requests().is_empty());

    // Every answer carries the CORS headers, errors and side channel included.
    for r in [
        h.vonage(Method::GET, "/deployments/nope", None).await,
        h.d99(Method::GET, "/api/whatsapp/getWhatsApp", None, None).await,
        h.send(Method::GET, &h.url("/_sim/seed"), None, None).await.unwrap(),
    ] {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert_eq!(r.header("access-control-expose-headers"), Some("retry-after"));
    }
    h.sim.shutdown().await;
}

#[tokio::test]
async fn request_log_over_http() {
    let h = H::new().await;
    h.meta(Method::GET, &format!("/{}?fields=id", seed::META_PHONE_READY), None).await;
    h.vonage(Method::GET, "/deployments", None).await;
    h.d99(Method::GET, "/api/whatsapp/nope", None, None).await;
    h.send(Method::GET, &h.url("/_sim/seed"), None, None).await.unwrap();

    let r = h.send(Method::GET, &h.url("/_sim/requests"), None, None).await.unwrap();
    let log: Vec<LoggedRequest> = serde_json::from_str(&r.text).unwrap();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[0].provider, Provider::Meta);
    assert_eq!(log[0].op.as_deref(), Some("meta.get_phone_number"));
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, format!("/meta/v23.0/{}", seed::META_PHONE_READY));
    assert_eq!(log[0].query, "fields=id");
    assert_eq!(log[0].status, Some(200));
    assert_eq!((log[1].op.as_deref(), log[1].status), (Some("vonage.list_deployments"), Some(200)));
    assert_eq!((log[2].provider, log[2].op.as_deref(), log[2].status), (Provider::Digital99, None, Some(404)));
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    // The raw JSON uses the documented names.
    let raw = r.json();
    assert_eq!(raw[2]["provider"], "digital99");

    let r = h.send(Method::DELETE, &h.url("/_sim/requests"), None, None).await.unwrap();
    assert_eq!(r.status, 204);
    assert!(h.sim.requests().is_empty());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn clock_reset_and_seed_over_http() {
    let h = H::new().await;
    let r = h.send(Method::GET, &h.url("/_sim/seed"), None, None).await.unwrap();
    let s = r.json();
    assert_eq!(s["meta"]["waba_id"], seed::META_WABA_ID);
    assert_eq!(s["meta"]["access_token"], seed::META_TOKEN);
    assert_eq!(s["meta"]["base_url"], h.sim.base_url(Provider::Meta));
    assert_eq!(s["digital99"]["client_secret"], seed::DIGITAL99_CLIENT_SECRET);
    assert_eq!(s["vonage"]["ready_deployment_id"], seed::VONAGE_READY_DEPLOYMENT);

    // Advancing over HTTP expires a 99digital token.
    let token = h.d99_token().await;
    let r = h.send(Method::POST, &h.url("/_sim/clock/advance"), None, Some(&json!({"ms": 3_601_000}))).await.unwrap();
    assert!(r.json()["now_ms"].as_u64().unwrap() >= 3_601_000);
    let r = h.d99(Method::GET, "/api/whatsapp/getAccounts", Some(&token), None).await;
    assert_eq!(r.json()["reason"], 3);
    let r = h.send(Method::POST, &h.url("/_sim/clock/advance"), None, Some(&json!({"ms": -1}))).await.unwrap();
    assert_eq!(r.status, 400);

    // Reset: state back to the seed, log emptied, clock back to zero.
    h.meta(
        Method::POST,
        &format!("/{}/request_code", seed::META_PHONE_READY),
        Some(&json!({"code_method":"SMS","language":"en_US"})),
    )
    .await;
    assert!(h.side_otp(&format!("provider=meta&phone_number_id={}", seed::META_PHONE_READY)).await.is_some());
    let r = h.send(Method::POST, &h.url("/_sim/reset"), None, None).await.unwrap();
    assert_eq!(r.status, 204);
    assert!(h.side_otp(&format!("provider=meta&phone_number_id={}", seed::META_PHONE_READY)).await.is_none());
    assert!(h.sim.requests().is_empty());
    assert!(h.sim.now() < Duration::from_secs(60));

    let r = h.send(Method::GET, &h.url("/_sim/otp?provider=nope"), None, None).await.unwrap();
    assert_eq!(r.status, 400);
    let r = h.send(Method::GET, &h.url("/_sim/nothing"), None, None).await.unwrap();
    assert_eq!(r.status, 404);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn fixed_port_fixed_otp_and_shutdown() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let cfg = SimConfig { port, fixed_otp: Some("246810".to_owned()), ..SimConfig::default() };
    let sim = Simulator::start(cfg).await.unwrap();
    assert_eq!(sim.addr().port(), port);
    assert!(sim.addr().ip().is_loopback());
    assert_eq!(sim.base_url(Provider::Digital99), format!("http://127.0.0.1:{port}/99digital"));

    let http = crate::common::http_client(std::time::Duration::from_secs(10));
    let r = http
        .post(format!("{}/v23.0/{}/request_code", sim.base_url(Provider::Meta), seed::META_PHONE_READY))
        .bearer_auth(seed::META_TOKEN)
        .json(&json!({"code_method":"VOICE","language":"en_US"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(sim.otp(Provider::Meta, seed::META_PHONE_READY).as_deref(), Some("246810"));

    let url = sim.url();
    sim.shutdown().await;
    let fresh = crate::common::http_client(std::time::Duration::from_secs(10));
    assert!(fresh.get(format!("{url}/_sim/seed")).send().await.is_err());
}

#[tokio::test]
async fn a_meta_number_can_be_left_verified_as_embedded_signup_leaves_it() {
    let h = H::new().await;
    let set = |id: &str| json!({"phone_number_id": id, "code_verification_status": "VERIFIED"});
    let r = h
        .send(Method::POST, &h.url("/_sim/meta/code_verification_status"), None, Some(&set(seed::META_PHONE_READY)))
        .await
        .unwrap();
    assert_eq!(r.status, 204);
    let number =
        h.meta(Method::GET, &format!("/{}?fields=code_verification_status", seed::META_PHONE_READY), None).await;
    assert_eq!(number.json()["code_verification_status"], "VERIFIED");
    let r = h.send(Method::POST, &h.url("/_sim/meta/code_verification_status"), None, Some(&set("1"))).await.unwrap();
    assert_eq!(r.status, 404);
    h.sim.shutdown().await;
}
