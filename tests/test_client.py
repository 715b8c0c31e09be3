"""photospicker.Client (blocking) against the emulator, over HTTP."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

import photospicker
from photospicker import Client, MediaType, Retry
from photospicker.testing import Emulator


def client_for(emulator: Emulator, token: str, **options: object) -> Client:
    return Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url, **options)  # type: ignore[arg-type]


def picked_session(emulator: Emulator, client: Client, count: int) -> photospicker.PickingSession:
    session = client.create_session()
    emulator.pick(session.id, count=count)
    return session


def test_sessions_create_get_delete(photospicker_client: Client) -> None:
    session = photospicker_client.create_session(max_item_count=7, request_id="6f1c6c2e-7d3a-4b4c-8d5e-9f0a1b2c3d4e")
    assert session.picking_config == photospicker.PickingConfig(max_item_count=7)
    assert session.expire_time is not None and session.expire_time.tzinfo is not None
    assert session.polling_config is not None and session.polling_config.poll_interval is not None
    assert photospicker_client.get_session(session.id) .id == session.id
    photospicker_client.delete_session(session)
    with pytest.raises(photospicker.NotFoundError):
        photospicker_client.get_session(session.id)


def test_wait_until_picked_reports_every_poll(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    session = photospicker_client.create_session()
    photospicker_emulator.pick(session.id, count=2, after_polls=2)
    events: list[photospicker.PollEvent] = []
    done = photospicker_client.wait_until_picked(session, on_poll=events.append)
    assert done.media_items_set and [e.picked for e in events] == [False, False, True]
    assert len(photospicker_emulator.requests("sessions.get")) == 3


def test_callbacks_of_a_blocking_call_run_on_the_calling_thread_and_may_call_the_client(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    session = photospicker_client.create_session()
    photospicker_emulator.pick(session.id, count=1, after_polls=2)
    threads, seen = set(), []

    def on_poll(event: photospicker.PollEvent) -> None:
        threads.add(threading.get_ident())
        seen.append(photospicker_client.get_session(session.id).id)  # a blocking call inside one

    photospicker_client.wait_until_picked(session, on_poll=on_poll)
    assert threads == {threading.get_ident()}
    assert seen and set(seen) == {session.id}


def test_a_blocking_call_from_a_progress_callback_goes_through_while_downloads_hold_every_slot(photospicker_emulator: Emulator, photospicker_token: str, tmp_path: Path) -> None:
    client = Client(token=photospicker_token, endpoint=photospicker_emulator.picker_url, library_endpoint=photospicker_emulator.library_url, max_concurrent_requests=1)
    session = client.create_session()
    photospicker_emulator.pick(session.id, count=4)
    items = [item for item in client.list_media_items(session.id) if not item.video_not_ready]
    nested = []

    def on_progress(progress: photospicker.DownloadProgress) -> None:
        if progress.kind == "started":
            nested.append(client.get_session(session.id).id)

    started = time.monotonic()
    paths = client.download_all(items, tmp_path, concurrency=4, on_progress=on_progress)
    assert len(paths) == len(items) and nested == [session.id] * len(items)
    assert time.monotonic() - started < 30


def test_timeouts_and_expiry(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    session = photospicker_client.create_session()
    with pytest.raises(photospicker.PickingTimeoutError) as caught:
        photospicker_client.wait_until_picked(session, timeout=0.2)
    assert caught.value.session_id == session.id
    photospicker_emulator.configure_session(session.id, poll_interval=0.05, timeout=0.1)
    with pytest.raises(photospicker.PickingTimeoutError):
        photospicker_client.wait_until_picked(session)
    other = photospicker_client.create_session()
    with pytest.raises(photospicker.SessionExpiredError):
        photospicker_client.wait_until_picked(other, on_poll=lambda _: photospicker_emulator.advance_clock(3601))


def test_listing_paginates(photospicker_emulator: Emulator) -> None:
    token = photospicker_emulator.add_user(library_size=130)
    client = client_for(photospicker_emulator, token)
    session = picked_session(photospicker_emulator, client, 120)
    items = list(client.list_media_items(session, page_size=50))
    assert len(items) == 120 and len({i.id for i in items}) == 120
    assert len(photospicker_emulator.requests("mediaItems.list")) == 3
    assert all(i.session_id == session.id for i in items)
    assert {i.type for i in items} == {MediaType.PHOTO, MediaType.VIDEO}
    empty = picked_session(photospicker_emulator, client, 0)
    assert list(client.list_media_items(empty.id)) == []


def test_listing_follows_empty_and_short_pages_to_the_end(photospicker_emulator: Emulator) -> None:
    token = photospicker_emulator.add_user()
    client = client_for(photospicker_emulator, token)
    session = picked_session(photospicker_emulator, client, 7)
    photospicker_emulator.configure_session(session.id, page_sizes=[0, 3])
    items = list(client.list_media_items(session))
    assert [i.id for i in items] == [item["id"] for item in photospicker_emulator.library(token)[:7]]
    assert len(photospicker_emulator.requests("mediaItems.list")) == 6  # pages of 0, 3, 0, 3, 0, 1 items


def test_batch_get_chunks_and_reports_per_item(photospicker_emulator: Emulator) -> None:
    token = photospicker_emulator.add_user(library_size=130)
    client = client_for(photospicker_emulator, token)
    ids = [item["id"] for item in photospicker_emulator.library(token) if item["appCreated"]][:60]
    results = client.batch_get_media_items([*ids, "no-such-item"])
    assert len(photospicker_emulator.requests("mediaItems.batchGet")) == 2
    assert [r.unwrap().id for r in results[:60]] == ids
    assert not results[60].ok and isinstance(results[60].error, photospicker.InvalidArgumentError)
    with pytest.raises(photospicker.InvalidArgumentError):
        results[60].unwrap()
    with pytest.raises(photospicker.ValidationError):
        client.batch_get_media_items([])


def test_downloads_with_size_options(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    session = picked_session(photospicker_emulator, photospicker_client, 10)
    items = list(photospicker_client.list_media_items(session))
    photo = next(i for i in items if i.media_file.mime_type == "image/jpeg")
    original = photospicker_client.download(photo, tmp_path)
    assert original == tmp_path / photo.media_file.filename
    with Image.open(original) as image:
        assert image.format == "JPEG"
    for (width, height, crop), expected in [((200, None, False), (200, None)), ((None, 100, False), (None, 100)), ((64, 48, True), (64, 48))]:
        path = photospicker_client.download(photo, tmp_path / "sized.jpg", width=width, height=height, crop=crop)
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            assert expected[0] in (None, image.width) and expected[1] in (None, image.height), image.size
    video = next(i for i in items if i.type == MediaType.VIDEO and i.media_file.media_file_metadata.video_metadata.processing_status.value == "READY")  # type: ignore[union-attr]
    data = photospicker_client.download(video, tmp_path).read_bytes()
    assert data[4:8] == b"ftyp" and len(data) == 262144


def test_video_not_ready(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    session = picked_session(photospicker_emulator, photospicker_client, 40)
    pending = next(
        i for i in photospicker_client.list_media_items(session)
        if i.media_file.media_file_metadata.video_metadata is not None
        and i.media_file.media_file_metadata.video_metadata.processing_status.value != "READY"
    )
    with pytest.raises(photospicker.VideoNotReadyError):
        photospicker_client.download(pending, tmp_path)


def test_no_partial_file_after_a_reset(photospicker_emulator: Emulator, photospicker_token: str, tmp_path: Path) -> None:
    client = client_for(photospicker_emulator, photospicker_token, retry=Retry.disabled())
    session = picked_session(photospicker_emulator, client, 3)
    items = list(client.list_media_items(session))
    photospicker_emulator.inject_faults("media", "reset", after_bytes=1000)
    with pytest.raises(photospicker.TransportError):
        client.download(items[0], tmp_path)
    with pytest.raises(photospicker.DownloadAllError) as raised:
        client.download_all(items, tmp_path / "all")
    assert all(isinstance(error, photospicker.TransportError) for _, error in raised.value.failed)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_download_all_with_progress(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    session = picked_session(photospicker_emulator, photospicker_client, 6)
    items = [i for i in photospicker_client.list_media_items(session) if i.type == MediaType.PHOTO]
    events: list[photospicker.DownloadProgress] = []
    paths = photospicker_client.download_all(items, tmp_path / "out", concurrency=2, on_progress=events.append)
    assert [p.parent for p in paths] == [tmp_path / "out"] * len(items)
    assert sum(e.kind == "finished" for e in events) == len(items)


def test_picking_session_deletes_on_success_and_on_exception(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    with photospicker_client.picking_session() as session:
        photospicker_emulator.pick(session.id, count=1)
        photospicker_client.wait_until_picked(session)
    with pytest.raises(photospicker.NotFoundError):
        photospicker_client.get_session(session.id)
    with pytest.raises(ZeroDivisionError):
        with photospicker_client.picking_session() as failing:
            1 / 0
    with pytest.raises(photospicker.NotFoundError):
        photospicker_client.get_session(failing.id)
    assert [r["status"] for r in photospicker_emulator.requests("sessions.delete")] == [200, 200]


def _interrupt_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_stops_a_wait_quickly_and_cleans_up(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    started = time.monotonic()
    _interrupt_after(0.3)
    with pytest.raises(KeyboardInterrupt):
        with photospicker_client.picking_session() as session:
            photospicker_emulator.configure_session(session.id, poll_interval=30)
            photospicker_client.wait_until_picked(session)
    assert time.monotonic() - started < 0.3 + 1.0
    with pytest.raises(photospicker.NotFoundError):
        photospicker_client.get_session(session.id)


def test_ctrl_c_stops_a_download_without_leaving_a_file(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    session = picked_session(photospicker_emulator, photospicker_client, 3)
    item = next(iter(photospicker_client.list_media_items(session)))
    photospicker_emulator.inject_faults("media", "latency", latency_ms=5000)
    started = time.monotonic()
    _interrupt_after(0.2)
    with pytest.raises(KeyboardInterrupt):
        photospicker_client.download(item, tmp_path)
    assert time.monotonic() - started < 1.5
    assert list(tmp_path.iterdir()) == []


def test_the_gil_is_released_during_io(photospicker_emulator: Emulator, photospicker_client: Client) -> None:
    session = photospicker_client.create_session()
    photospicker_emulator.inject_faults("sessions.get", "latency", latency_ms=500)
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    photospicker_client.get_session(session.id)
    stop.set()
    counter.join()
    assert ticks > 100, ticks


def test_fifty_threads_share_one_client() -> None:
    with Emulator(poll_interval=0.05, max_sessions_per_user=50) as emulator:
        _fifty_threads(emulator, client_for(emulator, emulator.add_user()))


def _fifty_threads(photospicker_emulator: Emulator, client: Client) -> None:

    def flow(n: int) -> int:
        with client.picking_session() as session:
            photospicker_emulator.pick(session.id, count=1 + n % 3, after_polls=1)
            client.wait_until_picked(session)
            return len(list(client.list_media_items(session)))

    with ThreadPoolExecutor(max_workers=50) as pool:
        counts = list(pool.map(flow, range(50)))
    assert counts == [1 + n % 3 for n in range(50)]


def test_repr_never_shows_the_token_or_base_urls(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    client = client_for(photospicker_emulator, photospicker_token)
    assert photospicker_token not in repr(client)
    session = picked_session(photospicker_emulator, client, 2)
    item = next(iter(client.list_media_items(session)))
    assert item.media_file.base_url not in repr(item) and "<redacted>" in repr(item)
    bad = client_for(photospicker_emulator, "ya29.secret-token-value")
    with pytest.raises(photospicker.UnauthenticatedError) as caught:
        bad.get_session("x")
    assert "secret-token" not in repr(caught.value) + str(caught.value)


def test_token_provider_is_asked_again_after_a_401(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    calls: list[bool] = []

    def provide(refresh: bool) -> str:
        calls.append(refresh)
        return photospicker_token if refresh else "stale"

    client = Client(token_provider=provide, endpoint=photospicker_emulator.picker_url)
    client.create_session()
    assert calls == [False, True]


def test_retries_are_logged_without_secrets(photospicker_emulator: Emulator, photospicker_token: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="photospicker")
    client = client_for(photospicker_emulator, photospicker_token, retry=Retry(initial_backoff=0.01, jitter=False))
    session = client.create_session()
    photospicker_emulator.inject_faults("sessions.get", "status", status=503, times=1)
    client.get_session(session.id)
    retries = [r for r in caplog.records if r.name == "photospicker" and "retrying" in r.getMessage()]
    assert retries and retries[0].levelname == "INFO" and "sessions_get" in retries[0].getMessage()
    assert any("status=200" in r.getMessage() for r in caplog.records), "per-request debug lines"
    assert photospicker_token not in caplog.text and session.id not in caplog.text


def test_download_into_a_new_directory(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    session = picked_session(photospicker_emulator, photospicker_client, 2)
    item = next(iter(photospicker_client.list_media_items(session)))
    path = photospicker_client.download(item, f"{tmp_path}/new/dir/", width=64)
    assert path.parent == tmp_path / "new" / "dir" and path.stat().st_size > 0


class StopDownloading(Exception):
    pass


def test_a_progress_callback_that_raises_ends_download_all_with_its_exception_and_leaves_no_part_files(
    photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path
) -> None:
    session = photospicker_client.create_session()
    photospicker_emulator.pick(session.id, count=6)
    items = list(photospicker_client.list_media_items(session))
    seen: list[photospicker.DownloadProgress] = []

    def on_progress(event: photospicker.DownloadProgress) -> None:
        seen.append(event)
        raise StopDownloading()

    with pytest.raises(StopDownloading):
        photospicker_client.download_all(items, tmp_path, concurrency=2, on_progress=on_progress)
    assert len(seen) >= 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
