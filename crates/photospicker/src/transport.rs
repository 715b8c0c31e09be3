//! The engine under both generated clients and the downloader: one attempt
//! of one request (token only where it belongs, time to first byte, no
//! redirects, error answers read into typed errors, capped bodies), driven by
//! the one retry loop (`retry_loop.rs`).

use crate::auth::{AccessToken, SharedProvider, TokenPolicy};
use crate::body::{read_capped, read_excerpt, StallPolicy};
use crate::client::header_pairs;
use crate::deadline::AttemptDeadline;
use crate::error::{Error, Result};
use crate::per_process::{PerProcess, SlotKind};
use crate::redact::Redactor;
use crate::retry::{is_idempotent, RetryPolicy};
use crate::retry_loop::Call;
use photospicker_api::{BoxFuture, TransportFailure};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use std::time::Duration;

/// The time and size limits of one attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Limits {
    /// From sending the request to the response's headers.
    pub attempt_timeout: Duration,
    /// When a body counts as stalled.
    pub stall: StallPolicy,
    /// The largest API response body read.
    pub max_response_bytes: u64,
}

pub(crate) struct Engine {
    /// The HTTP client (and jitter) of the current process: rebuilt after a fork.
    pub process: PerProcess,
    pub provider: SharedProvider,
    pub policy: TokenPolicy,
    pub retry: RetryPolicy,
    pub limits: Limits,
    pub redactor: Redactor,
}

impl Engine {
    /// A token from the provider (a fresh one with `refresh`), remembered so
    /// that no error text can carry it.
    pub(crate) async fn token(&self, refresh: bool) -> Result<AccessToken> {
        let token = self.provider.token(refresh).await?;
        self.redactor.remember(token.secret());
        Ok(token)
    }

    /// A slot among the client's concurrent requests, waited for until the
    /// attempt's `start_by` (a free one arms no timer); the request holds it
    /// until its body is read.
    pub(crate) async fn request_slot(&self, kind: SlotKind, deadline: &AttemptDeadline) -> Result<tokio::sync::SemaphorePermit<'_>> {
        let slots = self.process.request_slots(kind).map_err(Error::transport)?;
        // The semaphore is never closed: `acquire` cannot fail.
        deadline.before_body(async { slots.acquire().await.map_err(|_| Error::validation("the client was shut down")) }).await
    }

    /// A random number in `[0, 1)` for the backoff's jitter.
    pub(crate) fn jitter_unit(&self) -> f64 {
        self.process.jitter_unit()
    }

    /// Sends one attempt of `request` (with `token` if given) and returns
    /// the response once its headers are in, if its status is a success;
    /// an error answer is read (a bounded excerpt) into a typed error. The
    /// wait for the headers and the excerpt end at the attempt's deadline.
    pub(crate) async fn send_once(&self, mut request: reqwest::Request, token: Option<&AccessToken>, deadline: &AttemptDeadline) -> Result<reqwest::Response> {
        if let Some(token) = token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret()))
                .map_err(|_| Error::auth("the token has characters that cannot be sent in a header"))?;
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        let http = self.process.http().map_err(Error::transport)?;
        let response = deadline.first_byte(self.limits.attempt_timeout, async { http.execute(request).await.map_err(Error::transport) }).await?;
        let status = response.status();
        tracing::debug!(status = status.as_u16(), "response");
        if status.is_success() {
            return Ok(response);
        }
        if status.is_redirection() {
            return Err(Error::redirect(status.as_u16(), redirect_host(&response)));
        }
        match deadline.within(async { Ok(self.error_answer(response).await) }).await {
            Ok(error) | Err(error) => Err(error),
        }
    }

    /// A typed error from an error answer, whatever its body: the HTTP
    /// status always survives, the body is read only up to a cap.
    pub(crate) async fn error_answer(&self, mut response: reqwest::Response) -> Error {
        let status = response.status().as_u16();
        let headers = header_pairs(response.headers());
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = read_excerpt(&mut response, photospicker_api::MAX_ERROR_BODY_BYTES, self.limits.stall).await;
        let envelope = photospicker_api::error_envelope(status, content_type.as_deref(), &body);
        Error::api(status, Some(&envelope), headers).scrubbed(&|text| self.redactor.scrub(text))
    }

    /// An API call: retried by the loop, its body read whole (under the
    /// cap) inside each attempt so that a body cut half-way is retried too.
    async fn send_api(&self, request: reqwest::Request, operation: &'static str) -> Result<reqwest::Response> {
        if !self.policy.allows_api(request.url()) {
            return Err(Error::validation(format!(
                "refusing to send the access token to {}: not a configured endpoint",
                request.url().host_str().unwrap_or("?")
            )));
        }
        let call = Call { operation, idempotent: is_idempotent(request.method(), request.url()), authorized: true, cut_at_time_limit: true };
        let is_delete = request.method() == reqwest::Method::DELETE;
        // Whether an earlier attempt may have reached the service and done its work
        // (its answer was lost on the way back), so that a 404 now means "already done".
        let maybe_done = std::sync::atomic::AtomicBool::new(false);
        let maybe_done = &maybe_done;
        self.run(&call, |attempt| {
            let request = request.try_clone();
            async move {
                let request = request.ok_or_else(|| Error::validation("the request body cannot be sent twice"))?;
                let _slot = self.request_slot(SlotKind::Api, &attempt.deadline).await?;
                let mut response = match self.send_once(request, attempt.token.as_ref(), &attempt.deadline).await {
                    Ok(response) => response,
                    Err(error) if is_delete => return note_lost_answer(error, maybe_done),
                    Err(error) => return Err(error),
                };
                let body = match attempt.deadline.within(read_capped(&mut response, self.limits.max_response_bytes, self.limits.stall)).await {
                    Ok(body) => body,
                    Err(error) if is_delete => return note_lost_answer(error, maybe_done),
                    Err(error) => return Err(error),
                };
                if response.status().is_success() && json_ends_early(&body) {
                    return Err(Error::body_ended_early(body.len()));
                }
                Ok(rebuilt(response, body))
            }
        })
        .await
    }
}

/// A DELETE retried after an attempt whose answer was lost (cut mid-way, or
/// timed out after sending) did its work the first time: the retry's 404 is
/// that success, not a failure. The 404 of a first attempt, or after only
/// refusals and connection failures, stays an error.
fn note_lost_answer(error: Error, maybe_done: &std::sync::atomic::AtomicBool) -> Result<reqwest::Response> {
    use std::sync::atomic::Ordering;
    if error.http_status() == Some(404) && maybe_done.load(Ordering::Relaxed) {
        tracing::info!("a retried DELETE found the resource gone: the earlier attempt, whose answer was lost, deleted it");
        let mut done = http::Response::new(bytes::Bytes::from_static(b"{}"));
        done.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        return Ok(reqwest::Response::from(done));
    }
    if error.is_transport() && !error.is_connect() {
        maybe_done.store(true, Ordering::Relaxed);
    }
    Err(error)
}

/// Whether `body` is JSON cut short (a document that stops mid-way), as
/// opposed to complete but wrong JSON, which stays a decode error. An empty
/// body (`sessions.delete` answers `{}`, but a server may send nothing) is not.
fn json_ends_early(body: &[u8]) -> bool {
    !body.is_empty() && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err_and(|error| error.is_eof())
}

/// The response with its body in memory, for the generated code to decode
/// (its status and headers moved, not copied).
fn rebuilt(response: reqwest::Response, body: bytes::Bytes) -> reqwest::Response {
    let (mut head, _) = http::Response::from(response).into_parts();
    head.headers.remove(reqwest::header::CONTENT_ENCODING);
    reqwest::Response::from(http::Response::from_parts(head, body))
}

/// Where a redirect pointed: the host only (the full URL may carry secrets).
/// `response.url()` is the request's: redirects are never followed.
fn redirect_host(response: &reqwest::Response) -> Option<String> {
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let target = response.url().join(location).ok()?;
    target.host_str().map(str::to_string)
}

impl photospicker_api::Transport for Engine {
    fn execute<'a>(&'a self, _client: &'a reqwest::Client, request: reqwest::Request, operation_id: &'static str) -> BoxFuture<'a, Result<reqwest::Response, TransportFailure>> {
        Box::pin(async move { self.send_api(request, operation_id).await.map_err(|error| Box::new(error) as TransportFailure) })
    }
}
