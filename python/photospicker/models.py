"""Immutable value objects of the Picker and Library APIs.

The values are the Rust model's own types (``photospicker._native``):
attributes are snake_case; times are tz-aware ``datetime``; durations are
``timedelta``; int64 strings are ``int``; the enums keep values this version
does not know (and equal their string: ``MediaType.PHOTO == "PHOTO"``).
``to_dict()`` / ``to_json()`` / ``from_json()`` use the API's own JSON
shape, so a web app can store a session between two requests; values
pickle, compare, hash, support ``match`` and ``replace(**changes)``
(``copy.replace``); ``repr`` never shows a ``baseUrl`` (it grants access to
the user's bytes). Names of the previous release (``item.type``,
``media_file_metadata``, ``photo_metadata``, ``video_metadata``,
``media_metadata``, ``picking_config``) still work, with a ``DeprecationWarning``.

What is defined here is Python-only: ``PickingConfig`` (the deprecated
shape of ``PickingSession.max_item_count``) and the ``batch_get_media_items``
results, whose errors are Python exceptions.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union

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
from photospicker.errors import ApiError, DecodeError, PhotosPickerError, error_for_status

__all__ = [
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

Json = dict[str, Any]


def _loads(text: Union[str, bytes]) -> Json:
    # RecursionError: JSON nested deeper than Python can parse is garbage too.
    try:
        data = json.loads(text)
    except (ValueError, TypeError, RecursionError) as error:
        raise DecodeError(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise DecodeError("expected a JSON object")
    return data


class _PythonValue:
    """Equality, hashing, ``repr`` and JSON for the few Python-only values."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PythonValue) and type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._fields()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def to_dict(self) -> Json:
        raise NotImplementedError

    def to_json(self) -> str:
        """This value in the API's JSON shape."""
        return json.dumps(self.to_dict(), separators=(",", ":"))


class PickingConfig(_PythonValue):
    """Deprecated: the shape of ``PickingSession.picking_config``; read
    ``PickingSession.max_item_count`` instead."""

    __slots__ = ("max_item_count",)
    max_item_count: Optional[int]

    def __init__(self, max_item_count: Optional[int] = None) -> None:
        self._set(max_item_count=max_item_count)

    @classmethod
    def from_dict(cls, data: Json) -> PickingConfig:
        value = data.get("maxItemCount")
        try:
            return cls(None if value is None else int(value))
        except (TypeError, ValueError):
            raise DecodeError(f"not an integer: {value!r}") from None

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> PickingConfig:
        return cls.from_dict(_loads(text))

    def to_dict(self) -> Json:
        return {} if self.max_item_count is None else {"maxItemCount": str(self.max_item_count)}


class Status(_PythonValue):
    """A per-item ``google.rpc.Status``."""

    __slots__ = ("code", "message")
    code: int
    message: str

    def __init__(self, code: int = 0, message: str = "") -> None:
        self._set(code=code, message=message)

    @classmethod
    def from_dict(cls, data: Json) -> Status:
        try:
            return cls(int(data.get("code", 0)), str(data.get("message", "")))
        except (TypeError, ValueError):
            raise DecodeError(f"not a status: {data!r}") from None

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> Status:
        return cls.from_dict(_loads(text))

    def to_dict(self) -> Json:
        return {"code": self.code, "message": self.message}


class MediaItemResult(_PythonValue):
    """One result of ``batch_get_media_items``: the item, or why not."""

    __slots__ = ("media_item", "status", "unpaired")
    media_item: Optional[MediaItem]
    status: Optional[Status]
    #: Why the service's answer held no result for this id (missing, naming
    #: other ids, or a failure that could not be placed); never a guess.
    unpaired: Optional[str]

    def __init__(self, media_item: Optional[MediaItem] = None, status: Optional[Status] = None, unpaired: Optional[str] = None) -> None:
        self._set(media_item=media_item, status=status, unpaired=unpaired)

    @property
    def ok(self) -> bool:
        """Whether the item was returned."""
        return self.media_item is not None

    @property
    def error(self) -> Optional[PhotosPickerError]:
        """The per-item error as an exception (``NotFoundError`` …, or
        ``DecodeError`` for an unpaired result), or ``None``."""
        if self.media_item is not None:
            return None
        if self.unpaired is not None:
            return DecodeError(self.unpaired)
        if self.status is None:
            return None
        return error_for_status(self.status.code, self.status.message)

    def unwrap(self) -> MediaItem:
        """The item, or raise its error."""
        if self.media_item is None:
            raise self.error or ApiError("no item and no status", http_status=500)
        return self.media_item

    @classmethod
    def from_dict(cls, data: Json) -> MediaItemResult:
        item, status = data.get("mediaItem"), data.get("status")
        return cls(None if item is None else MediaItem.from_dict(item), None if status is None else Status.from_dict(status))

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> MediaItemResult:
        return cls.from_dict(_loads(text))

    def to_dict(self) -> Json:
        data: Json = {}
        if self.media_item is not None:
            data["mediaItem"] = self.media_item.to_dict()
        if self.status is not None:
            data["status"] = self.status.to_dict()
        return data
