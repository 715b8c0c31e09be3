//! The control API: simulated picking, the clock, faults, the log, reset, the
//! picker page (at the HTTP level; the browser test is in tests/), and the binary.

mod common;

use common::start;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn session(ctx: &common::Ctx) -> String {
    ctx.create().await["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn pick_after_polls_answers_not_yet_exactly_that_many_times() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.pick(&id, json!({"count": 2, "afterPolls": 3})).await;
    let mut answers = Vec::new();
    for _ in 0..5 {
        // proto3 JSON leaves `false` out: absent means not yet.
        answers.push(ctx.get(&id).await.ok().get("mediaItemsSet").is_some_and(|set| set == true));
    }
    assert_eq!(answers, [false, false, false, true, true]);
    assert_eq!(ctx.requests("sessions.get").await.len(), 5);
}

#[tokio::test]
async fn pick_after_seconds_follows_the_virtual_clock() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.pick(&id, json!({"count": 1, "afterSeconds": 30})).await;
    assert!(ctx.get(&id).await.ok().get("mediaItemsSet").is_none(), "not picked yet, and false is left out");
    let now = ctx.control(Method::POST, "/clock/advance", Some(json!({"seconds": 31}))).await.ok();
    assert!(now["now"].is_string());
    assert_eq!(ctx.get(&id).await.ok()["mediaItemsSet"], true);
    ctx.control(Method::POST, "/clock/advance", Some(json!({"seconds": -1}))).await;
    assert_eq!(ctx.control(Method::POST, "/clock/advance", Some(json!({"seconds": -1}))).await.status, 400);
}

#[tokio::test]
async fn pick_respects_max_item_count_and_validates() {
    let ctx = start().await;
    let id = ctx.create_with_max(3).await["id"].as_str().unwrap().to_string();
    let items = ctx.items().await;
    let four: Vec<&Value> = items.iter().take(4).map(|i| &i["id"]).collect();
    assert_eq!(ctx.control(Method::POST, &format!("/sessions/{id}/pick"), Some(json!({"itemIds": four}))).await.status, 400);
    assert_eq!(ctx.control(Method::POST, &format!("/sessions/{id}/pick"), Some(json!({"itemIds": ["nope"]}))).await.status, 400);
    assert_eq!(ctx.control(Method::POST, &format!("/sessions/{id}/pick"), Some(json!({}))).await.status, 400);
    assert_eq!(ctx.control(Method::POST, "/sessions/unknown/pick", Some(json!({"count": 1}))).await.status, 404);
    ctx.pick(&id, json!({"count": 10})).await;
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    assert_eq!(page["mediaItems"].as_array().unwrap().len(), 3, "a count above maxItemCount is capped");
    assert_eq!(ctx.control(Method::POST, &format!("/sessions/{id}/pick"), Some(json!({"count": 1}))).await.status, 409);
}

#[tokio::test]
async fn configure_changes_the_poll_interval_mid_session() {
    let ctx = start().await;
    let id = session(&ctx).await;
    assert_eq!(ctx.get(&id).await.ok()["pollingConfig"]["pollInterval"], "5s");
    ctx.control(Method::POST, &format!("/sessions/{id}/configure"), Some(json!({"pollIntervalSeconds": 1.5}))).await.ok();
    assert_eq!(ctx.get(&id).await.ok()["pollingConfig"]["pollInterval"], "1.5s");
    ctx.control(Method::POST, &format!("/sessions/{id}/configure"), Some(json!({"timeoutSeconds": 0}))).await.ok();
    assert_eq!(ctx.get(&id).await.ok()["pollingConfig"]["timeoutIn"], "0s");
}

#[tokio::test]
async fn status_faults_with_retry_after_fire_the_given_number_of_times() {
    let ctx = start().await;
    let rule = json!({"route": "sessions.create", "kind": "status", "status": 429, "retryAfter": 2, "times": 2});
    ctx.control(Method::POST, "/faults", Some(rule)).await.ok();
    for _ in 0..2 {
        let reply = ctx.picker_call(Method::POST, "/v1/sessions", None).await;
        reply.expect_error(429, "RESOURCE_EXHAUSTED");
        assert_eq!(reply.headers["retry-after"], "2");
        assert_eq!(reply.body["error"]["details"][0]["retryDelay"], "2s");
    }
    ctx.create().await;
    let statuses: Vec<u64> = ctx.requests("sessions.create").await.iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [429, 429, 200]);
}

#[tokio::test]
async fn skip_lets_requests_through_before_the_fault() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.control(Method::POST, "/faults", Some(json!({"route": "sessions.get", "kind": "status", "status": 500, "skip": 2, "times": 1}))).await.ok();
    let statuses: Vec<u16> = futures_statuses(&ctx, &id, 4).await;
    assert_eq!(statuses, [200, 200, 500, 200]);
}

async fn futures_statuses(ctx: &common::Ctx, id: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(ctx.get(id).await.status.as_u16());
    }
    out
}

#[tokio::test]
async fn html_error_pages_and_probability() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.control(Method::POST, "/faults", Some(json!({"route": "*", "kind": "html", "status": 502, "probability": 1.0, "times": 1}))).await.ok();
    let reply = ctx.get(&id).await;
    assert_eq!(reply.status, 502);
    assert!(reply.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(reply.body.as_str().unwrap().contains("<html"));
    ctx.control(Method::POST, "/faults", Some(json!({"kind": "status", "probability": 0.0}))).await.ok();
    assert_eq!(futures_statuses(&ctx, &id, 5).await, [200; 5]);
    ctx.control(Method::DELETE, "/faults", None).await;
    assert_eq!(ctx.control(Method::GET, "/faults", None).await.ok()["faults"], json!([]));
}

#[tokio::test]
async fn latency_delays_the_real_response() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.control(Method::POST, "/faults", Some(json!({"route": "sessions.get", "kind": "latency", "latencyMs": 300, "times": 1}))).await.ok();
    let started = Instant::now();
    ctx.get(&id).await.ok();
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn reset_cuts_the_body_and_truncate_sends_half() {
    let ctx = start().await;
    let id = ctx.picked_session(5).await;
    let url = format!("{}/v1/mediaItems?sessionId={id}", ctx.picker());
    ctx.control(Method::POST, "/faults", Some(json!({"route": "mediaItems.list", "kind": "reset", "afterBytes": 40, "times": 1}))).await.ok();
    let response = ctx.http.get(&url).bearer_auth(&ctx.token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the body is cut mid-way");
    ctx.control(Method::POST, "/faults", Some(json!({"route": "mediaItems.list", "kind": "truncate", "times": 1}))).await.ok();
    let text = ctx.http.get(&url).bearer_auth(&ctx.token).send().await.unwrap().text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "half a JSON document: {text}");
    ctx.list(&format!("sessionId={id}")).await.ok();
}

#[tokio::test]
async fn bad_fault_rules_are_refused() {
    let ctx = start().await;
    for rule in [json!({"route": "nope", "kind": "status"}), json!({"kind": "status", "status": 200}), json!({"kind": "boom"}), json!({"kind": "status", "probability": 2})] {
        assert_eq!(ctx.control(Method::POST, "/faults", Some(rule.clone())).await.status.as_u16() / 100, 4, "{rule}");
    }
}

#[tokio::test]
async fn reset_forgets_everything_and_the_log_can_be_cleared() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.get(&id).await.ok();
    assert_eq!(ctx.requests("*").await.len(), 0, "route filter * is not a wildcard in the log");
    let all = ctx.control(Method::GET, "/requests", None).await.ok();
    assert_eq!(all["requests"].as_array().unwrap().len(), 2);
    assert!(!all.to_string().contains(&ctx.token), "the log holds no tokens");
    ctx.control(Method::DELETE, "/requests", None).await;
    assert_eq!(ctx.control(Method::GET, "/requests", None).await.ok()["requests"], json!([]));
    ctx.control(Method::POST, "/reset", None).await;
    ctx.picker_call(Method::GET, &format!("/v1/sessions/{id}"), None).await.expect_error(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn picker_page_lists_the_library_and_done_finishes_the_session() {
    let ctx = start().await;
    let created = ctx.create_with_max(2).await;
    let id = created["id"].as_str().unwrap().to_string();
    let picker_uri = created["pickerUri"].as_str().unwrap().to_string();
    let page = ctx.http.get(&picker_uri).send().await.unwrap().text().await.unwrap();
    let items = ctx.items().await;
    assert!(page.contains(items[0]["id"].as_str().unwrap()) && page.contains("Select up to 2 items"));
    let thumb = ctx.http.get(format!("{}/picker/{id}/thumb/0", ctx.picker())).send().await.unwrap();
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let form = format!("item={}&item={}&item={}", items[0]["id"].as_str().unwrap(), items[1]["id"].as_str().unwrap(), items[2]["id"].as_str().unwrap());
    let done = |body: String| ctx.http.post(format!("{}/picker/{id}/done", ctx.picker())).header("content-type", "application/x-www-form-urlencoded").body(body).send();
    assert_eq!(done(form).await.unwrap().status(), 400, "more than maxItemCount");
    let form = format!("item={}&item={}&autoclose=1", items[5]["id"].as_str().unwrap(), items[4]["id"].as_str().unwrap());
    let finished = done(form.clone()).await.unwrap().text().await.unwrap();
    assert!(finished.contains("window.close()"));
    assert_eq!(ctx.get(&id).await.ok()["mediaItemsSet"], true);
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    let picked: Vec<&Value> = page["mediaItems"].as_array().unwrap().iter().map(|i| &i["id"]).collect();
    assert_eq!(picked, [&items[5]["id"], &items[4]["id"]]);
    assert_eq!(done(form).await.unwrap().status(), 410, "after Done the page takes no picks");
    assert_eq!(ctx.http.get(&picker_uri).send().await.unwrap().status(), 410);
    assert_eq!(ctx.http.get(format!("{picker_uri}/autoclose")).send().await.unwrap().status(), 410);
}

#[test]
fn the_binary_prints_its_urls_and_serves() {
    let binary = env!("CARGO_BIN_EXE_photospicker-emulator");
    let mut child = std::process::Command::new(binary)
        .args(["--port", "0", "--token", "cli-token"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let picker = lines.next().unwrap().unwrap().strip_prefix("picker_url=").unwrap().to_string();
    assert!(lines.next().unwrap().unwrap().starts_with("library_url=http://127.0.0.1:"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        reqwest::Client::new().post(format!("{picker}/v1/sessions")).bearer_auth("cli-token").send().await.unwrap().status()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    let bad = std::process::Command::new(binary).arg("--bogus").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[tokio::test]
async fn polls_keep_counting_after_the_pick() {
    let ctx = start().await;
    let id = session(&ctx).await;
    ctx.get(&id).await.ok();
    ctx.pick(&id, json!({"count": 1})).await;
    for _ in 0..3 {
        ctx.get(&id).await.ok();
    }
    let sessions = ctx.control(Method::GET, "/sessions", None).await.ok();
    let entry = sessions["sessions"].as_array().unwrap().iter().find(|s| s["id"] == id.as_str()).unwrap().clone();
    assert_eq!(entry["polls"], 4);
}

#[tokio::test]
async fn pick_on_an_expired_deleted_or_picked_session_is_an_error() {
    let ctx = start().await;
    let picked = session(&ctx).await;
    ctx.pick(&picked, json!({"count": 1})).await;
    let again = ctx.control(Method::POST, &format!("/sessions/{picked}/pick"), Some(json!({"count": 1}))).await;
    again.expect_error(409, "FAILED_PRECONDITION");
    let deleted = session(&ctx).await;
    ctx.picker_call(Method::DELETE, &format!("/v1/sessions/{deleted}"), None).await.ok();
    ctx.control(Method::POST, &format!("/sessions/{deleted}/pick"), Some(json!({"count": 1}))).await.expect_error(404, "NOT_FOUND");
    let expiring = session(&ctx).await;
    // Keep the picking window open past expiry, so only expiry stands in the way.
    ctx.control(Method::POST, &format!("/sessions/{expiring}/configure"), Some(json!({"timeoutSeconds": 7200}))).await.ok();
    ctx.emulator.advance_clock(std::time::Duration::from_secs(3601));
    let late = ctx.control(Method::POST, &format!("/sessions/{expiring}/pick"), Some(json!({"count": 1}))).await;
    late.expect_error(409, "FAILED_PRECONDITION");
    assert!(late.body["error"]["message"].as_str().unwrap().contains("expired"), "{}", late.body);
}

#[test]
fn the_binary_takes_page_sizes_and_a_log_size_and_refuses_bad_ones() {
    let binary = env!("CARGO_BIN_EXE_photospicker-emulator");
    let mut child = std::process::Command::new(binary)
        .args(["--port", "0", "--page-sizes", "0,2", "--request-log-size", "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let picker = lines.next().unwrap().unwrap().strip_prefix("picker_url=").unwrap().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (first_page, log) = runtime.block_on(async {
        let http = reqwest::Client::new();
        let session: Value = http.post(format!("{picker}/v1/sessions")).bearer_auth("emulator-token").send().await.unwrap().json().await.unwrap();
        let id = session["id"].as_str().unwrap();
        http.post(format!("{picker}/emulator/v1/sessions/{id}/pick")).json(&json!({"count": 3})).send().await.unwrap();
        let page: Value = http.get(format!("{picker}/v1/mediaItems?sessionId={id}")).bearer_auth("emulator-token").send().await.unwrap().json().await.unwrap();
        let log: Value = http.get(format!("{picker}/emulator/v1/requests")).send().await.unwrap().json().await.unwrap();
        (page, log)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(first_page.get("mediaItems").is_none() && first_page["nextPageToken"].is_string(), "{first_page}");
    assert_eq!((log["requests"].as_array().unwrap().len(), log["dropped"].as_u64()), (1, Some(1)), "{log}");
    for bad in [["--page-sizes", "0,0"], ["--page-sizes", "a,b"], ["--request-log-size", "-1"]] {
        let refused = std::process::Command::new(binary).args(bad).output().unwrap();
        assert_eq!(refused.status.code(), Some(2), "{bad:?}");
    }
}

#[tokio::test]
async fn slow_drips_the_whole_real_body_at_the_given_rate() {
    let ctx = start().await;
    let id = ctx.picked_session(5).await;
    let page = ctx.list(&format!("sessionId={id}")).await.ok();
    let url = format!("{}=d", page["mediaItems"][0]["mediaFile"]["baseUrl"].as_str().unwrap());
    let whole = ctx.http.get(&url).bearer_auth(&ctx.token).send().await.unwrap().bytes().await.unwrap();
    // Half the body per second: the answer takes about two seconds, in many chunks.
    let rate = (whole.len() / 2).max(1);
    ctx.control(Method::POST, "/faults", Some(json!({"route": "media", "kind": "slow", "bytesPerSecond": rate, "times": 1}))).await.ok();
    let started = Instant::now();
    let mut response = ctx.http.get(&url).bearer_auth(&ctx.token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(whole.len() as u64), "the real length is promised");
    let mut dripped = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        dripped.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert!(dripped == whole, "every byte of the real body arrives");
    assert!(chunks >= 10, "dripped in slices, got {chunks} chunks");
    assert!(started.elapsed() >= Duration::from_millis(1500), "took {:?}", started.elapsed());
    assert_eq!(ctx.control(Method::POST, "/faults", Some(json!({"kind": "slow", "bytesPerSecond": 0}))).await.status, 400);
}

#[tokio::test]
async fn probability_rules_roll_independently_so_a_later_rarer_rule_still_fires() {
    let ctx = start().await;
    let id = session(&ctx).await;
    let rules = json!([
        {"route": "sessions.get", "kind": "status", "status": 503, "probability": 0.5},
        {"route": "sessions.get", "kind": "status", "status": 500, "probability": 0.3},
    ]);
    ctx.control(Method::POST, "/faults", Some(rules)).await.ok();
    let statuses = futures_statuses(&ctx, &id, 400).await;
    let count = |status: u16| statuses.iter().filter(|s| **s == status).count();
    // Expected about 200 × 503, 60 × 500 (0.5 × 0.3), 140 × 200; the bounds are loose.
    assert!((120..=280).contains(&count(503)), "{} × 503", count(503));
    assert!((20..=110).contains(&count(500)), "{} × 500: the second rule fires on its own roll", count(500));
    assert!(count(200) >= 60, "{} × 200", count(200));
}

#[tokio::test]
async fn control_bodies_are_read_as_json_whatever_their_type_and_refused_in_googles_envelope() {
    let ctx = start().await;
    let id = session(&ctx).await;
    let url = format!("{}/emulator/v1/sessions/{id}/pick", ctx.picker());
    // What `curl -d '{"count": 1}'` sends: a form content type.
    let picked = ctx.http.post(&url).header("content-type", "application/x-www-form-urlencoded").body(r#"{"count": 1}"#).send().await.unwrap();
    assert_eq!(picked.status(), 200);
    for body in ["{not json", r#"{"seconds": "abc"}"#] {
        let refused = ctx.http.post(format!("{}/emulator/v1/clock/advance", ctx.picker())).body(body).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{body}");
        let envelope: Value = refused.json().await.unwrap();
        assert_eq!(envelope["error"]["status"], "INVALID_ARGUMENT", "{envelope}");
    }
}
