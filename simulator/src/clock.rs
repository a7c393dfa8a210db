//! The simulated clock: real monotonic time plus an offset that tests push forward, so a
//! test can jump an hour ahead (token expiry, rate windows, the Vonage schedule) without
//! sleeping.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::util::lock;

/// A reading of the clock: simulated time since start, and the matching wall-clock time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now {
    /// Simulated time since the simulator started (or was reset).
    pub(crate) sim: Duration,
    /// Unix seconds at that moment (the real start time plus `sim`).
    pub(crate) unix: u64,
}

struct Inner {
    start: Instant,
    offset: Duration,
    unix_start: Duration,
}

pub(crate) struct Clock {
    inner: Mutex<Inner>,
}

impl Clock {
    pub(crate) fn new() -> Clock {
        Clock { inner: Mutex::new(Inner { start: Instant::now(), offset: Duration::ZERO, unix_start: unix_now() }) }
    }

    pub(crate) fn now(&self) -> Now {
        let inner = lock(&self.inner);
        let sim = inner.start.elapsed() + inner.offset;
        Now { sim, unix: (inner.unix_start + sim).as_secs() }
    }

    pub(crate) fn advance(&self, d: Duration) {
        let mut inner = lock(&self.inner);
        inner.offset = inner.offset.saturating_add(d);
    }

    /// Starts simulated time again from zero (used by reset, together with fresh state).
    pub(crate) fn rebase(&self) {
        let mut inner = lock(&self.inner);
        inner.start = Instant::now();
        inner.offset = Duration::ZERO;
        inner.unix_start = unix_now();
    }
}

fn unix_now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO)
}
