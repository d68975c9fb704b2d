"""draw_graph: what the DOT source says about a known expression, before and after backward."""

from __future__ import annotations

import html
import re

import graphviz
import pytest
from chainrule.engine import Value, topological_order
from chainrule.nn import MLP, mse_loss
from chainrule.viz import DEFAULT_MAX_NODES, GraphTooLargeError, draw_graph, draw_legend
from chainrule.viz.graph_diagram import FORWARD_ONLY
from chainrule.viz.style import FILL, ROLE_MEANING, Role


def expression() -> dict[str, Value]:
    """d = a·b + a with a = 2, b = −3, so c = a·b = −6 and d = −4.

    By hand: ∂d/∂c = 1 and ∂d/∂a (the direct path) = 1; ∂c/∂a = b = −3 and
    ∂c/∂b = a = 2. So a.grad = −3·1 + 1·1 = −2 (two paths add) and b.grad = 2·1 = 2.
    """
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    return {"a": a, "b": b, "c": c, "d": d}


def edge_labels(source: str) -> dict[str, str]:
    """Each edge's id → its label as plain text (markup removed, lines joined by ' | ')."""
    labels = {}
    for line in source.splitlines():
        match = re.search(r"->.*\[label=<(.*)> .*\bid=(\S+?)[\s\]]", line)
        if match:
            markup, edge_id = match.groups()
            plain = re.sub(r"<[^>]+>", "", markup.replace("<BR/>", " | "))
            labels[edge_id] = html.unescape(plain).replace("\xa0", " ").strip()
    return labels


def node_ids(root: Value) -> dict[str, int]:
    return {node.label: i for i, node in enumerate(topological_order(root)) if node.label}


def test_after_backward_every_node_shows_label_data_and_grad() -> None:
    v = expression()
    v["d"].backward()
    source = draw_graph(v["d"]).source
    for name, data, grad in [
        ("a", "2.0", "-2.0"),
        ("b", "-3.0", "2.0"),
        ("c", "-6.0", "1.0"),
        ("d", "-4.0", "1.0"),
    ]:
        node_line = next(
            line for line in source.splitlines() if f"<B>{name}</B>" in line and "->" not in line
        )
        assert f"data {data}<" in node_line
        assert f"grad {grad}<" in node_line
    assert FORWARD_ONLY not in source


def test_each_edge_shows_its_local_derivative_and_the_gradient_it_carried() -> None:
    v = expression()
    v["d"].backward()
    ids = node_ids(v["d"])
    labels = edge_labels(draw_graph(v["d"]).source)
    c, d = ids["c"], ids["d"]
    assert labels == {
        f"e{c}_0": "local -3.0 | × 1.0 = -3.0",  # ∂c/∂a = b = −3, upstream ∂d/∂c = 1
        f"e{c}_1": "local 2.0 | × 1.0 = 2.0",  # ∂c/∂b = a = 2
        f"e{d}_0": "local 1.0 | × 1.0 = 1.0",  # ∂d/∂c = 1, upstream ∂d/∂d = 1
        f"e{d}_1": "local 1.0 | × 1.0 = 1.0",  # ∂d/∂a = 1 on the direct path
    }


def test_x_times_x_is_drawn_with_two_edges_each_carrying_its_share() -> None:
    x = Value(3.0, "x")
    y = x * x  # ∂y/∂x = x + x: each operand edge carries x·1 = 3, and x.grad = 6
    y.backward()
    source = draw_graph(y).source
    assert len(re.findall(r"\bv0 -> op1\b", source)) == 2
    assert edge_labels(source) == {
        "e1_0": "local 3.0 | × 1.0 = 3.0",
        "e1_1": "local 3.0 | × 1.0 = 3.0",
    }
    assert "grad 6.0<" in source


def test_before_backward_the_diagram_says_forward_only_instead_of_zero_grads() -> None:
    v = expression()
    source = draw_graph(v["d"]).source
    assert FORWARD_ONLY in source
    assert "grad " not in source
    assert all("×" not in label for label in edge_labels(source).values())
    assert "local -3.0" in source


def test_edges_are_coloured_by_sign_and_widened_by_magnitude() -> None:
    v = expression()
    v["d"].backward()
    source = draw_graph(v["d"]).source
    c = node_ids(v["d"])["c"]
    styles = {
        edge_id: line
        for line in source.splitlines()
        for edge_id in re.findall(r"\bid=(e\d+_\d+)", line)
    }
    # a's edge into c carries −3 (the largest |gradient|): orange at full width.
    assert 'color="#ea580c"' in styles[f"e{c}_0"] and "penwidth=5.0" in styles[f"e{c}_0"]
    # b's edge carries +2: blue, 1 + 4·(2/3) points wide.
    assert 'color="#2563eb"' in styles[f"e{c}_1"] and "penwidth=3.67" in styles[f"e{c}_1"]


def test_roles_fill_output_parameters_inputs_and_constants() -> None:
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = (x * w + 1.0).tanh()
    source = draw_graph(y, params=[w]).source

    def fill_of(name: str) -> str:
        line = next(line for line in source.splitlines() if f"<B>{name}</B>" in line)
        return re.search(r'BGCOLOR="(#\w+)"', line).group(1)

    assert fill_of("x") == FILL[Role.INPUT]
    assert fill_of("w") == FILL[Role.PARAMETER]
    assert f'BGCOLOR="{FILL[Role.CONSTANT]}"' in source  # the 1.0
    assert f'BGCOLOR="{FILL[Role.OUTPUT]}"' in source  # y, unlabelled


def test_drawing_changes_no_node() -> None:
    v = expression()
    nodes = topological_order(v["d"])
    before = [(n.data, n.grad, n.label) for n in nodes]
    draw_graph(v["d"], legend=True)
    assert [(n.data, n.grad, n.label) for n in nodes] == before
    v["d"].backward()
    after_backward = [(n.data, n.grad, n.label) for n in nodes]
    draw_graph(v["d"])
    assert [(n.data, n.grad, n.label) for n in nodes] == after_backward


def test_returns_a_digraph_and_the_legend_on_request() -> None:
    v = expression()
    assert isinstance(draw_graph(v["d"]), graphviz.Digraph)
    assert "legend" not in draw_graph(v["d"]).source
    with_legend = draw_graph(v["d"], legend=True).source
    legend = draw_legend().source
    for meaning in ROLE_MEANING.values():
        assert html.escape(meaning) in with_legend
        assert html.escape(meaning) in legend
    assert "gradient &lt; 0" in legend


def test_an_mlp_graph_has_one_box_per_layer() -> None:
    model = MLP(2, [3, 1], seed=0)
    loss = mse_loss(model([1.0, -2.0]), 1.0)
    loss.backward()
    source = draw_graph(loss).source
    boxes = re.findall(r"subgraph (cluster_layer\d+)", source)
    assert boxes == ["cluster_layer0", "cluster_layer1", "cluster_layer2"]
    body = {
        box: source.split(f"subgraph {box}")[1].split("}")[0]
        for box in ("cluster_layer0", "cluster_layer1", "cluster_layer2")
    }
    assert "<B>x[0]</B>" in body["cluster_layer0"]
    for label in ("W[1][2][1]", "b[1][0]", "z[1][1]", "a[1][2]"):
        assert f"<B>{label}</B>" in body["cluster_layer1"]
    for label in ("W[2][0][2]", "z[2][0]", "a[2][0]"):
        assert f"<B>{label}</B>" in body["cluster_layer2"]
    assert "output layer 2" in body["cluster_layer2"]


def test_a_graph_over_the_size_limit_gets_an_error_naming_size_and_options() -> None:
    x = Value(1.0, "x")
    y = x
    for _ in range(DEFAULT_MAX_NODES):
        y = y + 1.0  # each step adds a constant leaf and a sum node
    count = len(topological_order(y))
    with pytest.raises(GraphTooLargeError) as error:
        draw_graph(y)
    message = str(error.value)
    assert f"{count} nodes" in message
    assert f"max_nodes={count}" in message
    assert "draw_network" in message and "one sample" in message
    assert "grad" in draw_graph(y, max_nodes=count).source


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: draw_graph(3.0), TypeError, "root Value"),
        (lambda: draw_graph(MLP(2, [1], seed=0)), TypeError, "draw_network"),
        (lambda: draw_graph(Value(1.0), rankdir="left"), ValueError, "rankdir"),
        (lambda: draw_graph(Value(1.0), params=[1.0]), TypeError, "params"),
        (lambda: draw_graph(Value(1.0), params=Value(1.0)), TypeError, "iterable"),
        (lambda: draw_graph(Value(1.0), max_nodes=0), ValueError, "max_nodes"),
    ],
)
def test_bad_input_gets_a_specific_error(call, error, words) -> None:
    with pytest.raises(error, match=words):
        call()
