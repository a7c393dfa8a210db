//! Credentials and endpoints: the settings every request is built with.

use serde_json::Value;

use crate::{Error, Secret};

/// Meta's Graph API version used when the config names none: the one Meta's OpenAPI
/// file in this repository describes.
pub const DEFAULT_META_API_VERSION: &str = "v23.0";

/// Where 99digital's verify call lives: a guess, as the docs we have omit it.
pub const DEFAULT_DIGITAL99_VERIFY_PATH: &str = "/api/whatsapp/verifyNumber";

/// The settings of a provider account.
///
/// ```
/// use waonboard::Config;
/// let config = Config::new("EAAG...").with_base_url("http://127.0.0.1:8080/meta");
/// assert_eq!(format!("{config:?}").contains("EAAG"), false);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The bearer token (Meta system-user token, Vonage JWT, 99digital access token).
    /// Every operation but `digital99.access_token` needs one.
    pub access_token: Option<Secret>,
    /// Replaces the provider's base URL: `https://…`, or `http://` on a loopback host.
    pub base_url: Option<String>,
    /// Meta's Graph API version, such as `v23.0`.
    pub api_version: Option<String>,
    /// The path of 99digital's verify call, should it differ from the guessed default.
    pub verify_number_path: Option<String>,
}

impl Config {
    /// A config with an access token and the providers' default endpoints.
    pub fn new(access_token: impl Into<Secret>) -> Config {
        Config { access_token: Some(access_token.into()), ..Config::default() }
    }

    /// The same config sending to `base_url` instead (a simulator, a proxy).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Config {
        self.base_url = Some(base_url.into());
        self
    }

    /// Reads the contract's JSON config (`access_token`, `base_url`, `api_version`,
    /// `verify_number_path`; other keys are ignored).
    pub fn from_json(value: &Value) -> Result<Config, Error> {
        let empty = serde_json::Map::new();
        let map = match value {
            Value::Object(map) => map,
            Value::Null => &empty,
            _ => return Err(Error::validation("config", "must be an object")),
        };
        let text = |key: &str| -> Result<Option<String>, Error> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(Error::validation(key, "must be a string")),
            }
        };
        Ok(Config {
            access_token: text("access_token")?.map(Secret::from),
            base_url: text("base_url")?,
            api_version: text("api_version")?,
            verify_number_path: text("verify_number_path")?,
        })
    }

    /// The `Authorization` header value, once the token is known to be safe to send.
    pub(crate) fn bearer(&self) -> Result<String, Error> {
        let token = self.access_token.as_ref().map(Secret::expose).unwrap_or_default();
        if token.is_empty() {
            return Err(Error::validation("access_token", "is required"));
        }
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::validation(
                "access_token",
                "must be printable ASCII without spaces or control characters",
            ));
        }
        Ok(format!("Bearer {token}"))
    }

    /// The validated base URL, without a trailing `/`, or `default`.
    pub(crate) fn base(&self, default: &str) -> Result<String, Error> {
        match &self.base_url {
            None => Ok(default.to_owned()),
            Some(url) => check_base_url(url),
        }
    }

    /// Meta's base URL with the API version appended.
    pub(crate) fn meta_root(&self, default: &str) -> Result<String, Error> {
        let version = self.api_version.as_deref().unwrap_or(DEFAULT_META_API_VERSION);
        if !is_api_version(version) {
            return Err(Error::validation("api_version", "must look like `v23.0`"));
        }
        Ok(format!("{}/{version}", self.base(default)?))
    }

    /// 99digital's verify path, split into segments that cannot escape the base.
    pub(crate) fn verify_number_segments(&self) -> Result<Vec<&str>, Error> {
        let path = self.verify_number_path.as_deref().unwrap_or(DEFAULT_DIGITAL99_VERIFY_PATH);
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let valid = segments.iter().all(|s| {
            !s.is_empty()
                && *s != "."
                && *s != ".."
                && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
        if !path.starts_with('/') || !valid {
            return Err(Error::validation("verify_number_path", "must be a path like `/api/whatsapp/verifyNumber`"));
        }
        Ok(segments)
    }
}

fn is_api_version(version: &str) -> bool {
    let Some((major, minor)) = version.strip_prefix('v').and_then(|v| v.split_once('.')) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    digits(major) && digits(minor)
}

/// `https://host[:port][/path]`, or `http://` for a loopback host only: a token must not
/// cross a network in clear text.
fn check_base_url(url: &str) -> Result<String, Error> {
    const FIELD: &str = "base_url";
    let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(Error::validation(FIELD, "must start with https:// (or http:// for a loopback host)"));
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let allowed_path = |c: char| c.is_ascii_alphanumeric() || "-._~/%".contains(c);
    if authority.is_empty()
        || authority.contains('@')
        || !authority.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        || !path.chars().all(allowed_path)
        || path.split('/').any(|s| s == "..")
    {
        return Err(Error::validation(
            FIELD,
            "must be a URL like https://host[:port][/path], without query or credentials",
        ));
    }
    if !secure && !is_loopback(authority) {
        return Err(Error::validation(FIELD, "may use http:// only for a loopback host (localhost, 127.0.0.1, [::1])"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn is_loopback(authority: &str) -> bool {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .strip_prefix("127.")
            .is_some_and(|rest| rest.split('.').count() == 3 && rest.split('.').all(|o| o.parse::<u8>().is_ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(check_base_url("https://graph.facebook.com/").unwrap(), "https://graph.facebook.com");
        assert!(check_base_url("http://127.0.0.1:8080/meta").is_ok());
        assert!(check_base_url("http://localhost:1").is_ok());
        assert!(check_base_url("http://[::1]:9/x").is_ok());
        assert!(check_base_url("http://example.com").is_err());
        assert!(check_base_url("http://127.0.0.1.evil.com").is_err());
        assert!(check_base_url("https://user:pw@host").is_err());
        assert!(check_base_url("https://host/a?b").is_err());
        assert!(check_base_url("ftp://host").is_err());
        assert!(check_base_url("https://").is_err());
    }

    #[test]
    fn versions() {
        assert!(is_api_version("v23.0"));
        assert!(!is_api_version("23.0"));
        assert!(!is_api_version("v23"));
        assert!(!is_api_version("v2x.0"));
    }
}
