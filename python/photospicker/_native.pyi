from types import TracebackType
from os import PathLike
from typing import Any, Awaitable, Callable, Optional, Union

from typing_extensions import Self, final

__version__: str
__all__ = ["__version__", "set_log_level", "NativeClient", "NativeItems"]

def set_log_level(level: int) -> None: ...

_ItemArgs = tuple[str, Optional[str], bool]
# One download_all outcome: the path, or the exception the item failed with.
_Outcome = tuple[Optional[str], Optional[BaseException]]
_Batch = list[tuple[str, Optional[str]]]
_Result = tuple[Optional[str], Optional[tuple[int, str]], Optional[str]]
_Path = Union[str, PathLike[str]]

@final
class NativeItems:
    def next_batch(self) -> _Batch: ...
    def next_batch_async(self) -> Awaitable[_Batch]: ...

@final
class NativeClient:
    def __new__(
        cls,
        *,
        token: Optional[str] = None,
        token_provider: Optional[Callable[[bool], str]] = None,
        endpoint: Optional[str] = None,
        library_endpoint: Optional[str] = None,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        stall_timeout: float = 20.0,
        min_throughput: int = 1024,
        max_response_bytes: int = 4194304,
        user_agent: Optional[str] = None,
        max_attempts: int = 5,
        initial_backoff: float = 1.0,
        max_backoff: float = 32.0,
        multiplier: float = 2.0,
        rate_limited_backoff: float = 30.0,
        jitter: bool = True,
        time_limit: Optional[float] = None,
        jitter_seed: Optional[int] = None,
    ) -> Self: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def library_endpoint(self) -> str: ...
    def create_session(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> str: ...
    def create_session_async(self, max_item_count: Optional[int] = None, request_id: Optional[str] = None) -> Awaitable[str]: ...
    def get_session(self, session_id: str) -> str: ...
    def get_session_async(self, session_id: str) -> Awaitable[str]: ...
    def delete_session(self, session_id: str) -> None: ...
    def delete_session_async(self, session_id: str) -> Awaitable[None]: ...
    def wait_until_picked(
        self, session_id: str, timeout: Optional[float] = None, on_poll: Optional[Callable[..., None]] = None
    ) -> str: ...
    def wait_until_picked_async(
        self, session_id: str, timeout: Optional[float] = None, on_poll: Optional[Callable[..., None]] = None
    ) -> Awaitable[str]: ...
    def list_media_items(self, session_id: str, page_size: Optional[int] = None) -> NativeItems: ...
    def batch_get_media_items(self, ids: list[str]) -> list[_Result]: ...
    def batch_get_media_items_async(self, ids: list[str]) -> Awaitable[list[_Result]]: ...
    def download(
        self,
        item_json: str,
        session_id: Optional[str],
        library: bool,
        dest: _Path,
        to_file: bool,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> str: ...
    def download_async(
        self,
        item_json: str,
        session_id: Optional[str],
        library: bool,
        dest: _Path,
        to_file: bool,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> Awaitable[str]: ...
    def download_all(
        self,
        items: list[_ItemArgs],
        dest_dir: _Path,
        concurrency: Optional[int] = None,
        on_progress: Optional[Callable[..., None]] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> list[_Outcome]: ...
    def download_all_async(
        self,
        items: list[_ItemArgs],
        dest_dir: _Path,
        concurrency: Optional[int] = None,
        on_progress: Optional[Callable[..., None]] = None,
        width: Optional[int] = None,
        height: Optional[int] = None,
        crop: bool = False,
        overwrite: bool = False,
    ) -> Awaitable[list[_Outcome]]: ...

# ---- Exceptions (made natively in crates/photospicker-py/src/errors.rs;
# ---- re-exported by photospicker.errors). Kept apart from the values above.

__all__ += [
    "PhotosPickerError",
    "ApiError",
    "InvalidArgumentError",
    "UnauthenticatedError",
    "PermissionDeniedError",
    "NotFoundError",
    "FailedPreconditionError",
    "ResourceExhaustedError",
    "UnavailableError",
    "InternalError",
    "PickingTimeoutError",
    "SessionExpiredError",
    "TransportError",
    "DeadlineExceededError",
    "RedirectError",
    "DecodeError",
    "ResponseTooLargeError",
    "UnexpectedContentError",
    "ValidationError",
    "AuthError",
    "VideoNotReadyError",
    "StorageError",
    "error_for_status",
]

class PhotosPickerError(Exception):
    """Base class of every photospicker error."""

    #: Whether trying again later may succeed.
    retryable: bool
    message: Any
    def __init__(self, message: Any = "", *, retryable: bool = False) -> None: ...

class ApiError(PhotosPickerError):
    """The service answered with an error."""

    #: The HTTP status code (kept even for HTML or empty error pages).
    http_status: int
    #: Google's canonical status name, e.g. ``"NOT_FOUND"``.
    status: Optional[str]
    #: The error details as sent (``ErrorInfo``, ``RetryInfo`` …).
    details: list[Any]
    #: The ``ErrorInfo`` reason, e.g. ``"ACCESS_TOKEN_SCOPE_INSUFFICIENT"``.
    reason: Optional[str]
    #: Response headers of the error.
    headers: dict[str, str]
    #: Seconds the service asked to wait before retrying, if it said.
    retry_delay: Optional[float]
    def __init__(
        self,
        message: Any,
        *,
        http_status: int,
        status: Optional[str] = None,
        details: Optional[list[Any]] = None,
        reason: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
        retry_delay: Optional[float] = None,
        retryable: bool = False,
        text: Optional[str] = None,
    ) -> None: ...

class InvalidArgumentError(ApiError): ...
class UnauthenticatedError(ApiError): ...
class PermissionDeniedError(ApiError): ...
class NotFoundError(ApiError): ...
class FailedPreconditionError(ApiError): ...
class ResourceExhaustedError(ApiError): ...
class UnavailableError(ApiError): ...
class InternalError(ApiError): ...

class PickingTimeoutError(PhotosPickerError, TimeoutError):
    session_id: Optional[str]
    def __init__(self, message: Any, *, session_id: Optional[str] = None) -> None: ...

class SessionExpiredError(PhotosPickerError):
    session_id: Optional[str]
    def __init__(self, message: Any, *, session_id: Optional[str] = None) -> None: ...

class TransportError(PhotosPickerError): ...
class DeadlineExceededError(PhotosPickerError, TimeoutError): ...

class RedirectError(PhotosPickerError):
    #: The redirect's HTTP status (301, 302, 307 …).
    http_status: int
    #: The host it pointed to (never the full URL, which may carry secrets).
    location_host: Optional[str]
    def __init__(self, message: Any, *, http_status: int, location_host: Optional[str] = None) -> None: ...

class DecodeError(PhotosPickerError): ...
class ResponseTooLargeError(DecodeError): ...
class UnexpectedContentError(DecodeError): ...
class ValidationError(PhotosPickerError, ValueError): ...
class AuthError(PhotosPickerError): ...
class VideoNotReadyError(PhotosPickerError): ...
class StorageError(PhotosPickerError, OSError): ...

def error_for_status(code: int, message: str) -> ApiError: ...
