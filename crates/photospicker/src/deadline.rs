//! The deadline of one attempt, kept with as few timers as possible.
//!
//! Every tokio timer armed while the runtime has no other timer wakes the
//! runtime's time driver (tokio's `reregister` unparks it when the new timer
//! is the earliest), and on an idle machine that wake-up is a context switch
//! that costs more than everything else this crate does per call (the bench's
//! P1 profile: with a timer for the retry loop's deadline and another for the
//! first byte, a `get_session` took ~1 context switch and ~6% more time than a
//! raw reqwest GET). So an attempt arms one timer for both, and work that is
//! ready at once (a static token, a small body that came with its headers)
//! arms none.

use crate::error::{Error, Result};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// When an attempt must be over, handed by the retry loop to each attempt,
/// which keeps it (the loop arms no timer of its own around the attempt).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttemptDeadline {
    /// The earliest of the caller's deadline and the retry policy's time
    /// limit (when it cuts attempts in flight); `None`: no deadline.
    pub cut_at: Option<Instant>,
    /// The earliest of the caller's deadline and the time limit, always: what
    /// comes before a body flows (the token, a request slot, the response's
    /// headers) ends here even where a flowing body may go on (downloads).
    /// Never later than `cut_at`.
    pub start_by: Option<Instant>,
    /// When the call (its first attempt) started, for the error's "after".
    pub call_started: Instant,
}

impl AttemptDeadline {
    /// The error of an attempt cut by the deadline.
    pub(crate) fn exceeded(&self) -> Error {
        Error::deadline_exceeded(self.call_started.elapsed())
    }

    /// `future`, cut at the deadline; a timer is armed only if it is not ready at once.
    pub(crate) async fn within<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        ready_or_until(self.cut_at, future).await.unwrap_or_else(|| Err(self.exceeded()))
    }

    /// `future`, which comes before any body (a token, a request slot), cut at `start_by`.
    pub(crate) async fn before_body<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        ready_or_until(self.start_by, future).await.unwrap_or_else(|| Err(self.exceeded()))
    }

    /// `future` (the wait for a response's headers), cut after `limit` (the
    /// time to first byte) or at `start_by`, whichever comes first: one timer.
    pub(crate) async fn first_byte<T>(&self, limit: Duration, future: impl Future<Output = Result<T>>) -> Result<T> {
        // A limit too long to represent is no limit.
        let limit_at = Instant::now().checked_add(limit);
        let (at, cut) = match (limit_at, self.start_by) {
            (Some(limit_at), Some(cut_at)) if cut_at <= limit_at => (cut_at, true),
            (Some(limit_at), _) => (limit_at, false),
            (None, Some(cut_at)) => (cut_at, true),
            (None, None) => return future.await,
        };
        match tokio::time::timeout_at(at, future).await {
            Ok(output) => output,
            Err(_) if cut => Err(self.exceeded()),
            Err(_) => Err(Error::first_byte_timeout(limit)),
        }
    }
}

/// `future`'s output, or `None` when `at` came first; a timer is armed only
/// if `future` is not ready at once (a small body usually came with its headers).
pub(crate) async fn ready_or_until<T>(at: Option<Instant>, future: impl Future<Output = T>) -> Option<T> {
    let Some(at) = at else { return Some(future.await) };
    let mut future = std::pin::pin!(future);
    if let Some(output) = futures_util::future::poll_immediate(future.as_mut()).await {
        return Some(output);
    }
    tokio::time::timeout_at(at, future).await.ok()
}
