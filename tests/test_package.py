"""The installed wheel: `import photospicker` works and ships its typing."""

from __future__ import annotations

import importlib.machinery
from pathlib import Path

import photospicker
from photospicker import _native


def test_import_from_the_built_wheel() -> None:
    assert photospicker.__version__ == _native.__version__
    assert "site-packages" in photospicker.__file__, "tests must run against the installed wheel, not the source tree"


def test_native_module_is_compiled() -> None:
    assert any(_native.__file__.endswith(suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES)


def test_typing_markers_are_installed() -> None:
    package = Path(photospicker.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_native.pyi").exists()
