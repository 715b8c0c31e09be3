//! `photospicker.testing.Emulator`: the Rust emulator, started in-process on
//! loopback, as a context manager.

use crate::runtime::runtime;
use photospicker_emulator::{Config, Configure, Emulator as Server, FaultKind, FaultRule, NewUser, PickRequest, Refusal};
use pyo3::exceptions::{PyLookupError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::sync::Mutex;
use std::time::Duration;

fn refusal(r: Refusal) -> PyErr {
    if r.status == 404 {
        PyLookupError::new_err(r.message)
    } else {
        PyValueError::new_err(r.message)
    }
}

fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| PyValueError::new_err(format!("{name} must be a non-negative number of seconds")))
}

fn to_python(py: Python<'_>, value: &serde_json::Value) -> PyResult<Py<PyAny>> {
    let json = py.import("json")?;
    Ok(json.call_method1("loads", (value.to_string(),))?.unbind())
}

/// A local Picker + Library API emulator for tests (see the README's control API).
#[pyclass(module = "photospicker._native", frozen)]
pub struct Emulator {
    server: Mutex<Option<Server>>,
    picker_url: String,
    library_url: String,
}

impl Emulator {
    fn with<T>(&self, f: impl FnOnce(&Server) -> T) -> PyResult<T> {
        let guard = self.server.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(f).ok_or_else(|| PyValueError::new_err("the emulator is stopped"))
    }
}

#[pymethods]
impl Emulator {
    #[new]
    #[pyo3(signature = (*, host="127.0.0.1", picker_port=0, library_port=0, poll_interval=5.0, picking_timeout=1800.0,
        session_ttl=3600.0, base_url_ttl=3600.0, max_sessions_per_user=20, library_size=40, video_ratio=0.2, video_bytes=262144,
        media_cache_bytes=268435456, request_log_size=10000, page_sizes=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        host: &str,
        picker_port: u16,
        library_port: u16,
        poll_interval: f64,
        picking_timeout: f64,
        session_ttl: f64,
        base_url_ttl: f64,
        max_sessions_per_user: usize,
        library_size: usize,
        video_ratio: f64,
        video_bytes: usize,
        media_cache_bytes: usize,
        request_log_size: usize,
        page_sizes: Option<Vec<usize>>,
    ) -> PyResult<Self> {
        let page_sizes = page_sizes.unwrap_or_default();
        photospicker_emulator::check_page_sizes(&page_sizes).map_err(PyValueError::new_err)?;
        let config = Config {
            host: host.parse().map_err(|_| PyValueError::new_err(format!("host must be an IP address, not {host:?}")))?,
            picker_port,
            library_port,
            poll_interval: seconds("poll_interval", poll_interval)?,
            picking_timeout: seconds("picking_timeout", picking_timeout)?,
            session_ttl: seconds("session_ttl", session_ttl)?,
            base_url_ttl: seconds("base_url_ttl", base_url_ttl)?,
            max_sessions_per_user,
            library_size,
            video_ratio,
            video_bytes,
            media_cache_bytes,
            default_user_token: None,
            request_log_size,
            page_sizes,
            ..Config::default()
        };
        let server = py
            .detach(|| runtime().block_on(Server::start(config)))
            .map_err(|e| PyValueError::new_err(format!("cannot listen: {e}")))?;
        Ok(Self {
            picker_url: server.picker_url().to_string(),
            library_url: server.library_url().to_string(),
            server: Mutex::new(Some(server)),
        })
    }

    /// Base URL of the Picker API (also serves media bytes and the picker page).
    #[getter]
    fn picker_url(&self) -> &str {
        &self.picker_url
    }

    /// Base URL of the Library API.
    #[getter]
    fn library_url(&self) -> &str {
        &self.library_url
    }

    /// Creates an emulated user and returns its bearer token.
    #[pyo3(signature = (*, name=None, token=None, has_photos_account=true, scopes=None, library_size=None, video_ratio=None, max_sessions=None, seed=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_user(
        &self,
        name: Option<String>,
        token: Option<String>,
        has_photos_account: bool,
        scopes: Option<Vec<String>>,
        library_size: Option<usize>,
        video_ratio: Option<f64>,
        max_sessions: Option<usize>,
        seed: Option<u64>,
    ) -> PyResult<String> {
        let options = NewUser { name, token, has_photos_account: Some(has_photos_account), scopes, library_size, video_ratio, max_sessions, seed };
        self.with(|s| s.add_user(options))?.map(|u| u.token).map_err(PyValueError::new_err)
    }

    /// Expires every token held by the user whose token `token` is: Google's
    /// APIs then answer 401 with `ACCESS_TOKEN_EXPIRED`, as when a real token's
    /// hour is over. Returns how many tokens were expired.
    fn expire_token(&self, token: &str) -> PyResult<usize> {
        let user = self.with(|s| s.user_of_token(token))?.ok_or_else(|| PyLookupError::new_err("no user has that token"))?;
        self.with(|s| s.expire_tokens(&user))?.map_err(refusal)
    }

    /// A fresh valid token for the user whose token `token` is (what an OAuth
    /// refresh returns); older tokens keep working until expired.
    fn issue_token(&self, token: &str) -> PyResult<String> {
        let user = self.with(|s| s.user_of_token(token))?.ok_or_else(|| PyLookupError::new_err("no user has that token"))?;
        self.with(|s| s.issue_token(&user))?.map_err(refusal)
    }

    /// The library of the user with `token`: a list of dicts (id, type, mimeType, …).
    fn library(&self, py: Python<'_>, token: &str) -> PyResult<Py<PyAny>> {
        let items = self.with(|s| s.library(token))?.ok_or_else(|| PyLookupError::new_err("no user has that token"))?;
        to_python(py, &serde_json::Value::Array(items))
    }

    /// Simulates the user picking: `count` items or exactly `item_ids`, now,
    /// after `after_seconds` (emulated) or after `after_polls` more polls.
    #[pyo3(signature = (session_id, count=None, item_ids=None, after_seconds=None, after_polls=None))]
    fn pick(&self, session_id: &str, count: Option<usize>, item_ids: Option<Vec<String>>, after_seconds: Option<f64>, after_polls: Option<u32>) -> PyResult<()> {
        let request = PickRequest { count, item_ids, after_seconds, after_polls };
        self.with(|s| s.pick(session_id, request))?.map_err(refusal)
    }

    /// Changes a live session's poll interval, remaining picking time (seconds)
    /// and/or the sizes of its mediaItems.list pages (used in turn; `[]` = full pages).
    #[pyo3(signature = (session_id, *, poll_interval=None, timeout=None, page_sizes=None))]
    fn configure_session(&self, session_id: &str, poll_interval: Option<f64>, timeout: Option<f64>, page_sizes: Option<Vec<usize>>) -> PyResult<()> {
        let request = Configure { poll_interval_seconds: poll_interval, timeout_seconds: timeout, page_sizes };
        self.with(|s| s.configure_session(session_id, request))?.map_err(refusal)
    }

    /// Moves the emulator's clock forward by `seconds`.
    fn advance_clock(&self, seconds: f64) -> PyResult<()> {
        let by = self::seconds("seconds", seconds)?;
        self.with(|s| s.advance_clock(by))
    }

    /// Adds a fault rule for `route` (a route name or "*"); see the README.
    #[pyo3(signature = (route="*", kind="status", *, status=None, retry_after=None, latency_ms=None, after_bytes=None, bytes_per_second=None, times=None, probability=None, skip=0))]
    #[allow(clippy::too_many_arguments)]
    fn inject_faults(
        &self,
        route: &str,
        kind: &str,
        status: Option<u16>,
        retry_after: Option<u64>,
        latency_ms: Option<u64>,
        after_bytes: Option<usize>,
        bytes_per_second: Option<u64>,
        times: Option<u32>,
        probability: Option<f64>,
        skip: u32,
    ) -> PyResult<()> {
        let kind = match kind {
            "status" => FaultKind::Status,
            "html" => FaultKind::Html,
            "latency" => FaultKind::Latency,
            "reset" => FaultKind::Reset,
            "truncate" => FaultKind::Truncate,
            "slow" => FaultKind::Slow,
            other => return Err(PyValueError::new_err(format!("unknown fault kind {other:?}"))),
        };
        let rule = FaultRule { route: route.to_string(), kind, status, retry_after, latency_ms, after_bytes, bytes_per_second, times, probability, skip };
        self.with(|s| s.inject_faults(vec![rule]))?.map_err(refusal)
    }

    /// Removes every fault rule.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(Server::clear_faults)
    }

    /// The requests served on Google's routes: dicts with method, path, route, status.
    #[pyo3(signature = (route=None))]
    fn requests<'py>(&self, py: Python<'py>, route: Option<&str>) -> PyResult<Bound<'py, PyList>> {
        let log = self.with(|s| s.requests(route))?;
        let list = PyList::empty(py);
        for entry in log {
            let item = pyo3::types::PyDict::new(py);
            item.set_item("method", entry.method)?;
            item.set_item("path", entry.path)?;
            item.set_item("route", entry.route)?;
            item.set_item("status", entry.status)?;
            list.append(item)?;
        }
        Ok(list)
    }

    /// How many requests the log dropped because it was full (since the last clear).
    fn dropped_requests(&self) -> PyResult<u64> {
        self.with(Server::dropped_requests)
    }

    /// Empties the request log.
    fn clear_requests(&self) -> PyResult<()> {
        self.with(Server::clear_requests)
    }

    /// Forgets users, sessions, faults and the log, and resets the clock.
    fn reset(&self) -> PyResult<()> {
        self.with(Server::reset)
    }

    /// Stops serving; calling it again does nothing.
    fn stop(&self, py: Python<'_>) {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(server) = server {
            py.detach(|| runtime().block_on(server.stop()));
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.stop(py);
        false
    }

    fn __repr__(&self) -> String {
        let running = self.server.lock().map(|s| s.is_some()).unwrap_or(false);
        let running = if running { "True" } else { "False" };
        format!("Emulator(picker_url='{}', library_url='{}', running={running})", self.picker_url, self.library_url)
    }
}
