//! The Google routes: Picker sessions and media items, and the Library's
//! batchGet, with the documented error for every condition.

use crate::auth::authenticate;
use crate::error::{ApiError, ApiResult};
use crate::state::{self, settle, Grant, Session, State, LIBRARY_SCOPE, MAX_BATCH, PICKER_SCOPE};
use crate::wire;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::HeaderMap;
use axum::Json;
use photospicker_api::codes::Code;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

const PICKER_SERVICE: &str = "photospicker.googleapis.com";
const LIBRARY_SERVICE: &str = "photoslibrary.googleapis.com";
const MAX_ITEM_COUNT: i64 = 2000;
const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 100;

fn query_pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default()
}

fn single<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The documented requestId format: 32 hex digits in 8-4-4-4-12 groups. The
/// version and variant bits are not checked (Google accepts ids that lack them).
fn is_documented_request_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == 5 && groups.iter().zip(lengths).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn parse_max_item_count(body: &Bytes) -> ApiResult<i64> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(MAX_ITEM_COUNT);
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_argument(format!("Invalid JSON payload received. {e}")))?;
    if !value.is_object() {
        return Err(ApiError::invalid_argument("Invalid JSON payload received. Expected a PickingSession object."));
    }
    // Every field must have its type (`"pickingConfig": "x"`, a timestamp
    // that is not RFC 3339): the generated wire type says which. The count
    // itself is checked below, with Google's own message.
    // serde would read a message from a JSON array; proto3 JSON does not.
    if value.get("pickingConfig").is_some_and(|config| !config.is_object() && !config.is_null()) {
        return Err(ApiError::invalid_argument("Invalid value at 'picking_session.picking_config': a PickingConfig object is expected."));
    }
    let mut others = value.clone();
    if let Some(config) = others.get_mut("pickingConfig").and_then(Value::as_object_mut) {
        config.remove("maxItemCount");
    }
    serde_json::from_value::<photospicker_api::picker::types::PickingSession>(others)
        .map_err(|e| ApiError::invalid_argument(format!("Invalid JSON payload received. {e}")))?;
    let count = match value.pointer("/pickingConfig/maxItemCount") {
        None | Some(Value::Null) => Some(MAX_ITEM_COUNT),
        Some(Value::String(text)) => text.trim().parse::<i64>().ok(),
        Some(Value::Number(number)) => number.as_i64(),
        Some(_) => None,
    };
    let count = match count {
        Some(n) if n > 0 => n.min(MAX_ITEM_COUNT),
        Some(_) => return Err(ApiError::invalid_argument("pickingConfig.maxItemCount must be positive.")),
        None => return Err(ApiError::invalid_argument("Invalid value at 'picking_session.picking_config.max_item_count' (TYPE_INT64).")),
    };
    Ok(count)
}

pub async fn create_session(AxumState(state): Shared, headers: HeaderMap, RawQuery(query): RawQuery, body: Bytes) -> ApiResult<Json<Value>> {
    let pairs = query_pairs(&query);
    let request_id = single(&pairs, "requestId").map(str::to_string);
    if let Some(id) = &request_id {
        if !is_documented_request_id(id) {
            return Err(ApiError::invalid_argument("requestId must be a UUID string (8-4-4-4-12 hexadecimal digits)."));
        }
    }
    let max_item_count = parse_max_item_count(&body)?;
    let now = state.clock.now();
    let mut inner = state.lock();
    let user = authenticate(&inner, &headers, PICKER_SCOPE, PICKER_SERVICE, state.clock.now())?.clone();
    if !user.has_photos_account {
        return Err(ApiError::failed_precondition("The user does not have an active Google Photos account."));
    }
    // A create repeated with the same requestId (a client retrying after a lost
    // answer) gets the session the first one made, so no session is orphaned.
    // Google documents requestId only for the streamlined TV flow; this is the
    // emulator's choice where Google's behaviour is unverified (README).
    if let Some(existing) = request_id.as_ref().and_then(|rid| {
        inner.sessions.values().find(|s| s.user_id == user.id && s.request_id.as_ref() == Some(rid) && !s.is_expired(now))
    }) {
        return Ok(Json(wire::session(existing, &state.picker_base, now)));
    }
    let live = inner.sessions.values().filter(|s| s.user_id == user.id && !s.is_expired(now)).count();
    if live >= user.max_sessions {
        return Err(ApiError::resource_exhausted(
            "Too many sessions for this user. Delete sessions you no longer need.",
        )
        .with_reason("RATE_LIMIT_EXCEEDED", &[("service", PICKER_SERVICE)]));
    }
    let id = format!(
        "{}-{}-4{}-a{}-{}",
        inner.random_hex(4),
        inner.random_hex(2),
        &inner.random_hex(2)[1..],
        &inner.random_hex(2)[1..],
        inner.random_hex(6)
    );
    let session = Session {
        id: id.clone(),
        user_id: user.id,
        expire_time: now + state::to_chrono(state.config.session_ttl),
        timeout_at: now + state::to_chrono(state.config.picking_timeout),
        max_item_count,
        poll_interval: state.config.poll_interval,
        picked: None,
        plan: state.auto_pick.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(|auto| auto.plan(&user.library, now)),
        polls: 0,
        request_id,
        page_sizes: state.config.page_sizes.clone(),
    };
    let out = wire::session(&session, &state.picker_base, now);
    inner.sessions.insert(id, session);
    Ok(Json(out))
}

/// Finds the caller's session; another user's session is NOT_FOUND, never a hint that it exists.
fn owned_session<'a>(sessions: &'a mut std::collections::HashMap<String, Session>, user_id: &str, id: &str) -> ApiResult<&'a mut Session> {
    sessions
        .get_mut(id)
        .filter(|s| s.user_id == user_id)
        .ok_or_else(|| ApiError::not_found("Requested entity was not found."))
}

fn expired() -> ApiError {
    ApiError::permission_denied("Access to this session has expired. Create a new session.")
}

pub async fn get_session(AxumState(state): Shared, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let user = authenticate(inner, &headers, PICKER_SCOPE, PICKER_SERVICE, state.clock.now())?.clone();
    let session = owned_session(&mut inner.sessions, &user.id, &id)?;
    if session.is_expired(now) {
        return Err(expired());
    }
    settle(session, &user.library, now);
    // Every poll counts, also after the pick: tests check how often a client polls.
    session.polls = session.polls.saturating_add(1);
    Ok(Json(wire::session(session, &state.picker_base, now)))
}

pub async fn delete_session(AxumState(state): Shared, headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut guard = state.lock();
    let inner = &mut *guard;
    let user = authenticate(inner, &headers, PICKER_SCOPE, PICKER_SERVICE, state.clock.now())?.clone();
    owned_session(&mut inner.sessions, &user.id, &id)?;
    inner.sessions.remove(&id);
    Ok(Json(json!({})))
}

/// Where a page starts: the item offset and the page's number (which picks
/// its size from the session's `page_sizes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
struct PagePosition {
    offset: usize,
    page: usize,
}

/// An opaque page token bound to its session and user, so tampering is detected.
fn page_token(state: &State, session: &str, user: &str, at: PagePosition) -> String {
    let payload = format!("{}.{}:{:016x}", at.offset, at.page, mac(state, session, user, at));
    payload.bytes().map(|b| format!("{b:02x}")).collect()
}

fn mac(state: &State, session: &str, user: &str, at: PagePosition) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (state.secret, session, user, at).hash(&mut hasher);
    hasher.finish()
}

fn read_page_token(state: &State, token: &str, session: &str, user: &str) -> Option<PagePosition> {
    if !token.len().is_multiple_of(2) || token.len() > 128 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len()).step_by(2).map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok()).collect();
    let text = String::from_utf8(bytes?).ok()?;
    let (position, tag) = text.split_once(':')?;
    let (offset, page) = position.split_once('.')?;
    let at = PagePosition { offset: offset.parse().ok()?, page: page.parse().ok()? };
    (format!("{:016x}", mac(state, session, user, at)) == tag).then_some(at)
}

pub fn mint_base_url(state: &State, user_id: &str, item: usize) -> String {
    let expires = state.clock.now() + state::to_chrono(state.config.base_url_ttl);
    let grant = Grant { user_id: user_id.to_string(), item, expires };
    format!("{}/media/{}", state.picker_base, grant.encode(state.secret))
}

pub async fn list_media_items(AxumState(state): Shared, headers: HeaderMap, RawQuery(query): RawQuery) -> ApiResult<Json<Value>> {
    let pairs = query_pairs(&query);
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let user = authenticate(inner, &headers, PICKER_SCOPE, PICKER_SERVICE, state.clock.now())?.clone();
    let session_id = single(&pairs, "sessionId").filter(|s| !s.is_empty()).ok_or_else(|| ApiError::invalid_argument("sessionId is required."))?;
    let page_size = match single(&pairs, "pageSize") {
        None | Some("") => DEFAULT_PAGE_SIZE,
        // An int32 field: beyond its range is a binding error, as at Google.
        Some(text) => match text.parse::<i32>() {
            Ok(n) if n < 0 => return Err(ApiError::invalid_argument("pageSize must not be negative.")),
            Ok(0) => DEFAULT_PAGE_SIZE,
            Ok(n) => usize::try_from(n).unwrap_or(MAX_PAGE_SIZE).min(MAX_PAGE_SIZE),
            Err(_) => return Err(ApiError::invalid_argument(format!("Invalid value at 'page_size' (TYPE_INT32), \"{}\"", text.escape_default()))),
        },
    };
    let session = owned_session(&mut inner.sessions, &user.id, session_id)?;
    if session.is_expired(now) {
        return Err(expired());
    }
    settle(session, &user.library, now);
    let Some(picked) = session.picked.clone() else {
        return Err(ApiError::failed_precondition(
            "The user has not finished picking media items. Poll sessions.get until mediaItemsSet is true.",
        ));
    };
    let session_id = session.id.clone();
    let at = match single(&pairs, "pageToken").filter(|t| !t.is_empty()) {
        None => PagePosition::default(),
        Some(token) => read_page_token(&state, token, &session_id, &user.id)
            .filter(|at| at.offset <= picked.len())
            .ok_or_else(|| ApiError::invalid_argument("Invalid page token."))?,
    };
    // A configured page size caps this page (Google may return fewer items than asked, even none).
    let served = match session.page_sizes.as_slice() {
        [] => page_size,
        sizes => page_size.min(sizes[at.page % sizes.len()]),
    };
    let end = (at.offset + served).min(picked.len());
    let items = picked[at.offset..end]
        .iter()
        .map(|&index| {
            let base_url = mint_base_url(&state, &user.id, index);
            wire::picked_item(&user.library[index], base_url)
        })
        .collect();
    let next = (end < picked.len())
        .then(|| page_token(&state, &session_id, &user.id, PagePosition { offset: end, page: at.page + 1 }));
    Ok(Json(wire::media_items_page(items, next)))
}

pub async fn batch_get(AxumState(state): Shared, headers: HeaderMap, RawQuery(query): RawQuery) -> ApiResult<Json<Value>> {
    let ids: Vec<String> = query_pairs(&query).into_iter().filter(|(k, _)| k == "mediaItemIds").map(|(_, v)| v).collect();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let user = authenticate(inner, &headers, LIBRARY_SCOPE, LIBRARY_SERVICE, state.clock.now())?.clone();
    if ids.is_empty() {
        return Err(ApiError::invalid_argument("mediaItemIds must not be empty."));
    }
    if ids.len() > MAX_BATCH {
        return Err(ApiError::invalid_argument(format!("At most {MAX_BATCH} mediaItemIds may be requested at once.")));
    }
    let mut seen = HashSet::new();
    if let Some(duplicate) = ids.iter().find(|id| !seen.insert(id.as_str())) {
        return Err(ApiError::invalid_argument(format!("Duplicate media item id: {}.", duplicate.escape_default())));
    }
    let results = ids
        .iter()
        .map(|id| match user.library.iter().position(|item| &item.id == id) {
            Some(index) if user.library[index].app_created => {
                let base_url = mint_base_url(&state, &user.id, index);
                wire::found_result(wire::library_item(&user.library[index], base_url))
            }
            Some(_) => wire::failed_result(Code::PermissionDenied, "The media item was not created by this app."),
            None => wire::failed_result(Code::InvalidArgument, "Invalid media item ID."),
        })
        .collect();
    Ok(Json(wire::batch_get_response(results)))
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("The requested URL was not found on this server.")
}
