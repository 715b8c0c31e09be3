//! Whether native threads may still enter Python. Work on the runtime can
//! outlive the interpreter (a cancelled call whose request is still being
//! torn down, a log line from a retry): entering Python after it finalized
//! panics ("The Python interpreter is not initialized") or crashes. An
//! `atexit` hook closes the door at the start of finalization, and every
//! entry from a native thread goes through [`attach`].

use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

static OPEN: AtomicBool = AtomicBool::new(true);

/// Runs `f` attached to the interpreter, or returns `None` when it is
/// shutting down or gone (the caller then drops what it had for Python).
pub fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    if !OPEN.load(Ordering::Acquire) {
        return None;
    }
    Python::try_attach(|py| {
        // Checked again with the GIL held: `closed` runs with the GIL too.
        if OPEN.load(Ordering::Acquire) {
            Some(f(py))
        } else {
            None
        }
    })
    .flatten()
}

/// Registered with `atexit` when the module is imported.
#[pyfunction]
pub fn closed() {
    OPEN.store(false, Ordering::Release);
}

/// Closes the door when the interpreter starts finalizing.
pub fn install(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(closed, module)?;
    module.py().import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
