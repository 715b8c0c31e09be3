//! How native calls meet Python: errors become `photospicker.errors`
//! exceptions, blocking calls release the GIL and stay interruptible by
//! Ctrl-C, and async calls become asyncio awaitables on the shared runtime.

use crate::runtime::runtime;
use photospicker::Error;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::future::Future;
use std::time::Duration;

/// How often a blocked call looks for a pending signal (KeyboardInterrupt).
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

fn kind(error: &Error) -> &'static str {
    if error.is_redirect() {
        "redirect"
    } else if error.http_status().is_some() {
        "api"
    } else if error.is_picking_timeout() {
        "picking_timeout"
    } else if error.is_session_expired() {
        "session_expired"
    } else if error.is_cancelled() {
        "cancelled"
    } else if error.is_validation() {
        "validation"
    } else if error.is_auth() {
        "auth"
    } else if error.is_io() {
        "io"
    } else if error.is_video_not_ready() {
        "video_not_ready"
    } else if error.is_deadline_exceeded() {
        "deadline"
    } else if error.is_response_too_large() {
        "too_large"
    } else if error.is_unexpected_content() {
        "unexpected_content"
    } else if error.is_transport() {
        "transport"
    } else {
        "decode"
    }
}

/// The `photospicker.errors` exception for `error`.
pub fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let fields = PyDict::new(py);
        fields.set_item("kind", kind(error))?;
        fields.set_item("message", error.message())?;
        fields.set_item("text", error.to_string())?;
        fields.set_item("http_status", error.http_status())?;
        fields.set_item("status", error.status_name())?;
        fields.set_item("details", serde_json::to_string(error.details()).unwrap_or_else(|_| "[]".into()))?;
        fields.set_item("reason", error.reason())?;
        fields.set_item("session_id", error.session_id())?;
        fields.set_item("retryable", error.is_retryable())?;
        fields.set_item("retry_delay", error.retry_delay().map(|d| d.as_secs_f64()))?;
        fields.set_item("headers", error.headers().to_vec())?;
        fields.set_item("redirect_host", error.redirect_host())?;
        fields.set_item("stalled", error.is_stalled())?;
        let exception = py.import("photospicker.errors")?.call_method1("_from_native", (fields,))?;
        Ok(PyErr::from_value(exception))
    };
    build().unwrap_or_else(|failure| failure)
}

/// Converts a client error on whichever thread holds the result.
pub fn py_err(error: Error) -> PyErr {
    Python::attach(|py| to_pyerr(py, &error))
}

pub fn internal(what: impl std::fmt::Display) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let class = py.import("photospicker.errors")?.getattr("PhotosPickerError")?;
            Ok(PyErr::from_value(class.call1((format!("internal error in photospicker: {what}"),))?))
        };
        build().unwrap_or_else(|e| e)
    })
}

/// Runs `future` on the shared runtime with the GIL released; a pending
/// signal (Ctrl-C) aborts it within [`SIGNAL_CHECK`] and is raised, after the
/// aborted task has run its cleanup (e.g. removing a temporary file).
pub fn block<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = PyResult<T>> + Send + 'static,
{
    let mut task = runtime().spawn(future);
    loop {
        let waited = py.detach(|| runtime().block_on(async { tokio::time::timeout(SIGNAL_CHECK, &mut task).await }));
        match waited {
            Ok(Ok(result)) => return result,
            Ok(Err(join)) => return Err(internal(join)),
            Err(_still_running) => {
                if let Err(signal) = py.check_signals() {
                    task.abort();
                    let _ = py.detach(|| runtime().block_on(&mut task));
                    return Err(signal);
                }
            }
        }
    }
}

/// An asyncio awaitable running `future` on the shared runtime; cancelling
/// the awaitable drops the future.
pub fn awaitable<'py, T, F>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: Future<Output = PyResult<T>> + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, future)
}

/// Makes pyo3-async-runtimes use the shared runtime (once).
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = pyo3_async_runtimes::tokio::init_with_runtime(runtime());
    });
}
