//! What the OAuth server remembers: device requests waiting for the user,
//! authorization codes, consents shown on the approval page, and the grants
//! behind refresh tokens. Everything expires or is capped, so a long run
//! stays flat.

use super::control::Approval;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// Google keeps at most this many refresh tokens per client and account; a new
/// one evicts the oldest.
pub const MAX_REFRESH_TOKENS_PER_CLIENT_USER: usize = 100;
/// Live device requests, authorization codes and consents, each.
/// (Every entry is small: scopes are known ones, `state` and `redirect_uri` capped.)
pub const MAX_PENDING: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Pending,
    Approved(String),
    Denied,
    /// Tokens were issued; the device code is spent.
    Spent,
}

#[derive(Debug, Clone)]
pub struct DeviceRequest {
    pub client_id: String,
    pub user_code: String,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    /// The least time between two polls; `slow_down` adds five seconds.
    pub interval: Duration,
    pub last_poll: Option<DateTime<Utc>>,
    pub decision: Decision,
}

/// What an authorization request asked for (kept for the consent page and the code).
#[derive(Debug, Clone)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    /// `(method, challenge)` when the client uses PKCE.
    pub code_challenge: Option<(String, String)>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct AuthCode {
    pub request: AuthRequest,
    pub user_id: String,
}

/// What a refresh token stands for.
#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub issued_at: DateTime<Utc>,
    /// Access tokens issued under this grant (revoked with it).
    pub access_tokens: Vec<String>,
}

#[derive(Debug, Default)]
pub struct OAuth {
    /// Set through the control API; `None`: the emulator's configuration.
    pub approval: Option<Approval>,
    pub approving_user: Option<String>,
    pub devices: HashMap<String, DeviceRequest>,
    pub codes: HashMap<String, AuthCode>,
    pub consents: HashMap<String, AuthRequest>,
    pub grants: HashMap<String, Grant>,
    /// Registered clients and their secrets.
    pub clients: HashMap<String, String>,
    pub slow_downs_to_inject: u32,
    pub slow_downs_answered: u64,
}

impl OAuth {
    /// Forgets what expired (an hour of grace, so that a late poll still hears `expired_token`).
    pub fn prune(&mut self, now: DateTime<Utc>) {
        let grace = now - Duration::hours(1);
        self.devices.retain(|_, d| d.expires_at > grace);
        self.codes.retain(|_, c| c.request.expires_at > now);
        self.consents.retain(|_, c| c.expires_at > now);
    }

    pub fn is_full(&self) -> bool {
        self.devices.len() >= MAX_PENDING || self.codes.len() >= MAX_PENDING || self.consents.len() >= MAX_PENDING
    }

    pub fn device_by_user_code(&mut self, user_code: &str) -> Option<&mut DeviceRequest> {
        let wanted = normalize_user_code(user_code);
        self.devices.values_mut().find(|d| normalize_user_code(&d.user_code) == wanted)
    }

    pub fn pending_user_codes(&self, now: DateTime<Utc>) -> Vec<String> {
        let mut codes: Vec<String> =
            self.devices.values().filter(|d| d.decision == Decision::Pending && d.expires_at > now).map(|d| d.user_code.clone()).collect();
        codes.sort();
        codes
    }

    pub fn grant(&self, refresh_token: &str) -> Option<&Grant> {
        self.grants.get(refresh_token)
    }

    /// Keeps a new grant, evicting the oldest of the same client and user past Google's cap.
    /// Returns the access tokens of evicted grants (to be revoked).
    pub fn add_grant(&mut self, refresh_token: String, grant: Grant) -> Vec<String> {
        let mut evicted = Vec::new();
        loop {
            let same: Vec<(&String, &Grant)> =
                self.grants.iter().filter(|(_, g)| g.client_id == grant.client_id && g.user_id == grant.user_id).collect();
            if same.len() < MAX_REFRESH_TOKENS_PER_CLIENT_USER {
                break;
            }
            let Some(oldest) = same.iter().min_by_key(|(_, g)| g.issued_at).map(|(t, _)| (*t).clone()) else { break };
            if let Some(gone) = self.grants.remove(&oldest) {
                evicted.extend(gone.access_tokens);
            }
        }
        self.grants.insert(refresh_token, grant);
        evicted
    }

    /// The refresh token whose grant issued this access token.
    pub fn refresh_token_of(&self, access_token: &str) -> Option<String> {
        self.grants.iter().find(|(_, g)| g.access_tokens.iter().any(|t| t == access_token)).map(|(r, _)| r.clone())
    }
}

/// User codes are typed by people: case, spaces and the dash do not matter.
pub fn normalize_user_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}
