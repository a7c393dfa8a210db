//! Runs an onboarding as far as the inputs at hand allow: the one loop behind `demo`
//! and `bulk`, so both stop, resume and report alike.

use std::collections::HashMap;

use waonboard::client::{Client, FlowInput, Needs, Onboarding, Transport};
use waonboard::{Error, Secret};

use crate::failure::Failure;
use crate::sandbox::Sandbox;

/// Where one-time codes come from.
pub enum CodeSource {
    /// Read from the simulator's side channel, as a phone would receive them.
    Sandbox(Sandbox),
    /// Typed in by people: number key → code (`bulk --codes`).
    Table(HashMap<String, Secret>),
    /// None at hand: flows stop where they need one.
    Absent,
}

/// What the steps may be given.
pub struct Inputs {
    /// The codes.
    pub codes: CodeSource,
    /// Meta's two-step PIN; for Vonage, sent on creating the deployment.
    pub pin: Option<Secret>,
    /// Whether a code request whose outcome is unknown, and for which no code is at hand,
    /// is made again (`bulk --resend-unconfirmed`; the sandbox, where the phone is in
    /// sight). Otherwise the number waits for its code.
    pub resend_unconfirmed: bool,
}

/// Where a flow ended up in this run.
#[derive(Debug)]
pub enum Outcome {
    /// Onboarded.
    Done,
    /// Waits for a one-time code nobody has supplied yet.
    AwaitingCode,
    /// Waits for a PIN nobody has supplied.
    AwaitingPin,
    /// A step failed; the flow stays at that step, ready to be tried again.
    Failed(Error),
    /// The CLI could not go on (a code it could not read, a state file it could not write).
    Stopped(String),
}

impl Outcome {
    /// The report's name for it.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::AwaitingCode => "awaiting_code",
            Outcome::AwaitingPin => "awaiting_pin",
            Outcome::Failed(_) => "failed",
            Outcome::Stopped(_) => "stopped",
        }
    }
}

/// One step, as the callers report and persist it.
pub struct Step<'a> {
    /// The step that ran, e.g. `verify_code`.
    pub name: String,
    /// Where its input came from, when it took one.
    pub input: Option<&'static str>,
    /// What it needs next, or why it failed.
    pub result: Result<Needs, &'a Error>,
    /// The flow after the step.
    pub flow: &'a Onboarding,
}

/// The step a flow is at, from its JSON (`request_code`, `wait_for_code`, …).
pub fn step_name(flow: &Onboarding) -> String {
    serde_json::to_value(flow).ok().and_then(|v| v["step"].as_str().map(str::to_owned)).unwrap_or_default()
}

/// Advances `flow` until it is done, needs an input nobody has, or fails. `key` finds its
/// code in a [`CodeSource::Table`]. `checkpoint` persists the flow before each write
/// leaves (its error stops the run with nothing sent); `on_step` sees every step after
/// it ran, and its error stops the run too.
pub async fn drive<T: Transport>(
    flow: &mut Onboarding,
    key: &str,
    client: &Client<T>,
    inputs: &Inputs,
    mut checkpoint: impl FnMut(&Onboarding) -> Result<(), Failure>,
    mut on_step: impl FnMut(Step<'_>) -> Result<(), Failure>,
) -> Outcome {
    let mut unsaved = None;
    loop {
        let (input, source) = match flow.needs() {
            Needs::Done => return Outcome::Done,
            Needs::Advance => (inputs.pin.clone().map_or_else(FlowInput::default, FlowInput::pin), None),
            Needs::Pin => match &inputs.pin {
                Some(pin) => (FlowInput::pin(pin.clone()), Some("the two-step PIN")),
                None => return Outcome::AwaitingPin,
            },
            Needs::Code => {
                let (code, source) = match &inputs.codes {
                    CodeSource::Sandbox(sandbox) => match sandbox.otp(flow).await {
                        Ok(code) => (code, "the code read from the simulator"),
                        Err(failure) => return Outcome::Stopped(failure.describe()),
                    },
                    CodeSource::Table(codes) => (codes.get(key).cloned(), "the code from --codes"),
                    CodeSource::Absent => (None, ""),
                };
                match code {
                    Some(code) => (FlowInput::code(code), Some(source)),
                    // The caller's decision: no code came of a request whose outcome was lost.
                    None if flow.code_unconfirmed() && inputs.resend_unconfirmed => {
                        let name = "resend".to_owned();
                        let result = flow.resend_with(client, &mut |s| keep(&mut checkpoint, &mut unsaved, s)).await;
                        if let Some(failure) = unsaved.take() {
                            return Outcome::Stopped(failure.describe());
                        }
                        let step = Step { name, input: None, result: result.as_ref().map(|n| *n), flow };
                        if let Err(failure) = on_step(step) {
                            return Outcome::Stopped(failure.describe());
                        }
                        if let Err(error) = result {
                            return Outcome::Failed(error);
                        }
                        continue;
                    }
                    None => return Outcome::AwaitingCode,
                }
            }
        };
        let name = step_name(flow);
        let result = flow.advance_with(client, input, &mut |s| keep(&mut checkpoint, &mut unsaved, s)).await;
        if let Some(failure) = unsaved.take() {
            return Outcome::Stopped(failure.describe());
        }
        let step = Step { name, input: source, result: result.as_ref().map(|n| *n), flow };
        if let Err(failure) = on_step(step) {
            return Outcome::Stopped(failure.describe());
        }
        if let Err(error) = result {
            return Outcome::Failed(error);
        }
    }
}

/// Runs the caller's checkpoint for the core, keeping its failure to report as it is.
fn keep(
    checkpoint: &mut impl FnMut(&Onboarding) -> Result<(), Failure>,
    unsaved: &mut Option<Failure>,
    state: &Onboarding,
) -> Result<(), Error> {
    checkpoint(state).map_err(|failure| {
        *unsaved = Some(failure);
        Error::validation("state", "could not be saved, so the step was not sent")
    })
}
