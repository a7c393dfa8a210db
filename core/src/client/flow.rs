//! Resumable onboarding, one state machine per provider.
//!
//! A flow is plain data: it serialises to JSON after every step, so a mobile app can stop
//! while the user waits for the SMS and resume later, even in another process. Each step
//! either moves the flow on or leaves it where it was, with the error: a failed step is
//! simply tried again. Secrets (codes, PINs) are passed to the step that needs them and
//! never stored in the state.
//!
//! Exactly once: a write is recorded in the state as `pending` before it leaves (callers
//! that persist hand `advance_with` a checkpoint that saves it), and a flow resumed with a
//! pending write asks the provider what became of it before sending anything again.

use serde_json::{Map, Value};

use super::{Client, Transport};
use crate::de::{closed_enum, serde_via_value};
use crate::endpoint::{AnyEndpoint, Endpoint};
use crate::error::clean_text;
use crate::meta::{self, CodeVerificationStatus, NameStatus, PlatformType};
use crate::params::Params;
use crate::vonage::{self, DeploymentStatus};
use crate::{digital99, validate, DeliveryMethod, Error, ErrorDetails, ErrorKind, Operation, Provider, Secret};

closed_enum! {
    /// What a flow needs from its caller next. Exhaustive on purpose: a new need is input
    /// every caller must learn to give.
    pub enum Needs {
        /// Call `advance` with no input: the flow has a request to send or a state to wait for.
        Advance = "advance",
        /// Call `advance` with the one-time code the phone received.
        Code = "code",
        /// Call `advance` with the two-step PIN.
        Pin = "pin",
        /// The number is onboarded.
        Done = "done",
    }
}

/// What the caller hands to a step. More may come: build it with [`FlowInput::code`],
/// [`FlowInput::pin`] or `FlowInput::default()` and the `with_…` methods.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowInput {
    /// The one-time code, when [`Needs::Code`].
    pub code: Option<Secret>,
    /// The two-step PIN: when [`Needs::Pin`] (Meta), or on creating a Vonage deployment
    /// for a number that already has one.
    pub pin: Option<Secret>,
}

impl FlowInput {
    /// The input of a step as JSON, `{"code"?, "pin"?}`, as the bindings receive it.
    pub fn from_value(input: &Value) -> Result<FlowInput, Error> {
        let mut p = Params::new(input, "input")?;
        let input = FlowInput { code: p.opt_secret("code")?, pin: p.opt_secret("pin")? };
        p.finish("step")?;
        Ok(input)
    }

    /// Input carrying a code.
    pub fn code(code: impl Into<Secret>) -> FlowInput {
        FlowInput { code: Some(code.into()), pin: None }
    }

    /// Input carrying a PIN.
    pub fn pin(pin: impl Into<Secret>) -> FlowInput {
        FlowInput { code: None, pin: Some(pin.into()) }
    }

    /// The same input with a code as well.
    pub fn with_code(mut self, code: impl Into<Secret>) -> FlowInput {
        self.code = Some(code.into());
        self
    }

    /// The same input with a PIN as well.
    pub fn with_pin(mut self, pin: impl Into<Secret>) -> FlowInput {
        self.pin = Some(pin.into());
        self
    }
}

fn needed(what: &str) -> Error {
    Error::validation(what, "is needed by this step of the onboarding")
}

/// What a flow does with a write: it records the write as pending (sent, outcome unknown)
/// and hands itself to the caller's checkpoint before the request leaves, so that a
/// process that dies meanwhile finds the intent in its saved state. A flow resumed with
/// a pending write asks the provider what became of it before anything is sent again.
trait Intent {
    fn pending(&mut self) -> &mut Option<Operation>;
}

/// Whether a write that failed this way may still have taken effect: its answer was
/// lost, unreadable, or a server failure, or the caller abandoned it in flight (an aborted
/// write is `retryable` only when it never left). Any other refusal was read from the
/// provider, which did not carry the call out; a local refusal sent nothing.
fn outcome_unknown(error: &Error) -> bool {
    matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Decode)
        || (error.kind() == ErrorKind::Aborted && !error.retryable())
        || error.http_status().is_some_and(|status| status >= 500)
}

/// Sends `endpoint`, a write, with its intent persisted first (see [`Intent`]). The guard
/// counts it before the checkpoint, so the saved guard state includes it too.
async fn write<F: Intent, T: Transport>(
    flow: &mut F,
    client: &Client<T>,
    checkpoint: &mut impl FnMut(&F) -> Result<(), Error>,
    endpoint: &dyn AnyEndpoint,
) -> Result<Value, Error> {
    let reservation = client.reserve(endpoint)?;
    *flow.pending() = Some(endpoint.operation());
    if let Err(e) = checkpoint(flow) {
        *flow.pending() = None;
        client.release(reservation);
        return Err(e);
    }
    let result = client.send_json_reserved(endpoint, reservation).await;
    if !matches!(&result, Err(e) if outcome_unknown(e)) {
        *flow.pending() = None;
    }
    result
}

/// The checkpoint of callers that do not persist between steps.
fn no_checkpoint<F>(_: &F) -> Result<(), Error> {
    Ok(())
}

/// The error of a pending write the provider's answer cannot settle: the flow stays as it
/// is and sends nothing until the caller decides.
fn undecidable(op: Operation, why: &str) -> Error {
    Error::Conflict(ErrorDetails {
        message: format!(
            "{op} was sent but its outcome is unknown, and {why}: check the number with the provider, \
             then clear `pending` in the saved state to send it again, or set `step` to where it stands"
        ),
        operation: Some(op),
        ..ErrorDetails::default()
    })
}

/// The most characters of a status word of Meta's quoted in an error.
const MAX_STATUS_CHARS: usize = 64;

/// How long a number verified in Embedded Signup may wait for `register` before it must go
/// through the signup again (seed 003: "ภายในเวลาไม่เกิน 14 วัน", within 14 days).
pub const EMBEDDED_SIGNUP_REGISTER_WINDOW_DAYS: u32 = 14;

closed_enum! {
    /// Where a Meta onboarding stands.
    #[non_exhaustive]
    pub enum MetaStep {
        /// Read the number's status, then request the code unless it is verified already.
        RequestCode = "request_code",
        /// Verify the code next.
        VerifyCode = "verify_code",
        /// Check readiness and register next.
        Register = "register",
        /// Registered.
        Done = "done",
    }
}

/// Meta: read the number → request_code → verify_code → check readiness → register. A
/// number that is verified already (after Embedded Signup) goes straight to register.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MetaOnboarding {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// SMS or voice call.
    pub code_method: DeliveryMethod,
    /// The code message's language, e.g. `en_US`.
    pub language: String,
    /// Where Meta stores the data at rest, if chosen.
    pub data_localization_region: Option<String>,
    /// Where it stands.
    pub step: MetaStep,
    /// A write that was sent and whose outcome is not known yet.
    pub pending: Option<Operation>,
    /// A code request's outcome is unknown: enter the code if one arrived, or resend.
    pub code_unconfirmed: bool,
    /// The number was verified before the flow began (Embedded Signup): it needs no code,
    /// and must be registered within [`EMBEDDED_SIGNUP_REGISTER_WINDOW_DAYS`] days of the
    /// signup.
    pub already_verified: bool,
}

impl Intent for MetaOnboarding {
    fn pending(&mut self) -> &mut Option<Operation> {
        &mut self.pending
    }
}

/// What a Meta flow reads of its number.
struct MetaNumber {
    verified: bool,
    code_verification_status: Option<String>,
    name_status: Option<String>,
    platform_type: Option<String>,
}

impl MetaOnboarding {
    /// A flow at its start.
    pub fn new(phone_number_id: impl Into<String>, code_method: DeliveryMethod, language: impl Into<String>) -> Self {
        MetaOnboarding {
            phone_number_id: phone_number_id.into(),
            code_method,
            language: language.into(),
            data_localization_region: None,
            step: MetaStep::RequestCode,
            pending: None,
            code_unconfirmed: false,
            already_verified: false,
        }
    }

    /// What the next step needs.
    pub fn needs(&self) -> Needs {
        if self.pending.is_some() {
            return Needs::Advance;
        }
        match self.step {
            MetaStep::RequestCode => Needs::Advance,
            MetaStep::VerifyCode => Needs::Code,
            MetaStep::Register => Needs::Pin,
            MetaStep::Done => Needs::Done,
        }
    }

    fn request_code(&self) -> meta::RequestCode {
        meta::RequestCode {
            phone_number_id: self.phone_number_id.clone(),
            code_method: self.code_method,
            language: self.language.clone(),
        }
    }

    /// Runs the next step.
    pub async fn advance<T: Transport>(&mut self, client: &Client<T>, input: FlowInput) -> Result<Needs, Error> {
        self.advance_with(client, input, &mut no_checkpoint).await
    }

    /// Runs the next step, handing the state to `checkpoint` to persist before a write
    /// leaves; an error from it stops the step with nothing sent. A pending write is
    /// settled with Meta first (the number's verification and platform), and the step
    /// ends there.
    pub async fn advance_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        input: FlowInput,
        checkpoint: &mut impl FnMut(&Self) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        if let Some(op) = self.pending {
            self.reconcile(client, op).await?;
            return Ok(self.needs());
        }
        let id = self.phone_number_id.clone();
        match self.step {
            MetaStep::RequestCode => {
                // After Embedded Signup the number is verified and "registration should
                // succeed with an API call to the register endpoint" (seed 003): a code
                // request would only count against its limits.
                if self.read_number(client).await?.verified {
                    self.already_verified = true;
                    self.step = MetaStep::Register;
                } else {
                    let request = self.request_code();
                    write(self, client, checkpoint, &request).await?;
                    self.step = MetaStep::VerifyCode;
                }
            }
            MetaStep::VerifyCode => {
                let code = input.code.ok_or_else(|| needed("code"))?;
                write(self, client, checkpoint, &meta::VerifyCode { phone_number_id: id, code }).await?;
                self.code_unconfirmed = false;
                self.step = MetaStep::Register;
            }
            MetaStep::Register => {
                let pin = input.pin.ok_or_else(|| needed("pin"))?;
                self.check_ready(client).await?;
                let region = self.data_localization_region.clone();
                let register = meta::Register {
                    phone_number_id: id,
                    pin,
                    data_localization_region: region,
                    backup: None,
                    tier: None,
                };
                write(self, client, checkpoint, &register).await?;
                self.step = MetaStep::Done;
            }
            MetaStep::Done => {}
        }
        Ok(self.needs())
    }

    /// The number's verification, display name and platform.
    async fn read_number<T: Transport>(&self, client: &Client<T>) -> Result<MetaNumber, Error> {
        let fields = ["code_verification_status", "name_status", "platform_type"].map(String::from).to_vec();
        let request = meta::GetPhoneNumber { phone_number_id: self.phone_number_id.clone(), fields: Some(fields) };
        let number = client.send_json(&request).await?;
        let text = |key: &str| number[key].as_str().map(str::to_owned);
        let code_verification_status = text("code_verification_status");
        Ok(MetaNumber {
            verified: code_verification_status.as_deref().map(CodeVerificationStatus::from)
                == Some(CodeVerificationStatus::Verified),
            code_verification_status,
            name_status: text("name_status"),
            platform_type: text("platform_type"),
        })
    }

    /// Settles a pending write from the number's state. Registered means `platform_type`
    /// `CLOUD_API` (JUDGEMENT CALL: seed 003 lists registered numbers with it; the spec's
    /// `status` is not among the fields the core reads).
    async fn reconcile<T: Transport>(&mut self, client: &Client<T>, op: Operation) -> Result<(), Error> {
        let number = self.read_number(client).await?;
        match op {
            Operation::MetaRegister => match number.platform_type.as_deref().map(PlatformType::from) {
                Some(PlatformType::CloudApi) => self.step = MetaStep::Done,
                // Meta says it is not registered: the register did not take effect.
                Some(_) => self.step = MetaStep::Register,
                None => return Err(undecidable(op, "Meta's answer does not say whether the number is registered")),
            },
            _ if number.verified => {
                self.code_unconfirmed = false;
                self.step = MetaStep::Register;
            }
            // The code was wrong or never arrived: it is asked for again.
            Operation::MetaVerifyCode => self.step = MetaStep::VerifyCode,
            _ => {
                self.code_unconfirmed = true;
                self.step = MetaStep::VerifyCode;
            }
        }
        self.pending = None;
        Ok(())
    }

    /// Registering too early fails and still counts against the number's limit, so the
    /// number's state is read first.
    async fn check_ready<T: Transport>(&self, client: &Client<T>) -> Result<(), Error> {
        let number = self.read_number(client).await?;
        let unverified = number.code_verification_status.filter(|_| !number.verified);
        let unapproved = number.name_status.filter(|s| !NameStatus::from(s.as_str()).allows_registration());
        // Meta's words are quoted, so they are cleaned like any provider text.
        let quoted = |status: String| clean_text(&status, MAX_STATUS_CHARS);
        let problem = match (unverified.map(quoted), unapproved.map(quoted)) {
            (Some(status), _) => format!("its code verification status is {status}"),
            (_, Some(status)) => format!("its display name is {status}; register once it is approved"),
            _ => return Ok(()),
        };
        let window = if self.already_verified {
            format!(
                " (a number verified in Embedded Signup must be registered within \
                 {EMBEDDED_SIGNUP_REGISTER_WINDOW_DAYS} days of it, or go through the signup again)"
            )
        } else {
            String::new()
        };
        Err(Error::Conflict(ErrorDetails {
            message: format!("phone number {} is not ready to register: {problem}{window}", self.phone_number_id),
            operation: Some(Operation::MetaRegister),
            ..ErrorDetails::default()
        }))
    }

    /// Sends the code again (while one is awaited).
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        self.resend_with(client, &mut no_checkpoint).await
    }

    /// [`MetaOnboarding::resend`] with a checkpoint, as in [`MetaOnboarding::advance_with`].
    pub async fn resend_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        checkpoint: &mut impl FnMut(&Self) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        if self.step == MetaStep::VerifyCode && self.pending.is_none() {
            let request = self.request_code();
            write(self, client, checkpoint, &request).await?;
            self.code_unconfirmed = false;
        }
        Ok(self.needs())
    }
}

closed_enum! {
    /// Where a Vonage onboarding stands.
    #[non_exhaustive]
    pub enum VonageStep {
        /// Create the deployment next.
        CreateDeployment = "create_deployment",
        /// Wait for the code to be sent.
        WaitForCode = "wait_for_code",
        /// Verify the code next.
        VerifyCode = "verify_code",
        /// Wait for `READY`.
        WaitForReady = "wait_for_ready",
        /// Ready.
        Done = "done",
    }
}

/// Vonage: create_deployment → wait for `CODE_SENT` → verify_otp → wait for `READY`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VonageOnboarding {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`.
    pub country: Option<String>,
    /// The display-name certificate.
    pub vname_certificate: String,
    /// SMS or voice call.
    pub method: DeliveryMethod,
    /// The WhatsApp Business Account's ID.
    pub waba_id: String,
    /// The deployment, once created.
    pub deployment_id: Option<String>,
    /// Where it stands.
    pub step: VonageStep,
    /// A write that was sent and whose outcome is not known yet.
    pub pending: Option<Operation>,
    /// A code request's outcome is unknown: enter the code if one arrived, or resend.
    pub code_unconfirmed: bool,
}

impl Intent for VonageOnboarding {
    fn pending(&mut self) -> &mut Option<Operation> {
        &mut self.pending
    }
}

impl VonageOnboarding {
    /// A flow at its start.
    pub fn new(
        phone_number: impl Into<String>,
        vname_certificate: impl Into<String>,
        method: DeliveryMethod,
        waba_id: impl Into<String>,
    ) -> Self {
        VonageOnboarding {
            phone_number: phone_number.into(),
            country: None,
            vname_certificate: vname_certificate.into(),
            method,
            waba_id: waba_id.into(),
            deployment_id: None,
            step: VonageStep::CreateDeployment,
            pending: None,
            code_unconfirmed: false,
        }
    }

    /// What the next step needs.
    pub fn needs(&self) -> Needs {
        if self.pending.is_some() {
            return Needs::Advance;
        }
        match self.step {
            VonageStep::CreateDeployment | VonageStep::WaitForCode | VonageStep::WaitForReady => Needs::Advance,
            VonageStep::VerifyCode => Needs::Code,
            VonageStep::Done => Needs::Done,
        }
    }

    fn deployment(&self) -> Result<String, Error> {
        self.deployment_id.clone().ok_or_else(|| needed("deployment_id"))
    }

    /// Runs the next step; the waits poll with the client's poll policy.
    pub async fn advance<T: Transport>(&mut self, client: &Client<T>, input: FlowInput) -> Result<Needs, Error> {
        self.advance_with(client, input, &mut no_checkpoint).await
    }

    /// Runs the next step, handing the state to `checkpoint` to persist before a write
    /// leaves (see [`MetaOnboarding::advance_with`]). A pending write is settled from the
    /// account's deployments first, and the step ends there.
    pub async fn advance_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        input: FlowInput,
        checkpoint: &mut impl FnMut(&Self) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        if let Some(op) = self.pending {
            self.reconcile(client, op).await?;
            return Ok(self.needs());
        }
        match self.step {
            VonageStep::CreateDeployment => {
                let create = vonage::CreateDeployment {
                    phone_number: self.phone_number.clone(),
                    country: self.country.clone(),
                    vname_certificate: self.vname_certificate.clone(),
                    method: self.method,
                    waba_id: self.waba_id.clone(),
                    pin: input.pin,
                };
                let created = write(self, client, checkpoint, &create).await?;
                // The reader requires `deployment_id`, so it is there.
                self.deployment_id = created["deployment_id"].as_str().map(str::to_owned);
                self.step = VonageStep::WaitForCode;
            }
            VonageStep::WaitForCode => {
                // A resumed flow may find the deployment already past the code.
                let targets = [
                    DeploymentStatus::CodeSent,
                    DeploymentStatus::WrongCode,
                    DeploymentStatus::CodeVerified,
                    DeploymentStatus::Finalizing,
                    DeploymentStatus::Ready,
                ];
                let reached = wait_for(client, &self.deployment()?, &targets).await?;
                self.step = match reached {
                    Some(DeploymentStatus::CodeSent | DeploymentStatus::WrongCode) => VonageStep::VerifyCode,
                    _ => VonageStep::WaitForReady,
                };
            }
            VonageStep::VerifyCode => {
                let code = input.code.ok_or_else(|| needed("code"))?;
                let verify = vonage::VerifyOtp { deployment_id: self.deployment()?, code };
                write(self, client, checkpoint, &verify).await?;
                self.code_unconfirmed = false;
                self.step = VonageStep::WaitForReady;
            }
            VonageStep::WaitForReady => {
                wait_for(client, &self.deployment()?, &[DeploymentStatus::Ready]).await?;
                self.step = VonageStep::Done;
            }
            VonageStep::Done => {}
        }
        Ok(self.needs())
    }

    /// Settles a pending write: a created deployment is found among the account's by its
    /// number and adopted (none means none was made, and creating is safe); a verified
    /// code shows in the deployment's state.
    async fn reconcile<T: Transport>(&mut self, client: &Client<T>, op: Operation) -> Result<(), Error> {
        match op {
            Operation::VonageCreateDeployment => {
                let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
                let all = client.send_json(&vonage::ListDeployments {}).await?;
                let gone = |d: &Value| {
                    let state = d["current_state"]["title"].as_str().map(DeploymentStatus::from);
                    matches!(state, Some(DeploymentStatus::Deleting | DeploymentStatus::Deleted))
                };
                let found = all["deployments"].as_array().into_iter().flatten().find(|d| {
                    d["country_code"].as_str() == Some(number.country_code())
                        && d["number"].as_str() == Some(number.national_number())
                        && !gone(d)
                });
                match found.and_then(|d| d["deployment_id"].as_str()) {
                    Some(id) => {
                        self.deployment_id = Some(id.to_owned());
                        self.step = VonageStep::WaitForCode;
                    }
                    None => self.step = VonageStep::CreateDeployment,
                }
            }
            Operation::VonageVerifyOtp => {
                let request = vonage::GetDeployment { deployment_id: self.deployment()? };
                let deployment = client.send_json(&request).await?;
                let state = deployment["current_state"]["title"].as_str().map(DeploymentStatus::from);
                self.step = match state {
                    Some(DeploymentStatus::CodeSent | DeploymentStatus::WrongCode) => VonageStep::VerifyCode,
                    _ => VonageStep::WaitForReady,
                };
            }
            _ => {
                self.code_unconfirmed = true;
                self.step = VonageStep::VerifyCode;
            }
        }
        self.pending = None;
        Ok(())
    }

    /// Starts over after a deployment failed (state `ERROR`), as Vonage advises: deletes
    /// the deployment, waits until it is gone (it holds the number until then) and goes
    /// back to creating one. Fix what failed first, e.g. `vname_certificate`.
    pub async fn restart<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        if let Some(deployment_id) = self.deployment_id.clone() {
            let gone = |e: &Error| e.kind() == crate::ErrorKind::NotFound;
            match client.send_json(&vonage::DeleteDeployment { deployment_id: deployment_id.clone() }).await {
                Err(e) if !gone(&e) => return Err(e),
                _ => {}
            }
            match wait_for(client, &deployment_id, &[DeploymentStatus::Deleted]).await {
                Err(e) if !gone(&e) => return Err(e),
                _ => {}
            }
        }
        self.deployment_id = None;
        self.pending = None;
        self.step = VonageStep::CreateDeployment;
        Ok(self.needs())
    }

    /// Sends the code again (while one is awaited).
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        self.resend_with(client, &mut no_checkpoint).await
    }

    /// [`VonageOnboarding::resend`] with a checkpoint, as in [`VonageOnboarding::advance_with`].
    pub async fn resend_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        checkpoint: &mut impl FnMut(&Self) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        if self.step == VonageStep::VerifyCode && self.pending.is_none() {
            let resend = vonage::ResendOtp { deployment_id: self.deployment()?, method: self.method };
            write(self, client, checkpoint, &resend).await?;
            self.code_unconfirmed = false;
        }
        Ok(self.needs())
    }
}

/// Waits until the deployment is in one of `targets`; the state it reached.
async fn wait_for<T: Transport>(
    client: &Client<T>,
    deployment_id: &str,
    targets: &[DeploymentStatus],
) -> Result<Option<DeploymentStatus>, Error> {
    let targets: Vec<&str> = targets.iter().map(DeploymentStatus::as_str).collect();
    let reached = client.wait_for_state_json(deployment_id, &targets).await?;
    Ok(reached["current_state"]["title"].as_str().map(DeploymentStatus::from))
}

closed_enum! {
    /// Where a 99digital onboarding stands.
    #[non_exhaustive]
    pub enum Digital99Step {
        /// Register the number (which sends the code) next.
        RegisterNumber = "register_number",
        /// Verify the code next.
        VerifyNumber = "verify_number",
        /// Verified.
        Done = "done",
    }
}

/// 99digital: register_number → verify_number.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Digital99Onboarding {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`.
    pub country: Option<String>,
    /// SMS or voice call.
    pub method: DeliveryMethod,
    /// The message language, one character.
    pub language: String,
    /// A note for the partner.
    pub comment: Option<String>,
    /// When the verified registration lapses, in Unix seconds, once verified.
    pub expiration: Option<i64>,
    /// Where it stands.
    pub step: Digital99Step,
    /// A write that was sent and whose outcome is not known yet.
    pub pending: Option<Operation>,
    /// A code request's outcome is unknown: enter the code if one arrived, or resend.
    pub code_unconfirmed: bool,
}

impl Intent for Digital99Onboarding {
    fn pending(&mut self) -> &mut Option<Operation> {
        &mut self.pending
    }
}

impl Digital99Onboarding {
    /// A flow at its start.
    pub fn new(phone_number: impl Into<String>, method: DeliveryMethod, language: impl Into<String>) -> Self {
        Digital99Onboarding {
            phone_number: phone_number.into(),
            country: None,
            method,
            language: language.into(),
            comment: None,
            expiration: None,
            step: Digital99Step::RegisterNumber,
            pending: None,
            code_unconfirmed: false,
        }
    }

    /// What the next step needs.
    pub fn needs(&self) -> Needs {
        if self.pending.is_some() {
            return Needs::Advance;
        }
        match self.step {
            Digital99Step::RegisterNumber => Needs::Advance,
            Digital99Step::VerifyNumber => Needs::Code,
            Digital99Step::Done => Needs::Done,
        }
    }

    fn register_number(&self) -> digital99::RegisterNumber {
        digital99::RegisterNumber {
            phone_number: self.phone_number.clone(),
            country: self.country.clone(),
            method: self.method,
            language: self.language.clone(),
            comment: self.comment.clone(),
        }
    }

    /// Runs the next step.
    pub async fn advance<T: Transport>(&mut self, client: &Client<T>, input: FlowInput) -> Result<Needs, Error> {
        self.advance_with(client, input, &mut no_checkpoint).await
    }

    /// Runs the next step, handing the state to `checkpoint` to persist before a write
    /// leaves (see [`MetaOnboarding::advance_with`]). A pending write is settled from the
    /// partner's number lists first, and the step ends there.
    pub async fn advance_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        input: FlowInput,
        checkpoint: &mut impl FnMut(&Self) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        if let Some(op) = self.pending {
            self.reconcile(client, op).await?;
            return Ok(self.needs());
        }
        match self.step {
            Digital99Step::RegisterNumber => {
                let register = self.register_number();
                write(self, client, checkpoint, &register).await?;
                self.step = Digital99Step::VerifyNumber;
            }
            Digital99Step::VerifyNumber => {
                let code = input.code.ok_or_else(|| needed("code"))?;
                let verify = digital99::VerifyNumber {
                    phone_number: self.phone_number.clone(),
                    country: self.country.clone(),
                    code,
                };
                let verified = write(self, client, checkpoint, &verify).await?;
                self.expiration = verified["expiration"].as_i64();
                self.code_unconfirmed = false;
                self.step = Digital99Step::Done;
            }
            Digital99Step::Done => {}
        }
        Ok(self.needs())
    }

    /// Settles a pending write: a number in the registered or the WhatsApp list is
    /// verified. Otherwise a verify did not take effect (the code is asked for again), and
    /// a code request may or may not have sent a code: the flow waits for one, marked
    /// [`Digital99Onboarding::code_unconfirmed`], rather than spend another of the three
    /// an hour blindly.
    async fn reconcile<T: Transport>(&mut self, client: &Client<T>, op: Operation) -> Result<(), Error> {
        let digits = validate::phone_number(&self.phone_number, self.country.as_deref())?.digits();
        let ours = |n: &&Value| n["whatsapp"].as_str() == Some(digits.as_str());
        let registered = client.send_json(&digital99::ListRegisteredNumbers {}).await?;
        let mut found = registered["list"].as_array().into_iter().flatten().find(ours).cloned();
        if found.is_none() {
            let live = client.send_json(&digital99::ListWhatsappNumbers {}).await?;
            found = live["list"].as_array().into_iter().flatten().find(ours).cloned();
        }
        match found {
            Some(number) => {
                self.expiration = number["expiration"].as_i64().or(self.expiration);
                self.code_unconfirmed = false;
                self.step = Digital99Step::Done;
            }
            None if op == Operation::Digital99VerifyNumber => self.step = Digital99Step::VerifyNumber,
            None => {
                self.code_unconfirmed = true;
                self.step = Digital99Step::VerifyNumber;
            }
        }
        self.pending = None;
        Ok(())
    }

    /// Sends the code again (while one is awaited); the client's guard keeps this to
    /// three an hour.
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        self.resend_with(client, &mut no_checkpoint).await
    }

    /// [`Digital99Onboarding::resend`] with a checkpoint, as in
    /// [`Digital99Onboarding::advance_with`].
    pub async fn resend_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        checkpoint: &mut impl FnMut(&Self) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        if self.step == Digital99Step::VerifyNumber && self.pending.is_none() {
            let register = self.register_number();
            write(self, client, checkpoint, &register).await?;
            self.code_unconfirmed = false;
        }
        Ok(self.needs())
    }
}

/// Any provider's onboarding, for callers that handle all three alike (the CLI's bulk
/// command, the bindings). Its JSON is the flow's fields with `provider` and `step`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Onboarding {
    /// Meta.
    Meta(MetaOnboarding),
    /// Vonage.
    Vonage(VonageOnboarding),
    /// 99digital.
    Digital99(Digital99Onboarding),
}

impl Onboarding {
    /// What the next step needs.
    pub fn needs(&self) -> Needs {
        match self {
            Onboarding::Meta(flow) => flow.needs(),
            Onboarding::Vonage(flow) => flow.needs(),
            Onboarding::Digital99(flow) => flow.needs(),
        }
    }

    /// Runs the next step.
    pub async fn advance<T: Transport>(&mut self, client: &Client<T>, input: FlowInput) -> Result<Needs, Error> {
        self.advance_with(client, input, &mut no_checkpoint).await
    }

    /// Runs the next step, handing the state to `checkpoint` to persist before a write
    /// leaves; an error from it stops the step with nothing sent. A pending write (one
    /// whose outcome a killed process never learnt) is settled with the provider first.
    pub async fn advance_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        input: FlowInput,
        checkpoint: &mut impl FnMut(&Onboarding) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        match self {
            Onboarding::Meta(flow) => {
                flow.advance_with(client, input, &mut |f: &MetaOnboarding| checkpoint(&Onboarding::Meta(f.clone())))
                    .await
            }
            Onboarding::Vonage(flow) => {
                let mut save = |f: &VonageOnboarding| checkpoint(&Onboarding::Vonage(f.clone()));
                flow.advance_with(client, input, &mut save).await
            }
            Onboarding::Digital99(flow) => {
                let mut save = |f: &Digital99Onboarding| checkpoint(&Onboarding::Digital99(f.clone()));
                flow.advance_with(client, input, &mut save).await
            }
        }
    }

    /// Sends the code again, where one is awaited.
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        self.resend_with(client, &mut no_checkpoint).await
    }

    /// [`Onboarding::resend`] with a checkpoint, as in [`Onboarding::advance_with`].
    pub async fn resend_with<T: Transport>(
        &mut self,
        client: &Client<T>,
        checkpoint: &mut impl FnMut(&Onboarding) -> Result<(), Error>,
    ) -> Result<Needs, Error> {
        match self {
            Onboarding::Meta(flow) => {
                flow.resend_with(client, &mut |f: &MetaOnboarding| checkpoint(&Onboarding::Meta(f.clone()))).await
            }
            Onboarding::Vonage(flow) => {
                flow.resend_with(client, &mut |f: &VonageOnboarding| checkpoint(&Onboarding::Vonage(f.clone()))).await
            }
            Onboarding::Digital99(flow) => {
                let mut save = |f: &Digital99Onboarding| checkpoint(&Onboarding::Digital99(f.clone()));
                flow.resend_with(client, &mut save).await
            }
        }
    }

    /// The write sent last whose outcome is not known yet; the next step settles it.
    pub fn pending(&self) -> Option<Operation> {
        match self {
            Onboarding::Meta(flow) => flow.pending,
            Onboarding::Vonage(flow) => flow.pending,
            Onboarding::Digital99(flow) => flow.pending,
        }
    }

    /// The guarded write of this flow and the number its guard counts it against (Meta's
    /// register, 99digital's code request), so that a caller persisting the guard state
    /// can save that one entry with the flow's intent; `None` for Vonage.
    pub fn guard_subject(&self) -> Option<(Operation, String)> {
        match self {
            Onboarding::Meta(flow) => Some((Operation::MetaRegister, flow.phone_number_id.clone())),
            Onboarding::Vonage(_) => None,
            Onboarding::Digital99(flow) => {
                flow.register_number().guard_subject().map(|subject| (Operation::Digital99RegisterNumber, subject))
            }
        }
    }

    /// Whether a code request's outcome is unknown: a code may or may not be on its way.
    /// Enter it if one arrived; if none did, [`Onboarding::resend`] is the caller's call.
    pub fn code_unconfirmed(&self) -> bool {
        match self {
            Onboarding::Meta(flow) => flow.code_unconfirmed,
            Onboarding::Vonage(flow) => flow.code_unconfirmed,
            Onboarding::Digital99(flow) => flow.code_unconfirmed,
        }
    }

    /// The provider it runs on.
    pub fn provider(&self) -> Provider {
        match self {
            Onboarding::Meta(_) => Provider::Meta,
            Onboarding::Vonage(_) => Provider::Vonage,
            Onboarding::Digital99(_) => Provider::Digital99,
        }
    }

    /// A flow of `provider` from its fields (the names of the flow type's fields), at its
    /// start unless `step` says otherwise. A wrong or unknown field is a validation error
    /// naming it; values are checked when the step that sends them runs.
    pub fn from_params(provider: Provider, params: &Value) -> Result<Onboarding, Error> {
        let mut p = Params::new(params, "params")?;
        let flow = match provider {
            Provider::Meta => Onboarding::Meta(MetaOnboarding {
                phone_number_id: p.string("phone_number_id")?,
                code_method: p.method("code_method")?,
                language: p.string("language")?,
                data_localization_region: p.opt_string("data_localization_region")?,
                step: step(&mut p, MetaStep::from_wire)?.unwrap_or(MetaStep::RequestCode),
                pending: pending(&mut p)?,
                code_unconfirmed: p.flag("code_unconfirmed")?,
                already_verified: p.flag("already_verified")?,
            }),
            Provider::Vonage => Onboarding::Vonage(VonageOnboarding {
                phone_number: p.string("phone_number")?,
                country: p.opt_string("country")?,
                vname_certificate: p.string("vname_certificate")?,
                method: p.method("method")?,
                waba_id: p.string("waba_id")?,
                deployment_id: p.opt_string("deployment_id")?,
                step: step(&mut p, VonageStep::from_wire)?.unwrap_or(VonageStep::CreateDeployment),
                pending: pending(&mut p)?,
                code_unconfirmed: p.flag("code_unconfirmed")?,
            }),
            Provider::Digital99 => Onboarding::Digital99(Digital99Onboarding {
                phone_number: p.string("phone_number")?,
                country: p.opt_string("country")?,
                method: p.method("method")?,
                language: p.string("language")?,
                comment: p.opt_string("comment")?,
                expiration: p
                    .opt_uint("expiration")?
                    .map(|n| i64::try_from(n).map_err(|_| Error::validation("expiration", "is too large")))
                    .transpose()?,
                step: step(&mut p, Digital99Step::from_wire)?.unwrap_or(Digital99Step::RegisterNumber),
                pending: pending(&mut p)?,
                code_unconfirmed: p.flag("code_unconfirmed")?,
            }),
        };
        p.finish("onboarding")?;
        Ok(flow)
    }

    /// The state as a JSON object, to persist.
    pub fn to_value(&self) -> Value {
        let mut out = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                out.insert(key.to_owned(), value);
            }
        };
        put("provider", Some(self.provider().as_str().into()));
        put("pending", self.pending().map(|op| op.as_str().into()));
        put("code_unconfirmed", self.code_unconfirmed().then_some(Value::Bool(true)));
        match self {
            Onboarding::Meta(f) => {
                put("phone_number_id", Some(f.phone_number_id.as_str().into()));
                put("code_method", Some(f.code_method.as_str().into()));
                put("language", Some(f.language.as_str().into()));
                put("data_localization_region", f.data_localization_region.as_deref().map(Value::from));
                put("step", Some(f.step.as_str().into()));
                put("already_verified", f.already_verified.then_some(Value::Bool(true)));
            }
            Onboarding::Vonage(f) => {
                put("phone_number", Some(f.phone_number.as_str().into()));
                put("country", f.country.as_deref().map(Value::from));
                put("vname_certificate", Some(f.vname_certificate.as_str().into()));
                put("method", Some(f.method.as_str().into()));
                put("waba_id", Some(f.waba_id.as_str().into()));
                put("deployment_id", f.deployment_id.as_deref().map(Value::from));
                put("step", Some(f.step.as_str().into()));
            }
            Onboarding::Digital99(f) => {
                put("phone_number", Some(f.phone_number.as_str().into()));
                put("country", f.country.as_deref().map(Value::from));
                put("method", Some(f.method.as_str().into()));
                put("language", Some(f.language.as_str().into()));
                put("comment", f.comment.as_deref().map(Value::from));
                put("expiration", f.expiration.map(Value::from));
                put("step", Some(f.step.as_str().into()));
            }
        }
        Value::Object(out)
    }

    /// A flow from the JSON of [`Onboarding::to_value`]; a fault is a validation error on
    /// `state`.
    pub fn from_value(state: &Value) -> Result<Onboarding, Error> {
        let not_saved = |problem: &str| Error::validation("state", format!("is not a saved onboarding: {problem}"));
        let mut fields = state.as_object().cloned().ok_or_else(|| not_saved("not an object"))?;
        let provider = match fields.remove("provider") {
            Some(Value::String(name)) => Provider::from_wire(&name).ok_or_else(|| not_saved("unknown provider"))?,
            _ => return Err(not_saved("no provider")),
        };
        Onboarding::from_params(provider, &Value::Object(fields)).map_err(|e| not_saved(e.message()))
    }

    /// The state as JSON text, to persist.
    pub fn to_json(&self) -> String {
        // Writing a Value into memory cannot fail.
        serde_json::to_string(&self.to_value()).unwrap_or_default()
    }

    /// A flow from the JSON of [`Onboarding::to_json`].
    pub fn from_json(json: &str) -> Result<Onboarding, Error> {
        // from_slice, as everywhere else: each reader type is another copy in the wasm module.
        let state = serde_json::from_slice(json.as_bytes()).map_err(|_| Error::validation("state", "is not JSON"))?;
        Onboarding::from_value(&state)
    }
}

/// The `pending` field: an operation id.
fn pending(p: &mut Params) -> Result<Option<Operation>, Error> {
    let Some(id) = p.opt_string("pending")? else { return Ok(None) };
    id.parse().map(Some).map_err(|_| Error::validation("pending", "is not an operation id"))
}

/// The `step` field, in the flow's own spelling.
fn step<S>(p: &mut Params, from_wire: fn(&str) -> Option<S>) -> Result<Option<S>, Error> {
    let Some(wire) = p.opt_string("step")? else { return Ok(None) };
    from_wire(&wire).map(Some).ok_or_else(|| Error::validation("step", "is not a step of this onboarding"))
}

serde_via_value!(Onboarding);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_is_the_flows_fields_with_provider_and_step() {
        let mut flow = Digital99Onboarding::new("+972 50 123 4567", DeliveryMethod::Voice, "1");
        flow.expiration = Some(1_767_225_600);
        let flow = Onboarding::Digital99(flow);
        let json = flow.to_json();
        assert_eq!(
            json,
            r#"{"expiration":1767225600,"language":"1","method":"voice","phone_number":"+972 50 123 4567","provider":"digital99","step":"register_number"}"#
        );
        assert_eq!(Onboarding::from_json(&json).unwrap(), flow);
        assert_eq!(serde_json::from_str::<Onboarding>(&serde_json::to_string(&flow).unwrap()).unwrap(), flow);
    }

    #[test]
    fn a_broken_state_is_refused_on_state() {
        for broken in [
            r#"{"provider":"nope"}"#,
            r#"{"provider":"meta","code_method":"sms","language":"en_US"}"#,
            r#"{"provider":"meta","phone_number_id":"1","code_method":"sms","language":"en_US","step":"flying"}"#,
            r#"{"provider":"meta","phone_number_id":"1","code_method":"sms","language":"en_US","colour":"red"}"#,
            r#"{"provider":"meta","phone_number_id":"1","code_method":"sms","language":"en_US","pending":"meta.fly"}"#,
            r#"{"provider":"digital99","phone_number":"1","method":"sms","language":"1","code_unconfirmed":"yes"}"#,
            r#"[]"#,
            r#"{"#,
        ] {
            let err = Onboarding::from_json(broken).unwrap_err();
            assert_eq!(err.field(), Some("state"), "{broken}");
        }
    }

    #[test]
    fn step_input_reads_code_and_pin_and_names_what_is_wrong() {
        let input = FlowInput::from_value(&serde_json::json!({"code": "123-456"})).unwrap();
        assert_eq!((input.code.as_ref().map(Secret::expose), input.pin), (Some("123-456"), None));
        for (bad, field) in [(serde_json::json!([]), "input"), (serde_json::json!({"pin": 1234}), "pin")] {
            assert_eq!(FlowInput::from_value(&bad).unwrap_err().field(), Some(field));
        }
        let err = FlowInput::from_value(&serde_json::json!({"otp": "123456"})).unwrap_err();
        assert_eq!((err.field(), err.message()), (Some("otp"), "otp is not a parameter of this step"));
    }

    #[test]
    fn params_start_a_flow_and_name_the_field_at_fault() {
        let params = serde_json::json!({"phone_number_id": "1", "code_method": "SMS", "language": "en_US"});
        let flow = Onboarding::from_params(Provider::Meta, &params).unwrap();
        assert_eq!(flow.needs(), Needs::Advance);
        let params = serde_json::json!({"phone_number_id": "1", "code_method": "fax", "language": "en_US"});
        let err = Onboarding::from_params(Provider::Meta, &params).unwrap_err();
        assert_eq!(err.field(), Some("code_method"));
    }
}
