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
use crate::schema::{OperationSpec, Param, ParamKind, Rule};
use crate::shape::{Field, Kind, Shape};
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
pub(crate) const SUCCESS: Kind = Kind::Object(&Shape {
    name: "Success",
    doc: "`{\"success\": true}`: what every Meta write answers.",
    fields: &[Field::required("success", Kind::Bool, "Whether Meta did it.")],
});

/// `{"success": true}`: what every Meta write answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
        let body = code_request_body(self.code_method, &self.language)?;
        request(config, Method::Post, &[id, "request_code"], Vec::new(), body)
    }
}

/// `{"code_method":"SMS","language":"en_US"}`: what both kinds of `request_code` send.
fn code_request_body(method: DeliveryMethod, language: &str) -> Result<Option<String>, Error> {
    let code_method = match method {
        DeliveryMethod::Sms => "SMS",
        DeliveryMethod::Voice => "VOICE",
    };
    Ok(Body::new().text("code_method", code_method).text("language", &locale(language)?).finish())
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

/// The tiers Meta's spec lets register ask for (`V2TierName`).
const TIERS: &[&str] = &["PROD", "SANDBOX"];

/// POST `/{phone_number_id}/register`: registers the verified number for messaging with
/// its two-step PIN. Limited to 10 per number per week (seed 002); never retried
/// automatically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// The number's Graph ID.
    pub phone_number_id: String,
    /// The existing two-step PIN, or the one to set: 6 digits.
    pub pin: Secret,
    /// Where Meta stores the data at rest (`DE`, `IN`, …); fixed until the next
    /// deregistration. Meta's v23.0 spec marks it deprecated in v21+.
    pub data_localization_region: Option<String>,
    /// The On-Premises backup to migrate from (Meta's spec, "Migration Support").
    pub backup: Option<Backup>,
    /// `PROD` or `SANDBOX` (Meta's spec `V2TierName`).
    pub tier: Option<String>,
}

/// `backup` of register: the On-Premises API's backup of a number migrating to the Cloud
/// API. Both parts are kept out of Debug output like any secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    /// The password the backup was made with.
    pub password: Secret,
    /// The encrypted backup data, as the On-Premises API exported it.
    pub data: Secret,
}

impl Backup {
    fn from_json(map: &Map<String, Value>) -> Result<Backup, Error> {
        if let Some(key) = map.keys().find(|k| !["password", "data"].contains(&k.as_str())) {
            return Err(Error::validation(format!("backup.{key}"), "is not part of a backup (password, data)"));
        }
        let part = |name: &str| match map.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Secret::from(s.clone())),
            None | Some(Value::Null) => Err(Error::validation(format!("backup.{name}"), "is required")),
            Some(_) => Err(Error::validation(format!("backup.{name}"), "must be a non-empty string")),
        };
        Ok(Backup { password: part("password")?, data: part("data")? })
    }
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
        let tier = self.tier.as_deref().map(|t| validate::choice("tier", t, TIERS)).transpose()?;
        let backup = self.backup.as_ref().map(|b| {
            let parts = [("password", b.password.expose()), ("data", b.data.expose())];
            Value::Object(parts.into_iter().map(|(k, v)| (k.to_owned(), Value::from(v))).collect())
        });
        let body = Body::new().text("messaging_product", "whatsapp").text("pin", pin);
        let body = body.opt_text("data_localization_region", region).opt_value("backup", backup);
        request(config, Method::Post, &[id, "register"], Vec::new(), body.opt_text("tier", tier).finish())
    }
}

impl FromParams for Register {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(Register {
            phone_number_id: p.string("phone_number_id")?,
            pin: p.secret("pin")?,
            data_localization_region: p.opt_string("data_localization_region")?,
            backup: p.opt_object("backup")?.as_ref().map(Backup::from_json).transpose()?,
            tier: p.opt_string("tier")?,
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
/// turns it off). The body carries `messaging_product` as register's does: in Meta's spec
/// this path is also `/{group_id}`, whose body requires it (see docs/contract.md).
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
        let body = Body::new().text("messaging_product", "whatsapp").text("pin", validate::pin("pin", &self.pin)?);
        request(config, Method::Post, &[id], Vec::new(), body.finish())
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
        page_query(&mut query, self.limit, &self.after, &self.before)?;
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

/// POST `/{waba_id}/phone_numbers`: adds a number to the account, to verify next. Sends
/// `phone_number` as Meta's spec wants it, E.164 digits without `+` (`16315551000`), with
/// `cc` beside it.
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
    /// `true` when the number moves here from the On-Premises API.
    pub migrate_phone_number: Option<bool>,
    /// The pre-verified number this is, for a partner offering pre-verified numbers.
    pub preverified_id: Option<String>,
}

impl Endpoint for AddPhoneNumber {
    const OPERATION: Operation = Operation::MetaAddPhoneNumber;
    type Output = AddedPhoneNumber;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("waba_id", &self.waba_id)?;
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let verified_name = validate::text("verified_name", &self.verified_name, 2, 75)?;
        let preverified_id =
            self.preverified_id.as_deref().map(|i| validate::token_id("preverified_id", i)).transpose()?;
        let body = Body::new().text("cc", number.country_code()).text("phone_number", &number.digits());
        let body = body.text("verified_name", verified_name);
        let body = body.opt_value("migrate_phone_number", self.migrate_phone_number.map(Value::from));
        let body = body.opt_text("preverified_id", preverified_id).finish();
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
            migrate_phone_number: p.opt_bool("migrate_phone_number")?,
            preverified_id: p.opt_string("preverified_id")?,
        })
    }
}

/// How [`AddedPhoneNumber`] is read.
pub(crate) const ADDED_PHONE_NUMBER: Kind = Kind::Object(&Shape {
    name: "AddedPhoneNumber",
    doc: "`{\"id\": …}`: the new number's Graph ID.",
    fields: &[Field::required("id", Kind::Text, "The phone number ID to use in every other call.")],
});

/// `{"id": …}`: the new number's Graph ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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

const PHONE_NUMBER_INFO_SHAPE: &Shape = &Shape {
    name: "PhoneNumberInfo",
    doc: "A phone number as Graph describes it; only the requested fields are present.",
    fields: &[
        Field::required("id", Kind::Text, "The phone number ID."),
        Field::optional("display_phone_number", Kind::Text, "The number formatted for people, e.g. `+1 631-555-1111`."),
        Field::optional("verified_name", Kind::Text, "The approved display name."),
        Field::optional(
            "code_verification_status",
            Kind::OpenEnum(CodeVerificationStatus::VALUES),
            "Whether the number has been verified by code.",
        ),
        Field::optional("quality_rating", Kind::OpenEnum(QualityRating::VALUES), "Message quality."),
        Field::optional("platform_type", Kind::OpenEnum(PlatformType::VALUES), "Where it is hosted."),
        Field::optional(
            "throughput",
            Kind::Object(&Shape {
                name: "Throughput",
                doc: "`throughput` of a phone number.",
                fields: &[Field::optional("level", Kind::OpenEnum(ThroughputLevel::VALUES), "The level.")],
            }),
            "Its throughput.",
        ),
        Field::optional(
            "webhook_configuration",
            Kind::Object(&Shape {
                name: "WebhookConfiguration",
                doc: "`webhook_configuration` of a phone number.",
                fields: &[Field::optional("application", Kind::Text, "The URL webhooks go to.")],
            }),
            "Where its webhooks go.",
        ),
        Field::optional("name_status", Kind::OpenEnum(NameStatus::VALUES), "The display name's review state."),
        Field::optional(
            "new_name_status",
            Kind::OpenEnum(NameStatus::VALUES),
            "The review state of a requested new name.",
        ),
        Field::optional("certificate", Kind::Text, "The display name certificate."),
        Field::optional("new_certificate", Kind::Text, "The certificate of a requested new name."),
        Field::optional("last_onboarded_time", Kind::Text, "When it was last onboarded, as Graph formats the time."),
        Field::optional("account_mode", Kind::OpenEnum(AccountMode::VALUES), "Live or sandbox."),
    ],
};

/// How [`PhoneNumberInfo`] is read.
pub(crate) const PHONE_NUMBER_INFO: Kind = Kind::Object(PHONE_NUMBER_INFO_SHAPE);

/// How [`PhoneNumberList`] is read: Graph wraps the numbers in `data`; seed 003 also shows
/// them as a bare list, which reads as `data` (a judgement call in docs/contract.md).
pub(crate) const PHONE_NUMBER_LIST: Kind = Kind::BareOr(
    "data",
    &Shape {
        name: "PhoneNumberList",
        doc: "One page of phone numbers.",
        fields: &[
            Field::required("data", Kind::List(PHONE_NUMBER_INFO_SHAPE), "The numbers on this page."),
            Field::optional("paging", PAGING, "Where the neighbouring pages are."),
        ],
    },
);

/// `throughput` of a phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Throughput {
    /// The level.
    pub level: Option<ThroughputLevel>,
}

/// `webhook_configuration` of a phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookConfiguration {
    /// The URL webhooks go to.
    pub application: Option<String>,
}

/// A phone number as Graph describes it; only the requested fields are present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Cursors {
    /// The cursor before this page.
    pub before: Option<String>,
    /// The cursor after this page.
    pub after: Option<String>,
}

/// `paging` of a list: `next` is present only when another page follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[non_exhaustive]
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
        fbtrace_id: text("fbtrace_id").map(str::to_owned),
        error_subcode: subcode,
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
        fbtrace_id: body.pointer("/error/fbtrace_id").and_then(Value::as_str).map(str::to_owned),
        error_subcode: body.pointer("/error/error_subcode").and_then(Value::as_i64),
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

// ---------------------------------------------------------------------------------------
// Pre-verified phone numbers: numbers a business (usually a partner) verifies ahead of
// time, keeps in a pool and shares with client businesses, which then onboard them
// without waiting for a code (Meta's spec, tags "Business Phone Numbers" and
// "Pre-Verified Phone Numbers"). Their IDs are Graph node IDs like any other.
// ---------------------------------------------------------------------------------------

/// How `paging` of a Graph list is read.
const PAGING: Kind = Kind::Object(&Shape {
    name: "Paging",
    doc: "`paging` of a list: `next` is present only when another page follows.",
    fields: &[
        Field::optional(
            "cursors",
            Kind::Object(&Shape {
                name: "Cursors",
                doc: "`paging.cursors` of a list.",
                fields: &[
                    Field::optional("before", Kind::Text, "The cursor before this page."),
                    Field::optional("after", Kind::Text, "The cursor after this page."),
                ],
            }),
            "The cursors.",
        ),
        Field::optional("next", Kind::Text, "The URL of the next page, if any."),
        Field::optional("previous", Kind::Text, "The URL of the previous page, if any."),
    ],
});

/// `limit`, `after` and `before` of a Graph list, checked and added to `query`.
fn page_query(
    query: &mut Vec<(&'static str, String)>,
    limit: Option<u64>,
    after: &Option<String>,
    before: &Option<String>,
) -> Result<(), Error> {
    if let Some(limit) = limit {
        if !(1..=100).contains(&limit) {
            return Err(Error::validation("limit", "must be from 1 to 100"));
        }
        query.push(("limit", limit.to_string()));
    }
    for (name, cursor) in [("after", after), ("before", before)] {
        if let Some(cursor) = cursor {
            if cursor.is_empty() || cursor.len() > 1024 || !cursor.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::validation(name, "must be a paging cursor as Meta returned it"));
            }
            query.push((name, cursor.clone()));
        }
    }
    Ok(())
}

/// The filter values `verification_status` takes (the spec's `PhoneNumberVerificationStatus`).
const PREVERIFIED_STATUSES: &[&str] = PreverifiedStatus::VALUES;
/// The filter values `availability_status` takes (`PhoneNumberAvailabilityStatus`).
const AVAILABILITY_STATUSES: &[&str] = AvailabilityStatus::VALUES;

/// POST `/{business_id}/add_phone_numbers`: adds a number to the business's pool of
/// pre-verified numbers, to verify next with [`RequestPreverifiedCode`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddPreverifiedNumber {
    /// The business's ID.
    pub business_id: String,
    /// The number as a person writes it; sent in E.164 with `+`, as the spec asks.
    pub phone_number: String,
    /// How to read a number written without `+`: an ISO region such as `US`.
    pub country: Option<String>,
}

impl Endpoint for AddPreverifiedNumber {
    const OPERATION: Operation = Operation::MetaAddPreverifiedNumber;
    type Output = AddedPhoneNumber;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("business_id", &self.business_id)?;
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let body = Body::new().text("phone_number", &number.e164()).finish();
        request(config, Method::Post, &[id, "add_phone_numbers"], Vec::new(), body)
    }
}

impl FromParams for AddPreverifiedNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(AddPreverifiedNumber {
            business_id: p.string("business_id")?,
            phone_number: p.string("phone_number")?,
            country: p.opt_string("country")?,
        })
    }
}

/// GET `/{business_id}/preverified_numbers`: one page of the business's pre-verified
/// numbers, optionally filtered; `paging.cursors.after` leads to the next page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPreverifiedNumbers {
    /// The business's ID.
    pub business_id: String,
    /// The fields to return for each number; Meta's default set (`id`,
    /// `display_phone_number`, `verification_status`) when `None`.
    pub fields: Option<Vec<String>>,
    /// Numbers per page, 1 to 100 (Meta's default 25).
    pub limit: Option<u64>,
    /// The cursor of the page to read after.
    pub after: Option<String>,
    /// The cursor of the page to read before.
    pub before: Option<String>,
    /// Only numbers in this state: `VERIFIED`, `PENDING`, `FAILED` or `EXPIRED`.
    pub verification_status: Option<String>,
    /// Only numbers in this state: `AVAILABLE`, `IN_USE`, `RESERVED` or `UNAVAILABLE`.
    pub availability_status: Option<String>,
    /// Only numbers of this country: an ISO 3166 region such as `US`.
    pub country_code: Option<String>,
}

impl Endpoint for ListPreverifiedNumbers {
    const OPERATION: Operation = Operation::MetaListPreverifiedNumbers;
    type Output = PreverifiedNumberList;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("business_id", &self.business_id)?;
        let mut query = Vec::new();
        if let Some(fields) = fields_query(&self.fields)? {
            query.push(("fields", fields));
        }
        page_query(&mut query, self.limit, &self.after, &self.before)?;
        if let Some(status) = &self.verification_status {
            query.push((
                "verification_status",
                validate::choice("verification_status", status, PREVERIFIED_STATUSES)?.into(),
            ));
        }
        if let Some(status) = &self.availability_status {
            let status = validate::choice("availability_status", status, AVAILABILITY_STATUSES)?;
            query.push(("availability_status", status.into()));
        }
        if let Some(region) = &self.country_code {
            if crate::phone::region_calling_code(region).is_none() {
                return Err(Error::validation("country_code", "must be an ISO 3166 region code such as `US`"));
            }
            query.push(("country_code", region.to_ascii_uppercase()));
        }
        request(config, Method::Get, &[id, "preverified_numbers"], query, None)
    }
}

impl FromParams for ListPreverifiedNumbers {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(ListPreverifiedNumbers {
            business_id: p.string("business_id")?,
            fields: p.opt_strings("fields")?,
            limit: p.opt_uint("limit")?,
            after: p.opt_string("after")?,
            before: p.opt_string("before")?,
            verification_status: p.opt_string("verification_status")?,
            availability_status: p.opt_string("availability_status")?,
            country_code: p.opt_string("country_code")?,
        })
    }
}

/// GET `/{preverified_id}`: whether the ID names a valid pre-verified number, and the
/// number it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPreverifiedNumber {
    /// The pre-verified number's ID.
    pub preverified_id: String,
    /// The fields to return; Meta's default set (`id`, `is_input_id_valid`) when `None`.
    pub fields: Option<Vec<String>>,
}

impl Endpoint for GetPreverifiedNumber {
    const OPERATION: Operation = Operation::MetaGetPreverifiedNumber;
    type Output = PreverifiedNumberCheck;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("preverified_id", &self.preverified_id)?;
        let query = fields_query(&self.fields)?.map(|f| ("fields", f)).into_iter().collect();
        request(config, Method::Get, &[id], query, None)
    }
}

impl FromParams for GetPreverifiedNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(GetPreverifiedNumber { preverified_id: p.string("preverified_id")?, fields: p.opt_strings("fields")? })
    }
}

/// DELETE `/{preverified_id}`: removes the number from the pool for good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletePreverifiedNumber {
    /// The pre-verified number's ID.
    pub preverified_id: String,
}

impl Endpoint for DeletePreverifiedNumber {
    const OPERATION: Operation = Operation::MetaDeletePreverifiedNumber;
    type Output = Deleted;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("preverified_id", &self.preverified_id)?;
        request(config, Method::Delete, &[id], Vec::new(), None)
    }
}

impl FromParams for DeletePreverifiedNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(DeletePreverifiedNumber { preverified_id: p.string("preverified_id")? })
    }
}

/// POST `/{preverified_id}/request_code`: sends a one-time code to the pre-verified
/// number by SMS or voice call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestPreverifiedCode {
    /// The pre-verified number's ID.
    pub preverified_id: String,
    /// SMS or voice call.
    pub code_method: DeliveryMethod,
    /// The language of the message, as `en_US` (`en-us` is accepted).
    pub language: String,
}

impl Endpoint for RequestPreverifiedCode {
    const OPERATION: Operation = Operation::MetaRequestPreverifiedCode;
    type Output = Success;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("preverified_id", &self.preverified_id)?;
        let body = code_request_body(self.code_method, &self.language)?;
        request(config, Method::Post, &[id, "request_code"], Vec::new(), body)
    }
}

impl FromParams for RequestPreverifiedCode {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(RequestPreverifiedCode {
            preverified_id: p.string("preverified_id")?,
            code_method: p.method("code_method")?,
            language: p.string("language")?,
        })
    }
}

/// POST `/{preverified_id}/verify_code`: proves the pre-verified number with the code it
/// received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyPreverifiedCode {
    /// The pre-verified number's ID.
    pub preverified_id: String,
    /// The 6-digit code; `123-456` and `123 456` are accepted.
    pub code: Secret,
}

impl Endpoint for VerifyPreverifiedCode {
    const OPERATION: Operation = Operation::MetaVerifyPreverifiedCode;
    type Output = Success;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("preverified_id", &self.preverified_id)?;
        let code = validate::otp_code("code", &self.code)?;
        let body = Body::new().text("code", code.expose()).finish();
        request(config, Method::Post, &[id, "verify_code"], Vec::new(), body)
    }
}

impl FromParams for VerifyPreverifiedCode {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(VerifyPreverifiedCode { preverified_id: p.string("preverified_id")?, code: p.secret("code")? })
    }
}

/// GET `/{preverified_id}/partners`: one page of the businesses the number is shared with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPreverifiedPartners {
    /// The pre-verified number's ID.
    pub preverified_id: String,
    /// The fields to return for each business; Meta's default set (`id`, `name`) when `None`.
    pub fields: Option<Vec<String>>,
    /// Businesses per page, 1 to 100 (Meta's default 25).
    pub limit: Option<u64>,
    /// The cursor of the page to read after.
    pub after: Option<String>,
    /// The cursor of the page to read before.
    pub before: Option<String>,
}

impl Endpoint for ListPreverifiedPartners {
    const OPERATION: Operation = Operation::MetaListPreverifiedPartners;
    type Output = PartnerList;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("preverified_id", &self.preverified_id)?;
        let mut query = Vec::new();
        if let Some(fields) = fields_query(&self.fields)? {
            query.push(("fields", fields));
        }
        page_query(&mut query, self.limit, &self.after, &self.before)?;
        request(config, Method::Get, &[id, "partners"], query, None)
    }
}

impl FromParams for ListPreverifiedPartners {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(ListPreverifiedPartners {
            preverified_id: p.string("preverified_id")?,
            fields: p.opt_strings("fields")?,
            limit: p.opt_uint("limit")?,
            after: p.opt_string("after")?,
            before: p.opt_string("before")?,
        })
    }
}

/// POST `/{business_id}/share_preverified_numbers`: lets a partner business use one of
/// the business's pre-verified numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharePreverifiedNumber {
    /// The ID of the business that owns the number (or may share it).
    pub business_id: String,
    /// The pre-verified number's ID.
    pub preverified_id: String,
    /// The ID of the business that receives it.
    pub partner_business_id: String,
}

impl Endpoint for SharePreverifiedNumber {
    const OPERATION: Operation = Operation::MetaSharePreverifiedNumber;
    type Output = Success;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = validate::numeric_id("business_id", &self.business_id)?;
        let preverified_id = validate::numeric_id("preverified_id", &self.preverified_id)?;
        let partner = validate::numeric_id("partner_business_id", &self.partner_business_id)?;
        let body = Body::new().text("preverified_id", preverified_id).text("partner_business_id", partner).finish();
        request(config, Method::Post, &[id, "share_preverified_numbers"], Vec::new(), body)
    }
}

impl FromParams for SharePreverifiedNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(SharePreverifiedNumber {
            business_id: p.string("business_id")?,
            preverified_id: p.string("preverified_id")?,
            partner_business_id: p.string("partner_business_id")?,
        })
    }
}

open_enum! {
    /// Where a pre-verified number stands in its verification.
    pub enum PreverifiedStatus {
        /// Verified: ready to onboard.
        Verified = "VERIFIED",
        /// Waiting for its code.
        Pending = "PENDING",
        /// The verification failed.
        Failed = "FAILED",
        /// The verification lapsed.
        Expired = "EXPIRED",
    }
}

open_enum! {
    /// Whether a pre-verified number can be given to a business.
    pub enum AvailabilityStatus {
        /// Free to use.
        Available = "AVAILABLE",
        /// Used by a business.
        InUse = "IN_USE",
        /// Held for a business.
        Reserved = "RESERVED",
        /// Not usable.
        Unavailable = "UNAVAILABLE",
    }
}

open_enum! {
    /// A WhatsApp Business feature a pre-verified number supports.
    pub enum BusinessFeature {
        /// Sending and receiving messages.
        Messaging = "MESSAGING",
        /// A business profile.
        BusinessProfile = "BUSINESS_PROFILE",
        /// Webhooks.
        Webhooks = "WEBHOOKS",
        /// Message templates.
        Templates = "TEMPLATES",
        /// Analytics.
        Analytics = "ANALYTICS",
        /// Commerce.
        Commerce = "COMMERCE",
        /// Flows.
        Flows = "FLOWS",
    }
}

open_enum! {
    /// Whether Meta verified a partner business (Meta spells these in lower case).
    pub enum BusinessVerificationStatus {
        /// Not verified.
        NotVerified = "not_verified",
        /// In review.
        Pending = "pending",
        /// Verified.
        Verified = "verified",
    }
}

open_enum! {
    /// The two-factor authentication a partner business requires.
    pub enum TwoFactorType {
        /// None.
        None = "none",
        /// Required for admins.
        AdminRequired = "admin_required",
    }
}

const PREVERIFIED_NUMBER_SHAPE: &Shape = &Shape {
    name: "PreverifiedNumber",
    doc: "A pre-verified number as a list describes it; only the requested fields are present.",
    fields: &[
        Field::required("id", Kind::Text, "The pre-verified number's ID."),
        Field::optional(
            "display_phone_number",
            Kind::Text,
            "The number formatted for people, e.g. `+1 (555) 123-4567`.",
        ),
        Field::optional("country_prefix", Kind::Int, "The country calling code, e.g. `1`."),
        Field::optional(
            "verification_status",
            Kind::OpenEnum(PreverifiedStatus::VALUES),
            "Where its verification stands.",
        ),
        Field::optional(
            "availability_status",
            Kind::OpenEnum(AvailabilityStatus::VALUES),
            "Whether it can be given to a business.",
        ),
        Field::optional("created_time", Kind::Text, "When it was pre-verified (ISO 8601)."),
        Field::optional("last_updated", Kind::Text, "When it last changed (ISO 8601)."),
        Field::optional("supported_features", Kind::Texts, "The features it supports."),
        Field::optional("country_code", Kind::Text, "Its country: an ISO 3166 region such as `US`."),
        Field::optional("region", Kind::Text, "Its geographic region, e.g. `North America`."),
    ],
};

/// How [`PreverifiedNumberList`] is read.
pub(crate) const PREVERIFIED_NUMBER_LIST: Kind = Kind::Object(&Shape {
    name: "PreverifiedNumberList",
    doc: "One page of pre-verified numbers.",
    fields: &[
        Field::required("data", Kind::List(PREVERIFIED_NUMBER_SHAPE), "The numbers on this page."),
        Field::optional("paging", PAGING, "Where the neighbouring pages are."),
    ],
});

/// A pre-verified number as a list describes it; only the requested fields are present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PreverifiedNumber {
    /// The pre-verified number's ID.
    pub id: String,
    /// The number formatted for people, e.g. `+1 (555) 123-4567`.
    pub display_phone_number: Option<String>,
    /// The country calling code, e.g. `1`.
    pub country_prefix: Option<i64>,
    /// Where its verification stands.
    pub verification_status: Option<PreverifiedStatus>,
    /// Whether it can be given to a business.
    pub availability_status: Option<AvailabilityStatus>,
    /// When it was pre-verified (ISO 8601).
    pub created_time: Option<String>,
    /// When it last changed (ISO 8601).
    pub last_updated: Option<String>,
    /// The features it supports.
    pub supported_features: Option<Vec<BusinessFeature>>,
    /// Its country: an ISO 3166 region such as `US`.
    pub country_code: Option<String>,
    /// Its geographic region, e.g. `North America`.
    pub region: Option<String>,
}

/// One page of pre-verified numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PreverifiedNumberList {
    /// The numbers on this page.
    pub data: Vec<PreverifiedNumber>,
    /// Where the neighbouring pages are.
    pub paging: Option<Paging>,
}

/// How [`PreverifiedNumberCheck`] is read.
pub(crate) const PREVERIFIED_NUMBER_CHECK: Kind = Kind::Object(&Shape { name: "PreverifiedNumberCheck", doc: "What Meta says about a pre-verified number's ID (the spec's `PreVerifiedPhoneNumberValidation`); only the requested fields are present, and the spec requires none but `is_input_id_valid`, which `fields` can leave out.", fields: &[
    Field::optional("id", Kind::Text, "The pre-verified number's ID."),
    Field::optional("country_prefix", Kind::Int, "The country calling code, e.g. `1`."),
    Field::optional("display_phone_number", Kind::Text, "The number formatted for people."),
    Field::optional("error_msg", Kind::Text, "Why the ID is not valid, when it is not."),
    Field::optional("is_input_id_valid", Kind::Bool, "Whether the ID names a valid pre-verified number."),
] });

/// What Meta says about a pre-verified number's ID (the spec's
/// `PreVerifiedPhoneNumberValidation`); only the requested fields are present, and the
/// spec requires none but `is_input_id_valid`, which `fields` can leave out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PreverifiedNumberCheck {
    /// The pre-verified number's ID.
    pub id: Option<String>,
    /// The country calling code, e.g. `1`.
    pub country_prefix: Option<i64>,
    /// The number formatted for people.
    pub display_phone_number: Option<String>,
    /// Why the ID is not valid, when it is not.
    pub error_msg: Option<String>,
    /// Whether the ID names a valid pre-verified number.
    pub is_input_id_valid: Option<bool>,
}

/// How [`Deleted`] is read.
pub(crate) const DELETED: Kind = Kind::Object(&Shape {
    name: "Deleted",
    doc: "What a delete answers: `success`, which Meta's spec does not promise to send.",
    fields: &[Field::optional("success", Kind::Bool, "Whether Meta did it, when it says.")],
});

/// What a delete answers: `success`, which Meta's spec does not promise to send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Deleted {
    /// Whether Meta did it, when it says.
    pub success: Option<bool>,
}

const PARTNER_SHAPE: &Shape = &Shape {
    name: "Partner",
    doc: "A business a pre-verified number is shared with; only the requested fields are present.",
    fields: &[
        Field::required("id", Kind::Text, "The business's ID."),
        Field::optional("name", Kind::Text, "Its name."),
        Field::optional("created_time", Kind::Text, "When it was created (ISO 8601)."),
        Field::optional("updated_time", Kind::Text, "When it last changed (ISO 8601)."),
        Field::optional(
            "verification_status",
            Kind::OpenEnum(BusinessVerificationStatus::VALUES),
            "Whether Meta verified it.",
        ),
        Field::optional("primary_page", Kind::Id, "The ID of its main Facebook Page."),
        Field::optional("timezone_id", Kind::Int, "Its time zone, as Meta numbers them."),
        Field::optional(
            "two_factor_type",
            Kind::OpenEnum(TwoFactorType::VALUES),
            "The two-factor authentication it requires.",
        ),
    ],
};

/// How [`PartnerList`] is read.
pub(crate) const PARTNER_LIST: Kind = Kind::Object(&Shape {
    name: "PartnerList",
    doc: "One page of the businesses a pre-verified number is shared with.",
    fields: &[
        Field::required("data", Kind::List(PARTNER_SHAPE), "The businesses on this page."),
        Field::optional("paging", PAGING, "Where the neighbouring pages are."),
    ],
});

/// A business a pre-verified number is shared with; only the requested fields are present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Partner {
    /// The business's ID.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// When it was created (ISO 8601).
    pub created_time: Option<String>,
    /// When it last changed (ISO 8601).
    pub updated_time: Option<String>,
    /// Whether Meta verified it.
    pub verification_status: Option<BusinessVerificationStatus>,
    /// The ID of its main Facebook Page.
    pub primary_page: Option<String>,
    /// Its time zone, as Meta numbers them.
    pub timezone_id: Option<i64>,
    /// The two-factor authentication it requires.
    pub two_factor_type: Option<TwoFactorType>,
}

/// One page of the businesses a pre-verified number is shared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PartnerList {
    /// The businesses on this page.
    pub data: Vec<Partner>,
    /// Where the neighbouring pages are.
    pub paging: Option<Paging>,
}

// ---------------------------------------------------------------------------------------
// The operations as data, for crate::schema: what the generated surfaces and docs say of
// each. core/tests/schema.rs holds every rule here to what `prepare` above does.
// ---------------------------------------------------------------------------------------

const PHONE_NUMBER_ID: Param = Param {
    name: "phone_number_id",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::NumericId,
    doc: "The number's Graph ID.",
};
const WABA_ID: Param = Param {
    name: "waba_id",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::NumericId,
    doc: "The WhatsApp Business Account's ID.",
};
const BUSINESS_ID: Param = Param {
    name: "business_id",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::NumericId,
    doc: "The business's ID.",
};
const PREVERIFIED_ID: Param = Param {
    name: "preverified_id",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::NumericId,
    doc: "The pre-verified number's ID.",
};
const CODE_METHOD: Param = Param {
    name: "code_method",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::OneOf(DeliveryMethod::VALUES),
    doc: "How the code is sent: by SMS or by a voice call.",
};
const LANGUAGE: Param = Param {
    name: "language",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::Locale,
    doc: "The language of the message.",
};
const CODE: Param = Param {
    name: "code",
    kind: ParamKind::Secret,
    required: true,
    rule: Rule::Code,
    doc: "The code the number received.",
};
const PIN: Param = Param {
    name: "pin",
    kind: ParamKind::Secret,
    required: true,
    rule: Rule::Pin,
    doc: "The two-step PIN: the existing one, or the one to set.",
};
const FIELDS: Param = Param {
    name: "fields",
    kind: ParamKind::Texts,
    required: false,
    rule: Rule::GraphField,
    doc: "The fields Graph should return; its defaults when absent.",
};
const LIMIT: Param = Param {
    name: "limit",
    kind: ParamKind::Int,
    required: false,
    rule: Rule::Range(1, 100),
    doc: "How many items a page holds at most.",
};
const AFTER: Param = Param {
    name: "after",
    kind: ParamKind::Text,
    required: false,
    rule: Rule::Cursor,
    doc: "The cursor of the page to read after (`paging.cursors.after`).",
};
const BEFORE: Param = Param {
    name: "before",
    kind: ParamKind::Text,
    required: false,
    rule: Rule::Cursor,
    doc: "The cursor of the page to read before (`paging.cursors.before`).",
};
const PHONE_NUMBER: Param = Param {
    name: "phone_number",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::PhoneNumber,
    doc: "The number as a person writes it.",
};
const COUNTRY: Param = Param {
    name: "country",
    kind: ParamKind::Text,
    required: false,
    rule: Rule::Region,
    doc: "How to read a number written without `+` or `00`: its region.",
};
/// A member of a `filtering` condition.
const fn filter_member(name: &'static str, doc: &'static str) -> Param {
    Param { name, kind: ParamKind::Text, required: true, rule: Rule::Printable(1, 256), doc }
}

/// Meta's operations, in the contract's order.
pub(crate) const OPERATIONS: &[OperationSpec] = &[
    OperationSpec {
        operation: Operation::MetaRequestCode,
        method: Method::Post,
        path: "/{phone_number_id}/request_code",
        summary: "Sends a one-time code to the number by SMS or voice call.",
        params: &[PHONE_NUMBER_ID, CODE_METHOD, LANGUAGE],
    },
    OperationSpec {
        operation: Operation::MetaVerifyCode,
        method: Method::Post,
        path: "/{phone_number_id}/verify_code",
        summary: "Proves the number with the code it received.",
        params: &[PHONE_NUMBER_ID, CODE],
    },
    OperationSpec {
        operation: Operation::MetaRegister,
        method: Method::Post,
        path: "/{phone_number_id}/register",
        summary: "Registers the verified number for messaging with its two-step PIN (at most 10 a week).",
        params: &[
            PHONE_NUMBER_ID,
            PIN,
            Param {
                name: "data_localization_region",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::OneOf(DATA_LOCALIZATION_REGIONS),
                doc: "Where Meta stores the data at rest; deprecated by Meta in v21+.",
            },
            Param {
                name: "backup",
                kind: ParamKind::Object(
                    "Backup",
                    &[
                        Param {
                            name: "password",
                            kind: ParamKind::Secret,
                            required: true,
                            rule: Rule::Any,
                            doc: "The password the backup was made with.",
                        },
                        Param {
                            name: "data",
                            kind: ParamKind::Secret,
                            required: true,
                            rule: Rule::Any,
                            doc: "The encrypted backup data, as the On-Premises API exported it.",
                        },
                    ],
                ),
                required: false,
                rule: Rule::Any,
                doc: "The On-Premises API's backup of a number migrating to the Cloud API.",
            },
            Param {
                name: "tier",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::OneOf(TIERS),
                doc: "The tier to register in.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::MetaDeregister,
        method: Method::Post,
        path: "/{phone_number_id}/deregister",
        summary: "Takes the number off the Cloud API (at most 10 a week).",
        params: &[PHONE_NUMBER_ID],
    },
    OperationSpec {
        operation: Operation::MetaSetTwoStepPin,
        method: Method::Post,
        path: "/{phone_number_id}",
        summary: "Sets or changes the number's two-step PIN.",
        params: &[PHONE_NUMBER_ID, Param { doc: "The new two-step PIN.", ..PIN }],
    },
    OperationSpec {
        operation: Operation::MetaGetPhoneNumber,
        method: Method::Get,
        path: "/{phone_number_id}",
        summary: "The number as Graph describes it.",
        params: &[PHONE_NUMBER_ID, FIELDS],
    },
    OperationSpec {
        operation: Operation::MetaListPhoneNumbers,
        method: Method::Get,
        path: "/{waba_id}/phone_numbers",
        summary: "One page of the account's phone numbers.",
        params: &[
            WABA_ID,
            FIELDS,
            Param {
                name: "filtering",
                kind: ParamKind::Objects(
                    "Filter",
                    &[
                        filter_member("field", "The field to compare, e.g. `account_mode`."),
                        filter_member("operator", "How to compare, e.g. `EQUAL`."),
                        filter_member("value", "What to compare with, e.g. `SANDBOX`."),
                    ],
                ),
                required: false,
                rule: Rule::Any,
                doc: "Only the numbers that meet every condition.",
            },
            Param {
                name: "sort",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::OneOf(SORT_ORDERS),
                doc: "The order of the numbers.",
            },
            LIMIT,
            AFTER,
            BEFORE,
        ],
    },
    OperationSpec {
        operation: Operation::MetaAddPhoneNumber,
        method: Method::Post,
        path: "/{waba_id}/phone_numbers",
        summary: "Adds a number to the account; answers the phone number ID every other call takes.",
        params: &[
            WABA_ID,
            PHONE_NUMBER,
            Param {
                name: "verified_name",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::Chars(2, 75),
                doc: "The display name to review.",
            },
            COUNTRY,
            Param {
                name: "migrate_phone_number",
                kind: ParamKind::Bool,
                required: false,
                rule: Rule::Any,
                doc: "Whether the number moves here from the On-Premises API.",
            },
            Param {
                name: "preverified_id",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::TokenId,
                doc: "The pre-verified number this is, to onboard it without a code.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::MetaAddPreverifiedNumber,
        method: Method::Post,
        path: "/{business_id}/add_phone_numbers",
        summary: "Adds a number to the business's pool of pre-verified numbers.",
        params: &[BUSINESS_ID, PHONE_NUMBER, COUNTRY],
    },
    OperationSpec {
        operation: Operation::MetaListPreverifiedNumbers,
        method: Method::Get,
        path: "/{business_id}/preverified_numbers",
        summary: "One page of the business's pre-verified numbers.",
        params: &[
            BUSINESS_ID,
            FIELDS,
            LIMIT,
            AFTER,
            BEFORE,
            Param {
                name: "verification_status",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::OneOf(PREVERIFIED_STATUSES),
                doc: "Only numbers in this state of verification.",
            },
            Param {
                name: "availability_status",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::OneOf(AVAILABILITY_STATUSES),
                doc: "Only numbers this available.",
            },
            Param { name: "country_code", doc: "Only numbers of this country.", ..COUNTRY },
        ],
    },
    OperationSpec {
        operation: Operation::MetaGetPreverifiedNumber,
        method: Method::Get,
        path: "/{preverified_id}",
        summary: "What Meta says of a pre-verified number's ID.",
        params: &[PREVERIFIED_ID, FIELDS],
    },
    OperationSpec {
        operation: Operation::MetaDeletePreverifiedNumber,
        method: Method::Delete,
        path: "/{preverified_id}",
        summary: "Removes a number from the pool of pre-verified numbers.",
        params: &[PREVERIFIED_ID],
    },
    OperationSpec {
        operation: Operation::MetaRequestPreverifiedCode,
        method: Method::Post,
        path: "/{preverified_id}/request_code",
        summary: "Sends a one-time code to a pre-verified number by SMS or voice call.",
        params: &[PREVERIFIED_ID, CODE_METHOD, LANGUAGE],
    },
    OperationSpec {
        operation: Operation::MetaVerifyPreverifiedCode,
        method: Method::Post,
        path: "/{preverified_id}/verify_code",
        summary: "Proves a pre-verified number with the code it received.",
        params: &[PREVERIFIED_ID, CODE],
    },
    OperationSpec {
        operation: Operation::MetaListPreverifiedPartners,
        method: Method::Get,
        path: "/{preverified_id}/partners",
        summary: "One page of the businesses a pre-verified number is shared with.",
        params: &[PREVERIFIED_ID, FIELDS, LIMIT, AFTER, BEFORE],
    },
    OperationSpec {
        operation: Operation::MetaSharePreverifiedNumber,
        method: Method::Post,
        path: "/{business_id}/share_preverified_numbers",
        summary: "Shares a pre-verified number with a partner business.",
        params: &[
            BUSINESS_ID,
            PREVERIFIED_ID,
            Param { name: "partner_business_id", doc: "The business to share it with.", ..BUSINESS_ID },
        ],
    },
];

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
