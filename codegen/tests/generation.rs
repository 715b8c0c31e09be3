//! The generator's contract: the project's specs generate, a spec edit shows
//! up in the generated code, broken specs are refused with reasons, and the
//! public surface matches the reviewed snapshot.

use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_text(name: &str) -> String {
    std::fs::read_to_string(workspace().join("openapi").join(name)).expect("spec is readable")
}

const SPECS: &[&str] = &["photospicker.v1.yaml", "photoslibrary.v1.yaml"];

#[test]
fn project_specs_generate_and_match_the_reviewed_surface() {
    for spec in SPECS {
        let code = photospicker_codegen::generate(&spec_text(spec)).unwrap();
        let surface = photospicker_codegen::api_surface(&code).unwrap();
        let snapshot = workspace().join("codegen/snapshots").join(format!("{spec}.surface.txt"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&snapshot, &surface).unwrap();
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        assert!(
            expected == surface,
            "the generated API of {spec} changed; review the diff and rerun with UPDATE_SNAPSHOTS=1:\n{}",
            diff(&expected, &surface)
        );
    }
}

fn diff(old: &str, new: &str) -> String {
    let removed = old.lines().filter(|l| !new.lines().any(|n| n == *l)).map(|l| format!("- {l}"));
    let added = new.lines().filter(|l| !old.lines().any(|o| o == *l)).map(|l| format!("+ {l}"));
    removed.chain(added).collect::<Vec<_>>().join("\n")
}

#[test]
fn an_added_field_is_regenerated() {
    let original = spec_text("photospicker.v1.yaml");
    let edited = original.replacen(
        "    PickingConfig:\n      type: object\n      description: Settings chosen by the app when it creates the session.\n      properties:\n",
        "    PickingConfig:\n      type: object\n      description: Settings chosen by the app when it creates the session.\n      properties:\n        allowVideos:\n          type: boolean\n          description: A field that only this test adds.\n",
        1,
    );
    assert_ne!(original, edited, "the test's anchor must still match the spec");
    let before = photospicker_codegen::generate(&original).unwrap();
    let after = photospicker_codegen::generate(&edited).unwrap();
    assert!(!before.contains("allow_videos"));
    assert!(after.contains("pub allow_videos: ::std::option::Option<bool>"), "{after}");
    let surface = photospicker_codegen::api_surface(&after).unwrap();
    assert!(surface.contains("type PickingConfig.allow_videos: Option<bool>"), "{surface}");
}

#[test]
fn an_added_operation_is_regenerated() {
    let edited = spec_text("photospicker.v1.yaml").replacen(
        "    delete:\n      tags: [sessions]\n",
        "    patch:\n      tags: [sessions]\n      operationId: sessions_touch\n      description: Only this test adds it.\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/PickingSession'\n        '4XX':\n          $ref: '#/components/responses/GoogleError'\n        '5XX':\n          $ref: '#/components/responses/GoogleError'\n    delete:\n      tags: [sessions]\n",
        1,
    );
    let code = photospicker_codegen::generate(&edited).unwrap();
    assert!(code.contains("pub fn sessions_touch(&self)"));
}

#[test]
fn a_default_response_is_refused_with_a_reason() {
    let broken = spec_text("photospicker.v1.yaml").replacen("        '5XX':\n", "        default:\n", 1);
    let error = photospicker_codegen::generate(&broken).unwrap_err().to_string();
    assert!(error.contains("use 4XX/5XX instead of default"), "{error}");
    assert!(error.contains("missing the shared 5XX error response"), "{error}");
}

#[test]
fn other_openapi_versions_and_missing_descriptions_are_refused() {
    let v31 = spec_text("photospicker.v1.yaml").replacen("openapi: 3.0.3", "openapi: 3.1.0", 1);
    assert!(photospicker_codegen::generate(&v31).unwrap_err().to_string().contains("must be 3.0.x"));
    let undocumented = spec_text("photospicker.v1.yaml")
        .replacen("          description: Output only. Google-generated identifier of the session.\n", "", 1);
    let error = photospicker_codegen::generate(&undocumented).unwrap_err().to_string();
    assert!(error.contains("schema PickingSession.id has no description"), "{error}");
}

#[test]
fn garbage_is_a_parse_error_not_a_panic() {
    let error = photospicker_codegen::generate("openapi: [").unwrap_err();
    assert!(matches!(error, photospicker_codegen::CodegenError::Parse(_)));
}
