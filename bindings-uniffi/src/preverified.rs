//! Verifying one of Meta's pre-verified numbers as an object, like the onboarding flows:
//! it holds the core flow's plain state (saved with `to_json`, restored with `from_json`).

use std::sync::{Arc, Mutex, PoisonError};

use waonboard::client::{self as core, FlowInput};
use waonboard::{DeliveryMethod, Error, Secret};

use crate::{MetaClient, Needs, WaonboardError};

/// A pre-verified number: check its ID → request_code → verify_code. An ID Meta calls
/// invalid is a `Conflict` error before any code is requested.
#[derive(uniffi::Object)]
pub struct PreverifiedVerification {
    state: Mutex<core::PreverifiedVerification>,
    /// One step at a time: a second `advance` waits for the first.
    step: tokio::sync::Mutex<()>,
}

impl PreverifiedVerification {
    fn wrap(flow: core::PreverifiedVerification) -> Arc<PreverifiedVerification> {
        Arc::new(PreverifiedVerification { state: Mutex::new(flow), step: tokio::sync::Mutex::new(()) })
    }

    fn current(&self) -> core::PreverifiedVerification {
        // Each write is one assignment of a whole state: a poisoned value is still sound.
        self.state.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set(&self, flow: core::PreverifiedVerification) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = flow;
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl PreverifiedVerification {
    /// A verification at its start; `code_method` is `sms` or `voice`.
    #[uniffi::constructor]
    pub fn new(
        preverified_id: String,
        code_method: String,
        language: String,
    ) -> Result<Arc<PreverifiedVerification>, WaonboardError> {
        let method = DeliveryMethod::parse("code_method", &code_method)?;
        Ok(PreverifiedVerification::wrap(core::PreverifiedVerification::new(preverified_id, method, language)))
    }

    /// A verification from the JSON of `to_json`.
    #[uniffi::constructor]
    pub fn from_json(state: String) -> Result<Arc<PreverifiedVerification>, WaonboardError> {
        let not_saved = |e: Error| Error::validation("state", format!("is not a saved verification: {}", e.message()));
        let value = serde_json::from_slice(state.as_bytes()).map_err(|_| Error::validation("state", "is not JSON"))?;
        let flow = core::PreverifiedVerification::from_value(&value).map_err(not_saved)?;
        Ok(PreverifiedVerification::wrap(flow))
    }

    /// The state as JSON, to save between steps; it holds no code.
    pub fn to_json(&self) -> String {
        // Writing a Value into memory cannot fail.
        serde_json::to_string(&self.current().to_value()).unwrap_or_default()
    }

    /// What the next step needs: `Advance`, `Code` or `Done`.
    pub fn needs(&self) -> Needs {
        self.current().needs().into()
    }

    /// Runs the next step, with the code when it needs one. A failed step leaves the
    /// verification where it was: fix the cause and call again.
    #[uniffi::method(default(code = None))]
    pub async fn advance(&self, client: Arc<MetaClient>, code: Option<String>) -> Result<Needs, WaonboardError> {
        let _one_step = self.step.lock().await;
        let mut flow = self.current();
        let input = code.map_or_else(FlowInput::default, |code| FlowInput::code(Secret::new(code)));
        let outcome = flow.advance(&client.inner, input).await;
        self.set(flow);
        Ok(outcome?.into())
    }

    /// Sends the code again while one is awaited.
    pub async fn resend(&self, client: Arc<MetaClient>) -> Result<Needs, WaonboardError> {
        let _one_step = self.step.lock().await;
        let mut flow = self.current();
        let outcome = flow.resend(&client.inner).await;
        self.set(flow);
        Ok(outcome?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_a_broken_one_names_state() {
        let flow = PreverifiedVerification::new("1234567890123456".into(), "VOICE".into(), "es_ES".into()).unwrap();
        assert_eq!(flow.needs(), Needs::Advance);
        let json = flow.to_json();
        assert_eq!(PreverifiedVerification::from_json(json.clone()).unwrap().to_json(), json);
        let Err(err) = PreverifiedVerification::from_json(r#"{"preverified_id":"1"}"#.into()) else {
            panic!("a state without its fields was read")
        };
        assert_eq!(err.info().field.as_deref(), Some("state"));
        let Err(err) = PreverifiedVerification::new("1".into(), "fax".into(), "en_US".into()) else {
            panic!("accepted fax")
        };
        assert_eq!(err.info().field.as_deref(), Some("code_method"));
    }
}
