//! Lenient readers for what providers send loosely: numbers as digit strings, 0/1 flags,
//! and enums that grow new values.

use serde::de::{self, Deserializer, Unexpected};
use serde::Deserialize;
use serde_json::Value;

/// An integer given as a JSON number or a digit string (99digital sends both).
pub(crate) fn flex_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| de::Error::invalid_type(Unexpected::Other("a fraction or huge number"), &"an integer")),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::invalid_type(Unexpected::Other("text"), &"an integer or a digit string")),
        Some(_) => Err(de::Error::invalid_type(Unexpected::Other("a non-number"), &"an integer or a digit string")),
    }
}

/// A flag given as `true`/`false`, `0`/`1` or `"0"`/`"1"`.
pub(crate) fn flex_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
        Some(Value::String(s)) if s == "0" || s == "1" => Ok(Some(s == "1")),
        Some(_) => Err(de::Error::invalid_type(Unexpected::Other("another value"), &"a flag: true, false, 0 or 1")),
    }
}

/// An identifier given as a string or, carelessly, as a JSON number.
pub(crate) fn flex_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(de::Error::invalid_type(Unexpected::Other("another value"), &"a string")),
    }
}

/// An enum whose list the provider may extend: known values become variants, any other
/// string is kept as `Other` rather than failing the whole answer.
macro_rules! open_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the library does not know yet.
            Other(String),
        }

        impl $name {
            /// The value as the provider spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(wire: &str) -> $name {
                match wire {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let wire = String::deserialize(deserializer)?;
                Ok($name::from(wire.as_str()))
            }
        }
    };
}
pub(crate) use open_enum;
