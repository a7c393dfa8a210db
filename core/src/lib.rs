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
mod secret;
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

use params::{FromParams, Params};
use serde_json::Value;

/// Calls `$run::<Type>` with the endpoint type of `$op`: the one table from operation ids
/// to types.
macro_rules! with_endpoint {
    ($op:expr, $run:ident ( $($arg:expr),* )) => {
        match $op {
            Operation::MetaRequestCode => $run::<meta::RequestCode>($($arg),*),
            Operation::MetaVerifyCode => $run::<meta::VerifyCode>($($arg),*),
            Operation::MetaRegister => $run::<meta::Register>($($arg),*),
            Operation::MetaDeregister => $run::<meta::Deregister>($($arg),*),
            Operation::MetaSetTwoStepPin => $run::<meta::SetTwoStepPin>($($arg),*),
            Operation::MetaGetPhoneNumber => $run::<meta::GetPhoneNumber>($($arg),*),
            Operation::MetaListPhoneNumbers => $run::<meta::ListPhoneNumbers>($($arg),*),
            Operation::MetaAddPhoneNumber => $run::<meta::AddPhoneNumber>($($arg),*),
            Operation::VonageCreateDeployment => $run::<vonage::CreateDeployment>($($arg),*),
            Operation::VonageGetDeployment => $run::<vonage::GetDeployment>($($arg),*),
            Operation::VonageListDeployments => $run::<vonage::ListDeployments>($($arg),*),
            Operation::VonageDeleteDeployment => $run::<vonage::DeleteDeployment>($($arg),*),
            Operation::VonageResendOtp => $run::<vonage::ResendOtp>($($arg),*),
            Operation::VonageVerifyOtp => $run::<vonage::VerifyOtp>($($arg),*),
            Operation::VonageGetProfile => $run::<vonage::GetProfile>($($arg),*),
            Operation::VonageUpdateProfile => $run::<vonage::UpdateProfile>($($arg),*),
            Operation::VonageGetProfilePhoto => $run::<vonage::GetProfilePhoto>($($arg),*),
            Operation::VonageUpdateProfilePhoto => $run::<vonage::UpdateProfilePhoto>($($arg),*),
            Operation::VonageListStickerpacks => $run::<vonage::ListStickerpacks>($($arg),*),
            Operation::VonageCreateStickerpack => $run::<vonage::CreateStickerpack>($($arg),*),
            Operation::VonageUpdateStickerpack => $run::<vonage::UpdateStickerpack>($($arg),*),
            Operation::VonageDeleteStickerpack => $run::<vonage::DeleteStickerpack>($($arg),*),
            Operation::VonageListStickers => $run::<vonage::ListStickers>($($arg),*),
            Operation::VonageGetSticker => $run::<vonage::GetSticker>($($arg),*),
            Operation::VonageCreateSticker => $run::<vonage::CreateSticker>($($arg),*),
            Operation::VonageDeleteSticker => $run::<vonage::DeleteSticker>($($arg),*),
            Operation::Digital99AccessToken => $run::<digital99::RequestAccessToken>($($arg),*),
            Operation::Digital99RegisterNumber => $run::<digital99::RegisterNumber>($($arg),*),
            Operation::Digital99VerifyNumber => $run::<digital99::VerifyNumber>($($arg),*),
            Operation::Digital99ListRegisteredNumbers => $run::<digital99::ListRegisteredNumbers>($($arg),*),
            Operation::Digital99ListWhatsappNumbers => $run::<digital99::ListWhatsappNumbers>($($arg),*),
            Operation::Digital99ListAccounts => $run::<digital99::ListAccounts>($($arg),*),
            Operation::Digital99DeleteAccount => $run::<digital99::DeleteAccount>($($arg),*),
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
    with_endpoint!(operation, prepare_as(params, &config)).map_err(|e| e.in_operation(operation))
}

fn prepare_as<E: Endpoint + FromParams>(params: &Value, config: &Config) -> Result<HttpRequest, Error> {
    let mut params = Params::new(params)?;
    let endpoint = E::from_params(&mut params)?;
    params.finish()?;
    endpoint.prepare(config)
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
    let response = HttpResponse { status, headers: headers.to_vec(), body: body.to_vec() };
    with_endpoint!(operation, parse_as(&response))
}

/// Parses with `E` and turns the typed result into the contract's JSON.
fn parse_as<E: Endpoint>(response: &HttpResponse) -> Result<Value, Error> {
    let output = E::parse(response)?;
    let value = serde_json::to_value(output)
        .map_err(|_| Error::decode(E::OPERATION, response.status, "could not be turned into JSON"))?;
    Ok(without_nulls(value))
}

/// Drops null members: an absent field is left out, never invented as `null`.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The README's examples run as doctests, so the quick start cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

#[cfg(test)]
mod tests {
    use super::*;

    fn operation_of<E: Endpoint>() -> Operation {
        E::OPERATION
    }

    /// The id → type table and each type's own `OPERATION` must agree.
    #[test]
    fn every_operation_maps_to_its_own_endpoint() {
        for op in Operation::ALL {
            assert_eq!(with_endpoint!(*op, operation_of()), *op);
            assert_eq!(op.as_str().parse::<Operation>().unwrap(), *op);
        }
        assert_eq!(Operation::ALL.len(), 33);
    }
}
