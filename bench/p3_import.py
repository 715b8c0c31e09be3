"""P3: the cost of `import photospicker` in a fresh interpreter, next to other imports."""

from __future__ import annotations

import subprocess
import sys
import time

from harness import Figure, Row, interleaved

TARGET_EXTRA_S = 0.030
STATEMENTS = {
    "pass": "pass",
    "photospicker": "import photospicker",
    "requests": "import requests",
    "googleapiclient": "import googleapiclient.discovery",
}


def fresh_interpreter_seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    return time.perf_counter() - started


def measure(rounds: int) -> list[Row]:
    figures = interleaved(rounds, {name: (lambda code=code: fresh_interpreter_seconds(code)) for name, code in STATEMENTS.items()})
    passing = figures["pass"].samples
    extra = {name: Figure([a - b for a, b in zip(figure.samples, passing)]) for name, figure in figures.items() if name != "pass"}
    ours = extra["photospicker"]
    return [Row(
        "P3", "`python -c \"import photospicker\"` (fresh interpreter)",
        f"+{ours.median * 1e3:.0f} ms over `pass` (spread {ours.spread(1e3)} ms)",
        f"`import requests` +{extra['requests'].median * 1e3:.0f} ms; `import googleapiclient.discovery` +{extra['googleapiclient'].median * 1e3:.0f} ms; "
        f"`pass` {figures['pass'].median * 1e3:.0f} ms",
        f"{figures['photospicker'].median / figures['requests'].median:.2f}× `import requests` (whole interpreter)",
        "≤ 30 ms over `pass`", ours.median <= TARGET_EXTRA_S,
        f"{rounds} fresh interpreters per statement, interleaved",
    )]
