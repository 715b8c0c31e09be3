//! Where the OAuth flows talk to: Google's endpoints, or an emulator's
//! (given, or named by `PHOTOSPICKER_EMULATOR_HOST=host:port`, the variable
//! the API clients read too).

use super::LoginError;

/// The variable naming an emulator's `host:port` (plain HTTP), as Google's emulators do;
/// the API clients' own, read by the same parser.
pub use crate::emulator_host::EMULATOR_HOST_VAR;

/// The OAuth endpoints of one authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthEndpoints {
    /// The authorization page the browser opens (installed-app flow).
    pub auth_uri: String,
    /// The token endpoint (codes, device codes and refresh tokens for tokens).
    pub token_uri: String,
    /// The device authorization endpoint (device flow).
    pub device_code_uri: String,
    /// The revocation endpoint.
    pub revoke_uri: String,
    /// The token-information endpoint (scopes, expiry, account).
    pub tokeninfo_uri: String,
    /// Whether these are an emulator's (it accepts a built-in client).
    pub emulator: bool,
}

impl OAuthEndpoints {
    /// Google's endpoints.
    pub fn google() -> Self {
        Self {
            auth_uri: "https://accounts.google.com/o/oauth2/auth".into(),
            token_uri: "https://oauth2.googleapis.com/token".into(),
            device_code_uri: "https://oauth2.googleapis.com/device/code".into(),
            revoke_uri: "https://oauth2.googleapis.com/revoke".into(),
            tokeninfo_uri: "https://oauth2.googleapis.com/tokeninfo".into(),
            emulator: false,
        }
    }

    /// An emulator's endpoints under `base_url` (e.g. `http://127.0.0.1:4000`).
    pub fn emulator(base_url: &str) -> Result<Self, LoginError> {
        let base = base_url.trim_end_matches('/');
        crate::auth::check_endpoint(base).map_err(|e| LoginError::Config(e.to_string()))?;
        Ok(Self {
            auth_uri: format!("{base}/o/oauth2/auth"),
            token_uri: format!("{base}/token"),
            device_code_uri: format!("{base}/device/code"),
            revoke_uri: format!("{base}/revoke"),
            tokeninfo_uri: format!("{base}/tokeninfo"),
            emulator: true,
        })
    }

    /// The emulator's when `PHOTOSPICKER_EMULATOR_HOST` is set, else Google's.
    pub fn from_env() -> Result<Self, LoginError> {
        match crate::emulator_host::from_env().map_err(|e| LoginError::Config(e.message()))? {
            Some(host) => Self::emulator(host.picker.as_str()),
            None => Ok(Self::google()),
        }
    }

}
