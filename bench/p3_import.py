"""P3: the cost of `import photospicker` in a fresh interpreter, next to other imports.

Judged on CPU time (user + system of the child, from wait4): on a shared machine
the wall time of a short process mostly measures the queue for a core. Wall time
is reported beside it."""

from __future__ import annotations

import sys

from harness import Figure, Row, interleaved, peak_rss_and_cpu

TARGET_EXTRA_S = 0.030
STATEMENTS = {
    "pass": "pass",
    "photospicker": "import photospicker",
    "requests": "import requests",
    "googleapiclient": "import googleapiclient.discovery",
}


def measure(rounds: int) -> list[Row]:
    cpu: dict[str, list[float]] = {name: [] for name in STATEMENTS}

    def fresh(name: str) -> float:
        _, wall, _, cpu_seconds = peak_rss_and_cpu([sys.executable, "-c", STATEMENTS[name]], 60)
        cpu[name].append(cpu_seconds)
        return wall

    walls = interleaved(rounds, {name: (lambda name=name: fresh(name)) for name in STATEMENTS})
    over_pass = lambda samples: Figure([a - b for a, b in zip(samples, cpu["pass"])])  # noqa: E731
    extra = {name: over_pass(cpu[name]) for name in STATEMENTS if name != "pass"}
    wall_extra = Figure([a - b for a, b in zip(walls["photospicker"].samples, walls["pass"].samples)])
    ours = extra["photospicker"]
    ms = lambda f: f"+{f.median * 1e3:.0f} ms"  # noqa: E731
    return [Row(
        "P3", "`python -c \"import photospicker\"` (fresh interpreter)",
        f"{ms(ours)} CPU over `pass` (spread {ours.spread(1e3)} ms); wall {ms(wall_extra)}",
        f"`import requests` {ms(extra['requests'])}; `import googleapiclient.discovery` {ms(extra['googleapiclient'])}; "
        f"`pass` {Figure(cpu['pass']).median * 1e3:.0f} ms CPU, {walls['pass'].median * 1e3:.0f} ms wall",
        f"{ours.median / extra['requests'].median:.2f}× `import requests`",
        "≤ 30 ms over `pass`", ours.median <= TARGET_EXTRA_S,
        f"{rounds} fresh interpreters per statement, interleaved; CPU time (user + system, wait4) judged, wall time shown",
    )]
