//! Which service to talk to, as whom: `--base-url` (or PHOTOSPICKER_BASE_URL,
//! or the emulator-host convention PHOTOSPICKER_EMULATOR_HOST=host:port) and
//! `--token` (or PHOTOSPICKER_TOKEN). Stored logins (`photospicker auth
//! login`) plug in at `token_for`.

use crate::cli::Global;
use crate::exit::CliError;
use photospicker::{Client, RetryPolicy};
use std::time::Duration;

/// The default user's token of `photospicker emulator` and `photospicker-emulator`.
pub const EMULATOR_TOKEN: &str = "emulator-token";

/// A client, and the base URL it talks to (for messages).
pub struct Connection {
    pub client: Client,
    pub endpoint: String,
}

/// The base URL, if not Google's.
pub fn base_url(global: &Global) -> Option<String> {
    global.base_url.clone().or_else(|| emulator_host().map(|host| format!("http://{host}")))
}

fn emulator_host() -> Option<String> {
    std::env::var("PHOTOSPICKER_EMULATOR_HOST").ok().filter(|h| !h.trim().is_empty())
}

fn token_for(global: &Global) -> Result<String, CliError> {
    if let Some(token) = global.token.clone().filter(|t| !t.is_empty()) {
        return Ok(token);
    }
    // The emulator takes its default user's token; a login is for Google only.
    if global.base_url.is_none() && emulator_host().is_some() {
        return Ok(EMULATOR_TOKEN.into());
    }
    Err(CliError::no_token())
}

/// Retries for a person at a terminal: a few quick ones, so that an
/// unreachable service is said in seconds, not minutes.
fn retry_policy() -> RetryPolicy {
    RetryPolicy { max_attempts: 4, initial_backoff: Duration::from_millis(500), time_limit: Some(Duration::from_secs(120)), ..RetryPolicy::default() }
}

pub fn connect(global: &Global) -> Result<Connection, CliError> {
    connect_to(base_url(global), token_for(global)?)
}

pub fn connect_to(base: Option<String>, token: String) -> Result<Connection, CliError> {
    let mut builder = Client::builder().token(token).retry_policy(retry_policy()).user_agent(concat!("photospicker-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(base) = &base {
        builder = builder.endpoint(base.as_str());
    }
    let client = builder.build().map_err(|e| CliError::usage(format!("--base-url: {}", e.message())))?;
    Ok(Connection { endpoint: client.endpoint().to_string(), client })
}
