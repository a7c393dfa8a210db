//! Credentials and endpoints: the settings every request is built with.

use serde_json::Value;

use crate::error::host_and_path_parts;
use crate::{Error, Provider, Secret};

/// Meta's Graph API version used when the config names none: the one Meta's OpenAPI
/// file in this repository describes.
pub const DEFAULT_META_API_VERSION: &str = "v23.0";

/// Where 99digital's verify call lives: a guess, as the docs we have omit it.
pub const DEFAULT_DIGITAL99_VERIFY_PATH: &str = "/api/whatsapp/verifyNumber";

/// The settings of a provider account. More settings may come: build it with
/// [`Config::new`] (or `Config::default()`) and the `with_…` methods.
///
/// ```
/// use waonboard::Config;
/// let config = Config::new("EAAG...").with_base_url("http://127.0.0.1:8080/meta").with_api_version("v23.0");
/// assert_eq!(format!("{config:?}").contains("EAAG"), false);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
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

    /// The same config with another access token.
    pub fn with_access_token(mut self, access_token: impl Into<Secret>) -> Config {
        self.access_token = Some(access_token.into());
        self
    }

    /// The same config with another Graph API version (Meta), such as `v23.0`.
    pub fn with_api_version(mut self, api_version: impl Into<String>) -> Config {
        self.api_version = Some(api_version.into());
        self
    }

    /// The same config with another path for 99digital's verify call.
    pub fn with_verify_number_path(mut self, path: impl Into<String>) -> Config {
        self.verify_number_path = Some(path.into());
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
        let mut value = String::with_capacity("Bearer ".len() + token.len());
        value.push_str("Bearer ");
        value.push_str(token);
        Ok(value)
    }

    /// The validated base URL, without a trailing `/`, or `default`.
    pub(crate) fn base(&self, default: &str) -> Result<String, Error> {
        match &self.base_url {
            None => Ok(default.to_owned()),
            Some(url) => check_base_url(url),
        }
    }

    /// Why a 404 may mean that this config's base URL is wrong rather than that the
    /// resource is missing: its path is neither `provider`'s own (Vonage's
    /// `/v0.1/whatsapp-manager`) nor a sandbox's mount of it (`/vonage`), or it is a
    /// loopback origin without a path, most likely a sandbox's given without its mount
    /// (`http://127.0.0.1:8787` for `http://127.0.0.1:8787/meta`). `None` otherwise, and
    /// for the default base URL.
    pub fn base_url_hint(&self, provider: Provider) -> Option<String> {
        let base_url = self.base_url.as_deref()?.trim_end_matches('/');
        let default = provider.default_base_url();
        let (host, path) = host_and_path_parts(base_url);
        let loopback = host_of(host).is_some_and(is_loopback);
        let sandbox = provider.sandbox_path();
        if path == sandbox || (path == host_and_path_parts(default).1 && !(loopback && path.is_empty())) {
            return None;
        }
        let name = provider.display_name();
        // A sandbox speaks plain http, whatever scheme the base URL gave.
        let sandbox_url =
            if loopback { format!("http://{host}{sandbox}") } else { format!("http://127.0.0.1:PORT{sandbox}") };
        let sandbox_there =
            if loopback { "a waonboard sandbox there serves it" } else { "a waonboard sandbox serves it" };
        Some(format!(
            "the base URL {base_url} may be wrong: {name}'s API is at {default}, and {sandbox_there} at {sandbox_url}"
        ))
    }

    /// Meta's base URL with the API version appended.
    pub(crate) fn meta_root(&self, default: &str) -> Result<String, Error> {
        let version = self.api_version.as_deref().unwrap_or(DEFAULT_META_API_VERSION);
        if !is_api_version(version) {
            return Err(Error::validation("api_version", "must look like `v23.0`"));
        }
        let mut root = self.base(default)?;
        root.push('/');
        root.push_str(version);
        Ok(root)
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
/// cross a network in clear text. The host is parsed, not matched as text (`[::1].evil.com`
/// is no loopback host), and each path segment is checked once percent-decoded (`%2e%2e`
/// climbs as `..` does).
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
    let host = host_of(authority);
    if host.is_none() || !path.chars().all(allowed_path) || !path.split('/').all(is_plain_segment) {
        return Err(Error::validation(
            FIELD,
            "must be a URL like https://host[:port][/path], without query, credentials or `..`",
        ));
    }
    if !secure && !host.is_some_and(is_loopback) {
        return Err(Error::validation(FIELD, "may use http:// only for a loopback host (localhost, 127.0.0.1, [::1])"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// The host of `host[:port]` or `[v6][:port]`, or `None` when the authority is not one.
fn host_of(authority: &str) -> Option<Host<'_>> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (v6, after) = v6.split_once(']')?;
        (Host::V6(v6.parse().ok()?), after.strip_prefix(':').map_or((!after.is_empty()).then_some(after), Some))
    } else {
        let (name, port) = authority.split_once(':').map_or((authority, None), |(n, p)| (n, Some(p)));
        let label =
            |l: &str| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if name.is_empty() || name.len() > 253 || !name.split('.').all(label) {
            return None;
        }
        (Host::Name(name), port)
    };
    if let Some(port) = port {
        if port.is_empty()
            || port.len() > 5
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err()
        {
            return None;
        }
    }
    Some(host)
}

/// A parsed host: a name or IPv4 address, or a bracketed IPv6 address.
#[derive(Clone, Copy)]
enum Host<'a> {
    Name(&'a str),
    V6(std::net::Ipv6Addr),
}

fn is_loopback(host: Host<'_>) -> bool {
    match host {
        Host::V6(address) => address.is_loopback(),
        Host::Name(name) => {
            name.eq_ignore_ascii_case("localhost")
                || name.parse::<std::net::Ipv4Addr>().is_ok_and(|address| address.is_loopback())
        }
    }
}

/// A path segment that, percent-decoded, is neither `.` nor `..` and holds no `/` or `\`;
/// a `%` must start a valid escape.
fn is_plain_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else { return false };
            decoded.push(value);
            i += 3;
        } else {
            decoded.push(byte);
            i += 1;
        }
    }
    decoded != b"." && decoded != b".." && !decoded.iter().any(|b| matches!(b, b'/' | b'\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_doubted_when_its_path_is_neither_the_providers_nor_a_sandboxs() {
        let hint = |provider: Provider, url: &str| Config::default().with_base_url(url).base_url_hint(provider);
        assert_eq!(Config::default().base_url_hint(Provider::Meta), None, "the default is never doubted");
        for (provider, right) in [
            (Provider::Meta, "http://127.0.0.1:8787/meta"),
            (Provider::Meta, "https://meta-proxy.example.com/"),
            (Provider::Vonage, "https://proxy.example.com/v0.1/whatsapp-manager/"),
            (Provider::Vonage, "http://[::1]:8787/vonage"),
            (Provider::Digital99, "http://localhost:8787/99digital"),
            (Provider::Digital99, "https://partners.99digital.co.il"),
        ] {
            assert_eq!(hint(provider, right), None, "{right}");
        }
        // A sandbox's origin without its mount: the URL to use instead is named.
        let meta = hint(Provider::Meta, "http://127.0.0.1:8787/").unwrap();
        assert_eq!(
            meta,
            "the base URL http://127.0.0.1:8787 may be wrong: Meta's API is at https://graph.facebook.com, and a \
             waonboard sandbox there serves it at http://127.0.0.1:8787/meta"
        );
        let vonage = hint(Provider::Vonage, "https://proxy.example.com").unwrap();
        assert!(vonage.contains("Vonage's API is at https://api.nexmo.com/v0.1/whatsapp-manager"), "{vonage}");
        assert!(vonage.ends_with("a waonboard sandbox serves it at http://127.0.0.1:PORT/vonage"), "{vonage}");
        assert!(hint(Provider::Digital99, "https://proxy.example.com/meta").is_some(), "another provider's mount");
    }

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
        assert!(check_base_url("http://[::1].evil.com").is_err());
        assert!(check_base_url("http://[::1]evil.com:80").is_err());
        assert!(check_base_url("http://[0:0:0:0:0:0:0:1]:8080/x").is_ok());
        assert!(check_base_url("http://127.255.0.9:1").is_ok());
        assert!(check_base_url("http://localhost:99999").is_err());
        assert!(check_base_url("https://host/a/%2e%2e/b").is_err());
        assert!(check_base_url("https://host/%2E%2E").is_err());
        assert!(check_base_url("https://host/.%2e/x").is_err());
        assert!(check_base_url("https://host/a%2f..%2f/b").is_err());
        assert!(check_base_url("https://host/a%zz").is_err());
        assert!(check_base_url("https://host/a%20b/%7Euser").is_ok());
        assert!(check_base_url("https://host:/x").is_err());
        assert!(check_base_url("https://ho_st").is_err());
    }

    #[test]
    fn versions() {
        assert!(is_api_version("v23.0"));
        assert!(!is_api_version("23.0"));
        assert!(!is_api_version("v23"));
        assert!(!is_api_version("v2x.0"));
    }
}
