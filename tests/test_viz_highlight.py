"""draw_graph(root, highlight=[…]): chosen nodes and edges in red with the thickest pen, a legend
entry saying what red means, and a clear error for anything that is not a node or an edge of the
graph drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chainrule.engine import OPS, Value, check_local_grads, topological_order
from chainrule.engine.i18n import message
from chainrule.viz import backward_frames, draw_graph, render
from chainrule.viz.style import ACTIVE, HIGHLIGHT, HIGHLIGHT_KEY

SVG = "{http://www.w3.org/2000/svg}"
HIGHLIGHT_MEANING = message(HIGHLIGHT_KEY, lang="en")


def neuron() -> dict[str, Value]:
    """o = tanh(x·w + 1): leaves x, w, the constant 1, and the nodes xw, n, o."""
    x, w = Value(2.0, "x"), Value(-0.4, "w")
    xw = x * w
    xw.label = "xw"
    n = xw + 1
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {"x": x, "w": w, "xw": xw, "n": n, "o": o}


def ids(root: Value) -> dict[Value, int]:
    return {node: i for i, node in enumerate(topological_order(root))}


def attributes(line: str) -> dict[str, str]:
    """The attributes after a DOT node's or edge's label (which is markup, left out)."""
    tail = line.rsplit(">", 1)[-1] if "label=<" in line else line
    return dict(re.findall(r'(\w+)=("[^"]*"|[^\s\]]+)', tail))


def line_with_id(source: str, element_id: str) -> str:
    return next(line for line in source.splitlines() if re.search(rf"\bid={element_id}\b", line))


def widths(source: str) -> dict[str, float]:
    """Every edge's id → its penwidth."""
    found = {}
    for line in source.splitlines():
        if "->" in line:
            attrs = attributes(line)
            found[attrs["id"]] = float(attrs.get("penwidth", "1").strip('"'))
    return found


def test_a_highlighted_edge_and_node_are_red_with_the_thickest_pen():
    g = neuron()
    g["o"].backward()
    i = ids(g["o"])
    source = draw_graph(g["o"], highlight=[(g["o"], 0), g["x"]]).source
    edge = attributes(line_with_id(source, f"e{i[g['o']]}_0"))
    assert edge["color"] == f'"{HIGHLIGHT}"' and edge["fontcolor"] == f'"{HIGHLIGHT}"'
    assert edge["class"] == "highlighted"
    edge_widths = widths(source)
    mine = edge_widths.pop(f"e{i[g['o']]}_0")
    assert mine >= 6.0 and all(mine > other for other in edge_widths.values())
    node = attributes(line_with_id(source, f"v{i[g['x']]}"))
    assert node["color"] == f'"{HIGHLIGHT}"' and float(node["penwidth"]) >= 4.0
    # nothing else is red, and without legend=True there is no legend
    assert source.count(HIGHLIGHT) == 3  # the edge (colour and font) and the node
    assert HIGHLIGHT_MEANING not in source
    plain = draw_graph(g["o"]).source
    assert HIGHLIGHT not in plain and "highlighted" not in plain


def test_red_is_not_the_magenta_of_the_active_step():
    assert HIGHLIGHT.lower() != ACTIVE.lower()


def test_the_legend_says_what_red_means_only_when_something_is_highlighted():
    g = neuron()
    g["o"].backward()
    with_highlight = draw_graph(g["o"], legend=True, highlight=[g["n"]]).source
    assert HIGHLIGHT_MEANING in with_highlight
    assert f'<FONT COLOR="{HIGHLIGHT}">' in with_highlight  # its swatch
    assert HIGHLIGHT_MEANING not in draw_graph(g["o"], legend=True).source
    assert HIGHLIGHT_MEANING not in draw_graph(g["o"], legend=True, highlight=[]).source


def test_an_edge_from_a_constant_and_a_forward_only_graph_can_be_highlighted():
    g = neuron()  # no backward: the forward-only picture
    i = ids(g["o"])
    source = draw_graph(g["o"], highlight=[(g["n"], 1)]).source  # the edge from the constant 1
    edge = attributes(line_with_id(source, f"e{i[g['n']]}_1"))
    assert edge["color"] == f'"{HIGHLIGHT}"' and float(edge["penwidth"]) >= 4.0


def test_the_wrong_edge_check_local_grads_found_is_highlighted_as_it_is():
    x = Value(0.5, "x")
    slip = Value(
        x.data**3, parents=(x,), local_grads=(2 * x.data**2,), op=OPS["power"], attrs=(3.0,)
    )
    slip.label = "x³"
    root = slip * 2
    root.backward()
    result = check_local_grads(root)
    first = result.first_wrong
    assert first is not None
    by_check = draw_graph(root, highlight=[first]).source
    by_edge = draw_graph(root, highlight=[first.edge]).source
    assert by_check == by_edge
    assert attributes(line_with_id(by_edge, f"e{ids(root)[slip]}_0"))["class"] == "highlighted"


def test_frames_are_unchanged_by_the_new_option():
    g = neuron()
    frames = backward_frames(g["o"])
    assert all(HIGHLIGHT not in frame.source for frame in frames)


@pytest.mark.parametrize(
    "highlight, error, message",
    [
        ("x", TypeError, "highlight= takes a list of Values"),
        (3, TypeError, "highlight= takes a list of Values"),
        ([2.0], TypeError, "an item was float"),
        ([0], TypeError, r"for one edge write highlight=\[\(node, operand\)\]"),
        ([("a name", 0)], TypeError, r"an edge is \(node, operand\), a Value and an int"),
        ([("o", True)], TypeError, r"an edge is \(node, operand\)"),
        ([("o", 0, 1)], TypeError, "an item was tuple"),
        ([("o", 1)], ValueError, r"o has 1 operand \(0 to 0\), not operand 1"),
        ([("o", -1)], ValueError, "not operand -1"),
        ([("x", 0)], ValueError, "x is a leaf: it has no operands"),
        (["stranger"], ValueError, "stranger is not a node of this graph"),
        ([("stranger", 0)], ValueError, "stranger is not a node of this graph"),
    ],
)
def test_bad_highlight_items_are_refused_with_a_clear_message(highlight, error, message):
    g = neuron()
    g["stranger"] = Value(1.0, "stranger") * 2
    g["stranger"].label = "stranger"

    def resolve(item):
        if isinstance(item, str) and item in g:
            return g[item]
        if isinstance(item, tuple):
            return tuple(resolve(part) for part in item)
        if isinstance(item, list):
            return [resolve(part) for part in item]
        return item

    with pytest.raises(error, match=message):
        draw_graph(g["o"], highlight=resolve(highlight))


def test_a_single_value_must_be_put_in_a_list():
    g = neuron()
    with pytest.raises(TypeError, match="put one Value in a list"):
        draw_graph(g["o"], highlight=g["x"])  # type: ignore[arg-type]


@pytest.mark.needs_dot
def test_the_rendered_svg_draws_the_edge_and_the_node_red_and_thick(tmp_path: Path):
    g = neuron()
    g["o"].backward()
    i = ids(g["o"])
    written = render(
        draw_graph(g["o"], legend=True, highlight=[(g["o"], 0), g["w"]]), tmp_path / "g.svg"
    )
    root = ET.parse(written).getroot()
    groups = {group.get("id"): group for group in root.iter(f"{SVG}g")}
    edge = groups[f"e{i[g['o']]}_0"]
    assert "highlighted" in edge.get("class", "").split()
    path = edge.find(f"{SVG}path")
    assert path.get("stroke") == HIGHLIGHT and float(path.get("stroke-width")) >= 4.0
    others = [
        float(p.get("stroke-width", "1"))
        for gid, group in groups.items()
        if gid and gid != f"e{i[g['o']]}_0" and "edge" in group.get("class", "")
        for p in group.iter(f"{SVG}path")
    ]
    assert others and all(float(path.get("stroke-width")) > width for width in others)
    node = groups[f"v{i[g['w']]}"]
    assert any(p.get("stroke") == HIGHLIGHT for p in node.iter(f"{SVG}path"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert HIGHLIGHT_MEANING in texts
    red_texts = [t.text for t in edge.iter(f"{SVG}text") if t.get("fill") == HIGHLIGHT]
    assert red_texts and red_texts[0].startswith("local")


def test_a_caption_is_shown_above_the_graph_and_must_be_text():
    g = neuron()
    forward = draw_graph(g["o"], caption="the edge n → tanh is red").source
    assert "the edge n → tanh is red" in forward and "forward pass only" in forward
    g["o"].backward()
    after = draw_graph(g["o"], caption="after <backward>").source
    assert "after &lt;backward&gt;" in after and "forward pass only" not in after
    with pytest.raises(TypeError, match="caption= takes a str"):
        draw_graph(g["o"], caption=3)  # type: ignore[arg-type]


def test_backward_frames_draw_the_highlighted_edge_in_every_frame() -> None:

    x = Value(2.0, "x")
    y = x * x
    frames = backward_frames(y, highlight=[(y, 1)])
    assert len(frames) == 3
    edges = [next(ln for ln in frame.source.splitlines() if "e1_1" in ln) for frame in frames]
    for edge in edges[:2]:  # the forward frame and the step through the other edge
        assert "highlighted" in edge and HIGHLIGHT in edge
    assert "class=active" in edges[2] and ACTIVE in edges[2]  # while it is the step applied
