//! Meta's WhatsApp Cloud API, phone-number endpoints (Graph API), mounted at `/meta`.
//!
//! Errors use the Graph envelope `{"error":{"message","type","code","error_subcode"?,
//! "error_data"?,"fbtrace_id"}}`; clients key on `code`, so the codes are Meta's own.

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::engine::Call;
use crate::reply::Reply;
use crate::rng::Rng;
use crate::util::{
    all_digits, base64_decode, base64_encode, char_len, encode_query_value, form_pairs, graph_time, is_digits_len,
    json_object, query_get, str_field,
};
use crate::{seed, SimConfig};

const REGIONS: [&str; 14] = ["AE", "AU", "BH", "BR", "CA", "CH", "DE", "GB", "ID", "IN", "JP", "KR", "SG", "ZA"];

/// Fields Graph returns when the request names none.
const DEFAULT_FIELDS: [&str; 8] = [
    "id",
    "verified_name",
    "code_verification_status",
    "display_phone_number",
    "quality_rating",
    "platform_type",
    "throughput",
    "last_onboarded_time",
];

/// Every field the simulated node knows; any other in `fields` is error 100.
const KNOWN_FIELDS: [&str; 15] = [
    "id",
    "display_phone_number",
    "verified_name",
    "code_verification_status",
    "quality_rating",
    "platform_type",
    "throughput",
    "webhook_configuration",
    "name_status",
    "new_name_status",
    "certificate",
    "new_certificate",
    "last_onboarded_time",
    "account_mode",
    "is_pin_enabled",
];

/// Name statuses that allow register.
const NAME_OK: [&str; 2] = ["APPROVED", "AVAILABLE_WITHOUT_REVIEW"];

pub(crate) struct PhoneNumber {
    id: String,
    cc: String,
    national: String,
    display_phone_number: String,
    verified_name: String,
    code_verification_status: String,
    quality_rating: String,
    platform_type: String,
    throughput_level: String,
    webhook_application: Option<String>,
    name_status: String,
    new_name_status: Option<String>,
    certificate: Option<String>,
    new_certificate: Option<String>,
    last_onboarded_time: Option<u64>,
    account_mode: String,
    // Hidden state.
    otp: Option<String>,
    pin: Option<String>,
    registered: bool,
    data_localization_region: Option<String>,
    registrations: Vec<Duration>,
    deregistrations: Vec<Duration>,
}

impl PhoneNumber {
    fn new(id: &str, cc: &str, national: &str, display: &str, name: &str) -> PhoneNumber {
        PhoneNumber {
            id: id.to_owned(),
            cc: cc.to_owned(),
            national: national.to_owned(),
            display_phone_number: display.to_owned(),
            verified_name: name.to_owned(),
            code_verification_status: "NOT_VERIFIED".to_owned(),
            quality_rating: "UNKNOWN".to_owned(),
            platform_type: "NOT_APPLICABLE".to_owned(),
            throughput_level: "STANDARD".to_owned(),
            webhook_application: None,
            name_status: "APPROVED".to_owned(),
            new_name_status: None,
            certificate: None,
            new_certificate: None,
            last_onboarded_time: None,
            account_mode: "LIVE".to_owned(),
            otp: None,
            pin: None,
            registered: false,
            data_localization_region: None,
            registrations: Vec::new(),
            deregistrations: Vec::new(),
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "id" => json!(self.id),
            "display_phone_number" => json!(self.display_phone_number),
            "verified_name" => json!(self.verified_name),
            "code_verification_status" => json!(self.code_verification_status),
            "quality_rating" => json!(self.quality_rating),
            "platform_type" => json!(self.platform_type),
            "throughput" => json!({ "level": self.throughput_level }),
            "webhook_configuration" => {
                json!({ "application": self.webhook_application.as_ref()? })
            }
            "name_status" => json!(self.name_status),
            "new_name_status" => json!(self.new_name_status.as_ref()?),
            "certificate" => json!(self.certificate.as_ref()?),
            "new_certificate" => json!(self.new_certificate.as_ref()?),
            "last_onboarded_time" => json!(graph_time(self.last_onboarded_time?)),
            "account_mode" => json!(self.account_mode),
            "is_pin_enabled" => json!(self.pin.is_some()),
            _ => return None,
        })
    }

    /// The node with the asked fields, `id` always included; absent fields are left out.
    fn render(&self, fields: &[String]) -> Value {
        let mut obj = Map::new();
        obj.insert("id".to_owned(), json!(self.id));
        for f in fields {
            if let Some(v) = self.field(f) {
                obj.insert(f.clone(), v);
            }
        }
        Value::Object(obj)
    }

    fn string_field(&self, name: &str) -> Option<&str> {
        Some(match name {
            "id" => &self.id,
            "display_phone_number" => &self.display_phone_number,
            "verified_name" => &self.verified_name,
            "code_verification_status" => &self.code_verification_status,
            "quality_rating" => &self.quality_rating,
            "platform_type" => &self.platform_type,
            "name_status" => &self.name_status,
            "account_mode" => &self.account_mode,
            _ => return None,
        })
    }
}

pub(crate) struct State {
    waba_id: String,
    numbers: Vec<PhoneNumber>,
    preverified: Vec<Preverified>,
}

impl State {
    pub(crate) fn seed(config: &SimConfig) -> State {
        let mut ready = PhoneNumber::new(seed::META_PHONE_READY, "1", "6315555555", "+1 631-555-5555", "Lucky Shrub");
        ready.quality_rating = "GREEN".to_owned();
        ready.webhook_application = Some("https://example.com/webhooks/whatsapp".to_owned());
        ready.certificate = Some("CmEKHQiX2o2ykqDuARIGZW50OldBIgxMdWNreSBTaHJ1YhIg".to_owned());
        ready.last_onboarded_time = Some(1_714_558_830);

        let mut big = PhoneNumber::new(seed::META_PHONE_BIG, "44", "7700900123", "+44 7700 900123", "Sim Grocer UK");
        big.quality_rating = "GREEN".to_owned();
        big.account_mode = "SANDBOX".to_owned();
        big.last_onboarded_time = Some(1_700_000_000);

        let mut pending =
            PhoneNumber::new(seed::META_PHONE_PENDING, "972", "501234567", "+972 50-123-4567", "Sim Pending");
        pending.name_status = "PENDING_REVIEW".to_owned();
        pending.new_name_status = Some("PENDING_REVIEW".to_owned());

        let mut registered =
            PhoneNumber::new(seed::META_PHONE_REGISTERED, "49", "15123456789", "+49 1512 3456789", "Sim Bäckerei");
        registered.code_verification_status = "VERIFIED".to_owned();
        registered.quality_rating = "YELLOW".to_owned();
        registered.platform_type = "CLOUD_API".to_owned();
        registered.throughput_level = "HIGH".to_owned();
        registered.pin = Some(seed::META_REGISTERED_PIN.to_owned());
        registered.registered = true;
        registered.last_onboarded_time = Some(1_720_000_000);

        State {
            waba_id: config.meta_waba_id.clone(),
            numbers: vec![ready, big, pending, registered],
            preverified: State::seed_preverified(),
        }
    }

    fn number(&mut self, id: &str) -> Option<&mut PhoneNumber> {
        self.numbers.iter_mut().find(|n| n.id == id)
    }

    /// The code waiting for a phone number or a pre-verified number.
    pub(crate) fn otp(&self, id: &str) -> Option<String> {
        let number = self.numbers.iter().find(|n| n.id == id).and_then(|n| n.otp.clone());
        number.or_else(|| self.preverified.iter().find(|n| n.id == id)?.otp.clone())
    }

    /// Adds a number to the WABA (unverified, its name usable without review); its new ID.
    pub(crate) fn add_number(&mut self, rng: &mut Rng, cc: &str, national: &str, name: &str) -> String {
        let id = loop {
            let candidate = format!("1{}", rng.digits(14));
            if !self.numbers.iter().any(|n| n.id == candidate) {
                break candidate;
            }
        };
        let mut number = PhoneNumber::new(&id, cc, national, &format!("+{cc} {national}"), name);
        // New numbers may message before their name review ends.
        number.name_status = "AVAILABLE_WITHOUT_REVIEW".to_owned();
        self.numbers.push(number);
        id
    }

    /// Sets `code_verification_status`, e.g. to `VERIFIED` as Embedded Signup leaves a number.
    pub(crate) fn set_code_verification_status(&mut self, id: &str, status: &str) -> bool {
        match self.number(id) {
            Some(n) => {
                n.code_verification_status = status.to_owned();
                true
            }
            None => false,
        }
    }

    pub(crate) fn set_name_status(&mut self, id: &str, status: &str) -> bool {
        match self.number(id) {
            Some(n) => {
                n.name_status = status.to_owned();
                if n.new_name_status.is_some() {
                    n.new_name_status = Some(status.to_owned());
                }
                true
            }
            None => false,
        }
    }
}

/// A Meta route: `/{version}/{id}[/{edge}]`.
pub(crate) enum Route {
    RequestCode(String),
    VerifyCode(String),
    Register(String),
    Deregister(String),
    SetPin(String),
    GetPhoneNumber(String),
    ListPhoneNumbers {
        version: String,
        waba: String,
    },
    AddPhoneNumber(String),
    AddPreverified(String),
    ListPreverified {
        version: String,
        business: String,
    },
    GetPreverified(String),
    DeletePreverified(String),
    RequestPreverifiedCode(String),
    VerifyPreverifiedCode(String),
    ListPartners {
        version: String,
        id: String,
    },
    SharePreverified(String),
    /// A node that exists as a path, with a method it does not support.
    Unsupported {
        method: String,
        id: String,
    },
    Unknown(String),
}

fn is_version(s: &str) -> bool {
    s.strip_prefix('v').and_then(|r| r.split_once('.')).is_some_and(|(a, b)| all_digits(a) && all_digits(b))
}

impl Route {
    pub(crate) fn parse(method: &str, rest: &str) -> Route {
        let trimmed = rest.trim_end_matches('/');
        let segs: Vec<&str> = trimmed.trim_start_matches('/').split('/').collect();
        let unknown = || Route::Unknown(trimmed.to_owned());
        let Some((version, tail)) = segs.split_first() else {
            return unknown();
        };
        if !is_version(version) {
            return unknown();
        }
        let own = |s: &&str| (*s).to_owned();
        match (method, tail) {
            ("POST", [id, "request_code"]) => Route::RequestCode(own(id)),
            ("POST", [id, "verify_code"]) => Route::VerifyCode(own(id)),
            ("POST", [id, "register"]) => Route::Register(own(id)),
            ("POST", [id, "deregister"]) => Route::Deregister(own(id)),
            ("POST", [id]) => Route::SetPin(own(id)),
            ("GET", [id]) => Route::GetPhoneNumber(own(id)),
            ("GET", [waba, "phone_numbers"]) => {
                Route::ListPhoneNumbers { version: (*version).to_owned(), waba: own(waba) }
            }
            ("POST", [waba, "phone_numbers"]) => Route::AddPhoneNumber(own(waba)),
            ("POST", [business, "add_phone_numbers"]) => Route::AddPreverified(own(business)),
            ("GET", [business, "preverified_numbers"]) => {
                Route::ListPreverified { version: (*version).to_owned(), business: own(business) }
            }
            ("POST", [business, "share_preverified_numbers"]) => Route::SharePreverified(own(business)),
            ("DELETE", [id]) => Route::DeletePreverified(own(id)),
            ("GET", [id, "partners"]) => Route::ListPartners { version: (*version).to_owned(), id: own(id) },
            (
                m,
                [id]
                | [id, "request_code"
                | "verify_code"
                | "register"
                | "deregister"
                | "phone_numbers"
                | "add_phone_numbers"
                | "preverified_numbers"
                | "share_preverified_numbers"
                | "partners"],
            ) if !id.is_empty() => Route::Unsupported { method: m.to_ascii_lowercase(), id: own(id) },
            _ => unknown(),
        }
    }

    pub(crate) fn op(&self) -> Option<&'static str> {
        Some(match self {
            Route::RequestCode(_) => "meta.request_code",
            Route::VerifyCode(_) => "meta.verify_code",
            Route::Register(_) => "meta.register",
            Route::Deregister(_) => "meta.deregister",
            Route::SetPin(_) => "meta.set_two_step_pin",
            Route::GetPhoneNumber(_) => "meta.get_phone_number",
            Route::ListPhoneNumbers { .. } => "meta.list_phone_numbers",
            Route::AddPhoneNumber(_) => "meta.add_phone_number",
            Route::AddPreverified(_) => "meta.add_preverified_number",
            Route::ListPreverified { .. } => "meta.list_preverified_numbers",
            Route::GetPreverified(_) => "meta.get_preverified_number",
            Route::DeletePreverified(_) => "meta.delete_preverified_number",
            Route::RequestPreverifiedCode(_) => "meta.request_preverified_code",
            Route::VerifyPreverifiedCode(_) => "meta.verify_preverified_code",
            Route::ListPartners { .. } => "meta.list_preverified_partners",
            Route::SharePreverified(_) => "meta.share_preverified_number",
            Route::Unsupported { .. } | Route::Unknown(_) => return None,
        })
    }
}

/// Builds a Graph error envelope.
/// Boxed so that `Result<_, GraphError>` stays small.
#[derive(Debug)]
struct GraphError(Box<GraphErrorBody>);

impl std::ops::Deref for GraphError {
    type Target = GraphErrorBody;
    fn deref(&self) -> &GraphErrorBody {
        &self.0
    }
}

impl std::ops::DerefMut for GraphError {
    fn deref_mut(&mut self) -> &mut GraphErrorBody {
        &mut self.0
    }
}

#[derive(Debug)]
struct GraphErrorBody {
    status: u16,
    code: i64,
    subcode: Option<i64>,
    kind: &'static str,
    message: String,
    user_title: Option<String>,
    user_msg: Option<String>,
    details: Option<String>,
    transient: Option<bool>,
}

impl GraphError {
    fn new(status: u16, code: i64, kind: &'static str, message: impl Into<String>) -> Self {
        GraphError(Box::new(GraphErrorBody {
            status,
            code,
            subcode: None,
            kind,
            message: message.into(),
            user_title: None,
            user_msg: None,
            details: None,
            transient: None,
        }))
    }

    /// Code 100, HTTP 400: an invalid parameter.
    fn param(message: impl Into<String>) -> Self {
        GraphError::new(400, 100, "OAuthException", message)
    }

    /// A WhatsApp-specific error (13xxxx), which carries `error_data.details`.
    fn whatsapp(code: i64, message: &str, details: &str) -> Self {
        let mut e = GraphError::new(400, code, "OAuthException", message);
        e.details = Some(details.to_owned());
        e
    }

    fn reply(self, rng: &mut Rng) -> Reply {
        let this = *self.0;
        let mut err = Map::new();
        err.insert("message".into(), json!(this.message));
        err.insert("type".into(), json!(this.kind));
        err.insert("code".into(), json!(this.code));
        if let Some(s) = this.subcode {
            err.insert("error_subcode".into(), json!(s));
        }
        if let Some(t) = this.transient {
            err.insert("is_transient".into(), json!(t));
        }
        if let Some(t) = this.user_title {
            err.insert("error_user_title".into(), json!(t));
        }
        if let Some(m) = this.user_msg {
            err.insert("error_user_msg".into(), json!(m));
        }
        if let Some(d) = this.details {
            err.insert("error_data".into(), json!({ "messaging_product": "whatsapp", "details": d }));
        }
        err.insert("fbtrace_id".into(), json!(format!("A{}", rng.alnum(22))));
        let mut reply = Reply::json(this.status, &json!({ "error": Value::Object(err) }));
        if this.code == 190 {
            reply = reply.with_header(
                "www-authenticate",
                format!("OAuth \"Facebook Platform\" \"invalid_token\" \"{}\"", this.message),
            );
        }
        reply
    }
}

/// Code 4, the app rate limit, for the status_429 fault.
pub(crate) fn rate_limited(rng: &mut Rng) -> Reply {
    let mut e = GraphError::new(429, 4, "OAuthException", "(#4) Application request limit reached");
    e.transient = Some(true);
    e.reply(rng)
}

/// Code 131000 (500) or code 2 (503), for the status_500/status_503 faults.
pub(crate) fn server_error(rng: &mut Rng, status: u16) -> Reply {
    let mut e = if status == 503 {
        GraphError::new(503, 2, "OAuthException", "An unexpected error has occurred. Please retry your request later.")
    } else {
        let mut e = GraphError::whatsapp(131_000, "Something went wrong", "Something went wrong");
        e.status = status;
        e
    };
    e.transient = Some(true);
    e.reply(rng)
}

fn unsupported(method: &str, id: &str) -> GraphError {
    let mut e = GraphError::new(
        400,
        100,
        "GraphMethodException",
        format!(
            "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be \
             loaded due to missing permissions, or does not support this operation. Please \
             read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
        ),
    );
    e.subcode = Some(33);
    e
}

fn success() -> Reply {
    Reply::json(200, &json!({ "success": true }))
}

pub(crate) fn handle(st: &mut State, rng: &mut Rng, cfg: &SimConfig, route: &Route, call: &Call<'_>) -> Reply {
    match handle_inner(st, rng, cfg, route, call) {
        Ok(reply) => reply,
        Err(e) => e.reply(rng),
    }
}

fn handle_inner(
    st: &mut State,
    rng: &mut Rng,
    cfg: &SimConfig,
    route: &Route,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    // Graph also takes the token as an access_token query parameter.
    let token = call.bearer().map(str::to_owned).or_else(|| query_get(&call.query, "access_token").map(str::to_owned));
    match token {
        None => {
            return Err(GraphError::new(
                401,
                190,
                "OAuthException",
                "An active access token must be used to query information about the current user.",
            ))
        }
        Some(t) if !cfg.meta_tokens.contains(&t) => {
            return Err(GraphError::new(
                401,
                190,
                "OAuthException",
                "Invalid OAuth access token - Cannot parse access token",
            ))
        }
        Some(_) => {}
    }
    match route {
        Route::Unknown(path) => {
            Err(GraphError::new(400, 2500, "OAuthException", format!("Unknown path components: {path}")))
        }
        Route::Unsupported { method, id } => Err(unsupported(method, id)),
        Route::RequestCode(id) => request_code(st, rng, cfg, id, call),
        Route::VerifyCode(id) => verify_code(st, id, call),
        Route::Register(id) => register(st, cfg, id, call),
        Route::Deregister(id) => deregister(st, cfg, id, call),
        Route::SetPin(id) => set_pin(st, id, call),
        Route::GetPhoneNumber(id) => get_phone_number(st, id, call),
        Route::ListPhoneNumbers { version, waba } => list(st, version, waba, call),
        Route::AddPhoneNumber(waba) => add(st, rng, waba, call),
        Route::AddPreverified(business) => add_preverified(st, rng, business, call),
        Route::ListPreverified { version, business } => list_preverified(st, version, business, call),
        Route::GetPreverified(id) => get_preverified(st, id, call),
        Route::DeletePreverified(id) => delete_preverified(st, id),
        Route::RequestPreverifiedCode(id) => request_preverified_code(st, rng, cfg, id, call),
        Route::VerifyPreverifiedCode(id) => verify_preverified_code(st, id, call),
        Route::ListPartners { version, id } => list_partners(st, version, id, call),
        Route::SharePreverified(business) => share_preverified(st, business, call),
    }
}

/// The parameters of a POST: query parameters, overlaid by a JSON or form body (Graph
/// reads both).
fn params(call: &Call<'_>) -> Result<Map<String, Value>, GraphError> {
    let mut map: Map<String, Value> = call
        .query
        .iter()
        .filter(|(k, _)| k != "access_token")
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    if call.content_type_is("application/x-www-form-urlencoded") {
        for (k, v) in form_pairs(call.body) {
            map.insert(k, Value::String(v));
        }
    } else {
        let body = json_object(call.body)
            .map_err(|e| GraphError::param(format!("(#100) The request body could not be parsed as JSON: {e}")))?;
        map.extend(body);
    }
    Ok(map)
}

fn required(map: &Map<String, Value>, key: &str) -> Result<String, GraphError> {
    match map.get(key) {
        None | Some(Value::Null) => Err(GraphError::param(format!("(#100) The parameter {key} is required"))),
        Some(_) => str_field(map, key).ok_or_else(|| GraphError::param(format!("(#100) Param {key} must be a string"))),
    }
}

fn find<'a>(st: &'a mut State, id: &str, method: &str) -> Result<&'a mut PhoneNumber, GraphError> {
    st.number(id).ok_or_else(|| unsupported(method, id))
}

fn one_of(key: &str, value: &str, allowed: &[&str]) -> GraphError {
    GraphError::param(format!("(#100) Param {key} must be one of {{{}}} - got \"{value}\"", allowed.join(", ")))
}

fn check_pin(map: &Map<String, Value>) -> Result<String, GraphError> {
    let pin = required(map, "pin")?;
    if !is_digits_len(&pin, 6) {
        return Err(GraphError::param("(#100) Param pin must be a 6-digit number"));
    }
    Ok(pin)
}

fn request_code(
    st: &mut State,
    rng: &mut Rng,
    cfg: &SimConfig,
    id: &str,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let number = find(st, id, "post")?;
    let method = required(&p, "code_method")?;
    if method != "SMS" && method != "VOICE" {
        return Err(one_of("code_method", &method, &["SMS", "VOICE"]));
    }
    let language = required(&p, "language")?;
    if !is_locale(&language) {
        return Err(GraphError::param(format!(
            "(#100) Param language must be a locale such as en_US - got \"{language}\""
        )));
    }
    number.otp = Some(new_otp(rng, cfg));
    Ok(success())
}

fn is_locale(s: &str) -> bool {
    let (lang, region) = match s.split_once('_') {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub(crate) fn new_otp(rng: &mut Rng, cfg: &SimConfig) -> String {
    cfg.fixed_otp.clone().unwrap_or_else(|| rng.digits(6))
}

fn verify_code(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let number = find(st, id, "post")?;
    let code = required(&p, "code")?;
    if !is_digits_len(&code, 6) {
        return Err(GraphError::param("(#100) Param code must be a 6-digit number"));
    }
    match &number.otp {
        None => Err(GraphError::whatsapp(
            136_025,
            "Code couldn't be verified",
            "No verification code is pending for this phone number. Request a new code first.",
        )),
        Some(otp) if *otp != code => {
            Err(GraphError::whatsapp(136_025, "Code couldn't be verified", "The code you entered is incorrect."))
        }
        Some(_) => {
            number.otp = None;
            number.code_verification_status = "VERIFIED".to_owned();
            Ok(success())
        }
    }
}

/// Drops timestamps older than the window and tells whether another one fits.
fn within_limit(times: &mut Vec<Duration>, now: Duration, window: Duration, limit: usize) -> bool {
    times.retain(|t| now.saturating_sub(*t) < window);
    times.len() < limit
}

fn limit_exceeded() -> GraphError {
    GraphError::whatsapp(
        133_016,
        "(#133016) Account register deregister rate limit exceeded",
        "Registration or deregistration failed because there were too many attempts for \
         this phone number in a short period of time.",
    )
}

fn register(st: &mut State, cfg: &SimConfig, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let number = find(st, id, "post")?;
    let product = required(&p, "messaging_product")?;
    if product != "whatsapp" {
        return Err(one_of("messaging_product", &product, &["whatsapp"]));
    }
    let pin = check_pin(&p)?;
    let region = match str_field(&p, "data_localization_region") {
        Some(r) if !REGIONS.contains(&r.as_str()) => return Err(one_of("data_localization_region", &r, &REGIONS)),
        r => r,
    };
    if number.code_verification_status != "VERIFIED" {
        return Err(GraphError::whatsapp(
            133_006,
            "Phone number re-verification needed",
            "The phone number must be verified (request_code, then verify_code) before it can be registered.",
        ));
    }
    if !NAME_OK.contains(&number.name_status.as_str()) {
        let mut e = GraphError::param("(#100) Invalid parameter");
        e.subcode = Some(2_388_001);
        e.user_title = Some("Display name not approved".to_owned());
        e.user_msg = Some(
            "The display name of this phone number has not been approved yet. Wait for the \
             review to finish, then register again."
                .to_owned(),
        );
        return Err(e);
    }
    if !within_limit(&mut number.registrations, call.now.sim, cfg.meta_register_window, cfg.meta_register_limit) {
        return Err(limit_exceeded());
    }
    if let Some(existing) = &number.pin {
        if *existing != pin {
            return Err(GraphError::whatsapp(
                133_005,
                "Two step verification PIN Mismatch",
                "The two-step verification PIN is not the one set for this phone number.",
            ));
        }
    }
    if number.registered && region.is_some() && number.data_localization_region != region {
        return Err(GraphError::param(
            "(#100) data_localization_region cannot be changed while the number is registered; deregister it first",
        ));
    }
    number.pin = Some(pin);
    if region.is_some() {
        number.data_localization_region = region;
    }
    number.registered = true;
    number.platform_type = "CLOUD_API".to_owned();
    number.last_onboarded_time = Some(call.now.unix);
    number.registrations.push(call.now.sim);
    Ok(success())
}

fn deregister(st: &mut State, cfg: &SimConfig, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    params(call)?;
    let number = find(st, id, "post")?;
    if !number.registered {
        return Err(GraphError::whatsapp(
            133_010,
            "Account not registered",
            "This phone number is not registered on the Cloud API.",
        ));
    }
    if !within_limit(&mut number.deregistrations, call.now.sim, cfg.meta_register_window, cfg.meta_register_limit) {
        return Err(limit_exceeded());
    }
    number.registered = false;
    number.platform_type = "NOT_APPLICABLE".to_owned();
    number.data_localization_region = None;
    number.deregistrations.push(call.now.sim);
    Ok(success())
}

fn set_pin(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let number = find(st, id, "post")?;
    let pin = check_pin(&p)?;
    number.pin = Some(pin);
    Ok(success())
}

/// Splits `a,b{c,d},e` at top-level commas and keeps the names (sub-selections dropped).
fn parse_fields(raw: Option<&str>) -> Result<Vec<String>, GraphError> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(DEFAULT_FIELDS.iter().map(|s| (*s).to_owned()).collect());
    };
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in raw.chars().chain(std::iter::once(',')) {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                let name = current.trim().to_owned();
                current.clear();
                if name.is_empty() {
                    continue;
                }
                if !KNOWN_FIELDS.contains(&name.as_str()) {
                    return Err(GraphError::param(format!(
                        "(#100) Tried accessing nonexisting field ({name}) on node type (WhatsAppBusinessPhoneNumber)"
                    )));
                }
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            c if depth == 0 => current.push(c),
            _ => {}
        }
    }
    Ok(out)
}

fn get_phone_number(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let fields = parse_fields(query_get(&call.query, "fields"))?;
    let number = find(st, id, "get")?;
    Ok(Reply::json(200, &number.render(&fields)))
}

struct Filter {
    field: String,
    operator: String,
    values: Vec<String>,
}

fn parse_filtering(raw: &str) -> Result<Vec<Filter>, GraphError> {
    let bad =
        || GraphError::param("(#100) Param filtering must be a JSON array of objects with field, operator and value");
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(raw) else {
        return Err(bad());
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Object(obj) = item else {
            return Err(bad());
        };
        let field = str_field(&obj, "field").ok_or_else(bad)?;
        let operator = str_field(&obj, "operator").ok_or_else(bad)?.to_ascii_uppercase();
        if !["EQUAL", "NOT_EQUAL", "IN", "NOT_IN"].contains(&operator.as_str()) {
            return Err(one_of("filtering[operator]", &operator, &["EQUAL", "NOT_EQUAL", "IN", "NOT_IN"]));
        }
        let values = match obj.get("value") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => {
                a.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(bad)).collect::<Result<_, _>>()?
            }
            _ => return Err(bad()),
        };
        out.push(Filter { field, operator, values });
    }
    Ok(out)
}

fn cursor(index: usize) -> String {
    base64_encode(format!("idx:{index}").as_bytes())
}

fn uncursor(raw: &str, which: &str) -> Result<usize, GraphError> {
    base64_decode(raw)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("idx:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| GraphError::param(format!("(#100) The {which} cursor is invalid")))
}

fn list(st: &mut State, version: &str, waba: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let q = &call.query;
    let fields = parse_fields(query_get(q, "fields"))?;
    if waba != st.waba_id {
        return Err(unsupported("get", waba));
    }
    let filters = match query_get(q, "filtering") {
        Some(raw) => parse_filtering(raw)?,
        None => Vec::new(),
    };
    let limit = match query_get(q, "limit") {
        None => 25,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if n >= 1 => n.min(100),
            _ => {
                return Err(GraphError::param(format!("(#100) Param limit must be a positive integer - got \"{raw}\"")))
            }
        },
    };
    let sort = query_get(q, "sort");
    let mut items: Vec<&PhoneNumber> = Vec::new();
    for n in &st.numbers {
        let mut keep = true;
        for f in &filters {
            let Some(v) = n.string_field(&f.field) else {
                return Err(GraphError::param(format!("(#100) Filtering field {} is not supported", f.field)));
            };
            let hit = f.values.iter().any(|x| x == v);
            keep &= match f.operator.as_str() {
                "EQUAL" | "IN" => hit,
                _ => !hit,
            };
        }
        if keep {
            items.push(n);
        }
    }
    match sort {
        None => {}
        Some("last_onboarded_time.asc") => {
            items.sort_by_key(|n| n.last_onboarded_time.unwrap_or(u64::MAX));
        }
        Some("last_onboarded_time.desc") => {
            items.sort_by_key(|n| std::cmp::Reverse(n.last_onboarded_time.unwrap_or(0)));
        }
        Some(other) => return Err(one_of("sort", other, &["last_onboarded_time.asc", "last_onboarded_time.desc"])),
    }
    let items = items.iter().map(|n| n.render(&fields)).collect();
    let (data, paging) =
        page_of(items, limit, call, &format!("/{version}/{waba}/phone_numbers"), &["fields", "filtering", "sort"])?;
    let mut body = Map::new();
    body.insert("data".into(), Value::Array(data));
    if let Some(paging) = paging {
        body.insert("paging".into(), paging);
    }
    Ok(Reply::json(200, &Value::Object(body)))
}

fn add(st: &mut State, rng: &mut Rng, waba: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    if waba != st.waba_id {
        return Err(unsupported("post", waba));
    }
    let cc = required(&p, "cc")?;
    if !all_digits(&cc) || cc.len() > 3 {
        return Err(GraphError::param(format!(
            "(#100) Param cc must be a country calling code of 1 to 3 digits - got \"{cc}\""
        )));
    }
    // Meta's spec: "Phone number in E.164 format without the + prefix", pattern
    // ^[1-9][0-9]{6,14}$, example 16315551000 with cc 1.
    let e164 = required(&p, "phone_number")?;
    let national = e164.strip_prefix(cc.as_str()).unwrap_or_default();
    let e164_ok = all_digits(&e164) && (7..=15).contains(&e164.len()) && !e164.starts_with('0');
    if !e164_ok || national.len() < 4 {
        return Err(GraphError::param(format!(
            "(#100) Param phone_number must be in E.164 format without the + prefix, starting with cc {cc} - got \"{e164}\""
        )));
    }
    let phone = national.to_owned();
    let name = required(&p, "verified_name")?;
    if !(2..=75).contains(&char_len(name.trim())) {
        return Err(GraphError::param("(#100) Param verified_name must be between 2 and 75 characters"));
    }
    if st.numbers.iter().any(|n| n.cc == cc && n.national == phone) {
        return Err(GraphError::param("(#100) This phone number is already added to the WhatsApp Business Account"));
    }
    let id = st.add_number(rng, &cc, &phone, name.trim());
    Ok(Reply::json(200, &json!({ "id": id })))
}

// ---------------------------------------------------------------------------------------
// Pre-verified phone numbers: a business's pool of numbers verified ahead of onboarding
// (Meta's spec, "Business Phone Numbers" and "Pre-Verified Phone Numbers"). They live
// beside the WABA's numbers; a Graph ID names either, so `GET /{id}` and the code
// endpoints are told apart by the ID (see [`Route::resolve`]).
// ---------------------------------------------------------------------------------------

/// A number in a business's pre-verified pool.
#[derive(Clone)]
pub(crate) struct Preverified {
    id: String,
    /// E.164 digits without `+`.
    digits: String,
    owner: String,
    verification_status: &'static str,
    availability_status: &'static str,
    created: u64,
    updated: u64,
    otp: Option<String>,
    /// The businesses it is shared with, in the order they got it.
    partners: Vec<String>,
}

/// A business the simulator knows, as `partners` lists it.
pub(crate) struct Business {
    id: &'static str,
    name: &'static str,
    created: u64,
}

/// The businesses: the seeded one and a partner to share with.
const BUSINESSES: [Business; 2] = [
    Business { id: seed::META_BUSINESS_ID, name: "Sim Solutions Partner", created: 1_673_778_600 },
    Business { id: seed::META_PARTNER_BUSINESS_ID, name: "Sim Partner Agency", created: 1_678_436_100 },
];

/// Country prefix, ISO region and region name of the calling codes the simulator knows.
const COUNTRIES: [(&str, &str, &str); 6] = [
    ("1", "US", "North America"),
    ("44", "GB", "Europe"),
    ("49", "DE", "Europe"),
    ("39", "IT", "Europe"),
    ("91", "IN", "Asia"),
    ("972", "IL", "Middle East"),
];

/// Why a FAILED pre-verified number is not valid (the spec's example `error_msg`).
const INVALID_NUMBER: &str = "Phone number format is invalid";

const PREVERIFIED_DEFAULT_FIELDS: [&str; 3] = ["id", "display_phone_number", "verification_status"];
const PREVERIFIED_LIST_FIELDS: [&str; 10] = [
    "id",
    "display_phone_number",
    "country_prefix",
    "verification_status",
    "availability_status",
    "created_time",
    "last_updated",
    "supported_features",
    "country_code",
    "region",
];
const PREVERIFIED_CHECK_FIELDS: [&str; 5] =
    ["id", "country_prefix", "display_phone_number", "error_msg", "is_input_id_valid"];
const PARTNER_FIELDS: [&str; 8] = [
    "id",
    "name",
    "created_time",
    "updated_time",
    "verification_status",
    "primary_page",
    "timezone_id",
    "two_factor_type",
];

/// ISO 8601 with `Z`, as the spec's `date-time` examples write it.
fn iso_time(unix: u64) -> String {
    graph_time(unix).replace("+0000", "Z")
}

impl Preverified {
    fn country(&self) -> Option<(&'static str, &'static str, &'static str)> {
        COUNTRIES.iter().copied().find(|(code, _, _)| self.digits.starts_with(code))
    }

    fn display(&self) -> String {
        match self.country() {
            Some((code, _, _)) => format!("+{code} {}", self.digits.get(code.len()..).unwrap_or_default()),
            None => format!("+{}", self.digits),
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        let country = self.country();
        Some(match name {
            "id" => json!(self.id),
            "display_phone_number" => json!(self.display()),
            "country_prefix" => json!(country?.0.parse::<u32>().ok()?),
            "verification_status" => json!(self.verification_status),
            "availability_status" => json!(self.availability_status),
            "created_time" => json!(iso_time(self.created)),
            "last_updated" => json!(iso_time(self.updated)),
            "supported_features" => json!(["MESSAGING", "BUSINESS_PROFILE", "WEBHOOKS"]),
            "country_code" => json!(country?.1),
            "region" => json!(country?.2),
            "is_input_id_valid" => json!(self.verification_status != "FAILED"),
            "error_msg" if self.verification_status == "FAILED" => json!(INVALID_NUMBER),
            _ => return None,
        })
    }

    fn render(&self, fields: &[String]) -> Value {
        let mut obj = Map::new();
        for f in fields {
            if let Some(v) = self.field(f) {
                obj.insert(f.clone(), v);
            }
        }
        Value::Object(obj)
    }
}

impl Business {
    fn render(&self, fields: &[String]) -> Value {
        let mut obj = Map::new();
        for f in fields {
            let value = match f.as_str() {
                "id" => json!(self.id),
                "name" => json!(self.name),
                "created_time" | "updated_time" => json!(iso_time(self.created)),
                "verification_status" => json!("verified"),
                "timezone_id" => json!(1),
                "two_factor_type" => json!("none"),
                _ => continue,
            };
            obj.insert(f.clone(), value);
        }
        Value::Object(obj)
    }
}

impl State {
    fn seed_preverified() -> Vec<Preverified> {
        let verified = Preverified {
            id: seed::META_PREVERIFIED_VERIFIED.to_owned(),
            digits: "16505550199".to_owned(),
            owner: seed::META_BUSINESS_ID.to_owned(),
            verification_status: "VERIFIED",
            availability_status: "AVAILABLE",
            created: 1_705_314_600,
            updated: 1_705_767_900,
            otp: None,
            partners: Vec::new(),
        };
        let failed = Preverified {
            id: seed::META_PREVERIFIED_FAILED.to_owned(),
            digits: "447700900461".to_owned(),
            verification_status: "FAILED",
            availability_status: "UNAVAILABLE",
            ..verified.clone()
        };
        vec![verified, failed]
    }

    fn preverified(&mut self, id: &str) -> Option<&mut Preverified> {
        self.preverified.iter_mut().find(|n| n.id == id)
    }

    fn is_preverified(&self, id: &str) -> bool {
        self.preverified.iter().any(|n| n.id == id)
    }
}

impl Route {
    /// The route as the state reads it: `GET /{id}` and the code endpoints of a
    /// pre-verified number's ID are the pre-verified operations.
    pub(crate) fn resolve(self, st: &State) -> Route {
        match self {
            Route::GetPhoneNumber(id) if st.is_preverified(&id) => Route::GetPreverified(id),
            Route::RequestCode(id) if st.is_preverified(&id) => Route::RequestPreverifiedCode(id),
            Route::VerifyCode(id) if st.is_preverified(&id) => Route::VerifyPreverifiedCode(id),
            other => other,
        }
    }
}

/// Code 803 (HTTP 404), as the spec answers an ID that names no pre-verified number.
fn preverified_not_found() -> GraphError {
    GraphError::new(404, 803, "GraphMethodException", "Pre-verified phone number not found")
}

/// Code 100 with HTTP 422, as the spec answers a request it understood but cannot do.
fn unprocessable(message: &str) -> GraphError {
    GraphError::new(422, 100, "GraphMethodException", message)
}

/// A business the simulator knows, or Graph's error for an unknown node.
fn known_business<'a>(business: &'a str, method: &str) -> Result<&'a str, GraphError> {
    if BUSINESSES.iter().any(|b| b.id == business) {
        Ok(business)
    } else {
        Err(unsupported(method, business))
    }
}

/// `fields` checked against `known`, or `default` when absent.
fn select_fields(raw: Option<&str>, known: &[&str], default: &[&str], node: &str) -> Result<Vec<String>, GraphError> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(default.iter().map(|s| (*s).to_owned()).collect());
    };
    let mut out: Vec<String> = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !known.contains(&name) {
            return Err(GraphError::param(format!(
                "(#100) Tried accessing nonexisting field ({name}) on node type ({node})"
            )));
        }
        if !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    Ok(out)
}

/// The spec's 1–100 `limit`, 25 when absent.
fn page_limit(q: &[(String, String)]) -> Result<usize, GraphError> {
    match query_get(q, "limit") {
        None => Ok(25),
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(GraphError::param("Invalid parameter: limit must be between 1 and 100")),
        },
    }
}

/// One page of `items` (already rendered, `limit` per page) and Graph's `paging` for it,
/// none when the page is empty; `path` is the list's path after the origin, for the
/// `next`/`previous` links, which repeat the `keep` query parameters.
fn page_of(
    items: Vec<Value>,
    limit: usize,
    call: &Call<'_>,
    path: &str,
    keep: &[&str],
) -> Result<(Vec<Value>, Option<Value>), GraphError> {
    let q = &call.query;
    let total = items.len();
    let (start, end) = if let Some(after) = query_get(q, "after") {
        let s = uncursor(after, "after")?.saturating_add(1).min(total);
        (s, s.saturating_add(limit).min(total))
    } else if let Some(before) = query_get(q, "before") {
        let e = uncursor(before, "before")?.min(total);
        (e.saturating_sub(limit), e)
    } else {
        (0, limit.min(total))
    };
    let data: Vec<Value> = items.into_iter().skip(start).take(end - start).collect();
    if end <= start {
        return Ok((data, None));
    }
    let mut paging = Map::new();
    paging.insert("cursors".into(), json!({ "before": cursor(start), "after": cursor(end - 1) }));
    let link = |key: &str, cur: String| {
        let mut url = format!("{}/meta{path}?", call.origin);
        for k in keep {
            if let Some(v) = query_get(q, k) {
                url.push_str(&format!("{k}={}&", encode_query_value(v)));
            }
        }
        url.push_str(&format!("limit={limit}&{key}={}", encode_query_value(&cur)));
        url
    };
    if end < total {
        paging.insert("next".into(), json!(link("after", cursor(end - 1))));
    }
    if start > 0 {
        paging.insert("previous".into(), json!(link("before", cursor(start))));
    }
    Ok((data, Some(Value::Object(paging))))
}

/// A pre-verified list's page: as the spec's examples show, an empty page still has
/// `paging: {"cursors": {}}`.
fn preverified_page(items: Vec<Value>, call: &Call<'_>, path: &str, keep: &[&str]) -> Result<Value, GraphError> {
    let (data, paging) = page_of(items, page_limit(&call.query)?, call, path, keep)?;
    Ok(json!({ "data": data, "paging": paging.unwrap_or_else(|| json!({ "cursors": {} })) }))
}

fn add_preverified(st: &mut State, rng: &mut Rng, business: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let business = known_business(business, "post")?;
    let raw = required(&p, "phone_number")?;
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let digits = compact.strip_prefix('+').filter(|d| all_digits(d) && (8..=15).contains(&d.len()));
    let Some(digits) = digits.filter(|d| !d.starts_with('0')) else {
        return Err(GraphError::param("Invalid phone number"));
    };
    if st.preverified.iter().any(|n| n.digits == digits)
        || st.numbers.iter().any(|n| format!("{}{}", n.cc, n.national) == digits)
    {
        return Err(GraphError::param(
            "Invalid phone number: the number is already registered to a WhatsApp Business Account",
        ));
    }
    let id = loop {
        let candidate = format!("2{}", rng.digits(15));
        if !st.is_preverified(&candidate) && !st.numbers.iter().any(|n| n.id == candidate) {
            break candidate;
        }
    };
    st.preverified.push(Preverified {
        id: id.clone(),
        digits: digits.to_owned(),
        owner: business.to_owned(),
        verification_status: "PENDING",
        availability_status: "AVAILABLE",
        created: call.now.unix,
        updated: call.now.unix,
        otp: None,
        partners: Vec::new(),
    });
    Ok(Reply::json(200, &json!({ "id": id })))
}

fn one_of_spec(key: &str, value: &str, allowed: &[&str]) -> Result<(), GraphError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(one_of(key, value, allowed))
    }
}

fn list_preverified(st: &mut State, version: &str, business: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let q = &call.query;
    let business = known_business(business, "get")?;
    let fields = select_fields(
        query_get(q, "fields"),
        &PREVERIFIED_LIST_FIELDS,
        &PREVERIFIED_DEFAULT_FIELDS,
        "PreVerifiedPhoneNumber",
    )?;
    let status = query_get(q, "verification_status");
    if let Some(s) = status {
        one_of_spec("verification_status", s, &["VERIFIED", "PENDING", "FAILED", "EXPIRED"])?;
    }
    let availability = query_get(q, "availability_status");
    if let Some(a) = availability {
        one_of_spec("availability_status", a, &["AVAILABLE", "IN_USE", "RESERVED", "UNAVAILABLE"])?;
    }
    let country = query_get(q, "country_code");
    if let Some(c) = country {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(GraphError::param(format!("(#100) Param country_code must match ^[A-Z]{{2}}$ - got \"{c}\"")));
        }
    }
    let items = st
        .preverified
        .iter()
        .filter(|n| n.owner == business || n.partners.iter().any(|p| p == business))
        .filter(|n| status.is_none_or(|s| n.verification_status == s))
        .filter(|n| availability.is_none_or(|a| n.availability_status == a))
        .filter(|n| country.is_none_or(|c| n.country().is_some_and(|(_, region, _)| region == c)))
        .map(|n| n.render(&fields))
        .collect();
    let keep = ["fields", "verification_status", "availability_status", "country_code"];
    Ok(Reply::json(200, &preverified_page(items, call, &format!("/{version}/{business}/preverified_numbers"), &keep)?))
}

fn get_preverified(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let fields = select_fields(
        query_get(&call.query, "fields"),
        &PREVERIFIED_CHECK_FIELDS,
        &["id", "is_input_id_valid"],
        "PreVerifiedPhoneNumber",
    )?;
    let number = st.preverified(id).ok_or_else(preverified_not_found)?;
    let mut body = number.render(&fields);
    if let Some(obj) = body.as_object_mut() {
        obj.insert("id".into(), json!(number.id));
    }
    Ok(Reply::json(200, &body))
}

fn delete_preverified(st: &mut State, id: &str) -> Result<Reply, GraphError> {
    if st.numbers.iter().any(|n| n.id == id) {
        return Err(unsupported("delete", id));
    }
    let index = st.preverified.iter().position(|n| n.id == id).ok_or_else(preverified_not_found)?;
    if st.preverified.get(index).is_some_and(|n| n.availability_status == "IN_USE") {
        return Err(unprocessable("Cannot delete phone number that is currently in use"));
    }
    st.preverified.remove(index);
    Ok(success())
}

fn request_preverified_code(
    st: &mut State,
    rng: &mut Rng,
    cfg: &SimConfig,
    id: &str,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let method = required(&p, "code_method")?;
    if method != "SMS" && method != "VOICE" {
        return Err(GraphError::param("Invalid parameter: code_method must be SMS or VOICE"));
    }
    let language = required(&p, "language")?;
    if !is_locale(&language) {
        return Err(GraphError::param("Invalid parameter: language must be a valid locale identifier"));
    }
    let number = st.preverified(id).ok_or_else(preverified_not_found)?;
    match number.verification_status {
        "VERIFIED" => return Err(unprocessable("This phone number has already been verified")),
        "FAILED" => return Err(unprocessable(INVALID_NUMBER)),
        _ => {}
    }
    number.otp = Some(new_otp(rng, cfg));
    Ok(success())
}

fn verify_preverified_code(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let code = match p.get("code") {
        None | Some(Value::Null) => return Err(GraphError::param("Missing required parameter: code")),
        Some(_) => str_field(&p, "code").filter(|c| is_digits_len(c, 6)),
    };
    let Some(code) = code else {
        return Err(GraphError::param("Invalid parameter: code must be a numeric string"));
    };
    let number = st.preverified(id).ok_or_else(preverified_not_found)?;
    if number.verification_status == "VERIFIED" {
        return Err(unprocessable("This phone number is already verified"));
    }
    if number.otp.as_deref() != Some(code.as_str()) {
        let mut e = unprocessable("The verification code is invalid");
        e.user_title = Some("Invalid Code".to_owned());
        e.user_msg = Some("The verification code you entered is incorrect".to_owned());
        return Err(e);
    }
    number.otp = None;
    number.verification_status = "VERIFIED";
    number.updated = call.now.unix;
    Ok(success())
}

fn list_partners(st: &mut State, version: &str, id: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let fields = select_fields(query_get(&call.query, "fields"), &PARTNER_FIELDS, &["id", "name"], "Business")?;
    let number = st.preverified(id).ok_or_else(preverified_not_found)?;
    let items = number
        .partners
        .iter()
        .filter_map(|p| BUSINESSES.iter().find(|b| b.id == p))
        .map(|b| b.render(&fields))
        .collect();
    Ok(Reply::json(200, &preverified_page(items, call, &format!("/{version}/{id}/partners"), &["fields"])?))
}

fn share_preverified(st: &mut State, business: &str, call: &Call<'_>) -> Result<Reply, GraphError> {
    let p = params(call)?;
    let business = known_business(business, "post")?;
    let preverified_id = required(&p, "preverified_id")?;
    if !all_digits(&preverified_id) || preverified_id.is_empty() {
        return Err(GraphError::param("Invalid preverified_id: must be a valid numeric string"));
    }
    let partner = required(&p, "partner_business_id")?;
    if partner == business || !BUSINESSES.iter().any(|b| b.id == partner) {
        return Err(GraphError::param("Invalid partner_business_id: business not found or not accessible"));
    }
    let number = st
        .preverified(&preverified_id)
        .filter(|n| n.owner == business)
        .ok_or_else(|| GraphError::param("Invalid preverified_id: not a pre-verified number of this business"))?;
    if !number.partners.contains(&partner) {
        number.partners.push(partner);
    }
    Ok(success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("v23.0"));
        assert!(is_version("v1.10"));
        assert!(!is_version("23.0"));
        assert!(!is_version("v23"));
        assert!(!is_version("vx.0"));
    }

    #[test]
    fn fields_parse_nested() {
        let f = parse_fields(Some("id,throughput{level},name_status")).unwrap();
        assert_eq!(f, vec!["id", "throughput", "name_status"]);
        assert!(parse_fields(Some("id,nope")).is_err());
    }

    #[test]
    fn cursors_round_trip() {
        assert_eq!(uncursor(&cursor(7), "after").ok(), Some(7));
        assert!(uncursor("!!", "after").is_err());
    }
}
