"""The scalar node of the computation graph.

Every operation on :class:`Value` computes its result *and* the local
derivative of that result with respect to each operand, evaluated right now:

    c = a * b    records    parents = (a, b),  local_grads = (∂c/∂a, ∂c/∂b) = (b, a)

Backprop (``engine.backprop``) is then one generic loop over those edges.
There are no closures per node, so a graph holds no reference cycles and is
freed by reference counting the moment its root goes out of scope.

Inside, a node keeps its first two edges in slots of its own (``_a``, ``_da``,
``_b``, ``_db``; any further ones, from a hand-made op, in ``_more``), so an
operation allocates one object, not three: the garbage collector, which runs
once per so many allocations, then runs a third as often. ``parents`` and
``local_grads`` present the same edges as tuples.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from numbers import Real
from typing import TYPE_CHECKING

from . import backprop, grad_mode, kernels
from .rules import derivative

if TYPE_CHECKING:
    from .backprop import BackwardStep

Number = int | float

_mode = grad_mode.state
_isfinite = math.isfinite


class Value:
    """One real number in a computation, remembering how it was computed.

    ``data``        the number (a float)
    ``grad``        ∂root/∂self after ``root.backward()``; starts at 0.0
    ``parents``     the operands this value was computed from, in order
    ``local_grads`` ∂self/∂parent for each parent, in the same order
    ``op``          the operation that made it (``"+"``, ``"tanh"``, …; ``""`` for a leaf)
    ``label``       a name for diagrams and step-through text (free to set)

    A learner can make an op of their own by passing ``parents``,
    ``local_grads`` and ``op`` explicitly, and check it with ``gradcheck``.
    """

    __slots__ = ("_a", "_b", "_da", "_db", "_more", "data", "grad", "label", "op")

    data: float
    grad: float
    op: str
    label: str

    def __init__(
        self,
        data: Number,
        label: str = "",
        *,
        parents: Sequence[Value] = (),
        local_grads: Sequence[Number] = (),
        op: str = "",
    ) -> None:
        if data.__class__ is not float or not _isfinite(data):
            data = _real(data, "Value(data)")
        self.data = data
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        if not isinstance(op, str):
            raise TypeError(f"Value op must be a str, got {type(op).__name__}: {op!r}")
        self.label = label
        if not parents and not local_grads and not op:
            self.grad = self._da = self._db = 0.0
            self.op = ""
            self._a = self._b = self._more = None
            return
        self.grad = 0.0
        parents = tuple(parents)
        for parent in parents:
            if not isinstance(parent, Value):
                raise TypeError(
                    f"Value parents must all be Value objects, got {type(parent).__name__}: "
                    f"{parent!r}; wrap plain numbers as Value(number) first"
                )
        local_grads = tuple(_real(g, "Value local_grads") for g in local_grads)
        if len(local_grads) != len(parents):
            raise ValueError(
                f"Value needs one local gradient per parent: got {len(parents)} parents "
                f"and {len(local_grads)} local_grads"
            )
        if not _mode.enabled:
            parents, local_grads, op = (), (), ""
        n = len(parents)
        self.op = op
        self._a, self._da = (parents[0], local_grads[0]) if n else (None, 0.0)
        self._b, self._db = (parents[1], local_grads[1]) if n > 1 else (None, 0.0)
        self._more = (parents[2:], local_grads[2:]) if n > 2 else None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in operand order (empty for a leaf)."""
        a = self._a
        if a is None:
            return ()
        b = self._b
        if b is None:
            return (a,)
        more = self._more
        return (a, b) if more is None else (a, b, *more[0])

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent, in the same order as ``parents``."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        more = self._more
        return (self._da, self._db) if more is None else (self._da, self._db, *more[1])

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- arithmetic: one method per op, value and local derivatives side by side

    @derivative("+", "1", "1")
    def __add__(self, other: Value | Number) -> Value:
        if other.__class__ is not Value:
            other = _operand(other)
            if other is None:
                return NotImplemented
        return _binary(self.data + other.data, self, other, 1.0, 1.0, "+")

    def __radd__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other + self

    @derivative("-", "1", "−1")
    def __sub__(self, other: Value | Number) -> Value:
        if other.__class__ is not Value:
            other = _operand(other)
            if other is None:
                return NotImplemented
        return _binary(self.data - other.data, self, other, 1.0, -1.0, "-")

    def __rsub__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other - self

    @derivative("*", "{b}", "{a}")
    def __mul__(self, other: Value | Number) -> Value:
        if other.__class__ is not Value:
            other = _operand(other)
            if other is None:
                return NotImplemented
        return _binary(self.data * other.data, self, other, other.data, self.data, "*")

    def __rmul__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other * self

    def __truediv__(self, other: Value | Number) -> Value:
        if other.__class__ is not Value:
            other = _operand(other)
            if other is None:
                return NotImplemented
        out, local_a, local_b = kernels.divide(self.data, other.data, other)
        return _binary(out, self, other, local_a, local_b, "/")

    def __rtruediv__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other / self

    @derivative("neg", "−1")
    def __neg__(self) -> Value:
        return _unary(-self.data, self, -1.0, "neg")

    def __pow__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return _value_power(self, other)
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        return _constant_power(self, _real(other, "exponent"))

    def __rpow__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else _value_power(other, self)

    # --- functions

    def exp(self) -> Value:
        """e^x, whose derivative is itself: ∂out/∂x = e^x = out."""
        return _function(self, kernels.exp, "exp")

    def log(self) -> Value:
        """The natural logarithm ln x, defined for x > 0: ∂out/∂x = 1/x."""
        return _function(self, kernels.log, "log")

    def tanh(self) -> Value:
        """tanh x = (e^x − e^−x)/(e^x + e^−x): ∂out/∂x = 1 − tanh² x."""
        return _function(self, kernels.tanh, "tanh")

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e^−x): ∂out/∂x = σ(x)(1 − σ(x)). Never overflows."""
        return _function(self, kernels.sigmoid, "sigmoid")

    def softplus(self) -> Value:
        """softplus(x) = ln(1 + e^x), a smooth relu: ∂out/∂x = e^x/(1 + e^x) = σ(x).

        Computed as max(x, 0) + ln(1 + e^−|x|), so it never overflows: softplus(1000)
        is 1000, not ln(inf). It is the log-partition of a two-class logit, e.g.
        binary cross-entropy is softplus(s) − y·s.
        """
        return _function(self, kernels.softplus, "softplus")

    @derivative("identity", "1")
    def identity(self) -> Value:
        """x itself as a node of its own, e.g. a linear activation a = σ(z) = z: ∂out/∂x = 1."""
        return _unary(self.data, self, 1.0, "identity")

    @derivative("relu", "1 if {a} > 0 else 0")
    def relu(self) -> Value:
        """max(0, x): ∂out/∂x = 1 for x > 0 and 0 otherwise (0 at x = 0, as in PyTorch)."""
        x = self.data
        if x > 0.0:
            return _unary(x, self, 1.0, "relu")
        return _unary(0.0, self, 0.0, "relu")

    # --- backprop

    def backward(self) -> None:
        """Fill in ``grad`` = ∂self/∂node for every node of this graph (see ``engine.backprop``)."""
        backprop.backward(self)

    def backward_steps(self) -> Iterator[BackwardStep]:
        """Backprop one chain-rule step (one edge) at a time; see ``engine.backprop``."""
        return backprop.backward_steps(self)


def _real(x: object, what: str) -> float:
    """``x`` as a finite float, or a TypeError/ValueError saying what was wrong."""
    if isinstance(x, float):
        result = x
    elif isinstance(x, Real) and not isinstance(x, bool):
        result = float(x)
    else:
        hint = "; use its .data for the number" if isinstance(x, Value) else ""
        raise TypeError(
            f"{what} needs a real number (int or float), got {type(x).__name__}: {x!r:.80}{hint}"
        )
    if not math.isfinite(result):
        raise ValueError(f"{what} needs a finite number, got {result!r}")
    return result


def _operand(x: object) -> Value | None:
    """The other operand as a Value: a plain number becomes a constant leaf node."""
    if isinstance(x, Value):
        return x
    if type(x) is float and math.isfinite(x):
        return _leaf(x)
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    return Value(x)


_new = object.__new__


def _leaf(data: float) -> Value:
    """A constant leaf for a plain number in ``2 * x`` (the number is already checked)."""
    out = _new(Value)
    out.data = data
    out.grad = out._da = out._db = 0.0
    out.label = out.op = ""
    out._a = out._b = out._more = None
    return out


def _binary(data: float, a: Value, b: Value, local_a: float, local_b: float, op: str) -> Value:
    """A new node with two parents: the fast path of every two-operand op.

    One assignment a slot: ``x.p, x.q, … = …`` with more than three names would
    build and unpack a tuple, which costs more than the node itself.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._more = None
    if _mode.enabled:
        out.op = op
        out._a = a
        out._b = b
        out._da = local_a
        out._db = local_b
    else:
        out.op = ""
        out._a = out._b = None
        out._da = out._db = 0.0
    return out


def _unary(data: float, a: Value, local: float, op: str) -> Value:
    """A new node with one parent: the fast path of every one-operand op."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._b = out._more = None
    out._db = 0.0
    if _mode.enabled:
        out.op = op
        out._a = a
        out._da = local
    else:
        out.op = ""
        out._a = None
        out._da = 0.0
    return out


def _function(x: Value, kernel: Callable[[float, object], tuple[float, float]], op: str) -> Value:
    out, local = kernel(x.data, x)
    return _unary(out, x, local, op)


def _constant_power(base: Value, k: float) -> Value:
    """x ** k for a plain-number k: k is part of the op (``"**2"``), not a parent."""
    out, local = kernels.constant_power(base.data, k, base)
    exponent = f"{k:g}"
    if float(exponent) != k:  # the op must name k exactly, e.g. for a Replay to recompute it
        exponent = repr(k)
    return _unary(out, base, local, f"**{exponent}")


def _value_power(base: Value, exponent: Value) -> Value:
    out, local_base, local_exponent = kernels.value_power(base.data, exponent.data, base)
    return _binary(out, base, exponent, local_base, local_exponent, "**")
