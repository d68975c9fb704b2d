"""render: SVG and PNG through system Graphviz, else pygraphviz, and what happens without both."""

from __future__ import annotations

import re
import shutil
import struct
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.engine import Value
from chainrule.engine.i18n import using_language
from chainrule.viz import (
    GraphvizNotFoundError,
    draw_graph,
    render,
    step_through_page,
    write_step_through,
)
from chainrule.viz.rendering import GRAPHVIZ_COMMANDS, render_hint, svg_texts

from tests.test_i18n import find_english

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


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """pygraphviz (the [render] extra) made unimportable, as where it is not installed."""
    monkeypatch.setitem(sys.modules, "pygraphviz", None)


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


@pytest.mark.usefixtures("no_dot", "no_extra")
def test_without_dot_or_the_extra_the_error_says_what_to_install_and_where_the_source_is(
    tmp_path: Path,
) -> None:
    with pytest.raises(GraphvizNotFoundError) as error:
        render(diagram(), tmp_path / "out" / "graph.png")
    message = str(error.value)
    assert "`dot` program is not on PATH and pygraphviz" in message
    assert render_hint() in message and 'pip install "chainrule[render]"' in message
    dot_file = tmp_path / "out" / "graph.dot"
    assert str(dot_file) in message and error.value.dot_path == dot_file
    assert dot_file.read_text(encoding="utf-8") == diagram().source
    assert not (tmp_path / "out" / "graph.png").exists()


@pytest.mark.usefixtures("no_dot", "no_extra")
def test_in_chinese_the_error_says_the_same_in_chinese(tmp_path: Path) -> None:
    with using_language("zh"), pytest.raises(GraphvizNotFoundError) as error:
        render(diagram(), tmp_path / "graph.png")
    text = str(error.value)
    assert text.startswith("无法渲染 PNG：PATH 上没有 Graphviz 的 `dot` 程序")
    assert f"`dot -Tpng {tmp_path / 'graph.dot'} -o diagram.png`" in text
    assert error.value.hint.startswith("请安装 Graphviz 程序") and text.endswith(error.value.hint)
    words = re.sub(r"`[^`]*`", "", text)  # commands in backquotes are code, not English
    assert not find_english.english_runs(words, find_english.chainrule_names())
    with using_language("zh"), pytest.raises(ValueError, match="格式却是 'png'"):
        render(diagram(), tmp_path / "graph.svg", format="png")


@pytest.mark.parametrize(
    ("platform", "command"),
    [
        ("linux", "`sudo apt-get install graphviz`"),
        ("darwin", "`brew install graphviz`"),
        ("win32", "`winget install graphviz`"),
        ("freebsd14", "see https://graphviz.org/download/"),
    ],
)
def test_the_hint_names_this_systems_graphviz_command_and_the_extra(
    platform: str, command: str
) -> None:
    hint = render_hint(platform)
    assert f"Graphviz's program ({command})" in hint
    assert hint.endswith('(`pip install "chainrule[render]"`).')
    others = set(GRAPHVIZ_COMMANDS.values()) - {command.strip("`")}
    assert not any(other in hint for other in others)


@pytest.mark.usefixtures("no_dot", "no_extra")
def test_without_dot_the_digraph_methods_fail_clearly_and_pages_lay_themselves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))  # for the .dot files
    (tmp_path / "temporary").mkdir()
    with pytest.raises(GraphvizNotFoundError, match="chainrule\\[render\\]") as error:
        diagram().pipe(format="svg")
    assert error.value.dot_path.parent == tmp_path / "temporary"
    error.value.dot_path.unlink()  # saved for the learner: this test's own to remove
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


def node_ids(svg: bytes | str) -> set[str]:
    text = svg.encode("utf-8") if isinstance(svg, str) else svg
    root = ET.fromstring(text[text.find(b"<svg") :])
    return {g.get("id", "") for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


DIAGRAM_NODES = {"v0", "v1", "op2", "v2", "op3", "v3"}
"""The node ids draw_graph gives diagram()'s x, w, ×, x·w, tanh and y."""


@pytest.mark.usefixtures("no_dot")
def test_without_dot_the_extra_writes_svg_and_png_with_the_ids_of_dots(tmp_path: Path) -> None:
    svg = render(diagram(), tmp_path / "graph.svg")
    assert node_ids(svg.read_bytes()) == DIAGRAM_NODES
    assert {"x", "w", "y"} <= set(svg_texts_of(svg))
    width, height = png_size(render(diagram(), tmp_path / "graph.png"))
    assert width > height > 0  # laid out left to right, as with dot
    assert not list(tmp_path.glob("*.dot"))  # no source saved: nothing failed


@pytest.mark.usefixtures("no_dot")
def test_without_dot_the_digraph_methods_draw_with_the_extra(tmp_path: Path) -> None:
    drawn = draw_graph(Value(2.0, "x") * 3)
    assert drawn.pipe(format="png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in drawn.pipe(format="svg", encoding="utf-8")
    written = Path(drawn.render("graph", directory=tmp_path, format="svg"))
    assert written == tmp_path / "graph.svg" and (tmp_path / "graph").exists()
    assert node_ids(written.read_bytes()) == {"v0", "v1", "op2", "v2"}
    outfile = Path(drawn.render(outfile=tmp_path / "named.png", cleanup=True))
    assert outfile == tmp_path / "named.png" and outfile.read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "named.gv").exists()  # cleanup removed the source
    with pytest.raises(GraphvizNotFoundError, match="cannot render PDF") as error:
        drawn.pipe(format="pdf")  # only dot itself draws other formats
    assert "chainrule[render]" not in str(error.value)


@needs_dot
def test_the_extra_keeps_every_id_and_class_of_dots_svg() -> None:
    """The step page and the tests find nodes and edges by id and class: both must agree."""
    from chainrule.viz.renderers import draw_in_process, run_dot

    def groups(svg: bytes) -> set[tuple[str, str]]:
        root = ET.fromstring(svg[svg.find(b"<svg") :])
        return {(g.get("id", ""), g.get("class", "")) for g in root.iter(f"{SVG}g")}

    a, b = Value(2.0, "a"), Value(-3.0, "b")
    product = a * b
    for drawn in (diagram(), draw_graph((product + a).tanh(), highlight=[(product, 0)])):
        ours = groups(draw_in_process(drawn.source, "svg"))
        assert ours == groups(run_dot(str(shutil.which("dot")), drawn.source, "svg"))
        assert ("v0", "node") in ours
