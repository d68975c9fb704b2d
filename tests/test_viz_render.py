"""render: SVG and PNG through system Graphviz, and what happens when `dot` is missing."""

from __future__ import annotations

import shutil
import struct
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.engine import Value
from chainrule.viz import (
    GraphvizNotFoundError,
    draw_graph,
    render,
    step_through_page,
    write_step_through,
)
from chainrule.viz.rendering import svg_texts

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.needs_dot  # tests/conftest.py: skipped without dot, failed under CI


def diagram(rankdir: str = "LR"):
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = (x * w).tanh()
    y.label = "y"
    y.backward()
    return draw_graph(y, rankdir=rankdir)


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PATH with no `dot` on it, as on a machine without Graphviz."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None


def svg_texts_of(path: Path) -> list[str]:
    return [element.text or "" for element in ET.parse(path).getroot().iter(f"{SVG}text")]


@needs_dot
def test_svg_is_well_formed_xml_showing_the_labels(tmp_path: Path) -> None:
    written = render(diagram(), tmp_path / "graph.svg")
    assert written == tmp_path / "graph.svg"
    assert ET.parse(written).getroot().tag == f"{SVG}svg"
    texts = svg_texts_of(written)
    assert {"x", "w", "y"} <= set(texts)
    assert any(text.startswith("grad") for text in texts)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header, after checking it is one."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_dot
def test_png_has_the_png_signature_and_the_shape_of_its_layout(tmp_path: Path) -> None:
    written = render(diagram(), tmp_path / "graph", format="png")
    assert written.suffix == ".png"
    width, height = png_size(written)
    # a chain x, w → × → tanh → y laid out left to right is wider than tall …
    assert width > height > 0
    # … and the same chain top to bottom is narrower and, for its width, taller
    tall_width, tall_height = png_size(render(diagram("TB"), tmp_path / "tall.png"))
    assert tall_width < width
    assert tall_height * width > height * tall_width


def test_format_comes_from_the_suffix_and_must_agree_with_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(diagram(), tmp_path / "graph", format="pdf")
    with pytest.raises(ValueError, match=r"ends in \.svg but the format is 'png'"):
        render(diagram(), tmp_path / "graph.svg", format="png")
    with pytest.raises(TypeError, match="render takes a diagram"):
        render("digraph {}", tmp_path / "graph.svg")


@pytest.mark.usefixtures("no_dot")
def test_without_dot_the_error_says_how_to_install_and_where_the_source_is(
    tmp_path: Path,
) -> None:
    with pytest.raises(GraphvizNotFoundError) as error:
        render(diagram(), tmp_path / "out" / "graph.png")
    message = str(error.value)
    assert "`dot` program is not on PATH" in message
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    dot_file = tmp_path / "out" / "graph.dot"
    assert str(dot_file) in message and error.value.dot_path == dot_file
    assert dot_file.read_text(encoding="utf-8") == diagram().source
    assert not (tmp_path / "out" / "graph.png").exists()


@pytest.mark.usefixtures("no_dot")
def test_without_dot_the_digraph_methods_fail_clearly_and_pages_lay_themselves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))  # for the .dot files
    (tmp_path / "temporary").mkdir()
    with pytest.raises(GraphvizNotFoundError) as error:
        diagram().render("graph", directory=tmp_path, format="png")
    assert error.value.dot_path == tmp_path / "graph"
    assert error.value.dot_path.read_text(encoding="utf-8") == diagram().source
    # a notebook, and the step-through page, lay the graph out in the browser instead
    assert "chainrule-dot" in diagram()._repr_mimebundle_()["text/html"]
    root = Value(2.0, "x") * Value(3.0, "y")
    written = write_step_through(root, tmp_path / "steps.html")
    assert 'id="chainrule-dot"' in written.read_text(encoding="utf-8")
    assert "chainrule-dot" in step_through_page(root)._repr_html_()
    assert list((tmp_path / "temporary").iterdir()) == []  # no .dot file left behind


@needs_dot
def test_with_dot_the_digraph_methods_render(tmp_path: Path) -> None:
    assert "<svg" in diagram()._repr_mimebundle_()["image/svg+xml"]
    written = Path(diagram().render("graph", directory=tmp_path, format="svg"))
    assert ET.parse(written).getroot().tag == f"{SVG}svg"


@needs_dot
def test_many_diagrams_render_in_one_dot_run_in_order() -> None:
    diagrams = [draw_graph(Value(float(n), f"n{n}")) for n in range(3)]
    svgs = svg_texts(diagrams)
    assert [">n0<" in svgs[0], ">n1<" in svgs[1], ">n2<" in svgs[2]] == [True] * 3
