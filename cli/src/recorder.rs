//! A transport that notes what it sends, so the demo can show each request and a bulk
//! report can say how many went out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use waonboard::client::Transport;
use waonboard::{Error, HttpRequest, HttpResponse};

use crate::secrets::SECRET_PARAMS;

/// One request as it went out, with secret body fields masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sent {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path and query, without scheme and host.
    pub path: String,
    /// The JSON body with codes, PINs and secrets replaced by `******`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The answer's status, or `None` when no answer came.
    pub status: Option<u16>,
}

/// Wraps a transport; counts every request and, when asked to, keeps a masked copy.
pub struct Recorder<T> {
    inner: T,
    count: AtomicU64,
    log: Option<Mutex<Vec<Sent>>>,
}

impl<T: Transport> Recorder<T> {
    /// Counts only: a long bulk run must not grow a log nobody reads.
    pub fn counting(inner: T) -> Recorder<T> {
        Recorder { inner, count: AtomicU64::new(0), log: None }
    }

    /// Counts and keeps each request until [`Recorder::take`].
    pub fn logging(inner: T) -> Recorder<T> {
        Recorder { inner, count: AtomicU64::new(0), log: Some(Mutex::new(Vec::new())) }
    }

    /// Requests sent so far.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The requests kept since the last call.
    pub fn take(&self) -> Vec<Sent> {
        self.log
            .as_ref()
            .map(|log| std::mem::take(&mut *log.lock().unwrap_or_else(|e| e.into_inner())))
            .unwrap_or_default()
    }
}

impl<T: Transport> Transport for Recorder<T> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        self.count.fetch_add(1, Ordering::Relaxed);
        let Some(log) = &self.log else { return self.inner.send(request).await };
        let mut sent = Sent {
            method: request.method.as_str().to_owned(),
            path: path_of(&request.url).to_owned(),
            body: request.body.as_deref().map(masked),
            status: None,
        };
        let outcome = self.inner.send(request).await;
        sent.status = outcome.as_ref().ok().map(|r| r.status);
        log.lock().unwrap_or_else(|e| e.into_inner()).push(sent);
        outcome
    }

    async fn sleep(&self, ms: u64) {
        self.inner.sleep(ms).await;
    }

    fn now_ms(&self) -> u64 {
        self.inner.now_ms()
    }

    fn random(&self) -> u64 {
        self.inner.random()
    }
}

/// `http://host:port/a/b?c` → `/a/b?c`.
fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

/// The body as sent, or with every secret field's value replaced when it has one (the
/// keys then come out sorted); a body that is not a JSON object is not shown, since it
/// cannot be checked.
fn masked(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) if !SECRET_PARAMS.iter().any(|key| map.contains_key(*key)) => body.to_owned(),
        Ok(Value::Object(mut map)) => {
            for key in SECRET_PARAMS {
                if let Some(value) = map.get_mut(key) {
                    *value = Value::String("******".to_owned());
                }
            }
            Value::Object(map).to_string()
        }
        _ => "(body not shown)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_masks() {
        assert_eq!(path_of("http://127.0.0.1:8080/meta/v23.0/1/register?x=1"), "/meta/v23.0/1/register?x=1");
        assert_eq!(path_of("https://example.com"), "/");
        assert_eq!(
            masked(r#"{"messaging_product":"whatsapp","pin":"123456"}"#),
            r#"{"messaging_product":"whatsapp","pin":"******"}"#
        );
        assert_eq!(masked("not json"), "(body not shown)");
    }
}
