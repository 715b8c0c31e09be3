//! An item's video (`=dv`): a real H.264 MP4 at the listed width, height and frame
//! rate, lasting the item's duration, showing the item's pattern.

use super::h264::{self, Picture};
use super::mp4::{self, Track};
use super::picture::Pattern;
use crate::library::LibraryItem;

/// The MP4 of a video item (None for photos).
pub fn mp4(item: &LibraryItem) -> Option<Vec<u8>> {
    let video = item.video.as_ref()?;
    // 4:2:0 needs even sizes; the library only lists even ones.
    let (width, height) = (item.width.max(2) & !1, item.height.max(2) & !1);
    let frame = Frame { pattern: Pattern::of(item), size: (width, height) };
    let stream = h264::encode(&frame, width, height, video.fps, video.frame_count, item.seed);
    // 29.97 fps is 30000/1001: a timescale of fps × 1001 makes every rate exact.
    let timescale = (video.fps * 1001.0).round() as u32;
    Some(mp4::mux(&Track { stream: &stream, width, height, timescale, frame_ticks: 1001, created_unix: item.create_time.timestamp() }))
}

struct Frame {
    pattern: Pattern,
    size: (u32, u32),
}

impl Frame {
    fn rgb(&self, x: u32, y: u32) -> [f64; 3] {
        // Macroblocks cover whole 16×16 squares; samples beyond the picture are cropped away.
        let [r, g, b] = self.pattern.rgb(x.min(self.size.0 - 1), y.min(self.size.1 - 1), self.size);
        [r as f64, g as f64, b as f64]
    }
}

/// BT.601 limited range, what decoders assume without colour information.
impl Picture for Frame {
    fn luma(&self, x: u32, y: u32) -> u8 {
        let [r, g, b] = self.rgb(x, y);
        (16.0 + (65.738 * r + 129.057 * g + 25.064 * b) / 256.0).round() as u8
    }

    fn chroma(&self, x: u32, y: u32) -> (u8, u8) {
        let [r, g, b] = self.rgb(2 * x, 2 * y);
        let cb = 128.0 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256.0;
        let cr = 128.0 + (112.439 * r - 94.154 * g - 18.285 * b) / 256.0;
        (cb.round() as u8, cr.round() as u8)
    }
}
