//! `--dry-run`: the requests a command would send, printed instead of sent
//! (no token needed).

use crate::cli::Global;
use crate::ui::Ui;
use serde_json::{json, Value};

pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub body: Option<Value>,
    pub note: Option<&'static str>,
}

impl Request {
    pub fn new(method: &'static str, url: String) -> Self {
        Self { method, url, body: None, note: None }
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn note(mut self, note: &'static str) -> Self {
        self.note = Some(note);
        self
    }
}

/// The Picker API base URL a command would use.
pub fn endpoint(global: &Global) -> String {
    crate::connect::base_url(global).unwrap_or_else(|| photospicker_api::PICKER_BASE_URL.to_string()).trim_end_matches('/').to_string()
}

pub fn show(ui: Ui, requests: &[Request]) {
    let listed: Vec<Value> = requests.iter().map(|r| json!({"method": r.method, "url": r.url, "body": r.body, "note": r.note})).collect();
    ui.event("dry_run", json!({ "requests": listed }));
    ui.say("Dry run: nothing is sent. The requests would be:");
    for request in requests {
        let mut line = format!("  {:<6} {}", request.method, request.url);
        if let Some(body) = &request.body {
            line.push_str(&format!("  {body}"));
        }
        if let Some(note) = request.note {
            line.push_str(&format!("  ({note})"));
        }
        ui.say(line);
    }
}
