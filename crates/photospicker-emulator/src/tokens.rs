//! Every access token the emulator issued, whose it is and whether it has
//! expired. A user may hold several (a refresh issues a new one and the old one
//! keeps working until it expires, as with Google's OAuth server).

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
        self.by_token.insert(token, Issued { user_id: user_id.to_string(), expired: false });
    }

    /// From now on a token nobody issued is a valid token of `user_id`.
    pub fn accept_unknown_as(&mut self, user_id: &str) {
        self.unknown_belong_to = Some(user_id.to_string());
    }

    pub fn state(&self, token: &str) -> TokenState<'_> {
        match self.by_token.get(token) {
            None => self.unknown_belong_to.as_deref().map_or(TokenState::Unknown, TokenState::Valid),
            Some(issued) if issued.expired => TokenState::Expired(&issued.user_id),
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
