//! The retry policy as a value: how many attempts, for how long, how long to
//! wait between them; and the one list of what may be retried at all.

use std::time::Duration;

/// Exponential backoff with jitter, following Google's guidance for Photos:
/// first wait at least 1 s, double each time, wait at least 30 s after a 429,
/// and honour `Retry-After` / `RetryInfo` when the service sends them — as
/// long as the policy allows that long a wait: a server-asked delay longer
/// than `max_backoff` (or `rate_limited_backoff` after a 429), or past the
/// time limit, ends the call at once with the server's error, whose
/// `retry_delay()` tells how long it asked for.
///
/// Only idempotent calls are retried: GET and DELETE, and `sessions.create`
/// when it carries a `request_id`; a create without one only when the
/// connection could not be made at all. `max_attempts` counts requests; a
/// request repeated once after refreshing an expired token or `baseUrl` is
/// not counted.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The first wait.
    pub initial_backoff: Duration,
    /// The longest wait, and the longest server-asked wait honoured.
    pub max_backoff: Duration,
    /// The factor between waits.
    pub multiplier: f64,
    /// The shortest wait after a 429 without a server-given delay.
    pub rate_limited_backoff: Duration,
    /// Randomise each wait between half and all of it, so clients do not retry in step.
    pub jitter: bool,
    /// The overall time of one call from its first attempt (default 5 min;
    /// `None`: no limit). No wait ends and no attempt starts after it; an API
    /// call still in flight is cut. A media body that keeps flowing is not
    /// cut (stall detection bounds it), but is not retried past it.
    pub time_limit: Option<Duration>,
    /// Seeds the jitter's random source, for reproducible waits in tests
    /// (`None`: seeded from the system).
    pub jitter_seed: Option<u64>,
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
            time_limit: Some(Duration::from_secs(300)),
            jitter_seed: None,
        }
    }
}

/// Why no retry will be made after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The server asked for a longer wait than the policy allows.
    ServerDelayTooLong(Duration),
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The policy's own wait before attempt `attempt + 1` (attempt counts
    /// from 1); `unit` is a random number in `[0, 1)` for the jitter.
    fn backoff(&self, attempt: u32, rate_limited: bool, unit: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30) as i32;
        let base = self.initial_backoff.as_secs_f64() * self.multiplier.max(1.0).powi(exponent);
        let capped = base.min(self.max_backoff.as_secs_f64());
        let mut wait = Duration::try_from_secs_f64(capped).unwrap_or(self.max_backoff);
        if self.jitter {
            wait = wait.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0));
        }
        if rate_limited {
            wait = wait.max(self.rate_limited_backoff);
        }
        wait
    }

    /// The wait before attempt `attempt + 1`: the policy's backoff, or the
    /// server's delay if longer (never shortened by jitter) — unless the
    /// server asks for more than the policy ever waits.
    pub(crate) fn wait_before_retry(&self, attempt: u32, server_delay: Option<Duration>, rate_limited: bool, unit: f64) -> Result<Duration, Refusal> {
        let own = self.backoff(attempt, rate_limited, unit);
        let ceiling = if rate_limited { self.max_backoff.max(self.rate_limited_backoff) } else { self.max_backoff };
        match server_delay {
            Some(asked) if asked > ceiling => Err(Refusal::ServerDelayTooLong(asked)),
            Some(asked) => Ok(own.max(asked)),
            None => Ok(own),
        }
    }
}

/// Whether a request may be sent again without changing the outcome: by
/// its method, and for a POST (`sessions.create`) only with a `requestId`,
/// which makes the service answer a repeat with the same session.
pub(crate) fn is_idempotent(method: &reqwest::Method, url: &reqwest::Url) -> bool {
    use reqwest::Method;
    match *method {
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS => true,
        Method::POST => url.query_pairs().any(|(key, value)| key == "requestId" && !value.is_empty()),
        _ => false,
    }
}

/// The HTTP statuses worth retrying: the one list, used by the retry loop
/// and by `Error::is_retryable`.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady() -> RetryPolicy {
        RetryPolicy { jitter: false, ..RetryPolicy::default() }
    }

    #[test]
    fn waits_double_from_the_first_and_are_capped() {
        let waits: Vec<u64> = (1..=7).map(|a| steady().wait_before_retry(a, None, false, 0.0).unwrap().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 32]);
    }

    #[test]
    fn jitter_stays_within_half_and_whole_and_follows_the_random_source() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.wait_before_retry(3, None, false, 0.0).unwrap(), Duration::from_secs(2));
        assert_eq!(policy.wait_before_retry(3, None, false, 0.5).unwrap(), Duration::from_secs(3));
        assert_eq!(policy.wait_before_retry(3, None, false, 7.0).unwrap(), Duration::from_secs(4));
    }

    #[test]
    fn rate_limits_and_server_delays_are_floors() {
        let policy = steady();
        assert_eq!(policy.wait_before_retry(1, None, true, 0.0).unwrap(), Duration::from_secs(30));
        assert_eq!(policy.wait_before_retry(1, Some(Duration::from_secs(31)), true, 0.0).unwrap(), Duration::from_secs(31));
        assert_eq!(policy.wait_before_retry(3, Some(Duration::from_millis(10)), false, 0.0).unwrap(), Duration::from_secs(4));
    }

    #[test]
    fn a_server_delay_beyond_the_longest_wait_is_refused() {
        let policy = steady();
        let forever = Duration::from_secs(315_576_000_000);
        assert_eq!(policy.wait_before_retry(1, Some(forever), false, 0.0), Err(Refusal::ServerDelayTooLong(forever)));
        assert!(policy.wait_before_retry(1, Some(Duration::from_secs(33)), false, 0.0).is_err());
        assert!(policy.wait_before_retry(1, Some(Duration::MAX), true, 0.0).is_err());
    }

    #[test]
    fn reads_deletes_and_creates_with_a_request_id_are_idempotent() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        assert!(is_idempotent(&reqwest::Method::GET, &url("https://x/v1/sessions/a")));
        assert!(is_idempotent(&reqwest::Method::DELETE, &url("https://x/v1/sessions/a")));
        assert!(!is_idempotent(&reqwest::Method::POST, &url("https://x/v1/sessions")));
        assert!(!is_idempotent(&reqwest::Method::POST, &url("https://x/v1/sessions?requestId=")));
        assert!(is_idempotent(&reqwest::Method::POST, &url("https://x/v1/sessions?requestId=4b0c3c1e-0b4a-4a57-9a34-111111111111")));
    }
}
