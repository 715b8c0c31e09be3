//! How native calls meet Python: errors become `photospicker.errors`
//! exceptions, blocking calls release the GIL and stay interruptible by
//! Ctrl-C, and async calls become asyncio futures on the shared runtime.

use crate::errors::{self, Class};
use crate::interpreter::{attach, off_the_workers};
use crate::runtime::runtime;
use photospicker::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;
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

/// Runs `future` with the GIL released, polled on the calling thread inside
/// the shared runtime (whose workers drive its sockets and timers), like the
/// Rust client under `block_on`: a task spawned for it and a result sent back
/// cost a hand-off between threads per call (bench P2). A pending signal
/// (Ctrl-C) is looked for every [`SIGNAL_CHECK`]; it drops the future, which
/// runs its cleanup (e.g. removing a temporary file), and is raised.
pub fn block<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = PyResult<T>> + Send + 'static,
{
    let mut future = Box::pin(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    loop {
        let polled = py.detach(|| off_the_workers(|| poll_until(&mut future, &waker, Instant::now() + SIGNAL_CHECK)));
        match polled {
            Some(Ok(outcome)) => return outcome,
            // A bug, not the caller's: never a PanicException.
            Some(Err(panic)) => return Err(internal(panic_message(&panic))),
            None => {
                if let Err(signal) = py.check_signals() {
                    py.detach(move || drop(future));
                    return Err(signal);
                }
            }
        }
    }
}

/// Polls `future` until it is ready (`Some`, or its panic) or `until` passes (`None`).
fn poll_until<T>(future: &mut Pin<Box<impl Future<Output = T>>>, waker: &Waker, until: Instant) -> Option<std::thread::Result<T>> {
    let _entered = runtime().enter();
    let mut context = Context::from_waker(waker);
    loop {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut context))) {
            Ok(Poll::Ready(output)) => return Some(Ok(output)),
            Err(panic) => return Some(Err(panic)),
            Ok(Poll::Pending) => {}
        }
        let now = Instant::now();
        if now >= until {
            return None;
        }
        // Woken by the runtime (or spuriously: polling again is harmless).
        std::thread::park_timeout(until - now);
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic".into())
}

/// Wakes the thread blocked in `block`.
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
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
