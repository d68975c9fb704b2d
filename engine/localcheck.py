"""Checking every edge of a graph on its own: which local derivative is wrong, not just that one is.

:func:`~engine.gradcheck.gradcheck` compares whole gradients, so it can say *that* ∂f/∂x is
off, but not *where* in the graph the slip is. Backprop multiplies local derivatives along
every path, so one wrong edge spoils every gradient behind it. :func:`check_local_grads`
checks each edge by itself instead: for every node made by an op, and each operand k, it
compares the recorded local derivative ``node.local_grads[k]`` with the central difference of
**that op alone** at the operands' values,

    ∂node/∂operand_k ≈ (op(…, x_k + h, …) − op(…, x_k − h, …)) / 2h       h = eps·max(1, |x_k|)

re-running the op's kernel from the op table with the other operands and the attrs unchanged.
The first edge that disagrees, in topological order (parents first), is the culprit:
everything it feeds inherits its error.

Three kinds of node or edge are reported and left out rather than called wrong:

* a node made by hand, ``Value(…, parents=…, local_grads=…, op="name")``: its op has no
  kernel, so nothing can recompute it;
* a node whose value is no longer its op at its operands' current values (a leaf's ``data``
  was changed after the node was made): its local derivatives belong to other numbers;
* an edge at a point where the op is not differentiable, such as relu at 0. There the two
  one-sided differences disagree, and keep disagreeing as the step shrinks; on a smooth
  curve they disagree only by the curvature, which halves when the step does. An edge where
  the op is not defined at x ± h (log just above 0) is left out too.

Like ``gradcheck``, it never raises for a mismatch: it returns a :class:`LocalCheck` whose
``ok`` may be False, whose ``first_wrong`` names the edge, and whose text is a sentence and a
table. Bad arguments are a ``TypeError`` or ``ValueError`` at once.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from . import numeric
from .graph import topological_order
from .narration import grouped, name_of
from .value import Value, real

FLOAT_EPSILON = sys.float_info.epsilon
KERNEL_ERRORS = (ArithmeticError, ValueError)
"""What a kernel raises outside its op's domain (ZeroDivisionError and OverflowError included)."""
MAX_ROWS = 20
"""Rows of the table in the text of a :class:`LocalCheck`; the rest are counted."""


@dataclass(frozen=True, slots=True)
class EdgeCheck:
    """One edge: the local derivative a node recorded towards one operand, and its op's own slope.

    ``node``, ``operand``   the edge: ``node.parents[operand]`` → ``node``
    ``node_name``           the node as :func:`~engine.narration.name_of` names it
    ``parent_name``         the operand, named the same way
    ``op``                  the op's name
    ``inputs``, ``attrs``   the operands' values and the op's fixed numbers, as the op saw them
    ``expected``            the central difference of the op alone (``None``: not checked)
    ``got``                 the local derivative the graph recorded, ``node.local_grads[operand]``
    ``status``              ``"ok"``, ``"wrong"``, ``"kink"`` (not differentiable there) or
                            ``"undefined"`` (the op is not defined a step away)
    ``note``                why an edge was not checked, in words
    """

    node: Value
    operand: int
    node_name: str
    parent_name: str
    op: str
    inputs: tuple[float, ...]
    attrs: tuple[float, ...]
    expected: float | None
    got: float
    status: str
    note: str = ""

    @property
    def edge(self) -> tuple[Value, int]:
        """``(node, operand)``: what ``draw_graph(root, highlight=[…])`` takes to draw it red."""
        return (self.node, self.operand)

    @property
    def ok(self) -> bool:
        """False only for a wrong local derivative (an edge left out is not wrong)."""
        return self.status != "wrong"

    @property
    def checked(self) -> bool:
        """True when the recorded derivative was compared with a central difference."""
        return self.status in ("ok", "wrong")

    @property
    def error(self) -> float:
        """``|got − expected|`` (NaN for an edge that was not checked)."""
        return math.nan if self.expected is None else abs(self.got - self.expected)

    def describe(self) -> str:
        """The edge in words: ``∂(x·w)/∂w (operand 1 of mul, parent w)``."""
        return (
            f"∂{grouped(self.node_name)}/∂{grouped(self.parent_name)} "
            f"(operand {self.operand} of {self.op}, parent {self.parent_name})"
        )


@dataclass(frozen=True, slots=True)
class UncheckedNode:
    """A node whose local derivatives could not be checked, and why."""

    node: Value
    name: str
    op: str
    reason: str


@dataclass(frozen=True, slots=True)
class LocalCheck:
    """The outcome of :func:`check_local_grads`.

    ``edges``      every edge of every node that has a kernel, in topological order
    ``unchecked``  the nodes that could not be checked (made by hand, or stale), with reasons
    ``ok``         True when no checked edge disagrees with its op
    ``wrong``      the edges that disagree; ``first_wrong`` the first of them (or ``None``)
    ``skipped``    the edges left out: at a kink, or where the op is undefined a step away

    ``str()`` is one sentence (naming the first wrong edge, its inputs, the expected and the
    recorded derivative) and a table of the edges that are wrong or were left out.
    """

    edges: tuple[EdgeCheck, ...]
    unchecked: tuple[UncheckedNode, ...]
    eps: float
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        """True when every checked local derivative agrees with its op's central difference."""
        return all(edge.ok for edge in self.edges)

    def __bool__(self) -> bool:
        """The verdict, so that ``assert check_local_grads(root)`` fails on a wrong edge."""
        return self.ok

    @property
    def wrong(self) -> tuple[EdgeCheck, ...]:
        """The wrong edges, in topological order (empty when ``ok``)."""
        return tuple(edge for edge in self.edges if not edge.ok)

    @property
    def first_wrong(self) -> EdgeCheck | None:
        """The first wrong edge in topological order: the culprit (``None`` when ``ok``)."""
        return next((edge for edge in self.edges if not edge.ok), None)

    @property
    def skipped(self) -> tuple[EdgeCheck, ...]:
        """The edges not compared: the op is not differentiable there, or undefined nearby."""
        return tuple(edge for edge in self.edges if not edge.checked)

    def __str__(self) -> str:
        first = self.first_wrong
        checked = sum(edge.checked for edge in self.edges)
        if first is not None:
            sentence = (
                f"check_local_grads: the first wrong local derivative is {first.describe()}: "
                f"at {_inputs(first)} the op alone gives {first.expected:.8g} (central "
                f"difference) but the graph recorded {first.got:.8g}."
            )
        else:
            sentence = (
                f"check_local_grads: all {checked} local derivatives checked agree with their "
                f"ops' central differences (|got − expected| ≤ {self.atol:g} + "
                f"{self.rtol:g}·|expected|)."
            )
        left_out = []
        if self.skipped:
            count = len(self.skipped)
            left_out.append(
                f"{count} edge{'s' * (count != 1)} where the op is not "
                "differentiable or not defined"
            )
        if self.unchecked:
            count = len(self.unchecked)
            left_out.append(f"{count} node{'s' * (count != 1)} made by hand or stale")
        if len(self.wrong) > 1:
            sentence += f" {len(self.wrong)} of the {checked} edges checked are wrong."
        if left_out:
            sentence += " Not checked: " + "; ".join(left_out) + "."
        rows = [_row(edge) for edge in (*self.wrong, *self.skipped)]
        rows += [
            (node.name, node.op, "", "", "", "", "", f"not checked: {node.reason}")
            for node in self.unchecked
        ]
        if not rows:
            return sentence
        return sentence + "\n" + _table(rows)


def check_local_grads(
    root: Value, *, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7
) -> LocalCheck:
    """Check every recorded local derivative of ``root``'s graph against its op alone.

    For each node with an op and each operand k, ``node.local_grads[k]`` is compared with
    the central difference of the op's kernel at the operands' values (operand k moved by
    ±eps·max(1, |x_k|), the others and the attrs unchanged): they agree when
    ``|got − expected| ≤ atol + rtol·|expected|`` (plus the rounding error of the
    difference itself, for ops with large values). Returns a :class:`LocalCheck`; it never
    raises for a mismatch, so assert on it: ``assert result.ok, str(result)``.

    >>> import math
    >>> from chainrule.engine import OPS, Value, check_local_grads
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> check_local_grads((x * w).tanh()).ok
    True
    >>> n = x * w                      # a hand-written tanh node with 1 − n² for 1 − tanh²n
    >>> n.label = "n"
    >>> o = Value(math.tanh(n.data), parents=(n,), local_grads=(1 - n.data**2,), op=OPS["tanh"])
    >>> result = check_local_grads(o)
    >>> result.ok, result.first_wrong.parent_name, result.first_wrong.got
    (False, 'n', -35.0)
    >>> print(result)  # doctest: +ELLIPSIS
    check_local_grads: the first wrong local derivative is ∂tanh(n)/∂n (operand 0 of tanh, ...
    """
    if not isinstance(root, Value):
        raise TypeError(
            "check_local_grads takes the root Value of a graph, "
            f"got {type(root).__name__}: {root!r:.80}"
        )
    if real(eps, "check_local_grads eps") <= 0:
        raise ValueError(f"check_local_grads eps must be positive, got {eps!r}")
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if real(tolerance, f"check_local_grads {name}") < 0:
            raise ValueError(f"check_local_grads {name} must be ≥ 0, got {tolerance!r}")
    edges: list[EdgeCheck] = []
    unchecked: list[UncheckedNode] = []
    for node in topological_order(root):
        op = node.op
        if op is None:
            continue
        name = name_of(node)
        if op.kernel is None:
            reason = f"made by hand (op {op.name!r} has no kernel to recompute it)"
            unchecked.append(UncheckedNode(node, name, op.name or "?", reason))
            continue
        inputs = tuple(parent.data for parent in node.parents)
        attrs = tuple(node.attrs)
        stale = _stale(op.kernel, inputs, attrs, node.data)
        if stale:
            unchecked.append(UncheckedNode(node, name, op.name, stale))
            continue
        for k, (parent, got) in enumerate(zip(node.parents, node.local_grads, strict=True)):
            status, expected, note = _compare(op.kernel, inputs, attrs, k, got, eps, rtol, atol)
            edges.append(
                EdgeCheck(
                    node,
                    k,
                    name,
                    name_of(parent),
                    op.name,
                    inputs,
                    attrs,
                    expected,
                    got,
                    status,
                    note,
                )
            )
    return LocalCheck(tuple(edges), tuple(unchecked), eps, rtol, atol)


def op_slope(
    kernel: object,
    inputs: tuple[float, ...],
    attrs: tuple[float, ...],
    operand: int,
    eps: float = 1e-6,
) -> tuple[str, float | None, str]:
    """The slope of one op towards one operand, by central difference, and whether it exists.

    Returns ``(status, slope, note)``: ``("smooth", slope, "")``; ``("kink", slope, note)``
    where the one-sided differences disagree however small the step (relu at 0), the slope
    being their mean; or ``("undefined", None, note)`` where the kernel fails or is not
    finite at x ± h.
    """
    x = inputs[operand]
    step = numeric.central_step(x, eps, relative=True)

    def of(args: list[float]) -> float:
        return float(kernel(*args, *attrs)[0])  # type: ignore[operator]

    def value(shift: float) -> float:
        args = list(inputs)
        args[operand] = x + shift
        return of(args)

    undefined = ("undefined", None, f"the op is not defined (or not finite) at x ± {step:.2g}")
    try:
        here, up, down = value(0.0), value(step), value(-step)
        if not all(map(math.isfinite, (here, up, down))):
            return undefined
        central = numeric.central_difference(of, inputs, operand, eps, relative=True)
        bend = ((up - here) - (here - down)) / step  # right slope − left slope
        if abs(bend) <= _noise(step, here, up, down) + 1e-7 + 1e-5 * abs(central):
            return "smooth", central, ""
        # The one-sided slopes disagree: on a smooth curve by the curvature, which shrinks
        # with the step (halves when it halves); at a kink by the jump, which does not.
        for divisor in (2.0, 4.0):
            small = step / divisor
            up_small, down_small = value(small), value(-small)
            if not (math.isfinite(up_small) and math.isfinite(down_small)):
                return undefined
            shrunk = ((up_small - here) - (here - down_small)) / small
            slack = 0.1 * abs(bend) / divisor + _noise(small, here, up_small, down_small)
            if abs(shrunk - bend / divisor) > slack:
                right, left = (up - here) / step, (here - down) / step
                note = (
                    f"not differentiable here: slope {right:.6g} on the right, "
                    f"{left:.6g} on the left"
                )
                return "kink", central, note
        return "smooth", central, ""
    except KERNEL_ERRORS:
        return undefined


def _compare(
    kernel: object,
    inputs: tuple[float, ...],
    attrs: tuple[float, ...],
    k: int,
    got: float,
    eps: float,
    rtol: float,
    atol: float,
) -> tuple[str, float | None, str]:
    status, slope, note = op_slope(kernel, inputs, attrs, k, eps)
    if status != "smooth" or slope is None:
        return status, slope, note
    x = inputs[k]
    step = eps * max(1.0, abs(x))
    here = abs(float(kernel(*inputs, *attrs)[0]))  # type: ignore[operator]
    tolerance = atol + rtol * abs(slope) + _noise(step, here)
    return ("ok" if abs(got - slope) <= tolerance else "wrong"), slope, ""


def _noise(step: float, *values: float) -> float:
    """The rounding error of a difference quotient of values this large over this step."""
    return 8.0 * FLOAT_EPSILON * max(abs(v) for v in values) / step


def _stale(kernel: object, inputs: tuple[float, ...], attrs: tuple[float, ...], data: float) -> str:
    """Why a node's value is not its op at its operands now, or ``""`` when it is."""
    try:
        value = float(kernel(*inputs, *attrs)[0])  # type: ignore[operator]
    except KERNEL_ERRORS:
        return "its op is not defined at its operands' values now (changed since it was made?)"
    if math.isclose(value, data, abs_tol=1e-12):  # and math.isclose's rel_tol, 1e-9
        return ""
    return (
        f"its value {data:.6g} is not its op at its operands now ({value:.6g}): an operand's "
        "data changed after it was made"
    )


def _inputs(edge: EdgeCheck) -> str:
    names = "ab" if len(edge.inputs) == 2 else "x" if len(edge.inputs) == 1 else ""
    if names:
        parts = [f"{n} = {v:.8g}" for n, v in zip(names, edge.inputs, strict=True)]
    else:
        parts = [f"x{i} = {v:.8g}" for i, v in enumerate(edge.inputs)]
    if edge.attrs:
        parts.append("attrs " + ", ".join(f"{a:g}" for a in edge.attrs))
    return ", ".join(parts)


def _row(edge: EdgeCheck) -> tuple[str, ...]:
    expected = "—" if edge.expected is None else f"{edge.expected:.8g}"
    mark = "WRONG" if edge.status == "wrong" else f"not checked: {edge.note}"
    return (
        edge.node_name,
        edge.op,
        str(edge.operand),
        edge.parent_name,
        _inputs(edge),
        expected,
        f"{edge.got:.8g}",
        mark,
    )


def _table(rows: list[tuple[str, ...]]) -> str:
    header = ("node", "op", "operand", "parent", "inputs", "expected", "got", "")
    shown = rows[:MAX_ROWS]
    widths = [max(len(row[i]) for row in (header, *shown)) for i in range(len(header) - 1)]
    lines = []
    for row in (header, *shown):
        cells = [
            row[i].ljust(widths[i]) if i not in (5, 6) else row[i].rjust(widths[i])
            for i in range(len(widths))
        ]
        lines.append(("  " + "  ".join(cells) + "  " + row[-1]).rstrip())
    if len(rows) > MAX_ROWS:
        lines.append(f"  … and {len(rows) - MAX_ROWS} more")
    return "\n".join(lines)
