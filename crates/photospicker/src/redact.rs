//! Keeping tokens out of every text the client keeps from an answer: a
//! server (or a proxy) may echo the `Authorization` header back in an error
//! page, and that page becomes an error message, a log line, a Python
//! exception's `str`, `repr` and `args`.
//!
//! Two nets: the exact tokens this client sent (the [`Redactor`] remembers
//! the last few the provider gave), and anything shaped like a bearer
//! credential (`Bearer …`, Google's `ya29.…`) whoever's it is.

use std::collections::VecDeque;
use std::sync::Mutex;

const REDACTED: &str = "<redacted>";
/// Tokens remembered: the current one and a few before it (a refresh may
/// race with an answer that echoes the previous token).
const REMEMBERED: usize = 4;
/// Shorter strings are not scrubbed by value: a 3-character "token" (a
/// test's) would otherwise blank out every word containing it.
const MIN_TOKEN_LEN: usize = 8;

/// The tokens this client has sent, to be scrubbed from what it keeps.
#[derive(Default)]
pub(crate) struct Redactor {
    tokens: Mutex<VecDeque<String>>,
}

impl Redactor {
    /// Notes a token the provider gave (called before it is sent).
    pub(crate) fn remember(&self, token: &str) {
        if token.len() < MIN_TOKEN_LEN {
            return;
        }
        let mut tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if tokens.iter().any(|t| t == token) {
            return;
        }
        if tokens.len() == REMEMBERED {
            tokens.pop_front();
        }
        tokens.push_back(token.to_string());
    }

    /// `text` without any remembered token or token-shaped credential, also
    /// where a server echoed it percent-encoded (`ya29%2E…`): such a text is
    /// kept decoded.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
        let hides_encoded = decoded != text && (tokens.iter().any(|t| decoded.contains(t.as_str())) || decoded.contains("ya29."));
        let mut text = if hides_encoded { decoded.into_owned() } else { text.to_string() };
        for token in tokens.iter() {
            if text.contains(token.as_str()) {
                text = text.replace(token.as_str(), REDACTED);
            }
        }
        scrub_token_patterns(&text)
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '=')
}

/// `text` with `Bearer <credential>` (any case) and `ya29.<…>` replaced.
pub(crate) fn scrub_token_patterns(text: &str) -> String {
    if !text.contains("ya29.") && !text.to_ascii_lowercase().contains("bearer") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        let bearer = lower.find("bearer").map(|i| (i, "bearer".len(), true));
        let google = rest.find("ya29.").map(|i| (i, "ya29.".len(), false));
        let next = match (bearer, google) {
            (Some(b), Some(g)) => Some(if b.0 <= g.0 { b } else { g }),
            (b, g) => b.or(g),
        };
        let Some((at, len, is_bearer)) = next else {
            out.push_str(rest);
            break;
        };
        let after = &rest[at + len..];
        if is_bearer {
            // "Bearer", then whitespace (or %20 / + when URL-encoded), then the credential.
            let gap = after.len() - after.trim_start_matches([' ', '\t', ':', '+']).len();
            let gap = if gap == 0 && after.starts_with("%20") { 3 } else { gap };
            let credential = after[gap..].find(|c: char| !is_token_char(c)).unwrap_or(after.len() - gap);
            out.push_str(&rest[..at + len]);
            if gap > 0 && credential > 0 {
                out.push_str(&after[..gap]);
                out.push_str(REDACTED);
                rest = &after[gap + credential..];
            } else {
                rest = after;
            }
        } else {
            let credential = after.find(|c: char| !is_token_char(c)).unwrap_or(after.len());
            out.push_str(&rest[..at]);
            out.push_str(REDACTED);
            rest = &after[credential..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_credentials_and_google_tokens_are_replaced() {
        assert_eq!(scrub_token_patterns("got Authorization: Bearer abc.DEF-123 here"), "got Authorization: Bearer <redacted> here");
        assert_eq!(scrub_token_patterns("token ya29.a0AfH6SM_x-y and more"), "token <redacted> and more");
        assert_eq!(scrub_token_patterns("BEARER%20xyz"), "BEARER%20<redacted>");
        assert_eq!(scrub_token_patterns("the bearer of bad news"), "the bearer <redacted> bad news");
        assert_eq!(scrub_token_patterns("nothing to see"), "nothing to see");
        assert_eq!(scrub_token_patterns("bearer"), "bearer");
    }

    #[test]
    fn remembered_tokens_are_replaced_anywhere() {
        let redactor = Redactor::default();
        redactor.remember("opaque-secret-123");
        assert_eq!(redactor.scrub("x=opaque-secret-123;y"), "x=<redacted>;y");
        redactor.remember("abc");
        assert_eq!(redactor.scrub("abc"), "abc", "too short to scrub by value");
    }

    #[test]
    fn a_token_echoed_percent_encoded_is_replaced_too() {
        let redactor = Redactor::default();
        redactor.remember("opaque.secret/123");
        assert_eq!(redactor.scrub("token=opaque%2Esecret%2F123 seen"), "token=<redacted> seen");
        assert!(!redactor.scrub("ya29%2Eabcdefgh").contains("abcdefgh"));
        assert_eq!(redactor.scrub("100%25 done, no token"), "100%25 done, no token", "other texts stay as sent");
    }
}
