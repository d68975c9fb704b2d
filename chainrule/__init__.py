"""chainrule: backpropagation you can step through.

One distribution, one top-level name. Its libraries are

    chainrule.engine   Value nodes, the op table, backprop, Replay (standard library only)
    chainrule.nn       an MLP of Values in the BP1–BP4 notation, losses, optimisers, fit
    chainrule.viz      Graphviz diagrams and the step-through page

and the ``chainrule`` command (``chainrule.cli``) sits on top of them. The
names a learner uses most are re-exported here:

    >>> from chainrule import Value
    >>> x = Value(3.0, "x")
    >>> y = x * x
    >>> y.backward()
    >>> x.grad
    6.0

They are loaded on first use, so ``import chainrule.engine`` still needs
nothing beyond the standard library.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, tuple[str, ...]] = {
    "chainrule.engine": (
        "BackwardStep",
        "Constant",
        "GradCheck",
        "GradcheckError",
        "Op",
        "Replay",
        "Value",
        "central_difference",
        "check_local_grads",
        "define_op",
        "export_ops",
        "grad",
        "gradcheck",
        "gradgradcheck",
        "hessian",
        "no_grad",
        "topological_order",
        "zero_grad",
    ),
    "chainrule.engine.i18n": ("language", "set_language", "using_language"),
    "chainrule.nn": (
        "MLP",
        "SGD",
        "Adam",
        "Layer",
        "Neuron",
        "accuracy",
        "bce_loss",
        "bp_check",
        "cross_entropy",
        "fit",
        "hinge_loss",
        "make_circles",
        "make_gauss",
        "make_moons",
        "make_spiral",
        "make_xor",
        "mean_loss",
        "mse_loss",
    ),
    "chainrule.viz": (
        "backward_frames",
        "draw_graph",
        "draw_legend",
        "draw_network",
        "render",
        "write_step_through",
    ),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    """Load a re-exported name from its library the first time it is asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'chainrule' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
