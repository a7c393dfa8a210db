//! `waonboard demo`: a whole onboarding per provider, against the simulator, with the
//! real client over real HTTP, so a newcomer sees every request the library sends.

use std::time::Instant;

use clap::Args;
use serde_json::json;
use waonboard::client::{
    Client, Digital99Onboarding, MetaOnboarding, Needs, Onboarding, PollPolicy, ReqwestTransport, VonageOnboarding,
};
use waonboard::{DeliveryMethod, Provider, Secret};
use waonboard_sim::SimConfig;

use crate::drive::{drive, CodeSource, Inputs, Outcome, Step};
use crate::failure::{error_json, Failure};
use crate::recorder::{Recorder, Sent};
use crate::sandbox::{Sandbox, SANDBOX_PIN, VONAGE_STEP};

/// `waonboard demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Run one provider only: meta, vonage or digital99.
    #[arg(long, value_parser = crate::parse_provider)]
    provider: Option<Provider>,
    /// Print one JSON object per line instead of text.
    #[arg(long)]
    json: bool,
}

/// A display-name certificate the simulator accepts (any base64 but its failing one).
const DEMO_CERTIFICATE: &str = "AbCdEFGHiJK123456";

/// Runs the chosen flows; `Ok(true)` when every one reached done.
pub async fn run_demo(args: DemoArgs) -> Result<bool, Failure> {
    let config = SimConfig { vonage_step: VONAGE_STEP, ..SimConfig::default() };
    let sandbox = Sandbox::start(config).await?;
    if !args.json {
        out!("simulator started on {} (loopback; fake credentials)\n", sandbox.origin());
    }
    let providers = match args.provider {
        Some(provider) => vec![provider],
        None => vec![Provider::Meta, Provider::Vonage, Provider::Digital99],
    };
    let mut runs = Vec::new();
    // Poll often: simulated Vonage states last a tenth of a second.
    let mut poll = PollPolicy::default();
    (poll.initial_interval_ms, poll.max_interval_ms, poll.timeout_ms) = (50, 100, 10_000);
    for provider in providers {
        let client = sandbox.client(Recorder::logging(ReqwestTransport::new()?), provider).with_poll(poll.clone());
        runs.push((provider, demo_flow(&sandbox, provider)?, client));
    }
    let mut inputs = Inputs { codes: CodeSource::Sandbox(sandbox), pin: None, resend_unconfirmed: true };
    let mut all_done = true;
    for (provider, mut flow, client) in runs {
        // Only Meta's flow needs a PIN; given to Vonage it would set one on the number.
        inputs.pin = (provider == Provider::Meta).then(|| Secret::from(SANDBOX_PIN));
        all_done &= run_one(provider, &mut flow, &client, &inputs, args.json).await;
    }
    if let CodeSource::Sandbox(sandbox) = inputs.codes {
        sandbox.shutdown().await;
    }
    Ok(all_done)
}

/// A flow at its start for a number the simulator knows.
fn demo_flow(sandbox: &Sandbox, provider: Provider) -> Result<Onboarding, Failure> {
    let seeded = |pointer: &str| {
        sandbox
            .seed(pointer)
            .map(str::to_owned)
            .ok_or_else(|| Failure::Local(format!("the simulator has no seed {pointer}")))
    };
    Ok(match provider {
        Provider::Meta => {
            Onboarding::Meta(MetaOnboarding::new(seeded("/meta/phone_number_ids/ready")?, DeliveryMethod::Sms, "en_US"))
        }
        Provider::Vonage => Onboarding::Vonage(VonageOnboarding::new(
            "+44 7700 900000",
            DEMO_CERTIFICATE,
            DeliveryMethod::Sms,
            seeded("/vonage/waba_id")?,
        )),
        Provider::Digital99 => {
            Onboarding::Digital99(Digital99Onboarding::new("+972 50 123 4567", DeliveryMethod::Sms, "1"))
        }
    })
}

/// Drives one flow to its end, printing every step; true when it is done.
async fn run_one(
    provider: Provider,
    flow: &mut Onboarding,
    client: &Client<Recorder<ReqwestTransport>>,
    inputs: &Inputs,
    json: bool,
) -> bool {
    let started = Instant::now();
    if !json {
        out!("== {} ==", title(flow));
    }
    let outcome = drive(
        flow,
        "",
        client,
        inputs,
        |_| Ok(()),
        |step| {
            print_step(provider, &step, &client.transport().take(), json);
            Ok(())
        },
    )
    .await;
    let done = matches!(outcome, Outcome::Done);
    let elapsed_ms = started.elapsed().as_millis();
    if json {
        let line = json!({ "provider": provider.as_str(), "outcome": outcome.name(), "elapsed_ms": elapsed_ms, "state": flow });
        out!("{line}");
    } else {
        let verdict = if done { "reached done".to_owned() } else { format!("stopped: {}", describe(&outcome)) };
        out!("{} {verdict} in {elapsed_ms} ms, {} requests", provider.as_str(), client.transport().count());
        out!("  final state: {}\n", flow.to_json());
    }
    done
}

fn title(flow: &Onboarding) -> String {
    match flow {
        Onboarding::Meta(f) => format!("Meta: phone number ID {}", f.phone_number_id),
        Onboarding::Vonage(f) => format!("Vonage: {} on WABA {}", f.phone_number, f.waba_id),
        Onboarding::Digital99(f) => format!("99digital: {}", f.phone_number),
    }
}

fn print_step(provider: Provider, step: &Step<'_>, sent: &[Sent], json: bool) {
    if json {
        let line = json!({
            "provider": provider.as_str(),
            "step": step.name,
            "input": step.input,
            "sent": sent,
            "needs": step.result.as_ref().ok().map(|n| needs_name(*n)),
            "error": step.result.as_ref().err().map(|e| error_json(e)),
            "state": step.flow,
        });
        out!("{line}");
        return;
    }
    match step.input {
        Some(input) => out!("  {} (with {input})", step.name),
        None => out!("  {}", step.name),
    }
    for (request, times) in collapsed(sent) {
        let body = request.body.as_deref().map(|b| format!(" {b}")).unwrap_or_default();
        let status = request.status.map_or("no answer".to_owned(), |s| s.to_string());
        let repeat = if times > 1 { format!("  (x{times}, polling)") } else { String::new() };
        out!("    -> {} {}{body} -> {status}{repeat}", request.method, request.path);
    }
    match &step.result {
        Ok(needs) => out!("    now at {}: {}", crate::drive::step_name(step.flow), needs_text(*needs)),
        Err(error) => out!("    failed: {}: {}", error.kind(), error.message()),
    }
}

/// Consecutive identical requests (a poll) as one line with a count.
fn collapsed(sent: &[Sent]) -> Vec<(&Sent, usize)> {
    let mut lines: Vec<(&Sent, usize)> = Vec::new();
    for request in sent {
        match lines.last_mut() {
            Some((last, times)) if *last == request => *times += 1,
            _ => lines.push((request, 1)),
        }
    }
    lines
}

/// The contract's name of a `Needs`.
pub fn needs_name(needs: Needs) -> &'static str {
    match needs {
        Needs::Advance => "advance",
        Needs::Code => "code",
        Needs::Pin => "pin",
        Needs::Done => "done",
    }
}

fn needs_text(needs: Needs) -> &'static str {
    match needs {
        Needs::Advance => "the next request can go",
        Needs::Code => "needs the one-time code",
        Needs::Pin => "needs the two-step PIN",
        Needs::Done => "onboarded",
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed(error) => format!("{}: {}", error.kind(), error.message()),
        Outcome::Stopped(message) => message.clone(),
        other => other.name().to_owned(),
    }
}
