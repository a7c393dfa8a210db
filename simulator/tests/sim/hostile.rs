use reqwest::Method;
use serde_json::json;
use waonboard_sim::{seed, Fault, FaultRule, Provider};

use crate::common::H;

#[tokio::test]
async fn a_redirect_points_at_the_trap_which_records_who_followed_it() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::Redirect { status: 307 }).op("meta.register"));
    let path = format!("/{}/register", seed::META_PHONE_READY);
    // This test client follows redirects, as a careless one would.
    let r = h.meta(Method::POST, &path, Some(&json!({"messaging_product": "whatsapp", "pin": "123456"}))).await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true, "status": "OK"})), "the trap's answer");
    let hits = h.sim.trap_hits();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0].method.as_str(), hits[0].path.as_str()), ("POST", format!("/meta/v23.0{path}").as_str()));
    // A 307 re-sends the body, PIN included (reqwest drops the authorization header for
    // another host; not every client does).
    assert!(hits[0].body_bytes > 0, "{hits:?}");
    assert_eq!(h.sim.requests()[0].status, Some(307));
    let side: serde_json::Value = h.http.get(h.url("/_sim/trap")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (side["url"].as_str(), side["hits"].as_array().map(Vec::len)),
        (Some(h.sim.trap_url().as_str()), Some(1))
    );
    h.sim.reset();
    assert!(h.sim.trap_hits().is_empty(), "reset clears the trap");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn an_echo_quotes_the_whole_request_in_each_providers_error_shape() {
    let h = H::new().await;
    h.sim.inject(FaultRule::new(Fault::EchoRequest { pad: 10 }).always());
    let r =
        h.meta(Method::POST, &format!("/{}/register", seed::META_PHONE_READY), Some(&json!({"pin": "123456"}))).await;
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert_eq!((r.status, r.json()["error"]["code"].as_i64()), (400, Some(100)));
    assert!(
        message.contains(seed::META_TOKEN) && message.contains("123456") && message.contains('\u{1b}'),
        "{message}"
    );
    let r = h.vonage(Method::GET, "/deployments", None).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["detail"].as_str().unwrap().contains(seed::VONAGE_TOKEN));
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", Some("d99-token"), None).await;
    assert_eq!((r.json()["status"].as_str(), r.json()["reason"].as_i64()), (Some("FAIL"), Some(4)));
    assert!(r.json()["message"].as_str().unwrap().contains("d99-token"));
    assert!(h.sim.otp(Provider::Meta, seed::META_PHONE_READY).is_none(), "nothing was processed");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn endless_pages_repeat_or_renew_their_cursor() {
    let h = H::new().await;
    let list = format!("/{}/phone_numbers", seed::META_WABA_ID);
    h.sim.inject(FaultRule::new(Fault::EndlessPages { repeat: true }).times(2));
    let first = h.meta(Method::GET, &list, None).await.json();
    let second = h.meta(Method::GET, &format!("{list}?after=page-1"), None).await.json();
    assert_eq!(first["paging"]["cursors"]["after"], second["paging"]["cursors"]["after"]);
    assert!(second["paging"]["next"].as_str().unwrap().ends_with("after=page-1"));
    h.sim.inject(FaultRule::new(Fault::EndlessPages { repeat: false }).times(2));
    let first = h.meta(Method::GET, &list, None).await.json();
    let second = h.meta(Method::GET, &format!("{list}?after=page-1"), None).await.json();
    assert_eq!(
        (first["paging"]["cursors"]["after"].as_str(), second["paging"]["cursors"]["after"].as_str()),
        (Some("page-1"), Some("page-2"))
    );
    h.sim.inject(FaultRule::new(Fault::MetaSuccessFalse));
    let r = h.meta(Method::POST, &format!("/{}/deregister", seed::META_PHONE_READY), None).await;
    assert_eq!((r.status, r.json()), (200, json!({"success": false})));
    h.sim.shutdown().await;
}
