use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use waonboard_sim::{seed, Provider, SimConfig};

use crate::common::H;

fn reason(v: &Value) -> i64 {
    v["reason"].as_i64().unwrap_or_else(|| panic!("no reason: {v}"))
}

fn register_body(whatsapp: &str) -> Value {
    json!({"whatsapp": whatsapp, "method": 1, "language": "1"})
}

#[tokio::test]
async fn happy_path_token_register_verify() {
    let h = H::new().await;
    let r = h
        .d99(
            Method::POST,
            "/api/settings/accessToken",
            None,
            Some(&json!({"client_id": seed::DIGITAL99_CLIENT_ID, "client_secret": seed::DIGITAL99_CLIENT_SECRET})),
        )
        .await;
    let v = r.json();
    assert_eq!((r.status, v["status"].as_str(), reason(&v)), (200, Some("OK"), 1));
    assert_eq!(v["token_type"], "Bearer");
    let exp: u64 = v["expiration_time"].as_str().unwrap().parse().unwrap();
    let unix_now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(exp.abs_diff(unix_now + 3600) < 60, "{exp} vs {unix_now}");
    let token = v["access_token"].as_str().unwrap().to_owned();

    let number = "972521234567";
    let mut body = register_body(number);
    body["comment"] = json!("Branch 12 Haifa");
    let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&body)).await;
    assert_eq!(r.json(), json!({"status":"OK","whatsapp":number,"reason":1}));

    let code = h.side_otp(&format!("provider=digital99&whatsapp={number}")).await.unwrap();
    let r = h
        .d99(Method::POST, "/api/whatsapp/verifyNumber", Some(&token), Some(&json!({"whatsapp": number, "code": code})))
        .await;
    let v = r.json();
    assert_eq!((v["status"].as_str(), v["whatsapp"].as_str(), reason(&v)), (Some("OK"), Some(number), 1));
    let expiration: u64 = v["expiration"].as_str().unwrap().parse().unwrap();
    assert!(expiration.abs_diff(unix_now + 90 * 86_400) < 60);
    assert!(h.sim.otp(Provider::Digital99, number).is_none());

    let r = h.d99(Method::GET, "/api/whatsapp/getRegisteredNumbers", Some(&token), None).await;
    let v = r.json();
    let entry = v["list"].as_array().unwrap().iter().find(|e| e["whatsapp"] == number).unwrap().clone();
    assert_eq!(entry["comment"], "Branch 12 Haifa");
    assert!(entry["onboarding_link"].is_string());

    // Registering it again: already registered (reason 10).
    let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body(number))).await;
    assert_eq!(reason(&r.json()), 10);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn three_code_requests_per_hour() {
    let h = H::new().await;
    let token = h.d99_token().await;
    let number = "972529999999";
    for _ in 0..3 {
        let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body(number))).await;
        assert_eq!(r.json()["status"], "OK");
    }
    let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body(number))).await;
    let v = r.json();
    assert_eq!((r.status, v["status"].as_str(), reason(&v)), (200, Some("FAIL"), 5));
    assert_eq!(h.count_op("digital99.register_number"), 4);

    h.sim.advance(Duration::from_secs(3600));
    let token = h.d99_token().await; // the old one expired meanwhile
    let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body(number))).await;
    assert_eq!(r.json()["status"], "OK");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn token_expires_after_an_hour() {
    let h = H::new().await;
    let token = h.d99_token().await;
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", Some(&token), None).await;
    assert_eq!(r.json()["status"], "OK");
    h.sim.advance(Duration::from_secs(3590));
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", Some(&token), None).await;
    assert_eq!(r.json()["status"], "OK");
    h.sim.advance(Duration::from_secs(11));
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", Some(&token), None).await;
    assert_eq!((r.status, r.json()), (200, json!({"status":"FAIL","reason":3})));
    let r = h.d99(Method::GET, "/api/whatsapp/getAccounts", None, None).await;
    assert_eq!(reason(&r.json()), 3);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn credentials_methods_and_bad_input() {
    let h = H::new().await;
    let r = h
        .d99(
            Method::POST,
            "/api/settings/accessToken",
            None,
            Some(&json!({"client_id": seed::DIGITAL99_CLIENT_ID, "client_secret": "nope"})),
        )
        .await;
    assert_eq!((r.status, r.json()), (200, json!({"status":"FAIL","reason":2})));
    let r = h.d99(Method::GET, "/api/settings/accessToken", None, None).await;
    assert_eq!(reason(&r.json()), 13);

    let token = h.d99_token().await;
    let r = h.d99(Method::POST, "/api/whatsapp/getAccounts", Some(&token), None).await;
    assert_eq!(reason(&r.json()), 13);
    assert_eq!(h.sim.requests().last().unwrap().op.as_deref(), Some("digital99.list_accounts"));

    let cases = [
        (json!({"whatsapp":"+972521234567","method":1,"language":"1"}), 4),
        (json!({"whatsapp":"12","method":1,"language":"1"}), 4),
        (json!({"method":1,"language":"1"}), 4),
        (json!({"whatsapp":"972521234567","method":3,"language":"1"}), 7),
        (json!({"whatsapp":"972521234567","method":1,"language":"en"}), 8),
        (json!({"whatsapp":"972521234567","method":1,"language":"1","comment":"Branch 12, Haifa"}), 9),
        (json!({"whatsapp":"972521234567","method":1,"language":"1","comment":"two  spaces"}), 9),
    ];
    for (body, want) in cases {
        let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&body)).await;
        assert_eq!(reason(&r.json()), want, "{body}");
    }

    // verifyNumber: nothing pending (12), then a wrong code (11).
    let number = "972528888888";
    let verify = |code: &str| json!({"whatsapp": number, "code": code});
    let r = h.d99(Method::POST, "/api/whatsapp/verifyNumber", Some(&token), Some(&verify("123456"))).await;
    assert_eq!(reason(&r.json()), 12);
    h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body(number))).await;
    let code = h.sim.otp(Provider::Digital99, number).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = h.d99(Method::POST, "/api/whatsapp/verifyNumber", Some(&token), Some(&verify(wrong))).await;
    assert_eq!(r.json(), json!({"status":"FAIL","whatsapp":number,"reason":11}));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn too_many_pending_numbers() {
    let cfg = SimConfig { digital99_max_pending: 2, ..SimConfig::default() };
    let h = H::with(cfg).await;
    let token = h.d99_token().await;
    for n in ["972520000001", "972520000002"] {
        let r = h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body(n))).await;
        assert_eq!(r.json()["status"], "OK");
    }
    let r =
        h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body("972520000003"))).await;
    assert_eq!(reason(&r.json()), 6);
    // A number already pending may ask again.
    let r =
        h.d99(Method::POST, "/api/whatsapp/registerNumber", Some(&token), Some(&register_body("972520000001"))).await;
    assert_eq!(r.json()["status"], "OK");
    h.sim.shutdown().await;
}

#[tokio::test]
async fn lists_and_delete_account() {
    let h = H::new().await;
    let token = h.d99_token().await;
    let r = h.d99(Method::GET, "/api/whatsapp/getWhatsApp", Some(&token), None).await;
    let v = r.json();
    assert_eq!(v["totalWhatsApp"], 2);
    let first = &v["list"][0];
    for key in [
        "create_time",
        "whatsapp",
        "apiKey",
        "display_name",
        "business_name",
        "isOnline",
        "onlineAccount",
        "onlineInbox",
        "onlineServer",
        "coexistence",
        "conversationsThisMonth",
        "marketingThisMonth",
        "serviceThisMonth",
        "incomingThisMonth",
    ] {
        assert!(first.get(key).is_some(), "{key} missing: {first}");
    }
    assert_eq!(first["isOnline"], 1);
    // Seed 001: only isOnline and coexistence are 0/1 flags; the account and inbox are
    // numbers and the server a subdomain.
    assert!(first["onlineAccount"].is_u64() && first["onlineInbox"].as_u64() == Some(2), "{first}");
    assert!(first["onlineServer"].is_string(), "{first}");
    let offline = &v["list"][1];
    assert_eq!((offline["isOnline"].as_u64(), offline["onlineInbox"].as_u64()), (Some(0), Some(0)), "{offline}");

    let r = h.d99(Method::GET, "/api/whatsapp/getAccounts", Some(&token), None).await;
    assert_eq!(r.json()["list"].as_array().unwrap().len(), 2);

    let del = |w: &str| json!({"whatsapp": w});
    let r = h
        .d99(Method::DELETE, "/api/whatsapp/deleteAccount", Some(&token), Some(&del(seed::DIGITAL99_ACTIVE_ACCOUNT)))
        .await;
    assert_eq!(reason(&r.json()), 25);
    let r = h.d99(Method::DELETE, "/api/whatsapp/deleteAccount", Some(&token), Some(&del("972520000123"))).await;
    assert_eq!(reason(&r.json()), 26);
    let r = h.d99(Method::DELETE, "/api/whatsapp/deleteAccount", Some(&token), Some(&del("abc"))).await;
    assert_eq!(reason(&r.json()), 4);
    let r = h
        .d99(Method::DELETE, "/api/whatsapp/deleteAccount", Some(&token), Some(&del(seed::DIGITAL99_PENDING_ACCOUNT)))
        .await;
    assert_eq!(r.json(), json!({"status":"OK","whatsapp":seed::DIGITAL99_PENDING_ACCOUNT,"reason":1}));
    let r = h
        .d99(Method::DELETE, "/api/whatsapp/deleteAccount", Some(&token), Some(&del(seed::DIGITAL99_REGISTERED_NUMBER)))
        .await;
    assert_eq!(reason(&r.json()), 1);
    let r = h.d99(Method::GET, "/api/whatsapp/getRegisteredNumbers", Some(&token), None).await;
    assert_eq!(r.json()["list"], json!([]));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn login_lockout_after_repeated_failures() {
    let h = H::new().await;
    let wrong = json!({"client_id": seed::DIGITAL99_CLIENT_ID, "client_secret": "x"});
    for _ in 0..5 {
        let r = h.d99(Method::POST, "/api/settings/accessToken", None, Some(&wrong)).await;
        assert_eq!(reason(&r.json()), 2);
    }
    let right = json!({"client_id": seed::DIGITAL99_CLIENT_ID, "client_secret": seed::DIGITAL99_CLIENT_SECRET});
    let r = h.d99(Method::POST, "/api/settings/accessToken", None, Some(&right)).await;
    assert_eq!(reason(&r.json()), 3);
    h.sim.advance(Duration::from_secs(3600));
    let r = h.d99(Method::POST, "/api/settings/accessToken", None, Some(&right)).await;
    assert_eq!(reason(&r.json()), 1);
    h.sim.shutdown().await;
}
