//! The providers' own OpenAPI files (`../shared/specs/`) as an outside oracle, through
//! Prism (`@stoplight/prism-cli`, installed by `tools/install-prism`), a validator written
//! by neither us nor the providers:
//!
//! - every request vector of an operation a spec describes is built by `prepare`, sent
//!   with the core's own reqwest transport to `prism mock --errors`, and must come back
//!   with no request-side violation in Prism's `sl-violations` header;
//! - Prism's generated answers (`prism mock -d`), at least 20 per success status of each
//!   such operation and a few per documented error status, must parse: never a `decode`
//!   error;
//! - the operations the specs lack are listed, and Prism must confirm it has no route for
//!   them.
//!
//! Prism is found through `WAONBOARD_PRISM_BIN` (the test command sets it) or under
//! `.tools/prism`, the specs in `shared/specs/` beside the checkout; without either, the
//! tests say so and skip, as the spec conformance tests do.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use waonboard::client::{ReqwestTransport, Transport};
use waonboard::{ErrorKind, HttpRequest, Operation, Provider};

/// Our operations that neither Meta's nor Vonage's OpenAPI file describes (99digital
/// publishes none at all). Prism must confirm each one has no route; every other Meta and
/// Vonage operation must have one, so a wrong path cannot pass for a missing operation.
const NOT_IN_THE_SPECS: [&str; 9] = [
    "vonage.list_deployments",
    "vonage.list_stickerpacks",
    "vonage.create_stickerpack",
    "vonage.update_stickerpack",
    "vonage.delete_stickerpack",
    "vonage.list_stickers",
    "vonage.get_sticker",
    "vonage.create_sticker",
    "vonage.delete_sticker",
];

/// Generated answers read per success status of an operation (the issue asks for 20).
const ANSWERS_PER_SUCCESS: usize = 20;
/// Generated answers read per documented error status.
const ANSWERS_PER_ERROR: usize = 5;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn prism_bin() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("WAONBOARD_PRISM_BIN") {
        return Some(PathBuf::from(bin));
    }
    let bin = repo().join(".tools/prism/node_modules/.bin/prism");
    bin.exists().then_some(bin)
}

/// `shared/specs/`, with `shared/` beside the repository (or beside the folder that holds
/// a git worktree of it), as the spec conformance tests find it.
fn specs_dir() -> Option<PathBuf> {
    repo().ancestors().map(|d| d.join("shared/specs")).find(|p| p.is_dir())
}

fn spec_path(name: &str) -> Option<PathBuf> {
    specs_dir().map(|d| d.join(name)).filter(|p| p.is_file())
}

/// A line for the test command's log: written to stdout directly, so it shows without
/// `--nocapture` (what the specs lack is part of the result).
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// A `prism mock -d --errors` process serving one spec on a free loopback port: request
/// violations become 422 answers naming them, and valid requests get generated answers.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(bin: &Path, spec: &Path) -> Prism {
        let mut child = Command::new(bin)
            .args(["mock", "--dynamic", "--errors", "--host", "127.0.0.1", "--port", "0"])
            .arg(spec)
            .env("SCARF_ANALYTICS", "false")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", bin.display()));
        let stdout = child.stdout.take().unwrap();
        let (found, url) = mpsc::channel();
        // Prism logs every request: the pipe is drained for as long as it runs.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("Prism is listening on ") {
                    let _ = found.send(line[at + "Prism is listening on ".len()..].trim().to_owned());
                }
            }
        });
        // Meta's file takes ~10 s to load on an idle machine; the test command runs beside
        // other builds.
        match url.recv_timeout(Duration::from_secs(180)) {
            Ok(url) => Prism { child, url },
            Err(_) => {
                let _ = child.kill();
                panic!("prism did not start serving {} within 180 s", spec.display());
            }
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every case of the shared vectors that builds a request: (name, op, params, config).
fn request_vectors() -> Vec<(String, String, Value, Value)> {
    let dir = repo().join("tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let cases: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        for case in cases["cases"].as_array().unwrap() {
            if case["expect"].get("request").is_none() {
                continue;
            }
            found.push((
                case["name"].as_str().unwrap().to_owned(),
                case["op"].as_str().unwrap().to_owned(),
                case["params"].clone(),
                case["config"].clone(),
            ));
        }
    }
    found
}

/// `config` sending to Prism instead: the base URL is the only thing rewritten, so Meta's
/// paths keep their `/{Version}` and Vonage's start at `/deployments`, as the specs' paths do.
fn to_prism(config: &Value, prism: &Prism) -> Value {
    let mut config = config.clone();
    config["base_url"] = json!(prism.url);
    config
}

/// The request-side entries of a `sl-violations` header (a JSON list).
fn request_violations(headers: &[(String, String)]) -> Vec<String> {
    let Some((_, text)) = headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("sl-violations")) else {
        return Vec::new();
    };
    let list: Vec<Value> = serde_json::from_str(text).unwrap_or_else(|_| vec![json!({"message": text})]);
    list.iter()
        .filter(|v| v["location"][0] != "response")
        .map(|v| {
            let at: Vec<&str> = v["location"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            format!("{} at {}: {}", v["severity"].as_str().unwrap_or("?"), at.join("."), v["message"])
        })
        .collect()
}

/// Prism's answer when the spec has no such route (`NO_PATH_MATCHED_ERROR`,
/// `NO_METHOD_MATCHED_ERROR`).
fn no_route(status: u16, body: &[u8]) -> bool {
    matches!(status, 404 | 405) && String::from_utf8_lossy(body).contains("stoplight.io/prism/errors#NO_")
}

fn with_header(mut request: HttpRequest, name: &str, value: String) -> HttpRequest {
    request.headers.push((name.to_owned(), value));
    request
}

/// The spec's operation object for a request: the path template that fits the request's
/// path with the most literal segments (`/{Version}/{Phone-Number-ID}/register` for
/// `/v23.0/106540352242922/register`), under the request's method.
fn spec_operation<'a>(spec: &'a Value, request: &HttpRequest, prism: &Prism) -> Option<&'a Value> {
    let path = request.url.strip_prefix(&prism.url)?.split('?').next()?;
    let ours: Vec<&str> = path.split('/').collect();
    let method = request.method.as_str().to_lowercase();
    let fitting = spec["paths"].as_object()?.iter().filter_map(|(template, item)| {
        let theirs: Vec<&str> = template.split('/').collect();
        let fits = ours.len() == theirs.len()
            && ours.iter().zip(&theirs).all(|(o, t)| (t.starts_with('{') && !o.is_empty()) || o == t);
        let literal = ours.iter().zip(&theirs).filter(|(o, t)| o == t).count();
        (fits && item.get(&method).is_some()).then_some((literal, &item[&method]))
    });
    fitting.max_by_key(|(literal, _)| *literal).map(|(_, operation)| operation)
}

/// The statuses the spec documents for an operation, successes first.
/// Whether a body is Meta's `{"success": false, …}`.
fn says_unsuccessful(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).is_ok_and(|v| v.get("success") == Some(&Value::Bool(false)))
}

fn documented_statuses(operation: &Value) -> Vec<u16> {
    let responses = operation["responses"].as_object();
    let mut statuses: Vec<u16> = responses.into_iter().flatten().filter_map(|(s, _)| s.parse().ok()).collect();
    statuses.sort_by_key(|s| (!(200..300).contains(s), *s));
    statuses
}

/// Sends every request vector of `provider` to a Prism serving its spec, then asks for
/// generated answers and parses them. Panics with every finding at once.
async fn check(provider: Provider, spec_file: &str) {
    let (Some(bin), Some(spec_file)) = (prism_bin(), spec_path(spec_file)) else {
        say("prism: skipped, Prism (tools/install-prism) or shared/specs is missing");
        return;
    };
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(&spec_file).unwrap()).unwrap();
    let spec_name = spec_file.file_name().unwrap().to_string_lossy().into_owned();
    let prism = Prism::start(&bin, &spec_file);
    let http = ReqwestTransport::new().unwrap();
    let mut failures = Vec::new();

    // Requests: every vector, with zero request-side violations where the spec has the
    // operation, and no route at all where it is listed as lacking it.
    let mut validated = 0;
    let mut lacking = BTreeSet::new();
    let mut routed_ops = BTreeSet::new();
    let mut valid_request = BTreeMap::new();
    for (name, op, params, config) in request_vectors() {
        let Ok(operation) = op.parse::<Operation>() else { continue };
        if operation.provider() != provider {
            continue;
        }
        let request = waonboard::prepare(&op, &params, &to_prism(&config, &prism))
            .unwrap_or_else(|e| panic!("{name}: the vector no longer builds: {e}"));
        let answer = http.send(request.clone()).await.unwrap();
        let routed = !no_route(answer.status, &answer.body);
        if NOT_IN_THE_SPECS.contains(&op.as_str()) {
            if routed {
                failures.push(format!("{name} ({op}): listed as not in {spec_name}, but Prism has a route for it"));
            }
            lacking.insert(op);
            continue;
        }
        if !routed {
            failures.push(format!(
                "{name} ({op}): {} {} has no route in {spec_name}",
                request.method.as_str(),
                request.url
            ));
            continue;
        }
        validated += 1;
        let violations = request_violations(&answer.headers);
        for violation in &violations {
            failures.push(format!("{name} ({op}): request violation {violation}"));
        }
        routed_ops.insert(op.clone());
        if violations.is_empty() {
            valid_request.entry(op).or_insert(request);
        }
    }
    for op in routed_ops.iter().filter(|op| !valid_request.contains_key(*op)) {
        failures.push(format!("{op}: no request vector passed validation, so no generated answer was read"));
    }

    // Answers: Prism's generated bodies for every status the spec documents.
    let mut parsed = 0;
    for (op, request) in &valid_request {
        let Some(operation) = spec_operation(&spec, request, &prism) else {
            failures.push(format!("{op}: no operation of {spec_name} fits {}", request.url));
            continue;
        };
        let mut successes = 0;
        for status in documented_statuses(operation) {
            let success = (200..300).contains(&status);
            let rounds = if success { ANSWERS_PER_SUCCESS } else { ANSWERS_PER_ERROR };
            for _ in 0..rounds {
                let ask = with_header(request.clone(), "prefer", format!("code={status}, dynamic=true"));
                let answer = http.send(ask).await.unwrap();
                let outcome = waonboard::parse(op, answer.status, &answer.headers, &answer.body);
                let body = String::from_utf8_lossy(&answer.body);
                match outcome {
                    _ if answer.status != status => {
                        failures.push(format!("{op}: asked Prism for {status}, got {}: {body}", answer.status));
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::Decode => {
                        failures.push(format!("{op}: generated {status} answer is a decode error ({e}): {body}"));
                    }
                    Ok(_) if success => successes += 1,
                    // The schemas allow `"success": false`, which the contract reads as a
                    // `provider` error whatever the status (CONTRACT.md): read as it should be.
                    Err(e) if success && says_unsuccessful(&answer.body) && e.kind() == ErrorKind::Provider => {
                        successes += 1
                    }
                    Ok(result) => failures.push(format!("{op}: generated {status} answer read as a success: {result}")),
                    Err(e) if success => {
                        failures.push(format!("{op}: generated {status} answer is an error ({e}): {body}"))
                    }
                    Err(_) => {}
                }
                parsed += 1;
            }
        }
        if successes < ANSWERS_PER_SUCCESS {
            failures.push(format!("{op}: only {successes} generated success answers read as the contract says"));
        }
    }

    say(&format!(
        "prism {spec_name}: {validated} request vectors validated over {} operations, {parsed} generated answers parsed",
        valid_request.len()
    ));
    let lacking: Vec<String> = lacking.into_iter().collect();
    let lacking = if lacking.is_empty() { "none".to_owned() } else { lacking.join(", ") };
    say(&format!("not in {spec_name} (Prism has no route): {lacking}"));
    assert!(failures.is_empty(), "{} finding(s) from Prism:\n{}", failures.len(), failures.join("\n"));
    assert!(valid_request.len() >= 8, "too few operations checked: {}", valid_request.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_requests_and_generated_answers_against_prism() {
    check(Provider::Meta, "meta-business-messaging-api_v23.0.yaml").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vonage_requests_and_generated_answers_against_prism() {
    check(Provider::Vonage, "vonage-whatsapp-provisioning-0.1.4.yml").await;
}

/// Prism checks the `User-Agent` of every request above against Meta's pattern, but only
/// when one is sent: this asserts the reqwest transport sends one.
#[tokio::test]
async fn the_reqwest_transport_names_itself_in_the_form_metas_spec_gives() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}").unwrap();
        String::from_utf8(head).unwrap()
    });
    let config = json!({"access_token": "EAAGtest", "base_url": base_url});
    let request = waonboard::prepare("meta.get_phone_number", &json!({"phone_number_id": "106853218861309"}), &config);
    ReqwestTransport::new().unwrap().send(request.unwrap()).await.unwrap();
    let head = server.join().unwrap();
    let agent = head.lines().find_map(|line| line.strip_prefix("user-agent: ")).unwrap_or_default();
    assert_eq!(agent, concat!("waonboard/", env!("CARGO_PKG_VERSION")));
    if let Some(spec) = spec_path("meta-business-messaging-api_v23.0.yaml") {
        let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
        let schema = &spec["components"]["parameters"]["UserAgent"]["schema"];
        assert!(schema["pattern"].is_string(), "Meta's spec no longer constrains User-Agent");
        assert!(jsonschema::is_valid(schema, &json!(agent)), "{agent} breaks {}", schema["pattern"]);
    }
}

/// 99digital publishes no OpenAPI file: its operations are listed, not checked by Prism.
#[test]
fn no_openapi_file_describes_99digital() {
    let Some(dir) = specs_dir() else {
        say("prism: skipped, shared/specs is not beside the repository");
        return;
    };
    for file in std::fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(!text.contains("99digital"), "{} describes 99digital: check it with Prism too", path.display());
    }
    let ops: Vec<&str> =
        Operation::ALL.iter().filter(|o| o.provider() == Provider::Digital99).map(|o| o.as_str()).collect();
    say(&format!("no OpenAPI file, so not checked by Prism: {}", ops.join(", ")));
}
