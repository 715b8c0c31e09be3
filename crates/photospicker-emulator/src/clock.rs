//! The emulator's clock: real time plus an offset that tests advance, so that
//! expiry and timeouts are testable in milliseconds.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    offset_micros: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::microseconds(self.offset_micros.load(Ordering::SeqCst))
    }

    /// Moves the clock forward (a negative amount is refused by the caller).
    pub fn advance(&self, by: Duration) {
        self.offset_micros.fetch_add(by.num_microseconds().unwrap_or(i64::MAX / 2), Ordering::SeqCst);
    }

    pub fn reset(&self) {
        self.offset_micros.store(0, Ordering::SeqCst);
    }
}
