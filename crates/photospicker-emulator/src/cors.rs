//! CORS as Google's front end answers it, so that web apps can call the API
//! and fetch `baseUrl` bytes from browser JavaScript: any origin (echoed), the
//! request headers the browser asks for (echoed: `Authorization`,
//! `Content-Type`, `X-Goog-*` …; a `*` would not cover `Authorization`), the
//! usual methods, and a one-hour preflight cache. Error answers carry the
//! headers too, or the page could not read why a call failed.

use axum::http::{header, HeaderName, Method};
use std::time::Duration;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);

/// Response headers a page may read beyond the CORS-safelisted ones.
const EXPOSED: [HeaderName; 8] = [
    header::CONTENT_LENGTH,
    header::CONTENT_RANGE,
    header::ACCEPT_RANGES,
    header::RETRY_AFTER,
    header::WWW_AUTHENTICATE,
    header::DATE,
    header::ETAG,
    header::LOCATION,
];

pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::PUT, Method::PATCH, Method::OPTIONS, Method::HEAD])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(EXPOSED)
        .allow_private_network(true)
        .max_age(PREFLIGHT_MAX_AGE)
}
