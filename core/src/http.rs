//! The plain request and response records that cross every binding, and the URL
//! building they need.

use std::fmt;

/// The HTTP methods the three providers use. Exhaustive on purpose: every transport must
/// send each of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready to send: the transport sends it as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, every path segment and query value percent-encoded.
    pub url: String,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The UTF-8 JSON body, if any.
    pub body: Option<String>,
}

/// The body fields whose values are secrets: a PIN, a one-time code, a client secret.
const SECRET_BODY_FIELDS: [&str; 3] = ["pin", "code", "client_secret"];

impl HttpRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Every secret this request carries: the bearer token and the body's PIN, code or
    /// client secret. An error about the request must show none of them, even when the
    /// provider (or a proxy) echoes them back.
    pub(crate) fn secret_values(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        if let Some(value) = self.header("authorization") {
            let token = value.split_once(' ').map_or(value, |(_, token)| token).trim();
            secrets.push(token.to_owned());
        }
        let body = self.body.as_deref().and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok());
        for field in SECRET_BODY_FIELDS {
            if let Some(value) = body.as_ref().and_then(|b| b.get(field)).and_then(|v| v.as_str()) {
                secrets.push(value.to_owned());
            }
        }
        secrets.retain(|s| !s.is_empty());
        secrets
    }
}

/// Shows the method, URL and header names, but neither the authorization value nor the
/// body, which may hold a PIN, a code or a client secret.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("authorization") { "[redacted]" } else { value };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|b| format!("[{} bytes]", b.len())))
            .finish()
    }
}

/// What came back: the status, the headers and the raw body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// `Retry-After` in milliseconds, when given in seconds (an HTTP date is ignored: the
    /// core has no clock to read it against).
    pub fn retry_after_ms(&self) -> Option<u64> {
        let seconds: u64 = self.header("retry-after")?.trim().parse().ok()?;
        seconds.checked_mul(1000)
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The same answer with every occurrence of each of `secrets` in its body replaced,
    /// so that no error read from it can quote them, not even cut in half. Only errors
    /// are read from it, so a body that is not UTF-8 may lose its odd bytes.
    pub(crate) fn without_secrets(&self, secrets: &[String]) -> HttpResponse {
        let mut body = String::from_utf8_lossy(&self.body).into_owned();
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            if body.contains(secret.as_str()) {
                body = body.replace(secret.as_str(), crate::error::REDACTED);
            }
        }
        HttpResponse { status: self.status, headers: self.headers.clone(), body: body.into_bytes() }
    }
}

/// Shows the status, headers and body size; a body may carry a fresh access token.
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format!("[{} bytes]", self.body.len()))
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Appends `text` to `out`, every byte but the RFC 3986 unreserved ones percent-encoded.
fn push_percent_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

/// An absolute URL: a validated base, path segments and query pairs, each encoded. Written
/// into the base's own buffer, grown once for the usual case of nothing to encode.
pub(crate) fn build_url(base: String, segments: &[&str], query: &[(&str, String)]) -> String {
    let extra: usize = segments.iter().map(|s| s.len() + 1).sum::<usize>()
        + query.iter().map(|(name, value)| name.len() + value.len() + 2).sum::<usize>();
    let mut url = base;
    url.reserve(extra);
    for segment in segments {
        url.push('/');
        push_percent_encoded(&mut url, segment);
    }
    for (i, (name, value)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(name);
        url.push('=');
        push_percent_encoded(&mut url, value);
    }
    url
}
