"""The values are the Rust model's own types, natively: pickling, copying
with changes, pattern matching, a repr without baseUrls, the old Python names
as deprecated aliases, typed events, and an import that loads nothing heavy."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import photospicker
from photospicker import DownloadProgressKind, MediaType, PickedMediaItem, PickingSession, PollEventKind, VideoProcessingStatus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import client_twin  # noqa: E402
import native_stub  # noqa: E402

ITEM_JSON = (
    '{"id": "i-1", "createTime": "2026-09-30T06:22:00Z", "type": "VIDEO", "mediaFile": {"baseUrl": "https://lh3.googleusercontent.com/secret-grant",'
    ' "mimeType": "video/mp4", "filename": "v.mp4", "mediaFileMetadata": {"width": 1920, "height": 1080, "videoMetadata": {"fps": 30, "processingStatus": "PROCESSING"}}}}'
)
SESSION_JSON = '{"id": "s-1", "pickerUri": "https://photos.google.com/picker/s-1", "pickingConfig": {"maxItemCount": "20"}, "mediaItemsSet": false}'


def test_values_are_the_native_classes_of_the_rust_model() -> None:
    assert PickingSession.__module__ == "photospicker" and type(PickingSession.from_json(SESSION_JSON)) is photospicker._native.PickingSession


def test_a_picked_item_pickles_and_keeps_its_session_id() -> None:
    item = PickedMediaItem.from_json(ITEM_JSON).replace(session_id="s-1")
    again = pickle.loads(pickle.dumps(item))
    assert again == item and again.session_id == "s-1" and again.media_type == MediaType.VIDEO


def test_replace_changes_only_the_named_fields_and_copy_replace_works_too() -> None:
    session = PickingSession.from_json(SESSION_JSON)
    changed = session.replace(media_items_set=True)
    assert changed.media_items_set and not session.media_items_set and changed.id == session.id
    assert session.__replace__(max_item_count=3).max_item_count == 3
    assert copy.copy(session) is session
    with pytest.raises(TypeError):
        session.replace(no_such_field=1)


def test_values_support_match_by_position() -> None:
    match PickingSession.from_json(SESSION_JSON):
        case PickingSession(session_id, picker_uri):
            assert (session_id, picker_uri) == ("s-1", "https://photos.google.com/picker/s-1")
        case _:
            pytest.fail("no match")


def test_repr_shows_fields_but_only_the_host_of_a_base_url() -> None:
    text = repr(PickedMediaItem.from_json(ITEM_JSON))
    assert "secret-grant" not in text and "lh3.googleusercontent.com" in text and "filename='v.mp4'" in text


def test_old_python_names_still_work_with_a_deprecation_warning() -> None:
    item = PickedMediaItem.from_json(ITEM_JSON)
    with pytest.warns(DeprecationWarning):
        assert item.type == MediaType.VIDEO
    with pytest.warns(DeprecationWarning):
        assert item.media_file.media_file_metadata.video_metadata == item.media_file.metadata.video
    with pytest.warns(DeprecationWarning):
        assert PickingSession.from_json(SESSION_JSON).picking_config == photospicker.PickingConfig(20)
    with pytest.warns(DeprecationWarning):
        assert PickedMediaItem(id="x", type=MediaType.PHOTO).media_type == MediaType.PHOTO
    with pytest.raises(AttributeError):
        item.no_such_attribute  # noqa: B018


def test_video_not_ready_is_one_property() -> None:
    item = PickedMediaItem.from_json(ITEM_JSON)
    assert item.video_not_ready
    assert not item.replace(media_type=MediaType.PHOTO).video_not_ready


def test_open_enums_keep_unknown_values_and_equal_their_strings() -> None:
    assert MediaType("HOLOGRAM").is_unknown and MediaType("HOLOGRAM") == "HOLOGRAM"
    assert MediaType.PHOTO == "PHOTO" and MediaType.PHOTO != "VIDEO" and hash(MediaType.PHOTO) == hash("PHOTO")
    assert VideoProcessingStatus("READY") == VideoProcessingStatus.READY and repr(VideoProcessingStatus.READY) == "VideoProcessingStatus.READY"
    assert pickle.loads(pickle.dumps(MediaType("HOLOGRAM"))) == MediaType("HOLOGRAM")


def test_event_kinds_are_enums_that_equal_their_old_strings() -> None:
    assert DownloadProgressKind.FINISHED == "finished" and DownloadProgressKind.FINISHED != DownloadProgressKind.FAILED
    assert PollEventKind.PICKED.value == "picked"


def test_durations_are_timedeltas_and_times_are_tz_aware() -> None:
    session = PickingSession.from_json('{"id": "s", "pickerUri": "u", "pollingConfig": {"pollInterval": "2.5s"}, "expireTime": "2026-01-01T00:00:00Z"}')
    assert session.polling_config is not None and session.polling_config.poll_interval == timedelta(seconds=2.5)
    assert session.expire_time is not None and session.expire_time.utcoffset() == timedelta(0)


def test_importing_photospicker_imports_neither_asyncio_nor_the_client() -> None:
    code = "import sys, photospicker; print('asyncio' in sys.modules, 'photospicker._client' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_the_blocking_client_does_not_import_asyncio() -> None:
    code = "import sys; from photospicker import Client; print('asyncio' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["False"]


def test_the_blocking_client_is_generated_from_the_async_one() -> None:
    assert client_twin.TARGET.read_text() == client_twin.blocking(client_twin.SOURCE.read_text()), "run python tests/client_twin.py --write"


def test_the_stub_lists_every_field_of_the_rust_model() -> None:
    stub = native_stub.STUB.read_text()
    assert stub == native_stub.refreshed(stub), "run python tests/native_stub.py --write"


def test_a_field_of_the_wrong_type_or_range_is_a_validation_error() -> None:
    for bad in ({"width": 2**31}, {"width": 2**70}, {"width": "wide"}, {"camera_make": 3}):
        with pytest.raises(photospicker.ValidationError):
            photospicker.MediaFileMetadata(**bad)
    with pytest.raises(photospicker.ValidationError):
        photospicker.PickingSession(id="s", picker_uri="https://photos.google.com/picker/s").replace(media_items_set="yes")


def test_any_tz_aware_time_is_kept_as_the_same_instant_in_utc() -> None:
    from datetime import datetime, timedelta, timezone

    berlin = datetime(2026, 11, 23, 18, 0, tzinfo=timezone(timedelta(hours=1)))
    session = photospicker.PickingSession(id="s", picker_uri="https://photos.google.com/picker/s", expire_time=berlin)
    assert session.expire_time == berlin
    assert session.expire_time.utcoffset() == timedelta(0)
    with pytest.raises(photospicker.ValidationError):
        photospicker.PickingSession(id="s", picker_uri="https://photos.google.com/picker/s", expire_time=datetime(2026, 1, 1))


def test_event_kinds_pickle_and_events_compare_and_copy_by_value() -> None:
    for kind in (PollEventKind.WAITING, PollEventKind.PICKED, DownloadProgressKind.FINISHED):
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            assert pickle.loads(pickle.dumps(kind, protocol)) == kind
        assert copy.deepcopy(kind) == kind
