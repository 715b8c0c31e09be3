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

from photospicker._client import AsyncClient, Client, Retry
from photospicker._native import __version__
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
    DownloadProgress,
    MediaFile,
    MediaFileMetadata,
    MediaItem,
    MediaItemResult,
    MediaMetadata,
    MediaType,
    PhotoMetadata,
    PickedMediaItem,
    PickingConfig,
    PickingSession,
    PollEvent,
    PollingConfig,
    Status,
    VideoMetadata,
    VideoProcessingStatus,
)

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
    "DownloadProgress",
]
