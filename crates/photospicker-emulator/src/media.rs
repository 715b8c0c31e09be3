//! Media bytes behind `baseUrl`, as Google's content servers answer them: the
//! original photo with its Exif minus location (`=d`), images scaled into a box
//! (`=wW-hH`, `-c`), a playable MP4 (`=dv`), byte ranges, validators; the owner's
//! token is required and expired URLs answer 403. Everything is deterministic per
//! item and rendered once into a bounded cache.

mod byte_range;
mod cache;
mod exif;
mod h264;
mod movie;
mod mp4;
mod picture;

pub use cache::MediaCache;

use crate::auth::bearer;
use crate::library::{Kind, LibraryItem};
use crate::state::{Grant, State, LIBRARY_SCOPE, PICKER_SCOPE};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// What Google serves when no size is given.
const DEFAULT_SIDE: u32 = 512;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub crop: bool,
    pub download: bool,
    pub video: bool,
}

/// Parses the part after `=` in `baseUrl=w256-h256-c`.
pub fn parse_options(text: &str) -> Result<Options, String> {
    let mut options = Options::default();
    for part in text.split('-').filter(|p| !p.is_empty()) {
        let number = |p: &str| p[1..].parse::<u32>().ok().filter(|n| (1..=picture::MAX_SIDE).contains(n));
        match part {
            "c" => options.crop = true,
            "d" => options.download = true,
            "dv" => options.video = true,
            "no" | "k" => {}
            p if p.starts_with('w') => options.width = Some(number(p).ok_or_else(|| format!("bad width {p:?}"))?),
            p if p.starts_with('h') => options.height = Some(number(p).ok_or_else(|| format!("bad height {p:?}"))?),
            p if p.starts_with('s') => {
                let side = number(p).ok_or_else(|| format!("bad size {p:?}"))?;
                options.width = Some(side);
                options.height = Some(side);
            }
            other => return Err(format!("unknown parameter {other:?}")),
        }
    }
    Ok(options)
}

/// The size of the image served for `options`: the original for a bare `=d`, else
/// fitted into the box keeping the aspect ratio, or exactly the box with `-c`;
/// never larger than the original (a crop box shrinks to fit it).
pub fn target_size(original: (u32, u32), options: &Options) -> (u32, u32) {
    let (w, h) = (original.0.max(1) as f64, original.1.max(1) as f64);
    let (bw, bh) = match (options.width, options.height, options.download) {
        (None, None, true) => (w, h),
        (None, None, false) => (DEFAULT_SIDE as f64, DEFAULT_SIDE as f64),
        (Some(bw), None, _) => (bw as f64, f64::INFINITY),
        (None, Some(bh), _) => (f64::INFINITY, bh as f64),
        (Some(bw), Some(bh), _) => (bw as f64, bh as f64),
    };
    let (tw, th) = if options.crop && options.width.is_some() && options.height.is_some() {
        let scale = (w / bw).min(h / bh).min(1.0);
        (bw * scale, bh * scale)
    } else {
        let scale = (bw / w).min(bh / h).min(1.0);
        (w * scale, h * scale)
    };
    ((tw.round() as u32).max(1), (th.round() as u32).max(1))
}

/// A still of `item` at `size` without metadata (thumbnails, the picker page).
pub fn render_image(item: &LibraryItem, size: (u32, u32), png: bool) -> Vec<u8> {
    if png {
        picture::png(item, size, None)
    } else {
        picture::jpeg(item, size, None)
    }
}

/// What one request asks for, and the cache key of its bytes.
enum Rendition {
    Still { size: (u32, u32), png: bool, exif: bool },
    Movie,
}

impl Rendition {
    fn key(&self, item: &LibraryItem) -> String {
        match self {
            Self::Still { size, png, exif } => format!("{}/{}x{}/png={png}/exif={exif}", item.id, size.0, size.1),
            Self::Movie => format!("{}/mp4", item.id),
        }
    }

    fn render(self, item: LibraryItem) -> Vec<u8> {
        match self {
            Self::Still { size, png, exif } => {
                let exif = exif.then(|| exif::block(&item, size));
                if png {
                    picture::png(&item, size, exif.as_deref())
                } else {
                    picture::jpeg(&item, size, exif.as_deref())
                }
            }
            Self::Movie => movie::mp4(&item).unwrap_or_default(),
        }
    }
}

/// A body made of rendered bytes and, for padded videos, a run of zeros.
struct Served {
    parts: Vec<Bytes>,
    zeros: u64,
}

impl Served {
    fn len(&self) -> u64 {
        self.parts.iter().map(|p| p.len() as u64).sum::<u64>() + self.zeros
    }

    /// Bytes `first..=last`, without copying what is already in memory.
    fn slice(self, first: u64, last: u64) -> Body {
        let mut pieces = Vec::new();
        let mut offset = 0u64;
        for part in self.parts {
            let (start, end) = (offset, offset + part.len() as u64);
            offset = end;
            if end > first && start <= last {
                pieces.push(part.slice((first.max(start) - start) as usize..(last + 1).min(end).saturating_sub(start) as usize));
            }
        }
        let zeros_from = first.max(offset);
        let zeros = (last + 1).saturating_sub(zeros_from).min(self.zeros);
        if zeros == 0 && pieces.len() == 1 {
            return Body::from(pieces.remove(0));
        }
        static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];
        let zero_chunks = (0..zeros.div_ceil(ZEROS.len() as u64)).map(move |i| {
            let n = (zeros - i * ZEROS.len() as u64).min(ZEROS.len() as u64) as usize;
            Bytes::from_static(&ZEROS[..n])
        });
        let chunks = pieces.into_iter().chain(zero_chunks).map(Ok::<_, std::io::Error>);
        Body::from_stream(futures_util::stream::iter(chunks))
    }
}

fn refuse(status: StatusCode, why: &str) -> Response {
    // Google's content servers answer errors with HTML, not the JSON envelope.
    let page = format!("<!DOCTYPE html><html><head><title>Error {0}</title></head><body><h1>{0}</h1><p>{1}</p></body></html>", status.as_u16(), why);
    (status, [(header::CONTENT_TYPE, "text/html; charset=UTF-8"), (header::ACCEPT_RANGES, "bytes")], page).into_response()
}


pub async fn serve(AxumState(state): AxumState<Arc<State>>, headers: HeaderMap, Path(spec): Path<String>) -> Response {
    let (grant_id, params) = spec.split_once('=').unwrap_or((spec.as_str(), ""));
    let options = match parse_options(params) {
        Ok(options) => options,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, &why),
    };
    let now = state.clock.now();
    let item = {
        let inner = state.lock();
        let Some(grant) = Grant::decode(grant_id, state.secret) else {
            return refuse(StatusCode::NOT_FOUND, "No such media.");
        };
        let caller = bearer(&headers).and_then(|token| inner.user_by_token(token));
        let Some(owner) = caller.filter(|u| u.id == grant.user_id) else {
            return refuse(StatusCode::FORBIDDEN, "This URL needs the owner's OAuth access token.");
        };
        if !owner.scopes.iter().any(|s| s == PICKER_SCOPE || s == LIBRARY_SCOPE) {
            return refuse(StatusCode::FORBIDDEN, "Insufficient scopes.");
        }
        if now >= grant.expires {
            return refuse(StatusCode::FORBIDDEN, "This URL has expired. List the media items again for a fresh one.");
        }
        // A URL from before a reset may name an item the user's new library lacks.
        let Some(item) = owner.library.get(grant.item) else {
            return refuse(StatusCode::NOT_FOUND, "No such media.");
        };
        item.clone()
    };
    let rendition = if options.video {
        let Some(video) = item.video.as_ref().filter(|_| item.kind == Kind::Video) else {
            return refuse(StatusCode::BAD_REQUEST, "=dv applies to videos only.");
        };
        if video.processing_status != "READY" {
            return refuse(StatusCode::FORBIDDEN, "The video is not ready (still processing or failed).");
        }
        Rendition::Movie
    } else {
        let photo = item.kind == Kind::Photo;
        let size = target_size((item.width, item.height), &options);
        Rendition::Still { size, png: photo && item.mime_type == "image/png", exif: photo && options.download }
    };
    let (content_type, filename) = match &rendition {
        Rendition::Movie => ("video/mp4", item.filename.clone()),
        Rendition::Still { png: true, .. } => ("image/png", item.filename.clone()),
        // A video's still is a JPEG named after the video.
        Rendition::Still { .. } => ("image/jpeg", item.filename.rsplit_once('.').map_or(item.filename.clone(), |(stem, _)| format!("{stem}.jpg"))),
    };
    let is_movie = matches!(rendition, Rendition::Movie);
    let key = rendition.key(&item);
    let bytes = match state.media_cache.get_or_render(&key, move || rendition.render(item)).await {
        Ok(bytes) => bytes,
        Err(cache::RenderError::Busy) => return refuse(StatusCode::SERVICE_UNAVAILABLE, "Too many media requests at once; retry shortly."),
        Err(cache::RenderError::Failed) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Rendering failed."),
    };
    let served = if is_movie { padded(bytes, state.config.video_bytes as u64) } else { Served { parts: vec![bytes], zeros: 0 } };
    let len = served.len();
    let etag = format!("\"{:016x}-{len:x}\"", fnv1a(key.as_bytes()));
    let disposition = if options.download || options.video { "attachment" } else { "inline" };
    let mut response = Response::new(Body::empty());
    let out = response.headers_mut();
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    out.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex is a valid header"));
    if let Ok(value) = HeaderValue::from_str(&format!("{disposition}; filename=\"{}\"", filename.replace(['"', '\\'], "_"))) {
        out.insert(header::CONTENT_DISPOSITION, value);
    }
    if headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|t| matches!(t.trim(), "*") || t.trim().trim_start_matches("W/") == etag) {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        return response;
    }
    // If-Range: the range applies only to the representation the client already has.
    let range_applies = headers.get(header::IF_RANGE).is_none_or(|v| v.as_bytes() == etag.as_bytes());
    let range = headers.get(header::RANGE).filter(|_| range_applies).and_then(|v| v.to_str().ok());
    let answer = range.map_or(byte_range::Answer::Whole, |r| byte_range::resolve(r, len));
    let (status, first, last) = match answer {
        byte_range::Answer::Whole if len == 0 => (StatusCode::OK, 0, 0),
        byte_range::Answer::Whole => (StatusCode::OK, 0, len - 1),
        byte_range::Answer::Part { first, last } => (StatusCode::PARTIAL_CONTENT, first, last),
        byte_range::Answer::Unsatisfiable => {
            let mut refused = refuse(StatusCode::RANGE_NOT_SATISFIABLE, "The requested range is not satisfiable.");
            refused.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{len}")).expect("digits"));
            return refused;
        }
    };
    let out = response.headers_mut();
    if status == StatusCode::PARTIAL_CONTENT {
        out.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes {first}-{last}/{len}")).expect("digits"));
    }
    let body_len = if len == 0 { 0 } else { last - first + 1 };
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(body_len));
    *response.status_mut() = status;
    *response.body_mut() = if body_len == 0 { Body::empty() } else { served.slice(first, last) };
    response
}

/// A video padded with a trailing `free` box up to `least` bytes, when shorter.
fn padded(movie: Bytes, least: u64) -> Served {
    let natural = movie.len() as u64;
    let missing = least.saturating_sub(natural);
    let header = mp4::free_box_header(missing);
    if missing < header.len() as u64 {
        return Served { parts: vec![movie], zeros: 0 };
    }
    let zeros = missing - header.len() as u64;
    Served { parts: vec![movie, Bytes::from(header)], zeros }
}

/// A stable hash for validators: the same rendition has the same ETag across runs.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}
