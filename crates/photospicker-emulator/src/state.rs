//! Everything the emulator remembers: users, sessions, media grants, faults and
//! the request log. One mutex, never held across an await.

use crate::clock::Clock;
use crate::faults::FaultRule;
use crate::library::{self, LibraryItem, Rng};
use crate::request_log::RequestLog;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

// PICKER_SCOPE, LIBRARY_SCOPE and MAX_BATCH, read from the specs by build.rs.
include!(concat!(env!("OUT_DIR"), "/spec_facts.rs"));

/// How the emulator behaves; every duration is on the emulator's clock.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on; loopback unless you mean otherwise.
    pub host: std::net::IpAddr,
    /// Port of the Picker API and media (0 picks a free one).
    pub picker_port: u16,
    /// Port of the Library API (0 picks a free one).
    pub library_port: u16,
    /// The `pollInterval` sessions recommend.
    pub poll_interval: std::time::Duration,
    /// How long a session waits for the user (`timeoutIn` at creation).
    pub picking_timeout: std::time::Duration,
    /// How long a session and its items stay accessible (`expireTime`).
    pub session_ttl: std::time::Duration,
    /// How long a `baseUrl` works after the listing that produced it.
    pub base_url_ttl: std::time::Duration,
    /// Live sessions a user may have before create answers RESOURCE_EXHAUSTED.
    pub max_sessions_per_user: usize,
    /// Items in a new user's library unless the user says otherwise.
    pub library_size: usize,
    /// Share of videos in a new user's library.
    pub video_ratio: f64,
    /// The least size of a video served for `=dv`: a real MP4, padded with a trailing
    /// `free` box (which players skip) up to this size, for download benchmarks.
    pub video_bytes: usize,
    /// Bytes of rendered media (originals, thumbnails, videos) kept in memory.
    pub media_cache_bytes: usize,
    /// A user created at start with this token (the CLI's default), if any.
    pub default_user_token: Option<String>,
    /// Accept any bearer token nobody issued as one of the default user's, as
    /// Google's own emulators accept any token (so an app's real token, or the
    /// client's placeholder under `PHOTOSPICKER_EMULATOR_HOST`, just works).
    /// Issued tokens keep their state (an expired one is still refused); needs
    /// `default_user_token`. Off by default: unknown tokens get Google's 401.
    pub accept_any_token: bool,
    /// How many requests the log keeps; older ones are dropped and counted.
    pub request_log_size: usize,
    /// Page sizes new sessions serve in turn (capped by the asked `pageSize`),
    /// e.g. `[0, 3]` for an empty page, then 3 items, then empty again, each with
    /// a `nextPageToken` until the end. Empty: every page is as full as asked.
    pub page_sizes: Vec<usize>,
    /// Who answers OAuth consents: a person on the pages, or the emulator at once.
    pub oauth_approval: crate::oauth::Approval,
    /// The device flow's polling `interval` (Google: 5 seconds).
    pub oauth_poll_interval: std::time::Duration,
    /// A connection that has not sent a whole request head by then is closed
    /// (a client that never finishes its headers holds no socket for long).
    pub header_read_timeout: std::time::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: std::net::Ipv4Addr::LOCALHOST.into(),
            picker_port: 0,
            library_port: 0,
            poll_interval: std::time::Duration::from_secs(5),
            picking_timeout: std::time::Duration::from_secs(1800),
            session_ttl: std::time::Duration::from_secs(3600),
            base_url_ttl: std::time::Duration::from_secs(3600),
            max_sessions_per_user: 20,
            library_size: 40,
            video_ratio: 0.2,
            video_bytes: 256 * 1024,
            media_cache_bytes: 256 * 1024 * 1024,
            default_user_token: None,
            accept_any_token: false,
            request_log_size: crate::request_log::DEFAULT_CAPACITY,
            page_sizes: Vec::new(),
            oauth_approval: crate::oauth::Approval::Ask,
            oauth_poll_interval: std::time::Duration::from_secs(5),
            header_read_timeout: std::time::Duration::from_secs(20),
        }
    }
}

pub fn to_chrono(d: std::time::Duration) -> Duration {
    Duration::from_std(d).unwrap_or(Duration::MAX)
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub token: String,
    pub has_photos_account: bool,
    pub scopes: Vec<String>,
    pub max_sessions: usize,
    pub library: Arc<Vec<LibraryItem>>,
}

#[derive(Debug, Clone)]
pub enum Selection {
    Count(usize),
    Ids(Vec<String>),
}

#[derive(Debug, Clone)]
pub enum Trigger {
    Now,
    At(DateTime<Utc>),
    /// After this many polls have answered "not yet".
    AfterPolls(u32),
}

#[derive(Debug, Clone)]
pub struct PickPlan {
    pub selection: Selection,
    pub trigger: Trigger,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub expire_time: DateTime<Utc>,
    pub timeout_at: DateTime<Utc>,
    pub max_item_count: i64,
    pub poll_interval: std::time::Duration,
    /// Indices into the owner's library, in picking order.
    pub picked: Option<Vec<usize>>,
    pub plan: Option<PickPlan>,
    pub polls: u32,
    pub request_id: Option<String>,
    /// Sizes of successive pages of mediaItems.list (see [`Config::page_sizes`]).
    pub page_sizes: Vec<usize>,
}

impl Session {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expire_time
    }

    pub fn timed_out(&self, now: DateTime<Utc>) -> bool {
        self.picked.is_none() && now >= self.timeout_at
    }
}

/// A `baseUrl`: who may fetch which item until when. It is carried in the
/// URL itself, signed with the emulator's secret, so listing keeps no state
/// per URL (memory stays flat however many listings a long run makes).
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub user_id: String,
    pub item: usize,
    pub expires: DateTime<Utc>,
}

impl Grant {
    /// The URL path segment: hex of `user.item.expiry-ms:mac`.
    pub fn encode(&self, secret: u64) -> String {
        let payload = format!("{}.{}.{}", self.user_id, self.item, self.expires.timestamp_millis());
        let signed = format!("{payload}:{:016x}", grant_mac(secret, &payload));
        signed.bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// The grant a segment carries, if the emulator signed it.
    pub fn decode(segment: &str, secret: u64) -> Option<Grant> {
        if !segment.len().is_multiple_of(2) || segment.len() > 512 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..segment.len()).step_by(2).map(|i| u8::from_str_radix(segment.get(i..i + 2)?, 16).ok()).collect();
        let text = String::from_utf8(bytes?).ok()?;
        let (payload, tag) = text.rsplit_once(':')?;
        if format!("{:016x}", grant_mac(secret, payload)) != tag {
            return None;
        }
        let mut parts = payload.rsplitn(3, '.');
        let expires = DateTime::from_timestamp_millis(parts.next()?.parse().ok()?)?;
        let item = parts.next()?.parse().ok()?;
        Some(Grant { user_id: parts.next()?.to_string(), item, expires })
    }
}

fn grant_mac(secret: u64, payload: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (secret, "grant", payload).hash(&mut hasher);
    hasher.finish()
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub route: String,
    pub status: u16,
    pub time: DateTime<Utc>,
    /// The kind of fault injected into this answer, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<crate::faults::FaultKind>,
}

#[derive(Debug, Default)]
pub struct Inner {
    pub users: HashMap<String, User>,
    pub sessions: HashMap<String, Session>,
    pub faults: Vec<FaultRule>,
    pub log: RequestLog,
    pub rng: Option<Rng>,
    pub next_user: u64,
    pub tokens: crate::tokens::Tokens,
    pub oauth: crate::oauth::OAuth,
}

impl Inner {
    /// A fresh unguessable-looking id (the emulator's ids only need to be unique).
    pub fn random_hex(&mut self, bytes: usize) -> String {
        let rng = self.rng.get_or_insert_with(|| Rng::new(seed_from_os()));
        (0..bytes.div_ceil(8)).map(|_| format!("{:016x}", rng.next_u64())).collect::<String>()[..bytes * 2].to_string()
    }

    pub fn unit(&mut self) -> f64 {
        self.rng.get_or_insert_with(|| Rng::new(seed_from_os())).unit()
    }

    /// The user whose valid (unexpired) token this is.
    pub fn user_by_token(&self, token: &str) -> Option<&User> {
        match self.tokens.state(token) {
            crate::tokens::TokenState::Valid(user_id) => self.users.get(user_id),
            _ => None,
        }
    }
}

fn seed_from_os() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.finish()
}

/// Options for a new emulated user.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewUser {
    pub name: Option<String>,
    pub token: Option<String>,
    /// `false` makes sessions.create answer FAILED_PRECONDITION.
    pub has_photos_account: Option<bool>,
    /// Scopes the token carries; by default the Picker and the Library app-created scopes.
    pub scopes: Option<Vec<String>>,
    pub library_size: Option<usize>,
    pub video_ratio: Option<f64>,
    pub max_sessions: Option<usize>,
    /// Seeds the library; by default derived from the name, or the user's number.
    pub seed: Option<u64>,
}

pub struct State {
    pub config: Config,
    pub clock: Clock,
    /// Secret mixed into page tokens so that a tampered token is detected.
    pub secret: u64,
    pub picker_base: String,
    pub library_base: String,
    pub media_cache: crate::media::MediaCache,
    /// The simulated user of demos, if one is switched on (kept across resets).
    pub auto_pick: Mutex<Option<crate::auto_pick::AutoPick>>,
    inner: Mutex<Inner>,
}

impl State {
    pub fn new(config: Config, picker_base: String, library_base: String) -> Self {
        let media_cache = crate::media::MediaCache::new(config.media_cache_bytes);
        Self {
            clock: Clock::default(),
            secret: seed_from_os(),
            picker_base,
            library_base,
            media_cache,
            auto_pick: Mutex::new(None),
            inner: Mutex::new(Inner { log: RequestLog::new(config.request_log_size), ..Inner::default() }),
            config,
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A handler that panicked must not take the whole emulator down with it.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn add_user(&self, options: NewUser) -> Result<User, String> {
        let mut inner = self.lock();
        inner.next_user += 1;
        let number = inner.next_user;
        let id = options.name.clone().unwrap_or_else(|| format!("user{number}"));
        if inner.users.contains_key(&id) {
            return Err(format!("a user named {id:?} exists already"));
        }
        let token = match options.token {
            Some(token) if inner.tokens.contains(&token) => return Err("that token belongs to another user".into()),
            Some(token) if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) => {
                return Err("a token must be non-empty and have no white space".into())
            }
            Some(token) => token,
            None => crate::tokens::mint(inner.random_hex(16)),
        };
        let seed = options.seed.unwrap_or_else(|| {
            id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
        });
        let user = User {
            id: id.clone(),
            token,
            has_photos_account: options.has_photos_account.unwrap_or(true),
            scopes: options.scopes.unwrap_or_else(|| vec![PICKER_SCOPE.into(), LIBRARY_SCOPE.into()]),
            max_sessions: options.max_sessions.unwrap_or(self.config.max_sessions_per_user),
            library: Arc::new(library::generate(
                seed,
                options.library_size.unwrap_or(self.config.library_size),
                options.video_ratio.unwrap_or(self.config.video_ratio).clamp(0.0, 1.0),
            )),
        };
        inner.tokens.issue(user.token.clone(), &id);
        inner.users.insert(id, user.clone());
        Ok(user)
    }

    /// Forgets everything but the configuration (and the default user).
    pub fn reset(&self) {
        *self.lock() = Inner { log: RequestLog::new(self.config.request_log_size), ..Inner::default() };
        self.clock.reset();
        if let Some(token) = self.config.default_user_token.clone() {
            let default = self.add_user(NewUser { name: Some("default".into()), token: Some(token), ..Default::default() });
            if let (Ok(user), true) = (default, self.config.accept_any_token) {
                self.lock().tokens.accept_unknown_as(&user.id);
            }
        }
    }
}

/// Applies a pending pick whose moment has come. Returns true if it fired.
pub fn settle(session: &mut Session, library: &[LibraryItem], now: DateTime<Utc>) -> bool {
    if session.picked.is_some() || session.timed_out(now) {
        return false;
    }
    let Some(plan) = &session.plan else { return false };
    let due = match plan.trigger {
        Trigger::Now => true,
        Trigger::At(at) => now >= at,
        Trigger::AfterPolls(n) => session.polls >= n,
    };
    if !due {
        return false;
    }
    let limit = usize::try_from(session.max_item_count).unwrap_or(usize::MAX);
    let picked = match &plan.selection {
        Selection::Count(count) => (0..library.len()).take((*count).min(limit)).collect(),
        Selection::Ids(ids) => ids.iter().filter_map(|id| library.iter().position(|item| &item.id == id)).take(limit).collect(),
    };
    session.picked = Some(picked);
    session.plan = None;
    true
}

#[cfg(test)]
mod grant_tests {
    use super::Grant;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_grant_survives_its_url_and_a_tampered_or_foreign_one_does_not() {
        let grant = Grant { user_id: "u.1".into(), item: 7, expires: Utc.timestamp_millis_opt(1_700_000_000_123).unwrap() };
        let segment = grant.encode(42);
        assert_eq!(Grant::decode(&segment, 42), Some(grant.clone()));
        assert_eq!(Grant::decode(&segment, 43), None, "another emulator's secret");
        let mut tampered = segment.clone().into_bytes();
        tampered[3] = if tampered[3] == b'0' { b'1' } else { b'0' };
        assert_eq!(Grant::decode(std::str::from_utf8(&tampered).unwrap(), 42), None);
        for junk in ["", "zz", "0", &"ab".repeat(300)] {
            assert_eq!(Grant::decode(junk, 42), None, "{junk:?}");
        }
    }
}
