//! Download file safety against a hostile world: no file is ever replaced
//! unless the caller asked (numbering across calls and batches, a user's own
//! files, symlinks, directories, case), an expired baseUrl costs one listing
//! per session per batch with a page cap, and a batch reports every item.

mod common;

use common::raw::{json, respond, RawServer};
use common::{start_with, Ctx};
use photospicker::{Client, DownloadAllOptions, DownloadOptions, PickedMediaItem, MAX_REFRESH_PAGES};
use photospicker_emulator::{Config, NewUser};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

async fn ctx(library_size: usize) -> Ctx {
    start_with(Config { poll_interval: Duration::from_millis(20), ..Config::default() }, NewUser { library_size: Some(library_size), ..Default::default() }).await
}

/// Ready items (photos and ready videos) of a session picking the first `count` of the library.
async fn picked(ctx: &Ctx, count: usize) -> Vec<PickedMediaItem> {
    let id = ctx.picked_session(count).await;
    ctx.client.list_all_media_items(&id).await.unwrap().into_iter().filter(|i| !i.video_not_ready()).collect()
}

fn named(item: &PickedMediaItem, name: &str) -> PickedMediaItem {
    let mut item = item.clone();
    item.media_file.filename = name.to_string();
    item
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The bytes the server gives for `item`, fetched into a directory of their own.
async fn bytes_of(client: &Client, item: &PickedMediaItem) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = client.download(item, dir.path(), &DownloadOptions::default()).await.unwrap();
    std::fs::read(path).unwrap()
}

fn no_temp_files(dir: &Path) -> bool {
    files_in(dir).iter().all(|n| !n.ends_with(".part"))
}

#[tokio::test]
async fn two_download_calls_for_same_named_items_keep_both_files() {
    let ctx = ctx(10).await;
    let items = picked(&ctx, 6).await;
    let (a, b) = (named(&items[0], "IMG_0001.jpg"), named(&items[1], "IMG_0001.jpg"));
    let dir = tempfile::tempdir().unwrap();
    let first = ctx.client.download(&a, dir.path(), &DownloadOptions::default()).await.unwrap();
    let second = ctx.client.download(&b, dir.path(), &DownloadOptions::default()).await.unwrap();
    assert_ne!(first, second);
    assert_eq!(files_in(dir.path()), ["IMG_0001 (2).jpg", "IMG_0001.jpg"]);
    assert_eq!(std::fs::read(&first).unwrap(), bytes_of(&ctx.client, &a).await);
    assert_eq!(std::fs::read(&second).unwrap(), bytes_of(&ctx.client, &b).await);
}

#[tokio::test]
async fn a_second_download_all_into_the_same_directory_keeps_the_first_batch() {
    let ctx = ctx(10).await;
    let items = picked(&ctx, 8).await;
    let dir = tempfile::tempdir().unwrap();
    let first: Vec<PathBuf> = ctx.client.download_all(&items, dir.path(), &DownloadAllOptions::default()).await.into_iter().map(Result::unwrap).collect();
    let before: Vec<Vec<u8>> = first.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let second: Vec<PathBuf> = ctx.client.download_all(&items, dir.path(), &DownloadAllOptions::default()).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(files_in(dir.path()).len(), 2 * items.len());
    assert!(second.iter().all(|p| !first.contains(p)), "{second:?}");
    for (path, bytes) in first.iter().zip(&before) {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{path:?} was replaced");
    }
}

#[tokio::test]
async fn a_users_own_file_with_the_same_name_is_never_replaced() {
    let ctx = ctx(10).await;
    let item = named(&picked(&ctx, 4).await[0], "IMG_0001.jpg");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("IMG_0001.jpg"), b"my own photo").unwrap();
    let single = ctx.client.download(&item, dir.path(), &DownloadOptions::default()).await.unwrap();
    let batch = ctx.client.download_all(std::slice::from_ref(&item), dir.path(), &DownloadAllOptions::default()).await.remove(0).unwrap();
    assert_eq!(std::fs::read(dir.path().join("IMG_0001.jpg")).unwrap(), b"my own photo");
    assert_eq!(single, dir.path().join("IMG_0001 (2).jpg"));
    assert_eq!(batch, dir.path().join("IMG_0001 (3).jpg"));
}

#[tokio::test]
async fn overwrite_true_replaces_an_existing_file_atomically() {
    let ctx = ctx(10).await;
    let item = named(&picked(&ctx, 4).await[0], "IMG_0001.jpg");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("IMG_0001.jpg"), b"old").unwrap();
    let options = DownloadOptions { overwrite: true, ..Default::default() };
    let path = ctx.client.download(&item, dir.path(), &options).await.unwrap();
    assert_eq!(path, dir.path().join("IMG_0001.jpg"));
    assert_eq!(std::fs::read(&path).unwrap(), bytes_of(&ctx.client, &item).await);
    let all = DownloadAllOptions { options, ..Default::default() };
    let twice = [item.clone(), item.clone()];
    let paths: Vec<PathBuf> = ctx.client.download_all(&twice, dir.path(), &all).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(paths, [dir.path().join("IMG_0001.jpg"), dir.path().join("IMG_0001 (2).jpg")], "items of one batch still never share a file");
    assert_eq!(files_in(dir.path()), ["IMG_0001 (2).jpg", "IMG_0001.jpg"]);
}

#[tokio::test]
async fn download_to_an_explicit_file_path_replaces_the_file_there() {
    let ctx = ctx(10).await;
    let item = picked(&ctx, 4).await[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chosen.jpg");
    std::fs::write(&path, b"old").unwrap();
    let bytes = ctx.client.download_to(&item, &path, &DownloadOptions::default()).await.unwrap();
    assert_eq!(std::fs::read(&path).unwrap().len() as u64, bytes);
    assert_eq!(files_in(dir.path()), ["chosen.jpg"]);
}

#[tokio::test]
async fn concurrent_download_calls_for_same_named_items_never_clobber_each_other() {
    let ctx = ctx(20).await;
    let items: Vec<PickedMediaItem> = picked(&ctx, 16).await.iter().take(10).map(|i| named(i, "same.jpg")).collect();
    assert_eq!(items.len(), 10);
    let dir = tempfile::tempdir().unwrap();
    let options = DownloadOptions::default();
    let calls = items.iter().map(|item| ctx.client.download(item, dir.path(), &options));
    let paths: Vec<PathBuf> = futures_util::future::join_all(calls).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(paths.iter().collect::<HashSet<_>>().len(), items.len());
    assert_eq!(files_in(dir.path()).len(), items.len());
    for (item, path) in items.iter().zip(&paths) {
        assert_eq!(std::fs::read(path).unwrap(), bytes_of(&ctx.client, item).await, "{path:?}");
    }
}

#[tokio::test]
async fn a_thousand_items_with_the_same_name_give_a_thousand_files() {
    let ctx = ctx(10).await;
    let item = named(&picked(&ctx, 4).await[0], "IMG_0001.jpg");
    let items = vec![item; 1000];
    let dir = tempfile::tempdir().unwrap();
    let options = DownloadAllOptions { concurrency: 16, ..Default::default() };
    let paths: Vec<PathBuf> = ctx.client.download_all(&items, dir.path(), &options).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(paths.iter().collect::<HashSet<_>>().len(), 1000);
    assert_eq!(files_in(dir.path()).len(), 1000);
    assert_eq!(paths[999], dir.path().join("IMG_0001 (1000).jpg"));
}

#[tokio::test]
async fn names_differing_only_by_case_are_all_kept() {
    let ctx = ctx(10).await;
    let items = picked(&ctx, 6).await;
    let cased = [named(&items[0], "photo.jpg"), named(&items[1], "PHOTO.JPG"), named(&items[2], "Photo.jpg")];
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = ctx.client.download_all(&cased, dir.path(), &DownloadAllOptions::default()).await.into_iter().map(Result::unwrap).collect();
    for item in &cased {
        paths.push(ctx.client.download(item, dir.path(), &DownloadOptions::default()).await.unwrap());
    }
    assert_eq!(files_in(dir.path()).len(), 6, "{:?}", files_in(dir.path()));
    let lowered: HashSet<String> = files_in(dir.path()).iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lowered.len(), 6, "names stay distinct on case-insensitive file systems too: {lowered:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_symlink_in_the_target_directory_is_never_written_through() {
    let ctx = ctx(10).await;
    let item = named(&picked(&ctx, 4).await[0], "IMG_0001.jpg");
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("IMG_0001.jpg")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("dangling"), dir.path().join("IMG_0001 (2).jpg")).unwrap();
    let path = ctx.client.download(&item, dir.path(), &DownloadOptions::default()).await.unwrap();
    let batch = ctx.client.download_all(std::slice::from_ref(&item), dir.path(), &DownloadAllOptions::default()).await.remove(0).unwrap();
    assert_eq!(path, dir.path().join("IMG_0001 (3).jpg"));
    assert_eq!(batch, dir.path().join("IMG_0001 (4).jpg"));
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert!(!outside.path().join("dangling").exists(), "nothing was created through a dangling link");
    assert!(std::fs::symlink_metadata(dir.path().join("IMG_0001.jpg")).unwrap().file_type().is_symlink());
}

#[tokio::test]
async fn a_directory_named_like_the_target_file_is_left_alone() {
    let ctx = ctx(10).await;
    let item = named(&picked(&ctx, 4).await[0], "IMG_0001.jpg");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("IMG_0001.jpg")).unwrap();
    let path = ctx.client.download(&item, dir.path(), &DownloadOptions::default()).await.unwrap();
    assert_eq!(path, dir.path().join("IMG_0001 (2).jpg"));
    assert!(dir.path().join("IMG_0001.jpg").is_dir());
    let overwrite = DownloadOptions { overwrite: true, ..Default::default() };
    let error = ctx.client.download(&item, dir.path(), &overwrite).await.unwrap_err();
    assert!(error.is_io(), "{error:?}");
    assert!(dir.path().join("IMG_0001.jpg").is_dir());
    assert!(no_temp_files(dir.path()), "{:?}", files_in(dir.path()));
}

#[cfg(unix)]
#[tokio::test]
async fn an_unwritable_target_directory_gives_a_typed_io_error_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = ctx(10).await;
    let items = picked(&ctx, 4).await;
    let root = tempfile::tempdir().unwrap();
    // A "directory" under a regular file cannot be written even by root.
    std::fs::write(root.path().join("a-file"), b"x").unwrap();
    let error = ctx.client.download(&items[0], &root.path().join("a-file/photos"), &DownloadOptions::default()).await.unwrap_err();
    assert!(error.is_io(), "{error:?}");
    // A read-only directory (binding unless running as root).
    let dir = root.path().join("read-only");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let binding = std::fs::write(dir.join("probe"), b"").is_err();
    let outcomes = ctx.client.download_all(&items, &dir, &DownloadAllOptions::default()).await;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    if binding {
        assert!(outcomes.iter().all(|o| o.as_ref().is_err_and(|e| e.is_io())), "{outcomes:?}");
        assert!(files_in(&dir).is_empty());
    }
    assert!(no_temp_files(&dir));
    assert_eq!(files_in(root.path()), ["a-file", "read-only"]);
}

#[tokio::test]
async fn expired_base_urls_of_a_batch_are_refreshed_with_one_listing_per_session() {
    // The emulator's clock moves with real time too: a TTL of minutes outlasts a slow machine.
    let config = Config { base_url_ttl: Duration::from_secs(600), video_bytes: 2048, ..Config::default() };
    let ctx = start_with(config, NewUser { library_size: Some(260), ..Default::default() }).await;
    let items = picked(&ctx, 250).await;
    ctx.emulator.advance_clock(Duration::from_secs(601));
    ctx.emulator.clear_requests();
    let dir = tempfile::tempdir().unwrap();
    let outcomes = ctx.client.download_all(&items, dir.path(), &DownloadAllOptions { concurrency: 8, ..Default::default() }).await;
    assert!(outcomes.iter().all(Result::is_ok), "{:?}", outcomes.iter().find(|o| o.is_err()));
    assert_eq!(ctx.count("mediaItems.list"), 3, "250 items are 3 pages, listed once for the batch");
    assert_eq!(files_in(dir.path()).len(), items.len());
}

/// A picked item served by a raw server whose every media answer is 403.
fn raw_item(server: &RawServer, id: &str) -> PickedMediaItem {
    let json = serde_json::json!({
        "id": id,
        "createTime": "2024-01-01T00:00:00Z",
        "type": "PHOTO",
        "mediaFile": {"baseUrl": format!("{}/media/{id}", server.url), "mimeType": "image/jpeg", "filename": "a.jpg", "mediaFileMetadata": {}},
    });
    let mut item = PickedMediaItem::from_json(&json.to_string()).unwrap();
    item.session_id = Some("s1".into());
    item
}

fn raw_client(server: &RawServer) -> Client {
    Client::builder().endpoint(&server.url).library_endpoint(&server.url).token("ya29.test").retry_policy(common::fast_retries()).build().unwrap()
}

fn list_requests(server: &RawServer) -> usize {
    server.requests().iter().filter(|r| r.path() == "/v1/mediaItems").count()
}

#[tokio::test]
async fn refreshing_an_expired_url_walks_at_most_the_page_cap() {
    // Endless distinct page tokens, one unrelated item per page.
    let server = RawServer::start(|request, index| {
        if request.path().starts_with("/media/") {
            return respond(403, &[("content-type", "text/html")], "<html>expired</html>");
        }
        let other = serde_json::json!({"id": format!("other-{index}"), "createTime": "2024-01-01T00:00:00Z", "type": "PHOTO",
            "mediaFile": {"baseUrl": "https://lh3.googleusercontent.com/x", "mimeType": "image/jpeg", "filename": "b.jpg", "mediaFileMetadata": {}}});
        json(200, &serde_json::json!({"mediaItems": [other], "nextPageToken": format!("token-{index}")}))
    })
    .await;
    let client = raw_client(&server);
    let item = raw_item(&server, "wanted");
    let dir = tempfile::tempdir().unwrap();
    let error = tokio::time::timeout(Duration::from_secs(60), client.download(&item, dir.path(), &DownloadOptions::default())).await.expect("bounded").unwrap_err();
    assert_eq!(error.http_status(), Some(403), "{error:?}");
    assert_eq!(list_requests(&server), MAX_REFRESH_PAGES);
    assert!(files_in(dir.path()).is_empty());
}

#[tokio::test]
async fn a_repeated_page_token_ends_the_refresh() {
    let server = RawServer::start(|request, _| {
        if request.path().starts_with("/media/") {
            return respond(403, &[("content-type", "text/html")], "<html>expired</html>");
        }
        json(200, &serde_json::json!({"mediaItems": [], "nextPageToken": "again"}))
    })
    .await;
    let client = raw_client(&server);
    let items: Vec<PickedMediaItem> = (0..20).map(|i| raw_item(&server, &format!("item-{i}"))).collect();
    let dir = tempfile::tempdir().unwrap();
    let outcomes = client.download_all(&items, dir.path(), &DownloadAllOptions::default()).await;
    assert!(outcomes.iter().all(|o| o.as_ref().is_err_and(|e| e.http_status() == Some(403))));
    assert_eq!(list_requests(&server), 2, "the first page, then the repeated token once; one listing for the whole batch");
}

#[tokio::test]
async fn download_all_returns_one_outcome_per_item_when_some_fail() {
    let ctx = ctx(10).await;
    let items = picked(&ctx, 6).await;
    let mut broken = items[1].clone();
    broken.media_file.base_url = "https://evil.example.com/x".into();
    let batch = [items[0].clone(), broken, items[2].clone()];
    let dir = tempfile::tempdir().unwrap();
    let outcomes = ctx.client.download_all(&batch, dir.path(), &DownloadAllOptions::default()).await;
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes[0].as_ref().unwrap().exists() && outcomes[2].as_ref().unwrap().exists());
    assert!(outcomes[1].as_ref().unwrap_err().is_validation());
    assert_eq!(files_in(dir.path()).len(), 2);
}
