//! `photospicker._native`: the compiled half of the Python package. The public
//! Python API lives in `python/photospicker/`; this module stays private.

mod args;
mod bridge;
mod cli;
mod client;
mod emulator;
mod interpreter;
mod logging;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    logging::install();
    interpreter::install(m)?;
    m.add_function(wrap_pyfunction!(logging::set_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(cli::run_cli, m)?)?;
    m.add_class::<emulator::Emulator>()?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativeItems>()?;
    Ok(())
}
