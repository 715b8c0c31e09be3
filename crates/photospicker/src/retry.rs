//! When and how long to wait before trying a failed request again.

use std::time::Duration;

/// Exponential backoff with jitter, following Google's guidance for Photos:
/// first wait at least 1 s, double each time, wait at least 30 s after a 429,
/// and always honour `Retry-After` / `RetryInfo` when the service sends them.
///
/// Only idempotent calls are retried (get, list, delete, batchGet, media);
/// `sessions.create` only when the connection could not be made at all.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The first wait.
    pub initial_backoff: Duration,
    /// The longest wait.
    pub max_backoff: Duration,
    /// The factor between waits.
    pub multiplier: f64,
    /// The shortest wait after a 429 without a server-given delay.
    pub rate_limited_backoff: Duration,
    /// Randomise each wait between half and all of it, so clients do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(32),
            multiplier: 2.0,
            rate_limited_backoff: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), given
    /// what the service asked for and whether it was a 429.
    pub(crate) fn backoff(&self, attempt: u32, server_delay: Option<Duration>, rate_limited: bool) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30) as i32;
        let base = self.initial_backoff.as_secs_f64() * self.multiplier.max(1.0).powi(exponent);
        let mut wait = Duration::from_secs_f64(base.min(self.max_backoff.as_secs_f64()));
        if self.jitter {
            wait = wait.mul_f64(0.5 + 0.5 * jitter_unit());
        }
        if rate_limited {
            wait = wait.max(self.rate_limited_backoff);
        }
        // The server's delay is a floor, never shortened by jitter.
        server_delay.map_or(wait, |delay| wait.max(delay))
    }
}

fn jitter_unit() -> f64 {
    (crate::random::random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Operations that may be sent again without changing the outcome.
pub(crate) fn is_idempotent(operation_id: &str) -> bool {
    matches!(operation_id, "sessions_get" | "sessions_delete" | "media_items_list" | "media_items_batch_get" | "media_get")
}

pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_the_first_and_are_capped() {
        let policy = RetryPolicy { jitter: false, ..RetryPolicy::default() };
        let waits: Vec<u64> = (1..=7).map(|a| policy.backoff(a, None, false).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 32]);
    }

    #[test]
    fn jitter_stays_within_half_and_whole() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let wait = policy.backoff(3, None, false);
            assert!(wait >= Duration::from_secs(2) && wait <= Duration::from_secs(4), "{wait:?}");
        }
    }

    #[test]
    fn rate_limits_and_server_delays_are_floors() {
        let policy = RetryPolicy { jitter: false, ..RetryPolicy::default() };
        assert_eq!(policy.backoff(1, None, true), Duration::from_secs(30));
        assert_eq!(policy.backoff(1, Some(Duration::from_secs(45)), true), Duration::from_secs(45));
        assert_eq!(policy.backoff(3, Some(Duration::from_millis(10)), false), Duration::from_secs(4));
    }

    #[test]
    fn only_reads_and_deletes_are_idempotent() {
        assert!(!is_idempotent("sessions_create"));
        assert!(is_idempotent("sessions_get") && is_idempotent("media_get"));
    }
}
