//! Google's error envelope, with canonical status names and HTTP codes taken
//! from the client's google.rpc.Code table, so both sides agree.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use photospicker_api::codes::Code;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code_name: &'static str,
    pub message: String,
    pub details: Vec<Value>,
}

impl ApiError {
    fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(code.http_status()).expect("canonical statuses are valid"),
            code_name: code.name(),
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(Code::InvalidArgument, message)
    }

    pub fn failed_precondition(message: impl Into<String>) -> Self {
        Self::new(Code::FailedPrecondition, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            Code::Unauthenticated,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        )
        .with_reason("CREDENTIALS_MISSING", &[])
    }

    pub fn permission_denied(message: impl Into<String>) -> Self {
        Self::new(Code::PermissionDenied, message)
    }

    pub fn scope_insufficient(service: &str) -> Self {
        Self::permission_denied("Request had insufficient authentication scopes.")
            .with_reason("ACCESS_TOKEN_SCOPE_INSUFFICIENT", &[("service", service)])
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Code::NotFound, message)
    }

    pub fn resource_exhausted(message: impl Into<String>) -> Self {
        Self::new(Code::ResourceExhausted, message)
    }

    /// A status chosen by fault injection; the name follows google.rpc.Code.
    pub fn injected(status: u16) -> Self {
        let mut error = Self::new(Code::from_http_status(status), format!("Injected fault: HTTP {status}."));
        error.status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        error
    }

    pub fn with_reason(mut self, reason: &str, metadata: &[(&str, &str)]) -> Self {
        let metadata: serde_json::Map<String, Value> =
            metadata.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect();
        self.details.push(json!({
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": reason,
            "domain": "googleapis.com",
            "metadata": metadata,
        }));
        self
    }

    pub fn with_retry_delay(mut self, seconds: u64) -> Self {
        self.details.push(json!({
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            "retryDelay": format!("{seconds}s"),
        }));
        self
    }

    pub fn body(&self) -> Value {
        let mut error = json!({
            "code": self.status.as_u16(),
            "message": self.message,
            "status": self.code_name,
        });
        if !self.details.is_empty() {
            error["details"] = Value::Array(self.details.clone());
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
