//! The poller against the emulator: when it stops, and exactly how many
//! `sessions.get` calls it makes (counted in the emulator's request log).

mod common;

use common::start;
use futures_util::StreamExt;
use photospicker::{CancellationToken, PollEvent, WaitOptions};
use photospicker_emulator::{Configure, FaultKind, FaultRule, PickRequest};
use std::time::{Duration, Instant};

fn pick_after_polls(polls: u32) -> PickRequest {
    PickRequest { count: Some(2), after_polls: Some(polls), ..Default::default() }
}

#[tokio::test]
async fn stops_at_the_poll_that_sees_the_pick() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.pick(&session.id, pick_after_polls(3)).unwrap();
    let picked = ctx.client.wait_until_picked(&session.id, WaitOptions::default()).await.unwrap();
    assert!(picked.media_items_set && picked.polling_config.is_none());
    assert_eq!(ctx.count("sessions.get"), 4, "three polls answered 'not yet', the fourth saw the pick");
}

#[tokio::test]
async fn the_event_stream_reports_every_poll() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.pick(&session.id, pick_after_polls(2)).unwrap();
    let events: Vec<PollEvent> = ctx.client.poll_session(&session.id, WaitOptions::default()).into_stream().map(Result::unwrap).collect().await;
    assert_eq!(events.len(), 3);
    assert!(matches!(&events[0], PollEvent::Waiting { polls: 1, next_poll_in, timeout_in: Some(_), .. } if *next_poll_in == Duration::from_millis(50)));
    assert!(matches!(&events[2], PollEvent::Picked { polls: 3, .. }));
}

#[tokio::test]
async fn follows_an_interval_that_changes_mid_way() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    let mut poller = ctx.client.poll_session(&session.id, WaitOptions::default());
    let first = poller.next_event().await.unwrap().unwrap();
    assert!(matches!(first, PollEvent::Waiting { next_poll_in, .. } if next_poll_in == Duration::from_millis(50)));
    ctx.emulator.configure_session(&session.id, Configure { poll_interval_seconds: Some(0.3), timeout_seconds: None, ..Default::default() }).unwrap();
    let second = poller.next_event().await.unwrap().unwrap();
    assert!(matches!(second, PollEvent::Waiting { next_poll_in, .. } if next_poll_in == Duration::from_millis(300)), "{second:?}");
    ctx.emulator.pick(&session.id, PickRequest { count: Some(1), ..Default::default() }).unwrap();
    let started = Instant::now();
    assert!(matches!(poller.next_event().await.unwrap().unwrap(), PollEvent::Picked { polls: 3, .. }));
    assert!(started.elapsed() >= Duration::from_millis(290), "waited the new interval");
    assert!(poller.next_event().await.is_none());
}

#[tokio::test]
async fn a_slow_answer_does_not_push_the_next_poll_back() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.configure_session(&session.id, Configure { poll_interval_seconds: Some(1.0), ..Default::default() }).unwrap();
    let slow = FaultRule { route: "sessions.get".into(), kind: FaultKind::Latency, status: None, retry_after: None, latency_ms: Some(600), after_bytes: None, bytes_per_second: None, times: None, probability: None, skip: 0 };
    ctx.emulator.inject_faults(vec![slow]).unwrap();
    let mut poller = ctx.client.poll_session(&session.id, WaitOptions::default());
    let started = Instant::now();
    poller.next_event().await.unwrap().unwrap();
    poller.next_event().await.unwrap().unwrap();
    // Polls go out at 0 s and 1 s, each answered 0.6 s later: 1.6 s. Waiting the
    // interval after each answer instead would take at least 0.6 + 1 + 0.6 = 2.2 s.
    assert!(started.elapsed() < Duration::from_millis(2000), "the second answer came {:?} after the first poll", started.elapsed());
}

#[tokio::test]
async fn gives_up_when_timeout_in_reaches_zero() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.configure_session(&session.id, Configure { poll_interval_seconds: Some(0.1), timeout_seconds: Some(0.25), ..Default::default() }).unwrap();
    let error = ctx.client.wait_until_picked(&session.id, WaitOptions::default()).await.unwrap_err();
    assert!(error.is_picking_timeout() && error.is_timeout(), "{error:?}");
    assert_eq!(error.session_id(), Some(session.id.as_str()));
    let polls = ctx.count("sessions.get");
    assert!((3..=4).contains(&polls), "polls at 0, 0.1, 0.2 and once when timeoutIn ran out, not {polls}");
}

#[tokio::test]
async fn reports_an_expired_session() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    let mut poller = ctx.client.poll_session(&session.id, WaitOptions::default());
    assert!(matches!(poller.next_event().await.unwrap().unwrap(), PollEvent::Waiting { .. }));
    ctx.emulator.advance_clock(Duration::from_secs(3601));
    let error = poller.next_event().await.unwrap().unwrap_err();
    assert!(error.is_session_expired(), "{error:?}");
    assert_eq!(ctx.count("sessions.get"), 2);
}

#[tokio::test]
async fn a_caller_deadline_shortens_the_wait_without_an_extra_poll() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.configure_session(&session.id, Configure { poll_interval_seconds: Some(5.0), timeout_seconds: None, ..Default::default() }).unwrap();
    let started = Instant::now();
    let error = ctx.client.wait_until_picked(&session.id, WaitOptions::default().timeout(Duration::from_millis(200))).await.unwrap_err();
    assert!(error.is_picking_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(ctx.count("sessions.get"), 1);
}

#[tokio::test]
async fn a_cancelled_wait_stops_at_once() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.configure_session(&session.id, Configure { poll_interval_seconds: Some(5.0), timeout_seconds: None, ..Default::default() }).unwrap();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let error = ctx.client.wait_until_picked(&session.id, WaitOptions::default().cancel(cancel)).await.unwrap_err();
    assert!(error.is_cancelled(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(ctx.count("sessions.get"), 1);
}

#[tokio::test]
async fn many_waits_share_one_client() {
    let ctx = start().await;
    let mut waits = Vec::new();
    for polls in 0..20 {
        let session = ctx.client.create_session(Default::default()).await.unwrap();
        ctx.emulator.pick(&session.id, pick_after_polls(polls % 4)).unwrap();
        let client = ctx.client.clone();
        waits.push(tokio::spawn(async move { client.wait_until_picked(&session.id, WaitOptions::default()).await }));
    }
    for wait in waits {
        assert!(wait.await.unwrap().unwrap().media_items_set);
    }
}

#[tokio::test]
async fn a_timeout_too_long_to_represent_is_no_deadline_not_a_panic() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.pick(&session.id, pick_after_polls(1)).unwrap();
    let options = WaitOptions { timeout: Some(Duration::MAX), ..WaitOptions::default() };
    assert!(ctx.client.wait_until_picked(&session.id, options).await.unwrap().media_items_set);
}
