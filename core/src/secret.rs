//! A string that never shows itself in Debug output, logs or error messages.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An access token, client secret, PIN or one-time code.
///
/// `Debug` prints `Secret("[redacted]")`; there is no `Display`. The value is read only
/// where it goes on the wire, through [`Secret::expose`]. It serialises as the plain
/// string, because a result that *is* a secret (a fresh access token) must reach its caller.
///
/// ```
/// let pin = waonboard::Secret::new("123456");
/// assert_eq!(format!("{pin:?}"), r#"Secret("[redacted]")"#);
/// assert_eq!(pin.expose(), "123456");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"[redacted]\")")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}
