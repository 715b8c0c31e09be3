//! The client against a hostile server: raw answers that proxies, captive
//! portals, rate limiters and broken CDN nodes send in the wild.

mod common;

use common::raw::{json, RawServer};


#[tokio::test]
async fn a_well_formed_session_from_a_raw_server_is_read() {
    let server = RawServer::start(|_, _| {
        json(200, &serde_json::json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": true}))
    })
    .await;
    let session = server.client().get_session("s1").await.expect("a session");
    assert_eq!(session.id, "s1");
    assert_eq!(server.requests()[0].path(), "/v1/sessions/s1");
}

#[tokio::test]
async fn a_listing_of_endless_distinct_page_tokens_ends_at_the_page_cap() {
    use futures_util::StreamExt;
    let server = RawServer::start(|_, index| json(200, &serde_json::json!({"nextPageToken": format!("t{index}")}))).await;
    let results: Vec<_> = server.client().list_media_items("s1", None).collect().await;
    assert_eq!(results.len(), 1, "no items, then one error");
    let error = results[0].as_ref().expect_err("a typed error ends the listing");
    assert!(error.is_decode(), "{error:?}");
    assert_eq!(server.count(), photospicker::MAX_LIST_PAGES);
}

#[tokio::test]
async fn a_complete_but_wrong_json_answer_is_a_decode_error_and_not_retried() {
    let server = RawServer::start(|_, _| json(200, &serde_json::json!({"id": 5, "pickerUri": []}))).await;
    let error = server.client().get_session("s1").await.unwrap_err();
    assert!(error.is_decode() && !error.is_retryable(), "{error:?}");
    assert_eq!(server.count(), 1, "a whole document that is wrong is not a network failure");
}
