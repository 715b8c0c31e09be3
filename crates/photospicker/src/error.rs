//! One error type for every failure, in the google-cloud-rust style: opaque,
//! with predicates to branch on and accessors for what the server said. The
//! HTTP status survives even an HTML or empty error page.

use photospicker_api::codes::Code;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// What went wrong; see the predicates on [`Error`].
#[derive(Debug)]
enum Kind {
    /// The service answered with an error status.
    Api(Box<ApiFailure>),
    /// The request or response did not make it across the network (or in time).
    Transport { message: String, connect: bool, timeout: bool, stalled: bool },
    /// The service answered with a redirect, which is never followed (the
    /// request carries the token); only the target's host is kept.
    Redirect { http_status: u16, host: Option<String> },
    /// A response body was larger than the configured cap.
    ResponseTooLarge { limit: u64 },
    /// The call's overall deadline (the caller's or the retry policy's) passed.
    DeadlineExceeded { after: Duration },
    /// A media answer whose content is not what the item is (an HTML page for a photo …).
    UnexpectedContent { expected: String, found: String },
    /// The service answered, but not with what the API promises.
    Decode { message: String },
    /// The user did not finish picking before `timeoutIn` or the caller's deadline.
    PickingTimeout { session_id: String },
    /// The session's `expireTime` passed.
    SessionExpired { session_id: String },
    /// The caller cancelled the wait.
    Cancelled,
    /// The call was refused before anything was sent.
    Validation(String),
    /// No access token could be had.
    Auth(String),
    /// Writing media to disk failed.
    Io { path: String, source: std::io::Error },
    /// A video that cannot be downloaded yet (or ever).
    VideoNotReady { item_id: String, processing_status: String },
}

/// What kind of failure an [`Error`] is: the one classification every
/// predicate and every binding (the Python exception classes) derives from.
///
/// Deliberately not `#[non_exhaustive]`: a new kind must break every
/// `match` on it, so that no binding silently files it under another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The service answered INVALID_ARGUMENT or OUT_OF_RANGE: it refused the request's values.
    InvalidArgument,
    /// The service answered UNAUTHENTICATED: the token is missing, invalid or expired.
    Unauthenticated,
    /// The service answered PERMISSION_DENIED: a missing scope, an expired session or `baseUrl`.
    PermissionDenied,
    /// The service answered NOT_FOUND: no such session, or not the caller's.
    NotFound,
    /// The service answered FAILED_PRECONDITION: e.g. listing before the user finished picking.
    FailedPrecondition,
    /// The service answered RESOURCE_EXHAUSTED: quota, or too many sessions.
    ResourceExhausted,
    /// The service answered UNAVAILABLE: it is down for now.
    Unavailable,
    /// The service answered INTERNAL, UNKNOWN or DATA_LOSS: it failed.
    Internal,
    /// The service answered with another status (DEADLINE_EXCEEDED, ABORTED,
    /// UNIMPLEMENTED, a name this version does not know …).
    OtherApi,
    /// The service answered with a redirect, which is never followed.
    Redirect,
    /// The request or its answer was lost on the network, timed out or stalled.
    Transport,
    /// The call's overall deadline passed.
    DeadlineExceeded,
    /// A response body was larger than the cap.
    ResponseTooLarge,
    /// A media answer was not the item's kind of content.
    UnexpectedContent,
    /// The service answered, but not with what the API promises.
    Decode,
    /// The user did not finish picking in time.
    PickingTimeout,
    /// The session's `expireTime` passed.
    SessionExpired,
    /// The caller cancelled the wait.
    Cancelled,
    /// The call was refused before anything was sent.
    Validation,
    /// No access token could be had.
    Auth,
    /// Writing media to disk failed.
    Io,
    /// A video that cannot be downloaded yet (or ever).
    VideoNotReady,
}

impl ErrorKind {
    /// The kind of an answer with this canonical status (`None`: a name this version does not know).
    pub fn of_status(code: Option<Code>) -> Self {
        match code {
            Some(Code::InvalidArgument | Code::OutOfRange) => Self::InvalidArgument,
            Some(Code::Unauthenticated) => Self::Unauthenticated,
            Some(Code::PermissionDenied) => Self::PermissionDenied,
            Some(Code::NotFound) => Self::NotFound,
            Some(Code::FailedPrecondition) => Self::FailedPrecondition,
            Some(Code::ResourceExhausted) => Self::ResourceExhausted,
            Some(Code::Unavailable) => Self::Unavailable,
            Some(Code::Internal | Code::Unknown | Code::DataLoss) => Self::Internal,
            _ => Self::OtherApi,
        }
    }

    /// Whether the service answered (with an error status).
    pub fn is_api(self) -> bool {
        matches!(
            self,
            Self::InvalidArgument
                | Self::Unauthenticated
                | Self::PermissionDenied
                | Self::NotFound
                | Self::FailedPrecondition
                | Self::ResourceExhausted
                | Self::Unavailable
                | Self::Internal
                | Self::OtherApi
        )
    }
}

#[derive(Debug)]
struct ApiFailure {
    http_status: u16,
    status: Option<String>,
    message: String,
    details: Vec<Value>,
    headers: Vec<(String, String)>,
}

/// The error of every fallible call in this crate.
///
/// ```no_run
/// # async fn run(client: photospicker::Client, id: &str) -> photospicker::Result<()> {
/// match client.get_session(id).await {
///     Ok(session) => println!("picked: {}", session.media_items_set),
///     Err(e) if e.is_not_found() => println!("no such session (or not yours)"),
///     Err(e) if e.is_retryable() => println!("try later (HTTP {:?}, wait {:?})", e.http_status(), e.retry_delay()),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
pub struct Error {
    kind: Kind,
}

/// The result of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

const MAX_MESSAGE: usize = 500;

fn clip(text: &str) -> String {
    let text = crate::redact::scrub_token_patterns(text);
    let clean: String = text.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect();
    match clean.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
    }
}

impl Error {
    pub(crate) fn api(http_status: u16, envelope: Option<&Value>, headers: Vec<(String, String)>) -> Self {
        let error = envelope.and_then(|e| e.get("error"));
        let text = |key: &str| error.and_then(|e| e.get(key)).and_then(Value::as_str).map(str::to_string);
        let status = text("status").or_else(|| Some(Code::from_http_status(http_status).name().to_string()));
        let details = error.and_then(|e| e.get("details")).and_then(Value::as_array).cloned().unwrap_or_default();
        let message = clip(&text("message").unwrap_or_else(|| format!("HTTP {http_status}")));
        Self { kind: Kind::Api(Box::new(ApiFailure { http_status, status, message, details, headers })) }
    }

    /// The error a `google.rpc.Status` stands for (e.g. one item's status in a
    /// batchGet answer), with the HTTP status its code maps to; an unknown
    /// number is UNKNOWN.
    pub fn from_rpc_status(code: i32, message: &str) -> Self {
        let code = Code::from_number(code).unwrap_or(Code::Unknown);
        let envelope = serde_json::json!({"error": {"code": code.http_status(), "message": message, "status": code.name()}});
        Self::api(code.http_status(), Some(&envelope), Vec::new())
    }

    pub(crate) fn transport(error: reqwest::Error) -> Self {
        let (connect, timeout) = (error.is_connect(), error.is_timeout());
        // reqwest's Display includes the URL, which for media is a capability: leave it out.
        let error = error.without_url();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message = format!("{message}: {cause}");
            source = cause.source();
        }
        Self::from_kind(Kind::Transport { message: clip(&message), connect, timeout, stalled: false })
    }

    /// A body that did not arrive whole (cut short, or resumed wrongly): retryable.
    pub(crate) fn interrupted(message: impl fmt::Display) -> Self {
        Self::from_kind(Kind::Transport { message: clip(&message.to_string()), connect: false, timeout: false, stalled: false })
    }

    /// No response headers within the per-attempt timeout.
    pub(crate) fn first_byte_timeout(limit: Duration) -> Self {
        let message = format!("no response within {:.1} s", limit.as_secs_f64());
        Self::from_kind(Kind::Transport { message, connect: false, timeout: true, stalled: false })
    }

    /// A body whose bytes stopped flowing (below the throughput floor for the grace window).
    pub(crate) fn stalled(received: u64, min_bytes_per_sec: u64, grace: Duration) -> Self {
        let message = format!(
            "the response body stalled after {received} bytes: less than {min_bytes_per_sec} bytes/s for {:.1} s",
            grace.as_secs_f64()
        );
        Self::from_kind(Kind::Transport { message, connect: false, timeout: true, stalled: true })
    }

    /// A success answer whose JSON body ends before the document does: the
    /// body was cut (a proxy, a dropped connection with a shortened length),
    /// so it is a transport failure, retried like one.
    pub(crate) fn body_ended_early(received: usize) -> Self {
        let message = format!("the response body ended early: {received} bytes of JSON that stops mid-document");
        Self::from_kind(Kind::Transport { message, connect: false, timeout: false, stalled: false })
    }

    pub(crate) fn redirect(http_status: u16, host: Option<String>) -> Self {
        Self::from_kind(Kind::Redirect { http_status, host: host.map(|h| clip(&h)) })
    }

    pub(crate) fn response_too_large(limit: u64) -> Self {
        Self::from_kind(Kind::ResponseTooLarge { limit })
    }

    pub(crate) fn deadline_exceeded(after: Duration) -> Self {
        Self::from_kind(Kind::DeadlineExceeded { after })
    }

    pub(crate) fn unexpected_content(expected: &str, found: impl fmt::Display) -> Self {
        Self::from_kind(Kind::UnexpectedContent { expected: clip(expected), found: clip(&found.to_string()) })
    }

    /// The same error with `scrub` applied to every text it keeps from the
    /// answer (message, details, headers), so that no secret survives in it.
    pub(crate) fn scrubbed(mut self, scrub: &dyn Fn(&str) -> String) -> Self {
        fn scrub_json(value: &mut Value, scrub: &dyn Fn(&str) -> String) {
            match value {
                Value::String(text) => *text = scrub(text),
                Value::Array(items) => items.iter_mut().for_each(|v| scrub_json(v, scrub)),
                Value::Object(map) => {
                    // Keys too: a server may echo a token as a metadata key.
                    let entries = std::mem::take(map);
                    for (key, mut value) in entries {
                        scrub_json(&mut value, scrub);
                        map.insert(scrub(&key), value);
                    }
                }
                _ => {}
            }
        }
        match &mut self.kind {
            Kind::Api(failure) => {
                failure.message = scrub(&failure.message);
                failure.status = failure.status.as_deref().map(scrub);
                failure.details.iter_mut().for_each(|d| scrub_json(d, scrub));
                failure.headers.iter_mut().for_each(|(_, v)| *v = scrub(v));
            }
            Kind::Transport { message, .. } | Kind::Decode { message } | Kind::Validation(message) | Kind::Auth(message) => *message = scrub(message),
            Kind::Redirect { host, .. } => *host = host.as_deref().map(scrub),
            Kind::UnexpectedContent { found, .. } => *found = scrub(found),
            _ => {}
        }
        self
    }

    pub(crate) fn decode(message: impl fmt::Display) -> Self {
        Self::from_kind(Kind::Decode { message: clip(&message.to_string()) })
    }

    pub(crate) fn picking_timeout(session_id: &str) -> Self {
        Self::from_kind(Kind::PickingTimeout { session_id: session_id.to_string() })
    }

    pub(crate) fn session_expired(session_id: &str) -> Self {
        Self::from_kind(Kind::SessionExpired { session_id: session_id.to_string() })
    }

    pub(crate) fn cancelled() -> Self {
        Self::from_kind(Kind::Cancelled)
    }

    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Validation(message.into()))
    }

    pub(crate) fn auth(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Auth(clip(&message.into())))
    }

    /// The error a [`TokenProvider`](crate::TokenProvider) returns when it
    /// cannot produce a token (never put the token itself in `message`).
    pub fn from_token_source(message: impl fmt::Display) -> Self {
        Self::auth(message.to_string())
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::from_kind(Kind::Io { path: path.display().to_string(), source })
    }

    pub(crate) fn video_not_ready(item_id: &str, processing_status: &str) -> Self {
        Self::from_kind(Kind::VideoNotReady { item_id: item_id.to_string(), processing_status: processing_status.to_string() })
    }

    fn from_kind(kind: Kind) -> Self {
        Self { kind }
    }

    fn failure(&self) -> Option<&ApiFailure> {
        match &self.kind {
            Kind::Api(failure) => Some(failure),
            _ => None,
        }
    }

    /// The HTTP status of the error response (or of a refused redirect), if the service answered.
    pub fn http_status(&self) -> Option<u16> {
        match &self.kind {
            Kind::Redirect { http_status, .. } => Some(*http_status),
            _ => self.failure().map(|f| f.http_status),
        }
    }

    /// The canonical Google status (`NOT_FOUND` …), from the body or else the HTTP status.
    pub fn status(&self) -> Option<Code> {
        self.status_name().and_then(Code::from_name)
    }

    /// The Google status name as sent, even one this version does not know.
    pub fn status_name(&self) -> Option<&str> {
        self.failure().and_then(|f| f.status.as_deref())
    }

    /// The human-readable message (the service's, or this crate's).
    pub fn message(&self) -> String {
        match &self.kind {
            Kind::Api(f) => f.message.clone(),
            _ => self.to_string(),
        }
    }

    /// The error details as sent (`ErrorInfo`, `RetryInfo`, `Help` …).
    pub fn details(&self) -> &[Value] {
        self.failure().map_or(&[], |f| &f.details)
    }

    /// The `ErrorInfo` reason, e.g. `ACCESS_TOKEN_SCOPE_INSUFFICIENT`.
    pub fn reason(&self) -> Option<&str> {
        self.details().iter().find(|d| type_is(d, "ErrorInfo")).and_then(|d| d.get("reason")).and_then(Value::as_str)
    }

    /// How long the service asked to wait (`RetryInfo.retryDelay`, else `Retry-After`).
    pub fn retry_delay(&self) -> Option<Duration> {
        requested_delay(self.details(), self.header("retry-after"))
    }

    /// A response header of the error (names are case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.failure()?.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The response headers of the error, if the service answered.
    pub fn headers(&self) -> &[(String, String)] {
        self.failure().map_or(&[], |f| &f.headers)
    }

    /// What kind of failure this is (every `is_*` predicate reads it).
    pub fn kind(&self) -> ErrorKind {
        match &self.kind {
            Kind::Api(_) => ErrorKind::of_status(self.status()),
            Kind::Transport { .. } => ErrorKind::Transport,
            Kind::Redirect { .. } => ErrorKind::Redirect,
            Kind::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Kind::DeadlineExceeded { .. } => ErrorKind::DeadlineExceeded,
            Kind::UnexpectedContent { .. } => ErrorKind::UnexpectedContent,
            Kind::Decode { .. } => ErrorKind::Decode,
            Kind::PickingTimeout { .. } => ErrorKind::PickingTimeout,
            Kind::SessionExpired { .. } => ErrorKind::SessionExpired,
            Kind::Cancelled => ErrorKind::Cancelled,
            Kind::Validation(_) => ErrorKind::Validation,
            Kind::Auth(_) => ErrorKind::Auth,
            Kind::Io { .. } => ErrorKind::Io,
            Kind::VideoNotReady { .. } => ErrorKind::VideoNotReady,
        }
    }

    fn is(&self, kind: ErrorKind) -> bool {
        self.kind() == kind
    }

    /// NOT_FOUND: no such session, or not the caller's.
    pub fn is_not_found(&self) -> bool {
        self.is(ErrorKind::NotFound)
    }

    /// PERMISSION_DENIED: an expired session, a missing scope, an expired `baseUrl`.
    pub fn is_permission_denied(&self) -> bool {
        self.is(ErrorKind::PermissionDenied)
    }

    /// FAILED_PRECONDITION: e.g. listing before the user finished picking.
    pub fn is_failed_precondition(&self) -> bool {
        self.is(ErrorKind::FailedPrecondition)
    }

    /// RESOURCE_EXHAUSTED: quota, or too many sessions for this user.
    pub fn is_resource_exhausted(&self) -> bool {
        self.is(ErrorKind::ResourceExhausted)
    }

    /// UNAUTHENTICATED: the token is missing, invalid or expired.
    pub fn is_unauthenticated(&self) -> bool {
        self.is(ErrorKind::Unauthenticated)
    }

    /// INVALID_ARGUMENT or OUT_OF_RANGE: the service refused the request's values.
    pub fn is_invalid_argument(&self) -> bool {
        self.is(ErrorKind::InvalidArgument)
    }

    /// UNAVAILABLE: the service is down for now; retry later.
    pub fn is_unavailable(&self) -> bool {
        self.is(ErrorKind::Unavailable)
    }

    /// INTERNAL, UNKNOWN or DATA_LOSS: the service failed.
    pub fn is_internal(&self) -> bool {
        self.is(ErrorKind::Internal)
    }

    /// Whether trying again later may succeed (429, 5xx, network failures and timeouts).
    pub fn is_retryable(&self) -> bool {
        match &self.kind {
            Kind::Api(f) => crate::retry::is_retryable_status(f.http_status),
            Kind::Transport { .. } => true,
            _ => false,
        }
    }

    /// A picking timeout, a network timeout or stall, or a passed deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, Kind::PickingTimeout { .. } | Kind::Transport { timeout: true, .. } | Kind::DeadlineExceeded { .. })
    }

    /// A response body stopped flowing (see `ClientBuilder::stall_timeout`).
    pub fn is_stalled(&self) -> bool {
        matches!(self.kind, Kind::Transport { stalled: true, .. })
    }

    /// The call's overall deadline passed (the caller's, or the retry policy's `time_limit`).
    pub fn is_deadline_exceeded(&self) -> bool {
        matches!(self.kind, Kind::DeadlineExceeded { .. })
    }

    /// The service answered with a redirect, which the client refused to follow.
    pub fn is_redirect(&self) -> bool {
        matches!(self.kind, Kind::Redirect { .. })
    }

    /// The host a refused redirect pointed to (never the full URL, which may carry secrets).
    pub fn redirect_host(&self) -> Option<&str> {
        match &self.kind {
            Kind::Redirect { host, .. } => host.as_deref(),
            _ => None,
        }
    }

    /// A response body was larger than the cap (see `ClientBuilder::max_response_bytes`).
    pub fn is_response_too_large(&self) -> bool {
        matches!(self.kind, Kind::ResponseTooLarge { .. })
    }

    /// A media answer was not the item's kind of content (e.g. an HTML page for a photo).
    pub fn is_unexpected_content(&self) -> bool {
        matches!(self.kind, Kind::UnexpectedContent { .. })
    }

    /// The user did not finish picking in time.
    pub fn is_picking_timeout(&self) -> bool {
        matches!(self.kind, Kind::PickingTimeout { .. })
    }

    /// The session expired while waiting.
    pub fn is_session_expired(&self) -> bool {
        matches!(self.kind, Kind::SessionExpired { .. })
    }

    /// The wait was cancelled by the caller.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.kind, Kind::Cancelled)
    }

    /// The call was refused before anything was sent.
    pub fn is_validation(&self) -> bool {
        matches!(self.kind, Kind::Validation(_))
    }

    /// The request or response was lost on the network.
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, Kind::Transport { .. })
    }

    /// A connection could not be made (so the request never reached the service).
    pub fn is_connect(&self) -> bool {
        matches!(self.kind, Kind::Transport { connect: true, .. })
    }

    /// The service's answer could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self.kind, Kind::Decode { .. })
    }

    /// No access token could be obtained.
    pub fn is_auth(&self) -> bool {
        matches!(self.kind, Kind::Auth(_))
    }

    /// Writing to disk failed.
    pub fn is_io(&self) -> bool {
        matches!(self.kind, Kind::Io { .. })
    }

    /// A video whose processing status is not `READY` cannot be downloaded.
    pub fn is_video_not_ready(&self) -> bool {
        matches!(self.kind, Kind::VideoNotReady { .. })
    }

    /// The session id of a picking timeout or an expired session.
    pub fn session_id(&self) -> Option<&str> {
        match &self.kind {
            Kind::PickingTimeout { session_id } | Kind::SessionExpired { session_id } => Some(session_id),
            _ => None,
        }
    }
}

/// The wait a failed response asks for: `RetryInfo.retryDelay` among the
/// error details, else `Retry-After` in seconds (the form Google sends) or as
/// an HTTP date. Negative or unreadable values ask for nothing.
pub(crate) fn requested_delay(details: &[Value], retry_after: Option<&str>) -> Option<Duration> {
    let from_details = details
        .iter()
        .find(|d| type_is(d, "RetryInfo"))
        .and_then(|d| d.get("retryDelay"))
        .and_then(Value::as_str)
        .and_then(parse_retry_delay);
    from_details.or_else(|| retry_after.and_then(parse_retry_after))
}

/// A `retryDelay` duration; one beyond what a duration holds ("1e308s",
/// twenty digits) asks for forever, like an oversized `Retry-After`.
fn parse_retry_delay(text: &str) -> Option<Duration> {
    if let Ok(delay) = text.parse::<photospicker_api::GoogleDuration>() {
        return delay.to_std();
    }
    let number = text.trim().strip_suffix('s')?;
    let huge = number.parse::<f64>().is_ok_and(|n| n.is_finite() && n > 0.0 || n == f64::INFINITY);
    huge.then_some(Duration::MAX)
}

fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() {
        // More seconds than a u64 holds: as good as forever.
        return Some(Duration::MAX);
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((date.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or_default())
}

fn type_is(detail: &Value, name: &str) -> bool {
    detail.get("@type").and_then(Value::as_str).is_some_and(|t| t.rsplit('.').next() == Some(name))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Api(failure) => {
                write!(f, "HTTP {}", failure.http_status)?;
                if let Some(status) = &failure.status {
                    write!(f, " {status}")?;
                }
                write!(f, ": {}", failure.message)?;
                if let Some(reason) = self.reason() {
                    write!(f, " ({reason})")?;
                }
                Ok(())
            }
            Kind::Transport { message, .. } => write!(f, "network error: {message}"),
            Kind::Redirect { http_status, host } => write!(
                f,
                "HTTP {http_status}: the service answered with a redirect to {}, which is refused (a request carrying the access token is never redirected)",
                host.as_deref().unwrap_or("an unreadable location")
            ),
            Kind::ResponseTooLarge { limit } => write!(f, "the response body is larger than the limit of {limit} bytes"),
            Kind::DeadlineExceeded { after } => write!(f, "the call did not finish within its deadline ({:.1} s)", after.as_secs_f64()),
            Kind::UnexpectedContent { expected, found } => {
                write!(f, "the media answer is not {expected}: {found}; nothing was kept")
            }
            Kind::Decode { message } => write!(f, "unexpected response from the service: {message}"),
            Kind::PickingTimeout { session_id } => {
                write!(f, "the user did not finish picking in time (session {session_id}); delete it and offer a new one")
            }
            Kind::SessionExpired { session_id } => write!(f, "session {session_id} expired; create a new one"),
            Kind::Cancelled => f.write_str("the wait was cancelled"),
            Kind::Validation(message) => write!(f, "invalid request: {message}"),
            Kind::Auth(message) => write!(f, "no access token: {message}"),
            Kind::Io { path, source } => write!(f, "cannot write {path}: {source}"),
            Kind::VideoNotReady { item_id, processing_status } => {
                write!(f, "video {item_id} cannot be downloaded: its processing status is {processing_status}, not READY")
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Api(failure) => f
                .debug_struct("Error::Api")
                .field("http_status", &failure.http_status)
                .field("status", &failure.status)
                .field("message", &failure.message)
                .field("details", &failure.details)
                .finish(),
            other => write!(f, "Error::{other:?}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_CODE: [Code; 17] = [
        Code::Ok,
        Code::Cancelled,
        Code::Unknown,
        Code::InvalidArgument,
        Code::DeadlineExceeded,
        Code::NotFound,
        Code::AlreadyExists,
        Code::PermissionDenied,
        Code::ResourceExhausted,
        Code::FailedPrecondition,
        Code::Aborted,
        Code::OutOfRange,
        Code::Unimplemented,
        Code::Internal,
        Code::Unavailable,
        Code::DataLoss,
        Code::Unauthenticated,
    ];

    #[test]
    fn a_per_item_status_gets_its_codes_name_http_status_and_kind() {
        for code in EVERY_CODE {
            let error = Error::from_rpc_status(code.number(), "m");
            assert_eq!(error.status(), Some(code));
            assert_eq!(error.http_status(), Some(code.http_status()));
            assert_eq!(error.kind(), ErrorKind::of_status(Some(code)));
            assert!(error.kind().is_api());
        }
        assert_eq!(Error::from_rpc_status(999, "m").status(), Some(Code::Unknown));
    }

    #[test]
    fn a_server_deadline_exceeded_is_a_retryable_504_but_not_unavailable() {
        let error = Error::from_rpc_status(Code::DeadlineExceeded.number(), "slow backend");
        assert_eq!(error.http_status(), Some(504));
        assert_eq!(error.kind(), ErrorKind::OtherApi);
        assert!(error.is_retryable() && !error.is_unavailable() && !error.is_deadline_exceeded());
    }

    #[test]
    fn out_of_range_is_an_invalid_argument_and_data_loss_an_internal_error() {
        assert!(Error::from_rpc_status(Code::OutOfRange.number(), "m").is_invalid_argument());
        assert!(Error::from_rpc_status(Code::DataLoss.number(), "m").is_internal());
        assert!(Error::from_rpc_status(Code::Unknown.number(), "m").is_internal());
    }

    #[test]
    fn each_predicate_agrees_with_the_kind() {
        for code in EVERY_CODE {
            let error = Error::from_rpc_status(code.number(), "m");
            let kind = error.kind();
            assert_eq!(error.is_not_found(), kind == ErrorKind::NotFound);
            assert_eq!(error.is_unavailable(), kind == ErrorKind::Unavailable);
            assert_eq!(error.is_internal(), kind == ErrorKind::Internal);
            assert_eq!(error.is_invalid_argument(), kind == ErrorKind::InvalidArgument);
        }
        assert_eq!(Error::validation("x").kind(), ErrorKind::Validation);
        assert_eq!(Error::deadline_exceeded(Duration::from_secs(1)).kind(), ErrorKind::DeadlineExceeded);
        assert!(!ErrorKind::DeadlineExceeded.is_api());
    }

    #[test]
    fn an_unknown_status_name_is_another_api_error() {
        let envelope = serde_json::json!({"error": {"code": 500, "message": "m", "status": "BRAND_NEW"}});
        let error = Error::api(500, Some(&envelope), Vec::new());
        assert_eq!((error.kind(), error.status_name()), (ErrorKind::OtherApi, Some("BRAND_NEW")));
    }
}
