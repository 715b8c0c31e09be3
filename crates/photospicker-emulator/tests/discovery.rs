//! The discovery documents: served at Google's two addresses for them, generated
//! from the specs, pointing back at the emulator as the client reached it.

mod common;

use common::start;
use serde_json::Value;

async fn fetch(http: &reqwest::Client, url: &str) -> (u16, Value) {
    let response = http.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn each_port_serves_its_own_document_with_its_own_root_url() {
    let ctx = start().await;
    let (status, picker) = fetch(&ctx.http, &format!("{}/$discovery/rest?version=v1", ctx.picker())).await;
    assert_eq!(status, 200);
    assert_eq!(picker["id"], "photospicker:v1");
    assert_eq!(picker["kind"], "discovery#restDescription");
    assert_eq!(picker["rootUrl"], format!("{}/", ctx.picker()));
    assert_eq!(picker["servicePath"], "");
    assert_eq!(picker["resources"]["sessions"]["methods"]["create"]["id"], "photospicker.sessions.create");
    let library_url = ctx.emulator.library_url();
    let (status, library) = fetch(&ctx.http, &format!("{library_url}/$discovery/rest?version=v1")).await;
    assert_eq!(status, 200);
    assert_eq!(library["id"], "photoslibrary:v1");
    assert_eq!(library["rootUrl"], format!("{library_url}/"));
    assert_eq!(library["resources"]["mediaItems"]["methods"]["batchGet"]["id"], "photoslibrary.mediaItems.batchGet");
}

#[tokio::test]
async fn the_discovery_service_path_serves_both_apis_each_rooted_at_its_port() {
    let ctx = start().await;
    let (_, picker) = fetch(&ctx.http, &format!("{}/discovery/v1/apis/photospicker/v1/rest", ctx.picker())).await;
    assert_eq!(picker["id"], "photospicker:v1");
    let (status, library) = fetch(&ctx.http, &format!("{}/discovery/v1/apis/photoslibrary/v1/rest", ctx.picker())).await;
    assert_eq!(status, 200);
    assert_eq!(library["rootUrl"], format!("{}/", ctx.emulator.library_url()), "asked on the Picker port, it still points at the Library port");
}

#[tokio::test]
async fn the_served_document_is_the_reviewed_one_generated_from_the_spec() {
    // codegen's snapshot test ties this file to the spec; build.rs generates the served one.
    let snapshot = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../codegen/snapshots/photospicker.v1.yaml.discovery.json")).unwrap();
    let mut expected: Value = serde_json::from_str(&snapshot).unwrap();
    let ctx = start().await;
    let (_, mut served) = fetch(&ctx.http, &format!("{}/$discovery/rest", ctx.picker())).await;
    for field in ["rootUrl", "baseUrl", "mtlsRootUrl"] {
        served[field] = Value::Null;
        expected[field] = Value::Null;
    }
    assert_eq!(served, expected);
}

#[tokio::test]
async fn the_host_the_client_used_becomes_the_root_url() {
    let ctx = start().await;
    let port = ctx.picker().rsplit(':').next().unwrap().to_string();
    let url = format!("http://localhost:{port}/$discovery/rest?version=v1");
    let (_, doc) = fetch(&ctx.http, &url).await;
    assert_eq!(doc["rootUrl"], format!("http://localhost:{port}/"));
    let hostile = ctx.http.get(format!("{}/$discovery/rest", ctx.picker())).header("Host", "evil\"><script>").send().await.unwrap();
    assert_eq!(hostile.status(), 200);
    let doc: Value = hostile.json().await.unwrap();
    assert_eq!(doc["rootUrl"], format!("{}/", ctx.picker()), "a malformed Host falls back to the emulator's own URL");
}

#[tokio::test]
async fn unknown_apis_and_versions_are_google_not_found_errors() {
    let ctx = start().await;
    for path in ["/$discovery/rest?version=v2", "/discovery/v1/apis/drive/v3/rest", "/discovery/v1/apis/photospicker/v2/rest"] {
        let (status, body) = fetch(&ctx.http, &format!("{}{path}", ctx.picker())).await;
        assert_eq!((status, body["error"]["status"].as_str()), (404, Some("NOT_FOUND")), "{path}: {body}");
    }
}
