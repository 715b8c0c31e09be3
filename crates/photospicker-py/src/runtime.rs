//! The one tokio runtime behind every native call (Python threads block on
//! it with the GIL released), one per process.
//!
//! `fork()` copies only the forking thread: in a child (gunicorn `--preload`,
//! Celery prefork, `multiprocessing` with the fork start method) the parent's
//! runtime is memory whose worker threads do not exist, so anything spawned
//! on it would wait forever. The first call in another process therefore
//! builds a new runtime (the process id tells), and the client rebuilds its
//! connections likewise (`photospicker`'s `per_process.rs`). No lock is taken
//! on the way: one held by a parent thread at the fork would never be released.

use std::sync::atomic::{AtomicPtr, Ordering};
use tokio::runtime::Runtime;

struct PerProcess {
    pid: u32,
    runtime: Runtime,
}

/// Null until the first call; never freed (a runtime lives as long as its process).
static CURRENT: AtomicPtr<PerProcess> = AtomicPtr::new(std::ptr::null_mut());

/// The runtime of the current process, built on first use in each process.
pub fn runtime() -> &'static Runtime {
    let pid = std::process::id();
    loop {
        let seen = CURRENT.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from `Box::into_raw` below and is never freed.
        if let Some(current) = unsafe { seen.as_ref() } {
            if current.pid == pid {
                return &current.runtime;
            }
        }
        let fresh = Box::into_raw(Box::new(PerProcess { pid, runtime: build() }));
        match CURRENT.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The parent's runtime (if `seen` is one) is leaked on purpose: dropping
            // it would wait for worker threads that do not exist here, and take
            // locks a vanished parent thread may hold. One per fork.
            // SAFETY: just stored, never freed.
            Ok(_) => return unsafe { &(*fresh).runtime },
            Err(_) => {
                // Another thread of this process built one first: use it, and stop
                // this one without waiting (it never ran anything).
                // SAFETY: `fresh` was never shared.
                let unused = unsafe { Box::from_raw(fresh) };
                unused.runtime.shutdown_background();
            }
        }
    }
}

fn build() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("photospicker")
        .enable_all()
        .build()
        .expect("a tokio runtime can be built")
}
