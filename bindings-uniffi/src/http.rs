//! The plain request and response records that cross the FFI, and the sans-IO pair
//! `prepare`/`parse` over them. Params, configs and results cross as JSON text: one small
//! surface for 41 operations, with idiomatic wrappers on each side.

use std::fmt;

use serde_json::Value;

use crate::WaonboardError;

/// One header, in the order it was sent or received.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// The name (lower case in requests the core builds).
    pub name: String,
    /// The value.
    pub value: String,
}

/// A request ready to send, exactly as the core built it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    pub method: String,
    /// The absolute URL, every path segment and query value percent-encoded.
    pub url: String,
    /// The headers, in order.
    pub headers: Vec<HttpHeader>,
    /// The UTF-8 JSON body, if any.
    pub body: Option<String>,
}

/// What came back: any HTTP answer, whatever its status, is a response.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The headers as received.
    pub headers: Vec<HttpHeader>,
    /// The raw body.
    pub body: Vec<u8>,
}

/// The core's redacting Debug: no authorization value, no body (it may hold a PIN).
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_core() {
            Ok(request) => fmt::Debug::fmt(&request, f),
            Err(_) => f.write_str("HttpRequest { [unknown method] }"),
        }
    }
}

/// A response body may hold a fresh access token: only its size is shown.
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&waonboard::HttpResponse::from(self.clone()), f)
    }
}

fn pairs(headers: Vec<HttpHeader>) -> Vec<(String, String)> {
    headers.into_iter().map(|h| (h.name, h.value)).collect()
}

fn records(headers: Vec<(String, String)>) -> Vec<HttpHeader> {
    headers.into_iter().map(|(name, value)| HttpHeader { name, value }).collect()
}

impl From<waonboard::HttpRequest> for HttpRequest {
    fn from(request: waonboard::HttpRequest) -> HttpRequest {
        HttpRequest {
            method: request.method.as_str().to_owned(),
            url: request.url,
            headers: records(request.headers),
            body: request.body,
        }
    }
}

impl HttpRequest {
    pub(crate) fn to_core(&self) -> Result<waonboard::HttpRequest, WaonboardError> {
        use waonboard::Method;
        let method = match self.method.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return Err(WaonboardError::validation("method", "must be GET, POST, PATCH or DELETE")),
        };
        Ok(waonboard::HttpRequest {
            method,
            url: self.url.clone(),
            headers: pairs(self.headers.clone()),
            body: self.body.clone(),
        })
    }
}

impl From<HttpResponse> for waonboard::HttpResponse {
    fn from(response: HttpResponse) -> waonboard::HttpResponse {
        waonboard::HttpResponse { status: response.status, headers: pairs(response.headers), body: response.body }
    }
}

impl From<waonboard::HttpResponse> for HttpResponse {
    fn from(response: waonboard::HttpResponse) -> HttpResponse {
        HttpResponse { status: response.status, headers: records(response.headers), body: response.body }
    }
}

/// Reads JSON text handed in by the app; empty text is an empty object.
pub(crate) fn json_arg(field: &str, text: &str) -> Result<Value, WaonboardError> {
    if text.trim().is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_str(text).map_err(|e| WaonboardError::validation(field, format!("is not valid JSON: {e}")))
}

/// Checks `params_json` for `operation` and builds its request with `config_json`
/// (`access_token`, `base_url`, `api_version`, `verify_number_path`). Nothing is sent.
#[uniffi::export]
pub fn prepare(operation: String, params_json: String, config_json: String) -> Result<HttpRequest, WaonboardError> {
    let params = json_arg("params", &params_json)?;
    let config = json_arg("config", &config_json)?;
    Ok(waonboard::prepare(&operation, &params, &config)?.into())
}

/// Reads the answer to `operation` into its result as JSON text (snake_case keys,
/// absent fields left out), or raises the error it stands for.
#[uniffi::export]
pub fn parse(operation: String, response: HttpResponse) -> Result<String, WaonboardError> {
    let response = waonboard::HttpResponse::from(response);
    let result = waonboard::parse(&operation, response.status, &response.headers, &response.body)?;
    Ok(result.to_string())
}

/// Every operation id of the contract, e.g. `meta.request_code`.
#[uniffi::export]
pub fn operations() -> Vec<String> {
    waonboard::Operation::ALL.iter().map(|op| op.as_str().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_and_parse_cross_as_records_and_json() {
        let request = prepare(
            "meta.verify_code".into(),
            r#"{"phone_number_id":"106540352242922","code":"123-456"}"#.into(),
            r#"{"access_token":"EAAG-secret"}"#.into(),
        )
        .unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.body.as_deref(), Some(r#"{"code":"123456"}"#));
        assert!(!format!("{request:?}").contains("EAAG-secret"));
        assert!(!format!("{request:?}").contains("123456"));

        let answer = HttpResponse { status: 200, headers: vec![], body: br#"{"success":true}"#.to_vec() };
        assert_eq!(parse("meta.verify_code".into(), answer).unwrap(), r#"{"success":true}"#);
    }

    #[test]
    fn bad_json_is_a_validation_error_naming_the_argument() {
        let err = prepare("meta.deregister".into(), "{".into(), "{}".into()).unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some("params"));
        assert_eq!(err.kind(), crate::ErrorKind::Validation);
    }
}
