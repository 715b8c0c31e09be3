//! Downloading picked items with a progress bar (bytes and items) or JSON
//! events, then the manifest. The client writes each file atomically and
//! never overwrites; on Ctrl-C the files this run already finished are
//! removed too, so an interrupted download leaves the directory as it was.

use crate::cli::SizeArgs;
use crate::exit::CliError;
use crate::format;
use crate::interrupt::unless_cancelled;
use crate::manifest::{Entry, Manifest};
use crate::ui::Ui;
use photospicker::{CancellationToken, Client, DownloadAllOptions, DownloadEvent, DownloadOptions, MediaType, PickedMediaItem};
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a finished transfer produced.
pub struct Transfer {
    pub manifest: PathBuf,
    pub entries: Vec<Entry>,
    /// Items that could not be downloaded, with why.
    pub failures: Vec<(String, String)>,
}

impl Transfer {
    pub fn bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }
}

/// Download options for photos (videos always come whole).
pub fn photo_options(size: &SizeArgs) -> DownloadOptions {
    match size.size {
        Some((width, height)) => DownloadOptions { width: Some(width), height: Some(height), crop: size.crop, overwrite: false },
        None => DownloadOptions::default(),
    }
}

/// Per-item byte counts, so the bar's total is the sum of what the server announced.
#[derive(Default)]
struct Tally {
    done: Vec<PathBuf>,
    bytes: HashMap<usize, u64>,
    totals: HashMap<usize, u64>,
    finished: usize,
}

/// Downloads `items` into `dir`, writes the manifest, and returns both.
pub async fn download(
    client: &Client,
    items: &[PickedMediaItem],
    dir: &Path,
    size: &SizeArgs,
    session_id: Option<&str>,
    ui: Ui,
    cancel: &CancellationToken,
) -> Result<Transfer, CliError> {
    let (videos, photos): (Vec<usize>, Vec<usize>) = (0..items.len()).partition(|&i| items[i].media_type == MediaType::Video);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let bar = ui.download_bar();
    let count = items.len();
    bar.set_message(format!("0/{count} items"));
    let mut results: Vec<Option<Result<PathBuf, photospicker::Error>>> = (0..count).map(|_| None).collect();
    // Photos and videos differ in size options only; one call each, one after
    // the other, so names never collide (the second call sees the first's files).
    for (group, options) in [(photos, photo_options(size)), (videos, DownloadOptions::default())] {
        if group.is_empty() {
            continue;
        }
        let batch: Vec<PickedMediaItem> = group.iter().map(|&i| items[i].clone()).collect();
        let on_progress = {
            let (tally, bar, group, items) = (tally.clone(), bar.clone(), group.clone(), items.to_vec());
            Arc::new(move |event: DownloadEvent| {
                let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
                match event {
                    DownloadEvent::Progress { index, bytes, total } => {
                        let index = group[index];
                        tally.bytes.insert(index, bytes);
                        if let Some(total) = total {
                            tally.totals.insert(index, total);
                        }
                    }
                    DownloadEvent::Finished { index, path, bytes } => {
                        let index = group[index];
                        tally.bytes.insert(index, bytes);
                        tally.totals.insert(index, bytes);
                        tally.finished += 1;
                        tally.done.push(path.clone());
                        ui.event("downloaded", json!({"index": index, "id": items[index].id, "path": path, "bytes": bytes}));
                    }
                    DownloadEvent::Failed { index, error } => {
                        let index = group[index];
                        ui.event("download_failed", json!({"index": index, "id": items[index].id, "message": error}));
                    }
                    _ => {}
                }
                bar.set_length(tally.totals.values().sum::<u64>().max(tally.bytes.values().sum()));
                bar.set_position(tally.bytes.values().sum());
                bar.set_message(format!("{}/{} items", tally.finished, items.len()));
            })
        };
        let all = DownloadAllOptions { options, on_progress: Some(on_progress), ..DownloadAllOptions::default() };
        let Some(outcome) = unless_cancelled(cancel, client.download_all(&batch, dir, &all)).await else {
            bar.finish_and_clear();
            // The client removed the files it was writing when the call was dropped.
            let done = std::mem::take(&mut tally.lock().unwrap_or_else(|p| p.into_inner()).done);
            for path in done {
                let _ = std::fs::remove_file(path);
            }
            return Err(CliError::interrupted());
        };
        for (&index, result) in group.iter().zip(outcome) {
            results[index] = Some(result);
        }
    }
    bar.finish_and_clear();
    let mut done = Vec::new();
    let mut failures = Vec::new();
    for (item, result) in items.iter().zip(results) {
        match result {
            Some(Ok(path)) => done.push((item.clone(), path)),
            Some(Err(error)) => failures.push((item.id.clone(), error.to_string())),
            None => failures.push((item.id.clone(), "not downloaded".into())),
        }
    }
    let (dir, session_id) = (dir.to_path_buf(), session_id.map(str::to_string));
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<(PathBuf, Vec<Entry>)> {
        let entries = done.iter().map(|(item, path)| Entry::new(item, path)).collect::<std::io::Result<Vec<_>>>()?;
        let manifest = Manifest::new(session_id, entries.clone()).write(&dir)?;
        Ok((manifest, entries))
    })
    .await
    .map_err(|e| CliError::files(format!("writing the manifest failed: {e}")))?;
    let (manifest, entries) = written.map_err(|e| CliError::files(format!("cannot write the manifest: {e}")))?;
    ui.event("manifest", json!({"path": manifest, "items": entries.len()}));
    Ok(Transfer { manifest, entries, failures })
}

/// The lines a person reads after a transfer.
pub fn summary(transfer: &Transfer, dir: &Path) -> Vec<String> {
    let photos = transfer.entries.iter().filter(|e| e.media_type == "PHOTO").count();
    let videos = transfer.entries.len() - photos;
    let mut lines = vec![format!(
        "Downloaded {} ({}) to {}",
        format::photos_and_videos(photos, videos),
        format::bytes(transfer.bytes()),
        dir.display()
    )];
    for entry in &transfer.entries {
        lines.push(format!("  {}  {}", entry.file, format::bytes(entry.size)));
    }
    lines.push(format!("Manifest: {}", transfer.manifest.display()));
    for (id, why) in &transfer.failures {
        lines.push(format!("Not downloaded: {id}: {why}"));
    }
    lines
}

/// The error a transfer with failed items ends with (after its summary).
pub fn failure(transfer: &Transfer) -> Option<CliError> {
    (!transfer.failures.is_empty()).then(|| {
        CliError::files(format!("{} could not be downloaded", format::count(transfer.failures.len(), "item", "items")))
            .hint("the files that were downloaded are listed in the manifest; run the command again for the rest")
    })
}
