"""The scalar node of the computation graph, and the ops that make new ones.

Every op computes its value *and* the local derivative of that value towards
each operand, evaluated right now:

    c = a * b    records    parents = (a, b),  local_grads = (∂c/∂a, ∂c/∂b) = (b, a)

Backprop (``engine.backprop``) is then one generic loop over those edges:
``parent.grad += local_grad × node.grad``. There are no closures per node, so
a graph holds no reference cycles and is freed by reference counting the
moment its root goes out of scope.

Reading order: :class:`Value` (the node), :class:`Constant` (a number written
into a formula), :func:`apply` (how any op makes a node), :func:`define_op`
(how an op enters the op table), then every built-in op, its value and its
local derivatives side by side. ``engine.fast`` makes the same nodes faster.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator, Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any, overload

from . import backprop, fast, grad_mode, optable
from .optable import Kernel, Op

if TYPE_CHECKING:
    from .backprop import BackwardStep

Number = int | float


class Value(fast.Node):
    """One real number in a computation, remembering how it was computed.

    ``data``        the number (a float)
    ``grad``        ∂root/∂self after ``root.backward()``; starts at 0.0
    ``parents``     the operands this value was computed from, in order
    ``local_grads`` ∂self/∂parent for each parent, in the same order
    ``op``          the :class:`~engine.optable.Op` that made it (``None`` for a leaf)
    ``attrs``       the numbers the op was given besides its operands (``k`` in x ** k)
    ``label``       a name for diagrams and step-through text (free to set)

    ``Value(data, label)`` is a leaf: an input or a weight, which backprop gives
    a gradient. A node of an op of your own can be made directly, with
    ``parents``, ``local_grads`` and ``op`` (a name): it backprops like any
    other, but only an op defined with :func:`define_op` can be replayed.
    """

    __slots__ = ()
    is_constant = False
    """True only for a :class:`Constant`, which takes no gradient."""

    def __init__(
        self,
        data: Number,
        label: str = "",
        *,
        parents: Sequence[Value] = (),
        local_grads: Sequence[Number] = (),
        op: Op | str | None = None,
        attrs: Sequence[Number] = (),
    ) -> None:
        if data.__class__ is not float or not math.isfinite(data):
            data = real(data, "Value(data)")
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        self.data = data
        self.grad = 0.0
        self.label = label
        if parents or local_grads or op is not None or attrs:
            self._become_operation(tuple(parents), tuple(local_grads), op, tuple(attrs))
        else:  # a leaf: no op, no edges
            self.op = None
            self._link((), ())

    def _become_operation(
        self,
        parents: tuple[Value, ...],
        local_grads: tuple[Number, ...],
        op: Op | str | None,
        attrs: tuple[Number, ...],
    ) -> None:
        """Check and record how this value was computed: ``op`` applied to ``parents``."""
        for parent in parents:
            if not isinstance(parent, Value):
                raise TypeError(
                    f"Value parents must all be Value objects, got {type(parent).__name__}: "
                    f"{parent!r:.80}; wrap plain numbers as Value(number) first"
                )
        grads = tuple(real(g, "Value local_grads") for g in local_grads)
        if len(grads) != len(parents):
            raise ValueError(
                f"Value needs one local gradient per parent: got {len(parents)} parents "
                f"and {len(grads)} local_grads"
            )
        record = _op_record(op, len(parents))
        fixed = tuple(real(x, "Value attrs") for x in attrs)
        expected = record.attrs if record is not None else ()
        if len(fixed) != len(expected):
            what = f"op {record.name}" if record is not None else "a node without an op"
            raise ValueError(f"{what} takes {len(expected)} attrs {expected}, got {fixed}")
        if not grad_mode.is_grad_enabled():  # evaluation: keep the number, drop the graph
            parents, grads, record, fixed = (), (), None, ()
        self.op = record
        if fixed:
            self.attrs = fixed
        self._link(parents, grads)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __pow__(self, other: Value | Number) -> Value:
        """``x ** k`` for a number or constant k (the op ``power``), ``a ** b`` for a Value b."""
        if isinstance(other, Value):
            return fast.power(self, other.data, power) if other.is_constant else pow_(self, other)
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        return fast.power(self, real(other, "exponent"), power)

    def __rpow__(self, other: Number) -> Value:
        """``2 ** x``: a constant base to a Value power (the op ``pow``)."""
        base = fast.as_operand(other)
        return NotImplemented if base is None else pow_(base, self)

    def backward(self) -> None:
        """Fill in ``grad`` = ∂self/∂node for every node of this graph.

        The loop of :func:`engine.backprop.backward`, run by its twin in ``engine.fast``.
        """
        fast.backward(self)

    def backward_steps(self) -> Iterator[BackwardStep]:
        """Backprop one chain-rule step (one edge) at a time; see ``engine.backprop``."""
        return backprop.backward_steps(self)


def _constant_grad(self: Constant) -> float:
    return 0.0


def _ignore_grad(self: Constant, grad: float) -> None:
    """Backprop's share for a constant is dropped: nothing downstream can change a constant."""


class Constant(Value):
    """A number written into a formula, such as the 2 in ``2 * x``: drawn, never differentiated.

    Every plain number in an expression becomes one (``2 * x``, ``x - 1``, the
    ½ of ½(a − y)²). Its ``grad`` is always 0.0 and backward takes no step
    towards it, so the gradients a learner reads are those of the variables.
    """

    __slots__ = ()
    is_constant = True
    grad = property(_constant_grad, _ignore_grad, doc="Always 0.0: a constant takes no gradient.")

    def __init__(self, data: Number, label: str = "") -> None:
        super().__init__(data, label)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Constant({self.data!r}{label})"


def real(x: object, what: str) -> float:
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


def _op_record(op: Op | str | None, arity: int) -> Op | None:
    """The record for a node's ``op`` argument: a table op, a hand-made name, or none (a leaf)."""
    if isinstance(op, Op):
        if arity != op.arity:
            raise ValueError(f"op {op.name} takes {op.arity} operands, got {arity} parents")
        return op
    if op is not None and not isinstance(op, str):
        raise TypeError(f"Value op must be an Op or a str, got {type(op).__name__}: {op!r:.80}")
    if arity == 0:
        if op:
            raise ValueError(f"op {op!r} was given without its operands: pass parents=(…)")
        return None
    return optable.hand_made(op or "", arity)


# --- applying an op -------------------------------------------------------------------------


def apply(op: Op, *operands: Value | Number, **attrs: Number) -> Value:
    """A new node: ``op``'s value and local derivatives at the operands' current data.

    Plain numbers among the operands become constants; ``attrs`` are the op's
    fixed numbers by name, e.g. ``apply(power, x, k=2)``. An error of the
    kernel (a value outside the op's domain) names the op and its operands,
    and nothing is created.
    """
    if op.kernel is None:
        raise TypeError(f"op {op.name!r} has no kernel, so nothing can compute it")
    if len(operands) != op.arity:
        raise TypeError(f"op {op.name} takes {op.arity} operands, got {len(operands)}")
    nodes = []
    for operand in operands:
        node = fast.as_operand(operand)
        if node is None:
            raise TypeError(
                f"op {op.name} takes Values or numbers, got {type(operand).__name__}: "
                f"{operand!r:.80}"
            )
        nodes.append(node)
    if set(attrs) != set(op.attrs):
        raise TypeError(f"op {op.name} takes the attrs {op.attrs}, got {tuple(attrs)}")
    fixed = [real(attrs[name], f"{op.name} {name}") for name in op.attrs]
    try:
        result = op.kernel(*(node.data for node in nodes), *fixed)
    except fast.ARITHMETIC_ERRORS as error:
        raise fast.op_error(op, error, nodes) from None
    data, *local_grads = result
    fast.check_finite(op, result, nodes)
    return Value(data, parents=nodes, local_grads=local_grads, op=op, attrs=fixed)


# --- defining an op -------------------------------------------------------------------------

_METHODS: dict[str, str] = {}
"""Which op each generated method of Value belongs to, so that a redefinition may replace it."""


@overload
def define_op(name: str, kernel: Kernel, **options: Any) -> Op: ...
@overload
def define_op(name: str, kernel: None = None, **options: Any) -> Callable[[Kernel], Op]: ...


def define_op(
    name: str,
    kernel: Kernel | None = None,
    *,
    formulas: Sequence[str] = (),
    symbol: str = "",
    infix: str = "",
    attrs: Sequence[str] = (),
    method: str = "",
    reflected: str = "",
    doc: str = "",
) -> Op | Callable[[Kernel], Op]:
    """Put an op in the op table and return its record; usable as a decorator.

    ``kernel(*operands, *attrs)`` takes plain floats and returns the value and
    the local derivative towards each operand, e.g. for x³::

        @define_op("cube", formulas=("3·{a}²",), method="cube")
        def cube(x):
            return x**3, 3 * x**2

    Then ``cube(v)`` and ``v.cube()`` make nodes that backprop, narrate
    (``∂out/∂x = 3·x²``), draw and replay like any built-in op. ``formulas``
    (one per operand; placeholders ``{a}``, ``{b}``, ``{out}`` and each attr)
    are optional: without one the narration shows the number. ``method``
    installs ``Value.<method>``; ``reflected`` the method for a plain number
    on the left, such as ``__rmul__``. The number of operands is read from
    the kernel's signature. Defining a name again replaces your earlier op.
    """
    if kernel is None:
        return lambda function: define_op(
            name, function, formulas=formulas, symbol=symbol, infix=infix, attrs=attrs,
            method=method, reflected=reflected, doc=doc,
        )  # fmt: skip
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"an op's name is an identifier such as 'cube', got {name!r}")
    optable.check_redefinable(name)
    if not callable(kernel):
        raise TypeError(f"define_op({name!r}) needs a kernel function, got {kernel!r:.80}")
    attrs = tuple(attrs)
    arity = _arity(name, kernel) - len(attrs)
    if arity < 1:
        raise ValueError(f"op {name!r}: its kernel must take at least one operand")
    formulas = tuple(formulas)
    if formulas and len(formulas) != arity:
        raise ValueError(f"op {name!r} has {arity} operands, so it needs {arity} formulas")
    for slot in (method, reflected):
        owner = _METHODS.get(slot)
        if slot and owner != name and (owner is not None or hasattr(Value, slot)):
            raise ValueError(f"op {name!r}: Value already has a {slot!r}; choose another method")
    op = optable.register(
        Op(name, arity, kernel, formulas, symbol or name, infix, attrs, doc or kernel.__doc__ or "")
    )
    for slot, is_reflected in ((method, False), (reflected, True)):
        if slot:
            setattr(Value, slot, fast.method(op, reflected=is_reflected))
            _METHODS[slot] = name
    return op


def _arity(name: str, kernel: Kernel) -> int:
    try:
        parameters = inspect.signature(kernel).parameters.values()
    except (TypeError, ValueError):
        raise ValueError(f"op {name!r}: cannot read its kernel's parameters") from None
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters):
        raise ValueError(f"op {name!r}: its kernel must take plain positional parameters")
    return len(parameters)


# --- the built-in ops: each one's value and its local derivatives, side by side --------------


@define_op(
    "add", formulas=("1", "1"), symbol="+", infix="+", method="__add__", reflected="__radd__"
)
def add(a: float, b: float) -> tuple[float, float, float]:
    """a + b: ∂/∂a = 1, ∂/∂b = 1."""
    return a + b, 1.0, 1.0


@define_op(
    "sub", formulas=("1", "−1"), symbol="−", infix="−", method="__sub__", reflected="__rsub__"
)
def sub(a: float, b: float) -> tuple[float, float, float]:
    """a − b: ∂/∂a = 1, ∂/∂b = −1."""
    return a - b, 1.0, -1.0


@define_op(
    "mul", formulas=("{b}", "{a}"), symbol="×", infix="·", method="__mul__", reflected="__rmul__"
)
def mul(a: float, b: float) -> tuple[float, float, float]:
    """a · b: ∂/∂a = b, ∂/∂b = a."""
    return a * b, b, a


@define_op(
    "div", formulas=("1/{b}", "−{a}/{b}²"), symbol="÷", infix="/",
    method="__truediv__", reflected="__rtruediv__",
)  # fmt: skip
def div(a: float, b: float) -> tuple[float, float, float]:
    """a / b: ∂/∂a = 1/b, ∂/∂b = −a/b² (computed as −(a/b)/b, so b² never underflows to 0)."""
    if b == 0.0:
        raise ZeroDivisionError(
            "division by zero in a / b: the quotient and ∂/∂b = −a/b² are undefined at b = 0"
        )
    quotient = a / b
    return quotient, 1.0 / b, -quotient / b


@define_op("neg", formulas=("−1",), symbol="−x", infix="−", method="__neg__")
def neg(x: float) -> tuple[float, float]:
    """−x: ∂/∂x = −1."""
    return -x, -1.0


@define_op("power", formulas=("{k}·{a}^({k} − 1)",), symbol="xᵏ", infix="^", attrs=("k",))
def power(x: float, k: float) -> tuple[float, float]:
    """x ** k for a constant k: ∂/∂x = k·x^(k−1), which is infinite at x = 0 when 0 < k < 1."""
    if x == 0.0 and k < 0.0:
        raise ZeroDivisionError(f"x ** {k:g} is undefined at x = 0")
    if x == 0.0 and 0.0 < k < 1.0:
        raise ValueError(
            f"x ** {k:g} has an infinite slope at x = 0 (∂/∂x = {k:g}·x^({k:g} − 1)); "
            "keep x away from 0, e.g. (x + 1e-12) ** k"
        )
    if x < 0.0 and not k.is_integer():
        raise ValueError(
            f"x ** {k:g} of a negative base is not a real number; "
            "use an integer exponent or a positive base"
        )
    try:
        out = x**k
        if k == 0.0:
            return out, 0.0
        return out, k * x ** (k - 1.0)
    except OverflowError:
        raise OverflowError(f"x ** {k:g} overflows a float") from None


@define_op("pow", formulas=("{b}·{a}^({b} − 1)", "{out}·ln {a}"), symbol="xʸ", infix="^")
def pow_(a: float, b: float) -> tuple[float, float, float]:
    """a ** b with b a Value: ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a, so a must be > 0."""
    if a <= 0.0:
        raise ValueError(
            "a ** b with a Value exponent needs a base a > 0 (∂/∂b = a^b·ln a); "
            "for a constant exponent use a plain number, e.g. x ** 2"
        )
    try:
        out = a**b
        return out, b * a ** (b - 1.0), out * math.log(a)
    except OverflowError:
        raise OverflowError("a ** b overflows a float") from None


@define_op("exp", formulas=("{out}",), method="exp")
def exp(x: float) -> tuple[float, float]:
    """e^x, whose derivative is itself: ∂/∂x = e^x."""
    try:
        out = math.exp(x)
    except OverflowError:
        raise OverflowError(
            "exp overflow: e^x exceeds the largest float (about 1.8e308, reached at "
            "x ≈ 709.78); scale the input down before exp"
        ) from None
    return out, out


@define_op("log", formulas=("1/{a}",), method="log")
def log(x: float) -> tuple[float, float]:
    """The natural logarithm ln x, defined for x > 0: ∂/∂x = 1/x."""
    if x <= 0.0:
        raise ValueError(
            "log needs a positive input: ln x is only defined for x > 0 "
            "(add a small epsilon or clamp the input first)"
        )
    return math.log(x), 1.0 / x


@define_op("tanh", formulas=("1 − {out}²",), method="tanh")
def tanh(x: float) -> tuple[float, float]:
    """tanh x = (e^x − e^−x)/(e^x + e^−x): ∂/∂x = 1 − tanh² x."""
    t = math.tanh(x)
    return t, 1.0 - t * t


@define_op("sigmoid", formulas=("{out}·(1 − {out})",), symbol="σ", method="sigmoid")
def sigmoid(x: float) -> tuple[float, float]:
    """σ(x) = 1/(1 + e^−x), computed without overflow: ∂/∂x = σ(x)(1 − σ(x))."""
    if x >= 0.0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    return s, s * (1.0 - s)


@define_op("softplus", formulas=("σ({a})",), method="softplus")
def softplus(x: float) -> tuple[float, float]:
    """softplus(x) = ln(1 + e^x), a smooth relu: ∂/∂x = e^x/(1 + e^x) = σ(x).

    Written max(x, 0) + ln(1 + e^−|x|), so the exp is at most 1 and nothing
    overflows: softplus(1000) is 1000, not ln(inf). The slope σ(x) reuses that
    exp, as the sigmoid kernel writes it. Binary cross-entropy on a logit s is
    softplus(s) − y·s.
    """
    if x >= 0.0:
        e = math.exp(-x)
        return x + math.log1p(e), 1.0 / (1.0 + e)
    e = math.exp(x)
    return math.log1p(e), e / (1.0 + e)


@define_op("relu", formulas=("1 if {a} > 0 else 0",), method="relu")
def relu(x: float) -> tuple[float, float]:
    """max(0, x): ∂/∂x = 1 for x > 0 and 0 otherwise (0 at x = 0, as in PyTorch)."""
    return (x, 1.0) if x > 0.0 else (0.0, 0.0)


@define_op("identity", formulas=("1",), method="identity")
def identity(x: float) -> tuple[float, float]:
    """x itself as a node of its own, e.g. a linear activation a = σ(z) = z: ∂/∂x = 1."""
    return x, 1.0


optable.seal_builtins()
fast.install(Value, Constant, {"add": add, "sub": sub, "mul": mul, "neg": neg})
