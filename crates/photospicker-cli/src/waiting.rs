//! Waiting for the user with a live spinner showing the time left (or JSON
//! events), on the client's poller, which re-reads `pollInterval` and
//! `timeoutIn` at every poll.

use crate::exit::CliError;
use crate::format;
use crate::ui::Ui;
use futures_util::StreamExt;
use photospicker::{CancellationToken, Client, PickingSession, PollEvent, WaitOptions};
use serde_json::json;
use std::time::Duration;
use tokio::time::Instant;

/// Polls `session_id` until the user has picked; `Err` on timeout, expiry,
/// cancellation (Ctrl-C) or an API error.
pub async fn until_picked(client: &Client, endpoint: &str, session_id: &str, timeout: Option<Duration>, ui: Ui, cancel: &CancellationToken) -> Result<PickingSession, CliError> {
    let mut options = WaitOptions::default().cancel(cancel.clone());
    if let Some(timeout) = timeout {
        options = options.timeout(timeout);
    }
    let spinner = ui.spinner("Waiting for you to pick…");
    let mut events = std::pin::pin!(client.poll_session(session_id, options).into_stream());
    let mut ends_at: Option<Instant> = timeout.map(|t| Instant::now() + t);
    let mut ticks = tokio::time::interval(Duration::from_millis(500));
    let outcome = loop {
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(PollEvent::Picked { session, polls })) => {
                    ui.event("picked", json!({"sessionId": session.id, "polls": polls}));
                    break Ok(session);
                }
                Some(Ok(PollEvent::Waiting { polls, next_poll_in, timeout_in, .. })) => {
                    if let Some(left) = timeout_in {
                        let server_end = Instant::now() + left;
                        ends_at = Some(ends_at.map_or(server_end, |mine| mine.min(server_end)));
                    }
                    ui.event("waiting", json!({
                        "sessionId": session_id,
                        "polls": polls,
                        "nextPollInSeconds": next_poll_in.as_secs_f64(),
                        "timeoutInSeconds": timeout_in.map(|t| t.as_secs()),
                    }));
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => break Err(CliError::from_api(&error, endpoint)),
                None => break Err(CliError::interrupted()),
            },
            _ = ticks.tick() => {}
        }
        let left = ends_at.map(|end| end.saturating_duration_since(Instant::now()));
        spinner.set_message(match left {
            Some(left) => format!("Waiting for you to pick… {} left", format::duration(left)),
            None => "Waiting for you to pick…".to_string(),
        });
    };
    spinner.finish_and_clear();
    outcome
}
