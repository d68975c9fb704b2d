"""Walking the graph: the one place that knows how nodes connect.

Everything that visits a whole graph goes through one depth-first walk:
:func:`topological_order` for zeroing, drawing and replay, and
:func:`operation_order`, the same order without the leaves, for backward and
step-through. It is iterative, so a chain of a million operations is as easy
as a chain of three.
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
    from .value import Value

    if not isinstance(root, Value):
        raise TypeError(
            "topological_order takes a Value (the root of a graph), "
            f"got {type(root).__name__}: {root!r:.80}"
        )
    return _depth_first(root, leaves=True)


def operation_order(root: Value) -> list[Value]:
    """The operations of ``root``'s graph (the nodes with parents), parents before children.

    Exactly ``topological_order(root)`` without its leaves, found without
    visiting a leaf at all: backprop needs no place in the order for a leaf,
    which only receives gradient, and in a model half of all nodes are leaves
    (its weights and inputs).
    """
    return _depth_first(root, leaves=False) if root._a is not None else []


def _depth_first(root: Value, leaves: bool) -> list[Value]:
    """The walk of :func:`topological_order`, stepping over leaves unless ``leaves``."""
    order: list[Value] = []
    emitted: set[Value] = set()
    expanded: set[Value] = set()
    stack = [root]
    while stack:
        node = stack[-1]
        a = node._a
        if a is None or node in expanded:
            stack.pop()
            if node not in emitted:
                emitted.add(node)
                order.append(node)
            continue
        expanded.add(node)
        b = node._b
        if b is not None:
            if node._more is not None:
                for parent in reversed(node._more[0]):
                    if (leaves or parent._a is not None) and (
                        parent not in emitted and parent not in expanded
                    ):
                        stack.append(parent)
            if (leaves or b._a is not None) and b not in emitted and b not in expanded:
                stack.append(b)
        if (leaves or a._a is not None) and a not in emitted and a not in expanded:
            stack.append(a)
    return order


def zero_grad(root_or_values: Value | Iterable[Value]) -> None:
    """Set ``grad = 0.0`` on every node of ``root``'s graph, or on each of the given Values."""
    from .value import Value

    if isinstance(root_or_values, Value):
        nodes: Iterable[Value] = topological_order(root_or_values)
    else:
        try:
            nodes = list(root_or_values)
        except TypeError:
            raise TypeError(
                "zero_grad takes a Value (the root of a graph) or an iterable of Values, "
                f"got {type(root_or_values).__name__}: {root_or_values!r:.80}"
            ) from None
        for node in nodes:
            if not isinstance(node, Value):
                raise TypeError(
                    f"zero_grad takes a Value (the root of a graph) or an iterable of Values, "
                    f"got an item of type {type(node).__name__}: {node!r:.80}"
                )
    for node in nodes:
        node.grad = 0.0
