"""The package as users meet it: typing (mypy --strict, stubtest), the pytest
plugin's registration, and ``python -m photospicker demo``."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_mypy_strict_passes_on_the_package_and_examples() -> None:
    result = run("-m", "mypy", "--strict", "python/examples", "python/photospicker")
    assert result.returncode == 0, result.stdout + result.stderr


def test_stubs_match_the_native_module() -> None:
    result = run("-m", "mypy.stubtest", "photospicker")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pytest_plugin_is_registered() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("photospicker") == "photospicker.pytest_plugin"


def test_the_demo_runs_the_whole_flow(tmp_path: Path) -> None:
    result = run("-m", "photospicker", "demo", str(tmp_path / "photos"), "--count", "4", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("1. created session", "3. waiting", "poll", "4. listed 4 items", "6. deleted session"):
        assert step in result.stdout, result.stdout
    assert len(list((tmp_path / "photos").iterdir())) >= 1
