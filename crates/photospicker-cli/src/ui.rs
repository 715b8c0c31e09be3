//! Where output goes: for a person, text on stdout and live progress on
//! stderr (indicatif hides it when stderr is not a terminal); for a script
//! (`--json`), one JSON object per line on stdout and nothing else.

use crate::exit::CliError;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use std::io::Write;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Ui {
    json: bool,
}

impl Ui {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    /// A machine-readable event (only with `--json`).
    pub fn event(&self, event: &str, mut fields: Value) {
        if !self.json {
            return;
        }
        let mut line = serde_json::Map::new();
        line.insert("event".into(), event.into());
        if let Value::Object(map) = &mut fields {
            line.append(map);
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", Value::Object(line));
        let _ = out.flush();
    }

    /// A line for a person (not with `--json`).
    pub fn say(&self, text: impl AsRef<str>) {
        if !self.json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", text.as_ref());
            let _ = out.flush();
        }
    }

    /// A failure: an `error` event with `--json`, else two lines on stderr.
    pub fn error(&self, error: &CliError) {
        if self.json {
            self.event(
                "error",
                serde_json::json!({"kind": error.exit.kind(), "exitCode": error.exit.code(), "message": error.message, "hint": error.hint}),
            );
        } else {
            eprintln!("{error}");
        }
    }

    /// A spinner with a message (hidden with `--json`).
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        let bar = self.bar_with(None);
        bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"));
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// A download bar counting bytes; its message counts items (hidden with `--json`).
    pub fn download_bar(&self) -> ProgressBar {
        let bar = self.bar_with(Some(0));
        let style = ProgressStyle::with_template("{spinner} [{bar:30}] {bytes}/{total_bytes} · {msg} · {binary_bytes_per_sec}")
            .expect("a valid template")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    fn bar_with(&self, length: Option<u64>) -> ProgressBar {
        let target = if self.json { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
        ProgressBar::with_draw_target(length, target)
    }
}
