//! waonboard for Python, Kotlin and Swift, through uniffi's proc-macros (no UDL).
//!
//! This crate holds no business logic: it maps plain records, JSON text and one public
//! error onto the core's `prepare`/`parse`, its `Client` (retries, 99digital tokens, Meta
//! paging, Vonage polling, guards) and its resumable flows. Async methods run on uniffi's
//! tokio runtime, over reqwest (rustls + ring) or over the app's own [`HttpTransport`].
//! [`SandboxEngine`] carries the provider simulator for the foreign languages' sandboxes.
//! [`wire`] is a plain C ABI over the same client for Python's blocking calls and its
//! `prepare`/`parse`: one crossing per call, no event loop.
//! Every operation is also a typed method of its client, with records for its result
//! (typed.rs, generated from docs/schema.json by tools/gen_surfaces.py).

uniffi::setup_scaffolding!();

mod client;
mod error;
mod flow;
mod http;
mod preverified;
mod sandbox;
mod transport;
mod typed;
mod typed_json;
mod typed_steps;
pub mod wire;

pub use client::{
    ClientOptions, Digital99Client, GuardLimit, GuardLimits, MetaClient, PollOptions, RetryOptions, VonageClient,
};
pub use error::{error_kind_name, ErrorInfo, ErrorKind, WaonboardError};
pub use flow::{CheckpointError, Digital99Onboarding, FlowCheckpoint, MetaOnboarding, Needs, VonageOnboarding};
pub use http::{operations, parse, prepare, HttpHeader, HttpRequest, HttpResponse};
pub use preverified::PreverifiedVerification;
pub use sandbox::{
    SandboxAction, SandboxEngine, SandboxOptions, SandboxOutcome, SandboxRequest, SandboxResponse, SandboxVariable,
};
pub use transport::{HttpListener, HttpTransport, RequestEvent, ResponseEvent};
pub use typed::*;
