"""An MLP's layers in its graph, read from the model itself (``nn.MLP``), never from labels.

A model says where each of its nodes belongs: ``model.inputs`` are layer 0
(``a^0 = x``), and each neuron of ``model.layers[l - 1]`` holds its weights
``w``, bias ``b`` and the ``z`` and ``a`` of its latest forward pass, all in
layer ``l``. That is enough to put every node of layer ``l`` in one box, so
the diagram reads left to right like ``z^l = W^l a^{l-1} + b^l``,
``a^l = σ(z^l)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Value
from ..engine.i18n import message
from ..nn import MLP

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def check_model(model: object, caller: str) -> MLP | None:
    """``model`` if it is ``None`` or an ``nn.MLP``, else a ``TypeError`` naming ``caller``."""
    if model is None or isinstance(model, MLP):
        return model
    kind, shown = type(model).__name__, f"{model!r:.80}"
    raise TypeError(message("diagram.not_a_model", caller=caller, kind=kind, shown=shown))


def model_layers(model: MLP) -> dict[Value, int]:
    """The layer of each node the model knows: its inputs (0), and every neuron's w, b, z, a."""
    layers: dict[Value, int] = {}
    for x in model.inputs or ():
        layers[x] = 0
    for number, layer in enumerate(model.layers, start=1):
        for neuron in layer.neurons:
            for node in (*neuron.w, neuron.b, neuron.z, neuron.a):
                if node is not None:
                    layers[node] = number
    return layers


def layers_of(order: Sequence[Value], model: MLP) -> dict[Value, int]:
    """The layer of every node of a graph (given in topological order) that belongs to one.

    Nodes of the model say their layer (:func:`model_layers`). Any other node
    (a product ``W·a``, a partial sum) belongs to the layer of the node it
    feeds: walking from the root towards the leaves, each node hands its layer
    to its parents the model does not know. Nodes that feed no layer (the loss
    after the output) get none. Returns an empty dict when no node of the
    graph is in a layer above 0.
    """
    known = model_layers(model)
    in_graph = set(order)
    layers = {node: layer for node, layer in known.items() if node in in_graph}
    for node in reversed(order):
        layer = layers.get(node)
        if layer is None or layer == 0:
            continue
        for parent in node.parents:
            if parent not in known:
                layers[parent] = min(layers.get(parent, layer), layer)
    if not any(layer > 0 for layer in layers.values()):
        return {}
    return layers


def superscript(number: int) -> str:
    """``number`` written as superscript digits: 12 → ¹²."""
    return str(number).translate(_SUPERSCRIPTS)


def layer_title(layer: int, last: int) -> str:
    """The caption of a layer's box, in the notation of docs/backprop.md, in the current
    language: ``layer 1: z¹ = W¹a⁰ + b¹,  a¹ = σ(z¹)``, ``第 1 层：z¹ = …``."""
    if layer == 0:
        return message("diagram.layer_inputs")
    lth, previous = superscript(layer), superscript(layer - 1)
    formula = f"z{lth} = W{lth}a{previous} + b{lth},  a{lth} = σ(z{lth})"
    key = "diagram.layer_output" if layer == last else "diagram.layer_hidden"
    return message(key, number=layer, formula=formula)
