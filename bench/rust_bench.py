"""Builds (release, via `cargo bench --no-run`) and runs the Rust side:
`crates/photospicker/benches/versus_reqwest.rs`."""

from __future__ import annotations

import json
import os
import subprocess
from functools import lru_cache
from typing import Any

from harness import HERE, peak_rss_and_cpu

BUILD_TIMEOUT_S = 1800


@lru_cache(maxsize=None)
def executable() -> str:
    env = dict(os.environ, CARGO_INCREMENTAL="0")
    built = subprocess.run(
        ["cargo", "bench", "--locked", "-p", "photospicker", "--bench", "versus_reqwest", "--no-run", "--message-format=json"],
        cwd=HERE.parent, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
    )
    if built.returncode != 0:
        raise RuntimeError(f"cargo bench --no-run failed:\n{built.stderr[-4000:]}")
    for line in built.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("target", {}).get("name") == "versus_reqwest" and message.get("executable"):
            return str(message["executable"])
    raise RuntimeError("cargo did not report the versus_reqwest executable")


def run(*args: object, timeout: float = 600) -> dict[str, Any]:
    out = subprocess.run([executable(), *map(str, args)], capture_output=True, text=True, timeout=timeout, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_measured(*args: object, timeout: float = 600) -> tuple[dict[str, Any], float, int, float]:
    """Like `run`, with the child's wall time, peak RSS and CPU seconds."""
    out, wall, rss, cpu = peak_rss_and_cpu([executable(), *map(str, args)], timeout)
    return json.loads(out.strip().splitlines()[-1]), wall, rss, cpu
