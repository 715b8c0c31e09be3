"""Typed client for the Google Photos Picker API.

    import photospicker

    client = photospicker.Client(token=access_token)
    with client.picking_session() as session:
        print("Pick your photos at", session.picker_uri)
        client.wait_until_picked(session)
        for item in client.list_media_items(session):
            client.download(item, "photos/")

The compiled engine lives in the private ``photospicker._native`` module; this
package is the public face.
"""

from __future__ import annotations

# Names load on first use (PEP 562): `import photospicker` imports nothing
# heavy (no asyncio, not even typing or the native module) until a name is used.

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from photospicker._async_client import AsyncClient
    from photospicker._client import Client
    from photospicker._core import Retry
    from photospicker._native import __version__
    from photospicker._native import (
        DownloadProgress,
        DownloadProgressKind,
        MediaFile,
        MediaFileMetadata,
        MediaItem,
        MediaMetadata,
        MediaType,
        PhotoMetadata,
        PickedMediaItem,
        PickingSession,
        PollEvent,
        PollEventKind,
        PollingConfig,
        VideoMetadata,
        VideoProcessingStatus,
    )
    from photospicker.errors import (
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
        DownloadAllError,
        TransportError,
        UnauthenticatedError,
        UnavailableError,
        UnexpectedContentError,
        ValidationError,
        VideoNotReadyError,
    )
    from photospicker.models import (
        MediaItemResult,
        PickingConfig,
        Status,
    )

_WHERE = {
    "__version__": "photospicker._native",
    "Client": "photospicker._client",
    "AsyncClient": "photospicker._async_client",
    "Retry": "photospicker._core",
    "DownloadProgress": "photospicker._native",
    "DownloadProgressKind": "photospicker._native",
    "MediaFile": "photospicker._native",
    "MediaFileMetadata": "photospicker._native",
    "MediaItem": "photospicker._native",
    "MediaMetadata": "photospicker._native",
    "MediaType": "photospicker._native",
    "PhotoMetadata": "photospicker._native",
    "PickedMediaItem": "photospicker._native",
    "PickingSession": "photospicker._native",
    "PollEvent": "photospicker._native",
    "PollEventKind": "photospicker._native",
    "PollingConfig": "photospicker._native",
    "VideoMetadata": "photospicker._native",
    "VideoProcessingStatus": "photospicker._native",
    "ApiError": "photospicker.errors",
    "AuthError": "photospicker.errors",
    "DeadlineExceededError": "photospicker.errors",
    "DecodeError": "photospicker.errors",
    "FailedPreconditionError": "photospicker.errors",
    "InternalError": "photospicker.errors",
    "InvalidArgumentError": "photospicker.errors",
    "NotFoundError": "photospicker.errors",
    "PermissionDeniedError": "photospicker.errors",
    "PhotosPickerError": "photospicker.errors",
    "PickingTimeoutError": "photospicker.errors",
    "RedirectError": "photospicker.errors",
    "ResourceExhaustedError": "photospicker.errors",
    "ResponseTooLargeError": "photospicker.errors",
    "SessionExpiredError": "photospicker.errors",
    "StorageError": "photospicker.errors",
    "DownloadAllError": "photospicker.errors",
    "TransportError": "photospicker.errors",
    "UnauthenticatedError": "photospicker.errors",
    "UnavailableError": "photospicker.errors",
    "UnexpectedContentError": "photospicker.errors",
    "ValidationError": "photospicker.errors",
    "VideoNotReadyError": "photospicker.errors",
    "MediaItemResult": "photospicker.models",
    "PickingConfig": "photospicker.models",
    "Status": "photospicker.models",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'photospicker' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "Retry",
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
    "MediaType",
    "VideoProcessingStatus",
    "PollingConfig",
    "PickingConfig",
    "PickingSession",
    "PhotoMetadata",
    "VideoMetadata",
    "MediaFileMetadata",
    "MediaFile",
    "PickedMediaItem",
    "MediaMetadata",
    "MediaItem",
    "Status",
    "MediaItemResult",
    "PollEvent",
    "PollEventKind",
    "DownloadProgress",
    "DownloadProgressKind",
]
