//! `waonboard bulk`: many onboardings at once, resumable.
//!
//! Every step is saved to the state (see [`crate::store`]) before the next one starts, and
//! every write's intent before the write leaves, so a run that is killed resumes where it
//! stopped and settles what was in flight with the provider instead of sending it again;
//! a number that waits for its SMS code stops cleanly and a later run with `--codes`
//! carries it on.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use clap::Args;
use serde_json::{json, Value};
use waonboard::client::{
    Client, Digital99Onboarding, MetaOnboarding, Needs, Onboarding, PollPolicy, ReqwestTransport, VonageOnboarding,
};
use waonboard::{DeliveryMethod, PhoneNumber, Provider, Secret};
use waonboard_sim::SimConfig;

use crate::drive::{drive, step_name, CodeSource, Inputs, Outcome};
use crate::failure::{error_json, usage, Failure, AWAITING_INPUT, LOCAL_FAILURE};
use crate::journal::write_atomically;
use crate::recorder::Recorder;
use crate::sandbox::{Sandbox, SANDBOX_PIN, VONAGE_STEP};
use crate::secrets::Secrets;
use crate::settings::{build_client, with_base_url_source, AccountArgs, ConnectionArgs, GuardFile};
use crate::store::{Entry, StateStore};

/// `waonboard bulk`.
#[derive(Args, Debug)]
pub struct BulkArgs {
    /// meta, vonage or digital99.
    #[arg(long, value_parser = crate::parse_provider)]
    provider: Provider,
    /// The numbers, as CSV with a header row (columns per provider: below).
    #[arg(long, value_name = "CSV")]
    input: PathBuf,
    /// Where each number's progress is kept; created if missing, resumed if present.
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// How many numbers are onboarded at the same time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Also write the summary as JSON to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// One-time codes as CSV with the header `key,code` (key as in the report).
    #[arg(long, value_name = "CSV", conflicts_with_all = ["sandbox", "sandbox_url"])]
    codes: Option<PathBuf>,
    /// Request the code again for numbers whose code request's outcome is unknown (a run
    /// was killed or an answer lost) and that have no code in --codes: do this once no code
    /// came. Without it they wait for their code.
    #[arg(long)]
    resend_unconfirmed: bool,
    /// Start the simulator in this process and read each code from it: the whole run
    /// completes by itself.
    #[arg(long, conflicts_with = "sandbox_url")]
    sandbox: bool,
    /// Like --sandbox, with a simulator already running (`waonboard sandbox`), so that
    /// a stopped run can be resumed against the same simulated state.
    #[arg(long, value_name = "URL")]
    sandbox_url: Option<String>,
    #[command(flatten)]
    connection: ConnectionArgs,
    #[command(flatten)]
    account: AccountArgs,
}

/// The CSV columns of each provider, for `--help`.
pub const INPUT_HELP: &str = "Input CSV (header row required, columns in any order; [optional, default]):
  meta       phone_number_id [language en_US] [code_method sms]
  vonage     phone_number waba_id vname_certificate [method sms] [country]
  digital99  phone_number [language 1] [method sms] [country]
`country` (e.g. GB) reads numbers written without + as national. Each number's key in
the state file, the report and --codes is its phone_number_id (Meta) or its E.164 form
(+447700900000). Codes come from --codes or, in the sandbox, from the simulator; Meta's
PIN (and Vonage's, if the number has one) from WAONBOARD_PIN or --secrets-file. The
sandbox knows only its seeded Meta numbers (`waonboard sandbox` lists them); Vonage and
99digital numbers may be any.

Exit codes: 0 every number done; 7 none failed but some wait for a code or PIN;
1 some failed (the report says why) or the state file could not be written;
2 bad flags or input (nothing sent).";

/// One line of the input.
struct Row {
    key: String,
    flow: Onboarding,
}

/// A number's result in this run.
struct Finished {
    index: usize,
    key: String,
    outcome: Outcome,
    /// Done before this run started.
    already_done: bool,
    /// Waits for a code whose request's outcome is unknown.
    code_unconfirmed: bool,
    step: String,
}

/// Everything the workers share.
struct Run {
    client: Client<Recorder<ReqwestTransport>>,
    provider: Provider,
    /// The configured base URL and where it came from.
    base_url: Option<(String, String)>,
    inputs: Inputs,
    queue: Mutex<VecDeque<(usize, Row)>>,
    store: StateStore,
    guard: GuardFile,
    progress: Progress,
    /// Set when the state can no longer be saved: no new number is started.
    stopped: AtomicBool,
    finished: Mutex<Vec<Finished>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update is a whole assignment: a panic elsewhere leaves the data sound.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub async fn run_bulk(args: BulkArgs) -> Result<ExitCode, Failure> {
    let provider = args.provider;
    let sandboxed = args.sandbox || args.sandbox_url.is_some();
    if sandboxed && args.connection.is_set() {
        return Err(usage(
            "sandbox",
            "sends to the simulator: leave out --base-url, --api-version and --provider-config",
        ));
    }
    let rows = read_input(&args.input, provider)?;
    let codes = match &args.codes {
        Some(path) => CodeSource::Table(read_codes(path, provider)?),
        None => CodeSource::Absent,
    };
    let secrets = Secrets::load(args.account.secrets_file.as_deref(), provider)?;
    // The state is locked before it is read, and the guard state too, always in this
    // order: a second run on the same files waits for this one, then reads what it left.
    let store = StateStore::open(&args.state, provider)?;
    let guard = GuardFile::open(&args.account, !sandboxed)?;
    let transport = Recorder::counting(ReqwestTransport::new()?);
    // The base URL and where it came from, for the hint on a 404 (none in the sandbox).
    let mut base_url = None;
    let (client, inputs) = if sandboxed {
        let sandbox = match &args.sandbox_url {
            Some(url) => Sandbox::connect(url).await?,
            None => Sandbox::start(SimConfig { vonage_step: VONAGE_STEP, ..SimConfig::default() }).await?,
        };
        let mut poll = PollPolicy::default();
        (poll.initial_interval_ms, poll.max_interval_ms, poll.timeout_ms) = (50, 200, 30_000);
        let client = sandbox.client(transport, provider).with_poll(poll);
        // Only Meta's flow needs a PIN; given to Vonage it would set one on the number.
        let sandbox_pin = (provider == Provider::Meta).then(|| Secret::from(SANDBOX_PIN));
        let pin = secrets.pin.clone().or(sandbox_pin);
        (client, Inputs { codes: CodeSource::Sandbox(sandbox), pin, resend_unconfirmed: true })
    } else {
        let config = args.connection.config(provider)?;
        base_url = config.base_url.clone().map(|url| (url, args.connection.base_url_source(provider)));
        let client = build_client(transport, provider, config, &secrets, false)?;
        (client, Inputs { codes, pin: secrets.pin.clone(), resend_unconfirmed: args.resend_unconfirmed })
    };
    let total = rows.len();
    let run = Arc::new(Run {
        client: client.with_guard_state(guard.state()),
        provider,
        base_url,
        inputs,
        queue: Mutex::new(rows.into_iter().enumerate().collect()),
        store,
        guard,
        progress: Progress::new(total),
        stopped: AtomicBool::new(false),
        finished: Mutex::new(Vec::new()),
    });
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..usize::from(args.concurrency).min(total) {
        workers.spawn(work(run.clone()));
    }
    while let Some(joined) = workers.join_next().await {
        joined.map_err(|e| Failure::Local(format!("a worker stopped unexpectedly: {e}")))?;
    }
    run.progress.finish();
    let Some(run) = Arc::into_inner(run) else {
        return Err(Failure::Local("a worker outlived the run".to_owned()));
    };
    let requests_sent = run.client.transport().count();
    run.store.compact()?;
    let mut guard = run.guard;
    guard.save(run.client.guard_state())?;
    let mut finished = run.finished.into_inner().unwrap_or_else(PoisonError::into_inner);
    finished.sort_by_key(|f| f.index);
    let report = report(provider, &finished, requests_sent);
    out!("{}", summary(&report));
    if let Some(path) = &args.report {
        let json = serde_json::to_vec_pretty(&report).unwrap_or_default();
        write_atomically(path, &json)
            .map_err(|e| Failure::Local(format!("the report could not be written to {}: {e}", path.display())))?;
    }
    if let CodeSource::Sandbox(sandbox) = run.inputs.codes {
        sandbox.shutdown().await;
    }
    let count = |name: &str| finished.iter().filter(|f| f.outcome.name() == name).count();
    Ok(ExitCode::from(if count("failed") + count("stopped") > 0 {
        LOCAL_FAILURE
    } else if count("awaiting_code") + count("awaiting_pin") > 0 {
        AWAITING_INPUT
    } else {
        0
    }))
}

/// Takes numbers off the queue until it is empty or the run stopped.
async fn work(run: Arc<Run>) {
    while !run.stopped.load(Ordering::Relaxed) {
        let Some((index, row)) = lock(&run.queue).pop_front() else { break };
        let finished = onboard(&run, index, row).await;
        if matches!(finished.outcome, Outcome::Stopped(_)) {
            run.stopped.store(true, Ordering::Relaxed);
        }
        run.progress.count(&finished.outcome);
        lock(&run.finished).push(finished);
    }
}

/// Resumes the number's saved flow (or starts the input's) and drives it.
async fn onboard(run: &Run, index: usize, row: Row) -> Finished {
    let mut flow = run.store.flow(&row.key).unwrap_or(row.flow);
    let already_done = flow.needs() == Needs::Done;
    let checkpoint = |state: &Onboarding| save_intent(run, &row.key, state);
    let outcome = drive(&mut flow, &row.key, &run.client, &run.inputs, checkpoint, |step| {
        let entry = Entry { flow: step.flow.clone(), last_error: step.result.err().map(error_json) };
        run.store.save(&row.key, entry)
    })
    .await;
    let outcome = match (outcome, &run.base_url) {
        (Outcome::Failed(error), Some((url, source))) => {
            Outcome::Failed(with_base_url_source(error, run.provider, Some(url), source))
        }
        (outcome, _) => outcome,
    };
    let code_unconfirmed = flow.code_unconfirmed();
    Finished { index, step: step_name(&flow), key: row.key, outcome, already_done, code_unconfirmed }
}

/// Makes a write's intent durable before the write leaves: the flow marked pending and,
/// for a guarded write, the guard's count of it (already recorded by the client).
fn save_intent(run: &Run, key: &str, flow: &Onboarding) -> Result<(), Failure> {
    let guarded = flow.guard_subject().filter(|(op, _)| flow.pending() == Some(*op));
    let guard_seq = match guarded {
        Some((op, subject)) => run.guard.record(op, &subject, &run.client.guard_sends(op, &subject))?,
        None => None,
    };
    let entry = Entry { flow: flow.clone(), last_error: None };
    match guard_seq {
        Some(seq) => run.store.save_durably(key, entry, Some(&|| run.guard.sync_through(seq))),
        None => run.store.save_durably(key, entry, None),
    }
}

/// A CSV reader that wants a header row, trims cells, skips `#` comments and blank lines.
fn csv_reader(path: &Path, flag: &str) -> Result<csv::Reader<std::fs::File>, Failure> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| usage(flag, format!("{} could not be read: {e}", path.display())))
}

/// Column names → positions, after checking that every required one is there and
/// nothing unknown is (a typo must not drop a column silently).
fn columns(
    reader: &mut csv::Reader<std::fs::File>,
    flag: &str,
    required: &[&str],
    optional: &[&str],
) -> Result<HashMap<String, usize>, Failure> {
    let headers = reader.headers().map_err(|e| usage(flag, format!("has no readable header row: {e}")))?;
    let mut positions = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.to_ascii_lowercase();
        if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
            let known = required.iter().chain(optional).copied().collect::<Vec<_>>().join(", ");
            return Err(usage(flag, format!("has an unknown column `{name}` (known: {known})")));
        }
        positions.insert(name, i);
    }
    if let Some(missing) = required.iter().find(|c| !positions.contains_key(**c)) {
        return Err(usage(flag, format!("needs a `{missing}` column in its header row")));
    }
    Ok(positions)
}

fn read_input(path: &Path, provider: Provider) -> Result<Vec<Row>, Failure> {
    let (required, optional): (&[&str], &[&str]) = match provider {
        Provider::Meta => (&["phone_number_id"], &["language", "code_method"]),
        Provider::Vonage => (&["phone_number", "waba_id", "vname_certificate"], &["method", "country"]),
        Provider::Digital99 => (&["phone_number"], &["language", "method", "country"]),
    };
    let mut reader = csv_reader(path, "input")?;
    let positions = columns(&mut reader, "input", required, optional)?;
    let mut rows: Vec<Row> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| usage("input", e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |name: &str| positions.get(name).and_then(|i| record.get(*i)).filter(|v| !v.is_empty());
        let required_cell =
            |name: &str| cell(name).ok_or_else(|| usage("input", format!("line {line}: `{name}` is empty")));
        let method = |name: &str| {
            DeliveryMethod::parse(name, cell(name).unwrap_or("sms"))
                .map_err(|e| usage("input", format!("line {line}: {}", e.message())))
        };
        let country = cell("country").map(str::to_owned);
        let row = match provider {
            Provider::Meta => {
                let id = required_cell("phone_number_id")?;
                let flow = MetaOnboarding::new(id, method("code_method")?, cell("language").unwrap_or("en_US"));
                Row { key: id.to_owned(), flow: Onboarding::Meta(flow) }
            }
            Provider::Vonage => {
                let number = required_cell("phone_number")?;
                let mut flow = VonageOnboarding::new(
                    number,
                    required_cell("vname_certificate")?,
                    method("method")?,
                    required_cell("waba_id")?,
                );
                flow.country.clone_from(&country);
                Row { key: number_key(number, country.as_deref()), flow: Onboarding::Vonage(flow) }
            }
            Provider::Digital99 => {
                let number = required_cell("phone_number")?;
                let mut flow = Digital99Onboarding::new(number, method("method")?, cell("language").unwrap_or("1"));
                flow.country.clone_from(&country);
                Row { key: number_key(number, country.as_deref()), flow: Onboarding::Digital99(flow) }
            }
        };
        if let Some(first) = lines.insert(row.key.clone(), line) {
            return Err(usage("input", format!("line {line}: {} is also on line {first}", row.key)));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A phone number's key: its E.164 form, so that any way of writing it matches. A number
/// that does not parse keeps its text; its first step then fails with the reason.
fn number_key(number: &str, country: Option<&str>) -> String {
    PhoneNumber::parse(number, country).map_or_else(|_| number.to_owned(), |n| n.e164())
}

fn read_codes(path: &Path, provider: Provider) -> Result<HashMap<String, Secret>, Failure> {
    let mut reader = csv_reader(path, "codes")?;
    let positions = columns(&mut reader, "codes", &["key", "code"], &[])?;
    let mut codes = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| usage("codes", e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |name: &str| positions.get(name).and_then(|i| record.get(*i)).unwrap_or_default();
        let key = match provider {
            Provider::Meta => cell("key").to_owned(),
            Provider::Vonage | Provider::Digital99 => number_key(cell("key"), None),
        };
        if key.is_empty() || cell("code").is_empty() {
            return Err(usage("codes", format!("line {line}: both key and code are needed")));
        }
        if codes.insert(key.clone(), Secret::from(cell("code"))).is_some() {
            return Err(usage("codes", format!("line {line}: {key} has a second code")));
        }
    }
    Ok(codes)
}

/// The summary: counts per outcome, and why each failure failed.
fn report(provider: Provider, finished: &[Finished], requests_sent: u64) -> Value {
    let mut outcomes: BTreeMap<&str, usize> =
        ["done", "awaiting_code", "awaiting_pin", "failed", "stopped"].into_iter().map(|name| (name, 0)).collect();
    for f in finished {
        *outcomes.entry(f.outcome.name()).or_default() += 1;
    }
    let failures: Vec<Value> = finished
        .iter()
        .filter_map(|f| match &f.outcome {
            Outcome::Failed(e) => Some(json!({ "key": f.key, "step": f.step, "error": error_json(e) })),
            Outcome::Stopped(message) => Some(json!({ "key": f.key, "step": f.step, "error": {
                "kind": "local", "message": message,
            }})),
            _ => None,
        })
        .collect();
    let numbers: Vec<Value> = finished
        .iter()
        .map(|f| {
            let mut number = json!({ "key": f.key, "outcome": f.outcome.name(), "step": f.step });
            if f.code_unconfirmed {
                number["code_unconfirmed"] = Value::Bool(true);
            }
            number
        })
        .collect();
    let unconfirmed = finished.iter().filter(|f| f.code_unconfirmed).count();
    json!({
        "provider": provider.as_str(),
        "total": finished.len(),
        "outcomes": outcomes,
        "already_done": finished.iter().filter(|f| f.already_done).count(),
        "code_unconfirmed": unconfirmed,
        "requests_sent": requests_sent,
        "failures": failures,
        "numbers": numbers,
    })
}

/// The report in a few lines for people.
fn summary(report: &Value) -> String {
    let n = |key: &str| report["outcomes"][key].as_u64().unwrap_or(0);
    let mut text = format!(
        "{}: {} numbers: {} done ({} already before this run), {} awaiting a code, {} awaiting a PIN, {} failed; {} requests sent",
        report["provider"].as_str().unwrap_or_default(),
        report["total"],
        n("done"),
        report["already_done"],
        n("awaiting_code"),
        n("awaiting_pin"),
        n("failed") + n("stopped"),
        report["requests_sent"],
    );
    for failure in report["failures"].as_array().into_iter().flatten() {
        let error = &failure["error"];
        text.push_str(&format!(
            "\n  failed {} at {}: {}: {}",
            failure["key"].as_str().unwrap_or_default(),
            failure["step"].as_str().unwrap_or_default(),
            error["kind"].as_str().unwrap_or_default(),
            error["message"].as_str().unwrap_or_default(),
        ));
    }
    if n("awaiting_code") > 0 {
        text.push_str("\n  run again with --codes FILE (header key,code) once the codes have arrived");
    }
    if report["code_unconfirmed"].as_u64().unwrap_or(0) > 0 {
        text.push_str(&format!(
            "\n  {} of them may have no code coming (a code request's outcome was lost): if none arrives, \
             run again with --resend-unconfirmed",
            report["code_unconfirmed"]
        ));
    }
    if n("awaiting_pin") > 0 {
        text.push_str("\n  run again with WAONBOARD_PIN set (or pin in --secrets-file)");
    }
    text
}

/// numbers finished / total, on stderr: a redrawn bar on a terminal, a line per number
/// otherwise (logs).
struct Progress {
    total: usize,
    counts: Mutex<(usize, usize, usize)>,
    terminal: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let progress = Progress { total, counts: Mutex::new((0, 0, 0)), terminal: std::io::stderr().is_terminal() };
        if progress.terminal {
            progress.draw(0, 0, 0);
        }
        progress
    }

    fn count(&self, outcome: &Outcome) {
        let mut counts = lock(&self.counts);
        match outcome {
            Outcome::Done => counts.0 += 1,
            Outcome::AwaitingCode | Outcome::AwaitingPin => counts.1 += 1,
            Outcome::Failed(_) | Outcome::Stopped(_) => counts.2 += 1,
        }
        let (done, waiting, failed) = *counts;
        self.draw(done, waiting, failed);
    }

    fn draw(&self, done: usize, waiting: usize, failed: usize) {
        const WIDTH: usize = 30;
        let finished = done + waiting + failed;
        let filled = (finished * WIDTH).checked_div(self.total).unwrap_or(WIDTH);
        let line = format!(
            "[{}{}] {finished}/{} finished: {done} done, {waiting} waiting, {failed} failed",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            self.total
        );
        if self.terminal {
            eprint!("\r{line}\x1b[K");
        } else {
            eprintln!("{line}");
        }
    }

    fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}
