"""Download file safety from Python: nothing is replaced unless asked, an
expired baseUrl costs one listing per batch, a batch reports every item, and
Ctrl-C mid-batch leaves no temporary file."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import photospicker
from photospicker import AsyncClient, Client, DownloadAllError, PickedMediaItem
from photospicker.testing import Emulator

from hostile_server import Drip, HostileServer, RawRequest, Write


def client_for(emulator: Emulator, token: str) -> Client:
    return Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url)


def picked(emulator: Emulator, client: Client, count: int) -> list[PickedMediaItem]:
    session = client.create_session()
    emulator.pick(session.id, count=count)
    items = list(client.list_media_items(session))
    return [i for i in items if not (i.media_file.media_file_metadata.video_metadata and i.media_file.media_file_metadata.video_metadata.processing_status != "READY")]


def named(item: PickedMediaItem, name: str) -> PickedMediaItem:
    return item.replace(media_file=item.media_file.replace(filename=name))


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_two_download_calls_for_same_named_items_keep_both_files(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    items = picked(photospicker_emulator, photospicker_client, 6)
    a, b = named(items[0], "IMG_0001.jpg"), named(items[1], "IMG_0001.jpg")
    first = photospicker_client.download(a, tmp_path)
    second = photospicker_client.download(b, tmp_path)
    assert names(tmp_path) == ["IMG_0001 (2).jpg", "IMG_0001.jpg"]
    assert (first.name, second.name) == ("IMG_0001.jpg", "IMG_0001 (2).jpg")
    assert first.read_bytes() != second.read_bytes()


def test_a_users_own_file_and_a_first_batch_are_never_replaced(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    items = picked(photospicker_emulator, photospicker_client, 6)
    (tmp_path / "IMG_0001.jpg").write_bytes(b"my own photo")
    batch = [named(items[0], "IMG_0001.jpg"), named(items[1], "other.jpg")]
    first = photospicker_client.download_all(batch, tmp_path)
    contents = [p.read_bytes() for p in first]
    second = photospicker_client.download_all(batch, tmp_path)
    assert (tmp_path / "IMG_0001.jpg").read_bytes() == b"my own photo"
    assert [p.name for p in first] == ["IMG_0001 (2).jpg", "other.jpg"]
    assert [p.name for p in second] == ["IMG_0001 (3).jpg", "other (2).jpg"]
    assert [p.read_bytes() for p in first] == contents


def test_overwrite_true_replaces_and_an_explicit_file_path_replaces(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    item = named(picked(photospicker_emulator, photospicker_client, 4)[0], "IMG_0001.jpg")
    (tmp_path / "IMG_0001.jpg").write_bytes(b"old")
    path = photospicker_client.download(item, tmp_path, overwrite=True)
    assert path == tmp_path / "IMG_0001.jpg" and path.read_bytes() != b"old"
    [again] = photospicker_client.download_all([item], tmp_path, overwrite=True)
    assert again == tmp_path / "IMG_0001.jpg"
    chosen = tmp_path / "chosen.jpg"
    chosen.write_bytes(b"old")
    assert photospicker_client.download(item, chosen) == chosen and chosen.read_bytes() != b"old"
    assert names(tmp_path) == ["IMG_0001.jpg", "chosen.jpg"]


def test_concurrent_same_named_items_never_clobber_each_other(photospicker_emulator: Emulator, photospicker_client: Client, photospicker_token: str, tmp_path: Path) -> None:
    items = [named(i, "same.jpg") for i in picked(photospicker_emulator, photospicker_client, 12)[:8]]
    paths = photospicker_client.download_all(items, tmp_path, concurrency=8)
    assert len(set(paths)) == len(items) == len(names(tmp_path))

    async def many_calls() -> list[Path]:
        client = AsyncClient(token=photospicker_token, endpoint=photospicker_emulator.picker_url, library_endpoint=photospicker_emulator.library_url)
        return list(await asyncio.gather(*(client.download(i, tmp_path / "calls") for i in items)))

    (tmp_path / "calls").mkdir()
    from_calls = asyncio.run(many_calls())
    assert len(set(from_calls)) == len(items) == len(names(tmp_path / "calls"))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_in_the_target_directory_is_never_written_through(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    item = named(picked(photospicker_emulator, photospicker_client, 4)[0], "IMG_0001.jpg")
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    target = tmp_path / "photos"
    target.mkdir()
    (target / "IMG_0001.jpg").symlink_to(victim)
    path = photospicker_client.download(item, target)
    assert path == target / "IMG_0001 (2).jpg"
    assert victim.read_bytes() == b"precious"
    assert (target / "IMG_0001.jpg").is_symlink()


def test_expired_base_urls_cost_one_listing_for_the_whole_batch(photospicker_token: str, tmp_path: Path) -> None:
    with Emulator(poll_interval=0.05, base_url_ttl=600, library_size=130, video_bytes=2048) as emulator:
        token = emulator.add_user()
        client = client_for(emulator, token)
        items = picked(emulator, client, 120)
        emulator.advance_clock(601)
        emulator.clear_requests()
        paths = client.download_all(items, tmp_path)
        assert len(paths) == len(items)
        assert len(emulator.requests("mediaItems.list")) == 2, "120 items are 2 pages, listed once for the batch"


def test_download_all_reports_every_item_when_some_fail(photospicker_emulator: Emulator, photospicker_client: Client, tmp_path: Path) -> None:
    items = picked(photospicker_emulator, photospicker_client, 6)[:3]
    broken = items[1].replace(media_file=items[1].media_file.replace(base_url="https://evil.example.com/x"))
    batch = [items[0], broken, items[2]]
    with pytest.raises(DownloadAllError) as raised:
        photospicker_client.download_all(batch, tmp_path / "raised")
    error = raised.value
    assert isinstance(error, photospicker.PhotosPickerError)
    assert sorted(p.name for p in error.succeeded) == names(tmp_path / "raised") and len(error.succeeded) == 2
    assert all(p.exists() for p in error.succeeded)
    [(item, failure)] = error.failed
    assert item is broken and isinstance(failure, photospicker.ValidationError)
    assert error.__cause__ is failure
    assert isinstance(error.results[1], photospicker.ValidationError) and isinstance(error.results[0], Path)
    results = photospicker_client.download_all(batch, tmp_path / "returned", return_exceptions=True)
    assert isinstance(results[0], Path) and isinstance(results[1], photospicker.ValidationError) and isinstance(results[2], Path)


def test_async_download_all_reports_every_item_when_some_fail(photospicker_emulator: Emulator, photospicker_client: Client, photospicker_token: str, tmp_path: Path) -> None:
    items = picked(photospicker_emulator, photospicker_client, 6)[:2]
    broken = items[1].replace(media_file=items[1].media_file.replace(base_url="https://evil.example.com/x"))

    async def run() -> DownloadAllError:
        client = AsyncClient(token=photospicker_token, endpoint=photospicker_emulator.picker_url, library_endpoint=photospicker_emulator.library_url)
        with pytest.raises(DownloadAllError) as raised:
            await client.download_all([items[0], broken], tmp_path)
        return raised.value

    error = asyncio.run(run())
    assert len(error.succeeded) == 1 and error.succeeded[0].exists() and len(error.failed) == 1


def test_ctrl_c_mid_download_all_leaves_no_temporary_files(tmp_path: Path) -> None:
    size = 1_000_000

    def answer(request: RawRequest, index: int) -> list[object]:
        head = f"HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: {size}\r\n\r\n".encode()
        return [Write(head), Drip(b"\xff" * 1000, 0.05, size)]

    with HostileServer(answer) as server:
        client = Client(token="ya29.test", endpoint=server.url, library_endpoint=server.url)
        items = [raw_item(server.url, f"item-{i}") for i in range(8)]
        seen_parts: list[str] = []

        def interrupt() -> None:
            seen_parts.extend(p.name for p in tmp_path.iterdir() if p.name.endswith(".part"))
            os.kill(os.getpid(), signal.SIGINT)

        timer = threading.Timer(0.8, interrupt)
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.download_all(items, tmp_path, concurrency=8)
        timer.join()
        assert time.monotonic() - started < 5.0
        assert seen_parts, "temporary files were being written when Ctrl-C came"
        assert list(tmp_path.iterdir()) == []


def raw_item(url: str, item_id: str) -> PickedMediaItem:
    item = PickedMediaItem.from_json(
        '{"id": "%s", "createTime": "2024-01-01T00:00:00Z", "type": "PHOTO", "mediaFile": {"baseUrl": "%s/media/%s", "mimeType": "image/jpeg", "filename": "a.jpg", "mediaFileMetadata": {}}}'
        % (item_id, url, item_id)
    )
    return item.replace(session_id="s1")
