//! Fault injection: rules that make matching requests slow, fail, or break the way real
//! networks and providers do, so clients' retry, timeout and decode paths can be tested.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

use crate::reply::{Reply, JSON, TEXT};
use crate::rng::Rng;
use crate::{digital99, meta, vonage, Provider};

/// What happens to a request that a [`FaultRule`] matches.
///
/// In JSON: `{"type": "<name>", ...parameters}`, or just `"<name>"` when the defaults do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Fault {
    /// Waits `ms` milliseconds (real time), then answers normally.
    #[serde(rename = "latency_ms")]
    Latency {
        /// Delay in milliseconds.
        #[serde(default = "default_latency")]
        ms: u64,
    },
    /// HTTP 429 with `retry-after: <retry_after>` and the provider's rate-limit body
    /// (Meta code 4, Vonage `throttled`, 99digital an nginx HTML page).
    #[serde(rename = "status_429")]
    Status429 {
        /// Seconds for the `retry-after` header.
        #[serde(default = "default_retry_after")]
        retry_after: u64,
    },
    /// HTTP 500 with the provider's error body (Meta code 131000).
    #[serde(rename = "status_500")]
    Status500,
    /// HTTP 503 with the provider's error body (Meta code 2).
    #[serde(rename = "status_503")]
    Status503,
    /// Drops the connection without any response.
    #[serde(rename = "reset")]
    Reset,
    /// Answers nothing for `seconds` (real time), then drops the connection.
    #[serde(rename = "timeout")]
    Timeout {
        /// How long to hold the request.
        #[serde(default = "default_timeout")]
        seconds: u64,
    },
    /// HTTP 200, `application/json`, the JSON body cut in half.
    #[serde(rename = "truncated_json")]
    TruncatedJson,
    /// HTTP 502 with an HTML page, as a gateway in front of the provider sends.
    #[serde(rename = "html_error")]
    HtmlError,
    /// HTTP 200, `text/plain`, body `OK`.
    #[serde(rename = "wrong_content_type")]
    WrongContentType,
    /// Carries the operation out at once, then holds the answer `ms` milliseconds (real
    /// time): a provider that did the work but answers late, so a client killed meanwhile
    /// never learns the outcome.
    #[serde(rename = "late_answer_ms")]
    LateAnswer {
        /// Delay of the answer in milliseconds.
        #[serde(default = "default_latency")]
        ms: u64,
    },
    /// HTTP 200 `{"status":"FAIL","reason":<reason>}` (99digital's failure shape).
    #[serde(rename = "digital99_fail")]
    Digital99Fail {
        /// The reason code to answer with.
        #[serde(default)]
        reason: i64,
    },
    // Hostile modes (see `crate::hostile`): a provider or proxy that misbehaves on purpose.
    /// A redirect (`status`, 307 by default; any 3xx) to the same path on the trap, a second
    /// loopback listener that records every request reaching it (`GET /_sim/trap`).
    #[serde(rename = "redirect")]
    Redirect {
        /// The 3xx status to answer with.
        #[serde(default = "default_redirect_status")]
        status: u16,
    },
    /// The provider's error shape whose message echoes the request: method, path, every
    /// header (authorization too) and the body, then `pad` characters laced with ANSI
    /// escapes and control characters (at most 16 MiB).
    #[serde(rename = "echo_request")]
    EchoRequest {
        /// How many padding characters follow the echo.
        #[serde(default)]
        pad: usize,
    },
    /// A Meta list page that always links a next page: with the same cursor every time
    /// (`repeat`), or a new cursor every time.
    #[serde(rename = "endless_pages")]
    EndlessPages {
        /// Whether the cursor repeats.
        #[serde(default)]
        repeat: bool,
    },
    /// HTTP 200 `{"success": false}`: Meta saying a write did not take effect.
    #[serde(rename = "meta_success_false")]
    MetaSuccessFalse,
}

fn default_latency() -> u64 {
    500
}
fn default_retry_after() -> u64 {
    1
}
fn default_timeout() -> u64 {
    30
}
fn default_times() -> u32 {
    1
}
fn default_redirect_status() -> u16 {
    307
}

impl Fault {
    /// The fault's name, as in its JSON `type` and in the request log.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Latency { .. } => "latency_ms",
            Fault::Status429 { .. } => "status_429",
            Fault::Status500 => "status_500",
            Fault::Status503 => "status_503",
            Fault::Reset => "reset",
            Fault::Timeout { .. } => "timeout",
            Fault::TruncatedJson => "truncated_json",
            Fault::HtmlError => "html_error",
            Fault::WrongContentType => "wrong_content_type",
            Fault::Digital99Fail { .. } => "digital99_fail",
            Fault::LateAnswer { .. } => "late_answer_ms",
            Fault::Redirect { .. } => "redirect",
            Fault::EchoRequest { .. } => "echo_request",
            Fault::EndlessPages { .. } => "endless_pages",
            Fault::MetaSuccessFalse => "meta_success_false",
        }
    }

    /// Whether the operation itself runs when no `process` was given: only a truncated
    /// answer models "the provider did it, the answer got lost"; the rest never reach it.
    fn processes_by_default(&self) -> bool {
        matches!(self, Fault::TruncatedJson | Fault::Latency { .. } | Fault::LateAnswer { .. })
    }
}

/// A matcher plus a [`Fault`]. Every given matcher field must match; absent ones match all.
///
/// JSON (`POST /_sim/faults`):
/// `{"provider":"meta","method":"POST","path":"/register","op":"meta.register",
///   "times":2,"always":false,"process":false,"fault":{"type":"status_503"}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Only requests to this provider.
    #[serde(default)]
    pub provider: Option<Provider>,
    /// Only this HTTP method (any letter case).
    #[serde(default)]
    pub method: Option<String>,
    /// Only paths containing this substring (the full path, provider prefix included).
    #[serde(default)]
    pub path: Option<String>,
    /// Only this operation id (`meta.register`, `vonage.verify_otp`, ...).
    #[serde(default)]
    pub op: Option<String>,
    /// How many matching requests it hits before it expires (default 1).
    #[serde(default = "default_times")]
    pub times: u32,
    /// Never expires (ignores `times`).
    #[serde(default)]
    pub always: bool,
    /// Whether the operation runs (changing state) before the fault answers. Default:
    /// true for `truncated_json` and `latency_ms`, false for the rest.
    #[serde(default)]
    pub process: Option<bool>,
    /// What to do.
    #[serde(deserialize_with = "fault_from_json")]
    pub fault: Fault,
}

impl FaultRule {
    /// A rule hitting the next request (any provider, any route) once.
    pub fn new(fault: Fault) -> FaultRule {
        FaultRule { provider: None, method: None, path: None, op: None, times: 1, always: false, process: None, fault }
    }

    /// Only requests to `provider`.
    pub fn provider(mut self, provider: Provider) -> Self {
        self.provider = Some(provider);
        self
    }

    /// Only this HTTP method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    /// Only paths containing `substring`.
    pub fn path(mut self, substring: &str) -> Self {
        self.path = Some(substring.to_owned());
        self
    }

    /// Only this operation id.
    pub fn op(mut self, op: &str) -> Self {
        self.op = Some(op.to_owned());
        self
    }

    /// Hits `n` matching requests, then expires.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Never expires.
    pub fn always(mut self) -> Self {
        self.always = true;
        self
    }

    /// Runs (or not) the operation before answering with the fault.
    pub fn process(mut self, process: bool) -> Self {
        self.process = Some(process);
        self
    }

    pub(crate) fn should_process(&self) -> bool {
        self.process.unwrap_or_else(|| self.fault.processes_by_default())
    }

    fn matches(&self, provider: Provider, method: &str, path: &str, op: Option<&str>) -> bool {
        self.provider.is_none_or(|p| p == provider)
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.contains(p))
            && self.op.as_deref().is_none_or(|o| Some(o) == op)
    }
}

/// Accepts a fault as `"status_500"` or as `{"type":"status_500", ...}`.
fn fault_from_json<'de, D: Deserializer<'de>>(d: D) -> Result<Fault, D::Error> {
    let v = Value::deserialize(d)?;
    let v = match v {
        Value::String(name) => json!({ "type": name }),
        other => other,
    };
    Fault::deserialize(v).map_err(serde::de::Error::custom)
}

/// The active rules, in the order they were added.
#[derive(Default)]
pub(crate) struct FaultSet {
    next_id: u64,
    rules: Vec<(u64, FaultRule, u32)>,
}

impl FaultSet {
    pub(crate) fn add(&mut self, rule: FaultRule) -> u64 {
        self.next_id += 1;
        let remaining = rule.times;
        if rule.always || remaining > 0 {
            self.rules.push((self.next_id, rule, remaining));
        }
        self.next_id
    }

    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    pub(crate) fn list(&self) -> Value {
        Value::Array(
            self.rules
                .iter()
                .map(|(id, rule, remaining)| json!({ "id": id, "remaining": remaining, "rule": rule }))
                .collect(),
        )
    }

    /// The first matching rule, counted down (and removed when used up).
    pub(crate) fn take(&mut self, provider: Provider, method: &str, path: &str, op: Option<&str>) -> Option<FaultRule> {
        let pos = self.rules.iter().position(|(_, r, _)| r.matches(provider, method, path, op))?;
        let entry = self.rules.get_mut(pos)?;
        let rule = entry.1.clone();
        if !rule.always {
            entry.2 = entry.2.saturating_sub(1);
            if entry.2 == 0 {
                self.rules.remove(pos);
            }
        }
        Some(rule)
    }
}

/// The answer of a fault that answers (every one but latency, reset and timeout).
/// `processed` is the real answer when the operation ran first.
pub(crate) fn fault_reply(fault: &Fault, provider: Provider, processed: Option<Reply>, rng: &mut Rng) -> Reply {
    match fault {
        Fault::Status429 { retry_after } => match provider {
            Provider::Meta => meta::rate_limited(rng),
            Provider::Vonage => vonage::throttled(rng, "Exceeded rate limit for this API, please wait and try again"),
            Provider::Digital99 => Reply::html_page(429, "Too Many Requests"),
        }
        .with_header("retry-after", retry_after.to_string()),
        Fault::Status500 => match provider {
            Provider::Meta => meta::server_error(rng, 500),
            Provider::Vonage => vonage::server_error(rng, 500),
            Provider::Digital99 => digital99::server_error(500),
        },
        Fault::Status503 => match provider {
            Provider::Meta => meta::server_error(rng, 503),
            Provider::Vonage => vonage::server_error(rng, 503),
            Provider::Digital99 => digital99::server_error(503),
        },
        Fault::TruncatedJson => {
            let body = match processed {
                Some(r) if r.is_success() && r.body.len() >= 2 => r.body,
                _ => canned_body(provider).into_bytes(),
            };
            let half = body.len() / 2;
            Reply::raw(200, Some(JSON), body.get(..half).unwrap_or_default().to_vec())
        }
        Fault::HtmlError => Reply::html_page(502, "Bad Gateway"),
        Fault::WrongContentType => Reply::raw(200, Some(TEXT), b"OK".to_vec()),
        Fault::Digital99Fail { reason } => Reply::json(200, &json!({ "status": "FAIL", "reason": reason })),
        // Not answering faults, or hostile ones (`crate::hostile`); the server never asks
        // for these.
        Fault::Latency { .. }
        | Fault::LateAnswer { .. }
        | Fault::Reset
        | Fault::Timeout { .. }
        | Fault::Redirect { .. }
        | Fault::EchoRequest { .. }
        | Fault::EndlessPages { .. }
        | Fault::MetaSuccessFalse => Reply::html_page(500, "Internal Server Error"),
    }
}

/// A typical body of the provider, to cut when the real answer had none.
fn canned_body(provider: Provider) -> String {
    match provider {
        Provider::Meta => json!({ "success": true }).to_string(),
        Provider::Vonage => json!({
            "deployment_id": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
            "status": "Deployment was Created"
        })
        .to_string(),
        Provider::Digital99 => json!({ "status": "OK", "reason": 1 }).to_string(),
    }
}
