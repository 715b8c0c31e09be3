//! The page behind `pickerUri`: the user's library as a grid, up to
//! `maxItemCount` selectable, a Done button that finishes the session.

use crate::library::Kind;
use crate::media::{render_image, target_size, Options};
use crate::state::{PickPlan, Selection, State, Trigger};
use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>{title} – Photos Picker (emulator)</title><style>\
         body{{font-family:sans-serif;margin:1rem}} .grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:6px}}\
         label{{position:relative;display:block}} img{{width:100%;aspect-ratio:1;object-fit:cover;border-radius:4px}}\
         input[type=checkbox]{{position:absolute;top:6px;left:6px;transform:scale(1.4)}} .video::after{{content:'▶';position:absolute;right:8px;bottom:6px;color:#fff}}\
         header{{display:flex;gap:1rem;align-items:center;position:sticky;top:0;background:#fff;padding:.5rem 0}}\
         </style></head><body>{body}</body></html>",
        title = escape(title)
    );
    (status, Html(html)).into_response()
}

fn message(status: StatusCode, title: &str, text: &str) -> Response {
    page(status, title, &format!("<h1 id=status>{}</h1><p>{}</p>", escape(title), escape(text)))
}

pub async fn show(state: Shared, Path(id): Path<String>) -> Response {
    render(state, id, false)
}

pub async fn show_autoclose(state: Shared, Path(id): Path<String>) -> Response {
    render(state, id, true)
}

fn render(AxumState(state): Shared, id: String, autoclose: bool) -> Response {
    let now = state.clock.now();
    let inner = state.lock();
    let Some(session) = inner.sessions.get(&id) else {
        return message(StatusCode::NOT_FOUND, "Session not found", "This picking link is not valid.");
    };
    if session.is_expired(now) || session.timed_out(now) {
        return message(StatusCode::GONE, "Session expired", "Ask the app for a new link.");
    }
    if session.picked.is_some() {
        return message(StatusCode::GONE, "Session finished", "You are done picking in this session. Ask the app for a new link to pick more.");
    }
    let library = &inner.users[&session.user_id].library;
    let tiles: String = library
        .iter()
        .enumerate()
        .map(|(index, item)| {
            format!(
                "<label class=\"{kind}\"><input type=checkbox name=item value=\"{id}\" data-index={index}>\
                 <img loading=lazy alt=\"{name}\" src=\"/picker/{session}/thumb/{index}\"></label>",
                kind = if item.kind == Kind::Video { "video" } else { "photo" },
                id = escape(&item.id),
                name = escape(&item.filename),
                session = escape(&session.id),
            )
        })
        .collect();
    let max = session.max_item_count;
    let body = format!(
        "<form method=post action=\"/picker/{session}/done\"><header><strong>Select up to {max} items</strong>\
         <span id=count>0 selected</span><input type=hidden name=autoclose value=\"{autoclose}\">\
         <button id=done type=submit>Done</button></header><div class=grid>{tiles}</div></form>\
         <script>const max={max};const boxes=[...document.querySelectorAll('input[name=item]')];\
         function update(){{const n=boxes.filter(b=>b.checked).length;document.getElementById('count').textContent=n+' selected';\
         boxes.forEach(b=>{{if(!b.checked)b.disabled=n>=max;}});}}boxes.forEach(b=>b.addEventListener('change',update));</script>",
        session = escape(&session.id),
        autoclose = u8::from(autoclose),
    );
    page(StatusCode::OK, "Select photos", &body)
}

pub async fn thumbnail(AxumState(state): Shared, Path((id, index)): Path<(String, usize)>) -> Response {
    let item = {
        let inner = state.lock();
        let Some(session) = inner.sessions.get(&id).filter(|s| s.picked.is_none()) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        match inner.users[&session.user_id].library.get(index) {
            Some(item) => item.clone(),
            None => return StatusCode::NOT_FOUND.into_response(),
        }
    };
    let options = Options { width: Some(256), height: Some(256), crop: true, ..Default::default() };
    let size = target_size((item.width, item.height), &options);
    match tokio::task::spawn_blocking(move || render_image(&item, size, false)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "max-age=3600")], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub async fn done(AxumState(state): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let ids: Vec<String> = form.iter().filter(|(k, _)| k == "item").map(|(_, v)| v.clone()).collect();
    let autoclose = form.iter().any(|(k, v)| k == "autoclose" && v == "1");
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let Some(session) = inner.sessions.get_mut(&id) else {
        return message(StatusCode::NOT_FOUND, "Session not found", "This picking link is not valid.");
    };
    if session.is_expired(now) || session.timed_out(now) || session.picked.is_some() {
        return message(StatusCode::GONE, "Session finished", "This session no longer accepts picks.");
    }
    if ids.len() as i64 > session.max_item_count {
        return message(StatusCode::BAD_REQUEST, "Too many items", &format!("Select at most {} items.", session.max_item_count));
    }
    let library = inner.users[&session.user_id].library.clone();
    session.plan = Some(PickPlan { selection: Selection::Ids(ids), trigger: Trigger::Now });
    crate::state::settle(session, &library, now);
    if autoclose {
        return page(StatusCode::OK, "Done", "<p id=status>Done</p><script>window.close()</script>");
    }
    let count = session.picked.as_ref().map_or(0, Vec::len);
    message(StatusCode::OK, "Done", &format!("You picked {count} items. You can return to the app."))
}
