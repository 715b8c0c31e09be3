#!/usr/bin/env bash
# P9: a cold build as a user gets it: `pip install .` in a fresh venv with an empty
# cargo target directory; prints the wall time and the wheel's size as one JSON line.
# Takes several minutes and about 1.5 GB of disk (removed afterwards).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
export CARGO_TARGET_DIR="$scratch/target" CARGO_INCREMENTAL=0
started=$(date +%s.%N)
"$scratch/venv/bin/pip" wheel -q --no-deps -w "$scratch/wheels" "$repo" >&2
"$scratch/venv/bin/pip" install -q --no-deps "$scratch"/wheels/photospicker-*.whl >&2
ended=$(date +%s.%N)
size=$(stat -c %s "$scratch"/wheels/photospicker-*.whl)
echo "{\"seconds\": $(echo "$ended - $started" | bc), \"wheel_bytes\": $size}"
