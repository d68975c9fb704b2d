"""Walking the graph: every node a root depends on, parents before children.

Everything that visits a whole graph goes through :func:`topological_order`:
zeroing, drawing, tracing a replay, and the backward loop. It is iterative, so a
chain of a million operations is as easy as a chain of three. It needs nothing of a
node but its ``parents``, so it sits below ``engine.value`` and knows no Value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each once, parents before children; ``root`` is last.

    A depth-first search over ``parents`` with an explicit stack instead of
    recursion, so depth never matters. A node is *expanded* (its parents
    pushed) the first time it reaches the top of the stack and *emitted* the
    second time, when all its parents are emitted; a leaf has nothing to
    expand and is emitted at once. Parents are visited in operand order, so
    the order reads like the expression and is the same on every call.
    """
    _check_node(root, "topological_order takes a Value (the root of a graph)")
    order: list[Value] = []
    emitted: set[Value] = set()
    expanded: set[Value] = set()
    stack = [root]
    while stack:
        node = stack[-1]
        parents = node.parents
        if not parents or node in expanded:
            stack.pop()
            if node not in emitted:
                emitted.add(node)
                order.append(node)
            continue
        expanded.add(node)
        for parent in reversed(parents):  # pushed last is visited first: operand order
            if parent not in emitted and parent not in expanded:
                stack.append(parent)
    return order


def zero_grad(root_or_values: Value | Iterable[Value]) -> None:
    """Set ``grad = 0.0`` on every node of ``root``'s graph, or on each of the given Values."""
    what = "zero_grad takes a Value (the root of a graph) or an iterable of Values"
    if _is_node(root_or_values):
        nodes: Iterable[Value] = topological_order(root_or_values)  # type: ignore[arg-type]
    else:
        try:
            nodes = list(root_or_values)  # type: ignore[arg-type]
        except TypeError:
            raise TypeError(
                f"{what}, got {type(root_or_values).__name__}: {root_or_values!r:.80}"
            ) from None
        for node in nodes:
            _check_node(node, f"{what}, got an item of type")
    for node in nodes:
        node.grad = 0.0


def _is_node(x: object) -> bool:
    """True for a node of a graph: anything with ``parents``, ``local_grads`` and ``grad``."""
    kind = type(x)
    return hasattr(kind, "parents") and hasattr(kind, "local_grads") and hasattr(kind, "grad")


def _check_node(x: object, what: str) -> None:
    if not _is_node(x):
        joiner = " " if what.endswith("type") else ", got "
        raise TypeError(f"{what}{joiner}{type(x).__name__}: {x!r:.80}")
