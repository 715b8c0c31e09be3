"""The emulator from Python, driven with plain HTTP (requests): the whole Picker
flow, the control methods, and their errors."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from photospicker.testing import Emulator


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(emulator: Emulator, token: str, **body: Any) -> dict[str, Any]:
    response = requests.post(f"{emulator.picker_url}/v1/sessions", json=body, headers=bearer(token), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_whole_flow_with_plain_http(emulator: Emulator) -> None:
    token = emulator.add_user(library_size=12)
    session = create(emulator, token, pickingConfig={"maxItemCount": "5"})
    assert "mediaItemsSet" not in session  # proto3 JSON leaves false out, as Google does
    emulator.pick(session["id"], count=3)
    polled = requests.get(f"{emulator.picker_url}/v1/sessions/{session['id']}", headers=bearer(token), timeout=10).json()
    assert polled["mediaItemsSet"] is True and "pollingConfig" not in polled
    listed = requests.get(
        f"{emulator.picker_url}/v1/mediaItems", params={"sessionId": session["id"]}, headers=bearer(token), timeout=10
    ).json()
    items = listed["mediaItems"]
    assert len(items) == 3 and "nextPageToken" not in listed
    photo = next(item for item in items if item["type"] == "PHOTO")
    image = requests.get(photo["mediaFile"]["baseUrl"] + "=w64-h64-c", headers=bearer(token), timeout=10)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert requests.get(photo["mediaFile"]["baseUrl"] + "=w64", timeout=10).status_code == 403
    ids = [item["id"] for item in emulator.library(token) if item["appCreated"]][:2]
    batch = requests.get(
        f"{emulator.library_url}/v1/mediaItems:batchGet", params=[("mediaItemIds", i) for i in ids], headers=bearer(token), timeout=10
    ).json()
    assert [r["mediaItem"]["id"] for r in batch["mediaItemResults"]] == ids
    deleted = requests.delete(f"{emulator.picker_url}/v1/sessions/{session['id']}", headers=bearer(token), timeout=10)
    assert deleted.json() == {}
    routes = [r["route"] for r in emulator.requests()]
    assert routes == ["sessions.create", "sessions.get", "mediaItems.list", "media", "media", "mediaItems.batchGet", "sessions.delete"]


def test_pick_after_polls_and_clock(emulator: Emulator) -> None:
    token = emulator.add_user()
    session = create(emulator, token)
    emulator.pick(session["id"], count=1, after_polls=2)
    url = f"{emulator.picker_url}/v1/sessions/{session['id']}"
    answers = [requests.get(url, headers=bearer(token), timeout=10).json().get("mediaItemsSet", False) for _ in range(3)]
    assert answers == [False, False, True]
    assert len(emulator.requests("sessions.get")) == 3
    other = create(emulator, token)
    emulator.pick(other["id"], count=1, after_seconds=60)
    emulator.advance_clock(61)
    assert requests.get(f"{emulator.picker_url}/v1/sessions/{other['id']}", headers=bearer(token), timeout=10).json()["mediaItemsSet"]


def test_configure_and_timeout(emulator: Emulator) -> None:
    token = emulator.add_user()
    session = create(emulator, token)
    emulator.configure_session(session["id"], poll_interval=1.5, timeout=0)
    polled = requests.get(f"{emulator.picker_url}/v1/sessions/{session['id']}", headers=bearer(token), timeout=10).json()
    assert polled["pollingConfig"] == {"pollInterval": "1.5s", "timeoutIn": "0s"}


def test_faults_from_python(emulator: Emulator) -> None:
    token = emulator.add_user()
    emulator.inject_faults("sessions.create", "status", status=503, times=1, retry_after=1)
    first = requests.post(f"{emulator.picker_url}/v1/sessions", headers=bearer(token), timeout=10)
    assert first.status_code == 503 and first.json()["error"]["status"] == "UNAVAILABLE"
    assert first.headers["Retry-After"] == "1"
    emulator.inject_faults("sessions.create", "html", status=502, times=1)
    second = requests.post(f"{emulator.picker_url}/v1/sessions", headers=bearer(token), timeout=10)
    assert second.status_code == 502 and second.text.lstrip().startswith("<!DOCTYPE html>")
    assert requests.post(f"{emulator.picker_url}/v1/sessions", headers=bearer(token), timeout=10).status_code == 200
    emulator.inject_faults("*", "status", status=500)
    emulator.clear_faults()
    assert requests.post(f"{emulator.picker_url}/v1/sessions", headers=bearer(token), timeout=10).status_code == 200


def test_errors_of_the_control_methods(emulator: Emulator) -> None:
    token = emulator.add_user(name="alice")
    with pytest.raises(ValueError, match="exists already"):
        emulator.add_user(name="alice")
    with pytest.raises(LookupError):
        emulator.pick("no-such-session", count=1)
    session = create(emulator, token)
    with pytest.raises(ValueError, match="exactly one"):
        emulator.pick(session["id"])
    with pytest.raises(ValueError, match="unknown fault kind"):
        emulator.inject_faults(kind="explode")
    with pytest.raises(ValueError, match="unknown route"):
        emulator.inject_faults(route="sessions.patch")
    with pytest.raises(ValueError):
        emulator.advance_clock(-5)
    with pytest.raises(LookupError):
        emulator.library("not-a-token")


def test_reset_and_stop() -> None:
    emulator = Emulator()
    token = emulator.add_user()
    create(emulator, token)
    emulator.reset()
    assert emulator.requests() == []
    assert requests.post(f"{emulator.picker_url}/v1/sessions", headers=bearer(token), timeout=10).status_code == 401
    url = emulator.picker_url
    emulator.stop()
    emulator.stop()
    assert "running=False" in repr(emulator)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
    with pytest.raises(ValueError, match="stopped"):
        emulator.add_user()


def test_many_users_in_parallel_threads(emulator: Emulator) -> None:
    tokens = [emulator.add_user(library_size=5) for _ in range(20)]
    barrier = threading.Barrier(len(tokens))

    def flow(token: str) -> int:
        barrier.wait()
        session = create(emulator, token)
        emulator.pick(session["id"], count=2)
        page = requests.get(
            f"{emulator.picker_url}/v1/mediaItems", params={"sessionId": session["id"]}, headers=bearer(token), timeout=10
        ).json()
        return len(page["mediaItems"])

    with ThreadPoolExecutor(len(tokens)) as pool:
        assert list(pool.map(flow, tokens)) == [2] * len(tokens)


def test_repr_and_urls_are_loopback(emulator: Emulator) -> None:
    assert emulator.picker_url.startswith("http://127.0.0.1:")
    assert emulator.library_url.startswith("http://127.0.0.1:")
    assert emulator.picker_url != emulator.library_url
    assert "running=True" in repr(emulator)


def test_an_emulator_left_running_at_exit_is_stopped_and_the_exit_code_kept() -> None:
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from photospicker.testing import Emulator\n"
        "emulator = Emulator()\n"
        "emulator.add_user()\n"
        "sys.exit(7)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 7, done.stderr
    assert "Fatal Python error" not in done.stderr
