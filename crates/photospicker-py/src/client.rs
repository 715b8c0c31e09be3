//! `photospicker._native.NativeClient`: the Rust client behind
//! `photospicker.Client` and `photospicker.AsyncClient`. Values cross as the
//! native model classes themselves (`PickingSession`, `PickedMediaItem` …:
//! the Rust model types); every method has a blocking form and an `_async` form.

use crate::args::{Arg, Seconds, Strings};
use crate::bridge::{awaitable, block, py_err, validation_error};
use crate::events::{DownloadProgress, PollEvent as PyPollEvent};
use crate::interpreter::{attach, off_the_workers};
use futures_util::stream::{BoxStream, StreamExt};
use photospicker::{
    AccessToken, BoxFuture, Client, CreateSessionOptions, DownloadAllOptions, DownloadEvent, DownloadOptions, Downloadable, Error,
    MediaItem, PickedMediaItem, PickingSession, PollEvent, RetryPolicy, TokenProvider, WaitOptions,
};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Calls a Python callable `provider(refresh: bool) -> str` on a blocking thread.
struct PyTokenProvider(Arc<Py<PyAny>>);

impl TokenProvider for PyTokenProvider {
    fn token(&self, refresh: bool) -> BoxFuture<'_, photospicker::Result<AccessToken>> {
        let provider = self.0.clone();
        Box::pin(async move {
            let outcome = tokio::task::spawn_blocking(move || {
                attach(|py| match provider.call1(py, (refresh,)).and_then(|t| t.extract::<String>(py)) {
                    Ok(token) if !token.is_empty() => Ok(AccessToken::new(token)),
                    Ok(_) => Err("the token provider returned an empty token".to_string()),
                    Err(error) => Err(format!("the token provider raised {}", error.get_type(py).name().map(|n| n.to_string()).unwrap_or_default())),
                })
                .unwrap_or_else(|| Err("the Python interpreter is shutting down".to_string()))
            })
            .await;
            match outcome {
                Ok(result) => result.map_err(Error::from_token_source),
                Err(join) => Err(Error::from_token_source(join)),
            }
        })
    }
}

fn seconds(py: Python<'_>, name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| validation_error(py, &format!("{name} must be a non-negative, finite number of seconds, not {value}")))
}

/// A picked item (with the session it came from) or a Library item.
enum AnyItem {
    Picked(PickedMediaItem),
    Library(MediaItem),
}

impl Downloadable for AnyItem {
    fn media(&self) -> photospicker::DownloadMedia<'_> {
        match self {
            Self::Picked(item) => item.media(),
            Self::Library(item) => item.media(),
        }
    }
}

/// A download's item: the native `PickedMediaItem` (its `session_id` lets
/// an expired `baseUrl` be refreshed) or `MediaItem` itself.
fn downloadable(item: &Bound<'_, PyAny>) -> PyResult<AnyItem> {
    if let Ok(picked) = item.cast::<PickedMediaItem>() {
        Ok(AnyItem::Picked(picked.get().clone()))
    } else if let Ok(library) = item.cast::<MediaItem>() {
        Ok(AnyItem::Library(library.get().clone()))
    } else {
        let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        Err(validation_error(item.py(), &format!("expected a PickedMediaItem or a MediaItem, not {type_name}")))
    }
}

type Callback = Option<Arc<Py<PyAny>>>;

fn call_back<A: for<'py> pyo3::call::PyCallArgs<'py>>(callback: &Callback, args: A) -> PyResult<()> {
    match callback {
        Some(callback) => off_the_workers(|| attach(|py| callback.call1(py, args).map(drop)))
            .unwrap_or_else(|| Err(PyRuntimeError::new_err("the Python interpreter is shutting down"))),
        None => Ok(()),
    }
}

/// The engine of `photospicker.Client` and `photospicker.AsyncClient`.
#[pyclass(module = "photospicker._native", frozen)]
pub struct NativeClient {
    client: Client,
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (*, token=None, token_provider=None, endpoint=None, library_endpoint=None, timeout=60.0, connect_timeout=10.0,
        stall_timeout=20.0, min_throughput=1024, max_response_bytes=4194304, max_concurrent_requests=100, user_agent=None, max_attempts=5, initial_backoff=1.0,
        max_backoff=32.0, multiplier=2.0, rate_limited_backoff=30.0, jitter=true, time_limit=None, jitter_seed=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        token: Option<String>,
        token_provider: Option<Py<PyAny>>,
        endpoint: Option<String>,
        library_endpoint: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        stall_timeout: f64,
        min_throughput: u64,
        max_response_bytes: u64,
        max_concurrent_requests: usize,
        user_agent: Option<String>,
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        multiplier: f64,
        rate_limited_backoff: f64,
        jitter: bool,
        time_limit: Option<f64>,
        jitter_seed: Option<u64>,
    ) -> PyResult<Self> {
        let mut builder = Client::builder()
            .timeout(seconds(py, "timeout", timeout)?)
            .connect_timeout(seconds(py, "connect_timeout", connect_timeout)?)
            .stall_timeout(seconds(py, "stall_timeout", stall_timeout)?)
            .min_throughput(min_throughput)
            .max_response_bytes(max_response_bytes)
            .max_concurrent_requests(max_concurrent_requests)
            .retry_policy(RetryPolicy {
                max_attempts: max_attempts.max(1),
                initial_backoff: seconds(py, "initial_backoff", initial_backoff)?,
                max_backoff: seconds(py, "max_backoff", max_backoff)?,
                multiplier: if multiplier.is_finite() && multiplier >= 1.0 {
                    multiplier
                } else {
                    return Err(validation_error(py, &format!("multiplier must be a finite number of at least 1, not {multiplier}")));
                },
                rate_limited_backoff: seconds(py, "rate_limited_backoff", rate_limited_backoff)?,
                jitter,
                time_limit: time_limit.map(|t| seconds(py, "time_limit", t)).transpose()?,
                jitter_seed,
            });
        builder = match (token, token_provider) {
            (Some(token), None) => builder.token(token),
            (None, Some(provider)) => builder.token_provider(PyTokenProvider(Arc::new(provider))),
            // The builder itself refuses this unless PHOTOSPICKER_EMULATOR_HOST is set.
            (None, None) => builder,
            _ => return Err(validation_error(py, "give exactly one of token or token_provider")),
        };
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint(endpoint);
        }
        if let Some(endpoint) = library_endpoint {
            builder = builder.library_endpoint(endpoint);
        }
        if let Some(agent) = user_agent {
            builder = builder.user_agent(agent);
        }
        Ok(Self { client: builder.build().map_err(py_err)? })
    }

    #[pyo3(signature = (max_item_count=None, request_id=None))]
    fn create_session(&self, py: Python<'_>, max_item_count: Option<Arg<i64>>, request_id: Option<Arg<String>>) -> PyResult<PickingSession> {
        block(py, create_session(self.client.clone(), max_item_count.map(|n| n.0), request_id.map(|id| id.0)))
    }

    #[pyo3(signature = (max_item_count=None, request_id=None))]
    fn create_session_async<'py>(&self, py: Python<'py>, max_item_count: Option<Arg<i64>>, request_id: Option<Arg<String>>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, create_session(self.client.clone(), max_item_count.map(|n| n.0), request_id.map(|id| id.0)))
    }

    fn get_session(&self, py: Python<'_>, session_id: Arg<String>) -> PyResult<PickingSession> {
        block(py, get_session(self.client.clone(), session_id.0))
    }

    fn get_session_async<'py>(&self, py: Python<'py>, session_id: Arg<String>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, get_session(self.client.clone(), session_id.0))
    }

    fn delete_session(&self, py: Python<'_>, session_id: Arg<String>) -> PyResult<()> {
        block(py, delete_session(self.client.clone(), session_id.0))
    }

    fn delete_session_async<'py>(&self, py: Python<'py>, session_id: Arg<String>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, delete_session(self.client.clone(), session_id.0))
    }

    #[pyo3(signature = (session_id, timeout=None, on_poll=None))]
    fn wait_until_picked(&self, py: Python<'_>, session_id: Arg<String>, timeout: Option<Seconds>, on_poll: Option<Py<PyAny>>) -> PyResult<PickingSession> {
        let options = wait_options(timeout);
        block(py, wait(self.client.clone(), session_id.0, options, on_poll.map(Arc::new)))
    }

    #[pyo3(signature = (session_id, timeout=None, on_poll=None))]
    fn wait_until_picked_async<'py>(&self, py: Python<'py>, session_id: Arg<String>, timeout: Option<Seconds>, on_poll: Option<Py<PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let options = wait_options(timeout);
        awaitable(py, wait(self.client.clone(), session_id.0, options, on_poll.map(Arc::new)))
    }

    #[pyo3(signature = (session_id, page_size=None))]
    fn list_media_items(&self, session_id: Arg<String>, page_size: Option<Arg<u32>>) -> NativeItems {
        let items = self.client.list_media_items(&session_id.0, page_size.map(|n| n.0)).boxed();
        NativeItems { listing: Arc::new(tokio::sync::Mutex::new(Listing { items: Some(items), failed: None })) }
    }

    fn batch_get_media_items(&self, py: Python<'_>, ids: Strings) -> PyResult<Vec<ItemResult>> {
        block(py, batch_get(self.client.clone(), ids.0))
    }

    fn batch_get_media_items_async<'py>(&self, py: Python<'py>, ids: Strings) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, batch_get(self.client.clone(), ids.0))
    }

    #[pyo3(signature = (item, dest, to_file, width=None, height=None, crop=false, overwrite=false))]
    #[allow(clippy::too_many_arguments)]
    fn download(&self, py: Python<'_>, item: &Bound<'_, PyAny>, dest: PathBuf, to_file: bool, width: Option<Arg<u32>>, height: Option<Arg<u32>>, crop: bool, overwrite: bool) -> PyResult<PathBuf> {
        let item = downloadable(item)?;
        block(py, download(self.client.clone(), item, dest, to_file, DownloadOptions { width: width.map(|w| w.0), height: height.map(|h| h.0), crop, overwrite }))
    }

    #[pyo3(signature = (item, dest, to_file, width=None, height=None, crop=false, overwrite=false))]
    #[allow(clippy::too_many_arguments)]
    fn download_async<'py>(&self, py: Python<'py>, item: &Bound<'_, PyAny>, dest: PathBuf, to_file: bool, width: Option<Arg<u32>>, height: Option<Arg<u32>>, crop: bool, overwrite: bool) -> PyResult<Bound<'py, PyAny>> {
        let item = downloadable(item)?;
        awaitable(py, download(self.client.clone(), item, dest, to_file, DownloadOptions { width: width.map(|w| w.0), height: height.map(|h| h.0), crop, overwrite }))
    }

    /// One outcome per item: `(path, None)` or `(None, exception)`.
    #[pyo3(signature = (items, dest_dir, concurrency=None, on_progress=None, width=None, height=None, crop=false, overwrite=false))]
    #[allow(clippy::too_many_arguments)]
    fn download_all(&self, py: Python<'_>, items: Vec<Bound<'_, PyAny>>, dest_dir: PathBuf, concurrency: Option<Arg<usize>>, on_progress: Option<Py<PyAny>>, width: Option<Arg<u32>>, height: Option<Arg<u32>>, crop: bool, overwrite: bool) -> PyResult<Vec<Outcome>> {
        let items = items.iter().map(downloadable).collect::<PyResult<Vec<_>>>()?;
        let (options, failure) = all_options(concurrency.map_or(8, |n| n.0), on_progress, DownloadOptions { width: width.map(|w| w.0), height: height.map(|h| h.0), crop, overwrite });
        block(py, download_all(self.client.clone(), items, dest_dir, options, failure))
    }

    #[pyo3(signature = (items, dest_dir, concurrency=None, on_progress=None, width=None, height=None, crop=false, overwrite=false))]
    #[allow(clippy::too_many_arguments)]
    fn download_all_async<'py>(&self, py: Python<'py>, items: Vec<Bound<'_, PyAny>>, dest_dir: PathBuf, concurrency: Option<Arg<usize>>, on_progress: Option<Py<PyAny>>, width: Option<Arg<u32>>, height: Option<Arg<u32>>, crop: bool, overwrite: bool) -> PyResult<Bound<'py, PyAny>> {
        let items = items.iter().map(downloadable).collect::<PyResult<Vec<_>>>()?;
        let (options, failure) = all_options(concurrency.map_or(8, |n| n.0), on_progress, DownloadOptions { width: width.map(|w| w.0), height: height.map(|h| h.0), crop, overwrite });
        awaitable(py, download_all(self.client.clone(), items, dest_dir, options, failure))
    }

    #[getter]
    fn endpoint(&self) -> &str {
        self.client.endpoint()
    }

    #[getter]
    fn library_endpoint(&self) -> &str {
        self.client.library_endpoint()
    }

    fn __repr__(&self) -> String {
        format!("NativeClient(endpoint={:?}, library_endpoint={:?}, token=<redacted>)", self.client.endpoint(), self.client.library_endpoint())
    }
}

fn wait_options(timeout: Option<Seconds>) -> WaitOptions {
    WaitOptions { timeout: timeout.map(|t| t.0), ..WaitOptions::default() }
}

/// The first exception a progress callback raised; it ends the batch.
#[derive(Default)]
struct CallbackFailure {
    error: std::sync::Mutex<Option<PyErr>>,
    raised: tokio::sync::Notify,
}

fn all_options(concurrency: usize, on_progress: Option<Py<PyAny>>, options: DownloadOptions) -> (DownloadAllOptions, Arc<CallbackFailure>) {
    let failure = Arc::new(CallbackFailure::default());
    let on_progress = on_progress.map(|callback| {
        let failure = failure.clone();
        Arc::new(move |event: DownloadEvent| {
            let Some(progress) = DownloadProgress::from_event(event) else { return };
            // A raising callback (KeyboardInterrupt, SystemExit, a bug) ends the
            // batch with its exception, as `on_poll` does: the downloads still
            // running are cancelled (their temporary files removed).
            off_the_workers(|| attach(|py| {
                if let Err(error) = callback.call1(py, (progress,)) {
                    let mut first = failure.error.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    if first.is_none() {
                        *first = Some(error);
                        failure.raised.notify_one();
                    }
                }
            }));
        }) as photospicker::ProgressCallback
    });
    (DownloadAllOptions { options, concurrency: concurrency.max(1), on_progress }, failure)
}

async fn create_session(client: Client, max_item_count: Option<i64>, request_id: Option<String>) -> PyResult<PickingSession> {
    client.create_session(CreateSessionOptions { max_item_count, request_id }).await.map_err(py_err)
}

async fn get_session(client: Client, session_id: String) -> PyResult<PickingSession> {
    client.get_session(&session_id).await.map_err(py_err)
}

async fn delete_session(client: Client, session_id: String) -> PyResult<()> {
    client.delete_session(&session_id).await.map_err(py_err)
}

async fn wait(client: Client, session_id: String, options: WaitOptions, on_poll: Callback) -> PyResult<PickingSession> {
    let mut poller = client.poll_session(&session_id, options);
    while let Some(event) = poller.next_event().await {
        let event = event.map_err(py_err)?;
        let picked = match &event {
            PollEvent::Picked { session, .. } => Some(session.clone()),
            _ => None,
        };
        if let Some(event) = PyPollEvent::from_event(event) {
            call_back(&on_poll, (event,))?;
        }
        if let Some(session) = picked {
            return Ok(session);
        }
    }
    Err(crate::bridge::internal("the wait ended without an outcome"))
}

/// One batchGet result: the item, the per-item status, or why the
/// answer held no result for the id (a decode error's text).
type ItemResult = (Option<MediaItem>, Option<(i32, String)>, Option<String>);

async fn batch_get(client: Client, ids: Vec<String>) -> PyResult<Vec<ItemResult>> {
    let results = client.batch_get_media_items(&ids).await.map_err(py_err)?;
    Ok(results
        .into_iter()
        .map(|result| match result {
            Ok(item) => (Some(item), None, None),
            Err(error) if error.http_status().is_some() => (None, Some((error.status().map_or(2, |c| c.number()), error.message())), None),
            Err(error) => (None, None, Some(error.to_string())),
        })
        .collect())
}

async fn download(client: Client, item: AnyItem, dest: PathBuf, to_file: bool, options: DownloadOptions) -> PyResult<PathBuf> {
    if to_file {
        client.download_to(&item, &dest, &options).await.map_err(py_err)?;
        Ok(dest)
    } else {
        client.download(&item, &dest, &options).await.map_err(py_err)
    }
}

/// A `download_all` item's outcome: its path, or the exception it failed with.
type Outcome = (Option<PathBuf>, Option<Py<PyAny>>);

async fn download_all(client: Client, items: Vec<AnyItem>, dir: PathBuf, options: DownloadAllOptions, failure: Arc<CallbackFailure>) -> PyResult<Vec<Outcome>> {
    let outcomes = tokio::select! {
        outcomes = client.download_all(&items, &dir, &options) => outcomes,
        _ = failure.raised.notified() => Vec::new(),
    };
    // Also a callback that raised on the very last event: its exception wins.
    if let Some(error) = failure.error.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
        return Err(error);
    }
    Ok(Python::attach(|py| {
        outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Ok(path) => (Some(path), None),
                Err(error) => (None, Some(py_err(error).into_value(py).into_any())),
            })
            .collect()
    }))
}

/// The auto-paginating listing: batches of items, an empty batch at the end.
#[pyclass(module = "photospicker._native", frozen)]
pub struct NativeItems {
    listing: Arc<tokio::sync::Mutex<Listing>>,
}

type Items = BoxStream<'static, photospicker::Result<PickedMediaItem>>;

/// The Rust stream, and an error that came right after items already handed out.
struct Listing {
    items: Option<Items>,
    failed: Option<Error>,
}

const BATCH: usize = 100;

fn push(batch: &mut Vec<PickedMediaItem>, item: PickedMediaItem) {
    batch.push(item);
}

/// The next items: at least one (waiting for it), plus whatever else is
/// ready. An error after some items is kept for the next call, so the items
/// a page held are never dropped (the Rust stream yields them, then the error).
async fn next_batch(listing: Arc<tokio::sync::Mutex<Listing>>) -> PyResult<Vec<PickedMediaItem>> {
    let mut guard = listing.lock().await;
    let listing = &mut *guard;
    if let Some(error) = listing.failed.take() {
        return Err(py_err(error));
    }
    let Some(stream) = listing.items.as_mut() else { return Ok(Vec::new()) };
    let mut batch = Vec::new();
    match stream.next().await {
        Some(Ok(item)) => push(&mut batch, item),
        Some(Err(error)) => {
            listing.items = None;
            return Err(py_err(error));
        }
        None => {
            listing.items = None;
            return Ok(Vec::new());
        }
    }
    while batch.len() < BATCH {
        match futures_util::FutureExt::now_or_never(stream.next()) {
            Some(Some(Ok(item))) => push(&mut batch, item),
            Some(Some(Err(error))) => {
                listing.items = None;
                listing.failed = Some(error);
                break;
            }
            Some(None) => {
                listing.items = None;
                break;
            }
            None => break,
        }
    }
    Ok(batch)
}

#[pymethods]
impl NativeItems {
    fn next_batch(&self, py: Python<'_>) -> PyResult<Vec<PickedMediaItem>> {
        block(py, next_batch(self.listing.clone()))
    }

    fn next_batch_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, next_batch(self.listing.clone()))
    }
}
