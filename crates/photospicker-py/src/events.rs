//! Typed events for Python callbacks: `PollEvent` (each poll of
//! `wait_until_picked`) and `DownloadProgress` (each step of `download_all`),
//! with an enum `kind` that also compares equal to its old string
//! (`event.kind == "finished"` keeps working).

use photospicker::{DownloadEvent, PickingSession};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::time::Duration;

/// Equality of a kind with itself or with its string value.
fn compare_kind(value: &str, other: &Bound<'_, PyAny>, theirs: Option<&str>, op: CompareOp) -> PyResult<Py<PyAny>> {
    let py = other.py();
    let theirs = match theirs {
        Some(theirs) => theirs.to_owned(),
        None => match other.extract::<String>() {
            Ok(text) => text,
            Err(_) => return Ok(py.NotImplemented()),
        },
    };
    let equal = theirs == value;
    Ok(match op {
        CompareOp::Eq => equal.into_pyobject(py)?.to_owned().into_any().unbind(),
        CompareOp::Ne => (!equal).into_pyobject(py)?.to_owned().into_any().unbind(),
        _ => py.NotImplemented(),
    })
}

macro_rules! kind_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $py_name:literal / $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[pyclass(frozen, from_py_object, module = "photospicker")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* #[pyo3(name = $py_name)] $variant,)+
        }

        impl $name {
            fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                }
            }

            fn py_name(self) -> &'static str {
                match self {
                    $(Self::$variant => $py_name,)+
                }
            }
        }

        #[pymethods]
        impl $name {
            /// The kind as a string (what earlier releases passed).
            #[getter]
            fn value(&self) -> &'static str {
                self.as_str()
            }

            fn __str__(&self) -> &'static str {
                self.as_str()
            }

            fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
                PyString::new(py, self.as_str()).hash()
            }

            fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
                let same = other.cast::<$name>().ok().map(|kind| kind.get().as_str());
                compare_kind(self.as_str(), other, same, op)
            }

            /// Pickles as `getattr(Kind, "NAME")`: the one member, in any process.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, pyo3::types::PyType>, &'static str))> {
                Ok((slf.py().import("builtins")?.getattr("getattr")?, (slf.as_any().get_type(), slf.get().py_name())))
            }
        }
    };
}

kind_enum!(
    /// What a `PollEvent` reports.
    PollEventKind {
        /// Not picked yet.
        Waiting = "WAITING" / "waiting",
        /// The user finished picking.
        Picked = "PICKED" / "picked",
    }
);

kind_enum!(
    /// What a `DownloadProgress` reports.
    DownloadProgressKind {
        /// A download began.
        Started = "STARTED" / "started",
        /// More bytes were written.
        Progress = "PROGRESS" / "progress",
        /// The file is complete and in place.
        Finished = "FINISHED" / "finished",
        /// The download failed; nothing was left on disk.
        Failed = "FAILED" / "failed",
    }
);

/// One poll of `wait_until_picked`, for progress display.
#[pyclass(frozen, get_all, eq, module = "photospicker")]
#[derive(Clone, Debug, PartialEq)]
pub struct PollEvent {
    /// `WAITING` or `PICKED`.
    pub kind: PollEventKind,
    /// The session as this poll saw it.
    pub session: PickingSession,
    /// Polls so far.
    pub polls: u32,
    /// Whether the user has finished picking.
    pub picked: bool,
    /// The gap before the next poll (`None` once picked).
    pub next_poll_in: Option<Duration>,
    /// How much longer the server will wait, if it said.
    pub timeout_in: Option<Duration>,
}

impl PollEvent {
    /// The Python event for a Rust one (`None` for kinds this layer does not know).
    pub fn from_event(event: photospicker::PollEvent) -> Option<Self> {
        Some(match event {
            photospicker::PollEvent::Waiting { session, polls, next_poll_in, timeout_in } => {
                Self { kind: PollEventKind::Waiting, session, polls, picked: false, next_poll_in: Some(next_poll_in), timeout_in }
            }
            photospicker::PollEvent::Picked { session, polls } => {
                Self { kind: PollEventKind::Picked, session, polls, picked: true, next_poll_in: None, timeout_in: None }
            }
            _ => return None,
        })
    }
}

#[pymethods]
impl PollEvent {
    /// Frozen: a copy is the value itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        format!("PollEvent(kind=PollEventKind.{:?}, session_id={:?}, polls={}, picked={})", self.kind, self.session.id, self.polls, self.picked)
    }
}

/// A step of `download_all`.
#[pyclass(frozen, get_all, eq, module = "photospicker")]
#[derive(Clone, Debug, PartialEq)]
pub struct DownloadProgress {
    /// `STARTED`, `PROGRESS`, `FINISHED` or `FAILED`.
    pub kind: DownloadProgressKind,
    /// The item's position in the list given to `download_all`.
    pub index: usize,
    /// Bytes written so far.
    pub bytes: u64,
    /// The size, if known (the server's announcement, or the final size).
    pub total: Option<u64>,
    /// Where the finished file is.
    pub path: Option<String>,
    /// What went wrong, for a failed download.
    pub error: Option<String>,
}

impl DownloadProgress {
    /// The Python event for a Rust one (`None` for kinds this layer does not know).
    pub fn from_event(event: DownloadEvent) -> Option<Self> {
        let (kind, index, bytes, total, path, error) = match event {
            DownloadEvent::Started { index, .. } => (DownloadProgressKind::Started, index, 0, None, None, None),
            DownloadEvent::Progress { index, bytes, total } => (DownloadProgressKind::Progress, index, bytes, total, None, None),
            DownloadEvent::Finished { index, path, bytes } => {
                (DownloadProgressKind::Finished, index, bytes, Some(bytes), Some(path.to_string_lossy().into_owned()), None)
            }
            DownloadEvent::Failed { index, error } => (DownloadProgressKind::Failed, index, 0, None, None, Some(error)),
            _ => return None,
        };
        Some(Self { kind, index, bytes, total, path, error })
    }
}

#[pymethods]
impl DownloadProgress {
    /// Frozen: a copy is the value itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        // Python's spelling of an absent total (`None`, not Rust's `Some(…)`).
        let total = self.total.map_or_else(|| "None".to_string(), |total| total.to_string());
        format!("DownloadProgress(kind=DownloadProgressKind.{:?}, index={}, bytes={}, total={total})", self.kind, self.index, self.bytes)
    }
}

/// Adds the event classes to `module`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PollEventKind>()?;
    module.add_class::<PollEvent>()?;
    module.add_class::<DownloadProgressKind>()?;
    module.add_class::<DownloadProgress>()
}
