//! Google's error envelope. Status names, numbers and HTTP statuses come from
//! `photospicker_api::codes` (google.rpc.Code), the table the clients read too.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use photospicker_api::codes::Code;
use serde_json::{json, Value};

/// What a 401 tells the client in `WWW-Authenticate` (RFC 6750 §3).
const REALM: &str = r#"Bearer realm="https://accounts.google.com/""#;
const REALM_INVALID_TOKEN: &str = r#"Bearer realm="https://accounts.google.com/", error="invalid_token""#;

const MISSING_CREDENTIAL: &str = "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";
const INVALID_CREDENTIAL: &str = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: Code,
    /// The HTTP status; the code's own unless a fault chose another.
    pub status: StatusCode,
    pub message: String,
    pub details: Vec<Value>,
    www_authenticate: Option<&'static str>,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            status: StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: message.into(),
            details: Vec::new(),
            www_authenticate: None,
        }
    }

    /// The same envelope under another HTTP status (as Google's front end sends for 413, 408 …).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(Code::InvalidArgument, message)
    }

    /// INVALID_ARGUMENT with the `google.rpc.BadRequest` detail Google adds to
    /// request-binding errors (unknown fields and parameters).
    pub fn bad_request(description: impl Into<String>) -> Self {
        let description = description.into();
        let mut error = Self::invalid_argument(description.clone());
        error.details.push(json!({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"description": description}],
        }));
        error
    }

    pub fn failed_precondition(message: impl Into<String>) -> Self {
        Self::new(Code::FailedPrecondition, message)
    }

    /// No credential at all: no `Authorization` header and no `access_token`.
    pub fn credentials_missing(service: &str) -> Self {
        let mut error = Self::new(Code::Unauthenticated, MISSING_CREDENTIAL).with_reason("CREDENTIALS_MISSING", &[("service", service)]);
        error.www_authenticate = Some(REALM);
        error
    }

    /// A credential that is not a token Google issued (unknown, malformed, revoked).
    pub fn invalid_token(service: &str) -> Self {
        let mut error = Self::new(Code::Unauthenticated, INVALID_CREDENTIAL).with_reason("ACCESS_TOKEN_TYPE_UNSUPPORTED", &[("service", service)]);
        error.www_authenticate = Some(REALM_INVALID_TOKEN);
        error
    }

    /// A token Google issued whose lifetime is over: the client should refresh it.
    pub fn expired_token(service: &str) -> Self {
        let mut error = Self::new(Code::Unauthenticated, INVALID_CREDENTIAL).with_reason("ACCESS_TOKEN_EXPIRED", &[("service", service)]);
        error.www_authenticate = Some(REALM_INVALID_TOKEN);
        error
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
        if status == 401 {
            error.www_authenticate = Some(REALM_INVALID_TOKEN);
        }
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
            "status": self.code.name(),
        });
        if !self.details.is_empty() {
            error["details"] = Value::Array(self.details.clone());
        }
        json!({ "error": error })
    }
}

/// Adds the `errors` list of Google's legacy error format (`$.xgafv=1`):
/// one entry with the message, the `global` domain and the legacy reason.
pub fn add_legacy_errors(body: &mut Value) {
    let Some(error) = body.get_mut("error").and_then(Value::as_object_mut) else { return };
    let code = error.get("status").and_then(Value::as_str).and_then(Code::from_name);
    let reason = match code {
        Some(Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange) => "badRequest",
        Some(Code::Unauthenticated) => "authError",
        Some(Code::PermissionDenied) => "forbidden",
        Some(Code::NotFound) => "notFound",
        Some(Code::ResourceExhausted) => "rateLimitExceeded",
        Some(Code::Aborted | Code::AlreadyExists) => "conflict",
        Some(Code::Unimplemented) => "notImplemented",
        Some(Code::DeadlineExceeded) => "deadlineExceeded",
        _ => "backendError",
    };
    let message = error.get("message").cloned().unwrap_or_default();
    error.insert("errors".into(), json!([{ "message": message, "domain": "global", "reason": reason }]));
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(challenge) = self.www_authenticate {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
