//! Google's client-secrets JSON, as the Cloud console downloads it for an
//! OAuth client of type "Desktop app" or "TVs and Limited Input devices"
//! (both under an `installed` key).

use super::{LoginError, OAuthEndpoints, Secret};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The variable naming a client-secrets file when `--client-secrets` is not given.
pub const CLIENT_SECRETS_VAR: &str = "PHOTOSPICKER_CLIENT_SECRETS";
/// The client the emulator accepts when no client-secrets file is given.
pub const EMULATOR_CLIENT_ID: &str = "photospicker-cli.apps.googleusercontent.com";
/// A client-secrets file is a few hundred bytes; anything far larger is not one.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// An OAuth client: its id and secret (the secret of an installed app is not
/// confidential in Google's sense, but it is still never printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSecrets {
    /// `….apps.googleusercontent.com`.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
}

#[derive(Deserialize)]
struct File {
    installed: Option<Installed>,
    web: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Installed {
    client_id: String,
    client_secret: Option<String>,
}

impl ClientSecrets {
    /// A client given by id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self { client_id: client_id.into(), client_secret: Secret::new(client_secret) }
    }

    /// Reads a client-secrets JSON (`{"installed": {"client_id": …, "client_secret": …}}`).
    pub fn from_json(json: &str) -> Result<Self, LoginError> {
        let file: File = serde_json::from_str(json).map_err(|e| {
            // serde's message may quote the file (the secret in the wrong field): only where, never what.
            LoginError::ClientSecrets(format!("not a client-secrets JSON file (bad JSON or fields near line {}, column {})", e.line(), e.column()))
        })?;
        let installed = match (file.installed, file.web) {
            (Some(installed), _) => installed,
            (None, Some(_)) => {
                return Err(LoginError::ClientSecrets(
                    "this is a Web application client; create a Desktop app (or TVs and Limited Input devices) client".into(),
                ))
            }
            (None, None) => return Err(LoginError::ClientSecrets("no \"installed\" client in the file".into())),
        };
        if installed.client_id.trim().is_empty() {
            return Err(LoginError::ClientSecrets("client_id is empty".into()));
        }
        Ok(Self::new(installed.client_id, installed.client_secret.unwrap_or_default()))
    }

    /// Reads a client-secrets file.
    pub fn from_file(path: &Path) -> Result<Self, LoginError> {
        let metadata = std::fs::metadata(path).map_err(|e| LoginError::io(path, e))?;
        if metadata.len() > MAX_FILE_BYTES {
            return Err(LoginError::ClientSecrets(format!("{} is too large to be a client-secrets file", path.display())));
        }
        let text = std::fs::read_to_string(path).map_err(|e| LoginError::io(path, e))?;
        Self::from_json(&text).map_err(|e| match e {
            LoginError::ClientSecrets(why) => LoginError::ClientSecrets(format!("{}: {why}", path.display())),
            other => other,
        })
    }

    /// The client to log in with: the file given, else `PHOTOSPICKER_CLIENT_SECRETS`,
    /// else `client_secret.json` in the config dir, else (emulator only) a built-in client.
    pub fn locate(explicit: Option<&Path>, endpoints: &OAuthEndpoints) -> Result<Self, LoginError> {
        if let Some(path) = explicit {
            return Self::from_file(path);
        }
        if let Some(path) = std::env::var_os(CLIENT_SECRETS_VAR).filter(|p| !p.is_empty()) {
            return Self::from_file(Path::new(&path));
        }
        if let Some(path) = default_path().filter(|p| p.is_file()) {
            return Self::from_file(&path);
        }
        if endpoints.emulator {
            return Ok(Self::new(EMULATOR_CLIENT_ID, "emulator-secret"));
        }
        Err(LoginError::ClientSecrets(format!(
            "no client-secrets file: pass --client-secrets FILE, set {CLIENT_SECRETS_VAR}, or put it at {}",
            default_path().map(|p| p.display().to_string()).unwrap_or_else(|| "<config dir>/photospicker/client_secret.json".into())
        )))
    }
}

/// `<config dir>/photospicker/client_secret.json`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("photospicker").join("client_secret.json"))
}
