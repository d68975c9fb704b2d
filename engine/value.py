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
(how an op enters the op table), then every built-in op, one definition each:
its value and its local derivatives as formulas, side by side.

This is the whole engine, plain. ``engine.fast`` makes the same nodes faster; it swaps
itself in with one line of ``engine/__init__.py``, and the tests prove it changes no bit.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any, overload

from . import backprop, grad_mode, optable
from .checks import ARITHMETIC_ERRORS, checked, op_error
from .errors import DivisionByZeroError
from .i18n import catalogue
from .optable import OPS, Kernel, OpRecord

if TYPE_CHECKING:
    from .backprop import BackwardStep

Number = int | float


class Value:
    """One real number in a computation, remembering how it was computed.

    ``data``        the number (a float)
    ``grad``        ∂root/∂self after ``root.backward()``; starts at 0.0
    ``parents``     the operands this value was computed from, in order
    ``local_grads`` ∂self/∂parent for each parent, in the same order
    ``op``          the :class:`Op` that made it (``None`` for a leaf)
    ``attrs``       the numbers the op was given besides its operands (``k`` in x ** k)
    ``label``       a name for diagrams and step-through text (free to set)
    ``role``        for a node of a recorded backward pass, what it is there (else None)

    ``Value(data, label)`` is a leaf: an input or a weight, which backprop gives
    a gradient. A node of an op of your own can be made directly, with
    ``parents``, ``local_grads`` and ``op`` (a name): it backprops like any
    other, but only an op defined with :func:`define_op` can be replayed.
    """

    __slots__ = (
        "_a",
        "_attrs",
        "_b",
        "_da",
        "_db",
        "_more",
        "_role",
        "data",
        "grad",
        "label",
        "op",
    )
    is_constant = False
    """True only for a :class:`Constant`, which takes no gradient."""

    # Storage: a node keeps its first two edges in slots of its own (parent _a with local
    # derivative _da, parent _b with _db; a hand-made node's further edges in _more), and
    # ``parents`` and ``local_grads`` read them as tuples. One object per node instead of a
    # node and two tuples: CPython's cyclic garbage collector, which runs once per so many
    # allocations and walks every live object, then runs a third as often over a third as
    # many objects (benchmarks/RESULTS.md, "in cyclic GC"). Likewise ``attrs`` is stored
    # (in _attrs) only by the nodes that have some, such as x ** 2: one store fewer a node;
    # and ``role`` (in _role) only by the nodes a create_graph backward pass makes.

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
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        parents, local_grads, attrs = tuple(parents), tuple(local_grads), tuple(attrs)
        for parent in parents:
            if not isinstance(parent, Value):
                raise TypeError(
                    f"Value parents must all be Value objects, got {type(parent).__name__}: "
                    f"{parent!r:.80}; wrap plain numbers as Value(number) first"
                )
        record = _op_record(op, len(parents))
        expected = record.attrs if record is not None else ()
        if len(attrs) != len(expected):
            what = f"op {record.name}" if record is not None else "a node without an op"
            raise ValueError(f"{what} takes {len(expected)} attrs {expected}, got {attrs}")
        if len(local_grads) != len(parents):
            raise ValueError(
                f"Value needs one local gradient per parent: got {len(parents)} parents "
                f"and {len(local_grads)} local_grads"
            )
        self.data = real(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        local_grads = tuple(real(g, "Value local_grads") for g in local_grads)
        attrs = tuple(real(x, "Value attrs") for x in attrs)
        if not grad_mode.is_grad_enabled():  # evaluation: keep the number, drop the graph
            parents, local_grads, record, attrs = (), (), None, ()
        self.op = record
        if attrs:
            self._attrs = attrs
        self._link(parents, local_grads)

    def _link(self, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> None:
        """Store the edges: ``parents[i]``, with ∂self/∂parents[i] = ``local_grads[i]``."""
        n = len(parents)
        self._a = parents[0] if n else None
        self._da = local_grads[0] if n else 0.0
        self._b = parents[1] if n > 1 else None
        self._db = local_grads[1] if n > 1 else 0.0
        self._more = (parents[2:], local_grads[2:]) if n > 2 else None

    @property
    def attrs(self) -> tuple[float, ...]:
        """The numbers the op was given besides its operands, e.g. ``(2.0,)`` for x ** 2."""
        try:
            return self._attrs
        except AttributeError:  # a node without attrs stores none
            return ()

    @property
    def role(self) -> Any:
        """For a node made by ``grad(…, create_graph=True)``: its :class:`~engine.higher_order.Role`
        in the backward pass (whose local derivative, product or sum). ``None`` otherwise."""
        try:
            return self._role
        except AttributeError:
            return None

    @role.setter
    def role(self, role: Any) -> None:
        self._role = role

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

    def __pow__(self, other: Value | Number) -> Value:
        """``x ** k`` for a number or constant k (the op ``power``), ``a ** b`` for a Value b."""
        if isinstance(other, Value):
            return (
                apply(power, self, k=other.data) if other.is_constant else apply(pow_, self, other)
            )
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        return apply(power, self, k=other)

    def __rpow__(self, other: Number) -> Value:
        """``2 ** x``: a constant base to a Value power (the op ``pow``)."""
        base = as_operand(other)
        return NotImplemented if base is None else apply(pow_, base, self)

    def backward(self) -> None:
        """Fill in ``grad`` = ∂self/∂node for every node of this graph (``engine.backprop``)."""
        backprop.backward(self)

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
        try:
            result = float(x)
        except OverflowError:
            bits = x.bit_length()  # type: ignore[attr-defined]
            raise ValueError(f"{what} needs a finite number, got an int of {bits} bits") from None
    else:
        hint = "; use its .data for the number" if isinstance(x, Value) else ""
        raise TypeError(
            f"{what} needs a real number (int or float), got {type(x).__name__}: {x!r:.80}{hint}"
        )
    if not math.isfinite(result):
        raise ValueError(f"{what} needs a finite number, got {result!r}")
    return result


def as_operand(x: object) -> Value | None:
    """An operand as a node: a Value as it is, a plain number as a new :class:`Constant`.

    ``None`` for anything else, so that an operator can return ``NotImplemented``.
    """
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, Real):
        return None
    return Constant(x)


# --- the op record, callable ----------------------------------------------------------------


class Op(OpRecord):
    """An op of the table (:class:`~engine.optable.OpRecord`) that can be applied: ``cube(x)``."""

    def __call__(self, *operands: Value | Number, **attrs: Number) -> Value:
        """Apply the op to Values (or plain numbers, which become constants)."""
        return apply(self, *operands, **attrs)


def _op_record(op: Op | str | None, arity: int) -> Op | None:
    """The record for a node's ``op`` argument: a table op, a hand-made name, or none (a leaf)."""
    if isinstance(op, OpRecord):
        if arity != op.arity:
            raise ValueError(f"op {op.name} takes {op.arity} operands, got {arity} parents")
        return op  # type: ignore[return-value]
    if op is not None and not isinstance(op, str):
        raise TypeError(f"Value op must be an Op or a str, got {type(op).__name__}: {op!r:.80}")
    if arity == 0:
        if op:
            raise ValueError(f"op {op!r} was given without its operands: pass parents=(…)")
        return None
    return hand_made(op or "", arity)


def hand_made(name: str, arity: int) -> Op:
    """The record of a node made directly with ``Value(…, op=name)``: never in the table.

    Such a node backprops with the local derivatives it was given, and is drawn
    and narrated under its name, but nothing can recompute it: it has no kernel.
    """
    return Op(name=name, arity=arity, kernel=None, symbol=name or "?")


# --- applying an op -------------------------------------------------------------------------


def apply(op: OpRecord, *operands: Value | Number, **attrs: Number) -> Value:
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
        node = as_operand(operand)
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
    except ARITHMETIC_ERRORS as error:
        raise op_error(op, error, nodes) from None
    data, *local_grads = checked(op, result, lambda: nodes, fixed)
    return Value(data, parents=nodes, local_grads=local_grads, op=op, attrs=fixed)


# --- defining an op -------------------------------------------------------------------------

_METHODS: dict[str, tuple[str, bool]] = {}
"""Each generated method of Value: its op's name, and whether it is reflected (``2 / x``)."""

OPERATORS = frozenset(
    (
        "__add__",
        "__radd__",
        "__sub__",
        "__rsub__",
        "__mul__",
        "__rmul__",
        "__truediv__",
        "__rtruediv__",
        "__neg__",
    )
)
"""The special methods an op may install: the arithmetic the engine itself generates."""


@overload
def define_op(name: str, kernel: Kernel, **options: Any) -> Op: ...
@overload
def define_op(name: str, kernel: None = None, **options: Any) -> Any: ...


def said(key: str) -> Mapping[str, str]:
    """The words of catalogue message ``key`` in every language, for a built-in op's domain or
    overflow: ``said("engine.log_domain")`` (``engine/messages/engine.json``). The language
    is picked when the error is raised, not here."""
    return catalogue()[key]


def define_op(
    name: str,
    kernel: Kernel | None = None,
    *,
    value: str = "",
    grads: Sequence[str] = (),
    domain: Sequence[tuple[Any, ...]] = (),
    overflow: str | Mapping[str, str] = "",
    formulas: Sequence[str] = (),
    symbol: str = "",
    infix: str = "",
    attrs: Sequence[str] = (),
    method: str = "",
    reflected: str = "",
    doc: str = "",
) -> Any:
    """Put an op in the op table and return it: one definition, read by everything.

    The documented form is formulas, over the operands ``a`` (and ``b``), the op's
    value ``out`` and its ``attrs``::

        cube = define_op("cube", value="a**3", grads=["3*a**2"])

    ``value`` and each of ``grads`` (∂out/∂a, then ∂out/∂b) may use numbers,
    ``+ - * / **``, comparisons (1.0 or 0.0), ``x if c else y`` and any registered op
    as a function. They are parsed against a whitelist, never evaluated as text, and
    compiled once into a plain Python kernel and its JavaScript twin for the pages.
    Their text (``3·a²``) is the narration, unless ``formulas`` gives other words.

    ``domain`` lists conditions with their messages, checked before computing:
    ``domain=[("a > 0", "log needs a positive input")]``; a third item picks the
    error (``DivisionByZeroError``, ``NumberOverflowError``; ``DomainError`` by
    default). ``overflow`` is the message for a result too large for a float. A message
    may be one ``str``, or its words in each language, in the same definition:
    ``{"en": "log needs a positive input", "zh": "log 的输入必须是正数"}`` (the built-in
    ops take theirs from the catalogue, :func:`said`).

    An op can instead be given as a Python function (``kernel`` or as a decorator)
    returning the value and each local derivative; it works in Python, but the pages
    cannot recompute it and it has no higher derivatives.

    ``method`` installs ``Value.<method>`` (``x.cube()``); ``reflected`` the method
    for a plain number on the left, such as ``__rtruediv__``. Defining a learner's op
    again replaces it; every mistake is a ``ValueError`` here, saying what to write.
    """
    if kernel is None and not value and not grads:
        return lambda function: define_op(
            name,
            function,
            domain=domain,
            overflow=overflow,
            formulas=formulas,
            symbol=symbol,
            infix=infix,
            attrs=attrs,
            method=method,
            reflected=reflected,
            doc=doc,
        )
    optable.check_name(name, "an op's name")
    optable.check_redefinable(name)
    if optable.BUILTIN and name in optable.formula.PRIMITIVES:
        raise ValueError(f"{name!r} is a math function that formulas call; name your op otherwise")
    attrs = optable.check_attrs(name, attrs)
    # an overflow message names the attrs ({k}); the operands are shown after it, as numbers
    overflow_words = optable.check_words(name, overflow, attrs, "its overflow message")
    for slot in (method, reflected):
        _check_method(name, slot)
    if kernel is not None:
        if value or grads:
            raise ValueError(f"op {name!r}: give either a kernel function or value= and grads=")
        if domain:
            raise ValueError(
                f"op {name!r}: domain= goes with value= and grads=; a kernel function checks "
                "its own operands (raise ValueError with your words)"
            )
        if not callable(kernel):
            raise TypeError(f"define_op({name!r}) needs a kernel function, got {kernel!r:.80}")
        arity = _arity(name, kernel) - len(attrs)
        compiled = None
    else:
        if not value or not grads:
            raise ValueError(f"op {name!r}: give value= and grads= (one formula per operand)")
        compiled = optable.compile_formulas(
            name, value, grads, attrs, domain, overflow_words, _symbol_of, shown=tuple(formulas)
        )
        arity = len(compiled.grad_trees)
    if arity not in (1, 2):
        raise ValueError(f"op {name!r}: an op takes 1 or 2 operands, its kernel takes {arity}")
    placeholders = (*optable.OPERANDS[:arity], "out", *attrs)
    formulas = tuple(formulas) or (compiled.formulas if compiled else ())
    if formulas and len(formulas) != arity:
        raise ValueError(f"op {name!r} has {arity} operands, so it needs {arity} formulas")
    for text in formulas:
        optable.check_placeholders(name, text, placeholders, "a formula")
    for text in (symbol, infix, doc):
        if not isinstance(text, str):
            raise ValueError(f"op {name!r}: symbol, infix and doc are text, got {text!r:.80}")
    op = Op(
        name=name,
        arity=arity,
        kernel=compiled.kernel if compiled else kernel,
        formulas=formulas,
        symbol=symbol or name,
        infix=infix,
        attrs=attrs,
        doc=doc or (getattr(kernel, "__doc__", None) or ""),
        function=compiled.function if compiled else None,
        value_formula=value if compiled else "",
        grad_formulas=tuple(grads) if compiled else (),
        value_tree=compiled.value_tree if compiled else None,
        grad_trees=compiled.grad_trees if compiled else (),
        domain=compiled.domain if compiled else (),
        overflow=overflow_words,
        python=compiled.python if compiled else "",
        javascript=compiled.javascript if compiled else "",
        shown_trees=compiled.shown_trees if compiled else (),
    )
    optable.register(op)
    for slot, is_reflected in ((method, False), (reflected, True)):
        if slot:
            setattr(Value, slot, _method(op, reflected=is_reflected))
            _METHODS[slot] = (name, is_reflected)
    return op


def _check_method(name: str, slot: str) -> None:
    """A method name is public, or one of :data:`OPERATORS`; and not another's."""
    if not slot:
        return
    if not isinstance(slot, str) or not slot.isidentifier():
        raise ValueError(f"op {name!r}: a method is named by an identifier, got {slot!r:.80}")
    if slot.startswith("_") and slot not in OPERATORS:
        raise ValueError(
            f"op {name!r}: method {slot!r} is private or special; Value would break. Use a "
            f"public name such as {name!r}, or one of {', '.join(sorted(OPERATORS))}"
        )
    owner = _METHODS[slot][0] if slot in _METHODS else None
    if owner != name and (owner is not None or hasattr(Value, slot)):
        raise ValueError(f"op {name!r}: Value already has a {slot!r}; choose another method")


def _symbol_of(name: str) -> str:
    """How a formula's text writes a call: sigmoid as σ, any other op by its name."""
    op = OPS.get(name)
    return op.symbol if op is not None and len(op.symbol) == 1 else name


def _method(op: Op, *, reflected: bool) -> Callable[..., Any]:
    """``Value``'s method for ``op``: ``x.tanh()``, ``a / b``, or ``2 / b`` when ``reflected``."""
    if reflected:

        def reflected_method(self: Value, other: object) -> Value:
            return NotImplemented if as_operand(other) is None else apply(op, other, self)

        return reflected_method
    if op.arity == 2:

        def binary(self: Value, other: object) -> Value:
            return NotImplemented if as_operand(other) is None else apply(op, self, other)

        return binary

    def method(self: Value, **attrs: Number) -> Value:
        return apply(op, self, **attrs)

    method.__doc__ = op.doc
    return method


def _arity(name: str, kernel: Kernel) -> int:
    try:
        parameters = inspect.signature(kernel).parameters.values()
    except (TypeError, ValueError):
        raise ValueError(f"op {name!r}: cannot read its kernel's parameters") from None
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters):
        raise ValueError(f"op {name!r}: its kernel must take plain positional parameters")
    return len(parameters)


# --- the built-in ops: each one's value and its local derivatives, side by side --------------

add = define_op(
    "add",
    value="a + b",
    grads=["1", "1"],
    symbol="+",
    infix="+",
    method="__add__",
    reflected="__radd__",
    doc="a + b: ∂/∂a = 1, ∂/∂b = 1.",
)
sub = define_op(
    "sub",
    value="a - b",
    grads=["1", "-1"],
    symbol="−",
    infix="−",
    method="__sub__",
    reflected="__rsub__",
    doc="a − b: ∂/∂a = 1, ∂/∂b = −1.",
)
mul = define_op(
    "mul",
    value="a * b",
    grads=["b", "a"],
    symbol="×",
    infix="·",
    method="__mul__",
    reflected="__rmul__",
    doc="a · b: ∂/∂a = b, ∂/∂b = a.",
)
div = define_op(
    "div",
    value="a / b",
    grads=["1 / b", "-out / b"],
    formulas=["1/{b}", "−{a}/{b}²"],
    symbol="÷",
    infix="/",
    domain=[
        (
            "b != 0",
            said("engine.div_by_zero"),
            DivisionByZeroError,
        )
    ],
    method="__truediv__",
    reflected="__rtruediv__",
    doc="a / b: ∂/∂a = 1/b, ∂/∂b = −a/b², computed as −out/b so b² never underflows to 0.",
)
neg = define_op(
    "neg", value="-a", grads=["-1"], symbol="−x", infix="−", method="__neg__", doc="−x: ∂/∂x = −1."
)
power = define_op(
    "power",
    value="a**k",
    grads=["0 if k == 0 else k * a**(k - 1)"],
    attrs=("k",),
    formulas=["{k}·{a}^({k} − 1)"],
    symbol="xᵏ",
    infix="^",
    domain=[
        ("not (a == 0 and k < 0)", said("engine.power_at_zero"), DivisionByZeroError),
        ("not (a == 0 and 0 < k < 1)", said("engine.power_infinite_slope")),
        ("a >= 0 or k == floor(k)", said("engine.power_negative_base")),
    ],
    overflow=said("engine.power_overflow"),
    doc="x ** k for a constant k: ∂/∂x = k·x^(k−1), infinite at x = 0 when 0 < k < 1.",
)
pow_ = define_op(
    "pow",
    value="a**b",
    grads=["b * a**(b - 1)", "out * log(a)"],
    symbol="xʸ",
    infix="^",
    formulas=["{b}·{a}^({b} − 1)", "{out}·ln {a}"],
    domain=[
        ("a > 0", said("engine.pow_domain")),
    ],
    overflow=said("engine.pow_overflow"),
    doc="a ** b with b a Value: ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a, so a must be > 0.",
)
exp = define_op(
    "exp",
    value="exp(a)",
    grads=["out"],
    method="exp",
    overflow=said("engine.exp_overflow"),
    doc="e^x, whose derivative is itself: ∂/∂x = e^x.",
)
log = define_op(
    "log",
    value="log(a)",
    grads=["1 / a"],
    method="log",
    domain=[
        ("a > 0", said("engine.log_domain")),
    ],
    doc="The natural logarithm ln x, defined for x > 0: ∂/∂x = 1/x.",
)
tanh = define_op(
    "tanh",
    value="tanh(a)",
    grads=["1 - out**2"],
    method="tanh",
    doc="tanh x = (e^x − e^−x)/(e^x + e^−x): ∂/∂x = 1 − tanh² x.",
)
sigmoid = define_op(
    "sigmoid",
    value="1 / (1 + exp(-a)) if a >= 0 else exp(a) / (1 + exp(a))",
    grads=["out * (1 - out)"],
    symbol="σ",
    method="sigmoid",
    doc="σ(x) = 1/(1 + e^−x), written so no exp overflows: ∂/∂x = σ(x)(1 − σ(x)).",
)
softplus = define_op(
    "softplus",
    value="a + log1p(exp(-a)) if a >= 0 else log1p(exp(a))",
    grads=["sigmoid(a)"],
    method="softplus",
    doc="softplus(x) = ln(1 + e^x), a smooth relu, written so no exp overflows: ∂/∂x = σ(x).",
)
relu = define_op(
    "relu",
    value="a if a > 0 else 0",
    grads=["a > 0"],
    method="relu",
    doc="max(0, x): ∂/∂x = 1 for x > 0, else 0 (0 at x = 0, as in PyTorch).",
)
identity = define_op(
    "identity",
    value="a",
    grads=["1"],
    method="identity",
    doc="x itself as a node of its own, e.g. a linear activation: ∂/∂x = 1.",
)

optable.seal_builtins()
