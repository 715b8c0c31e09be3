#!/usr/bin/env bash
# The project's main job: builds everything, installs the Python package, and
# runs the whole Picker flow against the embedded emulator with a simulated user.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages
ensure_venv
step "build the Rust workspace"
cargo build --workspace --exclude photospicker-py --locked
step "build and install the Python wheel"
install_wheel
step "the Picker flow against the embedded emulator (Rust)"
cargo run -q --locked -p photospicker --example pick_with_emulator -- target/demo/picked-photos
step "the Picker flow against the embedded emulator (Python: python -m photospicker demo)"
.venv/bin/python -m photospicker demo target/demo/python-photos
