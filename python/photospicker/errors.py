"""The exceptions of photospicker.

Every failure is a :class:`PhotosPickerError`. Errors answered by the service
are :class:`ApiError` subclasses chosen by Google's canonical status; the
others say what went wrong on this side (a picking timeout, an expired
session, the network, an undecodable answer, a refused argument).

The classes are made by the native module from the one classification of
the Rust errors (``photospicker::ErrorKind``); only ``DownloadAllError``,
raised by the Python ``download_all``, is defined here.
"""

from __future__ import annotations

from typing import Any

from photospicker._native import (
    ApiError,
    AuthError,
    DeadlineExceededError,
    DecodeError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    PhotosPickerError,
    PickingTimeoutError,
    RedirectError,
    ResourceExhaustedError,
    ResponseTooLargeError,
    SessionExpiredError,
    StorageError,
    TransportError,
    UnauthenticatedError,
    UnavailableError,
    UnexpectedContentError,
    ValidationError,
    VideoNotReadyError,
)
from photospicker._native import error_for_status as error_for_status


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
