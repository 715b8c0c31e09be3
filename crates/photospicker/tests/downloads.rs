//! Downloads: bytes and sizes checked by decoding them, atomicity under a
//! connection cut mid-body, expired baseUrl refresh, hostile file names, and
//! the token never leaving for a foreign host.

mod common;

use common::{client_for, fast_retries, start, start_with, Ctx};
use photospicker::{DownloadAllOptions, DownloadEvent, DownloadOptions, MediaType, PickedMediaItem, RetryPolicy, VideoProcessingStatus};
use photospicker_emulator::{Config, Emulator, FaultKind, FaultRule, NewUser};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn picked(ctx: &Ctx, count: usize) -> Vec<PickedMediaItem> {
    let id = ctx.picked_session(count).await;
    ctx.client.list_all_media_items(&id).await.unwrap()
}

fn photo(items: &[PickedMediaItem]) -> &PickedMediaItem {
    items.iter().find(|i| i.media_type == MediaType::Photo && i.media_file.mime_type == "image/jpeg").expect("a JPEG photo")
}

fn ready_video(items: &[PickedMediaItem]) -> &PickedMediaItem {
    items.iter().find(|i| i.media_type == MediaType::Video && !i.video_not_ready()).expect("a ready video")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn dimensions(path: &Path) -> (u32, u32) {
    image::ImageReader::open(path).unwrap().with_guessed_format().unwrap().into_dimensions().unwrap()
}

fn reset_after(bytes: usize, times: Option<u32>) -> FaultRule {
    FaultRule { route: "media".into(), kind: FaultKind::Reset, status: None, retry_after: None, latency_ms: None, after_bytes: Some(bytes), bytes_per_second: None, times, probability: None, skip: 0 }
}

#[tokio::test]
async fn photos_download_at_each_size_option() {
    let ctx = start().await;
    let items = picked(&ctx, 10).await;
    let item = photo(&items);
    let meta = &item.media_file.metadata;
    let dir = tempfile::tempdir().unwrap();
    let original = ctx.client.download(item, dir.path(), &DownloadOptions::default()).await.unwrap();
    assert_eq!(original.file_name().unwrap().to_string_lossy(), item.media_file.filename);
    let (w, h) = dimensions(&original);
    let (ow, oh) = (meta.width.unwrap() as f64, meta.height.unwrap() as f64);
    assert!(((w as f64 / h as f64) - ow / oh).abs() < 0.02, "the original's aspect ratio");
    let cases = [
        (DownloadOptions { width: Some(200), height: None, crop: false, ..Default::default() }, Box::new(|w: u32, _h: u32| w == 200) as Box<dyn Fn(u32, u32) -> bool>),
        (DownloadOptions { width: None, height: Some(120), crop: false, ..Default::default() }, Box::new(|_w, h| h == 120)),
        (DownloadOptions { width: Some(300), height: Some(300), crop: false, ..Default::default() }, Box::new(|w, h| w.max(h) == 300 && w != h)),
        (DownloadOptions { width: Some(128), height: Some(64), crop: true, ..Default::default() }, Box::new(|w, h| (w, h) == (128, 64))),
    ];
    for (options, fits) in cases {
        let path = dir.path().join("sized.jpg");
        let written = ctx.client.download_to(item, &path, &options).await.unwrap();
        assert_eq!(written, std::fs::metadata(&path).unwrap().len());
        let (w, h) = dimensions(&path);
        assert!(fits(w, h), "{options:?} gave {w}x{h}");
    }
    assert_eq!(files_in(dir.path()), [item.media_file.filename.clone(), "sized.jpg".into()]);
}

#[tokio::test]
async fn videos_download_their_bytes_or_a_still() {
    let config = Config { video_bytes: 300_000, ..Config::default() };
    let ctx = start_with(config, NewUser { library_size: Some(40), ..Default::default() }).await;
    let items = picked(&ctx, 40).await;
    let video = ready_video(&items);
    let dir = tempfile::tempdir().unwrap();
    let path = ctx.client.download(video, dir.path(), &DownloadOptions::default()).await.unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len(), 300_000);
    assert_eq!(&bytes[4..8], b"ftyp");
    let still = ctx.client.download(video, dir.path(), &DownloadOptions { width: Some(64), height: None, crop: false, ..Default::default() }).await.unwrap();
    assert!(still.extension().unwrap() == "jpg" && dimensions(&still).0 == 64);
}

#[tokio::test]
async fn videos_that_are_not_ready_are_refused_before_sending() {
    let ctx = start().await;
    let items = picked(&ctx, 40).await;
    let pending = items.iter().find(|i| i.video_not_ready()).expect("a processing or failed video");
    let status = &pending.media_file.metadata.video.as_ref().unwrap().processing_status;
    assert_ne!(*status, VideoProcessingStatus::Ready);
    ctx.emulator.clear_requests();
    let error = ctx.client.download(pending, tempfile::tempdir().unwrap().path(), &DownloadOptions::default()).await.unwrap_err();
    assert!(error.is_video_not_ready(), "{error:?}");
    assert!(error.to_string().contains(status.as_str()));
    assert_eq!(ctx.count("media"), 0);
}

#[tokio::test]
async fn a_reset_mid_body_is_retried_and_leaves_no_partial_file() {
    let ctx = start().await;
    let items = picked(&ctx, 10).await;
    let item = photo(&items);
    let dir = tempfile::tempdir().unwrap();
    ctx.emulator.inject_faults(vec![reset_after(1000, Some(1))]).unwrap();
    let path = ctx.client.download(item, dir.path(), &DownloadOptions::default()).await.unwrap();
    dimensions(&path);
    assert_eq!(ctx.count("media"), 2);
    assert_eq!(files_in(dir.path()).len(), 1);

    let once = client_for(&ctx.emulator, &ctx.token, RetryPolicy::disabled());
    let empty = tempfile::tempdir().unwrap();
    ctx.emulator.inject_faults(vec![reset_after(1000, None)]).unwrap();
    let error = once.download(item, empty.path(), &DownloadOptions::default()).await.unwrap_err();
    assert!(error.is_transport() || error.is_decode(), "{error:?}");
    assert!(files_in(empty.path()).is_empty(), "no partial or temporary file is left");
    let existing = dir.path().join("keep.jpg");
    std::fs::write(&existing, b"old").unwrap();
    once.download_to(item, &existing, &DownloadOptions::default()).await.unwrap_err();
    assert_eq!(std::fs::read(&existing).unwrap(), b"old", "a failed download leaves the old file alone");
}

#[tokio::test]
async fn an_expired_base_url_is_refreshed_by_listing_again() {
    let config = Config { base_url_ttl: Duration::from_secs(60), ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items = picked(&ctx, 5).await;
    ctx.emulator.advance_clock(Duration::from_secs(61));
    ctx.emulator.clear_requests();
    let dir = tempfile::tempdir().unwrap();
    let path = ctx.client.download(photo(&items), dir.path(), &DownloadOptions::default()).await.unwrap();
    dimensions(&path);
    let statuses: Vec<u16> = ctx.emulator.requests(Some("media")).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [403, 200]);
    assert_eq!(ctx.count("mediaItems.list"), 1);
}

#[tokio::test]
async fn downloads_refreshing_expired_urls_with_a_single_request_slot_finish_instead_of_waiting_on_each_other() {
    let config = Config { base_url_ttl: Duration::from_secs(60), ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items: Vec<PickedMediaItem> = picked(&ctx, 8).await.into_iter().filter(|i| !i.video_not_ready()).collect();
    ctx.emulator.advance_clock(Duration::from_secs(61));
    let client = photospicker::Client::builder()
        .endpoint(ctx.emulator.picker_url())
        .library_endpoint(ctx.emulator.library_url())
        .token(ctx.token.as_str())
        .retry_policy(fast_retries())
        .max_concurrent_requests(1)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = DownloadAllOptions { concurrency: 4, ..Default::default() };
    let outcomes = tokio::time::timeout(Duration::from_secs(60), client.download_all(&items, dir.path(), &options)).await.expect("the downloads finish");
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    assert_eq!(files_in(dir.path()).len(), items.len());
}

#[tokio::test]
async fn without_a_session_a_base_url_is_refreshed_by_batch_get_or_the_error_is_clear() {
    let config = Config { base_url_ttl: Duration::from_secs(60), ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items = picked(&ctx, 10).await;
    let library = ctx.emulator.library(&ctx.token).unwrap();
    let app_created = |item: &PickedMediaItem| library.iter().any(|l| l["id"] == item.id.as_str() && l["appCreated"] == true);
    let photos: Vec<&PickedMediaItem> = items.iter().filter(|i| i.media_type == MediaType::Photo).collect();
    let mut own = (*photos.iter().find(|i| app_created(i)).unwrap()).clone();
    let mut foreign = (*photos.iter().find(|i| !app_created(i)).unwrap()).clone();
    own.session_id = None;
    foreign.session_id = None;
    ctx.emulator.advance_clock(Duration::from_secs(61));
    ctx.client.download(&own, tempfile::tempdir().unwrap().path(), &DownloadOptions::default()).await.expect("refreshed through batchGet");
    assert_eq!(ctx.count("mediaItems.batchGet"), 1);
    let item = foreign;
    ctx.emulator.advance_clock(Duration::from_secs(61));
    let error = ctx.client.download(&item, tempfile::tempdir().unwrap().path(), &DownloadOptions::default()).await.unwrap_err();
    assert_eq!(error.http_status(), Some(403));
    assert!(error.message().contains("expired"), "the HTML page's text is kept: {error}");
}

#[tokio::test]
async fn hostile_file_names_stay_in_the_target_directory() {
    let ctx = start().await;
    let template = photo(&picked(&ctx, 10).await).clone();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("photos");
    std::fs::create_dir(&dir).unwrap();
    let hostile = ["../../escape.jpg", "/etc/passwd", "..", "..\\..\\win.jpg", "", ".bashrc", "a\u{0}b.jpg"];
    let items: Vec<PickedMediaItem> = hostile
        .iter()
        .map(|name| {
            let mut item = template.clone();
            item.media_file.filename = name.to_string();
            item
        })
        .collect();
    let paths: Vec<_> = ctx.client.download_all(&items, &dir, &DownloadAllOptions::default()).await.into_iter().map(Result::unwrap).collect();
    for path in &paths {
        assert_eq!(path.parent().unwrap(), dir, "{path:?}");
    }
    assert_eq!(files_in(root.path()), ["photos"]);
    assert_eq!(files_in(&dir).len(), hostile.len());
    assert!(files_in(&dir).iter().all(|n| !n.starts_with('.')));
}

#[tokio::test]
async fn download_all_reports_progress_and_numbers_duplicate_names() {
    let config = Config { video_bytes: 1_000_000, ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let items: Vec<PickedMediaItem> = picked(&ctx, 12).await.into_iter().filter(|i| !i.video_not_ready()).collect();
    let mut twice = items.clone();
    twice.push(items[0].clone());
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let options = DownloadAllOptions { concurrency: 3, on_progress: Some(Arc::new(move |e| sink.lock().unwrap().push(e))), ..Default::default() };
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = ctx.client.download_all(&twice, dir.path(), &options).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(files_in(dir.path()).len(), twice.len());
    assert!(paths.last().unwrap().to_string_lossy().contains(" (2)"));
    let events = events.lock().unwrap();
    let finished = events.iter().filter(|e| matches!(e, DownloadEvent::Finished { .. })).count();
    assert_eq!(finished, twice.len());
    assert!(events.iter().any(|e| matches!(e, DownloadEvent::Progress { bytes, total: Some(1_000_000), .. } if *bytes < 1_000_000)));
}

#[tokio::test]
async fn download_all_returns_results_in_the_items_order_when_a_slow_first_item_finishes_last() {
    let config = Config { video_bytes: 8_000_000, ..Config::default() };
    let ctx = start_with(config, NewUser::default()).await;
    let mut items: Vec<PickedMediaItem> = picked(&ctx, 12).await.into_iter().filter(|i| !i.video_not_ready()).collect();
    // The big video first: the photos behind it finish before it does.
    items.sort_by_key(|item| item.media_file.mime_type.starts_with("image/"));
    assert!(items[0].media_file.mime_type.starts_with("video/") && items.last().unwrap().media_file.mime_type.starts_with("image/"), "{items:?}");
    let dir = tempfile::tempdir().unwrap();
    let options = DownloadAllOptions { concurrency: 4, ..Default::default() };
    let paths: Vec<_> = ctx.client.download_all(&items, dir.path(), &options).await.into_iter().map(Result::unwrap).collect();
    for (item, path) in items.iter().zip(&paths) {
        let stem = Path::new(&item.media_file.filename).file_stem().unwrap().to_string_lossy().into_owned();
        assert!(path.file_name().unwrap().to_string_lossy().starts_with(&stem), "{path:?} is not {}", item.media_file.filename);
    }
}

#[tokio::test]
async fn the_token_is_not_sent_to_a_foreign_host() {
    let ctx = start().await;
    let foreign = Emulator::start(Config::default()).await.unwrap();
    let mut item = photo(&picked(&ctx, 5).await).clone();
    let path = item.media_file.base_url.split_once("/media/").unwrap().1.to_string();
    let dir = tempfile::tempdir().unwrap();
    for host in [format!("{}/media/{path}", foreign.picker_url()), format!("https://evil.example.com/media/{path}"), format!("http://lh3.googleusercontent.com/{path}")] {
        item.media_file.base_url = host;
        let error = ctx.client.download(&item, dir.path(), &DownloadOptions::default()).await.unwrap_err();
        assert!(error.is_validation() && error.to_string().contains("refusing to send the access token"), "{error:?}");
    }
    assert!(foreign.requests(None).is_empty());
    assert!(files_in(dir.path()).is_empty());
    let _ = fast_retries();
}

/// Compiles only if the public futures can be spawned on a multi-threaded runtime.
#[allow(dead_code)]
fn public_futures_are_send(client: photospicker::Client, items: Vec<PickedMediaItem>) {
    fn send<T: Send + 'static>(_: T) {}
    send(async move {
        let _ = client.download_all(&items, Path::new("x"), &DownloadAllOptions::default()).await;
        let _ = client.download(&items[0], Path::new("x"), &DownloadOptions::default()).await;
        let _ = client.batch_get_media_items(&["a"]).await;
        let _ = client.pick(Default::default(), |_| {}).await;
        let _ = client.wait_until_picked("s", Default::default()).await;
    });
}

#[tokio::test]
async fn missing_target_directories_are_created() {
    let ctx = start().await;
    let item = photo(&picked(&ctx, 5).await).clone();
    let root = tempfile::tempdir().unwrap();
    let path = ctx.client.download(&item, &root.path().join("a/b"), &DownloadOptions::default()).await.unwrap();
    assert!(path.starts_with(root.path().join("a/b")));
    ctx.client.download_to(&item, &root.path().join("c/d/photo.jpg"), &DownloadOptions::default()).await.unwrap();
    let blocker = root.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let error = ctx.client.download(&item, &blocker.join("sub"), &DownloadOptions::default()).await.unwrap_err();
    assert!(error.is_io(), "{error:?}");
}
