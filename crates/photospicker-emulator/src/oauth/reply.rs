//! The shapes of Google's OAuth answers: `{"error", "error_description"}`
//! with the status Google uses for each error, the token answer, HTML pages
//! for the browser, and the client and form checks every endpoint shares.

use super::grants::OAuth;
use crate::state::{LIBRARY_SCOPE, PICKER_SCOPE};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

/// An error of the token, device-code, revoke or tokeninfo endpoint.
#[derive(Debug, Clone)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        Self { status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), error, description: description.into() }
    }
    pub fn authorization_pending() -> Self {
        Self::new(428, "authorization_pending", "Precondition Required")
    }
    pub fn slow_down() -> Self {
        Self::new(403, "slow_down", "Forbidden")
    }
    pub fn access_denied() -> Self {
        Self::new(403, "access_denied", "Forbidden")
    }
    pub fn expired_token() -> Self {
        Self::new(400, "expired_token", "Bad Request")
    }
    pub fn invalid_grant(description: &str) -> Self {
        Self::new(400, "invalid_grant", description)
    }
    pub fn client_not_found() -> Self {
        Self::new(401, "invalid_client", "The OAuth client was not found.")
    }
    pub fn missing(parameter: &str) -> Self {
        Self::new(400, "invalid_request", format!("Missing required parameter: {parameter}"))
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        no_store(self.status, json!({"error": self.error, "error_description": self.description}))
    }
}

/// A JSON answer that caches must not keep (tokens are in it), as Google sends them.
pub fn no_store(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-store, max-age=0, must-revalidate"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The parameters of a form body or a query string (the last of a repeated name wins).
pub fn form(bytes: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

/// A parameter that must be present and non-empty.
pub fn required<'a>(params: &'a HashMap<String, String>, name: &str) -> Result<&'a str, OAuthError> {
    params.get(name).map(String::as_str).filter(|v| !v.is_empty()).ok_or_else(|| OAuthError::missing(name))
}

/// Checks the client: a registered one must present its secret; any other
/// named like Google's client ids is accepted (the emulator cannot know its
/// secret); anything else is unknown. `secret_needed`: the token endpoint.
pub fn check_client(oauth: &OAuth, params: &HashMap<String, String>, secret_needed: bool) -> Result<String, OAuthError> {
    let client_id = required(params, "client_id").map_err(|_| OAuthError::new(400, "invalid_request", "Could not determine client ID from request."))?;
    let secret = params.get("client_secret").map(String::as_str).unwrap_or_default();
    match oauth.clients.get(client_id) {
        Some(expected) if secret_needed && secret != expected => return Err(OAuthError::new(401, "invalid_client", "Unauthorized")),
        Some(_) => {}
        None if !looks_like_google_client_id(client_id) => return Err(OAuthError::client_not_found()),
        None if secret_needed && secret.is_empty() => return Err(OAuthError::new(400, "invalid_request", "client_secret is missing.")),
        None => {}
    }
    Ok(client_id.to_string())
}

/// `<something>.apps.googleusercontent.com`, nothing a person could not type.
fn looks_like_google_client_id(client_id: &str) -> bool {
    client_id.strip_suffix(".apps.googleusercontent.com").is_some_and(|name| !name.is_empty())
        && client_id.len() <= MAX_CLIENT_ID
        && client_id.chars().all(|c| c.is_ascii_graphic())
}

/// Google's client ids are under a hundred characters.
const MAX_CLIENT_ID: usize = 256;

/// The scopes Google would grant an app of this project: the two APIs'
/// (Picker; Library's app-created-data ones), and sign-in's.
pub const KNOWN_SCOPES: &[&str] = &[
    PICKER_SCOPE,
    LIBRARY_SCOPE,
    "https://www.googleapis.com/auth/photoslibrary.appendonly",
    "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata",
    "openid",
    "email",
    "profile",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
];

/// The scopes of a `scope` parameter (space separated, each once, in the
/// order first asked); an unknown one is Google's `invalid_scope`.
pub fn scopes(params: &HashMap<String, String>) -> Result<Vec<String>, OAuthError> {
    let mut scopes: Vec<String> = Vec::new();
    for scope in required(params, "scope")?.split_whitespace() {
        if !KNOWN_SCOPES.contains(&scope) {
            let shown: String = scope.chars().take(100).collect();
            return Err(OAuthError::new(400, "invalid_scope", format!("Some requested scopes were invalid. {{invalid=[{shown}]}}")));
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_string());
        }
    }
    if scopes.is_empty() {
        return Err(OAuthError::missing("scope"));
    }
    Ok(scopes)
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A page for the person in the browser.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>{title} – Google Account (emulator)</title><style>body{{font-family:sans-serif;margin:2rem;max-width:36rem}}\
         button{{font-size:1rem;margin-right:1rem}}</style></head><body>{body}</body></html>",
        title = escape(title)
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Google's error page for a bad authorization request (no redirect: the
/// redirect URI itself may be what is wrong).
pub fn error_page(status: u16, error: &str, detail: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let title = format!("Error {}: {error}", status.as_u16());
    page(status, &title, &format!("<h1 id=status>Access blocked: authorization error</h1><p id=error>{}</p><p>{}</p>", escape(&title), escape(detail)))
}

/// A `<select>` of the users who may approve, the default one first.
pub fn user_choice(users: &[String], preferred: Option<&str>) -> String {
    let options: String = users
        .iter()
        .map(|u| format!("<option value=\"{0}\"{1}>{0}</option>", escape(u), if Some(u.as_str()) == preferred { " selected" } else { "" }))
        .collect();
    format!("<label>Signed in as <select name=user_id>{options}</select></label>")
}
