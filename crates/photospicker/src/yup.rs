//! A [`TokenProvider`] over a `yup-oauth2` authenticator (feature `yup-oauth2`):
//! service accounts, the installed-app and device flows, the metadata server.

use crate::auth::{AccessToken, TokenProvider};
use crate::error::{Error, Result};
use photospicker_api::BoxFuture;
use hyper_util::client::legacy::connect::Connect;
use std::fmt;

use crate::scopes::PICKER_SCOPE;

/// Asks a `yup-oauth2` authenticator for tokens: its cache normally, a forced
/// refresh after the service answered 401.
pub struct YupOauth2Provider<C: Connect + Clone + Send + Sync + 'static> {
    authenticator: yup_oauth2::authenticator::Authenticator<C>,
    scopes: Vec<String>,
}

impl<C: Connect + Clone + Send + Sync + 'static> YupOauth2Provider<C> {
    /// A provider asking for the Picker scope.
    pub fn new(authenticator: yup_oauth2::authenticator::Authenticator<C>) -> Self {
        Self::with_scopes(authenticator, &[PICKER_SCOPE])
    }

    /// A provider asking for these scopes (add the Library scope to use batchGet).
    pub fn with_scopes(authenticator: yup_oauth2::authenticator::Authenticator<C>, scopes: &[&str]) -> Self {
        Self { authenticator, scopes: scopes.iter().map(|s| s.to_string()).collect() }
    }
}

impl<C: Connect + Clone + Send + Sync + 'static> fmt::Debug for YupOauth2Provider<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("YupOauth2Provider").field("scopes", &self.scopes).finish_non_exhaustive()
    }
}

impl<C: Connect + Clone + Send + Sync + 'static> TokenProvider for YupOauth2Provider<C> {
    fn token(&self, refresh: bool) -> BoxFuture<'_, Result<AccessToken>> {
        Box::pin(async move {
            let token = if refresh {
                self.authenticator.force_refreshed_token(&self.scopes).await
            } else {
                self.authenticator.token(&self.scopes).await
            }
            .map_err(|e| Error::from_token_source(format!("yup-oauth2: {e}")))?;
            token.token().map(AccessToken::new).ok_or_else(|| Error::from_token_source("the yup-oauth2 authenticator gave a token without a value"))
        })
    }
}
