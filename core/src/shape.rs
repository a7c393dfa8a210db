//! How each operation's success body becomes its result: one reader driven by a table of
//! field shapes per result, shared by the typed API (which deserialises the result it
//! returns) and the bindings (which hand it over as JSON as it is).
//!
//! A table instead of a serde type per result keeps one copy of the reading code in the
//! wasm module rather than one per result type. The reader is lenient where providers
//! are loose (IDs sent as numbers, counts as digit strings, flags as `0`/`1`, camelCase
//! spellings) and strict elsewhere; unknown fields are dropped, and absent or null ones
//! are left out.

use serde_json::{Map, Value};

use crate::endpoint::check_failure;
use crate::{digital99, meta, vonage, Error, HttpResponse, Operation};

/// What a value must be, and what it becomes in the result.
pub(crate) enum Kind {
    /// A string.
    Text,
    /// A string from a list the provider may extend: a value this version does not know
    /// is kept, so it never fails a whole answer. The list is what the docs describe.
    OpenEnum(&'static [&'static str]),
    /// A string, or a number sent for one (kept as its digits).
    Id,
    /// A whole number, given as a JSON number or a digit string.
    Int,
    /// A flag: `true`/`false`, `0`/`1` or `"0"`/`"1"`.
    Flag,
    /// Strictly `true` or `false`.
    Bool,
    /// A list of strings.
    Texts,
    /// Any JSON, kept as it came.
    Any,
    /// An object of this shape; other fields are dropped.
    Object(&'static Shape),
    /// A list of such objects.
    List(&'static Shape),
    /// An object of this shape, or a bare list read as if it came under `key` (Vonage
    /// documents its deployment list without its shape; Meta's seed 003 shows a phone
    /// number list bare).
    BareOr(&'static str, &'static Shape),
}

/// A named object: the name is what the generated types of every language call it.
pub(crate) struct Shape {
    pub(crate) name: &'static str,
    pub(crate) doc: &'static str,
    pub(crate) fields: &'static [Field],
}

/// One field of an object: its name in the result, another spelling the provider uses,
/// and whether it may be absent.
pub(crate) struct Field {
    pub(crate) name: &'static str,
    alias: Option<&'static str>,
    pub(crate) kind: Kind,
    presence: Presence,
    pub(crate) doc: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Optional,
    Required,
    /// An absent list reads as empty.
    EmptyIfAbsent,
    /// Optional, and no document gives its type: a value of another type is left out,
    /// never a reason to fail the whole answer.
    BestEffort,
}

impl Field {
    pub(crate) const fn optional(name: &'static str, kind: Kind, doc: &'static str) -> Field {
        Field { name, alias: None, kind, presence: Presence::Optional, doc }
    }

    pub(crate) const fn required(name: &'static str, kind: Kind, doc: &'static str) -> Field {
        Field { name, alias: None, kind, presence: Presence::Required, doc }
    }

    pub(crate) const fn empty_if_absent(name: &'static str, kind: Kind, doc: &'static str) -> Field {
        Field { name, alias: None, kind, presence: Presence::EmptyIfAbsent, doc }
    }

    pub(crate) const fn best_effort(name: &'static str, kind: Kind, doc: &'static str) -> Field {
        Field { name, alias: None, kind, presence: Presence::BestEffort, doc }
    }

    /// Whether an answer may leave it out (a list that reads as empty when absent is
    /// always there).
    pub(crate) fn is_required(&self) -> bool {
        matches!(self.presence, Presence::Required | Presence::EmptyIfAbsent)
    }

    /// The same field, also read under `alias`.
    pub(crate) const fn or(self, alias: &'static str) -> Field {
        Field { alias: Some(alias), ..self }
    }
}

/// Where in the body a value was wrong, innermost first, and what was wrong.
struct Mismatch {
    path: Vec<String>,
    problem: &'static str,
}

fn mismatch(problem: &'static str) -> Mismatch {
    Mismatch { path: Vec::new(), problem }
}

impl Mismatch {
    fn within(mut self, segment: String) -> Mismatch {
        self.path.push(segment);
        self
    }

    /// `data[0].id`, or `.` for the body itself.
    fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            if !segment.starts_with('[') && !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }
}

/// The result of operation `op` read from its answer, or the error the answer stands for.
pub(crate) fn read_result(op: Operation, response: &HttpResponse) -> Result<Value, Error> {
    check_failure(op, response)?;
    let status = response.status;
    // A literal `null` says as little as an empty body (some Vonage writes answer it), so
    // both read as `{}`: a result with no required field is empty, any other is missing
    // its required field.
    let trimmed = response.body.trim_ascii();
    let body: &[u8] = if trimmed.is_empty() || trimmed == b"null" { b"{}" } else { &response.body };
    let body: Value = serde_json::from_slice(body).map_err(|_| Error::decode(op, status, "is not complete JSON"))?;
    read(of(op), body)
        .map_err(|m| Error::decode(op, status, format!("has the wrong shape at `{}`: {}", m.path(), m.problem)))
}

fn read(kind: &Kind, value: Value) -> Result<Value, Mismatch> {
    match (kind, value) {
        (Kind::Text | Kind::OpenEnum(_), value @ Value::String(_)) => Ok(value),
        (Kind::Text | Kind::OpenEnum(_), _) => Err(mismatch("expected a string")),
        (Kind::Id, value @ Value::String(_)) => Ok(value),
        (Kind::Id, Value::Number(n)) => Ok(Value::String(n.to_string())),
        (Kind::Id, _) => Err(mismatch("expected a string")),
        (Kind::Int, Value::Number(n)) => n.as_i64().map(Value::from).ok_or_else(|| mismatch("expected an integer")),
        (Kind::Int, Value::String(s)) => {
            s.trim().parse::<i64>().map(Value::from).map_err(|_| mismatch("expected an integer or a digit string"))
        }
        (Kind::Int, _) => Err(mismatch("expected an integer or a digit string")),
        (Kind::Flag, value @ Value::Bool(_)) => Ok(value),
        (Kind::Flag, Value::Number(n)) if n.as_u64().is_some_and(|n| n <= 1) => Ok(Value::Bool(n.as_u64() == Some(1))),
        (Kind::Flag, Value::String(s)) if s == "0" || s == "1" => Ok(Value::Bool(s == "1")),
        (Kind::Flag, _) => Err(mismatch("expected a flag: true, false, 0 or 1")),
        (Kind::Bool, value @ Value::Bool(_)) => Ok(value),
        (Kind::Bool, _) => Err(mismatch("expected true or false")),
        (Kind::Texts, value) => read_list(&Kind::Text, value),
        (Kind::Any, value) => Ok(without_nulls(value)),
        (Kind::Object(shape), Value::Object(map)) => read_object(shape.fields, map),
        (Kind::Object(_), _) => Err(mismatch("expected an object")),
        (Kind::List(shape), value) => read_list(&Kind::Object(shape), value),
        (Kind::BareOr(key, shape), value @ Value::Array(_)) => {
            read_object(shape.fields, Map::from_iter([((*key).to_owned(), value)]))
        }
        (Kind::BareOr(_, shape), Value::Object(map)) => read_object(shape.fields, map),
        (Kind::BareOr(..), _) => Err(mismatch("expected a list or an object")),
    }
}

/// A whole number as [`Kind::Int`] reads it.
pub(crate) fn int(value: &Value) -> Option<i64> {
    read(&Kind::Int, value.clone()).ok()?.as_i64()
}

fn read_list(item: &Kind, value: Value) -> Result<Value, Mismatch> {
    let Value::Array(items) = value else { return Err(mismatch("expected a list")) };
    let items = items.into_iter().enumerate().map(|(i, v)| read(item, v).map_err(|m| m.within(format!("[{i}]"))));
    items.collect::<Result<Vec<_>, _>>().map(Value::Array)
}

fn read_object(fields: &[Field], mut map: Map<String, Value>) -> Result<Value, Mismatch> {
    let mut out = Map::new();
    for field in fields {
        let mut given = map.remove(field.name).filter(|v| !v.is_null());
        if let (None, Some(alias)) = (&given, field.alias) {
            given = map.remove(alias).filter(|v| !v.is_null());
        }
        let value = match (given, &field.presence) {
            (Some(value), Presence::BestEffort) => match read(&field.kind, value) {
                Ok(value) => value,
                Err(_) => continue,
            },
            (Some(value), _) => read(&field.kind, value).map_err(|m| m.within(field.name.to_owned()))?,
            (None, Presence::Optional | Presence::BestEffort) => continue,
            (None, Presence::Required) => return Err(mismatch("is missing").within(field.name.to_owned())),
            (None, Presence::EmptyIfAbsent) => Value::Array(Vec::new()),
        };
        out.insert(field.name.to_owned(), value);
    }
    Ok(Value::Object(out))
}

/// Drops null members: an absent field is left out, never invented as `null`.
pub(crate) fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// What a delete answers: nothing (any fields are dropped).
const EMPTY: Kind = Kind::Object(&Shape { name: "Empty", doc: "Nothing: the call succeeded.", fields: &[] });

/// The shape of each operation's result.
pub(crate) fn of(op: Operation) -> &'static Kind {
    use Operation::*;
    match op {
        MetaRequestCode | MetaVerifyCode | MetaRegister | MetaDeregister | MetaSetTwoStepPin => &meta::SUCCESS,
        MetaGetPhoneNumber => &meta::PHONE_NUMBER_INFO,
        MetaListPhoneNumbers => &meta::PHONE_NUMBER_LIST,
        MetaAddPhoneNumber => &meta::ADDED_PHONE_NUMBER,
        MetaAddPreverifiedNumber => &meta::ADDED_PHONE_NUMBER,
        MetaListPreverifiedNumbers => &meta::PREVERIFIED_NUMBER_LIST,
        MetaGetPreverifiedNumber => &meta::PREVERIFIED_NUMBER_CHECK,
        MetaDeletePreverifiedNumber => &meta::DELETED,
        MetaRequestPreverifiedCode | MetaVerifyPreverifiedCode | MetaSharePreverifiedNumber => &meta::SUCCESS,
        MetaListPreverifiedPartners => &meta::PARTNER_LIST,
        VonageCreateDeployment | VonageGetDeployment => &vonage::DEPLOYMENT,
        VonageListDeployments => &vonage::DEPLOYMENT_LIST,
        VonageDeleteDeployment | VonageUpdateStickerpack | VonageDeleteStickerpack | VonageDeleteSticker => &EMPTY,
        VonageResendOtp => &vonage::OTP_RESENT,
        VonageVerifyOtp => &vonage::OTP_VERIFIED,
        VonageGetProfile | VonageUpdateProfile => &vonage::PROFILE,
        VonageGetProfilePhoto | VonageUpdateProfilePhoto => &vonage::PROFILE_PHOTO,
        VonageListStickerpacks | VonageCreateStickerpack => &vonage::STICKERPACKS,
        VonageListStickers | VonageGetSticker | VonageCreateSticker => &vonage::STICKERS,
        Digital99AccessToken => &digital99::ACCESS_TOKEN,
        Digital99RegisterNumber | Digital99DeleteAccount => &digital99::NUMBER_OUTCOME,
        Digital99VerifyNumber => &digital99::VERIFIED_NUMBER,
        Digital99ListRegisteredNumbers => &digital99::REGISTERED_NUMBERS,
        Digital99ListWhatsappNumbers => &digital99::WHATSAPP_NUMBERS,
        Digital99ListAccounts => &digital99::ACCOUNTS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_wrong_value() {
        const ITEM: Shape = Shape { name: "Item", doc: "", fields: &[Field::required("id", Kind::Text, "")] };
        const KIND: Kind =
            Kind::Object(&Shape { name: "Page", doc: "", fields: &[Field::required("data", Kind::List(&ITEM), "")] });
        let kind = KIND;
        let body = serde_json::json!({"data": [{"id": "1"}, {"id": 2}]});
        let Err(m) = read(&kind, body) else { panic!("a number is not a string") };
        assert_eq!(m.path(), "data[1].id");
        let Err(m) = read(&kind, serde_json::json!({})) else { panic!("data is required") };
        assert_eq!((m.path().as_str(), m.problem), ("data", "is missing"));
        let Err(m) = read(&kind, serde_json::json!([])) else { panic!("not an object") };
        assert_eq!(m.path(), ".");
    }

    #[test]
    fn loose_values_are_made_canonical() {
        const KIND: Kind = Kind::Object(&Shape {
            name: "Loose",
            doc: "",
            fields: &[
                Field::optional("n", Kind::Int, ""),
                Field::optional("on", Kind::Flag, "").or("isOn"),
                Field::optional("id", Kind::Id, ""),
                Field::empty_if_absent("list", Kind::Texts, ""),
            ],
        });
        let kind = KIND;
        let read = read(&kind, serde_json::json!({"n": " 42", "isOn": "1", "id": 7, "x": 1, "gone": null}));
        assert_eq!(read.ok(), Some(serde_json::json!({"n": 42, "on": true, "id": "7", "list": []})));
    }
}
