//! The Python face of an open enum (feature `python`): a frozen class with
//! one attribute per known value (`MediaType.PHOTO`), `MediaType("HOLOGRAM")`
//! for a value this version does not know, `.value` / `.name` /
//! `.is_unknown`, and equality with the wire string (`== "PHOTO"`), so code
//! written for the old `Enum` and code comparing strings both keep working.

macro_rules! python_open_enum {
    ($name:ident, $py:ident, $pyname:literal, [$($variant:ident = $wire:literal),+]) => {
        #[cfg(feature = "python")]
        #[doc = concat!("The Python class `photospicker.", $pyname, "`: a [`", stringify!($name), "`].")]
        #[pyo3::pyclass(frozen, module = "photospicker", name = $pyname)]
        pub struct $py(pub $name);

        #[cfg(feature = "python")]
        impl $py {
            /// Sets the class attributes of the known values (`MediaType.PHOTO` …).
            pub fn register(module: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
                use pyo3::prelude::*;
                let class = module.py().get_type::<$py>();
                $(class.setattr($wire, pyo3::Py::new(module.py(), $py($name::$variant))?)?;)+
                module.add_class::<$py>()
            }
        }

        #[cfg(feature = "python")]
        #[pyo3::pymethods]
        impl $py {
            #[new]
            fn new(value: &pyo3::Bound<'_, pyo3::PyAny>) -> pyo3::PyResult<Self> {
                use pyo3::prelude::*;
                if let Ok(same) = value.cast::<$py>() {
                    return Ok(Self(same.get().0.clone()));
                }
                let text: String = value.extract().map_err(|_| {
                    pyo3::exceptions::PyValueError::new_err(format!("{} takes a str, not {}", $pyname, value.get_type().name().map(|n| n.to_string()).unwrap_or_default()))
                })?;
                Ok(Self(text.parse().unwrap_or_else(|never| match never {})))
            }

            /// The value as the API writes it.
            #[getter]
            fn value(&self) -> &str {
                self.0.as_str()
            }

            /// The value as the API writes it (the attribute's name for known values).
            #[getter]
            fn name(&self) -> &str {
                self.0.as_str()
            }

            /// Whether the service sent a value this version does not know.
            #[getter]
            fn is_unknown(&self) -> bool {
                self.0.is_unknown()
            }

            fn __repr__(&self) -> String {
                format!("{}.{}", $pyname, self.0.as_str())
            }

            fn __str__(&self) -> &str {
                self.0.as_str()
            }

            fn __hash__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<isize> {
                use pyo3::prelude::*;
                pyo3::types::PyString::new(py, self.0.as_str()).hash()
            }

            fn __richcmp__(&self, other: &pyo3::Bound<'_, pyo3::PyAny>, op: pyo3::basic::CompareOp) -> pyo3::PyResult<pyo3::Py<pyo3::PyAny>> {
                use pyo3::prelude::*;
                let py = other.py();
                let theirs = if let Ok(same) = other.cast::<$py>() {
                    same.get().0.as_str().to_owned()
                } else if let Ok(text) = other.extract::<String>() {
                    text
                } else {
                    return Ok(py.NotImplemented());
                };
                let equal = theirs == self.0.as_str();
                Ok(match op {
                    pyo3::basic::CompareOp::Eq => equal.into_pyobject(py)?.to_owned().into_any().unbind(),
                    pyo3::basic::CompareOp::Ne => (!equal).into_pyobject(py)?.to_owned().into_any().unbind(),
                    _ => py.NotImplemented(),
                })
            }

            fn __reduce__<'py>(slf: &pyo3::Bound<'py, Self>) -> (pyo3::Bound<'py, pyo3::types::PyType>, (String,)) {
                use pyo3::prelude::*;
                (slf.get_type(), (slf.get().0.as_str().to_owned(),))
            }
        }

        #[cfg(feature = "python")]
        impl<'py> pyo3::IntoPyObject<'py> for $name {
            type Target = $py;
            type Output = pyo3::Bound<'py, $py>;
            type Error = pyo3::PyErr;

            fn into_pyobject(self, py: pyo3::Python<'py>) -> pyo3::PyResult<Self::Output> {
                pyo3::Bound::new(py, $py(self))
            }
        }

        #[cfg(feature = "python")]
        impl<'a, 'py> pyo3::FromPyObject<'a, 'py> for $name {
            type Error = pyo3::PyErr;

            fn extract(obj: pyo3::Borrowed<'a, 'py, pyo3::PyAny>) -> pyo3::PyResult<Self> {
                $py::new(&obj).map(|value| value.0)
            }
        }
    };
}
