//! File names: a safe name from the item's own name (or its id), and
//! numbering of names that would collide.

use super::content_url::ContentParams;
use super::item::Media;
use std::collections::HashSet;

const MAX_FILE_NAME_BYTES: usize = 200;

fn extension_for(mime_type: &str) -> &'static str {
    match mime_type.to_ascii_lowercase().as_str() {
        "image/jpeg" | "image/jpg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/heic" => "heic",
        "image/heif" => "heif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        _ => "bin",
    }
}

/// A file name that is safe to join to a directory: the last component of
/// `filename` without separators, control or reserved characters, not `.` or
/// `..` or hidden, at most 200 bytes; else `{id}.{ext}` from the MIME type.
pub fn safe_file_name(filename: &str, item_id: &str, mime_type: &str) -> String {
    let last = filename.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let mut name = cleaned.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).to_string();
    if is_reserved_on_windows(&name) {
        name.insert(0, '_');
    }
    if name.is_empty() {
        let id: String = item_id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).take(64).collect();
        let id = if id.is_empty() { "item".to_string() } else { id };
        name = format!("{id}.{}", extension_for(mime_type));
    }
    clip_file_name(&name)
}

fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL") || ((stem.starts_with("COM") || stem.starts_with("LPT")) && stem.len() == 4 && stem.as_bytes()[3].is_ascii_digit())
}

/// Shortens a name to the byte limit on a character boundary, keeping its extension.
fn clip_file_name(name: &str) -> String {
    if name.len() <= MAX_FILE_NAME_BYTES {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    let ext = if ext.len() <= 16 { ext } else { "" };
    let mut budget = MAX_FILE_NAME_BYTES - ext.len();
    while !stem.is_char_boundary(budget.min(stem.len())) {
        budget -= 1;
    }
    format!("{}{ext}", &stem[..budget.min(stem.len())])
}

fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    }
}

/// The file name for `media` fetched with `params`: a scaled image of a video
/// is a JPEG, whatever the original's name says.
pub(super) fn file_name_for(media: &Media<'_>, params: &ContentParams) -> String {
    let name = safe_file_name(media.filename, media.id, media.mime_type);
    match params {
        ContentParams::Image { .. } if media.is_video || !media.mime_type.starts_with("image/") => {
            format!("{}.jpg", split_extension(&name).0)
        }
        _ => name,
    }
}

pub(super) fn unique_name(name: &str, taken: &mut HashSet<String>) -> String {
    let (stem, ext) = split_extension(name);
    let mut candidate = name.to_string();
    let mut n = 1;
    while !taken.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = clip_file_name(&format!("{stem} ({n}){ext}"));
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn hostile_names_stay_inside_the_directory() {
        for hostile in ["../../x", "..", ".", "/etc/passwd", "..\\..\\win.ini", "a/../../b", "", "   ", ".hidden", "CON", "nul.txt", "x\0y", "a\nb"] {
            let name = safe_file_name(hostile, "ID-1", "image/jpeg");
            assert!(!name.is_empty() && !name.contains(['/', '\\', '\0', '\n']), "{hostile:?} -> {name:?}");
            assert!(!name.starts_with('.'), "{hostile:?} -> {name:?}");
            assert_eq!(Path::new(&name).components().count(), 1, "{hostile:?} -> {name:?}");
        }
        assert_eq!(safe_file_name("../../x", "id", "image/jpeg"), "x");
        assert_eq!(safe_file_name("..", "abc/..", "image/png"), "abc.png");
        assert_eq!(safe_file_name("CON", "id", "image/jpeg"), "_CON");
    }

    #[test]
    fn long_names_are_clipped_on_char_boundaries_keeping_the_extension() {
        let name = safe_file_name(&format!("{}.jpg", "é".repeat(300)), "id", "image/jpeg");
        assert!(name.len() <= MAX_FILE_NAME_BYTES && name.ends_with(".jpg"));
    }

    #[test]
    fn colliding_names_are_numbered() {
        let mut taken = HashSet::new();
        let names: Vec<String> = ["a.jpg", "A.jpg", "a.jpg"].iter().map(|n| unique_name(n, &mut taken)).collect();
        assert_eq!(names, ["a.jpg", "A (2).jpg", "a (3).jpg"]);
    }
}
