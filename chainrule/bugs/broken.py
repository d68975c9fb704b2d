"""The code broken on purpose: each classic mistake, implemented for real.

Everything in this module is wrong ON PURPOSE, to show a classic mistake with real numbers.
Never use it: chainrule's engine (``engine/backprop.py``, ``engine/value.py``) is the right
version of each function. Each function is a copy of chainrule's backward loop or of an op's
local derivative with one mistake in it, on the line marked ``# BROKEN ON PURPOSE`` (or
``# CONVENTION``, for the one choice that is not a mistake); :func:`marked_line` reads that
line from this file, so what the gallery shows is the code that ran. :func:`shown_line` is
that line as a learner reads it: the code and its marker as they are, the comment after the
marker (which explains the mistake) in the language of the moment.
"""

from __future__ import annotations

import inspect
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from chainrule.bugs.runs import Text
from chainrule.engine import OPS, Value, topological_order

if TYPE_CHECKING:
    from chainrule.bugs.gallery import Bug

BROKEN = "# BROKEN ON PURPOSE"
CONVENTION = "# CONVENTION"
SOURCE = f"chainrule/bugs/{Path(__file__).name}"
"""This file, as the terminal and the page name it."""


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
    local_grads = (1.0, 1.0)  # BROKEN ON PURPOSE: add's local derivatives, copied for a − b
    return Value(a.data - b.data, parents=(a, b), local_grads=local_grads, op=OPS["sub"])


def broken_tanh(x: Value) -> Value:
    """BROKEN ON PURPOSE: tanh with its derivative written in terms of the input."""
    t = math.tanh(x.data)
    local = 1.0 - x.data**2  # BROKEN ON PURPOSE: 1 − x², the input where tanh' needs its output
    return Value(t, parents=(x,), local_grads=(local,), op=OPS["tanh"])


def relu_with_slope_at_zero(x: Value, at_zero: float) -> Value:
    """relu with ``at_zero`` as its slope at exactly 0 (chainrule's relu takes 0, as PyTorch)."""
    slope = 1.0 if x.data > 0 else at_zero if x.data == 0 else 0.0  # CONVENTION: relu'(0)
    return Value(max(x.data, 0.0), parents=(x,), local_grads=(slope,), op=OPS["relu"])


def marked_line(bug: Bug) -> str:
    """The broken line of ``bug.broken``, read from this file (the code that ran)."""
    source = textwrap.dedent(inspect.getsource(bug.broken)).splitlines()
    marker = CONVENTION if bug.convention else BROKEN
    lines = [line.strip() for line in source if f"  {marker}" in line]
    if len(lines) != 1:
        raise RuntimeError(f"{bug.broken.__name__} must have one line marked {marker!r}")
    return lines[0]


def shown_line(bug: Bug) -> str:
    """:func:`marked_line` with its comment in the current language (``bugs.NAME.comment``).

    The code and the marker stay as they are; in English the line is the source's, letter for
    letter (a test holds the catalogue to it).
    """
    marker = CONVENTION if bug.convention else BROKEN
    code, _, _ = marked_line(bug).partition(f"  {marker}")
    return Text("bugs.line", code=code, marker=marker, comment=Text(f"bugs.{bug.name}.comment"))
