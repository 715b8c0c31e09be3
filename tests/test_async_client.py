"""photospicker.AsyncClient: every method as a coroutine, cancellation, and
1,000 concurrent waits in one event loop."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

import photospicker
from photospicker import AsyncClient
from photospicker.testing import Emulator

from hostile_server import HostileServer, Sleep


def test_every_method(photospicker_emulator: Emulator, photospicker_async_client: AsyncClient, tmp_path: Path) -> None:
    client = photospicker_async_client

    async def flow() -> None:
        async with client.picking_session(max_item_count=5) as session:
            assert (await client.get_session(session.id)).id == session.id
            photospicker_emulator.pick(session.id, count=3, after_polls=1)
            polls: list[photospicker.PollEvent] = []
            done = await client.wait_until_picked(session, on_poll=polls.append)
            assert done.media_items_set and len(polls) == 2
            items = [item async for item in client.list_media_items(session, page_size=2)]
            assert len(items) == 3
            photos = [i for i in items if i.type == photospicker.MediaType.PHOTO]
            path = await client.download(photos[0], tmp_path, width=100)
            assert path.exists()
            paths = await client.download_all(photos, tmp_path / "all")
            assert len(paths) == len(photos)
            results = await client.batch_get_media_items([i.id for i in items])
            assert len(results) == 3
        with pytest.raises(photospicker.NotFoundError):
            await client.get_session(session.id)
        other = await client.create_session()
        await client.delete_session(other)

    asyncio.run(flow())


def test_errors_and_deletion_on_exception(photospicker_emulator: Emulator, photospicker_async_client: AsyncClient) -> None:
    async def flow() -> str:
        with pytest.raises(photospicker.PickingTimeoutError):
            async with photospicker_async_client.picking_session() as session:
                await photospicker_async_client.wait_until_picked(session, timeout=0.1)
        return session.id

    session_id = asyncio.run(flow())
    assert [r["status"] for r in photospicker_emulator.requests("sessions.delete")] == [200]
    del session_id


def test_a_cancelled_wait_stops(photospicker_emulator: Emulator, photospicker_async_client: AsyncClient) -> None:
    async def flow() -> None:
        session = await photospicker_async_client.create_session()
        photospicker_emulator.configure_session(session.id, poll_interval=30)
        task = asyncio.ensure_future(photospicker_async_client.wait_until_picked(session))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(flow())
    assert len(photospicker_emulator.requests("sessions.get")) == 1


def test_a_thousand_concurrent_waits() -> None:
    with Emulator(poll_interval=0.05, max_sessions_per_user=1000) as emulator:
        token = emulator.add_user()
        client = AsyncClient(token=token, endpoint=emulator.picker_url)

        async def one(n: int) -> bool:
            session = await client.create_session()
            emulator.pick(session.id, count=1, after_polls=n % 3)
            done = await client.wait_until_picked(session)
            return done.media_items_set

        async def all_of_them() -> list[bool]:
            return await asyncio.gather(*(one(n) for n in range(1000)))

        assert all(asyncio.run(all_of_them()))


def test_an_async_token_provider(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    calls: list[bool] = []

    async def provide(refresh: bool) -> str:
        await asyncio.sleep(0)
        calls.append(refresh)
        return photospicker_token if refresh else "stale"

    client = AsyncClient(token_provider=provide, endpoint=photospicker_emulator.picker_url)
    asyncio.run(client.create_session())
    assert calls == [False, True]


EXITS_AFTER_A_TIMED_OUT_CALL = """
import asyncio, sys, photospicker
async def main():
    client = photospicker.AsyncClient(token="ya29.t", endpoint=sys.argv[1], timeout=0.2, retry=False)
    try:
        await client.get_session("s1")
    except photospicker.TransportError:
        pass
asyncio.run(main())
"""


def test_a_program_whose_last_async_call_timed_out_exits_cleanly_every_time() -> None:
    # The result's delivery wakes the event loop, and the program may finish
    # before the delivering native thread is back: it must not abort (exit 134).
    with HostileServer(lambda request, index: [Sleep(30)]) as server:
        codes = []
        for _ in range(4):
            batch = [subprocess.Popen([sys.executable, "-c", EXITS_AFTER_A_TIMED_OUT_CALL, server.url], stderr=subprocess.PIPE) for _ in range(6)]
            codes += [(process.wait(timeout=60), process.stderr.read().decode()[-500:] if process.stderr else "") for process in batch]
    assert [code for code, _ in codes] == [0] * len(codes), codes


def test_a_blocking_call_from_an_async_callback_returns(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    sync_client = photospicker.Client(token=photospicker_token, endpoint=photospicker_emulator.picker_url)
    session = sync_client.create_session()
    photospicker_emulator.pick(session.id, count=1, after_polls=2)
    seen = []

    async def main() -> photospicker.PickingSession:
        async_client = AsyncClient(token=photospicker_token, endpoint=photospicker_emulator.picker_url)
        on_poll = lambda event: seen.append(sync_client.get_session(session.id).id)  # noqa: E731
        return await asyncio.wait_for(async_client.wait_until_picked(session, on_poll=on_poll), timeout=30)

    assert asyncio.run(main()).media_items_set
    assert seen and set(seen) == {session.id}


def test_slow_async_callbacks_do_not_hold_up_calls_on_other_threads(photospicker_emulator: Emulator, photospicker_token: str) -> None:
    sync_client = photospicker.Client(token=photospicker_token, endpoint=photospicker_emulator.picker_url)
    sessions = [sync_client.create_session() for _ in range(3)]
    for session in sessions:
        photospicker_emulator.pick(session.id, count=1, after_polls=2)

    async def main() -> float:
        async_client = AsyncClient(token=photospicker_token, endpoint=photospicker_emulator.picker_url)
        waits = [asyncio.ensure_future(async_client.wait_until_picked(s, on_poll=lambda event: time.sleep(3))) for s in sessions]
        await asyncio.sleep(0.5)  # the callbacks are sleeping now
        started = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, sync_client.get_session, sessions[0].id)
        elapsed = time.monotonic() - started
        await asyncio.gather(*waits)
        return elapsed

    # Blocked behind the callbacks, the call would take their 3 s.
    assert asyncio.run(main()) < 1.5
