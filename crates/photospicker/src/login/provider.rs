//! A [`TokenProvider`] over a stored login: access tokens from the refresh
//! token, cached until shortly before they expire, refreshed at once after
//! the service answered 401.

use super::http::OAuthHttp;
use super::{LoginError, StoredLogin};
use crate::{AccessToken, BoxFuture, TokenProvider};
use std::fmt;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// A token is refreshed this long before Google says it expires.
const EARLY: Duration = Duration::from_secs(60);
/// Without `expires_in`, a token is trusted this long.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// Access tokens from a stored refresh token.
pub struct StoredTokenProvider {
    http: OAuthHttp,
    login: StoredLogin,
    cached: Mutex<Option<(AccessToken, Instant)>>,
}

impl StoredTokenProvider {
    pub(crate) fn new(http: OAuthHttp, login: StoredLogin) -> Self {
        Self { http, login, cached: Mutex::new(None) }
    }

    /// The login the tokens come from.
    pub fn login(&self) -> &StoredLogin {
        &self.login
    }

    /// A fresh access token and its lifetime (never cached ones).
    pub(crate) async fn refresh(&self) -> Result<(AccessToken, Duration), LoginError> {
        let form = [
            ("client_id", self.login.client_id.as_str()),
            ("client_secret", self.login.client_secret.expose()),
            ("grant_type", "refresh_token"),
            ("refresh_token", self.login.refresh_token.expose()),
        ];
        let answer = self.http.token(&self.login.token_uri, &form).await?;
        let lifetime = answer.lifetime().unwrap_or(DEFAULT_LIFETIME);
        Ok((answer.access_token(), lifetime))
    }

    /// A cached token while it is good, else a refreshed one.
    pub async fn access_token(&self, force_refresh: bool) -> Result<AccessToken, LoginError> {
        let mut cached = self.cached.lock().await;
        if let Some((token, good_until)) = cached.as_ref() {
            if !force_refresh && Instant::now() < *good_until {
                return Ok(token.clone());
            }
        }
        let (token, lifetime) = self.refresh().await?;
        *cached = Some((token.clone(), Instant::now() + lifetime.saturating_sub(EARLY)));
        Ok(token)
    }
}

impl TokenProvider for StoredTokenProvider {
    fn token(&self, refresh: bool) -> BoxFuture<'_, crate::Result<AccessToken>> {
        Box::pin(async move { self.access_token(refresh).await.map_err(Into::into) })
    }
}

impl fmt::Debug for StoredTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredTokenProvider").field("login", &self.login).finish_non_exhaustive()
    }
}
