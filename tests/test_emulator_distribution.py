"""The two Python distributions as users get them: the client wheel carries no
emulator, both wheels are manylinux (auditwheel), and the emulator distribution
installed on its own in a fresh venv gives the pytest plugin a working emulator.

They test the manylinux wheels that scripts/test.sh built into target/wheels
(pip's own builds, e.g. by scripts/install.sh, leave linux_x86_64 ones there too)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / "target" / "wheels"
WHEELHOUSE = ROOT / "target" / "test-wheelhouse"


def built_wheel(pattern: str) -> Path:
    found = sorted(WHEELS.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {WHEELS} (scripts/test.sh builds it), found {found}"
    return found[0]


def test_the_client_wheel_carries_no_emulator() -> None:
    with zipfile.ZipFile(built_wheel("photospicker-*manylinux*.whl")) as wheel:
        names = wheel.namelist()
        native = [name for name in names if "/_native." in name and not name.endswith(".pyi")]
        assert len(native) == 1, names
        module = wheel.read(native[0])
    assert not any("emulator" in name for name in names), names
    # Panic locations and type names would name the emulator's crate and its web server
    # (the CLI inside may name the `photospicker-emulator` program it starts for `demo`).
    for marker in (b"photospicker_emulator", b"crates/photospicker-emulator", b"axum"):
        assert marker not in module, marker


def test_the_emulator_wheel_carries_the_program_and_its_locator() -> None:
    with zipfile.ZipFile(built_wheel("photospicker_emulator-*manylinux*.whl")) as wheel:
        names = wheel.namelist()
    assert any(name.endswith(".data/scripts/photospicker-emulator") for name in names), names
    assert "photospicker_emulator/__init__.py" in names


@pytest.mark.parametrize("pattern", ["photospicker-*manylinux*.whl", "photospicker_emulator-*manylinux*.whl"])
def test_the_wheels_are_manylinux_by_auditwheel(pattern: str) -> None:
    wheel = built_wheel(pattern)
    shown = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert 'consistent with the following platform tag: "manylinux_' in shown.stdout.replace("\n", " "), shown.stdout
    if pattern.startswith("photospicker-"):
        assert "-cp39-abi3-" in wheel.name, "one abi3 wheel serves every Python >= 3.9"


def test_the_emulator_distribution_alone_in_a_fresh_venv_runs_the_pytest_plugin(tmp_path: Path) -> None:
    assert WHEELHOUSE.is_dir(), "scripts/test.sh makes target/test-wheelhouse (pytest's wheels)"
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index", "--find-links", str(WHEELHOUSE)]
    subprocess.run([*install, str(built_wheel("photospicker-*manylinux*.whl")), str(built_wheel("photospicker_emulator-*manylinux*.whl")), "pytest"], check=True, timeout=300)
    (tmp_path / "app_tests").mkdir()
    (tmp_path / "app_tests" / "test_app.py").write_text(
        textwrap.dedent(
            """
            import sys
            from pathlib import Path

            import photospicker
            from photospicker.testing import emulator_binary


            def test_the_fixtures_drive_the_installed_program(photospicker_emulator, photospicker_client):
                assert Path(emulator_binary()).is_relative_to(Path(sys.prefix))
                session = photospicker_client.create_session()
                photospicker_emulator.pick(session.id, count=2)
                assert photospicker_client.get_session(session.id).media_items_set
                assert len(list(photospicker_client.list_media_items(session))) == 2
            """
        )
    )
    # A clean environment: nothing from this checkout's venv, no explicit binary path.
    env = {"PATH": f"{python.parent}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path)}
    ran = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "app_tests"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
