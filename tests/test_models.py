"""Value objects: immutability, equality, hashing, enums that keep unknown
values, and the JSON round trip of every model in the API's own shape."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

import photospicker
from photospicker import Client, MediaType, VideoProcessingStatus
from photospicker.testing import Emulator

SESSION = {
    "id": "s-1",
    "pickerUri": "https://photos.google.com/picker/s-1",
    "pollingConfig": {"pollInterval": "5s", "timeoutIn": "1799.5s"},
    "expireTime": "2026-11-22T10:00:00.123456789Z",
    "pickingConfig": {"maxItemCount": "2000"},
    "mediaItemsSet": False,
}
ITEM = {
    "id": "i-1",
    "createTime": "2026-09-30T06:22:00Z",
    "type": "PHOTO",
    "mediaFile": {
        "baseUrl": "https://lh3.googleusercontent.com/secret-grant",
        "mimeType": "image/jpeg",
        "filename": "a.jpg",
        "mediaFileMetadata": {
            "width": 4000,
            "height": 3000,
            "cameraMake": "Google",
            "cameraModel": "Pixel",
            "photoMetadata": {"focalLength": 6.81, "apertureFNumber": 1.85, "isoEquivalent": 100, "exposureTime": "0.033333335s"},
        },
    },
}


def test_session_fields_are_typed() -> None:
    session = photospicker.PickingSession.from_dict(SESSION)
    assert session.polling_config == photospicker.PollingConfig(timedelta(seconds=5), timedelta(seconds=1799.5))
    assert session.expire_time is not None and session.expire_time.tzinfo == timezone.utc and session.expire_time.microsecond == 123456
    assert session.picking_config == photospicker.PickingConfig(2000)
    with pytest.raises(AttributeError):
        session.id = "other"  # type: ignore[misc]
    assert hash(session) == hash(photospicker.PickingSession.from_json(session.to_json()))


def test_unknown_enum_values_are_kept() -> None:
    item = photospicker.PickedMediaItem.from_dict({**ITEM, "type": "HOLOGRAM"})
    assert item.type.is_unknown and item.type.value == "HOLOGRAM"
    assert photospicker.PickedMediaItem.from_json(item.to_json()).type == item.type
    assert not MediaType.PHOTO.is_unknown and VideoProcessingStatus("SOMETHING_NEW").value == "SOMETHING_NEW"


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (photospicker.PickingSession, SESSION),
        (photospicker.PickedMediaItem, ITEM),
        (photospicker.PollingConfig, {"pollInterval": "0.25s", "timeoutIn": "0s"}),
        (photospicker.PickingConfig, {"maxItemCount": "7"}),
        (photospicker.MediaFile, ITEM["mediaFile"]),
        (photospicker.MediaFileMetadata, ITEM["mediaFile"]["mediaFileMetadata"]),  # type: ignore[index]
        (photospicker.PhotoMetadata, {"focalLength": 4.2, "exposureTime": "0.001s", "isoEquivalent": 50}),
        (photospicker.VideoMetadata, {"fps": 29.97, "processingStatus": "READY"}),
        (photospicker.Status, {"code": 5, "message": "gone"}),
    ],
)
def test_json_round_trip(cls: type, data: dict) -> None:  # type: ignore[type-arg]
    value = cls.from_dict(data)
    assert cls.from_json(value.to_json()) == value
    assert cls.from_dict(value.to_dict()) == value


def test_round_trip_of_values_from_the_service(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    session = photospicker_client.create_session()
    assert photospicker.PickingSession.from_json(session.to_json()) == session
    photospicker_emulator.pick(session.id, count=10)
    for item in photospicker_client.list_media_items(session):
        assert photospicker.PickedMediaItem.from_json(item.to_json()) == item
    ids = [i["id"] for i in photospicker_emulator.library(photospicker_emulator.add_user(seed=1))][:0]
    del ids
    results = photospicker_client.batch_get_media_items([i.id for i in photospicker_client.list_media_items(session)])
    for result in results:
        assert photospicker.MediaItemResult.from_json(result.to_json()) == result
        if result.media_item:
            assert photospicker.MediaItem.from_json(result.media_item.to_json()) == result.media_item
            assert result.media_item.base_url not in repr(result.media_item)
