//! The simulated user of demos: with auto-pick on, every new session is
//! picked in by itself (3 photos and a ready video) after the delay.

use photospicker_emulator::{AutoPick, Config, Emulator, NewUser};
use serde_json::Value;
use std::time::Duration;

async fn create(http: &reqwest::Client, base: &str, token: &str) -> String {
    let session: Value = http.post(format!("{base}/v1/sessions")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    session["id"].as_str().unwrap().to_string()
}

async fn get(http: &reqwest::Client, base: &str, token: &str, id: &str) -> Value {
    http.get(format!("{base}/v1/sessions/{id}")).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_simulated_user_picks_photos_and_a_ready_video_in_every_new_session_after_the_delay() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let token = emulator.add_user(NewUser { library_size: Some(30), video_ratio: Some(0.3), ..Default::default() }).unwrap().token;
    let (http, base) = (reqwest::Client::new(), emulator.picker_url().to_string());
    emulator.set_auto_pick(Some(AutoPick { after: Duration::from_millis(300), ..AutoPick::default() }));
    let id = create(&http, &base, &token).await;
    assert_eq!(get(&http, &base, &token, &id).await["mediaItemsSet"], Value::Null, "not before the delay");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while get(&http, &base, &token, &id).await["mediaItemsSet"] != true {
        assert!(tokio::time::Instant::now() < deadline, "the simulated user never picked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page: Value = http.get(format!("{base}/v1/mediaItems?sessionId={id}")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<&str> = page["mediaItems"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["PHOTO", "PHOTO", "PHOTO", "VIDEO"]);
    assert_eq!(page["mediaItems"][3]["mediaFile"]["mediaFileMetadata"]["videoMetadata"]["processingStatus"], "READY");

    emulator.set_auto_pick(None);
    let untouched = create(&http, &base, &token).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(get(&http, &base, &token, &untouched).await["mediaItemsSet"], Value::Null, "switched off: nobody picks");
}

#[test]
fn the_binary_switches_the_simulated_user_on_with_auto_pick_after() {
    let binary = env!("CARGO_BIN_EXE_photospicker-emulator");
    let mut child = std::process::Command::new(binary).args(["--port", "0", "--auto-pick-after", "0"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let picker = lines.next().unwrap().unwrap().strip_prefix("picker_url=").unwrap().to_string();
    let picked = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let http = reqwest::Client::new();
        let id = create(&http, &picker, "emulator-token").await;
        get(&http, &picker, "emulator-token", &id).await["mediaItemsSet"].clone()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(picked, true);
    let refused = std::process::Command::new(binary).args(["--auto-pick-after", "soon"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
}
