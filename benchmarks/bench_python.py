"""Python benchmarks: photospicker against a plain `requests` baseline in the
same run (ratios, not absolute thresholds; nothing is asserted).

    .venv/bin/python benchmarks/bench_python.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

import requests

import photospicker
from photospicker.testing import Emulator

VIDEO_BYTES = 64 * 1024 * 1024


def median_seconds(rounds: int, run: Callable[[], object]) -> float:
    run()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    with Emulator(video_bytes=VIDEO_BYTES, video_ratio=0.5, max_sessions_per_user=2000) as emulator, tempfile.TemporaryDirectory() as tmp:
        token = emulator.add_user()
        client = photospicker.Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
        session = client.create_session()
        emulator.pick(session.id, count=20)
        items = list(client.list_media_items(session))
        video = next(
            i for i in items
            if i.media_file.media_file_metadata.video_metadata is not None
            and i.media_file.media_file_metadata.video_metadata.processing_status == photospicker.VideoProcessingStatus.READY
        )
        http = requests.Session()
        headers = {"Authorization": f"Bearer {token}"}

        def with_requests() -> None:
            with http.get(video.media_file.base_url + "=dv", headers=headers, stream=True) as response, open(Path(tmp) / "b.mp4", "wb") as out:
                for chunk in response.iter_content(1 << 20):
                    out.write(chunk)

        def with_requests_and_fsync() -> None:
            with http.get(video.media_file.base_url + "=dv", headers=headers, stream=True) as response, open(Path(tmp) / "c.mp4", "wb") as out:
                for chunk in response.iter_content(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())

        ours = median_seconds(5, lambda: client.download(video, Path(tmp) / "a.mp4"))
        base = median_seconds(5, with_requests)
        synced = median_seconds(5, with_requests_and_fsync)
        mib = VIDEO_BYTES / (1 << 20)
        print(f"download 64 MiB: photospicker {mib / ours:.0f} MiB/s, requests {mib / base:.0f} MiB/s (ratio {ours / base:.2f}), "
              f"requests+fsync {mib / synced:.0f} MiB/s (ratio {ours / synced:.2f})")

        url = f"{emulator.picker_url}/v1/sessions/{session.id}"
        ours = median_seconds(300, lambda: client.get_session(session.id))
        base = median_seconds(300, lambda: http.get(url, headers=headers).json())
        print(f"get_session: photospicker {ours * 1e6:.0f} µs, requests+json {base * 1e6:.0f} µs, ratio {ours / base:.2f}")

        async_client = photospicker.AsyncClient(token=token, endpoint=emulator.picker_url)

        async def concurrent(n: int) -> float:
            started = time.perf_counter()
            await asyncio.gather(*(async_client.get_session(session.id) for _ in range(n)))
            return time.perf_counter() - started

        asyncio.run(concurrent(50))
        gathered = asyncio.run(concurrent(500))
        sequential = median_seconds(1, lambda: [client.get_session(session.id) for _ in range(500)])
        print(f"500 get_session: AsyncClient gather {gathered * 1e3:.0f} ms, sequential Client {sequential * 1e3:.0f} ms, speed-up {sequential / gathered:.1f}x")


if __name__ == "__main__":
    main()
