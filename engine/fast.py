"""The fast path: an optimisation of the plain engine, never a different answer.

The engine reads like the chain rule in three places: ``engine.value`` (each op's value
and local derivatives, and ``apply``, which makes a node), ``engine.graph`` (the walk)
and ``engine.backprop`` (the loop ``parent.grad += local × node.grad``). Those are
complete on their own. This module does the same work faster, and swaps itself in with
one visible line, ``fast.install()`` in ``engine/__init__.py``. ``tests/test_engine_fast.py``
proves with hypothesis that every value, gradient and replay is bit-for-bit the plain
engine's, running both (:func:`plain` switches this module off for a block).

What it does differently, and why:

- **Operators without checks.** ``Value``'s operators build nodes slot by slot: their
  operands are Values already, and the kernel's numbers need no conversion. ``+``,
  ``−``, ``×``, negation, relu and identity do their arithmetic inline instead of
  calling their kernels, because a call costs more than the op.
- **Backward walks the operations only**, unrolled for two operands: a leaf has no
  parents to pass gradient on to.
- **Replay runs flat loops**, with the same inline arithmetic for the ops a network uses
  most (``+ − ×``, negation, relu, identity) and a kernel call for every other op.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from numbers import Real
from typing import Any

from . import grad_mode, value
from .checks import ARITHMETIC_ERRORS, checked, not_finite, op_error
from .errors import MathError
from .replay import Replay
from .value import Constant, Value

_new = object.__new__
_mode = grad_mode.state
_isfinite = math.isfinite
_EXACT = 2**53
"""Ints up to this size become floats exactly; larger ones take ``Constant``'s own checks."""
_PLAIN: dict[tuple[type, str], Any] = {}
"""What :func:`install` replaced, so that :func:`uninstall` can put it back."""


def install() -> None:
    """Swap the fast operators, ``backward`` and Replay loops in (``engine/__init__.py`` does)."""
    if _PLAIN:
        return
    for (owner, name), function in _replacements().items():
        _PLAIN[(owner, name)] = owner.__dict__[name]
        setattr(owner, name, function)


@cache
def _replacements() -> dict[tuple[type, str], Any]:
    """Every method the fast path replaces, and its replacement (made once)."""
    replacements: dict[tuple[type, str], Any] = {
        (Value, "backward"): backward,
        (Value, "__pow__"): _pow,
        (Replay, "forward"): _replay_forward,
        (Replay, "backward"): _replay_backward,
        **{(Value, name): function for name, function in _inline_operators().items()},
    }
    for slot, (op_name, reflected) in value._METHODS.items():
        if (Value, slot) not in replacements:
            replacements[(Value, slot)] = method(value.OPS[op_name], reflected=reflected)
    return replacements


def uninstall() -> None:
    """Put the plain engine's methods back."""
    for (owner, name), function in _PLAIN.items():
        setattr(owner, name, function)
    _PLAIN.clear()


def installed() -> bool:
    """True while the fast path is swapped in."""
    return bool(_PLAIN)


@contextmanager
def plain() -> Iterator[None]:
    """Run a block on the plain engine alone (how the tests compare the two)."""
    was_installed = installed()
    uninstall()
    try:
        yield
    finally:
        if was_installed:
            install()


# --- building nodes -------------------------------------------------------------------------


def constant(data: float) -> Value:
    """A constant leaf for a finite float, built without ``Constant(…)``'s checks."""
    out = _new(Constant)
    out.data = data
    out.label = ""
    out.op = None
    out._a = out._b = out._more = None
    out._da = out._db = 0.0
    return out


def as_operand(x: object) -> Value | None:
    """``value.as_operand``: a Value as it is, a number as a constant, else ``None``."""
    if isinstance(x, Value):
        return x
    kind = x.__class__
    if kind is float and _isfinite(x):  # type: ignore[arg-type]
        return constant(x)  # type: ignore[arg-type]
    if kind is int and -_EXACT <= x <= _EXACT:  # the 0 that sum() starts from, say
        return constant(float(x))  # type: ignore[arg-type]
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    return Constant(x)  # checks and converts, e.g. an int or a NumPy float


def _binary(data: float, a: Value, b: Value, local_a: float, local_b: float, op: Any) -> Value:
    """A new node with two parents, one assignment a slot (a tuple assignment costs more)."""
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
        out.op = None
        out._a = out._b = None
        out._da = out._db = 0.0
    return out


def _unary(data: float, a: Value, local: float, op: Any, attrs: tuple[float, ...] = ()) -> Value:
    """A new node with one parent."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._b = out._more = None
    out._db = 0.0
    if _mode.enabled:
        out.op = op
        if attrs:
            out._attrs = attrs
        out._a = a
        out._da = local
    else:
        out.op = None
        out._a = None
        out._da = 0.0
    return out


def _inline_operators() -> dict[str, Callable[..., Any]]:
    """``+ − ×``, negation, relu and identity inline: the kernels' numbers, no call."""
    ops = value.OPS
    add, sub, mul, neg, relu, identity = (ops[name] for name in INLINE)

    def add_(self: Value, other: object) -> Value:
        if other.__class__ is not Value:
            other = as_operand(other)
            if other is None:
                return NotImplemented
        data = self.data + other.data  # type: ignore[union-attr]
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(add, (data, 1.0, 1.0), (self, other))
        return _binary(data, self, other, 1.0, 1.0, add)  # type: ignore[arg-type]

    def radd_(self: Value, other: object) -> Value:
        left = as_operand(other)
        if left is None:
            return NotImplemented
        data = left.data + self.data
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(add, (data, 1.0, 1.0), (left, self))
        return _binary(data, left, self, 1.0, 1.0, add)

    def sub_(self: Value, other: object) -> Value:
        if other.__class__ is not Value:
            other = as_operand(other)
            if other is None:
                return NotImplemented
        data = self.data - other.data  # type: ignore[union-attr]
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(sub, (data, 1.0, -1.0), (self, other))
        return _binary(data, self, other, 1.0, -1.0, sub)  # type: ignore[arg-type]

    def rsub_(self: Value, other: object) -> Value:
        left = as_operand(other)
        if left is None:
            return NotImplemented
        data = left.data - self.data
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(sub, (data, 1.0, -1.0), (left, self))
        return _binary(data, left, self, 1.0, -1.0, sub)

    def mul_(self: Value, other: object) -> Value:
        if other.__class__ is not Value:
            other = as_operand(other)
            if other is None:
                return NotImplemented
        a, b = self.data, other.data  # type: ignore[union-attr]
        data = a * b
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(mul, (data, b, a), (self, other))
        return _binary(data, self, other, b, a, mul)  # type: ignore[arg-type]

    def rmul_(self: Value, other: object) -> Value:
        left = as_operand(other)
        if left is None:
            return NotImplemented
        a, b = left.data, self.data
        data = a * b
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(mul, (data, b, a), (left, self))
        return _binary(data, left, self, b, a, mul)

    def neg_(self: Value) -> Value:
        return _unary(-self.data, self, -1.0, neg)

    def relu_(self: Value) -> Value:
        x = self.data
        return _unary(x, self, 1.0, relu) if x > 0.0 else _unary(0.0, self, 0.0, relu)

    def identity_(self: Value) -> Value:
        return _unary(self.data, self, 1.0, identity)

    return {
        "__add__": add_,
        "__radd__": radd_,
        "__sub__": sub_,
        "__rsub__": rsub_,
        "__mul__": mul_,
        "__rmul__": rmul_,
        "__neg__": neg_,
        "relu": relu_,
        "identity": identity_,
    }


def method(op: Any, *, reflected: bool) -> Callable[..., Any]:
    """The operator or method of ``op`` for ``Value``: ``x.tanh()``, ``a / b``, ``2 / b``…

    The kernel, a built-in op's compiled from its formulas, is called directly. It answers
    a tuple of the value and one local derivative per operand, taken inline when they are
    finite plain floats (x − x is 0 only for a finite x), and through
    :func:`engine.checks.checked` otherwise (a float type of one's own, inf, NaN), which
    converts or raises as ``apply``.
    """
    kernel = op.kernel
    if op.arity == 1:

        def unary(self: Value) -> Value:
            try:
                result = kernel(self.data)
            except ARITHMETIC_ERRORS as error:
                raise op_error(op, error, (self,)) from None
            data, local = result
            if data.__class__ is local.__class__ is float and data - data + local - local == 0:
                return _unary(data, self, local, op)  # two finite floats: the usual case
            data, local = checked(op, result, lambda: (self,))
            return _unary(data, self, local, op)

        return unary

    def binary(self: Value, other: object) -> Value:
        operand = as_operand(other)
        if operand is None:
            return NotImplemented
        a, b = (operand, self) if reflected else (self, operand)
        try:
            result = kernel(a.data, b.data)
        except ARITHMETIC_ERRORS as error:
            raise op_error(op, error, (a, b)) from None
        data, local_a, local_b = result
        if (
            data.__class__ is local_a.__class__ is local_b.__class__ is float
            and data - data + local_a - local_a + local_b - local_b == 0
        ):
            return _binary(data, a, b, local_a, local_b, op)  # three finite floats
        data, local_a, local_b = checked(op, result, lambda: (a, b))
        return _binary(data, a, b, local_a, local_b, op)

    return binary


def _pow(self: Value, other: object) -> Value:
    """``x ** k`` (the op ``power``, one node whose ``attrs`` are ``(k,)``), or ``a ** b``."""
    if isinstance(other, Value):
        if not other.is_constant:
            return value.apply(value.pow_, self, other)
        k = other.data
    elif isinstance(other, bool) or not isinstance(other, Real):
        return NotImplemented
    else:
        k = value.real(other, "power k")  # apply's words for the attr k of the op power
    op = value.power
    try:
        result = op.kernel(self.data, k)  # type: ignore[misc]
    except ARITHMETIC_ERRORS as error:
        raise op_error(op, error, (self,)) from None
    if result.__class__ is tuple and len(result) == 2:
        data, local = result
        if data.__class__ is local.__class__ is float and data - data + local - local == 0:
            return _unary(data, self, local, op, (k,))
    data, local = checked(op, result, lambda: (self,), (k,))
    return _unary(data, self, local, op, (k,))


# --- the walk and backward ------------------------------------------------------------------


def operation_order(root: Value) -> list[Value]:
    """``engine.graph.topological_order(root)`` without its leaves, through the edge slots.

    The same depth-first walk, with an explicit stack; a leaf is never pushed.
    """
    if root._a is None:
        return []
    order: list[Value] = []
    emitted: set[Value] = set()
    expanded: set[Value] = set()
    stack = [root]
    while stack:
        node = stack[-1]
        if node in expanded:
            stack.pop()
            if node not in emitted:
                emitted.add(node)
                order.append(node)
            continue
        expanded.add(node)
        a, b = node._a, node._b
        if b is not None:
            if node._more is not None:
                for parent in reversed(node._more[0]):
                    if parent._a is not None and parent not in emitted and parent not in expanded:
                        stack.append(parent)
            if b._a is not None and b not in emitted and b not in expanded:
                stack.append(b)
        if a._a is not None and a not in emitted and a not in expanded:  # type: ignore[union-attr]
            stack.append(a)  # type: ignore[arg-type]
    return order


def backward(root: Value) -> None:
    """``engine.backprop.backward(root)``: the same edges in the same order, through the slots.

    A constant's ``grad`` ignores what it is given, so its edges need no test here.
    """
    order = operation_order(root)
    for node in order:
        node.grad = 0.0
    if root._a is not None:
        root.grad = 1.0
    else:
        root.grad += 1.0
    for node in reversed(order):
        upstream = node.grad
        node._a.grad += node._da * upstream  # type: ignore[union-attr]
        b = node._b
        if b is not None:
            b.grad += node._db * upstream
            if node._more is not None:
                for parent, local in zip(*node._more, strict=True):
                    parent.grad += local * upstream


# --- Replay's loops -------------------------------------------------------------------------

INLINE = ("add", "sub", "mul", "neg", "relu", "identity")
"""The ops whose arithmetic the fast path writes inline, for Value's operators and Replay."""

KERNEL, ADD, SUB, MUL, NEG, RELU, IDENTITY = range(7)
"""Replay's instruction codes: a kernel call, or one of the inline ops."""


def _codes() -> dict[Any, int]:
    """Each inline op's instruction code: ADD … IDENTITY, in the order of :data:`INLINE`."""
    return {value.OPS[name]: code for code, name in enumerate(INLINE, start=ADD)}


def _instructions(replay: Replay) -> list[tuple[int, int, int, int, Any]]:
    """Replay's program as (code, output, first operand, last operand, step), made once."""
    program = replay.__dict__.get("_fast")
    if program is None:
        codes = _codes()
        program = [
            (codes.get(op, KERNEL), i, operands[0], operands[-1], (op, operands, attrs))
            for i, op, operands, attrs in replay.program
        ]
        replay.__dict__["_fast"] = program
    return program


def _replay_forward(self: Replay) -> float:
    """``Replay.forward`` with the hot ops inline."""
    d, loc = self._data, self._locals
    for i, leaf in self.leaves:
        d[i] = leaf.data
    program = _instructions(self)
    for code, o, a, b, step in program:
        if code == MUL:
            d[o] = d[a] * d[b]
        elif code == ADD:
            d[o] = d[a] + d[b]
        elif code == RELU:
            x = d[a]
            d[o] = x if x > 0.0 else 0.0
        elif code == SUB:
            d[o] = d[a] - d[b]
        elif code == NEG:
            d[o] = -d[a]
        elif code == IDENTITY:
            d[o] = d[a]
        else:
            op, operands, attrs = step
            try:
                result = op.kernel(*[d[i] for i in operands], *attrs)
            except ARITHMETIC_ERRORS as error:
                _raise_first_inline_overflow(self, program, o)
                raise op_error(op, error, self.current(operands)) from None
            try:
                d[o], *loc[o] = checked(op, result, lambda: self.current(operands), attrs)  # noqa: B023
            except MathError:
                _raise_first_inline_overflow(self, program, o)
                raise
    _raise_first_inline_overflow(self, program, len(d))
    self.value = d[-1]
    return self.value


def _raise_first_inline_overflow(replay: Replay, program: list[Any], before: int) -> None:
    """Raise the plain loop's error if an inline op before node ``before`` is not finite.

    The inline ops do not check as they go; the plain loop would have stopped at the first.
    """
    d = replay._data
    if before == len(d):
        total = sum(d)  # inf or NaN if any value is, and only then (or if the sum overflows)
        if total - total == 0.0:
            return
    for code, o, _, _, (op, operands, attrs) in program:
        if o >= before:
            return
        if code != KERNEL and not _isfinite(d[o]):
            numbers = op.kernel(*[d[i] for i in operands], *attrs)
            raise not_finite(op, (d[o], *numbers[1:]), replay.current(operands))


def _replay_backward(self: Replay) -> None:
    """``Replay.backward`` with the hot ops' local derivatives inline."""
    g = self._seed()
    d, loc = self._data, self._locals
    for code, o, a, b, step in reversed(_instructions(self)):
        upstream = g[o]
        if code == MUL:
            g[a] += d[b] * upstream
            g[b] += d[a] * upstream
        elif code == ADD:
            g[a] += upstream
            g[b] += upstream
        elif code == RELU:
            g[a] += (1.0 if d[a] > 0.0 else 0.0) * upstream
        elif code == SUB:
            g[a] += upstream
            g[b] += -1.0 * upstream
        elif code == NEG:
            g[a] += -1.0 * upstream
        elif code == IDENTITY:
            g[a] += upstream
        else:
            for i, local in zip(step[1], loc[o], strict=True):
                g[i] += local * upstream
    self._write_back(g)
