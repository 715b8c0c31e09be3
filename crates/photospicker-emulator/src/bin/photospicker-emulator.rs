//! `photospicker-emulator [--port N] [--library-port N] [--host ADDR] [--token T] [--poll-interval SECONDS] [--media-cache-mib N] [--request-log-size N] [--page-sizes N,N,...]`

use photospicker_emulator::{AutoPick, Config, Emulator};
use std::process::ExitCode;

const USAGE: &str = "usage: photospicker-emulator [--port N] [--library-port N] [--host ADDR] [--token TOKEN] [--poll-interval SECONDS] [--library-size N] [--media-cache-mib N] [--request-log-size N] [--page-sizes N,N,...] [--auto-pick-after SECONDS]
  Serves the Picker API on --port (0 = a free port) and the Library API on --library-port.
  A default user with TOKEN (default: emulator-token) is created; more through POST /emulator/v1/users.
  Rendered media (originals, thumbnails, videos) is cached up to --media-cache-mib (default 256).
  --request-log-size keeps the latest N requests in the log (default 10000; older ones are dropped and counted).
  --auto-pick-after SECONDS: a simulated user picks 3 photos and a video in every new session after SECONDS.
  --page-sizes 0,3 makes mediaItems.list serve an empty page, then 3 items, in turn (each with a nextPageToken).";

fn parse(args: &[String]) -> Result<(Config, Option<AutoPick>), String> {
    let mut config = Config { default_user_token: Some("emulator-token".into()), ..Config::default() };
    let mut auto_pick = None;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => config.picker_port = value()?.parse().map_err(|_| "--port takes a number")?,
            "--library-port" => config.library_port = value()?.parse().map_err(|_| "--library-port takes a number")?,
            "--host" => config.host = value()?.parse().map_err(|_| "--host takes an IP address")?,
            "--token" => config.default_user_token = Some(value()?.clone()),
            "--library-size" => config.library_size = value()?.parse().map_err(|_| "--library-size takes a number")?,
            "--media-cache-mib" => {
                let mib: usize = value()?.parse().map_err(|_| "--media-cache-mib takes a number")?;
                config.media_cache_bytes = mib.checked_mul(1024 * 1024).ok_or("--media-cache-mib is too large")?;
            }
            "--poll-interval" => {
                let seconds: f64 = value()?.parse().map_err(|_| "--poll-interval takes seconds")?;
                config.poll_interval = std::time::Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())?;
            }
            "--request-log-size" => config.request_log_size = value()?.parse().map_err(|_| "--request-log-size takes a number")?,
            "--page-sizes" => {
                let sizes: Result<Vec<usize>, _> = value()?.split(',').filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse()).collect();
                config.page_sizes = sizes.map_err(|_| "--page-sizes takes numbers separated by commas, e.g. 0,3")?;
                photospicker_emulator::check_page_sizes(&config.page_sizes)?;
            }
            "--auto-pick-after" => {
                let seconds: f64 = value()?.parse().map_err(|_| "--auto-pick-after takes seconds")?;
                let after = std::time::Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())?;
                auto_pick = Some(AutoPick { after, ..AutoPick::default() });
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((config, auto_pick))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, auto_pick) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("{why}");
            }
            eprintln!("{USAGE}");
            return if why.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    let token = config.default_user_token.clone().unwrap_or_default();
    let emulator = match Emulator::start(config).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    emulator.set_auto_pick(auto_pick);
    println!("picker_url={}", emulator.picker_url());
    println!("library_url={}", emulator.library_url());
    println!("control_url={}/emulator/v1", emulator.picker_url());
    println!("token={token}");
    let _ = tokio::signal::ctrl_c().await;
    emulator.stop().await;
    ExitCode::SUCCESS
}
