//! The Rust client against raw reqwest doing the same work, for `bench/run.py`
//! (which starts the emulator and passes its URLs). Prints one JSON line;
//! asserts nothing. Modes:
//!
//! - `p1 PICKER_URL TOKEN SESSION_ID CALLS ROUNDS`: `get_session` vs a raw GET +
//!   `serde_json::Value` parse, both on a warm connection, rounds interleaved;
//!   prints the per-round median of each (seconds).
//! - `p4-client PICKER_URL LIBRARY_URL TOKEN SESSION_ID DIR CONCURRENCY`: lists the
//!   picked items, then times `download_all` into DIR.
//! - `p4-raw TOKEN URL_FILE DIR CONCURRENCY`: streams every URL (one a line) to a
//!   file with reqwest and fsyncs it, CONCURRENCY at a time.
//!
//! `cargo bench -p photospicker --bench versus_reqwest -- p1 ...`

use futures_util::StreamExt;
use photospicker::{Client, DownloadAllOptions, RetryPolicy};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64()
}

async fn median_of<F, Fut>(calls: usize, mut call: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    call().await; // warm the connection
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        call().await;
        samples.push(started.elapsed());
    }
    median(samples)
}

fn client(picker_url: &str, library_url: Option<&str>, token: &str) -> Client {
    let builder = Client::builder().endpoint(picker_url).token(token).retry_policy(RetryPolicy::default());
    let builder = match library_url {
        Some(url) => builder.library_endpoint(url),
        None => builder,
    };
    builder.build().expect("a client")
}

async fn p1(picker_url: &str, token: &str, session_id: &str, calls: usize, rounds: usize) -> String {
    let ours = client(picker_url, None, token);
    let raw = reqwest::Client::new();
    let url = format!("{picker_url}/v1/sessions/{session_id}");
    let through_client = || async {
        ours.get_session(session_id).await.expect("get_session");
    };
    let through_raw = || async {
        let _: serde_json::Value = raw.get(&url).bearer_auth(token).send().await.expect("GET").json().await.expect("JSON");
    };
    through_client().await; // warm both connections
    through_raw().await;
    let (mut client_medians, mut raw_medians) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        // Calls alternate one by one (and which goes first alternates too), so
        // that both see the same state of the machine: an idle VM's wake-up
        // costs drift by tens of microseconds between seconds.
        let (mut client_samples, mut raw_samples) = (Vec::with_capacity(calls), Vec::with_capacity(calls));
        for call in 0..calls {
            let timed_client = async {
                let started = Instant::now();
                through_client().await;
                client_samples.push(started.elapsed());
            };
            let timed_raw = async {
                let started = Instant::now();
                through_raw().await;
                raw_samples.push(started.elapsed());
            };
            if call % 2 == 0 {
                timed_client.await;
                timed_raw.await;
            } else {
                timed_raw.await;
                timed_client.await;
            }
        }
        client_medians.push(median(client_samples));
        raw_medians.push(median(raw_samples));
    }
    format!(r#"{{"client": {client_medians:?}, "raw": {raw_medians:?}}}"#)
}

/// One contender alone, for a profiler: `p1-one client|raw URL TOKEN SESSION_ID CALLS`.
async fn p1_one(which: &str, picker_url: &str, token: &str, session_id: &str, calls: usize) -> String {
    let ours = client(picker_url, None, token);
    let raw = reqwest::Client::new();
    let url = format!("{picker_url}/v1/sessions/{session_id}");
    let seconds = match which {
        "client" => median_of(calls, || async { ours.get_session(session_id).await.expect("get_session"); }).await,
        "raw" => median_of(calls, || async {
            let _: serde_json::Value = raw.get(&url).bearer_auth(token).send().await.expect("GET").json().await.expect("JSON");
        }).await,
        other => panic!("p1-one: client or raw, not {other}"),
    };
    format!(r#"{{"{which}": {seconds}}}"#)
}

async fn p4_client(picker_url: &str, library_url: &str, token: &str, session_id: &str, dir: &Path, concurrency: usize) -> String {
    let ours = client(picker_url, Some(library_url), token);
    let items = ours.list_all_media_items(session_id).await.expect("listing");
    let files = items.len();
    let started = Instant::now();
    let outcomes = ours.download_all(&items, dir, &DownloadAllOptions { concurrency, ..Default::default() }).await;
    let seconds = started.elapsed().as_secs_f64();
    let mut bytes = 0u64;
    for outcome in outcomes {
        bytes += std::fs::metadata(outcome.expect("a download")).expect("the file").len();
    }
    format!(r#"{{"seconds": {seconds}, "bytes": {bytes}, "files": {}}}"#, files)
}

async fn fetch_and_fsync(raw: &reqwest::Client, token: &str, url: &str, target: PathBuf) -> u64 {
    let mut response = raw.get(url).bearer_auth(token).send().await.expect("GET").error_for_status().expect("200");
    let mut file = tokio::fs::File::create(&target).await.expect("create");
    let mut written = 0u64;
    while let Some(chunk) = response.chunk().await.expect("a chunk") {
        file.write_all(&chunk).await.expect("write");
        written += chunk.len() as u64;
    }
    file.sync_all().await.expect("fsync");
    written
}

async fn p4_raw(token: &str, url_file: &Path, dir: &Path, concurrency: usize) -> String {
    let urls: Vec<String> = std::fs::read_to_string(url_file).expect("the URL file").lines().map(str::to_owned).collect();
    let raw = reqwest::Client::new();
    let started = Instant::now();
    let bytes: u64 = futures_util::stream::iter(urls.iter().enumerate())
        .map(|(i, url)| fetch_and_fsync(&raw, token, url, dir.join(format!("{i}.mp4"))))
        .buffer_unordered(concurrency)
        .fold(0u64, |total, n| async move { total + n })
        .await;
    let seconds = started.elapsed().as_secs_f64();
    format!(r#"{{"seconds": {seconds}, "bytes": {bytes}, "files": {}}}"#, urls.len())
}

#[tokio::main]
async fn main() {
    // cargo bench appends `--bench`; it is not ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_else(|| panic!("missing argument {i}; see the module docs"));
    let number = |i: usize| arg(i).parse::<usize>().expect("a number");
    let line = match arg(0) {
        "p1" => p1(arg(1), arg(2), arg(3), number(4), number(5)).await,
        "p1-one" => p1_one(arg(1), arg(2), arg(3), arg(4), number(5)).await,
        "p4-client" => p4_client(arg(1), arg(2), arg(3), arg(4), Path::new(arg(5)), number(6)).await,
        "p4-raw" => p4_raw(arg(1), Path::new(arg(2)), Path::new(arg(3)), number(4)).await,
        other => panic!("unknown mode {other}; see the module docs"),
    };
    println!("{line}");
}
