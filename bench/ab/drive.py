import json, statistics, subprocess, sys
import photospicker
from photospicker.testing import Emulator
with Emulator(max_sessions_per_user=100) as emulator:
    token = emulator.add_user(library_size=2000, video_ratio=0.2)
    client = photospicker.Client(token=token, endpoint=emulator.picker_url, library_endpoint=emulator.library_url)
    session = client.create_session(max_item_count=2000)
    emulator.pick(session.id, count=2000)
    results = {"before (e0ff3e2)": [], "after": []}
    for _ in range(6):
        for name, python in (("before (e0ff3e2)", "/tmp/oldvenv/bin/python"), ("after", "/work/main/.venv/bin/python")):
            out = subprocess.run([python, "/tmp/ab/measure.py", emulator.picker_url, emulator.library_url, token, session.id], capture_output=True, text=True, timeout=300)
            assert out.returncode == 0, out.stderr
            results[name].append(json.loads(out.stdout))
    for name, rows in results.items():
        gets = [r["get"] * 1e6 for r in rows]; lists = [r["list"] * 1e3 for r in rows]
        print(f"| {name} | {statistics.median(gets):.0f} µs ({min(gets):.0f}–{max(gets):.0f}) | {statistics.median(lists):.1f} ms ({min(lists):.1f}–{max(lists):.1f}) |")
