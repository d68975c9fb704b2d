"""draw_graph: what the DOT source says about a known expression, before and after backward."""

from __future__ import annotations

import html
import re

import graphviz
import pytest
from chainrule.engine import Constant, Value, topological_order
from chainrule.engine.i18n import message
from chainrule.nn import MLP, mse_loss
from chainrule.viz import (
    DEFAULT_MAX_NODES,
    GraphTooLargeError,
    backward_frames,
    draw_graph,
    draw_legend,
    write_step_through,
)
from chainrule.viz.graph_diagram import FORWARD_ONLY as FORWARD_ONLY_KEY
from chainrule.viz.style import FILL, NEGATIVE, NEUTRAL, POSITIVE, ROLE_KEYS, Role

FORWARD_ONLY = message(FORWARD_ONLY_KEY, lang="en")


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


def node_line(source: str, i: int) -> str:
    """The DOT line of Value node number ``i`` (its box, not an edge)."""
    return next(line for line in source.splitlines() if re.match(rf"\s*v{i} \[", line))


def edge_line(source: str, edge_id: str) -> str:
    return next(line for line in source.splitlines() if f"id={edge_id}" in line)


def fill_of(source: str, i: int) -> str:
    return re.search(r'BGCOLOR="(#\w+)"', node_line(source, i)).group(1)


def layer_boxes(source: str) -> dict[str, set[int]]:
    """Each layer box → the numbers of the Value nodes drawn inside it."""
    boxes = {}
    for name, body in re.findall(r"subgraph (cluster_layer\d+) \{(.*?)\n\t\}", source, re.S):
        boxes[name] = {int(i) for i in re.findall(r"^\s*v(\d+) \[", body, re.M)}
    return boxes


def op_label(source: str, i: int) -> str:
    """The text in the oval of node ``i``'s op."""
    line = next(line for line in source.splitlines() if re.match(rf"\s*op{i} \[", line))
    return html.unescape(re.search(r"label=<(.*?)> ", line).group(1))


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
    widths = {
        edge: float(re.search(r"penwidth=([\d.]+)", line).group(1)) for edge, line in styles.items()
    }
    d = node_ids(v["d"])["d"]
    # a's edge into c carries −3 (orange), b's +2 (blue), each edge into d carries +1 (blue)
    assert f'color="{NEGATIVE}"' in styles[f"e{c}_0"]
    assert all(f'color="{POSITIVE}"' in styles[e] for e in (f"e{c}_1", f"e{d}_0", f"e{d}_1"))
    # the larger the |gradient| carried, the wider the edge; equal gradients, equal widths
    assert widths[f"e{c}_0"] > widths[f"e{c}_1"] > widths[f"e{d}_0"] == widths[f"e{d}_1"]
    assert widths[f"e{c}_0"] == max(widths.values())  # −3 is the largest |gradient| drawn


def test_roles_fill_output_parameters_inputs_and_constants() -> None:
    x, w, unnamed = Value(2.0, "x"), Value(-3.0, "w"), Value(0.5)
    y = (x * w + 1.0 + unnamed).tanh()
    source = draw_graph(y, params=[w]).source
    order = topological_order(y)
    (one,) = [node for node in order if node.is_constant]
    roles = {
        x: Role.INPUT,
        w: Role.PARAMETER,
        one: Role.CONSTANT,  # the 1.0 written in the formula
        unnamed: Role.INPUT,  # a Value the user made is an input, labelled or not
        y: Role.OUTPUT,
    }
    for node, role in roles.items():
        assert fill_of(source, order.index(node)) == FILL[role], node


def test_without_params_no_leaf_is_a_parameter_whatever_its_label() -> None:
    w, b = Value(-3.0, "W[1][0][0]"), Value(0.5, "b[1][0]")
    y = w * Value(2.0, "x[0]") + b
    source = draw_graph(y).source
    order = topological_order(y)
    assert fill_of(source, order.index(w)) == FILL[Role.INPUT]
    assert fill_of(source, order.index(b)) == FILL[Role.INPUT]
    assert "cluster_layer" not in source  # labels alone never make layers


def test_a_constant_has_no_grad_cell_and_its_edge_carries_no_gradient() -> None:
    # y = 2·x + 1 at x = 3: ∂y/∂x = 2. The 2 and the 1 are constants: their edges show only
    # the local derivative (∂(2x)/∂2 = x = 3, ∂y/∂1 = 1), thin and grey, and they get no grad.
    x = Value(3.0, "x")
    y = 2 * x + 1
    y.backward()
    assert x.grad == 2.0
    source = draw_graph(y).source
    order = topological_order(y)
    two, one = (node for node in order if node.is_constant)
    assert isinstance(two, Constant) and (two.data, one.data) == (2.0, 1.0)
    product = order.index(y.parents[0])
    for constant in (two, one):
        line = node_line(source, order.index(constant))
        assert f'BGCOLOR="{FILL[Role.CONSTANT]}"' in line
        assert f"data {constant.data}<" in line and "grad" not in line
    labels = edge_labels(source)
    assert labels[f"e{product}_0"] == "local 3.0"  # from the 2: no "× upstream = carried"
    assert labels[f"e{product}_1"] == "local 2.0 | × 1.0 = 2.0"  # from x
    assert labels[f"e{order.index(y)}_1"] == "local 1.0"  # from the 1
    for edge_id in (f"e{product}_0", f"e{order.index(y)}_1"):
        line = edge_line(source, edge_id)
        assert f'color="{NEUTRAL}"' in line and re.search(r"\bpenwidth=1\b", line)
    assert "grad 2.0<" in node_line(source, order.index(x))


def test_op_ovals_read_the_op_table() -> None:
    x = Value(-2.0, "x")
    cube = Value(x.data**3, parents=[x], local_grads=[3 * x.data**2], op="cube")
    nodes = {
        "×": x * x,
        "÷": x / 4,
        "−x": -x,
        "σ": x.sigmoid(),
        "tanh": x.tanh(),
        "x²": x**2,  # as the captions write it
        "x^0.5": (x * x) ** 0.5,
        "x^-1": x**-1,
        "x^2.5": (x * x) ** 2.5,
        "xʸ": 2**x,
        "cube": cube,
    }
    for symbol, node in nodes.items():
        source = draw_graph(node).source
        assert op_label(source, topological_order(node).index(node)) == symbol


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
    for meaning in map(message, ROLE_KEYS.values()):
        assert html.escape(meaning) in with_legend
        assert html.escape(meaning) in legend
    assert "gradient &lt; 0" in legend


def test_an_mlp_graph_given_its_model_has_one_box_per_layer() -> None:
    model = MLP(2, [3, 1], seed=0)
    loss = mse_loss(model([1.0, -2.0]), 1.0)
    loss.backward()
    source = draw_graph(loss, model=model).source
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
    # the loss after the output (a − y, its square, ½·…, the constants) belongs to no layer
    order = topological_order(loss)
    boxed = set().union(*layer_boxes(source).values())
    output = model.layers[1].neurons[0].a
    loss_part = {n for n in order if output in _ancestors(n) or n.is_constant}
    assert len(loss_part) == 5  # a − y, (a − y)², ½·(a − y)², and the constants y and ½
    assert boxed == {order.index(n) for n in order if n not in loss_part}


def _ancestors(node: Value) -> set[Value]:
    return set(topological_order(node)) - {node}


def test_a_model_colours_its_parameters_and_params_overrides_it() -> None:
    model = MLP(2, [2, 1], seed=0)
    loss = mse_loss(model([1.0, -2.0]), 1.0)
    order = topological_order(loss)
    parameters = model.parameters()
    source = draw_graph(loss, model=model).source
    for parameter in parameters:
        assert fill_of(source, order.index(parameter)) == FILL[Role.PARAMETER]
    for x in model.inputs:
        assert fill_of(source, order.index(x)) == FILL[Role.INPUT]
    # params= says exactly which leaves are parameters, even with a model
    first = model.layers[0].neurons[0].w[0]
    chosen = draw_graph(loss, model=model, params=[first]).source
    assert fill_of(chosen, order.index(first)) == FILL[Role.PARAMETER]
    other = model.layers[1].neurons[0].b
    assert fill_of(chosen, order.index(other)) == FILL[Role.INPUT]
    assert "cluster_layer1" in chosen  # the layers still come from the model
    # without the model: no layer boxes and no parameters
    plain = draw_graph(loss).source
    assert "cluster_layer" not in plain
    assert f'BGCOLOR="{FILL[Role.PARAMETER]}"' not in plain


def test_a_model_places_unlabelled_intermediates_in_the_layer_they_feed() -> None:
    model = MLP(2, [1], seed=0)
    loss = mse_loss(model([1.0, -2.0]), 1.0)
    neuron = model.layers[0].neurons[0]
    boxes = layer_boxes(draw_graph(loss, model=model).source)
    order = topological_order(loss)
    # z = (W00·x0 + W01·x1) + b: the products and the partial sum feed z, so sit in layer 1
    products = neuron.z.parents[0].parents
    partial = neuron.z.parents[0]
    layer_1 = (*products, partial, neuron.z, neuron.a, *neuron.w, neuron.b)
    assert boxes["cluster_layer1"] == {order.index(node) for node in layer_1}
    assert boxes["cluster_layer0"] == {order.index(x) for x in model.inputs}


@pytest.mark.parametrize(
    "draw",
    [
        lambda root, model, folder: draw_graph(root, model=model),
        lambda root, model, folder: backward_frames(root, model=model),
        lambda root, model, folder: write_step_through(root, folder / "p.html", model=model),
    ],
    ids=["draw_graph", "backward_frames", "write_step_through"],
)
@pytest.mark.parametrize("model", [MLP(2, [1], seed=0).layers[0], "MLP", [Value(1.0)]])
def test_a_model_that_is_not_an_mlp_is_a_type_error(draw, model, tmp_path) -> None:
    root = Value(2.0, "x") * 3
    with pytest.raises(TypeError, match=r"model= takes the nn\.MLP"):
        draw(root, model, tmp_path)
    assert root.grad == 0.0  # refused before any backward step
    assert not list(tmp_path.iterdir())


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
