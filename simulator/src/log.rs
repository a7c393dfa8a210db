//! The request log: every call to a provider route, so a test can assert that a request
//! was sent exactly once, or not at all. Bodies are never kept (they hold secrets).

use serde::{Deserialize, Serialize};

use crate::clock::Now;
use crate::Provider;

/// Oldest entries are dropped past this, so a long CI run cannot grow without bound.
const MAX_ENTRIES: usize = 10_000;

/// One request to a provider route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// Increasing number, unique for the life of the simulator.
    pub seq: u64,
    /// Which provider the path belongs to.
    pub provider: Provider,
    /// The operation id (`meta.register`, ...) when the route is a known one.
    pub op: Option<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// Full path, provider prefix included (`/meta/v23.0/123/register`).
    pub path: String,
    /// Raw query string, without the `?` (empty when none).
    pub query: String,
    /// Simulated milliseconds since start when the request arrived.
    pub at_ms: u64,
    /// Unix seconds (simulated) when the request arrived.
    pub unix: u64,
    /// The HTTP status sent; `None` while in flight or when the connection was dropped.
    pub status: Option<u16>,
    /// The name of the injected fault that hit this request, if any.
    pub fault: Option<String>,
}

#[derive(Default)]
pub(crate) struct RequestLog {
    next_seq: u64,
    entries: Vec<LoggedRequest>,
}

impl RequestLog {
    pub(crate) fn push(
        &mut self,
        provider: Provider,
        op: Option<&str>,
        method: &str,
        path: &str,
        query: &str,
        now: Now,
    ) -> u64 {
        self.next_seq += 1;
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(LoggedRequest {
            seq: self.next_seq,
            provider,
            op: op.map(str::to_owned),
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            at_ms: u64::try_from(now.sim.as_millis()).unwrap_or(u64::MAX),
            unix: now.unix,
            status: None,
            fault: None,
        });
        self.next_seq
    }

    fn find(&mut self, seq: u64) -> Option<&mut LoggedRequest> {
        self.entries.iter_mut().rev().find(|e| e.seq == seq)
    }

    pub(crate) fn set_status(&mut self, seq: u64, status: u16) {
        if let Some(e) = self.find(seq) {
            e.status = Some(status);
        }
    }

    pub(crate) fn set_fault(&mut self, seq: u64, fault: &str) {
        if let Some(e) = self.find(seq) {
            e.fault = Some(fault.to_owned());
        }
    }

    pub(crate) fn entries(&self) -> Vec<LoggedRequest> {
        self.entries.clone()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}
