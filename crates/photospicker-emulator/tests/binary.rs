//! The `photospicker-emulator` program as a person or a driver runs it: help and
//! version on stdout, its URLs and `ready`, any token by default (one
//! `host:port` for both APIs), `--strict-tokens` for Google's 401s.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_photospicker-emulator");

/// A running binary and the `key=value` lines it printed before `ready`.
struct Running {
    child: Child,
    printed: HashMap<String, String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str]) -> Running {
    let mut child = Command::new(BINARY).args(["--port", "0"]).args(args).stdout(Stdio::piped()).spawn().unwrap();
    let mut printed = HashMap::new();
    // The lines come at once after binding; a dead child ends the iterator.
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if line == "ready" {
            return Running { child, printed };
        }
        if let Some((key, value)) = line.split_once('=').filter(|_| !line.starts_with('#')) {
            printed.insert(key.to_string(), value.to_string());
        }
    }
    let status = child.wait().unwrap();
    panic!("the emulator ended ({status}) before printing ready");
}

async fn create_session(http: &reqwest::Client, picker: &str, token: &str) -> (u16, Value) {
    let response = http.post(format!("{picker}/v1/sessions")).bearer_auth(token).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

#[test]
fn help_and_version_go_to_stdout_and_succeed() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(text.contains("Usage: photospicker-emulator") && text.contains("--strict-tokens") && text.contains("PHOTOSPICKER_EMULATOR_HOST"), "{text}");
    assert!(help.stderr.is_empty());
    let version = Command::new(BINARY).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(String::from_utf8(version.stdout).unwrap().trim(), format!("photospicker-emulator {}", env!("CARGO_PKG_VERSION")));
    let bad = Command::new(BINARY).args(["--video-ratio", "2"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("--video-ratio takes a number from 0 to 1"));
}

#[tokio::test]
async fn by_default_any_token_is_the_default_users_and_one_host_port_serves_both_apis() {
    let running = run(&[]);
    let picker = &running.printed["picker_url"];
    assert_eq!(running.printed["token"], "emulator-token");
    assert_eq!(format!("http://{}", running.printed["emulator_host"]), *picker);
    assert_eq!(running.printed["control_url"], format!("{picker}/emulator/v1"));
    let http = reqwest::Client::new();
    let (status, session) = create_session(&http, picker, "ya29.whatever-an-app-has").await;
    assert_eq!(status, 200, "{session}");
    // Sessions made with any token belong to the default user.
    let (status, _) = create_session(&http, picker, "emulator-token").await;
    assert_eq!(status, 200);
    let sessions: Value = http.get(format!("{picker}/emulator/v1/sessions")).send().await.unwrap().json().await.unwrap();
    assert!(sessions["sessions"].as_array().unwrap().iter().all(|s| s["userId"] == "default"), "{sessions}");
    // The Library API under /library on the Picker port, and still on its own port.
    for library in [format!("{picker}/library"), running.printed["library_url"].clone()] {
        let answer = http.get(format!("{library}/v1/mediaItems:batchGet?mediaItemIds=nope")).bearer_auth("any").send().await.unwrap();
        assert_eq!(answer.status(), 200, "{library}");
    }
    // A Library call on the Picker's own paths is still Google's 404.
    let wrong_host = http.get(format!("{picker}/v1/mediaItems:batchGet?mediaItemIds=nope")).bearer_auth("any").send().await.unwrap();
    assert_eq!(wrong_host.status(), 404);
    // No token at all is still Google's 401.
    assert_eq!(http.post(format!("{picker}/v1/sessions")).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn strict_tokens_refuse_unknown_ones_and_an_expired_token_stays_refused_either_way() {
    let strict = run(&["--strict-tokens"]);
    let picker = &strict.printed["picker_url"];
    let http = reqwest::Client::new();
    assert_eq!(create_session(&http, picker, "ya29.unknown").await.0, 401);
    assert_eq!(create_session(&http, picker, "emulator-token").await.0, 200);

    let lenient = run(&[]);
    let picker = &lenient.printed["picker_url"];
    let user: Value = http.post(format!("{picker}/emulator/v1/users")).json(&json!({"name": "bob"})).send().await.unwrap().json().await.unwrap();
    let token = user["token"].as_str().unwrap();
    let found: Value = http.post(format!("{picker}/emulator/v1/tokens/lookup")).json(&json!({"token": token})).send().await.unwrap().json().await.unwrap();
    assert_eq!(found, json!({"userId": "bob", "expired": false}));
    http.post(format!("{picker}/emulator/v1/users/bob/expireToken")).send().await.unwrap();
    assert_eq!(create_session(&http, picker, token).await.0, 401, "an issued token keeps its state");
    let found: Value = http.post(format!("{picker}/emulator/v1/tokens/lookup")).json(&json!({"token": token})).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["expired"], true);
}

#[test]
fn without_a_default_user_no_token_is_printed_and_unknown_tokens_are_refused() {
    let running = run(&["--no-default-user"]);
    assert!(!running.printed.contains_key("token"));
    let picker = running.printed["picker_url"].clone();
    let status = tokio::runtime::Runtime::new().unwrap().block_on(async { create_session(&reqwest::Client::new(), &picker, "emulator-token").await.0 });
    assert_eq!(status, 401);
}

#[test]
fn it_stops_when_its_standard_input_closes_if_asked() {
    let mut child = Command::new(BINARY)
        .args(["--port", "0", "--stop-when-stdin-closes"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.map(Result::unwrap).any(|line| line == "ready"));
    drop(child.stdin.take());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "still running 30 s after stdin closed");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success());
}

#[tokio::test]
async fn a_reader_that_stops_reading_its_output_does_not_stop_the_emulator() {
    let mut child = Command::new(BINARY).args(["--port", "0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    drop(stdout); // the pipe breaks under the lines still to come
    let picker = first.trim().strip_prefix("picker_url=").unwrap().to_string();
    let http = reqwest::Client::new();
    let mut served = false;
    for _ in 0..50 {
        if let Ok(response) = http.get(format!("{picker}/emulator/v1")).send().await {
            served = response.status().is_success();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(served && still_running, "served={served} still_running={still_running}");
}
