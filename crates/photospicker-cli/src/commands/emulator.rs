//! `photospicker emulator`: the emulator in the foreground until Ctrl-C,
//! with its URLs and a ready user token.

use crate::cli::EmulatorArgs;
use crate::exit::CliError;
use crate::local_emulator::{LocalEmulator, Options};
use crate::ui::Ui;
use photospicker::CancellationToken;
use serde_json::json;

pub async fn run(args: EmulatorArgs, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    let options = Options { port: args.port, library_port: args.library_port, token: args.user_token, auto_pick_after: args.auto_pick_after };
    let emulator = LocalEmulator::start(options).await?;
    let host = emulator.picker_url.trim_start_matches("http://").to_string();
    ui.event(
        "ready",
        json!({"pickerUrl": emulator.picker_url, "libraryUrl": emulator.library_url, "controlUrl": emulator.control_url(), "token": emulator.token}),
    );
    ui.say("The emulator of Google's Photos Picker API is running (Ctrl-C stops it).");
    ui.say(format!("  Picker API:   {}", emulator.picker_url));
    ui.say(format!("  Library API:  {}", emulator.library_url));
    ui.say(format!("  Control API:  {}", emulator.control_url()));
    ui.say(format!("  User token:   {}", emulator.token));
    ui.say("Use it from another terminal:");
    ui.say(format!("  export PHOTOSPICKER_EMULATOR_HOST={host} PHOTOSPICKER_TOKEN={}", emulator.token));
    ui.say("  photospicker pick");
    cancel.cancelled().await;
    emulator.stop().await;
    ui.event("stopped", json!({}));
    ui.say("Emulator stopped.");
    Ok(())
}
