"""Commands on a machine that cannot draw: no Graphviz ``dot``, and with or without pygraphviz.

Without ``dot`` and without the [render] extra, every command still writes each file it can
and lists the pictures it skipped, with what to install. ``demo`` exits 0 (its pictures go
with a story that was told); ``step`` and ``newton`` exit 1, as a file named on their command
line is missing. With the extra, the pictures are drawn by pygraphviz.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, chainrule

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
INSTALL_EXTRA = 'pip install "chainrule[render]"'


def no_dot(tmp_path: Path, *, extra: bool) -> dict[str, str]:
    """The environment of a machine without ``dot`` on PATH, and ``extra`` or not."""
    path = tmp_path / "bin-without-dot"
    path.mkdir(exist_ok=True)
    env = {"PATH": str(path)}
    if not extra:  # a pygraphviz that fails to import, first on the path: as if not installed
        hidden = tmp_path / "without-pygraphviz" / "pygraphviz"
        hidden.mkdir(parents=True, exist_ok=True)
        (hidden / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
        env["PYTHONPATH"] = f"{hidden.parent}:{ROOT}"
    return env


def test_step_without_any_renderer_writes_nothing_half_and_says_what_to_install(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    svg, png = out / "f.svg", out / "f.png"
    result = chainrule(
        "step", "x*y", "--set", "x=2", "--set", "y=3", "--svg", str(svg), "--png", str(png),
        **no_dot(tmp_path, extra=False),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "∂f/∂x = 3.0" in result.stdout  # the walk-through was printed all the same
    listed = result.stdout.split("Not written, as nothing on this machine can draw them:")[1]
    assert f"  {svg}, {png}: " in listed and INSTALL_EXTRA in listed
    assert "Then run again" in listed
    assert not out.exists() or not list(out.iterdir())  # no picture, source or temporary


def test_step_without_dot_draws_with_the_extra(tmp_path: Path) -> None:
    svg, png = tmp_path / "f.svg", tmp_path / "f.png"
    result = chainrule(
        "step", "x*y", "--set", "x=2", "--set", "y=3", "--svg", str(svg), "--png", str(png),
        **no_dot(tmp_path, extra=True),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"wrote {svg}" in result.stdout and f"wrote {png}" in result.stdout
    assert "Not written" not in result.stdout
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    ids = {g.get("id") for g in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g")}
    assert {"v0", "v1", "op2", "v2"} <= ids


@pytest.mark.slow
def test_demo_without_any_renderer_writes_every_other_file_and_lists_the_pictures(
    tmp_path: Path,
) -> None:
    out = tmp_path / "demo"
    result = chainrule("demo", "--out", str(out), **no_dot(tmp_path, extra=False))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Largest relative difference: 0" in text  # the story was told
    written = {path.name for path in out.iterdir()}
    assert {"playground.html", "model.json", "decision_boundary.png"} <= written
    assert {"training_curves.png"} <= written
    listed = text.split("Not written, as nothing on this machine can draw them:")[1]
    for picture in ("neuron_graph.svg", "network.svg"):
        assert picture not in written and str(out / picture) in listed
    assert INSTALL_EXTRA in listed
    # no temporary file or saved DOT source is left behind by the pictures skipped
    assert not [name for name in written if name.startswith(".") or name.endswith(".dot")]
    # the step-through page needs no renderer: it lays itself out in the browser
    page = "neuron_step_through.html"
    assert page in written and str(out / page) not in listed
    assert 'id="chainrule-dot"' in (out / page).read_text(encoding="utf-8")


def test_newton_without_any_renderer_prints_its_steps_and_fails_for_the_picture(
    tmp_path: Path,
) -> None:
    svg = tmp_path / "d.svg"
    result = chainrule(
        "newton", "x**3 - 3*x", "--set", "x=2", "--svg", str(svg), **no_dot(tmp_path, extra=False)
    )
    assert result.returncode == 1, result.stderr
    assert "is a stationary point of f" in result.stdout  # the method ran and was reported
    assert f"  {svg}: " in result.stdout and INSTALL_EXTRA in result.stdout
    assert not svg.exists()


def test_an_exercise_check_without_any_renderer_names_no_diagram_and_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chainrule.engine import Value

    from chainrule.exercises import checks

    monkeypatch.setenv("PATH", no_dot(tmp_path, extra=False)["PATH"])
    monkeypatch.setitem(sys.modules, "pygraphviz", None)
    x = Value(2.0, "x")
    line = checks._diagram(tmp_path, "mul", x * 3, [], "caption: x·3", "the edge")
    assert line is not None and line.startswith("  diagram:  none, nothing here can draw it.")
    assert INSTALL_EXTRA in line
    assert not (tmp_path / "mul.svg").exists()
