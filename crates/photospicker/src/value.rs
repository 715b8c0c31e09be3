//! `value!` declares a model struct once for both languages: in Rust it is
//! the plain struct; with the `python` feature it is also a frozen Python
//! class (`photospicker.PickingSession` …) whose attributes, constructor,
//! `__match_args__`, `replace()`, pickling, equality and `repr` all come from
//! the field list written here. Adding a field to the model is therefore one
//! edit (plus its JSON conversion beside it), for Rust and Python alike.

use crate::error::Result;

/// A value with the API's JSON shape (see `api_json!` in `model.rs`).
#[cfg_attr(not(feature = "python"), allow(dead_code))]
pub trait ApiJson: Sized {
    /// This value in the API's JSON shape.
    fn to_json(&self) -> String;
    /// A value from the API's JSON shape.
    fn from_json(json: &str) -> Result<Self>;
}

/// The field list of a `value!` struct: `(name, Rust type)` in order (the
/// Python stubs are generated from it).
#[cfg_attr(not(feature = "python"), allow(dead_code))]
pub trait Fields {
    /// The struct's name.
    const CLASS: &'static str;
    /// Every field's name and Rust type, as written.
    const FIELDS: &'static [(&'static str, &'static str)];
}

macro_rules! value {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "python", pyo3::pyclass(frozen, get_all, from_py_object, module = "photospicker"))]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )+
        }

        impl $crate::value::Fields for $name {
            const CLASS: &'static str = stringify!($name);
            const FIELDS: &'static [(&'static str, &'static str)] = &[$((stringify!($field), stringify!($ty))),+];
        }

        #[cfg(feature = "python")]
        // Some values are `Copy`; Python methods take `&self` all the same.
        #[allow(clippy::wrong_self_convention)]
        #[pyo3::pymethods]
        impl $name {
            #[new]
            #[pyo3(signature = (*args, **kwargs))]
            fn __new__(args: &pyo3::Bound<'_, pyo3::types::PyTuple>, kwargs: Option<&pyo3::Bound<'_, pyo3::types::PyDict>>) -> pyo3::PyResult<Self> {
                let mut given = $crate::python::Given::new::<Self>(args, kwargs)?;
                let default = <Self as Default>::default();
                let value = Self { $( $field: given.take(stringify!($field), default.$field)?, )+ };
                given.finish()?;
                Ok(value)
            }

            #[classattr]
            fn __match_args__(py: pyo3::Python<'_>) -> pyo3::PyResult<pyo3::Bound<'_, pyo3::types::PyTuple>> {
                $crate::python::match_args::<Self>(py)
            }

            /// This value in the API's JSON shape.
            #[pyo3(name = "to_json")]
            fn py_to_json(&self) -> String {
                <Self as $crate::value::ApiJson>::to_json(self)
            }

            /// This value as a dict in the API's JSON shape.
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                $crate::python::to_dict(py, &<Self as $crate::value::ApiJson>::to_json(self))
            }

            /// A value from the API's JSON shape (`str` or `bytes`, as
            /// `to_json` writes it); anything else is a `DecodeError`.
            #[classmethod]
            #[pyo3(name = "from_json")]
            fn py_from_json(_cls: &pyo3::Bound<'_, pyo3::types::PyType>, text: &pyo3::Bound<'_, pyo3::PyAny>) -> pyo3::PyResult<Self> {
                $crate::python::from_json(text)
            }

            /// A value from a dict in the API's JSON shape.
            #[classmethod]
            fn from_dict(_cls: &pyo3::Bound<'_, pyo3::types::PyType>, data: &pyo3::Bound<'_, pyo3::PyAny>) -> pyo3::PyResult<Self> {
                $crate::python::from_dict(data)
            }

            /// A copy with the given fields changed.
            #[pyo3(signature = (**changes))]
            fn replace<'py>(slf: &pyo3::Bound<'py, Self>, changes: Option<&pyo3::Bound<'py, pyo3::types::PyDict>>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                $crate::python::replace::<Self>(slf, changes)
            }

            #[pyo3(signature = (**changes))]
            fn __replace__<'py>(slf: &pyo3::Bound<'py, Self>, changes: Option<&pyo3::Bound<'py, pyo3::types::PyDict>>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                $crate::python::replace::<Self>(slf, changes)
            }

            fn __repr__(slf: &pyo3::Bound<'_, Self>) -> pyo3::PyResult<String> {
                $crate::python::repr::<Self>(slf)
            }

            fn __hash__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<isize> {
                $crate::python::hash(py, &<Self as $crate::value::ApiJson>::to_json(self))
            }

            fn __richcmp__(&self, other: &pyo3::Bound<'_, pyo3::PyAny>, op: pyo3::basic::CompareOp) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                $crate::python::compare(self, other, op)
            }

            fn __reduce__<'py>(slf: &pyo3::Bound<'py, Self>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                $crate::python::reduce::<Self>(slf)
            }

            fn __copy__(slf: pyo3::Bound<'_, Self>) -> pyo3::Bound<'_, Self> {
                slf
            }

            fn __deepcopy__<'py>(slf: pyo3::Bound<'py, Self>, _memo: &pyo3::Bound<'py, pyo3::PyAny>) -> pyo3::Bound<'py, Self> {
                slf
            }
        }
    };
}

/// Deepest nesting a value's JSON may have: the API's own is at most five
/// levels deep; deeper input (even in fields this version ignores) is garbage.
const MAX_JSON_DEPTH: usize = 64;
/// Longest run of digits in one number (as Python's `int` limit).
const MAX_NUMBER_DIGITS: usize = 4300;

/// Refuses JSON nested deeper than [`MAX_JSON_DEPTH`] or holding a number
/// longer than [`MAX_NUMBER_DIGITS`] digits, before it is decoded (the
/// decoder skips unknown fields without looking at their depth or size).
pub(crate) fn check_json_shape(json: &str) -> Result<()> {
    let (mut depth, mut digits, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in json.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        digits = if byte.is_ascii_digit() { digits + 1 } else { 0 };
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_JSON_DEPTH {
            return Err(crate::error::Error::decode(format!("JSON nested deeper than {MAX_JSON_DEPTH} levels")));
        }
        if digits > MAX_NUMBER_DIGITS {
            return Err(crate::error::Error::decode(format!("a JSON number longer than {MAX_NUMBER_DIGITS} digits")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_json_shape;

    #[test]
    fn deep_nesting_and_endless_numbers_are_refused_but_strings_may_hold_brackets() {
        assert!(check_json_shape(&format!("{{\"a\":{}{}}}", "[".repeat(100), "]".repeat(100))).is_err());
        assert!(check_json_shape(&format!("{{\"a\":{}}}", "9".repeat(5000))).is_err());
        assert!(check_json_shape(&format!("{{\"a\":\"{}\\\"\"}}", "[".repeat(100))).is_ok());
        assert!(check_json_shape(r#"{"id":"s","pollingConfig":{"pollInterval":"5s"}}"#).is_ok());
    }
}
