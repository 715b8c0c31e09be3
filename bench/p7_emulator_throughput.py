"""P7: the emulator's own throughput on `sessions.get` with keep-alive, measured by wrk."""

from __future__ import annotations

import re
import shutil
import subprocess

from harness import EmulatorProcess, Row

TARGET_RPS = 20_000
CONNECTIONS = 64


def measure(emulator: EmulatorProcess, seconds: int) -> list[Row]:
    if shutil.which("wrk") is None:
        return [Row("P7", "emulator `sessions.get` throughput", "not measured: wrk is not installed", "—", "—", "≥ 20k req/s", None)]
    user = emulator.add_user(librarySize=10)
    session_id = emulator.http.post(f"{emulator.picker_url}/v1/sessions", json={}, headers={"Authorization": f"Bearer {user['token']}"}, timeout=30).json()["id"]
    url = f"{emulator.picker_url}/v1/sessions/{session_id}"
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", f"Authorization: Bearer {user['token']}", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    return [Row(
        "P7", f"emulator `sessions.get`, keep-alive, wrk -t2 -c{CONNECTIONS} {seconds} s",
        f"{rps:,.0f} req/s (mean latency {latency.group(1) if latency else '?'}; non-2xx {errors.group(1) if errors else 0})",
        "—", f"{rps / TARGET_RPS:.2f}× target", "≥ 20k req/s on 2 cores", rps >= TARGET_RPS and not errors,
        "wrk shares the 2 cores with the emulator",
    )]
