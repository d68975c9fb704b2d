"""chainrule's autograd engine: scalar ``Value`` nodes and backprop over them.

    >>> from chainrule.engine import Value
    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b
    >>> c.backward()
    >>> a.grad, b.grad          # ∂c/∂a = b, ∂c/∂b = a
    (3.0, 2.0)

Standard library only.
"""

from .backprop import BackwardStep, backward, backward_steps, name_of
from .grad_mode import is_grad_enabled, no_grad
from .gradcheck import GradCheck, central_difference, gradcheck
from .graph import topological_order, zero_grad
from .replay import Replay
from .value import Value

__all__ = [
    "BackwardStep",
    "GradCheck",
    "Replay",
    "Value",
    "backward",
    "backward_steps",
    "central_difference",
    "gradcheck",
    "is_grad_enabled",
    "name_of",
    "no_grad",
    "topological_order",
    "zero_grad",
]
