//! Fetching a media body into an atomic file: the content request, the
//! refresh of an expired `baseUrl`, the retry of a cut body, progress.

use super::content_url::{content_url, ContentParams};
use super::item::Media;
use super::options::{DownloadEvent, Progress};
use super::refresh::Refresher;
use super::writer::{AtomicFile, Placement};
use crate::client::{header_pairs, Client};
use crate::error::{Error, Result};
use std::path::PathBuf;

const PROGRESS_EVERY_BYTES: u64 = 256 * 1024;

impl Client {
    /// Fetches to a temporary file in the target directory, then fsyncs it
    /// and puts it in place; returns its size and path.
    pub(super) async fn fetch_to(
        &self,
        media: &Media<'_>,
        params: &ContentParams,
        placement: &Placement,
        refresher: &Refresher,
        progress: &Progress<'_>,
    ) -> Result<(u64, PathBuf)> {
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
                if let Some(fresh) = refresher.fresh_base_url(self, media).await {
                    refreshed = true;
                    attempt -= 1;
                    base_url = fresh;
                    continue;
                }
            }
            if !response.status().is_success() {
                return Err(media_error(response).await);
            }
            match self.write_body(response, placement, progress).await {
                Ok(saved) => return Ok(saved),
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

    async fn write_body(&self, mut response: reqwest::Response, placement: &Placement, progress: &Progress<'_>) -> Result<(u64, PathBuf), BodyError> {
        let target = placement.path();
        let io = |e| BodyError::Io(Error::io(&target, e));
        let total = response.content_length();
        let mut file = AtomicFile::create(placement).await.map_err(io)?;
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
        let path = file.commit(placement).await.map_err(io)?;
        if written != reported {
            progress.emit(DownloadEvent::Progress { index: progress.index, bytes: written, total });
        }
        Ok((written, path))
    }
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
