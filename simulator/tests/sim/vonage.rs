use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use waonboard_sim::{seed, Provider, SimConfig};

use crate::common::{Resp, H};

fn create_body(number: &str) -> Value {
    json!({
        "country_code": "44",
        "number": number,
        "vname_certificate": "AbCdEFGHiJK123456",
        "method": "sms",
        "waba_id": "123456789123",
    })
}

fn problem_code(r: &Resp) -> String {
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text);
    let v = r.json();
    for key in ["type", "title", "detail", "instance"] {
        assert!(v[key].is_string(), "{key} missing in {v}");
    }
    v["type"].as_str().unwrap().rsplit('#').next().unwrap().to_owned()
}

async fn state(h: &H, id: &str) -> String {
    let r = h.vonage(Method::GET, &format!("/deployments/{id}"), None).await;
    r.json()["current_state"]["title"].as_str().unwrap().to_owned()
}

async fn create(h: &H, number: &str) -> String {
    let r = h.vonage(Method::POST, "/deployments", Some(&create_body(number))).await;
    assert_eq!(r.status, 202, "{}", r.text);
    r.json()["deployment_id"].as_str().unwrap().to_owned()
}

/// A long step, so real time passing on a loaded machine never moves a state early.
const STEP: Duration = Duration::from_secs(60);

fn steps(n: u32) -> Duration {
    STEP * n
}

async fn harness() -> H {
    H::with(SimConfig { vonage_step: STEP, ..SimConfig::default() }).await
}

#[tokio::test]
async fn happy_path_create_verify_ready() {
    let h = harness().await;
    let r = h.vonage(Method::POST, "/deployments", Some(&create_body("7700900100"))).await;
    assert_eq!(r.status, 202);
    let d = r.json();
    assert_eq!(d["current_state"]["title"], "INITIALIZING");
    assert_eq!((d["country_code"].as_str(), d["number"].as_str()), (Some("44"), Some("7700900100")));
    let id = d["deployment_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert!(h.sim.otp(Provider::Vonage, &id).is_none());

    h.sim.advance(steps(1));
    assert_eq!(state(&h, &id).await, "CREATING_CLUSTER");
    h.sim.advance(steps(2));
    assert_eq!(state(&h, &id).await, "CODE_SENT");
    // It waits there for the code.
    h.sim.advance(Duration::from_secs(600));
    assert_eq!(state(&h, &id).await, "CODE_SENT");

    let code = h.side_otp(&format!("provider=vonage&deployment_id={id}")).await.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = h.vonage(Method::POST, &format!("/deployments/{id}/verify"), Some(&json!({"code": wrong}))).await;
    assert_eq!((r.status, problem_code(&r)), (422, "verification-failed".to_owned()));
    assert_eq!(r.json()["invalid_parameters"][0]["name"], "code");
    assert_eq!(state(&h, &id).await, "WRONG_CODE");

    let r = h.vonage(Method::POST, &format!("/deployments/{id}/verify"), Some(&json!({"code": code}))).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json(), json!({"deployment_id": id, "status": "Deployment was Created"}));
    assert_eq!(state(&h, &id).await, "CODE_VERIFIED");
    h.sim.advance(steps(1));
    assert_eq!(state(&h, &id).await, "FINALIZING");
    h.sim.advance(steps(1));
    assert_eq!(state(&h, &id).await, "READY");

    let r = h.vonage(Method::GET, "/deployments", None).await;
    let list = r.json();
    assert!(list.as_array().unwrap().iter().any(|d| d["deployment_id"] == id.as_str()));
    assert_eq!(h.count_op("vonage.create_deployment"), 1);
    assert_eq!(h.count_op("vonage.verify_otp"), 2);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn errors_are_problems() {
    let h = harness().await;
    let id = create(&h, "7700900200").await;

    let r = h.vonage(Method::POST, "/deployments", Some(&create_body("7700900200"))).await;
    assert_eq!((r.status, problem_code(&r)), (409, "number-in-use".to_owned()));
    assert!(r.json()["detail"].as_str().unwrap().contains(&id));
    assert!(r.json()["type"]
        .as_str()
        .unwrap()
        .starts_with("https://developer.nexmo.com/api-errors/whatsapp-provisioning#"));

    let mut body = create_body("7700900201");
    body.as_object_mut().unwrap().remove("waba_id");
    let r = h.vonage(Method::POST, "/deployments", Some(&body)).await;
    assert_eq!((r.status, problem_code(&r)), (422, "unprocessable".to_owned()));
    assert_eq!(r.json()["invalid_parameters"][0]["name"], "waba_id");

    let url = format!("{}/deployments", h.sim.base_url(Provider::Vonage));
    let r = h
        .http
        .post(&url)
        .header("authorization", format!("Bearer {}", seed::VONAGE_TOKEN))
        .header("content-type", "application/json")
        .body("{\"country_code\": \"44\" \"number\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = Resp { status: 400, headers: r.headers().clone(), text: r.text().await.unwrap() };
    assert_eq!(problem_code(&r), "invalid-json");

    let r = h.vonage(Method::GET, "/deployments/does-not-exist", None).await;
    assert_eq!((r.status, problem_code(&r)), (404, "not-found".to_owned()));
    assert_eq!(r.json()["type"], "https://developer.nexmo.com/api-errors#not-found");

    let r = h.send(Method::GET, &url, Some("nope"), None).await.unwrap();
    assert_eq!((r.status, problem_code(&r)), (401, "unauthorized".to_owned()));

    // Verify before the code was sent: the state conflicts.
    let r = h.vonage(Method::POST, &format!("/deployments/{id}/verify"), Some(&json!({"code":"123456"}))).await;
    assert_eq!((r.status, problem_code(&r)), (409, "conflict-deployment-state".to_owned()));

    // The real base path is accepted after the prefix too.
    let r = h.vonage(Method::GET, &format!("/v0.1/whatsapp-manager/deployments/{id}"), None).await;
    assert_eq!(r.status, 200);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn resend_otp_throttle_and_conflict() {
    let h = harness().await;
    let id = create(&h, "7700900300").await;
    let path = format!("/deployments/{id}/resend-otp");

    let r = h.vonage(Method::POST, &path, Some(&json!({"method":"voice"}))).await;
    assert_eq!((r.status, problem_code(&r)), (409, "conflict-resend-otp".to_owned()));

    h.sim.advance(steps(3));
    let first = h.sim.otp(Provider::Vonage, &id).unwrap();
    let r = h.vonage(Method::POST, &path, Some(&json!({"method":"voice"}))).await;
    assert_eq!(r.status, 202);
    assert_eq!(r.json(), json!({"message":"Code sent","vname":"Sim Business","method":"voice"}));
    let second = h.sim.otp(Provider::Vonage, &id).unwrap();
    assert_eq!(second.len(), 6);
    let _ = first;

    h.sim.advance(Duration::from_secs(20));
    let r = h.vonage(Method::POST, &path, Some(&json!({"method":"sms"}))).await;
    assert_eq!((r.status, problem_code(&r)), (429, "throttled".to_owned()));
    assert_eq!(r.header("retry-after"), Some("40"));

    h.sim.advance(Duration::from_secs(40));
    let r = h.vonage(Method::POST, &path, Some(&json!({"method":"sms"}))).await;
    assert_eq!(r.status, 202);

    let code = h.sim.otp(Provider::Vonage, &id).unwrap();
    let r = h.vonage(Method::POST, &format!("/deployments/{id}/verify"), Some(&json!({"code": code}))).await;
    assert_eq!(r.status, 201);
    let r = h.vonage(Method::POST, &path, Some(&json!({"method":"sms"}))).await;
    assert_eq!((r.status, problem_code(&r)), (409, "conflict-resend-otp".to_owned()));
    assert_eq!(r.json()["title"], "Deployment Completed, Resend Failed");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn delete_and_reuse_number() {
    let h = harness().await;
    let id = create(&h, "7700900400").await;
    let r = h.vonage(Method::DELETE, &format!("/deployments/{id}"), None).await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
    assert_eq!(state(&h, &id).await, "DELETING");
    let r = h.vonage(Method::DELETE, &format!("/deployments/{id}"), None).await;
    assert_eq!((r.status, problem_code(&r)), (409, "conflict-deployment-state".to_owned()));
    h.sim.advance(steps(1));
    assert_eq!(state(&h, &id).await, "DELETED");
    // The number is free again.
    let again = create(&h, "7700900400").await;
    assert_ne!(again, id);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn invalid_certificate_ends_in_error() {
    let h = harness().await;
    let mut body = create_body("7700900500");
    body["vname_certificate"] = json!("INVALIDCERT");
    let r = h.vonage(Method::POST, "/deployments", Some(&body)).await;
    let id = r.json()["deployment_id"].as_str().unwrap().to_owned();
    h.sim.advance(steps(5));
    let r = h.vonage(Method::GET, &format!("/deployments/{id}"), None).await;
    assert_eq!(r.json()["current_state"]["title"], "ERROR");
    assert!(h.sim.otp(Provider::Vonage, &id).is_none());
    h.sim.shutdown().await;
}

#[tokio::test]
async fn profile_and_photo() {
    let h = harness().await;
    let base = format!("/deployments/{}", seed::VONAGE_READY_DEPLOYMENT);

    let r = h.vonage(Method::GET, &format!("{base}/profile"), None).await;
    assert_eq!(r.json()["vertical"], "Food and Grocery");

    let bad = [
        json!({"about": "x".repeat(140)}),
        json!({"email": "not-an-email"}),
        json!({"vertical": "Groceries"}),
        json!({"websites": ["https://a.example", "https://b.example", "https://c.example"]}),
        json!({"websites": ["ftp://a.example"]}),
        json!({"description": ""}),
        json!({}),
    ];
    for body in bad {
        let r = h.vonage(Method::PATCH, &format!("{base}/profile"), Some(&body)).await;
        assert_eq!((r.status, problem_code(&r)), (422, "unprocessable-profile-update".to_owned()), "{body}");
    }
    let r = h.vonage(Method::PATCH, &format!("{base}/profile"), Some(&json!({"about": "é".repeat(139)}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = h
        .vonage(
            Method::PATCH,
            &format!("{base}/profile"),
            Some(&json!({"email":"a@b.co","vertical":"Other","websites":["https://x.example"]})),
        )
        .await;
    let v = r.json();
    assert_eq!((v["email"].as_str(), v["vertical"].as_str()), (Some("a@b.co"), Some("Other")));
    assert_eq!(v["about"], "é".repeat(139));

    let r = h
        .vonage(Method::POST, &format!("{base}/profile/photo"), Some(&json!({"image_url":"https://x.example/a.gif"})))
        .await;
    assert_eq!((r.status, problem_code(&r)), (422, "unprocessable".to_owned()));
    let r = h
        .vonage(
            Method::POST,
            &format!("{base}/profile/photo"),
            Some(&json!({"image_url":"https://x.example/a.jpg?v=2"})),
        )
        .await;
    assert_eq!(r.json(), json!({"image_url":"https://x.example/a.jpg?v=2"}));
    let r = h.vonage(Method::GET, &format!("{base}/profile/photo"), None).await;
    assert_eq!(r.json(), json!({"image_url":"https://x.example/a.jpg?v=2"}));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn stickerpacks_and_stickers() {
    let h = harness().await;
    let base = format!("/deployments/{}/stickerpacks", seed::VONAGE_READY_DEPLOYMENT);

    let r = h.vonage(Method::GET, &format!("{base}?namespace=whatsapp"), None).await;
    let v = r.json();
    assert_eq!(v["stickerpacks"].as_array().unwrap().len(), 1);
    assert_eq!(v["meta"], json!({}));
    let r = h.vonage(Method::GET, &base, None).await;
    assert_eq!(r.json(), json!({"stickerpacks": [], "meta": {}}));

    let r = h
        .vonage(
            Method::POST,
            &base,
            Some(&json!({"publisher":"Me","name":"Pack","ios_app_store_link":"https://itunes.apple.com/app/id123"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let pack = r.json()["stickerpacks"][0]["id"].as_str().unwrap().to_owned();
    let r = h
        .vonage(
            Method::POST,
            &base,
            Some(&json!({"publisher":"Me","name":"Pack","android_app_store_link":"https://example.com"})),
        )
        .await;
    assert_eq!((r.status, problem_code(&r)), (422, "unprocessable".to_owned()));

    let r = h.vonage(Method::PATCH, &format!("{base}/{pack}"), Some(&json!({"name":"Renamed"}))).await;
    assert_eq!(r.json()["stickerpacks"][0]["name"], "Renamed");
    let r = h.vonage(Method::GET, &base, None).await;
    assert_eq!(r.json()["stickerpacks"][0]["id"], pack.as_str());

    let stickers = format!("{base}/{pack}/stickers");
    let r = h.vonage(Method::POST, &stickers, Some(&json!({"image_data_id":"img-1","emojis":["😀"]}))).await;
    assert_eq!(r.json(), json!({"stickers":[{"index":0}],"meta":{}}));
    let r = h.vonage(Method::POST, &stickers, Some(&json!({"emojis":["😀"]}))).await;
    assert_eq!(r.status, 422);
    let r = h.vonage(Method::GET, &stickers, None).await;
    assert_eq!(r.json(), json!({"stickers":[{"index":0}],"meta":{}}));
    let r = h.vonage(Method::GET, &format!("{stickers}/0"), None).await;
    assert_eq!(r.json(), json!({"stickers":[{"id":"img-1","emojis":["😀"]}],"meta":{}}));
    assert_eq!(h.vonage(Method::DELETE, &format!("{stickers}/0"), None).await.status, 204);
    let r = h.vonage(Method::GET, &format!("{stickers}/0"), None).await;
    assert_eq!((r.status, problem_code(&r)), (404, "not-found".to_owned()));

    assert_eq!(h.vonage(Method::DELETE, &format!("{base}/{pack}"), None).await.status, 204);
    let r = h.vonage(Method::DELETE, &format!("{base}/{pack}"), None).await;
    assert_eq!(r.status, 404);
    let r = h.vonage(Method::DELETE, &format!("{base}/whatsapp-cuppy"), None).await;
    assert_eq!((r.status, problem_code(&r)), (403, "forbidden".to_owned()));
    for op in [
        "vonage.list_stickerpacks",
        "vonage.create_stickerpack",
        "vonage.update_stickerpack",
        "vonage.delete_stickerpack",
        "vonage.list_stickers",
        "vonage.get_sticker",
        "vonage.create_sticker",
        "vonage.delete_sticker",
    ] {
        assert!(h.count_op(op) >= 1, "{op}");
    }
    h.sim.shutdown().await;
}

#[tokio::test]
async fn default_schedule_is_three_steps_of_150_ms_to_code_sent() {
    let h = H::new().await;
    let id = create(&h, "7700900600").await;
    h.sim.advance(Duration::from_millis(450));
    assert_eq!(state(&h, &id).await, "CODE_SENT");
    assert!(h.sim.otp(Provider::Vonage, &id).is_some());
    h.sim.shutdown().await;
}
