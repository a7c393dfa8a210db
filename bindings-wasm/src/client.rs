//! One provider account over fetch: the core's `Client` behind a JS class whose async
//! methods return promises of JSON text.

use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise};
use serde_json::{Map, Value};
use waonboard::client::{Client, Digital99Credentials, GuardLimits, GuardState, Onboarding, PollPolicy, RetryPolicy};
use waonboard::{Config, Error, Operation, Provider};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use crate::flow;
use crate::transport::{with_signal, FetchTransport, Hooks};
use crate::{error_json, json_arg, json_text};

/// A client of one provider. Options (JSON text, snake_case, built by the JS layer):
/// `provider`, `config` (the contract's config), `client_id` + `client_secret` (99digital),
/// `timeout_ms`, `retry`, `poll`, `guard_limits`, `guard_state`. Functions cannot travel as
/// JSON, so the app's `fetch` and its `onRequest`/`onResponse` hooks come beside them.
///
/// Every call takes a `signal` last: the call's `AbortSignal`, or undefined.
#[wasm_bindgen]
pub struct WasmClient {
    // Shared with each pending call's future, which must own what it uses.
    inner: Rc<Client<FetchTransport>>,
    provider: Provider,
}

#[wasm_bindgen]
impl WasmClient {
    /// Reads the options; a bad one is a validation error naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: &str,
        fetch: Option<Function>,
        on_request: Option<Function>,
        on_response: Option<Function>,
    ) -> Result<WasmClient, String> {
        build(options, Hooks { fetch, on_request, on_response }).map_err(|e| error_json(&e))
    }

    /// Sends operation `op` of this client's provider with `params` (JSON text).
    pub fn call(&self, op: String, params: String, signal: JsValue) -> Promise {
        let (client, provider) = (self.inner.clone(), self.provider);
        promise(signal, async move {
            check_provider(provider, &op)?;
            client.call(&op, &json_arg("params", &params)?).await.map(|result| json_text(&result))
        })
    }

    /// Every number on every page of `meta.list_phone_numbers` (a JSON array).
    pub fn all_phone_numbers(&self, params: String, signal: JsValue) -> Promise {
        let (client, provider) = (self.inner.clone(), self.provider);
        promise(signal, async move {
            check_provider(provider, Operation::MetaListPhoneNumbers.as_str())?;
            let all = client.all_phone_numbers_json(&json_arg("params", &params)?).await?;
            Ok(json_text(&all))
        })
    }

    /// Polls a Vonage deployment until its state title is one of `targets` (a JSON array
    /// of titles such as `"READY"`); the deployment as `vonage.get_deployment` returns it.
    pub fn wait_for_state(&self, deployment_id: String, targets: String, signal: JsValue) -> Promise {
        let (client, provider) = (self.inner.clone(), self.provider);
        promise(signal, async move {
            check_provider(provider, Operation::VonageGetDeployment.as_str())?;
            let targets = json_arg("targets", &targets)?;
            let targets = match targets.as_array() {
                Some(items) if !items.is_empty() => items
                    .iter()
                    .map(Value::as_str)
                    .collect::<Option<Vec<&str>>>()
                    .ok_or_else(|| Error::validation("targets", "must be a list of state names"))?,
                _ => return Err(Error::validation("targets", "must name at least one state, e.g. READY")),
            };
            let deployment = client.wait_for_state_json(&deployment_id, &targets).await?;
            Ok(json_text(&deployment))
        })
    }

    /// The guard state to save, as JSON text (see `guard_state` in the options).
    pub fn guard_state(&self) -> String {
        json_text(&self.inner.guard_state().to_value())
    }

    /// Runs the next step of a saved onboarding (JSON text) with `input` (`{"code","pin"}`);
    /// resolves to `{"state","needs"}`. `checkpoint`, if given, is called with the state
    /// (JSON text) before a write leaves, to persist it; if it throws, nothing is sent. A
    /// failed step rejects with the error's JSON and the flow's `state` and `needs` beside
    /// it (a write whose outcome is unknown is pending in that state).
    pub fn advance(&self, state: String, input: String, checkpoint: Option<Function>, signal: JsValue) -> Promise {
        let (client, provider) = (self.inner.clone(), self.provider);
        flow_promise(signal, state, provider, move |mut onboarding| async move {
            let outcome = match flow::input(&input) {
                Ok(input) => onboarding.advance_with(&client, input, &mut flow::checkpoint(checkpoint)).await,
                Err(e) => Err(e),
            };
            (onboarding, outcome)
        })
    }

    /// Starts a saved Vonage onboarding over after its deployment ended in `ERROR` (deletes
    /// it and waits until it is gone); resolves to `{"state","needs"}`.
    pub fn restart(&self, state: String, signal: JsValue) -> Promise {
        let (client, provider) = (self.inner.clone(), self.provider);
        promise(signal, async move {
            let mut onboarding = flow::load(&state, provider)?;
            let Onboarding::Vonage(vonage) = &mut onboarding else {
                return Err(Error::validation("state", "can only restart a Vonage onboarding"));
            };
            let needs = vonage.restart(&client).await?;
            Ok(flow::snapshot(&onboarding, needs))
        })
    }

    /// Sends the code of a saved onboarding again; resolves to `{"state","needs"}`, with
    /// `checkpoint` and failures as in `advance`.
    pub fn resend(&self, state: String, checkpoint: Option<Function>, signal: JsValue) -> Promise {
        let (client, provider) = (self.inner.clone(), self.provider);
        flow_promise(signal, state, provider, move |mut onboarding| async move {
            let outcome = onboarding.resend_with(&client, &mut flow::checkpoint(checkpoint)).await;
            (onboarding, outcome)
        })
    }
}

impl WasmClient {
    /// What a pending call's future owns: the client and its provider.
    pub(crate) fn parts(&self) -> (Rc<Client<FetchTransport>>, Provider) {
        (self.inner.clone(), self.provider)
    }
}

/// A promise of a step of the saved onboarding `state`: `{"state","needs"}`, or rejected
/// with the error's JSON plus the flow's `state` and `needs` after the failed step.
fn flow_promise<F, Fut>(signal: JsValue, state: String, provider: Provider, step: F) -> Promise
where
    F: FnOnce(Onboarding) -> Fut + 'static,
    Fut: Future<Output = (Onboarding, Result<waonboard::client::Needs, Error>)> + 'static,
{
    future_to_promise(with_signal(
        signal,
        Box::pin(async move {
            let onboarding = flow::load(&state, provider).map_err(|e| JsValue::from_str(&error_json(&e)))?;
            match step(onboarding).await {
                (onboarding, Ok(needs)) => Ok(JsValue::from_str(&flow::snapshot(&onboarding, needs))),
                (onboarding, Err(e)) => Err(JsValue::from_str(&flow::failed_step(&e, &onboarding))),
            }
        }),
    ))
}

/// A promise of the future's JSON text, rejected with the error's JSON text; `signal` is
/// the call's `AbortSignal` (or undefined).
pub(crate) fn promise(signal: JsValue, future: impl Future<Output = Result<String, Error>> + 'static) -> Promise {
    future_to_promise(with_signal(
        signal,
        Box::pin(async move {
            future.await.map(|text| JsValue::from_str(&text)).map_err(|e| JsValue::from_str(&error_json(&e)))
        }),
    ))
}

/// The JS layer gives each provider its own client class: an operation of another
/// provider would go to the wrong host with the wrong token.
pub(crate) fn check_provider(provider: Provider, op: &str) -> Result<(), Error> {
    let operation: Operation = op.parse()?;
    if operation.provider() == provider {
        Ok(())
    } else {
        Err(Error::validation("op", format!("{op} is not an operation of this {} client", provider.as_str())))
    }
}

pub(crate) fn provider_named(name: &str) -> Result<Provider, Error> {
    Provider::from_wire(name).ok_or_else(|| Error::validation("provider", "must be meta, vonage or digital99"))
}

fn build(options: &str, hooks: Hooks) -> Result<WasmClient, Error> {
    let options = json_arg("options", options)?;
    let options = options.as_object().ok_or_else(|| Error::validation("options", "must be an object"))?;
    let provider = provider_named(options.get("provider").and_then(Value::as_str).unwrap_or_default())?;
    let config = Config::from_json(options.get("config").unwrap_or(&Value::Null))?;
    let timeout_ms = match uint(options, "timeout_ms", "timeout_ms")? {
        None => FetchTransport::DEFAULT_TIMEOUT_MS,
        Some(ms) => u32::try_from(ms)
            .ok()
            .filter(|ms| *ms > 0)
            .ok_or_else(|| Error::validation("timeout_ms", "must be between 1 and 4294967295"))?,
    };
    let transport = FetchTransport { timeout_ms, hooks };
    let client_id = text(options, "client_id")?;
    let client_secret = text(options, "client_secret")?;
    let mut client = match (client_id, client_secret) {
        (Some(client_id), Some(secret)) if provider == Provider::Digital99 => {
            Client::digital99(transport, config, Digital99Credentials::new(client_id, secret))
        }
        (None, None) => Client::new(transport, config),
        _ => {
            return Err(Error::validation("client_id", "and client_secret go together, and only on a 99digital client"))
        }
    };
    if let Some(retry) = object(options, "retry")? {
        let mut policy = RetryPolicy::default();
        set_uint(retry, "max_attempts", "retry", &mut policy.max_attempts)?;
        set_uint(retry, "base_delay_ms", "retry", &mut policy.base_delay_ms)?;
        set_uint(retry, "max_delay_ms", "retry", &mut policy.max_delay_ms)?;
        set_uint(retry, "max_retry_after_ms", "retry", &mut policy.max_retry_after_ms)?;
        client = client.with_retry(policy);
    }
    if let Some(poll) = object(options, "poll")? {
        let mut policy = PollPolicy::default();
        set_uint(poll, "initial_interval_ms", "poll", &mut policy.initial_interval_ms)?;
        set_uint(poll, "max_interval_ms", "poll", &mut policy.max_interval_ms)?;
        set_uint(poll, "timeout_ms", "poll", &mut policy.timeout_ms)?;
        client = client.with_poll(policy);
    }
    if let Some(limits) = object(options, "guard_limits")? {
        let mut guard = GuardLimits::default();
        for (key, limit) in [
            ("digital99_code_requests", &mut guard.digital99_code_requests),
            ("meta_registrations", &mut guard.meta_registrations),
            ("meta_deregistrations", &mut guard.meta_deregistrations),
        ] {
            if let Some(given) = object(limits, key)? {
                let field = format!("guard_limits.{key}");
                set_uint(given, "max", &field, &mut limit.max)?;
                set_uint(given, "window_ms", &field, &mut limit.window_ms)?;
            }
        }
        client = client.with_guard_limits(guard);
    }
    if let Some(state) = options.get("guard_state").filter(|s| !s.is_null()) {
        client = client.with_guard_state(GuardState::from_value(state)?);
    }
    Ok(WasmClient { inner: Rc::new(client), provider })
}

fn text(map: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::validation(key, "must be a string")),
    }
}

fn object<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a Map<String, Value>>, Error> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(_) => Err(Error::validation(key, "must be an object")),
    }
}

fn uint(map: &Map<String, Value>, key: &str, field: &str) -> Result<Option<u64>, Error> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| Error::validation(field, "must be a whole number")),
    }
}

/// Overwrites `target` with `map[key]` when given; `prefix` names the enclosing option.
fn set_uint<T: TryFrom<u64>>(map: &Map<String, Value>, key: &str, prefix: &str, target: &mut T) -> Result<(), Error> {
    let field = format!("{prefix}.{key}");
    if let Some(n) = uint(map, key, &field)? {
        *target = T::try_from(n).map_err(|_| Error::validation(field, "is too large"))?;
    }
    Ok(())
}
