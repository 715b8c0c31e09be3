//! The standard system parameters and the front end's strictness, over real HTTP.

mod common;

use common::start;
use reqwest::Method;
use serde_json::{json, Value};

async fn raw(ctx: &common::Ctx, method: Method, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, String, String) {
    let mut request = ctx.http.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.header("Content-Type", "application/json").body(body.to_string());
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let content_type = answer.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, content_type, answer.text().await.unwrap())
}

#[tokio::test]
async fn unknown_query_parameters_are_refused_like_googles_front_end() {
    let ctx = start().await;
    let session = ctx.picked_session(2).await;
    let cases = [
        format!("{}/v1/sessions/{session}?foo=1", ctx.picker()),
        format!("{}/v1/mediaItems?sessionId={session}&foo=bar", ctx.picker()),
        format!("{}/v1/mediaItems:batchGet?mediaItemIds=a&foo=", ctx.emulator.library_url()),
    ];
    for url in cases {
        let reply = ctx.call(Method::GET, &url, Some(&ctx.token), None).await;
        reply.expect_error(400, "INVALID_ARGUMENT");
        assert_eq!(
            reply.body["error"]["message"],
            "Invalid JSON payload received. Unknown name \"foo\": Cannot bind query parameter. Field 'foo' could not be found in request message.",
        );
        assert_eq!(reply.body["error"]["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
    }
    let create = ctx.call(Method::POST, &format!("{}/v1/sessions?sessionId=x", ctx.picker()), Some(&ctx.token), None).await;
    create.expect_error(400, "INVALID_ARGUMENT");
}

#[tokio::test]
async fn unknown_body_fields_are_refused_and_proto_names_bind() {
    let ctx = start().await;
    let url = format!("{}/v1/sessions", ctx.picker());
    let top = ctx.call(Method::POST, &url, Some(&ctx.token), Some(json!({"foo": 1}))).await;
    top.expect_error(400, "INVALID_ARGUMENT");
    assert_eq!(top.body["error"]["message"], "Invalid JSON payload received. Unknown name \"foo\": Cannot find field.");
    let nested = ctx.call(Method::POST, &url, Some(&ctx.token), Some(json!({"pickingConfig": {"maxItemCount": "2", "bar": true}}))).await;
    nested.expect_error(400, "INVALID_ARGUMENT");
    assert_eq!(nested.body["error"]["message"], "Invalid JSON payload received. Unknown name \"bar\" at 'picking_config': Cannot find field.");
    let snake = ctx.call(Method::POST, &url, Some(&ctx.token), Some(json!({"picking_config": {"max_item_count": "7"}}))).await.ok();
    assert_eq!(snake["pickingConfig"]["maxItemCount"], "7");
    let output_only = ctx.call(Method::POST, &url, Some(&ctx.token), Some(json!({"id": "mine", "mediaItemsSet": true}))).await.ok();
    assert_ne!(output_only["id"], "mine", "output-only fields are accepted and ignored");
    let listed = ctx.list(&format!("session_id={}&page_size=1", ctx.picked_session(3).await)).await.ok();
    assert_eq!(listed["mediaItems"].as_array().unwrap().len(), 1, "proto names bind in the query too");
}

#[tokio::test]
async fn answers_are_pretty_printed_unless_pretty_print_is_false() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let url = format!("{}/v1/sessions/{id}", ctx.picker());
    let (status, content_type, pretty) = raw(&ctx, Method::GET, &url, Some(&ctx.token), None).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json; charset=UTF-8"));
    assert!(pretty.starts_with("{\n  \"expireTime\": \""), "{pretty}");
    let value: Value = serde_json::from_str(&pretty).unwrap();
    assert_eq!(pretty, format!("{}\n", serde_json::to_string_pretty(&value).unwrap()));
    let (_, _, compact) = raw(&ctx, Method::GET, &format!("{url}?prettyPrint=false"), Some(&ctx.token), None).await;
    assert_eq!(compact, serde_json::to_string(&serde_json::from_str::<Value>(&compact).unwrap()).unwrap());
    assert!(!compact.contains('\n'));
    let (_, _, error) = raw(&ctx, Method::GET, &format!("{url}x?prettyPrint=false"), Some(&ctx.token), None).await;
    assert!(error.starts_with("{\"error\":{"), "errors follow prettyPrint too: {error}");
    let bad = ctx.call(Method::GET, &format!("{url}?prettyPrint=maybe"), Some(&ctx.token), None).await;
    bad.expect_error(400, "INVALID_ARGUMENT");
}

#[tokio::test]
async fn fields_selects_a_partial_response() {
    let ctx = start().await;
    let created = ctx.call(Method::POST, &format!("{}/v1/sessions?fields=id,pickerUri", ctx.picker()), Some(&ctx.token), None).await.ok();
    let keys: Vec<&String> = created.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "pickerUri"]);
    let session = ctx.picked_session(3).await;
    let query = format!("sessionId={session}&pageSize=2&fields=mediaItems(id,mediaFile/baseUrl),nextPageToken");
    let page = ctx.list(&query).await.ok();
    assert!(page["nextPageToken"].is_string());
    for item in page["mediaItems"].as_array().unwrap() {
        assert_eq!(item.as_object().unwrap().len(), 2, "{item}");
        assert_eq!(item["mediaFile"].as_object().unwrap().keys().collect::<Vec<_>>(), ["baseUrl"]);
    }
    let errors_untouched = ctx.list("sessionId=nope&fields=nextPageToken").await;
    errors_untouched.expect_error(404, "NOT_FOUND");
    ctx.list(&format!("sessionId={session}&fields=mediaItems(id")).await.expect_error(400, "INVALID_ARGUMENT");
}

#[tokio::test]
async fn alt_xgafv_key_and_quota_user_are_standard_parameters() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let url = format!("{}/v1/sessions/{id}", ctx.picker());
    for query in ["alt=json", "$.xgafv=2", "%24.xgafv=1", "key=AIzaSyFake", "quotaUser=alice", "upload_protocol=raw&uploadType=media"] {
        assert_eq!(ctx.call(Method::GET, &format!("{url}?{query}"), Some(&ctx.token), None).await.ok()["id"], id.as_str(), "{query}");
    }
    for query in ["alt=media", "alt=proto", "$.xgafv=3", "callback=alert(1)"] {
        ctx.call(Method::GET, &format!("{url}?{query}"), Some(&ctx.token), None).await.expect_error(400, "INVALID_ARGUMENT");
    }
    let legacy = ctx.call(Method::GET, &format!("{url}nope?$.xgafv=1"), Some(&ctx.token), None).await;
    legacy.expect_error(404, "NOT_FOUND");
    assert_eq!(legacy.body["error"]["errors"][0]["reason"], "notFound");
    assert_eq!(legacy.body["error"]["errors"][0]["domain"], "global");
    let modern = ctx.call(Method::GET, &format!("{url}nope"), Some(&ctx.token), None).await;
    assert!(modern.body["error"].get("errors").is_none());
}

#[tokio::test]
async fn access_token_and_oauth_token_authenticate_like_a_bearer_header() {
    let ctx = start().await;
    for name in ["access_token", "oauth_token"] {
        let created = ctx.call(Method::POST, &format!("{}/v1/sessions?{name}={}", ctx.picker(), ctx.token), None, None).await.ok();
        assert!(created["id"].is_string());
        let bad = ctx.call(Method::POST, &format!("{}/v1/sessions?{name}=ya29.wrong", ctx.picker()), None, None).await;
        bad.expect_error(401, "UNAUTHENTICATED");
        assert_eq!(bad.body["error"]["details"][0]["reason"], "ACCESS_TOKEN_TYPE_UNSUPPORTED");
    }
    let logged = ctx.requests("sessions.create").await;
    assert!(logged.iter().all(|r| !r["path"].as_str().unwrap().contains("ya29")), "tokens never reach the log");
}

#[tokio::test]
async fn callback_wraps_the_answer_as_jsonp() {
    let ctx = start().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let (status, content_type, script) =
        raw(&ctx, Method::GET, &format!("{}/v1/sessions/{id}?callback=handle.session&prettyPrint=false", ctx.picker()), Some(&ctx.token), None).await;
    assert_eq!((status, content_type.as_str()), (200, "text/javascript; charset=UTF-8"));
    let json = script.strip_prefix("// API callback\nhandle.session(").and_then(|s| s.strip_suffix(");")).expect(&script);
    assert_eq!(serde_json::from_str::<Value>(json).unwrap()["id"], id.as_str());
}
