"""draw_network: the MLP neuron by neuron, with z, a, δ and ∂C/∂W from the latest passes."""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from chainrule.engine import Value, format_number
from chainrule.engine.i18n import message
from chainrule.nn import MLP, bce_loss, bp_check, mse_loss
from chainrule.viz import GraphTooLargeError, draw_network, render
from chainrule.viz.network_diagram import AFTER_BACKWARD as AFTER_BACKWARD_KEY
from chainrule.viz.network_diagram import FORWARD_ONLY as FORWARD_ONLY_KEY
from chainrule.viz.style import FILL, Role

from chainrule import bp_check_command

AFTER_BACKWARD = message(AFTER_BACKWARD_KEY, lang="en")
FORWARD_ONLY = message(FORWARD_ONLY_KEY, lang="en")


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


def edge_lines(source: str) -> dict[str, str]:
    """Each edge's line of the DOT source, by its ``tail -> head``."""
    return {line.split(" [")[0].strip(): line for line in source.splitlines() if " -> " in line}


def test_each_link_shows_its_weight_and_gradient_on_a_box_it_runs_through() -> None:
    model = trained_one_step()
    source = html.unescape(draw_network(model).source)
    edges = edge_lines(source)
    for n, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                tail = f"x{k}" if n == 1 else f"n{n - 1}_{k}"
                box = f"w{n}_{j}_{k}_label"
                # the link runs from a^{l-1}_k into its label's box, and out of it into z^l_j
                assert f"id=w{n}_{j}_{k}_in" in edges[f"{tail} -> {box}"]
                assert "arrowhead=none" in edges[f"{tail} -> {box}"]
                assert f"id=w{n}_{j}_{k} " in edges[f"{box} -> n{n}_{j}"]
                text = node_markup(source, box)
                assert f"W[{n}][{j}][{k}] = {format_number(w.data)}" in text
                assert f"∂C/∂W = {format_number(w.grad)}" in text


def test_links_run_from_a_rows_into_z_rows_left_to_right() -> None:
    # z^l = W^l a^{l-1} + b^l: a link leaves a^{l-1} (an input x for l = 1) and enters z^l
    source = draw_network(trained_one_step()).source
    edges = edge_lines(source)
    assert "tailport=e" in edges["x0 -> w1_0_0_label"]
    assert 'headport="z:w"' in edges["w1_0_0_label -> n1_0"]
    assert 'tailport="a:e"' in edges["n1_2 -> w2_0_2_label"]
    assert 'headport="z:w"' in edges["w2_0_2_label -> n2_0"]
    assert 'PORT="z"' in source and 'PORT="a"' in source
    plain = edge_lines(draw_network(trained_one_step(), link_labels=False).source)
    assert 'headport="z:w"' in plain["x0 -> n1_0"] and "tailport=e" in plain["x0 -> n1_0"]
    assert 'tailport="a:e"' in plain["n1_2 -> n2_0"]
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
        re.search(r"\bid=(w\d+_\d+_\d+)(?:_in)?[\s\]]", line).group(1): float(
            re.search(r"\bpenwidth=([\d.]+)", line).group(1)
        )
        for line in source.splitlines()
        if " -> " in line  # into its label's box and out of it: the same width
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


def test_a_legend_by_default_and_each_link_label_in_its_links_colour() -> None:
    model = MLP(2, [2, 1], seed=1)
    mse_loss(model([0.5, 0.25]), 0.0).backward()
    source = draw_network(model).source
    assert "legend" in source and "link: ∂C/∂W &gt; 0" in source
    edges = edge_lines(source)
    for n, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k in range(len(neuron.w)):
                box = f"w{n}_{j}_{k}_label"
                colours = {
                    re.search(r'\bcolor="(#[0-9a-f]+)"', line).group(1)
                    for tail_head, line in edges.items()
                    if box in tail_head.split(" -> ")
                }
                assert len(colours) == 1, colours  # in and out of the box: one link, one colour
                (colour,) = colours
                line = next(line for line in source.splitlines() if line.strip().startswith(box))
                assert f'color="{colour}"' in line and f'COLOR="{colour}"' in line, line


def test_a_bad_target_is_refused_with_what_to_give() -> None:
    model = MLP(2, [2, 2], seed=1)
    model([0.5, 0.25])
    with pytest.raises(ValueError, match="needs 2 numbers"):
        draw_network(model, target=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="takes numbers"):
        draw_network(model, target="y")


# --- legibility: every link label is read as its own link's, in the rendered picture ----------

SVG = "{http://www.w3.org/2000/svg}"
LINK_ID = re.compile(r"^(w\d+_\d+_\d+)(?:_in|_label)?$")


def _bezier_points(d: str, steps: int = 24) -> list[tuple[float, float]]:
    """Points along an SVG path of dot's form ``M x,y C x,y x,y x,y …`` (cubic pieces)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    xy = list(zip(numbers[::2], numbers[1::2], strict=True))
    points = [xy[0]]
    for i in range(1, len(xy) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = xy[i - 1], xy[i], xy[i + 1], xy[i + 2]
        for step in range(1, steps + 1):
            t = step / steps
            u = 1 - t
            points.append(
                (
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                )
            )
    return points


def _distance(point: tuple[float, float], box: tuple[float, float, float, float]) -> float:
    (x, y), (left, top, right, bottom) = point, box
    return math.hypot(max(left - x, 0, x - right), max(top - y, 0, y - bottom))


def link_labels_and_paths(svg: str) -> tuple[dict[str, tuple], dict[str, list]]:
    """Each link's label box (the extent of its W and ∂C/∂W texts) and the points of its path.

    Read from the picture only, whatever draws the labels: a text is a link's label when it
    says ``W[l][j][k] = …`` or ``∂C/∂W = …`` inside a group whose id names the link.
    """
    root = ET.fromstring(svg.encode("utf-8"))
    boxes: dict[str, tuple[float, float, float, float]] = {}
    paths: dict[str, list[tuple[float, float]]] = {}
    for group in root.iter(f"{SVG}g"):
        match = LINK_ID.match(group.get("id") or "")
        if not match:
            continue
        link = match.group(1)
        for element in group.iter(f"{SVG}text"):
            words = element.text or ""
            if not re.match(r"(W\[\d+\]\[\d+\]\[\d+\]|∂C/∂W) = ", words):
                continue
            size = float(element.get("font-size"))
            x, y = float(element.get("x")), float(element.get("y"))
            width = 0.6 * size * len(words)  # a monospace font: 0.6 em a character
            left = {"start": x, "middle": x - width / 2, "end": x - width}[
                element.get("text-anchor", "start")
            ]
            box = (left, y - 0.8 * size, left + width, y + 0.25 * size)
            old = boxes.get(link, box)
            boxes[link] = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]),
                           max(old[3], box[3]))  # fmt: skip
        if group.get("class") == "edge":
            for path in group.iter(f"{SVG}path"):
                paths.setdefault(link, []).extend(_bezier_points(path.get("d")))
    return boxes, paths


def legibility_problems(svg: str, margin: float = 3.0) -> list[str]:
    """Why some link label could be read as another link's; [] when none could.

    Each label must be nearer its own link than any other link's path, no other link may
    pass within ``margin`` points of it, and no two labels may overlap.
    """
    boxes, paths = link_labels_and_paths(svg)
    problems = []
    for link, box in boxes.items():
        own = min(_distance(p, box) for p in paths[link])
        for other, points in paths.items():
            if other == link:
                continue
            near = min(_distance(p, box) for p in points)
            if near <= own or near < margin:
                problems.append(
                    f"{link}'s label is {near:.1f} pt from {other} ({own:.1f} from its own)"
                )
    for first, a in boxes.items():
        for second, b in boxes.items():
            if first < second and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                problems.append(f"the labels of {first} and {second} overlap")
    return problems


def demo_network() -> tuple[MLP, list[float]]:
    """The network of `chainrule demo`'s picture: a 2-3-1 sigmoid MLP after one sample."""
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
    x, y = bp_check_command.random_sample(model, seed=1)
    bp_check(model, x, y)
    return model, y


def wider_network() -> tuple[MLP, list[float]]:
    model = MLP(3, [4, 4, 2], seed=5)
    mse_loss(model([0.5, -1.0, 2.0]), [1.0, 0.0]).backward()
    return model, [1.0, 0.0]


def test_the_legibility_check_finds_a_label_on_the_wrong_link() -> None:
    # two links crossing one label: it is on w1_0_0's path, and w1_0_1 runs through it too
    svg = (
        f'<svg xmlns="{SVG[1:-1]}">'
        '<g id="w1_0_0" class="edge"><path d="M0,0C10,0 90,0 100,0"/>'
        '<text x="10" y="4" font-size="10">W[1][0][0] = 1</text></g>'
        '<g id="w1_0_1" class="edge"><path d="M50,-50C50,-20 50,20 50,50"/></g></svg>'
    )
    assert "w1_0_0's label is 0.0 pt from w1_0_1" in " ".join(legibility_problems(svg))
    moved = svg.replace("M50,-50C50,-20 50,20 50,50", "M200,-50C200,-20 200,20 200,50")
    assert legibility_problems(moved) == []


@pytest.mark.needs_dot
@pytest.mark.parametrize("network", [demo_network, wider_network], ids=["demo", "3-4-4-2"])
def test_every_link_label_is_read_as_its_own_links_in_the_picture(network, tmp_path) -> None:
    model, target = network()
    svg = render(draw_network(model, target=target), tmp_path / "network.svg", format="svg")
    text = svg.read_text(encoding="utf-8")
    boxes, _ = link_labels_and_paths(text)
    assert len(boxes) == sum(len(n.w) for layer in model.layers for n in layer.neurons)
    assert legibility_problems(text) == []
