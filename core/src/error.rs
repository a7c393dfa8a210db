//! The one error type every operation returns, and the one place that decides its
//! kind, retryability and wait from what a provider answered.

use std::fmt;

use crate::Operation;

/// What went wrong, as one word every binding shares (`validation`, `rate_limited`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
}

impl ErrorKind {
    /// Every kind, in the contract's order.
    pub const ALL: [ErrorKind; 12] = [
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

/// Everything an error says beyond its kind.
///
/// No field ever holds an access token, client secret, PIN or one-time code: messages are
/// written without echoing secret input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
}

/// The error of every waonboard call: one variant per [`ErrorKind`], each with the same
/// [`ErrorDetails`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// See [`ErrorKind::Validation`].
    Validation(ErrorDetails),
    /// See [`ErrorKind::Auth`].
    Auth(ErrorDetails),
    /// See [`ErrorKind::RateLimited`].
    RateLimited(ErrorDetails),
    /// See [`ErrorKind::VerificationFailed`].
    VerificationFailed(ErrorDetails),
    /// See [`ErrorKind::Conflict`].
    Conflict(ErrorDetails),
    /// See [`ErrorKind::NotFound`].
    NotFound(ErrorDetails),
    /// See [`ErrorKind::InvalidRequest`].
    InvalidRequest(ErrorDetails),
    /// See [`ErrorKind::Provider`].
    Provider(ErrorDetails),
    /// See [`ErrorKind::Transport`].
    Transport(ErrorDetails),
    /// See [`ErrorKind::Timeout`].
    Timeout(ErrorDetails),
    /// See [`ErrorKind::Decode`].
    Decode(ErrorDetails),
    /// See [`ErrorKind::Guard`].
    Guard(ErrorDetails),
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
            | Error::Guard(d) => d,
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
            | Error::Guard(d) => d,
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
        for text in
            [Some(&mut details.message), details.field.as_mut(), details.provider_code.as_mut()].into_iter().flatten()
        {
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                if text.contains(secret.as_str()) {
                    *text = text.replace(secret.as_str(), REDACTED);
                }
            }
        }
        self
    }

    /// Tags the error with the operation it came from (kept if already set).
    pub(crate) fn in_operation(mut self, operation: Operation) -> Error {
        self.details_mut().operation.get_or_insert(operation);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

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
    fn secrets_are_replaced_in_every_text_field() {
        let error = Error::Provider(ErrorDetails {
            message: "token EAAGsecret pin 123456".into(),
            field: Some("123456".into()),
            provider_code: Some("EAAGsecret".into()),
            ..ErrorDetails::default()
        })
        .without_secrets(&["EAAGsecret".to_owned(), "123456".to_owned(), String::new()]);
        assert_eq!(error.message(), "token [redacted] pin [redacted]");
        assert_eq!((error.field(), error.provider_code()), (Some("[redacted]"), Some("[redacted]")));
    }
}
