//! `X-HTTP-Method-Override`, as Google's front end honours it: a `POST` with
//! `X-HTTP-Method-Override: GET` and the query in an
//! `application/x-www-form-urlencoded` body is served as that GET.
//! google-api-python-client sends exactly this when a GET's URI would exceed
//! 2,048 characters (e.g. `mediaItems.batchGet` of 50 ids).

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const OVERRIDE: HeaderName = HeaderName::from_static("x-http-method-override");

/// The largest form body taken as a query: far above any legal request
/// (50 batchGet ids), far below anything that could hurt.
pub const MAX_FORM_BODY: usize = 64 * 1024;

/// Methods a POST may be turned into.
const ALLOWED: &[Method] = &[Method::GET, Method::DELETE, Method::POST, Method::PUT, Method::PATCH];

pub async fn middleware(request: Request, next: Next) -> Response {
    // Only POSTs to Google's API paths are overridden; elsewhere the header means nothing.
    if request.method() != Method::POST || !request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    let Some(wanted) = request.headers().get(&OVERRIDE).cloned() else { return next.run(request).await };
    match rewrite(request, &wanted).await {
        Ok(request) => next.run(request).await,
        Err(error) => {
            // The body may be unread: say the connection ends, so a keep-alive
            // client opens a new one instead of failing its next request.
            let mut response = error.into_response();
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

async fn rewrite(request: Request, wanted: &HeaderValue) -> Result<Request, ApiError> {
    let method = wanted
        .to_str()
        .ok()
        .and_then(|m| Method::from_bytes(m.trim().to_ascii_uppercase().as_bytes()).ok())
        .filter(|m| ALLOWED.contains(m))
        .ok_or_else(|| ApiError::invalid_argument("X-HTTP-Method-Override must be GET, DELETE, POST, PUT or PATCH."))?;
    if method == Method::POST {
        return Ok(request);
    }
    let (mut parts, body) = request.into_parts();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    let too_large = || {
        let mut error = ApiError::invalid_argument(format!("The overridden request's form body exceeds {MAX_FORM_BODY} bytes."));
        error.status = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
        error
    };
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_FORM_BODY as u64) {
        return Err(too_large());
    }
    let form = axum::body::to_bytes(body, MAX_FORM_BODY).await.map_err(|_| too_large())?;
    if !form.iter().all(u8::is_ascii_whitespace) && !is_form {
        return Err(ApiError::invalid_argument(
            "With X-HTTP-Method-Override, the body must be application/x-www-form-urlencoded query parameters.",
        ));
    }
    // Decoded and re-encoded, so any form body (raw UTF-8, stray `%`) becomes a valid query.
    let form = form_urlencoded::Serializer::new(String::new()).extend_pairs(form_urlencoded::parse(form.trim_ascii())).finish();
    let query = match (parts.uri.query().filter(|q| !q.is_empty()), form.is_empty()) {
        (Some(query), false) => Some(format!("{query}&{form}")),
        (Some(query), true) => Some(query.to_string()),
        (None, false) => Some(form.to_string()),
        (None, true) => None,
    };
    let path_and_query = match query {
        Some(query) => format!("{}?{query}", parts.uri.path()),
        None => parts.uri.path().to_string(),
    };
    parts.uri = Uri::builder()
        .path_and_query(path_and_query)
        .build()
        .map_err(|_| ApiError::invalid_argument("The request's query is not valid."))?;
    parts.method = method;
    for name in [header::CONTENT_TYPE, header::CONTENT_LENGTH, OVERRIDE] {
        parts.headers.remove(name);
    }
    Ok(Request::from_parts(parts, Body::empty()))
}
