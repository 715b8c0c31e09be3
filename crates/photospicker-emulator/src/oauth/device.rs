//! The device flow's first half: the device asks for a code
//! (`oauth2.googleapis.com/device/code`), the person enters it on the
//! verification page (`google.com/device`) and allows or denies.

use super::control::{approval, approver, user_names, Approval};
use super::grants::{Decision, DeviceRequest};
use super::reply::{self, check_client, escape, page, OAuthError};
use crate::state::State;
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde_json::json;
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;

/// Letters people do not confuse, as in Google's codes (`GQVQ-JKEC`).
const USER_CODE_LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

/// Where the person enters the code, on this emulator.
pub fn verification_url(state: &State) -> String {
    format!("{}/device", state.picker_base)
}

pub async fn device_code(AxumState(state): Shared, body: Bytes) -> Response {
    let params = reply::form(&body);
    let now = state.clock.now();
    let mut guard = state.lock();
    let inner = &mut *guard;
    let client_id = match check_client(&inner.oauth, &params, false) {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    let scopes = match reply::scopes(&params) {
        Ok(scopes) => scopes,
        Err(error) => return error.into_response(),
    };
    inner.oauth.prune(now);
    if inner.oauth.is_full() {
        return OAuthError::new(429, "rate_limit_exceeded", "Rate limit exceeded.").into_response();
    }
    let device_code = format!("AH-1Ng{}", inner.random_hex(24));
    let letters: String = inner.random_hex(8).bytes().take(8).map(|b| USER_CODE_LETTERS[usize::from(b) % USER_CODE_LETTERS.len()] as char).collect();
    let user_code = format!("{}-{}", &letters[..4], &letters[4..]);
    let decision = match approval(&state, inner) {
        Approval::Ask => Decision::Pending,
        Approval::Deny => Decision::Denied,
        Approval::Approve => match approver(inner, None) {
            Ok(user) => Decision::Approved(user),
            Err(_) => Decision::Pending,
        },
    };
    let interval = state.config.oauth_poll_interval;
    inner.oauth.devices.insert(
        device_code.clone(),
        DeviceRequest {
            client_id,
            user_code: user_code.clone(),
            scopes,
            expires_at: now + Duration::seconds(super::DEVICE_CODE_SECONDS),
            interval: crate::state::to_chrono(interval),
            last_poll: None,
            decision,
        },
    );
    // Google's interval is whole seconds; a shorter one (tests) is written as a fraction.
    let interval = if interval.subsec_nanos() == 0 { json!(interval.as_secs()) } else { json!(interval.as_secs_f64()) };
    reply::no_store(
        StatusCode::OK,
        json!({
            "device_code": device_code,
            "user_code": user_code,
            "verification_url": verification_url(&state),
            "expires_in": super::DEVICE_CODE_SECONDS,
            "interval": interval,
        }),
    )
}

/// The page where the person types the code shown on the device.
pub async fn verification_page(AxumState(state): Shared, RawQuery(query): RawQuery) -> Response {
    let params = reply::form(query.unwrap_or_default().as_bytes());
    let inner = state.lock();
    let users = user_names(&inner);
    let preferred = approver(&inner, None).ok();
    let code = params.get("user_code").map(String::as_str).unwrap_or_default();
    page(
        StatusCode::OK,
        "Connect a device",
        &format!(
            "<h1>Connect a device</h1><form method=post action=/device>\
             <p><label>Enter the code displayed on your device <input name=user_code value=\"{}\" autofocus></label></p>\
             <p>{}</p><p><button name=decision value=allow>Allow</button><button name=decision value=deny>Deny</button></p></form>",
            escape(code),
            reply::user_choice(&users, preferred.as_deref())
        ),
    )
}

/// The person's answer on the verification page.
pub async fn verify(AxumState(state): Shared, body: Bytes) -> Response {
    let params = reply::form(&body);
    let code = params.get("user_code").map(String::as_str).unwrap_or_default();
    let approve = params.get("decision").map(String::as_str) == Some("allow");
    match super::control::decide(&state, code, approve, params.get("user_id").map(String::as_str)) {
        Ok(()) if approve => page(StatusCode::OK, "Success", "<h1 id=status>Success!</h1><p>You may now return to your device.</p>"),
        Ok(()) => page(StatusCode::OK, "Denied", "<h1 id=status>Access denied</h1><p>The device was not connected.</p>"),
        Err(refusal) => page(
            StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST),
            "Invalid code",
            &format!("<h1 id=status>Invalid code</h1><p>{}</p><p><a href=/device>Try again</a></p>", escape(&refusal.message)),
        ),
    }
}
