//! The body of a control request: JSON whatever its `Content-Type` says
//! (`curl -d '{…}'` sends a form type), and a body that is not the expected
//! JSON is refused in Google's error envelope like every other control error,
//! never as axum's plain-text rejection.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use crate::error::ApiError;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// A control request's JSON body (an empty body reads as `{}`).
pub struct ControlJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ControlJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &body };
        serde_json::from_slice(body)
            .map(ControlJson)
            .map_err(|e| ApiError::invalid_argument(format!("Invalid control request body: {e}")).into_response())
    }
}
