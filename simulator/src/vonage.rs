//! Vonage's WhatsApp Provisioning API ("WhatsApp Manager"), mounted at `/vonage` (the
//! real base path `/v0.1/whatsapp-manager` is accepted after the prefix too).
//!
//! Deployments move through their states on the simulated clock, one state per
//! `SimConfig::vonage_step`, computed lazily whenever the state is looked at. Errors are
//! RFC 7807 problems with Vonage's `type` URLs.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::clock::Now;
use crate::engine::Call;
use crate::meta::new_otp;
use crate::reply::Reply;
use crate::rng::Rng;
use crate::util::{all_digits, char_len, is_digits_len, is_http_url, json_object, query_get};
use crate::{seed, SimConfig};

const VERTICALS: [&str; 17] = [
    "Automotive",
    "Beauty, Spa and Salon",
    "Clothing and Apparel",
    "Education",
    "Entertainment",
    "Event Planning and Service",
    "Finance and Banking",
    "Food and Grocery",
    "Public Service",
    "Hotel and Lodging",
    "Medical and Health",
    "Non-profit",
    "Professional Services",
    "Shopping and Retail",
    "Travel and Transportation",
    "Restaurant",
    "Other",
];

/// A `vname_certificate` with this value makes the deployment fail (state ERROR) when
/// the cluster is created, to exercise the error path.
pub(crate) const INVALID_CERTIFICATE: &str = "INVALIDCERT";

/// WhatsApp's own sticker pack, listed with `?namespace=whatsapp`.
const BUILTIN_PACK: &str = "whatsapp-cuppy";

/// WhatsApp's limit of stickers per pack.
const MAX_STICKERS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DState {
    Initializing,
    CreatingCluster,
    ClusterCreated,
    CodeSent,
    WrongCode,
    CodeVerified,
    Finalizing,
    Ready,
    Error,
    Deleting,
    Deleted,
}

impl DState {
    fn title(self) -> &'static str {
        match self {
            DState::Initializing => "INITIALIZING",
            DState::CreatingCluster => "CREATING_CLUSTER",
            DState::ClusterCreated => "CLUSTER_CREATED",
            DState::CodeSent => "CODE_SENT",
            DState::WrongCode => "WRONG_CODE",
            DState::CodeVerified => "CODE_VERIFIED",
            DState::Finalizing => "FINALIZING",
            DState::Ready => "READY",
            DState::Error => "ERROR",
            DState::Deleting => "DELETING",
            DState::Deleted => "DELETED",
        }
    }

    fn detail(self) -> &'static str {
        match self {
            DState::Initializing => "Initializing deployment",
            DState::CreatingCluster => "Creating WhatsApp cluster",
            DState::ClusterCreated => "Cluster created, requesting code",
            DState::CodeSent => "Verification code sent",
            DState::WrongCode => "Wrong verification code entered",
            DState::CodeVerified => "Verification code accepted",
            DState::Finalizing => "Finalizing deployment",
            DState::Ready => "Deployment is ready",
            DState::Error => "Invalid vname certificate",
            DState::Deleting => "Deleting deployment",
            DState::Deleted => "Deployment deleted",
        }
    }

    /// The state a transitional state turns into after one step.
    fn next(self) -> Option<DState> {
        Some(match self {
            DState::Initializing => DState::CreatingCluster,
            DState::CreatingCluster => DState::ClusterCreated,
            DState::ClusterCreated => DState::CodeSent,
            DState::CodeVerified => DState::Finalizing,
            DState::Finalizing => DState::Ready,
            DState::Deleting => DState::Deleted,
            _ => return None,
        })
    }

    fn awaiting_code(self) -> bool {
        matches!(self, DState::CodeSent | DState::WrongCode)
    }

    /// A deployment in these states no longer holds its number.
    fn releases_number(self) -> bool {
        matches!(self, DState::Deleted | DState::Error)
    }
}

struct Sticker {
    image_data_id: String,
    emojis: Vec<String>,
}

struct StickerPack {
    id: String,
    publisher: String,
    name: String,
    ios_app_store_link: Option<String>,
    android_app_store_link: Option<String>,
    stickers: BTreeMap<u32, Sticker>,
    next_index: u32,
}

impl StickerPack {
    fn render(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("id".into(), json!(self.id));
        obj.insert("publisher".into(), json!(self.publisher));
        obj.insert("name".into(), json!(self.name));
        if let Some(l) = &self.ios_app_store_link {
            obj.insert("ios_app_store_link".into(), json!(l));
        }
        if let Some(l) = &self.android_app_store_link {
            obj.insert("android_app_store_link".into(), json!(l));
        }
        Value::Object(obj)
    }
}

struct Deployment {
    id: String,
    waba_id: String,
    country_code: String,
    number: String,
    api_key: String,
    state: DState,
    /// When the current state began (simulated time), for the schedule.
    entered: Duration,
    otp: Option<String>,
    pin: Option<String>,
    cert_invalid: bool,
    resends: Vec<Duration>,
    profile: Map<String, Value>,
    photo: Option<String>,
    packs: Vec<StickerPack>,
}

impl Deployment {
    fn render(&self) -> Value {
        json!({
            "deployment_id": self.id,
            "waba_id": self.waba_id,
            "country_code": self.country_code,
            "number": self.number,
            "api_key": self.api_key,
            "current_state": { "title": self.state.title(), "detail": self.state.detail() },
        })
    }

    fn full_number(&self) -> String {
        format!("{}{}", self.country_code, self.number)
    }

    fn enter(&mut self, state: DState, at: Duration) {
        self.state = state;
        self.entered = at;
    }
}

fn default_profile() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("about".into(), json!("Hey there! I am using WhatsApp."));
    m
}

pub(crate) struct State {
    deployments: Vec<Deployment>,
    /// Two-step PINs of numbers that reached READY with one: a later deployment of the
    /// same number must send it.
    pins: HashMap<String, String>,
}

impl State {
    pub(crate) fn seed(now: Now) -> State {
        let mut profile = default_profile();
        profile.insert("vertical".into(), json!("Food and Grocery"));
        profile.insert("websites".into(), json!(["https://example.com"]));
        State {
            deployments: vec![Deployment {
                id: seed::VONAGE_READY_DEPLOYMENT.to_owned(),
                waba_id: seed::VONAGE_WABA_ID.to_owned(),
                country_code: "44".to_owned(),
                number: "7700900001".to_owned(),
                api_key: "abcd1234".to_owned(),
                state: DState::Ready,
                entered: now.sim,
                otp: None,
                pin: None,
                cert_invalid: false,
                resends: Vec::new(),
                profile,
                photo: Some("https://www.example.com/img.png".to_owned()),
                packs: Vec::new(),
            }],
            pins: HashMap::new(),
        }
    }

    /// Advances every deployment along its schedule up to `now`.
    pub(crate) fn tick(&mut self, now: Now, cfg: &SimConfig, rng: &mut Rng) {
        let step = cfg.vonage_step.max(Duration::from_millis(1));
        for d in &mut self.deployments {
            while let Some(next) = d.state.next() {
                let due = d.entered + step;
                if now.sim < due {
                    break;
                }
                if next == DState::CodeSent && d.cert_invalid {
                    d.enter(DState::Error, due);
                    break;
                }
                d.enter(next, due);
                match next {
                    DState::CodeSent => d.otp = Some(new_otp(rng, cfg)),
                    DState::Ready => {
                        if let Some(pin) = &d.pin {
                            self.pins.insert(d.full_number(), pin.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    pub(crate) fn otp(&self, id: &str) -> Option<String> {
        let d = self.deployments.iter().find(|d| d.id == id)?;
        if d.state.awaiting_code() {
            d.otp.clone()
        } else {
            None
        }
    }
}

/// A Vonage route under `/deployments`.
pub(crate) enum Route {
    Create,
    List,
    Get(String),
    Delete(String),
    ResendOtp(String),
    Verify(String),
    GetProfile(String),
    UpdateProfile(String),
    GetPhoto(String),
    UpdatePhoto(String),
    ListPacks(String),
    CreatePack(String),
    UpdatePack(String, String),
    DeletePack(String, String),
    ListStickers(String, String),
    CreateSticker(String, String),
    GetSticker(String, String, String),
    DeleteSticker(String, String, String),
    Unknown,
}

impl Route {
    pub(crate) fn parse(method: &str, rest: &str) -> Route {
        let rest = rest.trim_end_matches('/');
        let rest = rest.strip_prefix("/v0.1/whatsapp-manager").unwrap_or(rest);
        let segs: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        let o = |s: &&str| (*s).to_owned();
        match (method, segs.as_slice()) {
            ("POST", ["deployments"]) => Route::Create,
            ("GET", ["deployments"]) => Route::List,
            ("GET", ["deployments", id]) => Route::Get(o(id)),
            ("DELETE", ["deployments", id]) => Route::Delete(o(id)),
            ("POST", ["deployments", id, "resend-otp"]) => Route::ResendOtp(o(id)),
            ("POST", ["deployments", id, "verify"]) => Route::Verify(o(id)),
            ("GET", ["deployments", id, "profile"]) => Route::GetProfile(o(id)),
            ("PATCH", ["deployments", id, "profile"]) => Route::UpdateProfile(o(id)),
            ("GET", ["deployments", id, "profile", "photo"]) => Route::GetPhoto(o(id)),
            ("POST", ["deployments", id, "profile", "photo"]) => Route::UpdatePhoto(o(id)),
            ("GET", ["deployments", id, "stickerpacks"]) => Route::ListPacks(o(id)),
            ("POST", ["deployments", id, "stickerpacks"]) => Route::CreatePack(o(id)),
            ("PATCH", ["deployments", id, "stickerpacks", p]) => Route::UpdatePack(o(id), o(p)),
            ("DELETE", ["deployments", id, "stickerpacks", p]) => Route::DeletePack(o(id), o(p)),
            ("GET", ["deployments", id, "stickerpacks", p, "stickers"]) => Route::ListStickers(o(id), o(p)),
            ("POST", ["deployments", id, "stickerpacks", p, "stickers"]) => Route::CreateSticker(o(id), o(p)),
            ("GET", ["deployments", id, "stickerpacks", p, "stickers", i]) => Route::GetSticker(o(id), o(p), o(i)),
            ("DELETE", ["deployments", id, "stickerpacks", p, "stickers", i]) => {
                Route::DeleteSticker(o(id), o(p), o(i))
            }
            _ => Route::Unknown,
        }
    }

    pub(crate) fn op(&self) -> Option<&'static str> {
        Some(match self {
            Route::Create => "vonage.create_deployment",
            Route::List => "vonage.list_deployments",
            Route::Get(_) => "vonage.get_deployment",
            Route::Delete(_) => "vonage.delete_deployment",
            Route::ResendOtp(_) => "vonage.resend_otp",
            Route::Verify(_) => "vonage.verify_otp",
            Route::GetProfile(_) => "vonage.get_profile",
            Route::UpdateProfile(_) => "vonage.update_profile",
            Route::GetPhoto(_) => "vonage.get_profile_photo",
            Route::UpdatePhoto(_) => "vonage.update_profile_photo",
            Route::ListPacks(_) => "vonage.list_stickerpacks",
            Route::CreatePack(_) => "vonage.create_stickerpack",
            Route::UpdatePack(..) => "vonage.update_stickerpack",
            Route::DeletePack(..) => "vonage.delete_stickerpack",
            Route::ListStickers(..) => "vonage.list_stickers",
            Route::CreateSticker(..) => "vonage.create_sticker",
            Route::GetSticker(..) => "vonage.get_sticker",
            Route::DeleteSticker(..) => "vonage.delete_sticker",
            Route::Unknown => return None,
        })
    }
}

/// An RFC 7807 problem as Vonage writes it.
struct Problem {
    status: u16,
    code: &'static str,
    /// Generic codes live at `api-errors#code`, the API's own at
    /// `api-errors/whatsapp-provisioning#code`.
    generic: bool,
    title: String,
    detail: String,
    invalid: Vec<(String, String)>,
    retry_after: Option<u64>,
}

impl Problem {
    fn new(status: u16, code: &'static str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            generic: false,
            title: title.to_owned(),
            detail: detail.into(),
            invalid: Vec::new(),
            retry_after: None,
        }
    }

    fn generic(status: u16, code: &'static str, title: &str, detail: impl Into<String>) -> Problem {
        let mut p = Problem::new(status, code, title, detail);
        p.generic = true;
        p
    }

    fn invalid(mut self, params: Vec<(String, String)>) -> Problem {
        self.invalid = params;
        self
    }

    fn reply(self, rng: &mut Rng) -> Reply {
        let base = if self.generic {
            "https://developer.nexmo.com/api-errors"
        } else {
            "https://developer.nexmo.com/api-errors/whatsapp-provisioning"
        };
        let mut obj = Map::new();
        obj.insert("type".into(), json!(format!("{base}#{}", self.code)));
        obj.insert("title".into(), json!(self.title));
        obj.insert("detail".into(), json!(self.detail));
        obj.insert("instance".into(), json!(rng.hex(32)));
        if !self.invalid.is_empty() {
            obj.insert(
                "invalid_parameters".into(),
                Value::Array(
                    self.invalid.into_iter().map(|(name, reason)| json!({ "name": name, "reason": reason })).collect(),
                ),
            );
        }
        let reply = Reply::problem(self.status, &Value::Object(obj));
        match self.retry_after {
            Some(s) => reply.with_header("retry-after", s.to_string()),
            None => reply,
        }
    }
}

fn not_found(what: &str) -> Problem {
    Problem::generic(404, "not-found", "Not Found", format!("{what} does not exist or you do not have access."))
}

fn unprocessable(detail: impl Into<String>, invalid: Vec<(String, String)>) -> Problem {
    Problem::new(422, "unprocessable", "Unprocessable Entity", detail).invalid(invalid)
}

fn state_conflict(action: &str, state: DState) -> Problem {
    Problem::new(
        409,
        "conflict-deployment-state",
        "Conflict",
        format!("Deployment cannot be {action} because it is in the {} state.", state.title()),
    )
}

/// The `throttled` problem (also used by the status_429 fault).
pub(crate) fn throttled(rng: &mut Rng, detail: &str) -> Reply {
    Problem::new(429, "throttled", "Throttled", detail).reply(rng)
}

/// A 5xx problem for the status_500/status_503 faults.
pub(crate) fn server_error(rng: &mut Rng, status: u16) -> Reply {
    let (code, title) = if status == 503 {
        ("service-unavailable", "Service Unavailable")
    } else {
        ("internal-error", "Internal Error")
    };
    Problem::generic(status, code, title, "The request could not be completed, please try again later.").reply(rng)
}

pub(crate) fn handle(st: &mut State, rng: &mut Rng, cfg: &SimConfig, route: &Route, call: &Call<'_>) -> Reply {
    let authorized = call.bearer().is_some_and(|t| cfg.vonage_tokens.iter().any(|ok| ok == t));
    if !authorized {
        return Problem::generic(
            401,
            "unauthorized",
            "You did not provide correct credentials.",
            "Check that you're using the correct credentials, and that your account has this feature enabled",
        )
        .reply(rng);
    }
    st.tick(call.now, cfg, rng);
    match handle_inner(st, rng, cfg, route, call) {
        Ok(reply) => reply,
        Err(p) => p.reply(rng),
    }
}

/// Parses the JSON body; Vonage answers `invalid-json` (400) to anything else.
fn body(call: &Call<'_>) -> Result<Map<String, Value>, Problem> {
    if call.body.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::new(400, "invalid-json", "Invalid JSON", "No content to map due to end-of-input"));
    }
    json_object(call.body).map_err(|e| Problem::new(400, "invalid-json", "Invalid JSON", e))
}

fn find<'a>(st: &'a mut State, id: &str) -> Result<&'a mut Deployment, Problem> {
    st.deployments.iter_mut().find(|d| d.id == id).ok_or_else(|| not_found("Deployment"))
}

/// A deployment whose profile and stickers can be used (not deleted or being deleted).
fn live<'a>(st: &'a mut State, id: &str) -> Result<&'a mut Deployment, Problem> {
    let d = find(st, id)?;
    match d.state {
        DState::Deleted => Err(not_found("Deployment")),
        DState::Deleting => Err(state_conflict("modified", d.state)),
        _ => Ok(d),
    }
}

fn handle_inner(
    st: &mut State,
    rng: &mut Rng,
    cfg: &SimConfig,
    route: &Route,
    call: &Call<'_>,
) -> Result<Reply, Problem> {
    let now = call.now.sim;
    match route {
        Route::Unknown => {
            Err(Problem::generic(404, "not-found", "Not Found", "The requested resource does not exist."))
        }
        Route::Create => create(st, rng, call),
        Route::List => Ok(Reply::json(200, &Value::Array(st.deployments.iter().map(Deployment::render).collect()))),
        Route::Get(id) => Ok(Reply::json(200, &find(st, id)?.render())),
        Route::Delete(id) => {
            let d = find(st, id)?;
            if matches!(d.state, DState::Deleting | DState::Deleted) {
                return Err(state_conflict("deleted", d.state));
            }
            d.enter(DState::Deleting, now);
            d.otp = None;
            Ok(Reply::empty(204))
        }
        Route::ResendOtp(id) => resend(st, rng, cfg, id, call),
        Route::Verify(id) => verify(st, id, call),
        Route::GetProfile(id) => Ok(Reply::json(200, &Value::Object(live(st, id)?.profile.clone()))),
        Route::UpdateProfile(id) => update_profile(st, id, call),
        Route::GetPhoto(id) => {
            let d = live(st, id)?;
            Ok(Reply::json(
                200,
                &match &d.photo {
                    Some(url) => json!({ "image_url": url }),
                    None => json!({}),
                },
            ))
        }
        Route::UpdatePhoto(id) => {
            let b = body(call)?;
            let d = live(st, id)?;
            let url = match b.get("image_url") {
                Some(Value::String(u)) if is_image_url(u) => u.clone(),
                _ => {
                    return Err(unprocessable(
                        "image_url must be an http(s) URL of a .png or .jpg image",
                        vec![("image_url".into(), "Url was not in a valid format".into())],
                    ))
                }
            };
            d.photo = Some(url.clone());
            Ok(Reply::json(200, &json!({ "image_url": url })))
        }
        Route::ListPacks(id) => {
            let d = live(st, id)?;
            let packs: Vec<Value> = match query_get(&call.query, "namespace") {
                Some("whatsapp") => vec![json!({
                    "id": BUILTIN_PACK,
                    "publisher": "WhatsApp",
                    "name": "Cuppy",
                    "namespace": "whatsapp",
                })],
                Some(_) => Vec::new(),
                None => d.packs.iter().map(StickerPack::render).collect(),
            };
            Ok(Reply::json(200, &json!({ "stickerpacks": packs, "meta": {} })))
        }
        Route::CreatePack(id) => {
            let b = body(call)?;
            let d = live(st, id)?;
            let fields = pack_fields(&b, true)?;
            let pack_id = rng.hex(16);
            d.packs.push(StickerPack {
                id: pack_id.clone(),
                publisher: fields.publisher.unwrap_or_default(),
                name: fields.name.unwrap_or_default(),
                ios_app_store_link: fields.ios,
                android_app_store_link: fields.android,
                stickers: BTreeMap::new(),
                next_index: 0,
            });
            Ok(Reply::json(201, &json!({ "stickerpacks": [{ "id": pack_id }], "meta": {} })))
        }
        Route::UpdatePack(id, pack) => {
            let b = body(call)?;
            let d = live(st, id)?;
            let p = own_pack(d, pack)?;
            let f = pack_fields(&b, false)?;
            if f.publisher.is_none() && f.name.is_none() && f.ios.is_none() && f.android.is_none() {
                return Err(unprocessable("Request had no sticker pack fields to update", Vec::new()));
            }
            if let Some(v) = f.publisher {
                p.publisher = v;
            }
            if let Some(v) = f.name {
                p.name = v;
            }
            if f.ios.is_some() {
                p.ios_app_store_link = f.ios;
            }
            if f.android.is_some() {
                p.android_app_store_link = f.android;
            }
            Ok(Reply::json(200, &json!({ "stickerpacks": [p.render()], "meta": {} })))
        }
        Route::DeletePack(id, pack) => {
            let d = live(st, id)?;
            own_pack(d, pack)?;
            d.packs.retain(|p| p.id != *pack);
            Ok(Reply::empty(204))
        }
        Route::ListStickers(id, pack) => {
            let d = live(st, id)?;
            let indexes: Vec<Value> = if pack == BUILTIN_PACK {
                (0..3).map(|i| json!({ "index": i })).collect()
            } else {
                own_pack(d, pack)?.stickers.keys().map(|i| json!({ "index": i })).collect()
            };
            Ok(Reply::json(200, &json!({ "stickers": indexes, "meta": {} })))
        }
        Route::CreateSticker(id, pack) => {
            let b = body(call)?;
            let d = live(st, id)?;
            let p = own_pack(d, pack)?;
            let sticker = sticker_fields(&b)?;
            if p.stickers.len() >= MAX_STICKERS {
                return Err(unprocessable(format!("A sticker pack holds at most {MAX_STICKERS} stickers"), Vec::new()));
            }
            let index = p.next_index;
            p.next_index += 1;
            p.stickers.insert(index, sticker);
            Ok(Reply::json(201, &json!({ "stickers": [{ "index": index }], "meta": {} })))
        }
        Route::GetSticker(id, pack, index) => {
            let d = live(st, id)?;
            if pack == BUILTIN_PACK {
                return match index.parse::<u32>() {
                    Ok(i) if i < 3 => Ok(Reply::json(
                        200,
                        &json!({ "stickers": [{ "id": format!("cuppy-{i}"), "emojis": ["☕"] }], "meta": {} }),
                    )),
                    _ => Err(not_found("Sticker")),
                };
            }
            let p = own_pack(d, pack)?;
            let s = index.parse::<u32>().ok().and_then(|i| p.stickers.get(&i)).ok_or_else(|| not_found("Sticker"))?;
            Ok(Reply::json(200, &json!({ "stickers": [{ "id": s.image_data_id, "emojis": s.emojis }], "meta": {} })))
        }
        Route::DeleteSticker(id, pack, index) => {
            let d = live(st, id)?;
            let p = own_pack(d, pack)?;
            let i = index.parse::<u32>().map_err(|_| not_found("Sticker"))?;
            p.stickers.remove(&i).ok_or_else(|| not_found("Sticker"))?;
            Ok(Reply::empty(204))
        }
    }
}

fn create(st: &mut State, rng: &mut Rng, call: &Call<'_>) -> Result<Reply, Problem> {
    let b = body(call)?;
    let mut invalid = Vec::new();
    let mut get = |key: &str| -> Option<String> {
        match b.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            None | Some(Value::Null) => {
                invalid.push((key.to_owned(), format!("Missing required parameter {key}")));
                None
            }
            Some(_) => {
                invalid.push((key.to_owned(), format!("{key} must be a string")));
                None
            }
        }
    };
    let cc = get("country_code");
    let number = get("number");
    let cert = get("vname_certificate");
    let method = get("method");
    let waba = get("waba_id");
    if let Some((first, _)) = invalid.first() {
        let detail = format!("Request was missing a {first} and could not be processed");
        return Err(unprocessable(detail, invalid));
    }
    let (cc, number, cert, method, waba) = (
        cc.unwrap_or_default(),
        number.unwrap_or_default(),
        cert.unwrap_or_default(),
        method.unwrap_or_default(),
        waba.unwrap_or_default(),
    );
    let mut bad = |name: &str, reason: &str| invalid.push((name.to_owned(), reason.to_owned()));
    if !all_digits(&cc) || cc.len() > 3 {
        bad("country_code", "Country code must be 1 to 3 digits");
    }
    if !all_digits(&number) || !(4..=14).contains(&number.len()) {
        bad("number", "Number must be the national number in digits");
    }
    if cert.is_empty() {
        bad("vname_certificate", "vname_certificate must not be empty");
    }
    if method != "sms" && method != "voice" {
        bad("method", "Method must be one of sms, voice");
    }
    if !all_digits(&waba) {
        bad("waba_id", "waba_id must be digits");
    }
    let pin = match b.get("pin") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if is_digits_len(p, 6) => Some(p.clone()),
        Some(_) => {
            bad("pin", "PIN must be 6 digits");
            None
        }
    };
    if !invalid.is_empty() {
        return Err(unprocessable("Request contained invalid parameters and could not be processed", invalid));
    }
    let full = format!("{cc}{number}");
    if let Some(existing) = st.deployments.iter().find(|d| d.full_number() == full && !d.state.releases_number()) {
        return Err(Problem::new(
            409,
            "number-in-use",
            "Number already in use",
            format!("Active deployment already exists with id {}", existing.id),
        ));
    }
    if let Some(set) = st.pins.get(&full) {
        if pin.as_ref() != Some(set) {
            return Err(unprocessable(
                "A two-step verification PIN was set for this number before; the same PIN is required",
                vec![("pin".into(), "PIN missing or not the one set before".into())],
            ));
        }
    }
    let d = Deployment {
        id: rng.uuid(),
        waba_id: waba,
        country_code: cc,
        number,
        api_key: rng.hex(8),
        state: DState::Initializing,
        entered: call.now.sim,
        otp: None,
        pin,
        cert_invalid: cert == INVALID_CERTIFICATE,
        resends: Vec::new(),
        profile: default_profile(),
        photo: None,
        packs: Vec::new(),
    };
    let reply = Reply::json(202, &d.render());
    st.deployments.push(d);
    Ok(reply)
}

fn resend(st: &mut State, rng: &mut Rng, cfg: &SimConfig, id: &str, call: &Call<'_>) -> Result<Reply, Problem> {
    let b = body(call)?;
    let d = find(st, id)?;
    let method = match b.get("method") {
        Some(Value::String(m)) if m == "sms" || m == "voice" => m.clone(),
        _ => {
            return Err(unprocessable(
                "Request was missing a valid method and could not be processed",
                vec![("method".into(), "Method must be one of sms, voice".into())],
            ))
        }
    };
    if !d.state.awaiting_code() {
        return Err(match d.state {
            DState::CodeVerified | DState::Finalizing | DState::Ready => {
                Problem::new(409, "conflict-resend-otp", "Deployment Completed, Resend Failed", "OTP not required.")
            }
            s => Problem::new(
                409,
                "conflict-resend-otp",
                "Resend Failed",
                format!("The OTP cannot be resent while the deployment is in the {} state.", s.title()),
            ),
        });
    }
    let now = call.now.sim;
    let window = cfg.vonage_resend_window;
    d.resends.retain(|t| now.saturating_sub(*t) < window);
    if let Some(oldest) = d.resends.first() {
        let wait = window.saturating_sub(now.saturating_sub(*oldest));
        let mut p =
            Problem::new(429, "throttled", "Throttled", "Exceeded rate limit for this API, please wait and try again");
        p.retry_after = Some(wait.as_secs_f64().ceil().max(1.0) as u64);
        return Err(p);
    }
    d.resends.push(now);
    d.otp = Some(new_otp(rng, cfg));
    d.enter(DState::CodeSent, now);
    Ok(Reply::json(202, &json!({ "message": "Code sent", "vname": cfg.vonage_vname, "method": method })))
}

fn verify(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, Problem> {
    let b = body(call)?;
    let d = find(st, id)?;
    let failed = |detail: &str| {
        Problem::new(422, "verification-failed", "Verification Failed", detail)
            .invalid(vec![("code".into(), "Invalid code provided.".into())])
    };
    let code = match b.get("code") {
        Some(Value::String(c)) if is_digits_len(c, 6) => c.clone(),
        _ => return Err(failed("The code must be 6 digits.")),
    };
    if !d.state.awaiting_code() {
        return Err(state_conflict("verified", d.state));
    }
    if d.otp.as_deref() != Some(code.as_str()) {
        d.state = DState::WrongCode;
        return Err(failed("Deployment could not be created because the verification failed."));
    }
    d.otp = None;
    d.enter(DState::CodeVerified, call.now.sim);
    Ok(Reply::json(201, &json!({ "deployment_id": d.id, "status": "Deployment was Created" })))
}

fn update_profile(st: &mut State, id: &str, call: &Call<'_>) -> Result<Reply, Problem> {
    let b = body(call)?;
    let d = live(st, id)?;
    let mut invalid: Vec<(String, String, String)> = Vec::new();
    let mut updates = Map::new();
    let mut text = |key: &str, label: &str, max: usize, extra: Option<fn(&str) -> bool>| {
        let Some(v) = b.get(key) else { return };
        match v.as_str() {
            Some(s) if char_len(s) > max => invalid.push((
                key.to_owned(),
                format!("{label} must be at most {max} characters"),
                format!("{label} was longer than {max} characters and could not be processed."),
            )),
            Some("") => invalid.push((
                key.to_owned(),
                format!("{label} must not be empty"),
                format!("{label} was empty and could not be processed."),
            )),
            Some(s) if extra.is_some_and(|f| !f(s)) => invalid.push((
                key.to_owned(),
                format!("{label} format invalid"),
                format!("{label} was not valid and could not be processed."),
            )),
            Some(s) => {
                updates.insert(key.to_owned(), json!(s));
            }
            None => invalid.push((
                key.to_owned(),
                format!("{label} must be a string"),
                format!("{label} was not a string and could not be processed."),
            )),
        }
    };
    text("about", "About", 139, None);
    text("address", "Address", 256, None);
    text("description", "Description", 256, None);
    text("email", "Email", 128, Some(is_email));
    text("vertical", "Vertical", 256, Some(|v| VERTICALS.contains(&v)));
    if let Some(w) = b.get("websites") {
        let ok = w.as_array().filter(|a| (1..=2).contains(&a.len())).and_then(|a| {
            a.iter().map(|x| x.as_str().filter(|s| char_len(s) <= 256 && is_http_url(s))).collect::<Option<Vec<&str>>>()
        });
        match ok {
            Some(list) => {
                updates.insert("websites".into(), json!(list));
            }
            None => invalid.push((
                "websites".into(),
                "Websites must be 1 or 2 http(s) URLs of at most 256 characters".into(),
                "Websites were not valid and could not be processed.".into(),
            )),
        }
    }
    if let Some((_, _, detail)) = invalid.first() {
        let detail = detail.clone();
        return Err(Problem::new(422, "unprocessable-profile-update", "Unprocessable Entity", detail)
            .invalid(invalid.into_iter().map(|(n, r, _)| (n, r)).collect()));
    }
    if updates.is_empty() {
        return Err(Problem::new(
            422,
            "unprocessable-profile-update",
            "Unprocessable Entity",
            "Request had no profile fields to update.",
        ));
    }
    d.profile.extend(updates);
    Ok(Reply::json(200, &Value::Object(d.profile.clone())))
}

fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

fn is_image_url(u: &str) -> bool {
    if !is_http_url(u) {
        return false;
    }
    let path = u.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    [".png", ".jpg", ".jpeg"].iter().any(|e| path.ends_with(e))
}

fn is_ios_link(s: &str) -> bool {
    let rest = s.strip_prefix("https://itunes.apple.com/").or_else(|| s.strip_prefix("https://apps.apple.com/"));
    rest.and_then(|r| r.split(['?', '#']).next())
        .and_then(|p| p.rsplit('/').next())
        .and_then(|last| last.strip_prefix("id"))
        .is_some_and(all_digits)
}

fn is_android_link(s: &str) -> bool {
    s.strip_prefix("https://play.google.com/store/apps/details?id=")
        .map(|r| r.split('&').next().unwrap_or(""))
        .is_some_and(|pkg| !pkg.is_empty() && pkg.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'))
}

struct PackFields {
    publisher: Option<String>,
    name: Option<String>,
    ios: Option<String>,
    android: Option<String>,
}

fn pack_fields(b: &Map<String, Value>, create: bool) -> Result<PackFields, Problem> {
    let mut invalid = Vec::new();
    let mut text = |key: &str, required: bool| -> Option<String> {
        match b.get(key) {
            Some(Value::String(s)) if (1..=128).contains(&char_len(s)) => Some(s.clone()),
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                invalid.push((key.to_owned(), format!("Missing required parameter {key}")));
                None
            }
            Some(_) => {
                invalid.push((key.to_owned(), format!("{key} must be 1 to 128 characters")));
                None
            }
        }
    };
    let publisher = text("publisher", create);
    let name = text("name", create);
    let mut link = |key: &str, ok: fn(&str) -> bool| -> Option<String> {
        match b.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if ok(s) => Some(s.clone()),
            Some(_) => {
                invalid.push((key.to_owned(), "Url was not in a valid format".to_owned()));
                None
            }
        }
    };
    let ios = link("ios_app_store_link", is_ios_link);
    let android = link("android_app_store_link", is_android_link);
    if !invalid.is_empty() {
        return Err(unprocessable(
            "Request contained invalid sticker pack parameters and could not be processed",
            invalid,
        ));
    }
    Ok(PackFields { publisher, name, ios, android })
}

/// A third-party pack of the deployment; WhatsApp's own pack is read-only (403).
fn own_pack<'a>(d: &'a mut Deployment, pack: &str) -> Result<&'a mut StickerPack, Problem> {
    if pack == BUILTIN_PACK {
        return Err(Problem::generic(403, "forbidden", "Forbidden", "WhatsApp's own sticker packs cannot be changed."));
    }
    d.packs.iter_mut().find(|p| p.id == pack).ok_or_else(|| not_found("Sticker pack"))
}

fn sticker_fields(b: &Map<String, Value>) -> Result<Sticker, Problem> {
    let image_data_id = match b.get("image_data_id") {
        Some(Value::String(s))
            if (1..=128).contains(&s.len())
                && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') =>
        {
            s.clone()
        }
        _ => {
            return Err(unprocessable(
                "Request was missing a valid image_data_id and could not be processed",
                vec![("image_data_id".into(), "image_data_id must be 1 to 128 letters, digits, - or _".into())],
            ))
        }
    };
    let emojis = match b.get("emojis") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) if a.len() <= 3 => a
            .iter()
            .map(|e| e.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                unprocessable(
                    "emojis must be strings",
                    vec![("emojis".into(), "emojis must be up to 3 strings".into())],
                )
            })?,
        Some(_) => {
            return Err(unprocessable(
                "emojis must be an array of up to 3 strings",
                vec![("emojis".into(), "emojis must be up to 3 strings".into())],
            ))
        }
    };
    Ok(Sticker { image_data_id, emojis })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_links() {
        assert!(is_ios_link("https://itunes.apple.com/app/id123456"));
        assert!(is_ios_link("https://apps.apple.com/us/app/foo/id42"));
        assert!(!is_ios_link("https://itunes.apple.com/app/foo"));
        assert!(is_android_link("https://play.google.com/store/apps/details?id=com.example.app"));
        assert!(!is_android_link("https://play.google.com/store/apps/details?id="));
    }

    #[test]
    fn image_urls() {
        assert!(is_image_url("https://x.example/a.PNG?size=1"));
        assert!(is_image_url("http://x.example/a.jpeg"));
        assert!(!is_image_url("https://x.example/a.gif"));
        assert!(!is_image_url("ftp://x.example/a.png"));
    }

    #[test]
    fn emails() {
        assert!(is_email("you@example.com"));
        assert!(!is_email("you@example"));
        assert!(!is_email("a@b@c.com"));
    }
}
