//! `manifest.json`, written next to the downloaded files: what each file is
//! (the item's id, name, type, camera, time), where it is, and its SHA-256,
//! so a script can check and use the files without asking Google again.

use photospicker::{MediaType, PickedMediaItem};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The manifest's format version (bumped on incompatible changes).
pub const MANIFEST_VERSION: u32 = 1;

/// One downloaded file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: String,
    /// The item's file name in Google Photos.
    pub filename: String,
    pub mime_type: String,
    /// `PHOTO` or `VIDEO`.
    pub media_type: String,
    /// Bytes on disk.
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_make: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_model: Option<String>,
    /// The file's name in the manifest's directory.
    pub file: String,
    /// The file's absolute path.
    pub path: PathBuf,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl Entry {
    /// Describes `item` downloaded to `path` (hashing the file).
    pub fn new(item: &PickedMediaItem, path: &Path) -> std::io::Result<Self> {
        let (size, sha256) = hash_file(path)?;
        let metadata = &item.media_file.metadata;
        Ok(Self {
            id: item.id.clone(),
            filename: item.media_file.filename.clone(),
            mime_type: item.media_file.mime_type.clone(),
            media_type: if item.media_type == MediaType::Video { "VIDEO" } else { "PHOTO" }.into(),
            size,
            create_time: item.create_time.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            camera_make: metadata.camera_make.clone(),
            camera_model: metadata.camera_model.clone(),
            file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: std::path::absolute(path)?,
            sha256,
        })
    }
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub version: u32,
    /// When the files were downloaded (RFC 3339, UTC).
    pub downloaded_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    pub items: Vec<Entry>,
}

impl Manifest {
    pub fn new(session_id: Option<String>, items: Vec<Entry>) -> Self {
        let downloaded_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Self { version: MANIFEST_VERSION, downloaded_at, session_id, items }
    }

    /// Writes the manifest into `dir` as `manifest.json` — or `manifest (2).json`
    /// and so on when that name is taken: like the media files, nothing is
    /// overwritten, and the file appears whole or not at all.
    pub fn write(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        let mut temp = tempfile::Builder::new().prefix(".manifest.").suffix(".part").tempfile_in(dir)?;
        std::io::Write::write_all(&mut temp, &json)?;
        temp.as_file().sync_all()?;
        let mut temp = temp.into_temp_path();
        for number in 1..=1000u32 {
            let name = if number == 1 { "manifest.json".to_string() } else { format!("manifest ({number}).json") };
            match temp.persist_noclobber(dir.join(&name)) {
                Ok(()) => return Ok(dir.join(name)),
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temp = e.path,
                Err(e) => return Err(e.error),
            }
        }
        Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "no free manifest name left"))
    }
}

/// The size and hex SHA-256 of a file, read in chunks.
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((size, hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> PickedMediaItem {
        PickedMediaItem::from_json(
            r#"{"id":"abc","createTime":"2024-05-01T10:00:00.123Z","type":"PHOTO",
                "mediaFile":{"baseUrl":"https://x/y","mimeType":"image/jpeg","filename":"IMG_1.jpg",
                "mediaFileMetadata":{"width":4,"height":3,"cameraMake":"Pixel","cameraModel":"8"}}}"#,
        )
        .expect("a valid item")
    }

    #[test]
    fn an_entry_names_the_file_its_camera_time_and_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("IMG_1.jpg");
        std::fs::write(&path, b"abc").unwrap();
        let entry = Entry::new(&item(), &path).unwrap();
        assert_eq!(entry.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(entry.size, 3);
        assert_eq!(entry.create_time.as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!((entry.camera_make.as_deref(), entry.camera_model.as_deref()), (Some("Pixel"), Some("8")));
        assert_eq!(entry.file, "IMG_1.jpg");
        assert!(entry.path.is_absolute());
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["mimeType"], "image/jpeg");
        assert_eq!(json["mediaType"], "PHOTO");
    }

    #[test]
    fn a_second_manifest_in_the_same_directory_never_replaces_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = Manifest::new(Some("s1".into()), vec![]).write(dir.path()).unwrap();
        let second = Manifest::new(Some("s2".into()), vec![]).write(dir.path()).unwrap();
        assert_eq!(first.file_name().unwrap(), "manifest.json");
        assert_eq!(second.file_name().unwrap(), "manifest (2).json");
        let read: serde_json::Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
        assert_eq!(read["sessionId"], "s1");
        assert_eq!(read["version"], MANIFEST_VERSION);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".part")).collect();
        assert!(leftovers.is_empty());
    }
}
