//! Forwards the Rust client's `tracing` events (retries, failed cleanups,
//! and per-request debug lines) to Python's `logging` logger `photospicker`.
//! The events carry no secrets: operations, statuses, attempts, delays.

use pyo3::prelude::*;
use std::fmt::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// The lowest level forwarded: 0 = debug, 1 = info, 2 = warning and above.
/// Kept in Rust so that events nobody listens to cost no GIL acquisition.
static THRESHOLD: AtomicU8 = AtomicU8::new(1);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

struct PythonLogging;

fn rank(level: &Level) -> (u8, u32) {
    match *level {
        Level::ERROR => (3, 40),
        Level::WARN => (2, 30),
        Level::INFO => (1, 20),
        _ => (0, 10),
    }
}

impl<S: Subscriber> Layer<S> for PythonLogging {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let (rank, python_level) = rank(event.metadata().level());
        if rank < THRESHOLD.load(Ordering::Relaxed) || !event.metadata().target().starts_with("photospicker") {
            return;
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        // After the interpreter began shutting down, the line is dropped.
        crate::interpreter::attach(|py| {
            let logged = py
                .import("logging")
                .and_then(|logging| logging.call_method1("getLogger", ("photospicker",)))
                .and_then(|logger| logger.call_method1("log", (python_level, fields.0.trim())));
            if let Err(error) = logged {
                error.write_unraisable(py, None);
            }
        });
    }
}

/// Installs the forwarding (once per process, if no other subscriber is set).
pub fn install() {
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(PythonLogging));
}

/// Sets the lowest level forwarded from Python's logging level number.
#[pyfunction]
pub fn set_log_level(level: u32) {
    let threshold = match level {
        0..=10 => 0,
        11..=20 => 1,
        _ => 2,
    };
    THRESHOLD.store(threshold, Ordering::Relaxed);
}
