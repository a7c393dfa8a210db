use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use waonboard_sim::{seed, Provider, SimConfig};

use crate::common::H;

fn err_code(v: &Value) -> i64 {
    v["error"]["code"].as_i64().unwrap_or_else(|| panic!("no Graph error: {v}"))
}

#[tokio::test]
async fn happy_path_request_verify_register() {
    let h = H::new().await;
    let id = seed::META_PHONE_READY;

    let r = h
        .meta(Method::POST, &format!("/{id}/request_code"), Some(&json!({"code_method":"SMS","language":"en_US"})))
        .await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    assert!(r.header("content-type").unwrap().starts_with("application/json"));

    let code = h.side_otp(&format!("provider=meta&phone_number_id={id}")).await.unwrap();
    assert_eq!(code.len(), 6);
    assert_eq!(h.sim.otp(Provider::Meta, id).as_deref(), Some(code.as_str()));

    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": code}))).await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    // The code is used up.
    assert_eq!(h.side_otp(&format!("provider=meta&phone_number_id={id}")).await, None);

    let r = h
        .meta(
            Method::POST,
            &format!("/{id}/register"),
            Some(&json!({"messaging_product":"whatsapp","pin":"123456","data_localization_region":"DE"})),
        )
        .await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true})));

    let r = h
        .meta(Method::GET, &format!("/{id}?fields=code_verification_status%2Cplatform_type%2Cis_pin_enabled"), None)
        .await;
    assert_eq!(
        r.json(),
        json!({"id": id, "code_verification_status": "VERIFIED", "platform_type": "CLOUD_API", "is_pin_enabled": true})
    );

    for op in ["meta.request_code", "meta.verify_code", "meta.register", "meta.get_phone_number"] {
        assert_eq!(h.count_op(op), 1, "{op}");
    }
    // The side channel is never logged.
    assert!(h.sim.requests().iter().all(|r| !r.path.starts_with("/_sim")));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn verification_and_register_preconditions() {
    let h = H::new().await;
    let id = seed::META_PHONE_PENDING;

    // Verify without a code, register before verifying.
    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code":"123456"}))).await;
    assert_eq!((r.status, err_code(&r.json())), (400, 136025));
    let v = r.json();
    assert_eq!(v["error"]["error_data"]["messaging_product"], "whatsapp");
    assert!(v["error"]["fbtrace_id"].is_string());
    let reg = json!({"messaging_product":"whatsapp","pin":"123456"});
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    assert_eq!(err_code(&r.json()), 133006);

    // Wrong code, then the right one.
    h.meta(Method::POST, &format!("/{id}/request_code"), Some(&json!({"code_method":"VOICE","language":"he"}))).await;
    let code = h.sim.otp(Provider::Meta, id).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": wrong}))).await;
    assert_eq!(err_code(&r.json()), 136025);
    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": code}))).await;
    assert_eq!(r.status, 200);

    // Display name still in review: code 100, subcode 2388001.
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    let v = r.json();
    assert_eq!((r.status, err_code(&v), v["error"]["error_subcode"].as_i64()), (400, 100, Some(2_388_001)));

    // The review ends (side channel), register succeeds.
    let r = h
        .send(
            Method::POST,
            &h.url("/_sim/meta/name_status"),
            None,
            Some(&json!({"phone_number_id": id, "name_status": "APPROVED"})),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 204);
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn register_limit_133016_and_pin_rules() {
    let h = H::new().await;
    let id = seed::META_PHONE_REGISTERED;
    let reg = json!({"messaging_product":"whatsapp","pin": seed::META_REGISTERED_PIN});

    let r = h
        .meta(Method::POST, &format!("/{id}/register"), Some(&json!({"messaging_product":"whatsapp","pin":"999999"})))
        .await;
    assert_eq!((r.status, err_code(&r.json())), (400, 133005));

    for i in 0..10 {
        let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
        assert_eq!(r.status, 200, "register #{}: {}", i + 1, r.text);
        h.sim.advance(Duration::from_secs(3600));
    }
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    let v = r.json();
    assert_eq!((r.status, err_code(&v)), (400, 133016), "{v}");
    assert_eq!(h.count_op("meta.register"), 12);

    // Seed 002's window is a week: 72 h on, the number is still blocked …
    h.sim.advance(Duration::from_secs(63 * 3600));
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    assert_eq!(err_code(&r.json()), 133016, "{}", r.text);
    // … and a week after the first success, one slot frees up.
    h.sim.advance(Duration::from_secs((7 * 24 - 72) * 3600));
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Deregister, then deregister again: 133010.
    let r = h.meta(Method::POST, &format!("/{id}/deregister"), None).await;
    assert_eq!(r.status, 200);
    let r = h.meta(Method::POST, &format!("/{id}/deregister"), None).await;
    assert_eq!(err_code(&r.json()), 133010);

    // set_two_step_pin changes the PIN register checks (after the window frees up again).
    h.sim.advance(Duration::from_secs(7 * 24 * 3600));
    let r = h.meta(Method::POST, &format!("/{id}"), Some(&json!({"pin":"000111"}))).await;
    assert_eq!(r.status, 200);
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    assert_eq!(err_code(&r.json()), 133005);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn deregister_has_its_own_limit() {
    let cfg = SimConfig { meta_register_limit: 2, ..SimConfig::default() };
    let h = H::with(cfg).await;
    let id = seed::META_PHONE_REGISTERED;
    let reg = json!({"messaging_product":"whatsapp","pin": seed::META_REGISTERED_PIN});
    for _ in 0..2 {
        assert_eq!(h.meta(Method::POST, &format!("/{id}/deregister"), None).await.status, 200);
        assert_eq!(h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await.status, 200);
    }
    let r = h.meta(Method::POST, &format!("/{id}/deregister"), None).await;
    assert_eq!(err_code(&r.json()), 133016);
    let r = h.meta(Method::POST, &format!("/{id}/register"), Some(&reg)).await;
    assert_eq!(err_code(&r.json()), 133016);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn auth_and_validation_errors() {
    let h = H::new().await;
    let id = seed::META_PHONE_READY;
    let url = format!("{}/v23.0/{id}", h.sim.base_url(Provider::Meta));

    for token in [None, Some("wrong")] {
        let r = h.send(Method::GET, &url, token, None).await.unwrap();
        let v = r.json();
        assert_eq!((r.status, err_code(&v)), (401, 190));
        assert_eq!(v["error"]["type"], "OAuthException");
    }
    // Any v<digits>.<digits> version works; others are unknown paths (code 2500).
    let r = h.call(Provider::Meta, Method::GET, &format!("/v19.0/{id}"), None).await;
    assert_eq!(r.status, 200);
    let r = h.call(Provider::Meta, Method::GET, &format!("/latest/{id}"), None).await;
    assert_eq!(err_code(&r.json()), 2500);

    let cases = [
        (format!("/{id}/register"), json!({"messaging_product":"whatsapp","pin":"12345"})),
        (format!("/{id}/register"), json!({"pin":"123456"})),
        (
            format!("/{id}/register"),
            json!({"messaging_product":"whatsapp","pin":"123456","data_localization_region":"FR"}),
        ),
        (format!("/{id}/request_code"), json!({"code_method":"sms","language":"en_US"})),
        (format!("/{id}/request_code"), json!({"code_method":"SMS"})),
        (format!("/{id}/verify_code"), json!({"code":"123-456"})),
        (format!("/{id}"), json!({"pin":"abcdef"})),
    ];
    for (path, body) in cases {
        let r = h.meta(Method::POST, &path, Some(&body)).await;
        let v = r.json();
        assert_eq!((r.status, err_code(&v)), (400, 100), "{path} {body}: {v}");
        assert!(v["error"]["message"].as_str().unwrap().starts_with("(#100)"), "{v}");
    }

    let r = h.meta(Method::GET, &format!("/{id}?fields=id,bogus"), None).await;
    assert_eq!(err_code(&r.json()), 100);
    let r = h.meta(Method::POST, "/123/request_code", Some(&json!({"code_method":"SMS","language":"en_US"}))).await;
    let v = r.json();
    assert_eq!((err_code(&v), v["error"]["error_subcode"].as_i64()), (100, Some(33)));
    h.sim.shutdown().await;
}

#[tokio::test]
async fn list_filter_sort_and_paging() {
    let h = H::new().await;
    let waba = seed::META_WABA_ID;

    let r = h.meta(Method::GET, &format!("/{waba}/phone_numbers?fields=id%2Caccount_mode&limit=2"), None).await;
    let v = r.json();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    // Ids stay strings, even above 2^53.
    assert!(r.text.contains("\"9007199254740993\""));
    let next = v["paging"]["next"].as_str().unwrap().to_owned();
    assert!(next.starts_with(&h.sim.base_url(Provider::Meta)), "{next}");
    assert!(v["paging"].get("previous").is_none());

    let r = h.send(Method::GET, &next, Some(seed::META_TOKEN), None).await.unwrap();
    let v2 = r.json();
    let ids: Vec<&str> = v2["data"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [seed::META_PHONE_PENDING, seed::META_PHONE_REGISTERED]);
    assert!(v2["paging"].get("next").is_none());
    // before= goes back to the first page.
    let prev = v2["paging"]["previous"].as_str().unwrap();
    let r = h.send(Method::GET, prev, Some(seed::META_TOKEN), None).await.unwrap();
    assert_eq!(r.json()["data"], v["data"]);

    let filter = r#"[{"field":"account_mode","operator":"EQUAL","value":"SANDBOX"}]"#;
    let r = h.meta(Method::GET, &format!("/{waba}/phone_numbers?filtering={}", urlencode(filter)), None).await;
    let v = r.json();
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(v["data"][0]["id"], seed::META_PHONE_BIG);

    let r = h.meta(Method::GET, &format!("/{waba}/phone_numbers?fields=id&sort=last_onboarded_time.desc"), None).await;
    let v = r.json();
    assert_eq!(v["data"][0]["id"], seed::META_PHONE_REGISTERED);

    let r = h.meta(Method::GET, &format!("/{waba}/phone_numbers?filtering=notjson"), None).await;
    assert_eq!(err_code(&r.json()), 100);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn add_phone_number() {
    let h = H::new().await;
    let waba = seed::META_WABA_ID;
    // Meta's spec: phone_number in E.164 without +, cc beside it; the national part alone
    // breaks its pattern.
    let national = json!({"cc":"39","phone_number":"0669821234","verified_name":"Pizzeria Roma"});
    let r = h.meta(Method::POST, &format!("/{waba}/phone_numbers"), Some(&national)).await;
    assert_eq!(err_code(&r.json()), 100, "{}", r.text);
    let body = json!({"cc":"44","phone_number":"447700900555","verified_name":"New Shop","migrate_phone_number":false});
    let r = h.meta(Method::POST, &format!("/{waba}/phone_numbers"), Some(&body)).await;
    assert_eq!(r.status, 200);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert!(id.chars().all(|c| c.is_ascii_digit()));
    let r = h.meta(Method::GET, &format!("/{id}?fields=display_phone_number,verified_name,name_status"), None).await;
    assert_eq!(r.json()["verified_name"], "New Shop");
    assert_eq!(r.json()["display_phone_number"], "+44 7700900555");
    // The same number twice: code 100.
    let r = h.meta(Method::POST, &format!("/{waba}/phone_numbers"), Some(&body)).await;
    assert_eq!(err_code(&r.json()), 100);
    // Then it onboards like any other.
    h.meta(Method::POST, &format!("/{id}/request_code"), Some(&json!({"code_method":"SMS","language":"en_US"}))).await;
    let code = h.sim.otp(Provider::Meta, &id).unwrap();
    assert_eq!(h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": code}))).await.status, 200);
    let r = h
        .meta(Method::POST, &format!("/{id}/register"), Some(&json!({"messaging_product":"whatsapp","pin":"123456"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    h.sim.shutdown().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
