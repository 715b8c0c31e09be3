//! Bearer tokens belong to emulated users; each API needs its own scope.
//! A missing credential, an unknown token and an expired one are three
//! different 401s, as with Google (clients refresh only on the last).
//! `access_token=` / `oauth_token=` in the query arrive here as a header
//! (see `system_params`).

use crate::error::ApiError;
use crate::state::{Inner, User};
use crate::tokens::TokenState;
use axum::http::{header, HeaderMap};
use chrono::{DateTime, Utc};

/// The token of an `Authorization: Bearer …` header, if well-formed.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// The user behind the request, whose token (at `now`) must carry `scope`:
/// a token from an OAuth flow carries the scopes granted to it, any other
/// the scopes of its user.
pub fn authenticate<'a>(inner: &'a Inner, headers: &HeaderMap, scope: &str, service: &str, now: DateTime<Utc>) -> Result<&'a User, ApiError> {
    let Some(token) = bearer(headers) else {
        return Err(if headers.contains_key(header::AUTHORIZATION) {
            ApiError::invalid_token(service)
        } else {
            ApiError::credentials_missing(service)
        });
    };
    let user = match inner.tokens.state_at(token, now) {
        TokenState::Unknown => return Err(ApiError::invalid_token(service)),
        TokenState::Expired(_) => return Err(ApiError::expired_token(service)),
        TokenState::Valid(user_id) => inner.users.get(user_id).ok_or_else(|| ApiError::invalid_token(service))?,
    };
    let scopes = inner.tokens.granted_scopes(token).unwrap_or(&user.scopes);
    if !scopes.iter().any(|s| s == scope) {
        return Err(ApiError::scope_insufficient(service));
    }
    Ok(user)
}
