//! The built `waonboard` binary against the simulator, the way scripts and CI use it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use tokio::runtime::Runtime;
use waonboard_sim::{seed, Fault, FaultRule, Provider, SimConfig, Simulator};

/// A simulator served by its own runtime's worker while the test thread runs the binary.
struct Sim {
    sim: Simulator,
    _runtime: Runtime,
}

impl Sim {
    fn start() -> Sim {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let sim = runtime.block_on(Simulator::start(SimConfig::default())).unwrap();
        Sim { sim, _runtime: runtime }
    }
}

/// A fresh directory for one test's files, removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("waonboard-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// Every variable the CLI reads, none of which a test may inherit from its environment.
const AMBIENT: [&str; 14] = [
    "ACCESS_TOKEN",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CODE",
    "PIN",
    "META_TOKEN",
    "VONAGE_TOKEN",
    "DIGITAL99_TOKEN",
    "DIGITAL99_CLIENT_ID",
    "DIGITAL99_CLIENT_SECRET",
    "BASE_URL",
    "META_BASE_URL",
    "VONAGE_BASE_URL",
    "DIGITAL99_BASE_URL",
];

/// The binary with no ambient secrets and its default guard file inside `dir`.
fn waonboard(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waonboard"));
    for key in AMBIENT {
        command.env_remove(format!("WAONBOARD_{key}"));
    }
    command.env("XDG_STATE_HOME", dir.join("state")).current_dir(dir);
    command
}

fn stdout_json(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}\nstderr: {}", stderr(output)))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read_json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn ops_lists_every_operation_with_its_parameters() {
    let dir = scratch("ops");
    let output = waonboard(&dir).arg("ops").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 41);
    let line = |id: &str| lines.iter().find(|l| l.split(' ').next() == Some(id)).copied().unwrap();
    let words = |id: &str| line(id).split_whitespace().skip(1).collect::<Vec<_>>();
    assert_eq!(words("meta.request_code"), ["phone_number_id", "code_method", "language"]);
    assert_eq!(words("meta.verify_code"), ["phone_number_id", "code=$WAONBOARD_CODE"]);
    assert_eq!(words("digital99.access_token"), ["client_id", "client_secret=$WAONBOARD_DIGITAL99_CLIENT_SECRET"]);
    assert_eq!(words("vonage.list_deployments"), Vec::<&str>::new());
    assert!(words("meta.get_phone_number").contains(&"[fields]"));
    assert!(text.contains("[name]: optional"), "the listing explains its notation");
}

#[test]
fn a_provider_alone_lists_its_operations() {
    let dir = scratch("provider-alone");
    for (command, prefix, count) in [("meta", "meta.", 16), ("vonage", "vonage.", 18), ("99digital", "digital99.", 7)] {
        let output = waonboard(&dir).arg(command).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{command}: {}", stderr(&output));
        let text = String::from_utf8(output.stdout).unwrap();
        let ids: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(ids.len(), count, "{command}: {text}");
        assert!(ids.iter().all(|id| id.starts_with(prefix)), "{command}: {text}");
    }
}

#[test]
fn an_unknown_operation_gets_the_nearest_one_suggested_and_nothing_is_sent() {
    let sim = Sim::start();
    let dir = scratch("did-you-mean");
    let base_url = sim.sim.base_url(Provider::Meta);
    for (args, suggested) in [
        (vec!["meta", "request_cod"], Some("meta.request_code")),
        (vec!["call", "meta.reqest_code"], Some("meta.request_code")),
        (vec!["meta", "create_deployment"], Some("vonage.create_deployment")),
        (vec!["call", "digital99.list_acounts"], Some("digital99.list_accounts")),
        (vec!["call", "frobnicate"], None),
    ] {
        let output = waonboard(&dir)
            .args(&args)
            .args(["--base-url", &base_url])
            .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = &stdout_json(&output)["error"];
        assert_eq!(error["field"], "op");
        let message = error["message"].as_str().unwrap();
        match suggested {
            Some(id) => assert!(message.contains(&format!("did you mean `{id}`?")), "{args:?}: {message}"),
            None => {
                assert!(!message.contains("did you mean"), "{message}");
                assert!(message.contains("waonboard ops"), "{message}");
            }
        }
    }
    assert!(sim.sim.requests().is_empty(), "nothing may reach the provider");
}

#[test]
fn each_provider_takes_its_own_token_before_the_shared_one() {
    let sim = Sim::start();
    let dir = scratch("provider-tokens");
    // One shell holding every provider's credentials, and a shared token that fits none.
    let with_all = |command: &mut Command| {
        command
            .env("WAONBOARD_META_TOKEN", seed::META_TOKEN)
            .env("WAONBOARD_VONAGE_TOKEN", seed::VONAGE_TOKEN)
            .env("WAONBOARD_DIGITAL99_CLIENT_ID", seed::DIGITAL99_CLIENT_ID)
            .env("WAONBOARD_DIGITAL99_CLIENT_SECRET", seed::DIGITAL99_CLIENT_SECRET)
            .env("WAONBOARD_ACCESS_TOKEN", "some-other-token")
            .env("WAONBOARD_META_BASE_URL", sim.sim.base_url(Provider::Meta))
            .env("WAONBOARD_VONAGE_BASE_URL", sim.sim.base_url(Provider::Vonage))
            .env("WAONBOARD_DIGITAL99_BASE_URL", sim.sim.base_url(Provider::Digital99));
    };
    for (provider, op, params) in [
        ("meta", "get_phone_number", format!(r#"{{"phone_number_id":"{}"}}"#, seed::META_PHONE_READY)),
        ("vonage", "list_deployments", "{}".to_owned()),
        ("digital99", "list_accounts", "{}".to_owned()),
    ] {
        let mut command = waonboard(&dir);
        with_all(&mut command);
        let output = command.args([provider, op, "--params", &params]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{provider}: {}", String::from_utf8_lossy(&output.stdout));
    }
    let sent: Vec<_> = sim.sim.requests().into_iter().filter_map(|r| r.op).collect();
    assert_eq!(
        sent,
        ["meta.get_phone_number", "vonage.list_deployments", "digital99.access_token", "digital99.list_accounts"]
    );

    // Without its own, a provider falls back to WAONBOARD_ACCESS_TOKEN, and the message
    // for none names both.
    let output = waonboard(&dir)
        .args(["vonage", "list_deployments", "--base-url", &sim.sim.base_url(Provider::Vonage)])
        .env("WAONBOARD_ACCESS_TOKEN", seed::VONAGE_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let output = waonboard(&dir).args(["vonage", "list_deployments"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stdout_json(&output)["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("WAONBOARD_VONAGE_TOKEN or WAONBOARD_ACCESS_TOKEN"), "{message}");
}

#[test]
fn the_base_url_comes_from_the_environment_for_call_and_bulk_and_the_flag_wins() {
    let sim = Sim::start();
    let dir = scratch("base-url-env");
    let params = format!(r#"{{"phone_number_id":"{}"}}"#, seed::META_PHONE_READY);
    // The shared variable alone; then a provider's own beats it; then the flag beats both.
    let unreachable = "http://127.0.0.1:9/nowhere";
    let meta_url = sim.sim.base_url(Provider::Meta);
    for (shared, own, flag) in [
        (Some(meta_url.as_str()), None, None),
        (Some(unreachable), Some(meta_url.as_str()), None),
        (Some(unreachable), Some(unreachable), Some(meta_url.as_str())),
    ] {
        let mut command = waonboard(&dir);
        command.args(["meta", "get_phone_number", "--params", &params]).env("WAONBOARD_META_TOKEN", seed::META_TOKEN);
        if let Some(url) = shared {
            command.env("WAONBOARD_BASE_URL", url);
        }
        if let Some(url) = own {
            command.env("WAONBOARD_META_BASE_URL", url);
        }
        if let Some(url) = flag {
            command.args(["--base-url", url]);
        }
        let output = command.output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shared:?} {own:?} {flag:?}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    assert_eq!(sim.sim.requests().len(), 3);

    // bulk too: a 99digital number sent to the sandbox's URL stops at its code.
    std::fs::write(dir.join("numbers.csv"), "phone_number\n+972501234567\n").unwrap();
    let output = waonboard(&dir)
        .args(["bulk", "--provider", "digital99", "--input", "numbers.csv", "--state", "state.json"])
        .env("WAONBOARD_BASE_URL", sim.sim.base_url(Provider::Digital99))
        .env("WAONBOARD_DIGITAL99_CLIENT_ID", seed::DIGITAL99_CLIENT_ID)
        .env("WAONBOARD_DIGITAL99_CLIENT_SECRET", seed::DIGITAL99_CLIENT_SECRET)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    let sent: Vec<_> = sim.sim.requests().into_iter().skip(3).filter_map(|r| r.op).collect();
    assert_eq!(sent, ["digital99.access_token", "digital99.register_number"]);
}

#[test]
fn a_404_from_a_base_url_without_the_providers_path_says_so() {
    let sim = Sim::start();
    let dir = scratch("base-url-404");
    // The sandbox's origin, without Vonage's mount (`/vonage`).
    let output = waonboard(&dir)
        .args(["vonage", "list_deployments"])
        .env("WAONBOARD_VONAGE_BASE_URL", sim.sim.url())
        .env("WAONBOARD_VONAGE_TOKEN", seed::VONAGE_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    let error = &stdout_json(&output)["error"];
    assert_eq!(error["http_status"], 404);
    let message = error["message"].as_str().unwrap();
    for part in ["may be wrong", "WAONBOARD_VONAGE_BASE_URL", "https://api.nexmo.com/v0.1/whatsapp-manager", "/vonage"]
    {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }

    // A 404 for a resource that does not exist, at the right base URL, gets no hint.
    let output = waonboard(&dir)
        .args(["vonage", "get_deployment", "--base-url", &sim.sim.base_url(Provider::Vonage), "--params"])
        .arg(r#"{"deployment_id":"5eedd0e0-0000-4000-8000-00000000dead"}"#)
        .env("WAONBOARD_VONAGE_TOKEN", seed::VONAGE_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    let error = &stdout_json(&output)["error"];
    assert_eq!(error["http_status"], 404);
    assert!(!error["message"].as_str().unwrap().contains("may be wrong"), "{error}");
}

#[test]
fn the_guard_state_lives_in_the_users_state_directory() {
    let sim = Sim::start();
    let dir = scratch("state-dir");
    let register = |command: &mut Command, number: &str| {
        let output = command
            .args(["digital99", "register_number", "--base-url", &sim.sim.base_url(Provider::Digital99), "--params"])
            .arg(format!(r#"{{"phone_number":"{number}","method":"sms","language":"1"}}"#))
            .env("WAONBOARD_DIGITAL99_CLIENT_ID", seed::DIGITAL99_CLIENT_ID)
            .env("WAONBOARD_DIGITAL99_CLIENT_SECRET", seed::DIGITAL99_CLIENT_SECRET)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    };
    // XDG_STATE_HOME when set (the harness sets it) ...
    register(&mut waonboard(&dir), "+972501234567");
    let saved = read_json(dir.join("state/waonboard/guards.json"));
    assert!(saved.to_string().contains("972501234567"), "{saved}");
    // ... else ~/.local/state on Linux.
    let mut command = waonboard(&dir);
    command.env_remove("XDG_STATE_HOME").env("HOME", dir.join("home"));
    register(&mut command, "+972507654321");
    let saved = read_json(dir.join("home/.local/state/waonboard/guards.json"));
    assert!(saved.to_string().contains("972507654321"), "{saved}");
}

#[test]
fn call_sends_a_meta_operation_with_the_token_from_the_environment() {
    let sim = Sim::start();
    let dir = scratch("call-meta");
    let output = waonboard(&dir)
        .args(["call", "meta.request_code", "--base-url", &sim.sim.base_url(Provider::Meta), "--params"])
        .arg(format!(r#"{{"phone_number_id":"{}","code_method":"sms","language":"en-us"}}"#, seed::META_PHONE_READY))
        .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout_json(&output), serde_json::json!({"success": true}));
    let ops: Vec<_> = sim.sim.requests().into_iter().map(|r| r.op).collect();
    assert_eq!(ops, [Some("meta.request_code".to_owned())]);
    assert!(sim.sim.otp(Provider::Meta, seed::META_PHONE_READY).is_some(), "the simulator sent a code");
}

#[test]
fn a_pin_on_the_command_line_is_refused_and_nothing_is_sent() {
    let sim = Sim::start();
    let dir = scratch("pin-argv");
    let output = waonboard(&dir)
        .args(["meta", "register", "--base-url", &sim.sim.base_url(Provider::Meta), "--params"])
        .arg(format!(r#"{{"phone_number_id":"{}","pin":"123456"}}"#, seed::META_PHONE_READY))
        .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &stdout_json(&output)["error"];
    assert_eq!(error["kind"], "validation");
    assert_eq!(error["field"], "pin");
    assert!(error["message"].as_str().unwrap().contains("WAONBOARD_PIN"), "{error}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("123456"), "the PIN is not echoed");
    assert!(sim.sim.requests().is_empty(), "nothing may reach the provider");
}

#[test]
fn a_validation_error_names_its_field() {
    let sim = Sim::start();
    let dir = scratch("validation");
    let output = waonboard(&dir)
        .args(["call", "meta.request_code", "--base-url", &sim.sim.base_url(Provider::Meta), "--params"])
        .arg(format!(r#"{{"phone_number_id":"{}","code_method":"fax","language":"en_US"}}"#, seed::META_PHONE_READY))
        .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &stdout_json(&output)["error"];
    assert_eq!(error["kind"], "validation");
    assert_eq!(error["field"], "code_method");
    assert_eq!(error["operation"], "meta.request_code");
    for key in ["provider_code", "http_status", "retry_after_ms", "fbtrace_id", "error_subcode", "cause"] {
        assert!(error[key].is_null(), "{key} is present and null: {error}");
    }
    assert_eq!(error["retryable"], false);
    assert!(sim.sim.requests().is_empty());
}

#[test]
fn a_meta_error_keeps_what_support_asks_for() {
    let sim = Sim::start();
    let dir = scratch("fbtrace");
    let output = waonboard(&dir)
        .args(["call", "meta.get_phone_number", "--base-url", &sim.sim.base_url(Provider::Meta), "--params"])
        .arg(r#"{"phone_number_id":"999000111"}"#)
        .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    let error = &stdout_json(&output)["error"];
    assert_eq!((error["provider_code"].as_str(), error["error_subcode"].as_i64()), (Some("100"), Some(33)), "{error}");
    let trace = error["fbtrace_id"].as_str().unwrap_or_default();
    assert!(trace.starts_with('A') && trace.len() > 10, "Meta's fbtrace_id is its own field: {error}");
}

#[test]
fn the_demo_takes_every_provider_to_done() {
    let dir = scratch("demo");
    let output = waonboard(&dir).arg("demo").output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}\n{}", stderr(&output));
    for provider in ["meta", "vonage", "digital99"] {
        assert!(text.contains(&format!("{provider} reached done")), "{provider} in:\n{text}");
    }
    assert!(!text.contains(r#""pin":"1"#) && text.contains(r#""pin":"******""#), "the PIN is masked");
}

#[test]
fn the_demo_writes_json_lines_on_request() {
    let dir = scratch("demo-json");
    let output = waonboard(&dir).args(["demo", "--provider", "vonage", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let steps: Vec<&str> = lines.iter().filter_map(|l| l["step"].as_str()).collect();
    assert_eq!(steps, ["create_deployment", "wait_for_code", "verify_code", "wait_for_ready"]);
    let last = lines.last().unwrap();
    assert_eq!(last["outcome"], "done");
    assert_eq!(last["state"]["step"], "done");
}

#[test]
fn bulk_in_the_sandbox_completes_and_a_second_run_sends_nothing() {
    let dir = scratch("bulk-sandbox");
    let mut csv = String::from("phone_number,waba_id,vname_certificate\n");
    for i in 1..=5 {
        csv.push_str(&format!("+44 7700 9001{i:02},123456789123,AbCdEFGHiJK123456\n"));
    }
    std::fs::write(dir.join("numbers.csv"), csv).unwrap();
    let run = || {
        waonboard(&dir)
            .args(["bulk", "--provider", "vonage", "--input", "numbers.csv", "--state", "state.json"])
            .args(["--report", "report.json", "--concurrency", "3", "--sandbox"])
            .output()
            .unwrap()
    };

    let first = run();
    assert_eq!(first.status.code(), Some(0), "{}\n{}", String::from_utf8_lossy(&first.stdout), stderr(&first));
    let report = read_json(dir.join("report.json"));
    assert_eq!(report["total"], 5);
    assert_eq!(report["outcomes"]["done"], 5, "{report}");
    assert_eq!(report["outcomes"]["failed"], 0);
    assert!(report["requests_sent"].as_u64().unwrap() >= 5 * 4, "{report}");
    let state = read_json(dir.join("state.json"));
    let numbers = state["numbers"].as_object().unwrap();
    assert_eq!(numbers.len(), 5);
    assert!(numbers.contains_key("+447700900101"), "keys are E.164: {state}");
    for entry in numbers.values() {
        assert_eq!(entry["flow"]["step"], "done");
        assert!(entry["flow"]["deployment_id"].is_string());
        assert!(entry["last_error"].is_null());
    }
    assert!(String::from_utf8_lossy(&first.stdout).contains("5 done"));

    let second = run();
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let report = read_json(dir.join("report.json"));
    assert_eq!(report["requests_sent"], 0, "{report}");
    assert_eq!(report["already_done"], 5);
    assert_eq!(report["outcomes"]["done"], 5);
    assert_eq!(read_json(dir.join("state.json")), state, "the state is unchanged");
}

#[test]
fn bulk_stops_at_the_code_and_resumes_with_codes() {
    let sim = Sim::start();
    let dir = scratch("bulk-codes");
    std::fs::write(dir.join("numbers.csv"), "phone_number,method\n+972 50 000 0001,sms\n00972500000002,voice\n")
        .unwrap();
    std::fs::write(
        dir.join("secrets.json"),
        format!(
            r#"{{"client_id":"{}","client_secret":"{}"}}"#,
            seed::DIGITAL99_CLIENT_ID,
            seed::DIGITAL99_CLIENT_SECRET
        ),
    )
    .unwrap();
    let base_url = sim.sim.base_url(Provider::Digital99);
    let run = |extra: &[&str]| {
        waonboard(&dir)
            .args(["bulk", "--provider", "digital99", "--input", "numbers.csv", "--state", "state.json"])
            .args(["--report", "report.json", "--secrets-file", "secrets.json", "--base-url", &base_url])
            .args(["--guard-state", "guards.json"])
            .args(extra)
            .output()
            .unwrap()
    };

    let first = run(&[]);
    assert_eq!(first.status.code(), Some(7), "waiting for codes: {}", stderr(&first));
    let report = read_json(dir.join("report.json"));
    assert_eq!(report["outcomes"]["awaiting_code"], 2, "{report}");
    let guards = read_json(dir.join("guards.json"));
    assert_eq!(guards["sent"]["digital99.register_number"].as_object().unwrap().len(), 2, "{guards}");

    let code = |digits: &str| sim.sim.otp(Provider::Digital99, digits).unwrap();
    std::fs::write(
        dir.join("codes.csv"),
        format!("key,code\n+972500000001,{}\n+972 50 000 0002,{}\n", code("972500000001"), code("972500000002")),
    )
    .unwrap();
    let registrations =
        |sim: &Sim| sim.sim.requests().iter().filter(|r| r.op.as_deref() == Some("digital99.register_number")).count();
    assert_eq!(registrations(&sim), 2);

    let second = run(&["--codes", "codes.csv"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let report = read_json(dir.join("report.json"));
    assert_eq!(report["outcomes"]["done"], 2, "{report}");
    assert_eq!(registrations(&sim), 2, "no code was requested again");
    let state = read_json(dir.join("state.json"));
    assert_eq!(state["numbers"]["+972500000002"]["flow"]["step"], "done");
    assert!(state["numbers"]["+972500000002"]["flow"]["expiration"].is_i64());
}

#[test]
fn the_guard_refuses_a_fourth_code_request_within_the_hour_without_sending() {
    let sim = Sim::start();
    let dir = scratch("guard");
    let base_url = sim.sim.base_url(Provider::Digital99);
    let register = || {
        waonboard(&dir)
            .args(["call", "digital99.register_number", "--base-url", &base_url, "--guard-state", "guards.json"])
            .args(["--params", r#"{"phone_number":"+972 50 765 4321","method":"sms","language":"1"}"#])
            .env("WAONBOARD_CLIENT_ID", seed::DIGITAL99_CLIENT_ID)
            .env("WAONBOARD_CLIENT_SECRET", seed::DIGITAL99_CLIENT_SECRET)
            .output()
            .unwrap()
    };
    for _ in 0..3 {
        let output = register();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
        assert_eq!(stdout_json(&output)["status"], "OK");
    }
    let sent_before = sim.sim.requests().len();

    let fourth = register();
    assert_eq!(fourth.status.code(), Some(4));
    let error = &stdout_json(&fourth)["error"];
    assert_eq!(error["kind"], "guard", "{error}");
    assert_eq!(error["operation"], "digital99.register_number");
    assert!(error["retry_after_ms"].as_u64().unwrap() > 3_000_000, "{error}");
    assert_eq!(sim.sim.requests().len(), sent_before, "not even a token was fetched");
    let guards = read_json(dir.join("guards.json"));
    assert_eq!(guards["sent"]["digital99.register_number"]["972507654321"].as_array().unwrap().len(), 3);
}

#[test]
fn secrets_are_refused_in_a_params_file_and_unknown_secret_keys_in_a_secrets_file() {
    let dir = scratch("secret-files");
    std::fs::write(dir.join("params.json"), r#"{"deployment_id":"d1","code":"123456"}"#).unwrap();
    let output = waonboard(&dir)
        .args(["vonage", "verify_otp", "--params-file", "params.json"])
        .env("WAONBOARD_ACCESS_TOKEN", seed::VONAGE_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout_json(&output)["error"]["field"], "code");

    std::fs::write(dir.join("secrets.json"), r#"{"acces_token":"x"}"#).unwrap();
    let output =
        waonboard(&dir).args(["call", "vonage.list_deployments", "--secrets-file", "secrets.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = &stdout_json(&output)["error"];
    assert_eq!(error["field"], "secrets_file");
    assert!(error["message"].as_str().unwrap().contains("acces_token"), "{error}");
}

#[test]
fn a_pre_verified_number_is_verified_with_the_code_from_the_environment() {
    let sim = Sim::start();
    let dir = scratch("preverified");
    let base = sim.sim.base_url(Provider::Meta);
    let run = |args: &[&str], params: String, code: Option<&str>| {
        let mut command = waonboard(&dir);
        command.args(args).args(["--base-url", &base, "--params"]).arg(params);
        command.env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN);
        if let Some(code) = code {
            command.env("WAONBOARD_CODE", code);
        }
        command.output().unwrap()
    };
    let added = run(
        &["call", "meta.add_preverified_number"],
        format!(r#"{{"business_id":"{}","phone_number":"+44 7700 900462"}}"#, seed::META_BUSINESS_ID),
        None,
    );
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let id = stdout_json(&added)["id"].as_str().unwrap().to_owned();
    let params = format!(r#"{{"preverified_id":"{id}","code_method":"sms","language":"en_GB"}}"#);
    let requested = run(&["meta", "request_preverified_code"], params, None);
    assert_eq!(requested.status.code(), Some(0), "{}", stderr(&requested));
    let code = sim.sim.otp(Provider::Meta, &id).unwrap();

    let in_argv =
        run(&["meta", "verify_preverified_code"], format!(r#"{{"preverified_id":"{id}","code":"{code}"}}"#), None);
    assert_eq!(in_argv.status.code(), Some(2), "a code on the command line is refused");
    let verified = run(&["meta", "verify_preverified_code"], format!(r#"{{"preverified_id":"{id}"}}"#), Some(&code));
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert_eq!(stdout_json(&verified), serde_json::json!({"success": true}));
    assert_eq!(
        sim.sim.requests().iter().filter(|r| r.op.as_deref() == Some("meta.verify_preverified_code")).count(),
        1
    );
}

#[test]
fn a_lost_code_request_waits_for_its_code_until_the_user_asks_for_another() {
    let sim = Sim::start();
    let dir = scratch("bulk-unconfirmed");
    std::fs::write(dir.join("numbers.csv"), "phone_number\n+972 50 000 0003\n").unwrap();
    std::fs::write(
        dir.join("secrets.json"),
        format!(
            r#"{{"client_id":"{}","client_secret":"{}"}}"#,
            seed::DIGITAL99_CLIENT_ID,
            seed::DIGITAL99_CLIENT_SECRET
        ),
    )
    .unwrap();
    let base_url = sim.sim.base_url(Provider::Digital99);
    let run = |extra: &[&str]| {
        waonboard(&dir)
            .args(["bulk", "--provider", "digital99", "--input", "numbers.csv", "--state", "state.json"])
            .args(["--report", "report.json", "--secrets-file", "secrets.json", "--base-url", &base_url])
            .args(["--guard-state", "guards.json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let registrations =
        || sim.sim.requests().iter().filter(|r| r.op.as_deref() == Some("digital99.register_number")).count();
    // The connection drops before 99digital reads the request: no code is sent.
    sim.sim.inject(FaultRule::new(Fault::Reset).op("digital99.register_number").process(false));

    let first = run(&[]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    let state = read_json(dir.join("state.json"));
    assert_eq!(state["numbers"]["+972500000003"]["flow"]["pending"], "digital99.register_number", "{state}");

    let second = run(&[]);
    assert_eq!(second.status.code(), Some(7), "{}", stderr(&second));
    assert_eq!(registrations(), 1, "the lists were asked; nothing was sent again");
    let report = read_json(dir.join("report.json"));
    assert_eq!(
        (report["code_unconfirmed"].as_u64(), report["numbers"][0]["code_unconfirmed"].as_bool()),
        (Some(1), Some(true))
    );
    assert!(String::from_utf8_lossy(&second.stdout).contains("--resend-unconfirmed"), "the way out is named");

    let third = run(&["--resend-unconfirmed"]);
    assert_eq!(third.status.code(), Some(7), "{}", stderr(&third));
    assert_eq!(registrations(), 2, "requested again, once, on the user's word");
    let code = sim.sim.otp(Provider::Digital99, "972500000003").unwrap();
    std::fs::write(dir.join("codes.csv"), format!("key,code\n+972500000003,{code}\n")).unwrap();
    let fourth = run(&["--codes", "codes.csv", "--resend-unconfirmed"]);
    assert_eq!(fourth.status.code(), Some(0), "{}", stderr(&fourth));
    assert_eq!(registrations(), 2);
    let guards = read_json(dir.join("guards.json"));
    assert_eq!(guards["sent"]["digital99.register_number"]["972500000003"].as_array().unwrap().len(), 2);
}

#[test]
fn a_redirect_is_not_followed_and_the_call_fails() {
    let sim = Sim::start();
    let dir = scratch("redirect");
    for status in [302, 307] {
        sim.sim.inject(waonboard_sim::FaultRule::new(waonboard_sim::Fault::Redirect { status }).op("meta.register"));
        let output = waonboard(&dir)
            .args(["meta", "register", "--base-url", &sim.sim.base_url(Provider::Meta), "--params"])
            .arg(format!(r#"{{"phone_number_id":"{}"}}"#, seed::META_PHONE_READY))
            .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
            .env("WAONBOARD_PIN", "246813")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
        let error = &stdout_json(&output)["error"];
        assert_eq!(
            (error["kind"].as_str(), error["http_status"].as_u64()),
            (Some("provider"), Some(u64::from(status)))
        );
    }
    assert!(sim.sim.trap_hits().is_empty(), "nothing reached the other host: {:?}", sim.sim.trap_hits());
}

#[test]
fn an_echoed_request_shows_no_secret() {
    let sim = Sim::start();
    let dir = scratch("echo");
    sim.sim.inject(waonboard_sim::FaultRule::new(waonboard_sim::Fault::EchoRequest { pad: 0 }).op("meta.register"));
    let output = waonboard(&dir)
        .args(["meta", "register", "--base-url", &sim.sim.base_url(Provider::Meta), "--params"])
        .arg(format!(r#"{{"phone_number_id":"{}"}}"#, seed::META_PHONE_READY))
        .env("WAONBOARD_ACCESS_TOKEN", seed::META_TOKEN)
        .env("WAONBOARD_PIN", "246813")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    let shown = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert!(shown.contains("[redacted]"), "the echo is shown without its secrets: {shown}");
    for secret in [seed::META_TOKEN, "246813"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[test]
fn a_bad_99digital_language_is_a_validation_error_before_any_token_fetch() {
    let sim = Sim::start();
    let dir = scratch("d99-language");
    let output = waonboard(&dir)
        .args(["call", "digital99.register_number", "--base-url", &sim.sim.base_url(Provider::Digital99), "--params"])
        .arg(r#"{"phone_number":"+972 50 999 1234","method":"sms","language":"english"}"#)
        .env("WAONBOARD_CLIENT_ID", seed::DIGITAL99_CLIENT_ID)
        .env("WAONBOARD_CLIENT_SECRET", seed::DIGITAL99_CLIENT_SECRET)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stdout_json(&output)["error"]["field"], "language");
    assert!(sim.sim.requests().is_empty(), "not even a token fetch: {:?}", sim.sim.requests());
}

#[test]
fn bulk_files_and_output_carry_no_echoed_secret_or_escape() {
    let sim = Sim::start();
    let dir = scratch("bulk-echo");
    let echo = waonboard_sim::Fault::EchoRequest { pad: 2_000 };
    sim.sim.inject(waonboard_sim::FaultRule::new(echo).op("vonage.create_deployment").always());
    std::fs::write(
        dir.join("numbers.csv"),
        "phone_number,waba_id,vname_certificate\n+44 7700 900201,123456789123,AbCdEFGHiJK123456\n",
    )
    .unwrap();
    let output = waonboard(&dir)
        .args(["bulk", "--provider", "vonage", "--input", "numbers.csv", "--state", "state.json"])
        .args(["--report", "report.json", "--base-url", &sim.sim.base_url(Provider::Vonage)])
        .env("WAONBOARD_ACCESS_TOKEN", seed::VONAGE_TOKEN)
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(0), "the number failed: {}", stderr(&output));
    assert!(!sim.sim.requests().is_empty(), "the echo was answered");
    let mut shown = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    for entry in std::fs::read_dir(&*dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            shown.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
    assert!(shown.contains("[redacted]"), "the echo reached the report or state: {shown}");
    assert!(!shown.contains(seed::VONAGE_TOKEN), "the token leaked: {shown}");
    assert!(!shown.contains('\u{1b}'), "an escape sequence reached the output or a file");
}
