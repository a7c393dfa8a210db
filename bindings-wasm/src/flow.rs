//! Onboarding flows for JS: the core's `Onboarding` travels as its saved JSON, so the JS
//! object holds plain data between steps and an app can store it anywhere.

use std::fmt;

use serde_json::{Map, Value};
use waonboard::client::{Digital99Onboarding, FlowInput, MetaOnboarding, Needs, Onboarding, VonageOnboarding};
use waonboard::{DeliveryMethod, Error, Provider};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::client::provider_named;
use crate::{error_json, json_arg};

/// A new onboarding of `provider` (`meta`, `vonage`, `digital99`) from its params (JSON
/// text, the names of the flow's fields); returns `{"state","needs"}`. Values are checked
/// when the step that sends them runs.
#[wasm_bindgen]
pub fn onboarding_start(provider: &str, params: &str) -> Result<String, String> {
    start(provider, params).map(|flow| Snapshot(&flow, flow.needs()).to_string()).map_err(|e| error_json(&e))
}

/// A saved onboarding read back (checked); returns `{"state","needs"}`.
#[wasm_bindgen]
pub fn onboarding_load(state: &str) -> Result<String, String> {
    Onboarding::from_json(state).map(|flow| Snapshot(&flow, flow.needs()).to_string()).map_err(|e| error_json(&e))
}

/// `{"state":<the saved onboarding>,"needs":"code"}`.
pub(crate) struct Snapshot<'a>(pub &'a Onboarding, pub Needs);

impl fmt::Display for Snapshot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let needs = serde_json::to_value(self.1).unwrap_or_default();
        write!(f, r#"{{"state":{},"needs":{needs}}}"#, self.0.to_json())
    }
}

/// A saved onboarding, which must belong to the client's provider.
pub(crate) fn load(state: &str, provider: Provider) -> Result<Onboarding, Error> {
    let flow = Onboarding::from_json(state)?;
    let of = match flow {
        Onboarding::Meta(_) => Provider::Meta,
        Onboarding::Vonage(_) => Provider::Vonage,
        Onboarding::Digital99(_) => Provider::Digital99,
    };
    if of == provider {
        Ok(flow)
    } else {
        Err(Error::validation(
            "client",
            format!("is a {} client; this onboarding is {}", provider.as_str(), of.as_str()),
        ))
    }
}

/// A step's input: `{"code"?, "pin"?}`.
pub(crate) fn input(text: &str) -> Result<FlowInput, Error> {
    let mut fields = Fields::new(json_arg("input", text)?, "input")?;
    let input = FlowInput { code: fields.opt("code")?.map(Into::into), pin: fields.opt("pin")?.map(Into::into) };
    fields.finish()?;
    Ok(input)
}

fn start(provider: &str, params: &str) -> Result<Onboarding, Error> {
    let mut p = Fields::new(json_arg("params", params)?, "params")?;
    let flow = match provider_named(provider)? {
        Provider::Meta => {
            let mut flow = MetaOnboarding::new(p.req("phone_number_id")?, p.method("code_method")?, p.req("language")?);
            flow.data_localization_region = p.opt("data_localization_region")?;
            Onboarding::Meta(flow)
        }
        Provider::Vonage => {
            let mut flow = VonageOnboarding::new(
                p.req("phone_number")?,
                p.req("vname_certificate")?,
                p.method("method")?,
                p.req("waba_id")?,
            );
            flow.country = p.opt("country")?;
            Onboarding::Vonage(flow)
        }
        Provider::Digital99 => {
            let mut flow = Digital99Onboarding::new(p.req("phone_number")?, p.method("method")?, p.req("language")?);
            flow.country = p.opt("country")?;
            flow.comment = p.opt("comment")?;
            Onboarding::Digital99(flow)
        }
    };
    p.finish()?;
    Ok(flow)
}

/// String fields read one by one; a key nobody read is a typo, and refused.
struct Fields(Map<String, Value>);

impl Fields {
    fn new(value: Value, name: &str) -> Result<Fields, Error> {
        match value {
            Value::Object(map) => Ok(Fields(map)),
            Value::Null => Ok(Fields(Map::new())),
            _ => Err(Error::validation(name, "must be an object")),
        }
    }

    fn opt(&mut self, key: &str) -> Result<Option<String>, Error> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Error::validation(key, "must be a string")),
        }
    }

    fn req(&mut self, key: &str) -> Result<String, Error> {
        self.opt(key)?.ok_or_else(|| Error::validation(key, "is required"))
    }

    fn method(&mut self, key: &str) -> Result<DeliveryMethod, Error> {
        DeliveryMethod::parse(key, &self.req(key)?)
    }

    fn finish(self) -> Result<(), Error> {
        match self.0.keys().min() {
            None => Ok(()),
            Some(key) => Err(Error::validation(key.clone(), "is not a parameter of this onboarding")),
        }
    }
}
