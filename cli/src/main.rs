//! `waonboard`: WhatsApp Business number onboarding from the command line. One
//! subcommand per provider operation for scripts (`call`), a local sandbox, a demo of
//! whole onboardings, and resumable bulk onboarding. See `cli/README.md`.

/// `println!` that ignores a closed stdout (`waonboard ops | head`) instead of panicking:
/// whoever closed it wants no more output.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod bulk;
mod call;
mod demo;
mod drive;
mod failure;
mod journal;
mod ops;
mod recorder;
mod sandbox;
mod secrets;
mod settings;
mod store;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use waonboard::Provider;

use crate::failure::Failure;

const AFTER_HELP: &str = "Secrets never come from the command line: each provider's access token from
WAONBOARD_META_TOKEN, WAONBOARD_VONAGE_TOKEN or WAONBOARD_DIGITAL99_TOKEN (else the shared
WAONBOARD_ACCESS_TOKEN), 99digital's credentials from WAONBOARD_DIGITAL99_CLIENT_ID and
WAONBOARD_DIGITAL99_CLIENT_SECRET (else WAONBOARD_CLIENT_ID and WAONBOARD_CLIENT_SECRET), a
one-time code from WAONBOARD_CODE, a PIN from WAONBOARD_PIN, or any of them from
--secrets-file.

The base URL comes from --base-url, else --provider-config, else WAONBOARD_META_BASE_URL,
WAONBOARD_VONAGE_BASE_URL or WAONBOARD_DIGITAL99_BASE_URL, else WAONBOARD_BASE_URL, else the
provider's own.

Exit codes: 0 success; 1 local trouble (files, the simulator) or a demo/bulk number that
failed; 2 validation or usage (nothing sent); 3 auth; 4 rate_limited or guard;
5 verification_failed, conflict, not_found, invalid_request, provider;
6 transport, timeout, decode; 7 bulk: some numbers wait for a code or PIN.";

#[derive(Parser, Debug)]
#[command(name = "waonboard", version, about = "Onboard WhatsApp Business numbers through Meta, Vonage and 99digital")]
#[command(after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send one operation by id; print its result, or {"error": {...}}, as JSON on stdout.
    #[command(after_help = AFTER_HELP)]
    Call(call::CallArgs),
    /// `call meta.<OP>`: e.g. `waonboard meta request_code --params ...`; alone, lists
    /// Meta's operations.
    #[command(after_help = AFTER_HELP)]
    Meta(call::CallArgs),
    /// `call vonage.<OP>`; alone, lists Vonage's operations.
    #[command(after_help = AFTER_HELP)]
    Vonage(call::CallArgs),
    /// `call digital99.<OP>`; alone, lists 99digital's operations.
    #[command(alias = "99digital", after_help = AFTER_HELP)]
    Digital99(call::CallArgs),
    /// List the operations with their parameters.
    Ops,
    /// Run the simulator of all three providers on 127.0.0.1 until Ctrl-C.
    Sandbox(sandbox::SandboxArgs),
    /// Onboard a number with each provider against an in-process simulator, step by step.
    Demo(demo::DemoArgs),
    /// Onboard the numbers of a CSV file, resumably.
    #[command(after_help = bulk::INPUT_HELP)]
    Bulk(bulk::BulkArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let (group, args) = match cli.command {
        Command::Call(args) => (None, args),
        Command::Meta(args) => (Some(Provider::Meta), args),
        Command::Vonage(args) => (Some(Provider::Vonage), args),
        Command::Digital99(args) => (Some(Provider::Digital99), args),
        Command::Ops => {
            out!("{}", ops::listing(None));
            return ExitCode::SUCCESS;
        }
        Command::Sandbox(args) => return finish(sandbox::run_sandbox(args).await.map(|()| ExitCode::SUCCESS)),
        Command::Demo(args) => {
            let all_done = demo::run_demo(args).await;
            return finish(
                all_done.map(|done| if done { ExitCode::SUCCESS } else { ExitCode::from(failure::LOCAL_FAILURE) }),
            );
        }
        Command::Bulk(args) => return finish(bulk::run_bulk(args).await),
    };
    let Some(op) = args.op.clone() else {
        out!("{}", ops::listing(group));
        return ExitCode::SUCCESS;
    };
    // Scripts read stdout: the result, or the error, is always one JSON document there.
    match call::run_call(args, &op, group.map(Provider::as_str)).await {
        Ok(result) => {
            out!("{}", serde_json::to_string_pretty(&result).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            out!("{}", serde_json::to_string_pretty(&failure.to_json()).unwrap_or_default());
            failure.exit_code()
        }
    }
}

/// The human commands report a failure on stderr.
fn finish(outcome: Result<ExitCode, Failure>) -> ExitCode {
    outcome.unwrap_or_else(|failure| {
        eprintln!("waonboard: {}", failure.describe());
        failure.exit_code()
    })
}

/// `--provider` values: meta, vonage, digital99 (or 99digital).
fn parse_provider(value: &str) -> Result<Provider, String> {
    match value.to_ascii_lowercase().as_str() {
        "meta" => Ok(Provider::Meta),
        "vonage" => Ok(Provider::Vonage),
        "digital99" | "99digital" => Ok(Provider::Digital99),
        _ => Err("must be meta, vonage or digital99".to_owned()),
    }
}
