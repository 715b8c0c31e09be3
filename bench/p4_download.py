"""P4: downloading many large items to disk, concurrency 8: the Rust client and
the Python client against raw reqwest streaming + fsync and `curl --parallel`
(+ a syncfs, so that every contender's bytes reach the disk). Every contender
runs in its own process, so peak RSS is the kernel's figure for it alone."""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

import rust_bench
from harness import HERE, EmulatorProcess, Row, interleaved, peak_rss_and_cpu, ratio_figure

CONCURRENCY = 8
TARGET_THROUGHPUT = 0.95
TARGET_RSS = 64 * 1024 * 1024
TIMEOUT_S = 600


def ready_video_ids(emulator: EmulatorProcess, user_id: str, count: int) -> list[str]:
    ready = [i["id"] for i in emulator.items(user_id) if i["type"] == "VIDEO" and i["processingStatus"] == "READY"]
    if len(ready) < count:
        raise RuntimeError(f"the library has {len(ready)} ready videos, {count} are needed")
    return ready[:count]


def measure(emulator: EmulatorProcess, rounds: int, items: int, item_bytes: int, scratch: Path) -> list[Row]:
    import photospicker

    # Every fifth video is "processing" and every seventh failed: 2× the count covers it.
    user = emulator.add_user(librarySize=items * 2 + 20, videoRatio=1.0)
    token = user["token"]
    ids = ready_video_ids(emulator, user["userId"], items)
    client = photospicker.Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url)

    def picked(n: int) -> str:
        session_id = client.create_session().id
        emulator.pick(session_id, itemIds=ids[:n])
        return session_id

    full, half = picked(items), picked(items // 2)
    url_file = scratch / "urls.txt"
    url_file.write_text("".join(f"{item.media_file.base_url}=dv\n" for item in client.list_media_items(full)))
    curl_config = scratch / "curl.cfg"

    rss: dict[str, list[int]] = {}

    def contender(name: str, command: Callable[[Path], list[str]], internal_time: bool) -> Callable[[], float]:
        def run() -> float:
            # The previous contender's deleted files are still being freed on
            # disk: settle that first, so that nobody pays for another's I/O.
            os.sync()
            target = Path(tempfile.mkdtemp(dir=scratch, prefix=name))
            try:
                out, wall, peak, _ = peak_rss_and_cpu(command(target), TIMEOUT_S)
                rss.setdefault(name, []).append(peak)
                total = sum(f.stat().st_size for f in target.iterdir())
                if total < items * item_bytes:
                    raise RuntimeError(f"{name} wrote {total} bytes, expected {items * item_bytes}")
                seconds = json.loads(out.strip().splitlines()[-1])["seconds"] if internal_time else wall
                return total / seconds
            finally:
                shutil.rmtree(target, ignore_errors=True)
        return run

    def curl_command(target: Path) -> list[str]:
        lines = [f'url = "{url.strip()}"\noutput = "{target}/{n}.mp4"\n' for n, url in enumerate(url_file.read_text().splitlines())]
        curl_config.write_text("".join(lines))
        # sh: curl, then syncfs of the target's file system (curl itself never fsyncs).
        return ["sh", "-c", f'curl -sSf --parallel --parallel-max {CONCURRENCY} -H "Authorization: Bearer $0" -K "$1" && sync -f "$2"',
                token, str(curl_config), str(target)]

    def rust_client(target: Path, session: str = full) -> list[str]:
        return [rust_bench.executable(), "p4-client", emulator.picker_url, emulator.library_url, token, session, str(target), str(CONCURRENCY)]

    def python_client(target: Path, session: str = full) -> list[str]:
        return [sys.executable, str(HERE / "p4_python_download.py"), emulator.picker_url, emulator.library_url, token, session, str(target), str(CONCURRENCY)]

    # The emulator renders each video on its first request (then serves it from
    # its cache): one unmeasured download first, so that no contender pays for it.
    contender("warm-up", lambda target: [rust_bench.executable(), "p4-raw", token, str(url_file), str(target), str(CONCURRENCY)], True)()
    figures = interleaved(rounds, {
        "rust": contender("rust", rust_client, True),
        "python": contender("python", python_client, True),
        "raw": contender("raw", lambda target: [rust_bench.executable(), "p4-raw", token, str(url_file), str(target), str(CONCURRENCY)], True),
        "curl": contender("curl", curl_command, False),
    })
    # Flat in total size: the same clients on half the items.
    half_rss = {}
    for name, command in (("rust", rust_client), ("python", python_client)):
        target = Path(tempfile.mkdtemp(dir=scratch, prefix=f"{name}-half"))
        try:
            _, _, half_rss[name], _ = peak_rss_and_cpu(command(target, half), TIMEOUT_S)
        finally:
            shutil.rmtree(target, ignore_errors=True)

    mib = lambda f: f"{f.median / 2**20:.0f} MiB/s"  # noqa: E731
    peak = {name: max(values) for name, values in rss.items()}
    gib = items * item_bytes / 2**30
    rows = []
    for name, label in (("rust", "Rust `download_all`"), ("python", "Python `Client.download_all`")):
        versus_raw = ratio_figure(figures[name].samples, figures["raw"].samples)
        versus_curl = ratio_figure(figures[name].samples, figures["curl"].samples)
        met = versus_raw.median >= TARGET_THROUGHPUT and peak[name] <= TARGET_RSS
        rows.append(Row(
            "P4", f"{label}: {items} items, {gib:.2f} GiB, concurrency {CONCURRENCY}, to disk",
            f"{mib(figures[name])}; peak RSS {peak[name] / 2**20:.0f} MiB ({half_rss[name] / 2**20:.0f} MiB for half the items)",
            f"raw reqwest + fsync {mib(figures['raw'])} (peak RSS {peak['raw'] / 2**20:.0f} MiB); curl --parallel + syncfs {mib(figures['curl'])}",
            f"{versus_raw.median:.2f}× raw ({versus_raw.spread(digits=2)}); {versus_curl.median:.2f}× curl",
            f"≥ {TARGET_THROUGHPUT}× throughput; RSS ≤ 64 MiB, flat", met,
            f"{rounds} interleaved rounds, each contender a fresh process; throughput = bytes / time of the downloads",
        ))
    return rows


def needed_item_bytes(items: int) -> int:
    """Each item's size so that the items total at least 1 GiB."""
    return math.ceil(2**30 / items / 2**20) * 2**20
