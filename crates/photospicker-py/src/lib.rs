//! `photospicker._native`: the compiled half of the Python package. The public
//! Python API lives in `python/photospicker/`; this module stays private.

mod args;
mod bridge;
mod cli;
mod client;
mod errors;
mod events;
mod interpreter;
mod logging;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    logging::install();
    interpreter::install(m)?;
    errors::install(m)?;
    m.add_function(wrap_pyfunction!(logging::set_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(cli::run_cli, m)?)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativeItems>()?;
    photospicker::python::set_error_converter(bridge::py_err);
    photospicker::python::register(m)?;
    events::register(m)?;
    m.add_function(wrap_pyfunction!(model_fields, m)?)?;
    m.add("MODEL_RENAMED", photospicker::python::RENAMED.to_vec())?;
    Ok(())
}

/// Every model class with its fields as `(name, Rust type)`: the stub
/// generator writes the model part of `_native.pyi` from it.
#[pyfunction]
fn model_fields() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    photospicker::python::model_fields().into_iter().map(|(class, fields)| (class, fields.to_vec())).collect()
}
