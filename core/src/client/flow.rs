//! Resumable onboarding, one state machine per provider.
//!
//! A flow is plain data: it serialises to JSON after every step, so a mobile app can stop
//! while the user waits for the SMS and resume later, even in another process. Each step
//! either moves the flow on or leaves it where it was, with the error: a failed step is
//! simply tried again. Secrets (codes, PINs) are passed to the step that needs them and
//! never stored in the state.

use serde::{Deserialize, Serialize};

use super::{Client, Transport};
use crate::meta::{self, CodeVerificationStatus, NameStatus};
use crate::vonage::{self, DeploymentStatus};
use crate::{digital99, DeliveryMethod, Error, ErrorDetails, Secret};

/// What a flow needs from its caller next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Needs {
    /// Call `advance` with no input: the flow has a request to send or a state to wait for.
    Advance,
    /// Call `advance` with the one-time code the phone received.
    Code,
    /// Call `advance` with the two-step PIN.
    Pin,
    /// The number is onboarded.
    Done,
}

/// What the caller hands to a step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowInput {
    /// The one-time code, when [`Needs::Code`].
    pub code: Option<Secret>,
    /// The two-step PIN: when [`Needs::Pin`] (Meta), or on creating a Vonage deployment
    /// for a number that already has one.
    pub pin: Option<Secret>,
}

impl FlowInput {
    /// Input carrying a code.
    pub fn code(code: impl Into<Secret>) -> FlowInput {
        FlowInput { code: Some(code.into()), pin: None }
    }

    /// Input carrying a PIN.
    pub fn pin(pin: impl Into<Secret>) -> FlowInput {
        FlowInput { code: None, pin: Some(pin.into()) }
    }
}

fn needed(what: &str) -> Error {
    Error::validation(what, "is needed by this step of the onboarding")
}

/// Where a Meta onboarding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaStep {
    /// Request the code next.
    RequestCode,
    /// Verify the code next.
    VerifyCode,
    /// Check readiness and register next.
    Register,
    /// Registered.
    Done,
}

/// Meta: request_code → verify_code → check readiness → register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaOnboarding {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// SMS or voice call.
    pub code_method: DeliveryMethod,
    /// The code message's language, e.g. `en_US`.
    pub language: String,
    /// Where Meta stores the data at rest, if chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_localization_region: Option<String>,
    /// Where it stands.
    pub step: MetaStep,
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
        }
    }

    /// What the next step needs.
    pub fn needs(&self) -> Needs {
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
        let id = self.phone_number_id.clone();
        match self.step {
            MetaStep::RequestCode => {
                client.send_json(&self.request_code()).await?;
                self.step = MetaStep::VerifyCode;
            }
            MetaStep::VerifyCode => {
                let code = input.code.ok_or_else(|| needed("code"))?;
                client.send_json(&meta::VerifyCode { phone_number_id: id, code }).await?;
                self.step = MetaStep::Register;
            }
            MetaStep::Register => {
                let pin = input.pin.ok_or_else(|| needed("pin"))?;
                self.check_ready(client).await?;
                let region = self.data_localization_region.clone();
                client
                    .send_json(&meta::Register { phone_number_id: id, pin, data_localization_region: region })
                    .await?;
                self.step = MetaStep::Done;
            }
            MetaStep::Done => {}
        }
        Ok(self.needs())
    }

    /// Registering too early fails and still counts against the number's limit, so the
    /// number's state is read first.
    async fn check_ready<T: Transport>(&self, client: &Client<T>) -> Result<(), Error> {
        let fields = ["code_verification_status", "name_status"].map(String::from).to_vec();
        let request = meta::GetPhoneNumber { phone_number_id: self.phone_number_id.clone(), fields: Some(fields) };
        let number = client.send_json(&request).await?;
        let status = |key: &str| number[key].as_str();
        let unverified = status("code_verification_status")
            .filter(|s| CodeVerificationStatus::from(*s) != CodeVerificationStatus::Verified);
        let unapproved = status("name_status").filter(|s| !NameStatus::from(*s).allows_registration());
        let problem = match (unverified, unapproved) {
            (Some(status), _) => format!("its code verification status is {status}"),
            (_, Some(status)) => format!("its display name is {status}; register once it is approved"),
            _ => return Ok(()),
        };
        Err(Error::Conflict(ErrorDetails {
            message: format!("phone number {} is not ready to register: {problem}", self.phone_number_id),
            operation: Some(crate::Operation::MetaRegister),
            ..ErrorDetails::default()
        }))
    }

    /// Sends the code again (while one is awaited).
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        if self.step == MetaStep::VerifyCode {
            client.send_json(&self.request_code()).await?;
        }
        Ok(self.needs())
    }
}

/// Where a Vonage onboarding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VonageStep {
    /// Create the deployment next.
    CreateDeployment,
    /// Wait for the code to be sent.
    WaitForCode,
    /// Verify the code next.
    VerifyCode,
    /// Wait for `READY`.
    WaitForReady,
    /// Ready.
    Done,
}

/// Vonage: create_deployment → wait for `CODE_SENT` → verify_otp → wait for `READY`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VonageOnboarding {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The display-name certificate.
    pub vname_certificate: String,
    /// SMS or voice call.
    pub method: DeliveryMethod,
    /// The WhatsApp Business Account's ID.
    pub waba_id: String,
    /// The deployment, once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<String>,
    /// Where it stands.
    pub step: VonageStep,
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
        }
    }

    /// What the next step needs.
    pub fn needs(&self) -> Needs {
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
        match self.step {
            VonageStep::CreateDeployment => {
                let created = client
                    .send_json(&vonage::CreateDeployment {
                        phone_number: self.phone_number.clone(),
                        country: self.country.clone(),
                        vname_certificate: self.vname_certificate.clone(),
                        method: self.method,
                        waba_id: self.waba_id.clone(),
                        pin: input.pin,
                    })
                    .await?;
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
                client.send_json(&vonage::VerifyOtp { deployment_id: self.deployment()?, code }).await?;
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
        self.step = VonageStep::CreateDeployment;
        Ok(self.needs())
    }

    /// Sends the code again (while one is awaited).
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        if self.step == VonageStep::VerifyCode {
            client.send_json(&vonage::ResendOtp { deployment_id: self.deployment()?, method: self.method }).await?;
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

/// Where a 99digital onboarding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digital99Step {
    /// Register the number (which sends the code) next.
    RegisterNumber,
    /// Verify the code next.
    VerifyNumber,
    /// Verified.
    Done,
}

/// 99digital: register_number → verify_number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digital99Onboarding {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// SMS or voice call.
    pub method: DeliveryMethod,
    /// The message language, one character.
    pub language: String,
    /// A note for the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When the verified registration lapses, in Unix seconds, once verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<i64>,
    /// Where it stands.
    pub step: Digital99Step,
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
        }
    }

    /// What the next step needs.
    pub fn needs(&self) -> Needs {
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
        match self.step {
            Digital99Step::RegisterNumber => {
                client.send_json(&self.register_number()).await?;
                self.step = Digital99Step::VerifyNumber;
            }
            Digital99Step::VerifyNumber => {
                let code = input.code.ok_or_else(|| needed("code"))?;
                let verified = client
                    .send_json(&digital99::VerifyNumber {
                        phone_number: self.phone_number.clone(),
                        country: self.country.clone(),
                        code,
                    })
                    .await?;
                self.expiration = verified["expiration"].as_i64();
                self.step = Digital99Step::Done;
            }
            Digital99Step::Done => {}
        }
        Ok(self.needs())
    }

    /// Sends the code again (while one is awaited); the client's guard keeps this to
    /// three an hour.
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        if self.step == Digital99Step::VerifyNumber {
            client.send_json(&self.register_number()).await?;
        }
        Ok(self.needs())
    }
}

/// Any provider's onboarding, tagged by `provider` in JSON, for callers that handle all
/// three alike (the CLI's bulk command, the bindings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "snake_case")]
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
        match self {
            Onboarding::Meta(flow) => flow.advance(client, input).await,
            Onboarding::Vonage(flow) => flow.advance(client, input).await,
            Onboarding::Digital99(flow) => flow.advance(client, input).await,
        }
    }

    /// Sends the code again, where one is awaited.
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        match self {
            Onboarding::Meta(flow) => flow.resend(client).await,
            Onboarding::Vonage(flow) => flow.resend(client).await,
            Onboarding::Digital99(flow) => flow.resend(client).await,
        }
    }

    /// The state as JSON, to persist.
    pub fn to_json(&self) -> String {
        // Plain strings and enums: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A flow from the JSON of [`Onboarding::to_json`].
    pub fn from_json(json: &str) -> Result<Onboarding, Error> {
        serde_json::from_str(json).map_err(|e| Error::validation("state", format!("is not a saved onboarding: {e}")))
    }
}
