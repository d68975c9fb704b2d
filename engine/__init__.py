"""chainrule's autograd engine: scalar ``Value`` nodes, the op table, and backprop over them.

    >>> from chainrule.engine import Value
    >>> a, b = Value(2.0, "a"), Value(3.0, "b")
    >>> c = a * b
    >>> c.backward()
    >>> a.grad, b.grad          # ∂c/∂a = b, ∂c/∂b = a
    (3.0, 2.0)

Modules, in reading order. The plain engine, complete on its own: ``value`` (the node
and every op, one definition each), ``graph`` (the walk), ``backprop`` (the chain-rule
loop), with ``optable`` (the op records) and ``formula`` (an op's formulas, read as
Python, JavaScript, text and Values). Around it: ``checks`` (what every kernel's answer
must be), ``narration`` (steps in words), ``replay``, ``gradcheck``, ``localcheck``
(every edge checked against its op alone), ``numeric`` (the one central difference
they and the exercises use), ``grad_mode``, ``errors``, ``i18n`` (every sentence in
English and Chinese). Then ``fast``: the same work done faster, swapped in by the one
line below and proven bit-identical by the tests. Standard library only.
"""

from . import fast
from .backprop import BackwardStep, backward, backward_steps
from .errors import DivisionByZeroError, DomainError, MathError, NumberOverflowError
from .grad_mode import is_grad_enabled, no_grad
from .gradcheck import GradCheck, GradcheckError, central_difference, gradcheck
from .graph import topological_order, zero_grad
from .higher_order import NoHigherDerivativeError, Role, grad, gradgradcheck, hessian
from .i18n import language, set_language, using_language
from .localcheck import EdgeCheck, LocalCheck, check_local_grads
from .narration import agreeing, describe_step, format_number, name_of, node_names
from .optable import OPS, export_ops
from .replay import Replay
from .value import Constant, Op, Value, apply, define_op

fast.install()  # the optimisation: same bits, faster (engine/fast.py; tests/test_engine_fast.py)

__all__ = [
    "OPS",
    "BackwardStep",
    "Constant",
    "DivisionByZeroError",
    "DomainError",
    "EdgeCheck",
    "GradCheck",
    "GradcheckError",
    "LocalCheck",
    "MathError",
    "NoHigherDerivativeError",
    "NumberOverflowError",
    "Op",
    "Replay",
    "Role",
    "Value",
    "agreeing",
    "apply",
    "backward",
    "backward_steps",
    "central_difference",
    "check_local_grads",
    "define_op",
    "describe_step",
    "export_ops",
    "format_number",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "is_grad_enabled",
    "language",
    "name_of",
    "no_grad",
    "node_names",
    "set_language",
    "topological_order",
    "using_language",
    "zero_grad",
]
