//! The fuzz targets' bodies, kept in a library so that `cargo test` replays
//! every corpus file through exactly the code `cargo fuzz` runs (see
//! `tests` below and README "Fuzzing"). Each target states the properties it
//! checks; a panic is a finding.

use arbitrary::{Arbitrary, Unstructured};
use photospicker::{content_url as build_content_url, safe_file_name, ContentParams};
use photospicker_api::{GoogleDuration, Int32, Int64};

/// proto3 JSON scalars and the wire types that carry them: never a panic;
/// what decodes re-encodes to something that decodes to the same value.
pub fn wire_scalars(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(duration) = text.parse::<GoogleDuration>() {
            let again: GoogleDuration = duration.to_string().parse().expect("a duration re-parses");
            assert_eq!(again, duration);
            let _ = duration.to_std();
        }
        for json in [format!("\"{text}\""), text.to_string()] {
            if let Ok(value) = serde_json::from_str::<Int64>(&json) {
                let encoded = serde_json::to_string(&value).unwrap();
                assert_eq!(serde_json::from_str::<Int64>(&encoded).unwrap(), value);
            }
            if let Ok(value) = serde_json::from_str::<Int32>(&json) {
                let encoded = serde_json::to_string(&value).unwrap();
                assert_eq!(serde_json::from_str::<Int32>(&encoded).unwrap(), value);
            }
            let _ = serde_json::from_str::<chrono::DateTime<chrono::Utc>>(&json);
        }
    }
    let _ = serde_json::from_slice::<photospicker_api::picker::types::PickingSession>(data);
    let _ = serde_json::from_slice::<photospicker_api::picker::types::ListMediaItemsResponse>(data);
    let _ = serde_json::from_slice::<photospicker_api::library::types::BatchGetMediaItemsResponse>(data);
}

#[derive(Debug, Arbitrary)]
struct ContentUrlInput {
    base_url: String,
    kind: u8,
    width: Option<u32>,
    height: Option<u32>,
    crop: bool,
}

/// Content URLs: never a panic; a URL that is built starts with the base URL
/// and adds exactly one `=suffix` made of the grammar's characters.
pub fn content_url(data: &[u8]) {
    let Ok(input) = ContentUrlInput::arbitrary(&mut Unstructured::new(data)) else { return };
    let params = match input.kind % 3 {
        0 => ContentParams::PhotoDownload,
        1 => ContentParams::VideoDownload,
        _ => ContentParams::Image { width: input.width, height: input.height, crop: input.crop },
    };
    if let Ok(url) = build_content_url(&input.base_url, &params) {
        let suffix = url.strip_prefix(&input.base_url).expect("the URL starts with the baseUrl");
        let suffix = suffix.strip_prefix('=').expect("then one '='");
        assert!(suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "suffix {suffix:?}");
    }
}

#[derive(Debug, Arbitrary)]
struct FileNameInput {
    filename: String,
    item_id: String,
    mime_type: String,
}

/// File names: never a panic; the result is one safe path component.
pub fn file_names(data: &[u8]) {
    let Ok(input) = FileNameInput::arbitrary(&mut Unstructured::new(data)) else { return };
    let name = safe_file_name(&input.filename, &input.item_id, &input.mime_type);
    assert!(!name.is_empty(), "empty name for {input:?}");
    assert!(name.len() <= 255, "{} bytes", name.len());
    assert!(name != "." && name != ".." && !name.starts_with('.'), "{name:?}");
    assert!(!name.contains(['/', '\\', '\0']), "{name:?}");
    assert!(!name.chars().any(|c| c.is_control() || matches!(c, '\u{202E}' | '\u{200B}' | '\u{2028}')), "{name:?}");
    let path = std::path::Path::new(&name);
    assert_eq!(path.components().count(), 1, "{name:?}");
}

#[derive(Debug, Arbitrary)]
struct ErrorAnswer<'a> {
    status: u16,
    html: bool,
    retry_after: Option<&'a str>,
    token_tail: &'a str,
    echo_token: bool,
    body: &'a [u8],
}

/// Error answers (Google's envelope, a malformed one, an HTML page): never a
/// panic; the HTTP status always survives; a 5xx stays retryable; a token
/// the server echoes back never survives in the error's text.
pub fn error_envelope(data: &[u8]) {
    let Ok(answer) = ErrorAnswer::arbitrary(&mut Unstructured::new(data)) else { return };
    let status = 400 + answer.status % 200;
    // A bearer token is an RFC 6750 b64token; other characters would make the
    // check below compare escaped renderings (Debug doubles a backslash), a
    // false finding the fuzzer did construct.
    let tail: String = answer.token_tail.chars().filter(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(*c)).collect();
    let token = format!("opaque-{tail}");
    let mut body = answer.body.to_vec();
    if answer.echo_token {
        body.extend_from_slice(format!("Authorization: Bearer {token}").as_bytes());
    }
    let content_type = if answer.html { "text/html" } else { "application/json" };
    let error = photospicker::fuzzing::api_error(status, Some(content_type), &body, answer.retry_after, &token);
    assert_eq!(error.http_status(), Some(status));
    if matches!(status, 500 | 502 | 503 | 504) {
        assert!(error.is_retryable(), "HTTP {status} is retryable: {error:?}");
    }
    let _ = photospicker::fuzzing::requested_retry_delay(&error, answer.retry_after);
    if token.len() >= 8 {
        for text in [error.to_string(), format!("{error:?}"), error.message()] {
            assert!(!text.contains(&token), "the token survives in {text:?}");
        }
    }
}

mod page_server;

#[derive(Debug, Arbitrary)]
struct PageSpec {
    items: u8,
    /// Which token the page names as next: none (the last page), or one of a few (repeats possible).
    next: Option<u8>,
}

/// The listing loop against a server answering the fuzzed pages in turn (and
/// `{}` after them): never a panic; it ends within one request per page
/// served plus one; it yields every item served before its end, and ends on
/// a typed error exactly when the server repeated a token.
pub fn pagination(data: &[u8]) {
    let Ok(pages) = Vec::<PageSpec>::arbitrary(&mut Unstructured::new(data)) else { return };
    let pages: Vec<(usize, Option<String>)> = pages.iter().take(64).map(|p| (usize::from(p.items % 5), p.next.map(|t| format!("t{}", t % 8)))).collect();
    let outcome = page_server::list_against(&pages);
    let mut seen = std::collections::HashSet::new();
    let (mut expected_items, mut expected_requests, mut repeated) = (0, 0, false);
    for (items, next) in pages.iter().map(|(i, n)| (*i, n.clone())).chain(std::iter::once((0, None))) {
        expected_requests += 1;
        expected_items += items;
        match next {
            None => break,
            Some(token) if !seen.insert(token.clone()) => {
                repeated = true;
                break;
            }
            Some(_) => {}
        }
    }
    assert_eq!(outcome.requests, expected_requests, "{pages:?}");
    assert_eq!(outcome.items, expected_items, "{pages:?}");
    assert_eq!(outcome.ended_with_error, repeated, "{pages:?}");
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every file of `fuzz/corpus/TARGET/` through the target, as `cargo fuzz` would.
    fn replay(target: &str, body: fn(&[u8])) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
        let mut replayed = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            body(&std::fs::read(&path).unwrap());
            replayed += 1;
        }
        assert!(replayed > 0, "the corpus of {target} is empty");
    }

    #[test]
    fn the_wire_scalars_corpus_replays_without_a_finding() {
        replay("wire_scalars", super::wire_scalars);
    }

    #[test]
    fn the_content_url_corpus_replays_without_a_finding() {
        replay("content_url", super::content_url);
    }

    #[test]
    fn the_error_envelope_corpus_replays_without_a_finding() {
        replay("error_envelope", super::error_envelope);
    }

    #[test]
    fn the_pagination_corpus_replays_without_a_finding() {
        replay("pagination", super::pagination);
    }

    #[test]
    fn the_file_names_corpus_replays_without_a_finding() {
        replay("file_names", super::file_names);
    }
}
