//! A plain C ABI beside uniffi's, for Python's hot paths (loaded with `ctypes`): each call
//! crosses once, with JSON text in and out, and blocks the calling thread (ctypes lets go
//! of the GIL meanwhile) instead of needing an event loop. uniffi's generated module
//! converts every record field by field and imports asyncio; measured, that was most of
//! a Python call's cost. Kotlin and Swift keep the uniffi surface.
//!
//! Every function returns [`OK`] or [`FAILED`] and hands its answer out in a
//! [`WireOut`]: the result's JSON, or on failure the error's (the fields of
//! `WaonboardError`, with `kind` its contract name). The caller gives the bytes back to
//! [`waonboard_wire_free`]. Strings come in as pointer and length, UTF-8; a null pointer
//! is "none".

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde_json::{json, Value};
use waonboard::client::{Client, Digital99Credentials, FlowInput, Needs, Onboarding, PreverifiedVerification};
use waonboard::{Config, Provider, Secret};

use crate::client::{build, call, ClientOptions, GuardLimits, PollOptions, RetryOptions};
use crate::transport::{AppTransport, HttpListener, RequestEvent, ResponseEvent};
use crate::{ErrorInfo, WaonboardError};

/// The call succeeded; the answer is its result.
pub const OK: i32 = 0;
/// The call failed; the answer is the error.
pub const FAILED: i32 = 1;

/// Bytes Rust hands out; give them back to [`waonboard_wire_free`].
#[repr(C)]
pub struct WireOut {
    /// The first byte.
    pub data: *mut u8,
    /// How many.
    pub len: usize,
}

/// The app's HTTP stack: sends the request (the JSON `[method, url, [[name, value], …],
/// body or null]`) and answers through [`waonboard_wire_reply_response`] or
/// [`waonboard_wire_reply_failure`] before it returns.
/// Hears each attempt at a request, for Python's `waonboard` logger: `phase` 0 as it
/// leaves, 1 when it ends; `text` is `operation\nmethod\nhost\npath\nerror kind` (the
/// kind empty when there is none); `status` and `duration_ms` are -1 when unknown. Never a
/// secret: the events are built from the request line alone.
pub type WireListen =
    unsafe extern "C" fn(phase: i32, text: *const u8, text_len: usize, attempt: u32, status: i32, duration_ms: i64);

/// The listener every client made after [`waonboard_wire_listen`] tells of its attempts.
static LISTEN: OnceLock<WireListen> = OnceLock::new();

/// Sets the listener of the clients made from now on (once per process; later calls are
/// ignored).
#[no_mangle]
pub extern "C" fn waonboard_wire_listen(listen: WireListen) {
    let _ = LISTEN.set(listen);
}

/// Hands a client's attempts to [`LISTEN`].
struct WireListener;

impl WireListener {
    fn tell(phase: i32, event: &RequestEvent, error: &str, status: Option<u16>, duration_ms: Option<u64>) {
        let Some(listen) = LISTEN.get() else { return };
        let text = format!("{}\n{}\n{}\n{}\n{error}", event.operation, event.method, event.host, event.path);
        let status = status.map_or(-1, i32::from);
        let duration_ms = duration_ms.and_then(|d| i64::try_from(d).ok()).unwrap_or(-1);
        // SAFETY: the listener reads `text_len` bytes at `text` during the call only.
        unsafe { listen(phase, text.as_ptr(), text.len(), event.attempt, status, duration_ms) };
    }
}

impl HttpListener for WireListener {
    fn on_request(&self, event: RequestEvent) {
        WireListener::tell(0, &event, "", None, None);
    }

    fn on_response(&self, event: ResponseEvent) {
        let request = RequestEvent {
            operation: event.operation,
            method: event.method,
            host: event.host,
            path: event.path,
            attempt: event.attempt,
        };
        WireListener::tell(
            1,
            &request,
            event.error.as_deref().unwrap_or_default(),
            event.status,
            Some(event.duration_ms),
        );
    }
}

pub type WireSend = unsafe extern "C" fn(request: *const u8, request_len: usize, reply: *mut WireReply);

/// The app's checkpoint: saves the flow's state JSON; refuses through
/// [`waonboard_wire_reply_failure`].
pub type WireSave = unsafe extern "C" fn(state: *const u8, state_len: usize, reply: *mut WireReply);

/// Where a callback leaves its answer.
#[derive(Default)]
pub struct WireReply {
    answer: Option<Result<waonboard::HttpResponse, waonboard::Error>>,
}

/// A client reached through this ABI.
pub struct WireClient {
    inner: Client<AppTransport>,
    provider: Provider,
}

/// The app's sending callback as a transport.
pub(crate) struct CallbackTransport(WireSend);

impl CallbackTransport {
    pub(crate) fn send(&self, request: waonboard::HttpRequest) -> Result<waonboard::HttpResponse, waonboard::Error> {
        let encoded = request_json(&request);
        let mut reply = WireReply::default();
        // SAFETY: the callback reads `encoded` only while it runs and answers into `reply`,
        // both alive for the whole call.
        unsafe { (self.0)(encoded.as_ptr(), encoded.len(), &mut reply) };
        reply.answer.unwrap_or_else(|| Err(waonboard::Error::transport("the app's transport gave no answer")))
    }
}

/// One runtime for every blocking call: current-thread, so that a call runs on the
/// thread that made it, with no hop to a worker and back.
fn runtime() -> Result<&'static tokio::runtime::Runtime, waonboard::Error> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| waonboard::Error::transport(format!("the I/O runtime could not start: {e}")))
}

fn request_json(request: &waonboard::HttpRequest) -> Vec<u8> {
    json!([request.method.as_str(), request.url, request.headers, request.body]).to_string().into_bytes()
}

fn error_json(error: WaonboardError) -> Value {
    let info = error.info();
    json!({
        "kind": info.kind_name, "detail": info.detail, "field": info.field,
        "provider_code": info.provider_code, "http_status": info.http_status, "retryable": info.retryable,
        "retry_after_ms": info.retry_after_ms, "operation": info.operation, "fbtrace_id": info.fbtrace_id,
        "error_subcode": info.error_subcode, "cause_detail": info.cause_detail,
    })
}

/// An error the app's callback reports, in the shape [`error_json`] writes.
#[derive(Deserialize)]
struct ForeignError {
    kind: String,
    detail: String,
    field: Option<String>,
    provider_code: Option<String>,
    http_status: Option<u16>,
    #[serde(default)]
    retryable: bool,
    retry_after_ms: Option<u64>,
    operation: Option<String>,
    fbtrace_id: Option<String>,
    error_subcode: Option<i64>,
    cause_detail: Option<String>,
}

impl ForeignError {
    fn into_core(self) -> waonboard::Error {
        let info = ErrorInfo {
            kind: crate::ErrorKind::Transport,
            kind_name: String::new(),
            detail: self.detail,
            field: self.field,
            provider_code: self.provider_code,
            http_status: self.http_status,
            retryable: self.retryable,
            retry_after_ms: self.retry_after_ms,
            operation: self.operation,
            fbtrace_id: self.fbtrace_id,
            error_subcode: self.error_subcode,
            cause_detail: self.cause_detail,
        };
        WaonboardError::from_parts(&self.kind, info).into_core()
    }
}

/// Reads `len` bytes at `data` as text; null is `None`.
///
/// # Safety
/// `data` is null or points at `len` readable bytes that outlive the call.
unsafe fn text<'a>(data: *const u8, len: usize, field: &str) -> Result<Option<&'a str>, WaonboardError> {
    if data.is_null() {
        return Ok(None);
    }
    let bytes = std::slice::from_raw_parts(data, len);
    std::str::from_utf8(bytes).map(Some).map_err(|_| WaonboardError::validation(field, "is not valid UTF-8"))
}

/// Like [`text`], for arguments that are required.
///
/// # Safety
/// As for [`text`].
unsafe fn required<'a>(data: *const u8, len: usize, field: &str) -> Result<&'a str, WaonboardError> {
    Ok(text(data, len, field)?.unwrap_or_default())
}

/// Runs `body`, writes its answer to `out` and says which it was. A panic (a bug) is a
/// `provider` error rather than an abort of the app.
///
/// # Safety
/// `out` points at a writable [`WireOut`].
unsafe fn answer(out: *mut WireOut, body: impl FnOnce() -> Result<Vec<u8>, WaonboardError>) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(WaonboardError::internal()));
    let (status, bytes) = match outcome {
        Ok(bytes) => (OK, bytes),
        Err(error) => (FAILED, error_json(error).to_string().into_bytes()),
    };
    let boxed = bytes.into_boxed_slice();
    (*out).len = boxed.len();
    (*out).data = Box::into_raw(boxed).cast::<u8>();
    status
}

fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, WaonboardError> {
    Ok(runtime()?.block_on(future))
}

/// Gives back bytes a `waonboard_wire_*` function handed out.
///
/// # Safety
/// `data` and `len` are a [`WireOut`]'s, not given back before.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_free(data: *mut u8, len: usize) {
    if !data.is_null() {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(data, len)));
    }
}

/// `prepare` in one crossing: the request as `[method, url, [[name, value], …], body]`.
///
/// # Safety
/// Each string is null or readable for its length; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_prepare(
    operation: *const u8,
    operation_len: usize,
    params: *const u8,
    params_len: usize,
    config: *const u8,
    config_len: usize,
    out: *mut WireOut,
) -> i32 {
    answer(out, || {
        let operation = required(operation, operation_len, "operation")?;
        let params = crate::http::json_arg("params", required(params, params_len, "params")?)?;
        let config = crate::http::json_arg("config", required(config, config_len, "config")?)?;
        Ok(request_json(&waonboard::prepare(operation, &params, &config)?))
    })
}

/// `parse` in one crossing: the headers as `[[name, value], …]`, the body as bytes; the
/// result's JSON.
///
/// # Safety
/// Each string is null or readable for its length; `out` is writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // a C function takes its strings as pointer and length
pub unsafe extern "C" fn waonboard_wire_parse(
    operation: *const u8,
    operation_len: usize,
    status: u16,
    headers: *const u8,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    out: *mut WireOut,
) -> i32 {
    answer(out, || {
        let operation = required(operation, operation_len, "operation")?;
        let headers = header_pairs(required(headers, headers_len, "headers")?)?;
        let body = if body.is_null() { &[][..] } else { std::slice::from_raw_parts(body, body_len) };
        Ok(waonboard::parse(operation, status, &headers, body)?.to_string().into_bytes())
    })
}

fn header_pairs(json: &str) -> Result<Vec<(String, String)>, WaonboardError> {
    if json.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(json)
        .map_err(|e| WaonboardError::validation("headers", format!("are not name/value pairs: {e}")))
}

/// Every operation id, as a JSON array.
///
/// # Safety
/// `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_operations(out: *mut WireOut) -> i32 {
    answer(out, || Ok(json!(crate::http::operations()).to_string().into_bytes()))
}

/// What makes a client: the provider, its credentials and the options of `ClientOptions`
/// (but the transport, a callback here).
#[derive(Deserialize)]
struct ClientSpec {
    provider: String,
    access_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    base_url: Option<String>,
    api_version: Option<String>,
    verify_number_path: Option<String>,
    connect_timeout_ms: Option<u64>,
    request_timeout_ms: Option<u64>,
    retry: Option<RetryOptions>,
    poll: Option<PollOptions>,
    guard_limits: Option<GuardLimits>,
    guard_state_json: Option<String>,
}

fn new_client(spec: &str, send: Option<WireSend>) -> Result<Box<WireClient>, WaonboardError> {
    let spec: ClientSpec = serde_json::from_str(spec)
        .map_err(|e| WaonboardError::validation("options", format!("are unreadable: {e}")))?;
    let provider: Provider = match spec.provider.as_str() {
        "meta" => Provider::Meta,
        "vonage" => Provider::Vonage,
        "digital99" => Provider::Digital99,
        _ => return Err(WaonboardError::validation("provider", "must be meta, vonage or digital99")),
    };
    let options = ClientOptions {
        base_url: spec.base_url,
        api_version: spec.api_version,
        verify_number_path: spec.verify_number_path,
        transport: None,
        connect_timeout_ms: spec.connect_timeout_ms,
        request_timeout_ms: spec.request_timeout_ms,
        retry: spec.retry,
        poll: spec.poll,
        guard_limits: spec.guard_limits,
        guard_state_json: spec.guard_state_json,
        listener: LISTEN.get().map(|_| Arc::new(WireListener) as Arc<dyn HttpListener>),
    };
    let transport = match send {
        Some(send) => AppTransport::callback(CallbackTransport(send)),
        None => AppTransport::new(None, options.connect_timeout_ms, options.request_timeout_ms)?,
    };
    let (config, credentials) = match (spec.access_token, spec.client_id, spec.client_secret) {
        (Some(token), _, _) => (Config::new(token), None),
        (None, Some(client_id), Some(client_secret)) => {
            (Config::default(), Some(Digital99Credentials::new(client_id, Secret::new(client_secret))))
        }
        _ => return Err(WaonboardError::validation("access_token", "is required")),
    };
    Ok(Box::new(WireClient { inner: build(config, credentials, options, transport)?, provider }))
}

/// Makes a client from its spec's JSON, over reqwest or over `send` when given; the
/// handle goes to `client` (free it with [`waonboard_wire_client_free`]).
///
/// # Safety
/// `spec` is readable for `spec_len`; `client` and `out` are writable.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_client_new(
    spec: *const u8,
    spec_len: usize,
    send: Option<WireSend>,
    client: *mut *mut WireClient,
    out: *mut WireOut,
) -> i32 {
    *client = std::ptr::null_mut();
    answer(out, || {
        let made = new_client(required(spec, spec_len, "options")?, send)?;
        *client = Box::into_raw(made);
        Ok(Vec::new())
    })
}

/// Frees a client.
///
/// # Safety
/// `client` came from [`waonboard_wire_client_new`] and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_client_free(client: *mut WireClient) {
    if !client.is_null() {
        drop(Box::from_raw(client));
    }
}

/// The client's `call`, blocking: the result's JSON.
///
/// # Safety
/// `client` is live; each string is null or readable for its length; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_client_call(
    client: *const WireClient,
    operation: *const u8,
    operation_len: usize,
    params: *const u8,
    params_len: usize,
    out: *mut WireOut,
) -> i32 {
    let client = &*client;
    answer(out, || {
        let operation = required(operation, operation_len, "operation")?;
        let params = required(params, params_len, "params")?;
        Ok(block_on(call(&client.inner, client.provider, operation, params))??.into_bytes())
    })
}

/// Meta's every phone number, following the paging, blocking: `params` as for
/// `meta.list_phone_numbers`; a JSON array.
///
/// # Safety
/// As for [`waonboard_wire_client_call`].
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_client_list_all(
    client: *const WireClient,
    params: *const u8,
    params_len: usize,
    out: *mut WireOut,
) -> i32 {
    let client = &*client;
    answer(out, || {
        let params = crate::http::json_arg("params", required(params, params_len, "params")?)?;
        Ok(block_on(client.inner.all_phone_numbers_json(&params))??.to_string().into_bytes())
    })
}

/// Vonage's `wait_for_state`, blocking: `states` a JSON array of state titles; the
/// deployment's JSON.
///
/// # Safety
/// As for [`waonboard_wire_client_call`].
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_client_wait_for_state(
    client: *const WireClient,
    deployment_id: *const u8,
    deployment_id_len: usize,
    states: *const u8,
    states_len: usize,
    out: *mut WireOut,
) -> i32 {
    let client = &*client;
    answer(out, || {
        let deployment_id = required(deployment_id, deployment_id_len, "deployment_id")?;
        let states: Vec<String> = serde_json::from_str(required(states, states_len, "states")?)
            .map_err(|_| WaonboardError::validation("states", "must be a list of state names"))?;
        let targets: Vec<&str> = states.iter().map(String::as_str).collect();
        Ok(block_on(client.inner.wait_for_state_json(deployment_id, &targets))??.to_string().into_bytes())
    })
}

/// The client's guard state as JSON.
///
/// # Safety
/// `client` is live; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_client_guard_state(client: *const WireClient, out: *mut WireOut) -> i32 {
    let client = &*client;
    answer(out, || Ok(serde_json::to_vec(&client.inner.guard_state()).unwrap_or_default()))
}

/// What a flow step does.
#[derive(Clone, Copy)]
enum Step {
    Advance,
    Resend,
    Restart,
}

/// Runs one step of a saved flow, blocking: `flow` 0 is an onboarding (`advance`,
/// `resend` or Vonage's `restart`, with the corrected `vname_certificate` if given, for
/// `step` 0, 1, 2), 1 a pre-verified verification (`advance` or `resend`). The answer, failed or not, is `{"needs", "state", "error"}`:
/// a failed step may still have moved the state on (a write's outcome learnt).
///
/// # Safety
/// `client` is live; each string is null or readable for its length; `out` is writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // a C function takes its strings as pointer and length
pub unsafe extern "C" fn waonboard_wire_flow_step(
    client: *const WireClient,
    flow: u8,
    step: u8,
    state: *const u8,
    state_len: usize,
    code: *const u8,
    code_len: usize,
    pin: *const u8,
    pin_len: usize,
    vname_certificate: *const u8,
    vname_certificate_len: usize,
    save: Option<WireSave>,
    out: *mut WireOut,
) -> i32 {
    let client = &*client;
    let step = match step {
        0 => Step::Advance,
        1 => Step::Resend,
        _ => Step::Restart,
    };
    let mut failed = false;
    let status = answer(out, || {
        let state = required(state, state_len, "state")?;
        let mut input = FlowInput::default();
        input.code = text(code, code_len, "code")?.map(Secret::from);
        input.pin = text(pin, pin_len, "pin")?.map(Secret::from);
        let certificate = text(vname_certificate, vname_certificate_len, "vname_certificate")?;
        let (outcome, state) = if flow == 0 {
            onboarding_step(client, step, state, input, certificate, save)?
        } else {
            preverified_step(client, step, state, input)?
        };
        let (needs, error) = match outcome {
            Ok(needs) => (Some(needs.as_str()), None),
            Err(error) => {
                failed = true;
                (None, Some(error_json(error.into())))
            }
        };
        Ok(json!({"needs": needs, "state": state, "error": error}).to_string().into_bytes())
    });
    if failed {
        FAILED
    } else {
        status
    }
}

type StepOutcome = (Result<Needs, waonboard::Error>, String);

fn onboarding_step(
    client: &WireClient,
    step: Step,
    state: &str,
    input: FlowInput,
    vname_certificate: Option<&str>,
    save: Option<WireSave>,
) -> Result<StepOutcome, WaonboardError> {
    let mut flow = Onboarding::from_json(state)?;
    let provider = match &flow {
        Onboarding::Meta(_) => Provider::Meta,
        Onboarding::Vonage(_) => Provider::Vonage,
        Onboarding::Digital99(_) => Provider::Digital99,
    };
    if provider != client.provider {
        return Err(WaonboardError::validation(
            "client",
            format!("is a {} client; this flow needs a {} one", client.provider.as_str(), provider.as_str()),
        ));
    }
    let mut checkpoint = |flow: &Onboarding| match save {
        None => Ok(()),
        Some(save) => {
            let state = flow.to_json();
            let mut reply = WireReply::default();
            // SAFETY: the callback reads `state` only while it runs and answers into `reply`.
            unsafe { save(state.as_ptr(), state.len(), &mut reply) };
            match reply.answer {
                Some(Err(refused)) => Err(waonboard::Error::validation(
                    "checkpoint",
                    format!("failed, so the step was not sent: {}", refused.message()),
                )),
                _ => Ok(()),
            }
        }
    };
    let outcome = block_on(async {
        match (step, &mut flow) {
            (Step::Advance, flow) => flow.advance_with(&client.inner, input, &mut checkpoint).await,
            (Step::Resend, flow) => flow.resend_with(&client.inner, &mut checkpoint).await,
            (Step::Restart, Onboarding::Vonage(flow)) => {
                if let Some(certificate) = vname_certificate {
                    flow.vname_certificate = certificate.to_owned();
                }
                flow.restart(&client.inner).await
            }
            (Step::Restart, _) => Err(waonboard::Error::validation("flow", "only a Vonage onboarding restarts")),
        }
    })?;
    Ok((outcome, flow.to_json()))
}

fn preverified_step(
    client: &WireClient,
    step: Step,
    state: &str,
    input: FlowInput,
) -> Result<StepOutcome, WaonboardError> {
    if client.provider != Provider::Meta {
        return Err(WaonboardError::validation("client", "must be a Meta client"));
    }
    let value: Value = serde_json::from_str(state).map_err(|_| WaonboardError::validation("state", "is not JSON"))?;
    let mut flow = PreverifiedVerification::from_value(&value)?;
    let outcome = block_on(async {
        match step {
            Step::Advance => flow.advance(&client.inner, input).await,
            _ => flow.resend(&client.inner).await,
        }
    })?;
    Ok((outcome, flow.to_value().to_string()))
}

/// A callback's answer: the response.
///
/// # Safety
/// `reply` is the one the callback was given; each string is null or readable for its length.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_reply_response(
    reply: *mut WireReply,
    status: u16,
    headers: *const u8,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
) {
    let headers = match required(headers, headers_len, "headers").and_then(header_pairs) {
        Ok(headers) => headers,
        Err(error) => {
            (*reply).answer = Some(Err(error.into_core()));
            return;
        }
    };
    let body = if body.is_null() { Vec::new() } else { std::slice::from_raw_parts(body, body_len).to_vec() };
    (*reply).answer = Some(Ok(waonboard::HttpResponse { status, headers, body }));
}

/// A callback's answer: a failure, as the error's JSON (`kind`, `detail`, …).
///
/// # Safety
/// `reply` is the one the callback was given; `error` is readable for its length.
#[no_mangle]
pub unsafe extern "C" fn waonboard_wire_reply_failure(reply: *mut WireReply, error: *const u8, error_len: usize) {
    let failure = required(error, error_len, "error")
        .ok()
        .and_then(|text| serde_json::from_str::<ForeignError>(text).ok())
        .map_or_else(|| waonboard::Error::transport("the app's transport failed"), ForeignError::into_core);
    (*reply).answer = Some(Err(failure));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer_of(out: &WireOut) -> Value {
        // SAFETY: `out` was just written by a wire function.
        let bytes = unsafe { std::slice::from_raw_parts(out.data, out.len) }.to_vec();
        unsafe { waonboard_wire_free(out.data, out.len) };
        serde_json::from_slice(&bytes).unwrap()
    }

    fn prepare(params: &str) -> (i32, Value) {
        let (op, config) = ("meta.verify_code", r#"{"access_token":"EAAG-secret"}"#);
        let mut out = WireOut { data: std::ptr::null_mut(), len: 0 };
        let status = unsafe {
            waonboard_wire_prepare(
                op.as_ptr(),
                op.len(),
                params.as_ptr(),
                params.len(),
                config.as_ptr(),
                config.len(),
                &mut out,
            )
        };
        (status, answer_of(&out))
    }

    #[test]
    fn prepare_crosses_once_as_json_and_a_refusal_names_its_field() {
        let (status, request) = prepare(r#"{"phone_number_id":"106540352242922","code":"123-456"}"#);
        assert_eq!(status, OK);
        assert_eq!(request[0], "POST");
        assert_eq!(request[1], "https://graph.facebook.com/v23.0/106540352242922/verify_code");
        assert_eq!(request[3], r#"{"code":"123456"}"#);

        let (status, error) = prepare(r#"{"phone_number_id":"106540352242922","code":"12"}"#);
        assert_eq!(status, FAILED);
        assert_eq!((error["kind"].as_str(), error["field"].as_str()), (Some("validation"), Some("code")));
        assert!(!error.to_string().contains("EAAG-secret"));
    }

    #[test]
    fn an_error_from_the_apps_callback_keeps_its_kind_and_cause() {
        let mut reply = WireReply::default();
        let failure =
            r#"{"kind":"timeout","detail":"no answer in time","retryable":true,"cause_detail":"TimeoutError: 30 s"}"#;
        unsafe { waonboard_wire_reply_failure(&mut reply, failure.as_ptr(), failure.len()) };
        let Some(Err(error)) = reply.answer else { panic!("no failure recorded") };
        assert_eq!(error.kind(), waonboard::ErrorKind::Timeout);
        assert_eq!(error.details().cause.as_deref(), Some("TimeoutError: 30 s"));
    }
}
