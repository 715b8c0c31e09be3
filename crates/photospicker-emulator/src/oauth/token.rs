//! `oauth2.googleapis.com/token` (device code, authorization code with PKCE,
//! refresh token), `/revoke` and `/tokeninfo`, answering as Google does.

use super::grants::{Decision, Grant};
use super::reply::{self, check_client, no_store, required, OAuthError};
use crate::state::{Inner, State};
use crate::tokens::{self, TokenState};
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn mint_access(inner: &mut Inner, user_id: &str, scopes: &[String], now: DateTime<Utc>) -> String {
    let token = tokens::mint(inner.random_hex(16));
    let expires_at = now + Duration::seconds(super::ACCESS_TOKEN_SECONDS);
    inner.tokens.issue_granted(token.clone(), user_id, scopes.to_vec(), expires_at, now);
    token
}

/// Issues an access token and a refresh token for a new grant.
fn grant_tokens(inner: &mut Inner, client_id: String, user_id: String, scopes: Vec<String>, now: DateTime<Utc>) -> Value {
    let access = mint_access(inner, &user_id, &scopes, now);
    let refresh = format!("1//0emulator-{}", inner.random_hex(24));
    let scope = scopes.join(" ");
    let grant = Grant { client_id, user_id, scopes, issued_at: now, access_tokens: vec![access.clone()] };
    for evicted in inner.oauth.add_grant(refresh.clone(), grant) {
        inner.tokens.revoke(&evicted);
    }
    json!({
        "access_token": access,
        "expires_in": super::ACCESS_TOKEN_SECONDS,
        "refresh_token": refresh,
        "scope": scope,
        "token_type": "Bearer",
    })
}

pub async fn token(AxumState(state): Shared, body: Bytes) -> Response {
    let params = reply::form(&body);
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let answer = match params.get("grant_type").map(String::as_str) {
        None | Some("") => Err(OAuthError::missing("grant_type")),
        Some(DEVICE_GRANT) => device_code(inner, &params, now),
        Some("authorization_code") => authorization_code(inner, &params, now),
        Some("refresh_token") => refresh_token(inner, &params, now),
        Some(other) => Err(OAuthError::new(400, "unsupported_grant_type", format!("Invalid grant_type: {other}"))),
    };
    match answer {
        Ok(body) => no_store(StatusCode::OK, body),
        Err(error) => error.into_response(),
    }
}

fn device_code(inner: &mut Inner, params: &HashMap<String, String>, now: DateTime<Utc>) -> Result<Value, OAuthError> {
    let client_id = check_client(&inner.oauth, params, true)?;
    let code = required(params, "device_code")?;
    let oauth = &mut inner.oauth;
    let request = oauth.devices.get_mut(code).filter(|r| r.client_id == client_id).ok_or_else(|| OAuthError::invalid_grant("Bad Request"))?;
    if request.expires_at <= now {
        return Err(OAuthError::expired_token());
    }
    if request.decision == Decision::Spent {
        return Err(OAuthError::invalid_grant("Bad Request"));
    }
    // Polling sooner than the interval is answered `slow_down`, and the
    // interval grows by five seconds for good (RFC 8628 §3.5).
    let too_soon = request.last_poll.is_some_and(|last| now - last < request.interval);
    if too_soon || oauth.slow_downs_to_inject > 0 {
        oauth.slow_downs_to_inject = oauth.slow_downs_to_inject.saturating_sub(u32::from(!too_soon));
        oauth.slow_downs_answered += 1;
        request.interval += Duration::seconds(5);
        request.last_poll = Some(now);
        return Err(OAuthError::slow_down());
    }
    request.last_poll = Some(now);
    let user_id = match &request.decision {
        Decision::Pending => return Err(OAuthError::authorization_pending()),
        Decision::Denied => return Err(OAuthError::access_denied()),
        Decision::Spent => return Err(OAuthError::invalid_grant("Bad Request")),
        Decision::Approved(user_id) => user_id.clone(),
    };
    request.decision = Decision::Spent;
    let scopes = request.scopes.clone();
    Ok(grant_tokens(inner, client_id, user_id, scopes, now))
}

fn verifier_matches(method: &str, challenge: &str, verifier: &str) -> bool {
    match method {
        "S256" => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes())) == challenge,
        _ => verifier == challenge,
    }
}

fn authorization_code(inner: &mut Inner, params: &HashMap<String, String>, now: DateTime<Utc>) -> Result<Value, OAuthError> {
    let client_id = check_client(&inner.oauth, params, true)?;
    let code = required(params, "code")?;
    let redirect_uri = required(params, "redirect_uri")?;
    // A code is spent by its first use, right or wrong.
    let issued = inner.oauth.codes.remove(code).ok_or_else(|| OAuthError::invalid_grant("Malformed auth code."))?;
    if issued.request.expires_at <= now || issued.request.client_id != client_id {
        return Err(OAuthError::invalid_grant("Bad Request"));
    }
    if issued.request.redirect_uri != redirect_uri {
        return Err(OAuthError::new(400, "redirect_uri_mismatch", "Bad Request"));
    }
    if let Some((method, challenge)) = &issued.request.code_challenge {
        let verifier = params.get("code_verifier").ok_or_else(|| OAuthError::invalid_grant("Missing code verifier."))?;
        if !verifier_matches(method, challenge, verifier) {
            return Err(OAuthError::invalid_grant("Invalid code verifier."));
        }
    }
    Ok(grant_tokens(inner, client_id, issued.user_id, issued.request.scopes, now))
}

fn refresh_token(inner: &mut Inner, params: &HashMap<String, String>, now: DateTime<Utc>) -> Result<Value, OAuthError> {
    let client_id = check_client(&inner.oauth, params, true)?;
    let refresh = required(params, "refresh_token")?;
    let grant = inner.oauth.grants.get(refresh).ok_or_else(|| OAuthError::invalid_grant("Token has been expired or revoked."))?;
    if grant.client_id != client_id {
        return Err(OAuthError::new(401, "unauthorized_client", "Unauthorized"));
    }
    let (user_id, mut scopes) = (grant.user_id.clone(), grant.scopes.clone());
    // A refresh may ask for fewer scopes than granted, never for more (Google: invalid_scope).
    if params.get("scope").is_some_and(|s| !s.trim().is_empty()) {
        let asked = super::reply::scopes(params)?;
        if asked.iter().any(|s| !scopes.contains(s)) {
            return Err(OAuthError::new(400, "invalid_scope", "Bad Request"));
        }
        scopes = asked;
    }
    let access = mint_access(inner, &user_id, &scopes, now);
    if let Some(grant) = inner.oauth.grants.get_mut(refresh) {
        // Only the tokens still known are kept: the list stays as short as the live ones.
        let tokens = &inner.tokens;
        grant.access_tokens.retain(|t| !matches!(tokens.state(t), TokenState::Unknown));
        grant.access_tokens.push(access.clone());
    }
    Ok(json!({ "access_token": access, "expires_in": super::ACCESS_TOKEN_SECONDS, "scope": scopes.join(" "), "token_type": "Bearer" }))
}

/// Revokes a refresh token (and every access token of its grant) or an
/// access token (and the grant it came from), as Google does.
pub async fn revoke(AxumState(state): Shared, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let mut params = reply::form(query.unwrap_or_default().as_bytes());
    params.extend(reply::form(&body));
    let Some(token) = params.get("token").filter(|t| !t.is_empty()) else {
        return OAuthError::new(400, "invalid_request", "Missing required parameter: token").into_response();
    };
    let mut guard = state.lock();
    let inner = &mut *guard;
    let refresh = if inner.oauth.grants.contains_key(token) { Some(token.clone()) } else { inner.oauth.refresh_token_of(token) };
    match refresh.and_then(|r| inner.oauth.grants.remove(&r)) {
        Some(grant) => {
            for access in grant.access_tokens {
                inner.tokens.revoke(&access);
            }
            no_store(StatusCode::OK, json!({}))
        }
        None => OAuthError::new(400, "invalid_token", "Token expired or revoked").into_response(),
    }
}

/// What Google says about an access token: client, scopes, expiry, and the
/// account's email when the `email` scope was granted.
pub async fn token_info(AxumState(state): Shared, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let mut params = reply::form(query.unwrap_or_default().as_bytes());
    params.extend(reply::form(&body));
    let invalid = || OAuthError::new(400, "invalid_token", "Invalid Value").into_response();
    let Some(token) = params.get("access_token") else { return invalid() };
    let now = state.clock.now();
    let inner = state.lock();
    let (TokenState::Valid(user_id), Some(expires_at), Some(scopes)) =
        (inner.tokens.state_at(token, now), inner.tokens.expires_at(token), inner.tokens.granted_scopes(token))
    else {
        return invalid();
    };
    let client_id = inner.oauth.refresh_token_of(token).and_then(|r| inner.oauth.grant(&r).map(|g| g.client_id.clone())).unwrap_or_default();
    let mut info = json!({
        "azp": client_id,
        "aud": client_id,
        "sub": user_id,
        "scope": scopes.join(" "),
        "exp": expires_at.timestamp().to_string(),
        "expires_in": (expires_at - now).num_seconds().max(0).to_string(),
        "access_type": "offline",
    });
    if scopes.iter().any(|s| s == "email" || s == "https://www.googleapis.com/auth/userinfo.email") {
        info["email"] = json!(format!("{user_id}@emulator.invalid"));
        info["email_verified"] = json!("true");
    }
    no_store(StatusCode::OK, info)
}
