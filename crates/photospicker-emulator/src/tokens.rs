//! Every access token the emulator issued, whose it is and whether it has
//! expired. A user may hold several (a refresh issues a new one and the old one
//! keeps working until it expires, as with Google's OAuth server).

use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What a token presented by a client turns out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState<'a> {
    /// Never issued here (or malformed).
    Unknown,
    /// Issued to this user, but its lifetime is over.
    Expired(&'a str),
    /// Issued to this user and still valid.
    Valid(&'a str),
}

#[derive(Debug, Clone)]
struct Issued {
    user_id: String,
    expired: bool,
    /// The scopes granted to this token by an OAuth flow; `None`: the user's own.
    scopes: Option<Vec<String>>,
    /// When an OAuth-issued token stops working (on the emulator's clock).
    expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct Tokens {
    by_token: HashMap<String, Issued>,
    /// In any-token mode, the user that tokens nobody issued belong to.
    unknown_belong_to: Option<String>,
}

impl Tokens {
    pub fn contains(&self, token: &str) -> bool {
        self.by_token.contains_key(token)
    }

    pub fn issue(&mut self, token: String, user_id: &str) {
        self.by_token.insert(token, Issued { user_id: user_id.to_string(), expired: false, scopes: None, expires_at: None });
    }

    /// Issues a token an OAuth flow granted: these scopes only, until `expires_at`.
    /// Tokens whose lifetime ended long ago are forgotten here, so that a
    /// long-running emulator refreshing often does not grow without bound.
    pub fn issue_granted(&mut self, token: String, user_id: &str, scopes: Vec<String>, expires_at: DateTime<Utc>, now: DateTime<Utc>) {
        let forget_before = now - chrono::Duration::days(1);
        self.by_token.retain(|_, issued| issued.expires_at.is_none_or(|at| at > forget_before));
        self.by_token.insert(token, Issued { user_id: user_id.to_string(), expired: false, scopes: Some(scopes), expires_at: Some(expires_at) });
    }

    /// Forgets a token (a revoked token is unknown to Google's APIs).
    pub fn revoke(&mut self, token: &str) -> bool {
        self.by_token.remove(token).is_some()
    }

    /// The scopes an OAuth flow granted to this token, if it came from one.
    pub fn granted_scopes(&self, token: &str) -> Option<&[String]> {
        self.by_token.get(token)?.scopes.as_deref()
    }

    /// When an OAuth-issued token expires.
    pub fn expires_at(&self, token: &str) -> Option<DateTime<Utc>> {
        self.by_token.get(token)?.expires_at
    }

    /// From now on a token nobody issued is a valid token of `user_id`.
    pub fn accept_unknown_as(&mut self, user_id: &str) {
        self.unknown_belong_to = Some(user_id.to_string());
    }

    /// The token's state, ignoring lifetimes measured on the clock.
    pub fn state(&self, token: &str) -> TokenState<'_> {
        self.state_at(token, DateTime::<Utc>::MIN_UTC)
    }

    /// The token's state at `now`.
    pub fn state_at(&self, token: &str, now: DateTime<Utc>) -> TokenState<'_> {
        match self.by_token.get(token) {
            None => self.unknown_belong_to.as_deref().map_or(TokenState::Unknown, TokenState::Valid),
            Some(issued) if issued.expired || issued.expires_at.is_some_and(|at| now >= at) => TokenState::Expired(&issued.user_id),
            Some(issued) => TokenState::Valid(&issued.user_id),
        }
    }

    /// Ends the lifetime of every token the user holds now; returns how many.
    pub fn expire_all_of(&mut self, user_id: &str) -> usize {
        let mut count = 0;
        for issued in self.by_token.values_mut().filter(|i| i.user_id == user_id && !i.expired) {
            issued.expired = true;
            count += 1;
        }
        count
    }
}

/// A new token in the shape of Google's access tokens (`ya29.` prefix).
pub fn mint(random_hex: String) -> String {
    format!("ya29.emulator-{random_hex}")
}
