#!/usr/bin/env bash
# The benchmark suite in one command: builds and installs the RELEASE wheel (the
# build `pip install .` gives users) and the Rust bench, installs the baselines
# (requests, httpx, google-api-python-client, curl, wrk), starts the emulator on
# loopback and writes bench/RESULTS.md. See bench/run.py for the knobs:
#   BENCH_QUICK=1 scripts/bench.sh        # reduced sizes, a minute or two
#   BENCH_COLD_BUILD=1 scripts/bench.sh   # also P9, the cold `pip install .` (minutes)
#   BENCH_SKIP_BUILD=1 scripts/bench.sh   # reuse the wheel installed in .venv
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export CARGO_INCREMENTAL=0

ensure_system_packages
apt_install_missing curl wrk bc time
ensure_venv
step "pip install -r bench/requirements.txt"
.venv/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements.txt
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    step "maturin build --release (the wheel users install)"
    rm -rf target/bench-wheels
    .venv/bin/maturin build --release --quiet --out target/bench-wheels
    .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/bench-wheels/photospicker-*.whl
fi
step "bench/run.py"
.venv/bin/python bench/run.py
