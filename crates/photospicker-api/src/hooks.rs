//! The generated clients' `ClientHooks`: the one seam through which the
//! hand-written layer adds auth, retries and tracing without touching
//! generated code, and where error bodies are normalised so that the HTTP
//! status survives an HTML or empty error page.

use crate::codes::Code;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What the hand-written layer plugs into the generated clients.
pub trait Transport: Send + Sync + 'static {
    /// Runs before each attempt is sent, e.g. to add the bearer token.
    /// An `Err` aborts the call with that message.
    fn prepare<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, Result<(), String>> {
        let _ = (request, operation_id);
        Box::pin(async { Ok(()) })
    }

    /// Sends the request (possibly several times, for retries).
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>>;
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

/// Rewrites an error response whose body is not Google's JSON envelope into
/// one, keeping the HTTP status, the headers and a short excerpt of the body.
/// Success responses pass through untouched (and unbuffered).
pub async fn normalize_error_body(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let is_envelope = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .is_some_and(|v| v.get("error").is_some_and(serde_json::Value::is_object));
    let mut rebuilt = http::Response::builder().status(status);
    for (name, value) in &headers {
        if name != http::header::CONTENT_LENGTH && (is_envelope || name != http::header::CONTENT_TYPE) {
            rebuilt = rebuilt.header(name, value);
        }
    }
    let body = if is_envelope {
        body
    } else {
        rebuilt = rebuilt.header(http::header::CONTENT_TYPE, "application/json");
        synthesize_envelope(status.as_u16(), headers.get(http::header::CONTENT_TYPE), &body).into()
    };
    Ok(rebuilt
        .body(body)
        .map(reqwest::Response::from)
        .expect("status and headers were taken from a valid response"))
}

fn synthesize_envelope(status: u16, content_type: Option<&http::HeaderValue>, body: &[u8]) -> Vec<u8> {
    let content_type = content_type.and_then(|v| v.to_str().ok()).unwrap_or("no content type");
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
    let envelope = serde_json::json!({
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
    });
    serde_json::to_vec(&envelope).expect("a JSON value always encodes")
}

macro_rules! impl_hooks {
    ($client:ty) => {
        impl ClientHooks<Hooks> for $client {
            async fn pre<E>(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), Error<E>> {
                strip_generator_headers(request);
                match &self.inner().transport {
                    Some(transport) => transport.prepare(request, info.operation_id).await.map_err(Error::Custom),
                    None => Ok(()),
                }
            }

            async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                let response = match &self.inner().transport {
                    Some(transport) => transport.execute(self.client(), request, info.operation_id).await?,
                    None => self.client().execute(request).await?,
                };
                normalize_error_body(response).await
            }
        }
    };
}

impl_hooks!(crate::picker::Client);
impl_hooks!(crate::library::Client);
