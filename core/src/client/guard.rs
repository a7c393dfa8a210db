//! Client-side guards: refuse, before anything is sent, a call that would cross a
//! provider limit whose price is a blocked number. The state is plain data an app saves
//! between runs, so the limits hold across restarts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::de::serde_via_value;
use crate::{Error, Operation};

/// At most `max` calls within any `window_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// Calls allowed in a window.
    pub max: u32,
    /// The rolling window, in milliseconds.
    pub window_ms: u64,
}

const HOUR_MS: u64 = 3_600_000;
const WEEK_MS: u64 = 7 * 24 * HOUR_MS;

/// The limits the guards keep, one per guarded operation. More may come: start from
/// `GuardLimits::default()` and set the ones you need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GuardLimits {
    /// 99digital blocks a number for an hour after more than 3 code requests.
    pub digital99_code_requests: Limit,
    /// Meta blocks a number (error 133016) after 10 registrations in its window: per week
    /// in seed 002, per 72 hours in Meta's current pages; the default is the stricter week.
    pub meta_registrations: Limit,
    /// Meta counts deregistrations the same way.
    pub meta_deregistrations: Limit,
}

impl Default for GuardLimits {
    fn default() -> GuardLimits {
        GuardLimits {
            digital99_code_requests: Limit { max: 3, window_ms: HOUR_MS },
            meta_registrations: Limit { max: 10, window_ms: WEEK_MS },
            meta_deregistrations: Limit { max: 10, window_ms: WEEK_MS },
        }
    }
}

/// When each guarded call was sent, per operation id and number. Its JSON is
/// `{"sent": {op: {number: [unix_ms, …]}}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GuardState {
    /// Operation id → number (phone number ID or digits) → send times in Unix ms.
    pub sent: BTreeMap<String, BTreeMap<String, Vec<u64>>>,
}

impl GuardState {
    /// The state as a JSON object, to persist.
    pub fn to_value(&self) -> Value {
        let sent = self.sent.iter().map(|(op, numbers)| {
            let numbers = numbers.iter().map(|(number, times)| (number.clone(), Value::from(times.clone())));
            (op.clone(), Value::Object(numbers.collect()))
        });
        let mut out = Map::new();
        out.insert("sent".to_owned(), Value::Object(sent.collect()));
        Value::Object(out)
    }

    /// A state from the JSON of [`GuardState::to_value`]; anything else is a validation
    /// error on `guard_state`.
    pub fn from_value(state: &Value) -> Result<GuardState, Error> {
        let not_saved = || Error::validation("guard_state", "is not a saved guard state");
        let mut sent = BTreeMap::new();
        let Some(ops) = state.as_object().ok_or_else(not_saved)?.get("sent") else { return Ok(GuardState { sent }) };
        for (op, numbers) in ops.as_object().ok_or_else(not_saved)? {
            // A typo in a hand-edited file would otherwise be a limit silently not kept.
            if op.parse::<Operation>().is_err() {
                return Err(Error::validation("guard_state", format_args!("names an unknown operation `{op}`")));
            }
            let mut by_number = BTreeMap::new();
            for (number, times) in numbers.as_object().ok_or_else(not_saved)? {
                let times = times.as_array().ok_or_else(not_saved)?.iter().map(Value::as_u64);
                by_number.insert(number.clone(), times.collect::<Option<Vec<u64>>>().ok_or_else(not_saved)?);
            }
            sent.insert(op.clone(), by_number);
        }
        Ok(GuardState { sent })
    }
}

serde_via_value!(GuardState);

/// Why a call was refused and when it will be allowed.
pub(crate) struct Refusal {
    pub message: String,
    pub retry_after_ms: u64,
}

impl GuardLimits {
    pub(crate) fn limit(&self, op: Operation) -> Option<(Limit, &'static str)> {
        match op {
            Operation::Digital99RegisterNumber => Some((
                self.digital99_code_requests,
                "code requests (99digital blocks the number for an hour beyond that)",
            )),
            Operation::MetaRegister => {
                Some((self.meta_registrations, "registrations (Meta blocks the number beyond that)"))
            }
            Operation::MetaDeregister => {
                Some((self.meta_deregistrations, "deregistrations (Meta blocks the number beyond that)"))
            }
            _ => None,
        }
    }

    /// A refusal if sending `op` for `subject` at `now_ms` would cross its limit.
    pub(crate) fn check(&self, state: &GuardState, op: Operation, subject: &str, now_ms: u64) -> Option<Refusal> {
        let (limit, what) = self.limit(op)?;
        let times = state.sent.get(op.as_str())?.get(subject)?;
        let recent: Vec<u64> =
            times.iter().copied().filter(|t| now_ms.saturating_sub(*t) < limit.window_ms && *t <= now_ms).collect();
        if recent.len() < usize::try_from(limit.max).unwrap_or(usize::MAX) {
            return None;
        }
        // The oldest call in the window must age out before another fits.
        let oldest = recent.iter().copied().min().unwrap_or(now_ms);
        let retry_after_ms = (oldest + limit.window_ms).saturating_sub(now_ms).max(1);
        Some(Refusal {
            message: format!(
                "{op} for {subject} was not sent: {} {what} are allowed per {}, and that many were sent; allowed again in {}",
                limit.max,
                duration(limit.window_ms),
                duration(retry_after_ms)
            ),
            retry_after_ms,
        })
    }

    /// Notes that `op` was sent for `subject`, forgetting sends that left the window.
    pub(crate) fn record(&self, state: &mut GuardState, op: Operation, subject: &str, now_ms: u64) {
        let Some((limit, _)) = self.limit(op) else { return };
        let times = state.sent.entry(op.as_str().to_owned()).or_default().entry(subject.to_owned()).or_default();
        times.retain(|t| now_ms.saturating_sub(*t) < limit.window_ms);
        times.push(now_ms);
    }
}

impl GuardLimits {
    /// Takes back the send of `op` for `subject` recorded at `at`, which never left.
    pub(crate) fn forget(&self, state: &mut GuardState, op: Operation, subject: &str, at: u64) {
        let times = state.sent.get_mut(op.as_str()).and_then(|numbers| numbers.get_mut(subject));
        if let Some(times) = times {
            if let Some(i) = times.iter().rposition(|t| *t == at) {
                times.remove(i);
            }
        }
    }
}

/// `3 d 4 h`, `2 h 5 min`, `40 s`: a wait as people read it.
fn duration(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    match seconds {
        0..=119 => format!("{seconds} s"),
        120..=7199 => format!("{} min", seconds.div_ceil(60)),
        7200..=172_799 => format!("{} h {} min", seconds / 3600, (seconds % 3600) / 60),
        _ => format!("{} d {} h", seconds / 86_400, (seconds % 86_400) / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fourth_code_request_within_an_hour_is_refused() {
        let limits = GuardLimits::default();
        let mut state = GuardState::default();
        let op = Operation::Digital99RegisterNumber;
        for minute in 0..3 {
            assert!(limits.check(&state, op, "972501234567", minute * 60_000).is_none());
            limits.record(&mut state, op, "972501234567", minute * 60_000);
        }
        let refusal = limits.check(&state, op, "972501234567", 10 * 60_000).unwrap();
        assert_eq!(refusal.retry_after_ms, 50 * 60_000);
        assert!(refusal.message.contains("allowed again in 50 min"), "{}", refusal.message);
        assert!(limits.check(&state, op, "972501234568", 10 * 60_000).is_none(), "other numbers are free");
        assert!(limits.check(&state, op, "972501234567", HOUR_MS).is_none(), "the window rolls");
    }

    /// Seed 002: "10 registration and 10 deregistration requests, per business number, per
    /// week"; the 72-hour reading of Meta's current pages would let the 11th through
    /// after 3 days.
    #[test]
    fn the_eleventh_registration_within_a_week_is_refused() {
        let limits = GuardLimits::default();
        for op in [Operation::MetaRegister, Operation::MetaDeregister] {
            let mut state = GuardState::default();
            for hour in 0..10 {
                assert!(limits.check(&state, op, "106540352242922", hour * HOUR_MS).is_none());
                limits.record(&mut state, op, "106540352242922", hour * HOUR_MS);
            }
            let refusal = limits.check(&state, op, "106540352242922", 72 * HOUR_MS).unwrap();
            assert_eq!(refusal.retry_after_ms, WEEK_MS - 72 * HOUR_MS);
            assert!(
                refusal.message.contains("per 7 d 0 h") && refusal.message.contains("in 4 d 0 h"),
                "{}",
                refusal.message
            );
            assert!(limits.check(&state, op, "106540352242922", WEEK_MS - 1).is_some(), "still within the week");
            assert!(limits.check(&state, op, "106540352242922", WEEK_MS).is_none(), "the first aged out");
        }
    }

    #[test]
    fn state_round_trips_through_json() {
        let limits = GuardLimits::default();
        let mut state = GuardState::default();
        limits.record(&mut state, Operation::MetaRegister, "106540352242922", 5);
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(json, r#"{"sent":{"meta.register":{"106540352242922":[5]}}}"#);
        assert_eq!(serde_json::from_str::<GuardState>(&json).unwrap(), state);
    }

    #[test]
    fn a_state_naming_an_unknown_operation_is_refused() {
        let typo = serde_json::json!({"sent": {"meta.registr": {"106540352242922": [5]}}});
        let err = GuardState::from_value(&typo).unwrap_err();
        assert_eq!(err.field(), Some("guard_state"));
        assert!(err.message().contains("meta.registr"), "{err}");
    }

    #[test]
    fn unguarded_operations_pass() {
        let limits = GuardLimits::default();
        let mut state = GuardState::default();
        for _ in 0..20 {
            limits.record(&mut state, Operation::MetaRequestCode, "1", 0);
        }
        assert!(limits.check(&state, Operation::MetaRequestCode, "1", 0).is_none());
        assert!(state.sent.is_empty());
    }
}
