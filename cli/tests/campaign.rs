//! Exactly once across runs: `waonboard bulk` killed with SIGKILL at random points, and two
//! runs on one state file, against a simulator that carries each write out at once but
//! answers late (and sometimes loses the answer). The simulator's request log is the
//! judge: every number onboarded, no write sent twice for one number, no deployment left
//! behind, and the guard file counting every send the provider saw (see
//! [`assert_guard_covers`] for the one way it may count more).
//!
//! Kill times come from a seeded generator (`WAONBOARD_CAMPAIGN_SEED` to replay a run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use tokio::runtime::Runtime;
use waonboard_sim::{seed, Fault, FaultRule, Provider, SimConfig, Simulator};

/// Numbers per provider.
const NUMBERS: usize = 20;
/// Runs killed per provider before the runs that finish.
const KILLS: usize = 6;
/// Numbers a run onboards at once.
const CONCURRENCY: usize = 4;

struct Sim {
    sim: Simulator,
    _runtime: Runtime,
}

impl Sim {
    fn start() -> Sim {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let config = SimConfig { vonage_step: Duration::from_millis(30), ..SimConfig::default() };
        let sim = runtime.block_on(Simulator::start(config)).unwrap();
        Sim { sim, _runtime: runtime }
    }

    /// Every write is carried out at once and answered `ms` later.
    fn answer_writes_late(&self, ops: &[&str], ms: u64) {
        for op in ops {
            self.sim.inject(FaultRule::new(Fault::LateAnswer { ms }).op(op).always());
        }
    }

    fn sent(&self, op: &str) -> Vec<waonboard_sim::LoggedRequest> {
        self.sim.requests().into_iter().filter(|r| r.op.as_deref() == Some(op)).collect()
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("waonboard-campaign-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A small seeded generator (xorshift), so that a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("WAONBOARD_CAMPAIGN_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_CAFE);
        eprintln!("campaign seed {seed} (WAONBOARD_CAMPAIGN_SEED replays it)");
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn bulk(dir: &Path, sim: &Sim, provider: &str, state: &str, report: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waonboard"));
    for key in ["ACCESS_TOKEN", "CLIENT_ID", "CLIENT_SECRET", "CODE", "PIN"] {
        command.env_remove(format!("WAONBOARD_{key}"));
    }
    command.env("XDG_STATE_HOME", dir.join("xdg")).current_dir(dir);
    command.args(["bulk", "--provider", provider, "--input", "numbers.csv", "--state", state]);
    command.args(["--report", report, "--guard-state", "guards.json", "--concurrency", &CONCURRENCY.to_string()]);
    command.args(["--sandbox-url", &sim.sim.url()]);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

fn text(output: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn read_json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Kills `KILLS` runs at random moments, then runs until one finishes with every number
/// done; the final state's flows by key.
fn kill_then_finish(dir: &Path, sim: &Sim, provider: &str, rng: &mut Rng) -> BTreeMap<String, Value> {
    for _ in 0..KILLS {
        let mut child = bulk(dir, sim, provider, "state.json", "report.json").spawn().unwrap();
        std::thread::sleep(Duration::from_millis(80 + rng.below(700)));
        // SIGKILL: no chance to save anything on the way out. It may have finished already.
        let _ = child.kill();
        child.wait().unwrap();
    }
    let mut last = None;
    for _ in 0..4 {
        let output = bulk(dir, sim, provider, "state.json", "report.json").output().unwrap();
        let finished = output.status.code() == Some(0);
        last = Some(output);
        if finished {
            break;
        }
    }
    let last = last.unwrap();
    assert_eq!(last.status.code(), Some(0), "the runs never finished: {}", text(&last));
    let state = read_json(dir.join("state.json"));
    let numbers: BTreeMap<String, Value> =
        state["numbers"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v["flow"].clone())).collect();
    assert_eq!(numbers.len(), NUMBERS);
    for (key, flow) in &numbers {
        assert_eq!(flow["step"], "done", "{key}: {flow}");
        assert!(flow.get("pending").is_none(), "{key}: {flow}");
    }
    let journal = std::fs::metadata(dir.join("state.json.journal")).unwrap();
    assert_eq!(journal.len(), 0, "the journal was folded into the snapshot");
    numbers
}

/// Checks the guard file's counts against the sends the provider saw, per number. A guard
/// counts a write before its intent is synced, and the request leaves only after that sync
/// (a few ms): a run killed in between leaves a count for a request that never left, and
/// the resumed run, finding no trace of it at the provider, sends it once. So a count may
/// exceed the sends by at most the writes in flight when a run was killed (concurrency per
/// kill), never fall short of them: the guard errs on the side of the provider's limit.
fn assert_guard_covers(counted: &BTreeMap<String, usize>, sent: &BTreeMap<String, usize>) {
    assert_eq!(counted.keys().collect::<Vec<_>>(), sent.keys().collect::<Vec<_>>(), "{counted:?} vs {sent:?}");
    for (number, n) in sent {
        assert!(counted[number] >= *n, "{number}: the guard counted {} of {n} sends", counted[number]);
    }
    let excess = counted.values().sum::<usize>() - sent.values().sum::<usize>();
    assert!(excess <= KILLS * CONCURRENCY, "{excess} counts for sends that never left: {counted:?}");
    eprintln!("guard: {excess} counts for requests a killed run never sent");
}

/// The guard file's count per number for `op`.
fn guard_counts(dir: &Path, op: &str) -> BTreeMap<String, usize> {
    let guards = read_json(dir.join("guards.json"));
    guards["sent"][op].as_object().map_or_else(BTreeMap::new, |numbers| {
        numbers.iter().map(|(number, times)| (number.clone(), times.as_array().unwrap().len())).collect()
    })
}

fn mode(path: PathBuf) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions()) & 0o777
}

#[test]
fn digital99_numbers_survive_kill_9_without_a_second_code_request() {
    let dir = scratch("digital99");
    let sim = Sim::start();
    // Answers lost after the work was done: the flows must settle them from the lists.
    sim.sim.inject(FaultRule::new(Fault::Reset).op("digital99.register_number").process(true).times(2));
    let held = Fault::Timeout { seconds: 1 };
    sim.sim.inject(FaultRule::new(held).op("digital99.register_number").process(true).times(1));
    sim.sim.inject(FaultRule::new(Fault::TruncatedJson).op("digital99.verify_number").times(2));
    sim.answer_writes_late(&["digital99.register_number", "digital99.verify_number"], 150);
    let numbers: Vec<String> = (0..NUMBERS).map(|i| format!("+97250{:07}", 7_100_000 + i)).collect();
    std::fs::write(dir.0.join("numbers.csv"), format!("phone_number\n{}\n", numbers.join("\n"))).unwrap();

    let state = kill_then_finish(&dir.0, &sim, "digital99", &mut Rng::from_env());
    assert_eq!(state.keys().cloned().collect::<Vec<_>>(), numbers);
    assert!(state.values().all(|flow| flow["expiration"].as_i64().is_some_and(|e| e > 0)), "{state:?}");

    // Each number needs one code request and one verify; as many arrived as numbers, so
    // none arrived twice for a number.
    assert_eq!(sim.sent("digital99.register_number").len(), NUMBERS, "a code request was sent twice");
    assert_eq!(sim.sent("digital99.verify_number").len(), NUMBERS, "a verify was sent twice");
    let sent: BTreeMap<String, usize> = numbers.iter().map(|n| (n.trim_start_matches('+').to_owned(), 1)).collect();
    assert_guard_covers(&guard_counts(&dir.0, "digital99.register_number"), &sent);
    for file in ["state.json", "state.json.journal", "state.json.lock", "guards.json", "report.json"] {
        assert_eq!(mode(dir.0.join(file)), 0o600, "{file}");
    }
}

#[test]
fn vonage_numbers_survive_kill_9_without_a_second_or_orphaned_deployment() {
    let dir = scratch("vonage");
    let sim = Sim::start();
    sim.sim.inject(FaultRule::new(Fault::TruncatedJson).op("vonage.create_deployment").times(2));
    let held = Fault::Timeout { seconds: 1 };
    sim.sim.inject(FaultRule::new(held).op("vonage.create_deployment").process(true).times(1));
    sim.sim.inject(FaultRule::new(Fault::Reset).op("vonage.verify_otp").process(true).times(2));
    sim.answer_writes_late(&["vonage.create_deployment", "vonage.verify_otp"], 150);
    let numbers: Vec<String> = (0..NUMBERS).map(|i| format!("+44770090{:04}", 2000 + i)).collect();
    let rows: Vec<String> = numbers.iter().map(|n| format!("{n},{},AbCdEFGHiJK123456", seed::VONAGE_WABA_ID)).collect();
    std::fs::write(dir.0.join("numbers.csv"), format!("phone_number,waba_id,vname_certificate\n{}\n", rows.join("\n")))
        .unwrap();

    let state = kill_then_finish(&dir.0, &sim, "vonage", &mut Rng::from_env());
    assert_eq!(sim.sent("vonage.create_deployment").len(), NUMBERS, "a deployment was created twice");
    let verified: Vec<String> = sim.sent("vonage.verify_otp").into_iter().map(|r| r.path).collect();
    assert_eq!(verified.iter().collect::<BTreeSet<_>>().len(), NUMBERS, "one verify per deployment: {verified:?}");
    assert_eq!(verified.len(), NUMBERS, "a code was verified twice");

    // Every deployment the provider holds for these numbers is the one its flow adopted.
    let adopted: BTreeSet<String> = state.values().map(|f| f["deployment_id"].as_str().unwrap().to_owned()).collect();
    let listed = Command::new(env!("CARGO_BIN_EXE_waonboard"))
        .args(["call", "vonage.list_deployments", "--params", "{}", "--no-guard-state"])
        .args(["--base-url", &sim.sim.base_url(Provider::Vonage)])
        .env("WAONBOARD_ACCESS_TOKEN", seed::VONAGE_TOKEN)
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let held: BTreeSet<String> = listed["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["deployment_id"] != seed::VONAGE_READY_DEPLOYMENT)
        .map(|d| d["deployment_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(held, adopted, "no deployment orphaned");
}

#[test]
fn meta_numbers_survive_kill_9_registering_each_once() {
    let dir = scratch("meta");
    let sim = Sim::start();
    let ids: Vec<String> =
        (0..NUMBERS).map(|i| sim.sim.add_meta_number("1", &format!("63155{:05}", 100 + i), "Campaign Shop")).collect();
    sim.sim.inject(FaultRule::new(Fault::Reset).op("meta.request_code").process(true).times(2));
    sim.sim.inject(FaultRule::new(Fault::TruncatedJson).op("meta.register").times(2));
    sim.answer_writes_late(&["meta.request_code", "meta.verify_code", "meta.register"], 150);
    std::fs::write(dir.0.join("numbers.csv"), format!("phone_number_id\n{}\n", ids.join("\n"))).unwrap();

    kill_then_finish(&dir.0, &sim, "meta", &mut Rng::from_env());
    let mut registers = BTreeMap::new();
    for op in ["request_code", "verify_code", "register"] {
        let mut per_number: BTreeMap<String, usize> = ids.iter().map(|id| (id.clone(), 0)).collect();
        for request in sim.sent(&format!("meta.{op}")) {
            let id = request.path.split('/').rev().nth(1).unwrap().to_owned();
            *per_number.get_mut(&id).unwrap() += 1;
        }
        assert!(per_number.values().all(|n| *n == 1), "{op} per number: {per_number:?}");
        registers = per_number;
    }
    assert_guard_covers(&guard_counts(&dir.0, "meta.register"), &registers);
}

#[test]
fn two_runs_on_one_state_file_take_turns() {
    let dir = scratch("two-runs");
    let sim = Sim::start();
    sim.answer_writes_late(&["digital99.register_number", "digital99.verify_number"], 60);
    let numbers: Vec<String> = (0..NUMBERS).map(|i| format!("+97250{:07}", 7_200_000 + i)).collect();
    std::fs::write(dir.0.join("numbers.csv"), format!("phone_number\n{}\n", numbers.join("\n"))).unwrap();

    let first = bulk(&dir.0, &sim, "digital99", "state.json", "first.json").spawn().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let second = bulk(&dir.0, &sim, "digital99", "state.json", "second.json").spawn().unwrap();
    let (first, second) = (first.wait_with_output().unwrap(), second.wait_with_output().unwrap());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    assert!(text(&second).contains("waiting: another waonboard bulk run holds the state file"), "{}", text(&second));

    let (first, second) = (read_json(dir.0.join("first.json")), read_json(dir.0.join("second.json")));
    assert_eq!((first["outcomes"]["done"].as_u64(), first["already_done"].as_u64()), (Some(20), Some(0)), "{first}");
    assert_eq!(second["already_done"].as_u64(), Some(NUMBERS as u64), "the second run read the first's: {second}");
    assert_eq!(second["requests_sent"], 0);
    assert_eq!(sim.sent("digital99.register_number").len(), NUMBERS);
    assert_eq!(sim.sent("digital99.verify_number").len(), NUMBERS);
    let state = read_json(dir.0.join("state.json"));
    assert!(state["numbers"].as_object().unwrap().values().all(|e| e["flow"]["step"] == "done"), "{state}");
    // Nobody was killed: the guard counted exactly the sends.
    assert!(guard_counts(&dir.0, "digital99.register_number").values().all(|n| *n == 1));
    assert_eq!(guard_counts(&dir.0, "digital99.register_number").len(), NUMBERS);
}
