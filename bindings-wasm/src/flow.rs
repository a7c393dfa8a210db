//! Onboarding flows for JS: the core's `Onboarding` travels as its saved JSON, so the JS
//! object holds plain data between steps and an app can store it anywhere.

use serde_json::{Map, Value};
use waonboard::client::{FlowInput, Needs, Onboarding};
use waonboard::{Error, Provider};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

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

/// The error of a failed step as JSON, with the flow's `state` and `needs` after it.
pub(crate) fn failed_step(error: &Error, flow: &Onboarding) -> String {
    // from_slice into a Value, the one reader the module already has (each reader type is
    // another copy of serde_json's parser in the wasm).
    let mut out = match serde_json::from_slice(error_json(error).as_bytes()) {
        Ok(Value::Object(out)) => out,
        _ => Map::new(),
    };
    out.insert("state".to_owned(), flow.to_value());
    out.insert("needs".to_owned(), flow.needs().as_str().into());
    json_text(&Value::Object(out))
}

/// The core's checkpoint over a JS function of the state's JSON text; a throw stops the
/// step before anything is sent.
pub(crate) fn checkpoint(function: Option<js_sys::Function>) -> impl FnMut(&Onboarding) -> Result<(), Error> {
    move |state| match &function {
        None => Ok(()),
        Some(function) => {
            function.call1(&JsValue::NULL, &JsValue::from_str(&state.to_json())).map(drop).map_err(|thrown| {
                let why = thrown.as_string().or_else(|| js_sys::Error::from(thrown).message().as_string());
                Error::validation("checkpoint", format!("threw, so the step was not sent: {}", why.unwrap_or_default()))
            })
        }
    }
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
