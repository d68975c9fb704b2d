"""Labels are text, never markup: in DOT, in the rendered SVG and in the HTML player."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.engine import Value
from chainrule.viz import draw_graph, render, write_step_through

INJECTION = '"><script>alert(1)</script>'


def hostile_graph() -> Value:
    x = Value(2.0, INJECTION)
    y = Value(3.0, "back\\slash \\N & <b>bold</b>")
    out = x * y
    out.label = "<img src=x onerror=alert(2)>"
    return out


def test_dot_source_holds_only_escaped_labels() -> None:
    source = draw_graph(hostile_graph()).source
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "<script>" not in source and "<img" not in source and "<b>bold" not in source


@pytest.mark.needs_dot
def test_svg_shows_the_labels_as_text(tmp_path: Path) -> None:
    root = hostile_graph()
    root.backward()
    svg = render(draw_graph(root), tmp_path / "graph.svg")
    tree = ET.parse(svg)
    texts = {element.text for element in tree.iter("{http://www.w3.org/2000/svg}text")}
    assert INJECTION in texts
    assert "back\\slash \\N & <b>bold</b>" in texts  # backslashes stay literal
    assert "<img src=x onerror=alert(2)>" in texts
    tags = {element.tag.split("}")[1] for element in tree.iter()}
    assert not tags & {"script", "img", "b", "foreignObject"}


@pytest.mark.needs_dot
def test_player_page_has_one_script_and_escaped_labels_caption_and_title(tmp_path: Path) -> None:
    page = write_step_through(hostile_graph(), tmp_path / "steps.html", title=INJECTION)
    text = page.read_text(encoding="utf-8")
    assert len(re.findall(r"<script\b", text)) == 1
    assert "<img" not in text and "<b>bold" not in text
    assert "<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in text
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") > 3  # title, captions, SVG text
