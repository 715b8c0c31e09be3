//! The request log is a ring buffer: it keeps the latest entries and says how
//! many it dropped, so a long-running emulator stays flat in memory.

mod common;

use common::start_with;
use photospicker_emulator::{Config, NewUser};
use reqwest::Method;

#[tokio::test]
async fn the_log_keeps_the_latest_capacity_entries_and_counts_the_dropped() {
    let ctx = start_with(Config { request_log_size: 5, ..Config::default() }, NewUser::default()).await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    for _ in 0..11 {
        ctx.get(&id).await.ok();
    }
    let log = ctx.emulator.requests(None);
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|r| r.route == "sessions.get"), "the oldest (the create) went first");
    assert_eq!(ctx.emulator.dropped_requests(), 7);
    let reply = ctx.control(Method::GET, "/requests", None).await.ok();
    assert_eq!(reply["requests"].as_array().unwrap().len(), 5);
    assert_eq!((reply["dropped"].as_u64(), reply["capacity"].as_u64()), (Some(7), Some(5)));
    ctx.emulator.clear_requests();
    assert_eq!((ctx.emulator.requests(None).len(), ctx.emulator.dropped_requests()), (0, 0));
}

#[tokio::test]
async fn a_zero_capacity_logs_nothing_but_still_counts() {
    let ctx = start_with(Config { request_log_size: 0, ..Config::default() }, NewUser::default()).await;
    ctx.create().await;
    assert!(ctx.emulator.requests(None).is_empty());
    assert_eq!(ctx.emulator.dropped_requests(), 1);
}
