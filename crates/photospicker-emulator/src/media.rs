//! Media bytes behind `baseUrl`: real JPEG/PNG images scaled to the requested
//! box, and video bytes, each deterministic per item. Owner's token required;
//! expired URLs answer 403 like Google's content servers.

use crate::auth::bearer;
use crate::library::{Kind, LibraryItem, Rng};
use crate::state::{State, LIBRARY_SCOPE, PICKER_SCOPE};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State as AxumState};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Pixels of the largest image generated; larger requests are answered at this size
/// (keeping the aspect ratio) so that a `=d` of a 24 MP photo stays cheap.
const MAX_GENERATED_SIDE: u32 = 2048;
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
        let number = |p: &str| p[1..].parse::<u32>().ok().filter(|n| (1..=16384).contains(n));
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

/// The size of the image served for `options`, keeping the aspect ratio unless cropping.
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
        (bw, bh)
    } else {
        // Fit inside the box; never upscale.
        let scale = (bw / w).min(bh / h).min(1.0);
        (w * scale, h * scale)
    };
    let cap = (MAX_GENERATED_SIDE as f64 / tw.max(th)).min(1.0);
    (((tw * cap).round() as u32).max(1), ((th * cap).round() as u32).max(1))
}

pub fn render_image(item: &LibraryItem, size: (u32, u32), png: bool) -> Vec<u8> {
    let mut rng = Rng::new(item.seed);
    let base = [rng.below(256) as u8, rng.below(256) as u8, rng.below(256) as u8];
    let stripes = 4 + rng.below(12) as u32;
    let (w, h) = size;
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        let fx = x * 255 / w.max(1);
        let fy = y * 255 / h.max(1);
        let band = ((x + y) * stripes / (w + h).max(1)).is_multiple_of(2);
        let lift = if band { 40 } else { 0 };
        image::Rgb([
            base[0].wrapping_add(fx as u8 / 2).saturating_add(lift),
            base[1].wrapping_add(fy as u8 / 2),
            base[2].wrapping_add(((fx + fy) / 4) as u8),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let format = if png { image::ImageFormat::Png } else { image::ImageFormat::Jpeg };
    image.write_to(&mut out, format).expect("encoding into memory cannot fail");
    out.into_inner()
}

/// A video file: an `ftyp` box then `mdat` filled with deterministic bytes.
fn video_body(item: &LibraryItem, size: usize) -> Body {
    let size = size.max(32);
    let mut header = Vec::with_capacity(32);
    header.extend_from_slice(&24u32.to_be_bytes());
    header.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    let mdat_len = (size - header.len()) as u32;
    header.extend_from_slice(&mdat_len.to_be_bytes());
    header.extend_from_slice(b"mdat");
    let seed = item.seed;
    let remaining = size - header.len();
    let chunks = futures_util::stream::unfold((Some(header), Rng::new(seed), remaining), |(header, mut rng, left)| async move {
        if let Some(header) = header {
            return Some((Ok::<_, std::io::Error>(Bytes::from(header)), (None, rng, left)));
        }
        if left == 0 {
            return None;
        }
        let n = left.min(64 * 1024);
        let mut chunk = Vec::with_capacity(n + 8);
        while chunk.len() < n {
            chunk.extend_from_slice(&rng.next_u64().to_le_bytes());
        }
        chunk.truncate(n);
        Some((Ok(Bytes::from(chunk)), (None, rng, left - n)))
    });
    Body::from_stream(chunks)
}

fn refuse(status: StatusCode, why: &str) -> Response {
    // Google's content servers answer errors with HTML, not the JSON envelope.
    let page = format!("<!DOCTYPE html><html><head><title>Error {0}</title></head><body><h1>{0}</h1><p>{1}</p></body></html>", status.as_u16(), why);
    (status, [(header::CONTENT_TYPE, "text/html; charset=UTF-8")], page).into_response()
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
        let Some(grant) = inner.grants.get(grant_id) else {
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
        owner.library[grant.item].clone()
    };
    if options.video {
        let Some(video) = item.video.as_ref().filter(|_| item.kind == Kind::Video) else {
            return refuse(StatusCode::BAD_REQUEST, "=dv applies to videos only.");
        };
        if video.processing_status != "READY" {
            return refuse(StatusCode::FORBIDDEN, "The video is not ready (still processing or failed).");
        }
        let size = state.config.video_bytes;
        return (
            [(header::CONTENT_TYPE, "video/mp4".to_string()), (header::CONTENT_LENGTH, size.max(32).to_string())],
            video_body(&item, size),
        )
            .into_response();
    }
    let png = item.mime_type == "image/png" && item.kind == Kind::Photo;
    let size = target_size((item.width, item.height), &options);
    let bytes = match tokio::task::spawn_blocking(move || render_image(&item, size, png)).await {
        Ok(bytes) => bytes,
        Err(_) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Rendering failed."),
    };
    let content_type = if png { "image/png" } else { "image/jpeg" };
    ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
}
