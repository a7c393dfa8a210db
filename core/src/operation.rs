//! The operation ids of the contract, and what each one is like.

use std::fmt;
use std::str::FromStr;

use crate::de::closed_enum;
use crate::Error;

closed_enum! {
    /// The three providers, spelt as the prefix of their operation ids. Exhaustive on
    /// purpose: a new provider brings a flow and credentials every caller must handle.
    pub enum Provider {
        /// Meta's WhatsApp Cloud API (Graph API phone-number endpoints).
        Meta = "meta",
        /// Vonage's WhatsApp Provisioning API.
        Vonage = "vonage",
        /// The 99digital Partners API.
        Digital99 = "digital99",
    }
}

impl Provider {
    /// The provider's own base URL, where requests go when a config names none.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::Meta => crate::meta::DEFAULT_BASE_URL,
            Provider::Vonage => crate::vonage::DEFAULT_BASE_URL,
            Provider::Digital99 => crate::digital99::DEFAULT_BASE_URL,
        }
    }

    /// The path under which a waonboard sandbox serves the provider's API
    /// (`http://127.0.0.1:PORT/meta`).
    pub fn sandbox_path(self) -> &'static str {
        match self {
            Provider::Meta => "/meta",
            Provider::Vonage => "/vonage",
            Provider::Digital99 => "/99digital",
        }
    }

    /// The provider as people write it: `Meta`, `Vonage`, `99digital`.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Meta => "Meta",
            Provider::Vonage => "Vonage",
            Provider::Digital99 => "99digital",
        }
    }
}

macro_rules! operations {
    ($($variant:ident => $id:literal, $provider:ident, $read:literal;)+) => {
        /// Every provider call, named `provider.operation` as in the contract. More
        /// operations may come: match with a `_` arm.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $(#[doc = concat!("`", $id, "`")] $variant,)+
        }

        impl Operation {
            /// Every operation, in the contract's order.
            pub const ALL: &'static [Operation] = &[$(Operation::$variant,)+];

            /// The id, e.g. `"meta.request_code"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Operation::$variant => $id,)+ }
            }

            /// The provider it calls.
            pub fn provider(self) -> Provider {
                match self { $(Operation::$variant => Provider::$provider,)+ }
            }

            /// Whether it only reads, so that sending it twice changes nothing: the only
            /// operations a client may retry on its own.
            pub fn is_read(self) -> bool {
                match self { $(Operation::$variant => $read,)+ }
            }
        }

        impl FromStr for Operation {
            type Err = Error;

            fn from_str(id: &str) -> Result<Operation, Error> {
                match id {
                    $($id => Ok(Operation::$variant),)+
                    _ => Err(Error::validation("op", "is not a known operation id (e.g. `meta.request_code`)")),
                }
            }
        }
    };
}

operations! {
    MetaRequestCode => "meta.request_code", Meta, false;
    MetaVerifyCode => "meta.verify_code", Meta, false;
    MetaRegister => "meta.register", Meta, false;
    MetaDeregister => "meta.deregister", Meta, false;
    MetaSetTwoStepPin => "meta.set_two_step_pin", Meta, false;
    MetaGetPhoneNumber => "meta.get_phone_number", Meta, true;
    MetaListPhoneNumbers => "meta.list_phone_numbers", Meta, true;
    MetaAddPhoneNumber => "meta.add_phone_number", Meta, false;
    MetaAddPreverifiedNumber => "meta.add_preverified_number", Meta, false;
    MetaListPreverifiedNumbers => "meta.list_preverified_numbers", Meta, true;
    MetaGetPreverifiedNumber => "meta.get_preverified_number", Meta, true;
    MetaDeletePreverifiedNumber => "meta.delete_preverified_number", Meta, false;
    MetaRequestPreverifiedCode => "meta.request_preverified_code", Meta, false;
    MetaVerifyPreverifiedCode => "meta.verify_preverified_code", Meta, false;
    MetaListPreverifiedPartners => "meta.list_preverified_partners", Meta, true;
    MetaSharePreverifiedNumber => "meta.share_preverified_number", Meta, false;
    VonageCreateDeployment => "vonage.create_deployment", Vonage, false;
    VonageGetDeployment => "vonage.get_deployment", Vonage, true;
    VonageListDeployments => "vonage.list_deployments", Vonage, true;
    VonageDeleteDeployment => "vonage.delete_deployment", Vonage, false;
    VonageResendOtp => "vonage.resend_otp", Vonage, false;
    VonageVerifyOtp => "vonage.verify_otp", Vonage, false;
    VonageGetProfile => "vonage.get_profile", Vonage, true;
    VonageUpdateProfile => "vonage.update_profile", Vonage, false;
    VonageGetProfilePhoto => "vonage.get_profile_photo", Vonage, true;
    VonageUpdateProfilePhoto => "vonage.update_profile_photo", Vonage, false;
    VonageListStickerpacks => "vonage.list_stickerpacks", Vonage, true;
    VonageCreateStickerpack => "vonage.create_stickerpack", Vonage, false;
    VonageUpdateStickerpack => "vonage.update_stickerpack", Vonage, false;
    VonageDeleteStickerpack => "vonage.delete_stickerpack", Vonage, false;
    VonageListStickers => "vonage.list_stickers", Vonage, true;
    VonageGetSticker => "vonage.get_sticker", Vonage, true;
    VonageCreateSticker => "vonage.create_sticker", Vonage, false;
    VonageDeleteSticker => "vonage.delete_sticker", Vonage, false;
    Digital99AccessToken => "digital99.access_token", Digital99, false;
    Digital99RegisterNumber => "digital99.register_number", Digital99, false;
    Digital99VerifyNumber => "digital99.verify_number", Digital99, false;
    Digital99ListRegisteredNumbers => "digital99.list_registered_numbers", Digital99, true;
    Digital99ListWhatsappNumbers => "digital99.list_whatsapp_numbers", Digital99, true;
    Digital99ListAccounts => "digital99.list_accounts", Digital99, true;
    Digital99DeleteAccount => "digital99.delete_account", Digital99, false;
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
