"""The fast path: only an optimisation of the plain code, never a different answer.

The engine reads like the chain rule in three places: ``engine.value`` (each
op's value and local derivatives, and ``apply``, which makes a node),
``engine.graph`` (the walk) and ``engine.backprop`` (the loop
``parent.grad += local × node.grad``). This module does the same work faster,
and ``tests/test_engine_fast.py`` proves with hypothesis that every number it
produces is bit-for-bit the plain code's. Nothing else in the engine touches
the private slots defined here.

What it does differently, and why:

- **Edges in slots.** A node keeps its first two edges in slots of its own
  (``_a``, ``_da``, ``_b``, ``_db``; any further ones, from an op of three or
  more operands, in ``_more``) instead of two tuples. An op then allocates one
  object, not three, so CPython's cyclic garbage collector, which runs once per
  so many allocations, runs a third as often. ``parents`` and ``local_grads``
  present the same edges as tuples.
- **Operators without checks.** ``Value``'s operators build nodes slot by slot:
  their operands are Values already, and the kernel's numbers need no
  conversion. ``+``, ``−``, ``×`` and negation do their arithmetic inline
  instead of calling their kernels, because a call costs more than the op.
- **Backward walks the operations only**, through the slots, unrolled for two
  operands: a leaf has no parents to pass gradient on to.
- **Replay runs flat lists**, with the same inline arithmetic for the ops a
  network uses most (``+ − ×``, negation, relu, identity) and a kernel call for
  every other op.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any

from . import grad_mode
from .errors import DomainError, MathError, NumberOverflowError, refined
from .optable import Op

if TYPE_CHECKING:
    from .value import Value

_new = object.__new__
_mode = grad_mode.state
_isfinite = math.isfinite

ARITHMETIC_ERRORS = (ArithmeticError, ValueError)
"""What a kernel raises for inputs outside its op's domain (ZeroDivisionError and
OverflowError are ArithmeticErrors); the engine raises them again as its own
:class:`~engine.errors.MathError`, naming the op and its operands."""


class Node:
    """The storage of a :class:`~engine.value.Value`: its numbers, its op and its edges.

    Public: ``data``, ``grad``, ``label``, ``op``, ``attrs``, and the tuples
    ``parents`` and ``local_grads``. Private: the edge slots described in the
    module docstring.
    """

    __slots__ = ("_a", "_attrs", "_b", "_da", "_db", "_more", "data", "grad", "label", "op")

    _a: Node | None
    _b: Node | None
    _da: float
    _db: float
    _more: tuple[tuple[Node, ...], tuple[float, ...]] | None

    def _link(self, parents: tuple[Node, ...], local_grads: tuple[float, ...]) -> None:
        """Store the edges ``parents[i]`` with ∂self/∂parents[i] = ``local_grads[i]``."""
        if not parents:
            self._a = self._b = self._more = None
            self._da = self._db = 0.0
            return
        n = len(parents)
        self._a = parents[0] if n else None
        self._da = local_grads[0] if n else 0.0
        self._b = parents[1] if n > 1 else None
        self._db = local_grads[1] if n > 1 else 0.0
        self._more = (parents[2:], local_grads[2:]) if n > 2 else None

    @property
    def attrs(self) -> tuple[float, ...]:
        """The numbers the op was given besides its operands, e.g. ``(2.0,)`` for x ** 2.

        Only the nodes that have some store them: an op without attrs saves a slot write.
        """
        try:
            return self._attrs
        except AttributeError:
            return ()

    @attrs.setter
    def attrs(self, attrs: tuple[float, ...]) -> None:
        self._attrs = attrs

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in operand order (empty for a leaf)."""
        a = self._a
        if a is None:
            return ()
        b = self._b
        if b is None:
            return (a,)  # type: ignore[return-value]
        more = self._more
        return (a, b) if more is None else (a, b, *more[0])  # type: ignore[return-value]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent, in the same order as ``parents``."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        more = self._more
        return (self._da, self._db) if more is None else (self._da, self._db, *more[1])


# --- building nodes -------------------------------------------------------------------------

_value_class: type[Value]
_constant_class: type[Value]


def install(value_class: type[Value], constant_class: type[Value], unrolled: dict[str, Op]) -> None:
    """Give ``value_class`` inline operators; ``unrolled`` maps ``add sub mul neg`` to their ops.

    Called once, at the end of ``engine.value``. Every other op's operators come
    from :func:`method`, which calls the op's kernel.
    """
    global _value_class, _constant_class
    _value_class, _constant_class = value_class, constant_class
    add, sub, mul, neg = (unrolled[name] for name in ("add", "sub", "mul", "neg"))

    def add_(self: Value, other: object) -> Value:
        if other.__class__ is not value_class:
            other = as_operand(other)
            if other is None:
                return NotImplemented
        data = self.data + other.data  # type: ignore[union-attr]
        if data - data != 0.0:  # inf or nan: x − x is 0.0 for every finite x
            raise not_finite(add, (data, 1.0, 1.0), (self, other))
        return _binary(data, self, other, 1.0, 1.0, add)  # type: ignore[arg-type]

    def radd_(self: Value, other: object) -> Value:
        other = as_operand(other)
        if other is None:
            return NotImplemented
        data = other.data + self.data
        if data - data != 0.0:
            raise not_finite(add, (data, 1.0, 1.0), (other, self))
        return _binary(data, other, self, 1.0, 1.0, add)

    def sub_(self: Value, other: object) -> Value:
        if other.__class__ is not value_class:
            other = as_operand(other)
            if other is None:
                return NotImplemented
        data = self.data - other.data  # type: ignore[union-attr]
        if data - data != 0.0:
            raise not_finite(sub, (data, 1.0, -1.0), (self, other))
        return _binary(data, self, other, 1.0, -1.0, sub)  # type: ignore[arg-type]

    def rsub_(self: Value, other: object) -> Value:
        other = as_operand(other)
        if other is None:
            return NotImplemented
        data = other.data - self.data
        if data - data != 0.0:
            raise not_finite(sub, (data, 1.0, -1.0), (other, self))
        return _binary(data, other, self, 1.0, -1.0, sub)

    def mul_(self: Value, other: object) -> Value:
        if other.__class__ is not value_class:
            other = as_operand(other)
            if other is None:
                return NotImplemented
        a, b = self.data, other.data  # type: ignore[union-attr]
        data = a * b
        if data - data != 0.0:
            raise not_finite(mul, (data, b, a), (self, other))
        return _binary(data, self, other, b, a, mul)  # type: ignore[arg-type]

    def rmul_(self: Value, other: object) -> Value:
        other = as_operand(other)
        if other is None:
            return NotImplemented
        a, b = other.data, self.data
        data = a * b
        if data - data != 0.0:
            raise not_finite(mul, (data, b, a), (other, self))
        return _binary(data, other, self, b, a, mul)

    def neg_(self: Value) -> Value:
        return _unary(-self.data, self, -1.0, neg)

    operators = {"__add__": add_, "__radd__": radd_, "__sub__": sub_, "__rsub__": rsub_,
                 "__mul__": mul_, "__rmul__": rmul_, "__neg__": neg_}  # fmt: skip
    for name, function in operators.items():
        setattr(value_class, name, function)


def as_operand(x: object) -> Value | None:
    """The other operand as a node: a Value as it is, a plain number as a new constant.

    ``None`` for anything else, so that the operator returns ``NotImplemented``.
    """
    if isinstance(x, _value_class):
        return x
    if x.__class__ is float and _isfinite(x):  # type: ignore[arg-type]
        return constant(x)  # type: ignore[arg-type]
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    return _constant_class(x)  # checks and converts, e.g. an int or a NumPy float


def constant(data: float) -> Value:
    """A constant leaf for a finite float, built without ``Constant(…)``'s checks."""
    out = _new(_constant_class)
    out.data = data
    out.label = ""
    out.op = None
    out._a = out._b = out._more = None
    out._da = out._db = 0.0
    return out


def _binary(data: float, a: Value, b: Value, local_a: float, local_b: float, op: Op) -> Value:
    """A new node with two parents. One assignment a slot: a tuple assignment would cost more."""
    out = _new(_value_class)
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


def _unary(data: float, a: Value, local: float, op: Op, attrs: tuple[float, ...] = ()) -> Value:
    """A new node with one parent."""
    out = _new(_value_class)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if attrs:
        out._attrs = attrs
    out._b = out._more = None
    out._db = 0.0
    if _mode.enabled:
        out.op = op
        out._a = a
        out._da = local
    else:
        out.op = None
        out._a = None
        out._da = 0.0
    return out


def op_error(op: Op, error: Exception, operands: Sequence[object]) -> MathError:
    """``error`` from ``op``'s kernel as the engine's own error, naming the op and its operands."""
    message = str(error) or type(error).__name__
    return refined(error)(f"{message} ({_where(op, operands)})")


def not_finite(op: Op, numbers: Sequence[float], operands: Sequence[object]) -> MathError:
    """The error for an op whose value or a local derivative (``numbers``) is inf or NaN."""
    value, *local_grads = numbers
    names = _names(len(operands))
    if not _isfinite(value):
        what = f"its value is {value!r}"
    else:
        i = next(i for i, g in enumerate(local_grads) if not _isfinite(g))
        what = f"its local derivative ∂/∂{names[i]} is {local_grads[i]!r}"
    if any(x != x for x in numbers):  # NaN is the one float not equal to itself
        return DomainError(f"{op.name} is not a number here: {what} ({_where(op, operands)})")
    return NumberOverflowError(
        f"{op.name} overflows a float here: {what}, beyond the largest float (about 1.8e308); "
        f"scale the inputs down ({_where(op, operands)})"
    )


def check_finite(op: Op, numbers: Sequence[float], operands: Sequence[object]) -> None:
    """Raise :func:`not_finite`'s error unless the value and every local derivative are finite."""
    if not all(map(_isfinite, numbers)):
        raise not_finite(op, numbers, operands)


def _names(count: int) -> tuple[str, ...]:
    return ("x",) if count == 1 else ("a", "b", "c", "d", "e", "f", "g", "h")[:count]


def _where(op: Op, operands: Sequence[object]) -> str:
    given = ", ".join(
        f"{name} = {operand!r}"
        for name, operand in zip(_names(len(operands)), operands, strict=False)
    )
    return f"in {op.name} with {given}"


def method(op: Op, *, reflected: bool = False) -> Callable[..., Any]:
    """The operator or method of ``op`` for ``Value``: ``x.tanh()``, ``a / b``, ``2 / b``…

    ``reflected`` makes the method for a plain number on the left (``__rtruediv__``).
    """
    kernel = op.kernel
    if op.attrs or op.arity > 2 or kernel is None:
        from .value import apply

        def general(*operands: Any, **attrs: float) -> Value:
            return apply(op, *operands, **attrs)

        return general
    if op.arity == 1:

        def unary(self: Value) -> Value:
            try:
                result = kernel(self.data)
            except ARITHMETIC_ERRORS as error:
                raise op_error(op, error, (self,)) from None
            data, local = result
            if data - data + (local - local) != 0.0:
                raise not_finite(op, result, (self,))
            return _unary(data, self, local, op)

        return unary

    def binary(self: Value, other: object) -> Value:
        other = as_operand(other)
        if other is None:
            return NotImplemented
        a, b = (other, self) if reflected else (self, other)
        try:
            result = kernel(a.data, b.data)
        except ARITHMETIC_ERRORS as error:
            raise op_error(op, error, (a, b)) from None
        data, local_a, local_b = result
        if data - data + (local_a - local_a) + (local_b - local_b) != 0.0:
            raise not_finite(op, result, (a, b))
        return _binary(data, a, b, local_a, local_b, op)

    return binary


def power(x: Value, k: float, op: Op) -> Value:
    """``x ** k`` for a plain-number ``k``: one node whose ``attrs`` are ``(k,)``."""
    try:
        data, local = op.kernel(x.data, k)  # type: ignore[misc]
    except ARITHMETIC_ERRORS as error:
        raise op_error(op, error, (x,)) from None
    check_finite(op, (data, local), (x,))
    return _unary(data, x, local, op, (k,))


# --- the walk and backward ------------------------------------------------------------------


def operation_order(root: Node) -> list[Node]:
    """``engine.graph.topological_order(root)`` without its leaves, through the slots.

    The same depth-first walk, with an explicit stack; a leaf is never pushed.
    """
    if root._a is None:
        return []
    order: list[Node] = []
    emitted: set[Node] = set()
    expanded: set[Node] = set()
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


def backward(root: Node) -> None:
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

KERNEL, ADD, SUB, MUL, NEG, RELU, IDENTITY = range(7)
"""Replay's instruction codes: a kernel call, or one of the inline ops."""


def replay_code(op: Op, inline: dict[Op, int], unroll: bool) -> int:
    """The code for ``op``: inline when ``unroll`` allows and ``op`` is one of ``inline``."""
    return inline.get(op, KERNEL) if unroll else KERNEL


Instruction = tuple[int, int, int, int, Any]
"""(code, output position, first and last operand positions, call): ``call`` is
``(op, all operand positions, attrs)`` for a kernel call and ``None`` for an inline op."""


def instruction(
    code: int, op: Op, o: int, operands: tuple[int, ...], attrs: tuple[float, ...]
) -> Instruction:
    """One step of a replay: node ``o`` is ``op`` of the nodes at ``operands``."""
    call = (op, operands, attrs) if code == KERNEL else None
    return (code, o, operands[0], operands[-1], call)


def replay_forward(
    program: list[Instruction], d: list[float], loc: list[Any], nodes: list[Any]
) -> None:
    """Recompute ``d`` (values) and ``loc`` (local derivatives) for every instruction, in order."""
    for code, o, a, b, call in program:
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
            op, operands, attrs = call
            args = [d[i] for i in operands]
            try:
                result = op.kernel(*args, *attrs)  # type: ignore[misc]
            except ARITHMETIC_ERRORS as error:
                raise op_error(op, error, _current(nodes, operands, d)) from None
            if not all(map(_isfinite, result)):
                raise not_finite(op, result, _current(nodes, operands, d))
            d[o], *loc[o] = result
    total = sum(d)  # inf or NaN if any value is, and only then (or if the sum overflows)
    if total - total != 0.0:
        for _, o, a, b, _ in program:
            if not _isfinite(d[o]):
                op = nodes[o].op
                operands = (a, b)[: op.arity]
                raise not_finite(op, (d[o], *loc[o]), _current(nodes, operands, d))


def replay_backward(
    program: list[Instruction], d: list[float], loc: list[Any], g: list[float]
) -> None:
    """Backprop ``g`` through the program, last instruction first."""
    for code, o, a, b, call in reversed(program):
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
            for i, local in zip(call[1], loc[o], strict=True):
                g[i] += local * upstream


class _Replayed:
    """A computed node as a replay sees it: its name and its value in this run, not when traced."""

    def __init__(self, node: Any, value: float) -> None:
        self.node, self.value = node, value

    def __repr__(self) -> str:
        from .narration import name_of

        return f"{name_of(self.node)} (replayed: {self.value!r})"


def _current(nodes: list[Any], operands: tuple[int, ...], d: list[float]) -> list[Any]:
    """The operands as they stand in this run: leaves as they are, computed nodes replayed."""
    return [nodes[i] if nodes[i].op is None else _Replayed(nodes[i], d[i]) for i in operands]
