//! The emulator-host convention of Google's own emulators
//! (`FIRESTORE_EMULATOR_HOST`, `STORAGE_EMULATOR_HOST`, …): with
//! `PHOTOSPICKER_EMULATOR_HOST=host:port` set, a client built without explicit
//! endpoints talks to the emulator at that address instead of Google, for both
//! APIs, over plain http — so an app's own code needs no test-only branches.
//!
//! - The Picker API is `http://host:port`, the Library API
//!   `http://host:port/library` (the emulator's Picker port serves both).
//! - Endpoints set on the builder still win over the variable.
//! - Without a token or token provider, the client sends
//!   [`EMULATOR_PLACEHOLDER_TOKEN`]; the `photospicker-emulator` program accepts
//!   it (it is its default user's token), and any other token too.
//! - Plain http is allowed for any host here (an emulator in a container is
//!   not on loopback): setting the variable is the opt-in.

use crate::error::{Error, Result};

/// The environment variable naming the emulator's `host:port`.
pub const EMULATOR_HOST_VAR: &str = "PHOTOSPICKER_EMULATOR_HOST";

/// The token a client sends to the emulator when it was given none.
pub const EMULATOR_PLACEHOLDER_TOKEN: &str = "emulator-token";

/// Where the emulator's Picker port serves the Library API.
const LIBRARY_PREFIX: &str = "/library";

/// The two base URLs the variable points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmulatorHost {
    pub(crate) picker: reqwest::Url,
    pub(crate) library: reqwest::Url,
}

/// The emulator named by the environment, if the variable is set (and not empty).
pub(crate) fn from_env() -> Result<Option<EmulatorHost>> {
    match std::env::var(EMULATOR_HOST_VAR) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => parse(&value).map(Some),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::validation(format!("{EMULATOR_HOST_VAR} is not valid UTF-8"))),
    }
}

fn parse(value: &str) -> Result<EmulatorHost> {
    let bad = |why: &str| Error::validation(format!("{EMULATOR_HOST_VAR}={value:?} {why}; expected host:port, e.g. 127.0.0.1:8080"));
    let value = value.trim();
    if value.contains("://") || value.contains(['/', '?', '#', '@']) {
        return Err(bad("is not a bare host:port"));
    }
    let picker = reqwest::Url::parse(&format!("http://{value}")).map_err(|_| bad("is not a host:port"))?;
    if picker.port().is_none() {
        // Without one the URL would mean port 80 — surely not what was meant.
        return Err(bad("has no port"));
    }
    let library = picker.join(LIBRARY_PREFIX).map_err(|_| bad("is not a host:port"))?;
    Ok(EmulatorHost { picker, library })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_and_port_name_both_apis_over_plain_http() {
        let host = parse("127.0.0.1:8080").unwrap();
        assert_eq!(host.picker.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(host.library.as_str(), "http://127.0.0.1:8080/library");
        assert_eq!(parse("emulator:9000").unwrap().library.as_str(), "http://emulator:9000/library");
        assert_eq!(parse("[::1]:9000").unwrap().picker.as_str(), "http://[::1]:9000/");
    }

    #[test]
    fn anything_but_a_host_and_port_is_a_validation_error() {
        for bad in ["http://127.0.0.1:8080", "127.0.0.1", "127.0.0.1:8080/v1", "user@host:1", "127.0.0.1:99999", ":8080", "a b:1"] {
            let error = parse(bad).expect_err(bad);
            assert!(error.is_validation(), "{bad}: {error}");
            assert!(error.to_string().contains(EMULATOR_HOST_VAR), "{bad}: {error}");
        }
    }
}
