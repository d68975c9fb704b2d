"""``chainrule bugs [NAME] [--html FILE] [--force]``: a gallery of classic backprop mistakes.

Each mistake is shown on a small graph next to the right answer. The wrong numbers are
*computed*, never typed in: every bug is implemented for real below, in a small,
self-contained piece of code that is **broken on purpose**, a copy of chainrule's backward
loop (``engine/backprop.py``) or of an op's local derivative (``engine/value.py``) with one
mistake in it, marked ``# BROKEN ON PURPOSE``. The right numbers come from chainrule's own
engine (``Value.backward``), run on a fresh copy of the same graph.

    overwrite-grad        ``=`` instead of ``+=``: ``b = a + a`` gives ∂b/∂a = 1, not 2
    no-topo-order         a naive depth-first walk passes a gradient on before it is complete
    recursive-walk        a recursive walk hits RecursionError on a 2,000-op chain
    no-zero-grad          a training loop that never zeroes w.grad: step 2 gets steps 1 + 2
    stale-intermediates   leaves zeroed, intermediates not: a second backward doubles them
    sub-sign              ∂(a − b)/∂b = +1 instead of −1
    tanh-derivative       tanh' written as 1 − x² instead of 1 − tanh²x
    relu-at-zero          relu'(0) = 0, ½ or 1: a convention, not a bug

``chainrule bugs`` lists them, one line each; ``chainrule bugs NAME`` explains one (the
graph, the broken line of code, the wrong gradients next to the right ones, and why);
``--html FILE`` writes one self-contained page (no script, nothing loaded; its
Content-Security-Policy allows no request) with both diagrams of every bug, the wrong
gradients framed in red.

The command is registered in :mod:`chainrule.cli` through :func:`add_parser` and
:func:`run`; :func:`main` runs it on its own, with the same exit statuses (2 for a usage
error, such as an unknown NAME, which lists the names).
"""

from __future__ import annotations

import argparse
import difflib
import html
import inspect
import math
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from chainrule.engine import Value, format_number, topological_order, zero_grad
from chainrule.engine.value import relu as relu_op
from chainrule.engine.value import sub as sub_op
from chainrule.engine.value import tanh as tanh_op
from chainrule.outputs import Outputs, UsageError
from chainrule.terminal import Style

if TYPE_CHECKING:
    from chainrule.viz import Diagram

USAGE_ERROR = 2
BROKEN = "# BROKEN ON PURPOSE"
CONVENTION = "# CONVENTION"
MARK = "#dc2626"
"""The red of a box whose gradient differs from chainrule's: viz.style.HIGHLIGHT, which
draw_graph(highlight=…) uses (not imported, so that the command starts without Graphviz's
package)."""
CHAIN_OPS = 2_000
"""The length of the chain that the recursive walk cannot get to the end of."""
SAMPLE_OPS = 4
"""The length of the same chain as drawn: 2,000 ops are far too many for a diagram."""
RANKDIR = "TB"
"""Diagrams top to bottom, so that two fit side by side."""
WIDTH = 88
"""The terminal text is wrapped to this many columns."""


# =============================================================================================
# The broken code. Everything in this section is wrong ON PURPOSE, to show a classic mistake
# with real numbers. Never use it: chainrule's engine (engine/backprop.py, engine/value.py)
# is the right version of each function.
# =============================================================================================


def backward_overwriting(root: Value) -> None:
    """BROKEN ON PURPOSE: chainrule's backward loop with ``=`` where it needs ``+=``.

    A node used twice (``b = a + a``) keeps only the share of its last edge.
    """
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            if not parent.is_constant:
                parent.grad = local * node.grad  # BROKEN ON PURPOSE: = where it needs +=


def backward_depth_first(root: Value) -> None:
    """BROKEN ON PURPOSE: backprop in the order of a naive depth-first walk from the root.

    Each node passes its gradient on as soon as the walk reaches it, and is never visited
    again; a node with two consumers (a diamond) passes on only the share that had arrived.
    """
    for node in topological_order(root):
        if node.parents:
            node.grad = 0.0
    root.grad = 1.0
    visited: set[Value] = set()

    def visit(node: Value) -> None:
        if node in visited:
            return
        visited.add(node)
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            if not parent.is_constant:
                parent.grad += local * node.grad  # BROKEN ON PURPOSE: node.grad may be partial
        for parent in node.parents:
            visit(parent)

    visit(root)


def recursive_topological_order(root: Value) -> list[Value]:
    """BROKEN ON PURPOSE: the textbook recursive topological sort, one Python call per level.

    Right on small graphs; past Python's recursion limit (1,000 nested calls by default) it
    raises RecursionError. chainrule's ``topological_order`` keeps its own stack instead.
    """
    order: list[Value] = []
    seen: set[Value] = set()

    def visit(node: Value) -> None:
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)  # BROKEN ON PURPOSE: one nested Python call per level of the graph
            order.append(node)

    visit(root)
    return order


def backward_recursive(root: Value) -> None:
    """Chainrule's backward loop over :func:`recursive_topological_order` (BROKEN ON PURPOSE)."""
    order = recursive_topological_order(root)
    for node in order:
        if node.parents:
            node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            if not parent.is_constant:
                parent.grad += local * node.grad


def train_without_zero_grad(
    w: Value, batches: Sequence[tuple[float, float]], lr: float
) -> list[tuple[Value, float]]:
    """BROKEN ON PURPOSE: SGD steps on loss = (w·x − y)² that never zero ``w.grad``.

    Returns each step's loss (its graph) and the ``w.grad`` its backward pass left.
    """
    steps = []
    for step, (x, y) in enumerate(batches):
        if step:
            w.data -= lr * w.grad  # the SGD update of the step before
        loss = (w * x - y) ** 2
        loss.label = f"loss{step + 1}"
        loss.backward()  # BROKEN ON PURPOSE: no zero_grad([w]) before it, so w.grad adds up
        steps.append((loss, w.grad))
    return steps


def backward_without_reset(root: Value) -> None:
    """BROKEN ON PURPOSE: chainrule's backward loop without its reset of the operations' grads.

    It seeds ``root.grad = 1`` and only ever adds: a second pass over the same graph adds
    every intermediate's gradient to what the first pass left there.
    """
    order = topological_order(root)
    root.grad = 1.0  # BROKEN ON PURPOSE: the grads of the operations are not set to 0 first
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            if not parent.is_constant:
                parent.grad += local * node.grad


def broken_sub(a: Value, b: Value) -> Value:
    """BROKEN ON PURPOSE: a − b recorded with the local derivatives of a + b."""
    local_grads = (1.0, 1.0)  # BROKEN ON PURPOSE: ∂(a − b)/∂b is −1, not +1
    return Value(a.data - b.data, parents=(a, b), local_grads=local_grads, op=sub_op)


def broken_tanh(x: Value) -> Value:
    """BROKEN ON PURPOSE: tanh with its derivative written in terms of the input."""
    t = math.tanh(x.data)
    local = 1.0 - x.data**2  # BROKEN ON PURPOSE: 1 − x², where tanh' is 1 − tanh²(x)
    return Value(t, parents=(x,), local_grads=(local,), op=tanh_op)


def relu_with_slope_at_zero(x: Value, at_zero: float) -> Value:
    """relu with ``at_zero`` as its slope at exactly 0 (chainrule's relu takes 0, as PyTorch)."""
    slope = 1.0 if x.data > 0 else at_zero if x.data == 0 else 0.0  # CONVENTION: relu'(0)
    return Value(max(x.data, 0.0), parents=(x,), local_grads=(slope,), op=relu_op)


# =============================================================================================
# What a bug shows: each engine's gradients on the same graph, and the graph as it left it.
# =============================================================================================


@dataclass
class Run:
    """One engine's answer on a bug's graph.

    ``engine``   the column heading: which code computed it
    ``grads``    each quantity of the table, by row name (None: never computed)
    ``root``     the graph to draw, its grads as this engine left them
    ``nodes``    the node of ``root``'s graph that each row is the grad of (to frame it)
    ``params``   the leaves drawn as parameters (green)
    ``error``    what the engine raised instead of finishing, if it did
    ``caption``  a note under its diagram
    ``edges``    the edges ``(node, operand)`` whose local derivative is wrong in this run
    """

    engine: str
    grads: dict[str, float | None]
    root: Value
    nodes: dict[str, Value]
    params: tuple[Value, ...] = ()
    error: str = ""
    caption: str = ""
    edges: tuple[tuple[Value, int], ...] = ()


def run_of(
    engine: str,
    root: Value,
    nodes: dict[str, Value],
    *,
    params: Sequence[Value] = (),
    caption: str = "",
    edges: Sequence[tuple[Value, int]] = (),
) -> Run:
    """A :class:`Run` whose gradients are the grads its nodes hold now."""
    grads: dict[str, float | None] = {row: node.grad for row, node in nodes.items()}
    return Run(engine, grads, root, dict(nodes), tuple(params), "", caption, tuple(edges))


@dataclass(frozen=True)
class Outcome:
    """A bug on its graph: the wrong run(s), chainrule's run, and why they differ.

    ``graph`` is the graph in words with its numbers; ``key`` the row the one-line listing
    shows.
    """

    graph: str
    wrong: tuple[Run, ...]
    right: Run
    why: str
    key: str

    def differing(self, run: Run) -> list[str]:
        """The rows where ``run`` does not give chainrule's number."""
        right = self.right.grads
        return [row for row, grad in run.grads.items() if grad is None or grad != right[row]]


@dataclass(frozen=True)
class Bug:
    """One classic mistake: where it is in the broken code, and how to show it."""

    name: str
    title: str
    broken: Callable[..., object]
    fix: str
    demo: Callable[[], Outcome]
    convention: bool = False


def derivative(root: str, node: str) -> str:
    """The row name of a gradient: ``∂b/∂a``."""
    return f"∂{root}/∂{node}"


# --- the demos: each builds its graph twice, runs the broken code on one copy and chainrule's
# --- backward on the other


def overwrite_demo() -> Outcome:
    def build() -> tuple[Value, Value]:
        a = Value(3.0, "a")
        b = a + a
        b.label = "b"
        return a, b

    row = derivative("b", "a")
    a, b = build()
    backward_overwriting(b)
    wrong = run_of("broken: parent.grad = …", b, {row: a})
    a, b = build()
    b.backward()
    right = run_of("chainrule: parent.grad += …", b, {row: a})
    share = b.local_grads[1] * b.grad
    why = (
        f"a is used twice, so two edges lead from b back into a, each carrying "
        f"{format_number(share)} (local 1 × ∂b/∂b = 1). `+=` adds the shares: "
        f"∂b/∂a = {format_number(right.grads[row] or 0.0)}. `=` overwrites the first share "
        f"with the second and leaves {format_number(wrong.grads[row] or 0.0)}. Every value "
        "used more than once (x * x, a weight shared by every sample of a batch, a hidden "
        "neuron feeding several neurons) loses all but one of its contributions."
    )
    return Outcome(f"b = a + a, with a = {format_number(a.data)}", (wrong,), right, why, row)


def depth_first_demo() -> Outcome:
    def build() -> tuple[dict[str, Value], Value]:
        x = Value(2.0, "x")
        h = x * 3
        p = h * 2
        q = h + 1
        out = p * q
        for node, name in ((h, "h"), (p, "p"), (q, "q"), (out, "L")):
            node.label = name
        return {"p": p, "q": q, "h": h, "x": x}, out

    nodes, out = build()
    backward_depth_first(out)
    rows = {derivative("L", name): node for name, node in nodes.items()}
    wrong = run_of("broken: naive depth-first order", out, rows)
    h, x = nodes["h"], nodes["x"]
    x_share = h.local_grads[0] * h.grad
    nodes, out = build()
    out.backward()
    rows = {derivative("L", name): node for name, node in nodes.items()}
    right = run_of("chainrule: reverse topological order", out, rows)
    p, x = nodes["p"], nodes["x"]
    partial = p.local_grads[0] * p.grad
    wrong.caption = (
        f"the edge from x shows what h's complete grad carries ({format_number(x_share)}); "
        f"x got {format_number(wrong.grads[derivative('L', 'x')] or 0.0)}, sent when h held "
        f"only {format_number(partial)}"
    )
    key = derivative("L", "x")
    why = (
        "h feeds both p and q: the graph is a diamond. The naive walk goes from L down p to h "
        f"and passes h's gradient on to x at once, when h holds only p's share, "
        f"{format_number(partial)}. q's share reaches h later, after x has been served, "
        f"and the walk never visits h again: x gets {format_number(wrong.grads[key] or 0.0)} "
        f"instead of {format_number(x.grad)}. A node may pass its gradient on only when every "
        "node that uses it is done, which is what reverse topological order guarantees."
    )
    graph = (
        f"x = {format_number(x.data)}; h = x·3; p = h·2; q = h + 1; L = p·q "
        f"= {format_number(out.data)}   (a diamond: h feeds p and q)"
    )
    return Outcome(graph, (wrong,), right, why, key)


def chain(ops: int) -> tuple[Value, Value]:
    """``v = x + x + … + x`` as a chain of ``ops`` additions, each one level deeper."""
    x = Value(1.0, "x")
    v = x
    for _ in range(ops):
        v = v + x
    v.label = "v"
    return x, v


def recursive_demo() -> Outcome:
    row = derivative("v", "x")
    limit = sys.getrecursionlimit()
    x, v = chain(CHAIN_OPS)
    sample_x, sample = chain(SAMPLE_OPS)
    shape = f"the same chain with {SAMPLE_OPS} ops ({CHAIN_OPS:,} are too many to draw)"
    try:
        backward_recursive(v)
    except RecursionError as error:
        wrong = Run(
            "broken: recursive walk",
            {row: None},
            sample,
            {row: sample_x},
            error=f"RecursionError: {error}",
            caption=f"{shape}: the walk failed before the first chain-rule step, so no "
            "gradient was computed",
        )
    else:  # an interpreter whose recursion limit was raised gets to the end
        backward_recursive(sample)
        wrong = Run(
            "broken: recursive walk", {row: x.grad}, sample, {row: sample_x},
            caption=f"{shape}; this Python allows {limit:,} nested calls, so it got through",
        )  # fmt: skip
    x, v = chain(CHAIN_OPS)
    v.backward()
    nodes = len(topological_order(v))
    sample_x, sample = chain(SAMPLE_OPS)
    sample.backward()
    right = Run(
        "chainrule: iterative walk",
        {row: x.grad},
        sample,
        {row: sample_x},
        caption=f"{shape}; ∂v/∂x is {format_number(sample_x.grad)} here, one per x",
    )
    if wrong.error:
        verdict = (
            f"a chain of {CHAIN_OPS:,} operations is deeper than that, so the walk dies before "
            "backprop starts."
        )
    else:
        verdict = f"this interpreter's limit was raised past {CHAIN_OPS:,}: a deeper chain fails."
    why = (
        "A recursive topological sort makes one nested Python call per level of the graph, "
        f"and Python allows {limit:,} (sys.getrecursionlimit()): {verdict} Deep graphs are "
        "ordinary: an RNN unrolled over a long sequence, a long training loop on one graph. "
        f"chainrule's topological_order keeps its own stack, so it orders all {nodes:,} nodes "
        f"and gives ∂v/∂x = {format_number(x.grad)} (v is x added {CHAIN_OPS + 1:,} times); "
        "raising the recursion limit only moves the wall, and past it Python can crash."
    )
    graph = f"v = x + x + … + x: a chain of {CHAIN_OPS:,} additions, x = {format_number(x.data)}"
    return Outcome(graph, (wrong,), right, why, row)


BATCHES = ((1.0, 3.0), (2.0, 2.0))
"""Two training samples (x, y) for loss = (w·x − y)², one per SGD step."""
LEARNING_RATE = 0.1


def zero_grad_demo() -> Outcome:
    rows = ("∂loss1/∂w", "∂loss2/∂w")
    w = Value(1.0, "w")
    steps = train_without_zero_grad(w, BATCHES, LEARNING_RATE)
    wrong = Run(
        "broken: no zero_grad",
        {row: grad for row, (_, grad) in zip(rows, steps, strict=True)},
        steps[-1][0],
        {rows[-1]: w},
        params=(w,),
        caption="step 2's graph",
    )
    w = Value(1.0, "w")
    grads, loss = [], None
    for step, (x, y) in enumerate(BATCHES):
        if step:
            w.data -= LEARNING_RATE * w.grad
        loss = (w * x - y) ** 2
        loss.label = f"loss{step + 1}"
        zero_grad([w])
        loss.backward()
        grads.append(w.grad)
    assert loss is not None
    right = Run(
        "chainrule + zero_grad([w])",
        dict(zip(rows, grads, strict=True)),
        loss,
        {rows[-1]: w},
        params=(w,),
        caption="step 2's graph",
    )
    first, second, summed = grads[0], grads[1], wrong.grads[rows[-1]] or 0.0
    flipped = (summed > 0) != (second > 0)
    why = (
        "Leaves keep adding to their grad across backward() calls until you zero them (as in "
        "PyTorch), so a training loop must zero its parameters' grads before each backward. "
        f"Without it, step 2's w.grad is step 1's {format_number(first)} plus step 2's own "
        f"{format_number(second)}: {format_number(summed)}"
        + (", with the opposite sign: SGD moves w the wrong way." if flipped else ".")
        + " Each later step adds all the steps before it."
    )
    graph = (
        f"loss_k = (w·x − y)² at step k, w = 1.0, one SGD step (lr {LEARNING_RATE:g}) per "
        "sample (x, y): "
        + " then ".join(f"({format_number(x)}, {format_number(y)})" for x, y in BATCHES)
    )
    return Outcome(graph, (wrong,), right, why, rows[-1])


def stale_demo() -> Outcome:
    def build() -> tuple[dict[str, Value], Value]:
        x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.8813735870195432, "b")
        xw = x * w
        n = xw + b
        o = n.tanh()
        xw.label, n.label, o.label = "xw", "n", "o"
        return {"n": n, "xw": xw, "x": x, "w": w, "b": b}, o

    def twice(backward: Callable[[Value], None]) -> tuple[dict[str, Value], Value]:
        nodes, o = build()
        backward(o)
        zero_grad([nodes["x"], nodes["w"], nodes["b"]])  # the leaves are reset
        backward(o)
        return nodes, o

    nodes, o = twice(backward_without_reset)
    rows = {derivative("o", name): node for name, node in nodes.items()}
    wrong = run_of(
        "broken: no reset", o, rows, params=(nodes["w"], nodes["b"]),
        caption="after the second backward pass",
    )  # fmt: skip
    nodes, o = twice(Value.backward)
    rows = {derivative("o", name): node for name, node in nodes.items()}
    right = run_of(
        "chainrule", o, rows, params=(nodes["w"], nodes["b"]),
        caption="after the second backward pass",
    )  # fmt: skip
    n, xw, x = (derivative("o", name) for name in ("n", "xw", "x"))
    show = {row: format_number(wrong.grads[row] or 0.0) for row in (n, xw, x)}
    ok = {row: format_number(right.grads[row] or 0.0) for row in (n, xw, x)}
    why = (
        "backward() twice on the same graph, with the leaves x, w, b zeroed in between. An "
        "engine that seeds o.grad = 1 and only ever adds finds n.grad still holding "
        f"{ok[n]} from the first pass, so n ends at {show[n]}: doubled. xw, one level further, "
        f"adds n's doubled share to its own stale {ok[xw]}: {show[xw]}. The leaves were reset, "
        f"but they are computed from those stale grads, so x gets {show[x]} instead of {ok[x]}. "
        "chainrule sets every operation's grad to 0 at the start of each backward pass (leaves "
        "still accumulate, as in PyTorch), so a second pass gives the same numbers as the first."
    )
    graph = "o = tanh(n), n = xw + b, xw = x·w, with x = 2.0, w = -3.0, b = 6.881"
    return Outcome(graph, (wrong,), right, why, n)


def sub_demo() -> Outcome:
    def build() -> tuple[Value, Value]:
        return Value(5.0, "a"), Value(3.0, "b")

    rows = (derivative("d", "a"), derivative("d", "b"))
    a, b = build()
    d = broken_sub(a, b)
    d.label = "d"
    d.backward()
    wrong = run_of(
        "broken: local_grads (1, 1)", d, dict(zip(rows, (a, b), strict=True)), edges=[(d, 1)]
    )
    a, b = build()
    d = a - b
    d.label = "d"
    d.backward()
    right = run_of("chainrule: local_grads (1, −1)", d, dict(zip(rows, (a, b), strict=True)))
    why = (
        f"Raising b by 0.01 lowers d = a − b by 0.01, so ∂d/∂b = "
        f"{format_number(right.grads[rows[1]] or 0.0)}: a − b is a + (−1)·b. Copying add's "
        f"local derivatives gives {format_number(wrong.grads[rows[1]] or 0.0)}, and every "
        "gradient that flows through the second operand of a subtraction comes back with the "
        "wrong sign: in the loss (y − ŷ)², the prediction ŷ would be pushed uphill."
    )
    graph = f"d = a − b, with a = {format_number(a.data)}, b = {format_number(b.data)}"
    return Outcome(graph, (wrong,), right, why, rows[1])


def tanh_demo() -> Outcome:
    def build() -> tuple[Value, Value, Value]:
        x, w = Value(1.0, "x"), Value(2.0, "w")
        n = x * w
        n.label = "n"
        return x, w, n

    rows = tuple(derivative("o", name) for name in ("n", "w", "x"))
    x, w, n = build()
    o = broken_tanh(n)
    o.label = "o"
    o.backward()
    wrong = run_of("broken: 1 − x²", o, dict(zip(rows, (n, w, x), strict=True)), edges=[(o, 0)])
    x, w, n = build()
    o = n.tanh()
    o.label = "o"
    o.backward()
    right = run_of("chainrule: 1 − tanh²x", o, dict(zip(rows, (n, w, x), strict=True)))
    why = (
        "tanh' is 1 − tanh²(n), written with the op's output: at n = "
        f"{format_number(n.data)} it is 1 − {format_number(o.data)}² = "
        f"{format_number(right.grads[rows[0]] or 0.0)}. Written with the input, 1 − n² gives "
        f"{format_number(wrong.grads[rows[0]] or 0.0)}: negative, though tanh rises everywhere, "
        "and every gradient below it is scaled by the wrong number. The two agree only at "
        "n = 0, so a quick test at 0 does not catch it; gradcheck at any other point does."
    )
    graph = f"o = tanh(n), n = x·w, with x = {format_number(x.data)}, w = {format_number(w.data)}"
    return Outcome(graph, (wrong,), right, why, rows[1])


def relu_demo() -> Outcome:
    def build() -> tuple[dict[str, Value], Value]:
        x, w, b = Value(2.0, "x"), Value(1.5, "w"), Value(-3.0, "b")
        n = x * w + b
        n.label = "n"
        return {"n": n, "w": w, "b": b, "x": x}, n

    def with_slope(at_zero: float, shown: str) -> Run:
        nodes, n = build()
        y = relu_with_slope_at_zero(n, at_zero)
        y.label = "y"
        y.backward()
        rows = {derivative("y", name): node for name, node in nodes.items()}
        return run_of(
            f"relu'(0) = {shown}", y, rows, params=(nodes["w"], nodes["b"]), edges=[(y, 0)]
        )

    wrong = (with_slope(1.0, "1"), with_slope(0.5, "½"))
    nodes, n = build()
    y = n.relu()
    y.label = "y"
    y.backward()
    rows = {derivative("y", name): node for name, node in nodes.items()}
    right = run_of("chainrule, PyTorch: relu'(0) = 0", y, rows, params=(nodes["w"], nodes["b"]))
    key = derivative("y", "w")
    why = (
        "This one is a convention, not a bug. relu has slope 0 left of 0 and 1 right of it, "
        "and no derivative at 0 itself. Every number from 0 to 1 is a subgradient there "
        "(relu(z) ≥ relu(0) + s·z for every z), so 0, ½ and 1 are all valid choices: chainrule "
        "and PyTorch take 0, code that writes x >= 0 takes 1, and ½ is the mean of the two "
        f"sides. It matters only when a pre-activation is exactly 0.0, as n = "
        f"{format_number(n.data)} is here: ∂y/∂w is then "
        + " or ".join(format_number(run.grads[key] or 0.0) for run in wrong)
        + f" instead of {format_number(right.grads[key] or 0.0)}. Away from 0, all agree."
    )
    graph = (
        f"y = relu(n), n = x·w + b, with x = {format_number(nodes['x'].data)}, "
        f"w = {format_number(nodes['w'].data)}, b = {format_number(nodes['b'].data)}: "
        f"n is exactly {format_number(n.data)}"
    )
    return Outcome(graph, wrong, right, why, key)


GALLERY: tuple[Bug, ...] = (
    Bug(
        "overwrite-grad",
        "`=` instead of `+=` on a node used twice",
        backward_overwriting,
        "parent.grad += local * node.grad",
        overwrite_demo,
    ),
    Bug(
        "no-topo-order",
        "backward without a topological order",
        backward_depth_first,
        "for node in reversed(topological_order(root)): …  (every consumer first)",
        depth_first_demo,
    ),
    Bug(
        "recursive-walk",
        "a recursive walk on a deep graph",
        recursive_topological_order,
        "an explicit stack, as engine/graph.py's topological_order keeps",
        recursive_demo,
    ),
    Bug(
        "no-zero-grad",
        "no zero_grad between training steps",
        train_without_zero_grad,
        "zero_grad([w]); loss.backward()",
        zero_grad_demo,
    ),
    Bug(
        "stale-intermediates",
        "leaves reset, intermediates not",
        backward_without_reset,
        "set every operation's grad to 0.0, then root.grad = 1.0",
        stale_demo,
    ),
    Bug(
        "sub-sign",
        "the sign of a − b's second operand",
        broken_sub,
        "return a - b, 1.0, -1.0   (engine/value.py's sub: ∂/∂a = 1, ∂/∂b = −1)",
        sub_demo,
    ),
    Bug(
        "tanh-derivative",
        "tanh' as 1 − x², not 1 − tanh²x",
        broken_tanh,
        "t = math.tanh(x); return t, 1.0 - t * t   (engine/value.py's tanh)",
        tanh_demo,
    ),
    Bug(
        "relu-at-zero",
        "relu'(0): 0, ½ or 1",
        relu_with_slope_at_zero,
        "return (x, 1.0) if x > 0.0 else (0.0, 0.0)   (engine/value.py's relu: relu'(0) = 0)",
        relu_demo,
        convention=True,
    ),
)
NAMES = tuple(bug.name for bug in GALLERY)


def find(name: str) -> Bug:
    """The bug called ``name`` (case and ``_``/``-`` do not matter), or a UsageError listing all."""
    wanted = name.strip().lower().replace("_", "-")
    for bug in GALLERY:
        if bug.name == wanted:
            return bug
    close = [n for n in NAMES if wanted and n.startswith(wanted)]
    close = close or difflib.get_close_matches(wanted, NAMES, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise UsageError(f"unknown bug {name!r}{hint}; the bugs are: {', '.join(NAMES)}")


def marked_line(bug: Bug) -> str:
    """The broken line of ``bug.broken``, read from this file (the code that ran)."""
    source = textwrap.dedent(inspect.getsource(bug.broken)).splitlines()
    marker = CONVENTION if bug.convention else BROKEN
    lines = [line.strip() for line in source if f"  {marker}" in line]
    if len(lines) != 1:
        raise RuntimeError(f"{bug.broken.__name__} must have one line marked {marker!r}")
    return lines[0]


# =============================================================================================
# The terminal
# =============================================================================================


def number_text(grad: float | None) -> str:
    return "—" if grad is None else format_number(grad)


def headline(bug: Bug, outcome: Outcome) -> str:
    """One line: the mistake and its key number next to the right one (both computed)."""
    key = outcome.key
    right = f"{key} = {number_text(outcome.right.grads[key])}"
    wrong = [run.error.partition(":")[0] if run.error else None for run in outcome.wrong]
    if all(wrong):
        return f"{bug.title}: {' or '.join(w for w in wrong if w)}, not {right}"
    numbers = " or ".join(number_text(run.grads[key]) for run in outcome.wrong)
    right_number = number_text(outcome.right.grads[key])
    if bug.convention:
        return f"{bug.title}: {key} = {numbers} or {right_number} (chainrule), all valid"
    return f"{bug.title}: {key} = {numbers}, not {right_number}"


def print_list(outcomes: Sequence[tuple[Bug, Outcome]], out: TextIO, style: Style) -> None:
    print(
        style("Classic backprop bugs, each computed by code broken on purpose:", "bold"), file=out
    )
    width = max(len(bug.name) for bug, _ in outcomes)
    for bug, outcome in outcomes:
        print(f"  {style(bug.name.ljust(width), 'cyan')}  {headline(bug, outcome)}", file=out)
    print(
        "`chainrule bugs NAME` explains one; `chainrule bugs --html FILE` draws them all.",
        file=out,
    )


def gradient_table(outcome: Outcome) -> list[list[str]]:
    """The rows of the table: quantity, each wrong run's number, chainrule's, and a verdict."""
    runs = [*outcome.wrong, outcome.right]
    table = [["", *(run.engine for run in runs), ""]]
    for row in outcome.right.grads:
        differs = any(row in outcome.differing(run) for run in outcome.wrong)
        cells = [number_text(run.grads[row]) for run in runs]
        table.append([row, *cells, "differs" if differs else "same"])
    return table


def explain(bug: Bug, outcome: Outcome, out: TextIO, style: Style) -> None:
    """The whole story of one bug: its graph, the broken line, the numbers side by side, why."""

    def heading(text: str) -> None:
        print(style(text, "bold"), file=out)

    kind = "a convention, not a bug" if bug.convention else "a classic backprop bug"
    heading(f"{bug.name}: {bug.title}  ({kind})")
    print(file=out)
    heading("The graph")
    for line in textwrap.wrap(outcome.graph, WIDTH - 2):
        print(f"  {line}", file=out)
    what = "the choice at 0" if bug.convention else "broken on purpose"
    heading(f"The code (chainrule/{Path(__file__).name}, {bug.broken.__name__}, {what})")
    print(f"  {style(marked_line(bug), 'red')}", file=out)
    print(f"  {'chainrule' if bug.convention else 'right'}: {bug.fix}", file=out)
    heading("The gradients")
    table = gradient_table(outcome)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        line = "  " + "   ".join(cells).rstrip()
        if number and row[-1] == "differs":
            line = line.removesuffix("differs") + style("differs", "red")
        print(line, file=out)
    for run in outcome.wrong:
        if run.error:
            print(f"  {run.engine}: {style(run.error, 'red')}", file=out)
    heading("Why")
    for line in textwrap.wrap(outcome.why, WIDTH - 2):
        print(f"  {line}", file=out)


# =============================================================================================
# The page
# =============================================================================================

POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""The page's Content-Security-Policy: no request of any kind, no script, inline style only."""

_SVG_START = re.compile(r"<svg\b", re.S)
_ID = re.compile(r'\bid="([^"]*)"')

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1em;
       color: #111827; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { border-top: 1px solid #d1d5db; padding-top: 1em; margin-top: 2em; }
nav ol { columns: 2; }
code, pre { font-family: ui-monospace, monospace; font-size: .92em; }
pre { background: #fef2f2; border-left: 4px solid #dc2626; padding: .5em .8em;
      overflow-x: auto; }
pre.right { background: #f0fdf4; border-left-color: #16a34a; }
.convention pre { background: #fffbeb; border-left-color: #d97706; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #d1d5db; padding: .25em .7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.differs { color: #dc2626; font-weight: bold; }
.convention td.differs { color: #b45309; }
.pair { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
figure { margin: 0; flex: 1 1 340px; border: 1px solid #e5e7eb; padding: .5em;
         border-radius: 6px; }
figure.wrong { border-color: #fca5a5; }
figure.right { border-color: #86efac; }
figcaption { font-size: .9em; margin-bottom: .4em; }
svg { max-width: 100%; height: auto; }
.error { color: #dc2626; font-family: ui-monospace, monospace; }
.legend svg { max-width: min(520px, 100%); }
@media (prefers-color-scheme: dark) {
  body { background: #111827; color: #e5e7eb; }
  figure { background: #f9fafb; color: #111827; }
  pre { color: #111827; }
}
"""


@dataclass(frozen=True)
class Figure:
    """One diagram of the page: a run's graph, its wrong gradients and local derivatives marked.

    ``marked`` are the nodes whose grad differs from chainrule's, ``edges`` the edges
    ``(node, operand)`` whose local derivative is the wrong one.
    """

    run: Run
    wrong: bool
    marked: tuple[Value, ...]
    edges: tuple[tuple[Value, int], ...] = ()


def figures(outcome: Outcome) -> list[Figure]:
    """Each wrong run (what differs marked), then chainrule's run (nothing marked)."""
    shown = [
        Figure(run, True, tuple(run.nodes[row] for row in outcome.differing(run)), run.edges)
        for run in outcome.wrong
    ]
    return [*shown, Figure(outcome.right, False, ())]


def diagram(figure: Figure) -> Diagram:
    """``draw_graph`` of the figure's run, with its marked nodes (and edges) in red."""
    from chainrule.viz import draw_graph

    run = figure.run
    marks = [*figure.marked, *figure.edges]
    return draw_graph(run.root, params=run.params, rankdir=RANKDIR, highlight=marks)


def inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG as an element of the page: no XML prolog, every id made unique."""
    start = _SVG_START.search(svg)
    if start is None:
        raise RuntimeError("Graphviz returned no <svg> element")
    return _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg[start.start() :].strip())


def gallery_page(outcomes: Sequence[tuple[Bug, Outcome]]) -> str:
    """One self-contained HTML page: every bug with its table and its diagrams, side by side."""
    from chainrule.viz import draw_legend
    from chainrule.viz.rendering import svg_texts

    plan = [(bug, outcome, figures(outcome)) for bug, outcome in outcomes]
    diagrams = [draw_legend()] + [diagram(f) for _, _, shown in plan for f in shown]
    svgs = iter(svg_texts(diagrams))
    legend = inline_svg(next(svgs), "legend-")
    sections = []
    for bug, outcome, shown in plan:
        pictures = []
        for number, figure in enumerate(shown):
            svg = inline_svg(next(svgs), f"{bug.name}-{number}-")
            pictures.append(_figure_html(outcome, figure, svg))
        sections.append(_section_html(bug, outcome, pictures))
    contents = "".join(
        f'<li><a href="#{bug.name}">{_with_code(bug.title)}</a></li>' for bug, _ in outcomes
    )
    title = "Classic backprop bugs, each next to the right answer"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1>\n"
        "<p>Every wrong number on this page was computed by code broken on purpose "
        "(chainrule/bugs.py, each mistake marked <code># BROKEN ON PURPOSE</code>); every "
        "right one by chainrule's own engine, on a fresh copy of the same graph. In each "
        f'wrong diagram, a <span style="color:{MARK}">red frame</span> marks a box whose '
        "gradient differs from chainrule's" + ", and a red edge a wrong local derivative.</p>\n"
        f"<nav><ol>{contents}</ol></nav>\n"
        f'<div class="legend">{legend}</div>\n</header>\n<main>\n'
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )


def _figure_html(outcome: Outcome, figure: Figure, svg: str) -> str:
    run = figure.run
    notes = [f"<strong>{html.escape(run.engine)}</strong>"]
    if run.error:
        notes.append(f'<span class="error">{html.escape(run.error)}</span>')
    if figure.wrong:
        rows = outcome.differing(figure.run)
        if rows:
            notes.append("framed in red: " + html.escape(", ".join(rows)) + " differ")
        if figure.edges:
            notes.append("the red edge: the wrong local derivative")
    if run.caption:
        notes.append(html.escape(run.caption))
    kind = "wrong" if figure.wrong else "right"
    return f'<figure class="{kind}"><figcaption>{"<br>".join(notes)}</figcaption>\n{svg}\n</figure>'


def _section_html(bug: Bug, outcome: Outcome, pictures: list[str]) -> str:
    table = gradient_table(outcome)
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table[0][:-1])
    body = []
    for row in table[1:]:
        differs = row[-1] == "differs"
        cells = [f"<td>{html.escape(row[0])}</td>"]
        for i, cell in enumerate(row[1:-1]):
            wrong_column = i < len(outcome.wrong)
            mark = ' class="differs"' if differs and wrong_column else ""
            cells.append(f"<td{mark}>{html.escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    kind = "convention" if bug.convention else "bug"
    label = "The choice at 0 (a convention, not a bug)" if bug.convention else "The broken line"
    fixed = "chainrule's choice" if bug.convention else "Right"
    return (
        f'<section id="{bug.name}" class="{kind}">\n'
        f"<h2>{_with_code(bug.title)} <small>(<code>chainrule bugs {bug.name}</code>)"
        "</small></h2>\n"
        f"<p><strong>The graph:</strong> {html.escape(outcome.graph)}</p>\n"
        f"<p><strong>{html.escape(label)}</strong> "
        f"(<code>{html.escape(bug.broken.__name__)}</code> in chainrule/bugs.py):</p>\n"
        f"<pre><code>{html.escape(marked_line(bug))}</code></pre>\n"
        f"<p><strong>{fixed}:</strong></p>\n"
        f'<pre class="right"><code>{html.escape(bug.fix)}</code></pre>\n'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n"
        f"<p>{html.escape(outcome.why)}</p>\n"
        f'<div class="pair">{"".join(pictures)}</div>\n</section>'
    )


# =============================================================================================
# The command
# =============================================================================================


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``chainrule bugs`` and its options on the ``chainrule`` command's subparsers."""
    parser = commands.add_parser(
        "bugs",
        help="a gallery of classic backprop bugs, each next to the right answer",
        description=(
            "Show classic backprop mistakes on small graphs, each computed by code broken on "
            "purpose next to chainrule's right answer. Without NAME, list them one a line; "
            "with NAME, explain one: the graph, the broken line, the wrong gradients next to "
            "the right ones, and why."
        ),
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="one of: " + ", ".join(NAMES))
    parser.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="write one self-contained page with every bug shown (or NAME only): its "
        "explanation, the broken line, the table and both diagrams",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite files that already exist (without it, an existing file is an error)",
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``chainrule bugs`` after parsing; returns the exit status.

    A usage error (an unknown NAME, an --html path that cannot be written, no Graphviz) is
    raised as :class:`~chainrule.outputs.UsageError` before any work, for the caller to
    report with exit status 2 as ``chainrule.cli.main`` does.
    """
    out = sys.stdout if out is None else out
    chosen = [find(args.name)] if args.name is not None else list(GALLERY)
    outputs = Outputs(force=args.force)
    path = outputs.claim(args.html, "--html") if args.html is not None else None
    if path is not None and shutil.which("dot") is None:
        from chainrule.viz.rendering import INSTALL_HINT

        raise UsageError(
            f"--html needs Graphviz's `dot` program, which is not on PATH. {INSTALL_HINT}"
        )
    outcomes = [(bug, bug.demo()) for bug in chosen]
    style = Style.for_stream(out)
    if args.name is None:
        print_list(outcomes, out, style)
    else:
        explain(*outcomes[0], out, style)
    if path is not None:
        page = gallery_page(outcomes)
        with outputs:
            outputs.stage(path, lambda target: target.write_text(page, encoding="utf-8"))
            for written in outputs.commit():
                print(f"wrote {written}", file=out)
    return 0


def _with_code(title: str) -> str:
    """A title escaped for HTML, its `backquoted` parts set as code, as the terminal writes them."""
    parts = html.escape(title).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``chainrule bugs ARGV`` on its own, as ``chainrule.cli.main`` would; the exit status.

    ``argv`` is what follows ``bugs``, e.g. ``["relu-at-zero", "--html", "page.html"]``.
    """
    parser = argparse.ArgumentParser(prog="chainrule")
    add_parser(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(["bugs", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run(args)
    except UsageError as error:
        print(f"chainrule bugs: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
