//! Access tokens: where they come from, and where they may go.

use crate::error::{Error, Result};
use photospicker_api::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// An OAuth 2.0 access token. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The secret itself, for an `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        Self::new(token)
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        Self::new(token)
    }
}

/// A source of access tokens, asked before every request.
///
/// `refresh` is true after the service answered 401 to the current token:
/// the provider should then fetch a new one rather than return a cached one.
/// The request is retried once with it.
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns a token valid for the Picker (and, if used, Library) scope.
    fn token(&self, refresh: bool) -> BoxFuture<'_, Result<AccessToken>>;
}

/// A fixed token, e.g. one your web app got from its OAuth flow.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<AccessToken>) -> Self {
        Self(token.into())
    }
}

impl TokenProvider for StaticToken {
    fn token(&self, _refresh: bool) -> BoxFuture<'_, Result<AccessToken>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A provider made from an async closure `|refresh| async { ... }`.
pub struct FnTokenProvider<F>(F);

impl<F, Fut> FnTokenProvider<F>
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AccessToken>> + Send + 'static,
{
    /// Wraps the closure.
    pub fn new(f: F) -> Self {
        Self(f)
    }
}

impl<F, Fut> TokenProvider for FnTokenProvider<F>
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AccessToken>> + Send + 'static,
{
    fn token(&self, refresh: bool) -> BoxFuture<'_, Result<AccessToken>> {
        Box::pin((self.0)(refresh))
    }
}

impl<F> fmt::Debug for FnTokenProvider<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTokenProvider")
    }
}

pub(crate) type SharedProvider = Arc<dyn TokenProvider>;

/// Which origins may receive the token: the configured API endpoints, and for
/// media the `googleusercontent.com` family (HTTPS only) or the endpoints' own
/// origins (the emulator serves media next to its API).
#[derive(Debug, Clone)]
pub(crate) struct TokenPolicy {
    api_origins: Vec<reqwest::Url>,
}

fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks an endpoint: HTTPS, or plain HTTP on loopback only.
pub(crate) fn check_endpoint(url: &str) -> Result<reqwest::Url> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::validation(format!("endpoint {url:?} is not a URL: {e}")))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(Error::validation(format!("endpoint {url:?} must use https (plain http only on loopback)"))),
        other => Err(Error::validation(format!("endpoint {url:?} has unsupported scheme {other:?}"))),
    }
}

impl TokenPolicy {
    pub(crate) fn new(api_origins: Vec<reqwest::Url>) -> Self {
        Self { api_origins }
    }

    /// Whether the token may be sent to `url` for a media download.
    pub(crate) fn allows_media(&self, url: &reqwest::Url) -> bool {
        if self.api_origins.iter().any(|origin| same_origin(origin, url)) {
            return true;
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        url.scheme() == "https" && (host == "googleusercontent.com" || host.ends_with(".googleusercontent.com"))
    }

    /// Whether the token may be sent to `url` for an API call.
    pub(crate) fn allows_api(&self, url: &reqwest::Url) -> bool {
        self.api_origins.iter().any(|origin| same_origin(origin, url))
    }
}
