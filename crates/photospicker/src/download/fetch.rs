//! Fetching a media body into an atomic file, inside the client's one retry
//! loop: each attempt is one request (plus, once per download, one after
//! refreshing an expired `baseUrl`); a body cut or stalled half-way is
//! resumed with `Range: bytes=N-` from the bytes already written; the
//! answer's content is checked against the item before anything is kept.

use super::content_check::{self, SNIFF_BYTES};
use super::content_url::{content_url, ContentParams};
use super::item::Media;
use super::options::{DownloadEvent, Progress};
use super::refresh::Refresher;
use super::writer::{AtomicFile, Placement};
use crate::body::StallGuard;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::retry_loop::{Attempt, Call};
use reqwest::header::{HeaderValue, CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_RANGE, RANGE};
use std::path::PathBuf;

const PROGRESS_EVERY_BYTES: u64 = 256 * 1024;

/// What survives from one attempt to the next.
struct Download {
    file: AtomicFile,
    /// Where the file goes, for errors.
    path: PathBuf,
    base_url: String,
    url_refreshed: bool,
    /// The full size, once a server told it.
    total: Option<u64>,
    /// The first answer's strong ETag: a resume asks for the rest of *that*
    /// representation only (`If-Range`), never splices in another one.
    validator: Option<HeaderValue>,
    reported: u64,
}

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
        let target = placement.path();
        let path = target.as_path();
        let file = AtomicFile::create(placement).await.map_err(|e| Error::io(path, e))?;
        let state = tokio::sync::Mutex::new(Download { file, path: target.clone(), base_url: media.base_url.to_string(), url_refreshed: false, total: None, validator: None, reported: 0 });
        let call = Call { operation: "media_get", idempotent: true, authorized: true, cut_at_time_limit: false };
        let written = self
            .inner
            .engine
            .run(&call, |attempt| {
                let state = &state;
                async move {
                    // The whole attempt (request and body) ends at the deadline.
                    let deadline = attempt.deadline;
                    deadline
                        .within(async {
                            let mut state = state.lock().await;
                            self.attempt_download(&mut state, media, params, refresher, progress, &attempt).await
                        })
                        .await
                }
            })
            .await?;
        let state = state.into_inner();
        let saved = state.file.commit(placement).await.map_err(|e| Error::io(path, e))?;
        if written != state.reported {
            progress.emit(DownloadEvent::Progress { index: progress.index, bytes: written, total: state.total });
        }
        Ok((written, saved))
    }

    /// One attempt: request from the bytes already written, write the rest.
    async fn attempt_download(
        &self,
        state: &mut Download,
        media: &Media<'_>,
        params: &ContentParams,
        refresher: &Refresher,
        progress: &Progress<'_>,
        attempt: &Attempt,
    ) -> Result<u64> {
        let engine = &self.inner.engine;
        let path = state.path.clone();
        let io = |e| Error::io(&path, e);
        let offset = state.file.written();
        // The media slot is held while the body streams (the connection is busy
        // until then); not while waiting for a fresh URL, which another
        // download may be fetching and which waits for that download's re-listing.
        let (mut response, _slot) = loop {
            let url = reqwest::Url::parse(&content_url(&state.base_url, params)?).map_err(|_| Error::validation("bad content URL"))?;
            if !engine.policy.allows_media(&url) {
                return Err(Error::validation(format!(
                    "refusing to send the access token to {}: not a Google media host or a configured endpoint",
                    url.host_str().unwrap_or("?")
                )));
            }
            let mut request = reqwest::Request::new(reqwest::Method::GET, url);
            if offset > 0 {
                request.headers_mut().insert(RANGE, format!("bytes={offset}-").parse().expect("a valid header value"));
                if let Some(validator) = &state.validator {
                    request.headers_mut().insert(IF_RANGE, validator.clone());
                }
            }
            let slot = engine.request_slot(crate::per_process::SlotKind::Media, &attempt.deadline).await?;
            match engine.send_once(request, attempt.token.as_ref(), &attempt.deadline).await {
                // baseUrls expire about 60 minutes after listing: list again for a fresh one.
                Err(error) if error.http_status() == Some(403) && !state.url_refreshed => {
                    drop(slot);
                    state.url_refreshed = true;
                    match refresher.fresh_base_url(self, media).await {
                        Some(fresh) => state.base_url = fresh,
                        None => return Err(error),
                    }
                }
                outcome => break (outcome?, slot),
            }
        };
        let status = response.status().as_u16();
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let expected = content_check::expected_kind(media, params);
        match status {
            206 => {
                let range = response.headers().get(CONTENT_RANGE).and_then(|v| v.to_str().ok()).and_then(parse_content_range);
                match range {
                    // The rest of the same whole: the offset asked for, and the total
                    // the first answer announced (a different total is another file).
                    Some((start, total)) if start == offset && (total.is_none() || state.total.is_none() || total == state.total) => {
                        if total.is_some() {
                            state.total = total;
                        }
                    }
                    _ => {
                        // Not the bytes asked for: start again from the first byte.
                        state.file.restart().await.map_err(io)?;
                        state.total = None;
                        state.validator = None;
                        return Err(Error::interrupted("the server resumed the download at another offset or of another length than asked; starting again"));
                    }
                }
                content_check::check(expected, content_type.as_deref(), &[])?;
            }
            200 => {
                if offset > 0 {
                    tracing::info!(operation = "media_get", offset, "the server ignored the Range request; downloading from the start");
                    state.file.restart().await.map_err(io)?;
                }
                state.total = response.content_length();
                state.validator = response.headers().get(ETAG).filter(|tag| !tag.as_bytes().starts_with(b"W/")).cloned();
            }
            other => return Err(Error::decode(format!("unexpected HTTP {other} for a media download"))),
        }
        let mut guard = StallGuard::new(engine.limits.stall);
        let mut head = Vec::new();
        let mut checked = status == 206;
        loop {
            let chunk = guard.next(&mut response).await?;
            let Some(chunk) = chunk else { break };
            let bytes: &[u8] = if checked {
                &chunk
            } else {
                head.extend_from_slice(&chunk);
                if head.len() < SNIFF_BYTES {
                    continue;
                }
                content_check::check(expected, content_type.as_deref(), &head)?;
                checked = true;
                &head
            };
            state.file.write_all(bytes).await.map_err(io)?;
            head = Vec::new();
            let written = state.file.written();
            if written - state.reported >= PROGRESS_EVERY_BYTES {
                state.reported = written;
                progress.emit(DownloadEvent::Progress { index: progress.index, bytes: written, total: state.total });
            }
        }
        if !checked {
            // A body shorter than the sniffing window.
            content_check::check(expected, content_type.as_deref(), &head)?;
            state.file.write_all(&head).await.map_err(io)?;
        }
        let written = state.file.written();
        if let Some(total) = state.total.filter(|total| *total != written) {
            return Err(Error::interrupted(format!("the body ended after {written} of {total} bytes")));
        }
        if written == 0 {
            return Err(Error::interrupted("the media body was empty"));
        }
        Ok(written)
    }
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`) → (START, TOTAL).
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end): (u64, u64) = (start.trim().parse().ok()?, end.trim().parse().ok()?);
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse::<u64>().ok().filter(|total| *total > end)?),
    };
    Some((start, total))
}

#[cfg(test)]
mod tests {
    use super::parse_content_range;

    #[test]
    fn content_ranges_are_read_strictly() {
        assert_eq!(parse_content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(parse_content_range("bytes 0-9/*"), Some((0, None)));
        assert_eq!(parse_content_range("bytes 10-5/100"), None);
        assert_eq!(parse_content_range("bytes 0-99/50"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
        assert_eq!(parse_content_range("bytes -1-5/9"), None);
    }
}
