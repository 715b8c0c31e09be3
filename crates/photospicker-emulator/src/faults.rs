//! Fault injection and the request log, as one middleware in front of every
//! Google route (never in front of the control API).

use crate::error::ApiError;
use crate::state::{LoggedRequest, State};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// An error in Google's JSON envelope (`status`, default 503), optionally with `Retry-After`.
    Status,
    /// An error status with an HTML page as body, as a proxy or load balancer sends.
    Html,
    /// The real response, `latencyMs` later.
    Latency,
    /// The connection is cut after `afterBytes` bytes of the real body (default 0).
    Reset,
    /// A well-formed HTTP response whose body is the first half of the real one.
    Truncate,
    /// The real response, its body dripped at `bytesPerSecond` (default 64 KiB/s).
    Slow,
}

/// One rule: which route, what happens, and when.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// A route name (`sessions.create`, `sessions.get`, `sessions.delete`,
    /// `mediaItems.list`, `mediaItems.batchGet`, `media`) or `*`.
    #[serde(default = "any_route")]
    pub route: String,
    pub kind: FaultKind,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub after_bytes: Option<usize>,
    #[serde(default)]
    pub bytes_per_second: Option<u64>,
    /// Fire at most this many times (unlimited when absent).
    #[serde(default)]
    pub times: Option<u32>,
    /// Fire with this probability (always when absent).
    #[serde(default)]
    pub probability: Option<f64>,
    /// Let this many matching requests through first.
    #[serde(default)]
    pub skip: u32,
}

fn any_route() -> String {
    "*".into()
}

pub const ROUTES: &[&str] = &["sessions.create", "sessions.get", "sessions.delete", "mediaItems.list", "mediaItems.batchGet", "media"];

impl FaultRule {
    pub fn check(&self) -> Result<(), String> {
        if self.route != "*" && !ROUTES.contains(&self.route.as_str()) {
            return Err(format!("unknown route {:?}; one of {ROUTES:?} or \"*\"", self.route));
        }
        if let Some(status) = self.status {
            if !(400..=599).contains(&status) {
                return Err("status must be an HTTP error status (400-599)".into());
            }
        }
        if self.bytes_per_second == Some(0) {
            return Err("bytesPerSecond must be at least 1".into());
        }
        if self.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            return Err("probability must be between 0 and 1".into());
        }
        Ok(())
    }
}

/// The route name of a request to the Google paths, for faults and the log.
pub fn classify(method: &Method, path: &str) -> &'static str {
    match (method, path) {
        (&Method::POST, "/v1/sessions") => "sessions.create",
        (&Method::GET, p) if p.starts_with("/v1/sessions/") => "sessions.get",
        (&Method::DELETE, p) if p.starts_with("/v1/sessions/") => "sessions.delete",
        (&Method::GET, "/v1/mediaItems") => "mediaItems.list",
        (&Method::GET, "/v1/mediaItems:batchGet") => "mediaItems.batchGet",
        (_, p) if p.starts_with("/media/") => "media",
        (_, p) if p.starts_with("/picker/") => "picker",
        (_, p) if p.starts_with("/emulator/") => "control",
        (_, p) if crate::oauth::is_oauth_path(p) => "oauth",
        _ => "other",
    }
}

/// The first rule that fires for this request. Each rule with a probability
/// rolls on its own, so that `503 at 5%` then `429 at 2%` give both (one
/// shared roll would let the second fire only when the first already had).
fn next_fault(state: &State, route: &str) -> Option<FaultRule> {
    let mut guard = state.lock();
    let inner = &mut *guard;
    for index in 0..inner.faults.len() {
        let rule = &mut inner.faults[index];
        if rule.route != "*" && rule.route != route || rule.times == Some(0) {
            continue;
        }
        if rule.skip > 0 {
            rule.skip -= 1;
            continue;
        }
        let Some(probability) = rule.probability else { return Some(fire(rule)) };
        if inner.unit() < probability {
            return Some(fire(&mut inner.faults[index]));
        }
    }
    None
}

fn fire(rule: &mut FaultRule) -> FaultRule {
    if let Some(times) = rule.times.as_mut() {
        *times -= 1;
    }
    rule.clone()
}

pub async fn middleware(AxumState(state): AxumState<Arc<State>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let route = classify(&method, &path);
    if route == "control" {
        return next.run(request).await;
    }
    let fault = next_fault(&state, route);
    let response = match &fault {
        None => next.run(request).await,
        Some(rule) => apply(rule, request, next).await,
    };
    state.lock().log.push(LoggedRequest {
        method: method.to_string(),
        path,
        route: route.to_string(),
        status: response.status().as_u16(),
        time: state.clock.now(),
        fault: fault.map(|rule| rule.kind),
    });
    response
}

async fn apply(rule: &FaultRule, request: Request, next: Next) -> Response {
    let status = rule.status.unwrap_or(503);
    match rule.kind {
        FaultKind::Status => {
            let mut error = ApiError::injected(status);
            if let Some(seconds) = rule.retry_after {
                error = error.with_retry_delay(seconds);
            }
            let mut response = error.into_response();
            if let Some(seconds) = rule.retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        FaultKind::Html => {
            let page = format!(
                "<!DOCTYPE html>\n<html lang=en><meta charset=utf-8><title>Error {status} (Server Error)!!1</title><p><b>{status}.</b> <ins>That’s an error.</ins></html>"
            );
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut response = (code, [(header::CONTENT_TYPE, "text/html; charset=UTF-8")], page).into_response();
            if let Some(seconds) = rule.retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        FaultKind::Latency => {
            tokio::time::sleep(std::time::Duration::from_millis(rule.latency_ms.unwrap_or(1000))).await;
            next.run(request).await
        }
        FaultKind::Slow => drip(next.run(request).await, rule.bytes_per_second.unwrap_or(64 * 1024)).await,
        FaultKind::Reset | FaultKind::Truncate => {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            if rule.kind == FaultKind::Truncate {
                let cut = bytes.slice(..bytes.len() / 2);
                parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(cut.len()));
                return Response::from_parts(parts, Body::from(cut));
            }
            // Promise the whole body, send part of it, then fail the stream:
            // hyper closes the connection and the client sees it cut mid-body.
            parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let sent = bytes.slice(..rule.after_bytes.unwrap_or(0).min(bytes.len().saturating_sub(1)));
            // The pause lets hyper flush the headers and the first bytes before the cut.
            let chunks = futures_util::stream::unfold(Some(sent), |pending| async move {
                match pending {
                    Some(sent) => Some((Ok(sent), None)),
                    None => {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset");
                        Some((Err::<Bytes, _>(reset), None))
                    }
                }
            });
            Response::from_parts(parts, Body::from_stream(chunks))
        }
    }
}

/// Ticks per second of a slow body: small enough slices that the rate is
/// smooth, few enough wake-ups that a thousand slow bodies stay cheap.
const DRIP_TICKS_PER_SECOND: u64 = 20;

/// `response` with its whole real body (and `Content-Length`), sent a slice
/// per tick so that `bytes_per_second` arrive each second.
async fn drip(response: Response, bytes_per_second: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let slice = (bytes_per_second / DRIP_TICKS_PER_SECOND).max(1) as usize;
    let tick = std::time::Duration::from_secs(1) / DRIP_TICKS_PER_SECOND as u32;
    let chunks = futures_util::stream::unfold(bytes, move |mut rest| async move {
        if rest.is_empty() {
            return None;
        }
        tokio::time::sleep(tick).await;
        let chunk = rest.split_to(slice.min(rest.len()));
        Some((Ok::<Bytes, std::io::Error>(chunk), rest))
    });
    Response::from_parts(parts, Body::from_stream(chunks))
}
