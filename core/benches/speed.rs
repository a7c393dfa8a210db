//! The Rust figures of the README's Performance table (issue 12), each beside the plain
//! code a user would write without the crate, timed in the same run:
//!
//! - the client against reqwest + serde_json: sequential reads of one phone number from
//!   the simulator on loopback, p50 per batch, the two interleaved call by call so that
//!   both meet the same noise;
//! - `prepare` + `parse` of three small operations, typed and by id over JSON, against
//!   `format!` + `serde_json::from_slice` into the same result type.
//!
//! Each figure is the median over batches; each ratio the median of the batches' ratios.
//! Rows are printed as a Markdown table body, which `tools/bench` gathers. It prints
//! figures; it is not a timed test.
//!
//! `cargo bench -p waonboard --features reqwest --bench speed [-- --quick]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use waonboard::client::{Client, ReqwestTransport};
use waonboard::{digital99, meta, vonage, Config, DeliveryMethod, Endpoint, HttpResponse, Secret};
use waonboard_sim::{seed, Provider, SimConfig, Simulator};

/// How much to run: batches of sequential client calls and of `prepare` + `parse` loops.
struct Plan {
    batches: usize,
    calls: usize,
    iterations: usize,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let plan = if quick {
        Plan { batches: 3, calls: 300, iterations: 2_000 }
    } else {
        Plan { batches: 7, calls: 2_000, iterations: 20_000 }
    };
    client_against_reqwest(&plan);
    prepare_and_parse(&plan);
}

/// The simulator on a thread and runtime of its own, as a separate server would be.
fn start_simulator() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let simulator = Simulator::start(SimConfig::default()).await.unwrap();
            sender.send(simulator.base_url(Provider::Meta)).unwrap();
            std::future::pending::<()>().await;
        });
    });
    receiver.recv().unwrap()
}

fn client_against_reqwest(plan: &Plan) {
    let base = start_simulator();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::new(ReqwestTransport::new().unwrap(), Config::new(seed::META_TOKEN).with_base_url(&base));
    let read = meta::GetPhoneNumber { phone_number_id: seed::META_PHONE_READY.to_owned(), fields: None };
    let params = json!({"phone_number_id": seed::META_PHONE_READY});
    // reqwest as it comes, and with the time limits the client's transport sets (a timer
    // per request), to show what those cost.
    let plain = reqwest::Client::new();
    let limited = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let by_hand = |http: &reqwest::Client| {
        let request = http.get(format!("{base}/v23.0/{}", seed::META_PHONE_READY)).bearer_auth(seed::META_TOKEN);
        async {
            let response = request.send().await.unwrap();
            assert!(response.status().is_success());
            let body = response.bytes().await.unwrap();
            serde_json::from_slice::<meta::PhoneNumberInfo>(&body).unwrap()
        }
    };
    let mut medians: [Vec<Duration>; 4] = std::array::from_fn(|_| Vec::new());
    runtime.block_on(async {
        // Connections opened and code paths warm before anything counts.
        for _ in 0..plan.calls / 4 {
            black_box(client.send(&read).await.unwrap());
            black_box(client.call("meta.get_phone_number", &params).await.unwrap());
            black_box(by_hand(&plain).await);
            black_box(by_hand(&limited).await);
        }
        for _ in 0..plan.batches {
            let mut times: [Vec<Duration>; 4] = std::array::from_fn(|_| Vec::new());
            for call in 0..plan.calls {
                // Each goes first in turn, so that none always follows the same other.
                for turn in 0..4 {
                    let which = (call + turn) % 4;
                    let start = Instant::now();
                    match which {
                        0 => drop(black_box(client.send(&read).await.unwrap())),
                        1 => drop(black_box(client.call("meta.get_phone_number", &params).await.unwrap())),
                        2 => drop(black_box(by_hand(&plain).await)),
                        _ => drop(black_box(by_hand(&limited).await)),
                    }
                    times[which].push(start.elapsed());
                }
            }
            for (batch, mut times) in medians.iter_mut().zip(times) {
                batch.push(median(&mut times));
            }
        }
    });
    let [typed, by_id, plain, limited] = medians;
    let of_plain = format!("reqwest GET + serde_json {}", micros(median(&mut plain.clone())));
    let of_limited = format!("the same, with the client's time limits {}", micros(median(&mut limited.clone())));
    row("Rust client, `meta.get_phone_number` on loopback, p50", &typed, &plain, &of_plain, "≤ 1.05×");
    row("Rust client by id over JSON (`Client::call`), p50", &by_id, &plain, &of_plain, "≤ 1.05×");
    row("Rust client against reqwest with the same time limits, p50", &typed, &limited, &of_limited, "≤ 1.05×");
}

/// What the hand-written code makes of an operation: the URL, the authorization header and
/// the body it sends, and the result it reads.
type ByHand<T> = (String, String, String, T);

/// One operation's request, answer and hand-written equivalent.
struct Case<E: Endpoint> {
    endpoint: E,
    params: Value,
    config: Config,
    config_json: Value,
    answer: HttpResponse,
    by_hand: fn(&E, &[u8]) -> ByHand<E::Output>,
}

fn prepare_and_parse(plan: &Plan) {
    measure_case(
        plan,
        Case {
            endpoint: meta::RequestCode {
                phone_number_id: "106540352242922".into(),
                code_method: DeliveryMethod::Sms,
                language: "en_US".into(),
            },
            params: json!({"phone_number_id": "106540352242922", "code_method": "sms", "language": "en_US"}),
            config: Config::new("EAAGtest"),
            config_json: json!({"access_token": "EAAGtest"}),
            answer: answer(200, r#"{"success":true}"#),
            by_hand: |e, body| {
                let url = format!("https://graph.facebook.com/v23.0/{}/request_code", e.phone_number_id);
                let body_out = format!(r#"{{"code_method":"SMS","language":"{}"}}"#, e.language);
                (url, bearer("EAAGtest"), body_out, typed_json(body))
            },
        },
    );
    let certificate = "AbCdEFGHiJK123456";
    measure_case(
        plan,
        Case {
            endpoint: vonage::CreateDeployment {
                phone_number: "+44 7700 900000".into(),
                country: None,
                vname_certificate: certificate.into(),
                method: DeliveryMethod::Sms,
                waba_id: "123456789123".into(),
                pin: Some(Secret::from("123456")),
            },
            params: json!({"phone_number": "+44 7700 900000", "vname_certificate": certificate, "method": "sms",
                "waba_id": "123456789123", "pin": "123456"}),
            config: Config::new("eyJhbGciOi.eyJhcHBsaW.c2ln"),
            config_json: json!({"access_token": "eyJhbGciOi.eyJhcHBsaW.c2ln"}),
            answer: answer(
                202,
                r#"{"deployment_id":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","waba_id":"123456789123","country_code":"44","number":"7700900000","api_key":"abcd1234","current_state":{"title":"INITIALIZING","detail":"Initializing deployment"}}"#,
            ),
            by_hand: |e, body| {
                let url = "https://api.nexmo.com/v0.1/whatsapp-manager/deployments".to_owned();
                let body_out = format!(
                    r#"{{"country_code":"44","number":"7700900000","vname_certificate":"{}","method":"sms","waba_id":"{}","pin":"123456"}}"#,
                    e.vname_certificate, e.waba_id
                );
                (url, bearer("eyJhbGciOi.eyJhcHBsaW.c2ln"), body_out, typed_json(body))
            },
        },
    );
    measure_case(
        plan,
        Case {
            endpoint: digital99::RegisterNumber {
                phone_number: "+972-50-123-4567".into(),
                country: None,
                method: DeliveryMethod::Sms,
                language: "1".into(),
                comment: None,
            },
            params: json!({"phone_number": "+972-50-123-4567", "method": "sms", "language": "1"}),
            config: Config::new("d99-access-token-0123456789"),
            config_json: json!({"access_token": "d99-access-token-0123456789"}),
            answer: answer(200, r#"{"status":"OK","whatsapp":"972501234567","reason":1}"#),
            by_hand: |e, body| {
                let url = "https://partners.99digital.co.il/api/whatsapp/registerNumber".to_owned();
                let body_out = format!(r#"{{"whatsapp":"972501234567","method":1,"language":"{}"}}"#, e.language);
                (url, bearer("d99-access-token-0123456789"), body_out, typed_json(body))
            },
        },
    );
}

fn measure_case<E: Endpoint>(plan: &Plan, case: Case<E>) {
    let op = E::OPERATION.as_str();
    let answer = &case.answer;
    // The three paths must agree before they are timed against each other.
    let typed_result = serde_json::to_value(E::parse(answer).unwrap()).unwrap();
    let by_hand_result = serde_json::to_value((case.by_hand)(&case.endpoint, &answer.body).3).unwrap();
    assert_eq!(typed_result, by_hand_result);
    let json_result = waonboard::parse(op, answer.status, &answer.headers, &answer.body).unwrap();
    assert_eq!(without_nulls(typed_result), json_result);
    assert_eq!(
        case.endpoint.prepare(&case.config).unwrap(),
        waonboard::prepare(op, &case.params, &case.config_json).unwrap()
    );

    let mut typed = || {
        let request = black_box(&case.endpoint).prepare(black_box(&case.config)).unwrap();
        black_box(request);
        black_box(E::parse(black_box(answer)).unwrap());
    };
    let mut by_id = || {
        let request = waonboard::prepare(black_box(op), black_box(&case.params), black_box(&case.config_json));
        black_box(request.unwrap());
        black_box(waonboard::parse(op, answer.status, &answer.headers, black_box(&answer.body)).unwrap());
    };
    let mut by_hand = || {
        black_box((case.by_hand)(black_box(&case.endpoint), black_box(&answer.body)));
    };
    let [typed, by_id, baseline] = per_iteration(plan, [&mut typed, &mut by_id, &mut by_hand]);
    let of_baseline = format!("`format!` + `serde_json::from_slice` {}", micros(median(&mut baseline.clone())));
    row(&format!("Rust `prepare`+`parse`, `{op}`, typed"), &typed, &baseline, &of_baseline, "≤ 2 µs");
    row(&format!("Rust `prepare`+`parse`, `{op}`, by id over JSON"), &by_id, &baseline, &of_baseline, "≤ 2 µs");
}

/// The mean time of one run of each of `runs`, per batch; the runs take turns batch by
/// batch, each starting first in turn.
fn per_iteration<const N: usize>(plan: &Plan, mut runs: [&mut dyn FnMut(); N]) -> [Vec<Duration>; N] {
    for run in runs.iter_mut() {
        for _ in 0..plan.iterations / 10 {
            run();
        }
    }
    let mut out: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::new());
    for batch in 0..plan.batches * 3 {
        for k in 0..N {
            let i = (k + batch) % N;
            let start = Instant::now();
            for _ in 0..plan.iterations {
                (runs[i])();
            }
            out[i].push(start.elapsed() / u32::try_from(plan.iterations).unwrap());
        }
    }
    out
}

fn answer(status: u16, body: &str) -> HttpResponse {
    let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    HttpResponse { status, headers, body: body.as_bytes().to_vec() }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn typed_json<T: DeserializeOwned>(body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap()
}

/// The JSON results leave absent fields out; a serialised typed result writes them null.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect()
        }
        other => other,
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn micros(time: Duration) -> String {
    let us = time.as_secs_f64() * 1e6;
    if us < 10.0 {
        format!("{us:.2} µs")
    } else {
        format!("{us:.0} µs")
    }
}

/// `| figure | measured | baseline | ratio (+ difference), target |`: the ratio and the
/// difference are the medians of the batches'.
fn row(figure: &str, measured: &[Duration], baseline: &[Duration], of_baseline: &str, target: &str) {
    let per_batch = |f: fn(f64, f64) -> f64| {
        let mut all: Vec<f64> =
            measured.iter().zip(baseline).map(|(m, b)| f(m.as_secs_f64(), b.as_secs_f64())).collect();
        all.sort_by(f64::total_cmp);
        all[all.len() / 2]
    };
    let ratio = per_batch(|m, b| m / b);
    let extra = per_batch(|m, b| (m - b) * 1e6);
    let measured = micros(median(&mut measured.to_vec()));
    println!("| {figure} | {measured} | {of_baseline} | {ratio:.2}× ({extra:+.2} µs), target {target} |");
}
