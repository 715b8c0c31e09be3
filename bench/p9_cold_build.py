"""P9: the cold `pip install .` (only when asked: BENCH_COLD_BUILD=1; it takes minutes)."""

from __future__ import annotations

import json
import subprocess

from harness import HERE, Row

TIMEOUT_S = 3600


def measure(run: bool) -> list[Row]:
    command = "BENCH_COLD_BUILD=1 scripts/bench.sh (or bench/p9_cold_build.sh alone)"
    if not run:
        return [Row("P9", "cold build: `pip install .`, fresh venv, empty cargo target; wheel size", f"not run this time: `{command}`",
                    "—", "—", "report", None)]
    out = subprocess.run([str(HERE / "p9_cold_build.sh")], capture_output=True, text=True, timeout=TIMEOUT_S, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return [Row("P9", "cold build: `pip install .`, fresh venv, empty cargo target; wheel size",
                f"{figures['seconds'] / 60:.1f} min; wheel {figures['wheel_bytes'] / 2**20:.1f} MiB", "—", "—", "report", None,
                "release profile as pip builds it, on the shared 2 cores")]
