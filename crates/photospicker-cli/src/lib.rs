//! The `photospicker` command: pick photos and videos from Google Photos in
//! a terminal (a link and a QR code, a spinner while you pick, a progress bar
//! while the files download, a manifest next to them), step-by-step
//! subcommands for scripts, and a demo against a local emulator.
//!
//! The same code runs as the Rust binary and as the Python wheel's console
//! script, which calls [`run_status`] through the native module.

mod cli;
mod commands;
mod connect;
mod dry_run;
mod exit;
mod format;
mod interrupt;
mod local_emulator;
mod manifest;
mod qr;
mod transfer;
mod ui;
mod waiting;

pub use exit::EXIT_CODES_HELP;

use clap::Parser;
use cli::{Cli, Command};
use exit::{CliError, Exit};
use std::ffi::OsString;
use std::process::ExitCode;

/// Runs the command line `args` (the program name first) and returns its exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    ExitCode::from(run_status(args))
}

/// [`run`], returning the exit code as a number (for the Python wheel).
pub fn run_status<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return u8::try_from(error.exit_code()).unwrap_or(Exit::Usage.code());
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return Exit::Unexpected.code();
        }
    };
    let ui = ui::Ui::new(cli.global.json);
    let outcome = runtime.block_on(async {
        let cancel = interrupt::on_ctrl_c();
        dispatch(cli, ui, &cancel).await
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match outcome {
        Ok(()) => Exit::Success.code(),
        Err(error) => {
            ui.error(&error);
            error.exit.code()
        }
    }
}

async fn dispatch(cli: Cli, ui: ui::Ui, cancel: &photospicker::CancellationToken) -> Result<(), CliError> {
    let global = cli.global;
    match cli.command {
        Command::Pick(args) => commands::pick::run(args, &global, ui, cancel).await,
        Command::Session(command) => commands::session::run(command, &global, ui, cancel).await,
        Command::Items(command) => commands::items::run(command, &global, ui).await,
        Command::Download(args) => commands::download::run(args, &global, ui, cancel).await,
        Command::Demo(args) => commands::demo::run(args, ui, cancel).await,
        Command::Emulator(args) => commands::emulator::run(args, ui, cancel).await,
        Command::Auth(command) => commands::auth::run(command, ui, cancel).await,
    }
}
