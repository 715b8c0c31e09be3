//! Fresh `baseUrl`s for items whose URLs expired (about 60 minutes after
//! listing). One [`Refresher`] serves one call — a download or a whole
//! batch: each session is re-listed at most once (the first expired item
//! lists it; the others wait for that listing and read the same id → URL
//! map), and Library items are fetched by one batchGet of every Library item
//! in the call. A listing walks at most [`MAX_REFRESH_PAGES`] pages, stops at
//! a repeated page token, and stops as soon as every item of the call from
//! that session was found.

use super::item::Media;
use crate::client::{Client, MAX_PAGE_SIZE};
use std::collections::{HashMap, HashSet};

/// The most pages one refresh of a session's listing walks (100 pages of up
/// to 100 items: far past the 2,000 items a session can hold), so a server
/// sending endless page tokens cannot keep a download listing forever.
pub const MAX_REFRESH_PAGES: usize = 100;

type Urls = HashMap<String, String>;

/// The fresh URLs of one call's items, fetched once.
#[derive(Debug)]
pub(super) struct Refresher {
    /// For each session, the ids of the call's items in it.
    wanted: HashMap<String, HashSet<String>>,
    /// The ids of the call's Library items (no session).
    library_ids: Vec<String>,
    /// What each lookup found; a session or the Library is looked up at most once.
    found: tokio::sync::Mutex<HashMap<Option<String>, Urls>>,
}

impl Refresher {
    pub(super) fn new<'a>(items: impl IntoIterator<Item = Media<'a>>) -> Self {
        let mut wanted: HashMap<String, HashSet<String>> = HashMap::new();
        let mut library_ids = Vec::new();
        let mut seen_library = HashSet::new();
        for media in items {
            match media.session_id {
                Some(session) => {
                    wanted.entry(session.to_string()).or_default().insert(media.id.to_string());
                }
                None if seen_library.insert(media.id) => library_ids.push(media.id.to_string()),
                None => {}
            }
        }
        Self { wanted, library_ids, found: tokio::sync::Mutex::new(HashMap::new()) }
    }

    /// A fresh `baseUrl` for `media`, unless none other than the one it has can be found.
    pub(super) async fn fresh_base_url(&self, client: &Client, media: &Media<'_>) -> Option<String> {
        // Held across the lookup on purpose: concurrent items wait for the one listing.
        let mut found = self.found.lock().await;
        let key = media.session_id.map(str::to_string);
        if !found.contains_key(&key) {
            let urls = match media.session_id {
                Some(session) => self.list_session(client, session).await,
                None => self.batch_get(client, media.id).await,
            };
            found.insert(key.clone(), urls);
        }
        found[&key].get(media.id).filter(|url| url.as_str() != media.base_url && !url.is_empty()).cloned()
    }

    async fn list_session(&self, client: &Client, session_id: &str) -> Urls {
        let wanted = self.wanted.get(session_id);
        let mut urls = Urls::new();
        let mut tokens = HashSet::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_REFRESH_PAGES {
            let Ok((items, next)) = client.list_media_items_page(session_id, Some(MAX_PAGE_SIZE), token.as_deref()).await else { break };
            for item in items {
                urls.entry(item.id).or_insert(item.media_file.base_url);
            }
            if wanted.is_some_and(|ids| ids.iter().all(|id| urls.contains_key(id))) {
                break;
            }
            match next {
                Some(next) if !next.is_empty() && tokens.insert(next.clone()) => token = Some(next),
                Some(next) if !next.is_empty() => {
                    tracing::warn!(session_id, "the service repeated a page token; ending the baseUrl refresh");
                    break;
                }
                _ => break,
            }
        }
        urls
    }

    async fn batch_get(&self, client: &Client, id: &str) -> Urls {
        let ids: Vec<&str> = if self.library_ids.is_empty() { vec![id] } else { self.library_ids.iter().map(String::as_str).collect() };
        let Ok(results) = client.batch_get_media_items(&ids).await else { return Urls::new() };
        results.into_iter().flatten().map(|item| (item.id, item.base_url)).collect()
    }
}
