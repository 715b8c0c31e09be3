//! Every documented error condition, through the client, over HTTP: the
//! right predicate, the HTTP status and the Google status name.

mod common;

use common::{client_for, fast_retries, start, start_with};
use photospicker::{AccessToken, Client, Code, CreateSessionOptions, FnTokenProvider, RetryPolicy};
use photospicker_emulator::{Config, FaultKind, FaultRule, NewUser, PICKER_SCOPE};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn fault(route: &str, kind: FaultKind, status: Option<u16>) -> FaultRule {
    FaultRule { route: route.into(), kind, status, retry_after: None, latency_ms: None, after_bytes: None, bytes_per_second: None, times: None, probability: None, skip: 0 }
}

#[tokio::test]
async fn unknown_token_is_unauthenticated() {
    let ctx = start().await;
    let client = client_for(&ctx.emulator, "not-a-token", RetryPolicy::disabled());
    let error = client.create_session(Default::default()).await.unwrap_err();
    assert!(error.is_unauthenticated(), "{error:?}");
    assert_eq!((error.http_status(), error.status()), (Some(401), Some(Code::Unauthenticated)));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_refreshing_provider_is_asked_again_once_after_a_401() {
    let ctx = start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let (seen, good) = (calls.clone(), ctx.token.clone());
    let provider = FnTokenProvider::new(move |refresh| {
        seen.fetch_add(1, Ordering::SeqCst);
        let token = if refresh { good.clone() } else { "stale".to_string() };
        async move { Ok(AccessToken::new(token)) }
    });
    let client = Client::builder().endpoint(ctx.emulator.picker_url()).token_provider(provider).retry_policy(fast_retries()).build().unwrap();
    let session = client.create_session(Default::default()).await.expect("the refreshed token works");
    assert!(!session.id.is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(ctx.count("sessions.create"), 2);
}

#[tokio::test]
async fn a_provider_that_fails_gives_an_auth_error_and_sends_nothing() {
    let ctx = start().await;
    let provider = FnTokenProvider::new(|_| async { Err::<AccessToken, _>(photospicker::Error::from_token_source("the refresh token was revoked")) });
    let client = Client::builder().endpoint(ctx.emulator.picker_url()).token_provider(provider).build().unwrap();
    let error = client.get_session("x").await.unwrap_err();
    assert!(error.is_auth(), "{error:?}");
    assert!(error.to_string().contains("revoked"));
    assert_eq!(ctx.count("sessions.get"), 0);
}

#[tokio::test]
async fn missing_scope_is_permission_denied_with_its_reason() {
    let ctx = start_with(Config::default(), NewUser { scopes: Some(vec!["https://www.googleapis.com/auth/userinfo.email".into()]), ..Default::default() }).await;
    let error = ctx.client.create_session(Default::default()).await.unwrap_err();
    assert!(error.is_permission_denied());
    assert_eq!(error.http_status(), Some(403));
    assert_eq!(error.reason(), Some("ACCESS_TOKEN_SCOPE_INSUFFICIENT"));
}

#[tokio::test]
async fn no_photos_account_is_failed_precondition() {
    let ctx = start_with(Config::default(), NewUser { has_photos_account: Some(false), ..Default::default() }).await;
    let error = ctx.client.create_session(Default::default()).await.unwrap_err();
    assert!(error.is_failed_precondition(), "{error:?}");
    assert_eq!(error.http_status(), Some(400));
}

#[tokio::test]
async fn too_many_sessions_is_resource_exhausted() {
    let ctx = start_with(Config::default(), NewUser { max_sessions: Some(2), ..Default::default() }).await;
    for _ in 0..2 {
        ctx.client.create_session(Default::default()).await.unwrap();
    }
    let error = ctx.client.create_session(Default::default()).await.unwrap_err();
    assert!(error.is_resource_exhausted() && error.is_retryable(), "{error:?}");
    assert_eq!(error.http_status(), Some(429));
    assert_eq!(ctx.count("sessions.create"), 3, "a create is never retried after it reached the server");
}

#[tokio::test]
async fn a_request_id_not_in_8_4_4_4_12_hex_groups_is_refused_before_sending() {
    let ctx = start().await;
    for bad in ["1234", "6f1c6c2e7d3a4b4c8d5e9f0a1b2c3d4e", "6f1c6c2e-7d3a-4b4c-8d5e-9f0a1b2c3d4g"] {
        let options = CreateSessionOptions { request_id: Some(bad.into()), ..Default::default() };
        let error = ctx.client.create_session(options).await.unwrap_err();
        assert!(error.is_validation() && error.to_string().contains("8-4-4-4-12"), "{error:?}");
    }
    assert_eq!(ctx.count("sessions.create"), 0);
    let fresh = CreateSessionOptions { request_id: Some(photospicker::new_request_id()), max_item_count: Some(3) };
    assert_eq!(ctx.client.create_session(fresh).await.unwrap().max_item_count, Some(3));
}

#[tokio::test]
async fn unknown_and_foreign_sessions_are_not_found() {
    let ctx = start().await;
    assert!(ctx.client.get_session("no-such-session").await.unwrap_err().is_not_found());
    let other = ctx.emulator.add_user(Default::default()).unwrap().token;
    let theirs = client_for(&ctx.emulator, &other, RetryPolicy::disabled()).create_session(Default::default()).await.unwrap();
    for error in [
        ctx.client.get_session(&theirs.id).await.unwrap_err(),
        ctx.client.delete_session(&theirs.id).await.unwrap_err(),
        ctx.client.list_media_items_page(&theirs.id, None, None).await.unwrap_err(),
    ] {
        assert!(error.is_not_found(), "{error:?}");
        assert_eq!(error.http_status(), Some(404));
    }
}

#[tokio::test]
async fn a_deleted_session_is_gone() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.client.delete_session(&session.id).await.unwrap();
    assert!(ctx.client.get_session(&session.id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn an_expired_session_is_permission_denied() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.advance_clock(Duration::from_secs(3601));
    let error = ctx.client.get_session(&session.id).await.unwrap_err();
    assert!(error.is_permission_denied(), "{error:?}");
}

#[tokio::test]
async fn listing_before_picking_is_failed_precondition() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    let error = ctx.client.list_media_items_page(&session.id, None, None).await.unwrap_err();
    assert!(error.is_failed_precondition(), "{error:?}");
}

#[tokio::test]
async fn a_tampered_page_token_is_invalid_argument() {
    let ctx = start().await;
    let id = ctx.picked_session(5).await;
    let (_, next) = ctx.client.list_media_items_page(&id, Some(2), None).await.unwrap();
    let tampered = format!("{}x", next.unwrap());
    let error = ctx.client.list_media_items_page(&id, Some(2), Some(&tampered)).await.unwrap_err();
    assert!(error.is_invalid_argument(), "{error:?}");
}

#[tokio::test]
async fn an_html_error_page_keeps_its_http_status() {
    let ctx = start().await;
    ctx.emulator.inject_faults(vec![fault("sessions.get", FaultKind::Html, Some(502))]).unwrap();
    let client = client_for(&ctx.emulator, &ctx.token, RetryPolicy::disabled());
    let error = client.get_session("anything").await.unwrap_err();
    assert_eq!(error.http_status(), Some(502), "{error:?}");
    assert_eq!(error.reason(), Some("NON_JSON_ERROR_BODY"));
    assert!(error.is_retryable() && error.is_unavailable());
}

#[tokio::test]
async fn an_html_page_and_a_json_envelope_with_the_same_http_status_are_classified_alike() {
    let ctx = start().await;
    let client = client_for(&ctx.emulator, &ctx.token, RetryPolicy::disabled());
    for status in [400, 401, 403, 404, 408, 409, 413, 429, 499, 500, 501, 502, 503, 504] {
        let mut seen = Vec::new();
        for kind in [FaultKind::Html, FaultKind::Status] {
            ctx.emulator.clear_faults();
            ctx.emulator.inject_faults(vec![fault("sessions.get", kind, Some(status))]).unwrap();
            let error = client.get_session("anything").await.unwrap_err();
            assert_eq!(error.http_status(), Some(status), "{kind:?}: {error:?}");
            seen.push((error.kind(), error.status(), error.is_retryable()));
        }
        assert_eq!(seen[0], seen[1], "HTTP {status}: an HTML page and an injected envelope differ");
    }
}

#[tokio::test]
async fn a_success_body_truncated_every_time_fails_as_a_network_failure_after_the_attempts() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.inject_faults(vec![fault("sessions.get", FaultKind::Truncate, None)]).unwrap();
    let error = ctx.client.get_session(&session.id).await.unwrap_err();
    assert!(error.is_transport() && !error.is_decode(), "{error:?}");
    assert!(error.to_string().contains("ended early"), "{error}");
    assert!(error.http_status().is_none());
    assert_eq!(ctx.count("sessions.get"), 5, "cut bodies are retried up to max_attempts");
}

#[tokio::test]
async fn client_side_validation_sends_nothing() {
    let ctx = start().await;
    assert!(ctx.client.get_session("").await.unwrap_err().is_validation());
    assert!(ctx.client.batch_get_media_items::<&str>(&[]).await.unwrap_err().is_validation());
    let too_many = CreateSessionOptions { max_item_count: Some(0), ..Default::default() };
    assert!(ctx.client.create_session(too_many).await.unwrap_err().is_validation());
    assert!(Client::builder().token("t").endpoint("http://photos.example.com").build().unwrap_err().is_validation());
    assert!(Client::builder().build().unwrap_err().is_validation(), "a client needs a token");
    assert!(ctx.emulator.requests(None).is_empty());
}

#[tokio::test]
async fn the_token_is_never_shown() {
    let ctx = start().await;
    let secret = ctx.token.clone();
    let builder = Client::builder().endpoint(ctx.emulator.picker_url()).token(secret.as_str());
    let shown = format!("{builder:?} {:?} {:?} {}", ctx.client, AccessToken::new(secret.as_str()), AccessToken::new(secret.as_str()));
    assert!(!shown.contains(&secret), "{shown}");
    let bad = client_for(&ctx.emulator, "ya29.super-secret-value", RetryPolicy::disabled());
    let error = bad.get_session("x").await.unwrap_err();
    let text = format!("{error} {error:?} {:?}", error.headers());
    assert!(!text.contains("super-secret"), "{text}");
    let scope_less = ctx.emulator.add_user(NewUser { scopes: Some(vec![PICKER_SCOPE.into()]), ..Default::default() }).unwrap();
    assert!(!format!("{scope_less:?}").contains(&scope_less.token));
}

#[tokio::test]
async fn ids_that_are_dot_segments_or_could_be_normalised_are_refused_before_sending() {
    let ctx = start().await;
    let session = ctx.client.create_session(Default::default()).await.unwrap();
    ctx.emulator.clear_requests();
    for hostile in [".", "..", "..\\..\\v1\\mediaItems", "a\\b", "%2e%2e", "../../emulator/v1/reset", "a/b"] {
        let get = ctx.client.get_session(hostile).await.unwrap_err();
        assert!(get.is_validation() || get.is_not_found(), "{hostile:?}: {get}");
        let delete = ctx.client.delete_session(hostile).await.unwrap_err();
        assert!(delete.is_validation() || delete.is_not_found(), "{hostile:?}: {delete}");
        let list = ctx.client.list_all_media_items(hostile).await.unwrap_err();
        assert!(list.is_validation() || list.is_not_found() || list.is_invalid_argument(), "{hostile:?}: {list}");
    }
    for dots in [".", ".."] {
        assert!(ctx.client.get_session(dots).await.unwrap_err().is_validation(), "{dots:?} is refused, not sent");
    }
    for request in ctx.emulator.requests(None) {
        let expected = match request.route.as_str() {
            "sessions.get" | "sessions.delete" => request.path.len() > "/v1/sessions/".len(),
            "mediaItems.list" => request.method == "GET",
            _ => false,
        };
        assert!(expected, "{} {} reached {}", request.method, request.path, request.route);
    }
    ctx.client.get_session(&session.id).await.expect("nothing was deleted or reset");
}
