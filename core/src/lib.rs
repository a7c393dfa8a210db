//! # waonboard
//!
//! Onboards WhatsApp Business phone numbers through Meta's WhatsApp Cloud API, Vonage's
//! WhatsApp Provisioning API and the 99digital Partners API.
//!
//! This crate is **sans-IO**: it checks input, builds [`HttpRequest`]s and reads
//! [`HttpResponse`]s into typed results or a typed [`Error`], and never touches the
//! network, the clock or randomness. Bring any HTTP client; the bindings for JavaScript,
//! Python, Kotlin and Swift bring theirs.
//!
//! Each provider operation is a type implementing [`Endpoint`] (one module per provider:
//! [`meta`], [`vonage`], [`digital99`]). The same operations are reachable by id over
//! JSON-shaped values through [`prepare`] and [`parse`], which every binding exposes.
//!
//! ```
//! use waonboard::{meta, Config, Endpoint, HttpResponse};
//!
//! let config = Config::new("EAAG-example-token");
//! let request = meta::VerifyCode { phone_number_id: "106540352242922".into(), code: "123-456".into() }
//!     .prepare(&config)?;
//! assert_eq!(request.url, "https://graph.facebook.com/v23.0/106540352242922/verify_code");
//! assert_eq!(request.body.as_deref(), Some(r#"{"code":"123456"}"#));
//!
//! // Send it with any HTTP client, then read the answer:
//! let answer = HttpResponse { status: 200, headers: vec![], body: br#"{"success":true}"#.to_vec() };
//! assert!(meta::VerifyCode::parse(&answer)?.success);
//! # Ok::<(), waonboard::Error>(())
//! ```
//!
//! Bad input never becomes a request:
//!
//! ```
//! use waonboard::{ErrorKind, Config, Endpoint, vonage};
//!
//! let err = vonage::VerifyOtp { deployment_id: "aaaaaaaa-bbbb".into(), code: "12345".into() }
//!     .prepare(&Config::new("jwt"))
//!     .unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Validation);
//! assert_eq!(err.field(), Some("code"));
//! ```

mod calling_codes;
pub mod client;
mod config;
mod de;
pub mod digital99;
mod endpoint;
mod error;
mod http;
pub mod meta;
mod operation;
mod params;
mod phone;
pub mod schema;
mod secret;
mod shape;
mod validate;
pub mod vonage;

pub use config::{Config, DEFAULT_DIGITAL99_VERIFY_PATH, DEFAULT_META_API_VERSION};
pub use endpoint::{Empty, Endpoint};
pub use error::{Error, ErrorDetails, ErrorKind};
pub use http::{HttpRequest, HttpResponse, Method};
pub use operation::{Operation, Provider};
pub use phone::{InvalidPhoneNumber, PhoneNumber};
pub use secret::Secret;
pub use validate::DeliveryMethod;

use endpoint::AnyEndpoint;
use params::{FromParams, Params};
use serde_json::Value;

/// Calls `$run::<Type>(args)` (followed by any `$tail`, such as `.await`) with the
/// endpoint type of `$op`: the one table from operation ids to types.
macro_rules! with_endpoint {
    ($op:expr, $run:ident ( $($arg:expr),* ) $($tail:tt)*) => {
        match $op {
            Operation::MetaRequestCode => $run::<meta::RequestCode>($($arg),*) $($tail)*,
            Operation::MetaVerifyCode => $run::<meta::VerifyCode>($($arg),*) $($tail)*,
            Operation::MetaRegister => $run::<meta::Register>($($arg),*) $($tail)*,
            Operation::MetaDeregister => $run::<meta::Deregister>($($arg),*) $($tail)*,
            Operation::MetaSetTwoStepPin => $run::<meta::SetTwoStepPin>($($arg),*) $($tail)*,
            Operation::MetaGetPhoneNumber => $run::<meta::GetPhoneNumber>($($arg),*) $($tail)*,
            Operation::MetaListPhoneNumbers => $run::<meta::ListPhoneNumbers>($($arg),*) $($tail)*,
            Operation::MetaAddPhoneNumber => $run::<meta::AddPhoneNumber>($($arg),*) $($tail)*,
            Operation::MetaAddPreverifiedNumber => $run::<meta::AddPreverifiedNumber>($($arg),*) $($tail)*,
            Operation::MetaListPreverifiedNumbers => $run::<meta::ListPreverifiedNumbers>($($arg),*) $($tail)*,
            Operation::MetaGetPreverifiedNumber => $run::<meta::GetPreverifiedNumber>($($arg),*) $($tail)*,
            Operation::MetaDeletePreverifiedNumber => $run::<meta::DeletePreverifiedNumber>($($arg),*) $($tail)*,
            Operation::MetaRequestPreverifiedCode => $run::<meta::RequestPreverifiedCode>($($arg),*) $($tail)*,
            Operation::MetaVerifyPreverifiedCode => $run::<meta::VerifyPreverifiedCode>($($arg),*) $($tail)*,
            Operation::MetaListPreverifiedPartners => $run::<meta::ListPreverifiedPartners>($($arg),*) $($tail)*,
            Operation::MetaSharePreverifiedNumber => $run::<meta::SharePreverifiedNumber>($($arg),*) $($tail)*,
            Operation::VonageCreateDeployment => $run::<vonage::CreateDeployment>($($arg),*) $($tail)*,
            Operation::VonageGetDeployment => $run::<vonage::GetDeployment>($($arg),*) $($tail)*,
            Operation::VonageListDeployments => $run::<vonage::ListDeployments>($($arg),*) $($tail)*,
            Operation::VonageDeleteDeployment => $run::<vonage::DeleteDeployment>($($arg),*) $($tail)*,
            Operation::VonageResendOtp => $run::<vonage::ResendOtp>($($arg),*) $($tail)*,
            Operation::VonageVerifyOtp => $run::<vonage::VerifyOtp>($($arg),*) $($tail)*,
            Operation::VonageGetProfile => $run::<vonage::GetProfile>($($arg),*) $($tail)*,
            Operation::VonageUpdateProfile => $run::<vonage::UpdateProfile>($($arg),*) $($tail)*,
            Operation::VonageGetProfilePhoto => $run::<vonage::GetProfilePhoto>($($arg),*) $($tail)*,
            Operation::VonageUpdateProfilePhoto => $run::<vonage::UpdateProfilePhoto>($($arg),*) $($tail)*,
            Operation::VonageListStickerpacks => $run::<vonage::ListStickerpacks>($($arg),*) $($tail)*,
            Operation::VonageCreateStickerpack => $run::<vonage::CreateStickerpack>($($arg),*) $($tail)*,
            Operation::VonageUpdateStickerpack => $run::<vonage::UpdateStickerpack>($($arg),*) $($tail)*,
            Operation::VonageDeleteStickerpack => $run::<vonage::DeleteStickerpack>($($arg),*) $($tail)*,
            Operation::VonageListStickers => $run::<vonage::ListStickers>($($arg),*) $($tail)*,
            Operation::VonageGetSticker => $run::<vonage::GetSticker>($($arg),*) $($tail)*,
            Operation::VonageCreateSticker => $run::<vonage::CreateSticker>($($arg),*) $($tail)*,
            Operation::VonageDeleteSticker => $run::<vonage::DeleteSticker>($($arg),*) $($tail)*,
            Operation::Digital99AccessToken => $run::<digital99::RequestAccessToken>($($arg),*) $($tail)*,
            Operation::Digital99RegisterNumber => $run::<digital99::RegisterNumber>($($arg),*) $($tail)*,
            Operation::Digital99VerifyNumber => $run::<digital99::VerifyNumber>($($arg),*) $($tail)*,
            Operation::Digital99ListRegisteredNumbers => $run::<digital99::ListRegisteredNumbers>($($arg),*) $($tail)*,
            Operation::Digital99ListWhatsappNumbers => $run::<digital99::ListWhatsappNumbers>($($arg),*) $($tail)*,
            Operation::Digital99ListAccounts => $run::<digital99::ListAccounts>($($arg),*) $($tail)*,
            Operation::Digital99DeleteAccount => $run::<digital99::DeleteAccount>($($arg),*) $($tail)*,
        }
    };
}

/// Checks `params` for operation `op` and builds its request with `config` (the contract's
/// JSON shapes: snake_case keys; see `docs/contract.md`).
///
/// ```
/// use serde_json::json;
/// let request = waonboard::prepare(
///     "digital99.register_number",
///     &json!({"phone_number": "+972-50-123-4567", "method": "SMS", "language": "1"}),
///     &json!({"access_token": "token"}),
/// )?;
/// assert_eq!(request.url, "https://partners.99digital.co.il/api/whatsapp/registerNumber");
/// assert_eq!(request.body.as_deref(), Some(r#"{"whatsapp":"972501234567","method":1,"language":"1"}"#));
/// # Ok::<(), waonboard::Error>(())
/// ```
pub fn prepare(op: &str, params: &Value, config: &Value) -> Result<HttpRequest, Error> {
    let operation: Operation = op.parse()?;
    let config = Config::from_json(config)?;
    endpoint_from(operation, params).and_then(|e| e.build_request(&config)).map_err(|e| e.in_operation(operation))
}

/// The endpoint of `op` with its parameters read from the contract's JSON `params`.
pub(crate) fn endpoint_from(op: Operation, params: &Value) -> Result<Box<dyn AnyEndpoint>, Error> {
    with_endpoint!(op, read_params(params))
}

fn read_params<E: Endpoint + FromParams + Send + Sync + 'static>(
    params: &Value,
) -> Result<Box<dyn AnyEndpoint>, Error> {
    let mut params = Params::new(params, "params")?;
    let endpoint = E::from_params(&mut params)?;
    params.finish("operation")?;
    Ok(Box::new(endpoint))
}

/// Reads the answer to operation `op` into its result as JSON (snake_case keys, absent
/// fields left out), or the error it stands for.
///
/// ```
/// let err = waonboard::parse(
///     "meta.register",
///     400,
///     &[],
///     br#"{"error":{"message":"Too many attempts","type":"OAuthException","code":133016}}"#,
/// )
/// .unwrap_err();
/// assert_eq!(err.kind(), waonboard::ErrorKind::RateLimited);
/// assert!(!err.retryable());
/// ```
pub fn parse(op: &str, status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Value, Error> {
    let operation: Operation = op.parse()?;
    // The answer is copied into an `HttpResponse` only when it may stand for an error.
    if !endpoint::surely_succeeded(operation, status, body) {
        let response = HttpResponse { status, headers: headers.to_vec(), body: body.to_vec() };
        endpoint::check_failure(operation, &response)?;
    }
    shape::read_success(operation, status, body)
}

/// The README's examples run as doctests, so the quick start cannot rot (with the
/// `reqwest` feature, which its client example uses).
#[cfg(all(doctest, feature = "reqwest"))]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

#[cfg(test)]
mod tests {
    use super::*;

    fn operation_of<E: Endpoint>() -> Operation {
        E::OPERATION
    }

    /// The typed result and the JSON result of one answer, which must agree: each result
    /// type is read through its table in `shape`, and the two are written separately.
    fn typed_and_json<E: Endpoint>(response: &HttpResponse) -> (Result<Value, ErrorKind>, Result<Value, ErrorKind>) {
        let typed = E::parse(response).map(|t| shape::without_nulls(serde_json::to_value(t).unwrap()));
        let json = parse(E::OPERATION.as_str(), response.status, &response.headers, &response.body);
        (typed.map_err(|e| e.kind()), json.map_err(|e| e.kind()))
    }

    /// Every answer of the shared vectors reads the same into the typed result as into
    /// the JSON one.
    #[test]
    fn typed_results_agree_with_the_json_results() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
        let mut checked = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let cases: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for case in cases["cases"].as_array().unwrap() {
                let Some(answer) = case.get("response") else { continue };
                let body = match (answer.get("body"), answer.get("body_text")) {
                    (Some(body), _) => body.to_string().into_bytes(),
                    (None, text) => text.and_then(Value::as_str).unwrap_or_default().as_bytes().to_vec(),
                };
                let headers = answer.get("headers").and_then(Value::as_object).map_or(Vec::new(), |h| {
                    h.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
                });
                let status = u16::try_from(answer["status"].as_u64().unwrap()).unwrap();
                let response = HttpResponse { status, headers, body };
                let op: Operation = case["op"].as_str().unwrap().parse().unwrap();
                let (typed, json) = with_endpoint!(op, typed_and_json(&response));
                assert_eq!(typed, json, "{}", case["name"]);
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} answers checked");
    }

    /// The id → type table and each type's own `OPERATION` must agree.
    #[test]
    fn every_operation_maps_to_its_own_endpoint() {
        for op in Operation::ALL {
            assert_eq!(with_endpoint!(*op, operation_of()), *op);
            assert_eq!(op.as_str().parse::<Operation>().unwrap(), *op);
        }
        assert_eq!(Operation::ALL.len(), 41);
    }
}
