//! The device flow (RFC 8628, as Google runs it for TVs and limited-input
//! devices): ask for a code, show it, poll the token endpoint every
//! `interval` (five seconds more after each `slow_down`) until the person
//! allows or denies, or the code expires.

use super::http::{OAuthHttp, TokenAnswer};
use super::{ClientSecrets, LoginError, OAuthEndpoints, Prompt};
use serde::Deserialize;
use std::time::Duration;
use tokio::time::Instant;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628: without an `interval`, five seconds; `slow_down` adds five.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
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
    let code: DeviceCode = serde_json::from_value(answer).map_err(|e| LoginError::Http(format!("the device-code answer is not one: {e}")))?;
    let expires_in = Duration::from_secs(code.expires_in);
    let deadline = Instant::now() + expires_in.min(timeout);
    let mut interval = code.interval.and_then(|s| Duration::try_from_secs_f64(s).ok()).filter(|d| !d.is_zero()).unwrap_or(DEFAULT_INTERVAL);
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
                interval += SLOW_DOWN_STEP;
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
