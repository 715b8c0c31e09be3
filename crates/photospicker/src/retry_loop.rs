//! The one retry loop, for API calls and media bodies alike (google-cloud-rust's
//! `gax` is the model): a call is a description (idempotent? authorized?)
//! plus an attempt function; the loop owns counting, the token and its
//! refresh after a 401, the deadlines, the waits and their tracing.

use crate::auth::AccessToken;
use crate::deadline::AttemptDeadline;
use crate::error::Result;
use crate::retry::Refusal;
use crate::transport::Engine;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

tokio::task_local! {
    static CALLER_DEADLINE: Instant;
}

/// Runs `future` with `deadline` as the overall deadline of every call the
/// client makes inside it: no attempt, body or retry wait goes past it (a
/// call cut by it fails with [`Error::is_deadline_exceeded`]). Nested
/// deadlines keep the earliest.
///
/// ```no_run
/// # async fn run(client: photospicker::Client) -> photospicker::Result<()> {
/// use std::time::Duration;
/// let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
/// let session = photospicker::with_deadline(deadline, client.get_session("id")).await?;
/// # Ok(()) }
/// ```
pub async fn with_deadline<F: Future>(deadline: Instant, future: F) -> F::Output {
    let deadline = caller_deadline().map_or(deadline, |outer| outer.min(deadline));
    CALLER_DEADLINE.scope(deadline, future).await
}

fn caller_deadline() -> Option<Instant> {
    CALLER_DEADLINE.try_with(|deadline| *deadline).ok()
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What the loop needs to know about a call.
pub(crate) struct Call {
    /// For traces.
    pub operation: &'static str,
    /// Whether sending it twice changes nothing (see `retry::is_idempotent`).
    pub idempotent: bool,
    /// Whether each attempt carries the access token.
    pub authorized: bool,
    /// Whether the policy's time limit also cuts an attempt in flight (API
    /// calls), or only stops retries (media bodies, bounded by stall detection).
    pub cut_at_time_limit: bool,
}

/// One attempt's inputs.
pub(crate) struct Attempt {
    /// The token to send, for an authorized call.
    pub token: Option<AccessToken>,
    /// When the attempt must be over. The attempt keeps it (with
    /// `within`/`first_byte`): the loop arms no timer of its own around it,
    /// so that an attempt costs one timer, not one per layer (see `deadline.rs`).
    pub deadline: AttemptDeadline,
}

impl Engine {
    /// Runs `attempt` until it succeeds, fails for good, or the policy says stop.
    pub(crate) async fn run<T, F, Fut>(&self, call: &Call, mut attempt: F) -> Result<T>
    where
        F: FnMut(Attempt) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let started = Instant::now();
        let time_limit = self.retry.time_limit.and_then(|limit| started.checked_add(limit));
        let caller = caller_deadline();
        let cut_at = earliest(caller, if call.cut_at_time_limit { time_limit } else { None });
        let retry_until = earliest(caller, time_limit);
        let max_attempts = self.retry.max_attempts.max(1);
        let mut refreshed_token: Option<AccessToken> = None;
        let mut token_refreshed = false;
        let mut number = 0;
        loop {
            number += 1;
            let span = tracing::info_span!("photospicker.request", operation = call.operation, attempt = number);
            let deadline = AttemptDeadline { cut_at, start_by: retry_until, call_started: started };
            let one = async {
                let token = match (call.authorized, refreshed_token.take()) {
                    (false, _) => None,
                    (true, Some(token)) => Some(token),
                    (true, None) => Some(deadline.before_body(self.token(false)).await?),
                };
                attempt(Attempt { token, deadline }).await
            };
            let outcome = one.instrument(span.clone()).await;
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(error) => error.scrubbed(&|text| self.redactor.scrub(text)),
            };
            tracing::debug!(parent: &span, operation = call.operation, attempt = number, error = %error, "attempt failed");
            if error.is_deadline_exceeded() {
                return Err(error);
            }
            if error.http_status() == Some(401) && call.authorized && !token_refreshed {
                // The token expired or was revoked: ask the provider for a new one, once, uncounted.
                token_refreshed = true;
                match self.token(true).await {
                    Ok(token) => {
                        refreshed_token = Some(token);
                        number -= 1;
                        continue;
                    }
                    Err(_) => return Err(error),
                }
            }
            // A request that never connected never reached the service: even
            // a non-idempotent create may be sent again.
            if !(error.is_retryable() && (call.idempotent || error.is_connect()) && number < max_attempts) {
                return Err(error);
            }
            let wait = match self.retry.wait_before_retry(number, error.retry_delay(), error.http_status() == Some(429), self.jitter_unit()) {
                Ok(wait) => wait,
                Err(Refusal::ServerDelayTooLong(asked)) => {
                    tracing::info!(parent: &span, operation = call.operation, attempt = number, asked_ms = millis(asked), "the server asked for a longer wait than the policy allows; giving up");
                    return Err(error);
                }
            };
            if retry_until.is_some_and(|until| Instant::now() + wait >= until) {
                tracing::info!(parent: &span, operation = call.operation, attempt = number, delay_ms = millis(wait), "the next attempt would start past the deadline; giving up");
                return Err(error);
            }
            tracing::info!(parent: &span, operation = call.operation, attempt = number, error = %error, delay_ms = millis(wait), "retrying");
            tokio::time::sleep(wait).await;
        }
    }
}

fn millis(duration: Duration) -> u64 {
    duration.as_millis().min(u64::MAX as u128) as u64
}
