"""Backpropagation: the chain rule, applied edge by edge in reverse topological order.

For the root ``C`` and every edge ``node → parent`` of the graph:

    ∂C/∂parent += ∂node/∂parent · ∂C/∂node        i.e.   parent.grad += local_grad · node.grad

Visiting nodes in reverse topological order guarantees that ``node.grad`` is
complete (every path from the root has contributed) before it is passed on.

Semantics of repeated calls, as in PyTorch: leaves (nodes with no parents,
such as weights and inputs) *accumulate* their ``grad`` across backward
passes until you zero them; every non-leaf node is reset first, so its
``grad`` always holds ∂root/∂node from the latest pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .graph import operation_order
from .rules import format_number, local_grad_formula

if TYPE_CHECKING:
    from .value import Value


def _prepare(root: Value) -> list[Value]:
    """Reset the operations' grads, seed ∂root/∂root = 1 and return the operations in order.

    Leaves need no place in the order: they have no parents to pass gradient
    on to, so they only ever receive it.
    """
    order = operation_order(root)
    for node in order:
        node.grad = 0.0
    if root._a is not None:
        root.grad = 1.0
    else:
        root.grad += 1.0
    return order


def backward(root: Value) -> None:
    """Set every node's ``grad`` to ∂root/∂node (leaves accumulate; see the module docstring)."""
    for node in reversed(_prepare(root)):
        upstream = node.grad
        node._a.grad += node._da * upstream
        b = node._b
        if b is not None:
            b.grad += node._db * upstream
            if node._more is not None:
                for parent, local in zip(*node._more, strict=True):
                    parent.grad += local * upstream


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """One application of the chain rule: the gradient flowing down one edge.

    ``parent.grad += local_grad × upstream_grad``, where ``local_grad`` is
    ∂node/∂parent and ``upstream_grad`` is ∂root/∂node (``node.grad``).
    ``operand`` is the parent's position among ``node.parents``.
    """

    node: Value
    parent: Value
    operand: int
    local_grad: float
    upstream_grad: float
    contribution: float
    parent_grad: float

    def __str__(self) -> str:
        node, parent = _grouped(name_of(self.node)), _grouped(name_of(self.parent))
        text = (
            f"{parent}.grad += {format_number(self.local_grad)} × "
            f"{format_number(self.upstream_grad)} = {format_number(self.contribution)}"
        )
        if self.parent_grad != self.contribution:
            text += f" → {format_number(self.parent_grad)}"
        operands = [_grouped(name_of(p)) for p in self.node.parents]
        formula = local_grad_formula(self.node.op, self.operand, node, operands)
        return f"{text}   (∂{node}/∂{parent} = {formula or format_number(self.local_grad)})"


def backward_steps(root: Value) -> Iterator[BackwardStep]:
    """Run ``backward`` one edge at a time, yielding a :class:`BackwardStep` after applying each.

    The steps come in exactly the order ``backward()`` applies them, so the
    graph can be inspected (or drawn) between steps, and exhausting the
    generator leaves the same grads as ``backward()``.
    """
    for node in reversed(_prepare(root)):
        upstream = node.grad
        for operand, (parent, local) in enumerate(zip(node.parents, node.local_grads, strict=True)):
            contribution = local * upstream
            parent.grad += contribution
            yield BackwardStep(node, parent, operand, local, upstream, contribution, parent.grad)


def _grouped(name: str) -> str:
    """``name`` in parentheses when it has an operator outside parentheses: ``(x*w + b).grad``."""
    depth = 0
    for char in name:
        depth += (char == "(") - (char == ")")
        if depth == 0 and char in "+-−*/·^ ":
            return f"({name})"
    return name


_INFIX = {"+": "+", "-": "−", "*": "·", "/": "/", "**": "^"}


def name_of(v: Value, depth: int = 2) -> str:
    """A short name for ``v`` in text: its label, a constant's value, or its op over its operands.

    Unlabelled results are spelled out ``depth`` levels deep, e.g. ``((x1·w1)+b)``,
    and ``…`` stands for anything deeper.
    """
    if v.label:
        return v.label
    if not v.parents:
        return format_number(v.data)
    if depth == 0:
        return "…"
    operands = [name_of(p, depth - 1) for p in v.parents]
    if v.op in _INFIX and len(operands) == 2:
        return f"({operands[0]}{_INFIX[v.op]}{operands[1]})"
    if v.op.startswith("**") and len(operands) == 1:
        return f"{operands[0]}^{v.op[2:]}"
    if v.op == "neg":
        return f"(−{operands[0]})"
    return f"{v.op}({', '.join(operands)})"
