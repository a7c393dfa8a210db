//! What the generated typed methods (typed.rs) share: their arguments become the params
//! object of the core's dynamic call, and the result it returns becomes their record.
//! One crossing per call, as with `call(operation, paramsJson)`; the core still checks
//! every param and names the one it refuses.

use serde_json::{Map, Value};
use waonboard::client::Client;
use waonboard::{Error, ErrorDetails, ErrorKind, Operation};

use crate::transport::AppTransport;
use crate::WaonboardError;

/// A typed argument as the JSON the core reads.
pub(crate) trait IntoJson {
    fn into_json(self) -> Value;
}

impl IntoJson for String {
    fn into_json(self) -> Value {
        Value::String(self)
    }
}

impl IntoJson for i64 {
    fn into_json(self) -> Value {
        Value::from(self)
    }
}

impl IntoJson for bool {
    fn into_json(self) -> Value {
        Value::Bool(self)
    }
}

impl<T: IntoJson> IntoJson for Vec<T> {
    fn into_json(self) -> Value {
        Value::Array(self.into_iter().map(IntoJson::into_json).collect())
    }
}

/// An argument left out is a param left out.
impl<T: IntoJson> IntoJson for Option<T> {
    fn into_json(self) -> Value {
        self.map_or(Value::Null, IntoJson::into_json)
    }
}

/// Sets `params[name]`, unless the argument was left out.
pub(crate) fn put(params: &mut Map<String, Value>, name: &str, value: impl IntoJson) {
    let value = value.into_json();
    if !value.is_null() {
        params.insert(name.to_owned(), value);
    }
}

/// A value of the core's result as its typed form; `None` if it has another shape.
pub(crate) trait FromJson: Sized {
    fn from_json(value: Value) -> Option<Self>;
}

impl FromJson for String {
    fn from_json(value: Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Option<i64> {
        value.as_i64()
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Option<bool> {
        value.as_bool()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Option<Vec<T>> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

/// The fields of a result object.
pub(crate) fn json_fields(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A field the result always has.
pub(crate) fn required<T: FromJson>(fields: &mut Map<String, Value>, name: &str) -> Option<T> {
    T::from_json(fields.remove(name)?)
}

/// A field the result may leave out: `Some(None)` when it does.
pub(crate) fn optional<T: FromJson>(fields: &mut Map<String, Value>, name: &str) -> Option<Option<T>> {
    match fields.remove(name) {
        None | Some(Value::Null) => Some(None),
        Some(value) => T::from_json(value).map(Some),
    }
}

/// A field of any JSON, handed over as its text.
pub(crate) fn json_text(fields: &mut Map<String, Value>, name: &str) -> Option<String> {
    fields.remove(name).filter(|value| !value.is_null()).map(|value| value.to_string())
}

/// Sends `operation` with `params` through the core's client (not generic, so that the
/// client's future is built once, not once per result type).
pub(crate) async fn call(
    client: &Client<AppTransport>,
    operation: Operation,
    params: Map<String, Value>,
) -> Result<Value, WaonboardError> {
    Ok(client.call(operation.as_str(), &Value::Object(params)).await?)
}

/// The result of `operation` as its record.
pub(crate) fn read<T: FromJson>(operation: Operation, result: Value) -> Result<T, WaonboardError> {
    T::from_json(result).ok_or_else(|| unexpected_shape(operation))
}

/// The core reads every answer into its result's shape, so this is a bug, not an answer.
#[cold]
fn unexpected_shape(operation: Operation) -> WaonboardError {
    let message = format!("{operation}: the result does not have the shape its type describes");
    let mut details = ErrorDetails::default();
    details.message = message;
    details.operation = Some(operation);
    Error::new(ErrorKind::Decode, details).into()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn arguments_left_out_are_params_left_out() {
        let mut params = Map::new();
        put(&mut params, "phone_number_id", "106540352242922".to_owned());
        put(&mut params, "limit", Some(10_i64));
        put(&mut params, "tier", None::<String>);
        put(&mut params, "fields", vec!["id".to_owned()]);
        put(&mut params, "migrate_phone_number", false);
        let expected =
            json!({"phone_number_id": "106540352242922", "limit": 10, "fields": ["id"], "migrate_phone_number": false});
        assert_eq!(Value::Object(params), expected);
    }

    #[test]
    fn a_result_field_reads_as_its_type_or_not_at_all() {
        let mut fields = json_fields(json!({"id": "1", "count": 2, "flag": true, "meta": {"a": [1]}, "gone": null}))
            .unwrap_or_default();
        assert_eq!(required::<String>(&mut fields, "id"), Some("1".to_owned()));
        assert_eq!(optional::<i64>(&mut fields, "count"), Some(Some(2)));
        assert_eq!(optional::<bool>(&mut fields, "gone"), Some(None));
        assert_eq!(optional::<bool>(&mut fields, "absent"), Some(None));
        assert_eq!(json_text(&mut fields, "meta").as_deref(), Some(r#"{"a":[1]}"#));
        assert_eq!(optional::<String>(&mut json_fields(json!({"id": 1})).unwrap_or_default(), "id"), None);
        assert_eq!(required::<String>(&mut Map::new(), "id"), None);
        assert_eq!(Vec::<String>::from_json(json!(["a", 1])), None);
    }

    #[test]
    fn a_result_of_another_shape_is_a_decode_error_naming_the_operation() {
        let err = read::<String>(Operation::MetaRegister, json!({"success": true})).unwrap_err();
        let info = err.info();
        assert_eq!(info.kind_name, "decode");
        assert_eq!(info.operation.as_deref(), Some("meta.register"));
    }

    #[test]
    fn every_result_of_the_shared_vectors_reads_as_its_record() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
        let mut read = std::collections::HashSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension() != Some("json".as_ref()) {
                continue;
            }
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for case in doc["cases"].as_array().unwrap() {
                let Some(result) = case["expect"].get("result") else { continue };
                let operation: Operation = case["op"].as_str().unwrap().parse().unwrap();
                assert!(crate::typed::reads_as_result(operation, result.clone()), "{}: {result}", case["name"]);
                read.insert(operation);
            }
        }
        assert_eq!(read.len(), Operation::ALL.len(), "an operation has no result vector");
    }
}
