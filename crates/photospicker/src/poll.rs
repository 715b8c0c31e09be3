//! Waiting for the user: poll `sessions.get` at the server's `pollInterval`
//! (re-read every time) until `mediaItemsSet`, `timeoutIn` runs out, the
//! session expires, the caller's deadline passes, or the caller cancels.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::PickingSession;
use futures_util::stream::{self, Stream};
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How to wait.
#[derive(Debug, Clone)]
pub struct WaitOptions {
    /// Give up after this long; can only shorten the server's `timeoutIn`.
    pub timeout: Option<Duration>,
    /// Cancel the wait from elsewhere (a UI, a signal handler).
    pub cancel: Option<CancellationToken>,
    /// The shortest gap between polls whatever the server says (default 50 ms).
    pub min_poll_interval: Duration,
    /// The gap used when the server sends no `pollingConfig` (default 5 s).
    pub default_poll_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self { timeout: None, cancel: None, min_poll_interval: Duration::from_millis(50), default_poll_interval: Duration::from_secs(5) }
    }
}

impl WaitOptions {
    /// Waits at most `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Stops waiting when `cancel` is cancelled.
    pub fn cancel(mut self, cancel: CancellationToken) -> Self {
        self.cancel = Some(cancel);
        self
    }
}

/// One step of a wait, for progress display.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PollEvent {
    /// Not picked yet; the next poll comes after `next_poll_in`.
    Waiting {
        /// The session as the last poll saw it.
        session: PickingSession,
        /// Polls so far.
        polls: u32,
        /// The gap before the next poll: the interval, counted from when this
        /// poll went out (a slow answer does not push the next poll back), or
        /// less, counted from now, when the server stops waiting sooner.
        next_poll_in: Duration,
        /// How much longer the server will wait, if it said.
        timeout_in: Option<Duration>,
    },
    /// The user finished picking.
    Picked {
        /// The session, with `media_items_set` true.
        session: PickingSession,
        /// Polls it took.
        polls: u32,
    },
}

/// Polls one session; see [`Client::poll_session`].
pub struct Poller {
    client: Client,
    session_id: String,
    options: WaitOptions,
    caller_deadline: Option<Instant>,
    polls: u32,
    /// When the next poll goes out: an interval after the last one went out,
    /// so that slow answers (or a slow consumer of the events) do not push
    /// every later poll back and delay noticing the pick.
    next_poll_at: Option<Instant>,
    last_poll: bool,
    done: bool,
}

enum Waited {
    Elapsed,
    Cancelled,
    CallerDeadline,
}

impl Poller {
    /// The number of `sessions.get` calls so far.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    async fn sleep_until(&self, wake: Instant) -> Waited {
        let (until, deadline_first) = match self.caller_deadline {
            Some(deadline) if deadline <= wake => (deadline, true),
            _ => (wake, false),
        };
        let cancelled = async {
            match &self.options.cancel {
                Some(cancel) => cancel.cancelled().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            () = cancelled => Waited::Cancelled,
            () = tokio::time::sleep_until(until) => if deadline_first { Waited::CallerDeadline } else { Waited::Elapsed },
        }
    }

    /// The next event, or `None` once the wait has ended.
    pub async fn next_event(&mut self) -> Option<Result<PollEvent>> {
        if self.done {
            return None;
        }
        let outcome = self.step().await;
        if !matches!(outcome, Ok(PollEvent::Waiting { .. })) {
            self.done = true;
        }
        Some(outcome)
    }

    async fn step(&mut self) -> Result<PollEvent> {
        if self.options.cancel.as_ref().is_some_and(CancellationToken::is_cancelled) {
            return Err(Error::cancelled());
        }
        if let Some(at) = self.next_poll_at {
            match self.sleep_until(at).await {
                Waited::Elapsed => {}
                Waited::Cancelled => return Err(Error::cancelled()),
                Waited::CallerDeadline => return Err(Error::picking_timeout(&self.session_id)),
            }
        }
        let poll_started = Instant::now();
        // The caller's deadline also cuts a poll in flight and its retry waits.
        // Boxed: the request's state (kilobytes) then exists only while a poll
        // is in flight, not in every waiting future (10,000 waits: P6's RSS).
        let poll = Box::pin(self.client.get_session(&self.session_id));
        let polled = match self.caller_deadline {
            Some(deadline) => crate::retry_loop::with_deadline(deadline, poll).await,
            None => poll.await,
        };
        let session = match polled {
            Ok(session) => session,
            Err(error) if error.is_deadline_exceeded() && self.caller_deadline.is_some_and(|d| Instant::now() >= d) => {
                return Err(Error::picking_timeout(&self.session_id));
            }
            // The service answers PERMISSION_DENIED for a session past its
            // expireTime; a missing scope says so in its reason.
            Err(error) if error.is_permission_denied() && error.reason().is_none_or(|r| !r.contains("SCOPE")) => {
                return Err(Error::session_expired(&self.session_id));
            }
            Err(error) => return Err(error),
        };
        self.polls += 1;
        if session.media_items_set {
            return Ok(PollEvent::Picked { session, polls: self.polls });
        }
        if session.expire_time.is_some_and(|t| t <= chrono::Utc::now()) {
            return Err(Error::session_expired(&self.session_id));
        }
        let (interval, timeout_in) = match session.polling_config {
            Some(config) => (config.poll_interval.unwrap_or(self.options.default_poll_interval), config.timeout_in),
            None => (self.options.default_poll_interval, None),
        };
        if self.last_poll || timeout_in.is_some_and(|t| t.is_zero()) {
            return Err(Error::picking_timeout(&self.session_id));
        }
        let mut wait = interval.max(self.options.min_poll_interval);
        // A regular poll is due an interval after this one went out; the server's
        // own times (timeoutIn, expireTime) count from its answer, i.e. now.
        let mut next_poll_at = poll_started + wait;
        if let Some(remaining) = timeout_in.filter(|t| *t <= wait) {
            // The server stops waiting before the next regular poll: look once
            // more when its time is up, then stop.
            wait = remaining;
            next_poll_at = Instant::now() + remaining;
            self.last_poll = true;
        }
        if let Some(expire) = session.expire_time {
            let left = (expire - chrono::Utc::now()).to_std().unwrap_or_default();
            if left <= wait {
                wait = left;
                next_poll_at = Instant::now() + left;
                self.last_poll = true;
            }
        }
        self.next_poll_at = Some(next_poll_at);
        Ok(PollEvent::Waiting { session, polls: self.polls, next_poll_in: wait, timeout_in })
    }

    /// Waits to the end and returns the picked session.
    pub async fn until_done(mut self) -> Result<PickingSession> {
        loop {
            match self.next_event().await {
                Some(Ok(PollEvent::Picked { session, .. })) => return Ok(session),
                Some(Ok(PollEvent::Waiting { .. })) => continue,
                Some(Err(error)) => return Err(error),
                None => return Err(Error::cancelled()),
            }
        }
    }

    /// The events as a stream, ending after `Picked` or an error.
    pub fn into_stream(self) -> impl Stream<Item = Result<PollEvent>> + Send {
        stream::unfold(self, |mut poller| async move { poller.next_event().await.map(|event| (event, poller)) })
    }
}

impl Client {
    /// A poller for a session: drive it with [`Poller::next_event`],
    /// [`Poller::into_stream`] or [`Poller::until_done`].
    pub fn poll_session(&self, session_id: &str, options: WaitOptions) -> Poller {
        Poller {
            client: self.clone(),
            session_id: session_id.to_string(),
            // A timeout too far to represent is no deadline at all.
            caller_deadline: options.timeout.and_then(|t| Instant::now().checked_add(t)),
            options,
            polls: 0,
            next_poll_at: None,
            last_poll: false,
            done: false,
        }
    }

    /// Polls until the user has picked, and returns the session.
    pub async fn wait_until_picked(&self, session_id: &str, options: WaitOptions) -> Result<PickingSession> {
        self.poll_session(session_id, options).until_done().await
    }
}
