//! A fresh `baseUrl` for an item whose URL may have expired (baseUrls expire
//! about 60 minutes after listing).

use super::item::Media;
use crate::client::Client;
use futures_util::stream::StreamExt;

impl Client {
    /// A fresh `baseUrl` for an item whose URL may have expired: by re-listing
    /// its session (picked items) or by batchGet (Library items).
    pub(super) async fn fresh_base_url(&self, media: &Media<'_>) -> Option<String> {
        let fresh = match media.session_id {
            Some(session_id) => {
                let mut items = std::pin::pin!(self.list_media_items(session_id, Some(crate::client::MAX_PAGE_SIZE)));
                let mut found = None;
                while let Some(Ok(item)) = items.next().await {
                    if item.id == media.id {
                        found = Some(item.media_file.base_url);
                        break;
                    }
                }
                found
            }
            None => self.batch_get_media_items(&[media.id]).await.ok()?.pop()?.ok().map(|item| item.base_url),
        };
        fresh.filter(|url| url != media.base_url && !url.is_empty())
    }
}
