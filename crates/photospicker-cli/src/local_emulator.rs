//! A local emulator for `demo` and `emulator`: in this process when built
//! with the `emulator` feature (the Rust binary), else the
//! `photospicker-emulator` executable found on PATH (the Python wheel, which
//! carries no emulator), started on a free port and read until it is ready.

use crate::exit::{CliError, Exit};

pub struct Options {
    pub port: u16,
    pub library_port: u16,
    pub token: String,
    pub auto_pick_after: Option<f64>,
}

pub struct LocalEmulator {
    pub picker_url: String,
    pub library_url: String,
    pub token: String,
    running: Running,
}

enum Running {
    #[cfg(feature = "emulator")]
    InProcess(photospicker_emulator::Emulator),
    #[cfg_attr(feature = "emulator", allow(dead_code))]
    Process(tokio::process::Child),
}

impl LocalEmulator {
    pub fn control_url(&self) -> String {
        format!("{}/emulator/v1", self.picker_url)
    }

    #[cfg(feature = "emulator")]
    pub async fn start(options: Options) -> Result<Self, CliError> {
        use photospicker_emulator::{AutoPick, Config, Emulator};
        let config = Config { picker_port: options.port, library_port: options.library_port, default_user_token: Some(options.token.clone()), ..Config::default() };
        let emulator = Emulator::start(config).await.map_err(|e| CliError::new(Exit::Unexpected, format!("the emulator cannot listen: {e}")))?;
        let after = options.auto_pick_after.map(seconds).transpose()?;
        emulator.set_auto_pick(after.map(|after| AutoPick { after, ..AutoPick::default() }));
        Ok(Self { picker_url: emulator.picker_url().into(), library_url: emulator.library_url().into(), token: options.token, running: Running::InProcess(emulator) })
    }

    #[cfg(not(feature = "emulator"))]
    pub async fn start(options: Options) -> Result<Self, CliError> {
        spawn(options).await
    }

    pub async fn stop(self) {
        match self.running {
            #[cfg(feature = "emulator")]
            Running::InProcess(emulator) => emulator.stop().await,
            Running::Process(mut child) => {
                let _ = child.start_kill();
                let _ = tokio::time::timeout(std::time::Duration::from_secs(5), child.wait()).await;
            }
        }
    }
}

fn seconds(value: f64) -> Result<std::time::Duration, CliError> {
    std::time::Duration::try_from_secs_f64(value).map_err(|_| CliError::usage(format!("{value} is not a number of seconds")))
}

/// Starts `photospicker-emulator` from PATH and reads its ready lines
/// (`picker_url=…`, `library_url=…`, `token=…`).
#[cfg_attr(feature = "emulator", allow(dead_code))]
async fn spawn(options: Options) -> Result<LocalEmulator, CliError> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
    let mut command = tokio::process::Command::new("photospicker-emulator");
    command.args(["--port", &options.port.to_string(), "--library-port", &options.library_port.to_string(), "--token", &options.token]);
    if let Some(after) = options.auto_pick_after {
        seconds(after)?;
        command.args(["--auto-pick-after", &after.to_string()]);
    }
    command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CliError::new(Exit::Unreachable, "no emulator: photospicker-emulator is not on PATH")
            .hint("install it: `pip install photospicker-emulator` or `cargo install photospicker-emulator`"),
        _ => CliError::new(Exit::Unreachable, format!("cannot start photospicker-emulator: {e}")),
    })?;
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let (mut picker_url, mut library_url, mut token) = (None, None, None);
    let ready = async {
        while let Ok(Some(line)) = lines.next_line().await {
            match line.split_once('=') {
                Some(("picker_url", url)) => picker_url = Some(url.to_string()),
                Some(("library_url", url)) => library_url = Some(url.to_string()),
                Some(("token", value)) => {
                    token = Some(value.to_string());
                    return true;
                }
                _ => {}
            }
        }
        false
    };
    let ready = tokio::time::timeout(std::time::Duration::from_secs(30), ready).await.unwrap_or(false);
    match (ready, picker_url, library_url, token) {
        (true, Some(picker_url), Some(library_url), Some(token)) => {
            // Keep reading what it prints after `ready`: a pipe nobody reads fills up or breaks.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            Ok(LocalEmulator { picker_url, library_url, token, running: Running::Process(child) })
        }
        _ => {
            let _ = child.start_kill();
            let mut why = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = tokio::time::timeout(std::time::Duration::from_secs(2), stderr.read_to_string(&mut why)).await;
            }
            let why = why.lines().next().unwrap_or("it printed no ready line within 30s").to_string();
            Err(CliError::new(Exit::Unreachable, format!("the emulator did not start: {why}"))
                .hint("update it: `pip install -U photospicker-emulator` or `cargo install photospicker-emulator`"))
        }
    }
}
