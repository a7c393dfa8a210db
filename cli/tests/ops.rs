//! `waonboard ops` lists each operation's parameters from the core's description of them
//! (`waonboard::schema`). This holds the listing, as printed, to the core itself and to
//! the shared vectors:
//! every parameter listed is one the core takes, each one listed as required is refused
//! when missing, each one listed as optional may be left out, and no parameter a vector
//! sends is missing from the listing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value};
use waonboard::Operation;

/// A parameter as `waonboard ops` lists it.
#[derive(Debug)]
struct Listed {
    name: String,
    required: bool,
}

/// `waonboard ops`, read back: operation id → its parameters.
fn listing() -> BTreeMap<String, Vec<Listed>> {
    let output = Command::new(env!("CARGO_BIN_EXE_waonboard")).arg("ops").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut ops = BTreeMap::new();
    for line in text.lines().take_while(|line| !line.is_empty()) {
        let mut words = line.split_whitespace();
        let id = words.next().unwrap().to_owned();
        let params = words
            .map(|word| {
                let (required, word) = match word.strip_prefix('[').and_then(|w| w.strip_suffix(']')) {
                    Some(inner) => (false, inner),
                    None => (true, word),
                };
                // `code=$WAONBOARD_CODE`: the name, and where the CLI takes it from.
                let name = word.split_once("=$").map_or(word, |(name, _)| name).to_owned();
                Listed { name, required }
            })
            .collect();
        assert!(ops.insert(id.clone(), params).is_none(), "{id} is listed twice");
    }
    ops
}

/// A vector's params and config.
type Case = (Map<String, Value>, Value);

/// Per operation, the params and config of the shared vectors whose request is built.
fn valid_vector_cases() -> BTreeMap<String, Vec<Case>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut cases: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in file["cases"].as_array().into_iter().flatten() {
            let (Some(op), Some(params)) = (case["op"].as_str(), case["params"].as_object()) else { continue };
            if case["expect"].get("request").is_some() {
                cases.entry(op.to_owned()).or_default().push((params.clone(), case["config"].clone()));
            }
        }
    }
    cases
}

fn prepare(op: &str, params: &Map<String, Value>, config: &Value) -> Result<(), waonboard::Error> {
    waonboard::prepare(op, &Value::Object(params.clone()), config).map(|_| ())
}

#[test]
fn ops_lists_every_operation_of_the_core_in_its_order() {
    let output = Command::new(env!("CARGO_BIN_EXE_waonboard")).arg("ops").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let ids: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).map(|l| l.split(' ').next().unwrap()).collect();
    let core: Vec<&str> = Operation::ALL.iter().map(|op| op.as_str()).collect();
    assert_eq!(ids, core);
}

#[test]
fn every_listed_parameter_is_the_cores_and_required_ones_are_required() {
    let listing = listing();
    let vectors = valid_vector_cases();
    for (op, params) in &listing {
        let cases = vectors.get(op).unwrap_or_else(|| panic!("no shared vector builds a request for {op}"));
        // A request the core builds, to probe from.
        let (base, config) = &cases[0];
        prepare(op, base, config).unwrap_or_else(|e| panic!("{op}: the vector's own params fail: {e}"));

        // An absent (null) key passes only if the operation reads it: the core refuses
        // every key it did not read.
        let mut unknown = base.clone();
        unknown.insert("not_a_parameter".to_owned(), Value::Null);
        assert_eq!(prepare(op, &unknown, config).unwrap_err().field(), Some("not_a_parameter"), "{op}");
        for param in params {
            let mut probe = base.clone();
            probe.entry(param.name.clone()).or_insert(Value::Null);
            if let Err(e) = prepare(op, &probe, config) {
                panic!("{op}: `{}` is listed but the core does not take it: {e}", param.name);
            }

            let mut without = base.clone();
            let was_there = without.remove(&param.name).is_some();
            if param.required {
                assert!(was_there, "{op}: the vector leaves out `{}`, listed as required", param.name);
                let error = prepare(op, &without, config).expect_err(&format!("{op} without {}", param.name));
                assert_eq!(error.field(), Some(param.name.as_str()), "{op}: {error}");
                assert!(error.message().contains("required"), "{op}: {error}");
            } else if was_there {
                // Optional may still mean "at least one of these" (vonage.update_profile).
                if let Err(e) = prepare(op, &without, config) {
                    let requires_it = e.field() == Some(param.name.as_str()) && e.message().contains("required");
                    assert!(!requires_it, "{op}: `{}` is listed as optional but the core requires it: {e}", param.name);
                }
            }
        }

        let listed: BTreeSet<&str> = params.iter().map(|p| p.name.as_str()).collect();
        for (params, _) in cases {
            for key in params.keys() {
                assert!(listed.contains(key.as_str()), "{op}: a vector sends `{key}`, which the listing lacks");
            }
        }
    }
}
