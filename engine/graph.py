"""Walking the graph: every node a root depends on, parents before children.

Everything that visits a whole graph in the plain code goes through
:func:`topological_order`: zeroing, drawing, tracing a replay, and the
reference backward loop. It is iterative, so a chain of a million operations
is as easy as a chain of three. (``engine.fast`` walks the same order through
its slots for ``Value.backward``.)
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
    _check_value(root, "topological_order takes a Value (the root of a graph)")
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
    from .value import Value

    what = "zero_grad takes a Value (the root of a graph) or an iterable of Values"
    if isinstance(root_or_values, Value):
        nodes: Iterable[Value] = topological_order(root_or_values)
    else:
        try:
            nodes = list(root_or_values)
        except TypeError:
            raise TypeError(
                f"{what}, got {type(root_or_values).__name__}: {root_or_values!r:.80}"
            ) from None
        for node in nodes:
            if not isinstance(node, Value):
                _check_value(node, f"{what}, got an item of type")
    for node in nodes:
        node.grad = 0.0


def _check_value(x: object, what: str) -> None:
    from .value import Value

    if not isinstance(x, Value):
        joiner = " " if what.endswith("type") else ", got "
        raise TypeError(f"{what}{joiner}{type(x).__name__}: {x!r:.80}")
