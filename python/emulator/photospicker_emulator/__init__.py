"""Finds the ``photospicker-emulator`` program this distribution installed.

    import photospicker_emulator
    photospicker_emulator.binary()  # -> Path to the program

``photospicker.testing.Emulator`` (in the ``photospicker`` client) runs it.
"""

from __future__ import annotations

import os
import sysconfig
from importlib import metadata
from pathlib import Path

__all__ = ["binary"]

_NAME = "photospicker-emulator" + (".exe" if os.name == "nt" else "")


def binary() -> Path:
    """The installed program, or FileNotFoundError."""
    # The wheel's RECORD says exactly where the installer put the program
    # (a venv's bin/, ~/.local/bin with --user, Scripts\\ on Windows).
    try:
        files = metadata.distribution("photospicker-emulator").files or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == _NAME:
            path = Path(str(file.locate())).resolve()
            if path.is_file():
                return path
    fallback = Path(sysconfig.get_path("scripts")) / _NAME
    if fallback.is_file():
        return fallback
    raise FileNotFoundError(f"{_NAME} is not installed next to this package; reinstall photospicker-emulator")
