"""P5: how the clients poll. A session whose pick the emulator finishes T seconds
after the wait starts: requests spent (ideal ⌈T/pollInterval⌉ + 1) and detection
latency (at most one interval, + 50 ms). A session never picked, waited with a
deadline: no request after the wait returned."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any, Callable

import photospicker

from harness import EmulatorProcess, Row

POLL_INTERVAL_S = 1.0
PICK_AFTER_S = 3.4
DEADLINE_S = 2.5
QUIET_CHECK_S = 2.0
LATENCY_SLACK_S = 0.050


def gets_of(emulator: EmulatorProcess, session_id: str) -> int:
    return sum(1 for r in emulator.logged_requests("sessions.get") if r["path"].endswith(f"/v1/sessions/{session_id}"))


def measure(emulator: EmulatorProcess) -> list[Row]:
    user = emulator.add_user(librarySize=10)
    kwargs: dict[str, Any] = {"token": user["token"], "endpoint": emulator.picker_url, "library_endpoint": emulator.library_url}
    sync_client = photospicker.Client(**kwargs)
    async_client = photospicker.AsyncClient(**kwargs)

    def picked_after(wait: Callable[[str], object], create: Callable[[], str]) -> tuple[int, float]:
        session_id = create()
        emulator.configure(session_id, pollIntervalSeconds=POLL_INTERVAL_S)
        emulator.pick(session_id, count=2, afterSeconds=PICK_AFTER_S)
        picked_at = time.perf_counter() + PICK_AFTER_S
        wait(session_id)
        return gets_of(emulator, session_id), time.perf_counter() - picked_at

    def quiet_after_deadline(wait: Callable[[str], object], create: Callable[[], str]) -> tuple[int, int]:
        session_id = create()
        emulator.configure(session_id, pollIntervalSeconds=POLL_INTERVAL_S)
        try:
            wait(session_id)
            raise RuntimeError("the wait returned without a pick")
        except photospicker.PickingTimeoutError:
            pass
        at_return = gets_of(emulator, session_id)
        time.sleep(QUIET_CHECK_S)
        return at_return, gets_of(emulator, session_id) - at_return

    create_sync = lambda: sync_client.create_session().id  # noqa: E731
    create_async = lambda: asyncio.run(async_client.create_session()).id  # noqa: E731
    waits = {
        "Client": (create_sync, lambda s: sync_client.wait_until_picked(s), lambda s: sync_client.wait_until_picked(s, timeout=DEADLINE_S)),
        "AsyncClient": (create_async, lambda s: asyncio.run(async_client.wait_until_picked(s)),
                        lambda s: asyncio.run(async_client.wait_until_picked(s, timeout=DEADLINE_S))),
    }
    ideal = math.ceil(PICK_AFTER_S / POLL_INTERVAL_S) + 1
    ideal_by_deadline = math.ceil(DEADLINE_S / POLL_INTERVAL_S) + 1
    rows = []
    for name, (create, wait, wait_with_deadline) in waits.items():
        count, latency = picked_after(wait, create)
        before_deadline, after_deadline = quiet_after_deadline(wait_with_deadline, create)
        met = count == ideal and latency <= POLL_INTERVAL_S + LATENCY_SLACK_S and after_deadline == 0 and before_deadline <= ideal_by_deadline
        rows.append(Row(
            "P5", f"polling, `{name}.wait_until_picked`: pick after {PICK_AFTER_S} s, pollInterval {POLL_INTERVAL_S:.0f} s; then a {DEADLINE_S} s deadline",
            f"{count} requests; detected {latency * 1e3:.0f} ms after the pick; deadline: {before_deadline} requests, {after_deadline} after it",
            f"ideal {ideal} requests; latency ≤ {POLL_INTERVAL_S * 1e3:.0f} ms; ≤ {ideal_by_deadline} requests by the deadline",
            f"{count}/{ideal} requests", "exact count; latency ≤ interval + 50 ms; 0 after deadline", met,
            "request counts from the emulator's request log",
        ))
    return rows
