//! The login kept between runs: the refresh token (never the short-lived
//! access token) and what it is for, in the user's config dir, readable by
//! the user only, replaced atomically (a reader sees the old file or the new
//! one, never half of one, whoever writes at the same time).

use super::{LoginError, OAuthEndpoints, Secret};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A stored login is well under a kilobyte; a huge file is not ours.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// What a login leaves on disk. `Debug` shows no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLogin {
    /// The OAuth client that logged in.
    pub client_id: String,
    /// Its secret (sent again on every refresh).
    pub client_secret: Secret,
    /// The long-lived refresh token.
    pub refresh_token: Secret,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// The account's email, when the `email` scope was granted.
    pub account: Option<String>,
    /// Where to refresh.
    pub token_uri: String,
    /// Where to revoke.
    pub revoke_uri: String,
    /// Where to ask about a token.
    pub tokeninfo_uri: String,
    /// When the login happened.
    pub saved_at: DateTime<Utc>,
}

/// The file holding one [`StoredLogin`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStore {
    path: PathBuf,
}

impl TokenStore {
    /// A store at this path.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `<config dir>/photospicker/login.json` for Google, `login-emulator.json`
    /// for an emulator (so that trying the emulator never replaces a real login).
    pub fn default_for(endpoints: &OAuthEndpoints) -> Result<Self, LoginError> {
        let dir = dirs::config_dir().ok_or_else(|| LoginError::Config("the user's config directory is unknown (set HOME)".into()))?;
        let name = if endpoints.emulator { "login-emulator.json" } else { "login.json" };
        Ok(Self::at(dir.join("photospicker").join(name)))
    }

    /// Where the login is kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored login, if there is one. Like ssh with a private key, a file
    /// that others may read (or write) is refused, not used: its refresh token
    /// may have leaked, so the fix is `auth logout` (which revokes it) and a new login.
    pub fn load(&self) -> Result<Option<StoredLogin>, LoginError> {
        let login = self.load_even_if_exposed()?;
        #[cfg(unix)]
        if login.is_some() {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.path).map_err(|e| LoginError::io(&self.path, e))?.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(LoginError::Config(format!(
                    "{} is accessible by other users (mode {:o}): its refresh token may have leaked; run `photospicker auth logout` and log in again (or `chmod 600` it if you are sure)",
                    self.path.display(),
                    mode & 0o777
                )));
            }
        }
        Ok(login)
    }

    /// The stored login whoever may read the file (to revoke it at logout).
    pub(crate) fn load_even_if_exposed(&self) -> Result<Option<StoredLogin>, LoginError> {
        let metadata = match std::fs::metadata(&self.path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(LoginError::io(&self.path, e)),
        };
        if metadata.len() > MAX_FILE_BYTES {
            return Err(LoginError::io(&self.path, std::io::Error::new(std::io::ErrorKind::InvalidData, "too large to be a stored login")));
        }
        let text = std::fs::read(&self.path).map_err(|e| LoginError::io(&self.path, e))?;
        // serde's message may quote the file (a token in the wrong field): only where, never what.
        serde_json::from_slice(&text).map(Some).map_err(|e| {
            let why = format!("not a stored login (bad JSON or fields near line {}, column {})", e.line(), e.column());
            LoginError::io(&self.path, std::io::Error::new(std::io::ErrorKind::InvalidData, why))
        })
    }

    /// Replaces the stored login: written to a private temporary file in the
    /// same directory (mode 0600 on Unix), flushed, then renamed over the old one.
    pub fn save(&self, login: &StoredLogin) -> Result<(), LoginError> {
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let json = serde_json::to_vec_pretty(login).map_err(|e| LoginError::io(&self.path, std::io::Error::other(e)))?;
        let mut file = tempfile::Builder::new().prefix(".login-").suffix(".tmp").tempfile_in(dir).map_err(|e| LoginError::io(dir, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.as_file().set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(|e| LoginError::io(file.path(), e))?;
        }
        file.write_all(&json).and_then(|()| file.as_file().sync_all()).map_err(|e| LoginError::io(file.path(), e))?;
        file.persist(&self.path).map_err(|e| LoginError::io(&self.path, e.error))?;
        Ok(())
    }

    /// Deletes the stored login; false if there was none.
    pub fn delete(&self) -> Result<bool, LoginError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(LoginError::io(&self.path, e)),
        }
    }
}

fn create_private_dir(dir: &Path) -> Result<(), LoginError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| LoginError::io(dir, e))
}
