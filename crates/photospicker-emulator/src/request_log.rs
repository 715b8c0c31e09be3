//! The request log: a ring buffer of the latest requests, so that a long-running
//! emulator stays flat in memory, counting what it had to drop.

use crate::state::LoggedRequest;
use std::collections::VecDeque;

/// Default number of entries kept.
pub const DEFAULT_CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<LoggedRequest>,
    capacity: usize,
    dropped: u64,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        // Grows on demand: a large capacity costs nothing until it is used.
        Self { entries: VecDeque::new(), capacity, dropped: 0 }
    }

    /// Appends an entry, evicting the oldest once the log is full.
    pub fn push(&mut self, entry: LoggedRequest) {
        if self.capacity == 0 {
            self.dropped += 1;
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
    }

    pub fn iter(&self) -> impl Iterator<Item = &LoggedRequest> {
        self.entries.iter()
    }

    /// How many entries were evicted (or never kept) since the last clear.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.dropped = 0;
    }
}
