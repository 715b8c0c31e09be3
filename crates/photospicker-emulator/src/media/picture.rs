//! The pixels of an item (a smooth pattern of its own colours, resolution-free so
//! every size shows the same picture) and their JPEG and PNG encodings. Rows are
//! generated as the encoders ask for them, so a 24-megapixel original never needs
//! a frame buffer in memory.

use crate::library::{LibraryItem, Rng};

#[derive(Clone, Copy)]
pub struct Pattern {
    base: [u8; 3],
    stripes: u32,
}

impl Pattern {
    pub fn of(item: &LibraryItem) -> Self {
        let mut rng = Rng::new(item.seed);
        let base = [rng.below(256) as u8, rng.below(256) as u8, rng.below(256) as u8];
        Self { base, stripes: 4 + rng.below(12) as u32 }
    }

    /// The colour at (x, y) of a `w`×`h` rendering.
    pub fn rgb(&self, x: u32, y: u32, (w, h): (u32, u32)) -> [u8; 3] {
        let fx = x * 255 / w.max(1);
        let fy = y * 255 / h.max(1);
        let band = ((x + y) * self.stripes / (w + h).max(1)).is_multiple_of(2);
        let lift = if band { 40 } else { 0 };
        [
            self.base[0].wrapping_add(fx as u8 / 2).saturating_add(lift),
            self.base[1].wrapping_add(fy as u8 / 2),
            self.base[2].wrapping_add(((fx + fy) / 4) as u8),
        ]
    }
}

struct Rows {
    pattern: Pattern,
    size: (u32, u32),
}

impl jpeg_encoder::ImageBuffer for Rows {
    fn get_jpeg_color_type(&self) -> jpeg_encoder::JpegColorType {
        jpeg_encoder::JpegColorType::Ycbcr
    }

    fn width(&self) -> u16 {
        self.size.0 as u16
    }

    fn height(&self) -> u16 {
        self.size.1 as u16
    }

    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        for x in 0..self.size.0 {
            let [r, g, b] = self.pattern.rgb(x, y as u32, self.size);
            let (luma, cb, cr) = jpeg_encoder::rgb_to_ycbcr(r, g, b);
            buffers[0].push(luma);
            buffers[1].push(cb);
            buffers[2].push(cr);
        }
    }
}

/// Sides above this do not fit JPEG's 16-bit dimensions; parse_options caps sizes below it.
pub const MAX_SIDE: u32 = 16384;

/// A baseline JPEG of `item` at `size`, with an Exif block (TIFF bytes) if given.
pub fn jpeg(item: &LibraryItem, size: (u32, u32), exif: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    if let Some(exif) = exif {
        encoder.add_app_segment(1, &[b"Exif\0\0".as_slice(), exif].concat()).expect("the Exif block fits one segment");
    }
    encoder.encode_image(Rows { pattern: Pattern::of(item), size }).expect("sizes are within JPEG's limits");
    out
}

/// An RGB PNG of `item` at `size`, with an `eXIf` chunk if given.
pub fn png(item: &LibraryItem, size: (u32, u32), exif: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    write_png(&mut out, item, size, exif);
    out
}

fn write_png(out: &mut Vec<u8>, item: &LibraryItem, size: (u32, u32), exif: Option<&[u8]>) {
    let mut encoder = png::Encoder::new(out, size.0, size.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().expect("writing into memory cannot fail");
    if let Some(exif) = exif {
        writer.write_chunk(png::chunk::eXIf, exif).expect("writing into memory cannot fail");
    }
    let pattern = Pattern::of(item);
    let mut stream = writer.stream_writer().expect("writing into memory cannot fail");
    let mut row = Vec::with_capacity(size.0 as usize * 3);
    for y in 0..size.1 {
        row.clear();
        row.extend((0..size.0).flat_map(|x| pattern.rgb(x, y, size)));
        std::io::Write::write_all(&mut stream, &row).expect("writing into memory cannot fail");
    }
    stream.finish().expect("writing into memory cannot fail");
}
