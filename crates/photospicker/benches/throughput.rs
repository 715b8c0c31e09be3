//! Measures the client against a baseline in the same run: a plain reqwest
//! call doing the same work without the layer (no retries, no temp file,
//! no fsync, no typed decoding). Reports ratios; asserts nothing.
//!
//! `cargo bench -p photospicker --bench throughput`

use photospicker::{Client, DownloadOptions, MediaType, RetryPolicy};
use photospicker_emulator::{Config, Emulator, PickRequest};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

const VIDEO_BYTES: usize = 64 * 1024 * 1024;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn time<F, Fut>(rounds: usize, mut run: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    run().await; // warm-up
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        run().await;
        samples.push(started.elapsed());
    }
    median(samples)
}

#[tokio::main]
async fn main() {
    let emulator = Emulator::start(Config { video_bytes: VIDEO_BYTES, video_ratio: 0.5, ..Config::default() }).await.unwrap();
    let token = emulator.add_user(Default::default()).unwrap().token;
    let client = Client::builder().endpoint(emulator.picker_url()).library_endpoint(emulator.library_url()).token(token.as_str()).retry_policy(RetryPolicy::default()).build().unwrap();
    let session = client.create_session(Default::default()).await.unwrap();
    emulator.pick(&session.id, PickRequest { count: Some(20), ..Default::default() }).unwrap();
    let items = client.list_all_media_items(&session.id).await.unwrap();
    let video = items.iter().find(|i| i.media_type == MediaType::Video && !i.video_not_ready()).expect("a ready video").clone();
    let dir = tempfile::tempdir().unwrap();
    let raw = reqwest::Client::new();

    // 1. Downloading 64 MiB to disk.
    let target = dir.path().join("client.mp4");
    let through_client = time(7, || async {
        client.download_to(&video, &target, &DownloadOptions::default()).await.unwrap();
    })
    .await;
    let url = format!("{}=dv", video.media_file.base_url);
    let baseline_target = dir.path().join("baseline.mp4");
    let baseline = time(7, || async {
        let mut response = raw.get(&url).bearer_auth(&token).send().await.unwrap();
        let mut file = tokio::fs::File::create(&baseline_target).await.unwrap();
        while let Some(chunk) = response.chunk().await.unwrap() {
            file.write_all(&chunk).await.unwrap();
        }
        file.flush().await.unwrap();
    })
    .await;
    // The same with an fsync at the end, which the client does for durability.
    let baseline_synced = time(7, || async {
        let mut response = raw.get(&url).bearer_auth(&token).send().await.unwrap();
        let mut file = tokio::fs::File::create(&baseline_target).await.unwrap();
        while let Some(chunk) = response.chunk().await.unwrap() {
            file.write_all(&chunk).await.unwrap();
        }
        file.sync_all().await.unwrap();
    })
    .await;
    let mib = VIDEO_BYTES as f64 / (1024.0 * 1024.0);
    println!(
        "download 64 MiB: client {:.0} MiB/s, baseline {:.0} MiB/s, client/baseline time ratio {:.2}",
        mib / through_client.as_secs_f64(),
        mib / baseline.as_secs_f64(),
        through_client.as_secs_f64() / baseline.as_secs_f64()
    );

    println!(
        "download 64 MiB: baseline with fsync {:.0} MiB/s, client/baseline-with-fsync time ratio {:.2}",
        mib / baseline_synced.as_secs_f64(),
        through_client.as_secs_f64() / baseline_synced.as_secs_f64()
    );

    // 2. One sessions.get: typed client vs a raw GET decoded to serde_json::Value.
    let get_client = time(200, || async {
        client.get_session(&session.id).await.unwrap();
    })
    .await;
    let get_url = format!("{}/v1/sessions/{}", emulator.picker_url(), session.id);
    let get_baseline = time(200, || async {
        let _: serde_json::Value = raw.get(&get_url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    })
    .await;
    println!(
        "sessions.get: client {:.0} µs, baseline {:.0} µs, ratio {:.2}",
        get_client.as_secs_f64() * 1e6,
        get_baseline.as_secs_f64() * 1e6,
        get_client.as_secs_f64() / get_baseline.as_secs_f64()
    );
}
