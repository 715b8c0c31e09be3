//! Google's OAuth 2.0 endpoints for installed apps (loopback redirect, PKCE)
//! and limited-input devices (the device flow), with the same paths, form
//! parameters and JSON errors as Google's, so that a login flow is tested end
//! to end. The tokens issued carry the granted scopes and work against the
//! emulated APIs. Google serves these on several hosts; the emulator serves
//! them on its own ports under the same paths:
//!
//! | Google                                  | emulator path     |
//! |-----------------------------------------|-------------------|
//! | `oauth2.googleapis.com/device/code`     | `/device/code`    |
//! | `oauth2.googleapis.com/token`           | `/token`          |
//! | `oauth2.googleapis.com/revoke`          | `/revoke`         |
//! | `oauth2.googleapis.com/tokeninfo`       | `/tokeninfo`      |
//! | `accounts.google.com/o/oauth2/auth`     | `/o/oauth2/auth`  |
//! | `www.google.com/device`                 | `/device`         |
//!
//! Who approves is the [`Approval`] switch: a person on the pages (`ask`),
//! or the emulator at once (`approve`, `deny`).

mod authorize;
mod control;
mod device;
mod grants;
mod reply;
mod token;

pub use control::Approval;
pub(crate) use grants::OAuth;

use crate::control::Refusal;
use crate::state::State;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// How long an access token lives (Google's `expires_in`).
pub const ACCESS_TOKEN_SECONDS: i64 = 3599;
/// How long a device code and its user code live (Google's `expires_in`).
pub const DEVICE_CODE_SECONDS: i64 = 1800;

/// Whether a path is one of the OAuth endpoints (the request log names them `oauth`).
pub fn is_oauth_path(path: &str) -> bool {
    matches!(path, "/device/code" | "/token" | "/revoke" | "/tokeninfo" | "/o/oauth2/auth" | "/o/oauth2/v2/auth" | "/o/oauth2/approve" | "/device")
}

/// The OAuth endpoints and their control API, for the emulator's router.
pub fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/device/code", post(device::device_code))
        .route("/device", get(device::verification_page).post(device::verify))
        .route("/token", post(token::token))
        .route("/revoke", post(token::revoke))
        .route("/tokeninfo", get(token::token_info).post(token::token_info))
        .route("/o/oauth2/auth", get(authorize::authorize))
        .route("/o/oauth2/v2/auth", get(authorize::authorize))
        .route("/o/oauth2/approve", post(authorize::consent))
        .route("/emulator/v1/oauth", get(control::show))
        .route("/emulator/v1/oauth/approval", post(control::set_approval))
        .route("/emulator/v1/oauth/device", post(control::decide_device))
        .route("/emulator/v1/oauth/slowDown", post(control::slow_down))
        .route("/emulator/v1/oauth/clients", post(control::register_client))
}

impl crate::Emulator {
    /// Base URL of the OAuth endpoints (`{url}/token`, `{url}/device/code`, `{url}/o/oauth2/auth` …).
    pub fn oauth_url(&self) -> &str {
        &self.state.picker_base
    }

    /// Who approves OAuth requests from now on (and as which user; by default
    /// the user named `default`, else the first by name).
    pub fn set_oauth_approval(&self, approval: Approval, user_id: Option<&str>) -> Result<(), Refusal> {
        control::set(&self.state, approval, user_id.map(str::to_string))
    }

    /// The user codes of device-flow requests waiting for a decision.
    pub fn pending_user_codes(&self) -> Vec<String> {
        self.state.lock().oauth.pending_user_codes(self.state.clock.now())
    }

    /// Decides a device-flow request as the user would on the verification page.
    pub fn decide_user_code(&self, user_code: &str, approve: bool, user_id: Option<&str>) -> Result<(), Refusal> {
        control::decide(&self.state, user_code, approve, user_id)
    }

    /// Makes the next `times` device-flow polls answer `slow_down`.
    pub fn inject_slow_downs(&self, times: u32) {
        self.state.lock().oauth.slow_downs_to_inject = times;
    }

    /// How many `slow_down` answers the token endpoint gave (injected or earned).
    pub fn slow_downs_answered(&self) -> u64 {
        self.state.lock().oauth.slow_downs_answered
    }

    /// Registers an OAuth client whose secret is then checked (other clients
    /// named `….apps.googleusercontent.com` are accepted with any secret).
    pub fn register_oauth_client(&self, client_id: &str, client_secret: &str) {
        self.state.lock().oauth.clients.insert(client_id.to_string(), client_secret.to_string());
    }

    /// Whether a refresh token is live (not revoked, not evicted).
    pub fn refresh_token_is_live(&self, refresh_token: &str) -> bool {
        self.state.lock().oauth.grant(refresh_token).is_some()
    }
}
