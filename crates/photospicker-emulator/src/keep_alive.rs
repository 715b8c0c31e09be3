//! Keeps HTTP/1.1 connections usable after any answer. hyper reuses a
//! connection only if the request body was read to its end; an answer sent
//! before (a 404, a 405, an injected fault, a preflight) made it close the
//! socket silently, and the client's next request on it failed. So every
//! request body is read first, within a size cap and a deadline; a body that
//! cannot be read within them is answered with `Connection: close`.

use crate::error::ApiError;
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use photospicker_api::codes::Code;
use std::time::Duration;

/// The largest request body read (the API's own bodies are a few hundred bytes;
/// a form body of 50 `mediaItemIds` is a few KB).
pub const MAX_REQUEST_BODY: usize = 1 << 20;
/// How long a client may take to send its body.
pub const BODY_DEADLINE: Duration = Duration::from_secs(30);

pub async fn read_body_first(request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BODY as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, MAX_REQUEST_BODY)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) if is_length_limit(&error) => return too_large(),
        Ok(Err(_)) => return closing(ApiError::invalid_argument("The request body could not be read.")),
        Err(_) => {
            return closing(ApiError::new(Code::DeadlineExceeded, "The request body did not arrive in time.").with_status(StatusCode::REQUEST_TIMEOUT))
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}

fn too_large() -> Response {
    let message = format!("The request body is larger than {MAX_REQUEST_BODY} bytes.");
    closing(ApiError::new(Code::InvalidArgument, message).with_status(StatusCode::PAYLOAD_TOO_LARGE))
}

/// An error after which the connection cannot be reused: say so, so that the
/// client opens a new one instead of writing into a closed socket. These
/// answers are made outside the CORS layer, hence its one header here.
fn closing(error: ApiError) -> Response {
    let mut response = error.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}
