"""A multilayer perceptron made of scalar ``Value`` nodes, in the notation of BP1–BP4.

Layer ``l = 1 … L`` computes, for each of its neurons ``j``,

    z^l_j = Σ_k W^l_jk a^{l-1}_k + b^l_j        a^l_j = σ(z^l_j)        (a^0 = x)

and every node carries that name as its label: ``x[k]``, ``W[l][j][k]``,
``b[l][j]``, ``z[l][j]``, ``a[l][j]`` (layers 1-based, neurons and inputs
0-based). After ``C.backward()`` the node ``z[l][j]`` holds δ^l_j = ∂C/∂z^l_j
in its ``grad``.

    >>> from chainrule.nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> model
    MLP(2 → 3 tanh → 1 linear)
    >>> model.layers[0].neurons[2].w[1].label
    'W[1][2][1]'
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from numbers import Real

from ..engine import Value
from . import serialize
from .activations import ACTIVATIONS, check_activation
from .init import INITS, check_init

Input = Value | float


class Module:
    """Anything with trainable parameters: each is a ``Value`` named by its label."""

    def parameters(self) -> list[Value]:
        """Every weight and bias, in a fixed order (layer by layer, neuron by neuron)."""
        return []

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(label, parameter)`` pairs, e.g. ``("W[1][0][1]", w)``."""
        return [(p.label, p) for p in self.parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (leaves accumulate across ``backward()`` calls)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """Neuron ``j`` of layer ``l``: z^l_j = Σ_k W^l_jk a^{l-1}_k + b^l_j, a^l_j = σ(z^l_j).

    ``w[k]`` is the weight W^l_jk and ``b`` the bias b^l_j, drawn as ``init`` says
    (``nn.init.INITS``, with n_in = ``nin`` and n_out = ``fan_out``, the width of its
    layer): by default both from U(−1/√nin, 1/√nin) (PyTorch's default for a linear
    layer). ``z`` and ``a`` are the nodes of the latest forward pass (``None`` before the
    first).
    """

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        layer: int = 1,
        index: int = 0,
        rng: random.Random | None = None,
        init: str = "uniform",
        fan_out: int = 1,
    ) -> None:
        _check_count(nin, "Neuron nin (its number of inputs)", minimum=1)
        _check_count(fan_out, "Neuron fan_out (the width of its layer)", minimum=1)
        _check_count(layer, "Neuron layer (the 1-based layer number l)", minimum=1)
        _check_count(index, "Neuron index (the 0-based position j in its layer)", minimum=0)
        self.activation = check_activation(activation)
        self.layer, self.index = layer, index
        rng = rng if rng is not None else random.Random()
        start = INITS[check_init(init)]
        bound = start.bound(nin, fan_out)
        self.w = [
            Value(rng.uniform(-bound, bound), f"W[{layer}][{index}][{k}]") for k in range(nin)
        ]
        self.b = Value(rng.uniform(-bound, bound) if start.bias else 0.0, f"b[{layer}][{index}]")
        self.z: Value | None = None
        self.a: Value | None = None
        self._sigma = ACTIVATIONS[activation]
        self._z_label, self._a_label = f"z[{layer}][{index}]", f"a[{layer}][{index}]"

    def __call__(self, inputs: Sequence[Input]) -> Value:
        """The activation a^l_j for the inputs a^{l-1} (Values or numbers, one per weight)."""
        return self._forward(_checked_inputs(inputs, len(self.w), repr(self)))

    def _forward(self, inputs: Sequence[Input]) -> Value:
        w = self.w
        z = w[0] * inputs[0]
        for k in range(1, len(w)):
            z = z + w[k] * inputs[k]
        z = z + self.b
        z.label = self._z_label
        a = self._sigma(z)
        a.label = self._a_label
        self.z, self.a = z, a
        return a

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron(l={self.layer}, j={self.index}: {len(self.w)} inputs, {self.activation})"


class Layer(Module):
    """Layer ``l``: z^l = W^l a^{l-1} + b^l and a^l = σ(z^l); neuron ``j`` holds row j of W^l."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        *,
        layer: int = 1,
        rng: random.Random | None = None,
        init: str = "uniform",
    ) -> None:
        _check_count(nout, "Layer nout (its number of neurons)", minimum=1)
        self.activation = check_activation(activation)
        self.layer = layer
        rng = rng if rng is not None else random.Random()
        self.neurons = [
            Neuron(nin, activation, layer=layer, index=j, rng=rng, init=init, fan_out=nout)
            for j in range(nout)
        ]

    def __call__(self, inputs: Sequence[Input]) -> list[Value]:
        """The activations a^l, one per neuron, for the inputs a^{l-1}."""
        return self._forward(_checked_inputs(inputs, len(self.neurons[0].w), repr(self)))

    def _forward(self, inputs: Sequence[Input]) -> list[Value]:
        return [neuron._forward(inputs) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        nin, nout = len(self.neurons[0].w), len(self.neurons)
        return f"Layer(l={self.layer}: {nin} → {nout}, {self.activation})"


class MLP(Module):
    """A fully connected network: ``nin`` inputs, then one layer per entry of ``nouts``.

    Hidden layers use ``activation``: one name for all of them, or a list of names, one
    per hidden layer (``["relu", "tanh"]`` for ``nouts=[8, 8, 1]``); the last layer uses
    ``output_activation``. ``model.activation`` is what was given (a name or a list) and
    ``model.hidden_activations`` the name of each hidden layer's σ, in order.
    ``init`` names how the weights start (``nn.init.INITS``: ``"uniform"``, ``"xavier"``,
    ``"he"``, each a documented bound r of U(−r, r)).
    The same ``seed`` gives the same initial weights. ``model.layers[l - 1]``
    is layer ``l``; ``model.inputs`` holds the ``x[k]`` nodes of the latest
    forward pass (``None`` before the first).

    Two notes travel with the model in its file (:meth:`save`, :meth:`load`), ``None``
    when unknown: ``features``, the feature ids (``nn.FEATURES``) its inputs are made of,
    in order (a playground model on x₁² and sin x₁, say: ``featurize(point, model.features)``
    gives its input), and ``loss``, the name in ``nn.losses.LOSSES`` it was trained with
    (which says how to read its output: a logit for ``"bce"``).
    """

    features: tuple[str, ...] | None = None
    loss: str | None = None

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | Sequence[str] = "tanh",
        output_activation: str = "linear",
        seed: int | None = None,
        init: str = "uniform",
    ) -> None:
        _check_count(nin, "MLP nin (the number of inputs)", minimum=1)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Iterable):
            raise TypeError(
                f"MLP nouts must be a list of layer widths, e.g. [16, 16, 1]; got "
                f"{type(nouts).__name__}: {nouts!r:.80}"
            )
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP nouts is empty: give at least one layer width, e.g. [1]")
        for i, nout in enumerate(nouts):
            _check_count(nout, f"MLP nouts[{i}] (the width of layer {i + 1})", minimum=1)
        hidden_activations = _per_layer(activation, len(nouts) - 1)
        check_activation(output_activation)
        check_init(init)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"MLP seed must be an int or None, got {type(seed).__name__}: {seed!r}")
        self.nin, self.nouts = nin, nouts
        self.activation: str | list[str] = (
            activation if isinstance(activation, str) else list(hidden_activations)
        )
        self.hidden_activations = hidden_activations
        self.output_activation, self.init = output_activation, init
        rng = random.Random(seed)
        widths = [nin, *nouts]
        sigmas = [*hidden_activations, output_activation]
        self.layers = [
            Layer(widths[i], widths[i + 1], sigmas[i], layer=i + 1, rng=rng, init=init)
            for i in range(len(nouts))
        ]
        self.inputs: list[Value] | None = None

    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        """Forward pass: a^L for the input x, one Value if the last layer has one neuron.

        Numbers become leaf nodes labelled ``x[k]``; Values passed in are used
        as they are (and labelled ``x[k]`` if they have no label).
        """
        checked = _checked_inputs(x, self.nin, repr(self))
        inputs = []
        for k, xk in enumerate(checked):
            if isinstance(xk, Value):
                if not xk.label:
                    xk.label = f"x[{k}]"
                inputs.append(xk)
            else:
                inputs.append(Value(xk, f"x[{k}]"))
        activations: list[Value] = inputs
        for layer in self.layers:
            activations = layer._forward(activations)
        self.inputs = inputs
        return activations[0] if len(activations) == 1 else activations

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the architecture and every weight to ``path`` as JSON (exact floats).

        The file is written under a unique temporary name in the same folder and then
        renamed over ``path``: a failed save leaves ``path`` as it was, and no other file
        is touched.
        """
        serialize.save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MLP:
        """A model read from a file written by :meth:`save`; ``ValueError`` says what is wrong.

        Any bad file raises ``ValueError`` (only that), naming the file and quoting at most
        80 characters of it. A file over ``serialize.MAX_FILE_BYTES`` (5 MB) is refused
        after reading at most that many bytes.
        The file's ``features`` and ``loss``, when it has them, become the model's.
        """
        saved = serialize.load(path)
        model = cls(saved.nin, saved.nouts, saved.activation, saved.output_activation, seed=0)
        model.features, model.loss = saved.features, saved.loss
        for layer, layer_params in zip(model.layers, saved.layers, strict=True):
            for neuron, (w, b) in zip(layer.neurons, layer_params, strict=True):
                for weight, value in zip(neuron.w, w, strict=True):
                    weight.data = value
                neuron.b.data = b
        return model

    def __repr__(self) -> str:
        layers = " → ".join(f"{len(layer.neurons)} {layer.activation}" for layer in self.layers)
        return f"MLP({self.nin} → {layers})"


def _per_layer(activation: object, hidden_layers: int) -> list[str]:
    """One activation name per hidden layer, from one name or a list of exactly that many."""
    if isinstance(activation, str) or not isinstance(activation, Iterable):
        return [check_activation(activation)] * hidden_layers
    names = list(activation)
    if len(names) != hidden_layers:
        raise ValueError(
            f"MLP activation lists {len(names)} activations, but the network has "
            f"{hidden_layers} hidden layers: give one per hidden layer, or one name for all"
        )
    return [check_activation(name) for name in names]


def _check_count(n: object, what: str, minimum: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}: {n!r:.80}")
    if n < minimum:
        raise ValueError(f"{what} must be ≥ {minimum}, got {n}")


def _checked_inputs(x: object, n: int, who: str) -> list[Input]:
    """``x`` as a list of ``n`` Values or finite numbers, or an error naming what is wrong."""
    if isinstance(x, (str, bytes, Mapping, AbstractSet)) or not isinstance(x, Iterable):
        raise TypeError(
            f"{who} takes a list of {n} numbers (or Values), got {type(x).__name__}: {x!r:.80}"
            + ("; wrap a single input as [x]" if isinstance(x, (Real, Value)) else "")
        )
    items = list(x)
    if len(items) != n:
        raise ValueError(f"{who} takes {n} inputs, got {len(items)}: {items!r:.80}")
    for k, item in enumerate(items):
        if isinstance(item, Value):
            continue
        if isinstance(item, bool) or not isinstance(item, Real):
            raise TypeError(
                f"{who}: input {k} must be a number or a Value, got {type(item).__name__}: "
                f"{item!r:.80}"
            )
        if not math.isfinite(item):
            raise ValueError(f"{who}: input {k} must be finite, got {item!r}")
    return items
