"""The engines compared side by side, behind one small interface.

Each adapter makes leaf values, applies relu, runs backward and reads
gradients; every workload is written once against this interface, so each
engine does exactly the same computation (same ops, same order, float64).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Engine:
    """How a workload talks to one autograd engine."""

    name: str
    leaf: Callable[[float], Any]
    relu: Callable[[Any], Any]
    backward: Callable[[Any], None]
    grad: Callable[[Any], float]
    data: Callable[[Any], float]


def chainrule() -> Engine:
    from chainrule.engine import Value

    return Engine(
        "chainrule",
        leaf=Value,
        relu=Value.relu,
        backward=Value.backward,
        grad=lambda v: v.grad,
        data=lambda v: v.data,
    )


def micrograd() -> Engine:
    from micrograd.engine import Value

    return Engine(
        "micrograd 0.1.0",
        leaf=Value,
        relu=lambda v: v.relu(),
        backward=lambda v: v.backward(),
        grad=lambda v: v.grad,
        data=lambda v: v.data,
    )


def torch_scalars() -> Engine:
    import torch

    def leaf(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64, requires_grad=True)

    return Engine(
        f"PyTorch {torch.__version__} (0-dim tensors)",
        leaf=leaf,
        relu=torch.relu,
        backward=lambda v: v.backward(),
        grad=lambda v: 0.0 if v.grad is None else v.grad.item(),
        data=lambda v: v.item(),
    )


def bare() -> Engine:
    """W4's floor: one bare six-slot object per node (see bare_value.py); not a peer."""
    from benchmarks.bare_value import BareValue

    return Engine(
        "one bare object per node (floor)",
        leaf=BareValue,
        relu=_unsupported,
        backward=BareValue.backward,
        grad=lambda v: v.grad,
        data=lambda v: v.data,
    )


def _unsupported(v: Any) -> Any:
    raise NotImplementedError("BareValue knows + and * only: it is W4's floor, not an engine")


def available() -> list[Engine]:
    """chainrule always; micrograd and PyTorch when installed (`make bench` installs them)."""
    engines = [chainrule()]
    if importlib.util.find_spec("micrograd") is not None:
        engines.append(micrograd())
    if importlib.util.find_spec("torch") is not None:
        engines.append(torch_scalars())
    return engines
