//! Every operation as data: its method and path, its parameters with their rules, its
//! result's shape and the errors it can raise. Each provider module hands over its table
//! of operations; the result shapes are the very tables [`crate::parse`] reads answers
//! with. [`describe`] turns all of it into one JSON document, from which
//! `tools/gen_surfaces.py` writes the typed surface of every language (TypeScript
//! declarations, Python stubs and typed dicts, the uniffi records behind Kotlin and Swift,
//! the tables of docs/contract.md); `core/tests/schema.rs` holds each parameter's rule to
//! what `prepare` does, and the committed copy to what this module describes.

use serde_json::{json, Map, Value};

use crate::shape::{self, Field, Kind, Shape};
use crate::{digital99, meta, vonage, ErrorKind, Method, Operation};

/// What the core knows of one operation.
#[non_exhaustive]
pub struct OperationSpec {
    /// Which operation.
    pub operation: Operation,
    /// The HTTP method it sends.
    pub method: Method,
    /// The path under the provider's base URL, with `{param}` for path parameters.
    pub path: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// Its parameters, in the contract's order.
    pub params: &'static [Param],
}

/// One parameter of an operation.
#[non_exhaustive]
pub struct Param {
    /// The contract's name, e.g. `phone_number_id`.
    pub name: &'static str,
    /// Its JSON type.
    pub kind: ParamKind,
    /// Whether a call without it is refused.
    pub required: bool,
    /// What the value must be, beyond its type.
    pub rule: Rule,
    /// One line on what it is.
    pub doc: &'static str,
}

/// A parameter's JSON type.
pub enum ParamKind {
    /// A string.
    Text,
    /// A string kept out of every error, log and Debug output (codes, PINs, secrets).
    Secret,
    /// A whole number (a digit string is accepted too).
    Int,
    /// `true` or `false`.
    Bool,
    /// A list of strings, each held to the parameter's rule.
    Texts,
    /// An object with these members.
    Object(&'static str, &'static [Param]),
    /// A list of such objects.
    Objects(&'static str, &'static [Param]),
}

/// What a value must be, beyond its JSON type. Each is checked by `prepare`, which names
/// the parameter it refuses. Exhaustive on purpose: core/tests/schema.rs probes every
/// rule, and a new one must not pass it unprobed.
pub enum Rule {
    /// Anything of the type.
    Any,
    /// 1 to 32 ASCII digits: a Graph ID.
    NumericId,
    /// 1 to 128 of `A-Z a-z 0-9 - _`.
    TokenId,
    /// A phone number as a person writes it (docs/contract.md, "Input rules").
    PhoneNumber,
    /// An ISO 3166 region such as `US`.
    Region,
    /// A locale like `en_US` (`en-us` is accepted).
    Locale,
    /// A one-time code: 6 digits once spaces and hyphens are removed.
    Code,
    /// Exactly 6 ASCII digits.
    Pin,
    /// One of these, in any letter case; sent as spelt here.
    OneOf(&'static [&'static str]),
    /// From `min` to `max` characters, no control characters.
    Chars(u32, u32),
    /// From `min` to `max` printable characters.
    Printable(u32, u32),
    /// At most this many characters: words of letters and digits between single spaces.
    Words(u32),
    /// A whole number from `min` to `max`.
    Range(u64, u64),
    /// An absolute http(s) URL of at most this many characters.
    HttpUrl(u32),
    /// An http(s) URL of a .png, .jpg or .jpeg image.
    ImageUrl,
    /// An email address of at most 128 characters.
    Email,
    /// 1 to 4096 base64 characters.
    Base64,
    /// Graph field names: 1 to 64 of `a-z 0-9 _ . { } ,`.
    GraphField,
    /// A paging cursor as Meta returned it: 1 to 1024 printable ASCII characters.
    Cursor,
    /// 1 to 64 of `a-z 0-9 _`.
    Namespace,
    /// `https://itunes.apple.com/…/id<digits>` (or `apps.apple.com`).
    AppStoreLink,
    /// `https://play.google.com/store/apps/details?id=<package>`.
    PlayStoreLink,
    /// One ASCII letter or digit.
    OneCharacter,
}

impl Rule {
    /// The rule's name in the description, and the sentence that explains it.
    fn describe(&self) -> (&'static str, String) {
        match self {
            Rule::Any => ("any", String::new()),
            Rule::NumericId => ("numeric_id", "1 to 32 ASCII digits, as a string".into()),
            Rule::TokenId => ("token_id", "1 to 128 of `A-Z a-z 0-9 - _`".into()),
            Rule::PhoneNumber => ("phone_number", "a phone number as a person writes it: `+44 7700 900000`; without `+` or `00` it is read with `country`".into()),
            Rule::Region => ("region", "an ISO 3166 region such as `US`".into()),
            Rule::Locale => ("locale", "a locale like `en_US` (`en-us` is accepted)".into()),
            Rule::Code => ("code", "6 digits; spaces and hyphens are ignored".into()),
            Rule::Pin => ("pin", "exactly 6 digits".into()),
            Rule::OneOf(values) => ("one_of", format!("one of {}, in any letter case", values.join(", "))),
            Rule::Chars(min, max) => ("chars", format!("{min} to {max} characters")),
            Rule::Printable(min, max) => ("printable", format!("{min} to {max} printable characters")),
            Rule::Words(max) => ("words", format!("at most {max} characters: words of letters and digits between single spaces")),
            Rule::Range(min, max) => ("range", format!("a whole number from {min} to {max}")),
            Rule::HttpUrl(max) => ("http_url", format!("an absolute http(s) URL of at most {max} characters")),
            Rule::ImageUrl => ("image_url", "an http(s) URL of a .png, .jpg or .jpeg image".into()),
            Rule::Email => ("email", "an email address of at most 128 characters".into()),
            Rule::Base64 => ("base64", "1 to 4096 base64 characters".into()),
            Rule::GraphField => ("graph_field", "field names: 1 to 64 of `a-z 0-9 _ . { } ,` each".into()),
            Rule::Cursor => ("cursor", "a paging cursor as Meta returned it".into()),
            Rule::Namespace => ("namespace", "1 to 64 of `a-z 0-9 _`".into()),
            Rule::AppStoreLink => ("app_store_link", "`https://itunes.apple.com/app/id<digits>`".into()),
            Rule::PlayStoreLink => {
                ("play_store_link", "`https://play.google.com/store/apps/details?id=<package>`".into())
            }
            Rule::OneCharacter => ("one_character", "one ASCII letter or digit".into()),
        }
    }

    /// The bounds and values a generated surface can state as types or checks.
    fn limits(&self) -> Map<String, Value> {
        let mut out = Map::new();
        let mut put = |key: &str, value: Value| {
            out.insert(key.to_owned(), value);
        };
        match self {
            Rule::OneOf(values) => put("values", json!(values)),
            Rule::Chars(min, max) | Rule::Printable(min, max) => {
                put("min_length", json!(min));
                put("max_length", json!(max));
            }
            Rule::Words(max) | Rule::HttpUrl(max) => put("max_length", json!(max)),
            Rule::Range(min, max) => {
                put("minimum", json!(min));
                put("maximum", json!(max));
            }
            Rule::Pin | Rule::Code => put("digits", json!(6)),
            _ => {}
        }
        out
    }
}

/// Every operation's spec, in the contract's order.
pub fn operations() -> impl Iterator<Item = &'static OperationSpec> {
    meta::OPERATIONS.iter().chain(vonage::OPERATIONS).chain(digital99::OPERATIONS)
}

/// The spec of `op` (every operation has one: core/tests/schema.rs walks them all).
pub fn operation(op: Operation) -> Option<&'static OperationSpec> {
    operations().find(|spec| spec.operation == op)
}

/// The whole description as JSON: `operations` (each with its params, result type and
/// error kinds) and `types` (every named result shape, once).
pub fn describe() -> Value {
    let mut types = Map::new();
    let operations: Vec<Value> = operations()
        .map(|spec| {
            let op = spec.operation;
            let result = shape::of(op);
            let result_type = type_name(result, &mut types);
            json!({
                "id": op.as_str(),
                "provider": op.provider().as_str(),
                "name": op.as_str().split_once('.').map_or("", |(_, name)| name),
                "method": spec.method.as_str(),
                "path": spec.path,
                "read": op.is_read(),
                "summary": spec.summary,
                "params": spec.params.iter().map(param).collect::<Vec<_>>(),
                "result": result_type,
                "errors": errors_of(op),
            })
        })
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "error_kinds": ErrorKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "operations": operations,
        "types": types,
    })
}

fn param(p: &Param) -> Value {
    let (rule, rule_doc) = p.rule.describe();
    let mut out = Map::new();
    out.insert("name".into(), json!(p.name));
    out.insert("type".into(), param_kind(&p.kind));
    out.insert("required".into(), json!(p.required));
    out.insert("rule".into(), json!(rule));
    if !rule_doc.is_empty() {
        out.insert("rule_doc".into(), json!(rule_doc));
    }
    out.extend(p.rule.limits());
    out.insert("doc".into(), json!(p.doc));
    Value::Object(out)
}

fn param_kind(kind: &ParamKind) -> Value {
    match kind {
        ParamKind::Text => json!("string"),
        ParamKind::Secret => json!("secret"),
        ParamKind::Int => json!("integer"),
        ParamKind::Bool => json!("boolean"),
        ParamKind::Texts => json!({"list": "string"}),
        ParamKind::Object(name, members) => {
            json!({"object": name, "members": members.iter().map(param).collect::<Vec<_>>()})
        }
        ParamKind::Objects(name, members) => {
            json!({"list": {"object": name, "members": members.iter().map(param).collect::<Vec<_>>()}})
        }
    }
}

/// The name of the type `kind` reads into, recording named shapes in `types` once.
fn type_name(kind: &Kind, types: &mut Map<String, Value>) -> Value {
    match kind {
        Kind::Text | Kind::Id => json!("string"),
        Kind::OpenEnum(values) => json!({"open_enum": values}),
        Kind::Int => json!("integer"),
        Kind::Flag | Kind::Bool => json!("boolean"),
        Kind::Texts => json!({"list": "string"}),
        Kind::Any => json!("json"),
        Kind::Object(shape) | Kind::BareOr(_, shape) => json!(record(shape, types)),
        Kind::List(shape) => json!({"list": record(shape, types)}),
    }
}

fn record(shape: &Shape, types: &mut Map<String, Value>) -> &'static str {
    if !types.contains_key(shape.name) {
        // Reserve the name first: a shape may be reached again through its own fields.
        types.insert(shape.name.to_owned(), Value::Null);
        let fields: Vec<Value> = shape.fields.iter().map(|f| field(f, types)).collect();
        types.insert(shape.name.to_owned(), json!({"doc": shape.doc, "fields": fields}));
    }
    shape.name
}

fn field(f: &Field, types: &mut Map<String, Value>) -> Value {
    json!({"name": f.name, "type": type_name(&f.kind, types), "required": f.is_required(), "doc": f.doc})
}

/// The kinds of error `op` can end in: every provider-side kind, and `guard` only where a
/// client-side guard counts the call.
fn errors_of(op: Operation) -> Vec<&'static str> {
    let guarded = crate::client::GuardLimits::default().limit(op).is_some();
    ErrorKind::ALL.iter().filter(|k| **k != ErrorKind::Guard || guarded).map(|k| k.as_str()).collect()
}
