//! How native calls meet Python: errors become `photospicker.errors`
//! exceptions, blocking calls release the GIL and stay interruptible by
//! Ctrl-C, and async calls become asyncio futures on the shared runtime.

use crate::errors::{self, Class};
use crate::interpreter::attach;
use crate::runtime::runtime;
use photospicker::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use std::future::Future;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// How often a blocked call looks for a pending signal (KeyboardInterrupt).
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// The `photospicker.errors` exception for `error`.
pub fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    errors::exception(py, error).map(PyErr::from_value).unwrap_or_else(|failure| failure)
}

/// Converts a client error on whichever thread holds the result (a plain
/// `RuntimeError` if the interpreter is shutting down: nobody will see it).
pub fn py_err(error: Error) -> PyErr {
    attach(|py| to_pyerr(py, &error)).unwrap_or_else(|| PyRuntimeError::new_err(error.to_string()))
}

pub fn internal(what: impl std::fmt::Display) -> PyErr {
    let message = format!("internal error in photospicker: {what}");
    let build = |py: Python<'_>| -> PyResult<PyErr> { Ok(PyErr::from_value(errors::class(py, Class::PhotosPicker)?.call1((message.as_str(),))?)) };
    attach(|py| build(py).unwrap_or_else(|e| e)).unwrap_or_else(|| PyRuntimeError::new_err(message.clone()))
}

/// A `photospicker.errors.ValidationError` for a refused argument.
pub fn validation_error(py: Python<'_>, message: &str) -> PyErr {
    let build = || -> PyResult<PyErr> {
        Ok(PyErr::from_value(errors::class(py, Class::Validation)?.call1((format!("invalid request: {message}"),))?))
    };
    build().unwrap_or_else(|e| e)
}

/// Runs `future` on the shared runtime with the GIL released; a pending
/// signal (Ctrl-C) aborts it within [`SIGNAL_CHECK`] and is raised, after the
/// aborted task has run its cleanup (e.g. removing a temporary file).
pub fn block<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = PyResult<T>> + Send + 'static,
{
    // The result comes back through a channel whose wait has its own
    // timeout (a futex's), not through a tokio timer: arming a timer per call
    // woke the runtime's time driver, a context switch per call (bench P2).
    let (deliver, mut result) = std::sync::mpsc::sync_channel(1);
    let task = runtime().spawn(async move {
        let _ = deliver.send(future.await);
    });
    loop {
        // Moved in and out: a `Receiver` may be sent to a thread, not shared.
        let (waited, receiver) = py.detach(move || (result.recv_timeout(SIGNAL_CHECK), result));
        result = receiver;
        match waited {
            Ok(outcome) => return outcome,
            // The task ended without sending: it panicked.
            Err(RecvTimeoutError::Disconnected) => {
                return Err(match py.detach(|| runtime().block_on(task)) {
                    Err(join) => internal(join),
                    Ok(()) => internal("the call ended without a result"),
                });
            }
            Err(RecvTimeoutError::Timeout) => {
                if let Err(signal) = py.check_signals() {
                    task.abort();
                    let _ = py.detach(|| runtime().block_on(task));
                    return Err(signal);
                }
            }
        }
    }
}

/// An asyncio future for `future`, run on the shared runtime. Cancelling
/// the asyncio future aborts the Rust task. The outcome is handed to the
/// event loop only while the interpreter is alive and the loop open, so a
/// call cancelled or abandoned at exit never enters a finalized interpreter.
pub fn awaitable<'py, T, F>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    F: Future<Output = PyResult<T>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let target = event_loop.call_method0("create_future")?;
    let task = runtime().spawn(future);
    target.call_method1("add_done_callback", (AbortWhenDone { task: task.abort_handle() },))?;
    let (event_loop, delivery) = (event_loop.unbind(), target.clone().unbind());
    runtime().spawn(async move {
        let outcome = task.await;
        // Taking the GIL may wait: not on a runtime worker.
        let _ = tokio::task::spawn_blocking(move || deliver(event_loop, delivery, outcome)).await;
    });
    Ok(target)
}

fn deliver<T>(event_loop: Py<PyAny>, target: Py<PyAny>, outcome: Result<PyResult<T>, tokio::task::JoinError>)
where
    T: for<'a> IntoPyObject<'a>,
{
    let outcome = match outcome {
        Ok(result) => result,
        // Aborted: the asyncio future was cancelled, nobody waits.
        Err(join) if join.is_cancelled() => return,
        Err(join) => Err(internal(join)),
    };
    attach(|py| {
        let (ok, value) = match outcome.and_then(|value| value.into_py_any(py)) {
            Ok(value) => (true, value),
            Err(error) => (false, error.into_value(py).into_any()),
        };
        // A closed loop raises here: its caller is gone, so is the need for the value.
        let _ = event_loop.call_method1(py, "call_soon_threadsafe", (Settle { ok }, target, value));
    });
}

/// Aborts the Rust task once the asyncio future is done (cancelled, usually).
#[pyclass(frozen)]
struct AbortWhenDone {
    task: tokio::task::AbortHandle,
}

#[pymethods]
impl AbortWhenDone {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        self.task.abort();
    }
}

/// Sets the asyncio future's result or exception, on its loop, unless it is done already.
#[pyclass(frozen)]
struct Settle {
    ok: bool,
}

#[pymethods]
impl Settle {
    fn __call__(&self, future: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("done")?.is_truthy()? {
            return Ok(());
        }
        future.call_method1(if self.ok { "set_result" } else { "set_exception" }, (value,))?;
        Ok(())
    }
}
