//! The device flow (RFC 8628, as Google runs it for TVs and limited-input
//! devices): ask for a code, show it, poll the token endpoint every
//! `interval` (five seconds more after each `slow_down`) until the person
//! allows or denies, or the code expires.

use super::http::{OAuthHttp, TokenAnswer, MAX_LIFETIME};
use super::{ClientSecrets, LoginError, OAuthEndpoints, Prompt};
use serde::Deserialize;
use std::time::Duration;
use tokio::time::Instant;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628: without an `interval`, five seconds; `slow_down` adds five.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// A server asking for faster polls than this is not obeyed (it would be hammered).
const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// An interval past this (Google's is 5 s) is not a polling interval but a broken answer.
const MAX_INTERVAL: Duration = Duration::from_secs(300);
/// Network failures in a row before polling gives up.
const MAX_FAILED_POLLS: u32 = 3;

#[derive(Deserialize)]
struct DeviceCode {
    device_code: super::Secret,
    user_code: String,
    /// Google's name; RFC 8628's is `verification_uri`.
    #[serde(alias = "verification_uri")]
    verification_url: String,
    expires_in: u64,
    #[serde(default)]
    interval: Option<f64>,
}

pub(crate) async fn run(
    http: &OAuthHttp,
    endpoints: &OAuthEndpoints,
    client: &ClientSecrets,
    scopes: &[String],
    timeout: Duration,
    prompt: &mut (dyn FnMut(Prompt<'_>) + Send),
) -> Result<TokenAnswer, LoginError> {
    let scope = scopes.join(" ");
    let answer = http.post_form(&endpoints.device_code_uri, &[("client_id", &client.client_id), ("scope", &scope)]).await?;
    let code: DeviceCode = serde_json::from_value(answer)
        .map_err(|e| LoginError::Http(super::error::server_text(&format!("the device-code answer is not one: {e}"), &|t| t.to_string())))?;
    let expires_in = Duration::from_secs(code.expires_in).min(MAX_LIFETIME);
    let deadline = Instant::now() + expires_in.min(timeout).min(MAX_LIFETIME);
    let mut interval = polling_interval(code.interval)?;
    prompt(Prompt::EnterCode { verification_url: &code.verification_url, user_code: &code.user_code, expires_in });
    let form = [
        ("client_id", client.client_id.as_str()),
        ("client_secret", client.client_secret.expose()),
        ("device_code", code.device_code.expose()),
        ("grant_type", DEVICE_GRANT),
    ];
    let mut failures = 0;
    loop {
        if Instant::now() + interval >= deadline {
            return Err(LoginError::Expired);
        }
        tokio::time::sleep(interval).await;
        match http.token(&endpoints.token_uri, &form).await {
            Ok(token) => return Ok(token),
            Err(LoginError::OAuth { error, .. }) if error == "authorization_pending" => failures = 0,
            Err(LoginError::OAuth { error, .. }) if error == "slow_down" => {
                failures = 0;
                interval = (interval + SLOW_DOWN_STEP).min(MAX_INTERVAL);
            }
            Err(LoginError::OAuth { error, .. }) if error == "access_denied" => return Err(LoginError::Denied),
            Err(LoginError::OAuth { error, .. }) if error == "expired_token" => return Err(LoginError::Expired),
            Err(LoginError::Http(why)) if failures + 1 < MAX_FAILED_POLLS => {
                failures += 1;
                tracing::debug!(%why, "device-flow poll failed; trying again");
            }
            Err(other) => return Err(other),
        }
    }
}

/// The server's `interval`: five seconds when absent, at least [`MIN_INTERVAL`],
/// and an error when it is not a number of seconds a poll could wait.
fn polling_interval(seconds: Option<f64>) -> Result<Duration, LoginError> {
    let Some(seconds) = seconds else { return Ok(DEFAULT_INTERVAL) };
    match Duration::try_from_secs_f64(seconds) {
        Ok(interval) if interval <= MAX_INTERVAL => Ok(interval.max(MIN_INTERVAL)),
        _ => Err(LoginError::Http("the device-code answer's interval is not a polling interval (0 to 300 seconds)".into())),
    }
}
