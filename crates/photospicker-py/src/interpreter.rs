//! Whether native threads may still enter Python. Work on the runtime can
//! outlive the interpreter (a cancelled call whose request is still being
//! torn down, a log line from a retry): entering Python after it finalized
//! panics ("The Python interpreter is not initialized") or crashes. An
//! `atexit` hook closes the door at the start of finalization, and every
//! entry from a native thread goes through [`attach`].
//!
//! Closing the door is not enough: a thread already inside may have let go
//! of the GIL for a moment (delivering a result, `call_soon_threadsafe`
//! writes to the event loop's socket with the GIL released) — the very write
//! that wakes the main thread to finish the program. Taking the GIL back
//! once finalization has begun makes CPython end that thread with
//! `pthread_exit`, whose unwinding through Rust frames aborts the process
//! (exit 134). So the hook also waits, without the GIL, for the threads
//! inside to come out; atexit hooks run before finalization begins.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static OPEN: AtomicBool = AtomicBool::new(true);
/// Native threads inside `attach`'s closure.
static INSIDE: AtomicUsize = AtomicUsize::new(0);
/// How long the exit hook waits for them: a user callback that runs longer
/// than this at exit is left to its fate.
const EXIT_WAIT: Duration = Duration::from_secs(2);

/// Runs `f` attached to the interpreter, or returns `None` when it is
/// shutting down or gone (the caller then drops what it had for Python).
pub fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    if !OPEN.load(Ordering::Acquire) {
        return None;
    }
    Python::try_attach(|py| {
        // Checked again with the GIL held: `closed` runs with the GIL too,
        // so a thread either counts itself in before the door closes or sees it closed.
        if !OPEN.load(Ordering::Acquire) {
            return None;
        }
        INSIDE.fetch_add(1, Ordering::AcqRel);
        struct Leaving;
        impl Drop for Leaving {
            fn drop(&mut self) {
                INSIDE.fetch_sub(1, Ordering::AcqRel);
            }
        }
        let _leaving = Leaving;
        Some(f(py))
    })
    .flatten()
}

/// Runs `f` (Python code that may take its time: a user's callback, a
/// blocking call) so that it does not hold up the shared runtime: on one of
/// its worker threads, the worker's other tasks — and the sockets every other
/// call depends on — are handed to another thread first (`block_in_place`);
/// anywhere else it just runs. Without it, a slow `AsyncClient` callback
/// stalled every call of the process, and a blocking call made from one
/// never returned (found by an outside attack).
pub fn off_the_workers<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// Registered with `atexit` when the module is imported.
#[pyfunction]
pub fn closed(py: Python<'_>) {
    OPEN.store(false, Ordering::Release);
    if INSIDE.load(Ordering::Acquire) == 0 {
        return;
    }
    py.detach(|| {
        let started = Instant::now();
        while INSIDE.load(Ordering::Acquire) > 0 && started.elapsed() < EXIT_WAIT {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Closes the door when the interpreter starts finalizing.
pub fn install(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(closed, module)?;
    module.py().import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
