//! The exports and the fetch transport, run by wasm-bindgen-test in Node and in headless
//! Chromium (`WASM_BINDGEN_USE_BROWSER=1`). Tests that talk to the simulator need its URL
//! at build time in `WAONBOARD_SIM_URL` (tools/test-js starts it and sets it).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use gloo_net::http::{Method, RequestBuilder};
use js_sys::{Date, Promise};
use serde_json::{json, Value};
use waonboard::client::Transport;
use waonboard_wasm::{onboarding_load, onboarding_start, parse, prepare, FetchTransport, Hooks, WasmClient};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn sim_url() -> &'static str {
    match option_env!("WAONBOARD_SIM_URL") {
        Some(url) => url,
        None => panic!("build with WAONBOARD_SIM_URL set to the simulator's URL (tools/test-js does)"),
    }
}

/// A call of the simulator's side channel.
async fn side(method: Method, path: &str, body: Option<Value>) -> Value {
    let builder = RequestBuilder::new(&format!("{}/_sim{path}", sim_url())).method(method);
    let response = match body {
        Some(body) => builder.header("content-type", "application/json").body(body.to_string()).unwrap(),
        None => builder.build().unwrap(),
    }
    .send()
    .await
    .unwrap();
    assert!(response.ok(), "{path}: HTTP {}", response.status());
    if response.status() == 204 {
        Value::Null
    } else {
        serde_json::from_str(&response.text().await.unwrap()).unwrap()
    }
}

async fn seed() -> Value {
    side(Method::GET, "/seed", None).await
}

/// How many requests of `op` the simulator logged, and with which statuses.
async fn statuses(op: &str) -> Vec<Value> {
    let log = side(Method::GET, "/requests", None).await;
    log.as_array().unwrap().iter().filter(|r| r["op"] == op).map(|r| r["status"].clone()).collect()
}

/// Awaits a promise of the exports: Ok(JSON) or Err(the error's JSON).
async fn settle(promise: Promise) -> Result<Value, Value> {
    match JsFuture::from(promise).await {
        Ok(text) => Ok(serde_json::from_str(&text.as_string().unwrap()).unwrap()),
        Err(text) => Err(serde_json::from_str(&text.as_string().unwrap()).unwrap()),
    }
}

fn client(seed: &Value, provider: &str, extra: Value) -> WasmClient {
    let mut options = json!({
        "provider": provider,
        "config": {"access_token": seed[provider]["access_token"], "base_url": seed[provider]["base_url"]},
        "retry": {"base_delay_ms": 10, "max_delay_ms": 50},
    });
    for (k, v) in extra.as_object().unwrap() {
        options[k] = v.clone();
    }
    WasmClient::new(&options.to_string(), None, None, None).unwrap()
}

#[wasm_bindgen_test]
fn prepare_and_parse_speak_text() {
    let request = prepare(
        "vonage.create_deployment",
        r#"{"phone_number":"+44 7700 900000","vname_certificate":"AbCd","method":"SMS","waba_id":"123456789123"}"#,
        r#"{"access_token":"vonage-jwt"}"#,
    )
    .unwrap();
    // Lines: method, URL, body, then header names and values.
    let lines: Vec<&str> = request.split('\n').collect();
    assert_eq!(lines[..2], ["POST", "https://api.nexmo.com/v0.1/whatsapp-manager/deployments"]);
    assert_eq!(
        lines[2],
        r#"{"country_code":"44","number":"7700900000","vname_certificate":"AbCd","method":"sms","waba_id":"123456789123"}"#
    );
    assert!(lines[3..].chunks(2).any(|pair| pair == ["authorization", "Bearer vonage-jwt"]), "{lines:?}");
    let deregister = prepare("meta.deregister", r#"{"phone_number_id":"1"}"#, r#"{"access_token":"t"}"#).unwrap();
    assert_eq!(deregister.split('\n').nth(2), Some(""), "no body: an empty line");

    let err = prepare("meta.set_two_step_pin", r#"{"phone_number_id":"1","pin":"98765"}"#, r#"{"access_token":"t"}"#)
        .unwrap_err();
    let err: Value = serde_json::from_str(&err).unwrap();
    assert_eq!((err["kind"].as_str(), err["field"].as_str()), (Some("validation"), Some("pin")));
    assert_eq!(err["retryable"], false);
    assert!(!err.to_string().contains("98765"), "no PIN in the error: {err}");

    let headers = "Retry-After\n12";
    let err = parse("vonage.get_deployment", 503, headers, b"<html>down</html>").unwrap_err();
    let err: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(err["kind"], "provider");
    assert_eq!((err["http_status"].as_u64(), err["retry_after_ms"].as_u64()), (Some(503), Some(12_000)));
    assert_eq!(err["retryable"], true, "a 5xx on a read");
    let ok = parse("digital99.register_number", 200, "", br#"{"status":"OK","whatsapp":97250123456789012}"#);
    let ok: Value = serde_json::from_str(&ok.unwrap()).unwrap();
    assert_eq!(ok["whatsapp"], "97250123456789012", "a number above 2^53 becomes its exact text");
    assert!(parse("meta.add_phone_number", 70_000, "", b"{}").unwrap_err().contains(r#""field":"status""#));
    assert!(parse("meta.add_phone_number", 200, "a-name-without-value", b"{}")
        .unwrap_err()
        .contains(r#""field":"headers""#));
}

#[wasm_bindgen_test]
async fn the_transport_reads_the_js_clock_and_sleeps_on_a_js_timer() {
    let transport = FetchTransport { timeout_ms: 1_000, hooks: Hooks::default() };
    let before = Date::now();
    let now = transport.now_ms() as f64;
    assert!((now - before).abs() < 1_000.0, "{now} vs {before}");
    assert!(now > 1.6e12, "milliseconds since 1970");
    transport.sleep(60).await;
    assert!(Date::now() - before >= 55.0, "slept on the timer");
    let draws: Vec<u64> = (0..8).map(|_| transport.random()).collect();
    assert!(draws.windows(2).any(|w| w[0] != w[1]), "random varies: {draws:?}");
}

#[wasm_bindgen_test]
async fn a_client_fetches_from_the_simulator_keeping_big_ids_exact() {
    let seed = seed().await;
    let meta = client(&seed, "meta", json!({}));
    let big = seed["meta"]["phone_number_ids"]["big"].as_str().unwrap();
    assert_eq!(big, "9007199254740993");
    let number = settle(meta.call(
        "meta.get_phone_number".into(),
        json!({"phone_number_id": big}).to_string(),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_eq!(number.unwrap()["id"], big);
    let list = settle(
        meta.all_phone_numbers(json!({"waba_id": seed["meta"]["waba_id"], "limit": 1}).to_string(), JsValue::UNDEFINED),
    );
    let list = list.await.unwrap();
    assert!(list.as_array().unwrap().iter().any(|n| n["id"] == big), "{list}");

    let err = settle(meta.call("vonage.list_deployments".into(), "{}".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!((err["kind"].as_str(), err["field"].as_str()), (Some("validation"), Some("op")));
    let auth = client(&seed, "meta", json!({"config": {"access_token": "bad", "base_url": seed["meta"]["base_url"]}}));
    let err = settle(auth.call(
        "meta.get_phone_number".into(),
        json!({"phone_number_id": big}).to_string(),
        JsValue::UNDEFINED,
    ))
    .await;
    let err = err.unwrap_err();
    assert_eq!((err["kind"].as_str(), err["provider_code"].as_str()), (Some("auth"), Some("190")));
}

#[wasm_bindgen_test]
async fn a_read_is_retried_after_a_503_and_a_write_is_sent_once() {
    let seed = seed().await;
    let meta = client(&seed, "meta", json!({}));
    let id = seed["meta"]["phone_number_ids"]["ready"].as_str().unwrap();
    side(Method::DELETE, "/requests", None).await;
    side(Method::POST, "/faults", Some(json!({"op": "meta.get_phone_number", "fault": "status_503"}))).await;
    let number = settle(meta.call(
        "meta.get_phone_number".into(),
        json!({"phone_number_id": id}).to_string(),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_eq!(number.unwrap()["id"], id);
    assert_eq!(statuses("meta.get_phone_number").await, vec![json!(503), json!(200)]);

    side(Method::POST, "/faults", Some(json!({"op": "meta.deregister", "fault": "status_500"}))).await;
    let err =
        settle(meta.call("meta.deregister".into(), json!({"phone_number_id": id}).to_string(), JsValue::UNDEFINED))
            .await;
    let err = err.unwrap_err();
    assert_eq!((err["kind"].as_str(), err["retryable"].as_bool()), (Some("provider"), Some(false)));
    assert_eq!(statuses("meta.deregister").await, vec![json!(500)], "sent exactly once");
}

#[wasm_bindgen_test]
async fn a_hung_request_is_aborted_by_its_timeout() {
    let seed = seed().await;
    let meta = client(&seed, "meta", json!({"timeout_ms": 300}));
    let id = seed["meta"]["phone_number_ids"]["ready"].as_str().unwrap();
    side(Method::DELETE, "/requests", None).await;
    let fault = json!({"op": "meta.request_code", "fault": {"type": "timeout", "seconds": 5}});
    side(Method::POST, "/faults", Some(fault)).await;
    let started = Date::now();
    let params = json!({"phone_number_id": id, "code_method": "sms", "language": "en_US"});
    let err = settle(meta.call("meta.request_code".into(), params.to_string(), JsValue::UNDEFINED)).await.unwrap_err();
    let took = Date::now() - started;
    assert_eq!(err["kind"], "timeout", "{err}");
    assert!((250.0..3_000.0).contains(&took), "aborted at the limit, not after the fault's 5 s: {took}");
    assert_eq!(statuses("meta.request_code").await.len(), 1);
}

#[wasm_bindgen_test]
async fn a_99digital_onboarding_runs_through_the_exports() {
    let seed = seed().await;
    let d = &seed["digital99"];
    let options = json!({
        "provider": "digital99",
        "config": {"base_url": d["base_url"]},
        "client_id": d["client_id"],
        "client_secret": d["client_secret"],
        "guard_limits": {"digital99_code_requests": {"max": 1}},
    });
    let client = WasmClient::new(&options.to_string(), None, None, None).unwrap();
    let started = onboarding_start("digital99", r#"{"phone_number":"+972 50 765 1111","method":"sms","language":"1"}"#);
    let started: Value = serde_json::from_str(&started.unwrap()).unwrap();
    assert_eq!(started["needs"], "advance");
    let step =
        settle(client.advance(started["state"].to_string(), "{}".into(), None, JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(step["needs"], "code");
    // Resumed from its text, as an app would after a restart.
    let saved: Value = serde_json::from_str(&onboarding_load(&step["state"].to_string()).unwrap()).unwrap();
    let code = side(Method::GET, "/otp?provider=digital99&whatsapp=972507651111", None).await["code"].clone();

    // The guard allows one code request: a resend is refused before it is sent.
    let refused = settle(client.resend(saved["state"].to_string(), None, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(refused["kind"], "guard", "{refused}");
    assert_eq!(refused["needs"], "code", "a failed step hands the flow back: {refused}");
    assert!(refused["retry_after_ms"].as_u64().unwrap() > 3_000_000);
    let guards: Value = serde_json::from_str(&client.guard_state()).unwrap();
    assert_eq!(guards["sent"]["digital99.register_number"]["972507651111"].as_array().unwrap().len(), 1);

    let done =
        settle(client.advance(saved["state"].to_string(), json!({"code": code}).to_string(), None, JsValue::UNDEFINED))
            .await
            .unwrap();
    assert_eq!(done["needs"], "done");
    assert!(done["state"]["expiration"].as_i64().unwrap() > 0);

    let vonage = client_for_vonage(&seed);
    let wrong =
        settle(vonage.advance(done["state"].to_string(), "{}".into(), None, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!((wrong["kind"].as_str(), wrong["field"].as_str()), (Some("validation"), Some("client")));
}

fn client_for_vonage(seed: &Value) -> WasmClient {
    client(seed, "vonage", json!({"poll": {"initial_interval_ms": 50, "max_interval_ms": 100, "timeout_ms": 200}}))
}

#[wasm_bindgen_test]
async fn wait_for_state_polls_on_the_js_timer_until_its_deadline() {
    let seed = seed().await;
    let vonage = client_for_vonage(&seed);
    let ready = seed["vonage"]["ready_deployment_id"].as_str().unwrap();
    let deployment =
        settle(vonage.wait_for_state(ready.into(), r#"["READY"]"#.into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(deployment["current_state"]["title"], "READY");
    let started = Date::now();
    let err =
        settle(vonage.wait_for_state(ready.into(), r#"["DELETED"]"#.into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(err["kind"], "timeout", "{err}");
    assert!(Date::now() - started >= 190.0, "waited out the 200 ms poll deadline");
    let err = settle(vonage.wait_for_state(ready.into(), "[]".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(err["field"], "targets");
}

#[wasm_bindgen_test]
fn bad_client_options_are_validation_errors() {
    let bad = |options: Value| -> Value {
        let err = WasmClient::new(&options.to_string(), None, None, None).err().expect("refused");
        serde_json::from_str(&err).unwrap()
    };
    assert_eq!(bad(json!({"provider": "whatsapp"}))["field"], "provider");
    assert_eq!(bad(json!({"provider": "meta", "timeout_ms": 0}))["field"], "timeout_ms");
    assert_eq!(bad(json!({"provider": "meta", "poll": {"timeout_ms": "soon"}}))["field"], "poll.timeout_ms");
    assert_eq!(bad(json!({"provider": "meta", "config": {"base_url": 5}}))["field"], "base_url");
}
