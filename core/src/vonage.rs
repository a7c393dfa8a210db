//! Vonage's WhatsApp Provisioning API ("WhatsApp Manager").
//!
//! Paths are relative to `https://api.nexmo.com/v0.1/whatsapp-manager`. A deployment moves
//! through states to `READY`; errors are RFC 7807 problems whose `type` ends in `#<code>`.
//! The sticker endpoints other than the list and get calls follow the On-Premises shape
//! and are a guess.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::de::open_enum;
use crate::endpoint::{Body, Empty, RequestParts};
use crate::error::ProviderFailure;
use crate::params::{FromParams, Params};
use crate::schema::{OperationSpec, Param, ParamKind, Rule};
use crate::shape::{Field, Kind, Shape};
use crate::validate::{self, DeliveryMethod};
use crate::{Config, Endpoint, Error, ErrorKind, HttpRequest, HttpResponse, Method, Operation, Secret};

/// Vonage's production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.nexmo.com/v0.1/whatsapp-manager";

/// The business verticals WhatsApp recognises, spelled as Vonage wants them.
pub const VERTICALS: &[&str] = &[
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

/// A request under `/deployments`: `ids` are validated path IDs, `tail` fixed segments
/// between and after them.
fn request(
    config: &Config,
    method: Method,
    segments: &[&str],
    query: Vec<(&'static str, String)>,
    body: Option<String>,
) -> Result<HttpRequest, Error> {
    let base = config.base(DEFAULT_BASE_URL)?;
    let authorization = config.bearer()?;
    let mut path = vec!["deployments"];
    path.extend_from_slice(segments);
    Ok(RequestParts { method, base, segments: &path, query, body }.build(Some(authorization)))
}

fn deployment_id(id: &str) -> Result<&str, Error> {
    validate::token_id("deployment_id", id)
}

fn stickerpack_id(id: &str) -> Result<&str, Error> {
    validate::token_id("stickerpack_id", id)
}

fn sticker_index(index: u64) -> Result<String, Error> {
    if index > 999_999 {
        return Err(Error::validation("sticker_index", "must be from 0 to 999999"));
    }
    Ok(index.to_string())
}

open_enum! {
    /// Where a deployment is on its way to `READY`.
    pub enum DeploymentStatus {
        /// Just created.
        Initializing = "INITIALIZING",
        /// The cluster is being built.
        CreatingCluster = "CREATING_CLUSTER",
        /// The cluster exists; a code is about to be sent.
        ClusterCreated = "CLUSTER_CREATED",
        /// The one-time code was sent: verify it.
        CodeSent = "CODE_SENT",
        /// The last code given was wrong: verify again or resend.
        WrongCode = "WRONG_CODE",
        /// The code was right.
        CodeVerified = "CODE_VERIFIED",
        /// Final checks.
        Finalizing = "FINALIZING",
        /// The number is ready to use.
        Ready = "READY",
        /// Failed: delete it and start again.
        Error = "ERROR",
        /// Being deleted.
        Deleting = "DELETING",
        /// Deleted.
        Deleted = "DELETED",
    }
}

const DEPLOYMENT_SHAPE: &Shape = &Shape {
    name: "Deployment",
    doc: "A deployment: one number on its way to WhatsApp.",
    fields: &[
        Field::required("deployment_id", Kind::Text, "Its ID, a UUID."),
        Field::optional("waba_id", Kind::Text, "The WhatsApp Business Account's ID."),
        Field::optional("country_code", Kind::Text, "The country calling code, e.g. `44`."),
        Field::optional("number", Kind::Text, "The national number, e.g. `7700900000`."),
        Field::optional("api_key", Kind::Text, "The API key the number is assigned to."),
        Field::optional(
            "current_state",
            Kind::Object(&Shape {
                name: "DeploymentState",
                doc: "`current_state` of a deployment.",
                fields: &[
                    Field::optional("title", Kind::OpenEnum(DeploymentStatus::VALUES), "The state."),
                    Field::optional("detail", Kind::Text, "Why it is in that state, e.g. `Invalid vname certificate`."),
                ],
            }),
            "Where it stands.",
        ),
    ],
};

/// How [`Deployment`] is read.
pub(crate) const DEPLOYMENT: Kind = Kind::Object(DEPLOYMENT_SHAPE);

/// How [`DeploymentList`] is read: Vonage documents the list without its shape, so a bare
/// array and `{deployments: […]}` are both read.
pub(crate) const DEPLOYMENT_LIST: Kind = Kind::BareOr(
    "deployments",
    &Shape {
        name: "DeploymentList",
        doc: "All deployments of the account.",
        fields: &[Field::required("deployments", Kind::List(DEPLOYMENT_SHAPE), "The deployments.")],
    },
);

/// `current_state` of a deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeploymentState {
    /// The state.
    pub title: Option<DeploymentStatus>,
    /// Why it is in that state, e.g. `Invalid vname certificate`.
    pub detail: Option<String>,
}

/// A deployment: one number on its way to WhatsApp.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Deployment {
    /// Its ID, a UUID.
    pub deployment_id: String,
    /// The WhatsApp Business Account's ID.
    pub waba_id: Option<String>,
    /// The country calling code, e.g. `44`.
    pub country_code: Option<String>,
    /// The national number, e.g. `7700900000`.
    pub number: Option<String>,
    /// The API key the number is assigned to.
    pub api_key: Option<Secret>,
    /// Where it stands.
    pub current_state: Option<DeploymentState>,
}

impl Deployment {
    /// The state title, if Vonage gave one.
    pub fn status(&self) -> Option<&DeploymentStatus> {
        self.current_state.as_ref()?.title.as_ref()
    }
}

/// POST `/deployments`: starts provisioning a number; Vonage sends the code once the
/// cluster exists (state `CODE_SENT`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateDeployment {
    /// The number as a person writes it.
    pub phone_number: String,
    /// How to read a number written without `+`: an ISO region such as `GB`.
    pub country: Option<String>,
    /// The display-name certificate from WhatsApp Manager.
    pub vname_certificate: String,
    /// SMS or voice call for the code.
    pub method: DeliveryMethod,
    /// The WhatsApp Business Account's ID.
    pub waba_id: String,
    /// The two-step PIN, required if one was set before.
    pub pin: Option<Secret>,
}

impl Endpoint for CreateDeployment {
    const OPERATION: Operation = Operation::VonageCreateDeployment;
    type Output = Deployment;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let number = validate::phone_number(&self.phone_number, self.country.as_deref())?;
        let certificate = &self.vname_certificate;
        let base64 = |c: char| c.is_ascii_alphanumeric() || "+/=".contains(c);
        if certificate.is_empty() || certificate.len() > 4096 || !certificate.chars().all(base64) {
            return Err(Error::validation("vname_certificate", "must be the base64 certificate from WhatsApp Manager"));
        }
        let waba_id = validate::numeric_id("waba_id", &self.waba_id)?;
        let pin = self.pin.as_ref().map(|pin| validate::pin("pin", pin)).transpose()?;
        let body = Body::new().text("country_code", number.country_code()).text("number", number.national_number());
        let body = body.text("vname_certificate", certificate).text("method", self.method.as_str());
        let body = body.text("waba_id", waba_id).opt_text("pin", pin).finish();
        request(config, Method::Post, &[], Vec::new(), body)
    }
}

impl FromParams for CreateDeployment {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(CreateDeployment {
            phone_number: p.string("phone_number")?,
            country: p.opt_string("country")?,
            vname_certificate: p.string("vname_certificate")?,
            method: p.method("method")?,
            waba_id: p.string("waba_id")?,
            pin: p.opt_secret("pin")?,
        })
    }
}

/// GET `/deployments/{deployment_id}`: the deployment and its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetDeployment {
    /// The deployment's ID.
    pub deployment_id: String,
}

impl Endpoint for GetDeployment {
    const OPERATION: Operation = Operation::VonageGetDeployment;
    type Output = Deployment;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        request(config, Method::Get, &[deployment_id(&self.deployment_id)?], Vec::new(), None)
    }
}

impl FromParams for GetDeployment {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(GetDeployment { deployment_id: p.string("deployment_id")? })
    }
}

/// All deployments of the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeploymentList {
    /// The deployments.
    pub deployments: Vec<Deployment>,
}

/// GET `/deployments`: every deployment of the account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListDeployments {}

impl Endpoint for ListDeployments {
    const OPERATION: Operation = Operation::VonageListDeployments;
    type Output = DeploymentList;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        request(config, Method::Get, &[], Vec::new(), None)
    }
}

impl FromParams for ListDeployments {
    fn from_params(_: &mut Params) -> Result<Self, Error> {
        Ok(ListDeployments {})
    }
}

/// DELETE `/deployments/{deployment_id}`: removes the deployment (state `DELETING`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteDeployment {
    /// The deployment's ID.
    pub deployment_id: String,
}

impl Endpoint for DeleteDeployment {
    const OPERATION: Operation = Operation::VonageDeleteDeployment;
    type Output = Empty;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        request(config, Method::Delete, &[deployment_id(&self.deployment_id)?], Vec::new(), None)
    }
}

impl FromParams for DeleteDeployment {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(DeleteDeployment { deployment_id: p.string("deployment_id")? })
    }
}

/// How [`OtpResent`] is read.
pub(crate) const OTP_RESENT: Kind = Kind::Object(&Shape {
    name: "OtpResent",
    doc: "What resend-otp answers.",
    fields: &[
        Field::optional("message", Kind::Text, "E.g. `Code sent`."),
        Field::optional("vname", Kind::Text, "The display name."),
        Field::optional("method", Kind::Text, "`sms` or `voice`."),
    ],
});

/// What resend-otp answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OtpResent {
    /// E.g. `Code sent`.
    pub message: Option<String>,
    /// The display name.
    pub vname: Option<String>,
    /// `sms` or `voice`.
    pub method: Option<String>,
}

/// POST `/deployments/{deployment_id}/resend-otp`: sends the code again (after waiting
/// five minutes for the first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResendOtp {
    /// The deployment's ID.
    pub deployment_id: String,
    /// SMS or voice call.
    pub method: DeliveryMethod,
}

impl Endpoint for ResendOtp {
    const OPERATION: Operation = Operation::VonageResendOtp;
    type Output = OtpResent;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let body = Body::new().text("method", self.method.as_str()).finish();
        request(config, Method::Post, &[id, "resend-otp"], Vec::new(), body)
    }
}

impl FromParams for ResendOtp {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(ResendOtp { deployment_id: p.string("deployment_id")?, method: p.method("method")? })
    }
}

/// How [`OtpVerified`] is read.
pub(crate) const OTP_VERIFIED: Kind = Kind::Object(&Shape {
    name: "OtpVerified",
    doc: "What verify answers.",
    fields: &[
        Field::optional("deployment_id", Kind::Text, "The deployment's ID."),
        Field::optional("status", Kind::Text, "E.g. `Deployment was Created`."),
    ],
});

/// What verify answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OtpVerified {
    /// The deployment's ID.
    pub deployment_id: Option<String>,
    /// E.g. `Deployment was Created`.
    pub status: Option<String>,
}

/// POST `/deployments/{deployment_id}/verify`: submits the code; the deployment then
/// moves through `FINALIZING` to `READY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOtp {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The 6-digit code; `123-456` is accepted.
    pub code: Secret,
}

impl Endpoint for VerifyOtp {
    const OPERATION: Operation = Operation::VonageVerifyOtp;
    type Output = OtpVerified;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let code = validate::otp_code("code", &self.code)?;
        let body = Body::new().text("code", code.expose()).finish();
        request(config, Method::Post, &[id, "verify"], Vec::new(), body)
    }
}

impl FromParams for VerifyOtp {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(VerifyOtp { deployment_id: p.string("deployment_id")?, code: p.secret("code")? })
    }
}

/// How [`Profile`] is read.
pub(crate) const PROFILE: Kind = Kind::Object(&Shape {
    name: "Profile",
    doc: "The business profile people see in WhatsApp.",
    fields: &[
        Field::optional("about", Kind::Text, "The About text: 1 to 139 characters."),
        Field::optional("address", Kind::Text, "The address: 1 to 256 characters."),
        Field::optional("description", Kind::Text, "The description: 1 to 256 characters."),
        Field::optional("email", Kind::Text, "The email: at most 128 characters."),
        Field::optional("vertical", Kind::Text, "The industry, one of Vonage's verticals."),
        Field::optional("websites", Kind::Texts, "One or two websites, each at most 256 characters."),
    ],
});

/// The business profile people see in WhatsApp.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Profile {
    /// The About text: 1 to 139 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The address: 1 to 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The description: 1 to 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The email: at most 128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The industry, one of [`VERTICALS`] (any case on input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical: Option<String>,
    /// One or two websites, each at most 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub websites: Option<Vec<String>>,
}

impl Profile {
    /// The profile as it may be sent: every limit checked, the vertical spelled as
    /// Vonage wants, and at least one field set.
    fn checked(&self) -> Result<Profile, Error> {
        if *self == Profile::default() {
            return Err(Error::validation("profile", "needs at least one field to update"));
        }
        let text = |field, value: &Option<String>, max| {
            value.as_deref().map(|v| validate::text(field, v, 1, max).map(str::to_owned)).transpose()
        };
        let websites = match &self.websites {
            None => None,
            Some(sites) if sites.is_empty() || sites.len() > 2 => {
                return Err(Error::validation("websites", "must list 1 or 2 websites"))
            }
            Some(sites) => Some(
                sites
                    .iter()
                    .enumerate()
                    .map(|(i, site)| validate::http_url(&format!("websites[{i}]"), site, 256).map(str::to_owned))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(Profile {
            about: text("about", &self.about, 139)?,
            address: text("address", &self.address, 256)?,
            description: text("description", &self.description, 256)?,
            email: self.email.as_deref().map(|e| validate::email("email", e).map(str::to_owned)).transpose()?,
            vertical: self
                .vertical
                .as_deref()
                .map(|v| validate::choice("vertical", v, VERTICALS).map(str::to_owned))
                .transpose()?,
            websites,
        })
    }

    fn body(&self) -> Option<String> {
        let body = Body::new().opt_text("about", self.about.as_deref()).opt_text("address", self.address.as_deref());
        let body = body.opt_text("description", self.description.as_deref()).opt_text("email", self.email.as_deref());
        let body = body.opt_text("vertical", self.vertical.as_deref());
        body.opt_value("websites", self.websites.clone().map(Value::from)).finish()
    }
}

/// GET `/deployments/{deployment_id}/profile`: the business profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetProfile {
    /// The deployment's ID.
    pub deployment_id: String,
}

impl Endpoint for GetProfile {
    const OPERATION: Operation = Operation::VonageGetProfile;
    type Output = Profile;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        request(config, Method::Get, &[deployment_id(&self.deployment_id)?, "profile"], Vec::new(), None)
    }
}

impl FromParams for GetProfile {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(GetProfile { deployment_id: p.string("deployment_id")? })
    }
}

/// PATCH `/deployments/{deployment_id}/profile`: changes the given profile fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateProfile {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The fields to change; absent ones stay as they are.
    pub profile: Profile,
}

impl Endpoint for UpdateProfile {
    const OPERATION: Operation = Operation::VonageUpdateProfile;
    type Output = Profile;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let body = self.profile.checked()?.body();
        request(config, Method::Patch, &[id, "profile"], Vec::new(), body)
    }
}

impl FromParams for UpdateProfile {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(UpdateProfile {
            deployment_id: p.string("deployment_id")?,
            profile: Profile {
                about: p.opt_string("about")?,
                address: p.opt_string("address")?,
                description: p.opt_string("description")?,
                email: p.opt_string("email")?,
                vertical: p.opt_string("vertical")?,
                websites: p.opt_strings("websites")?,
            },
        })
    }
}

/// How [`ProfilePhoto`] is read.
pub(crate) const PROFILE_PHOTO: Kind = Kind::Object(&Shape {
    name: "ProfilePhoto",
    doc: "`{image_url}`: where the profile photo was taken from.",
    fields: &[Field::optional("image_url", Kind::Text, "The photo's URL.")],
});

/// `{image_url}`: where the profile photo was taken from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProfilePhoto {
    /// The photo's URL.
    pub image_url: Option<String>,
}

/// GET `/deployments/{deployment_id}/profile/photo`: the profile photo's URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetProfilePhoto {
    /// The deployment's ID.
    pub deployment_id: String,
}

impl Endpoint for GetProfilePhoto {
    const OPERATION: Operation = Operation::VonageGetProfilePhoto;
    type Output = ProfilePhoto;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        request(config, Method::Get, &[id, "profile", "photo"], Vec::new(), None)
    }
}

impl FromParams for GetProfilePhoto {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(GetProfilePhoto { deployment_id: p.string("deployment_id")? })
    }
}

/// POST `/deployments/{deployment_id}/profile/photo`: replaces the photo with the .png or
/// .jpg at `image_url` (192–640 px, at most 5 MB; Vonage checks the pixels).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateProfilePhoto {
    /// The deployment's ID.
    pub deployment_id: String,
    /// An http(s) URL of a .png, .jpg or .jpeg image.
    pub image_url: String,
}

impl Endpoint for UpdateProfilePhoto {
    const OPERATION: Operation = Operation::VonageUpdateProfilePhoto;
    type Output = ProfilePhoto;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let body = Body::new().text("image_url", validate::image_url("image_url", &self.image_url)?).finish();
        request(config, Method::Post, &[id, "profile", "photo"], Vec::new(), body)
    }
}

impl FromParams for UpdateProfilePhoto {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(UpdateProfilePhoto { deployment_id: p.string("deployment_id")?, image_url: p.string("image_url")? })
    }
}

/// How [`Stickerpacks`] is read.
pub(crate) const STICKERPACKS: Kind = Kind::Object(&Shape {
    name: "Stickerpacks",
    doc: "`{stickerpacks: […], meta}`.",
    fields: &[
        Field::required(
            "stickerpacks",
            Kind::List(&Shape {
                name: "Stickerpack",
                doc: "A sticker pack.",
                fields: &[
                    Field::optional("id", Kind::Id, "Its ID."),
                    Field::optional("publisher", Kind::Text, "Who publishes it."),
                    Field::optional("name", Kind::Text, "Its name."),
                    Field::optional("ios_app_store_link", Kind::Text, "Its App Store link."),
                    Field::optional("android_app_store_link", Kind::Text, "Its Play Store link."),
                ],
            }),
            "The packs.",
        ),
        Field::optional("meta", Kind::Any, "Paging and other details, as Vonage sends them."),
    ],
});

/// A sticker pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stickerpack {
    /// Its ID.
    pub id: Option<String>,
    /// Who publishes it.
    pub publisher: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its App Store link.
    pub ios_app_store_link: Option<String>,
    /// Its Play Store link.
    pub android_app_store_link: Option<String>,
}

/// `{stickerpacks: […], meta}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stickerpacks {
    /// The packs.
    pub stickerpacks: Vec<Stickerpack>,
    /// Paging and other details, as Vonage sends them.
    pub meta: Option<serde_json::Value>,
}

/// How [`Stickers`] is read.
pub(crate) const STICKERS: Kind = Kind::Object(&Shape {
    name: "Stickers",
    doc: "`{stickers: […], meta}`.",
    fields: &[
        Field::required(
            "stickers",
            Kind::List(&Shape {
                name: "Sticker",
                doc: "A sticker of a pack.",
                fields: &[
                    Field::optional(
                        "index",
                        Kind::Id,
                        "Its position in the pack, as Vonage writes it (the On-Premises docs show `\"0\"`).",
                    ),
                    Field::optional("id", Kind::Id, "The uploaded image's ID."),
                    Field::optional("emojis", Kind::Texts, "The emojis it stands for."),
                ],
            }),
            "The stickers.",
        ),
        Field::optional("meta", Kind::Any, "Paging and other details, as Vonage sends them."),
    ],
});

/// A sticker of a pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sticker {
    /// Its position in the pack, as Vonage writes it (the On-Premises docs show `"0"`).
    pub index: Option<String>,
    /// The uploaded image's ID.
    pub id: Option<String>,
    /// The emojis it stands for.
    pub emojis: Option<Vec<String>>,
}

/// `{stickers: […], meta}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stickers {
    /// The stickers.
    pub stickers: Vec<Sticker>,
    /// Paging and other details, as Vonage sends them.
    pub meta: Option<serde_json::Value>,
}

/// GET `/deployments/{deployment_id}/stickerpacks`: the deployment's sticker packs, or
/// WhatsApp's own with `namespace` `whatsapp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStickerpacks {
    /// The deployment's ID.
    pub deployment_id: String,
    /// `whatsapp` for WhatsApp's packs.
    pub namespace: Option<String>,
}

impl Endpoint for ListStickerpacks {
    const OPERATION: Operation = Operation::VonageListStickerpacks;
    type Output = Stickerpacks;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let mut query = Vec::new();
        if let Some(namespace) = &self.namespace {
            let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
            if namespace.is_empty() || namespace.len() > 64 || !namespace.bytes().all(allowed) {
                return Err(Error::validation("namespace", "must be 1 to 64 of a-z, 0-9 and '_', e.g. `whatsapp`"));
            }
            query.push(("namespace", namespace.clone()));
        }
        request(config, Method::Get, &[id, "stickerpacks"], query, None)
    }
}

impl FromParams for ListStickerpacks {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(ListStickerpacks { deployment_id: p.string("deployment_id")?, namespace: p.opt_string("namespace")? })
    }
}

/// The describable parts of a sticker pack, checked for create and update alike.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StickerpackFields {
    /// Who publishes it: 1 to 128 characters (the limit is a guess).
    pub publisher: Option<String>,
    /// Its name: 1 to 128 characters (the limit is a guess).
    pub name: Option<String>,
    /// `https://itunes.apple.com/app/id<digits>`.
    pub ios_app_store_link: Option<String>,
    /// `https://play.google.com/store/apps/details?id=<package>`.
    pub android_app_store_link: Option<String>,
}

impl StickerpackFields {
    fn check(&self) -> Result<(), Error> {
        for (field, value) in [("publisher", &self.publisher), ("name", &self.name)] {
            if let Some(value) = value {
                validate::text(field, value, 1, 128)?;
            }
        }
        if let Some(link) = &self.ios_app_store_link {
            if !is_app_store_link(link) {
                return Err(Error::validation(
                    "ios_app_store_link",
                    "must be an App Store link like https://itunes.apple.com/app/id123456789",
                ));
            }
        }
        if let Some(link) = &self.android_app_store_link {
            if !is_play_store_link(link) {
                return Err(Error::validation(
                    "android_app_store_link",
                    "must be a Play Store link like https://play.google.com/store/apps/details?id=com.example.app",
                ));
            }
        }
        Ok(())
    }

    fn body(&self) -> Option<String> {
        let body = Body::new().opt_text("publisher", self.publisher.as_deref()).opt_text("name", self.name.as_deref());
        let body = body.opt_text("ios_app_store_link", self.ios_app_store_link.as_deref());
        body.opt_text("android_app_store_link", self.android_app_store_link.as_deref()).finish()
    }

    fn from_params(p: &mut Params) -> Result<StickerpackFields, Error> {
        Ok(StickerpackFields {
            publisher: p.opt_string("publisher")?,
            name: p.opt_string("name")?,
            ios_app_store_link: p.opt_string("ios_app_store_link")?,
            android_app_store_link: p.opt_string("android_app_store_link")?,
        })
    }
}

/// `https://itunes.apple.com/…/id<digits>` or the same on `apps.apple.com`.
fn is_app_store_link(link: &str) -> bool {
    let Some(path) =
        link.strip_prefix("https://itunes.apple.com/").or_else(|| link.strip_prefix("https://apps.apple.com/"))
    else {
        return false;
    };
    let path = path.split('?').next().unwrap_or_default();
    path.rsplit('/')
        .next()
        .and_then(|last| last.strip_prefix("id"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        && path.chars().all(|c| c.is_ascii_graphic())
}

/// `https://play.google.com/store/apps/details?id=<package>` with a Java-style package.
fn is_play_store_link(link: &str) -> bool {
    let Some(query) = link.strip_prefix("https://play.google.com/store/apps/details?") else {
        return false;
    };
    query.split('&').filter_map(|pair| pair.strip_prefix("id=")).next().is_some_and(|package| {
        package.split('.').count() >= 2
            && package.split('.').all(|part| {
                part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
    })
}

/// POST `/deployments/{deployment_id}/stickerpacks`: creates a sticker pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateStickerpack {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack; `publisher` and `name` are required.
    pub fields: StickerpackFields,
}

impl Endpoint for CreateStickerpack {
    const OPERATION: Operation = Operation::VonageCreateStickerpack;
    type Output = Stickerpacks;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        for (field, value) in [("publisher", &self.fields.publisher), ("name", &self.fields.name)] {
            if value.is_none() {
                return Err(Error::validation(field, "is required"));
            }
        }
        self.fields.check()?;
        request(config, Method::Post, &[id, "stickerpacks"], Vec::new(), self.fields.body())
    }
}

impl FromParams for CreateStickerpack {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(CreateStickerpack { deployment_id: p.string("deployment_id")?, fields: StickerpackFields::from_params(p)? })
    }
}

/// PATCH `/deployments/{deployment_id}/stickerpacks/{stickerpack_id}` (a guess): changes
/// the given fields of a pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateStickerpack {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack's ID.
    pub stickerpack_id: String,
    /// The fields to change; at least one.
    pub fields: StickerpackFields,
}

/// The On-Premises API answers an update with an empty object, so nothing is read from it.
impl Endpoint for UpdateStickerpack {
    const OPERATION: Operation = Operation::VonageUpdateStickerpack;
    type Output = Empty;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let pack = stickerpack_id(&self.stickerpack_id)?;
        if self.fields == StickerpackFields::default() {
            return Err(Error::validation("stickerpack", "needs at least one field to update"));
        }
        self.fields.check()?;
        request(config, Method::Patch, &[id, "stickerpacks", pack], Vec::new(), self.fields.body())
    }
}

impl FromParams for UpdateStickerpack {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(UpdateStickerpack {
            deployment_id: p.string("deployment_id")?,
            stickerpack_id: p.string("stickerpack_id")?,
            fields: StickerpackFields::from_params(p)?,
        })
    }
}

/// DELETE `/deployments/{deployment_id}/stickerpacks/{stickerpack_id}` (a guess).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteStickerpack {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack's ID.
    pub stickerpack_id: String,
}

impl Endpoint for DeleteStickerpack {
    const OPERATION: Operation = Operation::VonageDeleteStickerpack;
    type Output = Empty;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let pack = stickerpack_id(&self.stickerpack_id)?;
        request(config, Method::Delete, &[id, "stickerpacks", pack], Vec::new(), None)
    }
}

impl FromParams for DeleteStickerpack {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(DeleteStickerpack { deployment_id: p.string("deployment_id")?, stickerpack_id: p.string("stickerpack_id")? })
    }
}

/// GET `/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStickers {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack's ID.
    pub stickerpack_id: String,
}

impl Endpoint for ListStickers {
    const OPERATION: Operation = Operation::VonageListStickers;
    type Output = Stickers;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let pack = stickerpack_id(&self.stickerpack_id)?;
        request(config, Method::Get, &[id, "stickerpacks", pack, "stickers"], Vec::new(), None)
    }
}

impl FromParams for ListStickers {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(ListStickers { deployment_id: p.string("deployment_id")?, stickerpack_id: p.string("stickerpack_id")? })
    }
}

/// GET `/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetSticker {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack's ID.
    pub stickerpack_id: String,
    /// The sticker's position in the pack.
    pub sticker_index: u64,
}

impl Endpoint for GetSticker {
    const OPERATION: Operation = Operation::VonageGetSticker;
    type Output = Stickers;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let pack = stickerpack_id(&self.stickerpack_id)?;
        let index = sticker_index(self.sticker_index)?;
        request(config, Method::Get, &[id, "stickerpacks", pack, "stickers", &index], Vec::new(), None)
    }
}

impl FromParams for GetSticker {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(GetSticker {
            deployment_id: p.string("deployment_id")?,
            stickerpack_id: p.string("stickerpack_id")?,
            sticker_index: p.uint("sticker_index")?,
        })
    }
}

/// POST `/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers` (a guess, in
/// the On-Premises shape): adds an uploaded image to the pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateSticker {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack's ID.
    pub stickerpack_id: String,
    /// The uploaded image's ID.
    pub image_data_id: String,
    /// The emojis it stands for.
    pub emojis: Option<Vec<String>>,
}

impl Endpoint for CreateSticker {
    const OPERATION: Operation = Operation::VonageCreateSticker;
    type Output = Stickers;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let pack = stickerpack_id(&self.stickerpack_id)?;
        let image = validate::token_id("image_data_id", &self.image_data_id)?;
        if let Some(emojis) = &self.emojis {
            for (i, emoji) in emojis.iter().enumerate() {
                validate::text(&format!("emojis[{i}]"), emoji, 1, 16)?;
            }
        }
        let body = Body::new().text("image_data_id", image).opt_value("emojis", self.emojis.clone().map(Value::from));
        request(config, Method::Post, &[id, "stickerpacks", pack, "stickers"], Vec::new(), body.finish())
    }
}

impl FromParams for CreateSticker {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(CreateSticker {
            deployment_id: p.string("deployment_id")?,
            stickerpack_id: p.string("stickerpack_id")?,
            image_data_id: p.string("image_data_id")?,
            emojis: p.opt_strings("emojis")?,
        })
    }
}

/// DELETE `/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}` (a guess).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteSticker {
    /// The deployment's ID.
    pub deployment_id: String,
    /// The pack's ID.
    pub stickerpack_id: String,
    /// The sticker's position in the pack.
    pub sticker_index: u64,
}

impl Endpoint for DeleteSticker {
    const OPERATION: Operation = Operation::VonageDeleteSticker;
    type Output = Empty;

    fn prepare(&self, config: &Config) -> Result<HttpRequest, Error> {
        let id = deployment_id(&self.deployment_id)?;
        let pack = stickerpack_id(&self.stickerpack_id)?;
        let index = sticker_index(self.sticker_index)?;
        request(config, Method::Delete, &[id, "stickerpacks", pack, "stickers", &index], Vec::new(), None)
    }
}

impl FromParams for DeleteSticker {
    fn from_params(p: &mut Params) -> Result<Self, Error> {
        Ok(DeleteSticker {
            deployment_id: p.string("deployment_id")?,
            stickerpack_id: p.string("stickerpack_id")?,
            sticker_index: p.uint("sticker_index")?,
        })
    }
}

/// Reads an RFC 7807 problem body; the code is the fragment of its `type` URL.
pub(crate) fn failure(response: &HttpResponse) -> Option<ProviderFailure> {
    let problem = serde_json::from_slice::<Value>(&response.body).ok()?;
    let text = |item: &Value, key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
    let code = problem.get("type")?.as_str()?.rsplit_once('#')?.1.to_owned();
    let kind = match code.as_str() {
        "unauthorized" | "forbidden" => ErrorKind::Auth,
        "throttled" => ErrorKind::RateLimited,
        "verification-failed" => ErrorKind::VerificationFailed,
        "number-in-use" | "conflict-deployment-state" | "conflict-resend-otp" => ErrorKind::Conflict,
        "not-found" => ErrorKind::NotFound,
        "invalid-json" | "unprocessable" | "unprocessable-profile-update" => ErrorKind::InvalidRequest,
        _ => ErrorKind::from_http_status(response.status),
    };
    let mut message =
        [text(&problem, "title"), text(&problem, "detail")].into_iter().flatten().collect::<Vec<_>>().join(": ");
    let params = problem.get("invalid_parameters").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    for param in params {
        let name = text(param, "name").unwrap_or_else(|| "?".to_owned());
        message.push_str(&format!("; {name}: {}", text(param, "reason").unwrap_or_else(|| "invalid".to_owned())));
    }
    Some(ProviderFailure {
        kind,
        provider_code: Some(code),
        field: params.iter().find_map(|p| text(p, "name")),
        message,
        always_retryable: kind == ErrorKind::RateLimited,
        fbtrace_id: None,
        error_subcode: None,
    })
}

// ---------------------------------------------------------------------------------------
// The operations as data, for crate::schema: what the generated surfaces and docs say of
// each. core/tests/schema.rs holds every rule here to what `prepare` above does.
// ---------------------------------------------------------------------------------------

const DEPLOYMENT_ID: Param = Param {
    name: "deployment_id",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::TokenId,
    doc: "The deployment's ID.",
};
const STICKERPACK_ID: Param = Param {
    name: "stickerpack_id",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::TokenId,
    doc: "The sticker pack's ID.",
};
const STICKER_INDEX: Param = Param {
    name: "sticker_index",
    kind: ParamKind::Int,
    required: true,
    rule: Rule::Range(0, 999_999),
    doc: "The sticker's position in the pack.",
};
const METHOD: Param = Param {
    name: "method",
    kind: ParamKind::Text,
    required: true,
    rule: Rule::OneOf(DeliveryMethod::VALUES),
    doc: "How the code is sent: by SMS or by a voice call.",
};
/// `publisher`, `name` and the store links, optional: what a pack may be created or
/// changed with.
const fn pack_field(name: &'static str, rule: Rule, doc: &'static str) -> Param {
    Param { name, kind: ParamKind::Text, required: false, rule, doc }
}
const PUBLISHER: Param = pack_field("publisher", Rule::Chars(1, 128), "Who publishes the pack.");
const PACK_NAME: Param = pack_field("name", Rule::Chars(1, 128), "The pack's name.");
const IOS_LINK: Param = pack_field("ios_app_store_link", Rule::AppStoreLink, "The pack's App Store link.");
const ANDROID_LINK: Param = pack_field("android_app_store_link", Rule::PlayStoreLink, "The pack's Play Store link.");
const fn profile_field(name: &'static str, kind: ParamKind, rule: Rule, doc: &'static str) -> Param {
    Param { name, kind, required: false, rule, doc }
}

/// Vonage's operations, in the contract's order.
pub(crate) const OPERATIONS: &[OperationSpec] = &[
    OperationSpec {
        operation: Operation::VonageCreateDeployment,
        method: Method::Post,
        path: "/deployments",
        summary: "Starts provisioning a number; Vonage sends the code once the deployment is ready for it.",
        params: &[
            Param {
                name: "phone_number",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::PhoneNumber,
                doc: "The number as a person writes it.",
            },
            Param {
                name: "vname_certificate",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::Base64,
                doc: "The display-name certificate from WhatsApp Manager.",
            },
            METHOD,
            Param {
                name: "waba_id",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::NumericId,
                doc: "The WhatsApp Business Account's ID.",
            },
            Param {
                name: "country",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::Region,
                doc: "How to read a number written without `+` or `00`: its region.",
            },
            Param {
                name: "pin",
                kind: ParamKind::Secret,
                required: false,
                rule: Rule::Pin,
                doc: "The two-step PIN, required if one was set before.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::VonageGetDeployment,
        method: Method::Get,
        path: "/deployments/{deployment_id}",
        summary: "The deployment and its state.",
        params: &[DEPLOYMENT_ID],
    },
    OperationSpec {
        operation: Operation::VonageListDeployments,
        method: Method::Get,
        path: "/deployments",
        summary: "Every deployment of the account.",
        params: &[],
    },
    OperationSpec {
        operation: Operation::VonageDeleteDeployment,
        method: Method::Delete,
        path: "/deployments/{deployment_id}",
        summary: "Removes the deployment (its state becomes `DELETING`).",
        params: &[DEPLOYMENT_ID],
    },
    OperationSpec {
        operation: Operation::VonageResendOtp,
        method: Method::Post,
        path: "/deployments/{deployment_id}/resend-otp",
        summary: "Sends the code again (after waiting five minutes for the first).",
        params: &[DEPLOYMENT_ID, METHOD],
    },
    OperationSpec {
        operation: Operation::VonageVerifyOtp,
        method: Method::Post,
        path: "/deployments/{deployment_id}/verify",
        summary: "Submits the code; the deployment then moves on towards `READY`.",
        params: &[
            DEPLOYMENT_ID,
            Param {
                name: "code",
                kind: ParamKind::Secret,
                required: true,
                rule: Rule::Code,
                doc: "The code the number received.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::VonageGetProfile,
        method: Method::Get,
        path: "/deployments/{deployment_id}/profile",
        summary: "The business profile.",
        params: &[DEPLOYMENT_ID],
    },
    OperationSpec {
        operation: Operation::VonageUpdateProfile,
        method: Method::Patch,
        path: "/deployments/{deployment_id}/profile",
        summary: "Changes the given profile fields (at least one); the others stay as they are.",
        params: &[
            DEPLOYMENT_ID,
            profile_field("about", ParamKind::Text, Rule::Chars(1, 139), "The About text."),
            profile_field("address", ParamKind::Text, Rule::Chars(1, 256), "The address."),
            profile_field("description", ParamKind::Text, Rule::Chars(1, 256), "The description."),
            profile_field("email", ParamKind::Text, Rule::Email, "The email."),
            profile_field("vertical", ParamKind::Text, Rule::OneOf(VERTICALS), "The industry."),
            profile_field("websites", ParamKind::Texts, Rule::HttpUrl(256), "One or two websites."),
        ],
    },
    OperationSpec {
        operation: Operation::VonageGetProfilePhoto,
        method: Method::Get,
        path: "/deployments/{deployment_id}/profile/photo",
        summary: "The profile photo's URL.",
        params: &[DEPLOYMENT_ID],
    },
    OperationSpec {
        operation: Operation::VonageUpdateProfilePhoto,
        method: Method::Post,
        path: "/deployments/{deployment_id}/profile/photo",
        summary: "Replaces the profile photo with the image at a URL.",
        params: &[
            DEPLOYMENT_ID,
            Param {
                name: "image_url",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::ImageUrl,
                doc: "Where the new photo is.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::VonageListStickerpacks,
        method: Method::Get,
        path: "/deployments/{deployment_id}/stickerpacks",
        summary: "The deployment's sticker packs, or WhatsApp's own.",
        params: &[
            DEPLOYMENT_ID,
            Param {
                name: "namespace",
                kind: ParamKind::Text,
                required: false,
                rule: Rule::Namespace,
                doc: "`whatsapp` for WhatsApp's own packs.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::VonageCreateStickerpack,
        method: Method::Post,
        path: "/deployments/{deployment_id}/stickerpacks",
        summary: "Creates a sticker pack.",
        params: &[
            DEPLOYMENT_ID,
            Param { required: true, ..PUBLISHER },
            Param { required: true, ..PACK_NAME },
            IOS_LINK,
            ANDROID_LINK,
        ],
    },
    OperationSpec {
        operation: Operation::VonageUpdateStickerpack,
        method: Method::Patch,
        path: "/deployments/{deployment_id}/stickerpacks/{stickerpack_id}",
        summary: "Changes the given fields of a sticker pack (at least one).",
        params: &[DEPLOYMENT_ID, STICKERPACK_ID, PUBLISHER, PACK_NAME, IOS_LINK, ANDROID_LINK],
    },
    OperationSpec {
        operation: Operation::VonageDeleteStickerpack,
        method: Method::Delete,
        path: "/deployments/{deployment_id}/stickerpacks/{stickerpack_id}",
        summary: "Deletes a sticker pack.",
        params: &[DEPLOYMENT_ID, STICKERPACK_ID],
    },
    OperationSpec {
        operation: Operation::VonageListStickers,
        method: Method::Get,
        path: "/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers",
        summary: "The stickers of a pack.",
        params: &[DEPLOYMENT_ID, STICKERPACK_ID],
    },
    OperationSpec {
        operation: Operation::VonageGetSticker,
        method: Method::Get,
        path: "/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}",
        summary: "One sticker of a pack.",
        params: &[DEPLOYMENT_ID, STICKERPACK_ID, STICKER_INDEX],
    },
    OperationSpec {
        operation: Operation::VonageCreateSticker,
        method: Method::Post,
        path: "/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers",
        summary: "Adds an uploaded image to a pack as a sticker.",
        params: &[
            DEPLOYMENT_ID,
            STICKERPACK_ID,
            Param {
                name: "image_data_id",
                kind: ParamKind::Text,
                required: true,
                rule: Rule::TokenId,
                doc: "The uploaded image's ID.",
            },
            Param {
                name: "emojis",
                kind: ParamKind::Texts,
                required: false,
                rule: Rule::Chars(1, 16),
                doc: "The emojis the sticker stands for.",
            },
        ],
    },
    OperationSpec {
        operation: Operation::VonageDeleteSticker,
        method: Method::Delete,
        path: "/deployments/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}",
        summary: "Removes a sticker from a pack.",
        params: &[DEPLOYMENT_ID, STICKERPACK_ID, STICKER_INDEX],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_links() {
        assert!(is_app_store_link("https://itunes.apple.com/app/id123456789"));
        assert!(is_app_store_link("https://apps.apple.com/us/app/example/id123456789"));
        assert!(!is_app_store_link("https://itunes.apple.com/app/example"));
        assert!(!is_app_store_link("http://itunes.apple.com/app/id1"));
        assert!(is_play_store_link("https://play.google.com/store/apps/details?id=com.example.app"));
        assert!(!is_play_store_link("https://play.google.com/store/apps/details?id=example"));
        assert!(!is_play_store_link("https://play.google.com/store/apps/details?x=1"));
    }
}
