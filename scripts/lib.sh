# Shared steps of scripts/demo.sh and scripts/test.sh (sourced, not run).

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

install_wheel() {
    rm -rf target/wheels
    .venv/bin/maturin build --quiet --out target/wheels
    .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/wheels/photospicker-*.whl
}
