//! The control API under `/emulator/v1`: users, simulated picking, the clock,
//! faults, the request log and reset. Never on Google's paths.

use crate::faults::FaultRule;
use crate::library::Kind;
use crate::state::{to_chrono, LoggedRequest, NewUser, PickPlan, Selection, State, Trigger};
use crate::control_body::ControlJson;
use crate::wire;
use crate::error::ApiError;
use photospicker_api::codes::Code;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

/// A control error in Google's envelope, so one error parser reads both APIs.
/// 409 means the session is in a state that does not allow the request.
fn bad(status: StatusCode, message: impl Into<String>) -> Response {
    let code = match status.as_u16() {
        404 => Code::NotFound,
        409 => Code::FailedPrecondition,
        _ => Code::InvalidArgument,
    };
    ApiError::new(code, message).with_status(status).into_response()
}

pub async fn info(AxumState(state): Shared) -> Json<Value> {
    Json(json!({
        "pickerUrl": state.picker_base,
        "libraryUrl": state.library_base,
        "now": wire::timestamp(state.clock.now()),
        "mediaCacheBytes": state.media_cache.held_bytes(),
    }))
}

pub async fn add_user(AxumState(state): Shared, ControlJson(options): ControlJson<NewUser>) -> Response {
    match state.add_user(options) {
        Ok(user) => Json(json!({"userId": user.id, "token": user.token, "librarySize": user.library.len()})).into_response(),
        Err(why) => bad(StatusCode::CONFLICT, why),
    }
}

/// A user's library as the control API shows it (ids, kinds, sizes, states).
pub fn items_json(library: &[crate::library::LibraryItem]) -> Vec<Value> {
    library
        .iter()
        .map(|item| {
            json!({
                "id": item.id,
                "type": if item.kind == Kind::Photo { "PHOTO" } else { "VIDEO" },
                "mimeType": item.mime_type,
                "filename": item.filename,
                "width": item.width,
                "height": item.height,
                "appCreated": item.app_created,
                "processingStatus": item.video.as_ref().map(|v| v.processing_status),
                "durationSeconds": item.video.as_ref().map(|v| v.duration_seconds()),
            })
        })
        .collect()
}

pub async fn user_items(AxumState(state): Shared, Path(user_id): Path<String>) -> Response {
    let inner = state.lock();
    let Some(user) = inner.users.get(&user_id) else { return bad(StatusCode::NOT_FOUND, "no such user") };
    Json(json!({ "items": items_json(&user.library) })).into_response()
}

/// A simulated pick: exactly one of `count` or `item_ids`; at most one of the delays.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PickRequest {
    /// Pick the first `count` items of the library (capped at `maxItemCount`).
    pub count: Option<usize>,
    /// Pick these items, in this order.
    pub item_ids: Option<Vec<String>>,
    /// Finish picking this many (emulated) seconds from now.
    pub after_seconds: Option<f64>,
    /// Finish picking after this many more polls answered "not yet".
    pub after_polls: Option<u32>,
}

/// Changes a live session's polling and paging behaviour.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Configure {
    /// The `pollInterval` from now on.
    pub poll_interval_seconds: Option<f64>,
    /// Seconds from now until `timeoutIn` reaches zero.
    pub timeout_seconds: Option<f64>,
    /// Sizes of successive mediaItems.list pages, used in turn (`[0, 3]`: an
    /// empty page, then at most 3 items, ...; each with a `nextPageToken` until
    /// the last item). `[]` restores full pages. At least one size must be > 0.
    pub page_sizes: Option<Vec<usize>>,
}

/// Why a list of page sizes cannot be used, if it cannot.
pub fn check_page_sizes(sizes: &[usize]) -> Result<(), String> {
    if !sizes.is_empty() && sizes.iter().all(|&n| n == 0) {
        return Err("pageSizes needs a size above 0, or listing would never end".into());
    }
    if sizes.len() > 1000 {
        return Err("pageSizes takes at most 1000 sizes".into());
    }
    Ok(())
}

/// Why a control request was refused: an HTTP status and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the emulator refused ({}): {}", self.status, self.message)
    }
}

impl std::error::Error for Refusal {}

fn refuse<T>(status: u16, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal { status, message: message.into() })
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        bad(StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST), self.message)
    }
}

pub fn pick_session(state: &State, session_id: &str, request: PickRequest) -> Result<Value, Refusal> {
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let Some(session) = inner.sessions.get_mut(session_id) else {
        return refuse(404, "no such session (it never existed or was deleted)");
    };
    let library = inner.users[&session.user_id].library.clone();
    if session.picked.is_some() {
        return refuse(409, "the user has already finished picking in this session");
    }
    if session.is_expired(now) {
        return refuse(409, "the session has expired (expireTime has passed); the user can no longer pick in it");
    }
    if session.timed_out(now) {
        return refuse(409, "the session timed out (timeoutIn reached 0s); the user can no longer pick in it");
    }
    let selection = match (request.count, request.item_ids) {
        (Some(count), None) => Selection::Count(count),
        (None, Some(ids)) => {
            if let Some(unknown) = ids.iter().find(|id| !library.iter().any(|item| &item.id == *id)) {
                return refuse(400, format!("item {unknown:?} is not in the user's library"));
            }
            if ids.len() as i64 > session.max_item_count {
                return refuse(400, format!("the session allows at most {} items", session.max_item_count));
            }
            Selection::Ids(ids)
        }
        _ => return refuse(400, "give exactly one of count or itemIds"),
    };
    let trigger = match (request.after_seconds, request.after_polls) {
        (None, None) => Trigger::Now,
        (Some(seconds), None) if seconds >= 0.0 && seconds.is_finite() => {
            Trigger::At(now + to_chrono(std::time::Duration::from_secs_f64(seconds)))
        }
        (None, Some(polls)) => Trigger::AfterPolls(session.polls + polls),
        _ => return refuse(400, "give at most one of afterSeconds (>= 0) or afterPolls"),
    };
    session.plan = Some(PickPlan { selection, trigger });
    crate::state::settle(session, &library, now);
    Ok(wire::session(session, &state.picker_base, now))
}

pub async fn pick(AxumState(state): Shared, Path(session_id): Path<String>, ControlJson(request): ControlJson<PickRequest>) -> Result<Json<Value>, Refusal> {
    pick_session(&state, &session_id, request).map(Json)
}

pub fn configure_session(state: &State, session_id: &str, request: Configure) -> Result<Value, Refusal> {
    let now = state.clock.now();
    let mut inner = state.lock();
    let Some(session) = inner.sessions.get_mut(session_id) else { return refuse(404, "no such session") };
    // Checked before anything changes, so a refused request changes nothing.
    if let Some(sizes) = &request.page_sizes {
        check_page_sizes(sizes).or_else(|why| refuse(400, why))?;
    }
    let valid = |s: f64| s.is_finite() && s >= 0.0;
    if let Some(seconds) = request.poll_interval_seconds {
        if !valid(seconds) {
            return refuse(400, "pollIntervalSeconds must be >= 0");
        }
        session.poll_interval = std::time::Duration::from_secs_f64(seconds);
    }
    if let Some(seconds) = request.timeout_seconds {
        if !valid(seconds) {
            return refuse(400, "timeoutSeconds must be >= 0");
        }
        session.timeout_at = now + to_chrono(std::time::Duration::from_secs_f64(seconds));
    }
    if let Some(sizes) = request.page_sizes {
        check_page_sizes(&sizes).or_else(|why| refuse(400, why))?;
        session.page_sizes = sizes;
    }
    Ok(wire::session(session, &state.picker_base, now))
}

pub async fn configure(AxumState(state): Shared, Path(session_id): Path<String>, ControlJson(request): ControlJson<Configure>) -> Result<Json<Value>, Refusal> {
    configure_session(&state, &session_id, request).map(Json)
}

pub async fn sessions(AxumState(state): Shared) -> Json<Value> {
    let inner = state.lock();
    let sessions: Vec<Value> = inner
        .sessions
        .values()
        .map(|s| {
            json!({"id": s.id, "userId": s.user_id, "polls": s.polls, "picked": s.picked.as_ref().map(Vec::len),
                "requestId": s.request_id, "pageSizes": s.page_sizes})
        })
        .collect();
    Json(json!({ "sessions": sessions }))
}

#[derive(Debug, Deserialize)]
pub struct Advance {
    seconds: f64,
}

pub async fn advance_clock(AxumState(state): Shared, ControlJson(request): ControlJson<Advance>) -> Response {
    if !(request.seconds.is_finite() && request.seconds >= 0.0) {
        return bad(StatusCode::BAD_REQUEST, "seconds must be >= 0 (the clock only moves forward)");
    }
    state.clock.advance(to_chrono(std::time::Duration::from_secs_f64(request.seconds)));
    Json(json!({"now": wire::timestamp(state.clock.now())})).into_response()
}

pub async fn clock(AxumState(state): Shared) -> Json<Value> {
    Json(json!({"now": wire::timestamp(state.clock.now())}))
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Rules {
    One(FaultRule),
    Many(Vec<FaultRule>),
}

pub fn inject(state: &State, rules: Vec<FaultRule>) -> Result<(), Refusal> {
    if let Some(why) = rules.iter().find_map(|r| r.check().err()) {
        return refuse(400, why);
    }
    state.lock().faults.extend(rules);
    Ok(())
}

pub async fn add_faults(AxumState(state): Shared, ControlJson(rules): ControlJson<Rules>) -> Result<Json<Value>, Refusal> {
    let rules = match rules {
        Rules::One(rule) => vec![rule],
        Rules::Many(rules) => rules,
    };
    inject(&state, rules)?;
    Ok(Json(json!({"faults": state.lock().faults})))
}

pub async fn faults(AxumState(state): Shared) -> Json<Value> {
    Json(json!({"faults": state.lock().faults}))
}

pub async fn clear_faults(AxumState(state): Shared) -> StatusCode {
    state.lock().faults.clear();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
pub struct LogFilter {
    route: Option<String>,
}

pub fn logged(state: &State, route: Option<&str>) -> Vec<LoggedRequest> {
    let inner = state.lock();
    inner.log.iter().filter(|r| route.is_none_or(|route| r.route == route)).cloned().collect()
}

/// How many log entries were dropped because the log was full (since the last clear).
pub fn dropped(state: &State) -> u64 {
    state.lock().log.dropped()
}

pub async fn requests(AxumState(state): Shared, Query(filter): Query<LogFilter>) -> Json<Value> {
    let (requests, dropped) = {
        let inner = state.lock();
        let route = filter.route.as_deref();
        let requests: Vec<LoggedRequest> = inner.log.iter().filter(|r| route.is_none_or(|route| r.route == route)).cloned().collect();
        (requests, inner.log.dropped())
    };
    Json(json!({ "requests": requests, "dropped": dropped, "capacity": state.config.request_log_size }))
}

pub async fn clear_requests(AxumState(state): Shared) -> StatusCode {
    state.lock().log.clear();
    StatusCode::NO_CONTENT
}

pub async fn reset(AxumState(state): Shared) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}
