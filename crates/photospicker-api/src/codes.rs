//! google.rpc.Code: the canonical error codes, their names and HTTP statuses.

/// A canonical Google error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// Not an error.
    Ok,
    /// The operation was cancelled.
    Cancelled,
    /// Unknown error.
    Unknown,
    /// The client specified an invalid argument.
    InvalidArgument,
    /// The deadline expired.
    DeadlineExceeded,
    /// Not found (or not visible to the caller).
    NotFound,
    /// Already exists.
    AlreadyExists,
    /// The caller may not do this.
    PermissionDenied,
    /// A quota or limit ran out.
    ResourceExhausted,
    /// The system is not in a state that allows this.
    FailedPrecondition,
    /// Aborted, e.g. by a concurrency conflict.
    Aborted,
    /// Out of range.
    OutOfRange,
    /// Not implemented.
    Unimplemented,
    /// Internal error.
    Internal,
    /// The service is unavailable; retry with backoff.
    Unavailable,
    /// Unrecoverable data loss.
    DataLoss,
    /// The request has no valid credentials.
    Unauthenticated,
}

const TABLE: &[(Code, i32, &str, u16)] = &[
    (Code::Ok, 0, "OK", 200),
    (Code::Cancelled, 1, "CANCELLED", 499),
    (Code::Unknown, 2, "UNKNOWN", 500),
    (Code::InvalidArgument, 3, "INVALID_ARGUMENT", 400),
    (Code::DeadlineExceeded, 4, "DEADLINE_EXCEEDED", 504),
    (Code::NotFound, 5, "NOT_FOUND", 404),
    (Code::AlreadyExists, 6, "ALREADY_EXISTS", 409),
    (Code::PermissionDenied, 7, "PERMISSION_DENIED", 403),
    (Code::ResourceExhausted, 8, "RESOURCE_EXHAUSTED", 429),
    (Code::FailedPrecondition, 9, "FAILED_PRECONDITION", 400),
    (Code::Aborted, 10, "ABORTED", 409),
    (Code::OutOfRange, 11, "OUT_OF_RANGE", 400),
    (Code::Unimplemented, 12, "UNIMPLEMENTED", 501),
    (Code::Internal, 13, "INTERNAL", 500),
    (Code::Unavailable, 14, "UNAVAILABLE", 503),
    (Code::DataLoss, 15, "DATA_LOSS", 500),
    (Code::Unauthenticated, 16, "UNAUTHENTICATED", 401),
];

impl Code {
    fn row(self) -> &'static (Code, i32, &'static str, u16) {
        TABLE.iter().find(|row| row.0 == self).expect("every code has a row")
    }

    /// The name used in error envelopes, e.g. `NOT_FOUND`.
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// The number used in `google.rpc.Status.code`, e.g. 5.
    pub fn number(self) -> i32 {
        self.row().1
    }

    /// The HTTP status Google maps this code to.
    pub fn http_status(self) -> u16 {
        self.row().3
    }

    /// The code with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        TABLE.iter().find(|row| row.2 == name).map(|row| row.0)
    }

    /// The code with this number.
    pub fn from_number(number: i32) -> Option<Self> {
        TABLE.iter().find(|row| row.1 == number).map(|row| row.0)
    }

    /// The most likely code behind an HTTP status when the body does not say.
    // The exact statuses come first and the 4xx range catches the rest.
    #[allow(clippy::match_overlapping_arm)]
    pub fn from_http_status(status: u16) -> Self {
        match status {
            200..=299 => Code::Ok,
            400 => Code::InvalidArgument,
            401 => Code::Unauthenticated,
            403 => Code::PermissionDenied,
            404 => Code::NotFound,
            409 => Code::Aborted,
            429 => Code::ResourceExhausted,
            499 => Code::Cancelled,
            501 => Code::Unimplemented,
            502 | 503 => Code::Unavailable,
            504 => Code::DeadlineExceeded,
            400..=499 => Code::FailedPrecondition,
            _ => Code::Internal,
        }
    }
}
