"""P6: one AsyncClient awaiting N concurrent sessions, which the bench driver
picks at random times through the emulator's control API; the client's CPU
(cores on average) and peak RSS while it waits."""

from __future__ import annotations

import json
import random
import select
import subprocess
import sys
import time

from harness import HERE, EmulatorProcess, Row

TARGET_CORES = 1.0
TARGET_RSS = 300 * 1024 * 1024
CREATE_DEADLINE_S = 300
MARGIN_S = 120


def measure(emulator: EmulatorProcess, sessions: int, window_s: float) -> list[Row]:
    user = emulator.add_user(librarySize=10, maxSessions=sessions + 10)
    deadline = window_s + MARGIN_S
    waiter = subprocess.Popen(
        [sys.executable, str(HERE / "p6_waiter.py"), emulator.picker_url, user["token"], str(sessions), str(deadline)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert waiter.stdin is not None and waiter.stdout is not None
    try:
        created = time.perf_counter()
        ready, _, _ = select.select([waiter.stdout], [], [], CREATE_DEADLINE_S)
        if not ready:
            raise TimeoutError(f"{sessions} sessions were not created within {CREATE_DEADLINE_S} s")
        ids = json.loads(waiter.stdout.readline())
        creating = time.perf_counter() - created
        waiter.stdin.write("go\n")
        waiter.stdin.flush()
        # Each session gets a random moment in the window; the pick is sent now with
        # the time left until that moment, so a slow driver does not bunch them up.
        start = time.perf_counter()
        moments = sorted((random.uniform(0, window_s), session_id) for session_id in ids)
        for moment, session_id in moments:
            emulator.pick(session_id, count=1, afterSeconds=round(max(0.0, moment - (time.perf_counter() - start)), 3))
        ready, _, _ = select.select([waiter.stdout], [], [], deadline + MARGIN_S)
        if not ready:
            raise TimeoutError("the waiter did not finish")
        outcome = json.loads(waiter.stdout.readline())
        waiter.wait(timeout=30)
    finally:
        if waiter.poll() is None:
            waiter.kill()
            waiter.wait(timeout=30)
    cores = outcome["cpu_seconds"] / outcome["seconds"]
    rss = outcome["peak_rss"]
    met = outcome["picked"] == sessions and cores <= TARGET_CORES and rss <= TARGET_RSS
    return [Row(
        "P6", f"{sessions:,} concurrent sessions awaited by one `AsyncClient`, picked at random within {window_s:.0f} s",
        f"{outcome['picked']:,}/{sessions:,} picked in {outcome['seconds']:.1f} s; {cores:.2f} cores on average; peak RSS {rss / 2**20:.0f} MiB",
        "—", "—", "completes; ≤ 1 core; ≤ 300 MiB RSS", met,
        f"creating the sessions took {creating:.1f} s (not counted); default pollInterval; CPU from getrusage over the wait",
    )]
