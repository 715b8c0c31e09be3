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

use crate::client::Client;
use crate::error::{Error, Result};
use futures_util::stream::{self, StreamExt};
use naming::{file_name_for, unique_name};
use options::Progress;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

impl Client {
    /// Downloads `item` into the directory `dir` under a safe version of its
    /// file name, and returns the path. Without size options a photo is
    /// fetched as the original (`=d`) and a video as its bytes (`=dv`).
    pub async fn download(&self, item: &impl Downloadable, dir: &Path, options: &DownloadOptions) -> Result<PathBuf> {
        let media = item.media();
        let params = options.params(&media)?;
        let path = dir.join(file_name_for(&media, &params));
        create_dir(dir).await?;
        self.fetch_to(&media, &params, &path, &Progress { index: 0, on_progress: None }).await?;
        Ok(path)
    }

    /// Downloads `item` to exactly `path` (replacing it atomically if it exists).
    pub async fn download_to(&self, item: &impl Downloadable, path: &Path, options: &DownloadOptions) -> Result<u64> {
        let media = item.media();
        let params = options.params(&media)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_dir(parent).await?;
        }
        self.fetch_to(&media, &params, path, &Progress { index: 0, on_progress: None }).await
    }

    /// Downloads many items into `dir`, `concurrency` at a time, with one
    /// result per item in the given order. Names that would collide get
    /// ` (2)`, ` (3)` … before their extension.
    pub async fn download_all<T: Downloadable>(&self, items: &[T], dir: &Path, options: &DownloadAllOptions) -> Vec<Result<PathBuf>> {
        if let Err(source) = tokio::fs::create_dir_all(dir).await {
            // Every item fails the same way; io::Error is not Clone, so each gets a copy.
            return items.iter().map(|_| Err(Error::io(dir, std::io::Error::new(source.kind(), source.to_string())))).collect();
        }
        let mut taken = HashSet::new();
        let plans: Vec<Result<(ContentParams, PathBuf)>> = items
            .iter()
            .map(|item| {
                let media = item.media();
                let params = options.options.params(&media)?;
                Ok((params, dir.join(unique_name(&file_name_for(&media, &params), &mut taken))))
            })
            .collect();
        let jobs: Vec<_> = items.iter().zip(plans).enumerate().map(|(index, (item, plan))| self.download_one(index, item, plan, options)).collect();
        stream::iter(jobs).buffered(options.concurrency.max(1)).collect().await
    }

    async fn download_one<T: Downloadable>(&self, index: usize, item: &T, plan: Result<(ContentParams, PathBuf)>, options: &DownloadAllOptions) -> Result<PathBuf> {
        let progress = Progress { index, on_progress: options.on_progress.as_ref() };
        let (params, path) = plan.inspect_err(|e| progress.emit(DownloadEvent::Failed { index, error: e.to_string() }))?;
        let media = item.media();
        progress.emit(DownloadEvent::Started { index, id: media.id.to_string() });
        match self.fetch_to(&media, &params, &path, &progress).await {
            Ok(bytes) => {
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

/// Creates the target directory (and its parents) if needed.
async fn create_dir(dir: &Path) -> Result<()> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| Error::io(dir, e))
}
