//! The request path against a hostile raw server: server-asked delays beyond
//! the policy, endless and huge bodies, dripping answers and caller
//! deadlines, slow and cut media bodies (resumed with Range), echoed tokens,
//! malformed error envelopes, redirects, HTML pages for photos, attempt
//! counting and auth errors. Every test asserts the typed error and that
//! time (and, by the size cap, memory) stays bounded.

mod common;

use common::raw::{google_error, json, respond, RawServer, Step};
use photospicker::{Client, ClientBuilder, PickedMediaItem, RetryPolicy, WaitOptions};
use std::time::{Duration, Instant};

const TOKEN: &str = "ya29.secret-token-0123456789";

fn builder(server: &RawServer) -> ClientBuilder {
    server.client_builder(TOKEN)
}

fn client_for(server: &RawServer) -> Client {
    builder(server).build().expect("a client")
}

fn session_json(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "pickerUri": "https://photos.google.com/picker/s1", "mediaItemsSet": true})
}

fn photo(server: &RawServer) -> PickedMediaItem {
    let item = serde_json::json!({
        "id": "p1", "type": "PHOTO",
        "mediaFile": {"baseUrl": format!("{}/media/p1", server.url), "mimeType": "image/jpeg", "filename": "photo.jpg"}
    });
    PickedMediaItem::from_json(&item.to_string()).expect("a picked item")
}

/// Bytes that look like a JPEG (its magic number, then a counting pattern).
fn jpeg_bytes(len: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    bytes[..4].copy_from_slice(b"\xFF\xD8\xFF\xE0");
    bytes
}

fn head(status: u16, headers: &[(&str, String)]) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} X\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir).map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default()
}

// Defect 1: a server-asked delay beyond the policy ends the call at once.

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_ends_the_call_at_once_with_its_delay() {
    let server = RawServer::start(|_, _| respond(503, &[("retry-after", "99999999"), ("content-type", "text/plain")], "busy")).await;
    let started = Instant::now();
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(error.http_status(), Some(503));
    assert!(error.is_unavailable() && error.is_retryable(), "{error:?}");
    assert_eq!(error.retry_delay(), Some(Duration::from_secs(99_999_999)));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_retry_info_delay_of_ten_thousand_years_ends_the_call_at_once() {
    let envelope = serde_json::json!({"error": {"code": 429, "message": "slow down", "status": "RESOURCE_EXHAUSTED",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "315576000000s"}]}});
    let server = RawServer::start(move |_, _| json(429, &envelope)).await;
    let started = Instant::now();
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.is_resource_exhausted());
    assert_eq!(error.retry_delay(), Some(Duration::from_secs(315_576_000_000)));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_retry_after_date_far_in_the_future_ends_the_call_and_garbage_delays_are_ignored() {
    let server = RawServer::start(|_, index| match index {
        0 => respond(503, &[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")], ""),
        1 => respond(503, &[("retry-after", "-5")], ""),
        2 => respond(503, &[("retry-after", "soon, maybe")], ""),
        _ => json(200, &session_json("s1")),
    })
    .await;
    let client = client_for(&server);
    let error = client.get_session("s1").await.unwrap_err();
    assert!(error.retry_delay().is_some_and(|d| d > Duration::from_secs(86_400 * 365 * 1000)), "{:?}", error.retry_delay());
    let started = Instant::now();
    client.get_session("s1").await.expect("negative and garbage delays fall back to the policy's backoff");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 4);
}

// Defect 2: bodies are capped and read incrementally.

#[tokio::test]
async fn a_two_hundred_mib_json_body_is_refused_without_reading_it() {
    let server = RawServer::start(|_, _| {
        vec![
            Step::Write(head(200, &[("content-type", "application/json".into()), ("content-length", (200u64 << 20).to_string())])),
            Step::Drip { chunk: vec![b' '; 65536], every: Duration::from_millis(1), total: Some(200 << 20) },
        ]
    })
    .await;
    let started = Instant::now();
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert!(error.is_response_too_large() && !error.is_retryable(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 1, "a body too large is not retried");
}

#[tokio::test]
async fn an_endless_chunked_body_fails_at_the_cap_instead_of_growing() {
    let mut chunk = format!("{:x}\r\n", 65536).into_bytes();
    chunk.extend(std::iter::repeat_n(b'[', 65536));
    chunk.extend_from_slice(b"\r\n");
    let server = RawServer::start(move |_, _| {
        vec![
            Step::Write(head(200, &[("content-type", "application/json".into()), ("transfer-encoding", "chunked".into())])),
            Step::Drip { chunk: chunk.clone(), every: Duration::from_millis(1), total: None },
        ]
    })
    .await;
    let client = builder(&server).max_response_bytes(1 << 20).build().unwrap();
    let started = Instant::now();
    let error = client.get_session("s1").await.unwrap_err();
    assert!(error.is_response_too_large(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_chunk_announcing_an_absurd_size_fails_as_a_network_error_or_at_the_cap() {
    let server = RawServer::start(|_, _| {
        let mut bytes = head(200, &[("content-type", "application/json".into()), ("transfer-encoding", "chunked".into())]);
        bytes.extend_from_slice(b"FFFFFFFFFFFFFFFF\r\n{\"id\":");
        vec![Step::Write(bytes), Step::Close]
    })
    .await;
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert!(error.is_transport() || error.is_response_too_large(), "{error:?}");
}

#[tokio::test]
async fn a_huge_error_body_keeps_its_status_and_reads_only_an_excerpt() {
    let server = RawServer::start(|_, _| {
        vec![
            Step::Write(head(500, &[("content-type", "text/html".into()), ("transfer-encoding", "chunked".into())])),
            Step::Drip { chunk: b"10000\r\n".iter().copied().chain(std::iter::repeat_n(b'x', 65536)).chain(*b"\r\n").collect(), every: Duration::from_millis(1), total: None },
        ]
    })
    .await;
    let client = builder(&server).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let error = client.get_session("s1").await.unwrap_err();
    assert_eq!(error.http_status(), Some(500));
    assert!(error.is_retryable() && error.message().len() < 1000, "{error}");
}

// Slow or stalling answers.

#[tokio::test]
async fn headers_dripped_slowly_fail_at_the_attempt_timeout() {
    let server = RawServer::start(|_, _| vec![Step::Drip { chunk: b"H".to_vec(), every: Duration::from_millis(50), total: None }]).await;
    let client = builder(&server).timeout(Duration::from_millis(300)).retry_policy(RetryPolicy { max_attempts: 2, ..common::fast_retries() }).build().unwrap();
    let started = Instant::now();
    let error = client.get_session("s1").await.unwrap_err();
    assert!(error.is_timeout() && error.is_transport(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_body_that_stops_after_the_headers_fails_as_stalled() {
    let server = RawServer::start(|_, _| {
        vec![Step::Write(head(200, &[("content-type", "application/json".into()), ("content-length", "100".into())])), Step::Write(b"{\"id\"".to_vec()), Step::Sleep(Duration::from_secs(30))]
    })
    .await;
    let client = builder(&server).stall_timeout(Duration::from_millis(300)).retry_policy(RetryPolicy { max_attempts: 2, ..common::fast_retries() }).build().unwrap();
    let started = Instant::now();
    let error = client.get_session("s1").await.unwrap_err();
    assert!(error.is_stalled() && error.is_retryable(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn the_policy_time_limit_cuts_an_api_call_in_flight() {
    let server = RawServer::start(|_, _| {
        vec![Step::Write(head(200, &[("content-type", "application/json".into()), ("content-length", "100000".into())])), Step::Drip { chunk: vec![b' '; 2048], every: Duration::from_millis(100), total: None }]
    })
    .await;
    let client = builder(&server).retry_policy(RetryPolicy { time_limit: Some(Duration::from_millis(800)), ..common::fast_retries() }).build().unwrap();
    let started = Instant::now();
    let error = client.get_session("s1").await.unwrap_err();
    assert!(error.is_deadline_exceeded() && error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

// One timer per attempt serves both the time to first byte and the call's
// deadline (`deadline.rs`): whichever comes first ends the attempt, with its own error.

/// Runs `call` under a caller's deadline `after` from now and asserts that it
/// failed as a deadline, well within 3 s.
async fn cut_by_callers_deadline<T: std::fmt::Debug>(after: Duration, call: impl std::future::Future<Output = photospicker::Result<T>>) {
    let started = Instant::now();
    let error = photospicker::with_deadline(tokio::time::Instant::now() + after, call).await.unwrap_err();
    assert!(error.is_deadline_exceeded(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_callers_deadline_before_the_first_byte_timeout_ends_the_wait_for_headers_as_a_deadline() {
    let server = RawServer::start(|_, _| vec![Step::Sleep(Duration::from_secs(30))]).await;
    let client = builder(&server).timeout(Duration::from_secs(20)).build().unwrap();
    cut_by_callers_deadline(Duration::from_millis(400), client.get_session("s1")).await;
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_first_byte_timeout_before_the_callers_deadline_is_a_retried_timeout_not_the_deadline() {
    let server = RawServer::start(|_, _| vec![Step::Sleep(Duration::from_secs(30))]).await;
    let client = builder(&server).timeout(Duration::from_millis(200)).retry_policy(RetryPolicy { max_attempts: 2, ..common::fast_retries() }).build().unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let error = photospicker::with_deadline(deadline, client.get_session("s1")).await.unwrap_err();
    assert!(error.is_timeout() && error.is_transport() && !error.is_deadline_exceeded(), "{error:?}");
    assert_eq!(server.count(), 2, "each attempt timed out on its own");
}

#[tokio::test]
async fn an_error_answer_whose_body_drips_ends_at_the_callers_deadline() {
    let server = RawServer::start(|_, _| {
        vec![Step::Write(head(503, &[("content-type", "application/json".into()), ("content-length", "100000".into())])), Step::Drip { chunk: vec![b' '; 2048], every: Duration::from_millis(100), total: None }]
    })
    .await;
    let client = builder(&server).stall_timeout(Duration::from_secs(20)).build().unwrap();
    cut_by_callers_deadline(Duration::from_millis(500), client.get_session("s1")).await;
}

#[tokio::test]
async fn a_callers_deadline_cuts_a_dripping_media_body_and_leaves_no_file() {
    let server = RawServer::start(|_, _| {
        vec![Step::Write(head(200, &[("content-type", "image/jpeg".into()), ("content-length", "100000000".into())])), Step::Drip { chunk: jpeg_bytes(4096), every: Duration::from_millis(50), total: None }]
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    cut_by_callers_deadline(Duration::from_millis(600), client_for(&server).download(&photo(&server), dir.path(), &Default::default())).await;
    assert_eq!(files_in(dir.path()), Vec::<String>::new(), "no half-written file is left");
}

#[tokio::test]
async fn the_policy_time_limit_cuts_a_download_still_waiting_for_its_headers() {
    let server = RawServer::start(|_, _| vec![Step::Sleep(Duration::from_secs(30))]).await;
    let client = builder(&server).timeout(Duration::from_secs(20)).retry_policy(RetryPolicy { time_limit: Some(Duration::from_millis(600)), ..common::fast_retries() }).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let error = client.download(&photo(&server), dir.path(), &Default::default()).await.unwrap_err();
    assert!(error.is_deadline_exceeded(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

// However many calls are started, the client's connections stay bounded.

#[tokio::test]
async fn concurrent_calls_beyond_max_concurrent_requests_wait_for_a_slot_instead_of_opening_connections() {
    let server = RawServer::start(|_, _| {
        let mut steps = vec![Step::Sleep(Duration::from_millis(100))];
        steps.extend(json(200, &session_json("s1")));
        steps
    })
    .await;
    let client = builder(&server).max_concurrent_requests(2).build().unwrap();
    let calls = (0..8).map(|_| client.get_session("s1"));
    let sessions = futures_util::future::join_all(calls).await;
    assert!(sessions.iter().all(Result::is_ok), "{sessions:?}");
    assert_eq!(server.count(), 8);
    assert!(server.connections() <= 2, "{} connections for 2 slots", server.connections());
}

#[tokio::test]
async fn max_concurrent_requests_of_zero_is_refused() {
    let server = RawServer::start(|_, _| json(200, &session_json("s1"))).await;
    let error = builder(&server).max_concurrent_requests(0).build().unwrap_err();
    assert!(error.is_validation(), "{error:?}");
}

// Defect 3: the caller's deadline cuts polls in flight and retry waits.

#[tokio::test]
async fn the_wait_deadline_cuts_a_dripping_poll() {
    let server = RawServer::start(|_, _| {
        vec![Step::Write(head(200, &[("content-type", "application/json".into()), ("content-length", "100000".into())])), Step::Drip { chunk: vec![b' '; 4096], every: Duration::from_millis(50), total: None }]
    })
    .await;
    let started = Instant::now();
    let error = client_for(&server).wait_until_picked("s1", WaitOptions::default().timeout(Duration::from_secs(1))).await.unwrap_err();
    assert!(error.is_picking_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_wait_deadline_cuts_a_retry_wait_the_server_asked_for() {
    let server = RawServer::start(|_, _| google_error(503, "UNAVAILABLE", "later").into_iter().map(|step| match step {
        Step::Write(bytes) => Step::Write(String::from_utf8(bytes).unwrap().replacen("\r\n", "\r\nretry-after: 20\r\n", 1).into_bytes()),
        other => other,
    }).collect()).await;
    let patient = builder(&server).retry_policy(RetryPolicy { max_backoff: Duration::from_secs(32), ..common::fast_retries() }).build().unwrap();
    let started = Instant::now();
    let error = patient.wait_until_picked("s1", WaitOptions::default().timeout(Duration::from_secs(3))).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert!(error.is_unavailable() && error.retry_delay() == Some(Duration::from_secs(20)), "{error:?}");
    assert_eq!(server.count(), 1);
}

// Defect 5: slow bodies succeed, cut bodies resume with Range.

#[tokio::test]
async fn a_slow_media_body_outlasting_the_attempt_timeout_succeeds() {
    let body = jpeg_bytes(4 << 20);
    let served = body.clone();
    let server = RawServer::start(move |_, _| {
        // 512 KiB/s: 64 KiB every 125 ms.
        std::iter::once(Step::Write(head(200, &[("content-type", "image/jpeg".into()), ("content-length", served.len().to_string())])))
            .chain(served.chunks(64 * 1024).flat_map(|c| [Step::Write(c.to_vec()), Step::Sleep(Duration::from_millis(125))]))
        .collect()
    })
    .await;
    let client = builder(&server).timeout(Duration::from_secs(1)).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = client.download(&photo(&server), dir.path(), &Default::default()).await.expect("a slow but flowing body completes");
    assert_eq!(std::fs::read(path).unwrap(), body);
    assert_eq!(server.count(), 1);
}

fn cut_then_resume(body: Vec<u8>, cut: usize, resume_with_206: bool) -> impl Fn(&common::raw::RawRequest, usize) -> Vec<Step> + Send + Sync {
    move |request, index| {
        let total = body.len();
        if index == 0 {
            let mut bytes = head(200, &[("content-type", "image/jpeg".into()), ("content-length", total.to_string())]);
            bytes.extend_from_slice(&body[..cut]);
            return vec![Step::Write(bytes), Step::Close];
        }
        let asked = request.header("range").and_then(|r| r.strip_prefix("bytes=")).and_then(|r| r.strip_suffix('-')).and_then(|n| n.parse::<usize>().ok());
        match asked {
            Some(start) if resume_with_206 => {
                let mut bytes = head(206, &[("content-type", "image/jpeg".into()), ("content-length", (total - start).to_string()), ("content-range", format!("bytes {start}-{}/{total}", total - 1))]);
                bytes.extend_from_slice(&body[start..]);
                vec![Step::Write(bytes)]
            }
            _ => respond(200, &[("content-type", "image/jpeg")], &body),
        }
    }
}

#[tokio::test]
async fn a_cut_media_body_is_resumed_with_range_from_the_bytes_written() {
    let body = jpeg_bytes(300_000);
    let server = RawServer::start(cut_then_resume(body.clone(), 120_000, true)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.expect("resumed");
    assert_eq!(std::fs::read(&path).unwrap(), body);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("range"), None);
    assert_eq!(requests[1].header("range"), Some("bytes=120000-"));
    assert_eq!(files_in(dir.path()), ["photo.jpg"]);
}

#[tokio::test]
async fn a_server_answering_a_range_with_the_whole_body_restarts_the_file_from_zero() {
    let body = jpeg_bytes(300_000);
    let server = RawServer::start(cut_then_resume(body.clone(), 120_000, false)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.expect("restarted");
    assert_eq!(std::fs::read(&path).unwrap(), body);
    assert_eq!(server.requests()[1].header("range"), Some("bytes=120000-"));
}

#[tokio::test]
async fn a_resume_at_the_wrong_offset_is_not_spliced_in() {
    let body = jpeg_bytes(200_000);
    let served = body.clone();
    let server = RawServer::start(move |request, index| match index {
        0 => {
            let mut bytes = head(200, &[("content-type", "image/jpeg".into()), ("content-length", served.len().to_string())]);
            bytes.extend_from_slice(&served[..50_000]);
            vec![Step::Write(bytes), Step::Close]
        }
        1 => {
            assert_eq!(request.header("range"), Some("bytes=50000-"));
            let mut bytes = head(206, &[("content-length", "1000".into()), ("content-range", "bytes 0-999/200000".into())]);
            bytes.extend_from_slice(&served[..1000]);
            vec![Step::Write(bytes)]
        }
        _ => respond(200, &[("content-type", "image/jpeg")], &served),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.expect("started again");
    assert_eq!(std::fs::read(&path).unwrap(), body);
    assert_eq!(server.requests()[2].header("range"), None);
}

#[tokio::test]
async fn a_stalled_media_body_is_resumed_after_the_grace_window() {
    let body = jpeg_bytes(100_000);
    let served = body.clone();
    let server = RawServer::start(move |request, index| {
        if index == 0 {
            let mut bytes = head(200, &[("content-type", "image/jpeg".into()), ("content-length", served.len().to_string())]);
            bytes.extend_from_slice(&served[..40_000]);
            return vec![Step::Write(bytes), Step::Sleep(Duration::from_secs(30))];
        }
        assert_eq!(request.header("range"), Some("bytes=40000-"));
        let mut bytes = head(206, &[("content-length", "60000".into()), ("content-range", "bytes 40000-99999/100000".into())]);
        bytes.extend_from_slice(&served[40_000..]);
        vec![Step::Write(bytes)]
    })
    .await;
    let client = builder(&server).stall_timeout(Duration::from_millis(400)).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let path = client.download(&photo(&server), dir.path(), &Default::default()).await.expect("resumed after the stall");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(std::fs::read(&path).unwrap(), body);
}

// Defect 18: five attempts are five requests.

#[tokio::test]
async fn five_attempts_of_a_download_are_five_requests() {
    let body = jpeg_bytes(50_000);
    let server = RawServer::start(move |request, _| {
        let start = request.header("range").and_then(|r| r.strip_prefix("bytes=")).and_then(|r| r.strip_suffix('-')).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        // Each answer brings 1,000 more bytes, then the connection drops.
        let mut bytes = if start == 0 {
            head(200, &[("content-type", "image/jpeg".into()), ("content-length", body.len().to_string())])
        } else {
            head(206, &[("content-length", (body.len() - start).to_string()), ("content-range", format!("bytes {start}-{}/{}", body.len() - 1, body.len()))])
        };
        bytes.extend_from_slice(&body[start..start + 1000]);
        vec![Step::Write(bytes), Step::Close]
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let error = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.unwrap_err();
    assert!(error.is_transport(), "{error:?}");
    assert_eq!(server.count(), 5);
    assert!(files_in(dir.path()).is_empty(), "{:?}", files_in(dir.path()));
}

// Defect 6: echoed tokens are redacted everywhere.

#[tokio::test]
async fn a_token_echoed_in_an_error_body_is_redacted_from_every_text_of_the_error() {
    let opaque = "opaque-credential-4242";
    let server = RawServer::start(|request, _| {
        let echoed = request.header("authorization").unwrap_or_default().to_string();
        let raw = echoed.trim_start_matches("Bearer ").to_string();
        let envelope = serde_json::json!({"error": {"code": 400, "message": format!("bad header {echoed}; the token {raw} is not valid"), "status": "INVALID_ARGUMENT",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X", "metadata": {"echo": echoed}}]}});
        let mut steps = json(400, &envelope);
        if let Step::Write(bytes) = &mut steps[0] {
            *bytes = String::from_utf8(bytes.clone()).unwrap().replacen("\r\n", &format!("\r\nx-echo: {echoed}\r\n"), 1).into_bytes();
        }
        steps
    })
    .await;
    for token in [TOKEN, opaque] {
        let client = builder(&server).token(token).build().unwrap();
        let error = client.get_session("s1").await.unwrap_err();
        let texts = [error.to_string(), format!("{error:?}"), error.message(), serde_json::to_string(error.details()).unwrap(), format!("{:?}", error.headers())];
        for text in texts {
            assert!(!text.contains(TOKEN) && !text.contains(opaque) && !text.contains("secret-token"), "{text}");
        }
        assert!(error.to_string().contains("<redacted>"), "{error}");
    }
}

#[tokio::test]
async fn a_token_echoed_in_an_html_error_page_is_redacted() {
    let server = RawServer::start(|request, _| {
        let page = format!("<html><body>Your request with {} was refused</body></html>", request.header("authorization").unwrap_or_default());
        respond(403, &[("content-type", "text/html")], page)
    })
    .await;
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert_eq!(error.http_status(), Some(403));
    for text in [error.to_string(), format!("{error:?}"), error.message()] {
        assert!(!text.contains("secret-token"), "{text}");
    }
}

// Defect 12: a malformed envelope keeps the status.

#[tokio::test]
async fn a_malformed_error_envelope_keeps_its_status_and_a_5xx_stays_retryable() {
    let server = RawServer::start(|_, index| match index {
        0 | 1 => json(503, &serde_json::json!({"error": {"code": "x", "message": 7, "details": [[1, 2], "s"]}})),
        _ => json(200, &session_json("s1")),
    })
    .await;
    client_for(&server).get_session("s1").await.expect("retried as a 503");
    assert_eq!(server.count(), 3);
    let server2 = RawServer::start(|_, _| json(500, &serde_json::json!({"error": {"code": "x", "status": ["INTERNAL"], "details": [[]]}}))).await;
    let once2 = builder(&server2).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let error = once2.get_session("s1").await.unwrap_err();
    assert_eq!(error.http_status(), Some(500));
    assert!(error.is_retryable() && error.is_internal(), "{error:?}");
}

// Defect 13: redirects are refused, naming the host only.

#[tokio::test]
async fn a_redirect_is_refused_naming_only_its_host() {
    let server = RawServer::start(|_, _| respond(302, &[("location", "https://user:pw@evil.example.com/steal?token=abc#frag")], "")).await;
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert!(error.is_redirect() && !error.is_retryable(), "{error:?}");
    assert_eq!(error.redirect_host(), Some("evil.example.com"));
    assert_eq!(error.http_status(), Some(302));
    let text = format!("{error} {error:?}");
    assert!(text.contains("redirect") && text.contains("evil.example.com"), "{text}");
    assert!(!text.contains("steal") && !text.contains("token=abc") && !text.contains("pw"), "{text}");
    assert!(!text.contains("INTERNAL"), "{text}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_redirect_loop_is_one_request() {
    let server = RawServer::start(|request, _| respond(301, &[("location", request.target.as_str())], "")).await;
    let error = client_for(&server).get_session("s1").await.unwrap_err();
    assert_eq!(error.redirect_host(), Some("127.0.0.1"));
    assert_eq!(server.count(), 1);
}

// Defect 15: a page instead of a photo is refused, nothing kept.

#[tokio::test]
async fn an_html_page_answered_for_a_photo_is_refused_and_nothing_is_kept() {
    let server = RawServer::start(|_, _| respond(200, &[("content-type", "text/html; charset=utf-8")], "<html><body>Sign in to the Wi-Fi</body></html>")).await;
    let dir = tempfile::tempdir().unwrap();
    let error = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.unwrap_err();
    assert!(error.is_unexpected_content() && !error.is_retryable(), "{error:?}");
    assert!(files_in(dir.path()).is_empty(), "{:?}", files_in(dir.path()));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_html_page_labelled_as_a_jpeg_is_refused_by_its_first_bytes() {
    let server = RawServer::start(|_, _| respond(200, &[("content-type", "image/jpeg")], "\n\n<!DOCTYPE html><html>portal</html>")).await;
    let dir = tempfile::tempdir().unwrap();
    let error = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.unwrap_err();
    assert!(error.is_unexpected_content(), "{error:?}");
    assert!(files_in(dir.path()).is_empty());
}

// Defect 19: auth errors are said once; an origin refusal is not an auth error.

#[tokio::test]
async fn a_failing_token_provider_is_reported_once() {
    let server = RawServer::start(|_, _| json(200, &session_json("s1"))).await;
    let provider = photospicker::FnTokenProvider::new(|_| async { Err(photospicker::Error::from_token_source("the refresh token was revoked")) });
    let client = Client::builder().endpoint(&server.url).token_provider(provider).build().unwrap();
    let error = client.get_session("s1").await.unwrap_err();
    assert!(error.is_auth(), "{error:?}");
    assert_eq!(error.to_string(), "no access token: the refresh token was revoked");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_media_url_on_a_foreign_origin_is_refused_as_such_not_as_a_missing_token() {
    let server = RawServer::start(|_, _| respond(200, &[], "x")).await;
    let other = RawServer::start(|_, _| respond(200, &[], "x")).await;
    let error = client_for(&server).download(&photo(&other), tempfile::tempdir().unwrap().path(), &Default::default()).await.unwrap_err();
    assert!(error.is_validation() && !error.is_auth(), "{error:?}");
    assert!(error.to_string().contains("refusing to send the access token"), "{error}");
    assert!(!error.to_string().contains("no access token"), "{error}");
    assert_eq!(other.count(), 0);
}

#[tokio::test]
async fn a_resume_of_another_length_is_not_spliced_in_and_if_range_names_the_first_answer() {
    let body = jpeg_bytes(200_000);
    let served = body.clone();
    let server = RawServer::start(move |request, index| match index {
        0 => {
            let headers = [("content-type", "image/jpeg".into()), ("content-length", served.len().to_string()), ("etag", "\"v1\"".into())];
            let mut bytes = head(200, &headers);
            bytes.extend_from_slice(&served[..100_000]);
            vec![Step::Write(bytes), Step::Close]
        }
        1 => {
            assert_eq!(request.header("if-range"), Some("\"v1\""), "the resume names the representation it continues");
            // The right offset, but of a 200,005-byte file: not the same whole.
            let mut bytes = head(206, &[("content-length", "100005".into()), ("content-range", "bytes 100000-200004/200005".into())]);
            bytes.extend(std::iter::repeat_n(0u8, 100_005));
            vec![Step::Write(bytes)]
        }
        _ => respond(200, &[("content-type", "image/jpeg")], &served),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = client_for(&server).download(&photo(&server), dir.path(), &Default::default()).await.expect("started again");
    assert_eq!(std::fs::read(&path).unwrap(), body, "never a file spliced from two representations");
    assert_eq!(server.requests()[2].header("range"), None);
}

#[tokio::test]
async fn a_token_echoed_into_a_decode_error_or_a_detail_key_is_redacted() {
    const PLAIN: &str = "plainsecret-0123456789abcdef";
    let server = RawServer::start(|request, _| {
        if request.path().starts_with("/v1/sessions/") {
            json(200, &serde_json::json!({"id": PLAIN, "pickerUri": "https://photos.google.com/picker/x"}))
        } else {
            let detail = serde_json::json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X", "metadata": {PLAIN: "v"}});
            json(400, &serde_json::json!({"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "m", "details": [detail]}}))
        }
    })
    .await;
    let client = server.client_builder(PLAIN).build().unwrap();
    let decode = client.get_session("s1").await.unwrap_err();
    let api = client.list_media_items_page("s1", None, None).await.unwrap_err();
    for error in [decode, api] {
        let texts = [error.to_string(), format!("{error:?}"), serde_json::to_string(error.details()).unwrap()];
        for text in texts {
            assert!(!text.contains(PLAIN), "the token survives in {text}");
        }
    }
}

#[tokio::test]
async fn a_retry_delay_beyond_what_a_duration_holds_ends_the_call_at_once() {
    for delay in ["99999999999999999999s", "1e308s", "315576000001s"] {
        let server = RawServer::start(move |_, _| {
            let detail = serde_json::json!({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay});
            json(503, &serde_json::json!({"error": {"code": 503, "status": "UNAVAILABLE", "message": "busy", "details": [detail]}}))
        })
        .await;
        let error = client_for(&server).get_session("s1").await.unwrap_err();
        assert_eq!(server.count(), 1, "{delay}: not retried");
        assert_eq!(error.retry_delay(), Some(Duration::MAX), "{delay}");
    }
}
