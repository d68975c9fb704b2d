"""Replay: record a graph once, then re-run its forward and backward passes on new numbers.

Training evaluates the same graph *shape* at every step; only the numbers in
its leaves (inputs, labels, weights) change. A :class:`Replay` records the
ops of a graph once, in topological order, as flat lists of integers, and
each :meth:`Replay.run` recomputes every value and gradient from the leaves'
current ``data`` without creating a single ``Value``. This is the idea behind
tracing compilers such as ``torch.compile`` and ``jax.jit``: pay for the
graph once, then run straight-line arithmetic.

Every node is recomputed by its op's kernel from the op table, so only nodes
of registered ops can be replayed: a node made by hand with
``Value(…, op="+")`` carries numbers but no kernel, and is refused by
identity (its op is not the table's ``add``), never guessed from its name.

What changes between runs is read from the leaves; what the graph does is
fixed at trace time. Data-dependent *local derivatives* are re-evaluated each
run (``relu`` passes the gradient only where its input is positive *now*),
but Python-level branching in the code that built the graph is not: trace
again if the structure would change.

The gradients are the dynamic engine's to the last bit: the same kernels,
the same edges in the same order, and leaves accumulating onto their
existing ``grad`` exactly as ``backward()`` does. (``engine.fast`` runs the
same loops with the hot ops' arithmetic written inline.)
"""

from __future__ import annotations

from typing import Any

from .checks import ARITHMETIC_ERRORS, checked, op_error
from .graph import topological_order
from .narration import name_of
from .optable import OpRecord
from .value import Value

Step = tuple[int, OpRecord, tuple[int, ...], tuple[float, ...]]
"""One recorded op: (its node's position, the op, its operands' positions, its attrs)."""


class Replay:
    """A traced graph that recomputes values and gradients from its leaves' current data.

    >>> from chainrule.engine import Value, Replay
    >>> x, w = Value(2.0, "x"), Value(3.0, "w")
    >>> replay = Replay(x * w)
    >>> x.data = 5.0
    >>> replay.run()            # forward and backward: returns the root's new value
    15.0
    >>> w.grad                  # ∂(x·w)/∂w = x = 5
    5.0
    """

    def __init__(self, root: Value) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Replay traces the graph of a Value, got {type(root).__name__}")
        nodes = topological_order(root)
        position = {node: i for i, node in enumerate(nodes)}
        program: list[Step] = []
        for i, node in enumerate(nodes):
            op = node.op
            if op is None:
                continue
            if not op.registered:
                raise ValueError(
                    f"cannot replay the op {op.name!r} of {node!r}: that node was made by hand "
                    "(Value(…, parents=…, local_grads=…, op=…)), so nothing can recompute its "
                    "local derivatives; define the op with define_op to replay it"
                )
            program.append((i, op, tuple(position[p] for p in node.parents), node.attrs))
        self.nodes = nodes
        self._position = position
        self.leaves = [(i, node) for i, node in enumerate(nodes) if node.op is None]
        self.program = program
        self._data = [node.data for node in nodes]
        self._locals: list[Any] = [node.local_grads for node in nodes]
        self.value = root.data
        """The root's value after the latest :meth:`run` or :meth:`forward`."""

    def __len__(self) -> int:
        """The number of nodes in the traced graph."""
        return len(self.nodes)

    def value_of(self, node: Value) -> float:
        """A traced node's value in the latest :meth:`run` or :meth:`forward`.

        Only leaves are read and written by a replay; every other node keeps the
        ``data`` it had when traced. This reads its replayed value instead, e.g. a
        model's output inside a traced loss.
        """
        position = self._position.get(node)
        if position is None:
            raise ValueError(f"{node!r} is not a node of this traced graph")
        return self._data[position]

    def forward(self) -> float:
        """Recompute every node's value from the leaves' current ``data``; return the root's."""
        d, loc = self._data, self._locals
        for i, leaf in self.leaves:
            d[i] = leaf.data
        for i, op, operands, attrs in self.program:
            inputs = [d[p] for p in operands]
            try:
                result = op.kernel(*inputs, *attrs)  # type: ignore[misc]
            except ARITHMETIC_ERRORS as error:
                raise op_error(op, error, self.current(operands)) from None
            d[i], *loc[i] = checked(op, result, lambda: self.current(operands), attrs)  # noqa: B023
        self.value = d[-1]
        return self.value

    def backward(self) -> None:
        """Backprop through the recorded ops; leaves' ``grad`` accumulate, as with ``backward()``.

        Uses the values of the latest :meth:`forward`. Intermediate ``Value``
        objects are not touched: their ``data`` and ``grad`` stay as traced.
        """
        g = self._seed()
        loc = self._locals
        for i, _, operands, _ in reversed(self.program):
            for p, local in zip(operands, loc[i], strict=True):
                g[p] += local * g[i]
        self._write_back(g)

    def run(self) -> float:
        """:meth:`forward` then :meth:`backward`; returns the root's value."""
        value = self.forward()
        self.backward()
        return value

    def _seed(self) -> list[float]:
        """The gradients before backprop: the leaves' own (they accumulate), 1.0 for the root."""
        g = [0.0] * len(self._data)
        for i, leaf in self.leaves:
            g[i] = leaf.grad
        if self.program:
            g[-1] = 1.0
        else:
            g[-1] += 1.0
        return g

    def _write_back(self, g: list[float]) -> None:
        for i, leaf in self.leaves:
            leaf.grad = g[i]  # a constant ignores it

    def current(self, operands: tuple[int, ...]) -> list[Any]:
        """The operands as they stand in this run, for an error message: computed ones replayed."""
        return [
            self.nodes[i] if self.nodes[i].op is None else _Replayed(self.nodes[i], self._data[i])
            for i in operands
        ]


class _Replayed:
    """A computed node as a replay sees it: its name and its value in this run, not when traced."""

    def __init__(self, node: Value, value: float) -> None:
        self.node, self.value = node, value

    def __repr__(self) -> str:
        return f"{name_of(self.node)} (replayed: {self.value!r})"
