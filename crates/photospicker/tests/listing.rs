//! Pagination of mediaItems.list and the chunking of batchGet.

mod common;

use common::{start, start_with};
use futures_util::StreamExt;
use photospicker::{MediaType, VideoProcessingStatus};
use photospicker_emulator::{Config, Configure, NewUser, PickRequest};

#[tokio::test]
async fn the_stream_follows_page_tokens_to_the_end_in_picking_order() {
    let ctx = start_with(Config::default(), NewUser { library_size: Some(130), ..Default::default() }).await;
    let ids = ctx.library_ids();
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    let picked: Vec<String> = ids.iter().rev().take(120).cloned().collect();
    ctx.emulator.pick(&session.id, PickRequest { item_ids: Some(picked.clone()), ..Default::default() }).unwrap();
    let items: Vec<_> = ctx.client.list_media_items(&session.id, Some(50)).map(Result::unwrap).collect().await;
    assert_eq!(items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), picked);
    assert_eq!(ctx.count("mediaItems.list"), 3);
    assert!(items.iter().all(|i| i.session_id.as_deref() == Some(session.id.as_str()) && !i.media_file.base_url.is_empty()));
    assert!(items.iter().any(|i| i.media_type == MediaType::Video));
    let all = ctx.client.list_all_media_items(&session.id).await.unwrap();
    assert_eq!(all.len(), 120);
    assert_eq!(ctx.count("mediaItems.list"), 5, "collect-all uses pages of 100");
}

#[tokio::test]
async fn empty_and_short_pages_with_a_next_token_are_followed_to_the_end() {
    let ctx = start().await;
    let id = ctx.picked_session(7).await;
    ctx.emulator.configure_session(&id, Configure { page_sizes: Some(vec![0, 3]), ..Default::default() }).unwrap();
    let items: Vec<_> = ctx.client.list_media_items(&id, Some(50)).map(Result::unwrap).collect().await;
    assert_eq!(items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), ctx.library_ids()[..7].to_vec());
    assert_eq!(ctx.count("mediaItems.list"), 6, "pages of 0, 3, 0, 3, 0, 1 items");
}

#[tokio::test]
async fn a_session_with_nothing_picked_lists_nothing() {
    let ctx = start().await;
    let id = ctx.picked_session(0).await;
    assert!(ctx.client.list_all_media_items(&id).await.unwrap().is_empty());
    assert_eq!(ctx.count("mediaItems.list"), 1);
}

#[tokio::test]
async fn items_keep_their_metadata() {
    let ctx = start().await;
    let id = ctx.picked_session(10).await;
    let items = ctx.client.list_all_media_items(&id).await.unwrap();
    let photo = items.iter().find(|i| i.media_type == MediaType::Photo).unwrap();
    let meta = &photo.media_file.metadata;
    assert!(meta.width.unwrap() > 0 && meta.photo.as_ref().unwrap().exposure_time.is_some() && meta.camera_make.is_some());
    let video = items.iter().find(|i| i.media_type == MediaType::Video).unwrap();
    assert!(video.media_file.metadata.video.as_ref().unwrap().fps.unwrap() > 0.0);
    let round_trip = photospicker::PickedMediaItem::from_json(&photo.to_json()).unwrap();
    assert_eq!(round_trip.id, photo.id);
    assert_eq!(round_trip.media_file, photo.media_file);
    assert!(!format!("{photo:?}").contains(&photo.media_file.base_url), "Debug hides the baseUrl");
    let _ = VideoProcessingStatus::Ready;
}

#[tokio::test]
async fn batch_get_chunks_by_fifty_and_keeps_the_callers_order() {
    let ctx = start_with(Config::default(), NewUser { library_size: Some(130), ..Default::default() }).await;
    let ids = ctx.library_ids();
    for (count, calls) in [(1, 1), (50, 1), (51, 2), (120, 3)] {
        ctx.emulator.clear_requests();
        let wanted: Vec<&str> = ids.iter().take(count).rev().map(String::as_str).collect();
        let results = ctx.client.batch_get_media_items(&wanted).await.unwrap();
        assert_eq!(results.len(), count);
        assert_eq!(ctx.count("mediaItems.batchGet"), calls, "{count} ids");
        for (id, result) in wanted.iter().zip(&results) {
            match result {
                Ok(item) => assert_eq!(&item.id, id),
                // Items the app did not create come back as per-item errors.
                Err(error) => assert!(error.is_not_found() || error.is_permission_denied() || error.is_invalid_argument(), "{error:?}"),
            }
        }
        assert!(results.iter().any(Result::is_ok));
    }
}

#[tokio::test]
async fn batch_get_reports_unknown_ids_per_item_and_accepts_duplicates() {
    let ctx = start().await;
    let ids = ctx.library_ids();
    let wanted = [ids[0].as_str(), "no-such-item", ids[0].as_str()];
    let results = ctx.client.batch_get_media_items(&wanted).await.unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().id, ids[0]);
    assert_eq!(results[2].as_ref().unwrap().id, ids[0]);
    let unknown = results[1].as_ref().unwrap_err();
    assert!(unknown.http_status().is_some() && !unknown.message().is_empty(), "{unknown:?}");
    assert_eq!(ctx.count("mediaItems.batchGet"), 1, "duplicates are sent once");
}
