//! Verifying a pre-verified number, resumably: the same contract as the onboarding flows
//! (plain data saved between steps, a failed step tried again, codes never stored).

use serde_json::{Map, Value};

use super::{Client, FlowInput, Needs, Transport};
use crate::de::{closed_enum, serde_via_value};
use crate::meta;
use crate::params::Params;
use crate::{DeliveryMethod, Error, ErrorDetails, Operation};

closed_enum! {
    /// Where a pre-verified number's verification stands.
    #[non_exhaustive]
    pub enum PreverifiedStep {
        /// Check the ID and request the code next.
        RequestCode = "request_code",
        /// Verify the code next.
        VerifyCode = "verify_code",
        /// Verified.
        Done = "done",
    }
}

/// A pre-verified number: check its ID → request_code → verify_code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PreverifiedVerification {
    /// The pre-verified number's ID.
    pub preverified_id: String,
    /// SMS or voice call.
    pub code_method: DeliveryMethod,
    /// The code message's language, e.g. `en_US`.
    pub language: String,
    /// Where it stands.
    pub step: PreverifiedStep,
}

impl PreverifiedVerification {
    /// A verification at its start.
    pub fn new(preverified_id: impl Into<String>, code_method: DeliveryMethod, language: impl Into<String>) -> Self {
        PreverifiedVerification {
            preverified_id: preverified_id.into(),
            code_method,
            language: language.into(),
            step: PreverifiedStep::RequestCode,
        }
    }

    /// What the next step needs: [`Needs::Advance`], [`Needs::Code`] or [`Needs::Done`].
    pub fn needs(&self) -> Needs {
        match self.step {
            PreverifiedStep::RequestCode => Needs::Advance,
            PreverifiedStep::VerifyCode => Needs::Code,
            PreverifiedStep::Done => Needs::Done,
        }
    }

    fn request_code(&self) -> meta::RequestPreverifiedCode {
        meta::RequestPreverifiedCode {
            preverified_id: self.preverified_id.clone(),
            code_method: self.code_method,
            language: self.language.clone(),
        }
    }

    /// Runs the next step.
    pub async fn advance<T: Transport>(&mut self, client: &Client<T>, input: FlowInput) -> Result<Needs, Error> {
        match self.step {
            PreverifiedStep::RequestCode => {
                self.check_valid(client).await?;
                client.send_json(&self.request_code()).await?;
                self.step = PreverifiedStep::VerifyCode;
            }
            PreverifiedStep::VerifyCode => {
                let code = input.code.ok_or_else(|| Error::validation("code", "is needed by this step"))?;
                let verify = meta::VerifyPreverifiedCode { preverified_id: self.preverified_id.clone(), code };
                client.send_json(&verify).await?;
                self.step = PreverifiedStep::Done;
            }
            PreverifiedStep::Done => {}
        }
        Ok(self.needs())
    }

    /// A code request counts against the number's limits, so an ID Meta calls invalid is
    /// refused before one is sent, with Meta's reason.
    async fn check_valid<T: Transport>(&self, client: &Client<T>) -> Result<(), Error> {
        let fields = ["id", "is_input_id_valid", "error_msg"].map(String::from).to_vec();
        let check = meta::GetPreverifiedNumber { preverified_id: self.preverified_id.clone(), fields: Some(fields) };
        let number = client.send_json(&check).await?;
        if number["is_input_id_valid"] != Value::Bool(false) {
            return Ok(());
        }
        let reason = number["error_msg"].as_str().unwrap_or("Meta gives no reason");
        Err(Error::Conflict(ErrorDetails {
            message: format!("pre-verified number {} is not valid: {reason}", self.preverified_id),
            field: Some("preverified_id".to_owned()),
            operation: Some(Operation::MetaGetPreverifiedNumber),
            ..ErrorDetails::default()
        }))
    }

    /// Sends the code again (while one is awaited).
    pub async fn resend<T: Transport>(&mut self, client: &Client<T>) -> Result<Needs, Error> {
        if self.step == PreverifiedStep::VerifyCode {
            client.send_json(&self.request_code()).await?;
        }
        Ok(self.needs())
    }

    /// The state as a JSON object, to persist: the fields, `step` included.
    pub fn to_value(&self) -> Value {
        let mut out = Map::new();
        out.insert("preverified_id".into(), self.preverified_id.as_str().into());
        out.insert("code_method".into(), self.code_method.as_str().into());
        out.insert("language".into(), self.language.as_str().into());
        out.insert("step".into(), self.step.as_str().into());
        Value::Object(out)
    }

    /// A verification from its fields (those of [`PreverifiedVerification::to_value`]),
    /// at its start unless `step` says otherwise; a wrong or unknown field is a validation
    /// error naming it.
    pub fn from_value(params: &Value) -> Result<PreverifiedVerification, Error> {
        let mut p = Params::new(params, "params")?;
        let step = match p.opt_string("step")? {
            None => PreverifiedStep::RequestCode,
            Some(wire) => PreverifiedStep::from_wire(&wire)
                .ok_or_else(|| Error::validation("step", "is not a step of this verification"))?,
        };
        let flow = PreverifiedVerification {
            preverified_id: p.string("preverified_id")?,
            code_method: p.method("code_method")?,
            language: p.string("language")?,
            step,
        };
        p.finish("verification")?;
        Ok(flow)
    }
}

serde_via_value!(PreverifiedVerification);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_names_a_wrong_field() {
        let mut flow = PreverifiedVerification::new("1234567890123456", DeliveryMethod::Voice, "es_ES");
        flow.step = PreverifiedStep::VerifyCode;
        let json = serde_json::to_string(&flow).unwrap();
        assert_eq!(
            json,
            r#"{"code_method":"voice","language":"es_ES","preverified_id":"1234567890123456","step":"verify_code"}"#
        );
        assert_eq!(serde_json::from_str::<PreverifiedVerification>(&json).unwrap(), flow);
        assert_eq!(flow.needs(), Needs::Code);
        let bad = serde_json::json!({"preverified_id": "1", "code_method": "sms", "language": "en_US", "pin": "1"});
        assert_eq!(PreverifiedVerification::from_value(&bad).unwrap_err().field(), Some("pin"));
        let bad = serde_json::json!({"preverified_id": "1", "code_method": "sms", "language": "en_US", "step": "x"});
        assert_eq!(PreverifiedVerification::from_value(&bad).unwrap_err().field(), Some("step"));
    }
}
