//! The fault soak (issue 9's proof): many complete flows — create → simulated
//! pick → wait → list → download all → delete — in parallel against one
//! emulator that injects faults on every route, then an audit of what is on
//! disk and on the server. Nothing picked may be lost, no file may be partial,
//! corrupt or overwritten, no session may be left behind, and memory stays flat.
//!
//! In the suite it runs a short soak (`SOAK_FLOWS`, default 60); the full one:
//! `SOAK_FLOWS=1000 cargo test --release -p photospicker --test soak -- --nocapture`.
//! Timing is printed, never asserted.

mod common;

use futures_util::StreamExt;
use photospicker::{Client, CreateSessionOptions, DownloadAllOptions, Error, PickedMediaItem, RetryPolicy, WaitOptions};
use photospicker_emulator::{Config, Emulator, FaultKind, FaultRule, NewUser, PickRequest};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 32;
const PHOTOS_PER_FLOW: usize = 3;
const VIDEOS_PER_FLOW: usize = 2;
/// No flow may take longer than this; a flow past it counts as hung.
const FLOW_LIMIT: Duration = Duration::from_secs(120);

/// The faults of issue 9, on every route (first matching rule fires).
fn faults() -> Vec<FaultRule> {
    let rule = |kind, probability| FaultRule {
        route: "*".into(),
        kind,
        status: None,
        retry_after: None,
        latency_ms: None,
        after_bytes: None,
        bytes_per_second: None,
        times: None,
        probability: Some(probability),
        skip: 0,
    };
    vec![
        FaultRule { status: Some(503), ..rule(FaultKind::Status, 0.05) },
        // Retry-After and RetryInfo.retryDelay of one second (the smallest a header can say).
        FaultRule { status: Some(429), retry_after: Some(1), ..rule(FaultKind::Status, 0.02) },
        FaultRule { after_bytes: Some(600), ..rule(FaultKind::Reset, 0.01) },
        // A well-formed answer with half the body: detectable only on API routes (JSON that
        // ends early); on media a consistent shorter Content-Length is indistinguishable
        // from a smaller file, so media truncation is exercised by `reset` (body shorter
        // than promised) instead.
        FaultRule { route: "mediaItems.list".into(), ..rule(FaultKind::Truncate, 0.01) },
        FaultRule { route: "sessions.get".into(), ..rule(FaultKind::Truncate, 0.01) },
        FaultRule { route: "sessions.create".into(), ..rule(FaultKind::Truncate, 0.01) },
        FaultRule { latency_ms: Some(400), ..rule(FaultKind::Latency, 0.02) },
        FaultRule { bytes_per_second: Some(96 * 1024), ..rule(FaultKind::Slow, 0.03) },
    ]
}

/// Millisecond waits, so that a thousand flows with faults finish in minutes;
/// 429s still wait the server's one second (`rate_limited_backoff`).
fn soak_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 6,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(200),
        rate_limited_backoff: Duration::from_secs(1),
        time_limit: Some(Duration::from_secs(60)),
        jitter: true,
        ..RetryPolicy::default()
    }
}

/// What one flow ended with.
#[derive(Default)]
struct FlowOutcome {
    /// The error that ended the flow early (before downloads), by kind.
    failed: Option<&'static str>,
    /// The items the user picked.
    picked: Vec<String>,
    /// Files written: (item id, path).
    files: Vec<(String, PathBuf)>,
    /// Items that failed to download, by kind.
    item_errors: Vec<(String, &'static str)>,
    /// Picked items with neither a file nor a typed error.
    lost: usize,
    /// Whether the session was deleted (or never created).
    deleted: bool,
    /// The create's request id and the session it answered.
    request_id: String,
    session_id: Option<String>,
}

/// One of the error's `is_…` predicates.
type Predicate = fn(&Error) -> bool;

/// A short name for an error's kind, for the report.
fn kind(error: &Error) -> &'static str {
    let kinds: [(&str, Predicate); 14] = [
        ("deadline_exceeded", Error::is_deadline_exceeded),
        ("stalled", Error::is_stalled),
        ("timeout", Error::is_timeout),
        ("connect", Error::is_connect),
        ("transport", Error::is_transport),
        ("unexpected_content", Error::is_unexpected_content),
        ("decode", Error::is_decode),
        ("resource_exhausted", Error::is_resource_exhausted),
        ("unavailable", Error::is_unavailable),
        ("permission_denied", Error::is_permission_denied),
        ("not_found", Error::is_not_found),
        ("video_not_ready", Error::is_video_not_ready),
        ("picking_timeout", Error::is_picking_timeout),
        ("io", Error::is_io),
    ];
    kinds.iter().find(|(_, is)| is(error)).map_or("other", |(name, _)| name)
}

struct Library {
    photos: Vec<String>,
    videos: Vec<String>,
}

async fn flow(number: usize, emulator: &Emulator, client: &Client, library: &Library, dir: &Path) -> FlowOutcome {
    let mut outcome = FlowOutcome::default();
    let mut rng = fastrand::Rng::with_seed(number as u64);
    let mut choose = |from: &[String], n: usize| rng.choose_multiple(from.iter().cloned(), n);
    let mut picked = choose(&library.photos, PHOTOS_PER_FLOW);
    picked.extend(choose(&library.videos, VIDEOS_PER_FLOW));
    outcome.request_id = photospicker::new_request_id();
    let options = CreateSessionOptions { request_id: Some(outcome.request_id.clone()), ..Default::default() };
    let session = match client.create_session(options).await {
        Ok(session) => session,
        Err(error) => {
            outcome.failed = Some(kind(&error));
            outcome.deleted = true;
            return outcome;
        }
    };
    outcome.session_id = Some(session.id.clone());
    let pick = PickRequest { item_ids: Some(picked.clone()), after_polls: Some(2), ..Default::default() };
    emulator.pick(&session.id, pick).expect("the emulator accepts the pick");
    outcome.picked = picked;
    if let Err(error) = download_picked(client, &session.id, dir, &mut outcome).await {
        outcome.failed = Some(kind(&error));
    }
    outcome.deleted = client.delete_session(&session.id).await.is_ok();
    outcome
}

async fn download_picked(client: &Client, session_id: &str, dir: &Path, outcome: &mut FlowOutcome) -> photospicker::Result<()> {
    let wait = WaitOptions { min_poll_interval: Duration::from_millis(10), ..WaitOptions::default() }.timeout(Duration::from_secs(60));
    client.wait_until_picked(session_id, wait).await?;
    let items: Vec<PickedMediaItem> = client.list_all_media_items(session_id).await?;
    let listed: HashSet<&str> = items.iter().map(|item| item.id.as_str()).collect();
    outcome.lost += outcome.picked.iter().filter(|id| !listed.contains(id.as_str())).count();
    let results = client.download_all(&items, dir, &DownloadAllOptions { concurrency: 4, ..Default::default() }).await;
    outcome.lost += items.len().saturating_sub(results.len());
    for (item, result) in items.iter().zip(results) {
        match result {
            Ok(path) => outcome.files.push((item.id.clone(), path)),
            Err(error) => outcome.item_errors.push((item.id.clone(), kind(&error))),
        }
    }
    Ok(())
}

/// Peak and current resident memory of this process (emulator included), in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|line| line.starts_with(name)).and_then(|line| line.split_whitespace().nth(1)).and_then(|kib| kib.parse().ok()).unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The true bytes of every item, fetched with faults off through a fresh
/// session and plain reqwest (not the client under test).
async fn oracle(emulator: &Emulator, token: &str, ids: &[String]) -> HashMap<String, Vec<u8>> {
    emulator.clear_faults();
    let http = reqwest::Client::new();
    let created: serde_json::Value =
        http.post(format!("{}/v1/sessions", emulator.picker_url())).bearer_auth(token).json(&serde_json::json!({})).send().await.unwrap().json().await.unwrap();
    let session = created["id"].as_str().expect("an oracle session").to_string();
    emulator.pick(&session, PickRequest { item_ids: Some(ids.to_vec()), ..Default::default() }).unwrap();
    let mut truth = HashMap::new();
    let mut page_token = String::new();
    loop {
        let url = format!("{}/v1/mediaItems?sessionId={session}&pageSize=100&pageToken={page_token}", emulator.picker_url());
        let page: serde_json::Value = http.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        for item in page["mediaItems"].as_array().unwrap() {
            let suffix = if item["type"] == "VIDEO" { "dv" } else { "d" };
            let url = format!("{}={suffix}", item["mediaFile"]["baseUrl"].as_str().unwrap());
            let response = http.get(url).bearer_auth(token).send().await.unwrap();
            assert_eq!(response.status(), 200);
            truth.insert(item["id"].as_str().unwrap().to_string(), response.bytes().await.unwrap().to_vec());
        }
        match page["nextPageToken"].as_str() {
            Some(next) => page_token = next.to_string(),
            None => break,
        }
    }
    http.delete(format!("{}/v1/sessions/{session}", emulator.picker_url())).bearer_auth(token).send().await.unwrap();
    truth
}

/// The sessions still on the server: (id, requestId).
async fn live_sessions(emulator: &Emulator) -> Vec<(String, Option<String>)> {
    let url = format!("{}/emulator/v1/sessions", emulator.picker_url());
    let listing: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let sessions = listing["sessions"].as_array().unwrap().iter();
    sessions.map(|s| (s["id"].as_str().unwrap().to_string(), s["requestId"].as_str().map(str::to_string))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_soak_loses_no_picked_item_and_leaves_no_partial_overwritten_or_corrupt_file_and_no_session() {
    let flows: usize = std::env::var("SOAK_FLOWS").ok().and_then(|n| n.parse().ok()).unwrap_or(60);
    let config = Config {
        poll_interval: Duration::from_millis(20),
        // baseUrls expire while flows run: a download slowed by faults meets a 403 and refreshes.
        base_url_ttl: Duration::from_millis(1500),
        max_sessions_per_user: 100_000,
        library_size: 30,
        video_ratio: 0.3,
        video_bytes: 64 * 1024,
        ..Config::default()
    };
    let emulator = Emulator::start(config).await.expect("the emulator starts");
    let token = emulator.add_user(NewUser { seed: Some(9), ..Default::default() }).expect("a user").token;
    let items = emulator.library(&token).expect("a library");
    let ready = |item: &&serde_json::Value| item["type"] == "PHOTO" || item["processingStatus"] == "READY";
    let ids = |kind: &str| items.iter().filter(ready).filter(|item| item["type"] == kind).map(|item| item["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let library = Library { photos: ids("PHOTO"), videos: ids("VIDEO") };
    assert!(library.photos.len() >= PHOTOS_PER_FLOW && library.videos.len() >= VIDEOS_PER_FLOW, "the library has photos and ready videos");
    let client = Client::builder()
        .endpoint(emulator.picker_url())
        .library_endpoint(emulator.library_url())
        .token(token.as_str())
        .retry_policy(soak_retries())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let dir = tempfile::tempdir().expect("a download directory");
    emulator.inject_faults(faults()).expect("the faults");

    let started = Instant::now();
    let memory_before = memory();
    let mut memory_at_quarter = None;
    let mut outcomes = Vec::with_capacity(flows);
    let mut hung = 0;
    let mut running = futures_util::stream::iter(0..flows)
        .map(|number| tokio::time::timeout(FLOW_LIMIT, flow(number, &emulator, &client, &library, dir.path())))
        .buffer_unordered(CONCURRENCY);
    while let Some(outcome) = running.next().await {
        match outcome {
            Ok(outcome) => outcomes.push(outcome),
            Err(_) => hung += 1,
        }
        if outcomes.len() + hung == flows.div_ceil(4) {
            memory_at_quarter = Some(memory());
        }
    }
    drop(running);
    let elapsed = started.elapsed();
    let memory_after = memory();
    let requests = emulator.requests(None);

    // The audit.
    let picked_ids: Vec<String> = outcomes.iter().flat_map(|o| o.picked.iter().cloned()).collect::<HashSet<_>>().into_iter().collect();
    let truth = oracle(&emulator, &token, &picked_ids).await;
    let mut corrupt = Vec::new();
    for outcome in &outcomes {
        for (id, path) in &outcome.files {
            let written = std::fs::read(path).unwrap_or_default();
            if truth.get(id) != Some(&written) {
                corrupt.push(format!("{} ({} bytes, expected {:?})", path.display(), written.len(), truth.get(id).map(Vec::len)));
            }
        }
    }
    let entries: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let temp_files = entries.iter().filter(|name| name.ends_with(".part")).count();
    let downloaded: usize = outcomes.iter().map(|o| o.files.len()).sum();
    let distinct_paths = outcomes.iter().flat_map(|o| o.files.iter().map(|(_, p)| p.clone())).collect::<HashSet<_>>().len();
    let overwritten = downloaded - distinct_paths + downloaded.saturating_sub(entries.len() - temp_files);
    let lost: usize = outcomes.iter().map(|o| o.lost).sum();
    let completed = outcomes.iter().filter(|o| o.failed.is_none() && o.item_errors.is_empty() && o.deleted).count();
    let mut failed_by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for outcome in &outcomes {
        if let Some(kind) = outcome.failed {
            *failed_by_kind.entry(kind).or_default() += 1;
        }
    }
    let mut item_errors_by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, kind) in outcomes.iter().flat_map(|o| o.item_errors.iter()) {
        *item_errors_by_kind.entry(kind).or_default() += 1;
    }
    let undeleted_by_flows = outcomes.iter().filter(|o| !o.deleted).count();
    let undeleted = live_sessions(&emulator).await.len();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut injected: BTreeMap<String, usize> = BTreeMap::new();
    for request in &requests {
        *statuses.entry(request.status).or_default() += 1;
        if let Some(fault) = request.fault {
            *injected.entry(format!("{fault:?}").to_lowercase()).or_default() += 1;
        }
    }
    let quarter = memory_at_quarter.unwrap_or(memory_after);

    println!("fault soak: {flows} flows, concurrency {CONCURRENCY}, {:.1} s", elapsed.as_secs_f64());
    println!("  flows completed:            {completed}");
    println!("  flows failed (typed):       {failed_by_kind:?}");
    println!("  items failed (typed):       {item_errors_by_kind:?}");
    println!("  flows hung past {FLOW_LIMIT:?}: {hung}");
    println!("  picked items:               {}", outcomes.iter().map(|o| o.picked.len()).sum::<usize>());
    println!("  files downloaded:           {downloaded} (in one directory: {} entries)", entries.len());
    println!("  picked items lost:          {lost}");
    println!("  partial or corrupt files:   {}", corrupt.len());
    println!("  .part temp files left:      {temp_files}");
    println!("  files overwritten:          {overwritten}");
    println!("  sessions left undeleted:    {undeleted} (flows whose delete failed: {undeleted_by_flows})");
    println!("  peak RSS (VmHWM):           before {} KiB, after 25% {} KiB, at end {} KiB", memory_before.0, quarter.0, memory_after.0);
    println!("  RSS (VmRSS):                after 25% {} KiB, at end {} KiB", quarter.1, memory_after.1);
    println!("  requests:                   {} ({:.1} per flow), by status {statuses:?}", requests.len(), requests.len() as f64 / flows.max(1) as f64);
    println!("  faults injected:            {injected:?}");

    assert_eq!(hung, 0, "no flow hangs");
    assert_eq!(lost, 0, "no picked item is lost");
    assert!(corrupt.is_empty(), "partial or corrupt files: {corrupt:#?}");
    assert_eq!(temp_files, 0, "no temporary file is left");
    assert_eq!(overwritten, 0, "no file is overwritten: {downloaded} downloads, {} files", entries.len());
    assert_eq!(undeleted, 0, "no session is left undeleted (a create retried after a lost answer gets the same session)");
    assert!(completed * 10 >= flows * 8, "most flows complete: {completed} of {flows}");
}
