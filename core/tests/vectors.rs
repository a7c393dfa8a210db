//! Runs every shared test vector in `../tests/vectors/*.json` through
//! `waonboard::prepare` and `waonboard::parse`, reports every failure at once, and checks
//! that every operation of the contract has a request case and a response case.
//! The format is described in `tests/vectors/README.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// Every operation id listed in shared/CONTRACT.md ("Operations").
const OPERATIONS: [&str; 41] = [
    "meta.request_code",
    "meta.verify_code",
    "meta.register",
    "meta.deregister",
    "meta.set_two_step_pin",
    "meta.get_phone_number",
    "meta.list_phone_numbers",
    "meta.add_phone_number",
    "meta.add_preverified_number",
    "meta.list_preverified_numbers",
    "meta.get_preverified_number",
    "meta.delete_preverified_number",
    "meta.request_preverified_code",
    "meta.verify_preverified_code",
    "meta.list_preverified_partners",
    "meta.share_preverified_number",
    "vonage.create_deployment",
    "vonage.get_deployment",
    "vonage.list_deployments",
    "vonage.delete_deployment",
    "vonage.resend_otp",
    "vonage.verify_otp",
    "vonage.get_profile",
    "vonage.update_profile",
    "vonage.get_profile_photo",
    "vonage.update_profile_photo",
    "vonage.list_stickerpacks",
    "vonage.create_stickerpack",
    "vonage.update_stickerpack",
    "vonage.delete_stickerpack",
    "vonage.list_stickers",
    "vonage.get_sticker",
    "vonage.create_sticker",
    "vonage.delete_sticker",
    "digital99.access_token",
    "digital99.register_number",
    "digital99.verify_number",
    "digital99.list_registered_numbers",
    "digital99.list_whatsapp_numbers",
    "digital99.list_accounts",
    "digital99.delete_account",
];

const MIN_CASES: usize = 150;

const CASE_KEYS: [&str; 7] = ["name", "op", "source", "config", "params", "response", "expect"];
const ERROR_KEYS: [&str; 8] =
    ["kind", "provider_code", "http_status", "retryable", "retry_after_ms", "field", "fbtrace_id", "error_subcode"];
/// Parameters whose values are secrets: no error text may contain them.
const SECRET_PARAMS: [&str; 3] = ["pin", "code", "client_secret"];

#[test]
fn shared_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut failures: Vec<String> = Vec::new();
    let files = vector_files(&dir).unwrap_or_else(|e| {
        failures.push(e);
        Vec::new()
    });

    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut request_ops: BTreeSet<String> = BTreeSet::new();
    let mut response_ops: BTreeSet<String> = BTreeSet::new();
    let mut total = 0usize;

    for path in &files {
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let cases = match load_cases(path) {
            Ok(cases) => cases,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        for case in &cases {
            total += 1;
            let name = case.get("name").and_then(Value::as_str).unwrap_or("<no name>");
            if let Some(first) = names.insert(name.to_owned(), file.clone()) {
                failures.push(format!("{file} :: {name}\n    duplicate case name (also in {first})"));
            }
            if let Err(e) = run_case(case) {
                failures.push(format!("{file} :: {name}\n    {}", e.replace('\n', "\n    ")));
            }
            // Coverage counts the cases that exist, whether or not they pass.
            let op = case.get("op").and_then(Value::as_str).unwrap_or("");
            if case.get("response").is_some() {
                response_ops.insert(op.to_owned());
            } else if case.get("expect").and_then(|e| e.get("request")).is_some() {
                request_ops.insert(op.to_owned());
            }
        }
    }

    for op in OPERATIONS {
        if !request_ops.contains(op) {
            failures.push(format!("coverage: no request case builds a request for {op}"));
        }
        if !response_ops.contains(op) {
            failures.push(format!("coverage: no response case for {op}"));
        }
    }
    if total < MIN_CASES {
        failures.push(format!("coverage: only {total} cases, at least {MIN_CASES} expected"));
    }

    if !failures.is_empty() {
        for f in &failures {
            eprintln!("FAIL {f}\n");
        }
        panic!("{} vector failure(s) in {total} cases", failures.len());
    }
    // Written to stdout directly so that it shows without --nocapture.
    let _ = writeln!(std::io::stdout(), "vectors: {total} cases passed");
}

fn vector_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.json vector files in {}", dir.display()));
    }
    Ok(files)
}

fn load_cases(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    if !doc.get("description").is_some_and(Value::is_string) {
        return Err("missing a \"description\" string".into());
    }
    doc.get("cases").and_then(Value::as_array).cloned().ok_or_else(|| "missing a \"cases\" array".into())
}

fn run_case(case: &Value) -> Result<(), String> {
    let obj = case.as_object().ok_or("a case must be a JSON object")?;
    let unknown: Vec<&String> = obj.keys().filter(|k| !CASE_KEYS.contains(&k.as_str())).collect();
    if !unknown.is_empty() {
        return Err(format!("malformed case: unknown keys {unknown:?}"));
    }
    let op = obj.get("op").and_then(Value::as_str).ok_or("malformed case: no \"op\" string")?;
    if !OPERATIONS.contains(&op) {
        return Err(format!("malformed case: {op:?} is not an operation of the contract"));
    }
    let expect = obj.get("expect").and_then(Value::as_object).ok_or("malformed case: no \"expect\" object")?;
    if expect.len() != 1 {
        return Err("malformed case: \"expect\" must hold exactly one of request, result, error".into());
    }
    match obj.get("response") {
        Some(response) => run_response(op, response, expect),
        None => run_request(op, obj, expect),
    }
}

// ---------------------------------------------------------------- requests

fn run_request(op: &str, case: &Map<String, Value>, expect: &Map<String, Value>) -> Result<(), String> {
    let empty = Value::Object(Map::new());
    let params = case.get("params").unwrap_or(&empty);
    let config = case.get("config").unwrap_or(&empty);
    let outcome = waonboard::prepare(op, params, config);

    if let Some(want) = expect.get("request") {
        let req = match outcome {
            Ok(req) => req,
            Err(e) => return Err(format!("expected a request, got error {}", describe_error(&e))),
        };
        let want = want.as_object().ok_or("malformed case: expect.request must be an object")?;
        let mut diffs = String::new();
        if let Some(method) = want.get("method") {
            let actual = req.method.as_str();
            if method.as_str() != Some(actual) {
                let _ = writeln!(diffs, "method: expected {method}, actual {actual:?}");
            }
        }
        if let Some(url) = want.get("url") {
            if url.as_str() != Some(req.url.as_str()) {
                let _ = writeln!(diffs, "url:\n  expected {url}\n  actual   {:?}", req.url);
            }
        }
        if let Some(headers) = want.get("headers") {
            let headers = headers.as_object().ok_or("malformed case: expect.request.headers must be an object")?;
            for (name, value) in headers {
                let found: Vec<&String> =
                    req.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v).collect();
                match (value, found.as_slice()) {
                    (Value::Null, []) => {}
                    (Value::Null, _) => {
                        let _ = writeln!(diffs, "header {name}: expected absent, actual {found:?}");
                    }
                    (Value::String(v), [one]) if *one == v => {}
                    (Value::String(v), _) => {
                        let _ = writeln!(diffs, "header {name}: expected {v:?}, actual {found:?}");
                    }
                    _ => return Err(format!("malformed case: header {name} must be a string or null")),
                }
            }
        }
        if let Some(body) = want.get("body") {
            match (body, &req.body) {
                (Value::Null, None) => {}
                (Value::Null, Some(actual)) => {
                    let _ = writeln!(diffs, "body: expected none, actual {actual}");
                }
                (_, None) => {
                    let _ = writeln!(diffs, "body: expected {body}, actual none");
                }
                (_, Some(actual)) => match serde_json::from_str::<Value>(actual) {
                    Ok(parsed) if parsed == *body => {}
                    Ok(_) => {
                        let _ = writeln!(diffs, "body:\n  expected {body}\n  actual   {actual}");
                    }
                    Err(e) => {
                        let _ = writeln!(diffs, "body is not JSON ({e}): {actual}");
                    }
                },
            }
        }
        return if diffs.is_empty() { Ok(()) } else { Err(diffs.trim_end().to_owned()) };
    }

    if let Some(want) = expect.get("error") {
        return match outcome {
            Ok(req) => Err(format!(
                "expected error {want}, got request {} {} body {}",
                req.method.as_str(),
                req.url,
                req.body.as_deref().unwrap_or("<none>")
            )),
            Err(e) => {
                check_error(&e, want)?;
                check_no_secrets(&e, params, config)
            }
        };
    }
    Err("malformed case: a request case expects \"request\" or \"error\"".into())
}

/// CONTRACT.md: no error text or Debug output contains an access token, client secret,
/// PIN or OTP code.
fn check_no_secrets(e: &waonboard::Error, params: &Value, config: &Value) -> Result<(), String> {
    let mut secrets: Vec<&str> = Vec::new();
    if let Some(token) = config.get("access_token").and_then(Value::as_str) {
        secrets.push(token);
    }
    for key in SECRET_PARAMS {
        if let Some(v) = params.get(key).and_then(Value::as_str) {
            secrets.push(v);
        }
    }
    let display = e.to_string();
    let debug = format!("{e:?}");
    for secret in secrets.into_iter().filter(|s| s.chars().count() >= 4) {
        if display.contains(secret) || debug.contains(secret) {
            return Err(format!("the error text leaks a secret value: {display:?} / {debug}"));
        }
    }
    Ok(())
}

// --------------------------------------------------------------- responses

fn run_response(op: &str, response: &Value, expect: &Map<String, Value>) -> Result<(), String> {
    let response = response.as_object().ok_or("malformed case: response must be an object")?;
    let status = response
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("malformed case: response.status must be an HTTP status")?;
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(h) = response.get("headers") {
        let h = h.as_object().ok_or("malformed case: response.headers must be an object")?;
        for (name, value) in h {
            let value =
                value.as_str().ok_or_else(|| format!("malformed case: response header {name} must be a string"))?;
            headers.push((name.clone(), value.to_owned()));
        }
    }
    let body: Vec<u8> = match (response.get("body_text"), response.get("body")) {
        (Some(_), Some(_)) => return Err("malformed case: response has both body and body_text".into()),
        (Some(text), None) => text.as_str().ok_or("malformed case: body_text must be a string")?.as_bytes().to_vec(),
        (None, Some(json)) => serde_json::to_vec(json).map_err(|e| e.to_string())?,
        (None, None) => Vec::new(),
    };
    let outcome = waonboard::parse(op, status, &headers, &body);

    if let Some(want) = expect.get("result") {
        return match outcome {
            Ok(actual) => {
                let (w, a) = (drop_nulls(want), drop_nulls(&actual));
                if w == a {
                    Ok(())
                } else {
                    Err(format!("result:\n  expected {w}\n  actual   {a}"))
                }
            }
            Err(e) => Err(format!("expected a result, got error {}", describe_error(&e))),
        };
    }
    if let Some(want) = expect.get("error") {
        return match outcome {
            Ok(actual) => Err(format!("expected error {want}, got result {actual}")),
            Err(e) => check_error(&e, want),
        };
    }
    Err("malformed case: a response case expects \"result\" or \"error\"".into())
}

/// Removes every null-valued key, recursively (absent and null are the same).
fn drop_nulls(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), drop_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

// ------------------------------------------------------------------ errors

fn check_error(e: &waonboard::Error, want: &Value) -> Result<(), String> {
    let want = want.as_object().ok_or("malformed case: expect.error must be an object")?;
    let unknown: Vec<&String> = want.keys().filter(|k| !ERROR_KEYS.contains(&k.as_str())).collect();
    if !unknown.is_empty() {
        return Err(format!("malformed case: unknown error keys {unknown:?}"));
    }
    let kind = want.get("kind").and_then(Value::as_str).ok_or("malformed case: expect.error.kind must be a string")?;
    let actual = error_json(e);
    let mut diffs = Vec::new();
    if actual.get("kind").and_then(Value::as_str) != Some(kind) {
        diffs.push(format!("kind: expected {kind:?}, actual {}", actual["kind"]));
    }
    for key in ERROR_KEYS.iter().filter(|k| **k != "kind") {
        let Some(expected) = want.get(*key) else { continue };
        // retryable is never absent: null means false.
        let expected = if *key == "retryable" && expected.is_null() { &Value::Bool(false) } else { expected };
        let got = actual.get(*key).unwrap_or(&Value::Null);
        if got != expected {
            diffs.push(format!("{key}: expected {expected}, actual {got}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n  (actual error {})", diffs.join("\n"), describe_error(e)))
    }
}

fn error_json(e: &waonboard::Error) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Value::from(e.kind().as_str()));
    m.insert("field".into(), e.field().map_or(Value::Null, Value::from));
    m.insert("provider_code".into(), e.provider_code().map_or(Value::Null, Value::from));
    m.insert("http_status".into(), e.http_status().map_or(Value::Null, Value::from));
    m.insert("retryable".into(), Value::Bool(e.retryable()));
    m.insert("retry_after_ms".into(), e.retry_after_ms().map_or(Value::Null, Value::from));
    m.insert("fbtrace_id".into(), e.fbtrace_id().map_or(Value::Null, Value::from));
    m.insert("error_subcode".into(), e.error_subcode().map_or(Value::Null, Value::from));
    Value::Object(m)
}

fn describe_error(e: &waonboard::Error) -> String {
    format!("{} {:?}", drop_nulls(&error_json(e)), e.to_string())
}
