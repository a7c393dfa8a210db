//! One type per provider operation, in the manner of ruma: it builds its HTTP request
//! and reads the answer into its typed result or a typed error.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::ProviderFailure;
use crate::http::build_url;
use crate::{digital99, meta, vonage, Config, Error, HttpRequest, HttpResponse, Method, Operation, Provider};

/// A provider operation: its request parameters are the fields of the implementing type.
pub trait Endpoint {
    /// Which operation this is.
    const OPERATION: Operation;
    /// What a successful answer is read into.
    type Output: Serialize + DeserializeOwned;

    /// Checks every input rule and builds the request; nothing is built from bad input.
    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error>;

    /// The number a client-side guard counts this call against, for the operations whose
    /// provider limits block a number (see [`crate::client::GuardLimits`]).
    fn guard_subject(&self) -> Option<String> {
        None
    }

    /// Reads an answer (any status) into the result or the provider's error.
    fn parse(response: &HttpResponse) -> Result<Self::Output, Error> {
        parse_response(Self::OPERATION, response)
    }
}

/// The provider-specific reading of an answer; decoding of the success body is shared.
pub(crate) fn parse_response<T: DeserializeOwned>(op: Operation, response: &HttpResponse) -> Result<T, Error> {
    match op.provider() {
        Provider::Meta | Provider::Vonage => {
            if response.is_success() {
                decode(op, response)
            } else {
                let failure = match op.provider() {
                    Provider::Meta => meta::failure(response),
                    _ => vonage::failure(response),
                };
                Err(failure.unwrap_or_else(|| ProviderFailure::from_status(response.status)).into_error(op, response))
            }
        }
        Provider::Digital99 => digital99::parse_response(op, response),
    }
}

/// Reads a success body as `T`: an empty body reads as `{}` (a 204 carries none). A body
/// that is not JSON or has the wrong shape is a `decode` error naming the JSON path.
pub(crate) fn decode<T: DeserializeOwned>(op: Operation, response: &HttpResponse) -> Result<T, Error> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &response.body };
    let mut reader = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|err| {
        let inner = err.inner();
        let problem = if inner.is_syntax() || inner.is_eof() {
            "is not complete JSON".to_owned()
        } else {
            format!("has the wrong shape at `{}`: {}", err.path(), without_value(&inner.to_string()))
        };
        Error::decode(op, response.status, problem)
    })?;
    reader.end().map_err(|_| Error::decode(op, response.status, "has trailing data after the JSON"))?;
    Ok(value)
}

/// serde's message without the offending value: `invalid type: string "abc", expected
/// u64` keeps only `invalid type: string, expected u64`, as a provider's value may be a
/// token. Field names (`missing field `id``) are kept: they are ours.
fn without_value(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or_default();
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let what = rest.split([' ', ',']).next().unwrap_or_default();
            let expected = rest.rsplit_once(", expected ").map(|(_, e)| e).unwrap_or("another value");
            return format!("{prefix}{what}, expected {expected}");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return format!(
            "unknown variant, expected {}",
            rest.rsplit_once("expected ").map(|(_, e)| e).unwrap_or("another")
        );
    }
    message.to_owned()
}

/// The parts of a request every operation shares: the JSON headers and, where a token is
/// needed, the bearer header.
pub(crate) struct RequestParts<'a> {
    pub method: Method,
    pub base: String,
    pub segments: &'a [&'a str],
    pub query: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl RequestParts<'_> {
    pub fn build(self, authorization: Option<String>) -> HttpRequest {
        let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
        if let Some(value) = authorization {
            headers.push(("authorization".to_owned(), value));
        }
        if self.body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        HttpRequest {
            method: self.method,
            url: build_url(&self.base, self.segments, &self.query),
            headers,
            body: self.body,
        }
    }
}

/// Serialises a request body; our body types always serialise, but the error is still
/// handled rather than assumed away.
pub(crate) fn json_body<T: Serialize>(op: Operation, body: &T) -> Result<Option<String>, Error> {
    serde_json::to_string(body)
        .map(Some)
        .map_err(|_| Error::validation("params", format!("{op}: the body could not be encoded")))
}

/// A result with nothing in it: what a `204 No Content` delete returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Empty {}

#[cfg(test)]
mod tests {
    #[test]
    fn offending_values_are_cut() {
        let cut = super::without_value("invalid type: integer `12345`, expected a string at line 1 column 20");
        assert_eq!(cut, "invalid type: integer, expected a string");
        let cut = super::without_value(r#"invalid type: string "EAAGsecret, x", expected u64"#);
        assert_eq!(cut, "invalid type: string, expected u64");
        assert_eq!(super::without_value("missing field `id` at line 1 column 2"), "missing field `id`");
    }
}
