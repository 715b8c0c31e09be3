//! The one-call flow and the session guard: the session is deleted on every exit path.

mod common;

use common::start;
use photospicker::{PickOptions, PollEvent, WaitOptions};
use photospicker_emulator::{Configure, PickRequest};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn deletes(ctx: &common::Ctx) -> Vec<u16> {
    ctx.emulator.requests(Some("sessions.delete")).iter().map(|r| r.status).collect()
}

#[tokio::test]
async fn pick_runs_the_whole_flow_and_deletes_the_session() {
    let ctx = start().await;
    let dir = tempfile::tempdir().unwrap();
    let polls = Arc::new(AtomicU32::new(0));
    let seen = polls.clone();
    let options = PickOptions::default().download_to(dir.path().join("picked")).on_poll(move |event| {
        if let PollEvent::Waiting { .. } | PollEvent::Picked { .. } = event {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let emulator = &ctx.emulator;
    let picked = ctx
        .client
        .pick(options, |session| {
            assert!(session.picker_uri.contains("/picker/"));
            emulator.pick(&session.id, PickRequest { count: Some(4), after_polls: Some(2), ..Default::default() }).unwrap();
        })
        .await
        .unwrap();
    assert!(picked.session.media_items_set);
    assert_eq!(picked.items.len(), 4);
    assert_eq!(picked.files.len(), 4);
    assert!(picked.files.iter().all(|f| f.starts_with(dir.path().join("picked")) && f.metadata().unwrap().len() > 0));
    assert_eq!(polls.load(Ordering::SeqCst), 3);
    assert_eq!(deletes(&ctx), [200]);
    assert!(ctx.client.get_session(&picked.session.id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn pick_deletes_the_session_when_the_user_never_picks() {
    let ctx = start().await;
    let options = PickOptions { wait: WaitOptions::default().timeout(Duration::from_millis(150)), ..Default::default() };
    let error = ctx.client.pick(options, |_| {}).await.unwrap_err();
    assert!(error.is_picking_timeout(), "{error:?}");
    assert_eq!(deletes(&ctx), [200]);
}

#[tokio::test]
async fn pick_deletes_the_session_when_the_server_gives_up() {
    let ctx = start().await;
    let emulator = &ctx.emulator;
    let error = ctx
        .client
        .pick(PickOptions::default(), |session| {
            emulator.configure_session(&session.id, Configure { poll_interval_seconds: Some(0.05), timeout_seconds: Some(0.1), ..Default::default() }).unwrap();
        })
        .await
        .unwrap_err();
    assert!(error.is_picking_timeout(), "{error:?}");
    assert_eq!(deletes(&ctx), [200]);
}

#[tokio::test]
async fn the_guard_deletes_on_finish_and_on_drop() {
    let ctx = start().await;
    let guard = ctx.client.picking_session(Default::default()).await.unwrap();
    let id = guard.id().to_string();
    guard.finish().await.unwrap();
    assert!(ctx.client.get_session(&id).await.unwrap_err().is_not_found());

    let dropped = ctx.client.picking_session(Default::default()).await.unwrap();
    let id = dropped.session().id.clone();
    drop(dropped);
    for _ in 0..100 {
        if deletes(&ctx).len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(deletes(&ctx), [200, 200]);
    assert!(ctx.client.get_session(&id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn finishing_an_already_deleted_session_is_fine() {
    let ctx = start().await;
    let guard = ctx.client.picking_session(Default::default()).await.unwrap();
    ctx.client.delete_session(guard.id()).await.unwrap();
    guard.finish().await.unwrap();
}
