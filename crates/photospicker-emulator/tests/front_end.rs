//! Google's front end over real HTTP: CORS, error answers for unknown routes
//! and methods, the three kinds of 401 and token expiry.

mod common;

use common::start;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ORIGIN: &str = "http://127.0.0.1:9";

#[tokio::test]
async fn preflights_are_answered_for_any_origin_with_the_headers_asked_for() {
    let ctx = start().await;
    for url in [format!("{}/v1/sessions", ctx.picker()), format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url()), format!("{}/media/abc=w10", ctx.picker())] {
        let answer = ctx
            .http
            .request(Method::OPTIONS, &url)
            .header("Origin", ORIGIN)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,content-type,x-goog-api-client,x-goog-request-params")
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{url}: {}", answer.status());
        let header = |name: &str| answer.headers().get(name).map(|v| v.to_str().unwrap().to_ascii_lowercase()).unwrap_or_default();
        assert_eq!(header("access-control-allow-origin"), ORIGIN);
        for method in ["get", "post", "delete", "put", "patch", "options"] {
            assert!(header("access-control-allow-methods").contains(method), "{}", header("access-control-allow-methods"));
        }
        for asked in ["authorization", "content-type", "x-goog-api-client", "x-goog-request-params"] {
            assert!(header("access-control-allow-headers").contains(asked), "{}", header("access-control-allow-headers"));
        }
        assert_eq!(header("access-control-max-age"), "3600");
    }
}

#[tokio::test]
async fn answers_and_error_answers_carry_cors_headers() {
    let ctx = start().await;
    let created = ctx.http.post(format!("{}/v1/sessions", ctx.picker())).bearer_auth(&ctx.token).header("Origin", ORIGIN).send().await.unwrap();
    assert_eq!(created.status(), 200);
    assert_eq!(created.headers()["access-control-allow-origin"], ORIGIN);
    let errors = [
        ctx.http.post(format!("{}/v1/sessions", ctx.picker())).header("Origin", ORIGIN).send().await.unwrap(),
        ctx.http.get(format!("{}/v1/nowhere", ctx.picker())).header("Origin", ORIGIN).send().await.unwrap(),
        ctx.http.get(format!("{}/media/unknown", ctx.picker())).header("Origin", ORIGIN).send().await.unwrap(),
        ctx.http.get(format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url())).header("Origin", ORIGIN).send().await.unwrap(),
    ];
    for answer in errors {
        assert!(answer.status().is_client_error());
        assert_eq!(answer.headers()["access-control-allow-origin"], ORIGIN, "{}", answer.url());
        let exposed = answer.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
        assert!(exposed.contains("www-authenticate") && exposed.contains("retry-after"), "{exposed}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_googles_404_envelope() {
    let ctx = start().await;
    let cases = [
        (Method::GET, format!("{}/v2/sessions", ctx.picker())),
        (Method::PUT, format!("{}/v1/sessions", ctx.picker())),
        (Method::PATCH, format!("{}/v1/sessions/abc", ctx.picker())),
        (Method::POST, format!("{}/v1/mediaItems", ctx.picker())),
        (Method::DELETE, format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url())),
        (Method::from_bytes(b"BREW").unwrap(), format!("{}/v1/sessions", ctx.picker())),
    ];
    for (method, url) in cases {
        let reply = ctx.call(method.clone(), &url, Some(&ctx.token), Some(json!({"x": 1}))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {url}: {:?}", reply.body);
        reply.expect_error(404, "NOT_FOUND");
    }
}

fn challenge(reply: &common::Reply) -> String {
    reply.headers.get("www-authenticate").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn reason(reply: &common::Reply) -> &str {
    reply.body["error"]["details"][0]["reason"].as_str().unwrap_or("")
}

#[tokio::test]
async fn missing_invalid_and_expired_credentials_are_three_different_401s() {
    let ctx = start().await;
    let url = format!("{}/v1/sessions", ctx.picker());

    let missing = ctx.call(Method::POST, &url, None, None).await;
    missing.expect_error(401, "UNAUTHENTICATED");
    assert!(missing.body["error"]["message"].as_str().unwrap().starts_with("Request is missing required authentication credential."));
    assert_eq!(reason(&missing), "CREDENTIALS_MISSING");
    assert_eq!(challenge(&missing), r#"Bearer realm="https://accounts.google.com/""#);

    let invalid = ctx.call(Method::POST, &url, Some("ya29.never-issued"), None).await;
    invalid.expect_error(401, "UNAUTHENTICATED");
    assert!(invalid.body["error"]["message"].as_str().unwrap().starts_with("Request had invalid authentication credentials."));
    assert_eq!(reason(&invalid), "ACCESS_TOKEN_TYPE_UNSUPPORTED");
    assert_eq!(challenge(&invalid), r#"Bearer realm="https://accounts.google.com/", error="invalid_token""#);

    let basic = ctx.http.post(&url).header("Authorization", "Basic dXNlcjpwYXNz").send().await.unwrap();
    assert_eq!(basic.status(), 401);
    assert!(basic.headers()["www-authenticate"].to_str().unwrap().contains("invalid_token"));

    let expired = ctx.control(Method::POST, &format!("/users/{}/expireToken", ctx.user), None).await.ok();
    assert_eq!(expired["expired"], 1);
    let reply = ctx.call(Method::POST, &url, Some(&ctx.token), None).await;
    reply.expect_error(401, "UNAUTHENTICATED");
    assert!(reply.body["error"]["message"].as_str().unwrap().starts_with("Request had invalid authentication credentials."));
    assert_eq!(reason(&reply), "ACCESS_TOKEN_EXPIRED");
    assert_eq!(challenge(&reply), r#"Bearer realm="https://accounts.google.com/", error="invalid_token""#);
}

#[tokio::test]
async fn a_fresh_token_works_after_expiry_and_older_tokens_stay_expired() {
    let ctx = start().await;
    let session = ctx.create().await["id"].as_str().unwrap().to_string();
    let issued = ctx.control(Method::POST, &format!("/users/{}/tokens", ctx.user), None).await.ok();
    let second = issued["token"].as_str().unwrap().to_string();
    assert_ne!(second, ctx.token);
    let url = format!("{}/v1/sessions/{session}", ctx.picker());
    assert_eq!(ctx.call(Method::GET, &url, Some(&ctx.token), None).await.status, 200, "issuing a token does not revoke older ones");
    assert_eq!(ctx.call(Method::GET, &url, Some(&second), None).await.status, 200);

    assert_eq!(ctx.emulator.expire_tokens(&ctx.user).unwrap(), 2);
    assert_eq!(reason(&ctx.call(Method::GET, &url, Some(&second), None).await), "ACCESS_TOKEN_EXPIRED");
    let fresh = ctx.emulator.issue_token(&ctx.user).unwrap();
    assert_eq!(ctx.call(Method::GET, &url, Some(&fresh), None).await.ok()["id"], session.as_str(), "the session belongs to the user, not the token");
    assert_eq!(reason(&ctx.call(Method::GET, &url, Some(&ctx.token), None).await), "ACCESS_TOKEN_EXPIRED");
    assert_eq!(ctx.emulator.user_of_token(&ctx.token).as_deref(), Some(ctx.user.as_str()));
    assert_eq!(ctx.emulator.user_of_token("nope"), None);
    assert_eq!(ctx.emulator.expire_tokens("nobody").unwrap_err().status, 404);
    assert_eq!(ctx.control(Method::POST, "/users/nobody/tokens", None).await.status, 404);
}

#[tokio::test]
async fn expired_tokens_no_longer_fetch_media_bytes() {
    let ctx = start().await;
    let session = ctx.picked_session(1).await;
    let page = ctx.list(&format!("sessionId={session}")).await.ok();
    let url = format!("{}=w32-h32", page["mediaItems"][0]["mediaFile"]["baseUrl"].as_str().unwrap());
    assert_eq!(ctx.http.get(&url).bearer_auth(&ctx.token).send().await.unwrap().status(), 200);
    ctx.emulator.expire_tokens(&ctx.user).unwrap();
    assert_eq!(ctx.http.get(&url).bearer_auth(&ctx.token).send().await.unwrap().status(), 403);
    let fresh = ctx.emulator.issue_token(&ctx.user).unwrap();
    assert_eq!(ctx.http.get(&url).bearer_auth(&fresh).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn error_bodies_are_never_empty() {
    let ctx = start().await;
    for (method, path) in [(Method::HEAD, "/v1/nowhere"), (Method::TRACE, "/v1/sessions"), (Method::CONNECT, "/v1/sessions")] {
        let answer = ctx.http.request(method.clone(), format!("{}{path}", ctx.picker())).send().await.unwrap();
        assert_eq!(answer.status(), 404, "{method} {path}");
        if method != Method::HEAD {
            let body: Value = answer.json().await.expect("a JSON envelope");
            assert_eq!(body["error"]["code"], 404);
        }
    }
}
