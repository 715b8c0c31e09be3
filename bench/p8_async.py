"""P8: N concurrent `get_session` calls, `photospicker.AsyncClient` against
`httpx.AsyncClient`, both on one event loop, rounds interleaved."""

from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable

import httpx

import photospicker

from harness import EmulatorProcess, Figure, Row, ratio_figure

TARGET = 0.2


async def gathered_seconds(count: int, call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await asyncio.gather(*(call() for _ in range(count)))
    return time.perf_counter() - started


async def measure_async(emulator: EmulatorProcess, rounds: int, count: int) -> list[Row]:
    user = emulator.add_user(librarySize=10)
    token = user["token"]
    ours = photospicker.AsyncClient(token=token, endpoint=emulator.picker_url)
    session_id = (await ours.create_session()).id
    url = f"{emulator.picker_url}/v1/sessions/{session_id}"
    headers = {"Authorization": f"Bearer {token}"}
    samples: dict[str, list[float]] = {"photospicker": [], "httpx": []}
    # The default 5 s pool timeout fails 1,000 queued requests on a busy machine; time is what we measure.
    async with httpx.AsyncClient(timeout=httpx.Timeout(120.0)) as theirs:
        async def with_httpx() -> object:
            return (await theirs.get(url, headers=headers)).json()

        contenders = {"photospicker": lambda: ours.get_session(session_id), "httpx": with_httpx}
        for name, call in contenders.items():  # warm-up: connections opened
            await gathered_seconds(count, call)
        for r in range(rounds):
            for name in (list(contenders) if r % 2 == 0 else list(reversed(contenders))):
                samples[name].append(await gathered_seconds(count, contenders[name]))
    ours_f, theirs_f = Figure(samples["photospicker"]), Figure(samples["httpx"])
    ratio = ratio_figure(ours_f.samples, theirs_f.samples)
    return [Row(
        "P8", f"Python `AsyncClient`, {count:,} concurrent `get_session`", f"{ours_f.median * 1e3:.0f} ms (spread {ours_f.spread(1e3)} ms)",
        f"`httpx.AsyncClient` {theirs_f.median * 1e3:.0f} ms (spread {theirs_f.spread(1e3)} ms)",
        f"{ratio.median:.2f}× ({ratio.spread(digits=2)})", f"≤ {TARGET}× httpx", ratio.median <= TARGET,
        f"{rounds} interleaved rounds after a warm-up; httpx with its default pool (100 connections), timeout raised to 120 s",
    )]


def measure(emulator: EmulatorProcess, rounds: int, count: int) -> list[Row]:
    return asyncio.run(measure_async(emulator, rounds, count))
