#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600) with cargo-fuzz on the
# stable toolchain (RUSTC_BOOTSTRAP=1 unlocks the sanitizer flags), growing
# fuzz/corpus/. A finding stops the run and leaves fuzz/artifacts/TARGET/.
# `cargo test -p photospicker-fuzz` replays the corpus in the normal suite.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in $(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^photospicker-fuzz$'); do
    echo "==> fuzz $target for ${seconds}s"
    RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz "$target" -- -max_total_time="$seconds" -print_final_stats=1 2>&1 | grep -E "^(stat::|Done|==|#[0-9]+ *DONE)|panicked|ERROR" || true
    if [ -d "fuzz/artifacts/$target" ] && [ -n "$(ls -A "fuzz/artifacts/$target")" ]; then
        echo "finding in $target: fuzz/artifacts/$target" >&2; exit 1
    fi
done
