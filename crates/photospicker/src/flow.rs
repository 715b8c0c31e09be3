//! The whole Picker flow in one call, and a guard that deletes a session
//! whatever happens.

use crate::client::{Client, CreateSessionOptions, MAX_PAGE_SIZE};
use crate::download::{DownloadAllOptions, ProgressCallback};
use crate::error::Result;
use crate::model::{PickedMediaItem, PickingSession};
use crate::poll::{PollEvent, WaitOptions};
use futures_util::StreamExt;
use std::path::PathBuf;
use std::sync::Arc;

/// A session that is deleted when you are done with it: call
/// [`finish`](Self::finish) to delete it and see the outcome; if the guard is
/// dropped instead (an early return, a panic, a cancelled task), the delete is
/// sent in the background on the current tokio runtime, best effort.
#[must_use = "the session is deleted when the guard is dropped"]
pub struct SessionGuard {
    client: Client,
    session: PickingSession,
    finished: bool,
}

impl std::fmt::Debug for SessionGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionGuard").field("session", &self.session).field("finished", &self.finished).finish()
    }
}

impl SessionGuard {
    /// The session as created.
    pub fn session(&self) -> &PickingSession {
        &self.session
    }

    /// The session's id.
    pub fn id(&self) -> &str {
        &self.session.id
    }

    /// Deletes the session now. A session that is already gone counts as deleted.
    pub async fn finish(mut self) -> Result<()> {
        self.finished = true;
        match self.client.delete_session(&self.session.id).await {
            Err(error) if error.is_not_found() => Ok(()),
            other => other,
        }
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(session_id = %self.session.id, "session guard dropped outside a tokio runtime; the session was not deleted");
            return;
        };
        let client = self.client.clone();
        let id = std::mem::take(&mut self.session.id);
        runtime.spawn(async move {
            if let Err(error) = client.delete_session(&id).await {
                if !error.is_not_found() {
                    tracing::warn!(session_id = %id, %error, "could not delete the session");
                }
            }
        });
    }
}

/// A callback receiving each [`PollEvent`] of the wait.
pub type PollCallback = Arc<dyn Fn(&PollEvent) + Send + Sync>;

/// What [`Client::pick`] does.
#[derive(Clone, Default)]
pub struct PickOptions {
    /// How the session is created.
    pub create: CreateSessionOptions,
    /// How long and how to wait for the user.
    pub wait: WaitOptions,
    /// Receives each poll, for progress display.
    pub on_poll: Option<PollCallback>,
    /// Download the picked items into this directory.
    pub download_to: Option<PathBuf>,
    /// How to download them.
    pub download: DownloadAllOptions,
}

impl std::fmt::Debug for PickOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PickOptions")
            .field("create", &self.create)
            .field("wait", &self.wait)
            .field("on_poll", &self.on_poll.is_some())
            .field("download_to", &self.download_to)
            .field("download", &self.download)
            .finish()
    }
}

impl PickOptions {
    /// Downloads the picked items into `dir`.
    pub fn download_to(mut self, dir: impl Into<PathBuf>) -> Self {
        self.download_to = Some(dir.into());
        self
    }

    /// Receives each poll.
    pub fn on_poll(mut self, callback: impl Fn(&PollEvent) + Send + Sync + 'static) -> Self {
        self.on_poll = Some(Arc::new(callback));
        self
    }

    /// Receives download progress.
    pub fn on_download_progress(mut self, callback: ProgressCallback) -> Self {
        self.download.on_progress = Some(callback);
        self
    }
}

/// What the user picked (the session itself is already deleted).
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    /// The session as the last poll saw it.
    pub session: PickingSession,
    /// The picked items, in picking order.
    pub items: Vec<PickedMediaItem>,
    /// The downloaded files, in the items' order, when downloading was asked for.
    pub files: Vec<PathBuf>,
}

impl Client {
    /// Creates a session wrapped in a [`SessionGuard`] that deletes it.
    pub async fn picking_session(&self, options: CreateSessionOptions) -> Result<SessionGuard> {
        let session = self.create_session(options).await?;
        Ok(SessionGuard { client: self.clone(), session, finished: false })
    }

    /// The whole flow: create a session, hand it to `show` (print or open its
    /// `picker_uri`, render a QR code …), wait for the user, list the items,
    /// optionally download them, and delete the session — on every exit path.
    ///
    /// ```no_run
    /// # async fn run(client: photospicker::Client) -> photospicker::Result<()> {
    /// use photospicker::PickOptions;
    /// use std::time::Duration;
    ///
    /// let mut options = PickOptions::default().download_to("photos");
    /// options.wait = options.wait.timeout(Duration::from_secs(600));
    /// let picked = client.pick(options, |session| println!("Open {}", session.picker_uri)).await?;
    /// println!("{} files", picked.files.len());
    /// # Ok(()) }
    /// ```
    pub async fn pick(&self, options: PickOptions, show: impl FnOnce(&PickingSession)) -> Result<Picked> {
        let guard = self.picking_session(options.create.clone()).await?;
        let outcome = self.pick_in(&guard, &options, show).await;
        let deleted = guard.finish().await;
        let picked = outcome?;
        deleted?;
        Ok(picked)
    }

    async fn pick_in(&self, guard: &SessionGuard, options: &PickOptions, show: impl FnOnce(&PickingSession)) -> Result<Picked> {
        show(guard.session());
        let mut events = std::pin::pin!(self.poll_session(guard.id(), options.wait.clone()).into_stream());
        let mut picked = None;
        while let Some(event) = events.next().await {
            let event = event?;
            if let Some(callback) = &options.on_poll {
                callback(&event);
            }
            if let PollEvent::Picked { session, .. } = event {
                picked = Some(session);
            }
        }
        let session = picked.ok_or_else(crate::error::Error::cancelled)?;
        let mut items = Vec::new();
        let mut stream = std::pin::pin!(self.list_media_items(guard.id(), Some(MAX_PAGE_SIZE)));
        while let Some(item) = stream.next().await {
            items.push(item?);
        }
        let files = match &options.download_to {
            Some(dir) => self.download_all(&items, dir, &options.download).await.into_iter().collect::<Result<Vec<_>>>()?,
            None => Vec::new(),
        };
        Ok(Picked { session, items, files })
    }
}
