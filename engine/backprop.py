"""Backpropagation: the chain rule, applied edge by edge in reverse topological order.

For the root ``C`` and every edge ``node → parent`` of the graph:

    ∂C/∂parent += ∂node/∂parent · ∂C/∂node        i.e.   parent.grad += local_grad · node.grad

Visiting nodes in reverse topological order guarantees that ``node.grad`` is
complete (every path from the root has contributed) before it is passed on.
A constant (the 2 in ``2 * x``) takes no gradient, so no edge leads into one.

Semantics of repeated calls, as in PyTorch: leaves (nodes with no parents,
such as weights and inputs) *accumulate* their ``grad`` across backward
passes until you zero them; every non-leaf node is reset first, so its
``grad`` always holds ∂root/∂node from the latest pass.

:func:`backward_steps` is the loop, and :func:`backward` runs it to the end;
with the fast path swapped in, ``Value.backward()`` runs its twin in ``engine.fast``,
which gives the same numbers to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .graph import topological_order

if TYPE_CHECKING:
    from .value import Value


def _prepare(root: Value) -> list[Value]:
    """Reset the operations' grads, seed ∂root/∂root = 1 and return the graph in order."""
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = 0.0
    if root.parents:
        root.grad = 1.0
    else:
        root.grad += 1.0
    return order


def backward(root: Value) -> None:
    """Set every node's ``grad`` to ∂root/∂node (leaves accumulate; see the module docstring).

    It is :func:`backward_steps` run to the end: the one loop of the chain rule.
    (``engine.fast`` has its twin, the same edges without a step object each.)
    """
    for _ in backward_steps(root):
        pass


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
        from .narration import describe_step

        return describe_step(self)


def backward_steps(root: Value) -> Iterator[BackwardStep]:
    """Run ``backward`` one edge at a time, yielding a :class:`BackwardStep` after applying each.

    The steps come in exactly the order ``backward()`` applies them, so the
    graph can be inspected (or drawn) between steps, and exhausting the
    generator leaves the same grads as ``backward()``. Edges into constants
    carry nothing and are not steps.
    """
    for node, operand, parent, local in chain_rule_edges(_prepare(root)):
        upstream = node.grad
        contribution = local * upstream
        parent.grad += contribution
        yield BackwardStep(node, parent, operand, local, upstream, contribution, parent.grad)


def chain_rule_edges(order: list[Value]) -> Iterator[tuple[Value, int, Value, float]]:
    """Every edge the chain rule passes gradient along, in the order it does.

    ``(node, operand, parent, local_grad)`` for each node of ``order`` (a topological order)
    from the root back, each operand in turn, edges into constants left out. By the time a
    node's edges come, every path from the root has reached it. :func:`backward_steps`
    accumulates along them into ``grad``; ``grad()`` (``engine.higher_order``) into a table
    of its own, so that it leaves ``grad`` alone.
    """
    for node in reversed(order):
        for operand, (parent, local) in enumerate(zip(node.parents, node.local_grads, strict=True)):
            if not parent.is_constant:
                yield node, operand, parent, local
