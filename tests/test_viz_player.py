"""write_step_through: one self-contained HTML page, checked as text here (test_viz_browser.py
and test_viz_step_page.py drive it in Chromium).

The page holds one inline SVG laid out once by Graphviz, the recorded graph as JSON, and one
script that restyles the SVG for every frame (forward, backward, summary).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from chainrule.engine import topological_order
from chainrule.engine.i18n import message
from chainrule.viz import step_through_page, write_step_through

from tests.graphs import neuron, neuron_with_leaves

pytestmark = pytest.mark.needs_dot

GRAPH_DATA = re.compile(
    r'<script type="application/json" id="chainrule-graph">(.*?)</script>', re.S
)
EXECUTABLE = re.compile(r"<script>(.*?)</script>", re.S)


def graph_data(text: str) -> dict:
    (data,) = GRAPH_DATA.findall(text)
    return json.loads(data)


def test_page_holds_one_picture_the_graph_and_every_control(tmp_path: Path) -> None:
    root = neuron()
    order = topological_order(root)
    page = write_step_through(root, tmp_path / "player", lang="en")
    assert page == tmp_path / "player.html"
    text = page.read_text(encoding="utf-8")
    title = message("page.default_title", lang="en")
    assert f'<title data-i18n="page.default_title">{title}</title>' in text
    assert f'<h1 data-i18n="page.default_title">{title}</h1>' in text
    # one picture, laid out once, inline (no XML prolog, no fixed size)
    assert text.count("<svg") == 1 and "<?xml" not in text
    svg_start = re.search(r"<svg\b[^>]*>", text).group()
    assert " width=" not in svg_start and " height=" not in svg_start
    # the graph as JSON: every node in topological order, with its name and numbers
    nodes = graph_data(text)["nodes"]
    assert [node["data"] for node in nodes] == [node.data for node in order]
    assert [node["name"] for node in nodes] == [
        "x1",
        "w1",
        "t1",
        "x2",
        "w2",
        "t2",
        "t3",
        "b",
        "n",
        "o",
    ]
    # forward (one per node), backward (one per edge into a non-constant), the summary
    steps = sum(1 for node in nodes for p in node["parents"] if not nodes[p]["constant"])
    assert step_through_page(neuron()).frame_count == len(nodes) + steps + 1 == 20
    # the script finds every node's box and every edge by these ids
    for i, node in enumerate(nodes):
        assert f'id="v{i}"' in text
        for k in range(len(node["parents"])):
            assert f'id="e{i}_{k}"' in text
    for control in (
        'id="previous"',
        'id="next"',
        'id="play"',
        'id="slider"',
        'id="counter"',
        'id="zoom-in"',
        'id="zoom-out"',
        'id="zoom-fit"',
        'id="leaves"',
        'id="reset"',
        'data-phase="forward"',
        'data-phase="backward"',
        'data-phase="summary"',
        '<p id="caption" aria-live="polite">',
        '<p id="error" role="alert" hidden>',
    ):
        assert control in text, control
    assert "window.chainrule = {" in text


def test_writing_the_page_reads_the_graph_and_changes_nothing(tmp_path: Path) -> None:
    root, leaves = neuron_with_leaves()
    order = topological_order(root)
    before = [(node.data, node.grad, node.label) for node in order]
    write_step_through(root, tmp_path / "player.html")
    step_through_page(root)
    assert [(node.data, node.grad, node.label) for node in order] == before
    assert all(leaf.grad == 0.0 for leaf in leaves)  # no backward pass ran


def test_page_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    text = write_step_through(neuron(), tmp_path / "player.html").read_text(encoding="utf-8")
    without_namespaces = re.sub(r'xmlns(:xlink)?="http://www\.w3\.org/[^"]*"', "", text)
    assert not re.search(r"https?:|[\"'(=]\s*//", without_namespaces)  # no URL, nor //host
    for loader in (
        "<link",
        " src=",
        "href=",
        "@import",
        "url(",
        "@font-face",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "EventSource",
        "sendBeacon",
        "import(",
        "<iframe",
        "<object",
        "<embed",
    ):
        assert loader not in text, loader
    # exactly one executable script, allowed by its hash and nothing else
    # beside it only the graph's JSON and the messages' (the script's comments may show tags)
    assert len(re.findall(r"<script\b", EXECUTABLE.sub("", text))) == 2
    (script,) = EXECUTABLE.findall(text)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    assert policy == (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    )


def test_ids_are_unique_in_the_page(tmp_path: Path) -> None:
    text = write_step_through(neuron(), tmp_path / "player.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', EXECUTABLE.sub("", text))  # not in the script's comments
    assert len(ids) == len(set(ids))


def test_a_title_must_be_text(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="title must be a str"):
        write_step_through(neuron(), tmp_path / "player.html", title=3)  # None: its own
    assert not (tmp_path / "player.html").exists()
