"""The scalar node of the computation graph.

Every operation on :class:`Value` computes its result *and* the local
derivative of that result with respect to each operand, evaluated right now:

    c = a * b    records    parents = (a, b),  local_grads = (∂c/∂a, ∂c/∂b) = (b, a)

Backprop (``engine.backprop``) is then one generic loop over those two tuples.
There are no closures per node, so a graph holds no reference cycles and is
freed by reference counting the moment its root goes out of scope.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from numbers import Real
from typing import TYPE_CHECKING

from engine import backprop, grad_mode
from engine.rules import CONSTANT_POWER, derivative

if TYPE_CHECKING:
    from engine.backprop import BackwardStep

Number = int | float

_mode = grad_mode.state


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

    __slots__ = ("data", "grad", "label", "local_grads", "op", "parents")

    data: float
    grad: float
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]
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
        self.data = _real(data, "Value(data)")
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        if not isinstance(op, str):
            raise TypeError(f"Value op must be a str, got {type(op).__name__}: {op!r}")
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
        self.grad = 0.0
        self.label = label
        if _mode.enabled:
            self.parents, self.local_grads, self.op = parents, local_grads, op
        else:
            self.parents, self.local_grads, self.op = (), (), ""

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- arithmetic: one method per op, value and local derivatives side by side

    @derivative("+", "1", "1")
    def __add__(self, other: Value | Number) -> Value:
        other = _operand(other)
        if other is None:
            return NotImplemented
        return _node(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __radd__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other + self

    @derivative("-", "1", "−1")
    def __sub__(self, other: Value | Number) -> Value:
        other = _operand(other)
        if other is None:
            return NotImplemented
        return _node(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __rsub__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other - self

    @derivative("*", "{b}", "{a}")
    def __mul__(self, other: Value | Number) -> Value:
        other = _operand(other)
        if other is None:
            return NotImplemented
        return _node(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __rmul__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other * self

    @derivative("/", "1/{b}", "−{a}/{b}²")
    def __truediv__(self, other: Value | Number) -> Value:
        other = _operand(other)
        if other is None:
            return NotImplemented
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(
                f"division by zero in a / b: b is {other!r}; the quotient and ∂/∂b = −a/b² "
                "are undefined there"
            )
        return _node(a / b, (self, other), (1.0 / b, -a / (b * b)), "/")

    def __rtruediv__(self, other: Number) -> Value:
        other = _operand(other)
        return NotImplemented if other is None else other / self

    @derivative("neg", "−1")
    def __neg__(self) -> Value:
        return _node(-self.data, (self,), (-1.0,), "neg")

    @derivative("**", "{b}·{a}^({b}−1)", "{out}·ln {a}")
    @derivative(CONSTANT_POWER, "{k}·{power}")
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

    @derivative("exp", "{out}")
    def exp(self) -> Value:
        """e^x, whose derivative is itself: ∂out/∂x = e^x = out."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp overflow: exp of {self!r} exceeds the largest float (about 1.8e308, "
                "reached at x ≈ 709.78); scale the input down before exp"
            ) from None
        return _node(out, (self,), (out,), "exp")

    @derivative("log", "1/{a}")
    def log(self) -> Value:
        """The natural logarithm ln x, defined for x > 0: ∂out/∂x = 1/x."""
        x = self.data
        if x <= 0.0:
            raise ValueError(
                f"log needs a positive input, got {self!r}; ln x is only defined for x > 0 "
                "(add a small epsilon or clamp the input first)"
            )
        return _node(math.log(x), (self,), (1.0 / x,), "log")

    @derivative("tanh", "1 − {out}²")
    def tanh(self) -> Value:
        """tanh x = (e^x − e^−x)/(e^x + e^−x): ∂out/∂x = 1 − tanh² x."""
        t = math.tanh(self.data)
        return _node(t, (self,), (1.0 - t * t,), "tanh")

    @derivative("sigmoid", "{out}·(1 − {out})")
    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e^−x): ∂out/∂x = σ(x)(1 − σ(x)). Never overflows."""
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, (self,), (s * (1.0 - s),), "sigmoid")

    @derivative("relu", "1 if {a} > 0 else 0")
    def relu(self) -> Value:
        """max(0, x): ∂out/∂x = 1 for x > 0 and 0 otherwise (0 at x = 0, as in PyTorch)."""
        x = self.data
        if x > 0.0:
            return _node(x, (self,), (1.0,), "relu")
        return _node(0.0, (self,), (0.0,), "relu")

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
        return _node(x, (), (), "")
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    return Value(x)


def _node(
    data: float, parents: tuple[Value, ...], local_grads: tuple[float, ...], op: str
) -> Value:
    """A new result node (the fast path every op uses; inputs are already checked)."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _mode.enabled:
        out.parents, out.local_grads, out.op = parents, local_grads, op
    else:
        out.parents, out.local_grads, out.op = (), (), ""
    return out


def _constant_power(base: Value, k: float) -> Value:
    """x ** k for a plain-number k: ∂out/∂x = k·x^(k−1); k is part of the op, not a parent."""
    x = base.data
    if x == 0.0 and k < 0.0:
        raise ZeroDivisionError(f"x ** {k:g} is undefined at x = 0 (x is {base!r})")
    if x < 0.0 and not k.is_integer():
        raise ValueError(
            f"x ** {k:g} of a negative base is not a real number (x is {base!r}); "
            "use an integer exponent or a positive base"
        )
    try:
        out = x**k
        if k == 0.0:
            local = 0.0
        elif x == 0.0 and k < 1.0:
            local = math.inf
        else:
            local = k * x ** (k - 1.0)
    except OverflowError:
        raise OverflowError(f"x ** {k:g} overflows a float for x = {x!r} ({base!r})") from None
    return _node(out, (base,), (local,), f"**{k:g}")


def _value_power(base: Value, exponent: Value) -> Value:
    """a ** b with b a Value: ∂out/∂a = b·a^(b−1) and ∂out/∂b = a^b·ln a, so a must be > 0."""
    a, b = base.data, exponent.data
    if a <= 0.0:
        raise ValueError(
            f"a ** b with a Value exponent needs a base a > 0 (∂/∂b = a^b·ln a), got a = {base!r}; "
            "for a constant exponent use a plain number, e.g. x ** 2"
        )
    try:
        out = a**b
        local_base = b * a ** (b - 1.0)
    except OverflowError:
        raise OverflowError(f"a ** b overflows a float for a = {a!r}, b = {b!r}") from None
    return _node(out, (base, exponent), (local_base, out * math.log(a)), "**")
