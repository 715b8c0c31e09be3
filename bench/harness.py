"""What every benchmark shares: an emulator in its own process driven through
its control API, interleaved rounds, medians and spread, and the machine.

Benchmarks measure; they never assert a timing (the test suite does not run them).
"""

from __future__ import annotations

import json
import os
import platform
import select
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import requests

HERE = Path(__file__).resolve().parent
STARTUP_DEADLINE_S = 30.0
CONTROL_TIMEOUT_S = 30.0


class EmulatorProcess:
    """The emulator of the installed (release) wheel, on loopback, in a child process."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.process: Optional[subprocess.Popen[str]] = None
        self.http = requests.Session()

    def __enter__(self) -> "EmulatorProcess":
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "emulator_host.py"), json.dumps(self.options)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], STARTUP_DEADLINE_S)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.__exit__(None, None, None)
            raise RuntimeError(f"the emulator did not start within {STARTUP_DEADLINE_S:.0f} s")
        urls = json.loads(line)
        self.picker_url: str = urls["picker_url"]
        self.library_url: str = urls["library_url"]
        self.control_url = f"{self.picker_url}/emulator/v1"
        return self

    def __exit__(self, *_: object) -> None:
        if self.process is None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def control(self, method: str, path: str, body: Optional[dict[str, Any]] = None) -> Any:
        response = self.http.request(method, f"{self.control_url}{path}", json=body, timeout=CONTROL_TIMEOUT_S)
        response.raise_for_status()
        return response.json() if response.content else None

    def add_user(self, **options: Any) -> dict[str, Any]:
        """`librarySize`, `videoRatio`, `maxSessions`, `seed` ... -> {userId, token}."""
        return self.control("POST", "/users", options)

    def items(self, user_id: str) -> list[dict[str, Any]]:
        return self.control("GET", f"/users/{user_id}/items")["items"]

    def pick(self, session_id: str, **request: Any) -> None:
        """`count`, `itemIds`, `afterSeconds` or `afterPolls`, as the control API takes them."""
        self.control("POST", f"/sessions/{session_id}/pick", request)

    def configure(self, session_id: str, **request: Any) -> None:
        self.control("POST", f"/sessions/{session_id}/configure", request)

    def logged_requests(self, route: Optional[str] = None) -> list[dict[str, Any]]:
        return self.control("GET", "/requests" + (f"?route={route}" if route else ""))["requests"]

    def clear_requests(self) -> None:
        self.control("DELETE", "/requests")


@dataclass
class Figure:
    """Samples of one contender: the median and the spread (min-max) of the samples."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def spread(self, scale: float = 1.0, digits: int = 0) -> str:
        return f"{min(self.samples) * scale:.{digits}f}–{max(self.samples) * scale:.{digits}f}"


def interleaved(rounds: int, contenders: dict[str, Callable[[], float]]) -> dict[str, Figure]:
    """Runs every contender once per round, in an order rotated each round so
    that no one always runs first or after the same neighbour on a busy machine.
    Each contender returns its own sample (seconds, or any figure)."""
    names = list(contenders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            samples[name].append(contenders[name]())
    return {name: Figure(values) for name, values in samples.items()}


def median_call_seconds(calls: int, call: Callable[[], object]) -> float:
    """The median duration of `calls` sequential calls (after one warm-up call)."""
    call()
    durations = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def machine() -> str:
    """One line about the machine: CPU model and count, memory, kernel, Python, rustc, load."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    try:
        rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        rustc = "rustc unknown"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu} × {os.cpu_count()} cores{memory}; Linux {platform.release()}; "
            f"Python {platform.python_version()}; {rustc}; load average at start {load}")


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=10, cwd=HERE).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10, cwd=HERE).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


@dataclass
class Row:
    """One line of the results table."""

    id: str
    what: str
    measured: str
    baselines: str
    ratio: str
    target: str
    met: Optional[bool]  # None: nothing to meet (a report)
    note: str = ""

    def markdown(self) -> str:
        verdict = {True: "met", False: "**missed**", None: "—"}[self.met]
        return f"| {self.id} | {self.what} | {self.measured} | {self.baselines} | {self.ratio} | {self.target} | {verdict} |"


def ratio_figure(numerators: list[float], denominators: list[float]) -> Figure:
    """Per-round ratios (the rounds are interleaved, so each pair shares its moment's load)."""
    return Figure([a / b for a, b in zip(numerators, denominators)])


def peak_rss_and_cpu(command: list[str], timeout: float, **popen: Any) -> tuple[str, float, int, float]:
    """Runs a command; returns its stdout, wall seconds, peak RSS (bytes) and CPU seconds
    (user + system). The peak RSS is GNU time's figure for the command alone (a child's
    own wait4 figure would count the copy of this big interpreter it was forked from,
    before its exec); the CPU time is wait4's, to the microsecond (GNU time rounds to 10 ms)."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.NamedTemporaryFile("r") as usage:
        started = time.perf_counter()
        process = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", usage.name, *command], stdout=out, text=True, **popen)
        deadline = started + timeout
        while True:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise TimeoutError(f"{command[0]} ran past {timeout:.0f} s")
            time.sleep(0.002)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
        figures = usage.read().split()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} ... exited with {process.returncode}: {text[-2000:]}")
    return text, wall, int(figures[-3]) * 1024, rusage.ru_utime + rusage.ru_stime
