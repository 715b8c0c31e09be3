//! `photospicker session create|get|wait|delete`: the flow one step at a
//! time, for scripts (each step with `--json`).

use crate::cli::{Global, SessionCommand};
use crate::connect::connect;
use crate::dry_run::{self, Request};
use crate::exit::CliError;
use crate::ui::Ui;
use crate::{format, qr, waiting};
use photospicker::{CancellationToken, CreateSessionOptions, PickingSession};
use serde_json::{json, Value};
use std::time::Duration;

pub async fn run(command: SessionCommand, global: &Global, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    match command {
        SessionCommand::Create { max, request_id, dry_run } => {
            if dry_run {
                let body = max.map_or(json!({}), |m| json!({"pickingConfig": {"maxItemCount": m.to_string()}}));
                let query = request_id.map(|id| format!("?requestId={id}")).unwrap_or_default();
                dry_run::show(ui, &[Request::new("POST", format!("{}/v1/sessions{query}", dry_run::endpoint(global))).body(body)]);
                return Ok(());
            }
            let connection = connect(global)?;
            let options = CreateSessionOptions { max_item_count: max, request_id };
            let session = connection.client.create_session(options).await.map_err(|e| CliError::from_api(&e, &connection.endpoint))?;
            ui.event("session", describe(&session));
            ui.say(format!("Session {}", session.id));
            ui.say(format!("Link: {}", session.picker_uri));
            if let Some(code) = qr::render(&session.picker_uri) {
                ui.say(code);
            }
            say_expiry(&session, ui);
            ui.say(format!("Next: photospicker session wait {}", session.id));
            Ok(())
        }
        SessionCommand::Get { session_id } => {
            let connection = connect(global)?;
            let session = connection.client.get_session(&session_id).await.map_err(|e| CliError::from_api(&e, &connection.endpoint))?;
            ui.event("session", describe(&session));
            ui.say(format!("Session {}", session.id));
            ui.say(format!("Link: {}", session.picker_uri));
            ui.say(if session.media_items_set { "Picked: yes".to_string() } else { "Picked: not yet".to_string() });
            if let Some(config) = &session.polling_config {
                if let Some(interval) = config.poll_interval {
                    ui.say(format!("Poll every: {}", format::duration(interval)));
                }
                if let Some(left) = config.timeout_in {
                    ui.say(format!("Picking time left: {}", format::duration(left)));
                }
            }
            say_expiry(&session, ui);
            Ok(())
        }
        SessionCommand::Wait { session_id, timeout } => {
            let connection = connect(global)?;
            let timeout = timeout.map(Duration::from_secs);
            waiting::until_picked(&connection.client, &connection.endpoint, &session_id, timeout, ui, cancel).await?;
            ui.say(format!("Picked. Next: photospicker items list {session_id} --all --json > items.json"));
            Ok(())
        }
        SessionCommand::Delete { session_id, dry_run } => {
            if dry_run {
                dry_run::show(ui, &[Request::new("DELETE", format!("{}/v1/sessions/{session_id}", dry_run::endpoint(global)))]);
                return Ok(());
            }
            let connection = connect(global)?;
            connection.client.delete_session(&session_id).await.map_err(|e| CliError::from_api(&e, &connection.endpoint))?;
            ui.event("deleted", json!({"sessionId": session_id}));
            ui.say(format!("Session {session_id} deleted."));
            Ok(())
        }
    }
}

/// A session's facts for `--json`, durations in seconds.
pub fn describe(session: &PickingSession) -> Value {
    let polling = session.polling_config.as_ref();
    json!({
        "id": session.id,
        "pickerUri": session.picker_uri,
        "mediaItemsSet": session.media_items_set,
        "expireTime": session.expire_time.map(|t| t.to_rfc3339()),
        "pollIntervalSeconds": polling.and_then(|p| p.poll_interval).map(|d| d.as_secs_f64()),
        "timeoutInSeconds": polling.and_then(|p| p.timeout_in).map(|d| d.as_secs()),
        "maxItemCount": session.max_item_count,
    })
}

fn say_expiry(session: &PickingSession, ui: Ui) {
    if let Some(expire) = session.expire_time {
        let left = (expire - chrono::Utc::now()).to_std().unwrap_or_default();
        ui.say(format!("Expires: {} (in {})", expire.format("%Y-%m-%d %H:%M:%S UTC"), format::duration(left)));
    }
}
