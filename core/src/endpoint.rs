//! One type per provider operation, in the manner of ruma: it builds its HTTP request
//! and reads the answer into its typed result or a typed error.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

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
        typed(Self::OPERATION, crate::shape::read_result(Self::OPERATION, response)?)
    }
}

/// A result read by [`crate::shape`] moved into its type. The reader has checked every
/// field already, so a failure here means the table and the type disagree.
pub(crate) fn typed<T: DeserializeOwned>(op: Operation, result: serde_json::Value) -> Result<T, Error> {
    serde_json::from_value(result).map_err(|_| Error::decode(op, 200, "does not fit the result type"))
}

/// An endpoint with its parameters, as the by-id paths hold it: object safe, so that one
/// copy of the sending code serves every operation (in wasm, each copy is paid in size).
pub(crate) trait AnyEndpoint: Send + Sync {
    fn operation(&self) -> Operation;
    fn build_request(&self, config: &Config) -> Result<HttpRequest, Error>;
    fn counted_against(&self) -> Option<String>;
}

impl<E: Endpoint + Send + Sync> AnyEndpoint for E {
    fn operation(&self) -> Operation {
        E::OPERATION
    }

    fn build_request(&self, config: &Config) -> Result<HttpRequest, Error> {
        self.prepare(config)
    }

    fn counted_against(&self) -> Option<String> {
        self.guard_subject()
    }
}

/// Whether an answer is a success without a doubt: a 2xx status whose body cannot hold the
/// words of a failure. Such a body is read once, for its result, not once more to look
/// for them.
pub(crate) fn surely_succeeded(op: Operation, status: u16, body: &[u8]) -> bool {
    match op.provider() {
        _ if !(200..300).contains(&status) => false,
        Provider::Digital99 => !may_say_fail(body),
        Provider::Meta => !contains(body, b"false"),
        Provider::Vonage => true,
    }
}

/// The error an answer stands for, if it is one: each provider says so its own way.
pub(crate) fn check_failure(op: Operation, response: &HttpResponse) -> Result<(), Error> {
    if surely_succeeded(op, response.status, &response.body) {
        return Ok(());
    }
    let failure = match op.provider() {
        _ if (300..400).contains(&response.status) => Some(ProviderFailure::redirect(response.status)),
        Provider::Digital99 => digital99::failure_of(op, response),
        Provider::Meta if response.is_success() => meta::unsuccessful(response),
        _ if response.is_success() => None,
        Provider::Meta => {
            Some(meta::failure(response).unwrap_or_else(|| ProviderFailure::from_status(response.status)))
        }
        Provider::Vonage => {
            Some(vonage::failure(response).unwrap_or_else(|| ProviderFailure::from_status(response.status)))
        }
    };
    failure.map_or(Ok(()), |failure| Err(failure.into_error(op, response)))
}

/// Whether `body` may hold a 99digital `"status": "FAIL"` (in any letter case): as it is
/// written, or behind a JSON escape.
fn may_say_fail(body: &[u8]) -> bool {
    body.contains(&b'\\')
        || body
            .windows(4)
            .any(|w| w.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'f')) && w.eq_ignore_ascii_case(b"fail"))
}

/// Whether `needle` occurs in `haystack` (a JSON literal such as `false` has no other
/// spelling). The first byte is compared alone before the rest: most positions fail it.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.first() == needle.first() && w == needle)
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
        let mut headers = Vec::with_capacity(3);
        headers.push(("accept".to_owned(), "application/json".to_owned()));
        if let Some(value) = authorization {
            headers.push(("authorization".to_owned(), value));
        }
        if self.body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        HttpRequest {
            method: self.method,
            url: build_url(self.base, self.segments, &self.query),
            headers,
            body: self.body,
        }
    }
}

/// A request body: a compact JSON object written field by field in the contract's order.
/// One writer rather than a serde type per body: in wasm, each of those is paid in size.
/// Keys and values are written straight into the buffer, with no `Value` or `String` made
/// for each on the way.
pub(crate) struct Body(Vec<u8>);

impl Body {
    pub fn new() -> Body {
        // Room for the usual body (a certificate or a comment makes it longer).
        let mut out = Vec::with_capacity(256);
        out.push(b'{');
        Body(out)
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        self.push(key);
        self.0.push(b':');
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut self.0, value);
    }

    /// `"key":"text"`.
    pub fn text(mut self, key: &str, text: &str) -> Body {
        self.key(key);
        self.push(text);
        self
    }

    /// `"key":"text"`, or nothing when there is no text.
    pub fn opt_text(self, key: &str, text: Option<&str>) -> Body {
        match text {
            Some(text) => self.text(key, text),
            None => self,
        }
    }

    /// `"key":value`, or nothing when there is no value.
    pub fn opt_value(self, key: &str, value: Option<Value>) -> Body {
        match value {
            Some(value) => self.value(key, value),
            None => self,
        }
    }

    /// `"key":value`.
    pub fn value(mut self, key: &str, value: Value) -> Body {
        self.key(key);
        self.push(&value);
        self
    }

    pub fn finish(mut self) -> Option<String> {
        self.0.push(b'}');
        // serde_json writes UTF-8 only, so this is always `Some`.
        String::from_utf8(self.0).ok()
    }
}

/// A result with nothing in it: what a `204 No Content` delete returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Empty {}
