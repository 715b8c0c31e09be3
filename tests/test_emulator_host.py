"""PHOTOSPICKER_EMULATOR_HOST: a client built while it is set talks to the
emulator for both APIs (plain http), with no endpoint in the app's code."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

import photospicker
from photospicker.testing import Emulator


@pytest.fixture()
def lenient_emulator() -> Iterator[Emulator]:
    with Emulator(poll_interval=0.05, accept_any_token=True) as emulator:
        yield emulator


def test_a_client_built_with_the_variable_set_uses_the_emulator_for_both_apis(lenient_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTOSPICKER_EMULATOR_HOST", lenient_emulator.emulator_host)
    client = photospicker.Client(token="ya29.the-apps-own-token")  # no endpoint: what production code writes
    # repr shows where the client sends its calls (and never the token).
    assert f"endpoint='{lenient_emulator.picker_url}" in repr(client), repr(client)
    assert f"library_endpoint='{lenient_emulator.picker_url}/library'" in repr(client), repr(client)
    session = client.create_session()
    lenient_emulator.pick(session.id, count=2)
    assert client.get_session(session.id).media_items_set
    items = list(client.list_media_items(session))
    assert len(items) == 2
    client.batch_get_media_items([item["id"] for item in lenient_emulator.library("emulator-token")[:2]])
    assert [r["route"] for r in lenient_emulator.requests()] == ["sessions.create", "sessions.get", "mediaItems.list", "mediaItems.batchGet"]


def test_a_bad_value_is_a_validation_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTOSPICKER_EMULATOR_HOST", "http://127.0.0.1:8080")
    with pytest.raises(photospicker.ValidationError, match="PHOTOSPICKER_EMULATOR_HOST"):
        photospicker.Client(token="t")


def test_a_program_run_with_the_variable_set_needs_no_test_only_code(lenient_emulator: Emulator) -> None:
    program = "import photospicker; print(photospicker.Client(token='any').create_session().picker_uri)"
    env = {"PHOTOSPICKER_EMULATOR_HOST": lenient_emulator.emulator_host, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.startswith(f"{lenient_emulator.picker_url}/picker/"), done
    assert [r["route"] for r in lenient_emulator.requests()] == ["sessions.create"]


def test_with_the_variable_set_a_client_needs_no_token_at_all(lenient_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTOSPICKER_EMULATOR_HOST", lenient_emulator.emulator_host)
    assert photospicker.Client().create_session().picker_uri.startswith(lenient_emulator.picker_url)
    monkeypatch.delenv("PHOTOSPICKER_EMULATOR_HOST")
    with pytest.raises(photospicker.ValidationError, match="token"):
        photospicker.Client()
