#!/usr/bin/env bash
# Set-up shared by `make demo` and `make test`: a virtual environment with the
# project installed (editable, with the extras named in $EXTRAS), and a way to
# draw pictures: the system Graphviz (`dot`) when it is missing and can be
# installed, else chainrule's [render] extra (pygraphviz, Graphviz's libraries
# in a wheel) in the venv, which needs no root; and a font with Chinese
# characters (Debian's fonts-noto-cjk), so diagrams in Chinese are measured right.
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

# How this machine gets a font with Chinese characters, which Graphviz measures the labels
# of a diagram in Chinese (--lang zh) with, so that they fit their boxes, as one word:
#   present  fontconfig knows one already (fc-list :lang=zh lists it)
#   system   macOS (PingFang SC, Hiragino Sans GB) or Windows (Microsoft YaHei) ships one
#   apt      apt-get, as root or with passwordless sudo: Debian's fonts-noto-cjk
#   none     none of these: the set-up says which font to install
cjk_font_plan() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; then
        echo present
    else
        case "$(uname -s)" in
            Darwin | MINGW* | MSYS* | CYGWIN*) echo system ;;
            *)
                if command -v apt-get >/dev/null 2>&1 && can_be_root; then
                    echo apt
                else
                    echo none
                fi
                ;;
        esac
    fi
}

provide_cjk_font() {
    case "$(cjk_font_plan)" in
        present | system) ;;
        apt)
            say "no font has Chinese characters; installing Debian's fonts-noto-cjk (diagrams in Chinese)"
            apt_install fonts-noto-cjk \
                || say "could not install fonts-noto-cjk: Chinese labels may not fit their boxes until a CJK font is installed"
            ;;
        none)
            say "no font has Chinese characters and none can be installed here: for diagrams in Chinese (--lang zh), install Noto Sans CJK SC (Debian/Ubuntu: fonts-noto-cjk)"
            ;;
    esac
}

main() {
    make_venv
    say "installing chainrule[$EXTRAS] into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS]"
    provide_graphviz
    provide_cjk_font
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main
fi
