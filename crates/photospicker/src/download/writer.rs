//! The atomic file writer: bytes go to a temporary file next to the target,
//! which is fsynced and renamed into place only when complete, so a failed or
//! dropped download never leaves a partial file.

use std::path::{Path, PathBuf};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

/// A file being written; it becomes `target` on [`AtomicFile::commit`] and
/// is removed if dropped before.
pub(super) struct AtomicFile {
    temp: TempFile,
    file: tokio::fs::File,
    target: PathBuf,
    written: u64,
}

impl AtomicFile {
    /// Opens a fresh temporary file in the target's directory.
    pub(super) async fn create(target: &Path) -> std::io::Result<Self> {
        let temp = TempFile { path: temp_path(target), keep: false };
        let file = tokio::fs::File::create(&temp.path).await?;
        Ok(Self { temp, file, target: target.to_path_buf(), written: 0 })
    }

    pub(super) async fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes).await?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written so far (where a resumed download continues).
    pub(super) fn written(&self) -> u64 {
        self.written
    }

    /// Empties the file, to write the body again from its first byte.
    pub(super) async fn restart(&mut self) -> std::io::Result<()> {
        self.file.flush().await?;
        self.file.set_len(0).await?;
        self.file.seek(std::io::SeekFrom::Start(0)).await?;
        self.written = 0;
        Ok(())
    }

    /// Flushes, fsyncs and renames the file into place.
    pub(super) async fn commit(mut self) -> std::io::Result<()> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        drop(self.file);
        tokio::fs::rename(&self.temp.path, &self.target).await?;
        self.temp.keep = true;
        Ok(())
    }
}

/// Removes the temporary file unless the download completed, also when the
/// download's future is dropped half-way.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let short: String = name.chars().take(40).collect();
    target.with_file_name(format!(".{short}.{:016x}.part", crate::random::random_u64()))
}
