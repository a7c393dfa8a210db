//! The side channel under `/_sim/`: the same powers as the `Simulator` methods, over HTTP,
//! for tests written in JS, Python or Kotlin. Never logged, never faulted.

use std::time::Duration;

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::faults::FaultRule;
use crate::reply::Reply;
use crate::util::{form_pairs, json_object, lock, query_get, str_field};
use crate::{seed, Provider};

fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

pub(crate) fn handle(engine: &Engine, method: &str, path: &str, query: &str, body: &[u8], host: Duration) -> Reply {
    let path = path.trim_end_matches('/');
    let q = form_pairs(query.as_bytes());
    match (method, path) {
        ("GET", "/otp") => otp(engine, &q, host),
        ("GET", "/requests") => match serde_json::to_value(engine.requests()) {
            Ok(v) => Reply::json(200, &v),
            Err(e) => error(500, &e.to_string()),
        },
        ("DELETE", "/requests") => {
            engine.clear_requests();
            Reply::empty(204)
        }
        ("GET", "/faults") => Reply::json(200, &lock(&engine.faults).list()),
        ("POST", "/faults") => match serde_json::from_slice::<FaultRule>(body) {
            Ok(rule) => {
                let id = engine.inject(rule);
                Reply::json(201, &json!({ "id": id }))
            }
            Err(e) => error(400, &format!("bad fault rule: {e}")),
        },
        ("DELETE", "/faults") => {
            engine.clear_faults();
            Reply::empty(204)
        }
        ("GET", "/clock") => clock(engine, host),
        ("POST", "/clock/advance") => {
            let ms = json_object(body).ok().and_then(|m| m.get("ms").and_then(Value::as_u64));
            match ms {
                Some(ms) => {
                    engine.advance(Duration::from_millis(ms));
                    clock(engine, host)
                }
                None => error(400, "body must be {\"ms\": <non-negative integer>}"),
            }
        }
        ("POST", "/reset") => {
            engine.reset(host);
            Reply::empty(204)
        }
        ("GET", "/seed") => Reply::json(200, &seed_json(engine)),
        ("GET", "/trap") => Reply::json(200, &json!({ "url": engine.trap_origin(), "hits": engine.trap_hits() })),
        ("POST", "/meta/name_status") => {
            let m = json_object(body).unwrap_or_default();
            match (str_field(&m, "phone_number_id"), str_field(&m, "name_status")) {
                (Some(id), Some(status)) => {
                    if engine.set_meta_name_status(&id, &status) {
                        Reply::empty(204)
                    } else {
                        error(404, "unknown phone_number_id")
                    }
                }
                _ => error(400, "body must be {\"phone_number_id\", \"name_status\"}"),
            }
        }
        ("POST", "/meta/code_verification_status") => {
            let m = json_object(body).unwrap_or_default();
            match (str_field(&m, "phone_number_id"), str_field(&m, "code_verification_status")) {
                (Some(id), Some(status)) => {
                    if engine.set_meta_code_verification_status(&id, &status) {
                        Reply::empty(204)
                    } else {
                        error(404, "unknown phone_number_id")
                    }
                }
                _ => error(400, "body must be {\"phone_number_id\", \"code_verification_status\"}"),
            }
        }
        _ => error(404, "unknown side-channel route; see GET /_sim/seed"),
    }
}

fn clock(engine: &Engine, host: Duration) -> Reply {
    let now = engine.now(host);
    Reply::json(200, &json!({ "now_ms": u64::try_from(now.sim.as_millis()).unwrap_or(u64::MAX), "unix": now.unix }))
}

fn otp(engine: &Engine, q: &[(String, String)], host: Duration) -> Reply {
    let Some(provider) = query_get(q, "provider").and_then(Provider::parse) else {
        return error(400, "provider must be meta, vonage or digital99");
    };
    let key_name = match provider {
        Provider::Meta => "phone_number_id",
        Provider::Vonage => "deployment_id",
        Provider::Digital99 => "whatsapp",
    };
    let Some(key) = query_get(q, key_name) else {
        return error(400, &format!("{key_name} is required for {}", provider.as_str()));
    };
    match engine.otp(provider, key, host) {
        Some(code) => Reply::json(200, &json!({ "code": code })),
        None => error(404, "no code is waiting for that number"),
    }
}

/// The `WAONBOARD_*` variables that point the CLI and the README examples at `engine`, in
/// the order a banner prints them.
pub(crate) fn env_vars(engine: &Engine) -> Vec<(&'static str, String)> {
    let c = &engine.config;
    let base_url = |provider: Provider| format!("{}{}", engine.origin(), provider.prefix());
    let first = |tokens: &[String]| tokens.first().cloned().unwrap_or_default();
    vec![
        ("WAONBOARD_META_BASE_URL", base_url(Provider::Meta)),
        ("WAONBOARD_META_TOKEN", first(&c.meta_tokens)),
        ("WAONBOARD_VONAGE_BASE_URL", base_url(Provider::Vonage)),
        ("WAONBOARD_VONAGE_TOKEN", first(&c.vonage_tokens)),
        ("WAONBOARD_DIGITAL99_BASE_URL", base_url(Provider::Digital99)),
        ("WAONBOARD_DIGITAL99_CLIENT_ID", c.digital99_client_id.clone()),
        ("WAONBOARD_DIGITAL99_CLIENT_SECRET", c.digital99_client_secret.clone()),
    ]
}

/// Everything a test needs to start: base URLs, credentials and seeded ids.
pub(crate) fn seed_json(engine: &Engine) -> Value {
    let c = &engine.config;
    let origin = engine.origin();
    json!({
        "meta": {
            "base_url": format!("{origin}{}", Provider::Meta.prefix()),
            "access_token": c.meta_tokens.first(),
            "waba_id": c.meta_waba_id,
            "phone_number_ids": {
                "ready": seed::META_PHONE_READY,
                "big": seed::META_PHONE_BIG,
                "pending_review": seed::META_PHONE_PENDING,
                "registered": seed::META_PHONE_REGISTERED,
            },
            "registered_pin": seed::META_REGISTERED_PIN,
            "business_id": seed::META_BUSINESS_ID,
            "partner_business_id": seed::META_PARTNER_BUSINESS_ID,
            "preverified_ids": {
                "verified": seed::META_PREVERIFIED_VERIFIED,
                "failed": seed::META_PREVERIFIED_FAILED,
            },
            "register_limit": c.meta_register_limit,
            "register_window_ms": u64::try_from(c.meta_register_window.as_millis()).unwrap_or(u64::MAX),
        },
        "vonage": {
            "base_url": format!("{origin}{}", Provider::Vonage.prefix()),
            "access_token": c.vonage_tokens.first(),
            "ready_deployment_id": seed::VONAGE_READY_DEPLOYMENT,
            "waba_id": seed::VONAGE_WABA_ID,
            "step_ms": u64::try_from(c.vonage_step.as_millis()).unwrap_or(u64::MAX),
            "invalid_vname_certificate": crate::vonage::INVALID_CERTIFICATE,
        },
        "digital99": {
            "base_url": format!("{origin}{}", Provider::Digital99.prefix()),
            "client_id": c.digital99_client_id,
            "client_secret": c.digital99_client_secret,
            "verify_number_path": c.digital99_verify_path,
            "active_account": seed::DIGITAL99_ACTIVE_ACCOUNT,
            "pending_account": seed::DIGITAL99_PENDING_ACCOUNT,
            "registered_number": seed::DIGITAL99_REGISTERED_NUMBER,
        },
    })
}
