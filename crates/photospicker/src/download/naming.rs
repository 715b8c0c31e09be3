//! File names: a safe name from the item's own name (or its id), and
//! numbering of names that would collide.

use super::content_url::ContentParams;
use super::item::Media;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

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
        .map(|c| if c.is_control() || is_invisible_format(c) || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
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

/// Unicode format and separator characters (category Cf, Zl, Zp) that change
/// how a name is shown without being seen: `evil\u{202E}gpj.exe` displays as
/// `evilexe.jpg`. No crate is pulled in for a table this small and stable.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
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

/// The highest number tried before giving up on a name: past it the
/// directory is full of that name, and an error says so.
const MAX_NUMBER: u32 = 100_000;

/// The names handed out in one directory by one call (a download or a whole
/// batch), so that two items never get the same file. Names are compared
/// lowercased, as case-insensitive file systems would, and each name
/// remembers the next number to try so that 1,000 equal names cost 1,000
/// steps, not a million.
///
/// Handing out a name only reserves it: the file is created exclusively
/// later (see `writer`), and a name taken meanwhile by someone else just
/// moves on to the next number.
#[derive(Debug, Default)]
pub(super) struct NameBook {
    inner: Mutex<Book>,
    /// The directory's names when the book was opened, lowercased, so that
    /// a new name never differs from an existing one only by case (the
    /// folder may be copied to a case-insensitive file system later).
    on_disk: HashSet<String>,
}

#[derive(Debug, Default)]
struct Book {
    taken: HashSet<String>,
    next_number: HashMap<String, u32>,
}

impl NameBook {
    /// A book for `dir`, aware of what is in it when `skip_existing`.
    pub(super) fn new(dir: &Path, skip_existing: bool) -> Self {
        let on_disk = match std::fs::read_dir(dir) {
            Ok(entries) if skip_existing => entries.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().to_lowercase())).collect(),
            _ => HashSet::new(),
        };
        Self { inner: Mutex::default(), on_disk }
    }

    /// The first of `name`, `stem (2).ext`, `stem (3).ext` … that this book
    /// has not handed out and, when `skip_existing`, that nothing in `dir`
    /// is called yet (a hint only: the exclusive create decides).
    pub(super) fn reserve(&self, dir: &Path, name: &str, skip_existing: bool) -> Option<String> {
        let mut book = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = name.to_lowercase();
        let (stem, ext) = split_extension(name);
        let mut number = book.next_number.get(&key).copied().unwrap_or(1);
        while number <= MAX_NUMBER {
            let candidate = if number == 1 { name.to_string() } else { clip_file_name(&format!("{stem} ({number}){ext}")) };
            number += 1;
            let lower = candidate.to_lowercase();
            let free_on_disk = !skip_existing || (!self.on_disk.contains(&lower) && std::fs::symlink_metadata(dir.join(&candidate)).is_err());
            if free_on_disk && book.taken.insert(lower) {
                book.next_number.insert(key, number);
                return Some(candidate);
            }
        }
        book.next_number.insert(key, number);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn invisible_format_characters_cannot_disguise_a_name() {
        assert_eq!(safe_file_name("evil\u{202E}gpj.exe", "id", "image/jpeg"), "evil_gpj.exe");
        for c in ['\u{200B}', '\u{2066}', '\u{00AD}', '\u{2028}', '\u{FEFF}'] {
            assert!(!safe_file_name(&format!("a{c}b.jpg"), "id", "image/jpeg").contains(c), "{c:?}");
        }
    }

    #[test]
    fn colliding_names_are_numbered() {
        let book = NameBook::default();
        let dir = Path::new("/nonexistent-photospicker-dir");
        let names: Vec<String> = ["a.jpg", "A.jpg", "a.jpg", "a (2).jpg"].iter().map(|n| book.reserve(dir, n, true).unwrap()).collect();
        assert_eq!(names, ["a.jpg", "A (2).jpg", "a (3).jpg", "a (2) (2).jpg"]);
    }

    #[test]
    fn names_existing_on_disk_are_skipped_only_when_asked() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("x.jpg"), b"").unwrap();
        assert_eq!(NameBook::default().reserve(&dir, "x.jpg", true).unwrap(), "x (2).jpg");
        assert_eq!(NameBook::new(&dir, true).reserve(&dir, "X.JPG", true).unwrap(), "X (2).JPG", "a name differing only by case is taken");
        assert_eq!(NameBook::default().reserve(&dir, "x.jpg", false).unwrap(), "x.jpg");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        tempfile::Builder::new().prefix("photospicker-naming-").tempdir().unwrap().keep()
    }
}
