#!/usr/bin/env bash
# Set-up shared by `make demo` and `make test`: a virtual environment with the
# project installed (editable, with the extras named in $EXTRAS), and a way to
# draw pictures: the system Graphviz (`dot`) when it is missing and can be
# installed, else chainrule's [render] extra (pygraphviz, Graphviz's libraries
# in a wheel) in the venv, which needs no root.
#
# Run it; or source it to call its functions (tests/test_bootstrap.py does).
set -euo pipefail

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-dev}

say() { printf 'chainrule set-up: %s\n' "$*"; }

# True when commands can run as root: we are root, or sudo works without a password.
can_be_root() {
    [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

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

# How this machine gets Graphviz's layout, as one word:
#   present  `dot` is on PATH already
#   apt      apt-get, as root or with passwordless sudo: Debian's graphviz package
#   brew     macOS with Homebrew (no root needed)
#   extra    none of these: pip installs chainrule[render] (pygraphviz) into the venv
graphviz_plan() {
    if command -v dot >/dev/null 2>&1; then
        echo present
    elif command -v apt-get >/dev/null 2>&1 && can_be_root; then
        echo apt
    elif [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null 2>&1; then
        echo brew
    else
        echo extra
    fi
}

# Install the [render] extra into the venv, saying why ($1).
install_render_extra() {
    if "$VENV/bin/python" -c "import pygraphviz" >/dev/null 2>&1; then
        say "$1; pictures are drawn by pygraphviz (chainrule[render]), already in $VENV"
        return 0
    fi
    say "$1; installing chainrule[render] (pygraphviz, no root needed) into $VENV instead"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS,render]" \
        || say "could not install chainrule[render]: SVG and PNG files are skipped (the pages work); see the README's set-up"
}

make_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV with $PYTHON"
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            say "the venv module is missing; installing python3-venv"
            apt_install python3-venv || { say "could not install python3-venv: install it and re-run"; exit 1; }
            "$PYTHON" -m venv "$VENV"
        fi
    fi
}

provide_graphviz() {
    case "$(graphviz_plan)" in
        present) ;;
        apt)
            say "Graphviz (dot) is missing; installing Debian's graphviz package"
            apt_install graphviz || install_render_extra "apt-get could not install graphviz"
            ;;
        brew)
            say "Graphviz (dot) is missing; installing it with Homebrew"
            brew install graphviz || install_render_extra "Homebrew could not install graphviz"
            ;;
        extra)
            install_render_extra "Graphviz (dot) is missing and cannot be installed here (no apt-get as root or with sudo, no Homebrew)"
            ;;
    esac
}

main() {
    make_venv
    say "installing chainrule[$EXTRAS] into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS]"
    provide_graphviz
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main
fi
