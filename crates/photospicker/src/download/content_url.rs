//! The content URL grammar: what to fetch from a `baseUrl`, as its `=…` suffix.

use crate::error::{Error, Result};

const MAX_SIDE: u32 = 16384;

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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        let image = |width, height, crop| ContentParams::Image { width, height, crop }.suffix();
        assert_eq!(image(Some(640), Some(480), true).unwrap(), "w640-h480-c");
        assert_eq!(image(Some(640), None, false).unwrap(), "w640");
        assert!(image(None, None, false).is_err() && image(Some(0), None, false).is_err() && image(Some(5), None, true).is_err());
        assert_eq!(content_url("https://lh3.googleusercontent.com/abc", &ContentParams::VideoDownload).unwrap(), "https://lh3.googleusercontent.com/abc=dv");
        assert!(content_url("javascript:alert(1)", &ContentParams::PhotoDownload).is_err());
    }
}
