//! Serves the Google discovery documents that build.rs generated from the
//! OpenAPI specs, at both of Google's addresses for them, with `rootUrl`
//! pointing back at the emulator so discovery-based clients call it.

use crate::error::ApiError;
use crate::state::State;
use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// Which API a listener serves (the Picker port or the Library port).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Picker,
    Library,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::Picker => "photospicker",
            Api::Library => "photoslibrary",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [Api::Picker, Api::Library].into_iter().find(|api| api.name() == name)
    }

    fn document(self) -> &'static Value {
        static PICKER: OnceLock<Value> = OnceLock::new();
        static LIBRARY: OnceLock<Value> = OnceLock::new();
        let (cell, text) = match self {
            Api::Picker => (&PICKER, include_str!(concat!(env!("OUT_DIR"), "/picker.discovery.json"))),
            Api::Library => (&LIBRARY, include_str!(concat!(env!("OUT_DIR"), "/library.discovery.json"))),
        };
        cell.get_or_init(|| serde_json::from_str(text).expect("build.rs writes valid JSON"))
    }

    fn base(self, state: &State) -> &str {
        match self {
            Api::Picker => &state.picker_base,
            Api::Library => &state.library_base,
        }
    }
}

/// The emulator's URL as the client reached it (its `Host`), when it reached
/// the port of `api`; otherwise that API's own port.
fn root_url(state: &State, headers: &HeaderMap, port_api: Api, api: Api) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|host| {
        !host.is_empty() && host.len() <= 255 && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
    });
    match host {
        Some(host) if api == port_api => format!("http://{host}/"),
        _ => format!("{}/", api.base(state)),
    }
}

fn document(state: &State, headers: &HeaderMap, port_api: Api, api: Api) -> Response {
    let mut doc = api.document().clone();
    let root = root_url(state, headers, port_api, api);
    for field in ["rootUrl", "baseUrl", "mtlsRootUrl"] {
        doc[field] = root.clone().into();
    }
    Json(doc).into_response()
}

fn unknown_api(what: &str) -> Response {
    ApiError::not_found(format!("Requested entity was not found: no discovery document for {what}.")).into_response()
}

/// `GET /$discovery/rest?version=v1`: the document of the API this port serves.
pub async fn for_this_port(AxumState(state): AxumState<Arc<State>>, Extension(port_api): Extension<Api>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let version = form_urlencoded::parse(query.unwrap_or_default().as_bytes()).find(|(k, _)| k == "version").map(|(_, v)| v.into_owned());
    match version.as_deref() {
        Some("v1") | None => document(&state, &headers, port_api, port_api),
        Some(other) => unknown_api(&format!("{} version {:?}", port_api.name(), other.escape_default().to_string())),
    }
}

/// `GET /discovery/v1/apis/{api}/{version}/rest`: either API's document.
pub async fn by_name(AxumState(state): AxumState<Arc<State>>, Extension(port_api): Extension<Api>, headers: HeaderMap, Path((api, version)): Path<(String, String)>) -> Response {
    match Api::from_name(&api) {
        Some(api) if version == "v1" => document(&state, &headers, port_api, api),
        _ => unknown_api(&format!("{:?} version {:?}", api.escape_default().to_string(), version.escape_default().to_string())),
    }
}
