//! `photospicker demo`: the pick flow against a local emulator, with a
//! simulated user who picks a few photos and a video after a moment — or
//! the person picks on the emulator's page.

use crate::cli::DemoArgs;
use crate::commands::pick::{run_flow, Flow};
use crate::connect::{connect_to, EMULATOR_TOKEN};
use crate::exit::CliError;
use crate::local_emulator::{LocalEmulator, Options};
use crate::ui::Ui;
use photospicker::CancellationToken;
use serde_json::json;
use std::time::Duration;

/// How long the demo waits for a person picking by hand.
const PICK_YOURSELF_TIMEOUT: Duration = Duration::from_secs(600);

pub async fn run(args: DemoArgs, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    let out = match args.out {
        Some(out) => out,
        None => tempfile::Builder::new()
            .prefix("photospicker-demo-")
            .tempdir()
            .map_err(|e| CliError::files(format!("cannot create a directory for the demo: {e}")))?
            .keep(),
    };
    let auto_pick_after = (!args.pick_yourself).then_some(args.pick_after);
    let emulator = LocalEmulator::start(Options { port: args.port, library_port: 0, token: EMULATOR_TOKEN.into(), auto_pick_after }).await?;
    ui.event("emulator", json!({"pickerUrl": emulator.picker_url, "controlUrl": emulator.control_url(), "autoPickAfterSeconds": auto_pick_after}));
    ui.say(format!("Demo: a local emulator of Google Photos runs at {}.", emulator.picker_url));
    match auto_pick_after {
        Some(after) => ui.say(format!(
            "A simulated user picks 3 photos and a video in {} (open the link to see the picker page).\n",
            crate::format::duration(Duration::from_secs_f64(after))
        )),
        None => ui.say("Open the link below and pick on the emulator's page.\n"),
    }
    let outcome = async {
        let connection = connect_to(Some(emulator.picker_url.clone()), emulator.token.clone())?;
        let flow = Flow { out, max: None, size: args.size, timeout: Some(PICK_YOURSELF_TIMEOUT) };
        run_flow(&connection, &flow, ui, cancel).await
    }
    .await;
    emulator.stop().await;
    outcome
}
