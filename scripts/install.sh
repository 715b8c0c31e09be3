#!/usr/bin/env bash
# Installs both Python packages from this checkout into the Python you run it
# with (default: python3 — activate a virtualenv first):
#   photospicker           the client (and the `photospicker` command)
#   photospicker-emulator  the emulator program that photospicker.testing and
#                          the pytest fixtures run
# It is `pip install . ./python/emulator` with cargo's progress shown; pip
# fetches maturin to build (release builds), which needs cargo (https://rustup.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)" >&2; exit 1; }
export CARGO_INCREMENTAL=0
"${PYTHON:-python3}" -m pip install --disable-pip-version-check -v "$@" . ./python/emulator
