//! The engine under both generated clients and the downloader: adds the
//! token (only where it belongs), retries what may be retried, refreshes the
//! token once on 401, and traces every attempt without secrets.

use crate::auth::{SharedProvider, TokenPolicy};
use crate::error::{requested_delay, Error, Result};
use crate::retry::{is_idempotent, is_retryable_status, RetryPolicy};
use photospicker_api::BoxFuture;
use reqwest::header::{HeaderValue, AUTHORIZATION, RETRY_AFTER};
use std::time::{Duration, Instant};
use tracing::Instrument;

pub(crate) struct Engine {
    pub http: reqwest::Client,
    pub provider: SharedProvider,
    pub policy: TokenPolicy,
    pub retry: RetryPolicy,
}

impl Engine {
    pub(crate) async fn authorize(&self, request: &mut reqwest::Request, refresh: bool) -> Result<()> {
        let token = self.provider.token(refresh).await?;
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret()))
            .map_err(|_| Error::auth("the token has characters that cannot be sent in a header"))?;
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }

    /// Sends `request` with retries. With `buffer`, the whole body is read
    /// inside the retry loop, so a connection cut mid-body is retried too.
    pub(crate) async fn send(&self, mut request: reqwest::Request, operation: &'static str, buffer: bool) -> reqwest::Result<reqwest::Response> {
        let idempotent = is_idempotent(operation);
        let max_attempts = self.retry.max_attempts.max(1);
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let Some(this) = request.try_clone() else {
                return self.http.execute(request).await;
            };
            let started = Instant::now();
            let span = tracing::info_span!("photospicker.request", operation, attempt, status = tracing::field::Empty, latency_ms = tracing::field::Empty);
            let outcome = async {
                let response = self.http.execute(this).await?;
                if buffer { buffered(response).await } else { Ok(response) }
            }
            .instrument(span.clone())
            .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            match outcome {
                Ok(response) => {
                    let status = response.status().as_u16();
                    span.record("status", status);
                    tracing::debug!(parent: &span, operation, attempt, status, "response");
                    if status == 401 && !refreshed && request.headers().contains_key(AUTHORIZATION) {
                        refreshed = true;
                        attempt -= 1;
                        if self.authorize(&mut request, true).await.is_ok() {
                            continue;
                        }
                        return Ok(response);
                    }
                    if !(idempotent && is_retryable_status(status) && attempt < max_attempts) {
                        return Ok(response);
                    }
                    let delay = self.retry.backoff(attempt, server_delay(response).await, status == 429);
                    tracing::info!(parent: &span, operation, attempt, status, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(error) => {
                    // A request that never connected never reached the service: even
                    // a non-idempotent create may be sent again.
                    if !((idempotent || error.is_connect()) && attempt < max_attempts) {
                        return Err(error);
                    }
                    let delay = self.retry.backoff(attempt, None, false);
                    tracing::info!(parent: &span, operation, attempt, error = %error.without_url(), delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

/// Reads the whole body and puts it back, so that it can be inspected and
/// so that a failure to read it surfaces here.
async fn buffered(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let mut rebuilt = http_response(status, body);
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

fn http_response(status: reqwest::StatusCode, body: bytes::Bytes) -> http::Response<bytes::Bytes> {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    response
}

/// The wait the failed `response` asks for (see [`requested_delay`]).
async fn server_delay(response: reqwest::Response) -> Option<Duration> {
    let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_string);
    let body: Option<serde_json::Value> = response.json().await.ok();
    let details = body.as_ref().and_then(|b| b.pointer("/error/details")).and_then(|d| d.as_array()).map_or(&[][..], Vec::as_slice);
    requested_delay(details, retry_after.as_deref())
}

impl photospicker_api::Transport for Engine {
    fn prepare<'a>(&'a self, request: &'a mut reqwest::Request, operation_id: &'static str) -> BoxFuture<'a, std::result::Result<(), String>> {
        Box::pin(async move {
            if !self.policy.allows_api(request.url()) {
                return Err(format!("{operation_id}: refusing to send the token to an origin that is not a configured endpoint"));
            }
            self.authorize(request, false).await.map_err(|e| e.to_string())
        })
    }

    fn execute<'a>(&'a self, _client: &'a reqwest::Client, request: reqwest::Request, operation_id: &'static str) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        Box::pin(self.send(request, operation_id, true))
    }
}
