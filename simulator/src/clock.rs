//! The simulated clock, with no clock of its own: the host (the tokio server, the npm
//! sandbox, the Python sandbox) passes its monotonic time with every call, and tests push
//! an offset forward, so a test can jump an hour ahead (token expiry, rate windows, the
//! Vonage schedule) without sleeping, and the same engine runs where there is no clock
//! (wasm32).

use std::time::Duration;

/// A reading of the clock: simulated time since start, and the matching wall-clock time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now {
    /// Simulated time since the simulator started (or was reset).
    pub(crate) sim: Duration,
    /// Unix seconds at that moment (the real start time plus `sim`).
    pub(crate) unix: u64,
}

pub(crate) struct Clock {
    /// Unix milliseconds when the host's time was zero.
    unix_ms_at_zero: u64,
    /// The host's time at the last (re)start.
    base: Duration,
    /// Unix milliseconds at `base`.
    unix_ms_at_base: u64,
    /// How far tests pushed the clock.
    offset: Duration,
}

impl Clock {
    pub(crate) fn new(unix_ms_at_zero: u64) -> Clock {
        Clock { unix_ms_at_zero, base: Duration::ZERO, unix_ms_at_base: unix_ms_at_zero, offset: Duration::ZERO }
    }

    /// The simulated time when the host's time is `host`.
    pub(crate) fn read(&self, host: Duration) -> Now {
        let sim = host.saturating_sub(self.base).saturating_add(self.offset);
        let unix_ms = self.unix_ms_at_base.saturating_add(u64::try_from(sim.as_millis()).unwrap_or(u64::MAX));
        Now { sim, unix: unix_ms / 1000 }
    }

    pub(crate) fn advance(&mut self, d: Duration) {
        self.offset = self.offset.saturating_add(d);
    }

    /// Starts simulated time again from zero at `host` (used by reset, with fresh state).
    pub(crate) fn rebase(&mut self, host: Duration) {
        self.base = host;
        self.unix_ms_at_base = self.unix_ms_at_zero.saturating_add(u64::try_from(host.as_millis()).unwrap_or(u64::MAX));
        self.offset = Duration::ZERO;
    }
}
