//! `waonboard call <op-id>`: one operation for scripts, result or error as JSON.

use std::path::PathBuf;

use clap::Args;
use serde_json::{Map, Value};
use waonboard::client::ReqwestTransport;
use waonboard::{Error, ErrorKind, Operation, Provider, Secret};

use crate::failure::{usage, with_hint, Failure};
use crate::ops;
use crate::secrets::{env_vars, Secrets, SECRET_PARAMS};
use crate::settings::{build_client, with_base_url_source, AccountArgs, ConnectionArgs, GuardFile};

/// The arguments of `call` (and of the per-provider shorthands).
#[derive(Args, Debug)]
pub struct CallArgs {
    /// The operation id, e.g. meta.request_code; left out, the operations and their
    /// parameters are listed (`waonboard meta` lists Meta's).
    #[arg(value_name = "OP")]
    pub op: Option<String>,
    /// The parameters as a JSON object. Secrets (code, pin, client_secret, access_token)
    /// are refused here: they come from WAONBOARD_* variables or --secrets-file.
    #[arg(long, value_name = "JSON", conflicts_with = "params_file")]
    params: Option<String>,
    /// The parameters from a JSON file (the same rules as --params).
    #[arg(long, value_name = "FILE")]
    params_file: Option<PathBuf>,
    #[command(flatten)]
    connection: ConnectionArgs,
    #[command(flatten)]
    account: AccountArgs,
}

/// Operations whose `code` parameter comes from WAONBOARD_CODE / the secrets file.
const CODE_OPS: [Operation; 4] = [
    Operation::MetaVerifyCode,
    Operation::MetaVerifyPreverifiedCode,
    Operation::VonageVerifyOtp,
    Operation::Digital99VerifyNumber,
];
/// Operations whose `pin` parameter comes from WAONBOARD_PIN / the secrets file.
const PIN_OPS: [Operation; 3] =
    [Operation::MetaRegister, Operation::MetaSetTwoStepPin, Operation::VonageCreateDeployment];

/// Runs one operation; `group` is the provider prefix of the shorthands (`meta` in
/// `waonboard meta request_code`).
pub async fn run_call(args: CallArgs, op: &str, group: Option<&str>) -> Result<Value, Failure> {
    let id = match group {
        Some(group) if !op.starts_with(&format!("{group}.")) => format!("{group}.{op}"),
        _ => op.to_owned(),
    };
    let op = ops::parse(&id)?;
    let provider = op.provider();
    let mut params = read_params(&args, provider)?;
    let secrets = Secrets::load(args.account.secrets_file.as_deref(), provider)?;
    merge_secret(&mut params, op, &CODE_OPS, "code", secrets.code.as_ref());
    merge_secret(&mut params, op, &PIN_OPS, "pin", secrets.pin.as_ref());
    let token_request = op == Operation::Digital99AccessToken;
    if token_request {
        merge_secret(&mut params, op, &[op], "client_secret", secrets.client_secret.as_ref());
        if let Some(client_id) = &secrets.client_id {
            params.entry("client_id").or_insert_with(|| Value::String(client_id.clone()));
        }
    }
    let mut guard = GuardFile::open(&args.account, true)?;
    let config = args.connection.config(provider)?;
    let (base_url, base_url_source) = (config.base_url.clone(), args.connection.base_url_source(provider));
    let client = build_client(ReqwestTransport::new()?, provider, config, &secrets, token_request)?
        .with_guard_state(guard.state());
    let outcome = client.call(op.as_str(), &Value::Object(params)).await;
    if let Err(failure) = guard.save(client.guard_state()) {
        // The call itself is over and its outcome must still reach the script.
        eprintln!("warning: {}", failure.describe());
    }
    outcome.map_err(|e| {
        let e = with_secret_hint(e, provider);
        Failure::Api(with_base_url_source(e, provider, base_url.as_deref(), &base_url_source))
    })
}

fn read_params(args: &CallArgs, provider: Provider) -> Result<Map<String, Value>, Failure> {
    let (flag, text) = match (&args.params, &args.params_file) {
        (Some(json), _) => ("params", json.clone()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| usage("params_file", format!("{} could not be read: {e}", path.display())))?;
            ("params_file", text)
        }
        (None, None) => return Ok(Map::new()),
    };
    // serde_json's syntax errors name a line and column, never the text itself.
    let value: Value = serde_json::from_str(&text).map_err(|e| usage(flag, format!("is not JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(usage(flag, "must be a JSON object"));
    };
    if let Some(key) = SECRET_PARAMS.iter().find(|key| map.contains_key(**key)) {
        // Refused before anything is sent: argv shows in `ps` and shell history.
        return Err(usage(
            key,
            format!(
                "must not be given in --{}: set {} or put `{key}` in --secrets-file",
                flag.replace('_', "-"),
                env_vars(key, provider)[0]
            ),
        ));
    }
    Ok(map)
}

fn merge_secret(params: &mut Map<String, Value>, op: Operation, ops: &[Operation], key: &str, value: Option<&Secret>) {
    if let (true, Some(value)) = (ops.contains(&op), value) {
        params.insert(key.to_owned(), Value::String(value.expose().to_owned()));
    }
}

/// A missing code or PIN is reported by the library as a bare `validation` error; say
/// where the CLI takes it from.
fn with_secret_hint(error: Error, provider: Provider) -> Error {
    let field = error.field().unwrap_or_default();
    let missing = error.kind() == ErrorKind::Validation
        && ["code", "pin", "client_secret", "client_id"].contains(&field)
        && error.message().ends_with("is required");
    if !missing {
        return error;
    }
    let hint = format!("set {} or put `{field}` in --secrets-file", env_vars(field, provider)[0]);
    with_hint(error, &hint)
}
