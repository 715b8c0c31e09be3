//! Hostile input, both ways: ids from the caller that would steer the request
//! (with the token) to another endpoint, and answers from the server that
//! are incomplete, mispaired or about something else than what was asked.

mod common;

use common::raw::{json, RawRequest, RawServer};
use futures_util::StreamExt;
use photospicker::{CreateSessionOptions, WaitOptions, MAX_BATCH_IDS, MAX_ID_LEN};
use serde_json::{json, Value};
use std::time::Duration;


fn session(id: &str) -> Value {
    json!({"id": id, "pickerUri": format!("https://photos.google.com/picker/{id}"), "mediaItemsSet": true})
}

fn item(id: &str) -> Value {
    json!({"mediaItem": {"id": id, "baseUrl": format!("https://lh3.example/{id}"), "mimeType": "image/jpeg", "filename": format!("{id}.jpg")}})
}

fn not_found() -> Value {
    json!({"status": {"code": 5, "message": "Requested entity was not found."}})
}

/// The `mediaItemIds` of a batchGet request, decoded.
fn asked_ids(request: &RawRequest) -> Vec<String> {
    let query = request.target.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k == "mediaItemIds").map(|(_, v)| v.into_owned()).collect()
}

/// Ids that name another path once a URL parser or a server has normalised them.
const STEERING_IDS: &[&str] = &[
    ".",
    "..",
    "%2e",
    "%2E%2E",
    ".%2e",
    "%252e%252e",
    "..;",
    "a/b",
    "../../v1/mediaItems",
    "..\\..\\v1\\mediaItems",
    "\\",
    "a%2Fb",
    "a%5cb",
    "",
    "a\0b",
    "a\nb",
    "\u{ff0e}\u{ff0e}",
    "%C0%AE%C0%AE",
    "%EF%BC%8E%EF%BC%8E",
];

#[tokio::test]
async fn session_ids_that_could_be_read_as_path_steps_are_refused_before_anything_is_sent() {
    let server = RawServer::start(|_, _| json(200, &session("other"))).await;
    let client = server.client();
    for id in STEERING_IDS {
        let got = client.get_session(id).await;
        assert!(got.as_ref().is_err_and(photospicker::Error::is_validation), "get_session({id:?}) gave {got:?}");
        let deleted = client.delete_session(id).await;
        assert!(deleted.as_ref().is_err_and(photospicker::Error::is_validation), "delete_session({id:?}) gave {deleted:?}");
        let page = client.list_media_items_page(id, None, None).await;
        assert!(page.as_ref().is_err_and(photospicker::Error::is_validation), "list page of {id:?} gave {page:?}");
        let listed: Vec<_> = client.list_media_items(id, None).collect().await;
        assert!(matches!(&listed[..], [Err(e)] if e.is_validation()), "listing {id:?} gave {listed:?}");
        let waited = client.wait_until_picked(id, WaitOptions::default().timeout(Duration::from_secs(5))).await;
        assert!(waited.as_ref().is_err_and(photospicker::Error::is_validation), "waiting on {id:?} gave {waited:?}");
    }
    assert_eq!(server.count(), 0, "requests were sent: {:?}", server.requests());
}

#[tokio::test]
async fn media_item_ids_that_could_be_read_as_path_steps_are_refused_before_anything_is_sent() {
    let server = RawServer::start(|_, _| json(200, &json!({"mediaItemResults": [item("a")]}))).await;
    let client = server.client();
    for id in STEERING_IDS {
        let got = client.batch_get_media_items(&["a", id]).await;
        assert!(got.as_ref().is_err_and(photospicker::Error::is_validation), "batchGet of {id:?} gave {got:?}");
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn other_punctuation_in_an_id_is_percent_encoded_within_its_own_path_segment() {
    let server = RawServer::start(|request, _| {
        let id = request.path().rsplit('/').next().unwrap_or_default();
        let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy().into_owned();
        json(200, &session(&id))
    })
    .await;
    let client = server.client();
    for id in ["a?b", "a#b", "a%b", "a&b=c", "...", "a.b", "%zz", "AF1QipN-x_y"] {
        let session = client.get_session(id).await.unwrap_or_else(|e| panic!("get_session({id:?}): {e}"));
        assert_eq!(session.id, id);
    }
    for request in server.requests() {
        let path = request.path();
        assert!(path.starts_with("/v1/sessions/") && path.matches('/').count() == 3, "{path} is not one segment under /v1/sessions/");
        assert!(!request.target.contains('#') && request.target.split('?').count() == 1, "{} has a query or fragment", request.target);
    }
}

#[tokio::test]
async fn an_overlong_id_is_refused_before_anything_is_sent() {
    let server = RawServer::start(|_, _| json(200, &session("s"))).await;
    let client = server.client();
    let long = "a".repeat(MAX_ID_LEN + 1);
    assert!(client.get_session(&long).await.unwrap_err().is_validation());
    assert!(client.batch_get_media_items(&[long.as_str()]).await.unwrap_err().is_validation());
    let huge = "s".repeat(100 * 1024);
    assert!(client.delete_session(&huge).await.unwrap_err().is_validation());
    assert_eq!(server.count(), 0);
    let longest = "a".repeat(MAX_ID_LEN);
    let server = RawServer::start(move |_, _| json(200, &session(&"a".repeat(MAX_ID_LEN)))).await;
    assert_eq!(server.client().get_session(&longest).await.expect("the longest id is fine").id, longest);
}

#[tokio::test]
async fn request_ids_with_any_version_bits_are_sent_and_malformed_ones_refused() {
    let server = RawServer::start(|_, _| json(200, &json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1"}))).await;
    let client = server.client();
    // `secrets.token_hex(16)` in 8-4-4-4-12 groups: version 0, variant 0.
    let hex_id = "0123abcd-0123-0123-0123-0123456789ab";
    let options = CreateSessionOptions { request_id: Some(hex_id.into()), ..Default::default() };
    client.create_session(options).await.expect("an id of the documented form is accepted");
    assert!(server.requests()[0].target.contains(&format!("requestId={hex_id}")));
    for bad in ["0123abcd01230123012301234567890ab", "0123abcd-0123-0123-0123-0123456789a", "0123abcd-0123-0123-0123-0123456789ag", "../../x"] {
        let options = CreateSessionOptions { request_id: Some(bad.into()), ..Default::default() };
        assert!(client.create_session(options).await.unwrap_err().is_validation(), "{bad:?} was accepted");
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn batch_get_pairs_results_by_the_returned_id_when_the_server_reverses_them() {
    let server = RawServer::start(|request, _| {
        let results: Vec<Value> = asked_ids(request).iter().rev().map(|id| item(id)).collect();
        json(200, &json!({ "mediaItemResults": results }))
    })
    .await;
    let results = server.client().batch_get_media_items(&["a", "b", "c"]).await.expect("a batch");
    let ids: Vec<String> = results.into_iter().map(|r| r.expect("an item").id).collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn batch_get_results_for_other_ids_are_decode_errors_for_the_ids_left_without_one() {
    let server = RawServer::start(|_, _| json(200, &json!({"mediaItemResults": [item("x"), item("b")]}))).await;
    let results = server.client().batch_get_media_items(&["a", "b"]).await.expect("a batch");
    assert!(results[0].as_ref().is_err_and(photospicker::Error::is_decode), "a gave {:?}", results[0]);
    assert_eq!(results[1].as_ref().expect("b").id, "b");
}

#[tokio::test]
async fn batch_get_with_too_few_results_gives_the_missing_ids_decode_errors() {
    let server = RawServer::start(|_, _| json(200, &json!({"mediaItemResults": [item("b")]}))).await;
    let results = server.client().batch_get_media_items(&["a", "b"]).await.expect("a batch");
    assert!(results[0].as_ref().is_err_and(photospicker::Error::is_decode), "a gave {:?}", results[0]);
    assert_eq!(results[1].as_ref().expect("b").id, "b");
}

#[tokio::test]
async fn batch_get_with_51_results_for_50_ids_keeps_each_id_with_its_own_item() {
    let server = RawServer::start(|request, _| {
        let mut results: Vec<Value> = asked_ids(request).iter().map(|id| item(id)).collect();
        results.insert(10, item("intruder"));
        json(200, &json!({ "mediaItemResults": results }))
    })
    .await;
    let ids: Vec<String> = (0..MAX_BATCH_IDS).map(|i| format!("id{i}")).collect();
    let results = server.client().batch_get_media_items(&ids).await.expect("a batch");
    for (id, result) in ids.iter().zip(results) {
        assert_eq!(&result.expect("an item").id, id);
    }
}

#[tokio::test]
async fn batch_get_failures_out_of_request_order_cannot_be_placed_and_say_so() {
    // Google sends a failure as a bare status, naming no id: it can only be placed by position.
    let server = RawServer::start(|_, _| json(200, &json!({"mediaItemResults": [not_found(), item("a"), item("c")]}))).await;
    let results = server.client().batch_get_media_items(&["a", "b", "c"]).await.expect("a batch");
    assert_eq!(results[0].as_ref().expect("a").id, "a");
    assert!(results[1].as_ref().is_err_and(photospicker::Error::is_decode), "b gave {:?}", results[1]);
    assert_eq!(results[2].as_ref().expect("c").id, "c");
}

#[tokio::test]
async fn batch_get_failures_in_request_order_keep_their_status() {
    let server = RawServer::start(|_, _| json(200, &json!({"mediaItemResults": [item("a"), not_found(), {}]}))).await;
    let results = server.client().batch_get_media_items(&["a", "b", "c"]).await.expect("a batch");
    assert_eq!(results[0].as_ref().expect("a").id, "a");
    assert!(results[1].as_ref().is_err_and(photospicker::Error::is_not_found), "b gave {:?}", results[1]);
    assert!(results[2].as_ref().is_err_and(photospicker::Error::is_decode), "c gave {:?}", results[2]);
}

#[tokio::test]
async fn batch_get_of_ten_thousand_ids_with_duplicates_sends_each_once_and_pairs_every_one() {
    let server = RawServer::start(|request, _| {
        let results: Vec<Value> = asked_ids(request).iter().rev().map(|id| item(id)).collect();
        json(200, &json!({ "mediaItemResults": results }))
    })
    .await;
    let mut ids: Vec<String> = (0..10_000).map(|i| format!("id{i}")).collect();
    ids.push("id7".into());
    let results = server.client().batch_get_media_items(&ids).await.expect("a batch");
    assert_eq!(results.len(), ids.len());
    for (id, result) in ids.iter().zip(results) {
        assert_eq!(&result.expect("an item").id, id);
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 200);
    let mut sent: Vec<String> = requests.iter().flat_map(asked_ids).collect();
    assert!(requests.iter().all(|r| asked_ids(r).len() <= MAX_BATCH_IDS));
    sent.sort();
    sent.dedup();
    assert_eq!(sent.len(), 10_000, "an id was sent twice or not at all");
}

#[tokio::test]
async fn a_created_session_without_a_picker_uri_is_a_decode_error() {
    for body in [json!({"id": "s1"}), json!({"id": "s1", "pickerUri": ""}), json!({"id": "s1", "pickerUri": null})] {
        let server = RawServer::start(move |_, _| json(200, &body)).await;
        let created = server.client().create_session(CreateSessionOptions::default()).await;
        assert!(created.as_ref().is_err_and(photospicker::Error::is_decode), "{created:?}");
    }
}

#[tokio::test]
async fn a_created_session_whose_id_would_steer_later_requests_is_a_decode_error() {
    for id in ["..", "a/b", "%2e%2e"] {
        let body = json!({"id": id, "pickerUri": "https://photos.google.com/picker/x"});
        let server = RawServer::start(move |_, _| json(200, &body)).await;
        let created = server.client().create_session(CreateSessionOptions::default()).await;
        assert!(created.as_ref().is_err_and(photospicker::Error::is_decode), "{id:?} gave {created:?}");
    }
}

#[tokio::test]
async fn a_session_with_null_or_wrongly_typed_fields_is_a_decode_error_not_a_guess() {
    let bodies = [
        json!({"id": null, "pickerUri": "https://photos.google.com/picker/s1"}),
        json!({"id": 7, "pickerUri": "https://photos.google.com/picker/s1"}),
        json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": "true"}),
        json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pollingConfig": {"pollInterval": 5}}),
        json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pickingConfig": {"maxItemCount": "many"}}),
        json!([]),
        json!(null),
    ];
    for body in bodies {
        let shown = body.to_string();
        let server = RawServer::start(move |_, _| json(200, &body)).await;
        let got = server.client().get_session("s1").await;
        assert!(got.as_ref().is_err_and(photospicker::Error::is_decode), "{shown} gave {got:?}");
    }
}

#[tokio::test]
async fn numbers_sent_as_strings_and_strings_as_numbers_are_read_where_proto3_json_allows() {
    let body = json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pickingConfig": {"maxItemCount": 7}, "pollingConfig": null});
    let server = RawServer::start(move |_, _| json(200, &body)).await;
    let session = server.client().get_session("s1").await.expect("an int64 as a number is proto3 JSON");
    assert_eq!(session.max_item_count, Some(7));
    assert_eq!(session.polling_config, None);
}

#[tokio::test]
async fn a_polled_session_with_another_id_than_the_one_asked_for_is_a_decode_error() {
    let server = RawServer::start(|_, _| json(200, &session("someone-elses"))).await;
    let client = server.client();
    let got = client.get_session("mine").await;
    assert!(got.as_ref().is_err_and(photospicker::Error::is_decode), "{got:?}");
    let waited = client.wait_until_picked("mine", WaitOptions::default().timeout(Duration::from_secs(5))).await;
    assert!(waited.as_ref().is_err_and(photospicker::Error::is_decode), "{waited:?}");
}

#[tokio::test]
async fn a_polling_config_without_timeout_in_means_no_server_limit_and_polling_goes_on() {
    let server = RawServer::start(|_, index| {
        if index < 3 {
            json(200, &json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pollingConfig": {"pollInterval": "0.05s"}}))
        } else {
            json(200, &session("s1"))
        }
    })
    .await;
    let client = server.client();
    let polled = client.get_session("s1").await.expect("a session");
    assert_eq!(polled.polling_config.expect("a polling config").timeout_in, None);
    let picked = client.wait_until_picked("s1", WaitOptions::default().timeout(Duration::from_secs(20))).await.expect("picked in the end");
    assert!(picked.media_items_set);
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn a_polling_config_without_timeout_in_still_ends_at_the_callers_deadline() {
    let server = RawServer::start(|_, _| {
        json(200, &json!({"id": "s1", "pickerUri": "https://photos.google.com/picker/s1", "pollingConfig": {"pollInterval": "0.05s"}}))
    })
    .await;
    let waited = server.client().wait_until_picked("s1", WaitOptions::default().timeout(Duration::from_millis(400))).await;
    assert!(waited.as_ref().is_err_and(photospicker::Error::is_picking_timeout), "{waited:?}");
    assert!(server.count() >= 2, "it stopped after {} polls", server.count());
}

#[tokio::test]
async fn a_repeated_page_token_yields_the_pages_items_then_a_decode_error() {
    let server = RawServer::start(|_, _| {
        json(200, &json!({"mediaItems": [{"id": "p1", "type": "PHOTO"}], "nextPageToken": "same"}))
    })
    .await;
    let listed: Vec<_> = server.client().list_media_items("s1", None).collect().await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert_eq!(listed[0].as_ref().expect("page 1").id, "p1");
    assert_eq!(listed[1].as_ref().expect("page 2").id, "p1");
    assert!(listed[2].as_ref().is_err_and(photospicker::Error::is_decode));
}

#[test]
fn a_user_agent_that_could_inject_a_header_is_a_validation_error() {
    for agent in ["a\r\nX-Evil: 1", "tab\there", "caf\u{e9}"] {
        let error = photospicker::Client::builder().token("t").user_agent(agent).build().unwrap_err();
        assert!(error.is_validation(), "{agent:?}: {error:?}");
    }
    assert!(photospicker::Client::builder().token("t").user_agent("my-app/1.0 (tv)").build().is_ok());
}

#[test]
fn a_time_outside_the_years_a_timestamp_can_hold_is_a_decode_error() {
    let session = |expire: &str| format!(r#"{{"id":"s1","pickerUri":"https://photos.google.com/picker/s1","expireTime":"{expire}"}}"#);
    for bad in ["+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"] {
        let error = photospicker::PickingSession::from_json(&session(bad)).unwrap_err();
        assert!(error.is_decode(), "{bad}: {error}");
    }
    assert!(photospicker::PickingSession::from_json(&session("9999-12-31T23:59:59Z")).is_ok());
    let item = r#"{"id":"i1","createTime":"0000-06-01T00:00:00Z","type":"PHOTO","mediaFile":{"baseUrl":"https://lh3.googleusercontent.com/x","mimeType":"image/jpeg","filename":"a.jpg"}}"#;
    assert!(photospicker::PickedMediaItem::from_json(item).unwrap_err().is_decode());
}
