//! No access token, client secret, PIN or one-time code ever shows in an error message,
//! an error's Debug output, or the Debug output of a request, response or typed result.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use serde_json::{json, Value};
use waonboard::{digital99, meta, vonage, Config, Endpoint, HttpResponse, Operation, Secret};

const TOKEN: &str = "TOKENx9Qz7Lw2";
const CLIENT_SECRET: &str = "CSECRETk3Vb8";
const PIN: &str = "975310";
const CODE: &str = "864202";
/// What a caller may type for the code: still the secret digits.
const CODE_TYPED: &str = "864-202";

fn secrets() -> [&'static str; 4] {
    [TOKEN, CLIENT_SECRET, PIN, CODE]
}

fn assert_clean(context: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(secret), "{context} shows a secret: {text}");
    }
    // A code typed with a hyphen must not leak in its typed form either.
    assert!(!text.contains(CODE_TYPED), "{context} shows a secret: {text}");
}

/// Valid parameters for every operation, with the secrets wherever the operation takes one.
fn params(op: Operation) -> Value {
    let deployment = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";
    let id = "106540352242922";
    match op {
        Operation::MetaRequestCode => json!({"phone_number_id": id, "code_method": "sms", "language": "en_US"}),
        Operation::MetaVerifyCode => json!({"phone_number_id": id, "code": CODE_TYPED}),
        // A migration: the On-Premises backup's password and data are secrets too.
        Operation::MetaRegister => {
            json!({"phone_number_id": id, "pin": PIN, "backup": {"password": CLIENT_SECRET, "data": TOKEN}})
        }
        Operation::MetaDeregister => json!({"phone_number_id": id}),
        Operation::MetaSetTwoStepPin => json!({"phone_number_id": id, "pin": PIN}),
        Operation::MetaGetPhoneNumber => json!({"phone_number_id": id}),
        Operation::MetaListPhoneNumbers => json!({"waba_id": "102290129340398"}),
        Operation::MetaAddPhoneNumber => {
            json!({"waba_id": "102290129340398", "phone_number": "+1 631 555 1111", "verified_name": "Lucky Shrub"})
        }
        Operation::MetaAddPreverifiedNumber => json!({"business_id": id, "phone_number": "+1 631 555 1111"}),
        Operation::MetaListPreverifiedNumbers => json!({"business_id": id}),
        Operation::MetaGetPreverifiedNumber
        | Operation::MetaDeletePreverifiedNumber
        | Operation::MetaListPreverifiedPartners => json!({"preverified_id": id}),
        Operation::MetaRequestPreverifiedCode => {
            json!({"preverified_id": id, "code_method": "voice", "language": "en_US"})
        }
        Operation::MetaVerifyPreverifiedCode => json!({"preverified_id": id, "code": CODE_TYPED}),
        Operation::MetaSharePreverifiedNumber => {
            json!({"business_id": id, "preverified_id": id, "partner_business_id": "9876543210987654"})
        }
        Operation::VonageCreateDeployment => json!({
            "phone_number": "+44 7700 900000", "vname_certificate": "AbCd", "method": "sms",
            "waba_id": "123456789123", "pin": PIN
        }),
        Operation::VonageResendOtp => json!({"deployment_id": deployment, "method": "voice"}),
        Operation::VonageVerifyOtp => json!({"deployment_id": deployment, "code": CODE_TYPED}),
        Operation::VonageUpdateProfile => json!({"deployment_id": deployment, "about": "Hi"}),
        Operation::VonageUpdateProfilePhoto => {
            json!({"deployment_id": deployment, "image_url": "https://example.com/a.png"})
        }
        Operation::VonageListDeployments => json!({}),
        Operation::VonageCreateStickerpack => json!({"deployment_id": deployment, "publisher": "Me", "name": "Pack"}),
        Operation::VonageUpdateStickerpack => {
            json!({"deployment_id": deployment, "stickerpack_id": "p1", "publisher": "Me", "name": "Pack"})
        }
        Operation::VonageListStickerpacks => json!({"deployment_id": deployment}),
        Operation::VonageListStickers | Operation::VonageDeleteStickerpack => {
            json!({"deployment_id": deployment, "stickerpack_id": "p1"})
        }
        Operation::VonageGetSticker | Operation::VonageDeleteSticker => {
            json!({"deployment_id": deployment, "stickerpack_id": "p1", "sticker_index": 0})
        }
        Operation::VonageCreateSticker => {
            json!({"deployment_id": deployment, "stickerpack_id": "p1", "image_data_id": "img1"})
        }
        Operation::Digital99AccessToken => json!({"client_id": "partner-1", "client_secret": CLIENT_SECRET}),
        Operation::Digital99RegisterNumber => json!({"phone_number": "972501234567", "method": "sms", "language": "1"}),
        Operation::Digital99VerifyNumber => json!({"phone_number": "972501234567", "code": CODE_TYPED}),
        Operation::Digital99ListRegisteredNumbers
        | Operation::Digital99ListWhatsappNumbers
        | Operation::Digital99ListAccounts => {
            json!({})
        }
        Operation::Digital99DeleteAccount => json!({"phone_number": "972501234567"}),
        // The rest take only the deployment.
        _ => json!({"deployment_id": deployment}),
    }
}

/// Ways to get each operation refused: each keeps the secrets in the input.
fn broken_inputs(op: Operation) -> Vec<(Value, Value)> {
    let good = params(op);
    let config = json!({"access_token": TOKEN});
    let mut cases =
        vec![(good.clone(), json!({"access_token": TOKEN, "base_url": format!("http://example.com/{TOKEN}")}))];
    if op != Operation::Digital99AccessToken {
        // A token with a newline (header injection) and one with a space.
        cases.push((good.clone(), json!({"access_token": format!("{TOKEN}\r\nX: y")})));
        cases.push((good.clone(), json!({"access_token": format!("{TOKEN} {PIN}")})));
    }
    let mut with = |key: &str, value: Value| {
        if good.get(key).is_some() {
            let mut params = good.clone();
            params[key] = value;
            cases.push((params, config.clone()));
        }
    };
    with("pin", json!(format!("{PIN}1")));
    with("pin", json!(format!("{}x", &PIN[..5])));
    with("code", json!(format!("{CODE}7")));
    with("code", json!(format!("{}?", &CODE[..5])));
    with("code", json!(CODE.parse::<u64>().unwrap()));
    with("client_secret", json!(1234));
    with("backup", json!({"password": CLIENT_SECRET}));
    with("backup", json!({"password": CLIENT_SECRET, "data": TOKEN, "pasword": PIN}));
    with("client_secret", json!(""));
    let mut unknown = good.clone();
    unknown["unexpected"] = json!(PIN);
    cases.push((unknown, config));
    cases
}

/// Failure answers of every shape, some of them carrying a secret in an odd place.
fn failure_answers() -> Vec<(u16, Vec<u8>)> {
    vec![
        (400, br#"{"error":{"message":"bad","type":"OAuthException","code":100}}"#.to_vec()),
        (401, br#"{"type":"https://developer.nexmo.com/api-errors#unauthorized","title":"no"}"#.to_vec()),
        (200, br#"{"status":"FAIL","reason":3}"#.to_vec()),
        (200, format!(r#"{{"access_token": {}, "expiration_time": "x"}}"#, CODE).into_bytes()),
        (200, format!(r#"{{"access_token": "{TOKEN}", "expiration_time": "{PIN}x"}}"#).into_bytes()),
        (200, format!(r#"{{"success": "{TOKEN}"}}"#).into_bytes()),
        (200, format!(r#"{{"deployment_id": {PIN}}}"#).into_bytes()),
        (200, format!(r#"{{"list": "{TOKEN}"}}"#).into_bytes()),
        (200, format!(r#"{{"access_token": "{TOKEN}""#).into_bytes()),
        (500, b"<html>oops</html>".to_vec()),
    ]
}

#[test]
fn no_secret_in_any_error_or_debug_output() {
    let mut checked = 0;
    for op in Operation::ALL {
        let config = json!({"access_token": TOKEN});
        let request = waonboard::prepare(op.as_str(), &params(*op), &config)
            .unwrap_or_else(|e| panic!("{op}: the valid params were refused: {e}"));
        assert_clean(&format!("{op}: request Debug"), &format!("{request:?}"));
        for (params, config) in broken_inputs(*op) {
            let err = waonboard::prepare(op.as_str(), &params, &config).expect_err(&format!("{op}: {params}"));
            assert_clean(&format!("{op}: validation error"), &format!("{err} {err:?}"));
            checked += 1;
        }
        for (status, body) in failure_answers() {
            match waonboard::parse(op.as_str(), status, &[], &body) {
                Err(err) => assert_clean(&format!("{op}: answer error"), &format!("{err} {err:?}")),
                Ok(_) => continue,
            }
            checked += 1;
        }
    }
    assert!(checked > 41 * 10, "only {checked} failures were checked");
}

#[test]
fn typed_requests_and_results_redact_their_secrets() {
    let config = Config::new(TOKEN);
    assert_clean("config", &format!("{config:?}"));
    let requests: Vec<String> = vec![
        format!(
            "{:?}",
            meta::Register {
                phone_number_id: "1".into(),
                pin: PIN.into(),
                data_localization_region: None,
                backup: Some(meta::Backup { password: PIN.into(), data: CODE.into() }),
                tier: None,
            }
        ),
        format!("{:?}", meta::VerifyCode { phone_number_id: "1".into(), code: CODE.into() }),
        format!("{:?}", meta::VerifyPreverifiedCode { preverified_id: "1".into(), code: CODE.into() }),
        format!("{:?}", vonage::VerifyOtp { deployment_id: "d".into(), code: CODE.into() }),
        format!("{:?}", digital99::RequestAccessToken { client_id: "c".into(), client_secret: CLIENT_SECRET.into() }),
    ];
    for debug in requests {
        assert_clean("typed request", &debug);
    }

    let answer = |body: String| HttpResponse { status: 200, headers: vec![], body: body.into_bytes() };
    let token = digital99::RequestAccessToken::parse(&answer(format!(
        r#"{{"status":"OK","access_token":"{TOKEN}","expiration_time":"1767225600","token_type":"Bearer","reason":1}}"#
    )))
    .unwrap();
    assert_eq!(token.access_token, Secret::new(TOKEN), "the result still carries the token");
    assert_clean("access token result", &format!("{token:?}"));

    let deployment =
        vonage::GetDeployment::parse(&answer(format!(r#"{{"deployment_id":"d","api_key":"{TOKEN}"}}"#))).unwrap();
    assert_clean("deployment", &format!("{deployment:?}"));
    let numbers =
        digital99::ListWhatsappNumbers::parse(&answer(format!(r#"{{"list":[{{"apiKey":"{TOKEN}"}}]}}"#))).unwrap();
    assert_clean("number list", &format!("{numbers:?}"));

    let response = answer(format!(r#"{{"access_token":"{TOKEN}"}}"#));
    assert_clean("response", &format!("{response:?}"));
}
