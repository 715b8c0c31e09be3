"""The exceptions of photospicker.

Every failure is a :class:`PhotosPickerError`. Errors answered by the service
are :class:`ApiError` subclasses chosen by Google's canonical status; the
others say what went wrong on this side (a picking timeout, an expired
session, the network, an undecodable answer, a refused argument).
"""

from __future__ import annotations

import json
from typing import Any, Optional

__all__ = [
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
    "DownloadAllError",
]


class PhotosPickerError(Exception):
    """Base class of every photospicker error."""

    #: Whether trying again later may succeed.
    retryable: bool = False

    def __init__(self, message: str = "", *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class ApiError(PhotosPickerError):
    """The service answered with an error."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int,
        status: Optional[str] = None,
        details: Optional[list[Any]] = None,
        reason: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
        retry_delay: Optional[float] = None,
        retryable: bool = False,
        text: Optional[str] = None,
    ) -> None:
        super().__init__(message, retryable=retryable)
        #: The HTTP status code (kept even for HTML or empty error pages).
        self.http_status = http_status
        #: Google's canonical status name, e.g. ``"NOT_FOUND"``.
        self.status = status
        #: The error details as sent (``ErrorInfo``, ``RetryInfo`` …).
        self.details = details or []
        #: The ``ErrorInfo`` reason, e.g. ``"ACCESS_TOKEN_SCOPE_INSUFFICIENT"``.
        self.reason = reason
        #: Response headers of the error.
        self.headers = headers or {}
        #: Seconds the service asked to wait before retrying, if it said.
        self.retry_delay = retry_delay
        self._text = text or f"HTTP {http_status} {status}: {message}"

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(http_status={self.http_status}, status={self.status!r}, message={self.message!r}, reason={self.reason!r})"


class InvalidArgumentError(ApiError):
    """INVALID_ARGUMENT: the service refused the request's values."""


class UnauthenticatedError(ApiError):
    """UNAUTHENTICATED: the token is missing, invalid or expired."""


class PermissionDeniedError(ApiError):
    """PERMISSION_DENIED: a missing scope, an expired session or baseUrl."""


class NotFoundError(ApiError):
    """NOT_FOUND: no such session (or not yours)."""


class FailedPreconditionError(ApiError):
    """FAILED_PRECONDITION: e.g. listing before the user finished picking."""


class ResourceExhaustedError(ApiError):
    """RESOURCE_EXHAUSTED: quota, or too many sessions."""


class UnavailableError(ApiError):
    """UNAVAILABLE: the service is down for now; retry later."""


class InternalError(ApiError):
    """INTERNAL or UNKNOWN: the service failed."""


class PickingTimeoutError(PhotosPickerError, TimeoutError):
    """The user did not finish picking in time (the server's ``timeoutIn`` or yours)."""

    def __init__(self, message: str, *, session_id: Optional[str] = None) -> None:
        super().__init__(message)
        self.session_id = session_id


class SessionExpiredError(PhotosPickerError):
    """The session passed its ``expireTime``; create a new one."""

    def __init__(self, message: str, *, session_id: Optional[str] = None) -> None:
        super().__init__(message)
        self.session_id = session_id


class TransportError(PhotosPickerError):
    """The request or its answer was lost on the network, timed out or stalled."""


class DeadlineExceededError(PhotosPickerError, TimeoutError):
    """The call's overall deadline (``Retry.time_limit``) passed; it was cut."""


class RedirectError(PhotosPickerError):
    """The service answered with a redirect, which is never followed (the
    request carries the access token). Only the target's host is kept."""

    def __init__(self, message: str, *, http_status: int, location_host: Optional[str] = None) -> None:
        super().__init__(message)
        #: The redirect's HTTP status (301, 302, 307 …).
        self.http_status = http_status
        #: The host it pointed to (never the full URL, which may carry secrets).
        self.location_host = location_host

    def __repr__(self) -> str:
        return f"RedirectError(http_status={self.http_status}, location_host={self.location_host!r})"


class DecodeError(PhotosPickerError):
    """The service answered with something the API does not promise."""


class ResponseTooLargeError(DecodeError):
    """An answer was larger than ``max_response_bytes``; it was not read."""


class UnexpectedContentError(DecodeError):
    """A media answer was not the item's kind of content (e.g. an HTML page
    for a photo); nothing was kept."""


class ValidationError(PhotosPickerError, ValueError):
    """The call was refused before anything was sent."""


class AuthError(PhotosPickerError):
    """No access token could be had (the token provider failed)."""


class VideoNotReadyError(PhotosPickerError):
    """A video whose processing is not ``READY`` cannot be downloaded."""


class StorageError(PhotosPickerError, OSError):
    """Writing media to disk failed (nothing partial was left behind)."""


_BY_STATUS: dict[str, type[ApiError]] = {
    "INVALID_ARGUMENT": InvalidArgumentError,
    "OUT_OF_RANGE": InvalidArgumentError,
    "UNAUTHENTICATED": UnauthenticatedError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "NOT_FOUND": NotFoundError,
    "FAILED_PRECONDITION": FailedPreconditionError,
    "RESOURCE_EXHAUSTED": ResourceExhaustedError,
    "UNAVAILABLE": UnavailableError,
    "DEADLINE_EXCEEDED": UnavailableError,
    "INTERNAL": InternalError,
    "UNKNOWN": InternalError,
    "DATA_LOSS": InternalError,
}

_BY_KIND: dict[str, type[PhotosPickerError]] = {
    "transport": TransportError,
    "deadline": DeadlineExceededError,
    "decode": DecodeError,
    "too_large": ResponseTooLargeError,
    "unexpected_content": UnexpectedContentError,
    "validation": ValidationError,
    "auth": AuthError,
    "video_not_ready": VideoNotReadyError,
    "io": StorageError,
    "cancelled": PhotosPickerError,
}

_CODE_NAMES = {
    1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND",
    6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION",
    10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL", 14: "UNAVAILABLE",
    15: "DATA_LOSS", 16: "UNAUTHENTICATED",
}
_HTTP_OF_CODE = {3: 400, 5: 404, 7: 403, 8: 429, 9: 400, 13: 500, 14: 503, 16: 401, 2: 500}


def error_for_status(code: int, message: str) -> ApiError:
    """The exception matching a per-item ``google.rpc.Status``."""
    name = _CODE_NAMES.get(code, "UNKNOWN")
    cls = _BY_STATUS.get(name, ApiError)
    return cls(message, http_status=_HTTP_OF_CODE.get(code, 500), status=name)


class DownloadAllError(PhotosPickerError):
    """Some items of a ``download_all`` failed; nothing that succeeded is lost.

    Raised once, after every item was tried (pass ``return_exceptions=True``
    to get the outcomes as a list instead). Its ``__cause__`` is the first
    failure."""

    def __init__(self, results: list[Any], items: list[Any]) -> None:
        #: One outcome per item, in the order given: a ``Path`` or the exception.
        self.results = results
        #: The paths of the items that were downloaded, in the order given.
        self.succeeded = [r for r in results if not isinstance(r, BaseException)]
        #: ``(item, exception)`` for each item that failed, in the order given.
        self.failed = [(item, r) for item, r in zip(items, results) if isinstance(r, BaseException)]
        first = self.failed[0][1] if self.failed else None
        super().__init__(
            f"{len(self.failed)} of {len(results)} downloads failed (the {len(self.succeeded)} others are saved); first: {first}",
            retryable=any(getattr(error, "retryable", False) for _, error in self.failed),
        )
        self.__cause__ = first


def _from_native(fields: dict[str, Any]) -> PhotosPickerError:
    """Builds the exception for an error of the native client (called from Rust)."""
    kind = fields["kind"]
    message = fields["message"]
    if kind == "api":
        status = fields.get("status")
        cls = _BY_STATUS.get(status or "", ApiError)
        return cls(
            message,
            http_status=fields["http_status"],
            status=status,
            details=json.loads(fields.get("details") or "[]"),
            reason=fields.get("reason"),
            headers=dict(fields.get("headers") or []),
            retry_delay=fields.get("retry_delay"),
            retryable=bool(fields.get("retryable")),
            text=fields.get("text"),
        )
    text = fields.get("text") or message
    if kind == "redirect":
        return RedirectError(text, http_status=fields["http_status"], location_host=fields.get("redirect_host"))
    if kind == "picking_timeout":
        return PickingTimeoutError(text, session_id=fields.get("session_id"))
    if kind == "session_expired":
        return SessionExpiredError(text, session_id=fields.get("session_id"))
    return _BY_KIND.get(kind, PhotosPickerError)(text, retryable=bool(fields.get("retryable")))
