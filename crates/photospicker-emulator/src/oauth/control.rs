//! The approval switch and the control API for the OAuth server
//! (`/emulator/v1/oauth…`): who approves (a person on the pages, or the
//! emulator at once), deciding a device code for a script, injecting
//! `slow_down`, registering a client with a secret.

use super::grants::Decision;
use crate::control::Refusal;
use crate::control_body::ControlJson;
use crate::state::{Inner, State};
use axum::extract::State as AxumState;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

/// Who answers an OAuth consent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Approval {
    /// A person decides on the approval or verification page.
    #[default]
    Ask,
    /// The emulator approves every request at once (tests, demos).
    Approve,
    /// The emulator refuses every request at once (`access_denied`).
    Deny,
}

/// The approval in force now.
pub fn approval(state: &State, inner: &Inner) -> Approval {
    inner.oauth.approval.unwrap_or(state.config.oauth_approval)
}

fn refuse<T>(status: u16, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal { status, message: message.into() })
}

/// The user who approves: the one asked for, else the switch's, else `default`, else the first by name.
pub fn approver(inner: &Inner, asked: Option<&str>) -> Result<String, Refusal> {
    if let Some(user) = asked.filter(|u| !u.is_empty()) {
        return if inner.users.contains_key(user) { Ok(user.to_string()) } else { refuse(404, format!("no user {user:?}")) };
    }
    if let Some(user) = inner.oauth.approving_user.as_ref().filter(|u| inner.users.contains_key(*u)) {
        return Ok(user.clone());
    }
    if inner.users.contains_key("default") {
        return Ok("default".into());
    }
    inner.users.keys().min().cloned().ok_or_else(|| Refusal { status: 409, message: "there is no user to sign in as; create one with POST /emulator/v1/users".into() })
}

/// The users in the order the pages offer them.
pub fn user_names(inner: &Inner) -> Vec<String> {
    let mut names: Vec<String> = inner.users.keys().cloned().collect();
    names.sort();
    names
}

pub fn set(state: &State, approval: Approval, user_id: Option<String>) -> Result<(), Refusal> {
    let mut inner = state.lock();
    if let Some(user) = &user_id {
        if !inner.users.contains_key(user) {
            return refuse(404, format!("no user {user:?}"));
        }
    }
    inner.oauth.approval = Some(approval);
    inner.oauth.approving_user = user_id;
    Ok(())
}

/// Approves or denies the device request of `user_code`, as on the verification page.
pub fn decide(state: &State, user_code: &str, approve: bool, user_id: Option<&str>) -> Result<(), Refusal> {
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let decision = if approve { Decision::Approved(approver(inner, user_id)?) } else { Decision::Denied };
    let Some(request) = inner.oauth.device_by_user_code(user_code) else { return refuse(404, "no device request has that code") };
    if request.expires_at <= now {
        return refuse(409, "that code has expired");
    }
    if request.decision != Decision::Pending {
        return refuse(409, "that code was already used");
    }
    request.decision = decision;
    Ok(())
}

pub async fn show(AxumState(state): Shared) -> Json<Value> {
    let now = state.clock.now();
    let inner = state.lock();
    Json(json!({
        "approval": approval(&state, &inner),
        "userId": inner.oauth.approving_user,
        "pendingUserCodes": inner.oauth.pending_user_codes(now),
        "slowDownsAnswered": inner.oauth.slow_downs_answered,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetApproval {
    approval: Approval,
    user_id: Option<String>,
}

pub async fn set_approval(AxumState(state): Shared, ControlJson(body): ControlJson<SetApproval>) -> Result<Json<Value>, Refusal> {
    set(&state, body.approval, body.user_id)?;
    Ok(Json(json!({ "approval": body.approval })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecideDevice {
    user_code: String,
    approve: bool,
    user_id: Option<String>,
}

pub async fn decide_device(AxumState(state): Shared, ControlJson(body): ControlJson<DecideDevice>) -> Result<Json<Value>, Refusal> {
    decide(&state, &body.user_code, body.approve, body.user_id.as_deref())?;
    Ok(Json(json!({ "userCode": body.user_code, "approved": body.approve })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlowDown {
    times: u32,
}

pub async fn slow_down(AxumState(state): Shared, ControlJson(body): ControlJson<SlowDown>) -> Json<Value> {
    state.lock().oauth.slow_downs_to_inject = body.times;
    Json(json!({ "times": body.times }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Client {
    client_id: String,
    client_secret: String,
}

pub async fn register_client(AxumState(state): Shared, ControlJson(body): ControlJson<Client>) -> Result<Json<Value>, Refusal> {
    if body.client_id.is_empty() || body.client_secret.is_empty() {
        return refuse(400, "clientId and clientSecret must not be empty");
    }
    state.lock().oauth.clients.insert(body.client_id.clone(), body.client_secret);
    Ok(Json(json!({ "clientId": body.client_id })))
}
