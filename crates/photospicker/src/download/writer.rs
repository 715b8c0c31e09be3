//! The atomic file writer: bytes go to a temporary file created exclusively
//! next to the target (`tempfile`: `O_EXCL`, a random name, removed if
//! dropped), which is fsynced and only then put in place, so a failed or
//! dropped download never leaves a partial file.
//!
//! Putting it in place never replaces anything unless the caller asked:
//! a new file is linked in with `persist_noclobber` (`renameat2` with
//! `RENAME_NOREPLACE`, or `link`), which fails on any existing entry — a
//! file, a directory, a symlink, dangling or not — without a
//! check-then-rename race and without following a symlink. On such a failure
//! the next numbered name is tried.

use super::naming::NameBook;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempPath;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

/// Where a finished file goes.
#[derive(Debug, Clone)]
pub(super) enum Placement {
    /// Exactly this path, atomically replacing a file there (the caller named
    /// the file, or asked for `overwrite`). A symlink there is replaced, not
    /// followed; a directory there is an error.
    Replace(PathBuf),
    /// A new entry in `dir`: `name` if still free when the file is complete,
    /// else the next number the book hands out.
    New { dir: PathBuf, name: String, original: String, names: Arc<NameBook> },
}

impl Placement {
    /// The path the file is meant to have (for messages).
    pub(super) fn path(&self) -> PathBuf {
        match self {
            Self::Replace(path) => path.clone(),
            Self::New { dir, name, .. } => dir.join(name),
        }
    }

    fn dir(&self) -> &Path {
        match self {
            Self::Replace(path) => path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
            Self::New { dir, .. } => dir,
        }
    }
}

/// A file being written; it gets its place on [`AtomicFile::commit`] and is
/// removed if dropped before.
pub(super) struct AtomicFile {
    temp: TempPath,
    file: tokio::fs::File,
    written: u64,
}

impl AtomicFile {
    /// Opens a fresh temporary file in the directory of `placement`.
    pub(super) async fn create(placement: &Placement) -> std::io::Result<Self> {
        let name = placement.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let short: String = name.chars().take(40).collect();
        let named = tempfile::Builder::new().prefix(&format!(".{short}.")).suffix(".part").tempfile_in(placement.dir())?;
        let file = tokio::fs::File::from_std(named.as_file().try_clone()?);
        Ok(Self { temp: named.into_temp_path(), file, written: 0 })
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

    /// Flushes and fsyncs the file, puts it in place and returns where.
    pub(super) async fn commit(mut self, placement: &Placement) -> std::io::Result<PathBuf> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        drop(self.file);
        let mut temp = self.temp;
        match placement {
            Placement::Replace(path) => {
                temp.persist(path).map_err(|e| e.error)?;
                Ok(path.clone())
            }
            Placement::New { dir, name, original, names } => {
                let mut name = name.clone();
                loop {
                    let path = dir.join(&name);
                    match temp.persist_noclobber(&path) {
                        Ok(()) => return Ok(path),
                        Err(e) if e.error.kind() == ErrorKind::AlreadyExists => {
                            // Taken since it was planned (another call, another program): the next number.
                            temp = e.path;
                            name = names.reserve(dir, original, true).ok_or_else(|| full(dir, original))?;
                        }
                        Err(e) => return Err(e.error),
                    }
                }
            }
        }
    }
}

fn full(dir: &Path, name: &str) -> std::io::Error {
    std::io::Error::new(ErrorKind::AlreadyExists, format!("no free numbered name for {name:?} in {}", dir.display()))
}
