//! sessions.create / get / delete and auth, over HTTP, one test per documented condition.

mod common;

use common::{start, start_with};
use photospicker_emulator::{Config, NewUser, PICKER_SCOPE};
use reqwest::Method;
use serde_json::{json, Value};

fn seconds(duration: &Value) -> f64 {
    duration.as_str().unwrap().strip_suffix('s').unwrap().parse().unwrap()
}

#[tokio::test]
async fn create_accepts_no_body_empty_object_and_picking_config() {
    let ctx = start().await;
    let url = format!("{}/v1/sessions", ctx.picker());
    let bare = ctx.http.post(&url).bearer_auth(&ctx.token).send().await.unwrap();
    assert_eq!(bare.status(), 200);
    let session: Value = bare.json().await.unwrap();
    assert_eq!(session["pickingConfig"]["maxItemCount"], "2000");
    assert!(session.get("mediaItemsSet").is_none(), "proto3 JSON leaves false out: {session}");
    assert_eq!(session["pollingConfig"]["pollInterval"], "5s");
    assert_eq!(session["pollingConfig"]["timeoutIn"], "1800s");
    assert!(session["pickerUri"].as_str().unwrap().starts_with(&format!("{}/picker/", ctx.picker())));
    assert!(session["expireTime"].as_str().unwrap().ends_with('Z'));
    assert_eq!(ctx.create().await["pickingConfig"]["maxItemCount"], "2000");
    assert_eq!(ctx.create_with_max(50).await["pickingConfig"]["maxItemCount"], "50");
    assert_eq!(ctx.create_with_max(5000).await["pickingConfig"]["maxItemCount"], "2000");
    let number = ctx.picker_call(Method::POST, "/v1/sessions", Some(json!({"pickingConfig": {"maxItemCount": 7}}))).await.ok();
    assert_eq!(number["pickingConfig"]["maxItemCount"], "7");
}

#[tokio::test]
async fn create_rejects_bad_bodies_and_request_ids() {
    let ctx = start().await;
    for body in [json!({"pickingConfig": {"maxItemCount": "lots"}}), json!({"pickingConfig": {"maxItemCount": "-1"}}), json!([1])] {
        ctx.picker_call(Method::POST, "/v1/sessions", Some(body)).await.expect_error(400, "INVALID_ARGUMENT");
    }
    let raw = ctx.http.post(format!("{}/v1/sessions", ctx.picker())).bearer_auth(&ctx.token).body("{not json").send().await.unwrap();
    assert_eq!(raw.status(), 400);
    for bad in ["nope", "123e4567e89b42d3a456426614174000", "123e4567-e89b-42d3-a456-42661417400g", "{123e4567-e89b-42d3-a456-426614174000}", "'; DROP TABLE sessions; --"] {
        let url = format!("/v1/sessions?requestId={}", urlencode(bad));
        ctx.picker_call(Method::POST, &url, Some(json!({}))).await.expect_error(400, "INVALID_ARGUMENT");
    }
    // Only the documented format is checked: any version and variant bits, either case.
    for good in ["123e4567-e89b-42d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000", "0123ABCD-ffff-ffff-0000-0123456789ab"] {
        ctx.picker_call(Method::POST, &format!("/v1/sessions?requestId={good}"), None).await.ok();
    }
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn missing_or_unknown_token_is_unauthenticated() {
    let ctx = start().await;
    let url = format!("{}/v1/sessions", ctx.picker());
    ctx.call(Method::POST, &url, None, None).await.expect_error(401, "UNAUTHENTICATED");
    ctx.call(Method::POST, &url, Some("ya29.not-a-token"), None).await.expect_error(401, "UNAUTHENTICATED");
    let basic = ctx.http.post(&url).header("Authorization", "Basic dXNlcjpwYXNz").send().await.unwrap();
    assert_eq!(basic.status(), 401);
    ctx.call(Method::GET, &format!("{}/v1/sessions/x", ctx.picker()), None, None).await.expect_error(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn token_without_the_scope_is_permission_denied_with_reason() {
    let ctx = start().await;
    let (_, library_only) = ctx.add_user(json!({"scopes": [photospicker_emulator::LIBRARY_SCOPE]})).await;
    let reply = ctx.call(Method::POST, &format!("{}/v1/sessions", ctx.picker()), Some(&library_only), None).await;
    reply.expect_error(403, "PERMISSION_DENIED");
    assert_eq!(reply.body["error"]["details"][0]["reason"], "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
    let (_, picker_only) = ctx.add_user(json!({"scopes": [PICKER_SCOPE]})).await;
    let url = format!("{}/v1/mediaItems:batchGet?mediaItemIds=x", ctx.emulator.library_url());
    let reply = ctx.call(Method::GET, &url, Some(&picker_only), None).await;
    reply.expect_error(403, "PERMISSION_DENIED");
    assert_eq!(reply.body["error"]["details"][0]["reason"], "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
}

#[tokio::test]
async fn user_without_photos_account_cannot_create() {
    let ctx = start().await;
    let (_, token) = ctx.add_user(json!({"hasPhotosAccount": false})).await;
    ctx.call(Method::POST, &format!("{}/v1/sessions", ctx.picker()), Some(&token), None).await.expect_error(400, "FAILED_PRECONDITION");
}

#[tokio::test]
async fn too_many_live_sessions_is_resource_exhausted_until_one_is_deleted() {
    let ctx = start_with(Config::default(), NewUser { max_sessions: Some(2), ..Default::default() }).await;
    let first = ctx.create().await;
    ctx.create().await;
    ctx.picker_call(Method::POST, "/v1/sessions", None).await.expect_error(429, "RESOURCE_EXHAUSTED");
    ctx.picker_call(Method::DELETE, &format!("/v1/sessions/{}", first["id"].as_str().unwrap()), None).await.ok();
    ctx.create().await;
}

#[tokio::test]
async fn get_counts_down_timeout_and_drops_polling_config_once_picked() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let first = ctx.get(&id).await.ok();
    ctx.emulator.advance_clock(std::time::Duration::from_secs(100));
    let second = ctx.get(&id).await.ok();
    let (a, b) = (seconds(&first["pollingConfig"]["timeoutIn"]), seconds(&second["pollingConfig"]["timeoutIn"]));
    assert!(a <= 1800.0 && (a - b - 100.0).abs() < 1.0, "{a} then {b}");
    ctx.pick(&id, json!({"count": 3})).await;
    let picked = ctx.get(&id).await.ok();
    assert_eq!(picked["mediaItemsSet"], true);
    assert!(picked.get("pollingConfig").is_none());
}

#[tokio::test]
async fn timeout_reaches_zero_when_nobody_picks() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    ctx.emulator.advance_clock(std::time::Duration::from_secs(1801));
    let session = ctx.get(&id).await.ok();
    assert_eq!(session["pollingConfig"]["timeoutIn"], "0s");
    assert!(session.get("mediaItemsSet").is_none());
    // A pick after the timeout is too late, and the control API says so.
    let late = ctx.control(Method::POST, &format!("/sessions/{id}/pick"), Some(json!({"count": 1}))).await;
    late.expect_error(409, "FAILED_PRECONDITION");
    assert!(late.body["error"]["message"].as_str().unwrap().contains("timed out"), "{}", late.body);
    assert!(ctx.get(&id).await.ok().get("mediaItemsSet").is_none());
}

#[tokio::test]
async fn unknown_and_other_users_sessions_are_not_found() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let (_, other) = ctx.add_user(json!({})).await;
    for method in [Method::GET, Method::DELETE] {
        let url = format!("{}/v1/sessions/{id}", ctx.picker());
        let reply = ctx.call(method.clone(), &url, Some(&other), None).await;
        reply.expect_error(404, "NOT_FOUND");
        assert!(!reply.body.to_string().contains(&id), "must not echo the id");
        for hostile in ["does-not-exist", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E", "%00", "a%20b"] {
            let url = format!("{}/v1/sessions/{hostile}", ctx.picker());
            ctx.call(method.clone(), &url, Some(&ctx.token), None).await.expect_error(404, "NOT_FOUND");
        }
    }
    ctx.get(&id).await.ok();
}

#[tokio::test]
async fn expired_session_is_permission_denied() {
    let ctx = start().await;
    let id = ctx.picked_session(2).await;
    ctx.emulator.advance_clock(std::time::Duration::from_secs(3600));
    ctx.get(&id).await.expect_error(403, "PERMISSION_DENIED");
    ctx.list(&format!("sessionId={id}")).await.expect_error(403, "PERMISSION_DENIED");
}

#[tokio::test]
async fn delete_returns_empty_object_and_the_session_is_gone() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let reply = ctx.picker_call(Method::DELETE, &format!("/v1/sessions/{id}"), None).await.ok();
    assert_eq!(reply, json!({}));
    ctx.get(&id).await.expect_error(404, "NOT_FOUND");
    ctx.picker_call(Method::DELETE, &format!("/v1/sessions/{id}"), None).await.expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn unknown_routes_use_the_envelope_too() {
    let ctx = start().await;
    // The classic mistake: there is no /v1/sessions/{id}/mediaItems.
    let id = ctx.picked_session(1).await;
    ctx.picker_call(Method::GET, &format!("/v1/sessions/{id}/mediaItems"), None).await.expect_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn many_users_with_concurrent_sessions() {
    let ctx = start_with(Config { library_size: 10, ..Config::default() }, NewUser::default()).await;
    let mut tasks = Vec::new();
    for n in 0..40 {
        let picker = ctx.picker().to_string();
        let (_, token) = ctx.add_user(json!({"name": format!("concurrent{n}")})).await;
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let session: Value =
                http.post(format!("{picker}/v1/sessions")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
            let id = session["id"].as_str().unwrap().to_string();
            let pick = http.post(format!("{picker}/emulator/v1/sessions/{id}/pick")).json(&json!({"count": n % 5 + 1}));
            assert_eq!(pick.send().await.unwrap().status(), 200);
            let page: Value = http
                .get(format!("{picker}/v1/mediaItems?sessionId={id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(page["mediaItems"].as_array().unwrap().len(), n % 5 + 1);
            id
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        assert!(ids.insert(task.await.unwrap()), "session ids are unique");
    }
}

#[tokio::test]
async fn a_create_repeated_with_the_same_request_id_answers_the_same_session() {
    let ctx = start().await;
    let request_id = "0123abcd-0123-0123-0123-0123456789ab";
    let path = format!("/v1/sessions?requestId={request_id}");
    let first = ctx.picker_call(Method::POST, &path, None).await.ok();
    let again = ctx.picker_call(Method::POST, &path, None).await.ok();
    assert_eq!(first["id"], again["id"]);
    let other = ctx.picker_call(Method::POST, "/v1/sessions?requestId=0123abcd-0123-0123-0123-0123456789ac", None).await.ok();
    assert_ne!(first["id"], other["id"]);
}

#[tokio::test]
async fn a_create_body_field_of_the_wrong_type_is_invalid_argument() {
    let ctx = start().await;
    for body in [json!({"pickingConfig": "x"}), json!({"pickingConfig": [1]}), json!({"mediaItemsSet": "notbool"}), json!({"expireTime": "garbage"})] {
        ctx.picker_call(Method::POST, "/v1/sessions", Some(body.clone())).await.expect_error(400, "INVALID_ARGUMENT");
    }
    ctx.picker_call(Method::POST, "/v1/sessions", Some(json!({"pickingConfig": {"maxItemCount": "5"}}))).await.ok();
}
