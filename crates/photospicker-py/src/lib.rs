//! `photospicker._native`: the compiled half of the Python package. The public
//! Python API lives in `python/photospicker/`; this module stays private.

mod emulator;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<emulator::Emulator>()?;
    Ok(())
}
