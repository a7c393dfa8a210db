//! The simulator, either run here (in-process, on loopback) or reached at the URL of a
//! `waonboard sandbox` already running. Either way its seed and one-time codes are read
//! over the HTTP side channel, so both cases behave alike.

use std::time::Duration;

use clap::Args;
use serde_json::Value;
use waonboard::client::{Client, Digital99Credentials, Onboarding, ReqwestTransport, Transport};
use waonboard::{Config, Error, HttpRequest, Method, PhoneNumber, Provider, Secret};
use waonboard_sim::{SimConfig, Simulator};

use crate::failure::{usage, Failure};

/// A reachable simulator and what it was seeded with.
pub struct Sandbox {
    /// Present when this process runs it.
    simulator: Option<Simulator>,
    origin: String,
    http: ReqwestTransport,
    seeded: Value,
}

impl Sandbox {
    /// Starts a simulator in this process.
    pub async fn start(config: SimConfig) -> Result<Sandbox, Failure> {
        let simulator = Simulator::start(config)
            .await
            .map_err(|e| Failure::Local(format!("the simulator could not start: {e}")))?;
        let origin = simulator.url();
        let seed = simulator.seed_info();
        Ok(Sandbox { simulator: Some(simulator), origin, http: ReqwestTransport::new()?, seeded: seed })
    }

    /// Uses a simulator that runs elsewhere on this machine (`waonboard sandbox`).
    pub async fn connect(url: &str) -> Result<Sandbox, Failure> {
        let origin = url.trim_end_matches('/').to_owned();
        let mut sandbox = Sandbox { simulator: None, origin, http: ReqwestTransport::new()?, seeded: Value::Null };
        let (status, seed) = sandbox.get("/_sim/seed").await?;
        if status != 200 {
            return Err(usage(
                "sandbox_url",
                format!("answered HTTP {status} to /_sim/seed: is it a waonboard sandbox?"),
            ));
        }
        sandbox.seeded = seed;
        Ok(sandbox)
    }

    /// A client for `provider` at the simulator, with its fake credentials (99digital's
    /// client then fetches its own tokens, as in production).
    pub fn client<T: Transport>(&self, transport: T, provider: Provider) -> Client<T> {
        let mut config = Config::default();
        config.access_token = self.seed_str(provider, "access_token").map(Secret::from);
        config.base_url = self.seed_str(provider, "base_url");
        config.verify_number_path = self.seed_str(provider, "verify_number_path");
        let client_id = self.seed_str(provider, "client_id");
        let client_secret = self.seed_str(provider, "client_secret").map(Secret::from);
        match (client_id, client_secret) {
            (Some(client_id), Some(client_secret)) => {
                Client::digital99(transport, config, Digital99Credentials::new(client_id, client_secret))
            }
            _ => Client::new(transport, config),
        }
    }

    /// A seeded value by JSON pointer, e.g. `/meta/phone_number_ids/ready`.
    pub fn seed(&self, pointer: &str) -> Option<&str> {
        self.seeded.pointer(pointer).and_then(Value::as_str)
    }

    fn seed_str(&self, provider: Provider, key: &str) -> Option<String> {
        self.seed(&format!("/{}/{key}", provider.as_str())).map(str::to_owned)
    }

    /// The code waiting for the number of `flow`, from `GET /_sim/otp`; `None` when no
    /// code is waiting.
    pub async fn otp(&self, flow: &Onboarding) -> Result<Option<Secret>, Failure> {
        let query = match flow {
            Onboarding::Meta(f) => format!("provider=meta&phone_number_id={}", encode(&f.phone_number_id)),
            Onboarding::Vonage(f) => {
                let id = f.deployment_id.as_deref().unwrap_or_default();
                format!("provider=vonage&deployment_id={}", encode(id))
            }
            Onboarding::Digital99(f) => {
                let number = PhoneNumber::parse(&f.phone_number, f.country.as_deref())
                    .map_err(|e| Error::validation("phone_number", e))?;
                format!("provider=digital99&whatsapp={}", number.digits())
            }
        };
        match self.get(&format!("/_sim/otp?{query}")).await? {
            (200, body) => Ok(body["code"].as_str().map(Secret::from)),
            (404, _) => Ok(None),
            (status, body) => {
                Err(Failure::Local(format!("the simulator's side channel answered HTTP {status}: {body}")))
            }
        }
    }

    /// `http://127.0.0.1:PORT`, the root of the side channel.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Stops the simulator if this process runs it.
    pub async fn shutdown(self) {
        if let Some(simulator) = self.simulator {
            simulator.shutdown().await;
        }
    }

    async fn get(&self, path: &str) -> Result<(u16, Value), Failure> {
        let request =
            HttpRequest { method: Method::Get, url: format!("{}{path}", self.origin), headers: Vec::new(), body: None };
        let response = self.http.send(request).await?;
        let body = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        Ok((response.status, body))
    }
}

/// Percent-encodes a query value (ids come from a state file a person may have edited).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `waonboard sandbox`: the simulator in the foreground until Ctrl-C.
#[derive(Args, Debug)]
pub struct SandboxArgs {
    /// TCP port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed of the simulator's random numbers (codes, ids, tokens), for repeatable runs.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Send this 6-digit code every time instead of random ones (for manual runs).
    #[arg(long, value_name = "CODE")]
    fixed_otp: Option<String>,
}

pub async fn run_sandbox(args: SandboxArgs) -> Result<(), Failure> {
    if let Some(code) = &args.fixed_otp {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(usage("fixed_otp", "must be 6 digits"));
        }
    }
    let config = SimConfig { port: args.port, rng_seed: args.seed, fixed_otp: args.fixed_otp, ..SimConfig::default() };
    let sandbox = Sandbox::start(config).await?;
    out!("{}", sandbox_banner(&sandbox));
    tokio::signal::ctrl_c().await.map_err(|e| Failure::Local(format!("could not wait for Ctrl-C: {e}")))?;
    eprintln!("stopping the simulator");
    sandbox.shutdown().await;
    Ok(())
}

/// What a person needs to use the sandbox: URLs, fake credentials and the side channel.
fn sandbox_banner(sandbox: &Sandbox) -> String {
    let origin = sandbox.origin();
    let seed = |provider: Provider, key: &str| sandbox.seed_str(provider, key).unwrap_or_else(|| "?".to_owned());
    let meta_id = sandbox.seed("/meta/phone_number_ids/ready").unwrap_or("?");
    let seed_json = serde_json::to_string_pretty(&sandbox.seeded).unwrap_or_default();
    format!(
        "waonboard sandbox: Meta, Vonage and 99digital simulated on {origin} (loopback only; every credential is fake)

base URLs (export them, or pass one with --base-url):
  export WAONBOARD_META_BASE_URL={meta_url}
  export WAONBOARD_VONAGE_BASE_URL={vonage_url}
  export WAONBOARD_DIGITAL99_BASE_URL={digital99_url}

credentials:
  export WAONBOARD_META_TOKEN={meta_token}
  export WAONBOARD_VONAGE_TOKEN={vonage_token}
  export WAONBOARD_DIGITAL99_CLIENT_ID={client_id} WAONBOARD_DIGITAL99_CLIENT_SECRET={client_secret}

one-time codes, through the side channel (404 while none is waiting):
  curl '{origin}/_sim/otp?provider=meta&phone_number_id=<id>'
  curl '{origin}/_sim/otp?provider=vonage&deployment_id=<id>'
  curl '{origin}/_sim/otp?provider=digital99&whatsapp=<digits, e.g. 972501234567>'

try:
  waonboard meta                                  # Meta's operations and their parameters
  waonboard meta request_code \\
    --params '{{\"phone_number_id\":\"{meta_id}\",\"code_method\":\"sms\",\"language\":\"en_US\"}}'
  waonboard bulk --provider vonage --input numbers.csv --state state.json --sandbox-url {origin}

everything seeded (also at {origin}/_sim/seed):
{seed_json}

Ctrl-C stops it.",
        meta_url = seed(Provider::Meta, "base_url"),
        vonage_url = seed(Provider::Vonage, "base_url"),
        digital99_url = seed(Provider::Digital99, "base_url"),
        meta_token = seed(Provider::Meta, "access_token"),
        vonage_token = seed(Provider::Vonage, "access_token"),
        client_id = seed(Provider::Digital99, "client_id"),
        client_secret = seed(Provider::Digital99, "client_secret"),
    )
}

/// How long a simulated Vonage state lasts in the demo and sandboxed bulk runs: long
/// enough to watch the polling, short enough that a run takes seconds.
pub const VONAGE_STEP: Duration = Duration::from_millis(100);

/// The two-step PIN sandboxed runs register with when none is given: the simulator takes
/// any 6 digits for a number that has no PIN yet.
pub const SANDBOX_PIN: &str = "135790";
