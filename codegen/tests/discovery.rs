//! The discovery documents generated from the project's specs: reviewed
//! snapshots, Google's naming conventions, and refusal of specs that break them.

use serde_json::Value;
use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_text(name: &str) -> String {
    std::fs::read_to_string(workspace().join("openapi").join(name)).expect("spec is readable")
}

fn document(spec: &str) -> Value {
    serde_json::from_str(&photospicker_codegen::discovery(&spec_text(spec)).unwrap()).unwrap()
}

#[test]
fn project_specs_give_the_reviewed_discovery_documents() {
    for spec in ["photospicker.v1.yaml", "photoslibrary.v1.yaml"] {
        let generated = photospicker_codegen::discovery(&spec_text(spec)).unwrap();
        let snapshot = workspace().join("codegen/snapshots").join(format!("{spec}.discovery.json"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&snapshot, &generated).unwrap();
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        assert!(
            expected == generated,
            "the discovery document of {spec} changed; review `git diff` after rerunning with UPDATE_SNAPSHOTS=1"
        );
    }
}

#[test]
fn the_picker_document_names_methods_as_google_does() {
    let doc = document("photospicker.v1.yaml");
    assert_eq!(doc["kind"], "discovery#restDescription");
    assert_eq!(doc["discoveryVersion"], "v1");
    assert_eq!(doc["id"], "photospicker:v1");
    assert_eq!(doc["rootUrl"], "https://photospicker.googleapis.com/");
    let create = &doc["resources"]["sessions"]["methods"]["create"];
    assert_eq!(create["id"], "photospicker.sessions.create");
    assert_eq!(create["httpMethod"], "POST");
    assert_eq!(create["path"], "v1/sessions");
    assert_eq!(create["request"]["$ref"], "PickingSession");
    assert_eq!(create["response"]["$ref"], "PickingSession");
    assert_eq!(create["scopes"][0], "https://www.googleapis.com/auth/photospicker.mediaitems.readonly");
    assert!(create["parameters"]["requestId"]["pattern"].is_null(), "clients enforce patterns; Google's document has none");
    let get = &doc["resources"]["sessions"]["methods"]["get"];
    assert_eq!(get["path"], "v1/sessions/{sessionId}");
    assert_eq!(get["parameterOrder"], serde_json::json!(["sessionId"]));
    assert_eq!(get["parameters"]["sessionId"]["location"], "path");
    let list = &doc["resources"]["mediaItems"]["methods"]["list"];
    assert_eq!(list["id"], "photospicker.mediaItems.list");
    assert_eq!(list["parameters"]["pageSize"]["type"], "integer");
    assert_eq!(list["parameters"]["pageSize"]["format"], "int32");
    assert_eq!(doc["schemas"]["PickingSession"]["properties"]["expireTime"]["format"], "google-datetime");
    assert_eq!(doc["schemas"]["PickingSession"]["properties"]["pollingConfig"]["$ref"], "PollingConfig");
    assert_eq!(doc["schemas"]["PollingConfig"]["properties"]["pollInterval"]["format"], "google-duration");
    assert!(doc["parameters"]["fields"].is_object() && doc["parameters"]["$.xgafv"].is_object());
    assert!(doc["auth"]["oauth2"]["scopes"]["https://www.googleapis.com/auth/photospicker.mediaitems.readonly"].is_object());
}

#[test]
fn the_library_document_has_batch_get_with_repeated_ids() {
    let doc = document("photoslibrary.v1.yaml");
    assert_eq!(doc["id"], "photoslibrary:v1");
    let batch_get = &doc["resources"]["mediaItems"]["methods"]["batchGet"];
    assert_eq!(batch_get["id"], "photoslibrary.mediaItems.batchGet");
    assert_eq!(batch_get["path"], "v1/mediaItems:batchGet");
    assert_eq!(batch_get["httpMethod"], "GET");
    let ids = &batch_get["parameters"]["mediaItemIds"];
    assert_eq!((ids["type"].as_str(), ids["repeated"].as_bool(), ids["location"].as_str()), (Some("string"), Some(true), Some("query")));
    assert_eq!(batch_get["parameterOrder"], serde_json::json!(["mediaItemIds"]));
}

#[test]
fn an_operation_id_that_does_not_follow_its_tag_is_refused() {
    let broken = spec_text("photospicker.v1.yaml").replacen("operationId: sessions_get", "operationId: fetch_session", 1);
    let error = photospicker_codegen::discovery(&broken).unwrap_err().to_string();
    assert!(error.contains("operationId fetch_session must be sessions_METHOD"), "{error}");
}

#[test]
fn a_server_that_is_not_a_google_api_is_refused() {
    let broken = spec_text("photospicker.v1.yaml").replacen("https://photospicker.googleapis.com", "http://example.com", 1);
    let error = photospicker_codegen::discovery(&broken).unwrap_err().to_string();
    assert!(error.contains("https://NAME.googleapis.com"), "{error}");
}
