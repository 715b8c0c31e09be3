//! Which service to talk to, as whom: `--base-url` (or PHOTOSPICKER_BASE_URL,
//! or the emulator-host convention PHOTOSPICKER_EMULATOR_HOST=host:port) and
//! `--token` (or PHOTOSPICKER_TOKEN). Stored logins (`photospicker auth
//! login`) plug in at `token_for`.

use crate::cli::Global;
use crate::exit::CliError;
use photospicker::login::{Auth, LoginError, ResolvedToken};
use photospicker::{Client, ClientBuilder, RetryPolicy};
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
    std::env::var(photospicker::EMULATOR_HOST_VAR).ok().filter(|h| !h.trim().is_empty())
}

/// `--token` / PHOTOSPICKER_TOKEN as given; else the emulator's default
/// user's token when PHOTOSPICKER_EMULATOR_HOST points at one and no stored
/// emulator login exists; else the stored login (`photospicker auth login`),
/// refreshed as needed.
fn credentials_for(global: &Global) -> Result<Credentials, CliError> {
    if let Some(token) = global.token.clone().filter(|t| !t.is_empty()) {
        return Ok(Credentials::Token(token));
    }
    let auth = Auth::from_env().map_err(|e| CliError::usage(e.to_string()))?;
    let stored = matches!(auth.store().load(), Ok(Some(_)));
    if !stored && global.base_url.is_none() && emulator_host().is_some() {
        return Ok(Credentials::Token(EMULATOR_TOKEN.into()));
    }
    match auth.resolve_token(None) {
        Ok(resolved) => Ok(Credentials::Login(resolved)),
        Err(LoginError::NotLoggedIn) => Err(CliError::no_token()),
        Err(other) => Err(CliError::new(crate::exit::Exit::NotAuthorized, other.to_string()).hint(other.hint())),
    }
}

enum Credentials {
    Token(String),
    Login(ResolvedToken),
}

/// Retries for a person at a terminal: a few quick ones, so that an
/// unreachable service is said in seconds, not minutes.
fn retry_policy() -> RetryPolicy {
    RetryPolicy { max_attempts: 4, initial_backoff: Duration::from_millis(500), time_limit: Some(Duration::from_secs(120)), ..RetryPolicy::default() }
}

pub fn connect(global: &Global) -> Result<Connection, CliError> {
    match credentials_for(global)? {
        Credentials::Token(token) => connect_to(base_url(global), token),
        Credentials::Login(resolved) => build(base_url(global), Client::builder().token_provider(resolved)),
    }
}

pub fn connect_to(base: Option<String>, token: String) -> Result<Connection, CliError> {
    build(base, Client::builder().token(token))
}

fn build(base: Option<String>, builder: ClientBuilder) -> Result<Connection, CliError> {
    let mut builder = builder.retry_policy(retry_policy()).user_agent(concat!("photospicker-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(base) = &base {
        builder = builder.endpoint(base.as_str());
    }
    let client = builder.build().map_err(|e| CliError::usage(format!("--base-url: {}", e.message())))?;
    Ok(Connection { endpoint: client.endpoint().to_string(), client })
}
