//! A local, stateful simulator of the three provider APIs waonboard speaks: Meta's
//! WhatsApp Cloud API (phone-number endpoints), Vonage's WhatsApp Provisioning API and
//! the 99digital Partners API.
//!
//! It is a real HTTP server on loopback, so the library's tests in every language (and
//! our users' CI) can run a whole onboarding without a real phone number. Each provider
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
mod faults;
mod hostile;
mod log;
mod meta;
mod reply;
mod rng;
mod server;
mod side;
mod util;
mod vonage;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faults::{Fault, FaultRule};
pub use hostile::TrapHit;
pub use log::LoggedRequest;

use crate::clock::Clock;
use crate::util::lock;

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
    /// TCP port on 127.0.0.1; 0 (the default) picks a free one.
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
    /// Seed of the random generator (OTPs, ids, tokens); `None` seeds from the clock.
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

/// State shared by the server task and the [`Simulator`] handle.
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    pub(crate) addr: SocketAddr,
    pub(crate) clock: Clock,
    pub(crate) world: Mutex<server::World>,
    pub(crate) log: Mutex<log::RequestLog>,
    pub(crate) faults: Mutex<faults::FaultSet>,
    pub(crate) shutdown: watch::Receiver<bool>,
    /// The trap's address: where the `redirect` fault sends clients.
    pub(crate) trap_addr: SocketAddr,
    /// Every request that reached the trap.
    pub(crate) trap_hits: Mutex<Vec<TrapHit>>,
}

impl Shared {
    /// Puts every piece of state back to the seed: providers, log, faults, clock.
    pub(crate) fn reset(&self) {
        self.clock.rebase();
        let now = self.clock.now();
        *lock(&self.world) = server::World::seed(&self.config, now);
        lock(&self.log).clear();
        lock(&self.faults).clear();
        lock(&self.trap_hits).clear();
    }

    pub(crate) fn otp(&self, provider: Provider, key: &str) -> Option<String> {
        let now = self.clock.now();
        let mut world = lock(&self.world);
        match provider {
            Provider::Meta => world.meta.otp(key),
            Provider::Vonage => {
                let server::World { vonage, rng, .. } = &mut *world;
                vonage.tick(now, &self.config, rng);
                vonage.otp(key)
            }
            Provider::Digital99 => world.digital99.otp(key),
        }
    }
}

/// A running simulator. Dropping it stops the server too (without waiting).
pub struct Simulator {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds 127.0.0.1 (port from the config, 0 for any) and serves on the current tokio
    /// runtime. Loopback only: the simulator holds fake credentials and must never be
    /// reachable from the network.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port))).await?;
        let addr = listener.local_addr()?;
        let trap = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let trap_addr = trap.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let clock = Clock::new();
        let world = server::World::seed(&config, clock.now());
        let shared = Arc::new(Shared {
            config,
            addr,
            clock,
            world: Mutex::new(world),
            log: Mutex::new(log::RequestLog::default()),
            faults: Mutex::new(faults::FaultSet::default()),
            shutdown,
            trap_addr,
            trap_hits: Mutex::new(Vec::new()),
        });
        tokio::spawn(hostile::serve_trap(trap, shared.clone()));
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(Simulator { shared, stop, task: Some(task) })
    }

    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// `http://127.0.0.1:PORT`, the root of the side channel (`/_sim/...`).
    pub fn url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// The base URL a client uses for `provider`, e.g. `http://127.0.0.1:PORT/meta`.
    pub fn base_url(&self, provider: Provider) -> String {
        format!("http://{}{}", self.shared.addr, provider.prefix())
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// The OTP most recently sent for a number: `key` is the Meta phone_number_id, the
    /// Vonage deployment_id or the 99digital `whatsapp` number. `None` when no code is
    /// waiting (never requested, already used, or a Vonage deployment not yet at CODE_SENT).
    pub fn otp(&self, provider: Provider, key: &str) -> Option<String> {
        self.shared.otp(provider, key)
    }

    /// Every request made to a provider route so far (not `/_sim`), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).entries()
    }

    /// `http://127.0.0.1:PORT` of the trap, the other host the `redirect` fault points to.
    pub fn trap_url(&self) -> String {
        format!("http://{}", self.shared.trap_addr)
    }

    /// Every request that reached the trap (a client that followed a redirect), oldest first.
    pub fn trap_hits(&self) -> Vec<TrapHit> {
        lock(&self.shared.trap_hits).clone()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Moves the simulated clock forward (tokens expire, windows slide, Vonage advances).
    pub fn advance(&self, d: Duration) {
        self.shared.clock.advance(d);
    }

    /// Simulated time elapsed since start (or the last reset).
    pub fn now(&self) -> Duration {
        self.shared.clock.now().sim
    }

    /// Adds a fault rule; returns its id. Rules are tried in the order they were added.
    pub fn inject(&self, fault: FaultRule) -> u64 {
        lock(&self.shared.faults).add(fault)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Puts all state back to the seed data and clears the log, the faults and the clock.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Sets a Meta number's `name_status` (e.g. to approve a display name after a review).
    /// Returns false for an unknown phone_number_id.
    pub fn set_meta_name_status(&self, phone_number_id: &str, name_status: &str) -> bool {
        lock(&self.shared.world).meta.set_name_status(phone_number_id, name_status)
    }

    /// Adds a number to the seeded Meta WABA, as `meta.add_phone_number` does (unverified,
    /// its name usable without review), e.g. for runs over many numbers; its phone number ID.
    pub fn add_meta_number(&self, cc: &str, national: &str, verified_name: &str) -> String {
        let mut world = lock(&self.shared.world);
        let server::World { meta, rng, .. } = &mut *world;
        meta.add_number(rng, cc, national, verified_name)
    }

    /// Sets a Meta number's `code_verification_status`, e.g. `VERIFIED` as a number leaves
    /// Embedded Signup. Returns false for an unknown phone_number_id.
    pub fn set_meta_code_verification_status(&self, phone_number_id: &str, status: &str) -> bool {
        lock(&self.shared.world).meta.set_code_verification_status(phone_number_id, status)
    }

    /// The seed credentials and ids as JSON (the same as `GET /_sim/seed`).
    pub fn seed_info(&self) -> serde_json::Value {
        side::seed_json(&self.shared)
    }

    /// Stops accepting connections, ends pending fault sleeps and waits (at most 2 s)
    /// for in-flight requests.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(2), task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}
