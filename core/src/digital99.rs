//! The 99digital Partners API.
//!
//! Every answer carries `status` (`OK`/`FAIL`) and a `reason` code whose meaning depends on
//! the endpoint; the HTTP status is not documented, so `status` is the truth: an HTTP 200
//! with `FAIL` is an error.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::endpoint::{Body, RequestParts};
use crate::error::ProviderFailure;
use crate::params::{FromParams, Params};
use crate::schema::{OperationSpec, Param, ParamKind, Rule};
use crate::shape::{Field, Kind, Shape};
use crate::validate::{self, DeliveryMethod};
use crate::{Config, Endpoint, Error, ErrorKind, HttpRequest, HttpResponse, Method, Operation, Secret};

/// 99digital's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://partners.99digital.co.il";

fn request(
    config: &Config,
    method: Method,
    segments: &[&str],
    body: Option<String>,
    authorization: Option<String>,
) -> Result<HttpRequest, Error> {
    let base = config.base(DEFAULT_BASE_URL)?;
    Ok(RequestParts { method, base, segments, query: Vec::new(), body }.build(authorization))
}

/// How [`AccessToken`] is read.
pub(crate) const ACCESS_TOKEN: Kind = Kind::Object(&Shape {
    name: "AccessToken",
    doc: "A fresh access token, valid for an hour.",
    fields: &[
        Field::optional("status", Kind::Text, "`OK`."),
        Field::optional("reason", Kind::Int, "`1`."),
        Field::required("access_token", Kind::Text, "The bearer token for every other call."),
        Field::optional("expiration_time", Kind::Int, "When it stops working, in Unix seconds."),
        Field::optional("token_type", Kind::Text, "`Bearer`."),
    ],
});

/// A fresh access token, valid for an hour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccessToken {
    /// `OK`.
    pub status: Option<String>,
    /// `1`.
    pub reason: Option<i64>,
    /// The bearer token for every other call.
    pub access_token: Secret,
    /// When it stops working, in Unix seconds.
    pub expiration_time: Option<i64>,
    /// `Bearer`.
    pub token_type: Option<String>,
}

/// POST `/api/settings/accessToken`: trades the client ID and secret for an access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestAccessToken {
    /// The partner's client ID.
    pub client_id: String,
    /// The partner's client secret.
    pub client_secret: Secret,
}

impl Endpoint for RequestAccessToken {
    const OPERATION: Operation = Operation::Digital99AccessToken;
    type Output = AccessToken;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        validate::required("client_id", &self.client_id, 256)?;
        if self.client_secret.expose().is_empty() {
            return Err(Error::validation("client_secret", "is required"));
        }
        let body = Body::new().text("client_id", &self.client_id).text("client_secret", self.client_secret.expose());
        request(config, Method::Post, &["api", "settings", "accessToken"], body.finish(), None)
    }
}

impl FromParams for RequestAccessToken {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(RequestAccessToken { client_id: p.string("client_id")?, client_secret: p.secret("client_secret")? })
    }
}

/// How [`NumberOutcome`] is read.
pub(crate) const NUMBER_OUTCOME: Kind = Kind::Object(&Shape {
    name: "NumberOutcome",
    doc: "`{status, whatsapp, reason}`: what register and delete answer.",
    fields: &[
        Field::optional("status", Kind::Text, "`OK`."),
        Field::optional("whatsapp", Kind::Id, "The number, digits with country code."),
        Field::optional("reason", Kind::Int, "`1`."),
    ],
});

/// `{status, whatsapp, reason}`: what register and delete answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NumberOutcome {
    /// `OK`.
    pub status: Option<String>,
    /// The number, digits with country code.
    pub whatsapp: Option<String>,
    /// `1`.
    pub reason: Option<i64>,
}

/// POST `/api/whatsapp/registerNumber`: sends a code to the number by SMS or voice call.
/// Ask at most 3 times an hour per number, or 99digital blocks it for an hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterNumber {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`: an ISO region such as `IL`.
    pub country: Option<String>,
    /// SMS or voice call.
    pub method: DeliveryMethod,
    /// The message language: one character (99digital's list of values is not public).
    pub language: String,
    /// A note for the partner: at most 100 characters, words of letters and digits
    /// separated by single spaces.
    pub comment: Option<String>,
}

impl Endpoint for RegisterNumber {
    const OPERATION: Operation = Operation::Digital99RegisterNumber;
    type Output = NumberOutcome;

    fn guard_subject(&self) -> Option<String> {
        let number = validate::phone_number(&self.phone_number, self.country.as_deref()).ok()?;
        Some(number.digits())
    }

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let mut language = self.language.chars();
        if !(language.next().is_some_and(|c| c.is_ascii_alphanumeric()) && language.next().is_none()) {
            return Err(Error::validation("language", "must be one letter or digit"));
        }
        if let Some(comment) = &self.comment {
            if comment.chars().count() > 100 || !is_words(comment) {
                return Err(Error::validation(
                    "comment",
                    "must be at most 100 characters: words of letters and digits separated by single spaces",
                ));
            }
        }
        let method = match self.method {
            DeliveryMethod::Sms => 1,
            DeliveryMethod::Voice => 2,
        };
        let body = Body::new().text("whatsapp", &number.digits()).value("method", Value::from(method));
        let body = body.text("language", &self.language).opt_text("comment", self.comment.as_deref()).finish();
        request(config, Method::Post, &["api", "whatsapp", "registerNumber"], body, Some(config.bearer()?))
    }
}

/// Words of letters and digits separated by single spaces, as `Branch 12 Haifa`: how the
/// seed's "numbers and letters only" reads for a free text (a judgement call recorded in
/// docs/contract.md); punctuation, leading, trailing and double spaces are refused.
fn is_words(text: &str) -> bool {
    text.is_empty() || text.split(' ').all(|word| !word.is_empty() && word.chars().all(char::is_alphanumeric))
}

impl FromParams for RegisterNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(RegisterNumber {
            phone_number: p.string("phone_number")?,
            country: p.opt_string("country")?,
            method: p.method("method")?,
            language: p.string("language")?,
            comment: p.opt_string("comment")?,
        })
    }
}

/// How [`VerifiedNumber`] is read.
pub(crate) const VERIFIED_NUMBER: Kind = Kind::Object(&Shape {
    name: "VerifiedNumber",
    doc: "`{status, whatsapp, expiration, reason}`: the number is verified until `expiration`.",
    fields: &[
        Field::optional("status", Kind::Text, "`OK`."),
        Field::optional("whatsapp", Kind::Id, "The number."),
        Field::optional(
            "expiration",
            Kind::Int,
            "When the registration lapses unless an account is created, in Unix seconds (90 days on).",
        ),
        Field::optional("reason", Kind::Int, "`1`."),
    ],
});

/// `{status, whatsapp, expiration, reason}`: the number is verified until `expiration`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifiedNumber {
    /// `OK`.
    pub status: Option<String>,
    /// The number.
    pub whatsapp: Option<String>,
    /// When the registration lapses unless an account is created, in Unix seconds
    /// (90 days on).
    pub expiration: Option<i64>,
    /// `1`.
    pub reason: Option<i64>,
}

/// POST `/api/whatsapp/verifyNumber` (the path is a guess; `Config::verify_number_path`
/// overrides it): proves the number with the code it received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyNumber {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`.
    pub country: Option<String>,
    /// The 6-digit code; `123-456` is accepted.
    pub code: Secret,
}

impl Endpoint for VerifyNumber {
    const OPERATION: Operation = Operation::Digital99VerifyNumber;
    type Output = VerifiedNumber;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let code = validate::otp_code("code", &self.code)?;
        let body = Body::new().text("whatsapp", &number.digits()).text("code", code.expose()).finish();
        request(config, Method::Post, &config.verify_number_segments()?, body, Some(config.bearer()?))
    }
}

impl FromParams for VerifyNumber {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(VerifyNumber {
            phone_number: p.string("phone_number")?,
            country: p.opt_string("country")?,
            code: p.secret("code")?,
        })
    }
}

/// A number registered and waiting for an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegisteredNumber {
    /// The number.
    pub whatsapp: Option<String>,
    /// When its registration lapses, in Unix seconds.
    pub expiration: Option<i64>,
    /// Where the business finishes onboarding, once there is such a page.
    pub onboarding_link: Option<String>,
    /// The partner's note.
    pub comment: Option<String>,
}

/// How [`RegisteredNumbers`] is read. No document shows this answer, so a field of an
/// unexpected type is left out instead of failing the list.
pub(crate) const REGISTERED_NUMBERS: Kind = Kind::Object(&Shape {
    name: "RegisteredNumbers",
    doc: "The registered numbers.",
    fields: &[
        Field::optional("status", Kind::Text, "`OK`."),
        Field::optional("reason", Kind::Int, "`1`."),
        Field::empty_if_absent(
            "list",
            Kind::List(&Shape {
                name: "RegisteredNumber",
                doc: "A number registered and waiting for an account.",
                fields: &[
                    Field::optional("whatsapp", Kind::Id, "The number."),
                    Field::best_effort("expiration", Kind::Int, "When its registration lapses, in Unix seconds."),
                    Field::best_effort(
                        "onboarding_link",
                        Kind::Text,
                        "Where the business finishes onboarding, once there is such a page.",
                    ),
                    Field::best_effort("comment", Kind::Text, "The partner's note."),
                ],
            }),
            "The numbers.",
        ),
    ],
});

/// The registered numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegisteredNumbers {
    /// `OK`.
    pub status: Option<String>,
    /// `1`.
    pub reason: Option<i64>,
    /// The numbers.
    pub list: Vec<RegisteredNumber>,
}

/// A number live on WhatsApp, with this month's traffic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhatsappNumber {
    /// When it was created, in Unix seconds.
    pub create_time: Option<i64>,
    /// The number.
    pub whatsapp: Option<String>,
    /// Its API key.
    pub api_key: Option<Secret>,
    /// The display name.
    pub display_name: Option<String>,
    /// The business's name.
    pub business_name: Option<String>,
    /// Whether it is connected to 99digital's online omni-channel platform.
    pub is_online: Option<bool>,
    /// When online: the platform account it is connected to (a number, not a flag).
    pub online_account: Option<i64>,
    /// When online: the platform inbox it is connected to (a number, not a flag).
    pub online_inbox: Option<i64>,
    /// When online: the subdomain of the server that holds its inbox.
    pub online_server: Option<String>,
    /// Whether it runs alongside the WhatsApp Business app.
    pub coexistence: Option<bool>,
    /// Conversations this month.
    pub conversations_this_month: Option<i64>,
    /// Marketing conversations this month.
    pub marketing_this_month: Option<i64>,
    /// Service conversations this month.
    pub service_this_month: Option<i64>,
    /// Incoming conversations this month.
    pub incoming_this_month: Option<i64>,
}

/// How [`WhatsappNumbers`] is read: 99digital's documentation spells some fields in
/// camelCase and its examples in snake_case, so both are read. Only `isOnline` and
/// `coexistence` are 0/1 flags; `onlineAccount` and `onlineInbox` are numbers (the seed's
/// example has `"onlineInbox": 2`) and `onlineServer` a subdomain whose type no example
/// shows, so a value of another type is left out rather than failing the list.
pub(crate) const WHATSAPP_NUMBERS: Kind = Kind::Object(&Shape {
    name: "WhatsappNumbers",
    doc: "The live numbers and the account's totals.",
    fields: &[
        Field::optional("status", Kind::Text, "`OK`."),
        Field::optional("reason", Kind::Int, "`1`."),
        Field::optional("total_whatsapp", Kind::Int, "How many numbers.").or("totalWhatsApp"),
        Field::optional("total_conversations_this_month", Kind::Int, "Conversations this month.")
            .or("totalConversationsThisMonth"),
        Field::optional("total_marketing_this_month", Kind::Int, "Marketing conversations this month.")
            .or("totalMarketingThisMonth"),
        Field::optional("total_service_this_month", Kind::Int, "Service conversations this month.")
            .or("totalServiceThisMonth"),
        Field::optional("total_incoming_this_month", Kind::Int, "Incoming conversations this month.")
            .or("totalIncomingThisMonth"),
        Field::empty_if_absent(
            "list",
            Kind::List(&Shape {
                name: "WhatsappNumber",
                doc: "A number live on WhatsApp, with this month's traffic.",
                fields: &[
                    Field::optional("create_time", Kind::Int, "When it was created, in Unix seconds."),
                    Field::optional("whatsapp", Kind::Id, "The number."),
                    Field::optional("api_key", Kind::Text, "Its API key.").or("apiKey"),
                    Field::optional("display_name", Kind::Text, "The display name."),
                    Field::optional("business_name", Kind::Text, "The business's name."),
                    Field::optional(
                        "is_online",
                        Kind::Flag,
                        "Whether it is connected to 99digital's online omni-channel platform.",
                    )
                    .or("isOnline"),
                    Field::optional(
                        "online_account",
                        Kind::Int,
                        "When online: the platform account it is connected to (a number, not a flag).",
                    )
                    .or("onlineAccount"),
                    Field::optional(
                        "online_inbox",
                        Kind::Int,
                        "When online: the platform inbox it is connected to (a number, not a flag).",
                    )
                    .or("onlineInbox"),
                    Field::best_effort(
                        "online_server",
                        Kind::Text,
                        "When online: the subdomain of the server that holds its inbox.",
                    )
                    .or("onlineServer"),
                    Field::optional("coexistence", Kind::Flag, "Whether it runs alongside the WhatsApp Business app."),
                    Field::optional("conversations_this_month", Kind::Int, "Conversations this month.")
                        .or("conversationsThisMonth"),
                    Field::optional("marketing_this_month", Kind::Int, "Marketing conversations this month.")
                        .or("marketingThisMonth"),
                    Field::optional("service_this_month", Kind::Int, "Service conversations this month.")
                        .or("serviceThisMonth"),
                    Field::optional("incoming_this_month", Kind::Int, "Incoming conversations this month.")
                        .or("incomingThisMonth"),
                ],
            }),
            "The numbers.",
        ),
    ],
});

/// The live numbers and the account's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhatsappNumbers {
    /// `OK`.
    pub status: Option<String>,
    /// `1`.
    pub reason: Option<i64>,
    /// How many numbers.
    pub total_whatsapp: Option<i64>,
    /// Conversations this month.
    pub total_conversations_this_month: Option<i64>,
    /// Marketing conversations this month.
    pub total_marketing_this_month: Option<i64>,
    /// Service conversations this month.
    pub total_service_this_month: Option<i64>,
    /// Incoming conversations this month.
    pub total_incoming_this_month: Option<i64>,
    /// The numbers.
    pub list: Vec<WhatsappNumber>,
}

/// A business account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Account {
    /// When it was created, in Unix seconds.
    pub create_time: Option<i64>,
    /// The number.
    pub whatsapp: Option<String>,
    /// Whether it runs alongside the WhatsApp Business app.
    pub coexistence: Option<bool>,
    /// The business's name.
    pub business_name: Option<String>,
    /// The business's email.
    pub business_email: Option<String>,
    /// The business's ID.
    pub business_id: Option<String>,
    /// The business's address.
    pub business_address: Option<String>,
    /// The business's landing page.
    pub landing_page: Option<String>,
    /// Where the business finishes onboarding.
    pub onboarding_link: Option<String>,
    /// The display name.
    pub display_name: Option<String>,
    /// The partner's reference.
    pub reference: Option<String>,
    /// The account's status.
    pub status: Option<String>,
}

/// How [`Accounts`] is read. No document shows this answer, so a field of an unexpected
/// type is left out instead of failing the list.
pub(crate) const ACCOUNTS: Kind = Kind::Object(&Shape {
    name: "Accounts",
    doc: "The business accounts.",
    fields: &[
        Field::optional("status", Kind::Text, "`OK`."),
        Field::optional("reason", Kind::Int, "`1`."),
        Field::empty_if_absent(
            "list",
            Kind::List(&Shape {
                name: "Account",
                doc: "A business account.",
                fields: &[
                    Field::best_effort("create_time", Kind::Int, "When it was created, in Unix seconds."),
                    Field::optional("whatsapp", Kind::Id, "The number."),
                    Field::best_effort(
                        "coexistence",
                        Kind::Flag,
                        "Whether it runs alongside the WhatsApp Business app.",
                    ),
                    Field::best_effort("business_name", Kind::Text, "The business's name."),
                    Field::best_effort("business_email", Kind::Text, "The business's email."),
                    Field::best_effort("business_id", Kind::Id, "The business's ID."),
                    Field::best_effort("business_address", Kind::Text, "The business's address."),
                    Field::best_effort("landing_page", Kind::Text, "The business's landing page."),
                    Field::best_effort("onboarding_link", Kind::Text, "Where the business finishes onboarding."),
                    Field::best_effort("display_name", Kind::Text, "The display name."),
                    Field::best_effort("reference", Kind::Text, "The partner's reference."),
                    Field::best_effort("status", Kind::Id, "The account's status."),
                ],
            }),
            "The accounts.",
        ),
    ],
});

/// The business accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Accounts {
    /// `OK`.
    pub status: Option<String>,
    /// `1`.
    pub reason: Option<i64>,
    /// The accounts.
    pub list: Vec<Account>,
}

macro_rules! list_endpoint {
    ($(#[$doc:meta])* $name:ident, $op:ident, $output:ty, $path:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $name {}

        impl Endpoint for $name {
            const OPERATION: Operation = Operation::$op;
            type Output = $output;

            fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
                request(config, Method::Get, &["api", "whatsapp", $path], None, Some(config.bearer()?))
            }
        }

        impl FromParams for $name {
            fn from_params(_: &mut Params) -> Result<Self, Error> {
                Ok($name {})
            }
        }
    };
}

list_endpoint!(
    /// GET `/api/whatsapp/getRegisteredNumbers`: numbers verified and waiting for an account.
    ListRegisteredNumbers, Digital99ListRegisteredNumbers, RegisteredNumbers, "getRegisteredNumbers"
);
list_endpoint!(
    /// GET `/api/whatsapp/getWhatsApp`: live numbers with this month's traffic.
    ListWhatsappNumbers, Digital99ListWhatsappNumbers, WhatsappNumbers, "getWhatsApp"
);
list_endpoint!(
    /// GET `/api/whatsapp/getAccounts`: the business accounts.
    ListAccounts, Digital99ListAccounts, Accounts, "getAccounts"
);

/// DELETE `/api/whatsapp/deleteAccount`: removes a number that has not finished onboarding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteAccount {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`.
    pub country: Option<String>,
}

impl Endpoint for DeleteAccount {
    const OPERATION: Operation = Operation::Digital99DeleteAccount;
    type Output = NumberOutcome;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let body = Body::new().text("whatsapp", &number.digits()).finish();
        request(config, Method::Delete, &["api", "whatsapp", "deleteAccount"], body, Some(config.bearer()?))
    }
}

impl FromParams for DeleteAccount {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(DeleteAccount { phone_number: p.string("phone_number")?, country: p.opt_string("country")? })
    }
}

/// `status: FAIL` is an error whatever the HTTP status; a body that is not 99digital's
/// JSON on an error status is judged by the status alone.
pub(crate) fn failure_of(op: Operation, response: &HttpResponse) -> Option<ProviderFailure> {
    let body = serde_json::from_slice::<Value>(&response.body).ok();
    let member = |key: &str| body.as_ref().and_then(|body| body.get(key));
    let failed = member("status").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("FAIL"));
    let reason = member("reason").and_then(crate::shape::int);
    if failed {
        Some(failure(op, reason))
    } else if !response.is_success() {
        let mut failure = ProviderFailure::from_status(response.status);
        failure.provider_code = reason.map(|r| r.to_string());
        Some(failure)
    } else {
        None
    }
}

/// The meaning of a FAIL `reason`, which depends on the endpoint.
fn failure(op: Operation, reason: Option<i64>) -> ProviderFailure {
    let (kind, message) = match (op, reason) {
        (Operation::Digital99AccessToken, Some(2)) => (ErrorKind::Auth, "the client ID or secret is wrong"),
        (Operation::Digital99AccessToken, Some(3)) => {
            (ErrorKind::Auth, "too many attempts: this IP address is blocked for a while")
        }
        (_, Some(2)) => (ErrorKind::Auth, "wrong credentials"),
        (_, Some(3)) => (ErrorKind::Auth, "the access token is missing or expired: get a new one"),
        (_, Some(4)) => (ErrorKind::InvalidRequest, "the number is empty or wrong"),
        (_, Some(13)) => (ErrorKind::InvalidRequest, "wrong HTTP method"),
        (Operation::Digital99DeleteAccount, Some(25)) => {
            (ErrorKind::Provider, "onboarding has finished: the account can no longer be deleted here")
        }
        (Operation::Digital99DeleteAccount, Some(26)) => (ErrorKind::NotFound, "no such number"),
        _ => (ErrorKind::Provider, "99digital refused the request"),
    };
    ProviderFailure {
        kind,
        provider_code: reason.map(|r| r.to_string()),
        field: None,
        message: message.to_owned(),
        always_retryable: false,
        fbtrace_id: None,
        error_subcode: None,
    }
}

// ---------------------------------------------------------------------------------------
// The operations as data, for crate::schema: what the generated surfaces and docs say of
// each. core/tests/schema.rs holds every rule here to what `prepare` above does.
// ---------------------------------------------------------------------------------------

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

/// 99digital's operations, in the contract's order.
pub(crate) const OPERATIONS: &[OperationSpec] = &[
    OperationSpec {
        operation: Operation::Digital99AccessToken,
        method: Method::Post,
        path: "/api/settings/accessToken",
        summary: "Trades the client ID and secret for an access token, valid for an hour.",
        params: &[
            Param {
                name: "client_id",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::Printable(1, 256),
                doc: "The partner's client ID.",
            },
            Param {
                name: "client_secret",
                kind: ParamKind::Secret,
                required: true,
                rule: Rule::Any,
                doc: "The partner's client secret.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::Digital99RegisterNumber,
        method: Method::Post,
        path: "/api/whatsapp/registerNumber",
        summary: "Sends a code to the number by SMS or voice call (at most 3 an hour per number).",
        params: &[
            PHONE_NUMBER,
            Param {
                name: "method",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::OneOf(DeliveryMethod::VALUES),
                doc: "How the code is sent: by SMS or by a voice call.",
            },
            Param {
                name: "language",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::OneCharacter,
                doc: "The message language, as 99digital numbers them.",
            },
            COUNTRY,
            Param {
                name: "comment",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::Words(100),
                doc: "A note for the partner, e.g. `Branch 12 Haifa`.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::Digital99VerifyNumber,
        method: Method::Post,
        path: crate::config::DEFAULT_DIGITAL99_VERIFY_PATH,
        summary: "Proves the number with the code it received (the path is a guess; the config's `verify_number_path` overrides it).",
        params: &[
            PHONE_NUMBER,
            Param {
                name: "code",
                kind: ParamKind::Secret,
                required: true,
                rule: Rule::Code,
                doc: "The code the number received.",
            },
            COUNTRY,
        ],
    },
    OperationSpec {
        operation: Operation::Digital99ListRegisteredNumbers,
        method: Method::Get,
        path: "/api/whatsapp/getRegisteredNumbers",
        summary: "The numbers verified and waiting for an account.",
        params: &[],
    },
    OperationSpec {
        operation: Operation::Digital99ListWhatsappNumbers,
        method: Method::Get,
        path: "/api/whatsapp/getWhatsApp",
        summary: "The numbers live on WhatsApp, with this month's traffic.",
        params: &[],
    },
    OperationSpec {
        operation: Operation::Digital99ListAccounts,
        method: Method::Get,
        path: "/api/whatsapp/getAccounts",
        summary: "The business accounts.",
        params: &[],
    },
    OperationSpec {
        operation: Operation::Digital99DeleteAccount,
        method: Method::Delete,
        path: "/api/whatsapp/deleteAccount",
        summary: "Removes a number that has not finished onboarding.",
        params: &[PHONE_NUMBER, COUNTRY],
    },
];
