//! Exit codes and the CLI's errors: one clear line, a hint, and a code a
//! script can branch on. The API's errors are sorted into those classes here
//! and nowhere else.

use std::fmt;

/// What `photospicker --help` says about exit codes (also in the README).
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    an unexpected error
  2    wrong usage (a bad option or argument)
  3    not authorized: no token, a refused or expired token, or a missing scope
  4    Google refused the request: API not enabled, no Google Photos account, no such session, too many sessions
  5    the service could not be reached (no network, or the emulator is not running)
  6    the user did not finish picking in time, or the session expired
  7    a file could not be written, or a download failed
  130  interrupted (Ctrl-C): the session was deleted and no partial file was left";

/// The picker's OAuth scope, named in the missing-scope hint.
const PICKER_SCOPE: &str = "https://www.googleapis.com/auth/photospicker.mediaitems.readonly";

/// An exit code (see [`EXIT_CODES_HELP`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Unexpected = 1,
    Usage = 2,
    NotAuthorized = 3,
    Refused = 4,
    Unreachable = 5,
    TimedOut = 6,
    Files = 7,
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// A short name for `--json` error events.
    pub fn kind(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::Unexpected => "unexpected",
            Exit::Usage => "usage",
            Exit::NotAuthorized => "not_authorized",
            Exit::Refused => "refused",
            Exit::Unreachable => "unreachable",
            Exit::TimedOut => "timed_out",
            Exit::Files => "files",
            Exit::Interrupted => "interrupted",
        }
    }
}

/// A failure as the person (or script) sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self { exit, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn interrupted() -> Self {
        Self::new(Exit::Interrupted, "interrupted")
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    pub fn files(message: impl Into<String>) -> Self {
        Self::new(Exit::Files, message)
    }

    pub fn no_token() -> Self {
        Self::new(Exit::NotAuthorized, "no access token")
            .hint("pass --token or set PHOTOSPICKER_TOKEN, or run `photospicker auth login`; `photospicker demo` needs none")
    }

    /// Sorts an API error into its class, with what to do about it.
    /// `endpoint` is the base URL the call went to (for "cannot reach").
    pub fn from_api(error: &photospicker::Error, endpoint: &str) -> Self {
        let reason = error.reason().unwrap_or_default();
        let message = error.message();
        if error.is_cancelled() {
            return Self::interrupted();
        }
        if reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT" || message.contains("insufficient authentication scopes") {
            return Self::new(Exit::NotAuthorized, format!("the token lacks the Picker scope {PICKER_SCOPE}"))
                .hint("run `photospicker auth login` again and allow access to your photos");
        }
        if reason == "SERVICE_DISABLED" || message.contains("has not been used in project") {
            let url = activation_url(error).unwrap_or("https://console.cloud.google.com/apis/library/photospicker.googleapis.com");
            return Self::new(Exit::Refused, "the Photos Picker API is not enabled in the Google Cloud project of this token")
                .hint(format!("enable it at {url}, wait a few minutes, and try again"));
        }
        if error.is_failed_precondition() && message.contains("Google Photos account") {
            return Self::new(Exit::Refused, "this Google account has no Google Photos account")
                .hint("open https://photos.google.com once with this account, or run `photospicker auth login` with another one");
        }
        if error.is_unauthenticated() || error.is_auth() {
            return Self::new(Exit::NotAuthorized, format!("the token was refused ({})", first_line(&message)))
                .hint("pass a fresh token with --token or PHOTOSPICKER_TOKEN, or run `photospicker auth login`");
        }
        if error.is_picking_timeout() {
            return Self::new(Exit::TimedOut, "nothing was picked in time").hint("run the command again and pick within the time shown");
        }
        if error.is_session_expired() {
            return Self::new(Exit::TimedOut, "the session expired").hint("create a new one");
        }
        if error.is_not_found() {
            return Self::new(Exit::Refused, "no such session (it was deleted, expired, or belongs to another account)");
        }
        if error.is_resource_exhausted() {
            return Self::new(Exit::Refused, format!("too many requests or sessions: {}", first_line(&message)))
                .hint("delete sessions you no longer need (`photospicker session delete ID`) and try again later");
        }
        if error.is_permission_denied() {
            return Self::new(Exit::Refused, format!("Google refused the request: {}", first_line(&message)));
        }
        if error.is_transport() || error.is_connect() {
            let local = is_loopback(endpoint);
            let what = if local { "the emulator" } else { "the Photos Picker API" };
            let cause = error.to_string();
            let cause = cause.strip_prefix("network error: ").unwrap_or(&cause);
            let failure = Self::new(Exit::Unreachable, format!("cannot reach {what} at {endpoint}: {}", first_line(cause)));
            return if local {
                failure.hint("is it running? start one with `photospicker emulator`, or use `photospicker demo`")
            } else {
                failure.hint("check your network connection and try again")
            };
        }
        if error.is_io() || error.is_video_not_ready() || error.is_unexpected_content() {
            return Self::files(first_line(&error.to_string()));
        }
        if error.is_validation() {
            return Self::usage(first_line(&error.to_string()));
        }
        Self::new(Exit::Unexpected, first_line(&error.to_string()))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ctrl-C is the person's choice, not a failure: no "error:" before it.
        if self.exit != Exit::Interrupted {
            f.write_str("error: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

/// Google names the console page that enables the API in the error's `ErrorInfo`.
fn activation_url(error: &photospicker::Error) -> Option<&str> {
    error.details().iter().find_map(|d| d.get("metadata")?.get("activationUrl")?.as_str())
}

fn is_loopback(endpoint: &str) -> bool {
    let host = endpoint.split("://").nth(1).unwrap_or(endpoint).split(['/', ':']).next().unwrap_or_default();
    host == "localhost" || host.starts_with("127.") || endpoint.contains("://[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_and_hint_print_as_two_plain_lines() {
        let error = CliError::no_token();
        let text = error.to_string();
        assert_eq!(text.lines().count(), 2);
        assert!(text.starts_with("error: no access token\nhint: "));
        assert!(!text.contains("Some("));
    }

    #[test]
    fn loopback_endpoints_are_told_apart_from_google() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://localhost:1/"));
        assert!(is_loopback("http://[::1]:9"));
        assert!(!is_loopback("https://photospicker.googleapis.com"));
    }

    #[test]
    fn every_exit_code_is_documented_in_the_help() {
        for exit in [Exit::Success, Exit::Unexpected, Exit::Usage, Exit::NotAuthorized, Exit::Refused, Exit::Unreachable, Exit::TimedOut, Exit::Files, Exit::Interrupted] {
            assert!(EXIT_CODES_HELP.contains(&format!("  {:<4} ", exit.code())), "{exit:?}");
        }
    }
}
