//! Retries under injected faults: what is retried, how often, and what never is.

mod common;

use common::{client_for, fast_retries, start};
use photospicker::RetryPolicy;
use photospicker_emulator::{FaultKind, FaultRule};
use std::time::{Duration, Instant};

fn rule(route: &str, kind: FaultKind, status: Option<u16>, times: Option<u32>) -> FaultRule {
    FaultRule { route: route.into(), kind, status, retry_after: None, latency_ms: None, after_bytes: None, bytes_per_second: None, times, probability: None, skip: 0 }
}

#[tokio::test]
async fn a_503_is_retried_until_it_succeeds() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.inject_faults(vec![rule("sessions.get", FaultKind::Status, Some(503), Some(2))]).unwrap();
    ctx.client.get_session(&session.id).await.expect("the third attempt succeeds");
    let statuses: Vec<u16> = ctx.emulator.requests(Some("sessions.get")).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 503, 200]);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_keep_the_last_error() {
    let ctx = start().await;
    ctx.emulator.inject_faults(vec![rule("mediaItems.batchGet", FaultKind::Status, Some(500), None)]).unwrap();
    let error = ctx.client.batch_get_media_items(&ctx.library_ids()[..3]).await.unwrap_err();
    assert_eq!(error.http_status(), Some(500));
    assert!(error.is_internal() && error.is_retryable());
    assert_eq!(ctx.count("mediaItems.batchGet"), 5);
}

#[tokio::test]
async fn a_429_waits_at_least_its_retry_after_when_the_policy_allows_that_long() {
    let ctx = start().await;
    let id = ctx.picked_session(3).await;
    let limited = FaultRule { retry_after: Some(1), ..rule("mediaItems.list", FaultKind::Status, Some(429), Some(1)) };
    ctx.emulator.inject_faults(vec![limited]).unwrap();
    let patient = client_for(&ctx.emulator, &ctx.token, RetryPolicy { max_backoff: Duration::from_secs(2), ..fast_retries() });
    let started = Instant::now();
    assert_eq!(patient.list_all_media_items(&id).await.unwrap().len(), 3);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was honoured");
    assert_eq!(ctx.count("mediaItems.list"), 2);
}

#[tokio::test]
async fn connection_resets_and_html_pages_are_retried_for_reads() {
    let ctx = start().await;
    let id = ctx.picked_session(3).await;
    ctx.emulator
        .inject_faults(vec![rule("mediaItems.list", FaultKind::Reset, None, Some(1)), rule("mediaItems.list", FaultKind::Html, Some(502), Some(1))])
        .unwrap();
    assert_eq!(ctx.client.list_all_media_items(&id).await.unwrap().len(), 3);
    assert_eq!(ctx.count("mediaItems.list"), 3);
}

#[tokio::test]
async fn a_create_that_reached_the_server_is_never_retried() {
    let ctx = start().await;
    for kind in [FaultKind::Status, FaultKind::Reset] {
        ctx.emulator.clear_requests();
        ctx.emulator.inject_faults(vec![rule("sessions.create", kind, Some(503), Some(1))]).unwrap();
        let error = ctx.client.create_session(Default::default()).await.unwrap_err();
        assert!(error.is_retryable(), "{error:?}");
        assert_eq!(ctx.count("sessions.create"), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn a_create_that_could_not_connect_is_retried() {
    let ctx = start().await;
    // A port that refuses connections: bind, note it, and close it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = photospicker::Client::builder().endpoint(format!("http://{closed}")).token(ctx.token.as_str()).retry_policy(fast_retries()).build().unwrap();
    let started = Instant::now();
    let error = client.create_session(Default::default()).await.unwrap_err();
    assert!(error.is_connect() && error.is_transport(), "{error:?}");
    // Four backoffs of 5, 10, 20 and 20 ms show that all five attempts were made.
    assert!(started.elapsed() >= Duration::from_millis(55), "{:?}", started.elapsed());
}

#[tokio::test]
async fn disabled_retries_send_once() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.inject_faults(vec![rule("sessions.get", FaultKind::Status, Some(503), None)]).unwrap();
    let once = client_for(&ctx.emulator, &ctx.token, RetryPolicy::disabled());
    assert!(once.get_session(&session.id).await.unwrap_err().is_unavailable());
    assert_eq!(ctx.count("sessions.get"), 1);
}

#[tokio::test]
async fn a_429_asking_for_longer_than_the_longest_wait_ends_the_call_at_once() {
    let ctx = start().await;
    let id = ctx.picked_session(3).await;
    let limited = FaultRule { retry_after: Some(1), ..rule("mediaItems.list", FaultKind::Status, Some(429), Some(1)) };
    ctx.emulator.inject_faults(vec![limited]).unwrap();
    let started = Instant::now();
    let error = ctx.client.list_all_media_items(&id).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!((error.http_status(), error.retry_delay()), (Some(429), Some(Duration::from_secs(1))));
    assert_eq!(ctx.count("mediaItems.list"), 1);
}

#[tokio::test]
async fn a_create_with_a_request_id_is_idempotent_and_retried() {
    let ctx = start().await;
    ctx.emulator.inject_faults(vec![rule("sessions.create", FaultKind::Status, Some(503), Some(1))]).unwrap();
    let options = photospicker::CreateSessionOptions { request_id: Some(photospicker::new_request_id()), ..Default::default() };
    ctx.client.create_session(options).await.expect("the second attempt succeeds");
    assert_eq!(ctx.count("sessions.create"), 2);
}

#[tokio::test]
async fn a_success_answer_whose_json_is_cut_short_is_retried_like_a_network_failure() {
    let ctx = start().await;
    let id = ctx.picked_session(3).await;
    ctx.emulator.inject_faults(vec![rule("sessions.get", FaultKind::Truncate, None, Some(1)), rule("mediaItems.list", FaultKind::Truncate, None, Some(1))]).unwrap();
    let session = ctx.client.get_session(&id).await.expect("the second attempt reads the whole answer");
    assert_eq!(session.id, id);
    assert_eq!(ctx.client.list_all_media_items(&id).await.expect("the listing is retried too").len(), 3);
    assert_eq!(ctx.count("sessions.get"), 2);
    assert_eq!(ctx.count("mediaItems.list"), 2);
}

#[tokio::test]
async fn a_cut_short_create_answer_with_a_request_id_is_retried() {
    let ctx = start().await;
    ctx.emulator.inject_faults(vec![rule("sessions.create", FaultKind::Truncate, None, Some(1))]).unwrap();
    let options = photospicker::CreateSessionOptions { request_id: Some(photospicker::new_request_id()), ..Default::default() };
    let session = ctx.client.create_session(options).await.expect("the retried create answers a session");
    assert_eq!(ctx.count("sessions.create"), 2);
    ctx.client.get_session(&session.id).await.expect("the session answered is a real one");
}

#[tokio::test]
async fn a_cut_short_create_answer_without_a_request_id_is_not_retried() {
    let ctx = start().await;
    ctx.emulator.inject_faults(vec![rule("sessions.create", FaultKind::Truncate, None, Some(1))]).unwrap();
    let error = ctx.client.create_session(Default::default()).await.unwrap_err();
    assert!(error.is_transport() && error.is_retryable(), "a cut body is a network failure: {error}");
    assert_eq!(ctx.count("sessions.create"), 1, "a create without a request id is never sent twice");
}

#[tokio::test]
async fn a_delete_whose_answer_was_cut_succeeds_when_its_retry_finds_the_session_gone() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    let cut = FaultRule { after_bytes: Some(1), ..rule("sessions.delete", FaultKind::Reset, None, Some(1)) };
    ctx.emulator.inject_faults(vec![cut]).unwrap();
    ctx.client.delete_session(&session.id).await.expect("the first attempt deleted it; the retry's 404 confirms it");
    let statuses: Vec<u16> = ctx.emulator.requests(Some("sessions.delete")).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 404]);
}

#[tokio::test]
async fn a_delete_of_an_unknown_session_is_still_not_found_after_a_refused_attempt() {
    let ctx = start().await;
    ctx.emulator.inject_faults(vec![rule("sessions.delete", FaultKind::Status, Some(503), Some(1))]).unwrap();
    let error = ctx.client.delete_session("no-such-session").await.unwrap_err();
    assert!(error.is_not_found(), "a 503 did nothing, so the 404 is the answer: {error}");
    let first = ctx.client.delete_session("no-such-session").await.unwrap_err();
    assert!(first.is_not_found());
}
