"""Immutable value objects of the Picker and Library APIs.

Attributes are snake_case; times are tz-aware ``datetime``; durations are
``timedelta``; int64 strings are ``int``; enums keep values this version does
not know. ``to_dict()`` / ``to_json()`` / ``from_json()`` use the API's own
JSON shape, so a web app can store a session between two requests. ``repr``
never shows a ``baseUrl`` (it grants access to the user's bytes).
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, Callable, Optional, TypeVar, Union
from urllib.parse import urlsplit

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
    "DownloadProgress",
]

T = TypeVar("T")
Json = dict[str, Any]


class _OpenEnum(Enum):
    """A string enum that keeps unknown values instead of failing."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = object.__new__(cls)
        member._name_ = value
        member._value_ = value
        # Cached like a real member, so that equal values are the same object.
        return cls._value2member_map_.setdefault(value, member)

    @property
    def is_unknown(self) -> bool:
        """Whether the service sent a value this version does not know."""
        return self._name_ not in type(self).__members__

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self._name_}"

    def __str__(self) -> str:
        return str(self.value)


class MediaType(_OpenEnum):
    """The kind of a picked item."""

    TYPE_UNSPECIFIED = "TYPE_UNSPECIFIED"
    PHOTO = "PHOTO"
    VIDEO = "VIDEO"


class VideoProcessingStatus(_OpenEnum):
    """Processing state of a video; only ``READY`` videos can be downloaded."""

    UNSPECIFIED = "UNSPECIFIED"
    PROCESSING = "PROCESSING"
    READY = "READY"
    FAILED = "FAILED"


_DURATION = re.compile(r"^(-)?(\d+)(?:\.(\d{1,9}))?s$")
_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$")


def _duration(text: Optional[str]) -> Optional[timedelta]:
    if text is None:
        return None
    match = _DURATION.match(text)
    if not match:
        raise DecodeError(f"not a duration: {text!r}")
    sign, whole, fraction = match.groups()
    value = timedelta(seconds=int(whole), microseconds=int((fraction or "0").ljust(9, "0")[:6]))
    return -value if sign else value


def _duration_text(value: Optional[timedelta]) -> Optional[str]:
    if value is None:
        return None
    micros = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    sign = "-" if micros < 0 else ""
    whole, fraction = divmod(abs(micros), 1_000_000)
    return f"{sign}{whole}.{fraction:06d}".rstrip("0").rstrip(".") + "s" if fraction else f"{sign}{whole}s"


def _timestamp(text: Optional[str]) -> Optional[datetime]:
    if text is None:
        return None
    match = _TIMESTAMP.match(text)
    if not match:
        raise DecodeError(f"not an RFC 3339 timestamp: {text!r}")
    base, fraction, zone = match.groups()
    micros = int((fraction or "0").ljust(9, "0")[:6])
    parsed = datetime.fromisoformat(base + ("+00:00" if zone == "Z" else zone)).replace(microsecond=micros)
    return parsed.astimezone(timezone.utc)


def _timestamp_text(value: Optional[datetime]) -> Optional[str]:
    if value is None:
        return None
    utc = value.astimezone(timezone.utc)
    fraction = f".{utc.microsecond:06d}".rstrip("0").rstrip(".") if utc.microsecond else ""
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def _int(value: Union[str, int, None]) -> Optional[int]:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DecodeError(f"not an integer: {value!r}") from None


def _opt(value: Optional[Json], build: Callable[[Json], T]) -> Optional[T]:
    return None if value is None else build(value)


def _clean(data: Json) -> Json:
    return {key: value for key, value in data.items() if value is not None}


def _redact(url: str) -> str:
    if not url:
        return "''"
    parts = urlsplit(url)
    return f"'{parts.scheme}://{parts.netloc}/<redacted>'"


class _Model:
    """JSON in the API's shape, for every value object."""

    def to_dict(self) -> Json:
        raise NotImplementedError

    @classmethod
    def from_dict(cls: type[T], data: Json) -> T:
        raise NotImplementedError

    def to_json(self) -> str:
        """This value in the API's JSON shape."""
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_json(cls: type[T], text: Union[str, bytes]) -> T:
        """A value from the API's JSON shape (as ``to_json`` writes it)."""
        # RecursionError: JSON nested deeper than Python can parse or walk is garbage too.
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError) as error:
            raise DecodeError(f"not JSON: {error}") from None
        if not isinstance(data, dict):
            raise DecodeError("expected a JSON object")
        try:
            return cls.from_dict(data)  # type: ignore[attr-defined, no-any-return]
        except (KeyError, TypeError, AttributeError, ValueError, RecursionError) as error:
            raise DecodeError(f"unexpected JSON for {cls.__name__}: {error!r}") from None


@dataclasses.dataclass(frozen=True)
class PollingConfig(_Model):
    """How to poll ``sessions.get``."""

    poll_interval: Optional[timedelta] = None
    timeout_in: Optional[timedelta] = None

    @classmethod
    def from_dict(cls, data: Json) -> PollingConfig:
        return cls(_duration(data.get("pollInterval")), _duration(data.get("timeoutIn")))

    def to_dict(self) -> Json:
        return _clean({"pollInterval": _duration_text(self.poll_interval), "timeoutIn": _duration_text(self.timeout_in)})


@dataclasses.dataclass(frozen=True)
class PickingConfig(_Model):
    """Limits of a session."""

    max_item_count: Optional[int] = None

    @classmethod
    def from_dict(cls, data: Json) -> PickingConfig:
        return cls(_int(data.get("maxItemCount")))

    def to_dict(self) -> Json:
        return _clean({"maxItemCount": None if self.max_item_count is None else str(self.max_item_count)})


@dataclasses.dataclass(frozen=True)
class PickingSession(_Model):
    """A picking session: show ``picker_uri`` to the user, then poll."""

    id: str
    picker_uri: str = ""
    polling_config: Optional[PollingConfig] = None
    expire_time: Optional[datetime] = None
    picking_config: Optional[PickingConfig] = None
    media_items_set: bool = False

    @property
    def picker_uri_autoclose(self) -> str:
        """``picker_uri`` with ``/autoclose``: the tab closes itself when the user is done."""
        return self.picker_uri.rstrip("/") + "/autoclose"

    @classmethod
    def from_dict(cls, data: Json) -> PickingSession:
        return cls(
            id=data["id"],
            picker_uri=data.get("pickerUri", ""),
            polling_config=_opt(data.get("pollingConfig"), PollingConfig.from_dict),
            expire_time=_timestamp(data.get("expireTime")),
            picking_config=_opt(data.get("pickingConfig"), PickingConfig.from_dict),
            media_items_set=bool(data.get("mediaItemsSet", False)),
        )

    def to_dict(self) -> Json:
        return _clean(
            {
                "id": self.id,
                "pickerUri": self.picker_uri or None,
                "pollingConfig": self.polling_config.to_dict() if self.polling_config else None,
                "expireTime": _timestamp_text(self.expire_time),
                "pickingConfig": self.picking_config.to_dict() if self.picking_config else None,
                "mediaItemsSet": self.media_items_set,
            }
        )


@dataclasses.dataclass(frozen=True)
class PhotoMetadata(_Model):
    """Photo details."""

    focal_length: Optional[float] = None
    aperture_f_number: Optional[float] = None
    iso_equivalent: Optional[int] = None
    exposure_time: Optional[timedelta] = None

    @classmethod
    def from_dict(cls, data: Json) -> PhotoMetadata:
        return cls(data.get("focalLength"), data.get("apertureFNumber"), _int(data.get("isoEquivalent")), _duration(data.get("exposureTime")))

    def to_dict(self) -> Json:
        return _clean(
            {
                "focalLength": self.focal_length,
                "apertureFNumber": self.aperture_f_number,
                "isoEquivalent": self.iso_equivalent,
                "exposureTime": _duration_text(self.exposure_time),
            }
        )


@dataclasses.dataclass(frozen=True)
class VideoMetadata(_Model):
    """Video details."""

    fps: Optional[float] = None
    processing_status: VideoProcessingStatus = VideoProcessingStatus.UNSPECIFIED

    @classmethod
    def from_dict(cls, data: Json) -> VideoMetadata:
        return cls(data.get("fps"), VideoProcessingStatus(data.get("processingStatus", "UNSPECIFIED")))

    def to_dict(self) -> Json:
        return _clean({"fps": self.fps, "processingStatus": self.processing_status.value})


@dataclasses.dataclass(frozen=True)
class MediaFileMetadata(_Model):
    """Sizes and camera of a picked file."""

    width: Optional[int] = None
    height: Optional[int] = None
    camera_make: Optional[str] = None
    camera_model: Optional[str] = None
    photo_metadata: Optional[PhotoMetadata] = None
    video_metadata: Optional[VideoMetadata] = None

    @classmethod
    def from_dict(cls, data: Json) -> MediaFileMetadata:
        return cls(
            _int(data.get("width")),
            _int(data.get("height")),
            data.get("cameraMake"),
            data.get("cameraModel"),
            _opt(data.get("photoMetadata"), PhotoMetadata.from_dict),
            _opt(data.get("videoMetadata"), VideoMetadata.from_dict),
        )

    def to_dict(self) -> Json:
        return _clean(
            {
                "width": self.width,
                "height": self.height,
                "cameraMake": self.camera_make,
                "cameraModel": self.camera_model,
                "photoMetadata": self.photo_metadata.to_dict() if self.photo_metadata else None,
                "videoMetadata": self.video_metadata.to_dict() if self.video_metadata else None,
            }
        )


@dataclasses.dataclass(frozen=True)
class MediaFile(_Model):
    """The file behind a picked item."""

    base_url: str = dataclasses.field(default="", repr=False)
    mime_type: str = ""
    filename: str = ""
    media_file_metadata: MediaFileMetadata = dataclasses.field(default_factory=MediaFileMetadata)

    def __repr__(self) -> str:
        return (
            f"MediaFile(base_url={_redact(self.base_url)}, mime_type={self.mime_type!r}, "
            f"filename={self.filename!r}, media_file_metadata={self.media_file_metadata!r})"
        )

    @classmethod
    def from_dict(cls, data: Json) -> MediaFile:
        return cls(
            data.get("baseUrl", ""),
            data.get("mimeType", ""),
            data.get("filename", ""),
            MediaFileMetadata.from_dict(data.get("mediaFileMetadata") or {}),
        )

    def to_dict(self) -> Json:
        return _clean(
            {
                "baseUrl": self.base_url or None,
                "mimeType": self.mime_type or None,
                "filename": self.filename or None,
                "mediaFileMetadata": self.media_file_metadata.to_dict(),
            }
        )


@dataclasses.dataclass(frozen=True)
class PickedMediaItem(_Model):
    """An item the user picked. ``session_id`` (not part of the API's JSON)
    lets a download refresh an expired ``baseUrl`` by listing again."""

    id: str
    create_time: Optional[datetime] = None
    type: MediaType = MediaType.TYPE_UNSPECIFIED
    media_file: MediaFile = dataclasses.field(default_factory=MediaFile)
    session_id: Optional[str] = dataclasses.field(default=None, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: Json) -> PickedMediaItem:
        return cls(
            id=data["id"],
            create_time=_timestamp(data.get("createTime")),
            type=MediaType(data.get("type", "TYPE_UNSPECIFIED")),
            media_file=MediaFile.from_dict(data.get("mediaFile") or {}),
        )

    def to_dict(self) -> Json:
        return _clean(
            {"id": self.id, "createTime": _timestamp_text(self.create_time), "type": self.type.value, "mediaFile": self.media_file.to_dict()}
        )


@dataclasses.dataclass(frozen=True)
class MediaMetadata(_Model):
    """Sizes, camera and details of a Library item."""

    creation_time: Optional[datetime] = None
    width: Optional[int] = None
    height: Optional[int] = None
    camera_make: Optional[str] = None
    camera_model: Optional[str] = None
    photo: Optional[PhotoMetadata] = None
    video: Optional[VideoMetadata] = None

    @classmethod
    def from_dict(cls, data: Json) -> MediaMetadata:
        photo, video = data.get("photo"), data.get("video")
        camera = photo if photo is not None else (video or {})
        return cls(
            _timestamp(data.get("creationTime")),
            _int(data.get("width")),
            _int(data.get("height")),
            camera.get("cameraMake"),
            camera.get("cameraModel"),
            _opt(photo, PhotoMetadata.from_dict),
            None if video is None else VideoMetadata(video.get("fps"), VideoProcessingStatus(video.get("status", "UNSPECIFIED"))),
        )

    def to_dict(self) -> Json:
        camera = _clean({"cameraMake": self.camera_make, "cameraModel": self.camera_model})
        video = None
        if self.video is not None:
            video = {**camera, **_clean({"fps": self.video.fps, "status": self.video.processing_status.value})}
        return _clean(
            {
                "creationTime": _timestamp_text(self.creation_time),
                "width": None if self.width is None else str(self.width),
                "height": None if self.height is None else str(self.height),
                "photo": None if self.photo is None else {**camera, **self.photo.to_dict()},
                "video": video,
            }
        )


@dataclasses.dataclass(frozen=True)
class MediaItem(_Model):
    """A Library API media item (from ``batch_get_media_items``)."""

    id: str
    description: Optional[str] = None
    product_url: Optional[str] = None
    base_url: str = dataclasses.field(default="", repr=False)
    mime_type: str = ""
    filename: str = ""
    media_metadata: MediaMetadata = dataclasses.field(default_factory=MediaMetadata)

    def __repr__(self) -> str:
        return (
            f"MediaItem(id={self.id!r}, base_url={_redact(self.base_url)}, mime_type={self.mime_type!r}, "
            f"filename={self.filename!r}, media_metadata={self.media_metadata!r})"
        )

    @classmethod
    def from_dict(cls, data: Json) -> MediaItem:
        return cls(
            id=data["id"],
            description=data.get("description"),
            product_url=data.get("productUrl"),
            base_url=data.get("baseUrl", ""),
            mime_type=data.get("mimeType", ""),
            filename=data.get("filename", ""),
            media_metadata=MediaMetadata.from_dict(data.get("mediaMetadata") or {}),
        )

    def to_dict(self) -> Json:
        return _clean(
            {
                "id": self.id,
                "description": self.description,
                "productUrl": self.product_url,
                "baseUrl": self.base_url or None,
                "mimeType": self.mime_type or None,
                "filename": self.filename or None,
                "mediaMetadata": self.media_metadata.to_dict(),
            }
        )


@dataclasses.dataclass(frozen=True)
class Status(_Model):
    """A per-item ``google.rpc.Status``."""

    code: int = 0
    message: str = ""

    @classmethod
    def from_dict(cls, data: Json) -> Status:
        return cls(int(data.get("code", 0)), data.get("message", ""))

    def to_dict(self) -> Json:
        return {"code": self.code, "message": self.message}


@dataclasses.dataclass(frozen=True)
class MediaItemResult(_Model):
    """One result of ``batch_get_media_items``: the item, or why not."""

    media_item: Optional[MediaItem] = None
    status: Optional[Status] = None
    #: Why the service's answer held no result for this id (missing, naming
    #: other ids, or a failure that could not be placed); never a guess.
    unpaired: Optional[str] = None

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
        return cls(_opt(data.get("mediaItem"), MediaItem.from_dict), _opt(data.get("status"), Status.from_dict))

    def to_dict(self) -> Json:
        return _clean({"mediaItem": self.media_item.to_dict() if self.media_item else None, "status": self.status.to_dict() if self.status else None})


@dataclasses.dataclass(frozen=True)
class PollEvent:
    """One poll of ``wait_until_picked``, for progress display."""

    session: PickingSession
    polls: int
    picked: bool
    next_poll_in: Optional[timedelta] = None
    timeout_in: Optional[timedelta] = None


@dataclasses.dataclass(frozen=True)
class DownloadProgress:
    """A step of ``download_all``: ``kind`` is started, progress, finished or failed."""

    kind: str
    index: int
    bytes: int = 0
    total: Optional[int] = None
    path: Optional[str] = None
    error: Optional[str] = None
