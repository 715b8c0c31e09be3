//! `photospicker pick`: the whole flow for a person — a session, its link and
//! QR code, a spinner while waiting, a progress bar while downloading, a
//! manifest, and the session deleted on every path (Ctrl-C included).

use crate::cli::{Global, PickArgs, SizeArgs};
use crate::connect::{connect, Connection};
use crate::dry_run::{self, Request};
use crate::exit::{CliError, Exit};
use crate::interrupt::unless_cancelled;
use crate::ui::Ui;
use crate::{format, qr, transfer, waiting};
use photospicker::{CancellationToken, CreateSessionOptions, MediaType, PickingSession};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// What one run of the flow does.
pub struct Flow {
    pub out: PathBuf,
    pub max: Option<i64>,
    pub size: SizeArgs,
    pub timeout: Option<Duration>,
}

pub async fn run(args: PickArgs, global: &Global, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    let flow = Flow { out: args.out, max: args.max, size: args.size, timeout: args.timeout.map(Duration::from_secs) };
    if args.dry_run {
        dry_run(global, &flow, ui);
        return Ok(());
    }
    let connection = connect(global)?;
    run_flow(&connection, &flow, ui, cancel).await
}

fn dry_run(global: &Global, flow: &Flow, ui: Ui) {
    let base = dry_run::endpoint(global);
    let body = match flow.max {
        Some(max) => json!({"pickingConfig": {"maxItemCount": max.to_string()}}),
        None => json!({}),
    };
    let media = if flow.size.size.is_some() { "photos at baseUrl=wW-hH[-c], videos at baseUrl=dv" } else { "photos at baseUrl=d, videos at baseUrl=dv" };
    dry_run::show(
        ui,
        &[
            Request::new("POST", format!("{base}/v1/sessions")).body(body),
            Request::new("GET", format!("{base}/v1/sessions/SESSION_ID")).note("every pollInterval, until mediaItemsSet"),
            Request::new("GET", format!("{base}/v1/mediaItems?sessionId=SESSION_ID&pageSize=100")).note("every page"),
            Request::new("GET", "each item's baseUrl".into()).note(media),
            Request::new("DELETE", format!("{base}/v1/sessions/SESSION_ID")),
        ],
    );
    ui.say(format!("The files and manifest.json would go to {}", flow.out.display()));
}

/// `--out` is a directory this process can write to, or can be created in one.
fn check_out_dir(out: &std::path::Path) -> Result<(), CliError> {
    let unusable = |why: String| {
        CliError::files(format!("cannot write the files to {}: {why}", out.display())).hint("pass --out with a directory you can write to")
    };
    let existing = out.ancestors().find(|dir| dir.as_os_str().is_empty() || dir.exists()).unwrap_or(out);
    let existing = if existing.as_os_str().is_empty() { std::path::Path::new(".") } else { existing };
    if !existing.is_dir() {
        return Err(unusable(format!("{} is not a directory", existing.display())));
    }
    // A probe file, removed at once: the only sure test of permission to write here.
    tempfile::tempfile_in(existing).map(drop).map_err(|e| unusable(e.to_string()))
}

/// Creates a session, runs the flow in it and deletes it whatever happened.
pub async fn run_flow(connection: &Connection, flow: &Flow, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    // Before the person spends time picking: the files must have somewhere to go.
    check_out_dir(&flow.out)?;
    let options = CreateSessionOptions { max_item_count: flow.max, request_id: None };
    // Not raced with Ctrl-C: a session created while the answer was on its
    // way would be left behind; it is deleted right after instead.
    let session = connection.client.create_session(options).await.map_err(|e| CliError::from_api(&e, &connection.endpoint))?;
    ui.event(
        "session",
        json!({"id": session.id, "pickerUri": session.picker_uri, "expireTime": session.expire_time.map(|t| t.to_rfc3339())}),
    );
    let outcome = if cancel.is_cancelled() { Err(CliError::interrupted()) } else { pick_in(connection, &session, flow, ui, cancel).await };
    let deleted = delete(connection, &session.id).await;
    match &deleted {
        Ok(()) => ui.event("deleted", json!({"sessionId": session.id})),
        Err(error) => ui.event("delete_failed", json!({"sessionId": session.id, "message": error.message})),
    }
    match outcome {
        Err(error) if error.exit == Exit::Interrupted => {
            let deleted = if deleted.is_ok() { "the session was deleted" } else { "the session could not be deleted (it expires by itself)" };
            Err(CliError::new(Exit::Interrupted, format!("interrupted: {deleted} and no partial files were left")))
        }
        Err(error) => Err(error),
        Ok(transfer) => {
            if deleted.is_ok() {
                ui.say("Session deleted.");
            }
            ui.event(
                "done",
                json!({"dir": flow.out, "manifest": transfer.manifest, "files": transfer.entries.len(), "bytes": transfer.bytes(), "failed": transfer.failures.len()}),
            );
            match transfer::failure(&transfer) {
                Some(error) => Err(error),
                None => deleted,
            }
        }
    }
}

async fn pick_in(connection: &Connection, session: &PickingSession, flow: &Flow, ui: Ui, cancel: &CancellationToken) -> Result<transfer::Transfer, CliError> {
    show_link(session, ui);
    let client = &connection.client;
    waiting::until_picked(client, &connection.endpoint, &session.id, flow.timeout, ui, cancel).await?;
    let items = unless_cancelled(cancel, client.list_all_media_items(&session.id))
        .await
        .ok_or_else(CliError::interrupted)?
        .map_err(|e| CliError::from_api(&e, &connection.endpoint))?;
    let videos = items.iter().filter(|i| i.media_type == MediaType::Video).count();
    ui.event("listed", json!({"sessionId": session.id, "items": items.len(), "photos": items.len() - videos, "videos": videos}));
    ui.say(format!("You picked {}.", format::photos_and_videos(items.len() - videos, videos)));
    let created_dir = !flow.out.exists();
    tokio::fs::create_dir_all(&flow.out).await.map_err(|e| CliError::files(format!("cannot create {}: {e}", flow.out.display())))?;
    let outcome = transfer::download(client, &items, &flow.out, &flow.size, Some(&session.id), ui, cancel).await;
    match outcome {
        Ok(transfer) => {
            for line in transfer::summary(&transfer, &flow.out) {
                ui.say(line);
            }
            Ok(transfer)
        }
        Err(error) => {
            if created_dir {
                // Empty again after the cleanup: the directory goes too.
                let _ = std::fs::remove_dir(&flow.out);
            }
            Err(error)
        }
    }
}

/// The link, and a QR code of it for a phone.
fn show_link(session: &PickingSession, ui: Ui) {
    ui.say("Open this link on your phone or computer and pick photos and videos:");
    ui.say("");
    ui.say(format!("  {}", session.picker_uri));
    ui.say("");
    if let Some(code) = qr::render(&session.picker_uri) {
        ui.say("Or scan this QR code with your phone:");
        ui.say(code);
    }
}

/// Deletes the session within a deadline (a gone session counts as deleted).
pub async fn delete(connection: &Connection, session_id: &str) -> Result<(), CliError> {
    let call = connection.client.delete_session(session_id);
    match tokio::time::timeout(Duration::from_secs(20), call).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) if error.is_not_found() => Ok(()),
        Ok(Err(error)) => Err(CliError::from_api(&error, &connection.endpoint)),
        Err(_) => Err(CliError::new(Exit::Unreachable, "the session could not be deleted within 20s (it expires by itself)")),
    }
}
