//! Rendered media, kept least-recently-used within a byte budget, and rendered at
//! most a few at a time: an original of 24 megapixels takes a good fraction of a
//! second, so it is made once and then served from memory. Renders queue on a
//! semaphore (bounded CPU and memory under many concurrent `=d`), and whoever
//! waited re-checks the cache, so a burst for one item renders it once.

use bytes::Bytes;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

/// How long a request waits for a render slot before answering 503.
const RENDER_QUEUE_DEADLINE: Duration = Duration::from_secs(60);

pub struct MediaCache {
    budget: usize,
    entries: Mutex<Entries>,
    renders: tokio::sync::Semaphore,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, (Bytes, u64)>,
    /// Last use → key; the first is the next to go.
    by_use: BTreeMap<u64, String>,
    clock: u64,
    bytes: usize,
}

#[derive(Debug)]
pub enum RenderError {
    /// No render slot within the deadline: the emulator is overloaded.
    Busy,
    /// The renderer panicked (a bug); the request fails, the emulator stays up.
    Failed,
}

impl MediaCache {
    /// A cache of at most `budget` bytes (0 disables keeping anything).
    pub fn new(budget: usize) -> Self {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
        Self { budget, entries: Mutex::default(), renders: tokio::sync::Semaphore::new(parallel) }
    }

    pub fn get(&self, key: &str) -> Option<Bytes> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let now = entries.clock;
        let (bytes, used) = entries.by_key.get_mut(key)?;
        let (bytes, before) = (bytes.clone(), std::mem::replace(used, now));
        entries.by_use.remove(&before);
        entries.by_use.insert(now, key.to_string());
        Some(bytes)
    }

    fn put(&self, key: &str, bytes: Bytes) {
        if bytes.len() > self.budget {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.clock += 1;
        let now = entries.clock;
        entries.bytes += bytes.len();
        if let Some((old, used)) = entries.by_key.insert(key.to_string(), (bytes, now)) {
            entries.bytes -= old.len();
            entries.by_use.remove(&used);
        }
        entries.by_use.insert(now, key.to_string());
        while entries.bytes > self.budget {
            let Some((_, oldest)) = entries.by_use.pop_first() else { break };
            if let Some((gone, _)) = entries.by_key.remove(&oldest) {
                entries.bytes -= gone.len();
            }
        }
    }

    /// The cached bytes for `key`, or `render()`'s, made on a blocking thread and kept.
    pub async fn get_or_render(&self, key: &str, render: impl FnOnce() -> Vec<u8> + Send + 'static) -> Result<Bytes, RenderError> {
        if let Some(hit) = self.get(key) {
            return Ok(hit);
        }
        let _slot = tokio::time::timeout(RENDER_QUEUE_DEADLINE, self.renders.acquire()).await.map_err(|_| RenderError::Busy)?.map_err(|_| RenderError::Busy)?;
        if let Some(hit) = self.get(key) {
            return Ok(hit);
        }
        let bytes = Bytes::from(tokio::task::spawn_blocking(render).await.map_err(|_| RenderError::Failed)?);
        self.put(key, bytes.clone());
        Ok(bytes)
    }

    /// Bytes held now (for tests and the control API).
    pub fn held_bytes(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_entries_go_first_and_the_budget_holds() {
        let cache = MediaCache::new(10);
        cache.put("a", Bytes::from_static(b"aaaa"));
        cache.put("b", Bytes::from_static(b"bbbb"));
        assert!(cache.get("a").is_some());
        cache.put("c", Bytes::from_static(b"cccc"));
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.held_bytes(), 8);
        cache.put("huge", Bytes::from(vec![0; 11]));
        assert!(cache.get("huge").is_none() && cache.held_bytes() == 8);
        cache.put("a", Bytes::from_static(b"aaaaaa"));
        assert!(cache.held_bytes() <= 10);
    }
}
