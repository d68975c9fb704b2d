"""The backward pass, visible (#19): a graph made by ``grad(…, create_graph=True)``.

``draw_graph`` sets the nodes the recorded backward pass made apart from the original
computation (their own fill, one labelled box per op they serve), and the step-through page
steps such a graph: its forward frames say what each backward-made node is, its SVG marks
them, and its what-if gives Python's f′ and f″ within 1e-12.
"""

from __future__ import annotations

import html
import json
import math
import random
import re
from pathlib import Path

import pytest
from chainrule.engine import Value, grad, node_names, topological_order
from chainrule.engine.i18n import message
from chainrule.viz import draw_graph, step_through_page, write_step_through
from chainrule.viz.graph_diagram import backward_title
from chainrule.viz.step_page import display_names
from chainrule.viz.style import BACKWARD_CLUSTER, BACKWARD_FILL, BACKWARD_KEY, FILL, Role

from tests.page_helpers import open_page


def neuron_derivative(x0: float = 2.0, w0: float = -0.4406867935097715) -> tuple[Value, ...]:
    """f′ = ∂o/∂w of o = tanh(n), n = x·w (at tanh(n) = −0.7071, so 1 − o² = 0.5)."""
    x, w = Value(x0, "x"), Value(w0, "w")
    n = x * w
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    (dw,) = grad(o, [w], create_graph=True)
    return dw, x, w


def quartic_derivative(x0: float = 1.5) -> tuple[Value, Value]:
    """f′ = 4x³ − 4x of f = x⁴ − 2x², as the recorded backward pass of f."""
    x = Value(x0, "x")
    (dx,) = grad(x**4 - 2 * x**2, [x], create_graph=True)
    return dx, x


# --- draw_graph -----------------------------------------------------------------------------


def clusters(source: str) -> dict[str, str]:
    """Each backward cluster's DOT text (its attributes and node lines), by its label."""
    found = {}
    for block in re.split(r"\n\s*subgraph ", source)[1:]:
        if not block.startswith("cluster_backward"):
            continue
        body = block[: block.index("\n\t}")]
        title = re.search(r"label=<([^<>]*)>", body)
        assert title is not None, body
        found[title.group(1)] = body
    return found


@pytest.mark.parametrize("build", [neuron_derivative, quartic_derivative])
def test_draw_graph_boxes_each_backward_made_node_with_the_op_it_serves(build):
    root = build()[0]
    order = topological_order(root)
    source = draw_graph(root, legend=True).source
    boxes = clusters(source)
    names = node_names(order)
    made = [node for node in order if node.role is not None]
    assert made and any(node.role is None for node in order)
    for i, node in enumerate(order):
        line = next(ln for ln in source.splitlines() if re.match(rf"\s*v{i} \[", ln))
        inside = [title for title, body in boxes.items() if re.search(rf"\n\s*v{i} \[", body)]
        if node.role is None:  # the original computation: its own fill, in no backward box
            assert inside == [] and BACKWARD_FILL not in line and "backward-made" not in line
            continue
        assert inside == [backward_title(node.role.node, names)]
        assert f'BGCOLOR="{BACKWARD_FILL}"' in line
        assert f"backward-made role-{node.role.kind}" in line
    for body in boxes.values():
        assert BACKWARD_CLUSTER in body.splitlines()[1]  # the box's own fill
    assert message(BACKWARD_KEY).split(":")[0] in source  # the legend's entry


def test_the_neuron_derivative_is_boxed_as_the_backward_of_tanh_and_of_the_product():
    root, _, _ = neuron_derivative()
    boxes = clusters(draw_graph(root).source)
    assert sorted(boxes) == ["backward of n = x·w", "backward of o = tanh(n)"]
    # the derivative's root is the output: the output's amber on its name, cyan below
    assert f'BGCOLOR="{FILL[Role.OUTPUT]}"' in boxes["backward of n = x·w"]
    assert f'BGCOLOR="{FILL[Role.OUTPUT]}"' not in boxes["backward of o = tanh(n)"]


def test_a_graph_without_a_recorded_backward_pass_has_no_backward_box():
    x = Value(2.0, "x")
    source = draw_graph((x * x).tanh(), legend=True).source
    assert "cluster_backward" not in source and BACKWARD_FILL not in source


@pytest.mark.needs_dot
def test_the_rendered_svg_marks_only_the_backward_made_nodes():
    root, _, _ = neuron_derivative()
    order = topological_order(root)
    svg = draw_graph(root).pipe(format="svg").decode()
    for i, node in enumerate(order):
        group = re.search(rf'<g id="v{i}" class="([^"]*)"', svg)
        assert group is not None
        marked = "backward-made" in html.unescape(group.group(1))
        assert marked == (node.role is not None), (i, node)


# --- the step-through page ------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("second_order")
    return {
        "neuron": write_step_through(neuron_derivative()[0], folder / "neuron.html"),
        "quartic": write_step_through(quartic_derivative()[0], folder / "quartic.html"),
    }


def api(browser, call: str, *args):
    return browser.execute_script(f"return window.chainrule.{call};", *args)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def every_caption(browser) -> list[str]:
    return browser.execute_script(
        "const api = window.chainrule, out = [];"
        "for (let k = 0; k < api.frameCount(); k += 1) { api.goto(k); out.push(api.frame()); }"
        "api.goto(0); return out.map(f => f.caption + '\\u0000' + f.phase);"
    )


def test_the_page_of_a_derivative_graph_says_how_many_frames_it_has():
    root, _, _ = neuron_derivative()
    order = topological_order(root)
    steps = sum(1 for n in order for p in n.parents if not p.is_constant)
    assert step_through_page(root).frame_count == len(order) + steps + 1


@pytest.mark.needs_dot
def test_the_page_knows_where_every_backward_made_box_is():
    """The view frames a step from the boxes Python read in the SVG: a node with the
    backward-made classes must have its box there too, or a step on it shows everything."""
    root = quartic_derivative()[0]
    page = step_through_page(root).html
    graph = json.loads(re.search(r'id="chainrule-graph">(.*?)</script>', page, re.S).group(1))
    made = [i for i, node in enumerate(graph["nodes"]) if node["backward"]]
    assert made
    for i in range(len(graph["nodes"])):
        assert f"v{i}" in graph["boxes"], i


@pytest.mark.pages
def test_the_derivative_page_steps_and_marks_its_backward_made_nodes(browser, pages):
    root, _, _ = neuron_derivative()
    order = topological_order(root)
    names = display_names(order)
    open_page(browser, pages["neuron"])
    count = api(browser, "frameCount()")
    steps = sum(1 for n in order for p in n.parents if not p.is_constant)
    assert count == len(order) + steps + 1
    shown = [entry.split("\0") for entry in every_caption(browser)]
    phases = [phase for _, phase in shown]
    assert phases == ["forward"] * len(order) + ["backward"] * steps + ["summary"]
    forward = [caption for caption, phase in shown if phase == "forward"]
    # every backward-made node's forward frame says what it is there, with the page's names
    for node in order:
        said = [c for c in forward if c.startswith(f"{names[node]} = ")] if node in names else []
        if node.role is None:
            assert all("create_graph" not in c and "chain rule:" not in c for c in said)
            continue
        text = f"({node.role.describe(names)})"
        if node in names:
            assert said and said[0].endswith(text), (said, text)
        else:  # a constant the backward pass wrote, the 1 of 1 − o²
            assert any(c.endswith(text) and " is a constant" in c for c in forward)
    assert any(
        c.endswith(" = 0.5 (∂o/∂n, made a node by create_graph)") and " − " in c for c in forward
    ), forward
    # the SVG marks the backward-made boxes, and only them, in the backward colour
    marks = browser.execute_script(
        "const graph = JSON.parse(document.getElementById('chainrule-graph').textContent);"
        "return graph.nodes.map((node, i) => {"
        "  const g = document.getElementById('v' + i);"
        "  const fills = Array.from(g.querySelectorAll('polygon, path'))"
        "    .map(p => (p.getAttribute('fill') || '').toLowerCase());"
        "  return [node.name, g.getAttribute('data-role'), g.classList.contains('backward-made'),"
        "          fills.includes(arguments[0])]; })",
        BACKWARD_FILL,
    )
    page_order = browser.execute_script(
        "return JSON.parse(document.getElementById('chainrule-graph').textContent)"
        ".nodes.map(n => n.backward ? n.backward.kind : null)"
    )
    assert sorted(k for k in page_order if k) == sorted(n.role.kind for n in order if n.role)
    for (name, data_role, marked, cyan), kind in zip(marks, page_order, strict=True):
        assert data_role == kind and marked == (kind is not None) and cyan == marked, name
    assert set(page_order) >= {None, "local", "product"}
    legend = browser.find_element("css selector", ".legend").text
    assert "backward-made" in legend and "the next order" in legend


@pytest.mark.pages
@pytest.mark.parametrize("which", ["neuron", "quartic"])
def test_what_if_gives_pythons_first_and_second_derivatives(browser, pages, which):
    open_page(browser, pages[which])
    leaves = api(browser, "leaves()")
    root_name = browser.execute_script(
        "const nodes = JSON.parse(document.getElementById('chainrule-graph').textContent).nodes;"
        "return nodes[nodes.length - 1].name"
    )
    rng = random.Random(19)
    for _ in range(12):
        if which == "neuron":
            x0, w0 = rng.uniform(-2.0, 2.0), rng.uniform(-1.5, 1.5)
            assert sorted(leaves) == ["w", "x"]
            assert api(browser, "setLeaf('x', arguments[0])", x0) is None
            assert api(browser, "setLeaf('w', arguments[0])", w0) is None
            first, x, w = neuron_derivative(x0, w0)
            d_dw, d_dx = grad(first, [w, x])
            expected = {"w": d_dw.data, "x": d_dx.data}
        else:
            x0 = rng.uniform(-2.0, 2.0)
            assert leaves == ["x"]
            assert api(browser, "setLeaf('x', arguments[0])", x0) is None
            first, x = quartic_derivative(x0)
            (d_dx,) = grad(first, [x])
            assert close(d_dx.data, 12 * x0**2 - 4)  # f″ of x⁴ − 2x²
            expected = {"x": d_dx.data}
        values, grads = api(browser, "values()"), api(browser, "grads()")
        assert close(values[root_name], first.data), (values[root_name], first.data)
        for name, second in expected.items():
            assert close(grads[name], second), (name, grads[name], second)
