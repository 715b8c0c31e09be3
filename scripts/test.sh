#!/usr/bin/env bash
# Runs every test: the Rust workspace (cargo test) and the Python suite (pytest)
# against freshly built wheels (release). Installs what it needs into ./.venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages
apt_install_missing chromium chromium-driver ffmpeg  # ffmpeg: ffprobe judges the emulator's videos
ensure_venv
ensure_test_wheelhouse

step "cargo test (Rust workspace)"
cargo test --workspace --exclude photospicker-py --locked

step "cargo test (the optional features: the yup-oauth2 adapter, the login flows)"
cargo test -p photospicker --features yup-oauth2,login --locked --test yup_oauth2 --test login --test login_hostile

install_wheels

step "pytest (Python package, spec)"
.venv/bin/python -m pytest tests "$@"
