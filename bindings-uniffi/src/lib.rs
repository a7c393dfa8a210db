//! waonboard for Python, Kotlin and Swift, through uniffi's proc-macros (no UDL).
//!
//! This crate holds no business logic: it maps plain records, JSON text and one public
//! error onto the core's `prepare`/`parse`, its `Client` (retries, 99digital tokens, Meta
//! paging, Vonage polling, guards) and its resumable flows. Async methods run on uniffi's
//! tokio runtime, over reqwest (rustls + ring) or over the app's own [`HttpTransport`].

uniffi::setup_scaffolding!();

mod client;
mod error;
mod flow;
mod http;
mod preverified;
mod transport;

pub use client::{
    ClientOptions, Digital99Client, GuardLimit, GuardLimits, MetaClient, PollOptions, RetryOptions, VonageClient,
};
pub use error::{error_kind_name, ErrorInfo, ErrorKind, WaonboardError};
pub use flow::{CheckpointError, Digital99Onboarding, FlowCheckpoint, MetaOnboarding, Needs, VonageOnboarding};
pub use http::{operations, parse, prepare, HttpHeader, HttpRequest, HttpResponse};
pub use preverified::PreverifiedVerification;
pub use transport::{HttpListener, HttpTransport, RequestEvent, ResponseEvent};
