"""The activation σ in a^l = σ(z^l): TensorFlow Playground's four, chosen by name.

    name       σ(z)                σ'(z)
    "tanh"     tanh z              1 − tanh² z
    "relu"     max(0, z)           1 if z > 0 else 0
    "sigmoid"  1 / (1 + e^−z)      σ(z)(1 − σ(z))
    "linear"   z                   1

Each is one engine op, so the node ``a[l][j]`` records σ'(z^l_j) as its local
derivative and backprop multiplies by it: that product is the ``⊙ σ'(z^l)`` of
BP1 and BP2. ``"linear"`` too makes its own node (the engine's ``identity``
op, local derivative 1), so every neuron has a distinct ``z`` and ``a``
whatever σ is.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Value
from .names import check_name

Activation = Callable[[Value], Value]


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "linear": Value.identity,
}
"""Every activation by name: the one list the command line, MLP and the playground read."""

LABELS: dict[str, str] = {"relu": "ReLU"}
"""How a page's menu writes an activation whose usual spelling is not its name (else the name)."""


def activation_label(name: str) -> str:
    """The activation ``name`` as a page's menu shows it: ``"ReLU"`` for ``"relu"``."""
    return LABELS.get(check_activation(name), name)


def activation_op(name: str) -> str:
    """The engine op that activation ``name`` is: ``"identity"`` for ``"linear"``.

    Found by applying it to a leaf, so it is the op's own name, whatever the method is
    called. A page applies that one op by name (its JavaScript twin of the kernel), so an
    activation made of several ops raises ``ValueError``.
    """
    x = Value(0.5)
    out = ACTIVATIONS[check_activation(name)](x)
    if not isinstance(out, Value) or out.op is None or list(out.parents) != [x]:
        raise ValueError(f"the activation {name!r} is not one engine op applied to z")
    return out.op.name


def check_activation(name: object) -> str:
    """``name`` if it is one of :data:`ACTIVATIONS`, else an error listing the choices."""
    return check_name(name, ACTIVATIONS, "activation", "an")
