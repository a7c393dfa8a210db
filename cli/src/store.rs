//! The bulk state: one writer at a time, one appended line per step, crash-safe.
//!
//! `state.json` is a snapshot (the provider and each number's flow and last error);
//! `state.json.journal` holds the steps since, one JSON line each, replayed over the
//! snapshot on open and folded into it (compaction) when a run opens or ends. A run
//! holds `state.json.lock` from before it reads the state until it exits, so a second
//! run on the same file waits, then reads what the first one left. A write's intent is
//! synced to disk before the write leaves; other steps are appended without a sync (a
//! killed process loses none of them, and a machine crash only steps that are redone).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use waonboard::client::Onboarding;
use waonboard::Provider;

use crate::failure::{usage, Failure};
use crate::journal::{beside, lock_beside, replay, write_atomically, Journal};

/// The snapshot: the provider, and each number's flow and last error.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    provider: String,
    numbers: BTreeMap<String, Entry>,
}

/// A number's saved progress.
#[derive(Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Its flow.
    pub flow: Onboarding,
    /// The error of the step that failed last, cleared once a step succeeds.
    #[serde(default)]
    pub last_error: Option<Value>,
}

/// The state of one bulk run, locked for this process.
pub struct StateStore {
    path: PathBuf,
    provider: Provider,
    numbers: Mutex<BTreeMap<String, Entry>>,
    journal: Journal,
    _lock: File,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn local(path: &Path, what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Local(format!("the state file {} could not be {what}: {e}", path.display()))
}

impl StateStore {
    /// Locks the state at `path` (waiting while another run holds it), reads the snapshot
    /// and the journal, and compacts them.
    pub fn open(path: &Path, provider: Provider) -> Result<StateStore, Failure> {
        let waiting = format!(
            "waiting: another waonboard bulk run holds the state file {}; it is read again once that run ends",
            path.display()
        );
        let lock = lock_beside(path, &waiting).map_err(|e| local(path, "locked", e))?;
        let mut snapshot = read_snapshot(path, provider)?;
        let journal_path = beside(path, ".journal");
        let records = replay(&journal_path).map_err(|e| usage("state", e))?;
        let replayed = !records.is_empty();
        for record in records {
            let key = record["key"].as_str().map(str::to_owned);
            let entry = serde_json::from_value::<Entry>(record);
            match (key, entry) {
                (Some(key), Ok(entry)) => {
                    snapshot.numbers.insert(key, entry);
                }
                (_, Err(e)) => {
                    return Err(usage("state", format!("{} holds a bad record: {e}", journal_path.display())))
                }
                (None, _) => {
                    return Err(usage("state", format!("{} holds a record without a key", journal_path.display())))
                }
            }
        }
        let journal = Journal::open(journal_path).map_err(|e| local(path, "opened", e))?;
        let store =
            StateStore { path: path.to_owned(), provider, numbers: Mutex::new(snapshot.numbers), journal, _lock: lock };
        if replayed {
            store.compact()?;
        }
        Ok(store)
    }

    /// The saved flow of `key`.
    pub fn flow(&self, key: &str) -> Option<Onboarding> {
        lock(&self.numbers).get(key).map(|entry| entry.flow.clone())
    }

    /// Saves a number's progress: one appended line, not synced (a killed process loses
    /// none of it; a machine crash at most steps that are redone).
    pub fn save(&self, key: &str, entry: Entry) -> Result<(), Failure> {
        self.append(key, entry).map(drop)
    }

    /// Saves a write's intent and returns once it is on disk, with `also` (another
    /// journal's sync, e.g. the guard's) run meanwhile on a thread of its own so that the
    /// two syncs overlap.
    pub fn save_durably(
        &self,
        key: &str,
        entry: Entry,
        also: Option<&(dyn Fn() -> Result<(), Failure> + Sync)>,
    ) -> Result<(), Failure> {
        let seq = self.append(key, entry)?;
        let sync = || self.journal.sync_through(seq).map_err(|e| local(&self.path, "synced", e));
        // A sync blocks: the runtime moves other tasks off this thread meanwhile.
        tokio::task::block_in_place(|| match also {
            None => sync(),
            Some(also) => std::thread::scope(|scope| {
                let other = scope.spawn(also);
                let ours = sync();
                let other = other.join().unwrap_or_else(|_| Err(Failure::Local("a sync thread failed".to_owned())));
                ours.and(other)
            }),
        })
    }

    fn append(&self, key: &str, entry: Entry) -> Result<u64, Failure> {
        let record = json!({ "key": key, "flow": entry.flow, "last_error": entry.last_error });
        let seq = self.journal.append(&record).map_err(|e| local(&self.path, "written", e))?;
        lock(&self.numbers).insert(key.to_owned(), entry);
        Ok(seq)
    }

    /// Folds the journal into the snapshot and empties it.
    pub fn compact(&self) -> Result<(), Failure> {
        let snapshot = Snapshot { provider: self.provider.as_str().to_owned(), numbers: lock(&self.numbers).clone() };
        let json = serde_json::to_vec_pretty(&snapshot).map_err(|e| local(&self.path, "serialised", e))?;
        write_atomically(&self.path, &json).map_err(|e| local(&self.path, "written", e))?;
        self.journal.clear().map_err(|e| local(self.journal.path(), "emptied", e))
    }
}

fn read_snapshot(path: &Path, provider: Provider) -> Result<Snapshot, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Snapshot { provider: provider.as_str().to_owned(), numbers: BTreeMap::new() });
        }
        Err(e) => return Err(usage("state", format!("{} could not be read: {e}", path.display()))),
    };
    let snapshot: Snapshot = serde_json::from_str(&text)
        .map_err(|e| usage("state", format!("{} is not a bulk state file: {e}", path.display())))?;
    if snapshot.provider != provider.as_str() {
        return Err(usage(
            "state",
            format!(
                "{} belongs to a {} run, not {}: use another state file",
                path.display(),
                snapshot.provider,
                provider.as_str()
            ),
        ));
    }
    Ok(snapshot)
}
