//! `photospicker auth login` for your own app (feature `login`): Google's
//! installed-app flow (loopback redirect, PKCE) and device flow, the refresh
//! token kept in the user's config dir (0600, replaced atomically), status,
//! logout with revocation, and the token to use resolved from `--token`,
//! `PHOTOSPICKER_TOKEN` or the stored login.
//!
//! Google's endpoints by default; an emulator's when given or when
//! `PHOTOSPICKER_EMULATOR_HOST=host:port` is set (the emulator serves the
//! same OAuth endpoints, so every flow is testable end to end).
//!
//! ```no_run
//! # async fn run() -> Result<(), photospicker::login::LoginError> {
//! use photospicker::login::{Auth, ClientSecrets, LoginMethod, Prompt};
//!
//! let auth = Auth::from_env()?;
//! let client = ClientSecrets::locate(None, auth.endpoints())?;
//! let status = auth.login(&client, LoginMethod::Device, |prompt| match prompt {
//!     Prompt::OpenUrl { url } => println!("Open {url}"),
//!     Prompt::EnterCode { verification_url, user_code, .. } => println!("Go to {verification_url} and enter {user_code}"),
//!     _ => {}
//! }).await?;
//! println!("{status}");
//! # Ok(()) }
//! ```
//!
//! Why not `yup-oauth2` (the crate's other feature) for these flows: its
//! installed flow sends no `state` and no PKCE challenge, logs the
//! authorization code at debug level, and its device flow defaults to a
//! retired grant type; the protocol itself is a few form POSTs over the
//! reqwest client this crate already has.

mod client_secrets;
mod device;
mod endpoints;
mod error;
mod http;
mod loopback;
mod provider;
mod resolve;
mod secret;
mod store;

pub use client_secrets::{default_path as default_client_secrets_path, ClientSecrets, CLIENT_SECRETS_VAR, EMULATOR_CLIENT_ID};
pub use endpoints::{OAuthEndpoints, EMULATOR_HOST_VAR};
pub use error::LoginError;
pub use provider::StoredTokenProvider;
pub use resolve::{ResolvedToken, TokenSource, TOKEN_VAR};
pub use secret::Secret;
pub use store::{StoredLogin, TokenStore};

use http::OAuthHttp;
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// How to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    /// Open a browser on this machine; it comes back to a loopback port.
    Loopback,
    /// Show a code to enter on another device (TVs, SSH sessions).
    Device,
}

/// What the person has to do now; the callback shows it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Prompt<'a> {
    /// Open this URL in a browser on this machine.
    OpenUrl {
        /// The authorization page.
        url: &'a str,
    },
    /// Go to this URL on any device and enter the code.
    EnterCode {
        /// Where to enter the code (Google's is `https://www.google.com/device`).
        verification_url: &'a str,
        /// The code to enter.
        user_code: &'a str,
        /// How long the code stays valid.
        expires_in: Duration,
    },
}

/// Who is logged in, with which scopes, until when; never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginStatus {
    /// The account's email, if the `email` scope was granted.
    pub account: Option<String>,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// The OAuth client.
    pub client_id: String,
    /// How long the current access token stays valid.
    pub expires_in: Option<Duration>,
    /// Where the login is stored.
    pub store_path: PathBuf,
}

impl fmt::Display for LoginStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Logged in as {}", self.account.as_deref().unwrap_or("(account unknown: the email scope was not granted)"))?;
        writeln!(f, "  scopes: {}", self.scopes.join(" "))?;
        writeln!(f, "  client: {}", self.client_id)?;
        if let Some(left) = self.expires_in {
            writeln!(f, "  access token valid for {} min", left.as_secs() / 60)?;
        }
        write!(f, "  stored in {}", self.store_path.display())
    }
}

/// What `logout` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logout {
    /// A stored login was deleted.
    pub removed: bool,
    /// The refresh token was revoked at the server (false if it was already gone).
    pub revoked: bool,
    /// Why revoking failed, if it did (the file is deleted regardless).
    pub revoke_error: Option<String>,
}

/// Logging in, out, and finding the token to use, against one authorization server.
#[derive(Debug, Clone)]
pub struct Auth {
    endpoints: OAuthEndpoints,
    store: TokenStore,
    scopes: Vec<String>,
    timeout: Duration,
    http: HttpHandle,
}

/// The OAuth HTTP client (kept opaque in `Debug`).
#[derive(Clone)]
struct HttpHandle(OAuthHttp);

impl fmt::Debug for HttpHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OAuthHttp")
    }
}

impl Auth {
    /// Scopes asked for by default: the Picker's, and `email` so that `status` can say who.
    pub const DEFAULT_SCOPES: &'static [&'static str] = &[crate::PICKER_SCOPE, "email"];
    /// How long a login waits for the person by default.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

    /// Logging in against these endpoints, keeping the login in `store`.
    /// Every endpoint must be HTTPS (plain HTTP on loopback only): the
    /// refresh token and client secret travel to them.
    pub fn new(endpoints: OAuthEndpoints, store: TokenStore) -> Result<Self, LoginError> {
        for uri in [&endpoints.auth_uri, &endpoints.token_uri, &endpoints.device_code_uri, &endpoints.revoke_uri, &endpoints.tokeninfo_uri] {
            crate::auth::check_endpoint(uri).map_err(|e| LoginError::Config(e.to_string()))?;
        }
        Ok(Self {
            endpoints,
            store,
            scopes: Self::DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect(),
            timeout: Self::DEFAULT_TIMEOUT,
            http: HttpHandle(OAuthHttp::new()?),
        })
    }

    /// Google's endpoints (or `PHOTOSPICKER_EMULATOR_HOST`'s) and the default store for them.
    pub fn from_env() -> Result<Self, LoginError> {
        let endpoints = OAuthEndpoints::from_env()?;
        let store = TokenStore::default_for(&endpoints)?;
        Self::new(endpoints, store)
    }

    /// Asks for these scopes instead.
    pub fn with_scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = scopes.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Waits at most this long for the person and the server together (device
    /// code lifetime permitting): a login ends as [`LoginError::Expired`] by then.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The endpoints in use.
    pub fn endpoints(&self) -> &OAuthEndpoints {
        &self.endpoints
    }

    /// The store in use.
    pub fn store(&self) -> &TokenStore {
        &self.store
    }

    /// Runs a flow, stores the refresh token, and says who logged in.
    pub async fn login(&self, client: &ClientSecrets, method: LoginMethod, mut prompt: impl FnMut(Prompt<'_>) + Send) -> Result<LoginStatus, LoginError> {
        let http = &self.http.0;
        let flow = async {
            match method {
                LoginMethod::Loopback => loopback::run(http, &self.endpoints, client, &self.scopes, self.timeout, &mut prompt).await,
                LoginMethod::Device => device::run(http, &self.endpoints, client, &self.scopes, self.timeout, &mut prompt).await,
            }
        };
        // The timeout bounds the requests in flight too, not only the waits between them.
        let answer = tokio::time::timeout(self.timeout, flow).await.map_err(|_| LoginError::Expired)??;
        let refresh_token = answer
            .refresh_token
            .clone()
            .ok_or_else(|| LoginError::Http("the token endpoint gave no refresh token, so the login could not be kept".into()))?;
        let access = answer.access_token();
        let info = self.token_info(&self.endpoints.tokeninfo_uri, &access).await.ok();
        let scopes = granted_scopes(answer.scope.as_deref(), info.as_ref()).unwrap_or_else(|| self.scopes.clone());
        let login = StoredLogin {
            client_id: client.client_id.clone(),
            client_secret: client.client_secret.clone(),
            refresh_token,
            scopes: scopes.clone(),
            account: info.as_ref().and_then(|i| i.get("email")).and_then(Value::as_str).map(str::to_string),
            token_uri: self.endpoints.token_uri.clone(),
            revoke_uri: self.endpoints.revoke_uri.clone(),
            tokeninfo_uri: self.endpoints.tokeninfo_uri.clone(),
            saved_at: chrono::Utc::now(),
        };
        self.store.save(&login)?;
        Ok(LoginStatus {
            account: login.account,
            scopes,
            client_id: login.client_id,
            expires_in: answer.lifetime(),
            store_path: self.store.path().to_path_buf(),
        })
    }

    /// Who is logged in: refreshes an access token and asks the server about it
    /// (so a revoked login shows here as `invalid_grant`).
    pub async fn status(&self) -> Result<LoginStatus, LoginError> {
        let login = self.store.load()?.ok_or(LoginError::NotLoggedIn)?;
        let provider = StoredTokenProvider::new(self.http.0.clone(), login.clone());
        let (access, lifetime) = provider.refresh().await?;
        let info = self.token_info(&login.tokeninfo_uri, &access).await.ok();
        Ok(LoginStatus {
            account: info.as_ref().and_then(|i| i.get("email")).and_then(Value::as_str).map(str::to_string).or(login.account),
            scopes: granted_scopes(None, info.as_ref()).unwrap_or(login.scopes),
            client_id: login.client_id,
            expires_in: Some(lifetime),
            store_path: self.store.path().to_path_buf(),
        })
    }

    /// Revokes the stored refresh token (where the server offers revocation)
    /// and deletes the stored login.
    pub async fn logout(&self) -> Result<Logout, LoginError> {
        // A login readable by others is still revoked: that is what it needs most.
        let Some(login) = self.store.load_even_if_exposed()? else { return Ok(Logout { removed: false, revoked: false, revoke_error: None }) };
        let (revoked, revoke_error) = match self.http.0.post_form(&login.revoke_uri, &[("token", login.refresh_token.expose())]).await {
            Ok(_) => (true, None),
            Err(LoginError::OAuth { error, .. }) if error == "invalid_token" => (false, None),
            Err(other) => (false, Some(other.to_string())),
        };
        let removed = self.store.delete()?;
        Ok(Logout { removed, revoked, revoke_error })
    }

    /// A token provider refreshing from the stored login.
    pub fn token_provider(&self) -> Result<StoredTokenProvider, LoginError> {
        let login = self.store.load()?.ok_or(LoginError::NotLoggedIn)?;
        Ok(StoredTokenProvider::new(self.http.0.clone(), login))
    }

    /// The token to use: `explicit` (`--token`), else `PHOTOSPICKER_TOKEN`, else the stored login.
    pub fn resolve_token(&self, explicit: Option<&str>) -> Result<ResolvedToken, LoginError> {
        resolve::resolve(explicit, std::env::var(TOKEN_VAR).ok().as_deref(), || self.token_provider())
    }

    /// What the server says about an access token (POSTed: a token in a URL would reach logs).
    async fn token_info(&self, uri: &str, token: &crate::AccessToken) -> Result<Value, LoginError> {
        self.http.0.post_form(uri, &[("access_token", token.secret())]).await
    }
}

/// The scopes the server says were granted.
fn granted_scopes(from_answer: Option<&str>, info: Option<&Value>) -> Option<Vec<String>> {
    let text = info.and_then(|i| i.get("scope")).and_then(Value::as_str).or(from_answer)?;
    Some(text.split_whitespace().map(str::to_string).collect())
}
