//! Arguments of the native methods, extracted so that a value of the wrong
//! type or out of range (`page_size=10**10`, a `str` where a list of ids
//! belongs, `nan` seconds) is a `photospicker.errors.ValidationError`, as
//! the Python layer raises for what it checks itself, and never the
//! `TypeError` or `OverflowError` of the binding: whatever slips past the
//! Python layer still fails the same way, before anything is sent.

use crate::bridge::validation_error;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::time::Duration;

/// What an argument must be, for the error message.
pub trait Expected {
    const WHAT: &'static str;
}

impl Expected for u32 {
    const WHAT: &'static str = "a whole number from 0 to 4294967295";
}

impl Expected for i64 {
    const WHAT: &'static str = "a whole number of at most 64 bits";
}

impl Expected for usize {
    const WHAT: &'static str = "a whole number that fits the platform's size type";
}

impl Expected for String {
    const WHAT: &'static str = "a string";
}

/// A value extracted with a `ValidationError` on failure.
pub struct Arg<T>(pub T);

impl<'a, 'py, T> FromPyObject<'a, 'py> for Arg<T>
where
    T: FromPyObject<'a, 'py> + Expected,
{
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        // Python's bool is an int; a flag passed as a count is a mistake.
        if obj.is_instance_of::<pyo3::types::PyBool>() {
            return Err(validation_error(obj.py(), &format!("expected {}, not a bool", T::WHAT)));
        }
        T::extract(obj).map(Arg).map_err(|_| validation_error(obj.py(), &format!("expected {}, not {}", T::WHAT, shown(&obj))))
    }
}

/// A list of strings; a single `str` (which Python would iterate as letters) is refused.
pub struct Strings(pub Vec<String>);

impl<'a, 'py> FromPyObject<'a, 'py> for Strings {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let refuse = || validation_error(obj.py(), &format!("expected a list of strings, not {}", shown(&obj)));
        if obj.is_instance_of::<PyString>() {
            return Err(refuse());
        }
        Vec::<String>::extract(obj).map(Strings).map_err(|_| refuse())
    }
}

/// A non-negative, finite number of seconds that a `Duration` can hold.
pub struct Seconds(pub Duration);

impl<'a, 'py> FromPyObject<'a, 'py> for Seconds {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let value = if obj.is_instance_of::<pyo3::types::PyBool>() { None } else { f64::extract(obj).ok() };
        value
            .and_then(|v| Duration::try_from_secs_f64(v).ok())
            .map(Seconds)
            .ok_or_else(|| validation_error(obj.py(), &format!("expected a non-negative, finite number of seconds, not {}", shown(&obj))))
    }
}

/// A short description of a refused value: its type, and its start for numbers and strings.
fn shown(obj: &Borrowed<'_, '_, PyAny>) -> String {
    let type_name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    match obj.repr().map(|r| r.to_string()) {
        Ok(repr) if repr.chars().count() <= 40 => format!("{type_name} {repr}"),
        Ok(repr) => format!("{type_name} {}…", repr.chars().take(40).collect::<String>()),
        Err(_) => type_name,
    }
}
