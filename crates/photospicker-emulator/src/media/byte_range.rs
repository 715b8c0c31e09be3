//! `Range: bytes=…` (RFC 9110 §14): one range is answered with 206; a header that
//! cannot be parsed is ignored (200, as the RFC allows); several ranges get the
//! whole body (200) rather than `multipart/byteranges`.

#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    Whole,
    /// Inclusive byte positions, `first <= last < len`.
    Part { first: u64, last: u64 },
    /// 416 with `Content-Range: bytes */len`.
    Unsatisfiable,
}

/// What to send of a body of `len` bytes for the `Range` header value `header`.
pub fn resolve(header: &str, len: u64) -> Answer {
    let Some((unit, set)) = header.trim().split_once('=') else { return Answer::Whole };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return Answer::Whole;
    }
    let specs: Vec<&str> = set.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let [spec] = specs[..] else { return Answer::Whole };
    let Some((first, last)) = spec.split_once('-') else { return Answer::Whole };
    let (first, last) = (first.trim(), last.trim());
    match (number(first), number(last)) {
        // bytes=-n: the last n bytes.
        (None, Some(suffix)) if first.is_empty() => {
            if suffix == 0 || len == 0 {
                Answer::Unsatisfiable
            } else {
                Answer::Part { first: len.saturating_sub(suffix), last: len - 1 }
            }
        }
        // bytes=a-: from a to the end.
        (Some(first), None) if last.is_empty() => within(first, u64::MAX, len),
        // bytes=a-b
        (Some(first), Some(last)) if first <= last => within(first, last, len),
        _ => Answer::Whole,
    }
}

fn within(first: u64, last: u64, len: u64) -> Answer {
    if first >= len {
        Answer::Unsatisfiable
    } else {
        Answer::Part { first, last: last.min(len - 1) }
    }
}

/// ASCII digits only; numbers past u64 saturate (they are past any body anyway).
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |n, d| n.saturating_mul(10).saturating_add((d - b'0') as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::*;

    #[test]
    fn single_ranges_follow_rfc_9110() {
        assert_eq!(resolve("bytes=0-99", 1000), Part { first: 0, last: 99 });
        assert_eq!(resolve("bytes=0-0", 1000), Part { first: 0, last: 0 });
        assert_eq!(resolve("bytes=990-", 1000), Part { first: 990, last: 999 });
        assert_eq!(resolve("bytes=-10", 1000), Part { first: 990, last: 999 });
        assert_eq!(resolve("bytes=-5000", 1000), Part { first: 0, last: 999 });
        assert_eq!(resolve("bytes=500-99999", 1000), Part { first: 500, last: 999 });
        assert_eq!(resolve("BYTES = 1-2", 1000), Part { first: 1, last: 2 });
    }

    #[test]
    fn ranges_past_the_end_are_unsatisfiable() {
        assert_eq!(resolve("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(resolve("bytes=1000-2000", 1000), Unsatisfiable);
        assert_eq!(resolve("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(resolve("bytes=0-", 0), Unsatisfiable);
        assert_eq!(resolve("bytes=99999999999999999999999999-", 1000), Unsatisfiable);
    }

    #[test]
    fn huge_numbers_saturate_instead_of_failing() {
        assert_eq!(resolve("bytes=0-99999999999999999999999999", 1000), Part { first: 0, last: 999 });
        assert_eq!(resolve("bytes=-99999999999999999999999999", 1000), Part { first: 0, last: 999 });
    }

    #[test]
    fn malformed_or_multiple_ranges_get_the_whole_body() {
        for header in ["bytes=5-1", "bytes=a-b", "bytes=-", "bytes=--1", "bytes=+1-2", "bytes=1", "items=0-1", "bytes", "", "bytes=0-1,5-6", "bytes=1-2-3", "bytes=0x10-"] {
            assert_eq!(resolve(header, 1000), Whole, "{header:?}");
        }
        assert_eq!(resolve("bytes=0-1,", 1000), Part { first: 0, last: 1 });
    }
}
