//! The ids a caller hands to the client: session ids, media item ids and the
//! `requestId` of `sessions.create`. An id goes into a URL path segment or a
//! query, with the token attached, so an id that a server (or a proxy, or the
//! URL parser itself) could read as a path step — `.`, `..`, a slash, a
//! backslash, or any of those percent-encoded — would send the request to
//! another endpoint. Such ids are refused before anything is sent; the rest
//! is percent-encoded by the generated client.

use crate::error::{Error, Result};

/// The longest id accepted, in bytes. The service's session and media item
/// ids are far shorter (tens of characters); the cap keeps a caller's
/// mistake (a file's content passed as an id) from becoming a huge request.
pub const MAX_ID_LEN: usize = 2048;

/// How many rounds of percent-decoding are looked through (`%252e` is `.`
/// to a server that decodes twice); an id still changing after that is refused.
const DECODE_ROUNDS: usize = 4;

/// Checks an id given by the caller (`what` names it in the error).
pub(crate) fn check_id(what: &str, id: &str) -> Result<()> {
    id_problem(what, id).map_or(Ok(()), |problem| Err(Error::validation(problem)))
}

/// What is wrong with an id, if anything (also used on ids the service sends).
pub(crate) fn id_problem(what: &str, id: &str) -> Option<String> {
    if id.is_empty() {
        return Some(format!("{what} must not be empty"));
    }
    if id.len() > MAX_ID_LEN {
        return Some(format!("{what} is {} bytes long; ids are at most {MAX_ID_LEN} bytes", id.len()));
    }
    // The service's ids are printable ASCII; anything else (controls, NUL,
    // spaces, look-alike dots and slashes of other scripts) is a mistake or an attack.
    if let Some(bad) = id.chars().find(|c| !c.is_ascii_graphic()) {
        return Some(format!("{what} must be printable ASCII without spaces, not contain {bad:?}"));
    }
    let mut text = id.to_string();
    for _ in 0..=DECODE_ROUNDS {
        if is_path_step(&text) {
            return Some(format!(
                "{what} {} could be read as a path step (a dot segment, a slash or a backslash, maybe percent-encoded)",
                shown(id)
            ));
        }
        let decoded = percent_encoding::percent_decode_str(&text).decode_utf8_lossy().into_owned();
        if decoded == text {
            return None;
        }
        text = decoded;
    }
    Some(format!("{what} {} is percent-encoded too many times", shown(id)))
}

/// Whether a server could take `text` (one decoding of an id) for a path step.
fn is_path_step(text: &str) -> bool {
    // `..;x` is `..` to servers that strip path parameters.
    let segment = text.split(';').next().unwrap_or_default().trim();
    // Percent-encoded non-ASCII (`%C0%AE`, an overlong `.`; `%EF%BC%8E`, a
    // full-width one) is what some servers fold into a dot or a slash.
    let folds = !text.is_ascii();
    text.contains(['/', '\\']) || segment == "." || segment == ".." || folds || text.chars().any(|c| c.is_control())
}

/// The start of an id for an error message (ids are not secret, but may be huge).
fn shown(id: &str) -> String {
    let start: String = id.chars().take(64).collect();
    if start.len() < id.len() {
        format!("{start:?}…")
    } else {
        format!("{start:?}")
    }
}

/// A fresh random UUID v4 for `CreateSessionOptions::request_id`.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Whether `id` has the documented `requestId` form: 32 hex digits in
/// 8-4-4-4-12 groups. The UUID version and variant bits are not checked:
/// Google documents only the form, and public programs send ids made with
/// `secrets.token_hex(16)` whose bits are arbitrary.
pub(crate) fn is_request_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { *b == b'-' } else { b.is_ascii_hexdigit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_in_every_disguise_are_refused() {
        for id in [".", "..", "%2e", "%2E%2E", ".%2e", "%252e%252e", "..;x", "a/b", "a%2Fb", "..\\x", "%5c", "a\0b", " ..", "é", "", "%C0%AE%C0%AE", "%EF%BC%8E", "%00"] {
            assert!(check_id("id", id).is_err(), "{id:?} was accepted");
        }
    }

    #[test]
    fn ordinary_ids_and_harmless_punctuation_are_accepted() {
        for id in ["s1", "AF1QipN-x_y", "...", "a.b", "a?b", "a#b", "a%b", "a&b=c", "%zz"] {
            assert!(check_id("id", id).is_ok(), "{id:?} was refused");
        }
    }

    #[test]
    fn request_ids_need_the_form_but_not_the_version_bits() {
        assert!(is_request_id(&new_request_id()));
        assert!(is_request_id("00112233-4455-6677-8899-aabbccddeeff"));
        assert!(!is_request_id("00112233445566778899aabbccddeeff"));
        assert!(!is_request_id("0011223-34455-6677-8899-aabbccddeeff"));
        assert!(!is_request_id("g0112233-4455-6677-8899-aabbccddeeff"));
    }
}
