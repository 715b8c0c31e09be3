//! The generated clients' `ClientHooks`: the one seam through which the
//! hand-written layer adds auth, retries and tracing without touching
//! generated code, and where error bodies are normalised so that the HTTP
//! status survives an HTML, empty or malformed error page.

use crate::codes::Code;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A failure the transport decided on its own (a deadline, a size cap, a
/// refused redirect, an error answer it already read …), as the hand-written
/// layer's own error type.
pub type TransportFailure = Box<dyn std::error::Error + Send + Sync>;

/// What the hand-written layer plugs into the generated clients.
pub trait Transport: Send + Sync + 'static {
    /// Sends the request (possibly several times, for retries) and returns a
    /// successful response, or the failure. A failure reaches the caller of
    /// the generated method as `Error::UnexpectedResponse`, from which
    /// [`take_transport_failure`] takes it back.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Result<reqwest::Response, TransportFailure>>;
}

/// The generated code knows only reqwest errors and responses: a transport
/// failure travels through it as a response with this status, which no
/// generated method maps to a value, carrying the failure in its extensions.
const CARRIER_STATUS: u16 = 999;

#[derive(Clone)]
struct Carried(Arc<Mutex<Option<TransportFailure>>>);

fn carrier(failure: TransportFailure) -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = http::StatusCode::from_u16(CARRIER_STATUS).expect("a three-digit status");
    response.extensions_mut().insert(Carried(Arc::new(Mutex::new(Some(failure)))));
    reqwest::Response::from(response)
}

/// The transport's failure carried by `response`, if it is such a carrier
/// (each failure can be taken once).
pub fn take_transport_failure(response: &reqwest::Response) -> Option<TransportFailure> {
    if response.status().as_u16() != CARRIER_STATUS {
        return None;
    }
    let carried = response.extensions().get::<Carried>()?;
    carried.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
}

/// The generated clients' inner value: an optional [`Transport`].
#[derive(Clone, Default)]
pub struct Hooks {
    transport: Option<Arc<dyn Transport>>,
}

impl Hooks {
    /// Hooks that hand every request to `transport`.
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        Self { transport: Some(transport) }
    }
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks").field("transport", &self.transport.is_some()).finish()
    }
}

/// progenitor adds an `api-version` header to every request; Google's API has
/// no such header, so it is not sent.
fn strip_generator_headers(request: &mut reqwest::Request) {
    request.headers_mut().remove("api-version");
}

/// How much of an error body is read; the rest is dropped unread (an error
/// page is for a human: its first bytes say all there is to say).
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Rewrites an error response into Google's JSON envelope (see
/// [`error_envelope`]), keeping the HTTP status and headers. At most
/// [`MAX_ERROR_BODY_BYTES`] of the body are read. Success responses pass
/// through untouched (and unbuffered).
pub async fn normalize_error_body(mut response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_ERROR_BODY_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY_BYTES {
            break;
        }
    }
    let content_type = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let envelope = serde_json::to_vec(&error_envelope(status.as_u16(), content_type, &body)).expect("a JSON value always encodes");
    let mut rebuilt = http::Response::builder().status(status);
    for (name, value) in &headers {
        if name != http::header::CONTENT_LENGTH && name != http::header::CONTENT_TYPE && name != http::header::CONTENT_ENCODING {
            rebuilt = rebuilt.header(name, value);
        }
    }
    rebuilt = rebuilt.header(http::header::CONTENT_TYPE, "application/json");
    Ok(rebuilt
        .body(envelope)
        .map(reqwest::Response::from)
        .expect("status and headers were taken from a valid response"))
}

/// Google's error envelope for an error answer with HTTP `status`, always
/// well-formed: `code` is the HTTP status (so it survives whatever the body
/// says), `message` and `status` are strings, `details` only objects. A
/// well-formed envelope keeps its message, status and details; a malformed
/// one keeps what is usable; any other body becomes a short excerpt.
pub fn error_envelope(status: u16, content_type: Option<&str>, body: &[u8]) -> serde_json::Value {
    let parsed = serde_json::from_slice::<serde_json::Value>(body).ok();
    let Some(error) = parsed.as_ref().and_then(|v| v.get("error")).filter(|e| e.is_object()) else {
        return synthesize_envelope(status, content_type, body);
    };
    let text = |key: &str| error.get(key).and_then(serde_json::Value::as_str).map(str::to_string);
    let well_formed = error.get("code").is_none_or(|c| c.is_u64())
        && error.get("message").is_none_or(serde_json::Value::is_string)
        && error.get("status").is_none_or(serde_json::Value::is_string)
        && error.get("details").is_none_or(|d| d.as_array().is_some_and(|d| d.iter().all(serde_json::Value::is_object)));
    let details: Vec<serde_json::Value> = error
        .get("details")
        .and_then(serde_json::Value::as_array)
        .map(|d| d.iter().filter(|d| d.is_object()).cloned().collect())
        .unwrap_or_default();
    let message = text("message").unwrap_or_else(|| {
        if well_formed { format!("HTTP {status}") } else { format!("HTTP {status} with a malformed error envelope") }
    });
    serde_json::json!({
        "error": {
            "code": status,
            "message": message,
            "status": text("status").unwrap_or_else(|| Code::from_http_status(status).name().to_string()),
            "details": details,
        }
    })
}

fn synthesize_envelope(status: u16, content_type: Option<&str>, body: &[u8]) -> serde_json::Value {
    let content_type = content_type.unwrap_or("no content type");
    let excerpt: String = String::from_utf8_lossy(body)
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(200)
        .collect();
    let message = if body.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        format!("HTTP {status} with a non-JSON body ({content_type}): {excerpt}")
    };
    serde_json::json!({
        "error": {
            "code": status,
            "message": message,
            "status": Code::from_http_status(status).name(),
            "details": [{
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "NON_JSON_ERROR_BODY",
                "domain": "photospicker.client",
                "metadata": {"contentType": content_type},
            }],
        }
    })
}

macro_rules! impl_hooks {
    ($client:ty) => {
        impl ClientHooks<Hooks> for $client {
            async fn pre<E>(&self, request: &mut reqwest::Request, _info: &OperationInfo) -> Result<(), Error<E>> {
                strip_generator_headers(request);
                Ok(())
            }

            async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                match &self.inner().transport {
                    Some(transport) => Ok(transport.execute(self.client(), request, info.operation_id).await.unwrap_or_else(carrier)),
                    None => normalize_error_body(self.client().execute(request).await?).await,
                }
            }
        }
    };
}

impl_hooks!(crate::picker::Client);
impl_hooks!(crate::library::Client);
