//! `photospicker download [ITEM...] --from items.json|manifest.json | --session ID`:
//! files and a manifest from a saved listing, a manifest, or a live session.

use crate::cli::{DownloadArgs, Global};
use crate::connect::connect;
use crate::exit::CliError;
use crate::ui::Ui;
use crate::{format, transfer};
use photospicker::{CancellationToken, MediaType, PickedMediaItem};
use serde_json::{json, Value};
use std::path::Path;

/// The largest listing file read (2,000 items take well under 4 MiB).
const MAX_LISTING_BYTES: u64 = 64 * 1024 * 1024;

pub async fn run(args: DownloadArgs, global: &Global, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    let source = match (&args.from, &args.session) {
        (Some(file), _) => read_source(file)?,
        (None, Some(session)) => Source::Session { session_id: session.clone(), ids: Vec::new() },
        (None, None) => return Err(CliError::usage("give --from FILE or --session ID")),
    };
    let (items, session_id, connection) = match source {
        Source::Listing(items) => (items, None, None),
        Source::Session { session_id, ids } => {
            // A manifest's items are fetched again through their (live) session.
            let connection = connect(global)?;
            let items = connection.client.list_all_media_items(&session_id).await.map_err(|e| CliError::from_api(&e, &connection.endpoint))?;
            (choose(items, &ids)?, Some(session_id), Some(connection))
        }
    };
    let items = choose(items, &args.items)?;
    if args.dry_run {
        let planned: Vec<Value> = items.iter().map(|i| json!({"id": i.id, "filename": i.media_file.filename})).collect();
        ui.event("dry_run", json!({"dir": args.out, "items": planned}));
        ui.say(format!("Dry run: nothing is downloaded. {} would go to {}:", format::count(items.len(), "item", "items"), args.out.display()));
        for item in &items {
            let kind = if item.media_type == MediaType::Video { "video" } else { "photo" };
            ui.say(format!("  {}  {kind}  {}", item.id, item.media_file.filename));
        }
        return Ok(());
    }
    let connection = match connection {
        Some(connection) => connection,
        None => connect(global)?,
    };
    tokio::fs::create_dir_all(&args.out).await.map_err(|e| CliError::files(format!("cannot create {}: {e}", args.out.display())))?;
    let transfer = transfer::download(&connection.client, &items, &args.out, &args.size, session_id.as_deref(), ui, cancel).await?;
    for line in transfer::summary(&transfer, &args.out) {
        ui.say(line);
    }
    ui.event("done", json!({"dir": args.out, "manifest": transfer.manifest, "files": transfer.entries.len(), "bytes": transfer.bytes(), "failed": transfer.failures.len()}));
    transfer::failure(&transfer).map_or(Ok(()), Err)
}

/// Where the items come from.
enum Source {
    /// A saved listing, with each item's `baseUrl`.
    Listing(Vec<PickedMediaItem>),
    /// These items (all when empty) of a session that is still alive.
    Session { session_id: String, ids: Vec<String> },
}

/// A saved listing: Google's `{"mediaItems": [...]}` (what `items list
/// --json` prints) or a bare array of items; or a manifest of a session that
/// was not deleted (`download --session`), whose items are listed again.
fn read_source(path: &Path) -> Result<Source, CliError> {
    let unreadable = |why: String| CliError::usage(format!("cannot read the listing {}: {why}", path.display()));
    // Read at most the cap (plus one byte to tell): a device or FIFO has no size to check first.
    let mut text = String::new();
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    std::io::Read::read_to_string(&mut std::io::Read::take(file, MAX_LISTING_BYTES + 1), &mut text).map_err(|e| unreadable(e.to_string()))?;
    if text.len() as u64 > MAX_LISTING_BYTES {
        return Err(unreadable(format!("it is larger than {}", format::bytes(MAX_LISTING_BYTES))));
    }
    let value: Value = serde_json::from_str(&text).map_err(|e| unreadable(format!("not JSON ({e})")))?;
    if let (Some(session_id), Some(Value::Array(entries))) = (value.get("sessionId").and_then(Value::as_str), value.get("items")) {
        let ids = entries.iter().filter_map(|e| e.get("id")?.as_str().map(str::to_string)).collect();
        return Ok(Source::Session { session_id: session_id.to_string(), ids });
    }
    let listed = match &value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("mediaItems") {
            Some(Value::Array(items)) => items,
            _ => return Err(unreadable("neither a listing nor a manifest; save a listing with `photospicker items list SESSION --all --json`".into())),
        },
        _ => return Err(unreadable("expected a listing object or an array of items".into())),
    };
    listed
        .iter()
        .enumerate()
        .map(|(n, item)| PickedMediaItem::from_json(&item.to_string()).map_err(|e| unreadable(format!("item #{n}: {}", e.message()))))
        .collect::<Result<_, _>>()
        .map(Source::Listing)
}

/// The items asked for by id, in the order asked (all when none are named).
fn choose(items: Vec<PickedMediaItem>, ids: &[String]) -> Result<Vec<PickedMediaItem>, CliError> {
    if ids.is_empty() {
        return Ok(items);
    }
    let missing: Vec<&str> = ids.iter().filter(|id| !items.iter().any(|i| &i.id == *id)).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(CliError::usage(format!("not in the listing: {}", missing.join(", "))));
    }
    Ok(ids.iter().filter_map(|id| items.iter().find(|i| &i.id == id).cloned()).collect())
}
