//! The parts of a client that belong to one process: the HTTP connection
//! pool, the slots of concurrent requests and the retry jitter's random numbers.
//!
//! After `fork()` the child inherits a copy of the client, but its pooled
//! connections are the parent's sockets (both processes would write to the
//! same connection) driven by tasks of the parent's async runtime, whose
//! threads do not exist in the child: a request on them never gets an
//! answer. So the first request in another process builds a new HTTP client
//! from the same settings, and the inherited one is leaked on purpose (see
//! [`PerProcess::local`]). The jitter is reseeded too, so that forked workers
//! do not all retry in step.
//!
//! No lock is taken on the way: a lock held by a parent thread at the moment
//! of the fork would stay locked forever in the child.

use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How the HTTP client is built, kept to build it again, identically, in another process.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub connect_timeout: Duration,
    pub user_agent: String,
    /// API requests in flight at once, and media downloads, hence open connections (see `request_slots`).
    pub max_concurrent_requests: usize,
}

impl HttpSettings {
    fn build(&self) -> reqwest::Result<reqwest::Client> {
        // No total timeout on requests: bodies are bounded by stall detection
        // and size caps, calls by the retry policy's time limit (see `Limits`).
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.as_str())
            .https_only(false)
            // Redirects would carry the Authorization header to wherever they point.
            .redirect(reqwest::redirect::Policy::none())
            .build()
    }
}

/// Which pool of request slots a request takes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    Api,
    Media,
}

/// What one process uses.
struct Local {
    pid: u32,
    http: reqwest::Client,
    /// A slot per request in flight, API calls and media downloads apart:
    /// downloads hold theirs while their bodies stream and report progress, so
    /// an API call made meanwhile (from a progress callback, or to re-list for
    /// a fresh URL) must not need one of theirs. Permits held by a parent's
    /// requests at the fork would never come back in the child, so each
    /// process has its own.
    api_slots: tokio::sync::Semaphore,
    media_slots: tokio::sync::Semaphore,
    rng: Mutex<fastrand::Rng>,
}

impl Local {
    fn new(pid: u32, settings: &HttpSettings, jitter_seed: Option<u64>) -> reqwest::Result<Self> {
        // A fixed seed (tests) starts its sequence anew; otherwise the
        // process id is mixed in: a child's thread-local generator is a copy of its parent's.
        let seed = jitter_seed.unwrap_or_else(|| fastrand::u64(..) ^ u64::from(pid).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let slots = settings.max_concurrent_requests.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        Ok(Self {
            pid,
            http: settings.build()?,
            api_slots: tokio::sync::Semaphore::new(slots),
            media_slots: tokio::sync::Semaphore::new(slots),
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
        })
    }
}

/// The HTTP client and jitter generator of the current process.
pub(crate) struct PerProcess {
    settings: HttpSettings,
    jitter_seed: Option<u64>,
    /// Never null. Only the current process's `Local` is ever freed, and only
    /// in `drop` (no reader then): one built by another process is leaked.
    current: AtomicPtr<Local>,
}

impl PerProcess {
    /// Builds the HTTP client for this process now, so that a bad setting fails at once.
    pub(crate) fn new(settings: HttpSettings, jitter_seed: Option<u64>) -> reqwest::Result<Self> {
        let local = Local::new(std::process::id(), &settings, jitter_seed)?;
        Ok(Self { settings, jitter_seed, current: AtomicPtr::new(Box::into_raw(Box::new(local))) })
    }

    fn local(&self) -> reqwest::Result<&Local> {
        let pid = std::process::id();
        loop {
            let seen = self.current.load(Ordering::Acquire);
            // SAFETY: `current` is never null, and a `Local` it pointed to is
            // freed only in `drop`, which has `&mut self`: it outlives `&self`.
            let local = unsafe { &*seen };
            if local.pid == pid {
                return Ok(local);
            }
            let fresh = Box::into_raw(Box::new(Local::new(pid, &self.settings, self.jitter_seed)?));
            match self.current.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => {
                    // `seen` is the parent's and is leaked on purpose: dropping
                    // its pool would close channels and wake tasks of the
                    // parent's runtime, whose locks a vanished parent thread may
                    // hold, and whose sockets the parent still uses. One per
                    // fork, and only of a client used after it.
                    tracing::debug!(pid, "first request in a new process: new HTTP connections");
                    // SAFETY: just stored; freed only in `drop`, as above.
                    return Ok(unsafe { &*fresh });
                }
                // Another thread of this process rebuilt first: use its client.
                // SAFETY: `fresh` was never shared.
                Err(_) => drop(unsafe { Box::from_raw(fresh) }),
            }
        }
    }

    /// The HTTP client of the current process (built on first use after a fork).
    pub(crate) fn http(&self) -> reqwest::Result<&reqwest::Client> {
        self.local().map(|local| &local.http)
    }

    /// The slots of concurrent requests of the current process: without a
    /// bound, 10,000 concurrent calls open 10,000 connections (file
    /// descriptors and buffers), as many as the caller starts.
    pub(crate) fn request_slots(&self, kind: SlotKind) -> reqwest::Result<&tokio::sync::Semaphore> {
        self.local().map(|local| match kind {
            SlotKind::Api => &local.api_slots,
            SlotKind::Media => &local.media_slots,
        })
    }

    /// A random number in `[0, 1)` for the backoff's jitter.
    pub(crate) fn jitter_unit(&self) -> f64 {
        match self.local() {
            Ok(local) => local.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner).f64(),
            // The client cannot be built here: the request fails anyway.
            Err(_) => 0.5,
        }
    }
}

impl Drop for PerProcess {
    fn drop(&mut self) {
        // SAFETY: never null, and nobody else can see it any more (`&mut self`).
        let local = unsafe { Box::from_raw(*self.current.get_mut()) };
        if local.pid != std::process::id() {
            // The parent's client in a child that never sent a request: leaked, as in `local`.
            std::mem::forget(local);
        }
    }
}

// `AtomicPtr` is `Send + Sync` whatever it points to; sharing `PerProcess`
// across threads is sound because `Local` is too (checked here).
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Local>();
};
