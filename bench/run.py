"""The benchmark suite: rows P1–P9 of issue 11, as ratios against baselines
measured in the same run (interleaved rounds, medians, spread). Prints a
markdown table and writes bench/RESULTS.md. Run it through `scripts/bench.sh`,
which installs the release wheel and the baselines first.

Environment: BENCH_QUICK=1 for reduced sizes (a smoke run of a minute or two);
BENCH_COLD_BUILD=1 to also run P9 (minutes); BENCH_ONLY=P1,P4 for some rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import p1_p2_get_session
import p3_import
import p4_download
import p5_polling
import p6_many_sessions
import p7_emulator_throughput
import p8_async
import p9_cold_build
import rust_bench
from harness import HERE, EmulatorProcess, Row, commit, machine

QUICK = os.environ.get("BENCH_QUICK") == "1"
SIZES = {
    "rounds": 3 if QUICK else 11,
    "calls": 50 if QUICK else 500,
    "import_rounds": 6 if QUICK else 20,
    "download_items": 20 if QUICK else 200,
    "download_rounds": 1 if QUICK else 7,
    "sessions": 500 if QUICK else 10_000,
    "pick_window_s": 8 if QUICK else 30,
    "wrk_seconds": 3 if QUICK else 10,
    "concurrent_gets": 1000,
}


def main() -> None:
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").upper().split(",")))
    wanted = lambda row: not only or row in only  # noqa: E731
    started = time.perf_counter()
    header = f"Commit {commit()}; machine: {machine()}."
    print(header, flush=True)
    if wanted("P1") or wanted("P4"):
        print("building the Rust bench (release) ...", flush=True)
        rust_bench.executable()
    items = SIZES["download_items"]
    item_bytes = p4_download.needed_item_bytes(items) if not QUICK else 8 * 2**20
    rows: list[Row] = []
    steps = [
        ("P3", lambda e, s: p3_import.measure(SIZES["import_rounds"])),
        ("P1", lambda e, s: p1_p2_get_session.measure(e, SIZES["rounds"], SIZES["calls"])),
        ("P8", lambda e, s: p8_async.measure(e, SIZES["rounds"], SIZES["concurrent_gets"])),
        ("P5", lambda e, s: p5_polling.measure(e)),
        ("P4", lambda e, s: p4_download.measure(e, SIZES["download_rounds"], items, item_bytes, s)),
        ("P7", lambda e, s: p7_emulator_throughput.measure(e, SIZES["wrk_seconds"])),
        ("P6", lambda e, s: p6_many_sessions.measure(e, SIZES["sessions"], SIZES["pick_window_s"])),
    ]
    with EmulatorProcess(video_bytes=item_bytes, max_sessions_per_user=100, request_log_size=200_000) as emulator, \
            tempfile.TemporaryDirectory(prefix="photospicker-bench-") as scratch:
        for row_id, step in steps:
            if not wanted(row_id):
                continue
            print(f"{row_id} ...", flush=True)
            row_started = time.perf_counter()
            rows += step(emulator, Path(scratch))
            print(f"{row_id} took {time.perf_counter() - row_started:.0f} s", flush=True)
    if wanted("P9"):
        rows += p9_cold_build.measure(os.environ.get("BENCH_COLD_BUILD") == "1")
    rows.sort(key=lambda row: row.id)
    table = ["| id | what | measured | baselines (same run) | ratio (spread) | target | |", "|---|---|---|---|---|---|---|"]
    table += [row.markdown() for row in rows]
    notes = [f"- {row.id}: {row.note}" for row in rows if row.note]
    text = "\n".join([
        "# Benchmark results", "",
        f"Written by `scripts/bench.sh`{' (BENCH_QUICK=1: reduced sizes)' if QUICK else ''} in {time.perf_counter() - started:.0f} s. {header}",
        "Ratios are ours ÷ the baseline's time (P4: throughput, higher is better), per round, then the median; "
        "spread is the min–max over rounds. Nothing here is asserted by the tests.", "",
        *table, "", "How each row was measured:", "", *notes, "",
    ])
    print(text)
    if not only:
        (HERE / "RESULTS.md").write_text(text)
    else:
        print("(BENCH_ONLY set: bench/RESULTS.md left as it was)", file=sys.stderr)


if __name__ == "__main__":
    main()
