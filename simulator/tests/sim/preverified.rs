//! Meta's pre-verified phone numbers: a business's pool, verified by code, shared with a
//! partner, answered in the shapes and errors of Meta's spec.

use reqwest::Method;
use serde_json::{json, Value};
use waonboard_sim::{seed, Provider};

use crate::common::H;

const BUSINESS: &str = seed::META_BUSINESS_ID;
const PARTNER: &str = seed::META_PARTNER_BUSINESS_ID;

fn error(v: &Value) -> (i64, &str) {
    let code = v["error"]["code"].as_i64().unwrap_or_else(|| panic!("no Graph error: {v}"));
    (code, v["error"]["message"].as_str().unwrap_or_default())
}

async fn add(h: &H, number: &str) -> String {
    let r =
        h.meta(Method::POST, &format!("/{BUSINESS}/add_phone_numbers"), Some(&json!({"phone_number": number}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn add_verify_share_and_delete() {
    let h = H::new().await;
    let id = add(&h, "+1 (631) 555-1000").await;

    let r = h.meta(Method::GET, &format!("/{id}"), None).await;
    assert_eq!((r.status, r.json()), (200, json!({"id": id, "is_input_id_valid": true})));
    let r = h.meta(Method::GET, &format!("/{id}?fields=id%2Ccountry_prefix%2Cdisplay_phone_number"), None).await;
    assert_eq!(r.json(), json!({"id": id, "country_prefix": 1, "display_phone_number": "+1 6315551000"}));

    let r = h
        .meta(Method::POST, &format!("/{id}/request_code"), Some(&json!({"code_method": "VOICE", "language": "es_ES"})))
        .await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    let code = h.side_otp(&format!("provider=meta&phone_number_id={id}")).await.unwrap();
    assert_eq!(h.sim.otp(Provider::Meta, &id).as_deref(), Some(code.as_str()));

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": wrong}))).await;
    assert_eq!(r.status, 422);
    assert_eq!(error(&r.json()), (100, "The verification code is invalid"));
    assert_eq!(r.json()["error"]["error_user_title"], "Invalid Code");

    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": code}))).await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    let r = h
        .meta(Method::POST, &format!("/{id}/request_code"), Some(&json!({"code_method": "SMS", "language": "en_US"})))
        .await;
    assert_eq!((r.status, error(&r.json())), (422, (100, "This phone number has already been verified")));

    let r = h.meta(Method::GET, &format!("/{id}/partners"), None).await;
    assert_eq!(r.json(), json!({"data": [], "paging": {"cursors": {}}}));
    let share = json!({"preverified_id": id, "partner_business_id": PARTNER});
    for _ in 0..2 {
        let r = h.meta(Method::POST, &format!("/{BUSINESS}/share_preverified_numbers"), Some(&share)).await;
        assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    }
    let r = h.meta(Method::GET, &format!("/{id}/partners?fields=id%2Cname%2Cverification_status"), None).await;
    assert_eq!(
        r.json()["data"],
        json!([{"id": PARTNER, "name": "Sim Partner Agency", "verification_status": "verified"}])
    );
    // The partner now sees the number in its own list.
    let r = h.meta(Method::GET, &format!("/{PARTNER}/preverified_numbers?verification_status=VERIFIED"), None).await;
    assert_eq!(
        r.json()["data"],
        json!([{"id": id, "display_phone_number": "+1 6315551000", "verification_status": "VERIFIED"}])
    );

    let r = h.meta(Method::DELETE, &format!("/{id}"), None).await;
    assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    let r = h.meta(Method::DELETE, &format!("/{id}"), None).await;
    assert_eq!((r.status, error(&r.json())), (404, (803, "Pre-verified phone number not found")));

    // Each call was logged under its own operation, told apart by the ID it names.
    for (op, calls) in [
        ("meta.add_preverified_number", 1),
        ("meta.get_preverified_number", 2),
        ("meta.request_preverified_code", 2),
        ("meta.verify_preverified_code", 2),
        ("meta.share_preverified_number", 2),
        ("meta.list_preverified_partners", 2),
        ("meta.list_preverified_numbers", 1),
        ("meta.delete_preverified_number", 2),
        ("meta.request_code", 0),
        ("meta.get_phone_number", 0),
    ] {
        assert_eq!(h.count_op(op), calls, "{op}");
    }
    h.sim.shutdown().await;
}

#[tokio::test]
async fn list_filters_and_pages() {
    let h = H::new().await;
    let uk = add(&h, "+44 20 7946 0958").await;
    let r = h
        .meta(
            Method::GET,
            &format!("/{BUSINESS}/preverified_numbers?fields=id%2Ccountry_code%2Cverification_status"),
            None,
        )
        .await;
    assert_eq!(
        r.json()["data"],
        json!([
            {"id": seed::META_PREVERIFIED_VERIFIED, "country_code": "US", "verification_status": "VERIFIED"},
            {"id": seed::META_PREVERIFIED_FAILED, "country_code": "GB", "verification_status": "FAILED"},
            {"id": uk, "country_code": "GB", "verification_status": "PENDING"},
        ])
    );
    let path = format!("/{BUSINESS}/preverified_numbers?country_code=GB&verification_status=PENDING&fields=id");
    let r = h.meta(Method::GET, &path, None).await;
    assert_eq!(r.json()["data"], json!([{"id": uk}]));

    let r = h.meta(Method::GET, &format!("/{BUSINESS}/preverified_numbers?limit=2"), None).await;
    let page = r.json();
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let after = page["paging"]["cursors"]["after"].as_str().unwrap();
    assert!(page["paging"]["next"].as_str().unwrap().contains("/preverified_numbers?limit=2&after="));
    let r = h.meta(Method::GET, &format!("/{BUSINESS}/preverified_numbers?limit=2&after={after}"), None).await;
    assert_eq!(
        r.json()["data"],
        json!([{"id": uk, "display_phone_number": "+44 2079460958", "verification_status": "PENDING"}])
    );
    assert!(r.json()["paging"].get("next").is_none());
    assert!(r.json()["paging"]["previous"].as_str().unwrap().contains("before="));

    let r = h.meta(Method::GET, &format!("/{BUSINESS}/preverified_numbers?limit=101"), None).await;
    assert_eq!((r.status, error(&r.json())), (400, (100, "Invalid parameter: limit must be between 1 and 100")));
    let r = h.meta(Method::GET, &format!("/{BUSINESS}/preverified_numbers?availability_status=FREE"), None).await;
    assert_eq!(r.status, 400);
    h.sim.shutdown().await;
}

#[tokio::test]
async fn refuses_what_the_spec_refuses() {
    let h = H::new().await;
    let path = format!("/{BUSINESS}/add_phone_numbers");
    for bad in ["16315551000", "+1 631 SHRUBS", "+12"] {
        let r = h.meta(Method::POST, &path, Some(&json!({"phone_number": bad}))).await;
        assert_eq!((r.status, error(&r.json())), (400, (100, "Invalid phone number")), "{bad}");
    }
    add(&h, "+16315551000").await;
    let r = h.meta(Method::POST, &path, Some(&json!({"phone_number": "+1 631-555-1000"}))).await;
    assert_eq!(r.status, 400, "a number already in the pool");
    // A number of the WABA cannot join the pool either.
    let r = h.meta(Method::POST, &path, Some(&json!({"phone_number": "+16315555555"}))).await;
    assert_eq!(r.status, 400);
    let r = h.meta(Method::POST, "/1111/add_phone_numbers", Some(&json!({"phone_number": "+16315551001"}))).await;
    assert_eq!(error(&r.json()).0, 100, "an unknown business");

    let id = seed::META_PREVERIFIED_VERIFIED;
    let share = format!("/{BUSINESS}/share_preverified_numbers");
    let r = h.meta(Method::POST, &share, Some(&json!({"preverified_id": "abc", "partner_business_id": PARTNER}))).await;
    assert_eq!(error(&r.json()), (100, "Invalid preverified_id: must be a valid numeric string"));
    let r = h.meta(Method::POST, &share, Some(&json!({"preverified_id": id, "partner_business_id": "42"}))).await;
    assert_eq!(error(&r.json()), (100, "Invalid partner_business_id: business not found or not accessible"));

    let r = h.meta(Method::POST, &format!("/{id}/verify_code"), Some(&json!({"code": "12345"}))).await;
    assert_eq!((r.status, error(&r.json())), (400, (100, "Invalid parameter: code must be a numeric string")));
    let r = h
        .meta(Method::POST, &format!("/{id}/request_code"), Some(&json!({"code_method": "EMAIL", "language": "en_US"})))
        .await;
    assert_eq!(error(&r.json()), (100, "Invalid parameter: code_method must be SMS or VOICE"));
    // A WABA number's ID is not a pre-verified number: it cannot be deleted.
    let r = h.meta(Method::DELETE, &format!("/{}", seed::META_PHONE_READY), None).await;
    assert_eq!(r.status, 400);

    let failed = seed::META_PREVERIFIED_FAILED;
    let r = h.meta(Method::GET, &format!("/{failed}?fields=is_input_id_valid%2Cerror_msg"), None).await;
    assert_eq!(
        r.json(),
        json!({"id": failed, "is_input_id_valid": false, "error_msg": "Phone number format is invalid"})
    );
    let r = h
        .meta(
            Method::POST,
            &format!("/{failed}/request_code"),
            Some(&json!({"code_method": "SMS", "language": "en_US"})),
        )
        .await;
    assert_eq!((r.status, error(&r.json())), (422, (100, "Phone number format is invalid")));
    h.sim.shutdown().await;
}
