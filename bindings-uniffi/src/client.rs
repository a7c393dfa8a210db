//! The three provider clients: the core's `Client` (safe retries, 99digital tokens, Meta
//! paging, Vonage polling, guards) over the default or the app's transport, with async
//! methods run on uniffi's tokio runtime (reqwest needs its reactor).

use std::sync::Arc;

use waonboard::client::{Client, Digital99Credentials, GuardState, PollPolicy, RetryPolicy};
use waonboard::{Config, Operation, Provider, Secret};

use crate::http::json_arg;
use crate::transport::{AppTransport, HttpListener, HttpTransport};
use crate::WaonboardError;

/// When and how often reads are tried again; unset fields keep the core's defaults
/// (4 attempts, 250 ms doubling to 8 s, `Retry-After` honoured up to 60 s). Writes are
/// never retried.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct RetryOptions {
    /// Attempts in all, the first included (1 turns retries off).
    #[uniffi(default = None)]
    pub max_attempts: Option<u32>,
    /// The first backoff; each further one doubles.
    #[uniffi(default = None)]
    pub base_delay_ms: Option<u64>,
    /// The longest backoff.
    #[uniffi(default = None)]
    pub max_delay_ms: Option<u64>,
    /// The longest `Retry-After` honoured; a provider asking for more is not retried.
    #[uniffi(default = None)]
    pub max_retry_after_ms: Option<u64>,
}

/// How Vonage deployments are polled; unset fields keep the defaults (1 s growing to
/// 10 s, 30 min in all).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct PollOptions {
    /// The first wait between two polls.
    #[uniffi(default = None)]
    pub initial_interval_ms: Option<u64>,
    /// The longest wait between two polls.
    #[uniffi(default = None)]
    pub max_interval_ms: Option<u64>,
    /// How long to wait in all before a `timeout` error.
    #[uniffi(default = None)]
    pub timeout_ms: Option<u64>,
}

/// At most `max` calls within any `window_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct GuardLimit {
    /// Calls allowed in a window.
    pub max: u32,
    /// The rolling window, in milliseconds.
    pub window_ms: u64,
}

/// The limits the guards keep; unset ones keep the defaults (99digital: 3 code requests
/// an hour; Meta: 10 registrations and 10 deregistrations per week).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct GuardLimits {
    /// 99digital `register_number` (each sends a code) per number.
    #[uniffi(default = None)]
    pub digital99_code_requests: Option<GuardLimit>,
    /// Meta `register` per number.
    #[uniffi(default = None)]
    pub meta_registrations: Option<GuardLimit>,
    /// Meta `deregister` per number.
    #[uniffi(default = None)]
    pub meta_deregistrations: Option<GuardLimit>,
}

/// Everything about a client but its credentials; every field is optional.
#[derive(Clone, Default, uniffi::Record)]
pub struct ClientOptions {
    /// Replaces the provider's base URL: `https://…`, or `http://` on a loopback host.
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    /// Meta's Graph API version, such as `v23.0`.
    #[uniffi(default = None)]
    pub api_version: Option<String>,
    /// 99digital's verify path, should it differ from the default.
    #[uniffi(default = None)]
    pub verify_number_path: Option<String>,
    /// The app's own HTTP stack; reqwest (rustls) when unset.
    #[uniffi(default = None)]
    pub transport: Option<Arc<dyn HttpTransport>>,
    /// reqwest's connect time limit (default 10 s).
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<u64>,
    /// reqwest's per-request time limit (default 30 s).
    #[uniffi(default = None)]
    pub request_timeout_ms: Option<u64>,
    /// Retries of reads.
    #[uniffi(default = None)]
    pub retry: Option<RetryOptions>,
    /// Polling of Vonage deployments.
    #[uniffi(default = None)]
    pub poll: Option<PollOptions>,
    /// The guards' limits.
    #[uniffi(default = None)]
    pub guard_limits: Option<GuardLimits>,
    /// The guard state an earlier run saved from `guard_state_json()`, so that limits
    /// hold across restarts.
    #[uniffi(default = None)]
    pub guard_state_json: Option<String>,
    /// Told of each attempt at a request (operation, method, host, path, attempt, then
    /// status and duration), never of a secret: for logs and metrics.
    #[uniffi(default = None)]
    pub listener: Option<Arc<dyn HttpListener>>,
}

/// The core client with its options applied, over `options.transport` or reqwest.
fn build_default(
    config: Config,
    credentials: Option<Digital99Credentials>,
    options: ClientOptions,
) -> Result<Client<AppTransport>, WaonboardError> {
    let transport =
        AppTransport::new(options.transport.clone(), options.connect_timeout_ms, options.request_timeout_ms)?;
    build(config, credentials, options, transport)
}

/// The core client with its options applied, over `transport`.
pub(crate) fn build(
    config: Config,
    credentials: Option<Digital99Credentials>,
    options: ClientOptions,
    transport: AppTransport,
) -> Result<Client<AppTransport>, WaonboardError> {
    let mut config = config;
    config.base_url = options.base_url;
    config.api_version = options.api_version;
    config.verify_number_path = options.verify_number_path;
    let transport = transport.with_listener(options.listener);
    let client = match credentials {
        Some(credentials) => Client::digital99(transport, config, credentials),
        None => Client::new(transport, config),
    };
    let retry = options.retry.unwrap_or_default();
    let mut policy = RetryPolicy::default();
    policy.max_attempts = retry.max_attempts.unwrap_or(policy.max_attempts);
    policy.base_delay_ms = retry.base_delay_ms.unwrap_or(policy.base_delay_ms);
    policy.max_delay_ms = retry.max_delay_ms.unwrap_or(policy.max_delay_ms);
    policy.max_retry_after_ms = retry.max_retry_after_ms.unwrap_or(policy.max_retry_after_ms);
    let client = client.with_retry(policy);
    let poll = options.poll.unwrap_or_default();
    let mut policy = PollPolicy::default();
    policy.initial_interval_ms = poll.initial_interval_ms.unwrap_or(policy.initial_interval_ms);
    policy.max_interval_ms = poll.max_interval_ms.unwrap_or(policy.max_interval_ms);
    policy.timeout_ms = poll.timeout_ms.unwrap_or(policy.timeout_ms);
    let client = client.with_poll(policy);
    let limits = options.guard_limits.unwrap_or_default();
    let mut core_limits = waonboard::client::GuardLimits::default();
    for (given, limit) in [
        (limits.digital99_code_requests, &mut core_limits.digital99_code_requests),
        (limits.meta_registrations, &mut core_limits.meta_registrations),
        (limits.meta_deregistrations, &mut core_limits.meta_deregistrations),
    ] {
        if let Some(given) = given {
            limit.max = given.max;
            limit.window_ms = given.window_ms;
        }
    }
    let client = client.with_guard_limits(core_limits);
    Ok(match options.guard_state_json {
        Some(json) => {
            let state: GuardState = serde_json::from_str(&json).map_err(|e| {
                WaonboardError::validation("guard_state_json", format!("is not a saved guard state: {e}"))
            })?;
            client.with_guard_state(state)
        }
        None => client,
    })
}

/// `request_code` or `meta.request_code` as this provider's operation id.
fn operation_id(provider: Provider, operation: &str) -> Result<String, WaonboardError> {
    let id = if operation.contains('.') { operation.to_owned() } else { format!("{}.{operation}", provider.as_str()) };
    let parsed: Operation = id.parse().map_err(WaonboardError::from)?;
    if parsed.provider() != provider {
        return Err(WaonboardError::validation(
            "operation",
            format!("{id} belongs to another provider than {}", provider.as_str()),
        ));
    }
    Ok(id)
}

pub(crate) async fn call(
    client: &Client<AppTransport>,
    provider: Provider,
    operation: &str,
    params_json: &str,
) -> Result<String, WaonboardError> {
    let id = operation_id(provider, operation)?;
    let params = json_arg("params", params_json)?;
    Ok(client.call(&id, &params).await?.to_string())
}

/// Runs a call over reqwest as one task on the runtime's thread, where its I/O is driven:
/// the caller's event loop is then woken once, when it is done, rather than at every step
/// of the exchange (for Python's asyncio, each wake-up is a hop between threads). A
/// call over the app's own transport stays on the caller's thread, where that transport
/// (an asyncio coroutine, say) can run.
async fn on_runtime<F>(client: &Client<AppTransport>, call: F) -> Result<String, WaonboardError>
where
    F: std::future::Future<Output = Result<String, WaonboardError>> + Send + 'static,
{
    if !client.transport().is_reqwest() {
        return call.await;
    }
    tokio::spawn(call).await.unwrap_or_else(|_| Err(WaonboardError::internal()))
}

fn guard_state_json(client: &Client<AppTransport>) -> String {
    // A map of strings to lists of integers: serialising cannot fail.
    serde_json::to_string(&client.guard_state()).unwrap_or_default()
}

/// Declares a provider client and the methods all three share.
macro_rules! provider_client {
    ($(#[$doc:meta])* $name:ident, $provider:expr) => {
        $(#[$doc])*
        #[derive(uniffi::Object)]
        pub struct $name {
            pub(crate) inner: Arc<Client<AppTransport>>,
        }

        #[uniffi::export(async_runtime = "tokio")]
        impl $name {
            /// Sends one operation (`request_code` or `meta.request_code`) with its
            /// params as JSON text; returns the result as JSON text. Bad params raise a
            /// `validation` error before anything is sent.
            pub async fn call(&self, operation: String, params_json: String) -> Result<String, WaonboardError> {
                let client = Arc::clone(&self.inner);
                on_runtime(&self.inner, async move { call(&client, $provider, &operation, &params_json).await }).await
            }

            /// The guard state to save, and hand back in `ClientOptions.guard_state_json`.
            pub fn guard_state_json(&self) -> String {
                guard_state_json(&self.inner)
            }
        }
    };
}

provider_client!(
    /// Meta's WhatsApp Cloud API, with a system-user access token.
    MetaClient,
    Provider::Meta
);
provider_client!(
    /// Vonage's WhatsApp Provisioning API, with a JWT.
    VonageClient,
    Provider::Vonage
);
provider_client!(
    /// The 99digital Partners API: trades the client ID and secret for access tokens
    /// as needed, and renews them.
    Digital99Client,
    Provider::Digital99
);

#[uniffi::export(async_runtime = "tokio")]
impl MetaClient {
    /// A client for one Meta account.
    #[uniffi::constructor(default(options = None))]
    pub fn new(access_token: String, options: Option<ClientOptions>) -> Result<Arc<MetaClient>, WaonboardError> {
        let inner = build_default(Config::new(access_token), None, options.unwrap_or_default())?;
        Ok(Arc::new(MetaClient { inner: Arc::new(inner) }))
    }

    /// Every phone number of a WhatsApp Business Account, following Meta's paging;
    /// returns a JSON array.
    #[uniffi::method(default(fields = None, sort = None, limit = None))]
    pub async fn list_all_phone_numbers(
        &self,
        waba_id: String,
        fields: Option<Vec<String>>,
        sort: Option<String>,
        limit: Option<u64>,
    ) -> Result<String, WaonboardError> {
        let params = serde_json::json!({"waba_id": waba_id, "fields": fields, "sort": sort, "limit": limit});
        Ok(self.inner.all_phone_numbers_json(&params).await?.to_string())
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl VonageClient {
    /// A client for one Vonage account.
    #[uniffi::constructor(default(options = None))]
    pub fn new(access_token: String, options: Option<ClientOptions>) -> Result<Arc<VonageClient>, WaonboardError> {
        let inner = build_default(Config::new(access_token), None, options.unwrap_or_default())?;
        Ok(Arc::new(VonageClient { inner: Arc::new(inner) }))
    }

    /// Polls a deployment until its state is one of `states` (e.g. `READY`); returns the
    /// deployment as JSON. `ERROR` raises a `provider` error; the poll deadline a `timeout`.
    pub async fn wait_for_state(&self, deployment_id: String, states: Vec<String>) -> Result<String, WaonboardError> {
        let targets: Vec<&str> = states.iter().map(String::as_str).collect();
        Ok(self.inner.wait_for_state_json(&deployment_id, &targets).await?.to_string())
    }
}

#[uniffi::export]
impl Digital99Client {
    /// A client for one 99digital partner account.
    #[uniffi::constructor(default(options = None))]
    pub fn new(
        client_id: String,
        client_secret: String,
        options: Option<ClientOptions>,
    ) -> Result<Arc<Digital99Client>, WaonboardError> {
        let credentials = Digital99Credentials::new(client_id, Secret::new(client_secret));
        let inner = build_default(Config::default(), Some(credentials), options.unwrap_or_default())?;
        Ok(Arc::new(Digital99Client { inner: Arc::new(inner) }))
    }

    /// A client with an access token the app already has (as the JS client takes one): it
    /// is used as it is, and not renewed when it lapses.
    #[uniffi::constructor(default(options = None))]
    pub fn with_access_token(
        access_token: String,
        options: Option<ClientOptions>,
    ) -> Result<Arc<Digital99Client>, WaonboardError> {
        let inner = build_default(Config::new(access_token), None, options.unwrap_or_default())?;
        Ok(Arc::new(Digital99Client { inner: Arc::new(inner) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_checked_against_the_provider() {
        assert_eq!(operation_id(Provider::Meta, "request_code").unwrap(), "meta.request_code");
        assert_eq!(operation_id(Provider::Vonage, "vonage.get_deployment").unwrap(), "vonage.get_deployment");
        let err = operation_id(Provider::Meta, "vonage.get_deployment").unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some("operation"));
        assert!(operation_id(Provider::Meta, "nope").is_err());
    }

    #[test]
    fn a_bad_saved_guard_state_is_refused() {
        let options = ClientOptions { guard_state_json: Some("[".into()), ..ClientOptions::default() };
        let Err(err) = MetaClient::new("t".into(), Some(options)) else { panic!("accepted a broken state") };
        assert_eq!(err.info().field.as_deref(), Some("guard_state_json"));
    }
}
