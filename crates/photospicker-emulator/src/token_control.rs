//! Control API for access tokens, so that clients' refresh paths are testable:
//! expire every token a user holds (Google then answers 401 with
//! `ACCESS_TOKEN_EXPIRED`), and issue a fresh one (what a refresh returns).

use crate::control::Refusal;
use crate::state::State;
use crate::tokens::{self, TokenState};
use axum::extract::{Path, State as AxumState};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

fn no_such_user(user_id: &str) -> Refusal {
    Refusal { status: 404, message: format!("no user {user_id:?}") }
}

/// Expires every token `user_id` holds now; returns how many there were.
pub fn expire_tokens(state: &State, user_id: &str) -> Result<usize, Refusal> {
    let mut inner = state.lock();
    if !inner.users.contains_key(user_id) {
        return Err(no_such_user(user_id));
    }
    Ok(inner.tokens.expire_all_of(user_id))
}

/// Issues a new valid token to `user_id` (older tokens keep their state).
pub fn issue_token(state: &State, user_id: &str) -> Result<String, Refusal> {
    let mut inner = state.lock();
    if !inner.users.contains_key(user_id) {
        return Err(no_such_user(user_id));
    }
    let token = tokens::mint(inner.random_hex(16));
    inner.tokens.issue(token.clone(), user_id);
    Ok(token)
}

/// The user a token was issued to, expired or not.
pub fn user_of(state: &State, token: &str) -> Option<String> {
    match state.lock().tokens.state(token) {
        TokenState::Unknown => None,
        TokenState::Expired(user_id) | TokenState::Valid(user_id) => Some(user_id.to_string()),
    }
}

pub async fn expire(AxumState(state): Shared, Path(user_id): Path<String>) -> Result<Json<Value>, Refusal> {
    expire_tokens(&state, &user_id).map(|count| Json(json!({ "expired": count })))
}

pub async fn issue(AxumState(state): Shared, Path(user_id): Path<String>) -> Result<Json<Value>, Refusal> {
    issue_token(&state, &user_id).map(|token| Json(json!({ "userId": user_id, "token": token })))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    token: String,
}

/// Whose a token is (`{"userId", "expired"}`), for drivers that only hold
/// tokens (the Python `Emulator`). The token travels in the body, never in a URL.
pub async fn lookup(AxumState(state): Shared, crate::control_body::ControlJson(request): crate::control_body::ControlJson<Lookup>) -> Result<Json<Value>, Refusal> {
    match state.lock().tokens.state(&request.token) {
        TokenState::Unknown => Err(Refusal { status: 404, message: "no user has that token".into() }),
        TokenState::Expired(user_id) => Ok(Json(json!({ "userId": user_id, "expired": true }))),
        TokenState::Valid(user_id) => Ok(Json(json!({ "userId": user_id, "expired": false }))),
    }
}
