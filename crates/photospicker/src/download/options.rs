//! How to download: size options for one item, and concurrency and progress
//! for many, with the progress events.

use super::content_url::ContentParams;
use super::item::Media;
use crate::error::{Error, Result};
use crate::model::VideoProcessingStatus;
use std::path::PathBuf;
use std::sync::Arc;

/// How to download one item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DownloadOptions {
    /// Scale to this width (none of width and height: the original bytes).
    pub width: Option<u32>,
    /// Scale to this height.
    pub height: Option<u32>,
    /// Crop to exactly `width` × `height`.
    pub crop: bool,
    /// Replace a file that already has the item's name in the target
    /// directory (atomically). By default an existing file, directory or
    /// symlink is never touched and the new file gets the next free number:
    /// `IMG_0001 (2).jpg`. Items of one `download_all` never share a file
    /// either way.
    pub overwrite: bool,
}

impl DownloadOptions {
    pub(super) fn params(&self, media: &Media<'_>) -> Result<ContentParams> {
        if self.width.is_some() || self.height.is_some() || self.crop {
            return Ok(ContentParams::Image { width: self.width, height: self.height, crop: self.crop });
        }
        if !media.is_video {
            return Ok(ContentParams::PhotoDownload);
        }
        match media.processing_status {
            Some(VideoProcessingStatus::Ready) => Ok(ContentParams::VideoDownload),
            other => Err(Error::video_not_ready(media.id, other.map_or("UNSPECIFIED", VideoProcessingStatus::as_str))),
        }
    }
}

/// A step of a download, for progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DownloadEvent {
    /// A download began.
    Started {
        /// The item's position in the list given to `download_all`.
        index: usize,
        /// The item's id.
        id: String,
    },
    /// More bytes were written.
    Progress {
        /// The item's position.
        index: usize,
        /// Bytes written so far.
        bytes: u64,
        /// The size announced by the server, if it did.
        total: Option<u64>,
    },
    /// The file is complete and in place.
    Finished {
        /// The item's position.
        index: usize,
        /// Where it is.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// The download failed; nothing was left on disk.
    Failed {
        /// The item's position.
        index: usize,
        /// What went wrong.
        error: String,
    },
}

/// A callback receiving [`DownloadEvent`]s.
pub type ProgressCallback = Arc<dyn Fn(DownloadEvent) + Send + Sync>;

/// How to download many items.
#[derive(Clone)]
pub struct DownloadAllOptions {
    /// Size options applied to every item.
    pub options: DownloadOptions,
    /// Downloads at the same time (default 8).
    pub concurrency: usize,
    /// Receives progress events.
    pub on_progress: Option<ProgressCallback>,
}

impl Default for DownloadAllOptions {
    fn default() -> Self {
        Self { options: DownloadOptions::default(), concurrency: 8, on_progress: None }
    }
}

impl std::fmt::Debug for DownloadAllOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadAllOptions")
            .field("options", &self.options)
            .field("concurrency", &self.concurrency)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}


pub(super) struct Progress<'a> {
    pub(super) index: usize,
    pub(super) on_progress: Option<&'a ProgressCallback>,
}

impl Progress<'_> {
    pub(super) fn emit(&self, event: DownloadEvent) {
        if let Some(callback) = self.on_progress {
            callback(event);
        }
    }
}
