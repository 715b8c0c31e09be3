//! mediaItems.list, batchGet and media bytes over HTTP.

mod common;

use common::{start, start_with};
use photospicker_emulator::{Config, NewUser};
use reqwest::Method;
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<String> {
    page["mediaItems"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn list_before_picking_is_failed_precondition() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    ctx.list(&format!("sessionId={id}")).await.expect_error(400, "FAILED_PRECONDITION");
    ctx.list("").await.expect_error(400, "INVALID_ARGUMENT");
    ctx.list("sessionId=unknown").await.expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn page_sizes_default_cap_and_reject_negative() {
    let ctx = start_with(Config { library_size: 150, ..Config::default() }, NewUser::default()).await;
    let id = ctx.picked_session(150).await;
    for (query, expected) in [("", 50), ("&pageSize=0", 50), ("&pageSize=7", 7), ("&pageSize=100", 100), ("&pageSize=1000", 100)] {
        let page = ctx.list(&format!("sessionId={id}{query}")).await.ok();
        assert_eq!(ids(&page).len(), expected, "{query}");
        assert!(page["nextPageToken"].is_string());
    }
    ctx.list(&format!("sessionId={id}&pageSize=-1")).await.expect_error(400, "INVALID_ARGUMENT");
    ctx.list(&format!("sessionId={id}&pageSize=ten")).await.expect_error(400, "INVALID_ARGUMENT");
}

#[tokio::test]
async fn pages_cover_every_item_in_picking_order_and_the_last_has_no_token() {
    let ctx = start().await;
    let library = ctx.items().await;
    let chosen: Vec<String> = [7usize, 3, 12, 0, 25, 9, 31].iter().map(|&i| library[i]["id"].as_str().unwrap().to_string()).collect();
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    ctx.pick(&id, json!({"itemIds": chosen})).await;
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let query = match &token {
            Some(t) => format!("sessionId={id}&pageSize=3&pageToken={t}"),
            None => format!("sessionId={id}&pageSize=3"),
        };
        let page = ctx.list(&query).await.ok();
        seen.extend(ids(&page));
        match page.get("nextPageToken") {
            Some(next) => token = Some(next.as_str().unwrap().to_string()),
            None => break,
        }
    }
    assert_eq!(seen, chosen);
}

#[tokio::test]
async fn zero_picked_items_is_one_empty_page() {
    let ctx = start().await;
    let id = ctx.picked_session(0).await;
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    assert_eq!(page, json!({}), "proto3 JSON leaves an empty list out, as Google does");
}

#[tokio::test]
async fn tampered_and_foreign_page_tokens_are_rejected() {
    let ctx = start().await;
    let a = ctx.picked_session(10).await;
    let b = ctx.picked_session(10).await;
    let token = ctx.list(&format!("sessionId={a}&pageSize=2")).await.ok()["nextPageToken"].as_str().unwrap().to_string();
    ctx.list(&format!("sessionId={a}&pageToken={token}")).await.ok();
    let mut tampered = token.clone().into_bytes();
    tampered[1] = if tampered[1] == b'1' { b'2' } else { b'1' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [tampered.as_str(), "garbage", "%00%01", &"f".repeat(4000)] {
        ctx.list(&format!("sessionId={a}&pageToken={bad}")).await.expect_error(400, "INVALID_ARGUMENT");
    }
    ctx.list(&format!("sessionId={b}&pageToken={token}")).await.expect_error(400, "INVALID_ARGUMENT");
}

#[tokio::test]
async fn picked_items_carry_full_metadata_in_proto3_json() {
    let ctx = start_with(Config { library_size: 30, video_ratio: 0.5, ..Config::default() }, NewUser::default()).await;
    let id = ctx.picked_session(30).await;
    let page = ctx.list(&format!("sessionId={id}&pageSize=100")).await.ok();
    let items = page["mediaItems"].as_array().unwrap();
    let photo = items.iter().find(|i| i["type"] == "PHOTO").unwrap();
    let video = items.iter().find(|i| i["type"] == "VIDEO").unwrap();
    let photo_meta = &photo["mediaFile"]["mediaFileMetadata"];
    assert!(photo_meta["width"].is_u64() && photo_meta["height"].is_u64(), "Picker sizes are int32 numbers");
    assert!(photo_meta["photoMetadata"]["exposureTime"].as_str().unwrap().ends_with('s'));
    assert!(photo_meta["photoMetadata"]["isoEquivalent"].is_i64());
    assert!(photo_meta["cameraMake"].is_string());
    assert!(video["mediaFile"]["mediaFileMetadata"]["videoMetadata"]["fps"].is_f64());
    assert_eq!(video["mediaFile"]["mimeType"], "video/mp4");
    for item in items {
        let decoded: photospicker_api::picker::types::PickedMediaItem = serde_json::from_value(item.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), *item, "the generated client reads it back unchanged");
    }
}

#[tokio::test]
async fn batch_get_keeps_order_and_reports_each_failure() {
    let ctx = start().await;
    let library = ctx.items().await;
    let created: Vec<&str> = library.iter().filter(|i| i["appCreated"] == true).map(|i| i["id"].as_str().unwrap()).collect();
    let foreign = library.iter().find(|i| i["appCreated"] == false).unwrap()["id"].as_str().unwrap();
    let requested = [created[2], "bogus-id", created[0], foreign, "..%2F..%2Fx", created[1]];
    let query: String = requested.iter().map(|id| format!("mediaItemIds={id}&")).collect();
    let url = format!("{}/v1/mediaItems:batchGet?{query}", ctx.emulator.library_url());
    let reply = ctx.call(Method::GET, &url, Some(&ctx.token), None).await.ok();
    let results = reply["mediaItemResults"].as_array().unwrap();
    assert_eq!(results.len(), requested.len());
    assert_eq!(results[0]["mediaItem"]["id"], created[2]);
    assert_eq!(results[1]["status"]["code"], 3);
    assert_eq!(results[2]["mediaItem"]["id"], created[0]);
    assert_eq!(results[3]["status"]["code"], 7);
    assert_eq!(results[4]["status"]["code"], 3);
    assert_eq!(results[5]["mediaItem"]["id"], created[1]);
    let metadata = &results[0]["mediaItem"]["mediaMetadata"];
    assert!(metadata["width"].is_string() && metadata["height"].is_string(), "Library sizes are int64 strings");
    let decoded: photospicker_api::library::types::BatchGetMediaItemsResponse = serde_json::from_value(reply.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), reply);
}

#[tokio::test]
async fn batch_get_limits() {
    let ctx = start_with(Config { library_size: 120, ..Config::default() }, NewUser::default()).await;
    let base = format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url());
    let query = |n: usize| (0..n).map(|i| format!("mediaItemIds=id{i}")).collect::<Vec<_>>().join("&");
    ctx.call(Method::GET, &base, Some(&ctx.token), None).await.expect_error(400, "INVALID_ARGUMENT");
    ctx.call(Method::GET, &format!("{base}?{}", query(51)), Some(&ctx.token), None).await.expect_error(400, "INVALID_ARGUMENT");
    let fifty = ctx.call(Method::GET, &format!("{base}?{}", query(50)), Some(&ctx.token), None).await.ok();
    assert_eq!(fifty["mediaItemResults"].as_array().unwrap().len(), 50);
    ctx.call(Method::GET, &format!("{base}?mediaItemIds=a&mediaItemIds=a"), Some(&ctx.token), None)
        .await
        .expect_error(400, "INVALID_ARGUMENT");
}

async fn fetch(ctx: &common::Ctx, url: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut request = ctx.http.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, content_type, response.bytes().await.unwrap().to_vec())
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("a real image");
    (image.width(), image.height())
}

#[tokio::test]
async fn photo_bytes_follow_size_options() {
    let ctx = start_with(Config { library_size: 20, video_ratio: 0.0, ..Config::default() }, NewUser::default()).await;
    let id = ctx.picked_session(20).await;
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    let item = page["mediaItems"].as_array().unwrap().iter().find(|i| i["mediaFile"]["mimeType"] == "image/jpeg").unwrap().clone();
    let base = item["mediaFile"]["baseUrl"].as_str().unwrap();
    let meta = &item["mediaFile"]["mediaFileMetadata"];
    let (w, h) = (meta["width"].as_u64().unwrap() as f64, meta["height"].as_u64().unwrap() as f64);
    let fit = |bw: f64, bh: f64| {
        let s = (bw / w).min(bh / h).min(1.0);
        ((w * s).round() as u32, (h * s).round() as u32)
    };
    let (status, content_type, bytes) = fetch(&ctx, &format!("{base}=w300"), Some(&ctx.token)).await;
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"));
    assert_eq!(dimensions(&bytes), fit(300.0, f64::INFINITY));
    assert_eq!(dimensions(&fetch(&ctx, &format!("{base}=h200"), Some(&ctx.token)).await.2), fit(f64::INFINITY, 200.0));
    assert_eq!(dimensions(&fetch(&ctx, &format!("{base}=w400-h100"), Some(&ctx.token)).await.2), fit(400.0, 100.0));
    assert_eq!(dimensions(&fetch(&ctx, &format!("{base}=w256-h256-c"), Some(&ctx.token)).await.2), (256, 256));
    let download = fetch(&ctx, &format!("{base}=d"), Some(&ctx.token)).await;
    assert_eq!(download.0, 200);
    let (dw, dh) = dimensions(&download.2);
    assert!((dw as f64 / dh as f64 - w / h).abs() < 0.01, "=d keeps the original aspect ratio");
    // Deterministic per item.
    assert_eq!(fetch(&ctx, &format!("{base}=w300"), Some(&ctx.token)).await.2, bytes);
}

#[tokio::test]
async fn media_requires_the_owners_token_and_valid_options() {
    let ctx = start().await;
    let id = ctx.picked_session(1).await;
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    let base = page["mediaItems"][0]["mediaFile"]["baseUrl"].as_str().unwrap().to_string();
    assert_eq!(fetch(&ctx, &format!("{base}=w100"), None).await.0, 403);
    let (_, other) = ctx.add_user(json!({})).await;
    assert_eq!(fetch(&ctx, &format!("{base}=w100"), Some(&other)).await.0, 403);
    let (status, content_type, _) = fetch(&ctx, &format!("{base}=w100-zz"), Some(&ctx.token)).await;
    assert_eq!((status, content_type.starts_with("text/html")), (400, true));
    assert_eq!(fetch(&ctx, &format!("{}/media/unknown=w10", ctx.picker()), Some(&ctx.token)).await.0, 404);
}

#[tokio::test]
async fn base_urls_expire_sixty_minutes_after_listing() {
    let ctx = start_with(Config { session_ttl: std::time::Duration::from_secs(7200), ..Config::default() }, NewUser::default()).await;
    let id = ctx.picked_session(1).await;
    let base = ctx.list(&format!("sessionId={id}")).await.ok()["mediaItems"][0]["mediaFile"]["baseUrl"].as_str().unwrap().to_string();
    ctx.emulator.advance_clock(std::time::Duration::from_secs(59 * 60));
    assert_eq!(fetch(&ctx, &format!("{base}=w10"), Some(&ctx.token)).await.0, 200);
    ctx.emulator.advance_clock(std::time::Duration::from_secs(2 * 60));
    assert_eq!(fetch(&ctx, &format!("{base}=w10"), Some(&ctx.token)).await.0, 403);
    let fresh = ctx.list(&format!("sessionId={id}")).await.ok()["mediaItems"][0]["mediaFile"]["baseUrl"].as_str().unwrap().to_string();
    assert_ne!(fresh, base);
    assert_eq!(fetch(&ctx, &format!("{fresh}=w10"), Some(&ctx.token)).await.0, 200);
}

#[tokio::test]
async fn video_download_needs_ready_and_serves_configured_size() {
    let config = Config { library_size: 60, video_ratio: 1.0, video_bytes: 300_000, ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let id = ctx.picked_session(60).await;
    let page = ctx.list(&format!("sessionId={id}&pageSize=100")).await.ok();
    let items = page["mediaItems"].as_array().unwrap();
    let status_of = |i: &Value| i["mediaFile"]["mediaFileMetadata"]["videoMetadata"]["processingStatus"].as_str().unwrap().to_string();
    let ready = items.iter().find(|i| status_of(i) == "READY").unwrap();
    let base = ready["mediaFile"]["baseUrl"].as_str().unwrap();
    let (status, content_type, bytes) = fetch(&ctx, &format!("{base}=dv"), Some(&ctx.token)).await;
    assert_eq!((status, content_type.as_str(), bytes.len()), (200, "video/mp4", 300_000));
    assert_eq!(&bytes[4..8], b"ftyp");
    let (status, content_type, thumb) = fetch(&ctx, &format!("{base}=w64-h64"), Some(&ctx.token)).await;
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"));
    assert!(dimensions(&thumb).0 <= 64);
    for state in ["PROCESSING", "FAILED"] {
        let item = items.iter().find(|i| status_of(i) == state).unwrap_or_else(|| panic!("a {state} video"));
        let base = item["mediaFile"]["baseUrl"].as_str().unwrap();
        assert_eq!(fetch(&ctx, &format!("{base}=dv"), Some(&ctx.token)).await.0, 403, "{state}");
    }
}

#[tokio::test]
async fn png_items_are_served_as_png() {
    let ctx = start_with(Config { library_size: 40, video_ratio: 0.0, ..Config::default() }, NewUser::default()).await;
    let id = ctx.picked_session(40).await;
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    let png = page["mediaItems"].as_array().unwrap().iter().find(|i| i["mediaFile"]["mimeType"] == "image/png").expect("a PNG item");
    let (status, content_type, bytes) = fetch(&ctx, &format!("{}=w50", png["mediaFile"]["baseUrl"].as_str().unwrap()), Some(&ctx.token)).await;
    assert_eq!((status, content_type.as_str(), &bytes[1..4]), (200, "image/png", &b"PNG"[..]));
}

#[tokio::test]
async fn libraries_are_deterministic_per_user_name_and_seed() {
    let a = start_with(Config::default(), NewUser { name: Some("ada".into()), ..Default::default() }).await;
    let b = start_with(Config::default(), NewUser { name: Some("ada".into()), ..Default::default() }).await;
    let c = start_with(Config::default(), NewUser { name: Some("bob".into()), ..Default::default() }).await;
    assert_eq!(a.items().await, b.items().await);
    assert_ne!(a.items().await, c.items().await);
    let seeded = start_with(Config::default(), NewUser { seed: Some(42), library_size: Some(7), ..Default::default() }).await;
    assert_eq!(seeded.items().await.len(), 7);
}

#[tokio::test]
async fn a_page_size_beyond_the_int32_range_is_a_binding_error() {
    let ctx = start().await;
    let id = ctx.picked_session(3).await;
    for size in ["2147483648", "1099511627776", "-2147483649"] {
        let reply = ctx.list(&format!("sessionId={id}&pageSize={size}")).await;
        reply.expect_error(400, "INVALID_ARGUMENT");
        assert!(reply.body["error"]["message"].as_str().unwrap().contains("TYPE_INT32"), "{size}: {}", reply.body);
    }
    ctx.list(&format!("sessionId={id}&pageSize=2147483647")).await.ok();
}

#[tokio::test]
async fn each_port_serves_only_its_own_api() {
    let ctx = start().await;
    let library_on_picker = format!("{}/v1/mediaItems:batchGet?mediaItemIds=x", ctx.picker());
    ctx.call(Method::GET, &library_on_picker, Some(&ctx.token), None).await.expect_error(404, "NOT_FOUND");
    let picker_on_library = format!("{}/v1/sessions", ctx.emulator.library_url());
    ctx.call(Method::POST, &picker_on_library, Some(&ctx.token), None).await.expect_error(404, "NOT_FOUND");
}
