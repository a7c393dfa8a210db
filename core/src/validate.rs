//! The input rules of the contract. Each check names the parameter it refuses and
//! never repeats a secret value in its message.

use crate::{Error, PhoneNumber, Secret};

/// How a one-time code reaches the phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    /// A text message.
    Sms,
    /// A voice call.
    Voice,
}

impl DeliveryMethod {
    /// The contract's spellings.
    pub const VALUES: &'static [&'static str] = &["sms", "voice"];

    /// Reads `sms` or `voice` in any letter case.
    pub fn parse(field: &str, input: &str) -> Result<DeliveryMethod, Error> {
        if input.eq_ignore_ascii_case("sms") {
            Ok(DeliveryMethod::Sms)
        } else if input.eq_ignore_ascii_case("voice") {
            Ok(DeliveryMethod::Voice)
        } else {
            Err(Error::validation(field, "must be `sms` or `voice`"))
        }
    }

    /// The contract's spelling: `sms` or `voice`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMethod::Sms => "sms",
            DeliveryMethod::Voice => "voice",
        }
    }
}

/// A one-time code: spaces and hyphens are what people paste (`123-456`), so they go;
/// what is left must be exactly six ASCII digits.
pub(crate) fn otp_code(field: &str, code: &Secret) -> Result<Secret, Error> {
    let digits: String = code.expose().chars().filter(|c| *c != ' ' && *c != '-').collect();
    if is_six_digits(&digits) {
        Ok(Secret::new(digits))
    } else {
        Err(Error::validation(field, "must be 6 digits (spaces and hyphens are ignored)"))
    }
}

/// A two-step PIN: exactly six ASCII digits, leading zeros kept.
pub(crate) fn pin<'a>(field: &str, pin: &'a Secret) -> Result<&'a str, Error> {
    if is_six_digits(pin.expose()) {
        Ok(pin.expose())
    } else {
        Err(Error::validation(field, "must be exactly 6 digits"))
    }
}

fn is_six_digits(text: &str) -> bool {
    text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A Graph ID (`phone_number_id`, `waba_id`): digits only, so it cannot change the path.
pub(crate) fn numeric_id<'a>(field: &str, id: &'a str) -> Result<&'a str, Error> {
    if (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id)
    } else {
        Err(Error::validation(field, "must be a numeric ID of 1 to 32 digits, given as a string"))
    }
}

/// An ID that need not be all digits (Vonage's `deployment_id`, `stickerpack_id`, …; Meta's
/// `preverified_id`, which its spec's example writes `preverified_12345`): letters,
/// digits, `-` and `_`.
pub(crate) fn token_id<'a>(field: &str, id: &'a str) -> Result<&'a str, Error> {
    if (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(id)
    } else {
        Err(Error::validation(field, "must be 1 to 128 letters, digits, '-' or '_'"))
    }
}

/// Free text whose limit is counted in characters, as the providers count it.
pub(crate) fn text<'a>(field: &str, text: &'a str, min: usize, max: usize) -> Result<&'a str, Error> {
    let count = text.chars().count();
    if count < min || count > max {
        let bounds = if min == max { format!("exactly {min}") } else { format!("{min} to {max}") };
        return Err(Error::validation(field, format!("must be {bounds} characters long (it is {count})")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::validation(field, "must not contain control characters"));
    }
    Ok(text)
}

/// One of a fixed list, in any letter case; the list's spelling is what is sent.
pub(crate) fn choice(field: &str, input: &str, allowed: &[&'static str]) -> Result<&'static str, Error> {
    allowed
        .iter()
        .copied()
        .find(|a| a.eq_ignore_ascii_case(input))
        .ok_or_else(|| Error::validation(field, format!("must be one of: {}", allowed.join(", "))))
}

/// An absolute http(s) URL of at most `max` characters, with a host and no spaces.
pub(crate) fn http_url<'a>(field: &str, url: &'a str, max: usize) -> Result<&'a str, Error> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    let ok = url.chars().count() <= max
        && host.is_some_and(|h| !h.contains('@') && (h.contains('.') || h.starts_with("localhost")))
        && url.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(url)
    } else {
        Err(Error::validation(field, format!("must be an absolute http(s) URL of at most {max} characters")))
    }
}

/// A profile photo: an http(s) URL whose path ends in .png, .jpg or .jpeg.
pub(crate) fn image_url<'a>(field: &str, url: &'a str) -> Result<&'a str, Error> {
    http_url(field, url, 2048)?;
    let path = url.split(['?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    if [".png", ".jpg", ".jpeg"].iter().any(|ext| path.ends_with(ext)) {
        Ok(url)
    } else {
        Err(Error::validation(field, "must point to a .png, .jpg or .jpeg image"))
    }
}

/// An email address: something before one `@`, a domain with a dot after it.
pub(crate) fn email<'a>(field: &str, email: &'a str) -> Result<&'a str, Error> {
    text(field, email, 1, 128)?;
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain.split('.').count() >= 2
            && domain.split('.').all(|label| !label.is_empty())
    }) && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(Error::validation(field, "must be an email address like name@example.com"))
    }
}

/// Something without a provider-given format that still must be present and printable.
pub(crate) fn required(field: &str, value: &str, max: usize) -> Result<(), Error> {
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(Error::validation(field, format!("must be 1 to {max} printable characters")));
    }
    Ok(())
}

/// A phone number as a person types it, read by the contract's rules; `country` (an ISO
/// region) says how to read one written without `+` or `00`.
pub(crate) fn phone_number(input: &str, country: Option<&str>) -> Result<PhoneNumber, Error> {
    if let Some(region) = country {
        if crate::phone::region_calling_code(region).is_none() {
            return Err(Error::validation("country", "must be an ISO 3166 region code such as `US`"));
        }
    }
    PhoneNumber::parse(input, country).map_err(|invalid| Error::validation("phone_number", invalid.reason()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_pins() {
        assert_eq!(otp_code("code", &"123-456".into()).unwrap().expose(), "123456");
        assert_eq!(otp_code("code", &" 12 34 56 ".into()).unwrap().expose(), "123456");
        assert!(otp_code("code", &"12345".into()).is_err());
        assert!(otp_code("code", &"１２３４５６".into()).is_err());
        assert_eq!(pin("pin", &"012345".into()).unwrap(), "012345");
        assert!(pin("pin", &"12 3456".into()).is_err());
    }

    #[test]
    fn secrets_stay_out_of_messages() {
        let err = otp_code("code", &"98765x".into()).unwrap_err();
        assert!(!err.to_string().contains("98765"));
        assert_eq!(err.field(), Some("code"));
    }

    #[test]
    fn ids_cannot_change_the_path() {
        for bad in ["", "12/34", "../1", "1?a", "1#", "12 3"] {
            assert!(numeric_id("phone_number_id", bad).is_err(), "{bad}");
            assert!(token_id("deployment_id", bad).is_err(), "{bad}");
        }
        assert!(token_id("deployment_id", "aaaaaaaa-bbbb-cccc-dddd-0123456789ab").is_ok());
    }

    #[test]
    fn text_counts_characters() {
        let hebrew = "ש".repeat(139);
        assert!(text("about", &hebrew, 1, 139).is_ok());
        assert!(text("about", &format!("{hebrew}a"), 1, 139).is_err());
        assert!(text("about", "", 1, 139).is_err());
    }

    #[test]
    fn urls_and_emails() {
        assert!(image_url("image_url", "https://example.com/a.JPG?x=1").is_ok());
        assert!(image_url("image_url", "https://example.com/a.gif").is_err());
        assert!(http_url("websites[0]", "ftp://example.com", 256).is_err());
        assert!(email("email", "you@example.com").is_ok());
        assert!(email("email", "you@example").is_err());
        assert!(email("email", "a@b@c.com").is_err());
    }
}
