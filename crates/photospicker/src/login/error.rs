//! What can go wrong while logging in, and what to do about it. No variant
//! ever holds a token, a refresh token or a client secret.

use std::fmt;
use std::path::PathBuf;

/// A login, status, logout or token-resolution failure: one line, with a hint.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoginError {
    /// Nothing is stored and no token was given.
    NotLoggedIn,
    /// The person refused access (`access_denied`).
    Denied,
    /// The device code or the wait for the browser ran out.
    Expired,
    /// The OAuth server answered an error (`invalid_grant`, `invalid_client` …).
    OAuth {
        /// Google's `error` code.
        error: String,
        /// Google's `error_description`.
        description: String,
        /// The HTTP status.
        http_status: u16,
    },
    /// The server could not be reached or answered garbage.
    Http(String),
    /// The client-secrets file is missing or not one Google issues for installed or TV apps.
    ClientSecrets(String),
    /// Settings that cannot work (an endpoint that is not HTTPS, a bad variable …).
    Config(String),
    /// Reading or writing the token store.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl LoginError {
    pub(crate) fn oauth(error: impl Into<String>, description: impl Into<String>, http_status: u16) -> Self {
        Self::OAuth { error: error.into(), description: description.into(), http_status }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io { path: path.to_path_buf(), source }
    }

    /// The same error with every text a server could have put in it cleaned
    /// by [`server_text`] (secrets scrubbed, one short line).
    pub(crate) fn cleaned(self, scrub: &dyn Fn(&str) -> String) -> Self {
        match self {
            Self::OAuth { error, description, http_status } => {
                Self::OAuth { error: server_text(&error, scrub), description: server_text(&description, scrub), http_status }
            }
            Self::Http(message) => Self::Http(server_text(&message, scrub)),
            other => other,
        }
    }

    /// Google's `error` code, for OAuth errors.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            Self::OAuth { error, .. } => Some(error),
            Self::Denied => Some("access_denied"),
            _ => None,
        }
    }

    /// What the person can do next.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::NotLoggedIn => "run `photospicker auth login`, or pass --token / set PHOTOSPICKER_TOKEN",
            Self::Denied => "run `photospicker auth login` again and choose Allow",
            Self::Expired => "run `photospicker auth login` again and finish within the time shown",
            Self::OAuth { error, .. } if error == "invalid_grant" => "the stored login was revoked or expired: run `photospicker auth login` again",
            Self::OAuth { error, .. } if error == "invalid_client" || error == "unauthorized_client" => {
                "check the client-secrets file (an OAuth client of type Desktop app, or TVs and Limited Input devices for --device)"
            }
            Self::OAuth { .. } => "run `photospicker auth login` again",
            Self::Http(_) => "check the network connection (and PHOTOSPICKER_EMULATOR_HOST if you use the emulator)",
            Self::ClientSecrets(_) => "download the OAuth client's JSON from the Google Cloud console (APIs & Services > Credentials) and pass --client-secrets FILE",
            Self::Config(_) => "fix the setting named above",
            Self::Io { .. } => "check that the config directory is writable and the file is yours",
        }
    }
}

/// Server text is kept at most this many characters.
const MAX_SERVER_TEXT: usize = 200;

/// Text from a server made fit for a one-line error: `scrub` first (so that
/// no secret survives, even cut in half), then control characters (ESC, CR,
/// LF …) become spaces, then it is cut to [`MAX_SERVER_TEXT`] characters.
pub(crate) fn server_text(text: &str, scrub: &dyn Fn(&str) -> String) -> String {
    let scrubbed = scrub(text);
    let clean: String = scrubbed.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    match clean.char_indices().nth(MAX_SERVER_TEXT) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotLoggedIn => f.write_str("not logged in"),
            Self::Denied => f.write_str("access was denied in the browser"),
            Self::Expired => f.write_str("the login was not completed in time"),
            Self::OAuth { error, description, http_status } => write!(f, "the OAuth server refused ({http_status} {error}): {description}"),
            Self::Http(message) => write!(f, "cannot talk to the OAuth server: {message}"),
            Self::ClientSecrets(message) => write!(f, "client secrets: {message}"),
            Self::Config(message) => f.write_str(message),
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for LoginError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<LoginError> for crate::Error {
    fn from(error: LoginError) -> Self {
        crate::Error::from_token_source(error)
    }
}
