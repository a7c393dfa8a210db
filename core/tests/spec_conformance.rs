//! Conformance with the providers' own OpenAPI files in `../shared/specs/`: every request
//! body we build validates against the operation's request schema, every path matches the
//! spec's template, and every response example the files give for our operations parses
//! (a success into a result, an error into a provider error — never a decode error).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::path::PathBuf;

use serde_json::{json, Value};
use waonboard::{prepare, ErrorKind};

/// `shared/specs/<name>`, with `shared/` beside the repository (or beside the folder that
/// holds a git worktree of it).
fn spec(name: &str) -> Option<Value> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = manifest.ancestors().map(|d| d.join("shared/specs").join(name)).find(|p| p.is_file())?;
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_yaml::from_str(&text).expect("the spec is valid YAML"))
}

/// One of our operations and where it lives in a provider's spec.
struct Case {
    op: &'static str,
    path: &'static str,
    method: &'static str,
    params: Value,
    /// Named response examples of a shared endpoint that answer another of its uses.
    not_ours: &'static [&'static str],
}

fn meta_cases() -> Vec<Case> {
    let id = "1234567890123456";
    vec![
        Case {
            op: "meta.request_code",
            path: "/{Version}/{Phone-Number-ID}/request_code",
            method: "post",
            params: json!({"phone_number_id": id, "code_method": "sms", "language": "en_us"}),
            not_ours: &[],
        },
        Case {
            op: "meta.verify_code",
            path: "/{Version}/{Phone-Number-ID}/verify_code",
            method: "post",
            params: json!({"phone_number_id": id, "code": "123-456"}),
            not_ours: &[],
        },
        Case {
            op: "meta.register",
            path: "/{Version}/{Phone-Number-ID}/register",
            method: "post",
            params: json!({"phone_number_id": id, "pin": "012345", "data_localization_region": "de"}),
            not_ours: &[],
        },
        Case {
            op: "meta.deregister",
            path: "/{Version}/{Phone-Number-ID}/deregister",
            method: "post",
            params: json!({"phone_number_id": id}),
            not_ours: &[],
        },
        Case {
            op: "meta.set_two_step_pin",
            path: "/{Version}/{Phone-Number-ID}",
            method: "post",
            params: json!({"phone_number_id": id, "pin": "654321"}),
            // `POST /{Phone-Number-ID}` also sends messages; that example is not a PIN change.
            not_ours: &["message_sent"],
        },
        Case {
            op: "meta.get_phone_number",
            path: "/{Version}/{Phone-Number-ID}",
            method: "get",
            params: json!({"phone_number_id": id, "fields": ["id", "quality_rating"]}),
            not_ours: &[],
        },
        Case {
            op: "meta.list_phone_numbers",
            path: "/{Version}/{WABA-ID}/phone_numbers",
            method: "get",
            params: json!({"waba_id": "102290129340398", "limit": 10}),
            not_ours: &[],
        },
        Case {
            op: "meta.add_phone_number",
            path: "/{Version}/{WABA-ID}/phone_numbers",
            method: "post",
            params: json!({"waba_id": "102290129340398", "phone_number": "+1 631-555-1111", "verified_name": "Lucky Shrub"}),
            not_ours: &[],
        },
        Case {
            op: "meta.add_preverified_number",
            path: "/{Version}/{Business-ID}/add_phone_numbers",
            method: "post",
            params: json!({"business_id": id, "phone_number": "+1 (631) 555-1000"}),
            not_ours: &[],
        },
        Case {
            op: "meta.list_preverified_numbers",
            path: "/{Version}/{Business-ID}/preverified_numbers",
            method: "get",
            params: json!({"business_id": id, "limit": 50, "verification_status": "verified", "country_code": "us"}),
            not_ours: &[],
        },
        Case {
            op: "meta.get_preverified_number",
            path: "/{Version}/{Pre-Verified-Phone-Number-ID}",
            method: "get",
            params: json!({"preverified_id": id, "fields": ["id", "is_input_id_valid"]}),
            not_ours: &[],
        },
        Case {
            op: "meta.delete_preverified_number",
            path: "/{Version}/{Pre-Verified-Phone-Number-ID}",
            method: "delete",
            params: json!({"preverified_id": id}),
            not_ours: &[],
        },
        Case {
            op: "meta.request_preverified_code",
            path: "/{Version}/{Pre-Verified-Phone-Number-ID}/request_code",
            method: "post",
            params: json!({"preverified_id": id, "code_method": "voice", "language": "es-es"}),
            not_ours: &[],
        },
        Case {
            op: "meta.verify_preverified_code",
            path: "/{Version}/{Pre-Verified-Phone-Number-ID}/verify_code",
            method: "post",
            params: json!({"preverified_id": id, "code": "123 456"}),
            not_ours: &[],
        },
        Case {
            op: "meta.list_preverified_partners",
            path: "/{Version}/{Pre-Verified-Phone-Number-ID}/partners",
            method: "get",
            params: json!({"preverified_id": id, "limit": 50, "after": "MTAxNTExOTQ1MjAwNzI5NDE="}),
            not_ours: &[],
        },
        Case {
            op: "meta.share_preverified_number",
            path: "/{Version}/{Business-ID}/share_preverified_numbers",
            method: "post",
            params: json!({"business_id": id, "preverified_id": id, "partner_business_id": "9876543210987654"}),
            not_ours: &[],
        },
    ]
}

fn vonage_cases() -> Vec<Case> {
    let id = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";
    vec![
        Case {
            op: "vonage.create_deployment",
            path: "/deployments",
            method: "post",
            params: json!({"phone_number": "+44 7700 900000", "vname_certificate": "AbCdEFGHiJK123456", "method": "SMS", "waba_id": "123456789123", "pin": "123456"}),
            not_ours: &[],
        },
        Case {
            op: "vonage.get_deployment",
            path: "/deployments/{deployment_id}",
            method: "get",
            params: json!({"deployment_id": id}),
            not_ours: &[],
        },
        Case {
            op: "vonage.delete_deployment",
            path: "/deployments/{deployment_id}",
            method: "delete",
            params: json!({"deployment_id": id}),
            not_ours: &[],
        },
        Case {
            op: "vonage.resend_otp",
            path: "/deployments/{deployment_id}/resend-otp",
            method: "post",
            params: json!({"deployment_id": id, "method": "Voice"}),
            not_ours: &[],
        },
        Case {
            op: "vonage.verify_otp",
            path: "/deployments/{deployment_id}/verify",
            method: "post",
            params: json!({"deployment_id": id, "code": "674 639"}),
            not_ours: &[],
        },
        Case {
            op: "vonage.get_profile",
            path: "/deployments/{deployment_id}/profile",
            method: "get",
            params: json!({"deployment_id": id}),
            not_ours: &[],
        },
        Case {
            op: "vonage.update_profile",
            path: "/deployments/{deployment_id}/profile",
            method: "patch",
            params: json!({
                "deployment_id": id, "about": "about your business", "address": "123 main street",
                "description": "your business description", "email": "you@example.com",
                "vertical": "food and grocery", "websites": ["https://example.com"]
            }),
            not_ours: &[],
        },
        Case {
            op: "vonage.get_profile_photo",
            path: "/deployments/{deployment_id}/profile/photo",
            method: "get",
            params: json!({"deployment_id": id}),
            not_ours: &[],
        },
        Case {
            op: "vonage.update_profile_photo",
            path: "/deployments/{deployment_id}/profile/photo",
            method: "post",
            params: json!({"deployment_id": id, "image_url": "https://www.example.com/img.png"}),
            not_ours: &[],
        },
    ]
}

/// `schema` made self-contained: its `#/components/...` references resolve in the spec.
fn with_components(schema: &Value, spec: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(map) = &mut schema {
        map.insert("components".into(), spec["components"].clone());
    }
    schema
}

/// The path of our URL after the base (and, for Meta, with the version kept).
fn url_path(url: &str, base: &str) -> String {
    url.strip_prefix(base).unwrap_or(url).split('?').next().unwrap_or_default().to_owned()
}

/// Whether `path` fits a spec template such as `/{Version}/{Phone-Number-ID}/register`.
fn fits_template(path: &str, template: &str) -> bool {
    let ours: Vec<&str> = path.split('/').collect();
    let theirs: Vec<&str> = template.split('/').collect();
    ours.len() == theirs.len()
        && ours.iter().zip(&theirs).all(|(o, t)| (t.starts_with('{') && t.ends_with('}') && !o.is_empty()) || o == t)
}

/// Every JSON example of every response of an operation: (status, name, example).
fn response_examples(operation: &Value) -> Vec<(u16, String, Value)> {
    let mut found = Vec::new();
    let Some(responses) = operation["responses"].as_object() else { return found };
    for (status, response) in responses {
        let Ok(status) = status.parse::<u16>() else { continue };
        let Some(content) = response["content"].as_object() else { continue };
        for media in content.values() {
            if let Some(example) = media.get("example") {
                found.push((status, String::new(), example.clone()));
            }
            if let Some(examples) = media["examples"].as_object() {
                found.extend(
                    examples.iter().filter_map(|(name, e)| Some((status, name.clone(), e.get("value")?.clone()))),
                );
            }
            // A schema's own property examples make a body too (Vonage documents that way).
            if media.get("example").is_none() && media.get("examples").is_none() {
                if let Some(body) = example_from_schema(&media["schema"]) {
                    found.push((status, String::new(), body));
                }
            }
        }
    }
    found
}

/// Builds an example object out of a schema's property `example`s (a list of one item
/// for an array whose items have them).
fn example_from_schema(schema: &Value) -> Option<Value> {
    if schema.get("type") == Some(&json!("array")) {
        let item = schema.get("items")?;
        return item.get("example").cloned().or_else(|| example_from_schema(item)).map(|item| json!([item]));
    }
    let props = schema.get("properties")?.as_object()?;
    let mut body = serde_json::Map::new();
    for (name, prop) in props {
        if let Some(example) = prop.get("example") {
            body.insert(name.clone(), example.clone());
        } else if let Some(nested) = example_from_schema(prop) {
            body.insert(name.clone(), nested);
        }
    }
    Some(Value::Object(body))
}

/// Resolves `{"$ref": "#/components/schemas/X"}` one level, for example building.
fn resolve<'a>(schema: &'a Value, spec: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/")) {
        Some(pointer) => spec.pointer(&format!("/{pointer}")).unwrap_or(schema),
        None => schema,
    }
}

fn check(spec: &Value, cases: Vec<Case>, config: Value, base: &str) -> (usize, usize, Vec<String>) {
    let mut bodies = 0;
    let mut examples = 0;
    let mut failures = Vec::new();
    for case in cases {
        let operation = &spec["paths"][case.path][case.method];
        assert!(operation.is_object(), "{}: {} {} is not in the spec", case.op, case.method, case.path);
        let request = prepare(case.op, &case.params, &config).unwrap_or_else(|e| panic!("{}: {e}", case.op));
        assert_eq!(request.method.as_str(), case.method.to_uppercase(), "{}", case.op);
        let path = url_path(&request.url, base);
        if !fits_template(&path, case.path) {
            failures.push(format!("{}: path {path} does not fit {}", case.op, case.path));
        }
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        match (&request.body, schema.is_null()) {
            (Some(body), false) => {
                let body: Value = serde_json::from_str(body).unwrap();
                let validator = jsonschema::validator_for(&with_components(schema, spec)).unwrap();
                for error in validator.iter_errors(&body) {
                    failures.push(format!("{}: body {body} breaks the spec's schema: {error}", case.op));
                }
                bodies += 1;
            }
            (None, false) if operation["requestBody"]["required"] == json!(true) => {
                failures.push(format!("{}: the spec requires a body and we send none", case.op));
            }
            (Some(_), true) => failures.push(format!("{}: we send a body the spec does not describe", case.op)),
            _ => {}
        }
        for (status, name, example) in response_examples(&resolve_responses(operation, spec)) {
            if case.not_ours.contains(&name.as_str()) {
                continue;
            }
            examples += 1;
            let body = serde_json::to_vec(&example).unwrap();
            let outcome = waonboard::parse(case.op, status, &[], &body);
            match (status, outcome) {
                (200..=299, Ok(_)) => {}
                (200..=299, Err(e)) => {
                    failures.push(format!("{}: {status} example {example} did not parse: {e}", case.op))
                }
                (_, Ok(v)) => failures.push(format!("{}: {status} example parsed as a success: {v}", case.op)),
                (_, Err(e)) if e.kind() == ErrorKind::Decode => {
                    failures.push(format!("{}: {status} error example was not understood: {e}", case.op))
                }
                (_, Err(e)) => assert_eq!(e.http_status(), Some(status)),
            }
        }
    }
    (bodies, examples, failures)
}

/// The operation with each response schema's `$ref` resolved, so examples can be built.
fn resolve_responses(operation: &Value, spec: &Value) -> Value {
    let mut operation = operation.clone();
    if let Some(responses) = operation["responses"].as_object_mut() {
        for response in responses.values_mut() {
            if let Some(content) = response["content"].as_object_mut() {
                for media in content.values_mut() {
                    let resolved = resolve(&media["schema"], spec).clone();
                    media["schema"] = resolved;
                }
            }
        }
    }
    operation
}

#[test]
fn meta_requests_and_examples_conform_to_metas_openapi_file() {
    let Some(spec) = spec("meta-business-messaging-api_v23.0.yaml") else {
        eprintln!("skipped: ../shared/specs is not beside the repository");
        return;
    };
    let config = json!({"access_token": "EAAGtest"});
    let (bodies, examples, failures) = check(&spec, meta_cases(), config, "https://graph.facebook.com");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    println!("meta: {bodies} bodies validated, {examples} response examples parsed");
    assert!(bodies >= 5 && examples >= 20, "too little was checked: {bodies} bodies, {examples} examples");
}

#[test]
fn vonage_requests_and_examples_conform_to_vonages_openapi_file() {
    let Some(spec) = spec("vonage-whatsapp-provisioning-0.1.4.yml") else {
        eprintln!("skipped: ../shared/specs is not beside the repository");
        return;
    };
    let config = json!({"access_token": "eyJhbGciOi.test"});
    let (bodies, examples, failures) =
        check(&spec, vonage_cases(), config, "https://api.nexmo.com/v0.1/whatsapp-manager");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    println!("vonage: {bodies} bodies validated, {examples} response examples parsed");
    assert!(bodies >= 5 && examples >= 20, "too little was checked: {bodies} bodies, {examples} examples");
}

/// Every example the files give for our operations is a shared vector in
/// `tests/vectors/spec_examples.json` (written by `tools/gen_spec_vectors.py`), so the four
/// language runners see it too: a response example as a case with its status and body, a
/// request example as a case that expects its body.
#[test]
fn spec_examples_are_all_vectors() {
    let (Some(meta), Some(vonage)) =
        (spec("meta-business-messaging-api_v23.0.yaml"), spec("vonage-whatsapp-provisioning-0.1.4.yml"))
    else {
        eprintln!("skipped: ../shared/specs is not beside the repository");
        return;
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/spec_examples.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    let has_response = |op: &str, status: u16, body: &Value| {
        cases.iter().any(|c| c["op"] == op && c["response"]["status"] == status && &c["response"]["body"] == body)
    };
    let has_request = |op: &str, body: &Value| {
        cases.iter().any(|c| {
            let expected = &c["expect"]["request"]["body"];
            let mut expected_without_product = expected.clone();
            if let Some(map) = expected_without_product.as_object_mut() {
                map.remove("messaging_product");
            }
            let mut given = body.clone();
            if let Some(map) = given.as_object_mut() {
                map.remove("messaging_product");
            }
            c["op"] == op && expected_without_product == given
        })
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for (spec, cases_of_spec) in [(&meta, meta_cases()), (&vonage, vonage_cases())] {
        for case in cases_of_spec {
            let operation = &spec["paths"][case.path][case.method];
            for (status, name, example) in response_examples(&resolve_responses(operation, spec)) {
                if case.not_ours.contains(&name.as_str()) {
                    continue;
                }
                checked += 1;
                if !has_response(case.op, status, &example) {
                    missing.push(format!("{} {status} {name}: {example}", case.op));
                }
            }
            // POST /{Phone-Number-ID}'s request examples all show its other uses.
            if case.op == "meta.set_two_step_pin" {
                continue;
            }
            let content = &operation["requestBody"]["content"]["application/json"];
            let schema = resolve(&content["schema"], spec);
            let examples: Vec<Value> = match content["examples"].as_object() {
                Some(named) => named.values().map(|e| e["value"].clone()).collect(),
                None => example_from_schema(&with_refs_resolved(schema, spec)).into_iter().collect(),
            };
            for example in examples {
                checked += 1;
                if !has_request(case.op, &example) {
                    missing.push(format!("{} request: {example}", case.op));
                }
            }
        }
    }
    assert!(missing.is_empty(), "not in spec_examples.json (run tools/gen_spec_vectors.py):\n{}", missing.join("\n"));
    assert!(checked >= 140, "too few examples found: {checked}");
}

/// `schema` with each property's `$ref` resolved one level, for example building.
fn with_refs_resolved(schema: &Value, spec: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for prop in props.values_mut() {
            *prop = resolve(prop, spec).clone();
        }
    }
    schema
}

/// Every body a shared request vector expects for an operation the files describe
/// validates against the file's request schema: the vectors cannot drift from the specs
/// (Meta's `phone_number` pattern, a required `messaging_product`) without this failing.
#[test]
fn request_vector_bodies_validate_against_the_specs() {
    let (Some(meta), Some(vonage)) =
        (spec("meta-business-messaging-api_v23.0.yaml"), spec("vonage-whatsapp-provisioning-0.1.4.yml"))
    else {
        eprintln!("skipped: ../shared/specs is not beside the repository");
        return;
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "json"));
    let specs: Vec<(&Value, Case)> =
        meta_cases().into_iter().map(|c| (&meta, c)).chain(vonage_cases().into_iter().map(|c| (&vonage, c))).collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in files {
        let vectors: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in vectors["cases"].as_array().unwrap() {
            let body = &case["expect"]["request"]["body"];
            let Some((spec, place)) = specs.iter().find(|(_, c)| case["op"] == c.op) else { continue };
            if body.is_null() {
                continue;
            }
            let mut paths = vec![place.path];
            // A path-matching validator (Prism) cannot tell `/{Phone-Number-ID}` from
            // `/{group_id}`, whose body requires messaging_product: fit both.
            if place.op == "meta.set_two_step_pin" {
                paths.push("/{Version}/{group_id}");
            }
            for path in paths {
                let operation = &spec["paths"][path][place.method];
                let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
                let validator = jsonschema::validator_for(&with_components(schema, spec)).unwrap();
                for error in validator.iter_errors(body) {
                    let name = &case["name"];
                    failures.push(format!("{} :: {name}: {body} breaks {path}'s schema: {error}", file.display()));
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 60, "too few request vectors checked: {checked}");
}
