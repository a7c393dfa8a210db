//! Resumable onboarding, one state machine per provider.
//!
//! A flow is plain data: it serialises to JSON after every step, so a mobile app can stop
//! while the user waits for the SMS and resume later, even in another process. Each step
//! either moves the flow on or leaves it where it was, with the error: a failed step is
//! simply tried again. Secrets (codes, PINs) are passed to the step that needs them and
//! never stored in the state.

use serde_json::{Map, Value};

use super::{Client, Transport};
use crate::de::{closed_enum, serde_via_value};
use crate::meta::{self, CodeVerificationStatus, NameStatus};
use crate::params::Params;
use crate::vonage::{self, DeploymentStatus};
use crate::{digital99, DeliveryMethod, Error, ErrorDetails, Provider, Secret};

closed_enum! {
    /// What a flow needs from its caller next.
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
}

fn needed(what: &str) -> Error {
    Error::validation(what, "is needed by this step of the onboarding")
}

closed_enum! {
    /// Where a Meta onboarding stands.
    pub enum MetaStep {
        /// Request the code next.
        RequestCode = "request_code",
        /// Verify the code next.
        VerifyCode = "verify_code",
        /// Check readiness and register next.
        Register = "register",
        /// Registered.
        Done = "done",
    }
}

/// Meta: request_code → verify_code → check readiness → register.
#[derive(Clone, Debug, PartialEq, Eq)]
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
                    .send_json(&meta::Register {
                        phone_number_id: id,
                        pin,
                        data_localization_region: region,
                        backup: None,
                        tier: None,
                    })
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

closed_enum! {
    /// Where a Vonage onboarding stands.
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

closed_enum! {
    /// Where a 99digital onboarding stands.
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
            }),
            Provider::Vonage => Onboarding::Vonage(VonageOnboarding {
                phone_number: p.string("phone_number")?,
                country: p.opt_string("country")?,
                vname_certificate: p.string("vname_certificate")?,
                method: p.method("method")?,
                waba_id: p.string("waba_id")?,
                deployment_id: p.opt_string("deployment_id")?,
                step: step(&mut p, VonageStep::from_wire)?.unwrap_or(VonageStep::CreateDeployment),
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
        match self {
            Onboarding::Meta(f) => {
                put("phone_number_id", Some(f.phone_number_id.as_str().into()));
                put("code_method", Some(f.code_method.as_str().into()));
                put("language", Some(f.language.as_str().into()));
                put("data_localization_region", f.data_localization_region.as_deref().map(Value::from));
                put("step", Some(f.step.as_str().into()));
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
