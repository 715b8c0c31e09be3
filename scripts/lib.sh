# Shared steps of scripts/demo.sh, scripts/test.sh and scripts/install.sh (sourced, not run).

step() { printf '\n==> %s\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the named Debian packages that are not installed yet.
apt_install_missing() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    step "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_system_packages() {
    command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)" >&2; exit 1; }
    # A Debian system Python needs python3-venv to make a virtualenv.
    python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install_missing python3-venv
}

ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        step "create .venv"
        python3 -m venv .venv
    fi
    step "pip install -r requirements-dev.txt"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
}

# Incremental compilation only slows (and bloats) a build that is done once.
export CARGO_INCREMENTAL=0

# Builds the two Python distributions as release builds into target/wheels —
# the client `photospicker` and the test emulator `photospicker-emulator` (the
# program; the client's `photospicker.testing` runs it) — and installs both into
# .venv. Both builds share target/release, so the second reuses the first's
# compiled dependencies; on a fresh machine the pair takes a few minutes.
install_wheels() {
    rm -rf target/wheels
    step "build the client wheel (release; cargo prints each crate it compiles)"
    .venv/bin/maturin build --release --locked --out target/wheels
    step "build the emulator wheel (release; reuses the dependencies compiled above)"
    (cd python/emulator && ../../.venv/bin/maturin build --release --locked --out ../../target/wheels)
    step "install both wheels into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
        target/wheels/photospicker-*.whl target/wheels/photospicker_emulator-*.whl
}

# Wheels of pytest and its dependencies, so that a test can make a fresh venv
# that installs the built wheels and pytest without reaching a package index.
ensure_test_wheelhouse() {
    step "pip wheel pytest (for the fresh-venv test of the emulator distribution)"
    .venv/bin/python -m pip wheel -q --disable-pip-version-check -w target/test-wheelhouse pytest
}
