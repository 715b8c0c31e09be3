//! Reading response bodies safely: chunk by chunk, under a size cap, and
//! with stall detection instead of a total timeout — a body may take as long
//! as it needs while bytes flow, and fails when they stop.

use crate::error::{Error, Result};
use bytes::{Bytes, BytesMut};
use std::time::Duration;
use tokio::time::Instant;

/// When a body counts as stalled: fewer than `min_bytes_per_sec` × `grace`
/// bytes arrived in a window of `grace` (aws-sdk-rust's idea; its default
/// is 1 byte/s over 20 s, ours 1 KiB/s over 20 s: a connection slower than
/// that for 20 s is as good as dead for photos and videos).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StallPolicy {
    pub min_bytes_per_sec: u64,
    pub grace: Duration,
}

impl Default for StallPolicy {
    fn default() -> Self {
        Self { min_bytes_per_sec: 1024, grace: Duration::from_secs(20) }
    }
}

/// Watches one body: each window of `grace` must bring the quota of bytes;
/// a window that does starts the next one.
pub(crate) struct StallGuard {
    policy: StallPolicy,
    quota: u64,
    window_start: Instant,
    window_bytes: u64,
    received: u64,
}

impl StallGuard {
    pub(crate) fn new(policy: StallPolicy) -> Self {
        let quota = (policy.min_bytes_per_sec as f64 * policy.grace.as_secs_f64()).ceil().max(1.0) as u64;
        Self { policy, quota, window_start: Instant::now(), window_bytes: 0, received: 0 }
    }

    /// The next chunk of `response`, `None` at its end; a stall or a cut
    /// connection is a (retryable) transport error.
    pub(crate) async fn next(&mut self, response: &mut reqwest::Response) -> Result<Option<Bytes>> {
        let window_end = self.window_start + self.policy.grace;
        // A chunk already received needs no timer: arming one per chunk was
        // most of what this layer cost per call over a raw reqwest read (P1).
        let chunk = match crate::deadline::ready_or_until(Some(window_end), response.chunk()).await {
            None => return Err(Error::stalled(self.received, self.policy.min_bytes_per_sec, self.policy.grace)),
            Some(chunk) => chunk.map_err(Error::transport)?,
        };
        if let Some(chunk) = &chunk {
            self.received += chunk.len() as u64;
            self.window_bytes += chunk.len() as u64;
            if self.window_bytes >= self.quota {
                self.window_start = Instant::now();
                self.window_bytes = 0;
            } else if Instant::now() >= window_end {
                return Err(Error::stalled(self.received, self.policy.min_bytes_per_sec, self.policy.grace));
            }
        }
        Ok(chunk)
    }
}

/// The whole body, refused as soon as it is known to exceed `limit` bytes
/// (from its `Content-Length`, or while reading), so that memory stays
/// bounded whatever the server sends.
pub(crate) async fn read_capped(response: &mut reqwest::Response, limit: u64, stall: StallPolicy) -> Result<Bytes> {
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(Error::response_too_large(limit));
    }
    let mut guard = StallGuard::new(stall);
    let mut body = BytesMut::new();
    while let Some(chunk) = guard.next(response).await? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(Error::response_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The start of an error body, for its message: at most `limit` bytes, and
/// whatever arrived if the body stalls or is cut (the status matters more).
pub(crate) async fn read_excerpt(response: &mut reqwest::Response, limit: usize, stall: StallPolicy) -> Bytes {
    let mut guard = StallGuard::new(stall);
    let mut body = BytesMut::new();
    while let Ok(Some(chunk)) = guard.next(response).await {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    body.freeze()
}
