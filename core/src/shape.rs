//! How each operation's success body becomes its result: one reader driven by a table of
//! field shapes per result, shared by the typed API (which deserialises the result it
//! returns) and the bindings (which hand it over as JSON as it is).
//!
//! A table instead of a serde type per result keeps one copy of the reading code in the
//! wasm module rather than one per result type. The reader is lenient where providers
//! are loose (IDs sent as numbers, counts as digit strings, flags as `0`/`1`, camelCase
//! spellings) and strict elsewhere; unknown fields are dropped, and absent or null ones
//! are left out.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
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
    read_success(op, response.status, &response.body)
}

/// The result of operation `op` read from an answer that is no failure.
pub(crate) fn read_success(op: Operation, status: u16, body: &[u8]) -> Result<Value, Error> {
    // A literal `null` says as little as an empty body (some Vonage writes answer it), so
    // both read as `{}`: a result with no required field is empty, any other is missing
    // its required field.
    let trimmed = body.trim_ascii();
    let body: &[u8] = if trimmed.is_empty() || trimmed == b"null" { b"{}" } else { body };
    let read = read_json(of(op), body).map_err(|_| Error::decode(op, status, "is not complete JSON"))?;
    read.map_err(|m| Error::decode(op, status, format!("has the wrong shape at `{}`: {}", m.path(), m.problem)))
}

/// Reads `body` as `kind` says while serde_json parses it. The outcome is the one of
/// parsing the whole body into a `Value` and reading that (JSON that does not parse fails
/// whatever its shape; a repeated key counts once, the last; a null member is absent), but
/// the members the table drops are never built, and no second tree is made for the result.
fn read_json(kind: &Kind, body: &[u8]) -> Result<Result<Value, Mismatch>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let read = Reader(kind).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(read.or_null(kind))
}

/// A value read by its kind as it was parsed; a `null` is told apart, as an object's null
/// member reads as absent.
enum Read {
    Null,
    Done(Result<Value, Mismatch>),
}

impl Read {
    fn or_null(self, kind: &Kind) -> Result<Value, Mismatch> {
        match self {
            Read::Null => read_scalar(kind, Value::Null),
            Read::Done(read) => read,
        }
    }
}

/// Reads the next value as its kind says.
struct Reader<'k>(&'k Kind);

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Read;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_unit<E>(self) -> Result<Read, E> {
        Ok(Read::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Read, E> {
        Ok(Read::Done(read_scalar(self.0, Value::Bool(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Read, E> {
        Ok(Read::Done(read_scalar(self.0, Value::Number(v.into()))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Read, E> {
        Ok(Read::Done(read_scalar(self.0, Value::Number(v.into()))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Read, E> {
        Ok(Read::Done(read_scalar(self.0, serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Read, E> {
        Ok(Read::Done(read_scalar(self.0, Value::String(v.to_owned()))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read, A::Error> {
        Ok(Read::Done(match self.0 {
            Kind::Texts => read_items(&Kind::Text, seq)?,
            Kind::List(fields) => read_items(&Kind::Object(fields), seq)?,
            Kind::Any => Ok(without_nulls(Value::deserialize(SeqAccessDeserializer::new(seq))?)),
            // A bare list reads as the one member `key` of an object.
            Kind::BareOr(key, shape) => {
                let mut members = Members::new(shape.fields);
                match members.field(key) {
                    Some((slot, field)) => {
                        let read = Reader(&field.kind).visit_seq(seq)?;
                        members.put(slot, read);
                    }
                    None => while seq.next_element::<Skip>()?.is_some() {},
                }
                members.finish()
            }
            kind => {
                while seq.next_element::<Skip>()?.is_some() {}
                read_scalar(kind, Value::Array(Vec::new()))
            }
        }))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        Ok(Read::Done(match self.0 {
            Kind::Object(shape) | Kind::BareOr(_, shape) => {
                let mut members = Members::new(shape.fields);
                while let Some(field) = map.next_key_seed(Spelling(&members))? {
                    match field {
                        Some((slot, field)) => {
                            let read = map.next_value_seed(Reader(&field.kind))?;
                            members.put(slot, read);
                        }
                        None => {
                            map.next_value::<Skip>()?;
                        }
                    }
                }
                members.finish()
            }
            Kind::Any => Ok(without_nulls(Value::deserialize(MapAccessDeserializer::new(map))?)),
            kind => {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                read_scalar(kind, Value::Object(Map::new()))
            }
        }))
    }
}

/// The items of a list, each read as `item`; the first wrong one names the list's fault.
fn read_items<'de, A: SeqAccess<'de>>(item: &Kind, mut seq: A) -> Result<Result<Value, Mismatch>, A::Error> {
    let mut items = Vec::new();
    let mut wrong = None;
    while let Some(read) = seq.next_element_seed(Reader(item))? {
        match (read.or_null(item), &wrong) {
            (Ok(value), None) => items.push(value),
            (Err(m), None) => wrong = Some(m.within(format!("[{}]", items.len()))),
            (_, Some(_)) => {}
        }
    }
    Ok(wrong.map_or(Ok(Value::Array(items)), Err))
}

/// The members of an object met so far that a field of the table reads, by field and by
/// the spelling they came under. A repeated key replaces the earlier value, as in a `Value`.
struct Members {
    fields: &'static [Field],
    /// The member under each field's name.
    named: Vec<Option<Read>>,
    /// The members under a field's alias (rare), with the field's index.
    aliased: Vec<(usize, Read)>,
}

/// Where a member goes: the index of its field, and whether it came under the alias.
#[derive(Clone, Copy)]
struct Slot {
    field: usize,
    alias: bool,
}

impl Members {
    fn new(fields: &'static [Field]) -> Members {
        let mut named = Vec::new();
        named.resize_with(fields.len(), || None);
        Members { fields, named, aliased: Vec::new() }
    }

    /// The slot and field of a member spelt `key`: the field of that name, or of that
    /// alias (no spelling serves two fields of a table).
    fn field(&self, key: &str) -> Option<(Slot, &'static Field)> {
        self.fields.iter().enumerate().find_map(|(i, f)| match f.alias {
            _ if f.name == key => Some((Slot { field: i, alias: false }, f)),
            Some(alias) if alias == key => Some((Slot { field: i, alias: true }, f)),
            _ => None,
        })
    }

    fn put(&mut self, slot: Slot, read: Read) {
        if !slot.alias {
            if let Some(given) = self.named.get_mut(slot.field) {
                *given = Some(read);
            }
        } else if let Some(given) = self.aliased.iter_mut().find(|(i, _)| *i == slot.field) {
            given.1 = read;
        } else {
            self.aliased.push((slot.field, read));
        }
    }

    /// The non-null value given in `slot`, once.
    fn take(&mut self, slot: Slot) -> Option<Result<Value, Mismatch>> {
        let given = if slot.alias {
            let at = self.aliased.iter().position(|(i, _)| *i == slot.field)?;
            self.aliased.swap_remove(at).1
        } else {
            self.named.get_mut(slot.field)?.take()?
        };
        match given {
            Read::Null => None,
            Read::Done(read) => Some(read),
        }
    }

    /// The object the table makes of them: its fields in order, the first wrong one
    /// naming the fault.
    fn finish(mut self) -> Result<Value, Mismatch> {
        let mut out = Map::new();
        for (i, field) in self.fields.iter().enumerate() {
            let mut given = self.take(Slot { field: i, alias: false });
            if given.is_none() {
                given = self.take(Slot { field: i, alias: true });
            }
            let value = match (given, &field.presence) {
                (Some(read), Presence::BestEffort) => match read {
                    Ok(value) => value,
                    Err(_) => continue,
                },
                (Some(read), _) => read.map_err(|m| m.within(field.name.to_owned()))?,
                (None, Presence::Optional | Presence::BestEffort) => continue,
                (None, Presence::Required) => return Err(mismatch("is missing").within(field.name.to_owned())),
                (None, Presence::EmptyIfAbsent) => Value::Array(Vec::new()),
            };
            out.insert(field.name.to_owned(), value);
        }
        Ok(Value::Object(out))
    }
}

/// Reads a member's key into the field it is for, if any, without allocating it.
struct Spelling<'m>(&'m Members);

impl<'de> DeserializeSeed<'de> for Spelling<'_> {
    type Value = Option<(Slot, &'static Field)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Spelling<'_> {
    type Value = Option<(Slot, &'static Field)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.field(key))
    }
}

/// Parses a value the table drops, as strictly as a `Value` would be, keeping nothing.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// A value that is no list or object read as `kind` says, or the fault of a list or an
/// object where `kind` wants none of that sort (which its items do not change). Lists and
/// objects that `kind` wants are read as they are parsed ([`Reader`]).
fn read_scalar(kind: &Kind, value: Value) -> Result<Value, Mismatch> {
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
        (Kind::Texts | Kind::List(_), _) => Err(mismatch("expected a list")),
        (Kind::Any, value) => Ok(without_nulls(value)),
        (Kind::Object(_), _) => Err(mismatch("expected an object")),
        (Kind::BareOr(..), _) => Err(mismatch("expected a list or an object")),
    }
}

/// A whole number as [`Kind::Int`] reads it.
pub(crate) fn int(value: &Value) -> Option<i64> {
    read_scalar(&Kind::Int, value.clone()).ok()?.as_i64()
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

    fn read(kind: &Kind, body: Value) -> Result<Value, Mismatch> {
        read_json(kind, body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn paths_name_the_wrong_value() {
        const ITEM: Shape = Shape { name: "Item", doc: "", fields: &[Field::required("id", Kind::Text, "")] };
        const KIND: Kind =
            Kind::Object(&Shape { name: "Page", doc: "", fields: &[Field::required("data", Kind::List(&ITEM), "")] });
        let kind = KIND;
        let body = serde_json::json!({"data": [{"id": "1"}, {"id": 2}, {"id": true}]});
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

    /// What [`read_json`] must match: the body parsed into a `Value` first, then read.
    fn read_parsed(kind: &Kind, value: Value) -> Result<Value, Mismatch> {
        match (kind, value) {
            (Kind::Texts, value) => read_parsed_list(&Kind::Text, value),
            (Kind::Object(shape), Value::Object(map)) => read_parsed_object(shape.fields, map),
            (Kind::List(shape), value) => read_parsed_list(&Kind::Object(shape), value),
            (Kind::BareOr(key, shape), value @ Value::Array(_)) => {
                read_parsed_object(shape.fields, Map::from_iter([((*key).to_owned(), value)]))
            }
            (Kind::BareOr(_, shape), Value::Object(map)) => read_parsed_object(shape.fields, map),
            (kind, value) => read_scalar(kind, value),
        }
    }

    fn read_parsed_list(item: &Kind, value: Value) -> Result<Value, Mismatch> {
        let Value::Array(items) = value else { return Err(mismatch("expected a list")) };
        let items =
            items.into_iter().enumerate().map(|(i, v)| read_parsed(item, v).map_err(|m| m.within(format!("[{i}]"))));
        items.collect::<Result<Vec<_>, _>>().map(Value::Array)
    }

    fn read_parsed_object(fields: &[Field], mut map: Map<String, Value>) -> Result<Value, Mismatch> {
        let mut out = Map::new();
        for field in fields {
            let mut given = map.remove(field.name).filter(|v| !v.is_null());
            if let (None, Some(alias)) = (&given, field.alias) {
                given = map.remove(alias).filter(|v| !v.is_null());
            }
            let value = match (given, &field.presence) {
                (Some(value), Presence::BestEffort) => match read_parsed(&field.kind, value) {
                    Ok(value) => value,
                    Err(_) => continue,
                },
                (Some(value), _) => read_parsed(&field.kind, value).map_err(|m| m.within(field.name.to_owned()))?,
                (None, Presence::Optional | Presence::BestEffort) => continue,
                (None, Presence::Required) => return Err(mismatch("is missing").within(field.name.to_owned())),
                (None, Presence::EmptyIfAbsent) => Value::Array(Vec::new()),
            };
            out.insert(field.name.to_owned(), value);
        }
        Ok(Value::Object(out))
    }

    fn outcome(read: Result<Result<Value, Mismatch>, serde_json::Error>) -> String {
        match read {
            Err(_) => "not JSON".to_owned(),
            Ok(Ok(value)) => value.to_string(),
            Ok(Err(m)) => format!("{}: {}", m.path(), m.problem),
        }
    }

    /// Every field list of every result, nested ones too.
    fn field_lists(kind: &'static Kind, out: &mut Vec<&'static [Field]>) {
        match kind {
            Kind::Object(shape) | Kind::List(shape) | Kind::BareOr(_, shape) => {
                out.push(shape.fields);
                for field in shape.fields {
                    field_lists(&field.kind, out);
                }
            }
            _ => {}
        }
    }

    /// [`Members::field`] reads each member for one field only: no table spells two of its
    /// fields alike, by name or alias.
    #[test]
    fn no_spelling_serves_two_fields() {
        let mut lists = Vec::new();
        for op in Operation::ALL {
            field_lists(of(*op), &mut lists);
        }
        for fields in lists {
            let mut spellings: Vec<&str> = fields.iter().flat_map(|f| [Some(f.name), f.alias]).flatten().collect();
            let count = spellings.len();
            spellings.sort_unstable();
            spellings.dedup();
            assert_eq!(spellings.len(), count, "{spellings:?}");
        }
    }

    /// Reading while parsing gives what parsing first and reading the `Value` gives, for
    /// every answer of the shared vectors read as every result, and for bodies made to
    /// catch the differences: repeated keys, nulls, aliases, numbers out of range, wrong
    /// members after wrong ones, bad JSON after a wrong shape.
    #[test]
    fn reading_while_parsing_agrees_with_reading_a_parsed_value() {
        let mut bodies: Vec<String> = [
            r#"{"success":true}"#,
            r#"{"success":"yes","success":true}"#,
            r#"{"success":true,"success":null}"#,
            r#"{"success":true,"x":1e400}"#,
            r#"{"success":1,"x":[1,{"a":"\ud800"}]}"#,
            r#"{"success":1"#,
            r#"{"success":true} x"#,
            r#"{"data":[{"id":1},{"id":"2","is_on":"1"},null],"paging":{"cursors":{"after":"A"}}}"#,
            r#"{"data":[{"id":"1"}],"data":{"id":"1"}}"#,
            r#"[{"deployment_id":"d","current_state":{"title":"READY","title":null}}]"#,
            r#"{"deployment_id":7,"waba_id":null,"current_state":[]}"#,
            r#"{"status":"OK","whatsapp":972501234567,"reason":"1","extra":{"deep":[[[]]]}}"#,
            r#"{"access_token":"t","expiration_time":"12a"}"#,
            r#"{"a":[1,2,3],"b":{"c":null},"about":null,"websites":["x",null]}"#,
            "[]",
            "{}",
            "null",
            "true",
            "12",
            "-3",
            "1.5",
            r#""text""#,
            "[[]]",
            "[null]",
            "",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let cases: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            for case in cases["cases"].as_array().unwrap() {
                match (case.pointer("/response/body"), case.pointer("/response/body_text")) {
                    (Some(body), _) => bodies.push(body.to_string()),
                    (None, Some(Value::String(text))) => bodies.push(text.clone()),
                    _ => {}
                }
            }
        }
        assert!(bodies.len() > 100, "only {} bodies", bodies.len());
        for op in Operation::ALL {
            let kind = of(*op);
            for body in &bodies {
                let parsed = serde_json::from_slice::<Value>(body.as_bytes()).map(|v| read_parsed(kind, v));
                assert_eq!(outcome(read_json(kind, body.as_bytes())), outcome(parsed), "{op} reading {body}");
            }
        }
    }
}
