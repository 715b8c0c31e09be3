//! Bearer tokens belong to emulated users; each API needs its own scope.

use crate::error::ApiError;
use crate::state::{Inner, User};
use axum::http::HeaderMap;

/// The token of an `Authorization: Bearer …` header, if well-formed.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// The user behind the request, who must hold `scope`.
pub fn authenticate<'a>(inner: &'a Inner, headers: &HeaderMap, scope: &str, service: &str) -> Result<&'a User, ApiError> {
    let user = bearer(headers).and_then(|token| inner.user_by_token(token)).ok_or_else(ApiError::unauthenticated)?;
    if !user.scopes.iter().any(|s| s == scope) {
        return Err(ApiError::scope_insufficient(service));
    }
    Ok(user)
}
