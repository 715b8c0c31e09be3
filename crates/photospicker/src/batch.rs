//! Library `mediaItems.batchGet` for any number of ids: 50 per request,
//! a few requests at a time, and every result paired with the id it is for.
//!
//! Google documents the results as "in the order of the ids", but trusting
//! positions turns a reordering proxy or a buggy server into silently wrong
//! data (`a → MediaItem(id='b')`). A returned item names its own id, so items
//! are paired by that id; a failure entry (`status` only) names no id, so it
//! is paired by position only when the whole answer is in request order.
//! An id the answer does not account for gets a decode error of its own.

use crate::client::{api_error, Client, MAX_BATCH_IDS};
use crate::error::{Error, Result};
use crate::ids::check_id;
use crate::model::MediaItem;
use futures_util::stream::{self, StreamExt};
use photospicker_api::library::types as lib;
use std::collections::{HashMap, HashSet};

/// How many batchGet requests are in flight at once.
const BATCH_CONCURRENCY: usize = 4;

/// What the service said about one requested id.
#[derive(Debug)]
enum Outcome {
    Item(Box<lib::MediaItem>),
    Status(i32, String),
    /// The answer holds no result that can be told to be this id's.
    Unpaired(String),
}

impl Client {
    /// Library items by id (any number: sent 50 at a time, concurrently), one
    /// result per id in the caller's order; a repeated id is asked once and
    /// gets the same result at each of its places. An empty list, or an id
    /// that is empty, too long or not plain ASCII, is refused before anything
    /// is sent. A result the service did not clearly give for an id (missing,
    /// naming another id, or unplaceable) is a decode error for that id.
    pub async fn batch_get_media_items<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<Result<MediaItem>>> {
        if ids.is_empty() {
            return Err(Error::validation("batch_get_media_items needs at least one id"));
        }
        for (index, id) in ids.iter().enumerate() {
            check_id(&format!("media item id #{index}"), id.as_ref())?;
        }
        let mut unique: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        for id in ids {
            if seen.insert(id.as_ref()) {
                unique.push(id.as_ref());
            }
        }
        let chunks: Vec<Vec<String>> = unique.chunks(MAX_BATCH_IDS).map(|c| c.iter().map(|s| s.to_string()).collect()).collect();
        let responses: Vec<Result<HashMap<String, Outcome>>> = stream::iter(chunks)
            .map(|chunk| async move {
                let response = self.inner.library.media_items_batch_get().media_item_ids(chunk.clone()).send().await.map_err(api_error)?;
                Ok(pair(&chunk, response.into_inner().media_item_results))
            })
            .buffered(BATCH_CONCURRENCY)
            .collect()
            .await;
        let mut by_id: HashMap<String, Outcome> = HashMap::new();
        for response in responses {
            by_id.extend(response?);
        }
        Ok(ids
            .iter()
            .map(|id| match by_id.get(id.as_ref()) {
                Some(Outcome::Item(item)) => MediaItem::try_from((**item).clone()),
                Some(Outcome::Status(code, message)) => Err(item_error(*code, message)),
                Some(Outcome::Unpaired(why)) => Err(Error::decode(why)),
                None => Err(Error::decode(format!("batchGet gave no result for {:?}", id.as_ref()))),
            })
            .map(|result| result.map_err(|error| self.scrub(error)))
            .collect())
    }
}

/// Pairs the results of one request with the ids it asked for (see the module docs).
fn pair(asked: &[String], results: Vec<lib::MediaItemResult>) -> HashMap<String, Outcome> {
    let in_request_order = results.len() == asked.len()
        && results.iter().zip(asked).all(|(result, id)| result.media_item.as_ref().is_none_or(|item| item.id.as_deref() == Some(id.as_str())));
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    if in_request_order {
        for (id, result) in asked.iter().zip(results) {
            let outcome = match (result.media_item, result.status) {
                (Some(item), _) => Outcome::Item(Box::new(item)),
                (None, Some(status)) => Outcome::Status(status.code.map_or(2, |c| c.get()), status.message.unwrap_or_default()),
                (None, None) => Outcome::Unpaired(format!("batchGet returned neither an item nor a status for {id:?}")),
            };
            outcomes.insert(id.clone(), outcome);
        }
        return outcomes;
    }
    let count = results.len();
    let wanted: HashSet<&str> = asked.iter().map(String::as_str).collect();
    let mut strays = 0;
    for item in results.into_iter().filter_map(|r| r.media_item) {
        match item.id.clone().filter(|id| wanted.contains(id.as_str())) {
            Some(id) if outcomes.contains_key(&id) => {
                outcomes.insert(id.clone(), Outcome::Unpaired(format!("batchGet returned {id:?} more than once")));
            }
            Some(id) => {
                outcomes.insert(id, Outcome::Item(Box::new(item)));
            }
            None => strays += 1,
        }
    }
    let why = format!(
        "batchGet answered {count} results for {} ids{}, out of request order, and none of them names {{id}}",
        asked.len(),
        if strays > 0 { format!(" ({strays} for ids not asked for)") } else { String::new() },
    );
    for id in asked {
        outcomes.entry(id.clone()).or_insert_with(|| Outcome::Unpaired(why.replace("{id}", &format!("{id:?}"))));
    }
    outcomes
}

/// A per-item `google.rpc.Status` as an [`Error`] (with the matching HTTP status).
fn item_error(code: i32, message: &str) -> Error {
    Error::from_rpc_status(code, message)
}
