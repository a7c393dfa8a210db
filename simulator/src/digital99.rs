//! The 99digital Partners API, mounted at `/99digital`.
//!
//! 99digital answers HTTP 200 with `{"status":"FAIL","reason":N}` for its failures, and
//! reason codes are per endpoint. Documented: 1 OK, 2 wrong credentials, 3 token missing
//! or expired (on accessToken: too many tries), 4 number empty or wrong, 13 wrong HTTP
//! method, 25 onboarding finished and 26 not found (deleteAccount). The simulator's own
//! choices for the undocumented cases:
//! 5 code requested more than `digital99_code_requests_per_hour` times in an hour,
//! 6 too many numbers waiting for verification, 7 bad `method`, 8 bad `language`,
//! 9 bad `comment`, 10 number already registered (or has an account),
//! 11 wrong or malformed verification code, 12 no code pending for the number.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::clock::Now;
use crate::engine::Call;
use crate::meta::new_otp;
use crate::reply::Reply;
use crate::rng::Rng;
use crate::util::{all_digits, char_len, form_pairs, is_digits_len, json_object, str_field};
use crate::{seed, SimConfig};

pub(crate) const REASON_OK: i64 = 1;
pub(crate) const REASON_WRONG_CREDENTIALS: i64 = 2;
pub(crate) const REASON_TOKEN: i64 = 3;
pub(crate) const REASON_BAD_NUMBER: i64 = 4;
pub(crate) const REASON_TOO_MANY_CODES: i64 = 5;
pub(crate) const REASON_TOO_MANY_PENDING: i64 = 6;
pub(crate) const REASON_BAD_METHOD: i64 = 7;
pub(crate) const REASON_BAD_LANGUAGE: i64 = 8;
pub(crate) const REASON_BAD_COMMENT: i64 = 9;
pub(crate) const REASON_ALREADY_REGISTERED: i64 = 10;
pub(crate) const REASON_WRONG_CODE: i64 = 11;
pub(crate) const REASON_NOT_PENDING: i64 = 12;
pub(crate) const REASON_WRONG_HTTP_METHOD: i64 = 13;
pub(crate) const REASON_ONBOARDING_FINISHED: i64 = 25;
pub(crate) const REASON_NOT_FOUND: i64 = 26;

const HOUR: Duration = Duration::from_secs(3600);
/// A verified number stays registered this long unless an account is made with it.
const REGISTRATION_TTL_SECS: u64 = 90 * 24 * 3600;

struct Pending {
    otp: String,
    comment: Option<String>,
}

struct Registered {
    expiration: u64,
    onboarding_link: Option<String>,
    comment: Option<String>,
}

struct Account {
    create_time: u64,
    whatsapp: String,
    coexistence: bool,
    business_name: String,
    business_email: String,
    business_id: String,
    business_address: String,
    landing_page: String,
    display_name: String,
    reference: String,
    /// `active` once onboarding finished (then it cannot be deleted), else `pending`.
    status: &'static str,
}

struct Online {
    create_time: u64,
    whatsapp: String,
    api_key: String,
    display_name: String,
    business_name: String,
    /// Where the number is connected on 99digital's omni-channel platform, if it is:
    /// account number, inbox number and server subdomain (the seed's `onlineAccount`,
    /// `onlineInbox`, `onlineServer`).
    online: Option<(u64, u64, &'static str)>,
    coexistence: bool,
    conversations: u64,
    marketing: u64,
    service: u64,
    incoming: u64,
}

pub(crate) struct State {
    /// Access token → expiry (simulated time).
    tokens: HashMap<String, Duration>,
    login_failures: Vec<Duration>,
    pending: BTreeMap<String, Pending>,
    code_requests: HashMap<String, Vec<Duration>>,
    registered: BTreeMap<String, Registered>,
    accounts: Vec<Account>,
    online: Vec<Online>,
}

impl State {
    pub(crate) fn seed(now: Now, rng: &mut Rng) -> State {
        let mut registered = BTreeMap::new();
        registered.insert(
            seed::DIGITAL99_REGISTERED_NUMBER.to_owned(),
            Registered {
                expiration: now.unix + REGISTRATION_TTL_SECS / 2,
                onboarding_link: Some(format!("https://partners.99digital.co.il/onboarding/{}", rng.alnum(16))),
                comment: Some("seed".to_owned()),
            },
        );
        let account = |whatsapp: &str, name: &str, status: &'static str, create_time: u64| Account {
            create_time,
            whatsapp: whatsapp.to_owned(),
            coexistence: false,
            business_name: format!("{name} Ltd"),
            business_email: "owner@example.com".to_owned(),
            business_id: "771234567".to_owned(),
            business_address: "1 Herzl St, Tel Aviv".to_owned(),
            landing_page: "https://example.com".to_owned(),
            display_name: name.to_owned(),
            reference: format!("ref-{whatsapp}"),
            status,
        };
        State {
            tokens: HashMap::new(),
            login_failures: Vec::new(),
            pending: BTreeMap::new(),
            code_requests: HashMap::new(),
            registered,
            accounts: vec![
                account(seed::DIGITAL99_ACTIVE_ACCOUNT, "Sim Falafel", "active", 1_714_000_000),
                account(seed::DIGITAL99_PENDING_ACCOUNT, "Sim Hummus", "pending", 1_716_000_000),
            ],
            online: vec![
                Online {
                    create_time: 1_714_000_000,
                    whatsapp: seed::DIGITAL99_ACTIVE_ACCOUNT.to_owned(),
                    api_key: "sim-api-key-1111".to_owned(),
                    display_name: "Sim Falafel".to_owned(),
                    business_name: "Sim Falafel Ltd".to_owned(),
                    online: Some((1, 2, "app3")),
                    coexistence: false,
                    conversations: 12,
                    marketing: 3,
                    service: 7,
                    incoming: 2,
                },
                Online {
                    create_time: 1_712_000_000,
                    whatsapp: "972507777777".to_owned(),
                    api_key: "sim-api-key-7777".to_owned(),
                    display_name: "Sim Shakshuka".to_owned(),
                    business_name: "Sim Shakshuka Ltd".to_owned(),
                    online: None,
                    coexistence: true,
                    conversations: 0,
                    marketing: 0,
                    service: 0,
                    incoming: 1,
                },
            ],
        }
    }

    pub(crate) fn otp(&self, whatsapp: &str) -> Option<String> {
        Some(self.pending.get(whatsapp)?.otp.clone())
    }
}

/// A 99digital route. `WrongMethod` keeps the op so the log still names it.
pub(crate) enum Route {
    AccessToken,
    RegisterNumber,
    VerifyNumber,
    GetRegisteredNumbers,
    GetWhatsApp,
    GetAccounts,
    DeleteAccount,
    WrongMethod(&'static str),
    Unknown,
}

impl Route {
    pub(crate) fn parse(method: &str, rest: &str, cfg: &SimConfig) -> Route {
        let path = rest.trim_end_matches('/');
        let verify = cfg.digital99_verify_path.trim_end_matches('/');
        let (route, expected) = match path {
            "/api/settings/accessToken" => (Route::AccessToken, "POST"),
            "/api/whatsapp/registerNumber" => (Route::RegisterNumber, "POST"),
            p if p == verify => (Route::VerifyNumber, "POST"),
            "/api/whatsapp/getRegisteredNumbers" => (Route::GetRegisteredNumbers, "GET"),
            "/api/whatsapp/getWhatsApp" => (Route::GetWhatsApp, "GET"),
            "/api/whatsapp/getAccounts" => (Route::GetAccounts, "GET"),
            "/api/whatsapp/deleteAccount" => (Route::DeleteAccount, "DELETE"),
            _ => return Route::Unknown,
        };
        if method == expected {
            route
        } else {
            Route::WrongMethod(route.op().unwrap_or("digital99.unknown"))
        }
    }

    pub(crate) fn op(&self) -> Option<&'static str> {
        Some(match self {
            Route::AccessToken => "digital99.access_token",
            Route::RegisterNumber => "digital99.register_number",
            Route::VerifyNumber => "digital99.verify_number",
            Route::GetRegisteredNumbers => "digital99.list_registered_numbers",
            Route::GetWhatsApp => "digital99.list_whatsapp_numbers",
            Route::GetAccounts => "digital99.list_accounts",
            Route::DeleteAccount => "digital99.delete_account",
            Route::WrongMethod(op) => op,
            Route::Unknown => return None,
        })
    }
}

fn fail(reason: i64) -> Reply {
    Reply::json(200, &json!({ "status": "FAIL", "reason": reason }))
}

fn fail_number(reason: i64, whatsapp: &str) -> Reply {
    Reply::json(200, &json!({ "status": "FAIL", "whatsapp": whatsapp, "reason": reason }))
}

/// An nginx error page: what a PHP service behind nginx sends on a 5xx.
pub(crate) fn server_error(status: u16) -> Reply {
    if status == 503 {
        Reply::html_page(503, "Service Temporarily Unavailable")
    } else {
        Reply::html_page(status, "Internal Server Error")
    }
}

/// JSON body, or a form body; anything unreadable is an empty object (then the field
/// checks answer with their reason codes, as the real API does).
fn params(call: &Call<'_>) -> Map<String, Value> {
    if call.content_type_is("application/x-www-form-urlencoded") {
        form_pairs(call.body).into_iter().map(|(k, v)| (k, Value::String(v))).collect()
    } else {
        json_object(call.body).unwrap_or_default()
    }
}

/// A `whatsapp` number: digits with the country code, no `+`, 8–15 digits.
fn whatsapp(p: &Map<String, Value>) -> Option<String> {
    str_field(p, "whatsapp").filter(|w| all_digits(w) && (8..=15).contains(&w.len()) && !w.starts_with('0'))
}

pub(crate) fn handle(st: &mut State, rng: &mut Rng, cfg: &SimConfig, route: &Route, call: &Call<'_>) -> Reply {
    let now = call.now;
    match route {
        Route::Unknown => {
            return Reply::json(404, &json!({ "status": "FAIL", "reason": 0 }));
        }
        Route::WrongMethod(_) => return fail(REASON_WRONG_HTTP_METHOD),
        Route::AccessToken => return access_token(st, rng, cfg, call),
        _ => {}
    }
    st.tokens.retain(|_, exp| *exp > now.sim);
    let authorized = call.bearer().is_some_and(|t| st.tokens.contains_key(t));
    if !authorized {
        return fail(REASON_TOKEN);
    }
    st.registered.retain(|_, r| r.expiration > now.unix);
    match route {
        Route::RegisterNumber => register_number(st, rng, cfg, call),
        Route::VerifyNumber => verify_number(st, rng, call),
        Route::GetRegisteredNumbers => {
            let list: Vec<Value> = st
                .registered
                .iter()
                .map(|(w, r)| {
                    json!({
                        "whatsapp": w,
                        "expiration": r.expiration.to_string(),
                        "onboarding_link": r.onboarding_link,
                        "comment": r.comment,
                    })
                })
                .collect();
            Reply::json(200, &json!({ "status": "OK", "reason": REASON_OK, "list": list }))
        }
        Route::GetWhatsApp => {
            let flag = |b: bool| u8::from(b);
            let list: Vec<Value> = st
                .online
                .iter()
                .map(|o| {
                    // As the seed's example: numbers 0 and no server when not online.
                    let (account, inbox, server) = o.online.map_or((0, 0, None), |(a, i, s)| (a, i, Some(s)));
                    let mut number = json!({
                        "create_time": o.create_time.to_string(),
                        "whatsapp": o.whatsapp,
                        "apiKey": o.api_key,
                        "display_name": o.display_name,
                        "business_name": o.business_name,
                        "isOnline": flag(o.online.is_some()),
                        "onlineAccount": account,
                        "onlineInbox": inbox,
                        "coexistence": flag(o.coexistence),
                        "conversationsThisMonth": o.conversations,
                        "marketingThisMonth": o.marketing,
                        "serviceThisMonth": o.service,
                        "incomingThisMonth": o.incoming,
                    });
                    if let Some(server) = server {
                        number["onlineServer"] = json!(server);
                    }
                    number
                })
                .collect();
            let sum = |f: fn(&Online) -> u64| st.online.iter().map(f).sum::<u64>();
            Reply::json(
                200,
                &json!({
                    "status": "OK",
                    "reason": REASON_OK,
                    "totalWhatsApp": st.online.len(),
                    "totalConversationsThisMonth": sum(|o| o.conversations),
                    "totalMarketingThisMonth": sum(|o| o.marketing),
                    "totalServiceThisMonth": sum(|o| o.service),
                    "totalIncomingThisMonth": sum(|o| o.incoming),
                    "list": list,
                }),
            )
        }
        Route::GetAccounts => {
            let list: Vec<Value> = st
                .accounts
                .iter()
                .map(|a| {
                    json!({
                        "create_time": a.create_time,
                        "whatsapp": a.whatsapp,
                        "coexistence": u8::from(a.coexistence),
                        "business_name": a.business_name,
                        "business_email": a.business_email,
                        "business_id": a.business_id,
                        "business_address": a.business_address,
                        "landing_page": a.landing_page,
                        "onboarding_link": format!("https://partners.99digital.co.il/onboarding/{}", a.reference),
                        "display_name": a.display_name,
                        "reference": a.reference,
                        "status": a.status,
                    })
                })
                .collect();
            Reply::json(200, &json!({ "status": "OK", "reason": REASON_OK, "list": list }))
        }
        Route::DeleteAccount => delete_account(st, call),
        Route::AccessToken | Route::WrongMethod(_) | Route::Unknown => fail(0),
    }
}

fn access_token(st: &mut State, rng: &mut Rng, cfg: &SimConfig, call: &Call<'_>) -> Reply {
    let now = call.now;
    st.login_failures.retain(|t| now.sim.saturating_sub(*t) < HOUR);
    if st.login_failures.len() >= cfg.digital99_max_login_failures {
        return fail(REASON_TOKEN);
    }
    let p = params(call);
    let ok = str_field(&p, "client_id").as_deref() == Some(cfg.digital99_client_id.as_str())
        && str_field(&p, "client_secret").as_deref() == Some(cfg.digital99_client_secret.as_str());
    if !ok {
        st.login_failures.push(now.sim);
        return fail(REASON_WRONG_CREDENTIALS);
    }
    let token = rng.alnum(48);
    st.tokens.insert(token.clone(), now.sim + cfg.digital99_token_ttl);
    Reply::json(
        200,
        &json!({
            "status": "OK",
            "access_token": token,
            "expiration_time": (now.unix + cfg.digital99_token_ttl.as_secs()).to_string(),
            "token_type": "Bearer",
            "reason": REASON_OK,
        }),
    )
}

fn register_number(st: &mut State, rng: &mut Rng, cfg: &SimConfig, call: &Call<'_>) -> Reply {
    let p = params(call);
    let Some(number) = whatsapp(&p) else {
        return fail(REASON_BAD_NUMBER);
    };
    let method_ok = match p.get("method") {
        Some(Value::Number(n)) => matches!(n.as_i64(), Some(1 | 2)),
        Some(Value::String(s)) => s == "1" || s == "2",
        _ => false,
    };
    if !method_ok {
        return fail_number(REASON_BAD_METHOD, &number);
    }
    let language_ok =
        str_field(&p, "language").is_some_and(|l| l.len() == 1 && l.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !language_ok {
        return fail_number(REASON_BAD_LANGUAGE, &number);
    }
    let comment = match p.get("comment") {
        None | Some(Value::Null) => None,
        // Words of letters and digits separated by single spaces (seed 000: "numbers and
        // letters only", as docs/contract.md reads it).
        Some(Value::String(c))
            if char_len(c) <= 100
                && (c.is_empty() || c.split(' ').all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric))) =>
        {
            Some(c.clone()).filter(|c| !c.is_empty())
        }
        Some(_) => return fail_number(REASON_BAD_COMMENT, &number),
    };
    if st.registered.contains_key(&number) || st.accounts.iter().any(|a| a.whatsapp == number) {
        return fail_number(REASON_ALREADY_REGISTERED, &number);
    }
    let now = call.now.sim;
    let times = st.code_requests.entry(number.clone()).or_default();
    times.retain(|t| now.saturating_sub(*t) < HOUR);
    if times.len() >= cfg.digital99_code_requests_per_hour {
        return fail_number(REASON_TOO_MANY_CODES, &number);
    }
    if !st.pending.contains_key(&number) && st.pending.len() >= cfg.digital99_max_pending {
        return fail_number(REASON_TOO_MANY_PENDING, &number);
    }
    times.push(now);
    st.pending.insert(number.clone(), Pending { otp: new_otp(rng, cfg), comment });
    Reply::json(200, &json!({ "status": "OK", "whatsapp": number, "reason": REASON_OK }))
}

fn verify_number(st: &mut State, rng: &mut Rng, call: &Call<'_>) -> Reply {
    let p = params(call);
    let Some(number) = whatsapp(&p) else {
        return fail(REASON_BAD_NUMBER);
    };
    let Some(code) = str_field(&p, "code").filter(|c| is_digits_len(c, 6)) else {
        return fail_number(REASON_WRONG_CODE, &number);
    };
    let Some(pending) = st.pending.get(&number) else {
        return fail_number(REASON_NOT_PENDING, &number);
    };
    if pending.otp != code {
        return fail_number(REASON_WRONG_CODE, &number);
    }
    let comment = st.pending.remove(&number).and_then(|p| p.comment);
    let expiration = call.now.unix + REGISTRATION_TTL_SECS;
    st.registered.insert(
        number.clone(),
        Registered {
            expiration,
            onboarding_link: Some(format!("https://partners.99digital.co.il/onboarding/{}", rng.alnum(16))),
            comment,
        },
    );
    Reply::json(
        200,
        &json!({
            "status": "OK",
            "whatsapp": number,
            "expiration": expiration.to_string(),
            "reason": REASON_OK,
        }),
    )
}

fn delete_account(st: &mut State, call: &Call<'_>) -> Reply {
    let p = params(call);
    let Some(number) = whatsapp(&p) else {
        return fail(REASON_BAD_NUMBER);
    };
    if let Some(pos) = st.accounts.iter().position(|a| a.whatsapp == number) {
        if st.accounts.get(pos).is_some_and(|a| a.status == "active") {
            return fail_number(REASON_ONBOARDING_FINISHED, &number);
        }
        st.accounts.remove(pos);
    } else if st.registered.remove(&number).is_none() && st.pending.remove(&number).is_none() {
        return fail_number(REASON_NOT_FOUND, &number);
    }
    Reply::json(200, &json!({ "status": "OK", "whatsapp": number, "reason": REASON_OK }))
}
