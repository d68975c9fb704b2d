"""``draw_network``: an MLP drawn neuron by neuron, with the numbers of BP1–BP4.

TensorFlow Playground draws neurons and weighted links; this view adds the
gradients it never shows. Each neuron ``j`` of layer ``l`` is a box with

    z[l][j]      the pre-activation z^l_j = Σ_k W^l_jk a^{l-1}_k + b^l_j
    a[l][j]      the activation a^l_j = σ(z^l_j)
    b[l][j]      the bias, and ∂C/∂b^l_j, which BP4 says equals δ^l_j
    δ = ∂C/∂z    the error δ^l_j of BP1 (output layer) and BP2 (hidden layers)

and each link from neuron ``k`` of layer ``l-1`` to neuron ``j`` of layer ``l``
shows the weight ``W[l][j][k]`` and ``∂C/∂W = δ^l_j · a^{l-1}_k`` (BP3). Link
width follows |∂C/∂W| (or |W| before any backward pass), colour its sign.

The numbers are read from the model's latest forward pass (``neuron.z``,
``neuron.a``, ``model.inputs``) and backward pass (their ``grad``). Given the
sample's ``target``, the view ends in the cost: the target ``y`` and
``C`` with its formula (``nn.losses.FORMULAS``) and its value. Each link's
label is a box on the link itself, drawn in the link's colour: the link runs
into the box and out of it, so no label can be read as another link's (dot
lays the boxes out as nodes, which never overlap).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Value, format_number, no_grad
from ..engine.i18n import message
from ..nn import MLP, Layer, Neuron, mse_loss
from ..nn.losses import FORMULAS, Loss
from .diagram import Diagram, GraphTooLargeError, in_language, new_diagram
from .layers import layer_title
from .markup import cell, font, label, shorten, table, text, user_text
from .style import (
    FILL,
    FRAME,
    NEGATIVE,
    NEUTRAL,
    NUMBER_FONT,
    POSITIVE,
    Role,
    largest_magnitude,
    pen_width,
    sign_colour,
)

WIDTH_BY = ("auto", "gradient", "weight")
_PORTS = {"LR": ("e", "w"), "RL": ("w", "e"), "TB": ("s", "n"), "BT": ("n", "s")}
"""Which sides of the boxes links leave from and arrive at, so they run between layers."""
DEFAULT_MAX_LINKS = 400

FORWARD_ONLY = "diagram.network_forward_only"
"""The key of the caption of a network drawn before any backward pass."""
AFTER_BACKWARD = "diagram.network_after_backward"
"""The key of the caption of a network drawn after one: where BP1–BP4 are in the picture."""


@in_language
def draw_network(
    model: MLP,
    *,
    rankdir: str = "LR",
    width_by: str = "auto",
    link_labels: bool = True,
    max_links: int = DEFAULT_MAX_LINKS,
    target: float | Sequence[float] | None = None,
    loss: Loss = mse_loss,
    legend: bool = True,
    lang: str | None = None,
) -> Diagram:
    """Draw ``model`` (an ``nn.MLP``) one box per neuron, with z, a, δ and every weight's gradient.

    ``width_by``     what link width shows: ``"gradient"`` |∂C/∂W|, ``"weight"`` |W|, or
                     ``"auto"``: the gradient after a backward pass, else the weight
    ``link_labels``  print W and ∂C/∂W on each link (turn off for wide layers)
    ``max_links``    refuse (``GraphTooLargeError``) a model with more weights than this
    ``target``       the sample's target y: draws y and the cost C, its formula and value
    ``loss``         the loss C was computed with (default ``mse_loss``, C = ½ ‖a^L − y‖²)
    ``legend``       draw the colour legend above the network
    ``lang``         the language of its words, ``"en"`` or ``"zh"`` (default: the current one);
                     the numbers, names and formulas are the same in both

    Labels are shown as :func:`draw_graph` shows them: visible, and cut with ``…``
    past 60 characters a line and 4 lines.

    Call ``model(x)`` first (and ``loss.backward()`` for the gradients):

        >>> from chainrule.nn import MLP
        >>> from chainrule.viz import draw_network
        >>> model = MLP(2, [3, 1], seed=0)
        >>> loss = (model([1.0, -2.0]) - 1.0) ** 2
        >>> loss.backward()
        >>> "δ = ∂C/∂z" in draw_network(model).source
        True
    """
    layers = _checked_layers(model)
    if width_by not in WIDTH_BY:
        choices = ", ".join(WIDTH_BY)
        raise ValueError(
            message("diagram.unknown_width_by", width_by=repr(width_by), choices=choices)
        )
    links = sum(len(neuron.w) for layer in layers for neuron in layer.neurons)
    if links > max_links:
        raise GraphTooLargeError(
            message("diagram.network_too_many_links", links=links, limit=max_links)
        )
    backward_done = any(neuron.z.grad != 0.0 for layer in layers for neuron in layer.neurons)
    by_gradient = width_by == "gradient" or (width_by == "auto" and backward_done)
    diagram = new_diagram(rankdir)
    caption = message(AFTER_BACKWARD if backward_done else FORWARD_ONLY)
    diagram.attr(label=label(text(caption)), labelloc="t")
    if legend:
        diagram.node("legend", label=label(_legend()), shape="plain", id="legend")
    diagram.attr("node", shape="plain")
    diagram.attr(ranksep="0.5" if link_labels else "1.1")  # a label box is a rank of its own

    last = len(layers)
    with diagram.subgraph(name="cluster_layer0") as box:
        _layer_box(box, 0, last)
        for k, x in enumerate(model.inputs):
            rows = [[cell(f"<B>{user_text(x.label)}</B>"), _number_cell(x.data)]]
            box.node(
                f"x{k}", label=label(table(rows, lines=FRAME, bgcolor=FILL[Role.INPUT])), id=f"x{k}"
            )
    for number, layer in enumerate(layers, start=1):
        with diagram.subgraph(name=f"cluster_layer{number}") as box:
            _layer_box(box, number, last)
            for j, neuron in enumerate(layer.neurons):  # every neuron is computed; C is the output
                rows = _neuron_rows(neuron, backward_done)
                name = f"n{number}_{j}"
                fill = FILL[Role.COMPUTED]
                box.node(name, label=label(table(rows, lines=FRAME, bgcolor=fill)), id=name)
    if target is not None:
        _cost(diagram, layers[-1], target, loss, rankdir)

    # left to right, each link leaves a neuron's a row and enters the next one's z row,
    # as in z^l = W^l a^{l-1} + b^l
    tail, head = _PORTS[rankdir]
    into = f"z:{head}" if rankdir == "LR" else head
    weights = [w for layer in layers for neuron in layer.neurons for w in neuron.w]
    largest = largest_magnitude(w.grad if by_gradient else w.data for w in weights)
    for number, layer in enumerate(layers, start=1):
        source = "x{k}" if number == 1 else f"n{number - 1}_{{k}}"
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                shown = w.grad if by_gradient else w.data
                colour = sign_colour(shown)
                link = {"color": colour, "penwidth": str(pen_width(shown, largest))}
                name = f"w{number}_{j}_{k}"
                start = {"tailport": f"a:{tail}" if number > 1 and rankdir == "LR" else tail}
                if not link_labels:
                    diagram.edge(
                        source.format(k=k),
                        f"n{number}_{j}",
                        **start,
                        headport=into,
                        **link,
                        id=name,
                    )
                    continue
                # The label is a box on the link itself: the link runs into it and out of it,
                # so dot lays the labels out as nodes (never overlapping, each on its own
                # path) and no label can be read as another link's.
                lines = [f"{shorten(w.label)} = {format_number(w.data)}"]
                if backward_done:
                    lines.append(f"∂C/∂W = {format_number(w.grad)}")
                markup = font("<BR/>".join(map(text, lines)), colour=colour, face=NUMBER_FONT)
                box = f"{name}_label"
                diagram.node(
                    box,
                    label=label(markup),
                    shape="box",
                    style="rounded,filled",
                    fillcolor="white",
                    color=colour,
                    margin="0.06,0.03",
                    id=box,
                )
                diagram.edge(
                    source.format(k=k),
                    box,
                    **start,
                    headport=head,
                    arrowhead="none",
                    **link,
                    id=f"{name}_in",
                )
                diagram.edge(box, f"n{number}_{j}", tailport=tail, headport=into, **link, id=name)
    return diagram


def _cost(diagram: Diagram, output: Layer, target: object, loss: Loss, rankdir: str) -> None:
    """The box after the output layer: the target y and the cost C, its formula and value."""
    outputs = [neuron.a for neuron in output.neurons]
    targets = _targets(target, len(outputs))
    with no_grad():
        cost = loss(outputs[0] if len(outputs) == 1 else outputs, target)
    formula = FORMULAS.get(loss, "C")
    tail, _ = _PORTS[rankdir]
    with diagram.subgraph(name="cluster_cost") as box:
        box.attr(
            label=label(text(message("diagram.network_cost"))),
            id="cost",
            style="rounded",
            color="#cbd5e1",
            bgcolor="#f8fafc",
            fontsize="11",
        )
        for j, y in enumerate(targets):
            rows = [[cell(f"<B>y{text(_subscript(j))}</B>"), _number_cell(y)]]
            box.node(f"y{j}", label=label(table(rows, lines=FRAME, bgcolor=FILL[Role.INPUT])))
        rows = [[cell(f"<B>{text(formula)}</B>")], [_number_cell(cost.data)]]
        box.node("C", label=label(table(rows, lines=FRAME, bgcolor=FILL[Role.OUTPUT])), id="C")
    for j, neuron in enumerate(output.neurons):
        port = f"a:{tail}" if rankdir == "LR" else tail
        diagram.edge(_neuron_id(neuron), "C", tailport=port, color=NEUTRAL, id=f"cost_a{j}")
    for j in range(len(targets)):
        diagram.edge(f"y{j}", "C", color=NEUTRAL, id=f"cost_y{j}")


def _neuron_id(neuron: Neuron) -> str:
    return f"n{neuron.layer}_{neuron.index}"


def _targets(target: object, count: int) -> list[float]:
    """The target as numbers, one per output (a class index stays one number)."""
    values = list(target) if isinstance(target, Sequence) else [target]
    numbers = [y.data if isinstance(y, Value) else y for y in values]
    if not all(isinstance(y, int | float) and not isinstance(y, bool) for y in numbers):
        raise TypeError(message("diagram.target_not_numbers", shown=f"{target!r:.80}"))
    if len(numbers) not in (1, count):
        raise ValueError(message("diagram.target_count", count=count))
    return [float(y) for y in numbers]


def _subscript(j: int) -> str:
    return str(j).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _legend() -> str:
    """The network view's legend: what each fill and each link colour and width mean."""
    swatch = "&#160;" * 4
    items = [
        (cell(swatch, bgcolor=FILL[Role.INPUT]), "input"),
        (cell(swatch, bgcolor=FILL[Role.PARAMETER]), "bias"),
        (cell(swatch, bgcolor=FILL[Role.COMPUTED]), "neuron"),
        (cell(swatch, bgcolor=FILL[Role.OUTPUT]), "cost"),
        (cell(f'<FONT COLOR="{POSITIVE}">━━━</FONT>'), "positive"),
        (cell(f'<FONT COLOR="{NEGATIVE}">━━━</FONT>'), "negative"),
        (cell("━"), "wider"),
        (cell("▭"), "box"),
    ]
    rows = [[cell(f"<B>{text(message('diagram.legend_title'))}</B>", colspan=2)]]
    rows += [
        [swatch_cell, cell(text(message(f"diagram.network_legend_{entry}")), align="LEFT")]
        for swatch_cell, entry in items
    ]
    return table(rows, lines=FRAME, border=1)


def _checked_layers(model: MLP) -> list[Layer]:
    if not isinstance(model, MLP):
        kind, shown = type(model).__name__, f"{model!r:.80}"
        raise TypeError(message("diagram.network_not_a_model", kind=kind, shown=shown))
    layers = model.layers
    neurons = [neuron for layer in layers for neuron in layer.neurons]
    if model.inputs is None or any(neuron.z is None or neuron.a is None for neuron in neurons):
        raise ValueError(message("diagram.network_forward_first"))
    return list(layers)


def _layer_box(box: Diagram, layer: int, last: int) -> None:
    box.attr(
        label=label(text(layer_title(layer, last))),
        id=f"layer{layer}",
        style="rounded",
        color="#cbd5e1",
        bgcolor="#f8fafc",
        fontsize="11",
    )


def _neuron_rows(neuron: Neuron, backward_done: bool) -> list[list[str]]:
    z, a, b = neuron.z, neuron.a, neuron.b  # never None here: _checked_layers made sure
    rows = [
        [cell(user_text(z.label), port="z"), _number_cell(z.data)],
        [
            cell(f"{user_text(a.label)} = {user_text(neuron.activation)}(z)"),
            _number_cell(a.data, port="a"),
        ],
        [cell(user_text(b.label), bgcolor=FILL[Role.PARAMETER]), _number_cell(b.data)],
    ]
    if backward_done:
        rows.append([cell("∂C/∂b"), _number_cell(b.grad, signed=True)])
        rows.append([cell("<B>δ = ∂C/∂z</B>"), _number_cell(z.grad, signed=True)])
    else:
        waiting = text(message("diagram.network_no_backward"))
        rows.append([cell("δ = ∂C/∂z"), cell(font(waiting, colour=NEUTRAL))])
    return rows


def _number_cell(value: float, *, signed: bool = False, port: str | None = None) -> str:
    colour = sign_colour(value) if signed else None
    number = font(text(format_number(value)), colour=colour, face=NUMBER_FONT)
    return cell(number, align="RIGHT", **({"port": port} if port else {}))
