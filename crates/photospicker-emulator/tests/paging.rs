//! Short and empty pages with a `nextPageToken`, which Google may serve at any
//! time: a session setting (control API `configure`) and an emulator setting.

mod common;

use common::{start, start_with, Ctx};
use photospicker_emulator::{Config, Configure, NewUser};
use reqwest::Method;
use serde_json::{json, Value};

/// Lists every page and returns each page's body.
async fn all_pages(ctx: &Ctx, id: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut token = String::new();
    for _ in 0..100 {
        let page = ctx.list(&format!("sessionId={id}&pageSize=10&pageToken={token}")).await.ok();
        let next = page.get("nextPageToken").and_then(Value::as_str).map(str::to_string);
        pages.push(page);
        match next {
            Some(next) => token = next,
            None => return pages,
        }
    }
    panic!("listing did not end within 100 pages");
}

fn ids(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p.get("mediaItems").and_then(Value::as_array).cloned().unwrap_or_default())
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn configured_page_sizes_serve_empty_and_short_pages_with_a_next_token() {
    let ctx = start().await;
    let id = ctx.picked_session(7).await;
    let reply = ctx.control(Method::POST, &format!("/sessions/{id}/configure"), Some(json!({"pageSizes": [0, 3]}))).await.ok();
    assert!(reply.get("mediaItemsSet").is_some());
    let pages = all_pages(&ctx, &id).await;
    let sizes: Vec<usize> = pages.iter().map(|p| p.get("mediaItems").and_then(Value::as_array).map_or(0, Vec::len)).collect();
    assert_eq!(sizes, [0, 3, 0, 3, 0, 1]);
    let empty = pages[0].as_object().unwrap();
    assert_eq!(empty.keys().collect::<Vec<_>>(), ["nextPageToken"], "an empty page is just its token, as in proto3 JSON");
    let expected: Vec<String> = ctx.items().await.iter().take(7).map(|i| i["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids(&pages), expected, "every item exactly once, in order");
}

#[tokio::test]
async fn an_emulator_wide_setting_applies_to_new_sessions_and_empty_sizes_restore_full_pages() {
    let ctx = start_with(Config { page_sizes: vec![2], ..Config::default() }, NewUser::default()).await;
    let id = ctx.picked_session(5).await;
    assert_eq!(all_pages(&ctx, &id).await.len(), 3);
    ctx.emulator.configure_session(&id, Configure { page_sizes: Some(vec![]), ..Default::default() }).unwrap();
    assert_eq!(all_pages(&ctx, &id).await.len(), 1);
}

#[tokio::test]
async fn page_sizes_that_would_never_finish_are_refused() {
    let ctx = start().await;
    let id = ctx.picked_session(2).await;
    let reply = ctx.control(Method::POST, &format!("/sessions/{id}/configure"), Some(json!({"pageSizes": [0, 0]}))).await;
    reply.expect_error(400, "INVALID_ARGUMENT");
    let refused = photospicker_emulator::Emulator::start(Config { page_sizes: vec![0], ..Config::default() }).await;
    assert_eq!(refused.err().map(|e| e.kind()), Some(std::io::ErrorKind::InvalidInput));
}

#[tokio::test]
async fn a_page_token_is_bound_to_its_page_number() {
    let ctx = start().await;
    let id = ctx.picked_session(4).await;
    ctx.emulator.configure_session(&id, Configure { page_sizes: Some(vec![0, 1]), ..Default::default() }).unwrap();
    let first = ctx.list(&format!("sessionId={id}")).await.ok();
    let token = first["nextPageToken"].as_str().unwrap().to_string();
    // Flip one hex digit of the page number: the token no longer verifies.
    let mut bytes: Vec<u8> = (0..token.len()).step_by(2).map(|i| u8::from_str_radix(&token[i..i + 2], 16).unwrap()).collect();
    let dot = bytes.iter().position(|&b| b == b'.').unwrap();
    bytes[dot + 1] = b'7';
    let forged: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    ctx.list(&format!("sessionId={id}&pageToken={forged}")).await.expect_error(400, "INVALID_ARGUMENT");
}
