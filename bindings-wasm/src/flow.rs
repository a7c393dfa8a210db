//! Onboarding flows for JS: the core's `Onboarding` travels as its saved JSON, so the JS
//! object holds plain data between steps and an app can store it anywhere.

use serde_json::{Map, Value};
use waonboard::client::{FlowInput, Needs, Onboarding};
use waonboard::{Error, Provider};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::client::provider_named;
use crate::{error_json, json_arg, json_text};

/// A new onboarding of `provider` (`meta`, `vonage`, `digital99`) from its params (JSON
/// text, the names of the flow's fields); returns `{"state","needs"}`. Values are checked
/// when the step that sends them runs.
#[wasm_bindgen]
pub fn onboarding_start(provider: &str, params: &str) -> Result<String, String> {
    let flow = provider_named(provider).and_then(|p| Onboarding::from_params(p, &json_arg("params", params)?));
    flow.map(|flow| snapshot(&flow, flow.needs())).map_err(|e| error_json(&e))
}

/// A saved onboarding read back (checked); returns `{"state","needs"}`.
#[wasm_bindgen]
pub fn onboarding_load(state: &str) -> Result<String, String> {
    Onboarding::from_json(state).map(|flow| snapshot(&flow, flow.needs())).map_err(|e| error_json(&e))
}

/// `{"state":<the saved onboarding>,"needs":"code"}`.
pub(crate) fn snapshot(flow: &Onboarding, needs: Needs) -> String {
    let mut out = Map::new();
    out.insert("state".to_owned(), flow.to_value());
    out.insert("needs".to_owned(), needs.as_str().into());
    json_text(&Value::Object(out))
}

/// A saved onboarding, which must belong to the client's provider.
pub(crate) fn load(state: &str, provider: Provider) -> Result<Onboarding, Error> {
    let flow = Onboarding::from_json(state)?;
    if flow.provider() == provider {
        Ok(flow)
    } else {
        Err(Error::validation(
            "client",
            format!("is a {} client; this onboarding is {}", provider.as_str(), flow.provider().as_str()),
        ))
    }
}

/// A step's input: `{"code"?, "pin"?}`.
pub(crate) fn input(text: &str) -> Result<FlowInput, Error> {
    FlowInput::from_value(&json_arg("input", text)?)
}
