//! The `photospicker` console script of the wheel: the Rust CLI (built
//! without the embedded emulator), run with the GIL released so that Ctrl-C
//! reaches the CLI's own handler, which cleans up and returns 130.

use pyo3::prelude::*;

/// Runs the `photospicker` command line `argv` (program name first); returns its exit code.
#[pyfunction]
pub fn run_cli(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| photospicker_cli::run_status(argv))
}
