//! The exception classes of `photospicker.errors`, made here, and the one
//! place a Rust [`Error`] becomes one: an exhaustive `match` on its
//! [`ErrorKind`], so a new kind cannot cross the border unclassified.
//!
//! The classes are plain Python exception classes (no native fields): users
//! subclass them, and `StorageError` / `PickingTimeoutError` also derive from
//! `OSError` / `TimeoutError`, whose instance layout no native base could
//! share. Their attributes live in the instance `__dict__`, which is what
//! `__reduce__` sends when `multiprocessing` pickles one.

use photospicker::{Error, ErrorKind};
use pyo3::exceptions::{PyException, PyOSError, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};
use serde_json::Value;

/// The module users import the classes from (what tracebacks and pickle name).
const MODULE: &str = "photospicker.errors";

/// Every exception class, parents before children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    PhotosPicker,
    Api,
    InvalidArgument,
    Unauthenticated,
    PermissionDenied,
    NotFound,
    FailedPrecondition,
    ResourceExhausted,
    Unavailable,
    Internal,
    PickingTimeout,
    SessionExpired,
    Transport,
    DeadlineExceeded,
    Redirect,
    Decode,
    ResponseTooLarge,
    UnexpectedContent,
    Validation,
    Auth,
    VideoNotReady,
    Storage,
}

/// A built-in exception a class also derives from, so `except OSError` (…) catches it.
#[derive(Clone, Copy)]
enum Builtin {
    Timeout,
    Value,
    Os,
}

struct Spec {
    class: Class,
    name: &'static str,
    parent: Option<Class>,
    builtin: Option<Builtin>,
    doc: &'static str,
}

const fn spec(class: Class, name: &'static str, parent: Class, builtin: Option<Builtin>, doc: &'static str) -> Spec {
    Spec { class, name, parent: Some(parent), builtin, doc }
}

const SPECS: &[Spec] = &[
    Spec { class: Class::PhotosPicker, name: "PhotosPickerError", parent: None, builtin: None, doc: "Base class of every photospicker error." },
    spec(Class::Api, "ApiError", Class::PhotosPicker, None, "The service answered with an error."),
    spec(Class::InvalidArgument, "InvalidArgumentError", Class::Api, None, "INVALID_ARGUMENT or OUT_OF_RANGE: the service refused the request's values."),
    spec(Class::Unauthenticated, "UnauthenticatedError", Class::Api, None, "UNAUTHENTICATED: the token is missing, invalid or expired."),
    spec(Class::PermissionDenied, "PermissionDeniedError", Class::Api, None, "PERMISSION_DENIED: a missing scope, an expired session or baseUrl."),
    spec(Class::NotFound, "NotFoundError", Class::Api, None, "NOT_FOUND: no such session (or not yours)."),
    spec(Class::FailedPrecondition, "FailedPreconditionError", Class::Api, None, "FAILED_PRECONDITION: e.g. listing before the user finished picking."),
    spec(Class::ResourceExhausted, "ResourceExhaustedError", Class::Api, None, "RESOURCE_EXHAUSTED: quota, or too many sessions."),
    spec(Class::Unavailable, "UnavailableError", Class::Api, None, "UNAVAILABLE: the service is down for now; retry later."),
    spec(Class::Internal, "InternalError", Class::Api, None, "INTERNAL, UNKNOWN or DATA_LOSS: the service failed."),
    spec(Class::PickingTimeout, "PickingTimeoutError", Class::PhotosPicker, Some(Builtin::Timeout), "The user did not finish picking in time (the server's ``timeoutIn`` or yours)."),
    spec(Class::SessionExpired, "SessionExpiredError", Class::PhotosPicker, None, "The session passed its ``expireTime``; create a new one."),
    spec(Class::Transport, "TransportError", Class::PhotosPicker, None, "The request or its answer was lost on the network, timed out or stalled."),
    spec(Class::DeadlineExceeded, "DeadlineExceededError", Class::PhotosPicker, Some(Builtin::Timeout), "The call's overall deadline (``Retry.time_limit``) passed; it was cut."),
    spec(Class::Redirect, "RedirectError", Class::PhotosPicker, None, "The service answered with a redirect, which is never followed (the request carries the access token). Only the target's host is kept."),
    spec(Class::Decode, "DecodeError", Class::PhotosPicker, None, "The service answered with something the API does not promise."),
    spec(Class::ResponseTooLarge, "ResponseTooLargeError", Class::Decode, None, "An answer was larger than ``max_response_bytes``; it was not read."),
    spec(Class::UnexpectedContent, "UnexpectedContentError", Class::Decode, None, "A media answer was not the item's kind of content (e.g. an HTML page for a photo); nothing was kept."),
    spec(Class::Validation, "ValidationError", Class::PhotosPicker, Some(Builtin::Value), "The call was refused before anything was sent."),
    spec(Class::Auth, "AuthError", Class::PhotosPicker, None, "No access token could be had (the token provider failed)."),
    spec(Class::VideoNotReady, "VideoNotReadyError", Class::PhotosPicker, None, "A video whose processing is not ``READY`` cannot be downloaded."),
    spec(Class::Storage, "StorageError", Class::PhotosPicker, Some(Builtin::Os), "Writing media to disk failed (nothing partial was left behind)."),
];

/// The exception class for each kind of failure: the one classification.
pub fn class_of(kind: ErrorKind) -> Class {
    match kind {
        ErrorKind::InvalidArgument => Class::InvalidArgument,
        ErrorKind::Unauthenticated => Class::Unauthenticated,
        ErrorKind::PermissionDenied => Class::PermissionDenied,
        ErrorKind::NotFound => Class::NotFound,
        ErrorKind::FailedPrecondition => Class::FailedPrecondition,
        ErrorKind::ResourceExhausted => Class::ResourceExhausted,
        ErrorKind::Unavailable => Class::Unavailable,
        ErrorKind::Internal => Class::Internal,
        ErrorKind::OtherApi => Class::Api,
        ErrorKind::Redirect => Class::Redirect,
        ErrorKind::Transport => Class::Transport,
        ErrorKind::DeadlineExceeded => Class::DeadlineExceeded,
        ErrorKind::ResponseTooLarge => Class::ResponseTooLarge,
        ErrorKind::UnexpectedContent => Class::UnexpectedContent,
        ErrorKind::Decode => Class::Decode,
        ErrorKind::PickingTimeout => Class::PickingTimeout,
        ErrorKind::SessionExpired => Class::SessionExpired,
        ErrorKind::Cancelled => Class::PhotosPicker,
        ErrorKind::Validation => Class::Validation,
        ErrorKind::Auth => Class::Auth,
        ErrorKind::Io => Class::Storage,
        ErrorKind::VideoNotReady => Class::VideoNotReady,
    }
}

static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

/// The Python class of `class` (made on first use, normally at import).
pub fn class(py: Python<'_>, class: Class) -> PyResult<Bound<'_, PyType>> {
    let classes = CLASSES.get_or_try_init(py, || make_classes(py))?;
    let index = SPECS.iter().position(|s| s.class == class).expect("every class has a spec");
    Ok(classes[index].bind(py).clone())
}

fn make_classes(py: Python<'_>) -> PyResult<Vec<Py<PyType>>> {
    let mut made: Vec<Py<PyType>> = Vec::with_capacity(SPECS.len());
    for spec in SPECS {
        let mut bases: Vec<Bound<'_, PyType>> = Vec::new();
        match spec.parent {
            Some(parent) => bases.push(made[SPECS.iter().position(|s| s.class == parent).expect("parents come first")].bind(py).clone()),
            None => bases.push(py.get_type::<PyException>()),
        }
        match spec.builtin {
            Some(Builtin::Timeout) => bases.push(py.get_type::<PyTimeoutError>()),
            Some(Builtin::Value) => bases.push(py.get_type::<PyValueError>()),
            Some(Builtin::Os) => bases.push(py.get_type::<PyOSError>()),
            None => {}
        }
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", MODULE)?;
        namespace.set_item("__qualname__", spec.name)?;
        namespace.set_item("__doc__", spec.doc)?;
        add_methods(py, spec.class, &namespace)?;
        let created = py.get_type::<PyType>().call1((spec.name, PyTuple::new(py, bases)?, namespace))?;
        made.push(created.cast_into::<PyType>()?.unbind());
    }
    Ok(made)
}

fn add_methods(py: Python<'_>, class: Class, namespace: &Bound<'_, PyDict>) -> PyResult<()> {
    let method = |f: Bound<'_, pyo3::types::PyCFunction>| Method { function: f.into_any().unbind() };
    match class {
        Class::PhotosPicker => {
            namespace.set_item("retryable", false)?;
            namespace.set_item("__init__", method(wrap_pyfunction!(base_init, py)?))?;
            namespace.set_item("__reduce__", method(wrap_pyfunction!(reduce, py)?))?;
        }
        Class::Api => {
            namespace.set_item("__init__", method(wrap_pyfunction!(api_init, py)?))?;
            namespace.set_item("__repr__", method(wrap_pyfunction!(api_repr, py)?))?;
        }
        Class::Redirect => {
            namespace.set_item("__init__", method(wrap_pyfunction!(redirect_init, py)?))?;
            namespace.set_item("__repr__", method(wrap_pyfunction!(redirect_repr, py)?))?;
        }
        Class::PickingTimeout | Class::SessionExpired => {
            namespace.set_item("__init__", method(wrap_pyfunction!(session_init, py)?))?;
        }
        _ => {}
    }
    Ok(())
}

/// Adds every class to the native module (`photospicker.errors` re-exports them).
pub fn install(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    for spec in SPECS {
        module.add(spec.name, class(py, spec.class)?)?;
    }
    module.add_function(wrap_pyfunction!(error_for_status, module)?)?;
    Ok(())
}

/// A native function used as a method: the instance is passed first, as
/// Python functions get it (`PyInstanceMethod_New` is not in the stable ABI).
#[pyclass(frozen, module = "photospicker._native")]
struct Method {
    function: Py<PyAny>,
}

#[pymethods]
impl Method {
    fn __get__(slf: &Bound<'_, Self>, instance: Option<Bound<'_, PyAny>>, _owner: Option<Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        match instance {
            None => Ok(slf.clone().into_any().unbind()),
            Some(instance) => Ok(Bound::new(slf.py(), BoundMethod { function: slf.get().function.clone_ref(slf.py()), instance: instance.unbind() })?.into_any().unbind()),
        }
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        Ok(self.function.bind(py).call(args, kwargs)?.unbind())
    }
}

#[pyclass(frozen, module = "photospicker._native")]
struct BoundMethod {
    function: Py<PyAny>,
    instance: Py<PyAny>,
}

#[pymethods]
impl BoundMethod {
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        let mut all = vec![self.instance.bind(py).clone()];
        all.extend(args.iter());
        Ok(self.function.bind(py).call(PyTuple::new(py, all)?, kwargs)?.unbind())
    }
}

#[pyfunction]
#[pyo3(signature = (this, message = None, *, retryable = false))]
fn base_init(this: &Bound<'_, PyAny>, message: Option<Bound<'_, PyAny>>, retryable: bool) -> PyResult<()> {
    let message = message.map_or_else(|| "".into_pyobject(this.py()).map(|m| m.into_any()), Ok)?;
    this.setattr("args", (message.clone(),))?;
    this.setattr("message", message)?;
    this.setattr("retryable", retryable)
}

#[pyfunction]
#[pyo3(signature = (this, message, *, http_status, status = None, details = None, reason = None, headers = None, retry_delay = None, retryable = false, text = None))]
#[allow(clippy::too_many_arguments)]
fn api_init(
    this: &Bound<'_, PyAny>,
    message: Bound<'_, PyAny>,
    http_status: i64,
    status: Option<String>,
    details: Option<Bound<'_, PyAny>>,
    reason: Option<String>,
    headers: Option<Bound<'_, PyAny>>,
    retry_delay: Option<f64>,
    retryable: bool,
    text: Option<String>,
) -> PyResult<()> {
    let py = this.py();
    let text = match text {
        Some(text) => text,
        None => format!("HTTP {http_status} {}: {}", status.as_deref().unwrap_or("None"), message.str()?),
    };
    this.setattr("args", (text,))?;
    this.setattr("message", message)?;
    this.setattr("retryable", retryable)?;
    this.setattr("http_status", http_status)?;
    this.setattr("status", status)?;
    this.setattr("details", details.map_or_else(|| Ok(PyList::empty(py).into_any()), Ok::<_, PyErr>)?)?;
    this.setattr("reason", reason)?;
    this.setattr("headers", headers.map_or_else(|| Ok(PyDict::new(py).into_any()), Ok::<_, PyErr>)?)?;
    this.setattr("retry_delay", retry_delay)
}

#[pyfunction]
fn api_repr(this: &Bound<'_, PyAny>) -> PyResult<String> {
    let field = |name: &str| -> PyResult<String> { Ok(this.getattr(name)?.repr()?.to_string()) };
    Ok(format!(
        "{}(http_status={}, status={}, message={}, reason={})",
        this.get_type().name()?,
        this.getattr("http_status")?,
        field("status")?,
        field("message")?,
        field("reason")?
    ))
}

#[pyfunction]
#[pyo3(signature = (this, message, *, http_status, location_host = None))]
fn redirect_init(this: &Bound<'_, PyAny>, message: Bound<'_, PyAny>, http_status: i64, location_host: Option<String>) -> PyResult<()> {
    base_init(this, Some(message), false)?;
    this.setattr("http_status", http_status)?;
    this.setattr("location_host", location_host)
}

#[pyfunction]
fn redirect_repr(this: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(format!("{}(http_status={}, location_host={})", this.get_type().name()?, this.getattr("http_status")?, this.getattr("location_host")?.repr()?))
}

#[pyfunction]
#[pyo3(signature = (this, message, *, session_id = None))]
fn session_init(this: &Bound<'_, PyAny>, message: Bound<'_, PyAny>, session_id: Option<String>) -> PyResult<()> {
    base_init(this, Some(message), false)?;
    this.setattr("session_id", session_id)
}

/// Pickles as the class, its `args` and its attributes; unpickling makes the
/// instance without `__init__` (whose keyword arguments `args` does not hold).
#[pyfunction]
fn reduce<'py>(this: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let py = this.py();
    let new_object = py.import("copyreg")?.getattr("__newobj__")?;
    let args = this.getattr("args")?.cast_into::<PyTuple>()?;
    let mut arguments = vec![this.get_type().into_any()];
    arguments.extend(args.iter());
    // `args` in the state too: `OSError.__new__` of a subclass with its own
    // `__init__` (StorageError …) leaves it empty.
    let state = this.getattr("__dict__")?.cast_into::<PyDict>()?.copy()?;
    state.set_item("args", args)?;
    PyTuple::new(py, [new_object, PyTuple::new(py, arguments)?.into_any(), state.into_any()])
}

/// The exception for a per-item `google.rpc.Status` (as Rust classifies it).
#[pyfunction]
pub fn error_for_status(py: Python<'_>, code: i32, message: &str) -> PyResult<Py<PyAny>> {
    Ok(exception(py, &Error::from_rpc_status(code, message))?.unbind())
}

/// The exception instance for `error`, with every attribute and the cause.
pub fn exception<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let kind = error.kind();
    let cls = class(py, class_of(kind))?;
    let text = error.to_string();
    let kwargs = PyDict::new(py);
    let instance = if kind.is_api() {
        kwargs.set_item("http_status", error.http_status())?;
        kwargs.set_item("status", error.status_name())?;
        kwargs.set_item("details", json_to_py(py, &Value::Array(error.details().to_vec()))?)?;
        kwargs.set_item("reason", error.reason())?;
        kwargs.set_item("headers", error.headers().iter().cloned().collect::<std::collections::HashMap<_, _>>())?;
        kwargs.set_item("retry_delay", error.retry_delay().map(|d| d.as_secs_f64()))?;
        kwargs.set_item("retryable", error.is_retryable())?;
        kwargs.set_item("text", &text)?;
        cls.call((error.message(),), Some(&kwargs))?
    } else {
        match kind {
            ErrorKind::Redirect => {
                kwargs.set_item("http_status", error.http_status())?;
                kwargs.set_item("location_host", error.redirect_host())?;
            }
            ErrorKind::PickingTimeout | ErrorKind::SessionExpired => kwargs.set_item("session_id", error.session_id())?,
            _ => kwargs.set_item("retryable", error.is_retryable())?,
        }
        cls.call((&text,), Some(&kwargs))?
    };
    if let Some(cause) = cause(py, error) {
        instance.setattr("__cause__", cause)?;
    }
    Ok(instance)
}

/// The Python form of the error's source: an `OSError` with its errno for a disk failure.
fn cause<'py>(py: Python<'py>, error: &Error) -> Option<Bound<'py, PyAny>> {
    let source = std::error::Error::source(error)?;
    let io = source.downcast_ref::<std::io::Error>()?;
    let error = match io.raw_os_error() {
        Some(errno) => PyOSError::new_err((errno, io.to_string())),
        None => PyOSError::new_err(io.to_string()),
    };
    Some(error.into_value(py).into_bound(py).into_any())
}

fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => PyList::new(py, items.iter().map(|v| json_to_py(py, v)).collect::<PyResult<Vec<_>>>()?)?.into_any(),
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, value) in map {
                dict.set_item(key, json_to_py(py, value)?)?;
            }
            dict.into_any()
        }
    })
}
