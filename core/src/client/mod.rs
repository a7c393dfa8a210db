//! The client: the sans-IO core driven over a [`Transport`] the caller supplies, adding
//! what a request alone cannot know: safe retries, 99digital access tokens, Meta paging,
//! Vonage state polling and the guards that keep a caller within provider limits.
//!
//! Every binding reuses this layer with its own transport (fetch in wasm, reqwest under
//! uniffi and for Rust users), so retries and guards behave the same in every language.
//! Time and randomness come from the transport too, so tests drive a simulated clock.

mod flow;
mod guard;
mod observe;
mod preverified_flow;
#[cfg(feature = "reqwest")]
mod reqwest_transport;

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

pub use flow::{
    Digital99Onboarding, FlowInput, MetaOnboarding, Needs, Onboarding, VonageOnboarding,
    EMBEDDED_SIGNUP_REGISTER_WINDOW_DAYS,
};
pub use guard::{GuardLimits, GuardState, Limit};
pub use observe::{RequestEvent, ResponseEvent};
pub use preverified_flow::{PreverifiedStep, PreverifiedVerification};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::{os_random, system_now_ms, ReqwestTransport};

use crate::endpoint::{check_failure, typed, AnyEndpoint, Endpoint};
use crate::params::{FromParams, Params};
use crate::shape::read_success;
use crate::vonage::{Deployment, DeploymentStatus};
use crate::{
    digital99, meta, vonage, Config, Error, ErrorDetails, ErrorKind, HttpRequest, HttpResponse, Operation, Secret,
};

/// What the client needs from its surroundings: sending, waiting, the time and chance.
///
/// A transport reports failures to send as [`ErrorKind::Transport`] or
/// [`ErrorKind::Timeout`] errors (see [`Error::transport`] and [`Error::timeout`]), with
/// the underlying error's text as [`Error::with_cause`]; the client puts the method,
/// host and path in front of the message. Any HTTP answer, whatever its status, is a
/// response.
pub trait Transport {
    /// Sends the request and returns the answer.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>>;
    /// Waits `ms` milliseconds, yielding to the executor meanwhile (callers wait for each
    /// other through it).
    fn sleep(&self, ms: u64) -> impl Future<Output = ()>;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// A random number, for backoff jitter.
    fn random(&self) -> u64;

    /// Whether the caller gave up on the call under way (JS's `AbortSignal`). The client
    /// asks before each attempt and after each wait, and then stops with an `aborted`
    /// error instead of sending; a transport that abandons a request in flight returns
    /// [`Error::aborted`] from `send`. By default, never.
    fn is_aborted(&self) -> bool {
        false
    }

    /// Called before each attempt leaves: the operation, method, host, path and attempt
    /// number, never a secret. By default, nothing.
    fn on_request(&self, _event: &RequestEvent) {}

    /// Called when an attempt ends, with its status or error kind and its duration. By
    /// default, nothing.
    fn on_response(&self, _event: &ResponseEvent) {}
}

impl Error {
    /// The request could not be sent or its answer not received.
    pub fn transport(message: impl Into<String>) -> Error {
        Error::Transport(ErrorDetails { message: message.into(), retryable: true, ..ErrorDetails::default() })
    }

    /// No answer came within the transport's time limit.
    pub fn timeout(message: impl Into<String>) -> Error {
        Error::Timeout(ErrorDetails { message: message.into(), retryable: true, ..ErrorDetails::default() })
    }

    /// The caller gave up on the call (see [`Transport::is_aborted`]); `message` says
    /// where it stood. The client decides whether it is `retryable`.
    pub fn aborted(message: impl Into<String>) -> Error {
        Error::Aborted(ErrorDetails { message: message.into(), ..ErrorDetails::default() })
    }

    fn guard(message: String, retry_after_ms: u64, operation: Operation) -> Error {
        Error::Guard(ErrorDetails {
            message,
            retryable: true,
            retry_after_ms: Some(retry_after_ms),
            operation: Some(operation),
            ..ErrorDetails::default()
        })
    }
}

/// An abort noticed before anything left, so sending the call again is safe.
fn aborted_unsent(op: Operation, message: String) -> Error {
    Error::Aborted(ErrorDetails { message, retryable: true, operation: Some(op), ..ErrorDetails::default() })
}

/// When and how often reads are tried again. More settings may come: start from
/// `RetryPolicy::default()` and set the fields you need.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first backoff; each further one doubles, up to `max_delay_ms`.
    pub base_delay_ms: u64,
    /// The longest backoff.
    pub max_delay_ms: u64,
    /// The longest `Retry-After` honoured; a provider asking for more is not retried.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy { max_attempts: 4, base_delay_ms: 250, max_delay_ms: 8_000, max_retry_after_ms: 60_000 }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1`, or `None` to give up. Only reads are
    /// retried: a write that failed may still have taken effect at the provider.
    fn delay(&self, op: Operation, error: &Error, attempt: u32, random: u64) -> Option<u64> {
        let worth_it = error.retryable() || matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout);
        if !op.is_read() || !worth_it || error.kind() == ErrorKind::Aborted || attempt >= self.max_attempts {
            return None;
        }
        if let Some(wait) = error.retry_after_ms() {
            return (wait <= self.max_retry_after_ms).then_some(wait);
        }
        // Full jitter: a random wait up to the capped exponential step, so that many
        // clients failing together do not come back together.
        let ceiling = self.base_delay_ms.saturating_mul(1 << attempt.saturating_sub(1).min(20)).min(self.max_delay_ms);
        Some(random % ceiling.saturating_add(1))
    }
}

/// How `wait_for_state` polls a Vonage deployment. More settings may come: start from
/// `PollPolicy::default()` and set the fields you need.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollPolicy {
    /// The first wait between two polls.
    pub initial_interval_ms: u64,
    /// The longest wait between two polls.
    pub max_interval_ms: u64,
    /// How long to wait in all before giving up with a `timeout` error.
    pub timeout_ms: u64,
}

impl Default for PollPolicy {
    fn default() -> PollPolicy {
        PollPolicy { initial_interval_ms: 1_000, max_interval_ms: 10_000, timeout_ms: 30 * 60 * 1_000 }
    }
}

/// 99digital's client ID and secret, traded for access tokens as needed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Digital99Credentials {
    /// The partner's client ID.
    pub client_id: String,
    /// The partner's client secret.
    pub client_secret: Secret,
}

impl Digital99Credentials {
    /// The partner's client ID and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Digital99Credentials {
        Digital99Credentials { client_id: client_id.into(), client_secret: client_secret.into() }
    }
}

/// A token is renewed this long before 99digital's `expiration_time`, so it does not
/// lapse in flight.
const TOKEN_RENEWAL_MARGIN_MS: u64 = 60_000;

/// How long a call waits before looking again while another call fetches the token.
const TOKEN_WAIT_MS: u64 = 25;

#[derive(Clone)]
struct CachedToken {
    token: Secret,
    expires_at_ms: u64,
}

/// The 99digital token and whether a call is fetching one, so that concurrent first calls
/// share one fetch instead of each trading the secret for a token of its own.
#[derive(Default)]
struct TokenSlot {
    cached: Option<CachedToken>,
    fetching: bool,
}

/// What [`Client::reserve`] did for a call: the guarded count it made (the operation, its
/// subject and when), and the request it built, when built with the config it is sent
/// with (so `exchange` need not build it again).
pub(crate) struct Reservation {
    counted: Option<(Operation, String, u64)>,
    request: Option<HttpRequest>,
}

/// Clears `fetching` however the fetch ends, even if its future is dropped half-way.
struct Fetching<'a>(&'a Mutex<TokenSlot>);

impl Drop for Fetching<'_> {
    fn drop(&mut self) {
        lock(self.0).fetching = false;
    }
}

/// A provider account reached over a transport.
///
/// ```
/// # use waonboard::client::{Client, Transport};
/// # use waonboard::{meta, Config, DeliveryMethod, Error, HttpRequest, HttpResponse};
/// # struct Fake;
/// # impl Transport for Fake {
/// #     async fn send(&self, _: HttpRequest) -> Result<HttpResponse, Error> {
/// #         Ok(HttpResponse { status: 200, headers: vec![], body: br#"{"success":true}"#.to_vec() })
/// #     }
/// #     async fn sleep(&self, _: u64) {}
/// #     fn now_ms(&self) -> u64 { 0 }
/// #     fn random(&self) -> u64 { 4 }
/// # }
/// # async fn demo() -> Result<(), Error> {
/// let client = Client::new(Fake, Config::new("EAAG-token"));
/// let sent = client
///     .send(&meta::RequestCode {
///         phone_number_id: "106540352242922".into(),
///         code_method: DeliveryMethod::Sms,
///         language: "en_US".into(),
///     })
///     .await?;
/// assert!(sent.success);
/// # Ok(()) }
/// ```
pub struct Client<T> {
    transport: T,
    config: Config,
    retry: RetryPolicy,
    poll: PollPolicy,
    credentials: Option<Digital99Credentials>,
    token: Mutex<TokenSlot>,
    guards: Mutex<GuardState>,
    limits: GuardLimits,
}

fn lock<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    // A panic elsewhere cannot leave this state half-written: each update is one
    // assignment, so the poisoned value is still sound.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T: Transport> Client<T> {
    /// A client for one provider account, with default retry, poll and guard settings.
    pub fn new(transport: T, config: Config) -> Client<T> {
        Client {
            transport,
            config,
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            credentials: None,
            token: Mutex::new(TokenSlot::default()),
            guards: Mutex::new(GuardState::default()),
            limits: GuardLimits::default(),
        }
    }

    /// A 99digital client that fetches and renews its own access tokens.
    pub fn digital99(transport: T, config: Config, credentials: Digital99Credentials) -> Client<T> {
        Client { credentials: Some(credentials), ..Client::new(transport, config) }
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Client<T> {
        self.retry = retry;
        self
    }

    /// Replaces the polling policy of `wait_for_state`.
    pub fn with_poll(mut self, poll: PollPolicy) -> Client<T> {
        self.poll = poll;
        self
    }

    /// Replaces the guard limits.
    pub fn with_guard_limits(mut self, limits: GuardLimits) -> Client<T> {
        self.limits = limits;
        self
    }

    /// Restores the guard state an earlier run saved with [`Client::guard_state`].
    pub fn with_guard_state(self, state: GuardState) -> Client<T> {
        *lock(&self.guards) = state;
        self
    }

    /// The guard state to persist, so that limits hold across runs of an app.
    pub fn guard_state(&self) -> GuardState {
        lock(&self.guards).clone()
    }

    /// When `op` was sent for `subject` within its guard's window, as
    /// [`Client::guard_state`] holds it: one entry, for callers that persist entry by entry.
    pub fn guard_sends(&self, op: Operation, subject: &str) -> Vec<u64> {
        let guards = lock(&self.guards);
        guards.sent.get(op.as_str()).and_then(|numbers| numbers.get(subject)).cloned().unwrap_or_default()
    }

    /// The transport, e.g. to read its clock.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Sends one operation: guarded, authenticated, and retried if it is a read.
    pub async fn send<E: Endpoint + Send + Sync>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let reservation = self.reserve(endpoint)?;
        let response = self.exchange(endpoint, reservation).await?;
        typed(E::OPERATION, read_success(E::OPERATION, response.status, &response.body)?)
    }

    /// [`Client::send`] by operation id over the contract's JSON, as the bindings call it.
    pub async fn call(&self, op: &str, params: &Value) -> Result<Value, Error> {
        let operation: Operation = op.parse()?;
        let outcome = async {
            let endpoint = crate::endpoint_from(operation, params)?;
            self.send_json(&*endpoint).await
        };
        outcome.await.map_err(|e| e.in_operation(operation))
    }

    /// Sends and reads the result as the contract's JSON (what the flows read too: one
    /// reader rather than a typed one per result).
    pub(crate) async fn send_json(&self, endpoint: &dyn AnyEndpoint) -> Result<Value, Error> {
        let reservation = self.reserve(endpoint)?;
        self.send_json_reserved(endpoint, reservation).await
    }

    /// [`Client::send_json`] for a write whose guard [`Client::reserve`] already counted.
    pub(crate) async fn send_json_reserved(
        &self,
        endpoint: &dyn AnyEndpoint,
        reservation: Reservation,
    ) -> Result<Value, Error> {
        let response = self.exchange(endpoint, reservation).await?;
        read_success(endpoint.operation(), response.status, &response.body)
    }

    /// Checks the call's input, then counts a guarded call against its limit or refuses it
    /// with a `guard` error. The flows count a write before they persist its intent, so
    /// that a process killed while the write is in flight still finds it counted.
    pub(crate) fn reserve(&self, endpoint: &dyn AnyEndpoint) -> Result<Reservation, Error> {
        let op = endpoint.operation();
        // Every input rule is checked before anything leaves, a 99digital token fetch
        // included (it carries the client secret): with a stand-in for a token not yet
        // fetched. `exchange` builds the request again with the real one.
        let stand_in = (self.credentials.is_some() && op != Operation::Digital99AccessToken)
            .then(|| Config { access_token: Some(Secret::from("not-yet-fetched")), ..self.config.clone() });
        let built = endpoint.build_request(stand_in.as_ref().unwrap_or(&self.config))?;
        // Without credentials, `config_for` answers this same config: the request is final.
        let request = self.credentials.is_none().then_some(built);
        let Some(subject) = endpoint.counted_against() else { return Ok(Reservation { counted: None, request }) };
        let now = self.transport.now_ms();
        let mut guards = lock(&self.guards);
        if let Some(refusal) = self.limits.check(&guards, op, &subject, now) {
            return Err(Error::guard(refusal.message, refusal.retry_after_ms, op));
        }
        self.limits.record(&mut guards, op, &subject, now);
        Ok(Reservation { counted: Some((op, subject, now)), request })
    }

    /// Takes back a count whose request never left.
    pub(crate) fn release(&self, reservation: Reservation) {
        if let Some((op, subject, at)) = reservation.counted {
            self.limits.forget(&mut lock(&self.guards), op, &subject, at);
        }
    }

    /// The answer to one operation, once it is not a failure (so it is read with
    /// `read_success`, not checked again): the one copy of the sending code (token,
    /// retries) that every operation goes through, its guard already counted.
    async fn exchange(&self, endpoint: &dyn AnyEndpoint, mut reservation: Reservation) -> Result<HttpResponse, Error> {
        let op = endpoint.operation();
        let request = match reservation.request.take() {
            Some(request) => Ok(request),
            None => self.config_for(op).await.and_then(|config| endpoint.build_request(&config)),
        };
        let request = match request {
            Ok(request) => request,
            Err(e) => {
                // Refused here or the token could not be had: nothing left.
                self.release(reservation);
                return Err(e);
            }
        };
        let outcome = match self.send_with_retries(op, request).await {
            // 99digital answers reason 3 when the token lapsed early: the call was not
            // carried out, so it is sent once more with a fresh token. The resend is the
            // same call: the guard counts it once.
            Err(e) if self.is_expired_token(op, &e) => {
                lock(&self.token).cached = None;
                match self.config_for(op).await {
                    Ok(config) => self.send_with_retries(op, endpoint.build_request(&config)?).await,
                    Err(e) => Err(e),
                }
            }
            outcome => outcome,
        };
        // A guarded call is a write, and an aborted write is retryable only when it never
        // left: the count is taken back.
        if matches!(&outcome, Err(e) if e.kind() == ErrorKind::Aborted && e.retryable()) {
            self.release(reservation);
        }
        outcome
    }

    /// Sends `request`, repeating it while the retry policy allows. This is where every
    /// failure of a sent request becomes the caller's error, so it is also where the
    /// request's secrets are taken out of whatever the provider or transport said.
    async fn send_with_retries(&self, op: Operation, request: HttpRequest) -> Result<HttpResponse, Error> {
        let mut attempt = 1;
        loop {
            if self.transport.is_aborted() {
                return Err(aborted_unsent(op, format!("{op} was aborted before it was sent")));
            }
            let event = RequestEvent::new(op, &request, attempt);
            observe::trace_request(&event);
            self.transport.on_request(&event);
            let started = self.transport.now_ms();
            let sent = self.transport.send(request.clone()).await;
            let ended = ResponseEvent {
                status: sent.as_ref().ok().map(|response| response.status),
                duration_ms: self.transport.now_ms().saturating_sub(started),
                error: None,
                request: event,
            };
            let outcome = match sent {
                Ok(response) => match check_failure(op, &response) {
                    Ok(()) => Ok(response),
                    // Read again from a body without the secrets, so that the cut to
                    // the longest message cannot leave a secret's first half behind.
                    Err(e) => {
                        let secrets = request.secret_values();
                        let read_again = check_failure(op, &response.without_secrets(&secrets)).err();
                        Err(read_again.unwrap_or(e).without_secrets(&secrets))
                    }
                },
                // Abandoned in flight: a read may be sent again, a write may have landed.
                Err(Error::Aborted(details)) => {
                    let details = ErrorDetails { retryable: op.is_read(), ..details };
                    Err(Error::Aborted(details)
                        .in_operation(op)
                        .sent_to(&request)
                        .without_secrets(&request.secret_values()))
                }
                Err(e) => Err(e.in_operation(op).sent_to(&request).without_secrets(&request.secret_values())),
            };
            let ended = ResponseEvent { error: outcome.as_ref().err().map(Error::kind), ..ended };
            observe::trace_response(&ended);
            self.transport.on_response(&ended);
            match outcome {
                Err(e) => match self.retry.delay(op, &e, attempt, self.transport.random()) {
                    Some(wait) => {
                        self.transport.sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(self.with_base_url_hint(op, e)),
                },
                ok => return ok,
            }
        }
    }

    /// A 404 from a base URL that is neither the provider's nor a sandbox's, with the
    /// likelier cause said: a wrong base URL, not a missing resource.
    fn with_base_url_hint(&self, op: Operation, error: Error) -> Error {
        if error.http_status() != Some(404) {
            return error;
        }
        match self.config.base_url_hint(op.provider()) {
            Some(hint) => error.with_hint(&hint),
            None => error,
        }
    }

    fn is_expired_token(&self, op: Operation, error: &Error) -> bool {
        self.credentials.is_some()
            && op != Operation::Digital99AccessToken
            && error.kind() == ErrorKind::Auth
            && error.provider_code() == Some("3")
    }

    /// The config to send `op` with: for a 99digital client, with a valid access token.
    async fn config_for(&self, op: Operation) -> Result<Config, Error> {
        let Some(credentials) = &self.credentials else { return Ok(self.config.clone()) };
        if op == Operation::Digital99AccessToken {
            return Ok(self.config.clone());
        }
        loop {
            let now = self.transport.now_ms();
            {
                let mut slot = lock(&self.token);
                let valid = |t: &&CachedToken| now.saturating_add(TOKEN_RENEWAL_MARGIN_MS) < t.expires_at_ms;
                if let Some(cached) = slot.cached.as_ref().filter(valid) {
                    return Ok(Config { access_token: Some(cached.token.clone()), ..self.config.clone() });
                }
                if !slot.fetching {
                    slot.fetching = true;
                    break;
                }
            }
            if self.transport.is_aborted() {
                return Err(aborted_unsent(op, format!("{op} was aborted while waiting for the access token")));
            }
            self.transport.sleep(TOKEN_WAIT_MS).await;
        }
        let _fetching = Fetching(&self.token);
        let request = digital99::RequestAccessToken {
            client_id: credentials.client_id.clone(),
            client_secret: credentials.client_secret.clone(),
        }
        .prepare(&self.config)?;
        let op = Operation::Digital99AccessToken;
        let fetched = self.send_with_retries(op, request).await?;
        let fetched = read_success(op, fetched.status, &fetched.body)?;
        // Without an expiry, 99digital's documented hour is assumed.
        let expires_at_ms = fetched["expiration_time"]
            .as_u64()
            .map_or(self.transport.now_ms().saturating_add(3_600_000), |s| s.saturating_mul(1000));
        let token = Secret::from(fetched["access_token"].as_str().unwrap_or_default());
        lock(&self.token).cached = Some(CachedToken { token: token.clone(), expires_at_ms });
        Ok(Config { access_token: Some(token), ..self.config.clone() })
    }

    /// Every phone number of a WhatsApp Business Account, page by page.
    pub fn phone_number_pages(&self, request: meta::ListPhoneNumbers) -> PhoneNumberPages<'_, T> {
        PhoneNumberPages { client: self, next: Some(request), cursors: HashSet::new(), stopped: None }
    }

    /// [`PhoneNumberPages::collect_all`] over the contract's JSON, as the bindings call it:
    /// the params of `meta.list_phone_numbers` in, every number of every page out (an array).
    pub async fn all_phone_numbers_json(&self, params: &Value) -> Result<Value, Error> {
        let op = Operation::MetaListPhoneNumbers;
        let outcome = async {
            let mut params = Params::new(params, "params")?;
            let request = meta::ListPhoneNumbers::from_params(&mut params)?;
            params.finish("operation")?;
            self.phone_number_pages(request).collect_all_json().await
        };
        outcome.await.map_err(|e| e.in_operation(op))
    }

    /// Polls a Vonage deployment until it reaches one of `targets`. `ERROR` (unless a
    /// target) ends the wait with a `provider` error; so does the poll policy's deadline,
    /// with a `timeout` error. Polls back off from the policy's first interval.
    pub async fn wait_for_state(&self, deployment_id: &str, targets: &[DeploymentStatus]) -> Result<Deployment, Error> {
        let targets: Vec<&str> = targets.iter().map(DeploymentStatus::as_str).collect();
        typed(Operation::VonageGetDeployment, self.wait_for_state_json(deployment_id, &targets).await?)
    }

    /// [`Client::wait_for_state`] over the contract's JSON, as the bindings call it: state
    /// titles in (`"READY"`, any case), the deployment out as `vonage.get_deployment` gives it.
    pub async fn wait_for_state_json(&self, deployment_id: &str, targets: &[&str]) -> Result<Value, Error> {
        let op = Operation::VonageGetDeployment;
        let targets: Vec<String> = targets.iter().map(|t| t.to_ascii_uppercase()).collect();
        let deadline = self.transport.now_ms().saturating_add(self.poll.timeout_ms);
        let mut interval = self.poll.initial_interval_ms.max(1);
        let request = vonage::GetDeployment { deployment_id: deployment_id.to_owned() };
        loop {
            let deployment = self.send_json(&request).await?;
            let state = &deployment["current_state"];
            let status = state["title"].as_str().map(str::to_owned);
            match status.as_deref() {
                Some(s) if targets.iter().any(|t| t == s) => return Ok(deployment),
                Some("ERROR") => {
                    let detail = crate::error::clean_text(state["detail"].as_str().unwrap_or_default(), 256);
                    return Err(Error::Provider(ErrorDetails {
                        message: format!("deployment {deployment_id} failed: {detail}; delete it and start again"),
                        provider_code: Some("ERROR".to_owned()),
                        operation: Some(op),
                        ..ErrorDetails::default()
                    }));
                }
                _ => {}
            }
            let now = self.transport.now_ms();
            if now >= deadline {
                let at = status.as_deref().unwrap_or("no state");
                return Err(Error::Timeout(ErrorDetails {
                    message: format!(
                        "deployment {deployment_id} did not reach {} in time (still {at})",
                        targets.join(" or ")
                    ),
                    operation: Some(op),
                    ..ErrorDetails::default()
                }));
            }
            self.transport.sleep(interval.min(deadline - now)).await;
            interval = interval.saturating_mul(3).div_ceil(2).min(self.poll.max_interval_ms.max(1));
        }
    }
}

/// The most pages [`PhoneNumberPages`] fetches: a business account holds far fewer
/// numbers, so more means the paging went wrong.
pub const MAX_PHONE_NUMBER_PAGES: usize = 1_000;

/// The pages of `meta.list_phone_numbers`, fetched one at a time. A cursor seen before,
/// or more than [`MAX_PHONE_NUMBER_PAGES`] pages, ends the walk with a `provider` error
/// rather than asking forever.
pub struct PhoneNumberPages<'a, T> {
    client: &'a Client<T>,
    next: Option<meta::ListPhoneNumbers>,
    cursors: HashSet<String>,
    stopped: Option<Error>,
}

impl<T: Transport> PhoneNumberPages<'_, T> {
    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Result<meta::PhoneNumberList, Error>> {
        let page = self.next_page_json().await?;
        Some(page.and_then(|page| typed(Operation::MetaListPhoneNumbers, page)))
    }

    /// Every number on every remaining page.
    pub async fn collect_all(self) -> Result<Vec<meta::PhoneNumberInfo>, Error> {
        typed(Operation::MetaListPhoneNumbers, self.collect_all_json().await?)
    }

    async fn next_page_json(&mut self) -> Option<Result<Value, Error>> {
        if let Some(stopped) = self.stopped.take() {
            return Some(Err(stopped));
        }
        let request = self.next.take()?;
        let page = match self.client.send_json(&request).await {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        if let Some(cursor) = meta::next_cursor(&page) {
            let fetched = self.cursors.len() + 1;
            if !self.cursors.insert(cursor.to_owned()) {
                self.stopped = Some(paging_stopped(format!(
                    "Meta's paging sent the cursor of an earlier page again after {fetched} pages: stopped, as it \
                     would never end"
                )));
            } else if fetched >= MAX_PHONE_NUMBER_PAGES {
                self.stopped = Some(paging_stopped(format!(
                    "Meta's paging went on past {MAX_PHONE_NUMBER_PAGES} pages: stopped; ask for fewer numbers (a \
                     filter) or larger pages (limit)"
                )));
            } else {
                self.next = Some(meta::ListPhoneNumbers { after: Some(cursor.to_owned()), before: None, ..request });
            }
        }
        Some(Ok(page))
    }

    async fn collect_all_json(mut self) -> Result<Value, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page_json().await {
            if let Value::Array(numbers) = page?["data"].take() {
                all.extend(numbers);
            }
        }
        Ok(Value::Array(all))
    }
}

fn paging_stopped(message: String) -> Error {
    Error::Provider(ErrorDetails {
        message,
        operation: Some(Operation::MetaListPhoneNumbers),
        ..ErrorDetails::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(kind: ErrorKind, retryable: bool, retry_after_ms: Option<u64>) -> Error {
        Error::new(kind, ErrorDetails { retryable, retry_after_ms, ..ErrorDetails::default() })
    }

    #[test]
    fn only_reads_are_retried() {
        let policy = RetryPolicy::default();
        let e = failure(ErrorKind::Provider, true, None);
        assert!(policy.delay(Operation::MetaGetPhoneNumber, &e, 1, 7).is_some());
        assert!(policy.delay(Operation::MetaRegister, &e, 1, 7).is_none());
        assert!(policy.delay(Operation::Digital99RegisterNumber, &Error::timeout("t"), 1, 7).is_none());
        assert!(policy.delay(Operation::VonageGetDeployment, &Error::transport("reset"), 1, 7).is_some());
        assert!(policy.delay(Operation::MetaGetPhoneNumber, &failure(ErrorKind::Auth, false, None), 1, 7).is_none());
        assert!(policy.delay(Operation::MetaGetPhoneNumber, &e, 4, 7).is_none(), "attempts are capped");
    }

    #[test]
    fn retry_after_is_honoured_and_backoff_is_capped() {
        let policy = RetryPolicy::default();
        let op = Operation::VonageListDeployments;
        assert_eq!(policy.delay(op, &failure(ErrorKind::RateLimited, true, Some(2_000)), 1, 0), Some(2_000));
        assert_eq!(policy.delay(op, &failure(ErrorKind::RateLimited, true, Some(120_000)), 1, 0), None);
        let e = failure(ErrorKind::Provider, true, None);
        for attempt in 1..4 {
            let ceiling = (250u64 << (attempt - 1)).min(8_000);
            assert_eq!(policy.delay(op, &e, attempt, u64::MAX), Some(u64::MAX % (ceiling + 1)));
            assert!(policy.delay(op, &e, attempt, u64::MAX).unwrap() <= ceiling);
        }
    }
}
