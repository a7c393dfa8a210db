//! The flags every provider-talking command shares: where to send, which account, and
//! where the guard state lives between runs.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;
use waonboard::client::{Client, Digital99Credentials, GuardState, Transport};
use waonboard::{Config, Error, Operation, Provider};

use crate::failure::{usage, with_hint, Failure};
use crate::journal::{beside, lock_beside, replay, write_atomically, Journal};
use crate::secrets::{env_vars, provider_var, Secrets, SECRET_PARAMS};

/// Where requests go.
#[derive(Args, Debug, Clone, Default)]
pub struct ConnectionArgs {
    /// Send to this base URL instead of the provider's (https://…, or http:// on loopback,
    /// e.g. a `waonboard sandbox` URL such as http://127.0.0.1:PORT/meta) [env:
    /// WAONBOARD_<PROVIDER>_BASE_URL, then WAONBOARD_BASE_URL].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Meta's Graph API version, e.g. v23.0.
    #[arg(long, value_name = "VERSION")]
    pub api_version: Option<String>,
    /// A JSON file of non-secret settings: base_url, api_version, verify_number_path
    /// (the flags above override it).
    #[arg(long, value_name = "FILE")]
    pub provider_config: Option<PathBuf>,
}

/// The non-secret keys a provider config file may hold.
const CONFIG_KEYS: [&str; 3] = ["base_url", "api_version", "verify_number_path"];

/// The shared base URL variable, for whoever points every provider at one place.
const SHARED_BASE_URL_VAR: &str = "WAONBOARD_BASE_URL";

impl ConnectionArgs {
    /// The library config for `provider` from the flags, else the file, else the
    /// environment (`WAONBOARD_META_BASE_URL`, …, then `WAONBOARD_BASE_URL`), without
    /// credentials: what is named on the command line wins over the ambient environment.
    pub fn config(&self, provider: Provider) -> Result<Config, Failure> {
        let mut config = match &self.provider_config {
            Some(path) => read_provider_config(path)?,
            None => Config::default(),
        };
        if self.base_url.is_some() {
            config.base_url.clone_from(&self.base_url);
        }
        if config.base_url.is_none() {
            config.base_url = base_url_vars(provider).into_iter().find_map(|(_, value)| value);
        }
        if self.api_version.is_some() {
            config.api_version.clone_from(&self.api_version);
        }
        Ok(config)
    }

    /// Where the base URL of [`ConnectionArgs::config`] came from, for messages.
    pub fn base_url_source(&self, provider: Provider) -> String {
        if self.base_url.is_some() {
            return "--base-url".to_owned();
        }
        if let Some(path) = &self.provider_config {
            if read_provider_config(path).is_ok_and(|config| config.base_url.is_some()) {
                return format!("--provider-config {}", path.display());
            }
        }
        base_url_vars(provider)
            .into_iter()
            .find_map(|(var, value)| value.map(|_| var))
            .unwrap_or_else(|| "the provider's default".to_owned())
    }

    /// Whether any flag names a destination, which `--sandbox` would contradict.
    pub fn is_set(&self) -> bool {
        self.base_url.is_some() || self.api_version.is_some() || self.provider_config.is_some()
    }
}

/// The base URL variables for `provider`, most specific first, with their non-empty values.
fn base_url_vars(provider: Provider) -> [(String, Option<String>); 2] {
    [format!("WAONBOARD_{}_BASE_URL", provider_var(provider)), SHARED_BASE_URL_VAR.to_owned()].map(|var| {
        let value = std::env::var(&var).ok().filter(|v| !v.is_empty());
        (var, value)
    })
}

/// Where a doubtful base URL came from, after the core's hint on a 404 from it (see
/// [`Config::base_url_hint`]) or its refusal of the URL. `source` is
/// [`ConnectionArgs::base_url_source`].
pub fn with_base_url_source(error: Error, provider: Provider, base_url: Option<&str>, source: &str) -> Error {
    let Some(base_url) = base_url else { return error };
    let refused = error.field() == Some("base_url");
    let hinted =
        error.http_status() == Some(404) && Config::default().with_base_url(base_url).base_url_hint(provider).is_some();
    if refused || hinted {
        with_hint(error, &format!("the base URL came from {source}"))
    } else {
        error
    }
}

fn read_provider_config(path: &Path) -> Result<Config, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage("provider_config", format!("{} could not be read: {e}", path.display())))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| usage("provider_config", format!("is not JSON: {e}")))?;
    let Some(map) = value.as_object() else {
        return Err(usage("provider_config", "must be a JSON object"));
    };
    for key in map.keys() {
        if SECRET_PARAMS.contains(&key.as_str()) || key == "client_id" {
            return Err(usage(
                "provider_config",
                format!("must not hold `{key}`: secrets come from WAONBOARD_* variables or --secrets-file"),
            ));
        }
        if !CONFIG_KEYS.contains(&key.as_str()) {
            // The library ignores unknown keys; a typo in a file must not pass unnoticed.
            return Err(usage(
                "provider_config",
                format!("has an unknown key `{key}` (known: {})", CONFIG_KEYS.join(", ")),
            ));
        }
    }
    Ok(Config::from_json(&value)?)
}

/// A client for `provider` with the credentials at hand: for 99digital a client ID and
/// secret are preferred (the client then fetches and renews tokens itself, whereas
/// a shared `WAONBOARD_ACCESS_TOKEN` may well be another provider's); otherwise the
/// access token.
/// `token_optional` is for `digital99.access_token`, which sends none.
pub fn build_client<T: Transport>(
    transport: T,
    provider: Provider,
    config: Config,
    secrets: &Secrets,
    token_optional: bool,
) -> Result<Client<T>, Failure> {
    if let (Provider::Digital99, Some(client_id), Some(client_secret)) =
        (provider, &secrets.client_id, &secrets.client_secret)
    {
        let credentials = Digital99Credentials::new(client_id.clone(), client_secret.clone());
        return Ok(Client::digital99(transport, config, credentials));
    }
    match &secrets.access_token {
        Some(token) => Ok(Client::new(transport, config.with_access_token(token.clone()))),
        None if token_optional => Ok(Client::new(transport, config)),
        None => {
            let mut variables = env_vars("access_token", provider);
            if provider == Provider::Digital99 {
                variables.push(format!(
                    "{} with {}",
                    env_vars("client_id", provider)[0],
                    env_vars("client_secret", provider)[0]
                ));
            }
            Err(usage(
                "access_token",
                format!("is required: set {}, or put it in --secrets-file", variables.join(" or ")),
            ))
        }
    }
}

/// Whose credentials, and the guard state that keeps them within provider limits.
#[derive(Args, Debug, Clone, Default)]
pub struct AccountArgs {
    /// A JSON object with any of access_token, client_id, client_secret, code, pin; each
    /// key overrides its environment variables (WAONBOARD_META_TOKEN, …).
    #[arg(long, value_name = "FILE")]
    pub secrets_file: Option<PathBuf>,
    /// Where the guard state persists between runs [default: waonboard/guards.json in the
    /// user's state directory: $XDG_STATE_HOME or ~/.local/state on Linux, the local
    /// application data directory on macOS and Windows].
    #[arg(long, value_name = "FILE", conflicts_with = "no_guard_state")]
    pub guard_state: Option<PathBuf>,
    /// Keep the guard state for this run only.
    #[arg(long)]
    pub no_guard_state: bool,
}

/// The guard state file: read before a run, written back when the run changed it. The run
/// holds an exclusive lock on a sibling `.lock` file from before reading to exit, so that
/// two runs on one file cannot both count from the same sends and overwrite each other's.
/// Between full writes, single entries are appended to a sibling `.journal` (see
/// [`GuardFile::record`]), which the next open folds in.
pub struct GuardFile {
    path: Option<PathBuf>,
    saved: GuardState,
    journal: Option<Journal>,
    _lock: Option<std::fs::File>,
}

impl GuardFile {
    /// Opens the file the flags name, or the default one when `use_default` (a sandbox
    /// run keeps its fake numbers out of the real file unless told otherwise).
    pub fn open(args: &AccountArgs, use_default: bool) -> Result<GuardFile, Failure> {
        let path = match (&args.guard_state, args.no_guard_state) {
            (_, true) => None,
            (Some(path), false) => Some(path.clone()),
            (None, false) if use_default => default_guard_path(),
            (None, false) => None,
        };
        match path {
            Some(path) => GuardFile::at(path),
            None => Ok(GuardFile { path: None, saved: GuardState::default(), journal: None, _lock: None }),
        }
    }

    /// The state in `path`, locked for this process; waits while another run holds it.
    fn at(path: PathBuf) -> Result<GuardFile, Failure> {
        let waiting = format!("waiting for another waonboard run to finish with the guard state {}", path.display());
        let lock = lock_beside(&path, &waiting)
            .map_err(|e| Failure::Local(format!("the guard state {} could not be locked: {e}", path.display())))?;
        let mut saved = read_guard_state(&path)?;
        let journal_path = beside(&path, ".journal");
        let records = replay(&journal_path).map_err(|e| usage("guard_state", e))?;
        let replayed = !records.is_empty();
        for record in records {
            let entry = (|| {
                let op: Operation = record["op"].as_str()?.parse().ok()?;
                let subject = record["subject"].as_str()?.to_owned();
                let sent = record["sent"].as_array()?.iter().map(Value::as_u64).collect::<Option<Vec<u64>>>()?;
                Some((op, subject, sent))
            })();
            let Some((op, subject, sent)) = entry else {
                return Err(usage(
                    "guard_state",
                    format!("{} holds a bad record; fix or remove it", journal_path.display()),
                ));
            };
            saved.sent.entry(op.as_str().to_owned()).or_default().insert(subject, sent);
        }
        let journal = Journal::open(journal_path).map_err(|e| {
            Failure::Local(format!("the guard state journal of {} could not be opened: {e}", path.display()))
        })?;
        let mut file =
            GuardFile { path: Some(path), saved: GuardState::default(), journal: Some(journal), _lock: Some(lock) };
        if replayed {
            file.save(saved)?;
        } else {
            file.saved = saved;
        }
        Ok(file)
    }

    /// The state to start the client with.
    pub fn state(&self) -> GuardState {
        self.saved.clone()
    }

    /// Writes `state` if it differs from what the file holds, and empties the journal.
    pub fn save(&mut self, state: GuardState) -> Result<(), Failure> {
        let Some(path) = &self.path else { return Ok(()) };
        if state == self.saved {
            return Ok(());
        }
        let json = serde_json::to_vec_pretty(&state)
            .map_err(|e| Failure::Local(format!("the guard state could not be serialised: {e}")))?;
        write_atomically(path, &json)
            .map_err(|e| Failure::Local(format!("the guard state could not be written to {}: {e}", path.display())))?;
        if let Some(journal) = &self.journal {
            journal.clear().map_err(|e| {
                Failure::Local(format!("the guard state journal of {} could not be emptied: {e}", path.display()))
            })?;
        }
        self.saved = state;
        Ok(())
    }

    /// Appends the sends of `op` for `subject` (one entry of the state) to the journal;
    /// the sequence number to sync through, or `None` without a file.
    pub fn record(&self, op: Operation, subject: &str, sent: &[u64]) -> Result<Option<u64>, Failure> {
        let Some(journal) = &self.journal else { return Ok(None) };
        let record = serde_json::json!({ "op": op.as_str(), "subject": subject, "sent": sent });
        journal.append(&record).map(Some).map_err(|e| {
            Failure::Local(format!("the guard state journal {} could not be written: {e}", journal.path().display()))
        })
    }

    /// Returns once the journal holds record `seq` on disk.
    pub fn sync_through(&self, seq: u64) -> Result<(), Failure> {
        let Some(journal) = &self.journal else { return Ok(()) };
        journal.sync_through(seq).map_err(|e| {
            Failure::Local(format!("the guard state journal {} could not be synced: {e}", journal.path().display()))
        })
    }
}

/// Linux has a state directory; macOS and Windows keep such files with local app data.
fn default_guard_path() -> Option<PathBuf> {
    let base = dirs::state_dir().or_else(dirs::data_local_dir);
    if base.is_none() {
        eprintln!("warning: this user has no state directory (is HOME set?): the guard state lasts for this run only");
    }
    base.map(|dir| dir.join("waonboard").join("guards.json"))
}

fn read_guard_state(path: &Path) -> Result<GuardState, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            // Starting over would forget sends the provider still counts: refuse instead.
            usage("guard_state", format!("{} is not a guard state file ({e}); fix or remove it", path.display()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(GuardState::default()),
        Err(e) => Err(usage("guard_state", format!("{} could not be read: {e}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_second_run_waits_for_the_first_and_counts_what_it_saved() {
        let dir = std::env::temp_dir().join(format!("waonboard-guard-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("guards.json");
        let mut first = GuardFile::at(path.clone()).unwrap();

        let (opened, waiting) = mpsc::channel();
        let second = std::thread::spawn(move || {
            let second = GuardFile::at(path).unwrap();
            opened.send(()).unwrap();
            second.state()
        });
        assert!(waiting.recv_timeout(Duration::from_millis(300)).is_err(), "the second run read the file unlocked");

        let mut sent = GuardState::default();
        sent.sent.entry("meta.register".into()).or_default().insert("106540352242922".into(), vec![5]);
        first.save(sent.clone()).unwrap();
        drop(first);
        assert_eq!(second.join().unwrap(), sent, "the second run starts from the first run's sends");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
