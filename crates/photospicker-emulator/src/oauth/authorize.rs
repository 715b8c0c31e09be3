//! The installed-app flow's browser half (`accounts.google.com/o/oauth2/auth`):
//! check the request, ask the person (or let the approval switch answer), and
//! send the browser back to the app's loopback `redirect_uri` with a code and
//! the app's `state`, or with `error=access_denied`.

use super::control::{approval, approver, user_names, Approval};
use super::grants::{AuthCode, AuthRequest};
use super::reply::{self, check_client, error_page, escape, page};
use crate::state::{Inner, State};
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxumState};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use std::collections::HashMap;
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

/// How long an authorization code (and a consent page) stays usable.
const CODE_MINUTES: i64 = 10;

/// A `state` or `redirect_uri` longer than this is refused (they are kept until the code is used).
const MAX_PARAMETER: usize = 2048;

/// Installed apps may only redirect to the loopback interface over plain
/// HTTP, to a URI that can be a `Location`: no fragment, no whitespace or
/// control characters, a port that is one.
fn is_loopback_redirect(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else { return false };
    if uri.contains('#') || uri.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let host_port = rest.split(['/', '?']).next().unwrap_or_default();
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => return false,
        },
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    let port_ok = port.is_none_or(|p| p.is_empty() || (p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()));
    port_ok && matches!(host, "127.0.0.1" | "localhost" | "::1")
}

fn redirect(to: &str, pairs: &[(&str, &str)]) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    let separator = if to.contains('?') { '&' } else { '?' };
    let location = format!("{to}{separator}{}", query.finish());
    (StatusCode::FOUND, [(header::LOCATION, location), (header::CACHE_CONTROL, "no-store".to_string())]).into_response()
}

/// Checks an authorization request as Google does before showing anything.
fn check(inner: &Inner, params: &HashMap<String, String>, now: chrono::DateTime<chrono::Utc>) -> Result<AuthRequest, Box<Response>> {
    let client_id = check_client(&inner.oauth, params, false).map_err(|e| Box::new(error_page(e.status.as_u16(), e.error, &e.description)))?;
    let redirect_uri = params.get("redirect_uri").filter(|r| !r.is_empty()).ok_or_else(|| Box::new(error_page(400, "invalid_request", "Missing required parameter: redirect_uri")))?;
    if redirect_uri.len() > MAX_PARAMETER || params.get("state").is_some_and(|s| s.len() > MAX_PARAMETER) {
        return Err(Box::new(error_page(400, "invalid_request", "A parameter is too long.")));
    }
    if !is_loopback_redirect(redirect_uri) {
        return Err(Box::new(error_page(400, "redirect_uri_mismatch", "An installed app may only redirect to http://127.0.0.1, http://[::1] or http://localhost.")));
    }
    match params.get("response_type").map(String::as_str) {
        Some("code") => {}
        None | Some("") => return Err(Box::new(error_page(400, "invalid_request", "Required parameter is missing: response_type"))),
        Some(other) => return Err(Box::new(error_page(400, "unsupported_response_type", &format!("Invalid response_type: {other}")))),
    }
    let scopes = reply::scopes(params).map_err(|e| Box::new(error_page(400, e.error, &e.description)))?;
    let code_challenge = match (params.get("code_challenge"), params.get("code_challenge_method").map(String::as_str)) {
        (None, _) => None,
        (Some(challenge), None | Some("plain")) => Some(("plain".to_string(), challenge.clone())),
        (Some(challenge), Some("S256")) => Some(("S256".to_string(), challenge.clone())),
        (Some(_), Some(other)) => return Err(Box::new(error_page(400, "invalid_request", &format!("Invalid code_challenge_method: {other}")))),
    };
    // RFC 7636: 43 to 128 characters of the unreserved set (an S256 challenge is base64url).
    let unreserved = |c: &str| c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if code_challenge.as_ref().is_some_and(|(_, c)| !(43..=128).contains(&c.len()) || !unreserved(c)) {
        return Err(Box::new(error_page(400, "invalid_request", "Invalid code_challenge.")));
    }
    Ok(AuthRequest {
        client_id,
        redirect_uri: redirect_uri.clone(),
        scopes,
        state: params.get("state").cloned(),
        code_challenge,
        expires_at: now + Duration::minutes(CODE_MINUTES),
    })
}

/// Sends the browser back with a code for `user_id`.
fn approve(inner: &mut Inner, request: AuthRequest, user_id: String) -> Response {
    let code = format!("4/0Ab{}", inner.random_hex(24));
    let (to, state, scope) = (request.redirect_uri.clone(), request.state.clone(), request.scopes.join(" "));
    inner.oauth.codes.insert(code.clone(), AuthCode { request, user_id });
    let mut pairs = vec![("code", code.as_str()), ("scope", scope.as_str())];
    if let Some(state) = &state {
        pairs.insert(0, ("state", state.as_str()));
    }
    redirect(&to, &pairs)
}

fn deny(request: &AuthRequest) -> Response {
    let mut pairs = vec![("error", "access_denied")];
    if let Some(state) = &request.state {
        pairs.push(("state", state.as_str()));
    }
    redirect(&request.redirect_uri, &pairs)
}

pub async fn authorize(AxumState(state): Shared, RawQuery(query): RawQuery) -> Response {
    let params = reply::form(query.unwrap_or_default().as_bytes());
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    inner.oauth.prune(now);
    let request = match check(inner, &params, now) {
        Ok(request) => request,
        Err(page) => return *page,
    };
    if inner.oauth.is_full() {
        return error_page(429, "rate_limit_exceeded", "Too many authorization requests are waiting.");
    }
    match approval(&state, inner) {
        Approval::Deny => return deny(&request),
        Approval::Approve => {
            if let Ok(user) = approver(inner, None) {
                return approve(inner, request, user);
            }
        }
        Approval::Ask => {}
    }
    let consent = inner.random_hex(16);
    let scopes: String = request.scopes.iter().map(|s| format!("<li>{}</li>", escape(s))).collect();
    let body = format!(
        "<h1>Sign in</h1><p>The app <b>{}</b> wants to access your Google Account:</p><ul id=scopes>{scopes}</ul>\
         <form method=post action=/o/oauth2/approve><input type=hidden name=consent value={consent}>\
         <p>{}</p><p><button name=decision value=allow>Allow</button><button name=decision value=deny>Cancel</button></p></form>",
        escape(&request.client_id),
        reply::user_choice(&user_names(inner), approver(inner, None).ok().as_deref())
    );
    inner.oauth.consents.insert(consent, request);
    page(StatusCode::OK, "Sign in", &body)
}

/// The person's answer on the consent page.
pub async fn consent(AxumState(state): Shared, body: Bytes) -> Response {
    let params = reply::form(&body);
    let mut guard = state.lock();
    let inner = &mut *guard;
    let Some(request) = params.get("consent").and_then(|c| inner.oauth.consents.remove(c)) else {
        return error_page(400, "invalid_request", "This sign-in page has expired or was already answered; start again from the app.");
    };
    if params.get("decision").map(String::as_str) != Some("allow") {
        return deny(&request);
    }
    match approver(inner, params.get("user_id").map(String::as_str)) {
        Ok(user) => approve(inner, request, user),
        Err(refusal) => page(StatusCode::CONFLICT, "No account", &format!("<h1 id=status>No account</h1><p>{}</p>", escape(&refusal.message))),
    }
}
