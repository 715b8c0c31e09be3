//! Which token a command uses: the one given explicitly (`--token`), else
//! `PHOTOSPICKER_TOKEN`, else the stored login's (refreshed as needed).

use super::{LoginError, StoredTokenProvider};
use crate::{AccessToken, BoxFuture, StaticToken, TokenProvider};
use std::fmt;

/// The variable holding an access token to use as is.
pub const TOKEN_VAR: &str = "PHOTOSPICKER_TOKEN";

/// Where the token came from (for `auth status` and error hints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// Given on the command line.
    Explicit,
    /// `PHOTOSPICKER_TOKEN`.
    Environment,
    /// The stored login.
    Stored,
}

enum Inner {
    Static(StaticToken),
    Stored(Box<StoredTokenProvider>),
}

/// A token provider chosen by [`super::Auth::resolve_token`].
pub struct ResolvedToken {
    inner: Inner,
    source: TokenSource,
}

impl ResolvedToken {
    /// Where the token comes from.
    pub fn source(&self) -> TokenSource {
        self.source
    }
}

impl fmt::Debug for ResolvedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvedToken").field("source", &self.source).finish_non_exhaustive()
    }
}

impl TokenProvider for ResolvedToken {
    fn token(&self, refresh: bool) -> BoxFuture<'_, crate::Result<AccessToken>> {
        match &self.inner {
            Inner::Static(token) => token.token(refresh),
            Inner::Stored(provider) => provider.token(refresh),
        }
    }
}

pub(crate) fn resolve(
    explicit: Option<&str>,
    environment: Option<&str>,
    stored: impl FnOnce() -> Result<StoredTokenProvider, LoginError>,
) -> Result<ResolvedToken, LoginError> {
    let given = |token: &str, source| {
        let token = token.trim();
        if token.is_empty() || token.chars().any(char::is_whitespace) {
            let name = if source == TokenSource::Explicit { "--token" } else { TOKEN_VAR };
            return Err(LoginError::Config(format!("{name} must be a single access token without spaces")));
        }
        Ok(ResolvedToken { inner: Inner::Static(StaticToken::new(token)), source })
    };
    if let Some(token) = explicit {
        return given(token, TokenSource::Explicit);
    }
    if let Some(token) = environment.filter(|t| !t.is_empty()) {
        return given(token, TokenSource::Environment);
    }
    Ok(ResolvedToken { inner: Inner::Stored(Box::new(stored()?)), source: TokenSource::Stored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_token_wins_over_the_environment_and_neither_needs_a_stored_login() {
        let resolved = resolve(Some("ya29.flag"), Some("ya29.env"), || Err(LoginError::NotLoggedIn)).unwrap();
        assert_eq!(resolved.source(), TokenSource::Explicit);
        let resolved = resolve(None, Some("ya29.env"), || Err(LoginError::NotLoggedIn)).unwrap();
        assert_eq!(resolved.source(), TokenSource::Environment);
        assert!(!format!("{resolved:?}").contains("ya29"), "{resolved:?}");
        assert!(matches!(resolve(None, Some(""), || Err(LoginError::NotLoggedIn)), Err(LoginError::NotLoggedIn)));
        assert!(matches!(resolve(Some("two words"), None, || Err(LoginError::NotLoggedIn)), Err(LoginError::Config(_))));
    }
}
