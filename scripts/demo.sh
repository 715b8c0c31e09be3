#!/usr/bin/env bash
# The project's main job: builds both Python packages once (release), installs
# them into .venv, and runs the whole Picker flow against the emulator with a
# simulated user. The first run on a fresh machine compiles for a few minutes
# (cargo prints each crate); later runs take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

started=$SECONDS
ensure_system_packages
ensure_venv
install_wheels
step "photospicker demo: the Picker flow against the emulator, with a simulated user"
# .venv/bin first: the wheel's `photospicker` starts the `photospicker-emulator` installed beside it.
PATH="$PWD/.venv/bin:$PATH" photospicker demo --out target/demo/photos
step "the same flow through the Python API (python -m photospicker demo)"
.venv/bin/python -m photospicker demo target/demo/python-photos
step "done in $((SECONDS - started)) s"
