//! The bodies of the fuzz targets, as plain functions: cargo-fuzz wraps each in a target
//! (`fuzz_targets/`, run on nightly by `tools/fuzz`), and `tests/corpus.rs` runs each on
//! every file of its corpus on stable, so a crash once found stays fixed.
//!
//! Each body panics when the core breaks one of its promises for that input: no panic of
//! its own, errors of the kind the contract gives, no secret in an error, and what is
//! written can be read back the same.
//!
//! Inputs are text where the core takes text, so the corpus reads as it is written:
//! `parse` takes `op status [retry-after]` on the first line and the body after it;
//! `prepare` takes the operation, the params JSON and (optionally) the config JSON on
//! three lines; `phone` takes the region (or an empty line) and the number; `flow_state`
//! takes a saved onboarding's JSON.

use waonboard::client::Onboarding;
use waonboard::{ErrorKind, Operation, PhoneNumber};

use serde_json::Value;

/// The config `prepare` uses when the input gives none.
const DEFAULT_CONFIG: &str = r#"{"access_token":"EAAGfuzz-token"}"#;

/// A target's body: it takes one input and panics when the core breaks a promise.
pub type Body = fn(&[u8]);

/// The targets by name; each has `corpus/<name>/` and `fuzz_targets/<name>.rs`.
pub const TARGETS: [(&str, Body); 4] =
    [("parse", parse), ("prepare", prepare), ("phone", phone), ("flow_state", flow_state)];

/// The first line of `data` and what follows it.
fn first_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[]),
    }
}

/// `parse` of any answer to any operation: a result only for a success status, and never
/// an error that blames the caller's input.
pub fn parse(data: &[u8]) {
    let (head, body) = first_line(data);
    let head = String::from_utf8_lossy(head);
    let mut words = head.split(' ');
    let op = words.next().unwrap_or_default();
    let status = words.next().and_then(|s| s.parse::<u16>().ok()).unwrap_or(200);
    let headers: Vec<(String, String)> =
        words.next().map(|retry_after| vec![("retry-after".to_owned(), retry_after.to_owned())]).unwrap_or_default();
    let known = op.parse::<Operation>().is_ok();
    match waonboard::parse(op, status, &headers, body) {
        Ok(result) => {
            assert!(known, "{op:?} is no operation, yet its answer parsed");
            assert!((200..300).contains(&status), "{op} {status}: an error status parsed as a result: {result}");
        }
        Err(e) => {
            assert_eq!(e.kind() == ErrorKind::Validation, !known, "{op} {status}: {e}");
        }
    }
}

/// `prepare` of any params and config: a request whose header values cannot break lines
/// and whose body is JSON, or a validation error that repeats no secret.
pub fn prepare(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.splitn(3, '\n');
    let op = lines.next().unwrap_or_default();
    let Ok(params) = serde_json::from_str::<Value>(lines.next().unwrap_or_default()) else { return };
    let Ok(config) = serde_json::from_str::<Value>(lines.next().unwrap_or(DEFAULT_CONFIG)) else { return };
    match waonboard::prepare(op, &params, &config) {
        Ok(request) => {
            for (name, value) in &request.headers {
                assert!(!value.contains(['\r', '\n']), "{op}: header {name} breaks a line");
            }
            assert!(!request.url.contains(|c: char| c.is_whitespace() || c.is_control()), "{op}: url {}", request.url);
            if let Some(body) = &request.body {
                assert!(serde_json::from_str::<Value>(body).is_ok(), "{op}: the body is not JSON: {body}");
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{op}: {e}");
            // A secret shown by chance (a token "number" in "phone_number is required") is
            // no leak: one is a secret that shows again when it is changed.
            let (shifted_params, shifted_config) =
                (shift_secrets(&params, SECRET_PARAMS), shift_secrets(&config, &["access_token"]));
            let Err(again) = waonboard::prepare(op, &shifted_params, &shifted_config) else { return };
            let (shown, shown_again) = (format!("{e} {e:?}"), format!("{again} {again:?}"));
            let secrets = [
                (&config["access_token"], &shifted_config["access_token"]),
                (&params["pin"], &shifted_params["pin"]),
                (&params["code"], &shifted_params["code"]),
                (&params["client_secret"], &shifted_params["client_secret"]),
            ];
            for (secret, shifted) in secrets {
                let (Some(secret), Some(shifted)) = (secret.as_str(), shifted.as_str()) else { continue };
                let leaked = secret.chars().count() >= 4 && shown.contains(secret) && shown_again.contains(shifted);
                assert!(!leaked, "{op}: the error shows a secret: {shown}");
            }
        }
    }
}

/// The params that are secrets (the contract: no error text contains a token, secret, PIN
/// or code).
const SECRET_PARAMS: &[&str] = &["pin", "code", "client_secret"];

/// `value` with each string under one of `keys` changed letter by letter and digit by
/// digit (`a1` becomes `b2`), so it passes the same checks but reads differently.
fn shift_secrets(value: &Value, keys: &[&str]) -> Value {
    let mut value = value.clone();
    for key in keys {
        if let Some(Value::String(text)) = value.get_mut(*key) {
            *text = text
                .chars()
                .map(|c| match c {
                    'z' => 'a',
                    'Z' => 'A',
                    '9' => '0',
                    c if c.is_ascii_alphanumeric() => char::from(c as u8 + 1),
                    c => c,
                })
                .collect();
        }
    }
    value
}

/// The phone normaliser: what it accepts is digits within E.164's limits, and its E.164
/// form reads back as the same number.
pub fn phone(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (region, number) = text.split_once('\n').unwrap_or(("", text));
    let region = (!region.is_empty()).then_some(region);
    let Ok(parsed) = PhoneNumber::parse(number, region) else { return };
    let digits = parsed.digits();
    assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{number:?}: {digits}");
    assert!(digits.len() <= 15, "{number:?}: {digits} has more than 15 digits");
    assert!(parsed.national_number().len() >= 4, "{number:?}: {digits}");
    assert_eq!(parsed.e164(), format!("+{digits}"));
    assert_eq!(PhoneNumber::parse(&parsed.e164(), None).as_ref(), Ok(&parsed), "{number:?} in {region:?}");
}

/// A saved onboarding: refused as `state`, or read into a flow that saves to the same JSON
/// and reads back equal.
pub fn flow_state(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Onboarding::from_json(text) {
        Ok(flow) => {
            let saved = flow.to_json();
            let again = Onboarding::from_json(&saved);
            assert_eq!(again.as_ref().ok(), Some(&flow), "{text} saved as {saved}");
            assert_eq!(again.map(|f| f.to_json()).ok(), Some(saved));
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            assert_eq!(e.field(), Some("state"), "{e}");
        }
    }
}

/// Runs `body` on each file named on the command line: a stable build of a target
/// reproduces a crash file this way (`cargo run -p waonboard-fuzz --bin parse -- FILE`).
pub fn run_files(body: Body) {
    for path in std::env::args_os().skip(1) {
        match std::fs::read(&path) {
            Ok(data) => {
                body(&data);
                println!("ok {}", path.to_string_lossy());
            }
            Err(e) => {
                eprintln!("{}: {e}", path.to_string_lossy());
                std::process::exit(2);
            }
        }
    }
}
