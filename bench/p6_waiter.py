"""The client side of P6 in a process of its own: creates N sessions with one
AsyncClient, prints their ids (one JSON line), waits for a line on stdin, then
awaits every session's pick at once and prints its CPU time, wall time and
peak RSS over that phase.

    python bench/p6_waiter.py PICKER_URL TOKEN N DEADLINE_SECONDS
"""

import asyncio
import json
import resource
import sys
import time

import photospicker

CREATING_AT_ONCE = 200


async def main() -> None:
    picker_url, token, count, deadline = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    client = photospicker.AsyncClient(token=token, endpoint=picker_url)
    gate = asyncio.Semaphore(CREATING_AT_ONCE)

    async def create() -> str:
        async with gate:
            return (await client.create_session()).id

    ids = await asyncio.gather(*(create() for _ in range(count)))
    print(json.dumps(ids), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    sessions = await asyncio.gather(*(client.wait_until_picked(i, timeout=deadline) for i in ids))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    picked = sum(1 for s in sessions if s.media_items_set)
    print(json.dumps({"seconds": wall, "cpu_seconds": cpu, "peak_rss": after.ru_maxrss * 1024, "picked": picked}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
