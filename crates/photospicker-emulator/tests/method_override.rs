//! `X-HTTP-Method-Override`: a POST carrying the query in a form body is served
//! as the GET it stands for, as google-api-python-client relies on for long URIs.

mod common;

use common::{start_with, Ctx};
use photospicker_emulator::{Config, NewUser};
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

const FORM: &str = "application/x-www-form-urlencoded";

async fn big_library() -> Ctx {
    start_with(Config { library_size: 150, ..Config::default() }, NewUser::default()).await
}

fn batch_form(ids: &[String]) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for id in ids {
        form.append_pair("mediaItemIds", id);
    }
    form.finish()
}

async fn app_created_ids(ctx: &Ctx, n: usize) -> Vec<String> {
    let ids: Vec<String> = ctx
        .items()
        .await
        .iter()
        .filter(|item| item["appCreated"] == true)
        .map(|item| item["id"].as_str().unwrap().to_string())
        .take(n)
        .collect();
    assert_eq!(ids.len(), n, "the library has {n} app-created items");
    ids
}

async fn override_post(ctx: &Ctx, url: &str, method: &str, content_type: &str, body: String) -> (u16, Value) {
    let response = ctx
        .http
        .post(url)
        .bearer_auth(&ctx.token)
        .header("X-HTTP-Method-Override", method)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn a_batch_get_of_fifty_ids_as_post_with_override_equals_the_get() {
    let ctx = big_library().await;
    let ids = app_created_ids(&ctx, 50).await;
    let url = format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url());
    let (status, overridden) = override_post(&ctx, &url, "GET", FORM, batch_form(&ids)).await;
    assert_eq!(status, 200, "{overridden}");
    let results = overridden["mediaItemResults"].as_array().unwrap();
    let got: Vec<&str> = results.iter().map(|r| r["mediaItem"]["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>(), "every id, in request order");
    let logged = ctx.requests("mediaItems.batchGet").await;
    assert_eq!(logged.last().unwrap()["method"], "GET", "the log shows the method that was served");
}

#[tokio::test]
async fn url_query_and_form_body_are_merged() {
    let ctx = big_library().await;
    let ids = app_created_ids(&ctx, 3).await;
    let url = format!("{}/v1/mediaItems:batchGet?{}", ctx.emulator.library_url(), batch_form(&ids[..1]));
    let (status, body) = override_post(&ctx, &url, "get", &format!("{FORM}; charset=utf-8"), batch_form(&ids[1..])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["mediaItemResults"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn override_to_delete_deletes_and_unknown_overrides_are_refused() {
    let ctx = big_library().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let url = format!("{}/v1/sessions/{id}", ctx.picker());
    let (status, body) = override_post(&ctx, &url, "DELETE", FORM, String::new()).await;
    assert_eq!((status, body), (200, serde_json::json!({})));
    ctx.get(&id).await.expect_error(404, "NOT_FOUND");
    let (status, body) = override_post(&ctx, &url, "TRACE", FORM, String::new()).await;
    assert_eq!((status, body["error"]["status"].as_str()), (400, Some("INVALID_ARGUMENT")));
}

#[tokio::test]
async fn the_header_on_a_get_or_outside_the_api_changes_nothing() {
    let ctx = big_library().await;
    let id = ctx.create().await["id"].as_str().unwrap().to_string();
    let url = format!("{}/v1/sessions/{id}", ctx.picker());
    let response = ctx.http.get(&url).bearer_auth(&ctx.token).header("X-HTTP-Method-Override", "DELETE").send().await.unwrap();
    assert_eq!(response.status(), 200);
    ctx.get(&id).await.ok();
    let control = ctx.http.post(format!("{}/emulator/v1/reset", ctx.picker())).header("X-HTTP-Method-Override", "GET").send().await.unwrap();
    assert_eq!(control.status(), 204, "the control API ignores the header");
}

#[tokio::test]
async fn a_json_body_or_an_oversized_form_is_refused_with_an_envelope() {
    let ctx = big_library().await;
    let url = format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url());
    let (status, body) = override_post(&ctx, &url, "GET", "application/json", "{\"mediaItemIds\":[\"a\"]}".into()).await;
    assert_eq!((status, body["error"]["status"].as_str()), (400, Some("INVALID_ARGUMENT")), "{body}");
    let huge = format!("mediaItemIds={}", "a".repeat(photospicker_emulator::MAX_FORM_BODY));
    let (status, body) = override_post(&ctx, &url, "GET", FORM, huge).await;
    assert_eq!(status, 413, "{body}");
    let unread = ctx.http.post(&url).header("X-HTTP-Method-Override", "GET").header(CONTENT_TYPE, FORM).body(vec![b'a'; 200_000]).send().await.unwrap();
    assert_eq!(unread.headers().get("connection").map(|v| v.to_str().unwrap()), Some("close"), "an unread body ends the connection openly");
    assert_eq!(body["error"]["code"], 413);
}

#[tokio::test]
async fn a_raw_utf8_or_sloppy_form_body_is_read_like_its_encoded_form() {
    let ctx = big_library().await;
    let url = format!("{}/v1/mediaItems:batchGet", ctx.emulator.library_url());
    let (status, body) = override_post(&ctx, &url, "GET", FORM, "mediaItemIds=é+x&mediaItemIds=%zz\n".into()).await;
    assert_eq!(status, 200, "{body}");
    let results = body["mediaItemResults"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{body}");
    assert!(results.iter().all(|r| r["status"]["code"] == 3), "unknown ids, each reported on its own: {body}");
}
