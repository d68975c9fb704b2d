"""Recognising an MLP in a graph by the labels ``nn`` gives its nodes.

``nn`` labels the inputs ``x[k]``, the weights ``W[l][j][k]``, the biases
``b[l][j]``, and each neuron's ``z[l][j]`` and ``a[l][j]`` (layer ``l`` counts
from 1; the inputs are layer 0, ``a^0 = x``). That is enough to put every node
of layer ``l`` in one box, so the diagram reads left to right like
``z^l = W^l a^{l-1} + b^l``, ``a^l = σ(z^l)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..engine import Value

_LAYERED = re.compile(r"(?:W\[(\d+)\]\[\d+\]\[\d+\]|[bza]\[(\d+)\]\[\d+\])\Z")
_PARAMETER = re.compile(r"(?:W\[\d+\]\[\d+\]\[\d+\]|b\[\d+\]\[\d+\])\Z")
_INPUT = re.compile(r"x\[\d+\]\Z")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_parameter_label(label: str) -> bool:
    """True for ``W[l][j][k]`` and ``b[l][j]``."""
    return _PARAMETER.match(label) is not None


def labelled_layer(label: str) -> int | None:
    """The layer a label names: ``l`` for W, b, z, a of layer ``l``; 0 for ``x[k]``; else None."""
    match = _LAYERED.match(label)
    if match:
        return int(match.group(1) or match.group(2))
    return 0 if _INPUT.match(label) else None


def layers_of(order: Sequence[Value]) -> dict[Value, int]:
    """The layer of every node that belongs to one, given the graph in topological order.

    Labelled nodes say their layer. An unlabelled node (a product ``W·a``, a
    partial sum) belongs to the layer of the node it feeds: walking from the
    root towards the leaves, each node hands its layer to its unlabelled
    parents. Nodes that feed no layer (the loss after the output) get none.
    Returns an empty dict when no weight, bias, z or a label is present.
    """
    layers: dict[Value, int] = {}
    for node in reversed(order):
        own = labelled_layer(node.label)
        if own is not None:
            layers[node] = own
        layer = layers.get(node)
        if layer is None or layer == 0:
            continue
        for parent in node.parents:
            if labelled_layer(parent.label) is None:
                layers[parent] = min(layers.get(parent, layer), layer)
    if not any(layer > 0 for layer in layers.values()):
        return {}
    return layers


def superscript(number: int) -> str:
    """``number`` written as superscript digits: 12 → ¹²."""
    return str(number).translate(_SUPERSCRIPTS)


def layer_title(layer: int, last: int) -> str:
    """The caption of a layer's box, in the notation of docs/backprop.md."""
    if layer == 0:
        return "inputs: a⁰ = x"
    lth, previous = superscript(layer), superscript(layer - 1)
    role = "output layer" if layer == last else "layer"
    return f"{role} {layer}: z{lth} = W{lth}a{previous} + b{lth},  a{lth} = σ(z{lth})"
