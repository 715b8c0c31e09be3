//! `photospicker-emulator`: the emulator as a program (see `--help`). It prints
//! its URLs and a user token as `key=value` lines, then `ready`, and serves
//! until Ctrl-C or SIGTERM (or, with `--stop-when-stdin-closes`, until its
//! parent goes away).

use photospicker_emulator::{AutoPick, Config, Emulator};
use std::process::ExitCode;
use std::time::Duration;

const DEFAULT_TOKEN: &str = "emulator-token";

const HELP: &str = "\
A faithful local emulator of the Google Photos Picker API (and the Library API's mediaItems.batchGet).

Usage: photospicker-emulator [OPTIONS]

Options:
      --host ADDR                   address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
      --port N                      Picker API port; also serves the Library API under /library (default 0 = a free port)
      --library-port N              Library API port (default 0 = a free port)
      --token TOKEN                 token of the default user (default emulator-token)
      --no-default-user             create no default user (add users through POST /emulator/v1/users)
      --strict-tokens               refuse tokens nobody issued with Google's 401 (default: any token acts as the default user's)
      --poll-interval SECONDS       pollInterval of new sessions (default 5)
      --picking-timeout SECONDS     timeoutIn of new sessions (default 1800)
      --session-ttl SECONDS         how long a session lives (default 3600)
      --base-url-ttl SECONDS        how long a baseUrl works (default 3600)
      --max-sessions-per-user N     live sessions per user (default 20)
      --library-size N              items in a new user's library (default 40)
      --video-ratio R               share of videos in a library, 0 to 1 (default 0.2)
      --video-bytes N               least size of a served video (default 262144)
      --media-cache-mib N           memory for rendered media (default 256)
      --media-cache-bytes N         the same in bytes
      --request-log-size N          requests the log keeps (default 10000; older ones are dropped and counted)
      --page-sizes N,N,...          mediaItems.list serves pages of these sizes in turn, e.g. 0,3
      --auto-pick-after SECONDS     a simulated user picks 3 photos and a video in every new session after SECONDS
      --stop-when-stdin-closes      stop when standard input reaches its end (for programs that drive it)
  -h, --help                        print this help
  -V, --version                     print the version

Once listening it prints picker_url=, library_url=, control_url=, emulator_host= and
token= lines, then a line `ready`. Point a photospicker client at it with
  export PHOTOSPICKER_EMULATOR_HOST=<emulator_host>
The control API (users, simulated picks, the clock, faults, the request log) is under control_url.
";

/// What the command line asks for.
struct Options {
    config: Config,
    auto_pick: Option<AutoPick>,
    stop_when_stdin_closes: bool,
}

enum Parsed {
    Run(Box<Options>),
    Help,
    Version,
}

fn number<T: std::str::FromStr>(flag: &str, value: &str, what: &str) -> Result<T, String> {
    value.parse().map_err(|_| format!("{flag} takes {what}, not {value:?}"))
}

fn seconds(flag: &str, value: &str) -> Result<Duration, String> {
    let seconds: f64 = number(flag, value, "seconds")?;
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{flag} takes a non-negative number of seconds, not {value:?}"))
}

fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut config = Config { default_user_token: Some(DEFAULT_TOKEN.into()), accept_any_token: true, ..Config::default() };
    let mut stop_when_stdin_closes = false;
    let mut auto_pick = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // Both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next().cloned()).ok_or_else(|| format!("{flag} needs a value"));
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-V" | "--version" => return Ok(Parsed::Version),
            "--host" => config.host = number(flag, &value()?, "an IP address")?,
            "--port" => config.picker_port = number(flag, &value()?, "a port number")?,
            "--library-port" => config.library_port = number(flag, &value()?, "a port number")?,
            "--token" => config.default_user_token = Some(value()?),
            "--no-default-user" => config.default_user_token = None,
            "--strict-tokens" => config.accept_any_token = false,
            "--poll-interval" => config.poll_interval = seconds(flag, &value()?)?,
            "--picking-timeout" => config.picking_timeout = seconds(flag, &value()?)?,
            "--session-ttl" => config.session_ttl = seconds(flag, &value()?)?,
            "--base-url-ttl" => config.base_url_ttl = seconds(flag, &value()?)?,
            "--max-sessions-per-user" => config.max_sessions_per_user = number(flag, &value()?, "a number")?,
            "--library-size" => config.library_size = number(flag, &value()?, "a number")?,
            "--video-ratio" => {
                let ratio: f64 = number(flag, &value()?, "a number from 0 to 1")?;
                if !(0.0..=1.0).contains(&ratio) {
                    return Err(format!("{flag} takes a number from 0 to 1, not {ratio}"));
                }
                config.video_ratio = ratio;
            }
            "--video-bytes" => config.video_bytes = number(flag, &value()?, "a number of bytes")?,
            "--media-cache-bytes" => config.media_cache_bytes = number(flag, &value()?, "a number of bytes")?,
            "--media-cache-mib" => {
                let mib: usize = number(flag, &value()?, "a number")?;
                config.media_cache_bytes = mib.checked_mul(1024 * 1024).ok_or("--media-cache-mib is too large")?;
            }
            "--request-log-size" => config.request_log_size = number(flag, &value()?, "a number")?,
            "--page-sizes" => {
                let text = value()?;
                let sizes: Result<Vec<usize>, _> = text.split(',').filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse()).collect();
                config.page_sizes = sizes.map_err(|_| format!("--page-sizes takes numbers separated by commas, e.g. 0,3, not {text:?}"))?;
                photospicker_emulator::check_page_sizes(&config.page_sizes)?;
            }
            "--auto-pick-after" => auto_pick = Some(AutoPick { after: seconds(flag, &value()?)?, ..AutoPick::default() }),
            "--stop-when-stdin-closes" => stop_when_stdin_closes = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if config.default_user_token.is_none() {
        // Unknown tokens would have nobody to belong to.
        config.accept_any_token = false;
    }
    Ok(Parsed::Run(Box::new(Options { config, auto_pick, stop_when_stdin_closes })))
}

/// Resolves on Ctrl-C, SIGTERM (`docker stop`; PID 1 gets no default handler)
/// or, if asked, the end of standard input.
async fn stop_signal(stdin_too: bool) {
    let stdin_closed = async move {
        if !stdin_too {
            return std::future::pending().await;
        }
        // A blocking read on its own thread: the runtime's workers stay free.
        let (done, closed) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            let _ = done.send(());
        });
        let _ = closed.await;
    };
    #[cfg(unix)]
    let terminated = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => drop(signal.recv().await),
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminated = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminated => {}
        _ = stdin_closed => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Version) => {
            println!("photospicker-emulator {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("photospicker-emulator: {why}\n(see photospicker-emulator --help)");
            return ExitCode::from(2);
        }
    };
    let token = options.config.default_user_token.clone();
    let any_token = options.config.accept_any_token;
    let emulator = match Emulator::start(options.config).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("photospicker-emulator: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    emulator.set_auto_pick(options.auto_pick);
    // Whoever reads these lines may stop reading (or close the pipe): the
    // emulator goes on serving, so a failed write is ignored, never a panic.
    let mut out = std::io::stdout().lock();
    macro_rules! say {
        ($out:expr, $($arg:tt)*) => {{
            use std::io::Write as _;
            let _ = writeln!($out, $($arg)*);
            let _ = $out.flush();
        }};
    }
    say!(out, "picker_url={}", emulator.picker_url());
    say!(out, "library_url={}", emulator.library_url());
    say!(out, "control_url={}/emulator/v1", emulator.picker_url());
    say!(out, "emulator_host={}", emulator.emulator_host());
    if let Some(token) = token {
        say!(out, "token={token}");
    }
    say!(out, "# Point a photospicker client here: export PHOTOSPICKER_EMULATOR_HOST={}", emulator.emulator_host());
    if any_token {
        say!(out, "# Any bearer token is accepted as the default user's (--strict-tokens refuses unknown ones).");
    }
    say!(out, "ready");
    drop(out);
    stop_signal(options.stop_when_stdin_closes).await;
    emulator.stop().await;
    ExitCode::SUCCESS
}
