"""The Python layer's own costs, for issue 13's before/after comparison:
`import photospicker` (fresh interpreters, minus `python -c pass`), one
`Client.get_session`, and `list_media_items` of 2,000 picked items (sync client).

    .venv/bin/python bench/python_model.py [--rounds N] [--markdown FILE]

Public API only, so the same script measures the code before and after a rewrite.
"""

from __future__ import annotations

import argparse
import sys
import time

import photospicker

from harness import EmulatorProcess, Figure, commit, interleaved, machine, median_call_seconds, peak_rss_and_cpu

LISTED_ITEMS = 2000


def import_figures(rounds: int) -> tuple[dict[str, Figure], dict[str, Figure]]:
    """Wall time and CPU time (user + system, which a busy machine inflates less)
    of a fresh interpreter per statement, rounds interleaved."""
    cpu: dict[str, list[float]] = {}

    def fresh(code: str) -> float:
        _, wall, _, cpu_seconds = peak_rss_and_cpu([sys.executable, "-c", code], 60)
        cpu.setdefault(code, []).append(cpu_seconds)
        return wall

    walls = interleaved(rounds, {"pass": lambda: fresh("pass"), "import photospicker": lambda: fresh("import photospicker")})
    return walls, {"pass": Figure(cpu["pass"]), "import photospicker": Figure(cpu["import photospicker"])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20, help="fresh interpreters per statement, and rounds of the calls")
    parser.add_argument("--markdown", help="also write the figures to this file")
    args = parser.parse_args()

    imports, import_cpu = import_figures(args.rounds)
    extra = Figure([a - b for a, b in zip(imports["import photospicker"].samples, imports["pass"].samples)])
    extra_cpu = Figure([a - b for a, b in zip(import_cpu["import photospicker"].samples, import_cpu["pass"].samples)])

    with EmulatorProcess(max_sessions_per_user=100) as emulator:
        user = emulator.add_user(librarySize=LISTED_ITEMS, videoRatio=0.2)
        client = photospicker.Client(token=user["token"], endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
        session = client.create_session(max_item_count=LISTED_ITEMS)
        emulator.pick(session.id, count=LISTED_ITEMS)

        def one_get() -> float:
            return median_call_seconds(200, lambda: client.get_session(session.id))

        def list_all() -> float:
            started = time.perf_counter()
            listed = sum(1 for _ in client.list_media_items(session))
            elapsed = time.perf_counter() - started
            if listed != LISTED_ITEMS:
                raise RuntimeError(f"listed {listed} items, picked {LISTED_ITEMS}")
            return elapsed

        calls = interleaved(max(5, args.rounds // 2), {"get_session": one_get, "list_media_items": list_all})

    rows = [
        ("`import photospicker` minus `python -c pass`", f"{extra.median * 1e3:.0f} ms", extra.spread(1e3) + " ms",
         f"wall time: import {imports['import photospicker'].median * 1e3:.0f} ms, pass {imports['pass'].median * 1e3:.0f} ms; {args.rounds} fresh interpreters each"),
        ("the same in CPU time (user + system)", f"{extra_cpu.median * 1e3:.0f} ms", extra_cpu.spread(1e3) + " ms",
         f"import {import_cpu['import photospicker'].median * 1e3:.0f} ms, pass {import_cpu['pass'].median * 1e3:.0f} ms (from wait4)"),
        ("`Client.get_session` (one call, warm connection)", f"{calls['get_session'].median * 1e6:.0f} µs", calls["get_session"].spread(1e6) + " µs",
         f"median of 200 calls per round, {len(calls['get_session'].samples)} rounds"),
        (f"`list_media_items` of {LISTED_ITEMS:,} items (sync, all pages)", f"{calls['list_media_items'].median * 1e3:.1f} ms", calls["list_media_items"].spread(1e3, 1) + " ms",
         f"{len(calls['list_media_items'].samples)} rounds"),
    ]
    table = ["| what | median | spread (min–max of rounds) | how |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text = "\n".join([f"Commit {commit()}; photospicker {getattr(photospicker, '__version__', '?')} release wheel.",
                      f"Machine: {machine()}.", "", *table, ""])
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(text)


if __name__ == "__main__":
    main()
