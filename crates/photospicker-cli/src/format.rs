//! How numbers read in the terminal: durations rounded to what a person
//! needs, sizes in binary units, counts of photos and videos.

use std::time::Duration;

/// `45s`, `4m 05s`, `1h 02m`: whole seconds, two units at most.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64().round() as u64;
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60),
    }
}

/// `512 B`, `3.4 KiB`, `12.0 MiB`, `1.5 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `1 item`, `3 items`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 photos and 1 video`, `2 photos`, `1 video`, `nothing`.
pub fn photos_and_videos(photos: usize, videos: usize) -> String {
    match (photos, videos) {
        (0, 0) => "nothing".into(),
        (p, 0) => count(p, "photo", "photos"),
        (0, v) => count(v, "video", "videos"),
        (p, v) => format!("{} and {}", count(p, "photo", "photos"), count(v, "video", "videos")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_rounded_to_whole_seconds_with_two_units_at_most() {
        assert_eq!(duration(Duration::from_millis(400)), "0s");
        assert_eq!(duration(Duration::from_secs_f64(44.6)), "45s");
        assert_eq!(duration(Duration::from_secs(245)), "4m 05s");
        assert_eq!(duration(Duration::from_secs_f64(1799.995641)), "30m 00s");
        assert_eq!(duration(Duration::from_secs(3720)), "1h 02m");
    }

    #[test]
    fn sizes_read_in_binary_units_with_one_decimal() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(12 * 1024 * 1024), "12.0 MiB");
        assert_eq!(bytes(3 * 1024 * 1024 * 1024 / 2), "1.5 GiB");
    }

    #[test]
    fn counts_say_photos_and_videos_in_words() {
        assert_eq!(photos_and_videos(3, 1), "3 photos and 1 video");
        assert_eq!(photos_and_videos(1, 0), "1 photo");
        assert_eq!(photos_and_videos(0, 2), "2 videos");
        assert_eq!(photos_and_videos(0, 0), "nothing");
    }
}
