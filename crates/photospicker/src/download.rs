//! Media bytes: content URLs built from `baseUrl`, streamed to disk through a
//! temporary file that is fsynced and renamed into place (so a failed
//! download never leaves a partial file), safe file names, concurrent
//! downloads with progress, and the refresh of an expired `baseUrl`.

use crate::client::{header_pairs, Client};
use crate::error::{Error, Result};
use crate::model::{MediaItem, MediaType, PickedMediaItem, VideoProcessingStatus};
use futures_util::stream::{self, StreamExt};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

const MAX_SIDE: u32 = 16384;
const MAX_FILE_NAME_BYTES: usize = 200;
const PROGRESS_EVERY_BYTES: u64 = 256 * 1024;

/// What to fetch from a `baseUrl`, as its `=…` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentParams {
    /// The original photo with its metadata (`=d`).
    PhotoDownload,
    /// The video's bytes (`=dv`); only for videos whose processing is `READY`.
    VideoDownload,
    /// An image scaled to fit a box (`=wW-hH`), or filling it with `crop` (`-c`).
    /// For a video this is a still frame.
    Image {
        /// The box's width in pixels (1 to 16384).
        width: Option<u32>,
        /// The box's height in pixels (1 to 16384).
        height: Option<u32>,
        /// Crop to exactly the box (needs both sides).
        crop: bool,
    },
}

impl ContentParams {
    /// The suffix after `=`, checked.
    pub fn suffix(&self) -> Result<String> {
        match *self {
            Self::PhotoDownload => Ok("d".into()),
            Self::VideoDownload => Ok("dv".into()),
            Self::Image { width, height, crop } => {
                let side = |name: &str, value: u32| {
                    if (1..=MAX_SIDE).contains(&value) {
                        Ok(())
                    } else {
                        Err(Error::validation(format!("{name} must be between 1 and {MAX_SIDE}, not {value}")))
                    }
                };
                let mut parts = Vec::new();
                if let Some(w) = width {
                    side("width", w)?;
                    parts.push(format!("w{w}"));
                }
                if let Some(h) = height {
                    side("height", h)?;
                    parts.push(format!("h{h}"));
                }
                if parts.is_empty() {
                    return Err(Error::validation("an image needs a width or a height"));
                }
                if crop {
                    if width.is_none() || height.is_none() {
                        return Err(Error::validation("crop needs both a width and a height"));
                    }
                    parts.push("c".into());
                }
                Ok(parts.join("-"))
            }
        }
    }
}

/// The URL of some content of a `baseUrl`, e.g. `base=w512-h512-c`.
///
/// ```
/// use photospicker::{content_url, ContentParams};
/// let thumb = ContentParams::Image { width: Some(512), height: Some(512), crop: true };
/// assert_eq!(content_url("https://lh3.googleusercontent.com/abc", &thumb).unwrap(), "https://lh3.googleusercontent.com/abc=w512-h512-c");
/// ```
pub fn content_url(base_url: &str, params: &ContentParams) -> Result<String> {
    let parsed = reqwest::Url::parse(base_url).map_err(|_| Error::validation("the item's baseUrl is not a URL"))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::validation("the item's baseUrl is not a plain http(s) URL"));
    }
    Ok(format!("{}={}", base_url, params.suffix()?))
}

/// How to download one item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DownloadOptions {
    /// Scale to this width (none of width and height: the original bytes).
    pub width: Option<u32>,
    /// Scale to this height.
    pub height: Option<u32>,
    /// Crop to exactly `width` × `height`.
    pub crop: bool,
}

impl DownloadOptions {
    fn params(&self, media: &Media<'_>) -> Result<ContentParams> {
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

/// Something with downloadable bytes: a [`PickedMediaItem`] or a Library [`MediaItem`].
pub trait Downloadable: Send + Sync {
    #[doc(hidden)]
    fn media(&self) -> Media<'_>;
}

/// A borrowed view of an item's download facts.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Media<'a> {
    id: &'a str,
    base_url: &'a str,
    filename: &'a str,
    mime_type: &'a str,
    is_video: bool,
    processing_status: Option<&'a VideoProcessingStatus>,
    session_id: Option<&'a str>,
}

impl Downloadable for PickedMediaItem {
    fn media(&self) -> Media<'_> {
        Media {
            id: &self.id,
            base_url: &self.media_file.base_url,
            filename: &self.media_file.filename,
            mime_type: &self.media_file.mime_type,
            is_video: self.media_type == MediaType::Video,
            processing_status: self.media_file.metadata.video.as_ref().map(|v| &v.processing_status),
            session_id: self.session_id.as_deref(),
        }
    }
}

impl Downloadable for MediaItem {
    fn media(&self) -> Media<'_> {
        Media {
            id: &self.id,
            base_url: &self.base_url,
            filename: &self.filename,
            mime_type: &self.mime_type,
            is_video: self.metadata.video.is_some(),
            processing_status: self.metadata.video.as_ref().map(|v| &v.processing_status),
            session_id: None,
        }
    }
}

fn extension_for(mime_type: &str) -> &'static str {
    match mime_type.to_ascii_lowercase().as_str() {
        "image/jpeg" | "image/jpg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/heic" => "heic",
        "image/heif" => "heif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        _ => "bin",
    }
}

/// A file name that is safe to join to a directory: the last component of
/// `filename` without separators, control or reserved characters, not `.` or
/// `..` or hidden, at most 200 bytes; else `{id}.{ext}` from the MIME type.
pub fn safe_file_name(filename: &str, item_id: &str, mime_type: &str) -> String {
    let last = filename.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let mut name = cleaned.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).to_string();
    if is_reserved_on_windows(&name) {
        name.insert(0, '_');
    }
    if name.is_empty() {
        let id: String = item_id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).take(64).collect();
        let id = if id.is_empty() { "item".to_string() } else { id };
        name = format!("{id}.{}", extension_for(mime_type));
    }
    clip_file_name(&name)
}

fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL") || ((stem.starts_with("COM") || stem.starts_with("LPT")) && stem.len() == 4 && stem.as_bytes()[3].is_ascii_digit())
}

/// Shortens a name to the byte limit on a character boundary, keeping its extension.
fn clip_file_name(name: &str) -> String {
    if name.len() <= MAX_FILE_NAME_BYTES {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    let ext = if ext.len() <= 16 { ext } else { "" };
    let mut budget = MAX_FILE_NAME_BYTES - ext.len();
    while !stem.is_char_boundary(budget.min(stem.len())) {
        budget -= 1;
    }
    format!("{}{ext}", &stem[..budget.min(stem.len())])
}

fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    }
}

/// The file name for `media` fetched with `params`: a scaled image of a video
/// is a JPEG, whatever the original's name says.
fn file_name_for(media: &Media<'_>, params: &ContentParams) -> String {
    let name = safe_file_name(media.filename, media.id, media.mime_type);
    match params {
        ContentParams::Image { .. } if media.is_video || !media.mime_type.starts_with("image/") => {
            format!("{}.jpg", split_extension(&name).0)
        }
        _ => name,
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

/// Removes the temporary file unless the download completed, also when the
/// download's future is dropped half-way.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let short: String = name.chars().take(40).collect();
    target.with_file_name(format!(".{short}.{:016x}.part", crate::random::random_u64()))
}

struct Progress<'a> {
    index: usize,
    on_progress: Option<&'a ProgressCallback>,
}

impl Progress<'_> {
    fn emit(&self, event: DownloadEvent) {
        if let Some(callback) = self.on_progress {
            callback(event);
        }
    }
}

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

    /// Fetches to a temporary file next to `path`, then fsyncs and renames it.
    async fn fetch_to(&self, media: &Media<'_>, params: &ContentParams, path: &Path, progress: &Progress<'_>) -> Result<u64> {
        let engine = &self.inner.engine;
        let mut base_url = media.base_url.to_string();
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let url = reqwest::Url::parse(&content_url(&base_url, params)?).map_err(|_| Error::validation("bad content URL"))?;
            if !engine.policy.allows_media(&url) {
                return Err(Error::validation(format!(
                    "refusing to send the access token to {}: not a Google media host or a configured endpoint",
                    url.host_str().unwrap_or("?")
                )));
            }
            let mut request = reqwest::Request::new(reqwest::Method::GET, url);
            engine.authorize(&mut request, false).await?;
            let response = engine.send(request, "media_get", false).await.map_err(Error::transport)?;
            let status = response.status().as_u16();
            if status == 403 && !refreshed {
                // baseUrls expire about 60 minutes after listing: list again for a fresh one.
                if let Some(fresh) = self.fresh_base_url(media).await {
                    refreshed = true;
                    attempt -= 1;
                    base_url = fresh;
                    continue;
                }
            }
            if !response.status().is_success() {
                return Err(media_error(response).await);
            }
            match self.write_body(response, path, progress).await {
                Ok(bytes) => return Ok(bytes),
                Err(BodyError::Io(error)) => return Err(error),
                Err(BodyError::Network(error)) if attempt >= engine.retry.max_attempts.max(1) => return Err(error),
                Err(BodyError::Network(error)) => {
                    let delay = engine.retry.backoff(attempt, None, false);
                    tracing::info!(operation = "media_get", attempt, error = %error, delay_ms = delay.as_millis() as u64, "retrying a cut download");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// A fresh `baseUrl` for an item whose URL may have expired: by re-listing
    /// its session (picked items) or by batchGet (Library items).
    async fn fresh_base_url(&self, media: &Media<'_>) -> Option<String> {
        let fresh = match media.session_id {
            Some(session_id) => {
                let mut items = std::pin::pin!(self.list_media_items(session_id, Some(crate::client::MAX_PAGE_SIZE)));
                let mut found = None;
                while let Some(Ok(item)) = items.next().await {
                    if item.id == media.id {
                        found = Some(item.media_file.base_url);
                        break;
                    }
                }
                found
            }
            None => self.batch_get_media_items(&[media.id]).await.ok()?.pop()?.ok().map(|item| item.base_url),
        };
        fresh.filter(|url| url != media.base_url && !url.is_empty())
    }

    async fn write_body(&self, mut response: reqwest::Response, path: &Path, progress: &Progress<'_>) -> Result<u64, BodyError> {
        let io = |e| BodyError::Io(Error::io(path, e));
        let total = response.content_length();
        let mut temp = TempFile { path: temp_path(path), keep: false };
        let mut file = tokio::fs::File::create(&temp.path).await.map_err(io)?;
        let mut written: u64 = 0;
        let mut reported: u64 = 0;
        while let Some(chunk) = response.chunk().await.map_err(|e| BodyError::Network(Error::transport(e)))? {
            file.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
            if written - reported >= PROGRESS_EVERY_BYTES {
                reported = written;
                progress.emit(DownloadEvent::Progress { index: progress.index, bytes: written, total });
            }
        }
        if total.is_some_and(|total| total != written) {
            return Err(BodyError::Network(Error::decode(format!("the body ended after {written} of {} bytes", total.unwrap_or_default()))));
        }
        if written == 0 {
            return Err(BodyError::Network(Error::decode("the media body was empty")));
        }
        file.flush().await.map_err(io)?;
        file.sync_all().await.map_err(io)?;
        drop(file);
        tokio::fs::rename(&temp.path, path).await.map_err(io)?;
        temp.keep = true;
        if written != reported {
            progress.emit(DownloadEvent::Progress { index: progress.index, bytes: written, total });
        }
        Ok(written)
    }
}

/// Creates the target directory (and its parents) if needed.
async fn create_dir(dir: &Path) -> Result<()> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| Error::io(dir, e))
}

enum BodyError {
    /// Retrying may help.
    Network(Error),
    /// It will not.
    Io(Error),
}

/// A media error: Google's content servers answer with HTML pages, so the
/// body becomes the message and the HTTP status is kept.
async fn media_error(response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    let headers = header_pairs(response.headers());
    let envelope = match photospicker_api::normalize_error_body(response).await {
        Ok(normalized) => normalized.json::<serde_json::Value>().await.ok(),
        Err(_) => None,
    };
    Error::api(status, envelope.as_ref(), headers)
}

fn unique_name(name: &str, taken: &mut HashSet<String>) -> String {
    let (stem, ext) = split_extension(name);
    let mut candidate = name.to_string();
    let mut n = 1;
    while !taken.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = clip_file_name(&format!("{stem} ({n}){ext}"));
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside_the_directory() {
        for hostile in ["../../x", "..", ".", "/etc/passwd", "..\\..\\win.ini", "a/../../b", "", "   ", ".hidden", "CON", "nul.txt", "x\0y", "a\nb"] {
            let name = safe_file_name(hostile, "ID-1", "image/jpeg");
            assert!(!name.is_empty() && !name.contains(['/', '\\', '\0', '\n']), "{hostile:?} -> {name:?}");
            assert!(!name.starts_with('.'), "{hostile:?} -> {name:?}");
            assert_eq!(Path::new(&name).components().count(), 1, "{hostile:?} -> {name:?}");
        }
        assert_eq!(safe_file_name("../../x", "id", "image/jpeg"), "x");
        assert_eq!(safe_file_name("..", "abc/..", "image/png"), "abc.png");
        assert_eq!(safe_file_name("CON", "id", "image/jpeg"), "_CON");
    }

    #[test]
    fn long_names_are_clipped_on_char_boundaries_keeping_the_extension() {
        let name = safe_file_name(&format!("{}.jpg", "é".repeat(300)), "id", "image/jpeg");
        assert!(name.len() <= MAX_FILE_NAME_BYTES && name.ends_with(".jpg"));
    }

    #[test]
    fn suffixes() {
        let image = |width, height, crop| ContentParams::Image { width, height, crop }.suffix();
        assert_eq!(image(Some(640), Some(480), true).unwrap(), "w640-h480-c");
        assert_eq!(image(Some(640), None, false).unwrap(), "w640");
        assert!(image(None, None, false).is_err() && image(Some(0), None, false).is_err() && image(Some(5), None, true).is_err());
        assert_eq!(content_url("https://lh3.googleusercontent.com/abc", &ContentParams::VideoDownload).unwrap(), "https://lh3.googleusercontent.com/abc=dv");
        assert!(content_url("javascript:alert(1)", &ContentParams::PhotoDownload).is_err());
    }

    #[test]
    fn colliding_names_are_numbered() {
        let mut taken = HashSet::new();
        let names: Vec<String> = ["a.jpg", "A.jpg", "a.jpg"].iter().map(|n| unique_name(n, &mut taken)).collect();
        assert_eq!(names, ["a.jpg", "A (2).jpg", "a (3).jpg"]);
    }
}
