//! The client: construction, sessions, listing and batchGet.

use crate::auth::{check_endpoint, AccessToken, SharedProvider, StaticToken, TokenPolicy, TokenProvider};
use crate::error::{Error, Result};
use crate::ids::{check_id, is_request_id};
use crate::model::{PickedMediaItem, PickingSession};
use crate::retry::RetryPolicy;
use crate::body::StallPolicy;
use crate::per_process::{HttpSettings, PerProcess};
use crate::transport::{Engine, Limits};
use futures_util::stream::{self, Stream, StreamExt};
use photospicker_api::{library, picker, ClientError, ClientInfo, Hooks};

/// See [`ClientBuilder::max_concurrent_requests`].
const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 100;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// The most ids one batchGet call takes.
pub const MAX_BATCH_IDS: usize = 50;
/// The largest page the service returns.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The most pages one listing follows (a session holds at most 2,000 items,
/// and a server may send short or empty pages, but not without end).
pub const MAX_LIST_PAGES: usize = 5_000;

/// Options of `sessions.create`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateSessionOptions {
    /// The most items the user may pick (1 to 2000; the service's default is 2000).
    pub max_item_count: Option<i64>,
    /// 32 hex digits in 8-4-4-4-12 groups (a UUID, e.g. from [`new_request_id`](crate::new_request_id)) for the
    /// streamlined flow of TV and limited-input devices.
    pub request_id: Option<String>,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    /// `None`: `PHOTOSPICKER_EMULATOR_HOST` if set, else Google.
    endpoint: Option<String>,
    library_endpoint: Option<String>,
    limits: Limits,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    provider: Option<SharedProvider>,
    max_concurrent_requests: usize,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("library_endpoint", &self.library_endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.limits.attempt_timeout)
            .field("stall_timeout", &self.limits.stall.grace)
            .field("min_throughput", &self.limits.stall.min_bytes_per_sec)
            .field("max_response_bytes", &self.limits.max_response_bytes)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("retry", &self.retry)
            .field("auth", &self.provider.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            endpoint: None,
            library_endpoint: None,
            limits: Limits { attempt_timeout: Duration::from_secs(60), stall: StallPolicy::default(), max_response_bytes: 4 * 1024 * 1024 },
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("photospicker-rust/", env!("CARGO_PKG_VERSION")).into(),
            retry: RetryPolicy::default(),
            provider: None,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
        }
    }
}

impl ClientBuilder {
    /// The Picker API's base URL (default `https://photospicker.googleapis.com`,
    /// or the emulator named by `PHOTOSPICKER_EMULATOR_HOST`; see [`EMULATOR_HOST_VAR`](crate::EMULATOR_HOST_VAR)).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The Library API's base URL (default `https://photoslibrary.googleapis.com`,
    /// or the emulator named by `PHOTOSPICKER_EMULATOR_HOST`).
    pub fn library_endpoint(mut self, url: impl Into<String>) -> Self {
        self.library_endpoint = Some(url.into());
        self
    }

    /// The time one attempt may take from sending the request to receiving
    /// the response's headers (default 60 s). Bodies are not bounded by it
    /// but by stall detection ([`stall_timeout`](Self::stall_timeout)), and
    /// API bodies by [`max_response_bytes`](Self::max_response_bytes); a
    /// whole call by the retry policy's `time_limit`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.limits.attempt_timeout = timeout;
        self
    }

    /// The time limit to connect, TLS included (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The grace window of stall detection (default 20 s): a response body
    /// that brings fewer than [`min_throughput`](Self::min_throughput) bytes
    /// per second over a whole window fails as stalled (and is retried, a
    /// media download resuming where it stopped).
    pub fn stall_timeout(mut self, grace: Duration) -> Self {
        self.limits.stall.grace = grace;
        self
    }

    /// The throughput floor of stall detection in bytes per second (default
    /// 1024; 0 fails a body only when no byte at all arrives in a window).
    pub fn min_throughput(mut self, bytes_per_sec: u64) -> Self {
        self.limits.stall.min_bytes_per_sec = bytes_per_sec;
        self
    }

    /// The largest API response body read (default 4 MiB); a larger one
    /// fails with [`Error::is_response_too_large`]. Error bodies are read
    /// only up to 64 KiB; media bodies have no cap.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.limits.max_response_bytes = bytes;
        self
    }

    /// How many API requests this client has in flight at once, and how
    /// many media downloads (default 100 each, as httpx's and aiohttp's
    /// pools): more concurrent calls wait for a slot, within their deadline,
    /// so that connections (file descriptors, buffers) stay bounded however
    /// many calls are started. A download holds its slot while its body
    /// streams; API calls have their own slots, so a call made meanwhile (from
    /// a progress callback) never waits for the downloads.
    pub fn max_concurrent_requests(mut self, requests: usize) -> Self {
        self.max_concurrent_requests = requests;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How failed requests are retried ([`RetryPolicy::disabled`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A fixed access token.
    pub fn token(self, token: impl Into<AccessToken>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// A provider asked for a token before each request (and to refresh after a 401).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// Checks the settings and builds the client. Reads `PHOTOSPICKER_EMULATOR_HOST`
    /// (see [`EMULATOR_HOST_VAR`](crate::EMULATOR_HOST_VAR)).
    pub fn build(self) -> Result<Client> {
        let emulator = crate::emulator_host::from_env()?;
        let provider = match (self.provider, &emulator) {
            (Some(provider), _) => provider,
            (None, Some(_)) => Arc::new(StaticToken::new(crate::emulator_host::EMULATOR_PLACEHOLDER_TOKEN)),
            (None, None) => return Err(Error::validation("no token or token provider was given")),
        };
        let endpoint = |explicit: Option<String>, emulated: Option<reqwest::Url>, google: &str| match (explicit, emulated) {
            (Some(url), _) => check_endpoint(&url),
            (None, Some(url)) => Ok(url),
            (None, None) => check_endpoint(google),
        };
        let picker_url = endpoint(self.endpoint, emulator.as_ref().map(|e| e.picker.clone()), photospicker_api::PICKER_BASE_URL)?;
        let library_url = endpoint(self.library_endpoint, emulator.map(|e| e.library), photospicker_api::LIBRARY_BASE_URL)?;
        if self.limits.attempt_timeout.is_zero() || self.limits.stall.grace.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::validation("timeout, connect_timeout and stall_timeout must be longer than zero"));
        }
        if self.max_concurrent_requests == 0 {
            return Err(Error::validation("max_concurrent_requests must be at least 1"));
        }
        if !self.user_agent.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(Error::validation("user_agent must be printable ASCII (no control characters or line breaks)"));
        }
        let process = PerProcess::new(HttpSettings { connect_timeout: self.connect_timeout, user_agent: self.user_agent, max_concurrent_requests: self.max_concurrent_requests }, self.retry.jitter_seed)
            .map_err(Error::transport)?;
        // The generated clients only build requests with it; the engine sends them.
        let http = process.http().map_err(Error::transport)?.clone();
        let engine = Arc::new(Engine {
            process,
            provider,
            policy: TokenPolicy::new(vec![picker_url.clone(), library_url.clone()]),
            retry: self.retry,
            limits: self.limits,
            redactor: Default::default(),
        });
        let base = |url: &reqwest::Url| url.as_str().trim_end_matches('/').to_string();
        let hooks = Hooks::new(engine.clone());
        Ok(Client {
            inner: Arc::new(Inner {
                picker: picker::Client::new_with_client(&base(&picker_url), http.clone(), hooks.clone()),
                library: library::Client::new_with_client(&base(&library_url), http, hooks),
                engine,
            }),
        })
    }
}

/// A Google Photos Picker client. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    picker: picker::Client,
    pub(crate) library: library::Client,
    pub(crate) engine: Arc<Engine>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.picker.baseurl())
            .field("library_endpoint", &self.inner.library.baseurl())
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Turns the generated client's error into ours, keeping the HTTP status.
pub(crate) fn api_error<E: serde::Serialize>(error: ClientError<E>) -> Error {
    match error {
        ClientError::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let headers = header_pairs(response.headers());
            let body = serde_json::to_value(response.into_inner()).ok();
            Error::api(status, body.as_ref(), headers)
        }
        ClientError::UnexpectedResponse(response) => {
            if let Some(failure) = photospicker_api::take_transport_failure(&response) {
                return match failure.downcast::<Error>() {
                    Ok(error) => *error,
                    Err(other) => Error::decode(other),
                };
            }
            if response.status().is_success() {
                Error::decode(format!("unexpected HTTP {}", response.status()))
            } else {
                Error::api(response.status().as_u16(), None, header_pairs(response.headers()))
            }
        }
        ClientError::CommunicationError(e) | ClientError::ResponseBodyError(e) | ClientError::InvalidUpgrade(e) => Error::transport(e),
        ClientError::InvalidResponsePayload(body, e) => {
            let excerpt: String = String::from_utf8_lossy(&body).chars().take(120).collect();
            Error::decode(format!("{e} (body starts with {excerpt:?})"))
        }
        ClientError::InvalidRequest(message) => Error::validation(message),
        ClientError::Custom(message) => Error::validation(message),
    }
}

pub(crate) fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, value)| !value.is_sensitive() && *name != reqwest::header::SET_COOKIE)
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
        .collect()
}

impl Client {
    /// Runs `call` and scrubs every token this client sent from its error:
    /// a server may echo one into a body that becomes a decode error too.
    pub(crate) async fn scrubbing<T>(&self, call: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        call.await.map_err(|error| self.scrub(error))
    }

    pub(crate) fn scrub(&self, error: Error) -> Error {
        error.scrubbed(&|text| self.inner.engine.redactor.scrub(text))
    }

    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The Picker API base URL in use.
    pub fn endpoint(&self) -> &str {
        self.inner.picker.baseurl()
    }

    /// The Library API base URL in use.
    pub fn library_endpoint(&self) -> &str {
        self.inner.library.baseurl()
    }

    /// Creates a picking session; show its `picker_uri` to the user.
    pub async fn create_session(&self, options: CreateSessionOptions) -> Result<PickingSession> {
        self.scrubbing(async {
            let mut body = picker::types::PickingSession::default();
            if let Some(count) = options.max_item_count {
                if !(1..=2000).contains(&count) {
                    return Err(Error::validation(format!("max_item_count must be between 1 and 2000, not {count}")));
                }
                body.picking_config = Some(picker::types::PickingConfig { max_item_count: Some(count.into()) });
            }
            let mut request = self.inner.picker.sessions_create().body(body);
            if let Some(id) = options.request_id {
                if !is_request_id(&id) {
                    return Err(Error::validation(format!("request_id must be 32 hex digits in 8-4-4-4-12 groups (a UUID), not {:?}", id.chars().take(64).collect::<String>())));
                }
                request = request.request_id(id.as_str());
            }
            let session = request.send().await.map_err(api_error)?.into_inner();
            PickingSession::try_from(session)
        })
        .await
    }

    /// Reads a session (one poll).
    pub async fn get_session(&self, session_id: &str) -> Result<PickingSession> {
        self.scrubbing(async {
            check_id("session_id", session_id)?;
            let session = self.inner.picker.sessions_get().session_id(session_id).send().await.map_err(api_error)?.into_inner();
            let session = PickingSession::try_from(session)?;
            if session.id != session_id {
                return Err(Error::decode(format!("asked for session {session_id:?}, the service answered with session {:?}", session.id)));
            }
            Ok(session)
        })
        .await
    }

    /// Deletes a session; do it as soon as the bytes you need are fetched.
    pub async fn delete_session(&self, session_id: &str) -> Result<()> {
        self.scrubbing(async {
            check_id("session_id", session_id)?;
            self.inner.picker.sessions_delete().session_id(session_id).send().await.map_err(api_error)?;
            Ok(())
        })
        .await
    }

    /// One page of picked items and the token of the next page.
    pub async fn list_media_items_page(&self, session_id: &str, page_size: Option<u32>, page_token: Option<&str>) -> Result<(Vec<PickedMediaItem>, Option<String>)> {
        self.scrubbing(async {
            check_id("session_id", session_id)?;
            let mut request = self.inner.picker.media_items_list().session_id(session_id);
            if let Some(size) = page_size {
                request = request.page_size(photospicker_api::Int32(size.min(MAX_PAGE_SIZE) as i32));
            }
            if let Some(token) = page_token {
                request = request.page_token(token);
            }
            let page = request.send().await.map_err(api_error)?.into_inner();
            let items = page
                .media_items
                .into_iter()
                .map(|item| {
                    let mut item = PickedMediaItem::try_from(item)?;
                    item.session_id = Some(session_id.to_string());
                    Ok(item)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((items, page.next_page_token.filter(|t| !t.is_empty())))
        })
        .await
    }

    /// Every picked item, page after page, as a stream (`page_size` up to 100).
    /// A repeated page token, or more than [`MAX_LIST_PAGES`] pages, ends it
    /// with a decode error after the items already received.
    pub fn list_media_items(&self, session_id: &str, page_size: Option<u32>) -> impl Stream<Item = Result<PickedMediaItem>> + Send + 'static {
        struct Pages {
            client: Client,
            session_id: String,
            page_size: Option<u32>,
            next: Option<Option<String>>,
            seen: HashSet<String>,
        }
        let start = Pages { client: self.clone(), session_id: session_id.to_string(), page_size, next: Some(None), seen: HashSet::new() };
        stream::unfold(start, |mut pages| async move {
            let token = pages.next.take()?;
            if pages.seen.len() >= MAX_LIST_PAGES {
                // Distinct tokens forever would page forever: a session holds at
                // most 2,000 items, so this many pages is a broken server.
                let error = Error::decode(format!("the service sent more than {MAX_LIST_PAGES} pages; stopping to avoid an endless listing"));
                return Some((stream::iter(vec![Err(error)]), pages));
            }
            let page = match pages.client.list_media_items_page(&pages.session_id, pages.page_size, token.as_deref()).await {
                Ok((items, next)) => {
                    let mut page: Vec<Result<PickedMediaItem>> = items.into_iter().map(Ok).collect();
                    match next {
                        // A server that repeats a token would page forever.
                        Some(next) if !pages.seen.insert(next.clone()) => {
                            page.push(Err(Error::decode("the service repeated a page token; stopping to avoid an endless listing")));
                        }
                        next => pages.next = next.map(Some),
                    }
                    page
                }
                Err(error) => vec![Err(error)],
            };
            Some((stream::iter(page), pages))
        })
        .flatten()
        // Safe to poll again after the end (e.g. by a caller draining ready items).
        .fuse()
    }

    /// Every picked item, collected.
    pub async fn list_all_media_items(&self, session_id: &str) -> Result<Vec<PickedMediaItem>> {
        let mut items = Vec::new();
        let mut stream = std::pin::pin!(self.list_media_items(session_id, Some(MAX_PAGE_SIZE)));
        while let Some(item) = stream.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}
