"""Labels are text, never markup: in DOT, in the rendered SVG and in the step-through page."""

from __future__ import annotations

import json
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
def test_step_through_page_has_one_script_and_escaped_labels_graph_and_title(
    tmp_path: Path,
) -> None:
    root = hostile_graph()
    page = write_step_through(root, tmp_path / "steps.html", title=INJECTION)
    text = page.read_text(encoding="utf-8")
    # one executable script (whose comments may show tags); the messages and the graph ride
    # in JSON blocks, which never run
    outside = re.sub(r"<script>.*?</script>", "<script></script>", text, flags=re.S)
    assert re.findall(r"<script\b[^>]*>", outside) == [
        '<script type="application/json" id="chainrule-messages">',
        '<script type="application/json" id="chainrule-graph">',
        "<script>",
    ]
    assert "<img" not in text and "<b>bold" not in text
    assert "<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in text
    assert "<h1>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in text
    # title, heading and the leaf's box in the SVG (captions are written by the script)
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
    assert ">&lt;img src=x onerror=alert(2)&gt;</text>" in text
    assert ">back\\slash \\N &amp; &lt;b&gt;bold&lt;/b&gt;</text>" in text
    # the JSON holds no "<" at all, so no label can end its script element, and it
    # parses back to the labels exactly
    data = re.search(
        r'<script type="application/json" id="chainrule-graph">(.*?)</script>', text, re.S
    ).group(1)
    assert "<" not in data
    labels = [node["label"] for node in json.loads(data)["nodes"]]
    assert labels == [INJECTION, "back\\slash \\N & <b>bold</b>", "<img src=x onerror=alert(2)>"]
