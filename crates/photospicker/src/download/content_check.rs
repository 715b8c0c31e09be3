//! Is a media answer what the item is? A captive portal or a broken CDN node
//! answers `200 text/html` for a photo; such a page must not be saved as
//! `photo.jpg`. The `Content-Type` and the first bytes (magic numbers) are
//! checked against the kind the request asked for (image or video); only a
//! positive sign of another kind is refused, so an unknown but plausible
//! format passes.

use super::content_url::ContentParams;
use super::item::Media;
use crate::error::{Error, Result};

/// Bytes needed to recognise every format below.
pub(super) const SNIFF_BYTES: usize = 16;

/// The top-level type the answer must have: `image` or `video`.
pub(super) fn expected_kind(media: &Media<'_>, params: &ContentParams) -> &'static str {
    match params {
        // A scaled image of a video is a still frame.
        ContentParams::Image { .. } => "image",
        ContentParams::VideoDownload => "video",
        ContentParams::PhotoDownload if media.mime_type.to_ascii_lowercase().starts_with("video/") => "video",
        ContentParams::PhotoDownload => "image",
    }
}

/// What the bytes say they are, if they say it clearly.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let text = &head[start..];
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    if text.starts_with(b"<") {
        return Some("an HTML or XML page");
    }
    if text.starts_with(b"{") || text.starts_with(b"[") {
        return Some("a JSON document");
    }
    if head.starts_with(b"\xFF\xD8\xFF") || head.starts_with(b"\x89PNG") || head.starts_with(b"GIF8") {
        return Some("image");
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some("image");
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return match &head[8..12] {
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif" => Some("image"),
            _ => Some("video"),
        };
    }
    None
}

/// Checks the answer's `Content-Type` header (when it says anything useful)
/// and its first bytes against `expected` (`image` or `video`).
pub(super) fn check(expected: &str, content_type: Option<&str>, head: &[u8]) -> Result<()> {
    let what = if expected == "video" { "a video" } else { "an image" };
    if let Some(content_type) = content_type {
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let top = essence.split('/').next().unwrap_or_default();
        let neutral = essence.is_empty() || essence == "application/octet-stream" || essence == "binary/octet-stream";
        // Some servers label MP4/QuickTime as application/mp4.
        let compatible = top == expected || (expected == "video" && essence == "application/mp4");
        if !neutral && !compatible {
            return Err(Error::unexpected_content(what, format!("the server sent Content-Type {essence}")));
        }
    }
    match sniff(head) {
        Some(kind) if kind != expected => {
            let found = if matches!(kind, "image" | "video") { format!("its bytes are {} file", if kind == "video" { "a video" } else { "an image" }) } else { format!("its bytes are {kind}") };
            Err(Error::unexpected_content(what, found))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_other_kinds_are_refused_and_plausible_bytes_pass() {
        assert!(check("image", Some("text/html; charset=utf-8"), b"<html>").is_err());
        assert!(check("image", None, b"  <!DOCTYPE html><html>").is_err());
        assert!(check("image", Some("application/octet-stream"), b"{\"error\": 1}").is_err());
        assert!(check("video", Some("image/jpeg"), b"\xFF\xD8\xFF\xE0").is_err());
        assert!(check("image", None, b"\x00\x00\x00\x18ftypmp42").is_err());
        assert!(check("image", Some("image/jpeg"), b"\xFF\xD8\xFF\xE0\x00\x10JFIF").is_ok());
        assert!(check("image", Some("image/heic"), b"\x00\x00\x00\x18ftypheic").is_ok());
        assert!(check("video", Some("video/mp4"), b"\x00\x00\x00\x18ftypisom").is_ok());
        assert!(check("video", None, b"\x01\x02\x03random").is_ok());
        assert!(check("image", Some("image/webp"), b"RIFF\x00\x00\x00\x00WEBPVP8 ").is_ok());
    }
}
