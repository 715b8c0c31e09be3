//! Media bytes: content URLs built from `baseUrl`, streamed to disk through a
//! temporary file that is fsynced and renamed into place (so a failed
//! download never leaves a partial file), safe file names, concurrent
//! downloads with progress, and the refresh of an expired `baseUrl`.
//!
//! One concern per file: [`content_url`] (the URL grammar), `naming` (safe
//! and unique file names), `writer` (the atomic file), `fetch` (one media
//! body into a file), `refresh` (expired baseUrls), `item` and `options`.

mod content_check;
mod content_url;
mod fetch;
mod item;
mod naming;
mod options;
mod refresh;
mod writer;

pub use content_url::{content_url, ContentParams};
pub use item::{Downloadable, Media};
pub use naming::safe_file_name;
pub use options::{DownloadAllOptions, DownloadEvent, DownloadOptions, ProgressCallback};
pub use refresh::MAX_REFRESH_PAGES;

use crate::client::Client;
use crate::error::{Error, Result};
use futures_util::stream::{self, StreamExt};
use naming::{file_name_for, NameBook};
use options::Progress;
use refresh::Refresher;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use writer::Placement;

impl Client {
    /// Downloads `item` into the directory `dir` under a safe version of its
    /// file name, and returns the path. Without size options a photo is
    /// fetched as the original (`=d`) and a video as its bytes (`=dv`).
    ///
    /// Nothing already in `dir` is replaced unless `options.overwrite`: when
    /// the name is taken the file is numbered, `IMG_0001 (2).jpg`, and the
    /// file is created exclusively, so concurrent calls never clobber each
    /// other either.
    pub async fn download(&self, item: &impl Downloadable, dir: &Path, options: &DownloadOptions) -> Result<PathBuf> {
        let media = item.media();
        let params = options.params(&media)?;
        create_dir(dir).await?;
        let placement = plan(dir, &file_name_for(&media, &params), options.overwrite, &Arc::new(NameBook::new(dir, !options.overwrite)))?;
        let refresher = Refresher::new([media]);
        let (_, path) = self.fetch_to(&media, &params, &placement, &refresher, &Progress { index: 0, on_progress: None }).await?;
        Ok(path)
    }

    /// Downloads `item` to exactly `path`, returning its size. Naming the
    /// file is asking for it: a file already at `path` is replaced
    /// atomically (a symlink there is replaced, not followed; a directory
    /// there is an error).
    pub async fn download_to(&self, item: &impl Downloadable, path: &Path, options: &DownloadOptions) -> Result<u64> {
        let media = item.media();
        let params = options.params(&media)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_dir(parent).await?;
        }
        let refresher = Refresher::new([media]);
        let placement = Placement::Replace(path.to_path_buf());
        let (bytes, _) = self.fetch_to(&media, &params, &placement, &refresher, &Progress { index: 0, on_progress: None }).await?;
        Ok(bytes)
    }

    /// Downloads many items into `dir`, `concurrency` at a time, with one
    /// result per item in the given order: a failure never hides what
    /// succeeded. Names that would collide — within the batch, or with
    /// anything already in `dir` unless `overwrite` — get ` (2)`, ` (3)` …
    /// before their extension. An expired `baseUrl` costs one re-listing per
    /// session for the whole batch.
    pub async fn download_all<T: Downloadable>(&self, items: &[T], dir: &Path, options: &DownloadAllOptions) -> Vec<Result<PathBuf>> {
        if let Err(source) = tokio::fs::create_dir_all(dir).await {
            // Every item fails the same way; io::Error is not Clone, so each gets a copy.
            return items.iter().map(|_| Err(Error::io(dir, std::io::Error::new(source.kind(), source.to_string())))).collect();
        }
        let names = Arc::new(NameBook::new(dir, !options.options.overwrite));
        let plans: Vec<Result<(ContentParams, Placement)>> = items
            .iter()
            .map(|item| {
                let media = item.media();
                let params = options.options.params(&media)?;
                Ok((params, plan(dir, &file_name_for(&media, &params), options.options.overwrite, &names)?))
            })
            .collect();
        let refresher = &Refresher::new(items.iter().map(Downloadable::media));
        // Collected first: a lazy `map` would put its closure in this future's
        // type, which then is not `Send` for every lifetime (cannot be spawned).
        let jobs: Vec<_> = items.iter().zip(plans).enumerate().map(|(index, (item, plan))| async move { (index, self.download_one(index, item, plan, refresher, options).await) }).collect();
        // Unordered: an ordered buffer counts finished downloads waiting behind
        // a slower earlier one against the concurrency, so a slow item would
        // hold the others back. The results go back in the items' order after.
        let mut outcomes: Vec<(usize, Result<PathBuf>)> = stream::iter(jobs).buffer_unordered(options.concurrency.max(1)).collect().await;
        outcomes.sort_unstable_by_key(|(index, _)| *index);
        outcomes.into_iter().map(|(_, outcome)| outcome).collect()
    }

    async fn download_one<T: Downloadable>(
        &self,
        index: usize,
        item: &T,
        plan: Result<(ContentParams, Placement)>,
        refresher: &Refresher,
        options: &DownloadAllOptions,
    ) -> Result<PathBuf> {
        let progress = Progress { index, on_progress: options.on_progress.as_ref() };
        let (params, placement) = plan.inspect_err(|e| progress.emit(DownloadEvent::Failed { index, error: e.to_string() }))?;
        let media = item.media();
        progress.emit(DownloadEvent::Started { index, id: media.id.to_string() });
        match self.fetch_to(&media, &params, &placement, refresher, &progress).await {
            Ok((bytes, path)) => {
                progress.emit(DownloadEvent::Finished { index, path: path.clone(), bytes });
                Ok(path)
            }
            Err(error) => {
                progress.emit(DownloadEvent::Failed { index, error: error.to_string() });
                Err(error)
            }
        }
    }
}

/// Where an item named `name` goes in `dir`: a name no other item of the
/// call has, skipping names already on disk unless `overwrite`.
fn plan(dir: &Path, name: &str, overwrite: bool, names: &Arc<NameBook>) -> Result<Placement> {
    let unique = names.reserve(dir, name, !overwrite).ok_or_else(|| {
        Error::io(&dir.join(name), std::io::Error::new(std::io::ErrorKind::AlreadyExists, "no free numbered name left"))
    })?;
    Ok(if overwrite {
        Placement::Replace(dir.join(unique))
    } else {
        Placement::New { dir: dir.to_path_buf(), name: unique, original: name.to_string(), names: names.clone() }
    })
}

/// Creates the target directory (and its parents) if needed.
async fn create_dir(dir: &Path) -> Result<()> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| Error::io(dir, e))
}
