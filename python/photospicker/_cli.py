"""The ``photospicker`` console script: the same command as the Rust binary,
run by the native module (``photospicker --help``)."""

from __future__ import annotations

import signal
import sys
from typing import Optional

from photospicker._native import run_cli


def main(argv: Optional[list[str]] = None) -> int:
    """Runs ``photospicker`` with ``argv`` (default: the process's arguments) and returns its exit code."""
    args = ["photospicker", *(sys.argv[1:] if argv is None else argv)]
    # Ctrl-C belongs to the command, which deletes its session and removes
    # partial files before it exits with 130; Python's own handler would only
    # raise KeyboardInterrupt after the command has returned.
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        return run_cli(args)
    except KeyboardInterrupt:
        return 130


def console_script() -> None:
    sys.exit(main())


if __name__ == "__main__":
    console_script()
