//! Enums as JSON strings: open ones, whose list a provider may extend (read leniently,
//! so a new value does not fail a whole answer), and closed ones of our own.

/// serde writes an enum of either kind as its `as_str` spelling.
macro_rules! serialize_as_str {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use serialize_as_str;

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
            /// Every value this version knows, as the provider spells it.
            pub const VALUES: &'static [&'static str] = &[$($wire,)+];

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

        $crate::de::serialize_as_str!($name);

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let wire = String::deserialize(deserializer)?;
                Ok($name::from(wire.as_str()))
            }
        }
    };
}
pub(crate) use open_enum;

/// An enum of ours that travels as a fixed string: its spelling is written once, here, and
/// serde goes through it too.
macro_rules! closed_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// The value as JSON spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The value of that spelling.
            pub fn from_wire(wire: &str) -> Option<$name> {
                match wire {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        $crate::de::serialize_as_str!($name);

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let wire = String::deserialize(deserializer)?;
                $name::from_wire(&wire).ok_or_else(|| serde::de::Error::custom(concat!("not a ", stringify!($name))))
            }
        }
    };
}
pub(crate) use closed_enum;

/// serde for a type whose JSON is written by hand (`to_value` / `from_value`), so that
/// serde users and the bindings read and write the same JSON.
macro_rules! serde_via_value {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.to_value().serialize(serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                $name::from_value(&value).map_err(|e| serde::de::Error::custom(e.message()))
            }
        }
    };
}
pub(crate) use serde_via_value;
