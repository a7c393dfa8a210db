//! Verifying a pre-verified number from JS: like the onboardings, the core's flow travels
//! as its saved JSON and each step resolves to `{"state","needs"}`.

use js_sys::Promise;
use serde_json::{Map, Value};
use waonboard::client::{Needs, PreverifiedVerification};
use waonboard::{Error, Operation};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::client::{check_provider, promise, WasmClient};
use crate::{error_json, flow, json_arg, json_text};

/// A new verification from its params (JSON text: `preverified_id`, `code_method`,
/// `language`); returns `{"state","needs"}`.
#[wasm_bindgen]
pub fn preverified_start(params: &str) -> Result<String, String> {
    let flow = json_arg("params", params).and_then(|p| PreverifiedVerification::from_value(&p));
    flow.map(|flow| snapshot(&flow, flow.needs())).map_err(|e| error_json(&e))
}

/// A saved verification read back (checked); returns `{"state","needs"}`.
#[wasm_bindgen]
pub fn preverified_load(state: &str) -> Result<String, String> {
    load(state).map(|flow| snapshot(&flow, flow.needs())).map_err(|e| error_json(&e))
}

fn load(state: &str) -> Result<PreverifiedVerification, Error> {
    let not_saved = |e: Error| Error::validation("state", format!("is not a saved verification: {}", e.message()));
    PreverifiedVerification::from_value(&json_arg("state", state)?).map_err(not_saved)
}

fn snapshot(flow: &PreverifiedVerification, needs: Needs) -> String {
    let mut out = Map::new();
    out.insert("state".to_owned(), flow.to_value());
    out.insert("needs".to_owned(), needs.as_str().into());
    json_text(&Value::Object(out))
}

#[wasm_bindgen]
impl WasmClient {
    /// Runs the next step of a saved verification (JSON text) with `input` (`{"code"}`);
    /// resolves to `{"state","needs"}`. On failure the caller keeps the state it had.
    pub fn preverified_advance(&self, state: String, input: String, signal: JsValue) -> Promise {
        let (client, provider) = self.parts();
        promise(signal, async move {
            check_provider(provider, Operation::MetaRequestPreverifiedCode.as_str())?;
            let mut verification = load(&state)?;
            let needs = verification.advance(&client, flow::input(&input)?).await?;
            Ok(snapshot(&verification, needs))
        })
    }

    /// Sends the code of a saved verification again; resolves to `{"state","needs"}`.
    pub fn preverified_resend(&self, state: String, signal: JsValue) -> Promise {
        let (client, provider) = self.parts();
        promise(signal, async move {
            check_provider(provider, Operation::MetaRequestPreverifiedCode.as_str())?;
            let mut verification = load(&state)?;
            let needs = verification.resend(&client).await?;
            Ok(snapshot(&verification, needs))
        })
    }
}
