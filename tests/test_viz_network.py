"""draw_network: the MLP neuron by neuron, with z, a, δ and ∂C/∂W from the latest passes."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from chainrule.engine import Value, format_number
from chainrule.nn import MLP, bce_loss, mse_loss
from chainrule.viz import GraphTooLargeError, draw_network
from chainrule.viz.network_diagram import AFTER_BACKWARD, FORWARD_ONLY
from chainrule.viz.style import FILL, Role


def trained_one_step() -> MLP:
    model = MLP(2, [3, 1], seed=0)
    mse_loss(model([1.0, -2.0]), 1.0).backward()
    return model


def node_markup(source: str, name: str) -> str:
    line = next(line for line in source.splitlines() if line.strip().startswith(f"{name} ["))
    return html.unescape(re.sub(r"<[^>]+>", " ", line))


def test_each_neuron_shows_z_a_bias_and_delta() -> None:
    model = trained_one_step()
    source = draw_network(model).source
    assert AFTER_BACKWARD in html.unescape(source)
    for n, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            text = node_markup(source, f"n{n}_{j}")
            assert f"z[{n}][{j}]" in text and format_number(neuron.z.data) in text
            assert f"a[{n}][{j}] = {neuron.activation}(z)" in text
            assert format_number(neuron.a.data) in text
            assert f"b[{n}][{j}]" in text and format_number(neuron.b.data) in text
            # δ = ∂C/∂z is z's grad, and BP4 says ∂C/∂b equals it.
            delta = format_number(neuron.z.grad)
            assert re.search(rf"∂C/∂b\s+{re.escape(delta)}\s", text)
            assert re.search(rf"δ = ∂C/∂z\s+{re.escape(delta)}\s", text)


def test_each_link_shows_its_weight_and_gradient() -> None:
    model = trained_one_step()
    source = html.unescape(draw_network(model).source)
    for n, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                tail = f"x{k}" if n == 1 else f"n{n - 1}_{k}"
                line = next(
                    line
                    for line in source.splitlines()
                    if line.strip().startswith(tail + " ->") and f"id=w{n}_{j}_{k}" in line
                )
                assert f"-> n{n}_{j}" in line
                assert f"W[{n}][{j}][{k}] = {format_number(w.data)}" in line
                assert f"∂C/∂W = {format_number(w.grad)}" in line


def test_links_run_from_a_rows_into_z_rows_left_to_right() -> None:
    # z^l = W^l a^{l-1} + b^l: a link leaves a^{l-1} (an input x for l = 1) and enters z^l
    source = draw_network(trained_one_step()).source
    edges = {line.split(" [")[0].strip(): line for line in source.splitlines() if " -> " in line}
    assert 'headport="z:w"' in edges["x0 -> n1_0"] and "tailport=e" in edges["x0 -> n1_0"]
    assert 'headport="z:w"' in edges["n1_2 -> n2_0"]
    assert 'tailport="a:e"' in edges["n1_2 -> n2_0"]
    assert 'PORT="z"' in source and 'PORT="a"' in source
    top_down = draw_network(trained_one_step(), rankdir="TB").source
    assert "z:" not in top_down.replace("z[", "")  # ports only where rows face the links


def test_inputs_and_layers_are_boxed_in_order() -> None:
    source = draw_network(trained_one_step()).source
    assert re.findall(r"subgraph (cluster_layer\d)", source) == [
        "cluster_layer0",
        "cluster_layer1",
        "cluster_layer2",
    ]
    assert "x[1]" in node_markup(source, "x1") and "-2.0" in node_markup(source, "x1")


def test_before_backward_it_says_forward_only_and_widths_follow_the_weights() -> None:
    model = MLP(2, [2, 1], seed=1)
    model([0.5, 0.25])
    source = draw_network(model, legend=False).source
    assert FORWARD_ONLY in html.unescape(source)
    body = html.unescape(source).replace(FORWARD_ONLY, "")  # the caption names what is missing
    assert "∂C/∂W" not in body and "∂C/∂b" not in body
    assert "no backward yet" in source
    # link width follows |W|: the largest |W| gets the widest link, the smallest the thinnest
    weights = {
        f"w{n}_{j}_{k}": abs(w.data)
        for n, layer in enumerate(model.layers, start=1)
        for j, neuron in enumerate(layer.neurons)
        for k, w in enumerate(neuron.w)
    }
    widths = {
        re.search(r"\bid=(w[\d_]+)", line).group(1): float(
            re.search(r"\bpenwidth=([\d.]+)", line).group(1)
        )
        for line in source.splitlines()
        if " -> " in line
    }
    assert widths.keys() == weights.keys()
    assert max(widths, key=widths.get) == max(weights, key=weights.get)
    assert min(widths, key=widths.get) == min(weights, key=weights.get)
    by_weight = sorted(weights, key=weights.get)
    assert [widths[link] for link in by_weight] == sorted(widths.values())


def test_link_labels_can_be_turned_off() -> None:
    source = draw_network(trained_one_step(), link_labels=False).source
    assert "W[1][0][0] =" not in source


@pytest.mark.parametrize(
    ("model", "kwargs", "error", "words"),
    [
        (MLP(2, [1], seed=0), {}, ValueError, "forward pass"),
        (Value(1.0), {}, TypeError, "nn.MLP"),
        ("model", {}, TypeError, "nn.MLP"),
        (SimpleNamespace(layers=MLP(2, [1], seed=0).layers, inputs=[]), {}, TypeError, "nn.MLP"),
        (trained_one_step(), {"width_by": "size"}, ValueError, "width_by"),
        (trained_one_step(), {"rankdir": "up"}, ValueError, "rankdir"),
        (trained_one_step(), {"max_links": 5}, GraphTooLargeError, "9 weights"),
    ],
)
def test_bad_input_gets_a_specific_error(model, kwargs, error, words) -> None:
    with pytest.raises(error, match=words):
        draw_network(model, **kwargs)


def test_the_cost_box_shows_the_target_and_c_with_its_formula_and_value() -> None:
    # one sample through a 2-2-1 network, C = ½(a − y)² with y = 0.25
    model = MLP(2, [2, 1], seed=1)
    output = model([0.5, 0.25])
    cost = mse_loss(output, 0.25)
    cost.backward()
    source = html.unescape(draw_network(model, target=0.25).source)
    assert "C = ½ ‖a^L − y‖²" in source and "y₀" in source
    assert format_number(cost.data) in source
    assert format_number(0.5 * (output.data - 0.25) ** 2) == format_number(cost.data)
    # the output neuron is a neuron (white); only C has the output's colour
    neuron_line = next(line for line in source.splitlines() if line.strip().startswith("n2_0 "))
    cost_line = next(line for line in source.splitlines() if line.strip().startswith("C "))
    assert FILL[Role.COMPUTED] in neuron_line and FILL[Role.OUTPUT] not in neuron_line
    assert FILL[Role.OUTPUT] in cost_line
    assert "cost_a0" in source and "cost_y0" in source


def test_another_loss_names_its_own_formula() -> None:
    model = MLP(2, [2, 1], seed=1)
    logit = model([0.5, 0.25])
    cost = bce_loss(logit, 1.0)
    cost.backward()
    source = html.unescape(draw_network(model, target=1.0, loss=bce_loss).source)
    assert "C = softplus(a^L) − y·a^L" in source and format_number(cost.data) in source


def test_a_legend_by_default_and_each_link_label_tied_to_its_link() -> None:
    model = MLP(2, [2, 1], seed=1)
    mse_loss(model([0.5, 0.25]), 0.0).backward()
    source = draw_network(model).source
    assert "legend" in source and "link: ∂C/∂W &gt; 0" in source
    for line in source.splitlines():
        if " -> " in line and "id=w" in line:
            colour = re.search(r'\bcolor="(#[0-9a-f]+)"', line).group(1)
            assert "decorate=true" in line and f'fontcolor="{colour}"' in line, line


def test_a_bad_target_is_refused_with_what_to_give() -> None:
    model = MLP(2, [2, 2], seed=1)
    model([0.5, 0.25])
    with pytest.raises(ValueError, match="needs 2 numbers"):
        draw_network(model, target=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="takes numbers"):
        draw_network(model, target="y")
