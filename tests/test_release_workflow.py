"""The GitHub workflows are valid: actionlint (from scripts/lib.sh) checks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_actionlint_finds_nothing_wrong_in_the_workflows() -> None:
    # Installed into the venv that runs the tests (requirements-dev.txt), which need not be on PATH.
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert actionlint, "scripts/test.sh installs actionlint (requirements-dev.txt)"
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["release.yml"]
    checked = subprocess.run([actionlint, "-no-color", *map(str, workflows)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
