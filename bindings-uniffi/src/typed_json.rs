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
    Error::new(ErrorKind::Decode, ErrorDetails { message, operation: Some(operation), ..ErrorDetails::default() })
        .into()
}
