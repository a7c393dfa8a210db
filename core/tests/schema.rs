//! Holds the operation description (`waonboard::schema`) to what the core does, so that
//! the surfaces generated from it cannot promise what `prepare` does not do:
//! - every operation has one spec, in the contract's order, with the method and path its
//!   requests really have;
//! - every parameter any shared vector passes is in the spec, and nothing else is taken;
//! - each parameter's requiredness, JSON type and rule is probed through `prepare`: values
//!   at the rule's bounds pass, values just past them are refused naming the parameter;
//! - `docs/schema.json`, which tools/gen_surfaces.py reads, is what `describe` returns
//!   (`WAONBOARD_BLESS=1` rewrites it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use waonboard::schema::{self, Param, ParamKind, Rule};
use waonboard::{ErrorKind, Operation};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every case of the shared vectors that names an operation: (op, params, config, what it
/// expects).
fn vector_cases() -> Vec<(String, Value, Value, Value)> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(root().join("tests/vectors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in file["cases"].as_array().into_iter().flatten() {
            let (Some(op), Some(params)) = (case["op"].as_str(), case.get("params")) else { continue };
            let config = case.get("config").cloned().unwrap_or(json!({}));
            cases.push((op.to_owned(), params.clone(), config, case["expect"].clone()));
        }
    }
    cases
}

/// A valid call of `op` from the vectors: its params and config.
fn valid_call(op: Operation) -> (Map<String, Value>, Value) {
    let cases = vector_cases();
    let (_, params, config, _) = cases
        .into_iter()
        .filter(|(id, _, _, expect)| id == op.as_str() && expect.get("request").is_some())
        // The case with the most parameters probes the most.
        .max_by_key(|(_, params, _, _)| params.as_object().map_or(0, Map::len))
        .unwrap_or_else(|| panic!("{op}: no vector prepares it"));
    (params.as_object().cloned().unwrap_or_default(), config)
}

fn prepare(
    op: Operation,
    params: &Map<String, Value>,
    config: &Value,
) -> Result<waonboard::HttpRequest, waonboard::Error> {
    waonboard::prepare(op.as_str(), &Value::Object(params.clone()), config)
}

/// Whether `error` is a validation error about `name` (or one of its entries or members).
fn names(error: &waonboard::Error, name: &str) -> bool {
    let field = error.field().unwrap_or_default();
    error.kind() == ErrorKind::Validation
        && (field == name || field.starts_with(&format!("{name}[")) || field.starts_with(&format!("{name}.")))
}

#[test]
fn every_operation_has_one_spec_in_the_contract_order() {
    let specs: Vec<Operation> = schema::operations().map(|s| s.operation).collect();
    assert_eq!(specs, Operation::ALL);
    for op in Operation::ALL {
        assert_eq!(schema::operation(*op).map(|spec| spec.operation), Some(*op));
    }
}

#[test]
fn method_and_path_are_what_prepare_sends() {
    for spec in schema::operations() {
        let op = spec.operation;
        let (params, config) = valid_call(op);
        let request = prepare(op, &params, &config).unwrap_or_else(|e| panic!("{op}: {e}"));
        assert_eq!(request.method, spec.method, "{op}");
        let mut path = spec.path.to_owned();
        for p in spec.params {
            let value = match &params.get(p.name) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => continue,
            };
            path = path.replace(&format!("{{{}}}", p.name), &value);
        }
        let url_path = request.url.split('?').next().unwrap();
        assert!(!path.contains('{'), "{op}: a path parameter of {} is not in the spec's params", spec.path);
        assert!(url_path.ends_with(&path), "{op}: sent {url_path}, the spec says …{path}");
    }
}

#[test]
fn the_vectors_pass_no_parameter_the_spec_lacks() {
    for (id, params, _, expect) in vector_cases() {
        let Ok(op) = id.parse::<Operation>() else { continue };
        let known: BTreeSet<&str> = schema::operation(op).unwrap().params.iter().map(|p| p.name).collect();
        for key in params.as_object().into_iter().flat_map(Map::keys) {
            // The cases that test the refusal of an unknown key expect an error naming it.
            let refused = expect["error"]["field"].as_str() == Some(key.as_str());
            assert!(known.contains(key.as_str()) || refused, "{id}: `{key}` is taken but not in the spec");
        }
    }
}

#[test]
fn requiredness_type_and_rule_of_every_parameter_are_what_prepare_checks() {
    let mut failures = Vec::new();
    for spec in schema::operations() {
        let op = spec.operation;
        let (base, config) = valid_call(op);
        let mut check = |what: String, params: Map<String, Value>, want_ok: bool, name: &str| match (
            prepare(op, &params, &config),
            want_ok,
        ) {
            (Ok(_), true) => {}
            (Err(e), false) if names(&e, name) => {}
            (got, _) => failures.push(format!("{op} {what}: got {:?}", got.map(|r| r.url).map_err(|e| e.to_string()))),
        };
        let unknown = with(&base, "zz_not_a_param", json!("x"));
        check("an unknown parameter".into(), unknown, false, "zz_not_a_param");
        for p in spec.params {
            // A valid value of the parameter: the vector's, or the rule's own.
            let Some(good) = base.get(p.name).cloned().or_else(|| good_value(p)) else { continue };
            let with_good = with(&base, p.name, good.clone());
            if p.required {
                let mut without = base.clone();
                without.remove(p.name);
                check(format!("without `{}`", p.name), without, false, p.name);
            }
            check(
                format!("`{}` of the wrong JSON type", p.name),
                with(&base, p.name, wrong_type(&p.kind)),
                false,
                p.name,
            );
            for (value, ok) in probes(p) {
                let what = format!("`{}` = {}", p.name, short(&value));
                check(what, with(&with_good, p.name, value), ok, p.name);
            }
        }
    }
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_committed_description_is_current() {
    let path = root().join("docs/schema.json");
    let described = serde_json::to_string_pretty(&schema::describe()).unwrap() + "\n";
    if std::env::var_os("WAONBOARD_BLESS").is_some() {
        std::fs::write(&path, &described).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == described,
        "docs/schema.json is stale: run `WAONBOARD_BLESS=1 cargo test -p waonboard --test schema`, then tools/gen_surfaces.py"
    );
}

fn with(base: &Map<String, Value>, key: &str, value: Value) -> Map<String, Value> {
    let mut params = base.clone();
    params.insert(key.to_owned(), value);
    params
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 40 {
        format!("{}… ({} chars)", &text[..30], text.len())
    } else {
        text
    }
}

fn wrong_type(kind: &ParamKind) -> Value {
    match kind {
        ParamKind::Text | ParamKind::Secret | ParamKind::Int => json!(true),
        ParamKind::Bool | ParamKind::Texts | ParamKind::Object(..) | ParamKind::Objects(..) => json!("x"),
    }
}

/// A value the rule accepts, for a parameter the vectors leave out.
fn good_value(p: &Param) -> Option<Value> {
    let (accepted, _) = rule_probe(&p.rule)?;
    Some(listed(p, accepted))
}

/// Values at the bounds of the parameter's rule, with whether `prepare` takes each.
fn probes(p: &Param) -> Vec<(Value, bool)> {
    let mut out = Vec::new();
    if let Rule::OneOf(values) = p.rule {
        out.extend(values.iter().map(|v| (listed(p, json!(v.to_ascii_lowercase())), true)));
    }
    if let Some((accepted, refused)) = rule_probe(&p.rule) {
        out.push((listed(p, accepted), true));
        out.extend(refused.into_iter().map(|v| (listed(p, v), false)));
    }
    out
}

/// A list parameter's rule holds for each entry.
fn listed(p: &Param, value: Value) -> Value {
    match p.kind {
        ParamKind::Texts => json!([value]),
        _ => value,
    }
}

/// One value the rule accepts and the values just past it.
fn rule_probe(rule: &Rule) -> Option<(Value, Vec<Value>)> {
    let chars = |n: u32| json!("a".repeat(n as usize));
    let url = |n: u32| json!(format!("https://example.com/{}", "a".repeat(n as usize - 20)));
    Some(match *rule {
        Rule::Any => return None,
        Rule::NumericId => (json!("1".repeat(32)), vec![json!("1".repeat(33)), json!("12a"), json!("")]),
        Rule::TokenId => (json!("a".repeat(128)), vec![json!("a".repeat(129)), json!("a/b"), json!("")]),
        Rule::PhoneNumber => (json!("+44 7700 900000"), vec![json!("call me"), json!("+999 123")]),
        Rule::Region => (json!("gb"), vec![json!("ZZ"), json!("GBR")]),
        Rule::Locale => (json!("pt-br"), vec![json!("english"), json!("e_US")]),
        Rule::Code => (json!("123-456"), vec![json!("12345"), json!("1234567"), json!("12345a")]),
        Rule::Pin => (json!("012345"), vec![json!("12345"), json!("1234567"), json!("123-456")]),
        Rule::OneOf(values) => (json!(values.first()?), vec![json!("zz-not-a-value")]),
        Rule::Chars(min, max) | Rule::Printable(min, max) => {
            let mut refused = vec![chars(max + 1)];
            if min > 0 {
                refused.push(chars(min - 1));
            }
            (chars(max), refused)
        }
        Rule::Words(max) => (chars(max), vec![chars(max + 1), json!("two  spaces")]),
        Rule::Range(min, max) => {
            let mut refused = vec![json!(max + 1)];
            if min > 0 {
                refused.push(json!(min - 1));
            }
            (json!(max), refused)
        }
        Rule::HttpUrl(max) => (url(max), vec![url(max + 1), json!("example.com")]),
        Rule::ImageUrl => (json!("https://example.com/logo.jpeg"), vec![json!("https://example.com/logo.gif")]),
        Rule::Email => (json!("ops@example.com"), vec![json!("ops.example.com"), json!("ops@example")]),
        Rule::Base64 => (json!("QUJD+/=="), vec![json!("not base64!"), json!("A".repeat(4097))]),
        Rule::GraphField => (json!("name_status"), vec![json!("Name Status")]),
        Rule::Cursor => (json!("QVFIUjVa"), vec![json!("two words"), json!("a".repeat(1025))]),
        Rule::Namespace => (json!("whatsapp"), vec![json!("WhatsApp"), json!("a".repeat(65))]),
        Rule::AppStoreLink => {
            (json!("https://itunes.apple.com/app/id123456"), vec![json!("https://example.com/app/id123456")])
        }
        Rule::PlayStoreLink => (
            json!("https://play.google.com/store/apps/details?id=com.example.stickers"),
            vec![json!("https://example.com/store/apps/details?id=com.example")],
        ),
        Rule::OneCharacter => (json!("1"), vec![json!("12"), json!("-")]),
    })
}
