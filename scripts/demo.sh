#!/usr/bin/env bash
# The project's main job. Until the client and the emulator land it builds
# everything, installs the Python package, and prints the generated API surface.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages
ensure_venv
step "build the Rust workspace"
cargo build --workspace --exclude photospicker-py --locked
step "build and install the Python wheel"
install_wheel
for spec in openapi/*.yaml; do
    step "generated API of $spec"
    cargo run -q --locked -p photospicker-codegen -- "$spec" --surface
done
step "import photospicker"
.venv/bin/python -c 'import photospicker; print("photospicker", photospicker.__version__, "imported from", photospicker.__file__)'
