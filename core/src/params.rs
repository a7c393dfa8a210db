//! Reads the contract's JSON `params` into typed requests, naming the key at fault.

use serde_json::{Map, Value};

use crate::validate::DeliveryMethod;
use crate::{Error, Secret};

/// The parameters, read in place: each value is copied only when read, and whatever is
/// left unread at the end is a key no operation takes.
pub(crate) struct Params<'a> {
    map: Option<&'a Map<String, Value>>,
    /// The keys read so far.
    read: Vec<&'a str>,
}

/// Builds a typed request from [`Params`]; the dynamic `prepare` goes through it.
pub(crate) trait FromParams: Sized {
    fn from_params(params: &mut Params) -> Result<Self, Error>;
}

impl<'a> Params<'a> {
    /// The members of `value`, the argument called `name` (null reads as no members).
    pub fn new(value: &'a Value, name: &str) -> Result<Params<'a>, Error> {
        match value {
            Value::Object(map) => Ok(Params { map: Some(map), read: Vec::new() }),
            Value::Null => Ok(Params { map: None, read: Vec::new() }),
            _ => Err(Error::validation(name, "must be an object")),
        }
    }

    /// A present, non-null value under `key`, the first time it is asked for.
    fn take(&mut self, key: &str) -> Option<Value> {
        let (key, value) = self.map?.get_key_value(key)?;
        if self.read.contains(&key.as_str()) {
            return None;
        }
        self.read.push(key);
        Some(value).filter(|v| !v.is_null()).cloned()
    }

    pub fn opt_string(&mut self, key: &str) -> Result<Option<String>, Error> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(_)) if is_id(key) => {
                Err(Error::validation(key, "must be a string: IDs exceed what a JSON number holds exactly"))
            }
            Some(_) => Err(Error::validation(key, "must be a string")),
        }
    }

    pub fn string(&mut self, key: &str) -> Result<String, Error> {
        self.opt_string(key)?.ok_or_else(|| missing(key))
    }

    pub fn opt_secret(&mut self, key: &str) -> Result<Option<Secret>, Error> {
        Ok(self.opt_string(key)?.map(Secret::from))
    }

    pub fn secret(&mut self, key: &str) -> Result<Secret, Error> {
        self.opt_secret(key)?.ok_or_else(|| missing(key))
    }

    pub fn method(&mut self, key: &str) -> Result<DeliveryMethod, Error> {
        DeliveryMethod::parse(key, &self.string(key)?)
    }

    pub fn opt_bool(&mut self, key: &str) -> Result<Option<bool>, Error> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(Error::validation(key, "must be true or false")),
        }
    }

    /// A JSON boolean, false when absent.
    pub fn flag(&mut self, key: &str) -> Result<bool, Error> {
        Ok(self.opt_bool(key)?.unwrap_or(false))
    }

    /// An object, handed over raw for the operation to read.
    pub fn opt_object(&mut self, key: &str) -> Result<Option<Map<String, Value>>, Error> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(Error::validation(key, "must be an object")),
        }
    }

    /// A whole number, as a JSON integer or a digit string.
    pub fn opt_uint(&mut self, key: &str) -> Result<Option<u64>, Error> {
        let parsed = match self.take(key) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse().ok()
            }
            Some(_) => None,
        };
        parsed.map(Some).ok_or_else(|| Error::validation(key, "must be a whole number"))
    }

    pub fn uint(&mut self, key: &str) -> Result<u64, Error> {
        self.opt_uint(key)?.ok_or_else(|| missing(key))
    }

    /// A list of strings; a wrong entry is named `key[i]`.
    pub fn opt_strings(&mut self, key: &str) -> Result<Option<Vec<String>>, Error> {
        self.opt_list(key, "string", |item| match item {
            Value::String(s) => Some(s),
            _ => None,
        })
    }

    /// A list of objects, handed over raw for the operation to read.
    pub fn opt_objects(&mut self, key: &str) -> Result<Option<Vec<Map<String, Value>>>, Error> {
        self.opt_list(key, "object", |item| match item {
            Value::Object(map) => Some(map),
            _ => None,
        })
    }

    /// A list whose every entry `pick` accepts; a wrong entry is named `key[i]`.
    fn opt_list<T>(
        &mut self,
        key: &str,
        what: &str,
        pick: impl Fn(Value) -> Option<T>,
    ) -> Result<Option<Vec<T>>, Error> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    pick(item).ok_or_else(|| Error::validation(format!("{key}[{i}]"), format!("must be a {what}")))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Error::validation(key, format!("must be a list of {what}s"))),
        }
    }

    /// Fails on the first key (alphabetically) no one read: a typo must not be dropped.
    /// `of` names what the parameters are for (`operation`, `onboarding`, …).
    pub fn finish(self, of: &str) -> Result<(), Error> {
        // The map's keys come in order, so the first unread one is the least.
        let unread = self.map.into_iter().flat_map(Map::keys).find(|k| !self.read.contains(&k.as_str()));
        match unread {
            None => Ok(()),
            Some(key) => Err(Error::validation(key.as_str(), format!("is not a parameter of this {of}"))),
        }
    }
}

fn missing(key: &str) -> Error {
    Error::validation(key, "is required")
}

fn is_id(key: &str) -> bool {
    key.ends_with("_id")
}
