//! Entry points for `fuzz/` (feature `fuzzing`): the crate-private steps
//! that turn hostile bytes into values, reachable without a network.

use crate::error::{requested_delay, Error};
use crate::redact::Redactor;

/// The error the client keeps for an error answer: the body normalised as
/// the generated client's hook does, then read as Google's envelope, with
/// every text scrubbed of `token` as the transport does.
pub fn api_error(status: u16, content_type: Option<&str>, body: &[u8], retry_after: Option<&str>, token: &str) -> Error {
    let envelope = photospicker_api::error_envelope(status, content_type, body);
    let mut headers = Vec::new();
    if let Some(value) = retry_after {
        headers.push(("retry-after".to_string(), value.to_string()));
    }
    let redactor = Redactor::default();
    redactor.remember(token);
    Error::api(status, Some(&envelope), headers).scrubbed(&|text| redactor.scrub(text))
}

/// The delay an error answer asks for (RetryInfo, else Retry-After).
pub fn requested_retry_delay(error: &Error, retry_after: Option<&str>) -> Option<std::time::Duration> {
    requested_delay(error.details(), retry_after)
}
