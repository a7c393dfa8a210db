//! Meta's WhatsApp Cloud API: the Graph API phone-number endpoints.
//!
//! Paths are relative to `https://graph.facebook.com/{api_version}`. Errors come in the
//! Graph envelope and are keyed on `error.code`, not on the HTTP status.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::de::open_enum;
use crate::endpoint::{Body, RequestParts};
use crate::error::ProviderFailure;
use crate::params::{FromParams, Params};
use crate::shape::{Field, Kind};
use crate::validate::{self, DeliveryMethod};
use crate::{Config, Endpoint, Error, ErrorKind, HttpRequest, HttpResponse, Method, Operation, Secret};

/// Meta's production Graph host.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// The regions where Meta can store a number's data at rest.
pub const DATA_LOCALIZATION_REGIONS: &[&str] =
    &["AE", "AU", "BH", "BR", "CA", "CH", "DE", "GB", "ID", "IN", "JP", "KR", "SG", "ZA"];

const SORT_ORDERS: &[&str] = &["last_onboarded_time.asc", "last_onboarded_time.desc"];

fn request(
    config: &Config,
    method: Method,
    segments: &[&str],
    query: Vec<(&'static str, String)>,
    body: Option<String>,
) -> Result<HttpRequest, Error> {
    let base = config.meta_root(DEFAULT_BASE_URL)?;
    let authorization = config.bearer()?;
    Ok(RequestParts { method, base, segments, query, body }.build(Some(authorization)))
}

/// How [`Success`] is read.
pub(crate) const SUCCESS: Kind = Kind::Object(&[Field::required("success", Kind::Bool)]);

/// `{"success": true}`: what every Meta write answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    /// Whether Meta did it.
    pub success: bool,
}

/// POST `/{phone_number_id}/request_code`: sends a one-time code to the number by SMS or
/// voice call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestCode {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// SMS or voice call.
    pub code_method: DeliveryMethod,
    /// The language of the message, as `en_US` (`en-us` is accepted).
    pub language: String,
}

impl Endpoint for RequestCode {
    const OPERATION: Operation = Operation::MetaRequestCode;
    type Output = Success;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("phone_number_id", &self.phone_number_id)?;
        let code_method = match self.code_method {
            DeliveryMethod::Sms => "SMS",
            DeliveryMethod::Voice => "VOICE",
        };
        let body = Body::new().text("code_method", code_method).text("language", &locale(&self.language)?).finish();
        request(config, Method::Post, &[id, "request_code"], Vec::new(), body)
    }
}

/// `en_US` from `en_us`, `EN-us` …: Meta's spec wants two lower-case letters, `_`, two
/// upper-case letters.
fn locale(input: &str) -> Result<String, Error> {
    let parts = input.split_once(['_', '-']);
    match parts {
        Some((lang, region))
            if lang.len() == 2
                && region.len() == 2
                && lang.bytes().all(|b| b.is_ascii_alphabetic())
                && region.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            Ok(format!("{}_{}", lang.to_ascii_lowercase(), region.to_ascii_uppercase()))
        }
        _ => Err(Error::validation("language", "must be a locale like `en_US`")),
    }
}

impl FromParams for RequestCode {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(RequestCode {
            phone_number_id: p.string("phone_number_id")?,
            code_method: p.method("code_method")?,
            language: p.string("language")?,
        })
    }
}

/// POST `/{phone_number_id}/verify_code`: proves the number with the code it received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyCode {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// The 6-digit code; `123-456` and `123 456` are accepted.
    pub code: Secret,
}

impl Endpoint for VerifyCode {
    const OPERATION: Operation = Operation::MetaVerifyCode;
    type Output = Success;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("phone_number_id", &self.phone_number_id)?;
        let code = validate::otp_code("code", &self.code)?;
        let body = Body::new().text("code", code.expose()).finish();
        request(config, Method::Post, &[id, "verify_code"], Vec::new(), body)
    }
}

impl FromParams for VerifyCode {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(VerifyCode { phone_number_id: p.string("phone_number_id")?, code: p.secret("code")? })
    }
}

/// POST `/{phone_number_id}/register`: registers the verified number for messaging with
/// its two-step PIN. Limited to 10 per number per window; never retried automatically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// The existing two-step PIN, or the one to set: 6 digits.
    pub pin: Secret,
    /// Where Meta stores the data at rest (`DE`, `IN`, …); fixed until the next
    /// deregistration.
    pub data_localization_region: Option<String>,
}

impl Endpoint for Register {
    const OPERATION: Operation = Operation::MetaRegister;
    type Output = Success;

    fn guard_subject(&self) -> Option<String> {
        Some(self.phone_number_id.clone())
    }

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("phone_number_id", &self.phone_number_id)?;
        let pin = validate::pin("pin", &self.pin)?;
        let region = self
            .data_localization_region
            .as_deref()
            .map(|r| validate::choice("data_localization_region", r, DATA_LOCALIZATION_REGIONS))
            .transpose()?;
        let body = Body::new().text("messaging_product", "whatsapp").text("pin", pin);
        let body = body.opt_text("data_localization_region", region).finish();
        request(config, Method::Post, &[id, "register"], Vec::new(), body)
    }
}

impl FromParams for Register {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(Register {
            phone_number_id: p.string("phone_number_id")?,
            pin: p.secret("pin")?,
            data_localization_region: p.opt_string("data_localization_region")?,
        })
    }
}

/// POST `/{phone_number_id}/deregister`: takes the number off the Cloud API. Counted
/// against the same kind of limit as register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deregister {
    /// The number's Graph ID.
    pub phone_number_id: String,
}

impl Endpoint for Deregister {
    const OPERATION: Operation = Operation::MetaDeregister;
    type Output = Success;

    fn guard_subject(&self) -> Option<String> {
        Some(self.phone_number_id.clone())
    }

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("phone_number_id", &self.phone_number_id)?;
        request(config, Method::Post, &[id, "deregister"], Vec::new(), None)
    }
}

impl FromParams for Deregister {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(Deregister { phone_number_id: p.string("phone_number_id")? })
    }
}

/// POST `/{phone_number_id}`: sets or changes the two-step verification PIN (no endpoint
/// turns it off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetTwoStepPin {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// The new PIN: 6 digits.
    pub pin: Secret,
}

impl Endpoint for SetTwoStepPin {
    const OPERATION: Operation = Operation::MetaSetTwoStepPin;
    type Output = Success;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("phone_number_id", &self.phone_number_id)?;
        let body = Body::new().text("pin", validate::pin("pin", &self.pin)?).finish();
        request(config, Method::Post, &[id], Vec::new(), body)
    }
}

impl FromParams for SetTwoStepPin {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(SetTwoStepPin { phone_number_id: p.string("phone_number_id")?, pin: p.secret("pin")? })
    }
}

/// Graph field names as `fields=` wants them, each checked so none can smuggle a `&`.
fn fields_query(fields: &Option<Vec<String>>) -> Result<Option<String>, Error> {
    let Some(fields) = fields else { return Ok(None) };
    if fields.is_empty() {
        return Err(Error::validation("fields", "must name at least one field"));
    }
    for (i, field) in fields.iter().enumerate() {
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.{},".contains(c);
        if field.is_empty() || field.len() > 64 || !field.chars().all(allowed) {
            return Err(Error::validation(format!("fields[{i}]"), "must be a Graph field name like `quality_rating`"));
        }
    }
    Ok(Some(fields.join(",")))
}

/// GET `/{phone_number_id}`: the number's state: verification, name review, quality,
/// throughput.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPhoneNumber {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// The fields to return; Meta's default set when `None`.
    pub fields: Option<Vec<String>>,
}

impl Endpoint for GetPhoneNumber {
    const OPERATION: Operation = Operation::MetaGetPhoneNumber;
    type Output = PhoneNumberInfo;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("phone_number_id", &self.phone_number_id)?;
        let query = fields_query(&self.fields)?.map(|f| ("fields", f)).into_iter().collect();
        request(config, Method::Get, &[id], query, None)
    }
}

impl FromParams for GetPhoneNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(GetPhoneNumber { phone_number_id: p.string("phone_number_id")?, fields: p.opt_strings("fields")? })
    }
}

/// One condition of `filtering`, e.g. `account_mode EQUAL SANDBOX`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// The field to test, e.g. `account_mode`.
    pub field: String,
    /// The comparison, e.g. `EQUAL`.
    pub operator: String,
    /// The value to compare with, e.g. `SANDBOX`.
    pub value: String,
}

/// GET `/{waba_id}/phone_numbers`: one page of the account's numbers; `paging.cursors.after`
/// leads to the next page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPhoneNumbers {
    /// The WhatsApp Business Account's ID.
    pub waba_id: String,
    /// The fields to return for each number.
    pub fields: Option<Vec<String>>,
    /// Conditions every returned number meets.
    pub filtering: Option<Vec<Filter>>,
    /// `last_onboarded_time.asc` or `last_onboarded_time.desc`.
    pub sort: Option<String>,
    /// Numbers per page, 1 to 100.
    pub limit: Option<u64>,
    /// The cursor of the page to read after.
    pub after: Option<String>,
    /// The cursor of the page to read before.
    pub before: Option<String>,
}

impl Endpoint for ListPhoneNumbers {
    const OPERATION: Operation = Operation::MetaListPhoneNumbers;
    type Output = PhoneNumberList;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("waba_id", &self.waba_id)?;
        let mut query = Vec::new();
        if let Some(fields) = fields_query(&self.fields)? {
            query.push(("fields", fields));
        }
        if let Some(filters) = &self.filtering {
            for (i, filter) in filters.iter().enumerate() {
                for (name, value) in
                    [("field", &filter.field), ("operator", &filter.operator), ("value", &filter.value)]
                {
                    validate::required(&format!("filtering[{i}].{name}"), value, 256)?;
                }
            }
            let filters = filters.iter().map(|f| {
                let filter = Body::new().text("field", &f.field).text("operator", &f.operator);
                filter.text("value", &f.value).finish().unwrap_or_default()
            });
            query.push(("filtering", format!("[{}]", filters.collect::<Vec<_>>().join(","))));
        }
        if let Some(sort) = &self.sort {
            query.push(("sort", validate::choice("sort", sort, SORT_ORDERS)?.to_owned()));
        }
        if let Some(limit) = self.limit {
            if !(1..=100).contains(&limit) {
                return Err(Error::validation("limit", "must be from 1 to 100"));
            }
            query.push(("limit", limit.to_string()));
        }
        for (name, cursor) in [("after", &self.after), ("before", &self.before)] {
            if let Some(cursor) = cursor {
                if cursor.is_empty() || cursor.len() > 1024 || !cursor.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(Error::validation(name, "must be a paging cursor as Meta returned it"));
                }
                query.push((name, cursor.clone()));
            }
        }
        request(config, Method::Get, &[id, "phone_numbers"], query, None)
    }
}

impl FromParams for ListPhoneNumbers {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        let filtering = p
            .opt_objects("filtering")?
            .map(|filters| {
                filters.iter().enumerate().map(|(i, f)| filter_from_json(i, f)).collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok(ListPhoneNumbers {
            waba_id: p.string("waba_id")?,
            fields: p.opt_strings("fields")?,
            filtering,
            sort: p.opt_string("sort")?,
            limit: p.opt_uint("limit")?,
            after: p.opt_string("after")?,
            before: p.opt_string("before")?,
        })
    }
}

fn filter_from_json(i: usize, map: &Map<String, Value>) -> Result<Filter, Error> {
    let get = |name: &str| match map.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(Error::validation(format!("filtering[{i}].{name}"), "must be a string")),
    };
    if let Some(key) = map.keys().find(|k| !["field", "operator", "value"].contains(&k.as_str())) {
        return Err(Error::validation(
            format!("filtering[{i}].{key}"),
            "is not part of a filter (field, operator, value)",
        ));
    }
    Ok(Filter { field: get("field")?, operator: get("operator")?, value: get("value")? })
}

/// POST `/{waba_id}/phone_numbers`: adds a number to the account, to verify next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddPhoneNumber {
    /// The WhatsApp Business Account's ID.
    pub waba_id: String,
    /// The number as a person writes it, e.g. `+1 631-555-1111`.
    pub phone_number: String,
    /// How to read a number written without `+`: an ISO region such as `US`.
    pub country: Option<String>,
    /// The display name to review: 2 to 75 characters.
    pub verified_name: String,
}

impl Endpoint for AddPhoneNumber {
    const OPERATION: Operation = Operation::MetaAddPhoneNumber;
    type Output = AddedPhoneNumber;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("waba_id", &self.waba_id)?;
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let verified_name = validate::text("verified_name", &self.verified_name, 2, 75)?;
        let body = Body::new().text("cc", number.country_code()).text("phone_number", number.national_number());
        let body = body.text("verified_name", verified_name).finish();
        request(config, Method::Post, &[id, "phone_numbers"], Vec::new(), body)
    }
}

impl FromParams for AddPhoneNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(AddPhoneNumber {
            waba_id: p.string("waba_id")?,
            phone_number: p.string("phone_number")?,
            country: p.opt_string("country")?,
            verified_name: p.string("verified_name")?,
        })
    }
}

/// How [`AddedPhoneNumber`] is read.
pub(crate) const ADDED_PHONE_NUMBER: Kind = Kind::Object(&[Field::required("id", Kind::Text)]);

/// `{"id": …}`: the new number's Graph ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedPhoneNumber {
    /// The phone number ID to use in every other call.
    pub id: String,
}

open_enum! {
    /// Whether the number proved it receives codes.
    pub enum CodeVerificationStatus {
        /// Verified.
        Verified = "VERIFIED",
        /// Not verified yet.
        NotVerified = "NOT_VERIFIED",
        /// The verification lapsed.
        Expired = "EXPIRED",
        /// Also seen for a number not verified yet.
        Unverified = "UNVERIFIED",
    }
}

open_enum! {
    /// Message quality as users rate it.
    pub enum QualityRating {
        /// High quality.
        Green = "GREEN",
        /// Medium quality.
        Yellow = "YELLOW",
        /// Low quality.
        Red = "RED",
        /// Not rated yet.
        Na = "NA",
        /// Unknown.
        Unknown = "UNKNOWN",
    }
}

open_enum! {
    /// Where the display name stands in review; register needs `APPROVED` or
    /// `AVAILABLE_WITHOUT_REVIEW`.
    pub enum NameStatus {
        /// Approved.
        Approved = "APPROVED",
        /// Usable without review.
        AvailableWithoutReview = "AVAILABLE_WITHOUT_REVIEW",
        /// Declined.
        Declined = "DECLINED",
        /// Expired.
        Expired = "EXPIRED",
        /// In review.
        PendingReview = "PENDING_REVIEW",
        /// None requested.
        None = "NONE",
    }
}

impl NameStatus {
    /// Whether `register` can succeed with this name status.
    pub fn allows_registration(&self) -> bool {
        matches!(self, NameStatus::Approved | NameStatus::AvailableWithoutReview)
    }
}

open_enum! {
    /// How many messages per second the number may send.
    pub enum ThroughputLevel {
        /// The default level.
        Standard = "STANDARD",
        /// Raised throughput.
        High = "HIGH",
        /// Not applicable.
        NotApplicable = "NOT_APPLICABLE",
    }
}

open_enum! {
    /// Where the number is hosted.
    pub enum PlatformType {
        /// Meta's Cloud API.
        CloudApi = "CLOUD_API",
        /// The On-Premises API.
        OnPremise = "ON_PREMISE",
        /// Not registered on either.
        NotApplicable = "NOT_APPLICABLE",
    }
}

open_enum! {
    /// Whether the number is live or a sandbox number.
    pub enum AccountMode {
        /// Live.
        Live = "LIVE",
        /// Sandbox.
        Sandbox = "SANDBOX",
    }
}

const PHONE_NUMBER_INFO_FIELDS: &[Field] = &[
    Field::required("id", Kind::Text),
    Field::optional("display_phone_number", Kind::Text),
    Field::optional("verified_name", Kind::Text),
    Field::optional("code_verification_status", Kind::Text),
    Field::optional("quality_rating", Kind::Text),
    Field::optional("platform_type", Kind::Text),
    Field::optional("throughput", Kind::Object(&[Field::optional("level", Kind::Text)])),
    Field::optional("webhook_configuration", Kind::Object(&[Field::optional("application", Kind::Text)])),
    Field::optional("name_status", Kind::Text),
    Field::optional("new_name_status", Kind::Text),
    Field::optional("certificate", Kind::Text),
    Field::optional("new_certificate", Kind::Text),
    Field::optional("last_onboarded_time", Kind::Text),
    Field::optional("account_mode", Kind::Text),
];

/// How [`PhoneNumberInfo`] is read.
pub(crate) const PHONE_NUMBER_INFO: Kind = Kind::Object(PHONE_NUMBER_INFO_FIELDS);

/// How [`PhoneNumberList`] is read.
pub(crate) const PHONE_NUMBER_LIST: Kind = Kind::Object(&[
    Field::required("data", Kind::List(PHONE_NUMBER_INFO_FIELDS)),
    Field::optional(
        "paging",
        Kind::Object(&[
            Field::optional(
                "cursors",
                Kind::Object(&[Field::optional("before", Kind::Text), Field::optional("after", Kind::Text)]),
            ),
            Field::optional("next", Kind::Text),
            Field::optional("previous", Kind::Text),
        ]),
    ),
]);

/// `throughput` of a phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throughput {
    /// The level.
    pub level: Option<ThroughputLevel>,
}

/// `webhook_configuration` of a phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookConfiguration {
    /// The URL webhooks go to.
    pub application: Option<String>,
}

/// A phone number as Graph describes it; only the requested fields are present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumberInfo {
    /// The phone number ID.
    pub id: String,
    /// The number formatted for people, e.g. `+1 631-555-1111`.
    pub display_phone_number: Option<String>,
    /// The approved display name.
    pub verified_name: Option<String>,
    /// Whether the number has been verified by code.
    pub code_verification_status: Option<CodeVerificationStatus>,
    /// Message quality.
    pub quality_rating: Option<QualityRating>,
    /// Where it is hosted.
    pub platform_type: Option<PlatformType>,
    /// Its throughput.
    pub throughput: Option<Throughput>,
    /// Where its webhooks go.
    pub webhook_configuration: Option<WebhookConfiguration>,
    /// The display name's review state.
    pub name_status: Option<NameStatus>,
    /// The review state of a requested new name.
    pub new_name_status: Option<NameStatus>,
    /// The display name certificate.
    pub certificate: Option<String>,
    /// The certificate of a requested new name.
    pub new_certificate: Option<String>,
    /// When it was last onboarded, as Graph formats the time.
    pub last_onboarded_time: Option<String>,
    /// Live or sandbox.
    pub account_mode: Option<AccountMode>,
}

/// `paging.cursors` of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursors {
    /// The cursor before this page.
    pub before: Option<String>,
    /// The cursor after this page.
    pub after: Option<String>,
}

/// `paging` of a list: `next` is present only when another page follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// The cursors.
    pub cursors: Option<Cursors>,
    /// The URL of the next page, if any.
    pub next: Option<String>,
    /// The URL of the previous page, if any.
    pub previous: Option<String>,
}

/// One page of phone numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumberList {
    /// The numbers on this page.
    pub data: Vec<PhoneNumberInfo>,
    /// Where the neighbouring pages are.
    pub paging: Option<Paging>,
}

/// The cursor of the next page of a read [`PhoneNumberList`], when Meta says there is
/// one (a `next` link).
pub(crate) fn next_cursor(page: &Value) -> Option<&str> {
    let paging = page.get("paging")?;
    paging.get("next")?;
    paging.get("cursors")?.get("after")?.as_str()
}

/// Reads Graph's envelope, keyed on `code` as Meta asks (the HTTP status varies).
pub(crate) fn failure(response: &HttpResponse) -> Option<ProviderFailure> {
    let body = serde_json::from_slice::<Value>(&response.body).ok()?;
    let error = body.get("error")?;
    let text = |key: &str| error.get(key).and_then(Value::as_str);
    let code = error.get("code")?.as_i64()?;
    let subcode = error.get("error_subcode").and_then(Value::as_i64);
    let kind = match code {
        0 | 10 | 190 | 200..=299 => ErrorKind::Auth,
        4 | 17 | 80007 | 133016 => ErrorKind::RateLimited,
        133005 | 136025 => ErrorKind::VerificationFailed,
        100 => ErrorKind::InvalidRequest,
        _ => ErrorKind::Provider,
    };
    let mut message = text("message").unwrap_or("no message").to_owned();
    if let Some(subcode) = subcode {
        message.push_str(&format!(" (subcode {subcode})"));
    }
    let details = error.get("error_data").and_then(|d| d.get("details")).and_then(Value::as_str);
    for extra in [text("error_user_msg"), details].into_iter().flatten() {
        message.push_str(". ");
        message.push_str(extra);
    }
    if let Some(advice) = advice(code, subcode) {
        message.push_str(". ");
        message.push_str(advice);
    }
    Some(ProviderFailure {
        kind,
        provider_code: Some(code.to_string()),
        field: None,
        message,
        always_retryable: (kind == ErrorKind::RateLimited && code != 133016) || code == 133004,
    })
}

/// A 2xx `{"success": false}`: the write did not take effect, whatever the status says
/// (CONTRACT.md, "Results that only look like success"). Meta's message, when it gives
/// one (`error.message` or `message`), is kept.
pub(crate) fn unsuccessful(response: &HttpResponse) -> Option<ProviderFailure> {
    let body = serde_json::from_slice::<Value>(&response.body).ok()?;
    if body.get("success")? != &Value::Bool(false) {
        return None;
    }
    let said = body.pointer("/error/message").or_else(|| body.get("message")).and_then(Value::as_str);
    Some(ProviderFailure {
        kind: ErrorKind::Provider,
        provider_code: None,
        field: None,
        message: match said {
            Some(said) => format!("Meta answered success: false: {said}"),
            None => "Meta answered success: false, so the change did not take effect".to_owned(),
        },
        always_retryable: false,
    })
}

/// What to do about the codes onboarding meets most.
fn advice(code: i64, subcode: Option<i64>) -> Option<&'static str> {
    Some(match (code, subcode) {
        (133016, _) => {
            "The register/deregister limit for this number is used up: do not retry, wait for the window to pass"
        }
        (133005, _) => "The two-step PIN does not match the one set on the number",
        (136025, _) => "The code is wrong or expired: request a new one",
        (190, _) => "The access token is invalid or expired: get a new one",
        (100, Some(2388001)) => "The number must be verified and its display name approved before it can register",
        (133015, _) => "Wait about 5 minutes before trying again",
        (133006, _) => "The number needs to be verified again: request and verify a new code",
        (133004, _) => "Meta's server is temporarily unavailable: retry later",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(locale("en_US").unwrap(), "en_US");
        assert_eq!(locale("pt-br").unwrap(), "pt_BR");
        assert!(locale("en").is_err());
        assert!(locale("eng_US").is_err());
    }
}
