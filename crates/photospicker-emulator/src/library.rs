//! Each emulated user's library: deterministic (the same seed gives the same
//! items) and realistic (cameras, exposures, frame rates, sizes, create times).

use chrono::{DateTime, Duration, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Photo,
    Video,
}

#[derive(Debug, Clone)]
pub struct PhotoMeta {
    pub focal_length: f64,
    pub aperture_f_number: f64,
    pub iso_equivalent: i32,
    pub exposure_time: &'static str,
}

#[derive(Debug, Clone)]
pub struct VideoMeta {
    pub fps: f64,
    pub processing_status: &'static str,
    /// Frames in the served MP4; with `fps` this gives the video's duration.
    pub frame_count: u32,
}

impl VideoMeta {
    pub fn duration_seconds(&self) -> f64 {
        self.frame_count as f64 / self.fps
    }
}

/// Between 1 and 30 seconds of frames, drawn from the item's own seed so that
/// adding durations left every library's ids and metadata unchanged.
fn frame_count(item_seed: u64, fps: f64) -> u32 {
    let seconds = 1.0 + 29.0 * Rng::new(item_seed ^ 0xD0_7A_71_0F).unit();
    ((seconds * fps).round() as u32).max(1)
}

#[derive(Debug, Clone)]
pub struct LibraryItem {
    pub id: String,
    pub kind: Kind,
    pub filename: String,
    pub mime_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub camera_make: &'static str,
    pub camera_model: &'static str,
    pub create_time: DateTime<Utc>,
    pub description: String,
    pub photo: Option<PhotoMeta>,
    pub video: Option<VideoMeta>,
    /// Whether the calling app "uploaded" it: only those come back from batchGet.
    pub app_created: bool,
    /// Seeds the pixels and bytes served for this item.
    pub seed: u64,
}

/// splitmix64: a tiny, good-enough deterministic generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len())]
    }
}

const CAMERAS: &[(&str, &str)] = &[
    ("Google", "Pixel 8"),
    ("Apple", "iPhone 15 Pro"),
    ("samsung", "SM-S918B"),
    ("Canon", "Canon EOS R6"),
    ("SONY", "ILCE-7M4"),
];
const PHOTO_SIZES: &[(u32, u32)] = &[(4000, 3000), (4032, 3024), (3024, 4032), (6000, 4000), (1600, 1200)];
const VIDEO_SIZES: &[(u32, u32)] = &[(1920, 1080), (3840, 2160), (1080, 1920), (1280, 720)];
const EXPOSURES: &[&str] = &["0.033333335s", "0.016666667s", "0.008s", "0.004s", "0.001s", "0.5s"];
const FOCAL_LENGTHS: &[f64] = &[6.9, 4.25, 24.0, 35.0, 50.0, 85.0];
const APERTURES: &[f64] = &[1.68, 1.8, 2.8, 4.0, 5.6];
const ISOS: &[i32] = &[50, 100, 200, 400, 800, 3200];
const FRAME_RATES: &[f64] = &[29.97, 30.0, 59.94, 24.0, 60.0];

/// Builds a library of `size` items, newest first; about `video_ratio` of them videos.
pub fn generate(user_seed: u64, size: usize, video_ratio: f64) -> Vec<LibraryItem> {
    let mut rng = Rng::new(user_seed);
    let newest = Utc.with_ymd_and_hms(2026, 10, 1, 9, 30, 0).single().expect("valid date");
    let mut create_time = newest;
    let mut videos = 0usize;
    (0..size)
        .map(|index| {
            let seed = rng.next_u64();
            let kind = if rng.unit() < video_ratio { Kind::Video } else { Kind::Photo };
            let (make, model) = rng.pick(CAMERAS);
            create_time -= Duration::minutes(17 + rng.below(60 * 30) as i64);
            let stamp = create_time.format("%Y%m%d_%H%M%S");
            let id = format!("AF1Qip{:016X}{:016X}{index:04}", seed, user_seed.rotate_left(17) ^ seed);
            let common = |kind, filename, mime_type, (width, height)| LibraryItem {
                id: id.clone(),
                kind,
                filename,
                mime_type,
                width,
                height,
                camera_make: make,
                camera_model: model,
                create_time,
                description: String::new(),
                photo: None,
                video: None,
                app_created: index % 2 == 0,
                seed,
            };
            match kind {
                Kind::Photo => {
                    let png = index % 7 == 5;
                    let (filename, mime) = if png {
                        (format!("Screenshot_{stamp}.png"), "image/png")
                    } else {
                        (format!("PXL_{stamp}.jpg"), "image/jpeg")
                    };
                    let mut item = common(kind, filename, mime, rng.pick(PHOTO_SIZES));
                    item.description = format!("Photo {index} taken with a {make} {model}");
                    item.photo = Some(PhotoMeta {
                        focal_length: rng.pick(FOCAL_LENGTHS),
                        aperture_f_number: rng.pick(APERTURES),
                        iso_equivalent: rng.pick(ISOS),
                        exposure_time: rng.pick(EXPOSURES),
                    });
                    item
                }
                Kind::Video => {
                    videos += 1;
                    // Every fifth video is still processing and every seventh failed,
                    // so that clients meet the non-READY states.
                    let processing_status = match videos {
                        n if n % 5 == 0 => "PROCESSING",
                        n if n % 7 == 0 => "FAILED",
                        _ => "READY",
                    };
                    let mut item = common(kind, format!("VID_{stamp}.mp4"), "video/mp4", rng.pick(VIDEO_SIZES));
                    let fps = rng.pick(FRAME_RATES);
                    item.video = Some(VideoMeta { fps, processing_status, frame_count: frame_count(seed, fps) });
                    item
                }
            }
        })
        .collect()
}
