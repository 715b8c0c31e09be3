//! Unpredictable numbers for request ids, backoff jitter and temporary file
//! names, from the standard library's randomly keyed hasher (no extra crate).

use std::hash::{BuildHasher, Hasher};

/// 64 random bits.
pub(crate) fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.finish()
}
