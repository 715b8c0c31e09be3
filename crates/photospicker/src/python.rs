//! The Python side of the model (feature `python`): what every `value!`
//! class shares (construction, JSON, `replace`, pickling, equality, `repr`),
//! the few Python-only properties, and the old Python names kept one release
//! as deprecated aliases.

use crate::error::Error;
use crate::model::{
    redacted_url, MediaFile, MediaFileMetadata, MediaItem, MediaMetadata, PhotoMetadata, PickedMediaItem, PickingSession, PollingConfig,
    VideoMetadata,
};
use crate::value::{ApiJson, Fields};
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyDeprecationWarning, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple, PyType};
use pyo3::PyClass;
use std::sync::OnceLock;

/// Declares the Python names of the previous release, kept one release as
/// deprecated aliases: a getter each, the old name accepted by the
/// constructor and `replace`, and the table (`RENAMED`) the stubs use.
macro_rules! renamed {
    ($($class:ident . $old:ident = $old_name:literal => $new:ident),+ $(,)?) => {
        /// Python names of the previous release: `(class, old name, current name)`.
        /// Reading or passing an old name works, with a `DeprecationWarning`.
        pub const RENAMED: &[(&str, &str, &str)] = &[$((stringify!($class), $old_name, stringify!($new))),+];

        $(
            #[pymethods]
            impl $class {
                #[doc = concat!("Deprecated: `", stringify!($new), "`.")]
                #[getter]
                fn $old<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
                    current_name::<Self>(slf.py(), $old_name)?;
                    slf.as_any().getattr(stringify!($new))
                }
            }
        )+
    };
}

renamed!(
    PickedMediaItem.r#type = "type" => media_type,
    MediaFile.media_file_metadata = "media_file_metadata" => metadata,
    MediaFileMetadata.photo_metadata = "photo_metadata" => photo,
    MediaFileMetadata.video_metadata = "video_metadata" => video,
    MediaItem.media_metadata = "media_metadata" => metadata,
);

static ERROR_CONVERTER: OnceLock<fn(Error) -> PyErr> = OnceLock::new();

/// How a client error becomes a Python exception (`photospicker-py` sets
/// it at import: the exception classes are its business, not the model's).
pub fn set_error_converter(convert: fn(Error) -> PyErr) {
    let _ = ERROR_CONVERTER.set(convert);
}

fn py_err(error: Error) -> PyErr {
    match ERROR_CONVERTER.get() {
        Some(convert) => convert(error),
        None => PyValueError::new_err(error.to_string()),
    }
}

/// Adds the model classes (and the open enums) to `module`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PollingConfig>()?;
    module.add_class::<PickingSession>()?;
    module.add_class::<PhotoMetadata>()?;
    module.add_class::<VideoMetadata>()?;
    module.add_class::<MediaFileMetadata>()?;
    module.add_class::<MediaFile>()?;
    module.add_class::<PickedMediaItem>()?;
    module.add_class::<MediaMetadata>()?;
    module.add_class::<MediaItem>()?;
    photospicker_api::PyMediaType::register(module)?;
    photospicker_api::PyVideoProcessingStatus::register(module)?;
    Ok(())
}

/// Every `value!` struct with its field list, for the stub generator: `(class, [(field, Rust type)])`.
pub fn model_fields() -> Vec<(&'static str, &'static [(&'static str, &'static str)])> {
    fn entry<T: Fields>() -> (&'static str, &'static [(&'static str, &'static str)]) {
        (T::CLASS, T::FIELDS)
    }
    vec![
        entry::<PollingConfig>(),
        entry::<PickingSession>(),
        entry::<PhotoMetadata>(),
        entry::<VideoMetadata>(),
        entry::<MediaFileMetadata>(),
        entry::<MediaFile>(),
        entry::<PickedMediaItem>(),
        entry::<MediaMetadata>(),
        entry::<MediaItem>(),
    ]
}

fn current_name<T: Fields>(py: Python<'_>, name: &str) -> PyResult<Option<&'static str>> {
    let Some((_, old, new)) = RENAMED.iter().find(|(class, old, _)| *class == T::CLASS && *old == name) else { return Ok(None) };
    let message = format!("{}.{old} is deprecated: use {}.{new}", T::CLASS, T::CLASS);
    PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), &std::ffi::CString::new(message).unwrap_or_default(), 2)?;
    Ok(Some(new))
}

/// The arguments of a value's constructor: positional in field order, or by name.
pub struct Given<'py> {
    positional: Vec<Bound<'py, PyAny>>,
    named: Bound<'py, PyDict>,
    next: usize,
    class: &'static str,
}

/// A tz-aware `datetime` in UTC (an error for anything else).
fn in_utc<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    if value.getattr("utcoffset")?.call0()?.is_none() {
        return Err(PyValueError::new_err("a naive datetime"));
    }
    let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
    value.call_method1("astimezone", (utc,))
}

impl<'py> Given<'py> {
    /// The constructor's arguments, old names translated.
    pub fn new<T: Fields>(args: &Bound<'py, PyTuple>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Self> {
        let py = args.py();
        if args.len() > T::FIELDS.len() {
            return Err(PyTypeError::new_err(format!("{}() takes at most {} positional arguments", T::CLASS, T::FIELDS.len())));
        }
        let named = PyDict::new(py);
        if let Some(kwargs) = kwargs {
            for (key, value) in kwargs.iter() {
                let key: String = key.extract()?;
                let key = current_name::<T>(py, &key)?.map(str::to_owned).unwrap_or(key);
                named.set_item(key, value)?;
            }
        }
        Ok(Self { positional: args.iter().collect(), named, next: 0, class: T::CLASS })
    }

    /// The next field's argument, or `default` when it was not given.
    pub fn take<T>(&mut self, name: &str, default: T) -> PyResult<T>
    where
        T: for<'a> FromPyObject<'a, 'py>,
        for<'a> <T as FromPyObject<'a, 'py>>::Error: Into<PyErr>,
    {
        let index = self.next;
        self.next += 1;
        let by_name = self.named.get_item(name)?;
        if by_name.is_some() {
            self.named.del_item(name)?;
        }
        let value = match (self.positional.get(index), by_name) {
            (Some(_), Some(_)) => return Err(PyTypeError::new_err(format!("{}() got two values for {name}", self.class))),
            (Some(value), None) => value.clone(),
            (None, Some(value)) => value,
            (None, None) => return Ok(default),
        };
        let error: PyErr = match value.extract::<T>() {
            Ok(extracted) => return Ok(extracted),
            Err(error) => error.into(),
        };
        // Times are kept in UTC: any other tz-aware datetime is the same instant there.
        if let Ok(utc) = in_utc(&value) {
            if let Ok(extracted) = utc.extract::<T>() {
                return Ok(extracted);
            }
        }
        // A value of the wrong type or out of range is a bad argument like any other.
        Err(py_err(Error::validation(format!("{}.{name}: {}", self.class, error.value(value.py())))))
    }

        /// Refuses names that are no field.
    pub fn finish(self) -> PyResult<()> {
        match self.named.keys().iter().next() {
            Some(unknown) => Err(PyTypeError::new_err(format!("{}() got an unexpected keyword argument {unknown}", self.class))),
            None => Ok(()),
        }
    }
}

/// `__match_args__`: the field names in order.
pub fn match_args<T: Fields>(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(py, T::FIELDS.iter().map(|(name, _)| *name))
}

/// `to_dict()`: the API JSON as Python data.
pub fn to_dict<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// `from_json()`: `str` or `bytes`; anything else is a `DecodeError`.
pub fn from_json<T: ApiJson>(text: &Bound<'_, PyAny>) -> PyResult<T> {
    let decoded = if let Ok(text) = text.cast::<PyString>() {
        T::from_json(&text.to_cow()?)
    } else if let Ok(bytes) = text.cast::<PyBytes>() {
        match std::str::from_utf8(bytes.as_bytes()) {
            Ok(text) => T::from_json(text),
            Err(error) => Err(Error::decode(format!("not UTF-8 JSON: {error}"))),
        }
    } else {
        let type_name = text.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        Err(Error::decode(format!("expected JSON as str or bytes, not {type_name}")))
    };
    decoded.map_err(py_err)
}

/// `from_dict()`: a dict in the API's JSON shape.
pub fn from_dict<T: ApiJson>(data: &Bound<'_, PyAny>) -> PyResult<T> {
    let py = data.py();
    if !data.is_instance_of::<PyDict>() {
        let type_name = data.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(py_err(Error::decode(format!("expected a dict, not {type_name}"))));
    }
    let json = match py.import("json")?.call_method1("dumps", (data,)) {
        Ok(json) => json,
        Err(error) => return Err(py_err(Error::decode(format!("not JSON data: {}", error.value(py))))),
    };
    from_json(&json)
}

/// `replace(**changes)` / `copy.replace`: a copy with some fields changed.
pub fn replace<'py, T: Fields + PyClass>(slf: &Bound<'py, T>, changes: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let arguments = PyDict::new(py);
    for (name, _) in T::FIELDS {
        arguments.set_item(name, slf.as_any().getattr(name)?)?;
    }
    if let Some(changes) = changes {
        for (key, value) in changes.iter() {
            let key: String = key.extract()?;
            let key = current_name::<T>(py, &key)?.map(str::to_owned).unwrap_or(key);
            if !T::FIELDS.iter().any(|(name, _)| *name == key) {
                return Err(PyTypeError::new_err(format!("{} has no field {key}", T::CLASS)));
            }
            arguments.set_item(key, value)?;
        }
    }
    slf.as_any().get_type().call((), Some(&arguments))
}

/// `repr()`: every field, a `base_url` only by its host.
pub fn repr<T: Fields + PyClass>(slf: &Bound<'_, T>) -> PyResult<String> {
    let mut shown = Vec::with_capacity(T::FIELDS.len());
    for (name, _) in T::FIELDS {
        let value = slf.as_any().getattr(name)?;
        // A baseUrl grants access to the user's bytes: only its host is shown (as Rust's Debug does).
        let text = if *name == "base_url" { format!("{:?}", redacted_url(&value.extract::<String>()?)) } else { value.repr()?.to_string() };
        shown.push(format!("{name}={text}"));
    }
    Ok(format!("{}({})", T::CLASS, shown.join(", ")))
}

/// Hash of the API JSON: consistent with `compare` (equal JSON, equal values).
pub fn hash(py: Python<'_>, json: &str) -> PyResult<isize> {
    PyString::new(py, json).hash()
}

/// Values are equal when their API JSON is: the same data, whatever a
/// client-side extra (a picked item's `session_id`) says.
pub fn compare<T: ApiJson + PyClass>(value: &T, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
    let py = other.py();
    let Ok(other) = other.cast::<T>() else { return Ok(py.NotImplemented()) };
    let equal = value.to_json() == other.borrow().to_json();
    Ok(match op {
        CompareOp::Eq => equal.into_pyobject(py)?.to_owned().into_any().unbind(),
        CompareOp::Ne => (!equal).into_pyobject(py)?.to_owned().into_any().unbind(),
        _ => py.NotImplemented(),
    })
}

/// Pickles as the constructor call with every field in order.
pub fn reduce<'py, T: Fields + PyClass>(slf: &Bound<'py, T>) -> PyResult<Bound<'py, PyAny>> {
    let fields = T::FIELDS.iter().map(|(name, _)| slf.as_any().getattr(name)).collect::<PyResult<Vec<_>>>()?;
    let arguments = PyTuple::new(slf.py(), fields)?;
    Ok(PyTuple::new(slf.py(), [slf.as_any().get_type().into_any(), arguments.into_any()])?.into_any())
}

#[pymethods]
impl PickingSession {
    /// `picker_uri` with `/autoclose`: the tab closes itself when the user is done.
    #[getter(picker_uri_autoclose)]
    fn py_picker_uri_autoclose(&self) -> String {
        self.picker_uri_autoclose()
    }

    /// Deprecated: `max_item_count` (the session's `pickingConfig` as a `PickingConfig`).
    #[getter]
    fn picking_config<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let message = c"PickingSession.picking_config is deprecated: use PickingSession.max_item_count";
        PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), message, 1)?;
        match self.max_item_count {
            Some(count) => Ok(Some(py.import("photospicker.models")?.getattr("PickingConfig")?.call1((count,))?)),
            None => Ok(None),
        }
    }
}

#[pymethods]
impl PickedMediaItem {
    /// Whether this is a video that is not yet (or never) downloadable.
    #[getter(video_not_ready)]
    fn py_video_not_ready(&self) -> bool {
        self.video_not_ready()
    }
}

#[allow(dead_code)]
fn _type_check(_: &PyType) {}
