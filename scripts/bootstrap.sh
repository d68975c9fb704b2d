#!/usr/bin/env bash
# Set-up shared by `make demo` and `make test`: a virtual environment with the
# project installed (editable, with the extras named in $EXTRAS), and the
# system Graphviz (`dot`) when it is missing and can be installed.
set -euo pipefail

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-dev}

say() { printf 'chainrule set-up: %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo "$@"
    else
        return 1
    fi
}

apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
        || { as_root apt-get update -qq >/dev/null 2>&1 \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $PYTHON"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        say "the venv module is missing; installing python3-venv"
        apt_install python3-venv || { say "could not install python3-venv: install it and re-run"; exit 1; }
        "$PYTHON" -m venv "$VENV"
    fi
fi

say "installing chainrule[$EXTRAS] into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS]"

if ! command -v dot >/dev/null 2>&1; then
    if [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null 2>&1; then
        say "Graphviz (dot) is missing; installing it with Homebrew"
        brew install graphviz
    elif command -v apt-get >/dev/null 2>&1; then
        say "Graphviz (dot) is missing; installing Debian's graphviz package"
        apt_install graphviz || say "could not install graphviz (needs root or sudo); diagrams fall back as the README explains"
    else
        say "Graphviz (dot) is missing; install it from https://graphviz.org/download/ to render diagrams"
    fi
fi
