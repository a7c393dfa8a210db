//! The one error type every operation returns, and the one place that decides its
//! kind, retryability and wait from what a provider answered.

use std::fmt;

use crate::{HttpRequest, Operation};

/// What went wrong, as one word every binding shares (`validation`, `rate_limited`, …).
/// More kinds may come: match with a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input broke a rule; nothing was sent.
    Validation,
    /// The provider refused the credentials.
    Auth,
    /// Too many requests; see `retry_after_ms` and `retryable`.
    RateLimited,
    /// A one-time code or PIN was wrong.
    VerificationFailed,
    /// The resource is in a state that forbids the call (a number already in use, …).
    Conflict,
    /// The resource does not exist.
    NotFound,
    /// The provider rejected the request as malformed.
    InvalidRequest,
    /// The provider failed, or answered with a code this library does not single out.
    Provider,
    /// The request could not be sent or the answer not received.
    Transport,
    /// No answer came in time.
    Timeout,
    /// The answer could not be read as the operation's result.
    Decode,
    /// A client-side guard refused the call to protect a provider limit; nothing was sent.
    Guard,
    /// The caller gave up on the call (a JS `AbortSignal`). `retryable` when nothing was
    /// sent or the call only read; an aborted write that may have reached the provider is
    /// not, and a flow keeps it `pending`.
    Aborted,
}

impl ErrorKind {
    /// Every kind, in the contract's order.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::Validation,
        ErrorKind::Auth,
        ErrorKind::RateLimited,
        ErrorKind::VerificationFailed,
        ErrorKind::Conflict,
        ErrorKind::NotFound,
        ErrorKind::InvalidRequest,
        ErrorKind::Provider,
        ErrorKind::Transport,
        ErrorKind::Timeout,
        ErrorKind::Decode,
        ErrorKind::Guard,
        ErrorKind::Aborted,
    ];

    /// The contract's snake_case name, e.g. `"rate_limited"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Auth => "auth",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::VerificationFailed => "verification_failed",
            ErrorKind::Conflict => "conflict",
            ErrorKind::NotFound => "not_found",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Provider => "provider",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::Guard => "guard",
            ErrorKind::Aborted => "aborted",
        }
    }

    /// The kind a plain HTTP status stands for when the body names no provider code.
    pub(crate) fn from_http_status(status: u16) -> ErrorKind {
        match status {
            401 | 403 => ErrorKind::Auth,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            300..=399 | 500.. => ErrorKind::Provider,
            _ => ErrorKind::InvalidRequest,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything an error says beyond its kind. More fields may come: build one from
/// `ErrorDetails::default()` and set the fields you need.
///
/// No field ever holds an access token, client secret, PIN or one-time code: messages are
/// written without echoing secret input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// A sentence for people: what was wrong and what to do.
    pub message: String,
    /// The offending parameter (`code`, `websites[1]`, …) on validation errors; on provider
    /// errors, the parameter the provider named, when it did.
    pub field: Option<String>,
    /// The provider's own code as text: `"133016"`, `"number-in-use"`, `"3"`.
    pub provider_code: Option<String>,
    /// The HTTP status of the answer, when there was one.
    pub http_status: Option<u16>,
    /// Whether sending the same request again later may succeed and is safe.
    pub retryable: bool,
    /// How long the provider asked to wait, from `Retry-After`.
    pub retry_after_ms: Option<u64>,
    /// The operation that failed.
    pub operation: Option<Operation>,
    /// Meta's `fbtrace_id`: the id Meta's support asks for to trace the failed call.
    pub fbtrace_id: Option<String>,
    /// Meta's `error_subcode`, which narrows `provider_code` (`2388001`, …).
    pub error_subcode: Option<i64>,
    /// What the transport said went wrong, on transport and timeout errors: the
    /// underlying error's own text (`tcp connect error: Connection refused`, …).
    pub cause: Option<String>,
}

/// The error of every waonboard call: one variant per [`ErrorKind`], each with the same
/// [`ErrorDetails`]. It displays as its message. More variants may come, as kinds do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`ErrorKind::Validation`].
    #[error("{}", .0.message)]
    Validation(ErrorDetails),
    /// See [`ErrorKind::Auth`].
    #[error("{}", .0.message)]
    Auth(ErrorDetails),
    /// See [`ErrorKind::RateLimited`].
    #[error("{}", .0.message)]
    RateLimited(ErrorDetails),
    /// See [`ErrorKind::VerificationFailed`].
    #[error("{}", .0.message)]
    VerificationFailed(ErrorDetails),
    /// See [`ErrorKind::Conflict`].
    #[error("{}", .0.message)]
    Conflict(ErrorDetails),
    /// See [`ErrorKind::NotFound`].
    #[error("{}", .0.message)]
    NotFound(ErrorDetails),
    /// See [`ErrorKind::InvalidRequest`].
    #[error("{}", .0.message)]
    InvalidRequest(ErrorDetails),
    /// See [`ErrorKind::Provider`].
    #[error("{}", .0.message)]
    Provider(ErrorDetails),
    /// See [`ErrorKind::Transport`].
    #[error("{}", .0.message)]
    Transport(ErrorDetails),
    /// See [`ErrorKind::Timeout`].
    #[error("{}", .0.message)]
    Timeout(ErrorDetails),
    /// See [`ErrorKind::Decode`].
    #[error("{}", .0.message)]
    Decode(ErrorDetails),
    /// See [`ErrorKind::Guard`].
    #[error("{}", .0.message)]
    Guard(ErrorDetails),
    /// See [`ErrorKind::Aborted`].
    #[error("{}", .0.message)]
    Aborted(ErrorDetails),
}

impl Error {
    /// Builds the variant of `kind` around `details`.
    pub fn new(kind: ErrorKind, details: ErrorDetails) -> Error {
        match kind {
            ErrorKind::Validation => Error::Validation(details),
            ErrorKind::Auth => Error::Auth(details),
            ErrorKind::RateLimited => Error::RateLimited(details),
            ErrorKind::VerificationFailed => Error::VerificationFailed(details),
            ErrorKind::Conflict => Error::Conflict(details),
            ErrorKind::NotFound => Error::NotFound(details),
            ErrorKind::InvalidRequest => Error::InvalidRequest(details),
            ErrorKind::Provider => Error::Provider(details),
            ErrorKind::Transport => Error::Transport(details),
            ErrorKind::Timeout => Error::Timeout(details),
            ErrorKind::Decode => Error::Decode(details),
            ErrorKind::Guard => Error::Guard(details),
            ErrorKind::Aborted => Error::Aborted(details),
        }
    }

    /// A validation error on `field`; `problem` completes the sentence "`field` …".
    pub fn validation(field: impl Into<String>, problem: impl fmt::Display) -> Error {
        let field = field.into();
        Error::Validation(ErrorDetails {
            message: format!("{field} {problem}"),
            field: Some(field),
            ..ErrorDetails::default()
        })
    }

    /// The answer of `operation` could not be read as its result.
    pub(crate) fn decode(operation: Operation, status: u16, problem: impl fmt::Display) -> Error {
        Error::Decode(ErrorDetails {
            message: format!("{operation}: the HTTP {status} answer {problem}"),
            http_status: Some(status),
            operation: Some(operation),
            ..ErrorDetails::default()
        })
    }

    /// The variant as a plain kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::Auth(_) => ErrorKind::Auth,
            Error::RateLimited(_) => ErrorKind::RateLimited,
            Error::VerificationFailed(_) => ErrorKind::VerificationFailed,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::InvalidRequest(_) => ErrorKind::InvalidRequest,
            Error::Provider(_) => ErrorKind::Provider,
            Error::Transport(_) => ErrorKind::Transport,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Decode(_) => ErrorKind::Decode,
            Error::Guard(_) => ErrorKind::Guard,
            Error::Aborted(_) => ErrorKind::Aborted,
        }
    }

    /// The details every variant carries.
    pub fn details(&self) -> &ErrorDetails {
        match self {
            Error::Validation(d)
            | Error::Auth(d)
            | Error::RateLimited(d)
            | Error::VerificationFailed(d)
            | Error::Conflict(d)
            | Error::NotFound(d)
            | Error::InvalidRequest(d)
            | Error::Provider(d)
            | Error::Transport(d)
            | Error::Timeout(d)
            | Error::Decode(d)
            | Error::Guard(d)
            | Error::Aborted(d) => d,
        }
    }

    fn details_mut(&mut self) -> &mut ErrorDetails {
        match self {
            Error::Validation(d)
            | Error::Auth(d)
            | Error::RateLimited(d)
            | Error::VerificationFailed(d)
            | Error::Conflict(d)
            | Error::NotFound(d)
            | Error::InvalidRequest(d)
            | Error::Provider(d)
            | Error::Transport(d)
            | Error::Timeout(d)
            | Error::Decode(d)
            | Error::Guard(d)
            | Error::Aborted(d) => d,
        }
    }

    /// The sentence for people.
    pub fn message(&self) -> &str {
        &self.details().message
    }

    /// The offending parameter, see [`ErrorDetails::field`].
    pub fn field(&self) -> Option<&str> {
        self.details().field.as_deref()
    }

    /// The provider's own code, see [`ErrorDetails::provider_code`].
    pub fn provider_code(&self) -> Option<&str> {
        self.details().provider_code.as_deref()
    }

    /// The HTTP status of the answer, if any.
    pub fn http_status(&self) -> Option<u16> {
        self.details().http_status
    }

    /// Whether the same request may be sent again later.
    pub fn retryable(&self) -> bool {
        self.details().retryable
    }

    /// How long the provider asked to wait, in milliseconds.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.details().retry_after_ms
    }

    /// The operation that failed, if known.
    pub fn operation(&self) -> Option<Operation> {
        self.details().operation
    }

    /// Meta's trace id of the failed call, see [`ErrorDetails::fbtrace_id`].
    pub fn fbtrace_id(&self) -> Option<&str> {
        self.details().fbtrace_id.as_deref()
    }

    /// Meta's subcode, see [`ErrorDetails::error_subcode`].
    pub fn error_subcode(&self) -> Option<i64> {
        self.details().error_subcode
    }

    /// What the transport said went wrong, see [`ErrorDetails::cause`].
    pub fn cause(&self) -> Option<&str> {
        self.details().cause.as_deref()
    }

    /// The same error with the underlying error's text kept as its cause.
    pub fn with_cause(mut self, cause: impl Into<String>) -> Error {
        self.details_mut().cause = Some(cause.into());
        self
    }

    /// The provider answered with a redirect (`status`, when the transport could see it):
    /// never followed, since a provider never redirects these calls and following one
    /// would carry a PIN, code or secret to another host. A transport that cannot read the
    /// status of a redirect it refused (fetch's opaque redirect) returns this.
    pub fn redirect(status: Option<u16>) -> Error {
        let shown = status.map_or_else(|| "a redirect".to_owned(), |s| format!("a redirect (HTTP {s})"));
        Error::Provider(ErrorDetails {
            message: format!(
                "the provider answered with {shown}, which is never followed: check the base URL (a proxy or a \
                 wrong host redirects; the providers' APIs do not)"
            ),
            http_status: status,
            ..ErrorDetails::default()
        })
    }

    /// The same error with every occurrence of each of `secrets` (the values a request
    /// carried: token, client secret, PIN, code) replaced, in every text field.
    pub(crate) fn without_secrets(mut self, secrets: &[String]) -> Error {
        let details = self.details_mut();
        let texts = [
            Some(&mut details.message),
            details.field.as_mut(),
            details.provider_code.as_mut(),
            details.fbtrace_id.as_mut(),
            details.cause.as_mut(),
        ];
        for text in texts.into_iter().flatten() {
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                if text.contains(secret.as_str()) {
                    *text = text.replace(secret.as_str(), REDACTED);
                }
            }
        }
        self
    }

    /// A transport, timeout or abort error made to say where the request went: the method,
    /// host and path (`POST graph.facebook.com/v23.0/123/register: …`), never the query
    /// (it may hold values) or the body. Other kinds are left as they are.
    pub(crate) fn sent_to(mut self, request: &HttpRequest) -> Error {
        if matches!(self.kind(), ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Aborted) {
            let details = self.details_mut();
            details.message =
                format!("{} {}: {}", request.method.as_str(), host_and_path(&request.url), details.message);
        }
        self
    }

    /// The same error with `hint`, a likelier cause, after its message.
    pub(crate) fn with_hint(mut self, hint: &str) -> Error {
        let details = self.details_mut();
        details.message = format!("{}: {hint}", details.message);
        self
    }

    /// Tags the error with the operation it came from (kept if already set).
    pub(crate) fn in_operation(mut self, operation: Operation) -> Error {
        self.details_mut().operation.get_or_insert(operation);
        self
    }
}

/// `host/path` of an absolute URL: no scheme, user info, query or fragment.
fn host_and_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    }
}

/// The host (with its port) and the path of an absolute URL, as [`host_and_path`] cuts
/// it: what may be logged of a request.
pub(crate) fn host_and_path_parts(url: &str) -> (&str, &str) {
    let both = host_and_path(url);
    both.split_at(both.find('/').unwrap_or(both.len()))
}

/// What replaces a secret value found in a provider's text.
pub(crate) const REDACTED: &str = "[redacted]";

/// The most characters an error message built from a provider's text has.
pub(crate) const MAX_MESSAGE_CHARS: usize = 512;

/// The most characters of a provider's code or field name kept.
const MAX_CODE_CHARS: usize = 64;

/// A provider's text made safe to print: ANSI escape sequences and other control
/// characters (and the Unicode direction overrides that reorder a terminal line) removed,
/// runs of whitespace made one space, and cut to `max` characters (the last one `…`).
/// A provider or a proxy in front of it may send anything: megabytes, or escapes that
/// rewrite the user's terminal.
pub(crate) fn clean_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            c if c.is_whitespace() || c.is_control() => space = count > 0,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => {
                for c in space.then_some(' ').into_iter().chain([c]) {
                    if count == max {
                        out.pop();
                        out.push('…');
                        return out;
                    }
                    out.push(c);
                    count += 1;
                }
                space = false;
            }
        }
    }
    out
}

/// Skips the rest of an escape sequence after ESC: CSI (`ESC [ … final`), OSC and the
/// other string sequences (`ESC ] … BEL` or `ESC \\`), or ESC and one character.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => {
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// What a provider's error body said, before it becomes an [`Error`].
pub(crate) struct ProviderFailure {
    pub kind: ErrorKind,
    pub provider_code: Option<String>,
    pub field: Option<String>,
    pub message: String,
    /// Retryable whatever the operation (Meta 133004, rate limits other than 133016).
    pub always_retryable: bool,
    /// Meta's `fbtrace_id`, see [`ErrorDetails::fbtrace_id`].
    pub fbtrace_id: Option<String>,
    /// Meta's `error_subcode`, see [`ErrorDetails::error_subcode`].
    pub error_subcode: Option<i64>,
}

impl ProviderFailure {
    /// A failure known only by its HTTP status.
    pub fn from_status(status: u16) -> ProviderFailure {
        let kind = ErrorKind::from_http_status(status);
        ProviderFailure {
            kind,
            provider_code: None,
            field: None,
            message: format!("the provider answered HTTP {status}"),
            always_retryable: kind == ErrorKind::RateLimited,
            fbtrace_id: None,
            error_subcode: None,
        }
    }

    /// A redirect, see [`Error::redirect`]; it is not repeated either.
    pub fn redirect(status: u16) -> ProviderFailure {
        ProviderFailure {
            kind: ErrorKind::Provider,
            provider_code: None,
            field: None,
            message: Error::redirect(Some(status)).message().to_owned(),
            always_retryable: false,
            fbtrace_id: None,
            error_subcode: None,
        }
    }

    /// The public error, with retryability settled for `operation`: a 5xx is worth
    /// repeating only for a read, since a write may already have taken effect. The
    /// provider's text is cleaned and cut (see [`clean_text`]).
    pub fn into_error(self, operation: Operation, response: &crate::HttpResponse) -> Error {
        let status = response.status;
        let retryable = self.always_retryable || (status >= 500 && operation.is_read());
        let provider_code = self.provider_code.map(|c| clean_text(&c, MAX_CODE_CHARS));
        let code = match &provider_code {
            Some(code) => format!(" (code {code})"),
            None => String::new(),
        };
        Error::new(
            self.kind,
            ErrorDetails {
                message: clean_text(&format!("{operation} failed{code}: {}", self.message), MAX_MESSAGE_CHARS),
                field: self.field.map(|f| clean_text(&f, MAX_CODE_CHARS)),
                provider_code,
                http_status: Some(status),
                retryable,
                retry_after_ms: response.retry_after_ms(),
                operation: Some(operation),
                fbtrace_id: self.fbtrace_id.map(|id| clean_text(&id, MAX_CODE_CHARS)),
                error_subcode: self.error_subcode,
                cause: None,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_text_is_cleaned_and_cut() {
        assert_eq!(clean_text("\u{1b}[31mred\u{1b}[0m and\n\tplain\u{7}", 100), "red and plain");
        assert_eq!(clean_text("a\u{1b}]0;title\u{7}b\u{1b}]8;;x\u{1b}\\c", 100), "abc");
        assert_eq!(clean_text("left\u{202e}txet", 100), "lefttxet");
        let long = "é".repeat(600);
        let cut = clean_text(&long, MAX_MESSAGE_CHARS);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(clean_text(&"x".repeat(512), MAX_MESSAGE_CHARS), "x".repeat(512), "exactly the limit is kept");
    }

    #[test]
    fn a_transport_error_names_method_host_and_path_only() {
        let request = HttpRequest {
            method: crate::Method::Get,
            url: "https://user:pw@graph.facebook.com/v23.0/123/phone_numbers?after=abc#frag".into(),
            headers: Vec::new(),
            body: None,
        };
        let error = Error::transport("refused").sent_to(&request);
        assert_eq!(error.message(), "GET graph.facebook.com/v23.0/123/phone_numbers: refused");
        let decode = Error::decode(Operation::MetaRegister, 200, "is empty").sent_to(&request);
        assert!(!decode.message().starts_with("GET"), "only transport and timeout errors: {decode}");
    }

    #[test]
    fn secrets_are_replaced_in_every_text_field() {
        let error = Error::Provider(ErrorDetails {
            message: "token EAAGsecret pin 123456".into(),
            field: Some("123456".into()),
            provider_code: Some("EAAGsecret".into()),
            cause: Some("sent EAAGsecret".into()),
            ..ErrorDetails::default()
        })
        .without_secrets(&["EAAGsecret".to_owned(), "123456".to_owned(), String::new()]);
        assert_eq!(error.message(), "token [redacted] pin [redacted]");
        assert_eq!((error.field(), error.provider_code()), (Some("[redacted]"), Some("[redacted]")));
        assert_eq!(error.cause(), Some("sent [redacted]"));
    }
}
