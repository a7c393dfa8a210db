//! A local, stateful simulator of the three provider APIs waonboard speaks: Meta's
//! WhatsApp Cloud API (phone-number endpoints), Vonage's WhatsApp Provisioning API and
//! the 99digital Partners API.
//!
//! It is a real HTTP server on loopback, so the library's tests in every language (and
//! our users' CI) can run a whole onboarding without a real phone number: [`Simulator`]
//! (feature `server`, on by default) serves [`Engine`], the request handling without
//! I/O, which the npm package's `waonboard/sandbox` (as wasm) and the wheel's
//! `waonboard.sandbox` (over FFI) serve too. Each provider
//! lives under its own prefix (`/meta`, `/vonage`, `/99digital`) and answers with the
//! provider's own success and error bodies. A side channel under `/_sim/` (and the
//! methods of [`Simulator`]) lets a test read OTP codes, inspect the request log, inject
//! faults and move the simulated clock.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use waonboard_sim::{Provider, SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default()).await?;
//! let meta_base = sim.base_url(Provider::Meta); // http://127.0.0.1:PORT/meta
//! # let _ = meta_base;
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod clock;
mod digital99;
mod engine;
mod faults;
mod hostile;
mod log;
mod meta;
mod reply;
mod rng;
#[cfg(feature = "server")]
mod server;
mod side;
mod util;
mod vonage;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use engine::{Engine, Outcome, Request, Response, BODY_LIMIT};
pub use faults::{Fault, FaultRule};
pub use hostile::TrapHit;
pub use log::LoggedRequest;
#[cfg(feature = "server")]
pub use server::Simulator;

/// One of the three simulated providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Meta's WhatsApp Cloud API, mounted at `/meta`.
    Meta,
    /// Vonage's WhatsApp Provisioning API, mounted at `/vonage`.
    Vonage,
    /// The 99digital Partners API, mounted at `/99digital`.
    #[serde(alias = "99digital")]
    Digital99,
}

impl Provider {
    /// The name used in the request log, fault rules and the side channel.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Meta => "meta",
            Provider::Vonage => "vonage",
            Provider::Digital99 => "digital99",
        }
    }

    /// The path prefix the provider is mounted under.
    pub fn prefix(self) -> &'static str {
        match self {
            Provider::Meta => "/meta",
            Provider::Vonage => "/vonage",
            Provider::Digital99 => "/99digital",
        }
    }

    /// Parses `meta`, `vonage`, `digital99` or `99digital` (any letter case).
    pub fn parse(s: &str) -> Option<Provider> {
        match s.to_ascii_lowercase().as_str() {
            "meta" => Some(Provider::Meta),
            "vonage" => Some(Provider::Vonage),
            "digital99" | "99digital" => Some(Provider::Digital99),
            _ => None,
        }
    }
}

/// Everything that can be tuned; [`SimConfig::default`] is what the CLI and most tests use.
///
/// Durations are on the simulated clock (see [`Simulator::advance`]) unless said otherwise.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// TCP port on 127.0.0.1 for the hosts that listen; 0 (the default) picks a free one.
    pub port: u16,
    /// Bearer tokens Meta accepts.
    pub meta_tokens: Vec<String>,
    /// The seeded WhatsApp Business Account id.
    pub meta_waba_id: String,
    /// How many registers (and, separately, deregisters) one number may do per window.
    pub meta_register_limit: usize,
    /// The moving window of the register/deregister limit: a week, as seed 002 says (Meta's
    /// current pages say 72 hours).
    pub meta_register_window: Duration,
    /// Bearer tokens Vonage accepts.
    pub vonage_tokens: Vec<String>,
    /// Time each transitional deployment state lasts (INITIALIZING, CREATING_CLUSTER, ...).
    pub vonage_step: Duration,
    /// At most one resend-otp per this window; a second one is throttled (429).
    pub vonage_resend_window: Duration,
    /// The verified name resend-otp answers with.
    pub vonage_vname: String,
    /// 99digital partner credentials.
    pub digital99_client_id: String,
    /// 99digital partner secret.
    pub digital99_client_secret: String,
    /// Lifetime of a 99digital access token (1 hour).
    pub digital99_token_ttl: Duration,
    /// Code requests (registerNumber) allowed per number per hour.
    pub digital99_code_requests_per_hour: usize,
    /// Numbers that may wait for verification at once.
    pub digital99_max_pending: usize,
    /// Wrong logins allowed per hour before accessToken answers reason 3.
    pub digital99_max_login_failures: usize,
    /// The verifyNumber path (the real one is a guess; clients can override theirs too).
    pub digital99_verify_path: String,
    /// Seed of the random generator (OTPs, ids, tokens); `None` takes the host's entropy.
    pub rng_seed: Option<u64>,
    /// When set, every OTP is this code (handy for manual runs); otherwise random.
    pub fixed_otp: Option<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            meta_tokens: vec![seed::META_TOKEN.to_owned()],
            meta_waba_id: seed::META_WABA_ID.to_owned(),
            meta_register_limit: 10,
            meta_register_window: Duration::from_secs(7 * 24 * 3600),
            vonage_tokens: vec![seed::VONAGE_TOKEN.to_owned()],
            vonage_step: Duration::from_millis(150),
            vonage_resend_window: Duration::from_secs(60),
            vonage_vname: "Sim Business".to_owned(),
            digital99_client_id: seed::DIGITAL99_CLIENT_ID.to_owned(),
            digital99_client_secret: seed::DIGITAL99_CLIENT_SECRET.to_owned(),
            digital99_token_ttl: Duration::from_secs(3600),
            digital99_code_requests_per_hour: 3,
            digital99_max_pending: 500,
            digital99_max_login_failures: 5,
            digital99_verify_path: "/api/whatsapp/verifyNumber".to_owned(),
            rng_seed: None,
            fixed_otp: None,
        }
    }
}

/// The fixed ids and credentials of the default seed data.
pub mod seed {
    /// Meta bearer token accepted by default.
    pub const META_TOKEN: &str = "sim-meta-token";
    /// The seeded WABA.
    pub const META_WABA_ID: &str = "102290129340398";
    /// NOT_VERIFIED, name APPROVED, LIVE: the plain happy path.
    pub const META_PHONE_READY: &str = "106540352242922";
    /// Above 2^53 (breaks f64 parsing); NOT_VERIFIED, name APPROVED, SANDBOX.
    pub const META_PHONE_BIG: &str = "9007199254740993";
    /// Name PENDING_REVIEW: register fails with code 100 subcode 2388001.
    pub const META_PHONE_PENDING: &str = "18014398509481985";
    /// Already VERIFIED and registered, two-step PIN [`META_REGISTERED_PIN`].
    pub const META_PHONE_REGISTERED: &str = "110200345501442";
    /// The PIN of [`META_PHONE_REGISTERED`].
    pub const META_REGISTERED_PIN: &str = "147258";
    /// The business whose pre-verified numbers the simulator keeps.
    pub const META_BUSINESS_ID: &str = "506914307656634";
    /// A second business, to share pre-verified numbers with.
    pub const META_PARTNER_BUSINESS_ID: &str = "9876543210987654";
    /// A pre-verified number of [`META_BUSINESS_ID`], already VERIFIED (+1 650-555-0199).
    pub const META_PREVERIFIED_VERIFIED: &str = "1840372159266017";
    /// A pre-verified number of [`META_BUSINESS_ID`] whose verification FAILED: Meta calls
    /// its ID invalid (`is_input_id_valid: false`) and it cannot get a code.
    pub const META_PREVERIFIED_FAILED: &str = "1840372159266025";
    /// Vonage bearer token accepted by default.
    pub const VONAGE_TOKEN: &str = "sim-vonage-token";
    /// A READY deployment (for profile and sticker tests).
    pub const VONAGE_READY_DEPLOYMENT: &str = "5eedd0e0-0000-4000-8000-000000000001";
    /// The WABA id of the seeded Vonage deployment.
    pub const VONAGE_WABA_ID: &str = "123456789123";
    /// 99digital client id.
    pub const DIGITAL99_CLIENT_ID: &str = "sim-client-id";
    /// 99digital client secret.
    pub const DIGITAL99_CLIENT_SECRET: &str = "sim-client-secret";
    /// A 99digital account whose onboarding finished (deleteAccount → reason 25).
    pub const DIGITAL99_ACTIVE_ACCOUNT: &str = "972501111111";
    /// A 99digital account still onboarding (deleteAccount succeeds).
    pub const DIGITAL99_PENDING_ACCOUNT: &str = "972504444444";
    /// A verified 99digital number waiting for onboarding.
    pub const DIGITAL99_REGISTERED_NUMBER: &str = "972503333333";
}
