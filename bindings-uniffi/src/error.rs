//! The one public error of the bindings, and the one place that maps the core's error to
//! it and back (a foreign transport may raise it too).

use std::fmt;

use uniffi::UnexpectedUniFFICallbackError;
use waonboard::{ErrorDetails, Operation};

/// What went wrong, as one word every language shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ErrorKind {
    /// The input broke a rule; nothing was sent.
    Validation,
    /// The provider refused the credentials.
    Auth,
    /// Too many requests; see `retry_after_ms` and `retryable`.
    RateLimited,
    /// A one-time code or PIN was wrong.
    VerificationFailed,
    /// The resource is in a state that forbids the call.
    Conflict,
    /// The resource does not exist.
    NotFound,
    /// The provider rejected the request as malformed.
    InvalidRequest,
    /// The provider failed, or answered with a code not singled out.
    Provider,
    /// The request could not be sent or the answer not received.
    Transport,
    /// No answer came in time.
    Timeout,
    /// The answer could not be read as the operation's result.
    Decode,
    /// A client-side guard refused the call to protect a provider limit; nothing was sent.
    Guard,
    /// The caller gave up on the call (JS's `AbortSignal`; Kotlin, Swift and Python cancel
    /// their task instead, so these bindings never raise it).
    Aborted,
}

/// Everything an error says, in one record: for code that handles every kind alike.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    /// The kind.
    pub kind: ErrorKind,
    /// The contract's name of the kind, e.g. `rate_limited`.
    pub kind_name: String,
    /// A sentence for people: what was wrong and what to do.
    pub detail: String,
    /// The offending parameter (`code`, `websites[1]`, …).
    pub field: Option<String>,
    /// The provider's own code as text: `133016`, `number-in-use`, `3`.
    pub provider_code: Option<String>,
    /// The HTTP status of the answer, when there was one.
    pub http_status: Option<u16>,
    /// Whether sending the same request again later may succeed and is safe.
    pub retryable: bool,
    /// How long the provider asked to wait, in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// The operation id that failed, e.g. `meta.register`.
    pub operation: Option<String>,
    /// Meta's `fbtrace_id`, the id Meta's support asks for.
    pub fbtrace_id: Option<String>,
    /// Meta's `error_subcode`, which narrows `provider_code`.
    pub error_subcode: Option<i64>,
    /// What the transport said went wrong, on transport and timeout errors.
    pub cause_detail: Option<String>,
}

/// Declares the error with one variant per kind, each carrying the same fields, so that
/// Kotlin and Python get one exception class per kind under one base. The sentence is
/// the field `detail`: a field named `message` would clash with Kotlin's, as would one
/// named `cause` (hence `cause_detail`).
macro_rules! waonboard_error {
    ($($variant:ident => $doc:literal),+ $(,)?) => {
        /// The error of every waonboard call: one variant per [`ErrorKind`]. Its `Display`
        /// (exported) is the sentence in `detail`; no field holds a token, PIN or code.
        #[derive(Clone, Debug, PartialEq, Eq, uniffi::Error)]
        #[uniffi::export(Display)]
        pub enum WaonboardError {
            $(
                #[doc = $doc]
                $variant {
                    /// A sentence for people: what was wrong and what to do.
                    detail: String,
                    /// The offending parameter, on validation errors (or the one the provider named).
                    field: Option<String>,
                    /// The provider's own code as text.
                    provider_code: Option<String>,
                    /// The HTTP status of the answer, when there was one.
                    http_status: Option<u16>,
                    /// Whether sending the same request again later may succeed and is safe.
                    retryable: bool,
                    /// How long the provider asked to wait, in milliseconds.
                    retry_after_ms: Option<u64>,
                    /// The operation id that failed.
                    operation: Option<String>,
                    /// Meta's `fbtrace_id`, the id Meta's support asks for.
                    fbtrace_id: Option<String>,
                    /// Meta's `error_subcode`, which narrows `provider_code`.
                    error_subcode: Option<i64>,
                    /// What the transport said went wrong, on transport and timeout errors.
                    cause_detail: Option<String>,
                },
            )+
        }

        impl WaonboardError {
            fn from_info(info: ErrorInfo) -> WaonboardError {
                let ErrorInfo {
                    kind, detail, field, provider_code, http_status, retryable, retry_after_ms, operation,
                    fbtrace_id, error_subcode, cause_detail, ..
                } = info;
                match kind {
                    $(ErrorKind::$variant => WaonboardError::$variant {
                        detail, field, provider_code, http_status, retryable, retry_after_ms, operation,
                        fbtrace_id, error_subcode, cause_detail,
                    },)+
                }
            }

            fn to_info(&self) -> ErrorInfo {
                match self {
                    $(WaonboardError::$variant {
                        detail, field, provider_code, http_status, retryable, retry_after_ms, operation,
                        fbtrace_id, error_subcode, cause_detail,
                    } => {
                        ErrorInfo {
                            kind: ErrorKind::$variant,
                            kind_name: core_kind(ErrorKind::$variant).as_str().to_owned(),
                            detail: detail.clone(),
                            field: field.clone(),
                            provider_code: provider_code.clone(),
                            http_status: *http_status,
                            retryable: *retryable,
                            retry_after_ms: *retry_after_ms,
                            operation: operation.clone(),
                            fbtrace_id: fbtrace_id.clone(),
                            error_subcode: *error_subcode,
                            cause_detail: cause_detail.clone(),
                        }
                    })+
                }
            }
        }
    };
}

waonboard_error!(
    Validation => "The input broke a rule; nothing was sent.",
    Auth => "The provider refused the credentials.",
    RateLimited => "Too many requests; see `retry_after_ms` and `retryable`.",
    VerificationFailed => "A one-time code or PIN was wrong.",
    Conflict => "The resource is in a state that forbids the call.",
    NotFound => "The resource does not exist.",
    InvalidRequest => "The provider rejected the request as malformed.",
    Provider => "The provider failed, or answered with a code not singled out.",
    Transport => "The request could not be sent or the answer not received.",
    Timeout => "No answer came in time.",
    Decode => "The answer could not be read as the operation's result.",
    Guard => "A client-side guard refused the call to protect a provider limit; nothing was sent.",
    Aborted => "The caller gave up on the call.",
);

fn core_kind(kind: ErrorKind) -> waonboard::ErrorKind {
    use waonboard::ErrorKind as K;
    match kind {
        ErrorKind::Validation => K::Validation,
        ErrorKind::Auth => K::Auth,
        ErrorKind::RateLimited => K::RateLimited,
        ErrorKind::VerificationFailed => K::VerificationFailed,
        ErrorKind::Conflict => K::Conflict,
        ErrorKind::NotFound => K::NotFound,
        ErrorKind::InvalidRequest => K::InvalidRequest,
        ErrorKind::Provider => K::Provider,
        ErrorKind::Transport => K::Transport,
        ErrorKind::Timeout => K::Timeout,
        ErrorKind::Decode => K::Decode,
        ErrorKind::Guard => K::Guard,
        ErrorKind::Aborted => K::Aborted,
    }
}

fn binding_kind(kind: waonboard::ErrorKind) -> ErrorKind {
    use waonboard::ErrorKind as K;
    match kind {
        K::Validation => ErrorKind::Validation,
        K::Auth => ErrorKind::Auth,
        K::RateLimited => ErrorKind::RateLimited,
        K::VerificationFailed => ErrorKind::VerificationFailed,
        K::Conflict => ErrorKind::Conflict,
        K::NotFound => ErrorKind::NotFound,
        K::InvalidRequest => ErrorKind::InvalidRequest,
        K::Provider => ErrorKind::Provider,
        K::Transport => ErrorKind::Transport,
        K::Timeout => ErrorKind::Timeout,
        K::Decode => ErrorKind::Decode,
        K::Guard => ErrorKind::Guard,
        K::Aborted => ErrorKind::Aborted,
        // A kind of a later core: a failure of the call, as `provider` is.
        _ => ErrorKind::Provider,
    }
}

#[uniffi::export]
impl WaonboardError {
    /// The kind, whatever the variant.
    pub fn kind(&self) -> ErrorKind {
        self.to_info().kind
    }

    /// All fields at once, whatever the variant.
    pub fn info(&self) -> ErrorInfo {
        self.to_info()
    }
}

/// The contract's name of a kind, e.g. `rate_limited`.
#[uniffi::export]
pub fn error_kind_name(kind: ErrorKind) -> String {
    core_kind(kind).as_str().to_owned()
}

impl WaonboardError {
    /// A validation error on `field` raised by the bindings themselves (bad JSON, …).
    pub(crate) fn validation(field: &str, problem: impl fmt::Display) -> WaonboardError {
        waonboard::Error::validation(field, problem).into()
    }

    /// Back to the core's error, for errors a foreign transport raised.
    pub(crate) fn into_core(self) -> waonboard::Error {
        let info = self.to_info();
        let mut details = ErrorDetails::default();
        details.message = info.detail;
        details.field = info.field;
        details.provider_code = info.provider_code;
        details.http_status = info.http_status;
        details.retryable = info.retryable;
        details.retry_after_ms = info.retry_after_ms;
        details.operation = info.operation.and_then(|op| op.parse::<Operation>().ok());
        details.fbtrace_id = info.fbtrace_id;
        details.error_subcode = info.error_subcode;
        details.cause = info.cause_detail;
        waonboard::Error::new(core_kind(info.kind), details)
    }
}

impl WaonboardError {
    /// A panic or a lost task inside the library: a bug, reported as a `provider` error
    /// rather than an abort of the app.
    pub(crate) fn internal() -> WaonboardError {
        let mut details = ErrorDetails::default();
        details.message = "waonboard failed inside (a bug): please report it".to_owned();
        waonboard::Error::Provider(details).into()
    }

    /// An error from its kind's contract name and its fields, as a foreign callback
    /// reports it (an unknown kind reads as `transport`).
    pub(crate) fn from_parts(kind_name: &str, mut info: ErrorInfo) -> WaonboardError {
        let kind = waonboard::ErrorKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind_name)
            .unwrap_or(waonboard::ErrorKind::Transport);
        info.kind = binding_kind(kind);
        info.kind_name = kind.as_str().to_owned();
        WaonboardError::from_info(info)
    }
}

impl From<waonboard::Error> for WaonboardError {
    fn from(error: waonboard::Error) -> WaonboardError {
        let details = error.details().clone();
        WaonboardError::from_info(ErrorInfo {
            kind: binding_kind(error.kind()),
            kind_name: error.kind().as_str().to_owned(),
            detail: details.message,
            field: details.field,
            provider_code: details.provider_code,
            http_status: details.http_status,
            retryable: details.retryable,
            retry_after_ms: details.retry_after_ms,
            operation: details.operation.map(|op| op.as_str().to_owned()),
            fbtrace_id: details.fbtrace_id,
            error_subcode: details.error_subcode,
            cause_detail: details.cause,
        })
    }
}

/// A foreign transport that threw something other than a `WaonboardError`: the request
/// may or may not have gone out, so it is a retryable `transport` error.
impl From<UnexpectedUniFFICallbackError> for WaonboardError {
    fn from(error: UnexpectedUniFFICallbackError) -> WaonboardError {
        waonboard::Error::transport(format!("the app's transport failed: {}", error.reason))
            .with_cause(error.reason)
            .into()
    }
}

impl fmt::Display for WaonboardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaonboardError::Validation { detail, .. }
            | WaonboardError::Auth { detail, .. }
            | WaonboardError::RateLimited { detail, .. }
            | WaonboardError::VerificationFailed { detail, .. }
            | WaonboardError::Conflict { detail, .. }
            | WaonboardError::NotFound { detail, .. }
            | WaonboardError::InvalidRequest { detail, .. }
            | WaonboardError::Provider { detail, .. }
            | WaonboardError::Transport { detail, .. }
            | WaonboardError::Timeout { detail, .. }
            | WaonboardError::Decode { detail, .. }
            | WaonboardError::Guard { detail, .. }
            | WaonboardError::Aborted { detail, .. } => f.write_str(detail),
        }
    }
}

impl std::error::Error for WaonboardError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_the_core() {
        for kind in waonboard::ErrorKind::ALL {
            let mut details = ErrorDetails::default();
            details.message = "m".into();
            details.field = Some("f".into());
            details.provider_code = Some("7".into());
            details.http_status = Some(429);
            details.retryable = true;
            details.retry_after_ms = Some(1000);
            details.operation = Some(Operation::MetaRegister);
            details.fbtrace_id = Some("AbCdEf".into());
            details.error_subcode = Some(2388001);
            details.cause = Some("c".into());
            let core = waonboard::Error::new(kind, details);
            let public = WaonboardError::from(core.clone());
            let info = public.info();
            assert_eq!(info.kind_name, kind.as_str());
            assert_eq!(error_kind_name(info.kind), kind.as_str());
            assert_eq!(info.operation.as_deref(), Some("meta.register"));
            assert_eq!((info.fbtrace_id.as_deref(), info.error_subcode), (Some("AbCdEf"), Some(2388001)));
            assert_eq!(info.cause_detail.as_deref(), Some("c"));
            assert_eq!(public.to_string(), "m");
            assert_eq!(public.into_core(), core);
        }
    }
}
