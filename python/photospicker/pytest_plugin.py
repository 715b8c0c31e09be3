"""pytest fixtures for apps that use photospicker (registered automatically
through the ``pytest11`` entry point once the package is installed).

    def test_my_flow(photospicker_emulator, photospicker_client):
        session = photospicker_client.create_session()
        photospicker_emulator.pick(session.id, count=3)
        ...

``photospicker_emulator`` is a fresh emulator per test (fast polling; the
``photospicker-emulator`` program, see ``photospicker.testing``); ``photospicker_client`` / ``photospicker_async_client`` are clients
pointed at it with the token of a new user and quick retries.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from photospicker import AsyncClient, Client, Retry
from photospicker.testing import Emulator

_TEST_RETRY = Retry(initial_backoff=0.01, max_backoff=0.05, rate_limited_backoff=0.01, jitter=False)


@pytest.fixture()
def photospicker_emulator() -> Iterator[Emulator]:
    """A running emulator (poll interval 50 ms), stopped after the test."""
    with Emulator(poll_interval=0.05) as emulator:
        yield emulator


@pytest.fixture()
def photospicker_token(photospicker_emulator: Emulator) -> str:
    """The bearer token of a new emulated user."""
    return photospicker_emulator.add_user()


@pytest.fixture()
def photospicker_client(photospicker_emulator: Emulator, photospicker_token: str) -> Client:
    """A ``Client`` for the emulator, authenticated as ``photospicker_token``'s user."""
    return Client(token=photospicker_token, endpoint=photospicker_emulator.picker_url, library_endpoint=photospicker_emulator.library_url, retry=_TEST_RETRY)


@pytest.fixture()
def photospicker_async_client(photospicker_emulator: Emulator, photospicker_token: str) -> AsyncClient:
    """An ``AsyncClient`` for the emulator, authenticated as ``photospicker_token``'s user."""
    return AsyncClient(token=photospicker_token, endpoint=photospicker_emulator.picker_url, library_endpoint=photospicker_emulator.library_url, retry=_TEST_RETRY)
