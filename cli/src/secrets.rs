//! Secrets come from the environment or a secrets file, never from the command line:
//! argv is visible to every user of the machine (`ps`) and lands in shell history.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use waonboard::{Provider, Secret};

use crate::failure::{usage, Failure};

/// The keys of a secrets file. Each also has environment variables: see [`env_vars`].
const KEYS: [&str; 5] = ["access_token", "client_id", "client_secret", "code", "pin"];

/// Parameter and config keys that hold secrets and so are refused from `--params` and
/// `--provider-config`.
pub const SECRET_PARAMS: [&str; 4] = ["code", "pin", "client_secret", "access_token"];

/// What the run may authenticate and verify with.
#[derive(Debug, Default)]
pub struct Secrets {
    /// The provider's bearer token (Meta system-user token, Vonage JWT, 99digital token).
    pub access_token: Option<Secret>,
    /// 99digital's client ID (not secret, but it travels with the secret).
    pub client_id: Option<String>,
    /// 99digital's client secret.
    pub client_secret: Option<Secret>,
    /// A one-time code.
    pub code: Option<Secret>,
    /// A two-step PIN.
    pub pin: Option<Secret>,
}

impl Secrets {
    /// Reads the environment for `provider`, then the file: a key in a file named on the
    /// command line wins over the ambient environment.
    pub fn load(file: Option<&Path>, provider: Provider) -> Result<Secrets, Failure> {
        let from_file = match file {
            Some(path) => read_file(path)?,
            None => BTreeMap::new(),
        };
        let get = |key: &str| from_file.get(key).cloned().or_else(|| env_secret(key, provider));
        Ok(Secrets {
            access_token: get("access_token").map(Secret::from),
            client_id: get("client_id"),
            client_secret: get("client_secret").map(Secret::from),
            code: get("code").map(Secret::from),
            pin: get("pin").map(Secret::from),
        })
    }
}

/// The environment variables of a secrets-file key for `provider`, the first set one
/// winning: the provider's own (`WAONBOARD_META_TOKEN`, `WAONBOARD_DIGITAL99_CLIENT_ID`),
/// so that one shell can hold all three providers' credentials, then the shared one
/// (`WAONBOARD_ACCESS_TOKEN`, `WAONBOARD_CLIENT_ID`). Codes and PINs have only the shared
/// one: they belong to the number at hand, not to an account.
pub fn env_vars(key: &str, provider: Provider) -> Vec<String> {
    let shared = format!("WAONBOARD_{}", key.to_ascii_uppercase());
    let own = match key {
        "access_token" => format!("WAONBOARD_{}_TOKEN", provider_var(provider)),
        "client_id" | "client_secret" if provider == Provider::Digital99 => {
            format!("WAONBOARD_DIGITAL99_{}", key.to_ascii_uppercase())
        }
        _ => return vec![shared],
    };
    vec![own, shared]
}

/// The provider's part of a variable name: META, VONAGE, DIGITAL99.
pub fn provider_var(provider: Provider) -> String {
    provider.as_str().to_ascii_uppercase()
}

fn env_secret(key: &str, provider: Provider) -> Option<String> {
    env_vars(key, provider).into_iter().find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
}

/// The file's non-empty values by key. Values are never quoted in messages: serde's
/// type errors would echo them, so the JSON is checked by hand.
fn read_file(path: &Path) -> Result<BTreeMap<String, String>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage("secrets_file", format!("{} could not be read: {e}", path.display())))?;
    warn_if_readable_by_others(path);
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| usage("secrets_file", format!("is not JSON (line {}, column {})", e.line(), e.column())))?;
    let Value::Object(map) = value else {
        return Err(usage("secrets_file", "must be a JSON object"));
    };
    let mut values = BTreeMap::new();
    for (key, value) in map {
        if !KEYS.contains(&key.as_str()) {
            return Err(usage("secrets_file", format!("has an unknown key `{key}` (known: {})", KEYS.join(", "))));
        }
        match value {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::String(s) => {
                values.insert(key, s);
            }
            _ => return Err(usage("secrets_file", format!("key `{key}` must be a string"))),
        }
    }
    Ok(values)
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            eprintln!("warning: {} is readable by other users; chmod 600 it", path.display());
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}
