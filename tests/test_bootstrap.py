"""scripts/bootstrap.sh: how the set-up gets Graphviz's layout, root or not.

The script is sourced in bash with a PATH of fake programs (``id``, ``sudo``, ``apt-get``,
``uname``, ``dot``, ``brew``, ``fc-list``), so each machine is described by what is on its
PATH, and its decisions, ``graphviz_plan`` and ``cjk_font_plan`` (a font with Chinese
characters, for diagrams in Chinese), are read without installing anything. Where the plan is
the [render] extra, ``provide_graphviz`` is run against a fake venv whose ``python``
records how it was called.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bootstrap.sh"
BASH = "/bin/bash"


def fake_machine(
    folder: Path,
    *,
    uid: int = 1000,
    sudo: str | None = None,
    apt: bool = False,
    system: str = "Linux",
    dot: bool = False,
    brew: bool = False,
    chinese_font: bool | None = None,
) -> Path:
    """A folder of fake programs, to be the whole PATH; ``sudo`` is "nopasswd" or "asks".

    ``apt-get`` appends its arguments to ``$APT_LOG`` when it is set. ``chinese_font`` None
    means no ``fc-list`` at all; else ``fc-list :lang=zh`` lists a font or nothing.
    """
    programs = {"id": f"echo {uid}", "uname": f"echo {system}"}
    # env, as every machine has it: NAME=value … then the command (apt_install uses it)
    programs["env"] = 'while [ "${1#*=}" != "$1" ]; do export "$1"; shift; done; exec "$@"'
    if sudo is not None:
        programs["sudo"] = "exit 0" if sudo == "nopasswd" else "exit 1"
    if apt:
        programs["apt-get"] = 'if [ -n "${APT_LOG:-}" ]; then echo "$*" >> "$APT_LOG"; fi'
    if chinese_font is not None:
        font = "/usr/share/fonts/NotoSansCJK.ttc: Noto Sans CJK SC" if chinese_font else ""
        programs["fc-list"] = f"echo -n '{font}'"
    if dot:
        programs["dot"] = "exit 0"
    if brew:
        programs["brew"] = "exit 0"
    folder.mkdir()
    for name, body in programs.items():
        program = folder / name
        program.write_text(f"#!{BASH}\n{body}\n")
        program.chmod(0o755)
    return folder


def run_sourced(call: str, path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``call`` in bash after sourcing the script, with only ``path`` on PATH."""
    return subprocess.run(
        [BASH, "-c", f"source {shlex.quote(str(SCRIPT))} && {call}"],
        capture_output=True,
        text=True,
        env={"PATH": str(path), **env},
        cwd=ROOT,
        check=False,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("machine", "plan"),
    [
        ({"dot": True, "apt": True, "uid": 0}, "present"),
        ({"dot": True}, "present"),
        ({"apt": True, "uid": 0}, "apt"),  # CI: root, with apt
        ({"apt": True, "sudo": "nopasswd"}, "apt"),
        ({"apt": True, "sudo": "asks"}, "extra"),  # sudo would ask for a password
        ({"apt": True}, "extra"),  # no sudo at all
        ({"uid": 0}, "extra"),  # root, but no apt-get (Fedora, Alpine, …)
        ({"system": "Darwin", "brew": True}, "brew"),
        ({"system": "Darwin"}, "extra"),
        ({"system": "MINGW64_NT-10.0"}, "extra"),  # Git Bash on Windows
    ],
)
def test_the_plan_follows_what_the_machine_allows(tmp_path: Path, machine: dict, plan: str):
    result = run_sourced("graphviz_plan", fake_machine(tmp_path / "bin", **machine))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{plan}\n"


def fake_venv(folder: Path, *, has_pygraphviz: bool) -> Path:
    """A venv whose python logs its arguments; ``import pygraphviz`` works or fails."""
    log = folder / "calls.log"
    python = folder / "bin" / "python"
    python.parent.mkdir(parents=True)
    probe = "exit 0" if has_pygraphviz else "exit 1"
    python.write_text(
        f'#!{BASH}\nif [ "$1" = -c ]; then {probe}; fi\necho "$*" >> {shlex.quote(str(log))}\n'
    )
    python.chmod(0o755)
    return log


def test_without_root_apt_or_dot_the_extra_goes_into_the_venv(tmp_path: Path):
    path = fake_machine(tmp_path / "bin", apt=True, sudo="asks")
    log = fake_venv(tmp_path / "venv", has_pygraphviz=False)
    result = run_sourced("provide_graphviz", path, VENV=str(tmp_path / "venv"), EXTRAS="plot")
    assert result.returncode == 0, result.stderr
    assert "cannot be installed here" in result.stdout
    assert "installing chainrule[render]" in result.stdout
    calls = log.read_text().splitlines()
    assert calls == ["-m pip install --quiet --disable-pip-version-check -e .[plot,render]"]


def test_an_extra_already_installed_is_not_installed_again(tmp_path: Path):
    path = fake_machine(tmp_path / "bin")
    log = fake_venv(tmp_path / "venv", has_pygraphviz=True)
    result = run_sourced("provide_graphviz", path, VENV=str(tmp_path / "venv"))
    assert result.returncode == 0, result.stderr
    assert "already in" in result.stdout
    assert not log.exists()


def test_with_dot_nothing_is_installed(tmp_path: Path):
    path = fake_machine(tmp_path / "bin", dot=True)
    log = fake_venv(tmp_path / "venv", has_pygraphviz=False)
    result = run_sourced("provide_graphviz", path, VENV=str(tmp_path / "venv"))
    assert result.returncode == 0 and result.stdout == ""
    assert not log.exists()


def test_sourcing_runs_nothing_but_running_the_script_sets_up(tmp_path: Path):
    """Sourced, the script only defines its functions: no venv is made, nothing installed."""
    path = fake_machine(tmp_path / "bin")
    result = run_sourced("true", path, VENV=str(tmp_path / "never"))
    assert result.returncode == 0 and result.stdout == ""
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize(
    ("machine", "plan"),
    [
        ({"chinese_font": True, "apt": True, "uid": 0}, "present"),
        ({"chinese_font": False, "apt": True, "uid": 0}, "apt"),  # CI, before fonts-noto-cjk
        ({"apt": True, "sudo": "nopasswd"}, "apt"),  # no fontconfig yet: fc-list is missing
        ({"chinese_font": False, "apt": True, "sudo": "asks"}, "none"),
        ({"chinese_font": False, "uid": 0}, "none"),  # root, but no apt-get
        ({"system": "Darwin"}, "system"),  # PingFang SC
        ({"system": "MINGW64_NT-10.0"}, "system"),  # Microsoft YaHei
        ({"system": "Darwin", "chinese_font": True}, "present"),
    ],
)
def test_the_chinese_font_plan_follows_what_the_machine_has(
    tmp_path: Path, machine: dict, plan: str
):
    result = run_sourced("cjk_font_plan", fake_machine(tmp_path / "bin", **machine))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{plan}\n"


def test_a_root_debian_without_a_chinese_font_gets_fonts_noto_cjk(tmp_path: Path):
    path = fake_machine(tmp_path / "bin", apt=True, uid=0, chinese_font=False)
    log = tmp_path / "apt.log"
    result = run_sourced("provide_cjk_font", path, APT_LOG=str(log))
    assert result.returncode == 0, result.stderr
    assert "installing Debian's fonts-noto-cjk" in result.stdout
    assert log.read_text().splitlines() == ["install -y -qq fonts-noto-cjk"]


def test_with_a_chinese_font_or_none_to_get_nothing_is_installed(tmp_path: Path):
    log = tmp_path / "apt.log"
    present = fake_machine(tmp_path / "has", apt=True, uid=0, chinese_font=True)
    result = run_sourced("provide_cjk_font", present, APT_LOG=str(log))
    assert result.returncode == 0 and result.stdout == ""
    cannot = fake_machine(tmp_path / "cannot", apt=True, sudo="asks", chinese_font=False)
    result = run_sourced("provide_cjk_font", cannot, APT_LOG=str(log))
    assert result.returncode == 0, result.stderr
    assert "install Noto Sans CJK SC (Debian/Ubuntu: fonts-noto-cjk)" in result.stdout
    assert not log.exists()


def test_the_set_up_provides_the_chinese_font_after_graphviz(tmp_path: Path):
    result = run_sourced("declare -f main", fake_machine(tmp_path / "bin"))
    body = result.stdout
    assert body.index("provide_graphviz") < body.index("provide_cjk_font")
